"""Shadows, and the import state the converter and the variable groups share.

A *shadow* is the file's own text for a modelled variable, kept in `config.aifactory_extra`
under the variable's canonical key whenever the model cannot give that exact text back:
* the model cannot hold it – a `<todo>`-style placeholder in an int, a Literal or a pattern
  field (the model keeps its default), or a value the model does not use (MODEL_GPTX_NAME
  while DEPLOY_MODEL_GPT_X is false, PRIV_DNS_* in a standalone landing zone);
* the model holds it but writes it differently ("True", "007", "a, b", an upper-case GUID).

On export a shadow wins while the model still holds what import made of it; once the user
changes the value in the wizard, the model's value is written. So import → export gives
every value back byte for byte, and edits still take effect.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Final

from pydantic import BaseModel, ValidationError

from wizard.errors import UserError
from wizard.interop.codecs import Codec, is_placeholder
from wizard.interop.keys import Format, Var
from wizard.model import FactoryConfig


class NotHeld:
    """Marks "the configuration holds no value for this variable"."""

    def __repr__(self) -> str:
        return "NOT_HELD"


NOT_HELD: Final = NotHeld()


class ConversionError(UserError):
    """A value the model refuses; the importer adds the file name and line of `key`."""

    def __init__(self, key: str, message: str, hint: str) -> None:
        super().__init__(message, hint, key)
        self.key = key


def remember(extra: dict[str, str], key: str, raw: str, held: object, codec: Codec) -> None:
    """Keep `raw` as a shadow unless the model's value `held` writes back to exactly it."""
    if held is NOT_HELD or codec.encode(held) != raw:
        extra[key] = raw


def pick(extra: dict[str, str], key: str, value: object, codec: Codec,
         imported: Callable[[str], object]) -> str | NotHeld:
    """The text to export for one variable: its shadow while the model still holds what
    `imported(shadow)` made of it (or holds nothing), else the model's value encoded."""
    raw = extra.get(key)
    if raw is None:
        return NOT_HELD if value is NOT_HELD else codec.encode(value)
    if value is NOT_HELD or imported(raw) == value:
        return raw
    return codec.encode(value)


def _bounds(model: type[BaseModel], name: str) -> tuple[object, object]:
    """The ge/le limits of a field (pydantic keeps them as metadata objects with those names)."""
    low = high = None
    for item in model.model_fields[name].metadata:
        low = getattr(item, "ge", low)
        high = getattr(item, "le", high)
    return low, high


def reason(exc: ValueError, model: type[BaseModel] | None = None, name: str = "") -> str:
    """What is wrong, as "must …", from a codec's ValueError or pydantic's first error."""
    if not isinstance(exc, ValidationError):
        return str(exc)
    error = exc.errors()[0]
    if model is not None and error["type"] in ("less_than_equal", "greater_than_equal"):
        low, high = _bounds(model, name)
        if low is not None and high is not None:
            return f"must be {low}-{high}"
    message = str(error["msg"]).removeprefix("Value error, ")
    return re.sub(r"^(Input|String|List|Value) should", "must", message)


@dataclass
class ImportContext:
    """Everything one import builds up: the configuration, its shadows and the notes."""

    fmt: Format
    raw: dict[str, str]
    """The file's values under canonical keys."""
    origin: dict[str, str]
    """Canonical key → the name the file used for it (for messages and line numbers)."""
    config: FactoryConfig = field(default_factory=FactoryConfig)
    extra: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)

    def decoded(self, var: Var, raw: str) -> object:
        """The codec's value, NOT_HELD for a placeholder it cannot read (kept as a shadow)."""
        try:
            return var.codec.decode(raw)
        except ValueError as exc:
            return self._refused(var, raw, exc)

    def assign(self, var: Var, raw: str, target: BaseModel, name: str,
               copies: Sequence[BaseModel] = ()) -> None:
        """Set `target.name` (and the same field of each copy) from `raw`, through the model's
        validation; a placeholder the model refuses leaves the default and a shadow."""
        try:
            value = var.codec.decode(raw)
            for owner in (target, *copies):
                setattr(owner, name, value)
        except ValueError as exc:  # pydantic's ValidationError is a ValueError too
            self._refused(var, raw, exc, target, name)
            return
        remember(self.extra, var.key, raw, getattr(target, name), var.codec)

    def _refused(self, var: Var, raw: str, exc: ValueError,
                 target: BaseModel | None = None, name: str = "") -> NotHeld:
        file_key = self.origin.get(var.key, var.key)
        if is_placeholder(raw):
            self.extra[var.key] = raw
            self.placeholders.append(file_key)
            return NOT_HELD
        example = var.default
        if target is not None:
            current = getattr(target, name)
            example = "" if current is None or isinstance(current, list) else var.codec.encode(current)
        model = type(target) if target is not None else None
        line = (f'{file_key}="{example}"' if self.fmt == "env" else f'{file_key}: "{example}"')
        raise ConversionError(
            file_key,
            f"{file_key} {reason(exc, model, name)} (found {raw!r})",
            f"write e.g. {line}, or <todo> to fill it in later" if example
            else "write a valid value, or <todo> to fill it in later",
        )
