"""Round trips against the AI Factory's real v1.24 files (read from ../shared, never copied here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wizard.interop import export_ado, export_env, import_file
from wizard.interop.ado_yaml import AdoDocument
from wizard.interop.dotenv import EnvDocument
from wizard.interop.keys import by_key, lookup
from wizard.model import FactoryConfig

REFERENCE = Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "aifactory"


def _reference(relative: str) -> Path:
    path = REFERENCE / relative
    if not path.is_file():
        pytest.skip(f"AI Factory reference file not found at {path} (it lives beside the project in ../shared)")
    return path


@pytest.fixture
def env_template() -> Path:
    return _reference("github-actions/.env.template")


@pytest.fixture
def ado_variables() -> Path:
    return _reference("azure-devops/variables.yaml")


def _modelled(config: FactoryConfig) -> dict[str, object]:
    return config.model_dump(exclude={"aifactory_extra"})


def test_every_variable_of_both_files_is_in_the_table(env_template: Path, ado_variables: Path) -> None:
    env_keys = EnvDocument.parse(env_template.read_text(), "env").keys()
    ado_keys = AdoDocument.parse(ado_variables.read_text(), "ado").keys()
    assert [key for key in env_keys if lookup("env", key) is None] == []
    assert [key for key in ado_keys if lookup("ado", key) is None] == []
    assert import_file(env_template).unknown_keys == []
    assert import_file(ado_variables).unknown_keys == []


def test_env_template_exports_onto_itself_byte_for_byte(env_template: Path) -> None:
    """Nothing changed, so nothing is added: the names the workflows read are named in the notes."""
    original = env_template.read_text()
    result = export_env(import_file(env_template).config, base=env_template)
    assert result.text == original
    notes = "\n".join(result.notes)
    assert "gh variable set COMMON_LAKE_NAME_PREFIX_MAX8CHARS --body xxxyyy" in notes


def test_an_env_edit_adds_the_other_spellings_of_what_changed(env_template: Path, tmp_path: Path) -> None:
    config = import_file(env_template).config
    config.naming.lake_prefix = "acmelake"
    result = export_env(config, base=env_template)
    before = set(EnvDocument.parse(env_template.read_text(), "before").keys())
    after = EnvDocument.parse(result.text, "after")
    keys = after.keys()
    added = [name for name in keys if name not in before]
    assert added == ["COMMON_LAKE_NAME_PREFIX_MAX8CHARS"]
    assert after.values()["LAKE_PREFIX"] == after.values()["COMMON_LAKE_NAME_PREFIX_MAX8CHARS"] == "acmelake"
    exported = tmp_path / ".env"
    exported.write_text(result.text)
    again = import_file(exported)
    assert again.config == config
    assert export_env(again.config, base=exported).text == result.text


def test_variables_yaml_exports_onto_itself_byte_for_byte(ado_variables: Path) -> None:
    original = ado_variables.read_text()
    result = export_ado(import_file(ado_variables).config, base=ado_variables)

    assert result.text == original
    before = AdoDocument.parse(original, "before")
    after = AdoDocument.parse(result.text, "after")
    assert after.keys() == before.keys()
    assert after.values() == before.values()
    written = set(result.text.splitlines())
    assert [line for line in original.splitlines() if line.lstrip().startswith("#") and line not in written] == []


@pytest.mark.parametrize(("source", "names"), [
    ("github-actions/.env.template", {"DEV_CIDR_RANGE", "ADMIN_AISEARCH_TIER", "ADMIN_AI_SEARCH_TIER"}),
    ("azure-devops/variables.yaml", {"dev_cidr_range", "admin_aiSearchTier"}),
])
def test_an_edit_changes_only_its_own_lines(source: str, names: set[str]) -> None:
    path = _reference(source)
    config = import_file(path).config
    config.environments.dev.cidr_octet = 70
    config.skus.ai_search_tier = "standard"
    export = export_env if source.startswith("github") else export_ado
    original = path.read_text().splitlines()
    changed = export(config, base=path).text.splitlines()[: len(original)]
    diff = [(old, new) for old, new in zip(original, changed, strict=True) if old != new]
    assert {old.strip().split("=")[0].split(":")[0] for old, _ in diff} == names
    for old, new in diff:
        assert old.split("#", 1)[1] == new.split("#", 1)[1]  # the comment survives
        assert ('"70"' in new) != ('"standard"' in new)


@pytest.mark.parametrize("fmt", ["env", "ado"])
@pytest.mark.parametrize("source", ["github-actions/.env.template", "azure-devops/variables.yaml"])
def test_export_without_base_imports_to_an_equal_config(source: str, fmt: str, tmp_path: Path) -> None:
    imported = import_file(_reference(source))
    exporter = export_env if fmt == "env" else export_ado
    target = tmp_path / (".env" if fmt == "env" else "variables.yaml")
    target.write_text(exporter(imported.config).text)
    again = import_file(target).config
    # a generated file writes every variable: those the source lacked come back as their defaults
    added = {key: var.default for key in again.aifactory_extra
             if key not in imported.config.aifactory_extra and (var := by_key(key)) is not None}
    assert {key: again.aifactory_extra[key] for key in added} == added
    for key in added:
        del again.aifactory_extra[key]
    if imported.format == fmt:
        assert again.model_dump() == imported.config.model_dump()
    else:  # across formats: the modelled fields, and every variable both files have
        assert _modelled(again) == _modelled(imported.config)
        shared = {key for key in imported.config.aifactory_extra
                  if (var := by_key(key)) is not None and var.env and var.ado}
        assert {key: again.aifactory_extra.get(key) for key in shared} == {
            key: imported.config.aifactory_extra[key] for key in shared}


def test_reference_imports_read_what_the_files_say(env_template: Path, ado_variables: Path) -> None:
    github = import_file(env_template)
    devops = import_file(ado_variables)
    assert github.format == "env" and devops.format == "ado"
    for result in (github, devops):
        config = result.config
        assert config.mode == "standalone"
        assert [env.cidr_octet for _, env in config.environments_all()] == [61, 62, 63]
        assert config.environments.stage.compute.aks_node_sku == "Standard_DS13-2_v2"
        assert config.environments.dev.compute.aks_node_count == 1
        assert [(m.model, m.sku, m.capacity) for m in config.skus.models] == [
            ("gpt-5.1", "DataZoneStandard", 30), ("text-embedding-3-large", "Standard", 25)]
        assert config.services.agent_network_injection is True
        assert config.security.keyvault_soft_delete_days == 7
    assert github.config.naming.prefix == "acme-ai"
    assert devops.config.naming.prefix == "mrvel-1-"
    assert devops.config.environments.stage.network_env == "tst2-"
    assert github.docs["TENANT_ID"].title == "Azure tenant ID"
    assert github.docs["TENANT_ID"].mandatory is True
    assert devops.docs["admin_location"].default == "eastus2"
