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


SEARCH_SERVICE, SEARCH_PRODUCT = "Azure Cognitive Search", "Azure AI Search"
SEARCH_METERS: dict[str, Meter] = {
    tier.name: _m(f"search.{tier.name}", SEARCH_SERVICE, SEARCH_PRODUCT, tier.display_name,
                  f"{tier.display_name} Unit", "hour", "SU·h")
    for tier in SEARCH_TIERS.values() if tier.name != "free"
}
"""One search unit (replica × partition) for an hour, per billable tier."""

_GLOBAL, _DZ, _REGIONAL = "GlobalStandard", "DataZoneStandard", "Standard"
_TOKEN_SKUS: dict[str, dict[str, tuple[str, str, str]]] = {
    "gpt-5.1": {_GLOBAL: ("Azure OpenAI GPT5", "GPT 5.1 inp Gl", "GPT 5.1 opt Gl"),
                _DZ: ("Azure OpenAI GPT5", "GPT 5.1 inp Dz", "GPT 5.1 opt Dz")},
    "gpt-5-mini": {_GLOBAL: ("Azure OpenAI GPT5", "GPT 5 Mini Inpt Glbl", "GPT 5 Mini outpt Glbl"),
                   _DZ: ("Azure OpenAI GPT5", "GPT 5 Mini Inpt DZone", "GPT 5 Mini outpt DZone")},
    "gpt-5.4-mini": {_GLOBAL: ("Azure OpenAI GPT5", "5.4 mini Inp Gl", "5.4 mini Opt Gl")},
    "gpt-4o": {_GLOBAL: ("Azure OpenAI", "gpt 4o 1120 Inp glbl", "gpt 4o 1120 Outp glbl"),
               _DZ: ("Azure OpenAI", "gpt 4o 1120 Inp Data Zone", "gpt 4o 1120 Outp Data Zone"),
               _REGIONAL: ("Azure OpenAI", "gpt 4o 1120 Inp regnl", "gpt 4o 1120 Outp regnl")},
    "gpt-4o-mini": {_GLOBAL: ("Azure OpenAI", "gpt-4o-mini-0718-Inp-glbl", "gpt-4o-mini-0718-Outp-glbl"),
                    _DZ: ("Azure OpenAI", "gpt 4o mini 0718 Inp Data Zone", "gpt 4o mini 0718 Outp Data Zone"),
                    _REGIONAL: ("Azure OpenAI", "gpt-4o-mini-0718-Inp-regnl", "gpt-4o-mini-0718-Outp-regnl")},
    "text-embedding-3-large": {_GLOBAL: ("Azure OpenAI", "text-embedding-3-large-glbl", ""),
                               _DZ: ("Azure OpenAI Embedding", "text embedding 3 large DZ", ""),
                               _REGIONAL: ("Azure OpenAI", "text-embedding-3-large-regional", "")},
    "text-embedding-3-small": {_GLOBAL: ("Azure OpenAI", "text-embedding-3-small-glbl", ""),
                               _DZ: ("Azure OpenAI Embedding", "text embedding 3 small DZ", ""),
                               _REGIONAL: ("Azure OpenAI", "text-embedding-3-small-regional", "")},
    "text-embedding-ada-002": {_GLOBAL: ("Azure OpenAI", "embedding-ada-glbl", ""),
                               _REGIONAL: ("Azure OpenAI", "embedding-ada-regional", "")},
}
"""The API's productName and input/output skuName of each catalog model's pay-as-you-go meters.

The API spells these per model generation, with no rule to derive them (`GPT 5.1 inp Gl`,
`GPT 5 Mini Inpt Glbl`, `gpt-4o-mini-0718-Inp-glbl`, `text embedding 3 large DZ`), so each is
written out as published: GPT-5.1 in a retrieval of the API for swedencentral (2026-07-23); the
others in microsoft/mosaic-apim scripts/price_seed.py and apps/api/src/mosaic_api/data/model_prices.json
(retrieved from the API 2026-09-30); `5.4 mini` in a stored registry of eastus2 API rows (2026-10-03).
A pair the sources do not name (gpt-5.4-mini Data Zone output) is left out: its line shows no price.
The meterName is the skuName plus " 1M Tokens" for the GPT-5 family (unit `1M`) and plus " Tokens"
for the others (unit `1K`), as every Foundry Models row of the stored eastus2 listing shows."""
OPENAI_SERVICE = "Foundry Models"

Direction = Literal["in", "out"]


def token_meter(model: str, sku: str, direction: Direction) -> Meter | None:
    """The per-token meter of a pay-as-you-go deployment; None when the table has no API name for it."""
    names = _TOKEN_SKUS.get(model, {}).get(sku)
    if names is None:
        return None
    product, sku_in, sku_out = names
    name = sku_out if direction == "out" else sku_in
    if not name:
        return None
    suffix = " 1M Tokens" if product == "Azure OpenAI GPT5" else " Tokens"
    return _m(f"tokens.{model}.{sku}.{direction}", OPENAI_SERVICE, product, name, f"{name}{suffix}",
              "count", "1M tokens", per=1_000_000)


_PTU_SKUS: dict[str, str] = {_GLOBAL: "Global", _DZ: "Data Zone", _REGIONAL: "Regional"}
OPENAI_PRODUCT = "Azure OpenAI"


def ptu_meter(zone: str = "Standard") -> Meter:
    """Provisioned throughput: one PTU for an hour (ProvisionedManaged deployments are regional)."""
    name = f"Provisioned Managed {_PTU_SKUS[zone]}"
    return _m(f"ptu.{zone}", OPENAI_SERVICE, OPENAI_PRODUCT, name, f"{name} Unit", "hour", "PTU·h")


def vm_meter(size: str) -> Meter:
    """A VM size's Linux pay-as-you-go hour."""
    return Meter(f"vm.{size}", "Virtual Machines", "", "", "", "hour", 1, "h", arm_sku=size)


KEY_VAULT_OPERATIONS = _m("keyvault.operations", "Key Vault", "Key Vault", "Standard", "Operations",
                          "count", "10K ops", per=10_000)
STORAGE_HOT_LRS = _m("storage.hot_lrs", "Storage", "Blob Storage", "Hot LRS", "Hot LRS Data Stored",
                     "GB/month", "GB·month")
"""Hot LRS GB sit under the product `Blob Storage`, hot ZRS under `General Block Blob v2`: so the stored
eastus2 listing of the API shows, and a public note on querying it ('productName = Blob Storage only
works for LRS and GRS … for ZRS/GZRS, use General Block Blob v2')."""
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
PUBLIC_IP = _m("public_ip.static", "Virtual Network", "IP Addresses", "Standard", "Standard IPv4 Static Public IP",
               "hour", "h")
AKS_TIERS: dict[str, Meter] = {
    "Standard": _m("aks.standard", "Azure Kubernetes Service", "Azure Kubernetes Service", "Standard",
                   "Standard Uptime SLA", "hour", "cluster·h"),
    "Premium": _m("aks.premium", "Azure Kubernetes Service", "Azure Kubernetes Service", "Premium",
                  "Premium Long Term Support", "hour", "cluster·h"),
}
COSMOS_THROUGHPUT = _m("cosmos.ru", "Azure Cosmos DB", "Azure Cosmos DB", "RUs", "100 RU/s", "hour",
                       "100 RU/s·h")
COSMOS_STORAGE = _m("cosmos.storage", "Azure Cosmos DB", "Azure Cosmos DB", "RUs",
                    "Data Stored", "GB/month", "GB·month")
"""Provisioned-throughput accounts' GB are billed on the `RUs` SKU's `Data Stored` meter (stored eastus2 listing)."""
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
    d: _m(f"peering.global.{d}", "Virtual Network", "Global Virtual Network Peering", "Inter-Region",
          f"Inter-Region {word}", "GB", "GB")
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
