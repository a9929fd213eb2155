"""The deployment dashboard through Pilot: Deploy on the review step runs the real runner against the
in-process sandbox (at a high demo speed), and the screen shows what it does."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Button
from wizard_pilot import settle, show_step

from deploy import launch
from presets.store import PresetStore
from sandbox.faults import parse_faults
from screens.app import WizardApp, make_app
from screens.dashboard import labels
from screens.dashboard.questions import ConsentScreen, InterruptScreen
from screens.dashboard.screen import DeployScreen, StageTree
from wizard.azure.demo import open_sandbox
from wizard.draft import Draft
from wizard.events import ResourceProgress, StageFinished

SPEED = 600.0
"""The sandbox's demo speed in these tests: a whole poc-standalone deployment in a few seconds."""

SEARCH_QUOTA = "fail=Microsoft.Search/searchServices:InsufficientQuota:1"
"""The first AI Search service (one project's cognitive-services stage) fails for lack of quota."""


def deploy_app(tmp_path: Path, *, speed: float = SPEED, faults: list[str] | None = None) -> WizardApp:
    """The wizard in demo mode on poc-standalone, its sandbox at `speed`, with `faults` injected."""
    state = tmp_path / "sandbox.json"
    open_sandbox(state).set_speed(speed)
    loaded = PresetStore().load("poc-standalone")
    draft = Draft(loaded.config, "", "from poc-standalone", extends="poc-standalone")
    return make_app(demo=True, draft=draft, sandbox_state=state,
                    faults=parse_faults(faults) if faults else None)


async def press_deploy(pilot: Any, app: WizardApp) -> DeployScreen:
    """Settle the checks, show the review, press its Deploy button: the dashboard opens."""
    await settle(pilot, app)
    pane = await show_step(pilot, app, "review")
    pane.query_one("#deploy", Button).press()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, DeployScreen)
    return screen


async def until(pilot: Any, condition: Any, timeout: float = 60.0, what: str = "") -> None:
    """Let the app run until `condition()` holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await pilot.pause(0.05)
    await pilot.pause(0.1)  # one more frame: the coalesced redraw


def labels_of(screen: DeployScreen, stage_id: str) -> list[str]:
    """The text of a stage's row and of the rows beneath it."""
    node = screen._stage_rows[stage_id]
    return [str(node.label), *[str(child.label) for child in node.children]]


def test_deploying_poc_standalone_turns_every_resource_green(snap_compare: Any, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Deploy from the review, watch it to the end, open a stage; the finished run's snapshot at 100x32
    (times shown as a fixed 0:07 and the run id fixed, so the picture is the same every run)."""
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    monkeypatch.setattr(labels, "clock", lambda seconds: "0:07")
    monkeypatch.setattr(launch, "new_run_id", lambda: "20261116-090000-snap")

    async def run_before(pilot: Any) -> None:
        app = pilot.app
        screen = await press_deploy(pilot, app)
        seen_running: set[str] = set()

        def finished() -> bool:
            seen_running.update(s.id for s in screen.progress.stages.values() if s.status == "running")
            return screen.progress.finished is not None

        await until(pilot, finished, what="the run to finish")
        progress = screen.progress
        assert progress.finished is not None and progress.finished.status == "succeeded"
        assert seen_running, "no stage was ever seen running"
        done, total = progress.counts()
        assert done == total > 50
        for stage in progress.stages.values():
            assert stage.status == "succeeded", stage.id
            assert all(r.state == "Succeeded" for r in stage.resources.values()), stage.id
            assert str(screen._stage_rows[stage.id].label).startswith("✓")
        # a stage opens to its resources with enter: each one green, with its portal link below
        tree = screen.query_one(StageTree)
        tree.focus()
        stage_id = "dev/prj001/63-cognitive-services"
        tree.move_cursor(screen._stage_rows[stage_id])
        await pilot.press("enter")
        await pilot.pause()
        rows = labels_of(screen, stage_id)[1:]
        resources = [row for row in rows if "Succeeded" in row]
        assert len(resources) == len(progress.stages[stage_id].resources)
        assert all(row.startswith("✓") for row in resources)
        assert any("open in the portal" in row for row in rows)
        summary = str(screen.query_one("#summary").render())
        assert "deployed in" in summary
        assert "aifactory report --preset poc-standalone --demo --run 20261116-090000-snap" in summary
        await pilot.press("l")  # the log (wall-clock times, stages in the order they happened to end) off
        await pilot.pause()

    assert snap_compare(deploy_app(tmp_path), run_before=run_before, terminal_size=(100, 32))


async def test_a_quota_fault_fails_one_project_stage_and_the_retry_key_recovers_it(tmp_path: Path) -> None:
    app = deploy_app(tmp_path, faults=[SEARCH_QUOTA])
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await press_deploy(pilot, app)
        await until(pilot, lambda: screen.progress.finished is not None, what="the first run to end")
        progress = screen.progress
        assert progress.finished is not None and progress.finished.status == "failed"
        failed = progress.failed()
        assert [s.info.kind for s in failed] == ["project_services"]
        stage = failed[0]
        assert stage.error_class == "quota" and stage.failure is not None
        assert "InsufficientQuota" in stage.failure.message
        # the failure shows inline, under its stage, with the cause and the fix
        rows = labels_of(screen, stage.id)
        assert rows[0].startswith("✗") and "cognitive-services  quota" in rows[0]
        cause = " ".join(row for row in rows[1:] if not row.startswith("→"))
        assert "InsufficientQuota" in cause
        fix = " ".join(row.strip() for row in rows[1:] if "Succeeded" not in row and "portal" not in row)
        assert "→ " + stage.failure.hint.split()[0] in fix and "r retry" in fix
        # the other branches went on: every stage not depending on the failed one succeeded
        held_back = {stage.id}
        for other in progress.stages.values():
            if held_back & set(other.info.depends_on):
                held_back.add(other.id)
        assert all(s.status == "succeeded" for s in progress.stages.values() if s.id not in held_back)
        assert {s.id for s in progress.stages.values() if s.status == "blocked"} <= held_back
        assert "r retries it" in str(screen.query_one("#summary").render())

        await pilot.press("f")  # the next failure is selected
        await pilot.press("r")
        await until(pilot, lambda: screen.progress.finished is not None and not screen.progress.failed(),
                    what="the retried run to end")
        assert screen.progress.finished is not None and screen.progress.finished.status == "succeeded"
        assert screen.progress.stages[stage.id].status == "succeeded"
        assert str(screen._stage_rows[stage.id].label).startswith("✓")


async def test_stopping_asks_whether_to_cancel_in_azure_or_leave_it_running(tmp_path: Path) -> None:
    app = deploy_app(tmp_path, speed=60.0)  # slow enough that the run is still going when the answer lands
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await press_deploy(pilot, app)
        await until(pilot, lambda: any(s.status == "running" for s in screen.progress.stages.values()),
                    what="a stage to start")
        await pilot.press("escape")  # not while it runs: the footer offers Stop instead
        assert app.screen is screen
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert isinstance(app.screen, InterruptScreen)
        await pilot.press("escape")  # keep watching: nothing stops
        await pilot.pause()
        assert app.screen is screen and screen.progress.finished is None
        await pilot.press("ctrl+c")
        await pilot.pause()
        await pilot.press("c")  # cancel in Azure
        await until(pilot, lambda: screen.progress.finished is not None, what="the canceled run to end")
        progress = screen.progress
        assert progress.finished is not None and progress.finished.status == "canceled"
        assert progress.stage_counts().get("canceled", 0) >= 1
        assert "canceled in Azure" in str(screen.query_one("#summary").render())
        journal = Path(progress.finished.journal).read_text(encoding="utf-8")
        assert '"status":"canceled"' in journal.replace(" ", "")
        await pilot.press("escape")  # the run ended: back to the review
        await pilot.pause()
        assert not isinstance(app.screen, DeployScreen)


def test_a_queued_resource_update_gives_way_to_a_newer_one_of_the_same_resource() -> None:
    def update(name: str, state: str) -> DeployScreen.RunEvent:
        return DeployScreen.RunEvent(ResourceProgress("dev/s", "Microsoft.KeyVault/vaults", name, state))

    assert update("kv1", "Running").can_replace(update("kv1", "Succeeded"))
    assert not update("kv1", "Running").can_replace(update("kv2", "Running"))
    finished = DeployScreen.RunEvent(StageFinished("dev/s", "succeeded"))
    assert not finished.can_replace(finished) and not update("kv1", "Running").can_replace(finished)


async def test_the_run_asks_before_registering_providers(tmp_path: Path) -> None:
    """The runner's consent callback (called from its threads) shows a question; y answers yes."""
    app = make_app(demo=False, sandbox_state=tmp_path / "sandbox.json")
    async with app.run_test(size=(80, 24)) as pilot:
        answers: list[bool] = []
        for key in ("y", "n"):
            thread = threading.Thread(target=lambda: answers.append(app._consent("sub-1", ["Microsoft.Search"])))
            thread.start()
            await until(pilot, lambda: isinstance(app.screen, ConsentScreen), what="the question")
            assert "Microsoft.Search" in str(app.screen.query_one(".question").render())
            await pilot.press(key)
            await until(pilot, lambda asking=thread: not asking.is_alive(), what="the answer")
        assert answers == [True, False]
