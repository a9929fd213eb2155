"""The AI Factory's names in one place: builders, salt, limits, and the full inventory.

Why: users meet the AI Factory's naming only when a deployment fails (a 25-character Key
Vault, a 65-character deployment name, a storage name someone else owns). `all_names` builds
every name of every enabled environment and project so rules can check all limits in one pass,
and `globally_unique_names` gives the live checks the DNS-wide names to test for availability.

The builders live in `wizard.resource_names`, the rules in `wizard.name_rules` and ARM's
uniqueString in `wizard.unique_string`; they are re-exported here so callers need one import.
"""

from __future__ import annotations

from dataclasses import dataclass

from wizard import catalog
from wizard.model import EnvName, FactoryConfig
from wizard.name_rules import NAME_RULES, NameRule, check_name
from wizard.resource_names import (
    PLACEHOLDER_SUBSCRIPTION,
    PROJECT_STEPS,
    RANDOM_PLACEHOLDER,
    admin_vm,
    ai_search,
    aif_env,
    app_insights,
    bastion_host,
    common_acr,
    common_data_factory,
    common_deployment_names,
    common_key_vault,
    common_resource_group,
    common_resource_group_id,
    common_subnets,
    common_vnet,
    data_lake,
    foundry_account,
    location_short,
    log_analytics,
    managed_identity,
    project_acr,
    project_deployment_name,
    project_deployment_names,
    project_key_vault,
    project_nsgs,
    project_resource_group,
    project_storage,
    project_subnets,
    project_vm,
    salt5,
    salt_is_provisional,
    salt_random,
    service_kind,
    service_name,
    vnet_resource_group,
)
from wizard.unique_string import unique_string

__all__ = [
    "NAME_RULES", "PLACEHOLDER_SUBSCRIPTION", "PROJECT_STEPS", "RANDOM_PLACEHOLDER",
    "GeneratedName", "NameRule", "admin_vm", "ai_search", "aif_env", "all_names", "app_insights",
    "bastion_host", "check_name", "common_acr", "common_data_factory", "common_deployment_names",
    "common_key_vault", "common_resource_group", "common_resource_group_id", "common_subnets",
    "common_vnet", "data_lake", "foundry_account", "globally_unique_names", "location_short",
    "log_analytics", "managed_identity", "project_acr", "project_deployment_name",
    "project_deployment_names", "project_key_vault", "project_nsgs", "project_resource_group",
    "project_storage", "project_subnets", "project_vm", "salt5", "salt_is_provisional",
    "salt_random", "service_kind", "service_name", "unique_string", "vnet_resource_group",
]


@dataclass(frozen=True, slots=True)
class GeneratedName:
    """One name the AI Factory will use, with where it comes from."""

    kind: str
    """NAME_RULES key whose limits apply, e.g. `key_vault`."""
    name: str
    """The name itself."""
    environment: EnvName
    """The wizard environment it belongs to (dev, stage, prod)."""
    project: str | None
    """Project number (`001`) for project names; None for common ones."""
    field: str
    """FactoryConfig field a user would change to shorten or alter it."""
    what: str = ""
    """What it names, e.g. `project key vault`."""
    provisional: bool = False
    """Contains a part not known offline (random salt, or salt of a placeholder subscription)."""
    random_part: bool = False
    """Contains AIFACTORY_SALT_RANDOM, unknown here: availability cannot be checked."""

    def problem(self) -> str | None:
        """`check_name` for this name."""
        return check_name(self.kind, self.name)


# --------------------------------------------------------------------------- inventory

_GLOBAL_KINDS = ("storage", "key_vault", "acr", "search", "cognitive")


def _env_names(config: FactoryConfig, env: EnvName) -> list[GeneratedName]:
    """Every common name and every project name of one environment."""
    loc_field = f"environments.{env}.region_short"
    salty = salt_is_provisional(config, env)
    out: list[GeneratedName] = []

    def add(kind: str, name: str, what: str, field: str = loc_field, *,
            project: str | None = None, salted: bool = True, random: bool = False) -> None:
        provisional = random or (salted and salty)
        out.append(GeneratedName(kind, name, env, project, field, what, provisional, random))

    add("resource_group", common_resource_group(config, env), "common resource group",
        "naming.prefix", salted=False)
    add("vnet", common_vnet(config, env), "common VNet", "naming.vnet_name_base", salted=False)
    for role, subnet in common_subnets(config).items():
        add("subnet", subnet, f"common {role} subnet", "", salted=False)
    for admin in (False, True):
        add("key_vault", common_key_vault(config, env, admin),
            "common admin key vault" if admin else "common key vault",
            "naming.common_resource_suffix")
    add("storage", data_lake(config, env), "data lake", "naming.lake_prefix")
    add("acr", common_acr(config, env), "common container registry")
    add("log_analytics", log_analytics(config, env), "Log Analytics workspace")
    if config.services.datafactory_common:
        add("data_factory", common_data_factory(config, env), "common Data Factory")
    if config.access.bastion:
        add("bastion", bastion_host(config, env), "Bastion", salted=False)
    if config.access.admin_vm:
        add("vm", admin_vm(config, env), "admin VM", salted=False)
    for step, name in common_deployment_names(config, env).items():
        add("deployment", name, f"deployment {step}", salted=False)
    use_common_acr = config.aifactory_extra.get("USE_COMMON_ACR_FOR_PROJECTS", "true") != "false"
    for project in config.projects:
        nr = project.number
        services = catalog.active_services(config.project_services(project))

        def padd(kind: str, name: str, what: str, field: str = loc_field, *,
                 salted: bool = True, random: bool = False, nr: str = nr) -> None:
            add(kind, name, f"project {nr} {what}", field, project=nr, salted=salted, random=random)

        padd("resource_group", project_resource_group(config, env, nr), "resource group",
             "naming.prefix", salted=False)
        for role, subnet in project_subnets(nr).items():
            padd("subnet", subnet, f"{role} subnet", "", salted=False)
        for role, nsg in project_nsgs(config, env, nr).items():
            padd("nsg", nsg, f"{role} NSG", salted=False)
        padd("key_vault", project_key_vault(config, env, nr), "key vault")
        for index in (1, 2):
            padd("storage", project_storage(config, env, nr, index), f"storage account {index}")
        if not use_common_acr:
            padd("acr", project_acr(config, env, nr), "container registry")
        padd("app_insights", app_insights(config, env, nr), "Application Insights")
        for aca in (False, True):
            padd("managed_identity", managed_identity(config, env, nr, aca),
                 "Container Apps identity" if aca else "managed identity",
                 random=salt_random(config) is None)
        if config.access.project_vm:
            padd("vm", project_vm(config, env, nr), "jump VM")
        named: set[str] = set()
        for service in services:
            resource = service_name(config, env, nr, service)
            if resource is None or resource in named:  # Cosmos serves two flags
                continue
            named.add(resource)
            random = service in ("ai_foundry", "ai_search") and salt_random(config) is None
            padd(service_kind(service), resource, catalog.SERVICES[service].display_name,
                 "" if service == "ai_foundry" else loc_field,
                 salted=service != "aks_for_azure_ml", random=random)
        for step, deployment in project_deployment_names(config, env, nr).items():
            if step in ("69a", "69b") and "ai_foundry" not in services:
                continue
            padd("deployment", deployment, f"deployment {step}", salted=False)
    return out


def all_names(config: FactoryConfig) -> list[GeneratedName]:
    """Every name of every enabled environment and project, for length and character rules."""
    return [n for env, _ in config.environments.enabled() for n in _env_names(config, env)]


def globally_unique_names(config: FactoryConfig, env: EnvName) -> list[GeneratedName]:
    """Storage, Key Vault, ACR, AI Search and Cognitive names to test for availability.

    Names holding the unknown random salt are left out: they cannot be predicted, so a
    "taken" answer would mean nothing.
    """
    return [
        n for n in _env_names(config, env) if n.kind in _GLOBAL_KINDS and not n.random_part
    ]
