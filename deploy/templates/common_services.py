"""Stage C3 (13-rgLevel.bicep): the common services of one environment.

Log Analytics, the two common Key Vaults, the data lake, the common container registry (which the
projects share unless USE_COMMON_ACR_FOR_PROJECTS is false), each behind a private endpoint in
the common subnet with diagnostics to Log Analytics; Azure Bastion with its public IP when asked.
"""

from __future__ import annotations

from typing import Any

from deploy.templates.arm import resource, template
from deploy.templates.context import WORKSPACE, EnvContext
from deploy.templates.private_link import diagnostics, endpoint, firewall
from wizard import naming

KV = "Microsoft.KeyVault/vaults"
STORAGE = "Microsoft.Storage/storageAccounts"
ACR = "Microsoft.ContainerRegistry/registries"


def key_vault(ctx: EnvContext, name: str, ips: list[str]) -> dict[str, Any]:
    """A Key Vault as the AI Factory makes them: RBAC, soft delete, purge protection when asked."""
    security = ctx.config.security
    properties: dict[str, Any] = {
        "tenantId": ctx.tenant, "sku": {"family": "A", "name": "standard"},
        "enableRbacAuthorization": True, "enabledForTemplateDeployment": True,
        **firewall(ips, public=ctx.public(genai=False)),
    }
    if security.keyvault_soft_delete_days:
        properties["softDeleteRetentionInDays"] = security.keyvault_soft_delete_days
    if security.keyvault_purge_protection:
        properties["enablePurgeProtection"] = True  # Azure refuses false: it can never be turned off
    return resource(KV, name, location=ctx.region, properties=properties)


def storage_account(ctx: EnvContext, name: str, ips: list[str], *, lake: bool = False) -> dict[str, Any]:
    """A StorageV2 account without public blobs, TLS 1.2; the data lake has a hierarchical namespace."""
    return resource(STORAGE, name, location=ctx.region, kind="StorageV2", sku={"name": "Standard_LRS"}, properties={
        "isHnsEnabled": lake, "minimumTlsVersion": "TLS1_2", "allowBlobPublicAccess": False,
        "supportsHttpsTrafficOnly": True, **firewall(ips, public=ctx.public(genai=False), action=True),
    })


def build(ctx: EnvContext) -> dict[str, Any]:
    """The template of C3 for one environment (resource-group scope: the common group)."""
    config, env, rg = ctx.config, ctx.env, ctx.common_rg
    subnet = ctx.common_pe_subnet_id
    ips = ctx.ip_rules()
    workspace = naming.log_analytics(config, env)
    resources: list[dict[str, Any]] = [resource(WORKSPACE, workspace, location=ctx.region, properties={
        "sku": {"name": "PerGB2018"}, "retentionInDays": 30})]
    for admin in (False, True):
        name = naming.common_key_vault(config, env, admin)
        vault_id = ctx.id_in(rg, KV, name)
        resources += [key_vault(ctx, name, ips), *endpoint(ctx, rg, vault_id, name, "vault", subnet),
                      diagnostics(ctx, vault_id, KV, name)]
        resources[-1]["dependsOn"].append(ctx.workspace_id)
    lake = naming.data_lake(config, env)
    lake_id = ctx.id_in(rg, STORAGE, lake)
    resources += [storage_account(ctx, lake, ips, lake=True),
                  *endpoint(ctx, rg, lake_id, lake, "blob", subnet), *endpoint(ctx, rg, lake_id, lake, "dfs", subnet)]
    acr = naming.common_acr(config, env)
    acr_id = ctx.common_acr_id
    sku = config.skus.acr_sku
    registry: dict[str, Any] = {"adminUserEnabled": False}
    if sku == "Premium":  # private endpoints and firewall rules are Premium features
        public = ctx.public(genai=False)
        registry["publicNetworkAccess"] = "Enabled" if public else "Disabled"
        registry["networkRuleSet"] = {"defaultAction": "Deny", "ipRules": [
            {"action": "Allow", "value": ip} for ip in config.access.acr_ip_allow_list] if public else []}
    resources.append(resource(ACR, acr, location=ctx.region, sku={"name": sku}, properties=registry))
    if sku == "Premium":
        resources += endpoint(ctx, rg, acr_id, acr, "registry", subnet)
    resources.append(diagnostics(ctx, acr_id, ACR, acr))
    resources[-1]["dependsOn"].append(ctx.workspace_id)
    if config.access.bastion:
        resources += _bastion(ctx)
    return template(resources)


def _bastion(ctx: EnvContext) -> list[dict[str, Any]]:
    """Azure Bastion in AzureBastionSubnet, with its Standard public IP."""
    ip = naming.bastion_public_ip(ctx.config, ctx.env)
    ip_id = ctx.id_in(ctx.common_rg, "Microsoft.Network/publicIPAddresses", ip)
    return [
        resource("Microsoft.Network/publicIPAddresses", ip, location=ctx.region, sku={"name": "Standard"},
                 properties={"publicIPAllocationMethod": "Static"}),
        resource("Microsoft.Network/bastionHosts", naming.bastion_host(ctx.config, ctx.env), location=ctx.region,
                 sku={"name": "Standard"}, depends_on=[ip_id], properties={"ipConfigurations": [{
                     "name": "bastion-ip", "properties": {
                         "subnet": {"id": ctx.subnet_id(naming.common_subnets(ctx.config)["bastion"])},
                         "publicIPAddress": {"id": ip_id}}}]}),
    ]
