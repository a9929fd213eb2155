"""THE table: every AI Factory variable of `.env.template` and `variables.yaml` (v1.24).

One row per variable says what it is called in each file and where it lives in FactoryConfig:

* `env`  – its name in the GitHub `.env` (the template's spelling; where the template spells it
  twice, the spelling the workflows read). None: Azure DevOps only.
* `ado`  – its name in `variables.yaml`. None: GitHub only.
* `path` – a dotted FactoryConfig path (`environments.dev.cidr_octet`, `projects.0.number`).
  None: the model does not hold it and it is kept verbatim in `config.aifactory_extra`.
* `copies` – more paths import sets to the same value; export reads `path` and says when a
  copy differs (AIFACTORY_LOCATION → all three regions; *_TEST_PROD_* → stage and prod).
* `aliases` – other `.env` spellings of the same variable that an AI Factory consumer reads
  (the template's ADMIN_AI_SEARCH_TIER, preflight.sh's TEST_CIDR_RANGE, 03a's
  PROJECT_IP_WHITELIST …); a generated .env writes every one of them.
* `workflow` – the name the GitHub workflows read where the template spells it differently
  (aifactory.md §4.2); the .env export writes both.
* `spelling_codec` – how the variable's other spellings (its variables.yaml name, its aliases)
  write a value, where that differs from the template's: the .env's `-` for "no IP list" is
  an empty string everywhere else.
* `group` – variables converted together by a function in groups.py (landing zone, models).
* `mirror` – an ADO per-environment copy of one model value (Stage/Prod seeding Key Vault):
  its own text is kept when it differs, the model value is written when there is none.

Canonical key scheme, used in `aifactory_extra`: the `.env` name when there is one, else the
`variables.yaml` name (`Var.key`). A variable no row knows keeps the name it had in its file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from wizard.interop.codecs import (
    CSV,
    FLAG,
    NOT_FLAG,
    OPTIONAL,
    TEXT,
    TODO_WHEN_UNSET,
    WHOLE,
    Codec,
    Csv,
    OptionalText,
)
from wizard.model import FactoryConfig

Format = Literal["env", "ado"]
Group = Literal["landing_zone", "models"]

SECTIONS: dict[str, str] = {
    "github": "GitHub repository (read by the bootstrap scripts only)",
    "tenant": "Tenant and Entra ID object ids",
    "globals": "Region, names and suffixes",
    "environments": "Environments: subscription, address octet, BYO name prefix",
    "seeding": "Seeding Key Vault and the names of the secrets in it",
    "ado": "Azure DevOps service connections",
    "network": "Common network (XX becomes each environment's octet)",
    "access": "Landing zone, DNS and access",
    "project": "The project this run deploys",
    "rbac": "Roles, groups and personas",
    "services": "Services in each project",
    "settings": "Service settings",
    "models": "Model deployments in each project's AI Foundry",
    "sizes": "Tiers, SKUs and sizes",
    "security": "Security and monitoring",
    "byo": "Bring your own network and App Service Environment",
    "tags": "Version and tags",
    "pipeline": "Pipeline behaviour, debugging and placeholders",
}
"""Section order and headings of a generated file; every row names one of these."""


@dataclass(frozen=True)
class Var:
    """One AI Factory variable and where FactoryConfig keeps it."""

    env: str | None
    ado: str | None
    section: str
    path: str | None = None
    codec: Codec = TEXT
    title: str = ""
    """Our own short label; empty means "use the model field's description"."""
    default: str = ""
    """Written by a generated file when the configuration holds nothing for this variable."""
    copies: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    workflow: str | None = None
    group: Group | None = None
    mirror: bool = False
    spelling_codec: Codec | None = None

    @property
    def key(self) -> str:
        """The canonical key: the .env name, else the variables.yaml name."""
        name = self.env or self.ado
        assert name is not None
        return name

    def name(self, fmt: Format) -> str | None:
        """This variable's name in a file of format `fmt` (None: that file has no such variable)."""
        return self.env if fmt == "env" else self.ado

    def spellings(self) -> tuple[str, ...]:
        """The .env names besides the template's that consumers read: the workflows' name, then the aliases."""
        return (*([self.workflow] if self.workflow else []), *self.aliases)

    def codec_of(self, name: str) -> Codec:
        """The codec for the variable written under `name` (see `spelling_codec`)."""
        if self.spelling_codec is not None and name not in (self.env, self.workflow):
            return self.spelling_codec
        return self.codec


def _env_rows() -> list[Var]:
    rows: list[Var] = []
    for env, aif, ado_stage in (("dev", "DEV", "dev"), ("stage", "STAGE", "test"), ("prod", "PROD", "prod")):
        rows += [
            Var(f"{aif}_SUBSCRIPTION_ID", f"{ado_stage}_sub_id", "environments",
                f"environments.{env}.subscription_id", TODO_WHEN_UNSET),
            Var(f"{aif}_CIDR_RANGE", f"{ado_stage}_cidr_range", "environments",
                f"environments.{env}.cidr_octet",  # text: the model refuses a leading zero with the reason
                aliases=("TEST_CIDR_RANGE",) if env == "stage" else ()),  # preflight.sh's name
            Var(f"{aif}_NETWORK_ENV", f"network_env_{env}", "environments", f"environments.{env}.network_env"),
        ]
    return rows


_SEEDING = (
    ("AIFACTORY_SEEDING_KEYVAULT_SUBSCRIPTION_ID", "admin_bicep_input_keyvault_subscription", "subscription_id"),
    ("AIFACTORY_SEEDING_KEYVAULT_RG", "admin_bicep_kv_fw_rg", "resource_group"),
    ("AIFACTORY_SEEDING_KEYVAULT_NAME", "admin_bicep_kv_fw", "name"),
)


def _seeding_rows() -> list[Var]:
    rows = [Var(env, f"dev_{ado}", "seeding", f"identity.seeding_key_vault.{field}", TODO_WHEN_UNSET)
            for env, ado, field in _SEEDING]
    rows += [Var(None, f"{stage}_{ado}", "seeding", f"identity.seeding_key_vault.{field}", TODO_WHEN_UNSET,
                 title=f"{label}: {field.replace('_', ' ')} of the seeding Key Vault", mirror=True)
             for stage, label in (("test", "Stage"), ("prod", "Prod")) for _, ado, field in _SEEDING]
    return rows


_SERVICES = (
    ("ai_foundry", "ENABLE_AI_FOUNDRY", "enableAIFoundry"),
    ("foundry_caphost", "ENABLE_FOUNDRY_CAPHOST", "enableAFoundryCaphost"),
    ("ai_search", "ENABLE_AI_SEARCH", "enableAISearch"),
    ("ai_search_shared_private_link", "ENABLE_AI_SEARCH_SHARED_PRIVATE_LINK", "enableAISearchSharedPrivateLink"),
    ("azure_openai", "ENABLE_AZURE_OPENAI", "enableAzureOpenAI"),
    ("vision", "ENABLE_AZURE_AI_VISION", "enableAzureAIVision"),
    ("speech", "ENABLE_AZURE_SPEECH", "enableAzureSpeech"),
    ("document_intelligence", "ENABLE_AI_DOC_INTELLIGENCE", "enableAIDocIntelligence"),
    ("content_safety", "ENABLE_CONTENT_SAFETY", "enableContentSafety"),
    ("bing", "ENABLE_BING", "enableBing"),
    ("bing_custom_search", "ENABLE_BING_CUSTOM_SEARCH", "enableBingCustomSearch"),
    ("azure_ml", "ENABLE_AZURE_MACHINE_LEARNING", "enableAzureMachineLearning"),
    ("aks_for_azure_ml", "ENABLE_AKS_FOR_AZURE_ML", "enableAksForAzureML"),
    ("aks", "ENABLE_AKS", "enableAKS"),
    ("databricks", "ENABLE_DATABRICKS", "enableDatabricks"),
    ("datafactory", "ENABLE_DATAFACTORY", "enableDatafactory"),
    ("datafactory_common", "ENABLE_DATAFACTORY_COMMON", "enableDatafactoryCommon"),
    ("cosmos_db", "ENABLE_COSMOS_DB", "enableCosmosDB"),
    ("postgresql", "ENABLE_POSTGRESQL", "enablePostgreSQL"),
    ("redis", "ENABLE_REDIS_CACHE", "enableRedisCache"),
    ("sql", "ENABLE_SQL_DATABASE", "enableSQLDatabase"),
    ("container_apps", "ENABLE_CONTAINER_APPS", "enableContainerApps"),
    ("webapp", "ENABLE_WEBAPP", "enableWebApp"),
    ("function", "ENABLE_FUNCTION", "enableFunction"),
    ("logic_apps", "ENABLE_LOGIC_APPS", "enableLogicApps"),
    ("event_hubs", "ENABLE_EVENT_HUBS", "enableEventHubs"),
    ("bot_service", "ENABLE_BOT_SERVICE", "enableBotService"),
    ("elasticsearch", "ENABLE_ELASTICSEARCH", "enableElasticsearch"),
    ("appinsights_dashboard", "ENABLE_APPINSIGHTS_DASHBOARD", "enableAppInsightsDashboard"),
)

_COMPUTE = (
    ("aks_node_sku", "ADMIN_AKS_GPU_SKU_{}_OVERRIDE", "admin_aks_gpu_sku_{}_override", "test_prod", TEXT),
    ("aks_node_count", "ADMIN_AKS_NODES_{}_OVERRIDE", "admin_aks_nodes_{}_override", "testProd", WHOLE),
    ("aml_cluster_max_nodes", "ADMIN_AML_CLUSTER_MAX_NODES_{}_OVERRIDE", "admin_aml_cluster_maxNodes_{}_override",
     "testProd", WHOLE),
    ("aml_cluster_sku", "ADMIN_AML_CLUSTER_SKU_{}_OVERRIDE", "admin_aml_cluster_sku_{}_override", "testProd", TEXT),
    ("compute_instance_sku", "ADMIN_AML_COMPUTE_INSTANCE_{}_SKU_OVERRIDE", "admin_aml_computeInstance_{}_sku_override",
     "testProd", TEXT),
)


def _compute_rows() -> list[Var]:
    rows: list[Var] = []
    for field, env, ado, test_prod, codec in _COMPUTE:
        rows.append(Var(env.format("DEV"), ado.format("dev"), "sizes", f"environments.dev.compute.{field}", codec))
        rows.append(Var(env.format("TEST_PROD"), ado.format(test_prod), "sizes", f"environments.prod.compute.{field}",
                        codec, copies=(f"environments.stage.compute.{field}",)))
    return rows


def _debug_rows() -> list[Var]:
    steps = (("05_BUILD_ACR_IMAGE", "05_build_acr_image"), ("VALIDATION_TASKS", "validation_tasks"),
             ("61_FOUNDATION", "61_foundation"), ("62_CORE_INFRASTRUCTURE", "62_core_infrastructure"),
             ("63_COGNITIVE_SERVICES", "63_cognitive_services"), ("64_DATABASES", "64_databases"),
             ("65_COMPUTE_SERVICES", "65_compute_services"), ("66_AI_PLATFORM", "66_ai_platform"),
             ("67_ML_PLATFORM", "67_data_ml_platform"), ("68_INTEGRATION", "68_integration"),
             ("69_AIFOUNDRY_2025", "69_aifoundry_2025"), ("100_RBAC_SECURITY", "100_rbac_security"),
             ("10_AIFACTORY_DASHBOARDS", "10_aifactory_dashboards"))
    return [Var(f"DEBUG_DISABLE_{env}", f"debug_disable_{ado}", "pipeline",
                default="true" if env == "10_AIFACTORY_DASHBOARDS" else "false",
                title=f"Skip pipeline step {ado.replace('_', ' ')} (debugging only)")
            for env, ado in steps]


def _u(env: str | None, ado: str | None, section: str, default: str, title: str,
       workflow: str | None = None, aliases: tuple[str, ...] = ()) -> Var:
    """A row for a variable the model does not hold (kept in aifactory_extra)."""
    return Var(env, ado, section, default=default, title=title, workflow=workflow, aliases=aliases)


_MODEL = "models"

_PREFLIGHT_SPELLING: dict[str, tuple[str, ...]] = {
    "ENABLE_WEBAPP": ("ENABLE_WEB_APP",),
    "SUBNET_PROJ_DATABRICKS_PUBLIC": ("SUBNET_PROJ_DBX_PUBLIC",),
    "SUBNET_PROJ_DATABRICKS_PRIVATE": ("SUBNET_PROJ_DBX_PRIVATE",),
}
"""The names preflight.sh reads from a .env where the template spells the variable otherwise."""

TABLE: tuple[Var, ...] = (
    # --- GitHub bootstrap
    _u("GITHUB_USERNAME", None, "github", "<todo>", "GitHub user or organisation that owns the new repository"),
    _u("GITHUB_USE_SSH", None, "github", "false", "Clone over SSH instead of HTTPS"),
    _u("GITHUB_TEMPLATE_REPO", None, "github", "azure/enterprise-scale-aifactory",
       "Template repository the bootstrap copies"),
    _u("GITHUB_NEW_REPO", None, "github", "<todo>", "The new repository as owner/name"),
    _u("GITHUB_NEW_REPO_VISIBILITY", None, "github", "private", "public, private or internal"),
    # --- tenant
    Var("TENANT_ID", "tenantId", "tenant", "identity.tenant_id", TODO_WHEN_UNSET),
    Var("TENANT_AZUREML_OID", "azure_machinelearning_sp_oid", "tenant", "identity.azureml_oid", TODO_WHEN_UNSET,
        aliases=("AZURE_MACHINELEARNING_SP_OID",)),
    Var("DATABRICKS_OID", "databricksOID", "tenant", "identity.databricks_oid", TODO_WHEN_UNSET),
    # --- globals
    Var("AIFACTORY_LOCATION", "admin_location", "globals", "environments.dev.region",
        copies=("environments.stage.region", "environments.prod.region")),
    Var("AIFACTORY_LOCATION_SHORT", "admin_locationSuffix", "globals", "environments.dev.region_short", OPTIONAL,
        copies=("environments.stage.region_short", "environments.prod.region_short")),
    Var("AIFACTORY_PREFIX", "admin_aifactoryPrefixRG", "globals", "naming.prefix"),
    Var("AIFACTORY_SUFFIX", "admin_aifactorySuffixRG", "globals", "naming.scale_set_suffix"),
    Var("ADMIN_COMMON_RESOURCE_SUFFIX", "admin_commonResourceSuffix", "globals", "naming.common_resource_suffix"),
    Var("ADMIN_PRJ_RESOURCE_SUFFIX", "admin_prjResourceSuffix", "globals", "naming.project_resource_suffix"),
    Var("PROJECT_PREFIX", "projectPrefix", "globals", "naming.project_prefix"),
    Var("PROJECT_SUFFIX", "projectSuffix", "globals", "naming.project_suffix"),
    Var("LAKE_PREFIX", "commonLakeNamePrefixMax8chars", "globals", "naming.lake_prefix",
        workflow="COMMON_LAKE_NAME_PREFIX_MAX8CHARS"),
    _u("LAKE_CONTAINER_NAME", "lakeContainerName", "globals", "lake3", "Container in the common data lake"),
    Var("VNET_RESOURCE_GROUP_BASE", "vnetResourceGroupBase", "globals", "naming.vnet_resource_group_base"),
    Var("VNET_NAME_BASE", "vnetNameBase", "globals", "naming.vnet_name_base"),
    Var("AIFACTORY_SALT", "aifactory_salt", "globals", "naming.salt", OptionalText(empty="<5>")),
    _u("ADMIN_USERNAME", "adminUsername", "globals", "esmladmin", "Administrator user name of the VMs"),
    _u("ADMIN_HYBRID_BENEFIT", "admin_hybridBenefit", "globals", "false",
       "Azure Hybrid Benefit for Windows VMs (needs eligible licences)"),
    # --- environments
    Var("AIFACTORY_COMMON_ONLY_DEV_ENVIRONMENT", None, "environments", "environments.stage.enabled", NOT_FLAG,
        title="Deploy only Dev (false: Stage and Prod too)", copies=("environments.prod.enabled",)),
    *_env_rows(),
    # --- seeding Key Vault and secret names
    *_seeding_rows(),
    _u("COMMON_SERVICE_PRINCIPAL_KV_S_NAME_APPID", None, "seeding", "esml-common-bicep-sp-id",
       "Secret holding the app id of the service principal that deploys"),
    _u("COMMON_SERVICE_PRINCIPAL_KV_S_NAME_SECRET", None, "seeding", "esml-common-bicep-sp-secret",
       "Secret holding the client secret of the service principal that deploys"),
    _u("INPUT_COMMON_SPID_KEY", "inputCommonSPIDKey", "seeding", "esml-common-sp-id",
       "Secret holding the core team service principal's app id"),
    _u("INPUT_COMMON_SP_SECRET_KEY", "inputCommonSPSecretKey", "seeding", "esml-common-sp-secret",
       "Secret holding the core team service principal's client secret",
       aliases=("INPUT_COMMON_SPSECRET_KEY",)),  # 03a uploads both spellings
    _u("COMMON_SERVICE_PRINCIPLE_OID_KEY", "commonServicePrincipleOIDKey", "seeding", "esml-common-sp-oid",
       "Secret holding the core team service principal's object id"),
    _u("PROJECT_SERVICE_PRINCIPAL_KV_S_NAME_APPID", "project_service_principal_AppID_seeding_kv_name", "seeding",
       "esml-project001-sp-id", "Secret holding the project service principal's app id"),
    _u("PROJECT_SERVICE_PRINCIPAL_KV_S_NAME_OID", "project_service_principal_OID_seeding_kv_name", "seeding",
       "esml-project001-sp-oid", "Secret holding the project service principal's object id"),
    _u("PROJECT_SERVICE_PRINCIPAL_KV_S_NAME_S", "project_service_principal_Secret_seeding_kv_name", "seeding",
       "esml-project001-sp-secret", "Secret holding the project service principal's client secret"),
    # --- Azure DevOps service connections
    *(_u(None, f"{stage}_{kind}service_connection", "ado", "<todo>",
         f"Service connection to the {label} {what}")
      for stage, label in (("dev", "Dev"), ("test", "Stage"), ("prod", "Prod"))
      for kind, what in (("", "subscription"), ("seeding_kv_", "seeding Key Vault's subscription"))),
    # --- common network
    Var("COMMON_VNET_CIDR", "common_vnet_cidr", "network", "network.vnet_cidr"),
    Var("COMMON_SUBNET_CIDR", "common_subnet_cidr", "network", "network.common_subnet_cidr"),
    Var("COMMON_SUBNET_SCORING_CIDR", "common_subnet_scoring_cidr", "network", "network.common_scoring_subnet_cidr"),
    Var("COMMON_PBI_SUBNET_CIDR", "common_pbi_subnet_cidr", "network", "network.common_pbi_subnet_cidr"),
    Var("COMMON_BASTION_SUBNET_CIDR", "common_bastion_subnet_cidr", "network", "network.common_bastion_subnet_cidr"),
    _u("SUBNET_COMMON_BASE", "common_subnet_name", "network", "snet-esml-cmn-001", "Name of the common subnet",
       workflow="COMMON_SUBNET_NAME"),
    _u("COMMON_PBI_SUBNET_NAME", "common_pbi_subnet_name", "network", "snet-esml-cmn-pbi-001",
       "Name of the Power BI gateway subnet"),
    _u("COMMON_BASTION_SUBNET_NAME", "common_bastion_subnet_name", "network", "AzureBastionSubnet",
       "Name of the Bastion subnet; Azure requires AzureBastionSubnet"),
    _u("AKS_OUTBOUND_TYPE", "aksOutboundType", "network", "loadBalancer",
       "AKS egress: loadBalancer, or userDefinedRouting through a firewall"),
    _u("AKS_PRIVATE_DNS_ZONE", "aksPrivateDNSZone", "network", "system",
       "AKS private DNS zone: system, none or a zone resource id"),
    _u("AKS_AZURE_FIREWALL_PRIVATE_IP", "aksAzureFirewallPrivateIp", "network", "",
       "Firewall private IP for userDefinedRouting"),
    _u("POLICY_EXEMPTION_ASSIGNMENT_IDS", "policyExemptionAssignmentIds", "network", "[]",
       "JSON list of policy assignments to exempt on the VNet resource group during agent injection"),
    _u("POLICY_EXEMPTION_DEFINITION_REFERENCE_IDS", "policyExemptionDefinitionReferenceIds", "network", "[]",
       "JSON list narrowing those exemptions to single initiative members"),
    # --- landing zone and access
    Var("CENTRAL_DNS_ZONE_BY_POLICY_IN_HUB", "centralDnsZoneByPolicyInHub", "access", codec=FLAG,
        group="landing_zone", default="false",
        title="Use the hub's private DNS zones, records made by policy (hub/spoke or VWAN)"),
    Var("PRIV_DNS_SUBSCRIPTION_PARAM", "privDnsSubscription_param", "access", codec=OPTIONAL,
        group="landing_zone", title="Subscription of the hub's private DNS zones"),
    Var("PRIV_DNS_RESOURCE_GROUP_PARAM", "privDnsResourceGroup_param", "access", codec=OPTIONAL,
        group="landing_zone", title="Resource group of the hub's private DNS zones"),
    Var("ALLOW_PUBLIC_ACCESS_WHEN_BEHINDVNET", "allowPublicAccessWhenBehindVnet", "access",
        "access.allow_public_access_when_behind_vnet", FLAG, workflow="ALLOW_PUBLIC_ACCESS_WHEN_BEHIND_VNET"),
    Var("ENABLE_PUBLIC_GENAI_ACCESS", "enablePublicGenAIAccess", "access", "access.enable_public_genai_access", FLAG),
    Var("ENABLE_PUBLIC_ACCESS_WITH_PERIMETER", "enablePublicAccessWithPerimeter", "access",
        "access.enable_public_access_with_perimeter", FLAG),
    Var("ADD_BASTION_HOST", "addBastionHost", "access", "access.bastion", FLAG),
    Var("ENABLE_ADMIN_VM", "enableAdminVM", "access", "access.admin_vm", FLAG),
    Var("SERVICE_SETTING_DEPLOY_PROJECT_VM", "serviceSettingDeployProjectVM", "access", "access.project_vm", FLAG,
        workflow="ENABLE_PROJECT_VM"),
    Var("ACR_IP_WHITELIST", "acr_IP_whitelist", "access", "access.acr_ip_allow_list", CSV),
    Var("DISABLE_WHITELISTING_FOR_BUILD_AGENTS", "disable_whitelisting_for_build_agents", "access",
        "access.disable_whitelisting_for_build_agents", FLAG),
    _u("ENABLE_AMPLS", "enableAMPLS", "access", "false", "Azure Monitor private link scope in the hub"),
    _u("AML_STUDIO_UI_PRIVATE", "AMLStudioUIPrivate", "access", "true", "Azure ML studio reachable privately only"),
    _u("DATABRICKS_PRIVATE", "databricksPrivate", "access", "true", "Databricks control plane private too"),
    # --- project
    Var("PROJECT_NUMBER", "project_number_000", "project", "projects.0.number"),
    Var("PROJECT_MEMBERS", "technical_admins_ad_object_id", "project", "projects.0.members", CSV),
    Var("PROJECT_MEMBERS_EMAILS", "technical_admins_email", "project", "projects.0.member_emails", CSV),
    Var("PROJECT_MEMBERS_IP_ADDRESS", "project_IP_whitelist", "project", "access.ip_allow_list", Csv(empty="-"),
        aliases=("PROJECT_IP_WHITELIST",), spelling_codec=CSV),  # "-" reaches bicep as a rule outside the .env
    Var("TAG_COSTCENTER", "tag_costcenter", "project", "projects.0.cost_center"),
    _u("TAGS_PROJECT", "tagsProject", "project", "{}", "Project resource tags as a JSON object"),
    _u("PROJECT_TYPE", "admin_projectType", "project", "all", "Project type; v1.24 always uses all"),
    _u("RUN_JOB1_NETWORKING", "runNetworkingVar", "project", "true",
       "Run the networking job (false skips it on service-only re-runs)"),
    # --- roles, groups, personas
    Var("USE_AD_GROUPS", "use_ad_groups", "rbac", "identity.use_ad_groups", FLAG),
    _u("BYO_CONTRIBUTOR_ROLE_ID", "BYOContributorRoleID", "rbac", "b24988ac-6180-42a0-ab88-20f7382dd24c",
       "Role given to project members in place of Contributor"),
    _u("DISABLE_CONTRIBUTOR_ACCESS_FORUSERS", "disableContributorAccessForUsers", "rbac", "false",
       "Do not give project members Contributor", workflow="DISABLE_CONTRIBUTOR_ACCESS_FOR_USERS"),
    _u("DISABLE_RBAC_ADMIN_ON_RG_FORUSERS", "disableRBACAdminOnRGForUsers", "rbac", "false",
       "Do not let project members assign roles on their resource group",
       workflow="DISABLE_RBAC_ADMIN_ON_RG_FOR_USERS"),
    _u("DISABLE_SUBNET_JOIN_ACTION", "disableSubnetJoinAction", "rbac", "false",
       "Do not grant subnet join rights (manage them outside the AI Factory)"),
    _u("GROUPS_PROJECT_MEMBERS_ESML", "groups_project_members_esml", "rbac", "",
       "Entra group object ids for the ESML personas, comma-separated"),
    _u("GROUPS_PROJECT_MEMBERS_GENAI_1", "groups_project_members_genai_1", "rbac", "",
       "Entra group object ids for the GenAI personas, comma-separated"),
    _u("GROUPS_CORETEAM_MEMBERS", "groups_coreteam_members", "rbac", "",
       "Entra group object ids for the core team personas, comma-separated"),
    _u("PERSONAS_PROJECT_ESML", "personas_project_esml", "rbac",
       "p001_esml_team_lead,p002_esml_team_member_datascientist,p003_esml_team_member_front_end,"
       "p101_esml_team_process_ops", "ESML persona ids"),
    _u("PERSONAS_PROJECT_GENAI_1", "personas_project_genai_1", "rbac",
       "p011_genai_team_lead,p012_genai_team_member_aifoundry,p013_genai_team_member_agentic,"
       "p014_genai_team_member_dataops,p015_genai_team_member_frontend,p102_esml_team_process_ops",
       "GenAI persona ids"),
    _u("PERSONAS_CORE_TEAM", "personas_core_team", "rbac",
       "p080_coreteam_it_admin,coreteam_dataops,p081_coreteam_dataops_fabric,p103_coreteam_team_process_ops",
       "Core team persona ids"),
    # --- services
    *(Var(env, ado, "services", f"services.{field}", FLAG, aliases=_PREFLIGHT_SPELLING.get(env, ()))
      for field, env, ado in _SERVICES),
    Var("DISABLE_AGENT_NETWORK_INJECTION", "disableAgentNetworkInjection", "services",
        "services.agent_network_injection", NOT_FLAG, title="Do not inject Foundry agents into the project subnet"),
    # --- service settings
    _u("UPDATE_AI_FOUNDRY", "updateAIFoundry", "settings", "false", "Update an existing Foundry's settings and roles"),
    _u("ADD_AI_FOUNDRY", "addAIFoundry", "settings", "false", "Add a new Foundry even if one exists"),
    _u("CLEAN_FOUNDRY_CAPHOST", "cleanFoundryCaphost", "settings", "false",
       "Delete capability hosts before redeploying"),
    _u("FOUNDRY_DEPLOYMENT_TYPE", "foundryDeploymentType", "settings", "2",
       "Foundry templates: 1 product group, 2 AVM, 3 try 1 then 2"),
    _u("ENABLE_AIFACTORY_CREATED_DEFAULT_PROJECT_FOR_AIFV2", "enableAIFactoryCreatedDefaultProjectForAIFv2",
       "settings", "true", "The AI Factory creates Foundry's default project"),
    _u("ADD_AZURE_MACHINE_LEARNING", "addAzureMachineLearning", "settings", "false",
       "Add a new Azure ML workspace even if one exists"),
    _u("AKS_SKU_NAME", "aksSkuName", "settings", "Base", "Standalone AKS SKU name"),
    _u("AKS_ENABLE_PRIVATE_CLUSTER", "aksEnablePrivateCluster", "settings", "true",
       "Standalone AKS as a private cluster"),
    _u("ADD_AI_SEARCH", "addAISearch", "settings", "false", "Add a new AI Search even if one exists"),
    _u("BING_CUSTOM_SEARCH_SKU", "bingCustomSearchSku", "settings", "G2", "Bing Custom Search SKU"),
    _u("COSMOS_KIND", "cosmosKind", "settings", "GlobalDocumentDB", "Cosmos DB API: GlobalDocumentDB or MongoDB"),
    _u("POSTGRES_ADMIN_EMAILS", "postGresAdminEmails", "settings", "", "PostgreSQL administrator e-mail"),
    _u("ELASTIC_TYPE", "elasticType", "settings", "ElasticCloud", "Elasticsearch deployment type"),
    _u("ELASTIC_EMAIL", "elasticEmail", "settings", "", "Elastic Cloud account e-mail"),
    _u("ELASTIC_FIRST_NAME", "elasticFirstName", "settings", "", "Elastic Cloud contact first name"),
    _u("ELASTIC_LAST_NAME", "elasticLastName", "settings", "", "Elastic Cloud contact last name"),
    _u("ELASTIC_COMPANY_NAME", "elasticCompanyName", "settings", "", "Elastic Cloud company name"),
    _u("ELASTIC_DEPLOYMENT_SIZE", "elasticDeploymentSize", "settings", "small",
       "Elasticsearch size: small, medium, large"),
    _u("ELASTIC_SKU", "elasticSku", "settings", "ess-consumption-2024_Monthly", "Elastic Cloud SKU"),
    _u("FUNCTION_RUNTIME", "functionRuntime", "settings", "dotnet", "Functions runtime: dotnet, python, node, java"),
    _u("FUNCTION_VERSION", "functionVersion", "settings", "v7.0", "Functions runtime version"),
    _u("WEBAPP_RUNTIME", "webAppRuntime", "settings", "python", "Web app runtime: python, dotnet, node, java"),
    _u("WEBAPP_RUNTIME_VERSION", "webAppRuntimeVersion", "settings", "3.11", "Web app runtime version"),
    _u("ASE_SKU", "aseSku", "settings", "IsolatedV2", "App Service Environment SKU"),
    _u("ASE_SKU_CODE", "aseSkuCode", "settings", "I1v2", "App Service Environment SKU code"),
    _u("ASE_SKU_WORKERS", "aseSkuWorkers", "settings", "1", "App Service Environment workers"),
    _u("ACA_W_REGISTRY_IMAGE", "aca_w_registry_image", "settings",
       "mcr.microsoft.com/azuredocs/containerapps-helloworld:latest", "First image the container app runs"),
    _u("FOUNDRY_API_MANAGEMENT_RESOURCE_ID", "foundryApiManagementResourceId", "settings", "",
       "Existing API Management to use as Foundry's AI gateway (resource id)"),
    _u("USE_COMMON_ACR_FOR_PROJECTS", "useCommonACR", "settings", "true",
       "Projects share the common container registry"),
    _u("USE_COMMON_ACR_OVERRIDE", "useCommonACR_override", "settings", "true",
       "Projects share the common container registry (override)"),
    _u("ACR_ADMIN_USER_ENABLED", "acr_adminUserEnabled", "settings", "false", "Container registry admin user"),
    _u("ACR_DEDICATED", "acr_dedicated", "settings", "true", "Dedicated (Premium) container registry"),
    _u("ENABLE_AI_SERVICES", "enableAIServices", "settings", "false", "Deprecated: standalone AI Services account"),
    _u("ENABLE_AI_FOUNDRY_HUB", "enableAIFoundryHub", "settings", "false", "Deprecated: AI Foundry hub (v1)"),
    _u("ADD_AI_FOUNDRY_HUB", "addAIFoundryHub", "settings", "false", "Deprecated: add a new AI Foundry hub (v1)"),
    # --- models (groups.py turns these into skus.models)
    Var("DEPLOY_MODEL_GPT_X", "deployModel_gpt_X", _MODEL, codec=FLAG, group="models", default="false",
        title="Deploy the model named in MODEL_GPTX_NAME"),
    Var("MODEL_GPTX_NAME", "modelGPTXName", _MODEL, group="models", default="gpt-5.1", title="GPT-X model name"),
    Var("MODEL_GPTX_VERSION", "modelGPTXVersion", _MODEL, group="models",
        title="GPT-X model version; empty takes the latest"),
    Var("MODEL_GPTX_SKU", "modelGPTXSku", _MODEL, group="models", default="DataZoneStandard",
        title="GPT-X deployment type"),
    Var("MODEL_GPTX_CAPACITY", "modelGPTXCapacity", _MODEL, codec=WHOLE, group="models", default="30",
        title="GPT-X capacity in thousands of tokens per minute"),
    Var("DEPLOY_MODEL_TEXT_EMBEDDING_ADA_002", "deployModel_text_embedding_ada_002", _MODEL, codec=FLAG,
        group="models", default="false", title="Deploy text-embedding-ada-002"),
    Var("DEPLOY_MODEL_TEXT_EMBEDDING_3_LARGE", "deployModel_text_embedding_3_large", _MODEL, codec=FLAG,
        group="models", default="false", title="Deploy text-embedding-3-large"),
    Var("DEPLOY_MODEL_TEXT_EMBEDDING_3_SMALL", "deployModel_text_embedding_3_small", _MODEL, codec=FLAG,
        group="models", default="false", title="Deploy text-embedding-3-small"),
    Var("DEFAULT_EMBEDDING_CAPACITY", "default_embedding_capacity", _MODEL, codec=WHOLE, group="models",
        default="25", title="Embedding capacity in thousands of tokens per minute"),
    Var("DEPLOY_MODEL_GPT_54_MINI", "deployModel_gpt_54_mini", _MODEL, codec=FLAG, group="models",
        default="false", title="Deploy gpt-5.4-mini"),
    Var("DEFAULT_GPT_54_MINI_VERSION", "default_gpt_54_mini_version", _MODEL, group="models",
        default="2026-03-17", title="gpt-5.4-mini version"),
    Var("DEPLOY_MODEL_GPT_4O", "deployModel_gpt_4o", _MODEL, codec=FLAG, group="models", default="false",
        title="Deploy gpt-4o"),
    Var("DEFAULT_GPT_4O_VERSION", "default_gpt_4o_version", _MODEL, group="models", default="2024-11-20",
        title="gpt-4o version"),
    Var("DEFAULT_GPT_CAPACITY", "default_gpt_capacity", _MODEL, codec=WHOLE, group="models", default="40",
        title="gpt-4o and gpt-5.4-mini capacity in thousands of tokens per minute"),
    Var("DEFAULT_MODEL_SKU", "default_model_sku", _MODEL, group="models", default="Standard",
        title="Deployment type of the fixed models: Standard, DataZoneStandard, GlobalStandard"),
    # --- tiers, SKUs, sizes
    Var("ADMIN_AISEARCH_TIER", "admin_aiSearchTier", "sizes", "skus.ai_search_tier",
        aliases=("ADMIN_AI_SEARCH_TIER",)),
    Var("AISEARCH_SEMANTIC_TIER", "admin_semanticSearchTier", "sizes", "skus.semantic_tier",
        aliases=("ADMIN_SEMANTIC_SEARCH_TIER",)),
    Var("ACR_SKU", "acr_SKU", "sizes", "skus.acr_sku"),
    Var("ADMIN_AKS_VERSION_OVERRIDE", "admin_aks_version_override", "sizes", "skus.aks_version"),
    Var("AKS_SKU_TIER", "aksSkuTier", "sizes", "skus.aks_sku_tier"),
    *_compute_rows(),
    # --- security
    Var("CMK", "cmk", "security", "security.cmk", FLAG),
    Var("CMK_KEY_NAME", "cmkKeyName", "security", "security.cmk_key_name", OPTIONAL),
    _u("CMK_KEY_VERSION", "cmkKeyVersion", "security", "", "CMK key version; empty uses the latest"),
    _u("CMK_DISABLE_FOR_AI_SEARCH", "cmkDisableForAISearch", "security", "true", "No CMK for AI Search"),
    _u("CMK_DISABLE_FOR_FOUNDRY", "cmkDisableForFoundry", "security", "true", "No CMK for AI Foundry"),
    Var("KEYVAULT_SOFT_DELETE", "admin_keyvaultSoftDeleteDays", "security", "security.keyvault_soft_delete_days",
        WHOLE),
    _u("UPDATE_KEYVAULT_RBAC", "updateKeyvaultRbac", "security", "false", "Update Key Vault roles on a re-run"),
    Var("ENABLE_DEFENDER_FOR_AI_SUB_LEVEL", "enableDefenderforAISubLevel", "security",
        "security.defender_for_ai_subscription", FLAG),
    Var("ENABLE_DEFENDER_FOR_AI_RESOURCE_LEVEL", "enableDefenderforAIResourceLevel", "security",
        "security.defender_for_ai_resource", FLAG),
    Var("DIAGNOSTIC_SETTING_LEVEL", "diagnosticSettingLevel", "security", "security.diagnostic_level"),
    # bring-your-own monitoring: read by preflight.sh (APPI_NO_CONNSTR, APPI_NO_LAW), not in the templates
    _u("EXISTING_APPLICATION_INSIGHTS_RESOURCE_ID", "existingApplicationInsightsResourceId", "security", "",
       "Existing Application Insights to use (resource id); empty creates one"),
    _u("EXISTING_APPLICATION_INSIGHTS_CONNECTION_STRING", "existingApplicationInsightsConnectionString",
       "security", "", "Connection string of that Application Insights"),
    _u("EXISTING_LOG_ANALYTICS_WORKSPACE_RESOURCE_ID", "existingLogAnalyticsWorkspaceResourceId", "security", "",
       "Log Analytics workspace behind that Application Insights (resource id)"),
    _u("ALLOW_MIXED_OBSERVABILITY_WORKSPACES", "allowMixedObservabilityWorkspaces", "security", "false",
       "Allow that Application Insights without its Log Analytics workspace"),
    # --- bring your own
    _u("BYO_SUBNETS", "BYO_subnets", "byo", "false", "Use existing subnets named below"),
    *(_u(env, ado, "byo", "", title) for env, ado, title in (
        ("VNET_RESOURCE_GROUP_PARAM", "vnetResourceGroup_param", "Resource group of an existing VNet"),
        ("VNET_NAME_FULL_PARAM", "vnetNameFull_param", "Name of an existing VNet"),
        ("COMMON_RESOURCE_GROUP_PARAM", "commonResourceGroup_param", "Own name for the common resource group"),
        ("DATALAKE_NAME_PARAM", "datalakeName_param", "Own name for the data lake storage account"),
        ("KV_NAME_FROM_COMMON_PARAM", "kvNameFromCOMMON_param", "Own name for the common Key Vault"),
        ("SUBNET_COMMON", "subnetCommon", "Existing common subnet"),
        ("SUBNET_COMMON_SCORING", "subnetCommonScoring", "Existing scoring subnet"),
        ("SUBNET_COMMON_POWERBI_GW", "subnetCommonPowerbiGw", "Existing Power BI gateway subnet"),
        ("SUBNET_PROJ_GENAI", "subnetProjGenAI", "Existing project private-endpoint subnet (<xxx> = project)"),
        ("SUBNET_PROJ_AKS", "subnetProjAKS", "Existing project AKS subnet"),
        ("SUBNET_PROJ_AKS2", "subnetProjAKS2", "Existing project Azure ML AKS subnet"),
        ("SUBNET_PROJ_ACA", "subnetProjACA", "Existing project Container Apps subnet"),
        ("SUBNET_PROJ_ACA2", "subnetProjACA2", "Existing project agent subnet"),
        ("SUBNET_PROJ_WEBAPP", "subnetProjWebapp", "Existing project web app subnet"),
    )),
    *(_u(env, ado, "byo", "", title, aliases=_PREFLIGHT_SPELLING[env]) for env, ado, title in (
        ("SUBNET_PROJ_DATABRICKS_PUBLIC", "subnetProjDatabricksPublic", "Existing Databricks public subnet"),
        ("SUBNET_PROJ_DATABRICKS_PRIVATE", "subnetProjDatabricksPrivate", "Existing Databricks private subnet"),
    )),
    _u("BYO_ASEV3", "byoASEv3", "byo", "false", "Use an existing App Service Environment v3"),
    _u("BYO_ASE_FULL_RESOURCE_ID", "byoAseFullResourceId", "byo", "",
       "Resource id of that App Service Environment, without a leading /"),
    _u("BYO_ASE_APP_SERVICE_PLAN_RESOURCE_ID", "byoAseAppServicePlanResourceId", "byo", "",
       "Existing App Service plan in that environment"),
    # --- version and tags
    _u("AIFACTORY_VERSION_MAJOR", "aifactory_version_major", "tags", "1", "AI Factory major version"),
    _u("AIFACTORY_VERSION_MINOR", "aifactory_version_minor", "tags", "24", "AI Factory minor version"),
    _u("AIFACTORY_BRANCH_CHOSEN", "aifactory_branch_chosen", "tags", "release/v1.24", "AI Factory release branch"),
    _u("TAG_COSTCETER_COMMON", "tag_costceter_common", "tags", "9999", "Cost centre tag of the common resources"),
    _u("TAG_REPOSITORY", "tag_repository", "tags", "aifactory", "Repository tag"),
    _u("TAG_REPOSITORY_BRANCH", "tag_repository_branch", "tags", "aifactory-001", "Repository branch tag"),
    _u("TAGS", "tags", "tags", "{}", "Common resource tags as a JSON object"),
    # --- pipeline behaviour
    _u("ENABLE_DELETE_FOR_DISABLED_RESOURCES", "enableDeleteForDisabledResources", "pipeline", "true",
       "Delete services whose switch is off"),
    _u("DELETE_ALL_SERVICES_FOR_PROJECT", "deleteAllServicesForProject", "pipeline", "false",
       "Delete every service of the project before deploying"),
    _u("DELETE_KEYVAULT_ALSO", "deleteKeyvaultAlso", "pipeline", "false", "Also delete the project Key Vault"),
    _u("DELETE_ALL_FOR_PROJECT", "deleteAllForProject", "pipeline", "false",
       "Delete everything of the project, subnets included"),
    *_debug_rows(),
    _u("DEBUG_ENABLE_CLEANING", "debugEnableCleaning", "pipeline", "false", "Clean up after a failed deployment"),
    _u("ENABLE_RETRIES", "enableRetries", "pipeline", "false", "Retry failed service deployments"),
    _u("RETRY_MINUTES", "retryMinutes", "pipeline", "5", "Minutes before the first retry"),
    _u("RETRY_MINUTES_EXTENDED", "retryMinutesExtended", "pipeline", "15", "Minutes before the second retry"),
    _u("MAX_RETRY_ATTEMPTS", "maxRetryAttempts", "pipeline", "2", "Attempts in all: 1, 2 or 3"),
    _u("AIFACTORY_SALT_RANDOM", "aifactory_salt_random", "pipeline", "<10>",
       "Random salt; the pipeline fills it in"),
    _u("ADMIN_IP_FW", "admin_ip_fw", "pipeline", "", "Runner IP; the pipeline fills it in"),
)


MANDATORY: frozenset[str] = frozenset({
    # .env.template v1.24: the variables whose comment starts with <mandatory>
    "GITHUB_USERNAME", "GITHUB_NEW_REPO", "TENANT_ID", "TENANT_AZUREML_OID", "AIFACTORY_LOCATION",
    "AIFACTORY_LOCATION_SHORT", "ADMIN_AISEARCH_TIER", "AISEARCH_SEMANTIC_TIER", "AIFACTORY_SUFFIX",
    "AIFACTORY_SEEDING_KEYVAULT_SUBSCRIPTION_ID", "AIFACTORY_SEEDING_KEYVAULT_NAME",
    "AIFACTORY_SEEDING_KEYVAULT_RG", "DEV_SUBSCRIPTION_ID", "DEV_CIDR_RANGE", "STAGE_CIDR_RANGE",
    "PROD_CIDR_RANGE", "AZURE_MACHINELEARNING_SP_OID", "INPUT_COMMON_SPID_KEY", "INPUT_COMMON_SP_SECRET_KEY",
    "COMMON_SERVICE_PRINCIPLE_OID_KEY", "PROJECT_NUMBER", "PROJECT_MEMBERS", "RUN_JOB1_NETWORKING",
    "ENABLE_AI_FOUNDRY", "ADMIN_AI_SEARCH_TIER", "ADMIN_SEMANTIC_SEARCH_TIER", "GROUPS_PROJECT_MEMBERS_ESML",
    "GROUPS_PROJECT_MEMBERS_GENAI_1", "GROUPS_CORETEAM_MEMBERS",
    # variables.yaml v1.24
    "admin_location", "admin_locationSuffix", "admin_aiSearchTier", "admin_semanticSearchTier",
    "dev_admin_bicep_input_keyvault_subscription", "dev_admin_bicep_kv_fw_rg", "dev_admin_bicep_kv_fw",
    "test_admin_bicep_input_keyvault_subscription", "test_admin_bicep_kv_fw_rg", "test_admin_bicep_kv_fw",
    "prod_admin_bicep_input_keyvault_subscription", "prod_admin_bicep_kv_fw_rg", "prod_admin_bicep_kv_fw",
    "azure_machinelearning_sp_oid", "tenantId", "dev_service_connection", "test_service_connection",
    "prod_service_connection", "dev_seeding_kv_service_connection", "test_seeding_kv_service_connection",
    "prod_seeding_kv_service_connection", "admin_aifactorySuffixRG", "dev_sub_id", "common_vnet_cidr",
    "common_subnet_cidr", "common_subnet_scoring_cidr", "common_pbi_subnet_name", "common_pbi_subnet_cidr",
    "common_bastion_subnet_name", "common_bastion_subnet_cidr", "dev_cidr_range", "test_cidr_range",
    "prod_cidr_range", "project_number_000", "acr_dedicated", "acr_SKU", "technical_admins_ad_object_id",
    "enableAIFoundry", "enableAISearch", "runNetworkingVar", "admin_projectType",
})
"""The names the AI Factory's templates tag <mandatory>; every other variable is <optional>.
preflight.sh takes a `<todo>` in a mandatory variables.yaml line as blocking, elsewhere as a warning."""


def is_mandatory(fmt: Format, name: str) -> bool:
    """True when the templates tag this name, or the variable it spells in this format, <mandatory>."""
    found = lookup(fmt, name)
    return name in MANDATORY or (found is not None and found[0].name(fmt) in MANDATORY)


@cache
def _env_index() -> dict[str, tuple[Var, int]]:
    """Every .env spelling → (row, rank). Rank 0 is the name the workflows read, then come the
    template's name and its other spellings; when two spellings disagree the lower rank wins."""
    index: dict[str, tuple[Var, int]] = {}
    for var in TABLE:
        if var.env is not None:
            names = ([var.workflow] if var.workflow else []) + [var.env, *var.aliases]
            index.update((name, (var, rank)) for rank, name in enumerate(names))
    return index


@cache
def _ado_index() -> dict[str, Var]:
    return {var.ado: var for var in TABLE if var.ado is not None}


def lookup(fmt: Format, name: str) -> tuple[Var, int] | None:
    """The row for a file's variable name, with its rank among spellings (lower wins)."""
    if fmt == "env":
        return _env_index().get(name)
    var = _ado_index().get(name)
    return None if var is None else (var, 0)


def by_key(key: str) -> Var | None:
    """The row whose canonical key is `key`."""
    found = lookup("env", key) or lookup("ado", key)
    return found[0] if found is not None and found[0].key == key else None


@cache
def _defaults() -> FactoryConfig:
    return FactoryConfig()


def get_path(obj: object, path: str) -> object:
    """The value at a dotted path such as `projects.0.number`; IndexError for a missing item."""
    for part in path.split("."):
        obj = obj[int(part)] if part.isdigit() else getattr(obj, part)  # type: ignore[index]
    return obj


_ENV_LABEL: dict[str, str] = {"dev": "Dev", "stage": "Stage", "prod": "Prod"}


def title(var: Var) -> str:
    """A one-line label: the row's own title, else the first sentence of the model field's
    description without its parenthesised AI Factory names, prefixed by the environment."""
    if var.title or var.path is None:
        return var.title
    *parents, field = var.path.split(".")
    owner = get_path(_defaults(), ".".join(parents)) if parents else _defaults()
    description = type(owner).model_fields[field].description or field  # type: ignore[attr-defined]
    first_sentence = re.split(r"\.\s+(?=[A-Z])", description)[0]
    text = re.sub(r"\s*\([^)]*\)", "", first_sentence).rstrip(".")
    if parents[:1] == ["environments"]:
        envs = {parents[1], *(copy.split(".")[1] for copy in var.copies)}
        labels = [label for env, label in _ENV_LABEL.items() if env in envs]
        text = f"{', '.join(labels[:-1])} and {labels[-1]}: {text}" if len(labels) > 1 else f"{labels[0]}: {text}"
    return text
