"""The environments step through Pilot and snapshots: pick a subscription and a region for each
environment from the type-to-filter pickers, see the marks, turn environments off, and be refused
when the last one would go."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.content import Content
from textual.widgets import Input, OptionList
from wizard_pilot import app_on, demo_app, open_picker, settle, show_step, shown

from presets.store import PresetStore
from sandbox.seed import AIF_DEV, AIF_PROD, AIF_STAGE, LEGACY_SANDBOX
from screens.app import WizardApp
from screens.pickers import RegionPicker, SubscriptionPicker
from screens.steps.environments import EnvironmentsStep
from screens.widgets.fields import ConfigField, field_dom_id
from screens.widgets.pick_field import PickButton
from screens.widgets.toggle import Toggle
from screens.wizard_screen import WizardScreen
from wizard.azure.choices import SubscriptionChoice


async def show_environments(pilot: Any, app: WizardApp) -> EnvironmentsStep:
    step = await show_step(pilot, app, "environments")
    assert isinstance(step, EnvironmentsStep)
    return step


async def survey_done(pilot: Any, picker: RegionPicker) -> None:
    for _ in range(200):
        if not picker.surveying:
            await pilot.pause()
            return
        await pilot.pause(0.05)
    raise AssertionError("the region survey did not finish")


async def test_a_subscription_and_a_region_picked_for_dev_stage_and_prod(tmp_path: Path) -> None:
    app = demo_app(tmp_path, "enterprise-hub-spoke")
    picks = {"dev": ("aif-dev", AIF_DEV, "france", "francecentral"),
             "stage": ("stage", AIF_STAGE, "north eu", "northeurope"),
             "prod": ("1c2d", AIF_STAGE, "germany", "germanywestcentral")}
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot, app)
        step = await show_environments(pilot, app)
        for env, (typed, sub, region_typed, region) in picks.items():
            picker = await open_picker(pilot, step, f"environments.{env}.subscription_id")
            assert isinstance(picker, SubscriptionPicker) and len(shown(picker)) == 5
            await pilot.press(*typed)
            assert shown(picker) == [sub]
            await pilot.press("enter")
            await pilot.pause()
            assert app.draft is not None and app.draft.config.environments.get(env).subscription_id == sub
            picker = await open_picker(pilot, step, f"environments.{env}.region")
            await pilot.press(*region_typed)
            assert shown(picker)[0] == region
            await pilot.press("enter")
            await pilot.pause()
            assert app.draft.config.environments.get(env).region == region
        # prod now shares stage's subscription: the picker marks it
        picker = await open_picker(pilot, step, "environments.dev.subscription_id")
        row = picker.query_one(OptionList).get_option(AIF_STAGE).prompt
        assert "used by stage, prod" in str(row)
        await pilot.press("escape")
        await pilot.pause()
        button = step.query_one(f"#{field_dom_id('environments.prod.subscription_id')} PickButton", PickButton)
        assert "aif-stage" in str(button.render()) and app.focused is not None


async def test_a_picker_opened_before_the_session_fills_in_when_it_opens(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("screens.app.BACKGROUND_DELAY", 3600)  # the sandbox opens when the test says
    app = demo_app(tmp_path, "poc-standalone")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        assert isinstance(screen, WizardScreen)
        screen.show_step("environments")  # at once: show_environments would wait for the session
        await pilot.pause()
        step = screen.pane("environments")
        assert isinstance(step, EnvironmentsStep)
        picker = await open_picker(pilot, step, "environments.dev.subscription_id")
        assert app.live is None and "opening the sandbox" in str(picker.query_one("#status").render())
        app.open_session()
        await settle(pilot, app)
        assert app.screen is picker and len(shown(picker)) == 5
        assert str(picker.query_one("#status").render()) == "5 subscriptions"


async def test_the_region_picker_marks_what_each_region_offers(tmp_path: Path) -> None:
    app = demo_app(tmp_path, "enterprise-hub-spoke")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot, app)
        step = await show_environments(pilot, app)
        picker = await open_picker(pilot, step, "environments.prod.region")
        assert isinstance(picker, RegionPicker)
        await survey_done(pilot, picker)
        fits = picker.fits
        assert fits["swedencentral"].fit == "bad"
        assert "AIF-LIVE-TPM" in {f.code for f in fits["swedencentral"].findings}  # 10K of 50K free, prod needs 90K
        assert fits["uksouth"].fit == "bad" and fits["uksouth"].findings[0].code == "AIF-LIVE-MODEL"
        assert fits["eastus2"].fit == "ok" and fits["koreacentral"].fit == "unavailable"
        row = str(picker.query_one(OptionList).get_option("swedencentral").prompt)
        assert row.startswith("(•) swedencentral") and "✗ model quota short" in row
        assert "offer everything this configuration needs" in str(picker.query_one("#status").render())
        await pilot.press(*"korea")
        assert shown(picker) == ["koreacentral"]
        await pilot.press("escape")
        await pilot.pause()
        assert app.draft is not None and app.draft.config.environments.prod.region == "swedencentral"


async def test_filtering_by_id_a_disabled_subscription_and_a_pasted_id(tmp_path: Path) -> None:
    app = demo_app(tmp_path, "enterprise-hub-spoke")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot, app)
        step = await show_environments(pilot, app)
        picker = await open_picker(pilot, step, "environments.dev.subscription_id")
        await pilot.press(*"4F5A")
        assert shown(picker) == [LEGACY_SANDBOX]
        assert "✗ Disabled" in str(picker.query_one(OptionList).get_option(LEGACY_SANDBOX).prompt)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is picker  # refused: Azure deploys nothing into a disabled subscription
        assert "Disabled: Azure deploys nothing into it" in str(picker.query_one("#detail").render())
        await pilot.press(*["backspace"] * 4, *"prod")
        assert shown(picker) == [AIF_PROD]
        assert "used by prod" in str(picker.query_one(OptionList).get_option(AIF_PROD).prompt)
        pasted = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
        await pilot.press(*["backspace"] * 4)
        picker.query_one(Input).insert_text_at_cursor(pasted)  # what a paste does
        await pilot.pause()
        assert shown(picker) == ["typed:" + pasted]
        await pilot.press("enter")
        await pilot.pause()
        assert app.draft is not None and app.draft.config.environments.dev.subscription_id == pasted


async def test_turning_environments_off_and_the_last_one_is_refused(tmp_path: Path) -> None:
    app = app_on(tmp_path, PresetStore().load("enterprise-hub-spoke").config)
    async with app.run_test(size=(100, 32)) as pilot:
        step = await show_environments(pilot, app)
        assert app.draft is not None
        for env in ("stage", "dev"):
            await pilot.click(step.query_one(f"#{field_dom_id(f'environments.{env}.enabled')} Toggle", Toggle))
            await pilot.pause()
            assert not app.draft.config.environments.get(env).enabled
            assert step.query_one(f"#env-{env}").border_title == f"{env} (off)"
            assert not step.query(f"#{field_dom_id(f'environments.{env}.region')}")
        field = step.query_one(f"#{field_dom_id('environments.prod.enabled')}", ConfigField)
        toggle = field.query_one(Toggle)
        toggle.focus()
        await pilot.press("space")
        await pilot.pause()
        assert app.draft.config.environments.prod.enabled and toggle.value  # refused, and the toggle says so
        problem = str(field.query_one(".field-problem").render())
        assert "at least one environment (dev, stage or prod) must be enabled" in problem
        dev = step.query_one(f"#{field_dom_id('environments.dev.enabled')} Toggle", Toggle)
        dev.focus()
        await pilot.press("space")
        await pilot.pause()
        assert app.draft.config.environments.dev.enabled
        assert not step.field("environments.prod.enabled").query_one(".field-problem").display  # type: ignore[union-attr]


async def test_without_a_session_the_pickers_take_a_click_or_a_paste_and_no_markup(tmp_path: Path) -> None:
    app = app_on(tmp_path, PresetStore().load("poc-standalone").config)
    async with app.run_test(size=(80, 24)) as pilot:
        step = await show_environments(pilot, app)
        await pilot.click(step.query_one(f"#{field_dom_id('environments.dev.region')} PickButton", PickButton))
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, RegionPicker)
        assert "sign in to see what each region offers" in str(picker.query_one("#status").render())
        await pilot.press(*"japan")
        assert shown(picker)[:2] == ["japaneast", "japanwest"]
        await pilot.pause()
        await pilot.click(picker.query_one(OptionList), offset=(6, 1))  # the mouse, on japanwest's row
        await pilot.pause()
        assert app.draft is not None and app.draft.config.environments.dev.region == "japanwest"
        picker = await open_picker(pilot, step, "environments.dev.subscription_id")
        assert "not signed in" in str(picker.query_one("#status").render())
        picker.query_one(Input).insert_text_at_cursor(AIF_DEV)
        await pilot.press("enter")
        await pilot.pause()
        assert app.draft.config.environments.dev.subscription_id == AIF_DEV
        # names from Azure are never read as markup, in the list or on the button
        app.subscriptions = [SubscriptionChoice(AIF_DEV, "team [bold]ops[/bold]", "Warned")]
        picker = await open_picker(pilot, step, "environments.dev.subscription_id")
        await pilot.press(*"[bold")
        row = str(picker.query_one(OptionList).get_option(AIF_DEV).prompt)
        assert shown(picker) == [AIF_DEV] and "team [bold]ops[/bold]" in row and "! Warned" in row
        await pilot.press("escape")
        await pilot.pause()
        step.show_subscriptions(app.subscriptions)
        button = step.query_one(f"#{field_dom_id('environments.dev.subscription_id')} PickButton", PickButton)
        assert "team [bold]ops[/bold] ! Warned" in str(button.render())
        title = step.query_one("#env-dev").border_title or ""
        assert "team [bold]ops[/bold]" in Content.from_markup(title).plain  # the box title too


# ---------------------------------------------------------------------------------- snapshots


@pytest.fixture
def _steady(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")


@pytest.mark.usefixtures("_steady")
def test_snapshot_environments_step(snap_compare: Any, tmp_path: Path) -> None:
    async def run_before(pilot: Any) -> None:
        await show_environments(pilot, pilot.app)

    assert snap_compare(demo_app(tmp_path, "enterprise-hub-spoke"), run_before=run_before, terminal_size=(100, 32))


@pytest.mark.usefixtures("_steady")
def test_snapshot_region_picker(snap_compare: Any, tmp_path: Path) -> None:
    async def run_before(pilot: Any) -> None:
        step = await show_environments(pilot, pilot.app)
        picker = await open_picker(pilot, step, "environments.prod.region")
        assert isinstance(picker, RegionPicker)
        await survey_done(pilot, picker)

    assert snap_compare(demo_app(tmp_path, "enterprise-hub-spoke"), run_before=run_before, terminal_size=(100, 32))


@pytest.mark.usefixtures("_steady")
def test_snapshot_subscription_picker_filtered_at_80x24(snap_compare: Any, tmp_path: Path) -> None:
    async def run_before(pilot: Any) -> None:
        step = await show_environments(pilot, pilot.app)
        await open_picker(pilot, step, "environments.stage.subscription_id")
        await pilot.press(*"aif")
        await pilot.pause()

    assert snap_compare(demo_app(tmp_path, "enterprise-hub-spoke"), run_before=run_before, terminal_size=(80, 24))
