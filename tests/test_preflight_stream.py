"""The preflight as a stream of events: order, a cell per (check, environment), cancellation,
re-running only the cells a change affects, and a session that outlives many runs."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from live_fixtures import CONTOSO, live_sandbox, preset, with_changes

from sandbox.arm import Arm
from sandbox.clock import SandboxClock
from sandbox.faults import FaultPlan
from wizard.azure.checks import CHECKS, REGISTRY
from wizard.azure.preflight import affected_cells, iter_preflight, run_preflight
from wizard.edit import try_set
from wizard.events import CheckFinished, CheckStarted, PreflightFinished, ReadsProgress, RulesFinished


def _events(name: str = "enterprise-hub-spoke", **kwargs: Any) -> list[Any]:
    sandbox = live_sandbox()
    try:
        return list(iter_preflight(preset(name), sandbox.session, tenant_id=CONTOSO, **kwargs))
    finally:
        sandbox.close()


def test_stream_order_and_one_finished_event_per_cell() -> None:
    events = _events()
    assert isinstance(events[0], RulesFinished)
    assert isinstance(events[-1], PreflightFinished) and not events[-1].cancelled
    finished = [e for e in events if isinstance(e, CheckFinished)]
    cells = [(e.check, e.environment) for e in finished]
    assert len(cells) == len(set(cells)), "a cell finished twice"
    assert set(cells) == {(c, env) for c in CHECKS for env in ("dev", "stage", "prod")}
    started = {(e.check, e.environment): i for i, e in enumerate(events) if isinstance(e, CheckStarted)}
    for i, event in enumerate(events):
        if isinstance(event, CheckFinished) and event.status != "n/a":
            assert started[(event.check, event.environment)] < i, "finished before it started"
    assert any(isinstance(e, ReadsProgress) and e.distinct_reads > 0 for e in events)


def test_passing_cells_are_reported_and_statuses_match_the_findings() -> None:
    finished = [e for e in _events() if isinstance(e, CheckFinished)]
    by_cell = {(e.check, e.environment): e for e in finished}
    assert by_cell[("providers", "stage")].status == "fail"
    assert by_cell[("providers", "dev")].status == "pass" and by_cell[("providers", "dev")].findings == ()
    assert by_cell[("hub", "dev")].status in ("pass", "warn", "fail")
    for event in finished:
        severities = {f.severity for f in event.findings}
        expected = "fail" if "error" in severities else "warn" if "warning" in severities else None
        if expected:
            assert event.status == expected, event


def test_checks_that_do_not_apply_are_n_a_from_the_start() -> None:
    events = _events("poc-standalone")
    hub = [e for e in events if isinstance(e, CheckFinished) and e.check == "hub"]
    assert [e.status for e in hub] == ["n/a"]
    first_live = next(i for i, e in enumerate(events) if isinstance(e, CheckStarted))
    assert events.index(hub[0]) < first_live


def test_run_preflight_is_the_fold_of_the_stream() -> None:
    sandbox = live_sandbox()
    try:
        folded = run_preflight(preset("enterprise-hub-spoke"), sandbox.session, tenant_id=CONTOSO)
    finally:
        sandbox.close()
    events = _events()
    streamed = [f for e in events if isinstance(e, (RulesFinished, CheckFinished)) for f in e.findings]
    assert sorted(map(repr, streamed)) == sorted(map(repr, folded.findings))
    for event in events:
        if isinstance(event, CheckFinished):
            assert folded.grid[event.environment][event.check] == event.status


def test_narrowed_to_cells_runs_only_those() -> None:
    events = _events(cells={("names", "stage"), ("permissions", "prod")}, rules=False)
    ran = {(e.check, e.environment) for e in events if isinstance(e, CheckStarted)}
    assert ran == {("names", "stage"), ("permissions", "prod")}
    assert not any(isinstance(e, RulesFinished) for e in events)


def _slow_sandbox(parallel: bool) -> Any:
    arm = Arm(clock=SandboxClock.frozen(), faults=FaultPlan(latency=0.03, real_latency=True))
    return live_sandbox(arm)


def test_cancel_in_a_sequential_run_sends_no_further_request() -> None:
    sandbox = _slow_sandbox(parallel=False)
    cancel = threading.Event()
    at_cancel = None
    events = []
    try:
        for event in iter_preflight(preset("enterprise-hub-spoke"), sandbox.session, tenant_id=CONTOSO,
                                    cancel=cancel, parallel=False):
            events.append(event)
            if isinstance(event, CheckFinished) and event.status != "n/a" and at_cancel is None:
                cancel.set()
                at_cancel = sandbox.session.stats.http_requests
    finally:
        sandbox.close()
    assert isinstance(events[-1], PreflightFinished) and events[-1].cancelled
    assert sandbox.session.stats.http_requests == at_cancel
    assert sum(isinstance(e, CheckStarted) for e in events) == 1


def test_cancel_in_a_concurrent_run_stops_within_one_read_per_thread() -> None:
    config = preset("enterprise-hub-spoke")
    full = _slow_sandbox(parallel=True)
    try:
        run_preflight(config, full.session, tenant_id=CONTOSO)
        total = full.session.stats.http_requests
    finally:
        full.close()
    sandbox = _slow_sandbox(parallel=True)
    cancel = threading.Event()
    try:
        stream = iter_preflight(config, sandbox.session, tenant_id=CONTOSO, cancel=cancel)
        for event in stream:
            if isinstance(event, RulesFinished):
                cancel.set()  # the warm-up's reads are in flight; nothing after them may start
        last = event
    finally:
        sandbox.close()
    assert isinstance(last, PreflightFinished) and last.cancelled
    assert sandbox.session.stats.http_requests < total


def test_closing_the_stream_cancels_the_run() -> None:
    sandbox = _slow_sandbox(parallel=True)
    try:
        stream = iter_preflight(preset("enterprise-hub-spoke"), sandbox.session, tenant_id=CONTOSO)
        next(stream)
        stream.close()
        sent = sandbox.session.stats.http_requests
        threading.Event().wait(0.2)
        assert sandbox.session.stats.http_requests == sent, "reads went on after the stream was closed"
    finally:
        sandbox.close()


def test_a_closed_session_stops_a_run_still_going() -> None:
    sandbox = _slow_sandbox(parallel=False)
    events = []
    for event in iter_preflight(preset("enterprise-hub-spoke"), sandbox.session, tenant_id=CONTOSO,
                                parallel=False):
        events.append(event)
        if isinstance(event, CheckFinished) and event.status != "n/a":
            sandbox.session.close()
    assert sum(isinstance(e, CheckFinished) and e.status != "n/a" for e in events) == 1


# ------------------------------------------------------------------------------ affected cells


def test_a_project_name_affects_no_live_cell() -> None:
    config = preset("enterprise-hub-spoke")
    renamed = try_set(config, "projects.0.name", "renamed").config
    assert renamed is not None
    assert affected_cells(config, renamed) == set()


def test_a_region_change_reruns_that_environment_only() -> None:
    config = preset("enterprise-hub-spoke")
    moved = with_changes(config, {"environments": {"dev": {"region": "westeurope"}}})
    cells = affected_cells(config, moved)
    assert ("region", "dev") in cells and ("search", "dev") in cells and ("names", "dev") in cells
    assert ("region", "stage") not in cells and ("permissions", "dev") not in cells
    assert ("vcpu_quota", "stage") in cells  # quota is shared by environments in one subscription+region


def test_a_subscription_change_reruns_every_check_of_that_environment() -> None:
    config = preset("enterprise-hub-spoke")
    other = "11111111-2222-3333-4444-555555555555"
    moved = with_changes(config, {"environments": {"stage": {"subscription_id": other}}})
    cells = affected_cells(config, moved)
    assert {(c, "stage") for c in REGISTRY} <= cells
    assert ("permissions", "dev") not in cells


def test_a_service_flag_reruns_providers_everywhere() -> None:
    config = preset("poc-standalone")
    more = with_changes(config, {"services": {"cosmos_db": not config.services.cosmos_db}})
    cells = affected_cells(config, more)
    assert ("providers", "dev") in cells and ("permissions", "dev") not in cells


# ------------------------------------------------------------------------------ the session


def test_failed_reads_do_not_outlive_their_run() -> None:
    from wizard.azure.checks import Reads

    sandbox = live_sandbox()
    calls = []

    def failing() -> None:
        calls.append(1)
        raise RuntimeError("boom")

    try:
        reads = Reads(sandbox.session)
        for _ in range(2):
            with pytest.raises(RuntimeError):
                reads._read(("probe",), failing)
        assert len(calls) == 1, "within a run a failure is not asked again"
        sandbox.session.forget_failures()
        with pytest.raises(RuntimeError):
            reads._read(("probe",), failing)
        assert len(calls) == 2
    finally:
        sandbox.close()


def test_clear_cache_for_one_subscription_keeps_the_others() -> None:
    sandbox = live_sandbox()
    session = sandbox.session
    try:
        session.read(("providers", "sub-a"), lambda: 1)
        session.read(("resource", "/subscriptions/sub-a/resourcegroups/x"), lambda: 2)
        session.read(("providers", "sub-b"), lambda: 3)
        session.clear_cache("sub-a")
        assert session.read(("providers", "sub-a"), lambda: 10) == 10
        assert session.read(("resource", "/subscriptions/sub-a/resourcegroups/x"), lambda: 20) == 20
        assert session.read(("providers", "sub-b"), lambda: 30) == 3
    finally:
        sandbox.close()


def test_a_demo_session_validates_many_times_and_says_who_is_signed_in(tmp_path: Any) -> None:
    from sandbox.seed import CALLER_UPN
    from wizard.azure.run import open_session

    live = open_session(demo=True, sandbox_state=tmp_path / "sandbox.json")
    try:
        assert live.account == CALLER_UPN and live.demo
        config = preset("poc-standalone")
        first = [e for e in live.preflight(config) if isinstance(e, CheckFinished)]
        reads_after_first = live.session.stats.http_requests
        second = [e for e in live.preflight(config) if isinstance(e, CheckFinished)]
        assert {(e.check, e.environment, e.status) for e in first} == {
            (e.check, e.environment, e.status) for e in second}
        assert live.session.stats.http_requests == reads_after_first, "the second run re-read Azure"
    finally:
        live.close()
