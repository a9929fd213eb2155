"""Preflight: every offline rule and live check for all environments, concurrently, streamed.

Two things run at once. A warm-up submits every read the checks will need to the session's pool
(each distinct read once, thanks to the session cache), so the slowest part — waiting for
ARM — overlaps completely. Meanwhile each (check, environment) pair runs in its own thread and
reports its findings through `on_finding` as soon as its reads are in, which is what lets the
TUI fill its grid live. The run ends with a grid: environment × check → pass, warn, fail.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Literal

from wizard import catalog
from wizard.azure.checks import AVAILABILITY_KIND, CHECK_FUNCTIONS, CHECKS, CheckContext, Reads, Target
from wizard.findings import Finding
from wizard.model import FactoryConfig, HubSpokeZone, VwanZone
from wizard.rules import run_rules

Status = Literal["pass", "warn", "fail", "n/a"]
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
                                   "set environments." + name + ".subscription_id (or use --demo)",
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
    for t in ctx.targets:
        sub, region = t.subscription_id, t.region
        if config.services.aks or config.services.azure_ml:
            thunks += [partial(reads.vm_skus, sub, region), partial(reads.vcpu_usages, sub, region)]
        if config.services.ai_foundry and config.skus.models:
            thunks += [partial(reads.models, sub, region), partial(reads.model_usages, sub, region)]
        if isinstance(zone, HubSpokeZone) and t.name in zone.hub_vnet_ids:
            thunks.append(partial(reads.resource, zone.hub_vnet_ids[t.name]))
        if isinstance(zone, VwanZone) and t.name in zone.virtual_hub_ids:
            thunks.append(partial(reads.resource, zone.virtual_hub_ids[t.name]))
        for generated in ctx.unique_names(t.name):
            kind = AVAILABILITY_KIND.get(generated.kind)
            if kind is not None:
                thunks.append(partial(reads.name_free, sub, kind, generated.name))
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


def _applicable(config: FactoryConfig, check: str) -> bool:
    services = config.services
    if check == "hub":
        return isinstance(config.landing_zone, (HubSpokeZone, VwanZone))
    if check in ("vm_skus", "vcpu_quota"):
        return services.aks or services.azure_ml
    if check == "model_quota":
        return services.ai_foundry and bool(config.skus.models)
    if check == "search":
        return services.ai_search
    return True


def _run_one(ctx: CheckContext, reads: Reads, check: str, target: Target) -> list[Finding]:
    """One check on one environment as an independent task; a failed read becomes a finding."""
    ctx.session.fresh_task()
    try:
        return CHECK_FUNCTIONS[check](ctx, reads, target)
    except Exception as exc:  # one failed read must not hide the other checks
        return [_error_finding(check, target, exc)]


def _run_concurrently(ctx: CheckContext, reads: Reads, jobs: list[tuple[str, Target]],
                      stream: Callable[[Iterable[Finding]], None]) -> list[list[Finding]]:
    """Each check in its own thread; their reads meet the warm-up's in the session cache.

    Findings are streamed as each check completes (the order varies from run to run) and
    returned per job, in the order of `jobs`, so the result itself never depends on timing.
    """
    results: list[list[Finding]] = [[] for _ in jobs]
    with ThreadPoolExecutor(max_workers=max(1, len(jobs)), thread_name_prefix="check") as runner:
        futures = {runner.submit(_run_one, ctx, reads, check, target): index
                   for index, (check, target) in enumerate(jobs)}
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            stream(results[futures[future]])
    return results


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
    """Run every rule and live check; `on_finding` sees each finding as soon as it exists.

    The result lists the findings in a fixed order however the threads ran: the offline rules,
    then each environment's checks in grid-column order.

    `parallel=False` runs the checks one after another with no warm-up, as a script calling
    the SDK would; the benchmark measures the concurrent run against it.
    """
    started = time.perf_counter()
    findings: list[Finding] = []

    def stream(batch: Iterable[Finding]) -> None:
        if on_finding is not None:
            for finding in batch:
                on_finding(finding)

    def emit(batch: Iterable[Finding]) -> None:
        batch = list(batch)
        findings.extend(batch)
        stream(batch)

    chosen = [c for c in checks if c in CHECK_FUNCTIONS] if not offline else []
    targets, missing = targets_for(config)
    ctx = CheckContext(session, config, tenant_id, targets)
    reads = Reads(session)
    live = bool(chosen and targets)
    # Start ARM reads first: the offline rules then run while the requests are in flight.
    warm = [session.submit(thunk) for thunk in warm_up(ctx, reads)] if live and parallel else []
    emit(run_rules(config))
    if not offline:
        emit(missing)
    if live:
        jobs = [(check, t) for t in targets for check in chosen if _applicable(config, check)]
        if parallel:
            findings.extend(f for batch in _run_concurrently(ctx, reads, jobs, stream) for f in batch)
        else:
            for check, target in jobs:
                emit(_run_one(ctx, reads, check, target))
    for future in warm:
        future.exception()  # a failed warm-up read surfaced through the check that needed it
    columns = [OFFLINE_COLUMN, *chosen]
    rows = [name for name, _ in config.environments.enabled()]
    applicable: dict[tuple[str, str], bool] = {(row, col): _applicable(config, col) for row in rows for col in chosen}
    grid = build_grid(findings, rows, columns, applicable)
    return PreflightResult(findings, grid, columns, time.perf_counter() - started,
                           getattr(session, "stats", None),
                           {sub: sorted(names) for sub, names in sorted(ctx.unregistered.items())})
