"""Values ↔ FactoryConfig: the table applied in both directions.

`config_from_values` takes a file's `name → text` mapping (either format) and builds a
FactoryConfig through the model's own validation, so a bad value fails on the variable that
carries it. Every value lands somewhere: in a model field, as a shadow (see context.py), or,
for a variable the model does not hold, verbatim in `aifactory_extra`. Values that look like
secrets (as wizard.secrets judges them) are the one exception: they are refused with a note
naming the variable, never its value, and never enter the config.

`values_from_config` goes back. The AI Factory deploys one project per run and one region
and size set for several environments, so it exports what a run of the *first* project sees,
returns each environment's own values where the pipelines can take them per environment
(per_environment.py) and notes what one file cannot say (other projects, a Stage that differs
from Prod, …).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from contextlib import suppress

from pydantic import BaseModel

from wizard import catalog
from wizard.interop.context import NOT_HELD, ConversionError, ImportContext, NotHeld, pick, remember
from wizard.interop.groups import export_landing_zone, export_models, import_landing_zone, import_models
from wizard.interop.keys import TABLE, Format, Var, by_key, get_path, lookup
from wizard.interop.per_environment import REGION, Override, infer_vnet_template, split
from wizard.model import FactoryConfig
from wizard.secrets import Dropped, scrub

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ENV_LABEL = {"dev": "Dev", "stage": "Stage", "prod": "Prod"}


def _owner(config: FactoryConfig, path: str) -> tuple[BaseModel, str]:
    """The model object holding the last part of `path`, and that part's name."""
    parent, _, name = path.rpartition(".")
    owner = get_path(config, parent) if parent else config
    assert isinstance(owner, BaseModel)
    return owner, name


def _refused_secrets(values: Mapping[str, str]) -> dict[str, Dropped]:
    """The variables whose value is a secret (wizard.secrets decides), which are never imported."""
    return {dropped.where: dropped for dropped in scrub(values)[1]}


def _foreign_name(name: str, var: Var, fmt: Format) -> ConversionError:
    """A name that belongs to the other file: the pipelines reading this file would ignore it."""
    proper = var.name(fmt)
    other = "variables.yaml" if fmt == "env" else ".env"
    return ConversionError(
        name,
        f"{name} is the {other} name of a variable, which the pipelines reading this file do not know",
        f"rename it to {proper}" if proper else "remove it: this orchestrator has no such variable",
    )


def _same(var: Var | None, name: str, text: str, other_name: str, other: str) -> bool:
    """Whether two spellings of one variable say the same: the same text, or, for a variable
    whose spellings write values differently, the same value (`-` and '' are both "no IP list")."""
    if text == other:
        return True
    if var is None or var.spelling_codec is None:
        return False
    try:
        return var.codec_of(name).decode(text) == var.codec_of(other_name).decode(other)
    except ValueError:
        return False


_IP_LIST = "project_IP_whitelist"


def _dash_as_empty(values: Mapping[str, str], fmt: Format, notes: list[str]) -> Mapping[str, str]:
    """variables.yaml's project_IP_whitelist `-` (the .env's "none") read as empty: the Azure DevOps
    pipelines pass the value straight to bicep's IPwhiteList, where `-` becomes a firewall rule."""
    if fmt != "ado" or values.get(_IP_LIST, "").strip() != "-":
        return values
    notes.append(f"{_IP_LIST} \"-\" is read as no IP list and written as \"\": the Azure DevOps pipelines pass "
                 "it to bicep as a firewall rule, and preflight.sh stops on it (IP_FORMAT).")
    return {**values, _IP_LIST: ""}


def _canonical(values: Mapping[str, str], fmt: Format, notes: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """The values under canonical keys, and the file name each came from. Where a file spells
    one variable twice and the values disagree, the spelling the workflows read wins."""
    raw: dict[str, str] = {}
    origin: dict[str, str] = {}
    ranks: dict[str, int] = {}
    refused = _refused_secrets(values)
    for name, text in values.items():
        if name in refused:
            notes.append(refused[name].note("not imported"))
            continue
        found = lookup(fmt, name)
        if found is None and (other := by_key(name)) is not None:
            raise _foreign_name(name, other, fmt)
        key, rank = (found[0].key, found[1]) if found else (name, 0)
        if key in raw and not _same(found[0] if found else None, origin[key], raw[key], name, text):
            winner = name if rank < ranks[key] else origin[key]
            notes.append(f"{origin[key]}={raw[key]!r} and {name}={text!r} disagree; {winner}'s value is used "
                         "(the workflows read that name) and export writes it to both.")
        if key not in raw or rank < ranks[key]:
            raw[key], origin[key], ranks[key] = text, name, rank
    return raw, origin


def config_from_values(values: Mapping[str, str], fmt: Format) -> tuple[FactoryConfig, list[str]]:
    """A FactoryConfig holding every value of a file, and notes on what the user should know.
    Raises context.ConversionError naming the variable when the model refuses a value."""
    notes: list[str] = []
    raw, origin = _canonical(_dash_as_empty(values, fmt, notes), fmt, notes)
    ctx = ImportContext(fmt=fmt, raw=raw, origin=origin, notes=notes)
    for var in TABLE:
        if var.key not in raw or var.group is not None:
            continue
        text = raw[var.key]
        if var.path is None:
            ctx.extra[var.key] = text
        elif var.mirror:
            remember(ctx.extra, var.key, text, get_path(ctx.config, var.path), ctx.codec(var))
        else:
            target, name = _owner(ctx.config, var.path)
            ctx.assign(var, text, target, name, [_owner(ctx.config, path)[0] for path in var.copies])
    import_landing_zone(ctx)
    import_models(ctx)
    infer_vnet_template(ctx)
    ctx.extra.update((key, text) for key, text in raw.items() if by_key(key) is None)
    if ctx.placeholders:
        notes.append(f"Placeholders kept as they are, to fill in later: {', '.join(ctx.placeholders)}.")
    ctx.config.aifactory_extra = ctx.extra
    return ctx.config, notes


# --------------------------------------------------------------------------- export


def _single_run(config: FactoryConfig, notes: list[str]) -> FactoryConfig:
    """The configuration as one AI Factory run sees it: the first project's services and IPs."""
    view = config.model_copy(deep=True)
    if not config.projects:
        return view
    first = config.projects[0]
    view.services = config.project_services(first)
    extra_ips = [ip for ip in first.ip_allow_list if ip not in config.access.ip_allow_list]
    if extra_ips:
        view.access.ip_allow_list = [*config.access.ip_allow_list, *extra_ips]
        notes.append(f"Project {first.number}'s own IP ranges ({', '.join(extra_ips)}) are added to "
                     "PROJECT_MEMBERS_IP_ADDRESS.")
    if first.services:
        notes.append(f"The service switches are written as project {first.number} overrides them.")
    if len(config.projects) > 1:
        others = ", ".join(project.number for project in config.projects[1:])
        notes.append(f"Only project {first.number} is written (PROJECT_NUMBER, PROJECT_MEMBERS, …): the AI "
                     f"Factory deploys one project per run. Export again for project {others}.")
    return view


def _imported(var: Var) -> Callable[[str], object]:
    """What import makes of a shadow of `var`, on a fresh default configuration."""

    def imported(raw: str) -> object:
        probe = FactoryConfig()
        owner, name = _owner(probe, str(var.path))
        with suppress(ValueError):
            setattr(owner, name, var.codec.decode(raw))
        return getattr(owner, name)

    return imported


def _label(path: str) -> str:
    """Dev, Stage or Prod for an `environments.<env>.…` path (the only paths with copies)."""
    return _ENV_LABEL[path.split(".")[1]]


_PER_ENVIRONMENT = {key for key, _ in REGION}
"""Rows whose other environments' values per_environment.py hands to the pipelines."""


def _export_path(var: Var, fmt: Format, view: FactoryConfig, extra: dict[str, str],
                 notes: list[str]) -> str | NotHeld:
    assert var.path is not None
    codec = var.codec_of(var.name(fmt) or var.key)
    try:
        value = get_path(view, var.path)
    except IndexError:  # no projects at all
        return extra.get(var.key, NOT_HELD)
    if var.mirror:
        return extra[var.key] if var.key in extra else codec.encode(value)
    for copy in var.copies if var.key not in _PER_ENVIRONMENT else ():
        other = get_path(view, copy)
        if other != value:
            notes.append(f"{var.key} is one setting for several environments: {_label(var.path)} has {value!r}, "
                         f"which is written, but {_label(copy)} has {other!r}.")
    return pick(extra, var.key, value, codec, _imported(var))


def _rename(values: dict[str, str], fmt: Format, extra: Mapping[str, str], notes: list[str]) -> dict[str, str]:
    """Canonical keys → this format's names; variables the format lacks are left out."""
    renamed: dict[str, str] = {}
    left_out: list[str] = []
    for key, text in values.items():
        var = by_key(key)
        name = key if var is None else var.name(fmt)
        if name is not None and (fmt == "ado" or _ENV_NAME.fullmatch(name)):
            renamed[name] = text
        elif key in extra:  # text from the other orchestrator's file; modelled values need no word
            left_out.append(key)
    if left_out:
        target = ".env (GitHub)" if fmt == "env" else "variables.yaml (Azure DevOps)"
        notes.append(f"Not written to {target}, which has no such variables: {', '.join(left_out)}.")
    return renamed


def _with_region_codes(config: FactoryConfig) -> FactoryConfig:
    """Unset short region codes become the catalog's, as the AI Factory needs one in every name
    (AIFACTORY_LOCATION_SHORT is mandatory); an explicit code is left as it is."""
    updates: dict[str, object] = {}
    for name, env in config.environments_all():
        code = catalog.short_code(env.region)
        if env.region_short is None and code is not None:
            updates[name] = env.model_copy(update={"region_short": code})
    if not updates:
        return config
    return config.model_copy(update={"environments": config.environments.model_copy(update=updates)})


def values_from_config(config: FactoryConfig, fmt: Format) -> tuple[dict[str, str], list[Override], list[str]]:
    """The variables a file of format `fmt` gets from this configuration (in table order, then
    the unknown ones), each environment's own values the file cannot hold, and notes on what
    else it cannot express."""
    notes: list[str] = []
    view = _with_region_codes(_single_run(config, notes))
    extra = dict(config.aifactory_extra)
    grouped = {**export_landing_zone(view, extra, notes), **export_models(view, extra, notes)}
    values: dict[str, str] = {}
    for var in TABLE:
        if var.group is not None:
            text = grouped[var.key]
        elif var.path is None:
            text = extra.get(var.key, NOT_HELD)
        else:
            text = _export_path(var, fmt, view, extra, notes)
        if not isinstance(text, NotHeld):
            values[var.key] = text
    values.update((key, text) for key, text in extra.items() if by_key(key) is None)
    values, overrides = split(view, values)
    return _rename(values, fmt, extra, notes), overrides, notes
