"""`aifactory serve`: the wizard in a real browser, the token off loopback, one room of N seats.

Each test starts the real command (`aifactory serve --demo`) as a subprocess on a free port and
talks to it as a browser does: headless Chromium over the DevTools protocol for what a person
sees, aiohttp for the token, origin and room rules.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import pytest

from tests.conftest import PROJECT_ROOT, aifactory_bin
from tests.headless_chromium import find_chromium, open_page, plain

START_TITLE = "Set up the Enterprise Scale AI Factory"
ARTEFACTS = PROJECT_ROOT / "tests" / "artefacts"
"""Screenshots of the browser test (gitignored): looked at, never compared pixel for pixel."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Served:
    """A running `aifactory serve`: its process, its printed URL, what it wrote."""

    def __init__(self, process: subprocess.Popen[str], url: str, output: list[str]) -> None:
        self.process = process
        self.url = url
        self.output = output
        self.base = re.sub(r"/(\?.*)?$", "", url)

    def stop(self) -> None:
        """Ctrl+C (SIGINT), and what it printed until it ended."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGINT)
            rest, _ = self.process.communicate(timeout=20)
            self.output.append(rest)

    def children(self) -> list[int]:
        """The wizard processes it runs (one per browser)."""
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        if not path.exists():
            pytest.skip("needs Linux's /proc to see the server's wizard processes")
        return [int(pid) for pid in path.read_text().split()]

    def wait_for_no_children(self, timeout: float = 12) -> float:
        started = time.monotonic()
        while self.children():
            assert time.monotonic() - started < timeout, f"wizards still running: {self.children()}"
            time.sleep(0.05)
        return time.monotonic() - started


@contextlib.contextmanager
def serve(*args: str) -> Iterator[Served]:
    """`aifactory serve --demo --port <free> ARGS`, stopped with Ctrl+C (SIGINT) after the test."""
    port = free_port()
    process = subprocess.Popen([aifactory_bin(), "serve", "--demo", "--port", str(port), *args],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "COLUMNS": "200"})
    assert process.stdout is not None
    output: list[str] = []
    url = ""
    for line in process.stdout:
        output.append(line)
        if match := re.match(r"open\s+(http://\S+)", line):
            url = match[1]
            break
    assert url, "".join(output)
    served = Served(process, url, output)
    try:
        yield served
    finally:
        served.stop()
    assert process.returncode == 0, "".join(output)
    assert "Traceback" not in "".join(output), "a wizard or the server failed"  # wizards' stderr is relayed here


@contextlib.asynccontextmanager
async def session(served: Served, *, token: str | None = None) -> AsyncIterator[aiohttp.ClientSession]:
    jar = aiohttp.CookieJar(unsafe=True)  # keep cookies set by 127.0.0.1, as a browser does
    async with aiohttp.ClientSession(served.base, cookie_jar=jar) as http:
        if token is not None:
            async with http.get("/", params={"token": token}) as response:
                assert response.status == 200
        yield http


# ------------------------------------------------------------------------------------ the browser


async def test_the_wizard_in_headless_chromium(tmp_path: Path) -> None:
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("no chromium on PATH (Debian: apt install chromium): the browser test needs a real browser")
    with serve("--token", "--reconnect-grace", "1") as served:  # the printed link, as a person opens it
        assert "?token=" in served.url
        async with open_page(chromium, tmp_path / "profile", served.url, width=1200, height=760) as page:
            await page.wait_for_text(START_TITLE)
            assert await page.evaluate("location.href") == served.base + "/"  # the token left the address bar
            assert "DEMO: nothing is deployed to Azure" in plain(page.terminal)
            await page.evaluate("document.querySelector('.xterm-helper-textarea').focus()")
            await page.press("down", "down", "down")  # from enterprise-hub-spoke to poc-standalone
            await asyncio.sleep(0.3)  # as a person would: the highlight moves before enter
            await page.press("enter")
            await page.wait_for_text("from poc-standalone", timeout=20)
            await page.wait_for_text("Landing zone")
            await page.wait_for_text("Next step")  # the footer's keys: the wizard has focus and is settled
            assert '["blur"]' not in page.sent
            page.terminal = ""
            await page.send("Page.reload")  # the wizard survives its browser going: the same one comes back
            await page.wait_for_text("from poc-standalone")
            await page.wait_for_text("Next step")
            sent = len(page.sent)
            await page.click(290, 116)
            await asyncio.sleep(0.2)
            assert any("\\u001b[<0;" in message for message in page.sent[sent:]), page.sent[sent:]  # SGR mouse
            assert any('"stdin"' in sent for sent in page.sent), page.sent
            assert await page.evaluate("document.body.classList.contains('-first-byte')")
            await page.settle()
            ARTEFACTS.mkdir(exist_ok=True)
            shot = await page.screenshot(ARTEFACTS / "serve-wizard.png")
            print(f"\nscreenshot of the served wizard: {shot}")
            assert not_blank(shot)
        took = served.wait_for_no_children()
        print(f"the wizard ended {took:.2f} s after its browser closed (1 s of grace)")
    log = "".join(served.output)
    assert "a browser came back to its wizard" in log and "a wizard has ended (0 of 1 sessions in use)" in log


def not_blank(png: Path) -> bool:
    """More than a handful of distinct colours: the page painted something (the terminal's text)."""
    import zlib

    data = png.read_bytes()
    chunks, offset = [], 8
    while offset < len(data):
        length = int.from_bytes(data[offset:offset + 4], "big")
        kind = data[offset + 4:offset + 8]
        if kind == b"IDAT":
            chunks.append(data[offset + 8:offset + 8 + length])
        offset += 12 + length
    pixels = zlib.decompress(b"".join(chunks))
    return len(set(pixels[i:i + 3] for i in range(0, min(len(pixels), 3_000_000), 7))) > 20


async def test_focus_comes_back_to_the_start_list_when_the_browser_focuses_the_page() -> None:
    """In a browser the wizard starts blurred: its first screen's AUTO_FOCUS must still land once focused."""
    from textual import events

    from screens.app import make_app

    app = make_app(demo=False)
    async with app.run_test() as pilot:
        app.post_message(events.AppBlur())
        await pilot.pause()
        app.screen.set_focus(None)  # as when the screen composed while blurred: nothing to give focus back to
        app.post_message(events.AppFocus())
        await pilot.pause()
        assert app.screen.focused is not None and app.screen.focused.id == "choices"


# ------------------------------------------------------------------------------------ the token


async def test_token_is_required_for_page_websocket_and_static_files() -> None:
    with serve("--token", "--reconnect-grace", "0") as served:
        token = re.search(r"\?token=([\w-]+)", served.url)
        assert token, served.url
        async with session(served) as stranger:
            for path in ("/", "/ws", "/static/js/textual.js", "/static/css/xterm.css", "/download/x"):
                async with stranger.get(path) as response:
                    assert response.status == 403, path
                    assert token[1] not in await response.text()
            async with stranger.get("/", params={"token": token[1][:-1] + "x"}) as response:
                assert response.status == 403
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await stranger.ws_connect("/ws")
            assert refused.value.status == 403

        async with session(served) as guest:
            async with guest.get("/", params={"token": token[1]}, allow_redirects=False) as response:
                assert response.status == 303
                assert response.headers["Location"] == "/"  # the address bar (and the projector) shows no token
                assert "HttpOnly" in response.headers["Set-Cookie"]
                assert "SameSite=Strict" in response.headers["Set-Cookie"]
            async with guest.get("/") as response:
                assert response.status == 200
                assert "textual.js" in await response.text()
            async with guest.get("/static/js/textual.js") as response:
                assert response.status == 200
            async with guest.ws_connect("/ws?width=80&height=24") as websocket:
                assert not websocket.closed
        served.wait_for_no_children()
    printed = "".join(served.output)
    assert printed.count(token[1]) == 1, "the token is printed once, in the URL, and nowhere else"


def test_any_address_but_loopback_needs_a_token() -> None:
    from screens.browser import ServeOptions, needs_token

    assert not needs_token("127.0.0.1", asked=False)
    assert not needs_token("localhost", asked=False)
    assert not needs_token("::1", asked=False)
    for host in ("0.0.0.0", "::", "192.168.1.20", "10.0.0.5", "workshop-laptop.local"):
        assert needs_token(host, asked=False), host
    assert needs_token("127.0.0.1", asked=True)
    first, second = ServeOptions(host="0.0.0.0").token, ServeOptions(host="0.0.0.0").token
    assert first and second and first != second and len(first) >= 32
    assert ServeOptions().token is None


async def test_without_a_token_only_this_machine_and_the_page_itself_get_in() -> None:
    with serve() as served:
        async with session(served) as http:
            async with http.get("/", headers={"Host": "attacker.example"}) as response:  # DNS rebinding
                assert response.status == 403
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:  # another site's page in the browser
                await http.ws_connect("/ws", origin="http://attacker.example")
            assert refused.value.status == 403
            async with http.get("/") as response:
                assert response.status == 200
            async with http.get("/ws") as response:  # not a websocket: said plainly, no seat taken
                assert response.status == 400


# ------------------------------------------------------------------------------------ the room


async def test_one_browser_at_a_time_its_wizard_waits_for_it_then_the_seat_frees() -> None:
    with serve("--reconnect-grace", "1") as served:
        async with session(served) as presenter, session(served) as stranger:
            async with presenter.get("/") as response:  # the page gives this browser its seat cookie
                assert response.status == 200
            first = await presenter.ws_connect("/ws?width=80&height=24")
            await first.receive(timeout=20)  # the wizard is running: its first bytes arrived
            [wizard] = served.children()

            async with stranger.get("/") as response:
                assert response.status == 503
                page = await response.text()
            assert "The room is full" in page and "1 of 1" in page and "--max-sessions" in page
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await stranger.ws_connect("/ws")
            assert refused.value.status == 503

            async with presenter.get("/") as response:  # a reload by the presenter is never "room full"
                assert response.status == 200
            second = await presenter.ws_connect("/ws?width=80&height=24")  # its newest tab takes the wizard
            async for _ in first:
                pass
            assert first.close_code == aiohttp.WSCloseCode.GOING_AWAY
            await second.receive(timeout=20)
            assert served.children() == [wizard]

            await second.close()  # the browser goes (a reload, a dropped connection) ...
            async with stranger.get("/") as response:
                assert response.status == 503  # ... and its seat waits for it
            third = await presenter.ws_connect("/ws?width=80&height=24")
            redraw = await third.receive(timeout=20)
            assert redraw.type == aiohttp.WSMsgType.BINARY and b"\x1b[?1006h" in redraw.data  # mouse reporting
            assert served.children() == [wizard]  # the same wizard, as it was left

            await third.close()
            took = served.wait_for_no_children()  # nobody came back within the grace: it ends
            async with stranger.get("/") as response:
                assert response.status == 200
        print(f"\nthe wizard ended {took:.2f} s after its browser left (1 s of grace)")
        assert took < 6
    log = "".join(served.output)
    assert "a browser came back to its wizard" in log and "its wizard waits 1 s for it to come back" in log


async def test_max_sessions_lets_more_browsers_in_and_ctrl_c_ends_every_wizard() -> None:
    with serve("--max-sessions", "2") as served:
        async with session(served) as http, session(served) as stranger:
            browsers = [await http.ws_connect("/ws?width=80&height=24")]
            async with stranger.get("/") as response:
                assert response.status == 200
            browsers.append(await http.ws_connect("/ws?width=80&height=24"))
            async with stranger.get("/") as response:
                assert response.status == 503
                assert "2 of 2" in await response.text()
            wizards = served.children()
            assert len(wizards) == 2
            for pid in wizards:  # our own entry point, with serve's flags (the shell exec'ed it)
                argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")[:-1]
                assert argv[1:] == ["-m", "wizard", "--demo"]
                assert Path(argv[0]).resolve() == Path(sys.executable).resolve()
            served.stop()  # Ctrl+C with both browsers connected: each wizard is asked to quit, none is left
            for browser in browsers:  # each browser was told, after the wizard's last bytes
                async for _ in browser:
                    pass
                assert browser.close_code == aiohttp.WSCloseCode.GOING_AWAY
    assert "a wizard has ended (0 of 2 sessions in use)" in "".join(served.output)
    assert [pid for pid in wizards if Path(f"/proc/{pid}").exists()] == []


# ------------------------------------------------------------------------------------ the command


def test_each_browser_runs_our_own_entry_point_with_the_same_flags(tmp_path: Path) -> None:
    from screens.browser import wizard_command

    config = tmp_path / "room.yaml"
    command = wizard_command(demo=True, preset=None, config=config)
    assert shlex.split(command) == ["exec", sys.executable, "-m", "wizard", "--demo", "--config", str(config)]
    assert shlex.split(wizard_command(demo=False, preset="my preset", config=None))[-2:] == ["--preset", "my preset"]


def test_a_bad_preset_or_a_taken_port_is_said_before_serving() -> None:
    bad = subprocess.run([aifactory_bin(), "serve", "--demo", "--preset", "no-such-preset"],
                         capture_output=True, text=True, timeout=30)
    assert bad.returncode == 2
    assert "no-such-preset" in bad.stderr and "Traceback" not in bad.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = subprocess.run([aifactory_bin(), "serve", "--demo", "--port", str(port)],
                              capture_output=True, text=True, timeout=30)
    assert busy.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in busy.stderr and "--port" in busy.stderr
    assert "Traceback" not in busy.stderr
