"""The core and the headless commands never pay for Textual, questionary or the Azure SDK."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PROBE = """
import json, sys
from wizard.cli import main
sys.argv = ["aifactory", *json.loads(sys.argv[1])]
code = 0
try:
    main()
except SystemExit as exit:
    code = exit.code or 0
heavy = sorted({m.split(".")[0] if not m.startswith("azure") else m
                for m in sys.modules
                if m.split(".")[0] in ("textual", "questionary", "textual_serve", "aiohttp") or m.startswith("azure")})
print("\\n" + json.dumps({"code": code, "heavy": heavy, "pydantic": "pydantic" in sys.modules}))
"""


def run_probe(*args: str) -> dict[str, object]:
    result = subprocess.run([sys.executable, "-c", PROBE, json.dumps(list(args))],
                            capture_output=True, text=True, timeout=60)
    assert "Traceback" not in result.stderr, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "args",
    [("--help",), ("validate", "--preset", "poc-standalone"), ("network", "--preset", "poc-standalone"),
     ("presets", "list"), ("export", "--format", "env", "--preset", "poc-standalone"),
     ("names", "--preset", "poc-standalone"), ("serve", "--help"), ("init", "--help")],
    ids=" ".join,
)
def test_headless_commands_stay_light(args: tuple[str, ...]) -> None:
    probe = run_probe(*args)
    assert probe["code"] == 0
    assert probe["heavy"] == []


def test_help_does_not_even_import_pydantic() -> None:
    assert run_probe("--help")["pydantic"] is False


def test_the_prompt_mode_imports_questionary_only_when_it_asks() -> None:
    probe = ("import sys, wizard.prompts, wizard.step_fields; "
             "print(sorted(m for m in ('questionary', 'prompt_toolkit', 'textual') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr
