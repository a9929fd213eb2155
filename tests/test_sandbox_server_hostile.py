"""The loopback server against a hostile or careless client: bursts, stalls, malformed requests,
foreign Host headers. Every request gets an answer in ARM's error shape; no thread is held forever."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sandbox_fixtures import make_arm

from bench.server_load import burst
from sandbox import seed
from sandbox.faults import FaultPlan
from sandbox.server import SandboxServer

RG = f"/subscriptions/{seed.AIF_DEV}/resourcegroups"
VNET = (f"/subscriptions/{seed.AIF_DEV}/resourcegroups/rg-legacy/providers/Microsoft.Network/"
        "virtualNetworks/vnet-new?api-version=2025-07-01")


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    """The seeded sandbox on 127.0.0.1 with short timeouts, so stalls are seen in well under a second."""
    with SandboxServer(make_arm(), workers=4, read_timeout=0.3, request_deadline=0.6, idle_timeout=5) as srv:
        yield srv


def request(method: str, path: str, body: bytes | dict[str, Any] | None = None, *, host: str = "",
            headers: dict[str, str] | None = None) -> bytes:
    """A raw HTTP/1.1 request (the body's Content-Length unless `headers` sets one)."""
    payload = json.dumps(body).encode() if isinstance(body, dict) else (body or b"")
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Authorization: Bearer test", "Connection: close"]
    sent = {"Content-Length": str(len(payload)), **(headers or {})}
    lines += [f"{k}: {v}" for k, v in sent.items() if v is not None]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


def exchange(server: SandboxServer, raw: bytes, *, timeout: float = 5.0) -> tuple[int, dict[str, str], Any]:
    """Send raw bytes, read until the server closes: (status, headers, JSON body or None)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as sock:
        sock.sendall(raw.replace(b"Host: \r\n", f"Host: 127.0.0.1:{server.port}\r\n".encode()))
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in header_lines)}
    return int(status_line.split()[1]), headers, json.loads(body) if body else None


def assert_arm_error(answer: tuple[int, dict[str, str], Any], status: int, code: str) -> None:
    got_status, headers, body = answer
    assert (got_status, body["error"]["code"]) == (status, code), body
    assert headers["content-type"].startswith("application/json")
    assert body["error"]["message"]


# ------------------------------------------------------------------------------ load


def test_300_simultaneous_puts_are_all_answered_by_a_bounded_pool() -> None:
    before = threading.active_count()
    with SandboxServer(make_arm(), workers=8) as srv:
        statuses, resets = burst(srv.port, 300)
        threads = threading.active_count() - before
    assert resets == 0
    assert statuses == {201: 300}
    assert threads <= 8 + 1  # the pool and the reactor, however many clients
    assert len(srv.arm.world.resource_groups) >= 300


def test_idle_keep_alive_connections_hold_no_worker(server: SandboxServer) -> None:
    idle = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(12)]  # 3x the pool
    try:
        for sock in idle:  # each served one request, then kept open without a word
            sock.sendall(request("GET", "/subscriptions?api-version=2022-12-01", host=f"127.0.0.1:{server.port}")
                         .replace(b"Connection: close", b"Connection: keep-alive"))
            assert sock.recv(65536).startswith(b"HTTP/1.1 200")
        status, _, body = exchange(server, request("GET", "/tenants?api-version=2022-12-01"), timeout=2)
        assert status == 200 and body["value"]
    finally:
        for sock in idle:
            sock.close()


def test_pipelined_requests_are_answered_in_order(server: SandboxServer) -> None:
    first = request("GET", "/subscriptions?api-version=2022-12-01", host=f"127.0.0.1:{server.port}")
    second = request("GET", "/tenants?api-version=2022-12-01", host=f"127.0.0.1:{server.port}")
    raw = first.replace(b"Connection: close", b"Connection: keep-alive") + second
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(raw)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    assert data.count(b"HTTP/1.1 200 OK") == 2
    assert data.index(b'"subscriptionId"') < data.index(b'"tenantCategory"')


# ------------------------------------------------------------------------------ stalls


def test_a_body_shorter_than_its_content_length_times_out_with_408(server: SandboxServer) -> None:
    raw = request("PUT", f"{RG}/rg-short?api-version=2025-04-01", b'{"location"', headers={"Content-Length": "100"})
    started = time.monotonic()
    assert_arm_error(exchange(server, raw), 408, "RequestTimeout")
    assert time.monotonic() - started < 3


def test_a_request_trickling_in_is_cut_off_at_the_deadline(server: SandboxServer) -> None:
    raw = request("GET", "/subscriptions?api-version=2022-12-01", host=f"127.0.0.1:{server.port}")
    started = time.monotonic()
    cut_off = False
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        for byte in raw:  # one byte every 0.1 s: each read is well within the read timeout
            try:
                sock.sendall(bytes([byte]))
            except (ConnectionResetError, BrokenPipeError):
                cut_off = True
                break
            time.sleep(0.1)
    assert cut_off
    assert time.monotonic() - started < 3
    assert exchange(server, request("GET", "/tenants?api-version=2022-12-01"))[0] == 200


def test_answering_slowly_is_not_cut_off_by_the_request_deadline() -> None:
    """The deadline bounds receiving a request, not the sandbox's work on it (here 1 s of latency)."""
    arm = make_arm(faults=FaultPlan(latency=1.0, real_latency=True))
    with SandboxServer(arm, workers=2, read_timeout=0.3, request_deadline=0.5) as srv:
        assert exchange(srv, request("GET", "/tenants?api-version=2022-12-01"))[0] == 200


# ------------------------------------------------------------------------------ malformed requests


@pytest.mark.parametrize(("raw", "status", "code"), [
    (request("PUT", f"{RG}/rg-x?api-version=2025-04-01", {"location": "westeurope", "tags": "x"}),
     400, "InvalidRequestContent"),
    (request("PUT", VNET, {"location": "westeurope", "properties": {
        "addressSpace": {"addressPrefixes": ["10.9.0.0/16"]}, "subnets": [1]}}), 400, "InvalidRequestFormat"),
    (request("PUT", f"{RG}/rg-x?api-version=2025-04-01", b"[" * 100_000 + b"]" * 100_000),
     400, "InvalidRequestContent"),
    (request("PUT", f"{RG}/rg-x?api-version=2025-04-01", b"{}", headers={"Content-Length": "abc"}), 400, "BadRequest"),
    (request("PUT", f"{RG}/rg-x?api-version=2025-04-01", b"{}", headers={"Content-Length": "-2"}), 400, "BadRequest"),
    (request("PUT", f"{RG}/rg-x?api-version=2025-04-01", b"{}", headers={"Content-Length": str(5 * 2**20)}),
     413, "RequestContentTooLarge"),
    (request("PUT", f"{RG}/rg-x?api-version=2025-04-01", b"{}", headers={"Transfer-Encoding": "gzip"}),
     400, "BadRequest"),
    (request("OPTIONS", f"{RG}?api-version=2025-04-01"), 405, "HttpMethodNotAllowed"),
    (request("TRACE", f"{RG}?api-version=2025-04-01"), 405, "HttpMethodNotAllowed"),
    (request("BREW", "/coffee?api-version=2025-04-01"), 404, "InvalidResourceType"),
    (b"GARBAGE\r\n\r\n", 400, "BadRequest"),
    (b"GET / HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n", 505, "HttpVersionNotSupported"),
    (request("GET", "/subscriptions?api-version=2022-12-01", headers={"X-Long": "x" * 70_000}),
     431, "RequestHeaderFieldsTooLarge"),
], ids=["tags-string", "subnets-number", "deep-nesting", "content-length-abc", "content-length-negative",
        "content-length-over-4mb", "transfer-encoding-gzip", "options", "trace", "unknown-method", "garbage",
        "http-9", "header-too-long"])
def test_malformed_requests_get_an_arm_error(server: SandboxServer, raw: bytes, status: int, code: str) -> None:
    assert_arm_error(exchange(server, raw), status, code)


def test_a_chunked_body_is_read(server: SandboxServer) -> None:
    body = json.dumps({"location": "westeurope"}).encode()
    chunked = f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
    raw = request("PUT", f"{RG}/rg-chunked?api-version=2025-04-01", chunked,
                  headers={"Content-Length": None, "Transfer-Encoding": "chunked"})  # type: ignore[dict-item]
    assert exchange(server, raw)[0] == 201


def test_an_unexpected_failure_answers_500_in_arm_shape(server: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("a sandbox bug")

    route = next(r for r in server.arm.router.routes if r.template == "/tenants")
    monkeypatch.setattr(route, "handler", broken)
    status, headers, body = exchange(server, request("GET", "/tenants?api-version=2022-12-01"))
    assert_arm_error((status, headers, body), 500, "InternalServerError")
    assert "tracking id" in body["error"]["message"]
    assert exchange(server, request("GET", "/subscriptions?api-version=2022-12-01"))[0] == 200


# ------------------------------------------------------------------------------ Host header


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST:{port}", "127.0.0.1", "127.0.0.1:{port}", "[::1]:{port}"])
def test_loopback_host_names_are_served(server: SandboxServer, host: str) -> None:
    status, _, body = exchange(server, request("GET", "/subscriptions?api-version=2022-12-01",
                                                host=host.format(port=server.port)))
    assert status == 200
    assert body["nextLink"].startswith(f"http://{host.format(port=server.port)}/") if body.get("nextLink") else True


@pytest.mark.parametrize("raw", [
    request("GET", "/subscriptions?api-version=2022-12-01", host="evil.example"),
    request("GET", "/subscriptions?api-version=2022-12-01", host="evil.example:{port}"),
    request("GET", "/subscriptions?api-version=2022-12-01", host="127.0.0.1.evil.example"),
    request("GET", "/subscriptions?api-version=2022-12-01", host="localhost@evil.example"),
    b"GET /subscriptions?api-version=2022-12-01 HTTP/1.1\r\nAuthorization: Bearer t\r\n\r\n",
    request("GET", "http://evil.example/subscriptions?api-version=2022-12-01", host="127.0.0.1"),
], ids=["foreign", "foreign-with-port", "suffix", "userinfo", "missing", "absolute-form"])
def test_foreign_host_names_are_refused(server: SandboxServer, raw: bytes) -> None:
    raw = raw.replace(b"{port}", str(server.port).encode())
    assert_arm_error(exchange(server, raw), 400, "InvalidHostName")


def test_the_identity_endpoint_checks_the_host_too(server: SandboxServer) -> None:
    raw = request("GET", "/msi/token?api-version=2019-08-01&resource=https://management.azure.com",
                  host="evil.example", headers={"X-IDENTITY-HEADER": server.identity_header})
    assert_arm_error(exchange(server, raw), 400, "InvalidHostName")
