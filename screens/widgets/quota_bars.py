"""One environment's quotas as bars: what is used, what this configuration adds, the limit.

The figures are `wizard.quota`'s (the same the live checks judge by); this widget only draws them.
Every part of a bar is also a character, so it reads under NO_COLOR and on a projector:
`█` used by others, `▓` this configuration, `✗` past the limit, `░` free.
"""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from wizard.quota import Bar

LEGEND = "█ used  ▓ this plan  ✗ over the limit  ░ free"
"""What the bar characters mean."""


def _cells(bar: Bar, width: int) -> list[tuple[str, int]]:
    """(kind, cells) runs of one bar `width` cells wide: used, need, over, free."""
    usage = bar.usage
    assert usage is not None
    used, need, limit = max(usage.used, 0), bar.need.amount, max(usage.limit, 0)
    scale = max(limit, used + need, 1)

    def cells(amount: int) -> int:
        return round(amount * width / scale)

    fits = max(min(used + need, limit) - used, 0)
    over = used + need - max(limit, used)
    runs = [("used", cells(min(used, scale))), ("need", cells(fits)), ("over", cells(max(over, 0)))]
    if need and not any(n for kind, n in runs[1:] if n):
        runs[1 if fits else 2] = (runs[1 if fits else 2][0], 1)  # a need never vanishes into rounding
    runs.append(("free", max(width - sum(n for _, n in runs), 0)))
    return runs


GLYPH = {"used": "█", "need": "▓", "over": "✗", "free": "░"}


class QuotaBars(Widget):
    """Every quota one environment's configuration draws on; `bars` and `note` are set by the step."""

    COMPONENT_CLASSES = {"quota-bars--used", "quota-bars--need", "quota-bars--over", "quota-bars--free",
                         "quota-bars--label", "quota-bars--muted"}
    DEFAULT_CSS = """
    QuotaBars { height: auto; width: 1fr; }
    QuotaBars > .quota-bars--used { color: $text-muted; }
    QuotaBars > .quota-bars--need { color: $text-primary; }
    QuotaBars > .quota-bars--over { color: $text-error; background: $error-muted; text-style: bold; }
    QuotaBars > .quota-bars--free { color: $success 60%; }
    QuotaBars > .quota-bars--label { text-style: bold; }
    QuotaBars > .quota-bars--muted { color: $text-muted; }
    """

    bars: reactive[tuple[Bar, ...]] = reactive((), layout=True)
    note: reactive[str] = reactive("", layout=True)
    """Shown for a quota not read yet: `reading…`, `sign in to read`, or why a read failed."""

    def lines(self, width: int) -> list[Text]:
        """Two lines per quota (what and how much, then the bar), for `width` columns."""
        style = self.get_component_rich_style
        out: list[Text] = []
        for bar in self.bars:
            need = bar.need
            head = Text(f"{'✗' if bar.over else '✓' if bar.usage else '·'} ", style=style(
                "quota-bars--over" if bar.over else "quota-bars--label" if bar.usage else "quota-bars--muted"))
            head.append(need.label, style=style("quota-bars--label"))
            if bar.usage is None:
                head.append(f"  needs {need.amount} {need.unit}", style=style("quota-bars--need"))
                head.append(f" · {self.note or 'quota not read yet'}", style=style("quota-bars--muted"))
                out.append(head)
                continue
            usage = bar.usage
            head.append(f"  {usage.used} used + {need.amount} this plan of {usage.limit} {need.unit}",
                        style=style("quota-bars--over" if bar.over else "quota-bars--muted"))
            out.append(head)
            line = Text("  ")
            for kind, count in _cells(bar, max(width - 2, 4)):
                line.append(GLYPH[kind] * count, style=style(f"quota-bars--{kind}"))
            out.append(line)
        if not self.bars:
            out.append(Text("nothing here draws on a regional quota", style=style("quota-bars--muted")))
        return out

    def render(self) -> Text:
        return Text("\n").join(self.lines(self.content_size.width))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return sum(len(line.wrap(self.app.console, width)) for line in self.lines(width))
