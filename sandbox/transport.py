"""The sandbox mounted under the real Azure SDK clients, in process.

Pass `SandboxTransport(arm)` as `transport=` (and `SandboxCredential()` as the credential) to
any management client; the client keeps its default `https://management.azure.com` base URL, so
its bearer-token policy is satisfied, and every request goes to `Arm.handle()` instead of the
network. Any other host is refused with `ForeignHostError`, so demo mode can never reach Azure.

Polling waits (`Retry-After`, backoff) go through `sleep()`. On the wall clock (the demo) they
are slept for real: the sandbox's clock is never pushed forward, so work progresses at the speed
saved with the state and a cancel can still arrive in time. On a frozen clock (tests) a wait
moves the clock instead, so long-running operations complete in milliseconds.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from azure.core.exceptions import HttpResponseError
from azure.core.pipeline.transport import HttpTransport
from azure.core.rest import HttpRequest, HttpResponse
from azure.core.utils import case_insensitive_dict

from sandbox.arm import Arm
from sandbox.credential import SandboxCredential

__all__ = ["ALLOWED_HOSTS", "ForeignHostError", "SandboxCredential", "SandboxResponse", "SandboxTransport"]

ALLOWED_HOSTS = frozenset({"management.azure.com"})
_REASONS = {
    200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 400: "Bad Request",
    401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
    409: "Conflict", 429: "Too Many Requests", 500: "Internal Server Error",
    503: "Service Unavailable",
}


class ForeignHostError(RuntimeError):
    """A client tried to reach a host other than the sandbox's; never retried by the SDK."""


class SandboxResponse(HttpResponse):
    """An `azure.core.rest.HttpResponse` over bytes the sandbox produced.

    The whole body is in memory, so streaming and non-streaming reads behave alike; the
    stream-consumed bookkeeping mirrors azure-core's own responses so the pipeline's
    `read()`/`close()` calls and the generated clients' `iter_bytes()` all work.
    """

    def __init__(self, request: HttpRequest, status: int, headers: dict[str, str], body: bytes) -> None:
        self._request = request
        self._status = status
        self._headers: MutableMapping[str, str] = case_insensitive_dict(headers)
        self._body = body
        self._encoding: str | None = None
        self._closed = False
        self._consumed = False
        self.internal_response = (status, headers, body)
        """The raw (status, headers, body) tuple, for debugging."""

    @property
    def request(self) -> HttpRequest:
        return self._request

    @property
    def status_code(self) -> int:
        return self._status

    @property
    def headers(self) -> MutableMapping[str, str]:
        return self._headers

    @property
    def reason(self) -> str:
        return _REASONS.get(self._status, "Unknown")

    @property
    def content_type(self) -> str | None:
        return self._headers.get("Content-Type")

    @property
    def is_closed(self) -> bool:
        return self._closed

    @property
    def is_stream_consumed(self) -> bool:
        return self._consumed

    @property
    def encoding(self) -> str | None:
        return self._encoding or "utf-8"

    @encoding.setter
    def encoding(self, value: str | None) -> None:
        self._encoding = value

    @property
    def url(self) -> str:
        return self._request.url

    @property
    def content(self) -> bytes:
        return self._body

    def text(self, encoding: str | None = None) -> str:
        return self._body.decode(encoding or self.encoding or "utf-8")

    def json(self) -> Any:
        if not self._body:
            raise ValueError("The response has no body")
        return json.loads(self._body)

    def raise_for_status(self) -> None:
        if self._status >= 400:
            raise HttpResponseError(response=self)

    def __enter__(self) -> SandboxResponse:
        return self

    def __exit__(self, *args: Any) -> None:
        self.close()

    def close(self) -> None:
        self._closed = True

    def read(self) -> bytes:
        self._consumed = True
        return self._body

    def iter_raw(self, **kwargs: Any) -> Iterator[bytes]:
        self._consumed = True
        if self._body:
            yield self._body
        self.close()

    def iter_bytes(self, **kwargs: Any) -> Iterator[bytes]:
        yield from self.iter_raw(**kwargs)


def _body_bytes(request: Any) -> bytes:
    """The body of an `azure.core.rest` request, or of a legacy pipeline request (msrest clients)."""
    if hasattr(request, "content"):
        content = request.content
    else:
        content = getattr(request, "data", None) or getattr(request, "body", None)
    if content is None:
        return b""
    if isinstance(content, bytes):
        return content
    if isinstance(content, str):
        return content.encode("utf-8")
    if hasattr(content, "read"):
        data = content.read()
        return data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if isinstance(content, dict):
        return json.dumps(content).encode("utf-8")
    return b"".join(c.encode("utf-8") if isinstance(c, str) else bytes(c) for c in content)


class SandboxTransport(HttpTransport):  # type: ignore[type-arg]
    """An azure-core transport that answers from an `Arm`, never from the network."""

    def __init__(self, arm: Arm | None = None, *, allowed_hosts: frozenset[str] = ALLOWED_HOSTS) -> None:
        self.arm = arm if arm is not None else Arm()
        self.allowed_hosts = frozenset(h.lower() for h in allowed_hosts)
        self.requests = 0
        """Number of requests sent (for tests and benchmarks)."""
        self.slept = 0.0
        """Seconds of waiting requested by the pipeline (slept, or passed on a frozen clock)."""

    def send(self, request: HttpRequest, **kwargs: Any) -> SandboxResponse:  # type: ignore[override]
        parts = urlsplit(request.url)
        host = (parts.hostname or "").lower()
        if parts.scheme.lower() != "https" or host not in self.allowed_hosts:
            raise ForeignHostError(
                f"The sandbox transport only serves https://management.azure.com; refusing "
                f"{request.method} {parts.scheme}://{parts.netloc}{parts.path}"
            )
        self.requests += 1
        status, headers, body = self.arm.handle(
            request.method, request.url, dict(request.headers), _body_bytes(request)
        )
        return SandboxResponse(request, status, headers, body)

    def sleep(self, duration: float) -> None:
        """Wait: for real on the wall clock; on a frozen (test) clock, move it instead."""
        if duration <= 0:
            return
        self.slept += duration
        if self.arm.clock.is_frozen:
            self.arm.clock.advance(duration)
        else:
            time.sleep(duration)

    def open(self) -> None:
        """Nothing to open: there is no connection."""

    def close(self) -> None:
        """Nothing to close; the transport can be shared by many clients."""

    def __enter__(self) -> SandboxTransport:
        self.open()
        return self

    def __exit__(self, *args: Any) -> None:
        self.close()

