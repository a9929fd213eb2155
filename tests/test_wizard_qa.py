"""What a first user met in a workshop walk-through: each a defect seen on screen, now fixed."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.color import Color
from textual.widgets import DataTable, HelpPanel, OptionList
from textual.widgets._footer import FooterKey
from wizard_pilot import app_on, demo_app, drawn

from presets.store import PresetStore
from screens.start import StartScreen
from screens.widgets.sidebar import Sidebar
from screens.wizard_screen import WizardScreen
from wizard.edit import try_set


async def test_a_step_with_nothing_wrong_is_marked_ok_as_soon_as_it_is_visited(tmp_path: Path) -> None:
    app = app_on(tmp_path, PresetStore().load("poc-standalone").config)
    async with app.run_test(size=(100, 32)) as pilot:
        await drawn(pilot, app)
        screen = app.screen
        assert isinstance(screen, WizardScreen)
        sidebar = screen.query_one("#sidebar")
        assert sidebar.marks["services"] == "untouched"
        while screen.current != "services":
            await pilot.press("]")
        await pilot.pause()
        assert screen.current == "services"
        assert sidebar.marks["services"] == "ok"


async def test_question_mark_opens_the_keys_panel_and_closes_it_again(tmp_path: Path) -> None:
    app = app_on(tmp_path, PresetStore().load("poc-standalone").config)
    async with app.run_test(size=(100, 32)) as pilot:
        await drawn(pilot, app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen.query(HelpPanel)
        await pilot.press("question_mark")
        await pilot.pause()
        assert not app.screen.query(HelpPanel)


async def test_an_export_says_where_its_hand_work_is_without_flooding_the_screen(tmp_path: Path) -> None:
    app = app_on(tmp_path, PresetStore().load("global-vwan").config)
    async with app.run_test(size=(80, 24)) as pilot:
        await drawn(pilot, app)
        target = tmp_path / "variables.yaml"
        assert app.export("ado", target)
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("comment block of variables.yaml" in m for m in messages)
        assert all("\n" not in m for m in messages), messages
        assert "stage Prod / Prod_GenAI_Project:" in target.read_text()  # the lines the toast left out


async def test_at_80_columns_the_footer_shows_every_key_whole(tmp_path: Path) -> None:
    app = app_on(tmp_path, PresetStore().load("hybrid-workshop").config)
    async with app.run_test(size=(80, 24)) as pilot:
        await drawn(pilot, app)
        keys = app.screen.query(FooterKey)
        palette = next(key for key in keys if key.has_class("-command-palette"))
        question = next(key for key in keys if key.key == "question_mark")
        assert question.region.right <= palette.region.x, "? Keys runs under the palette key"


async def test_in_the_light_theme_box_titles_and_warnings_stand_out_from_the_background(tmp_path: Path) -> None:
    app = app_on(tmp_path, PresetStore().load("enterprise-hub-spoke").config)
    async with app.run_test(size=(100, 32)) as pilot:
        app.theme = "textual-light"
        screen = app.screen
        assert isinstance(screen, WizardScreen)
        screen.show_step("environments")
        await drawn(pilot, app)
        box = screen.query_one("#env-dev")
        background = box.background_colors[1]
        border = box.styles.border_top[1]
        title = box.styles.border_title_color if box.styles.has_rule("border_title_color") else border
        warning = screen.query_one("#env-dev .field-problem.-warning").styles.color
        for seen, what, least in ((border, "border", 0.15), (title, "title", 0.3), (warning, "warning", 0.3)):
            assert abs(seen.brightness - background.brightness) > least, f"{what} {seen} on {background}"


async def test_under_no_color_an_error_mark_does_not_sink_into_the_background(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    edit = try_set(PresetStore().load("enterprise-hub-spoke").config, "network.on_premises_prefixes", "172.21.128.0/17")
    assert edit.config is not None
    app = app_on(tmp_path, edit.config)  # stage's VNet overlaps on-premises: an error
    async with app.run_test(size=(100, 32)) as pilot:
        await drawn(pilot, app)
        sidebar = app.screen.query_one("#sidebar", Sidebar)
        review = [s.id for s in sidebar.steps].index("review")
        assert sidebar.marks["review"] == "error"
        strip = sidebar.render_line(review)
        background = sidebar.background_colors[1]
        for line_filter in app.get_line_filters():
            strip = strip.apply_filter(line_filter, background)
        mark = next(segment for segment in strip if "✗" in segment.text)
        assert mark.style is not None and mark.style.color is not None
        seen = Color.from_rich_color(mark.style.color)
        behind = Color.from_rich_color(mark.style.bgcolor) if mark.style.bgcolor else background.monochrome
        assert abs(seen.brightness - behind.brightness) >= 0.3, f"✗ in {seen} on {behind}"


async def test_turning_an_environment_off_and_undoing_it_keeps_the_keyboard_on_its_switch(tmp_path: Path) -> None:
    app = app_on(tmp_path, PresetStore().load("enterprise-hub-spoke").config)
    async with app.run_test(size=(100, 32)) as pilot:
        await drawn(pilot, app)
        screen = app.screen
        assert isinstance(screen, WizardScreen)
        screen.show_step("environments")
        await pilot.pause()
        assert screen.pane("environments").focus_field("environments.dev.enabled")
        await pilot.press("enter")  # dev off: the step rebuilds its boxes
        await drawn(pilot, app)
        assert app.draft is not None and not app.draft.config.environments.dev.enabled
        await pilot.press("ctrl+z")
        await drawn(pilot, app)
        assert app.draft.config.environments.dev.enabled
        await pilot.press("enter")  # the switch still has the keyboard: off again
        await drawn(pilot, app)
        assert not app.draft.config.environments.dev.enabled


async def test_a_project_name_typed_longer_shows_whole_in_the_projects_table(tmp_path: Path) -> None:
    app = app_on(tmp_path, PresetStore().load("enterprise-hub-spoke").config)
    async with app.run_test(size=(100, 32)) as pilot:
        await drawn(pilot, app)
        screen = app.screen
        assert isinstance(screen, WizardScreen)
        screen.show_step("projects")
        await pilot.pause()
        pane = screen.pane("projects")
        assert pane.focus_field("projects.0.name")
        await pilot.press("end", *" [b]v2")
        await drawn(pilot, app)
        table = pane.query_one(DataTable)
        shown = "".join(segment.text for segment in table.render_line(1))
        assert "Customer service assistant [b]v2" in shown, shown


async def test_a_saved_preset_without_a_description_says_what_it_came_from(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    app.store.save("my-poc", PresetStore().load("global-vwan").config, extends="global-vwan")
    async with app.run_test(size=(80, 24)) as pilot:
        choices = app.screen.query_one("#choices", OptionList)
        prompt = ""
        for _ in range(200):  # names first, then (read in the background) what each one is
            await pilot.pause(0.05)
            ids = {choices.get_option_at_index(i).id for i in range(choices.option_count)}
            prompt = str(choices.get_option("user:my-poc").prompt) if "user:my-poc" in ids else ""
            if "global-vwan" in prompt or (app.screen.listed and app.screen.listed[0].description):
                break
        assert prompt.split()[-3:] == ["·", "from", "global-vwan"], prompt


async def test_an_import_that_fails_names_the_file_once(tmp_path: Path) -> None:
    missing = tmp_path / "[red]nofile.env"
    app = demo_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, StartScreen)
        screen.import_path(missing)
        await pilot.pause()
        problem = str(screen.query_one("#problem").render())
        assert problem.count(str(missing)) == 1, problem
        assert "does not exist" in problem


async def test_the_review_counts_in_words_one_vnet_and_two_warnings(tmp_path: Path) -> None:
    app = app_on(tmp_path, PresetStore().load("poc-standalone").config)
    async with app.run_test(size=(100, 32)) as pilot:
        await drawn(pilot, app)
        screen = app.screen
        assert isinstance(screen, WizardScreen)
        screen.show_step("review")
        await drawn(pilot, app)
        created = str(screen.query_one("#will-create").render())
        assert "1 VNet ·" in created and "1 registry ·" in created and "12 subnets" in created, created
        summary = str(screen.query_one("#review-summary").render())
        assert "(s)" not in summary and " warnings" in summary, summary
