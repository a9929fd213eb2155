"""The sandbox served over HTTP on 127.0.0.1, plus an App Service-style managed identity endpoint.

End-to-end tests and `aifactory sandbox serve` use it to drive the real client factory with
`base_url=` and a real credential:

* every ARM path is answered by the same `Arm` the in-process transport uses; absolute URLs in
  answers (nextLink, Azure-AsyncOperation, Location) point back at this server;
* `GET /msi/token?api-version=2019-08-01&resource=...` with the `X-IDENTITY-HEADER` secret answers
  `{access_token, expires_on, resource, token_type}`, so `DefaultAzureCredential` (through
  `ManagedIdentityCredential`) obtains a token when `IDENTITY_ENDPOINT` and `IDENTITY_HEADER` point
  here. Clients must use `sandbox.loopback.LoopbackBearerTokenPolicy` because the server is http.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sandbox.arm import Arm
from sandbox.credential import issue_token

MSI_PATH = "/msi/token"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests and the demo do not want a line per request on stderr."""
        if self.server.verbose:
            super().log_message(format, *args)

    def _respond(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for key, value in headers.items():
            if key.lower() not in ("content-length", "connection"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(body) if self.command != "HEAD" else 0))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if urlsplit(self.path).path.rstrip("/") == MSI_PATH:
            self._respond(*self.server.msi_token(self.path, dict(self.headers.items())))
            return
        url = f"http://{self.server.host_header}{self.path}"
        self._respond(*self.server.arm.handle(self.command, url, dict(self.headers.items()), body))

    do_GET = do_PUT = do_POST = do_DELETE = do_PATCH = do_HEAD = _dispatch


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], arm: Arm, identity_header: str, verbose: bool) -> None:
        super().__init__(address, _Handler)
        self.arm = arm
        self.identity_header = identity_header
        self.verbose = verbose
        self.host_header = f"{address[0]}:{self.server_address[1]}"

    def msi_token(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        """The App Service managed identity protocol (api-version 2019-08-01)."""
        lowered = {k.lower(): v for k, v in headers.items()}
        query = {k: v[0] for k, v in parse_qs(urlsplit(path).query).items()}
        if lowered.get("x-identity-header") != self.identity_header:
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
    return status, {"Content-Type": "application/json; charset=utf-8"}, json.dumps(body).encode()


class SandboxServer:
    """An `Arm` on http://127.0.0.1:PORT, started and stopped as a context manager.

    `port=0` picks a free port; `base_url` and `env()` tell clients where to go.
    """

    def __init__(
        self,
        arm: Arm | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        identity_header: str | None = None,
        verbose: bool = False,
    ) -> None:
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("the sandbox server only binds to loopback addresses")
        self.arm = arm if arm is not None else Arm()
        self.identity_header = identity_header or secrets.token_hex(16)
        self._server = _Server((host, port), self.arm, self.identity_header, verbose)
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
            self._thread = threading.Thread(
                target=self._server.serve_forever, name="sandbox-server", daemon=True
            )
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


def main(port: int = 0, *, state_path: str | os.PathLike[str] | None = None, arm: Arm | None = None) -> int:
    """`aifactory sandbox serve --port N`: serve until Ctrl+C, printing how to connect."""
    if arm is None:
        arm = Arm.open(state_path) if state_path else Arm()
    server = SandboxServer(arm, port=port)
    print(f"Sandbox ARM listening on {server.base_url}", flush=True)
    print("Point clients at it with base_url= and these environment variables:", flush=True)
    for key, value in server.env().items():
        print(f"  export {key}={value}", flush=True)
    print("Press Ctrl+C to stop.", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nStopping the sandbox.", flush=True)
    finally:
        server.stop()
    return 0
