"""Step 6: tiers, model capacity and VM sizes, with each environment's quota bars and monthly cost.

The bars come from `wizard.quota`: what the configuration needs (computed here, at once, on every
change) against the usages the live session last read (in the App's worker, never on this
thread). Raising a capacity past what is free turns its bar red before any check runs, with the
same finding and fix the live check will report; the cost panels follow every change too.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from screens.messages import ConfigReplaced
from screens.steps.base import StepPane
from screens.widgets.cost_panel import CostPanel
from screens.widgets.fields import ConfigField
from screens.widgets.findings import FindingList
from screens.widgets.quota_bars import LEGEND, QuotaBars
from wizard import model_deployments, quota
from wizard.cost import Assumptions, parse_assumptions
from wizard.edit import Edit
from wizard.errors import UserError
from wizard.findings import Finding
from wizard.live_state import LiveState
from wizard.model import FactoryConfig
from wizard.prices import PriceSnapshot

TIERS = {
    "skus.ai_search_tier": "AI Search tier",
    "skus.semantic_tier": "Semantic ranker",
    "skus.acr_sku": "Container registry",
    "skus.aks_sku_tier": "AKS tier",
    "skus.aks_version": "AKS version",
}
"""The shared tiers, with their labels."""

COMPUTE = {
    "aks_node_sku": "AKS node size",
    "aks_node_count": "AKS nodes",
    "aml_cluster_sku": "AML cluster size",
    "aml_cluster_max_nodes": "AML cluster max nodes",
    "compute_instance_sku": "AML instance size",
}
"""An environment's VM sizes and counts (`environments.<env>.compute`), with their labels."""

BAR_CODES = frozenset({"AIF-LIVE-TPM", "AIF-LIVE-VCPU", "AIF-LIVE-SEARCH-QUOTA"})
"""Over-quota findings: each environment's bars show them with their fix, not the step's foot."""


def _needs_vms(config: FactoryConfig) -> bool:
    return config.services.aks or config.services.azure_ml


class SkusStep(StepPane):
    """The shared tiers and models, then one box per environment: VM sizes, quota bars, cost."""

    STEP_ID = "skus"
    DEFAULT_CSS = """
    SkusStep .env-box { height: auto; border: round $panel-lighten-2; padding: 0 1; margin-top: 1; }
    SkusStep .legend, SkusStep .no-vms { color: $text-muted; }
    SkusStep .env-box > .section { margin: 0; }
    SkusStep #model-actions { height: auto; margin-top: 1; }
    SkusStep #model-actions Select { width: 24; margin-right: 1; }
    SkusStep #model-actions Button { margin-right: 1; min-width: 8; }
    SkusStep #assumptions { height: auto; margin-top: 1; }
    SkusStep .assume-label { width: 29; }
    SkusStep #assume { width: 1fr; }
    SkusStep #assume-problem { color: $error; padding-left: 29; height: auto; }
    SkusStep ConfigField .field-label { width: 29; }
    SkusStep ConfigField .field-problem { padding-left: 29; }
    """

    def __init__(self, config: FactoryConfig, *, demo: bool) -> None:
        super().__init__(config, demo=demo)
        self._state: LiveState | None = None
        self._live = False
        self._snapshot: PriceSnapshot | str | None = None
        self.assumptions = Assumptions()
        """What the cost panels assume (the person may change it here; it is not part of the configuration)."""

    def compose_body(self) -> ComposeResult:
        yield Static("Shared tiers", classes="section")
        for path, label in TIERS.items():
            yield ConfigField(self.config, path, label=label)
        yield Static("Models: capacity per project, in thousands of tokens a minute", classes="section")
        for index, deployment in enumerate(self.config.skus.models):
            yield ConfigField(self.config, f"skus.models.{index}.sku", label=f"{deployment.model} type")
            yield ConfigField(self.config, f"skus.models.{index}.capacity", label=f"{deployment.model} K TPM")
        with Horizontal(id="model-actions"):
            addable = model_deployments.addable(self.config)
            yield Select([(name, name) for name in addable], prompt="add a model…", id="model-add", compact=True,
                         disabled=not addable, tooltip="Deploy another model of the catalog in every project")
            for index, deployment in enumerate(self.config.skus.models):
                yield Button(Text(f"✗ {deployment.model}"), id=f"model-remove-{index}", compact=True,
                             tooltip=f"Remove the {deployment.model} deployment")
        with Horizontal(id="assumptions"):
            yield Label("Cost assumptions", classes="assume-label", markup=False)
            yield Input(placeholder="key=value, e.g. search_replicas=2 log_gb_per_day=5", id="assume", compact=True,
                        tooltip="What the usage-driven costs assume (as `aifactory cost --assume`); "
                        f"known: {', '.join(Assumptions.model_fields)}. Not saved in the preset.")
        problem = Static("", id="assume-problem", markup=False)
        problem.display = False
        yield problem
        yield Static(LEGEND, classes="legend", markup=False)
        for env, settings in self.config.environments.enabled():
            with Vertical(classes="env-box", id=f"skus-{env}") as box:
                box.border_title = f"{env} · {settings.region}"
                if _needs_vms(self.config):
                    for name, label in COMPUTE.items():
                        yield ConfigField(self.config, f"environments.{env}.compute.{name}", label=label)
                else:
                    yield Static("No VMs: AKS and Azure ML are off (Services step)", classes="no-vms", markup=False)
                yield Static("Quota", classes="section")
                yield QuotaBars(id=f"quota-{env}")
                yield FindingList(empty="", id=f"quota-findings-{env}")
                yield Static("Monthly cost", classes="section")
                yield CostPanel(id=f"cost-{env}")

    def structure(self, config: FactoryConfig) -> object:
        return (tuple(m.model for m in config.skus.models), _needs_vms(config),
                tuple((name, env.region) for name, env in config.environments.enabled()))

    def on_mount(self) -> None:
        self._redraw()

    # ------------------------------------------------------------------ state in

    def show_config(self, config: FactoryConfig) -> None:
        super().show_config(config)
        self.call_later(self._redraw)  # after a recompose, when the shape changed

    def show_state(self, config: FactoryConfig, state: LiveState, *, live: bool, note: str) -> None:
        super().show_state(config, state, live=live, note=note)
        self._state, self._live = state, live
        self._draw_bars()

    def show_findings(self, findings: list[Finding]) -> None:
        """Mark the fields as every step does; over-quota findings show under their bars instead."""
        super().show_findings([f for f in findings if f.code not in BAR_CODES])
        for field in self.query(ConfigField):
            over = sorted({f.environment for f in findings if f.code in BAR_CODES and f.field == field.path})
            if over:
                field.show_problems([f"over the quota in {', '.join(over)}: see its bars below"])

    # ------------------------------------------------------------------ cost assumptions

    def on_input_changed(self, event: Input.Changed) -> None:
        """`key=value` pairs (spaces or commas between them) change what the cost panels assume."""
        if event.input.id != "assume":
            return
        event.stop()
        problem = self.query_one("#assume-problem", Static)
        try:
            self.assumptions = parse_assumptions(event.value.replace(",", " ").split())
        except UserError as exc:
            problem.update(f"✗ {exc.message} ({exc.hint})" if exc.hint else f"✗ {exc.message}")
            problem.display = True
            return
        problem.display = False
        self._draw_cost()

    # ------------------------------------------------------------------ models

    def on_select_changed(self, event: Select.Changed) -> None:
        """A model chosen in `add a model…` is deployed at once (ctrl+z undoes it)."""
        if event.select.id != "model-add" or event.value is Select.NULL:
            return
        event.stop()
        self._replace(model_deployments.add(self.config, str(event.value)), f"added a {event.value} deployment")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        if button.startswith("model-remove-"):
            event.stop()
            index = int(button.removeprefix("model-remove-"))
            model = self.config.skus.models[index].model
            self._replace(model_deployments.remove(self.config, index), f"removed the {model} deployment")

    def _replace(self, edit: Edit, reason: str) -> None:
        if edit.config is None:
            self.notify("\n".join(p.message for p in edit.problems), severity="warning", markup=False)
            return
        self.post_message(ConfigReplaced(edit.config, reason))

    # ------------------------------------------------------------------ drawing

    def _redraw(self) -> None:
        self._draw_bars()
        self._draw_cost()

    def _draw_bars(self) -> None:
        readings = self._state.quotas if self._state is not None else {}
        drawn = quota.bars(self.config, readings)
        note = "reading the quota…" if self._live else ("sign in to read the quota" if not self.demo
                                                         else "opening the sandbox…")
        for env, bars in drawn.items():
            widgets = self.query(f"#quota-{env}").results(QuotaBars)
            for widget in widgets:
                reading = readings.get(env)
                if reading is not None and reading.region == self.config.environments.get(env).region:
                    widget.note = reading.error or "Azure lists no such quota in this region"
                else:
                    widget.note = note
                widget.bars = tuple(bars)
            for findings in self.query(f"#quota-findings-{env}").results(FindingList):
                findings.show([bar.finding for bar in bars if bar.finding is not None])

    def _draw_cost(self) -> None:
        from wizard.cost import estimate

        snapshot = self._price_snapshot()
        panels = {env: list(self.query(f"#cost-{env}").results(CostPanel)) for env, _ in
                  self.config.environments.enabled()}
        if isinstance(snapshot, str):
            for found in panels.values():
                for panel in found:
                    panel.show(snapshot)
            return
        result = estimate(self.config, snapshot, self.assumptions)
        for index, env in enumerate(result.environments):
            for panel in panels.get(env.name, []):
                panel.show(result, index)

    def _price_snapshot(self) -> PriceSnapshot | str:
        """The price snapshot, read once (the shipped one, or the one `aifactory prices update` wrote)."""
        if self._snapshot is None:
            from wizard.prices import load_snapshot

            try:
                self._snapshot = load_snapshot()[0]
            except UserError as exc:
                self._snapshot = f"no cost estimate: {exc}"
        return self._snapshot
