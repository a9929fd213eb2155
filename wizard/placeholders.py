"""The AI Factory's placeholder marks: `<todo>`, `<optional>`, `<5>` stand for a value still to come.

Its templates ship with them (`TENANT_ID="<todo>"`, `INPUT_COMMON_SP_SECRET_KEY="<todo>esml-common-sp-secret"`).
The importer keeps such values as they are, and the secret detector knows that a placeholder is
not a secret. Both ask this module, so they agree on what a placeholder is.
"""

from __future__ import annotations

import re

PLACEHOLDER = re.compile(r"<[A-Za-z0-9_]+>")
"""`<todo>`, `<5>`, `<optional>`...: the AI Factory's marks for a value still to be supplied."""


def is_placeholder(text: str) -> bool:
    """True when the text still carries an AI Factory placeholder such as <todo>."""
    return PLACEHOLDER.search(text) is not None
