"""What each step asks, expanded over a configuration: the prompt mode's questions come from here."""

from __future__ import annotations

from pathlib import Path

import pytest

from presets.store import PresetStore
from tests.wizard_pilot import app_on
from wizard.edit import field_spec
from wizard.model import FactoryConfig
from wizard.step_fields import leaf_paths, sections, step_fields, steps_for
from wizard.steps import step_for_field

BUILTINS = ["poc-standalone", "enterprise-hub-spoke", "global-vwan", "hybrid-workshop"]


@pytest.mark.parametrize("name", BUILTINS)
@pytest.mark.parametrize("demo", [False, True], ids=["azure", "demo"])
def test_every_setting_is_asked_once_on_its_own_step_and_can_be_presented(name: str, demo: bool) -> None:
    config = PresetStore().load(name).config
    asked = [(step.id, path) for step in steps_for(demo) for path in step_fields(config, step.id, demo=demo)]
    paths = [path for _, path in asked]
    assert len(paths) == len(set(paths))
    for step_id, path in asked:
        assert field_spec(config, path).kind in ("bool", "choice", "int", "list", "text")
        home = step_for_field(path)
        assert home == step_id or (demo and home == "signin" and step_id == "environments")
    off = [env for env, settings in config.environments_all() if not settings.enabled]
    expected = {p for p in leaf_paths(config) if step_for_field(p)}
    assert set(paths) == {p for p in expected if not any(p.startswith(f"environments.{e}.") and
                                                         not p.endswith(".enabled") for e in off)}


def test_steps_ask_in_their_declared_order_and_group_by_model() -> None:
    config = FactoryConfig.model_validate({"environments": {"stage": {"enabled": True}}})
    fields = step_fields(config, "environments")
    assert fields[:3] == ["environments.dev.enabled", "environments.stage.enabled", "environments.prod.enabled"]
    assert "environments.prod.region" not in fields  # prod is off: only whether to deploy it is asked
    assert [s.key for s in sections(fields)][:4] == ["environments.dev", "environments.stage",
                                                     "environments.prod", "naming"]
    hub = FactoryConfig.model_validate({"landing_zone": {"mode": "hub_spoke"}})
    assert "landing_zone.hub_vnet_ids.dev" in step_fields(hub, "network")
    assert "landing_zone.hub_vnet_ids.stage" not in step_fields(hub, "network")  # stage is off by default


async def test_the_prompts_ask_everything_the_wizard_shows(tmp_path: Path) -> None:
    from screens.widgets.fields import ConfigField

    config = PresetStore().load("enterprise-hub-spoke").config  # every environment on
    app = app_on(tmp_path, config)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = {field.path for field in app.screen.query(ConfigField)}
    asked = {p for step in steps_for(False) for p in step_fields(config, step.id)}
    assert shown and shown <= asked
