"""What a front end knows, moment to moment, about a configuration's checks.

The offline rules' findings, and for every live cell (check × environment) whether it is being
checked, passed, warned, failed or does not apply, with its findings. It is folded from the
`iter_preflight` event stream one event at a time, so a grid can turn green cell by cell and a
step's mark can say "checking" while its cells are in flight. A re-run of a few cells replaces
only those cells.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from wizard.events import CellStatus, CheckFinished, Event, PreflightFinished, RulesFinished
from wizard.findings import Finding, sort_findings
from wizard.model import EnvName
from wizard.quota import Reading
from wizard.steps import step_for_finding

CellState = CellStatus | Literal["checking", "cancelled"]
StepMark = Literal["untouched", "ok", "warn", "error", "checking"]

MARKS: dict[StepMark, str] = {"untouched": "–", "ok": "✓", "warn": "!", "error": "✗", "checking": "⟳"}
"""How a step's state is drawn in the sidebar (WIZARD.md)."""


@dataclass
class LiveState:
    """Offline findings plus the live grid, updated event by event."""

    offline: list[Finding] = field(default_factory=list)
    cells: dict[tuple[str, str], CellState] = field(default_factory=dict)
    """(check, environment) -> state."""
    cell_findings: dict[tuple[str, str], tuple[Finding, ...]] = field(default_factory=dict)
    unregistered: dict[str, list[str]] = field(default_factory=dict)
    quotas: dict[EnvName, Reading] = field(default_factory=dict)
    """The quota usages last read per environment (the SKU step's bars draw them)."""

    def set_offline(self, findings: Iterable[Finding]) -> None:
        """The offline rules ran again: their findings replace the previous ones."""
        self.offline = list(findings)

    def checking(self, cells: Iterable[tuple[str, str]]) -> None:
        """These cells are about to be checked again: they show as in flight."""
        for cell in cells:
            self.cells[cell] = "checking"
            self.cell_findings.pop(cell, None)

    def apply(self, event: Event) -> None:
        """Fold one preflight event in."""
        if isinstance(event, RulesFinished):
            self.set_offline(event.findings)
        elif isinstance(event, CheckFinished):
            cell = (event.check, event.environment)
            self.cells[cell] = event.status
            self.cell_findings[cell] = event.findings
        elif isinstance(event, PreflightFinished):
            self.unregistered = dict(event.unregistered)
            if event.cancelled:
                for cell, state in self.cells.items():
                    if state == "checking":
                        self.cells[cell] = "cancelled"

    def forget_environment(self, environment: str) -> None:
        """An environment was turned off: its cells leave the grid."""
        for cell in [c for c in self.cells if c[1] == environment]:
            del self.cells[cell]
            self.cell_findings.pop(cell, None)
        self.quotas.pop(environment, None)  # type: ignore[call-overload]

    @property
    def findings(self) -> list[Finding]:
        """Every current finding, errors first; then offline before live, each live one in grid
        order (environment, then check), whatever order the checks happened to finish in."""
        from wizard.azure.checks import CHECKS

        envs = {"dev": 0, "stage": 1, "prod": 2}
        columns = {check: index for index, check in enumerate(CHECKS)}
        live = sorted((f for findings in self.cell_findings.values() for f in findings),
                      key=lambda f: (envs.get(f.environment, 3), columns.get(f.check, len(columns)), f.code, f.message))
        return sort_findings([*self.offline, *live])

    @property
    def busy(self) -> bool:
        """True while some cell is being checked."""
        return any(state == "checking" for state in self.cells.values())

    def step_mark(self, step_id: str, *, touched: bool, checks: Iterable[str] = ()) -> StepMark:
        """A step's mark: errors beat warnings beat checking beat ok; untouched until visited.

        The review's mark sums up every finding: it is where they are all listed.
        """
        mine = [f for f in self.findings if step_id == "review" or step_for_finding(f) == step_id]
        if any(f.severity == "error" for f in mine):
            return "error"
        if any(f.severity == "warning" for f in mine):
            return "warn"
        wanted = set(checks)
        if any(state == "checking" and cell[0] in wanted for cell, state in self.cells.items()):
            return "checking"
        return "ok" if touched else "untouched"
