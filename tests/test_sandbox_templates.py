"""Templates ARM refuses are refused at submission (PUT, validate and what-if alike), with ARM's codes,
messages and positions, through the real DeploymentsMgmtClient; and templates ARM accepts evaluate as
ARM evaluates them (uniqueString, guid, copy loops, reference)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
import sandbox_fixtures
from azure.core.exceptions import HttpResponseError
from sandbox_fixtures import Sdk, make_arm

from sandbox import seed
from sandbox.arm import Arm
from sandbox.schemas import SchemaSet
from wizard.unique_string import unique_string

sdk = sandbox_fixtures.sdk
arm = sandbox_fixtures.arm

SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
RG = "rg-legacy"


def storage(name: str = "staiftpl01", **extra: Any) -> dict[str, Any]:
    return {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2026-04-01", "name": name,
            "location": "westeurope", "sku": {"name": "Standard_LRS"}, "kind": "StorageV2", "properties": {}, **extra}


def template(*resources: dict[str, Any], **members: Any) -> dict[str, Any]:
    return {"$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": list(resources), **members}


def client(sdk: Sdk) -> Any:
    from azure.mgmt.resource.deployments import DeploymentsMgmtClient

    return sdk.client(DeploymentsMgmtClient, seed.AIF_DEV).deployments


SUBMISSIONS = {
    "put": lambda c, body: c.begin_create_or_update(RG, "strict", body),
    "validate": lambda c, body: c.begin_validate(RG, "strict", body),
    "what-if": lambda c, body: c.begin_what_if(RG, "strict", body),
}


def refused(sdk: Sdk, body: dict[str, Any], submit: str) -> Any:
    """Submit `body` and return the SDK's error; nothing may have been deployed."""
    with pytest.raises(HttpResponseError) as caught:
        SUBMISSIONS[submit](client(sdk), body).result()
    assert caught.value.status_code == 400
    assert not any(key.endswith("|strict") for key in sdk.arm.world.deployments)
    return caught.value.error


class Wire:
    """Records what the SDK sent and what the sandbox answered (the new-generation SDK's error object
    does not parse ARM's `additionalInfo`, so the answer is read raw)."""

    def __init__(self, arm: Arm, monkeypatch: pytest.MonkeyPatch) -> None:
        self.sent: list[str] = []
        self.answers: list[dict[str, Any]] = []
        handle = arm.handle

        def recording(method: str, url: str, headers: Any = None, body: bytes | None = None) -> Any:
            answer = handle(method, url, headers, body)
            self.sent.append((body or b"").decode())
            self.answers.append(json.loads(answer[2]) if answer[2] else {})
            return answer

        monkeypatch.setattr(arm, "handle", recording)

    def violation(self) -> dict[str, Any]:
        """The `TemplateViolation` of the last answer."""
        [info] = self.answers[-1]["error"]["additionalInfo"]
        assert info["type"] == "TemplateViolation"
        return dict(info["info"])


CASES: dict[str, tuple[dict[str, Any], str, list[str]]] = {
    "unknown function": (
        {"properties": {"mode": "Incremental", "template": template(storage("[nope('staiftpl01')]"))}},
        "InvalidTemplate",
        ["Deployment template validation failed: 'The template resource '[nope('staiftpl01')]' at line '1' and "
         "column '", "is not valid: The template function 'nope' is not valid."]),
    "malformed expression": (
        {"properties": {"mode": "Incremental", "template": template(storage("[concat('staif', 'tpl01']"))}},
        "InvalidTemplate",
        ["Deployment template language expression evaluation failed: 'Unable to parse language expression "
         "'concat('staif', 'tpl01''", "expected token 'RightParenthesis' and actual 'EndOfData'"]),
    "wrong parameter type": (
        {"properties": {"mode": "Incremental", "parameters": {"replicas": {"value": "three"}},
                        "template": template(storage(), parameters={"replicas": {"type": "int"}})}},
        "InvalidTemplate",
        ["Template parameter JToken type is not valid. Expected 'Integer'. Actual 'String'."]),
    "resource declared twice": (
        {"properties": {"mode": "Incremental", "template": template(storage("staifdup01"), storage("staifdup01"))}},
        "InvalidTemplate",
        ["The resource 'Microsoft.Storage/storageAccounts/staifdup01' at line '1' and column '",
         "is defined multiple times in a template"]),
    "unknown top-level property": (
        {"properties": {"mode": "Incremental", "template": template(storage(), resource=[])}},
        "InvalidRequestContent",
        ["Could not find member 'resource' on object of type 'Template'. Path 'properties.template.resource', "
         "line 1, position "]),
    "api-version that does not exist": (
        {"properties": {"mode": "Incremental", "template": template(storage(apiVersion="2099-01-01"))}},
        "NoRegisteredProviderFound",
        ["No registered resource provider found for location 'westeurope' and API version '2099-01-01' for type "
         "'storageAccounts'. The supported api-versions are '"]),
    "type that does not exist": (
        {"properties": {"mode": "Incremental", "template": template(storage(type="Microsoft.Storage/buckets"))}},
        "InvalidResourceType",
        ["The resource type 'buckets' could not be found in the namespace 'Microsoft.Storage'"]),
}


@pytest.mark.parametrize("submit", list(SUBMISSIONS))
@pytest.mark.parametrize("case", list(CASES))
def test_templates_arm_refuses_are_refused_at_submission(sdk: Sdk, case: str, submit: str) -> None:
    body, code, fragments = CASES[case]
    error = refused(sdk, body, submit)
    assert error.code == code, error
    for fragment in fragments:
        assert fragment in error.message, error.message


def test_template_violations_say_where_in_the_request(sdk: Sdk, monkeypatch: pytest.MonkeyPatch) -> None:
    """The line and column ARM quotes are those of the request text the SDK sent."""
    wire = Wire(sdk.arm, monkeypatch)
    error = refused(sdk, CASES["resource declared twice"][0], "put")
    column = int(error.message.split("column '")[1].split("'")[0])
    second, _ = json.JSONDecoder().raw_decode(wire.sent[-1], column - 1)
    assert second == storage("staifdup01")
    assert wire.violation()["path"] == "properties.template.resources[1]"
    refused(sdk, CASES["malformed expression"][0], "validate")
    where = wire.violation()
    assert (where["path"], where["lineNumber"]) == ("properties.template.resources[0].name", 1)
    assert wire.sent[-1][where["linePosition"] - 1:].startswith('"[concat(')
    refused(sdk, CASES["wrong parameter type"][0], "what-if")
    assert wire.violation()["path"] == "properties.parameters.replicas.value"


def test_resource_bodies_are_held_to_microsofts_schemas(reference: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sdk = Sdk(make_arm(schema_set=SchemaSet(reference / "arm-schemas")))
    wire = Wire(sdk.arm, monkeypatch)
    wrong = template(storage(sku={"name": "Standard_Bogus"}),
                     {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2025-07-01", "name": "vnet-tpl",
                      "location": "westeurope", "properties": {"addressSpace": {"addressPrefixes": "10.9.0.0/16"}}})
    for submit in SUBMISSIONS:
        error = refused(sdk, {"properties": {"mode": "Incremental", "template": wrong}}, submit)
        assert error.code == "InvalidTemplate"
        assert "The template resource 'staiftpl01' at line '1' and column '" in error.message
        assert "'sku.name' does not match the schema of 'Microsoft.Storage/storageAccounts' at api-version " \
               "'2026-04-01': 'Standard_Bogus' is not one of ['Standard_LRS'" in error.message
        assert wire.violation()["path"] == "properties.template.resources[0].sku.name"
    vnet_only = template(wrong["resources"][1])
    error = refused(sdk, {"properties": {"mode": "Incremental", "template": vnet_only}}, "put")
    assert "'properties.addressSpace.addressPrefixes' does not match" in error.message
    assert "'10.9.0.0/16' is not of type 'array'" in error.message


def test_a_resource_group_needs_no_properties_whatever_the_schema_generator_says(reference: Path) -> None:
    """Microsoft's generated schemas mark `properties` required everywhere; ARM does not."""
    sdk = Sdk(make_arm(schema_set=SchemaSet(reference / "arm-schemas")))
    from azure.mgmt.resource.deployments import DeploymentsMgmtClient

    deployments = sdk.client(DeploymentsMgmtClient, seed.AIF_DEV).deployments
    group = {"type": "Microsoft.Resources/resourceGroups", "apiVersion": "2025-04-01", "name": "rg-tpl",
             "location": "westeurope"}
    result = deployments.begin_validate_at_subscription_scope("groups", {"location": "westeurope", "properties": {
        "mode": "Incremental", "template": {**template(group), "$schema": SCHEMA.replace(
            "2019-04-01/deploymentTemplate", "2018-05-01/subscriptionDeploymentTemplate")}}}).result()
    assert result.properties.provisioning_state == "Succeeded"


def test_names_are_left_to_the_providers_whatever_their_schema_limits(reference: Path) -> None:
    """The schema check puts a placeholder where the name is; a type whose schema wants longer names
    (a registry: 5 to 50 characters) must not refuse a valid one because of it."""
    sdk = Sdk(make_arm(schema_set=SchemaSet(reference / "arm-schemas")))
    registry = {"type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2025-11-01",
                "name": "acrcommontpl001dev", "location": "westeurope", "sku": {"name": "Basic"},
                "properties": {"adminUserEnabled": False}}
    result = client(sdk).begin_validate("rg-legacy", "registry", {"properties": {
        "mode": "Incremental", "template": template(registry)}}).result()
    assert result.properties.provisioning_state == "Succeeded"


def test_a_discriminated_type_fits_its_schema(reference: Path) -> None:
    """An Azure ML compute: the schema's `allOf` of the common members and the kind's own (`properties`)."""
    schemas = SchemaSet(reference / "arm-schemas")
    compute = {"type": "Microsoft.MachineLearningServices/workspaces/computes", "apiVersion": "2026-05-01",
               "name": "name", "location": "westeurope", "properties": {
                   "computeType": "AmlCompute", "properties": {"vmSize": "Standard_DS3_v2",
                                                               "scaleSettings": {"maxNodeCount": 2}}}}
    assert schemas.problems(compute["type"], compute["apiVersion"], compute) == []
    wrong = {**compute, "properties": {**compute["properties"], "computeType": "Mainframe"}}
    assert schemas.problems(compute["type"], compute["apiVersion"], wrong)


def test_expressions_evaluate_as_arm_evaluates_them(sdk: Sdk) -> None:
    identity = {"type": "Microsoft.ManagedIdentity/userAssignedIdentities", "apiVersion": "2024-11-30",
                "name": "[variables('identityName')]", "location": "westeurope"}
    containers = {"type": "Microsoft.Storage/storageAccounts/blobServices/containers", "apiVersion": "2026-04-01",
                  "name": "[format('{0}/default/data{1}', parameters('account'), copyIndex(1))]",
                  "copy": {"name": "containers", "count": "[length(parameters('zones'))]"},
                  "dependsOn": ["[resourceId('Microsoft.Storage/storageAccounts', parameters('account'))]"]}
    assignment = {"type": "Microsoft.Authorization/roleAssignments", "apiVersion": "2022-04-01",
                  "name": "[guid(resourceGroup().id, variables('identityName'), 'reader')]",
                  "dependsOn": ["[variables('identityName')]"],
                  "properties": {"principalId": "[reference(variables('identityName')).principalId]",
                                 "roleDefinitionId": "[subscriptionResourceId('Microsoft.Authorization/"
                                                     "roleDefinitions', 'acdd72a7-3385-48ef-bd42-f606fba81ae7')]"}}
    body = {"properties": {"mode": "Incremental", "parameters": {"zones": {"value": ["1", "2", "3"]}}, "template": {
        **template(storage("[parameters('account')]"), containers, identity, assignment),
        "parameters": {"account": {"type": "string", "defaultValue": "[concat('staif', take(uniqueString("
                                   "resourceGroup().id), 8))]", "maxLength": 24},
                       "zones": {"type": "array"}},
        "variables": {"identityName": "[toLower(format('id-{0}-{1}', 'AIF', deployment().name))]"},
        "outputs": {"salt": {"type": "string", "value": "[uniqueString(resourceGroup().id)]"},
                    "assignment": {"type": "string", "value": "[guid(resourceGroup().id, 'x')]"},
                    "principal": {"type": "string",
                                  "value": "[reference(variables('identityName'), '2024-11-30').principalId]"}}}}}
    result = client(sdk).begin_create_or_update(RG, "expressions", body).result()
    group_id = f"/subscriptions/{seed.AIF_DEV}/resourceGroups/{RG}"
    outputs = result.properties.outputs
    assert outputs["salt"]["value"] == unique_string(group_id)
    assert outputs["assignment"]["value"] == str(uuid.uuid5(uuid.UUID("11fb06fb-712d-4ddd-98c7-e71bbd588830"),
                                                            f"{group_id}-x"))
    account = f"staif{unique_string(group_id)[:8]}"
    resources = sdk.arm.world.resources
    for index in (1, 2, 3):
        assert f"{group_id}/providers/microsoft.storage/storageaccounts/{account}/blobservices/default/containers/" \
               f"data{index}".lower() in resources
    identity_id = f"{group_id}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-aif-expressions"
    principal = resources[identity_id.lower()]["properties"]["principalId"]
    assert outputs["principal"]["value"] == principal
    [stored] = [r for r in resources.values() if r["type"] == "Microsoft.Authorization/roleAssignments"]
    assert stored["properties"]["principalId"] == principal
    assert stored["name"] == str(uuid.uuid5(uuid.UUID("11fb06fb-712d-4ddd-98c7-e71bbd588830"),
                                            f"{group_id}-id-aif-expressions-reader"))


@pytest.mark.parametrize(("expression", "message"), [
    ("[toLower(1)]", "The template language function 'toLower' expects its parameters to be of type string"),
    ("[substring('abc', 2, 5)]", "The index and length parameters must refer to a location within the string"),
    ("[parameters('missing')]", "The template parameter 'missing' is not found"),
    ("[createObject('a', 1).b]", "The language expression property 'b' doesn't exist, available properties are 'a'"),
    ("[createArray(1)[3]]", "The language expression property array index '3' is out of bounds"),
    ("[utcNow()]", "The template function 'utcNow' is not expected at this location"),
    ("[concat('a', createArray(1))]", "expects its parameters to be either all arrays or all strings"),
])
def test_expressions_arm_cannot_evaluate_are_refused_with_its_messages(arm: Arm, expression: str,
                                                                       message: str) -> None:
    from sandbox_fixtures import call

    path = f"/subscriptions/{seed.AIF_DEV}/resourcegroups/{RG}/providers/Microsoft.Resources/deployments/e/validate"
    status, _, body = call(arm, "POST", path, {"properties": {"mode": "Incremental", "template": template(
        storage(tags={"value": expression}))}})
    assert (status, body["error"]["code"]) == (400, "InvalidTemplate")
    assert message in body["error"]["message"]
    assert body["error"]["message"].startswith("Deployment template validation failed: 'The template resource "
                                               "'staiftpl01' at line '1' and column '")
