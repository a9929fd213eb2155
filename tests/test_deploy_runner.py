"""The runner against the sandbox through the real SDK clients: parallel stages, failures that stop
one branch, retries, provider registration with consent, cancel, leave-running and resume, a
second deploy that deploys nothing, and the journal that records it all.

The sandbox runs on a frozen clock here: when the runner has nothing in flight it moves the
clock to its next poll instead of waiting, so a whole three-environment run takes well under a
second of real time while every request, Retry-After and backoff is honoured in sandbox time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import deploy_plans
import pytest

from deploy.journal import load_run
from deploy.launch import resume_run, start_run
from deploy.runner import Run, RunOptions
from sandbox import seed
from sandbox.arm import Arm
from sandbox.clock import SandboxClock
from sandbox.faults import FaultPlan, ResourceFailure
from sandbox.transport import SandboxCredential, SandboxTransport
from wizard.azure.clients import AzureSession
from wizard.events import Event, ProviderRegistration, RunFinished, StageFinished, StageRetrying, StageStarted

OPTIONS = RunOptions(poll=5.0, backoff=4.0)


class Cloud:
    """A sandbox on a frozen clock, a session on it, and runs started on both."""

    def __init__(self, faults: FaultPlan | None = None) -> None:
        self.arm = Arm(clock=SandboxClock.frozen(speed=30), faults=faults)
        self.transport = SandboxTransport(self.arm)
        self.session = AzureSession(SandboxCredential(), transport=self.transport)

    def clock(self) -> dict[str, Any]:
        return {"clock": self.arm.clock.now, "advance": self.arm.clock.advance}

    def start(self, plan: Any, state_dir: Path, **kw: Any) -> Run:
        return start_run(None, self.session, plan=plan, force=True, state_dir=state_dir,  # type: ignore[arg-type]
                         options=OPTIONS, config_name="hand-made", **self.clock(), **kw)

    def resume(self, run_id: str, state_dir: Path, **kw: Any) -> Run:
        return resume_run(run_id, self.session, state_dir=state_dir, options=OPTIONS, **self.clock(), **kw)

    def deployments(self, subscription: str = seed.AIF_DEV) -> Any:
        return self.session.deployments(subscription)


def drain(run: Run) -> list[Event]:
    return list(run.events())


def finished(events: list[Event]) -> dict[str, StageFinished]:
    return {e.stage: e for e in events if isinstance(e, StageFinished)}


def test_three_environments_deploy_in_parallel_and_the_journal_folds_them(tmp_path: Path) -> None:
    cloud = Cloud()
    plan = deploy_plans.plan(projects=2)
    run = cloud.start(plan, tmp_path)
    events = drain(run)
    end = events[-1]
    assert isinstance(end, RunFinished) and (end.status, end.succeeded, end.failed) == ("succeeded", 12, 0)
    kinds = [e.kind for e in events]
    assert kinds[0] == "run_started" and kinds.count("stage_started") == 12
    # the three resource groups are submitted before any of them finished: independent stages overlap
    first_finish = kinds.index("stage_finished")
    assert kinds[:first_finish].count("stage_started") == 3
    record = load_run(Path(end.journal))
    assert record.status == "succeeded" and all(s.status == "succeeded" for s in record.stages.values())
    services = record.stages["prod/prj002-services"]
    assert {r.name: (r.state, r.status_code) for r in services.resources.values()} == {
        "sttprod002": ("Succeeded", "Created"), "kv-t-prod-002": ("Succeeded", "Created")}
    assert services.elapsed > 0 and services.portal_url.startswith("https://portal.azure.com/")
    # one status request and one operations list per deployment per poll
    assert run.requests["status"] == run.requests["polls"] == run.requests["operations"]


def test_a_quota_failure_stops_its_project_only_and_a_retry_recovers_it(tmp_path: Path) -> None:
    faults = FaultPlan(resource_failures=[ResourceFailure("Microsoft.Search/searchServices", "InsufficientQuota",
                                                          times=1)])
    cloud = Cloud(faults)
    plan = deploy_plans.plan(("dev",), projects=3, with_search=True)
    run = cloud.start(plan, tmp_path)
    events = drain(run)
    ends = finished(events)
    failed = ends["dev/prj001-services"]
    assert (failed.status, failed.error_class) == ("failed", "quota")
    assert failed.failure is not None and "InsufficientQuota" in failed.failure.message
    assert "Microsoft.Search/searchServices" in failed.failure.message
    assert "quota" in failed.failure.hint and failed.failure.fix is not None
    assert failed.failure.fix.kind == "open_link"
    assert ends["dev/prj002-services"].status == ends["dev/prj003-services"].status == "succeeded"
    assert isinstance(events[-1], RunFinished) and events[-1].status == "failed"
    run.retry("dev/prj001-services")
    again = drain(run)
    assert isinstance(again[0], StageStarted) and again[0].stage == "dev/prj001-services"
    assert finished(again)["dev/prj001-services"].status == "succeeded"
    assert isinstance(again[-1], RunFinished) and again[-1].status == "succeeded"
    assert load_run(Path(again[-1].journal)).status == "succeeded"


def test_a_failure_blocks_what_depends_on_it(tmp_path: Path) -> None:
    cloud = Cloud(FaultPlan(resource_failures=[ResourceFailure("Microsoft.Network/virtualNetworks",
                                                               "RequestDisallowedByPolicy")]))
    events = drain(cloud.start(deploy_plans.plan(("dev", "prod"), projects=1), tmp_path))
    ends = finished(events)
    assert (ends["dev/common-network"].status, ends["dev/common-network"].error_class) == ("failed", "policy")
    assert ends["dev/prj001-services"].status == "blocked"
    assert ends["prod/common-network"].status == "failed"
    assert ends["dev/common-rg"].status == "succeeded"


def test_stopped_under_a_throttling_storm_and_resumed_it_still_deploys_everything_once(tmp_path: Path) -> None:
    cloud = Cloud(FaultPlan(seed=3, throttle_rate=0.34, transient_rate=0.1))
    run = cloud.start(deploy_plans.plan(projects=1), tmp_path)
    _until_started(run, "stage/common-network")
    run.interrupt(cancel_in_azure=False)  # the process goes away; its deployments go on
    stopped = drain(run)
    done_before = {s for s, e in finished(stopped).items() if e.status == "succeeded"}
    submitted = {k: r["correlation_id"] for k, r in cloud.arm.world.deployments.items()}
    events = drain(cloud.resume(run.id, tmp_path))
    assert isinstance(events[-1], RunFinished) and events[-1].status == "succeeded"
    assert all(finished(events)[s].status == "skipped" for s in done_before)
    now = {k: r["correlation_id"] for k, r in cloud.arm.world.deployments.items()}
    assert all(now[k] == v for k, v in submitted.items())
    assert cloud.arm.faults.injected["throttle"] > 10
    assert any(k.startswith("transient") for k in cloud.arm.faults.injected)


def test_a_transient_deployment_failure_is_submitted_again_after_a_backoff(tmp_path: Path) -> None:
    cloud = Cloud(FaultPlan(resource_failures=[ResourceFailure("Microsoft.KeyVault/vaults", "InternalServerError",
                                                               times=1)]))
    events = drain(cloud.start(deploy_plans.plan(("dev",), projects=1), tmp_path))
    retrying = [e for e in events if isinstance(e, StageRetrying)]
    assert [(e.stage, e.attempt, e.delay) for e in retrying] == [("dev/prj001-services", 2, 4.0)]
    assert "InternalServerError" in retrying[0].reason
    starts = [e for e in events if isinstance(e, StageStarted) and e.stage == "dev/prj001-services"]
    assert [e.attempt for e in starts] == [1, 2]
    assert isinstance(events[-1], RunFinished) and events[-1].status == "succeeded"


def test_a_provider_is_registered_only_with_consent(tmp_path: Path) -> None:
    plan = deploy_plans.plan(("stage",), projects=1, with_search=True)  # Microsoft.Search: not registered
    refused = drain(Cloud().start(plan, tmp_path, consent=False))
    end = finished(refused)["stage/prj001-services"]
    assert (end.status, end.error_class) == ("failed", "registration")
    assert end.failure is not None and end.failure.fix is not None
    assert end.failure.fix.kind == "register_provider"
    assert [(e.namespace, e.state) for e in refused if isinstance(e, ProviderRegistration)] == [
        ("Microsoft.Search", "Refused")]
    asked: list[tuple[str, list[str]]] = []

    def consent(subscription: str, namespaces: list[str]) -> bool:
        asked.append((subscription, namespaces))
        return True

    events = drain(Cloud().start(plan, tmp_path, consent=consent))
    assert asked == [(seed.AIF_STAGE, ["Microsoft.Search"])]
    assert [e.state for e in events if isinstance(e, ProviderRegistration)] == ["Registering", "Registered"]
    assert isinstance(events[-1], RunFinished) and events[-1].status == "succeeded"


def test_a_second_deploy_of_the_same_plan_deploys_nothing(tmp_path: Path) -> None:
    cloud = Cloud()
    plan = deploy_plans.plan(("dev",), projects=2)
    drain(cloud.start(plan, tmp_path))
    history = {k: r["correlation_id"] for k, r in cloud.arm.world.deployments.items()}
    resources = set(cloud.arm.world.resources)
    client = cloud.deployments().deployments
    for stage in plan.stages:
        body = {"properties": {"mode": "Incremental", "template": stage.template}}
        if stage.scope.resource_group:
            result = client.begin_what_if(stage.scope.resource_group, stage.deployment_name, body).result()
        else:
            result = client.begin_what_if_at_subscription_scope(
                stage.deployment_name, {**body, "location": stage.scope.location}).result()
        changes = {c.resource_id.rsplit("/", 1)[-1]: c.change_type for c in result.changes}
        own = {r.name.rsplit("/", 1)[-1] for r in stage.resources}
        assert {changes[name] for name in own} == {"NoChange"}, stage.id
        assert set(changes.values()) <= {"NoChange", "Ignore"}  # Ignore: the group's other stages' resources
    events = drain(cloud.start(plan, tmp_path))
    assert {e.status for e in finished(events).values()} == {"skipped"}
    assert not [e for e in events if isinstance(e, StageStarted)]
    assert {k: r["correlation_id"] for k, r in cloud.arm.world.deployments.items()} == history
    assert set(cloud.arm.world.resources) == resources


def _until_started(run: Run, stage: str) -> list[Event]:
    seen = []
    for event in run.events():
        seen.append(event)
        if isinstance(event, StageStarted) and event.stage == stage:
            return seen
    raise AssertionError(f"{stage} never started")


def test_cancel_in_azure_ends_canceled_there_and_in_the_journal(tmp_path: Path) -> None:
    cloud = Cloud()
    plan = deploy_plans.plan(("dev",), projects=1, with_search=True)
    run = cloud.start(plan, tmp_path)
    _until_started(run, "dev/prj001-services")
    run.interrupt(cancel_in_azure=True)
    events = drain(run)
    assert isinstance(events[-1], RunFinished) and events[-1].status == "canceled"
    assert finished(events)["dev/prj001-services"].status == "canceled"
    state = cloud.deployments().deployments.get("rg-aif-t-dev", "aif-dev-prj001-services")
    assert state.properties.provisioning_state == "Canceled"
    record = load_run(Path(events[-1].journal))
    assert record.status == "canceled" and record.stages["dev/prj001-services"].status == "canceled"


def test_left_running_then_resumed_completes_without_deploying_anything_twice(tmp_path: Path) -> None:
    cloud = Cloud()
    plan = deploy_plans.plan(("dev", "stage"), projects=1)
    run = cloud.start(plan, tmp_path)
    _until_started(run, "dev/common-network")
    run.interrupt(cancel_in_azure=False)
    rest = drain(run)
    assert isinstance(rest[-1], RunFinished) and rest[-1].status == "interrupted"
    before = load_run(Path(rest[-1].journal))
    assert before.status == "interrupted" and before.stages["dev/common-network"].status == "running"
    submitted = {k: r["correlation_id"] for k, r in cloud.arm.world.deployments.items()}
    cloud.arm.clock.advance(600)  # the deployments go on in Azure while nobody watches
    resumed = cloud.resume(run.id, tmp_path)
    events = drain(resumed)
    ends = finished(events)
    assert isinstance(events[-1], RunFinished) and events[-1].status == "succeeded"
    done_before = {s for s, r in before.stages.items() if r.status == "succeeded"}
    assert done_before and all(ends[s].status == "skipped" for s in done_before)
    reattached = [e for e in events if isinstance(e, StageStarted) and e.reattached]
    assert "dev/common-network" in {e.stage for e in reattached}
    after = {k: r["correlation_id"] for k, r in cloud.arm.world.deployments.items()}
    assert all(after[k] == v for k, v in submitted.items())  # nothing submitted again
    record = load_run(Path(events[-1].journal))
    assert record.status == "succeeded" and record.resumes == 1
    assert all(s.status in ("succeeded", "skipped") for s in record.stages.values())


def test_resume_says_when_there_is_nothing_to_resume(tmp_path: Path) -> None:
    from deploy.launch import RunNotFound

    with pytest.raises(RunNotFound) as caught:
        Cloud().resume("20260101-000000-abcd", tmp_path)
    assert "there is no run 20260101-000000-abcd" in str(caught.value)


def test_stages_writing_one_vnet_never_run_at_once(tmp_path: Path) -> None:
    events = drain(Cloud().start(deploy_plans.subnet_stages(projects=3), tmp_path))
    assert isinstance(events[-1], RunFinished) and events[-1].status == "succeeded"
    assert not [e for e in events if isinstance(e, StageRetrying)]  # no AnotherOperationInProgress met
    running: set[str] = set()
    for event in events:
        if isinstance(event, StageStarted) and event.stage.endswith("-network") and "prj" in event.stage:
            assert not running, f"{event.stage} started while {running} wrote the VNet"
            running.add(event.stage)
        elif isinstance(event, StageFinished):
            running.discard(event.stage)


def test_a_deployment_is_not_planned_over_a_vnet_it_could_not_read() -> None:
    from deploy.launch import build
    from presets.store import PresetStore
    from wizard.azure.run import LiveSession
    from wizard.errors import UserError

    cloud = Cloud(FaultPlan(transient_rate=1.0))  # every request fails, retries included
    live = LiveSession(cloud.session, seed.CONTOSO_TENANT, True)
    config, _ = live.prepare(PresetStore().load("poc-standalone").config)
    with pytest.raises(UserError) as caught:
        build(config, live, attempts=2)
    assert "cannot plan the deployment: dev: could not read vnt-" in str(caught.value)
    assert "try again when Azure answers" in str(caught.value)
