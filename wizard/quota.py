"""What a configuration asks of Azure's regional quotas, and the finding when the quota left is short.

Two front ends need the same figures: the live quota checks (`wizard.azure.checks`) compare them
with the usages Azure reports, and the wizard's SKU step draws them as bars (used, what this
configuration adds, the limit) that turn red the moment a capacity is raised past what is free,
from the usages the last check read. Both call `needs` and `over_quota` here, so a bar and the
finding under it always say the same thing with the same fix.

Environments that share a subscription and a region draw on one quota (`sharing`): their needs
add up, and the finding is reported once, on the first of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from wizard import catalog
from wizard.findings import Finding, Fix, OpenLink, SetField
from wizard.model import ENV_NAMES, EnvironmentConfig, EnvName, FactoryConfig

QUOTA_LINK = "https://aka.ms/oai/quotaincrease"
"""Where to ask for more Azure OpenAI / Foundry model quota."""
VCPU_QUOTA_LINK = "https://portal.azure.com/#view/Microsoft_Azure_Capacity/QuotaMenuBlade/~/myQuotas"
"""The portal's quota blade for vCPU families."""
SEARCH_QUOTA_LINK = "https://docs.microsoft.com/en-us/azure/azure-resource-manager/resource-manager-quota-errors"
"""Where Azure's own ServiceQuotaExceeded message for AI Search sends a person."""

QuotaKind = Literal["vcpu", "tpm", "search"]
"""vCPUs of a VM family, thousands of tokens per minute of a model deployment type, search services of a tier."""

CHECK_OF_KIND: dict[QuotaKind, str] = {"vcpu": "vcpu_quota", "tpm": "model_quota", "search": "search_quota"}
"""The live check (grid column) that reports each kind of quota."""


@dataclass(frozen=True, slots=True)
class Need:
    """What the configuration takes from one quota of one subscription and region."""

    kind: QuotaKind
    usage: str
    """The usage's name as Azure lists it (`standardDSv2Family`, `OpenAI.Standard.gpt-4o`, `basic`)."""
    label: str
    """What a person reads beside the bar."""
    amount: int
    unit: str
    """`vCPUs`, `K TPM` or `services`."""
    field: str
    """The configuration path that decides the amount (where a finding points and a fix goes)."""
    region: str
    environments: tuple[EnvName, ...]
    """Every environment drawing on this quota (same subscription and region), summed in `amount`."""
    detail: str = ""
    """How the amount is counted, e.g. `3 project(s) × 30K`."""
    per_unit: int = 0
    """How much one step of the numeric `field` adds to `amount` (TPM: projects × environments);
    0 when `field` is not a number a fix could lower."""

    @property
    def key(self) -> tuple[QuotaKind, str]:
        """How a usage reading is looked up: kind and the usage name in lower case."""
        return self.kind, self.usage.lower()


@dataclass(frozen=True, slots=True)
class Usage:
    """One quota as Azure reports it."""

    used: int
    limit: int

    @property
    def free(self) -> int:
        """What is left (negative when Azure reports more used than allowed)."""
        return self.limit - self.used


def sharing(config: FactoryConfig,
            subscriptions: Mapping[EnvName, str | None] | None = None) -> dict[EnvName, tuple[EnvName, ...]]:
    """Each enabled environment -> the enabled environments sharing its quotas, in order.

    Environments share when they have the same subscription and region; one without a subscription
    shares with none. `subscriptions` overrides the configuration's ids (the demo fills them in).
    """
    subs = {name: (subscriptions or {}).get(name, env.subscription_id) for name, env in config.environments.enabled()}
    groups: dict[EnvName, tuple[EnvName, ...]] = {}
    for name, env in config.environments.enabled():
        if subs[name] is None:
            groups[name] = (name,)
            continue
        groups[name] = tuple(other for other, o in config.environments.enabled()
                             if subs[other] == subs[name] and o.region == env.region)
    return groups


def compute_demand(config: FactoryConfig, env: EnvironmentConfig) -> list[tuple[str, int, str]]:
    """(VM size, how many VMs in all projects, what for) for one environment."""
    services = config.services
    projects = len(config.projects)
    demand = []
    if services.aks or (services.azure_ml and services.aks_for_azure_ml):
        demand.append((env.compute.aks_node_sku, env.compute.aks_node_count * projects, "AKS nodes"))
    if services.azure_ml:
        demand.append((env.compute.aml_cluster_sku, env.compute.aml_cluster_max_nodes * projects, "AML cluster"))
        demand.append((env.compute.compute_instance_sku, projects, "AML compute instance"))
    return demand


def _creates(config: FactoryConfig, resource_type: str) -> bool:
    return resource_type in catalog.required_resource_types(config)


def vcpu_needs(config: FactoryConfig, group: Sequence[EnvName]) -> list[Need]:
    """vCPUs per VM family for AKS and Azure ML, summed over the environments of `group`."""
    amounts: dict[str, int] = defaultdict(int)
    parts: dict[str, list[str]] = defaultdict(list)
    for name in group:
        for size, count, purpose in compute_demand(config, config.environments.get(name)):
            vm = catalog.vm_sku(size)
            if vm is not None and count:
                amounts[vm.family] += vm.charged_vcpus * count
                parts[vm.family].append(f"{purpose} {count} × {vm.charged_vcpus}")
    first = group[0]
    region = config.environments.get(first).region
    return [Need("vcpu", family, f"{family} vCPUs", amount, "vCPUs", f"environments.{first}.compute", region,
                 tuple(group), ", ".join(parts[family])) for family, amount in amounts.items()]


def tpm_needs(config: FactoryConfig, group: Sequence[EnvName]) -> list[Need]:
    """Thousands of TPM per model deployment: its capacity in every project of every environment of `group`."""
    if not config.services.ai_foundry:
        return []
    projects = len(config.projects)
    region = config.environments.get(group[0]).region
    per_unit = projects * len(group)
    return [Need("tpm", catalog.usage_name(d.model, d.sku), f"{d.model} {d.sku}", d.capacity * per_unit, "K TPM",
                 f"skus.models.{index}.capacity", region, tuple(group),
                 f"{projects} project(s) × {d.capacity}K", per_unit)
            for index, d in enumerate(config.skus.models)]


def search_need(config: FactoryConfig, group: Sequence[EnvName]) -> Need | None:
    """AI Search services of the chosen tier: one per project that has search, in each environment of `group`."""
    if not _creates(config, "Microsoft.Search/searchServices"):
        return None
    tier = config.skus.ai_search_tier
    services = [config.project_services(p) for p in config.projects] or [config.services]
    projects = sum(1 for s in services if s.ai_search)
    region = config.environments.get(group[0]).region
    return Need("search", tier.replace("_", ""), f"AI Search {tier}", projects * len(group), "services",
                "skus.ai_search_tier", region, tuple(group), f"{projects} project(s)")


def needs(config: FactoryConfig, group: Sequence[EnvName]) -> list[Need]:
    """Every quota need of the environments in `group` (one subscription and region), vCPUs first."""
    search = search_need(config, group)
    return [*vcpu_needs(config, group), *tpm_needs(config, group), *([search] if search else [])]


def is_over(need: Need, usage: Usage) -> bool:
    """True when the quota left does not cover the need (a limit of 0 never does)."""
    return need.amount > usage.free or (need.kind == "search" and usage.limit <= 0)


def over_quota(need: Need, usage: Usage, environment: EnvName) -> Finding | None:
    """The finding for `need` when `usage` leaves too little, reported on `environment`; else None."""
    if not is_over(need, usage):
        return None
    envs = "+".join(need.environments)
    check = CHECK_OF_KIND[need.kind]
    if need.kind == "vcpu":
        return Finding("error", "AIF-LIVE-VCPU", f"{need.usage} in {need.region}: {envs} need {need.amount} vCPUs, "
                       f"{usage.free} of {usage.limit} are free", f"request more quota: {VCPU_QUOTA_LINK}",
                       need.field, environment, check, OpenLink(VCPU_QUOTA_LINK))
    if need.kind == "tpm":
        fits = usage.free // need.per_unit
        lower = f"lower the capacity to {fits}K, " if fits >= 1 else ""
        fix: Fix = SetField(need.field, fits) if fits >= 1 else OpenLink(QUOTA_LINK)
        return Finding("error", "AIF-LIVE-TPM", f"{need.label} in {need.region}: {envs} need {need.amount}K TPM "
                       f"({need.detail}), {usage.free}K of {usage.limit}K are free",
                       f"{lower}or request quota: {QUOTA_LINK}", need.field, environment, check, fix)
    return Finding("error", "AIF-LIVE-SEARCH-QUOTA", f"{need.label} in {need.region}: {envs} need {need.amount} "
                   f"service(s), {max(usage.free, 0)} of {usage.limit} are free (preflight.sh SEARCH_QUOTA_AT_LIMIT)",
                   "request more (issue type 'Service and subscription limits (quota)', quota type 'Search': "
                   f"{SEARCH_QUOTA_LINK}), or pick another tier or region", need.field, environment, check,
                   OpenLink(SEARCH_QUOTA_LINK))


@dataclass(frozen=True, slots=True)
class Bar:
    """One quota as the SKU step draws it: what is used, what this configuration adds, the limit."""

    need: Need
    usage: Usage | None
    """None until a live read has reported this quota (or when Azure does not list it)."""
    finding: Finding | None
    """The over-quota finding with its fix, when the need does not fit."""

    @property
    def over(self) -> bool:
        """True when the configuration would exceed the quota."""
        return self.finding is not None


@dataclass(frozen=True, slots=True)
class Reading:
    """The quota usages read for one environment's subscription and region."""

    subscription_id: str
    region: str
    usages: Mapping[tuple[QuotaKind, str], Usage]
    """(kind, usage name in lower case) -> usage."""
    error: str = ""
    """Why some usages could not be read ('' when all were)."""


def bars(config: FactoryConfig, readings: Mapping[EnvName, Reading]) -> dict[EnvName, list[Bar]]:
    """Every enabled environment's bars from the usages last read; a reading of another region
    (the region changed since) counts as not read yet."""
    current = {name: r for name, r in readings.items()
               if config.environments.get(name).enabled and r.region == config.environments.get(name).region}
    groups = sharing(config, {name: r.subscription_id for name, r in current.items()})
    out: dict[EnvName, list[Bar]] = {}
    for name in ENV_NAMES:
        if name not in groups:
            continue
        reading = current.get(name)
        drawn = []
        for need in needs(config, groups[name]):
            usage = reading.usages.get(need.key) if reading else None
            finding = over_quota(need, usage, groups[name][0]) if usage else None
            drawn.append(Bar(need, usage, finding))
        out[name] = drawn
    return out
