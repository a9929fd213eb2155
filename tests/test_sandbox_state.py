"""The demo sandbox's saved state: a damaged file is named with its fix, never a traceback; `--fresh`
and `aifactory sandbox reset` start again; a bad or busy port is a message; killed runs' leftovers go."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from pathlib import Path

import pytest
from sandbox_fixtures import call

from sandbox import seed
from sandbox.arm import STATE_VERSION, Arm
from sandbox.clock import SandboxClock
from sandbox.state_file import StateFileError, remove_stale_temporaries, set_aside
from tests.conftest import aifactory_bin
from wizard.azure.demo import state_path

DAMAGED = {
    "empty": ("", "is empty"),
    "truncated": ('{"version": 1, "clock": {"fro', "is not valid JSON"),
    "not-json": ("\xff\xfe garbage", "is not valid JSON"),
    "empty-object": ("{}", 'holds no sandbox state (it has no "version")'),
    "a-list": ("[1, 2]", "is not a sandbox state"),
    "newer-version": ('{"version": 9, "world": {}}', "was written by a newer aifactory-wizard (state version 9"),
    "unknown-version": ('{"version": "x"}', "has an unknown state version 'x'"),
    "world-damaged": ('{"version": 1, "world": {"resources": []}}', "is damaged: world.resources is not a JSON object"),
    "clock-damaged": ('{"version": 1, "clock": {"offset": "soon"}, "world": {}}', "is damaged"),
    "deep": ("[" * 5000 + "]" * 5000, "is not a sandbox state"),
}


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([aifactory_bin(), *args], capture_output=True, text=True, timeout=timeout)


def assert_names_file_and_fix(result: subprocess.CompletedProcess[str], path: Path, problem: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert f"the demo sandbox state {path} {problem}" in result.stderr
    assert "aifactory sandbox reset" in result.stderr and "--fresh" in result.stderr


def write_state(text: str) -> Path:
    path = state_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", errors="surrogateescape")
    return path


@pytest.mark.parametrize("case", DAMAGED, ids=list(DAMAGED))
def test_a_damaged_state_file_is_named_with_what_is_wrong(tmp_path: Path, case: str) -> None:
    text, problem = DAMAGED[case]
    path = tmp_path / "sandbox.json"
    path.write_text(text, encoding="utf-8", errors="surrogateescape")
    with pytest.raises(StateFileError) as caught:
        Arm.open(path)
    assert caught.value.path == path
    assert problem in str(caught.value) and str(path) in str(caught.value)
    assert path.read_text(encoding="utf-8", errors="surrogateescape") == text  # nothing overwritten


def test_validate_demo_on_a_damaged_state_says_which_file_and_how_to_start_fresh() -> None:
    path = write_state(DAMAGED["truncated"][0])
    assert_names_file_and_fix(run("validate", "--preset", "poc-standalone", "--demo"), path, "is not valid JSON")

    fresh = run("validate", "--preset", "poc-standalone", "--demo", "--fresh", "--json")
    assert fresh.returncode == 0, fresh.stderr
    assert json.loads(fresh.stdout)["ok"] is True
    assert path.read_text() == DAMAGED["truncated"][0]  # --fresh neither reads nor changes it

    reset = run("sandbox", "reset")
    assert reset.returncode == 0 and str(path) + ".bak" in reset.stdout
    assert Path(str(path) + ".bak").read_text() == DAMAGED["truncated"][0]  # kept, not deleted
    assert run("validate", "--preset", "poc-standalone", "--demo", "--json").returncode == 0
    assert json.loads(path.read_text())["version"] == STATE_VERSION


def test_fresh_needs_demo() -> None:
    result = run("validate", "--preset", "poc-standalone", "--fresh")
    assert result.returncode == 2 and "--fresh only applies to --demo" in result.stderr


def test_sandbox_serve_on_a_damaged_state_says_which_file_and_how_to_start_fresh() -> None:
    path = write_state(DAMAGED["empty-object"][0])
    assert_names_file_and_fix(run("sandbox", "serve", "--port", "0", timeout=30), path, "holds no sandbox state")


def test_sandbox_serve_on_a_busy_or_impossible_port_exits_2() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = run("sandbox", "serve", "--fresh", "--port", str(port), timeout=30)
    assert busy.returncode == 2 and "Traceback" not in busy.stderr
    assert f"port {port} on 127.0.0.1 is already in use" in busy.stderr and "--port 0" in busy.stderr
    for bad in ("70000", "-1", "http"):
        result = run("sandbox", "serve", "--fresh", "--port", bad, timeout=30)
        assert result.returncode == 2 and "Invalid value for '--port'" in result.stderr, bad


def test_reset_without_saved_state_says_so() -> None:
    result = run("sandbox", "reset")
    assert result.returncode == 0 and "no saved state" in result.stdout


def test_set_aside_keeps_one_backup(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.json"
    assert set_aside(path) is None
    path.write_text("first")
    assert set_aside(path) == tmp_path / "sandbox.json.bak"
    path.write_text("second")
    set_aside(path)
    assert (tmp_path / "sandbox.json.bak").read_text() == "second" and not path.exists()


def test_temporaries_left_by_killed_runs_are_removed_when_the_state_is_opened(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.json"
    stale = [tmp_path / f"sandbox.json.k{i}.tmp" for i in range(45)]
    for tmp in stale:
        tmp.write_text("{")
        os.utime(tmp, (time.time() - 3600, time.time() - 3600))
    in_flight = tmp_path / "sandbox.json.now.tmp"  # another process is writing it right now
    in_flight.write_text("{")
    other = tmp_path / "notes.tmp"
    other.write_text("mine")
    Arm.open(path, clock=SandboxClock.frozen())
    assert not any(tmp.exists() for tmp in stale)
    assert in_flight.exists() and other.exists()
    assert remove_stale_temporaries(path) == 0


def test_two_processes_sharing_the_state_keep_each_others_changes(tmp_path: Path) -> None:
    """`sandbox serve` and a `validate --demo --register-providers` (or two demos) on one state file:
    each write takes in what the other saved, so neither overwrites the other's changes."""
    path = tmp_path / "sandbox.json"
    first = Arm.open(path, clock=SandboxClock.frozen())
    second = Arm.open(path, clock=SandboxClock.frozen())
    groups = f"/subscriptions/{seed.AIF_STAGE}/resourcegroups"
    assert call(first, "POST", f"/subscriptions/{seed.AIF_STAGE}/providers/Microsoft.Search/register")[0] == 200
    assert call(second, "PUT", f"{groups}/rg-second", {"location": "westeurope"})[0] == 201
    assert call(first, "PUT", f"{groups}/rg-first", {"location": "westeurope"})[0] == 201
    assert call(second, "GET", f"/subscriptions/{seed.AIF_STAGE}/providers/Microsoft.Search")[2][
        "registrationState"] == "Registering"
    resumed = Arm.open(path, clock=SandboxClock.frozen())
    assert {f"{seed.AIF_STAGE}/rg-first".lower(), f"{seed.AIF_STAGE}/rg-second".lower()} <= set(
        resumed.world.resource_groups)
    assert resumed.registration_state(seed.AIF_STAGE, "Microsoft.Search") == "Registering"
