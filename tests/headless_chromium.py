"""Drive Debian's headless Chromium over the DevTools protocol (a websocket on 127.0.0.1), with aiohttp.

Just what the browser tests need: open a page, read the bytes its websockets receive (the terminal
stream xterm.js paints on a canvas), focus an element, press keys, take a screenshot.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import re
import shutil
import subprocess
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")

KEYS = {
    "enter": {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "text": "\r"},
    "down": {"key": "ArrowDown", "code": "ArrowDown", "windowsVirtualKeyCode": 40},
    "up": {"key": "ArrowUp", "code": "ArrowUp", "windowsVirtualKeyCode": 38},
    "tab": {"key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9},
    "escape": {"key": "Escape", "code": "Escape", "windowsVirtualKeyCode": 27},
    "ctrl+q": {"key": "q", "code": "KeyQ", "windowsVirtualKeyCode": 81, "modifiers": 2},
}

ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        if found := shutil.which(name):
            return found
    return None


def plain(stream: str) -> str:
    """Terminal output without its escape sequences."""
    return ANSI.sub("", stream)


class Page:
    """One tab: commands by id, events kept as they arrive."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        self.socket = socket
        self.ids = itertools.count(1)
        self.waiting: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.terminal = ""
        """Every text the page's websockets received, decoded (the wizard's screen as drawn)."""
        self.sent: list[str] = []
        """What the page sent on its websockets (keys typed reach the wizard as "stdin" messages)."""
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.socket:
            data = json.loads(message.data)
            if "id" in data:
                future = self.waiting.pop(data["id"])
                if "error" in data:
                    future.set_exception(RuntimeError(str(data["error"])))
                else:
                    future.set_result(data.get("result", {}))
            elif data.get("method") == "Network.webSocketFrameReceived":
                response = data["params"]["response"]
                payload = response["payloadData"]
                if response["opcode"] == 2:
                    payload = base64.b64decode(payload).decode("utf-8", "replace")
                self.terminal += payload
            elif data.get("method") == "Network.webSocketFrameSent":
                self.sent.append(data["params"]["response"]["payloadData"])

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        key = next(self.ids)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.waiting[key] = future
        await self.socket.send_json({"id": key, "method": method, "params": params})
        return await asyncio.wait_for(future, 15)

    async def wait_for_text(self, text: str, timeout: float = 15) -> None:
        """Until the terminal stream (escape sequences removed) shows `text`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while text not in plain(self.terminal):
            if loop.time() > deadline:
                raise AssertionError(f"{text!r} never appeared; the page received:\n{plain(self.terminal)[-2000:]}")
            await asyncio.sleep(0.05)

    async def settle(self, quiet: float = 0.5, timeout: float = 10) -> None:
        """Until the page has received nothing for `quiet` seconds (the wizard drew its last frame)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            seen = len(self.terminal)
            await asyncio.sleep(quiet)
            if len(self.terminal) == seen:
                return

    async def evaluate(self, expression: str) -> Any:
        result = await self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    async def press(self, *keys: str) -> None:
        """Keys as a person types them into the focused element (names from KEYS, or characters)."""
        for key in keys:
            event = KEYS.get(key) or {"key": key, "text": key}
            await self.send("Input.dispatchKeyEvent", type="keyDown", **event)
            await self.send("Input.dispatchKeyEvent", type="keyUp", **{k: v for k, v in event.items() if k != "text"})

    async def click(self, x: int, y: int) -> None:
        """A left click at this point of the page, in CSS pixels."""
        for kind in ("mousePressed", "mouseReleased"):
            await self.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    async def screenshot(self, path: Path) -> Path:
        shot = await self.send("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(shot["data"]))
        return path


@contextlib.asynccontextmanager
async def open_page(chromium: str, profile: Path, url: str, *, width: int = 1280,
                    height: int = 800) -> AsyncIterator[Page]:
    """A headless Chromium with a fresh profile and one tab on `url`; closed (and waited for) after."""
    process = subprocess.Popen(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
         "--disable-extensions", "--disable-background-networking", "--remote-debugging-address=127.0.0.1",
         "--remote-debugging-port=0", f"--user-data-dir={profile}", f"--window-size={width},{height}",
         "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        browser_url = await asyncio.to_thread(_devtools_url, process)
        port = re.search(r":(\d+)/", browser_url)
        assert port, browser_url
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port[1]}/json/list") as response:
                targets = await response.json()
            page_url = next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")
            async with http.ws_connect(page_url, max_msg_size=0) as socket:
                page = Page(socket)
                await page.send("Network.enable")
                await page.send("Page.enable")
                await page.send("Emulation.setDeviceMetricsOverride", width=width, height=height,
                                deviceScaleFactor=1, mobile=False)
                await page.send("Page.navigate", url=url)
                try:
                    yield page
                finally:
                    page.reader.cancel()
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _devtools_url(process: subprocess.Popen[str]) -> str:
    assert process.stderr is not None
    for line in process.stderr:
        if "DevTools listening on" in line:
            threading.Thread(target=process.stderr.read, daemon=True).start()  # never let the pipe fill
            return line.split("DevTools listening on", 1)[1].strip()
    raise AssertionError(f"chromium did not start its DevTools endpoint (exit {process.wait()})")
