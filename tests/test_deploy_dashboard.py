"""The deployment dashboard through Pilot: Deploy on the review step runs the real runner against the
in-process sandbox (at a high demo speed), and the screen shows what it does."""

from __future__ import annotations

import asyncio
import threading
import webbrowser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from textual.widgets import Button, Input, RichLog
from wizard_pilot import settle, show_step

from deploy import launch
from deploy.journal import load_run, runs_dir
from presets.store import PresetStore
from sandbox.faults import parse_faults
from screens.app import WizardApp, make_app
from screens.dashboard import labels
from screens.dashboard.questions import ConsentScreen, InterruptScreen
from screens.dashboard.screen import DeployScreen, StageTree
from screens.modals import DeployConfirm, QuitScreen, TextQuestion
from wizard import handover
from wizard.azure.demo import open_sandbox
from wizard.cli import cli as cli_main
from wizard.draft import Draft
from wizard.events import ResourceProgress, StageFinished
from wizard.findings import OpenLink, RegisterProvider, RunCommand, SetField

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
    assert isinstance(app.screen, DeployConfirm)  # nothing is submitted before a yes
    await pilot.press("y")
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


async def test_the_end_of_a_run_writes_its_handover_report_as_aifactory_report_does(tmp_path: Path) -> None:
    """h (or the summary's button) asks where, writes the report of this run in the background and
    says where; its Deployment section is the one `aifactory report --run <this run>` writes."""
    app = deploy_app(tmp_path)
    out = tmp_path / "handover.html"
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await press_deploy(pilot, app)
        assert not screen.check_action("handover", ())  # nothing to report before the run ends
        await until(pilot, lambda: screen.progress.finished is not None, what="the run to end")
        assert screen.run is not None and screen.check_action("handover", ())
        run_id = screen.run.id
        button = screen.query_one("#handover", Button)
        assert button.display and "Handover report" in str(button.label)
        await pilot.click("#handover")
        await pilot.pause()
        question = app.screen
        assert isinstance(question, TextQuestion)
        assert question.query_one(Input).value.endswith("-handover.html")
        await pilot.press("escape")  # no answer: nothing written
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, TextQuestion)
        app.screen.query_one(Input).value = str(out)
        await pilot.press("enter")
        await until(pilot, lambda: screen.written != "", what="the report to be written")
        assert app.screen is screen and screen.written == str(out)
        assert f"handover report: wrote {out}" in str(screen.query_one("#summary").render())
        log = "".join(line.text for line in screen.query_one("#log", RichLog).lines)  # wrapped at spaces
        assert f"handover report of run {run_id}: wrote {out}".replace(" ", "") in log.replace(" ", "")
    html = out.read_text(encoding="utf-8")
    for section_id, _ in handover.SECTIONS:
        assert f'<section id="{section_id}">' in html
    assert run_id in html
    cli = tmp_path / "cli.html"
    result = CliRunner().invoke(cli_main, ["report", "--preset", "poc-standalone", "--demo", "--run", run_id,
                                           "-o", str(cli)])
    assert result.exit_code == 0, result.output
    assert section(html, "deployment") == section(cli.read_text(encoding="utf-8"), "deployment")


def section(html: str, section_id: str) -> str:
    """One section of a rendered report."""
    start = html.index(f'<section id="{section_id}">')
    return html[start:html.index("</section>", start)]


async def test_ctrl_q_while_a_run_goes_asks_to_cancel_or_leave_it_then_about_unsaved_changes(tmp_path: Path) -> None:
    """Ctrl+Q asks the dashboard's question: keep watching goes on; cancel waits until Azure canceled
    (the journal says canceled), then asks about the unsaved draft (a new one from a built-in), then quits."""
    app = deploy_app(tmp_path, speed=60.0)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await press_deploy(pilot, app)
        await until(pilot, lambda: any(s.status == "running" for s in screen.progress.stages.values()),
                    what="a stage to start")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, InterruptScreen)
        await pilot.press("escape")  # keep watching: still running, still here
        await pilot.pause()
        assert app.screen is screen and screen.progress.finished is None and app.is_running
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, QuitScreen),
                    what="the unsaved changes question once Azure canceled")
        assert screen.progress.finished is not None and app.is_running
        await pilot.press("q")  # quit anyway
        await until(pilot, lambda: not app.is_running, what="the app to quit")
    finished = screen.progress.finished
    assert finished is not None and finished.status == "canceled"
    assert load_run(Path(finished.journal)).status == "canceled"


async def test_ctrl_q_leave_running_then_the_unsaved_changes_question(tmp_path: Path) -> None:
    app = deploy_app(tmp_path, speed=60.0)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await press_deploy(pilot, app)
        await until(pilot, lambda: screen.run is not None and screen.progress.stages != {}, what="the run to start")
        assert app.draft is not None and app.draft.dirty  # a new draft from a built-in, never saved
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("l")  # leave it running
        await pilot.pause()
        assert isinstance(app.screen, QuitScreen)  # then the unsaved changes
        await pilot.press("q")
        await until(pilot, lambda: not app.is_running, what="the app to quit")
    assert screen.run is not None
    record = load_run(runs_dir() / f"{screen.run.id}.jsonl")
    assert record.status == "interrupted"


@pytest.mark.parametrize("fault", ["fail=Microsoft.KeyVault/vaults:VaultAlreadyExists:1", SEARCH_QUOTA])
async def test_a_applies_the_fix_of_a_failure_copy_a_command_or_open_a_link(
        fault: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A soft-deleted vault's purge command is copied; a quota failure opens the quota page."""
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *args, **kwargs: opened.append(url))
    app = deploy_app(tmp_path, faults=[fault])
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await press_deploy(pilot, app)
        await until(pilot, lambda: screen.progress.finished is not None, what="the run to end")
        stage = screen.progress.failed()[0]
        fix = stage.failure.fix if stage.failure is not None else None
        assert ("a " + labels.FIX_VERBS[type(fix).__name__]) in " ".join(labels_of(screen, stage.id))
        tree = screen.query_one(StageTree)
        tree.focus()
        tree.move_cursor(screen._stage_rows[stage.id])
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        if "KeyVault" in fault:
            vault = next(r.name for r in stage.resources.values() if r.type == "Microsoft.KeyVault/vaults")
            assert isinstance(fix, RunCommand) and fix.command == f"az keyvault purge --name {vault}"
            assert app.clipboard == fix.command and not opened
        else:
            assert isinstance(fix, OpenLink) and opened == [fix.url] and "Quota" in fix.url


async def test_a_registers_a_declined_provider_and_retries_the_stage(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Microsoft.Search is unregistered once the preflight passed (someone did it meanwhile); the run
    asks, the person says no, the stage fails with the registration as its fix; a registers the
    provider in the session and retries the stage, which waits for Azure and succeeds."""
    app = deploy_app(tmp_path)
    start_run = launch.start_run

    def start_then_unregister(config: Any, session: Any, **kwargs: Any) -> Any:
        run = start_run(config, session, **kwargs)
        for sub in {s.scope.subscription_id for s in run.plan.stages}:
            session.session.resources(sub).providers.unregister("Microsoft.Search")
        return run

    monkeypatch.setattr(launch, "start_run", start_then_unregister)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await press_deploy(pilot, app)
        await until(pilot, lambda: isinstance(app.screen, ConsentScreen), what="the question")
        await pilot.press("n")
        await until(pilot, lambda: screen.progress.finished is not None, what="the run to end")
        stage = screen.progress.failed()[0]
        fix = stage.failure.fix if stage.failure is not None else None
        assert isinstance(fix, RegisterProvider) and fix.namespace == "Microsoft.Search"
        tree = screen.query_one(StageTree)
        tree.focus()
        tree.move_cursor(screen._stage_rows[stage.id])
        await pilot.pause()
        await pilot.press("a")
        await until(pilot, lambda: screen.progress.finished is not None and not screen.progress.failed(),
                    what="the retried stage to succeed")
        assert screen.progress.stages[stage.id].status == "succeeded"
        assert not isinstance(app.screen, ConsentScreen)  # registered by the fix: not asked again
        states = app.live.session.resources(fix.subscription_id).providers.get("Microsoft.Search")
        assert states.registration_state == "Registered"


async def test_a_sets_the_next_suffix_for_a_taken_name_and_d_deploys_the_changed_configuration(
        tmp_path: Path) -> None:
    """A project's AI Search name is taken: the fix is the next project resource suffix. a applies it
    to the draft as the review's Apply does; this run planned the old names, so d deploys the
    configuration again on a new dashboard, where it succeeds under the new names."""
    app = deploy_app(tmp_path, faults=["fail=Microsoft.Search/searchServices:ConflictError:1"])
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await press_deploy(pilot, app)
        await until(pilot, lambda: screen.progress.finished is not None, what="the run to end")
        stage = screen.progress.failed()[0]
        fix = stage.failure.fix if stage.failure is not None else None
        assert stage.error_class == "conflict" and isinstance(fix, SetField)
        assert stage.info.project == "001" and fix == SetField("naming.project_resource_suffix", "-002")
        assert "a sets it in the configuration" in " ".join(labels_of(screen, stage.id))
        assert not screen.check_action("deploy_again", ())
        tree = screen.query_one(StageTree)
        tree.focus()
        tree.move_cursor(screen._stage_rows[stage.id])
        await pilot.pause()
        await pilot.press("a")
        await until(pilot, lambda: screen.changed, what="the fix to be applied")
        assert app.draft is not None and getattr(app.draft.config.naming, fix.field.split(".")[1]) == "-002"
        log = "".join(line.text for line in screen.query_one("#log", RichLog).lines).replace(" ", "")
        assert f"applied:{fix.describe()}".replace(" ", "") in log and "ddeploysitagain" in log
        assert screen.check_action("deploy_again", ())
        old_names = {r.name for s in screen.progress.stages.values() for r in s.resources.values()}
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DeployConfirm), what="the question before deploying")
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, DeployScreen) and app.screen is not screen,
                    what="a new dashboard")
        again = app.screen
        assert isinstance(again, DeployScreen)
        await until(pilot, lambda: again.progress.finished is not None, what="the second run to end")
        assert again.progress.finished is not None and again.progress.finished.status == "succeeded"
        new_names = {r.name for s in again.progress.stages.values() for r in s.resources.values()}
        assert any(name.startswith("aisearchprj001") and name.endswith("002") for name in new_names - old_names)
        assert all(s.status in ("succeeded", "skipped") for s in again.progress.stages.values())


async def test_deploy_asks_first_and_not_now_submits_nothing(tmp_path: Path) -> None:
    app = deploy_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        pane = await show_step(pilot, app, "review")
        pane.query_one("#deploy", Button).press()
        await pilot.pause()
        question = app.screen
        assert isinstance(question, DeployConfirm)
        text = str(question.query_one(".question").render())
        assert "demo sandbox" in text and "dev:" in text and "resources" in text
        await pilot.press("enter")  # focus starts on "Not now": a stray enter deploys nothing
        await pilot.pause()
        assert not isinstance(app.screen, (DeployConfirm, DeployScreen))
        assert not list(runs_dir().glob("*.jsonl")), "a run was journalled without a yes"


async def test_after_deploying_the_factorys_own_names_are_not_taken(tmp_path: Path) -> None:
    """Re-checking after a deployment: the names it deployed are held by it, which is no error."""
    app = deploy_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await press_deploy(pilot, app)
        await until(pilot, lambda: screen.progress.finished is not None, what="the run to end")
        assert screen.progress.finished is not None and screen.progress.finished.status == "succeeded"
        await pilot.press("escape")
        await pilot.pause()
        app.action_recheck()
        await settle(pilot, app)
        names = [f for f in app.live_state.findings if f.check == "names"]
        assert names and all(f.severity == "info" and "already deployed by this factory" in f.message
                             for f in names), names
        assert app.live_state.cells[("names", "dev")] == "pass"
