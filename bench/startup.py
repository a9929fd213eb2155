"""Start-up of `aifactory --help`, as a ratio to `python -c pass` measured in the same run.

`python -c 'import click'` is measured too: the CLI is specified on click, so its import is the
floor no start-up work of ours can go below.

Absolute times differ between machines and moments; the ratio does not (much). Each command is
run interleaved with its baseline, and the median of many runs is used so a noisy neighbour
does not decide the result.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET_RATIO = 4.0
"""aifactory --help should start in under four times a bare interpreter."""


def _time(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def measure(runs: int = 21) -> dict[str, float]:
    """Median wall time of the baseline and of each CLI command, and their ratios."""
    script = str(Path(sys.executable).parent / "aifactory")
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import click'": [sys.executable, "-c", "import click"],
        "aifactory --help": [script, "--help"],
        "aifactory validate --preset poc-standalone": [script, "validate", "--preset", "poc-standalone"],
    }
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(2):  # warm the disk cache
        for argv in commands.values():
            subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(runs):
        for name, argv in commands.items():
            try:
                samples[name].append(_time(argv))
            except subprocess.CalledProcessError:
                samples[name].append(_time_allow_findings(argv))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    base = medians["python -c pass"]
    return {**{f"{k} (s)": v for k, v in medians.items()},
            **{f"{k} / python": v / base for k, v in medians.items() if k != "python -c pass"}}


def _time_allow_findings(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def report() -> list[str]:
    """Lines for the console and bench/RESULTS.md."""
    result = measure()
    ratio = result["aifactory --help / python"]
    verdict = "meets" if ratio < TARGET_RATIO else "MISSES"
    lines = ["## Start-up (aifactory --help vs python -c pass, medians of 21 interleaved runs)", ""]
    lines += [f"- {name}: {value:.3f}" for name, value in result.items()]
    lines.append(f"- verdict: {ratio:.2f}× {verdict} the target of < {TARGET_RATIO:.0f}×")
    floor = result["python -c 'import click' / python"]
    lines.append(f"- floor: importing click alone costs {floor:.2f}× a bare interpreter; aifactory --help adds "
                 f"{ratio / floor:.2f}× on top of that (its own module, the help text)")
    return lines
