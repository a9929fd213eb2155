"""`aifactory cost` as a person reads it: one table per environment, totals, assumptions, sources.

Only the CLI imports this (inside the command), so rich stays out of `aifactory --help`. The
wizard and the handover report render the same `Estimate` their own way.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from wizard.cost import Assumptions, Estimate, Line, money, quantity_text, unit_price_text


def _unit_price(line: Line, currency: str) -> Text:
    if line.unit_price is None:
        return Text("no price", style="yellow")
    text = Text(unit_price_text(line))
    if line.stand_in:
        text.append(f" ~{line.price_region}", style="yellow")
    return text


def environment_table(estimate: Estimate, index: int) -> Table:
    """One environment's lines and its total."""
    env = estimate.environments[index]
    table = Table(title=f"{env.name} · {env.region}", title_justify="left", show_footer=True)
    table.add_column("item", footer="total", ratio=3)
    table.add_column("quantity", justify="right")
    table.add_column(f"unit price ({estimate.currency})", justify="right")
    table.add_column("monthly", justify="right", footer=money(env.total, estimate.currency))
    for line in env.lines:
        item = Text(line.item)
        if line.basis:
            item.append(f"\n  assumes {line.basis}", style="dim")
        table.add_row(item, quantity_text(line), _unit_price(line, estimate.currency),
                      Text(money(line.monthly, estimate.currency), style="yellow" if line.monthly is None else ""))
    return table


def print_estimate(estimate: Estimate, name: str) -> None:
    """The whole estimate on stdout."""
    console = Console(highlight=False, soft_wrap=False)
    console.print(Text(f"Monthly cost estimate for {name}", style="bold"))
    console.print(Text(f"prices: {estimate.snapshot_source} snapshot of {estimate.snapshot_date}, "
                       f"{estimate.currency} ({estimate.snapshot_path})", style="dim"))
    for index in range(len(estimate.environments)):
        console.print(environment_table(estimate, index))
    console.print(Text(f"Total, all environments: {money(estimate.total, estimate.currency)} a month", style="bold"))
    console.print(assumptions_table(estimate.assumptions))
    for note in estimate.notes:
        console.print(Text(f"note: {note}", style="yellow"))


def assumptions_table(assumptions: Assumptions) -> Table:
    """What the usage-driven lines rest on; change any with --assume key=value."""
    table = Table(title="assumptions (change with --assume key=value)", title_justify="left")
    table.add_column("key")
    table.add_column("value", justify="right")
    table.add_column("meaning", ratio=1)
    for key, value in assumptions.model_dump().items():
        table.add_row(key, str(value), Assumptions.model_fields[key].description or "")
    return table
