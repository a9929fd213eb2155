"""wizard/projects.py: add, clone, remove and renumber projects, validated whole like try_set."""

from __future__ import annotations

from presets.store import PresetStore
from wizard import projects
from wizard.edit import try_set
from wizard.model import FactoryConfig


def hub_spoke() -> FactoryConfig:
    return PresetStore().load("enterprise-hub-spoke").config


def numbers(config: FactoryConfig | None) -> list[str]:
    assert config is not None
    return [p.number for p in config.projects]


def test_add_numbers_after_the_highest_and_selects_the_new_project() -> None:
    change = projects.add(hub_spoke(), "Fraud detection")
    assert numbers(change.config) == ["001", "002", "003", "004"]
    assert change.select == 3 and change.message == "added project 004"
    assert change.config is not None and change.config.projects[3].name == "Fraud detection"


def test_clone_takes_nnn_plus_one_or_the_next_free_number_and_copies_the_settings() -> None:
    config = try_set(hub_spoke(), "projects.0.members", "11111111-2222-3333-4444-555555555555").config
    assert config is not None
    config = try_set(config, "projects.0.ip_allow_list", "203.0.113.0/24").config
    assert config is not None
    change = projects.clone(config, 0)  # 002 is taken: the first free number after 001 is 004
    assert numbers(change.config) == ["001", "004", "002", "003"]
    copy = change.config.projects[1]  # type: ignore[union-attr]
    assert copy.name == "Customer service assistant (copy)" and copy.members == config.projects[0].members
    assert copy.ip_allow_list == ["203.0.113.0/24"] and change.select == 1
    assert change.message == "cloned project 001 as 004"
    last = projects.clone(hub_spoke(), 2)
    assert numbers(last.config) == ["001", "002", "003", "004"]


def test_a_clone_of_a_long_name_stays_within_the_models_limit() -> None:
    config = try_set(hub_spoke(), "projects.0.name", "x" * 64).config
    assert config is not None
    change = projects.clone(config, 0)
    assert change.config is not None and len(change.config.projects[1].name) == 64


def test_remove_keeps_at_least_one_project_and_selects_the_neighbour() -> None:
    change = projects.remove(hub_spoke(), 2)
    assert numbers(change.config) == ["001", "002"] and change.select == 1
    assert change.message == "removed project 003"
    single = projects.remove(projects.remove(change.config, 0).config, 0)  # type: ignore[arg-type]
    assert single.config is None and single.edit.problems[0].field == "projects"
    assert "at least one project" in single.edit.problems[0].message


def test_out_of_range_positions_are_refused_with_a_message() -> None:
    for change in (projects.clone(hub_spoke(), 7), projects.remove(hub_spoke(), -1)):
        assert change.config is None and "no project at position" in change.edit.problems[0].message


def test_renumber_closes_gaps_in_list_order() -> None:
    config = projects.remove(projects.add(projects.add(hub_spoke()).config).config, 1).config  # type: ignore[arg-type]
    assert numbers(config) == ["001", "003", "004", "005"]
    change = projects.renumber(config)  # type: ignore[arg-type]
    assert numbers(change.config) == ["001", "002", "003", "004"]
    assert change.message.startswith("renumbered 003→002, 004→003, 005→004")
    again = projects.renumber(change.config)  # type: ignore[arg-type]
    assert again.config == change.config and "already numbered" in again.message


def test_hundreds_of_projects_and_the_999_limit() -> None:
    config = hub_spoke()
    data = config.model_dump(mode="python", round_trip=True)
    data["projects"] = [{"number": f"{n:03d}"} for n in range(1, 1000)]
    full = FactoryConfig.model_validate(data)
    refused = projects.add(full)
    assert refused.config is None and "all 999 project numbers are used" in refused.edit.problems[0].message
    data["projects"] = [{"number": f"{n:03d}"} for n in range(1, 301) if n != 150]
    many = FactoryConfig.model_validate(data)
    assert projects.next_number(many, 149) == 150 and projects.next_number(many) == 150
    assert numbers(projects.add(many).config)[-1] == "301"


def test_rooms_say_how_many_more_fit_and_a_project_that_does_not_fit_is_named() -> None:
    config = hub_spoke()
    rooms = projects.rooms(config)
    assert set(rooms) == {"dev", "stage", "prod"}
    assert rooms["dev"] == projects.Room(29, 3, ())
    for _ in range(29):
        config = projects.add(config).config  # type: ignore[assignment]
    change = projects.add(config)
    assert "033" in projects.rooms(change.config)["dev"].unplaced  # type: ignore[arg-type]
    assert change.message == ("added project 033; it does not fit in the address space of dev, stage, prod "
                              "(see the Network step)")



def test_the_offline_rules_kept_per_rule_agree_with_a_full_run_after_every_project_change() -> None:
    from wizard.rules import OfflineRules, run_rules

    config = hub_spoke()
    rules = OfflineRules(config)
    steps = [lambda c: projects.add(c).config, lambda c: projects.clone(c, 0).config,
             lambda c: try_set(c, "projects.1.name", "renamed").config,
             lambda c: try_set(c, "projects.1.members", "11111111-2222-3333-4444-555555555555").config,
             lambda c: try_set(c, "projects.2.services.ai_search", False).config,
             lambda c: try_set(c, "projects.0.number", "003").config,  # a duplicate: AIF-PRJ-DUPLICATE
             lambda c: projects.renumber(c).config, lambda c: projects.remove(c, 1).config]
    for step in steps:
        config = step(config)
        assert config is not None
        assert rules.update(config) == run_rules(config)
