"""The live `names` check tests the bicep's names: soft-deleted AI accounts through the real SDK,
and names the factory's own resources hold (at the ids the plan gives them) told from taken ones.

A soft-deleted Cognitive Services account keeps its custom subdomain, so a new account of the
same name fails. The check must look for the name the AI Factory will actually use: the
12-character Foundry base plus `{NNN}{env}`, and the Vision/Speech/… accounts of
03-cognitive-services.bicep, even with AI Foundry switched off.
"""

from __future__ import annotations

from typing import Any

import live_fixtures
import pytest
from live_fixtures import Live, RequestLog, catalog_copy, env_config, live_sandbox, preset

from deploy.plan import build_plan
from sandbox import seed
from wizard import catalog, naming
from wizard.azure.checks import AVAILABILITY_KIND

live = live_fixtures.live


def deleted(name: str) -> dict[str, Any]:
    return {"name": name, "location": "eastus2", "subscription": seed.AIF_DEV, "resource_group": "rg-old",
            "kind": "AIServices", "deletion_date": "2026-10-28T09:14:00Z",
            "scheduled_purge_date": "2027-01-26T09:14:00Z"}


def check_names(config: Any, *accounts: str) -> list[Any]:
    changed = catalog_copy()
    changed.deleted_accounts.extend(deleted(a) for a in accounts)
    sandbox = live_sandbox(catalog=changed)
    try:
        return sandbox.check("names", config, "dev")
    finally:
        sandbox.close()


def test_soft_deleted_foundry_account_is_found_under_the_bicep_name() -> None:
    config = env_config(aifactory_extra={"AIFACTORY_SALT_RANDOM": "a1b2c3d4e5"})
    salt = naming.salt5(config, "dev")
    # aifV2Name: take('aif2' + salt5 + 'a1b2c3d4e5', 12) + '001' + 'dev'
    foundry = f"aif2{salt}a1b001dev"
    # The 11-character name the wizard used to predict must no longer match anything.
    [finding] = check_names(config, foundry, f"aif2{salt}a1001dev")
    assert (finding.code, finding.severity, finding.environment) == ("AIF-LIVE-COG-DELETED", "error", "dev")
    assert f"AI account name {foundry} (project 001 AI Foundry account)" in finding.message
    assert finding.hint == (f"purge it: az cognitiveservices account purge --name {foundry} --resource-group rg-old "
                            "--location eastus2; or change aifactory_extra.AIFACTORY_SALT_RANDOM so the AI Factory "
                            "picks another name")
    assert finding.field == "aifactory_extra.AIFACTORY_SALT_RANDOM"


def test_soft_deleted_vision_account_blocks_even_without_foundry() -> None:
    config = env_config(services={"ai_foundry": False, "vision": True})
    salt = naming.salt5(config, "dev")
    # 03-cognitive-services: 'vision-prj001-eus2-dev-' + salt5 + commonResourceSuffix '-001'
    vision = f"vision-prj001-eus2-dev-{salt}-001"
    [finding] = check_names(config, vision)
    assert finding.code == "AIF-LIVE-COG-DELETED" and vision in finding.message
    assert finding.field == "naming.common_resource_suffix"
    assert f"--name {vision} --resource-group rg-old --location eastus2" in finding.hint


# ------------------------------------------------------------------ names the factory's own resources hold


def put(live: Live, subscription: str, group: str, resource_type: str, name: str) -> None:
    """Create a resource through the real SDK client (a name taken in the sandbox is one a live resource holds)."""
    client = live.session.resources(subscription)
    client.resource_groups.create_or_update(group, {"location": "eastus2"})
    body: dict[str, Any] = {"location": "eastus2", "properties": {}}
    if resource_type == "Microsoft.Storage/storageAccounts":
        body.update(sku={"name": "Standard_LRS"}, kind="StorageV2")
    else:
        body["properties"] = {"tenantId": seed.CONTOSO_TENANT, "sku": {"family": "A", "name": "standard"}}
    resource_id = f"/subscriptions/{subscription}/resourceGroups/{group}/providers/{resource_type}/{name}"
    client.resources.begin_create_or_update_by_id(resource_id, body,
                                                  api_version=catalog.API_VERSIONS[resource_type]).result()


def test_names_held_where_the_plan_puts_them_are_the_factorys_own_with_no_journal(live: Live) -> None:
    """The data lake and key vault exist at their planned ids, deployed by anyone (the AI Factory's
    own pipeline, or a wizard whose journal is gone): Azure says the names are unavailable, and
    one GET of each planned id, only of those, says they are this factory's."""
    config = env_config()
    group = naming.common_resource_group(config, "dev")
    lake, vault = naming.data_lake(config, "dev"), naming.common_key_vault(config, "dev", False)
    put(live, seed.AIF_DEV, group, "Microsoft.Storage/storageAccounts", lake)
    put(live, seed.AIF_DEV, group, "Microsoft.KeyVault/vaults", vault)
    log = RequestLog(live.arm)
    found = live.check("names", config, "dev", session=live.fresh())
    assert sorted((f.code, f.severity, f.field) for f in found) == [
        ("AIF-LIVE-NAME-OURS", "info", "naming.common_resource_suffix"),
        ("AIF-LIVE-NAME-OURS", "info", "naming.lake_prefix")]
    assert {f.message for f in found} == {
        f"storage name {lake} is already deployed by this factory (in {group}): deploying again updates it",
        f"key_vault name {vault} is already deployed by this factory (in {group}): deploying again updates it"}
    gets = sorted(path.rsplit("/", 1)[-1] for method, path, _, _ in log.keys
                  if method == "GET" and f"/resourcegroups/{group.lower()}/" in path)
    assert gets == sorted([lake, vault.lower()])  # no GET for the names that are free


def test_a_name_held_in_another_resource_group_or_subscription_is_taken(live: Live) -> None:
    """Someone else's resource of the same name, elsewhere, is no resource of this factory."""
    config = env_config()
    lake, vault = naming.data_lake(config, "dev"), naming.common_key_vault(config, "dev", False)
    put(live, seed.AIF_DEV, "rg-someone-else", "Microsoft.Storage/storageAccounts", lake)
    put(live, seed.AIF_PROD, naming.common_resource_group(config, "dev"), "Microsoft.KeyVault/vaults", vault)
    found = live.check("names", config, "dev", session=live.fresh())
    assert sorted((f.code, f.severity, f.field) for f in found) == [
        ("AIF-LIVE-NAME-TAKEN", "error", "naming.common_resource_suffix"),
        ("AIF-LIVE-NAME-TAKEN", "error", "naming.lake_prefix")]
    assert any(f"storage name {lake} is taken" in f.message for f in found)
    assert any(f"key_vault name {vault} is taken" in f.message and "next free name" in f.hint for f in found)


@pytest.mark.parametrize("name", ["poc-standalone", "enterprise-hub-spoke"])
def test_the_id_the_names_check_reads_is_the_one_the_plan_deploys(name: str) -> None:
    """One truth: `naming.planned_id` of every name the check asks about is a resource of the plan."""
    config = preset(name)
    plan = build_plan(config)
    deployed = {f"{stage.scope.id}/providers/{r.type}/{r.name}".lower() for stage in plan.stages
                for r in stage.resources}
    asked = [g for env, _ in config.environments.enabled() for g in naming.globally_unique_names(config, env)
             if g.kind in AVAILABILITY_KIND]
    assert asked and [g.name for g in asked if naming.planned_id(config, g).lower() not in deployed] == []
