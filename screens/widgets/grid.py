"""The preflight grid: a row per check, a column per environment, each cell filling in live."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from wizard.azure.checks import REGISTRY
from wizard.live_state import LiveState
from wizard.model import FactoryConfig

CELL_GLYPHS = {
    "pass": ("✓", "green"), "warn": ("!", "yellow"), "fail": ("✗", "bold red"), "n/a": ("·", "dim"),
    "checking": ("⟳", "cyan"), "cancelled": ("–", "dim"), None: ("?", "dim"),
}
"""Cell state -> glyph and style; the glyph alone tells under NO_COLOR."""


def _cell(state: str | None) -> Text:
    glyph, style = CELL_GLYPHS.get(state, CELL_GLYPHS[None])
    return Text(glyph, style=style, justify="center")


class PreflightGrid(DataTable[Text]):
    """check × environment; the offline rules are the first row."""

    DEFAULT_CSS = "PreflightGrid { height: auto; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._envs: tuple[str, ...] = ()

    def show(self, config: FactoryConfig, state: LiveState, *, live: bool) -> None:
        """Redraw the grid from the current state (cheap: a dozen rows)."""
        envs = tuple(name for name, _ in config.environments.enabled())
        if envs != self._envs or not self.columns:
            self.clear(columns=True)
            self.add_column("check", key="check")
            for env in envs:
                self.add_column(env, key=env, width=6)
            self._envs = envs
        else:
            self.clear()
        offline = {env: "pass" for env in envs}
        for finding in state.offline:
            for env in envs if finding.environment in ("", None) else (finding.environment,):
                if env in offline:
                    now = offline[env]
                    new = "fail" if finding.severity == "error" else "warn" if finding.severity == "warning" else now
                    if now != "fail":
                        offline[env] = new
        self.add_row(Text("offline rules"), *[_cell(offline[e]) for e in envs], key="offline")
        for name, check in REGISTRY.items():
            cells = [_cell(state.cells.get((name, env)) if live else None) for env in envs]
            self.add_row(Text(check.title), *cells, key=name)
