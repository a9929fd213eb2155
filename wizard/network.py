"""The address plan: the AI Factory's subnet calculator, overlap checks and a clean proposal.

The AI Factory resolves its network templates by putting each environment's octet where `XX`
stands, builds four common subnets, and then carves eight subnets per project out of the live
VNet with `scripts/subnetCalc_v2.ps1`. That script only appends after the subnet with the highest
start address and aligns every block to its own mask, so each project consumes a /21 and a /16
holds 24 projects. This module reproduces that arithmetic offline with `ipaddress`, so the wizard
can show every CIDR and the remaining capacity before anything is deployed, report overlaps
with the hub, the VPN pool, on-premises and live ranges as Findings, and propose a plan that
avoids them all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from ipaddress import IPv4Address, IPv4Network

from wizard.address_template import resolve_cidr
from wizard.errors import UserError
from wizard.findings import Finding, Severity
from wizard.model import EnvName, FactoryConfig, HubSpokeZone, HybridZone, VwanZone

DOCKER_BRIDGE = IPv4Network("172.17.0.0/16")
"""Docker's default bridge network; a VNet here clashes with containers on jump hosts and agents."""

INJECTION_RANGES = (IPv4Network("172.16.0.0/12"), IPv4Network("192.168.0.0/16"))
"""Where Foundry agent network injection works; 10.0.0.0/8 is not supported."""

CLASS_A = IPv4Network("10.0.0.0/8")
"""The Gen-1 default space; Foundry agent network injection refuses it."""

MAX_RETRIES = 10
"""How often subnetCalc_v2.ps1 moves to the next boundary for one subnet before giving up."""

MAX_PROJECTS = 999
"""PROJECT_NUMBER has three digits, so no scale set holds more projects than this."""


@dataclass(frozen=True, slots=True)
class SubnetSpec:
    """One subnet of a kind the AI Factory creates, with its fixed name part and size."""

    role: str
    """Short role, e.g. `aca2`; stable across versions, used as the key in JSON output."""
    suffix: str
    """What follows the project or common prefix in the subnet name, e.g. `aca-002`."""
    prefixlen: int
    """Mask length the AI Factory gives it (a minimum for the common subnets)."""


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
"""The v1.24 `all` project type: every project gets all eight, whatever its ENABLE_* flags."""

CARVE_ORDER: tuple[SubnetSpec, ...] = tuple(sorted(PROJECT_SUBNETS, key=lambda s: s.prefixlen))
"""Largest block first, as the calculator allocates; `sorted` is stable for equal masks."""

PROJECT_ADDRESSES = sum(1 << (32 - spec.prefixlen) for spec in PROJECT_SUBNETS)
"""Addresses one project's subnets hold (1,632), not counting alignment gaps."""


@dataclass(frozen=True, slots=True)
class CommonSpec:
    """One of the four common subnets and the NetworkConfig template that places it."""

    role: str
    """Short role: common, scoring, pbi or bastion."""
    name: str
    """The subnet's name in the common VNet."""
    template_field: str
    """NetworkConfig field holding its CIDR template."""
    min_prefixlen: int
    """Smallest size the AI Factory preflight accepts (the longest mask allowed)."""


COMMON_SUBNETS: tuple[CommonSpec, ...] = (
    CommonSpec("common", "snet-esml-cmn-001", "common_subnet_cidr", 28),
    CommonSpec("scoring", "snet-esml-cmn-001-scoring", "common_scoring_subnet_cidr", 28),
    CommonSpec("pbi", "snet-esml-cmn-pbi-001", "common_pbi_subnet_cidr", 28),
    CommonSpec("bastion", "AzureBastionSubnet", "common_bastion_subnet_cidr", 26),
)


@dataclass(frozen=True, slots=True)
class Subnet:
    """One subnet as the AI Factory would create it."""

    name: str
    """Azure name, e.g. `snt-prj001-aca-002` or `AzureBastionSubnet`."""
    role: str
    """Short role, e.g. `aca2` or `bastion`."""
    network: IPv4Network
    """Its address range."""


@dataclass(frozen=True, slots=True)
class ProjectPlan:
    """The subnets the calculator carves for one project in one environment."""

    number: str
    """Three-digit project number, e.g. `001`."""
    subnets: tuple[Subnet, ...]
    """All eight subnets in allocation (and address) order."""
    span: tuple[IPv4Address, IPv4Address]
    """First and last address the project occupies, alignment gaps between its subnets included."""


@dataclass(frozen=True, slots=True)
class EnvironmentPlan:
    """The address plan of one environment: VNet, common subnets and every project that fits."""

    environment: EnvName
    """dev, stage or prod."""
    vnet: IPv4Network
    """The VNet's (first) address prefix."""
    common_subnets: tuple[Subnet, ...]
    """The four common subnets from the templates."""
    projects: tuple[ProjectPlan, ...]
    """Configured projects that fit, in ascending project-number order."""
    capacity_left: int
    """How many more projects of the same shape fit after the configured ones."""
    unplaced: tuple[str, ...]
    """Numbers of configured projects that do not fit."""


@dataclass(frozen=True, slots=True)
class NetworkProposal:
    """A non-overlapping address plan for every enabled environment, ready to apply."""

    templates: Mapping[str, str]
    """New NetworkConfig values by field name: vnet_cidr and the four common subnet templates."""
    octets: Mapping[EnvName, int]
    """New cidr_octet per enabled environment."""
    vnets: Mapping[EnvName, IPv4Network]
    """The VNet range each environment gets."""
    capacity: Mapping[EnvName, int]
    """Projects that fit per environment under the proposal."""
    explanation: tuple[str, ...]
    """Why it looks this way, one sentence each, for the user."""


class TemplateError(UserError, ValueError):
    """A network template that gives no valid range with an environment's octet."""

    def __init__(self, field: str, template: str, octet: int, reason: str) -> None:
        super().__init__(f"{template} with XX = {octet} is not a valid range: {reason}",
                         "choose another octet or template", field)
        self.field = field
        """Dotted path of the template in FactoryConfig."""


# --------------------------------------------------------------------------- resolving


def _resolve(config: FactoryConfig, template_field: str, env_name: EnvName) -> IPv4Network:
    """Resolve one NetworkConfig template for an environment, naming the field on failure."""
    template: str = getattr(config.network, template_field)
    octet = config.environments.get(env_name).cidr_octet
    try:
        return resolve_cidr(template, octet)
    except ValueError as error:
        raise TemplateError(f"network.{template_field}", template, octet, str(error)) from None


def vnet_range(config: FactoryConfig, env_name: EnvName) -> IPv4Network:
    """The VNet address space of one environment (COMMON_VNET_CIDR with its octet)."""
    return _resolve(config, "vnet_cidr", env_name)


def common_subnets(config: FactoryConfig, env_name: EnvName) -> tuple[Subnet, ...]:
    """The four common subnets of one environment, in template order."""
    return tuple(
        Subnet(spec.name, spec.role, _resolve(config, spec.template_field, env_name))
        for spec in COMMON_SUBNETS
    )


# --------------------------------------------------------------------------- carving


def _fits(vnet: IPv4Network, start: int, size: int) -> bool:
    """The calculator's validity test: `start` is an aligned block of `size` inside the VNet."""
    first = int(vnet.network_address)
    return start % size == 0 and first <= start and start + size <= first + vnet.num_addresses


def _carve(vnet: IPv4Network, pointer: int) -> list[tuple[SubnetSpec, int]] | None:
    """One run of the calculator from `pointer`: each spec's start, or None if one does not fit.

    Like subnetCalc_v2.ps1: a block that is not on a boundary moves the pointer to the next
    boundary and retries (at most MAX_RETRIES times), and the run stops once the pointer's first
    two octets differ from where it began. A project missing a subnet fails to deploy, so a
    partial result counts as not fitting.
    """
    first_two = pointer >> 16
    placed: list[tuple[SubnetSpec, int]] = []
    for spec in CARVE_ORDER:
        size = 1 << (32 - spec.prefixlen)
        for _ in range(MAX_RETRIES + 1):
            if _fits(vnet, pointer, size):
                placed.append((spec, pointer))
                pointer += size
                break
            pointer = (pointer // size + 1) * size
            if pointer >> 16 != first_two:
                return None
        else:
            return None
    return placed


def _project_plan(number: str, placed: list[tuple[SubnetSpec, int]]) -> ProjectPlan:
    """Name the carved blocks of one project."""
    subnets = tuple(
        Subnet(f"snt-prj{number}-{spec.suffix}", spec.role, IPv4Network((start, spec.prefixlen)))
        for spec, start in placed
    )
    return ProjectPlan(number, subnets, (subnets[0].network[0], subnets[-1].network[-1]))


def _next_pointer(occupied: Sequence[IPv4Network]) -> int:
    """The address after the broadcast of the subnet with the highest start address."""
    highest = max(occupied, key=lambda net: net.network_address)
    return int(highest.broadcast_address) + 1


def _count_fitting(vnet: IPv4Network, pointer: int, limit: int) -> int:
    """How many projects the calculator can still carve from `pointer`, up to `limit`."""
    count = 0
    while count < limit:
        placed = _carve(vnet, pointer)
        if placed is None:
            break
        spec, start = placed[-1]
        pointer = start + (1 << (32 - spec.prefixlen))
        count += 1
    return count


def plan_environment(
    config: FactoryConfig, env_name: EnvName, existing_subnets: Sequence[IPv4Network] = ()
) -> EnvironmentPlan:
    """Carve every configured project in one environment as the AI Factory would.

    `existing_subnets` are subnets already in the live VNet; like the calculator, the plan only
    appends after the one with the highest start address. Raises TemplateError when a template
    does not resolve.
    """
    vnet = vnet_range(config, env_name)
    commons = common_subnets(config, env_name)
    pointer = _next_pointer([s.network for s in commons] + list(existing_subnets))
    projects: list[ProjectPlan] = []
    unplaced: list[str] = []
    for number in sorted(project.number for project in config.projects):
        placed = _carve(vnet, pointer)
        if placed is None:
            unplaced.append(number)
            continue
        plan = _project_plan(number, placed)
        projects.append(plan)
        pointer = int(plan.span[1]) + 1
    limit = max(MAX_PROJECTS - len(config.projects), 0)
    return EnvironmentPlan(
        environment=env_name,
        vnet=vnet,
        common_subnets=commons,
        projects=tuple(projects),
        capacity_left=_count_fitting(vnet, pointer, limit),
        unplaced=tuple(unplaced),
    )


def plan_all(
    config: FactoryConfig,
    existing_subnets: Mapping[EnvName, Sequence[IPv4Network]] | None = None,
) -> dict[EnvName, EnvironmentPlan]:
    """The plan of every enabled environment; raises TemplateError when a template is broken."""
    live = existing_subnets or {}
    return {
        name: plan_environment(config, name, live.get(name, ()))
        for name, _ in config.environments.enabled()
    }


# --------------------------------------------------------------------------- findings


@dataclass(frozen=True, slots=True)
class _Obstacle:
    """A range outside the AI Factory that an environment's VNet must not overlap."""

    label: str
    """How the message names it, e.g. `the hub range`."""
    network: IPv4Network
    """The range."""
    blocking: bool
    """An overlap is an error (routing breaks) rather than a warning (it may later)."""
    alternative: str = ""
    """The other way out, when the range itself may be what is wrong."""


@dataclass(frozen=True, slots=True)
class _Context:
    """What the checks share: the resolved layouts, the obstacles and a fallback proposal."""

    config: FactoryConfig
    """The configuration under check."""
    layouts: Mapping[EnvName, tuple[IPv4Network, tuple[Subnet, ...]]]
    """VNet and common subnets of each enabled environment whose templates resolve."""
    obstacles: Mapping[EnvName, list[_Obstacle]]
    """Ranges each environment's VNet must avoid."""
    proposal: NetworkProposal | None
    """A clean plan to quote in hints; None when no free range exists."""


def _is_peered(config: FactoryConfig) -> bool:
    """True when the environments reach one hub (or VPN), so their ranges must be unique."""
    zone = config.landing_zone
    if isinstance(zone, HybridZone):
        return "vpn" in zone.access_paths
    return isinstance(zone, HubSpokeZone | VwanZone)


def _obstacles(config: FactoryConfig, live: Sequence[tuple[str, IPv4Network]]) -> list[_Obstacle]:
    """The hub, VPN pool, on-premises and live ranges one environment's VNet must avoid.

    `live` holds (name, range) of VNets that already exist, e.g. `rg-apps/vnet-apps`.
    """
    zone = config.landing_zone
    peered = _is_peered(config)
    found: list[_Obstacle] = []
    if isinstance(zone, HubSpokeZone | VwanZone):
        fix = " Or correct landing_zone.hub_address_prefixes if that is not the hub's range."
        found += [
            _Obstacle("the hub range", IPv4Network(p), True, fix) for p in zone.hub_address_prefixes
        ]
    if isinstance(zone, HybridZone):
        fix = " Or move the pool (landing_zone.vpn_client_prefixes)."
        found += [
            _Obstacle("the VPN client pool", IPv4Network(p), True, fix)
            for p in zone.vpn_client_prefixes
        ]
    fix = " Or correct network.on_premises_prefixes if that range is not routed to Azure."
    found += [
        _Obstacle("the on-premises range", IPv4Network(p), peered, fix)
        for p in config.network.on_premises_prefixes
    ]
    found += [_Obstacle(f"the existing VNet {label}", net, peered) for label, net in live]
    return found


def _finding(
    severity: Severity, code: str, message: str, hint: str, field: str, env: str = ""
) -> Finding:
    """A Finding of the network check."""
    return Finding(severity, code, message, hint, field, env, "network")


def _vnet_field(config: FactoryConfig, env_name: EnvName) -> str:
    """The value that moves an environment's VNet: its octet if the template has XX."""
    if "XX" in config.network.vnet_cidr:
        return f"environments.{env_name}.cidr_octet"
    return "network.vnet_cidr"


def _try_layout(config: FactoryConfig, octet: int) -> tuple[IPv4Network, list[IPv4Network]] | None:
    """VNet and common ranges the templates give for `octet`, or None if any is invalid."""
    try:
        vnet = resolve_cidr(config.network.vnet_cidr, octet)
        commons = [
            resolve_cidr(getattr(config.network, s.template_field), octet) for s in COMMON_SUBNETS
        ]
    except ValueError:
        return None
    return vnet, commons


def _octets_after(current: int) -> list[int]:
    """Every other octet, starting after `current` and wrapping round."""
    return [*range(current + 1, 256), *range(current)]


def _suggest_octet(ctx: _Context, env_name: EnvName) -> int | None:
    """The next octet after the current one that gives a clean layout, or None.

    Clean means: not used by another enabled environment, every common subnet inside the VNet,
    and, when the octet moves the VNet, no overlap with other VNets, obstacles or Docker's bridge.
    """
    config = ctx.config
    current = config.environments.get(env_name).cidr_octet
    taken = {e.cidr_octet for n, e in config.environments.enabled() if n != env_name}
    others = [vnet for n, (vnet, _) in ctx.layouts.items() if n != env_name]
    avoid = others + [o.network for o in ctx.obstacles.get(env_name, [])] + [DOCKER_BRIDGE]
    moves_vnet = "XX" in config.network.vnet_cidr
    for octet in _octets_after(current):
        layout = None if octet in taken else _try_layout(config, octet)
        if layout is None:
            continue
        vnet, commons = layout
        if not all(c.subnet_of(vnet) for c in commons):
            continue
        if moves_vnet and any(vnet.overlaps(a) for a in avoid):
            continue
        return octet
    return None


def _next_unused_octet(config: FactoryConfig, env_name: EnvName) -> int:
    """The next octet after the current one that no other enabled environment uses."""
    current = config.environments.get(env_name).cidr_octet
    taken = {e.cidr_octet for n, e in config.environments.enabled() if n != env_name}
    return next(o for o in _octets_after(current) if o not in taken)


def _proposal_hint(ctx: _Context, env_name: EnvName) -> str:
    """Quote the proposal's range for one environment and the templates that give it."""
    proposal = ctx.proposal
    if proposal is None:
        return "No free private range is left; remove a conflicting range or free address space."
    octets = ", ".join(f"{name} {octet}" for name, octet in proposal.octets.items())
    return (
        f"Give every environment its own range, e.g. {env_name} {proposal.vnets[env_name]}: "
        f"set network.vnet_cidr to {proposal.templates['vnet_cidr']}, the common subnets to "
        f"{proposal.templates['common_subnet_cidr']} and the next three /26 blocks, and the "
        f"octets to {octets} (the wizard's network proposal does this in one step)."
    )


def _range_hint(ctx: _Context, env_name: EnvName) -> str:
    """What moves an environment's VNet clear: a free octet if XX moves it, else the proposal."""
    octet = _suggest_octet(ctx, env_name) if "XX" in ctx.config.network.vnet_cidr else None
    if octet is None:
        return _proposal_hint(ctx, env_name)
    vnet = resolve_cidr(ctx.config.network.vnet_cidr, octet)
    return f"Set environments.{env_name}.cidr_octet to {octet}, giving the VNet {vnet}."


def _template_finding(env_name: EnvName, error: TemplateError) -> Finding:
    """A template that does not resolve for this environment's octet."""
    return _finding(
        "error",
        "AIF-NET-TEMPLATE",
        f"{env_name}: {error}.",
        "Write a.b.c.d/nn with XX in place of one whole octet and no host bits set, "
        "e.g. 172.16.XX.0/26.",
        error.field,
        env_name,
    )


def _octet_findings(ctx: _Context) -> list[Finding]:
    """Preflight's rule: every enabled environment has its own octet."""
    findings: list[Finding] = []
    first_user: dict[int, EnvName] = {}
    for name, env in ctx.config.environments.enabled():
        first = first_user.setdefault(env.cidr_octet, name)
        if first == name:
            continue
        where = ctx.layouts[name][1][0].network if name in ctx.layouts else None
        place = f", so both put their common subnet at {where}" if where else ""
        octet = _suggest_octet(ctx, name)
        if octet is None:
            octet = _next_unused_octet(ctx.config, name)
        findings.append(
            _finding(
                "error",
                "AIF-NET-OCTET-DUPLICATE",
                f"{name} uses CIDR octet {env.cidr_octet}, the same as {first}{place}.",
                f"Use {octet}, the next free octet.",
                f"environments.{name}.cidr_octet",
                name,
            )
        )
    return findings


def _env_overlap_findings(ctx: _Context) -> list[Finding]:
    """Each environment against the first earlier one whose VNet it overlaps."""
    peered = _is_peered(ctx.config)
    findings: list[Finding] = []
    seen: list[tuple[EnvName, IPv4Network]] = []
    for name, (vnet, _) in ctx.layouts.items():
        other = next(((o, net) for o, net in seen if net.overlaps(vnet)), None)
        seen.append((name, vnet))
        if other is None:
            continue
        consequence = (
            "they cannot both be peered to the hub"
            if peered
            else "harmless while standalone, but they can never be peered to one hub"
        )
        findings.append(
            _finding(
                "error" if peered else "warning",
                "AIF-NET-OVERLAP",
                f"{name} VNet {vnet} overlaps {other[0]} VNet {other[1]}: {consequence}.",
                _range_hint(ctx, name),
                _vnet_field(ctx.config, name),
                name,
            )
        )
    return findings


def _external_overlap_findings(ctx: _Context, env_name: EnvName) -> list[Finding]:
    """An environment's VNet against the hub, VPN pool, on-premises and live ranges."""
    vnet = ctx.layouts[env_name][0]
    return [
        _finding(
            "error" if obstacle.blocking else "warning",
            "AIF-NET-OVERLAP",
            f"{env_name} VNet {vnet} overlaps {obstacle.label} {obstacle.network}.",
            _range_hint(ctx, env_name) + obstacle.alternative,
            _vnet_field(ctx.config, env_name),
            env_name,
        )
        for obstacle in ctx.obstacles[env_name]
        if obstacle.network.overlaps(vnet)
    ]


def _example_inside(config: FactoryConfig, vnet: IPv4Network, index: int) -> str:
    """Where common subnet `index` goes in the AI Factory's shape: the index-th /26 of the VNet.

    Written as a template, with XX where the VNet template has it, so every environment follows.
    """
    octets = str(vnet.network_address + index * 64).split(".")
    vnet_octets = config.network.vnet_cidr.split("/")[0].split(".")
    if "XX" in vnet_octets:
        octets[vnet_octets.index("XX")] = "XX"
    return ".".join(octets) + "/26"


def _outside_findings(ctx: _Context, env_name: EnvName) -> list[Finding]:
    """Preflight's rule: every common subnet lies inside the VNet.

    When another octet puts them all inside an unmoved VNet, that octet is the fix; otherwise
    the subnet's template is.
    """
    vnet, commons = ctx.layouts[env_name]
    octet = None if "XX" in ctx.config.network.vnet_cidr else _suggest_octet(ctx, env_name)
    findings: list[Finding] = []
    for index, (spec, subnet) in enumerate(zip(COMMON_SUBNETS, commons, strict=True)):
        if subnet.network.subnet_of(vnet):
            continue
        if octet is not None:
            field = f"environments.{env_name}.cidr_octet"
            hint = f"Set {field} to {octet}: the common subnets then lie inside {vnet}."
        else:
            field = f"network.{spec.template_field}"
            hint = f"Put it inside {vnet}, e.g. {_example_inside(ctx.config, vnet, index)}."
        findings.append(
            _finding(
                "error",
                "AIF-NET-OUTSIDE-VNET",
                f"{env_name}: {subnet.name} {subnet.network} lies outside the VNet {vnet}.",
                hint,
                field,
                env_name,
            )
        )
    return findings


def _common_overlap_findings(env_name: EnvName, commons: tuple[Subnet, ...]) -> list[Finding]:
    """Preflight's rule: the common subnets do not overlap each other."""
    findings: list[Finding] = []
    for index, subnet in enumerate(commons):
        earlier = next((s for s in commons[:index] if s.network.overlaps(subnet.network)), None)
        if earlier is None:
            continue
        findings.append(
            _finding(
                "error",
                "AIF-NET-SUBNET-OVERLAP",
                f"{env_name}: {subnet.name} {subnet.network} overlaps {earlier.name} "
                f"{earlier.network}.",
                "Give each common subnet its own block, as the default does: "
                "172.16.XX.0/26, .64/26, .128/26 and .192/26.",
                f"network.{COMMON_SUBNETS[index].template_field}",
                env_name,
            )
        )
    return findings


def _size_findings(env_name: EnvName, commons: tuple[Subnet, ...]) -> list[Finding]:
    """Preflight's rule: common subnets are at least /28, AzureBastionSubnet at least /26."""
    findings: list[Finding] = []
    for spec, subnet in zip(COMMON_SUBNETS, commons, strict=True):
        if subnet.network.prefixlen <= spec.min_prefixlen:
            continue
        bigger = subnet.network.supernet(new_prefix=spec.min_prefixlen)
        findings.append(
            _finding(
                "error",
                "AIF-NET-SUBNET-SIZE",
                f"{env_name}: {subnet.name} {subnet.network} is smaller than the "
                f"/{spec.min_prefixlen} the AI Factory needs.",
                f"Use a /{spec.min_prefixlen} or larger, e.g. {bigger}.",
                f"network.{spec.template_field}",
                env_name,
            )
        )
    return findings


def _uses_agent_injection(config: FactoryConfig) -> bool:
    """True when some project (or, with none yet, the factory) injects Foundry agents."""
    services = [config.project_services(p) for p in config.projects] or [config.services]
    return any(s.ai_foundry and s.agent_network_injection for s in services)


def _range_class_findings(ctx: _Context, env_name: EnvName) -> list[Finding]:
    """Foundry agent injection needs 172.16/12 or 192.168/16; 172.17/16 collides with Docker."""
    vnet = ctx.layouts[env_name][0]
    field = _vnet_field(ctx.config, env_name)
    findings: list[Finding] = []
    if _uses_agent_injection(ctx.config) and not any(vnet.subnet_of(r) for r in INJECTION_RANGES):
        class_a = vnet.overlaps(CLASS_A)
        findings.append(
            _finding(
                "error",
                "AIF-NET-CLASS-A-INJECTION" if class_a else "AIF-NET-INJECTION-RANGE",
                f"{env_name} VNet {vnet} is outside 172.16.0.0/12 and 192.168.0.0/16, "
                "which Foundry agent network injection needs.",
                _range_hint(ctx, env_name) + " Or turn off services.agent_network_injection.",
                field,
                env_name,
            )
        )
    if vnet.overlaps(DOCKER_BRIDGE):
        findings.append(
            _finding(
                "warning",
                "AIF-NET-DOCKER-RANGE",
                f"{env_name} VNet {vnet} overlaps Docker's default bridge {DOCKER_BRIDGE}.",
                _range_hint(ctx, env_name),
                field,
                env_name,
            )
        )
    return findings


def _octet_at_vnet_start(config: FactoryConfig, vnet: IPv4Network) -> int | None:
    """An octet that puts the common subnets at the start of an unmoved VNet, if one exists."""
    if "XX" in config.network.vnet_cidr:
        return None
    for octet in range(256):
        layout = _try_layout(config, octet)
        if layout and min(c.network_address for c in layout[1]) == vnet.network_address:
            return octet
    return None


def _capacity_hint(ctx: _Context, plan: EnvironmentPlan) -> tuple[str, str]:
    """Field and hint that free room: commons at the VNet start if that helps, else more space."""
    config, env_name, vnet = ctx.config, plan.environment, plan.vnet
    octet = _octet_at_vnet_start(config, vnet)
    layout = _try_layout(config, octet) if octet is not None else None
    if layout is not None and all(c.subnet_of(vnet) for c in layout[1]):
        fit = _count_fitting(vnet, _next_pointer(layout[1]), MAX_PROJECTS)
        if fit > len(plan.projects):
            return (
                f"environments.{env_name}.cidr_octet",
                f"Set environments.{env_name}.cidr_octet to {octet} so the common subnets "
                f"sit at the start of {vnet}: then {_projects(fit)} fit.",
            )
    return (
        _vnet_field(config, env_name),
        f"Give {env_name} a larger VNet than {vnet} (each project takes 8 aligned subnets, "
        f"{PROJECT_ADDRESSES:,} addresses, the largest a /23), or start a new scale set "
        "(naming.scale_set_suffix).",
    )


def _projects(count: int) -> str:
    """`no project`, `1 project`, `24 projects`."""
    return {0: "no project", 1: "1 project"}.get(count, f"{count} projects")


def _capacity_findings(ctx: _Context, plan: EnvironmentPlan) -> list[Finding]:
    """Configured projects that do not fit, or a VNet with no room for a single project.

    Skipped while a common subnet lies outside the VNet: the common deployment fails first, and
    the outside-VNet finding already says what to change.
    """
    name = plan.environment
    if not all(s.network.subnet_of(plan.vnet) for s in plan.common_subnets):
        return []
    if plan.unplaced:
        message = (
            f"{name}: project(s) {', '.join(plan.unplaced)} do not fit in VNet {plan.vnet}; "
            f"{_projects(len(plan.projects))} fit after the common subnets."
        )
    elif not plan.projects and plan.capacity_left == 0:
        message = f"{name}: VNet {plan.vnet} has no room for a project after the common subnets."
    else:
        return []
    field, hint = _capacity_hint(ctx, plan)
    return [_finding("error", "AIF-NET-CAPACITY", message, hint, field, name)]


def _layouts(
    config: FactoryConfig,
) -> tuple[dict[EnvName, tuple[IPv4Network, tuple[Subnet, ...]]], list[Finding]]:
    """Resolve every enabled environment's templates; broken ones become findings."""
    layouts: dict[EnvName, tuple[IPv4Network, tuple[Subnet, ...]]] = {}
    findings: list[Finding] = []
    for name, _ in config.environments.enabled():
        try:
            layouts[name] = (vnet_range(config, name), common_subnets(config, name))
        except TemplateError as error:
            findings.append(_template_finding(name, error))
    return layouts, findings


def _safe_proposal(
    config: FactoryConfig, existing_vnets: Mapping[EnvName, Sequence[tuple[str, IPv4Network]]]
) -> NetworkProposal | None:
    """The proposal to quote in hints, or None when no free range is left anywhere."""
    try:
        return propose_plan(config, existing_vnets)
    except ValueError:
        return None


def network_findings(
    config: FactoryConfig,
    *,
    existing_vnets: Mapping[EnvName, Sequence[tuple[str, IPv4Network]]] | None = None,
    existing_subnets: Mapping[EnvName, Sequence[IPv4Network]] | None = None,
) -> list[Finding]:
    """Every network problem of a configuration, offline unless live ranges are passed in.

    `existing_vnets` lists (label, range) of VNets already in each environment's subscription;
    `existing_subnets` the subnets already in each environment's AI Factory VNet.
    """
    live_vnets = existing_vnets or {}
    live_subnets = existing_subnets or {}
    layouts, findings = _layouts(config)
    ctx = _Context(
        config=config,
        layouts=layouts,
        obstacles={name: _obstacles(config, live_vnets.get(name, ())) for name in layouts},
        proposal=_safe_proposal(config, live_vnets),
    )
    findings += _octet_findings(ctx)
    findings += _env_overlap_findings(ctx)
    for name, (_, commons) in layouts.items():
        findings += _external_overlap_findings(ctx, name)
        findings += _outside_findings(ctx, name)
        findings += _common_overlap_findings(name, commons)
        findings += _size_findings(name, commons)
        findings += _range_class_findings(ctx, name)
        plan = plan_environment(config, name, live_subnets.get(name, ()))
        findings += _capacity_findings(ctx, plan)
    return findings


# --------------------------------------------------------------------------- proposal


@dataclass(frozen=True, slots=True)
class _Shape:
    """A template shape the proposal may use, and the octets it may put in XX."""

    vnet: str
    """VNet template."""
    commons: tuple[str, str, str, str]
    """Common subnet templates in COMMON_SUBNETS order."""
    octets: tuple[int, ...]
    """Candidate octets, best first."""
    reason: str
    """Why this shape, for the explanation."""


def _split_shape(prefixlen: int) -> _Shape:
    """192.168.0.0/16 cut into equal VNets, XX in the third octet."""
    step = 1 << (24 - prefixlen)
    return _Shape(
        f"192.168.XX.0/{prefixlen}",
        ("192.168.XX.0/26", "192.168.XX.64/26", "192.168.XX.128/26", "192.168.XX.192/26"),
        tuple(range(0, 256, step)),
        f"172.16.0.0/12 has no free /16 for every environment, so 192.168.0.0/16 is split "
        f"into /{prefixlen} VNets.",
    )


SHAPES: tuple[_Shape, ...] = (
    _Shape(
        "172.XX.0.0/16",
        ("172.XX.0.0/26", "172.XX.0.64/26", "172.XX.0.128/26", "172.XX.0.192/26"),
        tuple(o for o in range(16, 32) if o != 17),
        "Each environment gets its own /16 in 172.16.0.0/12, so all can be peered to one hub; "
        "172.17.0.0/16 is skipped because it is Docker's default bridge.",
    ),
    *(_split_shape(prefixlen) for prefixlen in (17, 18, 19, 20)),
    _Shape(
        "10.XX.0.0/16",
        ("10.XX.0.0/26", "10.XX.0.64/26", "10.XX.0.128/26", "10.XX.0.192/26"),
        tuple(range(256)),
        "Neither 172.16.0.0/12 nor 192.168.0.0/16 has room, so 10.XX.0.0/16 is used: "
        "Foundry agent network injection does not work in 10.0.0.0/8.",
    ),
)
"""Proposal shapes in order of preference: the AI Factory's shape with XX in the second octet,
then 192.168.0.0/16 split, and 10.0.0.0/8 only as a last resort."""


def _with_network(
    config: FactoryConfig, templates: Mapping[str, str], octets: Mapping[EnvName, int]
) -> FactoryConfig:
    """A validated copy of `config` with new templates and octets."""
    data = config.model_dump()
    data["network"].update(templates)
    for name, octet in octets.items():
        data["environments"][name]["cidr_octet"] = octet
    return FactoryConfig.model_validate(data)


def _free_octets(shape: _Shape, avoid: Sequence[IPv4Network]) -> list[int]:
    """Octets whose VNet under `shape` overlaps none of the ranges to avoid."""
    return [
        octet
        for octet in shape.octets
        if not any(resolve_cidr(shape.vnet, octet).overlaps(a) for a in avoid)
    ]


def _explain(
    shape: _Shape, proposal: NetworkProposal, avoid: Sequence[IPv4Network]
) -> tuple[str, ...]:
    """Sentences that tell the user what the proposal does and why."""
    lines = [shape.reason]
    lines.append(
        "VNets: "
        + ", ".join(f"{n} {v} (octet {proposal.octets[n]})" for n, v in proposal.vnets.items())
        + "."
    )
    if avoid:
        lines.append("They avoid " + ", ".join(str(a) for a in avoid) + ".")
    lines.append(
        "The common subnets take the first /24 of each VNet and projects are carved right after "
        "them: " + ", ".join(f"{n} {c}" for n, c in proposal.capacity.items()) + " projects fit."
    )
    return tuple(lines)


def propose_plan(
    config: FactoryConfig,
    existing_vnets: Mapping[EnvName, Sequence[tuple[str, IPv4Network]]] | None = None,
) -> NetworkProposal:
    """A non-overlapping plan for every enabled environment; ValueError if no range is free.

    It avoids the hub, VPN and on-premises ranges and every live VNet passed in, whichever
    environment's subscription it sits in, and picks the first free octets in dev, stage, prod
    order.
    """
    live = existing_vnets or {}
    avoid = [o.network for o in _obstacles(config, [v for vs in live.values() for v in vs])]
    names = [name for name, _ in config.environments.enabled()]
    for shape in SHAPES:
        free = _free_octets(shape, avoid)
        if len(free) < len(names):
            continue
        templates = {"vnet_cidr": shape.vnet} | {
            spec.template_field: t for spec, t in zip(COMMON_SUBNETS, shape.commons, strict=True)
        }
        octets = dict(zip(names, free, strict=False))
        plans = plan_all(_with_network(config, templates, octets))
        proposal = NetworkProposal(
            templates=templates,
            octets=octets,
            vnets={name: plan.vnet for name, plan in plans.items()},
            capacity={name: len(p.projects) + p.capacity_left for name, p in plans.items()},
            explanation=(),
        )
        return replace(proposal, explanation=_explain(shape, proposal, avoid))
    raise ValueError("no private range is free for every environment")


def apply_proposal(config: FactoryConfig, proposal: NetworkProposal) -> FactoryConfig:
    """`config` with the proposal's templates and octets, validated like any loaded config."""
    return _with_network(config, proposal.templates, proposal.octets)


# --------------------------------------------------------------------------- rendering


def _subnet_json(subnet: Subnet) -> dict[str, object]:
    """One subnet for JSON output."""
    return {
        "name": subnet.name,
        "role": subnet.role,
        "cidr": str(subnet.network),
        "addresses": subnet.network.num_addresses,
    }


def plan_to_json(plan: EnvironmentPlan) -> dict[str, object]:
    """The plan of one environment in the shape `aifactory network --json` prints."""
    return {
        "environment": plan.environment,
        "vnet": str(plan.vnet),
        "common_subnets": [_subnet_json(s) for s in plan.common_subnets],
        "projects": [
            {
                "number": p.number,
                "subnets": [_subnet_json(s) for s in p.subnets],
                "span": {
                    "first": str(p.span[0]),
                    "last": str(p.span[1]),
                    "addresses": int(p.span[1]) - int(p.span[0]) + 1,
                },
            }
            for p in plan.projects
        ],
        "capacity_left": plan.capacity_left,
        "unplaced": list(plan.unplaced),
    }


def proposal_to_json(proposal: NetworkProposal) -> dict[str, object]:
    """A proposal in the shape `aifactory network --propose --json` prints."""
    return {
        "templates": dict(proposal.templates),
        "octets": dict(proposal.octets),
        "vnets": {name: str(vnet) for name, vnet in proposal.vnets.items()},
        "capacity": dict(proposal.capacity),
        "explanation": list(proposal.explanation),
    }


def plan_to_text(plan: EnvironmentPlan) -> str:
    """The plan of one environment as an aligned plain-text table."""
    lines = [f"{plan.environment}: VNet {plan.vnet}"]
    lines += [
        f"  {s.name:<32} {s.network!s:<18} {s.network.num_addresses:>5}"
        for s in plan.common_subnets
    ]
    for project in plan.projects:
        first, last = project.span
        lines.append(f"  project {project.number}: {first} - {last}")
        lines += [
            f"    {s.name:<30} {s.network!s:<18} {s.network.num_addresses:>5}"
            for s in project.subnets
        ]
    lines.append(f"  {plan.capacity_left} more project(s) fit")
    if plan.unplaced:
        lines.append(f"  do not fit: {', '.join(plan.unplaced)}")
    return "\n".join(lines)
