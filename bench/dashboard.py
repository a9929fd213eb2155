"""The deployment dashboard under load: three environments × 24 projects of poc-standalone (about
500 stages and 3,500 resources) deployed by the real runner into the in-process sandbox.

The same run is made twice, each in a process of its own so neither inherits the other's memory:
headless (the baseline: the events are read and counted, nothing is drawn) and watched by the
dashboard at 100×32. Reported: the wall time of each and their ratio (the dashboard must not slow
the deployment), the share of one core the dashboard's main thread used (its CPU seconds over the
wall time: what is left for keys and redraws), the events per second that reached the screen,
and each process's peak memory (max RSS: the sandbox, the SDK and the runner are in both, so the
difference is the dashboard's).
"""

from __future__ import annotations

import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SPEED = 2000.0
"""The sandbox's demo speed: resources take 1/2000 of their Azure time (polls still wait 1 s)."""
PROJECTS = 24
MEMORY_LIMIT_MIB = 150.0
CPU_SHARE_LIMIT = 0.5
"""The dashboard's main thread may use at most half a core while a run streams in."""


def _config() -> Any:
    from presets.store import PresetStore
    from wizard.model import ProjectConfig

    config = PresetStore().load("poc-standalone").config
    envs = config.environments
    enabled = {name: envs.get(name).model_copy(update={"enabled": True}) for name in ("dev", "stage", "prod")}
    projects = [ProjectConfig(number=f"{n:03d}", name=f"project {n}") for n in range(1, PROJECTS + 1)]
    return config.model_copy(update={"environments": envs.model_copy(update=enabled), "projects": projects})


def _start(folder: Path) -> Any:
    """A run on a fresh in-memory sandbox at SPEED (no state file: a demo state is saved on every write)."""
    from deploy.launch import start_run
    from sandbox.arm import Arm
    from sandbox.clock import SandboxClock
    from sandbox.seed import CONTOSO_TENANT
    from sandbox.transport import SandboxCredential, SandboxTransport
    from wizard.azure.clients import AzureSession
    from wizard.azure.run import LiveSession

    transport = SandboxTransport(Arm(clock=SandboxClock(speed=SPEED)))
    session = AzureSession(SandboxCredential(), transport=transport, tenant_id=CONTOSO_TENANT)
    live = LiveSession(session, CONTOSO_TENANT, True)
    return start_run(_config(), live, state_dir=folder, force=True, consent=True, config_name="bench")


def _headless(folder: Path) -> dict[str, float]:
    from wizard.events import RunFinished

    run = _start(folder)
    start = time.perf_counter()
    for events, event in enumerate(run.events(), 1):
        if isinstance(event, RunFinished):
            return {"wall": time.perf_counter() - start, "events": events, "failed": event.failed}
    raise AssertionError("the run ended without RunFinished")


async def _dashboard(folder: Path) -> dict[str, float]:
    from textual.app import App

    from screens.dashboard.screen import DeployScreen

    class Counted(DeployScreen):
        """The dashboard, counting the events posted to it and those handled (its own handler runs
        after this one): the difference collapsed while queued."""

        posted = 0
        events = 0

        def post_message(self, message: Any) -> bool:
            if isinstance(message, DeployScreen.RunEvent):
                Counted.posted += 1
            return super().post_message(message)

        def on_deploy_screen_run_event(self, message: DeployScreen.RunEvent) -> None:
            Counted.events += 1

    run = _start(folder)
    app: App[None] = App()
    async with app.run_test(size=(100, 32)):
        screen = Counted(lambda: run, name="bench", demo=True)
        cpu = time.thread_time()
        start = time.perf_counter()
        await app.push_screen(screen)
        while screen.progress.finished is None:
            await asyncio.sleep(0.01)
        wall = time.perf_counter() - start
        cpu = time.thread_time() - cpu
        finished = screen.progress.finished
        _, total = screen.progress.counts()
    return {"wall": wall, "main_cpu": cpu, "events": Counted.events, "posted": Counted.posted,
            "stages": len(screen.progress.stages), "resources": total, "failed": finished.failed}


def _child(variant: str) -> None:
    """Run one variant and print its figures as JSON (called in a fresh interpreter)."""
    with tempfile.TemporaryDirectory() as folder:
        result = _headless(Path(folder)) if variant == "headless" else asyncio.run(_dashboard(Path(folder)))
    result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def _measure(variant: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-m", "bench.dashboard", variant], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).parents[1])
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def measure() -> dict[str, float]:
    """Both variants, one process each."""
    headless, dashboard = _measure("headless"), _measure("dashboard")
    return {
        "stages": dashboard["stages"], "resources": dashboard["resources"], "failed stages": dashboard["failed"],
        "events read headless": headless["events"], "events posted to the screen": dashboard["posted"],
        "events reaching the screen": dashboard["events"],
        "headless run (s)": headless["wall"], "run watched by the dashboard (s)": dashboard["wall"],
        "ratio": dashboard["wall"] / headless["wall"],
        "main-thread CPU (s)": dashboard["main_cpu"],
        "main-thread CPU share": dashboard["main_cpu"] / dashboard["wall"],
        "events per second": dashboard["events"] / dashboard["wall"],
        "peak memory headless (MiB)": headless["peak_mib"],
        "peak memory with the dashboard (MiB)": dashboard["peak_mib"],
    }


def report() -> list[str]:
    """Markdown lines for bench/RESULTS.md."""
    r = measure()
    share, peak = r["main-thread CPU share"], r["peak memory with the dashboard (MiB)"]
    extra = peak - r["peak memory headless (MiB)"]
    return [
        f"## Deployment dashboard (3 environments × {PROJECTS} projects of poc-standalone, real runner, "
        f"in-process sandbox at speed {SPEED:g}, 100×32)",
        "",
        f"- plan: {int(r['stages'])} stages, {int(r['resources'])} resources ({int(r['failed stages'])} stages "
        "failed on the demo tenant's quotas and permission gaps, as designed); "
        f"{int(r['events posted to the screen'])} events posted to the screen, "
        f"{int(r['events posted to the screen'] - r['events reaching the screen'])} of them collapsed while queued "
        "(a resource update gives way to a newer one of the same resource)",
        f"- wall time: headless {r['headless run (s)']:.1f} s, watched {r['run watched by the dashboard (s)']:.1f} s "
        f"(ratio {r['ratio']:.2f})",
        f"- dashboard main thread: {r['main-thread CPU (s)']:.1f} s of CPU, a share of {share:.0%} of one core "
        f"at {r['events per second']:.0f} events/s "
        f"({'meets' if share <= CPU_SHARE_LIMIT else 'MISSES'} ≤ {CPU_SHARE_LIMIT:.0%})",
        f"- peak memory (max RSS of the whole process): headless {r['peak memory headless (MiB)']:.0f} MiB, "
        f"with the dashboard {peak:.0f} MiB, so the dashboard adds {extra:.0f} MiB "
        f"({'meets' if peak <= MEMORY_LIMIT_MIB else 'MISSES'} ≤ {MEMORY_LIMIT_MIB:.0f} MiB for the process)",
    ]


if __name__ == "__main__":
    _child(sys.argv[1])
