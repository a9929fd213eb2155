"""What real Azure does that the happy path does not: throttling, refusals, paging, expired sign-ins.

These tests use the SDK's default transport (`requests`) against https://management.azure.com,
answered by the `responses` library, so nothing leaves the machine; the sign-in helpers are
tested with every network credential disabled and a guard that refuses non-loopback sockets.
"""

from __future__ import annotations

import json
import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import responses
from live_fixtures import CONTOSO, env_config, live_sandbox, only, run_check

from sandbox import seed
from wizard import catalog
from wizard.azure.clients import AzureSession
from wizard.azure.credentials import (
    SIGN_IN_ENVIRONMENT,
    SignInError,
    TenantInfo,
    choose_tenant,
    get_credential,
    likely_signed_in,
    visible_tenants,
)
from wizard.azure.preflight import run_preflight

ARM = "https://management.azure.com"
SUB = seed.AIF_DEV
PROVIDERS_PATH = f"/subscriptions/{SUB}/providers"
PERMISSIONS_PATH = f"/subscriptions/{SUB}/providers/Microsoft.Authorization/permissions"
CREDENTIAL_ENVIRONMENT = (
    *SIGN_IN_ENVIRONMENT, "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH",
    "AZURE_USERNAME", "AZURE_PASSWORD", "IDENTITY_HEADER", "MSI_SECRET", "AIFACTORY_USE_IMDS",
    "AZURE_TOKEN_CREDENTIALS", "IDENTITY_SERVER_THUMBPRINT", "IMDS_ENDPOINT",
)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Refuse (and record) every socket connection that is not to the loopback interface."""
    attempts: list[Any] = []
    connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else str(address)
        if self.family in (socket.AF_INET, socket.AF_INET6) and host not in ("127.0.0.1", "::1", "localhost"):
            attempts.append(address)
            raise OSError(f"test guard: no network ({address!r})")
        return connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    return attempts


@pytest.fixture
def slept(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record waits instead of sleeping (azure-core's transport sleeps with time.sleep)."""
    waits: list[float] = []
    monkeypatch.setattr(time, "sleep", waits.append)
    return waits


class StubCredential:
    """A TokenCredential that hands out a fixed token and counts the calls."""

    def __init__(self) -> None:
        self.calls = 0

    def get_token(self, *scopes: str, **kwargs: Any) -> Any:
        from azure.core.credentials import AccessToken

        self.calls += 1
        return AccessToken("stub-token", int(time.time()) + 3600)


class FakeArm:
    """A `responses` callback: routes (method, path[, query]) to queued answers; the last one repeats."""

    def __init__(self) -> None:
        self.routes: list[tuple[str, str, dict[str, str], list[tuple[int, Any, dict[str, str]]]]] = []
        self.calls: list[tuple[str, str, dict[str, str], str]] = []

    def on(self, method: str, path: str, *answers: tuple[int, Any, dict[str, str]],
           query: dict[str, str] | None = None) -> None:
        self.routes.append((method, path.lower(), query or {}, list(answers)))

    def __call__(self, request: Any) -> tuple[int, dict[str, str], str]:
        parts = urlsplit(request.url)
        query = dict(parse_qsl(parts.query))
        self.calls.append((request.method, parts.path, query, request.headers.get("Authorization", "")))
        for method, path, wanted, answers in self.routes:
            if method == request.method and path == parts.path.lower() and all(
                    query.get(k) == v for k, v in wanted.items()):
                status, body, headers = answers.pop(0) if len(answers) > 1 else answers[0]
                return status, {"Content-Type": "application/json", **headers}, json.dumps(body)
        error = {"error": {"code": "ResourceNotFound", "message": f"no fake for {request.method} {parts.path}"}}
        return 404, {"Content-Type": "application/json"}, json.dumps(error)

    def hits(self, method: str, path: str) -> list[dict[str, str]]:
        return [q for m, p, q, _ in self.calls if m == method and p.lower() == path.lower()]


@pytest.fixture
def fake() -> Iterator[FakeArm]:
    arm = FakeArm()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        for method in (responses.GET, responses.POST, responses.PUT):
            mock.add_callback(method, re.compile(re.escape(ARM) + r"/.*"), callback=arm)
        yield arm


@pytest.fixture
def session() -> Iterator[AzureSession]:
    azure = AzureSession(StubCredential(), tenant_id=CONTOSO)  # no transport: azure-core's requests transport
    yield azure
    azure.close()


def ok(body: Any) -> tuple[int, Any, dict[str, str]]:
    return 200, body, {}


def error(status: int, code: str, message: str, **headers: str) -> tuple[int, Any, dict[str, str]]:
    return status, {"error": {"code": code, "message": message}}, headers


def providers_body(namespaces: list[str]) -> dict[str, Any]:
    return {"value": [{"id": f"{PROVIDERS_PATH}/{ns}", "namespace": ns, "registrationState": "Registered",
                       "registrationPolicy": "RegistrationRequired", "resourceTypes": []} for ns in namespaces]}


# ------------------------------------------------------------------------------ the SDK pipeline


def test_throttled_read_is_retried_after_retry_after(fake: FakeArm, session: AzureSession, slept: list[float]) -> None:
    config = env_config()
    needed = sorted(catalog.required_providers(config))
    fake.on("GET", PROVIDERS_PATH, error(429, "TooManyRequests", "throttled", **{"Retry-After": "7"}),
            ok(providers_body(needed)))
    assert run_check(session, "providers", config, "dev") == []
    assert len(fake.hits("GET", PROVIDERS_PATH)) == 2
    assert 7 in slept
    assert session.stats.http_requests == 2 and session.stats.distinct_reads == 1
    assert all(auth == "Bearer stub-token" for *_, auth in fake.calls)


def test_provider_list_follows_next_link(fake: FakeArm, session: AzureSession) -> None:
    config = env_config()
    needed = sorted(catalog.required_providers(config))
    first, rest = needed[:2], needed[2:]
    next_link = f"{ARM}{PROVIDERS_PATH}?api-version=2025-04-01&%24skiptoken=page2"
    fake.on("GET", PROVIDERS_PATH, ok(providers_body(rest)), query={"$skiptoken": "page2"})
    fake.on("GET", PROVIDERS_PATH, ok({**providers_body(first), "nextLink": next_link}))
    assert run_check(session, "providers", config, "dev") == []
    pages = fake.hits("GET", PROVIDERS_PATH)
    assert [q.get("$skiptoken") for q in pages] == [None, "page2"]

    missing = rest[-1]
    fake.routes[0] = ("GET", PROVIDERS_PATH.lower(), {"$skiptoken": "page2"}, [ok(providers_body(rest[:-1]))])
    fresh = AzureSession(StubCredential(), tenant_id=CONTOSO)
    try:
        [finding] = run_check(fresh, "providers", config, "dev")
    finally:
        fresh.close()
    assert (finding.code, finding.severity) == ("AIF-LIVE-PROVIDER", "error")
    assert f"{missing} is NotFound" in finding.message
    assert f"az provider register --namespace {missing}" in finding.hint


def test_forbidden_permissions_read_is_a_read_finding(fake: FakeArm, session: AzureSession) -> None:
    fake.on("GET", PERMISSIONS_PATH, error(
        403, "AuthorizationFailed", "The client 'demo.user' does not have authorization to perform action "
        "'Microsoft.Authorization/permissions/read' over scope '/subscriptions/x'."))
    result = run_preflight(env_config(), session, tenant_id=CONTOSO, checks=["permissions"])
    finding = only(result.findings, "AIF-LIVE-READ")
    assert (finding.severity, finding.environment, finding.check) == ("error", "dev", "permissions")
    assert "AuthorizationFailed" in finding.message and "permissions" in finding.message
    assert "check access to the subscription" in finding.hint
    assert result.grid["dev"]["permissions"] == "fail"
    assert len(fake.hits("GET", PERMISSIONS_PATH)) == 1  # a 403 is not retried


def test_expired_sign_in_is_an_auth_finding(fake: FakeArm, session: AzureSession) -> None:
    fake.on("GET", PROVIDERS_PATH, error(
        401, "ExpiredAuthenticationToken", "The access token expiry UTC time is earlier than current UTC time.",
        **{"WWW-Authenticate": 'Bearer authorization_uri="https://login.microsoftonline.com/common", '
                               'error="invalid_token", error_description="The access token has expired."'}))
    result = run_preflight(env_config(), session, tenant_id=CONTOSO, checks=["providers"])
    finding = only(result.findings, "AIF-LIVE-AUTH")
    assert (finding.severity, finding.environment, finding.check) == ("error", "dev", "providers")
    assert "az login" in finding.hint
    assert result.grid["dev"]["providers"] == "fail"


def test_expired_sign_in_on_the_permissions_read_is_an_auth_finding(fake: FakeArm, session: AzureSession) -> None:
    fake.on("GET", PERMISSIONS_PATH, error(401, "ExpiredAuthenticationToken", "The access token has expired."))
    result = run_preflight(env_config(), session, tenant_id=CONTOSO, checks=["permissions"])
    only(result.findings, "AIF-LIVE-AUTH")


# ------------------------------------------------------------------------------ signing in


@pytest.fixture
def signed_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """No Azure CLI on PATH and no sign-in variables: nothing can get a token."""
    for name in CREDENTIAL_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("shutil.which", lambda *args, **kwargs: None)


@pytest.mark.usefixtures("signed_out")
def test_get_credential_without_any_sign_in_says_az_login(no_network: list[Any]) -> None:
    started = time.perf_counter()
    with pytest.raises(SignInError) as caught:
        get_credential()
    assert "not signed in to Azure" in caught.value.message
    assert "`az login`" in caught.value.hint
    assert "--device-code" in caught.value.hint and "--demo" in caught.value.hint
    assert no_network == []  # managed identity stays excluded without IDENTITY_ENDPOINT: no IMDS probe
    assert time.perf_counter() - started < 10

    with pytest.raises(SignInError) as tenant:
        get_credential(CONTOSO)
    assert f"`az login --tenant {CONTOSO}`" in tenant.value.hint
    assert no_network == []


def test_choose_tenant() -> None:
    contoso, fabrikam = TenantInfo(CONTOSO, "Contoso AI (demo)"), TenantInfo(seed.FABRIKAM_TENANT, "Fabrikam")
    with pytest.raises(SignInError) as several:
        choose_tenant([contoso, fabrikam], None)
    assert "sees 2 tenants" in several.value.message
    assert "--tenant" in several.value.hint
    assert f"{CONTOSO} (Contoso AI (demo))" in several.value.hint and seed.FABRIKAM_TENANT in several.value.hint
    assert choose_tenant([contoso, fabrikam], CONTOSO.upper()) == contoso
    assert choose_tenant([fabrikam], None) == fabrikam
    with pytest.raises(SignInError) as unknown:
        choose_tenant([contoso, fabrikam], "00000000-0000-0000-0000-000000000001")
    assert "not visible" in unknown.value.message and CONTOSO in unknown.value.hint
    with pytest.raises(SignInError, match="no tenant"):
        choose_tenant([], None)


def test_visible_tenants_of_the_demo_tenant_need_a_choice() -> None:
    sandbox = live_sandbox()
    try:
        tenants = visible_tenants(sandbox.session)
    finally:
        sandbox.close()
    assert [t.tenant_id for t in tenants] == [seed.CONTOSO_TENANT, seed.FABRIKAM_TENANT]
    assert tenants[0].display_name == "Contoso AI (demo)"
    with pytest.raises(SignInError) as caught:
        choose_tenant(tenants, None)
    assert "Fabrikam Partner (demo)" in caught.value.hint


@pytest.mark.usefixtures("signed_out")
def test_likely_signed_in(isolated_dirs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    profile = Path.home() / ".azure" / "azureProfile.json"
    assert not likely_signed_in()  # no profile
    profile.parent.mkdir(parents=True)
    profile.write_text("{not json", encoding="utf-8")
    assert not likely_signed_in()
    profile.write_text(json.dumps({"installationId": "x", "subscriptions": []}), encoding="utf-8-sig")
    assert not likely_signed_in()  # az logout leaves the file with no subscriptions
    profile.write_text(json.dumps({"subscriptions": [{"id": SUB, "tenantId": CONTOSO, "isDefault": True}]}),
                       encoding="utf-8-sig")  # the Azure CLI writes a BOM
    assert likely_signed_in()

    elsewhere = isolated_dirs / "azure-config"
    monkeypatch.setenv("AZURE_CONFIG_DIR", str(elsewhere))
    assert not likely_signed_in()
    elsewhere.mkdir()
    (elsewhere / "azureProfile.json").write_text(profile.read_text(encoding="utf-8-sig"), encoding="utf-8")
    assert likely_signed_in()

    monkeypatch.delenv("AZURE_CONFIG_DIR")
    profile.unlink()
    assert not likely_signed_in()
    monkeypatch.setenv("IDENTITY_ENDPOINT", "http://127.0.0.1:1/msi/token")
    assert likely_signed_in()


def test_failed_sign_in_becomes_a_live_run_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from wizard.azure import credentials
    from wizard.azure.run import LiveRunError, run_live_validation

    def refuse(tenant_id: str | None = None, *, device_code: bool = False) -> Any:
        raise SignInError("not signed in to Azure", f"run `az login --tenant {tenant_id}`")

    monkeypatch.setattr(credentials, "get_credential", refuse)
    with pytest.raises(LiveRunError) as caught:
        run_live_validation(env_config(), demo=False, tenant=CONTOSO)
    assert caught.value.message == "not signed in to Azure"
    assert f"az login --tenant {CONTOSO}" in caught.value.hint
