"""Property: any text in a string variable survives export → import, in both formats."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from wizard.interop import export_ado, export_env, import_file
from wizard.model import FactoryConfig

# A .env value must stay on one line (bash would need a multi-line quote); YAML takes anything.
ENV_TEXT = st.text(st.characters(blacklist_characters="\n\r\x00", blacklist_categories=("Cs",)), max_size=40)
YAML_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)

UNMODELLED = {"env": "TAG_REPOSITORY", "ado": "tag_repository"}
UNKNOWN = "MY_OWN_SETTING"

BASE_ENV = 'TAG_REPOSITORY="aifactory" # a comment\nVNET_NAME_BASE=vnt-esmlcmn\nTAGS=\'{"a":"b"}\'\n'
BASE_ADO = 'variables:\n  tag_repository: aifactory # a comment\n  vnetNameBase: "vnt-esmlcmn"\n  tags: \'{}\'\n'


def _config(text: str) -> FactoryConfig:
    config = FactoryConfig()
    config.naming.vnet_name_base = text  # a modelled free-text field
    config.aifactory_extra = {"TAG_REPOSITORY": text, "TAGS": text, UNKNOWN: text}
    return config


def _round_trip(config: FactoryConfig, fmt: str, base: str | None) -> FactoryConfig:
    with tempfile.TemporaryDirectory() as folder:
        name = ".env" if fmt == "env" else "variables.yaml"
        base_path = None
        if base is not None:
            base_path = Path(folder) / f"base{name}"
            base_path.write_text(base)
        exporter = export_env if fmt == "env" else export_ado
        target = Path(folder) / name
        target.write_text(exporter(config, base=base_path).text)
        return import_file(target).config


def _check(text: str, fmt: str, base: str | None) -> None:
    again = _round_trip(_config(text), fmt, base)
    assert again.naming.vnet_name_base == text
    assert again.aifactory_extra["TAG_REPOSITORY"] == text
    assert again.aifactory_extra["TAGS"] == text
    assert again.aifactory_extra[UNKNOWN] == text


@settings(max_examples=60, deadline=None)
@given(ENV_TEXT, st.booleans())
def test_any_single_line_text_survives_the_env_file(text: str, with_base: bool) -> None:
    _check(text, "env", BASE_ENV if with_base else None)


@settings(max_examples=60, deadline=None)
@given(YAML_TEXT, st.booleans())
def test_any_text_survives_variables_yaml(text: str, with_base: bool) -> None:
    _check(text, "ado", BASE_ADO if with_base else None)
