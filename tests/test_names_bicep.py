"""Names against the AI Factory's own bicep: for the same inputs, the same name.

Every expected value below is what the template expression gives, worked out by hand in the
comment above it (jostrm/azure-enterprise-scale-ml, v1.24: CmnAIfactoryNaming.bicep,
03-cognitive-services.bicep, machineLearningAks.bicep, 13-rgLevel.bicep). The common inputs:
AIFACTORY_SALT (uniqueInAIFenv) = ywfe4, AIFACTORY_SALT_RANDOM (randomSalt) = a1b2c3d4e5,
region eastus2 (locationSuffix eus2), environment dev, project 001, suffixes -001.
"""

from __future__ import annotations

from typing import Any

import pytest

from wizard import naming
from wizard.model import FactoryConfig

RAND = "a1b2c3d4e5"


def cfg(rand: str | None = RAND, *, services: dict[str, bool] | None = None,
        extra: dict[str, str] | None = None, **data: Any) -> FactoryConfig:
    """salt ywfe4, the given AIFACTORY_SALT_RANDOM and ADD_* flags, and service switches."""
    aifactory_extra = dict(extra or {})
    if rand is not None:
        aifactory_extra["AIFACTORY_SALT_RANDOM"] = rand
    naming_data = {"salt": "ywfe4", **data.pop("naming", {})}
    return FactoryConfig.model_validate(
        {"naming": naming_data, "aifactory_extra": aifactory_extra, "services": services or {}, **data})


def names_of(config: FactoryConfig, env: str = "dev") -> dict[str, naming.GeneratedName]:
    """The environment's inventory by name."""
    return {n.name: n for n in naming.environment_names(config, env)}  # type: ignore[arg-type]


def resources(config: FactoryConfig, service: str) -> list[str]:
    return [r.name for r in naming.service_resources(config, "dev", "001", service)]


def name_finding(config: FactoryConfig, name: str) -> Any:
    return next(f for f in naming.name_findings(config) if repr(name) in f.message)


# --------------------------------------------------------------------------- AI Foundry account


def test_foundry_account_has_a_12_character_base_then_project_and_env() -> None:
    # aifV2Name: take(replace(toLower('aif2' + 'ywfe4' + 'a1b2c3d4e5'), '-', ''), 12) = 'aif2ywfe4a1b'
    #            + '${projectNumber}${env}' = '001dev'
    assert naming.foundry_account(cfg(), "dev", "001") == "aif2ywfe4a1b001dev"
    # stage is 'test' in AI Factory names: 'aif2ywfe4a1b' + '001' + 'test'
    assert naming.foundry_account(cfg(), "stage", "001") == "aif2ywfe4a1b001test"


def test_add_ai_foundry_gives_the_second_account_name() -> None:
    # aifV2NameAdd (ADD_AI_FOUNDRY=true): 'aif2' + '1' + 'a1b2c3d4e5' cut to 12 = 'aif21a1b2c3d'
    #            + '001dev'
    config = cfg(extra={"ADD_AI_FOUNDRY": "true"})
    assert naming.foundry_account(config, "dev", "001") == "aif21a1b2c3d001dev"
    assert "aif21a1b2c3d001dev" in names_of(config)


def test_foundry_lowercases_and_drops_only_dashes() -> None:
    # toLower('aif2ywfe4A-1B2c3d4e') = 'aif2ywfe4a-1b2c3d4e'; replace '-' -> 'aif2ywfe4a1b2c3d4e';
    # take 12 -> 'aif2ywfe4a1b' + '001dev'
    assert naming.foundry_account(cfg("A-1B2c3d4e"), "dev", "001") == "aif2ywfe4a1b001dev"


def test_an_underscore_in_the_random_salt_breaks_the_foundry_name_and_is_reported() -> None:
    # 'aif2ywfe4a_b2c3d4e5': '_' is not removed -> take 12 = 'aif2ywfe4a_b' + '001dev'
    config = cfg("a_b2c3d4e5")
    assert naming.foundry_account(config, "dev", "001") == "aif2ywfe4a_b001dev"
    finding = name_finding(config, "aif2ywfe4a_b001dev")
    assert finding.code == "AIF-NAME" and "'_'" in finding.message
    assert finding.field == "aifactory_extra.AIFACTORY_SALT_RANDOM"
    assert "keeping '_'" in finding.hint and "e.g. ab2c3d4e50" in finding.hint


# --------------------------------------------------------------------------- AKS


def test_aks_for_azure_ml_and_the_standalone_cluster_are_two_names() -> None:
    # machineLearningAks.bicep: aksName = 'aks${projectNumber}-${locationSuffix}-${env}'
    #                           nodeResourceGroup = 'aks-${resourceGroup().name}'
    # CmnAIfactoryNaming:       aksClusterName = 'esml${projectNumber}-${locationSuffix}-${env}'
    ml = names_of(cfg(services={"azure_ml": True}))
    assert ml["aks001-eus2-dev"].resource_type == "Microsoft.ContainerService/managedClusters"
    assert "aks-acme-ai-esml-project001-eus2-dev-001-rg" in ml
    assert "esml001-eus2-dev" not in ml
    both = names_of(cfg(services={"azure_ml": True, "aks": True}))
    assert {"aks001-eus2-dev", "esml001-eus2-dev"} <= set(both)
    alone = names_of(cfg(services={"aks": True, "aks_for_azure_ml": True}))
    assert "esml001-eus2-dev" in alone and "aks001-eus2-dev" not in alone  # no workspace, no AML AKS


# --------------------------------------------------------------------------- Azure ML


def test_add_azure_machine_learning_inserts_two_cleaned_random_characters() -> None:
    # amlName = 'aml-${projectNumber}-${loc}-${env}-${salt5}${resourceSuffix}' = 'aml-001-eus2-dev-ywfe4-001'
    assert naming.ml_workspace(cfg(), "dev", "001") == "aml-001-eus2-dev-ywfe4-001"
    # amlWithRandom: take('aml-001-eus2-dev-ywfe4' + aifRandom + '-001', 64), aifRandom =
    # take(toLower(replace(replace('a1b2c3d4e5', '-', ''), '_', '')), 2) = 'a1'
    added = cfg(extra={"ADD_AZURE_MACHINE_LEARNING": "true"})
    assert naming.ml_workspace(added, "dev", "001") == "aml-001-eus2-dev-ywfe4a1-001"
    # 'A_B-c...' cleaned: drop '-' and '_', lowercase -> 'abc...' -> 'ab'
    messy = cfg("A_B-c3d4e5", extra={"ADD_AZURE_MACHINE_LEARNING": "True"})
    assert naming.ml_workspace(messy, "dev", "001") == "aml-001-eus2-dev-ywfe4ab-001"


# --------------------------------------------------------------------------- AI Search


def test_ai_search_name_and_add_ai_search() -> None:
    # safeNameAISearch = take(replace(toLower('aisearch' + 'prj001' + 'eus2' + 'dev' + 'ywfe4'
    #   + 'a1b2c3d4e5' + '001'), '-', ''), 64) = 'aisearchprj001eus2devywfe4a1b2c3d4e5001' (39)
    assert naming.ai_search(cfg(), "dev", "001") == "aisearchprj001eus2devywfe4a1b2c3d4e5001"
    # 03-cognitive-services, addAISearch: base = org[:36], suffix = org[36:39] = '001',
    # name = take(base + take(randomSalt, 2) + suffix, 60) = '…a1b2c3d4e5' + 'a1' + '001'
    added = cfg(extra={"ADD_AI_SEARCH": "true"})
    assert naming.ai_search(added, "dev", "001") == "aisearchprj001eus2devywfe4a1b2c3d4e5a1001"


def test_ai_search_keeps_an_underscore_and_says_so() -> None:
    # replace(toLower(...), '-', '') removes only dashes: '…ywfe4' + 'a1_2-3d4e5' + '001'
    #   -> 'aisearchprj001eus2devywfe4a1_23d4e5001'
    config = cfg("a1_2-3d4e5")
    assert naming.ai_search(config, "dev", "001") == "aisearchprj001eus2devywfe4a1_23d4e5001"
    finding = name_finding(config, "aisearchprj001eus2devywfe4a1_23d4e5001")
    assert "AI Search service name takes only lowercase letters, digits and '-'" in finding.message
    assert finding.field == "aifactory_extra.AIFACTORY_SALT_RANDOM"
    assert "set AIFACTORY_SALT_RANDOM to 10 lowercase letters and digits, e.g. a123d4e500" in finding.hint


def test_ai_search_is_cut_at_60_not_64() -> None:
    # org = take('aisearchprj001eus2devywfe4' (26) + 40-character salt + '001', 64) = 26 + 38 salt
    # characters; 03-cognitive-services then takes 60: 26 + the first 34 salt characters.
    long_salt = "abcdefghij" * 4
    expected = "aisearchprj001eus2devywfe4" + "abcdefghijabcdefghijabcdefghijabcd"
    assert naming.ai_search(cfg(long_salt), "dev", "001") == expected
    assert len(expected) == 60


def test_add_ai_search_inserts_the_raw_salt_so_an_uppercase_breaks_the_name() -> None:
    # org is lowercased ('…ywfe4a1b2c3d4e5001'), but take(randomSalt, 2) = 'A1' is inserted raw:
    # '…ywfe4a1b2c3d4e5' + 'A1' + '001'
    config = cfg("A1b2c3d4e5", extra={"ADD_AI_SEARCH": "true"})
    name = "aisearchprj001eus2devywfe4a1b2c3d4e5A1001"
    assert naming.ai_search(config, "dev", "001") == name
    finding = name_finding(config, name)
    assert "(write it in lowercase)" in finding.message
    assert finding.field == "aifactory_extra.AIFACTORY_SALT_RANDOM"


# --------------------------------------------------------------------------- random salt


def test_random_salt_of_five_characters_or_fewer_is_drawn_per_run() -> None:
    # randomSalt = length(aifactorySalt10char) <= 5 ? substring(randomValue, 0, 10) : aifactorySalt10char
    assert naming.salt_random(cfg("abcde")) is None
    assert naming.salt_random(cfg("<10>")) is None
    assert naming.salt_random(cfg("abcdef")) == "abcdef"
    search = names_of(cfg("abcde"))[f"aisearchprj001eus2devywfe4{naming.RANDOM_PLACEHOLDER}001"]
    assert search.random_part and search.provisional


def test_managed_identities_take_the_salt_as_written() -> None:
    # miPrjName = 'mi-${projectName}-${loc}-${env}-${salt5}${randomSalt}${resourceSuffix}', raw salt
    names = names_of(cfg("A_b2c3d4e5"))
    identity = names["mi-prj001-eus2-dev-ywfe4A_b2c3d4e5-001"]
    assert identity.problem() is None  # managed identity names allow '_' and capitals
    assert "mi-aca-prj001-eus2-dev-ywfe4A_b2c3d4e5-001" in names


# --------------------------------------------------------------------------- project services


def test_cognitive_services_of_03_carry_the_common_suffix() -> None:
    # 03-cognitive-services: 'vision-${projectName}-${loc}-${env}-${salt5}${commonResourceSuffix}',
    # likewise 'speech-', 'docs-', 'cs-', 'bing-', 'bing-custom-': project suffix -002 is not used.
    config = cfg(naming={"project_resource_suffix": "-002"},
                 services={"vision": True, "speech": True, "document_intelligence": True,
                           "content_safety": True, "bing": True, "bing_custom_search": True})
    assert resources(config, "vision") == ["vision-prj001-eus2-dev-ywfe4-001"]
    assert resources(config, "speech") == ["speech-prj001-eus2-dev-ywfe4-001"]
    assert resources(config, "document_intelligence") == ["docs-prj001-eus2-dev-ywfe4-001"]
    assert resources(config, "content_safety") == ["cs-prj001-eus2-dev-ywfe4-001"]
    assert resources(config, "bing") == ["bing-prj001-eus2-dev-ywfe4-001"]
    assert resources(config, "bing_custom_search") == ["bing-custom-prj001-eus2-dev-ywfe4-001"]
    # aoaiName = 'aoai-${projectNumber}-${loc}-${env}-${salt5}${resourceSuffix}': the project's -002
    assert resources(config, "azure_openai") == ["aoai-001-eus2-dev-ywfe4-002"]


@pytest.mark.parametrize(
    ("service", "expected"),
    [
        # 'cosmos-${projectName}-${loc}-${env}-${salt5}${resourceSuffix}' and the same shape for
        # redis-, pg-flex-, sql-/sqldb-, func-/webapp- (+ '-plan'), aca-env-
        ("cosmos_db", ["cosmos-prj001-eus2-dev-ywfe4-001"]),
        ("redis", ["redis-prj001-eus2-dev-ywfe4-001"]),
        ("postgresql", ["pg-flex-prj001-eus2-dev-ywfe4-001"]),
        ("sql", ["sql-prj001-eus2-dev-ywfe4-001", "sqldb-prj001-eus2-dev-ywfe4-001"]),
        ("function", ["func-prj001-eus2-dev-ywfe4-001", "func-prj001-eus2-dev-ywfe4-001-plan"]),
        ("webapp", ["webapp-prj001-eus2-dev-ywfe4-001", "webapp-prj001-eus2-dev-ywfe4-001-plan"]),
        # 'aca-a-${projectName}${loc}${env}${salt5}${resourceSuffix}' (no dashes in the middle)
        ("container_apps", ["aca-env-prj001-eus2-dev-ywfe4-001", "aca-a-prj001eus2devywfe4-001",
                            "aca-w-prj001eus2devywfe4-001"]),
        # adfName = 'adf-${projectNumber}-…'; Databricks 'dbx-${projectNumber}-${loc}-${env}-${salt5}${resourceSuffix}'
        ("datafactory", ["adf-001-eus2-dev-ywfe4-001"]),
        ("databricks", ["dbx-001-eus2-dev-ywfe4-001"]),
        # dashboardInsightsName =
        #   'AIFactory${aifactorySuffixRG}-${projectName}-insights-${env}-${salt5}${resourceSuffix}'
        ("appinsights_dashboard", ["AIFactory-001-prj001-insights-dev-ywfe4-001"]),
    ],
)
def test_project_service_names(service: str, expected: list[str]) -> None:
    assert resources(cfg(), service) == expected


def test_services_without_reproduced_names_are_listed() -> None:
    config = cfg(services={"logic_apps": True})  # bot_service is on by default
    assert naming.unnamed_services(config) == [("001", "logic_apps"), ("001", "bot_service")]


# --------------------------------------------------------------------------- common names


def test_common_names_follow_13_rg_level() -> None:
    # 13-rgLevel.bicep with uniqueInAIFenv = ywfe4, commonResourceSuffix -001, env dev, eus2:
    # kvNameCommon 'kv-${cmnName}${env}-${salt5}${cmnSuffix}', kvNameCommonAdmin 'kv-cmnadm…',
    # datalakeName '${lakePrefix}${salt5}esml${replace(cmnSuffix,'-','')}${env}',
    # acrCommonName 'acrcommon${salt5}${loc}${cmnSuffix}${env}' (containerRegistry.bicep drops '-'),
    # laName 'la-cmn-${loc}-${env}-${salt5}${cmnSuffix}', adfName 'adf-cmn-…',
    # 'bastion-${loc}-${env}${cmnSuffix}', vmName 'dsvm-cmn-${loc}-${env}${cmnSuffix}'
    config = cfg(services={"datafactory_common": True}, access={"bastion": True, "admin_vm": True})
    names = names_of(config)
    for name in ("kv-cmndev-ywfe4-001", "kv-cmnadmdev-ywfe4-001", "xxxyyyywfe4esml001dev",
                 "acrcommonywfe4eus2001dev", "la-cmn-eus2-dev-ywfe4-001", "adf-cmn-eus2-dev-ywfe4-001",
                 "bastion-eus2-dev-001", "dsvm-cmn-eus2-dev-001", "acme-ai-esml-common-eus2-dev-001",
                 "vnt-esmlcmn-eus2-dev-001"):
        assert name in names, name
    assert names["acrcommonywfe4eus2001dev"].resource_type == "Microsoft.ContainerRegistry/registries"


def test_globally_unique_names_include_every_cognitive_account() -> None:
    config = cfg(services={"ai_foundry": False, "vision": True})
    unique = {n.name: n for n in naming.globally_unique_names(config, "dev")}
    assert "vision-prj001-eus2-dev-ywfe4-001" in unique
    assert unique["aisearchprj001eus2devywfe4a1b2c3d4e5001"].kind == "search"


def test_subnet_deployment_name_is_the_one_the_subnet_calculator_looks_up() -> None:
    # genDynamicNetworkParamFile.ps1: $deploymentPrefix = "esml-p$projectNumber-$env-$locationSuffix$aifactorySuffix"
    # then "$($deploymentPrefix)SubnetDeplProj" (its own comment: esml-p001-dev-swc-001SubnetDeplProj)
    config = cfg(environments={"dev": {"region": "swedencentral", "region_short": "swc"}})
    assert naming.project_deployment_names(config, "dev", "001")["P6"] == "esml-p001-dev-swc-001SubnetDeplProj"
