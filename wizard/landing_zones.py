"""What each landing-zone mode is, when to use it, and a sketch of what it builds.

Shared knowledge, not UI: the wizard's landing-zone step and the handover report both say it,
so it lives in the core (no Textual) and both read it from here.
"""

from __future__ import annotations

from wizard.model import FactoryConfig, HubSpokeZone, HybridZone, LandingZoneMode, Model, StandaloneZone, VwanZone

MODES: dict[LandingZoneMode, type[Model]] = {
    "standalone": StandaloneZone, "hub_spoke": HubSpokeZone, "vwan": VwanZone, "hybrid": HybridZone,
}
"""The four modes; each one's description comes from its model's `mode` field."""

TITLES: dict[LandingZoneMode, str] = {
    "standalone": "Standalone", "hub_spoke": "Hub and spoke", "vwan": "Virtual WAN",
    "hybrid": "Hybrid (private + allow-listed public)",
}

WHEN: dict[LandingZoneMode, str] = {
    "standalone": "A proof of concept or a workshop: nothing to connect to, the factory brings its own DNS.",
    "hub_spoke": "An enterprise landing zone with a hub VNet: private only, DNS zones in the hub.",
    "vwan": "The organisation routes through Azure Virtual WAN: each environment joins a virtual hub.",
    "hybrid": "People reach services from known IPs, a VPN or Bastion, beside private endpoints.",
}

ACCESS_PATHS = {"ip_allow_list": "IP allow-list", "vpn": "Point-to-site VPN", "bastion": "Azure Bastion"}
"""Hybrid mode's ways in besides the private endpoints (the model's PublicAccessPath values)."""

DRAWINGS: dict[LandingZoneMode, str] = {
    "standalone": (
        "┌ dev VNet (own) ───────────────┐\n"
        "│ common │ prj001 │ prj002 │ …  │\n"
        "└──────┬────────────────────────┘\n"
        "       └ private DNS zones in the common RG"
    ),
    "hub_spoke": (
        "        ┌ hub VNet ┐  DNS zones, firewall\n"
        "        └────┬─────┘\n"
        "   peering ┌─┴───────┬────────┐\n"
        "         dev      stage     prod"
    ),
    "vwan": (
        "   ┌ Virtual WAN hub ──────────┐\n"
        "   └──┬──────────┬─────────┬───┘\n"
        " connection  connection  connection\n"
        "     dev        stage      prod"
    ),
    "hybrid": (
        "people ─ IP allow-list ─┐\n"
        "       ─ VPN ───────────┼─▶ ┌ dev VNet ┐\n"
        "       ─ Bastion ───────┘   │ private  │\n"
        "                            │ endpoints│\n"
        "                            └──────────┘"
    ),
}
"""The wizard's landing-zone step's sketch of each mode (box-drawing characters, at most 45 columns): a
generic picture for choosing a mode; the report draws the configuration's own (`wizard.drawing`)."""


def about(mode: LandingZoneMode) -> str:
    """The mode's description (from the model) and when to use it, on two lines."""
    description = MODES[mode].model_fields["mode"].description or ""
    return f"{description}\n{WHEN[mode]}"


def access_paths(config: FactoryConfig) -> list[str]:
    """How people reach the services, as titles: hybrid's paths, else what the access switches open."""
    zone = config.landing_zone
    paths = [ACCESS_PATHS[p] for p in zone.access_paths] if isinstance(zone, HybridZone) else []
    if config.access.bastion and ACCESS_PATHS["bastion"] not in paths:
        paths.append(ACCESS_PATHS["bastion"])
    if config.access.ip_allow_list and ACCESS_PATHS["ip_allow_list"] not in paths:
        paths.append(ACCESS_PATHS["ip_allow_list"])
    return paths
