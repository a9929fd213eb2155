"""The network step through Pilot and snapshots: the drawn plan, overlaps marked, Propose fixes them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input
from wizard_pilot import app_on, show_step

from presets.store import PresetStore
from screens.app import WizardApp
from screens.steps.network import NetworkStep
from screens.widgets.fields import ConfigField, field_dom_id
from screens.widgets.network_map import NetworkMap
from screens.widgets.toggle import Toggle
from wizard.edit import try_set
from wizard.model import FactoryConfig


def edited(preset: str, **values: Any) -> FactoryConfig:
    """A built-in preset with some fields set (dotted paths with `__` for dots)."""
    config = PresetStore().load(preset).config
    for path, value in values.items():
        edit = try_set(config, path.replace("__", "."), value)
        assert edit.config is not None, edit.problems
        config = edit.config
    return config


async def show_network(pilot: Any, app: WizardApp) -> NetworkStep:
    step = await show_step(pilot, app, "network")
    assert isinstance(step, NetworkStep)
    return step


def drawn(step: NetworkStep, env: str) -> str:
    return step.query_one(f"#map-{env}", NetworkMap).render().plain


HUB_ON_DEV = {"landing_zone__hub_address_prefixes": "172.20.0.0/22,10.100.0.0/22"}
"""enterprise-hub-spoke with a hub range inside dev's VNet (172.20.0.0/16)."""


async def test_the_map_shows_what_fits_and_propose_fixes_an_overlap_with_the_hub(tmp_path: Path) -> None:
    app = app_on(tmp_path, edited("enterprise-hub-spoke", **HUB_ON_DEV))
    async with app.run_test(size=(100, 32)) as pilot:
        step = await show_network(pilot, app)
        stage = drawn(step, "stage")
        assert "c001━002━003━░" in stage and "29 more projects fit · 3 placed" in stage
        assert step.query_one("#net-stage").border_title == "stage · 172.21.0.0/16"
        assert "✗✗001" in drawn(step, "dev") and "✗ overlaps the hub 172.20.0.0/22" in drawn(step, "dev")
        assert "AIF-NET-OVERLAP" in {f.code for f in app.live_state.offline}
        step.query_one("#propose").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.draft is not None
        octets = [env.cidr_octet for _, env in app.draft.config.environments.enabled()]
        assert octets == [16, 18, 19]  # 17 is Docker's bridge
        assert "AIF-NET-OVERLAP" not in {f.code for f in app.live_state.offline}
        assert "✗" not in drawn(step, "dev") and step.query_one("#net-dev").border_title == "dev · 172.16.0.0/16"
        explanation = str(step.query_one("#proposal").render())
        assert "172.17.0.0/16 is skipped because it is Docker's default bridge" in explanation
        assert "They avoid 172.20.0.0/22, 10.100.0.0/22" in explanation
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.draft.config.environments.dev.cidr_octet == 20
        assert not step.query_one("#proposal").display


async def test_hybrid_shows_access_paths_and_the_vpn_pool_and_marks_the_overlap(tmp_path: Path) -> None:
    config = edited("hybrid-workshop", landing_zone__access_paths=["ip_allow_list", "bastion"],
                    landing_zone__vpn_client_prefixes="172.16.200.0/24")
    app = app_on(tmp_path, config)
    async with app.run_test(size=(100, 32)) as pilot:
        step = await show_network(pilot, app)
        assert "✗ overlaps the VPN pool 172.16.200.0/24" in drawn(step, "dev")
        assert "·c" in drawn(step, "dev")  # octet 61: the common subnets sit at .61.0, the calculator skips below
        field = step.query_one(f"#{field_dom_id('landing_zone.access_paths')}", ConfigField)
        vpn = next(t for t in field.query(Toggle) if t.label == "vpn")
        assert [t.label for t in field.query(Toggle)] == ["ip allow list", "vpn", "bastion"]
        await pilot.click(vpn)
        await pilot.pause()
        assert app.draft is not None
        assert app.draft.config.landing_zone.access_paths == ["ip_allow_list", "vpn", "bastion"]  # type: ignore[union-attr]
        assert step.query_one("#net-stage").border_title == "stage (off)"
        assert not step.query("#map-stage")


async def test_a_missing_hub_id_can_be_typed_and_a_dns_finding_lands_on_its_first_field(tmp_path: Path) -> None:
    config = edited("enterprise-hub-spoke", landing_zone__dns__resource_group="")
    data = config.model_dump()
    del data["landing_zone"]["hub_vnet_ids"]["prod"]
    app = app_on(tmp_path, FactoryConfig.model_validate(data))
    async with app.run_test(size=(100, 32)) as pilot:
        step = await show_network(pilot, app)
        assert step.focus_field("landing_zone.dns")
        await pilot.pause()
        assert app.focused is not None and app.focused.id is None
        focused_field = app.focused.parent.parent  # type: ignore[union-attr]
        assert isinstance(focused_field, ConfigField) and focused_field.path == "landing_zone.dns.subscription_id"
        hub = step.query_one(f"#{field_dom_id('landing_zone.hub_vnet_ids.prod')}", ConfigField)
        hub.focus_control()
        vnet = ("/subscriptions/3e4f8b5d-a06c-4db1-8f94-5c3ab17eac44/resourceGroups/rg-hub-network/providers/"
                "Microsoft.Network/virtualNetworks/vnet-hub-weu")
        hub.query_one(Input).insert_text_at_cursor(vnet)  # pasted, as one does with a resource id
        await pilot.pause()
        assert app.draft is not None
        assert app.draft.config.landing_zone.hub_vnet_ids["prod"] == vnet  # type: ignore[union-attr]
        assert "AIF-ZONE-HUB-MISSING" not in {f.code for f in app.live_state.offline}


# --------------------------------------------------------------------------- snapshots
# Offline (not signed in): the step looks as in demo mode less the banner, without waiting on live checks.


def test_snapshot_network_step_with_an_overlap(tmp_path: Path, snap_compare: Any) -> None:
    app = app_on(tmp_path, edited("enterprise-hub-spoke", **HUB_ON_DEV))

    async def before(pilot: Any) -> None:
        await show_network(pilot, app)

    assert snap_compare(app, terminal_size=(100, 32), run_before=before)


def test_snapshot_network_step_no_color_at_80_columns(tmp_path: Path, snap_compare: Any,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    config = edited("enterprise-hub-spoke", network__on_premises_prefixes="172.21.128.0/17")
    app = app_on(tmp_path, config)

    async def before(pilot: Any) -> None:
        step = await show_network(pilot, app)
        step.scroll_to_widget(step.query_one("#net-stage"), top=True, animate=False)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=before)
