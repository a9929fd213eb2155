"""RunProgress: a run's events folded into what the dashboard draws, and the ETA it learns."""

from __future__ import annotations

from deploy.progress import RunProgress
from wizard.events import (
    ResourceProgress,
    RunFinished,
    RunStarted,
    StageFinished,
    StageInfo,
    StageStarted,
)
from wizard.findings import Finding

KV, SEARCH = "Microsoft.KeyVault/vaults", "Microsoft.Search/searchServices"


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _started() -> RunStarted:
    stages = (
        StageInfo("dev/common", "dev", None, "common_services", "dev · common services", "d1", "/s",
                  resources=((KV, "kv-common"),)),
        StageInfo("dev/prj001/services", "dev", "001", "project_services", "dev · project 001 · services", "d2",
                  "/s", depends_on=("dev/common",), resources=((KV, "kv-p001"), (SEARCH, "srch-p001"))),
        StageInfo("dev/prj001/rbac", "dev", "001", "project_rbac", "dev · project 001 · roles", "d3", "/s",
                  depends_on=("dev/prj001/services",), resources=()),
    )
    return RunStarted("r1", "fp", stages, "/tmp/j")


def test_the_eta_is_unknown_until_a_resource_finished_then_follows_the_longest_chain() -> None:
    clock = Clock()
    progress = RunProgress(clock)
    progress.apply(_started())
    assert progress.remaining() is None
    progress.apply(StageStarted("dev/common", "d1", "https://portal/d1"))
    clock.now += 20
    changed = progress.apply(ResourceProgress("dev/common", KV, "kv-common", "Succeeded", 20.0))
    assert changed == ("dev/common",)
    progress.apply(StageFinished("dev/common", "succeeded", 21.0))
    # nothing about Search has been seen yet: it is expected to take what the run has seen (20 s)
    assert progress.remaining() == 20.0
    progress.apply(StageStarted("dev/prj001/services", "d2", "https://portal/d2"))
    progress.apply(ResourceProgress("dev/prj001/services", SEARCH, "srch-p001", "Running", 5.0))
    assert progress.remaining() == 20.0  # the vault is not even accepted yet: 20 s to go
    progress.apply(ResourceProgress("dev/prj001/services", KV, "kv-p001", "Running", 1.0))
    clock.now += 5
    assert progress.remaining() == 14.0  # the vault 20 - (1 + 5), the search 20 - (5 + 5)
    assert progress.counts() == (1, 3)


def test_a_failure_and_its_retry() -> None:
    clock = Clock()
    progress = RunProgress(clock)
    progress.apply(_started())
    progress.apply(StageStarted("dev/common", "d1", "u"))
    progress.apply(StageFinished("dev/common", "succeeded", 1.0))
    progress.apply(StageStarted("dev/prj001/services", "d2", "u"))
    progress.apply(ResourceProgress("dev/prj001/services", KV, "kv-p001", "Succeeded", 3.0))
    progress.apply(ResourceProgress("dev/prj001/services", SEARCH, "srch-p001", "Failed", 4.0))
    quota = Finding("error", "InsufficientQuota", "no quota", hint="request quota")
    progress.apply(StageFinished("dev/prj001/services", "failed", 4.0, quota, "quota"))
    progress.apply(StageFinished("dev/prj001/rbac", "blocked"))
    progress.apply(RunFinished("failed", 9.0, 1, 1, "/tmp/j"))
    assert [s.id for s in progress.failed()] == ["dev/prj001/services"]
    assert progress.remaining() == 0.0
    changed = progress.apply(StageStarted("dev/prj001/services", "d2", "u", attempt=2))
    assert set(changed) == {"dev/prj001/services", "dev/prj001/rbac"}
    stage = progress.stages["dev/prj001/services"]
    assert stage.failure is None and stage.attempt == 2
    assert [r.state for r in stage.resources.values()] == ["Succeeded", "Pending"]
    assert progress.stages["dev/prj001/rbac"].status == "pending"


def test_an_extension_resource_reported_under_its_short_name_is_the_planned_one() -> None:
    settings = "Microsoft.Insights/diagnosticSettings"
    stages = (StageInfo("dev/common", "dev", None, "common_services", "dev · common services", "d1", "/s",
                        resources=((KV, "kv-a"), (KV, "kv-b"), (settings, "kv-a/to-log-analytics"),
                                   (settings, "kv-b/to-log-analytics"))),)
    progress = RunProgress(Clock())
    progress.apply(RunStarted("r1", "fp", stages, "/tmp/j"))
    vault_b = "/subscriptions/s/resourceGroups/g/providers/Microsoft.KeyVault/vaults/kv-b"
    progress.apply(ResourceProgress("dev/common", settings, "to-log-analytics", "Succeeded", 2.0,
                                    resource_id=f"{vault_b}/providers/{settings}/to-log-analytics"))
    stage = progress.stages["dev/common"]
    assert len(stage.resources) == 4  # no fifth row for the short name
    assert stage.resources[(settings, "kv-b/to-log-analytics")].state == "Succeeded"
    assert stage.resources[(settings, "kv-a/to-log-analytics")].state == "Pending"
    assert progress.counts() == (1, 4)
