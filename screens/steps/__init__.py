"""One module per wizard step; `STEP_PANES` maps a step id (wizard/steps.py) to its pane class."""

from __future__ import annotations

from screens.steps.base import StepPane
from screens.steps.environments import EnvironmentsStep
from screens.steps.landing_zone import LandingZoneStep
from screens.steps.network import NetworkStep
from screens.steps.projects import ProjectsStep
from screens.steps.review import ReviewStep
from screens.steps.services import ServicesStep
from screens.steps.signin import SignInStep
from screens.steps.skus import SkusStep

STEP_PANES: dict[str, type[StepPane]] = {
    "landing_zone": LandingZoneStep,
    "signin": SignInStep,
    "environments": EnvironmentsStep,
    "network": NetworkStep,
    "services": ServicesStep,
    "skus": SkusStep,
    "projects": ProjectsStep,
    "review": ReviewStep,
}
