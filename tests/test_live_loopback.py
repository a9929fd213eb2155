"""End to end over real HTTP: DefaultAzureCredential takes its token from the loopback sandbox's
managed identity endpoint, and the preflight's SDK clients talk to the sandbox on 127.0.0.1."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
from live_fixtures import CONTOSO, RequestLog, preset
from sandbox_fixtures import MANAGED_IDENTITY_ONLY, loopback_server, make_arm

from sandbox import seed
from sandbox.loopback import LoopbackBearerTokenPolicy
from sandbox.server import SandboxServer
from wizard.azure.checks import CHECKS
from wizard.azure.clients import AzureSession
from wizard.azure.preflight import run_preflight


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[SandboxServer]:
    """The seeded sandbox (pages of 4) on 127.0.0.1, the only managed identity in sight."""
    yield from loopback_server(monkeypatch, make_arm(page_size=4))


def _claims(authorization: str) -> dict[str, Any]:
    token = authorization.split(" ", 1)[1]
    payload = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


def test_preflight_over_loopback_with_default_azure_credential(server: SandboxServer) -> None:
    from azure.identity import DefaultAzureCredential

    seen: list[str] = []
    log = RequestLog(server.arm)
    handle = log.handle

    def remember(method: str, url: str, headers: Any = None, body: bytes | None = None) -> Any:
        seen.append({k.lower(): v for k, v in (headers or {}).items()}.get("authorization", ""))
        return handle(method, url, headers, body)

    server.arm.handle = remember  # type: ignore[method-assign]

    credential = DefaultAzureCredential(**MANAGED_IDENTITY_ONLY)
    session = AzureSession(credential, base_url=server.base_url,
                           authentication_policy=LoopbackBearerTokenPolicy(credential), tenant_id=CONTOSO)
    try:
        result = run_preflight(preset("poc-standalone"), session, tenant_id=CONTOSO)
    finally:
        session.close()
        credential.close()

    live = {col: status for col, status in result.grid["dev"].items() if col in CHECKS}
    assert set(live.values()) <= {"pass", "n/a"}, result.findings
    assert live["subscription"] == live["permissions"] == live["names"] == live["model_quota"] == "pass"
    assert not [f for f in result.findings if f.severity == "error"], result.findings
    assert session.stats.http_requests == len(log.keys) > session.stats.distinct_reads  # lists paged over HTTP
    assert log.repeated() == {}

    # every ARM request carried the token the managed identity endpoint issued for ARM
    assert seen and all(header.startswith("Bearer ") for header in seen)
    claims = _claims(seen[0])
    assert claims["aud"] == "https://management.azure.com"
    assert (claims["oid"], claims["tid"]) == (seed.CALLER_OBJECT_ID, seed.CONTOSO_TENANT)
