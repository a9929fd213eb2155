"""One environment's monthly cost estimate, as `wizard.cost` computes it, small enough for a step.

The total first with the currency and the price snapshot's date, then every line with its monthly
figure; a usage-driven line is starred and the assumptions the starred lines rest on follow them.
A line the snapshot cannot price says so and stays out of the total; a price borrowed from another
region is marked `~region`.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from wizard.cost import Estimate


def _money(value: float) -> str:
    return f"{value:,.2f}"


def estimate_renderable(estimate: Estimate, env_index: int) -> Table:
    """The total, the snapshot it comes from, one row per line, then the assumptions they rest on."""
    env = estimate.environments[env_index]
    table = Table.grid(expand=True)
    table.add_column(ratio=1)
    table.add_column(justify="right", no_wrap=True)
    table.add_row(Text.assemble((f"≈ {_money(env.total)} {estimate.currency}", "bold"), " a month · prices of "
                                f"{estimate.snapshot_date} in {estimate.currency} ({estimate.snapshot_source} "
                                "snapshot)"), "")
    unpriced = 0
    bases: list[str] = []
    for line in env.lines:
        item = Text(f"  {line.item}")
        if line.basis:
            item.append("*", style="bold")
            if line.basis not in bases:
                bases.append(line.basis)
        if line.monthly is None:
            unpriced += 1
            table.add_row(item, Text("no price", style="yellow"))
            continue
        amount = Text(_money(line.monthly))
        if line.stand_in:
            amount = Text.assemble((f"~{line.price_region} ", "yellow"), amount)
        table.add_row(item, amount)
    if bases:
        table.add_row(Text(f"  * assumes {'; '.join(bases)}", style="dim italic"), "")
    if unpriced:
        table.add_row(Text(f"  {unpriced} item(s) have no price in the snapshot and are not in the total; "
                           "`aifactory prices update` fetches current prices", style="yellow"), "")
    return table


class CostPanel(Static):
    """The estimate of one environment; the step calls `show` when the configuration changes."""

    DEFAULT_CSS = "CostPanel { height: auto; }"

    def show(self, estimate: Estimate | str, env_index: int = 0) -> None:
        """Draw this environment's part of `estimate`, or the message saying why there is none."""
        if isinstance(estimate, str):
            self.update(Text(estimate, style="yellow"))
        else:
            self.update(estimate_renderable(estimate, env_index))
