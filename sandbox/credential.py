"""A credential for the sandbox: tokens that look like Entra ID tokens and mean nothing.

The SDK's bearer-token policy needs an object with `get_token()` (or `get_token_info()`); the
sandbox only checks that a bearer token is present. Tokens are unsigned JWTs carrying the demo
user's object id and tenant, so code that reads claims from a token (to show who is signed in)
works in demo mode, and each call returns a new token so token-expiry faults can be recovered
from by asking again.
"""

from __future__ import annotations

import base64
import itertools
import json
import threading
import time
from typing import Any

from sandbox import seed

_COUNTER = itertools.count(1)
_LOCK = threading.Lock()


def _b64(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def issue_token(
    resource: str = "https://management.azure.com",
    *,
    lifetime: int = 3600,
    tenant_id: str = seed.CONTOSO_TENANT,
    object_id: str = seed.CALLER_OBJECT_ID,
    upn: str = seed.CALLER_UPN,
) -> tuple[str, int]:
    """A fresh unsigned JWT for the demo user and its expiry (epoch seconds, wall clock)."""
    with _LOCK:
        serial = next(_COUNTER)
    now = int(time.time())
    expires = now + lifetime
    claims = {
        "aud": resource.rstrip("/"),
        "iss": f"https://sts.windows.net/{tenant_id}/",
        "iat": now,
        "nbf": now,
        "exp": expires,
        "oid": object_id,
        "tid": tenant_id,
        "upn": upn,
        "name": "Demo User",
        "jti": f"sandbox-{serial}",
    }
    token = f"{_b64({'typ': 'JWT', 'alg': 'none'})}.{_b64(claims)}.sandbox"
    return token, expires


def _resource_of(scopes: tuple[str, ...]) -> str:
    scope = scopes[0] if scopes else "https://management.azure.com/.default"
    return scope.removesuffix("/.default")


class SandboxCredential:
    """`TokenCredential` (and `SupportsTokenInfo`) for in-process use with the sandbox."""

    def __init__(self, *, lifetime: int = 3600, tenant_id: str = seed.CONTOSO_TENANT) -> None:
        self.lifetime = lifetime
        self.tenant_id = tenant_id
        self.calls = 0
        """How many tokens were handed out (tests assert refreshes with it)."""

    def get_token(self, *scopes: str, **kwargs: Any) -> Any:
        """An `azure.core.credentials.AccessToken`."""
        from azure.core.credentials import AccessToken

        token, expires = self._issue(scopes, kwargs.get("tenant_id"))
        return AccessToken(token, expires)

    def get_token_info(self, *scopes: str, options: Any = None) -> Any:
        """An `azure.core.credentials.AccessTokenInfo` (preferred by azure-core >= 1.31)."""
        from azure.core.credentials import AccessTokenInfo

        tenant = (options or {}).get("tenant_id") if isinstance(options, dict) else None
        token, expires = self._issue(scopes, tenant)
        return AccessTokenInfo(token, expires, token_type="Bearer", refresh_on=expires - 300)

    def _issue(self, scopes: tuple[str, ...], tenant: str | None) -> tuple[str, int]:
        self.calls += 1
        return issue_token(_resource_of(scopes), lifetime=self.lifetime, tenant_id=tenant or self.tenant_id)

    def close(self) -> None:
        """Nothing to release (present because credentials are context managers)."""

    def __enter__(self) -> SandboxCredential:
        return self

    def __exit__(self, *args: Any) -> None:
        self.close()
