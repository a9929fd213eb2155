"""The cost estimate: each built-in preset against a figure computed by hand from the snapshot.

The arithmetic below uses the shipped snapshot's prices (presets/prices/retail-prices.json):
ACR Premium 1.666667/day, Log Analytics 2.99/GB, Key Vault 0.03 per 10K operations, AI Search
Basic 0.101 per SU-hour, text-embedding-3-large 0.13 per 1M tokens, private endpoint 0.01/h and
0.01/GB each way, Cosmos DB 0.008 per 100 RU/s-hour and 0.25/GB, Bastion Basic 0.19/h, public
IP 0.005/h, intra-region peering 0.01/GB each way. A month is 730 h, so 730/24 days.
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
from wizard.prices import load_snapshot

DAYS = 730 / 24
ACR_PREMIUM = 1.666667 * DAYS          # one Premium registry for a month
LOGS = 2.99 * 1 * DAYS                 # 1 GB/day ingested
KV_PER_VAULT = 100_000 / 10_000 * 0.03  # 100,000 operations
PE_MONTH = 730 * 0.01                  # one private endpoint for a month
PE_DATA = 10 * 0.01 * 2                # 10 GB each way per endpoint
PEERING = 100 * 0.01 * 2               # 100 GB each way


def _estimate(name: str, assumptions: Assumptions | None = None) -> Estimate:
    snapshot, path = load_snapshot()
    return estimate(PresetStore().load(name).config, snapshot, assumptions, str(path))


HAND_COMPUTED = {
    # Dev only, 1 project (AI Foundry, AI Search Basic); 12 endpoints: common 5 (2 KV, lake blob+dfs,
    # ACR) + project 7 (KV, 2 storage × blob+file, search, Foundry). gpt-5.1 and storage have no price.
    "poc-standalone": ACR_PREMIUM + LOGS + 3 * KV_PER_VAULT + 730 * 0.101 + 5 * 0.13
    + 12 * PE_MONTH + 12 * PE_DATA,
    # Three environments alike: 3 projects with Cosmos (3 × 400 RU/s, 3 × 10 GB), 5 vaults,
    # 29 endpoints (5 + 3 × 8), hub peering; Search S1 and gpt-5.1 have no price.
    "enterprise-hub-spoke": 3 * (ACR_PREMIUM + LOGS + 5 * KV_PER_VAULT + 3 * 5 * 0.13
                                 + 3 * 4 * 730 * 0.008 + 3 * 10 * 0.25 + 29 * PE_MONTH + 29 * PE_DATA + PEERING),
    # Three environments, 1 project each, peered to the virtual hub.
    "global-vwan": 3 * (ACR_PREMIUM + LOGS + 3 * KV_PER_VAULT + 5 * 0.13 + 12 * PE_MONTH + 12 * PE_DATA + PEERING),
    # Dev, 2 projects with Search Basic; Bastion Basic and its IP; 19 endpoints (5 + 2 × 7); the admin VM
    # (Standard_D2s_v5) has no price.
    "hybrid-workshop": ACR_PREMIUM + LOGS + 730 * 0.19 + 730 * 0.005 + 4 * KV_PER_VAULT + 2 * 730 * 0.101
    + 2 * 5 * 0.13 + 19 * PE_MONTH + 19 * PE_DATA,
}


@pytest.mark.parametrize("name", sorted(HAND_COMPUTED))
def test_each_builtin_preset_matches_the_hand_computed_figure(name: str) -> None:
    result = _estimate(name)
    assert result.total == pytest.approx(HAND_COMPUTED[name], abs=0.01)
    assert result.currency == "USD" and result.snapshot_date == "2026-12-02"


def test_unpriced_items_are_shown_and_named_not_dropped() -> None:
    result = _estimate("poc-standalone")
    unpriced = [line.item for line in result.environments[0].lines if line.monthly is None]
    assert unpriced == ["Data lake, hot ZRS (common)", "Project storage, hot LRS (2 accounts)",
                        "gpt-5.1 GlobalStandard input tokens (1 projects)",
                        "gpt-5.1 GlobalStandard output tokens (1 projects)"]
    assert any("no price in the snapshot for Data lake" in note for note in result.notes)


def test_a_region_without_rows_is_priced_at_another_region_and_says_so() -> None:
    lines = {line.meter: line for line in _estimate("hybrid-workshop").environments[0].lines}
    assert lines["log_analytics.ingestion"].price_region == "westeurope"
    assert not lines["log_analytics.ingestion"].stand_in
    assert lines["search.basic"].stand_in and lines["search.basic"].price_region == "eastus"


def test_usage_lines_state_their_assumption_and_follow_a_change() -> None:
    base = _estimate("poc-standalone")
    changed = _estimate("poc-standalone", parse_assumptions(["log_gb_per_day=5", "search_replicas=3"]))
    assert changed.total - base.total == pytest.approx(4 * 2.99 * DAYS + 2 * 730 * 0.101, abs=0.01)
    logs = next(line for line in changed.environments[0].lines if line.meter == "log_analytics.ingestion")
    assert logs.basis == "5 GB/day (log_gb_per_day)"


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
    assert "dev · eastus2" in out and "Total, all environments: 306.92 USD a month" in out
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
