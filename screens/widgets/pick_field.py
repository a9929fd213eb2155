"""A field whose value is chosen from a list (a subscription, a region) rather than typed.

It is a `ConfigField` like the others (its path, problem line, marks, focus from a finding's
jump), but its control is a button showing the value in words (`aif-dev · 0b1c…`); enter, space
or a click asks for the picker with `PickField.Requested`. The step that holds it opens the
picker and posts the answer as `FieldEdited`, so the App applies it with `try_set` as any edit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from screens.widgets.fields import ConfigField, _value_at
from wizard.model import FactoryConfig

Describe = Callable[[object], Text]
"""Turns a field's value into what the button shows."""


class PickButton(Static, can_focus=True):
    """Shows the value; enter, space or a click opens the picker."""

    DEFAULT_CSS = """
    PickButton { width: 1fr; height: 1; padding: 0 1; background: $boost; text-wrap: nowrap; text-overflow: ellipsis; }
    PickButton:focus { background: $accent 30%; text-style: bold; }
    PickButton:hover { background: $accent 15%; }
    """
    BINDINGS = [
        Binding("enter", "pick", "Choose", id="pick.open", tooltip="Open the list to choose from (type to filter)"),
        Binding("space", "pick", "Choose", id="pick.open.space", show=False, tooltip="Open the list"),
    ]

    def __init__(self, text: Text, *, tooltip: str = "") -> None:
        super().__init__(text, markup=False)
        if tooltip:
            self.tooltip = tooltip

    def action_pick(self) -> None:
        field = self.parent.parent if self.parent is not None else None
        if isinstance(field, PickField):
            field.post_message(PickField.Requested(field))

    def on_click(self) -> None:
        self.action_pick()


class PickField(ConfigField):
    """A ConfigField chosen through a picker; `describe` says how its value reads."""

    @dataclass
    class Requested(Message):
        """The person wants to choose this field's value."""

        field: PickField

    def __init__(self, config: FactoryConfig, path: str, *, label: str, describe: Describe) -> None:
        self.describe = describe
        super().__init__(config, path, label=label)

    def _control(self) -> Widget:
        return PickButton(self._shown(), tooltip=self.spec.description)

    def _shown(self) -> Text:
        text = Text("▾ ", style="bold")
        text.append_text(self.describe(self._value))
        return text

    @property
    def control(self) -> Widget:
        return self.query_one(PickButton)

    @property
    def value(self) -> object:
        """The value the field shows (the configuration's)."""
        return self._value

    def refresh_value(self, config: FactoryConfig) -> None:
        self._value = _value_at(config, self.path)
        self.redescribe()

    def redescribe(self) -> None:
        """Draw the value again (its description changed: the subscriptions' names arrived)."""
        if self.is_mounted:
            self.query_one(PickButton).update(self._shown())
