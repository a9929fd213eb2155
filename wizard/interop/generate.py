"""A complete .env or variables.yaml written from scratch, with our own comments.

Used when the user has no base file. Every variable of the table appears, in section order,
with the configuration's value or the row's default, and a one-line comment taken from the
table or the model field's description (never the AI Factory template's own wording, which
is third-party text). Variables the table does not know come last, as they were imported.
"""

from __future__ import annotations

from wizard.interop.ado_yaml import double_quoted
from wizard.interop.dotenv import quote_value
from wizard.interop.errors import InteropError
from wizard.interop.keys import SECTIONS, TABLE, Format, lookup, title

APPENDED_SECTION = "Added by aifactory-wizard: variables this file did not have"

_ENV_HEADER = (
    "# Enterprise Scale AI Factory settings for GitHub Actions, written by aifactory-wizard.",
    "# Bash reads this file (source .env): one KEY=\"value\" per line, no spaces around '='.",
)
_ADO_HEADER = (
    "# Enterprise Scale AI Factory settings for the Azure DevOps pipelines, written by aifactory-wizard.",
)


def comment_for(name: str) -> str:
    """Our one-line comment for a variable, by its name in either file."""
    found = lookup("env", name) or lookup("ado", name)
    if found is None:
        return "kept from the imported file"
    var = found[0]
    label = title(var)
    return f"{label} (the name the GitHub workflows read)" if name == var.workflow else label


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


def generate(fmt: Format, values: dict[str, str]) -> str:
    """The whole file for `values` (names as in that format)."""
    lines = list(_ENV_HEADER if fmt == "env" else (*_ADO_HEADER, "variables:"))
    written: set[str] = set()
    for section, heading in SECTIONS.items():
        rows = [var for var in TABLE if var.section == section and var.name(fmt)]
        if not rows:
            continue
        lines += ["", _heading(fmt, heading)]
        for var in rows:
            names = [var.name(fmt), var.workflow if fmt == "env" else None]
            for name in filter(None, names):
                lines.append(_line(fmt, name, values.get(name, var.default), comment_for(name)))
                written.add(name)
    others = [name for name in values if name not in written]
    if others:
        lines += ["", _heading(fmt, "Other variables, kept from the imported file")]
        lines += [_line(fmt, name, values[name], "") for name in others]
    return "\n".join(lines) + "\n"
