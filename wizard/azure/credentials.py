"""Signing in: the Azure CLI login when present, else DefaultAzureCredential; device code on request.

Workshop machines often have no browser session and no Azure CLI, hence `--device-code`. When
the caller can see several tenants the user must choose one (`--tenant`), because subscriptions,
object ids and role assignments all belong to one tenant. Failures become `SignInError` with
the command to run, never a traceback.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wizard.errors import UserError

ARM_SCOPE = "https://management.azure.com/.default"


class SignInError(UserError):
    """Not signed in, or signed in to the wrong place; the message says what to run."""


@dataclass(frozen=True, slots=True)
class TenantInfo:
    """A tenant the caller can see."""

    tenant_id: str
    display_name: str


SIGN_IN_ENVIRONMENT = ("AZURE_CLIENT_ID", "AZURE_FEDERATED_TOKEN_FILE", "IDENTITY_ENDPOINT", "MSI_ENDPOINT")
"""Variables that mean a non-interactive sign-in is configured (service principal, workload or
managed identity)."""


def likely_signed_in() -> bool:
    """A cheap guess, without importing the SDK, whether a sign-in is available at all.

    `aifactory validate` runs the live checks when this is true and otherwise says how to sign
    in; so a machine with no Azure login never waits on a credential chain (or on IMDS).
    """
    if any(os.environ.get(name) for name in SIGN_IN_ENVIRONMENT):
        return True
    profile = Path(os.environ.get("AZURE_CONFIG_DIR") or Path.home() / ".azure") / "azureProfile.json"
    try:
        data = json.loads(profile.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return False
    return bool(data.get("subscriptions"))


def get_credential(tenant_id: str | None = None, *, device_code: bool = False) -> Any:
    """A credential that can get an ARM token now, or SignInError saying how to sign in."""
    from azure.core.exceptions import ClientAuthenticationError
    from azure.identity import (
        AzureCliCredential,
        CredentialUnavailableError,
        DefaultAzureCredential,
        DeviceCodeCredential,
    )

    candidates: list[Any] = []
    if device_code:
        candidates.append(DeviceCodeCredential(tenant_id=tenant_id) if tenant_id else DeviceCodeCredential())
    else:
        if shutil.which("az"):
            candidates.append(AzureCliCredential(tenant_id=tenant_id) if tenant_id else AzureCliCredential())
        managed = bool(os.environ.get("IDENTITY_ENDPOINT") or os.environ.get("MSI_ENDPOINT")
                       or os.environ.get("AIFACTORY_USE_IMDS"))
        candidates.append(DefaultAzureCredential(
            exclude_interactive_browser_credential=True,
            exclude_cli_credential=bool(shutil.which("az")),
            exclude_managed_identity_credential=not managed,
            **({"additionally_allowed_tenants": ["*"]} if tenant_id else {}),
        ))
    problems = []
    for credential in candidates:
        try:
            credential.get_token(ARM_SCOPE, **({"tenant_id": tenant_id} if tenant_id else {}))
            return credential
        except (ClientAuthenticationError, CredentialUnavailableError) as exc:
            problems.append(str(exc).splitlines()[0])
    login = f"az login --tenant {tenant_id}" if tenant_id else "az login"
    raise SignInError(
        "not signed in to Azure" + (f" ({problems[0]})" if problems else ""),
        f"run `{login}`, or pass --device-code to sign in from another device, "
        "or try everything offline with --demo",
    )


def visible_tenants(session: Any) -> list[TenantInfo]:
    """The tenants the signed-in caller can see."""
    tenants = session.read(("tenants",), lambda: list(session.subscriptions().tenants.list()))
    return [TenantInfo(t.tenant_id, t.display_name or t.tenant_id) for t in tenants]


def choose_tenant(tenants: list[TenantInfo], requested: str | None) -> TenantInfo:
    """The tenant to work in: the requested one, or the only one; else SignInError listing them."""
    if requested:
        for tenant in tenants:
            if tenant.tenant_id.lower() == requested.lower():
                return tenant
        raise SignInError(f"tenant {requested} is not visible to this sign-in",
                          "choose one of: " + ", ".join(f"{t.tenant_id} ({t.display_name})" for t in tenants))
    if len(tenants) == 1:
        return tenants[0]
    if not tenants:
        raise SignInError("this sign-in sees no tenant", "sign in with an account that has a subscription")
    raise SignInError(
        f"this sign-in sees {len(tenants)} tenants",
        "pass --tenant with one of: " + ", ".join(f"{t.tenant_id} ({t.display_name})" for t in tenants),
    )
