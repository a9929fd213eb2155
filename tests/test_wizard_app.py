"""The wizard through Pilot, in demo mode: open, edit, see checks update, fix, save, quit."""

from __future__ import annotations

from pathlib import Path

from wizard_pilot import demo_app, settle

from screens.modals import QuitScreen
from screens.start import StartScreen
from screens.widgets.fields import ConfigField, field_dom_id
from screens.widgets.findings import FindingRow
from screens.wizard_screen import WizardScreen


async def test_start_screen_lists_the_built_ins_and_opens_one(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        assert isinstance(app.screen, StartScreen)
        ids = [app.screen.query_one("#choices").get_option_at_index(i).id
               for i in range(app.screen.query_one("#choices").option_count)]
        assert "builtin:poc-standalone" in ids and "import" in ids and "blank" in ids
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WizardScreen)
        assert app.draft is not None and app.draft.extends == "enterprise-hub-spoke"


async def test_the_seeded_problems_show_in_the_grid_and_the_sidebar(tmp_path: Path) -> None:
    app = demo_app(tmp_path, "enterprise-hub-spoke")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot, app)
        cells = app.live_state.cells
        assert cells[("providers", "stage")] == "fail" and cells[("permissions", "prod")] == "fail"
        assert cells[("model_quota", "prod")] == "fail" and cells[("names", "stage")] == "fail"
        assert cells[("providers", "dev")] == "pass"
        screen = app.screen
        assert isinstance(screen, WizardScreen)
        sidebar = screen.query_one("#sidebar")
        assert sidebar.marks["environments"] == "error" and sidebar.marks["review"] == "error"


async def test_an_edit_reruns_only_the_affected_cells_and_a_fix_clears_its_finding(tmp_path: Path) -> None:
    app = demo_app(tmp_path, "enterprise-hub-spoke")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, WizardScreen)
        screen.show_step("review")
        await pilot.pause()
        row = next(r for r in screen.query(FindingRow) if r.finding.code == "AIF-LIVE-KV-DELETED")
        row.focus()
        await pilot.press("a")
        await settle(pilot, app)
        assert app.draft is not None and app.draft.config.naming.common_resource_suffix == "-002"
        assert "AIF-LIVE-KV-DELETED" not in {f.code for f in app.live_state.findings}
        assert app.live_state.cells[("names", "stage")] == "pass"


async def test_a_finding_jumps_to_its_field(tmp_path: Path) -> None:
    app = demo_app(tmp_path, "enterprise-hub-spoke")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, WizardScreen)
        screen.show_step("review")
        await pilot.pause()
        row = next(r for r in screen.query(FindingRow) if r.finding.code == "AIF-LIVE-TPM")
        row.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert screen.current == "skus"
        field = app.focused.parent.parent  # type: ignore[union-attr]
        assert isinstance(field, ConfigField) and field.path == row.finding.field


async def test_typing_a_bad_value_is_refused_in_place(tmp_path: Path) -> None:
    app = demo_app(tmp_path, "poc-standalone")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, WizardScreen)
        screen.show_step("network", "environments.dev.cidr_octet")
        await pilot.pause()
        before = app.draft.config if app.draft else None
        field = screen.query_one(f"#{field_dom_id('environments.dev.cidr_octet')}", ConfigField)
        field.focus_control()
        await pilot.press("ctrl+a", "3", "0", "0")
        await pilot.pause()
        assert app.draft is not None and app.draft.config == before
        assert "out of range" in str(field.query_one(".field-problem").render())


async def test_quitting_with_unsaved_changes_asks_first(tmp_path: Path) -> None:
    app = demo_app(tmp_path, "poc-standalone")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, QuitScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WizardScreen)


async def test_save_as_then_quit_without_asking(tmp_path: Path) -> None:
    app = demo_app(tmp_path, "poc-standalone")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press(*"my-poc", "enter")
        await pilot.pause()
        assert app.draft is not None and app.draft.name == "my-poc" and not app.draft.dirty
        assert (app.store.user_dir / "my-poc.yaml").is_file()
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0 or app.return_code is None


async def test_a_bad_import_says_why_and_the_wizard_stays_up(tmp_path: Path) -> None:
    bad = tmp_path / ".env"
    bad.write_text('AIFACTORY_LOCATION="westeurope"\nDEV_CIDR_RANGE="nonsense"\n', encoding="utf-8")
    app = demo_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        assert isinstance(screen, StartScreen)
        screen.import_path(bad)
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        problem = str(app.screen.query_one("#problem").render())
        assert str(bad) in problem and "DEV_CIDR_RANGE" in problem


async def test_the_command_palette_jumps_to_a_field(tmp_path: Path) -> None:
    app = demo_app(tmp_path, "poc-standalone")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"dev octet")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        screen = app.screen
        assert isinstance(screen, WizardScreen) and screen.current == "network"
        field = app.focused.parent.parent  # type: ignore[union-attr]
        assert isinstance(field, ConfigField) and field.path == "environments.dev.cidr_octet"


async def test_switching_to_hybrid_shows_its_access_paths(tmp_path: Path) -> None:
    from screens.widgets.toggle import ChoiceList, Toggle

    app = demo_app(tmp_path, "poc-standalone")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        assert isinstance(screen, WizardScreen)
        choices = screen.query_one("#mode", ChoiceList)
        choices.focus()
        choices.highlighted = [key for key, _ in choices.choices].index("hybrid")
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.draft is not None and app.draft.config.mode == "hybrid"
        bastion = screen.query_one("#path-bastion", Toggle)
        bastion.focus()
        await pilot.press("space")
        await pilot.pause(0.2)
        assert "bastion" in app.draft.config.landing_zone.access_paths  # type: ignore[union-attr]
        assert "AIF-HYBRID-BASTION" in {f.code for f in app.live_state.offline} or app.draft.config.access.bastion


async def test_the_start_screen_filters_presets_and_hides_keys_that_need_a_configuration(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        shown = {b.binding.action for b in app.screen.active_bindings.values() if b.enabled}
        assert "save" not in shown and "recheck" not in shown and "quit" in shown
        await pilot.press("slash", *"poc")
        await pilot.pause()
        choices = app.screen.query_one("#choices")
        ids = [choices.get_option_at_index(i).id for i in range(choices.option_count)]
        assert "builtin:poc-standalone" in ids and "builtin:enterprise-hub-spoke" not in ids
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, WizardScreen) and app.draft is not None
        assert app.draft.extends == "poc-standalone"
