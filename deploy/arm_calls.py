"""The ARM requests a deployment run makes, through the real SDK clients of an `AzureSession`.

Each function is one thing the runner asks Azure (submit, look up, poll, list operations,
cancel, register a provider) and answers in plain values, so the runner's scheduling reads
without SDK models. Every call goes through `sdk_models.prepared` (the SDK's models set
themselves up unsafely on first use from many threads) and the session's pipeline (its
credentials, retries with `Retry-After`, read budget and, in the demo, the sandbox transport).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from deploy.plan import Stage
from wizard.azure.sdk_models import prepared

DEPLOYMENTS_TYPE = "Microsoft.Resources/deployments"
FINGERPRINT_TAG = "aifactory-fingerprint"
"""The deployment tag holding the stage's fingerprint: Azure itself then says whether a deployment
of that name ran exactly this template (resume, and a second deploy of the same plan)."""
PORTAL = "https://portal.azure.com/#view/HubsExtension/DeploymentDetailsBlade/~/overview/id/"
TERMINAL = frozenset({"Succeeded", "Failed", "Canceled"})
_DURATION = re.compile(r"^P(?:T(?:(?P<h>[\d.]+)H)?(?:(?P<m>[\d.]+)M)?(?:(?P<s>[\d.]+)S)?)?$")


@dataclass(frozen=True, slots=True)
class Target:
    """A deployment to address: subscription, resource group (None at subscription scope), name."""

    subscription_id: str
    resource_group: str | None
    name: str

    @property
    def id(self) -> str:
        """Its ARM id."""
        scope = f"/subscriptions/{self.subscription_id}"
        if self.resource_group:
            scope += f"/resourceGroups/{self.resource_group}"
        return f"{scope}/providers/{DEPLOYMENTS_TYPE}/{self.name}"

    @classmethod
    def of(cls, stage: Stage) -> Target:
        """The stage's deployment."""
        return cls(stage.scope.subscription_id, stage.scope.resource_group, stage.deployment_name)

    @classmethod
    def parse(cls, resource_id: str) -> Target | None:
        """A deployment's ARM id (a nested deployment's operation target) as a Target."""
        parts = resource_id.strip("/").split("/")
        lowered = [p.lower() for p in parts]
        if len(parts) < 4 or lowered[0] != "subscriptions" or lowered[-2] != "deployments":
            return None
        group = parts[3] if len(parts) > 3 and lowered[2] == "resourcegroups" else None
        return cls(parts[1], group, parts[-1])


def portal_url(target: Target) -> str:
    """The deployment's page in the Azure portal."""
    return PORTAL + quote(target.id, safe="")


def seconds(duration: str | None) -> float:
    """ARM's ISO 8601 duration (`PT1M2.5S`) in seconds; 0 when absent or unreadable."""
    match = _DURATION.match(duration or "")
    if not match:
        return 0.0
    return sum(float(match.group(k) or 0) * f for k, f in (("h", 3600), ("m", 60), ("s", 1)))


def text(value: Any) -> str:
    """A model field as text: an SDK enum's value (`str()` of a str-enum gives its class name), or ""."""
    if value is None:
        return ""
    return str(getattr(value, "value", value))


def retry_after(headers: Any) -> float | None:
    """The `Retry-After` of an answer, in seconds, when it has one."""
    value = headers.get("Retry-After") if headers is not None else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Found:
    """A deployment as GET shows it."""

    state: str
    fingerprint: str
    error: Any = None


@dataclass(frozen=True, slots=True)
class Submitted:
    """What a submission's answer said: where to poll, and how soon."""

    operation_url: str
    retry_after: float | None


@dataclass(frozen=True, slots=True)
class Operation:
    """One deployment operation, as the runner reads it."""

    resource_type: str
    resource_name: str
    resource_id: str
    state: str
    elapsed: float
    status_code: str


class ArmCalls:
    """The requests of one run, on one session."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def _client(self, subscription_id: str) -> Any:
        return self.session.deployments(subscription_id)

    def find(self, target: Target) -> Found | None:
        """The deployment, or None when there is none by that name."""
        from azure.core.exceptions import ResourceNotFoundError

        client = self._client(target.subscription_id).deployments
        try:
            if target.resource_group:
                got = prepared(client.get)(target.resource_group, target.name)
            else:
                got = prepared(client.get_at_subscription_scope)(target.name)
        except ResourceNotFoundError:
            return None
        props = got.properties
        return Found(text(props.provisioning_state), text((got.tags or {}).get(FINGERPRINT_TAG)),
                     props.error)

    def submit(self, target: Target, stage: Stage, tags: dict[str, str]) -> Submitted:
        """PUT the deployment (`begin_create_or_update`), without the SDK's own polling: the runner
        polls, one status and one operations list per poll."""
        client = self._client(target.subscription_id).deployments
        body = {**stage.request_body(), "tags": {**tags, FINGERPRINT_TAG: stage.fingerprint}}

        def answer(pipeline_response: Any, deserialized: Any, headers: Any) -> Any:
            return pipeline_response.http_response.headers

        if target.resource_group:
            poller = prepared(client.begin_create_or_update)(target.resource_group, target.name, body,
                                                             polling=False, cls=answer)
        else:
            poller = prepared(client.begin_create_or_update_at_subscription_scope)(target.name, body,
                                                                                  polling=False, cls=answer)
        headers = poller.result()
        return Submitted(str(headers.get("Azure-AsyncOperation") or ""), retry_after(headers))

    def status(self, target: Target, operation_url: str) -> tuple[str, float | None]:
        """The deployment's state and the answer's `Retry-After`: from its `Azure-AsyncOperation`
        URL when known (as ARM asks clients to poll), else from the deployment itself."""
        if not operation_url:
            found = self.find(target)
            return (found.state if found else "NotFound"), None
        from azure.core.rest import HttpRequest

        response = self._client(target.subscription_id).send_request(HttpRequest("GET", operation_url))
        response.raise_for_status()
        return str(response.json().get("status", "Running")), retry_after(response.headers)

    def operations(self, target: Target) -> Iterator[Operation | Target]:
        """One operations list of the deployment: its resources, and the nested deployments it
        started (as Targets, to be listed in turn)."""
        ops = self._client(target.subscription_id).deployment_operations
        if target.resource_group:
            listing = prepared(ops.list)(target.resource_group, target.name)
        else:
            listing = prepared(ops.list_at_subscription_scope)(target.name)
        for op in listing:
            props = op.properties
            resource = props.target_resource if props is not None else None
            if resource is None or not resource.resource_type:
                continue  # EvaluateDeploymentOutput and the like: no resource
            if text(resource.resource_type).lower() == DEPLOYMENTS_TYPE.lower():
                nested = Target.parse(text(resource.id))
                if nested is not None:
                    yield nested
                continue
            yield Operation(text(resource.resource_type), text(resource.resource_name), text(resource.id),
                            text(props.provisioning_state), seconds(props.duration), text(props.status_code))

    def cancel(self, target: Target) -> None:
        """Ask ARM to cancel the deployment (already finished: nothing to do)."""
        from azure.core.exceptions import HttpResponseError

        client = self._client(target.subscription_id).deployments
        try:
            if target.resource_group:
                prepared(client.cancel)(target.resource_group, target.name)
            else:
                prepared(client.cancel_at_subscription_scope)(target.name)
        except HttpResponseError as exc:
            if exc.status_code != 409:  # 409: not Accepted/Running any more
                raise

    def provider_states(self, subscription_id: str) -> dict[str, str]:
        """Namespace (lower case) -> registration state, from one providers list."""
        providers = self.session.resources(subscription_id).providers
        return {text(p.namespace).lower(): text(p.registration_state) for p in prepared(providers.list)()}

    def register(self, subscription_id: str, namespace: str) -> str:
        """Ask Azure to register a provider; its state after asking."""
        providers = self.session.resources(subscription_id).providers
        return text(prepared(providers.register)(namespace).registration_state)

    def provider_state(self, subscription_id: str, namespace: str) -> str:
        """A provider's registration state now."""
        providers = self.session.resources(subscription_id).providers
        return text(prepared(providers.get)(namespace).registration_state)


def template_namespaces(template: dict[str, Any]) -> set[str]:
    """Provider namespaces of every resource in a template, nested deployments' templates included."""
    found: set[str] = set()
    stack = [template]
    while stack:
        current = stack.pop()
        resources = current.get("resources") or []
        items = resources.values() if isinstance(resources, dict) else resources
        for resource in items:
            if not isinstance(resource, dict):
                continue
            rtype = str(resource.get("type", ""))
            if rtype.lower() == DEPLOYMENTS_TYPE.lower():
                inner = (resource.get("properties") or {}).get("template")
                if isinstance(inner, dict):
                    stack.append(inner)
            elif "/" in rtype:
                found.add(rtype.split("/")[0])
    return found


def vnets_written(stage: Stage) -> set[str]:
    """Virtual networks (`sub/group/name`, lower case) whose subnets or body the stage writes: ARM's
    network provider refuses a second writer of one VNet (`AnotherOperationInProgress`), so the
    runner never runs two such stages at once."""
    found: set[str] = set()
    stack = [(stage.template, stage.scope.subscription_id, stage.scope.resource_group or "")]
    while stack:
        template, sub, group = stack.pop()
        resources = template.get("resources") or []
        for resource in resources.values() if isinstance(resources, dict) else resources:
            if not isinstance(resource, dict):
                continue
            rtype, name = str(resource.get("type", "")).lower(), str(resource.get("name", ""))
            if rtype == DEPLOYMENTS_TYPE.lower():
                inner = (resource.get("properties") or {}).get("template")
                if isinstance(inner, dict):
                    stack.append((inner, str(resource.get("subscriptionId") or sub),
                                  str(resource.get("resourceGroup") or group)))
            elif rtype in ("microsoft.network/virtualnetworks", "microsoft.network/virtualnetworks/subnets"):
                found.add(f"{sub}/{group}/{name.split('/')[0]}".lower())
    return found
