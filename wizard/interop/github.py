"""What the GitHub side really reads (aifactory.md §4.2), applied to a .env export.

The v1.24 workflows read some variables under another name than the template gives them,
and the stock upload script never uploads a few that the workflows do read. A .env written
by the wizard therefore carries both spellings, and the notes say what must be set by hand.
"""

from __future__ import annotations

from collections.abc import Iterable

from wizard.interop.keys import by_key
from wizard.placeholders import is_placeholder

UPLOAD_SCRIPT = "10-GH-create-or-update-github-variables.sh"

NOT_UPLOADED: dict[str, str] = {
    "CENTRAL_DNS_ZONE_BY_POLICY_IN_HUB": "false",
    "PRIV_DNS_SUBSCRIPTION_PARAM": "",
    "PRIV_DNS_RESOURCE_GROUP_PARAM": "",
    "ADD_BASTION_HOST": "false",
    "ENABLE_ADMIN_VM": "false",
    "DATABRICKS_OID": "",
    "DIAGNOSTIC_SETTING_LEVEL": "gold",  # the workflow fallback is undocumented; assumed the template's
    "ENABLE_PUBLIC_GENAI_ACCESS": "false",
    "ENABLE_PUBLIC_ACCESS_WITH_PERIMETER": "false",
}
"""Read by the workflows but never uploaded by the stock script → the workflow's fallback."""


def with_workflow_names(values: dict[str, str], present: Iterable[str], notes: list[str]) -> dict[str, str]:
    """`values` plus, right after each template name, the name the workflows read (same value);
    template spellings already `present` in a base file are given the value too."""
    present = set(present)
    out: dict[str, str] = {}
    for key, text in values.items():
        out[key] = text
        var = by_key(key)
        if var is None:
            continue
        for alias in var.aliases:
            if alias in present:
                out[alias] = text
        if var.workflow:
            out[var.workflow] = text
            if var.workflow not in present:
                notes.append(f"{key}: the GitHub workflows read it as {var.workflow}, so that name is "
                             "written too, with the same value.")
    return out


def not_uploaded_note(values: dict[str, str]) -> str | None:
    """A note naming the variables whose value the workflows will never see, if any."""
    differ = [f"{name}={values[name]!r} (the workflows fall back to {fallback!r})"
              for name, fallback in NOT_UPLOADED.items()
              if name in values and values[name] != fallback and not is_placeholder(values[name])]
    if not differ:
        return None
    return (f"The stock {UPLOAD_SCRIPT} never uploads these, so the workflows use their fallback "
            f"instead: {'; '.join(differ)}. Create them yourself, e.g. "
            "gh variable set NAME --env dev --body VALUE.")
