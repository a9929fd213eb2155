"""A bounded HTTP/1.1 server: one thread watches the sockets, a fixed pool of threads serves requests.

`socketserver.ThreadingTCPServer` listens with a backlog of 5 (a burst of 300 connections has most
of them reset), starts a thread per connection without limit, and a keep-alive connection holds its
thread while idle. Here:

* the listening socket has a backlog of `backlog` (the kernel caps it at `somaxconn`), and at most
  `max_connections` are open at once: beyond that, new ones wait in the backlog, never reset;
* one reactor thread accepts connections and watches idle keep-alive ones; a connection goes to
  the `workers` pool only when it has bytes to read, and comes back after each request, so idle
  clients cost a file descriptor, not a thread;
* every read has `read_timeout`; a request must arrive whole within `request_deadline` (the
  reactor shuts the socket of one still trickling in: slow-loris requests cannot pin a worker;
  answering it, however long that takes, does not count);
  a keep-alive connection idle for `idle_timeout` is closed.

The handler is built once per connection and answers one request per `handle_one_request()` call,
as `http.server.BaseHTTPRequestHandler` does.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import selectors
import socket
import threading
import time
from typing import Any, Protocol

_log = logging.getLogger("sandbox")


class ConnectionHandler(Protocol):
    """What the server needs from a handler built for one connection.

    The server sets `received` on each handler: the handler calls it once a request has fully
    arrived, so the time it then takes to answer does not count against `request_deadline`.
    """

    close_connection: bool
    received: Any

    def handle_one_request(self) -> None: ...

    def finish(self) -> None: ...


class _Connection:
    """One accepted socket, its handler, and the times the reactor watches."""

    def __init__(self, sock: socket.socket, address: Any, server: PooledHTTPServer) -> None:
        self.sock = sock
        self.handler: ConnectionHandler | None = None
        self.address = address
        self.server = server
        self.idle_since = time.monotonic()
        self.reading_until: float | None = None
        """While a request is being received: when it must have arrived (None otherwise)."""

    def serve(self) -> bool:
        """Answer the request waiting on this connection (and any already buffered behind it);
        True to keep the connection open for the next one."""
        if self.handler is None:
            self.sock.settimeout(self.server.read_timeout)
            self.handler = self.server.handler_class(self.sock, self.address, self.server)
            self.handler.received = self._received
        handler = self.handler
        while True:
            self.reading_until = time.monotonic() + self.server.request_deadline
            try:
                handler.handle_one_request()
            finally:
                self.reading_until = None
            if handler.close_connection or self.server.stopping:
                return False
            if not self._buffered():
                self.idle_since = time.monotonic()
                return True

    def _received(self) -> None:
        """The request has arrived whole: answering it may take as long as it takes."""
        self.reading_until = None

    def _buffered(self) -> bool:
        """True when the next request is already read into the handler's buffer (pipelining)."""
        rfile = getattr(self.handler, "rfile", None)
        if rfile is None:
            return False
        try:
            self.sock.settimeout(0)
            return bool(rfile.peek(1))
        except OSError:
            return False
        finally:
            with contextlib.suppress(OSError):
                self.sock.settimeout(self.server.read_timeout)

    def close(self) -> None:
        if self.handler is not None:
            with contextlib.suppress(Exception):
                self.handler.finish()
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()


class PooledHTTPServer:
    """Serve `handler_class` on `address` with a bounded pool (see the module docstring)."""

    def __init__(
        self,
        address: tuple[str, int],
        handler_class: Any,
        *,
        workers: int = 16,
        backlog: int = 1024,
        max_connections: int = 512,
        read_timeout: float = 10.0,
        request_deadline: float = 30.0,
        idle_timeout: float = 15.0,
    ) -> None:
        self.handler_class = handler_class
        self.workers = workers
        self.max_connections = max_connections
        self.read_timeout = read_timeout
        self.request_deadline = request_deadline
        self.idle_timeout = idle_timeout
        family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.socket = socket.socket(family, socket.SOCK_STREAM)
        try:
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.socket.bind(address)
            self.socket.listen(backlog)
        except BaseException:
            self.socket.close()
            raise
        self.socket.setblocking(False)
        self.server_address: tuple[Any, ...] = self.socket.getsockname()
        self.stopping = False
        self._stopped = threading.Event()
        self._stopped.set()
        self._ready: queue.SimpleQueue[_Connection | None] = queue.SimpleQueue()
        self._returned: queue.SimpleQueue[tuple[_Connection, bool]] = queue.SimpleQueue()
        self._wake_read, self._wake_write = socket.socketpair()
        self._wake_read.setblocking(False)
        self._open: set[_Connection] = set()
        self._busy: set[_Connection] = set()

    # ------------------------------------------------------------------ lifecycle

    def serve_forever(self, poll_interval: float = 0.25) -> None:
        """Run the reactor in the calling thread until `shutdown()` (the pool starts with it)."""
        self._stopped.clear()
        pool = [threading.Thread(target=self._work, name=f"sandbox-worker-{i}", daemon=True)
                for i in range(self.workers)]
        for thread in pool:
            thread.start()
        selector = selectors.DefaultSelector()
        selector.register(self._wake_read, selectors.EVENT_READ, "wake")
        listening = False
        try:
            while not self.stopping:
                if not listening and len(self._open) < self.max_connections:
                    selector.register(self.socket, selectors.EVENT_READ, "accept")
                    listening = True
                for key, _ in selector.select(poll_interval):
                    if key.data == "accept":
                        self._accept(selector)
                    elif key.data == "wake":
                        with contextlib.suppress(OSError):
                            self._wake_read.recv(4096)
                    else:
                        selector.unregister(key.fileobj)
                        self._dispatch(key.data)
                self._take_back(selector)
                self._expire(selector)
                if listening and len(self._open) >= self.max_connections:
                    selector.unregister(self.socket)
                    listening = False
        finally:
            for _ in pool:
                self._ready.put(None)
            for thread in pool:
                thread.join(timeout=5)
            for connection in list(self._open):
                connection.close()
            self._open.clear()
            selector.close()
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop the reactor and the pool (from another thread); waits until they have stopped."""
        self.stopping = True
        self._wake()
        self._stopped.wait()

    def server_close(self) -> None:
        """Release the listening socket."""
        self.socket.close()
        self._wake_read.close()
        self._wake_write.close()

    # ------------------------------------------------------------------ reactor

    def _accept(self, selector: selectors.BaseSelector) -> None:
        while len(self._open) < self.max_connections:
            try:
                sock, address = self.socket.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:  # e.g. out of file descriptors: the rest wait in the backlog
                _log.warning("sandbox: accept failed: %s", exc)
                return
            sock.setblocking(True)
            connection = _Connection(sock, address, self)
            self._open.add(connection)
            self._dispatch(connection)

    def _dispatch(self, connection: _Connection) -> None:
        self._busy.add(connection)
        self._ready.put(connection)

    def _take_back(self, selector: selectors.BaseSelector) -> None:
        while True:
            try:
                connection, keep = self._returned.get_nowait()
            except queue.Empty:
                return
            self._busy.discard(connection)
            if keep and not self.stopping:
                selector.register(connection.sock, selectors.EVENT_READ, connection)
            else:
                self._open.discard(connection)
                connection.close()

    def _expire(self, selector: selectors.BaseSelector) -> None:
        now = time.monotonic()
        for connection in list(self._open):
            if connection in self._busy:
                deadline = connection.reading_until
                if deadline is not None and now > deadline:
                    with contextlib.suppress(OSError):  # the worker's read ends; it closes the connection
                        connection.sock.shutdown(socket.SHUT_RDWR)
            elif now - connection.idle_since > self.idle_timeout:
                selector.unregister(connection.sock)
                self._open.discard(connection)
                connection.close()

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_write.send(b"\0")

    # ------------------------------------------------------------------ workers

    def _work(self) -> None:
        while True:
            connection = self._ready.get()
            if connection is None:
                return
            keep = False
            try:
                keep = connection.serve()
            except Exception:  # the handler answers its own errors; this is a broken connection
                _log.debug("sandbox: connection from %s failed", connection.address, exc_info=True)
            self._returned.put((connection, keep))
            self._wake()
