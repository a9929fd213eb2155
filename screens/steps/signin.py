"""Step 2: the Azure account and tenant the live checks use (skipped in demo mode)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Static

from screens.messages import SignInRequested
from screens.steps.base import StepPane
from wizard.model import FactoryConfig


class SignInStep(StepPane):
    """Who the wizard checks Azure as; signing in never blocks the other steps."""

    STEP_ID = "signin"
    DEFAULT_CSS = """
    SignInStep #signin-status { margin-bottom: 1; }
    SignInStep #signin-buttons { height: auto; }
    SignInStep #signin-buttons Button { margin-bottom: 1; }
    """

    def __init__(self, config: FactoryConfig, *, demo: bool) -> None:
        super().__init__(config, demo=demo)
        self.status = "not signed in: the live checks wait until you sign in"

    def compose_body(self) -> ComposeResult:
        yield Static(self.status, id="signin-status", markup=False)
        with Vertical(id="signin-buttons"):  # stacked: side by side they overflow a narrow pane
            yield Button("Sign in (az login)", id="signin-cli", variant="primary",
                         tooltip="Use the Azure CLI's sign-in, or the environment's service principal")
            yield Button("Sign in with a device code", id="signin-device",
                         tooltip="Sign in from another device (workshop machines)")

    def set_status(self, text: str) -> None:
        """Show who is signed in, or what went wrong."""
        self.status = text
        self.query_one("#signin-status", Static).update(text)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(SignInRequested(device_code=event.button.id == "signin-device"))
