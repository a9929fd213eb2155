"""The SKU and Projects steps through Pilot and snapshots, in demo mode on the sandbox: quota bars
that turn red past the quota and a fix that lowers the capacity, the cost panel following the
SKUs, and projects added, cloned, removed and renumbered from the keyboard."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.widgets import Button, Input, Select
from wizard_pilot import app_on, demo_app, settle, show_step

from presets.store import PresetStore
from screens.app import WizardApp
from screens.messages import FieldEdited
from screens.steps.projects import ProjectsStep, ProjectTable
from screens.steps.skus import SkusStep
from screens.widgets.cost_panel import CostPanel
from screens.widgets.fields import ConfigField, field_dom_id
from screens.widgets.findings import FindingRow
from screens.widgets.quota_bars import QuotaBars
from screens.wizard_screen import WizardScreen
from wizard.cost import estimate
from wizard.findings import SetField
from wizard.model import FactoryConfig
from wizard.prices import load_snapshot
from wizard.quota import Bar, Usage


def gpt_bar(step: SkusStep, env: str = "dev") -> Bar:
    return next(b for b in step.query_one(f"#quota-{env}", QuotaBars).bars if b.need.label.startswith("gpt-5.1"))


def numbers(app: WizardApp) -> list[str]:
    assert app.draft is not None
    return [p.number for p in app.draft.config.projects]


async def test_a_capacity_past_the_quota_turns_red_at_once_and_its_fix_lowers_it(tmp_path: Path) -> None:
    app = demo_app(tmp_path, "poc-standalone")
    async with app.run_test(size=(100, 32)) as pilot:
        step = await show_step(pilot, app, "skus")
        assert isinstance(step, SkusStep)
        assert gpt_bar(step).usage == Usage(0, 1000) and not gpt_bar(step).over
        field = step.query_one(f"#{field_dom_id('skus.models.0.capacity')}", ConfigField)
        field.focus_control()
        await pilot.press("end", "backspace", "backspace", *"1200")
        await pilot.pause()
        bar = gpt_bar(step)  # red before any live check ran: the need is computed on every change
        assert bar.over and bar.finding is not None and bar.finding.fix == SetField("skus.models.0.capacity", 1000)
        drawn = step.query_one("#quota-dev", QuotaBars).render().plain
        assert "✗ gpt-5.1 GlobalStandard  0 used + 1200 this plan of 1000 K TPM" in drawn and "✗✗" in drawn
        await settle(pilot, app)
        live = [f for f in app.live_state.findings if f.code == "AIF-LIVE-TPM"]
        assert len(live) == 1 and live[0].message == bar.finding.message  # the check says the same
        assert "over the quota in dev" in str(field.query_one(".field-problem").render())
        row = step.query_one("#quota-findings-dev").query_one(FindingRow)
        row.query_one(Button).press()
        await settle(pilot, app)
        assert app.draft is not None and app.draft.config.skus.models[0].capacity == 1000
        assert not gpt_bar(step).over and "AIF-LIVE-TPM" not in {f.code for f in app.live_state.findings}
        assert not step.query("#quota-findings-dev FindingRow")


async def test_the_cost_panel_follows_the_skus(tmp_path: Path) -> None:
    app = demo_app(tmp_path, "poc-standalone")
    async with app.run_test(size=(100, 32)) as pilot:
        step = await show_step(pilot, app, "skus")
        snapshot, _ = load_snapshot()

        def shown() -> str:
            console = Console(width=200, no_color=True, color_system=None)
            with console.capture() as text:
                console.print(step.query_one("#cost-dev", CostPanel).content)
            return text.get()

        assert app.draft is not None
        before = estimate(app.draft.config, snapshot).environments[0].total
        assert f"≈ {before:,.2f} USD a month · prices of {snapshot.snapshot.retrieved.isoformat()} in USD" in shown()
        assert "assumes 1 GB/day (log_gb_per_day)" in shown()
        step.query_one(f"#{field_dom_id('skus.acr_sku')}", ConfigField).query_one(Select).value = "Basic"
        await settle(pilot, app)
        after = estimate(app.draft.config, snapshot).environments[0].total
        assert app.draft.config.skus.acr_sku == "Basic" and after < before
        assert f"≈ {after:,.2f} USD a month" in shown()


async def test_add_three_clone_remove_and_renumber_projects_from_the_keyboard(tmp_path: Path) -> None:
    app = app_on(tmp_path, PresetStore().load("poc-standalone").config)
    async with app.run_test(size=(100, 32)) as pilot:
        step = await show_step(pilot, app, "projects")
        assert isinstance(step, ProjectsStep)
        table = step.query_one(ProjectTable)
        table.focus()
        await pilot.press("a", "a", "a")
        await pilot.pause()
        assert numbers(app) == ["001", "002", "003", "004"] and table.row_count == 4
        assert table.cursor_row == 3 and step.query_one("#project-detail").border_title == "project 004"
        await pilot.press("up", "up", "c")  # clone 002: 003 is taken, so the copy is 005, right after 002
        await pilot.pause()
        assert numbers(app) == ["001", "002", "005", "003", "004"] and table.cursor_row == 2
        await pilot.press("up", "up", "d")
        await pilot.pause()
        assert numbers(app) == ["002", "005", "003", "004"]
        await pilot.press("r")
        await pilot.pause()
        assert numbers(app) == ["001", "002", "003", "004"]
        assert [str(table.get_row_at(i)[0]) for i in range(4)] == ["001", "002", "003", "004"]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert numbers(app) == ["002", "005", "003", "004"]


async def test_a_projects_name_and_services_are_edited_below_the_table(tmp_path: Path) -> None:
    app = app_on(tmp_path, PresetStore().load("enterprise-hub-spoke").config)
    async with app.run_test(size=(100, 32)) as pilot:
        step = await show_step(pilot, app, "projects")
        table = step.query_one(ProjectTable)
        table.focus()
        await pilot.press("down")
        await pilot.pause()
        name = step.query_one(f"#{field_dom_id('projects.1.name')}", ConfigField)
        name.focus_control()
        await pilot.press("end", *" [v2]")
        await pilot.pause()
        assert app.draft is not None and app.draft.config.projects[1].name == "Document intelligence [v2]"
        assert str(table.get_row_at(1)[1]) == "Document intelligence [v2]"  # brackets kept: never markup
        toggles = step.query_one("#project-services")
        search = next(t for t in toggles.query("Toggle") if "Search" in str(t.render()))
        search.focus()
        await pilot.press("space")
        await pilot.pause()
        assert app.draft.config.projects[1].services == {"ai_search": False}
        assert str(table.get_row_at(1)[4]) == "−1"


async def test_a_duplicate_number_finding_jumps_to_that_projects_field(tmp_path: Path) -> None:
    app = app_on(tmp_path, PresetStore().load("enterprise-hub-spoke").config)
    async with app.run_test(size=(100, 32)) as pilot:
        step = await show_step(pilot, app, "projects")
        number = step.query_one(f"#{field_dom_id('projects.0.number')}", ConfigField)
        number.focus_control()
        await pilot.press("end", "backspace", "backspace", "backspace", *"003")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WizardScreen)
        screen.show_step("review")
        await pilot.pause()
        row = next(r for r in screen.query(FindingRow) if r.finding.code == "AIF-PRJ-DUPLICATE")
        assert row.finding.field == "projects.0.number"
        row.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert screen.current == "projects"
        focused = app.focused.parent.parent  # type: ignore[union-attr]
        assert isinstance(focused, ConfigField) and focused.path == "projects.0.number"


@pytest.fixture
def steady(monkeypatch: pytest.MonkeyPatch) -> None:
    """No animation: frames are the same every run."""
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")


def _on(step_id: str, scroll_to: str = "") -> Any:
    async def run_before(pilot: Any) -> None:
        await show_step(pilot, pilot.app, step_id)
        await settle(pilot, pilot.app)
        if scroll_to:
            screen = pilot.app.screen
            pane = screen.pane(step_id)
            pane.scroll_to_widget(pane.query_one(scroll_to), animate=False, top=True)
            await pilot.pause()

    return run_before


@pytest.mark.usefixtures("steady")
def test_skus_step_at_100x32(snap_compare: Any, tmp_path: Path) -> None:
    """Prod's box: the gpt-5.1 and AI Search bars red, their findings and fixes, the cost."""
    assert snap_compare(demo_app(tmp_path, "enterprise-hub-spoke"), run_before=_on("skus", "#skus-prod"),
                        terminal_size=(100, 32))


@pytest.mark.usefixtures("steady")
def test_projects_step_at_100x32(snap_compare: Any, tmp_path: Path) -> None:
    assert snap_compare(demo_app(tmp_path, "enterprise-hub-spoke"), run_before=_on("projects"),
                        terminal_size=(100, 32))


@pytest.mark.usefixtures("steady")
def test_skus_step_at_80x24(snap_compare: Any, tmp_path: Path) -> None:
    assert snap_compare(demo_app(tmp_path, "enterprise-hub-spoke"), run_before=_on("skus", "#skus-prod"),
                        terminal_size=(80, 24))


async def test_vm_sizes_show_with_azure_ml_and_a_short_vcpu_family_turns_red(tmp_path: Path) -> None:
    app = demo_app(tmp_path, "enterprise-hub-spoke")
    async with app.run_test(size=(100, 32)) as pilot:
        step = await show_step(pilot, app, "skus")
        assert step.query(".no-vms") and not step.query(f"#{field_dom_id('environments.stage.compute.aks_node_sku')}")
        screen = app.screen
        assert isinstance(screen, WizardScreen)
        services = screen.pane("services")
        services.post_message(FieldEdited("services.azure_ml", True))
        await settle(pilot, app)
        await settle(pilot, app)
        nodes = step.query_one(f"#{field_dom_id('environments.stage.compute.aks_node_count')}", ConfigField)
        stage = {b.need.label: b for b in step.query_one("#quota-stage", QuotaBars).bars}
        dsv2 = stage["standardDSv2Family vCPUs"]  # 96 of 100 used in the demo's stage subscription
        assert dsv2.usage == Usage(96, 100) and dsv2.over and dsv2.need.amount == 3 * 3 * 8
        assert dsv2.finding is not None and dsv2.finding.code == "AIF-LIVE-VCPU"
        assert "AIF-LIVE-VCPU" in {f.code for f in app.live_state.findings}
        size = step.query_one(f"#{field_dom_id('environments.stage.compute.aks_node_sku')}", ConfigField)
        size.control.value = "Standard_D4s_v3"  # another family: 3 projects x 3 nodes x 4 vCPUs of 100 free
        await settle(pilot, app)
        stage = {b.need.label: b for b in step.query_one("#quota-stage", QuotaBars).bars}
        assert "standardDSv2Family vCPUs" not in stage and not stage["standardDSv3Family vCPUs"].over
        assert stage["standardDSv3Family vCPUs"].usage == Usage(0, 100)
        assert stage["standardDSv3Family vCPUs"].need.amount == 36 and nodes.spec.kind == "int"


async def test_a_model_added_from_the_catalog_gets_its_fields_and_bar_and_is_removed(tmp_path: Path) -> None:
    app = demo_app(tmp_path, "poc-standalone")
    async with app.run_test(size=(100, 32)) as pilot:
        step = await show_step(pilot, app, "skus")
        step.query_one("#model-add", Select).value = "gpt-4o"
        await settle(pilot, app)
        assert app.draft is not None and [d.model for d in app.draft.config.skus.models][-1] == "gpt-4o"
        assert step.query_one(f"#{field_dom_id('skus.models.2.capacity')}", ConfigField)
        bars = {b.need.label: b for b in step.query_one("#quota-dev", QuotaBars).bars}
        assert bars["gpt-4o Standard"].usage == Usage(0, 1000) and bars["gpt-4o Standard"].need.amount == 30
        step.query_one("#model-remove-0", Button).press()
        await settle(pilot, app)
        assert [d.model for d in app.draft.config.skus.models] == ["text-embedding-3-large", "gpt-4o"]


async def test_cost_assumptions_typed_in_the_step_change_the_estimate_or_say_what_is_wrong(tmp_path: Path) -> None:
    app = app_on(tmp_path, PresetStore().load("poc-standalone").config)
    async with app.run_test(size=(100, 32)) as pilot:
        step = await show_step(pilot, app, "skus")
        assert isinstance(step, SkusStep)
        assume = step.query_one("#assume", Input)
        assume.focus()
        await pilot.press(*"search_replicas=3")
        await pilot.pause()
        assert step.assumptions.search_replicas == 3
        snapshot, _ = load_snapshot()
        assert app.draft is not None
        expected = estimate(app.draft.config, snapshot, step.assumptions).environments[0]
        search = next(line for line in expected.lines if line.item.startswith("AI Search"))
        assert search.quantity == 3 * 730 and "3 replica(s)" in search.basis
        await pilot.press(*" replicas=2")
        await pilot.pause()
        problem = step.query_one("#assume-problem")
        assert problem.display and "replicas: unknown assumption" in str(problem.render())
        assert "search_replicas" in str(problem.render())  # the hint names the close match
        assert step.assumptions.search_replicas == 3  # the last good value stays


async def test_two_hundred_projects_in_the_table_and_one_more(tmp_path: Path) -> None:
    data = PresetStore().load("poc-standalone").config.model_dump(mode="python", round_trip=True)
    data["network"].update(vnet_cidr="10.0.0.0/8", common_subnet_cidr="10.0.XX.0/26",
                           common_scoring_subnet_cidr="10.0.XX.64/26", common_pbi_subnet_cidr="10.0.XX.128/26",
                           common_bastion_subnet_cidr="10.0.XX.192/26")
    data["projects"] = [{"number": f"{n:03d}", "name": f"team {n}"} for n in range(1, 201)]
    app = app_on(tmp_path, FactoryConfig.model_validate(data))
    async with app.run_test(size=(100, 32)) as pilot:
        step = await show_step(pilot, app, "projects")
        table = step.query_one(ProjectTable)
        assert table.row_count == 200 and "dev 799 more" in str(step.query_one("#room").render())
        foot = step.query_one("#step-findings")  # 200 projects without members: 12 rows, the rest counted
        assert len(foot.query(FindingRow)) == 12 and "more; the review lists every one" in str(
            foot.query_one(".more").render())
        table.focus()
        await pilot.press("end", "a")
        await pilot.pause()
        assert table.row_count == 201 and str(table.get_row_at(200)[0]) == "201" and table.cursor_row == 200
        assert "dev 798 more" in str(step.query_one("#room").render())
