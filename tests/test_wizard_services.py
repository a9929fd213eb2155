"""The services step through Pilot and snapshots: switches bring what they need, and say why."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wizard_pilot import app_on, drawn, show_step

from presets.store import PresetStore
from screens.app import WizardApp
from screens.steps.services import ServicesStep
from screens.widgets.fields import field_dom_id
from screens.widgets.flags import FlagField
from screens.widgets.toggle import Toggle
from wizard.model import FactoryConfig


def poc(**services: bool) -> FactoryConfig:
    """poc-standalone with some switches set."""
    config = PresetStore().load("poc-standalone").config
    return config.model_copy(update={"services": config.services.model_copy(update=services)})


async def show_services(pilot: Any, app: WizardApp) -> ServicesStep:
    step = await show_step(pilot, app, "services")
    assert isinstance(step, ServicesStep)
    return step


def row(step: ServicesStep, path: str) -> FlagField:
    return step.query_one(f"#{field_dom_id(path)}", FlagField)


async def flip(pilot: Any, field: FlagField) -> None:
    """Focus a switch and press space, as a person at the keyboard does."""
    field.query_one(Toggle).focus()
    await pilot.press("space")
    await pilot.pause()


async def test_the_capability_host_turns_on_cosmos_db_and_says_so(tmp_path: Path) -> None:
    app = app_on(tmp_path, poc())
    async with app.run_test(size=(100, 32)) as pilot:
        step = await show_services(pilot, app)
        caphost = row(step, "services.foundry_caphost")
        assert "needs AI Foundry, Azure Cosmos DB, Azure AI Search" in str(caphost.query_one(".flag-needs").render())
        await flip(pilot, caphost)
        assert app.draft is not None
        assert app.draft.config.services.foundry_caphost and app.draft.config.services.cosmos_db
        note = str(caphost.query_one(".flag-note").render())
        assert "Turned on Azure Cosmos DB too" in note and "agent threads" in note
        assert row(step, "services.cosmos_db").query_one(Toggle).value is True
        assert "AIF-CAPHOST-COSMOS" not in {f.code for f in app.live_state.offline}
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert not (app.draft.config.services.foundry_caphost or app.draft.config.services.cosmos_db)
        assert row(step, "services.cosmos_db").query_one(Toggle).value is False


async def test_turning_off_ai_foundry_takes_what_needs_it_along_and_names_them(tmp_path: Path) -> None:
    app = app_on(tmp_path, poc())
    async with app.run_test(size=(100, 32)) as pilot:
        step = await show_services(pilot, app)
        await flip(pilot, row(step, "services.ai_foundry"))
        assert app.draft is not None
        services = app.draft.config.services
        assert not (services.ai_foundry or services.agent_network_injection or services.ai_search_shared_private_link)
        note = str(row(step, "services.ai_foundry").query_one(".flag-note").render())
        assert "Turned off Agent network injection" in note and "Turned off AI Search shared private links" in note
        assert row(step, "services.agent_network_injection").query_one(Toggle).value is False


async def test_an_idle_switch_says_what_it_waits_for_until_its_gate_opens(tmp_path: Path) -> None:
    app = app_on(tmp_path, poc())
    async with app.run_test(size=(100, 32)) as pilot:
        step = await show_services(pilot, app)
        aks = row(step, "services.aks_for_azure_ml")
        needs = aks.query_one(".flag-needs")
        assert "idle: waits for Azure Machine Learning" in str(needs.render()) and needs.has_class("-idle")
        aml = row(step, "services.azure_ml")
        await flip(pilot, aml)
        assert "AKS for Azure ML was already on and now takes effect" in str(aml.query_one(".flag-note").render())
        assert str(needs.render()) == "needs Azure Machine Learning" and not needs.has_class("-idle")


# --------------------------------------------------------------------------- snapshots
# Offline (not signed in): the step looks as in demo mode less the banner, without waiting on live checks.


def test_snapshot_services_after_turning_on_the_capability_host(tmp_path: Path, snap_compare: Any) -> None:
    app = app_on(tmp_path, poc())

    async def before(pilot: Any) -> None:
        step = await show_services(pilot, app)
        await flip(pilot, row(step, "services.foundry_caphost"))
        await pilot.pause()
        app.clear_notifications()

    assert snap_compare(app, terminal_size=(100, 32), run_before=before)


def test_snapshot_services_security_in_the_light_theme(tmp_path: Path, snap_compare: Any) -> None:
    app = app_on(tmp_path, poc())

    async def before(pilot: Any) -> None:
        app.theme = "textual-light"
        step = await show_services(pilot, app)
        await flip(pilot, row(step, "security.cmk"))
        await drawn(pilot, app)
        app.clear_notifications()
        step.scroll_end(animate=False)
        await drawn(pilot, app)

    assert snap_compare(app, terminal_size=(100, 32), run_before=before)
