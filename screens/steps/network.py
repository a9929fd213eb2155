"""Step 4: the address plan per environment, the hub or VPN it must not overlap, and what fits.

Each environment gets a box: its octet (the AI Factory's XX), the hub or virtual hub it connects
to where the mode has one, and a drawn map of its VNet from `network.plan_all`: the common
subnets, each project's block, gaps, free room and "N more fit", with the ranges it overlaps
(hub, VPN pool, on-premises, another environment) marked as `network_findings` judged them.
Propose fills a plan that overlaps nothing and says why it looks the way it does.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from screens.messages import ConfigReplaced
from screens.steps.base import StepPane
from screens.widgets.fields import ConfigField
from screens.widgets.network_map import NetworkMap, legend_text
from wizard import address_map, network
from wizard.errors import UserError
from wizard.findings import Finding
from wizard.model import ENV_NAMES, EnvName, FactoryConfig, HubSpokeZone, HybridZone, VwanZone

HUB_IDS = {"hub_spoke": ("hub_vnet_ids", "hub VNet id"), "vwan": ("virtual_hub_ids", "virtual hub")}
"""Where each hub-connected mode keeps an environment's hub, and the field's label."""


def _network_part(config: FactoryConfig) -> tuple[object, ...]:
    """What a proposal changes: the templates and every octet."""
    return (config.network, *(env.cidr_octet for _, env in config.environments_all()))


class NetworkStep(StepPane):
    """The VNet template, the hub, and per environment its octet, hub id and map."""

    STEP_ID = "network"
    DEFAULT_CSS = """
    NetworkStep ConfigField .field-label { width: 20; }
    NetworkStep ConfigField .field-problem { padding-left: 20; }
    NetworkStep .env-box { height: auto; border: round $panel-lighten-2; padding: 0 1; margin-top: 1; }
    NetworkStep .env-box.-off { color: $text-muted; }
    NetworkStep .env-off { color: $text-muted; }
    NetworkStep #legend { margin-top: 1; }
    NetworkStep #propose-row { height: auto; margin-top: 1; }
    NetworkStep #proposal { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, config: FactoryConfig, *, demo: bool) -> None:
        super().__init__(config, demo=demo)
        self._overlaps: tuple[Finding, ...] = ()
        self._proposed: tuple[object, ...] | None = None
        """The network part of the last proposal applied, while the configuration still has it."""

    # ------------------------------------------------------------------ layout

    def compose_body(self) -> ComposeResult:
        config = self.config
        zone = config.landing_zone
        yield ConfigField(config, "network.vnet_cidr", label="VNet range")
        if isinstance(zone, HubSpokeZone | VwanZone):
            yield ConfigField(config, "landing_zone.hub_address_prefixes", label="Hub ranges",
                              placeholder="none given, e.g. 10.100.0.0/22")
        if isinstance(zone, HybridZone):
            yield ConfigField(config, "landing_zone.access_paths", label="Access paths")
            yield ConfigField(config, "landing_zone.vpn_client_prefixes", label="VPN client pool",
                              placeholder="none given, e.g. 192.168.100.0/24")
        yield ConfigField(config, "network.on_premises_prefixes", label="On-premises ranges",
                          placeholder="none given, e.g. 10.0.0.0/8")
        plans = self._plans(config)
        for env in ENV_NAMES:
            yield from self._environment_box(config, env, plans)
        yield Static(legend_text(), id="legend")
        with Horizontal(id="propose-row"):
            yield Button("Propose a plan", id="propose", variant="primary", compact=True,
                         tooltip="Choose ranges and octets that overlap nothing: the hub, the VPN pool, "
                                 "on-premises, the other environments")
        proposal = Static("", id="proposal", markup=False)
        proposal.display = False
        yield proposal
        yield Static("Common subnets (XX = the environment's octet)", classes="section")
        for spec in network.COMMON_SUBNETS:
            yield ConfigField(config, f"network.{spec.template_field}", label=spec.name)
        if isinstance(zone, HubSpokeZone | VwanZone):
            yield Static("The hub's private DNS zones", classes="section")
            yield ConfigField(config, "landing_zone.dns.subscription_id", label="Subscription")
            yield ConfigField(config, "landing_zone.dns.resource_group", label="Resource group")
            yield ConfigField(config, "landing_zone.dns.records_by_policy", label="A-records by policy")

    def _environment_box(self, config: FactoryConfig, env: EnvName,
                         plans: dict[EnvName, network.EnvironmentPlan] | str) -> ComposeResult:
        enabled = config.environments.get(env).enabled
        with Vertical(classes="env-box" if enabled else "env-box -off", id=f"net-{env}") as box:
            box.border_title = self._box_title(config, env, plans)
            # labels name the environment again: the command palette lists fields by label
            yield ConfigField(config, f"environments.{env}.cidr_octet", label=f"{env} octet (XX)")
            if not enabled:
                yield Static("off: not deployed, but its octet must still differ from the others'",
                             classes="env-off", markup=False)
                return
            hub = HUB_IDS.get(config.mode)
            if hub is not None:
                yield ConfigField(config, f"landing_zone.{hub[0]}.{env}", label=f"{env} {hub[1]}",
                                  placeholder="/subscriptions/…/resourceGroups/…/providers/…")
            if isinstance(plans, str):
                yield Static(Text(plans, style="bold"), classes="map-error")
            else:
                yield NetworkMap(plans[env], self._neighbours(config, plans, env), id=f"map-{env}")

    @staticmethod
    def _box_title(config: FactoryConfig, env: EnvName, plans: dict[EnvName, network.EnvironmentPlan] | str) -> str:
        if not config.environments.get(env).enabled:
            return f"{env} (off)"
        if isinstance(plans, str) or env not in plans:
            return env
        return f"{env} · {plans[env].vnet}"

    def structure(self, config: FactoryConfig) -> object:
        zone = config.landing_zone
        enabled = tuple(name for name, _ in config.environments.enabled())
        return type(zone), enabled

    # ------------------------------------------------------------------ state

    @staticmethod
    def _plans(config: FactoryConfig) -> dict[EnvName, network.EnvironmentPlan] | str:
        """Every enabled environment's plan, or the message saying why there is none."""
        try:
            return network.plan_all(config)
        except UserError as exc:
            return str(exc)

    def _neighbours(self, config: FactoryConfig, plans: dict[EnvName, network.EnvironmentPlan],
                    env: EnvName) -> tuple[address_map.Neighbour, ...]:
        return address_map.neighbours(config, plans, env, self._overlaps)

    def show_config(self, config: FactoryConfig) -> None:
        super().show_config(config)
        if self._proposed is not None and _network_part(config) != self._proposed:
            self._proposed = None
            self.query_one("#proposal", Static).display = False
        self._redraw()

    def show_findings(self, findings: list[Finding]) -> None:
        super().show_findings(findings)
        overlaps = tuple(f for f in findings if f.code == "AIF-NET-OVERLAP")
        if overlaps != self._overlaps:
            self._overlaps = overlaps
            self._redraw()

    def _redraw(self) -> None:
        """Maps and box titles from the current configuration (a reshaped step recomposes instead)."""
        config = self.config
        plans = self._plans(config)
        for env in ENV_NAMES:
            boxes = self.query(f"#net-{env}")
            if boxes:
                boxes.first().border_title = self._box_title(config, env, plans)
            maps = self.query(f"#map-{env}").results(NetworkMap)
            for drawn in maps:
                if isinstance(plans, dict) and env in plans:
                    drawn.show(plans[env], self._neighbours(config, plans, env))

    # ------------------------------------------------------------------ propose

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id != "propose":
            return
        try:
            proposal = network.propose_plan(self.config)
        except ValueError:
            self.notify("No private range is free for every environment: remove a conflicting range "
                        "(hub, VPN pool, on-premises) or free address space", severity="warning", markup=False)
            return
        proposed = network.apply_proposal(self.config, proposal)
        self._proposed = _network_part(proposed)
        explanation = self.query_one("#proposal", Static)
        explanation.update("Proposed plan: " + " ".join(proposal.explanation) + " ctrl+z undoes it.")
        explanation.display = True
        if proposed == self.config:
            self.notify("The plan already is the proposal", markup=False)
            return
        vnets = ", ".join(f"{name} {vnet}" for name, vnet in proposal.vnets.items())
        self.post_message(ConfigReplaced(proposed, f"proposed address plan: {vnets}"))
