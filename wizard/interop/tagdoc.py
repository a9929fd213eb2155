"""The AI Factory's tagged comments, read as data.

Every variable in `.env.template` and `variables.yaml` ends with a comment such as
`# <mandatory>Azure region<default>eastus2<ensure> … <otherwise> …`. Parsing it gives the TUI
the upstream title as a label and the upstream default and advice, so a user sees the words
of the file they imported. Tags the grammar does not know (`<todo>`, `<xxx>`) stay text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TAG = re.compile(r"<(mandatory|optional|default|keep-as-is|recommended|ensure|otherwise)>")


@dataclass(frozen=True)
class VarDoc:
    """What one variable's tagged comment says."""

    mandatory: bool | None
    """True for <mandatory>, False for <optional>, None when the comment does not start with either."""
    title: str
    """The short title after the first tag (or the comment itself when it has no tags)."""
    default: str | None
    """The value after <default>; '' and "" are read as the empty string."""
    notes: tuple[tuple[str, str], ...]
    """The other tagged parts in order, e.g. ("otherwise", "true, use SSH …"), ("mandatory", "if …")."""


def parse_tag_comment(comment: str) -> VarDoc:
    """Split `<mandatory>Title<default>v<keep-as-is> … <otherwise> …` into a VarDoc."""
    parts = _TAG.split(comment.strip())
    lead = parts[0].strip()
    pairs = [(tag, text.strip()) for tag, text in zip(parts[1::2], parts[2::2], strict=True)]
    mandatory: bool | None = None
    title = lead
    if not lead and pairs and pairs[0][0] in ("mandatory", "optional"):
        tag, title = pairs.pop(0)
        mandatory = tag == "mandatory"
    default: str | None = None
    notes: list[tuple[str, str]] = []
    for tag, text in pairs:
        if tag == "default" and default is None:
            # The default is one word; anything after it is a plain remark ("eastus2 Main region").
            value, _, remark = text.partition(" ")
            default = "" if value in ("''", '""') else value
            if remark.strip():
                notes.append(("", remark.strip()))
        else:
            notes.append((tag, text))
    return VarDoc(mandatory=mandatory, title=title, default=default, notes=tuple(notes))
