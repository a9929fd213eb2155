"""Findings as a person acts on them: what is wrong, what to do, and a button that does it.

A `FindingRow` is focusable: enter jumps to the field the finding names, `a` applies its fix.
The fix's button says what it does: Apply (set a field), Register (a resource provider),
Copy (a command), Open (a link).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Static

from screens.messages import ApplyFix, GoToStep
from wizard.findings import Finding, OpenLink, RegisterProvider, RunCommand, SetField
from wizard.steps import step_for_finding

GLYPHS = {"error": ("✗", "bold red"), "warning": ("!", "bold yellow"), "info": ("i", "bold blue")}


def fix_label(finding: Finding) -> str | None:
    """The button text for a finding's fix, or None when it has none."""
    fix = finding.fix
    if isinstance(fix, SetField):
        return "Apply"
    if isinstance(fix, RegisterProvider):
        return "Register"
    if isinstance(fix, RunCommand):
        return "Copy"
    if isinstance(fix, OpenLink):
        return "Open"
    return None


def finding_text(finding: Finding, *, with_environment: bool = True) -> Text:
    """`✗ stage names: message` with its hint on the next line (user text never as markup)."""
    glyph, style = GLYPHS[finding.severity]
    text = Text()
    text.append(f"{glyph} ", style=style)
    where = " ".join(part for part in (finding.environment if with_environment else "", finding.check) if part)
    if where:
        text.append(f"{where}: ", style="bold")
    text.append(finding.message)
    if finding.hint:
        text.append("\n  → ", style="dim")
        text.append(finding.hint, style="italic")
    return text


class FindingRow(Horizontal):
    """One finding: its text, and its fix's button."""

    DEFAULT_CSS = """
    FindingRow { height: auto; padding: 0 1; }
    FindingRow:focus { background: $boost; }
    FindingRow > Static { width: 1fr; height: auto; }
    FindingRow > Button { min-width: 10; width: auto; height: 1; border: none; margin-left: 1; }
    """
    can_focus = True
    BINDINGS = [
        Binding("enter", "jump", "Go to field", id="finding.jump", tooltip="Show the step and field this is about"),
        Binding("a", "apply", "Apply fix", id="finding.apply", tooltip="Do what the fix says"),
    ]

    def __init__(self, finding: Finding) -> None:
        super().__init__()
        self.finding = finding

    def compose(self) -> ComposeResult:
        yield Static(finding_text(self.finding))
        label = fix_label(self.finding)
        if label:
            yield Button(label, variant="primary" if label == "Apply" else "default", compact=True,
                         tooltip=self.finding.fix.describe() if self.finding.fix else None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "apply":
            return self.finding.fix is not None
        return True

    def action_jump(self) -> None:
        self.post_message(GoToStep(step_for_finding(self.finding), self.finding.field))

    def action_apply(self) -> None:
        if self.finding.fix is not None:
            self.post_message(ApplyFix(self.finding))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_apply()

    def on_click(self) -> None:
        self.focus()


class FindingList(Vertical):
    """Findings, errors first; replaced whole when they change.

    Not a scroller of its own: it sits in a pane that scrolls, and a nested scroller whose
    scrollbar narrows its own lines (so they wrap, so it needs the scrollbar) never settles.
    """

    DEFAULT_CSS = """
    FindingList { height: auto; }
    FindingList > .empty { color: $success; padding: 0 1; }
    FindingList > .more { color: $text-muted; padding: 0 1; }
    """

    def __init__(self, *, empty: str = "✓ nothing to fix", id: str | None = None, classes: str = "",
                 limit: int | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.empty = empty
        self.limit = limit
        """Show at most this many rows and say how many more there are (None: all of them)."""
        self._shown: list[Finding] = []

    def show(self, findings: list[Finding]) -> None:
        """Show these findings (nothing happens when they are the ones already shown)."""
        if findings == self._shown:
            return
        self._shown = list(findings)
        self.remove_children()
        if not findings:
            self.mount(Static(self.empty, classes="empty"))
            return
        shown = findings if self.limit is None else findings[:self.limit]
        rows: list[Widget] = [FindingRow(f) for f in shown]
        if len(shown) < len(findings):
            rows.append(Static(f"… and {len(findings) - len(shown)} more; the review lists every one",
                               classes="more", markup=False))
        self.mount_all(rows)
