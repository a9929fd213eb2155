"""Reading a config file as text, with the limits and messages every format shares.

Both formats are small UTF-8 text files (the v1.24 templates are 44 and 58 KB). Anything far
bigger, empty, binary or not UTF-8 is refused here with the line of the first bad byte, before
a parser (and, for YAML, an alias expander) ever sees it.
"""

from __future__ import annotations

from pathlib import Path

from wizard.interop.errors import InteropError

MAX_BYTES = 4 * 1024 * 1024
"""Refuse larger files: no real AI Factory config comes near, and it bounds parser work."""


def read_config_text(path: Path) -> str:
    """The file's text, or an InteropError saying why it cannot be a config file."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InteropError(
                path,
                None,
                f"file is {size:,} bytes; an AI Factory config is well under {MAX_BYTES:,}",
                "check that this is the .env or variables.yaml you meant",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InteropError(path, None, f"cannot read the file ({exc.strerror or exc})",
                           "check the path and that you may read it") from None
    if not data.strip():
        raise InteropError(path, 1, "file is empty",
                           "export the AI Factory's .env.template or variables.yaml and fill it in")
    if b"\0" in data:
        line = data[: data.index(b"\0")].count(b"\n") + 1
        raise InteropError(path, line, "file holds binary data (a NUL byte), not text",
                           "choose the .env or variables.yaml text file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InteropError(path, line, "file is not UTF-8 text",
                           "save it as UTF-8 (most editors offer this under 'Save with encoding')") from None
