"""The AI Factory's switches: grouped as its `.env.template` groups them, dependencies enforced by set_flag."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from wizard import catalog, services
from wizard.errors import UserError
from wizard.interop.keys import TABLE
from wizard.model import FactoryConfig, SecurityConfig, ServicesConfig
from wizard.rules import run_rules


def _switches() -> set[str]:
    return ({f"services.{n}" for n, i in ServicesConfig.model_fields.items() if i.annotation is bool}
            | {f"security.{n}" for n, i in SecurityConfig.model_fields.items() if i.annotation is bool})


def test_every_switch_is_in_exactly_one_group() -> None:
    assert sorted(services.FLAGS) == sorted(_switches())
    assert len(services.FLAGS) == len(set(services.FLAGS))


def test_every_need_names_known_switches() -> None:
    for need in catalog.FLAG_NEEDS:
        assert need.flag in services.FLAGS and need.needs in services.FLAGS, need


def _template_headings(template: Path) -> dict[str, str]:
    """Variable -> the `# === … ===` heading above it in .env.template."""
    heading, found = "", {}
    for line in template.read_text(encoding="utf-8").splitlines():
        match = re.match(r"# === (.+) ===$", line)
        if match:
            heading = match.group(1)
        elif "=" in line and not line.startswith("#"):
            found.setdefault(line.split("=", 1)[0].strip(), heading)
    return found


def test_groups_are_the_templates_sections_in_its_order(reference: Path) -> None:
    headings = _template_headings(reference / "aifactory" / "github-actions" / ".env.template")
    variables = {var.path: var.env for var in TABLE if var.path and var.env}
    first_lines = []
    order = list(dict.fromkeys(headings.values()))
    for group in services.GROUPS:
        placed = [flag for flag in group.flags if flag in variables]
        assert placed, group.title
        for flag in placed:
            assert headings[variables[flag]] in group.template_sections, (flag, variables[flag])
        first_lines.append(min(order.index(headings[variables[f]]) for f in placed))
    services_groups = first_lines[:-1]  # Security stands last on the step; the template opens with it
    assert services_groups == sorted(services_groups)


def test_labels_are_names_not_keys() -> None:
    assert services.label("services.cosmos_db") == "Azure Cosmos DB"
    assert services.label("services.foundry_caphost") == "Foundry capability host"
    assert services.label("security.cmk") == "Customer-managed keys (CMK)"


def test_turning_on_the_capability_host_brings_what_it_needs_and_says_why() -> None:
    config = FactoryConfig.model_validate({"services": {"ai_search": False}})
    change = services.set_flag(config, "services.foundry_caphost", True)
    assert change.switched == ("services.foundry_caphost", "services.cosmos_db", "services.ai_search")
    s = change.config.services
    assert s.foundry_caphost and s.cosmos_db and s.ai_search and s.ai_foundry
    assert any("Azure Cosmos DB" in n and "agent threads" in n and "04-databases.bicep" in n for n in change.notes)
    assert any("Azure AI Search" in n and "vector store" in n for n in change.notes)
    assert "AIF-CAPHOST-COSMOS" not in {f.code for f in run_rules(change.config)}
    assert config.services.foundry_caphost is False  # the original is untouched


def test_turning_off_what_others_need_turns_them_off_and_names_them() -> None:
    config = services.set_flag(FactoryConfig(), "services.foundry_caphost", True).config
    change = services.set_flag(config, "services.ai_foundry", False)
    assert set(change.switched) == {"services.ai_foundry", "services.foundry_caphost",
                                    "services.agent_network_injection", "services.ai_search_shared_private_link"}
    off = change.config.services
    assert not (off.foundry_caphost or off.agent_network_injection or off.ai_search_shared_private_link)
    assert off.cosmos_db and off.ai_search  # what the capability host brought stays: nothing else needs it gone
    joined = " ".join(change.notes)
    assert "Turned off Foundry capability host too" in joined and "Turned off AI Search shared private links" in joined


def test_turning_off_cosmos_db_takes_the_capability_host_with_it() -> None:
    config = services.set_flag(FactoryConfig(), "services.foundry_caphost", True).config
    change = services.set_flag(config, "services.cosmos_db", False)
    assert change.switched == ("services.cosmos_db", "services.foundry_caphost")
    assert change.notes == (f"Turned off Foundry capability host too: it {catalog.FLAG_NEEDS[1].why}.",)


def test_a_dependent_switched_on_switches_on_its_gate() -> None:
    config = FactoryConfig.model_validate({"services": {"aks_for_azure_ml": False}})
    change = services.set_flag(config, "services.aks_for_azure_ml", True)
    assert change.config.services.azure_ml and change.switched[1:] == ("services.azure_ml",)


def test_an_idle_switch_is_named_and_said_to_take_effect_when_its_gate_opens() -> None:
    defaults = FactoryConfig()  # v1.24: ENABLE_AKS_FOR_AZURE_ML true, ENABLE_AZURE_MACHINE_LEARNING false
    assert services.idle_because(defaults, "services.aks_for_azure_ml") == ("services.azure_ml",)
    change = services.set_flag(defaults, "services.azure_ml", True)
    assert change.switched == ("services.azure_ml",)
    assert change.notes == ("AKS for Azure ML was already on and now takes effect: it waited for "
                            "Azure Machine Learning.",)
    assert services.idle_because(change.config, "services.aks_for_azure_ml") == ()


def test_cmk_brings_purge_protection_and_warns_it_is_for_good() -> None:
    change = services.set_flag(FactoryConfig(), "security.cmk", True)
    assert change.config.security.keyvault_purge_protection
    assert "cannot be turned off" in change.notes[0]


def test_a_switch_without_dependencies_just_switches() -> None:
    change = services.set_flag(FactoryConfig(), "services.redis", True)
    assert change.config.services.redis and change.switched == ("services.redis",) and change.notes == ()


def test_asking_for_the_value_it_has_changes_nothing() -> None:
    config = FactoryConfig()
    change = services.set_flag(config, "services.ai_foundry", True)
    assert change.config is config and change.switched == () and change.notes == ()


def test_a_path_that_is_not_a_switch_is_a_user_error() -> None:
    with pytest.raises(UserError, match="not an on/off"):
        services.set_flag(FactoryConfig(), "skus.acr_sku", True)


def _starts() -> list[FactoryConfig]:
    """A few starting points: defaults, everything on, everything off (but AI Foundry)."""
    everything = {flag: True for flag in services.FLAGS}
    nothing = {flag: False for flag in services.FLAGS}
    return [FactoryConfig(), *(FactoryConfig.model_validate({
        "services": {k.split(".")[1]: v for k, v in values.items() if k.startswith("services.")},
        "security": {k.split(".")[1]: v for k, v in values.items() if k.startswith("security.")},
    }) for values in (everything, nothing))]


@pytest.mark.parametrize(("flag", "on"), list(itertools.product(services.FLAGS, (True, False))))
def test_after_any_switch_what_it_needs_is_on_and_what_needs_it_is_off(flag: str, on: bool) -> None:
    for config in _starts():
        change = services.set_flag(config, flag, on)
        new = change.config
        assert services.is_on(new, flag) is on
        frontier, seen = [flag], set()
        while frontier:  # transitively: requirements when on, dependents when off
            current = frontier.pop()
            seen.add(current)
            for need in services.requirements(current) if on else services.dependents(current):
                other = need.needs if on else need.flag
                assert services.is_on(new, other) is on, (flag, on, other)
                if other not in seen:
                    frontier.append(other)
        untouched = set(services.FLAGS) - set(change.switched)
        assert all(services.is_on(new, f) == services.is_on(config, f) for f in untouched)
        assert len(change.notes) >= len(change.switched) - 1


def test_an_idle_switch_asked_on_brings_its_gate_with_one_note() -> None:
    change = services.set_flag(FactoryConfig(), "services.aks_for_azure_ml", True)
    assert change.switched == ("services.azure_ml",)
    assert len(change.notes) == 1 and change.notes[0].startswith("Turned on Azure Machine Learning too")
