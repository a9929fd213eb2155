"""Azure's naming rules per resource kind, and a checker that explains what is wrong.

Why separate from naming.py: the rules are Azure's (length, characters, start/end), the names
are the AI Factory's. Rules and the TUI call `check_name` on every name `naming.all_names`
builds, so a too-long prefix or region code shows up before a deployment fails on it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NameRule:
    """What Azure accepts as the name of one kind of resource."""

    kind: str
    """Key used by GeneratedName.kind, e.g. `key_vault`."""
    display_name: str
    """Human name of the kind, e.g. `Key Vault name`."""
    min_length: int
    """Fewest characters allowed."""
    max_length: int
    """Most characters allowed."""
    allowed: str
    """Regex character class (without brackets) of the characters allowed."""
    allowed_text: str
    """The allowed characters in words, for messages."""
    start: str = ""
    """Character class the first character must be in; empty = any allowed character."""
    end: str = ""
    """Character class the last character must be in; empty = any allowed character."""
    no_double_dash: bool = False
    """Consecutive hyphens are refused."""
    globally_unique: bool = False
    """The name is a DNS label shared by all Azure customers (availability must be checked)."""


_ALNUM = "a-zA-Z0-9"
_LOWER = "a-z0-9"
_ARM = r"-\w._()"

NAME_RULES: dict[str, NameRule] = {
    r.kind: r
    for r in (
        NameRule("resource_group", "resource group name", 1, 90, _ARM,
                 "letters, digits, '-', '_', '.', '(' and ')'", end=r"-\w_()"),
        NameRule("deployment", "ARM deployment name", 1, 64, _ARM,
                 "letters, digits, '-', '_', '.', '(' and ')'"),
        NameRule("key_vault", "Key Vault name", 3, 24, _ALNUM + "-",
                 "letters, digits and '-'", start="a-zA-Z", end=_ALNUM,
                 no_double_dash=True, globally_unique=True),
        NameRule("storage", "storage account name", 3, 24, _LOWER,
                 "lowercase letters and digits", globally_unique=True),
        NameRule("acr", "container registry name", 5, 50, _ALNUM, "letters and digits",
                 globally_unique=True),
        NameRule("search", "AI Search service name", 2, 60, _LOWER + "-",
                 "lowercase letters, digits and '-'", start=_LOWER, end=_LOWER,
                 no_double_dash=True, globally_unique=True),
        NameRule("cognitive", "Cognitive Services custom subdomain", 2, 64, _LOWER + "-",
                 "lowercase letters, digits and '-'", start=_LOWER, end=_LOWER,
                 globally_unique=True),
        NameRule("vnet", "virtual network name", 2, 64, r"\w.-", "letters, digits, '_', '.', '-'",
                 start=_ALNUM, end=r"\w"),
        NameRule("subnet", "subnet name", 1, 80, r"\w.-", "letters, digits, '_', '.', '-'",
                 start=_ALNUM, end=r"\w"),
        NameRule("nsg", "network security group name", 1, 80, r"\w.-",
                 "letters, digits, '_', '.', '-'", start=_ALNUM, end=r"\w"),
        NameRule("bastion", "Bastion name", 1, 80, r"\w.-", "letters, digits, '_', '.', '-'",
                 start=_ALNUM, end=r"\w"),
        NameRule("log_analytics", "Log Analytics workspace name", 4, 63, _ALNUM + "-",
                 "letters, digits and '-'", start=_ALNUM, end=_ALNUM),
        NameRule("app_insights", "Application Insights name", 1, 260, r"\w.()-",
                 "letters, digits, '_', '.', '(', ')' and '-'", end=r"\w()-"),
        NameRule("data_factory", "Data Factory name", 3, 63, _ALNUM + "-",
                 "letters, digits and '-'", start=_ALNUM, end=_ALNUM, no_double_dash=True,
                 globally_unique=True),
        NameRule("managed_identity", "managed identity name", 3, 128, r"\w-",
                 "letters, digits, '_' and '-'", start=_ALNUM),
        NameRule("ml_workspace", "Azure ML workspace name", 3, 33, r"\w-",
                 "letters, digits, '_' and '-'", start=_ALNUM),
        NameRule("aks", "AKS cluster name", 1, 63, r"\w-", "letters, digits, '_' and '-'",
                 start=_ALNUM, end=_ALNUM),
        NameRule("cosmos", "Cosmos DB account name", 3, 44, _LOWER + "-",
                 "lowercase letters, digits and '-'", start=_LOWER, end=_LOWER,
                 globally_unique=True),
        NameRule("postgres", "PostgreSQL server name", 3, 63, _LOWER + "-",
                 "lowercase letters, digits and '-'", start=_LOWER, end=_LOWER,
                 globally_unique=True),
        NameRule("redis", "Redis cache name", 1, 63, _ALNUM + "-", "letters, digits and '-'",
                 start=_ALNUM, end=_ALNUM, no_double_dash=True, globally_unique=True),
        NameRule("sql", "SQL server name", 1, 63, _LOWER + "-",
                 "lowercase letters, digits and '-'", start=_LOWER, end=_LOWER,
                 globally_unique=True),
        NameRule("web", "App Service / Function app name", 2, 60, _ALNUM + "-",
                 "letters, digits and '-'", start=_ALNUM, end=_ALNUM, globally_unique=True),
        NameRule("container_apps_env", "Container Apps environment name", 2, 60, _LOWER + "-",
                 "lowercase letters, digits and '-'", start="a-z", end=_LOWER),
        NameRule("databricks", "Databricks workspace name", 3, 64, r"\w-",
                 "letters, digits, '_' and '-'"),
        NameRule("sql_database", "SQL database name", 1, 128, r"\w.()-",
                 "letters, digits, '_', '.', '(', ')' and '-'", end=r"\w()-"),
        NameRule("app_service_plan", "App Service plan name", 1, 60, _ALNUM + "-",
                 "letters, digits and '-'"),
        NameRule("container_app", "container app name", 2, 32, _LOWER + "-",
                 "lowercase letters, digits and '-'", start="a-z", end=_LOWER, no_double_dash=True),
        NameRule("vm", "virtual machine name", 1, 64, r"\w.-", "letters, digits, '_', '.', '-'",
                 start=_ALNUM, end=r"\w"),
        NameRule("generic", "resource name", 1, 64, r"\w.()-",
                 "letters, digits, '_', '.', '(', ')' and '-'"),
    )
}
"""Azure's rules per kind (learn.microsoft.com 'resource name rules'), for the names we build."""


@functools.lru_cache(maxsize=64)
def _outside(allowed: str) -> re.Pattern[str]:
    """The compiled class of characters *not* allowed (one per rule, compiled once)."""
    return re.compile(f"[^{allowed}]")


def _chars_outside(name: str, allowed: str) -> list[str]:
    """Distinct characters of `name` outside the class, in order of appearance."""
    return list(dict.fromkeys(_outside(allowed).findall(name)))


def _describe(char_class: str) -> str:
    """A start/end character class in words."""
    if char_class in ("a-zA-Z", "a-z"):
        return "a letter"
    if "(" in char_class:
        return "a character other than '.'"
    if char_class in (_ALNUM, _LOWER):
        return "a letter or digit"
    return "a letter, digit or '_'"


def check_name(kind: str, name: str) -> str | None:
    """What is wrong with `name` as a `kind` name; None when Azure accepts it.

    The sentence says what is wrong and what would be right, without repeating the name (callers
    show it), e.g. "25 characters; a Key Vault name takes at most 24 (shorten it by 1)".
    Unknown kinds are checked against the generic ARM rule.
    """
    rule = NAME_RULES.get(kind, NAME_RULES["generic"])
    what = rule.display_name
    if len(name) > rule.max_length:
        over = len(name) - rule.max_length
        return (
            f"{len(name)} characters; a {what} takes at most {rule.max_length} "
            f"(shorten it by {over})"
        )
    if len(name) < rule.min_length:
        return f"{len(name)} characters; a {what} needs at least {rule.min_length}"
    bad = _chars_outside(name, rule.allowed)
    if bad:
        shown = ", ".join(repr(c) for c in bad)
        fix = " (write it in lowercase)" if all(c.isupper() for c in bad) else ""
        return f"contains {shown}; a {what} takes only {rule.allowed_text}{fix}"
    if rule.start and not re.fullmatch(f"[{rule.start}]", name[0]):
        return f"starts with {name[0]!r}; a {what} must start with {_describe(rule.start)}"
    if rule.end and not re.fullmatch(f"[{rule.end}]", name[-1]):
        return f"ends with {name[-1]!r}; a {what} must end with {_describe(rule.end)}"
    if rule.no_double_dash and "--" in name:
        return f"contains '--'; a {what} cannot have two hyphens in a row"
    return None
