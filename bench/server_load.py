"""The loopback sandbox server under a burst: 300 PUTs on 300 connections opened at once.

Measured in one run:
- the same 300 PUTs answered by the `Arm` in process (the state machine alone: the floor);
- the bounded server (`sandbox.server`, 16 workers): every request must be answered, none reset,
  with no more threads than its pool and reactor; the ratio to the in-process time (medians of
  interleaved rounds) is the cost of HTTP;
- stdlib `ThreadingHTTPServer` serving the same `Arm` (the server's previous design: backlog 5,
  a thread per connection), for contrast: how many it answers within the same time limit.

The burst client is one thread with non-blocking sockets, so the client's own threads do not
count against the server's.
"""

from __future__ import annotations

import json
import selectors
import socket
import statistics
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

REQUESTS = 300
WORKERS = 16
TIME_LIMIT = 20.0
"""Seconds the client waits for the last answer before counting the rest as unanswered."""


def put_request(index: int, host: str) -> bytes:
    """One raw `PUT resourcegroups/rg-burst-N` (Connection: close)."""
    from sandbox import seed

    body = json.dumps({"location": "westeurope"}).encode()
    head = (f"PUT /subscriptions/{seed.AIF_DEV}/resourcegroups/rg-burst-{index}?api-version=2025-04-01 HTTP/1.1\r\n"
            f"Host: {host}\r\nAuthorization: Bearer bench\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n")
    return head.encode() + body


def burst(port: int, count: int = REQUESTS, time_limit: float = TIME_LIMIT) -> tuple[dict[int, int], int]:
    """`count` PUTs on `count` connections opened at once from one thread: (statuses, resets).

    A connection neither answered nor reset within `time_limit` is in neither.
    """
    selector = selectors.DefaultSelector()
    pending: dict[socket.socket, list[bytes]] = {}
    for index in range(count):
        sock = socket.socket()
        sock.setblocking(False)
        sock.connect_ex(("127.0.0.1", port))
        pending[sock] = [put_request(index, f"127.0.0.1:{port}"), b""]
        selector.register(sock, selectors.EVENT_WRITE)
    statuses: dict[int, int] = {}
    resets = 0
    deadline = time.monotonic() + time_limit
    while selector.get_map() and time.monotonic() < deadline:
        for key, events in selector.select(0.5):
            sock = key.fileobj
            assert isinstance(sock, socket.socket)
            try:
                if events & selectors.EVENT_WRITE:
                    sent = sock.send(pending[sock][0])
                    pending[sock][0] = pending[sock][0][sent:]
                    if not pending[sock][0]:
                        selector.modify(sock, selectors.EVENT_READ)
                    continue
                chunk = sock.recv(65536)
                if chunk:
                    pending[sock][1] += chunk
                    continue
                status = int(pending[sock][1].split(b" ", 2)[1]) if pending[sock][1] else 0
                statuses[status] = statuses.get(status, 0) + 1
            except (ConnectionResetError, BrokenPipeError, ConnectionRefusedError):
                resets += 1
            selector.unregister(sock)
            sock.close()
    for key in list(selector.get_map().values()):
        selector.unregister(key.fileobj)
        key.fileobj.close()  # type: ignore[union-attr]
    return statuses, resets


def _in_process(arm: Any) -> float:
    from sandbox import seed

    start = time.perf_counter()
    for index in range(REQUESTS):
        url = (f"https://management.azure.com/subscriptions/{seed.AIF_DEV}/resourcegroups/rg-burst-{index}"
               "?api-version=2025-04-01")
        status, _, _ = arm.handle("PUT", url, {"Authorization": "Bearer bench"}, b'{"location": "westeurope"}')
        assert status == 201
    return time.perf_counter() - start


class _PeakThreads:
    """The most threads alive at once, above those alive when it started, while in its `with` block."""

    def __init__(self) -> None:
        self.before = threading.active_count()
        self.peak = self.before
        self._watching = True
        self._watcher = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while self._watching:
            self.peak = max(self.peak, threading.active_count())
            time.sleep(0.002)

    def __enter__(self) -> _PeakThreads:
        self._watcher.start()
        return self

    def __exit__(self, *args: Any) -> None:
        self._watching = False
        self._watcher.join()

    @property
    def added(self) -> int:
        return self.peak - self.before - 1  # not counting the watcher


def _pooled(arm: Any) -> tuple[float, dict[int, int], int, int]:
    from sandbox.server import SandboxServer

    with _PeakThreads() as threads, SandboxServer(arm, workers=WORKERS) as server:
        start = time.perf_counter()
        statuses, resets = burst(server.port)
        elapsed = time.perf_counter() - start
    return elapsed, statuses, resets, threads.added


def _stdlib(arm: Any) -> tuple[float, dict[int, int], int, int]:
    """The previous design: `ThreadingHTTPServer` with its defaults, handing requests to the same Arm."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def _serve(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status, _, payload = arm.handle(self.command, f"http://{self.headers['Host']}{self.path}",
                                                  dict(self.headers.items()), body)
            self.send_response(status)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_PUT = _serve

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with _PeakThreads() as threads:
        runner = threading.Thread(target=server.serve_forever, daemon=True)
        runner.start()
        start = time.perf_counter()
        statuses, resets = burst(server.server_address[1])
        elapsed = time.perf_counter() - start
        server.shutdown()
    server.server_close()
    return elapsed, statuses, resets, threads.added


def measure(rounds: int = 5) -> dict[str, float]:
    """Times (medians of `rounds`, interleaved), answers and threads of each way of serving the burst."""
    from sandbox.arm import Arm
    from sandbox.clock import SandboxClock

    def fresh() -> Arm:
        return Arm(clock=SandboxClock.frozen())

    floors, runs = [], []
    for _ in range(rounds):
        floors.append(_in_process(fresh()))
        runs.append(_pooled(fresh()))
    floor = statistics.median(floors)
    pooled = statistics.median(r[0] for r in runs)
    statuses = {201: min(r[1].get(201, 0) for r in runs)}
    statuses.update({k: v for r in runs for k, v in r[1].items() if k != 201})
    resets = max(r[2] for r in runs)
    threads = max(r[3] for r in runs)
    stdlib, stdlib_statuses, stdlib_resets, stdlib_threads = _stdlib(fresh())
    return {
        "in process (s)": floor,
        "bounded server (s)": pooled,
        "bounded server 201s (fewest in a round)": float(statuses.get(201, 0)),
        "bounded server other answers": float(sum(v for k, v in statuses.items() if k != 201)),
        "bounded server resets": float(resets),
        "bounded server threads": float(threads),
        "bounded server requests/s": REQUESTS / pooled,
        "stdlib server (s)": stdlib,
        "stdlib server answered": float(sum(stdlib_statuses.values())),
        "stdlib server resets": float(stdlib_resets),
        "stdlib server peak threads": float(stdlib_threads),
        "bounded server / in process": pooled / floor,
    }


def report() -> list[str]:
    """Markdown lines for RESULTS.md."""
    m = measure()
    ok = m["bounded server 201s (fewest in a round)"] == REQUESTS and m["bounded server resets"] == 0
    ok = ok and m["bounded server threads"] <= WORKERS + 1
    verdict = (f"{'all' if ok else 'NOT all'} {REQUESTS} answered 201 with no reset, on at most "
               f"{int(m['bounded server threads'])} threads ({WORKERS} workers + the reactor), in "
               f"{m['bounded server / in process']:.2f}× the time the state machine alone takes; the stdlib design "
               f"answered {int(m['stdlib server answered'])} of {REQUESTS} in {m['stdlib server (s)']:.1f} s")
    lines = [f"## Sandbox server burst ({REQUESTS} simultaneous PUTs, one connection each, {WORKERS} workers)", ""]
    lines += [f"- {key}: {value:.3f}" if key.endswith(("(s)", "/s", "in process"))
              else f"- {key}: {int(value)}" for key, value in m.items()]
    lines.append(f"- verdict: {verdict}")
    return lines
