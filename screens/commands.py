"""The command palette (ctrl+p): jump to any step or field, save, export, re-check.

Built from what is on screen and in the step list, so a field added to a step is searchable
without being listed a second time here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from screens.messages import ExportRequested, GoToStep


class WizardCommands(Provider):
    """Steps, fields and actions of the wizard."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        from screens.widgets.fields import ConfigField
        from wizard.steps import STEPS, step_for_field

        app = self.app
        wizard = getattr(app, "wizard", None)
        if wizard is None:
            return []
        demo = getattr(app, "demo", False)
        out: list[tuple[str, Callable[[], object], str]] = []
        for number, step in enumerate([s for s in STEPS if not (demo and s.demo_skips)], start=1):
            out.append((f"Step {number}: {step.title}", partial(wizard.post_message, GoToStep(step.id)), step.blurb))
        for field in wizard.query(ConfigField):
            target = step_for_field(field.path) or "review"
            out.append((f"Field: {field.label}", partial(wizard.post_message, GoToStep(target, field.path)),
                        field.path))
        out += [
            ("Save preset", partial(app.run_action, "save"), "ctrl+s"),
            ("Save preset as…", partial(app.run_action, "save_as"), "save under another name"),
            ("Export .env (GitHub Actions)", partial(app.post_message, ExportRequested("env")), ""),
            ("Export variables.yaml (Azure DevOps)", partial(app.post_message, ExportRequested("ado")), ""),
            ("Handover report", partial(app.post_message, ExportRequested("report")),
             "one HTML or Markdown file for the customer"),
            ("Re-run the live checks", partial(app.run_action, "recheck"), "ctrl+r"),
            ("Undo the last change", partial(app.run_action, "undo"), "ctrl+z"),
        ]
        return out

    async def discover(self) -> Hits:
        for text, callback, help_text in self._commands():
            if not text.startswith("Field: "):
                yield DiscoveryHit(text, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, callback, help_text in self._commands():
            score = matcher.match(f"{text} {help_text}")
            if score > 0:
                yield Hit(score, matcher.highlight(text), callback, help=help_text)
