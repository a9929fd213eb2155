"""ARM errors classified by the codes at their leaves, whatever the depth and the HTTP status; the
journal read back after a writer was killed mid-line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deploy.errors import classify, next_suffix
from deploy.journal import Journal, JournalError, load_run, read_lines
from wizard.events import RunFinished, StageFinished
from wizard.findings import SetField


def wrapped(*leaves: dict[str, str], depth: int = 1) -> dict[str, object]:
    """DeploymentFailed -> (ResourceDeploymentFailure -> DeploymentFailed ->) * depth -> leaves."""
    error: dict[str, object] = {"code": "DeploymentFailed", "message": "At least one resource deployment operation "
                                "failed.", "details": list(leaves)}
    for _ in range(depth - 1):
        error = {"code": "DeploymentFailed", "message": "outer", "details": [
            {"code": "ResourceDeploymentFailure", "message": "terminal state Failed", "details": [error]}]}
    return error


@pytest.mark.parametrize("code, kind", [
    ("InsufficientQuota", "quota"), ("SkuNotAvailable", "quota"), ("ServiceQuotaExceeded", "quota"),
    ("ZonalAllocationFailed", "quota"),
    ("MissingSubscriptionRegistration", "registration"), ("AuthorizationFailed", "permission"),
    ("RequestDisallowedByPolicy", "policy"), ("StorageAccountAlreadyTaken", "conflict"),
    ("FlagMustBeSetForRestore", "conflict"), ("InvalidTemplate", "template"),
    ("TooManyRequests", "transient"), ("AnotherOperationInProgress", "transient"),
    ("InternalServerError", "transient"), ("SomethingNobodyKnows", "other"),
])
def test_the_leaf_code_decides_at_any_depth(code: str, kind: str) -> None:
    for depth in (1, 2, 4):
        found = classify(wrapped({"code": code, "message": f"the {code} message"}, depth=depth))
        assert (found.error_class, found.cause.code) == (kind, code)
        assert found.retryable == (kind == "transient")


def test_a_lasting_cause_beats_a_transient_one_and_the_fix_is_typed() -> None:
    found = classify(wrapped({"code": "TooManyRequests", "message": "slow down"},
                             {"code": "InsufficientQuota", "message": "insufficient quota for resource type "
                              "'Microsoft.Search/searchServices'"}, depth=2))
    assert found.error_class == "quota" and not found.retryable
    finding = found.finding(stage_title="dev · project 001 · services", environment="dev",
                            subscription_id="s", scope_id="/subscriptions/s")
    assert finding.code == "AIF-DEPLOY-QUOTA" and "Microsoft.Search/searchServices" in finding.message
    assert finding.fix is not None and finding.fix.kind == "open_link"


def test_a_registration_names_its_namespace_and_a_vault_conflict_its_purge() -> None:
    found = classify({"error": {"code": "MissingSubscriptionRegistration", "message": "The subscription is not "
                                "registered to use namespace 'Microsoft.Search'."}})
    assert found.namespaces == ("Microsoft.Search",)
    fix = found.finding(stage_title="t", environment="stage", subscription_id="sub", scope_id="x").fix
    assert fix is not None and fix.kind == "register_provider" and fix.namespace == "Microsoft.Search"  # type: ignore[union-attr]
    vault = classify(wrapped({"code": "ConflictError", "message": "A vault with the same name already exists in "
                              "deleted state. You need to either recover or purge existing key vault 'kv-aif-dev'."}))
    fix = vault.finding(stage_title="t", environment="dev", subscription_id="s", scope_id="x").fix
    assert vault.error_class == "conflict" and fix is not None
    assert fix.command == "az keyvault purge --name kv-aif-dev"  # type: ignore[union-attr]


def test_a_taken_name_is_fixed_by_the_next_resource_suffix() -> None:
    taken = classify(wrapped({"code": "StorageAccountAlreadyTaken",
                              "message": "The storage account named saprj001 is already taken."}))
    assert taken.error_class == "conflict"
    fix = taken.finding(stage_title="t", environment="dev", subscription_id="s", scope_id="x",
                        suffix=("naming.project_resource_suffix", "-009")).fix
    assert fix == SetField("naming.project_resource_suffix", "-010")
    assert taken.finding(stage_title="t", environment="dev", subscription_id="s", scope_id="x").fix is None
    assert next_suffix("-999") is None and next_suffix("-01") is None and next_suffix("-099") == "-100"


def test_a_journal_cut_short_by_a_killed_writer_is_read_and_mended(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    journal = Journal.create(path, {"run_id": "r1", "config_name": "x"})
    journal.append(StageFinished("dev/a", "succeeded", 1.0))
    with path.open("a") as handle:
        handle.write('{"event": "stage_fini')  # kill -9 in the middle of an append
    records, torn = read_lines(path)
    assert torn and [r["event"] for r in records] == ["journal", "stage_finished"]
    reopened = Journal.reopen(path)
    reopened.append(RunFinished("failed", 2.0, 0, 1, str(path)))
    lines = path.read_text().splitlines()
    assert [json.loads(line)["event"] for line in lines] == ["journal", "stage_finished", "run_finished"]
    assert load_run(path).status == "failed"


def test_a_damaged_journal_is_named(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    path.write_text('{"event": "journal", "run_id": "r"}\nnot json\n{"event": "run_finished"}\n')
    with pytest.raises(JournalError) as caught:
        load_run(path)
    assert "line 2 is not JSON" in str(caught.value)
