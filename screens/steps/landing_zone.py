"""Step 1: the landing-zone mode, with a line on when to use each and a drawing of what is built
(the words and drawings are the core's, wizard/landing_zones.py: the handover report says them too)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, Static

from screens.messages import FieldEdited
from screens.steps.base import StepPane
from screens.widgets.fields import ConfigField
from screens.widgets.toggle import ChoiceList, Toggle
from wizard.landing_zones import ACCESS_PATHS, DRAWINGS, MODES, TITLES, about
from wizard.model import FactoryConfig, HybridZone


class LandingZoneStep(StepPane):
    """Choose standalone, hub/spoke, Virtual WAN or hybrid, and the access switches."""

    STEP_ID = "landing_zone"
    DEFAULT_CSS = """
    LandingZoneStep #mode { width: 100%; }
    LandingZoneStep .access-path { height: 1; }
    LandingZoneStep .access-path .field-label { width: 30; }
    LandingZoneStep #mode-when { margin-top: 1; color: $text-muted; }
    LandingZoneStep #mode-drawing { color: $accent; margin-top: 1; }
    """

    def compose_body(self) -> ComposeResult:
        mode = self.config.mode
        yield ChoiceList(list(TITLES.items()), mode, id="mode")
        yield Static(about(mode), id="mode-when", markup=False)
        yield Static(Text(DRAWINGS[mode], no_wrap=True, overflow="crop"), id="mode-drawing")
        zone = self.config.landing_zone
        if isinstance(zone, HybridZone):
            yield Static("How people reach the services", classes="section")
            for path, title in ACCESS_PATHS.items():
                with Horizontal(classes="access-path"):
                    yield Label(title, classes="field-label", markup=False)
                    yield Toggle(path in zone.access_paths, id=f"path-{path}",
                                 tooltip=f"{title}: {HybridZone.model_fields['access_paths'].description}")
            yield ConfigField(self.config, "landing_zone.vpn_client_prefixes", label="VPN client pool",
                              placeholder="172.31.0.0/24")
        yield Static("Access", classes="section")
        for path in ("access.enable_public_genai_access", "access.allow_public_access_when_behind_vnet",
                     "access.enable_public_access_with_perimeter", "access.bastion", "access.admin_vm"):
            yield ConfigField(self.config, path)
        yield ConfigField(self.config, "access.ip_allow_list", placeholder="203.0.113.0/24,198.51.100.7")

    def structure(self, config: FactoryConfig) -> object:
        return config.mode

    def on_toggle_changed(self, event: Toggle.Changed) -> None:
        event.stop()
        zone = self.config.landing_zone
        key = (event.toggle.id or "").removeprefix("path-")
        if not isinstance(zone, HybridZone) or key not in ACCESS_PATHS:
            return
        paths = [p for p in ACCESS_PATHS if (p == key and event.value) or (p != key and p in zone.access_paths)]
        self.post_message(FieldEdited("landing_zone.access_paths", paths))

    def on_choice_list_chosen(self, event: ChoiceList.Chosen) -> None:
        event.stop()
        if event.value in MODES and event.value != self.config.mode:
            self.post_message(FieldEdited("landing_zone.mode", event.value))

    def show_config(self, config: FactoryConfig) -> None:
        super().show_config(config)
        mode = config.mode
        self.query_one("#mode-when", Static).update(about(mode))
        self.query_one("#mode-drawing", Static).update(Text(DRAWINGS[mode], no_wrap=True, overflow="crop"))
        self.query_one("#mode", ChoiceList).choose(mode)
        zone = config.landing_zone
        if isinstance(zone, HybridZone):
            for toggle in self.query(Toggle):
                key = (toggle.id or "").removeprefix("path-")
                if key in ACCESS_PATHS:
                    toggle.value = key in zone.access_paths
