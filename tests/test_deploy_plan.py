"""The deployment plan of every built-in preset: its stage graph, its templates held to
Microsoft's schemas, and every stage deployed, in dependency order, to the sandbox through the
real DeploymentsMgmtClient."""

from __future__ import annotations

import functools
from typing import Any

import pytest
from sandbox_fixtures import Sdk, make_arm

from deploy.plan import Plan, Stage, build_plan
from presets.store import PresetStore
from sandbox import seed
from sandbox.schemas import default_set
from wizard import naming
from wizard.catalog import API_VERSIONS
from wizard.model import FactoryConfig

BUILTIN = sorted(info.name for info in PresetStore().list() if info.source == "builtin")


def in_one_subscription(name: str, subscription: str = seed.AIF_DEV) -> FactoryConfig:
    """A built-in preset with every environment in one clean demo subscription (Owner, every
    provider registered, no seeded soft-deleted names), so what is tested is the templates."""
    data = PresetStore().load(name).config.model_dump(mode="json")
    for env in data["environments"].values():
        env["subscription_id"] = subscription
    return FactoryConfig.model_validate(data)


MEMBER = "11111111-2222-4333-8444-555555555555"

EVERY_SERVICE = ("azure_ml", "aks_for_azure_ml", "aks", "azure_openai", "vision", "speech", "document_intelligence",
                 "content_safety", "cosmos_db")
"""The switches the presets leave off whose templates the plan has: `everything` turns them on."""


def everything() -> FactoryConfig:
    """poc-standalone with every service the plan has a template for, and a project member."""
    data = in_one_subscription("poc-standalone").model_dump(mode="json")
    data["services"].update(dict.fromkeys(EVERY_SERVICE, True))
    data["projects"][0]["members"] = [MEMBER]
    return FactoryConfig.model_validate(data)


@functools.cache
def plan_of(name: str) -> Plan:
    return build_plan(everything() if name == "everything" else in_one_subscription(name))


def template_resources(template: dict[str, Any], subscription_scope: bool) -> list[tuple[dict[str, Any], bool]]:
    """Every resource of a template with whether it is declared at subscription scope."""
    out: list[tuple[dict[str, Any], bool]] = []
    for item in template["resources"]:
        if item["type"] == "Microsoft.Resources/deployments":
            out += template_resources(item["properties"]["template"], False)
        else:
            out.append((item, subscription_scope))
    return out


def deploy(sdk: Sdk, stage: Stage) -> Any:
    """Submit one stage with the real SDK and wait for it (the frozen clock skips the polls)."""
    from azure.mgmt.resource.deployments import DeploymentsMgmtClient

    client = sdk.client(DeploymentsMgmtClient, stage.scope.subscription_id)
    if stage.scope.resource_group:
        poller = client.deployments.begin_create_or_update(stage.scope.resource_group, stage.deployment_name,
                                                           stage.request_body())
    else:
        poller = client.deployments.begin_create_or_update_at_subscription_scope(stage.deployment_name,
                                                                                 stage.request_body())
    return poller.result()


def test_the_four_builtin_presets_are_covered() -> None:
    assert BUILTIN == ["enterprise-hub-spoke", "global-vwan", "hybrid-workshop", "poc-standalone"]


@pytest.mark.parametrize("name", BUILTIN)
def test_stages_follow_the_ai_factory_order_and_names(name: str) -> None:
    plan = plan_of(name)
    config = in_one_subscription(name)
    envs = [env for env, _ in config.environments.enabled()]
    assert [s.environment for s in plan.stages] == sorted((s.environment for s in plan.stages), key=envs.index)
    for env in envs:
        stages = plan.for_environment(env)
        assert [s.kind for s in stages[:3]] == ["common_rg", "common_network", "common_services"]
        assert [s.deployment_name for s in stages[:3]] == list(naming.common_deployment_names(config, env).values())
        for project in config.projects:
            names = naming.project_deployment_names(config, env, project.number)
            mine = [s for s in stages if s.project == project.number]
            assert mine[0].kind == "project_network" and mine[0].deployment_name == names["P6"]
            # the service steps in the pipeline's order, then the role assignments (which need them all)
            planned = {s.deployment_name for s in mine}
            steps = [n for key, n in names.items() if n in planned and key not in ("P6", "100", "101")]
            assert [s.deployment_name for s in mine] == [names["P6"], *steps, names["100"], names["101"]]
    assert all(len(s.deployment_name) <= 64 for s in plan.stages)
    assert len({(s.scope.id, s.deployment_name) for s in plan.stages}) == len(plan.stages)


@pytest.mark.parametrize("name", BUILTIN)
def test_only_real_dependencies_hold_stages_back(name: str) -> None:
    plan = plan_of(name)
    for stage in plan.stages:
        for dep in stage.depends_on:
            other = plan.stage(dep)
            assert other.environment == stage.environment  # environments never wait for each other
            assert other.project in (None, stage.project)  # nor do projects
    firsts = [s for s in plan.stages if not s.depends_on]
    # every environment's resource group and every project's foundation start at once
    assert {s.id.split("/", 1)[1] for s in firsts} == {"common-rg"} | {
        f"prj{p.number}/61-foundation" for p in in_one_subscription(name).projects}


@pytest.mark.parametrize("name", [*BUILTIN, "everything"])
def test_every_resource_fits_its_schema_at_the_listed_api_version(name: str) -> None:
    schemas = default_set()
    if schemas is None:
        pytest.skip("Microsoft's ARM schemas are not beside the project (../shared/reference/arm-schemas)")
    checked = 0
    for stage in plan_of(name).stages:
        for item, sub_scope in template_resources(stage.template, stage.scope.resource_group is None):
            assert item["apiVersion"] == API_VERSIONS[item["type"]]
            assert schemas.covers(item["type"], item["apiVersion"]), item["type"]
            # as the sandbox holds a template resource: its envelope and body, the name left to the provider
            body = {k: v for k, v in item.items() if k not in ("dependsOn", "scope")} | {"name": "name"}
            problems = schemas.problems(item["type"], item["apiVersion"], body, subscription_scope=sub_scope)
            assert not problems, (stage.id, item["name"], problems)
            checked += 1
    assert checked == sum(len(s.resources) for s in plan_of(name).stages)


@pytest.mark.parametrize("name", [*BUILTIN, "everything"])
def test_every_stage_deploys_to_the_sandbox_in_dependency_order(name: str) -> None:
    sdk = Sdk(make_arm())
    plan = plan_of(name)
    done: set[str] = set()
    for stage in plan.stages:
        assert set(stage.depends_on) <= done
        result = deploy(sdk, stage)
        assert result.properties.provisioning_state == "Succeeded", stage.id
        done.add(stage.id)
    from azure.mgmt.resource.resources import ResourceManagementClient

    client = sdk.client(ResourceManagementClient, seed.AIF_DEV)
    config = everything() if name == "everything" else in_one_subscription(name)
    for env, _ in config.environments.enabled():
        assert client.resource_groups.check_existence(naming.common_resource_group(config, env))
        for project in config.projects:
            group = naming.project_resource_group(config, env, project.number)
            listed = {r.name for r in client.resources.list_by_resource_group(group)}
            assert naming.project_key_vault(config, env, project.number) in listed


def test_poc_standalone_makes_its_own_dns_and_hub_presets_do_not() -> None:
    poc = {r.type for s in plan_of("poc-standalone").stages for r in s.resources}
    hub = {r.type for s in plan_of("enterprise-hub-spoke").stages for r in s.resources}
    vwan = {r.type for s in plan_of("global-vwan").stages for r in s.resources}
    assert "Microsoft.Network/privateDnsZones" in poc and "Microsoft.Network/privateDnsZones" not in hub
    assert "Microsoft.Network/virtualNetworks/virtualNetworkPeerings" in hub
    assert "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections" in vwan
    assert "Microsoft.Network/privateEndpoints/privateDnsZoneGroups" in poc
    assert "Microsoft.Network/privateEndpoints/privateDnsZoneGroups" not in hub  # the hub's policy writes them


def test_literals_that_look_like_expressions_are_escaped() -> None:
    data = in_one_subscription("poc-standalone").model_dump(mode="json")
    data["projects"][0]["name"] = "[concat('a')]"
    plan = build_plan(FactoryConfig.model_validate(data))
    foundry = next(s for s in plan.stages if s.id == "dev/prj001/69-aif-a")
    project = next(r for r in foundry.template["resources"] if r["type"].endswith("/projects"))
    assert project["properties"]["displayName"] == "[[concat('a')]"


def test_every_templated_service_has_its_step() -> None:
    plan = plan_of("everything")
    steps = [s.id.split("/")[-1] for s in plan.for_environment("dev") if s.project == "001"]
    assert steps == ["network", "61-foundation", "62-core-infrastructure", "63-cognitive-services", "64-databases",
                     "65-compute-services", "67-data-ml-platform", "69-aif-a", "100-rbac-security",
                     "101-rbac-common-rg"]
    types = {r.type for s in plan.stages for r in s.resources}
    assert {"Microsoft.MachineLearningServices/workspaces/computes", "Microsoft.ContainerService/managedClusters",
            "Microsoft.DocumentDB/databaseAccounts", "Microsoft.CognitiveServices/accounts/deployments"} <= types
    ml = plan.stage("dev/prj001/67-data-ml-platform")
    assert set(ml.depends_on) == {"dev/prj001/62-core-infrastructure", "dev/prj001/network", "dev/common-services"}


def test_members_get_roles_on_the_project_and_common_groups() -> None:
    plan = plan_of("everything")
    project = plan.stage("dev/prj001/100-rbac-security").template["resources"]
    mine = [r["properties"] for r in project if r["properties"]["principalId"] == MEMBER]
    assert {p["principalType"] for p in mine} == {"Group"}  # identity.use_ad_groups
    assert {p["description"] for p in mine} >= {"AI Factory: Reader", "AI Factory: Azure AI Developer",
                                                "AI Factory: AzureML Data Scientist"}
    identity = [r["properties"] for r in project if r["properties"]["principalType"] == "ServicePrincipal"]
    assert identity and all(p["principalId"].startswith("[reference('/subscriptions/") for p in identity)
    common = plan.stage("dev/prj001/101-rbac-common-rg").template["resources"]
    assert sorted(r["properties"]["description"] for r in common) == ["AI Factory: AcrPull", "AI Factory: Reader"]
    again = build_plan(everything()).stage("dev/prj001/100-rbac-security").template
    assert [r["name"] for r in again["resources"]] == [r["name"] for r in project]  # guid(): the same each time
