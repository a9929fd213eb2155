"""The state machine itself: conventions every ARM answer follows, and the seed's facts."""

from __future__ import annotations

import json
from pathlib import Path

import sandbox_fixtures
from sandbox_fixtures import AUTH, BASE, call

from sandbox import seed
from sandbox.arm import Arm
from sandbox.clock import SandboxClock, iso_duration

arm = sandbox_fixtures.arm


def test_api_version_is_required(arm: Arm) -> None:
    status, _, raw = arm.handle("GET", f"{BASE}/subscriptions", AUTH, None)
    assert status == 400
    assert b"MissingApiVersionParameter" in raw


def test_bearer_token_is_required(arm: Arm) -> None:
    status, headers, raw = arm.handle("GET", f"{BASE}/subscriptions?api-version=2022-12-01", {}, None)
    assert status == 401
    assert b"AuthenticationFailed" in raw
    assert "WWW-Authenticate" in headers


def test_paths_are_case_insensitive_and_ids_use_arm_casing(arm: Arm) -> None:
    status, _, body = call(arm, "GET", f"/SUBSCRIPTIONS/{seed.AIF_DEV}/RESOURCEGROUPS/rg-legacy")
    assert status == 200
    assert body["id"] == f"/subscriptions/{seed.AIF_DEV}/resourceGroups/rg-legacy"


def test_errors_use_the_arm_envelope(arm: Arm) -> None:
    status, headers, body = call(arm, "GET", "/subscriptions/00000000-0000-0000-0000-000000000000")
    assert status == 404
    assert body["error"]["code"] == "SubscriptionNotFound"
    assert body["error"]["details"] == []
    assert headers["x-ms-request-id"]
    assert call(arm, "GET", f"/subscriptions/{seed.AIF_DEV}/resourcegroups/nope")[2]["error"]["code"] == (
        "ResourceGroupNotFound"
    )


def test_paging_follows_skiptoken_to_the_end() -> None:
    arm = sandbox_fixtures.make_arm(page_size=4)
    url = f"{BASE}/subscriptions/{seed.AIF_DEV}/providers?api-version=2025-04-01"
    seen = []
    import json

    while url:
        status, _, raw = arm.handle("GET", url, AUTH, None)
        assert status == 200
        page = json.loads(raw)
        assert len(page["value"]) <= 4
        seen += [p["namespace"] for p in page["value"]]
        url = page.get("nextLink")
    assert seen == list(seed.PROVIDERS)


def test_seed_facts() -> None:
    assert len(seed.REGIONS) == 15
    assert {v["subscription"] for v in seed.DELETED_VAULTS} == {seed.AIF_STAGE}
    assert {"stcontosodemo", "aifdemolake001"} <= set(seed.TAKEN_STORAGE_NAMES)
    assert "privatelink.api.azureml.ms" in seed.MISSING_PRIVATE_DNS_ZONES
    assert "Microsoft.Search" in seed.NOT_REGISTERED[seed.AIF_STAGE]


def test_durations_use_arm_format() -> None:
    assert iso_duration(22.8356799) == "PT22.8356799S"
    assert iso_duration(62.5) == "PT1M2.5S"
    assert iso_duration(0) == "PT0S"


def test_state_round_trips(arm: Arm) -> None:
    call(arm, "PUT", f"/subscriptions/{seed.AIF_DEV}/resourcegroups/rg-new", {"location": "eastus"})
    copy = Arm.from_json(arm.to_json())
    assert call(copy, "GET", f"/subscriptions/{seed.AIF_DEV}/resourcegroups/rg-new")[0] == 200
    assert copy.now() == arm.now()


def test_a_saved_world_meets_a_newer_seed(tmp_path: Path) -> None:
    """A demo saved before the seed grew gets the new VNet and provider; what it deleted stays deleted."""
    arm = Arm(clock=SandboxClock.frozen())
    hub = next(k for k in arm.world.resources if k.endswith("/virtualnetworks/vnet-hub-weu"))
    own = next(k for k in arm.world.resources if k.endswith("/virtualnetworks/vnt-esmlcmn-sdc-prod-001"))
    del arm.world.resources[hub]
    state = arm.to_json()
    state["world"]["resources"].pop(own)
    state["world"]["seeded"] = [k for k in state["world"]["seeded"] if k != own]
    for providers in state["world"]["providers"].values():
        providers.pop("microsoft.elastic")
    path = tmp_path / "sandbox.json"
    path.write_text(json.dumps(state))
    resumed = Arm.load(path)
    assert own in resumed.world.resources and hub not in resumed.world.resources
    assert resumed.registration_state(seed.AIF_DEV, "Microsoft.Elastic") == "Registered"
    assert resumed.registration_state(seed.AIF_STAGE, "Microsoft.Elastic") == "NotRegistered"
