"""Stage P6 (31-network.bicep): one project's subnets in the common VNet, each with its NSG.

The ranges are the subnet calculator's (`wizard.network.plan_environment`): all eight subnets of
the v1.24 `all` project type, whatever the services, as the AI Factory creates them, with the
delegations its services need. Subnets are written one after the other (the network provider
locks the VNet for each write); two projects' stages may still run at once, and ARM answers the
loser `AnotherOperationInProgress`, which the runner retries.
"""

from __future__ import annotations

from typing import Any

from deploy.templates.arm import resource, template
from deploy.templates.context import EnvContext
from wizard import catalog, naming
from wizard.network import ProjectPlan

NSG = "Microsoft.Network/networkSecurityGroups"
APP_ENVIRONMENTS = "Microsoft.App/environments"

DELEGATIONS: dict[str, str] = {
    **{need.kind: need.delegation for service in catalog.SERVICES.values() for need in service.subnets
       if need.delegation},
    "aca": APP_ENVIRONMENTS,
    "aca2": APP_ENVIRONMENTS,
}
"""Subnet role -> the service it is delegated to (aca and aca-002 host Container Apps environments:
the project's own, and Foundry's injected agents)."""


def build(ctx: EnvContext, plan: ProjectPlan) -> dict[str, Any]:
    """The template of P6 for one project (resource-group scope: the VNet's group)."""
    nsgs: dict[str, str] = {role: name for role, name in naming.project_nsgs(ctx.config, ctx.env, plan.number).items()}
    resources: list[dict[str, Any]] = []
    previous: str | None = None
    for subnet in plan.subnets:
        nsg_id = ctx.id_in(ctx.vnet_rg, NSG, nsgs[subnet.role])
        resources.append(resource(NSG, nsgs[subnet.role], location=ctx.region,
                                  properties={"securityRules": []}))
        properties: dict[str, Any] = {"addressPrefix": str(subnet.network), "networkSecurityGroup": {"id": nsg_id},
                                      "privateEndpointNetworkPolicies": "Disabled"}
        if subnet.role in DELEGATIONS:
            service = DELEGATIONS[subnet.role]
            properties["delegations"] = [{"name": service.replace("/", "."), "properties": {"serviceName": service}}]
        resources.append(resource("Microsoft.Network/virtualNetworks/subnets", f"{ctx.vnet}/{subnet.name}",
                                  depends_on=[nsg_id, *([previous] if previous else [])], properties=properties))
        previous = ctx.subnet_id(subnet.name)
    return template(resources)
