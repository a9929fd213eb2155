"""End to end over real HTTP: DefaultAzureCredential takes its token from the loopback sandbox's
managed identity endpoint, and the preflight's SDK clients talk to the sandbox on 127.0.0.1."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from live_fixtures import CONTOSO, RequestLog, preset

from sandbox import seed
from sandbox.arm import Arm
from sandbox.clock import SandboxClock
from sandbox.loopback import LoopbackBearerTokenPolicy
from sandbox.server import SandboxServer
from wizard.azure.checks import CHECKS
from wizard.azure.clients import AzureSession
from wizard.azure.preflight import run_preflight

ONLY_MANAGED_IDENTITY = {
    "exclude_environment_credential": True,
    "exclude_workload_identity_credential": True,
    "exclude_shared_token_cache_credential": True,
    "exclude_visual_studio_code_credential": True,
    "exclude_cli_credential": True,
    "exclude_powershell_credential": True,
    "exclude_developer_cli_credential": True,
    "exclude_interactive_browser_credential": True,
    "exclude_broker_credential": True,
}


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Any:
    arm = Arm(clock=SandboxClock.frozen(), page_size=4)
    with SandboxServer(arm) as srv:
        for key in ("MSI_ENDPOINT", "MSI_SECRET", "IDENTITY_SERVER_THUMBPRINT", "IMDS_ENDPOINT", "AZURE_CLIENT_ID",
                    "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_AUTHORITY_HOST"):
            monkeypatch.delenv(key, raising=False)
        for key, value in srv.env().items():
            monkeypatch.setenv(key, value)
        for key in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
            monkeypatch.delenv(key, raising=False)
        monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
        yield srv


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

    credential = DefaultAzureCredential(**ONLY_MANAGED_IDENTITY)
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
