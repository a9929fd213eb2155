"""Stage C2 (12-networkCommon.bicep): the common VNet, its NSGs and four subnets, and its ties.

Subnets are child resources, not inline in the VNet's body, so each project's network stage can
add its own to the same VNet and a second run of this stage neither sees nor touches them (what-if
answers NoChange). Then, by landing zone: standalone and hybrid get the private DNS zones the
services need, linked to the VNet (CmnPrivateDnsZones.bicep); hub/spoke gets the spoke's side of
the peering to the hub VNet; Virtual WAN gets the hub's connection to this VNet, deployed into
the virtual hub's resource group. The AI Factory leaves peering and the hub connection to the
network team; the plan does them so the spoke is reachable when the deployment ends.
"""

from __future__ import annotations

from typing import Any

from deploy.templates.arm import nested, resource, template
from deploy.templates.context import EnvContext
from wizard import naming, network
from wizard.model import HubSpokeZone, VwanZone

VNET = "Microsoft.Network/virtualNetworks"
NSG = "Microsoft.Network/networkSecurityGroups"
ZONE = "Microsoft.Network/privateDnsZones"


def build(ctx: EnvContext, deployment_name: str) -> dict[str, Any]:
    """The template of C2 for one environment (resource-group scope: the VNet's group)."""
    config = ctx.config
    vnet_id = ctx.vnet_id
    resources: list[dict[str, Any]] = [
        resource(VNET, ctx.vnet, location=ctx.region, properties={
            "addressSpace": {"addressPrefixes": [str(network.vnet_range(config, ctx.env))]}}),
    ]
    previous = vnet_id
    for subnet in network.common_subnets(config, ctx.env):
        properties: dict[str, Any] = {"addressPrefix": str(subnet.network)}
        depends = [vnet_id, previous]
        if subnet.role != "bastion":  # Bastion brings its own rules; an NSG there needs Bastion's exact set
            nsg = naming.common_nsg(config, ctx.env, subnet.role)
            nsg_id = ctx.id_in(ctx.vnet_rg, NSG, nsg)
            resources.append(resource(NSG, nsg, location=ctx.region, properties={"securityRules": []}))
            properties["networkSecurityGroup"] = {"id": nsg_id}
            properties["privateEndpointNetworkPolicies"] = "Disabled"
            depends.append(nsg_id)
        resources.append(resource(f"{VNET}/subnets", f"{ctx.vnet}/{subnet.name}", depends_on=depends,
                                  properties=properties))
        previous = ctx.subnet_id(subnet.name)  # one subnet at a time: the network provider locks the VNet
    zone = config.landing_zone
    if isinstance(zone, HubSpokeZone) and ctx.env in zone.hub_vnet_ids:
        resources.append(resource(f"{VNET}/virtualNetworkPeerings", f"{ctx.vnet}/{naming.hub_peering(config, ctx.env)}",
                                  depends_on=[vnet_id, previous], properties={
                                      "remoteVirtualNetwork": {"id": zone.hub_vnet_ids[ctx.env]},
                                      "allowVirtualNetworkAccess": True, "allowForwardedTraffic": True,
                                      "useRemoteGateways": False}))
    if isinstance(zone, VwanZone) and ctx.env in zone.virtual_hub_ids:
        resources.append(_hub_connection(ctx, zone.virtual_hub_ids[ctx.env], deployment_name, previous))
    if ctx.own_dns:
        for name in ctx.dns_zones:
            resources.append(resource(ZONE, name, location="global"))
            resources.append(resource(f"{ZONE}/virtualNetworkLinks", f"{name}/{naming.dns_zone_link(config, ctx.env)}",
                                      location="global", depends_on=[ctx.zone_id(name), vnet_id], properties={
                                          "virtualNetwork": {"id": vnet_id}, "registrationEnabled": False}))
    return template(resources)


def _hub_connection(ctx: EnvContext, hub_id: str, deployment_name: str, after: str) -> dict[str, Any]:
    """The virtual hub's connection to this VNet, deployed where the hub lives."""
    parts = hub_id.strip("/").split("/")
    subscription, group, hub = parts[1], parts[3], parts[-1]
    name = naming.hub_connection(ctx.config, ctx.env)
    connection = resource("Microsoft.Network/virtualHubs/hubVirtualNetworkConnections", f"{hub}/{name}", properties={
        "remoteVirtualNetwork": {"id": ctx.vnet_id}, "enableInternetSecurity": True})
    return nested(deployment_name, [connection], resource_group=group, subscription=subscription,
                  depends_on=[ctx.vnet_id, after])

