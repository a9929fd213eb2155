"""Preflight: every offline rule and live check for all environments, concurrently, streamed.

Two things run at once. A warm-up submits every read the checks will need to the session's pool
(each distinct read once, thanks to the session cache), so the slowest part — waiting for
ARM — overlaps completely. Meanwhile each (check, environment) pair runs in its own thread and
reports its findings through `on_finding` as soon as its reads are in, which is what lets the
TUI fill its grid live. The run ends with a grid: environment × check → pass, warn, fail.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from wizard import catalog, naming
from wizard.azure.checks import (
    AVAILABILITY_KIND,
    CHECKS,
    REGISTRY,
    CheckContext,
    Reads,
    Target,
    availability,
)
from wizard.azure.clients import ReadCancelled
from wizard.edit import changed_paths, path_matches
from wizard.events import (
    CellStatus,
    CheckFinished,
    CheckStarted,
    Event,
    PreflightFinished,
    ReadsProgress,
    RulesFinished,
    status_of,
)
from wizard.findings import Finding
from wizard.model import ENV_NAMES, FactoryConfig, HubSpokeZone, VwanZone
from wizard.rules import run_rules

Status = CellStatus
OFFLINE_COLUMN = "offline"
"""Grid column that summarises the offline rules."""
GLOBAL_ROW = "all"
"""Grid row for findings that belong to no single environment."""


@dataclass
class PreflightResult:
    """Everything a preflight found, the grid, and what it cost."""

    findings: list[Finding]
    grid: dict[str, dict[str, Status]]
    columns: list[str]
    elapsed: float
    stats: Any = None
    unregistered: dict[str, list[str]] = field(default_factory=dict)
    """Subscription -> provider namespaces that are not registered."""

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)



def targets_for(config: FactoryConfig) -> tuple[list[Target], list[Finding]]:
    """The enabled environments with a subscription; a finding for each one without."""
    targets, missing = [], []
    for name, env in config.environments.enabled():
        if env.subscription_id is None or "<todo>" in env.subscription_id:
            missing.append(Finding("error", "AIF-LIVE-NO-SUBSCRIPTION", f"{name} has no subscription to check",
                                   "set environments." + name + ".subscription_id (the demo fills the demo tenant's)",
                                   f"environments.{name}.subscription_id", name, "subscription"))
        else:
            targets.append(Target(name, env, env.subscription_id))
    return targets, missing


def warm_up(ctx: CheckContext, reads: Reads) -> list[Callable[[], Any]]:
    """Every read the checks will make, as thunks to run concurrently up front."""
    config = ctx.config
    thunks: list[Callable[[], Any]] = []
    subs = {t.subscription_id for t in ctx.targets}
    zone = config.landing_zone
    hub_dns = zone.dns if isinstance(zone, (HubSpokeZone, VwanZone)) else None
    if hub_dns is not None and hub_dns.subscription_id:
        if catalog.required_providers(config, subscription="hub_dns"):
            thunks.append(partial(reads.providers, hub_dns.subscription_id))
        if hub_dns.resource_group:
            thunks.append(partial(reads.dns_zones, hub_dns.subscription_id, hub_dns.resource_group))
    for sub in subs:
        thunks += [partial(reads.subscription, sub), partial(reads.locations, sub),
                   partial(reads.providers, sub), partial(reads.permissions, sub),
                   partial(reads.deleted_vaults, sub), partial(reads.vnets, sub)]
        if config.services.ai_foundry:
            thunks.append(partial(reads.deleted_accounts, sub))
        if REGISTRY["elastic"].applies(config):
            thunks.append(partial(reads.policy_assignments, sub))
    for t in ctx.targets:
        sub, region = t.subscription_id, t.region
        thunks.append(partial(reads.own_vnet, sub, naming.vnet_resource_group(config, t.name),
                              naming.common_vnet(config, t.name)))
        if config.services.aks or config.services.azure_ml:
            thunks += [partial(reads.vm_skus, sub, region), partial(reads.vcpu_usages, sub, region)]
        if config.services.ai_foundry and config.skus.models:
            thunks.append(partial(reads.models, sub, region))
        if (config.services.ai_foundry and config.skus.models) or REGISTRY["ai_accounts"].applies(config):
            thunks.append(partial(reads.model_usages, sub, region))
        if REGISTRY["search_quota"].applies(config):
            thunks.append(partial(reads.search_usages, sub, region))
        if REGISTRY["cosmos"].applies(config):
            thunks.append(partial(reads.cosmos_location, sub, region))
        if isinstance(zone, HubSpokeZone) and t.name in zone.hub_vnet_ids:
            thunks.append(partial(reads.resource, zone.hub_vnet_ids[t.name]))
        if isinstance(zone, VwanZone) and t.name in zone.virtual_hub_ids:
            thunks.append(partial(reads.resource, zone.virtual_hub_ids[t.name]))
        thunks += [partial(availability, ctx, reads, t, generated) for generated in ctx.unique_names(t.name)
                   if generated.kind in AVAILABILITY_KIND]
    return thunks


def _error_finding(check: str, target: Target, exc: BaseException) -> Finding:
    """A read that failed after the SDK's retries: the check cannot pass, say why."""
    from azure.core.exceptions import ClientAuthenticationError, HttpResponseError

    if isinstance(exc, ClientAuthenticationError) or (isinstance(exc, HttpResponseError) and exc.status_code == 401):
        return Finding("error", "AIF-LIVE-AUTH", f"Azure refused the sign-in while checking {check}",
                       "sign in again (az login), then re-run", "", target.name, check)
    if isinstance(exc, HttpResponseError):
        code = exc.error.code if exc.error is not None else exc.status_code
        return Finding("error", "AIF-LIVE-READ", f"Azure answered {code} while checking {check}: "
                       f"{str(exc.message or exc).splitlines()[0]}", "re-run; if it persists check access to "
                       "the subscription", "", target.name, check)
    return Finding("error", "AIF-LIVE-CRASH", f"the {check} check failed: {exc!r}",
                   "re-run; please report it if it persists", "", target.name, check)


def build_grid(findings: Iterable[Finding], rows: Sequence[str], columns: Sequence[str],
               applicable: Mapping[tuple[str, str], bool]) -> dict[str, dict[str, Status]]:
    """environment × check → status from the findings (fail beats warn beats pass)."""
    grid: dict[str, dict[str, Status]] = {
        row: {col: ("pass" if applicable.get((row, col), True) else "n/a") for col in columns} for row in rows
    }
    rank = {"n/a": 0, "pass": 1, "warn": 2, "fail": 3}
    for f in findings:
        column = f.check if f.check in CHECKS else OFFLINE_COLUMN
        row = f.environment if f.environment in grid else GLOBAL_ROW
        if row not in grid:
            grid[row] = {col: "n/a" for col in columns}
        status: Status = "fail" if f.severity == "error" else "warn" if f.severity == "warning" else "pass"
        if rank[status] > rank[grid[row][column]]:
            grid[row][column] = status
    return grid


def _run_one(ctx: CheckContext, reads: Reads, check: str, target: Target) -> list[Finding] | None:
    """One check on one environment as an independent task; a failed read becomes a finding.

    None when the run was cancelled before the check could finish.
    """
    ctx.session.fresh_task()
    try:
        return REGISTRY[check].run(ctx, reads, target)
    except ReadCancelled:
        return None
    except Exception as exc:  # one failed read must not hide the other checks
        return [_error_finding(check, target, exc)]


def _reads_progress(session: Any) -> ReadsProgress | None:
    stats = getattr(session, "stats", None)
    if stats is None:
        return None
    return ReadsProgress(stats.distinct_reads, stats.cache_hits, stats.http_requests)


def iter_preflight(
    config: FactoryConfig,
    session: Any,
    *,
    tenant_id: str | None,
    checks: Iterable[str] | None = None,
    environments: Iterable[str] | None = None,
    cells: Iterable[tuple[str, str]] | None = None,
    cancel: threading.Event | None = None,
    offline: bool = False,
    rules: bool = True,
    parallel: bool = True,
) -> Iterator[Event]:
    """Run the offline rules and the live checks, yielding progress events as they happen.

    The stream: `RulesFinished` (unless `rules=False`), `CheckFinished` with status n/a for every
    cell that does not apply, then `CheckStarted` / `CheckFinished` per (check, environment) as
    each finishes (a passing cell too), `ReadsProgress` after each, and `PreflightFinished` last.
    `checks`, `environments` or explicit `cells` narrow the run (only the cells a change
    affected, see `affected_cells`). Setting `cancel`, or closing the generator, stops the run
    within one in-flight read per thread; the stream then ends with `PreflightFinished(cancelled=True)`.
    """
    started = time.perf_counter()
    cancel = cancel or threading.Event()
    chosen = [] if offline else [c for c in (checks or CHECKS) if c in REGISTRY]
    wanted_envs = set(environments) if environments is not None else None
    wanted_cells = set(cells) if cells is not None else None
    targets, missing = targets_for(config)
    ctx = CheckContext(session, config, tenant_id, targets)
    reads = Reads(session, cancel)
    if hasattr(session, "forget_failures"):
        session.forget_failures()
    jobs: list[tuple[str, Target]] = []
    not_applicable: list[tuple[str, str]] = []
    for target in targets:
        if wanted_envs is not None and target.name not in wanted_envs:
            continue
        for check in chosen:
            if wanted_cells is not None and (check, target.name) not in wanted_cells:
                continue
            if REGISTRY[check].applies(config):
                jobs.append((check, target))
            else:
                not_applicable.append((check, target.name))
    # Start ARM reads first: the offline rules then run while the requests are in flight.
    warm = [session.submit(thunk) for thunk in warm_up(ctx, reads)] if jobs and parallel else []
    try:
        if rules:
            # Room for the projects depends on the VNet Azure holds: address_space judges it where it can.
            live = {t.name for t in targets} if "address_space" in chosen else set()
            yield RulesFinished(tuple(run_rules(
                config, capacity_for=[name for name, _ in config.environments.enabled() if name not in live])))
        if not offline:
            for finding in missing:
                if wanted_envs is None or finding.environment in wanted_envs:
                    yield CheckFinished("subscription", finding.environment, "fail", (finding,))
        for check, env in not_applicable:
            yield CheckFinished(check, env, "n/a")
        if parallel:
            yield from _stream_concurrently(ctx, reads, jobs, cancel)
        else:
            for check, target in jobs:
                if cancel.is_set():
                    break
                yield CheckStarted(check, target.name)
                found = _run_one(ctx, reads, check, target)
                if found is not None:
                    yield CheckFinished(check, target.name, status_of(found), tuple(found))
                    progress = _reads_progress(session)
                    if progress is not None:
                        yield progress
    except GeneratorExit:
        cancel.set()  # the consumer stopped listening: stop reading on its behalf
        raise
    finally:
        for future in warm:
            if cancel.is_set():
                future.cancel()
            elif not future.cancelled():
                future.exception()  # a failed warm-up read surfaced through the check that needed it
    yield PreflightFinished(cancel.is_set(), time.perf_counter() - started,
                            {sub: sorted(ns) for sub, ns in sorted(ctx.unregistered.items())})


def _stream_concurrently(ctx: CheckContext, reads: Reads, jobs: list[tuple[str, Target]],
                         cancel: threading.Event) -> Iterator[Event]:
    """Each check in its own thread; their events reach the caller's thread through a queue."""
    if not jobs:
        return
    events: queue.SimpleQueue[Event | None] = queue.SimpleQueue()

    def task(check: str, target: Target) -> None:
        try:
            if cancel.is_set():
                return
            events.put(CheckStarted(check, target.name))
            found = _run_one(ctx, reads, check, target)
            if found is not None:
                events.put(CheckFinished(check, target.name, status_of(found), tuple(found)))
                progress = _reads_progress(ctx.session)
                if progress is not None:
                    events.put(progress)
        finally:
            events.put(None)  # this job is done, whatever happened

    runner = ThreadPoolExecutor(max_workers=len(jobs), thread_name_prefix="check")
    try:
        for check, target in jobs:
            runner.submit(task, check, target)
        remaining = len(jobs)
        while remaining:
            event = events.get()
            if event is None:
                remaining -= 1
            else:
                yield event
    except GeneratorExit:
        cancel.set()
        raise
    finally:
        runner.shutdown(wait=True, cancel_futures=cancel.is_set())


def affected_cells(old: FactoryConfig, new: FactoryConfig) -> set[tuple[str, str]]:
    """The (check, environment) cells whose result may differ after `old` became `new`.

    Decided by the paths each check declares it reads (`LiveCheck.reads`), so changing a
    project's name re-runs nothing and changing dev's region re-runs dev's region, VM size,
    quota and search cells, not stage's.
    """
    changed = changed_paths(old, new)
    if not changed:
        return set()
    out: set[tuple[str, str]] = set()
    for check in REGISTRY.values():
        for env in ENV_NAMES:
            if any(path_matches(declared, path) or path_matches(path, declared)
                   for declared in check.reads_for(env) for path in changed):
                out.add((check.name, env))
    return out


def run_preflight(
    config: FactoryConfig,
    session: Any,
    *,
    tenant_id: str | None,
    on_finding: Callable[[Finding], None] | None = None,
    offline: bool = False,
    checks: Iterable[str] = CHECKS,
    parallel: bool = True,
) -> PreflightResult:
    """Every rule and live check as one result: a fold over `iter_preflight`.

    `on_finding` sees each finding as soon as it exists (in the order the checks finish, which
    varies from run to run); the result lists them in a fixed order: the offline rules, then each
    environment's cells in grid-column order. `parallel=False` runs the checks one after another
    with no warm-up, as a script calling the SDK would; the benchmark measures the concurrent
    run against it.
    """
    started = time.perf_counter()
    rule_findings: list[Finding] = []
    cell_findings: dict[tuple[str, str], tuple[Finding, ...]] = {}
    chosen = [] if offline else [c for c in checks if c in REGISTRY]
    applicable: dict[tuple[str, str], bool] = {}
    unregistered: dict[str, list[str]] = {}
    for event in iter_preflight(config, session, tenant_id=tenant_id, checks=chosen, offline=offline,
                                parallel=parallel):
        batch: tuple[Finding, ...] = ()
        if isinstance(event, RulesFinished):
            batch = event.findings
            rule_findings += batch
        elif isinstance(event, CheckFinished):
            batch = event.findings
            cell_findings[(event.environment, event.check)] = batch
            if event.status == "n/a":
                applicable[(event.environment, event.check)] = False
        elif isinstance(event, PreflightFinished):
            unregistered = event.unregistered
        if on_finding is not None:
            for finding in batch:
                on_finding(finding)
    columns = [OFFLINE_COLUMN, *chosen]
    rows = [name for name, _ in config.environments.enabled()]
    order: dict[tuple[str, str], int] = {
        cell: index for index, cell in enumerate((row, check) for row in rows for check in CHECKS)}
    findings = rule_findings + [f for cell in sorted(cell_findings, key=lambda c: (order.get(c, len(order)), c))
                                for f in cell_findings[cell]]
    grid = build_grid(findings, rows, columns, applicable)
    return PreflightResult(findings, grid, columns, time.perf_counter() - started,
                           getattr(session, "stats", None), unregistered)
