"""Offline findings that carry a SetField fix: applying it through try_set resolves them."""

from __future__ import annotations

import pytest

from wizard.edit import try_set
from wizard.findings import SetField
from wizard.model import FactoryConfig
from wizard.rules import run_rules

BROKEN = {
    "AIF-SEARCH-FREE-PE": {"skus": {"ai_search_tier": "free", "semantic_tier": "disabled"}},
    "AIF-SEARCH-SEMANTIC": {"skus": {"ai_search_tier": "free", "semantic_tier": "standard"}},
    "AIF-CAPHOST-COSMOS": {"services": {"foundry_caphost": True, "cosmos_db": False}},
    "AIF-ACR-PREMIUM": {"skus": {"acr_sku": "Basic"}},
    "AIF-CMK-PURGE": {"security": {"cmk": True, "cmk_key_name": "k", "keyvault_purge_protection": False}},
    "AIF-HYBRID-BASTION": {"landing_zone": {"mode": "hybrid", "access_paths": ["bastion"]},
                           "access": {"bastion": False}},
}


@pytest.mark.parametrize("code", sorted(BROKEN))
def test_applying_the_fix_resolves_the_finding(code: str) -> None:
    config = FactoryConfig.model_validate(BROKEN[code])
    finding = next(f for f in run_rules(config) if f.code == code)
    assert isinstance(finding.fix, SetField), finding
    edit = try_set(config, finding.fix.field, finding.fix.value)
    assert edit.config is not None, edit.problems
    assert code not in {f.code for f in run_rules(edit.config)}


def test_incremental_offline_rules_equal_a_full_run() -> None:
    """OfflineRules re-runs only what a change reads, and always agrees with run_rules."""
    from wizard.rules import OfflineRules

    config = FactoryConfig.model_validate(BROKEN["AIF-HYBRID-BASTION"])
    rules = OfflineRules(config)
    assert rules.findings == run_rules(config)
    for path, value in [("access.bastion", True), ("environments.dev.region", "nowhere"),
                        ("environments.dev.cidr_octet", 62), ("projects.0.name", "x"), ("skus.acr_sku", "Basic"),
                        ("naming.prefix", "longpfx-x-"), ("services.databricks", True)]:
        edit = try_set(config, path, value)
        assert edit.config is not None, edit.problems
        config = edit.config
        assert rules.update(config) == run_rules(config), path
