"""Start-up of the wizard: process start to its first interactive screen, against a minimal
Textual app measured the same way in the same run.

Each run is a fresh process; the time runs from just before the process is spawned to the moment
the first screen (the wizard's start screen, the minimal app's only screen) is mounted and its
first frame drawn, measured inside the child with Textual's headless driver and an auto-pilot.
Work the wizard starts after that frame (reading preset details, opening the sandbox) runs in
background threads and does not hold the screen. The median
of interleaved runs decides, so a noisy neighbour does not.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

TARGET_RATIO = 1.3
"""aifactory --demo should show its start screen within 1.3× a minimal Textual app."""

CHILD = r"""
import sys, time
started = float(sys.argv[1])
if sys.argv[2] == "minimal":
    from textual.app import App
    from textual.widgets import Static

    class Minimal(App):
        def compose(self):
            yield Static("hello")

    app = Minimal()
    ready = lambda app: app.screen.is_mounted
else:
    import wizard.cli  # the console script's module, as `aifactory --demo` imports it
    from screens.app import make_app
    from screens.start import StartScreen

    app = make_app(demo=True)
    ready = lambda app: isinstance(app.screen, StartScreen) and app.screen.is_mounted

def painted():
    print(time.time() - started, flush=True)
    app.exit()

async def auto_pilot(pilot):
    while not ready(pilot.app):
        await pilot.pause(0)
    pilot.app.call_after_refresh(painted)  # the first frame with the screen on it

app.run(headless=True, size=(100, 32), auto_pilot=auto_pilot)
"""


def _once(kind: str, env: dict[str, str]) -> float:
    started = time.time()
    out = subprocess.run([sys.executable, "-c", CHILD, str(started), kind], check=True, capture_output=True,
                         text=True, env=env, timeout=60)
    return float(out.stdout.strip().splitlines()[-1])


def measure(runs: int = 11) -> dict[str, float]:
    """Median seconds to the first screen, for both apps, and their ratio."""
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "XDG_CONFIG_HOME": f"{home}/config", "XDG_STATE_HOME": f"{home}/state",
               "TEXTUAL_ANIMATIONS": "none"}
        # An installed package starts from compiled bytecode; an editable checkout under
        # PYTHONDONTWRITEBYTECODE would compile every module of ours on every start instead.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for kind in ("minimal", "wizard"):
            _once(kind, env)  # warm the disk cache and the bytecode
        samples: dict[str, list[float]] = {"minimal": [], "wizard": []}
        for _ in range(runs):
            for kind in samples:
                samples[kind].append(_once(kind, env))
    minimal, wizard = (statistics.median(samples[k]) for k in ("minimal", "wizard"))
    return {"minimal Textual app (s)": minimal, "aifactory --demo start screen (s)": wizard,
            "ratio": wizard / minimal}


def report() -> list[str]:
    """Markdown lines for bench/RESULTS.md."""
    result = measure()
    ratio = result["ratio"]
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    return [
        "## Wizard start-up (process start to first interactive screen, medians of 11 interleaved runs)",
        "",
        *[f"- {name}: {value:.3f}" for name, value in result.items()],
        f"- verdict: {ratio:.2f}× {verdict} the target of ≤ {TARGET_RATIO}× a minimal Textual app",
    ]
