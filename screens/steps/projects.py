"""Step 7: the projects, their members and IP allow-lists."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical

from screens.steps.base import StepPane
from screens.widgets.fields import ConfigField
from wizard.model import FactoryConfig


class ProjectsStep(StepPane):
    """One box per project."""

    STEP_ID = "projects"
    DEFAULT_CSS = """
    ProjectsStep .project-box { height: auto; border: round $panel-lighten-2; padding: 0 1; margin-bottom: 1; }
    """

    def compose_body(self) -> ComposeResult:
        for index, project in enumerate(self.config.projects):
            with Vertical(classes="project-box") as box:
                box.border_title = f"project {project.number}"
                yield ConfigField(self.config, f"projects.{index}.name", label="Name")
                yield ConfigField(self.config, f"projects.{index}.members", label="Members (object ids)")
                yield ConfigField(self.config, f"projects.{index}.ip_allow_list", label="IP allow-list")

    def structure(self, config: FactoryConfig) -> object:
        return tuple(p.number for p in config.projects)
