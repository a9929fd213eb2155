"""A .env means what bash makes of it: the AI Factory `source`s the file (03a, preflight.sh).

Each value is checked against bash itself: what we export must source back to exactly the
value, what we import must be what bash sees, and what bash would expand (`$$`, `$?`, `$1`,
`${…}`, `$(…)`, …) is refused with the file, the line, the key and the line to write instead.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import aifactory_bin
from wizard.interop import InteropError, export_env, import_file
from wizard.model import FactoryConfig

TRICKY = {
    "WIZ_PID": "p$$w0rd",
    "WIZ_STATUS": "exit $? code",
    "WIZ_COUNT": "$#items",
    "WIZ_ARG": "$1 and $@ and $*",
    "WIZ_BRACES": "${HOME}/x",
    "WIZ_NAME": "$HOME",
    "WIZ_COMMAND": "$(id) and `id`",
    "WIZ_ARITHMETIC": "$[1+1]",
    "WIZ_FLAGS": "$- $!",
    "WIZ_DOLLAR": "costs 5$ or $",
    "WIZ_BACKSLASH": "C:\\path\\to\\",
    "WIZ_QUOTES": "say \"hi\" and it's",
    "WIZ_SHELL": "a;b|c&d<e>f (g) ~h *i* ?j [k] #l !m",
    "WIZ_SPACES": "  two  spaces  ",
    "WIZ_TAB": "tab\there",
    "WIZ_UNICODE": "ünïcødé € 中文",
    "TAG_REPOSITORY": "repo$$-`x`",
}
"""Values bash would change if they were written carelessly (unknown keys and a known one)."""


@pytest.fixture
def bash() -> str:
    path = shutil.which("bash")
    if path is None:
        pytest.skip("bash is not installed; the AI Factory sources its .env with bash")
    return path


def sourced(bash: str, path: Path, keys: list[str]) -> dict[str, str]:
    """What bash holds for `keys` after `set -a; source path`, as 03a does; fails on any bash error."""
    script = 'set -a; source "$1" || exit 9; shift; for k in "$@"; do printf "%s\\0" "${!k}"; done'
    done = subprocess.run([bash, "-c", script, "_", str(path), *keys], capture_output=True, check=False)
    assert done.returncode == 0 and done.stderr == b"", done.stderr.decode()
    return dict(zip(keys, done.stdout.decode().split("\0")[:-1], strict=True))


def test_exported_values_source_back_to_exactly_themselves(bash: str, tmp_path: Path) -> None:
    config = tmp_path / "tricky.yaml"
    config.write_text(yaml.safe_dump({"version": 1, "aifactory_extra": TRICKY}, allow_unicode=True))
    out = tmp_path / ".env"
    done = subprocess.run([aifactory_bin(), "export", "--format", "env", "--config", str(config), "-o", str(out)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert sourced(bash, out, list(TRICKY)) == TRICKY
    again = import_file(out).config.aifactory_extra
    assert {key: again[key] for key in TRICKY} == TRICKY


def test_a_base_file_keeps_its_quoting_where_bash_reads_the_same(bash: str, tmp_path: Path) -> None:
    base = tmp_path / ".env"
    base.write_text("SINGLE='x' # single quotes\nPLAIN=x\nDOUBLE=\"x\"\n")
    config = import_file(base).config
    wanted = {"SINGLE": "it's $$", "PLAIN": "a b$1", "DOUBLE": "$(id)\\"}
    config.aifactory_extra.update(wanted)
    base.write_text(export_env(config, base=base).text)
    assert sourced(bash, base, list(wanted)) == wanted
    assert base.read_text().splitlines()[0].endswith(" # single quotes")


@pytest.mark.parametrize("line", [
    'K="cost$"', 'K="a$ b"', 'K="50%$/x"', 'K="x\\$y"', "K='$$ and $(id)'", 'K="back\\\\slash"',
    'K="keep \\\\n"', "K=plain-value_1.2:3@4", 'K="tab\there"', 'K="say \\"hi\\""',
])
def test_what_is_imported_is_what_bash_sees(bash: str, tmp_path: Path, line: str) -> None:
    path = tmp_path / ".env"
    path.write_text(line + "\n")
    assert import_file(path).config.aifactory_extra["K"] == sourced(bash, path, ["K"])["K"]


@pytest.mark.parametrize(("value", "construct"), [
    ("p$$w0rd", "$$"), ("x$?", "$?"), ("$#", "$#"), ("$!", "$!"), ("a$-", "$-"), ("$@", "$@"), ("$*", "$*"),
    ("$1", "$1"), ("$[1+1]", "$[ … ]"), ("${HOME}", "${…"), ("$HOME", "$H…"), ("$(id)", "$( … )"), ("`id`", "backtick"),
])
def test_what_bash_would_expand_is_refused_with_the_line_to_write(bash: str, tmp_path: Path, value: str,
                                                                  construct: str) -> None:
    path = tmp_path / ".env"
    path.write_text(f'FIRST="ok"\nWIZ_VALUE="{value}"\n')
    with pytest.raises(InteropError) as caught:
        import_file(path)
    error = caught.value
    assert error.line == 2
    assert error.message.startswith("WIZ_VALUE: the value holds") and construct in error.message
    suggested = error.hint.rsplit("write ", 1)[1]
    path.write_text(suggested + "\n")
    assert sourced(bash, path, ["WIZ_VALUE"]) == {"WIZ_VALUE": value}
    assert import_file(path).config.aifactory_extra["WIZ_VALUE"] == value


def test_the_cli_names_file_line_key_and_fix(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text('AIFACTORY_PREFIX="acme-"\nTAG_REPOSITORY="repo-$$"\n')
    done = subprocess.run([aifactory_bin(), "export", "--format", "ado", "--config", str(path)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert f"{path}:2: TAG_REPOSITORY: the value holds $$" in done.stderr
    assert "write TAG_REPOSITORY='repo-$$'" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_config_value_with_a_line_break_is_refused_not_half_written() -> None:
    config = FactoryConfig.model_validate({"aifactory_extra": {"WIZ_BROKEN": "one\ntwo"}})
    with pytest.raises(InteropError) as caught:
        export_env(config)
    assert "WIZ_BROKEN" in str(caught.value)
