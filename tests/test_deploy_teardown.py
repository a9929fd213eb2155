"""Destroy after a partial deployment: exactly what the journal recorded creating goes (resource groups,
deployments outside them), the vaults are purged, and nothing else is touched."""

from __future__ import annotations

from pathlib import Path

import deploy_plans
from test_deploy_runner import Cloud, drain

from deploy import teardown
from deploy.journal import find_runs
from sandbox import seed
from sandbox.faults import FaultPlan, ResourceFailure


def test_destroy_removes_what_a_partial_run_recorded_and_purges_its_vaults(tmp_path: Path) -> None:
    cloud = Cloud(FaultPlan(resource_failures=[ResourceFailure("Microsoft.Network/virtualNetworks",
                                                               "RequestDisallowedByPolicy", times=1)]))
    plan = deploy_plans.plan(("dev", "stage"), projects=1)
    events = drain(cloud.start(plan, tmp_path))
    assert events[-1].status == "failed"  # type: ignore[attr-defined]
    before = set(cloud.arm.world.resource_groups)
    runs = find_runs(tmp_path, config_name="hand-made")
    recorded = teardown.recorded(runs)
    assert sorted(g.name for g in recorded.groups) == ["rg-aif-t-dev", "rg-aif-t-stage"]
    # one environment's network failed, so only the other one reached its vault
    assert len(recorded.vaults) == 1 and recorded.vaults[0].name in {"kv-t-dev-001", "kv-t-stage-001"}
    assert sorted(t.name for t in recorded.deployments) == ["aif-dev-common-rg", "aif-stage-common-rg"]
    now = teardown.existing(recorded, cloud.session)
    assert now.to_json() == recorded.to_json()
    lines: list[str] = []
    teardown.execute(now, cloud.session, say=lines.append)
    after = set(cloud.arm.world.resource_groups)
    assert before - after == {f"{seed.AIF_DEV}/rg-aif-t-dev".lower(), f"{seed.AIF_STAGE}/rg-aif-t-stage".lower()}
    assert f"{seed.AIF_DEV}/rg-legacy".lower() in after  # the tenant's own group is not ours to delete
    vault = recorded.vaults[0]
    deleted = {v.name for v in cloud.session.keyvault(vault.subscription_id).vaults.list_deleted()}
    assert vault.name not in deleted and any(line.startswith("purged Key Vault") for line in lines)
    assert teardown.existing(recorded, cloud.session).empty
