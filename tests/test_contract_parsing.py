"""The project's own parsing, run on Microsoft's official example responses.

The sandbox contract tests hold the sandbox to the examples' shapes; these hold the *client* to
them: the live checks' reads and parsers get the official example bodies (through the real SDK
clients, via a transport that answers from the example files) and must understand them. So the
sandbox and the checks cannot drift away from Azure together.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from azure.core.credentials import AccessToken
from azure.core.pipeline.transport import HttpTransport
from azure.core.rest import HttpRequest

from sandbox.transport import SandboxResponse
from wizard.azure.checks import CheckContext, Reads, Target, _allows, _not_offered_in, check_permissions
from wizard.azure.clients import AzureSession
from wizard.model import FactoryConfig

SUB = "00000000-0000-0000-0000-000000000000"

ROUTES: list[tuple[str, str, str]] = [
    ("GET", r"/subscriptions/[^/]+$", "subscriptions/GetSubscription.json"),
    ("GET", r"/subscriptions/[^/]+/locations$", "subscriptions/GetLocations.json"),
    ("GET", r"/subscriptions/[^/]+/providers$", "resources/GetProviders.json"),
    ("GET", r"/providers/Microsoft\.Authorization/permissions$", "authorization/GetPermissions.json"),
    ("GET", r"/Microsoft\.Compute/skus$", "compute/ListAvailableResourceSkusForARegion.json"),
    ("GET", r"/Microsoft\.Compute/locations/[^/]+/usages$", "compute/Usage_List_MaximumSet_Gen.json"),
    ("GET", r"/Microsoft\.CognitiveServices/locations/[^/]+/models$", "cognitiveservices/ListLocationModels.json"),
    ("GET", r"/Microsoft\.CognitiveServices/locations/[^/]+/usages$",
     "cognitiveservices/ListUsagesGlobalScope.json"),
    ("GET", r"/Microsoft\.KeyVault/deletedVaults$", "keyvault/listDeletedVaults.json"),
    ("POST", r"/Microsoft\.KeyVault/checkNameAvailability$", "keyvault/checkVaultNameAvailability.json"),
    ("POST", r"/Microsoft\.Storage/checkNameAvailability$", "storage/StorageAccountCheckNameAvailability.json"),
    ("GET", r"/virtualNetworks/[^/]+$", "network/VirtualNetworkGet.json"),
]


class ExampleTransport(HttpTransport):  # type: ignore[type-arg]
    """Answers each request with the official example's 200 body (nextLinks dropped)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.served: list[str] = []

    def send(self, request: HttpRequest, **kwargs: Any) -> SandboxResponse:  # type: ignore[override]
        path = request.url.split("?", 1)[0]
        for method, pattern, name in ROUTES:
            if request.method == method and re.search(pattern, path, re.IGNORECASE):
                body = json.loads((self.folder / name).read_text(encoding="utf-8"))["responses"]["200"]["body"]
                if isinstance(body, dict):
                    body.pop("nextLink", None)
                self.served.append(name)
                return SandboxResponse(request, 200, {"content-type": "application/json"}, json.dumps(body).encode())
        raise AssertionError(f"no example for {request.method} {path}")

    def open(self) -> None: ...

    def close(self) -> None: ...

    def __exit__(self, *args: object) -> None: ...

    def sleep(self, duration: float) -> None: ...


class StubCredential:
    """Any token will do: the example transport does not check it."""

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        return AccessToken("token", 4102444800)


@pytest.fixture
def reads(reference: Path) -> Reads:
    session = AzureSession(StubCredential(), transport=ExampleTransport(reference / "arm-examples"))
    return Reads(session)


def test_subscription_and_locations(reads: Reads) -> None:
    sub = reads.subscription(SUB)
    assert sub is not None and sub.state == "Enabled" and sub.display_name == "Example Subscription"
    names = {loc.name for loc in reads.locations(SUB)}
    assert {"eastus", "eastus2"} <= names


def test_providers_and_region_offer(reads: Reads) -> None:
    providers = reads.providers(SUB)
    provider = providers["microsoft.testrp1"]
    assert provider.registration_state == "Registering"
    offered = provider.resource_types[0]
    location = offered.locations[0]
    region = location.replace(" ", "").lower()
    assert not _not_offered_in(provider, offered.resource_type, region)
    assert _not_offered_in(provider, offered.resource_type, "nowhere")


def test_permissions_parse_and_decide(reads: Reads) -> None:
    permissions = reads.permissions(SUB)
    assert permissions == [{"actions": [], "notActions": [], "dataActions": [], "notDataActions": []}]
    assert not _allows(permissions, "Microsoft.Authorization/roleAssignments/write")
    config = FactoryConfig.model_validate({"environments": {"dev": {"subscription_id": SUB}}})
    target = Target("dev", config.environments.dev, SUB)
    ctx = CheckContext(reads.s, config, None, [target])
    assert [f.code for f in check_permissions(ctx, reads, target)] == ["AIF-LIVE-ROLE-WRITE"]


def test_vm_skus_and_vcpu_usages(reads: Reads) -> None:
    skus = reads.vm_skus(SUB, "westus")
    assert skus and all(sku.resource_type == "virtualMachines" for sku in skus.values())
    restricted = [s for s in skus.values() if s.restrictions]
    for sku in restricted:
        assert all(r.reason_code for r in sku.restrictions)
    usages = reads.vcpu_usages(SUB, "westus")
    usage = next(iter(usages.values()))
    assert usage.limit - usage.current_value == 2


def test_models_and_tpm_usages(reads: Reads) -> None:
    models = reads.models(SUB, "westus")
    first = models[0].model
    assert first.name == "ada" and first.skus[0].name == "provisioned"
    usages = reads.model_usages(SUB, "westus")
    assert usages["accountcount"].limit == 500


def test_names_and_deleted_vaults(reads: Reads) -> None:
    assert reads.name_free(SUB, "keyvault", "sample-vault")[0] is True
    assert reads.name_free(SUB, "storage", "sto3363")[0] is True
    deleted = reads.deleted_vaults(SUB)
    assert deleted and all(vault.properties.location for vault in deleted.values())


def test_vnet_address_space(reads: Reads) -> None:
    vnet_id = f"/subscriptions/{SUB}/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/test-vnet"
    vnet = reads.resource(vnet_id)
    assert vnet is not None and vnet.name == "test-vnet" and vnet.prefixes == ("10.0.0.0/16",)
