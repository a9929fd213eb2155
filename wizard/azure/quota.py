"""The quota usages behind the SKU step's bars, read through the live session's cache.

The live quota checks read the same usages (vCPUs per family, model TPM, search services per
tier) with the same cache keys, so after a preflight run these reads cost nothing; a reading of
a region no check has seen yet asks Azure once. Runs in a worker thread of the front end.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from wizard.model import TODO, EnvName, FactoryConfig
from wizard.quota import QuotaKind, Reading, Usage, needs, sharing

if TYPE_CHECKING:
    from wizard.azure.run import LiveSession


def read_quotas(live: LiveSession, config: FactoryConfig,
                cancel: threading.Event | None = None) -> dict[EnvName, Reading]:
    """Every enabled environment's usages for the quotas `config` needs; an environment without
    a subscription is left out, and a read that fails says why in its `Reading.error`."""
    from azure.core.exceptions import AzureError

    from wizard.azure.checks import PreflightCancelled, Reads

    prepared, _ = live.prepare(config)
    reads = Reads(live.session, cancel)
    groups = sharing(prepared)
    out: dict[EnvName, Reading] = {}
    for name, env in prepared.environments.enabled():
        sub = env.subscription_id
        if sub is None or TODO in sub:
            continue
        kinds = {need.kind for need in needs(prepared, groups[name])}
        usages: dict[tuple[QuotaKind, str], Usage] = {}
        errors = []
        for kind in sorted(kinds):
            try:
                usages.update(_usages(reads, kind, sub, env.region))
            except PreflightCancelled:
                return out
            except AzureError as exc:
                errors.append(f"{kind}: {str(exc).splitlines()[0]}")
        out[name] = Reading(sub, env.region, usages, "; ".join(errors))
    return out


def _usages(reads: Any, kind: QuotaKind, sub: str, region: str) -> dict[tuple[QuotaKind, str], Usage]:
    if kind == "vcpu":
        return {(kind, key): Usage(int(u.current_value), int(u.limit))
                for key, u in reads.vcpu_usages(sub, region).items()}
    if kind == "tpm":
        return {(kind, key): Usage(int(u.current_value), int(u.limit))
                for key, u in reads.model_usages(sub, region).items()}
    rows = reads.search_usages(sub, region) or {}
    return {(kind, key): Usage(int(row["currentValue"]), int(row["limit"])) for key, row in rows.items()}
