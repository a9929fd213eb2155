"""The whole happy path, as a person walks it in demo mode: start from a built-in, change the
landing-zone mode, pick each environment's subscription and region, fix every seeded problem of
enterprise-hub-spoke through its Apply button, its Register button or its field, reach a clean
review, save a preset and export a `.env` the AI Factory's own scripts read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Button, Input
from wizard_pilot import demo_app, open_picker, settle, shown

from sandbox.seed import AIF_DEV, AIF_STAGE, CONNECTIVITY_HUB
from screens.modals import TextQuestion
from screens.steps.review import ReviewStep
from screens.widgets.fields import ConfigField, field_dom_id
from screens.widgets.findings import FindingRow
from screens.widgets.toggle import ChoiceList
from screens.wizard_screen import WizardScreen


def errors(app: Any) -> list[str]:
    return sorted(f"{f.code}:{f.environment}" for f in app.live_state.findings if f.severity == "error")


async def act_on(pilot: Any, app: Any, code: str, key: str = "a") -> None:
    """On the review, focus the finding and press its key (a: apply or register)."""
    screen = app.screen
    screen.show_step("review")
    await pilot.pause()
    row = next(r for r in screen.query(FindingRow) if r.finding.code == code)
    row.focus()
    await pilot.press(key)
    await settle(pilot, app)


async def type_into(pilot: Any, app: Any, path: str, value: str) -> None:
    """Jump to a field from the palette's target, replace its text and leave it."""
    screen = app.screen
    screen.show_step(screen.step_of(path) if hasattr(screen, "step_of") else "skus", path)
    await pilot.pause()
    field = screen.query_one(f"#{field_dom_id(path)}", ConfigField)
    field.focus_control()
    await pilot.press("ctrl+a", *value, "tab")
    await settle(pilot, app)


async def test_from_a_built_in_to_a_clean_review_saved_and_exported(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("enter")  # enterprise-hub-spoke, first of the built-ins
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, WizardScreen) and app.draft is not None
        print("seeded", errors(app))

        # the landing-zone mode: a standalone proof of concept rather than a spoke of the hub
        mode = screen.query_one("#mode", ChoiceList)
        mode.focus()
        mode.highlighted = [key for key, _ in mode.choices].index("standalone")
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.draft.config.mode == "standalone"
        print("standalone", errors(app))

        # each environment's subscription and region, from the pickers
        screen.show_step("environments")
        await pilot.pause()
        step = screen.pane("environments")
        for env, (typed, sub) in {"dev": ("aif-dev", AIF_DEV), "stage": ("aif-stage", AIF_STAGE),
                                  "prod": ("connectivity", CONNECTIVITY_HUB)}.items():
            picker = await open_picker(pilot, step, f"environments.{env}.subscription_id")
            await pilot.press(*typed)
            assert shown(picker) == [sub]
            await pilot.press("enter")
            await pilot.pause()
            print(env, app.draft.config.environments.get(env).subscription_id, type(app.screen).__name__, app.focused)
        await settle(pilot, app)
        print("subscriptions", errors(app))
        print("prod sub", app.draft.config.environments.prod.subscription_id, app.live_state.cells.get(("permissions", "prod")))
        for f in app.live_state.findings:
            if f.severity == "error":
                print("  ", f.code, f.environment, f.field, f.message[:150], f.fix)
