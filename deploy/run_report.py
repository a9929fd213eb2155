"""A deployment run's journal as the handover report tells it (`wizard.run_summary.RunSummary`).

The report is core (it may not import `deploy/`), so this module, on the deploy side, reads the
journal (`deploy.journal.load_run`) and hands over a plain summary. The fold keeps only each
stage's latest failure, so the failures on the way (a retry, a resume) are read from the journal's
lines, each with how it ended.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from deploy.journal import JournalError, RunRecord, find_runs, load_run, read_lines, runs_dir
from wizard.errors import UserError
from wizard.run_summary import FailureNote, ResourceSummary, RunSummary, StageSummary


class RunNotFound(UserError):
    """`--run RUN_ID` names no readable run."""


def report_run(config_name: str, run_id: str | None = None, *, demo: bool,
               state_dir: Path | None = None) -> RunSummary | None:
    """The run to report: `run_id`, else the latest run of `config_name` that submitted anything (to
    the sandbox with `demo`, to Azure without), completed by the earlier runs that deployed what it
    found already there; None when nothing was deployed from it yet.

    Raises RunNotFound when `run_id` names no run, or one whose journal cannot be read.
    """
    if run_id:
        path = runs_dir(state_dir) / f"{run_id}.jsonl"
        if not path.is_file():
            recent = ", ".join(r.run_id for r in find_runs(state_dir)[-5:]) or "none"
            raise RunNotFound(f"there is no deployment run {run_id}", f"recent runs: {recent}")
        try:
            return summarize(load_run(path))
        except (JournalError, OSError) as exc:
            raise RunNotFound(f"the deployment run {run_id} cannot be read: {exc}",
                              "report without --run, or name another run") from None
    runs = [r for r in find_runs(state_dir, config_name=config_name) if bool(r.header.get("demo")) == demo]
    submitted = [r for r in runs if r.refused is None] or runs
    if not submitted:
        return None
    return with_earlier(summarize(submitted[-1]), [summarize(r) for r in reversed(submitted[:-1])])


def with_earlier(latest: RunSummary, earlier: list[RunSummary]) -> RunSummary:
    """`latest`, with each stage it found already deployed (`skipped`) shown as the newest of the
    `earlier` runs (newest first) that deployed it, so the report lists every resource deployed."""
    stages: list[StageSummary] = []
    borrowed: list[str] = []
    for stage in latest.stages:
        source = _deployed_by(stage.deployment_name, earlier) if stage.status == "skipped" else None
        if source is not None:
            borrowed.append(source[0])
            stage = source[1]
        stages.append(stage)
    return replace(latest, stages=tuple(stages), earlier=tuple(dict.fromkeys(borrowed)))


def _deployed_by(deployment_name: str, runs: list[RunSummary]) -> tuple[str, StageSummary] | None:
    """(run id, stage) of the first of `runs` in which the deployment `deployment_name` succeeded."""
    for run in runs:
        for stage in run.stages:
            if stage.deployment_name == deployment_name and stage.status == "succeeded":
                return run.run_id, stage
    return None


def _history(path: Path) -> tuple[dict[str, list[tuple[int, str, str, str]]], dict[str, float]]:
    """Per stage, every failure on the way: (attempt, what happened, its fix, how it went on);
    and how long each stage took when it succeeded (a resume later reports it `skipped`)."""
    records, _ = read_lines(path)
    attempt: dict[str, int] = {}
    found: dict[str, list[tuple[int, str, str, str]]] = {}
    took: dict[str, float] = {}
    for record in records:
        kind, stage = record.get("event"), str(record.get("stage", ""))
        if kind == "stage_started":
            attempt[stage] = int(record.get("attempt", 1) or 1)
        elif kind == "stage_finished" and record.get("status") == "succeeded":
            took[stage] = float(record.get("elapsed", 0.0) or 0.0)
        elif kind == "stage_retrying":
            found.setdefault(stage, []).append(
                (int(record.get("attempt", 2) or 2) - 1, str(record.get("reason", "")), "", "retried"))
        elif kind == "stage_finished" and record.get("status") == "failed":
            failure: dict[str, Any] = record.get("failure") or {}
            what = ": ".join(part for part in (str(failure.get("code", "")), str(failure.get("message", ""))) if part)
            found.setdefault(stage, []).append(
                (attempt.get(stage, 1), what or "the deployment failed", str(failure.get("hint", "")), "resumed"))
    return found, took


def _notes(history: list[tuple[int, str, str, str]], status: str, attempts: int) -> tuple[FailureNote, ...]:
    notes = []
    for index, (attempt, what, fix, how) in enumerate(history):
        if index + 1 < len(history):
            notes.append(FailureNote(attempt, what, f"{how}: failed again on attempt {history[index + 1][0]}", False))
        elif status in ("succeeded", "skipped"):
            again = f" on attempt {attempts}" if how == "retried" else ""
            notes.append(FailureNote(attempt, what, f"{how}: succeeded{again}", True))
        elif status == "failed":
            notes.append(FailureNote(attempt, what, f"open: {fix or 'see the error and the deployment in the portal'}",
                                     False))
        else:
            notes.append(FailureNote(attempt, what, f"{how}: then {status}", False))
    return tuple(notes)


def _title(title: str, environment: str, project: str | None) -> str:
    """A stage's title without the environment and scope the report shows in their own columns."""
    for prefix in (environment, f"project {project}" if project else "common"):
        title = title.removeprefix(f"{prefix} · ")
    return title


def summarize(record: RunRecord) -> RunSummary:
    """The run as the report shows it."""
    history, took = _history(record.path)
    stages = []
    for stage in record.stages.values():
        status, elapsed = stage.status, stage.elapsed
        if status == "skipped" and stage.id in took:  # this run deployed it before it was resumed
            status, elapsed = "succeeded", took[stage.id]
        stages.append(StageSummary(
            stage.environment, stage.project, _title(stage.title, stage.environment, stage.project),
            stage.deployment_name, status, stage.attempts, elapsed,
            tuple(ResourceSummary(r.type, r.name, r.state, r.elapsed) for r in stage.resources.values()),
            _notes(history.get(stage.id, []), stage.status, stage.attempts)))
    started = (datetime.fromtimestamp(record.started_at, UTC).astimezone().strftime("%Y-%m-%d %H:%M %Z")
               if record.started_at else "not started")
    registrations = tuple(f"{r.get('namespace', '')} in subscription {r.get('subscription_id', '')}: "
                          f"{r.get('state', '')}" for r in record.registrations)
    refused = str(record.refused.get("reason", "")) if record.refused else ""
    return RunSummary(record.run_id, record.status or "unfinished", started, record.elapsed, record.resumes,
                      tuple(stages), registrations, refused, bool(record.header.get("demo")))
