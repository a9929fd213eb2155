"""Steps 100 and 101 (08-rbac-security.bicep, 08b-rbac-common-rg.bicep): who may use a project.

The project's members (Entra groups, or users without USE_AD_GROUPS) and its managed identity get
data-plane roles on the project's resource group, by the services switched on; on the common
group the members get Reader and the identity AcrPull on the shared registry. Each assignment's
name is ARM's `guid(scope, principal, role)`, so a second run writes the same assignments again
instead of adding new ones (RoleAssignmentExists). The identity's principal id exists only once
step 61 ran, so it is the one value read at deployment time (`reference()`).
"""

from __future__ import annotations

from typing import Any

from deploy.templates.arm import Expr, resource, rid, template
from deploy.templates.context import EnvContext
from wizard import catalog, naming
from wizard.model import ProjectConfig
from wizard.unique_string import guid

ASSIGNMENT = "Microsoft.Authorization/roleAssignments"
MI = "Microsoft.ManagedIdentity/userAssignedIdentities"

ROLES: dict[str, str] = {
    "Reader": "acdd72a7-3385-48ef-bd42-f606fba81ae7",
    "Storage Blob Data Contributor": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
    "Key Vault Secrets User": "4633458b-17de-408a-b874-0445c86b69e6",
    "Azure AI Developer": "64702f94-c441-49e6-a78b-ef80e0188fee",
    "Cognitive Services OpenAI User": "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd",
    "Search Index Data Contributor": "8ebe5a00-799e-43f5-93ac-243d3dce84a7",
    "AzureML Data Scientist": "f6c7c914-8db3-469d-8ca1-694a8f32e121",
    "AcrPull": "7f951dda-4ed3-4680-a7ca-43fe172d538d",
}
"""Built-in role names -> their role definition ids (the same in every tenant)."""

_AI = ("ai_foundry", "azure_openai", "vision", "speech", "document_intelligence", "content_safety")


def _service_roles(services: list[str]) -> list[str]:
    roles = ["Storage Blob Data Contributor", "Key Vault Secrets User"]
    if set(_AI) & set(services):
        roles += ["Cognitive Services OpenAI User"]
    if "ai_search" in services:
        roles.append("Search Index Data Contributor")
    return roles


def _member_roles(services: list[str]) -> list[str]:
    roles = ["Reader", *_service_roles(services)]
    if "ai_foundry" in services:
        roles.append("Azure AI Developer")
    if "azure_ml" in services:
        roles.append("AzureML Data Scientist")
    return roles


def _assignment(ctx: EnvContext, scope: str, principal: str, key: str, principal_type: str,
                role: str) -> dict[str, Any]:
    role_id = f"/subscriptions/{ctx.subscription}/providers/Microsoft.Authorization/roleDefinitions/{ROLES[role]}"
    return resource(ASSIGNMENT, guid(scope, key, ROLES[role]), properties={
        "roleDefinitionId": role_id, "principalId": principal, "principalType": principal_type,
        "description": f"AI Factory: {role}"})


def _principals(ctx: EnvContext, project: ProjectConfig) -> tuple[list[tuple[str, str, str]], tuple[str, str, str]]:
    """(principal id, key for the assignment's name, principal type) of the members, and of the identity."""
    kind = "Group" if ctx.config.identity.use_ad_groups else "User"
    members = [(member, member, kind) for member in project.members]
    rg = naming.project_resource_group(ctx.config, ctx.env, project.number)
    identity = naming.managed_identity(ctx.config, ctx.env, project.number)
    identity_id = rid(ctx.subscription, rg, MI, identity)
    principal = Expr(f"[reference('{identity_id}', '2024-11-30').principalId]")
    return members, (principal, identity_id, "ServicePrincipal")


def project_group(ctx: EnvContext, project: ProjectConfig) -> dict[str, Any]:
    """Step 100: roles on the project's resource group."""
    services = catalog.active_services(ctx.config.project_services(project))
    rg = naming.project_resource_group(ctx.config, ctx.env, project.number)
    scope = f"/subscriptions/{ctx.subscription}/resourceGroups/{rg}"
    members, identity = _principals(ctx, project)
    out = [_assignment(ctx, scope, *member, role) for member in members for role in _member_roles(services)]
    out += [_assignment(ctx, scope, *identity, role) for role in _service_roles(services)]
    return template(out)


def common_group(ctx: EnvContext, project: ProjectConfig) -> dict[str, Any]:
    """Step 101: Reader on the common group for the members, AcrPull for the identity."""
    scope = f"/subscriptions/{ctx.subscription}/resourceGroups/{ctx.common_rg}"
    members, identity = _principals(ctx, project)
    out = [_assignment(ctx, scope, *member, "Reader") for member in members]
    out.append(_assignment(ctx, scope, *identity, "AcrPull"))
    return template(out)
