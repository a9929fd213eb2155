"""The cost estimate: each built-in preset against a figure computed by hand from the snapshot.

The arithmetic below uses the shipped snapshot's prices (presets/prices/retail-prices.json), each
the row for the environment's region unless marked ~ (another region's row stands in):
ACR Premium 1.6666/day; Log Analytics 2.76/GB in eastus2 (~ for japaneast), 2.99/GB in westeurope
and swedencentral (the paid tier: 30 GB a month is past the first 5); Key Vault 0.03 per 10K
operations; AI Search Basic 0.101 and Standard S1 0.336 per SU-hour (S1 0.444 in japaneast);
GPT-5.1 Global 1.25 in / 10 out per 1M tokens (eastus2; ~ elsewhere but swedencentral), Data Zone
1.375 / 11 (swedencentral, ~ elsewhere); text-embedding-3-large Global 0.13 and Standard 0.143
(eastus2) per 1M; private endpoint 0.01/h and 0.01/GB each way (~westus); Cosmos DB 0.008 per
100 RU/s-hour and 0.25/GB (eastus2, ~ elsewhere); Bastion Basic 0.19/h (~australiaeast); public IP 0.005/h;
intra-region peering 0.01/GB each way; storage hot ZRS 0.023 and hot LRS 0.0184 per GB-month
(eastus2, ~ elsewhere; 100 GB per account). The admin VM has no row (not in the totals).
A month is 730 h, so 730/24 days.
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from presets.store import PresetStore
from tests.conftest import aifactory_bin
from wizard.cost import Assumptions, Estimate, endpoint_count, estimate, parse_assumptions
from wizard.errors import UserError
from wizard.price_meters import needed_meters, token_meter
from wizard.prices import load_snapshot

DAYS = 730 / 24
ACR_PREMIUM = 1.6666 * DAYS            # one Premium registry for a month
KV_PER_VAULT = 100_000 / 10_000 * 0.03  # 100,000 operations
PE_MONTH = 730 * 0.01                  # one private endpoint for a month
PE_DATA = 10 * 0.01 * 2                # 10 GB each way per endpoint
PEERING = 100 * 0.01 * 2               # 100 GB each way
GPT51_GLOBAL = 10 * 1.25 + 2 * 10      # 10M input + 2M output tokens per project
GPT51_DZ = 10 * 1.375 + 2 * 11
LAKE = 100 * 0.023                     # the common data lake, 100 GB hot ZRS


def project_storage(projects: int) -> float:
    """Two hot LRS accounts of 100 GB per project."""
    return 2 * projects * 100 * 0.0184


def logs(price: float) -> float:
    """1 GB/day into Log Analytics for a month at `price` per GB."""
    return price * 1 * DAYS


def _estimate(name: str, assumptions: Assumptions | None = None) -> Estimate:
    snapshot, path = load_snapshot()
    return estimate(PresetStore().load(name).config, snapshot, assumptions, str(path))


def _hub_spoke_env(log_price: float) -> float:
    # 3 projects with Search S1, GPT-5.1 Data Zone, embeddings Global, Cosmos (3 × 400 RU/s, 3 × 10 GB);
    # 5 vaults; 29 endpoints (5 + 3 × 8); hub peering.
    return (ACR_PREMIUM + logs(log_price) + LAKE + project_storage(3) + 5 * KV_PER_VAULT + 3 * 730 * 0.336
            + 3 * GPT51_DZ + 3 * 5 * 0.13
            + 3 * 4 * 730 * 0.008 + 3 * 10 * 0.25 + 29 * PE_MONTH + 29 * PE_DATA + PEERING)


def _vwan_env(log_price: float, s1_price: float) -> float:
    # 1 project with Search S1, GPT-5.1 Global, embeddings Global; 12 endpoints; peered to the virtual hub.
    return (ACR_PREMIUM + logs(log_price) + LAKE + project_storage(1) + 3 * KV_PER_VAULT + 730 * s1_price
            + GPT51_GLOBAL + 5 * 0.13
            + 12 * PE_MONTH + 12 * PE_DATA + PEERING)


HAND_COMPUTED = {
    # Dev only (eastus2), 1 project (AI Foundry, AI Search Basic, embeddings Standard); 12 endpoints:
    # common 5 (2 KV, lake blob+dfs, ACR) + project 7 (KV, 2 storage × blob+file, search, Foundry).
    "poc-standalone": ACR_PREMIUM + logs(2.76) + LAKE + project_storage(1) + 3 * KV_PER_VAULT + 730 * 0.101
    + GPT51_GLOBAL + 5 * 0.143
    + 12 * PE_MONTH + 12 * PE_DATA,
    # dev eastus2, stage westeurope, prod swedencentral.
    "enterprise-hub-spoke": _hub_spoke_env(2.76) + _hub_spoke_env(2.99) + _hub_spoke_env(2.99),
    # dev eastus2, stage westeurope, prod japaneast (its Log Analytics at eastus2's rate, its own S1 rate).
    "global-vwan": _vwan_env(2.76, 0.336) + _vwan_env(2.99, 0.336) + _vwan_env(2.76, 0.444),
    # Dev (westeurope), 2 projects with Search Basic and GPT-5.1 Data Zone; Bastion Basic and its IP;
    # 19 endpoints (5 + 2 × 7); the admin VM (Standard_D2s_v5) has no price.
    "hybrid-workshop": ACR_PREMIUM + logs(2.99) + LAKE + project_storage(2) + 730 * 0.19 + 730 * 0.005
    + 4 * KV_PER_VAULT + 2 * 730 * 0.101
    + 2 * GPT51_DZ + 2 * 5 * 0.13 + 19 * PE_MONTH + 19 * PE_DATA,
}


@pytest.mark.parametrize("name", sorted(HAND_COMPUTED))
def test_each_builtin_preset_matches_the_hand_computed_figure(name: str) -> None:
    result = _estimate(name)
    assert result.total == pytest.approx(HAND_COMPUTED[name], abs=0.01)
    assert result.currency == "USD" and result.snapshot_date == "2026-12-02"


def test_unpriced_items_are_shown_and_named_not_dropped() -> None:
    result = _estimate("hybrid-workshop")
    unpriced = [line.item for line in result.environments[0].lines if line.monthly is None]
    assert unpriced == ["Admin VM Standard_D2s_v5"]
    assert any("no price in the snapshot for Admin VM Standard_D2s_v5" in note for note in result.notes)


def test_a_region_without_rows_is_priced_at_another_region_and_says_so() -> None:
    lines = {line.meter: line for line in _estimate("hybrid-workshop").environments[0].lines}
    assert lines["log_analytics.ingestion"].price_region == "westeurope"
    assert not lines["log_analytics.ingestion"].stand_in and not lines["search.basic"].stand_in
    assert lines["bastion.basic"].stand_in and lines["bastion.basic"].price_region == "australiaeast"
    dz = lines["tokens.gpt-5.1.DataZoneStandard.in"]
    assert dz.stand_in and dz.price_region == "swedencentral" and dz.unit_price == 1.375


def test_usage_lines_state_their_assumption_and_follow_a_change() -> None:
    base = _estimate("poc-standalone")
    changed = _estimate("poc-standalone", parse_assumptions(["log_gb_per_day=5", "search_replicas=3"]))
    assert changed.total - base.total == pytest.approx(4 * 2.76 * DAYS + 2 * 730 * 0.101, abs=0.01)
    logs = next(line for line in changed.environments[0].lines if line.meter == "log_analytics.ingestion")
    assert logs.basis == "5 GB/day (log_gb_per_day)"


def test_a_tiered_meter_is_priced_at_the_tier_the_quantity_reaches() -> None:
    # Log Analytics ingestion: the API lists 0.00 from 0 GB and 2.76 from 5 GB (eastus2).
    def ingestion(gb_per_day: str) -> float | None:
        result = _estimate("poc-standalone", parse_assumptions([f"log_gb_per_day={gb_per_day}"]))
        return next(line.unit_price for line in result.environments[0].lines if line.meter == "log_analytics.ingestion")

    assert ingestion("0.1") == 0.0  # 3 GB a month stays in the free tier
    assert ingestion("1") == 2.76


def test_token_meters_use_the_api_names_and_unknown_ones_stay_unpriced() -> None:
    out = token_meter("gpt-5.1", "DataZoneStandard", "out")
    assert out is not None
    assert (out.service, out.product, out.sku, out.meter) == (
        "Foundry Models", "Azure OpenAI GPT5", "GPT 5.1 opt Dz", "GPT 5.1 opt Dz 1M Tokens")
    embed = token_meter("text-embedding-3-large", "DataZoneStandard", "in")
    assert embed is not None and embed.product == "Azure OpenAI Embedding"
    assert token_meter("gpt-5.4-mini", "DataZoneStandard", "out") is None  # no source names it


def test_every_shipped_row_prices_some_meter() -> None:
    snapshot, _ = load_snapshot()
    meters = needed_meters()
    assert [r.meterName for r in snapshot.Items if not any(m.matches(r) for m in meters)] == []


@pytest.mark.parametrize(("pair", "said"), [
    ("log_gb_per_dya=5", "did you mean log_gb_per_day?"),
    ("search_replicas=0", "--assume search_replicas=0"),
    ("hours_per_month", "is not key=value"),
])
def test_bad_assumptions_are_refused_by_name(pair: str, said: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_assumptions([pair])
    assert said in str(caught.value)


def test_endpoint_count_follows_the_services() -> None:
    config = PresetStore().load("enterprise-hub-spoke").config
    from wizard import catalog

    services = [catalog.active_services(config.project_services(p)) for p in config.projects]
    assert endpoint_count(config, services) == 5 + 3 * 8
    assert endpoint_count(config, []) == 5


def test_every_shipped_row_says_where_its_figure_came_from() -> None:
    snapshot, _ = load_snapshot()
    assert snapshot.snapshot.source == "authored" and snapshot.snapshot.currency == "USD"
    assert all(row.source_note for row in snapshot.Items)


def test_cost_command_prints_tables_totals_assumptions_and_the_snapshot() -> None:
    run = subprocess.run([aifactory_bin(), "cost", "--preset", "poc-standalone"], capture_output=True, text=True,
                         timeout=60, env={**os.environ, "COLUMNS": "160"})
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "authored snapshot of 2026-12-02, USD" in out
    assert "dev · eastus2" in out and "Total, all environments: 338.47 USD a month" in out
    assert "log_gb_per_day" in out and "assumes 1 GB/day (log_gb_per_day)" in out


def test_cost_command_json_and_bad_assume() -> None:
    run = subprocess.run([aifactory_bin(), "cost", "--preset", "global-vwan", "--json", "--assume", "peering_gb=0"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert [env["name"] for env in data["environments"]] == ["dev", "stage", "prod"]
    assert data["assumptions"]["peering_gb"]["value"] == 0
    assert data["total"] == pytest.approx(HAND_COMPUTED["global-vwan"] - 3 * PEERING, abs=0.01)
    bad = subprocess.run([aifactory_bin(), "cost", "--preset", "global-vwan", "--assume", "nope=1"],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "--assume nope: unknown assumption" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_prices_show_names_the_snapshot_in_use_and_a_damaged_one_is_refused_by_name(isolated_dirs: object) -> None:
    run = subprocess.run([aifactory_bin(), "prices", "show", "--json"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    info = json.loads(run.stdout)
    assert info["path"].endswith("presets/prices/retail-prices.json") and info["currency"] == "USD"
    from wizard.prices import user_snapshot_path

    saved = user_snapshot_path()
    saved.parent.mkdir(parents=True)
    saved.write_text('{"snapshot": {"currency": "USD"}}')
    bad = subprocess.run([aifactory_bin(), "cost", "--preset", "poc-standalone"], capture_output=True, text=True,
                         timeout=60)
    assert bad.returncode == 2 and str(saved) in bad.stderr and "prices update" in bad.stderr
    assert "Traceback" not in bad.stderr
