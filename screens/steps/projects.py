"""Step 7: the projects as a table (hundreds stay fast), the selected one's settings, and the room left.

Add, clone, remove and renumber are `wizard.projects`' actions; this step posts their result as a
`ConfigReplaced` (ctrl+z undoes it) or shows why it was refused. The table's rows are updated in
place when only a field changed, rebuilt when projects come or go. Below it, the selected project's
number, name, members, allow-list and per-project services are ordinary fields.
"""

from __future__ import annotations

import re

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, DataTable, Static

from screens.messages import ConfigReplaced, FieldEdited
from screens.steps.base import StepPane
from screens.widgets.fields import ConfigField
from screens.widgets.toggle import Toggle
from wizard import catalog, projects, services
from wizard.model import SERVICE_FLAGS, EnvName, FactoryConfig, ProjectConfig

COLUMNS = ("no.", "name", "members", "IPs", "services", "fits")

DETAIL_FIELDS = {
    "number": "Number",
    "name": "Name",
    "members": "Members (object ids)",
    "member_emails": "Member e-mails",
    "ip_allow_list": "IP allow-list",
    "cost_center": "Cost center",
}
"""The selected project's fields, with their labels."""



def _overrides(config: FactoryConfig, project: ProjectConfig) -> str:
    """`+2 −1`: services this project adds to or drops from the factory's; `–` when none."""
    on = sum(1 for flag, value in project.services.items() if value and not getattr(config.services, flag))
    off = sum(1 for flag, value in project.services.items() if not value and getattr(config.services, flag))
    return " ".join(part for part in (f"+{on}" if on else "", f"−{off}" if off else "") if part) or "–"


def _row(config: FactoryConfig, project: ProjectConfig, short: dict[str, list[EnvName]]) -> list[Text]:
    """One project's cells (user text as Text: never parsed as markup)."""
    missing = short.get(project.number, [])
    fits = Text("✗ " + ",".join(missing), style="bold red") if missing else Text("✓", style="green")
    return [Text(project.number), Text(project.name), Text(str(len(project.members)), justify="right"),
            Text(str(len(project.ip_allow_list)), justify="right"), Text(_overrides(config, project)), fits]


class ProjectTable(DataTable[Text]):
    """The projects, one row each; the cursor selects the one edited below."""

    DEFAULT_CSS = "ProjectTable { height: auto; max-height: 14; }"


class ServiceToggles(Horizontal):
    """The selected project's services: the factory's, each one switchable for this project alone."""

    DEFAULT_CSS = """
    ServiceToggles { height: auto; layout: grid; grid-size: 2; grid-gutter: 0 1; }
    ServiceToggles Toggle { width: 1fr; }
    """

    def __init__(self, config: FactoryConfig, index: int) -> None:
        super().__init__(id="project-services")
        self.index = index
        project = config.projects[index]
        effective = config.project_services(project)
        active = set(catalog.active_services(config.services))
        self.flags = [flag for flag in SERVICE_FLAGS if flag in active or flag in project.services]
        self._toggles = [Toggle(bool(getattr(effective, flag)), label=services.label(f"services.{flag}"),
                                tooltip="on or off for this project only") for flag in self.flags]

    def compose(self) -> ComposeResult:
        yield from self._toggles

    def on_toggle_changed(self, event: Toggle.Changed) -> None:
        event.stop()
        flag = self.flags[self._toggles.index(event.toggle)]
        self.post_message(FieldEdited(f"projects.{self.index}.services.{flag}", event.value))


class ProjectsStep(StepPane):
    """The project table, its actions, the selected project's settings and the address room."""

    STEP_ID = "projects"
    FOOT_LIMIT = 12  # with hundreds of projects, hundreds of findings: the review lists them all
    DEFAULT_CSS = """
    ProjectsStep #room { height: auto; }
    ProjectsStep #project-actions { height: auto; margin: 1 0 0 0; }
    ProjectsStep #project-actions Button { margin-right: 1; min-width: 10; }
    ProjectsStep #project-detail { height: auto; border: round $panel-lighten-2; padding: 0 1; margin-top: 1; }
    ProjectsStep ConfigField .field-label { width: 22; }
    ProjectsStep ConfigField .field-problem { padding-left: 22; }
    """
    BINDINGS = [
        Binding("a", "add", "Add project", id="projects.add", tooltip="Add a project numbered after the highest"),
        Binding("c", "clone", "Clone", id="projects.clone",
                tooltip="Copy the selected project (members, allow-list, services) as the next number"),
        Binding("delete,d", "remove", "Remove", id="projects.remove", tooltip="Remove the selected project"),
        Binding("r", "renumber", "Renumber", id="projects.renumber",
                tooltip="Number the projects 001, 002, … in order"),
    ]

    def __init__(self, config: FactoryConfig, *, demo: bool) -> None:
        super().__init__(config, demo=demo)
        self.selected = 0
        """The index of the project the table's cursor is on (edited below the table)."""
        self._cells: list[list[Text]] = []
        """The cells drawn, per row: a change updates only the cells that differ."""
        self._detail_of: tuple[int, str, object] | None = None
        """Which project (and services) the fields below the table show."""
        self._room_of: object = None
        """What the address room shown was computed from."""
        self._short: dict[str, list[EnvName]] = {}
        """Project number -> environments it does not fit in."""
        self._reuse: projects.ProjectChange | None = None
        """The last action's outcome: its address room is this step's when its configuration arrives."""

    def compose_body(self) -> ComposeResult:
        yield Static("", id="room")
        with Horizontal(id="project-actions"):
            yield Button("Add", id="project-add", variant="primary", compact=True, tooltip="a")
            yield Button("Clone", id="project-clone", compact=True, tooltip="c")
            yield Button("Remove", id="project-remove", compact=True, tooltip="d or delete")
            yield Button("Renumber", id="project-renumber", compact=True, tooltip="r")
        yield ProjectTable(id="project-table", cursor_type="row", zebra_stripes=True)
        yield Vertical(id="project-detail")

    def on_mount(self) -> None:
        table = self.query_one(ProjectTable)
        for label in COLUMNS:
            table.add_column(label, key=label)
        self._draw(self.config)

    # ------------------------------------------------------------------ state in

    def show_config(self, config: FactoryConfig) -> None:
        super().show_config(config)
        self._draw(config)

    def _draw(self, config: FactoryConfig) -> None:
        self._draw_room(config)
        self._draw_table(config)
        self.selected = min(self.selected, len(config.projects) - 1)
        self.call_later(self._draw_detail)

    def _draw_room(self, config: FactoryConfig) -> None:
        """How many more projects fit per environment (recomputed only when the plan's inputs change)."""
        key = (config.network, config.environments, config.services, config.landing_zone,
               [(p.number, p.services) for p in config.projects])
        if key == self._room_of:
            return
        self._room_of = key
        rooms = self._reuse.rooms if self._reuse and self._reuse.config is config and self._reuse.rooms \
            else projects.rooms(config)
        text = Text("Room in the address plan: ", style="bold")
        short: dict[str, list[EnvName]] = {}
        parts = []
        for env, room in rooms.items():
            if room.problem:
                parts.append(Text(f"{env}: no plan ({room.problem})", style="red"))
                continue
            parts.append(Text(f"{env} {room.fits_more} more", style="red" if room.unplaced else ""))
            for number in room.unplaced:
                short.setdefault(number, []).append(env)
        text.append_text(Text(" · ").join(parts))
        if short:
            text.append(f"\n✗ {len(short)} project(s) do not fit; the Network step shows the plan and proposes "
                        "a larger range", style="red")
        self._short = short
        self.query_one("#room", Static).update(text)

    def _draw_table(self, config: FactoryConfig) -> None:
        """Update the rows that changed in place; rebuild when projects came or went."""
        table = self.query_one(ProjectTable)
        cells = [_row(config, project, self._short) for project in config.projects]
        if len(cells) == len(self._cells) and table.row_count == len(cells):
            for index, (old, new) in enumerate(zip(self._cells, cells, strict=True)):
                for column, before, after in zip(COLUMNS, old, new, strict=True):
                    if before != after:
                        table.update_cell(str(index), column, after, update_width=True)  # a longer name shows whole
        else:
            table.clear()
            for index, row in enumerate(cells):
                table.add_row(*row, key=str(index))
        self._cells = cells
        if table.row_count and table.cursor_row != self.selected:
            table.move_cursor(row=min(self.selected, table.row_count - 1))

    async def _draw_detail(self) -> None:
        """The selected project's fields; rebuilt only when another project (or its services) shows."""
        config = self.config
        if not config.projects:
            return
        index = min(self.selected, len(config.projects) - 1)
        project = config.projects[index]
        shape = (index, project.number, (config.services, project.services))
        if shape == self._detail_of:
            return
        self._detail_of = shape
        detail = self.query_one("#project-detail", Vertical)
        detail.border_title = f"project {project.number}"
        await detail.remove_children()
        widgets: list[Widget] = [ConfigField(config, f"projects.{index}.{name}", label=label)
                                 for name, label in DETAIL_FIELDS.items()]
        widgets.append(Static("Services for this project", classes="section"))
        widgets.append(ServiceToggles(config, index))
        await detail.mount_all(widgets)

    # ------------------------------------------------------------------ selection

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if event.cursor_row != self.selected:
            self.selected = event.cursor_row
            self.call_later(self._draw_detail)

    def focus_field(self, path: str) -> bool:
        """Select the project a path names, then focus its field once the settings below show it."""
        found = re.match(r"projects\.(\d+)", path)
        if found is None or int(found.group(1)) >= len(self.config.projects):
            self.query_one(ProjectTable).focus()
            return True
        self.selected = int(found.group(1))
        self.query_one(ProjectTable).move_cursor(row=self.selected)
        self.call_later(self._draw_detail)
        self.call_later(super().focus_field, path)
        return True

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remove":
            return len(self.config.projects) > 1
        return True

    def _apply(self, change: projects.ProjectChange) -> None:
        if change.config is None:
            self.notify("\n".join(p.message for p in change.edit.problems), title="projects", severity="warning",
                        markup=False)
            return
        self.selected = change.select
        self._reuse = change
        if change.config == self.config:
            self.notify(change.message, markup=False)
            return
        self.post_message(ConfigReplaced(change.config, change.message))

    def action_add(self) -> None:
        self._apply(projects.add(self.config))

    def action_clone(self) -> None:
        self._apply(projects.clone(self.config, self.selected))

    def action_remove(self) -> None:
        self._apply(projects.remove(self.config, self.selected))

    def action_renumber(self) -> None:
        self._apply(projects.renumber(self.config, self.selected))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        actions = {"project-add": self.action_add, "project-clone": self.action_clone,
                   "project-remove": self.action_remove, "project-renumber": self.action_renumber}
        action = actions.get(event.button.id or "")
        if action is not None:
            action()
