"""The real Azure SDK clients, unchanged, read the seeded demo tenant through the in-process transport."""

from __future__ import annotations

import pytest
import sandbox_fixtures
from sandbox_fixtures import Sdk, make_arm

from sandbox import durations, seed
from sandbox.transport import ForeignHostError, SandboxTransport

arm = sandbox_fixtures.arm
sdk = sandbox_fixtures.sdk


@pytest.fixture
def paged() -> Sdk:
    """Clients over a sandbox with 3-item pages, so every list follows nextLink."""
    return Sdk(make_arm(page_size=3))


def test_subscriptions_tenants_locations(paged: Sdk) -> None:
    from azure.mgmt.resource.subscriptions import SubscriptionClient

    client = paged.client(SubscriptionClient)
    subs = {s.display_name: s for s in client.subscriptions.list()}
    assert set(subs) == {"aif-dev", "aif-stage", "aif-prod", "connectivity-hub", "legacy-sandbox"}
    assert subs["legacy-sandbox"].state == "Disabled"
    assert [t.tenant_category for t in client.tenants.list()] == ["Home", "ProjectedBy"]
    locations = list(client.subscriptions.list_locations(seed.AIF_DEV))
    assert [loc.name for loc in locations] == seed.REGIONS
    weu = next(loc for loc in locations if loc.name == "westeurope")
    assert weu.metadata.paired_region[0].name == "northeurope"
    assert len(weu.availability_zone_mappings) == 3
    assert paged.transport.requests >= 2 + 1 + 5


def test_providers_register_and_resource_groups(sdk: Sdk) -> None:
    from azure.mgmt.resource.resources import ResourceManagementClient

    client = sdk.client(ResourceManagementClient, seed.AIF_STAGE)
    assert client.providers.get("Microsoft.App").registration_state == "NotRegistered"
    assert client.providers.register("Microsoft.App").registration_state == "Registering"
    sdk.arm.clock.advance(durations.REGISTRATION_SECONDS - 0.1)
    assert client.providers.get("Microsoft.App").registration_state == "Registering"
    sdk.arm.clock.advance(0.2)
    assert client.providers.get("Microsoft.App").registration_state == "Registered"
    app = client.providers.get("Microsoft.App")
    environments = next(rt for rt in app.resource_types if rt.resource_type == "managedEnvironments")
    assert "Norway East" not in environments.locations
    dev = sdk.client(ResourceManagementClient, seed.AIF_DEV)
    states = {p.namespace: p.registration_state for p in dev.providers.list()}
    assert states["Microsoft.Databricks"] == "Registered"
    prod = sdk.client(ResourceManagementClient, seed.AIF_PROD)
    assert prod.providers.get("Microsoft.Databricks").registration_state == "NotRegistered"
    group = client.resource_groups.create_or_update("rg-test", {"location": "swedencentral", "tags": {"a": "b"}})
    assert group.id == f"/subscriptions/{seed.AIF_STAGE}/resourceGroups/rg-test"
    assert client.resource_groups.check_existence("RG-TEST") is True
    assert [g.name for g in client.resource_groups.list()] == ["rg-test"]
    client.resource_groups.begin_delete("rg-test").result()
    assert client.resource_groups.check_existence("rg-test") is False


def test_compute_skus_and_usages(sdk: Sdk) -> None:
    from azure.mgmt.compute import ComputeManagementClient

    client = sdk.client(ComputeManagementClient, seed.AIF_DEV)
    skus = list(client.resource_skus.list(filter="location eq 'swedencentral'"))
    nd = next(s for s in skus if s.name == "Standard_ND96amsr_A100_v4")
    assert nd.restrictions[0].reason_code == "NotAvailableForSubscription"
    assert all(not s.restrictions for s in skus if s.name != "Standard_ND96amsr_A100_v4")
    usages = {u.name.value: u for u in client.usage.list("eastus2")}
    assert (usages["standardDSv2Family"].current_value, usages["standardDSv2Family"].limit) == (20, 100)
    stage = sdk.client(ComputeManagementClient, seed.AIF_STAGE)
    short = {u.name.value: u for u in stage.usage.list("westeurope")}["standardDSv2Family"]
    assert short.limit - short.current_value == 4


def test_cognitive_models_and_tpm_usages(sdk: Sdk) -> None:
    from azure.mgmt.cognitiveservices import CognitiveServicesManagementClient

    client = sdk.client(CognitiveServicesManagementClient, seed.AIF_PROD)
    models = [m for m in client.models.list("swedencentral") if m.kind == "OpenAI"]
    gpt51 = next(m for m in models if m.model.name == "gpt-5.1")
    assert "Standard" not in {s.name for s in gpt51.model.skus}
    assert {m.model.name for m in models} == set(seed.MODELS)
    usages = {u.name.value: u for u in client.usages.list("swedencentral")}
    short = usages["OpenAI.DataZoneStandard.gpt-5.1"]
    assert (short.current_value, short.limit) == (40, 50)
    assert usages["OpenAI.GlobalStandard.gpt-4o"].limit == 1000


def test_permissions(sdk: Sdk) -> None:
    from azure.mgmt.authorization import AuthorizationManagementClient

    prod = sdk.client(AuthorizationManagementClient, seed.AIF_PROD)
    [perm] = list(prod.permissions.list_for_resource_group("rg-landing"))
    assert "Microsoft.Authorization/*/Write" in perm.not_actions
    dev = sdk.client(AuthorizationManagementClient, seed.AIF_DEV)
    assert [p.not_actions for p in dev.permissions.list_for_resource_group("rg-legacy")] == [[]]


def test_network_reads(sdk: Sdk) -> None:
    from azure.mgmt.network import NetworkManagementClient

    hub = sdk.client(NetworkManagementClient, seed.CONNECTIVITY_HUB)
    vnet = hub.virtual_networks.get("rg-hub-network", "vnet-hub-weu")
    assert vnet.address_space.address_prefixes == ["10.100.0.0/22"]
    assert vnet.subnets[0].id.endswith("/subnets/GatewaySubnet")
    assert hub.virtual_hubs.get("rg-hub-network", "vhub-weu").address_prefix == "10.101.0.0/23"
    dev = sdk.client(NetworkManagementClient, seed.AIF_DEV)
    assert [v.name for v in dev.virtual_networks.list_all()] == ["vnet-legacy-app"]
    from azure.core.exceptions import ResourceNotFoundError

    with pytest.raises(ResourceNotFoundError):
        dev.virtual_networks.get("rg-legacy", "nope")


def test_private_dns_zones_listed_with_one_missing(sdk: Sdk) -> None:
    from azure.mgmt.resource.resources import ResourceManagementClient

    client = sdk.client(ResourceManagementClient, seed.CONNECTIVITY_HUB)
    zones = {
        r.name for r in client.resources.list_by_resource_group(
            seed.HUB_DNS_RESOURCE_GROUP, filter="resourceType eq 'Microsoft.Network/privateDnsZones'"
        )
    }
    assert "privatelink.vaultcore.azure.net" in zones
    assert "privatelink.api.azureml.ms" not in zones
    assert zones == set(seed.HUB_PRIVATE_DNS_ZONES)


def test_name_checks(sdk: Sdk) -> None:
    from azure.mgmt.keyvault import KeyVaultManagementClient
    from azure.mgmt.storage import StorageManagementClient

    storage = sdk.client(StorageManagementClient, seed.AIF_DEV)
    check = storage.storage_accounts.check_name_availability
    taken = check({"name": "stcontosodemo", "type": "Microsoft.Storage/storageAccounts"})
    assert (taken.name_available, taken.reason) == (False, "AlreadyExists")
    assert check({"name": "staifnew001", "type": "Microsoft.Storage/storageAccounts"}).name_available is True
    assert check({"name": "Bad-Name", "type": "Microsoft.Storage/storageAccounts"}).reason == "AccountNameInvalid"
    vaults = sdk.client(KeyVaultManagementClient, seed.AIF_STAGE)
    deleted = list(vaults.vaults.list_deleted())
    assert {v.name for v in deleted} == {v["name"] for v in seed.DELETED_VAULTS if v["subscription"] == seed.AIF_STAGE}
    blocked = vaults.vaults.check_name_availability({"name": deleted[0].name, "type": "Microsoft.KeyVault/vaults"})
    assert blocked.name_available is False
    free = vaults.vaults.check_name_availability({"name": "kv-aif-free-001", "type": "Microsoft.KeyVault/vaults"})
    assert free.name_available is True


def test_transport_refuses_other_hosts(arm) -> None:  # type: ignore[no-untyped-def]
    from azure.mgmt.resource.subscriptions import SubscriptionClient

    from sandbox.transport import SandboxCredential

    client = SubscriptionClient(SandboxCredential(), base_url="https://example.com", transport=SandboxTransport(arm))
    with pytest.raises(ForeignHostError, match=r"example\.com"):
        list(client.subscriptions.list())
