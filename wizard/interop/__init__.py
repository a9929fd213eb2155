"""Import and export of the Enterprise Scale AI Factory's own configuration files.

Two formats, one table (keys.py):
* "env" – the GitHub Actions `.env` (from `.env.template`), bash-sourced KEY="value" lines;
* "ado" – the Azure DevOps `variables.yaml`, a `variables:` mapping.

`import_file` turns either into a FactoryConfig and never drops a variable: what the model
does not hold is kept verbatim in `config.aifactory_extra` (canonical key: the .env name, else
the variables.yaml name), so `import → export` gives every value back byte for byte.
`export_env` / `export_ado` return text (the CLI writes files atomically). With a `base`
file, every line of it is kept with its comment and quoting and only values change;
without one, a complete file is generated. Every problem is an InteropError naming the file,
the line and what to do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from wizard.errors import friendly_problems
from wizard.interop.ado_yaml import AdoDocument
from wizard.interop.context import ConversionError
from wizard.interop.convert import config_from_values, secret_keys, values_from_config
from wizard.interop.dotenv import EnvDocument
from wizard.interop.errors import InteropError
from wizard.interop.generate import APPENDED_SECTION, comment_for, generate
from wizard.interop.github import not_uploaded_note, with_workflow_names
from wizard.interop.keys import Format, lookup
from wizard.interop.tagdoc import VarDoc, parse_tag_comment
from wizard.interop.textio import read_config_text
from wizard.model import FactoryConfig

__all__ = [
    "ExportResult",
    "Format",
    "ImportResult",
    "InteropError",
    "VarDoc",
    "detect_format",
    "export_ado",
    "export_env",
    "import_file",
    "parse_tag_comment",
]


@dataclass
class ImportResult:
    """A configuration read from an AI Factory file, and what the user should know about it."""

    config: FactoryConfig
    format: Format
    unknown_keys: list[str]
    """Variables no table row knows; kept in config.aifactory_extra under their own names."""
    notes: list[str]
    docs: dict[str, VarDoc] = field(default_factory=dict)
    """Each variable's tagged comment (title, default, advice), by its name in the file."""


@dataclass
class ExportResult:
    """The text of a .env or variables.yaml, and what it cannot express."""

    text: str
    notes: list[str]


def detect_format(path: str | Path) -> Format:
    """"env" or "ado", from the file name (.env*, *.env, *.yaml, *.yml) or else its content."""
    path = Path(path)
    name = path.name.lower()
    if name.startswith(".env") or name.endswith(".env"):
        return "env"
    if path.suffix.lower() in (".yaml", ".yml"):
        return "ado"
    for line in read_config_text(path).splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if re.match(r"variables\s*:", line):
            return "ado"
        if re.match(r"\s*(export\s+)?[A-Za-z_][A-Za-z0-9_]*=", line):
            return "env"
        break
    raise InteropError(path, None, "cannot tell whether this is a GitHub .env or an Azure DevOps variables.yaml",
                       "name it .env or variables.yaml")


def _parse(fmt: Format, path: Path) -> EnvDocument | AdoDocument:
    text = read_config_text(path)
    return EnvDocument.parse(text, str(path)) if fmt == "env" else AdoDocument.parse(text, str(path))


def import_file(path: str | Path) -> ImportResult:
    """Read an AI Factory .env or variables.yaml into a FactoryConfig."""
    path = Path(path)
    fmt = detect_format(path)
    document = _parse(fmt, path)
    values = document.values()
    try:
        config, notes = config_from_values(values, fmt)
    except ConversionError as exc:
        raise InteropError(path, document.line_numbers().get(exc.key), exc.message, exc.hint) from None
    except ValidationError as exc:  # a rule across settings, checked once they are all in
        raise _rule_error(path, fmt, document.line_numbers(), exc) from None
    refused = set(secret_keys(values))
    unknown = [name for name in values if lookup(fmt, name) is None and name not in refused]
    if unknown:
        notes.append(f"Kept as they are, though the wizard does not know them: {', '.join(unknown)}.")
    return ImportResult(config=config, format=fmt, unknown_keys=unknown, notes=notes, docs=document.docs())


def _rule_error(path: Path, fmt: Format, lines: dict[str, int], exc: ValidationError) -> InteropError:
    """A model rule the file's values break, at the line of the variable that holds the setting."""
    problem = friendly_problems(exc, FactoryConfig)[0]
    for name, line in lines.items():
        row = lookup(fmt, name)
        if row is not None and row[0].path == problem.field:
            return InteropError(path, line, f"{name} ({problem.field}): {problem.message}",
                                f"fix {name} in the file")
    return InteropError(path, None, f"{problem.field}: {problem.message}", "fix that setting in the file")


def _render(document: EnvDocument | AdoDocument, values: dict[str, str]) -> str:
    present = set(document.keys())
    comments = {name: comment_for(name) for name in values if name not in present}
    return document.render(values, comments, APPENDED_SECTION)


def export_env(config: FactoryConfig, base: str | Path | None = None) -> ExportResult:
    """The GitHub .env for this configuration; with `base`, that file with new values."""
    values, notes = values_from_config(config, "env")
    document = _parse("env", Path(base)) if base is not None else None
    values = with_workflow_names(values, document.keys() if document else (), notes)
    text = generate("env", values) if document is None else _render(document, values)
    warning = not_uploaded_note(values)
    return ExportResult(text=text, notes=[*notes, warning] if warning else notes)


def export_ado(config: FactoryConfig, base: str | Path | None = None) -> ExportResult:
    """The Azure DevOps variables.yaml for this configuration; with `base`, that file with new values."""
    values, notes = values_from_config(config, "ado")
    if base is None:
        return ExportResult(text=generate("ado", values), notes=notes)
    return ExportResult(text=_render(_parse("ado", Path(base)), values), notes=notes)
