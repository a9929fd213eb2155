"""The help pane: the focused field's description, then the findings on it with their fixes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from screens.widgets.findings import FindingList
from wizard.edit import field_spec
from wizard.findings import Finding
from wizard.model import FactoryConfig


class HelpPane(VerticalScroll):
    """Explains the field in focus; F1 shows or hides it (it folds away below 100 columns)."""

    DEFAULT_CSS = """
    HelpPane { width: 28; height: 1fr; border-left: vkey $panel-lighten-2; padding: 0 1; background: $surface; }
    HelpPane > #help-title { text-style: bold; margin-bottom: 1; }
    HelpPane > #help-text { margin-bottom: 1; }
    HelpPane.-hidden { display: none; }
    """

    def compose(self) -> ComposeResult:
        yield Static("Help", id="help-title", markup=False)
        yield Static("Move to a field to read what it means for the AI Factory.", id="help-text", markup=False)
        yield FindingList(empty="", id="help-findings")

    def explain(self, config: FactoryConfig, path: str, findings: list[Finding], *, title: str = "") -> None:
        """Describe the field at `path` and list the findings that name it."""
        try:
            spec = field_spec(config, path)
            heading, text = title or spec.title, spec.description
        except LookupError:
            heading, text = title or path, ""
        self.query_one("#help-title", Static).update(heading)
        self.query_one("#help-text", Static).update(f"{text}\n\n{path}" if text else path)
        self.query_one(FindingList).show([f for f in findings if f.field == path or f.field.startswith(path + ".")])

    def explain_text(self, heading: str, text: str) -> None:
        """Free text (a step's introduction)."""
        self.query_one("#help-title", Static).update(heading)
        self.query_one("#help-text", Static).update(text)
        self.query_one(FindingList).show([])
