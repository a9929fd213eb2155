"""Form fields drawn from the model: a Toggle for a bool, a Select for a Literal, an Input otherwise.

Each `ConfigField` knows its dotted path. A change posts `FieldEdited`; the App applies it with
`try_set` and either refreshes everything from the new configuration or hands the problems back
to the field, which shows them under the input without losing what the person typed.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static

from screens.messages import FieldEdited
from screens.widgets.toggle import Toggle
from wizard.edit import FieldSpec, PathError, display_value, field_spec, get_path
from wizard.errors import FieldProblem
from wizard.model import FactoryConfig


def field_dom_id(path: str) -> str:
    """A DOM id for the field at `path` (dots are not allowed in ids)."""
    return "f-" + path.replace(".", "--").replace("_", "-")


class ConfigField(Vertical):
    """One labelled field of the configuration, with its problem line and mark."""

    DEFAULT_CSS = """
    ConfigField { height: auto; }
    ConfigField > Horizontal { height: auto; }
    ConfigField .field-label { width: 30; padding: 0 1 0 0; }
    ConfigField Input, ConfigField Select { width: 1fr; }
    ConfigField Toggle { width: auto; }
    ConfigField .field-choices { width: 1fr; height: auto; }
    ConfigField .field-problem { color: $error; padding-left: 30; height: auto; }
    ConfigField .field-problem.-warning { color: $warning; }
    """

    def __init__(self, config: FactoryConfig, path: str, *, label: str | None = None,
                 placeholder: str = "") -> None:
        super().__init__(id=field_dom_id(path))
        self.path = path
        self.spec: FieldSpec = field_spec(config, path)
        self.label = label or self.spec.title
        self.placeholder = placeholder
        self._value = _value_at(config, path)
        self._unshown: tuple[list[str], str] | None = None
        """Problems given before the field was composed."""
        self._shown_problems: tuple[tuple[str, ...], str] = ((), "error")
        """What the problem line shows now (it starts empty and hidden)."""

    def on_mount(self) -> None:
        if self._unshown is not None:
            texts, severity = self._unshown
            self._unshown = None
            self.show_problems(texts, severity)

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(self.label, classes="field-label", markup=False)
            yield self._control()
        problem = Static("", classes="field-problem", markup=False)
        problem.display = False
        yield problem

    def _control(self) -> Widget:
        spec, value = self.spec, self._value
        if spec.kind == "bool":
            return Toggle(bool(value), tooltip=spec.description)
        if spec.kind == "list" and spec.choices:
            chosen = value or []
            return Horizontal(*[Toggle(choice in chosen, label=choice.replace("_", " "), tooltip=spec.description)
                                for choice in spec.choices], classes="field-choices")
        if spec.kind == "choice":
            options = [(choice, choice) for choice in spec.choices]
            return Select(options, value=str(value), allow_blank=False, tooltip=spec.description, compact=True)
        return Input(display_value(value), placeholder=self.placeholder or spec.description[:60],
                     type="integer" if spec.kind == "int" else "text", tooltip=spec.description, compact=True)

    @property
    def control(self) -> Widget:
        """The input widget (Toggle, Select or Input)."""
        return self.query_one("Toggle, Select, Input")

    def focus_control(self) -> None:
        """Move the focus to this field's input."""
        self.control.focus()

    # -------------------------------------------------------------- edits out

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value != display_value(self._value) or self.has_class("-refused"):
            self.post_message(FieldEdited(self.path, event.value, typed=True))

    def on_toggle_changed(self, event: Toggle.Changed) -> None:
        event.stop()
        if self.spec.kind == "list":
            chosen = [choice for toggle, choice in zip(self.query(Toggle), self.spec.choices, strict=True)
                      if toggle.value]
            self.post_message(FieldEdited(self.path, chosen))
        elif event.value != self._value:
            self.post_message(FieldEdited(self.path, event.value))

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.value is not Select.NULL and event.value != self._value:
            self.post_message(FieldEdited(self.path, event.value))

    # -------------------------------------------------------------- state in

    def refresh_value(self, config: FactoryConfig) -> None:
        """Show the configuration's value, unless the person is typing a different form of it."""
        value = _value_at(config, self.path)
        if value == self._value:
            return
        self._value = value
        control = self.control
        if self.spec.kind == "list" and self.spec.choices:
            for toggle, choice in zip(self.query(Toggle), self.spec.choices, strict=True):
                toggle.value = choice in (value or [])
        elif isinstance(control, Toggle):
            control.value = bool(value)
        elif isinstance(control, Select):
            control.value = str(value)
        elif isinstance(control, Input) and not control.has_focus:
            control.value = display_value(value)

    def revert_choice(self) -> None:
        """A refused choice (a toggle, a list, a select) shows the value the configuration still
        holds again; typed text stays as it was, for the person to correct."""
        value, control = self._value, self.control
        if self.spec.kind == "list" and self.spec.choices:
            for toggle, choice in zip(self.query(Toggle), self.spec.choices, strict=True):
                toggle.value = choice in (value or [])  # type: ignore[operator]
        elif isinstance(control, Toggle):
            control.value = bool(value)
        elif isinstance(control, Select):
            control.value = str(value)

    def show_problems(self, problems: list[FieldProblem] | list[str], severity: str = "error") -> None:
        """Show what is wrong under the input (an empty list clears it)."""
        texts = [p.message if isinstance(p, FieldProblem) else p for p in problems]
        line = next(iter(self.query(".field-problem").results(Static)), None)
        if line is None:  # mounted but not composed yet: shown once it is (on_mount)
            self._unshown = (texts, severity)
            return
        shown = (tuple(texts), severity)
        if shown == self._shown_problems:
            return  # unchanged: an update would cost a layout pass on every redraw
        self._shown_problems = shown
        line.update("\n".join(f"✗ {t}" if severity == "error" else f"! {t}" for t in texts))
        line.display = bool(texts)
        line.set_class(severity == "warning", "-warning")
        self.set_class(bool(texts), "-invalid")


def _value_at(config: FactoryConfig, path: str) -> object:
    """The value at `path`, or None for an entry a mapping does not hold yet (a hub id to fill in)."""
    try:
        return get_path(config, path)
    except PathError:
        return None


def refresh_fields(root: Widget, config: FactoryConfig) -> None:
    """Refresh every ConfigField under `root` from `config`."""
    for field in root.query(ConfigField):
        field.refresh_value(config)
