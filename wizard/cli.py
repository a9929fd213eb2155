"""The `aifactory` command line: one click group, headless commands with `--json`.

Start-up matters: `aifactory --help` runs in every shell completion and CI step, so this module
imports only click at the top. pydantic, ruamel, rich and (later) Textual and the Azure SDK are
imported inside the command that needs them. Exit codes are `findings.ExitCode`: 0 ok,
1 findings with errors (or warnings under --strict), 2 bad input or usage.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from wizard import __version__

if TYPE_CHECKING:
    from pathlib import Path

    from presets.store import LoadedPreset, PresetStore

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2
"""Mirrors wizard.findings.ExitCode without importing the core at start-up."""


class FilePath(click.Path):
    """click.Path giving a pathlib.Path, without importing pathlib before a command runs."""

    def __init__(self, exists: bool = False, dir_okay: bool = False) -> None:
        super().__init__(exists=exists, dir_okay=dir_okay)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from pathlib import Path

        return Path(str(super().convert(value, param, ctx)))


def fail(message: str, hint: str = "") -> NoReturn:
    """Print a bad-input message (never a traceback, never a secret) and exit with code 2."""
    from wizard.secrets import redact

    click.secho(f"error: {redact(message)}", fg="red", err=True)
    if hint:
        click.echo(f"hint: {redact(hint)}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def print_notes(notes: list[str]) -> None:
    """Tell the user, on stderr, what they should know (never a secret: wizard.secrets.redact)."""
    from wizard.secrets import redact

    for note in notes:
        click.echo(f"note: {redact(note)}", err=True)


def _store() -> PresetStore:
    from presets.store import PresetStore

    return PresetStore()


def load_source(preset: str | None, config: Path | None) -> LoadedPreset:
    """The configuration named by --preset or --config, or exit 2 with a clear message.

    --config takes a preset-format YAML/JSON file, or the AI Factory's own `.env` /
    `variables.yaml`, which is imported on the fly. What the user should know about it
    (migrations, values left out as secrets) is printed on stderr, whatever the command.
    """
    loaded = _load_source(preset, config)
    print_notes(loaded.notes)
    return loaded


def _load_source(preset: str | None, config: Path | None) -> LoadedPreset:
    from presets.store import LoadedPreset, PresetError
    from wizard.errors import ConfigError
    from wizard.safe_yaml import YamlError

    if bool(preset) == bool(config):
        fail("give exactly one of --preset NAME or --config FILE", "aifactory presets list shows the names")
    try:
        if preset:
            return _store().load(preset)
        assert config is not None
        if _is_aifactory_file(config):
            from wizard.interop import InteropError, import_file

            try:
                result = import_file(config)
            except InteropError as exc:
                fail(str(exc))
            return LoadedPreset(config.stem, result.config, config, list(result.notes))
        return _store().load_file(config)
    except ConfigError as exc:
        fail(f"{exc.path} is not a valid configuration:\n  " + "\n  ".join(p.render(exc.path) for p in exc.problems))
    except (PresetError, YamlError) as exc:
        fail(str(exc))


def _is_aifactory_file(path: Path) -> bool:
    """True for the AI Factory's `.env` (GitHub) or `variables.yaml` (Azure DevOps)."""
    name = path.name.lower()
    return name.endswith(".env") or name.startswith(".env") or name == "variables.yaml"


def source_options(func: F) -> F:
    """--preset NAME | --config FILE, shared by every command that reads a configuration."""
    func = click.option(
        "--config", "config", type=FilePath(),
        help="A configuration file: preset YAML, or the AI Factory's .env / variables.yaml.",
    )(func)
    func = click.option("--preset", "preset", metavar="NAME", help="A built-in or saved preset.")(func)
    return func


def emit_json(data: object) -> None:
    """Print JSON for scripts: stable key order, UTF-8."""
    import json

    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _json_text(value: object) -> str:
    import json

    return json.dumps(value)


def write_output(path: Path, text: str) -> None:
    """Write a user's output file atomically, keeping the previous one as .bak."""
    from wizard.atomic_file import atomic_write

    try:
        backup = atomic_write(path, text)
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror}", "check the folder exists and is writable")
    note = f" (previous version kept as {backup.name})" if backup else ""
    click.echo(f"wrote {path}{note}", err=True)


# ------------------------------------------------------------------------------------ group


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="aifactory")
@click.option("--demo", is_flag=True, help="Open the wizard on the offline sandbox (demo tenant), not Azure.")
@click.option("--preset", "preset", metavar="NAME", help="Open the wizard straight on this preset.")
@click.option("--config", "config", type=FilePath(),
              help="Open the wizard straight on this file (preset YAML, .env or variables.yaml).")
@click.option("--fault", "faults", multiple=True, metavar="NAME=VALUE", callback=lambda c, p, v: _fault_specs(c, p, v),
              help="With --demo: make the sandbox misbehave (repeatable), e.g. "
                   "fail=Microsoft.Search/searchServices:InsufficientQuota:1 breaks one project's deployment "
                   "once, so a retry on the dashboard recovers it. Forms as for `aifactory sandbox serve`.")
@click.pass_context
def cli(ctx: click.Context, demo: bool, preset: str | None, config: Path | None, faults: tuple[str, ...]) -> None:
    """Set up Microsoft's Enterprise Scale AI Factory on Azure.

    With no command, the wizard opens (against Azure; --demo against the offline sandbox):
    pick a landing-zone mode, environments, address plan, services and SKUs, see them checked
    live, save presets, export the AI Factory's .env and variables.yaml. Every step also has a
    headless command below.

    \b
    Exit codes: 0 ok, 1 validation found errors (warnings too with --strict),
                2 bad input or usage, 130 interrupted.
    """
    if faults and not demo:
        fail("--fault only applies to --demo", "add --demo, or drop --fault")
    if ctx.invoked_subcommand is None:
        run_wizard(demo=demo, preset=preset, config=config, faults=faults)


def run_wizard(*, demo: bool, preset: str | None, config: Path | None, faults: tuple[str, ...] = ()) -> None:
    """Open the Textual wizard, or say which headless command to run when there is no terminal."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()) and not _served():
        source = f"--preset {preset}" if preset else f"--config {config}" if config else "--preset poc-standalone"
        fail("the wizard needs a terminal, and this is not one",
             f"for scripts and CI run: aifactory validate {source}{' --demo' if demo else ''} "
             "(or aifactory --help for every headless command)")
    draft = None
    if preset or config:
        draft = _draft_of(load_source(preset, config), builtin=bool(preset))
    from sandbox.faults import parse_faults
    from screens.app import make_app

    make_app(demo=demo, draft=draft, faults=parse_faults(list(faults)) if faults else None).run()


def _served() -> bool:
    """True when `aifactory serve` started this wizard for a browser: Textual's web driver, not a terminal."""
    import os

    return os.environ.get("TEXTUAL_DRIVER", "").startswith("textual.drivers.web_driver:")


def _draft_of(loaded: LoadedPreset, *, builtin: bool) -> Any:
    """A Draft on a loaded preset: one of yours continues it, a built-in starts a new one from it."""
    from wizard.draft import Draft

    if builtin and _store().find(loaded.name).source == "builtin":
        return Draft(loaded.config, "", f"from {loaded.name}", extends=loaded.name, notes=list(loaded.notes))
    if builtin:
        return Draft(loaded.config, loaded.name, "yours", saved=loaded.config, path=loaded.path,
                     notes=list(loaded.notes))
    return Draft(loaded.config, "", str(loaded.path or loaded.name), notes=list(loaded.notes))


@cli.command()
@click.option("--demo", is_flag=True, help="Check against the offline sandbox (demo tenant), not Azure.")
@source_options
@click.option("-o", "--output", type=FilePath(),
              help="Write the configuration to this preset-format YAML file instead of saving a named preset.")
def init(demo: bool, preset: str | None, config: Path | None, output: Path | None) -> None:
    """The wizard's steps as plain questions, in order (screen readers, SSH, recordings, IDE terminals).

    Every answer is checked at once; the live checks run at the end and print the same grid as
    `validate`; it ends by saving a preset and offering the AI Factory's .env and variables.yaml.
    Ctrl+C leaves every file whole and says what was saved.
    """
    from wizard.prompts import terminal_present

    if not terminal_present():
        source = f"--preset {preset}" if preset else f"--config {config}" if config else "--preset NAME"
        fail("aifactory init asks questions and needs a terminal, and this is not one",
             f"for scripts and CI give the configuration instead: aifactory validate {source}"
             f"{' --demo' if demo else ''} (or --config FILE); then aifactory presets save / aifactory export")
    if preset and config:
        fail("give at most one of --preset NAME or --config FILE", "aifactory presets list shows the names")
    from wizard.prompts import EXIT_INTERRUPTED, Walk, choose_start, run_init

    store = _store()
    bases: dict[str, Path] = {}
    try:
        if not (preset or config):
            preset = choose_start(store) or None
        if preset or config:
            draft = _draft_of(load_source(preset, config), builtin=bool(preset))
            if config is not None and _is_aifactory_file(config):
                from wizard.interop import detect_format

                bases[detect_format(config)] = config
        else:
            from wizard.draft import Draft
            from wizard.model import FactoryConfig

            draft = Draft(FactoryConfig(), "", "blank")
    except KeyboardInterrupt:
        click.secho("\ninterrupted: nothing was saved and no file was written", err=True, fg="yellow")
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(run_init(Walk(draft, demo, store, output=output, bases=bases)))


# ------------------------------------------------------------------------------------ presets


@cli.group()
def presets() -> None:
    """List, show, save, diff and delete presets."""


@presets.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def presets_list(as_json: bool) -> None:
    """List the built-in presets and your own; one that cannot be used is listed with its problem."""
    store = _store()
    problem = store.folder_problem()
    if problem:
        click.echo(f"warning: {problem}", err=True)
    infos = store.list()
    if as_json:
        emit_json([
            {"name": i.name, "source": i.source, "description": i.description, "extends": i.extends,
             "path": str(i.path), "error": i.error}
            for i in infos
        ])
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Presets", title_justify="left")
    table.add_column("name", style="bold")
    table.add_column("source")
    table.add_column("description", overflow="fold")
    for info in infos:
        extends = f" (extends {info.extends})" if info.extends else ""
        about = Text(info.description + extends)  # Text, not markup: file contents are shown as written
        if info.error:
            about = Text.assemble(("cannot be used: ", "bold red"), info.error)
        table.add_row(Text(info.name), info.source, about)
    Console().print(table)


@presets.command("show")
@click.argument("name")
@click.option("--resolved", is_flag=True, help="Show every setting, with extends and defaults applied.")
def presets_show(name: str, resolved: bool) -> None:
    """Print a preset's YAML."""
    from presets.store import render_preset

    loaded = load_source(name, None)
    if resolved:
        from ruamel.yaml import YAML

        YAML().dump(loaded.config.model_dump(mode="json"), sys.stdout)
    else:
        click.echo(render_preset(loaded.config), nl=False)


@presets.command("save")
@click.argument("name")
@source_options
@click.option("--extends", "extends", metavar="BASE", help="Save only what differs from preset BASE.")
@click.option("--force", is_flag=True, help="Replace an existing preset (a backup is kept).")
def presets_save(name: str, preset: str | None, config: Path | None, extends: str | None, force: bool) -> None:
    """Save a configuration (a file or another preset) as your preset NAME."""
    from presets.store import PresetError

    loaded = load_source(preset, config)
    try:
        path, backup, notes = _store().save(name, loaded.config, extends=extends, overwrite=force)
    except PresetError as exc:
        fail(str(exc))
    print_notes(notes)
    kept = f"; previous version kept as {backup.name}" if backup else ""
    click.echo(f"saved preset {name!r} to {path}{kept}")


@presets.command("diff")
@click.argument("left")
@click.argument("right", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def presets_diff(left: str, right: str | None, as_json: bool) -> None:
    """Compare two presets, or a preset with the defaults."""
    from presets.store import diff_configs
    from wizard.model import FactoryConfig

    a = load_source(left, None).config
    b = load_source(right, None).config if right else FactoryConfig()
    diffs = diff_configs(b if not right else a, a if not right else b)
    left_name, right_name = (left, right) if right else ("defaults", left)
    if as_json:
        emit_json({"left": left_name, "right": right_name,
                   "differences": [{"field": d.field, "left": d.left, "right": d.right} for d in diffs]})
        return
    if not diffs:
        click.echo(f"{left_name} and {right_name} are the same")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{left_name} → {right_name}", title_justify="left")
    table.add_column("setting")
    table.add_column(left_name, overflow="fold")
    table.add_column(right_name, overflow="fold")
    for d in diffs:
        table.add_row(d.field, _json_text(d.left), _json_text(d.right))
    Console().print(table)


@presets.command("delete")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def presets_delete(name: str, yes: bool) -> None:
    """Delete your preset NAME (it is kept as NAME.yaml.bak)."""
    from presets.store import PresetError

    if not yes and sys.stdin.isatty() and not click.confirm(f"Delete preset {name!r}?"):
        click.echo("kept")
        return
    try:
        backup = _store().delete(name)
    except PresetError as exc:
        fail(str(exc))
    click.echo(f"deleted preset {name!r}; restore it with: mv {backup} {backup.with_suffix('')}")


@presets.command("path")
def presets_path() -> None:
    """Print the folder your presets are saved in."""
    click.echo(str(_store().user_dir))


# ------------------------------------------------------------------------------------ validate


@cli.command()
@source_options
@click.option("--demo", is_flag=True, help="Check against the built-in sandbox (demo tenant), not Azure.")
@click.option("--fresh", is_flag=True,
              help="With --demo: a freshly seeded sandbox for this run; the saved demo state is not used.")
@click.option("--offline", is_flag=True, help="Only the offline rules; do not contact Azure.")
@click.option("--tenant", metavar="ID", help="Tenant to sign in to, when you can see several.")
@click.option("--device-code", is_flag=True, help="Sign in with a code on another device.")
@click.option("--register-providers", is_flag=True,
              help="Register missing resource providers (you consent to the change).")
@click.option("--json", "as_json", is_flag=True, help='Print JSON: {"ok", "findings", "grid"}.')
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def validate(preset: str | None, config: Path | None, demo: bool, fresh: bool, offline: bool, tenant: str | None,
             device_code: bool, register_providers: bool, as_json: bool, strict: bool) -> None:
    """Check a configuration: offline rules, then live checks against Azure (or --demo)."""
    from wizard.findings import has_blocking

    if demo and offline:
        fail("--demo and --offline exclude each other", "use one of them")
    if fresh and not demo:
        fail("--fresh only applies to --demo", "add --demo, or drop --fresh")
    loaded = load_source(preset, config)
    interactive = not as_json and sys.stdin.isatty()
    from wizard.errors import UserError

    try:
        findings, grid, notes = check_config(
            loaded.config, demo=demo, offline=offline, tenant=tenant, device_code=device_code,
            register=register_providers or (_confirm_register if interactive else False),
            choose_tenant=ask_tenant if interactive else None, progress=not as_json, fresh=fresh)
    except UserError as exc:  # wizard.azure.run.LiveRunError: no usable sign-in, no such tenant
        fail(exc.message, exc.hint)
    ok = not has_blocking(findings, strict=strict)
    if as_json:
        data: dict[str, Any] = {"ok": ok, "findings": [f.to_json() for f in findings]}
        if grid is not None:
            data["grid"] = grid.grid
        emit_json(data)
    else:
        print_checked(loaded.name, findings, grid, notes)
    sys.exit(EXIT_OK if ok else EXIT_FINDINGS)


FRESH_VNETS = ("the address plan assumes fresh VNets: the AI Factory carves each project after the highest "
               "subnet the live VNet already holds")
"""What an offline address plan cannot know."""


def _fresh_vnets() -> Any:
    from wizard.findings import Finding

    return Finding("info", "AIF-NET-FRESH-VNET", FRESH_VNETS,
                   "sign in (az login) or use --demo to plan from the VNets that exist", check="network")


def check_config(config: Any, *, demo: bool, offline: bool, tenant: str | None, device_code: bool,
                 register: Any, choose_tenant: Any, progress: bool, fresh: bool = False) -> tuple[Any, Any, list[str]]:
    """What `validate` checks: the findings (sorted), the preflight grid (None offline) and notes.

    The live checks run with --demo, a tenant, a device code or a plausible sign-in; otherwise the
    offline rules run alone with a finding that says how to sign in. `aifactory init` ends with
    the same. Raises wizard.azure.run.LiveRunError when the session cannot start (its message and hint say why).
    """
    from wizard.findings import sort_findings

    skipped = None
    if not (offline or demo or tenant or device_code) and not _signed_in():
        offline = True
        skipped = _live_skipped()
    if offline:
        from wizard.rules import run_rules

        return sort_findings(run_rules(config) + [_fresh_vnets()] + ([skipped] if skipped else [])), None, []
    outcome = _validate_live(config, demo=demo, tenant=tenant, device_code=device_code, register=register,
                             choose_tenant=choose_tenant, progress=progress, fresh=fresh)
    return sort_findings(outcome.result.findings), outcome.result, list(outcome.notes)


def print_checked(name: str, findings: Any, grid: Any, notes: list[str]) -> None:
    """`validate`'s human output: notes, the findings with their fixes, the grid check × environment."""
    from wizard.report import print_findings, print_grid

    print_notes(notes)
    print_findings(findings, title=f"{name}: {'offline checks' if grid is None else 'preflight'}")
    if grid is not None:
        print_grid(grid)


def _validate_live(config: Any, *, demo: bool, tenant: str | None, device_code: bool, register: Any,
                   choose_tenant: Any, progress: bool, fresh: bool) -> Any:
    """`run_live_validation` with the CLI's prompts (tenant, consent) and a progress line on stderr."""
    from wizard.azure.run import run_live_validation

    kwargs = {"demo": demo, "tenant": tenant, "device_code": device_code, "register": register,
              "choose_tenant": choose_tenant, "fresh": fresh}
    if not progress:
        return run_live_validation(config, **kwargs)
    from rich.console import Console

    counts = {"error": 0, "warning": 0, "info": 0}
    with Console(stderr=True).status("checking against Azure…") as status:
        def seen(finding: Any) -> None:
            counts[finding.severity] += 1
            status.update(f"checking against Azure… {counts['error']} errors, {counts['warning']} warnings so far")

        return run_live_validation(config, on_finding=seen, **kwargs)


def ask_tenant(tenants: list[Any]) -> str | None:
    """Let the person pick one of several tenants (questionary, on a terminal)."""
    import questionary

    choices = [questionary.Choice(f"{t.display_name} ({t.tenant_id})", value=t.tenant_id) for t in tenants]
    answer: str | None = questionary.select("Which tenant holds the AI Factory?", choices=choices).ask()
    return answer


def _confirm_register(missing: dict[str, list[str]]) -> bool:
    """Ask before registering resource providers: it changes the subscription."""
    listing = "; ".join(f"{', '.join(ns)} in {sub}" for sub, ns in missing.items())
    return click.confirm(f"Register the missing resource providers ({listing})?", default=False, err=True)


def _live_skipped() -> Any:
    from wizard.findings import Finding

    return Finding("info", "AIF-LIVE-SKIPPED", "live checks skipped: not signed in to Azure",
                   "run `az login` (or pass --device-code), or try them against the demo tenant with --demo; "
                   "--offline silences this", check="signin")


# ------------------------------------------------------------------------------------ network


@cli.command()
@source_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--propose", is_flag=True, help="Propose a non-overlapping plan for every environment.")
@click.option("--demo", is_flag=True, help="Plan from the VNets in the built-in sandbox (demo tenant), not Azure.")
@click.option("--offline", is_flag=True, help="Plan fresh VNets; do not read the live ones.")
@click.option("--tenant", metavar="ID", help="Tenant to sign in to, when you can see several.")
@click.option("--device-code", is_flag=True, help="Sign in with a code on another device.")
def network(preset: str | None, config: Path | None, as_json: bool, propose: bool, demo: bool, offline: bool,
            tenant: str | None, device_code: bool) -> None:
    """Show the address plan: each environment's VNet, subnets per project, capacity.

    Signed in (or with --demo) it plans from the AI Factory's VNets that already exist, as its
    subnet calculator does: new projects go after the highest subnet each one holds.
    """
    from wizard import network as net

    if demo and offline:
        fail("--demo and --offline exclude each other", "use one of them")
    loaded = load_source(preset, config)
    cfg = loaded.config
    proposal = net.propose_plan(cfg) if propose else None
    if proposal is not None:
        cfg = net.apply_proposal(cfg, proposal)
    vnets: dict[Any, Any] = {}
    notes = list(loaded.notes)
    if propose:
        notes.append("the proposal plans fresh VNets: it changes the ranges, so live subnets do not apply")
    elif demo or tenant or device_code or (not offline and _signed_in()):
        from wizard.azure.run import LiveRunError, open_session

        interactive = not as_json and sys.stdin.isatty()
        try:
            live = open_session(demo=demo, tenant=tenant, device_code=device_code,
                                choose_tenant=ask_tenant if interactive else None)
        except LiveRunError as exc:
            fail(exc.message, exc.hint)
        try:
            vnets, read_notes = live.live_vnets(cfg)
        finally:
            live.close()
        notes += live.notes + read_notes
    else:
        notes.append(f"offline: {FRESH_VNETS}; sign in (az login) or use --demo to plan from them")
    plans = net.plan_all(cfg, vnets)
    findings = net.network_findings(cfg, live=vnets)
    if as_json:
        data: dict[str, Any] = {
            "environments": {name: net.plan_to_json(plan) for name, plan in plans.items()},
            "findings": [f.to_json() for f in findings],
            "notes": notes,
        }
        if proposal is not None:
            data["proposal"] = net.proposal_to_json(proposal)
        emit_json(data)
        return
    from wizard.report import print_findings, print_network

    for note in notes:
        click.echo(f"note: {note}", err=True)
    print_network(plans, proposal)
    if findings:
        print_findings(findings, title="address plan")


def _signed_in() -> bool:
    from wizard.azure.credentials import likely_signed_in

    return likely_signed_in()


# ------------------------------------------------------------------------------------ names


@cli.command()
@source_options
@click.option("--env", "env", type=click.Choice(["dev", "stage", "prod", "test"]),
              help="Only this environment (test is the AI Factory's name for stage).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def names(preset: str | None, config: Path | None, env: str | None, as_json: bool) -> None:
    """Every resource name the AI Factory will create, per environment and project.

    Each name with its ARM resource type and Azure's length limit; exit code 1 when Azure
    would refuse one of them.
    """
    from wizard.naming import name_sheet

    loaded = load_source(preset, config)
    enabled = [name for name, _ in loaded.config.environments.enabled()]
    chosen = "stage" if env == "test" else env
    if chosen is not None and chosen not in enabled:
        fail(f"{chosen} is not enabled in {loaded.name}",
             f"choose one of {', '.join(enabled)}, or set environments.{chosen}.enabled: true")
    sheet = name_sheet(loaded.config, [chosen] if chosen else enabled)
    if as_json:
        emit_json(sheet.to_json())
    else:
        from wizard.report import print_names

        print_names(sheet, loaded.name)
    sys.exit(EXIT_OK if sheet.ok else EXIT_FINDINGS)


# ------------------------------------------------------------------------------------ cost


@cli.command()
@source_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--assume", "assume", multiple=True, metavar="KEY=VALUE",
              help="Change a usage assumption, e.g. --assume log_gb_per_day=5 (repeatable).")
@click.option("--prices", "prices_file", type=FilePath(), help="Use this price snapshot instead of the saved one.")
def cost(preset: str | None, config: Path | None, as_json: bool, assume: tuple[str, ...],
         prices_file: Path | None) -> None:
    """Monthly cost per environment: every item, quantity, unit price, and what usage it assumes.

    Prices come from a snapshot of Azure's Retail Prices API (its date and currency are shown);
    `aifactory prices update` refreshes it.
    """
    from wizard.cost import estimate, parse_assumptions
    from wizard.errors import UserError
    from wizard.prices import load_snapshot

    loaded = load_source(preset, config)
    try:
        assumptions = parse_assumptions(assume)
        snapshot, path = load_snapshot(prices_file)
    except UserError as exc:
        fail(str(exc))
    result = estimate(loaded.config, snapshot, assumptions, str(path))
    if as_json:
        emit_json(result.to_json())
        return
    from wizard.cost_report import print_estimate

    print_estimate(result, loaded.name)


@cli.group()
def prices() -> None:
    """The price snapshot cost estimates use."""


@prices.command("update")
@click.option("--region", "regions", multiple=True, metavar="NAME",
              help="Only these regions (repeatable); default: every region the wizard knows.")
@click.option("--currency", default="USD", show_default=True, help="Currency to ask the API for.")
@click.option("-o", "--output", type=FilePath(), help="Write here instead of your saved snapshot.")
@click.option("--endpoint", default=None, metavar="URL", help="The Retail Prices API (default: Azure's public one).")
def prices_update(regions: tuple[str, ...], currency: str, output: Path | None, endpoint: str | None) -> None:
    """Fetch current prices from Azure's public Retail Prices API (no sign-in) and save them.

    Every page is checked and every meter the estimate needs must be present; otherwise nothing
    is written and the snapshot in use stays as it was.
    """
    from wizard.catalog import REGIONS, suggest_region
    from wizard.price_update import download, save
    from wizard.prices import RETAIL_PRICES_URL, PriceError, user_snapshot_path

    unknown = [r for r in regions if r not in REGIONS]
    if unknown:
        fail(f"unknown region {unknown[0]}", f"did you mean {', '.join(suggest_region(unknown[0])) or 'eastus2'}?")
    url = endpoint or RETAIL_PRICES_URL
    if not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        fail(f"--endpoint {url} is not https", "the API is https://prices.azure.com/api/retail/prices")

    def progress(index: int, total: int, query: object) -> None:
        click.echo(f"\r{index}/{total} queries", nl=False, err=True)

    try:
        snapshot = download(url, list(regions) or list(REGIONS), currency.upper(), progress=progress)
    except PriceError as exc:
        click.echo("", err=True)
        fail(str(exc))
    click.echo("", err=True)
    target = output or user_snapshot_path()
    try:
        save(snapshot, target)
    except OSError as exc:
        fail(f"cannot write {target}: {exc.strerror}", "check the folder exists and is writable")
    click.echo(f"saved {len(snapshot.Items)} prices ({snapshot.snapshot.currency}, {snapshot.snapshot.retrieved}) "
               f"to {target}")


@prices.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def prices_show(as_json: bool) -> None:
    """Which snapshot estimates use: its file, date, currency, source and regions."""
    from wizard.errors import UserError
    from wizard.prices import load_snapshot

    try:
        snapshot, path = load_snapshot()
    except UserError as exc:
        fail(str(exc))
    head = snapshot.snapshot
    info = {"path": str(path), "retrieved": head.retrieved.isoformat(), "currency": head.currency,
            "source": head.source, "regions": head.regions, "items": len(snapshot.Items), "note": head.note}
    if as_json:
        emit_json(info)
        return
    for key, value in info.items():
        click.echo(f"{key}: {', '.join(value) if isinstance(value, list) else value}")


# ------------------------------------------------------------------------------------ report


@cli.command()
@source_options
@click.option("--demo", is_flag=True, help="Run the live checks against the built-in sandbox (demo tenant), not Azure.")
@click.option("--run", "run_id", metavar="RUN_ID",
              help="Report this deployment run (default: this configuration's latest, to the sandbox with --demo).")
@click.option("-o", "--output", type=FilePath(), required=True, help="The report: FILE.html or FILE.md.")
def report(preset: str | None, config: Path | None, demo: bool, run_id: str | None, output: Path) -> None:
    """Write the handover report for the customer: one self-contained HTML or Markdown file.

    The landing zone in words and a drawing, environments and subscriptions, the address plan
    with the room left, every resource name, the preflight grid and open findings with their
    fixes, what was deployed, the monthly cost estimate, and the next steps (variables to
    create, who needs which role). Signed in (or with --demo) the live checks run; otherwise
    the offline rules only, and the report says so.
    """
    from datetime import datetime

    from wizard import handover
    from wizard.errors import UserError

    try:
        fmt = handover.format_for(str(output))
    except UserError as exc:
        fail(exc.message, exc.hint)
    loaded = load_source(preset, config)
    cfg = loaded.config
    vnets: dict[Any, Any] = {}
    if demo or _signed_in():
        from wizard.azure.run import LiveRunError, run_live_validation

        try:
            outcome = run_live_validation(cfg, demo=demo, read_vnets=True)
        except LiveRunError as exc:
            fail(exc.message, exc.hint)
        checks = handover.checks_from_result(outcome.result, "demo" if demo else "azure", outcome.notes)
        vnets = outcome.vnets
    else:
        checks = handover.offline_checks(cfg, f"offline: {FRESH_VNETS}")
    estimate, cost_problem = handover.estimate_for(cfg)
    from deploy.run_report import report_run

    try:
        run = report_run(loaded.name, run_id, demo=demo)
    except UserError as exc:
        fail(exc.message, exc.hint)
    inputs = handover.ReportInputs(loaded.name, cfg, checks, datetime.now().astimezone(), estimate, cost_problem,
                                   vnets, run)
    write_output(output, handover.render(handover.build(inputs), fmt))
    errors = sum(f.severity == "error" for f in checks.findings)
    click.echo(f"report of {loaded.name}: checked {'offline' if checks.by == 'offline' else 'live (' + checks.by + ')'}"
               f", {errors} open error(s)", err=True)


# ------------------------------------------------------------------------------------ plan


@cli.command("plan")
@source_options
@click.option("--demo", is_flag=True,
              help="Use the demo tenant's subscriptions; with --what-if, preview against the built-in sandbox.")
@click.option("--fresh", is_flag=True,
              help="With --demo --what-if: a freshly seeded sandbox for this run; the saved demo state is not used.")
@click.option("--what-if", "what_if", is_flag=True,
              help="Ask ARM (Azure, or the sandbox with --demo) what each resource would become.")
@click.option("--tenant", metavar="ID", help="Tenant to sign in to, when you can see several.")
@click.option("--device-code", is_flag=True, help="Sign in with a code on another device.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: environments, stages, resources (and what-if).")
def plan_cmd(preset: str | None, config: Path | None, demo: bool, fresh: bool, what_if: bool, tenant: str | None,
             device_code: bool, as_json: bool) -> None:
    """List the deployment's stages and resources per environment, in the AI Factory's order.

    With --what-if each resource shows what ARM would do: Create, Modify, Delete or NoChange.
    Exit code 1 when ARM refuses to preview a stage (the message says why).
    """
    from deploy.plan import build_plan
    from wizard.errors import UserError

    if fresh and not (demo and what_if):
        fail("--fresh only applies to --demo --what-if", "add --demo --what-if, or drop --fresh")
    loaded = load_source(preset, config)
    cfg = loaded.config
    notes: list[str] = []
    preview = None
    try:
        if what_if:
            from deploy.whatif import preview as run_preview
            from wizard.azure.run import LiveRunError, open_session

            interactive = not as_json and sys.stdin.isatty()
            try:
                live = open_session(demo=demo, tenant=tenant, device_code=device_code, fresh=fresh,
                                    choose_tenant=ask_tenant if interactive else None)
            except LiveRunError as exc:
                fail(exc.message, exc.hint)
            try:
                cfg, prepared = live.prepare(cfg)
                vnets, read_notes = live.live_vnets(cfg)
                plan = build_plan(cfg, vnets)
                if not as_json:
                    click.echo(f"previewing {len(plan.stages)} stages with what-if…", err=True)
                preview = run_preview(plan, live.session)
            finally:
                live.close()
            notes += live.notes + prepared + read_notes
        else:
            if demo:
                from wizard.azure.demo import with_demo_subscriptions

                cfg, demo_notes = with_demo_subscriptions(cfg)
                notes += demo_notes
            plan = build_plan(cfg)
    except UserError as exc:
        fail(str(exc))
    if as_json:
        from deploy.report import plan_to_json

        emit_json({**plan_to_json(plan, preview), "notes": notes + list(plan.notes)})
    else:
        from deploy.report import print_plan

        print_notes(notes)
        print_plan(plan, loaded.name, preview)
    sys.exit(EXIT_FINDINGS if preview is not None and preview.errors else EXIT_OK)


def _export_arm(preset: str | None, config: Path | None, output: Path | None) -> None:
    """`export --format arm`: one template per stage and a manifest, written as one folder."""
    import json

    from deploy.plan import build_plan
    from wizard.atomic_file import atomic_write_folder
    from wizard.errors import UserError

    if output is None:
        fail("--format arm writes a folder: give it with -o DIR", "e.g. aifactory export --format arm "
             "--preset poc-standalone -o arm-templates")
    loaded = load_source(preset, config)
    try:
        plan = build_plan(loaded.config)
    except UserError as exc:
        fail(str(exc))
    width = len(str(len(plan.stages)))
    files: dict[str, str] = {}
    order = []
    for index, stage in enumerate(plan.stages, 1):
        name = f"{index:0{width}d}-{stage.id.replace('/', '-')}.json"
        files[name] = json.dumps(stage.template, indent=2) + "\n"
        order.append({"order": index, "id": stage.id, "file": name, "title": stage.title, "kind": stage.kind,
                      "deployment_name": stage.deployment_name,
                      "scope": {"id": stage.scope.id, "subscription_id": stage.scope.subscription_id,
                                "resource_group": stage.scope.resource_group, "location": stage.scope.location},
                      "depends_on": list(stage.depends_on), "fingerprint": stage.fingerprint,
                      "resources": len(stage.resources), "az": _az_command(stage, name)})
    manifest = {"configuration": loaded.name, "fingerprint": plan.fingerprint, "stages": order,
                "notes": list(plan.notes)}
    files[ARM_MANIFEST] = json.dumps(manifest, indent=2) + "\n"
    try:
        backup = atomic_write_folder(output, files, marker=ARM_MANIFEST)
    except FileExistsError as exc:
        fail(str(exc), "choose a new or empty folder, or one an earlier `export --format arm` wrote")
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}", "check the folder's parent exists and is writable")
    print_notes(list(plan.notes))
    kept = f" (previous export kept as {backup.name})" if backup else ""
    click.echo(f"wrote {len(plan.stages)} templates and {ARM_MANIFEST} to {output}{kept}", err=True)


def _az_command(stage: Any, file: str) -> str:
    """The Azure CLI command that deploys one exported template by hand, as the AI Factory's pipelines do."""
    scope = stage.scope
    where = (f"group create --resource-group {scope.resource_group}" if scope.resource_group else
             f"sub create --location {scope.location}")
    return (f"az deployment {where} --subscription {scope.subscription_id} --name {stage.deployment_name} "
            f"--template-file {file}")


ARM_MANIFEST = "manifest.json"
"""The file of an ARM export that lists its templates in deployment order, with scopes and dependencies."""


# ------------------------------------------------------------------------------------ import/export


@cli.command("import")
@click.argument("file", type=FilePath())
@click.option("-o", "--output", type=FilePath(),
              help="Write the configuration as a preset-format YAML file.")
@click.option("--save-preset", metavar="NAME", help="Save it as your preset NAME.")
@click.option("--force", is_flag=True, help="Replace an existing preset or file (a backup is kept).")
def import_cmd(file: Path, output: Path | None, save_preset: str | None, force: bool) -> None:
    """Import the AI Factory's .env (GitHub) or variables.yaml (Azure DevOps)."""
    from presets.store import PresetError, loadable_preset_text
    from wizard.interop import InteropError, import_file

    try:
        result = import_file(file)
    except InteropError as exc:
        fail(str(exc))
    click.echo(f"imported {file} ({result.format}): {len(result.config.projects)} project(s), "
               f"landing zone {result.config.mode}", err=True)
    print_notes(result.notes)
    if result.unknown_keys:
        click.echo(f"kept {len(result.unknown_keys)} variable(s) the wizard does not model: "
                   + ", ".join(result.unknown_keys), err=True)
    if save_preset:
        try:
            path, _, notes = _store().save(save_preset, result.config, overwrite=force)
        except PresetError as exc:
            fail(str(exc))
        print_notes(notes)
        click.echo(f"saved preset {save_preset!r} to {path}")
    if output:
        if output.exists() and not force:
            fail(f"{output} exists", "pass --force to replace it (a backup is kept)")
        try:
            text, _ = loadable_preset_text(result.config, str(output))
        except PresetError as exc:
            fail(str(exc))
        write_output(output, text)
    elif not save_preset:
        from presets.store import render_preset

        click.echo(render_preset(result.config), nl=False)


@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["env", "ado", "schema", "arm"]), required=True,
              help="env: GitHub .env; ado: Azure DevOps variables.yaml; schema: JSON Schema of presets; "
                   "arm: the deployment's ARM templates, one per stage, and a manifest (-o DIR).")
@source_options
@click.option("-o", "--output", type=FilePath(dir_okay=True), help="Write to PATH (a folder for --format arm).")
@click.option("--base", type=FilePath(exists=True),
              help="Update this existing .env / variables.yaml in place (keeps its order and comments).")
def export_cmd(fmt: str, preset: str | None, config: Path | None, output: Path | None, base: Path | None) -> None:
    """Export a configuration as the AI Factory's own files, or as the ARM templates it deploys."""
    if fmt == "arm":
        _export_arm(preset, config, output)
        return
    if fmt == "schema":
        import json

        from wizard.model import config_json_schema

        text = json.dumps(config_json_schema(), indent=2) + "\n"
    else:
        from wizard.interop import InteropError, export_ado, export_env

        loaded = load_source(preset, config)
        try:
            result = (export_env if fmt == "env" else export_ado)(loaded.config, base)
        except InteropError as exc:
            fail(str(exc))
        print_notes(result.notes)
        text = result.text
    if output:
        write_output(output, text)
    else:
        click.echo(text, nl=False)


# ------------------------------------------------------------------------------------ sandbox


@cli.command()
@click.option("--demo", is_flag=True, help="Serve the wizard on the offline sandbox (demo tenant), not Azure.")
@click.option("--preset", "preset", metavar="NAME", help="Open every browser's wizard straight on this preset.")
@click.option("--config", "config", type=FilePath(exists=True),
              help="Open every browser's wizard straight on this file (preset YAML, .env or variables.yaml).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; any but loopback requires the token printed in the URL.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--max-sessions", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Browsers that may use the wizard at once; a further one is told the room is full.")
@click.option("--token", "require_token", is_flag=True,
              help="Require the token on loopback too (always required on any other address).")
@click.option("--reconnect-grace", type=click.FloatRange(min=0), default=60, show_default=True, metavar="SECONDS",
              help="How long a wizard whose browser went away (a reload, a dropped connection) waits for it "
                   "to come back; 0 ends it at once.")
def serve(demo: bool, preset: str | None, config: Path | None, host: str, port: int, max_sessions: int,
          require_token: bool, reconnect_grace: float) -> None:
    """Serve the wizard to a browser (textual-serve): for a projector, or someone without Python.

    Each browser tab gets its own wizard, run as `aifactory [--demo] [--preset|--config]` would on a
    terminal, acting with your Azure sign-in (or the sandbox with --demo). Ctrl+C stops serving.
    """
    if preset or config:
        load_source(preset, config)  # a bad preset or file is said here, once, not in every browser
    from screens.browser import ServeOptions, serve_wizard

    options = ServeOptions(host=host, port=port, demo=demo, preset=preset, config=config,
                           max_sessions=max_sessions, require_token=require_token, reconnect_grace=reconnect_grace)
    try:
        serve_wizard(options)
    except OSError as exc:
        fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}",
             "choose another --port (or --host), or stop what is using it")


@cli.group()
def sandbox() -> None:
    """The offline stand-in for Azure Resource Manager."""


def _fault_specs(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    """Check `--fault` specs early, so a typo is a usage error naming the forms that work."""
    from sandbox.faults import parse_faults

    try:
        parse_faults(list(value))
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    return value


@sandbox.command("serve")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default="a free port",
              help="Port on 127.0.0.1.")
@click.option("--fresh", is_flag=True, help="Start from the seeded demo tenant, not the saved demo state.")
@click.option("--fault", "faults", multiple=True, callback=_fault_specs, metavar="NAME=VALUE",
              help="Inject a fault (repeatable): throttle=RATE, transient=RATE, latency=SECONDS, retry-after=SECONDS, "
                   "token-expiry=N, fail=TYPE[:CODE[:TIMES]].")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the faults' random draws and jitter.")
@click.option("--speed", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Demo speed factor: ARM work takes 1/SPEED of its time in Azure (saved with the state; "
                   "default 30 for a new state).")
def sandbox_serve(port: int, fresh: bool, faults: tuple[str, ...], seed: int, speed: float | None) -> None:
    """Serve the sandbox on 127.0.0.1 for other tools (and end-to-end tests); Ctrl+C stops it."""
    from sandbox.arm import Arm
    from sandbox.faults import parse_faults
    from sandbox.server import PortError
    from sandbox.server import main as serve
    from sandbox.state_file import StateFileError
    from wizard.azure.demo import STATE_HINT, open_sandbox, state_path

    path = state_path()
    plan = parse_faults(list(faults), seed)
    try:
        arm = Arm(faults=plan) if fresh else open_sandbox(path, faults=plan)
        if speed is not None:
            arm.set_speed(speed)
        serve(port, state_path=None if fresh else path, arm=arm)
    except StateFileError as exc:
        fail(f"the demo sandbox state {exc}", STATE_HINT)
    except PortError as exc:
        fail(str(exc))


@sandbox.command("reset")
def sandbox_reset() -> None:
    """Start the demo sandbox again from the seeded tenant; the old state is kept as a .bak."""
    from sandbox.state_file import set_aside
    from wizard.azure.demo import state_path

    path = state_path()
    try:
        kept = set_aside(path)
    except OSError as exc:
        fail(f"cannot move the demo sandbox state {path} aside ({exc.strerror or exc})",
             "check the folder's permissions, or delete the file yourself")
    if kept is None:
        click.echo(f"the demo sandbox has no saved state ({path}); the next --demo run starts from the seeded tenant")
    else:
        click.echo(f"moved the demo sandbox state to {kept}; the next --demo run starts from the seeded tenant")


# ------------------------------------------------------------------------------------ deploy


EXIT_INTERRUPTED = 130
"""A run canceled or left running after Ctrl+C (the shell's code for an interrupted command)."""


def _interrupt_option(func: F) -> F:
    return click.option(
        "--on-interrupt", type=click.Choice(["ask", "cancel", "leave"]), default="ask", show_default=True,
        help="What Ctrl+C does: ask, cancel the deployments in Azure, or leave them running for "
             "`aifactory resume`.")(func)


def _deploy_session(*, demo: bool, tenant: str | None, device_code: bool, faults: tuple[str, ...] = (),
                    seed: int = 0, speed: float | None = None) -> Any:
    """The LiveSession a deployment runs on (the demo sandbox with its faults and speed, or Azure)."""
    from wizard.azure.run import LiveRunError, LiveSession, open_session, token_account

    try:
        if demo:
            from sandbox.faults import parse_faults
            from sandbox.state_file import StateFileError
            from wizard.azure.demo import STATE_HINT, demo_session

            try:
                session, tenant_id, notes = demo_session(faults=parse_faults(list(faults), seed) if faults else None,
                                                         speed=speed)
            except StateFileError as exc:
                fail(f"the demo sandbox state {exc}", STATE_HINT)
            return LiveSession(session, tenant_id, True, token_account(session.credential), notes)
        if faults or speed is not None:
            fail("--fault and --speed only apply to --demo", "add --demo, or drop them")
        interactive = sys.stdin.isatty()
        return open_session(demo=False, tenant=tenant, device_code=device_code,
                            choose_tenant=ask_tenant if interactive else None)
    except LiveRunError as exc:
        fail(exc.message, exc.hint)


def _consent(register: bool, yes: bool, printer: Any) -> Any:
    """Registering providers: always with --register-providers; asked on a terminal (the progress
    bar paused meanwhile); else refused."""
    if register:
        return True
    if yes or not sys.stdin.isatty():
        return False

    def ask(subscription_id: str, namespaces: list[str]) -> bool:
        with printer.paused():
            return click.confirm(f"Register {', '.join(namespaces)} in subscription {subscription_id} "
                                 "(it changes the subscription)?", default=False, err=True)

    return ask


def _ask_cancel() -> bool:
    answer = click.prompt("\nCancel the deployments in Azure [c], or leave them running to resume later [l]?",
                          type=click.Choice(["c", "l"]), default="l", err=True)
    return bool(answer == "c")


def _exit_for(finished: Any) -> NoReturn:
    if finished.status == "succeeded":
        sys.exit(EXIT_OK)
    sys.exit(EXIT_INTERRUPTED if finished.status in ("canceled", "interrupted") else EXIT_FINDINGS)


@cli.command()
@source_options
@click.option("--demo", is_flag=True, help="Deploy into the built-in sandbox (demo tenant), not Azure.")
@click.option("--yes", is_flag=True, help="Deploy without asking for confirmation after the preview.")
@click.option("--force", is_flag=True, help="Deploy even though the preflight reports errors.")
@click.option("--json", "as_json", is_flag=True,
              help='One JSON event per line; the last is {"event": "run_finished", "status": ...}.')
@click.option("--register-providers", is_flag=True,
              help="Register resource providers a stage needs (you consent to the change).")
@_interrupt_option
@click.option("--tenant", metavar="ID", help="Tenant to sign in to, when you can see several.")
@click.option("--device-code", is_flag=True, help="Sign in with a code on another device.")
@click.option("--fault", "faults", multiple=True, callback=_fault_specs, metavar="NAME=VALUE",
              help="With --demo: inject a fault (repeatable), as `aifactory sandbox serve --fault`.")
@click.option("--seed", type=int, default=0, show_default=True, help="With --fault: seed of the random draws.")
@click.option("--speed", type=click.FloatRange(min=0, min_open=True), default=None,
              help="With --demo: the sandbox's speed factor (saved with its state; default 30).")
def deploy(preset: str | None, config: Path | None, demo: bool, yes: bool, force: bool, as_json: bool,
           register_providers: bool, on_interrupt: str, tenant: str | None, device_code: bool,
           faults: tuple[str, ...], seed: int, speed: float | None) -> None:
    """Deploy a configuration: preflight, preview, confirmation, then every stage with progress.

    Exit codes: 0 deployed, 1 refused or a stage failed, 2 bad input, 130 canceled or left
    running after Ctrl+C (`aifactory resume` continues).
    """
    from deploy.headless import RichPrinter, follow
    from deploy.launch import build, preflight_refusal, start_run
    from wizard.errors import UserError

    loaded = load_source(preset, config)
    live = _deploy_session(demo=demo, tenant=tenant, device_code=device_code, faults=faults, seed=seed,
                           speed=speed)
    try:
        prepared, notes = live.prepare(loaded.config)
        try:
            plan, read_notes = build(prepared, live)
        except UserError as exc:
            fail(str(exc))
        print_notes(live.notes + notes + read_notes)
        refusal = None
        if not force:
            if not as_json:
                click.echo("running the preflight…", err=True)
            refusal = preflight_refusal(prepared, live)
        if refusal is None and not _confirmed(plan, loaded.name, live, yes=yes, as_json=as_json):
            click.echo("nothing deployed", err=True)
            sys.exit(EXIT_OK)
        printer = RichPrinter()
        run = start_run(prepared, live, force=True, consent=_consent(register_providers, yes, printer), plan=plan,
                        config_name=loaded.name, refusal=refusal)
        finished = follow(run, as_json=as_json, on_interrupt=on_interrupt,  # type: ignore[arg-type]
                          ask=_ask_cancel, printer=printer)
    finally:
        live.close()
    _exit_for(finished)


def _confirmed(plan: Any, name: str, live: Any, *, yes: bool, as_json: bool) -> bool:
    """With --yes, go; else preview the plan with ARM's what-if, show it, and ask."""
    if yes:
        return True
    if as_json or not sys.stdin.isatty():
        fail("deploying needs a confirmation, and there is no terminal to ask on", "add --yes to deploy without asking")
    from deploy.report import print_plan
    from deploy.whatif import preview

    click.echo(f"previewing {len(plan.stages)} stages with what-if…", err=True)
    previewed = preview(plan, live.session)
    print_plan(plan, name, previewed)
    if previewed.errors:
        click.echo(f"ARM could not preview {len(previewed.errors)} stage(s); they may fail the same way", err=True)
    return click.confirm("Deploy?", default=False, err=True)


@cli.command()
@click.argument("run_id", required=False)
@click.option("--json", "as_json", is_flag=True, help="One JSON event per line, as `aifactory deploy --json`.")
@click.option("--register-providers", is_flag=True,
              help="Register resource providers a stage needs (you consent to the change).")
@_interrupt_option
def resume(run_id: str | None, as_json: bool, register_providers: bool, on_interrupt: str) -> None:
    """Continue a deployment run (the latest unfinished one, or RUN_ID): deployments still running
    are re-attached by name, stages that succeeded are not deployed again."""
    from deploy.headless import RichPrinter, follow
    from deploy.launch import RunNotFound, find_run, resume_run

    try:
        record = find_run(run_id)
    except RunNotFound as exc:
        fail(exc.message, exc.hint)
    live = _deploy_session(demo=bool(record.header.get("demo")), tenant=None, device_code=False)
    try:
        print_notes(live.notes)
        printer = RichPrinter()
        run = resume_run(record.run_id, live, consent=_consent(register_providers, False, printer))
        finished = follow(run, as_json=as_json, on_interrupt=on_interrupt,  # type: ignore[arg-type]
                          ask=_ask_cancel, printer=printer)
    finally:
        live.close()
    _exit_for(finished)


@cli.command()
@source_options
@click.option("--env", "env", type=click.Choice(["dev", "stage", "prod"]), help="Only this environment.")
@click.option("--demo", is_flag=True, help="Destroy in the built-in sandbox (demo tenant), not Azure.")
@click.option("--yes", is_flag=True, help="Do not count down before deleting.")
@click.option("--json", "as_json", is_flag=True, help="Print what is (or was) deleted as JSON.")
@click.option("--countdown", type=click.IntRange(0, 60), default=10, show_default=True,
              help="Seconds to wait (Ctrl+C stops) before deleting.")
def destroy(preset: str | None, config: Path | None, env: str | None, demo: bool, yes: bool, as_json: bool,
            countdown: int) -> None:
    """Delete what deployments of a configuration created: the resource groups and deployments their
    journals recorded, then purge the Key Vaults Azure keeps soft-deleted. Previews exactly that first."""
    import time

    from deploy import teardown
    from deploy.journal import find_runs

    loaded = load_source(preset, config)
    runs = [r for r in find_runs(config_name=loaded.name) if bool(r.header.get("demo")) == demo]
    if not runs:
        fail(f"no deployment of {loaded.name} is recorded{' in the demo sandbox' if demo else ''}",
             "destroy only deletes what `aifactory deploy` recorded creating")
    live = _deploy_session(demo=demo, tenant=None, device_code=False)
    try:
        plan = teardown.existing(teardown.recorded(runs, env), live.session)
        if as_json and (plan.empty or not yes):
            emit_json({**plan.to_json(), "deleted": False})
            sys.exit(EXIT_OK)
        if not as_json:
            _print_teardown(plan, loaded.name, len(runs))
        if plan.empty:
            sys.exit(EXIT_OK)
        if not yes:
            if not sys.stdin.isatty():
                fail("destroying needs a countdown you can stop, and there is no terminal", "add --yes")
            for left in range(countdown, 0, -1):
                click.echo(f"\rdeleting in {left} s (Ctrl+C to stop) ", nl=False, err=True)
                time.sleep(1)
            click.echo("", err=True)
        teardown.execute(plan, live.session, say=(lambda line: None) if as_json else click.echo)
    finally:
        live.close()
    if as_json:
        emit_json({**plan.to_json(), "deleted": True})


def _print_teardown(plan: Any, name: str, runs: int) -> None:
    """The preview: every resource group, deployment and vault `destroy` will delete."""
    if plan.empty:
        click.echo(f"nothing to delete: what the {runs} recorded run(s) of {name} created is gone already")
        return
    click.echo(f"destroy deletes what {runs} recorded run(s) of {name} created:")
    for group in plan.groups:
        click.echo(f"  resource group  {group.name}  (subscription {group.subscription_id}, with everything in it)")
    for target in plan.deployments:
        click.echo(f"  deployment      {target.name}  ({target.id.rsplit('/providers/', 1)[0]})")
    for vault in plan.vaults:
        click.echo(f"  purge Key Vault {vault.name}  (soft-deleted once its group is gone)")
    for note in plan.notes:
        click.echo(f"  note: {note}")


def main() -> None:
    """Console-script entry point; Ctrl+C ends quietly with the shell's conventional code 130."""
    try:
        cli(prog_name="aifactory")
    except KeyboardInterrupt:
        click.echo("\ninterrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # the last line of defence: a fixable error never ends in a traceback
        from wizard.errors import UserError

        if isinstance(exc, UserError):
            fail(str(exc))
        raise
