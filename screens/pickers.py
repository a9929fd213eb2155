"""Type-to-filter pickers for an environment's subscription and region.

Both are `ModalScreen[str | None]`: a filter line over a list, dismissed with the chosen value
(None on escape). Typing filters at once; up and down move through the list without leaving the
filter; enter chooses. A subscription list of hundreds stays fast: every row's text is built
once, a keystroke only selects rows and underlines the match. Nothing here waits on Azure: the
subscriptions come from the App (read once per session in a worker), and the region marks from a
worker of the picker's own that runs the region-dependent live checks per region and reports
each as it finishes. User text (names from Azure, the filter) is never parsed as markup.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.style import Style
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist
from textual.worker import get_current_worker

from wizard import catalog
from wizard.azure.choices import RegionFit, SubscriptionChoice
from wizard.model import EnvName, FactoryConfig

GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
REGION_NAME = re.compile(r"^[a-z0-9]+$")
TYPED = "typed:"
"""Option id prefix of the row that takes the filter text as typed (an id the list lacks)."""

PICKER_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 92; max-width: 96%; height: 80%; border: thick $primary; background: $surface; padding: 0 1;
}}
{name} .picker-title {{ text-style: bold; height: 1; }}
{name} #filter {{ margin: 1 0 0 0; }}
{name} OptionList, {name} OptionList:focus {{
    height: 1fr; border: none; padding: 0; text-wrap: nowrap; text-overflow: ellipsis;
}}
{name} .picker-status {{ color: $text-muted; height: 1; }}
{name} .picker-detail {{ height: 4; }}
{name} .picker-keys {{ color: $text-muted; height: 1; }}
"""
"""Fixed heights: a keystroke repaints the list and the status line, never the picker's layout. The
list keeps no border even focused (OptionList's own focus border would move every row down a line
under the mouse that clicked it)."""


MATCH = Style(underline=True, reverse=True)
"""How the filter's match is marked in a row (reverse reads without colour)."""


def _underline(row: Content, needle: str, spans: Sequence[tuple[int, int]], lowered: str = "") -> Content:
    """`row` with the first occurrence of `needle` inside each (start, end) span marked.

    `lowered` is the row's plain text in lower case when the caller keeps it (a keystroke over
    hundreds of rows should not lower-case each again).
    """
    if not needle:
        return row
    plain = lowered or row.plain.lower()
    for start, end in spans:
        at = plain.find(needle, start, end)
        if at >= 0:
            row = row.stylize(MATCH, at, at + len(needle))
    return row


class FilterPicker(ModalScreen[str | None]):
    """A filter line over an option list; subclasses say what the rows are."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel", tooltip="Close without choosing"),
        Binding("down", "move(1)", "Next", id="picker.down", show=False, tooltip="Highlight the next row"),
        Binding("up", "move(-1)", "Previous", id="picker.up", show=False, tooltip="Highlight the previous row"),
        Binding("pagedown", "page(1)", "Page down", id="picker.pagedown", show=False, tooltip="A page down"),
        Binding("pageup", "page(-1)", "Page up", id="picker.pageup", show=False, tooltip="A page up"),
    ]
    AUTO_FOCUS = "#filter"
    TITLE_TEXT = ""
    PLACEHOLDER = ""

    def __init__(self, current: str | None) -> None:
        super().__init__()
        self.current = current or ""
        """The value the field holds now (marked `(•)`, highlighted first)."""
        self.filter_text = ""
        self._detail_for: str | None = None
        """The row the detail lines describe."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.TITLE_TEXT, classes="picker-title", markup=False)
            yield Input(placeholder=self.PLACEHOLDER, id="filter", compact=True)
            yield OptionList(id="choices")
            yield Static("", id="status", classes="picker-status", markup=False)
            yield Static("", id="detail", classes="picker-detail", markup=False)
            yield Static("type to filter · ↑↓ move · enter choose · esc cancel", classes="picker-keys", markup=False)

    def on_mount(self) -> None:
        self.query_one(Label).update(self.TITLE_TEXT)
        self.refilter()

    @property
    def options(self) -> OptionList:
        """The list of rows."""
        return self.query_one("#choices", OptionList)

    # ------------------------------------------------------------------ filtering

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.filter_text = event.value
        self.refilter()

    def refilter(self) -> None:
        """Show the rows matching the filter, keeping the highlight on the same value if it stays."""
        options = self.options
        before = options.highlighted_option
        keep = before.id if before is not None else self.current
        rows = self.rows(self.filter_text.strip())
        options.set_options(rows)
        ids = [row.id for row in rows]
        if keep in ids:
            options.highlighted = ids.index(keep)
        elif self.current in ids and not self.filter_text:
            options.highlighted = ids.index(self.current)
        elif rows:
            options.highlighted = 0
        elif self._detail_for:
            self._detail_for = ""
            self.show_detail("")
        self.show_status(len(rows))

    def rows(self, needle: str) -> list[Option]:
        """The options matching `needle` (stripped, any case)."""
        raise NotImplementedError

    def show_status(self, shown: int) -> None:
        """The line under the list: how many match, or why there is nothing."""

    # ------------------------------------------------------------------ keys

    def action_move(self, delta: int) -> None:
        if delta > 0:
            self.options.action_cursor_down()
        else:
            self.options.action_cursor_up()

    def action_page(self, delta: int) -> None:
        if delta > 0:
            self.options.action_page_down()
        else:
            self.options.action_page_up()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        option = self.options.highlighted_option
        if option is not None and option.id is not None:
            self.choose(option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.choose(event.option.id)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id != self._detail_for:  # a filter keeps the highlight on the same row: nothing to redo
            self._detail_for = option_id
            self.show_detail(option_id)

    def show_detail(self, option_id: str) -> None:
        """Explain the highlighted row under the list."""

    def choose(self, option_id: str) -> None:
        """The person chose a row: dismiss with its value (subclasses may refuse)."""
        self.dismiss(option_id.removeprefix(TYPED))

    def action_cancel(self) -> None:
        self.dismiss(None)


# ---------------------------------------------------------------------------------- subscriptions


class SubscriptionPicker(FilterPicker):
    """The subscriptions the session can see: name, id, state, and marks for what matters."""

    DEFAULT_CSS = PICKER_CSS.format(name="SubscriptionPicker")
    PLACEHOLDER = "filter by name or id, or paste a subscription id"

    def __init__(self, env: EnvName, current: str | None, choices: list[SubscriptionChoice] | None, *,
                 used_by: dict[str, list[str]], roles: dict[str, str], status: str = "") -> None:
        super().__init__(current)
        self.env = env
        self.TITLE_TEXT = f"Subscription for {env}"
        self.used_by = used_by
        """Subscription id (lower case) -> the other environments that use it."""
        self.roles = roles
        """Subscription id (lower case) -> another role it plays (`hub DNS`)."""
        self.choices: list[SubscriptionChoice] = []
        self._rows: list[tuple[SubscriptionChoice, Content, str, str]] = []
        """Per subscription, built once: the row, its plain text and what the filter searches, lower case."""
        self._by_id: dict[str, SubscriptionChoice] = {}
        self.status = status
        """Why the list is empty or partial (not signed in, still reading, a failed read)."""
        self.show_choices(choices, status)

    def show_choices(self, choices: list[SubscriptionChoice] | None, status: str = "") -> None:
        """Take the session's subscriptions (None: still reading) and redraw."""
        self.choices = list(choices or [])
        self.status = status
        self._by_id = {c.subscription_id.lower(): c for c in self.choices}
        self._detail_for = None
        width = max([len(c.name) for c in self.choices] + [12])
        self._name_width = min(width, 24)
        self._rows = []
        for choice in self.choices:
            row = Content.from_rich_text(self._text(choice))
            searched = f"{choice.name}\0{choice.subscription_id}".lower()
            self._rows.append((choice, row, row.plain.lower(), searched))
        if self.is_mounted:
            self.refilter()

    def _text(self, choice: SubscriptionChoice) -> Text:
        chosen = choice.subscription_id.lower() == self.current.lower()
        text = Text("(•) " if chosen else "( ) ", style="bold" if chosen else "")
        name = choice.name if len(choice.name) <= self._name_width else choice.name[: self._name_width - 1] + "…"
        text.append(name.ljust(self._name_width), style="bold" if choice.usable else "dim")
        text.append("  ")
        text.append(choice.subscription_id, style="" if choice.usable else "dim")
        text.append("  ")
        # what matters first: a row wider than the picker loses its end, not its marks
        if not choice.usable:
            text.append(f"✗ {choice.state}", style="bold")
        elif choice.warned:
            text.append(f"! {choice.state}", style="bold")
        marks = self._marks(choice)
        if marks:
            text.append((" · " if not choice.usable or choice.warned else "") + " · ".join(marks), style="italic")
        elif choice.usable and not choice.warned:
            text.append(choice.state, style="dim")
        return text

    def _marks(self, choice: SubscriptionChoice) -> list[str]:
        key = choice.subscription_id.lower()
        marks = []
        others = self.used_by.get(key)
        if others:
            marks.append("used by " + ", ".join(others))
        if key in self.roles:
            marks.append(self.roles[key])
        return marks

    def rows(self, needle: str) -> list[Option]:
        lowered = needle.lower()
        id_start = 4 + self._name_width + 2
        spans = ((4, 4 + self._name_width), (id_start, id_start + 36))
        out = []
        for choice, row, plain, searched in self._rows:
            if lowered in searched:
                out.append(Option(_underline(row, lowered, spans, plain), id=choice.subscription_id))
        if GUID.match(needle) and lowered not in self._by_id:
            out.append(Option(Text(f"use {needle} as typed (this sign-in cannot list it)"), id=TYPED + needle))
        return out

    def show_status(self, shown: int) -> None:
        total = len(self.choices)
        if self.status:
            line = self.status
        elif shown == total:
            line = f"{total} subscriptions"
        else:
            line = f"{shown} of {total} subscriptions match"
        self.query_one("#status", Static).update(line, layout=False)

    def show_detail(self, option_id: str) -> None:
        choice = self._by_id.get(option_id.lower())
        if choice is None:
            detail = "an id this sign-in cannot list: the live checks say whether it can be used" if option_id else ""
            self.query_one("#detail", Static).update(detail, layout=False)
            return
        lines = [f"{choice.name} · {choice.subscription_id} · {choice.state}"]
        if not choice.usable:
            lines.append(f"✗ {choice.state}: Azure deploys nothing into it. Re-enable it (billing) or choose another.")
        elif choice.warned:
            lines.append(f"! {choice.state}: Azure disables it soon unless its billing is sorted out.")
        others = self.used_by.get(option_id.lower())
        if others:
            lines.append(f"already holds {', '.join(others)}; environments may share one, but prod should have its own")
        role = self.roles.get(option_id.lower())
        if role:
            lines.append(f"also the {role} subscription")
        self.query_one("#detail", Static).update("\n".join(lines), layout=False)

    def choose(self, option_id: str) -> None:
        choice = self._by_id.get(option_id.lower())
        if choice is not None and not choice.usable:
            self.notify(f"{choice.name} is {choice.state}: choose an enabled subscription", severity="warning",
                        markup=False)
            return
        super().choose(option_id)


# ---------------------------------------------------------------------------------- regions

FIT_MARKS = {"ok": "✓", "warn": "!", "bad": "✗", "unavailable": "✗"}
"""How a region's fit is drawn (characters, so it reads without colour)."""


class RegionPicker(FilterPicker):
    """The catalog's regions, each marked with what the live checks say about it for this environment."""

    DEFAULT_CSS = PICKER_CSS.format(name="RegionPicker")
    PLACEHOLDER = "filter by name, display name, geography or short code"

    @dataclass
    class Judged(Message):
        """One region's fit arrived from the worker."""

        fit: RegionFit

    @dataclass
    class SurveyDone(Message):
        """Every region is judged, or the survey could not run (`note` says why)."""

        note: str = ""

    def __init__(self, env: EnvName, current: str | None, *, live: Any = None,
                 config: FactoryConfig | None = None, subscription: str = "") -> None:
        super().__init__(current)
        self.env = env
        self.TITLE_TEXT = f"Region for {env}" + (f" (in {subscription})" if subscription else "")
        self.live = live
        self.config = config
        self.regions = list(catalog.REGIONS.values())
        self.fits: dict[str, RegionFit] = {}
        self.surveying = live is not None and config is not None
        self.note = "" if self.surveying else "sign in to see what each region offers this configuration"
        self._cancel = threading.Event()

    def on_mount(self) -> None:
        super().on_mount()
        if self.surveying:
            self.survey()

    def on_unmount(self) -> None:
        self._cancel.set()

    @work(thread=True, exclusive=True, group="region-survey", exit_on_error=False,
          description="judging the regions")
    def survey(self) -> None:
        """Run the region-dependent checks for every region, reporting each as it finishes."""
        from wizard.azure.choices import iter_region_fits

        assert self.config is not None
        live = self.live
        prepared, _ = live.prepare(self.config)
        env = prepared.environments.get(self.env)
        if env.subscription_id is None or "<todo>" in env.subscription_id:
            self.post_message(self.SurveyDone(f"choose {self.env}'s subscription to see what each region offers"))
            return
        worker = get_current_worker()
        for fit in iter_region_fits(live.session, prepared, self.env, [r.name for r in self.regions],
                                    tenant_id=live.tenant_id, cancel=self._cancel):
            if worker.is_cancelled:
                self._cancel.set()
                break
            self.post_message(self.Judged(fit))
        self.post_message(self.SurveyDone())

    def on_region_picker_judged(self, message: RegionPicker.Judged) -> None:
        self.fits[message.fit.region] = message.fit
        self._redraw_row(message.fit.region)

    def on_region_picker_survey_done(self, message: RegionPicker.SurveyDone) -> None:
        self.surveying = False
        self.note = message.note
        self.refilter()

    def _redraw_row(self, name: str) -> None:
        options = self.options
        try:
            index = options.get_option_index(name)
        except OptionDoesNotExist:  # filtered out: it is drawn when it shows again
            return
        options.replace_option_prompt_at_index(index, self._prompt(catalog.REGIONS[name]))
        highlighted = options.highlighted_option
        if highlighted is not None and highlighted.id == name:
            self.show_detail(name)
        self.show_status(options.option_count)

    def _prompt(self, region: catalog.Region, needle: str = "") -> Content:
        chosen = region.name == self.current
        fit = self.fits.get(region.name)
        text = Text("(•) " if chosen else "( ) ", style="bold" if chosen else "")
        muted = fit is not None and fit.fit == "unavailable"
        text.append(region.name.ljust(19), style="dim" if muted else "bold")
        text.append(region.display_name.ljust(21), style="dim" if muted else "")
        text.append(region.geography[:14].ljust(15), style="dim")
        text.append(region.short_code.ljust(5), style="dim")
        if fit is not None:
            mark = FIT_MARKS[fit.fit]
            why = "not offered to this subscription" if fit.fit == "unavailable" else _short(fit) or "fits"
            text.append(f"{mark} {why}", style="bold" if fit.fit in ("bad", "unavailable") else "")
        elif self.surveying:
            text.append("⟳", style="dim")
        return _underline(Content.from_rich_text(text), needle, ((4, 23), (23, 44), (44, 59), (59, 64)))

    def rows(self, needle: str) -> list[Option]:
        lowered = needle.lower()
        out = []
        for region in self.regions:
            haystack = f"{region.name} {region.display_name} {region.geography} {region.short_code}".lower()
            if not lowered or lowered in haystack:
                out.append(Option(self._prompt(region, lowered), id=region.name))
        if not out and REGION_NAME.match(needle):
            out.append(Option(Text(f"use {needle} as typed (not in the wizard's catalog)"), id=TYPED + needle))
        return out

    def show_status(self, shown: int) -> None:
        total = len(self.regions)
        counts = f"{total} regions" if shown == total else f"{shown} of {total} regions match"
        judged = [f for f in self.fits.values()]
        if self.surveying:
            line = f"{counts} · checking what each offers ({len(judged)} of {total} done)"
        elif judged:
            fitting = sum(1 for f in judged if f.fit in ("ok", "warn"))
            line = f"{counts} · {fitting} offer everything this configuration needs"
        else:
            line = counts
        if self.note:
            line += f" · {self.note}"
        self.query_one("#status", Static).update(line, layout=False)

    def show_detail(self, option_id: str) -> None:
        fit = self.fits.get(option_id)
        region = catalog.REGIONS.get(option_id)
        lines = []
        if region is not None:
            zones = "availability zones" if region.has_zones else "no availability zones"
            pair = f"paired with {region.paired_region}" if region.paired_region else "no paired region"
            lines.append(f"{region.display_name} · {region.geography} · {zones} · {pair}")
        if fit is not None:
            lines += [f"{'✗' if f.severity == 'error' else '!'} {f.message}" for f in fit.findings]
        self.query_one("#detail", Static).update("\n".join(lines), layout=False)


def _short(fit: RegionFit) -> str:
    """A few words on the worst problem (the lines under the list give all of them in full)."""
    if not fit.findings:
        return ""
    first = fit.findings[0]
    words = {"AIF-LIVE-MODEL": "model not offered", "AIF-LIVE-TPM": "model quota short",
             "AIF-LIVE-REGION-TYPE": "a service is not offered", "AIF-LIVE-VCPU": "vCPU quota short",
             "AIF-LIVE-VM-SKU": "VM size not offered", "AIF-LIVE-VM-RESTRICTED": "VM size restricted",
             "AIF-LIVE-SEARCH-QUOTA": "AI Search quota short", "AIF-LIVE-SEARCH-REGION": "no AI Search",
             "AIF-LIVE-COSMOS-ACCESS": "Cosmos DB closed", "AIF-LIVE-COSMOS-ZONES": "Cosmos DB: no zones",
             "AIF-LIVE-COSMOS-OFFLINE": "Cosmos DB offline", "AIF-LIVE-COG-TIGHT": "AI accounts near limit"}
    return words.get(first.code, first.message[:30])
