"""Running a Plan: submit its stages as ARM deployments, follow them, and say what happens.

One scheduler thread owns the run's state and emits every event (so they are ordered, and each is
in the journal before a front end sees it); a small pool makes the ARM requests. A stage starts
once every stage it depends on succeeded, at most `per_subscription` at once in one subscription.
Starting a stage means: its providers registered (with consent), a look for a deployment of the
same name (a resume re-attaches to one still running; one that already succeeded with the same
fingerprint is skipped), then `begin_create_or_update` without the SDK's polling. Each poll of a
running stage asks its status once (the `Azure-AsyncOperation` URL, whose `Retry-After` sets the
next poll) and lists the operations of each of its deployments once (nested ones included), and
turns changes into `ResourceProgress`.

A failed stage's error is classified by its leaf codes (`deploy.errors`): transient ones are
submitted again after a backoff, a missing provider is registered (with consent) and the stage
submitted again, anything else stops that branch (its dependents are `blocked`) while unrelated
branches go on. `retry(stage)` submits a failed stage again; `interrupt` cancels the deployments
in Azure, or leaves them running for `aifactory resume`.
"""

from __future__ import annotations

import queue
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from deploy.arm_calls import TERMINAL, ArmCalls, Operation, Target, portal_url, template_namespaces, vnets_written
from deploy.errors import Classified, classify, error_tree
from deploy.journal import Journal, RunRecord
from deploy.plan import Plan, Stage
from wizard.events import (
    DeployRefused,
    Event,
    ProviderRegistration,
    ResourceProgress,
    RunFinished,
    RunStarted,
    StageFinished,
    StageInfo,
    StageRetrying,
    StageStarted,
)

Consent = Callable[[str, list[str]], bool]
"""Asked (from a worker thread) before registering providers: subscription, namespaces -> yes/no."""

DURABLE = frozenset({"run_started", "stage_started", "stage_finished", "run_finished", "deploy_refused",
                     "provider_registration"})
"""Events flushed to disk before the run goes on (resource progress is only written: the page
cache survives a killed process; a lost machine loses at most some progress lines)."""


@dataclass(frozen=True)
class RunOptions:
    """How hard a run pushes and how patiently it retries."""

    per_subscription: int = 10
    """Stages running at once in one subscription."""
    attempts: int = 4
    """Submissions of a stage that keeps meeting transient failures (or a provider registration)."""
    backoff: float = 4.0
    """Seconds before the second submission, doubled for each further one."""
    poll: float = 5.0
    """Seconds between polls when Azure sends no `Retry-After`."""
    workers: int = 16
    """Threads making ARM requests."""
    poll_errors: int = 20
    """Polls in a row that may fail (after the SDK's own retries) before the stage is given up."""


@dataclass
class _StageState:
    stage: Stage
    target: Target
    status: str = "pending"
    attempt: int = 0
    busy: bool = False
    due: float = 0.0
    started_at: float = 0.0
    operation_url: str = ""
    reattach: bool = False
    cancel_sent: bool = False
    poll_errors: int = 0
    force_namespaces: set[str] = field(default_factory=set)
    children: dict[Target, bool] = field(default_factory=dict)
    """Nested deployments seen, and whether they are finished and listed for the last time."""
    seen: dict[tuple[str, str], str] = field(default_factory=dict)
    vnets: set[str] = field(default_factory=set)
    """VNets the stage writes: no two stages writing one VNet run at once."""


@dataclass(frozen=True)
class _Started:
    kind: str
    """submitted, reattached, skipped, or refused (a provider registration was not allowed)."""
    operation_url: str = ""
    retry_after: float | None = None
    refusal: Classified | None = None


@dataclass(frozen=True)
class _Polled:
    state: str
    retry_after: float | None
    operations: list[Operation]
    children: dict[Target, str]
    error: Any = None


class Run:
    """One deployment run of a plan; see the module docstring. Front ends read `events()` in a
    worker thread and may call `retry` and `interrupt` from any thread."""

    def __init__(self, plan: Plan, session: Any, journal: Journal, *, run_id: str,
                 consent: Consent | bool = False, previous: RunRecord | None = None,
                 options: RunOptions | None = None, refused: DeployRefused | None = None,
                 clock: Callable[[], float] = time.monotonic, advance: Callable[[float], None] | None = None,
                 tags: dict[str, str] | None = None, suffixes: dict[str, str] | None = None) -> None:
        """`previous` is the record of the run being resumed (its stages that succeeded are
        skipped, those it left running re-attached); `refused` makes a run that submits nothing
        and says why. `clock` and `advance` let tests run on the sandbox's frozen clock: when
        nothing is in flight the scheduler moves it instead of waiting."""
        self.id = run_id
        self.plan = plan
        self.journal = journal
        self.options = options or RunOptions()
        self.calls = ArmCalls(session)
        self.previous = previous
        self._consent: Consent = consent if callable(consent) else _always(bool(consent))
        self._refused = refused
        self._clock, self._advance = clock, advance
        self._tags = {"aifactory-run": run_id, **(tags or {})}
        self._suffixes = suffixes or {}
        """`naming.project_resource_suffix` (and the common one) -> its value (a project's taken name
        is fixed by the next suffix)."""
        self._states = {s.id: _StageState(s, Target.of(s), vnets=vnets_written(s)) for s in plan.stages}
        self._pending: set[str] = set(self._states)
        """Stages waiting for what they depend on (or for a slot)."""
        self._active: set[str] = set()
        """Stages starting, running, or waiting to be submitted again."""
        self._order = {s.id: index for index, s in enumerate(plan.stages)}
        self._dirty = True
        """Something changed that may let a pending stage start (a dependency done, a slot freed)."""
        self._inbox: queue.Queue[tuple[Any, ...]] = queue.Queue()
        self._out: queue.Queue[Event] = queue.Queue()
        self._lock = threading.Lock()
        self._alive = False
        self._announced = False
        self._interrupt: str | None = None
        self._stop = threading.Event()
        self._in_flight = 0
        self._started_at = 0.0
        self._pool: ThreadPoolExecutor | None = None
        self._providers: dict[str, dict[str, str]] = {}
        self._provider_locks: dict[str, threading.Lock] = {}
        self._declined: dict[str, set[str]] = {}
        self.requests = {"status": 0, "operations": 0, "polls": 0, "max_lists_per_deployment": 0}
        """Requests made by polls (for the benchmark: requests per deployment per poll)."""

    # ------------------------------------------------------------------ the front end's side

    def events(self) -> Iterator[Event]:
        """The run's events, blocking; ends with RunFinished. After a RunFinished, `retry` opens the
        run again: call `events()` again for the rest (which ends with another RunFinished)."""
        with self._lock:
            if not self._alive and not self._announced:
                self._launch()
        while True:
            event = self._out.get()
            yield event
            if isinstance(event, RunFinished):
                return

    def retry(self, stage_id: str) -> None:
        """Submit a failed (or canceled, or blocked) stage again; the stages it blocked follow."""
        if stage_id not in self._states:
            raise KeyError(f"no stage {stage_id} in this run")
        with self._lock:
            self._inbox.put(("retry", stage_id))
            if not self._alive and self._announced:
                self._interrupt = None
                self._stop.clear()
                self._launch()

    def interrupt(self, *, cancel_in_azure: bool) -> None:
        """Stop: cancel the running deployments in Azure (the run ends `canceled` once they are),
        or leave them running and end now (`interrupted`; `aifactory resume` continues)."""
        self._inbox.put(("interrupt", cancel_in_azure))
        if not cancel_in_azure:
            self._stop.set()

    # ------------------------------------------------------------------ scheduler

    def _launch(self) -> None:
        self._alive = True
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.options.workers, thread_name_prefix=f"run-{self.id}")
        threading.Thread(target=self._schedule, name=f"run-{self.id}", daemon=True).start()

    def _emit(self, event: Event) -> None:
        data = event.to_json()
        self.journal.append(data, durable=data["event"] in DURABLE)
        self._out.put(event)

    def _schedule(self) -> None:
        try:
            if not self._announced:
                self._announce()
                if self._refused is not None:
                    self._emit(self._refused)
                    self._finish("failed")
                    return
            while True:
                self._drain()
                if self._interrupt == "leave":
                    self._finish("interrupted")
                    return
                self._launch_ready()
                self._launch_due()
                if self._settled():
                    with self._lock:
                        if self._inbox.empty():
                            self._finish_locked("canceled" if self._interrupt == "cancel" else None)
                            return
                    continue
                self._wait()
        except Exception:  # a bug: say so in the log, and never leave a front end waiting
            import logging

            logging.getLogger("deploy").exception("the run's scheduler failed")
            self._finish("failed")

    def _announce(self) -> None:
        self._announced = True
        self._started_at = self._clock()
        infos = tuple(StageInfo(s.id, s.environment, s.project, s.kind, s.title, s.deployment_name, s.scope.id,
                                s.depends_on, tuple((r.type, r.name) for r in s.resources), s.fingerprint)
                      for s in self.plan.stages)
        self._emit(RunStarted(self.id, self.plan.fingerprint, infos, str(self.journal.path),
                              resumed=self.previous is not None))
        if self.previous is None or self._refused is not None:
            return
        for state in self._states.values():
            before = self.previous.stages.get(state.stage.id)
            if before is None:
                continue
            if self.previous.succeeded(state.stage.id, state.stage.fingerprint):
                self._set(state, "skipped")
                self._emit(StageFinished(state.stage.id, "skipped"))
            elif before.status in ("running", "retrying") and before.fingerprint == state.stage.fingerprint:
                state.reattach = True
                state.operation_url = before.operation_url
                state.attempt = before.attempts - 1 if before.attempts else 0

    def _now(self) -> float:
        return self._clock()

    def _set(self, state: _StageState, status: str) -> None:
        """Change a stage's status, keeping the pending and active sets (the scheduler looks only
        at those) and noting when pending stages may be able to start."""
        before, state.status = state.status, status
        stage_id = state.stage.id
        self._pending.discard(stage_id)
        self._active.discard(stage_id)
        if status == "pending":
            self._pending.add(stage_id)
        elif status in ("starting", "running", "waiting"):
            self._active.add(stage_id)
        if status in ("pending", "succeeded", "skipped", "waiting") or before in ("starting", "running"):
            self._dirty = True

    def _wait(self) -> None:
        active = [self._states[i] for i in self._active]
        dues = [s.due for s in active if not s.busy and s.status in ("running", "waiting")]
        timeout = max(0.0, min(dues) - self._now()) if dues else None
        if self._in_flight == 0 and self._advance is not None and timeout:
            self._advance(timeout)
            return
        try:
            message = self._inbox.get(timeout=timeout)
        except queue.Empty:
            return
        self._handle(message)

    def _drain(self) -> None:
        while True:
            try:
                message = self._inbox.get_nowait()
            except queue.Empty:
                return
            self._handle(message)

    def _settled(self) -> bool:
        """Nothing in flight, nothing running or waiting to retry, nothing that could start."""
        if self._in_flight:
            return False
        busy = ("starting", "running") if self._interrupt == "cancel" else ("starting", "running", "waiting")
        if any(self._states[i].status in busy for i in self._active):
            return False
        return self._interrupt is not None or not any(self._startable(self._states[i]) for i in self._pending)

    def _startable(self, state: _StageState) -> bool:
        if state.status != "pending":
            return False
        return all(self._states[d].status in ("succeeded", "skipped") for d in state.stage.depends_on)

    def _finish(self, status: str | None) -> None:
        with self._lock:
            self._finish_locked(status)

    def _finish_locked(self, status: str | None) -> None:
        states = self._states.values()
        if self._interrupt == "cancel":
            for state in states:
                if state.status in ("pending", "waiting"):
                    self._set(state, "canceled")
                    self._emit(StageFinished(state.stage.id, "canceled"))
        failed = sum(1 for s in states if s.status == "failed")
        succeeded = sum(1 for s in states if s.status in ("succeeded", "skipped"))
        if status is None:
            status = "succeeded" if succeeded == len(self._states) else "failed"
        self._emit(RunFinished(status, round(self._now() - self._started_at, 3),  # type: ignore[arg-type]
                               succeeded, failed, str(self.journal.path)))
        self._alive = False

    # ------------------------------------------------------------------ messages

    def _handle(self, message: tuple[Any, ...]) -> None:
        kind = message[0]
        if kind == "event":
            self._emit(message[1])
            return
        if kind == "interrupt":
            self._interrupt = "cancel" if message[1] else "leave"
            if message[1]:
                self._send_cancels()
            return
        if kind == "retry":
            self._reopen(message[1])
            return
        state = self._states[message[1]]
        self._in_flight -= 1
        state.busy = False
        if kind == "started":
            self._on_started(state, message[2])
        elif kind == "polled":
            self._on_polled(state, message[2])
        elif kind == "start_failed":
            self._on_failure(state, self._classified(message[2]))
        elif kind == "poll_failed":
            state.poll_errors += 1
            if state.poll_errors >= self.options.poll_errors:
                self._on_failure(state, self._classified(message[2]), final=True)
            else:
                state.due = self._now() + self.options.poll
        elif kind == "cancel_sent":
            state.due = self._now()

    def _classified(self, exc: BaseException) -> Classified:
        error = getattr(exc, "error", None)
        if error is not None and getattr(error, "code", None):
            return classify(error)
        status = getattr(exc, "status_code", None)
        from azure.core.exceptions import ServiceRequestError, ServiceResponseError

        if isinstance(exc, (ServiceRequestError, ServiceResponseError)) or (status or 0) >= 500 or status == 429:
            return classify({"code": "ServiceUnavailable", "message": str(exc).splitlines()[0] if str(exc) else ""})
        return classify({"code": type(exc).__name__, "message": str(exc).splitlines()[0] if str(exc) else ""})

    def _reopen(self, stage_id: str) -> None:
        state = self._states[stage_id]
        if state.status not in ("failed", "canceled", "blocked"):
            return
        self._set(state, "pending")
        state.attempt = 0
        state.poll_errors = 0
        with self._lock:  # a person retrying a stage may now consent to what they declined, or
            self._declined.pop(state.target.subscription_id, None)  # have registered it meanwhile:
            self._providers.pop(state.target.subscription_id, None)  # the states are read again
        for dependent in self.plan.dependents(stage_id):
            other = self._states[dependent.id]
            if other.status in ("blocked", "canceled"):
                self._set(other, "pending")

    # ------------------------------------------------------------------ starting stages

    def _launch_ready(self) -> None:
        now = self._now()
        due = [self._states[i] for i in self._active
               if self._states[i].status == "waiting" and not self._states[i].busy and self._states[i].due <= now]
        if self._interrupt is not None or not (self._dirty or due):
            return
        self._dirty = False
        active: dict[str, int] = {}
        writing: set[str] = set()
        for stage_id in self._active:
            state = self._states[stage_id]
            if state.status in ("starting", "running"):
                active[state.target.subscription_id] = active.get(state.target.subscription_id, 0) + 1
                writing |= state.vnets
        candidates = due + [self._states[i] for i in self._pending]
        for state in sorted(candidates, key=lambda s: self._order[s.stage.id]):
            if not (state.status == "waiting" or self._startable(state)):
                continue
            sub = state.target.subscription_id
            if active.get(sub, 0) >= self.options.per_subscription or state.vnets & writing:
                continue
            active[sub] = active.get(sub, 0) + 1
            writing |= state.vnets
            self._set(state, "starting")
            state.attempt += 1
            self._submit_task(state, "started", "start_failed", self._start, state)

    def _submit_task(self, state: _StageState, ok: str, failed: str, fn: Callable[..., Any], *args: Any) -> None:
        state.busy = True
        self._in_flight += 1
        stage_id = state.stage.id

        def task() -> None:
            try:
                result = fn(*args)
            except Exception as exc:
                self._inbox.put((failed, stage_id, exc))
            else:
                self._inbox.put((ok, stage_id, result))

        assert self._pool is not None
        self._pool.submit(task)

    def _start(self, state: _StageState) -> _Started:
        """Worker: providers, then a look for the deployment by name, then the submission."""
        refusal = self._ensure_providers(state.stage, set(state.force_namespaces))
        if refusal is not None:
            return _Started("refused", refusal=refusal)
        found = self.calls.find(state.target)
        if found is not None and found.fingerprint == state.stage.fingerprint:
            if found.state in ("Accepted", "Running"):
                return _Started("reattached", state.operation_url)
            if found.state == "Succeeded":
                return _Started("reattached" if state.reattach else "skipped", state.operation_url)
        submitted = self.calls.submit(state.target, state.stage, self._tags)
        return _Started("submitted", submitted.operation_url, submitted.retry_after)

    def _on_started(self, state: _StageState, started: _Started) -> None:
        stage = state.stage
        if started.kind == "refused":
            assert started.refusal is not None
            self._on_failure(state, started.refusal, final=True)
            return
        if started.kind == "skipped":
            self._set(state, "skipped")
            self._emit(StageFinished(stage.id, "skipped"))
            return
        reattached = started.kind == "reattached"
        if not (reattached and state.started_at):
            state.started_at = self._now()
        state.operation_url = started.operation_url
        self._set(state, "running")
        state.poll_errors = 0
        state.children.clear()
        state.due = self._now() + (started.retry_after if started.retry_after is not None else 0.0 if reattached
                                   else self.options.poll)
        self._emit(StageStarted(stage.id, stage.deployment_name, portal_url(state.target), max(1, state.attempt),
                                reattached, started.operation_url))
        state.reattach = False
        if self._interrupt == "cancel":
            self._send_cancel(state)

    # ------------------------------------------------------------------ polling

    def _launch_due(self) -> None:
        now = self._now()
        for stage_id in list(self._active):
            state = self._states[stage_id]
            if state.status == "running" and not state.busy and state.due <= now:
                children = [t for t, done in state.children.items() if not done]
                self._submit_task(state, "polled", "poll_failed", self._poll, state.target, state.operation_url,
                                  children)

    def _poll(self, target: Target, operation_url: str, children: list[Target]) -> _Polled:
        """Worker: one status request, then one operations list per deployment of the stage."""
        status, after = self.calls.status(target, operation_url)
        operations: list[Operation] = []
        nested: dict[Target, str] = {}
        listed: Counter[Target] = Counter()
        pending = [target, *children]
        while pending:
            current = pending.pop(0)
            if current in listed:
                continue
            listed[current] += 1
            for item in self.calls.operations(current):
                if isinstance(item, Target):
                    nested[item] = "Running"
                    if item not in listed:
                        pending.append(item)
                else:
                    operations.append(item)
        with self._lock:
            self.requests["status"] += 1
            self.requests["polls"] += 1
            self.requests["operations"] += sum(listed.values())
            self.requests["max_lists_per_deployment"] = max(self.requests["max_lists_per_deployment"],
                                                            max(listed.values()))
        error = None
        if status == "Failed":
            found = self.calls.find(target)
            error = found.error if found is not None else None
        return _Polled(status, after, operations, nested, error)

    def _on_polled(self, state: _StageState, polled: _Polled) -> None:
        stage = state.stage
        state.poll_errors = 0
        for target in polled.children:
            state.children.setdefault(target, False)
        if polled.state in TERMINAL:
            for target in state.children:
                state.children[target] = True
        for op in polled.operations:
            key = (op.resource_type, op.resource_name)
            if state.seen.get(key) != op.state:
                state.seen[key] = op.state
                self._emit(ResourceProgress(stage.id, op.resource_type, op.resource_name, op.state, op.elapsed,
                                            op.resource_id, op.status_code if op.state == "Succeeded" else ""))
        if polled.state == "NotFound":
            self._set(state, "waiting")  # the deployment vanished (deleted meanwhile): submit it again
            state.due = self._now()
            return
        if polled.state not in TERMINAL:
            state.due = self._now() + (polled.retry_after if polled.retry_after is not None else self.options.poll)
            if self._interrupt == "cancel":
                self._send_cancel(state)
            return
        elapsed = round(self._now() - state.started_at, 3)
        if polled.state == "Succeeded":
            self._set(state, "succeeded")
            self._emit(StageFinished(stage.id, "succeeded", elapsed))
        elif polled.state == "Canceled":
            self._set(state, "canceled")
            self._emit(StageFinished(stage.id, "canceled", elapsed))
        else:
            tree = error_tree(polled.error) if polled.error is not None else None
            found = classify(tree) if tree is not None and tree.code else classify(
                {"code": "DeploymentFailed", "message": "the deployment failed without saying why"})
            self._on_failure(state, found)

    # ------------------------------------------------------------------ failures

    def _on_failure(self, state: _StageState, found: Classified, *, final: bool = False) -> None:
        stage = state.stage
        again = not final and self._interrupt is None and state.attempt < self.options.attempts
        if again and found.error_class in ("transient", "registration"):
            if found.error_class == "registration":
                state.force_namespaces |= set(found.namespaces)
            delay = self.options.backoff * 2 ** max(0, state.attempt - 1)
            self._set(state, "waiting")
            state.due = self._now() + delay
            self._emit(StageRetrying(stage.id, state.attempt + 1, delay,
                                     f"{found.cause.code}: {found.explanation}"))
            return
        self._set(state, "failed" if self._interrupt != "cancel" else "canceled")
        elapsed = round(self._now() - state.started_at, 3) if state.started_at else 0.0
        # a project's taken name: its next resource suffix renames its resources (the common suffix
        # would rename the common VNet too, whose range the old one still holds)
        field = "naming.project_resource_suffix"
        suffix = (field, self._suffixes[field]) if stage.project and field in self._suffixes else None
        finding = found.finding(stage_title=stage.title, environment=stage.environment,
                                subscription_id=stage.scope.subscription_id, scope_id=stage.scope.id, suffix=suffix)
        self._emit(StageFinished(stage.id, state.status, elapsed, finding, found.error_class))  # type: ignore[arg-type]
        for dependent in self.plan.dependents(stage.id):
            other = self._states[dependent.id]
            if other.status == "pending":
                self._set(other, "blocked")
                self._emit(StageFinished(dependent.id, "blocked"))

    # ------------------------------------------------------------------ cancel

    def _send_cancels(self) -> None:
        for stage_id in list(self._active):
            state = self._states[stage_id]
            if state.status == "running":
                self._send_cancel(state)

    def _send_cancel(self, state: _StageState) -> None:
        if state.cancel_sent or state.busy:
            return  # a busy stage is sent its cancel when its task comes back (see _launch_due)
        state.cancel_sent = True
        self._submit_task(state, "cancel_sent", "poll_failed", self.calls.cancel, state.target)

    # ------------------------------------------------------------------ providers

    def _sleep(self, seconds: float) -> None:
        if self._advance is not None:
            self._advance(seconds)
        else:
            self._stop.wait(seconds)

    def _ensure_providers(self, stage: Stage, forced: set[str]) -> Classified | None:
        """Worker: the stage's providers registered, asking consent first; the refusal otherwise."""
        sub = stage.scope.subscription_id
        wanted = template_namespaces(stage.template) | forced
        with self._lock:
            lock = self._provider_locks.setdefault(sub, threading.Lock())
        with lock:
            states = self._providers.get(sub)
            if states is None or forced:
                states = self._providers[sub] = self.calls.provider_states(sub)
            missing = sorted(ns for ns in wanted if states.get(ns.lower(), "Registered") != "Registered")
            if not missing:
                return None
            declined = sorted(set(missing) & self._declined.get(sub, set()))
            ask = [ns for ns in missing if states.get(ns.lower()) != "Registering" and ns not in declined]
            if ask and not self._consent(sub, ask):
                self._declined.setdefault(sub, set()).update(ask)
                declined = sorted(set(declined) | set(ask))
            if declined:
                for ns in declined:
                    self._inbox.put(("event", ProviderRegistration(sub, ns, "Refused")))
                return classify({"code": "MissingSubscriptionRegistration", "target": declined[0],
                                 "message": f"The subscription is not registered to use namespace '{declined[0]}' "
                                            "and registering it was declined."})
            for ns in ask:
                self._inbox.put(("event", ProviderRegistration(sub, ns, "Registering")))
                states[ns.lower()] = self.calls.register(sub, ns)
            for ns in missing:
                while states.get(ns.lower()) != "Registered":
                    if self._stop.is_set():
                        raise InterruptedError("interrupted while a provider registers")
                    self._sleep(self.options.poll)
                    states[ns.lower()] = self.calls.provider_state(sub, ns)
                self._inbox.put(("event", ProviderRegistration(sub, ns, "Registered")))
            self.calls.session.clear_cache(sub)
        return None


def _always(answer: bool) -> Consent:
    """A consent that gives the same answer whatever is asked (--register-providers, or none)."""

    def consent(subscription_id: str, namespaces: list[str]) -> bool:
        return answer

    return consent
