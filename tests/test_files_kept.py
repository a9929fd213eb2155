"""Files a user keeps: never missing after kill -9, no litter from killed runs, what we save we load,
names that are what they seem, and a clear word when a file stands where the presets folder goes.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from presets.store import PresetError, PresetStore
from tests.conftest import aifactory_bin
from wizard.atomic_file import atomic_write, remove_stale_temps, temp_prefix
from wizard.model import FactoryConfig
from wizard.safe_yaml import MAX_BYTES

PROJECT = Path(__file__).resolve().parents[1]

KILL_AT_STEP = """
import os, signal, sys
from pathlib import Path
from wizard.atomic_file import atomic_write
target, text, step = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
calls = 0
def dies_at_step(function):
    def wrapper(*args, **kwargs):
        global calls
        calls += 1
        if calls == step:
            os.kill(os.getpid(), signal.SIGKILL)
        return function(*args, **kwargs)
    return wrapper
for name in ("replace", "link", "fsync", "unlink", "rename"):
    setattr(os, name, dies_at_step(getattr(os, name)))
atomic_write(target, text)
print("finished")
"""
"""Runs one atomic_write that kills itself (SIGKILL) at its `step`-th file-system call."""

WRITE_FOREVER = """
import sys
from pathlib import Path
from wizard.atomic_file import atomic_write
target, size = Path(sys.argv[1]), int(sys.argv[2])
print("ready", flush=True)
while True:
    for letter in "AB":
        atomic_write(target, letter * size)
"""
"""Rewrites the target as fast as it can, alternating two whole versions, until killed."""


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([aifactory_bin(), *map(str, args)], capture_output=True, text=True, timeout=120)


def python(code: str, *args: object) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], cwd=PROJECT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# ----------------------------------------------------------------------------- kill -9


def test_a_write_killed_at_any_step_leaves_the_target_and_the_backup_whole(tmp_path: Path) -> None:
    for step in range(1, 20):
        folder = tmp_path / f"step-{step}"
        folder.mkdir()
        target, backup = folder / "mine.yaml", folder / "mine.yaml.bak"
        target.write_text("old\n")
        backup.write_text("older\n")
        child = python(KILL_AT_STEP, target, "new\n", step)
        out, err = child.communicate(timeout=60)
        assert target.read_text() in ("old\n", "new\n"), step  # the target always exists, whole
        assert backup.read_text() in ("older\n", "old\n"), step
        atomic_write(target, "newer\n")  # the next write, after whatever the kill left …
        assert target.read_text() == "newer\n"
        assert backup.read_text() in ("old\n", "new\n"), step
        assert _temps(folder) == [], step  # … removes what the killed run left behind
        if "finished" in out:
            break
        assert child.returncode == -signal.SIGKILL, err
    else:
        pytest.fail("the write never finished")
    assert step > 3, "the write was never interrupted between its steps"


def test_a_kill_9_loop_never_leaves_the_target_missing_or_torn(tmp_path: Path) -> None:
    target = tmp_path / "export.env"
    size = 256 * 1024
    target.write_text("A" * size)
    (tmp_path / "export.env.bak").write_text("B" * size)
    chance = random.Random(7)
    deadline, kills = time.monotonic() + 3.0, 0
    while time.monotonic() < deadline and kills < 25:
        child = python(WRITE_FOREVER, target, size)
        assert child.stdout is not None and child.stdout.readline() == "ready\n"
        time.sleep(chance.uniform(0.0, 0.05))
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=60)
        kills += 1
        text = target.read_text()
        assert text in ("A" * size, "B" * size), f"kill {kills}: the target is torn ({len(text)} bytes)"
        assert (tmp_path / "export.env.bak").read_text() in ("A" * size, "B" * size)
    assert kills >= 5
    atomic_write(target, "done")
    assert _temps(tmp_path) == []


# ----------------------------------------------------------------------------- stale temporary files


def _plant_temps(folder: Path, target: str) -> dict[str, bool]:
    """Temporary-looking files beside `target`, and whether each must be removed."""
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    planted = {
        f".{target}.{dead}.abcd1234.tmp": True,        # ours, its writer is gone
        f".{target}.bak.{dead}.0f1e2d3c.tmp": True,    # the backup's, its writer is gone
        f".{target}.x7k2m9q1.tmp": False,              # ours, no pid, young: perhaps being written
        f".{target}.q1w2e3r4.tmp": True,               # ours, no pid, two hours old
        f"{target}.z9y8x7w6.tmp": True,                # the sandbox's own naming, two hours old
        f".{target}.{os.getpid()}.live0001.tmp": False,  # a live writer's (this test)
        f".{target}.notours.tmp": False,               # not a name we make
        f".other.yaml.{dead}.abcd1234.tmp": False,     # another file's
    }
    for name in planted:
        (folder / name).write_text("x")
    two_hours_ago = time.time() - 7200
    for name in (f".{target}.q1w2e3r4.tmp", f"{target}.z9y8x7w6.tmp"):
        os.utime(folder / name, (two_hours_ago, two_hours_ago))
    (folder / f".{target}.{dead}.link0001.tmp").symlink_to(folder / f".{target}.notours.tmp")
    planted[f".{target}.{dead}.link0001.tmp"] = False  # a symlink is never ours to remove
    return planted


def test_presets_save_removes_only_our_stale_temporary_files(isolated_dirs: Path) -> None:
    folder = isolated_dirs / "xdg_config_home" / "aifactory-wizard" / "presets"
    folder.mkdir(parents=True)
    planted = _plant_temps(folder, "mine.yaml")
    result = run("presets", "save", "mine", "--preset", "poc-standalone")
    assert result.returncode == 0, result.stderr
    for name, removed in planted.items():
        assert os.path.lexists(folder / name) is not removed, name


def test_the_demo_sandbox_removes_only_our_stale_temporary_files(tmp_path: Path) -> None:
    from wizard.azure.demo import open_sandbox

    planted = _plant_temps(tmp_path, "sandbox.json")
    open_sandbox(tmp_path / "sandbox.json")
    for name, removed in planted.items():
        assert os.path.lexists(tmp_path / name) is not removed, name
    assert (tmp_path / "sandbox.json").is_file()


def test_remove_stale_temps_keeps_a_live_writers_file(tmp_path: Path) -> None:
    target = tmp_path / "x.yaml"
    live = tmp_path / f"{temp_prefix(target)}abcdefgh.tmp"
    live.write_text("being written")
    assert remove_stale_temps(target) == []
    assert remove_stale_temps(target, now=time.time() + 7200) == [live]  # an hour on, even ours is stale


# ----------------------------------------------------------------------------- what we save, we load


def test_a_preset_too_big_to_load_is_refused_at_save(tmp_path: Path, isolated_dirs: Path) -> None:
    big = tmp_path / "big.env"
    words = "n\t" * ((MAX_BYTES - 2000) // 2)  # under the import limit; YAML writes each tab as \t
    big.write_text(f"AIFACTORY_PREFIX='acme-'\nBIG_NOTES='{words}'\n")  # quotes: fast to read
    result = run("presets", "save", "big", "--config", big)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "could not be loaded again" in result.stderr and "aifactory_extra.BIG_NOTES" in result.stderr
    assert not list((isolated_dirs / "xdg_config_home").rglob("big.yaml"))


def test_the_save_limit_is_the_load_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import inspect

    import presets.store
    from presets.store import loadable_preset_text
    from wizard import safe_yaml

    loader_limit = inspect.signature(safe_yaml.read_text).parameters["max_bytes"].default
    assert loader_limit == presets.store.MAX_BYTES
    exact = tmp_path / "exact.yaml"
    exact.write_bytes(b"#" * MAX_BYTES)
    assert len(safe_yaml.read_text(exact)) == MAX_BYTES  # the loader reads a file of exactly the limit
    exact.write_bytes(b"#" * (MAX_BYTES + 1))
    with pytest.raises(safe_yaml.YamlError):
        safe_yaml.read_text(exact)
    config = FactoryConfig(aifactory_extra={"NOTES": "n" * 100})
    text, _ = loadable_preset_text(config, "small")
    monkeypatch.setattr(presets.store, "MAX_BYTES", len(text.encode()))
    assert loadable_preset_text(config, "small")[0] == text  # save writes exactly the limit, …
    monkeypatch.setattr(presets.store, "MAX_BYTES", len(text.encode()) - 1)
    with pytest.raises(PresetError, match="could not be loaded again"):  # … and not a byte more
        loadable_preset_text(config, "small")


# ----------------------------------------------------------------------------- names and folders


@pytest.mark.parametrize("name", ["nl2\n", "nl2\r", "a/b", "../x", "Upper", ""])
def test_a_name_that_could_not_be_found_again_is_refused(name: str, tmp_path: Path) -> None:
    store = PresetStore(tmp_path / "presets")
    with pytest.raises(PresetError, match="not a usable preset name"):
        store.save(name, FactoryConfig())
    assert not (tmp_path / "presets").exists()


def test_a_trailing_newline_is_no_guid_and_no_preset_name(tmp_path: Path) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        FactoryConfig.model_validate({"identity": {"tenant_id": "8f1e2d3c-4b5a-4c6d-9e8f-0a1b2c3d4e5f\n"}})
    result = run("presets", "save", "nl2\n", "--preset", "poc-standalone")
    assert result.returncode == 2 and "not a usable preset name" in result.stderr


def test_a_file_where_the_presets_folder_should_be(isolated_dirs: Path) -> None:
    folder = isolated_dirs / "xdg_config_home" / "aifactory-wizard" / "presets"
    folder.parent.mkdir(parents=True)
    folder.write_text("not a folder")
    for args in (("presets", "save", "mine", "--preset", "poc-standalone"), ("presets", "delete", "mine", "--yes")):
        result = run(*args)
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        assert f"{folder} is a file, where your presets folder should be" in result.stderr
    listed = run("presets", "list")
    assert listed.returncode == 0 and "poc-standalone" in listed.stdout
    assert "is a file" in listed.stderr
    assert folder.read_text() == "not a folder"
