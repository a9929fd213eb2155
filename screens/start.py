"""The start screen: continue a preset of yours, start from a built-in, import a file, or start blank.

It is the first thing a person sees, so it waits for nothing: preset names come from the folders
at once, their descriptions (which need the YAML reader and the model) are read in a background
thread, and the sign-in (or the sandbox) opens in the background too; the line at the top says
who is signed in once it is known.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from presets.folders import preset_names
from screens.messages import OpenDraft

if TYPE_CHECKING:
    from presets.store import PresetStore

BACKGROUND_DELAY = 0.15
"""Seconds after the screen appears before background work starts: its imports (the YAML reader,
pydantic, the Azure SDK) hold the interpreter, and the first frame should not wait for them."""


@dataclass(frozen=True, slots=True)
class Listed:
    """A preset as the start screen lists it (details filled in once read)."""

    source: str
    name: str
    path: Path
    description: str = ""
    extends: str | None = None
    """The built-in it was saved from: what the line says when it has no description of its own."""


def _age(path: Path) -> str:
    import time

    try:
        seconds = time.time() - path.stat().st_mtime
    except OSError:
        return ""
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = int(seconds // size)
            return f"edited {count} {unit}{'s' if count > 1 else ''} ago"
    return "edited just now"


def _prompt(name: str, detail: str) -> Text:
    """One line: the name, then what it is (cut with … rather than wrapped)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{name:<24}", style="bold")
    text.append(detail.split(". ")[0].split(": ")[0], style="dim")
    return text


class StartScreen(Screen[None]):
    """Where every session begins."""

    AUTO_FOCUS = "#choices"
    DEFAULT_CSS = """
    StartScreen { align: center top; }
    StartScreen > Vertical { width: 96; max-width: 100%; height: 1fr; padding: 0 2; }
    StartScreen #banner { width: 100%; height: 1; background: $panel; color: $warning; text-style: bold;
                          content-align: right middle; padding: 0 1; }
    StartScreen #heading { text-style: bold; color: $accent; }
    StartScreen #who { color: $text-muted; margin-bottom: 1; }
    StartScreen #filter { margin-bottom: 1; }
    StartScreen #choices { height: 1fr; }
    StartScreen #problem { color: $error; height: auto; }
    """
    BINDINGS = [
        Binding("slash", "filter", "Filter", id="start.filter", tooltip="Type to narrow the list"),
        Binding("i", "import_file", "Import", id="start.import", tooltip="Open an AI Factory .env or variables.yaml"),
        Binding("b", "blank", "Blank", id="start.blank", tooltip="Start from every default"),
    ]

    @dataclass
    class DetailsRead(Message):
        """The presets' descriptions were read in the background."""

        listed: list[Listed]

    def __init__(self, user_dir: Path | None = None) -> None:
        super().__init__()
        self.user_dir = user_dir
        self.listed = [Listed(source, name, path) for source, name, path in preset_names(user_dir)]

    def compose(self) -> ComposeResult:
        demo = getattr(self.app, "demo", False)
        yield Static("DEMO: nothing is deployed to Azure" if demo else "aifactory", id="banner")
        with Vertical():
            yield Static("Set up the Enterprise Scale AI Factory", id="heading")
            yield Static(self.app_status(), id="who", markup=False)
            yield OptionList(id="choices")
            yield Static("", id="problem", markup=False)

    def app_status(self) -> str:
        status: str = getattr(self.app, "session_status", "")
        return status

    def on_mount(self) -> None:
        self._fill("")
        # The key hints follow the first frame: laying out the footer's keys would hold the list
        # back by a third of the time the screen takes (bench/wizard_start.py).
        self.call_after_refresh(self._add_footer)

    async def _add_footer(self) -> None:
        await self.mount(Footer())
        self.refresh_bindings()  # the footer draws its keys when the bindings are announced
        self.set_timer(BACKGROUND_DELAY, self.read_details)

    @work(thread=True, exclusive=True, group="start", exit_on_error=False, description="reading presets")
    def read_details(self) -> None:
        """Read every preset's description (and warm the model's import for what comes next)."""
        store: PresetStore = self.app.store  # type: ignore[attr-defined]
        listed = [Listed(i.source, i.name, i.path, i.description, i.extends) for i in store.list()]
        self.post_message(self.DetailsRead(listed))

    def on_start_screen_details_read(self, message: StartScreen.DetailsRead) -> None:
        self.listed = message.listed
        boxes = self.query("#filter").results(Input)
        self._fill(next((box.value for box in boxes), ""))

    def set_status(self, text: str) -> None:
        """Who is signed in, once known."""
        self.query_one("#who", Static).update(text)

    def _fill(self, needle: str) -> None:
        options = self.query_one("#choices", OptionList)
        highlighted = options.highlighted_option.id if options.highlighted_option is not None else None
        options.clear_options()
        needle = needle.lower()
        mine = [i for i in self.listed if i.source == "user" and needle in i.name.lower()]
        builtin = [i for i in self.listed if i.source == "builtin" and needle in i.name.lower()]
        if mine:
            options.add_option(Option(Text("Continue", style="bold underline"), disabled=True))
            for info in mine:
                about = info.description or (f"from {info.extends}" if info.extends else "")
                options.add_option(Option(_prompt(info.name, " · ".join(filter(None, (_age(info.path), about)))),
                                          id=f"user:{info.name}"))
        if builtin:
            options.add_option(Option(Text("Start from", style="bold underline"), disabled=True))
            for info in builtin:
                options.add_option(Option(_prompt(info.name, info.description), id=f"builtin:{info.name}"))
        options.add_option(Option(Text("Other", style="bold underline"), disabled=True))
        options.add_option(Option(_prompt("Import…", "an AI Factory .env or variables.yaml"), id="import"))
        options.add_option(Option(_prompt("Blank", "every default, nothing chosen"), id="blank"))
        enabled = [i for i in range(options.option_count) if not options.get_option_at_index(i).disabled]
        again = [i for i in enabled if options.get_option_at_index(i).id == highlighted]
        options.highlighted = (again or enabled or [None])[0]

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#choices", OptionList).focus()

    def action_filter(self) -> None:
        """Show the filter box (made on first use: the first frame does not wait for it)."""
        boxes = list(self.query("#filter").results(Input))
        box = boxes[0] if boxes else Input(placeholder="filter presets…", id="filter")
        if not boxes:
            self.query_one(Vertical).mount(box, before="#choices")
        box.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id or ""
        if choice == "import":
            self.action_import_file()
        elif choice == "blank":
            self.action_blank()
        elif ":" in choice:
            source, name = choice.split(":", 1)
            self._open_preset(name, source)

    def _open_preset(self, name: str, source: str) -> None:
        from wizard.draft import Draft
        from wizard.errors import UserError

        try:
            loaded = self.app.store.load(name)  # type: ignore[attr-defined]
        except UserError as exc:
            self.show_problem(str(exc))
            return
        if source == "user":
            draft = Draft(loaded.config, name, "yours", saved=loaded.config, path=loaded.path,
                          notes=list(loaded.notes))
        else:
            draft = Draft(loaded.config, "", f"from {name}", extends=name, notes=list(loaded.notes))
        self.post_message(OpenDraft(draft))

    def action_blank(self) -> None:
        from wizard.draft import Draft
        from wizard.model import FactoryConfig

        self.post_message(OpenDraft(Draft(FactoryConfig(), "", "blank")))

    def action_import_file(self) -> None:
        def opened(path: str | None) -> None:
            if path:
                self.import_path(Path(path).expanduser())

        from screens.modals import TextQuestion  # loaded when first needed: the first frame does not wait

        self.app.push_screen(TextQuestion("Import which file? (.env or variables.yaml)",
                                          placeholder="~/aifactory/.env"), opened)

    def import_path(self, path: Path) -> None:
        """Import an AI Factory file; a problem is shown here and the wizard stays up."""
        from wizard.draft import Draft
        from wizard.errors import UserError
        from wizard.interop import import_file

        try:
            result = import_file(path)
        except (UserError, OSError) as exc:
            said = str(exc)  # most problems name the file already: say it once
            self.show_problem(f"cannot import: {said}" if str(path) in said else f"cannot import {path}: {said}")
            return
        self.post_message(OpenDraft(Draft(result.config, "", f"imported {path.name}", path=None,
                                          notes=list(result.notes))))

    def show_problem(self, text: str) -> None:
        """A problem opening something, shown under the list (never as markup)."""
        self.query_one("#problem", Static).update(text)
