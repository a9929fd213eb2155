"""Step 3: which of dev, stage and prod; each one's subscription and region; the names they share."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical

from screens.steps.base import StepPane
from screens.widgets.fields import ConfigField
from wizard.model import ENV_NAMES


class EnvironmentsStep(StepPane):
    """Dev, stage and prod, each in its own subscription and region."""

    STEP_ID = "environments"
    DEFAULT_CSS = """
    EnvironmentsStep .env-box { height: auto; border: round $panel-lighten-2; padding: 0 1; margin-bottom: 1; }
    """

    def compose_body(self) -> ComposeResult:
        for env in ENV_NAMES:
            with Vertical(classes="env-box", id=f"env-{env}") as box:
                box.border_title = env
                yield ConfigField(self.config, f"environments.{env}.enabled", label="Deploy it")
                yield ConfigField(self.config, f"environments.{env}.subscription_id", label="Subscription",
                                  placeholder="00000000-0000-0000-0000-000000000000")
                yield ConfigField(self.config, f"environments.{env}.region", label="Region")
        yield ConfigField(self.config, "naming.prefix", label="Name prefix")
        yield ConfigField(self.config, "naming.scale_set_suffix", label="Scale set suffix")
        yield ConfigField(self.config, "identity.tenant_id", label="Tenant id")
        yield ConfigField(self.config, "identity.azureml_oid", label="Azure ML object id")
