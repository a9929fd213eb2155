"""The drawn address plan of one environment: its VNet as rows of cells, what fits, what overlaps.

The layout (which block holds what) is `wizard.address_map`'s; this widget sizes it to the width
it is given and styles it from the theme. Every mark is also a character (`c`, a project's
number, `·`, `░`, `✗`, `!`), so the map reads under NO_COLOR and on a projector.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from wizard.address_map import GLYPHS, LEGEND, AddressMap, Cell, Neighbour, draw
from wizard.network import EnvironmentPlan


def _projects(count: int) -> str:
    return "project" if count == 1 else "projects"


class NetworkMap(Widget):
    """One environment's address plan; `show` replaces what it draws."""

    COMPONENT_CLASSES = {
        "network-map--address", "network-map--common", "network-map--project-a", "network-map--project-b",
        "network-map--gap", "network-map--free", "network-map--error", "network-map--warning",
        "network-map--fit",
    }
    DEFAULT_CSS = """
    NetworkMap { height: auto; width: 1fr; }
    NetworkMap > .network-map--address { color: $text-muted; }
    NetworkMap > .network-map--common { color: $text-accent; text-style: bold; }
    NetworkMap > .network-map--project-a { color: $text-primary; text-style: bold; }
    NetworkMap > .network-map--project-b { color: $text-secondary; text-style: underline; }
    NetworkMap > .network-map--gap { color: $text-muted; }
    NetworkMap > .network-map--free { color: $success 70%; }
    NetworkMap > .network-map--error { color: $text-error; background: $error-muted; text-style: bold; }
    NetworkMap > .network-map--warning { color: $text-warning; background: $warning-muted; text-style: bold; }
    NetworkMap > .network-map--fit { color: $text-success; text-style: bold; }
    """

    def __init__(self, plan: EnvironmentPlan, neighbours: tuple[Neighbour, ...] = (), *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.plan = plan
        self.neighbours = neighbours
        self._drawn: dict[int, list[Text]] = {}
        """Lines already drawn, by width (layout asks for the height, then render for the lines)."""

    def show(self, plan: EnvironmentPlan, neighbours: tuple[Neighbour, ...]) -> None:
        """Draw this plan and these overlapping ranges instead."""
        if (plan, neighbours) == (self.plan, self.neighbours):
            return
        self.plan, self.neighbours = plan, neighbours
        self._drawn.clear()
        self.refresh(layout=True)

    def lines(self, width: int) -> list[Text]:
        """The rows of cells, then what fits and what overlaps, for `width` columns."""
        if width not in self._drawn:
            self._drawn[width] = self._lines(draw(self.plan, self.neighbours, width))
        return self._drawn[width]

    def _lines(self, amap: AddressMap) -> list[Text]:
        address = self.get_component_rich_style("network-map--address")
        labels = max(len(row.label) for row in amap.rows)
        out = []
        projects = [p.number for p in self.plan.projects]
        for row in amap.rows:
            text = Text(f"{row.label:>{labels}} ", style=address)
            for cell in row.cells:
                text.append(cell.text, style=self._style(cell, projects))
            out.append(text)
        out.append(self._fit_line(amap))
        for neighbour in amap.neighbours:
            out.append(Text.assemble(
                (f"{GLYPHS[neighbour.severity]} ", self.get_component_rich_style(f"network-map--{neighbour.severity}")),
                f"{'the whole VNet ' if neighbour.whole else ''}overlaps the {neighbour.label} {neighbour.network}"))
        return out

    def _fit_line(self, amap: AddressMap) -> Text:
        plan = self.plan
        text = Text(f"{plan.capacity_left} more {_projects(plan.capacity_left)} fit",
                    style=self.get_component_rich_style("network-map--fit"))
        text.append(f" · {len(plan.projects)} placed · cell /{amap.cell_prefix}")
        if plan.unplaced:
            text.append(f"\n{GLYPHS['error']} do not fit: {', '.join(plan.unplaced)}",
                        style=self.get_component_rich_style("network-map--error"))
        for project in (p for p in plan.projects if p.missing):
            text.append(f"\n{GLYPHS['warning']} {project.number} fits without: {', '.join(project.missing)}",
                        style=self.get_component_rich_style("network-map--warning"))
        return text

    def _style(self, cell: Cell, projects: list[str]) -> Style:
        if cell.kind == "project":
            side = "a" if projects.index(cell.project) % 2 == 0 else "b"
            return self.get_component_rich_style(f"network-map--project-{side}")
        if cell.kind == "overlap":
            return self.get_component_rich_style(f"network-map--{cell.severity}")
        return self.get_component_rich_style(f"network-map--{cell.kind}")

    def render(self) -> Text:
        return Text("\n").join(self.lines(self.content_size.width))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return sum(len(line.wrap(self.app.console, width)) for line in self.lines(width))

    def on_resize(self) -> None:
        self.refresh(layout=True)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._drawn.clear()  # a theme change restyles the cells


def legend_text() -> Text:
    """What the marks mean, one line (it wraps where the step is narrow)."""
    return Text("  ".join(f"{mark} {meaning}" for mark, meaning in LEGEND), style="dim")
