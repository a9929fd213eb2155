"""One clock for every process: the wall clock at the demo speed saved with the state, never pushed
forward by a poller's skipped sleep, never sent backwards by a restart; durations in Azure's
proportions with seeded jitter. Wall time is stood in for by a fake `time.time`, so nothing sleeps."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sandbox_fixtures import Sdk, call

from sandbox import clock as clock_module
from sandbox import durations, seed
from sandbox import transport as transport_module
from sandbox.arm import Arm
from sandbox.clock import DEMO_SPEED, ClockError, SandboxClock
from sandbox.transport import SandboxTransport

SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
PATH = f"/subscriptions/{seed.AIF_DEV}/resourcegroups/rg-legacy/providers/Microsoft.Resources/deployments/wall"


class Wall:
    """A stand-in for the wall clock (`time.time`) that the test moves."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = 1_800_000_000.0
        monkeypatch.setattr(clock_module.time, "time", lambda: self.now)


@pytest.fixture
def wall(monkeypatch: pytest.MonkeyPatch) -> Wall:
    return Wall(monkeypatch)


def storage(name: str) -> dict[str, Any]:
    return {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2026-04-01", "name": name,
            "location": "westeurope", "sku": {"name": "Standard_LRS"}, "kind": "StorageV2", "properties": {}}


def deploy(arm: Arm, *names: str) -> dict[str, str]:
    status, headers, _ = call(arm, "PUT", PATH, {"properties": {"mode": "Incremental", "template": {
        "$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": [storage(n) for n in names]}}})
    assert status == 201
    return headers


def state(arm: Arm) -> str:
    return str(call(arm, "GET", PATH)[2]["properties"]["provisioningState"])


def test_the_wall_clock_never_jumps_and_a_poller_really_waits(wall: Wall, monkeypatch: pytest.MonkeyPatch) -> None:
    slept: list[float] = []
    monkeypatch.setattr(transport_module.time, "sleep", slept.append)
    arm = Arm()
    assert (arm.clock.speed, arm.now()) == (DEMO_SPEED, wall.now)
    with pytest.raises(ClockError):
        arm.clock.advance(10)
    SandboxTransport(arm).sleep(30)
    assert slept == [30] and arm.now() == wall.now


def test_a_demo_deployment_takes_wall_time_at_the_demo_speed_and_a_cancel_can_win(wall: Wall) -> None:
    arm = Arm()
    assert deploy(arm, "staifwall01")["Retry-After"] == "1"  # polls every second, not every 2 s of Azure time
    assert state(arm) == "Accepted"
    wall.now += 0.2  # the poller "skipped" minutes of Retry-After: nothing moved but the wall clock
    assert state(arm) == "Running"
    assert call(arm, "POST", PATH + "/cancel")[0] == 204
    assert state(arm) == "Canceled"
    wall.now += durations.typical("Microsoft.Storage/storageAccounts") / DEMO_SPEED * 2
    assert state(arm) == "Canceled"
    # the account being written when the cancel came was finished
    assert any(key.endswith("/storageaccounts/staifwall01") for key in arm.world.resources)


def test_processes_sharing_a_state_share_its_clock_and_speed(tmp_path: Path, wall: Wall) -> None:
    path = tmp_path / "sandbox.json"
    first = Arm.open(path)
    second = Arm.open(path)
    first.set_speed(10)
    deploy(first, "staifshared1")
    assert state(second) == "Accepted" and second.clock.speed == 10
    finish = call(first, "GET", PATH)[2]
    wall.now += 60 / 10 * 1.5  # the whole deployment, at speed 10
    done_first, done_second = call(first, "GET", PATH)[2], call(second, "GET", PATH)[2]
    assert done_first["properties"]["provisioningState"] == "Succeeded"
    assert done_first["properties"]["timestamp"] == done_second["properties"]["timestamp"]
    assert done_first["properties"]["duration"] == done_second["properties"]["duration"]
    assert finish["properties"]["timestamp"] < done_first["properties"]["timestamp"]
    third = Arm.open(path)  # a restart later: same speed, and time has not gone backwards
    assert third.clock.speed == 10 and third.now() == wall.now
    assert call(third, "GET", PATH)[2]["properties"]["timestamp"] == done_first["properties"]["timestamp"]


def test_a_state_saved_by_a_version_that_pushed_its_clock_keeps_its_timeline(tmp_path: Path, wall: Wall) -> None:
    saved = Arm(clock=SandboxClock(offset=3600.0)).to_json()
    saved["clock"] = {"frozen": False, "start": None, "offset": 3600.0}
    path = tmp_path / "sandbox.json"
    path.write_text(json.dumps(saved))
    arm = Arm.open(path)
    assert arm.now() == wall.now + 3600.0 and arm.clock.speed == DEMO_SPEED
    wall.now += 5
    assert Arm.open(path).now() == wall.now + 3600.0  # constant: never pushed further, never back


def test_durations_keep_azures_proportions_with_seeded_jitter() -> None:
    vault, subnet = durations.typical("Microsoft.KeyVault/vaults"), durations.typical(
        "Microsoft.Network/virtualNetworks/subnets")
    search, aks = durations.typical("Microsoft.Search/searchServices"), durations.typical(
        "Microsoft.ContainerService/managedClusters")
    assert max(vault, subnet) < 60 <= min(search, aks)  # seconds versus minutes
    assert aks * (1 + durations.JITTER) / DEMO_SPEED < 25  # the longest resource, in the demo
    draws = [durations.with_jitter(100, 7, f"op-{i}") for i in range(200)]
    assert min(draws) >= 75 and max(draws) <= 125 and len(set(draws)) == 200
    assert draws == [durations.with_jitter(100, 7, f"op-{i}") for i in range(200)]
    assert draws != [durations.with_jitter(100, 8, f"op-{i}") for i in range(200)]


def test_a_frozen_test_clock_moves_only_when_a_test_or_its_poller_moves_it() -> None:
    sdk = Sdk(Arm(clock=SandboxClock.frozen()))
    before = sdk.arm.now()
    sdk.transport.sleep(12)
    assert sdk.arm.now() == before + 12
