"""Demo mode fills environments without a subscription from the demo tenant, and says so."""

from __future__ import annotations

from sandbox import seed
from wizard.azure.demo import with_demo_subscriptions
from wizard.model import FactoryConfig


def test_unset_and_todo_subscriptions_get_the_demo_tenants() -> None:
    config = FactoryConfig.model_validate({"environments": {
        "dev": {"subscription_id": "<todo>_SubID"},
        "stage": {"enabled": True},
        "prod": {"enabled": True, "subscription_id": seed.CONNECTIVITY_HUB},
    }})
    filled, notes = with_demo_subscriptions(config)
    assert filled.environments.dev.subscription_id == seed.AIF_DEV
    assert filled.environments.stage.subscription_id == seed.AIF_STAGE
    assert filled.environments.prod.subscription_id == seed.CONNECTIVITY_HUB
    assert len(notes) == 2 and "aif-dev" in notes[0] and "aif-stage" in notes[1]


def test_disabled_environments_are_left_alone() -> None:
    filled, notes = with_demo_subscriptions(FactoryConfig())
    assert filled.environments.stage.subscription_id is None and len(notes) == 1
