"""What the pickers stand on (wizard/azure/choices.py), against the demo sandbox through the SDK:
the subscriptions a session sees, read once; a region's fit by the region-dependent live checks;
a survey that stops when cancelled."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from presets.store import PresetStore
from sandbox.seed import AIF_PROD, LEGACY_SANDBOX
from wizard import catalog
from wizard.azure.choices import iter_region_fits, list_subscriptions, region_fit
from wizard.azure.run import LiveSession, open_session


@pytest.fixture
def live() -> Iterator[LiveSession]:
    session = open_session(demo=True, fresh=True)
    yield session
    session.close()


def hub_spoke(live: LiveSession) -> Any:
    prepared, _ = live.prepare(PresetStore().load("enterprise-hub-spoke").config)
    return prepared


def test_the_subscriptions_are_listed_once_sorted_with_their_state(live: LiveSession) -> None:
    choices = list_subscriptions(live.session)
    assert [c.name for c in choices] == ["aif-dev", "aif-prod", "aif-stage", "connectivity-hub", "legacy-sandbox"]
    legacy = next(c for c in choices if c.subscription_id == LEGACY_SANDBOX)
    assert legacy.state == "Disabled" and not legacy.usable
    requests = live.session.stats.http_requests
    assert list_subscriptions(live.session) == choices
    assert live.session.stats.http_requests == requests  # the session's cache answered


def test_a_region_fit_is_what_the_live_checks_say_there(live: LiveSession) -> None:
    config = hub_spoke(live)
    assert config.environments.prod.subscription_id == AIF_PROD
    short = region_fit(live.session, config, "prod", "swedencentral", tenant_id=live.tenant_id)
    assert short is not None and short.fit == "bad"
    assert {f.code for f in short.findings} >= {"AIF-LIVE-TPM", "AIF-LIVE-SEARCH-QUOTA"}
    assert all(f.environment == "prod" for f in short.findings)
    fine = region_fit(live.session, config, "prod", "eastus2", tenant_id=live.tenant_id)
    assert fine is not None and fine.fit == "ok" and fine.summary == ""
    away = region_fit(live.session, config, "prod", "koreacentral", tenant_id=live.tenant_id)
    assert away is not None and away.fit == "unavailable"


def test_a_cancelled_survey_stops_and_yields_nothing_more(live: LiveSession) -> None:
    config = hub_spoke(live)
    cancel = threading.Event()
    survey = iter_region_fits(live.session, config, "dev", list(catalog.REGIONS), tenant_id=live.tenant_id,
                              cancel=cancel)
    first = next(survey)
    cancel.set()
    assert list(survey) == []
    assert first.region in catalog.REGIONS
    everything = list(iter_region_fits(live.session, config, "dev", list(catalog.REGIONS), tenant_id=live.tenant_id))
    assert len(everything) == len(catalog.REGIONS)
