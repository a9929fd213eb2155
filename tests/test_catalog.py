"""The static Azure catalog: regions, services, providers, DNS zones, VM sizes, models, tiers."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, get_args

import pytest

from wizard import catalog
from wizard.model import (
    SERVICE_FLAGS,
    FactoryConfig,
    SearchTier,
    ServicesConfig,
)

DEMO_REGIONS = [
    "eastus", "eastus2", "westus2", "westus3", "centralus", "canadacentral", "northeurope",
    "westeurope", "swedencentral", "uksouth", "francecentral", "germanywestcentral", "norwayeast",
    "australiaeast", "japaneast",
]
"""The 15 regions of docs/demo-tenant.md."""

HUB = {"mode": "hub_spoke", "dns": {"subscription_id": "3e4f8b5d-a06c-4db1-8f94-5c3ab17eac44",
                                   "resource_group": "rg-hub-dns"}}


def config(**data: Any) -> FactoryConfig:
    return FactoryConfig.model_validate(data)


# --------------------------------------------------------------------------- regions


def test_demo_tenant_regions_are_all_known() -> None:
    assert set(DEMO_REGIONS) <= set(catalog.REGIONS)
    assert len(catalog.REGIONS) >= 25


def test_demo_doc_lists_the_same_regions() -> None:
    doc = (Path(__file__).resolve().parents[1] / "docs" / "demo-tenant.md").read_text("utf-8")
    for name in DEMO_REGIONS:
        assert name in doc


def test_short_codes_are_unique_and_shaped_for_the_model() -> None:
    codes = [r.short_code for r in catalog.REGIONS.values()]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[a-z0-9]{2,6}", c) for c in codes)
    assert all(len(c) <= 4 for c in codes)


@pytest.mark.parametrize(
    ("name", "code"),
    [("eastus2", "eus2"), ("westeurope", "weu"), ("swedencentral", "sdc"), ("uksouth", "uks"),
     ("northeurope", "neu")],
)
def test_the_ai_factory_documented_short_codes(name: str, code: str) -> None:
    assert catalog.short_code(name) == code


def test_region_lookup_accepts_display_names_and_case() -> None:
    found = catalog.region("East US 2")
    assert found is not None and found.name == "eastus2"
    assert catalog.region("EASTUS2") is found
    assert catalog.region("atlantis") is None
    assert catalog.short_code("atlantis") is None


def test_region_facts() -> None:
    weu = catalog.REGIONS["westeurope"]
    assert weu.paired_region == "northeurope" and weu.has_zones and weu.geography == "Europe"
    assert catalog.REGIONS["eastus2"].paired_region == "centralus"
    assert catalog.REGIONS["italynorth"].paired_region is None
    assert not catalog.REGIONS["northcentralus"].has_zones
    assert all(r.display_name and r.geography for r in catalog.REGIONS.values())


@pytest.mark.parametrize(
    ("typo", "expected"),
    [("eastus3", "eastus2"), ("westeurpe", "westeurope"), ("swedencentrl", "swedencentral"),
     ("Sweden Centrl", "swedencentral")],
)
def test_suggest_region_finds_the_intended_one(typo: str, expected: str) -> None:
    assert expected in catalog.suggest_region(typo)


def test_suggest_region_stays_quiet_on_nonsense() -> None:
    assert catalog.suggest_region("qqqqqqqq") == []


# --------------------------------------------------------------------------- services


def test_every_service_flag_has_a_catalog_entry() -> None:
    flags = set(SERVICE_FLAGS) | {"foundry_caphost", "aks_for_azure_ml"}
    assert flags <= set(catalog.SERVICES)
    for flag in SERVICE_FLAGS:
        service = catalog.SERVICES[flag]
        assert service.scope in ("project", "common"), flag
        assert service.aif_variable.startswith("ENABLE_"), flag


def test_platform_pieces_are_catalogued() -> None:
    for key in ("key_vault", "storage", "acr", "log_analytics", "app_insights", "network",
                "managed_identity", "bastion", "private_dns"):
        assert catalog.SERVICES[key].scope == "platform"


def test_service_entries_are_well_formed() -> None:
    zones = set(catalog.PRIVATE_DNS_ZONES)
    for service in catalog.SERVICES.values():
        assert service.display_name
        for resource_type in service.resource_types:
            assert re.fullmatch(r"Microsoft\.\w+/\w+(/\w+)*", resource_type), resource_type
        assert all(ns.startswith("Microsoft.") and "/" not in ns for ns in service.providers)
        assert set(service.private_dns_zones) <= zones, service.key
        for need in service.subnets:
            assert need.kind in catalog.SUBNET_SIZES
            assert need.min_prefix >= catalog.SUBNET_SIZES[need.kind] - 1


def test_brief_resource_types_are_present() -> None:
    types = {t for s in catalog.SERVICES.values() for t in s.resource_types}
    for expected in (
        "Microsoft.CognitiveServices/accounts", "Microsoft.Search/searchServices",
        "Microsoft.MachineLearningServices/workspaces",
        "Microsoft.ContainerService/managedClusters",
        "Microsoft.DocumentDB/databaseAccounts", "Microsoft.DBforPostgreSQL/flexibleServers",
        "Microsoft.Cache/redis", "Microsoft.Sql/servers", "Microsoft.App/managedEnvironments",
        "Microsoft.Web/sites", "Microsoft.Databricks/workspaces", "Microsoft.DataFactory/factories",
        "Microsoft.Logic/workflows", "Microsoft.EventHub/namespaces",
        "Microsoft.BotService/botServices", "Microsoft.Bing/accounts", "Microsoft.Elastic/monitors",
    ):
        assert expected in types


def test_subnet_sizes_follow_the_v124_calculator() -> None:
    assert catalog.SUBNET_SIZES == {"aca": 23, "aca2": 23, "aks2": 24, "genai": 25, "aks": 26,
                                    "dbxpub": 26, "dbxpriv": 26, "webapp": 27}
    webapp = catalog.SERVICES["webapp"].subnets
    assert any(n.kind == "webapp" and n.delegation == "Microsoft.Web/serverFarms" for n in webapp)


def test_quotas_point_at_real_sources() -> None:
    kinds = {q.kind for s in catalog.SERVICES.values() for q in s.quotas}
    assert {"vcpu", "model_tpm", "search_services"} <= kinds
    assert catalog.SERVICES["ai_search"].quotas[0].source == "skus.ai_search_tier"
    assert any(q.kind == "model_tpm" for q in catalog.SERVICES["ai_foundry"].quotas)


def test_active_services_apply_dependencies() -> None:
    defaults = catalog.active_services(ServicesConfig())
    assert "aks_for_azure_ml" not in defaults  # on by default, but Azure ML is off
    assert {"ai_foundry", "ai_search", "bot_service"} <= set(defaults)
    with_aml = catalog.active_services(ServicesConfig(azure_ml=True))
    assert "aks_for_azure_ml" in with_aml
    no_foundry = catalog.active_services(ServicesConfig(ai_foundry=False, foundry_caphost=True))
    assert "foundry_caphost" not in no_foundry


# --------------------------------------------------------------------------- providers


def test_default_config_needs_cognitive_services_and_search() -> None:
    providers = catalog.required_providers(FactoryConfig())
    assert "Microsoft.CognitiveServices" in providers
    assert "Microsoft.Search" in providers
    assert providers["Microsoft.Search"] == ["ai_search"]
    assert set(catalog.ALWAYS_PROVIDERS) <= set(providers)
    assert "Microsoft.ContainerService" not in providers


def test_providers_follow_the_selected_services() -> None:
    providers = catalog.required_providers(config(services={"azure_ml": True,
                                                            "container_apps": True}))
    assert providers["Microsoft.ContainerService"] == ["aks_for_azure_ml"]
    assert "Microsoft.MachineLearningServices" in providers
    assert "Microsoft.App" in providers
    off = catalog.required_providers(config(services={"ai_search": False}))
    assert "Microsoft.Search" not in off


def test_project_overrides_count() -> None:
    cfg = config(projects=[{"number": "001"}, {"number": "002", "services": {"cosmos_db": True}}])
    assert catalog.required_providers(cfg)["Microsoft.DocumentDB"] == ["cosmos_db"]


def test_hub_dns_with_aks_needs_container_service_in_the_hub_subscription() -> None:
    cfg = config(landing_zone=HUB, services={"aks": True})
    hub = catalog.required_providers(cfg, subscription="hub_dns")
    assert hub == {"Microsoft.ContainerService": ["aks"]}
    assert "Microsoft.ContainerService" in catalog.required_providers(cfg)


def test_hub_dns_needs_nothing_without_aks_or_hub() -> None:
    assert catalog.required_providers(config(landing_zone=HUB), subscription="hub_dns") == {}
    standalone = config(services={"aks": True})
    assert catalog.required_providers(standalone, subscription="hub_dns") == {}
    no_policy = {**HUB, "dns": {**HUB["dns"], "records_by_policy": False}}  # type: ignore[dict-item]
    cfg = config(landing_zone=no_policy, services={"aks": True})
    assert catalog.required_providers(cfg, subscription="hub_dns") == {}


def test_default_provider_list() -> None:
    defaults = catalog.AIF_DEFAULT_PROVIDERS
    assert len(defaults) == len(set(defaults))
    assert {"Microsoft.CognitiveServices", "Microsoft.Search", "Microsoft.KeyVault",
            "Microsoft.MachineLearningServices", "Microsoft.ContainerService"} <= set(defaults)
    assert not set(defaults) & set(catalog.AIF_OPTIONAL_PROVIDERS)


def test_required_resource_types() -> None:
    types = catalog.required_resource_types(FactoryConfig())
    assert types["Microsoft.Search/searchServices"] == ["ai_search"]
    assert "ai_foundry" in types["Microsoft.CognitiveServices/accounts"]
    assert "Microsoft.KeyVault/vaults" in types
    assert "Microsoft.Network/privateDnsZones" in types  # standalone creates its zones
    assert "Microsoft.Network/privateDnsZones" not in catalog.required_resource_types(
        config(landing_zone=HUB))


# --------------------------------------------------------------------------- DNS zones


def test_full_zone_list() -> None:
    zones = catalog.PRIVATE_DNS_ZONES
    assert len(zones) == len(set(zones)) >= 30
    for zone in ("privatelink.vaultcore.azure.net", "privatelink.blob.core.windows.net",
                 "privatelink.dfs.core.windows.net", "privatelink.cognitiveservices.azure.com",
                 "privatelink.openai.azure.com", "privatelink.services.ai.azure.com",
                 "privatelink.search.windows.net", "privatelink.api.azureml.ms",
                 "privatelink.notebooks.azure.net", "privatelink.azurecr.io",
                 "privatelink.documents.azure.com", "privatelink.postgres.database.azure.com",
                 "privatelink.redis.cache.windows.net", "privatelink.database.windows.net",
                 "privatelink.azurewebsites.net", "privatelink.{region}.azurecontainerapps.io",
                 "privatelink.monitor.azure.com"):
        assert zone in zones


def test_zones_for_the_default_selection() -> None:
    zones = catalog.private_dns_zones(FactoryConfig())
    for zone in ("privatelink.vaultcore.azure.net", "privatelink.blob.core.windows.net",
                 "privatelink.search.windows.net", "privatelink.services.ai.azure.com",
                 "privatelink.azurecr.io"):
        assert zone in zones
    assert "privatelink.api.azureml.ms" not in zones
    assert zones == sorted(zones)
    assert not any("{" in z for z in zones)


def test_zones_follow_services_and_regions() -> None:
    cfg = config(services={"azure_ml": True, "container_apps": True},
                 environments={"prod": {"enabled": True, "region": "westeurope"}})
    zones = catalog.private_dns_zones(cfg)
    assert "privatelink.api.azureml.ms" in zones
    assert {"privatelink.eastus2.azurecontainerapps.io",
            "privatelink.westeurope.azurecontainerapps.io"} <= set(zones)
    prod_only = catalog.private_dns_zones(cfg, "prod")
    assert "privatelink.eastus2.azurecontainerapps.io" not in prod_only


# --------------------------------------------------------------------------- VM sizes, models


def test_every_default_vm_size_is_known() -> None:
    environments = FactoryConfig().environments
    for compute in (environments.dev.compute, environments.prod.compute):
        for size in (compute.aks_node_sku, compute.aml_cluster_sku, compute.compute_instance_sku):
            assert catalog.vm_sku(size) is not None, size


@pytest.mark.parametrize(
    ("size", "family", "vcpus"),
    [("Standard_B4ms", "standardBSFamily", 4), ("Standard_DS3_v2", "standardDSv2Family", 4),
     ("Standard_D13_v2", "standardDv2Family", 8), ("Standard_DS11_v2", "standardDSv2Family", 2),
     ("Standard_ND96amsr_A100_v4", "standardNDAMSv4_A100Family", 96),
     ("Standard_D4s_v5", "standardDSv5Family", 4), ("Standard_E4s_v5", "standardESv5Family", 4)],
)
def test_vm_families(size: str, family: str, vcpus: int) -> None:
    sku = catalog.vm_sku(size)
    assert sku is not None and sku.family == family and sku.vcpus == vcpus


def test_vm_lookup_details() -> None:
    constrained = catalog.vm_sku("standard_ds13-2_v2")
    assert constrained is not None and constrained.vcpus == 2 and constrained.charged_vcpus == 8
    assert catalog.vm_sku("Standard_Nope_v9") is None
    gpu = catalog.vm_sku("Standard_NC6s_v3")
    assert gpu is not None and gpu.gpus == 1


def test_models() -> None:
    for name in ("gpt-5.1", "gpt-5-mini", "gpt-4o", "gpt-4o-mini", "gpt-5.4-mini",
                 "text-embedding-3-large", "text-embedding-3-small", "text-embedding-ada-002"):
        model = catalog.MODELS[name]
        assert model.format == "OpenAI" and model.skus and model.default_version
    assert catalog.MODELS["gpt-4o"].default_version == "2024-11-20"
    assert catalog.MODELS["gpt-4o-mini"].default_version == "2024-07-18"
    assert "Standard" not in catalog.MODELS["gpt-5.1"].skus
    assert catalog.MODELS["text-embedding-3-large"].kind == "embedding"


def test_default_deployments_are_allowed() -> None:
    for deployment in FactoryConfig().skus.models:
        assert deployment.sku in catalog.MODELS[deployment.model].skus


def test_usage_name() -> None:
    assert catalog.usage_name("gpt-5.1", "DataZoneStandard") == "OpenAI.DataZoneStandard.gpt-5.1"


def test_search_tiers_cover_the_model() -> None:
    assert set(catalog.SEARCH_TIERS) == set(get_args(SearchTier))
    assert not catalog.SEARCH_TIERS["free"].private_endpoints
    assert not catalog.SEARCH_TIERS["free"].semantic_ranker
    assert all(t.private_endpoints for n, t in catalog.SEARCH_TIERS.items() if n != "free")
