"""`aifactory init`: the wizard's steps as questions, answered through prompt_toolkit's pipe input.

Each test runs the real `init` command (click's runner on `wizard.cli.cli`) inside an app session
whose input is a pipe: the keys a person would press are sent up front, questionary reads them
question by question, and what the command prints is checked, with the files it leaves behind.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from presets.store import PresetStore
from tests.conftest import aifactory_bin
from wizard.cli import cli
from wizard.model import FactoryConfig

ENTER, UP, DOWN, CTRL_C, CTRL_U = "\r", "\x1b[A", "\x1b[B", "\x03", "\x15"
"""Keys as a terminal sends them."""
CONTINUE = ENTER
"""On a step's menu the pointer starts on "Continue to the next step"."""


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty working folder (exports land here by default)."""
    monkeypatch.chdir(tmp_path)
    yield tmp_path


def init(keys: list[str], *args: str) -> Result:
    """`aifactory init ARGS` answered with `keys`, one string per answer."""
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text("".join(keys))
        return CliRunner().invoke(cli, ["init", *args], catch_exceptions=False)


def presets_saved() -> list[str]:
    folder = PresetStore().user_dir
    return sorted(p.name for p in folder.glob("*")) if folder.exists() else []


def test_from_a_builtin_preset_to_a_saved_preset_and_an_exported_env(workdir: Path) -> None:
    keys = [
        CONTINUE,  # 1 landing zone
        "2", ENTER,  # 2 environments: the dev group
        ENTER, ENTER,  # deploy it: yes; subscription: none, kept
        CTRL_U + "swedencentral" + ENTER,  # region
        ENTER,  # short code: empty, kept
        CONTINUE,  # back on the environments menu
        CONTINUE, CONTINUE, CONTINUE, CONTINUE,  # network, services, SKUs, projects
        ENTER,  # review: save the preset and offer the exports
        ENTER,  # preset name: the suggested my-poc-standalone
        "y", ENTER,  # write the .env, to .env
        "n",  # no variables.yaml
    ]
    result = init(keys, "--demo", "--preset", "poc-standalone")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "1/7 Landing zone" in out and "7/7 Review" in out and "Sign-in" not in out  # demo: no sign-in step
    assert "poc-standalone (edited): preflight" in out and "address space" in out  # validate's grid
    assert "saved preset 'my-poc-standalone'" in out and "wrote .env" in out
    saved = PresetStore().load("my-poc-standalone")
    assert saved.config.environments.dev.region == "swedencentral"
    text = (PresetStore().user_dir / "my-poc-standalone.yaml").read_text()
    assert "extends: poc-standalone" in text  # only what differs from the built-in is stored
    env = (workdir / ".env").read_text()
    assert 'AIFACTORY_LOCATION="swedencentral"' in env
    assert not (workdir / "variables.yaml").exists()


def test_a_wrong_answer_is_asked_again_with_its_reason(workdir: Path) -> None:
    keys = [
        "3", ENTER,  # landing zone: the access group
        ENTER, ENTER, ENTER,  # the three public-access switches, kept
        "999.1.1.1" + ENTER,  # IP allow-list: not an address
        CTRL_U + "203.0.113.0/24" + ENTER,  # asked again: now right
        ENTER, ENTER, ENTER, ENTER, ENTER,  # the rest of the group, kept
        CONTINUE, CONTINUE, CONTINUE, CONTINUE, CONTINUE, CONTINUE,  # to the review
        ENTER, "n", "n",  # save (to -o), no exports
    ]
    result = init(keys, "--demo", "--preset", "poc-standalone", "-o", "answered.yaml")
    assert result.exit_code == 0, result.output
    assert "✗ access.ip_allow_list.0: '999.1.1.1' is not an IPv4 address or CIDR range" in result.output
    assert "asked again" in result.output
    saved = PresetStore().load_file(workdir / "answered.yaml").config
    assert saved.access.ip_allow_list == ["203.0.113.0/24"]
    assert presets_saved() == []  # -o writes the file instead of a named preset


def test_an_answer_an_offline_rule_refuses_is_asked_again_and_kept_when_insisted(workdir: Path) -> None:
    keys = [
        CONTINUE, CONTINUE, CONTINUE, CONTINUE,  # landing zone, environments, network, services
        "2", ENTER,  # SKUs: the skus group
        UP + ENTER,  # AI Search tier: basic -> free
        ENTER,  # asked again, starting on free: the same answer keeps it
        ENTER, ENTER, ENTER, ENTER,  # semantic tier, ACR, AKS version and tier kept
        CTRL_C,
    ]
    result = init(keys, "--demo", "--preset", "poc-standalone")
    out = result.output
    assert "✗ skus.ai_search_tier: the free AI Search tier cannot use private endpoints" in out
    assert "→ use basic or higher" in out
    assert "AIF-SEARCH-FREE-PE" in out and "SKUs & capacity: 1 error" in out  # kept: the step lists it


def test_the_review_goes_back_to_a_step_and_checks_again(workdir: Path) -> None:
    keys = [
        CONTINUE, CONTINUE, CONTINUE, CONTINUE, CONTINUE, CONTINUE,  # steps 1-6 as they are
        "7", ENTER,  # review: back to Projects
        "2", ENTER,  # project 001
        ENTER, CTRL_U + "Pilot" + ENTER, ENTER, ENTER, ENTER, ENTER,  # number kept, name, the rest kept
        CONTINUE,  # back to the review, which checks again
        ENTER, ENTER, "n", "n",  # save as my-poc-standalone, no exports
    ]
    result = init(keys, "--demo", "--preset", "poc-standalone")
    assert result.exit_code == 0, result.output
    assert result.output.count("poc-standalone (edited): preflight:") == 2
    assert PresetStore().load("my-poc-standalone").config.projects[0].name == "Pilot"


def test_without_a_preset_it_asks_what_to_start_from(workdir: Path) -> None:
    keys = ["5", ENTER] + [CONTINUE] * 6 + [ENTER, "n", "n"]  # blank, the steps as they are, save to -o
    result = init(keys, "--demo", "-o", "blank.yaml")
    assert result.exit_code == 0, result.output
    assert PresetStore().load_file(workdir / "blank.yaml").config == FactoryConfig()


def test_ctrl_c_mid_way_writes_nothing_and_says_so(workdir: Path) -> None:
    keys = [CONTINUE, "2", ENTER, ENTER, ENTER, CTRL_U + "norwayeast" + ENTER, CTRL_C]
    result = init(keys, "--demo", "--preset", "poc-standalone")
    assert result.exit_code == 130
    assert "interrupted: nothing was saved and no file was written" in result.output
    assert presets_saved() == []
    assert list(workdir.iterdir()) == []


def test_ctrl_c_after_saving_the_preset_names_what_was_saved(workdir: Path) -> None:
    keys = [CONTINUE] * 6 + [ENTER, CTRL_U + "workshop-a" + ENTER, "y", CTRL_C]
    result = init(keys, "--demo", "--preset", "poc-standalone")
    assert result.exit_code == 130
    assert "interrupted: saved preset 'workshop-a'; nothing else was written" in result.output
    assert presets_saved() == ["workshop-a.yaml"]
    assert list(workdir.iterdir()) == []  # no .env, not even a temporary file


def test_a_preset_name_presets_refuse_is_asked_again(workdir: Path) -> None:
    keys = [CONTINUE] * 6 + [ENTER, CTRL_U + "poc-standalone" + ENTER, CTRL_U + "Bad Name" + ENTER,
                             CTRL_U + "ok-name" + ENTER, "n", "n"]
    result = init(keys, "--demo", "--preset", "poc-standalone")
    assert result.exit_code == 0, result.output
    assert "✗ preset name: 'poc-standalone' is a built-in preset" in result.output
    assert "✗ preset name: 'Bad Name' is not a usable preset name" in result.output
    assert presets_saved() == ["ok-name.yaml"]


def test_outside_demo_the_sign_in_step_chooses_how_the_checks_run(workdir: Path) -> None:
    keys = [
        CONTINUE,  # 1 landing zone
        "3", ENTER,  # 2 sign-in: the offline rules only
        CONTINUE, CONTINUE, CONTINUE, CONTINUE, CONTINUE, CONTINUE,  # its tenant id, then steps 3-7
        ENTER, "n", "n",  # save to -o, no exports
    ]
    result = init(keys, "--preset", "poc-standalone", "-o", "mine.yaml")
    assert result.exit_code == 0, result.output
    assert "2/8 Sign-in" in result.output and "8/8 Review" in result.output
    assert "poc-standalone (edited): offline checks" in result.output
    assert "saved the configuration to mine.yaml" in result.output
    assert PresetStore().load_file(workdir / "mine.yaml").config == PresetStore().load("poc-standalone").config


def test_a_secret_typed_into_a_setting_is_refused_and_never_shown_or_saved(workdir: Path) -> None:
    token = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
    keys = [
        CONTINUE,  # landing zone
        "8", ENTER,  # environments: the general group (the description)
        CTRL_U + token + ENTER,  # refused before it is taken: the prompt stays
        CTRL_U + "Workshop copy" + ENTER,
        CONTINUE, CONTINUE, CONTINUE, CONTINUE, CONTINUE,  # environments menu, then network to projects
        ENTER, "y", CTRL_U + "out.env" + ENTER, "n",  # save to -o, the .env to out.env
    ]
    result = init(keys, "--demo", "--preset", "poc-standalone", "-o", "mine.yaml")
    assert result.exit_code == 0, result.output
    assert token not in result.output
    assert PresetStore().load_file(workdir / "mine.yaml").config.description == "Workshop copy"
    for written in workdir.iterdir():
        assert token not in written.read_text()


def test_an_output_file_that_cannot_be_written_falls_back_to_a_preset(workdir: Path) -> None:
    (workdir / "blocker").write_text("a file where a folder should be\n")
    keys = [CONTINUE] * 6 + [ENTER, CTRL_U + "fallback" + ENTER, "n", "n"]
    result = init(keys, "--demo", "--preset", "poc-standalone", "-o", "blocker/mine.yaml")
    assert result.exit_code == 0, result.output
    assert "✗ cannot write blocker/mine.yaml" in result.output
    assert presets_saved() == ["fallback.yaml"]
    assert sorted(p.name for p in workdir.iterdir()) == ["blocker"]


def test_without_a_terminal_it_points_to_validate_and_exits_2(workdir: Path) -> None:
    result = subprocess.run([aifactory_bin(), "init", "--demo", "--preset", "poc-standalone"],
                            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert result.returncode == 2
    assert "needs a terminal" in result.stderr
    assert "aifactory validate --preset poc-standalone --demo" in result.stderr
    assert "Traceback" not in result.stderr
    assert presets_saved() == [] and list(workdir.iterdir()) == []
