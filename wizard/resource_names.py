"""The AI Factory's resource and deployment names, reproduced from its v1.24 templates.

One function per name, each taking the configuration, the wizard environment and (for project
names) the project number. `wizard.naming` re-exports them and adds the inventory that rules,
live checks and `aifactory names` use; this module exists only to keep both files short.

Each builder computes what the bicep expression computes for the same inputs, including its
flaws: where the AI Factory copies a character Azure refuses (an `_` of AIFACTORY_SALT_RANDOM
in an AI Search name), the name keeps it, so the name rules report the failure instead of the
wizard silently predicting a different name.

Sources (read in jostrm/azure-enterprise-scale-ml): 13-rgLevel.bicep (common names),
modules/common/CmnAIfactoryNaming.bicep (project names), esml-genai-1/03-cognitive-services.bicep
(AI Search cut to 60, Vision/Speech/Document Intelligence/Content Safety/Bing, which carry the
*common* suffix), modules/machineLearningAks.bicep (AKS for Azure ML), 08b-rbac-common-rg.bicep
(ADD_AZURE_MACHINE_LEARNING), infra-common.yml and infra-project-phase.yml (deployment names),
31-network.bicep (subnets, NSGs). Placeholders in docstrings: `{env}` is the AI Factory
environment name (stage → `test`), `{loc}` the region short code, `{salt5}` see `salt5`,
`{rand}` AIFACTORY_SALT_RANDOM (`randomSalt` in the bicep).

Not reproduced (their templates were not read): Logic Apps, Event Hubs, Bot Service,
Elastic; `unnamed_services` lists them so callers can say so.
"""

from __future__ import annotations

from dataclasses import dataclass

from wizard import catalog
from wizard.model import AIF_ENV_NAME, EnvName, FactoryConfig
from wizard.unique_string import unique_string

PLACEHOLDER_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
"""Subscription id in the salt while an environment has none (the salt is then provisional)."""

RANDOM_PLACEHOLDER = "xxxxxxxxxx"
"""Stands for the 10 random characters when AIFACTORY_SALT_RANDOM is not known (right length)."""

SALT_RANDOM_FIELD = "aifactory_extra.AIFACTORY_SALT_RANDOM"
"""Where AIFACTORY_SALT_RANDOM lives in a configuration (the model does not hold it)."""

ADD_FLAGS: dict[str, str] = {
    "ai_foundry": "ADD_AI_FOUNDRY",
    "ai_search": "ADD_AI_SEARCH",
    "azure_ml": "ADD_AZURE_MACHINE_LEARNING",
}
"""Service → the AI Factory switch that adds a second instance under a new (random) name.

Kept in `aifactory_extra` under these .env names (an imported variables.yaml's `addAIFoundry`,
`addAISearch`, `addAzureMachineLearning` land there too); "true" in any case turns them on.
"""

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
    """AIFACTORY_SALT_RANDOM as the templates take it, or None when a pipeline run draws it.

    CmnAIfactoryNaming: `randomSalt = empty(s) || length(s) <= 5 ? substring(randomValue, 0, 10)
    : s`. A value of 6 characters or more is used exactly as written, whatever it holds (the
    .env placeholder `<10>` has 4, so it stands for "draw one"); shorter values mean each run
    draws 10 random characters, and names holding them cannot be known in advance.
    """
    value = config.aifactory_extra.get("AIFACTORY_SALT_RANDOM", "")
    return value if len(value) > 5 else None


def adds(config: FactoryConfig, service: str) -> bool:
    """True when ADD_AI_FOUNDRY / ADD_AI_SEARCH / ADD_AZURE_MACHINE_LEARNING is on for `service`."""
    flag = ADD_FLAGS.get(service)
    return flag is not None and config.aifactory_extra.get(flag, "false").strip().lower() == "true"


def _rand(config: FactoryConfig) -> str:
    """`randomSalt`: the known AIFACTORY_SALT_RANDOM or the stand-in for a per-run draw."""
    return salt_random(config) or RANDOM_PLACEHOLDER


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
    """`acrcommon{salt5}{loc}{001}{env}` (containerRegistry.bicep removes the suffix's dash)."""
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


def _prj_style(
    head: str, config: FactoryConfig, env: EnvName, project: str, label: str, *, common: bool = False
) -> str:
    """CmnAIfactoryNaming's usual shape: `{head}-{label}-{loc}-{env}-{salt5}{prjSuffix}`.

    `common=True` takes the common suffix instead, as 03-cognitive-services.bicep does for
    Vision, Speech, Document Intelligence, Content Safety and Bing.
    """
    n = config.naming
    suffix = n.common_resource_suffix if common else n.project_resource_suffix
    return f"{head}-{label}-{location_short(config, env)}-{aif_env(env)}-{salt5(config, env)}{suffix}"


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
    """The project's AI Search service, exactly as the two templates compute it.

    CmnAIfactoryNaming: `org = take(replace(toLower('aisearch' prj{NNN} {loc} {env} {salt5}
    {rand} {001}), '-', ''), 64)`: lowercased, only `-` removed (an `_` stays).
    03-cognitive-services: `take(addAISearch ? org[:-3] + take(rand, 2) + org[-3:] : org, 60)`;
    the two inserted characters are the raw salt, not lowercased.
    """
    rand = _rand(config)
    org = (
        f"aisearchprj{project}{location_short(config, env)}{aif_env(env)}{salt5(config, env)}"
        f"{rand}{_nodash(config.naming.project_resource_suffix)}"
    ).lower().replace("-", "")[:64]
    if adds(config, "ai_search"):
        cut = max(len(org) - 3, 0)
        org = f"{org[:cut]}{rand[:2]}{org[cut:cut + 3]}"
    return org[:60]


def foundry_account(config: FactoryConfig, env: EnvName, project: str) -> str:
    """AI Foundry account (and custom subdomain): a 12-character base, then `{NNN}{env}`.

    Base: `take(replace(toLower('aif2' {salt5} {rand}), '-', ''), 12)` = aif2 + salt5 + the
    first three characters of the random salt, e.g. aif2ywfe4a1b001dev. With ADD_AI_FOUNDRY the
    salt5 gives way to `1`: `aif2` + `1` + rand, cut to 12, e.g. aif21a1b2c3d001dev. Only `-` is
    removed, so an `_` in AIFACTORY_SALT_RANDOM stays (and Azure refuses it).

    The ADD variant (`aifV2NameAdd`) reproduces the v1.24 audit's value; its expression text
    was not in the copies of the repository read here (only its callers), so the `1` is not
    known to follow ADMIN_PRJ_RESOURCE_SUFFIX or anything else.
    """
    head = "aif21" if adds(config, "ai_foundry") else f"aif2{salt5(config, env)}"
    base = f"{head}{_rand(config)}".lower().replace("-", "")[:12]
    return f"{base}{project}{aif_env(env)}"


def ml_workspace(config: FactoryConfig, env: EnvName, project: str) -> str:
    """`aml-{NNN}-{loc}-{env}-{salt5}{prjSuffix}`; ADD_AZURE_MACHINE_LEARNING inserts 2 random.

    The inserted `aifRandom = take(toLower(replace(replace(rand, '-', ''), '_', '')), 2)` is
    cleaned, and the whole name cut to 64: aml-001-eus2-dev-ywfe4a1-001.
    """
    loc, e, s = location_short(config, env), aif_env(env), salt5(config, env)
    suffix = config.naming.project_resource_suffix
    if not adds(config, "azure_ml"):
        return f"aml-{project}-{loc}-{e}-{s}{suffix}"
    clean = _rand(config).replace("-", "").replace("_", "").lower()[:2]
    return f"aml-{project}-{loc}-{e}-{s}{clean}{suffix}"[:64]


def app_insights(config: FactoryConfig, env: EnvName, project: str) -> str:
    """`ain-prj{NNN}-{loc}-{env}-{salt5}{prjSuffix}`."""
    return _prj_style("ain", config, env, project, f"prj{project}")


def project_vm(config: FactoryConfig, env: EnvName, project: str) -> str:
    """`dsvm-prj{NNN}-{loc}-{env}-{salt5}{prjSuffix}` (SERVICE_SETTING_DEPLOY_PROJECT_VM)."""
    return _prj_style("dsvm", config, env, project, f"prj{project}")


def managed_identity(config: FactoryConfig, env: EnvName, project: str, aca: bool = False) -> str:
    """`mi-prj{NNN}-{loc}-{env}-{salt5}{rand}{prjSuffix}` (`mi-aca-…` for Container Apps).

    The random salt goes in as written (no lowercasing, no character removed).
    """
    head = "mi-aca" if aca else "mi"
    return (
        f"{head}-prj{project}-{location_short(config, env)}-{aif_env(env)}-"
        f"{salt5(config, env)}{_rand(config)}{config.naming.project_resource_suffix}"
    )


@dataclass(frozen=True, slots=True)
class ServiceResource:
    """One named resource a project service creates."""

    what: str
    """What it is, e.g. `AI Search service`."""
    kind: str
    """NAME_RULES key whose limits apply."""
    resource_type: str
    """ARM resource type, e.g. `Microsoft.Search/searchServices`."""
    name: str
    """The name the AI Factory gives it."""
    random: bool = False
    """Holds AIFACTORY_SALT_RANDOM."""
    field: str = ""
    """FactoryConfig field to change to alter it; empty: the environment's region code."""
    salted: bool = True
    """Holds salt5 (so it is provisional while the subscription is unknown)."""


_COG = "Microsoft.CognitiveServices/accounts"
_WEB = "Microsoft.Web/sites"
_PLAN = "Microsoft.Web/serverfarms"

_COMMON_SUFFIX_COGNITIVE: dict[str, tuple[str, str]] = {
    "vision": ("vision", "Azure AI Vision account"),
    "speech": ("speech", "Azure AI Speech account"),
    "document_intelligence": ("docs", "Document Intelligence account"),
    "content_safety": ("cs", "Content Safety account"),
}
"""03-cognitive-services.bicep: `{head}-prj{NNN}-{loc}-{env}-{salt5}{cmnSuffix}`."""

_PRJ_SERVICES: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    # service: (head, NAME_RULES kind, ARM type, what) per resource, `{head}-prj{NNN}-…{prjSuffix}`
    "cosmos_db": (("cosmos", "cosmos", "Microsoft.DocumentDB/databaseAccounts", "Cosmos DB account"),),
    "foundry_caphost": (
        ("cosmos", "cosmos", "Microsoft.DocumentDB/databaseAccounts", "Cosmos DB account"),),
    "redis": (("redis", "redis", "Microsoft.Cache/redis", "Redis cache"),),
    "postgresql": (("pg-flex", "postgres", "Microsoft.DBforPostgreSQL/flexibleServers",
                    "PostgreSQL flexible server"),),
    "sql": (("sql", "sql", "Microsoft.Sql/servers", "SQL server"),
            ("sqldb", "sql_database", "Microsoft.Sql/servers/databases", "SQL database")),
    "function": (("func", "web", _WEB, "Function app"),),
    "webapp": (("webapp", "web", _WEB, "web app"),),
    "container_apps": (("aca-env", "container_apps_env", "Microsoft.App/managedEnvironments",
                        "Container Apps environment"),),
}
"""CmnAIfactoryNaming's `{head}-prj{NNN}-{loc}-{env}-{salt5}{prjSuffix}` resources."""

_NUMBER_SERVICES: dict[str, tuple[str, str, str, str]] = {
    # service: (head, kind, ARM type, what), `{head}-{NNN}-{loc}-{env}-{salt5}{prjSuffix}`
    "azure_openai": ("aoai", "cognitive", _COG, "Azure OpenAI account"),
    "datafactory": ("adf", "data_factory", "Microsoft.DataFactory/factories", "Data Factory"),
    "databricks": ("dbx", "databricks", "Microsoft.Databricks/workspaces", "Databricks workspace"),
}
"""Resources named with the bare project number instead of `prj{NNN}`."""

UNNAMED_SERVICES: tuple[str, ...] = ("logic_apps", "event_hubs", "bot_service", "elasticsearch")
"""Services whose v1.24 resource names are not reproduced here."""


def _extra_resources(
    config: FactoryConfig, env: EnvName, project: str, service: str
) -> tuple[ServiceResource, ...]:
    """The second resources some services create: App Service plans, container apps, Bing."""
    loc, e, s = location_short(config, env), aif_env(env), salt5(config, env)
    suffix = config.naming.project_resource_suffix
    if service in ("function", "webapp"):
        head = "func" if service == "function" else "webapp"
        plan = f"{_prj_style(head, config, env, project, f'prj{project}')}-plan"
        return (ServiceResource("App Service plan", "app_service_plan", _PLAN, plan),)
    if service == "aks_for_azure_ml":
        # machineLearningAks.bicep: nodeResourceGroup 'aks-${resourceGroup().name}'.
        node_group = f"aks-{project_resource_group(config, env, project)}"
        return (ServiceResource("AKS node resource group", "resource_group",
                                "Microsoft.Resources/resourceGroups", node_group, field="naming.prefix",
                                salted=False),)
    if service == "container_apps":
        # CmnAIfactoryNaming: 'aca-a-${projectName}${loc}${env}${salt5}${resourceSuffix}' (no dashes
        # between the middle parts), and 'aca-w-…' for the web app.
        return tuple(
            ServiceResource(f"container app ({role})", "container_app", "Microsoft.App/containerApps",
                            f"aca-{letter}-prj{project}{loc}{e}{s}{suffix}")
            for letter, role in (("a", "API"), ("w", "web"))
        )
    return ()


def service_resources(
    config: FactoryConfig, env: EnvName, project: str, service: str
) -> tuple[ServiceResource, ...]:
    """Every named resource `service` creates in one project; () for an unnamed service."""
    loc, e = location_short(config, env), aif_env(env)
    if service == "ai_foundry":
        return (ServiceResource("AI Foundry account", "cognitive", _COG, foundry_account(config, env, project),
                                random=True, field=SALT_RANDOM_FIELD),)
    if service == "ai_search":
        return (ServiceResource("AI Search service", "search", "Microsoft.Search/searchServices",
                                ai_search(config, env, project), random=True),)
    if service == "azure_ml":
        return (ServiceResource("Azure ML workspace", "ml_workspace",
                                "Microsoft.MachineLearningServices/workspaces",
                                ml_workspace(config, env, project), random=adds(config, "azure_ml")),)
    if service in ("aks_for_azure_ml", "aks"):
        # machineLearningAks.bicep: 'aks${projectNumber}-${loc}-${env}'; the standalone cluster is
        # CmnAIfactoryNaming's aksClusterName 'esml${projectNumber}-${loc}-${env}'.
        head, what = ("aks", "AKS for Azure ML") if service == "aks_for_azure_ml" else ("esml", "AKS cluster")
        cluster = ServiceResource(what, "aks", "Microsoft.ContainerService/managedClusters",
                                  f"{head}{project}-{loc}-{e}", salted=False)
        return (cluster, *_extra_resources(config, env, project, service))
    if service in _COMMON_SUFFIX_COGNITIVE:
        head, what = _COMMON_SUFFIX_COGNITIVE[service]
        return (ServiceResource(what, "cognitive", _COG,
                                _prj_style(head, config, env, project, f"prj{project}", common=True),
                                field="naming.common_resource_suffix"),)
    if service in ("bing", "bing_custom_search"):
        head = "bing" if service == "bing" else "bing-custom"
        what = "Bing Search" if service == "bing" else "Bing Custom Search"
        return (ServiceResource(what, "generic", "Microsoft.Bing/accounts",
                                _prj_style(head, config, env, project, f"prj{project}", common=True),
                                field="naming.common_resource_suffix"),)
    if service == "appinsights_dashboard":
        # 'AIFactory${aifactorySuffixRG}-${projectName}-insights-${env}-${salt5}${resourceSuffix}'
        name = (f"AIFactory{config.naming.scale_set_suffix}-prj{project}-insights-{e}-"
                f"{salt5(config, env)}{config.naming.project_resource_suffix}")
        return (ServiceResource("Application Insights dashboard", "generic", "Microsoft.Portal/dashboards",
                                name),)
    if service in _NUMBER_SERVICES:
        head, kind, arm_type, what = _NUMBER_SERVICES[service]
        return (ServiceResource(what, kind, arm_type, _prj_style(head, config, env, project, project)),)
    named = tuple(
        ServiceResource(what, kind, arm_type, _prj_style(head, config, env, project, f"prj{project}"))
        for head, kind, arm_type, what in _PRJ_SERVICES.get(service, ())
    )
    return named + _extra_resources(config, env, project, service)


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


# --------------------------------------------------------------------------- names of the deploy plan
# Resources the plan deploys whose AI Factory names were not in the files read here (the common
# NSGs, the Bastion IP, private endpoints and their links, the Foundry project, the Azure ML
# cluster), or that the AI Factory does not deploy at all (the hub peering and the virtual hub
# connection are manual steps there). They follow the shapes of the names beside them.


def common_nsg(config: FactoryConfig, env: EnvName, role: str) -> str:
    """`{role}-nsg-cmn-{loc}-{env}` for a common subnet (role: common, scoring, pbi, bastion)."""
    return f"{role}-nsg-cmn-{location_short(config, env)}-{aif_env(env)}"


def bastion_public_ip(config: FactoryConfig, env: EnvName) -> str:
    """`pip-{bastion host name}`."""
    return f"pip-{bastion_host(config, env)}"


def hub_peering(config: FactoryConfig, env: EnvName) -> str:
    """The spoke side of the hub peering: `{vnet}-to-hub`."""
    return f"{common_vnet(config, env)}-to-hub"


def hub_connection(config: FactoryConfig, env: EnvName) -> str:
    """The virtual hub connection of an environment's VNet: `conn-{vnet}`."""
    return f"conn-{common_vnet(config, env)}"


def private_endpoint(resource_name: str, group: str) -> str:
    """`{resource}-{group}-pend`: one private endpoint per resource and sub-resource (group id)."""
    return f"{resource_name}-{group}-pend"[:80]


def dns_zone_link(config: FactoryConfig, env: EnvName) -> str:
    """The link of a private DNS zone to the common VNet: `{vnet}-link`."""
    return f"{common_vnet(config, env)}-link"


def foundry_project(project: str) -> str:
    """The default project of a project's AI Foundry account: `prj{NNN}-default`."""
    return f"prj{project}-default"


def ml_cluster(project: str) -> str:
    """The Azure ML compute cluster: `p{NNN}-cpu-cls` (Azure ML allows 16 characters)."""
    return f"p{project}-cpu-cls"


def ml_aks_compute(project: str) -> str:
    """The Azure ML compute that attaches the project's AKS: `p{NNN}-aks`."""
    return f"p{project}-aks"
