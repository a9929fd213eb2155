"""The drawn address plan: cells from network.plan_all, overlaps judged by network_findings."""

from __future__ import annotations

from typing import Any

from wizard import address_map, network
from wizard.model import EnvName, FactoryConfig


def config(**data: Any) -> FactoryConfig:
    return FactoryConfig.model_validate(data)


def drawn(cfg: FactoryConfig, env: EnvName, width: int = 45) -> address_map.AddressMap:
    plans = network.plan_all(cfg)
    outside = address_map.neighbours(cfg, plans, env, network.network_findings(cfg))
    return address_map.draw(plans[env], outside, width)


def text(amap: address_map.AddressMap) -> list[str]:
    return [f"{row.label} " + "".join(cell.text for cell in row.cells) for row in amap.rows]


HUB_XX = {"vnet_cidr": "172.XX.0.0/16", "common_subnet_cidr": "172.XX.0.0/26",
          "common_scoring_subnet_cidr": "172.XX.0.64/26", "common_pbi_subnet_cidr": "172.XX.0.128/26",
          "common_bastion_subnet_cidr": "172.XX.0.192/26"}
"""The AI Factory's shape with XX in the second octet: commons at the start of each VNet."""


def test_a_16_is_four_rows_of_32_cells_of_a_23_with_each_project_named() -> None:
    cfg = config(network=HUB_XX, environments={"dev": {"cidr_octet": 20}},
                 projects=[{"number": "001"}, {"number": "002"}, {"number": "003"}])
    amap = drawn(cfg, "dev")
    assert amap.cell_prefix == 23 and len(amap.rows) == 4
    assert all(len(row.cells) == 32 for row in amap.rows)
    assert text(amap)[0] == "172.20.0.0 c001━002━003━" + "░" * 19  # a project takes four /23s
    assert [row.label for row in amap.rows] == ["172.20.0.0", "172.20.64.0", "172.20.128.0", "172.20.192.0"]
    assert {c.project for row in amap.rows for c in row.cells if c.kind == "project"} == {"001", "002", "003"}


def test_where_full_addresses_leave_too_little_room_rows_are_labelled_by_their_octets() -> None:
    cfg = config(network=HUB_XX, environments={"dev": {"cidr_octet": 20}})
    narrow = drawn(cfg, "dev", width=40)
    assert [row.label for row in narrow.rows] == [".0.0", ".64.0", ".128.0", ".192.0"]
    assert len(narrow.rows[0].cells) == 32
    wide = drawn(cfg, "dev", width=150)
    assert len(wide.rows[0].cells) == 128 and wide.cell_prefix == 25  # wider: finer cells, still 4 rows


def test_below_the_common_subnets_the_calculator_skips_and_the_map_says_so() -> None:
    amap = drawn(config(), "dev")  # v1.24 defaults: 172.16.0.0/16, commons at 172.16.61.0 (octet 61)
    cells = [cell for row in amap.rows for cell in row.cells]
    first_common = next(i for i, c in enumerate(cells) if c.kind == "common")
    assert first_common == 30 and {c.kind for c in cells[:first_common]} == {"gap"}
    assert cells[first_common + 1].kind == "project"


def test_an_overlap_with_the_hub_is_painted_where_it_is_and_judged_an_error() -> None:
    cfg = config(network=HUB_XX, environments={"dev": {"cidr_octet": 20}},
                 landing_zone={"mode": "hub_spoke", "hub_address_prefixes": ["172.20.0.0/22"]})
    amap = drawn(cfg, "dev")
    assert amap.neighbours == (address_map.Neighbour("hub", network.IPv4Network("172.20.0.0/22"), "error"),)
    assert text(amap)[0].startswith("172.20.0.0 ✗✗001")


def test_on_premises_overlap_while_standalone_is_a_warning() -> None:
    cfg = config(network={**HUB_XX, "on_premises_prefixes": ["172.20.128.0/17"]},
                 environments={"dev": {"cidr_octet": 20}})
    amap = drawn(cfg, "dev")
    assert [n.severity for n in amap.neighbours] == ["warning"]
    assert text(amap)[2] == "172.20.128.0 " + "!" * 32


def test_two_environments_on_one_range_see_each_other_in_words_not_paint() -> None:
    cfg = config(environments={"stage": {"enabled": True}})  # both keep 172.16.0.0/16
    for env, other in (("dev", "stage"), ("stage", "dev")):
        amap = drawn(cfg, env)  # type: ignore[arg-type]
        assert [(n.label, n.whole) for n in amap.neighbours] == [(f"{other} VNet", True)]
        assert not any(c.kind == "overlap" for row in amap.rows for c in row.cells)


def test_small_and_huge_vnets_still_fit() -> None:
    small = config(network={"vnet_cidr": "192.168.0.0/24", "common_subnet_cidr": "192.168.0.0/28",
                            "common_scoring_subnet_cidr": "192.168.0.16/28",
                            "common_pbi_subnet_cidr": "192.168.0.32/28",
                            "common_bastion_subnet_cidr": "192.168.0.64/26"})
    amap = drawn(small, "dev")
    assert amap.cell_prefix == 29 and len(amap.rows) == 1 and len(amap.rows[0].cells) == 32
    huge = config(network={**HUB_XX, "vnet_cidr": "10.0.0.0/8"})
    amap = drawn(huge, "dev")
    assert amap.cell_prefix == 15 and len(amap.rows) == 4


def test_project_labels_shrink_to_the_cells_they_have() -> None:
    cells = [address_map.Cell("project", "", project=n) for n in ("001", "002", "002", "003", "003", "003", "003")]
    assert "".join(c.text for c in address_map._label_projects(cells)) == "102003━"
