"""The steps sidebar: every step with its mark (✓ ok, ! warnings, ✗ errors, ⟳ checking, – untouched)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from screens.messages import GoToStep
from wizard.live_state import MARKS, StepMark
from wizard.steps import STEPS

MARK_STYLES: dict[StepMark, str] = {
    "untouched": "dim", "ok": "bold green", "warn": "bold yellow", "error": "bold red", "checking": "bold cyan",
}
"""Rich styles for the marks; under NO_COLOR they fall back to bold or dim, and the glyph still tells."""


class Sidebar(OptionList):
    """The steps of the wizard; selecting one shows it (the wizard screen decides how)."""

    DEFAULT_CSS = """
    Sidebar {
        width: 21;
        height: 1fr;
        border: none;
        background: $panel;
        padding: 0;
    }
    Sidebar:focus { border: none; background-tint: $foreground 5%; }
    Sidebar.-narrow { width: 6; }
    """

    def __init__(self, *, demo: bool, id: str | None = None) -> None:
        self.demo = demo
        self.steps = [s for s in STEPS if not (demo and s.demo_skips)]
        self.marks: dict[str, StepMark] = {s.id: "untouched" for s in self.steps}
        self.narrow = False
        super().__init__(*[Option(self._label(i), id=s.id) for i, s in enumerate(self.steps)], id=id)

    def _label(self, index: int) -> Text:
        step = self.steps[index]
        mark = self.marks.get(step.id, "untouched")
        text = Text()
        text.append(f"{index + 1} ", style="dim")
        if not self.narrow:
            text.append(f"{step.title:<16}")
        text.append(MARKS[mark], style=MARK_STYLES[mark])
        return text

    def set_marks(self, marks: dict[str, StepMark]) -> None:
        """Redraw the marks that changed."""
        for index, step in enumerate(self.steps):
            mark = marks.get(step.id, "untouched")
            if self.marks.get(step.id) != mark:
                self.marks[step.id] = mark
                self.replace_option_prompt_at_index(index, self._label(index))

    def set_narrow(self, narrow: bool) -> None:
        """Numbers and marks only (80 columns), or titles too."""
        if narrow == self.narrow:
            return
        self.narrow = narrow
        self.set_class(narrow, "-narrow")
        for index in range(len(self.steps)):
            self.replace_option_prompt_at_index(index, self._label(index))

    def show(self, step_id: str) -> None:
        """Highlight the step being shown (without posting a selection)."""
        for index, step in enumerate(self.steps):
            if step.id == step_id:
                self.highlighted = index

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(GoToStep(event.option.id))
