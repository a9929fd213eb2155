"""Preflight concurrency: three environments, ten projects, 100 ms of latency on every request.

Measured in one run against the in-process sandbox, through the real SDK clients:
- the concurrent preflight's wall time against the longest chain of dependent requests
  (chain × latency is the least any schedule could take): target ≤ 1.5×;
- the same checks run one after another (no warm-up, one thread): target ≥ 5× slower;
- the number of ARM requests, which must equal the number of distinct reads (each once).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

LATENCY = float(__import__("os").environ.get("BENCH_LATENCY", "0.1"))
PROJECTS = 10


def _config() -> Any:
    from presets.store import PresetStore
    from wizard.azure.demo import with_demo_subscriptions
    from wizard.model import ProjectConfig

    config = PresetStore().load("enterprise-hub-spoke").config
    projects = [ProjectConfig(number=f"{n:03d}", name=f"project {n}") for n in range(1, PROJECTS + 1)]
    config = config.model_copy(update={"projects": projects})
    return with_demo_subscriptions(config)[0]


def _session(folder: Path) -> Any:
    from sandbox.faults import FaultPlan
    from wizard.azure.demo import demo_session

    faults = FaultPlan(seed=1, latency=LATENCY, real_latency=True)
    session, tenant, _ = demo_session(faults=faults, path=folder / "sandbox.json")
    return session, tenant


def _run(parallel: bool) -> tuple[float, Any, Any]:
    from wizard.azure.preflight import run_preflight

    with tempfile.TemporaryDirectory() as folder:
        session, tenant = _session(Path(folder))
        config = _config()
        start = time.perf_counter()
        result = run_preflight(config, session, tenant_id=tenant, parallel=parallel)
        elapsed = time.perf_counter() - start
        session.close()
        return elapsed, session.stats, result


def measure() -> dict[str, float]:
    """Wall times, the chain, request counts and the two ratios."""
    _run(True)  # warm imports and caches
    concurrent, stats, result = _run(True)
    sequential, seq_stats, seq_result = _run(False)
    assert result.grid == seq_result.grid, "concurrent and sequential runs disagree"
    chain = stats.longest_chain * LATENCY
    return {
        "concurrent (s)": concurrent,
        "sequential (s)": sequential,
        "longest chain (requests)": stats.longest_chain,
        "longest chain × latency (s)": chain,
        "ARM requests": stats.http_requests,
        "distinct reads": stats.distinct_reads,
        "sequential ARM requests": seq_stats.http_requests,
        "concurrent / chain": concurrent / chain,
        "sequential / concurrent": sequential / concurrent,
    }


def report() -> list[str]:
    """Lines for the console and bench/RESULTS.md."""
    r = measure()
    lines = [f"## Preflight (3 environments, {PROJECTS} projects, {LATENCY * 1000:.0f} ms per request, sandbox)", ""]
    for name, value in r.items():
        lines.append(f"- {name}: {value:.3f}" if isinstance(value, float) else f"- {name}: {value}")
    ok1 = r["concurrent / chain"] <= 1.5
    ok2 = r["sequential / concurrent"] >= 5
    ok3 = r["ARM requests"] == r["distinct reads"]
    lines.append(f"- verdict: {r['concurrent / chain']:.2f}× the chain ({'meets' if ok1 else 'MISSES'} ≤ 1.5×), "
                 f"{r['sequential / concurrent']:.1f}× faster than sequential ({'meets' if ok2 else 'MISSES'} ≥ 5×), "
                 f"each read once: {'yes' if ok3 else 'NO'}")
    return lines
