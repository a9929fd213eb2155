"""One factory for the real Azure SDK clients, with a per-run read cache and a bounded pool.

Every live check reads through `AzureSession.read(key, fetch)`: the first caller fetches, any
concurrent caller with the same key waits for that one fetch, and later callers get the stored
answer. So a subscription's providers are fetched once however many checks need them, and the
number of distinct reads is known (the preflight benchmark reports it).

The SDK is imported lazily (inside methods): the core and `aifactory --help` never pay for it.
The same session talks to real Azure, to the in-process sandbox (a `transport=`) or to the
loopback sandbox (a `base_url=` plus an authentication policy that sends the token over http).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")

MAX_WORKERS = 128
"""Threads for ARM reads. ARM limits the *rate* of reads, not how many are in flight: a bucket
of 250 per subscription and principal, refilled at 25 per second. `ReadBudget` keeps every
subscription inside that bucket, so the pool may be wide enough for a whole preflight (about
150 reads for three environments and ten projects) to be in flight at once."""

BUCKET_SIZE = 250
"""ARM's per-subscription read bucket (requests)."""
REFILL_PER_SECOND = 25.0
"""ARM's per-subscription refill rate (requests per second)."""


class ReadBudget:
    """A token bucket per subscription mirroring ARM's, so a run never provokes throttling.

    `acquire` blocks until the request's subscription has a token. 429s that happen anyway
    (other tools sharing the principal) are retried by the SDK after `Retry-After`.
    """

    def __init__(self, size: int = BUCKET_SIZE, rate: float = REFILL_PER_SECOND,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        self.size, self.rate, self._clock, self._sleep = size, rate, clock, sleep
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def acquire(self, url: str) -> None:
        """Take one token for the subscription in `url` (tenant-level calls share one bucket)."""
        key = _subscription_of(url)
        while True:
            with self._lock:
                now = self._clock()
                tokens, last = self._buckets.get(key, (float(self.size), now))
                tokens = min(float(self.size), tokens + (now - last) * self.rate)
                if tokens >= 1:
                    self._buckets[key] = (tokens - 1, now)
                    return
                self._buckets[key] = (tokens, now)
                wait = (1 - tokens) / self.rate
            self._sleep(wait)


def _subscription_of(url: str) -> str:
    lowered = url.lower()
    marker = "/subscriptions/"
    if marker not in lowered:
        return ""
    return lowered.split(marker, 1)[1].split("/", 1)[0].split("?", 1)[0]

def _key_mentions(key: Hashable, subscription_id: str) -> bool:
    """True when a read-cache key belongs to `subscription_id` (as an element or inside an id)."""
    wanted = subscription_id.lower()
    parts = key if isinstance(key, tuple) else (key,)
    for part in parts:
        text = str(part).lower()
        if text == wanted or f"/subscriptions/{wanted}/" in text or text.endswith(f"/subscriptions/{wanted}"):
            return True
    return False


class ReadCancelled(Exception):
    """A read stopped before its request was sent: its run was cancelled or the session closed."""


RETRY_TOTAL = 6
"""SDK retries for 429 and 5xx; azure-core's RetryPolicy waits `Retry-After` when ARM sends it."""


@dataclass
class _Slot:
    """One cached read: done when `event` is set; holds a value or the exception to re-raise."""

    event: threading.Event = field(default_factory=threading.Event)
    value: Any = None
    error: BaseException | None = None
    depth: int = 1
    """How many reads had to finish, one after another, before this one could: 1 + the depth
    its fetcher had reached when it asked (the length of its chain of dependent requests)."""


@dataclass
class SessionStats:
    """What a run cost: distinct reads, cache hits and HTTP requests sent (retries included)."""

    distinct_reads: int = 0
    cache_hits: int = 0
    http_requests: int = 0
    longest_chain: int = 0
    """The longest chain of reads that depended on one another (each waited for the last)."""


class AzureSession:
    """Credentials, SDK clients per subscription, the read cache and the worker pool of one run."""

    def __init__(
        self,
        credential: Any,
        *,
        transport: Any = None,
        base_url: str | None = None,
        authentication_policy: Any = None,
        max_workers: int = MAX_WORKERS,
        tenant_id: str | None = None,
    ) -> None:
        self.credential = credential
        self.tenant_id = tenant_id
        self._transport = transport
        self._base_url = base_url
        self._auth_policy = authentication_policy
        self._clients: dict[tuple[str, str], Any] = {}
        self._slots: dict[Hashable, _Slot] = {}
        self._lock = threading.Lock()
        self.stats = SessionStats()
        self.budget = ReadBudget()
        self._depth = threading.local()
        self._run_cancel = threading.local()
        self.closed = False
        """True once `close` ran: checks still running stop at their next read."""
        self.pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="arm")

    # ------------------------------------------------------------------ cache

    def read(self, key: Hashable, fetch: Callable[[], T], cancel: threading.Event | None = None) -> T:
        """The value for `key`, fetched once per session even when asked for concurrently.

        `cancel` is the asking run's: once set, the request is not sent (the pipeline's hook
        checks it just before each send) and the read raises `ReadCancelled`. A read cancelled for
        one run is not kept: another run waiting on it fetches it again for itself.
        """
        depth = self.current_depth()
        while True:
            with self._lock:
                slot = self._slots.get(key)
                owner = slot is None
                if owner:
                    slot = self._slots[key] = _Slot(depth=depth + 1)
                    self.stats.distinct_reads += 1
                    self.stats.longest_chain = max(self.stats.longest_chain, slot.depth)
                else:
                    self.stats.cache_hits += 1
            assert slot is not None
            if owner:
                outer = getattr(self._run_cancel, "value", None)  # a read nested in another's fetch
                self._run_cancel.value = cancel or outer
                try:
                    slot.value = fetch()
                except BaseException as exc:
                    slot.error = exc
                    if isinstance(exc, ReadCancelled):
                        with self._lock:
                            if self._slots.get(key) is slot:
                                del self._slots[key]
                finally:
                    self._run_cancel.value = outer
                    slot.event.set()
            else:
                slot.event.wait()
                if isinstance(slot.error, ReadCancelled) and not (cancel is not None and cancel.is_set()):
                    continue  # another run's read was cancelled, not ours: fetch it again
            break
        self._depth.value = max(depth, slot.depth)
        if slot.error is not None:
            raise slot.error
        value: T = slot.value
        return value

    def current_depth(self) -> int:
        """The dependency depth this thread has reached (0 for a fresh task)."""
        return int(getattr(self._depth, "value", 0))

    def fresh_task(self) -> None:
        """Start a new independent task on this thread: its reads depend on nothing before."""
        self._depth.value = 0

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        """Run `fn(*args)` on the session's pool as an independent task."""

        def task() -> T:
            self.fresh_task()
            return fn(*args)

        return self.pool.submit(task)

    def close(self) -> None:
        """Stop the pool; reads asked for from now on are refused (a run on it stops)."""
        self.closed = True
        self.pool.shutdown(wait=False, cancel_futures=True)

    # ------------------------------------------------------------------ clients

    def _count(self, request: Any) -> None:
        """Runs for every HTTP request the SDK sends (retries too): stop it if its run was
        cancelled, else count it and respect the budget."""
        cancel = getattr(self._run_cancel, "value", None)
        if (cancel is not None and cancel.is_set()) or self.closed:
            raise ReadCancelled
        self.budget.acquire(request.http_request.url)
        with self._lock:
            self.stats.http_requests += 1

    def _kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"retry_total": RETRY_TOTAL, "retry_status": RETRY_TOTAL,
                                  "raw_request_hook": self._count}
        if self._transport is not None:
            kwargs["transport"] = self._transport
        if self._base_url is not None:
            kwargs["base_url"] = self._base_url
        if self._auth_policy is not None:
            kwargs["authentication_policy"] = self._auth_policy
        return kwargs

    def _client(self, kind: str, subscription_id: str, build: Callable[[dict[str, Any]], Any]) -> Any:
        key = (kind, subscription_id)
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                client = self._clients[key] = build(self._kwargs())
        return client

    def subscriptions(self) -> Any:
        """`SubscriptionClient`: subscriptions, tenants, locations."""
        from azure.mgmt.resource.subscriptions import SubscriptionClient

        return self._client("subscriptions", "", lambda kw: SubscriptionClient(self.credential, **kw))

    def resources(self, subscription_id: str) -> Any:
        """`ResourceManagementClient`: providers and resource groups."""
        from azure.mgmt.resource.resources import ResourceManagementClient

        return self._client("resources", subscription_id,
                            lambda kw: ResourceManagementClient(self.credential, subscription_id, **kw))

    def deployments(self, subscription_id: str) -> Any:
        """`DeploymentsMgmtClient`: template deployments, what-if, their operations, cancel."""
        from azure.mgmt.resource.deployments import DeploymentsMgmtClient

        return self._client("deployments", subscription_id,
                            lambda kw: DeploymentsMgmtClient(self.credential, subscription_id, **kw))

    def compute(self, subscription_id: str) -> Any:
        """`ComputeManagementClient`: VM SKUs and vCPU usages."""
        from azure.mgmt.compute import ComputeManagementClient

        return self._client("compute", subscription_id,
                            lambda kw: ComputeManagementClient(self.credential, subscription_id, **kw))

    def cognitive(self, subscription_id: str) -> Any:
        """`CognitiveServicesManagementClient`: models, TPM usages, deleted accounts."""
        from azure.mgmt.cognitiveservices import CognitiveServicesManagementClient

        return self._client("cognitive", subscription_id,
                            lambda kw: CognitiveServicesManagementClient(self.credential, subscription_id, **kw))

    def keyvault(self, subscription_id: str) -> Any:
        """`KeyVaultManagementClient`: vault name availability and deleted vaults."""
        from azure.mgmt.keyvault import KeyVaultManagementClient

        return self._client("keyvault", subscription_id,
                            lambda kw: KeyVaultManagementClient(self.credential, subscription_id, **kw))

    def storage(self, subscription_id: str) -> Any:
        """`StorageManagementClient`: storage account name availability."""
        from azure.mgmt.storage import StorageManagementClient

        return self._client("storage", subscription_id,
                            lambda kw: StorageManagementClient(self.credential, subscription_id, **kw))

    def forget_failures(self) -> None:
        """Drop every read that failed, so the next run asks Azure again.

        Called as each preflight starts: within one run a failed read is not repeated (every
        check that needs it reports it), but no failure outlives the run that met it.
        """
        with self._lock:
            for key in [k for k, slot in self._slots.items() if slot.event.is_set() and slot.error is not None]:
                del self._slots[key]

    def clear_cache(self, subscription_id: str | None = None) -> None:
        """Forget reads so the next run asks Azure afresh: all of them, or one subscription's.

        Per subscription after registering its providers, or when a person asks to re-check one
        environment; reads that do not belong to a subscription (tenants, names) stay.
        """
        with self._lock:
            if subscription_id is None:
                self._slots.clear()
                return
            for key in [k for k in self._slots if _key_mentions(k, subscription_id)]:
                del self._slots[key]

    def request_json(self, subscription_id: str, method: str, path: str,
                     api_version: str, body: Any = None) -> Any:
        """A REST call the SDK packages do not wrap (subscription-scope permissions, ACR names).

        `path` may carry a query of its own (`$filter`), or be a full `nextLink` URL (it already
        carries its api-version and token).

        Goes through a real client's pipeline (`send_request`), so credentials, retries and the
        sandbox transport apply exactly as for the wrapped calls.
        """
        from azure.core.rest import HttpRequest

        client = self.resources(subscription_id)
        joiner = "&" if "?" in path else "?"
        url = path if "api-version=" in path else f"{path}{joiner}api-version={api_version}"
        request = HttpRequest(method, url, json=body)
        response = client.send_request(request)
        response.raise_for_status()
        return response.json()
