"""What the values mean: the table applied to small files, in both directions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from wizard.interop import ImportResult, InteropError, export_ado, export_env, import_file
from wizard.interop.ado_yaml import AdoDocument
from wizard.interop.dotenv import EnvDocument
from wizard.model import FactoryConfig, HubDns, HubSpokeZone, HybridZone, ModelDeployment, ProjectConfig, VwanZone

GUID = "11111111-2222-3333-4444-555555555555"


Writer = Callable[..., Path]


@pytest.fixture
def env_file(tmp_path: Path) -> Writer:
    """Write a small config file into the test's directory (named .env unless told)."""

    def write(text: str, name: str = ".env") -> Path:
        path = tmp_path / name
        path.write_text(text)
        return path

    return write


def _import(env_file: Writer, text: str, name: str = ".env") -> ImportResult:
    return import_file(env_file(text, name))


def _env_values(config: FactoryConfig) -> dict[str, str]:
    return EnvDocument.parse(export_env(config).text, "x.env").values()


def _ado_values(config: FactoryConfig) -> dict[str, str]:
    return AdoDocument.parse(export_ado(config).text, "v.yaml").values()


# --------------------------------------------------------------------------- per-variable mapping


def test_environment_variables_land_in_their_environment(env_file: Writer) -> None:
    result = _import(env_file, f'DEV_SUBSCRIPTION_ID="{GUID}"\nSTAGE_CIDR_RANGE="70"\nPROD_NETWORK_ENV="prd-"\n'
                               'AIFACTORY_LOCATION="swedencentral"\nAIFACTORY_LOCATION_SHORT="sdc"\n'
                               'AIFACTORY_COMMON_ONLY_DEV_ENVIRONMENT="false"\n')
    envs = result.config.environments
    assert envs.dev.subscription_id == GUID
    assert envs.stage.cidr_octet == 70
    assert envs.prod.network_env == "prd-"
    assert {env.region for _, env in result.config.environments_all()} == {"swedencentral"}
    assert {env.region_short for _, env in result.config.environments_all()} == {"sdc"}
    assert envs.stage.enabled and envs.prod.enabled


def test_dev_and_test_prod_sizes(env_file: Writer) -> None:
    result = _import(env_file, 'ADMIN_AKS_NODES_DEV_OVERRIDE="2"\nADMIN_AKS_NODES_TEST_PROD_OVERRIDE="7"\n')
    envs = result.config.environments
    assert (envs.dev.compute.aks_node_count, envs.stage.compute.aks_node_count,
            envs.prod.compute.aks_node_count) == (2, 7, 7)
    config = result.config
    config.environments.stage.compute.aks_node_count = 4
    config.environments.stage.enabled = True
    config.environments.stage.region = "westeurope"
    exported = export_env(config)
    values = EnvDocument.parse(exported.text, "x").values()
    assert values["ADMIN_AKS_NODES_TEST_PROD_OVERRIDE"] == "7"
    assert values["AIFACTORY_LOCATION"] == "eastus2"
    notes = " ".join(exported.notes)
    assert ("ADMIN_AKS_NODES_TEST_PROD_OVERRIDE is one setting for several environments: Prod has 7, "
            "which is written, but Stage has 4") in notes
    # the region can differ per environment: a GitHub environment variable carries Stage's
    assert "gh variable set AIFACTORY_LOCATION --env stage --body westeurope" in notes
    assert "AIFACTORY_LOCATION is one setting" not in notes


def test_agent_network_injection_is_the_inverse_switch(env_file: Writer) -> None:
    config = _import(env_file, 'DISABLE_AGENT_NETWORK_INJECTION="true"\n').config
    assert config.services.agent_network_injection is False
    config.services.agent_network_injection = True
    assert _env_values(config)["DISABLE_AGENT_NETWORK_INJECTION"] == "false"


def test_project_variables_map_to_the_first_project(env_file: Writer) -> None:
    config = _import(env_file, f'PROJECT_NUMBER="007"\nPROJECT_MEMBERS="{GUID},{GUID.replace("1", "9")}"\n'
                               'PROJECT_MEMBERS_IP_ADDRESS="-"\nTAG_COSTCENTER="42"\n').config
    project = config.projects[0]
    assert (project.number, len(project.members), project.cost_center) == ("007", 2, "42")
    assert config.access.ip_allow_list == []
    config.projects[0].ip_allow_list = ["203.0.113.0/24"]
    config.projects.append(ProjectConfig(number="008"))
    config.projects[0].services = {"cosmos_db": True}
    exported = export_env(config)
    values = EnvDocument.parse(exported.text, "x").values()
    assert values["PROJECT_NUMBER"] == "007"
    assert values["PROJECT_MEMBERS_IP_ADDRESS"] == "203.0.113.0/24"
    assert values["ENABLE_COSMOS_DB"] == "true"
    notes = " ".join(exported.notes)
    assert "Only project 007 is written" in notes and "008" in notes
    assert "203.0.113.0/24" in notes


def test_a_model_error_names_variable_line_and_fix(env_file: Writer) -> None:
    path = env_file('# x\nAIFACTORY_PREFIX="Not Valid"\n')
    with pytest.raises(InteropError) as caught:
        import_file(path)
    assert caught.value.line == 2
    assert caught.value.message.startswith("AIFACTORY_PREFIX must match")
    assert 'AIFACTORY_PREFIX="acme-ai-"' in caught.value.hint


# --------------------------------------------------------------------------- exact text and placeholders


def test_values_the_model_writes_differently_come_back_as_written(env_file: Writer) -> None:
    text = ('CMK="True"\nKEYVAULT_SOFT_DELETE="007"\nACR_IP_WHITELIST="1.2.3.4, 5.6.7.8"\n'
            f'TENANT_ID="{GUID.upper()}"\nAIFACTORY_SALT="<5>"\n')
    path = env_file(text)
    config = import_file(path).config
    assert config.security.cmk is True
    assert config.security.keyvault_soft_delete_days == 7
    assert config.identity.tenant_id == GUID
    assert config.naming.salt is None
    assert export_env(config, base=path).text.startswith(text)
    config.security.keyvault_soft_delete_days = 30  # an edit wins over the file's spelling
    assert EnvDocument.parse(export_env(config, base=path).text, "x").values()["KEYVAULT_SOFT_DELETE"] == "30"


def test_placeholders_the_model_cannot_hold_round_trip(env_file: Writer) -> None:
    text = ('KEYVAULT_SOFT_DELETE="<todo>"\nADMIN_AISEARCH_TIER="<todo>_tier"\nDEV_CIDR_RANGE="<todo>"\n'
            'DATABRICKS_OID="<optional>_ObjectID"\n')
    path = env_file(text)
    result = import_file(path)
    assert result.config.security.keyvault_soft_delete_days == 7
    assert result.config.skus.ai_search_tier == "basic"
    assert "KEYVAULT_SOFT_DELETE" in " ".join(result.notes)
    assert export_env(result.config, base=path).text.startswith(text)
    assert {key: _env_values(result.config)[key] for key in ("KEYVAULT_SOFT_DELETE", "DEV_CIDR_RANGE")} == {
        "KEYVAULT_SOFT_DELETE": "<todo>", "DEV_CIDR_RANGE": "<todo>"}
    result.config.environments.dev.cidr_octet = 12
    assert _env_values(result.config)["DEV_CIDR_RANGE"] == "12"


def test_disagreeing_spellings_use_the_one_the_workflows_read(env_file: Writer) -> None:
    result = _import(env_file, 'ADMIN_AI_SEARCH_TIER="standard"\nADMIN_AISEARCH_TIER="basic"\n'
                               'ALLOW_PUBLIC_ACCESS_WHEN_BEHINDVNET="true"\n'
                               'ALLOW_PUBLIC_ACCESS_WHEN_BEHIND_VNET="false"\n')
    assert result.config.skus.ai_search_tier == "basic"
    assert result.config.access.allow_public_access_when_behind_vnet is False
    notes = " ".join(result.notes)
    assert "ADMIN_AI_SEARCH_TIER='standard' and ADMIN_AISEARCH_TIER='basic' disagree; ADMIN_AISEARCH_TIER" in notes
    assert "ALLOW_PUBLIC_ACCESS_WHEN_BEHIND_VNET's value is used" in notes
    assert result.unknown_keys == []


def test_unknown_variables_are_kept_and_reported(env_file: Writer) -> None:
    path = env_file('MY_TEAM_SETTING="x y"\nAIFACTORY_LOCATION="eastus2"\n')
    result = import_file(path)
    assert result.unknown_keys == ["MY_TEAM_SETTING"]
    assert result.config.aifactory_extra["MY_TEAM_SETTING"] == "x y"
    assert "MY_TEAM_SETTING" in " ".join(result.notes)
    assert _env_values(result.config)["MY_TEAM_SETTING"] == "x y"
    assert _ado_values(result.config)["MY_TEAM_SETTING"] == "x y"


@pytest.mark.parametrize(("line", "refused"), [
    ('AZURE_CREDENTIALS=\'{"clientId":"a","clientSecret":"s3cr3t~"}\'', True),
    ('ADMIN_PASSWORD="Sup3r$ecret!"'.replace("$", "\\$"), True),
    ('MY_CLIENT_SECRET="abc8Q~xyz.123"', True),
    ('MY_CLIENT_SECRET="correct-horse-battery-staple"', True),  # a passphrase is no secret's name
    ('MY_CLIENT_SECRET_NAME="esml-project001-sp-secret"', False),
    ('ADMIN_PASSWORD="<todo>"', False),
    ('COMMON_SERVICE_PRINCIPAL_KV_S_NAME_SECRET="esml-common-bicep-sp-secret"', False),
])
def test_secrets_never_enter_the_config(env_file: Writer, line: str, refused: bool) -> None:
    result = _import(env_file, f"{line}\n")
    key = line.split("=")[0]
    assert (key in result.config.aifactory_extra) is not refused
    assert ("secret" in " ".join(result.notes)) is refused
    if refused:
        assert "s3cr3t" not in result.config.model_dump_json() and "abc8Q" not in result.config.model_dump_json()


# --------------------------------------------------------------------------- landing zone


def test_hub_dns_imports_as_hub_and_spoke(env_file: Writer) -> None:
    result = _import(env_file, 'CENTRAL_DNS_ZONE_BY_POLICY_IN_HUB="true"\n'
                               f'PRIV_DNS_SUBSCRIPTION_PARAM="{GUID}"\nPRIV_DNS_RESOURCE_GROUP_PARAM="rg-dns"\n')
    zone = result.config.landing_zone
    assert isinstance(zone, HubSpokeZone)
    assert (zone.dns.subscription_id, zone.dns.resource_group, zone.dns.records_by_policy) == (GUID, "rg-dns", True)
    assert "hub and spoke" in " ".join(result.notes)
    assert result.config.aifactory_extra == {}


def test_standalone_keeps_the_dns_placeholders(env_file: Writer) -> None:
    text = ('CENTRAL_DNS_ZONE_BY_POLICY_IN_HUB="false"\nPRIV_DNS_SUBSCRIPTION_PARAM="<todo>"\n'
            'PRIV_DNS_RESOURCE_GROUP_PARAM="<todo>"\n')
    path = env_file(text)
    config = import_file(path).config
    assert config.mode == "standalone"
    assert export_env(config, base=path).text.startswith(text)


@pytest.mark.parametrize(("zone", "flag", "note"), [
    (HubSpokeZone(mode="hub_spoke", dns=HubDns(subscription_id=GUID, resource_group="rg")), "true", None),
    (VwanZone(mode="vwan", dns=HubDns(subscription_id=GUID, resource_group="rg")), "true", "Virtual WAN"),
    (HubSpokeZone(mode="hub_spoke", dns=HubDns(records_by_policy=False)), "false", "private DNS zones of its own"),
    (HybridZone(mode="hybrid"), "false", None),
])
def test_landing_zone_export(zone: object, flag: str, note: str | None) -> None:
    config = FactoryConfig(landing_zone=zone)  # type: ignore[arg-type]
    exported = export_env(config)
    values = EnvDocument.parse(exported.text, "x").values()
    assert values["CENTRAL_DNS_ZONE_BY_POLICY_IN_HUB"] == flag
    if flag == "true":
        assert (values["PRIV_DNS_SUBSCRIPTION_PARAM"], values["PRIV_DNS_RESOURCE_GROUP_PARAM"]) == (GUID, "rg")
    notes = " ".join(exported.notes)
    if note:
        assert note in notes
    assert ("gh variable set CENTRAL_DNS_ZONE_BY_POLICY_IN_HUB --body true" in notes) is (flag == "true")


# --------------------------------------------------------------------------- models


def test_model_switches_become_deployments(env_file: Writer) -> None:
    text = ('DEPLOY_MODEL_GPT_X="true"\nMODEL_GPTX_NAME="gpt-5-mini"\nMODEL_GPTX_VERSION="2025-08-07"\n'
            'MODEL_GPTX_SKU="GlobalStandard"\nMODEL_GPTX_CAPACITY="50"\n'
            'DEPLOY_MODEL_GPT_4O="true"\nDEFAULT_GPT_4O_VERSION="2024-11-20"\nDEFAULT_GPT_CAPACITY="40"\n'
            'DEPLOY_MODEL_GPT_54_MINI="false"\nDEFAULT_GPT_54_MINI_VERSION="2026-03-17"\n'
            'DEPLOY_MODEL_TEXT_EMBEDDING_3_SMALL="true"\nDEFAULT_EMBEDDING_CAPACITY="25"\n'
            'DEFAULT_MODEL_SKU="DataZoneStandard"\n')
    path = env_file(text)
    config = import_file(path).config
    assert [(m.model, m.version, m.sku, m.capacity) for m in config.skus.models] == [
        ("gpt-5-mini", "2025-08-07", "GlobalStandard", 50),
        ("gpt-4o", "2024-11-20", "DataZoneStandard", 40),
        ("text-embedding-3-small", "", "DataZoneStandard", 25),
    ]
    assert config.aifactory_extra == {"DEFAULT_GPT_54_MINI_VERSION": "2026-03-17"}
    assert export_env(config, base=path).text.startswith(text)


def test_models_the_menu_cannot_hold_are_noted() -> None:
    config = FactoryConfig()
    config.skus.models = [
        ModelDeployment(model="gpt-4o", capacity=10),  # GPT-X set to gpt-4o, beside the real gpt-4o
        ModelDeployment(model="gpt-4o", capacity=20),
        ModelDeployment(model="text-embedding-3-large", capacity=5, version="1"),
        ModelDeployment(model="text-embedding-ada-002", capacity=6),
        ModelDeployment(model="mistral-large"),
    ]
    exported = export_env(config)
    values = EnvDocument.parse(exported.text, "x").values()
    assert (values["DEPLOY_MODEL_GPT_X"], values["MODEL_GPTX_NAME"], values["MODEL_GPTX_CAPACITY"]) == (
        "true", "gpt-4o", "10")
    assert (values["DEPLOY_MODEL_GPT_4O"], values["DEFAULT_GPT_CAPACITY"]) == ("true", "20")
    assert values["DEFAULT_EMBEDDING_CAPACITY"] == "5"
    notes = " ".join(exported.notes)
    assert "mistral-large are not written" in notes
    assert "DEFAULT_EMBEDDING_CAPACITY: the models sharing it ask for 5, 6" in notes
    assert "version '1' is not written" in notes


def test_a_file_without_model_switches_keeps_the_default_models(env_file: Writer) -> None:
    assert _import(env_file, 'AIFACTORY_LOCATION="eastus2"\n').config.skus.models == FactoryConfig().skus.models


# --------------------------------------------------------------------------- formats and GitHub specifics


def test_ado_per_environment_seeding_vaults_survive(env_file: Writer) -> None:
    text = ('variables:\n  dev_admin_bicep_kv_fw: "kv-dev"\n  test_admin_bicep_kv_fw: "kv-test"\n'
            '  prod_admin_bicep_kv_fw: "kv-dev"\n')
    path = env_file(text, "variables.yaml")
    config = import_file(path).config
    assert config.identity.seeding_key_vault.name == "kv-dev"
    assert config.aifactory_extra == {"test_admin_bicep_kv_fw": "kv-test"}
    assert export_ado(config, base=path).text.startswith(text)
    exported = export_env(config)
    assert EnvDocument.parse(exported.text, "x").values()["AIFACTORY_SEEDING_KEYVAULT_NAME"] == "kv-dev"
    assert "test_admin_bicep_kv_fw" in " ".join(exported.notes)


def test_generated_ado_file_is_complete() -> None:
    values = _ado_values(FactoryConfig())
    assert values["dev_service_connection"] == "<todo>"
    assert values["test_admin_bicep_kv_fw"] == "<todo>"
    assert values["admin_projectType"] == "all"
    assert len(values) > 240


def test_unset_required_values_export_as_todo_and_region_codes_are_filled() -> None:
    """The AI Factory's preflight stops on `<todo>`, not on an empty id; names need the code."""
    values = EnvDocument.parse(export_env(FactoryConfig()).text, "x").values()
    for key in ("TENANT_ID", "TENANT_AZUREML_OID", "DEV_SUBSCRIPTION_ID", "AIFACTORY_SEEDING_KEYVAULT_NAME"):
        assert values[key] == "<todo>"
    assert values["AIFACTORY_LOCATION_SHORT"] == "eus2"
    swedish = FactoryConfig.model_validate({"environments": {"dev": {"region": "swedencentral"}}})
    assert EnvDocument.parse(export_env(swedish).text, "x").values()["AIFACTORY_LOCATION_SHORT"] == "sdc"


def test_not_uploaded_variables_are_named_when_they_matter() -> None:
    config = FactoryConfig()
    note = next(note for note in export_env(config).notes if "never uploads" in note)
    assert "ADD_BASTION_HOST" not in note  # false is the workflows' own fallback
    config.access.bastion = True
    config.access.enable_public_genai_access = True
    note = next(note for note in export_env(config).notes if "never uploads" in note)
    assert "gh variable set ADD_BASTION_HOST --body true" in note
    assert "gh variable set ENABLE_PUBLIC_GENAI_ACCESS --body true" in note
    assert "ENABLE_ADMIN_VM" not in note


def test_detect_format_by_name_then_content(env_file: Writer) -> None:
    from wizard.interop import detect_format

    assert detect_format(Path("x/.env.template")) == "env"
    assert detect_format(Path("prod.env")) == "env"
    assert detect_format(Path("variables.yml")) == "ado"
    assert detect_format(env_file("# c\nA=1\n", "settings.txt")) == "env"
    assert detect_format(env_file("variables:\n  a: 1\n", "settings")) == "ado"
    with pytest.raises(InteropError, match="cannot tell"):
        detect_format(env_file("hello\n", "notes.txt"))


@pytest.mark.parametrize(("name", "text", "line", "fix"), [
    ("variables.yaml", 'variables:\n  admin_location: "eastus2"\n  AIFACTORY_PREFIX: "acme-"\n', 3,
     "rename it to admin_aifactoryPrefixRG"),
    (".env", 'AIFACTORY_LOCATION="eastus2"\ndev_service_connection="sc"\n', 2, "remove it"),
])
def test_the_other_files_names_are_refused(env_file: Writer, name: str, text: str, line: int, fix: str) -> None:
    with pytest.raises(InteropError) as caught:
        import_file(env_file(text, name))
    assert caught.value.line == line
    assert fix in caught.value.hint


def test_a_value_a_env_line_cannot_hold_is_an_export_error(env_file: Writer) -> None:
    config = FactoryConfig()
    config.aifactory_extra = {"TAGS": "line one\nline two"}
    with pytest.raises(InteropError, match="TAGS"):
        export_env(config)
    with pytest.raises(InteropError, match="TAGS"):
        export_env(config, base=env_file('TAGS="{}"\n'))
    assert AdoDocument.parse(export_ado(config).text, "v").values()["tags"] == "line one\nline two"
