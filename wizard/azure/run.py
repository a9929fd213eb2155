"""Live runs as the CLI performs them: sign in, choose the tenant, run the preflight (or read the
AI Factory's VNets for the address plan).

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
from wizard.model import TODO, EnvName, FactoryConfig
from wizard.network import LiveVnet


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


def _open(config: FactoryConfig, *, demo: bool, tenant: str | None, device_code: bool,
          interactive: bool) -> tuple[Any, str, FactoryConfig, list[str]]:
    """A session on Azure (signed in) or on the sandbox (with the demo subscriptions filled in)."""
    if demo:
        from wizard.azure.demo import demo_session, with_demo_subscriptions

        session, tenant_id, demo_notes = demo_session()
        config, assigned = with_demo_subscriptions(config)
        return session, tenant_id, config, demo_notes + assigned
    session, tenant_id = _real_session(tenant, device_code, interactive)
    return session, tenant_id, config, [f"signed in to tenant {tenant_id}; checking against Azure"]


def read_live_vnets(config: FactoryConfig, *, demo: bool, tenant: str | None = None, device_code: bool = False,
                    interactive: bool = False) -> tuple[dict[EnvName, LiveVnet], list[str]]:
    """The AI Factory VNets that already exist, per environment, and notes on what was read.

    The subnet calculator appends after the highest subnet of the live VNet, so `aifactory
    network` plans from these; an environment without a subscription or a VNet plans fresh.
    """
    from azure.core.exceptions import AzureError

    from wizard import naming
    from wizard.azure.checks import Reads

    session, _, config, notes = _open(config, demo=demo, tenant=tenant, device_code=device_code,
                                      interactive=interactive)
    vnets: dict[EnvName, LiveVnet] = {}
    try:
        reads = Reads(session)
        for name, env in config.environments.enabled():
            group, vnet_name = naming.vnet_resource_group(config, name), naming.common_vnet(config, name)
            if env.subscription_id is None or TODO in env.subscription_id:
                notes.append(f"{name}: no subscription, so the plan assumes a fresh VNet")
                continue
            try:
                vnet = reads.own_vnet(env.subscription_id, group, vnet_name)
            except AzureError as exc:
                notes.append(f"{name}: could not read {vnet_name} ({str(exc).splitlines()[0]}); "
                             "the plan assumes a fresh VNet")
                continue
            if vnet is None:
                notes.append(f"{name}: {vnet_name} does not exist yet in {group}; the plan assumes a fresh VNet")
            else:
                vnets[name] = vnet
                notes.append(f"{name}: planned from the live VNet {vnet_name} ({len(vnet.subnets)} subnets)")
    finally:
        session.close()
    return vnets, notes


def run_live_validation(
    config: FactoryConfig,
    *,
    demo: bool,
    tenant: str | None = None,
    device_code: bool = False,
    register_providers: bool = False,
    interactive: bool = False,
    progress: bool = False,
) -> LiveOutcome:
    """Sign in (or open the sandbox), run the preflight, optionally register missing providers."""
    session, tenant_id, config, notes = _open(config, demo=demo, tenant=tenant, device_code=device_code,
                                              interactive=interactive)
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
