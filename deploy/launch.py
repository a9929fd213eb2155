"""Starting and resuming deployment runs: what the CLI and the dashboard call.

`start_run` prepares the configuration for the session (the demo's subscriptions, the tenant),
builds the plan, runs the preflight (a run with errors is refused unless forced), opens the
run's journal and saves the plan beside it (`<run id>.plan.json`: a resume deploys exactly what
was planned, even if the plan builder changed since). `resume_run` reopens a run by id, or the
latest unfinished run of a configuration, and continues it: stages that succeeded are skipped,
deployments still running in Azure are re-attached by name, the rest are submitted.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from deploy.journal import Journal, JournalError, RunRecord, find_runs, load_run, new_run_id, runs_dir
from deploy.plan import Plan, PlannedResource, Scope, Stage
from deploy.runner import Consent, Run, RunOptions
from wizard.errors import UserError
from wizard.events import DeployRefused
from wizard.model import FactoryConfig


class RunNotFound(UserError):
    """`aifactory resume` was given a run id (or configuration) with no run to continue."""


def _prepared(config: FactoryConfig | None, session: Any) -> tuple[FactoryConfig | None, Any]:
    """The configuration as it will be deployed, and the AzureSession under a LiveSession."""
    prepare = getattr(session, "prepare", None)
    if prepare is not None and config is not None:
        config, _ = prepare(config)
    return config, getattr(session, "session", session)


UNREAD = "could not read"
"""How `LiveSession.live_vnets` notes a VNet it failed to read (and so planned as fresh)."""


def build(config: FactoryConfig, session: Any = None, *, attempts: int = 3) -> tuple[Plan, list[str]]:
    """The plan of a prepared configuration, and notes: on a LiveSession, planned from the AI
    Factory VNets that exist (projects carved after their subnets, as its calculator does).

    A preview may plan a VNet it could not read as fresh; a deployment may not (its project
    subnets would be placed over the live ones): the read is tried `attempts` times, then
    UserError says which VNet could not be read.
    """
    from deploy.plan import build_plan

    if session is None or not hasattr(session, "live_vnets"):
        return build_plan(config), []
    for _ in range(attempts):
        vnets, notes = session.live_vnets(config)
        unread = [note for note in notes if UNREAD in note]
        if not unread:
            return build_plan(config, vnets), notes
        session.session.forget_failures()
    raise UserError(f"cannot plan the deployment: {unread[0].split('; the plan')[0]}",
                    "the subnets of a live VNet decide where projects go; try again when Azure answers")


def preflight_refusal(config: FactoryConfig, session: Any) -> DeployRefused | None:
    """A DeployRefused when the preflight reports errors, else None.

    Providers that are not registered do not refuse a deployment: the runner registers them, with
    consent, when a stage needs them. A name the factory's own resource holds is no error either
    (the names check says so: deploying again updates it, as a resume or a second deploy does).
    """
    from wizard.azure.preflight import run_preflight

    live = getattr(session, "session", session)
    result = run_preflight(config, live, tenant_id=getattr(session, "tenant_id", None))
    errors = tuple(f for f in result.findings if f.severity == "error" and f.code != "AIF-LIVE-PROVIDER")
    if not errors:
        return None
    return DeployRefused(f"the preflight found {len(errors)} error{'s' if len(errors) != 1 else ''}; fix them "
                         "(or deploy anyway with --force)", errors)


def start_run(config: FactoryConfig | None, session: Any, *, state_dir: Path | None = None, force: bool = False,
              consent: Consent | bool = False, plan: Plan | None = None, config_name: str = "",
              options: RunOptions | None = None, refusal: DeployRefused | None = None, **clock: Any) -> Run:
    """A new run of `config` on `session` (a LiveSession, or an AzureSession); nothing is submitted
    until its `events()` are read.

    `plan` skips building one (a preview already did; a `config` of None then records none);
    `refusal` is the preflight's verdict when the
    caller already ran it (else it runs here, unless `force`). `clock`: see `Run`.
    """
    prepared, azure = _prepared(config, session)
    if plan is None:
        if prepared is None:
            raise ValueError("start_run needs a configuration or a plan")
        plan, _ = build(prepared, session)
    if refusal is None and not force and prepared is not None:
        refusal = preflight_refusal(prepared, session)
    if refusal is None and not plan.stages:
        refusal = DeployRefused("the plan has no stages: nothing to deploy")
    run_id = new_run_id()
    folder = runs_dir(state_dir)
    journal_path = folder / f"{run_id}.jsonl"
    save_plan(plan_path(journal_path), plan)
    header = {"run_id": run_id, "config_name": config_name, "created": time.time(),
              "demo": bool(getattr(session, "demo", False)), "plan": plan_path(journal_path).name,
              "config": _scrubbed(prepared) if prepared is not None else None}
    journal = Journal.create(journal_path, header)
    return Run(plan, azure, journal, run_id=run_id, consent=consent, options=options, refused=refusal,
               suffixes=_suffixes(header["config"]), **clock)


def resume_run(run_id_or_config: str | FactoryConfig | None, session: Any, *, state_dir: Path | None = None,
               consent: Consent | bool = False, options: RunOptions | None = None, **clock: Any) -> Run:
    """Continue a run: by id, the latest unfinished run of a configuration, or (None) the latest
    unfinished run of all. Raises RunNotFound saying what there is."""
    record = find_run(run_id_or_config, state_dir)
    plan = load_plan(plan_path(record.path))
    journal = Journal.reopen(record.path)
    return Run(plan, getattr(session, "session", session), journal, run_id=record.run_id, consent=consent,
               suffixes=_suffixes(record.header.get("config")),
               previous=record, options=options, **clock)


def find_run(run_id_or_config: str | FactoryConfig | None, state_dir: Path | None = None) -> RunRecord:
    """The run `resume` would continue (see `resume_run`)."""
    if isinstance(run_id_or_config, str):
        path = runs_dir(state_dir) / f"{run_id_or_config}.jsonl"
        if not path.is_file():
            known = ", ".join(r.run_id for r in find_runs(state_dir)[-5:]) or "none"
            raise RunNotFound(f"there is no run {run_id_or_config}", f"recent runs: {known}")
        try:
            return load_run(path)
        except JournalError as exc:
            raise RunNotFound(str(exc), "start a new deployment with aifactory deploy") from None
    runs = [r for r in find_runs(state_dir) if r.status not in ("succeeded",) and r.refused is None]
    if isinstance(run_id_or_config, FactoryConfig):
        wanted = _scrubbed(run_id_or_config)
        runs = [r for r in runs if r.header.get("config") == wanted]
    if not runs:
        raise RunNotFound("there is no unfinished deployment run to resume",
                          "aifactory deploy starts one (it skips what an earlier run deployed)")
    return runs[-1]


def _suffixes(config: Any) -> dict[str, str]:
    """The resource-suffix fields of a journalled configuration (a run's header) and their values."""
    naming = config.get("naming") if isinstance(config, dict) else None
    if not isinstance(naming, dict):
        return {}
    return {f"naming.{key}": str(naming[key]) for key in ("common_resource_suffix", "project_resource_suffix")
            if isinstance(naming.get(key), str)}


def _scrubbed(config: FactoryConfig) -> Any:
    from wizard.secrets import scrub

    kept, _ = scrub(config.model_dump(mode="json"))
    return kept


# ------------------------------------------------------------------------------------ the saved plan


def plan_path(journal_path: Path) -> Path:
    """Where a run's plan is saved, beside its journal."""
    return journal_path.with_name(journal_path.name.removesuffix(".jsonl") + ".plan.json")


def save_plan(path: Path, plan: Plan) -> None:
    """Write the plan (stages with their templates) atomically."""
    from wizard.atomic_file import atomic_write

    path.parent.mkdir(parents=True, exist_ok=True)
    stages = [{"id": s.id, "environment": s.environment, "project": s.project, "kind": s.kind, "title": s.title,
               "deployment_name": s.deployment_name,
               "scope": {"subscription_id": s.scope.subscription_id, "location": s.scope.location,
                         "resource_group": s.scope.resource_group},
               "template": s.template, "depends_on": list(s.depends_on), "reads": list(s.reads),
               "resources": [[r.type, r.name, r.api_version] for r in s.resources]} for s in plan.stages]
    atomic_write(path, json.dumps({"stages": stages, "notes": list(plan.notes)}, separators=(",", ":")),
                 backup=False)


def load_plan(path: Path) -> Plan:
    """Read a plan written by `save_plan`."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        stages = tuple(Stage(s["id"], s["environment"], s["project"], s["kind"], s["title"], s["deployment_name"],
                             Scope(**s["scope"]), s["template"], tuple(s["depends_on"]),
                             tuple(PlannedResource(*r) for r in s["resources"]), tuple(s.get("reads", ())))
                       for s in data["stages"])
        return Plan(stages, tuple(data.get("notes", ())))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise RunNotFound(f"the run's plan {path} cannot be read ({exc})",
                          "start a new deployment with aifactory deploy (it skips what was deployed)") from None


__all__ = ["RunNotFound", "RunOptions", "find_run", "resume_run", "start_run"]
