"""Helpers and fixtures shared by the sandbox tests (imported by tests/test_sandbox_*.py and test_live_loopback.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sandbox import api_versions
from sandbox.arm import Arm
from sandbox.clock import SandboxClock
from sandbox.faults import FaultPlan
from sandbox.server import SandboxServer
from sandbox.transport import SandboxCredential, SandboxTransport

PROJECT_ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = PROJECT_ROOT.parent / "shared" / "reference" / "arm-examples"
"""Microsoft's official request/response examples (beside the project, never copied into it)."""

AUTH = {"Authorization": "Bearer sandbox-test"}
BASE = "https://management.azure.com"


def example(relative: str) -> dict[str, Any]:
    """Load one official example, or skip when ../shared/reference is absent."""
    path = EXAMPLES / relative
    if not path.is_file():
        pytest.skip(f"official ARM examples not found at {path} (they live in ../shared/reference)")
    return json.loads(path.read_text(encoding="utf-8"))


def make_arm(*, faults: FaultPlan | None = None, **kwargs: Any) -> Arm:
    """A seeded sandbox on a frozen clock (deterministic)."""
    return Arm(clock=SandboxClock.frozen(), faults=faults, **kwargs)


def newest_version(arm: Arm, path: str) -> str:
    """The newest api-version the sandbox lists for what `path` addresses (ARM's own: 2025-04-01)."""
    addressed = api_versions.addressed_type("/providers/{rest:path}", path.split("?")[0])
    provider = arm.catalog.provider(addressed[0]) if addressed else None
    entry = next((rt for rt in (provider or {}).get("resourceTypes", [])
                  if addressed and rt["resourceType"].lower() == addressed[1].lower()), None)
    return max(entry["apiVersions"]) if entry else "2025-04-01"


def call(arm: Arm, method: str, path: str, body: Any = None, **query: str) -> tuple[int, dict[str, str], Any]:
    """One raw request against an Arm; the body is decoded JSON (or None).

    Without an `api-version`, the newest the sandbox supports for the path (tests about versions,
    and contract tests, which send their example's, pass one).
    """
    query.setdefault("api-version", newest_version(arm, path))
    qs = "&".join(f"{k}={v}" for k, v in query.items())
    payload = json.dumps(body).encode() if body is not None else None
    status, headers, raw = arm.handle(method, f"{BASE}{path}?{qs}", AUTH, payload)
    return status, headers, json.loads(raw) if raw else None


class Sdk:
    """Builds real SDK clients wired to one sandbox through the in-process transport."""

    def __init__(self, arm: Arm) -> None:
        self.arm = arm
        self.transport = SandboxTransport(arm)
        self.credential = SandboxCredential()

    def client(self, cls: type, *args: Any, **kwargs: Any) -> Any:
        """`cls(credential, *args, transport=..., **kwargs)`."""
        return cls(self.credential, *args, transport=self.transport, **kwargs)


MANAGED_IDENTITY_ONLY = {
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
"""`DefaultAzureCredential` keyword arguments that leave only its managed identity credential."""


def loopback_server(monkeypatch: pytest.MonkeyPatch, arm: Arm) -> Iterator[SandboxServer]:
    """Serve `arm` on 127.0.0.1 with the environment pointing a managed identity credential at it.

    Azure and proxy variables of the machine running the tests are cleared first, so nothing
    but the sandbox can answer. For a fixture: `yield from loopback_server(monkeypatch, arm)`.
    """
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


@pytest.fixture
def arm() -> Arm:
    """A fresh seeded sandbox on a frozen clock."""
    return make_arm()


@pytest.fixture
def sdk(arm: Arm) -> Sdk:
    """SDK client factory over the `arm` fixture."""
    return Sdk(arm)


# --- comparing shapes ---------------------------------------------------------------------------


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


FREE_KEYS = {"tags", "parameters", "outputs", "userAssignedIdentities"}
"""Keys that hold free-form maps everywhere in ARM: compared by JSON type only."""


def shape_problems(
    expected: Any,
    actual: Any,
    path: str = "$",
    *,
    optional: frozenset[str] | set[str] = frozenset(),
    extra_ok: frozenset[str] | set[str] = frozenset(),
    free: frozenset[str] | set[str] = frozenset(),
) -> list[str]:
    """Differences in keys, JSON types and nesting between an example and the sandbox's answer.

    Paths use `[]` for list items: list items are compared with the example's first item.
    `optional`: example keys the sandbox may omit (optional in Azure, absent in this scenario).
    `extra_ok`: keys the sandbox may add (optional keys Azure also returns).
    `free`: free-form maps (e.g. model capabilities) compared by type only.
    """
    problems: list[str] = []
    if expected is None:
        return problems
    if _kind(expected) != _kind(actual):
        return [f"{path}: expected {_kind(expected)}, got {_kind(actual)} ({actual!r:.80})"]
    if path in free or path.rsplit(".", 1)[-1] in FREE_KEYS:
        return problems
    if isinstance(expected, dict):
        for key, value in expected.items():
            child = f"{path}.{key}"
            if key not in actual:
                if child not in optional:
                    problems.append(f"{child}: missing")
                continue
            problems += shape_problems(value, actual[key], child, optional=optional, extra_ok=extra_ok, free=free)
        for key in actual:
            if key not in expected and f"{path}.{key}" not in extra_ok:
                problems.append(f"{path}.{key}: not in the example")
    elif isinstance(expected, list) and expected:
        for item in actual:
            problems += shape_problems(expected[0], item, f"{path}[]", optional=optional, extra_ok=extra_ok, free=free)
    return problems


def assert_same_shape(expected: Any, actual: Any, **kwargs: Any) -> None:
    """Fail with every shape difference listed."""
    problems = shape_problems(expected, actual, **kwargs)
    assert not problems, "\n".join(problems)


def sdk_shape(value: Any) -> Any:
    """What an SDK model exposes: attribute name -> shape, for attributes that are set.

    Works for the new hybrid models (`_attr_to_rest_field`) and msrest models (`_attribute_map`).
    """
    fields = getattr(type(value), "_attr_to_rest_field", None)
    if fields is None and hasattr(value, "_attribute_map"):
        fields = value._attribute_map
    if fields is not None:
        out = {}
        for attr in fields:
            item = getattr(value, attr, None)
            if item is not None:
                out[attr] = sdk_shape(item)
        return out
    if isinstance(value, list):
        return [sdk_shape(value[0])] if value else []
    if isinstance(value, dict):
        return "map"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if hasattr(value, "isoformat"):
        return "datetime"
    return "string"


def assert_sdk_reads_alike(
    example_model: Any, sandbox_model: Any, optional: set[str] | frozenset[str] = frozenset()
) -> None:
    """Every attribute the SDK reads from the example it also reads from the sandbox, same type."""
    problems: list[str] = []

    def walk(exp: Any, act: Any, path: str) -> None:
        if isinstance(exp, dict):
            if not isinstance(act, dict):
                problems.append(f"{path}: expected a model, got {act!r}")
                return
            for key, value in exp.items():
                if key not in act:
                    if key not in optional:
                        problems.append(f"{path}.{key}: not read from the sandbox")
                    continue
                walk(value, act[key], f"{path}.{key}")
        elif isinstance(exp, list):
            if exp and act:
                walk(exp[0], act[0], f"{path}[]")
        elif exp != act:
            problems.append(f"{path}: {exp} vs {act}")

    walk(sdk_shape(example_model), sdk_shape(sandbox_model), "$")
    assert not problems, "\n".join(problems)
