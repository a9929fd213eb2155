"""NO_COLOR that stays readable: Textual's greys, lifted where a mark would sink into its background.

Under NO_COLOR Textual turns every colour into its grey by luminance. Red has little luminance, so
an error's ✗ (in the sidebar, the preflight grid, beside a field) became dark grey on a dark
background: the one mark that matters most was the one nobody could see. This filter keeps
Textual's greys and moves only a foreground too close to its background to a readable distance.
"""

from __future__ import annotations

from functools import lru_cache

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import LineFilter, monochrome_style

LEAST_CONTRAST = 0.4
"""The smallest brightness difference (0-1) kept between a foreground grey and its background."""


@lru_cache(1024)
def readable_monochrome(style: Style, background: Color) -> Style:
    """`style` in greys (as Textual's Monochrome), its foreground at least LEAST_CONTRAST from the background."""
    grey = monochrome_style(style)
    if grey.color is None:
        return grey
    foreground = Color.from_rich_color(grey.color)
    behind = Color.from_rich_color(grey.bgcolor).monochrome if grey.bgcolor is not None else background.monochrome
    if abs(foreground.brightness - behind.brightness) >= LEAST_CONTRAST:
        return grey
    lifted = behind.brightness + LEAST_CONTRAST if behind.brightness < 0.5 else behind.brightness - LEAST_CONTRAST
    level = round(min(max(lifted, 0.0), 1.0) * 255)
    return grey + Style.from_color(Color(level, level, level).rich_color)


class ReadableMonochrome(LineFilter):
    """Textual's Monochrome filter with `readable_monochrome`'s floor on contrast."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [Segment(text, readable_monochrome(style, background) if style else style, None)
                for text, style, _ in segments]
