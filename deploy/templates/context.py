"""What every template of one environment reads: where things are, what is public, which zones.

Built once per environment by `build_plan` and handed to each template builder, so ids, access
rules and private DNS choices are decided in one place rather than again in every stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from deploy.templates.arm import Expr, rid
from wizard import catalog, naming
from wizard.model import TODO, EnvironmentConfig, EnvName, FactoryConfig, ProjectConfig

WORKSPACE = "Microsoft.OperationalInsights/workspaces"


@dataclass(frozen=True)
class EnvContext:
    """One environment of a configuration, with the ids and choices its templates share."""

    config: FactoryConfig
    env: EnvName

    @property
    def settings(self) -> EnvironmentConfig:
        return self.config.environments.get(self.env)

    @property
    def subscription(self) -> str:
        """The environment's subscription, or the all-zero placeholder while it has none."""
        sub = self.settings.subscription_id
        return naming.PLACEHOLDER_SUBSCRIPTION if sub is None or TODO in sub else sub

    @property
    def region(self) -> str:
        return str(self.settings.region)

    @cached_property
    def common_rg(self) -> str:
        return naming.common_resource_group(self.config, self.env)

    @cached_property
    def vnet_rg(self) -> str:
        return naming.vnet_resource_group(self.config, self.env)

    @cached_property
    def vnet(self) -> str:
        return naming.common_vnet(self.config, self.env)

    @property
    def vnet_id(self) -> str:
        return rid(self.subscription, self.vnet_rg, "Microsoft.Network/virtualNetworks", self.vnet)

    def subnet_id(self, subnet: str) -> str:
        """Id of a subnet of the common VNet."""
        return rid(self.subscription, self.vnet_rg, "Microsoft.Network/virtualNetworks/subnets", self.vnet, subnet)

    def id_in(self, resource_group: str, rtype: str, *names: str) -> str:
        """Id of a resource in one of this environment's resource groups."""
        return rid(self.subscription, resource_group, rtype, *names)

    @property
    def common_pe_subnet_id(self) -> str:
        return self.subnet_id(naming.common_subnets(self.config)["common"])

    @property
    def workspace_id(self) -> str:
        return rid(self.subscription, self.common_rg, WORKSPACE, naming.log_analytics(self.config, self.env))

    @property
    def common_acr_id(self) -> str:
        return rid(self.subscription, self.common_rg, "Microsoft.ContainerRegistry/registries",
                   naming.common_acr(self.config, self.env))

    # ---------------------------------------------------------------- private DNS

    @property
    def own_dns(self) -> bool:
        """The factory creates its private DNS zones (standalone, hybrid, hub without the DNS policy)."""
        return not catalog.uses_hub_dns(self.config)

    @cached_property
    def dns_zones(self) -> list[str]:
        """The zones this environment's services need (created in the common group when `own_dns`)."""
        return catalog.private_dns_zones(self.config, self.env)

    def zone_id(self, zone: str) -> str:
        """Id of a private DNS zone the factory created in the common group."""
        return rid(self.subscription, self.common_rg, "Microsoft.Network/privateDnsZones",
                   catalog.zone_for_region(zone, self.region))

    # ---------------------------------------------------------------- access

    @property
    def tenant(self) -> str:
        """The tenant id, or the subscription's own when the configuration has none yet."""
        tenant = self.config.identity.tenant_id
        return tenant if tenant and TODO not in tenant else Expr("[subscription().tenantId]")

    def ip_rules(self, project: ProjectConfig | None = None) -> list[str]:
        """The IP ranges let through service firewalls: the factory's, plus the project's."""
        ips = list(self.config.access.ip_allow_list)
        if project is not None:
            ips += [ip for ip in project.ip_allow_list if ip not in ips]
        return ips

    def public(self, genai: bool) -> bool:
        """Whether a service keeps a public endpoint (behind its firewall) beside its private one.

        GenAI services (AI Search, Foundry, the cognitive accounts) follow ENABLE_PUBLIC_GENAI_ACCESS,
        the rest ALLOW_PUBLIC_ACCESS_WHEN_BEHINDVNET; the perimeter switch opens both.
        """
        access = self.config.access
        if access.enable_public_access_with_perimeter:
            return True
        return access.enable_public_genai_access if genai else access.allow_public_access_when_behind_vnet

    def tags(self, project: ProjectConfig | None = None) -> dict[str, str]:
        """Tags every resource group gets."""
        tags: dict[str, str] = {"aifactory-environment": self.env}
        if project is not None:
            tags["aifactory-project"] = project.number
            tags["CostCenter"] = project.cost_center
        return tags
