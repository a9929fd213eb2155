"""One live validation run as the CLI performs it: sign in, choose the tenant, run the preflight.

Kept apart from `cli.py` so the TUI can call the same function, and so every Azure import stays
behind the `validate` command. `--demo` swaps real Azure for the sandbox and fills unset
subscriptions with the demo tenant's, saying which.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

from wizard.azure.preflight import PreflightResult, run_preflight
from wizard.findings import Finding
from wizard.model import FactoryConfig


class LiveRunError(Exception):
    """The run could not start (not signed in, no such tenant); message and hint for the user."""

    def __init__(self, message: str, hint: str = "") -> None:
        self.message = message
        self.hint = hint
        super().__init__(message)


@dataclass
class LiveOutcome:
    """The preflight result and the notes to show beside it."""

    result: PreflightResult
    notes: list[str] = field(default_factory=list)


def _real_session(tenant: str | None, device_code: bool, interactive: bool) -> tuple[Any, str]:
    from wizard.azure.clients import AzureSession
    from wizard.azure.credentials import SignInError, choose_tenant, get_credential, visible_tenants

    try:
        credential = get_credential(tenant, device_code=device_code)
        session = AzureSession(credential)
        tenants = visible_tenants(session)
        if tenant is None and len(tenants) > 1 and interactive:
            tenant = _ask_tenant(tenants)
        chosen = choose_tenant(tenants, tenant)
    except SignInError as exc:
        raise LiveRunError(exc.message, exc.hint) from None
    session.tenant_id = chosen.tenant_id
    return session, chosen.tenant_id


def _ask_tenant(tenants: list[Any]) -> str | None:
    """Let the user pick one of several tenants (questionary, only on a terminal)."""
    import questionary

    choices = [questionary.Choice(f"{t.display_name} ({t.tenant_id})", value=t.tenant_id) for t in tenants]
    answer: str | None = questionary.select("Which tenant holds the AI Factory?", choices=choices).ask()
    return answer


def _register(session: Any, missing: dict[str, list[str]]) -> list[str]:
    """Register the namespaces (the user consented); returns notes of what was asked for."""
    notes = []
    for sub, namespaces in missing.items():
        for namespace in namespaces:
            session.resources(sub).providers.register(namespace)
            notes.append(f"asked Azure to register {namespace} in {sub}; it takes a few minutes")
    return notes


def run_live_validation(
    config: FactoryConfig,
    *,
    demo: bool,
    tenant: str | None = None,
    device_code: bool = False,
    register_providers: bool = False,
    interactive: bool = False,
    progress: bool = False,
    fresh: bool = False,
) -> LiveOutcome:
    """Sign in (or open the sandbox), run the preflight, optionally register missing providers.

    `fresh` (with `demo`) uses a freshly seeded sandbox instead of the saved demo state.
    """
    notes: list[str] = []
    if demo:
        from sandbox.state_file import StateFileError
        from wizard.azure.demo import STATE_HINT, demo_session, with_demo_subscriptions

        try:
            session, tenant_id, demo_notes = demo_session(fresh=fresh)
        except StateFileError as exc:
            raise LiveRunError(f"the demo sandbox state {exc}", STATE_HINT) from None
        config, assigned = with_demo_subscriptions(config)
        notes += demo_notes + assigned
    else:
        session, tenant_id = _real_session(tenant, device_code, interactive)
        notes.append(f"signed in to tenant {tenant_id}; checking against Azure")
    if config.identity.tenant_id is None and tenant_id:
        config = config.model_copy(update={"identity": config.identity.model_copy(update={"tenant_id": tenant_id})})
    try:
        result = _run_with_progress(config, session, tenant_id, progress)
        missing = result.unregistered
        if missing and (register_providers or (interactive and _confirm(missing))):
            notes += _register(session, missing)
            session.clear_cache()
            result = _run_with_progress(config, session, tenant_id, progress)
    finally:
        session.close()
    return LiveOutcome(result, notes)


def _confirm(missing: dict[str, list[str]]) -> bool:
    import click

    listing = "; ".join(f"{', '.join(ns)} in {sub}" for sub, ns in missing.items())
    return click.confirm(f"Register the missing resource providers ({listing})?", default=False, err=True)


def _run_with_progress(config: FactoryConfig, session: Any, tenant_id: str, progress: bool) -> PreflightResult:
    if not progress:
        return run_preflight(config, session, tenant_id=tenant_id)
    from rich.console import Console

    console = Console(stderr=True, file=sys.stderr)
    counts = {"error": 0, "warning": 0, "info": 0}
    with console.status("checking against Azure…") as status:
        def seen(finding: Finding) -> None:
            counts[finding.severity] += 1
            status.update(f"checking against Azure… {counts['error']} errors, {counts['warning']} warnings so far")

        return run_preflight(config, session, tenant_id=tenant_id, on_finding=seen)
