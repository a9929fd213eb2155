"""The handover report: what was set up, for the customer who owns it afterwards.

One `Document` (wizard/document.py) built from what the wizard already knows, section by
section: the landing zone in words and a drawing, the environments and subscriptions, the address
plan per environment with the room left, every resource name, the preflight grid and the open
findings with their fixes, what was deployed (from the deployment journal), the monthly cost
estimate, and the next steps (variables to create by hand, who needs which role). The HTML and
Markdown renderers (handover_html.py, handover_md.py) turn the same document into a file.

Building is pure: `ReportInputs` holds what was checked, estimated and deployed, and the front
ends (the CLI's `aifactory report`, the wizard's review) gather it their own way. Every string
of the finished document goes through `wizard.secrets.redact`, so no secret reaches the file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from wizard import address_map, drawing, drawing_text, landing_zones
from wizard.cost import Assumptions, Estimate, money, quantity_text, unit_price_text
from wizard.document import (
    Block,
    Bullets,
    CellValue,
    Commands,
    Document,
    Facts,
    Figure,
    Paragraph,
    Section,
    Span,
    Table,
    Tone,
    map_text,
)
from wizard.errors import UserError
from wizard.findings import Finding, sort_findings
from wizard.model import EnvName, FactoryConfig, HubSpokeZone, HybridZone, VwanZone
from wizard.network import EnvironmentPlan, LiveVnet, TemplateError, network_findings, plan_all
from wizard.run_summary import RunSummary, StageSummary, duration
from wizard.secrets import redact

CheckedBy = Literal["offline", "demo", "azure"]


@dataclass(frozen=True)
class Checks:
    """What the preflight found: every finding, and the grid when the live checks ran."""

    by: CheckedBy
    """offline: the offline rules only (no session); demo: the sandbox; azure: a real sign-in."""
    findings: tuple[Finding, ...]
    grid: Mapping[str, Mapping[str, str]] | None = None
    """environment -> column -> pass, warn, fail, n/a (checking / cancelled from a live wizard)."""
    columns: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportInputs:
    """Everything the report says, gathered by a front end."""

    name: str
    config: FactoryConfig
    checks: Checks
    generated: datetime
    estimate: Estimate | None = None
    cost_problem: str = ""
    """Why there is no estimate (a price snapshot that cannot be read)."""
    live_vnets: Mapping[EnvName, LiveVnet] = field(default_factory=dict)
    run: RunSummary | None = None
    """What the latest deployment run did (from its journal), or None when nothing was deployed yet."""


SECTIONS: tuple[tuple[str, str], ...] = (
    ("summary", "At a glance"),
    ("landing-zone", "Landing zone"),
    ("environments", "Environments and subscriptions"),
    ("address-plan", "Address plan"),
    ("names", "Resource names"),
    ("preflight", "Preflight checks"),
    ("deployment", "Deployment"),
    ("cost", "Monthly cost estimate"),
    ("next-steps", "Next steps"),
)
"""Every section's id and title, in the order the report shows them (tests check each is there)."""

TITLES = dict(SECTIONS)

CHECKED_BY = {
    "offline": "the offline rules only: no Azure session, so the live checks (subscriptions, quotas, "
               "permissions, names in use) did not run. Run `aifactory validate` signed in for them",
    "demo": "the offline rules and every live check against the demo sandbox (not Azure)",
    "azure": "the offline rules and every live check against Azure",
}

CHECKED_SHORT = {"offline": "the offline rules only", "demo": "the demo sandbox (not Azure)", "azure": "Azure"}

GRID_MARKS: dict[str, tuple[str, Tone]] = {
    "pass": ("✓", "ok"), "warn": ("!", "warning"), "fail": ("✗", "error"), "n/a": ("–", "muted"),
    "checking": ("…", "muted"), "cancelled": ("?", "muted"),
}
SEVERITY: dict[str, tuple[str, Tone]] = {"error": ("✗ error", "error"), "warning": ("! warning", "warning"),
                                         "info": ("· note", "muted")}


def build(inputs: ReportInputs) -> Document:
    """The whole report, every string redacted of secrets."""
    config = inputs.config
    plans, plan_problem = _plans(config, inputs.live_vnets)
    sections = (
        _summary(inputs),
        _landing_zone(config, plans),
        _environments(config),
        _address_plan(config, plans, plan_problem, inputs.live_vnets),
        _names(config),
        _preflight(inputs.checks),
        _deployment(inputs),
        _cost(inputs),
        _next_steps(config, inputs.checks),
    )
    subtitle = f"{landing_zones.TITLES[config.mode]} landing zone · written {inputs.generated:%Y-%m-%d %H:%M %Z}"
    document = Document(f"AI Factory handover: {inputs.name}", subtitle.strip(), sections)
    redacted: Document = map_text(document, redact)
    return redacted


def _section(section_id: str, blocks: list[Block], subsections: list[Section] | None = None) -> Section:
    return Section(section_id, TITLES[section_id], tuple(blocks), tuple(subsections or ()))


def _plans(config: FactoryConfig, live: Mapping[EnvName, LiveVnet]) -> tuple[dict[EnvName, EnvironmentPlan], str]:
    try:
        return plan_all(config, live), ""
    except TemplateError as exc:
        return {}, str(exc)


# ------------------------------------------------------------------------------------ sections


def _summary(inputs: ReportInputs) -> Section:
    config, checks = inputs.config, inputs.checks
    envs = [f"{name} ({env.region})" for name, env in config.environments.enabled()]
    errors = sum(f.severity == "error" for f in checks.findings)
    warnings = sum(f.severity == "warning" for f in checks.findings)
    verdict: CellValue = (Span(f"✗ {errors} error(s), {warnings} warning(s) open", "error") if errors
                          else Span(f"✓ no errors, {warnings} warning(s)", "warning" if warnings else "ok"))
    pairs: list[tuple[str, CellValue]] = [
        ("Configuration", inputs.name),
        ("Landing zone", landing_zones.TITLES[config.mode]),
        ("Environments", ", ".join(envs) or "none enabled"),
        ("Projects", ", ".join(f"{p.number}{' ' + p.name if p.name else ''}" for p in config.projects) or "none"),
        ("Checks", verdict),
        ("Checked with", CHECKED_SHORT[checks.by]),
    ]
    if inputs.estimate is not None:
        pairs.append(("Monthly estimate", Span(money(inputs.estimate.total, inputs.estimate.currency), "plain")))
    pairs.append(("Deployment", _run_status(inputs)))
    pairs.append(("Written", f"{inputs.generated:%Y-%m-%d %H:%M %Z}".strip()))
    blocks: list[Block] = [Facts(tuple(pairs))]
    if config.description:
        blocks.insert(0, Paragraph(config.description))
    return _section("summary", blocks)


def _landing_zone(config: FactoryConfig, plans: dict[EnvName, EnvironmentPlan]) -> Section:
    mode = config.mode
    description, when = landing_zones.about(mode).split("\n", 1)
    blocks: list[Block] = [Paragraph(description), Paragraph(f"When to use it: {when}")]
    zone = config.landing_zone
    facts: list[tuple[str, CellValue]] = []
    if isinstance(zone, HubSpokeZone | VwanZone):
        hubs = zone.hub_vnet_ids if isinstance(zone, HubSpokeZone) else zone.virtual_hub_ids
        for env, hub in hubs.items():
            facts.append((f"{env} connects to", Span(hub, mono=True)))
        facts.append(("Hub ranges", ", ".join(zone.hub_address_prefixes) or "not given"))
        facts.append(("Private DNS zones", f"{zone.dns.resource_group or 'resource group not set'}"
                      f"{' in ' + zone.dns.subscription_id if zone.dns.subscription_id else ''}; records "
                      f"{'by the hub policy' if zone.dns.records_by_policy else 'written by the AI Factory'}"))
    if isinstance(zone, HybridZone):
        facts.append(("People reach the services by", ", ".join(landing_zones.access_paths(config))))
        if zone.vpn_client_prefixes:
            facts.append(("VPN client pool", ", ".join(zone.vpn_client_prefixes)))
    access = config.access
    facts += [
        ("Public access to AI services", "on" if access.enable_public_genai_access else "off (private endpoints)"),
        ("Public access behind the VNet", "allowed" if access.allow_public_access_when_behind_vnet else "off"),
        ("IP allow-list", ", ".join(access.ip_allow_list) or "none"),
        ("Azure Bastion", "yes" if access.bastion else "no"),
        ("Admin VM", "yes" if access.admin_vm else "no"),
    ]
    blocks.append(Facts(tuple(facts)))
    if plans:
        picture = drawing.landing_zone(config, plans)
        blocks.append(Figure(picture, drawing_text.render(picture),
                             f"What the landing zone builds: {landing_zones.TITLES[mode]}"))
    return _section("landing-zone", blocks)


def _environments(config: FactoryConfig) -> Section:
    from wizard.resource_names import aif_env, common_resource_group

    rows: list[tuple[CellValue, ...]] = []
    for name, env in config.environments.enabled():
        subscription: CellValue = (Span(env.subscription_id, mono=True) if env.subscription_id
                                   else Span("not set", "warning"))
        rows.append((name, aif_env(name), subscription, env.region, env.network_env,
                     Span(common_resource_group(config, name), mono=True)))
    blocks: list[Block] = [
        Table(("environment", "AI Factory name", "subscription", "region", "network env", "common resource group"),
              tuple(rows)),
        Facts((("Tenant", config.identity.tenant_id or Span("not set", "warning")),
               ("Seeding Key Vault", config.identity.seeding_key_vault.name or Span("not set", "warning")))),
    ]
    off = [name for name in ("dev", "stage", "prod") if not config.environments.get(name).enabled]
    if off:
        blocks.append(Paragraph(f"Not enabled: {', '.join(off)}.", "muted"))
    return _section("environments", blocks)


def _address_plan(config: FactoryConfig, plans: dict[EnvName, EnvironmentPlan], problem: str,
                  live: Mapping[EnvName, LiveVnet]) -> Section:
    if problem:
        return _section("address-plan", [Paragraph(f"The address plan cannot be drawn: {problem}", "error")])
    findings = network_findings(config, live=live)
    subsections = []
    for env, plan in plans.items():
        amap = address_map.draw(plan, address_map.neighbours(config, plans, env, findings), 76)
        text = "\n".join(f"{row.label:>{max(len(r.label) for r in amap.rows)}} "
                         + "".join(cell.text for cell in row.cells) for row in amap.rows)
        legend = "; ".join(f"{mark} {meaning}" for mark, meaning in address_map.LEGEND)
        blocks: list[Block] = [
            Paragraph(f"VNet {plan.vnet} ({plan.vnet.num_addresses:,} addresses): {len(plan.projects)} project(s) "
                      f"placed, room for {plan.capacity_left} more.", "ok" if not plan.unplaced else "error"),
            Figure(drawing.address_map(amap), text, f"{env}: each block is a /{amap.cell_prefix}. {legend}"),
        ]
        if plan.live is not None:
            blocks.append(Paragraph(f"Planned from the live VNet {plan.live.name} ({len(plan.live.subnets)} "
                                    "subnets): new projects go after its highest subnet.", "note"))
        else:
            blocks.append(Paragraph("Planned for a fresh VNet: the AI Factory's subnet calculator appends after "
                                    "the highest subnet a live VNet already holds.", "muted"))
        for neighbour in amap.neighbours:
            blocks.append(Paragraph(f"{'The whole VNet' if neighbour.whole else 'The VNet'} overlaps the "
                                    f"{neighbour.label} {neighbour.network}.", neighbour.severity if
                                    neighbour.severity != "info" else "note"))
        if plan.unplaced:
            blocks.append(Paragraph(f"Do not fit: projects {', '.join(plan.unplaced)}.", "error"))
        rows: list[tuple[CellValue, ...]] = [("common", s.name, Span(str(s.network), mono=True),
                                              f"{s.network.num_addresses:,}") for s in plan.common_subnets]
        rows += [("live", s.name, Span(str(s.network), mono=True), f"{s.network.num_addresses:,}")
                 for s in plan.other_subnets]
        for project in plan.projects:
            rows += [(f"project {project.number}", s.name, Span(str(s.network), mono=True),
                      f"{s.network.num_addresses:,}") for s in project.subnets]
            rows += [(f"project {project.number}", role, Span("no room: left empty", "warning"), "")
                     for role in project.missing]
        blocks.append(Table(("scope", "subnet", "range", "addresses"), tuple(rows), "lllr"))
        subsections.append(Section(f"address-plan-{env}", f"{env}: {plan.vnet}", tuple(blocks)))
    return _section("address-plan", [], subsections)


def _names(config: FactoryConfig) -> Section:
    from wizard.naming import name_sheet

    envs = [name for name, _ in config.environments.enabled()]
    sheet = name_sheet(config, envs)
    subsections = []
    for env in envs:
        salt, provisional = sheet.salts[env]
        rows: list[tuple[CellValue, ...]] = []
        previous = ""
        for generated in (n for n in sheet.names if n.environment == env):
            problem = generated.problem()
            scope = "common" if generated.project is None else f"project {generated.project}"
            shown, previous = ("" if scope == previous else scope), scope
            what = (generated.what.removeprefix(f"project {generated.project} ") if generated.project
                    else generated.what)
            name = generated.name + (" ~" if generated.provisional else "")
            verdict = (Span("✓", "ok") if problem is None
                       else Span(f"✗ {problem} → {generated.hint()}", "error"))
            rows.append((shown, what, Span(generated.resource_type, "muted"), Span(name, mono=True),
                         f"{len(generated.name)}/{generated.rule.max_length}", verdict))
        caption = f"salt5 {salt}{' (provisional)' if provisional else ''}"
        subsections.append(Section(f"names-{env}", f"{env}", (
            Table(("scope", "what", "resource type", "name", "length", "Azure"), tuple(rows), "llllrl", caption),)))
    blocks: list[Block] = [Paragraph(
        f"Every resource, resource-group and deployment name the AI Factory's templates will give "
        f"({len(sheet.names)} names), as `aifactory names` prints them. ~ marks a name that is not final "
        "until the salt is known.")]
    notes = sheet.notes()
    if notes:
        blocks.append(Bullets(tuple(notes)))
    bad = sum(1 for n in sheet.names if n.problem())
    blocks.append(Paragraph(f"✗ {bad} name(s) break Azure's rules." if bad
                            else f"✓ All {len(sheet.names)} names fit Azure's rules.", "error" if bad else "ok"))
    return _section("names", blocks, subsections)


def _preflight(checks: Checks) -> Section:
    blocks: list[Block] = [Paragraph(f"Checked with {CHECKED_BY[checks.by]}.", "note" if checks.by == "offline"
                                     else "plain")]
    if checks.grid:
        from wizard.azure.checks import REGISTRY  # the live checks ran, so this costs nothing more

        titles = {"offline": "offline rules"} | {name: check.title for name, check in REGISTRY.items()}
        envs = list(checks.grid)
        rows: list[tuple[CellValue, ...]] = []
        for column in checks.columns:
            marks = [GRID_MARKS.get(checks.grid[env].get(column, "n/a"), ("?", "muted")) for env in envs]
            rows.append((titles.get(column, column), *(Span(mark, tone) for mark, tone in marks)))
        blocks.append(Table(("check", *envs), tuple(rows), "l" + "c" * len(envs),
                            "✓ pass   ! warning   ✗ fail   – does not apply"))
    if checks.notes:
        blocks.append(Bullets(checks.notes))
    open_findings = [f for f in sort_findings(checks.findings) if f.severity != "info"]
    subsections = []
    if open_findings:
        rows_f = tuple(_finding_row(f) for f in open_findings)
        subsections.append(Section("open-findings", f"Open findings ({len(open_findings)})", (
            Table(("severity", "where", "what", "fix"), rows_f),)))
    else:
        blocks.append(Paragraph("✓ No open errors or warnings.", "ok"))
    notes = [f for f in checks.findings if f.severity == "info"]
    if notes:
        subsections.append(Section("notes", f"Notes ({len(notes)})", (
            Bullets(tuple(f"{f.code}: {f.message}" + (f" → {f.hint}" if f.hint else "") for f in notes)),)))
    return _section("preflight", blocks, subsections)


def _finding_row(finding: Finding) -> tuple[CellValue, ...]:
    mark, tone = SEVERITY[finding.severity]
    where = " · ".join(part for part in (finding.environment, finding.check, finding.field) if part)
    fix = finding.hint or (finding.fix.describe() if finding.fix is not None else "")
    return (Span(mark, tone), where or "all", f"{finding.code}: {finding.message}", fix or "–")


STATUS_MARKS: dict[str, tuple[str, Tone]] = {
    "succeeded": ("✓ succeeded", "ok"), "skipped": ("✓ already deployed", "ok"), "failed": ("✗ failed", "error"),
    "canceled": ("✗ canceled", "warning"), "blocked": ("– blocked", "warning"),
    "interrupted": ("! interrupted", "warning"), "unfinished": ("! unfinished", "warning"),
    "running": ("… running", "muted"), "retrying": ("… retrying", "muted"), "pending": ("– not started", "muted"),
}
"""How a run's or a stage's status reads."""


def _status(status: str) -> Span:
    mark, tone = STATUS_MARKS.get(status, (status, "plain"))
    return Span(mark, tone)


def _run_status(inputs: ReportInputs) -> CellValue:
    run: RunSummary | None = inputs.run
    if run is None:
        return Span("not deployed yet", "muted")
    status = _status(run.status)
    return Span(f"{status.text} (run {run.run_id}, {run.started})", status.tone)


def _scope(stage: StageSummary) -> str:
    return f"project {stage.project}" if stage.project else "common"


def _deployment(inputs: ReportInputs) -> Section:
    run: RunSummary | None = inputs.run
    if run is None:
        return _section("deployment", [Paragraph(
            "Not deployed yet: nothing has been deployed from this configuration, so there is no journal to "
            "report on. This section lists each stage, resource, duration and failure once it has been.", "muted")])
    counts = Counter(stage.status for stage in run.stages)
    resources = sum(len(stage.resources) for stage in run.stages)
    facts: list[tuple[str, CellValue]] = [
        ("Run", Span(run.run_id, mono=True)), ("Result", _status(run.status)),
        ("Deployed to", "the demo sandbox (not Azure)" if run.demo else "Azure"), ("Started", run.started),
        ("Took", duration(run.elapsed)),
        ("Stages", ", ".join(f"{n} {STATUS_MARKS.get(s, (s, ''))[0].split(' ', 1)[-1]}" for s, n in counts.items())),
        ("Resources", str(resources)),
    ]
    if run.resumes:
        facts.append(("Resumed", f"{run.resumes} time(s)"))
    if run.earlier:
        facts.append(("Stages from earlier runs", ", ".join(run.earlier)))
    blocks: list[Block] = [Facts(tuple(facts))]
    if run.refused:
        blocks.append(Paragraph(f"Nothing was submitted: {run.refused}", "error"))
    if run.registrations:
        blocks.append(Bullets(run.registrations))
    blocks.append(Table(("environment", "scope", "stage", "result", "attempts", "took"), tuple(
        (stage.environment, _scope(stage), stage.title,
         _status(stage.status), str(stage.attempts), duration(stage.elapsed)) for stage in run.stages), "lllcrr"))
    subsections = []
    failures = [(stage, note) for stage in run.stages for note in stage.failures]
    if failures:
        subsections.append(Section("deployment-failures", f"Failures and how they were resolved ({len(failures)})", (
            Table(("stage", "attempt", "what happened", "resolution"), tuple(
                (f"{stage.environment} · {_scope(stage)} · {stage.title}", str(note.attempt), note.what,
                 Span(note.resolution, "ok" if note.resolved else "error")) for stage, note in failures), "lrll"),)))
    environments = list(dict.fromkeys(stage.environment for stage in run.stages))
    for env in environments:
        rows: list[tuple[CellValue, ...]] = []
        for stage in (s for s in run.stages if s.environment == env):
            for index, resource in enumerate(stage.resources):
                rows.append((f"{_scope(stage)} · {stage.title}" if index == 0 else "", Span(resource.type, "muted"),
                             Span(resource.name, mono=True), _status(resource.state.lower()) if
                             resource.state.lower() in STATUS_MARKS else resource.state, duration(resource.elapsed)))
        if rows:
            subsections.append(Section(f"deployment-{env}", f"{env}: resources", (
                Table(("stage", "resource type", "name", "state", "took"), tuple(rows), "lllcr"),)))
    return _section("deployment", blocks, subsections)


def _cost(inputs: ReportInputs) -> Section:
    estimate = inputs.estimate
    if estimate is None:
        return _section("cost", [Paragraph(f"No estimate: {inputs.cost_problem or 'no price snapshot'}.", "error")])
    currency = estimate.currency
    blocks: list[Block] = [
        Paragraph(f"Prices: {estimate.snapshot_source} snapshot of Azure's retail prices of {estimate.snapshot_date}, "
                  f"in {currency}, before any discount or agreement. Usage-driven lines rest on the assumptions "
                  "below; `aifactory cost --assume KEY=VALUE` recomputes with others."),
        Table(("environment", "region", "monthly"),
              (*((env.name, env.region, money(env.total, currency)) for env in estimate.environments),
               (Span("total", "plain"), "", Span(money(estimate.total, currency), "plain"))), "llr"),
    ]
    subsections = []
    for env in estimate.environments:
        rows: list[tuple[CellValue, ...]] = []
        for line in env.lines:
            item = line.item + (f" (assumes {line.basis})" if line.basis else "")
            price = unit_price_text(line) + (f" ~{line.price_region}" if line.stand_in else "")
            rows.append((item, quantity_text(line), price,
                         Span(money(line.monthly, currency), "warning" if line.monthly is None else "plain")))
        rows.append((Span("total", "plain"), "", "", Span(money(env.total, currency), "plain")))
        subsections.append(Section(f"cost-{env.name}", f"{env.name} · {env.region}", (
            Table(("item", "quantity", f"unit price ({currency})", "monthly"), tuple(rows), "lrrr"),)))
    fields = Assumptions.model_fields
    subsections.append(Section("cost-assumptions", "Assumptions", (Table(
        ("assumption", "value", "meaning"),
        tuple((Span(key, mono=True), str(value), fields[key].description or "")
              for key, value in estimate.assumptions.model_dump().items()), "lrl"),
        *((Bullets(tuple(estimate.notes)),) if estimate.notes else ()))))
    return _section("cost", blocks, subsections)


def _next_steps(config: FactoryConfig, checks: Checks) -> Section:
    from wizard.interop import Format, handwork
    from wizard.roles import role_needs

    errors = sum(f.severity == "error" for f in checks.findings)
    blocks: list[Block] = []
    if errors:
        blocks.append(Paragraph(f"Fix the {errors} open error(s) under Preflight checks first: each has its fix.",
                                "error"))
    if checks.by == "offline":
        blocks.append(Paragraph("Run the live checks signed in (`aifactory validate --preset NAME`) before "
                                "deploying.", "note"))
    subsections = []
    formats: tuple[tuple[Format, str], ...] = (("env", "Variables to create: GitHub Actions"),
                                                ("ado", "Variables to create: Azure DevOps"))
    for fmt, title in formats:
        sections = handwork(config, fmt)
        body: list[Block] = []
        for part in sections:
            body += [Paragraph(part.text), Commands(part.lines)]
        if not body:
            body.append(Paragraph("Nothing by hand: the exported file carries every value.", "ok"))
        subsections.append(Section(f"variables-{fmt}", title, tuple(body)))
    needs = role_needs(config)
    subsections.append(Section("roles", "Who needs which role", (Table(
        ("who", "role", "where", "why"), tuple((n.who, n.role, n.scope, n.why) for n in needs)),)))
    return _section("next-steps", blocks, subsections)


# ------------------------------------------------------------------------------------ gathering, writing


def offline_checks(config: FactoryConfig, note: str = "") -> Checks:
    """The offline rules only, as a report says them when no Azure session is open."""
    from wizard.rules import run_rules

    return Checks("offline", tuple(sort_findings(run_rules(config))), notes=(note,) if note else ())


def checks_from_result(result: Any, by: CheckedBy, notes: list[str]) -> Checks:
    """A finished preflight (`wizard.azure.preflight.PreflightResult`) as the report shows it."""
    return Checks(by, tuple(result.findings), result.grid, tuple(result.columns), tuple(notes))


def checks_from_state(state: Any, config: FactoryConfig, by: CheckedBy | None) -> Checks:
    """What a front end knows now (`wizard.live_state.LiveState`): its findings and live cells."""
    if by is None or not state.cells:
        return Checks("offline", tuple(state.findings))
    columns = list(dict.fromkeys(check for check, _ in state.cells))
    grid: dict[str, dict[str, str]] = {name: {check: state.cells.get((check, name), "n/a") for check in columns}
            for name, _ in config.environments.enabled()}
    return Checks(by, tuple(state.findings), grid, tuple(columns))


def estimate_for(config: FactoryConfig, assumptions: Assumptions | None = None) -> tuple[Estimate | None, str]:
    """The monthly estimate with the price snapshot in use (and the default assumptions unless
    others are given), or why there is none."""
    from wizard.cost import estimate
    from wizard.prices import load_snapshot

    try:
        snapshot, path = load_snapshot()
    except UserError as exc:
        return None, str(exc)
    return estimate(config, snapshot, assumptions, str(path)), ""


FORMATS = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown"}
"""Report file suffixes and the renderer each one gets."""


class ReportPathError(UserError):
    """The report's file name says neither HTML nor Markdown."""


def render(document: Document, fmt: str) -> str:
    """`document` as `html` or `markdown` text."""
    if fmt == "html":
        from wizard.handover_html import render_html

        return render_html(document)
    from wizard.handover_md import render_markdown

    return render_markdown(document)


def format_for(path: str) -> str:
    """`html` or `markdown` from the file's suffix; ReportPathError for any other."""
    suffix = "." + path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    if suffix not in FORMATS:
        raise ReportPathError("the report's file name must end in .html or .md", "e.g. -o handover.html",
                              where=path)
    return FORMATS[suffix]

