"""Faults the sandbox can inject, switchable per run and deterministic under a seed.

Real ARM is slow, throttles, fails transiently, lets tokens expire and fails deployments for
reasons the client must explain. A `FaultPlan` says which of these happen in a run; a
`FaultInjector` applies it. Every random draw comes from one `random.Random(seed)` behind a lock,
so the same seed and the same sequence of requests give the same faults (with a thread pool the
order requests arrive in may vary, but the sequence of draws does not).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from random import Random
from typing import Any

from sandbox.wire import ArmError, Request

#: HTTP status ARM uses for the error codes a resource failure can be injected with.
FAILURE_STATUS = {
    "InsufficientQuota": 409,
    "QuotaExceeded": 409,
    "SubscriptionIsOverQuotaForSku": 409,
    "SkuNotAvailable": 409,
    "AllocationFailed": 409,
    "ZonalAllocationFailed": 409,
    "LocationNotAvailableForResourceType": 400,
    "AuthorizationFailed": 403,
    "LinkedAuthorizationFailed": 403,
    "RequestDisallowedByPolicy": 403,
    "PrincipalNotFound": 400,
    "RoleAssignmentExists": 409,
    "StorageAccountAlreadyTaken": 409,
    "VaultAlreadyExists": 409,
    "ConflictError": 409,
    "FlagMustBeSetForRestore": 409,
    "InternalServerError": 500,
    "RetryableError": 500,
}

_DEFAULT_MESSAGES = {
    "InsufficientQuota": "The operation failed because of insufficient quota for resource type "
    "'{type}' in this subscription and region.",
    "QuotaExceeded": "Operation could not be completed as it results in exceeding approved quota "
    "for resource type '{type}'.",
    "SkuNotAvailable": "The requested SKU is currently not available for resource type '{type}' "
    "in this location.",
    "AuthorizationFailed": "The client does not have authorization to perform action "
    "'{type}/write' over this scope or the scope is invalid.",
    "RequestDisallowedByPolicy": "Resource was disallowed by policy. Policy identifiers: "
    "'[{{\"policyAssignment\":{{\"name\":\"Deny-Public-Endpoints\"}}}}]'.",
    "PrincipalNotFound": "Principal 00000000000000000000000000000000 does not exist in the "
    "directory. Check that you have the correct principal ID.",
    "StorageAccountAlreadyTaken": "The storage account named {name} is already taken.",
    "ConflictError": "The name '{name}' is already in use by another resource.",
    "VaultAlreadyExists": "The vault name '{name}' is already in use. Vault names are globally unique so it "
    "is possible that the name is already taken. If you are sure that the vault name was not taken then it "
    "is possible that a vault with the same name was recently deleted but not purged after being placed in "
    "a recoverable state.",
}


@dataclass
class ResourceFailure:
    """Make every resource of `resource_type` fail with `code` (in deployments and direct PUTs).

    `times` limits how often it fires (None: always), so a test can show a retry that succeeds.
    """

    resource_type: str
    """Resource type, e.g. `Microsoft.Search/searchServices` (case-insensitive)."""
    code: str = "InsufficientQuota"
    """The root-cause ARM error code the failed operation carries."""
    message: str | None = None
    """The root-cause message; a realistic default is written for common codes."""
    times: int | None = None
    """How many resources fail before the fault stops firing; None for always."""

    def render_message(self, name: str = "") -> str:
        """The message, with a default that names the resource type (and the resource `name`)."""
        if self.message:
            return self.message
        template = _DEFAULT_MESSAGES.get(
            self.code, "The resource operation completed with terminal provisioning state 'Failed'."
        )
        return template.format(type=self.resource_type, name=name)


@dataclass
class FaultPlan:
    """Which faults a sandbox run injects. Everything is off by default."""

    seed: int = 0
    """Seed for every random draw (rates, jitter)."""
    latency: float = 0.0
    """Seconds added to every ARM request."""
    latency_jitter: float = 0.0
    """Up to this many extra seconds, drawn uniformly per request."""
    real_latency: bool = True
    """Really sleep (so concurrency can be measured); False advances the sandbox clock instead."""
    throttle_rate: float = 0.0
    """Fraction of requests answered 429 `TooManyRequests` with a `Retry-After` header."""
    retry_after: int = 1
    """Seconds in the `Retry-After` header of throttled (and 503) answers."""
    transient_rate: float = 0.0
    """Fraction of requests answered 500 `InternalServerError` or 503 `ServiceUnavailable`."""
    transient_statuses: tuple[int, ...] = (500, 503)
    """Which transient statuses to draw from."""
    resource_failures: list[ResourceFailure] = field(default_factory=list)
    """Resource types whose creation fails (see `ResourceFailure`)."""
    token_expiry_every: int | None = None
    """Answer 401 `ExpiredAuthenticationToken` once every N authenticated requests."""
    token_lifetime: float | None = None
    """Reject a bearer token this many sandbox seconds after the sandbox first saw it."""

    def describe(self) -> list[str]:
        """The faults this plan injects, one line each ("throttle: 33% of requests answered 429 ...")."""
        lines = []
        if self.throttle_rate:
            lines.append(f"throttle: {self.throttle_rate:.0%} of requests answered 429 TooManyRequests "
                         f"(Retry-After {self.retry_after} s)")
        if self.transient_rate:
            lines.append(f"transient: {self.transient_rate:.0%} of requests answered "
                         f"{' or '.join(map(str, self.transient_statuses))}")
        if self.latency or self.latency_jitter:
            lines.append(f"latency: {self.latency:g} s per request" +
                         (f" plus up to {self.latency_jitter:g} s" if self.latency_jitter else ""))
        if self.token_expiry_every:
            lines.append(f"token expiry: every {self.token_expiry_every}th authenticated request answered 401")
        for failure in self.resource_failures:
            times = "every one" if failure.times is None else f"the first {failure.times}"
            lines.append(f"failure: {times} of {failure.resource_type} fails with {failure.code}")
        return lines

    def to_json(self) -> dict[str, Any]:
        """A plain dict (for `--json` output and persistence)."""
        data = dict(self.__dict__)
        data["transient_statuses"] = list(self.transient_statuses)
        data["resource_failures"] = [dict(f.__dict__) for f in self.resource_failures]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FaultPlan:
        """Inverse of `to_json()`."""
        data = dict(data)
        data["transient_statuses"] = tuple(data.get("transient_statuses", (500, 503)))
        data["resource_failures"] = [ResourceFailure(**f) for f in data.get("resource_failures", [])]
        return cls(**data)


FAULT_SPECS = {
    "throttle": "throttle=RATE (a fraction of requests answered 429 TooManyRequests)",
    "transient": "transient=RATE (a fraction answered 500 InternalServerError or 503 ServiceUnavailable)",
    "latency": "latency=SECONDS (added to every request, slept)",
    "retry-after": "retry-after=SECONDS (the Retry-After of throttled and 503 answers)",
    "token-expiry": "token-expiry=N (every Nth authenticated request answered 401 ExpiredAuthenticationToken)",
    "fail": "fail=TYPE[:CODE[:TIMES]] (every resource of TYPE fails with CODE, default InsufficientQuota; "
            "TIMES limits how many)",
}
"""The faults `aifactory sandbox serve --fault` takes, as `name=value`."""


def parse_faults(specs: list[str], seed: int = 0) -> FaultPlan:
    """A `FaultPlan` from `name=value` specs (see `FAULT_SPECS`); ValueError names the bad one and the
    forms that are understood."""
    plan = FaultPlan(seed=seed)
    for spec in specs:
        name, _, value = spec.partition("=")
        name = name.strip().lower()
        try:
            if name not in FAULT_SPECS or not value:
                raise ValueError
            _apply_spec(plan, name, value.strip())
        except ValueError:
            forms = "; ".join(FAULT_SPECS.values())
            raise ValueError(f"'{spec}' is not a fault the sandbox knows: use {forms}") from None
    return plan


def _apply_spec(plan: FaultPlan, name: str, value: str) -> None:
    if name == "fail":
        parts = value.split(":")
        if not 1 <= len(parts) <= 3 or "/" not in parts[0]:
            raise ValueError
        times = int(parts[2]) if len(parts) == 3 else None
        if times is not None and times < 1:
            raise ValueError
        code = parts[1] if len(parts) > 1 and parts[1] else "InsufficientQuota"
        plan.resource_failures.append(ResourceFailure(parts[0], code, times=times))
    elif name in ("throttle", "transient"):
        rate = float(value)
        if not 0 <= rate <= 1:
            raise ValueError
        setattr(plan, f"{name}_rate", rate)
    elif name == "latency":
        plan.latency = _non_negative(float(value))
    elif name == "retry-after":
        plan.retry_after = int(_non_negative(int(value)))
    else:
        every = int(value)
        if every < 1:
            raise ValueError
        plan.token_expiry_every = every


def _non_negative(value: float) -> float:
    if value < 0:
        raise ValueError
    return value


@dataclass
class Intercept:
    """What the injector decided for one request: a delay and/or an error to answer instead."""

    latency: float = 0.0
    error: ArmError | None = None


class FaultInjector:
    """Applies a `FaultPlan`, thread-safely, with one seeded random stream."""

    def __init__(self, plan: FaultPlan | None = None) -> None:
        self.plan = plan or FaultPlan()
        self._rng = Random(self.plan.seed)
        self._lock = threading.Lock()
        self._authenticated = 0
        self._fired: dict[str, int] = {}
        self._first_seen: dict[str, float] = {}
        self.injected: dict[str, int] = {}
        """Counts of injected faults by kind (for tests and the benchmark report)."""

    def _count(self, kind: str) -> None:
        self.injected[kind] = self.injected.get(kind, 0) + 1

    def intercept(self, request: Request, now: float) -> Intercept:
        """Decide latency and any error for this request before the sandbox handles it."""
        plan = self.plan
        with self._lock:
            result = Intercept()
            if plan.latency or plan.latency_jitter:
                jitter = self._rng.uniform(0, plan.latency_jitter) if plan.latency_jitter else 0.0
                result.latency = plan.latency + jitter
            token = _bearer(request)
            if token is not None:
                expired = self._token_expired(token, now)
                if expired:
                    self._count("token_expiry")
                    result.error = expired
                    return result
            if plan.throttle_rate and self._rng.random() < plan.throttle_rate:
                self._count("throttle")
                result.error = ArmError(
                    429,
                    "TooManyRequests",
                    "The request is being throttled as the limit has been reached for operation "
                    "type - Read_ObservationWindow_00:05:00. For more information, see - "
                    "https://aka.ms/srpthrottlinglimits",
                    headers={"Retry-After": str(plan.retry_after)},
                )
                return result
            if plan.transient_rate and self._rng.random() < plan.transient_rate:
                status = self._rng.choice(list(plan.transient_statuses))
                self._count(f"transient_{status}")
                if status == 503:
                    result.error = ArmError(
                        503,
                        "ServiceUnavailable",
                        "The service is temporarily unavailable. Please retry the request.",
                        headers={"Retry-After": str(plan.retry_after)},
                    )
                else:
                    result.error = ArmError(
                        status,
                        "InternalServerError",
                        "Encountered internal server error. Diagnostic information: timestamp "
                        "'sandbox', subscription id 'sandbox', tracking id 'sandbox'.",
                    )
            return result

    def _token_expired(self, token: str, now: float) -> ArmError | None:
        plan = self.plan
        first = self._first_seen.setdefault(token, now)
        expired = False
        if plan.token_lifetime is not None and now - first > plan.token_lifetime:
            expired = True
        if plan.token_expiry_every:
            self._authenticated += 1
            if self._authenticated % plan.token_expiry_every == 0:
                expired = True
        if not expired:
            return None
        return ArmError(
            401,
            "ExpiredAuthenticationToken",
            "The access token expiry UTC time is earlier than current UTC time.",
            headers={
                "WWW-Authenticate": 'Bearer authorization_uri="https://login.microsoftonline.com/'
                'common", error="invalid_token", error_description="The access token has expired."'
            },
        )

    def resource_failure(self, resource_type: str) -> ResourceFailure | None:
        """The injected failure for a resource about to be created, if any (counts a firing)."""
        wanted = resource_type.lower()
        with self._lock:
            for index, failure in enumerate(self.plan.resource_failures):
                if failure.resource_type.lower() != wanted:
                    continue
                key = f"{index}:{wanted}"
                fired = self._fired.get(key, 0)
                if failure.times is not None and fired >= failure.times:
                    continue
                self._fired[key] = fired + 1
                self._count("resource_failure")
                return failure
        return None


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return None
