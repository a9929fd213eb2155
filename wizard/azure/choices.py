"""What a person may choose from, read live: the subscriptions a sign-in sees, and how well each
region suits one environment.

A front end's pickers stand on these. The subscriptions are read once per session (the session's
read cache keeps them until a re-check clears it). A region is judged by running the live checks
that depend on what the region offers (resource types, VM sizes, models and their quota, AI
Search, Cosmos DB) on the configuration with that region put in, so a picker's mark and the
review's grid can never disagree. Nothing here prompts, prints or imports a UI.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, as_completed
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal

from wizard.findings import Finding
from wizard.model import EnvName, FactoryConfig

USABLE_STATES = ("Enabled", "Warned", "PastDue")
"""Subscription states Azure still deploys into (Warned and PastDue are about to be disabled)."""


@dataclass(frozen=True, slots=True)
class SubscriptionChoice:
    """One subscription the signed-in session can see."""

    subscription_id: str
    name: str
    state: str
    """Azure's state: Enabled, Warned, PastDue, Disabled or Deleted."""
    tenant_id: str = ""

    @property
    def usable(self) -> bool:
        """True when Azure would deploy into it."""
        return self.state in USABLE_STATES

    @property
    def warned(self) -> bool:
        """True when it still works but is about to be disabled (billing)."""
        return self.state in ("Warned", "PastDue")


def list_subscriptions(session: Any) -> list[SubscriptionChoice]:
    """Every subscription `session` (an AzureSession) can see, sorted by name; read once, cached."""
    from wizard.azure.sdk_models import prepared

    def fetch() -> list[SubscriptionChoice]:
        found = []
        for sub in prepared(session.subscriptions().subscriptions.list)():
            state = str(getattr(sub.state, "value", sub.state) or "")
            found.append(SubscriptionChoice(sub.subscription_id, sub.display_name or sub.subscription_id,
                                            state, sub.tenant_id or ""))
        return sorted(found, key=lambda s: (s.name.lower(), s.subscription_id))

    result: list[SubscriptionChoice] = session.read(("subscriptions",), fetch)
    return result


# ---------------------------------------------------------------------------------- regions

REGION_FIT_CHECKS = ("region", "vm_skus", "vcpu_quota", "model_quota", "search", "search_quota", "cosmos")
"""The live checks that judge what a region offers: its resource types, VM sizes and vCPU quota,
models and their TPM quota, AI Search and its quota, Cosmos DB. The others (permissions, names,
the hub, address space) do not change with the region, or not in a way a region list can show."""

Fit = Literal["ok", "warn", "bad", "unavailable"]


@dataclass(frozen=True, slots=True)
class RegionFit:
    """How one region suits one environment, by the live checks that depend on the region."""

    region: str
    fit: Fit
    """ok: nothing found; warn: warnings only; bad: an error; unavailable: not offered to the
    subscription at all."""
    findings: tuple[Finding, ...] = ()

    @property
    def summary(self) -> str:
        """One short line: what is wrong first, or empty when nothing is."""
        if not self.findings:
            return ""
        first = self.findings[0].message
        more = len(self.findings) - 1
        return first + (f" (+{more} more)" if more else "")


def with_region(config: FactoryConfig, env: EnvName, region: str) -> FactoryConfig:
    """`config` with environment `env` moved to `region` (the short code follows the catalog's)."""
    environment = config.environments.get(env).model_copy(update={"region": region, "region_short": None})
    environments = config.environments.model_copy(update={env: environment})
    return config.model_copy(update={"environments": environments})


def region_fit(session: Any, config: FactoryConfig, env: EnvName, region: str, *,
               tenant_id: str | None = None, cancel: threading.Event | None = None) -> RegionFit | None:
    """How `region` suits environment `env` of `config` (prepared: it has its subscription).

    None when the environment has no subscription to ask about, or the run was cancelled.
    """
    from wizard.azure.checks import REGISTRY, CheckContext, Reads
    from wizard.azure.preflight import _run_one, targets_for
    from wizard.findings import sort_findings

    candidate = with_region(config, env, region)
    targets, _ = targets_for(candidate)
    target = next((t for t in targets if t.name == env), None)
    if target is None:
        return None
    # the candidate first: a quota shared by environments in one region is reported on the first
    ctx = CheckContext(session, candidate, tenant_id, [target, *(t for t in targets if t is not target)])
    reads = Reads(session, cancel)
    found: list[Finding] = []
    for check in REGION_FIT_CHECKS:
        if not REGISTRY[check].applies(candidate):
            continue
        result = _run_one(ctx, reads, check, target)
        if result is None:
            return None
        if check == "region" and any(f.code == "AIF-LIVE-REGION" for f in result):
            return RegionFit(region, "unavailable", tuple(result))
        found += [f for f in result if f.environment == env]
    findings = tuple(sort_findings(found))
    fit: Fit = ("bad" if any(f.severity == "error" for f in findings)
                else "warn" if any(f.severity == "warning" for f in findings) else "ok")
    return RegionFit(region, fit, findings)


def iter_region_fits(session: Any, config: FactoryConfig, env: EnvName, regions: Iterable[str], *,
                     tenant_id: str | None = None, cancel: threading.Event | None = None) -> Iterator[RegionFit]:
    """`region_fit` for every region, concurrently on the session's pool, each as it finishes.

    Setting `cancel` (a picker closed) stops the remaining regions within one read each.
    """
    cancel = cancel or threading.Event()
    futures: list[Future[RegionFit | None]] = [
        session.submit(partial(region_fit, tenant_id=tenant_id, cancel=cancel), session, config, env, region)
        for region in regions
    ]
    try:
        for future in as_completed(futures):
            if cancel.is_set():
                break
            fit = future.result()
            if fit is not None:
                yield fit
    finally:
        if cancel.is_set() or any(not f.done() for f in futures):
            cancel.set()
            for future in futures:
                future.cancel()
