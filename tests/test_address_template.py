"""One definition of an address template: what the model accepts, the planner can plan."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import aifactory_bin
from wizard.address_template import resolve_cidr, resolve_problem, template_problem
from wizard.model import FactoryConfig
from wizard.network import plan_all


@pytest.mark.parametrize("template", ["172.16.XX.0/26", "172.XX.0.0/16", "10.XX.0.0/16", "172.16.0.0/16",
                                      "192.168.XX.128/25"])
def test_usable_templates(template: str) -> None:
    assert template_problem(template) is None


@pytest.mark.parametrize(("template", "words"), [
    ("172.XX.XX.0/24", "more than once"),
    ("172.16.XX.0/33", "not an IPv4 CIDR"),
])
def test_unusable_templates_say_why(template: str, words: str) -> None:
    problem = template_problem(template)
    assert problem is not None and words in problem


@pytest.mark.parametrize(("template", "octet", "words"), [
    ("172.16.XX.0/16", 61, "host part of a /16"),
    ("192.168.XX.0/18", 62, "host bits set"),
    ("172.16.0.1/16", 61, "the range starts at 172.16.0.0"),
])
def test_templates_that_fail_with_an_octet_say_why(template: str, octet: int, words: str) -> None:
    problem = resolve_problem(template, octet)
    assert problem is not None and words in problem
    assert resolve_problem("192.168.XX.0/18", 64) is None


@settings(max_examples=150, deadline=None)
@given(b=st.sampled_from(["XX", "0", "16"]), c=st.sampled_from(["XX", "0", "64"]), prefix=st.integers(8, 29),
       octet=st.integers(0, 255))
def test_what_the_model_accepts_the_planner_plans(b: str, c: str, prefix: int, octet: int) -> None:
    template = f"172.{b}.{c}.0/{prefix}"
    data = {"network": {"vnet_cidr": template}, "environments": {"dev": {"cidr_octet": octet}}, "projects": []}
    try:
        config = FactoryConfig.model_validate(data)
    except ValueError:
        assert template_problem(template) or resolve_problem(template, octet)
        return
    assert resolve_cidr(template, octet) == plan_all(config)["dev"].vnet


def test_network_command_never_crashes_on_a_template_the_model_refuses(tmp_path: Path) -> None:
    """`vnet_cidr: 172.16.XX.0/16` was accepted by the model, then `aifactory network` crashed."""
    path = tmp_path / "bad.yaml"
    path.write_text("network:\n  vnet_cidr: 172.16.XX.0/16\n", encoding="utf-8")
    run = subprocess.run([aifactory_bin(), "network", "--config", str(path)], capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert f"{path}:2: network.vnet_cidr" in run.stderr and "host part of a /16" in run.stderr


def test_a_per_environment_vnet_template_plans() -> None:
    config = FactoryConfig.model_validate({"network": {"vnet_cidr": "172.XX.0.0/16",
                                                       "common_subnet_cidr": "172.XX.0.0/26",
                                                       "common_scoring_subnet_cidr": "172.XX.0.64/26",
                                                       "common_pbi_subnet_cidr": "172.XX.0.128/26",
                                                       "common_bastion_subnet_cidr": "172.XX.0.192/26"},
                                           "environments": {"dev": {"cidr_octet": 20}}})
    assert str(plan_all(config)["dev"].vnet) == "172.20.0.0/16"
