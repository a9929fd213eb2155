"""Messages shared across the wizard's screens and widgets.

Small dataclass messages, in the manner of toolong's `messages.py`: screens and widgets post
them, the App (or the wizard screen) decides what happens. Widget-specific messages live in
their widget.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:  # the start screen must paint before pydantic and the model are imported
    from wizard.azure.choices import SubscriptionChoice
    from wizard.draft import Draft
    from wizard.events import Event
    from wizard.findings import Finding
    from wizard.model import EnvName, FactoryConfig
    from wizard.quota import Reading


@dataclass
class OpenDraft(Message):
    """Start editing this configuration (from the start screen, an import, a blank start)."""

    draft: Draft


@dataclass
class FieldEdited(Message):
    """A person changed a field: `raw` is what they typed or chose, `path` the dotted field."""

    path: str
    raw: Any
    typed: bool = False
    """True for a keystroke in a text box: its live checks wait for a pause in the typing. A
    choice (a toggle, a list, a fix) is checked at once."""


@dataclass
class ConfigReplaced(Message):
    """Apply a whole new configuration (a proposal, a fix touching several fields)."""

    config: FactoryConfig
    reason: str = ""


@dataclass
class ConfigChanged(Message):
    """The draft's configuration changed; widgets showing it refresh from `new`."""

    old: FactoryConfig
    new: FactoryConfig


@dataclass
class FindingsChanged(Message):
    """The offline findings or a live cell changed; marks and the review refresh."""


@dataclass
class LiveEvent(Message):
    """One event of a running preflight, carried from the worker thread to the UI."""

    event: Event
    run: int
    """Which run it belongs to; events of a run that was superseded are dropped."""


@dataclass
class GoToStep(Message):
    """Show this step (from the sidebar, a key, the palette, or a finding's jump)."""

    step: str
    field: str = ""
    """Focus this field once the step shows, when given."""


@dataclass
class ApplyFix(Message):
    """Apply a finding's fix (its Apply button, or `a` on a selected finding)."""

    finding: Finding
    done: Callable[[], None] | None = None
    """Called on the UI thread once the fix is applied (a provider once Azure was asked to register
    it): the dashboard retries the failed stage or offers to deploy again."""


@dataclass
class SessionReady(Message):
    """The live session (sandbox or Azure sign-in) is open."""

    account: str
    tenant_id: str
    demo: bool


@dataclass
class SessionFailed(Message):
    """Signing in failed; the message says what to do."""

    message: str
    hint: str = ""


@dataclass
class SignInRequested(Message):
    """Sign in to Azure now (the sign-in step's buttons)."""

    device_code: bool = False


@dataclass
class ExportRequested(Message):
    """Write the configuration as `fmt`: `env` (.env), `ado` (variables.yaml), `preset`, or
    `report` (the handover report)."""

    fmt: str
    run_id: str | None = None
    """The report's deployment run (the dashboard's); None: the configuration's latest."""
    written: Callable[[Path], None] | None = None
    """Called on the UI thread with the file once the report is written."""


@dataclass
class SubscriptionsLoaded(Message):
    """The subscriptions the session can see were read (or could not be: `problem` says why)."""

    choices: list[SubscriptionChoice] | None
    problem: str = ""


@dataclass
class DeployRequested(Message):
    """Deploy the configuration now (the review's Deploy button): the App opens the dashboard."""


@dataclass
class QuotasRead(Message):
    """The quota usages behind the SKU step's bars were read (in a worker, through the session's cache)."""

    readings: dict[EnvName, Reading]
