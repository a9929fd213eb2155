"""Deployments fail where and how Azure fails them, through the real SDK clients: policy in preflight,
errors nested as ARM nests them (a nested deployment's failure wrapped, a provider's outright refusal
not), one writer at a time on a virtual network's subnets."""

from __future__ import annotations

from typing import Any

import pytest
import sandbox_fixtures
from azure.core.exceptions import HttpResponseError
from sandbox_fixtures import Sdk, make_arm

from sandbox import seed
from sandbox.faults import FaultPlan, ResourceFailure

arm = sandbox_fixtures.arm
sdk = sandbox_fixtures.sdk

SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
SUB_SCHEMA = "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#"


def deployments(sdk: Sdk, subscription: str) -> Any:
    from azure.mgmt.resource.deployments import DeploymentsMgmtClient

    return sdk.client(DeploymentsMgmtClient, subscription)


def template(*resources: dict[str, Any]) -> dict[str, Any]:
    return {"$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": list(resources)}


def vault(name: str) -> dict[str, Any]:
    return {"type": "Microsoft.KeyVault/vaults", "apiVersion": "2026-02-01", "name": name, "location": "westeurope",
            "properties": {"tenantId": seed.CONTOSO_TENANT, "sku": {"family": "A", "name": "standard"}}}


def cluster(name: str) -> dict[str, Any]:
    return {"type": "Microsoft.ContainerService/managedClusters", "apiVersion": "2026-05-01", "name": name,
            "location": "westeurope", "identity": {"type": "SystemAssigned"},
            "properties": {"dnsPrefix": name, "agentPoolProfiles": [
                {"name": "system", "count": 1, "vmSize": "Standard_D4s_v5", "mode": "System"}]}}


def subnet(name: str, prefix: str) -> dict[str, Any]:
    return {"type": "Microsoft.Network/virtualNetworks/subnets", "apiVersion": "2025-07-01",
            "name": f"vnet-legacy-app/{name}", "properties": {"addressPrefix": prefix}}


def test_errors_nest_as_arm_nests_them() -> None:
    """DeploymentFailed -> ResourceDeploymentFailure (the nested deployment) -> DeploymentFailed -> root
    causes: the soft-deleted vault's ConflictError as the provider answered it, the cluster's
    AllocationFailed inside a ResourceDeploymentFailure (it reached provisioning state Failed)."""
    plan = FaultPlan(resource_failures=[ResourceFailure("Microsoft.ContainerService/managedClusters",
                                                        "AllocationFailed")])
    sdk = Sdk(make_arm(faults=plan))
    client = deployments(sdk, seed.AIF_STAGE)
    nested = {"type": "Microsoft.Resources/deployments", "apiVersion": "2025-04-01", "name": "services",
              "resourceGroup": "rg-aif-stage", "dependsOn": ["rg-aif-stage"],
              "properties": {"mode": "Incremental", "expressionEvaluationOptions": {"scope": "inner"},
                             "template": template(vault("kv-aif-stage-weu-001"), cluster("aks-aif-stage"))}}
    group = {"type": "Microsoft.Resources/resourceGroups", "apiVersion": "2025-04-01", "name": "rg-aif-stage",
             "location": "westeurope"}
    body = {"location": "westeurope", "properties": {"mode": "Incremental", "template": {
        **template(group, nested), "$schema": SUB_SCHEMA}}}
    poller = client.deployments.begin_create_or_update_at_subscription_scope("stage", body, polling=False)
    poller.result()
    sdk.arm.clock.advance(12)
    ops = {o.properties.target_resource.resource_name: o.properties
           for o in client.deployment_operations.list("rg-aif-stage", "services")}
    assert ops["kv-aif-stage-weu-001"].provisioning_state == "Failed"  # refused outright, in seconds
    assert ops["aks-aif-stage"].provisioning_state == "Running"  # still being provisioned
    assert ops["kv-aif-stage-weu-001"].status_code == "Conflict"
    assert ops["kv-aif-stage-weu-001"].status_message.error.code == "ConflictError"
    with pytest.raises(HttpResponseError) as caught:
        client.deployments.begin_create_or_update_at_subscription_scope("stage", body).result()
    assert caught.value.error.code == "DeploymentActive"
    sdk.arm.clock.advance(900)
    error = client.deployments.get_at_subscription_scope("stage").properties.error
    nested_id = (f"/subscriptions/{seed.AIF_STAGE}/resourceGroups/rg-aif-stage/providers/Microsoft.Resources/"
                 "deployments/services")
    assert (error.code, error.target) == ("DeploymentFailed", f"/subscriptions/{seed.AIF_STAGE}/providers/"
                                          "Microsoft.Resources/deployments/stage")
    [wrapper] = error.details
    assert (wrapper.code, wrapper.target) == ("ResourceDeploymentFailure", nested_id)
    [inner] = wrapper.details
    assert (inner.code, inner.target) == ("DeploymentFailed", nested_id)
    conflict, failure = inner.details
    assert conflict.code == "ConflictError" and "already exists in deleted state" in conflict.message
    assert (failure.code, failure.target) == ("ResourceDeploymentFailure", f"/subscriptions/{seed.AIF_STAGE}/"
                                              "resourceGroups/rg-aif-stage/providers/Microsoft.ContainerService/"
                                              "managedClusters/aks-aif-stage")
    assert [d.code for d in failure.details] == ["AllocationFailed"]
    ops = {o.properties.target_resource.resource_name: o.properties
           for o in client.deployment_operations.list("rg-aif-stage", "services")}
    assert ops["aks-aif-stage"].status_message.status == "Failed"
    assert ops["aks-aif-stage"].status_message.error.code == "ResourceDeploymentFailure"


def test_a_policy_denial_refuses_the_deployment_in_preflight(sdk: Sdk) -> None:
    """aif-prod denies Elastic monitors: ARM's policy check refuses the PUT, nothing runs."""
    monitor = {"type": "Microsoft.Elastic/monitors", "apiVersion": "2025-06-01", "name": "es-aif-prod",
               "location": "westeurope", "properties": {}}
    client = deployments(sdk, seed.AIF_PROD)
    with pytest.raises(HttpResponseError) as caught:
        client.deployments.begin_create_or_update("rg-landing", "elastic", {"properties": {
            "mode": "Incremental", "template": template(monitor)}}).result()
    error = caught.value.error
    assert (caught.value.status_code, error.code) == (400, "InvalidTemplateDeployment")
    assert error.message.startswith("The template deployment failed because of policy violation.")
    [denied] = error.details
    assert (denied.code, denied.target) == ("RequestDisallowedByPolicy", "es-aif-prod")
    assert list(client.deployments.list_by_resource_group("rg-landing")) == []


def test_two_deployments_writing_one_vnets_subnets_at_once(sdk: Sdk) -> None:
    """The later write is refused with AnotherOperationInProgress; once the first is done it goes through."""
    client = deployments(sdk, seed.AIF_DEV)
    client.deployments.begin_create_or_update("rg-legacy", "subnet-a", {"properties": {
        "mode": "Incremental", "template": template(subnet("snet-a", "10.50.10.0/24"))}}, polling=False).result()
    sdk.arm.clock.advance(1)
    second = {"properties": {"mode": "Incremental", "template": template(subnet("snet-b", "10.50.11.0/24"))}}
    with pytest.raises(HttpResponseError) as caught:
        client.deployments.begin_create_or_update("rg-legacy", "subnet-b", second).result()
    [busy] = caught.value.error.details
    assert busy.code == "AnotherOperationInProgress"
    assert busy.message.startswith("Another operation on this or dependent resource is in progress. To retrieve "
                                   f"status of the operation use uri: https://management.azure.com/subscriptions/"
                                   f"{seed.AIF_DEV}/providers/Microsoft.Network/locations/westeurope/operations/")
    [op] = list(client.deployment_operations.list("rg-legacy", "subnet-b"))
    assert op.properties.status_code == "Conflict"
    sdk.arm.clock.advance(30)
    assert client.deployments.get("rg-legacy", "subnet-a").properties.provisioning_state == "Succeeded"
    retried = client.deployments.begin_create_or_update("rg-legacy", "subnet-b", second).result()
    assert retried.properties.provisioning_state == "Succeeded"


def test_a_direct_subnet_write_during_a_deployment_gets_429_and_the_sdk_waits(
        sdk: Sdk, monkeypatch: pytest.MonkeyPatch) -> None:
    from azure.mgmt.network import NetworkManagementClient
    from azure.mgmt.network.models import Subnet

    statuses: list[tuple[int, bytes]] = []
    handle = sdk.arm.handle

    def recording(method: str, url: str, headers: Any = None, body: bytes | None = None) -> Any:
        answer = handle(method, url, headers, body)
        statuses.append((answer[0], answer[2]))
        return answer

    monkeypatch.setattr(sdk.arm, "handle", recording)
    deployments(sdk, seed.AIF_DEV).deployments.begin_create_or_update("rg-legacy", "subnet-a", {"properties": {
        "mode": "Incremental", "template": template(subnet("snet-a", "10.50.10.0/24"))}}, polling=False).result()
    sdk.arm.clock.advance(3)
    network = sdk.client(NetworkManagementClient, seed.AIF_DEV)
    created = network.subnets.begin_create_or_update("rg-legacy", "vnet-legacy-app", "snet-c",
                                                     Subnet(address_prefix="10.50.12.0/24")).result()
    assert created.address_prefix == "10.50.12.0/24"
    refusals = [body for status, body in statuses if status == 429]
    assert refusals and b'"AnotherOperationInProgress"' in refusals[0]
