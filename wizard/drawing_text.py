"""A `Drawing` as box-drawing text: the Markdown report's picture of the same model the SVG draws.

A character grid cannot keep a page's proportions (a 760-unit drawing is 100 columns, and text
does not shrink to fit a box), so the text keeps the drawing's arrangement instead: boxes whose
tops overlap form a row, rows go top to bottom, boxes left to right, each row centred. A box holds
its labels and small boxes (cells) as lines of text in the order the drawing places them, wrapped
to the box's width; the widest boxes give way first when a row would pass `COLUMNS`. A line
between boxes in different rows becomes a tree (stem, bus, drops with the line's label); between
boxes in one row, a fan into the right box with the drawing's arrow. Line ends join box borders
as junctions (`┬ ┴ ├`), so every corner and crossing is a real box-drawing glyph.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field
from itertools import pairwise

from wizard.drawing import Box, Drawing, Label, Line

COLUMNS = 100
"""The widest a text drawing gets: it reads in a terminal and in GitHub's code block."""

UP, DOWN, LEFT, RIGHT = 1, 2, 4, 8
GLYPHS = {
    UP: "│", DOWN: "│", UP | DOWN: "│", LEFT: "─", RIGHT: "─", LEFT | RIGHT: "─",
    DOWN | RIGHT: "┌", DOWN | LEFT: "┐", UP | RIGHT: "└", UP | LEFT: "┘",
    UP | DOWN | RIGHT: "├", UP | DOWN | LEFT: "┤", DOWN | LEFT | RIGHT: "┬", UP | LEFT | RIGHT: "┴",
    UP | DOWN | LEFT | RIGHT: "┼",
}
"""A grid cell's glyph from the directions lines leave it in."""

GAP, LINKED_GAP = 3, 5
"""Columns between boxes in a row; boxes a line joins need room for its fan and arrow."""


@dataclass(slots=True)
class _Placed:
    """A top-level box on the grid: its text lines (with the drawing y each came from) and place."""

    box: Box
    items: list[tuple[float, str]]
    width: int = 0
    lines: list[tuple[float, str]] = field(default_factory=list)
    row: int = 0
    col: int = 0

    @property
    def natural(self) -> int:
        return min(COLUMNS, max((len(text) for _, text in self.items), default=0) + 4)

    @property
    def height(self) -> int:
        return len(self.lines) + 2

    def wrap(self, width: int) -> None:
        self.width = width
        self.lines = [(y, part) for y, text in self.items
                      for part in textwrap.wrap(text, width - 4, break_on_hyphens=False) or [""]]

    def row_of(self, y: float) -> int:
        """The grid row of the text line nearest to a drawing y (where a line meets this box)."""
        if not self.lines:
            return self.row + 1
        nearest = min(range(len(self.lines)), key=lambda i: abs(self.lines[i][0] - y))
        return self.row + 1 + nearest

    def col_of(self, x: float) -> int:
        """The grid column for a drawing x on this box's top or bottom edge (never a corner)."""
        share = (x - self.box.x) / self.box.width if self.box.width else 0.5
        return self.col + max(1, min(self.width - 2, round(share * (self.width - 1))))


class _Grid:
    """Characters and line directions by (row, column); a cell's directions become its glyph."""

    def __init__(self) -> None:
        self.bits: dict[tuple[int, int], int] = {}
        self.chars: dict[tuple[int, int], str] = {}

    def join(self, row: int, col: int, bits: int) -> None:
        self.bits[row, col] = self.bits.get((row, col), 0) | bits

    def write(self, row: int, col: int, text: str) -> None:
        """Text from `col` on, stopping short of any line it would cross."""
        for index, char in enumerate(text):
            if (row, col + index) in self.bits:
                return
            self.chars[row, col + index] = char

    def box(self, row: int, col: int, width: int, height: int) -> None:
        right, bottom = col + width - 1, row + height - 1
        for c in range(col + 1, right):
            self.join(row, c, LEFT | RIGHT)
            self.join(bottom, c, LEFT | RIGHT)
        for r in range(row + 1, bottom):
            self.join(r, col, UP | DOWN)
            self.join(r, right, UP | DOWN)
        self.join(row, col, DOWN | RIGHT)
        self.join(row, right, DOWN | LEFT)
        self.join(bottom, col, UP | RIGHT)
        self.join(bottom, right, UP | LEFT)

    def vertical(self, col: int, top: int, bottom: int) -> None:
        """A line down `col` from row `top` to row `bottom`, joining whatever it meets at both ends."""
        self.join(top, col, DOWN)
        for r in range(top + 1, bottom):
            self.join(r, col, UP | DOWN)
        self.join(bottom, col, UP)

    def horizontal(self, row: int, left: int, right: int) -> None:
        self.join(row, left, RIGHT)
        for c in range(left + 1, right):
            self.join(row, c, LEFT | RIGHT)
        self.join(row, right, LEFT)

    def lines(self) -> list[str]:
        cells = {**{key: GLYPHS[bits] for key, bits in self.bits.items()}, **self.chars}
        rows = max((r for r, _ in cells), default=-1) + 1
        out = [[" "] * (max((c for _, c in cells), default=0) + 1) for _ in range(rows)]
        for (r, c), char in cells.items():
            out[r][c] = char
        return ["".join(row).rstrip() for row in out]


def _inside(box: Box, x: float, y: float) -> bool:
    return box.x <= x <= box.x + box.width and box.y <= y <= box.y + box.height


def _within(inner: Box, outer: Box) -> bool:
    return inner is not outer and _inside(outer, inner.x, inner.y) and _inside(
        outer, inner.x + inner.width, inner.y + inner.height)


def _items(box: Box, shapes: tuple[Label | Box, ...]) -> list[tuple[float, str]]:
    """What a box holds as lines: its own label, then labels and cells that share a height joined."""
    found: list[tuple[float, float, str]] = []
    if box.label:
        found.append((box.y, box.x, box.label))
    for shape in shapes:
        if isinstance(shape, Label) and _inside(box, shape.x, shape.y):
            found.append((shape.y - shape.size * 0.35, shape.x, shape.text))
        elif isinstance(shape, Box) and _within(shape, box):
            found.append((shape.y + shape.height / 2, shape.x, f"[{shape.label or shape.kind}]"))
    lines: list[list[tuple[float, float, str]]] = []
    for item in sorted(found):
        if lines and abs(lines[-1][0][0] - item[0]) <= 4:
            lines[-1].append(item)
        else:
            lines.append([item])
    return [(line[0][0], " ".join(text for _, _, text in sorted(line, key=lambda i: i[1]))) for line in lines]


def _rows(placed: list[_Placed]) -> list[list[_Placed]]:
    """Boxes whose heights overlap share a row; rows top to bottom, boxes left to right."""
    rows: list[list[_Placed]] = []
    for item in sorted(placed, key=lambda p: p.box.y):
        if rows and item.box.y < max(p.box.y + p.box.height for p in rows[-1]):
            rows[-1].append(item)
        else:
            rows.append([item])
    return [sorted(row, key=lambda p: p.box.x) for row in rows]


def _fit(row: list[_Placed], gaps: list[int]) -> None:
    """Widths for a row within `COLUMNS`: boxes the drawing makes equal stay equal (so a tree's drops
    line up), narrow boxes keep their width, wide ones share the rest."""
    alike: dict[float, list[_Placed]] = {}
    for item in row:
        alike.setdefault(round(item.box.width, 1), []).append(item)
    room, left = COLUMNS - sum(gaps), len(row)
    for group in sorted(alike.values(), key=lambda g: max(p.natural for p in g)):
        width = max(8, min(max(p.natural for p in group), room // left))
        for item in group:
            item.wrap(width)
        room, left = room - width * len(group), left - len(group)


def _nearest(placed: list[_Placed], x: float, y: float) -> _Placed:
    """The box whose border passes closest to a point (where a line ends)."""
    def distance(p: _Placed) -> float:
        b = p.box
        dx = max(b.x - x, 0.0, x - b.x - b.width)
        dy = max(b.y - y, 0.0, y - b.y - b.height)
        if dx or dy:
            return math.hypot(dx, dy)
        return min(x - b.x, b.x + b.width - x, y - b.y, b.y + b.height - y)
    return min(placed, key=distance)


def render(drawing: Drawing) -> str:
    """The drawing as lines of text at most `COLUMNS` wide (labels outside every box go under it)."""
    boxes = [s for s in drawing.shapes if isinstance(s, Box)]
    contents = tuple(s for s in drawing.shapes if isinstance(s, Label | Box))
    placed = [_Placed(b, _items(b, contents)) for b in boxes if not any(_within(b, o) for o in boxes)]
    rows = _rows(placed)
    index = {id(p): (r, i) for r, row in enumerate(rows) for i, p in enumerate(row)}
    ends: list[tuple[Line, _Placed, _Placed]] = [
        (line, _nearest(placed, line.x1, line.y1), _nearest(placed, line.x2, line.y2))
        for line in drawing.shapes if isinstance(line, Line) and placed]
    across = [(line, a, b) for line, a, b in ends if index[id(a)][0] == index[id(b)][0]]
    down = [(line, a, b) if index[id(a)][0] < index[id(b)][0] else (line, b, a)
            for line, a, b in ends if index[id(a)][0] != index[id(b)][0]]
    grid = _Grid()
    top = 0
    linked = {frozenset((id(a), id(b))) for _, a, b in across}
    for r, row in enumerate(rows):
        labels = [len(line.label) for line, a, b in across if index[id(a)][0] == r]
        gaps = [max(LINKED_GAP, max(labels, default=0) + 4) if frozenset((id(x), id(y))) in linked else GAP
                for x, y in pairwise(row)]
        _fit(row, gaps)
        width = sum(p.width for p in row) + sum(gaps)
        if r:
            linked_down = [line for line, _, b in down if index[id(b)][0] == r]
            top += (3 if any(line.label for line in linked_down) else 2) if linked_down else 1
        col = (COLUMNS - width) // 2
        for p, gap in zip(row, [*gaps, 0], strict=True):
            p.row, p.col = top, col
            grid.box(p.row, p.col, p.width, p.height)
            for offset, (_, text) in enumerate(p.lines):
                grid.write(p.row + 1 + offset, p.col + 2, text)
            col += p.width + gap
        top += max(p.height for p in row)
    _trees(grid, down)
    _fans(grid, across)
    drawn = grid.lines()
    shift = min((len(row) - len(row.lstrip()) for row in drawn if row.strip()), default=0)
    body = [row[shift:] for row in drawn]
    loose = sorted((s for s in drawing.shapes if isinstance(s, Label) and not any(_inside(b, s.x, s.y) for b in boxes)),
                   key=lambda s: (s.y, s.x))
    return "\n".join([*body, *(label.text for label in loose)]).rstrip("\n")


def _trees(grid: _Grid, down: list[tuple[Line, _Placed, _Placed]]) -> None:
    """Lines from a box down to boxes in a lower row: a stem, a bus across, a drop to each box."""
    groups: dict[tuple[int, int], list[tuple[Line, _Placed, _Placed]]] = {}
    for line, upper, lower in down:
        groups.setdefault((id(upper), lower.row), []).append((line, upper, lower))
    for group in groups.values():
        upper, lower = group[0][1], group[0][2]
        labelled = any(line.label for line, _, _ in group)
        bus = lower.row - (2 if labelled else 1)
        stems = {upper.col_of(line.x1 if line.y1 < line.y2 else line.x2) for line, _, _ in group}
        drops = [(b.col_of(line.x2 if line.y1 < line.y2 else line.x1), b.row, line.label) for line, _, b in group]
        for stem in stems:
            grid.vertical(stem, upper.row + upper.height - 1, bus)
        cols = sorted(stems | {c for c, _, _ in drops})
        if len(cols) > 1:
            grid.horizontal(bus, cols[0], cols[-1])
        for col, row, label in drops:
            grid.vertical(col, bus, row)
            if label:
                grid.write(bus + 1, col + 2, label)


def _fans(grid: _Grid, across: list[tuple[Line, _Placed, _Placed]]) -> None:
    """Lines between neighbours in a row: out of the left box's border, down or up a fan, into the right
    box, with the drawing's arrowhead and label."""
    groups: dict[tuple[int, int], list[tuple[Line, _Placed, _Placed]]] = {}
    for line, a, b in across:
        left, right = (a, b) if a.col < b.col else (b, a)
        groups.setdefault((id(left), id(right)), []).append((line, left, right))
    for group in groups.values():
        left, right = group[0][1], group[0][2]
        edge, fan, end = left.col + left.width - 1, left.col + left.width + 1, right.col
        starts, stops = set(), set()
        for line, _, _ in group:
            from_left = line.x1 <= line.x2
            start = left.row_of(line.y1 if from_left else line.y2)
            stop = right.row_of(line.y2 if from_left else line.y1)
            starts.add(start)
            stops.add(stop)
            if line.arrow:
                grid.chars.update({(stop, end - 1): "▶"} if from_left else {(start, edge + 1): "◀"})
            if line.label:
                grid.write(stop - 1, fan + 2, line.label)
        for row in starts:
            grid.horizontal(row, edge + 1 if (row, edge + 1) in grid.chars else edge, fan)
        for row in stops:
            grid.horizontal(row, fan, end - 1 if (row, end - 1) in grid.chars else end)
        rows = sorted(starts | stops)
        if len(rows) > 1:
            grid.vertical(fan, rows[0], rows[-1])
