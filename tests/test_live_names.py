"""The live `names` check tests the bicep's names: soft-deleted AI accounts through the real SDK.

A soft-deleted Cognitive Services account keeps its custom subdomain, so a new account of the
same name fails. The check must look for the name the AI Factory will actually use: the
12-character Foundry base plus `{NNN}{env}`, and the Vision/Speech/… accounts of
03-cognitive-services.bicep, even with AI Foundry switched off.
"""

from __future__ import annotations

from typing import Any

from live_fixtures import catalog_copy, env_config, live_sandbox

from sandbox import seed
from wizard import naming


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
