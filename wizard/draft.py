"""The configuration a person is editing: its value, where it came from, whether it is saved.

Front ends (the wizard, the prompt mode) hold one Draft and change it only through `edit`
(one field, via `try_set`) or `replace` (a proposal, a fix touching several fields). It keeps
the last saved value, so "unsaved changes" is a comparison, not a flag someone forgets to set,
and an undo stack, so a wrong Apply is one key away from undone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from wizard.edit import Edit, try_set
from wizard.model import FactoryConfig

UNDO_DEPTH = 100
"""How many earlier values `undo` can go back to."""


@dataclass
class Draft:
    """One configuration being edited."""

    config: FactoryConfig
    name: str = ""
    """The preset it will be saved as; empty until it has one (a blank start, an import)."""
    source: str = ""
    """Where it came from, for the title: `built-in`, `yours`, an imported file's path, `blank`."""
    extends: str | None = None
    """The preset this one builds on (a saved preset stores only what differs from it)."""
    saved: FactoryConfig | None = None
    """The value last saved (or opened from a preset of the person's own); None: never saved."""
    path: Path | None = None
    """The file it was opened from or last saved to."""
    notes: list[str] = field(default_factory=list)
    """What opening it said (migrations, imported variables kept verbatim)."""
    _undo: list[FactoryConfig] = field(default_factory=list, repr=False)

    @property
    def dirty(self) -> bool:
        """True when there is something a person would lose by quitting now."""
        return self.saved is None or self.saved != self.config

    def edit(self, path: str, raw: object) -> Edit:
        """Set one field from typed text or a value; the draft changes only when it is valid."""
        result = try_set(self.config, path, raw)
        if result.config is not None and result.config != self.config:
            self._push(self.config)
            self.config = result.config
        return result

    def replace(self, config: FactoryConfig) -> FactoryConfig:
        """Take a whole new value (already valid); returns the one it replaced."""
        old = self.config
        if config != old:
            self._push(old)
            self.config = config
        return old

    def undo(self) -> FactoryConfig | None:
        """Go back to the value before the last change; the value undone, or None if none."""
        if not self._undo:
            return None
        current = self.config
        self.config = self._undo.pop()
        return current

    def mark_saved(self, name: str, path: Path | None = None) -> None:
        """Record that the current value is now saved as preset `name`."""
        self.name = name
        self.saved = self.config
        self.path = path or self.path
        self.source = "yours"

    def _push(self, config: FactoryConfig) -> None:
        self._undo.append(config)
        del self._undo[:-UNDO_DEPTH]
