"""Name checks and soft-deleted resources (arm-sandbox.md row 18, plus registry and Cognitive
Services deleted accounts), and purging a soft-deleted vault (a long-running operation at Key
Vault's location-scoped path, as ARM serves it).

Answers follow the official examples (`{nameAvailable, reason, message}`, the `deletedVaults`
list); the facts come from `sandbox.names`, which resource creation consults too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox import durations, names
from sandbox.paging import page
from sandbox.routing import read_only
from sandbox.wire import ArmError, Reply, Request

if TYPE_CHECKING:
    from sandbox.arm import Arm


def _name_from(request: Request) -> str:
    body = request.json()
    if not isinstance(body, dict) or not isinstance(body.get("name"), str):
        raise ArmError(400, "InvalidRequestContent", "The request content must name the resource: {\"name\": ...}.")
    return str(body["name"])


def _unavailable(reason: str, message: str) -> Reply:
    """A checkNameAvailability answer for a name that cannot be used."""
    return Reply(200, {"nameAvailable": False, "reason": reason, "message": message})


@read_only
def check_storage(arm: Arm, request: Request, sub: str) -> Reply:
    """POST /subscriptions/{s}/providers/Microsoft.Storage/checkNameAvailability."""
    arm.subscription(sub)
    name = _name_from(request)
    problem = names.storage_name_problem(name)
    if problem:
        return _unavailable("AccountNameInvalid", problem)
    if names.taken(arm, "storage", name):
        return _unavailable("AlreadyExists", f"The storage account named {name} is already taken.")
    return Reply(200, {"nameAvailable": True})


@read_only
def check_vault(arm: Arm, request: Request, sub: str) -> Reply:
    """POST /subscriptions/{s}/providers/Microsoft.KeyVault/checkNameAvailability."""
    arm.subscription(sub)
    name = _name_from(request)
    problem = names.vault_name_problem(name)
    if problem:
        return _unavailable("AccountNameInvalid", problem)
    if names.taken(arm, "vault", name) or names.soft_deleted_vault(arm, name) is not None:
        return _unavailable(
            "AlreadyExists",
            f"The vault name '{name}' is already in use. Vault names are globally "
            "unique so it is possible that the name is already taken. If you are sure that the "
            "vault name was not taken then it is possible that a vault with the same name was "
            "recently deleted but not purged after being placed in a recoverable state. If the "
            "vault is in a recoverable state then the vault will need to be explicitly purged "
            "before reusing the name. For more information on VaultAlreadyExists, soft delete "
            "and purging a vault follow this link https://go.microsoft.com/fwlink/?linkid=2147740.",
        )
    return Reply(200, {"nameAvailable": True})


@read_only
def check_registry(arm: Arm, request: Request, sub: str) -> Reply:
    """POST /subscriptions/{s}/providers/Microsoft.ContainerRegistry/checkNameAvailability."""
    arm.subscription(sub)
    name = _name_from(request)
    problem = names.registry_name_problem(name)
    if problem:
        return _unavailable("Invalid", problem)
    if names.taken(arm, "registry", name):
        return _unavailable("AlreadyExists", f"The registry {name} is already in use.")
    return Reply(200, {"nameAvailable": True})


def render_deleted_vault(vault: dict[str, Any]) -> dict[str, Any]:
    """A soft-deleted vault as `GET .../deletedVaults` lists it."""
    sub = vault["subscription"]
    return {
        "id": f"/subscriptions/{sub}/providers/Microsoft.KeyVault/locations/{vault['location']}"
        f"/deletedVaults/{vault['name']}",
        "name": vault["name"],
        "type": "Microsoft.KeyVault/deletedVaults",
        "properties": {
            "vaultId": f"/subscriptions/{sub}/resourceGroups/{vault['resource_group']}/providers/"
            f"Microsoft.KeyVault/vaults/{vault['name']}",
            "location": vault["location"],
            "deletionDate": vault["deletion_date"],
            "scheduledPurgeDate": vault["scheduled_purge_date"],
            "tags": {},
            "purgeProtectionEnabled": bool(vault["purge_protection"]),
        },
    }


def _vaults_of(arm: Arm, sub_id: str) -> list[dict[str, Any]]:
    return [v for v in names.deleted_vaults(arm) if v["subscription"].lower() == sub_id.lower()]


def list_deleted_vaults(arm: Arm, request: Request, sub: str) -> Reply:
    """GET /subscriptions/{s}/providers/Microsoft.KeyVault/deletedVaults."""
    sub_id = arm.subscription(sub)["subscriptionId"]
    items = [render_deleted_vault(v) for v in _vaults_of(arm, sub_id)]
    return page(request, items, arm.page_size)


def _deleted_vault(arm: Arm, sub_id: str, loc: str, name: str) -> dict[str, Any]:
    region = arm.catalog.region(loc)
    wanted = region["name"] if region else loc.lower()
    for vault in _vaults_of(arm, sub_id):
        if vault["name"].lower() == name.lower() and vault["location"].replace(" ", "").lower() == wanted:
            return vault
    raise ArmError(404, "ResourceNotFound", f"The deleted vault '{name}' could not be found in location '{loc}'.")


def get_deleted_vault(arm: Arm, request: Request, sub: str, loc: str, name: str) -> Reply:
    """GET /subscriptions/{s}/providers/Microsoft.KeyVault/locations/{l}/deletedVaults/{name}."""
    sub_id = arm.subscription(sub)["subscriptionId"]
    return Reply(200, render_deleted_vault(_deleted_vault(arm, sub_id, loc, name)))


def purge_deleted_vault(arm: Arm, request: Request, sub: str, loc: str, name: str) -> Reply:
    """POST .../Microsoft.KeyVault/locations/{l}/deletedVaults/{name}/purge: 202 + Location, a
    long-running operation; the vault leaves the deleted list (and frees its name) when it ends.
    A vault with purge protection cannot be purged: 405 `MethodNotAllowed`, as Key Vault answers."""
    sub_id = arm.subscription(sub, write=True)["subscriptionId"]
    vault = _deleted_vault(arm, sub_id, loc, name)
    if vault["purge_protection"]:
        raise ArmError(405, "MethodNotAllowed", "Operation 'DeletedVaultPurge' is not allowed.")
    if "purging" not in vault:
        op_id = arm.new_id("operation").replace("-", "").upper()
        vault["purging"] = op_id
        arm.world.operations[op_id] = {"kind": "vault-purge", "subscription": sub_id, "name": vault["name"],
                                       "location": vault["location"],
                                       "done_at": arm.now() + arm.clock.scaled(durations.PURGE_SECONDS)}
    return Reply(202, None, _purge_headers(arm, request, sub_id, vault["location"], vault["purging"]))


def _purge_headers(arm: Arm, request: Request, sub_id: str, location: str, op_id: str) -> dict[str, str]:
    url = request.url_for(f"/subscriptions/{sub_id}/providers/Microsoft.KeyVault/locations/{location}/"
                          f"operationResults/{op_id}", **{"api-version": request.api_version or ""})
    return {"Location": url, "Retry-After": arm.retry_after()}


def vault_operation_result(arm: Arm, request: Request, sub: str, loc: str, op: str) -> Reply:
    """GET .../Microsoft.KeyVault/locations/{l}/operationResults/{id}: 202 while a purge runs, then 200."""
    sub_id = arm.subscription(sub)["subscriptionId"]
    record = arm.world.operations.get(op.upper())
    if record is None or record.get("kind") != "vault-purge":
        raise ArmError(404, "OperationNotFound", f"The operation '{op}' could not be found.")
    if arm.now() < record["done_at"]:
        return Reply(202, None, _purge_headers(arm, request, sub_id, record["location"], op.upper()))
    return Reply(200)


def advance_purges(arm: Arm, now: float) -> None:
    """Finish the purges whose time has come: the vault leaves the deleted list for good."""
    for op in arm.world.operations.values():
        if op.get("kind") != "vault-purge" or op.get("applied") or op["done_at"] > now:
            continue
        op["applied"] = True
        arm.world.deleted_vaults = [
            v for v in arm.world.deleted_vaults
            if not (v["name"].lower() == op["name"].lower() and v["subscription"].lower() == op["subscription"].lower())
        ]


def render_deleted_account(account: dict[str, Any]) -> dict[str, Any]:
    """A soft-deleted Cognitive Services account as `GET .../deletedAccounts` lists it."""
    sub = account["subscription"]
    return {
        "id": f"/subscriptions/{sub}/providers/Microsoft.CognitiveServices/locations/"
        f"{account['location']}/resourceGroups/{account['resource_group']}/deletedAccounts/{account['name']}",
        "name": account["name"],
        "type": "Microsoft.CognitiveServices/accounts",
        "location": account["location"],
        "kind": account["kind"],
        "sku": {"name": "S0"},
        "properties": {
            "provisioningState": "Succeeded",
            "deletionDate": account["deletion_date"],
            "scheduledPurgeDate": account["scheduled_purge_date"],
            "endpoint": f"https://{account['name']}.cognitiveservices.azure.com/",
        },
    }


def list_deleted_accounts(arm: Arm, request: Request, sub: str) -> Reply:
    """GET /subscriptions/{s}/providers/Microsoft.CognitiveServices/deletedAccounts."""
    sub_id = arm.subscription(sub)["subscriptionId"]
    items = [
        render_deleted_account(a)
        for a in arm.catalog.deleted_accounts
        if a["subscription"].lower() == sub_id.lower()
    ]
    return page(request, items, arm.page_size)


ROUTES = [
    ("POST", "/subscriptions/{sub}/providers/Microsoft.Storage/checkNameAvailability", check_storage),
    ("POST", "/subscriptions/{sub}/providers/Microsoft.KeyVault/checkNameAvailability", check_vault),
    ("POST", "/subscriptions/{sub}/providers/Microsoft.ContainerRegistry/checkNameAvailability",
     check_registry),
    ("GET", "/subscriptions/{sub}/providers/Microsoft.KeyVault/deletedVaults", list_deleted_vaults),
    ("GET", "/subscriptions/{sub}/providers/Microsoft.KeyVault/locations/{loc}/deletedVaults/{name}",
     get_deleted_vault),
    ("POST", "/subscriptions/{sub}/providers/Microsoft.KeyVault/locations/{loc}/deletedVaults/{name}/purge",
     purge_deleted_vault),
    ("GET", "/subscriptions/{sub}/providers/Microsoft.KeyVault/locations/{loc}/operationResults/{op}",
     vault_operation_result),
    ("GET", "/subscriptions/{sub}/providers/Microsoft.CognitiveServices/deletedAccounts",
     list_deleted_accounts),
]
