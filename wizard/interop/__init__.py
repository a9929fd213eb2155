"""Import and export of the Enterprise Scale AI Factory's own configuration files.

Two formats, one table (keys.py):
* "env" – the GitHub Actions `.env` (from `.env.template`), bash-sourced KEY="value" lines;
* "ado" – the Azure DevOps `variables.yaml`, a `variables:` mapping.

`import_file` turns either into a FactoryConfig and never drops a variable: what the model
does not hold is kept verbatim in `config.aifactory_extra` (canonical key: the .env name, else
the variables.yaml name), so `import → export` gives every value back byte for byte.
`export_env` / `export_ado` return text (the CLI writes files atomically). With a `base`
file, every line of it is kept with its comment and quoting and only values change;
without one, a complete file is generated. What the file cannot carry (per-environment values,
variables the GitHub uploader skips) comes back as notes and as a comment block in the file
(handwork.py). No secret is ever written (wizard.secrets): one the configuration holds is
left out, one the base file holds is written empty, each with a note. Every problem is an
InteropError naming the file, the line and what to do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from wizard.errors import friendly_problems
from wizard.interop.ado_yaml import AdoDocument
from wizard.interop.context import ConversionError, reason
from wizard.interop.convert import config_from_values, values_from_config
from wizard.interop.dotenv import EnvDocument
from wizard.interop.errors import InteropError
from wizard.interop.generate import APPENDED_SECTION, comment_for, generate
from wizard.interop.github import with_spellings
from wizard.interop.handwork import Section, block, read_block, sections_for, with_block
from wizard.interop.keys import Format, lookup
from wizard.interop.per_environment import restore
from wizard.interop.tagdoc import VarDoc, parse_tag_comment
from wizard.interop.textio import read_config_text
from wizard.model import FactoryConfig
from wizard.safe_yaml import MAX_BYTES
from wizard.secrets import scrub

__all__ = [
    "ExportResult",
    "Format",
    "ImportResult",
    "InteropError",
    "Section",
    "VarDoc",
    "detect_format",
    "export_ado",
    "export_env",
    "handwork",
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


def _parse(fmt: Format, text: str, path: Path) -> EnvDocument | AdoDocument:
    return EnvDocument.parse(text, str(path)) if fmt == "env" else AdoDocument.parse(text, str(path))


def import_file(path: str | Path) -> ImportResult:
    """Read an AI Factory .env or variables.yaml into a FactoryConfig."""
    path = Path(path)
    fmt = detect_format(path)
    text = read_config_text(path)
    document = _parse(fmt, text, path)
    values = document.values()
    try:
        config, notes = config_from_values(values, fmt)
    except ConversionError as exc:
        raise InteropError(path, document.line_numbers().get(exc.key), exc.message, exc.hint) from None
    except ValidationError as exc:  # a rule across settings, checked once they are all in
        raise _rule_error(path, fmt, document.line_numbers(), exc) from None
    for line, override in read_block(text, fmt):
        try:
            restore(config, override, notes)
        except ValueError as exc:
            message = f"{override.key} for {override.env} {reason(exc)} (found {override.value!r})"
            hint = "correct or delete this line of the aifactory-wizard block"
            raise InteropError(path, line, message, hint) from None
    unknown = [name for name in values if lookup(fmt, name) is None and name in config.aifactory_extra]
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


def _render(fmt: Format, document: EnvDocument | AdoDocument, values: dict[str, str]) -> str:
    present = set(document.keys())
    comments = {name: comment_for(fmt, name) for name in values if name not in present}
    return document.render(values, comments, APPENDED_SECTION)


def _without_secrets(values: dict[str, str], document: EnvDocument | AdoDocument | None,
                     notes: list[str]) -> dict[str, str]:
    """`values` without secrets, and an empty value for each secret the base file holds that
    nothing replaces, so that the written copy holds none; a note names each one."""
    kept, dropped = scrub(values)
    in_base = scrub(document.values())[1] if document is not None else []
    blanked = {secret.where for secret in in_base if secret.where not in kept}
    kept.update((key, "") for key in sorted(blanked))
    reported: set[str] = set()
    for secret in (*dropped, *in_base):
        if secret.where not in reported:
            reported.add(secret.where)
            action = "not written (the variable is left empty)" if secret.where in blanked else "not written"
            notes.append(secret.note(action))
    return kept


def _result(text: str, notes: list[str], fmt: Format) -> ExportResult:
    """The export, unless it is too big for the importer to read back (what we write, we read)."""
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        name = ".env" if fmt == "env" else "variables.yaml"
        raise InteropError("<export>", None, f"the {name} would be {size:,} bytes, over the {MAX_BYTES:,} "
                           "that import reads back", "shorten the longest variables kept from an imported file")
    return ExportResult(text=text, notes=notes)


def _export(fmt: Format, config: FactoryConfig, base: str | Path | None) -> ExportResult:
    values, overrides, notes = values_from_config(config, fmt)
    base_text = read_config_text(Path(base)) if base is not None else ""
    document = _parse(fmt, base_text, Path(base)) if base is not None else None
    values = _without_secrets(values, document, notes)
    complete = with_spellings(values, None) if fmt == "env" else values
    sections = sections_for(fmt, complete, overrides)
    if document is None:
        text = generate(fmt, complete, block(sections))
    else:
        written = with_spellings(values, document.values()) if fmt == "env" else values
        text = with_block(_render(fmt, document, written), sections, base_text)
    return _result(text, [*notes, *(section.note() for section in sections)], fmt)


def handwork(config: FactoryConfig, fmt: Format) -> list[Section]:
    """What an export of `config` in `fmt` leaves to do by hand (the notes and the file's comment
    block say the same): variables the GitHub uploader never sends, per-environment values."""
    values, overrides, _ = values_from_config(config, fmt)
    kept, _ = scrub(values)
    return sections_for(fmt, with_spellings(kept, None) if fmt == "env" else kept, overrides)


def export_env(config: FactoryConfig, base: str | Path | None = None) -> ExportResult:
    """The GitHub .env for this configuration; with `base`, that file with new values."""
    return _export("env", config, base)


def export_ado(config: FactoryConfig, base: str | Path | None = None) -> ExportResult:
    """The Azure DevOps variables.yaml for this configuration; with `base`, that file with new values."""
    return _export("ado", config, base)
