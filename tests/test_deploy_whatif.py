"""The preview of a plan with ARM's what-if through the real DeploymentsMgmtClient: every resource
Create before, NoChange after deploying, Modify where the configuration changed since, and the
plan's fingerprint to tell a stale preview."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sandbox_fixtures import Sdk, make_arm
from test_deploy_plan import deploy, in_one_subscription

from deploy.plan import build_plan
from deploy.whatif import preview
from sandbox import seed
from sandbox.arm import Arm
from sandbox.transport import SandboxCredential, SandboxTransport
from wizard.azure.clients import AzureSession
from wizard.model import FactoryConfig


@pytest.fixture
def arm() -> Arm:
    return make_arm()


@pytest.fixture
def session(arm: Arm) -> Iterator[AzureSession]:
    live = AzureSession(SandboxCredential(), transport=SandboxTransport(arm))
    yield live
    live.close()


def test_create_then_all_no_change_after_deploying(arm: Arm, session: AzureSession) -> None:
    plan = build_plan(in_one_subscription("poc-standalone"))
    total = sum(len(s.resources) for s in plan.stages)
    heard: list[str] = []
    before = preview(plan, session, on_stage=lambda s: heard.append(s.stage_id))
    assert before.counts() == {"Create": total}
    assert heard == [s.id for s in plan.stages]
    assert not before.errors
    assert before.stage("dev/common-rg").predicted is False  # a subscription always exists: ARM answered
    assert before.stage("dev/common-network").predicted is True  # its group does not exist yet
    sdk = Sdk(arm)
    for stage in plan.stages[:3]:  # the common stages only
        deploy(sdk, stage)
    halfway = preview(plan, session)
    assert not halfway.errors
    # the common group exists now, but the identity whose principal id the assignments read does not
    assert plan.stage("dev/prj001/101-rbac-common-rg").reads
    assert halfway.stage("dev/prj001/101-rbac-common-rg").predicted
    assert {c.change for s in halfway.stages[:3] for c in s.changes} == {"NoChange"}
    assert {c.change for s in halfway.stages[3:] for c in s.changes} == {"Create"}
    for stage in plan.stages[3:]:
        deploy(sdk, stage)
    after = preview(plan, session)
    assert after.counts() == {"NoChange": total}
    assert not any(s.predicted for s in after.stages)
    assert after.is_current(plan) and after.fingerprint == before.fingerprint


def test_a_changed_configuration_previews_as_modify_with_a_new_fingerprint(arm: Arm, session: AzureSession) -> None:
    config = in_one_subscription("poc-standalone")
    plan = build_plan(config)
    sdk = Sdk(arm)
    for stage in plan.stages:
        deploy(sdk, stage)
    data = config.model_dump(mode="json")
    data["skus"]["semantic_tier"] = "standard"
    changed = build_plan(FactoryConfig.model_validate(data))
    assert changed.fingerprint != plan.fingerprint
    result = preview(changed, session)
    assert not result.is_current(plan)
    modified = [(s.stage_id, c) for s in result.stages for c in s.changes if c.change != "NoChange"]
    [(stage_id, change)] = modified
    assert stage_id == "dev/prj001/63-cognitive-services"
    assert (change.type, change.change, change.properties) == (
        "Microsoft.Search/searchServices", "Modify", ("properties.semanticSearch",))


def test_stages_arm_refuses_are_reported_beside_the_others(arm: Arm, session: AzureSession) -> None:
    """aif-prod grants Contributor only: the role assignments fail ARM's preflight (what-if too)."""
    plan = build_plan(in_one_subscription("poc-standalone", seed.AIF_PROD))
    sdk = Sdk(arm)
    for stage in plan.stages:
        if stage.kind != "project_rbac":
            deploy(sdk, stage)
    result = preview(plan, session)
    assert [s.stage_id for s in result.errors] == ["dev/prj001/100-rbac-security", "dev/prj001/101-rbac-common-rg"]
    assert all(s.error and s.error.startswith("InvalidTemplateDeployment:") for s in result.errors)
    assert {c.change for s in result.stages if not s.error for c in s.changes} == {"NoChange"}
