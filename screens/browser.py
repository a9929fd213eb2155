"""`aifactory serve`: the same wizard in a browser tab, through textual-serve.

textual-serve runs one wizard process per browser tab (our own entry point with the same flags,
under Textual's web driver) and relays it over a websocket to xterm.js in the page. The wizard acts
with the presenter's Azure sign-in, so this module adds what a room needs around that:

- off loopback (or with --token) a token is required: it is printed once, in the URL; the first
  request carrying it sets a cookie (HttpOnly, SameSite=Strict) and is redirected to the bare URL, so
  the projector never shows it; every request without it (page, websocket, static files,
  downloads) gets 403; comparison in constant time; the access log is off so it is written nowhere;
- on loopback without a token, only loopback host names are answered (no DNS rebinding), and on
  any bind a websocket must come from the page's own origin (no other site can drive the wizard);
- at most --max-sessions wizards at once; a further browser gets a page saying the room is full
  (it retries by itself); a browser whose wizard it is (a seat cookie) always gets back in;
- a browser that goes away (a reload, a dropped connection) finds its wizard as it left it when
  it comes back within --reconnect-grace seconds; after that the wizard is asked to quit, and
  killed if it has not within a few seconds, so the seat is freed and no process is left behind.

The extension is a subclass of textual-serve's `Server` plus a middleware on its aiohttp app;
`textual_serve` and `aiohttp` are imported only when `aifactory serve` runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import ipaddress
import logging
import secrets
import shlex
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import aiohttp_jinja2
from aiohttp import WSCloseCode, web
from textual_serve.server import Server

from screens.browser_session import WizardSession

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable


log = logging.getLogger("aifactory.serve")

PAGES = Path(__file__).with_name("browser_pages")
"""Our page templates: textual-serve's, without the web font from Google (nothing leaves the room)."""

ROOM_FULL_RETRY = 3
"""Seconds between the room-full page's own retries."""

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})


def is_loopback(host: str) -> bool:
    """True when `host` (a bind address or a Host header's name) only reaches this machine."""
    name = host.strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def needs_token(host: str, *, asked: bool) -> bool:
    """A token is required when asked for, and always when the bind reaches beyond this machine."""
    return asked or not is_loopback(host)


def wizard_command(*, demo: bool, preset: str | None, config: Path | None) -> str:
    """The shell command textual-serve starts per browser: our own entry point, the same flags.

    `exec` makes the wizard the shell's own process, so terminating it ends the wizard itself.
    """
    args = [sys.executable, "-m", "wizard"]
    if demo:
        args.append("--demo")
    if preset:
        args += ["--preset", preset]
    if config is not None:
        args += ["--config", str(config.resolve())]
    return "exec " + shlex.join(args)


def browse_url(host: str, port: int, token: str | None) -> str:
    """The address to open: a wildcard bind is shown as this machine's name."""
    import socket

    shown = socket.gethostname() if host in ("0.0.0.0", "::", "") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/" + (f"?token={token}" if token else "")


@dataclass
class ServeOptions:
    """What `aifactory serve` was asked for."""

    host: str = "127.0.0.1"
    port: int = 8000
    demo: bool = False
    preset: str | None = None
    config: Path | None = None
    max_sessions: int = 1
    require_token: bool = False
    reconnect_grace: float = 60.0
    """Seconds a wizard whose browser went away waits for that browser to come back (0: ends at once)."""
    token: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.token is None and needs_token(self.host, asked=self.require_token):
            self.token = secrets.token_urlsafe(24)


class WizardServer(Server):
    """textual-serve's Server, serving the wizard to a room: token, origin, seats, reconnects."""

    def __init__(self, options: ServeOptions) -> None:
        super().__init__(
            wizard_command(demo=options.demo, preset=options.preset, config=options.config),
            host=options.host,
            port=options.port,
            title="aifactory" + (" (demo)" if options.demo else ""),
            templates_path=PAGES,
        )
        self.options = options
        self.capacity = options.max_sessions
        self.sessions: set[WizardSession] = set()
        """Every wizard running: drawing to a browser, or waiting for its browser to come back."""
        self.stopping = False
        self.cookie = f"aifactory-{options.port}"
        """One cookie per port: two servers on one machine keep their own tokens."""
        self.seat_cookie = f"aifactory-seat-{options.port}"
        """Which browser this is (not a secret: it only finds that browser's wizard again)."""

    # ------------------------------------------------------------------ the aiohttp app

    async def _make_app(self) -> web.Application:
        """textual-serve's app (its routes and static files) behind our guard."""
        app = await super()._make_app()
        app.middlewares.append(self.guard)
        return app

    @web.middleware
    async def guard(self, request: web.Request,
                    handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
        """Every request passes here first: refused (403), let in by its token, or served."""
        refusal = self.refusal(request)
        if refusal:
            return web.Response(status=403, text=refusal + "\n", headers=self.page_headers())
        if request.path == "/" and "token" in request.query:
            return self.enter(request)
        response = await handler(request)
        if not response.prepared:
            response.headers.update(self.page_headers())
        return response

    def refusal(self, request: web.Request) -> str:
        """Why this request is refused (empty when it may pass). Never echoes what was sent."""
        if self.options.token:
            given = request.query.get("token") or request.cookies.get(self.cookie) or ""
            if not hmac.compare_digest(given.encode(), self.options.token.encode()):
                return "403: this wizard needs the link with its token; ask the presenter for it."
        elif not is_loopback(request.url.host or ""):
            return "403: this wizard answers only on this machine (localhost)."
        origin = request.headers.get("Origin")
        if request.path == "/ws" and origin is not None and origin != f"{request.scheme}://{request.host}":
            return "403: the wizard's websocket is only for its own page."
        return ""

    def enter(self, request: web.Request) -> web.StreamResponse:
        """A valid token in the URL: keep it in a cookie and show the address without it."""
        query = request.rel_url.query.copy()
        query.popall("token")
        response = web.Response(status=303, headers={**self.page_headers(),
                                                     "Location": str(request.rel_url.with_query(query))})
        if self.options.token:
            response.set_cookie(self.cookie, self.options.token, httponly=True, samesite="Strict", path="/")
        return response

    @staticmethod
    def page_headers() -> dict[str, str]:
        """Nothing from elsewhere, no framing, no referrer carrying the address onwards."""
        return {
            "Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'; "
                                       "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                                       "connect-src 'self'; frame-ancestors 'none'",
            "Referrer-Policy": "no-referrer",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        }

    # ------------------------------------------------------------------ pages

    @property
    def full(self) -> bool:
        return len(self.sessions) >= self.capacity

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The wizard's page, or the room-full page when every seat is taken by another browser."""
        seat = request.cookies.get(self.seat_cookie, "")
        if self.full and not any(session.seat == seat for session in self.sessions):
            log.info("room full (%d of %d): a further browser was shown the room-full page",
                     len(self.sessions), self.capacity)
            return aiohttp_jinja2.render_template(
                "room_full.html", request,
                {"title": self.title, "taken": len(self.sessions), "capacity": self.capacity,
                 "retry": ROOM_FULL_RETRY, "grace": round(self.options.reconnect_grace)},
                status=503)
        ws_scheme = "wss" if request.scheme == "https" else "ws"
        response = aiohttp_jinja2.render_template(
            "app_index.html", request,
            {"title": self.title, "font_size": _font_size(request.query.get("fontsize", "")),
             "static_url": "/static/", "websocket_url": f"{ws_scheme}://{request.host}/ws"})
        if not seat:
            response.set_cookie(self.seat_cookie, secrets.token_urlsafe(16), httponly=True, samesite="Strict",
                                path="/")
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One browser tab, one wizard: the same one again after a reload, refused when the room is full."""
        websocket = web.WebSocketResponse(heartbeat=15)
        if not websocket.can_prepare(request).ok:
            raise web.HTTPBadRequest(text="this address is the wizard's websocket, for its page only\n")
        seat = request.cookies.get(self.seat_cookie, "")
        session = self.claim(seat)
        if session is None and self.full:
            raise web.HTTPServiceUnavailable(text="the room is full: every wizard session is in use\n")
        width, height = _size(request.query.get("width", ""), 80), _size(request.query.get("height", ""), 24)
        joining = session is None
        if session is None:  # the seat is taken before the first await: two browsers cannot both get the last
            session = WizardSession(self.command, seat, websocket, download_manager=self.download_manager,
                                    debug=self.debug)
            self.sessions.add(session)
        try:
            await websocket.prepare(request)
            if joining:
                log.info("a browser joined (%d of %d sessions)", len(self.sessions), self.capacity)
                await session.start(width, height)
            else:
                earlier = session.websocket
                await session.attach(websocket, width, height)
                log.info("a browser came back to its wizard")
                if earlier is not None:  # the same browser again, while the room is full: its newest tab wins
                    await earlier.close(code=WSCloseCode.GOING_AWAY, message=b"the wizard opened in another tab")
            await self._process_messages(websocket, session)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception:  # one browser's failure must never end the server
            log.exception("a wizard session failed")
        finally:
            await self.left(session, websocket)
        return websocket

    def claim(self, seat: str) -> WizardSession | None:
        """This browser's wizard to draw again: one waiting for it, or, when the room is full, its own."""
        if not seat:
            return None
        mine = [session for session in self.sessions if session.seat == seat and session.running]
        waiting = [session for session in mine if session.websocket is None]
        if waiting:
            if waiting[0].expiry is not None:
                waiting[0].expiry.cancel()
            return waiting[0]
        return mine[0] if mine and self.full else None

    async def left(self, session: WizardSession, websocket: web.WebSocketResponse) -> None:
        """Its browser went: the wizard waits for it (reconnect_grace) unless it ended, or everything stops."""
        if session.websocket is not websocket:
            return  # another tab of the same browser has it now
        grace = self.options.reconnect_grace
        if session.ended or not session.running or self.stopping or grace <= 0 or not session.seat:
            await self.end(session)
            return
        session.detach()
        session.expiry = asyncio.create_task(self.expire(session, grace))
        log.info("a browser left; its wizard waits %.0f s for it to come back", grace)

    async def expire(self, session: WizardSession, grace: float) -> None:
        """End a waiting wizard when its browser has not come back in time (or it ended by itself)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(session.exited(), grace)
        if session.websocket is None:
            await self.end(session)

    async def end(self, session: WizardSession) -> None:
        """Stop a wizard and free its seat."""
        if session not in self.sessions:
            return
        self.sessions.discard(session)
        await session.stop()
        log.info("a wizard has ended (%d of %d sessions in use)", len(self.sessions), self.capacity)

    # ------------------------------------------------------------------ running

    def initialize_logging(self) -> None:
        """Plain lines on the console; tracebacks without local variables (they could hold a cookie)."""
        from rich.logging import RichHandler

        logging.basicConfig(level="DEBUG" if self.debug else "INFO", format="%(message)s", handlers=[
            RichHandler(show_path=False, show_time=False, rich_tracebacks=True, tracebacks_show_locals=False,
                        console=self.console)])

    def serve(self, debug: bool = False) -> None:
        """Listen, say where once listening, serve until Ctrl+C (or SIGTERM), then end every wizard.

        Replaces textual-serve's `serve` (aiohttp's run_app): the address is announced only once
        it is bound (a test or a person can open it at once), a taken port is an OSError before
        anything is printed, and there is no access log (its lines would carry the token).
        """
        self.debug = debug
        self.initialize_logging()
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        runner = web.AppRunner(await self._make_app(), handle_signals=False, access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
            self.announce()
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError):  # Windows: Ctrl+C arrives as KeyboardInterrupt
                    loop.add_signal_handler(signum, stop.set)
            await stop.wait()
        finally:
            await runner.cleanup()

    async def on_startup(self, app: web.Application) -> None:
        """Nothing: textual-serve prints its banner here, before the port is bound; see `announce`."""

    async def on_shutdown(self, app: web.Application) -> None:
        """Close every browser's websocket and end every wizard, waiting or not, before the server ends."""
        self.stopping = True
        for session in list(self.sessions):
            if session.websocket is not None:
                await session.websocket.close(code=WSCloseCode.GOING_AWAY, message=b"the server is stopping")
            else:
                if session.expiry is not None:
                    session.expiry.cancel()
                await self.end(session)

    def announce(self) -> None:
        """Say where the wizard is, once (the only place the token is ever written)."""
        options = self.options
        what = "the wizard on the demo sandbox" if options.demo else "the wizard, acting with your Azure sign-in"
        self.console.print(f"aifactory serve: {what}", highlight=False, markup=False)
        self.console.print(f"open  {browse_url(options.host, options.port, options.token)}", highlight=False,
                           markup=False, soft_wrap=True)
        if options.token:
            self.console.print("anyone with this link can use the wizard as you: share it only with the room",
                               highlight=False, markup=False)
        seats = "one browser" if options.max_sessions == 1 else f"up to {options.max_sessions} browsers"
        self.console.print(f"{seats} at a time; Ctrl+C stops", highlight=False, markup=False)


def _size(text: str, default: int) -> int:
    """A terminal dimension from the page, within what a screen can show."""
    return min(max(int(text), 10), 1000) if text.isdigit() else default


def _font_size(text: str) -> int:
    return min(max(int(text), 6), 64) if text.isdigit() else 16


def serve_wizard(options: ServeOptions) -> None:
    """Run the server until Ctrl+C. Raises OSError when the address cannot be bound."""
    WizardServer(options).serve()

