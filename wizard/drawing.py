"""Drawings for documents: the landing zone and the address plan as boxes, lines and labels.

The handover report shows a picture of what gets built. Its HTML renderer turns a `Drawing` into
inline SVG; `wizard.drawing_text` turns the same `Drawing` into box-drawing text for the Markdown.
The drawing itself is plain data (positions, text, a kind per shape that the renderer colours),
so this module knows no SVG and no escaping: user text stays text until a renderer escapes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from wizard.address_map import AddressMap
from wizard.landing_zones import TITLES, access_paths
from wizard.model import EnvName, FactoryConfig, HubSpokeZone, HybridZone, VwanZone
from wizard.network import EnvironmentPlan

Kind = Literal["env", "hub", "people", "dns", "common", "project-a", "project-b", "gap", "free", "error",
               "warning", "plain"]
"""What a shape is; the renderer picks its colours (the palette lives with the renderer)."""


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle with an optional label at its top left (or centred, for small cells)."""

    x: float
    y: float
    width: float
    height: float
    kind: Kind
    label: str = ""
    centred: bool = False


@dataclass(frozen=True, slots=True)
class Line:
    """A connection between two points, with an optional label at its middle."""

    x1: float
    y1: float
    x2: float
    y2: float
    label: str = ""
    arrow: bool = False


@dataclass(frozen=True, slots=True)
class Label:
    """A line of text; `anchor` says which end of it sits at x."""

    x: float
    y: float
    text: str
    anchor: Literal["start", "middle", "end"] = "start"
    size: int = 12
    bold: bool = False
    muted: bool = False
    mono: bool = False


Shape = Box | Line | Label


@dataclass(frozen=True, slots=True)
class Drawing:
    """A picture of `width` × `height` units; `title` says what it shows (for screen readers)."""

    width: float
    height: float
    title: str
    shapes: tuple[Shape, ...]


WIDTH = 760
"""Drawings are laid out for this width (a page's column); the renderer scales them to fit."""


def env_height(extra: list[str]) -> float:
    """An environment box's height: room for its cells and up to two lines under them."""
    return 84 + 15 * min(len(extra), 2)


def _env_box(x: float, y: float, w: float, env: EnvName, plan: EnvironmentPlan, region: str,
             extra: list[str]) -> list[Shape]:
    """An environment's VNet: its name, range and region, its common subnets and projects inside."""
    shapes: list[Shape] = [
        Box(x, y, w, env_height(extra), "env"),
        Label(x + 10, y + 20, f"{env} VNet", bold=True, size=14),
        Label(x + 10, y + 37, f"{plan.vnet} · {region}", muted=True, mono=True, size=11),
    ]
    cells: list[tuple[str, Kind]] = [("common", "common")]
    cells += [(p.number, "project-a" if i % 2 == 0 else "project-b") for i, p in enumerate(plan.projects)]
    shown = cells if len(cells) <= 5 else [*cells[:4], (f"+{len(cells) - 4}", "plain")]
    cell_w = (w - 20 - 4 * (len(shown) - 1)) / max(len(shown), 1)
    for index, (text, kind) in enumerate(shown):
        shapes.append(Box(x + 10 + index * (cell_w + 4), y + 48, cell_w, 26, kind, text, centred=True))
    for index, line in enumerate(extra[:2]):
        shapes.append(Label(x + 10, y + 92 + index * 15, line, size=11, muted=True))
    return shapes


def landing_zone(config: FactoryConfig, plans: dict[EnvName, EnvironmentPlan]) -> Drawing:
    """What the landing zone builds, for this configuration: each environment's VNet with its
    projects, and how it connects (a hub, a virtual hub, people reaching it, or nothing)."""
    zone = config.landing_zone
    envs = [(name, env) for name, env in config.environments.enabled() if name in plans]
    count = max(len(envs), 1)
    gap = 24
    box_w = min(300, (WIDTH - 40 - gap * (count - 1)) / count)
    left = 20.0
    hybrid = isinstance(zone, HybridZone)
    if hybrid:
        left = 220.0
        box_w = min(300, (WIDTH - left - 20 - gap * (count - 1)) / count)
    top = 20.0 if hybrid or not isinstance(zone, HubSpokeZone | VwanZone) else 130.0
    shapes: list[Shape] = []
    centres: list[float] = []
    extras: list[list[str]] = []
    for index, (name, env) in enumerate(envs):
        x = left + index * (box_w + gap)
        centres.append(x + box_w / 2)
        extra = []
        if not isinstance(zone, HubSpokeZone | VwanZone):
            extra.append("private DNS zones in the common RG")
        if config.access.bastion:
            extra.append("Azure Bastion in the common RG")
        extras.append(extra)
        shapes += _env_box(x, top, box_w, name, plans[name], env.region, extra)
    height = top + max((env_height(extra) for extra in extras), default=84) + 20
    if isinstance(zone, HubSpokeZone | VwanZone):
        hub_w = 320
        hub_x = (WIDTH - hub_w) / 2
        hubs = zone.hub_vnet_ids if isinstance(zone, HubSpokeZone) else zone.virtual_hub_ids
        names = sorted({hubs[name].rsplit("/", 1)[-1] for name, _ in envs if hubs.get(name)})
        kind = "hub VNet" if isinstance(zone, HubSpokeZone) else "Virtual WAN hub"
        title = f"{kind} {', '.join(names)}" if names else kind
        ranges = ", ".join(zone.hub_address_prefixes) or "ranges not given"
        dns = (f"private DNS zones in {zone.dns.resource_group}" if zone.dns.resource_group
               else "private DNS zones in the hub")
        shapes += [Box(hub_x, 12, hub_w, 66, "hub"), Label(WIDTH / 2, 32, title, "middle", 14, bold=True),
                   Label(WIDTH / 2, 50, ranges, "middle", 11, muted=True, mono=True),
                   Label(WIDTH / 2, 67, dns, "middle", 11, muted=True)]
        word = "peering" if isinstance(zone, HubSpokeZone) else "connection"
        shapes += [Line(WIDTH / 2, 78, centre, top, word) for centre in centres]
    elif hybrid:
        paths = access_paths(config) or ["private endpoints only"]
        box_h = 30 + 22 * len(paths)
        shapes += [Box(20, top, 150, box_h, "people"), Label(30, top + 20, "people", bold=True, size=14)]
        for index, path in enumerate(paths):
            y = top + 42 + index * 22
            shapes.append(Label(30, y, path, size=11))
            if centres:
                shapes.append(Line(170, y - 4, left, top + 59, arrow=True))
        height = max(height, top + box_h + 20)
    return Drawing(WIDTH, height, f"{TITLES[config.mode]} landing zone", tuple(shapes))


CELL_W, CELL_H = 11.0, 18.0
"""Size of one address-map cell."""


def address_map(amap: AddressMap) -> Drawing:
    """One environment's address plan as the wizard draws it: rows of equal blocks, each marked
    with what the AI Factory puts there (common subnets, a project, a gap, free room, an overlap)."""
    projects = [p.number for p in amap.plan.projects]
    label_w = 8.0 * max(len(row.label) for row in amap.rows) + 12
    shapes: list[Shape] = []
    for r, row in enumerate(amap.rows):
        y = 4 + r * (CELL_H + 4)
        shapes.append(Label(label_w - 8, y + 13, row.label, "end", 11, muted=True, mono=True))
        for c, cell in enumerate(row.cells):
            kind: Kind
            if cell.kind == "project":
                kind = "project-a" if projects.index(cell.project) % 2 == 0 else "project-b"
            elif cell.kind == "overlap":
                kind = "error" if cell.severity == "error" else "warning"
            else:
                kind = cell.kind
            text = "" if cell.text in ("━", "░") else cell.text
            shapes.append(Box(label_w + c * CELL_W, y, CELL_W - 1, CELL_H, kind, text, centred=True))
    width = label_w + max(len(row.cells) for row in amap.rows) * CELL_W + 4
    height = 8 + len(amap.rows) * (CELL_H + 4)
    return Drawing(width, height, f"address plan of {amap.plan.environment} ({amap.plan.vnet})", tuple(shapes))
