"""The AI Factory's project subnet calculator (`scripts/subnetCalc_v2.ps1`), and who needs which subnet.

The script reads the live VNet, starts after the subnet with the highest start address and
places the eight project subnets largest first, each on its own boundary. What does not fit it
leaves empty in subnetParameters.json: a block off its boundary moves the pointer to the next
one and tries again, at most ten times, after which the script skips that subnet and goes on
with the next; once the pointer has left the first two octets it started in, it stops.
`31-network.bicep` then creates every subnet that has a range. It cannot do without genai, aks
and aca; the other five matter only to the services that put resources into them. So a project
at the very end of a VNet may still deploy, as long as none of its services needs what is
missing. This module is that arithmetic and that knowledge; `wizard.network` applies it to a
configuration.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from ipaddress import IPv4Network

from wizard import catalog
from wizard.model import ServicesConfig

MAX_RETRIES = 10
"""How often subnetCalc_v2.ps1 moves to the next boundary for one subnet before skipping it."""


@dataclass(frozen=True, slots=True)
class SubnetSpec:
    """One subnet of a kind the AI Factory creates, with its fixed name part and size."""

    role: str
    """Short role, e.g. `aca2`; stable across versions, used as the key in JSON output."""
    suffix: str
    """What follows the project or common prefix in the subnet name, e.g. `aca-002`."""
    prefixlen: int
    """Mask length the AI Factory gives it (a minimum for the common subnets)."""

    def name(self, project: str) -> str:
        """The subnet's name for one project, e.g. `snt-prj001-aca-002`."""
        return f"snt-prj{project}-{self.suffix}"


PROJECT_SUBNETS: tuple[SubnetSpec, ...] = (
    SubnetSpec("aca", "aca", 23),
    SubnetSpec("aca2", "aca-002", 23),
    SubnetSpec("aks2", "aks-002", 24),
    SubnetSpec("genai", "genai", 25),
    SubnetSpec("aks", "aks", 26),
    SubnetSpec("dbxpub", "dbxpub", 26),
    SubnetSpec("dbxpriv", "dbxpriv", 26),
    SubnetSpec("webapp", "webapp", 27),
)
"""The v1.24 `all` project type: the calculator sizes all eight, whatever the ENABLE_* flags."""

CARVE_ORDER: tuple[SubnetSpec, ...] = tuple(sorted(PROJECT_SUBNETS, key=lambda s: s.prefixlen))
"""Largest block first, as the calculator allocates; `sorted` is stable for equal masks."""

SPECS: dict[str, SubnetSpec] = {spec.role: spec for spec in PROJECT_SUBNETS}

PROJECT_ADDRESSES = sum(1 << (32 - spec.prefixlen) for spec in PROJECT_SUBNETS)
"""Addresses one project's subnets hold (1,632), not counting alignment gaps."""

BICEP_REQUIRED: tuple[str, ...] = ("genai", "aks", "aca")
"""Subnets 31-network.bicep deploys in any case: without a range for one, the project's network
step fails. The other five are created only when the calculator gave them a range."""

INJECTION_NEED = "Foundry agent network injection (services.agent_network_injection)"
"""Who needs aca-002 besides the catalogue's services: agents injected into the delegated subnet."""


def _fits(vnet: IPv4Network, start: int, size: int) -> bool:
    """The calculator's validity test: `start` is an aligned block of `size` inside the VNet."""
    first = int(vnet.network_address)
    return start % size == 0 and first <= start and start + size <= first + vnet.num_addresses


def carve(vnet: IPv4Network, pointer: int) -> dict[str, int]:
    """One run of the calculator from `pointer`: role -> start address of each subnet it places.

    `vnet` is the VNet's first address prefix, the only one the script looks at. Subnets missing
    from the answer are the ones it leaves empty.
    """
    first_two = pointer >> 16
    placed: dict[str, int] = {}
    for spec in CARVE_ORDER:
        size = 1 << (32 - spec.prefixlen)
        retries = 0
        while not _fits(vnet, pointer, size):
            retries += 1
            if retries > MAX_RETRIES:
                break  # the script skips this subnet and tries the next one from here
            pointer = (pointer // size + 1) * size
            if pointer >> 16 != first_two:
                return placed  # "Full vNet": nothing more is placed
        else:
            placed[spec.role] = pointer
            pointer += size
    return placed


def placed_networks(placed: dict[str, int]) -> dict[str, IPv4Network]:
    """The calculator's answer as ranges."""
    return {role: IPv4Network((start, SPECS[role].prefixlen)) for role, start in placed.items()}


def highest_start(occupied: Sequence[IPv4Network]) -> IPv4Network:
    """The subnet with the highest start address (compared as ints: IPv4Address compares slowly)."""
    return max(occupied, key=lambda net: int(net.network_address))


def next_pointer(occupied: Sequence[IPv4Network]) -> int:
    """The address after the broadcast of the subnet with the highest start address."""
    return int(highest_start(occupied).broadcast_address) + 1


def subnet_needs(services: ServicesConfig) -> dict[str, list[str]]:
    """Role -> what cannot do without that subnet: 31-network.bicep for genai, aks and aca, the
    services switched on for the rest (from the catalogue), and agent network injection for aca2."""
    needs: dict[str, list[str]] = {role: ["31-network.bicep"] for role in BICEP_REQUIRED}
    for key in catalog.active_services(services):
        service = catalog.SERVICES[key]
        for need in service.subnets:
            users = needs.setdefault(need.kind, [])
            label = f"{service.display_name} (services.{key})"
            if need.kind not in BICEP_REQUIRED and label not in users:
                users.append(label)
    if services.ai_foundry and services.agent_network_injection:
        needs.setdefault("aca2", []).append(INJECTION_NEED)
    return needs


def possible_users(role: str) -> list[str]:
    """Every service that would need `role` if switched on, for the "cannot be turned on later" note."""
    users = [s.display_name for s in catalog.SERVICES.values() if any(n.kind == role for n in s.subnets)]
    if role == "aca2":
        users.append("Foundry agent network injection")
    return users


def count_fitting(vnet: IPv4Network, pointer: int, limit: int, needed: set[str]) -> int:
    """How many more projects the calculator can carve from `pointer` with every `needed` subnet, up to `limit`."""
    count = 0
    while count < limit:
        placed = carve(vnet, pointer)
        if not needed <= placed.keys():
            break
        pointer = max(start + (1 << (32 - SPECS[role].prefixlen)) for role, start in placed.items())
        count += 1
    return count
