"""`aifactory prices update` against a local fake of the Retail Prices API on 127.0.0.1.

The fake answers the documented query shape (`$filter=serviceName eq '…' and armRegionName eq
'…' and priceType eq 'Consumption' [and armSkuName eq '…']`) with pages of two items linked by
NextPageLink, as the real API pages. Broken answers must be refused and leave the snapshot
already on disk byte for byte as it was.
"""

from __future__ import annotations

import json
import re
import subprocess
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import aifactory_bin
from wizard.price_meters import Meter, needed_meters

_FILTER = re.compile(r"(\w+) eq '([^']*)'")


def _item(meter: Meter, region: str, **changes: object) -> dict[str, object]:
    vm = bool(meter.arm_sku)
    name = meter.arm_sku.removeprefix("Standard_").replace("_", " ")
    unit = {"hour": "1 Hour", "day": "1/Day", "GB": "1 GB", "GB/month": "1 GB/Month", "count": "1M"}[meter.unit]
    if meter.per == 10_000:
        unit = "10K"
    return {
        "currencyCode": "USD", "tierMinimumUnits": 0.0, "retailPrice": 0.5, "unitPrice": 0.5,
        "armRegionName": region, "location": region, "effectiveStartDate": "2026-11-01T00:00:00Z",
        "meterId": f"id-{meter.key}-{region}", "meterName": name if vm else meter.meter,
        "productId": "P", "skuId": "P/S", "productName": f"Virtual Machines {name} Series" if vm else meter.product,
        "skuName": name if vm else meter.sku, "serviceName": meter.service, "serviceId": "S",
        "serviceFamily": "Compute", "unitOfMeasure": unit, "type": "Consumption", "isPrimaryMeterRegion": True,
        "armSkuName": meter.arm_sku, **changes,
    }


class FakeApi:
    """Items for every needed meter in every asked region, served in pages of two."""

    def __init__(self) -> None:
        self.break_with: str = ""
        self.requests = 0

    def items(self, fields: dict[str, str]) -> list[dict[str, object]]:
        region = fields["armRegionName"]
        out = []
        for meter in needed_meters():
            if meter.service != fields["serviceName"] or meter.arm_sku != fields.get("armSkuName", ""):
                continue
            if self.break_with == "missing" and meter.key == "search.basic":
                continue
            out.append(_item(meter, region))
            if meter.arm_sku:  # a Windows row the update must not take for the Linux price
                out.append(_item(meter, region, productName=f"Virtual Machines {meter.arm_sku} Series Windows",
                                 retailPrice=9.0, unitPrice=9.0))
        return out

    def page(self, query: dict[str, str]) -> dict[str, object]:
        fields = dict(_FILTER.findall(query["$filter"]))
        items = self.items(fields)
        skip = int(query.get("$skip", "0"))
        chunk = items[skip:skip + 2]
        if self.break_with == "currency" and skip >= 2:
            return {"BillingCurrency": "EUR", "Items": chunk, "Count": len(chunk), "NextPageLink": None}
        if self.break_with == "item" and skip >= 2 and chunk:
            chunk = [{k: v for k, v in chunk[0].items() if k != "retailPrice"}]
        nxt = None
        if skip + 2 < len(items):
            nxt = "http://{host}/api/retail/prices?" + urllib.parse.urlencode({**query, "$skip": skip + 2})
        return {"BillingCurrency": "USD", "CustomerEntityId": "Default", "CustomerEntityType": "Retail",
                "Items": chunk, "NextPageLink": nxt, "Count": len(chunk)}


@pytest.fixture
def fake_api() -> Iterator[tuple[FakeApi, str]]:
    api = FakeApi()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            api.requests += 1
            parts = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(parts.query))
            body = api.page(query)
            if body["NextPageLink"]:
                body["NextPageLink"] = str(body["NextPageLink"]).replace("{host}", self.headers["Host"])
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield api, f"http://127.0.0.1:{server.server_address[1]}/api/retail/prices"
    finally:
        server.shutdown()
        server.server_close()


def _update(endpoint: str, output: Path, *regions: str) -> subprocess.CompletedProcess[str]:
    args = [aifactory_bin(), "prices", "update", "--endpoint", endpoint, "-o", str(output)]
    for region in regions:
        args += ["--region", region]
    return subprocess.run(args, capture_output=True, text=True, timeout=120)


def test_update_pages_through_the_api_validates_and_writes_a_usable_snapshot(
        fake_api: tuple[FakeApi, str], tmp_path: Path) -> None:
    api, endpoint = fake_api
    target = tmp_path / "prices.json"
    run = _update(endpoint, target, "eastus", "swedencentral")
    assert run.returncode == 0, run.stderr
    assert "saved" in run.stdout and str(target) in run.stdout
    data = json.loads(target.read_text())
    assert data["snapshot"]["source"] == "api" and data["snapshot"]["regions"] == ["eastus", "swedencentral"]
    assert data["Count"] == len(data["Items"])
    assert not any("Windows" in item["productName"] for item in data["Items"])
    assert api.requests > len(data["Items"]) // 2  # it followed NextPageLink

    cost = subprocess.run([aifactory_bin(), "cost", "--preset", "global-vwan", "--prices", str(target), "--json"],
                          capture_output=True, text=True, timeout=60)
    assert cost.returncode == 0, cost.stderr
    estimate = json.loads(cost.stdout)
    assert estimate["snapshot"]["source"] == "api"
    lines = [line for env in estimate["environments"] for line in env["lines"]]
    assert all(line["unit_price"] is not None for line in lines)
    # dev (eastus2) and the others stand in: the fake served eastus and swedencentral only
    assert {line["price_region"] for line in lines} >= {"eastus", "Global"}


@pytest.mark.parametrize(("broken", "said"), [
    ("currency", "BillingCurrency is 'EUR', not USD"),
    ("item", "retailPrice: Field required"),
    ("missing", "lacks 1 needed meter(s): search.basic"),
])
def test_a_bad_answer_is_refused_and_the_existing_snapshot_is_untouched(
        fake_api: tuple[FakeApi, str], tmp_path: Path, broken: str, said: str) -> None:
    api, endpoint = fake_api
    target = tmp_path / "prices.json"
    target.write_bytes(b'{"kept": "as it was"}\n')
    api.break_with = broken
    run = _update(endpoint, target, "eastus")
    assert run.returncode == 2
    assert said in run.stderr and "Traceback" not in run.stderr
    assert target.read_bytes() == b'{"kept": "as it was"}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prices.json"]


def test_update_refuses_an_unknown_region_and_a_plain_http_endpoint(tmp_path: Path) -> None:
    run = _update("https://prices.azure.com/api/retail/prices", tmp_path / "p.json", "eastus3")
    assert run.returncode == 2 and "unknown region eastus3" in run.stderr and "eastus2" in run.stderr
    run = _update("http://example.com/api/retail/prices", tmp_path / "p.json", "eastus")
    assert run.returncode == 2 and "is not https" in run.stderr
