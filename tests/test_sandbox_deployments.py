"""Deployments through the real DeploymentsMgmtClient: LROs against the clock, nested deployments,
what-if, cancel, failures with nested details, auto-registration, persistence across processes."""

from __future__ import annotations

from typing import Any

import pytest
import sandbox_fixtures
from azure.core.exceptions import HttpResponseError, ResourceExistsError
from sandbox_fixtures import Sdk, call, make_arm

from sandbox import seed
from sandbox.arm import Arm
from sandbox.clock import SandboxClock
from sandbox.faults import FaultPlan, ResourceFailure

arm = sandbox_fixtures.arm
sdk = sandbox_fixtures.sdk

SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
SUB_SCHEMA = "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#"


def storage(name: str, location: str = "westeurope") -> dict[str, Any]:
    return {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2026-04-01", "name": name,
            "location": location, "sku": {"name": "Standard_LRS"}, "kind": "StorageV2", "properties": {}}


def search(name: str) -> dict[str, Any]:
    return {"type": "Microsoft.Search/searchServices", "apiVersion": "2025-05-01", "name": name,
            "location": "westeurope", "sku": {"name": "standard"}, "properties": {"replicaCount": 1}}


def common_template(rg: str = "rg-aif-dev-common", extra: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A subscription-scope template: a resource group, then a nested deployment into it."""
    inner = {"$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": [
        {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2025-07-01", "name": "vnet-aif",
         "location": "westeurope", "properties": {"addressSpace": {"addressPrefixes": ["172.16.0.0/16"]}}},
        {"type": "Microsoft.Network/virtualNetworks/subnets", "apiVersion": "2025-07-01", "name": "vnet-aif/snet-pe",
         "dependsOn": ["[resourceId('Microsoft.Network/virtualNetworks', 'vnet-aif')]"],
         "properties": {"addressPrefix": "172.16.61.0/26"}},
        storage("staifdevcommon01"),
        *(extra or []),
    ], "outputs": {"vnetId": {"type": "string",
                              "value": "[resourceId('Microsoft.Network/virtualNetworks', 'vnet-aif')]"}}}
    return {"$schema": SUB_SCHEMA, "contentVersion": "1.0.0.0", "resources": [
        {"type": "Microsoft.Resources/resourceGroups", "apiVersion": "2025-04-01", "name": rg,
         "location": "westeurope"},
        {"type": "Microsoft.Resources/deployments", "apiVersion": "2025-04-01", "name": "network-and-storage",
         "resourceGroup": rg, "dependsOn": [f"[subscriptionResourceId('Microsoft.Resources/resourceGroups', '{rg}')]"],
         "properties": {"mode": "Incremental", "expressionEvaluationOptions": {"scope": "inner"}, "template": inner}},
    ]}


def deployments(sdk: Sdk, subscription: str = seed.AIF_DEV) -> Any:
    from azure.mgmt.resource.deployments import DeploymentsMgmtClient

    return sdk.client(DeploymentsMgmtClient, subscription)


def test_subscription_deployment_runs_against_the_clock(sdk: Sdk) -> None:
    client = deployments(sdk)
    start = sdk.arm.now()
    poller = client.deployments.begin_create_or_update_at_subscription_scope(
        "aif-common", {"location": "westeurope", "properties": {"mode": "Incremental", "template": common_template()}}
    )
    result = poller.result()
    assert result.properties.provisioning_state == "Succeeded"
    elapsed = sdk.arm.now() - start
    assert 25 <= elapsed <= 60, elapsed  # the storage account (about 30 s) is the critical path
    assert result.properties.duration.startswith("PT")
    ops = list(client.deployment_operations.list_at_subscription_scope("aif-common"))
    types = [o.properties.target_resource.resource_type for o in ops]
    assert types == ["Microsoft.Resources/resourceGroups", "Microsoft.Resources/deployments"]
    rg_op, nested_op = ops
    assert rg_op.properties.timestamp <= nested_op.properties.timestamp
    nested = client.deployments.get("rg-aif-dev-common", "network-and-storage")
    assert nested.properties.outputs["vnetId"]["value"].endswith("/virtualNetworks/vnet-aif")
    inner_ops = [o for o in client.deployment_operations.list("rg-aif-dev-common", "network-and-storage")
                 if o.properties.target_resource is not None]
    by_name = {o.properties.target_resource.resource_name: o for o in inner_ops}
    assert by_name["vnet-aif/snet-pe"].properties.timestamp > by_name["vnet-aif"].properties.timestamp
    single = client.deployment_operations.get("rg-aif-dev-common", "network-and-storage", inner_ops[0].operation_id)
    assert single.operation_id == inner_ops[0].operation_id
    from azure.mgmt.network import NetworkManagementClient
    from azure.mgmt.resource.resources import ResourceManagementClient

    assert sdk.client(ResourceManagementClient, seed.AIF_DEV).resource_groups.check_existence("rg-aif-dev-common")
    vnet = sdk.client(NetworkManagementClient, seed.AIF_DEV).virtual_networks.get("rg-aif-dev-common", "vnet-aif")
    assert [s.name for s in vnet.subnets] == ["snet-pe"]


def test_status_moves_from_running_to_succeeded(arm: Arm) -> None:
    path = f"/subscriptions/{seed.AIF_DEV}/resourcegroups/rg-legacy/providers/Microsoft.Resources/deployments/d1"
    body = {"properties": {"mode": "Incremental", "template": {"$schema": SCHEMA, "contentVersion": "1.0.0.0",
                                                                 "resources": [storage("staifd1")]}}}
    status, headers, created = call(arm, "PUT", path, body)
    assert (status, created["properties"]["provisioningState"]) == (201, "Accepted")
    status_url = headers["Azure-AsyncOperation"]
    assert status_url.startswith("https://management.azure.com/subscriptions/")

    def poll() -> str:
        _, _, raw = arm.handle("GET", status_url, {"Authorization": "Bearer t"}, None)
        import json

        return str(json.loads(raw)["status"])

    assert poll() == "Running"
    arm.clock.advance(5)
    assert poll() == "Running"
    assert call(arm, "GET", path)[2]["properties"]["provisioningState"] == "Running"
    again = call(arm, "PUT", path, body)
    assert (again[0], again[2]["error"]["code"]) == (409, "DeploymentActive")
    arm.clock.advance(60)
    assert poll() == "Succeeded"
    quirk = call(arm, "GET", f"/subscriptions/{seed.AIF_DEV}/resourcegroups/rg-legacy/deployments/d1/operations")
    assert quirk[2]["value"][0]["properties"]["provisioningState"] == "Succeeded"


def test_injected_failure_surfaces_with_nested_details() -> None:
    plan = FaultPlan(resource_failures=[ResourceFailure("Microsoft.Search/searchServices", "InsufficientQuota")])
    sdk = Sdk(make_arm(faults=plan))
    client = deployments(sdk)
    template = common_template(extra=[search("srch-aif-dev")])
    with pytest.raises(HttpResponseError) as caught:
        client.deployments.begin_create_or_update_at_subscription_scope(
            "aif-common", {"location": "westeurope", "properties": {"mode": "Incremental", "template": template}}
        ).result()
    error = caught.value.error
    assert error.code == "DeploymentFailed"
    [failure] = error.details
    assert (failure.code, failure.target) == ("ResourceDeploymentFailure", f"/subscriptions/{seed.AIF_DEV}/"
                                              "resourceGroups/rg-aif-dev-common/providers/Microsoft.Resources/"
                                              "deployments/network-and-storage")
    [nested] = failure.details
    assert nested.code == "DeploymentFailed"
    assert [d.code for d in nested.details] == ["InsufficientQuota"]  # refused outright: not wrapped
    parent = client.deployments.get_at_subscription_scope("aif-common")
    assert parent.properties.provisioning_state == "Failed"
    assert parent.properties.error.details[0].details[0].details[0].code == "InsufficientQuota"
    failed_ops = [o for o in client.deployment_operations.list("rg-aif-dev-common", "network-and-storage")
                  if o.properties.provisioning_state == "Failed"]
    assert [o.properties.target_resource.resource_type for o in failed_ops] == ["Microsoft.Search/searchServices"]
    assert failed_ops[0].properties.status_message.error.code == "InsufficientQuota"
    assert failed_ops[0].properties.status_code == "Conflict"


def test_what_if_then_create_then_what_if_again(sdk: Sdk) -> None:
    client = deployments(sdk)
    params = {"location": "westeurope", "properties": {"mode": "Incremental", "template": common_template()}}
    before = client.deployments.begin_what_if_at_subscription_scope("aif-common", params).result()
    assert {c.change_type for c in before.changes} == {"Create"}
    assert len(before.changes) == 4
    client.deployments.begin_create_or_update_at_subscription_scope("aif-common", params).result()
    after = client.deployments.begin_what_if_at_subscription_scope("aif-common", params).result()
    assert {c.change_type for c in after.changes} == {"NoChange"}


def test_resource_group_scope_what_if_modify_and_ignore(sdk: Sdk) -> None:
    client = deployments(sdk)
    template = {"$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": [
        {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2025-07-01", "name": "vnet-legacy-app",
         "location": "westeurope", "properties": {"addressSpace": {"addressPrefixes": ["10.60.0.0/16"]}}}]}
    result = client.deployments.begin_what_if(
        "rg-legacy", "probe", {"properties": {"mode": "Incremental", "template": template}}
    ).result()
    [change] = result.changes
    assert change.change_type == "Modify"
    assert change.delta[0].path == "properties.addressSpace.addressPrefixes"


def test_cancel_lets_what_is_being_written_finish_and_starts_nothing_more(sdk: Sdk) -> None:
    """ARM's cancel: the storage account being written finishes (it exists afterwards), the vault
    that depends on it never starts, the deployment ends Canceled."""
    client = deployments(sdk)
    vault = {"type": "Microsoft.KeyVault/vaults", "apiVersion": "2026-02-01", "name": "kv-aif-slow-01",
             "location": "westeurope", "dependsOn": ["staifslow01"],
             "properties": {"tenantId": seed.CONTOSO_TENANT, "sku": {"family": "A", "name": "standard"}}}
    client.deployments.begin_create_or_update(
        "rg-legacy", "slow", {"properties": {"mode": "Incremental", "template": {
            "$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": [storage("staifslow01"), vault]}}},
        polling=False,
    ).result()
    sdk.arm.clock.advance(5)
    client.deployments.cancel("rg-legacy", "slow")
    assert client.deployments.get("rg-legacy", "slow").properties.provisioning_state == "Canceled"
    [op] = list(client.deployment_operations.list("rg-legacy", "slow"))
    assert (op.properties.target_resource.resource_name, op.properties.provisioning_state) == ("staifslow01",
                                                                                            "Running")
    with pytest.raises(ResourceExistsError) as caught:
        client.deployments.cancel("rg-legacy", "slow")
    assert caught.value.error.code == "DeploymentCannotBeCancelled"
    sdk.arm.clock.advance(60)
    [op] = list(client.deployment_operations.list("rg-legacy", "slow"))
    assert op.properties.provisioning_state == "Succeeded"
    assert client.deployments.get("rg-legacy", "slow").properties.provisioning_state == "Canceled"
    from azure.mgmt.resource.resources import ResourceManagementClient

    listed = {r.name for r in sdk.client(ResourceManagementClient, seed.AIF_DEV).resources.list_by_resource_group(
        "rg-legacy")}
    assert "staifslow01" in listed and "kv-aif-slow-01" not in listed


def test_validate_rejects_malformed_templates(sdk: Sdk) -> None:
    client = deployments(sdk)
    for template, fragment in [
        ({"contentVersion": "1.0.0.0", "resources": []}, "$schema"),
        ({"$schema": SCHEMA, "contentVersion": "1.0.0.0"}, "resources"),
        ({"$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": [{"type": "x/y", "name": "n"}]}, "apiVersion"),
        ({"$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": [
            {**storage("staifa"), "dependsOn": ["missing"]}]}, "not defined"),
    ]:
        with pytest.raises(HttpResponseError) as caught:
            client.deployments.begin_validate(
                "rg-legacy", "bad", {"properties": {"mode": "Incremental", "template": template}}
            ).result()
        assert caught.value.status_code == 400
        assert caught.value.error.code == "InvalidTemplate"
        assert fragment in caught.value.error.message
    good = client.deployments.begin_validate(
        "rg-legacy", "good", {"properties": {"mode": "Incremental", "template": {
            "$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": [storage("staifgood1")]}}}
    ).result()
    assert good.properties.validated_resources[0].id.endswith("/storageAccounts/staifgood1")


def test_preflight_errors(arm: Arm) -> None:
    base = f"/subscriptions/{seed.AIF_DEV}/resourcegroups/rg-legacy/providers/Microsoft.Resources/deployments"

    def put(name: str, resources: list[dict[str, Any]], rg_path: str = base) -> tuple[int, Any]:
        status, _, body = call(arm, "PUT", f"{rg_path}/{name}", {"properties": {"mode": "Incremental", "template": {
            "$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": resources}}})
        return status, body

    status, body = put("taken", [storage("stcontosodemo")])
    assert (status, body["error"]["code"]) == (400, "InvalidTemplateDeployment")
    assert body["error"]["details"][0]["details"][0]["code"] == "StorageAccountAlreadyTaken"
    env = {"type": "Microsoft.App/managedEnvironments", "apiVersion": "2025-07-01", "name": "cae",
           "location": "norwayeast", "properties": {}}
    status, body = put("norway", [env])
    assert (status, body["error"]["code"]) == (400, "LocationNotAvailableForResourceType")
    status, body = put("x" * 65, [])
    assert (status, body["error"]["code"]) == (400, "InvalidDeploymentName")
    missing_rg = base.replace("rg-legacy", "rg-nope")
    status, body = put("d", [], missing_rg)
    assert (status, body["error"]["code"]) == (404, "ResourceGroupNotFound")
    disabled = f"/subscriptions/{seed.LEGACY_SANDBOX}/providers/Microsoft.Resources/deployments/d"
    status, _, body = call(arm, "PUT", disabled, {"location": "westeurope", "properties": {"mode": "Incremental",
                                                  "template": {"$schema": SUB_SCHEMA, "contentVersion": "1.0.0.0",
                                                               "resources": []}}})
    assert (status, body["error"]["code"]) == (409, "ReadOnlyDisabledSubscription")


def test_role_assignments_a_contributor_may_not_write_are_refused_at_submission(sdk: Sdk) -> None:
    """aif-prod's caller is Contributor (no Microsoft.Authorization/*/Write): ARM refuses the PUT in
    preflight with InvalidTemplateDeployment / AuthorizationFailed, and nothing is deployed."""
    client = deployments(sdk, seed.AIF_PROD)
    assignment = {"type": "Microsoft.Authorization/roleAssignments", "apiVersion": "2022-04-01",
                  "name": "9f1a7c1e-0000-4000-8000-000000000001",
                  "properties": {"principalId": "5d6e7f80-91a2-4b3c-8d4e-5f6a7b8c9d0e",
                                 "roleDefinitionId": "/providers/Microsoft.Authorization/roleDefinitions/x"}}
    body = {"properties": {"mode": "Incremental", "template": {"$schema": SCHEMA, "contentVersion": "1.0.0.0",
                                                                "resources": [storage("staifrbac01"), assignment]}}}
    for submit in (client.deployments.begin_create_or_update, client.deployments.begin_validate,
                   client.deployments.begin_what_if):
        with pytest.raises(HttpResponseError) as caught:
            submit("rg-landing", "rbac", body).result()
        error = caught.value.error
        assert (caught.value.status_code, error.code) == (400, "InvalidTemplateDeployment")
        assert "is not valid according to the validation procedure" in error.message
        [detail] = error.details
        assert detail.code == "AuthorizationFailed"
        assert "'Microsoft.Authorization/roleAssignments/write'" in detail.message
        assert seed.CALLER_OBJECT_ID in detail.message
    assert list(client.deployments.list_by_resource_group("rg-landing")) == []
    assert not any("staifrbac01" in key for key in sdk.arm.world.resources)


def test_model_deployment_over_tpm_quota_fails(arm: Arm) -> None:
    rg = f"/subscriptions/{seed.AIF_PROD}/resourcegroups/rg-landing"
    account = {"type": "Microsoft.CognitiveServices/accounts", "apiVersion": "2026-05-01", "name": "aoai-prod",
               "location": "swedencentral", "kind": "AIServices", "sku": {"name": "S0"}, "properties": {}}

    def model(name: str, capacity: int) -> dict[str, Any]:
        return {"type": "Microsoft.CognitiveServices/accounts/deployments", "apiVersion": "2026-05-01",
                "name": f"aoai-prod/{name}", "dependsOn": ["aoai-prod"], "sku": {"name": "DataZoneStandard",
                "capacity": capacity}, "properties": {"model": {"format": "OpenAI", "name": "gpt-5.1",
                                                                  "version": "2025-11-13"}}}

    def deploy(name: str, resources: list[dict[str, Any]]) -> dict[str, Any]:
        call(arm, "PUT", f"{rg}/providers/Microsoft.Resources/deployments/{name}", {"properties": {
            "mode": "Incremental",
            "template": {"$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": resources}}})
        arm.clock.advance(200)
        return call(arm, "GET", f"{rg}/providers/Microsoft.Resources/deployments/{name}")[2]

    assert deploy("ok", [account, model("chat", 8)])["properties"]["provisioningState"] == "Succeeded"
    usage = call(arm, "GET", f"/subscriptions/{seed.AIF_PROD}/providers/Microsoft.CognitiveServices/locations/"
                 "swedencentral/usages")[2]
    row = next(r for r in usage["value"] if r["name"]["value"] == "OpenAI.DataZoneStandard.gpt-5.1")
    assert row["currentValue"] == 48
    failed = deploy("too-much", [account, model("chat2", 5)])
    assert failed["properties"]["error"]["details"][0]["code"] == "InsufficientQuota"


def test_missing_registration_is_registered_by_the_sdk(monkeypatch: pytest.MonkeyPatch) -> None:
    """aif-stage has Microsoft.Search NotRegistered: the SDK's auto-registration policy POSTs
    register, polls until Registered, and retries the PUT, which then succeeds."""
    import types

    from azure.mgmt.core.policies import _base as registration_policy

    sdk = Sdk(make_arm())
    monkeypatch.setattr(registration_policy, "time", types.SimpleNamespace(sleep=sdk.arm.clock.advance))
    client = deployments(sdk, seed.AIF_STAGE)
    from azure.mgmt.resource.resources import ResourceManagementClient

    sdk.client(ResourceManagementClient, seed.AIF_STAGE).resource_groups.create_or_update(
        "rg-stage", {"location": "westeurope"}
    )
    result = client.deployments.begin_create_or_update(
        "rg-stage", "search", {"properties": {"mode": "Incremental", "template": {
            "$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": [search("srch-aif-stage")]}}}
    ).result()
    assert result.properties.provisioning_state == "Succeeded"
    assert sdk.arm.registration_state(seed.AIF_STAGE, "Microsoft.Search") == "Registered"


def test_state_survives_a_restart_and_work_goes_on(tmp_path: Any) -> None:
    path = tmp_path / "sandbox.json"
    first = Arm.open(path, clock=SandboxClock.frozen())
    url = f"/subscriptions/{seed.AIF_DEV}/providers/Microsoft.Resources/deployments/aif-common"
    status, _, _ = call(first, "PUT", url, {"location": "westeurope", "properties": {
        "mode": "Incremental", "template": common_template()}})
    assert status == 201
    first.clock.advance(5)
    assert call(first, "GET", url)[2]["properties"]["provisioningState"] == "Running"
    saved_at = first.now()
    first.save(path)
    second = Arm.load(path, clock=SandboxClock.frozen(saved_at + 120))
    done = call(second, "GET", url)[2]
    assert done["properties"]["provisioningState"] == "Succeeded"
    vnet = call(second, "GET", f"/subscriptions/{seed.AIF_DEV}/resourceGroups/rg-aif-dev-common/providers/"
                "Microsoft.Network/virtualNetworks/vnet-aif")
    assert vnet[0] == 200
    resumed = Arm.load(path)
    assert resumed.now() >= saved_at
    assert not list(tmp_path.glob("*.tmp"))
