"""The wizard: the steps sidebar, the step being edited, and the help pane.

It shows what the App tells it (the configuration, the findings, the marks) and turns a
sidebar selection or `[`/`]` into the step shown; edits go up to the App as messages.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Static

from screens.messages import GoToStep
from screens.steps import STEP_PANES, StepPane
from screens.widgets.fields import ConfigField
from screens.widgets.help_pane import HelpPane
from screens.widgets.sidebar import Sidebar
from wizard.draft import Draft
from wizard.live_state import LiveState, StepMark
from wizard.model import FactoryConfig
from wizard.steps import STEPS

NARROW = 100
"""Below this many columns the help pane folds away and the sidebar shows numbers only."""


WIDE_STEPS = frozenset({"skus", "projects", "review"})
"""Steps that take the help pane's width (F1 brings it back): the review lists every finding itself,
the SKU step draws quota bars and costs per environment, the projects step a table."""


class WizardScreen(Screen[None]):
    """Sidebar | step | help."""

    DEFAULT_CSS = """
    WizardScreen #topbar { height: 1; background: $panel; padding: 0 1; }
    WizardScreen #title { width: 1fr; }
    WizardScreen #banner { width: auto; color: $warning; text-style: bold; }
    WizardScreen #main { height: 1fr; }
    WizardScreen ContentSwitcher { width: 1fr; height: 1fr; }
    """
    BINDINGS = [
        Binding("left_square_bracket", "step(-1)", "Prev step", id="step.prev", tooltip="Go to the previous step"),
        Binding("right_square_bracket", "step(1)", "Next step", id="step.next", tooltip="Go to the next step"),
        Binding("f1", "toggle_help", "Help", id="help.toggle", tooltip="Show or hide the help pane"),
    ]

    def __init__(self, draft: Draft, *, demo: bool) -> None:
        super().__init__()
        self.draft = draft
        self.demo = demo
        self.steps = [s for s in STEPS if not (demo and s.demo_skips)]
        self.current = self.steps[0].id
        self.visited: set[str] = {self.current}
        self.help_wanted = True
        self._stale_config: set[str] = set()
        """Steps whose fields have not seen the latest configuration (they refresh when shown)."""
        self._title_shown = ""
        self._stale_findings: set[str] = set()
        self._state: tuple[LiveState, bool, str] | None = None
        self.ready = False
        """True once composed and mounted: the App may redraw it."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static(self.title_text(), id="title", markup=False)
            if self.demo:
                yield Static("DEMO: nothing is deployed to Azure", id="banner")
        with Horizontal(id="main"):
            yield Sidebar(demo=self.demo, id="sidebar")
            with ContentSwitcher(initial=f"step-{self.current}"):
                for step in self.steps:
                    yield STEP_PANES[step.id](self.draft.config, demo=self.demo)
            yield HelpPane(id="help")
        yield Footer()

    def title_text(self) -> str:
        """`aifactory · name*` (the star: unsaved changes)."""
        name = self.draft.name or self.draft.source or "new configuration"
        return f"aifactory · {name}{'*' if self.draft.dirty else ''}"

    def on_mount(self) -> None:
        self.query_one(Sidebar).show(self.current)
        self._fit(self.size.width)
        self._intro()
        self.ready = True
        self.app.refresh_wizard()  # type: ignore[attr-defined]

    def on_unmount(self) -> None:
        self.ready = False

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        narrow = width < NARROW
        self.query_one(Sidebar).set_narrow(narrow)
        self.query_one(Footer).compact = narrow  # at 80 columns the spaced-out keys lost "? Keys" off the end
        wide_step = self.current in WIDE_STEPS
        self.query_one(HelpPane).set_class(narrow or wide_step or not self.help_wanted, "-hidden")

    # ------------------------------------------------------------------ steps

    @property
    def panes(self) -> list[StepPane]:
        """Every step pane, in order."""
        return list(self.query(StepPane))

    def pane(self, step_id: str) -> StepPane:
        """The pane of step `step_id`."""
        return self.query_one(f"#step-{step_id}", StepPane)

    def field(self, path: str) -> ConfigField | None:
        """The field editing `path`, on the step that edits it (or anywhere, for a field shown twice)."""
        from wizard.steps import step_for_field

        home = step_for_field(path)
        if home in {s.id for s in self.steps}:
            found = self.pane(home).field(path)
            if found is not None:
                return found
        for pane in self.panes:
            found = pane.field(path)
            if found is not None:
                return found
        return None

    def on_go_to_step(self, message: GoToStep) -> None:
        message.stop()
        self.show_step(message.step, message.field)

    def show_step(self, step_id: str, field: str = "") -> None:
        """Show a step (and focus a field on it when given)."""
        if step_id not in {s.id for s in self.steps}:
            step_id = "review"
        self.current = step_id
        first_visit = step_id not in self.visited
        self.visited.add(step_id)
        self.query_one(ContentSwitcher).current = f"step-{step_id}"
        self.query_one(Sidebar).show(step_id)
        self._fit(self.size.width)
        if step_id in self._stale_config or step_id in self._stale_findings:
            self._draw_pane(step_id)
        if field:
            self.call_after_refresh(self.pane(step_id).focus_field, field)
        self._intro()
        if first_visit and self._state is not None:
            self._mark_steps(self._state[0])  # a visited step with nothing wrong turns ✓ at once

    def _mark_steps(self, state: LiveState) -> None:
        """Every step's sidebar mark from the check state (the visited ones may turn ✓)."""
        marks: dict[str, StepMark] = {
            s.id: state.step_mark(s.id, touched=s.id in self.visited, checks=s.checks) for s in self.steps
        }
        self.query_one(Sidebar).set_marks(marks)

    def action_step(self, delta: int) -> None:
        ids = [s.id for s in self.steps]
        index = (ids.index(self.current) + delta) % len(ids)
        self.show_step(ids[index])

    def action_toggle_help(self) -> None:
        self.help_wanted = not self.help_wanted
        if self.size.width < NARROW:
            self.help_wanted = self.query_one(HelpPane).has_class("-hidden")
        self.query_one(HelpPane).set_class(not self.help_wanted, "-hidden")

    # ------------------------------------------------------------------ help

    def _intro(self) -> None:
        step = next(s for s in self.steps if s.id == self.current)
        self.query_one(HelpPane).explain_text(step.title, step.blurb)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        node = event.widget
        while node is not None and not isinstance(node, ConfigField):
            node = node.parent  # type: ignore[assignment]
        if isinstance(node, ConfigField):
            state: LiveState = self.app.live_state  # type: ignore[attr-defined]
            self.query_one(HelpPane).explain(self.draft.config, node.path, state.findings, title=node.label)

    # ------------------------------------------------------------------ state from the App

    def show_config(self, config: FactoryConfig) -> None:
        """The configuration changed: the step in view refreshes now, the others when shown."""
        self._stale_config = {s.id for s in self.steps} - {self.current}
        self.pane(self.current).show_config(config)

    def refresh_all(self, state: LiveState, *, live: bool, note: str) -> None:
        """Redraw title, marks and the step in view from the draft and the check state; the other
        steps catch up when shown (a redraw costs in proportion to what it touches)."""
        self._state = (state, live, note)
        self._stale_findings = {s.id for s in self.steps} - {self.current}
        title = self.title_text()
        if title != self._title_shown:  # an unchanged update would still cost a layout pass
            self._title_shown = title
            self.query_one("#title", Static).update(title)
        self._draw_pane(self.current)
        self._mark_steps(state)

    def _draw_pane(self, step_id: str) -> None:
        """Bring one pane up to date with the configuration and the check state."""
        pane = self.pane(step_id)
        if step_id in self._stale_config:
            self._stale_config.discard(step_id)
            pane.show_config(self.draft.config)
        if self._state is None:
            return
        state, live, note = self._state
        self._stale_findings.discard(step_id)
        pane.show_state(self.draft.config, state, live=live, note=note)
