"""A `Document` as one self-contained HTML page: inline CSS, inline SVG, no scripts, no fetches.

The customer opens it anywhere (a browser, a mail attachment, printed). Every string of the
document is escaped here, in `_t`, and nowhere is document text placed in markup unescaped, so a
project called `<script>` shows as those characters. Drawings become inline SVG with their
colours from `PALETTE`; the page is light and prints on A4 without the table of contents.
"""

from __future__ import annotations

from html import escape

from wizard import __version__
from wizard.document import (
    Block,
    Bullets,
    CellValue,
    Commands,
    Document,
    Facts,
    Paragraph,
    Section,
    Table,
)
from wizard.drawing import Box, Drawing, Label, Line

PALETTE: dict[str, tuple[str, str]] = {
    "env": ("#f3f7fd", "#4a74b5"),
    "hub": ("#fdf6ec", "#b7791f"),
    "people": ("#f4f1fb", "#6b4fa6"),
    "dns": ("#eef7f0", "#3c8a57"),
    "common": ("#4a74b5", "#3a5e96"),
    "project-a": ("#3c8a57", "#2f6d45"),
    "project-b": ("#77b58b", "#3c8a57"),
    "gap": ("#d9dde3", "#c3c8d0"),
    "free": ("#f7f9fb", "#d4dae2"),
    "error": ("#c53030", "#9b2c2c"),
    "warning": ("#dd8b0b", "#b7791f"),
    "plain": ("#ffffff", "#8a94a3"),
}
"""Fill and stroke of each drawing kind (light, and distinct in greyscale print)."""

DARK_FILLS = {"common", "project-a", "error", "warning"}
"""Kinds whose fill is dark enough for white text."""

CSS = """
:root { --ink: #1f2933; --muted: #5f6b7a; --line: #d4dae2; --ok: #2f7d4a; --warn: #a15c00; --err: #b42318;
        --note: #2f5f9e; --soft: #f5f7fa; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: var(--ink); font: 15px/1.5 -apple-system, "Segoe UI", Roboto,
       "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; }
main, header { max-width: 1040px; margin: 0 auto; padding: 0 28px; }
header { padding-top: 28px; border-bottom: 3px solid #4a74b5; padding-bottom: 12px; }
h1 { font-size: 28px; margin: 0 0 4px; }
h2 { font-size: 21px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 17px; margin: 24px 0 8px; }
.subtitle { color: var(--muted); margin: 0 0 12px; }
nav ol { columns: 3; margin: 8px 0 0; padding-left: 20px; color: var(--muted); }
nav a { color: #2f5f9e; text-decoration: none; }
p { margin: 8px 0; }
.tone-ok { color: var(--ok); } .tone-warning { color: var(--warn); } .tone-error { color: var(--err); }
.tone-muted { color: var(--muted); } .tone-note { color: var(--note); }
p.callout { padding: 8px 12px; border-left: 4px solid currentColor; background: var(--soft); }
code, .mono, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.88em; }
.mono { overflow-wrap: anywhere; }
pre { background: var(--soft); border: 1px solid var(--line); padding: 10px 12px; white-space: pre-wrap;
      overflow-wrap: anywhere; margin: 8px 0; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 14px; font-size: 13px; }
caption { caption-side: bottom; text-align: left; color: var(--muted); padding-top: 4px; font-size: 12px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; vertical-align: top; text-align: left; }
th { background: var(--soft); font-weight: 600; }
tbody tr:nth-child(even) td { background: #fbfcfd; }
td.r, th.r { text-align: right; } td.c, th.c { text-align: center; } td.c { white-space: nowrap; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }
dt { font-weight: 600; color: var(--muted); } dd { margin: 0; }
figure { margin: 10px 0 16px; } figcaption { color: var(--muted); font-size: 12px; }
svg { max-width: 100%; height: auto; display: block; }
footer { max-width: 1040px; margin: 40px auto 24px; padding: 0 28px; color: var(--muted); font-size: 12px; }
@page { size: A4; margin: 14mm; }
@media print {
  body { font-size: 11pt; } nav { display: none; } header { border-bottom-width: 2px; }
  h2 { break-after: avoid; } h3 { break-after: avoid; } figure, tr { break-inside: avoid; }
  thead { display: table-header-group; } table { font-size: 8.5pt; }
  main, header, footer { max-width: none; padding: 0; }
}
"""


def _t(text: str) -> str:
    """Document text as HTML text: the one place it is escaped."""
    return escape(text, quote=True)


def _span(value: CellValue) -> str:
    if isinstance(value, str):
        return _t(value)
    classes = " ".join(c for c in (f"tone-{value.tone}" if value.tone != "plain" else "",
                                   "mono" if value.mono else "") if c)
    if value.tone == "plain" and not value.mono:
        return f"<strong>{_t(value.text)}</strong>"
    return f'<span class="{classes}">{_t(value.text)}</span>'


def _paragraph(block: Paragraph) -> str:
    if block.tone in ("note", "warning", "error"):
        return f'<p class="callout tone-{block.tone}">{_t(block.text)}</p>'
    tone = f' class="tone-{block.tone}"' if block.tone != "plain" else ""
    return f"<p{tone}>{_t(block.text)}</p>"


def _table(block: Table) -> str:
    align = block.align.ljust(len(block.headers), "l")

    def cls(index: int) -> str:
        return f' class="{align[index]}"' if align[index] in "rc" else ""

    head = "".join(f"<th{cls(i)}>{_t(h)}</th>" for i, h in enumerate(block.headers))
    rows = "".join("<tr>" + "".join(f"<td{cls(i)}>{_span(cell)}</td>" for i, cell in enumerate(row)) + "</tr>"
                   for row in block.rows)
    caption = f"<caption>{_t(block.caption)}</caption>" if block.caption else ""
    return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _svg(drawing: Drawing) -> str:
    """A drawing as inline SVG; its text escaped like every other."""
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {drawing.width:g} {drawing.height:g}" '
             f'width="{drawing.width:g}" role="img" aria-label="{_t(drawing.title)}">',
             f"<title>{_t(drawing.title)}</title>"]
    if any(isinstance(shape, Line) and shape.arrow for shape in drawing.shapes):
        parts.append('<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
                     'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#6b7787"/></marker></defs>')
    font = 'font-family="DejaVu Sans, Arial, sans-serif"'
    mono = 'font-family="DejaVu Sans Mono, Menlo, Consolas, monospace"'
    for shape in drawing.shapes:
        if isinstance(shape, Box):
            fill, stroke = PALETTE[shape.kind]
            parts.append(f'<rect x="{shape.x:g}" y="{shape.y:g}" width="{shape.width:g}" height="{shape.height:g}" '
                         f'rx="{2 if shape.centred else 6}" fill="{fill}" stroke="{stroke}"/>')
            if shape.label:
                colour = "#ffffff" if shape.kind in DARK_FILLS else "#1f2933"
                size = min(10 if shape.height < 20 else 12, (shape.width - 4) / (0.6 * len(shape.label)))
                x, y = shape.x + shape.width / 2, shape.y + shape.height / 2 + size / 3
                parts.append(f'<text x="{x:g}" y="{y:.4g}" text-anchor="middle" font-size="{size:.3g}" '
                             f'fill="{colour}" {mono}>{_t(shape.label)}</text>')
        elif isinstance(shape, Line):
            marker = ' marker-end="url(#arrow)"' if shape.arrow else ""
            parts.append(f'<line x1="{shape.x1:g}" y1="{shape.y1:g}" x2="{shape.x2:g}" y2="{shape.y2:g}" '
                         f'stroke="#6b7787" stroke-width="1.5"{marker}/>')
            if shape.label:
                x, y = (shape.x1 + shape.x2) / 2, (shape.y1 + shape.y2) / 2
                parts.append(f'<text x="{x:g}" y="{y:g}" text-anchor="middle" font-size="11" fill="#5f6b7a" '
                             f'paint-order="stroke" stroke="#ffffff" stroke-width="4" {font}>{_t(shape.label)}</text>')
        elif isinstance(shape, Label):
            weight = ' font-weight="bold"' if shape.bold else ""
            colour = "#5f6b7a" if shape.muted else "#1f2933"
            parts.append(f'<text x="{shape.x:g}" y="{shape.y:g}" text-anchor="{shape.anchor}" font-size="{shape.size}" '
                         f'fill="{colour}"{weight} {mono if shape.mono else font}>{_t(shape.text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return _paragraph(block)
    if isinstance(block, Facts):
        return "<dl>" + "".join(f"<dt>{_t(k)}</dt><dd>{_span(v)}</dd>" for k, v in block.pairs) + "</dl>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{_span(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Commands):
        return "<pre>" + "\n".join(_t(line) for line in block.lines) + "</pre>"
    return f"<figure>{_svg(block.drawing)}<figcaption>{_t(block.caption)}</figcaption></figure>"


def _section(section: Section, level: int) -> str:
    body = "".join(_block(b) for b in section.blocks)
    subs = "".join(_section(s, level + 1) for s in section.subsections)
    return (f'<section id="{_t(section.id)}"><h{level}>{_t(section.title)}</h{level}>{body}{subs}</section>')


def render_html(document: Document) -> str:
    """The whole page."""
    toc = "".join(f'<li><a href="#{_t(s.id)}">{_t(s.title)}</a></li>' for s in document.sections)
    sections = "".join(_section(s, 2) for s in document.sections)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light">'
        f"<title>{_t(document.title)}</title><style>{CSS}</style></head>\n<body>"
        f'<header><h1>{_t(document.title)}</h1><p class="subtitle">{_t(document.subtitle)}</p>'
        f"<nav><ol>{toc}</ol></nav></header>\n<main>{sections}</main>\n"
        f"<footer>Written by aifactory {_t(__version__)}. Figures are estimates and plans; Azure decides.</footer>"
        "</body></html>\n"
    )
