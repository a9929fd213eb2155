"""What every step pane shares: a heading, refresh from the configuration, its findings at the foot."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from screens.widgets.fields import ConfigField, refresh_fields
from screens.widgets.findings import FindingList
from wizard.findings import Finding
from wizard.live_state import LiveState
from wizard.model import FactoryConfig
from wizard.steps import step, step_for_finding


class StepPane(VerticalScroll):
    """One step of the wizard. Subclasses set STEP_ID and yield their body from `compose_body`.

    Panes never navigate and never edit the configuration themselves: their fields post
    `FieldEdited`, their buttons post messages, and the App decides (STYLE.md 1).
    """

    STEP_ID = ""
    FOOT_LIMIT: int | None = None
    """At most this many findings at the step's foot (the rest are counted); None: all."""
    DEFAULT_CSS = """
    StepPane { padding: 0 1; height: 1fr; scrollbar-gutter: stable; }
    StepPane > .step-title { text-style: bold; color: $accent; }
    StepPane > .step-blurb { color: $text-muted; margin-bottom: 1; }
    StepPane .section { text-style: bold; margin: 1 0 0 0; }
    StepPane > #step-findings { margin-top: 1; }
    """

    def __init__(self, config: FactoryConfig, *, demo: bool) -> None:
        super().__init__(id=f"step-{self.STEP_ID}")
        self.config = config
        self.demo = demo
        self.step = step(self.STEP_ID)

    def compose(self) -> ComposeResult:
        yield Static(self.step.title, classes="step-title", markup=False)
        yield Static(self.step.blurb, classes="step-blurb", markup=False)
        yield from self.compose_body()
        yield FindingList(empty="", id="step-findings", limit=self.FOOT_LIMIT)

    def compose_body(self) -> ComposeResult:
        """The step's own widgets."""
        yield from ()

    def structure(self, config: FactoryConfig) -> object:
        """What decides which widgets the step has (the mode, how many projects); None: fixed."""
        return None

    def show_config(self, config: FactoryConfig) -> None:
        """The configuration changed: refresh what this step shows (rebuilt when its shape changed)."""
        reshaped = self.structure(config) != self.structure(self.config)
        self.config = config
        if reshaped:
            self.call_later(self._reshape)
        else:
            refresh_fields(self, config)

    async def _reshape(self) -> None:
        """Rebuild the step, and give focus back to the field (or button) that had it: the rebuild
        removed the focused widget, which left the keyboard on the pane itself (enter did nothing)."""
        focused = self.screen.focused
        path, widget_id = "", None
        if focused is not None and self in focused.ancestors:
            field = next((n for n in focused.ancestors_with_self if isinstance(n, ConfigField)), None)
            path, widget_id = (field.path, None) if field is not None else ("", focused.id)
        await self.recompose()
        if path:
            self.focus_field(path)
        elif widget_id:
            again = self.query(f"#{widget_id}")
            if again:
                again.first().focus()

    def show_state(self, config: FactoryConfig, state: LiveState, *, live: bool, note: str) -> None:
        """Show what the checks know: by default the findings on this step (the review and the SKU
        step draw more: the grid, the quota bars)."""
        self.show_findings(state.findings)

    def show_findings(self, findings: list[Finding]) -> None:
        """Show the findings that belong to this step, and mark its fields."""
        mine = [f for f in findings if step_for_finding(f) == self.STEP_ID]
        self.query_one("#step-findings", FindingList).show(mine)
        for field in self.query(ConfigField):
            on_field = [f for f in mine if f.field == field.path and f.severity in ("error", "warning")]
            if on_field:
                severity = "error" if any(f.severity == "error" for f in on_field) else "warning"
                field.show_problems([f.message for f in on_field], severity)
            elif not field.has_class("-refused"):
                field.show_problems([])

    def field(self, path: str) -> ConfigField | None:
        """This step's field for `path`, if it has one."""
        for field in self.query(ConfigField):
            if field.path == path:
                return field
        return None

    def focus_field(self, path: str) -> bool:
        """Focus the field at `path`, else the nearest one above it, else the first one inside it
        (a finding on `landing_zone.dns` lands on its subscription); False when none is here."""
        fields = list(self.query(ConfigField))
        probe = path
        while probe:
            for field in fields:
                if field.path == probe:
                    return self._focus(field)
            probe = probe.rpartition(".")[0]
        inside = next((f for f in fields if f.path.startswith(path + ".")), None)
        return self._focus(inside) if inside is not None else False

    def _focus(self, field: ConfigField) -> bool:
        field.focus_control()
        self.scroll_to_widget(field)
        return True
