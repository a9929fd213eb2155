"""`aifactory plan` and `aifactory export --format arm` through the real console script."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.conftest import aifactory_bin


def run(*args: str, state: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "120"}
    if state is not None:
        env["XDG_STATE_HOME"] = str(state)
    return subprocess.run([aifactory_bin(), *args], capture_output=True, text=True, timeout=120, env=env)


def test_plan_lists_stages_and_resources_per_environment() -> None:
    result = run("plan", "--preset", "enterprise-hub-spoke", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [e["environment"] for e in data["environments"]] == ["dev", "stage", "prod"]
    assert data["totals"]["stages"] == sum(len(e["stages"]) for e in data["environments"])
    first = data["environments"][0]["stages"][0]
    assert (first["id"], first["deployment_name"], first["scope"]["resource_group"]) == (
        "dev/common-rg", "esml-cmn-deveus2-001-DeplRG", None)
    assert first["resources"] == [  # the preset asks for Defender for AI at subscription level
        {"type": "Microsoft.Resources/resourceGroups", "name": "cto-ai-esml-common-eus2-dev-001",
         "api_version": "2025-04-01"},
        {"type": "Microsoft.Security/pricings", "name": "AI", "api_version": "2024-01-01"}]
    assert any("no subscription yet" in note for note in data["notes"])
    builtin = Path(__file__).resolve().parents[1] / "presets" / "builtin" / "enterprise-hub-spoke.yaml"
    from_file = json.loads(run("plan", "--config", str(builtin), "--json").stdout)
    assert from_file["fingerprint"] == data["fingerprint"]
    human = run("plan", "--preset", "poc-standalone")
    assert human.returncode == 0
    for text in ("poc-standalone: 10 stages, 95 resources", "prj001/69-aif-a",
                 "esml-p001-dev-eus2--001-001PrjDepl-69-aif-a", "aif2"):
        assert text in human.stdout, text


def test_plan_what_if_against_a_fresh_demo_sandbox(tmp_path: Path) -> None:
    result = run("plan", "--preset", "poc-standalone", "--demo", "--what-if", "--fresh", "--json", state=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["what_if"]["counts"] == {"Create": data["totals"]["resources"]}
    assert data["what_if"]["fingerprint"] == data["fingerprint"]
    changes = {r["change"] for e in data["environments"] for s in e["stages"] for r in s["resources"]}
    assert changes == {"Create"}
    assert not any("no subscription yet" in note for note in data["notes"])
    assert not (tmp_path / "aifactory-wizard").exists()  # --fresh leaves the saved demo alone
    human = run("plan", "--preset", "poc-standalone", "--demo", "--what-if", "--fresh", state=tmp_path)
    assert "what-if: 95 Create" in human.stdout and "+ Create" in human.stdout


def test_plan_refuses_options_that_do_not_go_together() -> None:
    result = run("plan", "--preset", "poc-standalone", "--fresh")
    assert result.returncode == 2 and "--fresh only applies to --demo --what-if" in result.stderr
    assert run("plan").returncode == 2


def test_export_arm_writes_one_template_per_stage_and_a_manifest(tmp_path: Path) -> None:
    out = tmp_path / "arm"
    result = run("export", "--format", "arm", "--preset", "hybrid-workshop", "-o", str(out))
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted([s["file"] for s in manifest["stages"]] + ["manifest.json"])
    assert [s["order"] for s in manifest["stages"]] == list(range(1, len(manifest["stages"]) + 1))
    assert manifest["stages"][0]["file"] == "01-dev-common-rg.json"
    assert manifest["stages"][0]["az"] == (
        "az deployment sub create --location westeurope --subscription 00000000-0000-0000-0000-000000000000 "
        "--name esml-cmn-devweu-001-DeplRG --template-file 01-dev-common-rg.json")
    assert manifest["stages"][1]["az"].startswith(
        "az deployment group create --resource-group wks-ai-esml-common-weu-dev-001 ")
    seen: set[str] = set()
    for stage in manifest["stages"]:
        assert set(stage["depends_on"]) <= seen  # the order deploys what each needs first
        seen.add(stage["id"])
        template = json.loads((out / stage["file"]).read_text())
        assert template["contentVersion"] == "1.0.0.0" and template["resources"]
    plan = json.loads(run("plan", "--preset", "hybrid-workshop", "--json").stdout)
    assert manifest["fingerprint"] == plan["fingerprint"]
    killed = tmp_path / ".arm.99999999.abcdefgh.tmp"  # what a killed export leaves: its writer is gone
    killed.mkdir()
    (killed / "01-dev-common-rg.json").write_text("{")
    again = run("export", "--format", "arm", "--preset", "poc-standalone", "-o", str(out))
    assert again.returncode == 0 and "previous export kept as arm.bak" in again.stderr
    assert json.loads((out / "manifest.json").read_text())["configuration"] == "poc-standalone"
    assert json.loads((tmp_path / "arm.bak" / "manifest.json").read_text())["configuration"] == "hybrid-workshop"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_export_arm_never_replaces_a_folder_it_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    result = run("export", "--format", "arm", "--preset", "poc-standalone", "-o", str(tmp_path))
    assert result.returncode == 2
    assert "was not written by this command" in result.stderr and "Traceback" not in result.stderr
    assert (tmp_path / "notes.txt").read_text() == "mine"
    missing = run("export", "--format", "arm", "--preset", "poc-standalone")
    assert missing.returncode == 2 and "-o DIR" in missing.stderr
