"""Small real plans for the runner's tests, built by hand from ARM templates the sandbox holds to
Microsoft's schemas: per environment a resource group (subscription scope), its network (VNet and
subnets), and per project a storage account and a Key Vault in the group."""

from __future__ import annotations

from typing import Any

from deploy.plan import Plan, PlannedResource, Scope, Stage
from sandbox import seed

SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
SUB_SCHEMA = "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#"
SUBSCRIPTIONS = {"dev": seed.AIF_DEV, "stage": seed.AIF_STAGE, "prod": seed.AIF_PROD}
OCTETS = {"dev": 41, "stage": 42, "prod": 43}


def _template(resources: list[dict[str, Any]], *, subscription: bool = False) -> dict[str, Any]:
    return {"$schema": SUB_SCHEMA if subscription else SCHEMA, "contentVersion": "1.0.0.0", "resources": resources}


def _stage(stage_id: str, env: str, kind: str, resources: list[dict[str, Any]], *, group: str | None,
           depends_on: tuple[str, ...] = (), project: str | None = None) -> Stage:
    scope = Scope(SUBSCRIPTIONS[env], "westeurope", group)
    planned = tuple(PlannedResource(r["type"], r["name"], r["apiVersion"]) for r in resources)
    return Stage(stage_id, env, project, kind, f"{env} · {stage_id.split('/', 1)[1]}",  # type: ignore[arg-type]
                 f"aif-{stage_id.replace('/', '-')}", scope, _template(resources, subscription=group is None),
                 depends_on, planned)


def vault(name: str) -> dict[str, Any]:
    return {"type": "Microsoft.KeyVault/vaults", "apiVersion": "2024-11-01", "name": name, "location": "westeurope",
            "properties": {"tenantId": seed.CONTOSO_TENANT, "sku": {"family": "A", "name": "standard"},
                           "enableSoftDelete": True}}


def storage(name: str) -> dict[str, Any]:
    return {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2026-04-01", "name": name,
            "location": "westeurope", "sku": {"name": "Standard_LRS"}, "kind": "StorageV2", "properties": {}}


def search(name: str) -> dict[str, Any]:
    return {"type": "Microsoft.Search/searchServices", "apiVersion": "2025-05-01", "name": name,
            "location": "westeurope", "sku": {"name": "standard"}, "properties": {"replicaCount": 1}}


def environment(env: str, projects: int = 2, *, with_search: bool = False, tag: str = "t") -> list[Stage]:
    """One environment: resource group -> network -> a services stage per project."""
    group = f"rg-aif-{tag}-{env}"
    octet = OCTETS[env]
    rg = _stage(f"{env}/common-rg", env, "common_rg", [
        {"type": "Microsoft.Resources/resourceGroups", "apiVersion": "2025-04-01", "name": group,
         "location": "westeurope"}], group=None)
    vnet = f"vnet-aif-{tag}-{env}"
    network_resources = [
        {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2025-07-01", "name": vnet,
         "location": "westeurope", "properties": {"addressSpace": {"addressPrefixes": [f"10.{octet}.0.0/16"]}}},
    ]
    for number in range(1, projects + 1):
        network_resources.append(
            {"type": "Microsoft.Network/virtualNetworks/subnets", "apiVersion": "2025-07-01",
             "name": f"{vnet}/snet-prj{number:03d}",
             "dependsOn": [f"[resourceId('Microsoft.Network/virtualNetworks', '{vnet}')]"] + (
                 [f"[resourceId('Microsoft.Network/virtualNetworks/subnets', '{vnet}', 'snet-prj{number - 1:03d}')]"]
                 if number > 1 else []),
             "properties": {"addressPrefix": f"10.{octet}.{number}.0/24"}})
    network = _stage(f"{env}/common-network", env, "common_network", network_resources, group=group,
                     depends_on=(rg.id,))
    stages = [rg, network]
    for number in range(1, projects + 1):
        resources = [storage(f"st{tag}{env}{number:03d}"), vault(f"kv-{tag}-{env}-{number:03d}")]
        if with_search and number == 1:
            resources.append(search(f"srch-{tag}-{env}-{number:03d}"))
        stages.append(_stage(f"{env}/prj{number:03d}-services", env, "project_services", resources, group=group,
                             depends_on=(network.id,), project=f"{number:03d}"))
    return stages


def plan(envs: tuple[str, ...] = ("dev", "stage", "prod"), projects: int = 2, **kw: Any) -> Plan:
    """A plan over `envs` (each with `projects` projects)."""
    return Plan(tuple(s for env in envs for s in environment(env, projects, **kw)))


def subnet_stages(env: str = "dev", projects: int = 3, tag: str = "t") -> Plan:
    """An environment whose projects each add their subnet to the common VNet in a stage of their
    own, none depending on another: only one may write the VNet at a time."""
    stages = environment(env, 0, tag=tag)
    vnet, group, octet = f"vnet-aif-{tag}-{env}", f"rg-aif-{tag}-{env}", OCTETS[env]
    for number in range(1, projects + 1):
        subnet = {"type": "Microsoft.Network/virtualNetworks/subnets", "apiVersion": "2025-07-01",
                  "name": f"{vnet}/snet-prj{number:03d}", "properties": {"addressPrefix": f"10.{octet}.{number}.0/24"}}
        stages.append(_stage(f"{env}/prj{number:03d}-network", env, "project_network", [subnet], group=group,
                             depends_on=(stages[1].id,), project=f"{number:03d}"))
    return Plan(tuple(stages))
