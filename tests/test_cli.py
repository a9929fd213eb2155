"""The `aifactory` command through its real console script: output, JSON and exit codes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.conftest import aifactory_bin


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([aifactory_bin(), *args], capture_output=True, text=True, timeout=120, cwd=cwd)


def test_version_and_help() -> None:
    assert run("--version").stdout.startswith("aifactory, version ")
    helptext = run("--help").stdout
    for command in ("presets", "validate", "network", "import", "export"):
        assert command in helptext
    assert "Exit codes" in helptext


def test_presets_list_shows_the_four_builtins() -> None:
    result = run("presets", "list", "--json")
    assert result.returncode == 0
    names = [p["name"] for p in json.loads(result.stdout) if p["source"] == "builtin"]
    assert names == ["enterprise-hub-spoke", "global-vwan", "hybrid-workshop", "poc-standalone"]
    table = run("presets", "list").stdout
    assert "poc-standalone" in table and "builtin" in table


def test_validate_poc_standalone_passes() -> None:
    result = run("validate", "--preset", "poc-standalone", "--json")
    data = json.loads(result.stdout)
    assert result.returncode == 0, data
    assert data["ok"] is True
    assert not [f for f in data["findings"] if f["severity"] == "error"]
    assert set(data["findings"][0]) >= {"severity", "code", "message", "hint", "field", "environment"}


def test_overlapping_environment_ranges_fail_naming_the_field(tmp_path: Path) -> None:
    config = tmp_path / "overlap.yaml"
    config.write_text(
        "landing_zone:\n  mode: hub_spoke\n  hub_vnet_ids:\n"
        + "".join(f"    {e}: /subscriptions/3e4f8b5d-a06c-4db1-8f94-5c3ab17eac44/resourceGroups/rg/providers/"
                  f"Microsoft.Network/virtualNetworks/hub\n" for e in ("dev", "stage", "prod"))
        + "  dns:\n    subscription_id: 3e4f8b5d-a06c-4db1-8f94-5c3ab17eac44\n    resource_group: rg-dns\n"
        "environments:\n  stage:\n    enabled: true\n  prod:\n    enabled: true\n"
    )
    result = run("validate", "--config", str(config), "--json")
    assert result.returncode == 1
    overlaps = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "AIF-NET-OVERLAP"]
    assert overlaps and overlaps[0]["severity"] == "error"
    assert overlaps[0]["field"].startswith(("network.", "environments."))
    human = run("validate", "--config", str(config))
    assert human.returncode == 1 and "AIF-NET-OVERLAP" in human.stdout


def test_a_config_named_after_the_preset_it_extends_loads(tmp_path: Path) -> None:
    """`--config enterprise-hub-spoke.yaml` holding `extends: enterprise-hub-spoke` is no loop."""
    team = tmp_path / "enterprise-hub-spoke.yaml"
    team.write_text("extends: enterprise-hub-spoke\nnaming:\n  prefix: tm-ai-\n")
    result = run("network", "--config", str(team), "--json")
    assert result.returncode == 0, result.stderr
    assert "loop" not in result.stderr
    assert json.loads(result.stdout)["environments"]["prod"]["vnet"] == "172.22.0.0/16"


def test_network_demo_plans_from_the_live_vnets() -> None:
    """aif-prod holds the enterprise-hub-spoke VNet of an earlier run with a jump-box subnet at
    172.22.232.0/24: project 001 keeps its subnets, 002 and 003 are carved after the jump box."""
    result = run("network", "--preset", "enterprise-hub-spoke", "--demo", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    prod = data["environments"]["prod"]
    assert prod["planned_from"]["vnet"] == "vnt-esmlcmn-sdc-prod-001"
    assert [p["subnets"][0]["cidr"] for p in prod["projects"]] == ["172.22.2.0/23", "172.22.234.0/23",
                                                                   "172.22.242.0/23"]
    assert prod["capacity_left"] == 1
    assert data["environments"]["dev"]["planned_from"] is None
    assert any("prod: planned from the live VNet vnt-esmlcmn-sdc-prod-001 (13 subnets)" in n for n in data["notes"])
    assert any(n.startswith("dev: vnt-esmlcmn-eus2-dev-001 does not exist yet") for n in data["notes"])
    human = run("network", "--preset", "enterprise-hub-spoke", "--demo")
    assert "snet-ops-jumpbox" in human.stdout and "planned from the live VNet" in human.stdout


def test_offline_plans_say_they_assume_fresh_vnets() -> None:
    data = json.loads(run("network", "--preset", "poc-standalone", "--json").stdout)
    assert [n for n in data["notes"] if "assumes fresh VNets" in n]
    findings = json.loads(run("validate", "--preset", "poc-standalone", "--offline", "--json").stdout)["findings"]
    [fresh] = [f for f in findings if f["code"] == "AIF-NET-FRESH-VNET"]
    assert fresh["severity"] == "info" and "--demo" in fresh["hint"]


def test_strict_fails_on_warnings() -> None:
    assert run("validate", "--preset", "poc-standalone", "--strict").returncode == 1


def test_network_reproduces_the_worked_numbers() -> None:
    result = run("network", "--config", str(_default_config()), "--json")
    assert result.returncode == 0, result.stderr
    dev = json.loads(result.stdout)["environments"]["dev"]
    subnets = {s["role"]: s["cidr"] for s in dev["projects"][0]["subnets"]}
    assert subnets == {
        "aca": "172.16.62.0/23", "aca2": "172.16.64.0/23", "aks2": "172.16.66.0/24",
        "genai": "172.16.67.0/25", "aks": "172.16.67.128/26", "dbxpub": "172.16.67.192/26",
        "dbxpriv": "172.16.68.0/26", "webapp": "172.16.68.64/27",
    }
    assert dev["capacity_left"] == 23
    table = run("network", "--preset", "poc-standalone").stdout
    assert "172.16.62.0/23" in table and "room for 23 more" in table


def _default_config() -> Path:
    path = Path(__file__).resolve().parent / "corpus" / "default-config.yaml"
    return path


def test_usage_errors_exit_2() -> None:
    both = run("validate", "--preset", "poc-standalone", "--config", "x.yaml")
    assert both.returncode == 2 and "exactly one" in both.stderr
    missing = run("validate", "--preset", "nope")
    assert missing.returncode == 2 and "no preset named 'nope'" in missing.stderr
    assert run("frobnicate").returncode == 2


def test_presets_save_show_diff_delete_path(tmp_path: Path) -> None:
    assert run("presets", "save", "mine", "--preset", "hybrid-workshop").returncode == 0
    assert "mine" in run("presets", "list").stdout
    assert "mode: hybrid" in run("presets", "show", "mine").stdout
    diff = json.loads(run("presets", "diff", "poc-standalone", "mine", "--json").stdout)
    assert any(d["field"] == "landing_zone.mode" for d in diff["differences"])
    defaults_diff = json.loads(run("presets", "diff", "mine", "--json").stdout)
    assert defaults_diff["left"] == "defaults"
    assert run("presets", "save", "mine", "--preset", "poc-standalone").returncode == 2
    folder = Path(run("presets", "path").stdout.strip())
    assert (folder / "mine.yaml").exists()
    deleted = run("presets", "delete", "mine", "--yes")
    assert deleted.returncode == 0 and (folder / "mine.yaml.bak").exists()


def test_export_schema_matches_committed(tmp_path: Path) -> None:
    out = tmp_path / "schema.json"
    assert run("export", "--format", "schema", "-o", str(out)).returncode == 0
    committed = Path(__file__).resolve().parents[1] / "presets" / "factory-config.schema.json"
    assert json.loads(out.read_text()) == json.loads(committed.read_text())


def test_sandbox_serve_answers_on_loopback() -> None:
    """`aifactory sandbox serve` prints where it listens and answers ARM requests there."""
    import urllib.request

    server = subprocess.Popen([aifactory_bin(), "sandbox", "serve", "--fresh"], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        base = first.rsplit(" ", 1)[-1].strip()
        assert base.startswith("http://127.0.0.1:")
        request = urllib.request.Request(f"{base}/subscriptions?api-version=2022-12-01",
                                         headers={"Authorization": "Bearer demo"})
        with urllib.request.urlopen(request, timeout=10) as response:
            names = [s["displayName"] for s in json.load(response)["value"]]
        assert "aif-dev" in names and "legacy-sandbox" in names
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_validate_without_sign_in_says_how() -> None:
    result = run("validate", "--preset", "poc-standalone")
    assert result.returncode == 0
    assert "AIF-LIVE-SKIPPED" in result.stdout and "az login" in result.stdout
