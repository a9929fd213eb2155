"""wizard/quota.py and wizard/azure/quota.py: what a configuration needs of each quota, the bars
the SKU step draws from the usages read on the demo sandbox, and the finding when one is short."""

from __future__ import annotations

import pytest

from presets.store import PresetStore
from wizard import quota
from wizard.azure.quota import read_quotas
from wizard.azure.run import LiveSession, open_session
from wizard.edit import try_set
from wizard.findings import OpenLink, SetField
from wizard.model import FactoryConfig


def preset(name: str, **values: object) -> FactoryConfig:
    config = PresetStore().load(name).config
    for path, value in values.items():
        edit = try_set(config, path.replace("__", "."), value)
        assert edit.config is not None, edit.problems
        config = edit.config
    return config


@pytest.fixture(scope="module")
def live() -> LiveSession:
    session = open_session(demo=True, fresh=True)
    yield session  # type: ignore[misc]
    session.close()


def test_needs_add_up_over_the_environments_sharing_a_subscription_and_region() -> None:
    sub = "0b1c5e2a-7d3f-4a8e-9c61-2f0d8e4b7a11"
    config = preset("enterprise-hub-spoke", environments__dev__subscription_id=sub,
                    environments__stage__subscription_id=sub, environments__stage__region="eastus2",
                    services__azure_ml=True)
    groups = quota.sharing(config)
    assert groups["dev"] == ("dev", "stage") and groups["prod"] == ("prod",)
    by_label = {n.label: n for n in quota.needs(config, groups["dev"])}
    gpt = by_label["gpt-5.1 DataZoneStandard"]
    assert (gpt.amount, gpt.per_unit, gpt.field, gpt.unit) == (180, 6, "skus.models.0.capacity", "K TPM")
    assert by_label["AI Search standard"].amount == 6
    # dev's AKS (3 projects x 1 B4ms = 12 vCPUs) and stage's (3 x 3 DS13-2_v2 charged 8 = 72 of DSv2)
    assert by_label["standardBSFamily vCPUs"].amount == 12
    assert by_label["standardDSv2Family vCPUs"].amount == 72 + 3 * 3 * 4 + 3 * 2  # + dev's AML cluster and instance


def test_a_short_tpm_quota_offers_the_capacity_that_fits() -> None:
    need = quota.tpm_needs(preset("enterprise-hub-spoke"), ("prod",))[0]
    finding = quota.over_quota(need, quota.Usage(40, 50), "prod")
    assert finding is not None and finding.fix == SetField("skus.models.0.capacity", 3)
    assert finding.message == ("gpt-5.1 DataZoneStandard in swedencentral: prod need 90K TPM (3 project(s) × 30K), "
                               "10K of 50K are free")
    assert quota.over_quota(need, quota.Usage(0, 90), "prod") is None
    none_left = quota.over_quota(need, quota.Usage(49, 50), "prod")
    assert none_left is not None and isinstance(none_left.fix, OpenLink)


def test_bars_from_the_sandbox_usages_turn_red_past_the_quota(live: LiveSession) -> None:
    config = preset("enterprise-hub-spoke")
    readings = read_quotas(live, config)
    assert set(readings) == {"dev", "stage", "prod"} and not readings["prod"].error
    bars = quota.bars(config, readings)
    prod = {b.need.label: b for b in bars["prod"]}
    assert prod["gpt-5.1 DataZoneStandard"].usage == quota.Usage(40, 50) and prod["gpt-5.1 DataZoneStandard"].over
    assert prod["AI Search standard"].over and not prod["text-embedding-3-large GlobalStandard"].over
    assert not any(b.over for b in bars["dev"])
    raised = try_set(config, "skus.models.1.capacity", 400).config
    assert raised is not None  # 3 projects x 400K = 1200K of dev's 1000K
    dev = {b.need.label: b for b in quota.bars(raised, readings)["dev"]}
    assert dev["text-embedding-3-large GlobalStandard"].finding.fix == SetField("skus.models.1.capacity", 333)  # type: ignore[union-attr]


def test_a_reading_of_another_region_counts_as_not_read(live: LiveSession) -> None:
    config = preset("poc-standalone")
    readings = read_quotas(live, config)
    moved = try_set(config, "environments.dev.region", "westeurope").config
    assert moved is not None
    assert all(bar.usage is None and not bar.over for bar in quota.bars(moved, readings)["dev"])
