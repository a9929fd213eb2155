"""InteropError: the one error every reader and writer in wizard.interop raises.

It lives in its own module so the parsers, the converter and the public API can all raise it
without importing each other. The CLI prints `str(error)` and exits with BAD_INPUT; a user
never sees a traceback for a bad file, only where it is bad and what to do.
"""

from __future__ import annotations

from pathlib import Path

from wizard.errors import UserError


class InteropError(UserError):
    """A file (or a value bound for one) that cannot be read or written as asked."""

    def __init__(self, path: str | Path, line: int | None, message: str, hint: str) -> None:
        self.path = str(path)
        self.line = line
        super().__init__(message, hint, f"{self.path}:{line}" if line is not None else self.path)
