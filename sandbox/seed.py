"""The seeded demo tenant, exactly as docs/demo-tenant.md describes it.

The seed is deterministic and plain data: names here are facts about an imaginary Contoso
tenant, not knowledge of the wizard. Tests use the module constants (`AIF_DEV`,
`TAKEN_STORAGE_NAMES`, `DELETED_VAULTS`, ...) to check behaviour against the same facts.

`build_catalog()` renders the static part (regions, providers, SKUs, quotas, models, names);
`seed_world()` creates what clients can change (provider registrations, resource groups and the
pre-existing networks), and `top_up_world()` brings a saved world up to a newer seed.
"""

from __future__ import annotations

from typing import Any

from sandbox.clock import parse_iso
from sandbox.state import Catalog, World

# --- tenants and the caller -------------------------------------------------------------------

CONTOSO_TENANT = "8f1e2d3c-4b5a-4c6d-9e8f-0a1b2c3d4e5f"
FABRIKAM_TENANT = "9a2f3e4d-5c6b-4d7e-8f90-1b2c3d4e5f60"
CALLER_OBJECT_ID = "5d6e7f80-91a2-4b3c-8d4e-5f6a7b8c9d0e"
CALLER_UPN = "demo.user@contoso-demo.onmicrosoft.com"

TENANTS: list[dict[str, Any]] = [
    {
        "tenantId": CONTOSO_TENANT,
        "displayName": "Contoso AI (demo)",
        "tenantCategory": "Home",
        "countryCode": "US",
        "defaultDomain": "contoso-demo.onmicrosoft.com",
        "domains": ["contoso-demo.onmicrosoft.com"],
        "tenantType": "AAD",
    },
    {
        "tenantId": FABRIKAM_TENANT,
        "displayName": "Fabrikam Partner (demo)",
        "tenantCategory": "ProjectedBy",
        "countryCode": "SE",
        "defaultDomain": "fabrikam-demo.onmicrosoft.com",
        "domains": ["fabrikam-demo.onmicrosoft.com"],
        "tenantType": "AAD",
    },
]

# --- subscriptions ------------------------------------------------------------------------------

AIF_DEV = "0b1c5e2a-7d3f-4a8e-9c61-2f0d8e4b7a11"
AIF_STAGE = "1c2d6f3b-8e4a-4b9f-8d72-3a1e9f5c8b22"
AIF_PROD = "2d3e7a4c-9f5b-4ca0-9e83-4b2fa06d9c33"
CONNECTIVITY_HUB = "3e4f8b5d-a06c-4db1-8f94-5c3ab17eac44"
LEGACY_SANDBOX = "4f5a9c6e-b17d-4ec2-a0a5-6d4bc28fbd55"

#: Environment subscriptions demo mode maps dev/stage/prod to when none is set.
DEMO_ENVIRONMENT_SUBSCRIPTIONS = {"dev": AIF_DEV, "stage": AIF_STAGE, "prod": AIF_PROD}

SUBSCRIPTIONS: list[dict[str, Any]] = [
    {"subscriptionId": AIF_DEV, "displayName": "aif-dev", "state": "Enabled"},
    {"subscriptionId": AIF_STAGE, "displayName": "aif-stage", "state": "Enabled"},
    {"subscriptionId": AIF_PROD, "displayName": "aif-prod", "state": "Enabled"},
    {"subscriptionId": CONNECTIVITY_HUB, "displayName": "connectivity-hub", "state": "Enabled"},
    {"subscriptionId": LEGACY_SANDBOX, "displayName": "legacy-sandbox", "state": "Disabled"},
]

# --- regions ------------------------------------------------------------------------------------

#: (name, display name, geography group, geography, physical location, lat, long, paired region)
_REGIONS: list[tuple[str, str, str, str, str, str, str, str]] = [
    ("eastus", "East US", "US", "United States", "Virginia", "37.3719", "-79.8164", "westus"),
    ("eastus2", "East US 2", "US", "United States", "Virginia", "36.6681", "-78.3889", "centralus"),
    ("westus2", "West US 2", "US", "United States", "Washington", "47.233", "-119.852",
     "westcentralus"),
    ("westus3", "West US 3", "US", "United States", "Phoenix", "33.448376", "-112.074036",
     "eastus"),
    ("centralus", "Central US", "US", "United States", "Iowa", "41.5908", "-93.6208", "eastus2"),
    ("canadacentral", "Canada Central", "Canada", "Canada", "Toronto", "43.653", "-79.383",
     "canadaeast"),
    ("northeurope", "North Europe", "Europe", "Europe", "Ireland", "53.3478", "-6.2597",
     "westeurope"),
    ("westeurope", "West Europe", "Europe", "Europe", "Netherlands", "52.3667", "4.9",
     "northeurope"),
    ("swedencentral", "Sweden Central", "Europe", "Sweden", "Gävle", "60.67488", "17.14127",
     "swedensouth"),
    ("uksouth", "UK South", "Europe", "United Kingdom", "London", "50.941", "-0.799", "ukwest"),
    ("francecentral", "France Central", "Europe", "France", "Paris", "46.3772", "2.373",
     "francesouth"),
    ("germanywestcentral", "Germany West Central", "Europe", "Germany", "Frankfurt", "50.110924",
     "8.682127", "germanynorth"),
    ("norwayeast", "Norway East", "Europe", "Norway", "Norway", "59.913868", "10.752245",
     "norwaywest"),
    ("australiaeast", "Australia East", "Asia Pacific", "Australia", "New South Wales", "-33.86",
     "151.2094", "australiasoutheast"),
    ("japaneast", "Japan East", "Asia Pacific", "Japan", "Tokyo, Saitama", "35.68", "139.77",
     "japanwest"),
]

REGIONS: list[str] = [r[0] for r in _REGIONS]
"""The 15 regions every subscription sees."""

REGION_DISPLAY_NAMES: dict[str, str] = {r[0]: r[1] for r in _REGIONS}

US_REGIONS = ["eastus", "eastus2", "westus2", "westus3", "centralus"]
EU_DATA_ZONE = ["northeurope", "westeurope", "swedencentral", "francecentral", "germanywestcentral"]

# --- providers ----------------------------------------------------------------------------------

_CAPS = "CrossResourceGroupResourceMove, CrossSubscriptionResourceMove, SupportsTags, SupportsLocation"


def _rt(
    resource_type: str,
    api_versions: list[str],
    locations: list[str] | None = None,
    capabilities: str = _CAPS,
) -> dict[str, Any]:
    return {
        "resourceType": resource_type,
        "locations": list(REGIONS if locations is None else locations),
        "apiVersions": api_versions,
        "capabilities": capabilities,
    }


_ALL_BUT_NORWAY = [r for r in REGIONS if r != "norwayeast"]

ELASTIC_REGIONS = ["eastus", "eastus2", "westus2", "centralus", "canadacentral", "northeurope", "westeurope",
                   "uksouth", "francecentral", "japaneast", "australiaeast"]
"""Where Elastic Cloud (Microsoft.Elastic/monitors, a Marketplace SaaS offer) can be created."""

_NRP_NEWER = ["2026-03-01", "2025-09-01"]
"""Network provider versions past the 2025-07-01 schema: azure-mgmt-network 33 sends 2026-03-01 for
every type, the official examples use 2025-09-01."""

#: Api-versions per type: the ARM template schema's (../shared/reference/arm-schemas), the ones the
#: installed SDK clients send (keyvault 2026-05-15, storage 2026-09-01, ...) and the official
#: examples' (arm-examples/INDEX.md); `sandbox.api_versions` refuses any other, as ARM does.
#: Provider namespace -> (registration policy, resource types). Locations are region names here
#: and are rendered as display names (as ARM does) by the providers route.
PROVIDERS: dict[str, tuple[str, list[dict[str, Any]]]] = {
    "Microsoft.Resources": ("RegistrationFree", [
        _rt("resourceGroups", ["2025-04-01", "2024-11-01", "2022-09-01"]),
        _rt("deployments", ["2026-09-01", "2026-06-01", "2025-04-01", "2024-11-01"], [], "SupportsTags"),
        _rt("deployments/operations", ["2026-09-01", "2026-06-01", "2025-04-01"], [], "None"),
        _rt("subscriptions", ["2022-12-01", "2021-01-01"], [], "None"),
        _rt("tags", ["2025-04-01", "2024-11-01"], [], "SupportsExtension"),
        _rt("deploymentScripts", ["2023-08-01", "2020-10-01"]),
    ]),
    "Microsoft.Authorization": ("RegistrationFree", [
        _rt("roleAssignments", ["2026-08-01", "2022-04-01", "2020-10-01-preview"], [], "SupportsExtension"),
        _rt("roleDefinitions", ["2022-04-01", "2018-01-01-preview"], [], "SupportsExtension"),
        _rt("permissions", ["2022-04-01", "2018-07-01"], [], "SupportsExtension"),
        _rt("policyAssignments", ["2025-03-01", "2024-04-01"], [], "SupportsExtension"),
        _rt("locks", ["2020-05-01", "2016-09-01"], [], "SupportsExtension"),
    ]),
    "Microsoft.Network": ("RegistrationRequired", [
        _rt("virtualNetworks", [*_NRP_NEWER, "2025-07-01", "2024-05-01", "2023-11-01"]),
        _rt("virtualNetworks/subnets", [*_NRP_NEWER, "2025-07-01", "2024-05-01"], None, "None"),
        _rt("virtualNetworks/virtualNetworkPeerings", [*_NRP_NEWER, "2025-07-01", "2024-05-01"], None, "None"),
        _rt("networkSecurityGroups", [*_NRP_NEWER, "2025-07-01", "2024-05-01"]),
        _rt("privateEndpoints", [*_NRP_NEWER, "2025-07-01", "2024-05-01"]),
        _rt("privateEndpoints/privateDnsZoneGroups", [*_NRP_NEWER, "2025-07-01", "2024-05-01"], None, "None"),
        _rt("publicIPAddresses", [*_NRP_NEWER, "2025-07-01", "2024-05-01"]),
        _rt("bastionHosts", [*_NRP_NEWER, "2025-07-01", "2024-05-01"]),
        _rt("routeTables", [*_NRP_NEWER, "2025-07-01", "2024-05-01"]),
        _rt("natGateways", [*_NRP_NEWER, "2025-07-01", "2024-05-01"]),
        _rt("virtualWans", [*_NRP_NEWER, "2025-07-01", "2024-05-01"]),
        _rt("virtualHubs", [*_NRP_NEWER, "2025-07-01", "2024-05-01"]),
        _rt("virtualHubs/hubVirtualNetworkConnections", [*_NRP_NEWER, "2025-07-01", "2024-05-01"], None, "None"),
        _rt("privateDnsZones", ["2024-06-01", "2020-06-01"], ["global"]),
        _rt("privateDnsZones/virtualNetworkLinks", ["2024-06-01", "2020-06-01"], ["global"]),
    ]),
    "Microsoft.Storage": ("RegistrationRequired", [
        _rt("storageAccounts", ["2026-09-01", "2026-04-01", "2025-06-01", "2024-01-01"]),
        _rt("storageAccounts/blobServices", ["2026-09-01", "2026-04-01", "2025-06-01"], None, "None"),
        _rt("storageAccounts/blobServices/containers", ["2026-09-01", "2026-04-01", "2025-06-01"], None, "None"),
        _rt("checkNameAvailability", ["2026-09-01", "2026-04-01", "2025-06-01"], [], "None"),
    ]),
    "Microsoft.KeyVault": ("RegistrationRequired", [
        _rt("vaults", ["2026-05-15", "2026-02-01", "2024-11-01", "2023-07-01"]),
        _rt("deletedVaults", ["2026-05-15", "2026-02-01", "2024-11-01"], [], "None"),
        _rt("locations/deletedVaults", ["2026-05-15", "2026-02-01", "2024-11-01"], None, "None"),
        _rt("locations/operationResults", ["2026-05-15", "2026-02-01", "2024-11-01"], None, "None"),
        _rt("checkNameAvailability", ["2026-05-15", "2026-02-01", "2024-11-01"], [], "None"),
    ]),
    "Microsoft.CognitiveServices": ("RegistrationRequired", [
        _rt("accounts", ["2026-09-01", "2026-05-01", "2025-09-01", "2024-10-01"]),
        _rt("accounts/deployments", ["2026-09-01", "2026-05-01", "2025-09-01"], None, "None"),
        _rt("accounts/projects", ["2026-05-01", "2025-09-01"]),
        _rt("deletedAccounts", ["2026-05-01", "2025-09-01"], [], "None"),
        _rt("locations/models", ["2026-09-01", "2026-05-01", "2025-09-01"], None, "None"),
        _rt("locations/usages", ["2026-09-01", "2026-05-01", "2025-09-01"], None, "None"),
    ]),
    "Microsoft.MachineLearningServices": ("RegistrationRequired", [
        _rt("workspaces", ["2026-07-01", "2026-05-01", "2025-06-01", "2024-10-01"]),
        _rt("workspaces/computes", ["2026-05-01", "2025-06-01"], None, "None"),
        _rt("registries", ["2026-05-01", "2025-06-01"]),
    ]),
    "Microsoft.Search": ("RegistrationRequired", [
        _rt("searchServices", ["2025-05-01", "2024-06-01-preview", "2023-11-01"]),
        _rt("checkNameAvailability", ["2025-05-01", "2023-11-01"], [], "None"),
        _rt("locations/usages", ["2025-05-01", "2025-02-01-preview", "2023-11-01"], None, "None"),
    ]),
    "Microsoft.ContainerRegistry": ("RegistrationRequired", [
        _rt("registries", ["2025-11-01", "2025-04-01", "2023-07-01"]),
        _rt("checkNameAvailability", ["2025-11-01", "2023-07-01"], [], "None"),
    ]),
    "Microsoft.ContainerService": ("RegistrationRequired", [
        _rt("managedClusters", ["2026-05-01", "2025-07-01", "2024-09-01"]),
    ]),
    "Microsoft.ContainerInstance": ("RegistrationRequired", [
        _rt("containerGroups", ["2024-10-01-preview", "2023-05-01"]),
    ]),
    "Microsoft.Insights": ("RegistrationRequired", [
        _rt("components", ["2020-02-02", "2015-05-01"]),
        _rt("diagnosticSettings", ["2021-05-01-preview", "2017-05-01-preview"], [],
            "SupportsExtension"),
        _rt("actionGroups", ["2024-10-01-preview", "2023-01-01"], ["global"]),
    ]),
    "Microsoft.OperationalInsights": ("RegistrationRequired", [
        _rt("workspaces", ["2025-07-01", "2023-09-01", "2022-10-01"]),
    ]),
    "Microsoft.App": ("RegistrationRequired", [
        _rt("managedEnvironments", ["2025-07-01", "2024-03-01"], _ALL_BUT_NORWAY),
        _rt("containerApps", ["2025-07-01", "2024-03-01"]),
    ]),
    "Microsoft.Web": ("RegistrationRequired", [
        _rt("sites", ["2024-11-01", "2023-12-01"]),
        _rt("serverFarms", ["2024-11-01", "2023-12-01"]),
    ]),
    "Microsoft.DocumentDB": ("RegistrationRequired", [
        _rt("databaseAccounts", ["2026-03-15", "2025-04-15", "2024-11-15"]),
        _rt("locations", ["2026-03-15", "2025-04-15", "2024-11-15"], [], "None"),
    ]),
    "Microsoft.Elastic": ("RegistrationRequired", [
        _rt("monitors", ["2025-06-01", "2024-03-01"], ELASTIC_REGIONS),
        _rt("monitors/tagRules", ["2025-06-01", "2024-03-01"], ELASTIC_REGIONS, "None"),
    ]),
    "Microsoft.Databricks": ("RegistrationRequired", [
        _rt("workspaces", ["2025-03-01-preview", "2024-05-01"]),
        _rt("accessConnectors", ["2025-03-01-preview", "2024-05-01"]),
    ]),
    "Microsoft.Compute": ("RegistrationRequired", [
        _rt("virtualMachines", ["2026-04-01", "2024-11-01", "2024-07-01"]),
        _rt("virtualMachineScaleSets", ["2026-04-01", "2024-11-01"]),
        _rt("disks", ["2025-01-02", "2024-03-02"]),
        _rt("skus", ["2021-07-01", "2019-04-01"], [], "None"),
        _rt("locations/usages", ["2026-04-01", "2025-04-01", "2024-11-01"], None, "None"),
    ]),
    "Microsoft.ManagedIdentity": ("RegistrationRequired", [
        _rt("userAssignedIdentities", ["2024-11-30", "2023-01-31", "2018-11-30"]),
    ]),
    "Microsoft.DataFactory": ("RegistrationRequired", [
        _rt("factories", ["2018-06-01"]),
    ]),
    "Microsoft.EventGrid": ("RegistrationRequired", [
        _rt("topics", ["2025-02-15", "2024-06-01-preview"]),
        _rt("systemTopics", ["2025-02-15", "2024-06-01-preview"]),
    ]),
    "Microsoft.EventHub": ("RegistrationRequired", [
        _rt("namespaces", ["2024-01-01", "2021-11-01"]),
    ]),
    "Microsoft.Security": ("RegistrationRequired", [
        _rt("pricings", ["2024-01-01", "2023-01-01"], [], "None"),
    ]),
    "Microsoft.AlertsManagement": ("RegistrationRequired", [
        _rt("smartDetectorAlertRules", ["2021-04-01", "2019-06-01"], ["global"]),
    ]),
    "Microsoft.Bing": ("RegistrationRequired", [
        _rt("accounts", ["2025-05-01-preview", "2020-06-10"], ["global"]),
    ]),
    "Microsoft.Cache": ("RegistrationRequired", [
        _rt("redis", ["2024-11-01", "2024-03-01"]),
    ]),
    "Microsoft.DBforPostgreSQL": ("RegistrationRequired", [
        _rt("flexibleServers", ["2024-08-01", "2023-06-01-preview"]),
    ]),
    "Microsoft.Sql": ("RegistrationRequired", [
        _rt("servers", ["2023-08-01", "2021-11-01"]),
    ]),
    "Microsoft.AppConfiguration": ("RegistrationRequired", [
        _rt("configurationStores", ["2024-05-01", "2023-03-01"]),
    ]),
    "Microsoft.ApiManagement": ("RegistrationRequired", [
        _rt("service", ["2024-05-01", "2022-08-01"]),
    ]),
    "Microsoft.BotService": ("RegistrationRequired", [
        _rt("botServices", ["2023-09-15-preview", "2022-09-15"], ["global"]),
    ]),
    "Microsoft.ManagedServices": ("RegistrationRequired", [
        _rt("registrationDefinitions", ["2022-10-01", "2019-09-01"], [], "SupportsExtension"),
    ]),
}

#: Registration overrides per subscription; every other namespace is Registered.
NOT_REGISTERED: dict[str, list[str]] = {
    AIF_DEV: [],
    AIF_STAGE: ["Microsoft.Search", "Microsoft.App", "Microsoft.Databricks", "Microsoft.Elastic"],
    AIF_PROD: ["Microsoft.Databricks"],
    CONNECTIVITY_HUB: ["Microsoft.Databricks"],
    LEGACY_SANDBOX: ["Microsoft.Databricks"],
}

# --- compute: VM SKUs and vCPU quota ------------------------------------------------------------

#: (name, family, vCPUs, memory GB, ACUs, GPUs, regions (None: all), zones offered)
_VM_SKUS: list[tuple[str, str, int, float, int, int, list[str] | None, list[str]]] = [
    ("Standard_B2ms", "standardBSFamily", 2, 8, 0, 0, None, ["1", "2", "3"]),
    ("Standard_B4ms", "standardBSFamily", 4, 16, 0, 0, None, ["1", "2", "3"]),
    ("Standard_DS11_v2", "standardDSv2Family", 2, 14, 210, 0, None, ["1", "2", "3"]),
    ("Standard_DS13_v2", "standardDSv2Family", 8, 56, 210, 0, None, ["1", "2", "3"]),
    ("Standard_DS13-2_v2", "standardDSv2Family", 8, 56, 210, 0, None, ["1", "2", "3"]),
    ("Standard_D13_v2", "standardDv2Family", 8, 56, 210, 0, None, ["1", "2", "3"]),
    ("Standard_D2s_v3", "standardDSv3Family", 2, 8, 160, 0, None, ["1", "2", "3"]),
    ("Standard_D4s_v3", "standardDSv3Family", 4, 16, 160, 0, None, ["1", "2", "3"]),
    ("Standard_D8s_v3", "standardDSv3Family", 8, 32, 160, 0, None, ["1", "2", "3"]),
    ("Standard_DS3_v2", "standardDSv2Family", 4, 14, 210, 0, None, ["1", "2", "3"]),
    ("Standard_DS4_v2", "standardDSv2Family", 8, 28, 210, 0, None, ["1", "2", "3"]),
    ("Standard_DS12_v2", "standardDSv2Family", 4, 28, 210, 0, None, ["1", "2", "3"]),
    ("Standard_D4ds_v5", "standardDDSv5Family", 4, 16, 195, 0, None, ["1", "2", "3"]),
    ("Standard_D8ds_v5", "standardDDSv5Family", 8, 32, 195, 0, None, ["1", "2", "3"]),
    ("Standard_E4ds_v5", "standardEDSv5Family", 4, 32, 195, 0, None, ["1", "2", "3"]),
    ("Standard_F4s_v2", "standardFSv2Family", 4, 8, 195, 0, None, ["1", "2", "3"]),
    ("Standard_NC4as_T4_v3", "standardNCASv3_T4Family", 4, 28, 0, 1,
     ["eastus", "eastus2", "westus2", "westeurope", "northeurope", "swedencentral", "uksouth",
      "japaneast", "australiaeast", "canadacentral", "francecentral"], ["1", "2", "3"]),
    ("Standard_NC6s_v3", "standardNCSv3Family", 6, 112, 0, 1,
     ["eastus", "eastus2", "westus2", "westeurope", "northeurope", "uksouth", "japaneast",
      "australiaeast", "canadacentral", "centralus"], ["1", "2"]),
    ("Standard_NC24ads_A100_v4", "StandardNCADSA100v4Family", 24, 220, 0, 1,
     ["eastus", "eastus2", "westus3", "swedencentral", "westeurope", "northeurope"], ["1", "2"]),
    ("Standard_ND96amsr_A100_v4", "standardNDAMSv4_A100Family", 96, 1900, 0, 8,
     ["eastus", "eastus2", "westus2", "westus3", "swedencentral", "westeurope", "japaneast"],
     ["1", "2"]),
]

#: (SKU name, region) -> restriction reason code.
RESTRICTED_SKUS: dict[tuple[str, str], str] = {
    ("Standard_ND96amsr_A100_v4", "swedencentral"): "NotAvailableForSubscription",
    ("Standard_ND96amsr_A100_v4", "westeurope"): "NotAvailableForSubscription",
}

_FAMILY_NAMES = {
    "standardBSFamily": "Standard BS Family vCPUs",
    "standardDSv3Family": "Standard DSv3 Family vCPUs",
    "standardDSv2Family": "Standard DSv2 Family vCPUs",
    "standardDDSv5Family": "Standard DDSv5 Family vCPUs",
    "standardEDSv5Family": "Standard EDSv5 Family vCPUs",
    "standardFSv2Family": "Standard FSv2 Family vCPUs",
    "standardNCASv3_T4Family": "Standard NCASv3_T4 Family vCPUs",
    "standardNCSv3Family": "Standard NCSv3 Family vCPUs",
    "StandardNCADSA100v4Family": "Standard NCADS_A100_v4 Family vCPUs",
    "standardNDAMSv4_A100Family": "Standard NDAMSv4_A100 Family vCPUs",
}
_GPU_FAMILIES = {
    "standardNCASv3_T4Family",
    "standardNCSv3Family",
    "StandardNCADSA100v4Family",
    "standardNDAMSv4_A100Family",
}

#: (subscription, region, family) -> (current vCPUs, limit). Everything else: 0 used of the
#: default limit (100 per general-purpose family, 0 for GPU families except in aif-dev).
VCPU_USAGE: dict[tuple[str, str, str], tuple[int, int]] = {
    (AIF_DEV, "eastus2", "standardDSv2Family"): (20, 100),
    (AIF_STAGE, "westeurope", "standardDSv2Family"): (96, 100),
}
DEFAULT_FAMILY_LIMIT = 100
DEFAULT_GPU_LIMIT = {AIF_DEV: 48}
DEFAULT_REGIONAL_VCPUS = 350

# --- Cognitive Services models and TPM quota ----------------------------------------------------

ALL_MODEL_SKUS = ["Standard", "DataZoneStandard", "GlobalStandard"]

#: model name -> (version, {sku: regions offering it}, capabilities, lifecycle)
MODELS: dict[str, tuple[str, dict[str, list[str]], dict[str, str]]] = {
    "gpt-5.1": ("2025-11-13", {
        "GlobalStandard": REGIONS,
        "DataZoneStandard": US_REGIONS + EU_DATA_ZONE,
    }, {"chatCompletion": "true", "responses": "true", "agentsV2": "true", "maxContextToken": "400000"}),
    "gpt-4o": ("2024-11-20", {
        "Standard": ["eastus", "eastus2", "westus3", "swedencentral", "japaneast", "northeurope"],
        "GlobalStandard": REGIONS,
        "DataZoneStandard": US_REGIONS + EU_DATA_ZONE,
    }, {"chatCompletion": "true", "vision": "true", "maxContextToken": "128000"}),
    "gpt-4o-mini": ("2024-07-18", {
        "Standard": ["eastus", "eastus2", "swedencentral", "japaneast", "westus3"],
        "GlobalStandard": REGIONS,
        "DataZoneStandard": US_REGIONS + EU_DATA_ZONE,
    }, {"chatCompletion": "true", "vision": "true", "maxContextToken": "128000"}),
    "text-embedding-3-large": ("1", {
        "Standard": ["eastus", "eastus2", "westus3", "canadacentral", "swedencentral", "uksouth",
                     "francecentral", "norwayeast", "japaneast", "australiaeast"],
        "GlobalStandard": REGIONS,
        "DataZoneStandard": US_REGIONS + EU_DATA_ZONE,
    }, {"embeddings": "true", "maxContextToken": "8192"}),
    "text-embedding-3-small": ("1", {
        "Standard": ["eastus", "eastus2", "westus3", "canadacentral", "swedencentral", "uksouth",
                     "japaneast", "australiaeast"],
        "GlobalStandard": REGIONS,
    }, {"embeddings": "true", "maxContextToken": "8192"}),
    "text-embedding-ada-002": ("2", {
        "Standard": [r for r in REGIONS if r not in ("germanywestcentral", "westus2")],
        "GlobalStandard": REGIONS,
    }, {"embeddings": "true", "maxContextToken": "8192"}),
}

#: TPM quota in thousands: (subscription, region, usage name) -> (current, limit).
TPM_USAGE: dict[tuple[str, str, str], tuple[int, int]] = {
    (AIF_PROD, "swedencentral", "OpenAI.DataZoneStandard.gpt-5.1"): (40, 50),
}
DEFAULT_TPM_LIMIT = 1000

#: Cognitive Services accounts in a subscription (a global quota, the same in every region):
#: subscription -> (current, limit). Everything else: 0 of DEFAULT_ACCOUNT_LIMIT.
ACCOUNT_USAGE: dict[str, tuple[int, int]] = {
    AIF_STAGE: (192, 200),
}
DEFAULT_ACCOUNT_LIMIT = 500

# --- Azure AI Search quota ----------------------------------------------------------------------

#: Search services per SKU, region and subscription: (usage name, localized name, default limit).
SEARCH_SKUS: list[tuple[str, str, int]] = [
    ("free", "F - Free", 1),
    ("basic", "B - Basic", 16),
    ("standard", "S - Standard", 16),
    ("standard2", "S2 - Standard2", 8),
    ("standard3", "S3 - Standard3", 6),
    ("storageOptimizedL1", "L1 - Storage Optimized", 6),
    ("storageOptimizedL2", "L2 - Storage Optimized", 6),
]

#: (subscription, region, usage name) -> (current, limit) where it differs from 0 of the default.
SEARCH_USAGE: dict[tuple[str, str, str], tuple[int, int]] = {
    (AIF_PROD, "swedencentral", "standard"): (15, 16),
}

# --- Azure Cosmos DB region access --------------------------------------------------------------

#: (subscription or "*", region) -> (isSubscriptionRegionAccessAllowedForRegular, ...ForAz).
#: Everything else: both allowed. norwayeast is closed to new accounts (capacity), and aif-prod
#: may not create zone-redundant accounts in swedencentral.
COSMOS_ACCESS: dict[tuple[str, str], tuple[bool, bool]] = {
    ("*", "norwayeast"): (False, False),
    (AIF_PROD, "swedencentral"): (True, False),
}

# --- Azure Policy -------------------------------------------------------------------------------

NOT_ALLOWED_TYPES = "/providers/Microsoft.Authorization/policyDefinitions/6c112d4e-5bc7-47ae-a041-ea2d9dccd749"
"""The built-in "Not allowed resource types" definition (Deny)."""
AUDIT_UNMANAGED_DISKS = "/providers/Microsoft.Authorization/policyDefinitions/06a78e20-9358-41c9-923c-fb736d382a4d"
"""The built-in "Audit VMs that do not use managed disks" definition (Audit only)."""

#: Policy assignments at subscription scope: subscription -> (name, display name, description,
#: definition id, parameters, enforcementMode).
POLICY_ASSIGNMENTS: dict[str, list[tuple[str, str, str, str, dict[str, Any], str]]] = {
    AIF_PROD: [
        ("deny-marketplace-saas", "Deny Marketplace SaaS in production",
         "Third-party SaaS offers need a security review before they reach production.",
         NOT_ALLOWED_TYPES, {"listOfResourceTypesNotAllowed": ["Microsoft.Elastic/monitors",
                                                               "Microsoft.SaaS/resources"]}, "Default"),
        ("audit-unmanaged-disks", "Audit VMs that do not use managed disks", "",
         AUDIT_UNMANAGED_DISKS, {}, "Default"),
    ],
    AIF_STAGE: [
        ("trial-deny-elastic", "Deny Elastic Cloud (trial, not enforced)",
         "Being evaluated: restrict Microsoft.Elastic monitors to approved subscriptions.",
         NOT_ALLOWED_TYPES, {"listOfResourceTypesNotAllowed": ["Microsoft.Elastic/monitors"]}, "DoNotEnforce"),
    ],
}

# --- names taken and soft-deleted resources -----------------------------------------------------

TAKEN_STORAGE_NAMES: list[str] = [
    "stcontosodemo",
    "aifdemolake001",
    "staifactory",
    "stcontoso",
    "aifactorydev",
    "aifactoryprod",
]
"""Storage account names already taken somewhere in Azure (globally unique)."""

TAKEN_ACR_NAMES: list[str] = ["acrcommondemo"]
"""Container registry names already taken."""

TAKEN_VAULT_NAMES: list[str] = ["kv-contoso-demo"]
"""Key Vault names held by live vaults outside the tenant."""

DELETED_VAULTS: list[dict[str, Any]] = [
    {"name": "kv-aif-stage-weu-001", "location": "westeurope", "subscription": AIF_STAGE},
    {"name": "kvaifstgcmnweu001", "location": "westeurope", "subscription": AIF_STAGE},
    # The common Key Vault name the enterprise-hub-spoke preset gets in stage (salt of its common
    # resource group in aif-stage): a vault of an earlier, deleted attempt still holds it.
    {"name": "kv-cmntest-aje2a-001", "location": "westeurope", "subscription": AIF_STAGE},
]
"""Soft-deleted Key Vaults: only name/location/subscription are required; optional keys are
`resource_group`, `deletion_date`, `scheduled_purge_date` (ISO 8601) and `purge_protection`."""

DELETED_COGNITIVE_ACCOUNTS: list[dict[str, Any]] = []
"""Soft-deleted Cognitive Services accounts (name, location, subscription, kind optional)."""

# --- permissions --------------------------------------------------------------------------------

OWNER_PERMISSIONS = [{"actions": ["*"], "notActions": [], "dataActions": [], "notDataActions": []}]
CONTRIBUTOR_PERMISSIONS = [{
    "actions": ["*"],
    "notActions": [
        "Microsoft.Authorization/*/Delete",
        "Microsoft.Authorization/*/Write",
        "Microsoft.Authorization/elevateAccess/Action",
        "Microsoft.Blueprint/blueprintAssignments/write",
        "Microsoft.Blueprint/blueprintAssignments/delete",
        "Microsoft.Compute/galleries/share/action",
        "Microsoft.Purview/consents/write",
        "Microsoft.Purview/consents/delete",
        "Microsoft.Resources/deploymentStacks/manageDenySetting/action",
        "Microsoft.Subscription/cancel/action",
        "Microsoft.Subscription/enable/action",
    ],
    "dataActions": [],
    "notDataActions": [],
}]
PERMISSIONS: dict[str, list[dict[str, list[str]]]] = {
    AIF_DEV: OWNER_PERMISSIONS,
    AIF_STAGE: OWNER_PERMISSIONS,
    AIF_PROD: CONTRIBUTOR_PERMISSIONS,
    CONNECTIVITY_HUB: OWNER_PERMISSIONS,
    LEGACY_SANDBOX: OWNER_PERMISSIONS,
}

# --- the hub and existing networks --------------------------------------------------------------

HUB_VNET = ("rg-hub-network", "vnet-hub-weu", "10.100.0.0/22", "westeurope")
HUB_VIRTUAL_HUB = ("rg-hub-network", "vhub-weu", "10.101.0.0/23", "westeurope")
HUB_DNS_RESOURCE_GROUP = "rg-hub-dns"

#: The private DNS zones an AI Factory needs, as hosted in the hub.
REQUIRED_PRIVATE_DNS_ZONES: list[str] = [
    "privatelink.blob.core.windows.net",
    "privatelink.file.core.windows.net",
    "privatelink.queue.core.windows.net",
    "privatelink.table.core.windows.net",
    "privatelink.dfs.core.windows.net",
    "privatelink.vaultcore.azure.net",
    "privatelink.azurecr.io",
    "privatelink.api.azureml.ms",
    "privatelink.notebooks.azure.net",
    "privatelink.cognitiveservices.azure.com",
    "privatelink.openai.azure.com",
    "privatelink.services.ai.azure.com",
    "privatelink.search.windows.net",
    "privatelink.documents.azure.com",
    "privatelink.azurewebsites.net",
    "privatelink.azuredatabricks.net",
    "privatelink.datafactory.azure.net",
    "privatelink.monitor.azure.com",
    "privatelink.oms.opinsights.azure.com",
    "privatelink.ods.opinsights.azure.com",
    "privatelink.agentsvc.azure-automation.net",
    "privatelink.westeurope.azmk8s.io",
]
MISSING_PRIVATE_DNS_ZONES: list[str] = ["privatelink.api.azureml.ms"]
HUB_PRIVATE_DNS_ZONES = [z for z in REQUIRED_PRIVATE_DNS_ZONES if z not in MISSING_PRIVATE_DNS_ZONES]

#: Existing VNets: (subscription, resource group, name, address prefix, region, subnets).
EXISTING_VNETS: list[tuple[str, str, str, str, str, list[tuple[str, str]]]] = [
    (CONNECTIVITY_HUB, "rg-hub-network", "vnet-hub-weu", "10.100.0.0/22", "westeurope", [
        ("GatewaySubnet", "10.100.0.0/27"),
        ("AzureFirewallSubnet", "10.100.0.64/26"),
        ("AzureBastionSubnet", "10.100.1.0/26"),
        ("snet-dns-inbound", "10.100.2.0/28"),
    ]),
    (AIF_DEV, "rg-legacy", "vnet-legacy-app", "10.50.0.0/16", "westeurope", [
        ("snet-app", "10.50.0.0/24"),
        ("snet-data", "10.50.1.0/24"),
    ]),
    (AIF_PROD, "rg-landing", "vnet-prod-apps", "172.16.64.0/20", "westeurope", [
        ("snet-apps", "172.16.64.0/24"),
        ("snet-pe", "172.16.65.0/26"),
    ]),
    # The AI Factory's own common VNet in aif-prod, from an earlier run of the enterprise-hub-spoke
    # preset: the four common subnets, project 001's eight, and a jump-box subnet someone added
    # by hand near the end of the range. The subnet calculator only appends after the highest
    # subnet, so every later project starts after 172.22.232.0/24.
    (AIF_PROD, "cto-ai-esml-common-sdc-prod-001", "vnt-esmlcmn-sdc-prod-001", "172.22.0.0/16", "swedencentral", [
        ("snet-esml-cmn-001", "172.22.0.0/26"),
        ("snet-esml-cmn-001-scoring", "172.22.0.64/26"),
        ("snet-esml-cmn-pbi-001", "172.22.0.128/26"),
        ("AzureBastionSubnet", "172.22.0.192/26"),
        ("snt-prj001-aca", "172.22.2.0/23"),
        ("snt-prj001-aca-002", "172.22.4.0/23"),
        ("snt-prj001-aks-002", "172.22.6.0/24"),
        ("snt-prj001-genai", "172.22.7.0/25"),
        ("snt-prj001-aks", "172.22.7.128/26"),
        ("snt-prj001-dbxpub", "172.22.7.192/26"),
        ("snt-prj001-dbxpriv", "172.22.8.0/26"),
        ("snt-prj001-webapp", "172.22.8.64/27"),
        ("snet-ops-jumpbox", "172.22.232.0/24"),
    ]),
]

#: Resource groups that exist before anything is deployed: (subscription, name, region).
EXISTING_RESOURCE_GROUPS: list[tuple[str, str, str]] = [
    (CONNECTIVITY_HUB, "rg-hub-network", "westeurope"),
    (CONNECTIVITY_HUB, HUB_DNS_RESOURCE_GROUP, "westeurope"),
    (AIF_DEV, "rg-legacy", "westeurope"),
    (AIF_PROD, "rg-landing", "westeurope"),
    (AIF_PROD, "cto-ai-esml-common-sdc-prod-001", "swedencentral"),
]

#: When the seeded resources were created (their timestamps in the sandbox).
SEED_CREATED = "2026-03-02T08:30:00Z"


# --- rendering ----------------------------------------------------------------------------------


def _region_entry(row: tuple[str, str, str, str, str, str, str, str]) -> dict[str, Any]:
    name, display, group, geography, physical, lat, long, paired = row
    return {
        "name": name,
        "displayName": display,
        "regionalDisplayName": f"({group}) {display}",
        "geographyGroup": group,
        "geography": geography,
        "physicalLocation": physical,
        "latitude": lat,
        "longitude": long,
        "pairedRegion": paired,
        "zones": ["1", "2", "3"],
    }


def _providers() -> list[dict[str, Any]]:
    providers = []
    for namespace, (policy, types) in PROVIDERS.items():
        providers.append({"namespace": namespace, "registrationPolicy": policy, "resourceTypes": types})
    return providers


def _sku_capabilities(vcpus: int, memory: float, acus: int, gpus: int) -> list[dict[str, str]]:
    caps = [
        ("MaxResourceVolumeMB", str(vcpus * 8192 if not gpus else vcpus * 14336)),
        ("OSVhdSizeMB", "1047552"),
        ("vCPUs", str(vcpus)),
        ("MemoryPreservingMaintenanceSupported", "True"),
        ("HyperVGenerations", "V1,V2"),
        ("MemoryGB", f"{memory:g}"),
        ("MaxDataDiskCount", str(min(64, vcpus * 2 if vcpus > 2 else 4))),
        ("CpuArchitectureType", "x64"),
        ("LowPriorityCapable", "True"),
        ("PremiumIO", "True"),
        ("VMDeploymentTypes", "IaaS"),
        ("vCPUsAvailable", str(vcpus)),
    ]
    if acus:
        caps.append(("ACUs", str(acus)))
    caps += [
        ("vCPUsPerCore", "2" if not gpus else "1"),
        ("EphemeralOSDiskSupported", "True"),
        ("AcceleratedNetworkingEnabled", "True"),
        ("RdmaEnabled", "True" if gpus >= 8 else "False"),
        ("MaxNetworkInterfaces", str(min(8, max(2, vcpus // 2)))),
    ]
    if gpus:
        caps.append(("GPUs", str(gpus)))
    return [{"name": n, "value": v} for n, v in caps]


def _vm_skus() -> list[dict[str, Any]]:
    skus = []
    for region in REGIONS:
        for name, family, vcpus, memory, acus, gpus, regions, zones in _VM_SKUS:
            if regions is not None and region not in regions:
                continue
            restrictions = []
            reason = RESTRICTED_SKUS.get((name, region))
            if reason:
                restrictions.append({
                    "type": "Location",
                    "values": [region],
                    "restrictionInfo": {"locations": [region]},
                    "reasonCode": reason,
                })
            zone_details = []
            if not gpus:
                zone_details = [{
                    "name": [zones[0]],
                    "capabilities": [{"name": "UltraSSDAvailable", "value": "True"}],
                }]
            skus.append({
                "resourceType": "virtualMachines",
                "name": name,
                "tier": "Standard",
                "size": name.removeprefix("Standard_"),
                "family": family,
                "locations": [region],
                "locationInfo": [{"location": region, "zones": list(zones), "zoneDetails": zone_details}],
                "capabilities": _sku_capabilities(vcpus, memory, acus, gpus),
                "restrictions": restrictions,
            })
    return skus


def _compute_usages() -> dict[str, list[dict[str, Any]]]:
    usages: dict[str, list[dict[str, Any]]] = {}
    families = list(_FAMILY_NAMES)
    for sub in SUBSCRIPTIONS:
        sub_id = sub["subscriptionId"]
        for region in REGIONS:
            rows = []
            total = 0
            for family in families:
                if family in _GPU_FAMILIES:
                    default = (0, DEFAULT_GPU_LIMIT.get(sub_id, 0))
                else:
                    default = (0, DEFAULT_FAMILY_LIMIT)
                current, limit = VCPU_USAGE.get((sub_id, region, family), default)
                total += current
                rows.append((family, _FAMILY_NAMES[family], current, limit))
            head = [
                ("availabilitySets", "Availability Sets", 0, 2500),
                ("cores", "Total Regional vCPUs", total, DEFAULT_REGIONAL_VCPUS),
                ("virtualMachines", "Virtual Machines", 0, 25000),
                ("virtualMachineScaleSets", "Virtual Machine Scale Sets", 0, 2500),
                ("lowPriorityCores", "Total Regional Low-priority vCPUs", 0, 100),
            ]
            usages[f"{sub_id}/{region}"] = [
                {
                    "unit": "Count",
                    "currentValue": current,
                    "limit": limit,
                    "name": {"value": value, "localizedValue": localized},
                }
                for value, localized, current, limit in head + rows
            ]
    return usages


def _model_entry(name: str, version: str, skus: list[str], caps: dict[str, str], kind: str) -> dict[str, Any]:
    capacity = {
        "Standard": {"default": 10, "maximum": 1000, "minimum": 1, "step": 1},
        "DataZoneStandard": {"default": 10, "maximum": 3000, "minimum": 1, "step": 1},
        "GlobalStandard": {"default": 10, "maximum": 5000, "minimum": 1, "step": 1},
    }
    return {
        "kind": kind,
        "skuName": "S0",
        "model": {
            "name": name,
            "format": "OpenAI",
            "version": version,
            "capabilities": dict(caps),
            "deprecation": {
                "deprecationStatus": "Planned",
                "fineTune": "2027-06-30T00:00:00Z",
                "inference": "2027-09-30T00:00:00Z",
            },
            "isDefaultVersion": True,
            "lifecycleStatus": "GenerallyAvailable",
            "maxCapacity": 5000,
            "skus": [
                {
                    "name": sku,
                    "capacity": dict(capacity[sku]),
                    "usageName": f"OpenAI.{sku}.{name}",
                    "deprecationDate": "2027-09-30T00:00:00Z",
                }
                for sku in skus
            ],
            "systemData": {
                "createdAt": "2025-01-15T00:00:00Z",
                "createdBy": "Microsoft",
                "createdByType": "Application",
                "lastModifiedAt": "2026-10-01T00:00:00Z",
                "lastModifiedBy": "Microsoft",
                "lastModifiedByType": "Application",
            },
        },
    }


def _models() -> dict[str, list[dict[str, Any]]]:
    models: dict[str, list[dict[str, Any]]] = {}
    for region in REGIONS:
        entries = []
        for kind in ("OpenAI", "AIServices"):
            for name, (version, offer, caps) in MODELS.items():
                skus = [sku for sku in ALL_MODEL_SKUS if region in offer.get(sku, [])]
                if skus:
                    entries.append(_model_entry(name, version, skus, caps, kind))
        models[region] = entries
    return models


def _cognitive_usages() -> dict[str, list[dict[str, Any]]]:
    usages: dict[str, list[dict[str, Any]]] = {}
    for sub in SUBSCRIPTIONS:
        sub_id = sub["subscriptionId"]
        for region in REGIONS:
            rows = [_cognitive_account_row(sub_id)]
            for name, (_version, offer, _caps) in MODELS.items():
                for sku in ALL_MODEL_SKUS:
                    if region not in offer.get(sku, []):
                        continue
                    usage_name = f"OpenAI.{sku}.{name}"
                    current, limit = TPM_USAGE.get((sub_id, region, usage_name), (0, DEFAULT_TPM_LIMIT))
                    rows.append({
                        "name": {
                            "value": usage_name,
                            "localizedValue": f"Tokens Per Minute (thousands) - {name} - {sku}",
                        },
                        "currentValue": current,
                        "limit": limit,
                        "unit": "Count",
                        "scopeType": "Region",
                        "scopeId": region,
                    })
            usages[f"{sub_id}/{region}"] = rows
    return usages


def _cognitive_account_row(sub_id: str) -> dict[str, Any]:
    """The global AccountCount usage, as ListUsagesGlobalScope.json shows it."""
    current, limit = ACCOUNT_USAGE.get(sub_id, (0, DEFAULT_ACCOUNT_LIMIT))
    return {
        "name": {"value": "AccountCount", "localizedValue": "Cognitive Services total account limit"},
        "currentValue": current,
        "limit": limit,
        "unit": "Count",
        "scopeType": "Global",
        "scopeId": "Global",
    }


def _search_usages() -> dict[str, list[dict[str, Any]]]:
    """Search services per SKU, as GetQuotaUsagesList.json shows them."""
    usages: dict[str, list[dict[str, Any]]] = {}
    for sub in SUBSCRIPTIONS:
        sub_id = sub["subscriptionId"]
        for region in REGIONS:
            rows = []
            for name, localized, default_limit in SEARCH_SKUS:
                current, limit = SEARCH_USAGE.get((sub_id, region, name), (0, default_limit))
                rows.append({
                    "id": f"/subscriptions/{sub_id}/providers/Microsoft.Search/locations/{region}/usages/{name}",
                    "name": {"value": name, "localizedValue": localized},
                    "currentValue": current,
                    "limit": limit,
                    "unit": "Count",
                })
            usages[f"{sub_id}/{region}"] = rows
    return usages


def _cosmos_locations() -> dict[str, dict[str, Any]]:
    """Cosmos DB's view of each region per subscription (Locations_Get: `properties`)."""
    locations: dict[str, dict[str, Any]] = {}
    for sub in SUBSCRIPTIONS:
        sub_id = sub["subscriptionId"]
        for name, *_ in _REGIONS:
            regular, zonal = COSMOS_ACCESS.get((sub_id, name), COSMOS_ACCESS.get(("*", name), (True, True)))
            locations[f"{sub_id}/{name}"] = {
                "supportsAvailabilityZone": True,
                "isResidencyRestricted": False,
                "backupStorageRedundancies": ["Geo", "Zone", "Local"],
                "isSubscriptionRegionAccessAllowedForRegular": regular,
                "isSubscriptionRegionAccessAllowedForAz": zonal,
                "status": "Online",
            }
    return locations


def _policy_assignments() -> dict[str, list[dict[str, Any]]]:
    """Assignments at subscription scope, as listPolicyAssignments.json shows them."""
    out: dict[str, list[dict[str, Any]]] = {}
    for sub_id, assignments in POLICY_ASSIGNMENTS.items():
        scope = f"/subscriptions/{sub_id}"
        out[sub_id] = [
            {
                "id": f"{scope}/providers/Microsoft.Authorization/policyAssignments/{name}",
                "type": "Microsoft.Authorization/policyAssignments",
                "name": name,
                "properties": {
                    "displayName": display,
                    "description": description,
                    "metadata": {"assignedBy": "platform-team"},
                    "policyDefinitionId": definition,
                    "definitionVersion": "1.*.*",
                    "parameters": {key: {"value": value} for key, value in parameters.items()},
                    "scope": scope,
                    "notScopes": [],
                    "enforcementMode": mode,
                },
            }
            for name, display, description, definition, parameters, mode in assignments
        ]
    return out


def _deleted_vaults() -> list[dict[str, Any]]:
    vaults = []
    for entry in DELETED_VAULTS:
        vaults.append({
            "key": f"deletedvault:{entry['subscription']}/{entry['name']}".lower(),
            "name": entry["name"],
            "location": entry["location"],
            "subscription": entry["subscription"],
            "resource_group": entry.get("resource_group", "rg-aif-common"),
            "deletion_date": entry.get("deletion_date", "2026-10-28T09:14:00Z"),
            "scheduled_purge_date": entry.get("scheduled_purge_date", "2027-01-26T09:14:00Z"),
            "purge_protection": entry.get("purge_protection", True),
        })
    return vaults


def _deleted_accounts() -> list[dict[str, Any]]:
    accounts = []
    for entry in DELETED_COGNITIVE_ACCOUNTS:
        accounts.append({
            "name": entry["name"],
            "location": entry["location"],
            "subscription": entry["subscription"],
            "resource_group": entry.get("resource_group", "rg-aif-common"),
            "kind": entry.get("kind", "AIServices"),
            "deletion_date": entry.get("deletion_date", "2026-10-28T09:14:00Z"),
            "scheduled_purge_date": entry.get("scheduled_purge_date", "2027-01-26T09:14:00Z"),
        })
    return accounts


def build_catalog() -> Catalog:
    """Render the static facts of the demo tenant."""
    subscriptions = []
    for sub in SUBSCRIPTIONS:
        name = sub["displayName"]
        subscriptions.append({
            **sub,
            "tenantId": CONTOSO_TENANT,
            "authorizationSource": "RoleBased",
            "managedByTenants": [{"tenantId": FABRIKAM_TENANT}] if sub["subscriptionId"] == CONNECTIVITY_HUB else [],
            "subscriptionPolicies": {
                "locationPlacementId": "Public_2014-09-01",
                "quotaId": "EnterpriseAgreement_2014-09-01",
                "spendingLimit": "Off",
            },
            "tags": {"owner": "platform-team", "purpose": name},
        })
    return Catalog(
        caller={"objectId": CALLER_OBJECT_ID, "tenantId": CONTOSO_TENANT, "upn": CALLER_UPN},
        tenants=[dict(t) for t in TENANTS],
        subscriptions=subscriptions,
        regions=[_region_entry(row) for row in _REGIONS],
        providers=_providers(),
        vm_skus=_vm_skus(),
        compute_usages={k.lower(): v for k, v in _compute_usages().items()},
        models=_models(),
        cognitive_usages={k.lower(): v for k, v in _cognitive_usages().items()},
        deleted_accounts=_deleted_accounts(),
        taken_names={
            "storage": [n.lower() for n in TAKEN_STORAGE_NAMES],
            "vault": [n.lower() for n in TAKEN_VAULT_NAMES],
            "registry": [n.lower() for n in TAKEN_ACR_NAMES],
        },
        permissions={k.lower(): v for k, v in PERMISSIONS.items()},
        search_usages={k.lower(): v for k, v in _search_usages().items()},
        cosmos_locations={k.lower(): v for k, v in _cosmos_locations().items()},
        policy_assignments={k.lower(): v for k, v in _policy_assignments().items()},
    )


def _vnet(sub: str, rg: str, name: str, prefix: str, region: str, subnets: list[tuple[str, str]]) -> dict[str, Any]:
    vnet_id = f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/{name}"
    return {
        "id": vnet_id,
        "name": name,
        "type": "Microsoft.Network/virtualNetworks",
        "location": region,
        "tags": {},
        "properties": {
            "addressSpace": {"addressPrefixes": [prefix]},
            "subnets": [
                {"name": s_name, "properties": {"addressPrefix": s_prefix}} for s_name, s_prefix in subnets
            ],
            "virtualNetworkPeerings": [],
            "enableDdosProtection": False,
        },
    }


def seed_resources() -> list[tuple[str, str, str, dict[str, Any]]]:
    """The pre-existing resources as (subscription, resource group, type, body) tuples."""
    out: list[tuple[str, str, str, dict[str, Any]]] = []
    for sub, rg, name, prefix, region, subnets in EXISTING_VNETS:
        out.append((sub, rg, "Microsoft.Network/virtualNetworks", _vnet(sub, rg, name, prefix, region, subnets)))
    rg, name, prefix, region = HUB_VIRTUAL_HUB
    hub = CONNECTIVITY_HUB
    out.append((hub, rg, "Microsoft.Network/virtualWans", {
        "id": f"/subscriptions/{hub}/resourceGroups/{rg}/providers/Microsoft.Network/virtualWans/vwan-contoso",
        "name": "vwan-contoso",
        "type": "Microsoft.Network/virtualWans",
        "location": region,
        "properties": {"type": "Standard", "allowBranchToBranchTraffic": True, "disableVpnEncryption": False},
    }))
    out.append((hub, rg, "Microsoft.Network/virtualHubs", {
        "id": f"/subscriptions/{hub}/resourceGroups/{rg}/providers/Microsoft.Network/virtualHubs/{name}",
        "name": name,
        "type": "Microsoft.Network/virtualHubs",
        "location": region,
        "tags": {},
        "properties": {
            "addressPrefix": prefix,
            "virtualWan": {
                "id": f"/subscriptions/{hub}/resourceGroups/{rg}/providers/Microsoft.Network/virtualWans/vwan-contoso"
            },
            "sku": "Standard",
            "routingState": "Provisioned",
            "hubRoutingPreference": "ExpressRoute",
            "virtualRouterAsn": 65515,
            "virtualRouterIps": ["10.101.0.68", "10.101.0.69"],
            "allowBranchToBranchTraffic": False,
            "preferredRoutingGateway": "ExpressRoute",
            "virtualRouterAutoScaleConfiguration": {"minCapacity": 2},
        },
    }))
    for zone in HUB_PRIVATE_DNS_ZONES:
        out.append((hub, HUB_DNS_RESOURCE_GROUP, "Microsoft.Network/privateDnsZones", {
            "id": f"/subscriptions/{hub}/resourceGroups/{HUB_DNS_RESOURCE_GROUP}/providers/"
            f"Microsoft.Network/privateDnsZones/{zone}",
            "name": zone,
            "type": "Microsoft.Network/privateDnsZones",
            "location": "global",
            "tags": {},
            "properties": {
                "maxNumberOfRecordSets": 25000,
                "maxNumberOfVirtualNetworkLinks": 1000,
                "maxNumberOfVirtualNetworkLinksWithRegistration": 100,
                "numberOfRecordSets": 1,
                "numberOfVirtualNetworkLinks": 1,
                "numberOfVirtualNetworkLinksWithRegistration": 0,
            },
        }))
    return out


def seed_world(world: World) -> None:
    """Fill an empty world with the seeded registrations, resource groups and resources."""
    top_up_world(world)


def top_up_world(world: World) -> None:
    """Add what the seed holds and this world has never had, leaving everything else as it is.

    A demo's saved world meets a newer seed this way (a new provider, a new VNet), while what
    it changed stays: a registration, a resource group it deleted after it was seeded.
    """
    created = parse_iso(SEED_CREATED)
    seen = set(world.seeded)
    for sub in SUBSCRIPTIONS:
        sub_id = sub["subscriptionId"]
        not_registered = {ns.lower() for ns in NOT_REGISTERED.get(sub_id, [])}
        states = world.providers.setdefault(sub_id.lower(), {})
        for ns in PROVIDERS:
            states.setdefault(ns.lower(), {
                "state": "NotRegistered" if ns.lower() in not_registered else "Registered",
                "since": created,
            })
    for sub_id, rg, region in EXISTING_RESOURCE_GROUPS:
        key = f"{sub_id}/{rg}".lower()
        if key in seen:
            continue
        world.seeded.append(key)
        world.resource_groups.setdefault(key, {
            "subscription": sub_id,
            "name": rg,
            "location": region,
            "tags": {},
            "created": created,
        })
    for vault in _deleted_vaults():
        key = vault.pop("key")
        if key not in seen:
            world.seeded.append(key)
            world.deleted_vaults.append(vault)
    for _sub, _rg, _type, body in seed_resources():
        key = body["id"].lower()
        if key in seen:
            continue
        world.seeded.append(key)
        resource = dict(body)
        resource["properties"] = {**body.get("properties", {}), "provisioningState": "Succeeded"}
        resource["_created"] = created
        world.resources.setdefault(key, resource)
