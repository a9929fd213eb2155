"""Bad AI Factory files: each gives one InteropError naming the file and line, with a fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from wizard.interop import InteropError, export_env, import_file
from wizard.safe_yaml import MAX_EVENTS

CORPUS = Path(__file__).parent / "corpus" / "interop"

BAD = [
    ("unterminated_quote.env", 3, "never closed"),
    ("duplicate_different.env", 3, "AIFACTORY_LOCATION is set again with a different value"),
    ("command_substitution.env", 2, "command substitution"),
    ("backticks.env", 2, "backtick"),
    ("cidr_300.env", 2, "DEV_CIDR_RANGE must be 0-255"),
    ("guid_garbage.env", 3, "DEV_SUBSCRIPTION_ID must be a GUID"),
    ("not_key_value.env", 2, "not KEY=value"),
    ("empty.env", 1, "empty"),
    ("binary_garbage.env", 2, "binary"),
    ("latin1.env", 2, "not UTF-8"),
    ("ado_cidr_out_of_range.yaml", 3, "test_cidr_range must be 0-255"),
    ("billion_laughs.yaml", 2, "anchors and aliases"),
    ("variables_list.yaml", 3, "`variables` is a list"),
    ("nested_value.yaml", 3, "holds a mapping"),
    ("broken_syntax.yaml", None, "not valid YAML"),
    ("no_variables.yaml", 1, "no top-level `variables:`"),
    ("two_documents.yaml", 3, "more than one YAML document"),
]


@pytest.mark.parametrize(("name", "line", "fragment"), BAD, ids=[case[0] for case in BAD])
def test_bad_file_is_refused_with_file_line_and_fix(name: str, line: int | None, fragment: str) -> None:
    path = CORPUS / name
    with pytest.raises(InteropError) as caught:
        import_file(path)
    error = caught.value
    text = str(error)
    assert fragment in error.message
    assert error.path == str(path)
    assert error.hint and text.endswith(error.hint)
    assert error.line is not None
    if line is not None:
        assert error.line == line
    assert text.startswith(f"{path}:{error.line}: ")
    assert "Traceback" not in text


def test_identical_repeats_are_accepted_and_kept_in_place() -> None:
    path = CORPUS / "duplicate_identical.env"
    result = import_file(path)
    assert result.config.naming.common_resource_suffix == "-001"
    result.config.naming.common_resource_suffix = "-002"
    text = export_env(result.config, base=path).text
    assert text.startswith(path.read_text().replace('"-001"', '"-002"'))  # both lines, where they stood


def test_a_missing_file_is_an_interop_error(tmp_path: Path) -> None:
    with pytest.raises(InteropError, match="cannot read"):
        import_file(tmp_path / "absent.env")


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "variables.yaml"
    with path.open("w") as handle:
        handle.write("variables:\n")
        handle.writelines(f"  key{i}: value\n" for i in range(300_000))
    with pytest.raises(InteropError, match="bytes"):
        import_file(path)


def test_too_many_yaml_nodes_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "variables.yaml"
    path.write_text("variables:\n  a: [" + ",".join("1" for _ in range(MAX_EVENTS + 10)) + "]\n")
    with pytest.raises(InteropError, match=f"more than {MAX_EVENTS:,} YAML nodes"):
        import_file(path)
