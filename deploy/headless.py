"""Following a run without the dashboard: rich progress on a terminal, or one JSON event per line.

`follow(run, ...)` reads the run's events to the end and returns how it ended. Ctrl+C asks
whether to cancel the deployments in Azure or leave them running for `aifactory resume` (or
does what `on_interrupt` says, for scripts); a second Ctrl+C leaves them running at once.
User text goes through rich `Text`, never markup, so brackets in names and messages show.
"""

from __future__ import annotations

import contextlib
import json
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any, Literal

from deploy.runner import Run
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

OnInterrupt = Literal["ask", "cancel", "leave"]
MARKS = {"succeeded": ("✓", "green"), "skipped": ("=", "cyan"), "failed": ("✗", "bold red"),
         "blocked": ("⊘", "yellow"), "canceled": ("■", "yellow")}


def follow(run: Run, *, as_json: bool, on_interrupt: OnInterrupt = "ask",
           ask: Callable[[], bool] | None = None, printer: RichPrinter | None = None) -> RunFinished:
    """Read `run` to its RunFinished, printing as it goes; Ctrl+C as the module docstring says.

    `ask` answers "cancel in Azure?" when `on_interrupt` is `ask` (the CLI's prompt); without a
    terminal to ask on, deployments are left running (the safe choice: a resume continues).
    `printer` is the one the caller's own questions pause (see `RichPrinter.paused`).
    """
    printer = printer or RichPrinter()
    show: Callable[[Event], None] = _print_json if as_json else printer
    interrupted = False
    stream: Iterator[Event] = run.events()
    while True:
        try:
            for event in stream:
                show(event)
                if isinstance(event, RunFinished):
                    printer.close()
                    return event
        except KeyboardInterrupt:
            if interrupted:
                run.interrupt(cancel_in_azure=False)
            else:
                interrupted = True
                with printer.paused():
                    cancel = _choose(on_interrupt, ask)
                run.interrupt(cancel_in_azure=cancel)
            stream = run.events()


def _choose(on_interrupt: OnInterrupt, ask: Callable[[], bool] | None) -> bool:
    if on_interrupt != "ask":
        return on_interrupt == "cancel"
    if ask is None or not sys.stdin.isatty():
        return False
    try:
        return ask()
    except (KeyboardInterrupt, EOFError):
        return False


def _print_json(event: Event) -> None:
    sys.stdout.write(json.dumps(event.to_json(), ensure_ascii=False) + "\n")
    sys.stdout.flush()


class RichPrinter:
    """Stage lines as they finish, and one progress bar for the run (on a terminal only)."""

    def __init__(self) -> None:
        from rich.console import Console

        self.console = Console(highlight=False, soft_wrap=True)
        self.progress: Any = None
        self.task: Any = None
        self.titles: dict[str, str] = {}
        self.done = 0
        self._lock = threading.RLock()

    def __call__(self, event: Event) -> None:
        with self._lock:
            self._show(event)

    def _show(self, event: Event) -> None:
        from rich.text import Text

        if isinstance(event, RunStarted):
            self.titles = {s.id: s.title for s in event.stages}
            verb = "resuming" if event.resumed else "deploying"
            self.console.print(Text(f"{verb} {len(event.stages)} stages (run {event.run_id}; journal "
                                    f"{event.journal})"))
            self._start_progress(len(event.stages))
        elif isinstance(event, DeployRefused):
            self.console.print(Text(f"not deployed: {event.reason}", style="bold red"))
            if event.findings:
                from wizard.report import findings_grid

                self.console.print(findings_grid(event.findings))
        elif isinstance(event, StageStarted):
            how = "re-attached to" if event.reattached else "submitted"
            attempt = f" (attempt {event.attempt})" if event.attempt > 1 else ""
            self._line(Text(f"  … {self.titles.get(event.stage, event.stage)}: {how} {event.deployment_name}"
                            f"{attempt}", style="dim"))
        elif isinstance(event, ResourceProgress):
            self._describe(f"{self.titles.get(event.stage, event.stage)}: {event.resource_name} {event.state}")
        elif isinstance(event, StageRetrying):
            self._line(Text(f"  ↻ {self.titles.get(event.stage, event.stage)}: {event.reason}; again in "
                            f"{event.delay:.0f} s (attempt {event.attempt})", style="yellow"))
        elif isinstance(event, ProviderRegistration):
            self._line(Text(f"  ⚙ {event.namespace} in {event.subscription_id}: {event.state}", style="cyan"))
        elif isinstance(event, StageFinished):
            self._finished(event)
        elif isinstance(event, RunFinished):
            self._stop_progress()
            style = "bold green" if event.status == "succeeded" else "bold red"
            self.console.print(Text(f"{event.status}: {event.succeeded} stages done, {event.failed} failed, "
                                    f"in {event.elapsed:.1f} s; journal {event.journal}", style=style))
            if event.status == "interrupted":
                self.console.print(Text("deployments left running in Azure: `aifactory resume` continues the run"))

    def _finished(self, event: StageFinished) -> None:
        from rich.text import Text

        mark, style = MARKS.get(event.status, ("·", ""))
        took = f" ({event.elapsed:.1f} s)" if event.elapsed else ""
        self._line(Text(f"{mark} {self.titles.get(event.stage, event.stage)} {event.status}{took}", style=style))
        if event.failure is not None:
            self._line(Text(f"    {event.failure.message}", style="red"))
            if event.failure.hint:
                self._line(Text(f"    fix: {event.failure.hint}"))
            if event.failure.fix is not None:
                self._line(Text(f"    ({event.failure.fix.describe()})", style="dim"))
        self.done += 1
        if self.progress is not None:
            self.progress.update(self.task, completed=self.done)

    def _line(self, text: Any) -> None:
        if self.progress is not None:
            self.progress.console.print(text)
        else:
            self.console.print(text)

    def _describe(self, text: str) -> None:
        if self.progress is not None:
            self.progress.update(self.task, description=text[:60])

    def _start_progress(self, total: int) -> None:
        if not self.console.is_terminal:
            return
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), console=self.console, transient=True)
        self.task = self.progress.add_task("starting", total=total, completed=self.done)
        self.progress.start()

    def _stop_progress(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """No bar drawn while the person answers a question (from any thread); it comes back after."""
        with self._lock:
            total = self.progress.tasks[0].total if self.progress is not None else None
            self._stop_progress()
        try:
            yield
        finally:
            with self._lock:
                if total is not None:
                    self._start_progress(int(total))

    def close(self) -> None:
        """Leave the terminal clean."""
        self._stop_progress()
