"""Which AI Factory variables its v1.24 templates tag `<mandatory>`.

preflight.sh decides how a `<todo>` or `<optional>` placeholder left in variables.yaml counts by
the first `<mandatory>` or `<optional>` tag in that variable's comment (no tag counts as
optional): FAIL (CONFIG_MANDATORY_UNSET) or WARN (CONFIG_OPTIONAL_UNSET). The wizard carries no
copy of the templates, so the tagged names are listed here as the v1.24 files have them; a test
reads the reference templates and holds these lists to them.
"""

from __future__ import annotations

MANDATORY_ADO: frozenset[str] = frozenset({
    "acr_SKU", "acr_dedicated", "admin_aiSearchTier", "admin_aifactorySuffixRG", "admin_location",
    "admin_locationSuffix", "admin_projectType", "admin_semanticSearchTier", "azure_machinelearning_sp_oid",
    "common_bastion_subnet_cidr", "common_bastion_subnet_name", "common_pbi_subnet_cidr", "common_pbi_subnet_name",
    "common_subnet_cidr", "common_subnet_scoring_cidr", "common_vnet_cidr",
    "dev_admin_bicep_input_keyvault_subscription", "dev_admin_bicep_kv_fw", "dev_admin_bicep_kv_fw_rg",
    "dev_cidr_range", "dev_seeding_kv_service_connection", "dev_service_connection", "dev_sub_id",
    "enableAIFoundry", "enableAISearch", "prod_admin_bicep_input_keyvault_subscription", "prod_admin_bicep_kv_fw",
    "prod_admin_bicep_kv_fw_rg", "prod_cidr_range", "prod_seeding_kv_service_connection", "prod_service_connection",
    "project_number_000", "runNetworkingVar", "technical_admins_ad_object_id", "tenantId",
    "test_admin_bicep_input_keyvault_subscription", "test_admin_bicep_kv_fw", "test_admin_bicep_kv_fw_rg",
    "test_cidr_range", "test_seeding_kv_service_connection", "test_service_connection",
})
"""Variables whose comment in azure-devops/variables.yaml starts its tags with `<mandatory>`."""

MANDATORY_ENV: frozenset[str] = frozenset({
    "ADMIN_AISEARCH_TIER", "ADMIN_AI_SEARCH_TIER", "ADMIN_SEMANTIC_SEARCH_TIER", "AIFACTORY_LOCATION",
    "AIFACTORY_LOCATION_SHORT", "AIFACTORY_SEEDING_KEYVAULT_NAME", "AIFACTORY_SEEDING_KEYVAULT_RG",
    "AIFACTORY_SEEDING_KEYVAULT_SUBSCRIPTION_ID", "AIFACTORY_SUFFIX", "AISEARCH_SEMANTIC_TIER",
    "AZURE_MACHINELEARNING_SP_OID", "COMMON_SERVICE_PRINCIPLE_OID_KEY", "DEV_CIDR_RANGE", "DEV_SUBSCRIPTION_ID",
    "ENABLE_AI_FOUNDRY", "GITHUB_NEW_REPO", "GITHUB_USERNAME", "GROUPS_CORETEAM_MEMBERS",
    "GROUPS_PROJECT_MEMBERS_ESML", "GROUPS_PROJECT_MEMBERS_GENAI_1", "INPUT_COMMON_SPID_KEY",
    "INPUT_COMMON_SP_SECRET_KEY", "PROD_CIDR_RANGE", "PROJECT_MEMBERS", "PROJECT_NUMBER", "RUN_JOB1_NETWORKING",
    "STAGE_CIDR_RANGE", "TENANT_AZUREML_OID", "TENANT_ID",
})
"""Variables whose comment in github-actions/.env.template starts its tags with `<mandatory>`."""

PLACEHOLDER_MARKS: tuple[str, ...] = ("<todo>", "<optional>")
"""The marks preflight.sh treats as "not set yet", matched case-insensitively."""


def holds_placeholder(value: str) -> bool:
    """True when preflight.sh would count `value` as a placeholder still to be filled in."""
    lowered = value.lower()
    return any(mark in lowered for mark in PLACEHOLDER_MARKS)


def is_mandatory(env_name: str | None, ado_name: str | None) -> bool:
    """The tag preflight.sh reads for one variable.

    It scans only variables.yaml, so that template's tag decides when the variable has an Azure
    DevOps name; a GitHub-only variable follows the `.env` template.
    """
    if ado_name is not None:
        return ado_name in MANDATORY_ADO
    return env_name in MANDATORY_ENV
