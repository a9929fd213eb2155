"""Private endpoints with their DNS zone groups, service firewalls, and diagnostic settings.

Every service of the AI Factory sits behind a private endpoint in a subnet of the common VNet
(the common subnet for common services, the project's genai subnet for project services). When
the factory owns its private DNS zones (`EnvContext.own_dns`) each endpoint gets a zone group so
its A-record appears there; in hub mode the hub's DeployIfNotExists policy writes the records.
Logs and metrics go to the environment's Log Analytics workspace. Each builder here is declared
in the same template as the resource it serves, so it depends on it by id.
"""

from __future__ import annotations

from typing import Any

from deploy.templates.arm import resource
from deploy.templates.context import EnvContext
from wizard import naming

PE = "Microsoft.Network/privateEndpoints"
DIAGNOSTICS = "Microsoft.Insights/diagnosticSettings"

ZONES: dict[str, tuple[str, ...]] = {
    "vault": ("privatelink.vaultcore.azure.net",),
    "blob": ("privatelink.blob.core.windows.net",),
    "dfs": ("privatelink.dfs.core.windows.net",),
    "registry": ("privatelink.azurecr.io",),
    "searchService": ("privatelink.search.windows.net",),
    "account": ("privatelink.cognitiveservices.azure.com", "privatelink.openai.azure.com",
                "privatelink.services.ai.azure.com"),
    "amlworkspace": ("privatelink.api.azureml.ms", "privatelink.notebooks.azure.net"),
    "Sql": ("privatelink.documents.azure.com",),
}
"""Private endpoint group id -> the zones its records go into."""


def endpoint(ctx: EnvContext, resource_group: str, target_id: str, target_name: str, group: str,
             subnet_id: str) -> list[dict[str, Any]]:
    """A private endpoint to `target_id`'s `group` in `subnet_id`, and its DNS zone group."""
    name = naming.private_endpoint(target_name, group)
    pe_id = ctx.id_in(resource_group, PE, name)
    out = [resource(PE, name, location=ctx.region, depends_on=[target_id], properties={
        "subnet": {"id": subnet_id},
        "privateLinkServiceConnections": [
            {"name": name, "properties": {"privateLinkServiceId": target_id, "groupIds": [group]}}],
    })]
    wanted = [zone for zone in ZONES[group] if zone in ctx.dns_zones]
    if ctx.own_dns and wanted:
        out.append(resource(f"{PE}/privateDnsZoneGroups", f"{name}/default", depends_on=[pe_id], properties={
            "privateDnsZoneConfigs": [
                {"name": zone.replace(".", "-"), "properties": {"privateDnsZoneId": ctx.zone_id(zone)}}
                for zone in wanted],
        }))
    return out


def firewall(ips: list[str], *, public: bool, action: bool = False) -> dict[str, Any]:
    """`publicNetworkAccess` and `networkAcls` of a Key Vault, storage or cognitive account.

    Public means: reachable from the listed IP ranges only (the default action stays Deny).
    Storage accounts want an `action` on each IP rule; the others refuse it.
    """
    rules = [{"value": ip, "action": "Allow"} if action else {"value": ip} for ip in ips] if public else []
    return {
        "publicNetworkAccess": "Enabled" if public else "Disabled",
        "networkAcls": {"defaultAction": "Deny", "bypass": "AzureServices", "ipRules": rules},
    }


def diagnostics(ctx: EnvContext, target_id: str, target_type: str, target_name: str) -> dict[str, Any]:
    """Diagnostic settings of one resource into the environment's Log Analytics workspace.

    DIAGNOSTIC_SETTING_LEVEL: gold and silver send every log category and the metrics, bronze
    only the audit logs.
    """
    level = ctx.config.security.diagnostic_level
    return resource(DIAGNOSTICS, "to-log-analytics", scope=f"{target_type}/{target_name}", depends_on=[target_id],
                    properties={
                        "workspaceId": ctx.workspace_id,
                        "logs": [{"categoryGroup": "audit" if level == "bronze" else "allLogs", "enabled": True}],
                        "metrics": [{"category": "AllMetrics", "enabled": level != "bronze"}],
                    })
