"""Preview a plan with ARM's what-if: per stage, what each resource would become.

Every stage is asked with the real `DeploymentsMgmtClient` (`begin_what_if` at its scope), the
sandbox or Azure answering, concurrently: previews change nothing, so nothing orders them. A
stage whose resource group does not exist yet (an earlier stage of the plan creates it) cannot be
asked, since what-if needs its scope to exist: everything in it is predicted as Create, which is
what an empty, new group means, and the stage says so. The same holds for a stage that reads a
resource an earlier stage has not created yet (the role assignments read the project identity's
principal id): ARM cannot evaluate it, so its assignments are predicted as Create. Resources
outside the plan that what-if mentions (Ignore, in incremental mode) are counted, not listed.

The preview carries the plan's fingerprint: the deploy command compares it with the plan it is
about to run and previews again when the configuration changed since.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from deploy.plan import Plan, Stage
from wizard.catalog import API_VERSIONS

CHANGE_TYPES = ("Create", "Modify", "Delete", "NoChange", "Deploy", "Unsupported")
"""What-if change types shown, in the order a summary lists them (Ignore is only counted)."""

CONCURRENCY = 8
"""What-if requests in flight at once (each one is a POST and a few polls)."""


@dataclass(frozen=True, slots=True)
class ResourceChange:
    """One resource's predicted change."""

    resource_id: str
    type: str
    name: str
    change: str
    """Create, Modify, Delete, NoChange, Deploy or Unsupported, as ARM's what-if says."""
    properties: tuple[str, ...] = ()
    """Paths of the properties a Modify changes, e.g. `properties.addressSpace.addressPrefixes`."""

    def to_json(self) -> dict[str, Any]:
        return {"resource_id": self.resource_id, "type": self.type, "name": self.name, "change": self.change,
                "properties": list(self.properties)}


@dataclass(frozen=True, slots=True)
class StagePreview:
    """What one stage would change."""

    stage_id: str
    changes: tuple[ResourceChange, ...] = ()
    ignored: int = 0
    """Resources already in the scope that the stage leaves alone."""
    predicted: bool = False
    """True when the scope does not exist yet, so every resource is a Create without asking ARM."""
    error: str | None = None
    """Why ARM could not preview the stage (its code and message)."""

    def to_json(self) -> dict[str, Any]:
        return {"stage": self.stage_id, "predicted": self.predicted, "error": self.error, "ignored": self.ignored,
                "changes": [c.to_json() for c in self.changes]}


@dataclass(frozen=True, slots=True)
class Preview:
    """A what-if of a whole plan, stage by stage, and the fingerprint of the plan it previewed."""

    fingerprint: str
    stages: tuple[StagePreview, ...] = field(default=())

    def counts(self) -> dict[str, int]:
        """Resources per change type over the whole plan (types with none left out)."""
        counter = Counter(c.change for s in self.stages for c in s.changes)
        return {kind: counter[kind] for kind in CHANGE_TYPES if counter[kind]}

    @property
    def errors(self) -> list[StagePreview]:
        """Stages ARM could not preview."""
        return [s for s in self.stages if s.error]

    def is_current(self, plan: Plan) -> bool:
        """False when `plan` differs from the one previewed (the configuration changed)."""
        return plan.fingerprint == self.fingerprint

    def stage(self, stage_id: str) -> StagePreview:
        return next(s for s in self.stages if s.stage_id == stage_id)

    def to_json(self) -> dict[str, Any]:
        return {"fingerprint": self.fingerprint, "counts": self.counts(),
                "stages": [s.to_json() for s in self.stages]}


def _type_and_name(resource_id: str) -> tuple[str, str]:
    """`Microsoft.X/a/b` and `n1/n2` of a resource id, named as the plan names it (a resource group:
    its type and name; an extension resource such as diagnostic settings: `target/name`)."""
    parts = [p for p in resource_id.split("/") if p]
    lowered = [p.lower() for p in parts]
    if "providers" not in lowered:
        return "Microsoft.Resources/resourceGroups", parts[-1]
    at = len(lowered) - 1 - lowered[::-1].index("providers")
    rest = parts[at + 1:]
    name = "/".join(rest[2::2])
    if lowered.count("providers") > 1:
        name = f"{parts[at - 1]}/{name}"
    return "/".join([rest[0], *rest[1::2]]), name


def _predicted(stage: Stage) -> StagePreview:
    """Every resource of a stage whose scope does not exist yet: Create."""
    changes = tuple(ResourceChange("", r.type, r.name, "Create") for r in stage.resources)
    return StagePreview(stage.id, changes, predicted=True)


def _from_result(stage: Stage, result: Any) -> StagePreview:
    changes: list[ResourceChange] = []
    ignored = 0
    for change in result.changes or []:
        kind = str(getattr(change.change_type, "value", change.change_type))
        if kind == "Ignore":
            ignored += 1
            continue
        rtype, name = _type_and_name(change.resource_id)
        paths = tuple(str(d.path) for d in (change.delta or []))
        changes.append(ResourceChange(change.resource_id, rtype, name, kind, paths))
    return StagePreview(stage.id, tuple(changes), ignored)


def _exists(resources: Any, resource_id: str) -> bool:
    """Whether a resource exists: a GET by id (HEAD is not served by every provider)."""
    from azure.core.exceptions import ResourceNotFoundError

    try:
        resources.resources.get_by_id(resource_id, api_version=API_VERSIONS[_type_and_name(resource_id)[0]])
    except ResourceNotFoundError:
        return False
    return True


def preview_stage(session: Any, stage: Stage, created_by_plan: set[str]) -> StagePreview:
    """What-if for one stage through the session's DeploymentsMgmtClient.

    `created_by_plan` holds the lower-cased ids of resource groups that earlier stages create.
    """
    from azure.core.exceptions import HttpResponseError

    scope = stage.scope
    try:
        resources = session.resources(scope.subscription_id)
        if scope.resource_group and scope.id.lower() in created_by_plan and not \
                resources.resource_groups.check_existence(scope.resource_group):
            return _predicted(stage)
        if not all(_exists(resources, read) for read in stage.reads):
            return _predicted(stage)
        if scope.resource_group:
            poller = session.deployments(scope.subscription_id).deployments.begin_what_if(
                scope.resource_group, stage.deployment_name, stage.request_body())
        else:
            poller = session.deployments(scope.subscription_id).deployments.begin_what_if_at_subscription_scope(
                stage.deployment_name, stage.request_body())
        return _from_result(stage, poller.result())
    except HttpResponseError as exc:
        error = exc.error
        text = f"{error.code}: {error.message}" if error is not None else str(exc).splitlines()[0]
        return StagePreview(stage.id, error=text)


def groups_created(plan: Plan) -> set[str]:
    """Lower-cased ids of the resource groups the plan's stages create."""
    out: set[str] = set()
    for stage in plan.stages:
        for resource in stage.resources:
            if resource.type == "Microsoft.Resources/resourceGroups":
                out.add(f"/subscriptions/{stage.scope.subscription_id}/resourcegroups/{resource.name}".lower())
    return out


def preview(plan: Plan, session: Any, *, on_stage: Callable[[StagePreview], None] | None = None) -> Preview:
    """What-if every stage of `plan` on `session` (an AzureSession, sandbox or Azure).

    `on_stage` hears each stage's preview as it arrives (for progress); the result lists them in
    plan order.
    """
    created = groups_created(plan)
    with ThreadPoolExecutor(max_workers=CONCURRENCY, thread_name_prefix="what-if") as pool:
        futures = [pool.submit(preview_stage, session, stage, created) for stage in plan.stages]
        results = []
        for future in futures:
            result = future.result()
            if on_stage is not None:
                on_stage(result)
            results.append(result)
    return Preview(plan.fingerprint, tuple(results))
