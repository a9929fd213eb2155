"""wizard/model_deployments.py: model deployments added from the catalog and removed, validated whole."""

from __future__ import annotations

from presets.store import PresetStore
from wizard import model_deployments
from wizard.model import FactoryConfig


def hub_spoke() -> FactoryConfig:
    return PresetStore().load("enterprise-hub-spoke").config


def test_model_deployments_are_added_from_the_catalog_and_removed() -> None:
    config = hub_spoke()
    assert "gpt-5.1" not in model_deployments.addable(config) and "gpt-4o" in model_deployments.addable(config)
    added = model_deployments.add(config, "gpt-4o").config
    assert added is not None and (added.skus.models[-1].sku, added.skus.models[-1].capacity) == ("Standard", 30)
    again = model_deployments.add(added, "gpt-4o")
    assert again.config is None and "deployed already" in again.problems[0].message
    assert model_deployments.add(config, "gpt-9").problems[0].field == "skus.models"
    removed = model_deployments.remove(added, 0).config
    assert removed is not None and [d.model for d in removed.skus.models] == ["text-embedding-3-large", "gpt-4o"]
    assert model_deployments.remove(config, 5).config is None
