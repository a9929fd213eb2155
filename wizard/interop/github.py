"""What the GitHub side really reads, applied to a .env export.

Three programs read the values of a .env, each under its own names:
* the stock uploader `03a-GH-create-or-update-github-variables.sh` sources the file and uploads
  a fixed list of names as GitHub variables and secrets (UPLOADED_BY_03A);
* the workflows (infra-common.yml, infra-project.yml) read those GitHub variables, some under
  another name than the template gives them (COMMON_LAKE_NAME_PREFIX_MAX8CHARS for LAKE_PREFIX)
  and some that 03a never uploads (READ_BY_WORKFLOWS);
* preflight.sh reads the file itself, again partly under its own names (TEST_CIDR_RANGE).

So a .env the wizard writes carries every spelling (keys.py `Var.spellings`), and the variables
the workflows read but 03a does not upload are named, with the `gh variable set` command that
creates each one (`manual_variables`, rendered by handwork.py).
"""

from __future__ import annotations

from collections.abc import Mapping

from wizard.interop.keys import Var, by_key
from wizard.placeholders import is_placeholder

UPLOAD_SCRIPT = "03a-GH-create-or-update-github-variables.sh"

UPLOADED_BY_03A: frozenset[str] = frozenset({
    # repo_level_vars and service_and_byo_vars (uploaded under the .env's own name)
    "UPDATE_AI_FOUNDRY", "FOUNDRY_DEPLOYMENT_TYPE", "DISABLE_AGENT_NETWORK_INJECTION", "ADMIN_AISEARCH_TIER",
    "VNET_RESOURCE_GROUP_PARAM", "VNET_NAME_FULL_PARAM", "COMMON_RESOURCE_GROUP_PARAM", "DATALAKE_NAME_PARAM",
    "KV_NAME_FROM_COMMON_PARAM", "SUBNET_COMMON", "SUBNET_COMMON_SCORING", "SUBNET_COMMON_POWERBI_GW",
    "SUBNET_PROJ_GENAI", "SUBNET_PROJ_AKS", "SUBNET_PROJ_AKS2", "SUBNET_PROJ_ACA", "SUBNET_PROJ_ACA2",
    "SUBNET_PROJ_WEBAPP", "SUBNET_PROJ_DATABRICKS_PUBLIC", "SUBNET_PROJ_DATABRICKS_PRIVATE", "BYO_ASEV3",
    "BYO_ASE_FULL_RESOURCE_ID", "BYO_ASE_APP_SERVICE_PLAN_RESOURCE_ID", "DEPLOY_MODEL_GPT_X", "MODEL_GPTX_NAME",
    "MODEL_GPTX_VERSION", "MODEL_GPTX_SKU", "MODEL_GPTX_CAPACITY", "DEPLOY_MODEL_TEXT_EMBEDDING_ADA_002",
    "DEPLOY_MODEL_TEXT_EMBEDDING_3_LARGE", "DEPLOY_MODEL_TEXT_EMBEDDING_3_SMALL", "DEFAULT_EMBEDDING_CAPACITY",
    "DEPLOY_MODEL_GPT_54_MINI", "DEFAULT_GPT_54_MINI_VERSION", "DEPLOY_MODEL_GPT_4O", "DEFAULT_GPT_4O_VERSION",
    "DEFAULT_GPT_CAPACITY", "DEFAULT_MODEL_SKU", "COSMOS_KIND", "POSTGRES_ADMIN_EMAILS", "ENABLE_ELASTICSEARCH",
    "ELASTIC_TYPE", "ELASTIC_EMAIL", "ELASTIC_FIRST_NAME", "ELASTIC_LAST_NAME", "ELASTIC_COMPANY_NAME",
    "ELASTIC_DEPLOYMENT_SIZE", "ELASTIC_SKU", "FUNCTION_RUNTIME", "FUNCTION_VERSION", "WEBAPP_RUNTIME",
    "WEBAPP_RUNTIME_VERSION", "ASE_SKU", "ASE_SKU_CODE", "ASE_SKU_WORKERS", "ACA_W_REGISTRY_IMAGE",
    "FOUNDRY_API_MANAGEMENT_RESOURCE_ID", "ENABLE_AKS", "AKS_SKU_NAME", "AKS_SKU_TIER", "AKS_ENABLE_PRIVATE_CLUSTER",
    "DEBUG_DISABLE_05_BUILD_ACR_IMAGE", "DEBUG_DISABLE_61_FOUNDATION", "DEBUG_DISABLE_62_CORE_INFRASTRUCTURE",
    "DEBUG_DISABLE_63_COGNITIVE_SERVICES", "DEBUG_DISABLE_64_DATABASES", "DEBUG_DISABLE_65_COMPUTE_SERVICES",
    "DEBUG_DISABLE_66_AI_PLATFORM", "DEBUG_DISABLE_67_ML_PLATFORM", "DEBUG_DISABLE_68_INTEGRATION",
    "DEBUG_DISABLE_69_AIFOUNDRY_2025", "DEBUG_DISABLE_100_RBAC_SECURITY", "DEBUG_DISABLE_10_AIFACTORY_DASHBOARDS",
    "ADD_AI_FOUNDRY_HUB", "ADD_AI_FOUNDRY", "ADD_AI_SEARCH", "ADD_AZURE_MACHINE_LEARNING",
    "AIFACTORY_LOCATION", "AIFACTORY_LOCATION_SHORT", "AIFACTORY_SUFFIX", "AIFACTORY_PREFIX", "TENANT_AZUREML_OID",
    "LAKE_PREFIX", "LAKE_CONTAINER_NAME", "AISEARCH_SEMANTIC_TIER", "DATABRICKS_PRIVATE", "AML_STUDIO_UI_PRIVATE",
    "USE_AD_GROUPS", "GROUPS_PROJECT_MEMBERS_ESML", "GROUPS_PROJECT_MEMBERS_GENAI_1", "GROUPS_CORETEAM_MEMBERS",
    "PERSONAS_PROJECT_ESML", "PERSONAS_PROJECT_GENAI_1", "PERSONAS_CORE_TEAM", "KEYVAULT_SOFT_DELETE",
    "AIFACTORY_SEEDING_KEYVAULT_NAME", "AIFACTORY_SEEDING_KEYVAULT_RG", "COMMON_SERVICE_PRINCIPAL_KV_S_NAME_APPID",
    "COMMON_SERVICE_PRINCIPAL_KV_S_NAME_SECRET", "INPUT_COMMON_SPID_KEY", "INPUT_COMMON_SPSECRET_KEY",
    "INPUT_COMMON_SP_SECRET_KEY", "COMMON_SERVICE_PRINCIPLE_OID_KEY", "PROJECT_TYPE",
    "PROJECT_SERVICE_PRINCIPAL_KV_S_NAME_APPID", "PROJECT_SERVICE_PRINCIPAL_KV_S_NAME_OID",
    "PROJECT_SERVICE_PRINCIPAL_KV_S_NAME_S", "PROJECT_NUMBER", "PROJECT_MEMBERS_EMAILS", "PROJECT_IP_WHITELIST",
    "TAGS_PROJECT", "AIFACTORY_VERSION_MAJOR", "AIFACTORY_VERSION_MINOR", "AIFACTORY_SALT", "AIFACTORY_SALT_RANDOM",
    "BYO_SUBNETS", "RUN_JOB1_NETWORKING", "USE_COMMON_ACR_FOR_PROJECTS", "ENABLE_DEFENDER_FOR_AI_SUB_LEVEL",
    "ENABLE_DEFENDER_FOR_AI_RESOURCE_LEVEL", "CMK", "CMK_KEY_NAME", "CMK_KEY_VERSION", "CMK_DISABLE_FOR_AI_SEARCH",
    "CMK_DISABLE_FOR_FOUNDRY", "PROJECT_PREFIX", "PROJECT_SUFFIX", "UPDATE_KEYVAULT_RBAC",
    "AIFACTORY_COMMON_ONLY_DEV_ENVIRONMENT", "ADMIN_USERNAME", "ADMIN_HYBRID_BENEFIT",
    "ADMIN_COMMON_RESOURCE_SUFFIX", "ADMIN_PRJ_RESOURCE_SUFFIX", "VNET_RESOURCE_GROUP_BASE", "VNET_NAME_BASE",
    "SUBNET_COMMON_BASE", "COMMON_VNET_CIDR", "COMMON_SUBNET_CIDR", "COMMON_SUBNET_SCORING_CIDR",
    "COMMON_PBI_SUBNET_NAME", "COMMON_PBI_SUBNET_CIDR", "COMMON_BASTION_SUBNET_NAME", "COMMON_BASTION_SUBNET_CIDR",
    "DISABLE_WHITELISTING_FOR_BUILD_AGENTS", "USE_COMMON_ACR_OVERRIDE", "ACR_IP_WHITELIST",
    "ACR_ADMIN_USER_ENABLED", "ACR_DEDICATED", "ACR_SKU", "BYO_CONTRIBUTOR_ROLE_ID",
    "DISABLE_CONTRIBUTOR_ACCESS_FORUSERS", "DISABLE_RBAC_ADMIN_ON_RG_FORUSERS", "DISABLE_SUBNET_JOIN_ACTION",
    "ENABLE_DELETE_FOR_DISABLED_RESOURCES", "DELETE_ALL_SERVICES_FOR_PROJECT", "DELETE_KEYVAULT_ALSO",
    "DELETE_ALL_FOR_PROJECT", "ENABLE_AI_SERVICES", "ENABLE_AI_FOUNDRY_HUB", "ENABLE_AI_FOUNDRY",
    "ENABLE_FOUNDRY_CAPHOST", "CLEAN_FOUNDRY_CAPHOST", "ENABLE_AIFACTORY_CREATED_DEFAULT_PROJECT_FOR_AIFV2",
    "ENABLE_DATAFACTORY", "ENABLE_DATAFACTORY_COMMON", "ENABLE_AZURE_MACHINE_LEARNING", "ENABLE_AKS_FOR_AZURE_ML",
    "ENABLE_DATABRICKS", "ENABLE_AI_SEARCH", "ENABLE_AI_SEARCH_SHARED_PRIVATE_LINK", "ENABLE_AZURE_OPENAI",
    "ENABLE_AZURE_AI_VISION", "ENABLE_AZURE_SPEECH", "ENABLE_AI_DOC_INTELLIGENCE", "ENABLE_BING",
    "ENABLE_BING_CUSTOM_SEARCH", "ENABLE_CONTENT_SAFETY", "ENABLE_COSMOS_DB", "ENABLE_POSTGRESQL",
    "ENABLE_REDIS_CACHE", "ENABLE_SQL_DATABASE", "ENABLE_FUNCTION", "ENABLE_WEBAPP", "ENABLE_CONTAINER_APPS",
    "ENABLE_APPINSIGHTS_DASHBOARD", "ENABLE_LOGIC_APPS", "ENABLE_EVENT_HUBS", "ENABLE_BOT_SERVICE",
    "DEV_NETWORK_ENV", "STAGE_NETWORK_ENV", "PROD_NETWORK_ENV", "AKS_OUTBOUND_TYPE", "AKS_PRIVATE_DNS_ZONE",
    "AKS_AZURE_FIREWALL_PRIVATE_IP", "ADMIN_AKS_GPU_SKU_DEV_OVERRIDE", "ADMIN_AKS_GPU_SKU_TEST_PROD_OVERRIDE",
    "ADMIN_AKS_NODES_DEV_OVERRIDE", "ADMIN_AKS_NODES_TEST_PROD_OVERRIDE", "ADMIN_AKS_VERSION_OVERRIDE",
    "ADMIN_AML_CLUSTER_MAX_NODES_DEV_OVERRIDE", "ADMIN_AML_CLUSTER_MAX_NODES_TEST_PROD_OVERRIDE",
    "ADMIN_AML_CLUSTER_SKU_DEV_OVERRIDE", "ADMIN_AML_CLUSTER_SKU_TEST_PROD_OVERRIDE",
    "ADMIN_AML_COMPUTE_INSTANCE_DEV_SKU_OVERRIDE", "ADMIN_AML_COMPUTE_INSTANCE_TEST_PROD_SKU_OVERRIDE", "TAGS",
    "SERVICE_SETTING_DEPLOY_PROJECT_VM", "DEBUG_DISABLE_VALIDATION_TASKS", "ADMIN_AI_SEARCH_TIER",
    "POLICY_EXEMPTION_ASSIGNMENT_IDS", "POLICY_EXEMPTION_DEFINITION_REFERENCE_IDS",
    # per-environment secrets and variables uploaded under their own name
    "AIFACTORY_SEEDING_KEYVAULT_SUBSCRIPTION_ID", "TENANT_ID", "PROJECT_MEMBERS", "PROJECT_MEMBERS_IP_ADDRESS",
    "DEV_CIDR_RANGE", "STAGE_CIDR_RANGE", "PROD_CIDR_RANGE",
})
"""The .env names whose value 03a uploads under the same name (v1.24: its two arrays, plus the
environment secrets and variables it creates from a variable of the same name)."""

READ_BY_WORKFLOWS: dict[str, str] = {
    "COMMON_LAKE_NAME_PREFIX_MAX8CHARS": "",  # infra-common.yml: no fallback, the lake prefix arrives empty
    "COMMON_SUBNET_NAME": "snet-esml-cmn-001",  # infra-project.yml ignores SUBNET_COMMON_BASE
    "ALLOW_PUBLIC_ACCESS_WHEN_BEHIND_VNET": "false",
    "ENABLE_PUBLIC_GENAI_ACCESS": "false",
    "ENABLE_PUBLIC_ACCESS_WITH_PERIMETER": "false",
    "CENTRAL_DNS_ZONE_BY_POLICY_IN_HUB": "false",
    "PRIV_DNS_SUBSCRIPTION_PARAM": "",
    "PRIV_DNS_RESOURCE_GROUP_PARAM": "",
    "ADD_BASTION_HOST": "false",
    "ENABLE_ADMIN_VM": "false",
    "ENABLE_PROJECT_VM": "false",
    "DATABRICKS_OID": "",
    "DIAGNOSTIC_SETTING_LEVEL": "gold",
    "DISABLE_CONTRIBUTOR_ACCESS_FOR_USERS": "false",
    "DISABLE_RBAC_ADMIN_ON_RG_FOR_USERS": "false",
}
"""Variables the v1.24 workflows read (`vars.NAME` in infra-common.yml and infra-project.yml)
whose upload the .env alone does not ensure: a name the template spells otherwise, or one 03a
does not list. Each maps to what the workflow uses when the variable does not exist."""


def manual_variables(values: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """(name, value, workflow fallback) for each variable the workflows read but 03a does not
    upload, where the .env's value differs from that fallback (placeholders are left to the user)."""
    return [(name, values[name], fallback) for name, fallback in READ_BY_WORKFLOWS.items()
            if name not in UPLOADED_BY_03A and name in values
            and values[name] != fallback and not is_placeholder(values[name])]


def respell(var: Var, name: str, text: str) -> str:
    """`text` (the template spelling's value) as spelling `name` writes it."""
    codec = var.codec_of(name)
    if codec is var.codec:
        return text
    try:
        return codec.encode(var.codec.decode(text))
    except ValueError:  # a placeholder the codec cannot read is written as it is
        return text


def with_spellings(values: dict[str, str], base: Mapping[str, str] | None) -> dict[str, str]:
    """`values` plus, right after each template name, the other names consumers read (same value).

    Without a base file every spelling is written. With one (`base`: its values), a spelling it
    already has is kept in step, and a missing one is added only where the template spelling's
    value changes: an unchanged configuration gives the base back byte for byte."""
    out: dict[str, str] = {}
    for key, text in values.items():
        out[key] = text
        var = by_key(key)
        if var is None:
            continue
        changed = base is None or base.get(key) != text
        for name in var.spellings():
            if base is None or name in base or changed:
                out[name] = respell(var, name, text)
    return out
