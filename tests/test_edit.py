"""try_set: one field edited on a copy, the whole configuration validated, full dotted paths."""

from __future__ import annotations

import pytest

from wizard.edit import changed_paths, get_path, path_matches, try_set
from wizard.model import FactoryConfig


@pytest.fixture
def config() -> FactoryConfig:
    return FactoryConfig()


@pytest.mark.parametrize(
    ("path", "raw", "expected"),
    [
        ("services.cosmos_db", "true", True),  # bool from text
        ("services.ai_search", False, False),  # bool as itself
        ("environments.dev.cidr_octet", "70", 70),  # int from text
        ("environments.dev.region", "westeurope", "westeurope"),  # str
        ("skus.ai_search_tier", "standard", "standard"),  # Literal
        ("access.ip_allow_list", "203.0.113.7, 198.51.100.0/24", ["203.0.113.7", "198.51.100.0/24"]),  # CSV list
        ("environments.dev.subscription_id", "0B1C5E2A-7D3F-4A8E-9C61-2F0D8E4B7A11",
         "0b1c5e2a-7d3f-4a8e-9c61-2f0d8e4b7a11"),  # Guid, normalised
        ("projects.0.name", "fraud detection", "fraud detection"),  # list index
        ("projects.0.services.databricks", "true", True),  # new key in a mapping field
        ("aifactory_extra.MY_VAR", "x", "x"),  # new key in the verbatim mapping
        ("environments.dev.compute.aks_node_count", "4", 4),  # nested model
        ("skus.models.0.capacity", "20", 20),  # model in a list
    ],
)
def test_every_kind_of_field(config: FactoryConfig, path: str, raw: object, expected: object) -> None:
    edit = try_set(config, path, raw)
    assert edit.ok, edit.problems
    assert edit.config is not None
    assert get_path(edit.config, path) == expected
    assert edit.config is not config


def test_the_original_is_never_touched(config: FactoryConfig) -> None:
    before = config.model_dump()
    try_set(config, "services.cosmos_db", "true")
    try_set(config, "environments.dev.cidr_octet", "999")
    assert config.model_dump() == before


def test_empty_text_unsets_an_optional_value(config: FactoryConfig) -> None:
    with_sub = try_set(config, "environments.dev.subscription_id", "0b1c5e2a-7d3f-4a8e-9c61-2f0d8e4b7a11").config
    assert with_sub is not None
    edit = try_set(with_sub, "environments.dev.subscription_id", "")
    assert edit.config is not None and edit.config.environments.dev.subscription_id is None


@pytest.mark.parametrize(
    ("path", "raw", "field", "words"),
    [
        ("environments.dev.cidr_octet", "300", "environments.dev.cidr_octet", "out of range"),
        ("environments.dev.cidr_octet", "sixty", "environments.dev.cidr_octet", "whole number"),
        ("skus.ai_search_tier", "gigantic", "skus.ai_search_tier", "not allowed"),
        ("access.ip_allow_list", "10.0.0.1,nonsense", "access.ip_allow_list.1", "not an IPv4"),
        ("environments.dev.subscription_id", "not-a-guid", "environments.dev.subscription_id", "GUID"),
        ("projects.0.services.warp_drive", "true", "projects.0.services", "unknown service"),
        ("environments.dev.enabled", "false", "environments", "at least one environment"),
        ("services.no_such_flag", "true", "services.no_such_flag", "no setting"),
        ("projects.7.name", "x", "projects.7.name", "no setting"),
    ],
)
def test_refused_values_name_the_full_path(config: FactoryConfig, path: str, raw: str, field: str,
                                           words: str) -> None:
    edit = try_set(config, path, raw)
    assert not edit.ok and edit.config is None
    assert any(p.field == field and words in p.message for p in edit.problems), edit.problems


def test_whole_config_rules_run_on_an_edit(config: FactoryConfig) -> None:
    """Turning off the only environment slipped past assignment validation before."""
    edit = try_set(config, "environments.dev.enabled", False)
    assert not edit.ok
    assert edit.problems[0].field == "environments"


def test_switching_landing_zone_mode_keeps_what_the_new_mode_has(config: FactoryConfig) -> None:
    hub = try_set(config, "landing_zone.mode", "hub_spoke").config
    assert hub is not None and hub.mode == "hub_spoke"
    hub = try_set(hub, "landing_zone.hub_address_prefixes", "10.0.0.0/22").config
    assert hub is not None
    vwan = try_set(hub, "landing_zone.mode", "vwan").config
    assert vwan is not None and vwan.landing_zone.hub_address_prefixes == ["10.0.0.0/22"]  # type: ignore[union-attr]
    back = try_set(vwan, "landing_zone.mode", "standalone").config
    assert back is not None and back.mode == "standalone"
    bad = try_set(config, "landing_zone.mode", "mesh")
    assert not bad.ok and "not a landing-zone mode" in bad.problems[0].message


def test_changed_paths(config: FactoryConfig) -> None:
    edited = try_set(config, "environments.dev.region", "westeurope").config
    assert edited is not None
    assert changed_paths(config, edited) == {"environments.dev.region"}
    more = edited.model_copy(update={"projects": [*edited.projects, edited.projects[0].model_copy(
        update={"number": "002"})]})
    assert "projects" in changed_paths(edited, more)
    assert changed_paths(config, config) == set()


def test_path_matches() -> None:
    assert path_matches("network", "network.vnet_cidr")
    assert path_matches("environments.*.region", "environments.stage.region")
    assert not path_matches("environments.*.region", "environments.stage.cidr_octet")
    assert not path_matches("services.ai_search", "services.aks")
