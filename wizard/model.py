"""FactoryConfig: the single source of truth for everything the wizard asks.

Every screen, rule, export and deployment reads this model; nothing keeps a second copy of a
value. Field descriptions double as help text in the TUI and as docs in the JSON Schema, so each
one says what the value means for the AI Factory and, where it helps, which AI Factory variable
it becomes. The landing zone is a discriminated union on `mode` with no default on the tag: a
defaulted tag would be dropped by `exclude_defaults` and the saved preset would no longer load.

Structural invariants (at least one environment, ranges that parse) live in validators here.
Advice a user may knowingly override (overlaps, quotas, risky SKUs) lives in `rules.py` as
Findings, so a configuration can be saved half-finished and still be opened again.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from wizard.address_template import resolve_problem, template_problem
from wizard.errors import FieldValueError

SCHEMA_VERSION = 1
"""Version of the preset/config file format; bump it with a migration in presets/migrations.py."""

EnvName = Literal["dev", "stage", "prod"]
"""The three environments. The AI Factory itself calls stage `test` in names and variables."""

ENV_NAMES: tuple[EnvName, ...] = ("dev", "stage", "prod")

AIF_ENV_NAME: dict[EnvName, str] = {"dev": "dev", "stage": "test", "prod": "prod"}
"""The AI Factory's own name for each environment (stage resources carry `test`)."""

UUID_PATTERN = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
TODO = "<todo>"
"""The AI Factory's marker for a value the user must still supply."""


def _check_uuid(value: str) -> str:
    """Accept a GUID (any case) or a value still carrying `<todo>`; rules report the latter."""
    if TODO in value or UUID_PATTERN.match(value):
        return value.lower() if TODO not in value else value
    raise ValueError(
        "must be a GUID such as 00000000-0000-0000-0000-000000000000 "
        "(find it in the Azure portal)"
    )


def _split_csv(value: object) -> object:
    """Let list fields be written as the AI Factory's comma-separated strings too."""
    if isinstance(value, str):
        text = value.strip()
        if text in ("", "-"):
            return []
        return [part.strip() for part in text.split(",") if part.strip()]
    return value


def _check_ip_or_cidr(value: str) -> str:
    """An IPv4 address or CIDR range, as the AI Factory's IP allow-lists take them."""
    try:
        if "/" in value:
            ipaddress.IPv4Network(value, strict=False)
        else:
            ipaddress.IPv4Address(value)
    except ValueError:
        raise ValueError(
            f"{value!r} is not an IPv4 address or CIDR range; write e.g. 203.0.113.7 "
            "or 203.0.113.0/24"
        ) from None
    return value


def _check_network(value: str) -> str:
    """A CIDR range whose host bits are zero (Azure refuses 10.0.0.1/16 as an address space)."""
    try:
        net = ipaddress.IPv4Network(value, strict=False)
    except ValueError:
        raise ValueError(
            f"{value!r} is not an IPv4 CIDR range; write it as a.b.c.d/nn with each number "
            "0-255, e.g. 172.16.0.0/16"
        ) from None
    if str(net) != value:
        raise ValueError(f"{value!r} has host bits set; the range starts at {net}")
    return value


def _check_arm_id(value: str) -> str:
    """A full ARM resource id: /subscriptions/<guid>/resourceGroups/<rg>/providers/..."""
    if TODO in value:
        return value
    parts = value.strip("/").split("/")
    if (
        not value.startswith("/")
        or len(parts) < 8
        or parts[0].lower() != "subscriptions"
        or parts[2].lower() != "resourcegroups"
        or not UUID_PATTERN.match(parts[1])
    ):
        raise ValueError(
            "must be a full resource id such as /subscriptions/<guid>/resourceGroups/<rg>/"
            "providers/Microsoft.Network/virtualNetworks/<name>"
        )
    return value


def _check_cidr_template(value: str) -> str:
    """A CIDR range that may hold the AI Factory's `XX` placeholder for the environment octet."""
    problem = template_problem(value)
    if problem:
        raise ValueError(problem)
    return value


Guid = Annotated[str, AfterValidator(_check_uuid)]
IpOrCidr = Annotated[str, AfterValidator(_check_ip_or_cidr)]
Cidr = Annotated[str, AfterValidator(_check_network)]
CidrTemplate = Annotated[str, AfterValidator(_check_cidr_template)]
ArmId = Annotated[str, AfterValidator(_check_arm_id)]
CsvIps = Annotated[list[IpOrCidr], BeforeValidator(_split_csv)]
CsvGuids = Annotated[list[Guid], BeforeValidator(_split_csv)]
Suffix = Annotated[
    str,
    Field(pattern=r"^-\d{3}$", description="A dash and three digits, e.g. -001."),
]
ProjectNumber = Annotated[
    str,
    BeforeValidator(lambda v: f"{v:03d}" if isinstance(v, int) else v),
    Field(pattern=r"^\d{3}$"),
]


class Model(BaseModel):
    """Base for every part: unknown keys are errors, so a typo in a preset is never ignored."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, populate_by_name=True)


# --------------------------------------------------------------------------- landing zone


class StandaloneZone(Model):
    """Own VNet per environment; private DNS zones created in each common resource group."""

    mode: Literal["standalone"] = Field(
        description="Standalone: the AI Factory builds its own network and DNS zones."
    )


class HubDns(Model):
    """Where the hub's private DNS zones live (AI Factory `PRIV_DNS_*`)."""

    subscription_id: Guid | None = Field(
        default=None,
        description="Subscription holding the hub's private DNS zones (PRIV_DNS_SUBSCRIPTION_PARAM).",
    )
    resource_group: str | None = Field(
        default=None,
        min_length=1,
        max_length=90,
        description="Resource group of the hub's private DNS zones (PRIV_DNS_RESOURCE_GROUP_PARAM).",
    )
    records_by_policy: bool = Field(
        default=True,
        description=(
            "A DeployIfNotExists policy in the hub creates the A-records "
            "(CENTRAL_DNS_ZONE_BY_POLICY_IN_HUB). Without it portals fail from corporate networks."
        ),
    )


class HubSpokeZone(Model):
    """Spokes peered to an existing hub VNet; DNS records come from the hub by policy."""

    mode: Literal["hub_spoke"] = Field(description="Hub and spoke: peer each environment to a hub VNet.")
    hub_vnet_ids: dict[EnvName, ArmId] = Field(
        default_factory=dict,
        description="Resource id of the hub VNet each environment peers with.",
    )
    hub_address_prefixes: list[Cidr] = Field(
        default_factory=list,
        description="Address ranges of the hub (checked for overlap with every environment).",
    )
    dns: HubDns = Field(default_factory=HubDns, description="The hub's private DNS zones.")


class VwanZone(Model):
    """Spokes connected to a Virtual WAN hub; DNS as in hub/spoke."""

    mode: Literal["vwan"] = Field(description="Virtual WAN: connect each environment to a virtual hub.")
    virtual_hub_ids: dict[EnvName, ArmId] = Field(
        default_factory=dict,
        description="Resource id of the virtual hub (Microsoft.Network/virtualHubs) per environment.",
    )
    hub_address_prefixes: list[Cidr] = Field(
        default_factory=list,
        description="Address ranges of the virtual hubs (checked for overlap).",
    )
    dns: HubDns = Field(default_factory=HubDns, description="The hub's private DNS zones.")


PublicAccessPath = Literal["ip_allow_list", "vpn", "bastion"]


def _default_access_paths() -> list[PublicAccessPath]:
    """A hybrid zone reaches the services through an IP allow-list unless told otherwise."""
    return ["ip_allow_list"]


class HybridZone(Model):
    """Private endpoints, plus public access for listed IPs, a point-to-site VPN and/or Bastion."""

    mode: Literal["hybrid"] = Field(
        description="Hybrid: private endpoints beside public access by IP allow-list, VPN or Bastion."
    )
    access_paths: list[PublicAccessPath] = Field(
        default_factory=_default_access_paths,
        min_length=1,
        description="How people reach the services besides the private endpoints.",
    )
    vpn_client_prefixes: list[Cidr] = Field(
        default_factory=list,
        description="Point-to-site VPN client address pool (checked for overlap).",
    )


LandingZone = Annotated[
    StandaloneZone | HubSpokeZone | VwanZone | HybridZone, Field(discriminator="mode")
]
LandingZoneMode = Literal["standalone", "hub_spoke", "vwan", "hybrid"]

# --------------------------------------------------------------------------- access


class AccessConfig(Model):
    """Who can reach the services and how (AI Factory networking-mode switches)."""

    allow_public_access_when_behind_vnet: bool = Field(
        default=False,
        description="Public UI access to services that sit behind the VNet (ALLOW_PUBLIC_ACCESS_WHEN_BEHINDVNET).",
    )
    enable_public_genai_access: bool = Field(
        default=False,
        description="Public access to the GenAI control plane (ENABLE_PUBLIC_GENAI_ACCESS).",
    )
    enable_public_access_with_perimeter: bool = Field(
        default=False,
        description="Public access guarded by a network perimeter (ENABLE_PUBLIC_ACCESS_WITH_PERIMETER).",
    )
    ip_allow_list: CsvIps = Field(
        default_factory=list,
        description="IPv4 addresses or CIDR ranges allowed through service firewalls (PROJECT_MEMBERS_IP_ADDRESS).",
    )
    acr_ip_allow_list: CsvIps = Field(
        default_factory=list,
        description="IPv4 addresses or ranges allowed to reach the container registry (ACR_IP_WHITELIST).",
    )
    bastion: bool = Field(default=False, description="Azure Bastion in the common resource group (ADD_BASTION_HOST).")
    admin_vm: bool = Field(default=False, description="An admin VM in the common resource group (ENABLE_ADMIN_VM).")
    project_vm: bool = Field(
        default=False,
        description="A jump-box VM in each project resource group (SERVICE_SETTING_DEPLOY_PROJECT_VM).",
    )
    disable_whitelisting_for_build_agents: bool = Field(
        default=False,
        description="Do not add the pipeline runner's IP to firewalls (DISABLE_WHITELISTING_FOR_BUILD_AGENTS).",
    )

    @property
    def is_private_only(self) -> bool:
        """True when no public path is open: users come through the hub, VPN or Bastion."""
        return not (
            self.allow_public_access_when_behind_vnet
            or self.enable_public_genai_access
            or self.enable_public_access_with_perimeter
        )


# --------------------------------------------------------------------------- naming


class NamingConfig(Model):
    """Prefixes and suffixes that go into every resource group and resource name."""

    prefix: str = Field(
        default="acme-ai-",
        max_length=10,
        pattern=r"^[a-z0-9][a-z0-9-]*$",
        description=(
            "Resource-group prefix (AIFACTORY_PREFIX), lowercase letters, digits and dashes; end "
            "it with '-' for a separator. Keep it short: ARM deployment names stop at 64 characters."
        ),
    )
    scale_set_suffix: Suffix = Field(
        default="-001",
        description="Scale-set suffix on resource-group names (AIFACTORY_SUFFIX): -001, -002, …",
    )
    common_resource_suffix: Suffix = Field(
        default="-001",
        description="Suffix on common resource names (ADMIN_COMMON_RESOURCE_SUFFIX); bump to re-create.",
    )
    project_resource_suffix: Suffix = Field(
        default="-001",
        description="Suffix on project resource names (ADMIN_PRJ_RESOURCE_SUFFIX); bump to re-create.",
    )
    project_prefix: str = Field(
        default="esml-", max_length=10, description="Project resource-group prefix (PROJECT_PREFIX)."
    )
    project_suffix: str = Field(
        default="-rg", max_length=10, description="Project resource-group suffix (PROJECT_SUFFIX)."
    )
    lake_prefix: str = Field(
        default="xxxyyy",
        pattern=r"^[a-z0-9]{1,8}$",
        description="Data-lake storage account prefix, up to 8 lowercase letters or digits (LAKE_PREFIX).",
    )
    vnet_resource_group_base: str = Field(
        default="esml-common", description="Base name of the common resource group (VNET_RESOURCE_GROUP_BASE)."
    )
    vnet_name_base: str = Field(default="vnt-esmlcmn", description="Base name of the common VNet (VNET_NAME_BASE).")
    salt: str | None = Field(
        default=None,
        pattern=r"^[a-z0-9]{5}$",
        description=(
            "The 5-character salt in common resource names (AIFACTORY_SALT). Leave empty: the "
            "wizard computes it as ARM's uniqueString of the common resource group does."
        ),
    )


# --------------------------------------------------------------------------- network


class NetworkConfig(Model):
    """The address plan, as the AI Factory's templates: `XX` becomes each environment's octet."""

    TEMPLATE_FIELDS: ClassVar[tuple[str, ...]] = (
        "vnet_cidr", "common_subnet_cidr", "common_scoring_subnet_cidr", "common_pbi_subnet_cidr",
        "common_bastion_subnet_cidr",
    )
    """The fields that hold templates (XX replaced by the environment's octet)."""

    vnet_cidr: CidrTemplate = Field(
        default="172.16.0.0/16",
        description=(
            "Address space of each environment's common VNet (COMMON_VNET_CIDR). Put XX in it "
            "(e.g. 172.XX.0.0/16) to give every environment its own range."
        ),
    )
    common_subnet_cidr: CidrTemplate = Field(
        default="172.16.XX.0/26", description="Common private-endpoint subnet (COMMON_SUBNET_CIDR)."
    )
    common_scoring_subnet_cidr: CidrTemplate = Field(
        default="172.16.XX.64/26", description="Common scoring subnet (COMMON_SUBNET_SCORING_CIDR)."
    )
    common_pbi_subnet_cidr: CidrTemplate = Field(
        default="172.16.XX.128/26", description="Power BI gateway subnet (COMMON_PBI_SUBNET_CIDR)."
    )
    common_bastion_subnet_cidr: CidrTemplate = Field(
        default="172.16.XX.192/26",
        description="AzureBastionSubnet, at least /26 (COMMON_BASTION_SUBNET_CIDR).",
    )
    on_premises_prefixes: list[Cidr] = Field(
        default_factory=list,
        description="On-premises address ranges reachable from Azure (checked for overlap).",
    )


# --------------------------------------------------------------------------- environments


class ComputeSkus(Model):
    """VM sizes and counts for Azure ML and AKS in one environment."""

    aks_node_sku: str = Field(
        default="Standard_B4ms", description="AKS node VM size (ADMIN_AKS_GPU_SKU_*_OVERRIDE)."
    )
    aks_node_count: int = Field(default=1, ge=1, le=100, description="AKS node count (ADMIN_AKS_NODES_*_OVERRIDE).")
    aml_cluster_sku: str = Field(
        default="Standard_DS3_v2", description="Azure ML compute cluster VM size (ADMIN_AML_CLUSTER_SKU_*)."
    )
    aml_cluster_max_nodes: int = Field(
        default=3, ge=0, le=100, description="Azure ML compute cluster maximum nodes (ADMIN_AML_CLUSTER_MAX_NODES_*)."
    )
    compute_instance_sku: str = Field(
        default="Standard_DS11_v2", description="Azure ML compute instance VM size (ADMIN_AML_COMPUTE_INSTANCE_*_SKU)."
    )


class EnvironmentConfig(Model):
    """One of Dev, Stage, Prod: its subscription, region, address space and sizes."""

    enabled: bool = Field(default=True, description="Deploy this environment.")
    subscription_id: Guid | None = Field(
        default=None,
        description="Azure subscription for this environment (DEV/STAGE/PROD_SUBSCRIPTION_ID).",
    )
    region: str = Field(
        default="eastus2",
        pattern=r"^[a-z0-9]+$",
        description="Azure region name, e.g. eastus2 or swedencentral (AIFACTORY_LOCATION).",
    )
    region_short: str | None = Field(
        default=None,
        pattern=r"^[a-z0-9]{2,6}$",
        description="Short region code in names (AIFACTORY_LOCATION_SHORT); empty uses the catalog's code.",
    )
    cidr_octet: int = Field(
        default=61,
        ge=0,
        le=255,
        description=(
            "The AI Factory's XX for this environment (DEV/STAGE/PROD_CIDR_RANGE): substituted "
            "into the network templates, it picks the VNet range and the common subnets' /24."
        ),
    )
    network_env: str = Field(
        default="",
        max_length=10,
        description="Prefix that resolves <network_env> in BYO VNet and subnet names (DEV/STAGE/PROD_NETWORK_ENV).",
    )
    compute: ComputeSkus = Field(default_factory=ComputeSkus, description="VM sizes and counts.")


_TEST_PROD_COMPUTE: dict[str, object] = {
    "aks_node_sku": "Standard_DS13-2_v2",
    "aks_node_count": 3,
    "aml_cluster_sku": "Standard_D13_v2",
    "aml_cluster_max_nodes": 5,
    "compute_instance_sku": "Standard_ND96amsr_A100_v4",
}
ENV_DEFAULTS: dict[EnvName, dict[str, object]] = {
    "dev": {"enabled": True, "cidr_octet": 61, "network_env": "dev-", "compute": {}},
    "stage": {
        "enabled": False, "cidr_octet": 62, "network_env": "stage-", "compute": _TEST_PROD_COMPUTE,
    },
    "prod": {
        "enabled": False, "cidr_octet": 63, "network_env": "prod-", "compute": _TEST_PROD_COMPUTE,
    },
}
"""The AI Factory v1.24 defaults that differ per environment (octets 61/62/63, TEST_PROD sizes)."""


def _merged(defaults: dict[str, object], given: dict[str, object]) -> dict[str, object]:
    """`given` laid over `defaults`, one level of nesting deep (enough for `compute`)."""
    out = dict(defaults)
    for key, value in given.items():
        base = out.get(key)
        out[key] = {**base, **value} if isinstance(base, dict) and isinstance(value, dict) else value
    return out


class EnvironmentsConfig(Model):
    """Dev, Stage and Prod, each in its own subscription and region."""

    dev: EnvironmentConfig = Field(
        default_factory=lambda: EnvironmentConfig.model_validate(ENV_DEFAULTS["dev"]),
        description="The development environment.",
    )
    stage: EnvironmentConfig = Field(
        default_factory=lambda: EnvironmentConfig.model_validate(ENV_DEFAULTS["stage"]),
        description="The staging environment (the AI Factory's `test`).",
    )
    prod: EnvironmentConfig = Field(
        default_factory=lambda: EnvironmentConfig.model_validate(ENV_DEFAULTS["prod"]),
        description="The production environment.",
    )

    @model_validator(mode="before")
    @classmethod
    def _per_environment_defaults(cls, data: object) -> object:
        """A partly given environment keeps its own defaults (stage gets octet 62, not dev's 61)."""
        if not isinstance(data, dict):
            return data
        filled = dict(data)
        for name in ENV_NAMES:
            given = filled.get(name)
            if isinstance(given, dict):
                filled[name] = _merged(ENV_DEFAULTS[name], given)
        return filled

    def get(self, name: EnvName) -> EnvironmentConfig:
        """The environment called `name`."""
        env: EnvironmentConfig = getattr(self, name)
        return env

    def enabled(self) -> list[tuple[EnvName, EnvironmentConfig]]:
        """The enabled environments in deployment order (dev, stage, prod)."""
        return [(name, self.get(name)) for name in ENV_NAMES if self.get(name).enabled]


# --------------------------------------------------------------------------- identity


class SeedingKeyVault(Model):
    """The Key Vault holding the service principals' secrets that the pipelines read."""

    subscription_id: Guid | None = Field(
        default=None, description="Subscription of the seeding Key Vault (AIFACTORY_SEEDING_KEYVAULT_SUBSCRIPTION_ID)."
    )
    resource_group: str | None = Field(
        default=None, description="Resource group of the seeding Key Vault (AIFACTORY_SEEDING_KEYVAULT_RG)."
    )
    name: str | None = Field(
        default=None, description="Name of the seeding Key Vault (AIFACTORY_SEEDING_KEYVAULT_NAME)."
    )


class IdentityConfig(Model):
    """Tenant and object ids the AI Factory grants roles to."""

    tenant_id: Guid | None = Field(default=None, description="Microsoft Entra tenant id (TENANT_ID).")
    azureml_oid: Guid | None = Field(
        default=None,
        description=(
            "Object id of the 'Azure Machine Learning' enterprise application (appId "
            "0736f41a-0425-4b46-bdb5-1563eff02385) in your tenant, not the appId (TENANT_AZUREML_OID)."
        ),
    )
    databricks_oid: Guid | None = Field(
        default=None, description="Object id of the 'AzureDatabricks' enterprise application (DATABRICKS_OID)."
    )
    use_ad_groups: bool = Field(
        default=True, description="Project members are Entra groups (true) or single users (USE_AD_GROUPS)."
    )
    seeding_key_vault: SeedingKeyVault = Field(
        default_factory=SeedingKeyVault, description="The seeding Key Vault."
    )


# --------------------------------------------------------------------------- services


class ServicesConfig(Model):
    """Which services each project gets (AI Factory ENABLE_* flags), with the v1.24 defaults."""

    ai_foundry: bool = Field(default=True, description="AI Foundry account and default project (ENABLE_AI_FOUNDRY).")
    foundry_caphost: bool = Field(
        default=False,
        description="Foundry capability host: agent threads kept in your subscription; needs Cosmos DB "
        "(ENABLE_FOUNDRY_CAPHOST).",
    )
    agent_network_injection: bool = Field(
        default=True,
        description=(
            "Inject Foundry agents into the project's aca-002 subnet; needs a 172.16/12 or "
            "192.168/16 range (the inverse of DISABLE_AGENT_NETWORK_INJECTION)."
        ),
    )
    ai_search: bool = Field(default=True, description="Azure AI Search (ENABLE_AI_SEARCH).")
    ai_search_shared_private_link: bool = Field(
        default=True, description="AI Search shared private links (ENABLE_AI_SEARCH_SHARED_PRIVATE_LINK)."
    )
    azure_openai: bool = Field(default=False, description="A standalone Azure OpenAI account (ENABLE_AZURE_OPENAI).")
    vision: bool = Field(default=False, description="Azure AI Vision (ENABLE_AZURE_AI_VISION).")
    speech: bool = Field(default=False, description="Azure AI Speech (ENABLE_AZURE_SPEECH).")
    document_intelligence: bool = Field(
        default=False, description="Azure AI Document Intelligence (ENABLE_AI_DOC_INTELLIGENCE)."
    )
    content_safety: bool = Field(default=False, description="Azure AI Content Safety (ENABLE_CONTENT_SAFETY).")
    bing: bool = Field(default=False, description="Grounding with Bing Search (ENABLE_BING).")
    bing_custom_search: bool = Field(default=False, description="Bing Custom Search (ENABLE_BING_CUSTOM_SEARCH).")
    azure_ml: bool = Field(
        default=False, description="Azure Machine Learning workspace (ENABLE_AZURE_MACHINE_LEARNING)."
    )
    aks_for_azure_ml: bool = Field(
        default=True, description="An AKS cluster attached to Azure ML for inference (ENABLE_AKS_FOR_AZURE_ML)."
    )
    aks: bool = Field(default=False, description="A standalone AKS cluster (ENABLE_AKS).")
    databricks: bool = Field(default=False, description="Azure Databricks (ENABLE_DATABRICKS).")
    datafactory: bool = Field(default=False, description="Azure Data Factory per project (ENABLE_DATAFACTORY).")
    datafactory_common: bool = Field(
        default=False, description="Azure Data Factory in the common resource group (ENABLE_DATAFACTORY_COMMON)."
    )
    cosmos_db: bool = Field(default=False, description="Azure Cosmos DB (ENABLE_COSMOS_DB).")
    postgresql: bool = Field(
        default=False, description="Azure Database for PostgreSQL flexible server (ENABLE_POSTGRESQL)."
    )
    redis: bool = Field(default=False, description="Azure Cache for Redis (ENABLE_REDIS_CACHE).")
    sql: bool = Field(default=False, description="Azure SQL Database (ENABLE_SQL_DATABASE).")
    container_apps: bool = Field(default=False, description="Azure Container Apps (ENABLE_CONTAINER_APPS).")
    webapp: bool = Field(default=False, description="Azure App Service web app (ENABLE_WEBAPP).")
    function: bool = Field(default=False, description="Azure Functions (ENABLE_FUNCTION).")
    logic_apps: bool = Field(default=False, description="Azure Logic Apps (ENABLE_LOGIC_APPS).")
    event_hubs: bool = Field(default=False, description="Azure Event Hubs (ENABLE_EVENT_HUBS).")
    bot_service: bool = Field(default=True, description="Azure Bot Service (ENABLE_BOT_SERVICE).")
    elasticsearch: bool = Field(default=False, description="Elastic Cloud (ENABLE_ELASTICSEARCH).")
    appinsights_dashboard: bool = Field(
        default=False, description="Application Insights dashboard (ENABLE_APPINSIGHTS_DASHBOARD)."
    )

    def enabled_names(self) -> list[str]:
        """Names of the services switched on, in declaration order."""
        return [name for name, value in self if value is True and name in SERVICE_FLAGS]


SERVICE_FLAGS: tuple[str, ...] = tuple(
    name for name in ServicesConfig.model_fields
    if name not in ("agent_network_injection", "ai_search_shared_private_link")
)
"""Flags that switch a service on or off (the others tune a service)."""


# --------------------------------------------------------------------------- security


DiagnosticLevel = Literal["gold", "silver", "bronze"]


class SecurityConfig(Model):
    """Encryption, Defender and Key Vault protection."""

    cmk: bool = Field(default=False, description="Customer-managed keys for encryption at rest (CMK).")
    cmk_key_name: str | None = Field(
        default=None, description="Key in the seeding Key Vault used for CMK (CMK_KEY_NAME)."
    )
    defender_for_ai_subscription: bool = Field(
        default=False, description="Defender for AI at subscription level (ENABLE_DEFENDER_FOR_AI_SUB_LEVEL)."
    )
    defender_for_ai_resource: bool = Field(
        default=False, description="Defender for AI on each resource (ENABLE_DEFENDER_FOR_AI_RESOURCE_LEVEL)."
    )
    diagnostic_level: DiagnosticLevel = Field(
        default="gold",
        description="Diagnostic settings: gold = all logs and metrics, bronze = essentials (DIAGNOSTIC_SETTING_LEVEL).",
    )
    keyvault_soft_delete_days: int = Field(
        default=7,
        ge=0,
        le=90,
        description="Key Vault soft-delete retention in days, 7-90; 0 disables (KEYVAULT_SOFT_DELETE).",
    )
    keyvault_purge_protection: bool = Field(
        default=False,
        description="Key Vault purge protection; CMK needs it, and it cannot be turned off later.",
    )

    @field_validator("keyvault_soft_delete_days")
    @classmethod
    def _soft_delete_range(cls, days: int) -> int:
        if 0 < days < 7:
            raise ValueError("Key Vault keeps deleted vaults 7 to 90 days; use 0 to disable or 7-90")
        return days


# --------------------------------------------------------------------------- SKUs and models

SearchTier = Literal[
    "free", "basic", "standard", "standard2", "standard3", "storage_optimized_l1", "storage_optimized_l2"
]
SemanticTier = Literal["disabled", "free", "standard"]
ModelSku = Literal["Standard", "DataZoneStandard", "GlobalStandard", "ProvisionedManaged"]
AcrSku = Literal["Basic", "Standard", "Premium"]


class ModelDeployment(Model):
    """One model deployment in every project's AI Foundry account."""

    model: str = Field(min_length=1, description="Model name, e.g. gpt-5.1 or text-embedding-3-large.")
    version: str = Field(default="", description="Model version; empty takes the latest the region offers.")
    sku: ModelSku = Field(
        default="Standard", description="Deployment type (Standard, DataZoneStandard, GlobalStandard)."
    )
    capacity: int = Field(
        default=30,
        ge=1,
        le=100_000,
        description="Capacity in thousands of tokens per minute (30 = 30K TPM) per project.",
    )


def _default_models() -> list[ModelDeployment]:
    """The v1.24 template's default deployments: GPT-X and text-embedding-3-large."""
    return [
        ModelDeployment(model="gpt-5.1", sku="DataZoneStandard", capacity=30),
        ModelDeployment(model="text-embedding-3-large", sku="Standard", capacity=25),
    ]


class SkuConfig(Model):
    """Tiers and sizes of the shared services."""

    ai_search_tier: SearchTier = Field(
        default="basic", description="AI Search tier (ADMIN_AISEARCH_TIER); free cannot use private endpoints."
    )
    semantic_tier: SemanticTier = Field(
        default="free", description="AI Search semantic ranker tier (AISEARCH_SEMANTIC_TIER)."
    )
    acr_sku: AcrSku = Field(
        default="Premium",
        description="Container registry SKU (ACR_SKU); Premium is needed for private endpoints and CMK.",
    )
    aks_version: str = Field(
        default="1.33.2",
        pattern=r"^\d+\.\d+(\.\d+)?$",
        description="Kubernetes version for AKS (ADMIN_AKS_VERSION_OVERRIDE); must be offered in the region.",
    )
    aks_sku_tier: Literal["Free", "Standard", "Premium"] = Field(
        default="Standard", description="AKS control-plane tier (AKS_SKU_TIER)."
    )
    models: list[ModelDeployment] = Field(
        default_factory=_default_models,
        description="Model deployments for each project's AI Foundry account.",
    )


# --------------------------------------------------------------------------- projects


class ProjectConfig(Model):
    """One isolated project: its own resource group, subnets and services in every environment."""

    number: ProjectNumber = Field(description="Three-digit project number, 001-999 (PROJECT_NUMBER).")
    name: str = Field(default="", max_length=64, description="A human name for the project (goes into tags).")
    members: CsvGuids = Field(
        default_factory=list,
        description="Entra object ids of the project's users or groups (PROJECT_MEMBERS).",
    )
    member_emails: list[str] = Field(
        default_factory=list, description="Contact e-mails or group names (PROJECT_MEMBERS_EMAILS)."
    )
    ip_allow_list: CsvIps = Field(
        default_factory=list,
        description="Extra IPv4 addresses or ranges for this project's service firewalls.",
    )
    cost_center: str = Field(default="1234", description="Cost-center tag (TAG_COSTCENTER).")
    services: dict[str, bool] = Field(
        default_factory=dict,
        description="Per-project service switches; a service not named here follows the factory setting.",
    )

    @field_validator("number")
    @classmethod
    def _not_zero(cls, number: str) -> str:
        if number == "000":
            raise ValueError("project numbers start at 001")
        return number

    @field_validator("member_emails", mode="before")
    @classmethod
    def _emails_csv(cls, value: object) -> object:
        return _split_csv(value)

    @field_validator("services")
    @classmethod
    def _known_services(cls, values: dict[str, bool]) -> dict[str, bool]:
        unknown = sorted(set(values) - set(SERVICE_FLAGS))
        if unknown:
            raise ValueError(
                f"unknown service {', '.join(unknown)}; known services are {', '.join(SERVICE_FLAGS)}"
            )
        return values


# --------------------------------------------------------------------------- the whole


class FactoryConfig(Model):
    """Everything needed to set up one AI Factory scale set and its projects."""

    version: int = Field(default=SCHEMA_VERSION, description="Format version of this file.")
    description: str = Field(default="", max_length=500, description="What this configuration is for.")
    landing_zone: LandingZone = Field(
        default_factory=lambda: StandaloneZone(mode="standalone"),
        description="How the environments connect: standalone, hub_spoke, vwan or hybrid.",
    )
    access: AccessConfig = Field(default_factory=AccessConfig, description="Public and private access.")
    naming: NamingConfig = Field(default_factory=NamingConfig, description="Names and suffixes.")
    environments: EnvironmentsConfig = Field(
        default_factory=EnvironmentsConfig, description="Dev, Stage and Prod."
    )
    network: NetworkConfig = Field(default_factory=NetworkConfig, description="The address plan.")
    identity: IdentityConfig = Field(default_factory=IdentityConfig, description="Tenant and identities.")
    services: ServicesConfig = Field(default_factory=ServicesConfig, description="Services per project.")
    security: SecurityConfig = Field(default_factory=SecurityConfig, description="Security settings.")
    skus: SkuConfig = Field(default_factory=SkuConfig, description="SKUs, sizes and model capacities.")
    projects: list[ProjectConfig] = Field(
        default_factory=lambda: [ProjectConfig(number="001")],
        description="The projects, numbered 001 and up.",
    )
    aifactory_extra: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "AI Factory variables the wizard does not model, kept verbatim by name so that an "
            "imported .env or variables.yaml exports again without loss."
        ),
    )

    @model_validator(mode="after")
    def _some_environment(self) -> FactoryConfig:
        if not any(env.enabled for _, env in self.environments_all()):
            raise FieldValueError(
                "environments", "at least one environment (dev, stage or prod) must be enabled; enable dev, for one"
            )
        return self

    @model_validator(mode="after")
    def _templates_resolve(self) -> FactoryConfig:
        """Every address template gives a valid range with each enabled environment's octet.

        The planner resolves exactly these, so what the model accepts can always be planned.
        """
        for field_name in NetworkConfig.TEMPLATE_FIELDS:
            template = getattr(self.network, field_name)
            for name, env in self.environments.enabled():
                problem = resolve_problem(template, env.cidr_octet)
                if problem:
                    raise FieldValueError(f"network.{field_name}", f"{problem} ({name}'s cidr_octet)")
        return self

    def environments_all(self) -> list[tuple[EnvName, EnvironmentConfig]]:
        """All three environments, enabled or not, in order."""
        return [(name, self.environments.get(name)) for name in ENV_NAMES]

    def project_services(self, project: ProjectConfig) -> ServicesConfig:
        """The services one project gets: the factory flags with its overrides applied."""
        if not project.services:
            return self.services
        return self.services.model_copy(update=project.services)

    @property
    def mode(self) -> LandingZoneMode:
        """The landing-zone mode tag."""
        mode: LandingZoneMode = self.landing_zone.mode
        return mode


def config_json_schema() -> dict[str, object]:
    """The JSON Schema of a preset/config file, as committed in presets/factory-config.schema.json."""
    schema = FactoryConfig.model_json_schema(mode="validation")
    schema["$id"] = "https://aifactory-wizard.dev/schema/factory-config.schema.json"
    schema["title"] = "aifactory-wizard configuration"
    properties = schema.setdefault("properties", {})
    assert isinstance(properties, dict)
    properties["$schema"] = {"type": "string", "description": "Path or URL of this schema."}
    properties["extends"] = {
        "type": "string",
        "description": "Name of a preset this one builds on; its values are overridden by this file's.",
    }
    properties["name"] = {"type": "string", "description": "The preset's name."}
    return schema
