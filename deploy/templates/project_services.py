"""The project pipeline's service steps (61-69 of infra-project-phase.yml), one stage each.

61 foundation: the project's resource group and managed identities (subscription scope);
62 core infrastructure: Key Vault, two storage accounts, Application Insights;
63 cognitive services: AI Search and the single-purpose AI accounts;
64 databases: Cosmos DB; 65 compute: a standalone AKS cluster;
67 ML platform: the Azure ML workspace with a compute cluster, and AKS attached for inference;
69a AI Foundry: the account, its default project and the model deployments.
Steps a project's switches leave empty are not planned. Every service gets its private endpoint
in the project's genai subnet and diagnostics to the environment's Log Analytics.

Services whose templates are not written yet are listed by `not_deployed`, so the plan can say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from deploy.templates.arm import nested, resource, template
from deploy.templates.common_services import KV, STORAGE, key_vault, storage_account
from deploy.templates.context import EnvContext
from deploy.templates.private_link import diagnostics, endpoint, firewall
from wizard import catalog, naming
from wizard.model import ProjectConfig
from wizard.network import ProjectPlan

COG = "Microsoft.CognitiveServices/accounts"
SEARCH = "Microsoft.Search/searchServices"
COSMOS = "Microsoft.DocumentDB/databaseAccounts"
AKS = "Microsoft.ContainerService/managedClusters"
AML = "Microsoft.MachineLearningServices/workspaces"
MI = "Microsoft.ManagedIdentity/userAssignedIdentities"

NOT_TEMPLATED: tuple[str, ...] = (
    "bing", "bing_custom_search", "databricks", "datafactory", "datafactory_common", "foundry_caphost",
    "postgresql", "redis", "sql", "container_apps", "webapp", "function", "logic_apps", "event_hubs",
    "bot_service", "elasticsearch", "appinsights_dashboard",
)
"""Services the plan does not deploy yet: their resource types have no schema in the reference set."""

COGNITIVE_KINDS: dict[str, str] = {
    "azure_openai": "OpenAI", "vision": "ComputerVision", "speech": "SpeechServices",
    "document_intelligence": "FormRecognizer", "content_safety": "ContentSafety",
}
"""The single-purpose AI accounts of 03-cognitive-services.bicep and their `kind`."""

Needs = tuple[str, ...]
"""What a step needs before it: other steps ("61", "62") or "network" (the project's subnets)
and "common-services" (Log Analytics, the common registry)."""


@dataclass(frozen=True)
class Step:
    """One planned step of a project: its AI Factory step key, template and scope."""

    step: str
    """Key of `wizard.resource_names.PROJECT_STEPS`, e.g. `62`."""
    template: dict[str, Any]
    needs: Needs
    subscription_scope: bool = False
    """True for 61 (it creates the group); the others deploy into the project's group."""


@dataclass(frozen=True)
class Project:
    """One project in one environment, with what its templates share."""

    ctx: EnvContext
    config: ProjectConfig
    plan: ProjectPlan

    @property
    def nr(self) -> str:
        return self.config.number

    @property
    def rg(self) -> str:
        return naming.project_resource_group(self.ctx.config, self.ctx.env, self.nr)

    @property
    def services(self) -> list[str]:
        return catalog.active_services(self.ctx.config.project_services(self.config))

    def id(self, rtype: str, *names: str) -> str:
        return self.ctx.id_in(self.rg, rtype, *names)

    def subnet(self, role: str) -> str:
        subnets: dict[str, str] = {kind: name for kind, name in naming.project_subnets(self.nr).items()}
        return self.ctx.subnet_id(subnets[role])

    def endpoint(self, target_type: str, name: str, group: str) -> list[dict[str, Any]]:
        return endpoint(self.ctx, self.rg, self.id(target_type, name), name, group, self.subnet("genai"))

    def diagnostics(self, target_type: str, name: str) -> dict[str, Any]:
        return diagnostics(self.ctx, self.id(target_type, name), target_type, name)

    @property
    def ips(self) -> list[str]:
        return self.ctx.ip_rules(self.config)

    def identity(self, aca: bool = False) -> str:
        return naming.managed_identity(self.ctx.config, self.ctx.env, self.nr, aca)


def build(ctx: EnvContext, project: ProjectConfig, plan: ProjectPlan, deployment_name: Any) -> list[Step]:
    """The planned steps of one project, in the AI Factory's order; `deployment_name(step)` names them."""
    p = Project(ctx, project, plan)
    steps = [Step("61", _foundation(p, deployment_name("61")), (), subscription_scope=True)]
    for key, builder, needs in (
        ("62", _core, ("61", "network", "common-services")),
        ("63", _cognitive, ("61", "network", "common-services")),
        ("64", _databases, ("61", "network", "common-services")),
        ("65", _compute, ("61", "network")),
        ("67", _machine_learning, ("62", "network", "common-services")),
        ("69a", _foundry, ("61", "network", "common-services")),
    ):
        resources = builder(p)
        if resources:
            steps.append(Step(key, template(resources), needs))
    return steps


def not_deployed(ctx: EnvContext, project: ProjectConfig) -> list[str]:
    """Switched-on services of a project that the plan leaves out."""
    return [s for s in catalog.active_services(ctx.config.project_services(project)) if s in NOT_TEMPLATED]


# ------------------------------------------------------------------------------- 61 foundation


def _foundation(p: Project, deployment_name: str) -> dict[str, Any]:
    ctx = p.ctx
    group_id = f"/subscriptions/{ctx.subscription}/resourceGroups/{p.rg}"
    identities = [resource(MI, p.identity(aca), location=ctx.region) for aca in (False, True)]
    return template([
        resource("Microsoft.Resources/resourceGroups", p.rg, location=ctx.region, tags=ctx.tags(p.config)),
        nested(deployment_name, identities, resource_group=p.rg, depends_on=[group_id]),
    ], subscription_scope=True)


# ------------------------------------------------------------------------------- 62 core


def _core(p: Project) -> list[dict[str, Any]]:
    ctx, config = p.ctx, p.ctx.config
    vault = naming.project_key_vault(config, ctx.env, p.nr)
    out = [key_vault(ctx, vault, p.ips), *p.endpoint(KV, vault, "vault"),
           p.diagnostics(KV, vault)]
    for index in (1, 2):
        name = naming.project_storage(config, ctx.env, p.nr, index)
        out += [storage_account(ctx, name, p.ips), *p.endpoint(STORAGE, name, "blob")]
    out.append(resource("Microsoft.Insights/components", naming.app_insights(config, ctx.env, p.nr),
                        location=ctx.region, kind="web", properties={
                            "Application_Type": "web", "WorkspaceResourceId": ctx.workspace_id,
                            "publicNetworkAccessForIngestion": "Enabled" if ctx.public(genai=False) else "Disabled",
                            "publicNetworkAccessForQuery": "Enabled"}))
    return out


# ------------------------------------------------------------------------------- 63 cognitive


def _cognitive_account(p: Project, name: str, kind: str, **extra: Any) -> list[dict[str, Any]]:
    """A Cognitive Services account with its own subdomain, endpoint and diagnostics."""
    ctx = p.ctx
    properties = {"customSubDomainName": name, "disableLocalAuth": True,
                  **firewall(p.ips, public=ctx.public(genai=True)), **extra}
    return [resource(COG, name, location=ctx.region, kind=kind, sku={"name": "S0"},
                     identity={"type": "SystemAssigned"}, properties=properties),
            *p.endpoint(COG, name, "account"), p.diagnostics(COG, name)]


def _cognitive(p: Project) -> list[dict[str, Any]]:
    ctx, config = p.ctx, p.ctx.config
    out: list[dict[str, Any]] = []
    if "ai_search" in p.services:
        name = naming.ai_search(config, ctx.env, p.nr)
        public = ctx.public(genai=True)
        out += [resource(SEARCH, name, location=ctx.region, sku={"name": config.skus.ai_search_tier},
                         identity={"type": "SystemAssigned"}, properties={
                             "replicaCount": 1, "partitionCount": 1, "semanticSearch": config.skus.semantic_tier,
                             "publicNetworkAccess": "Enabled" if public else "Disabled",
                             "networkRuleSet": {"ipRules": [{"value": ip} for ip in p.ips] if public else []},
                             "authOptions": {"aadOrApiKey": {"aadAuthFailureMode": "http401WithBearerChallenge"}}}),
                *p.endpoint(SEARCH, name, "searchService"), p.diagnostics(SEARCH, name)]
    for service, kind in COGNITIVE_KINDS.items():
        if service in p.services:
            [resource_info] = naming.service_resources(config, ctx.env, p.nr, service)
            out += _cognitive_account(p, resource_info.name, kind)
    return out


# ------------------------------------------------------------------------------- 64 databases


def _databases(p: Project) -> list[dict[str, Any]]:
    if not {"cosmos_db", "foundry_caphost"} & set(p.services):
        return []
    ctx = p.ctx
    name = naming.service_resources(ctx.config, ctx.env, p.nr, "cosmos_db")[0].name
    public = ctx.public(genai=False)
    return [resource(COSMOS, name, location=ctx.region, kind="GlobalDocumentDB", properties={
        "databaseAccountOfferType": "Standard", "consistencyPolicy": {"defaultConsistencyLevel": "Session"},
        "locations": [{"locationName": ctx.region, "failoverPriority": 0, "isZoneRedundant": False}],
        "disableLocalAuth": True, "publicNetworkAccess": "Enabled" if public else "Disabled",
        "ipRules": [{"ipAddressOrRange": ip} for ip in p.ips] if public else []}),
        *p.endpoint(COSMOS, name, "Sql"), p.diagnostics(COSMOS, name)]


# ------------------------------------------------------------------------------- 65 compute


def _cluster(p: Project, name: str, subnet_role: str) -> dict[str, Any]:
    """A private AKS cluster in one of the project's subnets (Azure CNI)."""
    ctx = p.ctx
    compute = ctx.settings.compute
    return resource(AKS, name, location=ctx.region, identity={"type": "SystemAssigned"},
                    sku={"name": "Base", "tier": ctx.config.skus.aks_sku_tier}, properties={
                        "kubernetesVersion": ctx.config.skus.aks_version, "dnsPrefix": name,
                        "nodeResourceGroup": f"aks-{p.rg}"[:80],
                        "agentPoolProfiles": [{
                            "name": "system", "mode": "System", "count": compute.aks_node_count,
                            "vmSize": compute.aks_node_sku, "osType": "Linux", "type": "VirtualMachineScaleSets",
                            "vnetSubnetID": p.subnet(subnet_role)}],
                        "networkProfile": {"networkPlugin": "azure", "serviceCidr": "10.0.0.0/16",
                                           "dnsServiceIP": "10.0.0.10"},
                        "apiServerAccessProfile": {"enablePrivateCluster": True},
                        "enableRBAC": True})


def _compute(p: Project) -> list[dict[str, Any]]:
    if "aks" not in p.services:
        return []
    [cluster] = [r for r in naming.service_resources(p.ctx.config, p.ctx.env, p.nr, "aks") if r.resource_type == AKS]
    return [_cluster(p, cluster.name, "aks")]


# ------------------------------------------------------------------------------- 67 ML


def _machine_learning(p: Project) -> list[dict[str, Any]]:
    if "azure_ml" not in p.services:
        return []
    ctx, config = p.ctx, p.ctx.config
    name = naming.ml_workspace(config, ctx.env, p.nr)
    workspace_id = p.id(AML, name)
    compute = ctx.settings.compute
    out = [resource(AML, name, location=ctx.region, identity={"type": "SystemAssigned"},
                    sku={"name": "Basic", "tier": "Basic"}, properties={
                        "friendlyName": f"AI Factory project {p.nr} ({ctx.env})",
                        "keyVault": p.id(KV, naming.project_key_vault(config, ctx.env, p.nr)),
                        "storageAccount": p.id(STORAGE, naming.project_storage(config, ctx.env, p.nr, 1)),
                        "applicationInsights": p.id("Microsoft.Insights/components",
                                                    naming.app_insights(config, ctx.env, p.nr)),
                        "containerRegistry": ctx.common_acr_id,
                        "publicNetworkAccess": "Enabled" if ctx.public(genai=False) else "Disabled"}),
           *p.endpoint(AML, name, "amlworkspace"), p.diagnostics(AML, name),
           resource(f"{AML}/computes", f"{name}/{naming.ml_cluster(p.nr)}", location=ctx.region,
                    depends_on=[workspace_id], properties={
                        "computeType": "AmlCompute", "properties": {
                            "vmSize": compute.aml_cluster_sku, "vmPriority": "Dedicated",
                            "enableNodePublicIp": False, "subnet": {"id": p.subnet("genai")},
                            "scaleSettings": {"minNodeCount": 0, "maxNodeCount": compute.aml_cluster_max_nodes,
                                              "nodeIdleTimeBeforeScaleDown": "PT120S"}}})]
    if "aks_for_azure_ml" in p.services:
        [cluster] = [r for r in naming.service_resources(config, ctx.env, p.nr, "aks_for_azure_ml")
                     if r.resource_type == AKS]
        cluster_id = p.id(AKS, cluster.name)
        out += [_cluster(p, cluster.name, "aks2"),
                resource(f"{AML}/computes", f"{name}/{naming.ml_aks_compute(p.nr)}", location=ctx.region,
                         depends_on=[workspace_id, cluster_id],
                         properties={"computeType": "AKS", "resourceId": cluster_id})]
    return out


# ------------------------------------------------------------------------------- 69a Foundry


def _foundry(p: Project) -> list[dict[str, Any]]:
    if "ai_foundry" not in p.services:
        return []
    ctx, config = p.ctx, p.ctx.config
    name = naming.foundry_account(config, ctx.env, p.nr)
    account_id = p.id(COG, name)
    extra: dict[str, Any] = {"allowProjectManagement": True}
    if config.services.agent_network_injection:
        extra["networkInjections"] = [{"scenario": "agent", "subnetArmId": p.subnet("aca2"),
                                       "useMicrosoftManagedNetwork": False}]
    out = _cognitive_account(p, name, "AIServices", **extra)
    project = naming.foundry_project(p.nr)
    out.append(resource(f"{COG}/projects", f"{name}/{project}", location=ctx.region, depends_on=[account_id],
                        identity={"type": "SystemAssigned"},
                        properties={"displayName": p.config.name or f"Project {p.nr}"}))
    previous = account_id
    for model in config.skus.models:  # one at a time: the account takes one deployment write at a time
        deployment: dict[str, Any] = {"format": "OpenAI", "name": model.model}
        if model.version:
            deployment["version"] = model.version
        out.append(resource(f"{COG}/deployments", f"{name}/{model.model}", depends_on=[account_id, previous],
                            sku={"name": model.sku, "capacity": model.capacity},
                            properties={"model": deployment}))
        previous = p.id(f"{COG}/deployments", name, model.model)
    return out
