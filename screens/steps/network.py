"""Step 4: the address plan per environment, the hub to connect to, and how many projects fit."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Static

from screens.messages import ConfigReplaced
from screens.steps.base import StepPane
from screens.widgets.fields import ConfigField
from wizard import network
from wizard.errors import UserError
from wizard.model import ENV_NAMES, FactoryConfig, HubSpokeZone, VwanZone


def plan_text(config: FactoryConfig) -> Text:
    """Each enabled environment's VNet, common subnets, projects and room left, as lines."""
    text = Text()
    try:
        plans = network.plan_all(config)
    except UserError as exc:
        text.append(str(exc), style="red")
        return text
    for name, plan in plans.items():
        text.append(f"{name:<6}", style="bold")
        text.append(f" {plan.vnet}  ")
        text.append(f"{len(plan.projects)} project(s) placed, ")
        if plan.unplaced:
            text.append(f"{', '.join(plan.unplaced)} do not fit, ", style="red")
        text.append(f"{plan.capacity_left} more fit\n", style="green" if plan.capacity_left else "yellow")
    return text


class NetworkStep(StepPane):
    """The VNet template, each environment's octet, the hub, and the plan they give."""

    STEP_ID = "network"
    DEFAULT_CSS = """
    NetworkStep #plan { height: auto; border: round $panel-lighten-2; padding: 0 1; }
    NetworkStep Horizontal { height: auto; }
    """

    def compose_body(self) -> ComposeResult:
        yield ConfigField(self.config, "network.vnet_cidr", label="VNet range")
        for env in ENV_NAMES:
            yield ConfigField(self.config, f"environments.{env}.cidr_octet", label=f"{env} octet (XX)")
        zone = self.config.landing_zone
        if isinstance(zone, HubSpokeZone):
            for env in ENV_NAMES:
                if env in zone.hub_vnet_ids:
                    yield ConfigField(self.config, f"landing_zone.hub_vnet_ids.{env}", label=f"{env} hub VNet id")
        elif isinstance(zone, VwanZone):
            for env in ENV_NAMES:
                if env in zone.virtual_hub_ids:
                    yield ConfigField(self.config, f"landing_zone.virtual_hub_ids.{env}", label=f"{env} virtual hub")
        yield Static(plan_text(self.config), id="plan")
        with Horizontal():
            yield Button("Propose a plan", id="propose", variant="primary",
                         tooltip="Choose octets and ranges that overlap nothing (hub, other environments, on-premises)")

    def show_config(self, config: FactoryConfig) -> None:
        super().show_config(config)
        self.query_one("#plan", Static).update(plan_text(config))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "propose":
            try:
                proposal = network.propose_plan(self.config)
            except ValueError:
                self.notify("No private range is free for every environment", severity="warning")
                return
            self.post_message(ConfigReplaced(network.apply_proposal(self.config, proposal), "proposed address plan"))

    def structure(self, config: FactoryConfig) -> object:
        zone = config.landing_zone
        ids = zone.hub_vnet_ids if isinstance(zone, HubSpokeZone) else \
            zone.virtual_hub_ids if isinstance(zone, VwanZone) else {}
        return config.mode, tuple(ids)
