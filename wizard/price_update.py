"""`aifactory prices update`: a fresh snapshot from the Retail Prices API, or none at all.

Why so strict: an estimate shown to a customer must not rest on a half-downloaded or
misunderstood price list. Every page is checked as it arrives (the documented shape:
`BillingCurrency`, `Items`, `Count`, `NextPageLink`; each item's fields and currency), paging
follows `NextPageLink` only to the endpoint's own host, and at the end every meter the estimate
can ask for must be present. Only then is the file written, atomically; on any problem the
existing snapshot is left exactly as it was.

Queries use the API's documented OData `$filter` (`serviceName eq '…' and armRegionName eq '…'
and priceType eq 'Consumption'`, VM sizes narrowed by `armSkuName`), one per service and region,
so a refresh asks for hundreds of small pages rather than the whole price list.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from wizard.atomic_file import atomic_write
from wizard.price_meters import Meter, needed_meters
from wizard.prices import PriceError, PriceRow, PriceSnapshot, SnapshotHeader

API_VERSION = "2023-01-01-preview"
"""The API version asked for (documented as backward compatible, case-sensitive filters)."""

MAX_PAGES = 200
"""Pages one query may take before it is refused as runaway paging."""

Fetch = Callable[[str], bytes]
"""Gets one URL's body; raises PriceError when it cannot."""


def http_get(url: str, timeout: float = 30.0) -> bytes:
    """GET `url` (no sign-in: the API is public)."""
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "aifactory-wizard"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body: bytes = response.read()
            return body
    except urllib.error.HTTPError as exc:
        raise PriceError(f"the price API answered {exc.code} {exc.reason}", "try again later", url) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise PriceError(f"cannot reach the price API ({reason})",
                         "check the network; the shipped or saved snapshot stays in use", url) from None


@dataclass(frozen=True, slots=True)
class Query:
    """One filtered listing: a service in a region, optionally one VM size."""

    service: str
    region: str
    arm_sku: str = ""

    def filter(self) -> str:
        """The OData `$filter` text the API documents (values are case-sensitive)."""
        parts = [f"serviceName eq '{self.service}'", f"armRegionName eq '{self.region}'", "priceType eq 'Consumption'"]
        if self.arm_sku:
            parts.append(f"armSkuName eq '{self.arm_sku}'")
        return " and ".join(parts)


def queries(meters: list[Meter], regions: list[str]) -> list[Query]:
    """The distinct listings that cover `meters` in `regions` (zone-priced meters once)."""
    out: dict[Query, None] = {}
    for meter in meters:
        for region in [meter.region] if meter.region else regions:
            out[Query(meter.service, region, meter.arm_sku)] = None
    return list(out)


def _page(body: bytes, url: str, currency: str) -> tuple[list[PriceRow], str]:
    """One page's items and next link, or PriceError naming what is wrong with it."""
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise PriceError("the page is not JSON", "try again later", url) from None
    if not isinstance(data, dict) or not isinstance(data.get("Items"), list):
        raise PriceError("the page has no Items list (not the Retail Prices API's shape)", "check --endpoint", url)
    if data.get("BillingCurrency") != currency:
        raise PriceError(f"BillingCurrency is {data.get('BillingCurrency')!r}, not {currency}",
                         "ask for one currency with --currency", url)
    count, next_link = data.get("Count"), data.get("NextPageLink")
    if not isinstance(count, int) or count != len(data["Items"]):
        raise PriceError(f"Count is {count!r} but the page has {len(data['Items'])} items", "try again later", url)
    if next_link is not None and not isinstance(next_link, str):
        raise PriceError("NextPageLink is not a link", "try again later", url)
    rows: list[PriceRow] = []
    for index, item in enumerate(data["Items"]):
        try:
            row = PriceRow.model_validate(item)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(part) for part in first["loc"])
            raise PriceError(f"Items[{index}].{field}: {first['msg']}", "try again later", url) from None
        if row.currencyCode != currency:
            raise PriceError(f"Items[{index}] is priced in {row.currencyCode}, not {currency}", "", url)
        rows.append(row)
    return rows, next_link or ""


def _same_origin(link: str, endpoint: str) -> bool:
    a, b = urllib.parse.urlsplit(link), urllib.parse.urlsplit(endpoint)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc)


def listing(query: Query, endpoint: str, currency: str, fetch: Fetch) -> Iterator[PriceRow]:
    """Every item of one filtered listing, page after page."""
    params = {"api-version": API_VERSION, "currencyCode": currency, "$filter": query.filter()}
    url = f"{endpoint}?{urllib.parse.urlencode(params, quote_via=urllib.parse.quote)}"
    for _ in range(MAX_PAGES):
        rows, url = _page(fetch(url), url, currency)
        yield from rows
        if not url:
            return
        if not _same_origin(url, endpoint):
            raise PriceError(f"NextPageLink leads away from {endpoint}", "check --endpoint", url)
    raise PriceError(f"more than {MAX_PAGES} pages for {query.filter()}", "try again later", endpoint)


def download(endpoint: str, regions: list[str], currency: str = "USD", fetch: Fetch = http_get,
             progress: Callable[[int, int, Query], None] | None = None) -> PriceSnapshot:
    """A validated snapshot of every needed meter in `regions`, or PriceError."""
    meters = needed_meters()
    wanted = queries(meters, regions)
    rows: list[PriceRow] = []
    for index, query in enumerate(wanted, 1):
        if progress:
            progress(index, len(wanted), query)
        rows.extend(row for row in listing(query, endpoint, currency, fetch) if any(m.matches(row) for m in meters))
    missing = [m.key for m in meters if not any(m.matches(row) for row in rows)]
    if missing:
        shown = ", ".join(missing[:8]) + (f" and {len(missing) - 8} more" if len(missing) > 8 else "")
        raise PriceError(f"the API's answer lacks {len(missing)} needed meter(s): {shown}",
                         "nothing was written; the snapshot in use is unchanged", endpoint)
    header = SnapshotHeader(currency=currency, retrieved=datetime.now(UTC).date(), source="api", endpoint=endpoint,
                            regions=sorted(regions), note=f"api-version {API_VERSION}; {len(wanted)} queries")
    return PriceSnapshot(snapshot=header, BillingCurrency=currency, Items=rows, Count=len(rows))


def save(snapshot: PriceSnapshot, path: Path) -> Path | None:
    """Write the snapshot atomically (the previous one kept as .bak); returns the backup's path."""
    return atomic_write(path, snapshot.to_text())
