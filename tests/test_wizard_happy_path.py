"""The whole happy path, as a person walks it in demo mode: start from a built-in, change the
landing-zone mode, pick each environment's subscription and region, fix every seeded problem of
enterprise-hub-spoke through its Apply button, its Register button or its field, reach a review
with no errors, save a preset and export a `.env` that bash sources as the AI Factory does."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from textual.widgets import Button, Select
from wizard_pilot import demo_app, open_picker, settle, shown

from sandbox.seed import AIF_DEV, AIF_STAGE, CONNECTIVITY_HUB
from screens.modals import TextQuestion
from screens.widgets.fields import ConfigField, field_dom_id
from screens.widgets.findings import FindingRow
from screens.widgets.toggle import ChoiceList
from screens.wizard_screen import WizardScreen


def errors(app: Any) -> set[str]:
    """The error findings the wizard shows now, as code:environment."""
    return {f"{f.code}:{f.environment}" for f in app.live_state.findings if f.severity == "error"}


async def on_review_press(pilot: Any, app: Any, code: str, key: str) -> None:
    """On the review, focus the finding with `code` and press `key` (a: its Apply or Register)."""
    app.screen.show_step("review")
    await pilot.pause()
    row = next(r for r in app.screen.query(FindingRow) if r.finding.code == code)
    row.focus()
    await pilot.press(key)
    await settle(pilot, app)


async def answer(pilot: Any, app: Any, text: str) -> None:
    """Type into the open question and confirm."""
    assert isinstance(app.screen, TextQuestion)
    await pilot.press("end", "ctrl+u", *text, "enter")  # clear what it proposed, type, confirm
    await pilot.pause()


async def test_from_a_built_in_to_a_clean_review_saved_and_exported(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("enter")  # the first built-in: enterprise-hub-spoke
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, WizardScreen) and app.draft is not None
        assert errors(app) == {"AIF-LIVE-PROVIDER:stage", "AIF-LIVE-KV-DELETED:stage", "AIF-LIVE-ROLE-WRITE:prod",
                               "AIF-LIVE-TPM:prod", "AIF-LIVE-SEARCH-QUOTA:prod"}

        # the landing-zone mode: a standalone factory rather than a spoke of the hub
        mode = screen.query_one("#mode", ChoiceList)
        mode.focus()
        mode.highlighted = [key for key, _ in mode.choices].index("standalone")
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.draft.config.mode == "standalone"

        # prod's model capacity through the finding's Apply; its AI Search tier through the field
        await on_review_press(pilot, app, "AIF-LIVE-TPM", "a")
        assert "AIF-LIVE-TPM:prod" not in errors(app)
        await on_review_press(pilot, app, "AIF-LIVE-SEARCH-QUOTA", "enter")  # jumps to the field
        assert screen.current == "skus"
        tier = screen.query_one(f"#{field_dom_id('skus.ai_search_tier')}", ConfigField).query_one(Select)
        tier.value = "basic"
        await settle(pilot, app)
        assert app.draft.config.skus.ai_search_tier == "basic" and "AIF-LIVE-SEARCH-QUOTA:prod" not in errors(app)

        # stage: register the missing provider, and step past the soft-deleted Key Vault's name
        await on_review_press(pilot, app, "AIF-LIVE-PROVIDER", "a")
        await on_review_press(pilot, app, "AIF-LIVE-KV-DELETED", "a")
        assert app.draft.config.naming.common_resource_suffix == "-002"

        # each environment's subscription (prod to one where this sign-in may assign roles) and a region
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
            assert app.draft.config.environments.get(env).subscription_id == sub
        picker = await open_picker(pilot, step, "environments.dev.region")
        await pilot.press(*"swedenc")
        assert shown(picker)[0] == "swedencentral"
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.draft.config.environments.dev.region == "swedencentral"

        # the review: no errors left, every live cell checked
        screen.show_step("review")
        await settle(pilot, app)
        assert errors(app) == set(), errors(app)
        assert "fail" not in app.live_state.cells.values() and "checking" not in app.live_state.cells.values()

        # save as a preset, then export the .env from the review's button
        await pilot.press("ctrl+s")
        await pilot.pause()
        await answer(pilot, app, "contoso-poc")
        assert app.draft.name == "contoso-poc" and not app.draft.dirty
        assert (app.store.user_dir / "contoso-poc.yaml").is_file()
        screen.query_one("#export-env", Button).press()
        await pilot.pause()
        target = tmp_path / "aifactory" / ".env"
        target.parent.mkdir()
        await answer(pilot, app, str(target))

    script = 'set -a; . "$1"; printf "%s|%s" "$AIFACTORY_LOCATION" "$DEV_SUBSCRIPTION_ID"'
    sourced = subprocess.run(["bash", "-c", script, "bash", str(target)], capture_output=True, text=True, check=True)
    assert sourced.stdout == f"swedencentral|{AIF_DEV}", sourced.stdout + sourced.stderr
