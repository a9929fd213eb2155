"""Globally unique names: the rules ARM enforces, and who already holds a name.

Storage accounts, Key Vaults and container registries share one namespace across all of Azure.
A name can be taken outside the tenant (the seed's `TAKEN_*_NAMES`), by a live resource in the
sandbox, or, for Key Vault, by a soft-deleted vault. Both the name-check endpoints and resource
creation (direct PUT or deployment) consult this module, so they agree.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from sandbox.clock import iso_seconds
from sandbox.resources import parse_id, type_of
from sandbox.wire import ArmError

if TYPE_CHECKING:
    from sandbox.arm import Arm

STORAGE = "microsoft.storage/storageaccounts"
VAULT = "microsoft.keyvault/vaults"
REGISTRY = "microsoft.containerregistry/registries"


def storage_name_problem(name: str) -> str | None:
    """Why a storage account name is invalid, or None."""
    if not re.fullmatch(r"[a-z0-9]{3,24}", name):
        return (
            f"{name} is not a valid storage account name. Storage account name must be between 3 "
            "and 24 characters in length and use numbers and lower-case letters only."
        )
    return None


def vault_name_problem(name: str) -> str | None:
    """Why a Key Vault name is invalid, or None."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]", name) or "--" in name:
        return (
            f"The vault name '{name}' is invalid. A vault's name must be between 3-24 "
            "alphanumeric characters. The name must begin with a letter, end with a letter or "
            "digit, and not contain consecutive hyphens."
        )
    return None


def registry_name_problem(name: str) -> str | None:
    """Why a container registry name is invalid, or None."""
    if not re.fullmatch(r"[A-Za-z0-9]{5,50}", name):
        return "The specified resource name must be 5-50 alphanumeric characters."
    return None


def live_names(arm: Arm, resource_type: str) -> set[str]:
    """Names held by live resources of a type anywhere in the sandbox (lower case)."""
    wanted = resource_type.lower()
    return {
        r["name"].lower()
        for r in arm.world.resources.values()
        if str(r.get("type", "")).lower() == wanted
    }


def deleted_vaults(arm: Arm) -> list[dict[str, Any]]:
    """Soft-deleted vaults: the seed's and those deleted since, less those purged or recovered."""
    return list(arm.world.deleted_vaults)


def taken(arm: Arm, kind: str, name: str) -> bool:
    """Is a globally unique name held by anyone (catalogue or live resource)?"""
    lowered = name.lower()
    resource_type = {"storage": STORAGE, "vault": VAULT, "registry": REGISTRY}[kind]
    return lowered in arm.catalog.taken_names.get(kind, []) or lowered in live_names(arm, resource_type)


def soft_delete(arm: Arm, resource: dict[str, Any], now: float) -> None:
    """A deleted Key Vault is kept in the deleted list for 90 days: its name stays blocked (as in
    Azure) until it is purged or recovered."""
    if str(resource.get("type", "")).lower() != VAULT:
        return
    parsed = parse_id(resource["id"])
    arm.world.deleted_vaults.append({
        "name": resource["name"],
        "location": resource.get("location", ""),
        "subscription": parsed["subscription"],
        "resource_group": parsed["resource_group"],
        "deletion_date": iso_seconds(now),
        "scheduled_purge_date": iso_seconds(now + 90 * 86400),
        "purge_protection": bool((resource.get("properties") or {}).get("enablePurgeProtection")),
    })


def recover(arm: Arm, resource_id: str, body: dict[str, Any]) -> None:
    """A vault written with `createMode: recover` leaves the deleted list (it is live again)."""
    properties = body.get("properties")
    if type_of(resource_id).lower() != VAULT or not isinstance(properties, dict):
        return
    if str(properties.get("createMode", "")).lower() != "recover":
        return
    name = parse_id(resource_id)["names"][-1].lower()
    arm.world.deleted_vaults = [v for v in arm.world.deleted_vaults if v["name"].lower() != name]


def soft_deleted_vault(arm: Arm, name: str) -> dict[str, Any] | None:
    """The soft-deleted vault holding this name, if any."""
    for vault in deleted_vaults(arm):
        if vault["name"].lower() == name.lower():
            return vault
    return None


def creation_conflict(arm: Arm, resource_id: str, body: dict[str, Any]) -> ArmError | None:
    """The error ARM gives when creating this resource would clash with a taken name."""
    rtype = type_of(resource_id).lower()
    name = parse_id(resource_id)["names"][-1] if parse_id(resource_id)["names"] else ""
    exists = resource_id.lower() in arm.world.resources
    if rtype == STORAGE:
        problem = storage_name_problem(name)
        if problem:
            return ArmError(400, "AccountNameInvalid", problem)
        if not exists and taken(arm, "storage", name):
            return ArmError(
                409,
                "StorageAccountAlreadyTaken",
                f"The storage account named {name} is already taken.",
            )
    elif rtype == VAULT:
        problem = vault_name_problem(name)
        if problem:
            return ArmError(400, "VaultNameNotValid", problem)
        properties = body.get("properties")
        create_mode = str(properties.get("createMode", "default") if isinstance(properties, dict) else "").lower()
        deleted = soft_deleted_vault(arm, name)
        if deleted is not None and create_mode != "recover":
            return ArmError(
                409,
                "ConflictError",
                f"A vault with the same name already exists in deleted state. You need to either "
                f"recover or purge existing key vault. Follow this link https://go.microsoft.com/"
                f"fwlink/?linkid=2149745 for more information on soft delete. (vault '{name}' in "
                f"{deleted['location']})",
            )
        if not exists and taken(arm, "vault", name):
            return ArmError(
                409,
                "VaultAlreadyExists",
                f"The vault name '{name}' is already in use. Vault names are globally unique so "
                "it is possible that the name is already taken.",
            )
    elif rtype == REGISTRY:
        problem = registry_name_problem(name)
        if problem:
            return ArmError(400, "InvalidResourceName", problem)
        if not exists and taken(arm, "registry", name):
            return ArmError(
                409,
                "AlreadyInUse",
                f"The registry DNS name {name.lower()}.azurecr.io is already in use. You can check "
                "if the name is already claimed using following API: "
                "https://docs.microsoft.com/en-us/rest/api/containerregistry/registries/checknameavailability",
            )
    return None
