"""`--demo`: the sandbox standing in for Azure, behind the same SDK clients as real Azure.

The sandbox's state persists in the user's state directory, so a second demo run sees what the
first one created (deployments, registered providers), as it would in a real tenant. The wizard
writes that file itself (`save_state`): atomically, without secrets (a deployment's password
parameter stays in memory, as in Azure, but never reaches the disk), and cleaning up after runs
that were killed mid-write. Environments
whose subscription is unset get the demo tenant's dev, stage and prod subscriptions; the notes
say which, so nobody mistakes demo ids for their own.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from wizard.model import ENV_NAMES, TODO, FactoryConfig


def state_path() -> Path:
    """Where the demo sandbox keeps its state (platformdirs user state dir)."""
    from platformdirs import user_state_path

    return user_state_path("aifactory-wizard", appauthor=False) / "sandbox.json"


def save_state(path: Path, data: dict[str, Any]) -> None:
    """The sandbox's StateWriter for the demo: its state without secrets, written atomically."""
    from wizard.atomic_file import atomic_write
    from wizard.secrets import scrub

    kept, _ = scrub(data)
    atomic_write(path, json.dumps(kept, separators=(",", ":")), backup=False)


def open_sandbox(path: Path, **options: Any) -> Any:
    """The demo sandbox resumed from (and saving to) `path`, after removing what killed runs left."""
    from sandbox.arm import Arm
    from wizard.atomic_file import remove_stale_temps

    remove_stale_temps(path)
    return Arm.open(path, state_writer=save_state, **options)


STATE_HINT = ("run `aifactory sandbox reset` to start again from the seeded demo tenant (the file is kept as "
              "a .bak), or add --fresh to use a fresh sandbox for this run only")
"""What to do about a demo state file that cannot be read (`sandbox.state_file.StateFileError`)."""


def demo_session(*, faults: Any = None, path: Path | None = None, fresh: bool = False,
                 speed: float | None = None) -> tuple[Any, str, list[str]]:
    """An AzureSession on the in-process sandbox, the demo tenant id, and notes for the user.

    `speed` sets the demo speed factor (saved with the state, so every process sharing it follows).

    `fresh` seeds a new sandbox in memory: the saved state is neither read nor changed. A saved
    state that cannot be read raises `sandbox.state_file.StateFileError` (see `STATE_HINT`).
    """
    from sandbox.arm import Arm
    from sandbox.seed import CONTOSO_TENANT
    from sandbox.transport import SandboxCredential, SandboxTransport
    from wizard.azure.clients import AzureSession

    options = {"faults": faults} if faults is not None else {}
    if fresh:
        arm = Arm(**options)
        note = "demo: checking against a freshly seeded sandbox (saved state untouched), not Azure"
    else:
        where = path or state_path()
        arm = open_sandbox(where, **options)
        note = f"demo: checking against the sandbox (state in {where}), not Azure"
    if speed is not None:
        arm.set_speed(speed)
    transport = SandboxTransport(arm)
    session = AzureSession(SandboxCredential(), transport=transport, tenant_id=CONTOSO_TENANT)
    return session, CONTOSO_TENANT, [note]


def with_demo_subscriptions(config: FactoryConfig) -> tuple[FactoryConfig, list[str]]:
    """`config` with unset (or `<todo>`) subscriptions filled from the demo tenant, and notes."""
    from sandbox.seed import DEMO_ENVIRONMENT_SUBSCRIPTIONS, SUBSCRIPTIONS

    names = {s["subscriptionId"]: s["displayName"] for s in SUBSCRIPTIONS}
    updates: dict[str, Any] = {}
    notes = []
    for env_name in ENV_NAMES:
        env = config.environments.get(env_name)
        if env.enabled and (env.subscription_id is None or TODO in env.subscription_id):
            sub = DEMO_ENVIRONMENT_SUBSCRIPTIONS[env_name]
            updates[env_name] = env.model_copy(update={"subscription_id": sub})
            notes.append(f"demo: {env_name} uses the demo subscription {names.get(sub, sub)} ({sub})")
    if not updates:
        return config, notes
    environments = config.environments.model_copy(update=updates)
    return config.model_copy(update={"environments": environments}), notes
