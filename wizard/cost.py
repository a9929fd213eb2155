"""The monthly cost estimate of a FactoryConfig, per environment, from a price snapshot.

Why here and typed: `aifactory cost`, the wizard's review and SKU steps and the handover report
all show the same figures, so they call `estimate()` and render its `Estimate`. The estimate
counts what the AI Factory creates (aifactory.md §2: per environment two Key Vaults, a data
lake, a common ACR, Log Analytics, optionally Bastion and an admin VM; per project a Key Vault,
two storage accounts and the services switched on) and prices each with one snapshot meter.

Usage-driven costs (tokens, log ingestion, compute hours, stored GB, traffic) rest on an
`Assumptions` value; each line says which assumption it used, and `--assume key=value`
changes them. Items the estimate does not price (semantic ranker queries, Bot Service, ...)
are named in the notes rather than silently left out.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from wizard import catalog
from wizard.errors import UserError
from wizard.model import EnvironmentConfig, EnvName, FactoryConfig, HubSpokeZone, VwanZone
from wizard.price_meters import (
    ACR_METERS,
    AKS_TIERS,
    BASTION_METERS,
    COSMOS_STORAGE,
    COSMOS_THROUGHPUT,
    KEY_VAULT_OPERATIONS,
    LOG_INGESTION,
    PEERING_GLOBAL,
    PEERING_INTRA,
    PRIVATE_ENDPOINT,
    PRIVATE_ENDPOINT_DATA,
    PUBLIC_IP,
    SEARCH_METERS,
    STORAGE_HOT_LRS,
    STORAGE_HOT_ZRS,
    Direction,
    Meter,
    ptu_meter,
    token_meter,
    vm_meter,
)
from wizard.prices import PriceSnapshot

# --------------------------------------------------------------------------- assumptions


class Assumptions(BaseModel):
    """What usage the estimate assumes; every usage-driven line names the one it rests on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    hours_per_month: float = Field(730, gt=0, le=744, description="Hours in a month (Azure bills 730).")
    chat_input_mtokens: float = Field(
        10, ge=0, description="Million input tokens per chat model deployment, per project, per month.")
    chat_output_mtokens: float = Field(
        2, ge=0, description="Million output tokens per chat model deployment, per project, per month.")
    embedding_mtokens: float = Field(
        5, ge=0, description="Million tokens per embedding model deployment, per project, per month.")
    search_replicas: int = Field(1, ge=1, le=12, description="AI Search replicas per search service.")
    search_partitions: int = Field(1, ge=1, le=12, description="AI Search partitions per search service.")
    log_gb_per_day: float = Field(1, ge=0, description="GB per day ingested into each environment's Log Analytics.")
    storage_gb: float = Field(100, ge=0, description="GB stored in each storage account (hot tier).")
    keyvault_operations: float = Field(100_000, ge=0, description="Operations per Key Vault per month.")
    ml_cluster_node_hours: float = Field(
        40, ge=0, description="Azure ML compute-cluster node-hours per project per month (scales to 0 idle).")
    ml_instance_hours: float = Field(160, ge=0, description="Azure ML compute-instance hours per project per month.")
    cosmos_ru_per_second: int = Field(400, ge=100, description="Provisioned RU/s per Cosmos DB account.")
    cosmos_storage_gb: float = Field(10, ge=0, description="GB stored per Cosmos DB account.")
    private_endpoint_gb: float = Field(
        10, ge=0, description="GB processed per private endpoint per month, each direction.")
    peering_gb: float = Field(100, ge=0, description="GB per environment per month over the hub peering, each way.")
    hub_in_same_region: bool = Field(
        True, description="The hub is in the environment's region (intra-region peering rates); false: global.")
    bastion_sku: Literal["Basic", "Standard"] = Field("Basic", description="Azure Bastion SKU.")

    @property
    def days_per_month(self) -> float:
        """Days billed for per-day meters (container registries)."""
        return self.hours_per_month / 24


def parse_assumptions(pairs: Iterable[str], base: Assumptions | None = None) -> Assumptions:
    """`key=value` strings laid over `base` (the defaults), or a UserError naming the bad one."""
    values: dict[str, object] = (base or Assumptions()).model_dump()
    known = list(Assumptions.model_fields)
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UserError(f"--assume {pair!r} is not key=value", "e.g. --assume log_gb_per_day=5")
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"did you mean {close[0]}?" if close else f"known assumptions: {', '.join(known)}"
            raise UserError(f"--assume {key}: unknown assumption", hint)
        values[key] = value.strip()
    try:
        return Assumptions.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = str(first["loc"][0])
        raise UserError(f"--assume {key}={values[key]}: {first['msg']}",
                        Assumptions.model_fields[key].description or "") from None


# --------------------------------------------------------------------------- the estimate


@dataclass(frozen=True, slots=True)
class Line:
    """One priced item of an environment."""

    item: str
    """What it is, with counts, e.g. `AI Search Basic (3 services × 1 SU)`."""
    quantity: float
    unit: str
    """The unit of `quantity` and `unit_price`, e.g. `h`, `1M tokens`, `GB·month`."""
    unit_price: float | None
    """None when the snapshot has no price for it (then it is not in the total)."""
    monthly: float | None
    meter: str
    """The snapshot meter used (wizard.price_meters key)."""
    price_region: str = ""
    """Region of the price row used; differs from the environment's when it stood in."""
    stand_in: bool = False
    basis: str = ""
    """The assumption a usage-driven line rests on, as a sentence; '' for capacity lines."""


@dataclass(frozen=True, slots=True)
class EnvironmentEstimate:
    """One environment's lines and total."""

    name: EnvName
    region: str
    lines: tuple[Line, ...]

    @property
    def total(self) -> float:
        """Sum of the priced lines."""
        return sum(line.monthly or 0.0 for line in self.lines)


@dataclass(frozen=True, slots=True)
class Estimate:
    """What a configuration costs per month, with everything it rests on."""

    currency: str
    snapshot_date: str
    snapshot_source: str
    snapshot_path: str
    assumptions: Assumptions
    environments: tuple[EnvironmentEstimate, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def total(self) -> float:
        """All environments together."""
        return sum(env.total for env in self.environments)

    def to_json(self) -> dict[str, object]:
        """The estimate for `--json` and the report: figures rounded to cents only where shown."""
        fields = Assumptions.model_fields
        return {
            "currency": self.currency,
            "snapshot": {"retrieved": self.snapshot_date, "source": self.snapshot_source,
                         "path": self.snapshot_path},
            "assumptions": {key: {"value": value, "description": fields[key].description}
                            for key, value in self.assumptions.model_dump().items()},
            "environments": [
                {"name": env.name, "region": env.region, "total": round(env.total, 2),
                 "lines": [asdict(line) for line in env.lines]}
                for env in self.environments
            ],
            "total": round(self.total, 2),
            "notes": list(self.notes),
        }


def money(value: float | None, currency: str) -> str:
    """`1,234.56 USD`, or `no price` for a line the snapshot cannot price."""
    return "no price" if value is None else f"{value:,.2f} {currency}"


def quantity_text(line: Line) -> str:
    """`30.42 day`, `50 × 10K ops`: a line's quantity in its unit."""
    number = f"{line.quantity:,.2f}".rstrip("0").rstrip(".")
    return f"{number} × {line.unit}" if line.unit[:1].isdigit() else f"{number} {line.unit}"


def unit_price_text(line: Line) -> str:
    """`0.03 / 10K ops`, or `no price`; a price region that stood in is shown by the caller."""
    if line.unit_price is None:
        return "no price"
    return f"{line.unit_price:,.6f}".rstrip("0").rstrip(".") + f" / {line.unit}"


def compact(estimate: Estimate) -> str:
    """The monthly figure per environment and in total, on one line with the prices' date."""
    parts = [f"{env.name} {money(env.total, estimate.currency)}" for env in estimate.environments]
    if len(parts) > 1:
        parts.append(f"total {money(estimate.total, estimate.currency)}")
    return f"{' · '.join(parts) or 'no environment enabled'} a month (prices of {estimate.snapshot_date})"


ESTIMATED_SERVICES: frozenset[str] = frozenset({
    "ai_foundry", "ai_search", "cosmos_db", "foundry_caphost", "azure_ml", "aks_for_azure_ml", "aks",
    "vision", "speech", "document_intelligence", "content_safety", "azure_openai",
})
"""Project services the estimate prices (the others are named in the notes)."""

PROJECT_ENDPOINTS: dict[str, int] = {
    "ai_search": 1, "ai_foundry": 1, "azure_openai": 1, "vision": 1, "speech": 1, "document_intelligence": 1,
    "content_safety": 1, "cosmos": 1, "azure_ml": 1, "databricks": 1, "datafactory": 2, "postgresql": 1,
    "redis": 1, "sql": 1, "webapp": 1, "function": 1, "logic_apps": 1, "event_hubs": 1,
    "key_vault": 1, "storage": 4, "acr": 1,
}
"""Private endpoints per project resource: one per service (Data Factory: factory and portal),
the project Key Vault, two storage accounts with blob and file each, a project ACR when used."""

COMMON_ENDPOINTS: dict[str, int] = {"key_vault": 2, "data_lake": 2, "acr": 1}
"""Private endpoints in each common resource group: two Key Vaults, the lake's blob and dfs, the ACR."""


@dataclass
class _Env:
    """Accumulates one environment's lines."""

    snapshot: PriceSnapshot
    region: str
    lines: list[Line] = field(default_factory=list)

    def add(self, meter: Meter, item: str, quantity: float, basis: str = "") -> None:
        if quantity <= 0:
            return
        quote = self.snapshot.quote(meter, self.region, quantity)
        if quote is None:
            self.lines.append(Line(item, quantity, meter.label, None, None, meter.key, basis=basis))
            return
        self.lines.append(Line(item, quantity, meter.label, quote.unit_price, quantity * quote.unit_price,
                               meter.key, quote.region, quote.stand_in and not meter.region, basis))


def estimate(config: FactoryConfig, snapshot: PriceSnapshot, assumptions: Assumptions | None = None,
             snapshot_path: str = "") -> Estimate:
    """The monthly estimate of every enabled environment of `config`."""
    a = assumptions or Assumptions()
    envs = tuple(_environment(config, name, env, snapshot, a) for name, env in config.environments.enabled())
    return Estimate(snapshot.snapshot.currency, snapshot.snapshot.retrieved.isoformat(), snapshot.snapshot.source,
                    snapshot_path, a, envs, tuple(_notes(config, envs, snapshot)))


def _environment(config: FactoryConfig, name: EnvName, env: EnvironmentConfig, snapshot: PriceSnapshot,
                 a: Assumptions) -> EnvironmentEstimate:
    out = _Env(snapshot, env.region)
    _common(config, out, a)
    projects = [catalog.active_services(config.project_services(p)) for p in config.projects]
    _platform_per_project(config, out, a, len(projects))
    _search(config, out, a, projects)
    _models(config, out, a, projects)
    _cosmos(out, a, projects)
    _compute(config, env, out, a, projects)
    _private_endpoints(config, out, a, projects)
    _peering(config, out, a)
    return EnvironmentEstimate(name, env.region, tuple(out.lines))


def _common(config: FactoryConfig, out: _Env, a: Assumptions) -> None:
    h = a.hours_per_month
    out.add(ACR_METERS[config.skus.acr_sku], f"Container registry {config.skus.acr_sku} (common)", a.days_per_month)
    out.add(LOG_INGESTION, "Log Analytics ingestion", a.log_gb_per_day * a.days_per_month,
            f"{a.log_gb_per_day:g} GB/day (log_gb_per_day)")
    out.add(STORAGE_HOT_ZRS, "Data lake, hot ZRS (common)", a.storage_gb, f"{a.storage_gb:g} GB stored (storage_gb)")
    if config.access.bastion:
        out.add(BASTION_METERS[a.bastion_sku], f"Azure Bastion {a.bastion_sku}", h)
        out.add(PUBLIC_IP, "Bastion public IP (static)", h)
    if config.access.admin_vm:
        size = config.aifactory_extra.get("ADMIN_VM_SIZE", "Standard_D2s_v5")
        out.add(vm_meter(size), f"Admin VM {size}", h)


def _platform_per_project(config: FactoryConfig, out: _Env, a: Assumptions, projects: int) -> None:
    vaults = 2 + projects
    out.add(KEY_VAULT_OPERATIONS, f"Key Vault operations ({vaults} vaults)", vaults * a.keyvault_operations / 10_000,
            f"{a.keyvault_operations:g} operations per vault (keyvault_operations)")
    if projects:
        accounts = 2 * projects
        out.add(STORAGE_HOT_LRS, f"Project storage, hot LRS ({accounts} accounts)", accounts * a.storage_gb,
                f"{a.storage_gb:g} GB per account (storage_gb)")
    if projects and _own_acr(config):
        out.add(ACR_METERS[config.skus.acr_sku], f"Container registry {config.skus.acr_sku} ({projects} projects)",
                projects * a.days_per_month)


def _own_acr(config: FactoryConfig) -> bool:
    """Projects get their own registry when USE_COMMON_ACR_FOR_PROJECTS is false."""
    return config.aifactory_extra.get("USE_COMMON_ACR_FOR_PROJECTS", "true") == "false"


def _count(projects: list[list[str]], *services: str) -> int:
    """How many projects have any of `services`."""
    return sum(1 for active in projects if any(s in active for s in services))


def _search(config: FactoryConfig, out: _Env, a: Assumptions, projects: list[list[str]]) -> None:
    services = _count(projects, "ai_search")
    tier = config.skus.ai_search_tier
    if not services or tier == "free":
        return
    units = a.search_replicas * a.search_partitions
    display = catalog.SEARCH_TIERS[tier].display_name
    out.add(SEARCH_METERS[tier], f"AI Search {display} ({services} services × {units} SU)",
            services * units * a.hours_per_month,
            f"{a.search_replicas} replica(s) × {a.search_partitions} partition(s) (search_replicas, search_partitions)")


def _models(config: FactoryConfig, out: _Env, a: Assumptions, projects: list[list[str]]) -> None:
    accounts = _count(projects, "ai_foundry")
    if not accounts:
        return
    for deployment in config.skus.models:
        info = catalog.MODELS.get(deployment.model)
        name = f"{deployment.model} {deployment.sku}"
        if deployment.sku == "ProvisionedManaged":
            out.add(ptu_meter(), f"{name} ({accounts} × {deployment.capacity} PTU)",
                    accounts * deployment.capacity * a.hours_per_month)
            continue
        directions: list[tuple[Direction, float, str, str]] = (
            [("in", a.embedding_mtokens, "embedding_mtokens", "tokens")]
            if info is not None and info.kind == "embedding"
            else [("in", a.chat_input_mtokens, "chat_input_mtokens", "input tokens"),
                  ("out", a.chat_output_mtokens, "chat_output_mtokens", "output tokens")]
        )
        for direction, mtokens, key, words in directions:
            meter = token_meter(deployment.model, deployment.sku, direction)
            if meter is None:
                out.lines.append(Line(f"{name} {words}", accounts * mtokens, "1M tokens", None, None,
                                      f"tokens.{deployment.model}", basis=f"{mtokens:g}M per project ({key})"))
                continue
            out.add(meter, f"{name} {words} ({accounts} projects)", accounts * mtokens,
                    f"{mtokens:g}M {words} per project ({key})")


def _cosmos(out: _Env, a: Assumptions, projects: list[list[str]]) -> None:
    accounts = _count(projects, "cosmos_db", "foundry_caphost")
    if not accounts:
        return
    out.add(COSMOS_THROUGHPUT, f"Cosmos DB throughput ({accounts} accounts)",
            accounts * a.cosmos_ru_per_second / 100 * a.hours_per_month,
            f"{a.cosmos_ru_per_second} RU/s provisioned per account (cosmos_ru_per_second)")
    out.add(COSMOS_STORAGE, f"Cosmos DB storage ({accounts} accounts)", accounts * a.cosmos_storage_gb,
            f"{a.cosmos_storage_gb:g} GB per account (cosmos_storage_gb)")


def _compute(config: FactoryConfig, env: EnvironmentConfig, out: _Env, a: Assumptions,
             projects: list[list[str]]) -> None:
    c, h = env.compute, a.hours_per_month
    ml = _count(projects, "azure_ml")
    if ml:
        out.add(vm_meter(c.aml_cluster_sku), f"Azure ML cluster {c.aml_cluster_sku} ({ml} projects)",
                ml * a.ml_cluster_node_hours,
                f"{a.ml_cluster_node_hours:g} node-hours per project (ml_cluster_node_hours)")
        out.add(vm_meter(c.compute_instance_sku),
                f"Azure ML compute instance {c.compute_instance_sku} ({ml} projects)",
                ml * a.ml_instance_hours, f"{a.ml_instance_hours:g} h per project (ml_instance_hours)")
    clusters = _count(projects, "aks_for_azure_ml") + _count(projects, "aks")
    if clusters:
        nodes = clusters * c.aks_node_count
        out.add(vm_meter(c.aks_node_sku), f"AKS nodes {c.aks_node_sku} ({clusters} clusters × {c.aks_node_count})",
                nodes * h)
        tier = config.skus.aks_sku_tier
        if tier in AKS_TIERS:
            out.add(AKS_TIERS[tier], f"AKS {tier} tier ({clusters} clusters)", clusters * h)


def endpoint_count(config: FactoryConfig, services_per_project: list[list[str]]) -> int:
    """Private endpoints one environment gets: the common ones plus each project's."""
    total = sum(COMMON_ENDPOINTS.values())
    for active in services_per_project:
        keys = ["key_vault", "storage", *(["acr"] if _own_acr(config) else [])]
        keys += [s for s in active if s in PROJECT_ENDPOINTS and s != "cosmos_db"]
        if "cosmos_db" in active or "foundry_caphost" in active:
            keys.append("cosmos")
        total += sum(PROJECT_ENDPOINTS[k] for k in keys)
    return total


def _private_endpoints(config: FactoryConfig, out: _Env, a: Assumptions, projects: list[list[str]]) -> None:
    count = endpoint_count(config, projects)
    out.add(PRIVATE_ENDPOINT, f"Private endpoints ({count})", count * a.hours_per_month)
    for direction, meter in PRIVATE_ENDPOINT_DATA.items():
        word = "inbound" if direction == "in" else "outbound"
        out.add(meter, f"Private endpoint data {word}", count * a.private_endpoint_gb,
                f"{a.private_endpoint_gb:g} GB per endpoint (private_endpoint_gb)")


def _peering(config: FactoryConfig, out: _Env, a: Assumptions) -> None:
    if not isinstance(config.landing_zone, HubSpokeZone | VwanZone):
        return
    meters, scope = (PEERING_INTRA, "intra-region") if a.hub_in_same_region else (PEERING_GLOBAL, "global")
    for direction, meter in meters.items():
        word = "ingress" if direction == "in" else "egress"
        out.add(meter, f"Hub peering {word} ({scope})", a.peering_gb,
                f"{a.peering_gb:g} GB (peering_gb, hub_in_same_region={a.hub_in_same_region})")


def _notes(config: FactoryConfig, envs: tuple[EnvironmentEstimate, ...], snapshot: PriceSnapshot) -> list[str]:
    notes: list[str] = []
    for env in envs:
        stand_ins = sorted({line.price_region for line in env.lines if line.stand_in})
        if stand_ins:
            notes.append(f"{env.name}: the snapshot has no {env.region} price for some items; "
                         f"they are priced at {', '.join(stand_ins)}'s rate (marked ~)")
        missing = [line.item for line in env.lines if line.unit_price is None]
        if missing:
            notes.append(f"{env.name}: no price in the snapshot for {'; '.join(missing)} (not in the total)")
    unpriced = sorted({s for p in config.projects for s in catalog.active_services(config.project_services(p))}
                      - ESTIMATED_SERVICES)
    if unpriced:
        notes.append(f"not estimated (usage-priced or outside the estimate): {', '.join(unpriced)}")
    if config.skus.semantic_tier == "standard":
        notes.append("AI Search semantic ranker: the first 1,000 queries a month are free; more are not estimated")
    if snapshot.snapshot.source == "authored":
        notes.append("prices come from the snapshot shipped with aifactory (authored from public price pages); "
                     "`aifactory prices update` fetches current ones from the Retail Prices API")
    return notes
