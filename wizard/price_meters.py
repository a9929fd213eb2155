"""The Azure price meters a cost estimate needs, named as the Retail Prices API names them.

Why a table: the estimate (wizard/cost.py), the snapshot loader (wizard/prices.py) and
`aifactory prices update` (wizard/price_update.py) must agree on which API rows price which
thing. A Meter is the API's own identity of a price (serviceName, productName, skuName,
meterName) plus the unit the estimate counts in. VM sizes are matched by `armSkuName` instead,
since the API spells their product per series and OS; the Linux pay-as-you-go row is the one.

The names follow the API's item shape as documented (docs: "Azure Retail Prices overview").
A name the live API spells differently is caught by `prices update`, which refuses a snapshot
missing any meter listed here and says which.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, Protocol

from wizard.catalog import MODELS, SEARCH_TIERS, VM_SKUS

UnitBase = Literal["hour", "day", "count", "GB", "GB/month"]
"""What one API unit counts: hours, days, events (operations, tokens), GB moved, GB stored."""


@dataclass(frozen=True, slots=True)
class Meter:
    """One price the estimate looks up."""

    key: str
    """Our stable id, e.g. `search.basic`, `vm.Standard_B4ms`, `tokens.gpt-5.1.GlobalStandard.in`."""
    service: str
    """serviceName."""
    product: str
    """productName ('' for VM meters, matched by arm_sku)."""
    sku: str
    """skuName ('' for VM meters)."""
    meter: str
    """meterName ('' for VM meters)."""
    unit: UnitBase
    """What the API's unitOfMeasure counts."""
    per: int = 1
    """How many base units the estimate shows one price for (1M tokens, 10K operations)."""
    label: str = ""
    """Unit as shown, e.g. `h`, `1M tokens`."""
    arm_sku: str = ""
    """For VM sizes: armSkuName; the row must be Linux, pay-as-you-go, not Spot or Low Priority."""
    region: str = ""
    """A fixed armRegionName for meters priced by zone rather than region ('' = the environment's)."""

    def matches(self, row: MeterRow) -> bool:
        """True when the API row prices this meter (any region)."""
        if row.type != "Consumption" or row.serviceName != self.service:
            return False
        if self.arm_sku:
            text = f"{row.productName} {row.skuName} {row.meterName}"
            return row.armSkuName == self.arm_sku and not _NOT_LINUX_PAYG.search(text)
        return (row.productName, row.skuName, row.meterName) == (self.product, self.sku, self.meter)


class MeterRow(Protocol):
    """The fields of an API item a Meter looks at (wizard.prices.PriceRow provides them)."""

    @property
    def type(self) -> str: ...
    @property
    def serviceName(self) -> str: ...
    @property
    def productName(self) -> str: ...
    @property
    def skuName(self) -> str: ...
    @property
    def meterName(self) -> str: ...
    @property
    def armSkuName(self) -> str: ...


_NOT_LINUX_PAYG = re.compile(r"Windows|Spot|Low Priority|Cloud Services", re.IGNORECASE)

_UNIT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KM]?)\s*/?\s*(.*?)\s*$")
_BASES: dict[str, UnitBase] = {
    "hour": "hour", "hours": "hour", "day": "day", "days": "day", "": "count",
    "gb": "GB", "gb/month": "GB/month",
}


def parse_unit(unit_of_measure: str) -> tuple[float, UnitBase] | None:
    """`1 Hour` → (1, hour); `10K` → (10000, count); `1 GB/Month` → (1, GB/month); None if unknown."""
    found = _UNIT.match(unit_of_measure)
    if not found:
        return None
    number, scale, base = found.groups()
    kind = _BASES.get(base.lower())
    if kind is None:
        return None
    return float(number) * {"": 1, "K": 1_000, "M": 1_000_000}[scale], kind


# --------------------------------------------------------------------------- the table


def _m(key: str, service: str, product: str, sku: str, meter: str, unit: UnitBase,
       label: str, per: int = 1, region: str = "") -> Meter:
    return Meter(key, service, product, sku, meter, unit, per, label, region=region)


SEARCH_SERVICE = "Azure Cognitive Search"
SEARCH_METERS: dict[str, Meter] = {
    tier.name: _m(f"search.{tier.name}", SEARCH_SERVICE, SEARCH_SERVICE, tier.display_name,
                  f"{tier.display_name} Unit", "hour", "SU·h")
    for tier in SEARCH_TIERS.values() if tier.name != "free"
}
"""One search unit (replica × partition) for an hour, per billable tier."""

_MODEL_CODES: dict[str, str] = {
    "gpt-5.1": "gpt 5.1", "gpt-5-mini": "gpt 5 mini", "gpt-5.4-mini": "gpt 5.4 mini",
    "gpt-4o": "gpt 4o 1120", "gpt-4o-mini": "gpt 4o mini 0718",
    "text-embedding-3-large": "text-embedding-3-large", "text-embedding-3-small": "text-embedding-3-small",
    "text-embedding-ada-002": "text-embedding-ada-002",
}
"""How the API's Azure OpenAI skuNames start for each catalog model."""
_ZONES: dict[str, str] = {"GlobalStandard": "glbl", "DataZoneStandard": "DZone", "Standard": "regnl"}
_PTU_SKUS: dict[str, str] = {"GlobalStandard": "Global", "DataZoneStandard": "Data Zone", "Standard": "Regional"}
OPENAI_SERVICE, OPENAI_PRODUCT = "Foundry Models", "Azure OpenAI"

Direction = Literal["in", "out"]


def token_meter(model: str, sku: str, direction: Direction) -> Meter | None:
    """The per-token meter of a pay-as-you-go deployment; None for a model the table does not know."""
    code, zone = _MODEL_CODES.get(model), _ZONES.get(sku)
    if code is None or zone is None:
        return None
    if MODELS[model].kind == "embedding":
        name = f"{code} {zone}"
    else:
        name = f"{code} {'Inp' if direction == 'in' else 'Outp'} {zone}"
    return _m(f"tokens.{model}.{sku}.{direction}", OPENAI_SERVICE, OPENAI_PRODUCT, name, f"{name} Tokens",
              "count", "1M tokens", per=1_000_000)


def ptu_meter(zone: str = "Standard") -> Meter:
    """Provisioned throughput: one PTU for an hour (ProvisionedManaged deployments are regional)."""
    name = f"Provisioned Managed {_PTU_SKUS[zone]}"
    return _m(f"ptu.{zone}", OPENAI_SERVICE, OPENAI_PRODUCT, name, f"{name} Unit", "hour", "PTU·h")


def vm_meter(size: str) -> Meter:
    """A VM size's Linux pay-as-you-go hour."""
    return Meter(f"vm.{size}", "Virtual Machines", "", "", "", "hour", 1, "h", arm_sku=size)


KEY_VAULT_OPERATIONS = _m("keyvault.operations", "Key Vault", "Key Vault", "Standard", "Operations",
                          "count", "10K ops", per=10_000)
STORAGE_HOT_LRS = _m("storage.hot_lrs", "Storage", "General Block Blob v2", "Hot LRS", "Hot LRS Data Stored",
                     "GB/month", "GB·month")
STORAGE_HOT_ZRS = _m("storage.hot_zrs", "Storage", "General Block Blob v2", "Hot ZRS", "Hot ZRS Data Stored",
                     "GB/month", "GB·month")
ACR_METERS: dict[str, Meter] = {
    sku: _m(f"acr.{sku.lower()}", "Container Registry", "Container Registry", sku, f"{sku} Registry Unit",
            "day", "day")
    for sku in ("Basic", "Standard", "Premium")
}
LOG_INGESTION = _m("log_analytics.ingestion", "Log Analytics", "Log Analytics", "Analytics Logs",
                   "Analytics Logs Data Ingestion", "GB", "GB")
BASTION_METERS: dict[str, Meter] = {
    sku: _m(f"bastion.{sku.lower()}", "Azure Bastion", "Azure Bastion", sku, f"{sku} Gateway", "hour", "h")
    for sku in ("Basic", "Standard")
}
PUBLIC_IP = _m("public_ip.static", "Virtual Network", "IP Addresses", "Standard", "Static Public IP",
               "hour", "h")
AKS_TIERS: dict[str, Meter] = {
    "Standard": _m("aks.standard", "Azure Kubernetes Service", "Azure Kubernetes Service", "Standard",
                   "Standard Uptime SLA", "hour", "cluster·h"),
    "Premium": _m("aks.premium", "Azure Kubernetes Service", "Azure Kubernetes Service", "Premium",
                  "Premium Long Term Support", "hour", "cluster·h"),
}
COSMOS_THROUGHPUT = _m("cosmos.ru", "Azure Cosmos DB", "Azure Cosmos DB", "RUs", "100 RU/s", "hour",
                       "100 RU/s·h")
COSMOS_STORAGE = _m("cosmos.storage", "Azure Cosmos DB", "Azure Cosmos DB", "Data Stored",
                    "Data Stored", "GB/month", "GB·month")
PRIVATE_ENDPOINT = _m("private_link.endpoint", "Virtual Network", "Virtual Network Private Link", "Standard",
                      "Standard Private Endpoint", "hour", "h")
_DIRECTIONS: tuple[tuple[Direction, str], ...] = (("in", "Ingress"), ("out", "Egress"))
PRIVATE_ENDPOINT_DATA: dict[Direction, Meter] = {
    d: _m(f"private_link.data.{d}", "Virtual Network", "Virtual Network Private Link", "Standard",
          f"Standard Data Processed - {word}", "GB", "GB")
    for d, word in _DIRECTIONS
}
PEERING_INTRA: dict[Direction, Meter] = {
    d: _m(f"peering.intra.{d}", "Virtual Network", "Virtual Network Peering", "Standard",
          f"Intra-Region {word}", "GB", "GB", region="Global")
    for d, word in _DIRECTIONS
}
PEERING_GLOBAL: dict[Direction, Meter] = {
    d: _m(f"peering.global.{d}", "Virtual Network", "Global Virtual Network Peering", "Standard",
          f"Inter-Region {word}", "GB", "GB", region="Zone 1")
    for d, word in _DIRECTIONS
}


def needed_meters() -> list[Meter]:
    """Every meter an estimate of any catalog choice can ask for: what `prices update` must find."""
    fixed: list[Meter] = [
        *SEARCH_METERS.values(), KEY_VAULT_OPERATIONS, STORAGE_HOT_LRS, STORAGE_HOT_ZRS, *ACR_METERS.values(),
        LOG_INGESTION, *BASTION_METERS.values(), PUBLIC_IP, *AKS_TIERS.values(), COSMOS_THROUGHPUT,
        COSMOS_STORAGE, PRIVATE_ENDPOINT, *PRIVATE_ENDPOINT_DATA.values(), *PEERING_INTRA.values(),
        *PEERING_GLOBAL.values(), *(ptu_meter(zone) for zone in _PTU_SKUS),
    ]
    tokens = [
        meter
        for model in MODELS.values() for sku in model.skus for direction in ("in", "out")
        if (meter := token_meter(model.name, sku, direction)) is not None
        and (model.kind == "chat" or direction == "in")
    ]
    return fixed + tokens + [vm_meter(size) for size in VM_SKUS]
