"""Controls whose state reads without colour: `[✓] on` / `[ ] off`, and `(•)` / `( )` choices.

Textual's Checkbox, Switch and RadioButton tell on from off by colour alone, which vanishes
under NO_COLOR and on some projectors; these say it in characters.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option


class Toggle(Static, can_focus=True):
    """A yes/no value; space, enter or a click flips it."""

    DEFAULT_CSS = """
    Toggle { width: auto; height: 1; padding: 0 1; }
    Toggle:focus { background: $accent 30%; text-style: bold; }
    """
    BINDINGS = [
        Binding("space", "flip", "Toggle", id="toggle.flip", tooltip="Turn it on or off"),
        Binding("enter", "flip", "Toggle", id="toggle.flip.enter", show=False, tooltip="Turn it on or off"),
    ]
    value: reactive[bool] = reactive(False)

    @dataclass
    class Changed(Message):
        """The person flipped it."""

        toggle: Toggle
        value: bool

        @property
        def control(self) -> Toggle:
            return self.toggle

    def __init__(self, value: bool, *, id: str | None = None, tooltip: str | None = None, label: str = "") -> None:
        super().__init__(id=id)
        self.set_reactive(Toggle.value, value)
        self.label = label
        """What is switched, shown after the box (`[✓] vpn`); empty shows `on` / `off`."""
        if tooltip:
            self.tooltip = tooltip

    def render(self) -> Text:
        if self.value:
            return Text(f"[✓] {self.label or 'on'}", style="bold")
        return Text(f"[ ] {self.label or 'off'}", style="dim")

    def action_flip(self) -> None:
        self.value = not self.value
        self.post_message(self.Changed(self, self.value))

    def on_click(self) -> None:
        self.action_flip()


class ChoiceList(OptionList):
    """One of several values, the chosen one marked `(•)`; enter or a click chooses."""

    DEFAULT_CSS = "ChoiceList { height: auto; border: none; padding: 0; }"

    @dataclass
    class Chosen(Message):
        """The person chose `value`."""

        choices: ChoiceList
        value: str

        @property
        def control(self) -> ChoiceList:
            return self.choices

    def __init__(self, choices: list[tuple[str, str]], value: str, *, id: str | None = None) -> None:
        self.choices = choices
        self.value = value
        super().__init__(*[Option(self._prompt(key, title), id=key) for key, title in choices], id=id)

    def _prompt(self, key: str, title: str) -> Text:
        chosen = key == self.value
        text = Text("(•) " if chosen else "( ) ", style="bold" if chosen else "")
        text.append(title, style="bold" if chosen else "")
        return text

    def choose(self, value: str) -> None:
        """Mark `value` as chosen (without posting Chosen)."""
        self.value = value
        for index, (key, title) in enumerate(self.choices):
            self.replace_option_prompt_at_index(index, self._prompt(key, title))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        key = event.option.id or ""
        if key != self.value:
            self.choose(key)
            self.post_message(self.Chosen(self, key))
