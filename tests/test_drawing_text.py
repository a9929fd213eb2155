"""The landing zone as text in the Markdown report: drawn from the same `Drawing` as the HTML's SVG,
for every mode (each built-in preset is one) with one to three environments, within 100 columns,
every label there, and every box and line joined with real box-drawing glyphs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from presets.store import PresetStore
from tests.markdown_lint import lint
from wizard import handover
from wizard.drawing import Box, Drawing, Label, Line
from wizard.drawing_text import COLUMNS, render
from wizard.landing_zones import access_paths
from wizard.model import FactoryConfig, HubSpokeZone, VwanZone
from wizard.network import plan_all

UP, DOWN, LEFT, RIGHT = 1, 2, 4, 8
EXITS = {"│": UP | DOWN, "─": LEFT | RIGHT, "┌": DOWN | RIGHT, "┐": DOWN | LEFT, "└": UP | RIGHT,
         "┘": UP | LEFT, "├": UP | DOWN | RIGHT, "┤": UP | DOWN | LEFT, "┬": DOWN | LEFT | RIGHT,
         "┴": UP | LEFT | RIGHT, "┼": UP | DOWN | LEFT | RIGHT, "▶": LEFT, "◀": RIGHT}
"""Where each glyph's strokes leave its cell (an arrowhead ends the line that reaches it)."""


def broken_joins(lines: list[str]) -> list[str]:
    """Every stroke that leaves a cell must enter its neighbour: a corner without its other corner, a
    junction with nothing attached, a line that stops in the air all show up here."""
    grid = [line.ljust(max(map(len, lines))) for line in lines]

    def exits(r: int, c: int) -> int:
        return EXITS.get(grid[r][c], 0) if 0 <= r < len(grid) and 0 <= c < len(grid[r]) else 0

    problems = []
    for r, row in enumerate(grid):
        for c, char in enumerate(row):
            if char in "▶◀":
                continue
            bits = exits(r, c)
            for bit, (dr, dc), back in ((UP, (-1, 0), DOWN), (DOWN, (1, 0), UP), (LEFT, (0, -1), RIGHT),
                                        (RIGHT, (0, 1), LEFT)):
                if bits & bit and not exits(r + dr, c + dc) & back:
                    problems.append(f"row {r} col {c} {char!r} leads nowhere")
    return problems


def closed_boxes(lines: list[str]) -> int:
    """Boxes found by walking from each `┌` right to its `┐` and down both sides to a `└`/`┘` pair. A
    `┌` without a `┐` on its row fails; one whose sides run into junctions (`┴`) is a tree's bus, not
    a box (`broken_joins` checks where it leads)."""
    found = 0
    for r, row in enumerate(lines):
        for c, char in enumerate(row):
            if char != "┌":
                continue
            right = c + 1
            while row[right] in "─┬┴┼":
                right += 1
            assert row[right] == "┐", f"row {r}: ┌ at {c} has no ┐ ({row!r})"
            ends = []
            for col in (c, right):
                bottom = r + 1
                while lines[bottom][col] in "│├┤":
                    bottom += 1
                ends.append(lines[bottom][col])
            assert ends in (["└", "┘"], ["┴", "┴"]), f"row {r}: box at {c} ends in {ends}"
            found += ends == ["└", "┘"]
    return found


def variant(preset: str, count: int) -> FactoryConfig:
    """A built-in preset with its first `count` environments enabled."""
    data = PresetStore().load(preset).config.model_dump(mode="json", exclude_none=True)
    data["environments"] = {name: {**env, "enabled": index < count}
                            for index, (name, env) in enumerate(data["environments"].items())}
    return FactoryConfig.model_validate(data)


def documents(config: FactoryConfig) -> tuple[str, str]:
    estimate, problem = handover.estimate_for(config)
    document = handover.build(handover.ReportInputs("test", config, handover.offline_checks(config),
                                                    datetime(2026, 12, 2, tzinfo=UTC), estimate, problem))
    return handover.render(document, "markdown"), handover.render(document, "html")


def landing_zone_text(markdown: str) -> list[str]:
    """The text drawing in the Markdown's landing-zone section."""
    section = markdown.split("\n## Landing zone\n", 1)[1].split("\n## ", 1)[0]
    return section.split("```text\n", 1)[1].split("\n```", 1)[0].split("\n")


@pytest.mark.parametrize("count", [1, 2, 3])
@pytest.mark.parametrize("preset", ["poc-standalone", "enterprise-hub-spoke", "global-vwan", "hybrid-workshop"])
def test_markdown_draws_this_configurations_landing_zone(preset: str, count: int) -> None:
    config = variant(preset, count)
    markdown, html = documents(config)
    assert lint(markdown) == []
    lines = landing_zone_text(markdown)
    text = "\n".join(lines)
    assert all(len(line) <= COLUMNS for line in lines), max(map(len, lines))
    plans = plan_all(config, {})
    for name, env in config.environments.enabled():
        assert f"{name} VNet" in text and env.region in text and str(plans[name].vnet) in text, name
        for project in config.projects[:3]:
            assert f"[{project.number}]" in text
    zone = config.landing_zone
    if isinstance(zone, HubSpokeZone | VwanZone):
        hub = "hub VNet vnet-hub-weu" if isinstance(zone, HubSpokeZone) else "Virtual WAN hub vhub-weu"
        assert hub in text and hub in html  # the SVG names the hub too: one model, two renderers
        assert all(prefix in text for prefix in zone.hub_address_prefixes)
        assert text.count("peering" if isinstance(zone, HubSpokeZone) else "connection") == count
        assert closed_boxes(lines) == 1 + count
    elif config.mode == "hybrid":
        assert all(path in text for path in access_paths(config)) and "▶" in text
        assert closed_boxes(lines) == 1 + count
    else:
        assert closed_boxes(lines) == count
    assert broken_joins(lines) == []


@pytest.mark.parametrize("preset", ["poc-standalone", "enterprise-hub-spoke", "global-vwan", "hybrid-workshop"])
def test_every_word_the_svg_shows_is_in_the_text(preset: str) -> None:
    from wizard.drawing import landing_zone

    config = variant(preset, 3)
    picture = landing_zone(config, plan_all(config, {}))
    words = set(render(picture).split())
    shown = [s.text for s in picture.shapes if isinstance(s, Label)]
    shown += [s.label for s in picture.shapes if isinstance(s, Box | Line) and s.label]
    for label in shown:
        assert all(word in words or f"[{word}]" in words for word in label.split()), label


def test_arrows_labels_and_loose_text_are_kept() -> None:
    """Beyond what the landing zone draws today: a labelled line pointing left, and a label under no box."""
    picture = Drawing(300, 100, "two boxes", (
        Box(10, 10, 100, 60, "env"), Label(20, 30, "left box"),
        Box(190, 10, 100, 60, "hub"), Label(200, 30, "right box"), Label(200, 50, "second line"),
        Line(190, 45, 110, 30, "link", arrow=True),
        Label(10, 90, "a note under the drawing"),
    ))
    lines = render(picture).split("\n")
    assert lines[-1] == "a note under the drawing"
    body = lines[:-1]
    assert "◀" in body[1] and "link" in "\n".join(body) and closed_boxes(body) == 2
    assert broken_joins(body) == []
