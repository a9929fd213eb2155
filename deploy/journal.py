"""Every deployment run's record on disk: what resume continues from and the handover report reads.

A journal is JSON lines in the user's state directory (`runs/<run id>.jsonl`): a header line
(`{"event": "journal", ...}`: the run id, the configuration it deploys, where it came from), then
each event of the run as `event.to_json()` plus `at` (wall-clock seconds). Lines are appended with
one `write` on a file opened for appending and flushed to disk before the runner goes on, so a
kill -9 can at worst cut the last line short; reading skips such a tail, and the next writer
first rewrites the file without it (atomically: a temporary file renamed over). Secrets never
reach the file: the configuration is scrubbed, and events carry no secret values.

`load_run(path)` folds a journal into a `RunRecord`: per stage its status, attempts, elapsed
time, failure and resources; the run's status and duration. Resume, destroy and the report all
read runs through it.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wizard.events import Event

JOURNAL_VERSION = 1


def runs_dir(state_dir: Path | None = None) -> Path:
    """Where journals live: `<state_dir>/runs`, by default in the platformdirs user state dir."""
    if state_dir is None:
        from platformdirs import user_state_path

        state_dir = user_state_path("aifactory-wizard", appauthor=False)
    return Path(state_dir) / "runs"


def new_run_id() -> str:
    """A run id that sorts by start time and stays short enough to type (`20261202-143512-3fa1`)."""
    return time.strftime("%Y%m%d-%H%M%S", time.gmtime()) + "-" + uuid.uuid4().hex[:4]


class Journal:
    """Appends one run's records, each flushed to disk before `append` returns. Thread-safe."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    @classmethod
    def create(cls, path: Path, header: dict[str, Any]) -> Journal:
        """A new journal at `path` starting with `header` (written atomically)."""
        from wizard.atomic_file import atomic_write

        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, json.dumps({"event": "journal", "version": JOURNAL_VERSION, **header}) + "\n",
                     backup=False)
        return cls(path)

    @classmethod
    def reopen(cls, path: Path) -> Journal:
        """An existing journal, to go on appending: a line cut short by a killed writer is dropped first."""
        lines, torn = read_lines(path)
        if torn:
            from wizard.atomic_file import atomic_write

            atomic_write(path, "".join(json.dumps(line) + "\n" for line in lines), backup=False)
        return cls(path)

    def append(self, event: Event | dict[str, Any], *, durable: bool = True) -> None:
        """Add one record; `durable` also flushes it to the disk (a killed process loses nothing
        either way: the write itself is done before this returns)."""
        data = event.to_json() if isinstance(event, Event) else dict(event)
        data["at"] = round(time.time(), 3)
        payload = (json.dumps(data, separators=(",", ":"), default=str) + "\n").encode()
        with self._lock:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
            try:
                os.write(fd, payload)
                if durable:
                    os.fsync(fd)
            finally:
                os.close(fd)


def read_lines(path: Path) -> tuple[list[dict[str, Any]], bool]:
    """The journal's records, and whether a torn last line (a writer killed mid-append) was skipped.

    Every append ends with a newline in the same `write`, so only text after the last newline
    can be unfinished; an unreadable line before it means the file was damaged otherwise.
    """
    text = path.read_text(encoding="utf-8", errors="replace")
    complete, _, tail = text.rpartition("\n")
    records: list[dict[str, Any]] = []
    for number, line in enumerate(complete.split("\n") if complete else [], start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            raise JournalError(path, f"line {number} is not JSON (the file was damaged)") from None
        if isinstance(record, dict):
            records.append(record)
    return records, bool(tail.strip())


class JournalError(Exception):
    """A journal that cannot be used: its path and what is wrong."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"the run journal {path} {problem}")


@dataclass
class ResourceRecord:
    """One resource as the journal last saw it."""

    type: str
    name: str
    state: str
    elapsed: float = 0.0
    resource_id: str = ""
    status_code: str = ""
    """ARM's `Created` (new) or `OK` (it was there already), once it succeeded."""


@dataclass
class StageRecord:
    """One stage of a run, folded from its events."""

    id: str
    environment: str
    project: str | None
    kind: str
    title: str
    deployment_name: str
    scope_id: str
    depends_on: tuple[str, ...] = ()
    status: str = "pending"
    attempts: int = 0
    started_at: float | None = None
    finished_at: float | None = None
    elapsed: float = 0.0
    portal_url: str = ""
    operation_url: str = ""
    """The deployment's `Azure-AsyncOperation` URL of its last submission (a resume polls it)."""
    fingerprint: str = ""
    failure: dict[str, Any] | None = None
    error_class: str | None = None
    resources: dict[tuple[str, str], ResourceRecord] = field(default_factory=dict)


@dataclass
class RunRecord:
    """A whole run, folded from its journal: what resume, destroy and the report read."""

    path: Path
    run_id: str
    header: dict[str, Any]
    plan_fingerprint: str = ""
    stages: dict[str, StageRecord] = field(default_factory=dict)
    status: str | None = None
    """None while the journal has no `run_finished` (the run is still going, or was killed)."""
    started_at: float | None = None
    finished_at: float | None = None
    resumes: int = 0
    refused: dict[str, Any] | None = None
    registrations: list[dict[str, Any]] = field(default_factory=list)

    @property
    def config_name(self) -> str:
        """The preset or file the configuration came from."""
        return str(self.header.get("config_name", ""))

    @property
    def elapsed(self) -> float:
        """Seconds from the first start to the last event seen."""
        if self.started_at is None or self.finished_at is None:
            return 0.0
        return self.finished_at - self.started_at

    @property
    def failures(self) -> list[StageRecord]:
        """Stages that ended failed, in plan order."""
        return [s for s in self.stages.values() if s.status == "failed"]

    def succeeded(self, stage_id: str, fingerprint: str) -> bool:
        """True when this run deployed `stage_id` exactly as `fingerprint` says, successfully."""
        stage = self.stages.get(stage_id)
        return stage is not None and stage.status in ("succeeded", "skipped") and stage.fingerprint == fingerprint


def load_run(path: Path) -> RunRecord:
    """Fold the journal at `path` into a RunRecord (a torn last line is ignored)."""
    records, _ = read_lines(path)
    if not records or records[0].get("event") != "journal":
        raise JournalError(path, "has no journal header (it is not an aifactory run journal)")
    header = records[0]
    run = RunRecord(path, str(header.get("run_id", path.stem)), header)
    for record in records[1:]:
        _fold(run, record)
    return run


def _fold(run: RunRecord, record: dict[str, Any]) -> None:
    kind = record.get("event")
    at = float(record.get("at", 0.0) or 0.0)
    if at:
        run.finished_at = at if run.status is None else run.finished_at
    if kind == "run_started":
        run.plan_fingerprint = str(record.get("plan_fingerprint", ""))
        run.started_at = run.started_at or at
        run.status = None
        run.finished_at = at
        if record.get("resumed"):
            run.resumes += 1
        for info in record.get("stages", []):
            stage = run.stages.get(info["id"])
            if stage is None:
                run.stages[info["id"]] = StageRecord(
                    info["id"], info["environment"], info.get("project"), info["kind"], info["title"],
                    info["deployment_name"], info["scope_id"], tuple(info.get("depends_on", ())),
                    fingerprint=str(info.get("fingerprint", "")))
            else:
                stage.fingerprint = str(info.get("fingerprint", stage.fingerprint))
        return
    stage = run.stages.get(str(record.get("stage", "")))
    if stage is not None:
        if kind == "stage_started" and run.status is not None:
            run.status = None  # a stage retried after the run had finished: it goes on
        _fold_stage(stage, str(kind), record, at)
    elif kind == "provider_registration":
        run.registrations.append(record)
    elif kind == "deploy_refused":
        run.refused = record
    elif kind == "run_finished":
        run.status = str(record["status"])
        run.finished_at = at


def _fold_stage(stage: StageRecord, kind: str, record: dict[str, Any], at: float) -> None:
    if kind == "stage_started":
        stage.status = "running"
        stage.attempts = max(stage.attempts, int(record.get("attempt", 1)))
        stage.started_at = stage.started_at if record.get("reattached") and stage.started_at else at
        stage.portal_url = str(record.get("portal_url", ""))
        stage.operation_url = str(record.get("operation_url", "") or stage.operation_url)
        stage.failure = stage.error_class = None
    elif kind == "resource_progress":
        key = (str(record["resource_type"]), str(record["resource_name"]))
        old = stage.resources.get(key)
        stage.resources[key] = ResourceRecord(
            key[0], key[1], str(record["state"]), float(record.get("elapsed", 0.0)),
            str(record.get("resource_id", "") or (old.resource_id if old else "")),
            str(record.get("status_code", "") or (old.status_code if old else "")))
    elif kind == "stage_retrying":
        stage.status = "retrying"
    elif kind == "stage_finished":
        stage.status = str(record["status"])
        stage.finished_at = at
        stage.elapsed = float(record.get("elapsed", 0.0))
        stage.failure = record.get("failure")
        stage.error_class = record.get("error_class")


def find_runs(state_dir: Path | None = None, *, config_name: str | None = None) -> list[RunRecord]:
    """Every readable journal (oldest first), or those of one configuration."""
    folder = runs_dir(state_dir)
    runs = []
    for path in sorted(folder.glob("*.jsonl")) if folder.is_dir() else []:
        try:
            run = load_run(path)
        except (JournalError, OSError, KeyError, ValueError):
            continue
        if config_name is None or run.config_name == config_name:
            runs.append(run)
    return runs
