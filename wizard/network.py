"""The address plan: the AI Factory's subnet calculator, overlap checks and a clean proposal.

The AI Factory resolves its network templates by putting each environment's octet where `XX`
stands, builds four common subnets, and then carves eight subnets per project out of the live
VNet with `scripts/subnetCalc_v2.ps1` (ported in `wizard.subnet_calc`). That script only appends
after the subnet with the highest start address and aligns every block to its own mask, so each
project consumes a /21 and a /16 holds 24 projects. This module applies that arithmetic to a
configuration, offline (a fresh VNet) or from the subnets a live VNet already holds, so the
wizard can show every CIDR and the remaining capacity before anything is deployed, report
overlaps with the hub, the VPN pool, on-premises and live ranges as Findings, and propose a plan
that avoids them all.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from ipaddress import IPv4Address, IPv4Network

from wizard import subnet_calc
from wizard.address_template import resolve_cidr
from wizard.errors import UserError
from wizard.findings import Finding, Severity
from wizard.model import EnvName, FactoryConfig, HubSpokeZone, HybridZone, VwanZone
from wizard.subnet_calc import CARVE_ORDER, PROJECT_ADDRESSES, SPECS

DOCKER_BRIDGE = IPv4Network("172.17.0.0/16")
"""Docker's default bridge network; a VNet here clashes with containers on jump hosts and agents."""

INJECTION_RANGES = (IPv4Network("172.16.0.0/12"), IPv4Network("192.168.0.0/16"))
"""Where Foundry agent network injection works; 10.0.0.0/8 is not supported."""

CLASS_A = IPv4Network("10.0.0.0/8")
"""The Gen-1 default space; Foundry agent network injection refuses it."""

MAX_PROJECTS = 999
"""PROJECT_NUMBER has three digits, so no scale set holds more projects than this."""


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
class LiveVnet:
    """The AI Factory's VNet as Azure holds it: what the calculator reads before it carves."""

    name: str
    """The VNet's name, e.g. `vnt-esmlcmn-eus2-dev-001`."""
    prefixes: tuple[IPv4Network, ...]
    """Its address prefixes; the calculator carves in the first one only."""
    subnets: tuple[tuple[str, IPv4Network], ...]
    """(name, range) of every subnet it holds."""


@dataclass(frozen=True, slots=True)
class ProjectPlan:
    """The subnets one project has in one environment: live ones, and what the calculator carves."""

    number: str
    """Three-digit project number, e.g. `001`."""
    subnets: tuple[Subnet, ...]
    """Its subnets in allocation order: all eight unless the VNet ran out of room."""
    span: tuple[IPv4Address, IPv4Address]
    """First and last address the project occupies, alignment gaps between its subnets included."""
    missing: tuple[str, ...] = ()
    """Roles the calculator left empty because the VNet is full (the project deploys without them)."""


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
    """Configured projects whose network step deploys, in ascending project-number order."""
    capacity_left: int
    """How many more projects, with every subnet the factory's services need, fit after these."""
    unplaced: tuple[str, ...]
    """Numbers of configured projects without room for a subnet 31-network.bicep requires."""
    live: LiveVnet | None = None
    """The live VNet the plan starts from; None plans a fresh VNet."""

    @property
    def other_subnets(self) -> tuple[Subnet, ...]:
        """Subnets of the live VNet that are neither common nor a configured project's."""
        if self.live is None:
            return ()
        known = {s.name.lower() for s in self.common_subnets}
        known |= {s.name.lower() for p in self.projects for s in p.subnets}
        return tuple(Subnet(name, "live", net) for name, net in self.live.subnets if name.lower() not in known)


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


def _project_plan(number: str, subnets: list[Subnet], missing: tuple[str, ...]) -> ProjectPlan:
    """A project's subnets in allocation order, with its span."""
    first = min(s.network.network_address for s in subnets)
    last = max(s.network.broadcast_address for s in subnets)
    return ProjectPlan(number, tuple(subnets), (first, last), missing)


def _factory_needs(config: FactoryConfig) -> set[str]:
    """Subnets a further project with the factory's services cannot do without."""
    return set(subnet_calc.subnet_needs(config.services))


def plan_environment(config: FactoryConfig, env_name: EnvName, live: LiveVnet | None = None) -> EnvironmentPlan:
    """Carve every configured project in one environment as the AI Factory would.

    With `live`, the plan starts from that VNet: like the calculator it carves in the VNet's
    first prefix, after the subnet with the highest start address, and a project's subnets that
    already exist (by name) stay where they are, since 31-network.bicep creates only the missing
    ones. Projects are deployed in number order. Raises TemplateError when a template does not
    resolve.
    """
    commons = common_subnets(config, env_name)
    vnet = live.prefixes[0] if live is not None and live.prefixes else vnet_range(config, env_name)
    existing = {name.lower(): net for name, net in live.subnets} if live is not None else {}
    # the calculator carves after the subnet with the highest start: kept as projects are placed
    top = subnet_calc.highest_start([s.network for s in commons] + list(existing.values()))
    projects: list[ProjectPlan] = []
    unplaced: list[str] = []
    for number in sorted(project.number for project in config.projects):
        fresh = subnet_calc.placed_networks(subnet_calc.carve(vnet, int(top.broadcast_address) + 1))
        subnets = [Subnet(spec.name(number), spec.role, existing.get(spec.name(number).lower()) or fresh[spec.role])
                   for spec in CARVE_ORDER if spec.name(number).lower() in existing or spec.role in fresh]
        missing = tuple(spec.role for spec in CARVE_ORDER if spec.role not in {s.role for s in subnets})
        if any(role in missing for role in subnet_calc.BICEP_REQUIRED):
            unplaced.append(number)
            continue
        added = [s.network for s in subnets if s.name.lower() not in existing]
        top = subnet_calc.highest_start([top, *added])
        projects.append(_project_plan(number, subnets, missing))
    limit = max(MAX_PROJECTS - len(config.projects), 0)
    return EnvironmentPlan(
        environment=env_name,
        vnet=vnet,
        common_subnets=commons,
        projects=tuple(projects),
        capacity_left=subnet_calc.count_fitting(vnet, int(top.broadcast_address) + 1, limit, _factory_needs(config)),
        unplaced=tuple(unplaced),
        live=live,
    )


def plan_all(config: FactoryConfig, live: Mapping[EnvName, LiveVnet] | None = None) -> dict[EnvName, EnvironmentPlan]:
    """The plan of every enabled environment; raises TemplateError when a template is broken.

    `live` holds the AI Factory VNets that already exist; environments without one plan a fresh VNet.
    """
    vnets = live or {}
    return {name: plan_environment(config, name, vnets.get(name)) for name, _ in config.environments.enabled()}


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

    Clean means: not used by another environment, every common subnet inside the VNet,
    and, when the octet moves the VNet, no overlap with other VNets, obstacles or Docker's bridge.
    """
    config = ctx.config
    current = config.environments.get(env_name).cidr_octet
    taken = {e.cidr_octet for n, e in config.environments_all() if n != env_name}
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
    """The next octet after the current one that no other environment uses, on or off."""
    current = config.environments.get(env_name).cidr_octet
    taken = {e.cidr_octet for n, e in config.environments_all() if n != env_name}
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
    """Preflight's rule (CIDR_RANGE_CONFLICT): dev, stage and prod each have their own octet.

    preflight.sh compares all three, switched on or not, because every export writes all three;
    the finding points at the environment that is off when one is, since moving it costs nothing.
    """
    findings: list[Finding] = []
    first_user: dict[int, EnvName] = {}
    for name, env in ctx.config.environments_all():
        first = first_user.setdefault(env.cidr_octet, name)
        if first == name:
            continue
        other = ctx.config.environments.get(first)
        target = first if not other.enabled and env.enabled else name
        if env.enabled and other.enabled:
            where = ctx.layouts[name][1][0].network if name in ctx.layouts else None
            reason = f", so both put their common subnet at {where}" if where else ""
        else:
            off = " and ".join(n for n in (first, name) if not ctx.config.environments.get(n).enabled)
            reason = (f"; {off} is off, but the AI Factory's preflight compares all three *_CIDR_RANGE "
                      "values and stops on a repeat (CIDR_RANGE_CONFLICT)")
        octet = _suggest_octet(ctx, target) if target in ctx.layouts else None
        if octet is None:
            octet = _next_unused_octet(ctx.config, target)
        findings.append(
            _finding(
                "error",
                "AIF-NET-OCTET-DUPLICATE",
                f"{name} uses CIDR octet {env.cidr_octet}, the same as {first}{reason}.",
                f"Set environments.{target}.cidr_octet to {octet}, the next free octet.",
                f"environments.{target}.cidr_octet",
                target,
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


def _complete(plan: EnvironmentPlan, needed: set[str]) -> int:
    """How many of a plan's projects have every `needed` subnet."""
    return sum(1 for p in plan.projects if not needed & set(p.missing))


def _capacity_hint(config: FactoryConfig, plan: EnvironmentPlan, needed: set[str]) -> tuple[str, str]:
    """Field and hint that free room: commons at the VNet start if that helps, else more space.

    For a live VNet the subnets are where they are: what blocks is its highest subnet.
    """
    env_name, vnet = plan.environment, plan.vnet
    if plan.live is not None and plan.live.subnets:
        name, highest = max(plan.live.subnets, key=lambda item: item[1].network_address)
        return (
            _vnet_field(config, env_name),
            f"The AI Factory only appends after the highest subnet of {plan.live.name}, {name} {highest}: "
            f"free the room after it (move or remove that subnet) or start a new scale set "
            "(naming.scale_set_suffix) with a VNet of its own.",
        )
    octet = _octet_at_vnet_start(config, vnet)
    layout = _try_layout(config, octet) if octet is not None else None
    if layout is not None and all(c.subnet_of(vnet) for c in layout[1]):
        fit = subnet_calc.count_fitting(vnet, subnet_calc.next_pointer(layout[1]), MAX_PROJECTS, needed)
        if fit > _complete(plan, needed):
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


def _partial_findings(config: FactoryConfig, plan: EnvironmentPlan, project: ProjectPlan) -> list[Finding]:
    """A project the calculator could not give all eight subnets.

    An error when a service of the project needs a missing subnet (its deployment fails), a
    warning naming the subnets otherwise: the project deploys, but the services that would use
    them cannot be switched on for it later without room.
    """
    env_name = plan.environment
    settings = next(p for p in config.projects if p.number == project.number)
    needs = subnet_calc.subnet_needs(config.project_services(settings))
    last = project.subnets[-1]
    full = f"VNet {plan.vnet} is full after {last.name} {last.network}"
    findings: list[Finding] = []
    blocking = [role for role in project.missing if role in needs]
    if blocking:
        users = list(dict.fromkeys(user for role in blocking for user in needs[role]))
        field, hint = _capacity_hint(config, plan, set(needs))
        findings.append(_finding(
            "error", "AIF-NET-CAPACITY",
            f"{env_name}: project {project.number} gets no {_names(project.number, blocking)} ({full}), "
            f"which {', '.join(users)} {'needs' if len(users) == 1 else 'need'}.",
            f"{hint} Or switch off {', '.join(users)} for this project.", field, env_name))
    spare = [role for role in project.missing if role not in needs]
    if spare:
        users = list(dict.fromkeys(user for role in spare for user in subnet_calc.possible_users(role)))
        field, hint = _capacity_hint(config, plan, set(SPECS))
        findings.append(_finding(
            "warning", "AIF-NET-CAPACITY",
            f"{env_name}: project {project.number} gets no {_names(project.number, spare)} ({full}). It "
            f"deploys without them (31-network.bicep needs only genai, aks and aca), but {', '.join(users)} "
            "cannot be switched on for it later.", hint, field, env_name))
    return findings


def _names(number: str, roles: Sequence[str]) -> str:
    """`snt-prj001-dbxpriv and snt-prj001-webapp`."""
    names = [SPECS[role].name(number) for role in roles]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _capacity_findings(config: FactoryConfig, plan: EnvironmentPlan) -> list[Finding]:
    """Projects that do not fit (fully or in part), or a VNet with no room for a single project.

    Skipped while a common subnet lies outside the VNet: the common deployment fails first, and
    the outside-VNet finding already says what to change.
    """
    name = plan.environment
    if not all(s.network.subnet_of(plan.vnet) for s in plan.common_subnets):
        return []
    findings: list[Finding] = []
    message = ""
    if plan.unplaced:
        message = (
            f"{name}: project(s) {', '.join(plan.unplaced)} do not fit in VNet {plan.vnet}; "
            f"{_projects(len(plan.projects))} fit after the common subnets."
        )
    elif not plan.projects and plan.capacity_left == 0:
        message = f"{name}: VNet {plan.vnet} has no room for a project after the common subnets."
    if message:
        field, hint = _capacity_hint(config, plan, _factory_needs(config))
        findings.append(_finding("error", "AIF-NET-CAPACITY", message, hint, field, name))
    for project in plan.projects:
        if project.missing:
            findings += _partial_findings(config, plan, project)
    return findings


def capacity_findings(config: FactoryConfig, env_name: EnvName, live: LiveVnet | None = None) -> list[Finding]:
    """The capacity findings of one environment, planned from `live` when the VNet exists.

    Empty when its templates do not resolve: the template finding says what to fix first.
    """
    try:
        return _capacity_findings(config, plan_environment(config, env_name, live))
    except TemplateError:
        return []


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
    live: Mapping[EnvName, LiveVnet] | None = None,
    capacity_for: Collection[EnvName] | None = None,
) -> list[Finding]:
    """Every network problem of a configuration, offline unless live ranges are passed in.

    `existing_vnets` lists (label, range) of VNets already in each environment's subscription;
    `live` the AI Factory VNets that exist, to plan projects from. Capacity is judged for the
    environments in `capacity_for` (all by default): a live check judges the others from Azure.
    """
    live_vnets = existing_vnets or {}
    planned = live or {}
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
        if capacity_for is None or name in capacity_for:
            findings += _capacity_findings(config, plan_environment(config, name, planned.get(name)))
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
                "missing": [SPECS[role].name(p.number) for role in p.missing],
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
        "planned_from": None if plan.live is None else {
            "vnet": plan.live.name,
            "address_prefixes": [str(prefix) for prefix in plan.live.prefixes],
            "subnets": [{"name": name, "cidr": str(net)} for name, net in plan.live.subnets],
        },
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
    if plan.live is not None:
        lines.append(f"  planned from the live VNet {plan.live.name} ({len(plan.live.subnets)} subnets)")
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
        lines += [f"    {SPECS[role].name(project.number):<30} {'(no room)':<18}" for role in project.missing]
    lines.append(f"  {plan.capacity_left} more project(s) fit")
    if plan.unplaced:
        lines.append(f"  do not fit: {', '.join(plan.unplaced)}")
    return "\n".join(lines)
