"""`aifactory init`: the wizard's steps as plain questions, one after another.

For terminals where a full-screen app is unwelcome: a screen reader, a narrow SSH session, a
recorded walkthrough, a terminal inside an IDE. It walks `wizard.steps` in order; each step
offers its settings (`wizard.step_fields`) grouped as the model groups them, every question
defaulting to the value of the preset or file being edited, so pressing enter keeps it. Nothing
here knows a setting or a choice of its own: kinds, choices and help come from the model
(`edit.field_spec`), the service switches from `wizard.services`, suggestions from the catalog.

Each answer goes through `try_set` and the offline rules at once. A value the model refuses, or
one that brings a new error on that setting, is printed with the setting's path and the reason,
and asked again (an error the person insists on, by giving the same answer twice, is kept: a
configuration may be saved half-finished, and the review lists it). The review runs what
`aifactory validate` runs and prints it the same way, then saves a preset and offers the exports.

Every file is written by `atomic_write`, so Ctrl+C at any moment leaves each file whole, old or
new; the run then says what was saved and what was not. Secrets are never asked in the clear,
echoed or kept (`wizard.secrets`). questionary (and prompt_toolkit) are imported inside the
functions that ask, so the core and `aifactory --help` never load them.
"""

from __future__ import annotations

import os
import sys
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from wizard import services
from wizard.draft import Draft
from wizard.edit import FieldSpec, PathError, display_value, field_spec, get_path, path_matches, try_set
from wizard.findings import Finding
from wizard.model import TODO, FactoryConfig
from wizard.rules import OfflineRules
from wizard.secrets import key_role, secret_reason
from wizard.step_fields import sections, step_fields, steps_for
from wizard.steps import Step, step_for_finding

if typing.TYPE_CHECKING:
    from presets.store import PresetStore

EXIT_INTERRUPTED = 130
"""The shell's code for a run ended by Ctrl+C."""

CONTINUE = "\0continue"
"""The menu answer that moves on to the next step."""

SIGN_IN_CHOICES = (
    ("cli", "Sign in as the Azure CLI does (az login, or a service principal)"),
    ("device", "Sign in with a device code, from another device"),
    ("offline", "Do not contact Azure: the offline rules only"),
)
"""How the live checks at the end sign in (the sign-in step, outside demo mode)."""


def _suggested(last: str) -> list[str]:
    """Catalog values a free-text setting is usually given (typing anything else is allowed)."""
    from wizard import catalog

    known: dict[str, Callable[[], list[str]]] = {
        "region": lambda: list(catalog.REGIONS),
        "aks_node_sku": lambda: list(catalog.VM_SKUS),
        "aml_cluster_sku": lambda: list(catalog.VM_SKUS),
        "compute_instance_sku": lambda: list(catalog.VM_SKUS),
        "model": lambda: list(catalog.MODELS),
    }
    return known[last]() if last in known else []


def width() -> int:
    """Columns to fit printed lines into: the terminal's, at most 100 (lines stay readable)."""
    import shutil

    return min(shutil.get_terminal_size((80, 24)).columns, 100)


def terminal_present() -> bool:
    """True when a person can answer: stdin and stdout are a terminal, or prompt_toolkit was handed
    an input to read answers from (`create_app_session(input=...)`: a scripted walkthrough, the tests)."""
    if sys.stdin.isatty() and sys.stdout.isatty():
        return True
    from prompt_toolkit.application.current import get_app_session
    from prompt_toolkit.input import PipeInput

    return isinstance(getattr(get_app_session(), "_input", None), PipeInput)


def say(text: str = "", *, dim: bool = False, fg: str | None = None, bold: bool = False, indent: str = "") -> None:
    """Lines for the person (stdout, styled only on a terminal), wrapped to the width, `indent` after the first."""
    import textwrap

    wrapped = textwrap.fill(text, width(), subsequent_indent=indent, break_on_hyphens=False) if text else ""
    if os.environ.get("NO_COLOR"):  # https://no-color.org: the marks (✗ ! →) carry the meaning alone
        click.echo(wrapped)
    else:
        click.secho(wrapped, dim=dim, fg=fg, bold=bold)


@dataclass(frozen=True, slots=True)
class Group:
    """Settings a step offers together: one model group, or one of the AI Factory's groups of switches."""

    title: str
    paths: tuple[str, ...]
    switches: bool = False
    """A checklist of on/off services (`wizard.services`), not questions one by one."""


@dataclass
class Walk:
    """One run of `aifactory init`: the configuration being edited and what has been written."""

    draft: Draft
    demo: bool
    store: PresetStore
    output: Path | None = None
    """-o FILE: write the configuration there (preset format) instead of saving a named preset."""
    bases: dict[str, Path] = field(default_factory=dict)
    """An AI Factory file the configuration came from, by format ("env", "ado"): its export keeps
    that file's order and comments."""
    sign_in: str = ""
    """How the live checks sign in: one of SIGN_IN_CHOICES' keys (unused in demo mode); empty until
    asked, when the default is the Azure CLI's sign-in if one is plausible, else offline."""
    saved: list[str] = field(default_factory=list)
    """What has been written so far, as a person reads it."""
    rules: OfflineRules = field(init=False)

    def __post_init__(self) -> None:
        self.rules = OfflineRules(self.draft.config)

    @property
    def config(self) -> FactoryConfig:
        """The configuration as answered so far."""
        return self.draft.config


# ------------------------------------------------------------------------------------ the run


def run_init(walk: Walk) -> int:
    """Walk every step, check, save and export; the exit code (130 when interrupted)."""
    try:
        for step in steps_for(walk.demo):
            if step.id == "review":
                review(walk)
            else:
                ask_step(walk, step)
    except (KeyboardInterrupt, EOFError):
        say()
        kept = f"saved {', '.join(walk.saved)}; " if walk.saved else ""
        lost = "nothing else was written" if walk.saved else "nothing was saved and no file was written"
        click.secho(f"interrupted: {kept}{lost} (every file is whole, as it was before or as saved)",
                    err=True, fg=None if os.environ.get("NO_COLOR") else "yellow")
        return EXIT_INTERRUPTED
    return 0


def choose_start(store: PresetStore) -> str:
    """Ask what to start from when neither --preset nor --config was given: a preset's name, or ""
    for blank (every default)."""
    import questionary

    infos = [info for info in store.list() if info.error is None]
    choices = [questionary.Choice(f"{info.name}  ({'built-in' if info.source == 'builtin' else 'yours'})",
                                  value=info.name, description=info.description or None) for info in infos]
    choices.append(questionary.Choice("Blank: every default, nothing chosen", value=""))
    name: str = _ask(questionary.select("Start from", choices=choices, use_shortcuts=len(choices) <= 36,
                                        use_jk_keys=False))
    return name


def _ask(question: Any) -> Any:
    """A question's answer; Ctrl+C raises KeyboardInterrupt (questionary's `ask` would swallow it)."""
    return question.unsafe_ask()


# ------------------------------------------------------------------------------------ steps


def ask_step(walk: Walk, step: Step, *, then: str = "") -> None:
    """One step: its findings, then a menu of its settings until the person continues (to `then`,
    when it is not the next step: the review, for a step revisited from it)."""
    import questionary

    walked = steps_for(walk.demo)
    number = walked.index(step) + 1
    say()
    say(f"── {number}/{len(walked)} {step.title}: {step.blurb}", bold=True)
    if step.id == "signin" and not walk.demo:
        if not walk.sign_in:
            from wizard.azure.credentials import likely_signed_in

            walk.sign_in = "cli" if likely_signed_in() else "offline"
        walk.sign_in = _ask(questionary.select(
            "How should the live checks at the end sign in?",
            choices=[questionary.Choice(text, value=key) for key, text in SIGN_IN_CHOICES], default=walk.sign_in,
            use_shortcuts=True, use_jk_keys=False))
    _print_step_findings(walk, step)
    nxt = then or (walked[number].title if number < len(walked) else "the end")
    while True:
        groups = _sections(walk, step)
        if not groups:
            return
        choices = [questionary.Choice(f"Continue to {nxt}", value=CONTINUE)]
        choices += [questionary.Choice(_group_line(walk.config, group), value=index)
                    for index, group in enumerate(groups)]
        picked = _ask(questionary.select(f"{step.title}: change something, or continue?", choices=choices,
                                         use_shortcuts=len(choices) <= 36, use_jk_keys=False))
        if picked == CONTINUE:
            return
        group = groups[picked]
        shown = _mine(walk, step)
        if group.switches:
            ask_flags(walk, group)
        else:
            for path in group.paths:
                ask_field(walk, path)
        if _mine(walk, step) != shown:
            _print_step_findings(walk, step)


def _sections(walk: Walk, step: Step) -> list[Group]:
    """The step's settings in groups; service switches in the AI Factory's own groups."""
    paths = step_fields(walk.config, step.id, demo=walk.demo)
    switches = [p for p in paths if p in services.FLAGS]
    grouped = [Group(group.title, tuple(f for f in group.flags if f in switches), switches=True)
               for group in services.GROUPS if any(f in switches for f in group.flags)]
    return grouped + [Group(s.key or "general", s.paths) for s in sections([p for p in paths if p not in switches])]


def _group_line(config: FactoryConfig, group: Group) -> str:
    """A menu line: the group and its current values, cut to fit the width."""
    if group.switches:
        on = [services.label(f) for f in group.paths if services.is_on(config, f)]
        line = f"{group.title}: {'on: ' + ', '.join(on) if on else 'all off'}"
    else:
        values = ", ".join(f"{p.rpartition('.')[2]} {_shown(config, p)}" for p in group.paths)
        line = f"{group.title}: {values}"
    room = width() - 6  # the pointer and the shortcut
    return line if len(line) <= room else line[: room - 1] + "…"


def _shown(config: FactoryConfig, path: str) -> str:
    """A setting's value as a menu shows it ("—" when unset; a secret never)."""
    try:
        value = get_path(config, path)
    except PathError:
        value = None
    text = display_value(value)
    if secret_reason(path.rpartition(".")[2], text):
        return "(secret, not shown)"
    return text or "—"


def _mine(walk: Walk, step: Step) -> list[Finding]:
    return [f for f in walk.rules.findings if step_for_finding(f) == step.id]


def _print_step_findings(walk: Walk, step: Step) -> None:
    from wizard.findings import sort_findings
    from wizard.report import print_findings

    mine = sort_findings(f for f in _mine(walk, step) if f.severity != "info")
    if mine:
        print_findings(mine, title=step.title)


# ------------------------------------------------------------------------------------ one setting


def ask_field(walk: Walk, path: str) -> None:
    """Ask one setting until its answer is accepted (or kept as it was).

    Refused by the model: asked again. Bringing an error the configuration did not have (on this
    setting or another, such as an octet that now overlaps another environment's): asked again,
    unless the person gives the same answer twice.
    """
    try:
        spec = field_spec(walk.config, path)
    except PathError:
        return  # the group changed shape under an earlier answer (another mode); nothing to ask
    if path != "landing_zone.mode":  # each mode's choice carries its own description
        say(f"  {path}: {spec.description}".rstrip(": "), dim=True, indent="    ")
    typed: Any = None
    insisted: Any = None
    while True:
        current = _value(walk.config, path)
        answer = _question(spec, current, typed)
        if _same(answer, current, spec):
            return
        edit = try_set(walk.config, path, answer)
        if edit.config is None:
            for problem in edit.problems:
                say(f"✗ {problem.field or path}: {problem.message}", fg="red", indent="  ")
            say("  asked again:", dim=True)
            typed = answer
            continue
        before = {_key(f) for f in walk.rules.findings if f.severity == "error"}
        after = walk.rules.update(edit.config)
        new = [f for f in after if f.severity == "error" and _key(f) not in before]
        if new and answer != insisted:
            walk.rules.update(walk.config)
            for finding in new:
                say(f"✗ {finding.field or path}: {finding.message}", fg="red", indent="  ")
                if finding.hint:
                    say(f"  → {finding.hint}", fg="green", indent="    ")
            say("  asked again (give the same answer again to keep it anyway):", dim=True)
            typed, insisted = answer, answer
            continue
        walk.draft.replace(edit.config)
        for finding in _on(after, path):
            if finding.severity == "warning":
                say(f"! {finding.field}: {finding.message}", fg="yellow", indent="  ")
        return


def _value(config: FactoryConfig, path: str) -> Any:
    try:
        return get_path(config, path)
    except PathError:
        return None  # an entry a mapping does not hold yet (a hub id to fill in)


def _on(findings: list[Finding], path: str) -> list[Finding]:
    """The findings about `path`, its parts, or the group holding it."""
    return [f for f in findings if f.field and (path_matches(f.field, path) or path_matches(path, f.field))]


def _key(finding: Finding) -> tuple[str, str, str]:
    """What makes an error the same one after an answer (its message may quote the new value)."""
    return finding.code, finding.field, finding.environment


def _same(answer: Any, current: Any, spec: FieldSpec) -> bool:
    """True when the answer is the value already there (typed text compared as the form shows it)."""
    if isinstance(answer, str):
        return answer.strip() == display_value(current)
    if spec.kind == "list":
        return list(answer) == list(current or [])
    return bool(answer == current)


def _question(spec: FieldSpec, current: Any, typed: Any) -> Any:
    """Ask for one setting in the shape its kind takes; `typed` is a refused answer to start from."""
    import questionary

    message = spec.title
    last = spec.path.rpartition(".")[2]
    if spec.path == "landing_zone.mode":
        choices = [questionary.Choice(mode, value=mode, description=about) for mode, about in _modes()]
        return _ask(questionary.select(message, choices=choices, default=typed or current))
    if spec.kind == "bool":
        return _ask(questionary.confirm(message, default=bool(current)))
    if spec.kind == "choice":
        return _ask(questionary.select(message, choices=list(spec.choices), default=str(typed or current)))
    if spec.kind == "list" and spec.choices:
        chosen = typed if typed is not None else (current or [])
        return _ask(questionary.checkbox(message, choices=[questionary.Choice(c, checked=c in chosen)
                                                           for c in spec.choices]))
    if key_role(last) == "secret":
        answer = _ask(questionary.password(f"{message} (hidden; enter keeps it)",
                                           validate=lambda text: _not_a_secret(last, text)))
        return answer if answer else display_value(current)
    default = typed if isinstance(typed, str) else display_value(current)
    suggestions = _suggested(last)
    if suggestions:
        return _ask(questionary.autocomplete(message, choices=suggestions, default=default,
                                             validate=lambda text: _not_a_secret(last, text)))
    return _ask(questionary.text(message, default=default, validate=lambda text: _not_a_secret(last, text)))


def _not_a_secret(key: str, text: str) -> bool | str:
    """questionary's check before an answer is taken (and echoed): refuse a secret, never show it."""
    reason = secret_reason(key, text)
    if reason is None:
        return True
    return f"not kept: {reason}; secrets never go into a preset or an export (keep it in a Key Vault)"


def _modes() -> Iterator[tuple[str, str]]:
    """Each landing-zone mode with its description, from the model's union of zones."""
    from wizard.model import LandingZone

    union = typing.get_args(LandingZone)[0]
    for zone in typing.get_args(union):
        info = zone.model_fields["mode"]
        yield typing.get_args(info.annotation)[0], info.description or ""


def ask_flags(walk: Walk, group: Group) -> None:
    """A group of service switches as a checklist; each change through `services.set_flag`,
    which brings what a switch needs or takes along what needs it, and says why."""
    import questionary

    config = walk.config
    choices = [questionary.Choice(services.label(f), value=f, checked=services.is_on(config, f))
               for f in group.paths]
    chosen = set(_ask(questionary.checkbox(group.title, choices=choices)))
    offs = [f for f in group.paths if services.is_on(config, f) and f not in chosen]
    ons = [f for f in group.paths if not services.is_on(config, f) and f in chosen]
    for flag, on in [*((f, False) for f in offs), *((f, True) for f in ons)]:
        change = services.set_flag(walk.config, flag, on)
        walk.draft.replace(change.config)
        for note in change.notes:
            say(f"  {note}", dim=True, indent="    ")
    walk.rules.update(walk.config)


# ------------------------------------------------------------------------------------ review


def review(walk: Walk) -> None:
    """Run the checks `validate` runs, print them as it does; go back to a step (those with findings
    say how many), check again, or save and export."""
    import questionary

    walked = steps_for(walk.demo)
    say()
    say(f"── {len(walked)}/{len(walked)} Review: the live checks, then save and export", bold=True)
    while True:
        findings = _check(walk)
        by_step: dict[str, list[Finding]] = {}
        for finding in findings:
            if finding.severity != "info":
                by_step.setdefault(step_for_finding(finding), []).append(finding)
        where = f"to {walk.output}" if walk.output else "as a preset"
        choices = [questionary.Choice(f"Save {where} and offer the exports", value=CONTINUE)]
        for step in walked:
            if step.id != "review":
                counts = f" ({_counts(by_step[step.id])})" if step.id in by_step else ""
                choices.append(questionary.Choice(f"Back to {step.title}{counts}", value=step.id))
        choices.append(questionary.Choice("Check again", value="\0again"))
        picked = _ask(questionary.select("Review: what next?", choices=choices,
                                         use_shortcuts=len(choices) <= 36, use_jk_keys=False))
        if picked == CONTINUE:
            break
        if picked != "\0again":
            ask_step(walk, next(s for s in walked if s.id == picked), then="the review")
    save(walk)
    offer_exports(walk)
    say()
    say("done: " + (", ".join(walk.saved) if walk.saved else "nothing saved"), bold=True)


def _counts(findings: list[Finding]) -> str:
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    parts = [f"{errors} error{'s' * (errors != 1)}"] if errors else []
    parts += [f"{warnings} warning{'s' * (warnings != 1)}"] if warnings else []
    return ", ".join(parts)


def _check(walk: Walk) -> list[Finding]:
    """`validate`'s checks and output on the configuration as answered; the findings."""
    from wizard.azure.run import LiveRunError
    from wizard.cli import ask_tenant, check_config, print_checked

    draft = walk.draft
    name = draft.name or (f"{draft.extends} (edited)" if draft.extends else draft.source or "new configuration")
    offline = not walk.demo and walk.sign_in == "offline"
    tenant = walk.config.identity.tenant_id
    try:
        findings, grid, notes = check_config(
            walk.config, demo=walk.demo, offline=offline, device_code=not walk.demo and walk.sign_in == "device",
            tenant=None if walk.demo or not tenant or TODO in tenant else tenant,
            register=_confirm_register, choose_tenant=ask_tenant, progress=True)
    except LiveRunError as exc:
        say(f"✗ the live checks could not start: {exc.message}", fg="red")
        if exc.hint:
            say(f"  → {exc.hint}", fg="green")
        findings, grid, notes = check_config(walk.config, offline=True, register=False, choose_tenant=None,
                                             progress=False, demo=False, tenant=None, device_code=False)
    print_checked(name, findings, grid, notes)
    return list(findings)


def _confirm_register(missing: dict[str, list[str]]) -> bool:
    """Ask before registering resource providers: it changes the subscription."""
    import questionary

    listing = "; ".join(f"{', '.join(ns)} in {sub}" for sub, ns in missing.items())
    return bool(_ask(questionary.confirm(f"Register the missing resource providers ({listing})?", default=False)))


def save(walk: Walk) -> None:
    """Save the configuration: to -o FILE, or as a preset whose name is asked (empty: not saved),
    which is also the way out when -o FILE cannot be written."""
    import questionary

    from presets.store import PresetError, loadable_preset_text
    from wizard.atomic_file import atomic_write

    draft = walk.draft
    base = walk.store.load(draft.extends).config if draft.extends else None
    if walk.output is not None:
        try:
            text, dropped = loadable_preset_text(draft.config, str(walk.output), extends=draft.extends, base=base)
            backup = atomic_write(walk.output, text)
        except (PresetError, OSError) as exc:
            reason = exc.strerror or str(exc) if isinstance(exc, OSError) else str(exc)
            say(f"✗ cannot write {walk.output}: {reason}; it is as it was. Save it as a preset instead:", fg="red")
        else:
            _notes([d.note("not saved") for d in dropped])
            kept = f" (previous version kept as {backup.name})" if backup else ""
            say(f"saved the configuration to {walk.output}{kept}")
            walk.saved.append(f"the configuration to {walk.output}")
            return
    suggestion = draft.name or (f"my-{draft.extends}" if draft.extends else "")
    while True:
        name = _ask(questionary.text("Save as your preset named (empty: do not save)", default=suggestion)).strip()
        if not name:
            say("the configuration was not saved", fg="yellow")
            return
        problem = walk.store.name_problem(name)
        if problem:
            say(f"✗ preset name: {problem}", fg="red")
            suggestion = name
            continue
        exists = (walk.store.user_dir / f"{name}.yaml").exists()
        if exists and name != draft.name and not _ask(questionary.confirm(
                f"Your preset {name!r} exists: replace it (a backup is kept)?", default=False)):
            suggestion = name
            continue
        try:
            path, backup, notes = walk.store.save(name, draft.config, extends=draft.extends, overwrite=True)
        except PresetError as exc:
            say(f"✗ preset {name!r}: {exc}", fg="red")
            suggestion = name
            continue
        _notes(notes)
        draft.mark_saved(name, path)
        kept = f"; previous version kept as {backup.name}" if backup else ""
        say(f"saved preset {name!r} to {path}{kept}")
        walk.saved.append(f"preset {name!r}")
        return


EXPORTS = (("env", "the GitHub Actions .env", ".env"), ("ado", "the Azure DevOps variables.yaml", "variables.yaml"))
"""The AI Factory's two files: format, what a person calls it, the file name it usually has."""


def offer_exports(walk: Walk) -> None:
    """Offer the .env and the variables.yaml; each written atomically where the person says."""
    import questionary

    from wizard.atomic_file import atomic_write
    from wizard.interop import InteropError, export_ado, export_env

    for fmt, what, default_name in EXPORTS:
        if not _ask(questionary.confirm(f"Write {what}?", default=False)):
            continue
        base = walk.bases.get(fmt)
        suggestion = str(base) if base else default_name
        while True:
            target = Path(_ask(questionary.text(f"Write {what} to", default=suggestion)).strip() or default_name)
            if target.exists() and target != base and not _ask(questionary.confirm(
                    f"{target} exists: replace it (a backup is kept)?", default=False)):
                suggestion = str(target)
                continue
            break
        try:
            result = (export_env if fmt == "env" else export_ado)(walk.config, base)
        except InteropError as exc:
            say(f"✗ {what}: {exc}", fg="red")
            continue
        _notes(result.notes)
        try:
            backup = atomic_write(target, result.text)
        except OSError as exc:
            say(f"✗ cannot write {target}: {exc.strerror or exc}; nothing was changed", fg="red")
            continue
        say(f"wrote {target}" + (f" (previous version kept as {backup.name})" if backup else ""))
        walk.saved.append(f"{default_name} to {target}")


def _notes(notes: list[str]) -> None:
    from wizard.cli import print_notes

    print_notes(notes)
