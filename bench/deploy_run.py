"""Deployment run: three environments × 24 projects into the sandbox at demo speed.

The configuration is poc-standalone with Stage and Prod enabled and 24 projects, without AI
Search (a subscription holds 16 search services per tier and region; the preflight says so).
Measured in one run against the in-process sandbox (wall clock at the demo speed, so every ARM
duration is Azure's divided by 30, with jitter), through the real SDK clients:
- the run's wall time against the critical path of the stage graph, where each stage weighs what
  ARM took for its deployment (submitted → finished, from the sandbox's records): the least any
  schedule could take. Target ≤ 1.2×; the gap is polling lag (a poll waits for ARM's
  `Retry-After`, at least a second, so a stage ARM finishes in 0.4 s is seen after 1 s), the
  per-subscription bound, and the requests before each submission. The graph lets every
  project's subnets go at once, but ARM's network provider takes one writer per VNet
  (`AnotherOperationInProgress`), so the runner runs them one after another; the critical path
  with that constraint is reported beside it;
- requests per poll: status requests and operations lists per deployment per poll (at most one
  list per deployment per poll, nested deployments each counted as deployments);
- all ARM requests per stage, and the peak memory (RSS) of the process, sandbox included.
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

PROJECTS = int(os.environ.get("BENCH_PROJECTS", "24"))
SPEED = float(os.environ.get("BENCH_SPEED", "30"))


def _config() -> Any:
    from presets.store import PresetStore
    from sandbox import seed
    from wizard.azure.demo import with_demo_subscriptions
    from wizard.model import ProjectConfig

    config = PresetStore().load("poc-standalone").config
    environments = config.environments.model_copy(update={
        # the demo's prod subscription may not write role assignments: prod goes to one that may
        name: config.environments.get(name).model_copy(update={
            "enabled": True, "region": "eastus2", "region_short": "eu2", "subscription_id": sub})
        for name, sub in (("stage", seed.AIF_STAGE), ("prod", seed.CONNECTIVITY_HUB))})
    projects = [ProjectConfig(number=f"{n:03d}", name=f"project {n}") for n in range(1, PROJECTS + 1)]
    # a region holds 16 AI Search services per tier and subscription: 24 projects' own would not fit
    services = config.services.model_copy(update={"ai_search": False})
    config = config.model_copy(update={"environments": environments, "projects": projects, "services": services})
    return with_demo_subscriptions(config)[0]


def critical_path(plan: Any, weights: dict[str, float], *, one_writer_per_vnet: bool = False) -> float:
    """The longest chain of dependent stages, each weighing its ARM duration.

    `one_writer_per_vnet` adds what ARM imposes besides the graph: stages writing one VNet's
    subnets run one after another (in plan order), as the network provider allows one writer.
    """
    from deploy.arm_calls import vnets_written

    finish: dict[str, float] = {}
    last_writer: dict[str, str] = {}
    for stage in plan.stages:  # in dependency order
        before = list(stage.depends_on)
        if one_writer_per_vnet:
            for vnet in vnets_written(stage):
                if vnet in last_writer:
                    before.append(last_writer[vnet])
                last_writer[vnet] = stage.id
        finish[stage.id] = weights.get(stage.id, 0.0) + max((finish[d] for d in before), default=0.0)
    return max(finish.values(), default=0.0)


def measure() -> dict[str, Any]:
    """Run the deployment once and return its figures."""
    from deploy.launch import build, start_run
    from deploy.runner import RunOptions
    from sandbox.arm import Arm
    from sandbox.clock import SandboxClock
    from sandbox.deployments import finished_at, key_of
    from sandbox.transport import SandboxCredential, SandboxTransport
    from wizard.azure.clients import AzureSession
    from wizard.events import RunFinished

    config = _config()
    plan, _ = build(config)
    arm = Arm(clock=SandboxClock(speed=SPEED))
    transport = SandboxTransport(arm)
    session = AzureSession(SandboxCredential(), transport=transport)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with tempfile.TemporaryDirectory() as folder:
        run = start_run(config, session, plan=plan, force=True, consent=True, state_dir=Path(folder),
                        options=RunOptions())
        started = time.perf_counter()
        events = list(run.events())
        wall = time.perf_counter() - started
    end = events[-1]
    assert isinstance(end, RunFinished)
    weights = {}
    for stage in plan.stages:
        record = arm.world.deployments.get(key_of(stage.scope.id, stage.deployment_name))
        if record is not None:
            weights[stage.id] = finished_at(record) - record["submitted"]
    critical = critical_path(plan, weights)
    serial = critical_path(plan, weights, one_writer_per_vnet=True)
    requests = run.requests
    session.close()
    return {
        "stages": len(plan.stages),
        "resources": sum(len(s.resources) for s in plan.stages),
        "status": end.status,
        "wall time (s)": wall,
        "critical path (s)": critical,
        "wall / critical path": wall / critical if critical else float("inf"),
        "critical path with one writer per VNet (s)": serial,
        "wall / critical path with one writer per VNet": wall / serial if serial else float("inf"),
        "polls": requests["polls"],
        "status requests per poll": requests["status"] / max(1, requests["polls"]),
        "operations lists per poll (nested deployments included)": requests["operations"] / max(1, requests["polls"]),
        "operations lists per deployment per poll (max)": requests["max_lists_per_deployment"],
        "ARM requests (all, SDK retries included)": transport.requests,
        "ARM requests per stage": transport.requests / len(plan.stages),
        "peak RSS (MiB)": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "peak RSS before the run (MiB)": rss_before / 1024,
    }


def report() -> list[str]:
    """Lines for the console and bench/RESULTS.md."""
    r = measure()
    lines = [f"## Deployment run (3 environments × {PROJECTS} projects, sandbox at speed {SPEED:g})", ""]
    for name, value in r.items():
        lines.append(f"- {name}: {value:.3f}" if isinstance(value, float) else f"- {name}: {value}")
    ok = r["wall / critical path"] <= 1.2
    serial = r["wall / critical path with one writer per VNet"]
    lines.append(f"- verdict: {r['wall / critical path']:.2f}× the stage graph's critical path "
                 f"({'meets' if ok else 'MISSES'} ≤ 1.2×), {serial:.2f}× it with one writer per VNet; at most "
                 f"{r['operations lists per deployment per poll (max)']} operations list per deployment per poll; "
                 f"run {r['status']}")
    return lines


if __name__ == "__main__":
    print("\n".join(report()))
