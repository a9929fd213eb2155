"""FactoryConfig: defaults, round trips, the discriminated landing zone and the committed schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from wizard.errors import friendly_problems
from wizard.model import FactoryConfig, config_json_schema

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "presets" / "factory-config.schema.json"

ZONES = [
    {"mode": "standalone"},
    {"mode": "hub_spoke", "hub_address_prefixes": ["10.100.0.0/22"],
     "dns": {"subscription_id": "3e4f8b5d-a06c-4db1-8f94-5c3ab17eac44", "resource_group": "rg-hub-dns"}},
    {"mode": "vwan", "virtual_hub_ids": {
        "dev": "/subscriptions/3e4f8b5d-a06c-4db1-8f94-5c3ab17eac44/resourceGroups/rg"
               "/providers/Microsoft.Network/virtualHubs/h"}},
    {"mode": "hybrid", "access_paths": ["vpn", "bastion"], "vpn_client_prefixes": ["192.168.100.0/24"]},
]


@pytest.mark.parametrize("zone", ZONES, ids=lambda z: z["mode"])
def test_every_mode_survives_exclude_defaults_round_trip(zone: dict[str, object]) -> None:
    """A defaulted tag would vanish under exclude_defaults; ours has none, so files reload."""
    config = FactoryConfig.model_validate({"landing_zone": zone})
    dumped = config.model_dump(mode="json", exclude_defaults=True)
    assert FactoryConfig.model_validate(dumped) == config
    assert config.mode == zone["mode"]


def test_v124_defaults() -> None:
    config = FactoryConfig()
    assert config.services.ai_foundry and config.services.ai_search and config.services.bot_service
    assert not config.services.azure_ml and config.services.aks_for_azure_ml
    assert config.environments.dev.cidr_octet == 61
    assert config.environments.stage.compute.aks_node_sku == "Standard_DS13-2_v2"
    assert [m.model for m in config.skus.models] == ["gpt-5.1", "text-embedding-3-large"]
    assert config.network.vnet_cidr == "172.16.0.0/16"


def test_partly_given_environment_keeps_its_own_defaults() -> None:
    config = FactoryConfig.model_validate({"environments": {"prod": {"enabled": True}}})
    assert config.environments.prod.cidr_octet == 63
    assert config.environments.prod.compute.aks_node_count == 3


def test_every_field_has_a_description() -> None:
    """Descriptions become the TUI's help text and the schema's docs."""
    missing = []

    def walk(model: type, path: str) -> None:
        for name, info in model.model_fields.items():  # type: ignore[attr-defined]
            if not info.description:
                missing.append(f"{path}{name}")
            annotation = info.annotation
            for candidate in (annotation, *getattr(annotation, "__args__", ())):
                if isinstance(candidate, type) and hasattr(candidate, "model_fields"):
                    walk(candidate, f"{path}{name}.")

    walk(FactoryConfig, "")
    assert missing == []


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"environments": {"dev": {"cidr_octet": 300}}}, "environments.dev.cidr_octet", "at most 255"),
        ({"network": {"vnet_cidr": "300.1.0.0/16"}}, "network.vnet_cidr", "a.b.c.d/nn"),
        ({"naming": {"prefix": "a" * 40}}, "naming.prefix", "at most 10"),
        ({"landing_zone": {"mode": "mesh"}}, "landing_zone", "not a landing-zone mode"),
        ({"environments": {"dev": {"regoin": "x"}}}, "environments.dev.regoin", "did you mean 'region'"),
        ({"projects": [{"number": "000"}]}, "projects.0.number", "start at 001"),
        ({"access": {"ip_allow_list": "10.0.0.1,nonsense"}}, "access.ip_allow_list.1", "not an IPv4"),
        ({"environments": {"dev": {"enabled": False}}}, "environments", "at least one environment"),
    ],
)
def test_friendly_messages_name_the_field(data: dict[str, object], field: str, words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        FactoryConfig.model_validate(data)
    problems = friendly_problems(caught.value, FactoryConfig)
    assert problems[0].field == field
    assert words in problems[0].message


def test_committed_schema_matches_the_model() -> None:
    """Regenerate with `make schema` when the model changes."""
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(config_json_schema())), "run `make schema`"


def test_builtin_presets_validate_against_the_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from wizard.safe_yaml import load_yaml_file

    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    for path in sorted((SCHEMA_FILE.parent / "builtin").glob("*.yaml")):
        jsonschema.validate(load_yaml_file(path).data, schema)
