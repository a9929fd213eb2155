"""Modal questions: quit with unsaved changes, a name to save as, a file to import or write, a tenant.

Each is a `ModalScreen[T]` with its own CSS, keys for every answer, and `dismiss(value)`
(harlequin's confirm_modal). Callers push them and act on the value.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

MODAL_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 72; max-width: 95%; height: auto; border: thick $primary; background: $surface; padding: 1 2;
}}
{name} .question {{ margin-bottom: 1; }}
{name} .problem {{ color: $error; height: auto; }}
{name} Horizontal {{ height: auto; margin-top: 1; align-horizontal: right; }}
{name} Button {{ margin-left: 1; }}
"""


class QuitScreen(ModalScreen[str]):
    """Unsaved changes: save first, quit anyway, or stay. Dismisses with `save`, `quit` or `stay`."""

    DEFAULT_CSS = MODAL_CSS.format(name="QuitScreen")
    BINDINGS = [
        Binding("s", "answer('save')", "Save", id="quit.save", tooltip="Save the preset, then quit"),
        Binding("q", "answer('quit')", "Quit anyway", id="quit.discard", tooltip="Lose the unsaved changes"),
        Binding("escape", "answer('stay')", "Stay", id="quit.stay", tooltip="Go back to the wizard"),
    ]

    def __init__(self, name: str) -> None:
        super().__init__()
        self.preset = name

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"{self.preset or 'This configuration'} has unsaved changes.", classes="question",
                         markup=False)
            with Horizontal():
                yield Button("Save and quit (s)", id="save", variant="primary")
                yield Button("Quit anyway (q)", id="quit", variant="error")
                yield Button("Stay (esc)", id="stay")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "stay")

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer)


class TextQuestion(ModalScreen[str | None]):
    """One line of text (a preset name, a file path); enter answers, escape cancels.

    `check` returns a problem to show (the answer is not accepted) or None.
    """

    DEFAULT_CSS = MODAL_CSS.format(name="TextQuestion")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="question.cancel", tooltip="Close without an answer")]

    def __init__(self, question: str, value: str = "", *, placeholder: str = "",
                 check: object = None) -> None:
        super().__init__()
        self.question, self.value, self.placeholder = question, value, placeholder
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question, classes="question", markup=False)
            yield Input(self.value, placeholder=self.placeholder, id="answer")
            yield Static("", classes="problem", markup=False)
            with Horizontal():
                yield Button("OK", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._answer(event.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self._answer(self.query_one(Input).value)
        else:
            self.dismiss(None)

    def _answer(self, value: str) -> None:
        value = value.strip()
        problem = self.check(value) if callable(self.check) else None
        if problem:
            self.query_one(".problem", Static).update(str(problem))
            return
        self.dismiss(value or None)

    def show_problem(self, text: str) -> None:
        """Show a problem found after the answer was given (the caller keeps the modal open)."""
        self.query_one(".problem", Static).update(text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TenantScreen(ModalScreen[str | None]):
    """Pick one of several tenants the sign-in can see."""

    DEFAULT_CSS = MODAL_CSS.format(name="TenantScreen")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="tenant.cancel", tooltip="Do not choose a tenant")]

    def __init__(self, tenants: list[tuple[str, str]]) -> None:
        super().__init__()
        self.tenants = tenants

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Which tenant holds the AI Factory?", classes="question")
            yield OptionList(*[Option(f"{name} ({tid})", id=tid) for tid, name in self.tenants])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class DeployConfirm(ModalScreen[bool]):
    """Deploying is the one step that changes Azure: say what will be deployed where, and the
    errors the review still shows, then wait for a yes. Dismisses with True to deploy."""

    DEFAULT_CSS = MODAL_CSS.format(name="DeployConfirm") + """
    DeployConfirm .errors { color: $error; margin-bottom: 1; }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "Deploy", id="deploy.yes", tooltip="Submit the deployments now"),
        Binding("escape,n", "answer(False)", "Not now", id="deploy.no", tooltip="Back to the review"),
    ]

    def __init__(self, summary: str, errors: int) -> None:
        super().__init__()
        self.summary = summary
        self.errors = errors

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.summary, classes="question", markup=False)
            if self.errors:
                yield Static(f"The review still shows {self.errors} error{'s' if self.errors != 1 else ''}: "
                             "the preflight will refuse the deployment until they are fixed.",
                             classes="errors", markup=False)
            with Horizontal():
                yield Button("Deploy (y)", id="yes", variant="warning")
                yield Button("Not now (esc)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()  # a stray enter must not deploy

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
