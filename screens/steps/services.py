"""Step 5: the services each project gets (the AI Factory's ENABLE_* switches)."""

from __future__ import annotations

from textual.app import ComposeResult

from screens.steps.base import StepPane
from screens.widgets.fields import ConfigField
from wizard.model import SERVICE_FLAGS


class ServicesStep(StepPane):
    """A switch per service; security settings below."""

    STEP_ID = "services"

    def compose_body(self) -> ComposeResult:
        for flag in SERVICE_FLAGS:
            yield ConfigField(self.config, f"services.{flag}")
        yield ConfigField(self.config, "services.agent_network_injection")
        yield ConfigField(self.config, "services.ai_search_shared_private_link")
