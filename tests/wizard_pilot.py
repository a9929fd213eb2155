"""Helpers for the wizard's Pilot tests: an app on a private sandbox, and waiting for the checks."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from presets.store import PresetStore
from screens.app import WizardApp, make_app
from wizard.draft import Draft


def demo_app(tmp_path: Path, preset: str | None = None) -> WizardApp:
    """The wizard in demo mode on a fresh sandbox state, opened on a built-in preset (or the start)."""
    draft = None
    if preset is not None:
        loaded = PresetStore().load(preset)
        draft = Draft(loaded.config, "", f"from {preset}", extends=preset)
    return make_app(demo=True, draft=draft, sandbox_state=tmp_path / "sandbox.json")


async def settle(pilot: Any, app: WizardApp, timeout: float = 20.0) -> None:
    """Wait until the session is open and no live cell is being checked (or pending)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        await pilot.pause(0.05)
        idle = not any(worker.is_running for worker in app.workers) and not app._redraw_pending
        if app.live is not None and not app.live_state.busy and not app._pending and idle:
            await pilot.pause()
            return
    raise AssertionError(f"checks did not settle: {app.live_state.cells}")
