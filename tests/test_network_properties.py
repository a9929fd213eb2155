"""Properties of the subnet carving that must hold for any VNet the wizard may be given.

The worked numbers pin one case; these pin the invariants Azure enforces on every case: a
subnet lies inside its VNet, is aligned to its own mask, and overlaps no other subnet.
"""

from __future__ import annotations

from ipaddress import IPv4Network
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from wizard.model import FactoryConfig, ServicesConfig
from wizard.network import EnvironmentPlan, plan_environment
from wizard.subnet_calc import subnet_needs


@st.composite
def layouts(draw: st.DrawFn) -> tuple[str, int]:
    """A VNet /16../20 inside 172.16.0.0/12 and an octet that puts the common /24 inside it."""
    prefixlen = draw(st.integers(16, 20))
    second = draw(st.integers(16, 31))
    width = 1 << (24 - prefixlen)
    third = draw(st.integers(0, (256 // width) - 1)) * width
    octet = third + draw(st.integers(0, width - 1))
    return f"172.{second}.{third}.0/{prefixlen}", octet


def plan_for(vnet: str, octet: int, count: int) -> EnvironmentPlan:
    """Plan `count` projects in dev with the AI Factory's common-subnet shape inside `vnet`."""
    second = vnet.split(".")[1]
    config = FactoryConfig.model_validate(
        {
            "network": {
                "vnet_cidr": vnet,
                "common_subnet_cidr": f"172.{second}.XX.0/26",
                "common_scoring_subnet_cidr": f"172.{second}.XX.64/26",
                "common_pbi_subnet_cidr": f"172.{second}.XX.128/26",
                "common_bastion_subnet_cidr": f"172.{second}.XX.192/26",
            },
            "environments": {"dev": {"cidr_octet": octet}},
            "projects": [{"number": n} for n in range(1, count + 1)],
        }
    )
    return plan_environment(config, "dev")


def disjoint(networks: list[IPv4Network]) -> bool:
    """No two ranges share an address (checked on neighbours after sorting)."""
    ordered = sorted(networks, key=lambda n: n.network_address)
    return all(a.broadcast_address < b.network_address for a, b in pairwise(ordered))


@settings(max_examples=150, deadline=None)
@given(layouts(), st.integers(0, 30))
def test_carved_subnets_are_inside_aligned_and_disjoint(
    layout: tuple[str, int], count: int
) -> None:
    plan = plan_for(*layout, count)
    carved = [s.network for p in plan.projects for s in p.subnets]
    assert all(net.subnet_of(plan.vnet) for net in carved)
    assert all(int(net.network_address) % net.num_addresses == 0 for net in carved)
    assert disjoint(carved + [s.network for s in plan.common_subnets])
    assert all(len(p.subnets) + len(p.missing) == 8 for p in plan.projects)
    assert not any(p.missing for p in plan.projects[:-1]), "only the last project can meet the end of the VNet"


@settings(max_examples=100, deadline=None)
@given(layouts(), st.integers(0, 30))
def test_capacity_is_the_same_however_many_projects_are_configured(
    layout: tuple[str, int], count: int
) -> None:
    """Complete + capacity_left is a property of the VNet; the others are the highest numbers.

    Complete: every subnet the (default) services need was placed; the rest either do not fit
    at all (unplaced) or lack a subnet a service needs.
    """
    needed = set(subnet_needs(ServicesConfig()))
    total = plan_for(*layout, 0).capacity_left
    plan = plan_for(*layout, count)
    complete = [p.number for p in plan.projects if not needed & set(p.missing)]
    assert len(complete) == min(count, total)
    assert plan.capacity_left == max(total - count, 0)
    others = sorted({p.number for p in plan.projects} - set(complete) | set(plan.unplaced))
    assert others == [f"{n:03d}" for n in range(total + 1, count + 1)]


@settings(max_examples=50, deadline=None)
@given(layouts(), st.integers(1, 30))
def test_adding_a_project_never_moves_earlier_ones(layout: tuple[str, int], count: int) -> None:
    """The calculator only appends, so a new project leaves every deployed subnet in place."""
    before = plan_for(*layout, count - 1).projects
    assert plan_for(*layout, count).projects[: len(before)] == before
