"""The AI Factory's names: uniqueString, salt, worked examples, deployment names, name rules."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wizard import naming
from wizard.model import FactoryConfig, NamingConfig
from wizard.unique_string import ALPHABET, murmur_hash64, unique_string

SUB = "0b1c5e2a-7d3f-4a8e-9c61-2f0d8e4b7a11"
"""aif-dev of the demo tenant."""


def config(**data: Any) -> FactoryConfig:
    return FactoryConfig.model_validate(data)


def salted(**data: Any) -> FactoryConfig:
    """A configuration with a fixed salt, so names are predictable."""
    naming_data = {"salt": "abcde", **data.pop("naming", {})}
    return config(naming=naming_data, **data)


def with_prefix(prefix: str) -> FactoryConfig:
    """A configuration whose prefix skips validation (the model caps it at 10 characters)."""
    base = salted()
    fields = {**base.naming.model_dump(), "prefix": prefix}
    return base.model_copy(update={"naming": NamingConfig.model_construct(**fields)})


# --------------------------------------------------------------------------- uniqueString

PUBLISHED = [
    # Outputs of real ARM deployments quoted in KingslandConsulting/Kingsland.ArmLinter
    # (src/Kingsland.ArmLinter/Functions/ArmFunctions_UniqueString.cs).
    (("aaa",), "zavj67f3en4hc"),
    (("bbb",), "w5eragfxe33cy"),
    (("zzz",), "cryksdzzzawae"),
    (("xxx", "yyy", "zzz"), "lghi7k5js7itq"),
    # The Bicep-verified self-test of a public uniquestring.sh (an independent port).
    (("test",), "rbgf3xv4ufgzg"),
    (("hello", "world"), "a7wkljktk6wne"),
    (("abc",), "cgtzqvhu4i23s"),
    (("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/my-rg",),
     "bmg7c6xu4tw46"),
    (("foo", "bar", "baz"), "xzi4ioaxtmth4"),
]


@pytest.mark.parametrize(("parts", "expected"), PUBLISHED, ids=lambda v: "-".join(v)[:30])
def test_unique_string_matches_published_arm_outputs(parts: tuple[str, ...], expected: str) -> None:
    assert unique_string(*parts) == expected


def test_unique_string_joins_parts_with_a_dash() -> None:
    assert unique_string("xxx", "yyy", "zzz") == unique_string("xxx-yyy-zzz")


def test_unique_string_is_case_sensitive_and_deterministic() -> None:
    assert unique_string("ABC") != unique_string("abc")
    assert unique_string("abc") == unique_string("abc")


def test_unique_string_needs_input() -> None:
    with pytest.raises(ValueError):
        unique_string()


def test_hash_is_64_bits() -> None:
    assert 0 <= murmur_hash64(b"") < 2**64
    assert murmur_hash64(b"abcdefgh") != murmur_hash64(b"abcdefgi")


@given(st.lists(st.text(max_size=80), min_size=1, max_size=4))
def test_unique_string_shape(parts: list[str]) -> None:
    value = unique_string(*parts)
    assert len(value) == 13
    assert set(value) <= set(ALPHABET)
    assert unique_string(*parts) == value


# --------------------------------------------------------------------------- salt


def test_salt_from_naming_config_wins() -> None:
    cfg = salted(environments={"dev": {"subscription_id": SUB}})
    assert naming.salt5(cfg, "dev") == "abcde"
    assert not naming.salt_is_provisional(cfg, "dev")


def test_salt_is_uniquestring_of_the_common_resource_group_id() -> None:
    cfg = config(environments={"dev": {"subscription_id": SUB}})
    rg_id = f"/subscriptions/{SUB}/resourceGroups/acme-ai-esml-common-eus2-dev-001"
    assert naming.common_resource_group_id(cfg, "dev") == rg_id
    assert naming.salt5(cfg, "dev") == unique_string(rg_id)[:5]
    assert not naming.salt_is_provisional(cfg, "dev")


def test_salt_without_subscription_is_provisional() -> None:
    cfg = FactoryConfig()
    assert naming.PLACEHOLDER_SUBSCRIPTION in naming.common_resource_group_id(cfg, "dev")
    assert naming.salt_is_provisional(cfg, "dev")
    assert re.fullmatch(r"[a-z2-7]{5}", naming.salt5(cfg, "dev"))


def test_salt_differs_per_environment() -> None:
    cfg = config(environments={"prod": {"enabled": True, "subscription_id": SUB}})
    assert naming.salt5(cfg, "dev") != naming.salt5(cfg, "prod")


# --------------------------------------------------------------------------- worked examples


def test_common_resource_group_example() -> None:
    cfg = config(naming={"prefix": "acme-ai-"})
    assert naming.common_resource_group(cfg, "dev") == "acme-ai-esml-common-eus2-dev-001"


def test_project_resource_group_example() -> None:
    cfg = config(naming={"prefix": "mrvel-1-"})
    expected = "mrvel-1-esml-project001-eus2-dev-001-rg"
    assert naming.project_resource_group(cfg, "dev", "001") == expected


def test_vnet_example() -> None:
    assert naming.common_vnet(FactoryConfig(), "dev") == "vnt-esmlcmn-eus2-dev-001"


def test_stage_is_test_in_names() -> None:
    cfg = salted(environments={"stage": {"enabled": True}})
    assert naming.aif_env("stage") == "test"
    assert naming.common_resource_group(cfg, "stage") == "acme-ai-esml-common-eus2-test-001"
    assert naming.common_key_vault(cfg, "stage") == "kv-cmntest-abcde-001"
    stage_names = [n for n in naming.all_names(cfg) if n.environment == "stage"]
    assert stage_names and not any("stage" in n.name for n in stage_names)


def test_region_short_code_comes_from_the_environment_then_the_catalog() -> None:
    cfg = config(environments={"dev": {"region": "swedencentral"}})
    assert naming.location_short(cfg, "dev") == "sdc"
    cfg = config(environments={"dev": {"region": "swedencentral", "region_short": "swc"}})
    assert naming.common_vnet(cfg, "dev") == "vnt-esmlcmn-swc-dev-001"
    unknown = config(environments={"dev": {"region": "mars1"}})
    assert naming.location_short(unknown, "dev") == "mars1"


def test_common_names() -> None:
    cfg = salted(naming={"lake_prefix": "contoso"})
    assert naming.common_key_vault(cfg, "dev") == "kv-cmndev-abcde-001"
    assert naming.common_key_vault(cfg, "dev", admin=True) == "kv-cmnadmdev-abcde-001"
    assert naming.data_lake(cfg, "dev") == "contosoabcdeesml001dev"
    assert naming.common_acr(cfg, "dev") == "acrcommonabcdeeus2001dev"
    assert naming.log_analytics(cfg, "dev") == "la-cmn-eus2-dev-abcde-001"
    assert naming.bastion_host(cfg, "dev") == "bastion-eus2-dev-001"
    assert naming.common_subnets(cfg) == {
        "common": "snet-esml-cmn-001", "scoring": "snet-esml-cmn-001-scoring",
        "powerbi": "snet-esml-cmn-pbi-001", "bastion": "AzureBastionSubnet",
    }


def test_data_factory_example_from_the_reference() -> None:
    cfg = salted(naming={"salt": "a4c2b"}, environments={"dev": {"region": "westeurope"}})
    assert naming.common_data_factory(cfg, "dev") == "adf-cmn-weu-dev-a4c2b-001"


def test_project_names() -> None:
    cfg = salted()
    assert naming.project_key_vault(cfg, "dev", "001") == "kv-p001-eus2-dev-abcde01"
    assert naming.project_storage(cfg, "dev", "001") == "saprj001eus2abcde1001dev"
    assert naming.project_storage(cfg, "dev", "001", 2) == "saprj001eus2abcde2001dev"
    assert naming.app_insights(cfg, "dev", "001") == "ain-prj001-eus2-dev-abcde-001"
    assert naming.project_subnets("007")["aca2"] == "snt-prj007-aca-002"
    assert naming.project_nsgs(cfg, "dev", "001")["aks"] == "aks-nsg-prj001-eus2-dev"
    [cosmos] = naming.service_resources(cfg, "dev", "001", "cosmos_db")
    assert cosmos.name == "cosmos-prj001-eus2-dev-abcde-001"
    assert naming.ml_workspace(cfg, "dev", "001") == "aml-001-eus2-dev-abcde-001"
    assert naming.service_resources(cfg, "dev", "001", "bot_service") == ()


def test_project_suffix_digits_go_into_the_key_vault() -> None:
    cfg = salted(naming={"project_resource_suffix": "-002"})
    assert naming.project_key_vault(cfg, "dev", "001") == "kv-p001-eus2-dev-abcde02"


def test_random_parts() -> None:
    cfg = salted()
    search = naming.ai_search(cfg, "dev", "001")
    assert search == f"aisearchprj001eus2devabcde{naming.RANDOM_PLACEHOLDER}001"
    known = salted(aifactory_extra={"AIFACTORY_SALT_RANDOM": "Q1w2-E3r4t5"})
    assert naming.ai_search(known, "dev", "001") == "aisearchprj001eus2devabcdeq1w2e3r4t5001"
    assert naming.managed_identity(known, "dev", "001") == (
        "mi-prj001-eus2-dev-abcdeQ1w2-E3r4t5-001")
    foundry = naming.foundry_account(known, "dev", "001")
    assert foundry.startswith("aif2abcde") and len(foundry) <= 20
    placeholder = salted(aifactory_extra={"AIFACTORY_SALT_RANDOM": "<10>"})
    assert naming.salt_random(placeholder) is None


def test_byo_overrides() -> None:
    cfg = salted(aifactory_extra={"COMMON_RESOURCE_GROUP_PARAM": "rg-<network_env>common",
                                  "VNET_NAME_FULL_PARAM": "vnet-<network_env>spoke"})
    assert naming.common_resource_group(cfg, "dev") == "rg-dev-common"
    assert naming.common_vnet(cfg, "dev") == "vnet-dev-spoke"
    assert naming.vnet_resource_group(cfg, "dev") == "rg-dev-common"


# --------------------------------------------------------------------------- deployment names


def test_project_deployment_names_have_the_double_dash() -> None:
    names = naming.project_deployment_names(FactoryConfig(), "dev", "001")
    assert names["61"] == "esml-p001-dev-eus2--001-001PrjDepl-61-foundation"
    assert names["62"] == "esml-p001-dev-eus2--001-001PrjDepl-62-core-infrastructure"
    assert names["67"] == "esml-p001-dev-eus2--001-001PrjDepl-67-data-ml-platform"
    assert names["100"] == "esml-p001-dev-eus2--001-001PrjDepl-100-rbac-security"
    assert names["101"] == "esml-p001-dev-eus2--001-001PrjDepl-101-rbac-common-rg"
    assert names["69a"] == "esml-p001-dev-eus2--001-001PrjDepl-69-aif-a"
    assert names["69b"] == "esml-p001-dev-eus2--001-001PrjDepl-69-aif-b"
    assert names["P6"] == "esml-p001-dev-eus2-001SubnetDeplProj"
    assert list(names)[1:] == list(naming.PROJECT_STEPS)


def test_deployment_names_use_test_and_the_suffixes() -> None:
    cfg = config(naming={"project_resource_suffix": "-003", "common_resource_suffix": "-002"})
    name = naming.project_deployment_name(cfg, "stage", "012", "64")
    assert name == "esml-p012-test-eus2--003-002PrjDepl-64-databases"


def test_common_deployment_names() -> None:
    assert naming.common_deployment_names(FactoryConfig(), "dev") == {
        "C1": "esml-cmn-deveus2-001-DeplRG",
        "C2": "esml-cmndev-001-001eus2Subnets",
        "C3": "esml-cmn-deveus2-001-001-DeplRes",
    }


# --------------------------------------------------------------------------- name rules


def test_a_40_character_prefix_breaks_key_vault_and_deployment_names() -> None:
    prefix = "contoso-enterprise-artificial-intellig-"
    assert len(prefix) == 39
    prefix += "x"
    kv_problem = naming.check_name("key_vault", f"kv-{prefix}")
    assert kv_problem is not None
    assert "at most 24" in kv_problem and "shorten it by 19" in kv_problem
    deployment = f"{prefix}esml-p001-dev-eus2--001-001PrjDepl-61-foundation"
    problem = naming.check_name("deployment", deployment)
    assert problem is not None and "at most 64" in problem


def test_long_prefix_reaches_only_resource_group_names() -> None:
    """In v1.24 the prefix goes into resource groups only; 90 characters is a lot of room."""
    names = naming.all_names(with_prefix("p" * 40))
    assert all(n.problem() is None for n in names)
    too_long = [n for n in naming.all_names(with_prefix("p" * 60)) if n.problem()]
    assert too_long and {n.kind for n in too_long} == {"resource_group"}
    assert {n.field for n in too_long} == {"naming.prefix"}


def test_eus2_in_test_and_prod_overflows_project_key_vault_and_storage() -> None:
    cfg = salted(environments={"prod": {"enabled": True}})
    problems = {(n.kind, n.environment): n for n in naming.all_names(cfg) if n.problem()}
    kv = problems[("key_vault", "prod")]
    assert kv.name == "kv-p001-eus2-prod-abcde01" and kv.field == "environments.prod.region_short"
    assert "at most 24" in (kv.problem() or "")
    assert ("storage", "prod") in problems
    assert not any(env == "dev" for _, env in problems)
    weu = salted(environments={"prod": {"enabled": True, "region": "westeurope"}})
    assert not [n for n in naming.all_names(weu) if n.problem()]


@pytest.mark.parametrize(
    ("kind", "name", "fragment"),
    [
        ("key_vault", "1kv-abc", "must start with a letter"),
        ("key_vault", "kv--abc", "two hyphens"),
        ("key_vault", "kv-abc-", "must end with a letter or digit"),
        ("key_vault", "kv", "at least 3"),
        ("storage", "saPrj001", "'P'"),
        ("storage", "sa-prj", "lowercase letters and digits"),
        ("acr", "acr-common", "letters and digits"),
        ("search", "-search", "must start"),
        ("deployment", "esml/p001", "'/'"),
        ("resource_group", "rg.", "other than '.'"),
        ("subnet", "s" * 81, "at most 80"),
        ("vnet", "v", "at least 2"),
        ("cognitive", "a" * 65, "at most 64"),
    ],
)
def test_check_name_explains(kind: str, name: str, fragment: str) -> None:
    problem = naming.check_name(kind, name)
    assert problem is not None and fragment in problem


def test_storage_uppercase_hint() -> None:
    assert "lowercase" in (naming.check_name("storage", "SAPRJ") or "")


@pytest.mark.parametrize(
    ("kind", "name"),
    [("key_vault", "kv-cmnadmprod-abcde-001"), ("storage", "saprj001weuabcde1001prod"),
     ("resource_group", "mrvel-1-esml-project001-eus2-dev-001-rg"), ("acr", "acrcommonabcde"),
     ("deployment", "esml-p001-dev-eus2--001-001PrjDepl-61-foundation"),
     ("subnet", "AzureBastionSubnet"), ("unknown_kind", "anything-goes")],
)
def test_check_name_accepts_valid_names(kind: str, name: str) -> None:
    assert naming.check_name(kind, name) is None


# --------------------------------------------------------------------------- inventory


def test_all_names_cover_every_enabled_environment_and_project() -> None:
    cfg = salted(environments={"stage": {"enabled": True}},
                 projects=[{"number": "001"}, {"number": "002"}])
    names = naming.all_names(cfg)
    assert {n.environment for n in names} == {"dev", "stage"}
    assert {n.project for n in names} == {None, "001", "002"}
    kinds = {n.kind for n in names}
    expected = {"resource_group", "key_vault", "storage", "deployment", "vnet", "subnet", "nsg"}
    assert expected <= kinds
    assert all(n.kind in naming.NAME_RULES for n in names)
    per_project = [n for n in names if n.project == "002" and n.environment == "stage"]
    assert sum(n.kind == "deployment" for n in per_project) == 1 + len(naming.PROJECT_STEPS)


def test_default_names_all_pass_and_storage_is_lowercase() -> None:
    names = naming.all_names(FactoryConfig())
    assert [n for n in names if n.problem()] == []
    for name in (n for n in names if n.kind == "storage"):
        assert re.fullmatch(r"[a-z0-9]{3,24}", name.name), name


def test_services_add_their_names() -> None:
    cfg = salted(services={"cosmos_db": True, "azure_ml": True, "ai_foundry": False})
    names = {n.name for n in naming.all_names(cfg)}
    both = salted(services={"cosmos_db": True, "foundry_caphost": True})
    cosmos = [n for n in naming.all_names(both) if n.kind == "cosmos"]
    assert len(cosmos) == 1
    assert "cosmos-prj001-eus2-dev-abcde-001" in names
    assert "aks001-eus2-dev" in names and "esml001-eus2-dev" not in names
    assert not any(n.endswith("69-aif-a") for n in names)


def test_provisional_marks() -> None:
    names = naming.all_names(FactoryConfig())
    kv = next(n for n in names if n.what == "common key vault")
    assert kv.provisional and not kv.random_part
    search = next(n for n in names if n.kind == "search")
    assert search.random_part and search.provisional
    rg = next(n for n in names if n.kind == "resource_group")
    assert not rg.provisional


def test_globally_unique_names() -> None:
    cfg = salted(environments={"dev": {"subscription_id": SUB}})
    names = naming.globally_unique_names(cfg, "dev")
    assert {n.kind for n in names} == {"storage", "key_vault", "acr"}
    assert {n.name for n in names} >= {"kv-cmndev-abcde-001", "xxxyyyabcdeesml001dev",
                                       "saprj001eus2abcde1001dev", "acrcommonabcdeeus2001dev"}
    assert not any(n.provisional for n in names)
    known = salted(aifactory_extra={"AIFACTORY_SALT_RANDOM": "q1w2e3r4t5"})
    kinds = {n.kind for n in naming.globally_unique_names(known, "dev")}
    assert {"search", "cognitive"} <= kinds
