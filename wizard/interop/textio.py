"""Reading a config file as text, with the limits and messages every format shares.

Both formats are small UTF-8 text files (the v1.24 templates are 44 and 58 KB). Anything far
bigger, empty, binary or not UTF-8 is refused here with the line of the first bad byte, before
a parser ever sees it. The checks and the size limit are `wizard.safe_yaml`'s, the same as for
presets; its errors come out as InteropError.
"""

from __future__ import annotations

import string
from pathlib import Path

from wizard.interop.errors import InteropError
from wizard.safe_yaml import YamlError, read_text


def as_interop_error(exc: YamlError) -> InteropError:
    """A `wizard.safe_yaml` error as the InteropError every interop reader raises."""
    return InteropError(exc.path, exc.line, exc.message, exc.hint or "check that this is the file you meant")


def read_config_text(path: Path) -> str:
    """The file's text (a byte-order mark kept), or an InteropError saying why it cannot be a config file."""
    try:
        text = read_text(path, keep_bom=True)
    except YamlError as exc:
        raise as_interop_error(exc) from None
    if not text.strip(string.whitespace):  # ASCII whitespace only, as in the bytes
        raise InteropError(path, 1, "file is empty",
                           "export the AI Factory's .env.template or variables.yaml and fill it in")
    return text
