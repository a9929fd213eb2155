"""How long ARM work takes, per resource type, in the proportions Azure shows.

A Key Vault or a subnet is written in seconds, a private endpoint in about a minute, AI Search,
Cosmos DB, Bastion and AKS in minutes. The runner's ETA, its parallelism and a cancel that arrives
while work is still in flight all depend on these proportions, so they follow what Azure's own
deployment operations report (typical durations, not worst cases). The clock's speed factor
divides them (`SandboxClock.scaled`), so the demo keeps the proportions and loses the waiting.

Every duration carries jitter of up to a quarter either way, drawn from a hash of the fault plan's
seed and the operation, so the same seed and the same requests give the same timeline (in every
process) while two runs of one template do not move in lock-step.
"""

from __future__ import annotations

import hashlib

DEFAULT_SECONDS = 15.0
"""A resource type missing from `DURATIONS`."""
JITTER = 0.25
"""Durations vary by up to this fraction either way."""

#: Typical seconds to create one resource, by type (lower case).
DURATIONS: dict[str, float] = {
    "microsoft.resources/resourcegroups": 2,
    "microsoft.network/virtualnetworks": 12,
    "microsoft.network/virtualnetworks/subnets": 8,
    "microsoft.network/virtualnetworks/virtualnetworkpeerings": 20,
    "microsoft.network/networksecuritygroups": 10,
    "microsoft.network/routetables": 8,
    "microsoft.network/privateendpoints": 75,
    "microsoft.network/privateendpoints/privatednszonegroups": 15,
    "microsoft.network/privatednszones": 50,
    "microsoft.network/privatednszones/virtualnetworklinks": 45,
    "microsoft.network/publicipaddresses": 6,
    "microsoft.network/bastionhosts": 420,
    "microsoft.network/virtualhubs/hubvirtualnetworkconnections": 150,
    "microsoft.storage/storageaccounts": 30,
    "microsoft.storage/storageaccounts/blobservices/containers": 3,
    "microsoft.keyvault/vaults": 20,
    "microsoft.cognitiveservices/accounts": 45,
    "microsoft.cognitiveservices/accounts/deployments": 60,
    "microsoft.cognitiveservices/accounts/projects": 25,
    "microsoft.search/searchservices": 300,
    "microsoft.machinelearningservices/workspaces": 120,
    "microsoft.machinelearningservices/workspaces/computes": 240,
    "microsoft.containerregistry/registries": 25,
    "microsoft.insights/components": 12,
    "microsoft.insights/diagnosticsettings": 6,
    "microsoft.operationalinsights/workspaces": 30,
    "microsoft.managedidentity/userassignedidentities": 6,
    "microsoft.authorization/roleassignments": 8,
    "microsoft.documentdb/databaseaccounts": 420,
    "microsoft.app/managedenvironments": 300,
    "microsoft.containerservice/managedclusters": 480,
    "microsoft.web/sites": 40,
    "microsoft.web/serverfarms": 15,
}

ACCEPT_SECONDS = 2.0
"""Time a deployment spends `Accepted` before its first operation starts."""
FINISH_SECONDS = 2.0
"""Time between the last operation ending and the deployment's terminal state."""
SYNC_FAILURE_SECONDS = 2.0
"""A provider that refuses a write outright (a taken name, a bad prefix) answers in this long."""
WHAT_IF_SECONDS = 4.0
"""Time before a what-if result is ready."""
REGISTRATION_SECONDS = 90.0
"""Time from `Registering` to `Registered` for a resource provider ("it takes a few minutes")."""
RG_DELETE_SECONDS = 30.0
"""A resource group deletion takes this long, plus `RG_DELETE_PER_RESOURCE` per resource in it."""
RG_DELETE_PER_RESOURCE = 5.0
PURGE_SECONDS = 20.0
"""Purging a soft-deleted Key Vault."""


def typical(resource_type: str) -> float:
    """Typical seconds to create a resource of this type."""
    return DURATIONS.get(resource_type.lower(), DEFAULT_SECONDS)


def with_jitter(seconds: float, seed: int, key: str) -> float:
    """`seconds` moved by up to `JITTER` either way, the same for the same seed and key."""
    digest = hashlib.sha256(f"{seed}:{key}".encode()).digest()
    fraction = int.from_bytes(digest[:8], "big") / 2**64
    return seconds * (1 - JITTER + 2 * JITTER * fraction)
