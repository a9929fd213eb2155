"""A complete .env or variables.yaml written from scratch, with our own comments.

Used when the user has no base file. Every variable of the table appears, in section order,
with the configuration's value or the row's default; a .env gets every spelling a consumer
reads. Each line's comment starts with the template's tag, <mandatory> or <optional>:
preflight.sh takes a `<todo>` as blocking only on a <mandatory> line. The words after the tag
are ours, from the table or the model field's description (never the AI Factory template's own
wording, which is third-party text). Variables the table does not know come last, as they were
imported. The hand-work block (handwork.py), if any, follows the header.
"""

from __future__ import annotations

from wizard.interop.ado_yaml import double_quoted
from wizard.interop.dotenv import quote_value
from wizard.interop.errors import InteropError
from wizard.interop.keys import SECTIONS, TABLE, Format, is_mandatory, lookup, title

APPENDED_SECTION = "Added by aifactory-wizard: variables this file did not have"

_ENV_HEADER = (
    "# Enterprise Scale AI Factory settings for GitHub Actions, written by aifactory-wizard.",
    "# Bash reads this file (source .env): one KEY=\"value\" per line, no spaces around '='.",
)
_ADO_HEADER = (
    "# Enterprise Scale AI Factory settings for the Azure DevOps pipelines, written by aifactory-wizard.",
)


def comment_for(fmt: Format, name: str) -> str:
    """Our one-line comment for a variable, by its name in a file of format `fmt`, with its tag."""
    tag = "<mandatory>" if is_mandatory(fmt, name) else "<optional>"
    found = lookup(fmt, name)
    if found is None:
        return f"{tag}kept from the imported file"
    var = found[0]
    label = title(var)
    if name == var.workflow:
        return f"{tag}{label} (the name the GitHub workflows read)"
    if name in var.aliases:
        return f"{tag}{label} (the same, as {name}: another program reads this name)"
    return f"{tag}{label}"


def _line(fmt: Format, name: str, value: str, comment: str) -> str:
    tail = f" # {comment}" if comment else ""
    if fmt == "ado":
        return f"  {name}: {double_quoted(value)}{tail}"
    try:
        quoted = quote_value(value, '"')
        return f"{name}={quoted}{tail}"
    except ValueError as exc:
        raise InteropError("<export>", None, f"{name}: {exc}",
                           "remove the line break from the value in the wizard") from None


def _heading(fmt: Format, text: str) -> str:
    return f"  # --- {text} ---" if fmt == "ado" else f"# --- {text} ---"


def generate(fmt: Format, values: dict[str, str], preamble: str = "") -> str:
    """The whole file for `values` (names as in that format); `preamble` (comment lines) goes
    right after the header."""
    header = _ENV_HEADER if fmt == "env" else _ADO_HEADER
    lines = [*header, *([preamble.rstrip("\n")] if preamble else []), *([] if fmt == "env" else ["variables:"])]
    written: set[str] = set()
    for section, heading in SECTIONS.items():
        rows = [var for var in TABLE if var.section == section and var.name(fmt)]
        if not rows:
            continue
        lines += ["", _heading(fmt, heading)]
        for var in rows:
            main = var.name(fmt)
            assert main is not None
            for name in (main, *(var.spellings() if fmt == "env" else ())):
                lines.append(_line(fmt, name, values.get(name, var.default), comment_for(fmt, name)))
                written.add(name)
    others = [name for name in values if name not in written]
    if others:
        lines += ["", _heading(fmt, "Other variables, kept from the imported file")]
        lines += [_line(fmt, name, values[name], "") for name in others]
    return "\n".join(lines) + "\n"
