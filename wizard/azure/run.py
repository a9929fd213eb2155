"""A live session that lasts as long as the front end, and one validation run on top of it.

Sign in once (or open the sandbox), choose the tenant through a callback the front end supplies
(a questionary picker in the CLI, a modal in the TUI), then validate as often as the person edits.
Nothing here prompts or prints: the CLI and the TUI do that around these functions. Every Azure
import stays behind them, so `aifactory --help` and the core never pay for the SDK.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from wizard.azure.credentials import SignInError, TenantInfo
from wizard.azure.preflight import PreflightResult, iter_preflight, run_preflight
from wizard.errors import UserError
from wizard.events import Event
from wizard.findings import Finding
from wizard.model import TODO, EnvName, FactoryConfig
from wizard.network import LiveVnet

TenantChooser = Callable[[list[TenantInfo]], str | None]
"""Asked when a sign-in sees several tenants and none was named; returns the chosen tenant id
(None to give up, which ends in a LiveRunError listing them)."""


class LiveRunError(UserError):
    """The session could not start (not signed in, no such tenant); message and hint for the user."""


@dataclass
class LiveSession:
    """One sign-in (or the sandbox) for as long as the front end runs.

    `preflight` may be called any number of times; reads are cached across runs until
    `clear_cache` (a re-check) or `register_providers` changes what Azure would answer.
    """

    session: Any
    """The AzureSession: SDK clients, the read cache, the worker pool."""
    tenant_id: str
    demo: bool
    account: str = ""
    """Who is signed in, as a person reads it (UPN, or the app id of a service principal)."""
    notes: list[str] = field(default_factory=list)
    """What the front end should tell the person about this session (demo state file, tenant)."""

    def prepare(self, config: FactoryConfig) -> tuple[FactoryConfig, list[str]]:
        """`config` as it will be checked: demo subscriptions filled in, the tenant set; and notes."""
        notes: list[str] = []
        if self.demo:
            from wizard.azure.demo import with_demo_subscriptions

            config, notes = with_demo_subscriptions(config)
        if config.identity.tenant_id is None and self.tenant_id:
            identity = config.identity.model_copy(update={"tenant_id": self.tenant_id})
            config = config.model_copy(update={"identity": identity})
        return config, notes

    def preflight(self, config: FactoryConfig, *, cancel: threading.Event | None = None,
                  **narrow: Any) -> Iterator[Event]:
        """`iter_preflight` on this session (`narrow`: checks, environments or cells)."""
        prepared, _ = self.prepare(config)
        return iter_preflight(prepared, self.session, tenant_id=self.tenant_id, cancel=cancel, **narrow)

    def live_vnets(self, config: FactoryConfig) -> tuple[dict[EnvName, LiveVnet], list[str]]:
        """The AI Factory VNets that already exist, per environment, and notes on what was read.

        The subnet calculator appends after the highest subnet of the live VNet, so the address
        plan starts from these; an environment without a subscription or a VNet plans fresh.
        """
        from azure.core.exceptions import AzureError

        from wizard import naming
        from wizard.azure.checks import Reads

        prepared, notes = self.prepare(config)
        reads = Reads(self.session)
        vnets: dict[EnvName, LiveVnet] = {}
        for name, env in prepared.environments.enabled():
            group, vnet_name = naming.vnet_resource_group(prepared, name), naming.common_vnet(prepared, name)
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
        return vnets, notes

    def clear_cache(self, subscription_id: str | None = None) -> None:
        """Forget cached reads (all, or one subscription's) so the next run asks Azure again."""
        self.session.clear_cache(subscription_id)

    def close(self) -> None:
        """Stop the session's worker pool."""
        self.session.close()


def open_session(
    *,
    demo: bool,
    tenant: str | None = None,
    device_code: bool = False,
    choose_tenant: TenantChooser | None = None,
    sandbox_state: Any = None,
    fresh: bool = False,
    faults: Any = None,
) -> LiveSession:
    """Sign in to Azure (or open the sandbox with `demo`), settling on one tenant.

    With several visible tenants and none named, `choose_tenant` is asked; without it, the error
    lists them. Raises LiveRunError with what to run when there is no usable sign-in, or when the
    demo's saved state cannot be read. `fresh` (with `demo`) seeds a new sandbox in memory
    instead of opening the saved state; `faults` (with `demo`) is the sandbox's `FaultPlan`.
    """
    if demo:
        from sandbox.state_file import StateFileError
        from wizard.azure.demo import STATE_HINT, demo_session

        try:
            session, tenant_id, notes = demo_session(path=sandbox_state, fresh=fresh, faults=faults)
        except StateFileError as exc:
            raise LiveRunError(f"the demo sandbox state {exc}", STATE_HINT) from None
        return LiveSession(session, tenant_id, True, token_account(session.credential), notes)
    from wizard.azure.clients import AzureSession
    from wizard.azure.credentials import choose_tenant as settle_tenant
    from wizard.azure.credentials import get_credential, visible_tenants

    try:
        credential = get_credential(tenant, device_code=device_code)
        session = AzureSession(credential)
        tenants = visible_tenants(session)
        if tenant is None and len(tenants) > 1 and choose_tenant is not None:
            tenant = choose_tenant(tenants)
        chosen = settle_tenant(tenants, tenant)
    except SignInError as exc:
        raise LiveRunError(exc.message, exc.hint) from None
    session.tenant_id = chosen.tenant_id
    return LiveSession(session, chosen.tenant_id, False, token_account(credential),
                       [f"signed in to {chosen.display_name} ({chosen.tenant_id}); checking against Azure"])


def token_account(credential: Any) -> str:
    """Who a credential signs in as, read from its ARM token's claims ("" when unknown).

    The claims are only displayed, never trusted: the signature is not checked.
    """
    from wizard.azure.credentials import ARM_SCOPE

    try:
        token = credential.get_token(ARM_SCOPE).token
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except Exception:  # an opaque token, or a credential that cannot say: show nothing
        return ""
    for claim in ("upn", "unique_name", "preferred_username", "email"):
        if claims.get(claim):
            return str(claims[claim])
    return f"app {claims['appid']}" if claims.get("appid") else ""


def register_providers(live: LiveSession, missing: dict[str, list[str]]) -> list[str]:
    """Ask Azure to register resource providers (the person consented); notes of what was asked.

    The subscriptions' cached reads are dropped so the next preflight sees the new state.
    """
    notes = []
    for sub, namespaces in missing.items():
        for namespace in namespaces:
            live.session.resources(sub).providers.register(namespace)
            notes.append(f"asked Azure to register {namespace} in {sub}; it takes a few minutes")
        live.clear_cache(sub)
    return notes


@dataclass
class LiveOutcome:
    """The preflight result and the notes to show beside it."""

    result: PreflightResult
    notes: list[str] = field(default_factory=list)
    vnets: dict[EnvName, LiveVnet] = field(default_factory=dict)
    """The AI Factory VNets that exist (read only when asked: `read_vnets`)."""


def run_live_validation(
    config: FactoryConfig,
    *,
    demo: bool,
    tenant: str | None = None,
    device_code: bool = False,
    choose_tenant: TenantChooser | None = None,
    register: bool | Callable[[dict[str, list[str]]], bool] = False,
    on_finding: Callable[[Finding], None] | None = None,
    fresh: bool = False,
    read_vnets: bool = False,
) -> LiveOutcome:
    """Open a session, run the preflight once, and close it: what `aifactory validate` does.

    `register` registers missing providers and runs again: True always, or a callable asked
    with what is missing (the CLI's confirmation prompt). `fresh`: see `open_session`.
    `read_vnets` also reads the AI Factory VNets that exist, in the same session (the handover
    report plans the addresses from them, as `aifactory network` does).
    """
    live = open_session(demo=demo, tenant=tenant, device_code=device_code, choose_tenant=choose_tenant,
                        fresh=fresh)
    try:
        prepared, notes = live.prepare(config)
        notes = live.notes + notes
        result = run_preflight(prepared, live.session, tenant_id=live.tenant_id, on_finding=on_finding)
        missing = result.unregistered
        if missing and (register is True or (callable(register) and register(missing))):
            notes += register_providers(live, missing)
            result = run_preflight(prepared, live.session, tenant_id=live.tenant_id, on_finding=on_finding)
        vnets: dict[EnvName, LiveVnet] = {}
        if read_vnets:
            vnets, read_notes = live.live_vnets(config)
            notes += [note for note in read_notes if note not in notes]
    finally:
        live.close()
    return LiveOutcome(result, notes, vnets)
