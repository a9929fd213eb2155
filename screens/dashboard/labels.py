"""The dashboard's lines as Rich Text: lanes, stage rows, resource rows, the header and the summary.

Every mark is a glyph first and a colour second, so a run reads the same under NO_COLOR and in
either theme; names, messages and fixes come from Azure and the configuration and are appended
as plain text, never parsed as markup.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from rich.style import Style
from rich.text import Text

from deploy.progress import ResourceView, RunProgress, StageView

STAGE_MARKS = {
    "pending": ("·", "dim"), "running": ("⟳", "cyan"), "succeeded": ("✓", "green"), "failed": ("✗", "bold red"),
    "canceled": ("■", "yellow"), "blocked": ("⊘", "dim"), "skipped": ("↷", "green"),
}
"""Stage status -> glyph and style."""

RESOURCE_MARKS = {
    "Pending": ("·", "dim"), "Accepted": ("⟳", "cyan"), "Running": ("⟳", "cyan"), "Succeeded": ("✓", "green"),
    "Failed": ("✗", "bold red"), "Canceled": ("■", "yellow"),
}
"""ARM provisioning state -> glyph and style (an unknown state shows as running)."""

KIND_SHORT = {
    "common_rg": "rg", "common_network": "network", "common_services": "services",
    "project_network": "network", "project_services": "services", "project_rbac": "roles",
}
"""A stage kind as a lane names it."""

BAR_FULL, BAR_EMPTY = "█", "░"

COMPACT_LANES = 90
"""Below this many cells a lane shows its common stages by their marks alone."""

FIX_VERBS = {"OpenLink": "opens the link", "RunCommand": "copies the command",
             "SetField": "sets it in the configuration", "RegisterProvider": "registers it and retries"}
"""Fixes the dashboard's `a` key applies, and what it says it does."""


def clock(seconds: float) -> str:
    """`m:ss`, or `h:mm:ss` from an hour on."""
    whole = int(max(0.0, seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def time_left(seconds: float | None) -> str:
    """How long the rest should take, as a person says it."""
    if seconds is None:
        return "estimating time left…"
    if seconds < 60:
        return "under a minute left"
    minutes = round(seconds / 60)
    return f"about {minutes} min left"


def bar(done: int, total: int, width: int) -> Text:
    """A bar of `width` cells, filled in proportion (█ and ░ tell it apart without colour)."""
    filled = width if total == 0 else round(width * done / total)
    text = Text()
    text.append(BAR_FULL * filled, style="green")
    text.append(BAR_EMPTY * (width - filled), style="dim")
    return text


def stage_mark(status: str) -> Text:
    """The glyph of a stage status."""
    glyph, style = STAGE_MARKS.get(status, ("?", "dim"))
    return Text.assemble((glyph, style))


def short_type(resource_type: str, width: int) -> str:
    """An ARM type within `width` cells: without `Microsoft.` when it must, then keeping its end
    (`Cognitive…/accounts`)."""
    if len(resource_type) <= width:
        return resource_type
    resource_type = resource_type.removeprefix("Microsoft.")
    if len(resource_type) <= width:
        return resource_type
    provider, _, rest = resource_type.partition("/")
    keep = width - len(rest) - 2
    if keep >= 6:
        return f"{provider[:keep]}…/{rest}"
    return "…" + resource_type[-(width - 1):]


def fit(text: str, width: int) -> str:
    """`text` cut to `width` cells with an ellipsis."""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def fit_name(name: str, width: int) -> str:
    """A resource name within `width` cells, cut in the middle: a child's or a private endpoint's
    name starts like its parent's, and its end is what tells it apart."""
    if len(name) <= width:
        return name
    tail = (width - 1) // 2
    return name[: width - 1 - tail] + "…" + name[len(name) - tail:]


def lane(progress: RunProgress, environment: str, width: int) -> Text:
    """`dev   ████░░░  12/40  rg ✓ network ✓ services ⟳  projects ✓3 ⟳2 ·19`; on a narrow screen
    the common stages by their marks alone (`common ✓✓⟳`)."""
    done, total = progress.counts(environment)
    head = Text.assemble((f"{environment:<6}", "bold"))
    head.append_text(bar(done, total, max(6, min(24, width // 5))))
    head.append(f" {done:>4}/{total:<4}")
    named, marks = Text(), Text(" common ")
    project_status: dict[str, str] = {}
    for stage in progress.for_environment(environment):
        if stage.info.project is None:
            named.append(f" {KIND_SHORT.get(stage.info.kind, stage.info.kind)} ")
            named.append_text(stage_mark(stage.status))
            marks.append_text(stage_mark(stage.status))
        else:
            project_status[stage.info.project] = _worst(project_status.get(stage.info.project), stage.status)
    projects = Text()
    if project_status:
        tally: dict[str, int] = {}
        for status in project_status.values():
            tally[status] = tally.get(status, 0) + 1
        projects.append("  projects", style="bold")
        for status in ("failed", "running", "succeeded", "skipped", "canceled", "blocked", "pending"):
            if tally.get(status):
                projects.append(" ")
                projects.append_text(stage_mark(status))
                projects.append(str(tally[status]))
    common = marks if width < COMPACT_LANES else named
    text = Text.assemble(head, common, projects)
    text.truncate(width, overflow="ellipsis")
    return text


_SEVERITY = ["failed", "canceled", "blocked", "running", "pending", "skipped", "succeeded"]


def _worst(current: str | None, status: str) -> str:
    """A project's status is the most telling of its stages' (failed before running before done)."""
    if current is None:
        return status
    if current == "succeeded" and status == "pending":
        return "running"  # some of it done, some to go
    return min(current, status, key=_SEVERITY.index)


def stage_line(stage: StageView, now: float, width: int) -> Text:
    """`✓ project 001 · services  attempt 2      12/12    0:48` for the stage's row: the title, what
    is worth knowing (attempt, error class, a retry's reason), then its counts and time at the right."""
    title = stage.info.title.removeprefix(f"{stage.info.environment} · ")
    done, total = stage.counts()
    ran = clock(stage.elapsed_at(now)) if stage.status not in ("pending", "blocked") else ""
    tail = f"{done:>4}/{total:<4}{ran:>7}"
    extra = []
    if stage.attempt > 1:
        extra.append(f"attempt {stage.attempt}")
    if stage.status == "failed":
        extra.append(stage.error_class or (stage.failure.code if stage.failure else "failed"))
    elif stage.status == "blocked":
        extra.append("waits on a failed stage")
    if stage.note:
        extra.append(stage.note)
    room = max(10, width - len(tail) - 3)
    note = "  " + " · ".join(extra) if extra else ""
    title = fit(title, min(room, max(min(len(title), 24), room - len(note))))  # a note gives way first
    note = fit(note, room - len(title))
    text = stage_mark(stage.status)
    text.append(f" {title}")
    text.append(note, style="bold red" if stage.status == "failed" else "italic")
    text.append(" " * max(1, room - len(title) - len(note) + 1))
    text.append(tail, style="dim" if stage.status in ("pending", "blocked") else "")
    return text


def resource_line(resource: ResourceView, now: float, width: int) -> Text:
    """`✓ Microsoft.KeyVault/vaults   kv-p001-weu-dev   Succeeded 0:18`."""
    glyph, style = RESOURCE_MARKS.get(resource.state, ("⟳", "cyan"))
    type_width = max(16, min(40, width * 2 // 5))
    state_width = 16
    name_width = max(10, width - type_width - state_width - 4)
    text = Text.assemble((glyph, style))
    text.append(f" {short_type(resource.type, type_width):<{type_width}} ", style="dim")
    text.append(f"{fit_name(resource.name, name_width):<{name_width}} ")
    elapsed = clock(resource.elapsed_at(now)) if resource.state != "Pending" else ""
    text.append(f"{resource.state:<10}{elapsed:>6}", style=style if resource.state != "Pending" else "dim")
    return text


def failure_lines(stage: StageView, width: int) -> list[Text]:
    """The cause and the fix of a failed stage, wrapped to `width` (a tree row holds one line)."""
    failure = stage.failure
    if failure is None:
        return []
    lines: list[Text] = []
    cause = failure.message.removeprefix(f"{stage.info.title}: ")  # the row above names the stage
    for i, part in enumerate(textwrap.wrap(cause, max(20, width - 2)) or [""]):
        line = Text.assemble(("✗ " if i == 0 else "  ", "bold red"))
        line.append(part)
        lines.append(line)
    fix = failure.hint or (failure.fix.describe() if failure.fix is not None else "")
    keys = "a " + FIX_VERBS[type(failure.fix).__name__] + " · r retry" if type(failure.fix).__name__ in FIX_VERBS \
        else "r retries this stage"
    fix = f"{fix} ({keys})" if fix else keys
    for i, part in enumerate(textwrap.wrap(fix, max(20, width - 2))):
        line = Text.assemble(("→ " if i == 0 else "  ", "bold"))
        line.append(part, style="italic")
        lines.append(line)
    return lines


def portal_line(stage: StageView, width: int) -> Text:
    """A link to the deployment in the Azure portal (clickable where the terminal allows)."""
    text = Text.assemble(("↗ ", "bold"))
    text.append("open in the portal", style=Style(link=stage.portal_url, underline=True))
    keys = "  o open · y copy link"
    room = width - len(text) - len(keys) - 2
    if room >= 12:
        text.append(f"  {fit_name(stage.info.deployment_name, room)}", style="dim")
    text.append(keys, style="dim")
    return text


def header(progress: RunProgress, name: str, remaining: float | None) -> Text:
    """`Deploying poc · 4:12 elapsed · about 6 min left` (or how it ended); `remaining` is
    `progress.remaining()` as last worked out."""
    text = Text()
    finished = progress.finished
    if progress.refused is not None:
        text.append(f"Not deployed: {name}", style="bold")
        return text
    verb = {"succeeded": "Deployed", "failed": "Deployment failed:", "canceled": "Canceled:",
            "interrupted": "Left running:"}.get(finished.status, "") if finished else "Deploying"
    text.append(f"{verb} {name}", style="bold")
    if progress.started_at is None:
        text.append(" · starting…")
        return text
    text.append(f" · {clock(progress.elapsed())} {'in all' if finished else 'elapsed'}")
    if finished is None:
        text.append(f" · {time_left(remaining)}")
    return text


def overall(progress: RunProgress, width: int) -> Text:
    """The whole run's bar with `41/63 resources · 5/9 stages · 1 running · 1 failed`."""
    done, total = progress.counts()
    counts = progress.stage_counts()
    stages_done = counts.get("succeeded", 0) + counts.get("skipped", 0)
    tail = f" {done}/{total} resources · {stages_done}/{len(progress.stages)} stages"
    for status in ("running", "failed", "blocked", "canceled"):
        if counts.get(status):
            tail += f" · {counts[status]} {status}"
    text = bar(done, total, max(6, width - len(tail) - 1))
    text.append(tail)
    text.truncate(width, overflow="ellipsis")
    return text


def summary(progress: RunProgress, name: str, report: str, written: str = "") -> Text:
    """What a finished run did, what is left to do, and where to look next: `report` is the
    `aifactory report ...` command for this configuration (the run and the output file are added),
    `written` the file the handover report of this run was written to, once it was."""
    text = Text()
    refused = progress.refused
    if refused is not None:
        text.append("✗ Nothing was deployed: ", style="bold red")
        text.append(refused.reason)
        if refused.findings:
            text.append("\n  esc goes back to the review, where each has its fix.", style="italic")
        for finding in refused.findings[:3]:
            text.append(f"\n  ✗ {finding.environment + ' ' if finding.environment else ''}{finding.message}")
        if len(refused.findings) > 3:
            text.append(f"\n  … and {len(refused.findings) - 3} more")
        return text
    finished = progress.finished
    if finished is None:
        return text
    done, total = progress.counts()
    if finished.status == "succeeded":
        text.append("✓ ", style="bold green")
        text.append(f"{name}: {finished.succeeded} stages, {done} resources deployed in {clock(finished.elapsed)}.")
    elif finished.status == "failed":
        text.append("✗ ", style="bold red")
        failed = progress.failed()
        text.append(f"{name}: {len(failed)} stage{'s' if len(failed) != 1 else ''} failed, "
                    f"{finished.succeeded} succeeded ({done} of {total} resources). ")
        text.append("f selects a failure, r retries it.", style="italic")
        for stage in failed[:2]:
            text.append(f"\n  ✗ {stage.info.title}: ")
            text.append(stage.error_class or (stage.failure.code if stage.failure else "failed"))
        if len(failed) > 2:
            text.append(f"\n  … and {len(failed) - 2} more")
    elif finished.status == "canceled":
        text.append("■ ", style="bold yellow")
        text.append(f"{name}: canceled in Azure after {clock(finished.elapsed)} ({done} of {total} resources).")
    else:
        text.append("■ ", style="bold yellow")
        text.append(f"{name}: left running in Azure; `aifactory resume` picks it up where it is.")
    if written:
        text.append("\n  handover report: ", style="dim")
        text.append(f"wrote {home_relative(written)}")
    elif report:
        text.append("\n  handover report: ", style="dim")
        text.append(f"{report} --run {progress.run_id} -o report.html")
    if finished.journal:
        text.append(f"\n  journal: {home_relative(finished.journal)}", style="dim")
    return text


def home_relative(path: str) -> str:
    """`path` with the home folder written `~` (shorter, and the same on every machine)."""
    home = str(Path.home())
    return "~" + path[len(home):] if path.startswith(home + "/") else path
