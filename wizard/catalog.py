"""Static Azure knowledge the wizard needs offline: regions, services, DNS zones, SKUs, models.

Why a static catalog: the wizard validates a configuration before anyone signs in (rules,
`aifactory validate` without `--live`), so it needs to know which providers, private DNS zones,
subnets and quotas a service selection implies, and what a region's short code is. Live checks
compare these expectations with what a subscription actually offers. The data is plain frozen
dataclasses and dicts so it can be read, diffed and tested; nothing here talks to Azure.

Sources: the AI Factory v1.24 code (CmnPrivateDnsZones.bicep, 13-rgLevel.bicep, the project
workflow, subnetCalc_v2.ps1) as summarised in /work/shared/reference/aifactory.md, Microsoft's
published region pairs, naming rules and VM sizes. Region short codes are the wizard's choice:
the AI Factory has no lookup table (AIFACTORY_LOCATION_SHORT is free text); the five codes its
docs use (eus2, weu, sdc, uks, neu) are kept.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

from wizard.model import EnvName, FactoryConfig, HubSpokeZone, ServicesConfig, VwanZone

# --------------------------------------------------------------------------- regions


@dataclass(frozen=True, slots=True)
class Region:
    """One Azure region as the wizard offers it."""

    name: str
    """ARM name, e.g. `eastus2` (AIFACTORY_LOCATION)."""
    display_name: str
    """Name shown in the portal, e.g. `East US 2`."""
    short_code: str
    """Code in AI Factory names (AIFACTORY_LOCATION_SHORT), e.g. `eus2`; unique in REGIONS."""
    paired_region: str | None
    """Azure's paired region for geo-redundancy; None for regions without a pair."""
    zones: tuple[str, ...]
    """Availability zones ("1", "2", "3"); empty when the region has none."""
    geography: str
    """Azure geography (data-residency boundary), e.g. `United States`, `Europe`."""

    @property
    def has_zones(self) -> bool:
        """True when zone-redundant SKUs (ZRS storage, zonal AKS pools) are possible."""
        return bool(self.zones)


_AZ = ("1", "2", "3")


def _r(name: str, display: str, code: str, pair: str | None, zones: bool, geo: str) -> Region:
    return Region(name, display, code, pair, _AZ if zones else (), geo)


REGIONS: dict[str, Region] = {
    r.name: r
    for r in (
        # The 15 regions of the demo tenant (docs/demo-tenant.md).
        _r("eastus", "East US", "eus", "westus", True, "United States"),
        _r("eastus2", "East US 2", "eus2", "centralus", True, "United States"),
        _r("westus2", "West US 2", "wus2", "westcentralus", True, "United States"),
        _r("westus3", "West US 3", "wus3", "eastus", True, "United States"),
        _r("centralus", "Central US", "cus", "eastus2", True, "United States"),
        _r("canadacentral", "Canada Central", "cac", "canadaeast", True, "Canada"),
        _r("northeurope", "North Europe", "neu", "westeurope", True, "Europe"),
        _r("westeurope", "West Europe", "weu", "northeurope", True, "Europe"),
        _r("swedencentral", "Sweden Central", "sdc", "swedensouth", True, "Sweden"),
        _r("uksouth", "UK South", "uks", "ukwest", True, "United Kingdom"),
        _r("francecentral", "France Central", "frc", "francesouth", True, "France"),
        _r("germanywestcentral", "Germany West Central", "gwc", "germanynorth", True, "Germany"),
        _r("norwayeast", "Norway East", "noe", "norwaywest", True, "Norway"),
        _r("australiaeast", "Australia East", "aue", "australiasoutheast", True, "Australia"),
        _r("japaneast", "Japan East", "jpe", "japanwest", True, "Japan"),
        # Other common choices.
        _r("westus", "West US", "wus", "eastus", False, "United States"),
        _r("southcentralus", "South Central US", "scus", "northcentralus", True, "United States"),
        _r("northcentralus", "North Central US", "ncus", "southcentralus", False, "United States"),
        _r("westcentralus", "West Central US", "wcus", "westus2", False, "United States"),
        _r("canadaeast", "Canada East", "cae", "canadacentral", False, "Canada"),
        _r("ukwest", "UK West", "ukw", "uksouth", False, "United Kingdom"),
        _r("switzerlandnorth", "Switzerland North", "szn", "switzerlandwest", True, "Switzerland"),
        _r("italynorth", "Italy North", "itn", None, True, "Italy"),
        _r("polandcentral", "Poland Central", "plc", None, True, "Poland"),
        _r("australiasoutheast", "Australia Southeast", "ause", "australiaeast", False,
           "Australia"),
        _r("japanwest", "Japan West", "jpw", "japaneast", False, "Japan"),
        _r("koreacentral", "Korea Central", "krc", "koreasouth", True, "Korea"),
        _r("southeastasia", "Southeast Asia", "sea", "eastasia", True, "Asia Pacific"),
        _r("eastasia", "East Asia", "eas", "southeastasia", True, "Asia Pacific"),
        _r("centralindia", "Central India", "inc", "southindia", True, "India"),
        _r("brazilsouth", "Brazil South", "brs", "southcentralus", True, "Brazil"),
        _r("uaenorth", "UAE North", "uan", "uaecentral", True, "United Arab Emirates"),
        _r("southafricanorth", "South Africa North", "san", "southafricawest", True,
           "South Africa"),
    )
}
"""Regions the wizard knows, by ARM name. Other regions still work with an explicit short code."""


def _key(text: str) -> str:
    return "".join(text.lower().split())


def region(name: str) -> Region | None:
    """The region called `name` (ARM name or display name, any case/spacing); None if unknown."""
    key = _key(name)
    found = REGIONS.get(key)
    if found is not None:
        return found
    return next((r for r in REGIONS.values() if _key(r.display_name) == key), None)


def short_code(name: str) -> str | None:
    """The AI Factory short code for a region (`eastus2` → `eus2`); None for unknown regions."""
    found = region(name)
    return found.short_code if found else None


def suggest_region(text: str, limit: int = 3) -> list[str]:
    """ARM names closest to a mistyped region (`eastus3` → `eastus2`, …), best first."""
    key = _key(text)
    names = list(REGIONS)
    found = difflib.get_close_matches(key, names, n=limit, cutoff=0.6)
    if len(found) < limit:
        by_display = {_key(r.display_name): r.name for r in REGIONS.values()}
        for match in difflib.get_close_matches(key, list(by_display), n=limit, cutoff=0.6):
            if by_display[match] not in found:
                found.append(by_display[match])
    return found[:limit]


# --------------------------------------------------------------------------- private DNS zones

PRIVATE_DNS_ZONES: tuple[str, ...] = (
    "privatelink.blob.core.windows.net",
    "privatelink.file.core.windows.net",
    "privatelink.dfs.core.windows.net",
    "privatelink.queue.core.windows.net",
    "privatelink.table.core.windows.net",
    "privatelink.azurecr.io",
    "privatelink.vaultcore.azure.net",
    "privatelink.api.azureml.ms",
    "privatelink.notebooks.azure.net",
    "privatelink.datafactory.azure.net",
    "privatelink.adf.azure.com",
    "privatelink.openai.azure.com",
    "privatelink.search.windows.net",
    "privatelink.azurewebsites.net",
    "scm.privatelink.azurewebsites.net",
    "privatelink.documents.azure.com",
    "privatelink.cognitiveservices.azure.com",
    "privatelink.azuredatabricks.net",
    "privatelink.servicebus.windows.net",
    "privatelink.eventgrid.azure.net",
    "privatelink.monitor.azure.com",
    "privatelink.oms.opinsights.azure.com",
    "privatelink.ods.opinsights.azure.com",
    "privatelink.agentsvc.azure-automation.net",
    "privatelink.services.ai.azure.com",
    "privatelink.{region}.azurecontainerapps.io",
    "privatelink.redis.cache.windows.net",
    "privatelink.postgres.database.azure.com",
    "privatelink.database.windows.net",
    "privatelink.mongo.cosmos.azure.com",
    "privatelink.azure-api.net",
)
"""Every private DNS zone the AI Factory's standalone mode creates or looks up (Azure public cloud).

`{region}` stands for the ARM region name (see `zone_for_region`). The list is the union of
CmnPrivateDnsZones.bicep and 13-rgLevel.bicep as published, plus the APIM zone the v1.24
workflows probe (ZONE_APIM_EXISTS): 32 zones. The reference's "~34" could not be matched
name for name; the two unaccounted zones are unknown.
"""


def zone_for_region(zone: str, region_name: str) -> str:
    """A zone name with `{region}` replaced by the ARM region name (no-op for other zones)."""
    return zone.replace("{region}", region_name.lower())


# --------------------------------------------------------------------------- services

SubnetKind = Literal["genai", "aks", "aks2", "aca", "aca2", "webapp", "dbxpub", "dbxpriv"]
"""The project subnets of subnetCalc_v2.ps1 (§6); names are `snt-prj<NNN>-<suffix>`."""

SUBNET_SIZES: dict[SubnetKind, int] = {
    "aca": 23,
    "aca2": 23,
    "aks2": 24,
    "genai": 25,
    "aks": 26,
    "dbxpub": 26,
    "dbxpriv": 26,
    "webapp": 27,
}
"""Prefix length the v1.24 subnet calculator gives each project subnet (all 8 always exist)."""

QuotaKind = Literal[
    "vcpu", "model_tpm", "search_services", "cognitive_accounts", "cosmos_accounts", "public_ips"
]
"""Kinds of regional quota a service draws on (checked by the live quota rules)."""


@dataclass(frozen=True, slots=True)
class SubnetNeed:
    """A project subnet a service puts resources (or private endpoints) into."""

    kind: SubnetKind
    """Which project subnet."""
    min_prefix: int
    """Smallest acceptable subnet as a prefix length (a /25 is 25; smaller number = bigger)."""
    delegation: str | None = None
    """Service the subnet must be delegated to, e.g. `Microsoft.App/environments`."""


@dataclass(frozen=True, slots=True)
class QuotaUse:
    """A quota the service consumes when deployed."""

    kind: QuotaKind
    """Which quota family (vCPUs, model TPM, search services, …)."""
    source: str
    """Dotted FactoryConfig path deciding the amount, e.g. `skus.models`."""
    note: str
    """How the amount is counted, for hints."""


ServiceScope = Literal["project", "common", "platform"]
"""`project`/`common`: an ENABLE_* service; `platform`: always-present plumbing."""


@dataclass(frozen=True, slots=True)
class Service:
    """What one service implies for Azure: types, providers, DNS zones, subnets and quotas."""

    key: str
    """ServicesConfig flag name, or a platform piece (`key_vault`, `storage`, …)."""
    display_name: str
    """Human name."""
    scope: ServiceScope
    """Where it is deployed: each project RG, the common RG, or everywhere (platform)."""
    resource_types: tuple[str, ...]
    """ARM resource types it creates, `Microsoft.X/type`."""
    providers: tuple[str, ...]
    """Resource-provider namespaces that must be Registered."""
    private_dns_zones: tuple[str, ...] = ()
    """Private DNS zones its private endpoints use; `{region}` is the ARM region name."""
    subnets: tuple[SubnetNeed, ...] = ()
    """Project subnets it needs, with the smallest usable size."""
    quotas: tuple[QuotaUse, ...] = ()
    """Regional quotas it consumes."""
    aif_variable: str = ""
    """The AI Factory switch, e.g. ENABLE_AI_SEARCH; empty for always-on platform pieces."""


_PE = SubnetNeed("genai", SUBNET_SIZES["genai"])
_COG_ZONES = ("privatelink.cognitiveservices.azure.com",)
_COG = ("Microsoft.CognitiveServices/accounts",)
_COG_NS = ("Microsoft.CognitiveServices",)
_TPM = QuotaUse(
    "model_tpm", "skus.models", "capacity (thousands of TPM) per model and deployment type, "
    "usage `OpenAI.<Sku>.<model>`, summed over every project in the region"
)
_COG_ACCOUNTS = QuotaUse(
    "cognitive_accounts", "projects", "one Cognitive Services account per project and region"
)
_WEB_ZONES = ("privatelink.azurewebsites.net", "scm.privatelink.azurewebsites.net")
_WEB_SUBNET = SubnetNeed("webapp", SUBNET_SIZES["webapp"], "Microsoft.Web/serverFarms")


def _svc(
    key: str,
    name: str,
    scope: ServiceScope,
    types: tuple[str, ...],
    providers: tuple[str, ...],
    zones: tuple[str, ...] = (),
    subnets: tuple[SubnetNeed, ...] = (),
    quotas: tuple[QuotaUse, ...] = (),
    variable: str = "",
) -> Service:
    return Service(key, name, scope, types, providers, zones, subnets, quotas, variable)


_SERVICE_LIST: tuple[Service, ...] = (
    # ---- project services (ServicesConfig flags)
    _svc(
        "ai_foundry", "AI Foundry account and project", "project",
        (*_COG, "Microsoft.CognitiveServices/accounts/projects",
         "Microsoft.CognitiveServices/accounts/deployments"),
        _COG_NS,
        ("privatelink.cognitiveservices.azure.com", "privatelink.openai.azure.com",
         "privatelink.services.ai.azure.com"),
        (_PE,), (_TPM, _COG_ACCOUNTS), "ENABLE_AI_FOUNDRY",
    ),
    _svc(
        "foundry_caphost", "Foundry capability host (agent threads in Cosmos DB)", "project",
        ("Microsoft.CognitiveServices/accounts/capabilityHosts",
         "Microsoft.DocumentDB/databaseAccounts"),
        (*_COG_NS, "Microsoft.DocumentDB"),
        ("privatelink.documents.azure.com",), (_PE,),
        (QuotaUse("cosmos_accounts", "projects", "one Cosmos DB account per project"),),
        "ENABLE_FOUNDRY_CAPHOST",
    ),
    _svc(
        "ai_search", "Azure AI Search", "project", ("Microsoft.Search/searchServices",),
        ("Microsoft.Search",), ("privatelink.search.windows.net",), (_PE,),
        (QuotaUse("search_services", "skus.ai_search_tier",
                  "one search service of the chosen tier per project, per region"),),
        "ENABLE_AI_SEARCH",
    ),
    _svc("azure_openai", "Azure OpenAI (standalone)", "project", _COG, _COG_NS,
         ("privatelink.openai.azure.com", *_COG_ZONES), (_PE,), (_TPM, _COG_ACCOUNTS),
         "ENABLE_AZURE_OPENAI"),
    _svc("vision", "Azure AI Vision", "project", _COG, _COG_NS, _COG_ZONES, (_PE,),
         (_COG_ACCOUNTS,), "ENABLE_AZURE_AI_VISION"),
    _svc("speech", "Azure AI Speech", "project", _COG, _COG_NS, _COG_ZONES, (_PE,),
         (_COG_ACCOUNTS,), "ENABLE_AZURE_SPEECH"),
    _svc("document_intelligence", "Azure AI Document Intelligence", "project", _COG, _COG_NS,
         _COG_ZONES, (_PE,), (_COG_ACCOUNTS,), "ENABLE_AI_DOC_INTELLIGENCE"),
    _svc("content_safety", "Azure AI Content Safety", "project", _COG, _COG_NS, _COG_ZONES,
         (_PE,), (_COG_ACCOUNTS,), "ENABLE_CONTENT_SAFETY"),
    _svc("bing", "Grounding with Bing Search", "project", ("Microsoft.Bing/accounts",),
         ("Microsoft.Bing",), variable="ENABLE_BING"),
    _svc("bing_custom_search", "Grounding with Bing Custom Search", "project",
         ("Microsoft.Bing/accounts",), ("Microsoft.Bing",), variable="ENABLE_BING_CUSTOM_SEARCH"),
    _svc(
        "azure_ml", "Azure Machine Learning workspace", "project",
        ("Microsoft.MachineLearningServices/workspaces",
         "Microsoft.MachineLearningServices/workspaces/computes"),
        ("Microsoft.MachineLearningServices",),
        ("privatelink.api.azureml.ms", "privatelink.notebooks.azure.net"), (_PE,),
        (QuotaUse("vcpu", "environments.<env>.compute.aml_cluster_sku",
                  "VM family vCPUs × aml_cluster_max_nodes, plus one compute_instance_sku"),),
        "ENABLE_AZURE_MACHINE_LEARNING",
    ),
    _svc(
        "aks_for_azure_ml", "AKS attached to Azure ML", "project",
        ("Microsoft.ContainerService/managedClusters",), ("Microsoft.ContainerService",),
        subnets=(SubnetNeed("aks2", SUBNET_SIZES["aks2"]),),
        quotas=(QuotaUse("vcpu", "environments.<env>.compute.aks_node_sku",
                         "VM family vCPUs × aks_node_count"),),
        variable="ENABLE_AKS_FOR_AZURE_ML",
    ),
    _svc(
        "aks", "Azure Kubernetes Service (standalone)", "project",
        ("Microsoft.ContainerService/managedClusters",), ("Microsoft.ContainerService",),
        subnets=(SubnetNeed("aks", SUBNET_SIZES["aks"]),),
        quotas=(QuotaUse("vcpu", "aifactory_extra.SKU_AKS_DEV",
                         "node VM size (v1.24 default Standard_D4s_v5) × node count"),),
        variable="ENABLE_AKS",
    ),
    _svc(
        "databricks", "Azure Databricks", "project", ("Microsoft.Databricks/workspaces",),
        ("Microsoft.Databricks",), ("privatelink.azuredatabricks.net",),
        (_PE, SubnetNeed("dbxpub", 26, "Microsoft.Databricks/workspaces"),
         SubnetNeed("dbxpriv", 26, "Microsoft.Databricks/workspaces")),
        variable="ENABLE_DATABRICKS",
    ),
    _svc("datafactory", "Azure Data Factory (project)", "project",
         ("Microsoft.DataFactory/factories",), ("Microsoft.DataFactory",),
         ("privatelink.datafactory.azure.net", "privatelink.adf.azure.com"), (_PE,),
         variable="ENABLE_DATAFACTORY"),
    _svc("datafactory_common", "Azure Data Factory (common)", "common",
         ("Microsoft.DataFactory/factories",), ("Microsoft.DataFactory",),
         ("privatelink.datafactory.azure.net", "privatelink.adf.azure.com"),
         variable="ENABLE_DATAFACTORY_COMMON"),
    _svc("cosmos_db", "Azure Cosmos DB", "project", ("Microsoft.DocumentDB/databaseAccounts",),
         ("Microsoft.DocumentDB",), ("privatelink.documents.azure.com",), (_PE,),
         (QuotaUse("cosmos_accounts", "projects", "one Cosmos DB account per project"),),
         "ENABLE_COSMOS_DB"),
    _svc("postgresql", "Azure Database for PostgreSQL flexible server", "project",
         ("Microsoft.DBforPostgreSQL/flexibleServers",), ("Microsoft.DBforPostgreSQL",),
         ("privatelink.postgres.database.azure.com",), (_PE,), variable="ENABLE_POSTGRESQL"),
    _svc("redis", "Azure Cache for Redis", "project", ("Microsoft.Cache/redis",),
         ("Microsoft.Cache",), ("privatelink.redis.cache.windows.net",), (_PE,),
         variable="ENABLE_REDIS_CACHE"),
    _svc("sql", "Azure SQL Database", "project",
         ("Microsoft.Sql/servers", "Microsoft.Sql/servers/databases"), ("Microsoft.Sql",),
         ("privatelink.database.windows.net",), (_PE,), variable="ENABLE_SQL_DATABASE"),
    _svc("container_apps", "Azure Container Apps", "project",
         ("Microsoft.App/managedEnvironments", "Microsoft.App/containerApps"),
         ("Microsoft.App", "Microsoft.OperationalInsights"),
         ("privatelink.{region}.azurecontainerapps.io",),
         (SubnetNeed("aca", SUBNET_SIZES["aca"]),), variable="ENABLE_CONTAINER_APPS"),
    _svc("webapp", "Azure App Service web app", "project",
         ("Microsoft.Web/sites", "Microsoft.Web/serverfarms"), ("Microsoft.Web",),
         _WEB_ZONES, (_PE, _WEB_SUBNET), variable="ENABLE_WEBAPP"),
    _svc("function", "Azure Functions", "project",
         ("Microsoft.Web/sites", "Microsoft.Web/serverfarms"), ("Microsoft.Web",),
         _WEB_ZONES, (_PE, _WEB_SUBNET), variable="ENABLE_FUNCTION"),
    _svc("logic_apps", "Azure Logic Apps", "project",
         ("Microsoft.Logic/workflows", "Microsoft.Web/sites"), ("Microsoft.Logic", "Microsoft.Web"),
         _WEB_ZONES, (_PE, _WEB_SUBNET), variable="ENABLE_LOGIC_APPS"),
    _svc("event_hubs", "Azure Event Hubs", "project", ("Microsoft.EventHub/namespaces",),
         ("Microsoft.EventHub",), ("privatelink.servicebus.windows.net",), (_PE,),
         variable="ENABLE_EVENT_HUBS"),
    _svc("bot_service", "Azure Bot Service", "project", ("Microsoft.BotService/botServices",),
         ("Microsoft.BotService",), variable="ENABLE_BOT_SERVICE"),
    _svc("elasticsearch", "Elastic Cloud (Elasticsearch)", "project",
         ("Microsoft.Elastic/monitors",), ("Microsoft.Elastic",),
         variable="ENABLE_ELASTICSEARCH"),
    _svc("appinsights_dashboard", "Application Insights dashboard", "project",
         ("Microsoft.Portal/dashboards",), ("Microsoft.Portal",),
         variable="ENABLE_APPINSIGHTS_DASHBOARD"),
    # ---- platform pieces every AI Factory has (or has when an access switch is on)
    _svc("key_vault", "Key Vault", "platform", ("Microsoft.KeyVault/vaults",),
         ("Microsoft.KeyVault",), ("privatelink.vaultcore.azure.net",), (_PE,)),
    _svc("storage", "Storage accounts and the data lake", "platform",
         ("Microsoft.Storage/storageAccounts",
          "Microsoft.Storage/storageAccounts/blobServices/containers"),
         ("Microsoft.Storage",),
         ("privatelink.blob.core.windows.net", "privatelink.file.core.windows.net",
          "privatelink.dfs.core.windows.net", "privatelink.queue.core.windows.net",
          "privatelink.table.core.windows.net"), (_PE,)),
    _svc("acr", "Container registry", "platform", ("Microsoft.ContainerRegistry/registries",),
         ("Microsoft.ContainerRegistry",),
         ("privatelink.azurecr.io",), (_PE,)),
    _svc("log_analytics", "Log Analytics workspace", "platform",
         ("Microsoft.OperationalInsights/workspaces",), ("Microsoft.OperationalInsights",)),
    _svc("app_insights", "Application Insights", "platform",
         ("Microsoft.Insights/components", "Microsoft.Insights/diagnosticSettings"),
         ("Microsoft.Insights", "Microsoft.AlertsManagement")),
    _svc("network", "Virtual network, subnets, NSGs, private endpoints", "platform",
         ("Microsoft.Network/virtualNetworks", "Microsoft.Network/virtualNetworks/subnets",
          "Microsoft.Network/networkSecurityGroups", "Microsoft.Network/privateEndpoints",
          "Microsoft.Network/privateEndpoints/privateDnsZoneGroups"),
         ("Microsoft.Network",)),
    _svc("managed_identity", "User-assigned managed identities", "platform",
         ("Microsoft.ManagedIdentity/userAssignedIdentities",), ("Microsoft.ManagedIdentity",)),
    _svc("rbac", "Resource groups and role assignments", "platform",
         ("Microsoft.Resources/resourceGroups", "Microsoft.Resources/deployments",
          "Microsoft.Authorization/roleAssignments"), ()),
    _svc("private_dns", "Private DNS zones (standalone mode)", "platform",
         ("Microsoft.Network/privateDnsZones",
          "Microsoft.Network/privateDnsZones/virtualNetworkLinks"), ("Microsoft.Network",)),
    _svc("bastion", "Azure Bastion", "platform",
         ("Microsoft.Network/bastionHosts", "Microsoft.Network/publicIPAddresses"),
         ("Microsoft.Network",),
         quotas=(QuotaUse("public_ips", "access.bastion",
                          "one Standard public IP per environment"),)),
    _svc("virtual_machine", "Admin / project jump VM", "platform",
         ("Microsoft.Compute/virtualMachines", "Microsoft.Network/networkInterfaces"),
         ("Microsoft.Compute",),
         quotas=(QuotaUse("vcpu", "aifactory_extra.ADMIN_VM_SIZE",
                          "one VM (v1.24 default Standard_D2s_v5)"),)),
    _svc("monitor_private_link", "Azure Monitor private link scope (AMPLS)", "platform",
         ("Microsoft.Insights/privateLinkScopes",), ("Microsoft.Insights",),
         ("privatelink.monitor.azure.com", "privatelink.oms.opinsights.azure.com",
          "privatelink.ods.opinsights.azure.com", "privatelink.agentsvc.azure-automation.net",
          "privatelink.blob.core.windows.net"), (_PE,), variable="ENABLE_AMPLS"),
    _svc("defender_for_ai", "Microsoft Defender for AI", "platform",
         ("Microsoft.Security/pricings",), ("Microsoft.Security",),
         variable="ENABLE_DEFENDER_FOR_AI_SUB_LEVEL"),
)

SERVICES: dict[str, Service] = {s.key: s for s in _SERVICE_LIST}
"""Every service flag of ServicesConfig plus the platform pieces, by key."""

ALWAYS_ON: tuple[str, ...] = (
    "key_vault", "storage", "acr", "log_analytics", "app_insights", "network",
    "managed_identity", "rbac",
)
"""Platform pieces every environment gets regardless of flags."""


# --------------------------------------------------------------------------- providers

AIF_CORE_PROVIDERS: tuple[str, ...] = tuple(
    f"Microsoft.{n}"
    for n in (
        "Security", "Insights", "Notebooks", "SqlVirtualMachine", "MachineLearningServices",
        "DataFactory", "Databricks", "KeyVault", "OperationalInsights", "Kubernetes",
        "KubernetesConfiguration", "KubernetesRuntime", "ContainerRegistry", "ContainerInstance",
        "ContainerService", "EventGrid", "EventHub", "VirtualMachineImages", "Storage", "Network",
        "Compute", "ManagedIdentity", "DataLakeStore", "Batch", "ManagedServices",
        "AlertsManagement",
    )
)
"""§5.4 "Core + ESML" providers of 26-enable-resource-providers.ps1."""

AIF_GENAI_PROVIDERS: tuple[str, ...] = tuple(
    f"Microsoft.{n}"
    for n in (
        "Search", "CognitiveServices", "DocumentDB", "AppConfiguration", "DomainRegistration",
        "CertificateRegistration", "Web", "ApiManagement", "PowerPlatform",
    )
)
"""§5.4 GenAI providers."""

AIF_DEFAULT_PROVIDERS: tuple[str, ...] = AIF_CORE_PROVIDERS + AIF_GENAI_PROVIDERS
"""What the AI Factory's provider script registers by default (core + GenAI)."""

AIF_OPTIONAL_PROVIDERS: tuple[str, ...] = tuple(
    f"Microsoft.{n}"
    for n in (
        "BotService", "Purview", "PowerBI", "PowerBIDedicated", "App", "Sql", "Cache",
        "DBforPostgreSQL", "Elastic", "Media", "Bing", "Logic", "Portal",
    )
)
"""Registered by hand when the service is on (§5.4 "manual / optional", plus Bing/Logic/Portal)."""

ALWAYS_PROVIDERS: tuple[str, ...] = (
    "Microsoft.KeyVault", "Microsoft.Storage", "Microsoft.Network", "Microsoft.ManagedIdentity",
    "Microsoft.OperationalInsights", "Microsoft.Insights", "Microsoft.ContainerRegistry",
)
"""Providers every environment subscription needs whatever the services."""


# --------------------------------------------------------------------------- switches that need others


@dataclass(frozen=True, slots=True)
class FlagNeed:
    """One AI Factory switch that needs another one on, as the v1.24 templates have it."""

    flag: str
    """Dotted FactoryConfig path of the switch that needs, e.g. `services.foundry_caphost`."""
    needs: str
    """Dotted path of the switch it needs on, e.g. `services.cosmos_db`."""
    why: str
    """What `flag` does with it, completing "<flag> …", e.g. "keeps its agent threads in Cosmos DB
    (…)"; front ends quote it when they switch one because of the other."""
    gate: bool
    """True: without `needs` the templates skip `flag` (it does nothing). False: they still
    deploy it, bringing what `needs` stands for along (or the deployment fails)."""


FLAG_NEEDS: tuple[FlagNeed, ...] = (
    FlagNeed("services.foundry_caphost", "services.ai_foundry",
             "is part of the AI Foundry account (09-ai-foundry-2025.bicep creates it only with "
             "ENABLE_AI_FOUNDRY)", gate=True),
    FlagNeed("services.foundry_caphost", "services.cosmos_db",
             "keeps its agent threads in Cosmos DB (04-databases.bicep deploys one for it even with "
             "ENABLE_COSMOS_DB off)", gate=False),
    FlagNeed("services.foundry_caphost", "services.ai_search",
             "uses AI Search as the agents' vector store (03-cognitive-services.bicep deploys one for "
             "it even with ENABLE_AI_SEARCH off)", gate=False),
    FlagNeed("services.agent_network_injection", "services.ai_foundry",
             "puts AI Foundry's agents in the project's aca-002 subnet (09-ai-foundry-2025.bicep "
             "delegates the subnet only with ENABLE_AI_FOUNDRY)", gate=True),
    FlagNeed("services.ai_search_shared_private_link", "services.ai_search",
             "links AI Search privately to the project's storage and Foundry (09-ai-foundry-2025.bicep "
             "deploys it only with ENABLE_AI_SEARCH)", gate=True),
    FlagNeed("services.ai_search_shared_private_link", "services.ai_foundry",
             "links AI Search privately to AI Foundry (09-ai-foundry-2025.bicep deploys it only with "
             "ENABLE_AI_FOUNDRY)", gate=True),
    FlagNeed("services.aks_for_azure_ml", "services.azure_ml",
             "is the Azure ML workspace's inference cluster (07-ml-data-platform.bicep attaches it "
             "only with ENABLE_AZURE_MACHINE_LEARNING)", gate=True),
    FlagNeed("security.cmk", "security.keyvault_purge_protection",
             "needs Key Vault purge protection: Azure refuses customer-managed keys in a vault "
             "without it, and once deployed it cannot be turned off", gate=False),
)
"""Every switch that needs another, read from the AI Factory v1.24 bicep (file named in `why`)."""


def active_services(services: ServicesConfig) -> list[str]:
    """Service keys one ServicesConfig really deploys: the switches on, less those gated off.

    A switch whose gate is off (FLAG_NEEDS with `gate`) is skipped by the templates: AKS for
    Azure ML without Azure ML, the capability host without AI Foundry.
    """
    on = {f"services.{name}" for name, value in services if value is True}
    gated = {need.flag for need in FLAG_NEEDS if need.gate and need.needs not in on}
    return [name for name in services.enabled_names() if name in SERVICES and f"services.{name}" not in gated]


def uses_hub_dns(config: FactoryConfig) -> bool:
    """True when private endpoints use the hub's zones (CENTRAL_DNS_ZONE_BY_POLICY_IN_HUB)."""
    zone = config.landing_zone
    return isinstance(zone, HubSpokeZone | VwanZone) and zone.dns.records_by_policy


def selected_services(config: FactoryConfig) -> list[str]:
    """Every SERVICES key the configuration deploys: the union over projects, plus platform."""
    chosen: list[str] = list(ALWAYS_ON)
    sources = [config.project_services(p) for p in config.projects] or [config.services]
    for services in sources:
        chosen.extend(s for s in active_services(services) if s not in chosen)
    if config.services.datafactory_common and "datafactory_common" not in chosen:
        chosen.append("datafactory_common")
    if not uses_hub_dns(config):
        chosen.append("private_dns")
    if config.access.bastion:
        chosen.append("bastion")
    if config.access.admin_vm or config.access.project_vm:
        chosen.append("virtual_machine")
    if config.aifactory_extra.get("ENABLE_AMPLS", "").lower() == "true":
        chosen.append("monitor_private_link")
    if config.security.defender_for_ai_subscription or config.security.defender_for_ai_resource:
        chosen.append("defender_for_ai")
    return chosen


ProviderScope = Literal["environment", "hub_dns"]
"""Which subscription a provider list is for: an environment's, or the hub's DNS subscription."""


def required_providers(
    config: FactoryConfig, *, subscription: ProviderScope = "environment"
) -> dict[str, list[str]]:
    """Provider namespace → the services that need it registered.

    For `subscription="environment"`: the always-needed platform providers plus those of the
    selected services. For `"hub_dns"`: what the hub's private-DNS subscription needs, i.e.
    Microsoft.ContainerService when AKS is on and zones live in the hub (§5.4: private AKS
    with a custom zone); empty otherwise.
    """
    chosen = selected_services(config)
    if subscription == "hub_dns":
        aks = [s for s in chosen if s in ("aks", "aks_for_azure_ml")]
        return {"Microsoft.ContainerService": aks} if aks and uses_hub_dns(config) else {}
    needed: dict[str, list[str]] = {ns: [] for ns in ALWAYS_PROVIDERS}
    for key in chosen:
        for namespace in SERVICES[key].providers:
            users = needed.setdefault(namespace, [])
            if key not in users:
                users.append(key)
    return needed


def required_resource_types(config: FactoryConfig) -> dict[str, list[str]]:
    """`Microsoft.X/type` → the selected services that create it (for region-offer checks)."""
    types: dict[str, list[str]] = {}
    for key in selected_services(config):
        for resource_type in SERVICES[key].resource_types:
            users = types.setdefault(resource_type, [])
            if key not in users:
                users.append(key)
    return types


def private_dns_zones(config: FactoryConfig, env: EnvName | None = None) -> list[str]:
    """Zones the selected services' private endpoints need, sorted; `{region}` filled in.

    With `env` the zones of that environment's region; without, of every enabled environment.
    """
    envs = [(env, config.environments.get(env))] if env else config.environments.enabled()
    zones: set[str] = set()
    for key in selected_services(config):
        for zone in SERVICES[key].private_dns_zones:
            zones.update(zone_for_region(zone, e.region) for _, e in envs)
    return sorted(zones)


# --------------------------------------------------------------------------- VM sizes


@dataclass(frozen=True, slots=True)
class VmSku:
    """A VM size and the quota family it draws vCPUs from."""

    name: str
    """ARM size name, e.g. `Standard_DS3_v2`."""
    vcpus: int
    """vCPUs the VM offers (for constrained sizes like DS13-2_v2, the usable count)."""
    memory_gib: float
    """Memory in GiB."""
    family: str
    """Quota family as Compute usages report it (`name.value`), e.g. `standardDSv2Family`."""
    quota_vcpus: int = 0
    """vCPUs charged against the family quota when it differs from `vcpus` (constrained sizes)."""
    gpus: int = 0
    """GPUs, 0 for CPU sizes."""

    @property
    def charged_vcpus(self) -> int:
        """vCPUs one VM takes from the family quota."""
        return self.quota_vcpus or self.vcpus


VM_SKUS: dict[str, VmSku] = {
    v.name: v
    for v in (
        VmSku("Standard_B4ms", 4, 16, "standardBSFamily"),
        VmSku("Standard_B2ms", 2, 8, "standardBSFamily"),
        VmSku("Standard_DS3_v2", 4, 14, "standardDSv2Family"),
        VmSku("Standard_DS11_v2", 2, 14, "standardDSv2Family"),
        VmSku("Standard_DS12_v2", 4, 28, "standardDSv2Family"),
        VmSku("Standard_DS13_v2", 8, 56, "standardDSv2Family"),
        VmSku("Standard_DS13-2_v2", 2, 56, "standardDSv2Family", quota_vcpus=8),
        VmSku("Standard_D13_v2", 8, 56, "standardDv2Family"),
        VmSku("Standard_D4s_v3", 4, 16, "standardDSv3Family"),
        VmSku("Standard_E2s_v3", 2, 16, "standardESv3Family"),
        VmSku("Standard_D2s_v5", 2, 8, "standardDSv5Family"),
        VmSku("Standard_D4s_v5", 4, 16, "standardDSv5Family"),
        VmSku("Standard_D8s_v5", 8, 32, "standardDSv5Family"),
        VmSku("Standard_D16s_v5", 16, 64, "standardDSv5Family"),
        VmSku("Standard_D2as_v5", 2, 8, "standardDASv5Family"),
        VmSku("Standard_D4ds_v5", 4, 16, "standardDDSv5Family"),
        VmSku("Standard_E4s_v5", 4, 32, "standardESv5Family"),
        VmSku("Standard_E8s_v5", 8, 64, "standardESv5Family"),
        VmSku("Standard_F4s_v2", 4, 8, "standardFSv2Family"),
        VmSku("Standard_NC6s_v3", 6, 112, "standardNCSv3Family", gpus=1),
        VmSku("Standard_NC4as_T4_v3", 4, 28, "standardNCASv3_T4Family", gpus=1),
        VmSku("Standard_NC24ads_A100_v4", 24, 220, "StandardNCADSA100v4Family", gpus=1),
        VmSku("Standard_ND96amsr_A100_v4", 96, 1900, "standardNDAMSv4_A100Family", gpus=8),
    )
}
"""VM sizes the AI Factory defaults to (AKS, AML cluster/instance, admin VM) and alternatives."""


def vm_sku(name: str) -> VmSku | None:
    """The VM size called `name` (case-insensitive); None when the catalog does not know it."""
    found = VM_SKUS.get(name)
    if found is not None:
        return found
    lowered = name.lower()
    return next((v for v in VM_SKUS.values() if v.name.lower() == lowered), None)


# --------------------------------------------------------------------------- models

ModelSkuName = Literal["Standard", "DataZoneStandard", "GlobalStandard", "ProvisionedManaged"]
"""Deployment types (model.ModelSku)."""


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """A model the AI Factory can deploy into each project's Foundry account."""

    name: str
    """Model name as the deployment API takes it, e.g. `gpt-4o`."""
    default_version: str
    """Version the AI Factory uses when MODEL_*_VERSION is empty (or the newest known)."""
    skus: tuple[ModelSkuName, ...]
    """Deployment types the model is offered with (somewhere; regions differ)."""
    kind: Literal["chat", "embedding"]
    """Chat/completions model or embedding model."""
    format: str = "OpenAI"
    """Model format in the deployment body."""
    aif_variable: str = ""
    """The AI Factory switch that deploys it (DEPLOY_MODEL_*), when it has its own."""


_GLOBAL_DZ: tuple[ModelSkuName, ...] = ("DataZoneStandard", "GlobalStandard")
_ALL3: tuple[ModelSkuName, ...] = ("Standard", "DataZoneStandard", "GlobalStandard")

MODELS: dict[str, ModelInfo] = {
    m.name: m
    for m in (
        ModelInfo("gpt-5.1", "2025-11-13", _GLOBAL_DZ, "chat", aif_variable="DEPLOY_MODEL_GPT_X"),
        ModelInfo("gpt-5-mini", "2025-08-07", _GLOBAL_DZ, "chat",
                  aif_variable="DEPLOY_MODEL_GPT_X"),
        ModelInfo("gpt-5.4-mini", "2026-03-17", _GLOBAL_DZ, "chat",
                  aif_variable="DEPLOY_MODEL_GPT_54_MINI"),
        ModelInfo("gpt-4o", "2024-11-20", (*_ALL3, "ProvisionedManaged"), "chat",
                  aif_variable="DEPLOY_MODEL_GPT_4O"),
        ModelInfo("gpt-4o-mini", "2024-07-18", _ALL3, "chat"),
        ModelInfo("text-embedding-3-large", "1", _ALL3, "embedding",
                  aif_variable="DEPLOY_MODEL_TEXT_EMBEDDING_3_LARGE"),
        ModelInfo("text-embedding-3-small", "1", _ALL3, "embedding",
                  aif_variable="DEPLOY_MODEL_TEXT_EMBEDDING_3_SMALL"),
        ModelInfo("text-embedding-ada-002", "2", ("Standard", "GlobalStandard"), "embedding",
                  aif_variable="DEPLOY_MODEL_TEXT_EMBEDDING_ADA_002"),
    )
}
"""Models the AI Factory v1.24 deploys. SKU lists are static; live checks have the last word."""


def usage_name(model: str, sku: str) -> str:
    """Cognitive Services usage that meters a deployment's TPM: `OpenAI.<Sku>.<model>`."""
    return f"OpenAI.{sku}.{model}"


# --------------------------------------------------------------------------- AI Search tiers


@dataclass(frozen=True, slots=True)
class SearchTier:
    """An AI Search pricing tier and what the AI Factory needs from it."""

    name: str
    """ADMIN_AISEARCH_TIER value, e.g. `basic`."""
    display_name: str
    """Portal name, e.g. `Standard S2`."""
    private_endpoints: bool
    """Private endpoints allowed; the AI Factory always creates one, so False is a blocker."""
    semantic_ranker: bool
    """Semantic ranker can be enabled (AISEARCH_SEMANTIC_TIER other than disabled)."""
    shared_private_link: bool
    """Shared private links (ENABLE_AI_SEARCH_SHARED_PRIVATE_LINK); older docs said S2+ only."""


SEARCH_TIERS: dict[str, SearchTier] = {
    t.name: t
    for t in (
        SearchTier("free", "Free", False, False, False),
        SearchTier("basic", "Basic", True, True, True),
        SearchTier("standard", "Standard S1", True, True, True),
        SearchTier("standard2", "Standard S2", True, True, True),
        SearchTier("standard3", "Standard S3", True, True, True),
        SearchTier("storage_optimized_l1", "Storage Optimized L1", True, True, True),
        SearchTier("storage_optimized_l2", "Storage Optimized L2", True, True, True),
    )
}
"""Every tier SkuConfig.ai_search_tier allows. Semantic ranker also depends on the region."""


# --------------------------------------------------------------------------- api-versions

API_VERSIONS: dict[str, str] = {
    "Microsoft.Authorization/roleAssignments": "2022-04-01",
    "Microsoft.CognitiveServices/accounts": "2026-05-01",
    "Microsoft.CognitiveServices/accounts/deployments": "2026-05-01",
    "Microsoft.CognitiveServices/accounts/projects": "2026-05-01",
    "Microsoft.ContainerRegistry/registries": "2025-11-01",
    "Microsoft.ContainerService/managedClusters": "2026-05-01",
    "Microsoft.DocumentDB/databaseAccounts": "2026-03-15",
    "Microsoft.Insights/components": "2020-02-02",
    "Microsoft.Insights/diagnosticSettings": "2021-05-01-preview",
    "Microsoft.KeyVault/vaults": "2026-02-01",
    "Microsoft.MachineLearningServices/workspaces": "2026-05-01",
    "Microsoft.MachineLearningServices/workspaces/computes": "2026-05-01",
    "Microsoft.ManagedIdentity/userAssignedIdentities": "2024-11-30",
    "Microsoft.Network/bastionHosts": "2025-07-01",
    "Microsoft.Network/networkSecurityGroups": "2025-07-01",
    "Microsoft.Network/privateDnsZones": "2024-06-01",
    "Microsoft.Network/privateDnsZones/virtualNetworkLinks": "2024-06-01",
    "Microsoft.Network/privateEndpoints": "2025-07-01",
    "Microsoft.Network/privateEndpoints/privateDnsZoneGroups": "2025-07-01",
    "Microsoft.Network/publicIPAddresses": "2025-07-01",
    "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections": "2025-07-01",
    "Microsoft.Network/virtualNetworks": "2025-07-01",
    "Microsoft.Network/virtualNetworks/subnets": "2025-07-01",
    "Microsoft.Network/virtualNetworks/virtualNetworkPeerings": "2025-07-01",
    "Microsoft.OperationalInsights/workspaces": "2025-07-01",
    "Microsoft.Resources/deployments": "2025-04-01",
    "Microsoft.Resources/resourceGroups": "2025-04-01",
    "Microsoft.Search/searchServices": "2025-05-01",
    "Microsoft.Security/pricings": "2024-01-01",
    "Microsoft.Storage/storageAccounts": "2026-04-01",
    "Microsoft.Storage/storageAccounts/blobServices/containers": "2026-04-01",
}
"""Resource type -> the api-version every deployment template uses for it, and the live checks
read it with. Those of ../shared/reference/arm-schemas/README.md: the newest stable version each
type has a published schema for (tests hold every template body to that schema)."""
