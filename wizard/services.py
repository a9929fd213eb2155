"""The AI Factory's switches as a person meets them: in its own groups, and never half-working.

Front ends (the Textual wizard's services step, the prompt mode) show `GROUPS` in order and change
a switch only through `set_flag`, a pure function: switching one on switches on what it needs,
switching one off switches off what needs it, and every such change comes back as a note saying
why, quoted from the AI Factory's templates (catalog.FLAG_NEEDS). So the configuration says what
the AI Factory will build, and the person learns why where it bites rather than from a finding.

A switch may still be on while what it needs is off (the v1.24 defaults turn AKS for Azure ML on
with Azure ML off, and an imported `.env` may do anything); `idle_because` names what it waits for,
and the offline rules report the combinations that would fail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wizard.catalog import FLAG_NEEDS, SERVICES, FlagNeed
from wizard.errors import UserError
from wizard.model import FactoryConfig


@dataclass(frozen=True, slots=True)
class FlagGroup:
    """Switches the AI Factory's `.env.template` lists together, under one heading."""

    title: str
    """The heading a front end shows."""
    template_sections: tuple[str, ...]
    """The `# === … ===` headings of `.env.template` whose switches it gathers."""
    flags: tuple[str, ...]
    """Dotted FactoryConfig paths of its switches, in the template's order."""


GROUPS: tuple[FlagGroup, ...] = (
    FlagGroup("AI Foundry", ("AI Foundry / AI Services",),
              ("services.ai_foundry", "services.foundry_caphost", "services.agent_network_injection")),
    FlagGroup("Data and machine learning",
              # ENABLE_DATABRICKS follows the AKS network block without a heading of its own;
              # aifactory.md §H counts it with ML and data, as the workflows do.
              ("Data & Machine Learning", "AKS for Azure ML",
               "AKS Network Configuration (applies to both standalone and Azure ML AKS)"),
              ("services.datafactory", "services.datafactory_common", "services.azure_ml",
               "services.aks_for_azure_ml", "services.databricks")),
    FlagGroup("Standalone AKS", ("Standalone AKS (without Azure ML)",), ("services.aks",)),
    FlagGroup("Search and Cognitive Services", ("Cognitive Services",),
              ("services.ai_search", "services.ai_search_shared_private_link", "services.azure_openai",
               "services.vision", "services.speech", "services.document_intelligence", "services.bing",
               "services.bing_custom_search", "services.content_safety")),
    FlagGroup("Databases", ("Databases",),
              ("services.cosmos_db", "services.postgresql", "services.redis", "services.sql",
               "services.elasticsearch")),
    FlagGroup("Web apps, functions and containers", ("WebApp / Functions", "Container Apps"),
              ("services.function", "services.webapp", "services.container_apps",
               "services.appinsights_dashboard")),
    FlagGroup("Integration", ("Integration",),
              ("services.logic_apps", "services.event_hubs", "services.bot_service")),
    FlagGroup("Security", ("Defender for Cloud: Defender for AI",
                           "CMK/CMEK - Customer Managed Key for encryption at rest"),
              ("security.defender_for_ai_subscription", "security.defender_for_ai_resource", "security.cmk",
               "security.keyvault_purge_protection")),
)
"""Every switch of ServicesConfig and SecurityConfig's on/off settings, in the template's order."""

FLAGS: tuple[str, ...] = tuple(flag for group in GROUPS for flag in group.flags)
"""Every switch `set_flag` knows, in display order."""

_LABELS: dict[str, str] = {
    "services.ai_foundry": "AI Foundry",
    "services.foundry_caphost": "Foundry capability host",
    "services.azure_ml": "Azure Machine Learning",
    "services.aks_for_azure_ml": "AKS for Azure ML",
    "services.agent_network_injection": "Agent network injection (agents in the aca-002 subnet)",
    "services.ai_search_shared_private_link": "AI Search shared private links",
    "security.defender_for_ai_subscription": "Defender for AI on the subscription",
    "security.defender_for_ai_resource": "Defender for AI on each resource",
    "security.cmk": "Customer-managed keys (CMK)",
    "security.keyvault_purge_protection": "Key Vault purge protection",
}
"""Names of the switches that are settings rather than services, and of the services whose
catalog name says too much for a checklist line; the others use the catalog's names."""


def label(flag: str) -> str:
    """The name a person knows a switch by: the catalog's service name, or the setting's."""
    section, _, key = flag.partition(".")
    if flag in _LABELS:
        return _LABELS[flag]
    if section == "services" and key in SERVICES:
        return SERVICES[key].display_name
    return key.replace("_", " ")


def requirements(flag: str) -> tuple[FlagNeed, ...]:
    """What `flag` needs on, one FlagNeed each."""
    return tuple(need for need in FLAG_NEEDS if need.flag == flag)


def dependents(flag: str) -> tuple[FlagNeed, ...]:
    """The switches that need `flag` on, one FlagNeed each."""
    return tuple(need for need in FLAG_NEEDS if need.needs == flag)


def is_on(config: FactoryConfig, flag: str) -> bool:
    """The switch's value in `config`."""
    section, key = _split(flag)
    value: bool = getattr(getattr(config, section), key)
    return value


def idle_because(config: FactoryConfig, flag: str) -> tuple[str, ...]:
    """For a switch that is on but does nothing: the switches it waits for (gated needs that are off)."""
    if not is_on(config, flag):
        return ()
    return tuple(need.needs for need in requirements(flag) if need.gate and not is_on(config, need.needs))


@dataclass(frozen=True, slots=True)
class FlagChange:
    """The outcome of `set_flag`: the new configuration and what else changed, in words."""

    config: FactoryConfig
    """The configuration with the switch (and those that follow it) set; validated."""
    switched: tuple[str, ...]
    """Every switch whose value changed, the one asked for first."""
    notes: tuple[str, ...]
    """One sentence per switch that followed (or now takes effect), saying why."""


def set_flag(config: FactoryConfig, flag: str, on: bool) -> FlagChange:
    """`config` with `flag` switched `on` or off, and with what it needs, or what needs it, following.

    On: every switch it needs (transitively) comes on too. Off: every switch that needs it
    (transitively) goes off too, even when `flag` already had the value asked for (an idle switch
    asked on brings its gate). A switch that was on but idle and now takes effect is noted as
    well. When nothing changes, the same configuration comes back. Raises UserError for a path
    that is not a switch.
    """
    if flag not in FLAGS:
        raise UserError(f"{flag} is not an on/off service or security switch",
                         f"use one of {', '.join(FLAGS)}", flag)
    values = {name: is_on(config, name) for name in FLAGS}
    before = dict(values)
    values[flag] = on
    followed = _follow(values, flag, on)
    switched = tuple(name for name in (flag, *(n.needs if on else n.flag for n in followed))
                     if values[name] != before[name])
    if not switched:
        return FlagChange(config, (), ())
    notes = [_note(need, on) for need in followed]
    if on:
        notes += _now_effective(before, values, flag)
    return FlagChange(_with_values(config, {name: values[name] for name in switched}), switched, tuple(notes))


def _follow(values: dict[str, bool], flag: str, on: bool) -> list[FlagNeed]:
    """Switch what must follow `flag` in `values` (in place), breadth first; the needs that did it."""
    followed: list[FlagNeed] = []
    queue = [flag]
    while queue:
        current = queue.pop(0)
        for need in requirements(current) if on else dependents(current):
            other = need.needs if on else need.flag
            if values[other] != on:
                values[other] = on
                followed.append(need)
                queue.append(other)
    return followed


def _note(need: FlagNeed, on: bool) -> str:
    """Why a switch followed: "Turned on Cosmos DB too: Foundry capability host keeps …"."""
    if on:
        return f"Turned on {label(need.needs)} too: {label(need.flag)} {need.why}."
    return f"Turned off {label(need.flag)} too: it {need.why}."


def _now_effective(before: dict[str, bool], after: dict[str, bool], asked: str) -> list[str]:
    """Switches besides the one `asked` that were on but idle (a gate off) and now take effect."""
    notes = []
    for flag in FLAGS:
        if flag == asked:
            continue
        gates = [need.needs for need in requirements(flag) if need.gate]
        if not gates or not before[flag]:
            continue
        if not all(before[g] for g in gates) and all(after[g] for g in gates):
            waited = ", ".join(label(g) for g in gates if not before[g])
            notes.append(f"{label(flag)} was already on and now takes effect: it waited for {waited}.")
    return notes


def _split(flag: str) -> tuple[str, str]:
    section, _, key = flag.partition(".")
    return section, key


def _with_values(config: FactoryConfig, values: dict[str, bool]) -> FactoryConfig:
    """A validated copy of `config` with these switches set."""
    data: dict[str, Any] = config.model_dump(mode="python", round_trip=True)
    for flag, value in values.items():
        section, key = _split(flag)
        data[section][key] = value
    return FactoryConfig.model_validate(data)

