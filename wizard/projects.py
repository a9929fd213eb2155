"""Adding, cloning, removing and renumbering projects: the Projects step's actions, without a UI.

Each action takes a configuration and returns a `ProjectChange`: the new configuration (validated
whole, by the same path as `try_set`) or the problems, a sentence saying what happened, and which
project a list should select next. Numbers are the AI Factory's three digits (001-999); a new
project takes the number after the highest, a clone the first free number after its source
(NNN -> NNN+1). Whether the projects still fit in each environment's address space is the
address plan's (`wizard.network`): `room` reads it, and a change's message says when a project
no longer fits, while the offline rules report it as a finding with its fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wizard import network
from wizard.edit import Edit, validated
from wizard.errors import FieldProblem, UserError
from wizard.model import EnvName, FactoryConfig

MAX_NUMBER: int = network.MAX_PROJECTS
"""The highest project number the AI Factory's three digits allow."""

NAME_LENGTH = 64
"""The model's limit on a project's name."""


@dataclass(frozen=True, slots=True)
class ProjectChange:
    """The outcome of one project action."""

    edit: Edit
    """The new configuration, or why there is none."""
    message: str = ""
    """What happened, as a person reads it (empty when refused: the problems say why)."""
    select: int = 0
    """The index of the project to select afterwards."""
    rooms: dict[EnvName, Room] | None = None
    """The address room of the new configuration when the action needed it (a front end reuses it)."""

    @property
    def config(self) -> FactoryConfig | None:
        """The new configuration; None when the action was refused."""
        return self.edit.config


@dataclass(frozen=True, slots=True)
class Room:
    """How the projects fit in one environment's address space."""

    fits_more: int
    """How many more projects fit after the ones placed."""
    placed: int
    unplaced: tuple[str, ...]
    """Numbers of projects that do not fit."""
    problem: str = ""
    """Why there is no plan (a template that does not resolve); the other figures are 0 then."""


def _refused(field: str, message: str) -> ProjectChange:
    return ProjectChange(Edit(None, [FieldProblem(field, message)]))


def _numbers(config: FactoryConfig) -> set[int]:
    return {int(p.number) for p in config.projects}


def next_number(config: FactoryConfig, after: int = 0) -> int | None:
    """The first free project number above `after`, else the first free one at all; None when all 999 are used."""
    used = _numbers(config)
    candidates: list[int] = [*range(after + 1, MAX_NUMBER + 1), *range(1, after + 1)]
    return next((number for number in candidates if number not in used), None)


def _project_data(config: FactoryConfig) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    data = config.model_dump(mode="python", round_trip=True)
    return data, data["projects"]


def _placed(edit: Edit, number: str, message: str, select: int) -> ProjectChange:
    """The change that placed project `number`, saying where it does not fit in the address plan."""
    if edit.config is None:
        return ProjectChange(edit, message, select)
    found = rooms(edit.config)
    short = [env for env, room in found.items() if number in room.unplaced]
    if short:
        message += f"; it does not fit in the address space of {', '.join(short)} (see the Network step)"
    return ProjectChange(edit, message, select, found)


def add(config: FactoryConfig, name: str = "") -> ProjectChange:
    """A new project after the last one, numbered after the highest number."""
    highest = max(_numbers(config), default=0)
    number = next_number(config, highest)
    if number is None:
        return _refused("projects", f"all {MAX_NUMBER} project numbers are used; remove a project first")
    data, projects = _project_data(config)
    projects.append({"number": f"{number:03d}", "name": name[:NAME_LENGTH]})
    text = f"{number:03d}"
    return _placed(validated(data), text, f"added project {text}", len(projects) - 1)


def clone(config: FactoryConfig, index: int) -> ProjectChange:
    """A copy of project `index` (members, allow-list, services, cost center) numbered NNN+1, or the
    next free number after it, placed right after it."""
    if not 0 <= index < len(config.projects):
        return _refused("projects", f"there is no project at position {index + 1}")
    source = config.projects[index]
    number = next_number(config, int(source.number))
    if number is None:
        return _refused("projects", f"all {MAX_NUMBER} project numbers are used; remove a project first")
    data, projects = _project_data(config)
    copy = dict(projects[index])
    copy["number"] = f"{number:03d}"
    copy["name"] = f"{source.name} (copy)"[:NAME_LENGTH] if source.name else ""
    projects.insert(index + 1, copy)
    text = f"{number:03d}"
    return _placed(validated(data), text, f"cloned project {source.number} as {text}", index + 1)


def remove(config: FactoryConfig, index: int) -> ProjectChange:
    """Everything but project `index`; the last project stays (the AI Factory deploys at least one)."""
    if not 0 <= index < len(config.projects):
        return _refused("projects", f"there is no project at position {index + 1}")
    if len(config.projects) == 1:
        return _refused("projects", "a configuration keeps at least one project; add another before removing this one")
    data, projects = _project_data(config)
    removed = projects.pop(index)
    return ProjectChange(validated(data), f"removed project {removed['number']}", min(index, len(projects) - 1))


def renumber(config: FactoryConfig, select: int = 0) -> ProjectChange:
    """Every project numbered 001, 002, ... in list order (gaps and duplicates closed)."""
    data, projects = _project_data(config)
    changed = []
    for position, project in enumerate(projects, start=1):
        new = f"{position:03d}"
        if project["number"] != new:
            changed.append(f"{project['number']}→{new}")
            project["number"] = new
    if not changed:
        return ProjectChange(Edit(config), "the projects are already numbered 001 and up", select)
    shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
    return ProjectChange(validated(data), f"renumbered {shown}; a deployed project keeps the resources of its "
                         "old number", select)


def rooms(config: FactoryConfig) -> dict[EnvName, Room]:
    """Per enabled environment: how many more projects fit, and which do not (a fresh VNet)."""
    out: dict[EnvName, Room] = {}
    for name, _ in config.environments.enabled():
        try:
            plan = network.plan_environment(config, name)
        except UserError as exc:
            out[name] = Room(0, 0, (), str(exc))
            continue
        out[name] = Room(plan.capacity_left, len(plan.projects), plan.unplaced)
    return out
