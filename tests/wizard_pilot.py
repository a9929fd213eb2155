"""Helpers for the wizard's Pilot tests: an app on a private sandbox, and waiting for the checks."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from textual.widgets import Input, OptionList

from presets.store import PresetStore
from screens.app import WizardApp, make_app
from screens.pickers import FilterPicker
from screens.steps import StepPane
from screens.widgets.fields import field_dom_id
from screens.widgets.pick_field import PickButton
from screens.wizard_screen import WizardScreen
from wizard.draft import Draft
from wizard.model import FactoryConfig


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


async def drawn(pilot: Any, app: WizardApp) -> None:
    """Wait until the wizard has drawn every change made so far (its redraws are paced to frames)."""
    await pilot.pause()  # the messages the last key press posted
    for _ in range(100):
        await pilot.pause()
        if not app._redraw_pending:
            await pilot.pause(0.1)  # the layouts that redraw caused (a scrollbar appears, lines wrap again)
            await pilot.pause()
            return
    raise AssertionError("the wizard did not redraw")


def app_on(tmp_path: Path, config: FactoryConfig, *, demo: bool = False) -> WizardApp:
    """The wizard opened on `config`: offline (no session, no live checks to wait for) unless `demo`."""
    return make_app(demo=demo, draft=Draft(config, "", "test"), sandbox_state=tmp_path / "sandbox.json")


async def show_step(pilot: Any, app: WizardApp, step_id: str) -> StepPane:
    """Wait for the live checks (in demo mode), show a step, and stop cursors blinking (snapshots)."""
    if app.demo:
        await settle(pilot, app)
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, WizardScreen)
    screen.show_step(step_id)
    await pilot.pause()
    for control in screen.query(Input):
        control.cursor_blink = False
    return screen.pane(step_id)


async def open_picker(pilot: Any, step: StepPane, path: str) -> FilterPicker:
    """Focus the field's button and press enter, as a person would."""
    step.query_one(f"#{field_dom_id(path)} PickButton", PickButton).focus()
    await pilot.press("enter")
    await pilot.pause()
    picker = pilot.app.screen
    assert isinstance(picker, FilterPicker)
    picker.query_one(Input).cursor_blink = False  # steady snapshots
    return picker


def shown(picker: FilterPicker) -> list[str]:
    """The ids of the rows the list shows now."""
    options = picker.query_one(OptionList)
    return [options.get_option_at_index(i).id or "" for i in range(options.option_count)]
