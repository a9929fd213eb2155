"""One browser's wizard for `aifactory serve`: a wizard process that outlives a dropped connection.

textual-serve's AppService ties a wizard process to one websocket. A WizardSession can be
detached when its browser goes (a reload, a Wi-Fi drop, a laptop lid) and attached to the next
websocket from that browser: the new page gets the terminal modes the wizard set (mouse
reporting, bracketed paste, the alternate screen), then a full redraw. Its stop is bounded:
asked to quit, killed if it has not within QUIT_GRACE.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from typing import TYPE_CHECKING

from textual_serve.app_service import AppService

if TYPE_CHECKING:
    from aiohttp import web
    from textual_serve.download_manager import DownloadManager

log = logging.getLogger("aifactory.serve")

QUIT_GRACE = 5.0
"""Seconds a wizard has to exit once asked before it is killed."""

PRIVATE_MODE = re.compile(rb"\x1b\[\?([\d;]+)([hl])")
"""DEC private mode set/reset (`ESC [ ? 1006 h`): what a fresh terminal must be told again."""


class TerminalModes:
    """The private modes a wizard has set or reset, in the order last changed."""

    def __init__(self) -> None:
        self.modes: dict[bytes, bytes] = {}

    def track(self, output: bytes) -> None:
        for numbers, state in PRIVATE_MODE.findall(output):
            for number in numbers.split(b";"):
                self.modes.pop(number, None)
                self.modes[number] = state

    def replay(self) -> bytes:
        return b"".join(b"\x1b[?%s%s" % (number, state) for number, state in self.modes.items())


async def _nowhere(data: object) -> None:
    """Where a detached wizard's output goes: the next browser gets a full redraw instead."""


async def _no_close() -> None:
    """A detached wizard has no websocket to close."""


class WizardSession(AppService):
    """A wizard process, drawing to whichever browser is attached now (or to nowhere)."""

    def __init__(self, command: str, seat: str, websocket: web.WebSocketResponse, *,
                 download_manager: DownloadManager, debug: bool) -> None:
        super().__init__(command, write_bytes=_nowhere, write_str=_nowhere, close=_no_close,
                         download_manager=download_manager, debug=debug)
        self.seat = seat
        """The browser it belongs to (its seat cookie; empty for a client that keeps no cookies)."""
        self.websocket: web.WebSocketResponse | None = None
        """The browser it draws to now; None while it waits for that browser to come back."""
        self.terminal = TerminalModes()
        self.ended = False
        """The wizard itself said it exited (ctrl+q): nothing to come back to."""
        self.expiry: asyncio.Task[None] | None = None
        """While detached: the wait for its browser to come back."""
        self.attach_socket(websocket)

    def attach_socket(self, websocket: web.WebSocketResponse) -> None:
        self.websocket = websocket
        self.remote_write_bytes = websocket.send_bytes
        self.remote_write_str = websocket.send_str
        self.remote_close = websocket.close  # type: ignore[assignment]

    async def attach(self, websocket: web.WebSocketResponse, width: int, height: int) -> None:
        """Draw to this browser from now on: its terminal is told the wizard's modes, then all is redrawn."""
        self.attach_socket(websocket)
        await websocket.send_bytes(self.terminal.replay())
        await self.set_terminal_size(width, max(height - 1, 1))  # a size change makes Textual redraw it all
        await self.set_terminal_size(width, height)

    def detach(self) -> None:
        self.websocket = None
        self.remote_write_bytes = _nowhere
        self.remote_write_str = _nowhere
        self.remote_close = _no_close

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.returncode is None

    async def exited(self) -> None:
        """Until the wizard's process has ended."""
        if self._process is not None:
            await self._process.wait()

    async def on_data(self, payload: bytes) -> None:
        self.terminal.track(payload)
        with contextlib.suppress(ConnectionError):  # the browser went mid-write: keep reading the wizard
            await super().on_data(payload)

    async def on_meta(self, data: bytes) -> None:
        if json.loads(data).get("type") == "exit":
            self.ended = True
        with contextlib.suppress(ConnectionError):
            await super().on_meta(data)

    async def stop(self) -> None:
        """Ask the wizard to quit; kill it if it has not within QUIT_GRACE; return once it has ended."""
        process = self._process
        stopping = asyncio.ensure_future(super().stop())
        done, _ = await asyncio.wait({stopping}, timeout=QUIT_GRACE)
        if not done and process is not None and process.returncode is None:
            log.warning("a wizard did not quit within %.0f s of being asked: killed", QUIT_GRACE)
            process.kill()  # its files are written atomically: nothing is left half-written
        await stopping
        if process is not None:
            await process.wait()
