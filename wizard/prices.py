"""A snapshot of Azure's public Retail Prices API: its format, loader and price lookup.

Why a snapshot: a consultant estimates cost in a room without Azure access, and every estimate
must say which prices it rests on. The snapshot keeps the API's own page shape
(`BillingCurrency`, `Items`, `Count`, each item as the API returns it) plus a `snapshot` header
naming its date, currency, where its figures came from and the regions it covers, so the file
reads like the API and one validator serves the shipped file, a refreshed one and each page
`aifactory prices update` downloads.

The package ships one (presets/prices/retail-prices.json); `prices update` writes a refreshed
one to the user's data folder, which is preferred from then on. A region the snapshot has no row
for is priced at another region's row for the same meter, and the estimate says so on the line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from wizard.errors import UserError
from wizard.price_meters import Meter, parse_unit

SHIPPED_SNAPSHOT = Path(__file__).resolve().parents[1] / "presets" / "prices" / "retail-prices.json"
"""The snapshot shipped with the package."""

RETAIL_PRICES_URL = "https://prices.azure.com/api/retail/prices"
"""The public, sign-in-free Retail Prices API."""

STAND_IN_ORDER: tuple[str, ...] = ("eastus", "eastus2", "westeurope")
"""Which region's row prices a region the snapshot lacks, first found wins; then alphabetical."""


def user_snapshot_path() -> Path:
    """Where `prices update` keeps a refreshed snapshot (platformdirs user data folder)."""
    from platformdirs import user_data_path

    return user_data_path("aifactory-wizard", appauthor=False) / "retail-prices.json"


class PriceError(UserError):
    """A snapshot or API page that cannot be used: names the file or URL, the item and the fix."""


class PriceRow(BaseModel):
    """One API item, as documented; fields the estimate does not read are kept but not checked."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, frozen=True)

    currencyCode: str = Field(min_length=3, max_length=3)
    retailPrice: float = Field(ge=0)
    unitPrice: float = Field(ge=0)
    armRegionName: str
    location: str = ""
    meterId: str = ""
    meterName: str
    productName: str
    skuName: str
    serviceName: str
    unitOfMeasure: str
    type: str
    armSkuName: str = ""
    tierMinimumUnits: float = Field(default=0, ge=0)
    effectiveStartDate: str = ""
    isPrimaryMeterRegion: bool = True
    source_note: str = Field(default="", alias="x-source")
    """For authored rows: where the figure came from (page or file, its date, the region it states)."""

    @field_validator("unitOfMeasure")
    @classmethod
    def _known_unit(cls, unit: str) -> str:
        if parse_unit(unit) is None:
            raise ValueError(f"unit {unit!r} is not one the estimate can count (hours, days, GB, operations)")
        return unit


class SnapshotHeader(BaseModel):
    """What every estimate states about the prices it used."""

    model_config = ConfigDict(extra="forbid")

    format: Literal[1] = 1
    currency: str = Field(min_length=3, max_length=3)
    retrieved: date
    """The day the figures were taken (from the API, or from the pages named per row)."""
    source: Literal["api", "authored"]
    """`api`: downloaded by `prices update`; `authored`: written by hand from public price pages."""
    endpoint: str = RETAIL_PRICES_URL
    regions: list[str] = Field(default_factory=list)
    """The regions asked for (api) or covered (authored)."""
    note: str = ""


class PriceSnapshot(BaseModel):
    """A whole snapshot file: the header and the API's page shape."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    snapshot: SnapshotHeader
    BillingCurrency: str
    Items: list[PriceRow]
    Count: int = Field(ge=0)

    @model_validator(mode="after")
    def _consistent(self) -> PriceSnapshot:
        if self.BillingCurrency != self.snapshot.currency:
            raise ValueError(f"BillingCurrency {self.BillingCurrency} differs from snapshot.currency")
        wrong = [r for r in self.Items if r.currencyCode != self.snapshot.currency]
        if wrong:
            raise ValueError(f"item {wrong[0].meterName!r} is priced in {wrong[0].currencyCode}, "
                             f"not the snapshot's {self.snapshot.currency}")
        if self.Count != len(self.Items):
            raise ValueError(f"Count is {self.Count} but there are {len(self.Items)} items")
        return self

    def quote(self, meter: Meter, region: str, quantity: float = 0.0) -> Quote | None:
        """The price of `meter` in `region` for `quantity` display units, or another region's when this one
        has no row.

        A tiered meter (rows with a `tierMinimumUnits` above 0, e.g. Log Analytics ingestion: the first
        5 GB at 0, then the paid rate) is priced at the highest tier the quantity reaches, for every unit:
        the free allowance is per billing account, not per environment, so it is not deducted.
        """
        rows = [r for r in self.Items if meter.matches(r) and not unit_problem(meter, r)]
        wanted = meter.region or region
        exact = [r for r in rows if r.armRegionName == wanted]
        if exact:
            return Quote.of(meter, _tier(meter, exact, quantity), stand_in=False)
        if not rows:
            return None
        regions = sorted({r.armRegionName for r in rows})
        chosen = next((name for name in STAND_IN_ORDER if name in regions), regions[0])
        return Quote.of(meter, _tier(meter, [r for r in rows if r.armRegionName == chosen], quantity), stand_in=True)

    def to_text(self) -> str:
        """The file's text: stable key order, one item per line block, ends with a newline."""
        data = self.model_dump(mode="json", by_alias=True, exclude_defaults=False)
        return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


@dataclass(frozen=True, slots=True)
class Quote:
    """A price ready to multiply: per the meter's display unit, with where it came from."""

    unit_price: float
    """Price of one display unit (one hour, one day, 1M tokens, 10K operations, one GB)."""
    region: str
    """The armRegionName of the row used."""
    stand_in: bool
    """True when the row is another region's (the snapshot has none for the one asked)."""
    row: PriceRow

    @classmethod
    def of(cls, meter: Meter, row: PriceRow, *, stand_in: bool) -> Quote:
        size, _ = parse_unit(row.unitOfMeasure) or (1.0, "count")
        return cls(row.retailPrice / size * meter.per, row.armRegionName, stand_in, row)


def _tier(meter: Meter, rows: list[PriceRow], quantity: float) -> PriceRow:
    """Of one region's rows for a meter, the tier `quantity` (display units) reaches; the lowest tier else."""
    def api_units(row: PriceRow) -> float:
        size, _ = parse_unit(row.unitOfMeasure) or (1.0, "count")
        return quantity * meter.per / size

    reached = [r for r in rows if r.tierMinimumUnits <= api_units(r)]
    return max(reached, key=lambda r: r.tierMinimumUnits) if reached else min(rows, key=lambda r: r.tierMinimumUnits)


def unit_problem(meter: Meter, row: PriceRow) -> str:
    """Why `row` cannot price `meter` (its unit counts something else); '' when it can."""
    parsed = parse_unit(row.unitOfMeasure)
    if parsed is None or parsed[1] != meter.unit:
        return f"{meter.key}: unit {row.unitOfMeasure!r} does not count {meter.unit}"
    return ""


def parse_snapshot(text: str, where: str) -> PriceSnapshot:
    """Read snapshot text, or raise PriceError naming `where`, the item and the fix."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PriceError(f"not JSON ({exc.msg} at line {exc.lineno})", _REFRESH_HINT, where) from None
    try:
        return PriceSnapshot.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        message = str(first["msg"]).removeprefix("Value error, ")
        raise PriceError(f"{field}: {message}" if field else message, _REFRESH_HINT, where) from None


_REFRESH_HINT = "run `aifactory prices update` to fetch a fresh snapshot, or delete the file to use the shipped one"


def load_snapshot(path: Path | None = None) -> tuple[PriceSnapshot, Path]:
    """The snapshot at `path`; else the user's refreshed one when present; else the shipped one."""
    if path is None:
        user = user_snapshot_path()
        path = user if user.is_file() else SHIPPED_SNAPSHOT
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PriceError(f"cannot read the price snapshot ({exc.strerror or exc})", _REFRESH_HINT, str(path)) from None
    return parse_snapshot(text, str(path)), path
