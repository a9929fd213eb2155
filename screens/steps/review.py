"""Step 8: the preflight grid filling in live, every finding with its fix, what will be created,
and the exits: save the preset, export the AI Factory's files."""

from __future__ import annotations

from collections import Counter

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ItemGrid
from textual.widgets import Button, Static

from screens.messages import DeployRequested, ExportRequested
from screens.steps.base import StepPane
from screens.widgets.findings import FindingList
from screens.widgets.grid import PreflightGrid
from wizard.cost import Assumptions, compact
from wizard.findings import Finding
from wizard.handover import estimate_for
from wizard.live_state import LiveState
from wizard.model import FactoryConfig
from wizard.naming import environment_names

SHORT_TYPES = {
    "Microsoft.Resources/resourceGroups": ("resource group", "resource groups"),
    "Microsoft.Network/virtualNetworks": ("VNet", "VNets"),
    "Microsoft.Network/virtualNetworks/subnets": ("subnet", "subnets"),
    "Microsoft.Network/networkSecurityGroups": ("NSG", "NSGs"),
    "Microsoft.KeyVault/vaults": ("key vault", "key vaults"),
    "Microsoft.Storage/storageAccounts": ("storage account", "storage accounts"),
    "Microsoft.ContainerRegistry/registries": ("registry", "registries"),
    "Microsoft.CognitiveServices/accounts": ("AI account", "AI accounts"),
    "Microsoft.Search/searchServices": ("search service", "search services"),
    "Microsoft.ManagedIdentity/userAssignedIdentities": ("identity", "identities"),
}
"""ARM type -> how the review counts it, one and many (`1 VNet`, `3 VNets`)."""


def counted(count: int, kind: str) -> str:
    """`1 VNet`, `2 VNets`; a type not in SHORT_TYPES by its ARM name (`1 workspace`, `2 workspaces`)."""
    many = kind.split("/")[-1]
    one, many = SHORT_TYPES.get(kind, (many.removesuffix("s"), many))
    return f"{count} {one if count == 1 else many}"


def monthly_cost(config: FactoryConfig, assumptions: Assumptions | None = None) -> str:
    """The estimate per environment, compact (`aifactory cost` and the report give every line)."""
    estimate, problem = estimate_for(config, assumptions)
    return f"monthly estimate: {compact(estimate) if estimate is not None else problem}"


def will_create(config: FactoryConfig) -> Text:
    """How many resources of each type every enabled environment gets (deployments left out)."""
    text = Text()
    for env, _ in config.environments.enabled():
        counts = Counter(n.resource_type for n in environment_names(config, env)
                         if n.resource_type and n.resource_type != "Microsoft.Resources/deployments")
        text.append(f"{env}: ", style="bold")
        parts = [counted(count, kind) for kind, count in counts.most_common()]
        text.append(" · ".join(parts) + "\n")
    return text


class ReviewStep(StepPane):
    """Everything at a glance before saving, exporting or deploying."""

    STEP_ID = "review"
    DEFAULT_CSS = """
    ReviewStep #review-summary { color: $text-muted; }
    ReviewStep #will-create { height: auto; margin: 1 0; }
    ReviewStep #review-cost { height: auto; }
    ReviewStep #review-findings { height: auto; }
    ReviewStep #exports { height: auto; margin-top: 1; grid-gutter: 0 1; }
    ReviewStep #exports Button { width: 100%; }
    """

    BINDINGS = [Binding("d", "deploy", "Deploy", id="review.deploy", tooltip="Deploy now and watch the dashboard")]

    def compose_body(self) -> ComposeResult:
        yield PreflightGrid(id="grid")
        yield Static("", id="review-summary", markup=False)
        yield Static(monthly_cost(self.config), id="review-cost", markup=False)
        yield Static("Findings", classes="section")
        yield FindingList(id="review-findings")
        yield Static("Will create", classes="section")
        yield Static(will_create(self.config), id="will-create")
        with ItemGrid(id="exports", min_column_width=26):
            yield Button("Save preset", id="export-preset", variant="primary", tooltip="ctrl+s")
            yield Button("Export .env", id="export-env", tooltip="The AI Factory's GitHub Actions file")
            yield Button("Export variables.yaml", id="export-ado", tooltip="The AI Factory's Azure DevOps file")
            yield Button("Handover report", id="export-report",
                         tooltip="One HTML (or Markdown) file for the customer: plan, names, checks, cost, next steps")
            yield Button("Deploy", id="deploy", variant="success", tooltip="Deploy it now and watch (d)")

    def show_config(self, config: FactoryConfig) -> None:
        super().show_config(config)
        self.query_one("#will-create", Static).update(will_create(config))
        self.query_one("#review-cost", Static).update(monthly_cost(config, self.cost_assumptions()))

    def cost_assumptions(self) -> Assumptions | None:
        """What the SKU step's cost panels assume: the person may have changed it there."""
        panes = self.screen.query("#step-skus")
        return getattr(panes.first(), "assumptions", None) if panes else None

    def on_show(self) -> None:
        """Shown again: the SKU step's assumptions may have changed meanwhile."""
        self.query_one("#review-cost", Static).update(monthly_cost(self.config, self.cost_assumptions()))

    def show_state(self, config: FactoryConfig, state: LiveState, *, live: bool, note: str) -> None:
        """Redraw the grid, the summary line and the findings."""
        self.query_one(PreflightGrid).show(config, state, live=live)
        findings = state.findings
        errors = sum(f.severity == "error" for f in findings)
        warnings = sum(f.severity == "warning" for f in findings)
        summary = f"{errors} error{'' if errors == 1 else 's'}, {warnings} warning{'' if warnings == 1 else 's'}"
        if state.busy:
            summary += " · checking…"
        self.query_one("#review-summary", Static).update(f"{summary}{' · ' + note if note else ''}")
        self.query_one("#review-findings", FindingList).show(findings)

    def show_findings(self, findings: list[Finding]) -> None:
        """The review lists every finding itself (show_state); nothing extra at its foot."""

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "deploy":
            self.action_deploy()
        elif event.button.id and event.button.id.startswith("export-"):
            self.post_message(ExportRequested(event.button.id.removeprefix("export-")))

    def action_deploy(self) -> None:
        """Ask the App to deploy (it opens the dashboard)."""
        self.post_message(DeployRequested())
