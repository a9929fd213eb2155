"""Human output of the headless commands: findings and address plans as rich tables.

Only the CLI imports this (inside commands), so rich stays out of `aifactory --help`. User text
goes through `Text` objects, never markup strings, so brackets in values (e.g. `[todo]`) show.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from wizard.findings import Finding

if TYPE_CHECKING:
    from wizard.azure.preflight import PreflightResult
    from wizard.model import EnvName
    from wizard.naming import GeneratedName, NameSheet
    from wizard.network import EnvironmentPlan, NetworkProposal

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _console() -> Console:
    return Console(highlight=False, soft_wrap=False)


SEVERITY_MARK = {"error": "✗", "warning": "!", "info": "·"}


def findings_grid(findings: Sequence[Finding]) -> Table:
    """Findings as a borderless grid: the mark and severity, then what, hint and field indented."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    for f in findings:
        body = Text()
        body.append(f.code, style="dim")
        if f.environment:
            body.append(f" [{f.environment}]", style="bold")
        body.append(" " + f.message)
        if f.hint:
            body.append("\n→ " + f.hint, style="green")
        if f.field:
            body.append(f"\nfield: {f.field}", style="dim")
        grid.add_row(Text(f"{SEVERITY_MARK[f.severity]} {f.severity}", style=SEVERITY_STYLE[f.severity]), body)
    return grid


def summary_line(findings: Sequence[Finding]) -> Text:
    """`2 errors, 1 warning, 3 notes` in colour, or a green all-clear."""
    counts = {sev: sum(1 for f in findings if f.severity == sev) for sev in ("error", "warning", "info")}
    if not any(counts.values()):
        return Text("✓ no findings", style="bold green")
    parts = []
    for sev, word in (("error", "error"), ("warning", "warning"), ("info", "note")):
        n = counts[sev]
        if n:
            parts.append(Text(f"{n} {word}{'s' if n != 1 else ''}", style=SEVERITY_STYLE[sev]))
    return Text(", ").join(parts)


def print_findings(findings: Sequence[Finding], title: str) -> None:
    """Print the findings table (when there are any) and a one-line summary."""
    console = _console()
    if findings:
        console.print(Text(title, style="bold underline"))
        console.print(findings_grid(findings))
    console.print(Text(f"{title}: ").append_text(summary_line(findings)))


def print_network(plans: Mapping[EnvName, EnvironmentPlan], proposal: NetworkProposal | None = None) -> None:
    """Print each environment's VNet, common subnets, every project's subnets and the capacity."""
    console = _console()
    if proposal is not None:
        console.print(Text("Proposed plan:", style="bold"))
        for line in proposal.explanation:
            console.print(Text(f"  • {line}"))
    for name, plan in plans.items():
        table = Table(title=f"{name}: VNet {plan.vnet} ({plan.vnet.num_addresses:,} addresses)",
                      title_justify="left")
        table.add_column("project", no_wrap=True)
        table.add_column("subnet", no_wrap=True)
        table.add_column("range", no_wrap=True)
        table.add_column("addresses", justify="right")
        for subnet in plan.common_subnets:
            table.add_row("common", subnet.name, str(subnet.network), f"{subnet.network.num_addresses:,}")
        for project in plan.projects:
            for index, subnet in enumerate(project.subnets):
                table.add_row(project.number if index == 0 else "", subnet.name, str(subnet.network),
                              f"{subnet.network.num_addresses:,}")
        console.print(table)
        fit = Text(f"{name}: {len(plan.projects)} project(s) placed, room for {plan.capacity_left} more")
        if plan.unplaced:
            fit.append(f"; do not fit: {', '.join(plan.unplaced)}", style="bold red")
        console.print(fit)


GRID_CELL = {"pass": ("✓", "green"), "warn": ("!", "yellow"), "fail": ("✗", "bold red"), "n/a": ("-", "dim")}


def print_grid(result: PreflightResult) -> None:
    """The preflight grid: a row per check, a column per environment (narrow terminals fit)."""
    table = Table(title="preflight", title_justify="left")
    table.add_column("check", no_wrap=True)
    rows = list(result.grid)
    for env in rows:
        table.add_column(env, justify="center", no_wrap=True)
    for column in result.columns:
        cells = [result.grid[env][column] for env in rows]
        table.add_row(column.replace("_", " "), *(Text(GRID_CELL[c][0], style=GRID_CELL[c][1]) for c in cells))
    console = _console()
    console.print(table)
    console.print(Text("✓ pass   ! warning   ✗ fail   - does not apply", style="dim"))
    stats = result.stats
    if stats is not None:
        console.print(Text(f"{result.elapsed:.1f} s, {stats.distinct_reads} distinct ARM reads, "
                           f"{stats.http_requests} HTTP requests", style="dim"))


def _length_cell(generated: GeneratedName) -> Text:
    """`21/24` in green, or the overflow in red: `25/24 (+1)`."""
    rule = generated.rule
    text = f"{len(generated.name)}/{rule.max_length}"
    if len(generated.name) > rule.max_length:
        return Text(f"{text} (+{len(generated.name) - rule.max_length})", style="bold red")
    return Text(text, style="red" if len(generated.name) < rule.min_length else "green")


def _name_cell(generated: GeneratedName) -> Text:
    name = Text(generated.name, style="bold" if generated.problem() else "")
    if generated.provisional:
        name.append(" ~", style="yellow")
    return name


def _verdict(generated: GeneratedName) -> Text:
    problem = generated.problem()
    return Text("✓", style="green") if problem is None else Text(f"✗ {problem}", style="bold red")


WIDE_NAMES = 150
"""Terminal width from which `print_names` shows one row per name; narrower gets two lines."""


def _names_table(names: list[GeneratedName], title: str, caption: str) -> Table:
    """One row per name: scope, what, ARM type, name, length/limit, verdict (wide terminals)."""
    table = Table(title=title, caption=caption, title_justify="left", caption_justify="left")
    for header in ("scope", "what", "resource type", "name", "length", "Azure"):
        table.add_column(header, no_wrap=header in ("scope", "name", "length"),
                         justify="right" if header == "length" else "left", overflow="fold",
                         style="dim" if header == "resource type" else "")
    scope = None
    for generated in names:
        here = "common" if generated.project is None else f"project {generated.project}"
        table.add_row(here if here != scope else "", _what(generated), generated.resource_type,
                      _name_cell(generated), _length_cell(generated), _verdict(generated))
        scope = here
    return table


def _names_stack(names: list[GeneratedName], title: str, caption: str) -> Table:
    """Two lines per name, `✓ name  21/24` over `what · ARM type`, for narrow terminals."""
    grid = Table.grid(padding=(0, 1))
    grid.title, grid.caption, grid.title_justify, grid.caption_justify = title, caption, "left", "left"
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    scope = None
    for generated in names:
        here = "common" if generated.project is None else f"project {generated.project}"
        if here != scope:
            grid.add_row("", Text(here, style="bold underline"))
            scope = here
        problem = generated.problem()
        mark = Text("✓", style="green") if problem is None else Text("✗", style="bold red")
        body = _name_cell(generated).append("  ").append_text(_length_cell(generated))
        body.append(f"\n{_what(generated)} · {generated.resource_type}", style="dim")
        if problem:
            body.append(f"\n{problem}", style="red")
        grid.add_row(mark, body)
    return grid


def _what(generated: GeneratedName) -> str:
    """What it names, without the `project NNN` the scope already says."""
    return generated.what.removeprefix(f"project {generated.project} ") if generated.project else generated.what


def print_names(sheet: NameSheet, title: str) -> None:
    """Every name per environment with its ARM type, length/limit and Azure's verdict, then notes."""
    console = _console()
    layout = _names_table if console.width >= WIDE_NAMES else _names_stack
    for env, (salt, provisional) in sheet.salts.items():
        caption = f"salt5 {salt}" + (" (provisional)" if provisional else "")
        console.print(layout([n for n in sheet.names if n.environment == env], f"{title}: {env}", caption))
    console.print(Text("✓ Azure accepts it   ✗ Azure refuses it   ~ not final until the salt is known",
                       style="dim"))
    for note in sheet.notes():
        console.print(Text(f"note: {note}", style="yellow"))
    bad = [n for n in sheet.names if n.problem()]
    if bad:
        console.print(Text(f"{len(bad)} name(s) break Azure's rules:", style="bold red"))
        for generated in bad:
            console.print(Text(f"  [{generated.environment}] {generated.name}: → {generated.hint()}", style="red"))
    else:
        console.print(Text(f"✓ all {len(sheet.names)} names fit Azure's rules", style="bold green"))
