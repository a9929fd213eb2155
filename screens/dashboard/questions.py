"""What a deployment asks a person: stop (cancel in Azure, or leave running), and register providers."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from screens.modals import MODAL_CSS

QUESTION = ("Stop watching this deployment?\n\n"
            "Cancel in Azure: the deployments still running are canceled (what is being written finishes "
            "first) and the run ends as Canceled.\n"
            "Leave running: Azure goes on; `aifactory resume` follows it later and continues after the "
            "last good stage.")


class InterruptScreen(ModalScreen[str]):
    """Dismisses with `cancel` (in Azure), `leave` (running) or `stay` (keep watching)."""

    DEFAULT_CSS = MODAL_CSS.format(name="InterruptScreen")
    BINDINGS = [
        Binding("c", "answer('cancel')", "Cancel in Azure", id="interrupt.cancel",
                tooltip="Cancel the running deployments in Azure"),
        Binding("l", "answer('leave')", "Leave running", id="interrupt.leave",
                tooltip="Stop here and let Azure finish; resume later"),
        Binding("escape", "answer('stay')", "Keep watching", id="interrupt.stay", tooltip="Go back to the dashboard"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(QUESTION, classes="question", markup=False)
            with Horizontal():
                yield Button("Cancel in Azure (c)", id="cancel", variant="error")
                yield Button("Leave running (l)", id="leave", variant="primary")
                yield Button("Keep watching (esc)", id="stay")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "stay")

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer)


class ConsentScreen(ModalScreen[bool]):
    """A stage needs resource providers that are not registered: register them now? (y / n)"""

    DEFAULT_CSS = MODAL_CSS.format(name="ConsentScreen")
    BINDINGS = [
        Binding("y", "answer(True)", "Register", id="consent.yes", tooltip="Register the providers and go on"),
        Binding("n,escape", "answer(False)", "Do not register", id="consent.no",
                tooltip="Leave them; the stages that need them fail with the command to run"),
    ]

    def __init__(self, subscription_id: str, namespaces: list[str]) -> None:
        super().__init__()
        self.subscription_id = subscription_id
        self.namespaces = namespaces

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Subscription {self.subscription_id} has not registered {', '.join(self.namespaces)}, "
                         "which the deployment needs. Register now? It takes a few minutes; the stage goes on "
                         "once Azure is done.", classes="question", markup=False)
            with Horizontal():
                yield Button("Register (y)", id="yes", variant="primary")
                yield Button("Not now (n)", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
