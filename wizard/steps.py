"""The wizard's steps: what each asks, which fields and live checks belong to it.

One list for every front end (the Textual wizard, the prompt mode), so both ask the same things
in the same order and a finding lands on the same step in both: by its `field` when it has one,
else by the live check that produced it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from wizard.edit import path_matches
from wizard.findings import Finding


@dataclass(frozen=True, slots=True)
class Step:
    """One step of the wizard."""

    id: str
    title: str
    blurb: str
    """One line on what the step decides."""
    fields: tuple[str, ...] = ()
    """Configuration paths edited here (`*` for any environment)."""
    checks: tuple[str, ...] = ()
    """Live checks whose cells belong here when their finding names no field."""
    demo_skips: bool = False
    """Not needed in demo mode (there is nothing to sign in to)."""


STEPS: tuple[Step, ...] = (
    Step("landing_zone", "Landing zone", "how the environments connect, and how people reach them",
         ("landing_zone.mode", "access")),
    Step("signin", "Sign-in", "the Azure account and tenant to check against",
         ("identity.tenant_id",), ("signin",), demo_skips=True),
    Step("environments", "Environments", "dev, stage and prod: subscriptions, regions, names",
         ("environments.*.enabled", "environments.*.subscription_id", "environments.*.region",
          "environments.*.region_short", "naming", "identity", "description"),
         ("subscription", "region", "providers", "permissions", "names")),
    Step("network", "Network", "the address plan, the hub or VPN, and what fits",
         ("network", "environments.*.cidr_octet", "environments.*.network_env", "landing_zone"),
         ("hub", "address_space", "network")),
    Step("services", "Services", "what each project gets",
         ("services", "security"), ()),
    Step("skus", "SKUs & capacity", "tiers, VM sizes and model capacity per environment",
         ("skus", "environments.*.compute"), ("vm_skus", "vcpu_quota", "model_quota", "search", "search_quota")),
    Step("projects", "Projects", "numbers, members and IP allow-lists", ("projects",), ()),
    Step("review", "Review", "the preflight grid, what will be created, save and export"),
)
"""In the order a person walks them."""

STEP_IDS: tuple[str, ...] = tuple(step.id for step in STEPS)


def step(step_id: str) -> Step:
    """The step called `step_id`."""
    return next(s for s in STEPS if s.id == step_id)


@functools.lru_cache(maxsize=4096)
def step_for_field(field: str) -> str | None:
    """The step that edits `field` (the most specific declaration wins), or None.

    Cached: the sidebar asks it for every finding on every redraw, and the answer depends on the
    path alone (STEPS never changes)."""
    best: tuple[int, str] | None = None
    for candidate in STEPS:
        for declared in candidate.fields:
            if path_matches(declared, field) and len(declared.split(".")) <= len(field.split(".")):
                depth = len(declared.split("."))
                if best is None or depth > best[0]:
                    best = (depth, candidate.id)
    return best[1] if best else None


def step_for_finding(finding: Finding) -> str:
    """Where a finding is shown and fixed: its field's step, else its check's, else the review."""
    if finding.field:
        by_field = step_for_field(finding.field)
        if by_field:
            return by_field
    for candidate in STEPS:
        if finding.check in candidate.checks:
            return candidate.id
    return "review"
