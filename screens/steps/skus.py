"""Step 6: tiers, VM sizes and model capacity per environment."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from screens.steps.base import StepPane
from screens.widgets.fields import ConfigField
from wizard.model import FactoryConfig


class SkusStep(StepPane):
    """Search and registry tiers, AKS, the model deployments and their capacity."""

    STEP_ID = "skus"

    def compose_body(self) -> ComposeResult:
        for path in ("skus.ai_search_tier", "skus.semantic_tier", "skus.acr_sku", "skus.aks_version",
                     "skus.aks_sku_tier"):
            yield ConfigField(self.config, path)
        yield Static("Models", classes="section")
        for index, deployment in enumerate(self.config.skus.models):
            yield ConfigField(self.config, f"skus.models.{index}.capacity",
                              label=f"{deployment.model} {deployment.sku} (K TPM)")

    def structure(self, config: FactoryConfig) -> object:
        return tuple((m.model, m.sku) for m in config.skus.models)
