"""The concrete settings each step of the wizard asks, for one configuration, in order.

`wizard.steps` declares what a step edits as path patterns (`naming`, `environments.*.region`);
this expands them over a configuration into the dotted paths a form or a prompt asks, so a front
end that is not built from widgets (the prompt mode) asks exactly what belongs to each step and
never keeps its own list. A path belongs to the step `steps.step_for_field` gives it, so a finding
on it lands on the step where it was asked. Settings of an environment that is off are left out
(only its `enabled` is asked), mapping entries keyed by environment are asked for the environments
that are on, and a demo run asks the fields of the steps it skips (sign-in) in the next step.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass

from pydantic import BaseModel

from wizard.edit import path_matches
from wizard.model import ENV_NAMES, FactoryConfig
from wizard.steps import STEPS, Step, step_for_field


def leaf_paths(config: FactoryConfig) -> list[str]:
    """Every setting of `config` a person can answer, as dotted paths in the model's order.

    Models are walked field by field, lists of models item by item; a mapping keyed by
    environment gives one entry per enabled environment; other mappings (per-project service
    overrides, variables kept verbatim from an import) have no fixed keys to ask and are skipped.
    """
    paths: list[str] = []
    _walk(config, "", paths, config)
    return paths


def _walk(model: BaseModel, prefix: str, paths: list[str], config: FactoryConfig) -> None:
    for name, info in type(model).model_fields.items():
        path = f"{prefix}{name}"
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            _walk(value, path + ".", paths, config)
        elif isinstance(value, list) and value and all(isinstance(item, BaseModel) for item in value):
            for index, item in enumerate(value):
                _walk(item, f"{path}.{index}.", paths, config)
        elif isinstance(value, dict):
            keys = _env_keys(info.annotation)
            paths.extend(f"{path}.{env}" for env in keys if config.environments.get(env).enabled)
        else:
            paths.append(path)


def _env_keys(annotation: object) -> tuple[typing.Any, ...]:
    """The environment names a `dict[EnvName, ...]` field is keyed by; () for any other mapping."""
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is dict and args and typing.get_origin(args[0]) is typing.Literal:
        keys = typing.get_args(args[0])
        return keys if set(keys) <= set(ENV_NAMES) else ()
    return ()


def _applies(config: FactoryConfig, path: str) -> bool:
    """False for an environment's settings while it is off (only whether to deploy it is asked)."""
    parts = path.split(".")
    if parts[0] == "environments" and len(parts) > 2 and parts[1] in ENV_NAMES:
        return parts[2] == "enabled" or config.environments.get(parts[1]).enabled
    return True


def steps_for(demo: bool) -> list[Step]:
    """The steps a person walks: all of them, or without the ones a demo skips."""
    return [s for s in STEPS if not (demo and s.demo_skips)]


def step_fields(config: FactoryConfig, step_id: str, *, demo: bool = False) -> list[str]:
    """The settings step `step_id` asks for `config`, in the order the step declares them.

    Within one declared pattern the model's order holds (dev before stage, project 001 before 002).
    """
    walked = [s.id for s in STEPS]
    homes = [step_id]
    if demo:  # a skipped step's settings are asked by the next step that is walked
        index = walked.index(step_id)
        while index > 0 and STEPS[index - 1].demo_skips:
            index -= 1
            homes.append(STEPS[index].id)
    declared = [pattern for home in homes for pattern in _step(home).fields]
    order = leaf_paths(config)
    chosen = [p for p in order if step_for_field(p) in homes and _applies(config, p)]

    def rank(path: str) -> tuple[int, int]:
        matches = [i for i, pattern in enumerate(declared)
                   if path_matches(pattern, path) and len(pattern.split(".")) <= len(path.split("."))]
        return (min(matches) if matches else len(declared), order.index(path))

    return sorted(chosen, key=rank)


def _step(step_id: str) -> Step:
    return next(s for s in STEPS if s.id == step_id)


@dataclass(frozen=True, slots=True)
class Section:
    """Settings that belong together on a step: one model group (`environments.dev`, `naming`)."""

    key: str
    """The group's dotted path ("" for top-level settings such as the description)."""
    paths: tuple[str, ...]


def sections(paths: list[str]) -> list[Section]:
    """`paths` grouped by the model group holding them, groups in order of first appearance."""
    groups: dict[str, list[str]] = {}
    for path in paths:
        groups.setdefault(path.rpartition(".")[0], []).append(path)
    return [Section(key, tuple(members)) for key, members in groups.items()]
