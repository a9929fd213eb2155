"""The sandbox refuses what ARM refuses, with ARM's codes: unknown api-versions, bodies of the wrong
shape, address prefixes the network provider would not take, oversized or too deep JSON; a bug of
its own is a 500 in ARM's shape. Through raw requests and through the real SDK clients, in process."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import live_fixtures
import pytest
import sandbox_fixtures
from azure.core.exceptions import HttpResponseError
from live_fixtures import Live, env_config
from sandbox_fixtures import Sdk, call, make_arm

from sandbox import api_versions, seed
from sandbox.arm import Arm
from sandbox.wire import MAX_JSON_DEPTH, Request
from wizard import network

arm = sandbox_fixtures.arm
sdk = sandbox_fixtures.sdk
live = live_fixtures.live

RG = f"/subscriptions/{seed.AIF_DEV}/resourceGroups/rg-legacy"
VNETS = f"{RG}/providers/Microsoft.Network/virtualNetworks"
NETWORK = {"api-version": "2025-07-01"}


def error(answer: tuple[int, dict[str, str], Any]) -> tuple[int, str, str]:
    status, _, body = answer
    return status, body["error"]["code"], body["error"]["message"]


def vnet(*prefixes: str, subnets: dict[str, str] | None = None) -> dict[str, Any]:
    return {"location": "westeurope", "properties": {
        "addressSpace": {"addressPrefixes": list(prefixes)},
        "subnets": [{"name": n, "properties": {"addressPrefix": p}} for n, p in (subnets or {}).items()]}}


# ------------------------------------------------------------------------------ api-versions


def test_arm_endpoints_refuse_an_unknown_api_version_listing_the_supported(arm: Arm) -> None:
    status, code, message = error(call(arm, "GET", "/subscriptions", **{"api-version": "1999-01-01"}))
    assert (status, code) == (400, "InvalidApiVersionParameter")
    listed = re.search(r"The supported versions are '([^']+)'\.$", message)
    assert listed and {"2022-12-01", "2025-04-01", "2026-06-01", "2016-02-01"} <= set(listed.group(1).split(","))
    assert error(call(arm, "GET", f"/subscriptions/{seed.AIF_DEV}/resourcegroups",
                      **{"api-version": "2025-04-01-preview"}))[1] == "InvalidApiVersionParameter"


def test_provider_types_refuse_an_unknown_api_version_as_arm_does(arm: Arm) -> None:
    assert call(arm, "PUT", f"{VNETS}/vnet-a", vnet("10.9.0.0/16"), **NETWORK)[0] == 201
    status, code, message = error(call(arm, "GET", f"{VNETS}/vnet-a", **{"api-version": "2099-01-01"}))
    assert (status, code) == (400, "NoRegisteredProviderFound")
    assert message.startswith("No registered resource provider found for location 'westeurope' and API version "
                              "'2099-01-01' for type 'virtualNetworks'. The supported api-versions are '")
    assert "2025-07-01" in message and "The supported locations are 'eastus, " in message
    put = error(call(arm, "PUT", f"{VNETS}/vnet-b", vnet("10.8.0.0/16"), **{"api-version": "2015-01-01"}))
    assert put[1] == "NoRegisteredProviderFound" and "vnet-b" not in json.dumps(arm.world.resources)


def test_unknown_namespaces_and_types_are_refused(arm: Arm) -> None:
    assert error(call(arm, "GET", f"{RG}/providers/Microsoft.Nope/things/x", **NETWORK))[:2] == (
        400, "InvalidResourceNamespace")
    status, code, message = error(call(arm, "GET", f"{RG}/providers/Microsoft.Network/flyingCarpets/x", **NETWORK))
    assert (status, code) == (400, "InvalidResourceType") and "'flyingCarpets'" in message


def test_every_official_example_and_template_schema_version_is_accepted(reference: Path) -> None:
    """The supported lists cover the versions of arm-examples/INDEX.md and arm-schemas/README.md."""
    arm = make_arm()
    index = (reference / "arm-examples" / "INDEX.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| [^|]+ \| (GET|PUT|POST|HEAD|DELETE|PATCH) (\S+).*?\| (\d{4}-\d{2}-\d{2}[-\w]*) \|",
                      index, re.MULTILINE)
    assert len(rows) >= 25
    for method, template, version in rows:
        path = re.sub(r"\{scope\}", f"subscriptions/{seed.AIF_DEV}", template.split("?")[0])
        path = re.sub(r"\{location\}", "westeurope", re.sub(r"\{[^}]+\}", "x", path)).replace("//", "/")
        request = Request.parse(method, f"https://management.azure.com{path}?api-version={version}")
        route, _ = arm.router.match(request)
        api_versions.check(arm.catalog, arm.world, request, route.template)
    schemas = (reference / "arm-schemas" / "README.md").read_text(encoding="utf-8")
    for rtype, version in re.findall(r"^\| (Microsoft\.[\w./]+) \| ([\w-]+) \|", schemas, re.MULTILINE):
        namespace, _, name = rtype.partition("/")
        if namespace == api_versions.ARM_NAMESPACE:
            assert version in api_versions.arm_versions(arm.catalog)
            continue
        provider = arm.catalog.provider(namespace)
        entry = next((rt for rt in provider["resourceTypes"] if rt["resourceType"] == name), None) if provider else None
        if entry is not None:  # types the sandbox does not model are refused as ARM would any unknown type
            assert version in entry["apiVersions"], rtype


# ------------------------------------------------------------------------------ bodies


@pytest.mark.parametrize(("body", "code", "where"), [
    ({"location": "westeurope", "tags": "x"}, "InvalidRequestContent", "Path 'tags'"),
    ({"location": "westeurope", "tags": {"a": {"b": 1}}}, "InvalidRequestContent", "Path 'tags'"),
    ({"location": ["westeurope"]}, "InvalidRequestContent", "Path 'location'"),
    ([1], "InvalidRequestContent", "Path ''"),
], ids=["tags-string", "tag-object", "location-list", "not-an-object"])
def test_resource_group_bodies_of_the_wrong_shape_are_refused(arm: Arm, body: Any, code: str, where: str) -> None:
    status, got, message = error(call(arm, "PUT", f"/subscriptions/{seed.AIF_DEV}/resourcegroups/rg-x", body))
    assert (status, got) == (400, code) and where in message
    assert f"{seed.AIF_DEV}/rg-x".lower() not in arm.world.resource_groups


@pytest.mark.parametrize(("body", "code"), [
    (vnet("10.9.0.0/16") | {"identity": "x"}, "InvalidRequestContent"),
    ({"location": "westeurope", "properties": "x"}, "InvalidRequestContent"),
    ({"location": "westeurope", "properties": {"subnets": [1]}}, "InvalidRequestFormat"),
    ({"location": "westeurope", "properties": {"addressSpace": {"addressPrefixes": "10.9.0.0/16"}}},
     "InvalidRequestFormat"),
    (vnet("10.9.0.0/33"), "InvalidAddressPrefixFormat"),
    (vnet("10.9.0.0"), "InvalidAddressPrefixFormat"),
    (vnet("banana/16"), "InvalidAddressPrefixFormat"),
    (vnet("10.9.1.0/16"), "InvalidCIDRNotation"),
    (vnet("10.9.0.0/16", subnets={"a": "10.10.0.0/24"}), "NetcfgSubnetRangeOutsideVnet"),
    (vnet("10.9.0.0/16", subnets={"a": "10.9.0.0/24", "b": "10.9.0.128/25"}), "NetcfgSubnetRangesOverlap"),
    (vnet("10.9.0.0/16", subnets={"a": "10.9.0.1/24"}), "InvalidCIDRNotation"),
], ids=["identity-string", "properties-string", "subnet-number", "prefixes-string", "prefix-33", "no-length",
        "not-an-address", "host-bits", "subnet-outside", "subnets-overlap", "subnet-host-bits"])
def test_network_bodies_are_refused_with_the_network_providers_codes(arm: Arm, body: Any, code: str) -> None:
    status, got, _ = error(call(arm, "PUT", f"{VNETS}/vnet-bad", body, **NETWORK))
    assert (status, got) == (400, code)
    assert not any("vnet-bad" in key for key in arm.world.resources)


def test_the_network_providers_messages_name_the_prefix_and_the_fix(arm: Arm) -> None:
    message = error(call(arm, "PUT", f"{VNETS}/v", vnet("10.9.1.0/16"), **NETWORK))[2]
    assert message == (f"The address prefix 10.9.1.0/16 in resource {VNETS}/v has an invalid CIDR notation. For "
                       "the given prefix length, the address prefix should be 10.9.0.0/16.")
    message = error(call(arm, "PUT", f"{VNETS}/v", vnet("10.9.0.0/33"), **NETWORK))[2]
    assert message == (f"Address prefix 10.9.0.0/33 of resource {VNETS}/v is not formatted correctly. It should "
                       "follow CIDR notation, for example 10.0.0.0/24.")


def test_valid_networks_are_stored_including_dual_stack(arm: Arm) -> None:
    body = vnet("10.9.0.0/16", "fd00:db8::/48", subnets={"a": "10.9.0.0/24", "b": "10.9.1.0/24"})
    assert call(arm, "PUT", f"{VNETS}/vnet-ok", body, **NETWORK)[0] == 201
    assert call(arm, "PUT", f"{VNETS}/vnet-ok/subnets/c", {"properties": {"addressPrefix": "10.9.2.0/24"}},
                **NETWORK)[0] == 201
    assert error(call(arm, "PUT", f"{VNETS}/vnet-ok/subnets/d", {"properties": {"addressPrefix": "10.9.1.0/25"}},
                      **NETWORK))[1] == "NetcfgSubnetRangesOverlap"
    assert error(call(arm, "PUT", f"{VNETS}/vnet-ok/subnets/d", {"properties": {"addressPrefix": "10.99.0.0/24"}},
                      **NETWORK))[1] == "NetcfgSubnetRangeOutsideVnet"
    patched = call(arm, "PATCH", f"{VNETS}/vnet-ok", {"tags": "x"}, **NETWORK)
    assert error(patched)[:2] == (400, "InvalidRequestContent")


def test_the_sdk_sees_the_network_providers_error(sdk: Sdk) -> None:
    from azure.mgmt.network import NetworkManagementClient
    from azure.mgmt.network.models import AddressSpace, VirtualNetwork

    client = sdk.client(NetworkManagementClient, seed.AIF_DEV)
    body = VirtualNetwork(location="westeurope", address_space=AddressSpace(address_prefixes=["10.300.0.0/16"]))
    with pytest.raises(HttpResponseError) as caught:
        client.virtual_networks.begin_create_or_update("rg-legacy", "vnet-sdk", body).result()
    assert caught.value.error is not None and caught.value.error.code == "InvalidAddressPrefixFormat"


def test_a_deployment_of_an_invalid_prefix_fails_with_the_providers_code(sdk: Sdk) -> None:
    from azure.mgmt.resource.deployments import DeploymentsMgmtClient

    client = sdk.client(DeploymentsMgmtClient, seed.AIF_DEV)
    template = {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                "contentVersion": "1.0.0.0", "resources": [{
                    "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2025-07-01", "name": "vnet-dep",
                    "location": "westeurope", "properties": {"addressSpace": {"addressPrefixes": ["10.1.2.0/16"]}}}]}
    with pytest.raises(HttpResponseError) as caught:
        client.deployments.begin_create_or_update(
            "rg-legacy", "bad-prefix", {"properties": {"mode": "Incremental", "template": template}}).result()
    assert caught.value.error is not None and caught.value.error.code == "DeploymentFailed"
    assert "InvalidCIDRNotation" in str(caught.value)
    assert not any("vnet-dep" in key for key in sdk.arm.world.resources)


def test_json_nested_deeper_than_arm_reads_is_refused(arm: Arm) -> None:
    deep: Any = "x"
    for _ in range(MAX_JSON_DEPTH):
        deep = {"a": deep}
    assert error(call(arm, "PUT", f"{VNETS}/deep", {"location": "westeurope", "tags": {}, "properties": deep},
                      **NETWORK))[:2] == (400, "InvalidRequestContent")
    raw = b"[" * 200_000 + b"]" * 200_000  # deeper than Python's own parser goes
    status, _, body = arm.handle("PUT", f"https://management.azure.com{VNETS}/deep?api-version=2025-07-01",
                                 {"Authorization": "Bearer t"}, raw)
    assert status == 400 and b"MaxDepth of 64" in body


def test_a_body_over_4_mb_is_refused_with_413(arm: Arm) -> None:
    raw = b'{"location": "westeurope", "tags": {"a": "' + b"x" * (4 * 2**20) + b'"}}'
    status, _, body = arm.handle("PUT", f"https://management.azure.com/subscriptions/{seed.AIF_DEV}/resourcegroups/"
                                 "rg-big?api-version=2025-04-01", {"Authorization": "Bearer t"}, raw)
    assert status == 413 and json.loads(body)["error"]["code"] == "RequestContentTooLarge"


def test_a_sandbox_bug_answers_500_in_arms_shape_in_process(arm: Arm, monkeypatch: pytest.MonkeyPatch) -> None:
    route = next(r for r in arm.router.routes if r.template == "/tenants")
    monkeypatch.setattr(route, "handler", lambda *a, **k: {}["missing"])
    status, code, message = error(call(arm, "GET", "/tenants", **{"api-version": "2022-12-01"}))
    assert (status, code) == (500, "InternalServerError")
    assert message.startswith("Encountered internal server error. Diagnostic information: timestamp '")


# ------------------------------------------------------------------------------ what older states hold


def test_prefixes_azure_would_not_hold_never_crash_the_address_check(live: Live) -> None:
    """A state saved before prefixes were checked may hold junk; the live check reads past it."""
    rid = f"/subscriptions/{seed.AIF_PROD}/resourceGroups/rg-old/providers/Microsoft.Network/virtualNetworks/vnet-old"
    live.arm.world.resources[rid.lower()] = {"id": rid, "name": "vnet-old", "type": "Microsoft.Network/virtualNetworks",
                                             "location": "westeurope", "properties": {"addressSpace": {
                                                 "addressPrefixes": ["10.0.0.0/33", "banana", "fd00::/48"]}}}
    config = env_config("prod", subscription=seed.AIF_PROD, region="westeurope", network={"vnet_cidr": "172.XX.0.0/16"})
    mine = str(network.vnet_range(config, "prod"))
    live.arm.world.resources[rid.lower()]["properties"]["addressSpace"]["addressPrefixes"].append(mine)
    findings = live.check("address_space", config, "prod")
    assert [f.code for f in findings] == ["AIF-LIVE-OVERLAP"]
    assert f"overlaps VNet vnet-old ({mine})" in findings[0].message
