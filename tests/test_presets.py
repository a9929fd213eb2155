"""The preset store: built-ins, the user's own, extends, migration, atomic saves and backups."""

from __future__ import annotations

from pathlib import Path

import pytest

from presets.store import PresetError, PresetStore, diff_configs, render_preset
from wizard.atomic_file import atomic_write
from wizard.model import FactoryConfig

BUILTINS = ["enterprise-hub-spoke", "global-vwan", "hybrid-workshop", "poc-standalone"]


@pytest.fixture
def store(tmp_path: Path) -> PresetStore:
    return PresetStore(tmp_path / "presets")


def test_builtins_are_listed_and_load(store: PresetStore) -> None:
    assert [p.name for p in store.list()] == BUILTINS
    modes = {name: store.load(name).config.mode for name in BUILTINS}
    assert modes == {"enterprise-hub-spoke": "hub_spoke", "global-vwan": "vwan",
                     "hybrid-workshop": "hybrid", "poc-standalone": "standalone"}
    enterprise = store.load("enterprise-hub-spoke").config
    assert [name for name, _ in enterprise.environments.enabled()] == ["dev", "stage", "prod"]
    assert enterprise.access.is_private_only


@pytest.mark.parametrize("name", BUILTINS)
def test_render_then_reload_is_identical(store: PresetStore, name: str) -> None:
    config = store.load(name).config
    store.save("copy", config, overwrite=True)
    assert store.load("copy").config == config


def test_save_extends_writes_only_the_difference(store: PresetStore) -> None:
    base = store.load("enterprise-hub-spoke").config
    changed = base.model_copy(update={"naming": base.naming.model_copy(update={"prefix": "fab-ai-"})})
    path, backup, _ = store.save("fabrikam", changed, extends="enterprise-hub-spoke")
    text = path.read_text()
    assert "extends: enterprise-hub-spoke" in text and "prefix: fab-ai-" in text
    assert "hub_vnet_ids" not in text
    assert backup is None
    assert store.load("fabrikam").config == changed


def test_overwrite_keeps_one_backup_and_refuses_without_force(store: PresetStore) -> None:
    config = store.load("poc-standalone").config
    path, _, _ = store.save("mine", config)
    first = path.read_text()
    with pytest.raises(PresetError, match="--force"):
        store.save("mine", config)
    other = config.model_copy(update={"description": "second"})
    _, backup, _ = store.save("mine", other, overwrite=True)
    assert backup is not None and backup.read_text() == first
    assert store.load("mine").config.description == "second"


def test_builtin_names_are_protected(store: PresetStore) -> None:
    with pytest.raises(PresetError, match="built-in"):
        store.save("poc-standalone", FactoryConfig())
    with pytest.raises(PresetError, match="built-in"):
        store.delete("poc-standalone")


def test_delete_keeps_a_backup(store: PresetStore) -> None:
    path, _, _ = store.save("gone", FactoryConfig())
    backup = store.delete("gone")
    assert not path.exists() and backup.exists()
    assert "gone" not in [p.name for p in store.list()]


def test_secrets_are_never_saved(store: PresetStore) -> None:
    config = FactoryConfig(aifactory_extra={"ADMIN_PASSWORD": "hunter2", "AZURE_CREDENTIALS": "{...}",
                                            "COMMON_SERVICE_PRINCIPAL_KV_S_NAME_SECRET": "esml-sp-secret"})
    path, _, notes = store.save("secretive", config)
    text = path.read_text()
    assert "hunter2" not in text and "AZURE_CREDENTIALS" not in text
    assert "esml-sp-secret" in text
    assert any("ADMIN_PASSWORD" in note for note in notes)


def test_migrates_version_0(store: PresetStore) -> None:
    store.user_dir.mkdir(parents=True)
    (store.user_dir / "old.yaml").write_text(
        "version: 0\nmode: hybrid\nprefix: old-\nenvironments:\n  dev:\n    address_space: 10.0.0.0/16\n"
        "access:\n  ip_allow_list: [203.0.113.9]\n  enable_public_genai_access: true\n"
    )
    loaded = store.load("old")
    assert loaded.config.mode == "hybrid" and loaded.config.naming.prefix == "old-"
    assert any("upgraded from format 0 to 1" in note for note in loaded.notes)


def test_extends_loop_through_two_presets(store: PresetStore) -> None:
    store.user_dir.mkdir(parents=True)
    (store.user_dir / "a.yaml").write_text("extends: b\n")
    (store.user_dir / "b.yaml").write_text("extends: a\n")
    with pytest.raises(PresetError, match="loop"):
        store.load("a")


def test_a_preset_extending_itself_is_a_loop(store: PresetStore) -> None:
    store.user_dir.mkdir(parents=True)
    (store.user_dir / "mine.yaml").write_text("extends: mine\n")
    with pytest.raises(PresetError, match=r"loop \(mine -> mine\)"):
        store.load("mine")


def test_a_file_named_after_the_preset_it_extends_is_no_loop(store: PresetStore, tmp_path: Path) -> None:
    """The most natural name for a team's variant of enterprise-hub-spoke is enterprise-hub-spoke.yaml."""
    team = tmp_path / "team" / "enterprise-hub-spoke.yaml"
    team.parent.mkdir()
    team.write_text("extends: enterprise-hub-spoke\nnaming:\n  prefix: tm-ai-\n")
    loaded = store.load_file(team)
    builtin = store.load("enterprise-hub-spoke").config
    assert loaded.config.naming.prefix == "tm-ai-"
    assert loaded.config.landing_zone == builtin.landing_zone


def test_a_file_extending_its_own_name_that_is_no_preset_says_so(store: PresetStore, tmp_path: Path) -> None:
    lone = tmp_path / "lone.yaml"
    lone.write_text("extends: lone\n")
    with pytest.raises(PresetError, match=r"no preset named 'lone'.*never by file name"):
        store.load_file(lone)


def test_diff_lists_changed_settings(store: PresetStore) -> None:
    diffs = {d.field for d in diff_configs(store.load("poc-standalone").config,
                                          store.load("hybrid-workshop").config)}
    assert {"landing_zone.mode", "access.bastion", "environments.dev.region"} <= diffs


def test_atomic_write_leaves_old_file_when_interrupted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "x.yaml"
    target.write_text("old\n")

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", boom)
    with pytest.raises(OSError):
        atomic_write(target, "new\n")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["x.yaml"]


def test_rendered_preset_points_at_the_schema() -> None:
    text = render_preset(FactoryConfig())
    assert text.startswith("$schema: file://") and "factory-config.schema.json" in text
