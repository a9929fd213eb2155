"""`aifactory sandbox serve` as a user runs it: faults injected in the served sandbox (`--fault`,
`--seed`), the demo speed (`--speed`) saved with the state, and one cloud shared with a demo process
that opens the same state."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError

from sandbox import seed
from sandbox.loopback import LoopbackBearerTokenPolicy
from sandbox.transport import SandboxCredential
from tests.conftest import aifactory_bin
from wizard.azure.demo import open_sandbox, state_path

SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"


class Served:
    """A running `aifactory sandbox serve` and what it printed before serving."""

    def __init__(self, process: subprocess.Popen[str], banner: list[str]) -> None:
        self.process = process
        self.banner = banner
        self.base_url = next(line.split()[-1] for line in banner if "listening on" in line)

    def client(self, cls: type, *args: Any) -> Any:
        credential = SandboxCredential()
        return cls(credential, *args, base_url=self.base_url, polling_interval=0.05,
                   authentication_policy=LoopbackBearerTokenPolicy(credential))


@pytest.fixture
def served() -> Iterator[Served]:
    process = subprocess.Popen(
        [aifactory_bin(), "sandbox", "serve", "--port", "0", "--speed", "1000", "--seed", "3",
         "--fault", "fail=Microsoft.KeyVault/vaults:VaultAlreadyExists:1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    banner: list[str] = []
    assert process.stdout is not None
    for line in process.stdout:
        banner.append(line.strip())
        if line.startswith("Press Ctrl+C"):
            break
    try:
        yield Served(process, banner)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)


def test_served_sandbox_injects_faults_and_shares_its_cloud_and_clock(served: Served) -> None:
    from azure.mgmt.keyvault import KeyVaultManagementClient
    from azure.mgmt.resource.deployments import DeploymentsMgmtClient

    assert "Speed: 1000x (ARM work takes 1/1000 of its time in Azure)" in served.banner
    assert "Fault: failure: the first 1 of Microsoft.KeyVault/vaults fails with VaultAlreadyExists" in served.banner
    vaults = served.client(KeyVaultManagementClient, seed.AIF_DEV).vaults
    body = {"location": "westeurope", "properties": {"tenantId": seed.CONTOSO_TENANT,
                                                     "sku": {"family": "A", "name": "standard"}}}
    with pytest.raises(HttpResponseError) as caught:
        vaults.begin_create_or_update("rg-legacy", "kv-aif-served", body).result()
    assert (caught.value.status_code, caught.value.error.code) == (409, "VaultAlreadyExists")
    assert vaults.begin_create_or_update("rg-legacy", "kv-aif-served", body).result().name == "kv-aif-served"

    deployments = served.client(DeploymentsMgmtClient, seed.AIF_DEV).deployments
    deployments.begin_create_or_update("rg-legacy", "served", {"properties": {"mode": "Incremental", "template": {
        "$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": [{
            "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2026-04-01", "name": "staifserved01",
            "location": "westeurope", "sku": {"name": "Standard_LRS"}, "kind": "StorageV2", "properties": {}}]}}},
        polling=False).result()
    demo = open_sandbox(state_path())  # another process, the same saved state
    assert demo.clock.speed == 1000
    path = f"/subscriptions/{seed.AIF_DEV}/resourceGroups/rg-legacy/providers/Microsoft.Resources/deployments/served"
    deadline = time.monotonic() + 20
    while (status := _get(demo, path)["properties"]["provisioningState"]) != "Succeeded":
        assert status in ("Accepted", "Running") and time.monotonic() < deadline, status
        time.sleep(0.05)
    ours, theirs = _get(demo, path)["properties"], deployments.get("rg-legacy", "served").properties
    assert (ours["timestamp"], ours["duration"]) == (theirs.timestamp.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                                                     theirs.duration)
    assert "kv-aif-served" in str(list(demo.world.resources))


def _get(arm: Any, path: str) -> dict[str, Any]:
    import json

    status, _, body = arm.handle("GET", f"https://management.azure.com{path}?api-version=2025-04-01",
                                 {"Authorization": "Bearer demo"}, None)
    assert status == 200, body
    return dict(json.loads(body))


def test_a_fault_the_sandbox_does_not_know_is_a_usage_error() -> None:
    result = subprocess.run([aifactory_bin(), "sandbox", "serve", "--fresh", "--fault", "meteor=1"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "Invalid value for '--fault': 'meteor=1' is not a fault the sandbox knows: use throttle=RATE" in (
        " ".join(result.stderr.split()))
