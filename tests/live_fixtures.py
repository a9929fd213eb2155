"""Helpers for the live-check tests (tests/test_live_*.py).

Every live check runs through the real SDK clients of an `AzureSession` whose transport is the
in-process sandbox (`SandboxTransport` over an `Arm` on a frozen clock), so the tests exercise the
same requests, paging, retries and error mapping as a run against Azure, in milliseconds.
"""

from __future__ import annotations

import copy
import threading
from collections import Counter
from dataclasses import dataclass, field
from random import Random
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from presets.store import PresetStore
from sandbox import seed
from sandbox.arm import Arm
from sandbox.clock import SandboxClock
from sandbox.faults import FaultInjector, FaultPlan
from sandbox.state import Catalog
from sandbox.transport import SandboxCredential, SandboxTransport
from sandbox.wire import Request
from wizard.azure.checks import REGISTRY, CheckContext, Reads
from wizard.azure.clients import AzureSession
from wizard.azure.demo import with_demo_subscriptions
from wizard.azure.preflight import targets_for
from wizard.findings import Finding
from wizard.model import ENV_NAMES, EnvName, FactoryConfig

CONTOSO = seed.CONTOSO_TENANT
HUB_VNET_ID = (f"/subscriptions/{seed.CONNECTIVITY_HUB}/resourceGroups/rg-hub-network/providers/"
               "Microsoft.Network/virtualNetworks/vnet-hub-weu")


# ------------------------------------------------------------------------------ sessions


@dataclass
class Live:
    """One sandbox and an `AzureSession` over it, as `aifactory validate --demo` builds them."""

    arm: Arm
    transport: SandboxTransport
    session: AzureSession
    sessions: list[AzureSession] = field(default_factory=list)

    def fresh(self) -> AzureSession:
        """A new session (empty read cache) on the same sandbox, e.g. after changing its state."""
        session = AzureSession(SandboxCredential(), transport=self.transport, tenant_id=CONTOSO)
        self.sessions.append(session)
        return session

    def check(self, name: str, config: FactoryConfig, env: EnvName, *, tenant: str | None = CONTOSO,
              session: AzureSession | None = None) -> list[Finding]:
        """Run one live check for one environment, as run_preflight would."""
        return run_check(session or self.session, name, config, env, tenant=tenant)

    def close(self) -> None:
        for session in [self.session, *self.sessions]:
            session.close()


def live_sandbox(arm: Arm | None = None, **arm_kwargs: Any) -> Live:
    """A seeded sandbox on a frozen clock (or `arm`) and a session over it."""
    arm = arm if arm is not None else Arm(clock=SandboxClock.frozen(), **arm_kwargs)
    transport = SandboxTransport(arm)
    session = AzureSession(SandboxCredential(), transport=transport, tenant_id=CONTOSO)
    return Live(arm, transport, session)


@pytest.fixture
def live() -> Any:
    """The seeded demo tenant behind real SDK clients."""
    sandbox = live_sandbox()
    yield sandbox
    sandbox.close()


def catalog_copy() -> Catalog:
    """A private copy of the seeded catalogue, safe to edit (the seed shares lists between builds)."""
    return copy.deepcopy(seed.build_catalog())


def run_check(session: AzureSession, name: str, config: FactoryConfig, env: EnvName, *,
              tenant: str | None = CONTOSO) -> list[Finding]:
    """`REGISTRY[name]` for environment `env` of `config`, with a fresh check context."""
    targets, _ = targets_for(config)
    target = next(t for t in targets if t.name == env)
    ctx = CheckContext(session, config, tenant, targets)
    findings = REGISTRY[name].run(ctx, Reads(session), target)
    for finding in findings:
        assert finding.check == name, finding
    return findings


# ------------------------------------------------------------------------------ configurations


def preset(name: str) -> FactoryConfig:
    """A built-in preset with the demo tenant's subscriptions filled in."""
    config, _ = with_demo_subscriptions(PresetStore().load(name).config)
    return config


def env_config(env: EnvName = "dev", *, subscription: str = seed.AIF_DEV, region: str = "eastus2",
               compute: dict[str, Any] | None = None, services: dict[str, Any] | None = None,
               **top: Any) -> FactoryConfig:
    """A configuration with only `env` enabled, in `subscription` and `region`."""
    environments: dict[str, dict[str, Any]] = {name: {"enabled": name == env} for name in ENV_NAMES}
    environments[env].update(subscription_id=subscription, region=region)
    if compute:
        environments[env]["compute"] = compute
    data: dict[str, Any] = {"environments": environments, **top}
    if services:
        data["services"] = services
    return FactoryConfig.model_validate(data)


def with_changes(config: FactoryConfig, changes: dict[str, Any]) -> FactoryConfig:
    """`config` with a nested dict of changes laid over its JSON form, validated again."""

    def merge(base: Any, update: Any) -> Any:
        if isinstance(base, dict) and isinstance(update, dict):
            out = dict(base)
            for key, value in update.items():
                out[key] = merge(base.get(key), value)
            return out
        return update

    return FactoryConfig.model_validate(merge(config.model_dump(mode="json"), changes))


def only(findings: list[Finding], code: str) -> Finding:
    """The one finding with `code` (fails listing them all otherwise)."""
    matching = [f for f in findings if f.code == code]
    assert len(matching) == 1, findings
    return matching[0]


def codes(findings: list[Finding]) -> set[tuple[str, str]]:
    """(code, environment) of every finding."""
    return {(f.code, f.environment) for f in findings}


# ------------------------------------------------------------------------------ watching the sandbox


def request_key(method: str, url: str, body: bytes | None) -> tuple[str, str, tuple[tuple[str, str], ...], bytes]:
    """(method, path, sorted query, body): what makes two ARM requests the same read."""
    parts = urlsplit(url)
    return method.upper(), parts.path.lower(), tuple(sorted(parse_qsl(parts.query))), body or b""


class RequestLog:
    """Wraps `arm.handle` to record every request and, optionally, answer some of them itself.

    `fail(predicate, status, code, times=None, headers=None)` makes requests whose URL satisfies
    `predicate` fail with an ARM error (`times` of them, or all).
    """

    def __init__(self, arm: Arm) -> None:
        self.arm = arm
        self.keys: list[tuple[str, str, tuple[tuple[str, str], ...], bytes]] = []
        self.failed: Counter[str] = Counter()
        self._rules: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._handle = arm.handle
        arm.handle = self.handle  # type: ignore[method-assign]

    def fail(self, predicate: Any, status: int, code: str, *, times: int | None = None,
             headers: dict[str, str] | None = None) -> None:
        self._rules.append({"predicate": predicate, "status": status, "code": code, "times": times,
                            "headers": headers or {}})

    def handle(self, method: str, url: str, headers: Any = None, body: bytes | None = None) -> Any:
        import json

        with self._lock:
            self.keys.append(request_key(method, url, body))
            for rule in self._rules:
                if rule["predicate"](url) and (rule["times"] is None or rule["times"] > 0):
                    if rule["times"] is not None:
                        rule["times"] -= 1
                    self.failed[rule["code"]] += 1
                    payload = json.dumps({"error": {"code": rule["code"], "message": f"injected {rule['code']}",
                                                    "details": []}}).encode()
                    return rule["status"], {"Content-Type": "application/json", **rule["headers"]}, payload
        return self._handle(method, url, headers, body)

    def repeated(self) -> dict[Any, int]:
        """Requests sent more than once."""
        return {key: n for key, n in Counter(self.keys).items() if n > 1}


class KeyedFaults(FaultInjector):
    """`FaultInjector` whose draws depend on the request and its attempt number, not on arrival order.

    The stock injector draws from one stream in the order requests arrive; with a thread pool that
    order varies, so a seed does not pin which request gets which fault. Here every (request,
    attempt) draws from its own `Random(seed, request, attempt)`, so a seed gives the same faults on
    every run however the threads interleave, with the same rates and the same ARM answers.
    """

    def __init__(self, plan: FaultPlan) -> None:
        super().__init__(plan)
        self._attempts: Counter[tuple[Any, ...]] = Counter()
        self._outer = threading.Lock()

    def intercept(self, request: Request, now: float) -> Any:
        key = (request.method, request.path.lower(), tuple(sorted(request.query.items())), request.body)
        with self._outer:
            attempt = self._attempts[key]
            self._attempts[key] += 1
            self._rng = Random(f"{self.plan.seed}:{key!r}:{attempt}")
            return super().intercept(request, now)
