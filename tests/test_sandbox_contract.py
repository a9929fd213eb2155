"""Contract tests: the sandbox answers each operation with the shape of Microsoft's official example.

For every example in ../shared/reference/arm-examples that the sandbox serves, the sandbox's answer
has the example's keys at every level (list items against the example's first item), the same
JSON types and nesting; extra keys are allowed only where the test names an optional key Azure
also returns. Each response example is also fed through the real SDK model, and the SDK must read
the same attributes from the sandbox's answer.
"""

from __future__ import annotations

from typing import Any

import pytest
import sandbox_fixtures
from sandbox_fixtures import assert_same_shape, assert_sdk_reads_alike, call, example, make_arm

from sandbox import seed
from sandbox.arm import Arm

arm = sandbox_fixtures.arm
"""The seeded sandbox fixture (frozen clock)."""

SUB = seed.AIF_DEV
SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
SUB_SCHEMA = "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#"


def body_of(ex: dict[str, Any], status: str = "200") -> Any:
    return ex["responses"][status]["body"]


def hybrid(cls: type, data: Any) -> Any:
    return cls(data)


# --- subscriptions ------------------------------------------------------------------------------


def test_list_subscriptions_matches_example() -> None:
    from azure.mgmt.resource.subscriptions.models import Subscription

    ex = example("subscriptions/GetSubscriptions.json")
    status, _, body = call(make_arm(page_size=2), "GET", "/subscriptions", **{"api-version": "2022-12-01"})
    assert status == 200
    assert_same_shape(body_of(ex), body)
    assert body["nextLink"].startswith("https://management.azure.com/subscriptions?")
    assert_sdk_reads_alike(hybrid(Subscription, body_of(ex)["value"][0]), hybrid(Subscription, body["value"][0]))


def test_get_subscription_matches_example(arm: Arm) -> None:
    from azure.mgmt.resource.subscriptions.models import Subscription

    ex = example("subscriptions/GetSubscription.json")
    status, _, body = call(arm, "GET", f"/subscriptions/{seed.CONNECTIVITY_HUB}", **{"api-version": "2022-12-01"})
    assert status == 200
    assert_same_shape(body_of(ex), body)
    assert_sdk_reads_alike(hybrid(Subscription, body_of(ex)), hybrid(Subscription, body))


def test_list_locations_matches_example(arm: Arm) -> None:
    from azure.mgmt.resource.subscriptions.models import Location

    ex = example("subscriptions/GetLocations.json")
    status, _, body = call(arm, "GET", f"/subscriptions/{SUB}/locations", **{"api-version": "2022-12-01"})
    assert status == 200
    assert len(body["value"]) == 15
    assert_same_shape(body_of(ex), body)
    assert_sdk_reads_alike(hybrid(Location, body_of(ex)["value"][0]), hybrid(Location, body["value"][0]))


def test_list_tenants_matches_example(arm: Arm) -> None:
    from azure.mgmt.resource.subscriptions.models import TenantIdDescription

    ex = example("subscriptions/GetTenants.json")
    status, _, body = call(make_arm(page_size=1), "GET", "/tenants", **{"api-version": "2022-12-01"})
    assert status == 200
    assert_same_shape(body_of(ex), body)
    assert_sdk_reads_alike(
        hybrid(TenantIdDescription, body_of(ex)["value"][0]), hybrid(TenantIdDescription, body["value"][0])
    )


# --- providers and resource groups --------------------------------------------------------------

PROVIDER_OPTIONAL = {"$.resourceTypes[].locationMappings", "$.value[].resourceTypes[].locationMappings",
                     "$.value[].resourceTypes[].aliases"}


def test_get_provider_matches_example(arm: Arm) -> None:
    from azure.mgmt.resource.resources.models import Provider

    ex = example("resources/GetProvider.json")
    call(arm, "POST", f"/subscriptions/{seed.AIF_STAGE}/providers/Microsoft.Search/register")
    status, _, body = call(arm, "GET", f"/subscriptions/{seed.AIF_STAGE}/providers/Microsoft.Search")
    assert status == 200
    assert body["registrationState"] == "Registering"
    assert_same_shape(body_of(ex), body, optional=PROVIDER_OPTIONAL)
    assert_sdk_reads_alike(hybrid(Provider, body_of(ex)), hybrid(Provider, body), optional={"location_mappings"})


def test_the_elastic_provider_matches_example(arm: Arm) -> None:
    """Microsoft.Elastic, which preflight.sh reads before an Elastic Cloud deployment."""
    from azure.mgmt.resource.resources.models import Provider

    ex = example("resources/GetProvider.json")
    status, _, body = call(arm, "GET", f"/subscriptions/{seed.AIF_STAGE}/providers/Microsoft.Elastic")
    assert status == 200
    assert (body["namespace"], body["registrationState"]) == ("Microsoft.Elastic", "NotRegistered")
    assert "Sweden Central" not in body["resourceTypes"][0]["locations"]
    assert_same_shape(body_of(ex), body, optional=PROVIDER_OPTIONAL)
    assert_sdk_reads_alike(hybrid(Provider, body_of(ex)), hybrid(Provider, body), optional={"location_mappings"})


def test_list_providers_matches_example() -> None:
    from azure.mgmt.resource.resources.models import Provider

    ex = example("resources/GetProviders.json")
    status, _, body = call(make_arm(page_size=5), "GET", f"/subscriptions/{SUB}/providers")
    assert status == 200
    assert_same_shape(body_of(ex), body, optional=PROVIDER_OPTIONAL, extra_ok={"$.nextLink"})
    assert_sdk_reads_alike(
        hybrid(Provider, body_of(ex)["value"][0]), hybrid(Provider, body["value"][0]), optional={"location_mappings"}
    )


def test_create_resource_group_matches_example(arm: Arm) -> None:
    from azure.mgmt.resource.resources.models import ResourceGroup

    ex = example("resources/CreateResourceGroup.json")
    request = ex["parameters"]["parameters"]
    path = f"/subscriptions/{SUB}/resourcegroups/{ex['parameters']['resourceGroupName']}"
    created = call(arm, "PUT", path, request)
    updated = call(arm, "PUT", path, request)
    assert (created[0], updated[0]) == (201, 200)
    assert_same_shape(body_of(ex, "201"), created[2], extra_ok={"$.type"})
    assert_same_shape(body_of(ex, "200"), updated[2], extra_ok={"$.type"})
    assert created[2]["id"] == f"/subscriptions/{SUB}/resourceGroups/my-resource-group"
    assert_sdk_reads_alike(hybrid(ResourceGroup, body_of(ex, "201")), hybrid(ResourceGroup, created[2]))


def test_get_resource_group_matches_example(arm: Arm) -> None:
    from azure.mgmt.resource.resources.models import ResourceGroup

    ex = example("resources/ResourceGroups_Get.json")
    status, _, body = call(arm, "GET", f"/subscriptions/{SUB}/resourcegroups/RG-LEGACY")
    assert status == 200
    assert body["name"] == "rg-legacy"
    assert_same_shape(body_of(ex), body)
    assert_sdk_reads_alike(hybrid(ResourceGroup, body_of(ex)), hybrid(ResourceGroup, body))


# --- deployments --------------------------------------------------------------------------------

DEPLOYMENT_EXTRA = {"$.properties.outputs"}


def test_put_subscription_deployment_matches_example(arm: Arm) -> None:
    from azure.mgmt.resource.deployments.models import DeploymentExtended

    ex = example("deployments/PutDeploymentSubscriptionTemplateSpecsWithId.json")
    path = f"/subscriptions/{SUB}/providers/Microsoft.Resources/deployments/my-deployment"
    status, headers, accepted = call(arm, "PUT", path, ex["parameters"]["parameters"], **{"api-version": "2026-06-01"})
    assert status == 201
    assert "operationStatuses" in headers["Azure-AsyncOperation"]
    assert headers["Retry-After"]
    assert_same_shape(body_of(ex, "201"), accepted)
    assert accepted["properties"]["provisioningState"] == "Accepted"
    arm.clock.advance(10)
    status, _, done = call(arm, "GET", path)
    assert done["properties"]["provisioningState"] == "Succeeded"
    assert_same_shape(body_of(ex, "200"), done)
    assert_sdk_reads_alike(hybrid(DeploymentExtended, body_of(ex, "200")), hybrid(DeploymentExtended, done))


def test_put_group_deployment_matches_example(arm: Arm) -> None:
    from azure.mgmt.resource.deployments.models import DeploymentExtended

    ex = example("deployments/PutDeploymentResourceGroup.json")
    request = {"properties": {"mode": "Incremental", "parameters": {}, "template": {
        "$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": [{
            "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2026-04-01", "name": "mystorageaccount01",
            "location": "eastus", "sku": {"name": "Standard_LRS"}, "kind": "StorageV2", "properties": {}}]}}}
    path = f"/subscriptions/{SUB}/resourcegroups/rg-legacy/providers/Microsoft.Resources/deployments/my-deployment"
    status, _, accepted = call(arm, "PUT", path, request)
    assert status == 201
    optional = {"$.properties.templateLink"}
    assert_same_shape(body_of(ex, "201"), accepted, optional=optional)
    arm.clock.advance(60)
    _, _, done = call(arm, "GET", path)
    assert done["properties"]["provisioningState"] == "Succeeded"
    assert_same_shape(body_of(ex, "200"), done, optional=optional)
    assert done["properties"]["outputResources"] == [
        {"id": f"/subscriptions/{SUB}/resourceGroups/rg-legacy/providers/Microsoft.Storage/"
               "storageAccounts/mystorageaccount01"}
    ]
    assert_sdk_reads_alike(
        hybrid(DeploymentExtended, body_of(ex, "200")), hybrid(DeploymentExtended, done), optional={"template_link"}
    )


def test_validate_matches_example_both_ways(arm: Arm) -> None:
    from azure.mgmt.resource.deployments.models import DeploymentValidateResult, ErrorResponse

    ex = example("deployments/PostDeploymentValidateOnSubscription.json")
    path = f"/subscriptions/{SUB}/providers/Microsoft.Resources/deployments/my-deployment/validate"
    template = {"$schema": SUB_SCHEMA, "contentVersion": "1.0.0.0", "resources": [{
        "type": "Microsoft.Resources/resourceGroups", "apiVersion": "2025-04-01", "name": "my-resource-group2",
        "location": "eastus"}]}
    ok = call(arm, "POST", path, {"location": "eastus", "properties": {"mode": "Incremental", "template": template}})
    assert ok[0] == 200
    assert_same_shape(body_of(ex, "200"), ok[2], optional={"$.properties.templateLink"}, extra_ok={"$.location"})
    validated = ok[2]["properties"]["validatedResources"]
    assert validated == [{"id": f"/subscriptions/{SUB}/resourceGroups/my-resource-group2"}]
    assert_sdk_reads_alike(
        hybrid(DeploymentValidateResult, body_of(ex, "200")), hybrid(DeploymentValidateResult, ok[2]),
        optional={"template_link", "diagnostics"},
    )
    bad = {"$schema": SUB_SCHEMA, "contentVersion": "1.0.0.0", "resources": [{
        "type": "Microsoft.Resources/deployments", "apiVersion": "2025-04-01", "name": "inner",
        "resourceGroup": "rg-legacy", "properties": {"mode": "Incremental", "template": {
            "$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": [{
                "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2026-04-01", "name": "a",
                "location": "westeurope"}]}}}]}
    failed = call(arm, "POST", path, {"location": "eastus", "properties": {"mode": "Incremental", "template": bad}})
    assert failed[0] == 400
    assert_same_shape(body_of(ex, "400"), failed[2])
    root = failed[2]["error"]["details"][0]["details"][0]
    assert (root["code"], root["target"]) == ("AccountNameInvalid", "a")
    assert_sdk_reads_alike(
        hybrid(ErrorResponse, body_of(ex, "400")["error"]), hybrid(ErrorResponse, failed[2]["error"])
    )


WHAT_IF_OPTIONAL = {"$.properties.changes[].before", "$.properties.changes[].delta",
                    "$.properties.changes[].after.tags"}
WHAT_IF_EXTRA = {"$.properties.changes[].before.tags", "$.properties.changes[].delta[].before"}


def _what_if(arm: Arm, path: str, request: dict[str, Any]) -> dict[str, Any]:
    status, headers, body = call(arm, "POST", path, request, **{"api-version": "2026-06-01"})
    assert (status, body) == (202, None)
    location = headers["Location"]
    assert location.startswith("https://management.azure.com/subscriptions/")
    arm.clock.advance(5)
    status, _, raw = arm.handle("GET", location, {"Authorization": "Bearer t"}, None)
    assert status == 200
    import json

    return dict(json.loads(raw))


def _identity(name: str, location: str, tags: dict[str, str] | None = None) -> dict[str, Any]:
    res: dict[str, Any] = {"type": "Microsoft.ManagedIdentity/userAssignedIdentities", "apiVersion": "2018-11-30",
                           "name": name, "location": location}
    if tags:
        res["tags"] = tags
    return res


def test_what_if_at_subscription_matches_example(arm: Arm) -> None:
    from azure.mgmt.resource.deployments.models import WhatIfOperationResult

    ex = example("deployments/PostDeploymentWhatIfOnSubscription.json")
    rg_path = f"/subscriptions/{SUB}/resourcegroups/my-resource-group"
    call(arm, "PUT", rg_path, {"location": "westus2"})
    call(arm, "PUT", rg_path + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/myExistingIdentity",
         {"location": "westus2"})
    inner = {"$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": [
        _identity("myExistingIdentity", "westus2", {"myNewTag": "my tag value"}),
        _identity("myNewIdentity", "eastus", {"myOtherNewTag": "another new tag value"})]}
    template = {"$schema": SUB_SCHEMA, "contentVersion": "1.0.0.0", "resources": [
        {"type": "Microsoft.Resources/deployments", "apiVersion": "2025-04-01", "name": "nested",
         "resourceGroup": "my-resource-group", "properties": {"mode": "Incremental", "template": inner}},
        {"type": "Microsoft.Resources/resourceGroups", "apiVersion": "2019-03-01", "name": "my-resource-group2",
         "location": "eastus"}]}
    result = _what_if(arm, f"/subscriptions/{SUB}/providers/Microsoft.Resources/deployments/my-deployment/whatIf",
                      {"location": "westus", "properties": {"mode": "Incremental", "template": template}})
    assert_same_shape(body_of(ex), result, optional=WHAT_IF_OPTIONAL, extra_ok=WHAT_IF_EXTRA)
    kinds = [c["changeType"] for c in result["properties"]["changes"]]
    assert kinds == ["Modify", "Create", "Create"]
    assert result["properties"]["changes"][0]["delta"] == [
        {"path": "tags.myNewTag", "propertyChangeType": "Create", "after": "my tag value"}
    ]
    assert_sdk_reads_alike(hybrid(WhatIfOperationResult, body_of(ex)), hybrid(WhatIfOperationResult, result))


def test_what_if_at_resource_group_matches_example(arm: Arm) -> None:
    from azure.mgmt.resource.deployments.models import WhatIfOperationResult

    ex = example("deployments/PostDeploymentWhatIfOnResourceGroup.json")
    rg_path = f"/subscriptions/{SUB}/resourcegroups/my-resource-group"
    call(arm, "PUT", rg_path, {"location": "westus2"})
    call(arm, "PUT", rg_path + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/myExistingIdentity",
         {"location": "westus2", "tags": {"myNewTag": "old"}})
    template = {"$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": [
        _identity("myExistingIdentity", "westus2", {"myNewTag": "my tag value"}),
        _identity("myNewIdentity", "eastus", {"myOtherNewTag": "another new tag value"})]}
    result = _what_if(arm, rg_path + "/providers/Microsoft.Resources/deployments/my-deployment/whatIf",
                      {"properties": {"mode": "Incremental", "template": template}})
    assert_same_shape(body_of(ex), result, optional=WHAT_IF_OPTIONAL, extra_ok=WHAT_IF_EXTRA)
    first = result["properties"]["changes"][0]
    assert first["changeType"] == "Modify"
    assert first["delta"] == [{"path": "tags.myNewTag", "propertyChangeType": "Modify", "before": "old",
                               "after": "my tag value"}]
    assert_sdk_reads_alike(hybrid(WhatIfOperationResult, body_of(ex)), hybrid(WhatIfOperationResult, result))


# --- compute, Cognitive Services, authorization -------------------------------------------------


def test_resource_skus_match_example(arm: Arm) -> None:
    from azure.mgmt.compute.models import ResourceSku

    ex = example("compute/ListAvailableResourceSkusForARegion.json")
    status, _, body = call(arm, "GET", f"/subscriptions/{SUB}/providers/Microsoft.Compute/skus",
                           **{"api-version": "2021-07-01", "$filter": "location%20eq%20%27westeurope%27"})
    assert status == 200
    assert {s["locations"][0] for s in body["value"]} == {"westeurope"}
    assert_same_shape(body_of(ex), body, optional={"$.nextLink", "$.value[].locationInfo[].zoneDetails"},
                      extra_ok={"$.value[].restrictions"})
    assert_sdk_reads_alike(hybrid(ResourceSku, body_of(ex)["value"][0]), hybrid(ResourceSku, body["value"][0]))


def test_compute_usages_match_example() -> None:
    from azure.mgmt.compute.models import Usage

    ex = example("compute/Usage_List_MaximumSet_Gen.json")
    status, _, body = call(make_arm(page_size=3), "GET",
                           f"/subscriptions/{SUB}/providers/Microsoft.Compute/locations/eastus2/usages",
                           **{"api-version": ex["parameters"]["api-version"]})
    assert status == 200
    assert_same_shape(body_of(ex), body)
    assert_sdk_reads_alike(hybrid(Usage, body_of(ex)["value"][0]), hybrid(Usage, body["value"][0]))


def test_cognitive_usages_match_example(arm: Arm) -> None:
    from azure.mgmt.cognitiveservices.models import Usage

    ex = example("cognitiveservices/ListUsagesGlobalScope.json")
    status, _, body = call(arm, "GET",
                           f"/subscriptions/{seed.AIF_PROD}/providers/Microsoft.CognitiveServices/locations/swedencentral/usages",
                           **{"api-version": ex["parameters"]["api-version"]})
    assert status == 200
    assert_same_shape(body_of(ex), body)
    assert_sdk_reads_alike(Usage.deserialize(body_of(ex)["value"][0]), Usage.deserialize(body["value"][0]))


def test_cognitive_models_match_example(arm: Arm) -> None:
    from azure.mgmt.cognitiveservices.models import Model

    ex = example("cognitiveservices/ListLocationModels.json")
    path = f"/subscriptions/{SUB}/providers/Microsoft.CognitiveServices/locations/eastus/models"
    status, _, body = call(arm, "GET", path, **{"api-version": ex["parameters"]["api-version"]})
    assert status == 200
    assert_same_shape(
        body_of(ex), body, free={"$.value[].model.capabilities"},
        extra_ok={"$.value[].model.isDefaultVersion", "$.value[].model.skus[].deprecationDate",
                  "$.value[].model.systemData.createdByType", "$.value[].model.systemData.lastModifiedByType"},
    )
    assert_sdk_reads_alike(Model.deserialize(body_of(ex)["value"][0]), Model.deserialize(body["value"][0]))


def test_permissions_match_example() -> None:
    from azure.mgmt.authorization.v2022_04_01.models import Permission

    ex = example("authorization/GetPermissions.json")
    arm = make_arm()
    status, _, body = call(arm, "GET", f"/subscriptions/{seed.AIF_PROD}/resourcegroups/rg-landing/providers/"
                           "Microsoft.Authorization/permissions", **{"api-version": "2022-04-01"})
    assert status == 200
    assert_same_shape(body_of(ex), body, optional={"$.nextLink"})
    assert "Microsoft.Authorization/*/Write" in body["value"][0]["notActions"]
    assert_sdk_reads_alike(Permission.deserialize(body_of(ex)["value"][0]), Permission.deserialize(body["value"][0]))


# --- names --------------------------------------------------------------------------------------


def test_vault_name_check_matches_example(arm: Arm) -> None:
    from azure.mgmt.keyvault.models import CheckNameAvailabilityResult

    ex = example("keyvault/checkVaultNameAvailability.json")
    status, _, body = call(arm, "POST", f"/subscriptions/{SUB}/providers/Microsoft.KeyVault/checkNameAvailability",
                           ex["parameters"]["vaultName"], **{"api-version": ex["parameters"]["api-version"]})
    assert status == 200
    assert body == {"nameAvailable": True}
    assert_same_shape(body_of(ex), body)
    taken = call(arm, "POST", f"/subscriptions/{SUB}/providers/Microsoft.KeyVault/checkNameAvailability",
                 {"name": seed.DELETED_VAULTS[0]["name"], "type": "Microsoft.KeyVault/vaults"})[2]
    assert_same_shape(body_of(ex), taken, extra_ok={"$.reason", "$.message"})
    assert_sdk_reads_alike(hybrid(CheckNameAvailabilityResult, body_of(ex)), hybrid(CheckNameAvailabilityResult, body))


def test_deleted_vaults_match_example() -> None:
    from azure.mgmt.keyvault.models import DeletedVault

    ex = example("keyvault/listDeletedVaults.json")
    status, _, body = call(make_arm(page_size=1), "GET",
                           f"/subscriptions/{seed.AIF_STAGE}/providers/Microsoft.KeyVault/deletedVaults",
                           **{"api-version": ex["parameters"]["api-version"]})
    assert status == 200
    assert_same_shape(body_of(ex), body)
    assert_sdk_reads_alike(hybrid(DeletedVault, body_of(ex)["value"][0]), hybrid(DeletedVault, body["value"][0]))


def test_storage_name_check_matches_example(arm: Arm) -> None:
    from azure.mgmt.storage.models import CheckNameAvailabilityResult

    ex = example("storage/StorageAccountCheckNameAvailability.json")
    status, _, body = call(arm, "POST", f"/subscriptions/{SUB}/providers/Microsoft.Storage/checkNameAvailability",
                           ex["parameters"]["accountName"], **{"api-version": ex["parameters"]["api-version"]})
    assert (status, body) == (200, {"nameAvailable": True})
    assert_same_shape(body_of(ex), body)
    assert_sdk_reads_alike(hybrid(CheckNameAvailabilityResult, body_of(ex)), hybrid(CheckNameAvailabilityResult, body))


# --- network ------------------------------------------------------------------------------------


VNETS = {
    "hub": (seed.CONNECTIVITY_HUB, "rg-hub-network", "vnet-hub-weu"),
    # the enterprise-hub-spoke VNet of an earlier run, which the subnet calculator reads
    "factory": (seed.AIF_PROD, "cto-ai-esml-common-sdc-prod-001", "vnt-esmlcmn-sdc-prod-001"),
}


@pytest.mark.parametrize("which", list(VNETS))
def test_virtual_network_matches_example(arm: Arm, which: str) -> None:
    from azure.mgmt.network.models import VirtualNetwork

    ex = example("network/VirtualNetworkGet.json")
    sub, group, name = VNETS[which]
    status, _, body = call(arm, "GET", f"/subscriptions/{sub}/resourceGroups/{group}/providers/"
                           f"Microsoft.Network/virtualNetworks/{name}", **{"api-version": "2025-09-01"})
    assert status == 200
    assert body["name"] == name and len(body["properties"]["subnets"]) > 1
    assert_same_shape(
        body_of(ex), body,
        optional={"$.properties.defaultPublicNatGateway", "$.properties.subnets[].properties.ipConfigurations"},
        extra_ok={"$.tags", "$.properties.enableDdosProtection", "$.properties.subnets[].type",
                  "$.properties.subnets[].properties.privateEndpointNetworkPolicies",
                  "$.properties.subnets[].properties.privateLinkServiceNetworkPolicies",
                  "$.properties.subnets[].properties.delegations"},
    )
    assert_sdk_reads_alike(hybrid(VirtualNetwork, body_of(ex)), hybrid(VirtualNetwork, body),
                           optional={"default_public_nat_gateway", "ip_configurations"})


# --- operations without a stored example: the keys of Microsoft's published example -------------


def test_cosmos_location_has_the_keys_of_cosmosdblocationget(arm: Arm) -> None:
    """Locations_Get (CosmosDBLocationGet.json): id, type, name and the region's properties."""
    status, _, body = call(arm, "GET", f"/subscriptions/{seed.AIF_PROD}/providers/Microsoft.DocumentDB/locations/"
                           "swedencentral", **{"api-version": "2025-04-15"})
    assert status == 200
    assert set(body) == {"id", "type", "name", "properties"}
    assert body["name"] == "swedencentral" and body["type"] == "Microsoft.DocumentDB/locations"
    assert set(body["properties"]) == {"supportsAvailabilityZone", "isResidencyRestricted", "backupStorageRedundancies",
                                       "isSubscriptionRegionAccessAllowedForRegular",
                                       "isSubscriptionRegionAccessAllowedForAz", "status"}
    assert body["properties"]["isSubscriptionRegionAccessAllowedForAz"] is False


def test_search_usages_have_the_keys_of_getquotausageslist(arm: Arm) -> None:
    """Usages_ListBySubscription (GetQuotaUsagesList.json): one row per SKU, storage-optimized
    tiers under their camel-case usage names."""
    status, _, body = call(arm, "GET", f"/subscriptions/{seed.AIF_PROD}/providers/Microsoft.Search/locations/"
                           "swedencentral/usages", **{"api-version": "2025-05-01"})
    assert status == 200
    rows = {r["name"]["value"]: r for r in body["value"]}
    assert list(rows) == ["free", "basic", "standard", "standard2", "standard3", "storageOptimizedL1",
                          "storageOptimizedL2"]
    assert all(set(r) == {"id", "name", "currentValue", "limit", "unit"} for r in rows.values())
    assert set(rows["free"]["name"]) == {"value", "localizedValue"}
    assert (rows["standard"]["currentValue"], rows["standard"]["limit"]) == (15, 16)


def test_policy_assignments_have_the_keys_of_listpolicyassignments(arm: Arm) -> None:
    """PolicyAssignments_List (listPolicyAssignments.json) with `$filter=atScope()`."""
    status, _, body = call(arm, "GET", f"/subscriptions/{seed.AIF_PROD}/providers/Microsoft.Authorization/"
                           "policyAssignments", **{"api-version": "2025-03-01", "$filter": "atScope()"})
    assert status == 200
    first = body["value"][0]
    assert {"id", "type", "name", "properties"} <= set(first)
    assert {"displayName", "description", "metadata", "policyDefinitionId", "parameters", "scope",
            "notScopes", "enforcementMode"} <= set(first["properties"])
    banned = first["properties"]["parameters"]["listOfResourceTypesNotAllowed"]["value"]
    assert banned[0] == "Microsoft.Elastic/monitors"


# --- resource bodies written directly -----------------------------------------------------------

RESOURCE_EXAMPLES = [
    ("cognitiveservices/CreateAccount.json", "Microsoft.CognitiveServices/accounts/testCreate1"),
    ("search/SearchCreateOrUpdateService.json", "Microsoft.Search/searchServices/mysearchservice"),
    ("machinelearning/create.json", "Microsoft.MachineLearningServices/workspaces/testworkspace"),
    ("network/PrivateEndpointCreateWithASG.json", "Microsoft.Network/privateEndpoints/testPe"),
    ("network/SubnetCreateServiceEndpoint.json", "Microsoft.Network/virtualNetworks/vnetname/subnets/subnet1"),
    ("network/VirtualNetworkPeeringCreate.json",
     "Microsoft.Network/virtualNetworks/vnet-legacy-app/virtualNetworkPeerings/peer"),
    ("authorization/RoleAssignments_CreateForResourceGroup.json",
     "Microsoft.Authorization/roleAssignments/05c5a614-a7d6-4502-b150-c2fb455033ff"),
]


PARENTS = {
    "network/SubnetCreateServiceEndpoint.json": ("Microsoft.Network/virtualNetworks/vnetname", {
        "location": "westeurope", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}}}),
}
"""Parents an example's resource needs, as its example assumes them (the subnet's 10.0.0.0/16 VNet)."""


@pytest.mark.parametrize(("relative", "rest"), RESOURCE_EXAMPLES, ids=[r[0] for r in RESOURCE_EXAMPLES])
def test_resource_put_keeps_the_example_envelope(arm: Arm, relative: str, rest: str) -> None:
    """A direct PUT of an example's request body answers in ARM's envelope, inventing nothing."""
    ex = example(relative)
    request = next(v for v in ex["parameters"].values() if isinstance(v, dict) and "properties" in v)
    path = f"/subscriptions/{SUB}/resourceGroups/rg-legacy/providers/{rest}"
    version = {"api-version": ex["parameters"]["api-version"]}
    if relative in PARENTS:
        parent, parent_body = PARENTS[relative]
        parent_path = f"/subscriptions/{SUB}/resourceGroups/rg-legacy/providers/{parent}"
        assert call(arm, "PUT", parent_path, parent_body, **version)[0] == 201
    status, _, body = call(arm, "PUT", path, request, **version)
    assert status in (200, 201), body
    response = next(r["body"] for r in ex["responses"].values() if r.get("body"))
    assert {"id", "name"} <= set(body)
    assert set(request) <= set(body)
    assert set(body) <= set(response) | set(request) | {"id", "name", "type"}
    assert body["properties"]["provisioningState"] == "Succeeded"
    assert body["name"] == rest.split("/")[-1]
    got = call(arm, "GET", path, **version)[2]
    assert got["id"] == body["id"]
