"""The sandbox's Azure Resource Manager: a state machine from request to response, no sockets.

`Arm.handle(method, url, headers, body)` is the whole interface. The in-process transport
(`sandbox.transport`) and the loopback server (`sandbox.server`) both call it, so the SDK sees
the same behaviour either way. Work that takes time in Azure (deployments, provider
registration, resource group deletion) is recorded with its start time and computed from the
sandbox clock on every read; nothing runs in the background.

Typical use::

    arm = Arm()                                  # the seeded demo tenant, wall clock at demo speed
    arm = Arm(clock=SandboxClock.frozen())       # deterministic, for tests
    arm = Arm.open(path)                         # demo mode: resume saved state, autosave

Several processes may share one saved state (`sandbox serve` and a demo run): every request
takes in what the others saved, writes save under the state file's lock, and the clock is the
wall clock at the speed saved with the state, so they all see one cloud on one timeline.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from sandbox import (
    api_versions,
    deployments,
    durations,
    routes_authorization,
    routes_capacity,
    routes_deployments,
    routes_names,
    routes_resources,
    routes_subscriptions,
    schemas,
    seed,
    state_file,
)
from sandbox.clock import DEMO_SPEED, SandboxClock, iso_seconds
from sandbox.faults import FaultInjector, FaultPlan, ResourceFailure
from sandbox.routing import Router, is_read_only
from sandbox.state import Catalog, World
from sandbox.state_file import StateFileError
from sandbox.wire import MAX_BODY_BYTES, ArmError, Reply, Request, too_large

STATE_VERSION = 1
_log = logging.getLogger("sandbox")
_ID_NAMESPACE = uuid.UUID("0e5b2f3a-6c1d-4e8f-9a7b-3c2d1e0f5a4b")
_WRITE_METHODS = {"PUT", "POST", "PATCH", "DELETE"}

StateWriter = Callable[[Path, dict[str, Any]], None]
"""Saves the state (`Arm.to_json()`) at a path; the host may bring its own (see `Arm.__init__`)."""


def internal_error(request: Request, tracking_id: str, now: float) -> ArmError:
    """ARM's 500 for a failure of its own, with the diagnostic ids it quotes."""
    parsed = request.path.split("/")
    subscription = parsed[2] if len(parsed) > 2 and parsed[1].lower() == "subscriptions" else ""
    stamp = iso_seconds(now).replace("-", "").replace(":", "")
    correlation = request.headers.get("x-ms-correlation-request-id", tracking_id)
    return ArmError(500, "InternalServerError", "Encountered internal server error. Diagnostic information: "
                    f"timestamp '{stamp}', subscription id '{subscription}', tracking id '{tracking_id}', "
                    f"request correlation id '{correlation}'.")


class Arm:
    """Azure Resource Manager, simulated against a clock.

    Thread-safe: requests are served under one lock, except injected latency, which is spent
    outside it so that concurrent clients really overlap.
    """

    def __init__(
        self,
        *,
        clock: SandboxClock | None = None,
        faults: FaultPlan | FaultInjector | None = None,
        catalog: Catalog | None = None,
        world: World | None = None,
        page_size: int = 50,
        poll_interval: int = 2,
        require_auth: bool = True,
        state_path: str | os.PathLike[str] | None = None,
        state_writer: StateWriter = state_file.write_state,
        schema_set: schemas.SchemaSet | bool | None = True,
    ) -> None:
        """Build a sandbox; without `world`, the seeded demo tenant; without `clock`, the wall clock
        at the demo speed.

        `page_size` bounds list pages (set it small in tests to exercise `nextLink`),
        `poll_interval` is the `Retry-After` of long-running operations (in seconds at speed 1;
        never below one second), `require_auth` answers 401 to requests without a bearer token,
        and `state_path` makes every write save the state there atomically, through
        `state_writer`: the wizard passes one that also leaves secrets out and cleans up after
        writers that were killed (the sandbox itself knows nothing of the wizard). `schema_set`
        holds template resources against Microsoft's schemas: True finds them
        (`sandbox.schemas.default_set`), None checks none.
        """
        self.clock = clock or SandboxClock(speed=DEMO_SPEED)
        self.schemas = schemas.default_set() if schema_set is True else schema_set or None
        self.faults = faults if isinstance(faults, FaultInjector) else FaultInjector(faults)
        self.catalog = catalog or seed.build_catalog()
        if world is None:
            world = World()
            seed.seed_world(world)
        self.world = world
        self.page_size = page_size
        self.poll_interval = poll_interval
        self.require_auth = require_auth
        self.state_path = Path(state_path) if state_path is not None else None
        self.state_writer = state_writer
        self._saved: state_file.Signature | None = None
        """The state file as this process last read or wrote it (see `_take_in_saved_state`)."""
        self._lock = threading.RLock()
        self._requests = itertools.count(1)
        self.router = Router()
        for module in (
            routes_subscriptions,
            routes_deployments,
            routes_capacity,
            routes_names,
            routes_authorization,
            routes_resources,
        ):
            self.router.extend(module.ROUTES)

    # --- the interface ---------------------------------------------------------------------------

    def handle(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        """Answer one request: (status, headers, body bytes)."""
        request = Request.parse(method, url, headers, body)
        number = next(self._requests)
        request_id = str(uuid.uuid5(_ID_NAMESPACE, f"request:{number}"))
        try:
            reply = self._answer(request)
        except ArmError as error:
            reply = error.to_reply()
        except Exception:  # a sandbox bug: answer as ARM does, never drop the request
            _log.exception("sandbox: %s %s failed", request.method, request.path)
            reply = internal_error(request, request_id, self.now()).to_reply()
        status, out_headers, payload = reply.encode()
        out_headers.setdefault("x-ms-request-id", request_id)
        out_headers.setdefault(
            "x-ms-correlation-request-id",
            request.headers.get("x-ms-correlation-request-id", request_id),
        )
        if "x-ms-client-request-id" in request.headers:
            out_headers["x-ms-client-request-id"] = request.headers["x-ms-client-request-id"]
        kind = "writes" if request.method in _WRITE_METHODS else "reads"
        out_headers.setdefault(f"x-ms-ratelimit-remaining-subscription-{kind}", "11999")
        if request.method == "HEAD":
            payload = b""
        return status, out_headers, payload

    def _answer(self, request: Request) -> Reply:
        if len(request.body) > MAX_BODY_BYTES:
            raise too_large()
        if self.require_auth and not request.headers.get("authorization", "").lower().startswith("bearer "):
            raise ArmError(
                401,
                "AuthenticationFailed",
                "Authentication failed. The 'Authorization' header is missing.",
                headers={"WWW-Authenticate": 'Bearer authorization_uri="https://login.microsoftonline.com/'
                         'common", error="invalid_token", error_description="The authentication '
                         'failed because of missing \'Authorization\' header."'},
            )
        intercept = self.faults.intercept(request, self.now())
        if intercept.latency:
            self._pause(intercept.latency)
        if intercept.error is not None:
            raise intercept.error
        if not request.api_version:
            raise ArmError(
                400,
                "MissingApiVersionParameter",
                "The api-version query parameter (?api-version=) is required for all requests.",
            )
        route, params = self.router.match(request)
        writes = request.method in _WRITE_METHODS and not is_read_only(route.handler)
        saving = self.state_path if writes else None
        with self._lock, state_file.locked(saving) if saving is not None else contextlib.nullcontext():
            self._take_in_saved_state()
            api_versions.check(self.catalog, self.world, request, route.template)
            self.advance_world()
            try:
                return route.handler(self, request, **params)
            finally:
                if saving is not None:
                    self.save(saving)

    def _take_in_saved_state(self) -> None:
        """Adopt the state file when another process has saved it since this one last read or
        wrote it; a wall clock also takes the saved speed (a frozen test clock stays its own)."""
        if self.state_path is None:
            return
        current = state_file.signature(self.state_path)
        if current is None or current == self._saved:
            return
        try:
            clock, world = self._parse_state(state_file.read_state(self.state_path))
        except ValueError as exc:
            raise StateFileError(self.state_path, str(exc)) from None
        if not clock.is_frozen and not self.clock.is_frozen:
            self.clock = clock
        self.world = world
        self._saved = current

    def _pause(self, seconds: float) -> None:
        """Spend injected latency: really sleep, or (on a frozen test clock) move the clock."""
        if self.faults.plan.real_latency or not self.clock.is_frozen:
            time.sleep(seconds)
        else:
            self.clock.advance(seconds)

    # --- helpers for the route modules -----------------------------------------------------------

    def now(self) -> float:
        """Sandbox time (epoch seconds)."""
        return self.clock.now()

    def new_id(self, kind: str = "id") -> str:
        """A deterministic, persisted-sequence UUID."""
        with self._lock:
            self.world.counter += 1
            return str(uuid.uuid5(_ID_NAMESPACE, f"{kind}:{self.world.counter}"))

    def subscription(self, subscription_id: str, *, write: bool = False) -> dict[str, Any]:
        """The subscription, or ARM's 404; writes to a disabled one are refused."""
        sub = self.catalog.subscription(subscription_id)
        if sub is None:
            raise ArmError(
                404, "SubscriptionNotFound", f"The subscription '{subscription_id}' could not be found."
            )
        if write and sub["state"] != "Enabled":
            raise ArmError(
                409,
                "ReadOnlyDisabledSubscription",
                f"The subscription '{sub['subscriptionId']}' is disabled and therefore marked as "
                "read only. You cannot perform any write actions on this subscription until it is "
                "re-enabled.",
            )
        return sub

    def resource_group(self, subscription_id: str, name: str) -> dict[str, Any]:
        """A live resource group, or ARM's 404 `ResourceGroupNotFound`."""
        group = self.world.resource_groups.get(f"{subscription_id}/{name}".lower())
        if group is None:
            raise ArmError(404, "ResourceGroupNotFound", f"Resource group '{name}' could not be found.")
        return group

    def writable_group(self, subscription_id: str, name: str) -> dict[str, Any]:
        """A resource group that can take writes: ARM's 409 `ResourceGroupBeingDeleted` while it is
        being deleted (404 when there is none)."""
        group = self.resource_group(subscription_id, name)
        if group.get("deleting"):
            raise ArmError(409, "ResourceGroupBeingDeleted", f"The resource group '{group['name']}' is in "
                           "deprovisioning state and cannot perform this operation.")
        return group

    def set_speed(self, speed: float) -> None:
        """Work scheduled from now on goes at `speed` (saved with the state, so every process that
        shares it follows)."""
        with self._lock, state_file.locked(self.state_path) if self.state_path else contextlib.nullcontext():
            self._take_in_saved_state()
            self.clock = self.clock.at_speed(speed)
            if self.state_path is not None:
                self.save(self.state_path)

    def retry_after(self) -> str:
        """The `Retry-After` of long-running operations: the poll interval at the clock's speed, in
        whole seconds as ARM sends it (at least one)."""
        return str(max(1, round(self.clock.scaled(self.poll_interval))))

    def registration_state(self, subscription_id: str, namespace: str) -> str:
        """A provider's registration state now (Registering turns Registered after a few seconds)."""
        entry = self.world.providers.get(subscription_id.lower(), {}).get(namespace.lower())
        if entry is None:
            return "NotRegistered"
        takes = self.clock.scaled(durations.REGISTRATION_SECONDS)
        if entry["state"] == "Registering" and self.now() - entry["since"] >= takes:
            entry["state"] = "Registered"
            entry["since"] = entry["since"] + takes
        return str(entry["state"])

    def ensure_registered(self, subscription_id: str, resource_type: str) -> None:
        """ARM's 409 `MissingSubscriptionRegistration` for a type whose provider is not registered."""
        namespace = resource_type.split("/")[0]
        provider = self.catalog.provider(namespace)
        if provider is None:
            raise ArmError(
                400,
                "NoRegisteredProviderFound",
                f"No registered resource provider found for location and API version for type "
                f"'{resource_type}'.",
            )
        if provider["registrationPolicy"] == "RegistrationFree":
            return
        if self.registration_state(subscription_id, namespace) != "Registered":
            raise ArmError(
                409,
                "MissingSubscriptionRegistration",
                f"The subscription is not registered to use namespace '{provider['namespace']}'. "
                "See https://aka.ms/rps-not-found for how to register subscriptions.",
                details=[{
                    "code": "MissingSubscriptionRegistration",
                    "target": provider["namespace"],
                    "message": f"The subscription is not registered to use namespace "
                    f"'{provider['namespace']}'. See https://aka.ms/rps-not-found for how to "
                    "register subscriptions.",
                }],
            )

    def resource_failure(self, resource_type: str) -> ResourceFailure | None:
        """An injected failure for this resource type, if the fault plan has one left."""
        return self.faults.resource_failure(resource_type)

    def advance_world(self) -> None:
        """Apply every piece of work whose time has come (idempotent)."""
        with self._lock:
            now = self.now()
            deployments.advance(self, now)
            routes_resources.advance_deletions(self, now)
            routes_names.advance_purges(self, now)

    # --- persistence -----------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """The mutable state (the catalogue is rebuilt from the seed on load)."""
        with self._lock:
            return {
                "version": STATE_VERSION,
                "clock": self.clock.to_json(),
                "world": json.loads(json.dumps(self.world.to_json())),
            }

    @classmethod
    def from_json(cls, data: dict[str, Any], *, clock: SandboxClock | None = None, **kwargs: Any) -> Arm:
        """Resume saved state, topped up with what a newer seed adds; without `clock`, continue the
        saved timeline.

        Raises ValueError saying what is wrong ("holds no sandbox state", "was written by a newer
        aifactory-wizard", "is damaged: ..."), phrased to follow the name of the file it came from.
        """
        saved_clock, world = cls._parse_state(data)
        seed.top_up_world(world)
        return cls(clock=clock or saved_clock, world=world, **kwargs)

    @staticmethod
    def _parse_state(data: dict[str, Any]) -> tuple[SandboxClock, World]:
        """The saved clock and world; ValueError as `from_json` describes."""
        version = data.get("version") if isinstance(data, dict) else None
        if version is None:
            raise ValueError('holds no sandbox state (it has no "version")')
        if version != STATE_VERSION:
            if isinstance(version, int) and not isinstance(version, bool) and version > STATE_VERSION:
                raise ValueError(f"was written by a newer aifactory-wizard (state version {version}; this one "
                                 f"reads version {STATE_VERSION})")
            raise ValueError(f"has an unknown state version {version!r} (this aifactory-wizard reads version "
                             f"{STATE_VERSION})")
        try:
            saved = data.get("clock", {})
            if not isinstance(saved, dict):
                raise ValueError("clock is not a JSON object")
            return SandboxClock.from_json(saved), World.from_json(data.get("world"))
        except (ValueError, TypeError, KeyError) as exc:
            raise ValueError(f"is damaged: {exc}") from None

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the state atomically, through `state_writer`."""
        self.state_writer(Path(path), self.to_json())
        if self.state_path is not None and Path(path) == self.state_path:
            self._saved = state_file.signature(path)

    @classmethod
    def load(cls, path: str | os.PathLike[str], **kwargs: Any) -> Arm:
        """Read state written by `save()`; `StateFileError` names the file and what is wrong with it."""
        data = state_file.read_state(path)
        try:
            return cls.from_json(data, **kwargs)
        except ValueError as exc:
            raise StateFileError(path, str(exc)) from None

    @classmethod
    def open(cls, path: str | os.PathLike[str], **kwargs: Any) -> Arm:
        """Demo mode: resume the state at `path` (or seed a new tenant) and autosave there.

        Temporary files left by killed runs are removed first.
        """
        target = Path(path)
        state_file.remove_stale_temporaries(target)
        try:
            with state_file.locked(target):
                return cls._open_locked(target, **kwargs)
        except OSError as exc:
            raise StateFileError(target, f"cannot be written ({exc.strerror or exc})") from None

    @classmethod
    def _open_locked(cls, target: Path, **kwargs: Any) -> Arm:
        """`open()` under the state's lock, so two processes never both seed a missing file."""
        if target.exists():
            arm = cls.load(target, state_path=target, **kwargs)
            arm._saved = state_file.signature(target)
            return arm
        arm = cls(state_path=target, **kwargs)
        arm.save(target)
        return arm
