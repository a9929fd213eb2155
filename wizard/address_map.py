"""The address plan drawn as a map: which block of an environment's VNet holds what.

The network step shows each environment's VNet as rows of cells, every cell a block of the same
size (a /23 of a /16 at 100 columns), marked with what the AI Factory puts there: the common
subnets, a project's eight subnets, a gap the subnet calculator skips (it only ever appends),
free room, or an overlap with a range outside the factory: the hub, the VPN client pool,
on-premises, another environment (one that covers the whole VNet, as when two environments keep
the default 172.16.0.0/16, is said in words instead, so the plan stays readable). Each mark is a
character, so the map reads without colour.

This module only draws. The plan comes from `network.plan_all`; whether an overlap is an error
or a warning comes from `network.network_findings`, whose finding names both ranges. Pure and
textual-free, so a text front end can print the same map.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network
from typing import Literal

from wizard.findings import SEVERITY_ORDER, Finding, Severity
from wizard.model import EnvName, FactoryConfig, HubSpokeZone, HybridZone, VwanZone
from wizard.network import EnvironmentPlan

CellKind = Literal["common", "project", "gap", "free", "overlap"]

GLYPHS: dict[str, str] = {"common": "c", "gap": "·", "free": "░", "error": "✗", "warning": "!", "info": "~"}
"""The character of each kind of cell (an overlap by its severity; projects show their number)."""

LEGEND: tuple[tuple[str, str], ...] = (
    ("c", "common subnets"),
    ("001", "a project's 8 subnets"),
    ("·", "gap the calculator skips"),
    ("░", "free"),
    ("✗ !", "overlap (error, warning)"),
)
"""What the marks mean, in the order a legend lists them."""

MAX_ROWS = 4
"""A VNet's map is at most this many rows; the cell size grows with the VNet to fit."""

SMALLEST_CELL = 29
"""Cells are never smaller than a /29 (8 addresses)."""


@dataclass(frozen=True, slots=True)
class Neighbour:
    """A range outside this environment's VNet that overlaps it."""

    label: str
    """How the map names it: `hub`, `VPN pool`, `on-premises`, `stage VNet`."""
    network: IPv4Network
    """The range."""
    severity: Severity
    """As network_findings judged the overlap (warning when it said nothing)."""
    whole: bool = False
    """It covers the whole VNet: said in words, not painted over every cell (the plan stays readable)."""


@dataclass(frozen=True, slots=True)
class Cell:
    """One block of addresses and what occupies it."""

    kind: CellKind
    text: str
    """The one character drawn for it."""
    project: str = ""
    """The project number, for a project cell."""
    severity: Severity | None = None
    """The overlap's severity, for an overlap cell."""


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the map."""

    label: str
    """Its first address (`172.20.64.0`), or the octets after the VNet's fixed ones (`.64.0`)."""
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class AddressMap:
    """One environment's VNet as rows of equal cells."""

    plan: EnvironmentPlan
    cell_prefix: int
    """Every cell is a block of this prefix length (e.g. 23)."""
    rows: tuple[Row, ...]
    neighbours: tuple[Neighbour, ...]
    """The outside ranges that overlap the VNet, errors first."""


def neighbours(config: FactoryConfig, plans: dict[EnvName, EnvironmentPlan], environment: EnvName,
               findings: Iterable[Finding]) -> tuple[Neighbour, ...]:
    """The hub, VPN pool, on-premises and other environments' ranges that overlap this VNet.

    Severity comes from the AIF-NET-OVERLAP finding that names the range and this environment
    (or its VNet, when the finding sits on the other environment).
    """
    vnet = plans[environment].vnet
    candidates: list[tuple[str, IPv4Network]] = []
    zone = config.landing_zone
    if isinstance(zone, HubSpokeZone | VwanZone):
        candidates += [("hub", IPv4Network(p)) for p in zone.hub_address_prefixes]
    if isinstance(zone, HybridZone):
        candidates += [("VPN pool", IPv4Network(p)) for p in zone.vpn_client_prefixes]
    candidates += [("on-premises", IPv4Network(p)) for p in config.network.on_premises_prefixes]
    candidates += [(f"{name} VNet", plan.vnet) for name, plan in plans.items() if name != environment]
    overlaps = [f for f in findings if f.code == "AIF-NET-OVERLAP"]
    found = []
    for label, network in candidates:
        if not network.overlaps(vnet):
            continue
        said = [f.severity for f in overlaps if str(network) in f.message
                and (f.environment == environment or str(vnet) in f.message)]
        severity = min(said, key=SEVERITY_ORDER.__getitem__) if said else "warning"
        found.append(Neighbour(label, network, severity, vnet.subnet_of(network)))
    return tuple(sorted(found, key=lambda n: SEVERITY_ORDER[n.severity]))


def draw(plan: EnvironmentPlan, outside: Sequence[Neighbour], width: int) -> AddressMap:
    """Lay the plan out in `width` columns: at most MAX_ROWS rows, as many cells a row as fit.

    Rows are labelled by their first address; where the full address leaves too little room,
    by its octets after the VNet's fixed ones (`.64.0` in 172.20.0.0/16).
    """
    vnet = plan.vnet
    per_row = 128
    while True:
        cell_prefix = min(vnet.prefixlen + (per_row * MAX_ROWS).bit_length() - 1,
                          max(SMALLEST_CELL, vnet.prefixlen))
        row_size = per_row << (32 - cell_prefix)
        starts = [vnet.network_address + offset for offset in range(0, vnet.num_addresses, row_size)]
        for short in (False, True):
            labels = [_row_label(vnet, start, short) for start in starts]
            if max(map(len, labels)) + 1 + per_row <= width or (per_row == 8 and short):
                return _draw(plan, outside, per_row, cell_prefix, labels)
        per_row //= 2


def _row_label(vnet: IPv4Network, start: IPv4Address, short: bool) -> str:
    """A row's first address, whole or without the octets every address of the VNet shares."""
    if not short:
        return str(start)
    return "." + ".".join(str(start).split(".")[vnet.prefixlen // 8:])


def _draw(plan: EnvironmentPlan, outside: Sequence[Neighbour], per_row: int, cell_prefix: int,
          labels: list[str]) -> AddressMap:
    grid = _Grid(plan.vnet, cell_prefix)
    overlap: list[Severity | None] = [None] * grid.count
    for neighbour in (n for n in outside if not n.whole):
        for index, _ in grid.touched(neighbour.network):
            current = overlap[index]
            if current is None or SEVERITY_ORDER[neighbour.severity] < SEVERITY_ORDER[current]:
                overlap[index] = neighbour.severity
    common = {index for subnet in plan.common_subnets for index, _ in grid.touched(subnet.network)}
    owners: list[dict[str, int]] = [{} for _ in range(grid.count)]
    for project in plan.projects:
        for subnet in project.subnets:
            for index, shared in grid.touched(subnet.network):
                owners[index][project.number] = owners[index].get(project.number, 0) + shared
    end = _allocated_end(plan)
    cells = [_cell(overlap[i], i in common, owners[i], grid.start(i) < end) for i in range(grid.count)]
    rows = tuple(Row(label, _label_projects(cells[index * per_row:(index + 1) * per_row]))
                 for index, label in enumerate(labels))
    return AddressMap(plan, cell_prefix, rows, tuple(outside))


@dataclass(frozen=True, slots=True)
class _Grid:
    """A VNet cut into equal cells, and which cells a range touches (by arithmetic, not by listing)."""

    vnet: IPv4Network
    cell_prefix: int

    @property
    def size(self) -> int:
        return 1 << (32 - self.cell_prefix)

    @property
    def count(self) -> int:
        return self.vnet.num_addresses // self.size

    def start(self, index: int) -> int:
        return int(self.vnet.network_address) + index * self.size

    def touched(self, network: IPv4Network) -> list[tuple[int, int]]:
        """(cell index, addresses shared) for every cell `network` overlaps."""
        base, last_cell = int(self.vnet.network_address), self.count - 1
        first, last = int(network.network_address) - base, int(network.broadcast_address) - base
        if last < 0 or first > last_cell * self.size + self.size - 1:
            return []
        found = []
        for index in range(max(0, first // self.size), min(last_cell, last // self.size) + 1):
            low, high = index * self.size, index * self.size + self.size - 1
            found.append((index, min(high, last) - max(low, first) + 1))
        return found


def _allocated_end(plan: EnvironmentPlan) -> int:
    """The address after the last allocated one: below it, unused space is a skipped gap."""
    subnets = [s.network for s in plan.common_subnets] + [s.network for p in plan.projects for s in p.subnets]
    return max(int(n.broadcast_address) + 1 for n in subnets)


def _cell(overlap: Severity | None, common: bool, owners: dict[str, int], below_end: bool) -> Cell:
    """What occupies a cell: an overlap beats the commons, which beat the project holding most of
    it; an empty cell below the last allocation is a gap the calculator skips, above it free."""
    if overlap is not None:
        return Cell("overlap", GLYPHS[overlap], severity=overlap)
    if common:
        return Cell("common", GLYPHS["common"])
    if owners:
        return Cell("project", "", project=max(owners, key=owners.__getitem__))
    return Cell("gap", GLYPHS["gap"]) if below_end else Cell("free", GLYPHS["free"])


def _label_projects(cells: list[Cell]) -> tuple[Cell, ...]:
    """Write each run of one project's cells as its number, then `━` (`001━━`, `01`, `1`)."""
    out = list(cells)
    index = 0
    while index < len(out):
        number = out[index].project
        end = index
        while end < len(out) and number and out[end].project == number:
            end += 1
        if not number:
            index += 1
            continue
        run = end - index
        text = number[-run:] if run < len(number) else number + "━" * (run - len(number))
        for offset, char in enumerate(text):
            out[index + offset] = Cell("project", char, project=number)
        index = end
    return tuple(out)
