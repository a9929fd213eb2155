"""Injected faults: throttling and transient errors the SDK retries, token expiry, latency."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from azure.core.exceptions import ClientAuthenticationError
from sandbox_fixtures import Sdk, call, make_arm

from sandbox import seed
from sandbox.faults import FaultInjector, FaultPlan
from sandbox.wire import Request


def subscriptions(sdk: Sdk) -> list[str]:
    from azure.mgmt.resource.subscriptions import SubscriptionClient

    return [s.display_name for s in sdk.client(SubscriptionClient).subscriptions.list()]


def test_throttling_is_retried_after_retry_after() -> None:
    sdk = Sdk(make_arm(faults=FaultPlan(seed=7, throttle_rate=0.5, retry_after=3)))
    assert len(subscriptions(sdk)) == 5
    throttled = sdk.arm.faults.injected.get("throttle", 0)
    assert throttled >= 1
    assert sdk.transport.slept >= 3 * throttled


def test_transient_503_and_500_are_retried() -> None:
    sdk = Sdk(make_arm(faults=FaultPlan(seed=3, transient_rate=0.5)))
    for _ in range(5):
        assert len(subscriptions(sdk)) == 5
    injected = sdk.arm.faults.injected
    assert injected.get("transient_500", 0) + injected.get("transient_503", 0) >= 1


def test_faults_are_deterministic_under_a_seed() -> None:
    def run() -> list[int]:
        arm = make_arm(faults=FaultPlan(seed=42, throttle_rate=0.3, transient_rate=0.2))
        return [call(arm, "GET", "/subscriptions")[0] for _ in range(30)]

    first = run()
    assert first == run()
    assert {429, 200} <= set(first)


def test_throttle_answer_shape() -> None:
    arm = make_arm(faults=FaultPlan(throttle_rate=1.0, retry_after=5))
    status, headers, body = call(arm, "GET", "/subscriptions")
    assert (status, headers["Retry-After"], body["error"]["code"]) == (429, "5", "TooManyRequests")


def test_token_expiry_every_n_requests_then_a_fresh_token_works() -> None:
    sdk = Sdk(make_arm(faults=FaultPlan(token_expiry_every=3)))
    from azure.mgmt.resource.subscriptions import SubscriptionClient

    client = sdk.client(SubscriptionClient)
    client.subscriptions.get(seed.AIF_DEV)
    client.subscriptions.get(seed.AIF_DEV)
    with pytest.raises(ClientAuthenticationError) as caught:
        client.subscriptions.get(seed.AIF_DEV)
    assert caught.value.error.code == "ExpiredAuthenticationToken"
    calls = sdk.credential.calls
    assert client.subscriptions.get(seed.AIF_DEV).display_name == "aif-dev"
    assert sdk.credential.calls == calls + 1


def test_token_lifetime_in_sandbox_seconds() -> None:
    sdk = Sdk(make_arm(faults=FaultPlan(token_lifetime=60)))
    from azure.mgmt.resource.subscriptions import SubscriptionClient

    client = sdk.client(SubscriptionClient)
    client.subscriptions.get(seed.AIF_DEV)
    sdk.arm.clock.advance(61)
    with pytest.raises(ClientAuthenticationError):
        client.subscriptions.get(seed.AIF_DEV)
    assert client.subscriptions.get(seed.AIF_DEV).state == "Enabled"


def test_real_latency_overlaps_across_threads() -> None:
    arm = make_arm(faults=FaultPlan(latency=0.1))
    start = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda _: call(arm, "GET", "/subscriptions")[0], range(16)))
    elapsed = time.perf_counter() - start
    assert statuses == [200] * 16
    assert 0.2 <= elapsed < 1.2, elapsed


def test_clock_latency_moves_sandbox_time_instead() -> None:
    arm = make_arm(faults=FaultPlan(latency=2.0, real_latency=False))
    before = arm.now()
    start = time.perf_counter()
    call(arm, "GET", "/subscriptions")
    assert arm.now() - before == pytest.approx(2.0)
    assert time.perf_counter() - start < 0.5


def test_resource_failure_fires_a_limited_number_of_times() -> None:
    from sandbox.faults import ResourceFailure

    injector = FaultInjector(FaultPlan(resource_failures=[ResourceFailure("Microsoft.Search/searchServices", times=1)]))
    assert injector.resource_failure("microsoft.search/searchservices") is not None
    assert injector.resource_failure("Microsoft.Search/searchServices") is None
    assert injector.intercept(Request.parse("GET", "https://management.azure.com/x"), 0.0).error is None


def test_fault_plan_round_trips() -> None:
    from sandbox.faults import ResourceFailure

    plan = FaultPlan(seed=1, latency=0.1, resource_failures=[ResourceFailure("A/b", "QuotaExceeded")])
    assert FaultPlan.from_json(plan.to_json()) == plan


def test_fault_specs_of_the_served_sandbox_make_the_same_plan_as_in_process() -> None:
    from sandbox.faults import ResourceFailure, parse_faults

    plan = parse_faults(["throttle=0.33", "transient=0.1", "latency=0.2", "retry-after=3", "token-expiry=5",
                         "fail=Microsoft.Search/searchServices:QuotaExceeded:2", "fail=Microsoft.KeyVault/vaults"],
                        seed=9)
    assert plan == FaultPlan(seed=9, throttle_rate=0.33, transient_rate=0.1, latency=0.2, retry_after=3,
                             token_expiry_every=5, resource_failures=[
                                 ResourceFailure("Microsoft.Search/searchServices", "QuotaExceeded", times=2),
                                 ResourceFailure("Microsoft.KeyVault/vaults", "InsufficientQuota")])
    assert plan.describe()[0] == "throttle: 33% of requests answered 429 TooManyRequests (Retry-After 3 s)"
    for bad in ("throttle=2", "throttle", "latency=-1", "fail=nonsense", "fail=A/b:Code:0", "token-expiry=0", "x=1"):
        with pytest.raises(ValueError, match=f"'{bad}' is not a fault the sandbox knows: use throttle=RATE"):
            parse_faults([bad])
