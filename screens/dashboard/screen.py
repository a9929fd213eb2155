"""The deployment dashboard: lanes per environment, stages that open to their resources, the log.

A thread worker follows the run's blocking event stream and posts each event to this screen;
folding it into `RunProgress` costs a few dictionary updates, and the screen redraws at most
once a frame, only the stages that changed (and the header and lanes, which are a few lines).
`ResourceProgress` messages may replace each other while queued, so a burst of operation updates
collapses to the latest state of each resource instead of lagging behind the deployment.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, RichLog, Static, Tree
from textual.widgets.tree import TreeNode
from textual.worker import Worker, WorkerState, get_current_worker

from deploy.progress import RunProgress, StageView
from screens.dashboard import labels
from screens.dashboard.questions import InterruptScreen
from screens.messages import ApplyFix, DeployRequested, ExportRequested
from wizard.events import (
    DeployRefused,
    Event,
    ProviderRegistration,
    ResourceProgress,
    RunFinished,
    RunStarted,
    StageFinished,
    StageRetrying,
    StageStarted,
)

REDRAW_INTERVAL = 1 / 30
"""Seconds between redraws while events arrive (a frame at 30 fps)."""

TICK = 1.0
"""Seconds between redraws of the running clocks when no event arrives."""

LOG_LINES = 2000
"""The log pane keeps this many lines (the journal on disk keeps everything)."""


class Run(Protocol):
    """What the dashboard needs of a deployment run (`deploy.runner.Run`)."""

    id: str

    def events(self) -> Iterator[Event]:
        """The run's events, blocking; the last is RunFinished."""
        ...

    def retry(self, stage_id: str) -> None:
        """Submit a failed stage again."""
        ...

    def interrupt(self, *, cancel_in_azure: bool) -> None:
        """Stop: cancel the running deployments in Azure, or leave them running for a resume."""
        ...


@dataclass(frozen=True)
class NodeRef:
    """What a tree row shows: an environment, a stage, or one of a stage's resources."""

    kind: str
    """`env`, `stage`, `resource` or `note` (failure and portal lines)."""
    stage: str = ""
    environment: str = ""


class StageTree(Tree[NodeRef]):
    """The stages of every environment; enter or a click opens a stage to its resources."""

    DEFAULT_CSS = """
    StageTree { height: 1fr; padding: 0 1; background: $surface; scrollbar-size-vertical: 1; overflow-x: hidden; }
    """

    def process_label(self, label: str | Text) -> Text:  # type: ignore[override]
        """Labels are built as Text; a plain string is shown as it is, never parsed as markup."""
        return (Text(label) if isinstance(label, str) else label).split()[0]

    def get_label_width(self, node: TreeNode[NodeRef]) -> int:
        """Rows are cut to the tree's width (it never scrolls sideways), so their length will do:
        Tree measures every row's rendered width whenever a row opens or closes, which costs tens
        of milliseconds with a few thousand rows."""
        return len(node.label)


class DeployScreen(Screen[None]):
    """The dashboard of one deployment run."""

    DEFAULT_CSS = """
    DeployScreen #topbar { height: 1; background: $panel; padding: 0 1; }
    DeployScreen #title { width: 1fr; }
    DeployScreen #banner { width: auto; color: $warning; text-style: bold; }
    DeployScreen #overall, DeployScreen #lanes { padding: 0 1; height: auto; }
    DeployScreen #lanes { margin-bottom: 1; }
    DeployScreen.-narrow #lanes { margin-bottom: 0; }
    DeployScreen #summary { height: auto; max-height: 8; padding: 0 1; border-top: solid $primary; }
    DeployScreen #summary.-hidden, DeployScreen #actions.-hidden { display: none; }
    DeployScreen #actions { height: 1; padding: 0 1; }
    DeployScreen #actions Button { margin-right: 2; }
    DeployScreen #log {
        height: 7; border-top: solid $panel-lighten-2; padding: 0 1; scrollbar-size-vertical: 1; overflow-x: hidden;
    }
    DeployScreen #log.-hidden { display: none; }
    DeployScreen.-narrow #log { height: 4; }
    DeployScreen.-narrow #summary { max-height: 6; }
    """
    AUTO_FOCUS = "#stages"
    BINDINGS = [
        Binding("r", "retry", "Retry", id="deploy.retry", tooltip="Submit the selected failed stage again"),
        Binding("a", "apply_fix", "Fix", id="deploy.fix",
                tooltip="Do what the selected failure's fix says (set the field, register the provider, "
                        "copy the command, open the link)"),
        Binding("h", "handover", "Handover report", id="deploy.report",
                tooltip="Write the handover report of this run"),
        Binding("d", "deploy_again", "Deploy again", id="deploy.again",
                tooltip="Deploy the configuration as a fix changed it"),
        Binding("o", "open_portal", "Portal", id="deploy.open",
                tooltip="Open the selected stage's deployment in the Azure portal"),
        Binding("y", "copy_portal", "Copy link", id="deploy.copy", show=False,
                tooltip="Copy the selected stage's portal link"),
        Binding("l", "toggle_log", "Log", id="deploy.log", tooltip="Show or hide the log"),
        Binding("f", "next_failure", "Next failure", id="deploy.failure", show=False,
                tooltip="Select the next failed stage"),
        Binding("ctrl+c", "interrupt", "Stop", id="deploy.interrupt", priority=True,
                tooltip="Cancel the deployment in Azure, or leave it running for a resume"),
        Binding("q", "interrupt", "Stop", id="deploy.stop", show=False,
                tooltip="Cancel the deployment in Azure, or leave it running for a resume"),
        Binding("escape", "close", "Back", id="deploy.back", tooltip="Back to the review"),
    ]

    @dataclass
    class RunEvent(Message):
        """One event of the run, carried from the worker thread to the screen."""

        event: Event

        def can_replace(self, message: Message) -> bool:
            """A queued resource update gives way to a newer one of the same resource."""
            return (isinstance(message, DeployScreen.RunEvent) and isinstance(self.event, ResourceProgress)
                    and self.event.can_replace(message.event))

    def __init__(self, start: Callable[[], Run], *, name: str, demo: bool, report: str = "",
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.start = start
        """Starts the run; called in the worker thread (it may read Azure before it returns)."""
        self.deployment = name
        self.demo = demo
        self.report = report
        """`aifactory report ...` for this configuration, shown in the summary with the run's id."""
        self.progress = RunProgress(clock)
        self.run: Run | None = None
        self._stage_rows: dict[str, TreeNode[NodeRef]] = {}
        """Stage id -> its tree row."""
        self._env_rows: dict[str, TreeNode[NodeRef]] = {}
        self._dirty: set[str] = set()
        self._redraw_pending = False
        self._log_toggled = False
        """True once the person chose to show or hide the log (then it stays as they chose)."""
        self._shown: dict[str, Text] = {}
        """What each Static was last given (`_show` skips what is already there)."""
        self._remaining: float | None = None
        """Seconds the run should still take, as last worked out (`_tick`)."""
        self._keys_for: tuple[bool, ...] = ()
        """What the footer's keys were last worked out for (started, running, any failed)."""
        self.start_error = ""
        """Why the run could not start, when it could not."""
        self.written = ""
        """Where the handover report of this run was written, once it was."""
        self.changed = False
        """A fix changed the configuration after this run planned it (`d` deploys it again)."""
        self._then: Callable[[], None] | None = None
        """Called once the run ends (a quit waiting for a cancel in Azure to finish)."""

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static(labels.header(self.progress, self.deployment, None), id="title")
            if self.demo:
                yield Static("DEMO: nothing is deployed to Azure", id="banner")
        yield Static("", id="overall")
        yield Static("", id="lanes")
        tree = StageTree(Text(self.deployment), id="stages")
        tree.show_root = False
        tree.guide_depth = 2
        yield tree
        yield Static("", id="summary", classes="-hidden")
        with Horizontal(id="actions", classes="-hidden"):
            yield Button("Handover report (h)", id="handover", compact=True, variant="primary")
        yield RichLog(id="log", max_lines=LOG_LINES, wrap=True, markup=False, highlight=False)
        yield Footer()

    def on_mount(self) -> None:
        self._fit(self.size.width)
        self.set_interval(TICK, self._tick)
        self._follow()

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)
        self._dirty |= set(self.progress.stages)
        self._schedule()

    def _fit(self, width: int) -> None:
        self.set_class(width < 100, "-narrow")
        banner = self.query("#banner")
        if banner:
            banner.first(Static).update("DEMO" if width < 100 else "DEMO: nothing is deployed to Azure")

    @property
    def _width(self) -> int:
        """Cells a stage or resource row may use: the width less the tree's padding, scrollbar and
        the guides before a row (two levels of two cells)."""
        return max(40, self.size.width - 8)

    # ------------------------------------------------------------------ the run

    @work(thread=True, exclusive=True, exit_on_error=False, group="deploy", description="deployment")
    def _follow(self) -> None:
        """Start the run (when not yet started) and pass its events to the screen until it ends."""
        worker = get_current_worker()
        if self.run is None:
            run = self.start()
            if worker.is_cancelled:  # closed while it was planning: nothing was submitted, so nothing is
                return
            self.run = run
        for event in self.run.events():
            self.post_message(self.RunEvent(event))
            if worker.is_cancelled:  # the screen went away: let Azure finish, a resume picks it up
                self.run.interrupt(cancel_in_azure=False)
                return

    def on_deploy_screen_run_event(self, message: RunEvent) -> None:
        message.stop()
        event = message.event
        if isinstance(event, RunStarted):
            self.progress.apply(event)
            self._build_tree()
        else:
            self._dirty.update(self.progress.apply(event))
        self._log(event)
        self._schedule()
        if isinstance(event, RunFinished) and self._then is not None:
            then, self._then = self._then, None
            then()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "deploy" or event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        self.start_error = str(error) if error is not None else "the run stopped"
        summary = self.query_one("#summary", Static)
        text = Text.assemble(("✗ The deployment stopped: ", "bold red"))
        text.append(self.start_error)
        summary.update(text)
        summary.remove_class("-hidden")

    def _log(self, event: Event) -> None:
        """A line in the log for what a person follows: stages, failures, retries, registrations."""
        line = _log_line(event, self.progress)
        if line is not None:
            stamp = Text.assemble((time.strftime("%H:%M:%S "), "dim"))
            self.query_one("#log", RichLog).write(stamp + line)

    # ------------------------------------------------------------------ drawing

    def _schedule(self) -> None:
        if not self._redraw_pending:
            self._redraw_pending = True
            self.set_timer(REDRAW_INTERVAL, self._redraw)

    def _tick(self) -> None:
        """Running clocks move on even when no event arrives; the time left is worked out again
        (once a second is enough for a figure in minutes, and it walks every resource)."""
        if self.progress.finished is None:
            self._remaining = self.progress.remaining()
            self._dirty.update(s.id for s in self.progress.stages.values() if s.status == "running")
            self._schedule()

    def _build_tree(self) -> None:
        """One lane per environment, a row per stage, its resources beneath (drawn when opened)."""
        tree = self.query_one(StageTree)
        tree.clear()
        self._stage_rows, self._env_rows = {}, {}
        for env in self.progress.environments:
            env_node = tree.root.add(Text(env, style="bold"), NodeRef("env", environment=env), expand=True)
            self._env_rows[env] = env_node
            for stage in self.progress.for_environment(env):
                node = env_node.add(Text(stage.info.title), NodeRef("stage", stage.id, env),
                                    allow_expand=True)
                self._stage_rows[stage.id] = node
        self._dirty = set(self.progress.stages)

    def _redraw(self) -> None:
        self._redraw_pending = False
        if not self.is_attached:
            return
        progress = self.progress
        width = self._width
        self._show("#title", labels.header(progress, self.deployment, self._remaining))
        if progress.stages:
            self._show("#overall", labels.overall(progress, width))
            self._show("#lanes", Text("\n").join(labels.lane(progress, env, width) for env in progress.environments))
        now = progress.now()
        dirty, self._dirty = self._dirty, set()
        for stage_id in dirty:
            node = self._stage_rows.get(stage_id)
            if node is not None:
                self._draw_stage(node, progress.stages[stage_id], now, width)
        for env, env_node in self._env_rows.items():
            done, total = progress.counts(env)
            label = Text.assemble((env, "bold"), (f"  {done}/{total} resources", "dim"))
            _relabel(env_node, label)
        if progress.finished is not None or progress.refused is not None:
            if self.has_class("-narrow") and not self._log_toggled:
                self.query_one("#log", RichLog).add_class("-hidden")  # the summary takes its place
            self._show("#summary", labels.summary(progress, self.deployment, self.report, self.written))
            self.query_one("#summary").remove_class("-hidden")
            self.query_one("#actions").set_class(progress.finished is None or self.run is None, "-hidden")
        keys = (self.run is not None, progress.finished is None, bool(progress.failed()))
        if keys != self._keys_for:  # the footer recomposes on a refresh: only when what applies changed
            self._keys_for = keys
            self.refresh_bindings()

    def _show(self, selector: str, text: Text) -> None:
        """Update a Static when its text changed; lay the screen out again only when its height did
        (a layout of the whole screen costs more than everything else in a frame)."""
        before = self._shown.get(selector)
        if before == text:
            return
        self._shown[selector] = text
        height = text.plain.count("\n")
        self.query_one(selector, Static).update(text, layout=before is None or before.plain.count("\n") != height
                                                or selector == "#summary")

    def _draw_stage(self, node: TreeNode[NodeRef], stage: StageView, now: float, width: int) -> None:
        """A stage's row; its resources, failure and portal link when it is open (a failure opens it)."""
        _relabel(node, labels.stage_line(stage, now, width))
        if stage.status == "failed" and not node.is_expanded:
            node.expand()
        if node.is_expanded:
            self._draw_children(node, stage, now, width)

    def _draw_children(self, node: TreeNode[NodeRef], stage: StageView, now: float, width: int) -> None:
        lines: list[tuple[Text, NodeRef]] = [(line, NodeRef("note", stage.id)) for line in
                                            labels.failure_lines(stage, width)]
        lines += [(labels.resource_line(r, now, width), NodeRef("resource", stage.id))
                  for r in stage.resources.values()]
        if stage.portal_url:
            lines.append((labels.portal_line(stage, width), NodeRef("note", stage.id)))
        children = list(node.children)
        if len(children) == len(lines) and all(c.data == ref for c, (_, ref) in zip(children, lines, strict=True)):
            for child, (label, _) in zip(children, lines, strict=True):
                _relabel(child, label)
            return
        node.remove_children()
        for label, ref in lines:
            node.add_leaf(label, ref)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[NodeRef]) -> None:
        ref = event.node.data
        if ref is not None and ref.kind == "stage":
            stage = self.progress.stages[ref.stage]
            self._draw_children(event.node, stage, self.progress.now(), self._width)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[NodeRef]) -> None:
        self.refresh_bindings()  # the portal keys follow the row under the cursor

    # ------------------------------------------------------------------ keys

    def _selected(self) -> StageView | None:
        """The stage of the row under the cursor (a resource row counts as its stage)."""
        node = self.query_one(StageTree).cursor_node
        ref = node.data if node is not None else None
        if ref is None or not ref.stage:
            return None
        return self.progress.stages.get(ref.stage)

    @property
    def running(self) -> bool:
        """The run was started and has not ended."""
        return self.run is not None and self.progress.finished is None and self.progress.refused is None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        running = self.running
        if action == "retry":
            return self.run is not None and bool(self.progress.failed())
        if action in ("open_portal", "copy_portal"):
            stage = self._selected()
            return stage is not None and bool(stage.portal_url)
        if action == "apply_fix":
            stage = self._selected()
            return (stage is not None and stage.failure is not None
                    and type(stage.failure.fix).__name__ in labels.FIX_VERBS)
        if action == "handover":
            return self.run is not None and self.progress.finished is not None
        if action == "deploy_again":
            return self.changed and not running
        if action == "next_failure":
            return bool(self.progress.failed())
        if action == "interrupt":
            return running
        if action == "close":
            return not running
        return True

    def action_retry(self) -> None:
        """Retry the selected stage when it failed, else the first failed one."""
        stage = self._selected()
        if stage is None or stage.status != "failed":
            failed = self.progress.failed()
            if not failed:
                return
            stage = failed[0]
        self.retry_stage(stage)

    def retry_stage(self, stage: StageView) -> None:
        """Submit `stage` again (after the run ended, the screen follows its new events)."""
        if self.run is None:
            return
        self._retry(stage.id, follow=self.progress.finished is not None)
        self.query_one("#actions").add_class("-hidden")
        self.query_one("#summary", Static).add_class("-hidden")
        stage.note = "retrying…"
        self._dirty.add(stage.id)
        self._schedule()

    @work(thread=True, group="retry", exit_on_error=False, description="retrying a stage")
    def _retry(self, stage_id: str, follow: bool) -> None:
        """Ask the runner to submit the stage again; after the run had ended, follow its new events."""
        assert self.run is not None
        self.run.retry(stage_id)
        if follow:
            self.app.call_from_thread(self._follow)

    def action_apply_fix(self) -> None:
        """The App applies a fix the same way wherever a finding shows; then a registered provider
        retries the stage, and a changed field offers to deploy the configuration again (this run's
        templates were planned before the change)."""
        from wizard.findings import RegisterProvider, SetField

        stage = self._selected()
        if stage is None or stage.failure is None:
            return
        fix = stage.failure.fix

        def retry() -> None:
            self.retry_stage(stage)

        def offer_deploy() -> None:
            self.changed = True
            self.query_one("#log", RichLog).write(Text(
                f"applied: {fix.describe() if fix else ''}; this run deployed the configuration as it was: "
                f"{'once it ends, ' if self.running else ''}d deploys it again"))
            self.refresh_bindings()

        done = retry if isinstance(fix, RegisterProvider) else offer_deploy if isinstance(fix, SetField) else None
        self.post_message(ApplyFix(stage.failure, done))

    def action_deploy_again(self) -> None:
        """A new run of the configuration as a fix changed it, on a new dashboard."""
        app = self.app
        self.dismiss(None)
        app.post_message(DeployRequested())

    def action_handover(self) -> None:
        """The App asks where and writes the report of this run (`aifactory report ... --run ID`)."""
        if self.run is not None:
            self.post_message(ExportRequested("report", self.run.id, self._report_written))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "handover":
            event.stop()
            self.action_handover()

    def _report_written(self, path: Path) -> None:
        self.written = str(path)
        self.query_one("#log", RichLog).write(Text(f"handover report of run {self.run.id if self.run else ''}: "
                                                   f"wrote {path}"))
        self._schedule()

    def action_open_portal(self) -> None:
        stage = self._selected()
        if stage is not None and stage.portal_url:
            self.app.open_url(stage.portal_url)
            self.notify(stage.portal_url, title="opened in the browser", markup=False)

    def action_copy_portal(self) -> None:
        stage = self._selected()
        if stage is not None and stage.portal_url:
            self.app.copy_to_clipboard(stage.portal_url)
            self.notify(stage.portal_url, title="copied to the clipboard", markup=False)

    def action_toggle_log(self) -> None:
        log = self.query_one("#log", RichLog)
        self._log_toggled = True
        log.set_class(not log.has_class("-hidden"), "-hidden")

    def action_next_failure(self) -> None:
        failed = self.progress.failed()
        if not failed:
            return
        tree = self.query_one(StageTree)
        current = self._selected()
        ids = [s.id for s in failed]
        index = (ids.index(current.id) + 1) % len(ids) if current is not None and current.id in ids else 0
        node = self._stage_rows.get(ids[index])
        if node is not None:
            node.expand()
            tree.move_cursor(node)  # not select_node: selecting toggles the row shut
            # once the rows are rebuilt: the failure at the top, its cause and fix below it in view
            self.call_after_refresh(lambda: tree.scroll_to(y=node.line, animate=False))

    def action_interrupt(self) -> None:
        """Ask whether to cancel in Azure or leave the deployment running."""
        def answered(answer: str | None) -> None:
            if answer in ("cancel", "leave"):
                self.stop(answer == "cancel")

        self.app.push_screen(InterruptScreen(), answered)

    def stop(self, cancel_in_azure: bool, *, then: Callable[[], None] | None = None) -> None:
        """Cancel the run in Azure or leave it running; `then` once that is done (a cancel: when the
        run has ended Canceled, so the journal says so)."""
        if self.run is None:
            if then is not None:
                then()
            return
        self._interrupt(cancel_in_azure)
        self.query_one("#log", RichLog).write(Text(
            "canceling the deployments in Azure…" if cancel_in_azure
            else "leaving the deployments running; `aifactory resume` follows them later"))
        if then is None:
            return
        if cancel_in_azure and self.running:
            self._then = then
        else:
            then()

    @work(thread=True, group="interrupt", exit_on_error=False, description="stopping the deployment")
    def _interrupt(self, cancel_in_azure: bool) -> None:
        assert self.run is not None
        self.run.interrupt(cancel_in_azure=cancel_in_azure)

    def action_close(self) -> None:
        self.dismiss(None)

    def on_unmount(self) -> None:
        run = self.run
        if run is not None and self.progress.finished is None and self.progress.refused is None:
            run.interrupt(cancel_in_azure=False)  # leaving the screen never cancels work in Azure


def _relabel(node: TreeNode[NodeRef], label: Text) -> None:
    """Set a row's label when it changed (each change repaints the row)."""
    if node.label != label:
        node.set_label(label)


def _log_line(event: Event, progress: RunProgress) -> Text | None:
    """What the log says about one event (None: not worth a line, e.g. a resource still running)."""
    def title(stage_id: str) -> str:
        stage = progress.stages.get(stage_id)
        return stage.info.title if stage is not None else stage_id

    if isinstance(event, RunStarted):
        verb = "resuming" if event.resumed else "starting"
        return Text(f"{verb} run {event.run_id}: {len(event.stages)} stages; journal {event.journal}")
    if isinstance(event, StageStarted):
        how = "re-attached to the deployment running in Azure" if event.reattached else "submitted"
        attempt = f" (attempt {event.attempt})" if event.attempt > 1 else ""
        return Text(f"{title(event.stage)}: {how}{attempt}")  # its deployment's name is on its portal row
    if isinstance(event, ResourceProgress):
        if event.state not in ("Failed", "Canceled"):
            return None
        return Text(f"{title(event.stage)}: {event.resource_type} {event.resource_name} {event.state}",
                    style="red" if event.state == "Failed" else "yellow")
    if isinstance(event, StageRetrying):
        return Text(f"{title(event.stage)}: retrying in {event.delay:.0f} s (attempt {event.attempt}): "
                    f"{event.reason}", style="yellow")
    if isinstance(event, ProviderRegistration):
        return Text(f"provider {event.namespace} in {event.subscription_id}: {event.state}")
    if isinstance(event, StageFinished):
        text = Text(f"{title(event.stage)}: {event.status} after {labels.clock(event.elapsed)}",
                    style="red" if event.status == "failed" else "")
        if event.failure is not None:
            text.append(f": {event.failure.code}: {event.failure.message}")
        return text
    if isinstance(event, DeployRefused):
        return Text(f"not deployed: {event.reason}", style="red")
    if isinstance(event, RunFinished):
        return Text(f"run {event.status} after {labels.clock(event.elapsed)}: {event.succeeded} stages "
                    f"succeeded, {event.failed} failed")
    return None

