"""The sandbox served over HTTP on 127.0.0.1, plus an App Service-style managed identity endpoint.

End-to-end tests and `aifactory sandbox serve` use it to drive the real client factory with
`base_url=` and a real credential:

* every ARM path is answered by the same `Arm` the in-process transport uses; absolute URLs in
  answers (nextLink, Azure-AsyncOperation, Location) point back at the host the client used;
* `GET /msi/token?api-version=2019-08-01&resource=...` with the `X-IDENTITY-HEADER` secret answers
  `{access_token, expires_on, resource, token_type}`, so `DefaultAzureCredential` (through
  `ManagedIdentityCredential`) obtains a token when `IDENTITY_ENDPOINT` and `IDENTITY_HEADER` point
  here. Clients must use `sandbox.loopback.LoopbackBearerTokenPolicy` because the server is http.

Whatever a client sends, it gets an answer in ARM's error shape, never a dropped connection or an
HTML page: a malformed request line or header, a bad or oversized `Content-Length`, a body that
stops short (408 after the read timeout), a method ARM does not serve, a `Host` that is not a
loopback name (refused, so a web page cannot reach the sandbox through DNS rebinding). Requests are
served by a bounded pool (`sandbox.pooled_http`).
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import secrets
import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sandbox.arm import Arm
from sandbox.credential import issue_token
from sandbox.pooled_http import PooledHTTPServer
from sandbox.wire import JSON_CONTENT_TYPE, MAX_BODY_BYTES, ArmError, too_large

MSI_PATH = "/msi/token"
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
"""Host names the server answers to (with any port); anything else may be a DNS-rebinding page."""
_STATUS_CODES = {
    400: "BadRequest", 404: "NotFound", 405: "HttpMethodNotAllowed", 408: "RequestTimeout",
    411: "LengthRequired", 413: "RequestContentTooLarge", 414: "RequestUriTooLong",
    431: "RequestHeaderFieldsTooLarge", 500: "InternalServerError", 501: "NotImplemented",
    505: "HttpVersionNotSupported",
}
"""ARM error codes for the failures the HTTP layer itself reports."""


class _BodyError(Exception):
    """The body could not be read; the handler has answered."""


class _Handler(BaseHTTPRequestHandler):
    """One connection's handler; `sandbox.pooled_http` calls `handle_one_request` per request."""

    protocol_version = "HTTP/1.1"
    received: Callable[[], None] = staticmethod(lambda: None)
    """Set by the pool: tells it the request has arrived whole (see `sandbox.pooled_http`)."""
    default_request_version = "HTTP/1.1"
    """Answer a malformed request line with a full HTTP/1.1 response, not a bare HTTP/0.9 body."""
    server: Any

    def __init__(self, sock: Any, address: Any, server: _Server) -> None:
        """Set up the connection only: the base class would serve it at once."""
        self.request = self.connection = sock
        self.client_address = address
        self.server = server
        self.setup()

    def setup(self) -> None:
        self.rfile = self.connection.makefile("rb", -1)
        self.wfile = self.connection.makefile("wb")

    def __getattr__(self, name: str) -> Any:
        """Every method reaches the sandbox (`do_OPTIONS`, `do_TRACE`, ...): ARM answers each one."""
        if name.startswith("do_"):
            return self._dispatch
        raise AttributeError(name)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests and the demo do not want a line per request on stderr."""
        if self.server.verbose:
            super().log_message(format, *args)

    # ---------------------------------------------------------------- answering

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """HTTP-level failures (bad request line, headers too long...) in ARM's error shape, not HTML."""
        self.close_connection = True
        text = message or self.responses.get(code, ("Error",))[0]
        if explain:
            text = f"{text}: {explain}"
        error = ArmError(code, _STATUS_CODES.get(code, "BadRequest"), text)
        self._respond(*error.to_reply().encode())

    def _respond(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for key, value in headers.items():
            if key.lower() not in ("content-length", "connection"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(body) if self.command != "HEAD" else 0))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)
        self.wfile.flush()

    def _refuse(self, error: ArmError, *, close: bool = False) -> None:
        if close:
            self.close_connection = True
        self._respond(*error.to_reply().encode())

    # ---------------------------------------------------------------- the request

    def _dispatch(self) -> None:
        host = self._loopback_host()
        if host is None:
            return
        try:
            body = self._read_body()
        except _BodyError:
            return
        self.received()
        path = self._target_path()
        if urlsplit(path).path.rstrip("/") == MSI_PATH:
            self._respond(*self.server.msi_token(path, dict(self.headers.items())))
            return
        self._respond(*self.server.arm.handle(self.command, f"http://{host}{path}", dict(self.headers.items()), body))

    def _target_path(self) -> str:
        """The origin-form path; an absolute-form target (`GET http://host/path`) gives its path."""
        if self.path.startswith("/"):
            return self.path
        parts = urlsplit(self.path)
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    def _loopback_host(self) -> str | None:
        """The Host the client used, when it names this machine; else answer 400 and None."""
        target = urlsplit(self.path) if not self.path.startswith("/") else None
        host = target.netloc if target is not None and target.netloc else (self.headers.get("Host") or "").strip()
        if _host_name(host) in LOOPBACK_NAMES and (target is None or target.scheme == "http"):
            return host
        self._refuse(ArmError(400, "InvalidHostName", f"The request host name '{host[:100]}' is not "
                              "served here: the sandbox answers only to localhost, 127.0.0.1 and [::1] (with "
                              "its port)."), close=True)
        return None

    def _read_body(self) -> bytes:
        """The request body by `Content-Length` or chunked; a bad one is answered and raises."""
        encoding = (self.headers.get("Transfer-Encoding") or "").strip().lower()
        length_text = self.headers.get("Content-Length")
        if encoding:
            if encoding != "chunked" or length_text is not None:
                self._refuse(ArmError(400, "BadRequest", f"Transfer-Encoding '{encoding[:40]}' is not supported "
                                      "here (with Content-Length, or other than chunked): send Content-Length."),
                             close=True)
                raise _BodyError
            return self._read_chunked()
        if length_text is None:
            return b""
        text = length_text.strip()
        if not text.isdigit() or len(self.headers.get_all("Content-Length") or []) > 1:
            self._refuse(ArmError(400, "BadRequest", f"The Content-Length header '{length_text[:40]}' is not "
                                  "a length: send the body's size in bytes, once."), close=True)
            raise _BodyError
        length = int(text)
        if length > MAX_BODY_BYTES:
            self._refuse(too_large(), close=True)
            raise _BodyError
        return self._read_exactly(length)

    def _read_exactly(self, length: int) -> bytes:
        try:
            body = self.rfile.read(length) if length else b""
        except TimeoutError:
            body = None
        if body is None or len(body) < length:
            self._refuse(ArmError(408, "RequestTimeout", f"The request body ended after fewer than the "
                                  f"{length} bytes its Content-Length announced, or stopped arriving."), close=True)
            raise _BodyError
        return body

    def _read_chunked(self) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            try:
                line = self.rfile.readline(1026)
            except TimeoutError:
                line = b""
            try:
                chunk = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                self._refuse(ArmError(400, "BadRequest", "The chunked request body is malformed."), close=True)
                raise _BodyError from None
            size += chunk
            if size > MAX_BODY_BYTES:
                self._refuse(too_large(), close=True)
                raise _BodyError
            if chunk == 0:
                while self.rfile.readline(1026).strip():  # trailers
                    pass
                return b"".join(chunks)
            chunks.append(self._read_exactly(chunk))
            self._read_exactly(2)  # CRLF after the chunk


def _host_name(host: str) -> str:
    """The lower-cased name in a Host value ("[::1]:8080" -> "::1"); "" when it is malformed or
    carries user information ("localhost@evil.example")."""
    try:
        parts = urlsplit("//" + host)
        if parts.username is not None or parts.port == 0:
            return ""
    except ValueError:  # a port that is not a number from 1 to 65535
        return ""
    return (parts.hostname or "").rstrip(".")


class _Server(PooledHTTPServer):
    def __init__(self, address: tuple[str, int], arm: Arm, identity_header: str, verbose: bool,
                 **pool: Any) -> None:
        super().__init__(address, _Handler, **pool)
        self.arm = arm
        self.identity_header = identity_header
        self.verbose = verbose
        host = address[0]
        self.host_header = f"[{host}]:{self.server_address[1]}" if ":" in host else f"{host}:{self.server_address[1]}"

    def msi_token(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        """The App Service managed identity protocol (api-version 2019-08-01)."""
        lowered = {k.lower(): v for k, v in headers.items()}
        query = {k: v[0] for k, v in parse_qs(urlsplit(path).query).items()}
        if not secrets.compare_digest(lowered.get("x-identity-header", ""), self.identity_header):
            return _json(401, {"statusCode": 401, "message": "Unauthorized: X-IDENTITY-HEADER is missing or wrong."})
        resource = query.get("resource")
        if not resource:
            return _json(400, {"statusCode": 400, "message": "The 'resource' query parameter is required."})
        token, expires = issue_token(resource)
        return _json(200, {
            "access_token": token,
            "expires_on": str(expires),
            "resource": resource,
            "token_type": "Bearer",
            "client_id": "00000000-0000-0000-0000-00000000a1f0",
        })


def _json(status: int, body: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": JSON_CONTENT_TYPE}, json.dumps(body).encode()


class SandboxServer:
    """An `Arm` on http://127.0.0.1:PORT, started and stopped as a context manager.

    `port=0` picks a free port; `base_url` and `env()` tell clients where to go. `workers` bounds
    the threads serving requests (see `sandbox.pooled_http` for the timeouts).
    """

    def __init__(
        self,
        arm: Arm | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        identity_header: str | None = None,
        verbose: bool = False,
        workers: int = 16,
        **pool: Any,
    ) -> None:
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("the sandbox server only binds to loopback addresses")
        self.arm = arm if arm is not None else Arm()
        self.identity_header = identity_header or secrets.token_hex(16)
        self._server = _Server((host, port), self.arm, self.identity_header, verbose, workers=workers, **pool)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The bound port."""
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT`: pass as `base_url=` to every management client."""
        return f"http://{self._server.host_header}"

    @property
    def identity_endpoint(self) -> str:
        """The managed identity endpoint URL."""
        return self.base_url + MSI_PATH

    def env(self) -> dict[str, str]:
        """Environment variables that make `DefaultAzureCredential` use this server."""
        return {"IDENTITY_ENDPOINT": self.identity_endpoint, "IDENTITY_HEADER": self.identity_header}

    def start(self) -> SandboxServer:
        """Serve in a daemon thread."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._server.serve_forever, name="sandbox-server", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()

    def serve_forever(self) -> None:
        """Serve in the calling thread until `stop()` or KeyboardInterrupt."""
        self._server.serve_forever()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *args: Any) -> None:
        self.stop()


class PortError(Exception):
    """The port cannot be listened on; the message says why and what to do."""


def open_server(arm: Arm, port: int) -> SandboxServer:
    """A server on 127.0.0.1:`port`, or PortError naming the problem and the fix."""
    try:
        return SandboxServer(arm, port=port)
    except PermissionError:
        raise PortError(f"port {port} on 127.0.0.1 needs administrator rights: choose one above 1023 with "
                        "--port, or --port 0 for any free port") from None
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise PortError(f"port {port} on 127.0.0.1 is already in use (another sandbox, or another program): "
                            "stop it, or choose another with --port (--port 0 picks a free one)") from None
        raise PortError(f"cannot listen on 127.0.0.1:{port} ({exc.strerror or exc}): choose another port with "
                        "--port, or --port 0 for a free one") from None


def main(port: int = 0, *, state_path: str | os.PathLike[str] | None = None, arm: Arm | None = None) -> int:
    """`aifactory sandbox serve --port N`: serve until Ctrl+C, printing how to connect, the speed
    and the faults it injects."""
    if arm is None:
        arm = Arm.open(state_path) if state_path else Arm()
    server = open_server(arm, port)
    errors = logging.StreamHandler(sys.stderr)
    errors.setLevel(logging.ERROR)
    logging.getLogger("sandbox").addHandler(errors)
    print(f"Sandbox ARM listening on {server.base_url}", flush=True)
    if state_path:
        print(f"State: {state_path} (start afresh with `aifactory sandbox reset`)", flush=True)
    print(f"Speed: {arm.clock.speed:g}x (ARM work takes 1/{arm.clock.speed:g} of its time in Azure)", flush=True)
    for line in arm.faults.plan.describe():
        print(f"Fault: {line}", flush=True)
    print("Point clients at it with base_url= and these environment variables:", flush=True)
    for key, value in server.env().items():
        print(f"  export {key}={value}", flush=True)
    print("Press Ctrl+C to stop.", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nStopping the sandbox.", flush=True)
    finally:
        with contextlib.suppress(Exception):
            server.stop()
        logging.getLogger("sandbox").removeHandler(errors)
    return 0
