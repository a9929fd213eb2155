"""`aifactory deploy`, `resume` and `destroy` through the real entry point, against the demo sandbox
kept in the (temporary) state directory, as a person or a script meets them: killed with
SIGKILL under a throttling storm and resumed, interrupted with Ctrl+C and left running or
canceled, deployed a second time, and destroyed after a partial run. (Leaving deployments
running at Ctrl+C and resuming later is tested in process, in test_deploy_runner.py.)

The configuration has three environments and one project (24 stages, 222 resources); the
sandbox runs at speed 300, so a whole deployment takes a few seconds (polls wait for ARM's
`Retry-After`, at least a second). The same kill-and-resume under a throttling storm runs in
process (test_deploy_runner.py), where the SDK's backoff sleeps move a frozen clock: through a
real process, a storm's occasional chain of seven failed tries sleeps the SDK's exponential
backoff (up to a minute) for real.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import aifactory_bin

from deploy.journal import find_runs, load_run

THREE = """\
$schema: ../factory-config.schema.json
version: 1
extends: poc-standalone
environments:
  stage: {enabled: true, region: eastus2, region_short: eu2, subscription_id: 1c2d6f3b-8e4a-4b9f-8d72-3a1e9f5c8b22}
  prod: {enabled: true, region: eastus2, region_short: eu2, subscription_id: 3e4f8b5d-a06c-4db1-8f94-5c3ab17eac44}
services: {ai_search: false, ai_foundry: false, bot_service: false}
"""
SPEED = ["--speed", "300"]


@pytest.fixture
def three(tmp_path: Path) -> Path:
    path = tmp_path / "three.yaml"
    path.write_text(THREE)
    return path


def aifactory(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([aifactory_bin(), *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "COLUMNS": "200"})


def events(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]


def until(process: subprocess.Popen[str], done: Any) -> list[dict[str, Any]]:
    """Read --json events from a running deploy until `done(events)` says so."""
    seen: list[dict[str, Any]] = []
    assert process.stdout is not None
    for line in process.stdout:
        seen.append(json.loads(line))
        if done(seen):
            return seen
    raise AssertionError(f"the run ended first: {seen[-1]}")


def finished(seen: list[dict[str, Any]], status: str) -> set[str]:
    return {e["stage"] for e in seen if e["event"] == "stage_finished" and e["status"] == status}


def sandbox_world() -> Any:
    """The demo sandbox's world now (its state file in the state directory, brought up to the clock:
    work that finished since the last write is applied by the next reader, as here)."""
    from sandbox.arm import Arm
    from wizard.azure.demo import state_path

    arm = Arm.load(state_path())
    arm.advance_world()
    return arm.world


def sandbox_deployments() -> dict[str, dict[str, Any]]:
    """Deployment records of the demo sandbox."""
    return dict(sandbox_world().deployments)


def test_killed_mid_deploy_then_resumed_then_deployed_again(three: Path) -> None:
    process = subprocess.Popen([aifactory_bin(), "deploy", "--config", str(three), "--demo", "--yes", "--json",
                                *SPEED], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        before = until(process, lambda seen: len(finished(seen, "succeeded")) >= 4)
    finally:
        process.kill()
        process.wait()
    assert before[0]["event"] == "run_started" and len(before[0]["stages"]) == 24
    done_before = finished(before, "succeeded")
    submitted = {k: r["correlation_id"] for k, r in sandbox_deployments().items()}
    result = aifactory("resume", "--json")
    assert result.returncode == 0, result.stderr
    after = events(result.stdout)
    assert after[0]["event"] == "run_started" and after[0]["resumed"]
    assert after[-1]["event"] == "run_finished" and after[-1]["status"] == "succeeded"
    assert finished(after, "skipped") >= done_before  # nothing that succeeded is deployed again
    restarted = {e["stage"] for e in after if e["event"] == "stage_started" and not e["reattached"]}
    assert not restarted & done_before
    now = sandbox_deployments()
    assert all(now[k]["correlation_id"] == v for k, v in submitted.items())
    [record] = find_runs()
    assert record.status == "succeeded" and record.resumes == 1
    assert all(s.status in ("succeeded", "skipped") for s in record.stages.values())
    assert all(line.endswith("}") for line in record.path.read_text().splitlines())  # the journal is whole
    again = aifactory("deploy", "--config", str(three), "--demo", "--yes", "--json")
    assert again.returncode == 0, again.stderr
    second = events(again.stdout)  # a second deploy of the same configuration deploys nothing
    assert {e["status"] for e in second if e["event"] == "stage_finished"} == {"skipped"}
    assert not [e for e in second if e["event"] == "stage_started"]
    assert {k: r["correlation_id"] for k, r in sandbox_deployments().items()} == {
        k: r["correlation_id"] for k, r in now.items()}


def test_ctrl_c_cancel_then_destroy_removes_what_was_recorded(three: Path) -> None:
    process = subprocess.Popen([aifactory_bin(), "deploy", "--config", str(three), "--demo", "--yes", "--json",
                                "--on-interrupt", "cancel", *SPEED], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    try:
        until(process, lambda seen: any(s.endswith("common-services") for s in finished(seen, "succeeded")))
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130
    tail = events(rest)
    assert tail[-1]["event"] == "run_finished" and tail[-1]["status"] == "canceled"
    [record] = find_runs()
    assert record.status == "canceled"
    canceled = [s for s in record.stages.values() if s.status == "canceled" and s.attempts]
    state = sandbox_deployments()
    for stage in canceled:  # what the run says it canceled, Azure says is Canceled
        [deployment] = [r for r in state.values() if r["name"] == stage.deployment_name]
        assert deployment["cancelled_at"] is not None
    preview = aifactory("destroy", "--config", str(three), "--demo", "--json")
    planned = json.loads(preview.stdout)
    assert not planned["deleted"] and len(planned["resource_groups"]) >= 3
    vaults = {v["name"] for v in planned["vaults_to_purge"]}
    assert vaults
    done = aifactory("destroy", "--config", str(three), "--demo", "--yes", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["resource_groups"] == planned["resource_groups"]
    world = sandbox_world()
    assert not {g["name"].lower() for g in planned["resource_groups"]} & {
        key.split("/", 1)[1] for key in world.resource_groups}
    assert not vaults & {v["name"] for v in world.deleted_vaults}
    recorded_groups = {g["name"] for g in planned["resource_groups"]}
    created = {r.name for s in load_run(record.path).stages.values() for r in s.resources.values()
               if r.type == "Microsoft.Resources/resourceGroups" and r.status_code == "Created"}
    assert recorded_groups == created


def test_deploy_refuses_while_the_preflight_reports_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(THREE.replace("region_short: eu2, ", ""))  # names one character too long
    result = aifactory("deploy", "--config", str(bad), "--demo", "--yes", "--json")
    assert result.returncode == 1
    out = events(result.stdout)
    assert [e["event"] for e in out] == ["run_started", "deploy_refused", "run_finished"]
    assert out[-1]["status"] == "failed" and any(f["code"] == "AIF-NAME" for f in out[1]["findings"])


def test_what_cannot_run_says_why_and_what_to_do(three: Path) -> None:
    nothing = aifactory("resume")
    assert nothing.returncode == 2 and "there is no unfinished deployment run to resume" in nothing.stderr
    assert "aifactory deploy starts one" in nothing.stderr
    unknown = aifactory("resume", "20260101-000000-abcd")
    assert unknown.returncode == 2 and "there is no run 20260101-000000-abcd" in unknown.stderr
    never = aifactory("destroy", "--config", str(three), "--demo", "--yes")
    assert never.returncode == 2 and "no deployment of three is recorded in the demo sandbox" in never.stderr
    unasked = aifactory("deploy", "--config", str(three), "--demo")  # no terminal, no --yes
    assert unasked.returncode == 2 and "add --yes" in unasked.stderr
    assert "Traceback" not in nothing.stderr + unknown.stderr + never.stderr + unasked.stderr


def test_validate_after_deploying_finds_the_factorys_own_names_held_by_it() -> None:
    """`make demo` validates poc-standalone again after a person deployed it: still exit 0."""
    deployed = aifactory("deploy", "--preset", "poc-standalone", "--demo", "--yes", "--json", *SPEED)
    assert deployed.returncode == 0, deployed.stderr
    checked = aifactory("validate", "--preset", "poc-standalone", "--demo", "--json")
    assert checked.returncode == 0, checked.stdout
    names = [f for f in json.loads(checked.stdout)["findings"] if f.get("check") == "names"]
    assert names and all(f["severity"] == "info" and "already deployed by this factory" in f["message"]
                         for f in names)
    # Azure holds the truth, not our journal: without it (a deployment by the AI Factory's own pipeline,
    # or a cleared state directory) the names are still the factory's own
    for record in find_runs():
        record.path.unlink()
    assert not find_runs()
    again = aifactory("validate", "--preset", "poc-standalone", "--demo", "--json")
    assert again.returncode == 0, again.stdout
    assert [f for f in json.loads(again.stdout)["findings"] if f.get("check") == "names"] == names
