"""Every live check, passing and failing, through the real SDK clients against the sandbox.

The failing cases are the facts of the seeded demo tenant (docs/demo-tenant.md); where the seed
holds no such fact (a taken registry name, a region without AI Search) the test gives the
sandbox a copy of the catalogue with that one fact added. Every failure is asserted with its
code, severity, environment, field and a hint that says what to do.
"""

from __future__ import annotations

import uuid

import live_fixtures
import pytest
from live_fixtures import (
    CONTOSO,
    HUB_VNET_ID,
    Live,
    catalog_copy,
    env_config,
    live_sandbox,
    only,
    preset,
    with_changes,
)

from sandbox import durations, seed
from wizard import catalog, naming
from wizard.azure.checks import CHECKS, REGISTRY
from wizard.model import FactoryConfig
from wizard.quota import QUOTA_LINK, VCPU_QUOTA_LINK

live = live_fixtures.live


def hub_spoke(**changes: object) -> FactoryConfig:
    """enterprise-hub-spoke (demo subscriptions) with top-level sections replaced or merged."""
    return with_changes(preset("enterprise-hub-spoke"), dict(changes))


# ------------------------------------------------------------------------------ every check passes

PASSING: dict[str, tuple[str, str]] = {
    # check -> (configuration, environment) that passes it
    "subscription": ("hub", "dev"),
    "region": ("hub", "stage"),
    "providers": ("hub", "dev"),
    "permissions": ("hub", "stage"),
    "vm_skus": ("dev-ml", "dev"),
    "vcpu_quota": ("dev-ml", "dev"),
    "model_quota": ("hub", "dev"),
    "ai_accounts": ("hub", "dev"),
    "search": ("hub", "prod"),
    "search_quota": ("hub", "dev"),
    "cosmos": ("hub", "dev"),
    "elastic": ("elastic", "dev"),
    "names": ("hub", "prod"),
    "hub": ("hub", "dev"),
    "address_space": ("hub", "dev"),
}


def _passing_config(kind: str) -> FactoryConfig:
    if kind == "hub":
        return preset("enterprise-hub-spoke")
    if kind == "elastic":
        return env_config(services={"elasticsearch": True})
    return env_config(services={"azure_ml": True, "aks": True})


def test_the_grid_columns_are_the_check_functions() -> None:
    assert list(REGISTRY) == list(CHECKS)
    assert set(PASSING) == set(REGISTRY)


@pytest.mark.parametrize("check", list(PASSING))
def test_each_check_passes_on_a_clean_environment(live: Live, check: str) -> None:
    kind, env = PASSING[check]
    assert live.check(check, _passing_config(kind), env) == []  # type: ignore[arg-type]


# ------------------------------------------------------------------------------ subscription


def test_subscription_that_does_not_exist(live: Live) -> None:
    missing = str(uuid.UUID(int=0x1234_5678_9ABC_4DEF_8123_456789ABCDEF))
    [finding] = live.check("subscription", env_config(subscription=missing), "dev")
    assert (finding.code, finding.severity, finding.environment) == ("AIF-LIVE-SUB-MISSING", "error", "dev")
    assert finding.field == "environments.dev.subscription_id"
    assert missing in finding.message
    assert "az account list" in finding.hint


def test_disabled_subscription(live: Live) -> None:
    [finding] = live.check("subscription", env_config("stage", subscription=seed.LEGACY_SANDBOX), "stage")
    assert (finding.code, finding.severity, finding.environment) == ("AIF-LIVE-SUB-STATE", "error", "stage")
    assert finding.field == "environments.stage.subscription_id"
    assert "legacy-sandbox is Disabled" in finding.message
    assert "re-enable" in finding.hint


def test_subscription_of_another_tenant(live: Live) -> None:
    [finding] = live.check("subscription", env_config(), "dev", tenant=seed.FABRIKAM_TENANT)
    assert (finding.code, finding.severity) == ("AIF-LIVE-SUB-TENANT", "error")
    assert seed.CONTOSO_TENANT in finding.message and seed.FABRIKAM_TENANT in finding.message
    assert "sign in to that tenant" in finding.hint


def test_prod_sharing_dev_subscription_is_a_warning(live: Live) -> None:
    config = FactoryConfig.model_validate({"environments": {
        "dev": {"subscription_id": seed.AIF_DEV}, "prod": {"enabled": True, "subscription_id": seed.AIF_DEV}}})
    assert live.check("subscription", config, "dev") == []
    [finding] = live.check("subscription", config, "prod")
    assert (finding.code, finding.severity, finding.environment) == ("AIF-LIVE-SUB-SHARED", "warning", "prod")
    assert "own subscription" in finding.hint


# ------------------------------------------------------------------------------ region


def test_container_apps_are_not_offered_in_norway_east(live: Live) -> None:
    config = env_config(region="norwayeast", services={"container_apps": True})
    [finding] = live.check("region", config, "dev")
    assert (finding.code, finding.severity, finding.environment) == ("AIF-LIVE-REGION-TYPE", "error", "dev")
    assert finding.field == "environments.dev.region"
    assert "Microsoft.App/managedEnvironments" in finding.message and "container_apps" in finding.message
    assert "norwayeast" in finding.message
    assert "choose a region that offers it" in finding.hint
    assert live.check("region", env_config(region="westeurope", services={"container_apps": True}), "dev") == []


def test_region_the_subscription_does_not_have(live: Live) -> None:
    [finding] = live.check("region", env_config(region="westeurop"), "dev")
    assert (finding.code, finding.severity) == ("AIF-LIVE-REGION", "error")
    assert finding.field == "environments.dev.region"
    assert "westeurop is not available" in finding.message
    assert "e.g. westeurope" in finding.hint


# ------------------------------------------------------------------------------ providers


def test_provider_not_registered_then_registering_then_registered(live: Live) -> None:
    config = env_config("stage", subscription=seed.AIF_STAGE, region="westeurope")
    [finding] = live.check("providers", config, "stage")
    assert (finding.code, finding.severity, finding.environment) == ("AIF-LIVE-PROVIDER", "error", "stage")
    assert "Microsoft.Search is NotRegistered" in finding.message and "ai_search" in finding.message
    assert f"az provider register --namespace Microsoft.Search --subscription {seed.AIF_STAGE}" in finding.hint

    live.session.resources(seed.AIF_STAGE).providers.register("Microsoft.Search")
    [registering] = live.check("providers", config, "stage", session=live.fresh())
    assert (registering.code, registering.severity) == ("AIF-LIVE-PROVIDER", "warning")
    assert "Registering" in registering.message

    live.arm.clock.advance(durations.REGISTRATION_SECONDS)
    assert live.check("providers", config, "stage", session=live.fresh()) == []


def test_unregistered_providers_are_remembered_for_the_offer_to_register(live: Live) -> None:
    from wizard.azure.checks import CheckContext, Reads
    from wizard.azure.preflight import targets_for

    config = env_config("stage", subscription=seed.AIF_STAGE, region="westeurope",
                        services={"container_apps": True})
    targets, _ = targets_for(config)
    ctx = CheckContext(live.session, config, CONTOSO, targets)
    found = REGISTRY["providers"].run(ctx, Reads(live.session), targets[0])
    assert {f.message.split()[0] for f in found} == {"Microsoft.Search", "Microsoft.App"}
    assert list(ctx.unregistered) == [seed.AIF_STAGE]
    assert sorted(ctx.unregistered[seed.AIF_STAGE]) == ["Microsoft.App", "Microsoft.Search"]


def test_hub_dns_subscription_needs_container_service_for_aks(live: Live) -> None:
    config = hub_spoke(services={"aks": True})
    assert live.check("providers", config, "dev") == []
    live.session.resources(seed.CONNECTIVITY_HUB).providers.unregister("Microsoft.ContainerService")
    [finding] = live.check("providers", config, "dev", session=live.fresh())
    assert (finding.code, finding.severity, finding.environment) == ("AIF-LIVE-PROVIDER", "error", "dev")
    assert f"Microsoft.ContainerService is NotRegistered in subscription {seed.CONNECTIVITY_HUB}" in finding.message
    assert f"--subscription {seed.CONNECTIVITY_HUB}" in finding.hint


# ------------------------------------------------------------------------------ permissions


def test_contributor_cannot_write_role_assignments(live: Live) -> None:
    config = preset("enterprise-hub-spoke")
    [finding] = live.check("permissions", config, "prod")
    assert (finding.code, finding.severity, finding.environment) == ("AIF-LIVE-ROLE-WRITE", "error", "prod")
    assert finding.field == "environments.prod.subscription_id"
    assert seed.AIF_PROD in finding.message
    assert "az role assignment create --role Owner" in finding.hint
    assert f"--scope /subscriptions/{seed.AIF_PROD}" in finding.hint
    assert live.check("permissions", config, "dev") == []


# ------------------------------------------------------------------------------ VM sizes and vCPU quota


def test_restricted_vm_size_for_azure_ml(live: Live) -> None:
    config = env_config("stage", subscription=seed.AIF_STAGE, region="swedencentral", services={"azure_ml": True})
    assert config.environments.stage.compute.compute_instance_sku == "Standard_ND96amsr_A100_v4"
    [finding] = live.check("vm_skus", config, "stage")
    assert (finding.code, finding.severity, finding.environment) == ("AIF-LIVE-VM-RESTRICTED", "error", "stage")
    assert finding.field == "environments.stage.compute"
    assert "Standard_ND96amsr_A100_v4 (AML compute instance) is restricted in swedencentral" in finding.message
    assert "NotAvailableForSubscription" in finding.message
    assert "request access" in finding.hint
    eastus = env_config("stage", subscription=seed.AIF_STAGE, region="eastus", services={"azure_ml": True})
    assert live.check("vm_skus", eastus, "stage") == []


def test_unknown_vm_size(live: Live) -> None:
    config = env_config(services={"aks": True}, compute={"aks_node_sku": "Standard_Z99_v9"})
    [finding] = live.check("vm_skus", config, "dev")
    assert (finding.code, finding.severity, finding.environment) == ("AIF-LIVE-VM-SKU", "error", "dev")
    assert "Standard_Z99_v9 (AKS nodes) is not offered in eastus2" in finding.message
    assert "az vm list-skus --location eastus2" in finding.hint


def test_no_compute_means_no_sku_or_quota_reads(live: Live) -> None:
    config = env_config()
    assert live.check("vm_skus", config, "dev") == []
    assert live.check("vcpu_quota", config, "dev") == []
    assert live.transport.requests == 0


def test_vcpu_quota_short_for_aks_in_stage(live: Live) -> None:
    config = env_config("stage", subscription=seed.AIF_STAGE, region="westeurope", services={"aks": True},
                        compute={"aks_node_sku": "Standard_DS13-2_v2", "aks_node_count": 3})
    [finding] = live.check("vcpu_quota", config, "stage")
    assert (finding.code, finding.severity, finding.environment) == ("AIF-LIVE-VCPU", "error", "stage")
    assert finding.field == "environments.stage.compute"
    # Standard_DS13-2_v2 is constrained: 2 usable vCPUs, 8 charged against the family quota.
    assert "standardDSv2Family in westeurope: stage need 24 vCPUs, 4 of 100 are free" in finding.message
    assert VCPU_QUOTA_LINK in finding.hint
    one_node = with_changes(config, {"environments": {"stage": {"compute": {"aks_node_count": 1}}}})
    assert live.check("vcpu_quota", one_node, "stage", session=live.fresh())[0].message.count("need 8 vCPUs") == 1


def test_vcpu_quota_is_summed_over_environments_sharing_subscription_and_region(live: Live) -> None:
    config = FactoryConfig.model_validate({
        "services": {"aks": True},
        "environments": {
            "dev": {"subscription_id": seed.AIF_DEV, "region": "eastus2",
                    "compute": {"aks_node_sku": "Standard_DS13_v2", "aks_node_count": 6}},
            "stage": {"enabled": True, "subscription_id": seed.AIF_DEV, "region": "eastus2",
                      "compute": {"aks_node_sku": "Standard_DS13_v2", "aks_node_count": 5}},
        },
    })
    # 48 + 40 = 88 vCPUs of standardDSv2Family, 80 free (20 used of 100): each alone fits, together not.
    [finding] = live.check("vcpu_quota", config, "dev")
    assert "dev+stage need 88 vCPUs, 80 of 100 are free" in finding.message
    assert finding.environment == "dev"
    assert live.check("vcpu_quota", config, "stage") == []  # reported once, on the first


# ------------------------------------------------------------------------------ models and TPM quota


def test_tpm_quota_short_in_prod(live: Live) -> None:
    config = preset("enterprise-hub-spoke")
    [finding] = live.check("model_quota", config, "prod")
    assert (finding.code, finding.severity, finding.environment) == ("AIF-LIVE-TPM", "error", "prod")
    assert finding.field == "skus.models.0.capacity"
    assert "gpt-5.1 DataZoneStandard in swedencentral" in finding.message
    assert "need 90K TPM (3 project(s) × 30K), 10K of 50K are free" in finding.message
    assert "lower the capacity" in finding.hint and QUOTA_LINK in finding.hint
    small = with_changes(config, {"skus": {"models": [{"model": "gpt-5.1", "sku": "DataZoneStandard",
                                                       "capacity": 3}]}})
    assert live.check("model_quota", small, "prod") == []


def test_model_not_offered(live: Live) -> None:
    config = env_config(skus={"models": [{"model": "text-embedding-3-large", "sku": "Standard", "capacity": 10},
                                         {"model": "gpt-5.1", "sku": "Standard", "capacity": 10}]})
    [finding] = live.check("model_quota", config, "dev")
    assert (finding.code, finding.severity, finding.environment) == ("AIF-LIVE-MODEL", "error", "dev")
    assert finding.field == "skus.models.1"
    assert "gpt-5.1 (Standard) is not offered in eastus2" in finding.message
    assert "another deployment type or region" in finding.hint


def test_no_ai_foundry_means_no_model_reads(live: Live) -> None:
    assert live.check("model_quota", env_config(services={"ai_foundry": False}), "dev") == []
    assert live.transport.requests == 0


# ------------------------------------------------------------------------------ AI Search


def test_search_free_tier_cannot_have_private_endpoints(live: Live) -> None:
    [finding] = live.check("search", env_config(skus={"ai_search_tier": "free"}), "dev")
    assert (finding.code, finding.severity, finding.field) == ("AIF-LIVE-SEARCH-TIER", "error", "skus.ai_search_tier")
    assert "basic" in finding.hint


def test_search_not_offered_in_the_region() -> None:
    changed = catalog_copy()
    search = changed.provider("Microsoft.Search")
    assert search is not None
    services = next(rt for rt in search["resourceTypes"] if rt["resourceType"] == "searchServices")
    services["locations"] = [r for r in services["locations"] if r != "swedencentral"]
    sandbox = live_sandbox(catalog=changed)
    try:
        config = env_config(region="swedencentral")
        [finding] = sandbox.check("search", config, "dev")
        assert (finding.code, finding.severity, finding.environment) == ("AIF-LIVE-SEARCH-REGION", "error", "dev")
        assert finding.field == "environments.dev.region"
        assert "not offered in swedencentral" in finding.message
        assert "another region" in finding.hint
        assert sandbox.check("search", env_config(region="westeurope"), "dev") == []
        assert sandbox.check("search", env_config(region="swedencentral", services={"ai_search": False}),
                             "dev") == []
    finally:
        sandbox.close()


# ------------------------------------------------------------------------------ names


def test_soft_deleted_vault_blocks_the_stage_key_vault_name(live: Live) -> None:
    config = preset("enterprise-hub-spoke")
    [finding] = live.check("names", config, "stage")
    assert (finding.code, finding.severity, finding.environment) == ("AIF-LIVE-KV-DELETED", "error", "stage")
    assert finding.field == "naming.common_resource_suffix"
    assert "kv-cmntest-aje2a-001 is held by a soft-deleted vault (westeurope)" in finding.message
    assert "next free name: kv-cmntest-aje2a-002 (set naming.common_resource_suffix to -002)" in finding.hint
    assert "az keyvault purge --name kv-cmntest-aje2a-001" in finding.hint
    bumped = with_changes(config, {"naming": {"common_resource_suffix": "-002"}})
    assert live.check("names", bumped, "stage", session=live.fresh()) == []


def test_soft_deleted_admin_vault_hint_names_the_admin_vault() -> None:
    sandbox = live_sandbox()
    vaults = sandbox.arm.world.deleted_vaults
    vaults.append({**vaults[-1], "name": "kv-cmnadmtest-aje2a-001"})
    try:
        found = sandbox.check("names", preset("enterprise-hub-spoke"), "stage")
        admin = next(f for f in found if "kv-cmnadmtest-aje2a-001" in f.message)
        assert "next free name: kv-cmnadmtest-aje2a-002" in admin.hint
    finally:
        sandbox.close()


def test_taken_storage_name_from_the_seed(live: Live) -> None:
    taken = "aifdemolake001"
    assert taken in seed.TAKEN_STORAGE_NAMES
    config = env_config(aifactory_extra={"DATALAKE_NAME_PARAM": taken})
    [finding] = live.check("names", config, "dev")
    assert (finding.code, finding.severity, finding.environment) == ("AIF-LIVE-NAME-TAKEN", "error", "dev")
    assert f"storage name {taken} is taken" in finding.message and "already taken" in finding.message
    assert finding.hint.startswith(("next free name", "bump "))


def test_taken_data_lake_name_hint_names_the_next_free_one() -> None:
    config = env_config()
    lake = naming.data_lake(config, "dev")
    changed = catalog_copy()
    changed.taken_names["storage"].append(lake)
    sandbox = live_sandbox(catalog=changed)
    try:
        [finding] = sandbox.check("names", config, "dev")
        assert (finding.code, finding.field) == ("AIF-LIVE-NAME-TAKEN", "naming.lake_prefix")
        assert lake in finding.message
        after = naming.data_lake(with_changes(config, {"naming": {"common_resource_suffix": "-002"}}), "dev")
        assert after != lake
        assert f"next free name: {after} (set naming.common_resource_suffix to -002)" in finding.hint
    finally:
        sandbox.close()


def test_taken_container_registry_name() -> None:
    config = env_config()
    acr = naming.common_acr(config, "dev")
    changed = catalog_copy()
    changed.taken_names["registry"].append(acr)
    sandbox = live_sandbox(catalog=changed)
    try:
        [finding] = sandbox.check("names", config, "dev")
        assert (finding.code, finding.severity, finding.environment) == ("AIF-LIVE-NAME-TAKEN", "error", "dev")
        assert f"acr name {acr} is taken" in finding.message
        assert "next free name: acrcommon" in finding.hint and "-002" in finding.hint
    finally:
        sandbox.close()


def test_soft_deleted_ai_account_blocks_the_foundry_name() -> None:
    config = env_config(aifactory_extra={"AIFACTORY_SALT_RANDOM": "abcdef1234"})
    account = next(g for g in naming.globally_unique_names(config, "dev") if g.kind == "cognitive")
    changed = catalog_copy()
    changed.deleted_accounts.append({
        "name": account.name, "location": "eastus2", "subscription": seed.AIF_DEV, "resource_group": "rg-old",
        "kind": "AIServices", "deletion_date": "2026-10-28T09:14:00Z", "scheduled_purge_date": "2027-01-26T09:14:00Z",
    })
    sandbox = live_sandbox(catalog=changed)
    try:
        [finding] = sandbox.check("names", config, "dev")
        assert (finding.code, finding.severity, finding.environment) == ("AIF-LIVE-COG-DELETED", "error", "dev")
        assert account.name in finding.message
        assert "az cognitiveservices account purge" in finding.hint
    finally:
        sandbox.close()


# ------------------------------------------------------------------------------ hub


def test_hub_vnet_that_does_not_exist(live: Live) -> None:
    missing = HUB_VNET_ID.replace("vnet-hub-weu", "vnet-hub-gone")
    config = hub_spoke(landing_zone={"hub_vnet_ids": {"stage": missing}})
    [finding] = live.check("hub", config, "stage")
    assert (finding.code, finding.severity, finding.environment) == ("AIF-LIVE-HUB-MISSING", "error", "stage")
    assert finding.field == "landing_zone.hub_vnet_ids.stage"
    assert "vnet-hub-gone" in finding.message
    assert "check the resource id" in finding.hint


def test_hub_lacks_the_azure_ml_private_dns_zone(live: Live) -> None:
    config = hub_spoke(services={"azure_ml": True, "aks_for_azure_ml": False})
    needed = catalog.private_dns_zones(config)
    assert "privatelink.api.azureml.ms" in needed
    missing = [z for z in needed if z not in seed.HUB_PRIVATE_DNS_ZONES]
    assert missing == ["privatelink.api.azureml.ms"]
    [finding] = live.check("hub", config, "dev")
    assert (finding.code, finding.severity, finding.environment) == ("AIF-LIVE-DNS-ZONES", "error", "dev")
    assert finding.field == "landing_zone.dns"
    assert "lacks 1 private DNS zone(s): privatelink.api.azureml.ms" in finding.message
    assert f"az network private-dns zone create -g {seed.HUB_DNS_RESOURCE_GROUP}" in finding.hint
    assert live.check("hub", config, "stage") == []  # the hub's zones are checked once, for the first environment


def test_hub_dns_resource_group_that_cannot_be_read(live: Live) -> None:
    config = hub_spoke(landing_zone={"dns": {"resource_group": "rg-dns-gone"}})
    [finding] = live.check("hub", config, "dev")
    assert (finding.code, finding.severity) == ("AIF-LIVE-DNS-RG", "error")
    assert finding.field == "landing_zone.dns.resource_group"
    assert "rg-dns-gone" in finding.message
    assert "Reader" in finding.hint


def test_virtual_wan_hub_exists(live: Live) -> None:
    config = preset("global-vwan")
    assert live.check("hub", config, "dev") == []
    missing = config.landing_zone.virtual_hub_ids["prod"].replace("vhub-weu", "vhub-gone")  # type: ignore[union-attr]
    broken = with_changes(config, {"landing_zone": {"virtual_hub_ids": {"prod": missing}}})
    [finding] = live.check("hub", broken, "prod")
    assert (finding.code, finding.field) == ("AIF-LIVE-HUB-MISSING", "landing_zone.virtual_hub_ids.prod")


# ------------------------------------------------------------------------------ address space


def test_prod_range_overlaps_an_existing_vnet(live: Live) -> None:
    config = env_config("prod", subscription=seed.AIF_PROD, region="westeurope")
    assert config.network.vnet_cidr == "172.16.0.0/16"
    [finding] = live.check("address_space", config, "prod")
    assert (finding.code, finding.severity, finding.environment) == ("AIF-LIVE-OVERLAP", "error", "prod")
    assert finding.field == "environments.prod.cidr_octet"
    assert "prod range 172.16.0.0/16 overlaps VNet vnet-prod-apps (172.16.64.0/20)" in finding.message
    assert "Propose a plan" in finding.hint
    assert live.check("address_space", env_config("prod", subscription=seed.AIF_PROD, network={
        "vnet_cidr": "172.XX.0.0/16"}), "prod") == []


def test_range_overlaps_the_hub(live: Live) -> None:
    config = hub_spoke(network={"vnet_cidr": "10.100.XX.0/24"}, environments={"dev": {"cidr_octet": 1}})
    [finding] = live.check("address_space", config, "dev")
    assert (finding.code, finding.severity, finding.environment) == ("AIF-LIVE-OVERLAP", "error", "dev")
    assert "dev range 10.100.1.0/24 overlaps hub vnet-hub-weu (10.100.0.0/22)" in finding.message
    assert finding.field == "environments.dev.cidr_octet"


def test_range_overlaps_the_virtual_wan_hub(live: Live) -> None:
    config = with_changes(preset("global-vwan"), {"network": {"vnet_cidr": "10.101.XX.0/24"},
                                                  "environments": {"stage": {"cidr_octet": 1}}})
    [finding] = live.check("address_space", config, "stage")
    assert "stage range 10.101.1.0/24 overlaps hub vhub-weu (10.101.0.0/23)" in finding.message


def test_the_factorys_own_vnet_from_an_earlier_run_is_no_overlap(live: Live) -> None:
    config = env_config("prod", subscription=seed.AIF_PROD, region="westeurope", network={
        "vnet_cidr": "172.XX.0.0/16"})
    group, vnet = naming.common_resource_group(config, "prod"), naming.common_vnet(config, "prod")
    live.session.resources(seed.AIF_PROD).resource_groups.create_or_update(group, {"location": "westeurope"})
    vnet_id = f"/subscriptions/{seed.AIF_PROD}/resourceGroups/{group}/providers/Microsoft.Network/virtualNetworks/"
    live.session.resources(seed.AIF_PROD).resources.begin_create_or_update_by_id(vnet_id + vnet, {
        "location": "westeurope", "properties": {"addressSpace": {"addressPrefixes": ["172.63.0.0/16"]}},
    }, api_version="2025-07-01").result()
    assert live.check("address_space", config, "prod", session=live.fresh()) == []
    other = with_changes(config, {"naming": {"vnet_name_base": "vnt-other"}})
    [finding] = live.check("address_space", other, "prod", session=live.fresh())
    assert f"overlaps VNet {vnet} (172.63.0.0/16)" in finding.message


def test_the_live_vnet_moves_every_new_project(live: Live) -> None:
    """aif-prod holds the enterprise-hub-spoke VNet of an earlier run: project 001 and a jump-box
    subnet at 172.22.232.0/24. The calculator appends after it, so 002 and 003 still fit, a
    fourth gets no dbxpriv and webapp (which these services do not need) and a fifth no room."""
    config = hub_spoke(projects=[{"number": n} for n in range(1, 6)])
    found = live.check("address_space", config, "prod")
    info = only(found, "AIF-LIVE-VNET-PLAN")
    assert info.severity == "info"
    assert "vnt-esmlcmn-sdc-prod-001 (13 subnets)" in info.message
    assert "snet-ops-jumpbox 172.22.232.0/24" in info.message
    capacity = sorted((f.severity, f.message) for f in found if f.code == "AIF-NET-CAPACITY")
    assert [severity for severity, _ in capacity] == ["error", "warning"]
    assert "project(s) 005 do not fit" in capacity[0][1]
    assert "project 004 gets no snt-prj004-dbxpriv and snt-prj004-webapp" in capacity[1][1]
    error = next(f for f in found if f.code == "AIF-NET-CAPACITY" and f.severity == "error")
    assert "snet-ops-jumpbox 172.22.232.0/24" in error.hint and error.environment == "prod"
    assert live.check("address_space", hub_spoke(), "prod") == [info]


def test_a_live_run_judges_capacity_from_azure_only(live: Live) -> None:
    """Offline, five projects fit in prod's fresh /16; from the live VNet they do not, and the
    offline rule leaves the judgement to the live check instead of saying both."""
    from wizard.azure.preflight import run_preflight

    config = hub_spoke(projects=[{"number": n} for n in range(1, 6)])
    result = run_preflight(config, live.session, tenant_id=CONTOSO)
    capacity = [f for f in result.findings if f.code == "AIF-NET-CAPACITY"]
    assert {(f.environment, f.check) for f in capacity} == {("prod", "address_space")}
    assert result.grid["prod"]["address_space"] == "fail"


# ------------------------------------------------------------------------------ regional readiness


def test_cosmos_zones_are_not_open_to_prod_in_sweden_central(live: Live) -> None:
    [finding] = live.check("cosmos", hub_spoke(), "prod")
    assert (finding.code, finding.severity, finding.environment) == ("AIF-LIVE-COSMOS-ZONES", "warning", "prod")
    assert "swedencentral" in finding.message and "COSMOS_NO_AZ" in finding.message
    assert finding.field == "environments.prod.region"
    assert live.check("cosmos", hub_spoke(), "stage") == []


def test_cosmos_takes_no_new_accounts_in_norway_east(live: Live) -> None:
    [finding] = live.check("cosmos", env_config(region="norwayeast", services={"cosmos_db": True}), "dev")
    assert (finding.code, finding.severity) == ("AIF-LIVE-COSMOS-ACCESS", "error")
    assert "support request" in finding.hint
    assert live.check("cosmos", env_config(region="norwayeast"), "dev") == [], "no Cosmos DB, nothing to check"


def test_cosmos_region_not_online_and_unreadable() -> None:
    catalogue = catalog_copy()
    key = f"{seed.AIF_DEV}/eastus2".lower()
    catalogue.cosmos_locations[key]["status"] = "Uninitialized"
    catalogue.cosmos_locations.pop(f"{seed.AIF_DEV}/westus2".lower())
    sandbox = live_sandbox(catalog=catalogue)
    try:
        [offline] = sandbox.check("cosmos", env_config(services={"cosmos_db": True}), "dev")
        assert (offline.code, offline.severity) == ("AIF-LIVE-COSMOS-OFFLINE", "error")
        assert "eastus2 is Uninitialized, not Online" in offline.message
        [lookup] = sandbox.check("cosmos", env_config(region="westus2", services={"cosmos_db": True}), "dev")
        assert (lookup.code, lookup.severity) == ("AIF-LIVE-COSMOS-LOOKUP", "warning")
    finally:
        sandbox.close()


def test_cognitive_account_quota_is_tight_in_stage_and_short_for_nine_projects(live: Live) -> None:
    [tight] = live.check("ai_accounts", hub_spoke(), "stage")
    assert (tight.code, tight.severity) == ("AIF-LIVE-COG-TIGHT", "warning")
    assert "within 10% of its limit on AccountCount" in tight.message and "CS_QUOTA_TIGHT" in tight.message
    nine = hub_spoke(projects=[{"number": n} for n in range(1, 10)])
    [short] = live.check("ai_accounts", nine, "stage", session=live.fresh())
    assert (short.code, short.severity, short.field) == ("AIF-LIVE-COG-ACCOUNTS", "error", "projects")
    assert "stage need 9, 8 of 200 are free" in short.message


def test_cognitive_quota_used_up_everywhere() -> None:
    catalogue = catalog_copy()
    for row in catalogue.cognitive_usages[f"{seed.AIF_DEV}/eastus2".lower()]:
        row["currentValue"] = row["limit"]
    sandbox = live_sandbox(catalog=catalogue)
    try:
        codes_found = {f.code for f in sandbox.check("ai_accounts", env_config(), "dev")}
        assert codes_found == {"AIF-LIVE-COG-ACCOUNTS", "AIF-LIVE-COG-FULL"}
    finally:
        sandbox.close()


def test_ai_search_standard_quota_is_short_in_prod(live: Live) -> None:
    [finding] = live.check("search_quota", hub_spoke(), "prod")
    assert (finding.code, finding.severity, finding.field) == ("AIF-LIVE-SEARCH-QUOTA", "error", "skus.ai_search_tier")
    assert "AI Search standard in swedencentral: prod need 3 service(s), 1 of 16 are free" in finding.message
    assert "SEARCH_QUOTA_AT_LIMIT" in finding.message
    assert live.check("search_quota", hub_spoke(skus={"ai_search_tier": "standard2"}), "prod") == []


def test_storage_optimized_tiers_are_found_under_their_usage_names(live: Live) -> None:
    """The quota of `storage_optimized_l1` is reported as `storageOptimizedL1` (preflight.sh misses it)."""
    config = env_config(skus={"ai_search_tier": "storage_optimized_l1"})
    assert live.check("search_quota", config, "dev") == []
    catalogue = catalog_copy()
    rows = catalogue.search_usages[f"{seed.AIF_DEV}/eastus2".lower()]
    rows[:] = [r for r in rows if r["name"]["value"] != "storageOptimizedL1"]
    sandbox = live_sandbox(catalog=catalogue)
    try:
        [finding] = sandbox.check("search_quota", config, "dev")
        assert (finding.code, finding.severity) == ("AIF-LIVE-SEARCH-SKU-UNLISTED", "warning")
    finally:
        sandbox.close()


def test_elastic_is_denied_by_policy_in_prod_and_on_trial_in_stage(live: Live) -> None:
    prod = env_config("prod", subscription=seed.AIF_PROD, services={"elasticsearch": True})
    [denied] = live.check("elastic", prod, "prod")
    assert (denied.code, denied.severity) == ("AIF-LIVE-ELASTIC-POLICY", "error")
    assert denied.field == "services.elasticsearch"
    assert "'Deny Marketplace SaaS in production'" in denied.message and "ELASTIC_POLICY_DENY" in denied.message
    assert "exemption" in denied.hint
    stage = env_config("stage", subscription=seed.AIF_STAGE, services={"elasticsearch": True})
    [trial] = live.check("elastic", stage, "stage")
    assert (trial.code, trial.severity) == ("AIF-LIVE-ELASTIC-POLICY-AUDIT", "warning")
    assert "not enforced" in trial.message


def test_an_allow_list_without_elastic_denies_it_too() -> None:
    """The built-in "Allowed resource types": Elastic is denied by not being listed, a case
    preflight.sh's text search cannot see."""
    catalogue = catalog_copy()
    catalogue.policy_assignments[seed.AIF_DEV.lower()] = [{
        "id": f"/subscriptions/{seed.AIF_DEV}/providers/Microsoft.Authorization/policyAssignments/allowed-types",
        "type": "Microsoft.Authorization/policyAssignments", "name": "allowed-types",
        "properties": {"displayName": "Allowed resource types",
                       "policyDefinitionId": "/providers/Microsoft.Authorization/policyDefinitions/"
                                             "a08ec900-254a-4555-9bf5-e42af04b5c5c",
                       "parameters": {"listOfResourceTypesAllowed": {"value": ["Microsoft.Storage/storageAccounts"]}},
                       "scope": f"/subscriptions/{seed.AIF_DEV}", "notScopes": [], "enforcementMode": "Default"},
    }]
    sandbox = live_sandbox(catalog=catalogue)
    try:
        [finding] = sandbox.check("elastic", env_config(services={"elasticsearch": True}), "dev")
        assert finding.code == "AIF-LIVE-ELASTIC-POLICY" and "'Allowed resource types'" in finding.message
    finally:
        sandbox.close()


def test_the_elastic_provider_is_known_and_not_registered_in_stage(live: Live) -> None:
    stage = env_config("stage", subscription=seed.AIF_STAGE, region="westeurope", services={"elasticsearch": True})
    providers = {f.message.split()[0] for f in live.check("providers", stage, "stage")}
    assert "Microsoft.Elastic" in providers
    [region] = live.check("region", env_config(region="swedencentral", services={"elasticsearch": True}), "dev")
    assert "Microsoft.Elastic/monitors (elasticsearch) is not offered in swedencentral" in region.message


def test_the_sandbox_enforces_the_deny_policy_and_the_search_quota(live: Live) -> None:
    """What the checks warn about, the sandbox refuses as Azure does."""
    from azure.core.exceptions import HttpResponseError

    client = live.session.resources(seed.AIF_PROD)
    client.resource_groups.create_or_update("rg-check", {"location": "swedencentral"})
    base = f"/subscriptions/{seed.AIF_PROD}/resourceGroups/rg-check/providers/"
    with pytest.raises(HttpResponseError) as denied:
        client.resources.begin_create_or_update_by_id(base + "Microsoft.Elastic/monitors/es1", {
            "location": "westeurope", "properties": {}}, api_version="2025-06-01").result()
    assert denied.value.status_code == 403 and denied.value.error.code == "RequestDisallowedByPolicy"
    assert "Deny Marketplace SaaS in production" in str(denied.value.message)
    client.resources.begin_create_or_update_by_id(base + "Microsoft.Search/searchServices/srch1", {
        "location": "swedencentral", "sku": {"name": "standard"}, "properties": {}},
        api_version="2025-05-01").result()
    with pytest.raises(HttpResponseError) as over:
        client.resources.begin_create_or_update_by_id(base + "Microsoft.Search/searchServices/srch2", {
            "location": "swedencentral", "sku": {"name": "standard"}, "properties": {}},
            api_version="2025-05-01").result()
    assert over.value.status_code == 409 and over.value.error.code == "ServiceQuotaExceeded"
    assert "You are using 16 out of 16 'standard' tier service quota" in str(over.value.message)


# ------------------------------------------------------------------------------ fixes


def test_findings_carry_typed_fixes() -> None:
    """Each seeded problem of enterprise-hub-spoke comes with the action that resolves it."""
    from wizard.azure.preflight import run_preflight
    from wizard.findings import RegisterProvider, RunCommand, SetField

    sandbox = live_sandbox()
    try:
        result = run_preflight(preset("enterprise-hub-spoke"), sandbox.session, tenant_id=CONTOSO)
    finally:
        sandbox.close()
    by_code = {f.code: f for f in result.findings}
    provider = by_code["AIF-LIVE-PROVIDER"].fix
    assert isinstance(provider, RegisterProvider) and provider.namespace == "Microsoft.Search"
    role = by_code["AIF-LIVE-ROLE-WRITE"].fix
    assert isinstance(role, RunCommand) and role.command.startswith("az role assignment create --role Owner")
    tpm = by_code["AIF-LIVE-TPM"]
    assert isinstance(tpm.fix, SetField) and tpm.fix.field == tpm.field and tpm.fix.value >= 1
    vault = by_code["AIF-LIVE-KV-DELETED"].fix
    assert vault == SetField("naming.common_resource_suffix", "-002")
    assert by_code["AIF-LIVE-KV-DELETED"].to_json()["fix"] == {
        "field": "naming.common_resource_suffix", "value": "-002", "kind": "set_field"}


def test_applying_the_set_field_fixes_resolves_their_findings() -> None:
    from wizard.azure.preflight import run_preflight
    from wizard.edit import try_set
    from wizard.findings import SetField

    sandbox = live_sandbox()
    try:
        config = preset("enterprise-hub-spoke")
        result = run_preflight(config, sandbox.session, tenant_id=CONTOSO)
        fixes = [f for f in result.findings if isinstance(f.fix, SetField)]
        assert {f.code for f in fixes} >= {"AIF-LIVE-TPM", "AIF-LIVE-KV-DELETED"}
        for finding in fixes:
            assert isinstance(finding.fix, SetField)
            edit = try_set(config, finding.fix.field, finding.fix.value)
            assert edit.config is not None, edit.problems
            config = edit.config
        again = run_preflight(config, sandbox.fresh(), tenant_id=CONTOSO)
    finally:
        sandbox.close()
    assert not {f.code for f in again.findings} & {f.code for f in fixes}
