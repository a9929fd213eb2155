"""Upgrading preset files written by older versions of the wizard.

A preset is a user's saved work, so a new release must still open it. Each migration takes the
raw mapping of one version and returns the next; `migrate` runs them in order. Version 0 was the
pre-release layout: the landing-zone mode and the name prefix sat at the top level and the
environment ranges were written as `address_space` per environment.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wizard.errors import UserError
from wizard.model import SCHEMA_VERSION

Migration = Callable[[dict[str, Any]], dict[str, Any]]


def _move_under(data: dict[str, Any], key: str, section: str) -> None:
    """Move top-level `key` into the mapping `section`, unless that already sets it.

    A `section` that is not a mapping is left as the user wrote it (with `key` dropped), for
    validation to name with its line; a migration never guesses at a value it cannot read.
    """
    value = data.pop(key, None)
    if value is None:
        return
    current = data.get(section)
    if current is None:
        data[section] = {key: value}
    elif isinstance(current, dict):
        data[section] = {key: value, **current}


def _v0_to_v1(data: dict[str, Any]) -> dict[str, Any]:
    """Move `mode`/`prefix` under `landing_zone`/`naming`; drop per-environment `address_space`."""
    out = dict(data)
    _move_under(out, "mode", "landing_zone")
    _move_under(out, "prefix", "naming")
    environments = out.get("environments")
    if isinstance(environments, dict):
        cleaned = {}
        for name, env in environments.items():
            if isinstance(env, dict) and "address_space" in env:
                env = {k: v for k, v in env.items() if k != "address_space"}
            cleaned[name] = env
        out["environments"] = cleaned
    out["version"] = 1
    return out


MIGRATIONS: dict[int, Migration] = {0: _v0_to_v1}
"""From-version -> function producing the next version."""


class MigrationError(UserError, ValueError):
    """A preset from a newer wizard, or of an unknown version."""


def migrate(data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Bring `data` to the current version; returns it and a note per step taken."""
    version = data.get("version", 0)
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise MigrationError(f"version {version!r} is not a version number; use {SCHEMA_VERSION}")
    if version > SCHEMA_VERSION:
        raise MigrationError(
            f"was written by a newer aifactory-wizard (format {version}; this one reads up to "
            f"{SCHEMA_VERSION}); upgrade aifactory-wizard"
        )
    notes = []
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        notes.append(f"upgraded from format {version} to {version + 1}")
        version += 1
    return data, notes
