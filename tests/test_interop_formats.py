"""The two file formats on their own: parsing, in-place rewriting, and the tagged comments."""

from __future__ import annotations

import pytest

from wizard.interop import InteropError, parse_tag_comment
from wizard.interop.ado_yaml import AdoDocument, double_quoted
from wizard.interop.dotenv import EnvDocument, quote_value

# --------------------------------------------------------------------------- .env


def test_env_reads_bash_quoting_as_bash_does() -> None:
    text = (
        "# heading\n"
        "\n"
        'A="plain" # <optional>Title<default>x\n'
        "export B='{\"k\":\"$(not run)\"}'\n"
        'C="a \\"quoted\\" \\$HOME \\\\ \\n"\n'
        "D=unquoted#kept # comment\n"
        "E=\n"
        "   # indented comment\n"
    )
    document = EnvDocument.parse(text, "x.env")
    assert document.values() == {
        "A": "plain",
        "B": '{"k":"$(not run)"}',
        "C": 'a "quoted" $HOME \\ \\n',
        "D": "unquoted#kept",
        "E": "",
    }
    assert document.line_numbers()["B"] == 4
    assert document.docs()["A"].title == "Title"
    assert document.render(document.values(), {}, "s") == text


@pytest.mark.parametrize(("line", "fragment"), [
    ('A="$(id)"', "command substitution"),
    ('A="`id`"', "backtick"),
    ('A="${HOME}"', "variable expansion"),
    ('A="$HOME/x"', "variable expansion"),
    ("A=$(id)", "outside quotes"),
    ("A=a;b", "treats specially"),
    ('A="x"y', "unexpected text"),
    ('A="x"# no space', "unexpected text"),
    ("A='open", "never closed"),
    ("just words", "not KEY=value"),
    ("A B=1", "not KEY=value"),
])
def test_env_refuses_what_bash_would_misread(line: str, fragment: str) -> None:
    with pytest.raises(InteropError) as caught:
        EnvDocument.parse(f"OK=1\n{line}\n", "bad.env")
    assert caught.value.line == 2
    assert fragment in caught.value.message


def test_env_keeps_crlf_bom_and_a_missing_final_newline() -> None:
    text = '\ufeffA="1"\r\nB="2" # two\r\nC="3"'
    document = EnvDocument.parse(text, "x.env")
    assert document.values() == {"A": "1", "B": "2", "C": "3"}
    assert document.render(document.values(), {}, "s") == text
    rendered = document.render({"B": "two", "D": "4"}, {"D": "new"}, "added")
    assert rendered == '\ufeffA="1"\r\nB="two" # two\r\nC="3"\r\n\r\n# --- added ---\r\nD="4" # new\r\n'


def test_env_render_keeps_each_line_style() -> None:
    document = EnvDocument.parse("A='x' # a\nB=plain\nC=\"q\"\n", "x.env")
    out = document.render({"A": "it's", "B": "has space", "C": 'say "hi" $x'}, {}, "s")
    assert out == 'A="it\'s" # a\nB="has space"\nC="say \\"hi\\" \\$x"\n'
    assert EnvDocument.parse(out, "y.env").values() == {"A": "it's", "B": "has space", "C": 'say "hi" $x'}


@pytest.mark.parametrize("value", ["", "plain", "it's", 'a"b', "$(x)", "`x`", "a\\b", "  spaced  ", "ü € #"])
@pytest.mark.parametrize("quote", ['"', "'", ""])
def test_quote_value_reads_back(value: str, quote: str) -> None:
    document = EnvDocument.parse(f"K={quote_value(value, quote)}\n", "x.env")
    assert document.values() == {"K": value}


def test_quote_value_refuses_line_breaks() -> None:
    with pytest.raises(ValueError, match="line break"):
        quote_value("a\nb", '"')


# --------------------------------------------------------------------------- variables.yaml

YAML = """\
# heading
variables:
  # a comment line
  a: "x" # <mandatory>Title A<default>x
  b: 7 # plain int
  c: 'single'
  d:
  e: plain text
  f: |
    block
  g: 1.20
other: kept
"""


def test_yaml_reads_values_as_written() -> None:
    document = AdoDocument.parse(YAML, "v.yaml")
    assert document.values() == {"a": "x", "b": "7", "c": "single", "d": "", "e": "plain text",
                                 "f": "block\n", "g": "1.20"}
    assert document.line_numbers()["b"] == 5
    assert document.docs()["a"].mandatory is True
    assert document.render(document.values(), {}, "s") == YAML


def test_yaml_render_changes_values_in_place_and_appends_before_later_keys() -> None:
    document = AdoDocument.parse(YAML, "v.yaml")
    out = document.render({"a": 'new "one"', "b": "90", "c": "it's", "d": "now", "e": "true", "f": "x",
                           "g": "<todo>", "z": "added"}, {"z": "our comment"}, "added")
    assert out.splitlines()[3:13] == [
        '  a: "new \\"one\\"" # <mandatory>Title A<default>x',
        "  b: 90 # plain int",
        "  c: 'it''s'",
        "  d: now",
        "  e: true",
        '  f: "x"',
        '  g: "<todo>"',
        "  # --- added ---",
        '  z: "added" # our comment',
        "other: kept",
    ]
    assert AdoDocument.parse(out, "w.yaml").values()["e"] == "true"


def test_yaml_appends_at_the_end_when_variables_is_last() -> None:
    text = "variables:\n  a: 1\n# trailing comment without newline"
    out = AdoDocument.parse(text, "v.yaml").render({"b": "2"}, {}, "added")
    assert out == text + '\n  # --- added ---\n  b: "2"\n'


@pytest.mark.parametrize("value", ["", "plain", "it's", "a\nb", "tab\there", "\x85\u2028", "null", "~", "#x",
                                   "- item", "{json: 1}", "ü€", "\x00\x07", '"\\'])
def test_double_quoted_reads_back(value: str) -> None:
    assert AdoDocument.parse(f"variables:\n  k: {double_quoted(value)}\n", "v.yaml").values() == {"k": value}


@pytest.mark.parametrize(("text", "fragment"), [
    ("variables:\n  a: &x 1\n  b: *x\n", "anchors and aliases"),
    ("variables:\n  a: 1\n  a: 2\n", "set twice"),
    ("variables: 3\n", "not a mapping"),
    ("variables:\n  a: [1, 2]\n", "holds a list"),
    ("variables:\n", "not a mapping"),
    ("variables: {}\n", "holds no variables"),
    ("- a\n- b\n", "no top-level"),
])
def test_yaml_refuses_what_it_cannot_hold(text: str, fragment: str) -> None:
    with pytest.raises(InteropError) as caught:
        AdoDocument.parse(text, "v.yaml")
    assert fragment in caught.value.message
    assert caught.value.line is not None


# --------------------------------------------------------------------------- tagged comments


def test_tag_comment_grammar() -> None:
    doc = parse_tag_comment(" <optional>Hub DNS subscription ID<default><todo>_SubscriptionID<mandatory> if "
                            "CENTRAL_DNS_ZONE_BY_POLICY_IN_HUB:'true' <ensure> Hub connectivity subscription ID.")
    assert doc.mandatory is False
    assert doc.title == "Hub DNS subscription ID"
    assert doc.default == "<todo>_SubscriptionID"
    assert doc.notes == (("mandatory", "if CENTRAL_DNS_ZONE_BY_POLICY_IN_HUB:'true'"),
                         ("ensure", "Hub connectivity subscription ID."))
    region = parse_tag_comment("<mandatory>Azure region<default>eastus2 Main Azure region for AI Factory.")
    assert (region.default, region.notes) == ("eastus2", (("", "Main Azure region for AI Factory."),))
    assert parse_tag_comment("<optional>x<default>''<keep-as-is>").default == ""
    plain = parse_tag_comment("Leave empty, 5 characters.")
    assert (plain.mandatory, plain.title, plain.default) == (None, "Leave empty, 5 characters.", None)
    assert parse_tag_comment("<keep-as-is> DEPRECATED.").notes == (("keep-as-is", "DEPRECATED."),)


def test_yaml_keeps_crlf() -> None:
    text = 'variables:\r\n  a: "1" # one\r\n  b: 2\r\n'
    document = AdoDocument.parse(text, "v.yaml")
    assert document.render(document.values(), {}, "s") == text
    assert document.render({"a": "x", "c": "3"}, {}, "added") == (
        'variables:\r\n  a: "x" # one\r\n  b: 2\r\n  # --- added ---\r\n  c: "3"\r\n')
