"""The AI Factory's names in one place: builders, salt, limits, and the full inventory.

Why: users meet the AI Factory's naming only when a deployment fails (a 25-character Key
Vault, a 65-character deployment name, a storage name someone else owns). `all_names` builds
every name of every enabled environment and project, with its ARM type, so rules can check all
limits in one pass, `aifactory names` can show them, and `globally_unique_names` gives the live
checks the DNS-wide names to test for availability and soft-deleted holders.

The builders live in `wizard.resource_names`, the rules in `wizard.name_rules` and ARM's
uniqueString in `wizard.unique_string`; they are re-exported here so callers need one import.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass

from wizard import catalog
from wizard.findings import Finding
from wizard.model import EnvName, FactoryConfig
from wizard.name_rules import NAME_RULES, NameRule, check_name
from wizard.resource_names import (
    ADD_FLAGS,
    PLACEHOLDER_SUBSCRIPTION,
    PROJECT_STEPS,
    RANDOM_PLACEHOLDER,
    SALT_RANDOM_FIELD,
    UNNAMED_SERVICES,
    ServiceResource,
    adds,
    admin_vm,
    ai_search,
    aif_env,
    app_insights,
    bastion_host,
    bastion_public_ip,
    common_acr,
    common_data_factory,
    common_deployment_names,
    common_key_vault,
    common_nsg,
    common_resource_group,
    common_resource_group_id,
    common_subnets,
    common_vnet,
    data_lake,
    dns_zone_link,
    foundry_account,
    foundry_project,
    hub_connection,
    hub_peering,
    location_short,
    log_analytics,
    managed_identity,
    ml_aks_compute,
    ml_cluster,
    ml_workspace,
    private_endpoint,
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
    service_resources,
    vnet_resource_group,
)
from wizard.unique_string import unique_string

__all__ = [
    "ADD_FLAGS", "NAME_RULES", "PLACEHOLDER_SUBSCRIPTION", "PROJECT_STEPS", "RANDOM_PLACEHOLDER",
    "SALT_RANDOM_FIELD", "UNNAMED_SERVICES", "GeneratedName", "NameRule", "NameSheet",
    "ServiceResource", "adds", "admin_vm", "ai_search", "aif_env", "all_names", "app_insights",
    "bastion_host", "bastion_public_ip", "check_name", "common_acr", "common_data_factory",
    "common_deployment_names", "common_key_vault", "common_nsg", "common_resource_group",
    "common_resource_group_id", "common_subnets", "common_vnet", "data_lake", "dns_zone_link",
    "environment_names", "foundry_account", "foundry_project", "globally_unique_names",
    "hub_connection", "hub_peering", "location_short", "log_analytics", "managed_identity",
    "ml_aks_compute", "ml_cluster", "ml_workspace", "name_findings", "name_sheet",
    "planned_group", "planned_id", "private_endpoint", "project_acr", "project_deployment_name",
    "project_deployment_names", "project_key_vault", "project_nsgs", "project_resource_group", "project_storage",
    "project_subnets", "project_vm", "salt5", "salt_is_provisional", "salt_random",
    "service_resources", "unique_string", "unnamed_services", "vnet_resource_group",
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
    resource_type: str = ""
    """ARM resource type, e.g. `Microsoft.KeyVault/vaults`."""
    fix: str = ""
    """What to change when the name breaks Azure's rule for a reason its `field` does not say."""

    @property
    def rule(self) -> NameRule:
        """Azure's rule for this kind of name."""
        return NAME_RULES.get(self.kind, NAME_RULES["generic"])

    def problem(self) -> str | None:
        """`check_name` for this name."""
        return check_name(self.kind, self.name)

    def hint(self) -> str:
        """What to change so the name passes (meaningful when `problem()` is not None)."""
        if self.fix:
            return self.fix
        if len(self.name) > self.rule.max_length:
            return f"shorten {self.field} so every name fits"
        return f"change {self.field} so the name follows Azure's rule"

    def to_json(self) -> dict[str, object]:
        """The row shape of `aifactory names --json`."""
        problem = self.problem()
        return {
            "environment": self.environment, "project": self.project, "what": self.what,
            "resource_type": self.resource_type, "kind": self.kind, "name": self.name,
            "length": len(self.name), "min_length": self.rule.min_length,
            "max_length": self.rule.max_length, "ok": problem is None, "problem": problem,
            "hint": self.hint() if problem else None, "field": self.field,
            "provisional": self.provisional, "random_part": self.random_part,
        }


# --------------------------------------------------------------------------- inventory

_GLOBAL_KINDS = ("storage", "key_vault", "acr", "search", "cognitive")

_COMMON_SUBNET_ROLES = {
    "common": "common subnet (private endpoints)", "scoring": "common scoring subnet",
    "powerbi": "Power BI gateway subnet", "bastion": "Bastion subnet",
}
_RG = "Microsoft.Resources/resourceGroups"
_DEPLOYMENT = "Microsoft.Resources/deployments"
_SUBNET = "Microsoft.Network/virtualNetworks/subnets"
_KV = "Microsoft.KeyVault/vaults"
_STORAGE = "Microsoft.Storage/storageAccounts"
_ACR = "Microsoft.ContainerRegistry/registries"
_VM = "Microsoft.Compute/virtualMachines"


def environment_names(config: FactoryConfig, env: EnvName) -> list[GeneratedName]:
    """Every name of one environment, enabled or not: common names first, then each project's."""
    loc_field = f"environments.{env}.region_short"
    salty = salt_is_provisional(config, env)
    random_unknown = salt_random(config) is None
    out: list[GeneratedName] = []

    def add(kind: str, name: str, what: str, resource_type: str, field: str = loc_field, *,
            project: str | None = None, salted: bool = True, random: bool = False) -> None:
        unknown = random and random_unknown
        out.append(GeneratedName(kind, name, env, project, field, what, unknown or (salted and salty),
                                 unknown, resource_type))

    add("resource_group", common_resource_group(config, env), "common resource group", _RG,
        "naming.prefix", salted=False)
    add("vnet", common_vnet(config, env), "common VNet", "Microsoft.Network/virtualNetworks",
        "naming.vnet_name_base", salted=False)
    for role, subnet in common_subnets(config).items():
        add("subnet", subnet, _COMMON_SUBNET_ROLES[role], _SUBNET, "", salted=False)
    for admin in (False, True):
        add("key_vault", common_key_vault(config, env, admin),
            "common admin key vault" if admin else "common key vault", _KV,
            "naming.common_resource_suffix")
    add("storage", data_lake(config, env), "data lake", _STORAGE, "naming.lake_prefix")
    add("acr", common_acr(config, env), "common container registry", _ACR)
    add("log_analytics", log_analytics(config, env), "Log Analytics workspace",
        "Microsoft.OperationalInsights/workspaces")
    if config.services.datafactory_common:
        add("data_factory", common_data_factory(config, env), "common Data Factory",
            "Microsoft.DataFactory/factories")
    if config.access.bastion:
        add("bastion", bastion_host(config, env), "Bastion", "Microsoft.Network/bastionHosts",
            salted=False)
    if config.access.admin_vm:
        add("vm", admin_vm(config, env), "admin VM", _VM, salted=False)
    for step, name in common_deployment_names(config, env).items():
        add("deployment", name, f"deployment {step}", _DEPLOYMENT, salted=False)
    use_common_acr = config.aifactory_extra.get("USE_COMMON_ACR_FOR_PROJECTS", "true") != "false"
    for project in config.projects:
        nr = project.number
        services = catalog.active_services(config.project_services(project))

        def padd(kind: str, name: str, what: str, resource_type: str, field: str = loc_field, *,
                 salted: bool = True, random: bool = False, nr: str = nr) -> None:
            add(kind, name, f"project {nr} {what}", resource_type, field, project=nr,
                salted=salted, random=random)

        padd("resource_group", project_resource_group(config, env, nr), "resource group", _RG,
             "naming.prefix", salted=False)
        for role, subnet in project_subnets(nr).items():
            padd("subnet", subnet, f"{role} subnet", _SUBNET, "", salted=False)
        for role, nsg in project_nsgs(config, env, nr).items():
            padd("nsg", nsg, f"{role} NSG", "Microsoft.Network/networkSecurityGroups", salted=False)
        padd("key_vault", project_key_vault(config, env, nr), "key vault", _KV)
        for index in (1, 2):
            padd("storage", project_storage(config, env, nr, index), f"storage account {index}", _STORAGE)
        if not use_common_acr:
            padd("acr", project_acr(config, env, nr), "container registry", _ACR)
        padd("app_insights", app_insights(config, env, nr), "Application Insights",
             "Microsoft.Insights/components")
        for aca in (False, True):
            padd("managed_identity", managed_identity(config, env, nr, aca),
                 "Container Apps identity" if aca else "managed identity",
                 "Microsoft.ManagedIdentity/userAssignedIdentities", random=True)
        if config.access.project_vm:
            padd("vm", project_vm(config, env, nr), "jump VM", _VM)
        named: set[str] = set()
        for service in services:
            for resource in service_resources(config, env, nr, service):
                if resource.name in named:  # Cosmos DB serves two flags
                    continue
                named.add(resource.name)
                padd(resource.kind, resource.name, resource.what, resource.resource_type,
                     resource.field or loc_field, salted=resource.salted,
                     random=resource.random)
        for step, deployment in project_deployment_names(config, env, nr).items():
            if step in ("69a", "69b") and "ai_foundry" not in services:
                continue
            padd("deployment", deployment, f"deployment {step}", _DEPLOYMENT, salted=False)
    return _blame_salt_random(config, env, out)


def _blame_salt_random(
    config: FactoryConfig, env: EnvName, names: list[GeneratedName]
) -> list[GeneratedName]:
    """Point names that only break Azure's rule because of AIFACTORY_SALT_RANDOM at that value.

    The AI Factory copies the random salt into several names with at most `-` removed (and
    sometimes not even lowercased). When the same inventory built from a salt of lowercase
    letters and digits passes where this one fails, the salt is the cause: the finding then
    names AIFACTORY_SALT_RANDOM and the value to use instead.
    """
    rand = salt_random(config)
    if rand is None or re.fullmatch(r"[a-z0-9]+", rand):
        return names
    clean = re.sub(r"[^a-z0-9]", "0", rand.lower())
    extra = {**config.aifactory_extra, "AIFACTORY_SALT_RANDOM": clean}
    alike = environment_names(config.model_copy(update={"aifactory_extra": extra}), env)
    suggestion = (re.sub(r"[^a-z0-9]", "", rand.lower()) + "0" * 10)[:10]
    out = []
    for real, tidy in zip(names, alike, strict=True):
        if real.problem() is not None and tidy.problem() is None:
            kept = "".join(dict.fromkeys(c for c in rand if c in real.name and not re.fullmatch(r"[a-z0-9]", c)))
            fix = (f"the AI Factory copies AIFACTORY_SALT_RANDOM ({rand!r}) into this name keeping "
                   f"{kept!r}; set AIFACTORY_SALT_RANDOM to 10 lowercase letters and digits, "
                   f"e.g. {suggestion}")
            real = dataclasses.replace(real, field=SALT_RANDOM_FIELD, fix=fix)
        out.append(real)
    return out


def all_names(config: FactoryConfig) -> list[GeneratedName]:
    """Every name of every enabled environment and project, for length and character rules."""
    return [n for env, _ in config.environments.enabled() for n in environment_names(config, env)]


def globally_unique_names(config: FactoryConfig, env: EnvName) -> list[GeneratedName]:
    """Storage, Key Vault, ACR, AI Search and Cognitive names to test for availability.

    Names holding the unknown random salt are left out: they cannot be predicted, so a
    "taken" answer would mean nothing.
    """
    return [
        n for n in environment_names(config, env) if n.kind in _GLOBAL_KINDS and not n.random_part
    ]


def planned_group(config: FactoryConfig, generated: GeneratedName) -> str:
    """The resource group the deployment plan puts a globally unique name's resource in: its
    project's, or the common one (as deploy.plan places them)."""
    env = generated.environment
    if generated.project is not None:
        return project_resource_group(config, env, generated.project)
    return common_resource_group(config, env)


def planned_id(config: FactoryConfig, generated: GeneratedName) -> str:
    """The ARM id the deployment plan gives a globally unique name's resource, in its environment's
    subscription: the live names check reads it to tell the factory's own resource from someone else's."""
    subscription = config.environments.get(generated.environment).subscription_id or PLACEHOLDER_SUBSCRIPTION
    return (f"/subscriptions/{subscription}/resourceGroups/{planned_group(config, generated)}/providers/"
            f"{generated.resource_type}/{generated.name}")


def name_findings(config: FactoryConfig) -> Iterator[Finding]:
    """AIF-NAME: each distinct generated name that Azure would refuse, with what to change."""
    seen: set[tuple[str, str]] = set()
    for generated in all_names(config):
        problem = generated.problem()
        if problem is None or (generated.kind, generated.name) in seen:
            continue
        seen.add((generated.kind, generated.name))
        yield Finding("error", "AIF-NAME", f"{generated.kind} name {generated.name!r}: {problem}",
                      generated.hint(), generated.field, generated.environment, "naming")


def unnamed_services(config: FactoryConfig) -> list[tuple[str, str]]:
    """(project, service) pairs switched on whose resource names are not reproduced here."""
    return [
        (project.number, service)
        for project in config.projects
        for service in catalog.active_services(config.project_services(project))
        if service in UNNAMED_SERVICES
    ]


@dataclass(frozen=True, slots=True)
class NameSheet:
    """Every name of the chosen environments with what a reader needs to trust them."""

    names: list[GeneratedName]
    """The names, environment by environment: common ones first, then each project's."""
    salts: dict[EnvName, tuple[str, bool]]
    """Environment -> (salt5, provisional: computed from a placeholder subscription)."""
    salt_random: str | None
    """AIFACTORY_SALT_RANDOM as the templates use it; None when each pipeline run draws one."""
    unnamed: list[tuple[str, str]]
    """(project, service key) of services switched on whose names are not reproduced."""

    @property
    def ok(self) -> bool:
        """True when Azure accepts every name."""
        return all(n.problem() is None for n in self.names)

    def notes(self) -> list[str]:
        """What is provisional or missing, one sentence each."""
        out = [
            f"{env}: salt5 {salt} is computed from a placeholder subscription; set "
            f"environments.{env}.subscription_id (or naming.salt) for the real names"
            for env, (salt, provisional) in self.salts.items() if provisional
        ]
        if self.salt_random is None and any(n.random_part for n in self.names):
            out.append(f"AIFACTORY_SALT_RANDOM is not set, so each pipeline run draws it: names showing "
                       f"{RANDOM_PLACEHOLDER} get 10 random characters there (set it to pin them)")
        out += [f"project {project}: the names {catalog.SERVICES[service].display_name} creates are not "
                "computed here (its template is not reproduced)" for project, service in self.unnamed]
        return out

    def to_json(self) -> dict[str, object]:
        """The document `aifactory names --json` prints."""
        return {
            "ok": self.ok,
            "environments": [{"environment": env, "aif_environment": aif_env(env), "salt5": salt,
                              "salt_provisional": provisional}
                             for env, (salt, provisional) in self.salts.items()],
            "salt_random": self.salt_random,
            "names": [n.to_json() for n in self.names],
            "not_computed": [{"project": p, "service": s, "display_name": catalog.SERVICES[s].display_name}
                             for p, s in self.unnamed],
            "notes": self.notes(),
        }


def name_sheet(config: FactoryConfig, envs: list[EnvName]) -> NameSheet:
    """The names of `envs` (enabled or not) in deployment order, for `aifactory names`."""
    return NameSheet(
        names=[n for env in envs for n in environment_names(config, env)],
        salts={env: (salt5(config, env), salt_is_provisional(config, env)) for env in envs},
        salt_random=salt_random(config),
        unnamed=unnamed_services(config),
    )
