"""The address plan: the AI Factory's own worked numbers, every network finding, the proposal.

The worked numbers come from subnetCalc_v2.ps1 with the v1.24 defaults (reference §6); if they
drift, the wizard previews CIDRs that the AI Factory will not create.
"""

from __future__ import annotations

import json
from ipaddress import IPv4Address, IPv4Network
from typing import Any

import pytest
from pydantic import ValidationError

from wizard.errors import friendly_problems
from wizard.findings import Finding
from wizard.model import EnvName, FactoryConfig
from wizard.network import (
    PROJECT_ADDRESSES,
    apply_proposal,
    common_subnets,
    network_findings,
    plan_all,
    plan_environment,
    plan_to_json,
    plan_to_text,
    proposal_to_json,
    propose_plan,
    resolve_cidr,
    vnet_range,
)

ALL_ENVS = {"stage": {"enabled": True}, "prod": {"enabled": True}}
TEN_XX = {
    "vnet_cidr": "10.XX.0.0/16",
    "common_subnet_cidr": "10.XX.0.0/26",
    "common_scoring_subnet_cidr": "10.XX.0.64/26",
    "common_pbi_subnet_cidr": "10.XX.0.128/26",
    "common_bastion_subnet_cidr": "10.XX.0.192/26",
}


def make(**data: Any) -> FactoryConfig:
    """A validated config: the model's defaults plus `data`."""
    return FactoryConfig.model_validate(data)


def projects(count: int) -> list[dict[str, int]]:
    """Projects 001..count."""
    return [{"number": n} for n in range(1, count + 1)]


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def only(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


# --------------------------------------------------------------------------- templates


def test_resolve_cidr_puts_the_octet_where_xx_stands() -> None:
    assert resolve_cidr("172.16.XX.64/26", 61) == IPv4Network("172.16.61.64/26")
    assert resolve_cidr("172.16.0.0/16", 61) == IPv4Network("172.16.0.0/16")


def test_resolve_cidr_refuses_host_bits_as_azure_does() -> None:
    with pytest.raises(ValueError, match="host bits"):
        resolve_cidr("172.16.0.XX/26", 61)


def test_vnet_and_common_subnets_carry_the_ai_factory_names() -> None:
    config = make()
    assert vnet_range(config, "dev") == IPv4Network("172.16.0.0/16")
    assert [(s.name, s.role, str(s.network)) for s in common_subnets(config, "dev")] == [
        ("snet-esml-cmn-001", "common", "172.16.61.0/26"),
        ("snet-esml-cmn-001-scoring", "scoring", "172.16.61.64/26"),
        ("snet-esml-cmn-pbi-001", "pbi", "172.16.61.128/26"),
        ("AzureBastionSubnet", "bastion", "172.16.61.192/26"),
    ]


def test_broken_template_names_its_field() -> None:
    """The model refuses what the planner could not resolve, naming the template's field."""
    with pytest.raises(ValidationError) as caught:
        make(network={"vnet_cidr": "172.16.0.XX/16"})
    [problem] = friendly_problems(caught.value, FactoryConfig)
    assert problem.field == "network.vnet_cidr" and "dev's cidr_octet" in problem.message


# --------------------------------------------------------------------------- carving


def test_project_001_gets_the_worked_numbers() -> None:
    project = plan_environment(make(), "dev").projects[0]
    assert [(s.name, str(s.network)) for s in project.subnets] == [
        ("snt-prj001-aca", "172.16.62.0/23"),
        ("snt-prj001-aca-002", "172.16.64.0/23"),
        ("snt-prj001-aks-002", "172.16.66.0/24"),
        ("snt-prj001-genai", "172.16.67.0/25"),
        ("snt-prj001-aks", "172.16.67.128/26"),
        ("snt-prj001-dbxpub", "172.16.67.192/26"),
        ("snt-prj001-dbxpriv", "172.16.68.0/26"),
        ("snt-prj001-webapp", "172.16.68.64/27"),
    ]
    assert sum(s.network.num_addresses for s in project.subnets) == 1632 == PROJECT_ADDRESSES
    assert project.span == (IPv4Address("172.16.62.0"), IPv4Address("172.16.68.95"))


def test_each_project_consumes_a_slash_21() -> None:
    plan = plan_environment(make(projects=projects(3)), "dev")
    starts = [p.span[0] for p in plan.projects]
    assert starts == [IPv4Address(f"172.16.{octet}.0") for octet in (62, 70, 78)]
    assert str(plan.projects[1].subnets[0].network) == "172.16.70.0/23"


def test_24_projects_fit_and_the_25th_does_not() -> None:
    plan = plan_environment(make(projects=projects(25)), "dev")
    assert len(plan.projects) == 24
    assert plan.projects[-1].span == (IPv4Address("172.16.246.0"), IPv4Address("172.16.252.95"))
    assert plan.unplaced == ("025",)
    assert plan.capacity_left == 0


def test_capacity_left_counts_projects_after_the_configured_ones() -> None:
    assert plan_environment(make(), "dev").capacity_left == 23
    assert plan_environment(make(projects=[]), "dev").capacity_left == 24


def test_projects_are_carved_in_number_order() -> None:
    plan = plan_environment(make(projects=[{"number": 3}, {"number": 1}]), "dev")
    assert [p.number for p in plan.projects] == ["001", "003"]
    assert plan.projects[0].span[0] == IPv4Address("172.16.62.0")


def test_existing_subnets_move_the_pointer_to_the_next_aligned_boundary() -> None:
    plan = plan_environment(make(), "dev", [IPv4Network("172.16.100.0/24")])
    assert str(plan.projects[0].subnets[0].network) == "172.16.102.0/23"


def test_carving_only_appends_and_never_fills_gaps() -> None:
    """The calculator has a gap finder but does not call it; the preview must not either."""
    plan = plan_environment(make(), "dev", [IPv4Network("172.16.200.0/24")])
    assert plan.projects[0].span[0] == IPv4Address("172.16.202.0")
    assert plan.capacity_left == 5


def test_plan_all_covers_enabled_environments_only() -> None:
    plans = plan_all(make(environments={"prod": {"enabled": True}}))
    assert list(plans) == ["dev", "prod"]
    assert plans["prod"].common_subnets[0].network == IPv4Network("172.16.63.0/26")


# --------------------------------------------------------------------------- findings


def test_default_config_is_clean() -> None:
    assert network_findings(make()) == []


def test_every_finding_belongs_to_the_network_check() -> None:
    config = make(
        environments={"stage": {"enabled": True, "cidr_octet": 61}},
        network={"common_bastion_subnet_cidr": "172.16.XX.192/27"},
    )
    findings = network_findings(config)
    assert findings
    assert all(f.check == "network" and f.code.startswith("AIF-NET-") for f in findings)
    assert all(f.hint and f.field and f.environment for f in findings)


@pytest.mark.parametrize(
    ("zone", "severity"),
    [
        ({"mode": "standalone"}, "warning"),
        ({"mode": "hub_spoke"}, "error"),
        ({"mode": "vwan"}, "error"),
        ({"mode": "hybrid", "access_paths": ["vpn"]}, "error"),
        ({"mode": "hybrid", "access_paths": ["ip_allow_list"]}, "warning"),
    ],
)
def test_default_ranges_overlap_between_environments(zone: dict[str, Any], severity: str) -> None:
    """All three default to 172.16.0.0/16: fine alone, broken once peered to one hub."""
    findings = only(
        network_findings(make(landing_zone=zone, environments=ALL_ENVS)), "AIF-NET-OVERLAP"
    )
    assert [(f.environment, f.severity, f.field) for f in findings] == [
        ("stage", severity, "network.vnet_cidr"),
        ("prod", severity, "network.vnet_cidr"),
    ]
    assert "172.16.0.0/16 overlaps dev VNet 172.16.0.0/16" in findings[0].message
    assert "172.XX.0.0/16" in findings[0].hint


def test_overlap_with_xx_in_the_vnet_points_at_the_octet() -> None:
    config = make(
        landing_zone={"mode": "hub_spoke"},
        environments={"stage": {"enabled": True, "cidr_octet": 61}},
        network=TEN_XX,
        services={"agent_network_injection": False},
    )
    overlap = only(network_findings(config), "AIF-NET-OVERLAP")
    assert [(f.field, f.severity) for f in overlap] == [("environments.stage.cidr_octet", "error")]
    assert "cidr_octet to 62" in overlap[0].hint


def test_hub_overlap_is_an_error() -> None:
    config = make(landing_zone={"mode": "hub_spoke", "hub_address_prefixes": ["172.16.0.0/12"]})
    [finding] = network_findings(config)
    assert (finding.code, finding.severity) == ("AIF-NET-OVERLAP", "error")
    assert "172.16.0.0/16" in finding.message and "hub range 172.16.0.0/12" in finding.message
    assert "192.168." in finding.hint


def test_vpn_pool_overlap_is_an_error() -> None:
    zone = {"mode": "hybrid", "access_paths": ["vpn"], "vpn_client_prefixes": ["172.16.200.0/24"]}
    [finding] = network_findings(make(landing_zone=zone))
    assert (finding.code, finding.severity) == ("AIF-NET-OVERLAP", "error")
    assert "VPN client pool 172.16.200.0/24" in finding.message


@pytest.mark.parametrize(("mode", "severity"), [("standalone", "warning"), ("vwan", "error")])
def test_on_premises_overlap(mode: str, severity: str) -> None:
    config = make(landing_zone={"mode": mode}, network={"on_premises_prefixes": ["172.16.0.0/20"]})
    [finding] = network_findings(config)
    assert (finding.code, finding.severity) == ("AIF-NET-OVERLAP", severity)
    assert "on-premises range 172.16.0.0/20" in finding.message


def test_live_vnet_overlap_uses_the_label() -> None:
    live: dict[EnvName, list[tuple[str, IPv4Network]]] = {
        "dev": [("rg-landing/vnet-apps", IPv4Network("172.16.64.0/20"))]
    }
    [finding] = network_findings(make(landing_zone={"mode": "hub_spoke"}), existing_vnets=live)
    assert "existing VNet rg-landing/vnet-apps 172.16.64.0/20" in finding.message
    assert finding.severity == "error"


def test_duplicate_octets_suggest_the_next_free_one() -> None:
    config = make(environments={"stage": {"enabled": True, "cidr_octet": 61}})
    [finding] = only(network_findings(config), "AIF-NET-OCTET-DUPLICATE")
    assert (finding.environment, finding.field) == ("stage", "environments.stage.cidr_octet")
    assert "172.16.61.0/26" in finding.message
    assert finding.hint == "Use 62, the next free octet."


def test_common_subnets_outside_the_vnet_point_at_the_octet_when_it_fixes_them() -> None:
    findings = network_findings(make(network={"vnet_cidr": "172.16.0.0/20"}))
    outside = only(findings, "AIF-NET-OUTSIDE-VNET")
    assert len(outside) == 4
    assert outside[0].message == (
        "dev: snet-esml-cmn-001 172.16.61.0/26 lies outside the VNet 172.16.0.0/20."
    )
    assert {f.field for f in outside} == {"environments.dev.cidr_octet"}
    assert "cidr_octet to 0" in outside[0].hint
    assert "AIF-NET-CAPACITY" not in codes(findings), "the common step fails first"


def test_common_subnets_outside_the_vnet_point_at_the_template_otherwise() -> None:
    config = make(
        network={"common_bastion_subnet_cidr": "10.1.XX.0/26"},
        services={"agent_network_injection": False},
    )
    [finding] = network_findings(config)
    assert (finding.code, finding.field) == (
        "AIF-NET-OUTSIDE-VNET",
        "network.common_bastion_subnet_cidr",
    )
    assert "172.16.0.192/26" in finding.hint


def test_bastion_smaller_than_slash_26_is_an_error() -> None:
    config = make(network={"common_bastion_subnet_cidr": "172.16.XX.192/27"})
    [finding] = network_findings(config)
    assert (finding.code, finding.severity, finding.field) == (
        "AIF-NET-SUBNET-SIZE",
        "error",
        "network.common_bastion_subnet_cidr",
    )
    assert "172.16.61.192/26" in finding.hint


def test_common_subnets_may_be_as_small_as_slash_28() -> None:
    ok = make(network={"common_pbi_subnet_cidr": "172.16.XX.128/28"})
    too_small = make(network={"common_pbi_subnet_cidr": "172.16.XX.128/29"})
    assert network_findings(ok) == []
    assert codes(network_findings(too_small)) == ["AIF-NET-SUBNET-SIZE"]


def test_overlapping_common_subnets() -> None:
    config = make(network={"common_scoring_subnet_cidr": "172.16.XX.0/26"})
    [finding] = network_findings(config)
    assert finding.code == "AIF-NET-SUBNET-OVERLAP"
    assert finding.field == "network.common_scoring_subnet_cidr"


def test_class_a_range_blocks_agent_injection() -> None:
    [finding] = network_findings(make(network=TEN_XX))
    assert (finding.code, finding.severity) == ("AIF-NET-CLASS-A-INJECTION", "error")
    assert "10.61.0.0/16" in finding.message
    assert "agent_network_injection" in finding.hint


def test_class_a_range_is_fine_without_agent_injection() -> None:
    assert network_findings(make(network=TEN_XX, services={"agent_network_injection": False})) == []


def test_injection_is_judged_by_the_projects_services() -> None:
    config = make(network=TEN_XX, projects=[{"number": 1, "services": {"ai_foundry": False}}])
    assert network_findings(config) == []


def test_docker_bridge_range_is_a_warning() -> None:
    config = make(
        network={
            "vnet_cidr": "172.17.0.0/16",
            "common_subnet_cidr": "172.17.XX.0/26",
            "common_scoring_subnet_cidr": "172.17.XX.64/26",
            "common_pbi_subnet_cidr": "172.17.XX.128/26",
            "common_bastion_subnet_cidr": "172.17.XX.192/26",
        }
    )
    [finding] = network_findings(config)
    assert (finding.code, finding.severity) == ("AIF-NET-DOCKER-RANGE", "warning")


def test_broken_template_is_refused_not_a_crash() -> None:
    with pytest.raises(ValidationError) as caught:
        make(network={"common_subnet_cidr": "172.16.0.XX/26"})
    assert friendly_problems(caught.value, FactoryConfig)[0].field == "network.common_subnet_cidr"


def test_projects_that_do_not_fit_are_named_with_how_many_fit() -> None:
    [finding] = network_findings(make(projects=projects(26)))
    assert (finding.code, finding.severity) == ("AIF-NET-CAPACITY", "error")
    assert "025, 026" in finding.message and "24 projects fit" in finding.message
    assert finding.field == "environments.dev.cidr_octet"
    assert "cidr_octet to 0" in finding.hint and "31 projects" in finding.hint


def test_vnet_without_room_for_one_project() -> None:
    config = make(network={"vnet_cidr": "172.16.60.0/22"}, projects=[])
    [finding] = network_findings(config)
    assert finding.code == "AIF-NET-CAPACITY"
    assert "no room for a project" in finding.message
    assert finding.field == "network.vnet_cidr"


def test_live_subnets_reduce_capacity() -> None:
    live: dict[EnvName, list[IPv4Network]] = {"dev": [IPv4Network("172.16.250.0/24")]}
    [finding] = network_findings(make(), existing_subnets=live)
    assert finding.code == "AIF-NET-CAPACITY"


# --------------------------------------------------------------------------- proposal


def pairwise_disjoint(networks: list[IPv4Network]) -> bool:
    return not any(a.overlaps(b) for i, a in enumerate(networks) for b in networks[i + 1 :])


def test_proposal_gives_every_environment_its_own_slash_16() -> None:
    config = make(environments=ALL_ENVS, landing_zone={"mode": "hub_spoke"})
    proposal = propose_plan(config)
    assert dict(proposal.octets) == {"dev": 16, "stage": 18, "prod": 19}, "172.17 is Docker's"
    assert proposal.templates["vnet_cidr"] == "172.XX.0.0/16"
    assert proposal.templates["common_bastion_subnet_cidr"] == "172.XX.0.192/26"
    assert dict(proposal.capacity) == {"dev": 31, "stage": 31, "prod": 31}
    fixed = apply_proposal(config, proposal)
    assert network_findings(fixed) == []
    assert fixed.environments.stage.cidr_octet == 18


def test_proposal_avoids_the_hub_and_validates() -> None:
    hub = IPv4Network("172.16.0.0/13")
    config = make(
        environments=ALL_ENVS,
        landing_zone={"mode": "hub_spoke", "hub_address_prefixes": [str(hub)]},
    )
    proposal = propose_plan(config)
    vnets = list(proposal.vnets.values())
    assert pairwise_disjoint(vnets)
    assert not any(v.overlaps(hub) for v in vnets)
    assert [str(v) for v in vnets] == ["172.24.0.0/16", "172.25.0.0/16", "172.26.0.0/16"]
    fixed = apply_proposal(config, proposal)
    assert isinstance(FactoryConfig.model_validate(fixed.model_dump()), FactoryConfig)
    assert network_findings(fixed) == []


def test_proposal_avoids_live_ranges() -> None:
    live: dict[EnvName, list[tuple[str, IPv4Network]]] = {
        "prod": [("rg/vnet", IPv4Network("172.16.0.0/15"))]
    }
    proposal = propose_plan(make(), live)
    assert proposal.vnets["dev"] == IPv4Network("172.18.0.0/16")


def test_proposal_splits_192_168_when_172_16_is_taken() -> None:
    config = make(
        environments=ALL_ENVS,
        landing_zone={"mode": "vwan", "hub_address_prefixes": ["172.16.0.0/12"]},
    )
    proposal = propose_plan(config)
    assert [str(v) for v in proposal.vnets.values()] == [
        "192.168.0.0/18",
        "192.168.64.0/18",
        "192.168.128.0/18",
    ]
    assert "192.168.0.0/16 is split" in proposal.explanation[0]
    assert network_findings(apply_proposal(config, proposal)) == []


def test_proposal_falls_back_to_10_and_says_injection_breaks() -> None:
    config = make(
        landing_zone={"mode": "hub_spoke", "hub_address_prefixes": ["172.16.0.0/12"]},
        network={"on_premises_prefixes": ["192.168.0.0/16"]},
    )
    proposal = propose_plan(config)
    assert proposal.vnets["dev"] == IPv4Network("10.0.0.0/16")
    assert "agent network injection" in proposal.explanation[0]
    applied = network_findings(apply_proposal(config, proposal))
    assert codes(applied) == ["AIF-NET-CLASS-A-INJECTION"]


# --------------------------------------------------------------------------- rendering


def test_plan_to_json_is_plain_json() -> None:
    data: dict[str, Any] = plan_to_json(plan_environment(make(), "dev"))
    assert json.loads(json.dumps(data)) == data
    assert data["vnet"] == "172.16.0.0/16"
    assert data["capacity_left"] == 23 and data["unplaced"] == []
    assert data["common_subnets"][3] == {
        "name": "AzureBastionSubnet",
        "role": "bastion",
        "cidr": "172.16.61.192/26",
        "addresses": 64,
    }
    [project] = data["projects"]
    assert project["span"] == {"first": "172.16.62.0", "last": "172.16.68.95", "addresses": 1632}
    assert project["subnets"][1]["name"] == "snt-prj001-aca-002"


def test_proposal_to_json_is_plain_json() -> None:
    data = proposal_to_json(propose_plan(make()))
    assert json.loads(json.dumps(data)) == data
    assert data["vnets"] == {"dev": "172.16.0.0/16"} and data["octets"] == {"dev": 16}


def test_plan_to_text_lists_every_subnet() -> None:
    text = plan_to_text(plan_environment(make(projects=projects(25)), "dev"))
    assert "snt-prj024-webapp" in text and "172.16.252.64/27" in text
    assert "do not fit: 025" in text


def test_no_free_range_raises_and_findings_still_work() -> None:
    config = make(
        landing_zone={"mode": "hub_spoke"}, network={"on_premises_prefixes": ["0.0.0.0/0"]}
    )
    with pytest.raises(ValueError, match="no private range"):
        propose_plan(config)
    [finding] = network_findings(config)
    assert finding.hint.startswith("No free private range")
