"""`aifactory names` through the installed console script: table, JSON, filters and exit codes.

Expected names are the bicep's for the same inputs; see tests/test_names_bicep.py for each
expression worked out (salt ywfe4, AIFACTORY_SALT_RANDOM a1b2c3d4e5, eastus2, project 001).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import aifactory_bin


def run(*args: str, columns: int = 80) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": str(columns)}
    return subprocess.run([aifactory_bin(), *args], capture_output=True, text=True, timeout=120, env=env)


def names_json(*args: str) -> tuple[int, dict[str, Any]]:
    result = run("names", *args, "--json")
    return result.returncode, json.loads(result.stdout)


def rows(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["name"]: row for row in data["names"]}


ADDS = """\
version: 1
naming: {salt: ywfe4}
environments:
  stage: {enabled: true, region: westeurope}
services: {azure_ml: true, aks: true}
aifactory_extra:
  AIFACTORY_SALT_RANDOM: a1b2c3d4e5
  ADD_AI_FOUNDRY: "true"
  ADD_AI_SEARCH: "true"
  ADD_AZURE_MACHINE_LEARNING: "true"
"""


def test_help_lists_names() -> None:
    assert "names" in run("--help").stdout
    assert "--env" in run("names", "--help").stdout


def test_builtin_preset_json_rows_carry_type_and_limit() -> None:
    code, data = names_json("--preset", "poc-standalone")
    assert code == 0 and data["ok"] is True
    [dev] = data["environments"]
    assert dev["environment"] == "dev" and dev["salt_provisional"] is True
    salt = dev["salt5"]
    by_name = rows(data)
    foundry = by_name[f"aif2{salt}xxx001dev"]  # 12-character base: aif2 + salt5 + 3 random
    assert foundry["resource_type"] == "Microsoft.CognitiveServices/accounts"
    assert foundry["random_part"] is True and foundry["max_length"] == 64
    vault = by_name[f"kv-p001-eus2-dev-{salt}01"]
    assert (vault["length"], vault["max_length"], vault["ok"]) == (24, 24, True)
    assert {row["environment"] for row in data["names"]} == {"dev"}
    assert any("AIFACTORY_SALT_RANDOM is not set" in note for note in data["notes"])


def test_add_flags_and_both_aks_clusters_per_environment(tmp_path: Path) -> None:
    config = tmp_path / "adds.yaml"
    config.write_text(ADDS)
    code, data = names_json("--config", str(config))
    assert code == 0
    by_name = rows(data)
    for name in ("aif21a1b2c3d001dev", "aisearchprj001eus2devywfe4a1b2c3d4e5a1001", "aml-001-eus2-dev-ywfe4a1-001",
                 "aks001-eus2-dev", "esml001-eus2-dev", "aif21a1b2c3d001test", "aks001-weu-test"):
        assert name in by_name, name
    assert by_name["aks001-eus2-dev"]["project"] == "001"
    code, stage = names_json("--config", str(config), "--env", "test")
    assert code == 0 and {row["environment"] for row in stage["names"]} == {"stage"}
    human = run("names", "--config", str(config), "--env", "stage", columns=200)
    assert human.returncode == 0
    assert "aif21a1b2c3d001test" in human.stdout and "Microsoft.ContainerService/managedClusters" in human.stdout
    assert "✓ all" in human.stdout


def test_a_name_over_the_limit_is_marked_and_fails(tmp_path: Path) -> None:
    # eastus2 in prod: 'kv-p001-eus2-prod-ywfe401' is 25 characters, Key Vault takes 24, and so
    # are the two storage accounts 'saprj001eus2ywfe4{1,2}001prod' (storage takes 24).
    config = tmp_path / "prod.yaml"
    config.write_text("version: 1\nnaming: {salt: ywfe4}\nenvironments:\n  prod: {enabled: true}\n")
    code, data = names_json("--config", str(config), "--env", "prod")
    assert code == 1 and data["ok"] is False
    vault = rows(data)["kv-p001-eus2-prod-ywfe401"]
    assert (vault["length"], vault["max_length"], vault["ok"]) == (25, 24, False)
    assert "shorten it by 1" in vault["problem"]
    assert vault["hint"] == "shorten environments.prod.region_short so every name fits"
    wide = run("names", "--config", str(config), "--env", "prod", columns=200)
    assert wide.returncode == 1
    assert "25/24 (+1)" in wide.stdout and "3 name(s) break Azure's rules" in wide.stdout
    assert "[prod] saprj001eus2ywfe41001prod: → shorten environments.prod.region_short" in wide.stdout
    narrow = run("names", "--config", str(config), "--env", "prod")
    assert "✗ kv-p001-eus2-prod-ywfe401" in narrow.stdout and "25/24 (+1)" in narrow.stdout


def test_env_that_is_not_enabled_is_refused_with_the_way_out() -> None:
    result = run("names", "--preset", "poc-standalone", "--env", "prod")
    assert result.returncode == 2
    assert "prod is not enabled in poc-standalone" in result.stderr
    assert "environments.prod.enabled: true" in result.stderr
    assert "Traceback" not in result.stderr


def test_random_salt_with_underscore_from_an_env_file(reference: Path, tmp_path: Path) -> None:
    """The AI Factory's own .env, with AIFACTORY_SALT_RANDOM holding `_`: bicep keeps it in the
    AI Search and Foundry names (it removes only `-`), so Azure refuses both."""
    template = (reference / "aifactory/github-actions/.env.template").read_text()
    text = template.replace('AIFACTORY_SALT_RANDOM="<10>"', 'AIFACTORY_SALT_RANDOM="a1_b2c3d4e"')
    text = text.replace('AIFACTORY_SALT=', 'AIFACTORY_SALT="ywfe4" #', 1)
    assert 'AIFACTORY_SALT_RANDOM="a1_b2c3d4e"' in text
    env_file = tmp_path / ".env"
    env_file.write_text(text)
    code, data = names_json("--config", str(env_file))
    assert code == 1
    bad = {row["name"]: row for row in data["names"] if not row["ok"]}
    # aisearch + prj001 + eus2 + dev + salt + 'a1_b2c3d4e' + 001 (only '-' removed)
    search = next(row for name, row in bad.items() if name.startswith("aisearchprj001eus2dev"))
    assert search["name"].endswith("a1_b2c3d4e001")
    assert search["field"] == "aifactory_extra.AIFACTORY_SALT_RANDOM"
    assert "keeping '_'" in search["hint"] and "e.g. a1b2c3d4e0" in search["hint"]
    assert any(name.startswith("aif2") and "a1_" in name for name in bad)


def test_add_ai_search_from_azure_devops_variables(reference: Path, tmp_path: Path) -> None:
    """variables.yaml's `addAISearch` and `aifactory_salt_random` reach the AI Search name."""
    text = (reference / "aifactory/azure-devops/variables.yaml").read_text()
    text = text.replace('  addAISearch: "false"', '  addAISearch: "true"', 1)
    text = text.replace('  aifactory_salt_random: ""', '  aifactory_salt_random: "a1b2c3d4e5"', 1)
    path = tmp_path / "variables.yaml"
    path.write_text(text)
    code, data = names_json("--config", str(path), "--env", "dev")
    assert code in (0, 1)
    search = [row["name"] for row in data["names"] if row["kind"] == "search"]
    assert search and all(name.endswith("a1b2c3d4e5a1001") for name in search)


@pytest.mark.parametrize("args", [("--preset", "nope"), ()])
def test_bad_source_exits_2(args: tuple[str, ...]) -> None:
    result = run("names", *args)
    assert result.returncode == 2 and "error:" in result.stderr and "Traceback" not in result.stderr
