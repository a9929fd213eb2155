"""Who needs which role for the AI Factory to deploy, for one configuration.

The AI Factory's prerequisites (aifactory.md §5.1 and §5.5) name the principals and the roles
they need; which of them apply depends on the configuration (hub DNS, bring-your-own subnets,
the seeding Key Vault's subscription, GitHub or Azure DevOps). The handover report lists them as
next steps; the live `permissions` check tests the first one against Azure.
"""

from __future__ import annotations

from dataclasses import dataclass

from wizard.model import FactoryConfig, HubSpokeZone, VwanZone

DEPLOYER = "the deploying principal (esml-common-bicep-sp, or you when aifactory deploys)"


@dataclass(frozen=True, slots=True)
class RoleNeed:
    """One grant: who, which role, where, and why it is needed."""

    who: str
    role: str
    scope: str
    why: str


def _subscriptions(config: FactoryConfig) -> str:
    names = [f"{name} ({env.subscription_id or 'subscription not set'})" for name, env in config.environments.enabled()]
    return "the subscription of " + ", ".join(names)


def role_needs(config: FactoryConfig) -> list[RoleNeed]:
    """Every role grant this configuration needs before the first deployment."""
    needs = [RoleNeed(DEPLOYER, "Owner, without conditions", _subscriptions(config),
                      "the pipelines create many role assignments; Owner or User Access Administrator with "
                      "ABAC conditions blocks them")]
    vault = config.identity.seeding_key_vault
    where = f"seeding Key Vault {vault.name}" if vault.name else "the seeding Key Vault"
    if vault.resource_group:
        where += f" in {vault.resource_group}"
    needs.append(RoleNeed(DEPLOYER, "read secrets (Get/List) and update the network rules", where,
                          "the pipelines read the service principals' secrets and add the runner's IP to its "
                          "firewall for the run"))
    enabled = {env.subscription_id for _, env in config.environments.enabled()}
    if vault.subscription_id and vault.subscription_id not in enabled:
        needs.append(RoleNeed(DEPLOYER, "Reader", f"subscription {vault.subscription_id}",
                              "the seeding Key Vault lives outside the environments' subscriptions"))
    zone = config.landing_zone
    if isinstance(zone, HubSpokeZone | VwanZone):
        dns = zone.dns
        scope = f"resource group {dns.resource_group or '(hub DNS resource group not set)'}"
        if dns.subscription_id:
            scope += f" in subscription {dns.subscription_id}"
        needs.append(RoleNeed(DEPLOYER, "Private DNS Zone Contributor", scope,
                              "private endpoints register in the hub's private DNS zones, which must exist "
                              "(esml-util/001-set-privateDnsZoneContrib-on-RG.ps1 grants it)"))
    if config.aifactory_extra.get("BYO_SUBNETS", "false").lower() == "true":
        needs.append(RoleNeed(DEPLOYER, "Contributor on the VNet's resource group and Network Contributor on "
                              "the VNet", "your own VNet in each environment",
                              "with bring-your-own subnets the pipelines write NSGs and join subnets"))
    needs.append(RoleNeed("esml-common-sp and each esml-projectNNN-sp", "no Azure role",
                          "created by an Entra ID admin, secrets stored in the seeding Key Vault",
                          "the pipelines grant them scoped access to what they deploy"))
    for project in config.projects:
        members = len(project.members)
        if members:
            kind = "group(s)" if config.identity.use_ad_groups else "user(s)"
            needs.append(RoleNeed(f"project {project.number}'s {members} member {kind}",
                                  "granted by the pipeline (08-rbac-security)",
                                  f"project {project.number}'s resource group",
                                  "members are given their roles as part of the project deployment"))
    needs.append(RoleNeed("a GitHub repository admin (or an Azure DevOps project admin)",
                          "create environments, variables and secrets (GitHub CLI 2.71 or later); in Azure "
                          "DevOps a service connection with access granted to all pipelines",
                          "the repository that runs the AI Factory's workflows",
                          "the uploader and the workflows need them before the first run"))
    return needs
