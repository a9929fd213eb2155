"""The AI Factory's resource and deployment names, reproduced from its v1.24 templates.

One function per name, each taking the configuration, the wizard environment and (for project
names) the project number. `wizard.naming` re-exports them and adds the inventory that rules and
live checks use; this module exists only to keep both files short.

Sources (aifactory.md §3.3, §5.2; read in jostrm/azure-enterprise-scale-ml): 13-rgLevel.bicep
(common names), modules/common/CmnAIfactoryNaming.bicep (project names), infra-common.yml and
infra-project-phase.yml (deployment names), 31-network.bicep (subnets, NSGs). Placeholders:
`{env}` is the AI Factory environment name (stage → `test`), `{loc}` the region short code,
`{salt5}` see `salt5`, `{rand}` the 10-character AIFACTORY_SALT_RANDOM.

Not reproduced: nested module deployment names (the templates cut them with take(…, 64)),
names of services whose templates were not read (Vision, Speech, Document Intelligence, Content
Safety, Databricks, standalone AKS, Logic Apps, Event Hubs, Bot Service).
"""

from __future__ import annotations

from wizard import catalog
from wizard.model import AIF_ENV_NAME, EnvName, FactoryConfig
from wizard.unique_string import unique_string

PLACEHOLDER_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
"""Subscription id in the salt while an environment has none (the salt is then provisional)."""

RANDOM_PLACEHOLDER = "xxxxxxxxxx"
"""Stands for the 10 random characters when AIFACTORY_SALT_RANDOM is not known (right length)."""

PROJECT_STEPS: dict[str, str] = {
    "61": "61-foundation",
    "62": "62-core-infrastructure",
    "63": "63-cognitive-services",
    "64": "64-databases",
    "65": "65-compute-services",
    "66": "66-ai-platform",
    "67": "67-data-ml-platform",
    "68": "68-integration",
    "100": "100-rbac-security",
    "101": "101-rbac-common-rg",
    "69a": "69-aif-a",
    "69b": "69-aif-b",
}
"""Project pipeline steps in run order and the tail of their ARM deployment names (§5.2)."""


# --------------------------------------------------------------------------- inputs


def aif_env(env: EnvName) -> str:
    """The AI Factory's environment name: dev, test (for stage) or prod."""
    return AIF_ENV_NAME[env]


def location_short(config: FactoryConfig, env: EnvName) -> str:
    """AIFACTORY_LOCATION_SHORT: the environment's own code, else the catalog's, else the region."""
    settings = config.environments.get(env)
    return settings.region_short or catalog.short_code(settings.region) or settings.region


def _override(config: FactoryConfig, key: str, env: EnvName) -> str:
    """A BYO name from aifactory_extra (e.g. VNET_NAME_FULL_PARAM), `<network_env>` resolved."""
    value = config.aifactory_extra.get(key, "").strip()
    return value.replace("<network_env>", config.environments.get(env).network_env)


def salt_is_provisional(config: FactoryConfig, env: EnvName) -> bool:
    """True when salt5 is computed from the placeholder subscription (no salt, no subscription)."""
    return not config.naming.salt and not config.environments.get(env).subscription_id


def common_resource_group_id(config: FactoryConfig, env: EnvName) -> str:
    """ARM id of the common resource group, as uniqueString() sees it in 13-rgLevel.bicep."""
    subscription = config.environments.get(env).subscription_id or PLACEHOLDER_SUBSCRIPTION
    return f"/subscriptions/{subscription}/resourceGroups/{common_resource_group(config, env)}"


def salt5(config: FactoryConfig, env: EnvName) -> str:
    """AIFACTORY_SALT: naming.salt if set, else `uniqueString(<common RG id>)[:5]`.

    Without a subscription id the id uses 00000000-0000-0000-0000-000000000000, so the salt
    (and every name holding it) is provisional until the subscription is chosen; see
    `salt_is_provisional`.
    """
    return config.naming.salt or unique_string(common_resource_group_id(config, env))[:5]


def salt_random(config: FactoryConfig) -> str | None:
    """AIFACTORY_SALT_RANDOM when aifactory_extra holds a real one (> 5 characters, no `<`).

    The templates take it when longer than 5 characters; otherwise each pipeline run draws
    10 random hex characters, and names holding it cannot be known in advance.
    """
    value = config.aifactory_extra.get("AIFACTORY_SALT_RANDOM", "").strip()
    return value if len(value) > 5 and "<" not in value else None


def _rand(config: FactoryConfig, clean: bool = True) -> str:
    value = salt_random(config) or RANDOM_PLACEHOLDER
    return value.lower().replace("-", "").replace("_", "") if clean else value


def _nodash(suffix: str) -> str:
    return suffix.replace("-", "")


# --------------------------------------------------------------------------- common names


def common_resource_group(config: FactoryConfig, env: EnvName) -> str:
    """`{prefix}{esml-common}-{loc}-{env}{scaleSetSuffix}`: acme-ai-esml-common-eus2-dev-001."""
    n = config.naming
    return _override(config, "COMMON_RESOURCE_GROUP_PARAM", env) or (
        f"{n.prefix}{n.vnet_resource_group_base}-{location_short(config, env)}-"
        f"{aif_env(env)}{n.scale_set_suffix}"
    )


def vnet_resource_group(config: FactoryConfig, env: EnvName) -> str:
    """Resource group of the VNet: VNET_RESOURCE_GROUP_PARAM (BYO) or the common RG."""
    byo = _override(config, "VNET_RESOURCE_GROUP_PARAM", env)
    return byo or common_resource_group(config, env)


def common_vnet(config: FactoryConfig, env: EnvName) -> str:
    """`{vnt-esmlcmn}-{loc}-{env}{cmnSuffix}` or VNET_NAME_FULL_PARAM: vnt-esmlcmn-eus2-dev-001."""
    n = config.naming
    return _override(config, "VNET_NAME_FULL_PARAM", env) or (
        f"{n.vnet_name_base}-{location_short(config, env)}-{aif_env(env)}"
        f"{n.common_resource_suffix}"
    )


def common_subnets(config: FactoryConfig) -> dict[str, str]:
    """The common VNet's subnets: private endpoints, scoring, Power BI gateway, Bastion."""
    extra = config.aifactory_extra
    common = (
        extra.get("COMMON_SUBNET_NAME") or extra.get("SUBNET_COMMON_BASE") or "snet-esml-cmn-001"
    )
    return {
        "common": common,
        "scoring": f"{common}-scoring",
        "powerbi": extra.get("COMMON_PBI_SUBNET_NAME") or "snet-esml-cmn-pbi-001",
        "bastion": "AzureBastionSubnet",
    }


def common_key_vault(config: FactoryConfig, env: EnvName, admin: bool = False) -> str:
    """`kv-cmn{env}-{salt5}{cmnSuffix}`, or `kv-cmnadm{env}-…` for the admin vault."""
    middle = "cmnadm" if admin else "cmn"
    return f"kv-{middle}{aif_env(env)}-{salt5(config, env)}{config.naming.common_resource_suffix}"


def data_lake(config: FactoryConfig, env: EnvName) -> str:
    """`{lakePrefix}{salt5}esml{001}{env}` (or DATALAKE_NAME_PARAM)."""
    n = config.naming
    return _override(config, "DATALAKE_NAME_PARAM", env) or (
        f"{n.lake_prefix}{salt5(config, env)}esml{_nodash(n.common_resource_suffix)}{aif_env(env)}"
    )


def common_acr(config: FactoryConfig, env: EnvName) -> str:
    """`acrcommon{salt5}{loc}{001}{env}`."""
    suffix = _nodash(config.naming.common_resource_suffix)
    return f"acrcommon{salt5(config, env)}{location_short(config, env)}{suffix}{aif_env(env)}"


def _cmn_style(head: str, config: FactoryConfig, env: EnvName) -> str:
    return (
        f"{head}-cmn-{location_short(config, env)}-{aif_env(env)}-{salt5(config, env)}"
        f"{config.naming.common_resource_suffix}"
    )


def log_analytics(config: FactoryConfig, env: EnvName) -> str:
    """`la-cmn-{loc}-{env}-{salt5}{cmnSuffix}`."""
    return _cmn_style("la", config, env)


def common_data_factory(config: FactoryConfig, env: EnvName) -> str:
    """`adf-cmn-{loc}-{env}-{salt5}{cmnSuffix}`, e.g. adf-cmn-weu-dev-a4c2b-001."""
    return _cmn_style("adf", config, env)


def bastion_host(config: FactoryConfig, env: EnvName) -> str:
    """`bastion-{loc}-{env}{cmnSuffix}`."""
    cmn = config.naming.common_resource_suffix
    return f"bastion-{location_short(config, env)}-{aif_env(env)}{cmn}"


def admin_vm(config: FactoryConfig, env: EnvName) -> str:
    """`dsvm-cmn-{loc}-{env}{cmnSuffix}` (ENABLE_ADMIN_VM)."""
    cmn = config.naming.common_resource_suffix
    return f"dsvm-cmn-{location_short(config, env)}-{aif_env(env)}{cmn}"


def common_deployment_names(config: FactoryConfig, env: EnvName) -> dict[str, str]:
    """ARM deployment names of common steps C1–C3 (infra-common.yml)."""
    n, e, loc = config.naming, aif_env(env), location_short(config, env)
    return {
        "C1": f"esml-cmn-{e}{loc}{n.scale_set_suffix}-DeplRG",
        "C2": f"esml-cmn{e}{n.scale_set_suffix}{n.common_resource_suffix}{loc}Subnets",
        "C3": f"esml-cmn-{e}{loc}{n.scale_set_suffix}{n.common_resource_suffix}-DeplRes",
    }


# --------------------------------------------------------------------------- project names


def project_resource_group(config: FactoryConfig, env: EnvName, project: str) -> str:
    """`{prefix}{esml-}project{NNN}-{loc}-{env}{scaleSetSuffix}{-rg}`."""
    n = config.naming
    return (
        f"{n.prefix}{n.project_prefix}project{project}-{location_short(config, env)}-"
        f"{aif_env(env)}{n.scale_set_suffix}{n.project_suffix}"
    )


def project_subnets(project: str) -> dict[catalog.SubnetKind, str]:
    """The 8 project subnets (all created in v1.24 whatever the flags)."""
    tails: dict[catalog.SubnetKind, str] = {
        "genai": "genai", "aks": "aks", "aks2": "aks-002", "aca": "aca", "aca2": "aca-002",
        "webapp": "webapp", "dbxpub": "dbxpub", "dbxpriv": "dbxpriv",
    }
    return {kind: f"snt-prj{project}-{tail}" for kind, tail in tails.items()}


def project_nsgs(
    config: FactoryConfig, env: EnvName, project: str
) -> dict[catalog.SubnetKind, str]:
    """`{kind}-nsg-prj{NNN}-{loc}-{env}` per project subnet (aks/genai/aca seen, rest inferred)."""
    loc, e = location_short(config, env), aif_env(env)
    return {kind: f"{kind}-nsg-prj{project}-{loc}-{e}" for kind in project_subnets(project)}


def _prj_style(head: str, config: FactoryConfig, env: EnvName, project: str, label: str) -> str:
    """CmnAIfactoryNaming's usual shape: `{head}-{label}-{loc}-{env}-{salt5}{prjSuffix}`."""
    return (
        f"{head}-{label}-{location_short(config, env)}-{aif_env(env)}-{salt5(config, env)}"
        f"{config.naming.project_resource_suffix}"
    )


def project_key_vault(config: FactoryConfig, env: EnvName, project: str) -> str:
    """`kv-p{NNN}-{loc}-{env}-{salt5}{2 digits of prjSuffix}`.

    With a 4-character region code (eus2) this is 25 characters in test and prod, one more than
    Key Vault allows: the AI Factory's own pattern, reported by the name rules.
    """
    two = config.naming.project_resource_suffix[2:4]
    loc = location_short(config, env)
    return f"kv-p{project}-{loc}-{aif_env(env)}-{salt5(config, env)}{two}"


def project_storage(config: FactoryConfig, env: EnvName, project: str, index: int = 1) -> str:
    """`saprj{NNN}{loc}{salt5}{1|2}{001}{env}`: the project's two storage accounts."""
    suffix = _nodash(config.naming.project_resource_suffix)
    loc = location_short(config, env)
    return f"saprj{project}{loc}{salt5(config, env)}{index}{suffix}{aif_env(env)}".replace("-", "")


def project_acr(config: FactoryConfig, env: EnvName, project: str) -> str:
    """`acrprj{NNN}genai{loc}{salt5}{env}{001}` (only when projects do not share the common ACR)."""
    suffix = _nodash(config.naming.project_resource_suffix)
    loc = location_short(config, env)
    return f"acrprj{project}genai{loc}{salt5(config, env)}{aif_env(env)}{suffix}"


def ai_search(config: FactoryConfig, env: EnvName, project: str) -> str:
    """`aisearchprj{NNN}{loc}{env}{salt5}{rand}{001}`, lowercase, no dashes, at most 64."""
    suffix = _nodash(config.naming.project_resource_suffix)
    raw = (
        f"aisearchprj{project}{location_short(config, env)}{aif_env(env)}{salt5(config, env)}"
        f"{_rand(config)}{suffix}"
    )
    return raw.lower().replace("-", "")[:64]


def foundry_account(config: FactoryConfig, env: EnvName, project: str) -> str:
    """AI Foundry v2 account (also its custom subdomain): `aif2{salt5}{rand2}{NNN}{env}`, ≤ 20.

    The random part is the first 2 characters of the cleaned AIFACTORY_SALT_RANDOM (or of a
    per-run random value when unset), as the naming module does for its other random names.
    Unconfirmed: the v1.24 expression could not be read; aifactory.md gives the shape and the
    20-character cap, an earlier template cut `aif2{salt5}{rand}` to 12 characters.
    """
    raw = f"aif2{salt5(config, env)}{_rand(config)[:2]}{project}{aif_env(env)}"
    return raw.lower().replace("-", "")[:20]


def app_insights(config: FactoryConfig, env: EnvName, project: str) -> str:
    """`ain-prj{NNN}-{loc}-{env}-{salt5}{prjSuffix}`."""
    return _prj_style("ain", config, env, project, f"prj{project}")


def project_vm(config: FactoryConfig, env: EnvName, project: str) -> str:
    """`dsvm-prj{NNN}-{loc}-{env}-{salt5}{prjSuffix}` (SERVICE_SETTING_DEPLOY_PROJECT_VM)."""
    return _prj_style("dsvm", config, env, project, f"prj{project}")


def managed_identity(config: FactoryConfig, env: EnvName, project: str, aca: bool = False) -> str:
    """`mi-prj{NNN}-{loc}-{env}-{salt5}{rand}{prjSuffix}` (`mi-aca-…` for Container Apps)."""
    head = "mi-aca" if aca else "mi"
    return (
        f"{head}-prj{project}-{location_short(config, env)}-{aif_env(env)}-"
        f"{salt5(config, env)}{_rand(config, clean=False)}{config.naming.project_resource_suffix}"
    )


_SERVICE_NAMES: dict[str, tuple[str, str, str]] = {
    # service key: (NAME_RULES kind, head, label style: "prj" → prj{NNN}, "num" → {NNN})
    "azure_openai": ("cognitive", "aoai", "num"),
    "azure_ml": ("ml_workspace", "aml", "num"),
    "datafactory": ("data_factory", "adf", "num"),
    "cosmos_db": ("cosmos", "cosmos", "prj"),
    "foundry_caphost": ("cosmos", "cosmos", "prj"),
    "redis": ("redis", "redis", "prj"),
    "postgresql": ("postgres", "pg-flex", "prj"),
    "sql": ("sql", "sql", "prj"),
    "function": ("web", "func", "prj"),
    "webapp": ("web", "webapp", "prj"),
    "container_apps": ("container_apps_env", "aca-env", "prj"),
    "bing": ("generic", "bing", "prj"),
}
"""Project services whose name follows `{head}-{prj{NNN}|{NNN}}-{loc}-{env}-{salt5}{prjSuffix}`."""


def service_kind(service: str) -> str:
    """NAME_RULES kind of a project service's main resource."""
    special = {"ai_foundry": "cognitive", "ai_search": "search", "aks_for_azure_ml": "aks"}
    return special.get(service) or _SERVICE_NAMES[service][0]


def service_name(config: FactoryConfig, env: EnvName, project: str, service: str) -> str | None:
    """Name of a project service's main resource; None when the catalog does not know it."""
    if service == "ai_foundry":
        return foundry_account(config, env, project)
    if service == "ai_search":
        return ai_search(config, env, project)
    if service == "aks_for_azure_ml":
        return f"esml{project}-{location_short(config, env)}-{aif_env(env)}"
    if service not in _SERVICE_NAMES:
        return None
    _, head, style = _SERVICE_NAMES[service]
    return _prj_style(head, config, env, project, f"prj{project}" if style == "prj" else project)


def project_deployment_name(config: FactoryConfig, env: EnvName, project: str, step: str) -> str:
    """`esml-p{NNN}-{env}-{loc}-{prjSuffix}{cmnSuffix}PrjDepl-{step}` (note the `--`)."""
    n = config.naming
    return (
        f"esml-p{project}-{aif_env(env)}-{location_short(config, env)}-"
        f"{n.project_resource_suffix}{n.common_resource_suffix}PrjDepl-{PROJECT_STEPS[step]}"
    )


def project_deployment_names(config: FactoryConfig, env: EnvName, project: str) -> dict[str, str]:
    """Subnet deployment (P6) and steps 61–68, 100, 101, 69a/b, in run order."""
    n = config.naming
    names = {
        "P6": f"esml-p{project}-{aif_env(env)}-{location_short(config, env)}"
        f"{n.scale_set_suffix}SubnetDeplProj"
    }
    names.update({s: project_deployment_name(config, env, project, s) for s in PROJECT_STEPS})
    return names
