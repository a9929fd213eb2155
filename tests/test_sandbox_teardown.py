"""Tearing down as in Azure, through the real SDK clients: Key Vault purge (a long-running operation at
its location-scoped path) and recover, a resource group being deleted refusing writes, the resource
list showing top-level tracked resources only, the deployment history groomed at its limit."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import sandbox_fixtures
from azure.core.exceptions import HttpResponseError, ResourceExistsError, ResourceNotFoundError
from sandbox_fixtures import Sdk

from sandbox import durations, seed

arm = sandbox_fixtures.arm
sdk = sandbox_fixtures.sdk

SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"


def keyvault(sdk: Sdk, subscription: str = seed.AIF_DEV) -> Any:
    from azure.mgmt.keyvault import KeyVaultManagementClient

    return sdk.client(KeyVaultManagementClient, subscription)


def vault_body(**properties: Any) -> dict[str, Any]:
    return {"location": "westeurope", "properties": {"tenantId": seed.CONTOSO_TENANT,
                                                     "sku": {"family": "A", "name": "standard"}, **properties}}


def deleted_names(sdk: Sdk, subscription: str = seed.AIF_DEV) -> set[str]:
    return {v.name for v in keyvault(sdk, subscription).vaults.list_deleted()}


def test_a_deleted_vault_is_purged_by_a_long_running_operation(sdk: Sdk) -> None:
    client = keyvault(sdk)
    client.vaults.begin_create_or_update("rg-legacy", "kv-aif-teardown", vault_body()).result()
    client.vaults.delete("rg-legacy", "kv-aif-teardown")
    assert "kv-aif-teardown" in deleted_names(sdk)
    assert not client.vaults.check_name_availability({"name": "kv-aif-teardown",
                                                      "type": "Microsoft.KeyVault/vaults"}).name_available
    started = sdk.arm.now()
    client.vaults.begin_purge_deleted("kv-aif-teardown", "westeurope", polling=False).result()
    assert "kv-aif-teardown" in deleted_names(sdk)  # a purge takes time
    client.vaults.begin_purge_deleted("kv-aif-teardown", "westeurope").result()  # follows the same operation
    assert sdk.arm.now() - started >= sdk.arm.clock.scaled(durations.PURGE_SECONDS)
    assert "kv-aif-teardown" not in deleted_names(sdk)
    assert client.vaults.check_name_availability({"name": "kv-aif-teardown",
                                                  "type": "Microsoft.KeyVault/vaults"}).name_available


def test_purge_is_refused_for_purge_protection_and_unknown_vaults(sdk: Sdk) -> None:
    client = keyvault(sdk, seed.AIF_STAGE)
    with pytest.raises(HttpResponseError) as caught:
        client.vaults.begin_purge_deleted("kv-aif-stage-weu-001", "westeurope").result()
    assert (caught.value.status_code, caught.value.error.code) == (405, "MethodNotAllowed")
    assert caught.value.error.message == "Operation 'DeletedVaultPurge' is not allowed."
    with pytest.raises(ResourceNotFoundError):
        client.vaults.begin_purge_deleted("kv-never-existed", "westeurope").result()
    with pytest.raises(ResourceNotFoundError):  # the path is location-scoped, as ARM's is
        client.vaults.begin_purge_deleted("kv-aif-stage-weu-001", "northeurope").result()
    assert "kv-aif-stage-weu-001" in deleted_names(sdk, seed.AIF_STAGE)


def test_create_mode_recover_brings_a_vault_back_from_the_deleted_list(sdk: Sdk) -> None:
    client = keyvault(sdk)
    client.vaults.begin_create_or_update("rg-legacy", "kv-aif-recover", vault_body()).result()
    client.vaults.delete("rg-legacy", "kv-aif-recover")
    with pytest.raises(HttpResponseError) as caught:
        client.vaults.begin_create_or_update("rg-legacy", "kv-aif-recover", vault_body()).result()
    assert caught.value.error.code == "ConflictError"
    recovered = client.vaults.begin_create_or_update("rg-legacy", "kv-aif-recover",
                                                     vault_body(createMode="recover")).result()
    assert recovered.name == "kv-aif-recover"
    assert "kv-aif-recover" not in deleted_names(sdk)


def test_a_resource_group_being_deleted_refuses_writes(sdk: Sdk) -> None:
    from azure.mgmt.network import NetworkManagementClient
    from azure.mgmt.network.models import AddressSpace, VirtualNetwork
    from azure.mgmt.resource.deployments import DeploymentsMgmtClient
    from azure.mgmt.resource.resources import ResourceManagementClient

    groups = sdk.client(ResourceManagementClient, seed.AIF_DEV).resource_groups
    groups.begin_delete("rg-legacy", polling=False).result()
    assert groups.get("rg-legacy").properties.provisioning_state == "Deleting"
    network = sdk.client(NetworkManagementClient, seed.AIF_DEV)
    with pytest.raises(ResourceExistsError) as caught:
        network.virtual_networks.begin_create_or_update("rg-legacy", "vnet-late", VirtualNetwork(
            location="westeurope", address_space=AddressSpace(address_prefixes=["10.70.0.0/16"]))).result()
    assert caught.value.error.code == "ResourceGroupBeingDeleted"
    assert "is in deprovisioning state and cannot perform this operation" in caught.value.error.message
    client = sdk.client(DeploymentsMgmtClient, seed.AIF_DEV)
    with pytest.raises(ResourceExistsError) as caught:
        client.deployments.begin_create_or_update("rg-legacy", "late", {"properties": {
            "mode": "Incremental", "template": {"$schema": SCHEMA, "contentVersion": "1.0.0.0",
                                                "resources": []}}}).result()
    assert caught.value.error.code == "ResourceGroupBeingDeleted"
    sdk.arm.clock.advance(600)
    assert not groups.check_existence("rg-legacy")


def test_the_resource_list_shows_top_level_tracked_resources_only(sdk: Sdk) -> None:
    from azure.mgmt.resource.deployments import DeploymentsMgmtClient
    from azure.mgmt.resource.resources import ResourceManagementClient

    resources = [
        {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2025-07-01", "name": "vnet-list",
         "location": "westeurope", "properties": {"addressSpace": {"addressPrefixes": ["10.80.0.0/16"]}}},
        {"type": "Microsoft.Network/virtualNetworks/subnets", "apiVersion": "2025-07-01", "name": "vnet-list/snet-a",
         "dependsOn": ["vnet-list"], "properties": {"addressPrefix": "10.80.0.0/24"}},
        {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2026-04-01", "name": "staiflist01",
         "location": "westeurope", "sku": {"name": "Standard_LRS"}, "kind": "StorageV2", "properties": {}},
        {"type": "Microsoft.Storage/storageAccounts/blobServices/containers", "apiVersion": "2026-04-01",
         "name": "staiflist01/default/data", "dependsOn": ["staiflist01"], "properties": {}},
        {"type": "Microsoft.Authorization/roleAssignments", "apiVersion": "2022-04-01",
         "name": "9f1a7c1e-0000-4000-8000-0000000000aa",
         "properties": {"principalId": seed.CALLER_OBJECT_ID, "roleDefinitionId": "/subscriptions/"
                        f"{seed.AIF_DEV}/providers/Microsoft.Authorization/roleDefinitions/"
                        "acdd72a7-3385-48ef-bd42-f606fba81ae7"}},
    ]
    sdk.client(DeploymentsMgmtClient, seed.AIF_DEV).deployments.begin_create_or_update("rg-legacy", "listed", {
        "properties": {"mode": "Incremental", "template": {"$schema": SCHEMA, "contentVersion": "1.0.0.0",
                                                            "resources": resources}}}).result()
    client = sdk.client(ResourceManagementClient, seed.AIF_DEV).resources
    in_group = {(r.type, r.name) for r in client.list_by_resource_group("rg-legacy")}
    assert in_group == {("Microsoft.Network/virtualNetworks", "vnet-legacy-app"),
                        ("Microsoft.Network/virtualNetworks", "vnet-list"),
                        ("Microsoft.Storage/storageAccounts", "staiflist01")}
    assert in_group <= {(r.type, r.name) for r in client.list()}


def _history(sdk: Sdk, count: int, *, active: bool) -> None:
    """`count` earlier deployments at rg-legacy's scope: copies of a real one, oldest first."""
    from azure.mgmt.resource.deployments import DeploymentsMgmtClient

    client = sdk.client(DeploymentsMgmtClient, seed.AIF_DEV).deployments
    client.begin_create_or_update("rg-legacy", "d0000", {"properties": {"mode": "Incremental", "template": {
        "$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": []}}}).result()
    scope = f"/subscriptions/{seed.AIF_DEV}/resourceGroups/rg-legacy"
    original = sdk.arm.world.deployments[f"{scope}|d0000".lower()]
    if active:
        original["end"] = sdk.arm.now() + 10**6
    for index in range(1, count):
        record = copy.deepcopy(original)
        record["name"] = f"d{index:04d}"
        record["submitted"] = original["submitted"] + index
        sdk.arm.world.deployments[f"{scope}|d{index:04d}".lower()] = record


def test_beyond_700_deployments_arm_deletes_the_oldest_down_to_600(sdk: Sdk) -> None:
    from azure.mgmt.resource.deployments import DeploymentsMgmtClient

    _history(sdk, 701, active=False)
    client = sdk.client(DeploymentsMgmtClient, seed.AIF_DEV).deployments
    client.begin_create_or_update("rg-legacy", "newest", {"properties": {"mode": "Incremental", "template": {
        "$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": []}}}).result()
    names = sorted(d.name for d in client.list_by_resource_group("rg-legacy"))
    assert len(names) == 601
    assert names[0] == "d0101" and "newest" in names


def test_at_800_deployments_that_cannot_be_deleted_a_new_one_is_refused(sdk: Sdk) -> None:
    from azure.mgmt.resource.deployments import DeploymentsMgmtClient

    _history(sdk, 800, active=True)
    client = sdk.client(DeploymentsMgmtClient, seed.AIF_DEV).deployments
    with pytest.raises(HttpResponseError) as caught:
        client.begin_create_or_update("rg-legacy", "one-too-many", {"properties": {"mode": "Incremental",
                                      "template": {"$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": []}}})
    assert (caught.value.status_code, caught.value.error.code) == (400, "DeploymentQuotaExceeded")
    assert "would exceed the quota of '800'" in caught.value.error.message
