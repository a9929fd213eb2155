"""Hostile files end in exit 2 with `file:line: what — fix`, through the installed console script.

Each case here once gave a traceback (or hid every other preset from `presets list`). How fast
the refusals come is measured by `make fuzz` (bench/RESULTS.md), not here: tests are not timed.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import aifactory_bin

BUILTINS = 4


def run(*args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([aifactory_bin(), *args], capture_output=True, text=True, timeout=60)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result


def refused(path: Path, line: int | None, *fragments: str, command: tuple[str, ...] = ()) -> str:
    """Run `command --config path` (default: validate --offline); it must exit 2 naming file and line."""
    result = run(*(command or ("validate", "--offline")), "--config", str(path))
    assert result.returncode == 2, result.stdout + result.stderr
    where = f"{path}:{line}: " if line is not None else f"{path}"
    assert where in result.stderr, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    return result.stderr


def user_presets(isolated_dirs: Path) -> Path:
    folder = isolated_dirs / "xdg_config_home" / "aifactory-wizard" / "presets"
    folder.mkdir(parents=True)
    return folder


# ------------------------------------------------------------------------------------ nesting


def test_250_levels_in_a_504_byte_preset_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 250 + "]" * 250 + "\n")
    assert path.stat().st_size < 510
    refused(path, 1, "nests deeper than 32 levels", " — ")


def test_deep_block_nesting_is_refused_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("".join(" " * i + "a:\n" for i in range(600)))
    refused(path, 33, "nests deeper than 32 levels")


def test_490_levels_in_variables_yaml_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "variables.yaml"
    path.write_text("variables:\n  a: " + "[" * 490 + "]" * 490 + "\n")
    refused(path, 2, "nests deeper")


def test_deep_brackets_are_refused_before_parsing(tmp_path: Path) -> None:
    """2 KB of open brackets took 6 s, a 20 KB variables.yaml 59 s and then a traceback."""
    preset = tmp_path / "brackets.yaml"
    preset.write_text("a: " + "[a, " * 512)
    refused(preset, 1, "nests deeper")
    variables = tmp_path / "variables.yaml"
    variables.write_text("variables:\n  a: " + "[a, " * 5_000 + "\n")
    refused(variables, 2, "nests deeper")


def test_brackets_inside_quotes_and_comments_do_not_count(tmp_path: Path) -> None:
    path = tmp_path / "variables.yaml"
    deep = "[" * 100
    path.write_text(f'variables:\n  a: "{deep}" # {deep}\n  b: \'{deep}\'\n')
    result = run("import", str(path))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", [".env", "variables.yaml", "preset.yaml"])
def test_every_reader_refuses_a_file_over_the_size_limit(tmp_path: Path, name: str) -> None:
    from wizard.safe_yaml import MAX_BYTES

    path = tmp_path / name
    path.write_text("# " + "c" * (MAX_BYTES + 1) + "\nA=1\n")
    refused(path, None, f"configuration files are well under {MAX_BYTES:,}")


@pytest.mark.parametrize("version", ["1.0", "1.3", "2.0", "x"])
def test_an_unknown_yaml_version_is_refused(tmp_path: Path, version: str) -> None:
    path = tmp_path / "variables.yaml"
    path.write_text(f"%YAML {version}\n---\nvariables:\n  a: 1\n")
    refused(path, 1, f"declares YAML version '{version}'", "remove the %YAML line")


# ------------------------------------------------------------------------------------ scalars


def test_a_number_over_4300_digits_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("environments:\n  dev:\n    cidr_octet: " + "9" * 4_400 + "\n")
    refused(path, 3, "4,400 characters long", "put it in quotes")


def test_a_huge_hex_number_is_refused_before_a_message_shows_it(tmp_path: Path) -> None:
    path = tmp_path / "hex.yaml"
    path.write_text("environments:\n  dev:\n    cidr_octet: 0x" + "f" * 4_000 + "\n")
    refused(path, 3, "characters long")


@pytest.mark.parametrize(("value", "fragment"), [
    ("!!bool x", "'x' is not a valid !!bool value"),
    ("!!int x", "'x' is not a whole number"),
    ("!!float x", "'x' is not a decimal"),
    ("!!omap x", "the tag !!omap"),
    ("!!binary aGk=", "the tag !!binary"),
    ("!!set {a}", "the tag !!set"),
    ("!custom x", "the tag !custom"),
])
def test_tags_that_cannot_be_read_are_refused(tmp_path: Path, value: str, fragment: str) -> None:
    path = tmp_path / "tagged.yaml"
    path.write_text(f"description: ok\na: {value}\n")
    refused(path, 2, fragment, " — ")


def test_a_date_stays_text(tmp_path: Path) -> None:
    path = tmp_path / "dated.yaml"
    path.write_text("description: 2001-12-14\n")
    result = run("validate", "--offline", "--config", str(path))
    assert result.returncode in (0, 1), result.stderr


# ------------------------------------------------------------------------------------ presets


def test_a_version_0_preset_with_a_bad_landing_zone_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.yaml"
    path.write_text("version: 0\nmode: standalone\nlanding_zone: abc\n")
    refused(path, 3, "landing_zone", "should be a mapping")


def test_a_version_0_preset_still_migrates(tmp_path: Path) -> None:
    path = tmp_path / "old.yaml"
    path.write_text("version: 0\nmode: standalone\nprefix: acme\nnaming:\n  common_resource_suffix: '-002'\n")
    result = run("validate", "--offline", "--config", str(path))
    assert result.returncode in (0, 1), result.stderr
    assert "upgraded from format 0 to 1" in result.stderr


@pytest.mark.parametrize(("text", "line", "fragment"), [
    ("a: " + "[" * 250 + "]" * 250 + "\n", 1, "nests deeper"),
    ("extends: 2001-12-14\n", 1, "no preset named '2001-12-14'"),
    ("description: x\nblob: !!binary aGk=\n", 2, "the tag !!binary"),
    ("description: '[/x] [bold]'\nnaming: {prefix: 12345678901}\n", 2, "naming.prefix"),
    ("version: 0\nlanding_zone: abc\nmode: hub_spoke\n", 2, "landing_zone"),
    ("- a list\n", 1, "must be a mapping"),
], ids=["deep", "extends-date", "binary", "invalid", "version-0", "list"])
def test_one_bad_user_preset_is_listed_with_its_error(isolated_dirs: Path, text: str, line: int,
                                                     fragment: str) -> None:
    folder = user_presets(isolated_dirs)
    (folder / "bad.yaml").write_text(text)
    (folder / "good.yaml").write_text("extends: poc-standalone\ndescription: mine\n")
    result = run("presets", "list", "--json")
    assert result.returncode == 0, result.stderr
    listed = {entry["name"]: entry for entry in json.loads(result.stdout)}
    assert len(listed) == BUILTINS + 2
    assert listed["good"]["error"] is None and listed["good"]["extends"] == "poc-standalone"
    error = listed["bad"]["error"]
    assert error.startswith(f"{folder / 'bad.yaml'}:{line}: ") or f"{folder / 'bad.yaml'}:{line}: " in error
    assert fragment in error
    table = run("presets", "list")
    assert table.returncode == 0, table.stderr
    assert "good" in table.stdout and "bad" in table.stdout and "cannot be used" in table.stdout


def test_markup_in_a_description_is_shown_as_written(isolated_dirs: Path) -> None:
    (user_presets(isolated_dirs) / "marked.yaml").write_text("description: '[/] [red]x'\n")
    result = run("presets", "list")
    assert result.returncode == 0, result.stderr
    assert "[/] [red]x" in result.stdout


# ------------------------------------------------------------------------------------ network


def test_network_refuses_a_template_that_gives_no_range(tmp_path: Path) -> None:
    path = tmp_path / "net.yaml"
    path.write_text("description: x\nnetwork:\n  vnet_cidr: 10.0.0.0/0\n")
    for command in (("network",), ("validate", "--offline")):  # the same answer from both
        refused(path, 3, "network.vnet_cidr", "host bits", command=command)


def test_network_names_the_line_of_an_imported_env(tmp_path: Path) -> None:
    path = tmp_path / "net.env"
    path.write_text('AIFACTORY_LOCATION="westeurope"\nCOMMON_VNET_CIDR="10.0.0.0/0"\n')
    refused(path, 2, "COMMON_VNET_CIDR (network.vnet_cidr)", "host bits", " — fix COMMON_VNET_CIDR",
            command=("network",))


# ------------------------------------------------------------------------------------ ADO


@pytest.mark.parametrize("character", ["\x07", "\x1b", "\x7f", "\ufffe"])
def test_an_unacceptable_character_in_variables_yaml_has_its_line(tmp_path: Path, character: str) -> None:
    path = tmp_path / "variables.yaml"
    path.write_text(f"variables:\n  a: x\n  b: y{character}\n")
    refused(path, 3, f"U+{ord(character):04X}", " — ")


def test_an_explicit_key_without_a_value_in_variables_yaml(tmp_path: Path) -> None:
    path = tmp_path / "variables.yaml"
    path.write_text("variables:\n  ? a\n")
    result = run("import", str(path))
    assert result.returncode == 0, result.stderr
