"""SVG snapshots of the wizard (pytest-textual-snapshot). Update with `pytest --snapshot-update`
after a deliberate change of the screens, and look at the diff report before committing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from wizard_pilot import app_on, demo_app, settle, show_step

from presets.store import PresetStore
from screens.wizard_screen import WizardScreen


@pytest.fixture(autouse=True)
def _steady(monkeypatch: pytest.MonkeyPatch) -> None:
    """No cursor blink, no animation: frames are the same every run."""
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")


def _on_step(step: str) -> Any:
    async def run_before(pilot: Any) -> None:
        await settle(pilot, pilot.app)
        screen = pilot.app.screen
        assert isinstance(screen, WizardScreen)
        screen.show_step(step)
        await pilot.pause()
        await settle(pilot, pilot.app)

    return run_before


def test_start_screen(snap_compare: Any, tmp_path: Path) -> None:
    async def run_before(pilot: Any) -> None:
        await pilot.pause(0.5)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(demo_app(tmp_path), run_before=run_before, terminal_size=(100, 32))


@pytest.mark.parametrize("step", ["landing_zone", "review"])
def test_step_at_100x32(snap_compare: Any, tmp_path: Path, step: str) -> None:
    assert snap_compare(demo_app(tmp_path, "enterprise-hub-spoke"), run_before=_on_step(step),
                        terminal_size=(100, 32))


def test_review_at_80x24(snap_compare: Any, tmp_path: Path) -> None:
    assert snap_compare(demo_app(tmp_path, "enterprise-hub-spoke"), run_before=_on_step("review"),
                        terminal_size=(80, 24))


def test_signin_step_at_100x32(snap_compare: Any, tmp_path: Path) -> None:
    """Against real Azure (not demo) before signing in: the step says how, nothing is read yet."""
    app = app_on(tmp_path, PresetStore().load("enterprise-hub-spoke").config)

    async def run_before(pilot: Any) -> None:
        await show_step(pilot, app, "signin")
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=(100, 32))
