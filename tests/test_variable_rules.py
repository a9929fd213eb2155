"""preflight.sh's static checks on the AI Factory variables the model keeps verbatim."""

from __future__ import annotations

import pytest

from wizard.model import FactoryConfig
from wizard.rules import run_rules


def codes(extra: dict[str, str], services: dict[str, bool] | None = None) -> set[str]:
    config = FactoryConfig.model_validate({"aifactory_extra": extra, "services": services or {}})
    return {f.code for f in run_rules(config) if f.check == "variables"}


def test_clean_defaults_have_no_variable_findings() -> None:
    assert codes({}) == set()


def test_byo_subnets_need_every_subnet_the_services_use() -> None:
    found = [f for f in run_rules(FactoryConfig.model_validate({
        "aifactory_extra": {"BYO_SUBNETS": "true", "VNET_RESOURCE_GROUP_PARAM": "rg-net",
                            "VNET_NAME_FULL_PARAM": "vnet-1", "SUBNET_COMMON": "snet-c",
                            "SUBNET_COMMON_SCORING": "snet-s", "SUBNET_PROJ_GENAI": "snt-prj<xxx>-genai"},
        "services": {"container_apps": True}})) if f.code == "AIF-BYO-SUBNET"]
    assert {f.field for f in found} == {"aifactory_extra.SUBNET_PROJ_ACA", "aifactory_extra.SUBNET_PROJ_ACA2"}
    assert all("<xxx>" in f.hint for f in found)


@pytest.mark.parametrize(("value", "code"), [
    ("", "AIF-BYO-ASE"),
    ("/subscriptions/0b1c5e2a-7d3f-4a8e-9c61-2f0d8e4b7a11/resourceGroups/rg/providers/Microsoft.Web/"
     "hostingEnvironments/ase1", "AIF-BYO-ASE-SLASH"),
    ("not-an-id", "AIF-BYO-ASE-ID"),
])
def test_byo_ase_id(value: str, code: str) -> None:
    assert codes({"BYO_ASEV3": "true", "BYO_ASE_FULL_RESOURCE_ID": value}) == {code}


def test_byo_ase_id_without_slash_passes() -> None:
    assert codes({"BYO_ASEV3": "true", "BYO_ASE_FULL_RESOURCE_ID": "subscriptions/0b1c5e2a-7d3f-4a8e-9c61-"
                  "2f0d8e4b7a11/resourceGroups/rg/providers/Microsoft.Web/hostingEnvironments/ase1"}) == set()


def test_aks_behind_a_firewall() -> None:
    assert codes({"AKS_OUTBOUND_TYPE": "userDefinedRouting"}) == {"AIF-AKS-UDR-FIREWALL", "AIF-AKS-UDR-DNS"}
    assert codes({"AKS_OUTBOUND_TYPE": "userDefinedRouting", "AKS_AZURE_FIREWALL_PRIVATE_IP": "10.0.1.4",
                  "AKS_PRIVATE_DNS_ZONE": "none"}) == set()


def test_contacts_and_github_repo() -> None:
    assert codes({"POSTGRES_ADMIN_EMAILS": "email_adress_only"}, {"postgresql": True}) == {"AIF-PG-ADMIN"}
    assert codes({"ELASTIC_EMAIL": "admin@example.com"}, {"elasticsearch": True}) == {"AIF-ELASTIC-EMAIL"}
    assert codes({"GITHUB_NEW_REPO": "just-a-name"}) == {"AIF-GITHUB-REPO"}
    assert codes({"GITHUB_NEW_REPO": "contoso/aifactory-001"}) == set()


def test_aks_egress_is_judged_only_with_aks_and_in_any_case() -> None:
    udr = {"AKS_OUTBOUND_TYPE": "USERDEFINEDROUTING"}
    assert codes(udr) == {"AIF-AKS-UDR-FIREWALL", "AIF-AKS-UDR-DNS"}
    assert codes(udr, {"aks": False, "aks_for_azure_ml": False}) == set()
    assert codes({**udr, "AKS_AZURE_FIREWALL_PRIVATE_IP": "10.0.1.4", "AKS_PRIVATE_DNS_ZONE": "System"}) == {
        "AIF-AKS-UDR-DNS"}


def test_every_ip_list_preflight_reads_is_checked() -> None:
    config = FactoryConfig.model_validate({"access": {"acr_ip_allow_list": "0.0.0.0"},
                                           "aifactory_extra": {"PROJECT_IP_WHITELIST": "1.2.3.4,1.2.3"}})
    found = {(f.code, f.field) for f in run_rules(config) if f.check == "variables"}
    assert found == {("AIF-IP-ANY", "access.acr_ip_allow_list"),
                     ("AIF-IP-FORMAT", "aifactory_extra.PROJECT_IP_WHITELIST")}


def test_an_octet_text_kept_from_an_import_must_be_plain_digits() -> None:
    [finding] = [f for f in run_rules(FactoryConfig.model_validate({"aifactory_extra": {"STAGE_CIDR_RANGE": "062"}}))
                 if f.code == "AIF-NET-OCTET-TEXT"]
    assert finding.field == "aifactory_extra.STAGE_CIDR_RANGE"
    assert "172.16.062.0/26" in finding.message and "62" in finding.hint
