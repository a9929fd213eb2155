"""The preflight as a whole: the `validate --demo` grid, one request per distinct read, streaming,
faults that change nothing, a persistent failure that stays in its column, and the demo state."""

from __future__ import annotations

import dataclasses
import itertools
import json
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest
from live_fixtures import CONTOSO, KeyedFaults, RequestLog, codes, env_config, live_sandbox, only, preset

from presets.store import PresetStore
from sandbox import seed
from sandbox.arm import Arm
from sandbox.clock import SandboxClock
from sandbox.faults import FaultPlan
from tests.conftest import aifactory_bin
from wizard.azure.checks import CHECKS, REGISTRY
from wizard.azure.demo import demo_session
from wizard.azure.preflight import PreflightResult, run_preflight
from wizard.findings import Finding

HUB_FAILS = {("stage", "providers"), ("prod", "permissions"), ("prod", "model_quota"), ("stage", "names")}
"""The cells enterprise-hub-spoke fails in the demo tenant, and nothing else."""


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([aifactory_bin(), *args], capture_output=True, text=True, timeout=120)


def preflight(arm: Arm | None = None, config_name: str = "enterprise-hub-spoke", **kwargs: Any) -> PreflightResult:
    sandbox = live_sandbox(arm)
    try:
        return run_preflight(preset(config_name), sandbox.session, tenant_id=CONTOSO, **kwargs)
    finally:
        sandbox.close()


def cells(grid: dict[str, dict[str, str]], status: str) -> set[tuple[str, str]]:
    return {(row, col) for row, columns in grid.items() for col, value in columns.items() if value == status}


@pytest.fixture(scope="module")
def baseline() -> PreflightResult:
    """enterprise-hub-spoke in the fault-free demo tenant."""
    return preflight()


# ------------------------------------------------------------------------------ the CLI


def test_validate_enterprise_hub_spoke_demo_json(isolated_dirs: Path) -> None:
    result = run("validate", "--preset", "enterprise-hub-spoke", "--demo", "--json")
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    assert data["ok"] is False
    grid = data["grid"]
    assert set(grid) == {"dev", "stage", "prod", "all"}
    assert cells(grid, "fail") == HUB_FAILS
    for env in ("dev", "stage", "prod"):
        assert set(grid[env]) == {"offline", *CHECKS}
        assert {grid[env][c] for c in grid[env] if (env, c) not in HUB_FAILS} <= {"pass", "n/a"}, grid[env]
        assert grid[env]["vm_skus"] == grid[env]["vcpu_quota"] == "n/a"  # no AKS, no Azure ML
    assert "fail" not in grid["all"].values()

    errors = {(f["environment"], f["check"]): f for f in data["findings"] if f["severity"] == "error"}
    assert set(errors) == HUB_FAILS
    provider = errors["stage", "providers"]
    assert provider["code"] == "AIF-LIVE-PROVIDER" and "Microsoft.Search" in provider["message"]
    assert f"az provider register --namespace Microsoft.Search --subscription {seed.AIF_STAGE}" in provider["hint"]
    role = errors["prod", "permissions"]
    assert role["code"] == "AIF-LIVE-ROLE-WRITE" and "az role assignment create --role Owner" in role["hint"]
    tpm = errors["prod", "model_quota"]
    assert tpm["code"] == "AIF-LIVE-TPM" and tpm["field"] == "skus.models.0.capacity"
    assert "https://aka.ms/oai/quotaincrease" in tpm["hint"]
    vault = errors["stage", "names"]
    assert vault["code"] == "AIF-LIVE-KV-DELETED" and "kv-cmntest-aje2a-001" in vault["message"]
    assert "next free name: kv-cmntest-aje2a-002" in vault["hint"]
    # demo mode keeps its sandbox in the (isolated) user state directory
    assert list(isolated_dirs.rglob("sandbox.json"))


def test_validate_poc_standalone_demo_passes() -> None:
    result = run("validate", "--preset", "poc-standalone", "--demo", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert data["ok"] is True
    grid = data["grid"]
    assert set(grid["dev"].values()) <= {"pass", "n/a"}, grid
    assert grid["dev"]["subscription"] == grid["dev"]["names"] == grid["dev"]["model_quota"] == "pass"
    # the global row only summarises offline advice (members and object ids still to fill in)
    assert "fail" not in grid["all"].values()
    assert set(grid["all"]) == {"offline", *CHECKS}
    assert not [f for f in data["findings"] if f["severity"] == "error"]

    human = run("validate", "--preset", "poc-standalone", "--demo")
    assert human.returncode == 0
    assert "demo" in human.stderr and "sandbox" in human.stderr


# ------------------------------------------------------------------------------ reads


def test_each_distinct_read_is_one_request(baseline: PreflightResult) -> None:
    sandbox = live_sandbox()
    log = RequestLog(sandbox.arm)
    try:
        result = run_preflight(preset("enterprise-hub-spoke"), sandbox.session, tenant_id=CONTOSO)
    finally:
        sandbox.close()
    stats = sandbox.session.stats
    assert stats.http_requests == stats.distinct_reads == len(log.keys) == sandbox.transport.requests
    assert log.repeated() == {}
    assert stats.cache_hits > 0  # checks share reads (providers, deleted vaults, the hub VNet, ...)
    assert result.grid == baseline.grid
    assert result.stats is stats


def test_lists_follow_next_link() -> None:
    small = Arm(clock=SandboxClock.frozen(), page_size=2)
    log = RequestLog(small)
    paged = preflight(small, "poc-standalone")
    assert any("$skiptoken" in dict(key[2]) for key in log.keys)
    whole = preflight(None, "poc-standalone")
    assert paged.grid == whole.grid
    assert codes(paged.findings) == codes(whole.findings)


def test_hub_dns_zones_follow_next_link(baseline: PreflightResult) -> None:
    small = Arm(clock=SandboxClock.frozen(), page_size=5)
    log = RequestLog(small)
    runaway = itertools.count()
    log.fail(lambda url: "privateDnsZones" in url and next(runaway) >= 20, 508, "LoopDetected")
    result = preflight(small)
    assert result.grid == baseline.grid


# ------------------------------------------------------------------------------ streaming


def test_on_finding_sees_every_finding_in_order(baseline: PreflightResult) -> None:
    seen: list[Finding] = []
    result = preflight(on_finding=seen.append)
    assert seen == result.findings
    assert codes(result.findings) == codes(baseline.findings)


def test_findings_stream_while_other_checks_are_still_running(monkeypatch: pytest.MonkeyPatch) -> None:
    live_finding = threading.Event()
    original = REGISTRY["address_space"].run

    def held_back(ctx: Any, reads: Any, target: Any) -> list[Finding]:
        if not live_finding.wait(timeout=5):
            raise AssertionError("no finding was streamed while address_space was still running")
        return original(ctx, reads, target)

    def on_finding(finding: Finding) -> None:
        if finding.check in CHECKS and finding.check != "address_space":
            live_finding.set()

    monkeypatch.setitem(REGISTRY, "address_space", dataclasses.replace(REGISTRY["address_space"], run=held_back))
    result = preflight(on_finding=on_finding)
    assert live_finding.is_set()
    assert not [f for f in result.findings if f.code == "AIF-LIVE-CRASH"], result.findings
    assert {result.grid[env]["address_space"] for env in ("dev", "stage", "prod")} == {"pass"}


# ------------------------------------------------------------------------------ faults


def test_throttling_and_transient_errors_change_nothing(baseline: PreflightResult) -> None:
    faults = KeyedFaults(FaultPlan(seed=0, throttle_rate=0.2, retry_after=2, transient_rate=0.1))
    arm = Arm(clock=SandboxClock.frozen(), faults=faults)
    sandbox = live_sandbox(arm)
    try:
        result = run_preflight(preset("enterprise-hub-spoke"), sandbox.session, tenant_id=CONTOSO)
    finally:
        sandbox.close()
    injected = faults.injected
    assert injected.get("throttle", 0) >= 3, injected
    assert injected.get("transient_500", 0) + injected.get("transient_503", 0) >= 3, injected
    assert sandbox.transport.slept >= 2 * injected["throttle"]  # Retry-After was honoured (on the sandbox clock)
    stats = sandbox.session.stats
    assert stats.http_requests == stats.distinct_reads + sum(injected.values())
    assert result.grid == baseline.grid
    assert codes(result.findings) == codes(baseline.findings)


def test_a_read_throttled_four_times_still_succeeds() -> None:
    sandbox = live_sandbox()
    log = RequestLog(sandbox.arm)
    log.fail(lambda url: "Microsoft.Authorization/permissions" in url, 429, "TooManyRequests", times=4,
             headers={"Retry-After": "1"})
    try:
        result = run_preflight(env_config(), sandbox.session, tenant_id=CONTOSO, checks=["permissions"])
    finally:
        sandbox.close()
    assert result.grid["dev"]["permissions"] == "pass", result.findings


def test_a_persistent_failure_stays_in_its_column(baseline: PreflightResult) -> None:
    sandbox = live_sandbox()
    log = RequestLog(sandbox.arm)
    log.fail(lambda url: "Microsoft.Authorization/permissions" in url, 500, "InternalServerError")
    try:
        result = run_preflight(preset("enterprise-hub-spoke"), sandbox.session, tenant_id=CONTOSO)
    finally:
        sandbox.close()
    assert log.failed["InternalServerError"] > 3  # three subscriptions, each retried before giving up
    for env in ("dev", "stage", "prod"):
        finding = only([f for f in result.findings if f.environment == env], "AIF-LIVE-READ")
        assert (finding.check, finding.severity) == ("permissions", "error")
        assert "InternalServerError" in finding.message
        assert "re-run" in finding.hint
        assert result.grid[env]["permissions"] == "fail"
    assert not [f for f in result.findings if f.code == "AIF-LIVE-CRASH"]
    expected = {row: {**cols} for row, cols in baseline.grid.items()}
    for env in ("dev", "stage", "prod"):
        expected[env]["permissions"] = "fail"
    assert result.grid == expected
    others = {(c, e) for c, e in codes(baseline.findings) if c != "AIF-LIVE-ROLE-WRITE"}
    assert codes(result.findings) - {("AIF-LIVE-READ", e) for e in ("dev", "stage", "prod")} == others


# ------------------------------------------------------------------------------ offline and unset subscriptions


def test_offline_makes_no_requests() -> None:
    sandbox = live_sandbox()
    try:
        result = run_preflight(preset("enterprise-hub-spoke"), sandbox.session, tenant_id=CONTOSO, offline=True)
    finally:
        sandbox.close()
    assert result.columns == ["offline"]
    assert sandbox.transport.requests == 0
    assert not [f for f in result.findings if f.code.startswith("AIF-LIVE")]


def test_environment_without_subscription() -> None:
    sandbox = live_sandbox()
    try:
        config = PresetStore().load("poc-standalone").config
        result = run_preflight(config, sandbox.session, tenant_id=CONTOSO)
    finally:
        sandbox.close()
    finding = only(result.findings, "AIF-LIVE-NO-SUBSCRIPTION")
    assert (finding.environment, finding.field) == ("dev", "environments.dev.subscription_id")
    assert "demo" in finding.hint
    assert result.grid["dev"]["subscription"] == "fail"
    assert sandbox.transport.requests == 0


# ------------------------------------------------------------------------------ demo state


def test_demo_state_persists_between_sessions(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.json"
    first, tenant, notes = demo_session(path=path)
    assert tenant == CONTOSO and str(path) in notes[0]
    search = first.resources(seed.AIF_STAGE).providers.get("Microsoft.Search")
    assert search.registration_state == "NotRegistered"
    first.resources(seed.AIF_STAGE).providers.register("Microsoft.Search")
    first.close()

    second, _, _ = demo_session(path=path)
    try:
        state = second.resources(seed.AIF_STAGE).providers.get("Microsoft.Search").registration_state
        assert state in ("Registering", "Registered")
        result = run_preflight(preset("enterprise-hub-spoke"), second, tenant_id=tenant)
        assert result.grid["stage"]["providers"] in ("warn", "pass")
    finally:
        second.close()

    elsewhere, _, _ = demo_session(path=tmp_path / "other.json")
    try:
        assert elsewhere.resources(seed.AIF_STAGE).providers.get("Microsoft.Search").registration_state == (
            "NotRegistered")
    finally:
        elsewhere.close()


def test_register_providers_registers_in_the_demo_tenant() -> None:
    from wizard.azure.demo import state_path
    from wizard.azure.run import run_live_validation

    config = PresetStore().load("enterprise-hub-spoke").config
    outcome = run_live_validation(config, demo=True, register=True)
    assert f"asked Azure to register Microsoft.Search in {seed.AIF_STAGE}; it takes a few minutes" in outcome.notes
    session, _, _ = demo_session(path=state_path())
    try:
        state = session.resources(seed.AIF_STAGE).providers.get("Microsoft.Search").registration_state
        assert state in ("Registering", "Registered")
    finally:
        session.close()


def test_register_providers_rerun_sees_the_registration() -> None:
    from wizard.azure.run import run_live_validation

    config = PresetStore().load("enterprise-hub-spoke").config
    outcome = run_live_validation(config, demo=True, register=True)
    search = [f for f in outcome.result.findings if f.code == "AIF-LIVE-PROVIDER"]
    assert search and all(f.severity == "warning" and "Registering" in f.message for f in search), search
