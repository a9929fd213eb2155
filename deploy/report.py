"""How `aifactory plan` shows a plan (and its what-if preview): rich tables, and JSON.

Only the CLI imports this, inside the command. User text goes through `Text` objects, never
markup strings, so brackets in names show as written.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from deploy.plan import Plan, Stage
from deploy.whatif import Preview, ResourceChange

CHANGE_STYLE = {"Create": "green", "Modify": "yellow", "Delete": "red", "NoChange": "dim", "Deploy": "cyan",
                "Unsupported": "magenta"}
CHANGE_MARK = {"Create": "+", "Modify": "~", "Delete": "-", "NoChange": "=", "Deploy": "!", "Unsupported": "?"}


def _changes_by_resource(preview: Preview | None, stage: Stage) -> dict[tuple[str, str], ResourceChange]:
    if preview is None:
        return {}
    return {(c.type.lower(), c.name.lower()): c for c in preview.stage(stage.id).changes}


def plan_to_json(plan: Plan, preview: Preview | None = None) -> dict[str, Any]:
    """The document `aifactory plan --json` prints: environments, their stages and resources."""
    environments = []
    for env in dict.fromkeys(s.environment for s in plan.stages):
        stages = []
        for stage in plan.for_environment(env):
            changes = _changes_by_resource(preview, stage)
            resources = []
            for r in stage.resources:
                row: dict[str, Any] = {"type": r.type, "name": r.name, "api_version": r.api_version}
                if preview is not None:
                    change = changes.get((r.type.lower(), r.name.lower()))
                    row["change"] = change.change if change else None
                resources.append(row)
            entry: dict[str, Any] = {
                "id": stage.id, "title": stage.title, "kind": stage.kind, "project": stage.project,
                "deployment_name": stage.deployment_name,
                "scope": {"id": stage.scope.id, "subscription_id": stage.scope.subscription_id,
                          "resource_group": stage.scope.resource_group, "location": stage.scope.location},
                "depends_on": list(stage.depends_on), "fingerprint": stage.fingerprint, "resources": resources,
            }
            if preview is not None:
                stage_preview = preview.stage(stage.id)
                entry["what_if"] = {"predicted": stage_preview.predicted, "error": stage_preview.error,
                                    "ignored": stage_preview.ignored}
            stages.append(entry)
        environments.append({"environment": env, "stages": stages})
    data: dict[str, Any] = {
        "fingerprint": plan.fingerprint,
        "totals": {"stages": len(plan.stages), "resources": sum(len(s.resources) for s in plan.stages)},
        "environments": environments, "notes": list(plan.notes),
    }
    if preview is not None:
        data["what_if"] = {"fingerprint": preview.fingerprint, "counts": preview.counts(),
                           "errors": [{"stage": s.stage_id, "error": s.error} for s in preview.errors]}
    return data


def _change_cell(change: ResourceChange | None) -> Text:
    if change is None:
        return Text("")
    return Text(f"{CHANGE_MARK.get(change.change, '?')} {change.change}", style=CHANGE_STYLE.get(change.change, ""))


def print_plan(plan: Plan, title: str, preview: Preview | None = None) -> None:
    """A table per environment: its stages in order, each with the resources it deploys."""
    console = Console(highlight=False, soft_wrap=False)
    console.print(Text(f"{title}: {len(plan.stages)} stages, {sum(len(s.resources) for s in plan.stages)} "
                       f"resources (plan {plan.fingerprint})", style="bold"))
    for env in dict.fromkeys(s.environment for s in plan.stages):
        stages = plan.for_environment(env)
        table = Table(title=Text(f"{env}: {len(stages)} stages, {sum(len(s.resources) for s in stages)} resources"),
                      title_justify="left", expand=True)
        table.add_column("stage · deployment · resource", overflow="fold", ratio=3)
        table.add_column("type", overflow="fold", style="dim", ratio=2)
        if preview is not None:
            table.add_column("what-if", no_wrap=True)
        for stage in stages:
            after = ", ".join(d.split("/", 1)[1] for d in stage.depends_on) or "nothing"
            head = Text(stage.id.split("/", 1)[1], style="bold")
            head.append(f"\n{stage.deployment_name}", style="cyan")
            head.append(f"\nafter {after}", style="dim")
            row = [head, Text(f"{stage.scope.resource_group or 'subscription'}")]
            if preview is not None:
                stage_preview = preview.stage(stage.id)
                row.append(Text(f"✗ {stage_preview.error}", style="bold red") if stage_preview.error else
                           Text("predicted" if stage_preview.predicted else "", style="dim"))
            if table.row_count:
                table.add_section()
            table.add_row(*row)
            changes = _changes_by_resource(preview, stage)
            for r in stage.resources:
                cells = [Text("  " + r.name), Text(r.type.removeprefix("Microsoft."))]
                if preview is not None:
                    cells.append(_change_cell(changes.get((r.type.lower(), r.name.lower()))))
                table.add_row(*cells)
        console.print(table)
    if preview is not None:
        counts = ", ".join(f"{n} {kind}" for kind, n in preview.counts().items()) or "nothing"
        console.print(Text(f"what-if: {counts}", style="bold"))
        for failed in preview.errors:
            console.print(Text(f"✗ {failed.stage_id}: {failed.error}", style="red"))
    for note in plan.notes:
        console.print(Text(f"note: {note}", style="yellow"))
