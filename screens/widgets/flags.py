"""A switch of the AI Factory as a checklist line: `[✓] Azure Cosmos DB`, what it needs, what followed.

A `FlagField` is a ConfigField (so the help pane explains it, findings mark it, and a finding's
jump lands on it), but flipping it does not edit the configuration: it posts `Flipped`, and the
services step applies `wizard.services.set_flag`, which brings along what the switch needs or
takes along what needs it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Static

from screens.widgets.fields import ConfigField
from screens.widgets.toggle import Toggle
from wizard import services
from wizard.model import FactoryConfig


class FlagField(ConfigField):
    """One on/off switch, with the switches it needs and the note of its last change."""

    DEFAULT_CSS = """
    FlagField { height: auto; }
    FlagField > Toggle { width: 1fr; height: auto; }
    FlagField > .flag-needs { color: $text-muted; padding-left: 4; height: auto; }
    FlagField > .flag-needs.-idle { color: $text-warning; }
    FlagField > .flag-note { color: $text-accent; padding-left: 4; height: auto; }
    FlagField > .field-problem { padding-left: 4; }
    """

    @dataclass
    class Flipped(Message):
        """The person switched `path` to `on`."""

        field: FlagField
        path: str
        on: bool

    def __init__(self, config: FactoryConfig, path: str) -> None:
        super().__init__(config, path, label=services.label(path))
        self.config = config

    def compose(self) -> ComposeResult:
        yield Toggle(bool(self._value), label=self.label, tooltip=self.spec.description)
        yield Static("", classes="flag-needs")
        note = Static("", classes="flag-note", markup=False)
        note.display = False
        yield note
        problem = Static("", classes="field-problem", markup=False)
        problem.display = False
        yield problem

    def _needs_text(self, config: FactoryConfig) -> Text:
        """`needs …` for a switch with requirements; `idle: waits for …` when on without its gate."""
        idle = services.idle_because(config, self.path)
        if idle:
            return Text("idle: waits for " + ", ".join(services.label(p) for p in idle))
        needs = services.requirements(self.path)
        return Text("needs " + ", ".join(services.label(n.needs) for n in needs)) if needs else Text()

    def on_toggle_changed(self, event: Toggle.Changed) -> None:
        event.stop()
        event.prevent_default()  # ConfigField's handler would edit the one field on its own
        self.post_message(self.Flipped(self, self.path, event.value))

    def refresh_value(self, config: FactoryConfig) -> None:
        self.config = config
        super().refresh_value(config)
        self._show_needs()

    def on_mount(self) -> None:
        self._show_needs()

    def _show_needs(self) -> None:
        needs = self.query_one(".flag-needs", Static)
        text = self._needs_text(self.config)
        needs.update(text)
        needs.display = bool(text.plain)
        needs.set_class(bool(services.idle_because(self.config, self.path)), "-idle")

    def show_note(self, notes: tuple[str, ...]) -> None:
        """What followed this switch's last change (empty hides it)."""
        note = self.query_one(".flag-note", Static)
        note.update("\n".join(f"→ {n}" for n in notes))
        note.display = bool(notes)
