"""Turning pydantic's developer messages into sentences a user can act on.

Pydantic says `string_too_long` at `naming.prefix`; a user needs "naming.prefix is 40
characters long; at most 10 are allowed". Every message names the field, what is wrong and what
would be right, and, when the value came from a file, the line it stood on.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError


def render_user_error(message: str, hint: str = "", where: str = "") -> str:
    """The one shape of every message a user can act on: `where: what — fix`."""
    head = f"{where}: " if where else ""
    return f"{head}{message}" + (f" — {hint}" if hint else "")


class UserError(Exception):
    """Base of every error a user can fix: what is wrong, what would be right, and where.

    Front ends catch this one class: the CLI prints `error: where: what — fix` and exits 2, the
    TUI shows it in a notification or beside the field, and never a traceback.
    """

    def __init__(self, message: str, hint: str = "", where: str = "") -> None:
        self.message = message
        """What is wrong, in one sentence naming the thing."""
        self.hint = hint
        """What would be right, or what to do."""
        self.where = where
        """The file (and line) or dotted field the error is about; empty when none."""
        super().__init__(message)

    def __str__(self) -> str:
        return render_user_error(self.message, self.hint, self.where)


class FieldValueError(ValueError):
    """A rule on a whole model that belongs to one of its fields.

    Raised from a `model_validator`, pydantic would report it at the model's own path; this
    carries the field too, so every problem names its full dotted path.
    """

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One invalid value in a configuration."""

    field: str
    """Dotted path of the value, e.g. `environments.dev.cidr_octet`."""
    message: str
    """What is wrong and what would be right, as one sentence."""
    line: int | None = None
    """Line in the source file, when known."""

    def render(self, path: str | None = None) -> str:
        """`file:line: field: message`, leaving out what is unknown."""
        where = path or ""
        if where and self.line:
            where = f"{where}:{self.line}"
        head = f"{where}: " if where else ""
        return f"{head}{self.field}: {self.message}" if self.field else f"{head}{self.message}"


class ConfigError(UserError):
    """A configuration that cannot be used as given; carries every problem found."""

    def __init__(self, path: str | None, problems: Sequence[FieldProblem]) -> None:
        self.path = path
        self.problems = list(problems)
        super().__init__("\n".join(p.render(path) for p in self.problems))


def _dotted(loc: Sequence[int | str]) -> str:
    """pydantic's loc tuple as a dotted path, leaving out union-branch tags."""
    parts = [str(p) for p in loc if not (isinstance(p, str) and p in _UNION_TAGS)]
    return ".".join(parts)


_UNION_TAGS = {"standalone", "hub_spoke", "vwan", "hybrid", "function-after", "function-before"}


def _parent_model(model: type[BaseModel], loc: Sequence[int | str]) -> type[BaseModel] | None:
    """The model class that holds the last element of `loc`, for hints and descriptions."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int) or current is None:
            continue
        fields = getattr(current, "model_fields", None)
        if fields is None:
            return None
        if part in _UNION_TAGS:
            current = _zone_model(part)
            continue
        info = fields.get(part)
        if info is None:
            return None
        current = _inner_model(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _zone_model(tag: str) -> type[BaseModel] | None:
    from wizard import model

    zones: dict[str, type[BaseModel]] = {
        "standalone": model.StandaloneZone,
        "hub_spoke": model.HubSpokeZone,
        "vwan": model.VwanZone,
        "hybrid": model.HybridZone,
    }
    return zones.get(tag)


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    """The BaseModel inside an annotation such as `list[ProjectConfig]` or `X | None`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _sentence(error: Mapping[str, Any], parent: type[BaseModel] | None) -> str:
    """One pydantic error dict as a user sentence."""
    fields = parent.model_fields if parent is not None else {}
    known = list(fields)
    last = error["loc"][-1] if error["loc"] else ""
    info = fields.get(last) if isinstance(last, str) else None
    description = info.description if info is not None and info.description else ""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    shown = repr(value) if not isinstance(value, (dict, list)) else "this value"
    if kind == "missing":
        return "is required but missing"
    if kind == "extra_forbidden":
        name = str(error["loc"][-1])
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else (
            f"; known settings here: {', '.join(known)}" if known else ""
        )
        return f"is not a known setting{hint}"
    if kind == "string_too_long":
        return f"is {len(str(value))} characters long; at most {ctx.get('max_length')} are allowed"
    if kind == "string_too_short":
        return f"is too short; at least {ctx.get('min_length')} characters are needed"
    if kind == "string_pattern_mismatch":
        expected = description or f"text matching {ctx.get('pattern')}"
        return f"{shown} does not have the right form; expected: {expected}"
    if kind in ("literal_error", "enum"):
        return f"{shown} is not allowed; use one of {ctx.get('expected')}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bounds = {k: v for k, v in ctx.items() if k in ("ge", "le", "gt", "lt")}
        words = {"ge": "at least", "le": "at most", "gt": "more than", "lt": "less than"}
        rule = " and ".join(f"{words[k]} {v}" for k, v in bounds.items())
        return f"{shown} is out of range; it must be {rule}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{shown} is not a whole number"
    if kind in ("bool_parsing", "bool_type"):
        return f"{shown} is not true or false"
    if kind in ("string_type",):
        return f"{shown} should be text; put it in quotes"
    if kind in ("list_type",):
        return f"{shown} should be a list"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"{shown} should be a mapping of settings"
    if kind == "union_tag_invalid":
        return f"{ctx.get('tag')!r} is not a landing-zone mode; use one of {ctx.get('expected_tags')}"
    if kind == "union_tag_not_found":
        return "needs a `mode`: one of 'standalone', 'hub_spoke', 'vwan', 'hybrid'"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} item(s)"
    if kind == "value_error":
        return str(ctx.get("error", error.get("msg", "is not valid")))
    message = str(error.get("msg", "is not valid"))
    return message[0].lower() + message[1:] if message else "is not valid"


def friendly_problems(
    exc: ValidationError, model: type[BaseModel], lines: Mapping[str, int] | None = None
) -> list[FieldProblem]:
    """Every error of a ValidationError as a FieldProblem with a user sentence and a line."""
    problems = []
    for error in exc.errors(include_url=False):
        loc = error["loc"]
        field = _dotted(loc)
        cause = (error.get("ctx") or {}).get("error")
        if isinstance(cause, FieldValueError):
            field = f"{field}.{cause.field}" if field else cause.field
        line = None
        if lines:
            probe = field
            while probe and line is None:
                line = lines.get(probe)
                probe = probe.rpartition(".")[0]
        problems.append(FieldProblem(field, _sentence(error, _parent_model(model, loc)), line))
    return problems
