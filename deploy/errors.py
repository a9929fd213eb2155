"""ARM errors a deployment meets, classified so the runner knows what to do and a person knows why.

ARM wraps the cause: `DeploymentFailed` holds per failed operation either the provider's own
error or a `ResourceDeploymentFailure` around it, and a failed nested deployment adds another
`DeploymentFailed` level (arm-sandbox.md §5). The HTTP status says little (a quota failure is a
409 like a name conflict) and the depth varies, so the class comes from the codes at the leaves
of the error tree, never from the status or a fixed path. Each class carries what the runner
does (retry with backoff, register a provider with consent, or stop the branch) and what the
person reads: an explanation and a `Finding` with its typed `fix`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from wizard.findings import Finding, Fix, OpenLink, RegisterProvider, RunCommand, SetField

ErrorClass = Literal["transient", "quota", "registration", "permission", "policy", "conflict", "template", "other"]
"""What kind of failure it is; `StageFinished.error_class` carries it."""

WRAPPERS = frozenset({"deploymentfailed", "resourcedeploymentfailure", "conflict", "badrequest",
                      "invalidtemplatedeployment", "multipleerrorsoccurred"})
"""Codes that only say "something inside failed": their details hold the cause. A wrapper
without details is still classified (`InvalidTemplateDeployment` alone is a template error)."""

CLASSES: dict[str, ErrorClass] = {
    **dict.fromkeys(("toomanyrequests", "internalservererror", "serviceunavailable", "gatewaytimeout",
                     "badgateway", "anotheroperationinprogress", "retryableerror", "operationtimedout",
                     "resourcegroupbeingdeleted", "deploymentactive", "principalnotfound",
                     "expiredauthenticationtoken"), "transient"),
    **dict.fromkeys(("insufficientquota", "quotaexceeded", "subscriptionisoverquotaforsku", "skunotavailable",
                     "allocationfailed", "zonalallocationfailed", "locationnotavailableforresourcetype",
                     "operationnotallowed", "servicequotaexceeded"), "quota"),
    **dict.fromkeys(("missingsubscriptionregistration", "noregisteredproviderfound"), "registration"),
    **dict.fromkeys(("authorizationfailed", "linkedauthorizationfailed", "forbidden"), "permission"),
    **dict.fromkeys(("requestdisallowedbypolicy",), "policy"),
    **dict.fromkeys(("storageaccountalreadytaken", "vaultalreadyexists", "conflicterror", "flagmustbesetforrestore",
                     "roleassignmentexists", "accountnameinvalid", "namealreadyexists"), "conflict"),
    **dict.fromkeys(("invalidtemplate", "invalidtemplatedeployment", "invalidrequestcontent",
                     "invalidresourcetype", "noregisteredproviderfoundforapiversion", "invalidparameter",
                     "linkedinvalidpropertyid", "invalidresourcereference", "deploymentquotaexceeded"), "template"),
}
"""Leaf code (lower case) -> class (arm-sandbox.md §5 and the codes the sandbox answers)."""

PRECEDENCE: tuple[ErrorClass, ...] = ("registration", "quota", "policy", "permission", "conflict", "template",
                                      "other", "transient")
"""When leaves disagree, the class that decides: a failure with any lasting cause is not retried
as transient (a deployment whose search service hit quota while a subnet was throttled stops)."""

QUOTA_LINK = "https://portal.azure.com/#view/Microsoft_Azure_Capacity/QuotaMenuBlade/~/myQuotas"
POLICY_LINK = "https://portal.azure.com/#view/Microsoft_Azure_Policy/PolicyMenuBlade/~/Compliance"
RBAC_LINK = "https://learn.microsoft.com/azure/role-based-access-control/troubleshooting"
TEMPLATE_LINK = "https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/common-deployment-errors"

_NAMESPACE = re.compile(r"namespace '([A-Za-z0-9.]+)'", re.IGNORECASE)
_TYPE = re.compile(r"type '([A-Za-z0-9.]+/[A-Za-z0-9./]+)'", re.IGNORECASE)
_QUOTED = re.compile(r"'([^']{1,120})'")


@dataclass(frozen=True, slots=True)
class ArmErrorNode:
    """One ARM error object (`{code, message, target, details}`), whatever it came from."""

    code: str
    message: str = ""
    target: str = ""
    details: tuple[ArmErrorNode, ...] = ()

    def leaves(self) -> Iterator[ArmErrorNode]:
        """The causes: errors without details, walked to any depth (a wrapper's own node when it
        has none)."""
        stack: list[ArmErrorNode] = [self]
        while stack:
            node = stack.pop(0)
            if node.details:
                stack[:0] = list(node.details)
            else:
                yield node


def error_tree(error: Any, depth: int = 0) -> ArmErrorNode:
    """An ARM error as a tree, from a JSON dict, an SDK model (`ErrorResponse`, hybrid models are
    mappings) or azure-core's `ODataV4Format` (`HttpResponseError.error`)."""
    if depth > 32:  # ARM nests a few levels; a deeper tree is cut rather than walked forever
        return ArmErrorNode("Truncated", "the error nests too deeply to show")
    if isinstance(error, Mapping):
        inner = error.get("error")
        if isinstance(inner, Mapping) and "code" not in error:
            return error_tree(inner, depth + 1)
        details = error.get("details") or ()
        return ArmErrorNode(str(error.get("code") or ""), str(error.get("message") or ""),
                            str(error.get("target") or ""),
                            tuple(error_tree(d, depth + 1) for d in details if d is not None))
    details = getattr(error, "details", None) or ()
    return ArmErrorNode(str(getattr(error, "code", "") or ""), str(getattr(error, "message", "") or ""),
                        str(getattr(error, "target", "") or ""),
                        tuple(error_tree(d, depth + 1) for d in details if d is not None))


def class_of(code: str) -> ErrorClass | None:
    """The class of one code, or None when the code is a wrapper or unknown."""
    return CLASSES.get(code.lower())


@dataclass(frozen=True, slots=True)
class Classified:
    """What a failure is, why, and what to do about it."""

    error_class: ErrorClass
    cause: ArmErrorNode
    """The leaf that decided the class."""
    explanation: str
    """What happened, in words a person reads."""
    retryable: bool
    """The runner retries it with backoff (transient only)."""
    namespaces: tuple[str, ...] = ()
    """Provider namespaces to register (registration only)."""

    def finding(self, *, stage_title: str, environment: str, subscription_id: str, scope_id: str,
                suffix: tuple[str, str] | None = None) -> Finding:
        """The failure as a Finding with the fix each front end renders its own way; `suffix` is the
        stage's resource-suffix field and its value (a taken name is fixed by the next suffix)."""
        hint, fix = _remedy(self, subscription_id, scope_id, suffix)
        message = f"{stage_title}: {self.explanation} ({self.cause.code}: {_first_line(self.cause.message)})"
        return Finding("error", f"AIF-DEPLOY-{self.error_class.upper()}", message, hint,
                       environment=environment, check="deploy", fix=fix)


def classify(error: Any) -> Classified:
    """Classify an ARM error (any shape `error_tree` reads) by the codes at its leaves."""
    tree = error if isinstance(error, ArmErrorNode) else error_tree(error)
    leaves = tuple(tree.leaves())
    found: dict[ErrorClass, ArmErrorNode] = {}
    for leaf in leaves:
        kind = class_of(leaf.code)
        if kind is None and leaf.code.lower() not in WRAPPERS:
            kind = "other"
        if kind is not None:
            found.setdefault(kind, leaf)
    if not found:  # only wrappers without details: the outermost code says what it can
        found["other"] = leaves[0] if leaves else tree
    chosen = next(kind for kind in PRECEDENCE if kind in found)
    cause = found[chosen]
    namespaces = tuple(sorted({ns for leaf in leaves if class_of(leaf.code) == "registration"
                               for ns in _namespaces(leaf)}))
    return Classified(chosen, cause, _explain(chosen, cause), chosen == "transient", namespaces)


def _namespaces(leaf: ArmErrorNode) -> list[str]:
    found = _NAMESPACE.findall(leaf.message)
    if not found:
        found = [t.split("/")[0] for t in _TYPE.findall(leaf.message)]
    if not found and leaf.target and "." in leaf.target and "/" not in leaf.target:
        found = [leaf.target]
    return found


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= 300 else line[:297] + "..."


def _explain(kind: ErrorClass, cause: ArmErrorNode) -> str:
    what = _TYPE.search(cause.message)
    resource = f" for {what.group(1)}" if what else ""
    if kind == "quota":
        return f"Azure has no quota or capacity left{resource} in this subscription and region"
    if kind == "registration":
        return "a resource provider the stage needs is not registered in the subscription"
    if kind == "permission":
        return "the signed-in identity may not do what the stage needs"
    if kind == "policy":
        return "an Azure Policy assignment refused a resource of the stage"
    if kind == "conflict":
        quoted = _QUOTED.search(cause.message)
        name = f" '{quoted.group(1)}'" if quoted else ""
        return f"a name{name} is taken, or held by a soft-deleted resource"
    if kind == "template":
        return "Azure refused the stage's template"
    if kind == "transient":
        return "Azure failed for a passing reason (throttling, a busy resource, a server error)"
    return "the deployment failed"


def next_suffix(suffix: str) -> str | None:
    """The resource suffix after `suffix` (`-001` -> `-002`), None after `-999` or for another form."""
    digits = suffix[1:]
    if not (suffix.startswith("-") and len(digits) == 3 and digits.isdigit()) or digits == "999":
        return None
    return f"-{int(digits) + 1:03d}"


def _remedy(found: Classified, subscription_id: str, scope_id: str,
            suffix: tuple[str, str] | None = None) -> tuple[str, Fix | None]:
    kind, cause = found.error_class, found.cause
    if kind == "quota":
        return ("request more quota for this resource type and region (or pick another SKU or region), "
                "then retry the stage", OpenLink(QUOTA_LINK))
    if kind == "registration":
        namespace = found.namespaces[0] if found.namespaces else ""
        command = f"az provider register --namespace {namespace} --subscription {subscription_id}"
        if namespace:
            return (f"register {namespace} (you may consent in the deployment, or run: {command}), "
                    "then retry the stage", RegisterProvider(subscription_id, namespace))
        return "register the provider the message names, then retry the stage", None
    if kind == "permission":
        return ("ask for Owner (or Contributor plus User Access Administrator) on the scope "
                f"{scope_id}, then retry the stage", OpenLink(RBAC_LINK))
    if kind == "policy":
        return ("ask the policy owner for an exemption, or change the setting the policy denies, "
                "then retry the stage", OpenLink(POLICY_LINK))
    if kind == "conflict":
        vault = _QUOTED.search(cause.message)
        if vault and ("vault" in cause.message.lower() or cause.code.lower() == "vaultalreadyexists"):
            return ("purge the soft-deleted vault (or recover it), or change the salt so names differ; "
                    "then retry the stage", RunCommand(f"az keyvault purge --name {vault.group(1)}"))
        bumped = next_suffix(suffix[1]) if suffix is not None else None
        if suffix is not None and bumped is not None:  # the AI Factory's own way to re-create under new names
            return (f"set {suffix[0]} to {bumped} so the names differ (or remove what holds the name), then "
                    "deploy again", SetField(suffix[0], bumped))
        return ("change the name (a different salt in naming) or remove what holds it, then retry the stage",
                None)
    if kind == "template":
        return ("this is a problem in the generated template: export it (aifactory export --format arm) "
                "and report it", OpenLink(TEMPLATE_LINK))
    if kind == "transient":
        return "retry the stage; if it keeps failing, check Azure's status page", None
    return "read the cause in the deployment's operations (portal link), fix it, then retry the stage", \
        OpenLink(TEMPLATE_LINK)
