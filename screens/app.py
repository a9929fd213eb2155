"""The wizard App: it holds the draft and the live session, and decides what every message does.

Screens and widgets only post messages (a field was edited, a fix was asked for, a step was
chosen); this App applies edits through the draft (`try_set`), runs the offline rules at once,
and runs the live checks a change affects in a background thread worker, debounced and cancelled
when a newer change supersedes them. The UI never waits on Azure.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import Worker, WorkerState, get_current_worker

from screens.messages import (
    ApplyFix,
    ConfigReplaced,
    DeployRequested,
    ExportRequested,
    FieldEdited,
    LiveEvent,
    OpenDraft,
    QuotasRead,
    SessionFailed,
    SessionReady,
    SignInRequested,
    SubscriptionsLoaded,
)
from screens.start import BACKGROUND_DELAY, StartScreen

if TYPE_CHECKING:  # the start screen paints before these (pydantic, the model, the steps) load
    from textual.command import Provider

    from presets.store import PresetStore
    from screens.widgets.fields import ConfigField
    from screens.wizard_screen import WizardScreen
    from wizard.azure.choices import SubscriptionChoice
    from wizard.draft import Draft
    from wizard.live_state import LiveState
    from wizard.model import FactoryConfig
    from wizard.rules import OfflineRules

def _wizard_commands() -> type[Provider]:
    """The palette's provider, imported when the palette first opens (textual.command is slow to load)."""
    from screens.commands import WizardCommands

    return WizardCommands


REDRAW_INTERVAL = 1 / 30
"""Seconds between redraws of the wizard's state while events arrive (a frame at 30 fps)."""

DEBOUNCE = 0.35
"""Seconds of quiet after the last change before the live checks it affects run."""


class WizardApp(App[None]):
    """`aifactory` with no command: the Textual wizard."""

    CSS_PATH = Path(__file__).parent / "app.tcss"
    TITLE = "aifactory"
    COMMANDS = App.COMMANDS | {lambda: _wizard_commands()}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True,
                tooltip="Quit; asks first about a deployment still running, then about unsaved changes"),
        Binding("ctrl+s", "save", "Save", id="app.save", tooltip="Save the configuration as a preset"),
        Binding("ctrl+shift+s", "save_as", "Save as", id="app.save_as", show=False,
                tooltip="Save under another name"),
        Binding("ctrl+r", "recheck", "Recheck", id="app.recheck", tooltip="Run every live check again now"),
        Binding("ctrl+z", "undo", "Undo", id="app.undo", show=False, tooltip="Undo the last change"),
        Binding("question_mark", "show_keys", "Keys", id="app.keys", tooltip="Show or hide every key"),
    ]

    def __init__(self, *, demo: bool, draft: Draft | None = None, store: PresetStore | None = None,
                 sandbox_state: Path | None = None, faults: Any = None) -> None:
        super().__init__()
        if self.no_color:
            from textual.filter import Monochrome

            from screens.no_color import ReadableMonochrome

            self._filters = [ReadableMonochrome() if isinstance(f, Monochrome) else f for f in self._filters]
        self.demo = demo
        self.faults = faults
        """The demo sandbox's FaultPlan (`aifactory --demo --fault ...`), or None."""
        self.draft = draft
        self._store = store
        self.sandbox_state = sandbox_state
        self.live_state: LiveState = None  # type: ignore[assignment]  # set when a draft opens
        self.offline_rules: OfflineRules = None  # type: ignore[assignment]  # set when a draft opens
        self.live: Any = None
        """The LiveSession once open (sandbox in demo mode, Azure after sign-in)."""
        self.session_status = "demo: opening the sandbox…" if demo else "not signed in: live checks start after sign-in"
        self._pending: set[tuple[str, str]] = set()
        self._in_flight: set[tuple[str, str]] = set()
        """Cells of the live run in progress (not `_running`: Textual's App uses that name)."""
        self._cancel: threading.Event | None = None
        self._run = 0
        self._debounce: Timer | None = None
        self._redraw_pending = False
        self._last_redraw = 0.0
        self._redraw_timer: Timer | None = None
        self.subscriptions: list[SubscriptionChoice] | None = None
        """What the session can see, read once per session for the subscription pickers (None: not yet)."""
        self.subscriptions_problem = ""
        """Why `subscriptions` is missing: not signed in, still reading, a failed read."""

    @cached_property
    def store(self) -> PresetStore:
        """The presets (built-in and the person's own)."""
        from presets.store import PresetStore

        return self._store or PresetStore()

    # ------------------------------------------------------------------ start

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that act on a configuration are hidden until one is open (the start screen shows
        only what it can do), and on the deployment dashboard, where they do nothing."""
        if action not in ("save", "save_as", "recheck", "undo"):
            return True
        return self.draft is not None and not any(type(s).__name__ == "DeployScreen" for s in self.screen_stack)

    def get_default_screen(self) -> Screen[Any]:
        """The start screen is the first screen itself (no blank screen painted before it)."""
        return StartScreen(self._store.user_dir if self._store else None)

    def on_mount(self) -> None:
        if self.draft is not None:
            self.open_draft(self.draft)
        if self.demo:
            self.set_timer(BACKGROUND_DELAY, self.open_session)  # after the first frame: it imports the SDK

    def on_app_focus(self) -> None:
        """In a browser (`aifactory serve`) the app starts blurred, so the first screen never took its
        AUTO_FOCUS and Textual has nothing to give focus back to: give it now, or no key would land."""
        screen = self.screen
        selector = screen.AUTO_FOCUS or self.AUTO_FOCUS
        if screen.focused is None and selector:
            focusable = [widget for widget in screen.query(selector) if widget.focusable]
            if focusable:
                screen.set_focus(focusable[0], scroll_visible=False, from_app_focus=True)

    def on_open_draft(self, message: OpenDraft) -> None:
        self.open_draft(message.draft)

    def open_draft(self, draft: Draft) -> None:
        """Show the wizard on `draft`, run the offline rules, and the live checks if a session is open."""
        from screens.wizard_screen import WizardScreen
        from wizard.live_state import LiveState
        from wizard.rules import OfflineRules

        self.draft = draft
        self.live_state = LiveState()
        self.offline_rules = OfflineRules(draft.config)
        self.live_state.set_offline(self.offline_rules.findings)
        screen = WizardScreen(draft, demo=self.demo)
        if self.wizard is not None:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        for note in draft.notes:
            self.notify(note, title="opened", markup=False, timeout=6)
        if self.live is not None:
            self.schedule_live(self.all_cells(), now=True)

    @property
    def wizard(self) -> WizardScreen | None:
        """The wizard screen, once a draft is open."""
        for screen in self.screen_stack:
            if type(screen).__name__ == "WizardScreen":
                return screen  # type: ignore[return-value]
        return None

    # ------------------------------------------------------------------ session

    @work(thread=True, exclusive=True, group="session", exit_on_error=False, description="opening the session")
    def open_session(self, device_code: bool = False) -> None:
        """Open the sandbox (demo) or sign in to Azure, in the background."""
        from wizard.azure.run import LiveRunError, open_session

        try:
            live = open_session(demo=self.demo, device_code=device_code, choose_tenant=self._choose_tenant,
                                sandbox_state=self.sandbox_state, faults=self.faults)
        except LiveRunError as exc:
            self.post_message(SessionFailed(exc.message, exc.hint))
            return
        self.live = live
        self.post_message(SessionReady(live.account, live.tenant_id, live.demo))

    def _choose_tenant(self, tenants: list[Any]) -> str | None:
        """Asked from the session worker: show the tenant picker and wait for the answer."""
        from screens.modals import TenantScreen

        answer: list[str | None] = [None]
        done = threading.Event()

        def chosen(value: str | None) -> None:
            answer[0] = value
            done.set()

        self.call_from_thread(self.push_screen, TenantScreen([(t.tenant_id, t.display_name) for t in tenants]),
                              chosen)
        done.wait()
        return answer[0]

    def on_session_ready(self, message: SessionReady) -> None:
        who = message.account or "signed in"
        self.session_status = (f"demo: {who} in the demo tenant {message.tenant_id}" if message.demo
                               else f"signed in as {who} in tenant {message.tenant_id}")
        self._status_everywhere()
        self.load_subscriptions()
        if self.draft is not None and self.wizard is not None:
            self.schedule_live(self.all_cells(), now=True)

    @work(thread=True, exclusive=True, group="subscriptions", exit_on_error=False,
          description="listing the subscriptions")
    def load_subscriptions(self) -> None:
        """Read the subscriptions the session can see, for the pickers (cached by the session)."""
        from azure.core.exceptions import AzureError

        from wizard.azure.choices import list_subscriptions

        if self.live is None:
            return
        if self.subscriptions is None:
            self.post_message(SubscriptionsLoaded(None, "reading the subscriptions this sign-in can see…"))
        try:
            choices = list_subscriptions(self.live.session)
        except AzureError as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            self.post_message(SubscriptionsLoaded(None, f"could not list the subscriptions ({first}); "
                                                        "paste an id instead"))
            return
        self.post_message(SubscriptionsLoaded(choices))

    def on_subscriptions_loaded(self, message: SubscriptionsLoaded) -> None:
        from screens.pickers import SubscriptionPicker

        self.subscriptions, self.subscriptions_problem = message.choices, message.problem
        for screen in self.screen_stack:
            if isinstance(screen, SubscriptionPicker):
                screen.show_choices(message.choices, message.problem)
        wizard = self.wizard
        if wizard is not None:
            wizard.pane("environments").show_subscriptions(message.choices)  # type: ignore[attr-defined]

    def on_session_failed(self, message: SessionFailed) -> None:
        self.session_status = f"not signed in: {message.message}"
        self._status_everywhere()
        self.notify(f"{message.message}\n{message.hint}", title="sign-in", severity="error", markup=False, timeout=10)

    def on_sign_in_requested(self, message: SignInRequested) -> None:
        self.session_status = "signing in…"
        self._status_everywhere()
        self.open_session(message.device_code)

    def _status_everywhere(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, StartScreen):
                screen.set_status(self.session_status)
        wizard = self.wizard
        if wizard is not None and not self.demo:
            wizard.pane("signin").set_status(self.session_status)  # type: ignore[attr-defined]
        self.refresh_wizard()

    # ------------------------------------------------------------------ edits

    def on_field_edited(self, message: FieldEdited) -> None:
        message.stop()
        if self.draft is None:
            return
        old = self.draft.config
        edit = self.draft.edit(message.path, message.raw)
        if edit.ok:
            self.config_changed(old, self.draft.config, typed=message.typed)  # the reads start first
        field = self._field(message.path)
        if field is None:
            return
        if not edit.ok:
            field.show_problems(edit.problems)
            field.add_class("-refused")
            field.revert_choice()
        elif field.has_class("-refused"):
            field.remove_class("-refused")
            field.show_problems([])

    def on_config_replaced(self, message: ConfigReplaced) -> None:
        message.stop()
        if self.draft is None:
            return
        old = self.draft.replace(message.config)
        if message.reason:
            self.notify(message.reason, markup=False)
        self.config_changed(old, message.config)

    def _field(self, path: str) -> ConfigField | None:
        wizard = self.wizard
        return wizard.field(path) if wizard is not None else None

    def config_changed(self, old: FactoryConfig, new: FactoryConfig, *, typed: bool = False) -> None:
        """Refresh every step, re-run the offline rules now and the affected live checks: at once
        for a choice, after a pause for typing (`typed`)."""
        if old == new:
            return
        from wizard.azure.preflight import affected_cells
        from wizard.model import ENV_NAMES

        for env in ENV_NAMES:
            if not new.environments.get(env).enabled:
                self.live_state.forget_environment(env)
        # the reads first: they then wait on Azure while the rules and the screen are redone
        self.schedule_live(self._enabled_cells(affected_cells(old, new), new), now=not typed)
        wizard = self.wizard
        if wizard is not None:
            wizard.show_config(new)
        self.live_state.set_offline(self.offline_rules.update(new))
        self.refresh_wizard()

    def action_undo(self) -> None:
        if self.draft is None:
            return
        undone = self.draft.undo()
        if undone is None:
            self.notify("nothing to undo")
            return
        self.config_changed(undone, self.draft.config)

    # ------------------------------------------------------------------ fixes

    def on_apply_fix(self, message: ApplyFix) -> None:
        from wizard.findings import OpenLink, RegisterProvider, RunCommand, SetField

        message.stop()
        fix = message.finding.fix
        done = message.done
        if isinstance(fix, SetField):
            self.post_message(FieldEdited(fix.field, fix.value))
            self.notify(f"{fix.describe()}", title="applied", markup=False)
        elif isinstance(fix, RegisterProvider):
            self.register_provider(fix.subscription_id, fix.namespace, done)
            return  # `done` once Azure was asked
        elif isinstance(fix, RunCommand):
            self.copy_to_clipboard(fix.command)
            self.notify(fix.command, title="copied to the clipboard", markup=False, timeout=8)
        elif isinstance(fix, OpenLink):
            self.open_url(fix.url)
            self.notify(fix.url, title="opened", markup=False)
        if done is not None:
            self.call_later(done)  # after the edit posted above

    @work(thread=True, group="register", exit_on_error=False, description="registering a provider")
    def register_provider(self, subscription_id: str, namespace: str,
                          done: Callable[[], None] | None = None) -> None:
        """Ask Azure to register a provider (the person pressed Register), then re-check (and `done`)."""
        from wizard.azure.run import register_providers

        if self.live is None:
            return
        notes = register_providers(self.live, {subscription_id: [namespace]})
        for note in notes:
            self.call_from_thread(self.notify, note, markup=False)
        self.call_from_thread(self.schedule_live, self.all_cells(), True)
        if done is not None:
            self.call_from_thread(done)

    # ------------------------------------------------------------------ live checks

    def all_cells(self) -> set[tuple[str, str]]:
        """Every live cell of the draft's enabled environments."""
        from wizard.azure.checks import REGISTRY

        if self.draft is None:
            return set()
        envs = [name for name, _ in self.draft.config.environments.enabled()]
        return {(check, env) for check in REGISTRY for env in envs}

    @staticmethod
    def _enabled_cells(cells: set[tuple[str, str]], config: FactoryConfig) -> set[tuple[str, str]]:
        enabled = {name for name, _ in config.environments.enabled()}
        return {cell for cell in cells if cell[1] in enabled}

    def schedule_live(self, cells: set[tuple[str, str]], now: bool = False) -> None:
        """Mark `cells` as checking and run them after a quiet moment (at once with `now`)."""
        if not cells or self.draft is None:
            return
        self._pending |= cells
        if self.live is None:
            return  # they run once the session opens
        self.live_state.checking(cells)
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        if now:
            self._start_live()
        else:
            self._debounce = self.set_timer(DEBOUNCE, self._start_live)
        self.refresh_wizard()

    def _start_live(self) -> None:
        if self.draft is None or self.live is None:
            return
        if self._cancel is not None:
            self._cancel.set()  # supersede the run in flight; its unfinished cells run again
            self._pending |= {c for c in self._in_flight if self.live_state.cells.get(c) == "checking"}
        cells = self._enabled_cells(self._pending, self.draft.config)
        self._pending = set()
        if not cells:
            return
        self._run += 1
        self._in_flight = cells
        self._cancel = threading.Event()
        self.live_state.checking(cells)
        self.run_live(self.draft.config, cells, self._cancel, self._run)

    @work(thread=True, exclusive=True, group="live", exit_on_error=False, description="live checks")
    def run_live(self, config: FactoryConfig, cells: set[tuple[str, str]], cancel: threading.Event,
                 run: int) -> None:
        """The affected cells' checks, reported event by event; stops when superseded."""
        worker = get_current_worker()
        for event in self.live.preflight(config, cells=cells, rules=False, cancel=cancel):
            if worker.is_cancelled:
                cancel.set()
            self.post_message(LiveEvent(event, run))

    def on_live_event(self, message: LiveEvent) -> None:
        if message.run != self._run:
            return  # a superseded run: its cells are being checked again
        from wizard.events import PreflightFinished

        event = message.event
        self.live_state.apply(event)
        if isinstance(event, PreflightFinished) and not event.cancelled and self.draft is not None:
            self.read_quotas(self.draft.config)
        self.refresh_wizard(now=isinstance(event, PreflightFinished))  # a run's end: nothing left to pace

    @work(thread=True, exclusive=True, group="quota", exit_on_error=False, description="reading quotas")
    def read_quotas(self, config: FactoryConfig) -> None:
        """The usages behind the SKU step's bars; the checks just read them, so these are cache hits."""
        from wizard.azure.quota import read_quotas

        if self.live is None:
            return
        cancel = threading.Event()
        readings = read_quotas(self.live, config, cancel)
        if get_current_worker().is_cancelled:
            return
        self.post_message(QuotasRead(readings))

    def on_quotas_read(self, message: QuotasRead) -> None:
        if self.live_state is None:
            return
        self.live_state.quotas = dict(message.readings)
        self.refresh_wizard()

    def action_recheck(self) -> None:
        """Forget cached reads and run every live check again."""
        if self.live is None:
            self.notify("the live checks start once the session is open", markup=False)
            return
        self.live.clear_cache()
        self.load_subscriptions()
        self.schedule_live(self.all_cells(), now=True)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """One place that shows any background failure, never a crash."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            from wizard.errors import UserError

            error = event.worker.error
            text = str(error) if isinstance(error, UserError) else f"{type(error).__name__}: {error}"
            self.notify(text, title=event.worker.description or "background task", severity="error",
                        markup=False, timeout=10)

    def refresh_wizard(self, now: bool = False) -> None:
        """Redraw the wizard's marks, findings and grid soon: a burst of events (a preflight
        reports dozens of cells within milliseconds) costs one redraw per frame, not one each.

        The first change after a quiet frame is drawn at once (after the messages already queued),
        so the last cell of a run is not held back by a timer; only a burst waits for the frame.
        """
        if self._redraw_pending and not now:
            return
        if self._redraw_timer is not None:
            self._redraw_timer.stop()
            self._redraw_timer = None
        self._redraw_pending = True
        wait = 0.0 if now else self._last_redraw + REDRAW_INTERVAL - time.monotonic()
        if wait <= 0:
            self.call_later(self._redraw)
        else:
            self._redraw_timer = self.set_timer(wait, self._redraw)

    def _redraw(self) -> None:
        self._redraw_pending = False
        self._redraw_timer = None
        self._last_redraw = time.monotonic()
        wizard = self.wizard
        if wizard is None or not wizard.ready or self._exit:
            return
        note = "" if self.live is not None else self.session_status
        wizard.refresh_all(self.live_state, live=self.live is not None, note=note)

    # ------------------------------------------------------------------ save, export, quit

    def action_save(self) -> None:
        if self.draft is None:
            return
        if not self.draft.name:
            self.action_save_as()
            return
        self.save_as(self.draft.name)

    def action_save_as(self) -> None:
        from screens.modals import TextQuestion

        if self.draft is None:
            return
        def answered(name: str | None) -> None:
            if name:
                self.save_as(name)

        self.push_screen(TextQuestion("Save as which preset name?", self.draft.name,
                                      placeholder="my-customer-poc", check=self.store.name_problem), answered)

    def save_as(self, name: str) -> bool:
        """Save the draft as the user preset `name`; False (and a message) when it cannot be."""
        if self.draft is None:
            return False
        from wizard.errors import UserError

        try:
            path, backup, notes = self.store.save(name, self.draft.config, extends=self.draft.extends,
                                                  overwrite=True)
        except (UserError, OSError) as exc:
            self.notify(str(exc), title="not saved", severity="error", markup=False, timeout=10)
            return False
        self.draft.mark_saved(name, path)
        kept = f" (previous version kept as {backup.name})" if backup else ""
        self.notify(f"saved {name} to {path}{kept}", markup=False)
        for note in notes:
            self.notify(note, markup=False)
        self.refresh_wizard()
        return True

    def on_export_requested(self, message: ExportRequested) -> None:
        from screens.modals import TextQuestion

        message.stop()
        if message.fmt == "preset":
            self.action_save()
            return
        if message.fmt == "report":
            self.ask_report_path(message.run_id, message.written)
            return
        default = ".env" if message.fmt == "env" else "variables.yaml"

        def answered(path: str | None) -> None:
            if path:
                self.export(message.fmt, Path(path).expanduser())

        self.push_screen(TextQuestion(f"Write the AI Factory's {default} to which file?", default), answered)

    def export(self, fmt: str, path: Path) -> bool:
        """Write the draft as the AI Factory's `.env` (`env`) or `variables.yaml` (`ado`)."""
        if self.draft is None:
            return False
        from wizard.atomic_file import atomic_write
        from wizard.errors import UserError
        from wizard.interop import export_ado, export_env

        try:
            result = (export_env if fmt == "env" else export_ado)(self.draft.config, None)
            backup = atomic_write(path, result.text)
        except (UserError, OSError) as exc:
            self.notify(str(exc), title="not exported", severity="error", markup=False, timeout=10)
            return False
        kept = f" (previous version kept as {backup.name})" if backup else ""
        self.notify(f"wrote {path}{kept}", title="exported", markup=False)
        for note in result.notes[:3]:
            self.notify(_toast(note, path), markup=False, timeout=8)
        return True

    def ask_report_path(self, run_id: str | None = None, written: Callable[[Path], None] | None = None) -> None:
        """Ask where to write the handover report (of the run `run_id`, else the configuration's
        latest): next to the preset's file, or here; `written` is told the file once it is."""
        from screens.modals import TextQuestion

        if self.draft is None:
            return
        from wizard.errors import UserError
        from wizard.handover import format_for

        stem = self.draft.name or (self.draft.extends or "aifactory")
        folder = self.draft.path.parent if self.draft.path is not None else Path.cwd()
        default = folder / f"{self.draft.path.stem if self.draft.path else stem}-handover.html"

        def problem(answer: str) -> str | None:
            try:
                format_for(answer)
            except UserError as exc:
                return str(exc)
            return None

        def answered(path: str | None) -> None:
            if path:
                self.write_report(Path(path).expanduser(), run_id, written)

        self.push_screen(TextQuestion("Write the handover report to which file (.html or .md)?", str(default),
                                      check=problem), answered)

    def write_report(self, path: Path, run_id: str | None = None,
                     written: Callable[[Path], None] | None = None) -> None:
        """Take what the wizard knows now (on the UI thread), then build and write the report in
        the background: reading the live VNets and the journal may take a moment."""
        if self.draft is None:
            return
        from screens.steps.review import ReviewStep
        from wizard import handover

        by: handover.CheckedBy | None = None if self.live is None else "demo" if self.demo else "azure"
        checks = handover.checks_from_state(self.live_state, self.draft.config, by)
        review = self.wizard.pane("review") if self.wizard is not None else None
        assumptions = review.cost_assumptions() if isinstance(review, ReviewStep) else None
        name = self.config_name()
        self._write_report(path, name, self.draft.config, checks, assumptions, run_id, written)

    @work(thread=True, group="report", exit_on_error=False, description="writing the handover report")
    def _write_report(self, path: Path, name: str, config: FactoryConfig, checks: Any, assumptions: Any,
                      run_id: str | None, written: Callable[[Path], None] | None) -> None:
        """What `aifactory report ... [--run RUN_ID]` writes (`report_run` may raise RunNotFound, a
        UserError the App shows)."""
        from datetime import datetime

        from deploy.run_report import report_run
        from wizard import handover
        from wizard.atomic_file import atomic_write

        live = self.live
        vnets, notes = live.live_vnets(config) if live is not None else ({}, [])
        if notes:
            checks = handover.Checks(checks.by, checks.findings, checks.grid, checks.columns, tuple(notes))
        estimate, problem = handover.estimate_for(config, assumptions)
        run = report_run(name, run_id, demo=self.demo)
        inputs = handover.ReportInputs(name, config, checks, datetime.now().astimezone(), estimate, problem, vnets,
                                       run)
        try:
            text = handover.render(handover.build(inputs), handover.format_for(str(path)))
            backup = atomic_write(path, text)
        except OSError as exc:
            self.call_from_thread(self.notify, f"cannot write {path}: {exc.strerror or exc}", title="no report",
                                  severity="error", markup=False, timeout=10)
            return
        kept = f" (previous version kept as {backup.name})" if backup else ""
        self.call_from_thread(self.notify, f"wrote {path}{kept}", title="handover report", markup=False)
        if written is not None:
            self.call_from_thread(written, path)

    async def action_quit(self) -> None:
        """A deployment still running is asked about first (cancel it in Azure, leave it running, or
        keep watching), then unsaved changes."""
        dashboard: Any = next((s for s in self.screen_stack if type(s).__name__ == "DeployScreen"), None)
        if dashboard is None or not dashboard.running:
            self._quit_unless_unsaved()
            return
        from screens.dashboard.questions import InterruptScreen

        def answered(answer: str | None) -> None:
            if answer in ("cancel", "leave"):
                dashboard.stop(answer == "cancel", then=self._quit_unless_unsaved)

        self.push_screen(InterruptScreen(), answered)

    def _quit_unless_unsaved(self) -> None:
        """Quit, asking first when the draft has unsaved changes."""
        from screens.modals import QuitScreen

        if self.draft is None or not self.draft.dirty or self.wizard is None:
            self.exit()
            return

        def answered(answer: str | None) -> None:
            if answer == "quit" or (answer == "save" and self.draft is not None and self.draft.name
                                    and self.save_as(self.draft.name)):
                self.exit()
            elif answer == "save":
                self.action_save_as()

        self.push_screen(QuitScreen(self.draft.name), answered)

    # ------------------------------------------------------------------ deploy

    def config_name(self) -> str:
        """The name runs of the draft are journalled under, and its report looks them up by."""
        if self.draft is None:
            return ""
        return self.draft.name or self.draft.extends or "new configuration"

    def on_deploy_requested(self, message: DeployRequested) -> None:
        """Open the dashboard on a new run of the draft (in the session the checks use)."""
        message.stop()
        if self.draft is None:
            return
        if self.live is None:
            self.notify("deploying needs the session: sign in first (or wait for the demo sandbox to open)",
                        title="not deployed", severity="warning", markup=False)
            return
        from screens.dashboard.screen import DeployScreen
        from screens.modals import DeployConfirm

        live, config = self.live, self.draft.config
        name = self.config_name()

        def start() -> Any:
            """In the dashboard's worker: plan, preflight, open the journal (nothing submitted yet)."""
            from deploy.launch import start_run

            return start_run(config, live, consent=self._consent, config_name=name)

        source = f"--preset {self.draft.name or self.draft.extends}" if self.draft.name or self.draft.extends else ""
        report = f"aifactory report {source}{' --demo' if self.demo else ''}" if source else ""

        def answered(deploy: bool | None) -> None:
            if deploy:
                self.push_screen(DeployScreen(start, name=name, demo=self.demo, report=report))

        self.push_screen(DeployConfirm(self._deploy_summary(config, name),
                                       sum(f.severity == "error" for f in self.live_state.findings)), answered)

    def _deploy_summary(self, config: FactoryConfig, name: str) -> str:
        """What a yes would deploy, and where: stages and resources per environment and subscription."""
        from deploy.plan import build_plan

        target = "the demo sandbox (nothing reaches Azure)" if self.demo else "Azure"
        try:
            plan = build_plan(config)
        except Exception as exc:  # the preflight will say why in the dashboard; the question still stands
            return f"Deploy {name} to {target}? (the plan could not be built here: {exc})"
        lines = [f"Deploy {name} to {target}?"]
        for env, _ in config.environments.enabled():
            stages = plan.for_environment(env)
            if stages:
                resources = sum(len(s.resources) for s in stages)
                lines.append(f"  {env}: {len(stages)} deployments, {resources} resources in subscription "
                             f"{stages[0].scope.subscription_id}")
        return "\n".join(lines)

    def _consent(self, subscription_id: str, namespaces: list[str]) -> bool:
        """Asked from the run's threads: may these providers be registered? (a modal answers)"""
        from screens.dashboard.questions import ConsentScreen

        answer = [False]
        done = threading.Event()

        def answered(value: bool | None) -> None:
            answer[0] = bool(value)
            done.set()

        self.call_from_thread(self.push_screen, ConsentScreen(subscription_id, namespaces), answered)
        done.wait()
        return answer[0]

    def action_show_keys(self) -> None:
        """`?` opens the keys panel and closes it again (Textual's own action only opens it)."""
        from textual.widgets import HelpPanel

        if self.screen.query(HelpPanel):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def on_unmount(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
        if self.live is not None:
            self.live.close()


def _toast(note: str, path: Path) -> str:
    """An export note for a notification: its sentence, and where the lines it lists are written
    (a note's command lines, one per variable and stage, would fill the screen as a toast)."""
    sentence, *lines = note.split("\n")
    if not lines:
        return sentence
    return f"{sentence.rstrip(':')}: the {len(lines)} lines are in the comment block of {path.name}"


def make_app(*, demo: bool = False, draft: Draft | None = None, store: PresetStore | None = None,
             sandbox_state: Path | None = None, faults: Any = None) -> WizardApp:
    """The one factory of the wizard, used by the CLI and the tests (`faults`: the demo sandbox's
    FaultPlan)."""
    return WizardApp(demo=demo, draft=draft, store=store, sandbox_state=sandbox_state, faults=faults)
