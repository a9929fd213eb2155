"""The loopback server: real HTTP on 127.0.0.1, the managed identity endpoint, absolute URLs."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator

import pytest
from sandbox_fixtures import MANAGED_IDENTITY_ONLY, loopback_server, make_arm

from sandbox import seed
from sandbox.clock import SandboxClock
from sandbox.loopback import LoopbackBearerTokenPolicy
from sandbox.server import SandboxServer


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[SandboxServer]:
    """The seeded sandbox (pages of 2) on 127.0.0.1, the only managed identity in sight."""
    yield from loopback_server(monkeypatch, make_arm(page_size=2))


def test_default_credential_gets_a_token_and_lists_subscriptions(server: SandboxServer) -> None:
    from azure.identity import DefaultAzureCredential
    from azure.mgmt.resource.subscriptions import SubscriptionClient

    credential = DefaultAzureCredential(**MANAGED_IDENTITY_ONLY)
    token = credential.get_token("https://management.azure.com/.default")
    assert token.token.count(".") == 2
    client = SubscriptionClient(
        credential, base_url=server.base_url, authentication_policy=LoopbackBearerTokenPolicy(credential)
    )
    names = [s.display_name for s in client.subscriptions.list()]
    assert len(names) == 5


def test_msi_endpoint_checks_the_identity_header(server: SandboxServer) -> None:
    url = f"{server.identity_endpoint}?api-version=2019-08-01&resource=https://management.azure.com"
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(url, timeout=5)
    assert caught.value.code == 401
    request = urllib.request.Request(url, headers={"X-IDENTITY-HEADER": server.identity_header})
    with urllib.request.urlopen(request, timeout=5) as response:
        body = json.loads(response.read())
    assert body["token_type"] == "Bearer"
    assert body["resource"] == "https://management.azure.com"
    assert int(body["expires_on"]) > 0


def test_links_point_back_at_the_server(server: SandboxServer) -> None:
    request = urllib.request.Request(f"{server.base_url}/subscriptions?api-version=2022-12-01",
                                     headers={"Authorization": "Bearer x"})
    with urllib.request.urlopen(request, timeout=5) as response:
        body = json.loads(response.read())
    assert body["nextLink"].startswith(server.base_url + "/subscriptions?")


def test_deployment_over_loopback_completes() -> None:
    from azure.mgmt.resource.deployments import DeploymentsMgmtClient

    from sandbox.arm import Arm
    from sandbox.transport import SandboxCredential

    arm = Arm(clock=SandboxClock(speed=1000), poll_interval=0)
    with SandboxServer(arm) as srv:
        credential = SandboxCredential()
        client = DeploymentsMgmtClient(credential, seed.AIF_DEV, base_url=srv.base_url, polling_interval=0.01,
                                       authentication_policy=LoopbackBearerTokenPolicy(credential))
        result = client.deployments.begin_create_or_update(
            "rg-legacy", "loop", {"properties": {"mode": "Incremental", "template": {
                "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                "contentVersion": "1.0.0.0", "resources": []}}}
        ).result()
        assert result.properties.provisioning_state == "Succeeded"


def test_server_binds_only_to_loopback() -> None:
    with pytest.raises(ValueError, match="loopback"):
        SandboxServer(make_arm(), host="0.0.0.0")
