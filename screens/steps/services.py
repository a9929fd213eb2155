"""Step 5: the services each project gets, grouped as the AI Factory's `.env.template` groups them.

Every switch is a checklist line. Flipping one goes through `wizard.services.set_flag`: what it
needs comes on, what needs it goes off, and the line says so under the switch (the App's toast
sums it up; ctrl+z undoes the lot). Security settings follow as the last group.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from screens.messages import ConfigReplaced
from screens.steps.base import StepPane
from screens.widgets.fields import ConfigField
from screens.widgets.flags import FlagField
from wizard import services

SECURITY_SETTINGS = {
    "security.cmk_key_name": "CMK key name",
    "security.keyvault_soft_delete_days": "Key Vault soft delete (days)",
    "security.diagnostic_level": "Diagnostics level",
}
"""Security settings that are not switches, with their labels; shown under the Security switches."""


class ServicesStep(StepPane):
    """The AI Factory's switches group by group, dependencies enforced and explained."""

    STEP_ID = "services"

    def compose_body(self) -> ComposeResult:
        for group in services.GROUPS:
            yield Static(group.title, classes="section", markup=False)
            for flag in group.flags:
                yield FlagField(self.config, flag)
        for path, label in SECURITY_SETTINGS.items():
            yield ConfigField(self.config, path, label=label)

    def on_flag_field_flipped(self, event: FlagField.Flipped) -> None:
        event.stop()
        change = services.set_flag(self.config, event.path, event.on)
        for field in self.query(FlagField):
            field.show_note(change.notes if field is event.field else ())
        if change.switched:
            self.post_message(ConfigReplaced(change.config, _summary(event.path, event.on, change)))


def _summary(flag: str, on: bool, change: services.FlagChange) -> str:
    """One line for the toast: `Foundry capability host on; also on: Azure Cosmos DB`."""
    head = f"{services.label(flag)} {'on' if on else 'off'}"
    others = [services.label(p) for p in change.switched if p != flag]
    return f"{head}; also {'on' if on else 'off'}: {', '.join(others)}" if others else head
