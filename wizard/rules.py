"""Offline checks: a FactoryConfig in, Findings out, no network.

These port the AI Factory preflight's static checks (aifactory.md §5.3) and add what it misses:
missing values, `<todo>` left in, name lengths, risky combinations (free AI Search with private
endpoints, CMK without purge protection), duplicate projects and shared subscriptions. Address
planning problems come from `network.network_findings`. Each rule is a small function; `RULES`
lists them and `run_rules` runs them all, the address plan's last. Live checks (quotas, providers, permissions) are in
`wizard/azure/checks.py` and report the same Finding shape.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator

from wizard import catalog, naming, network, template_tags
from wizard.findings import Finding, SetField
from wizard.interop import keys
from wizard.model import EnvName, FactoryConfig, HubSpokeZone, HybridZone, VwanZone
from wizard.variable_rules import variable_findings

Rule = Callable[[FactoryConfig], Iterator[Finding]]


def _required(config: FactoryConfig) -> Iterator[Finding]:
    """Values the AI Factory needs before it can deploy; tenant-specific ones warn until set."""
    for name, env in config.environments.enabled():
        if env.subscription_id is None:
            yield Finding(
                "warning", "AIF-REQ-SUBSCRIPTION", f"{name} has no subscription yet",
                "pick one before deploying (the demo fills the demo tenant's)",
                f"environments.{name}.subscription_id", name, "required",
            )
    identity = config.identity
    if identity.tenant_id is None:
        yield Finding("warning", "AIF-REQ-TENANT", "the tenant id is not set",
                      "Entra ID > Overview > Tenant ID; signing in fills it", "identity.tenant_id",
                      check="required")
    if config.services.ai_foundry and identity.azureml_oid is None:
        yield Finding(
            "warning", "AIF-REQ-AZUREML-OID",
            "AI Foundry needs the object id of the 'Azure Machine Learning' enterprise application",
            "Entra ID > Enterprise applications > Azure Machine Learning > Object ID "
            "(not the appId 0736f41a-…)", "identity.azureml_oid", check="required",
        )
    if config.services.databricks and identity.databricks_oid is None:
        yield Finding("error", "AIF-REQ-DATABRICKS-OID",
                      "Databricks is on but the 'AzureDatabricks' enterprise app object id is missing",
                      "Entra ID > Enterprise applications > AzureDatabricks > Object ID",
                      "identity.databricks_oid", check="required")
    for index, project in enumerate(config.projects):
        if not project.members:
            yield Finding("warning", "AIF-REQ-MEMBERS", f"project {project.number} has no members",
                          "add the Entra object ids of its users or groups",
                          f"projects.{index}.members", check="required")


def _zone(config: FactoryConfig) -> Iterator[Finding]:
    """What each landing-zone mode needs from the hub, and access that contradicts the mode."""
    zone = config.landing_zone
    if isinstance(zone, (HubSpokeZone, VwanZone)):
        ids = zone.hub_vnet_ids if isinstance(zone, HubSpokeZone) else zone.virtual_hub_ids
        key = "hub_vnet_ids" if isinstance(zone, HubSpokeZone) else "virtual_hub_ids"
        what = "hub VNet" if isinstance(zone, HubSpokeZone) else "virtual hub"
        for name, _ in config.environments.enabled():
            if name not in ids:
                yield Finding("error", "AIF-ZONE-HUB-MISSING", f"{name} has no {what} to connect to",
                              f"give the {what}'s resource id", f"landing_zone.{key}.{name}", name, "landing_zone")
        if zone.dns.subscription_id is None or zone.dns.resource_group is None:
            yield Finding("error", "AIF-ZONE-DNS-MISSING",
                          "the hub's private DNS zones (subscription and resource group) are not set",
                          "name the connectivity subscription and the resource group holding privatelink.* zones",
                          "landing_zone.dns", check="landing_zone")
        if not zone.dns.records_by_policy:
            yield Finding("warning", "AIF-ZONE-DNS-POLICY",
                          "without a DNS policy in the hub nobody creates the private endpoints' A-records",
                          "assign the DeployIfNotExists private-DNS policy in the hub, or create records yourself",
                          "landing_zone.dns.records_by_policy", check="landing_zone")
        if not config.access.is_private_only:
            yield Finding("info", "AIF-ZONE-PUBLIC", f"public access is on although the {what} gives private reach",
                          "turn the three public-access switches off for private-only access",
                          "access", check="landing_zone")
    if isinstance(zone, HybridZone):
        if "ip_allow_list" in zone.access_paths:
            if not config.access.ip_allow_list and not any(p.ip_allow_list for p in config.projects):
                yield Finding("error", "AIF-HYBRID-NO-IPS", "hybrid access by IP allow-list, but the list is empty",
                              "add the users' public IPs or ranges, e.g. 203.0.113.0/24", "access.ip_allow_list",
                              check="landing_zone")
            if config.access.is_private_only:
                yield Finding("error", "AIF-HYBRID-PRIVATE",
                              "hybrid access by IP allow-list, but all public access is off",
                              "turn on enable_public_genai_access and allow_public_access_when_behind_vnet",
                              "access.enable_public_genai_access", check="landing_zone")
        if "bastion" in zone.access_paths and not config.access.bastion:
            yield Finding("error", "AIF-HYBRID-BASTION", "hybrid access through Bastion, but Bastion is off",
                          "turn on access.bastion", "access.bastion", check="landing_zone",
                          fix=SetField("access.bastion", True))
        if "vpn" in zone.access_paths and not zone.vpn_client_prefixes:
            yield Finding("warning", "AIF-HYBRID-VPN-POOL", "point-to-site VPN without a client address pool",
                          "give the VPN client range so overlaps can be checked", "landing_zone.vpn_client_prefixes",
                          check="landing_zone")


def _todos(config: FactoryConfig) -> Iterator[Finding]:
    """`<todo>` and `<optional>` placeholders, judged as the AI Factory's preflight.sh judges them.

    A placeholder in a variable the template tags `<mandatory>` stops its preflight
    (CONFIG_MANDATORY_UNSET), one in any other variable only warns (CONFIG_OPTIONAL_UNSET),
    whether or not the wizard models the value.
    """

    def walk(value: object, path: str) -> Iterator[tuple[str, str]]:
        if isinstance(value, dict):
            for key, inner in value.items():
                yield from walk(inner, f"{path}.{key}" if path else str(key))
        elif isinstance(value, list):
            for index, inner in enumerate(value):
                yield from walk(inner, f"{path}.{index}")
        elif isinstance(value, str) and template_tags.holds_placeholder(value):
            yield path, value

    data = config.model_dump(mode="json")
    extra = data.pop("aifactory_extra", {})
    found = [(path, value, _variables_of_path(path, extra)) for path, value in walk(data, "")]
    found += [(f"aifactory_extra.{key}", value, _variable_of_key(key)) for key, value in extra.items()
              if template_tags.holds_placeholder(value)]
    for path, value, (names, mandatory) in found:
        what = f"{path} ({', '.join(names)})" if names and not path.endswith(f".{names[0]}") else path
        if mandatory:
            yield Finding("error", "AIF-TODO", f"{what} still holds the placeholder {value!r}; the AI Factory's "
                          "template marks it <mandatory>, so its preflight stops (CONFIG_MANDATORY_UNSET)",
                          "replace it with the real value", path, check="required")
        else:
            yield Finding("warning", "AIF-TODO-OPTIONAL", f"{what} still holds the placeholder {value!r}; the AI "
                          "Factory's preflight warns (CONFIG_OPTIONAL_UNSET)",
                          "replace it if your setup uses it, or clear it", path, check="required")


def _variables_of_path(path: str, extra: dict[str, str]) -> tuple[list[str], bool]:
    """Names of the AI Factory variables a FactoryConfig path is written to, and whether the
    template marks any of them <mandatory>: its row, then the rows that copy it per stage in
    variables.yaml (Stage and Prod seeding Key Vault) unless those keep a text of their own."""
    generic = re.sub(r"\.\d+$", "", re.sub(r"^projects\.\d+\.", "projects.0.", path))
    rows = sorted((v for v in keys.TABLE if generic in (v.path, *v.copies) and not (v.mirror and v.key in extra)),
                  key=lambda v: v.mirror)
    return [row.key for row in rows], any(template_tags.is_mandatory(row.env, row.ado) for row in rows)


def _variable_of_key(key: str) -> tuple[list[str], bool]:
    """A verbatim variable's name and tag; a name no row knows is looked up in both templates."""
    var = keys.by_key(key)
    if var is None:
        return [key], key in template_tags.MANDATORY_ADO or key in template_tags.MANDATORY_ENV
    return [key], template_tags.is_mandatory(var.env, var.ado)


def _regions(config: FactoryConfig) -> Iterator[Finding]:
    """Each environment's region must exist."""
    for name, env in config.environments.enabled():
        if catalog.region(env.region) is None:
            close = catalog.suggest_region(env.region)
            hint = f"did you mean {close[0]}?" if close else "use an Azure region name such as eastus2"
            yield Finding("error", "AIF-REGION-UNKNOWN", f"{name}: {env.region!r} is not an Azure region",
                          hint, f"environments.{name}.region", name, "region")


def _names(config: FactoryConfig) -> Iterator[Finding]:
    """Every generated name within Azure's length and character rules."""
    yield from naming.name_findings(config)
    if config.naming.prefix and not config.naming.prefix.endswith("-"):
        yield Finding("info", "AIF-NAME-PREFIX-DASH", f"the prefix {config.naming.prefix!r} has no trailing dash",
                      f"use {config.naming.prefix + '-'!r} to separate it from the rest of each name",
                      "naming.prefix", check="naming")


def _services(config: FactoryConfig) -> Iterator[Finding]:
    """Service combinations the AI Factory cannot deploy."""
    skus, services = config.skus, config.services
    if services.ai_search and skus.ai_search_tier == "free":
        yield Finding("error", "AIF-SEARCH-FREE-PE", "the free AI Search tier cannot use private endpoints",
                      "use basic or higher", "skus.ai_search_tier", check="services",
                      fix=SetField("skus.ai_search_tier", "basic"))
    if services.ai_search and skus.semantic_tier != "disabled" and skus.ai_search_tier == "free":
        yield Finding("warning", "AIF-SEARCH-SEMANTIC", "the semantic ranker needs AI Search basic or higher",
                      "raise the tier or disable the semantic ranker", "skus.semantic_tier", check="services",
                      fix=SetField("skus.semantic_tier", "disabled"))
    if services.foundry_caphost and not services.cosmos_db:
        yield Finding("error", "AIF-CAPHOST-COSMOS",
                      "the Foundry capability host keeps agent threads in Cosmos DB, which is off",
                      "turn on services.cosmos_db or turn off services.foundry_caphost",
                      "services.cosmos_db", check="services", fix=SetField("services.cosmos_db", True))
    if skus.acr_sku != "Premium":
        yield Finding("error", "AIF-ACR-PREMIUM", f"ACR {skus.acr_sku} cannot have private endpoints",
                      "use the Premium SKU", "skus.acr_sku", check="services",
                      fix=SetField("skus.acr_sku", "Premium"))
    if services.azure_ml and not services.aks_for_azure_ml:
        yield Finding("info", "AIF-AML-NO-AKS", "Azure ML without AKS: online endpoints will use managed compute",
                      "turn on services.aks_for_azure_ml for AKS inference", "services.aks_for_azure_ml",
                      check="services")
    for index, deployment in enumerate(skus.models):
        known = catalog.MODELS.get(deployment.model)
        field = f"skus.models.{index}"
        if known is None:
            yield Finding("warning", "AIF-MODEL-UNKNOWN", f"model {deployment.model!r} is not one the wizard knows",
                          f"known models: {', '.join(catalog.MODELS)}", f"{field}.model", check="models")
        elif deployment.sku not in known.skus:
            yield Finding("error", "AIF-MODEL-SKU", f"{deployment.model} cannot be deployed as {deployment.sku}",
                          f"use one of {', '.join(known.skus)}", f"{field}.sku", check="models")


def _security(config: FactoryConfig) -> Iterator[Finding]:
    """CMK and Key Vault protection that fit together."""
    security = config.security
    if security.cmk:
        if not security.keyvault_purge_protection:
            yield Finding("error", "AIF-CMK-PURGE", "customer-managed keys need Key Vault purge protection",
                          "turn on security.keyvault_purge_protection (it cannot be turned off later)",
                          "security.keyvault_purge_protection", check="security",
                          fix=SetField("security.keyvault_purge_protection", True))
        if security.keyvault_soft_delete_days == 0:
            yield Finding("error", "AIF-CMK-SOFT-DELETE", "customer-managed keys need Key Vault soft-delete",
                          "set security.keyvault_soft_delete_days to 90", "security.keyvault_soft_delete_days",
                          check="security", fix=SetField("security.keyvault_soft_delete_days", 90))
        if not security.cmk_key_name:
            yield Finding("error", "AIF-CMK-KEY", "CMK is on but no key name is given",
                          "name the RSA 2048 key in the seeding Key Vault", "security.cmk_key_name", check="security")
    if security.keyvault_purge_protection and security.keyvault_soft_delete_days == 0:
        yield Finding("error", "AIF-KV-PURGE-NO-SOFT-DELETE", "purge protection needs soft-delete",
                      "set security.keyvault_soft_delete_days to 7-90", "security.keyvault_soft_delete_days",
                      check="security")
    if 0 < security.keyvault_soft_delete_days < 90:
        yield Finding("info", "AIF-KV-SOFT-DELETE-SHORT",
                      f"deleted Key Vaults are kept {security.keyvault_soft_delete_days} days",
                      "90 days is recommended for production", "security.keyvault_soft_delete_days",
                      check="security")


def _projects(config: FactoryConfig) -> Iterator[Finding]:
    """Project numbering and the scale set's practical limits."""
    counts = Counter(p.number for p in config.projects)
    for number, count in counts.items():
        if count > 1:
            index = next(i for i, p in enumerate(config.projects) if p.number == number)
            yield Finding("error", "AIF-PRJ-DUPLICATE", f"project number {number} is used {count} times",
                          f"give each project its own number; the next free one is {_next_free(counts)}",
                          f"projects.{index}.number", check="projects")
    if len(config.projects) >= 20:
        yield Finding("warning", "AIF-PRJ-RBAC-LIMIT",
                      f"{len(config.projects)} projects: at about 75 role assignments each, a subscription's "
                      "4,000 are nearly used up", "start a new scale set (naming.scale_set_suffix -002)",
                      "projects", check="projects")
    elif len(config.projects) >= 10:
        yield Finding("info", "AIF-PRJ-SCALE-SET", f"{len(config.projects)} projects in one scale set",
                      "the AI Factory recommends a new scale set before the 10th project",
                      "naming.scale_set_suffix", check="projects")


def _next_free(counts: Counter[str]) -> str:
    number = 1
    while f"{number:03d}" in counts:
        number += 1
    return f"{number:03d}"


def _subscriptions(config: FactoryConfig) -> Iterator[Finding]:
    """Production should not share development's subscription."""
    envs = config.environments
    if envs.prod.enabled and envs.dev.enabled and envs.prod.subscription_id is not None \
            and envs.prod.subscription_id == envs.dev.subscription_id:
        yield Finding("warning", "AIF-SUB-SHARED-PROD", "prod uses the same subscription as dev",
                      "give prod its own subscription (and its own service principal)",
                      "environments.prod.subscription_id", "prod", "subscription")


def _variables(config: FactoryConfig) -> Iterator[Finding]:
    yield from variable_findings(config)


RULES: tuple[Rule, ...] = (
    _required, _todos, _zone, _regions, _names, _services, _security, _projects, _subscriptions, _variables,
)
"""Every offline rule but the address plan's, in the order their findings are reported."""


def run_rules(config: FactoryConfig, *, capacity_for: Collection[EnvName] | None = None) -> list[Finding]:
    """All offline findings for `config`, the address plan's last.

    Whether the projects fit depends on the subnets the live VNet already holds, so a live run
    judges that from Azure and passes the environments it cannot read as `capacity_for`; by
    default every environment is judged as a fresh VNet.
    """
    findings = [finding for rule in RULES for finding in rule(config)]
    return findings + network.network_findings(config, capacity_for=capacity_for)


PROJECT_SHAPE = ("projects.*.number", "projects.*.services")
"""What of the projects decides their names and subnets: how many, their numbers, their services
(a project's name, members or allow-list does not; with hundreds of projects the two rules reading
these take most of a keystroke's budget)."""

RULE_READS: dict[str, tuple[str, ...]] = {
    "_required": ("environments", "identity", "services", "projects"),
    "_zone": ("landing_zone", "access", "projects"),
    "_regions": ("environments",),
    "_names": ("naming", "environments", *PROJECT_SHAPE, "services", "aifactory_extra", "identity", "access",
               "security"),
    "_services": ("services", "skus", "projects"),
    "_security": ("security",),
    "_projects": ("projects",),
    "_subscriptions": ("environments",),
    "_variables": ("aifactory_extra", "access", "projects", "environments", "services"),
    "network": ("network", "environments.*.enabled", "environments.*.cidr_octet", "environments.*.network_env",
                "landing_zone", *PROJECT_SHAPE, "services", "aifactory_extra"),
}
"""The configuration paths each rule reads (`_todos` reads everything: it is not listed, so it
always runs). A change re-runs only the rules that read what changed (`OfflineRules`)."""


class OfflineRules:
    """The offline findings of a configuration being edited, kept per rule.

    A keystroke should be checked within a frame; the whole rule set takes tens of milliseconds
    with a few projects and grows with them, so after a change only the rules that read a changed
    path run again (WIZARD.md, budgets while typing). `findings` equals `run_rules(config)`.
    """

    def __init__(self, config: FactoryConfig) -> None:
        self.config = config
        self._by_rule: dict[str, list[Finding]] = {name: list(rule(config)) for name, rule in self._rules()}

    @staticmethod
    def _rules() -> list[tuple[str, Callable[[FactoryConfig], Iterable[Finding]]]]:
        return [*((rule.__name__, rule) for rule in RULES), ("network", network.network_findings)]

    def update(self, config: FactoryConfig) -> list[Finding]:
        """Move to `config`, re-running the rules that read what changed; the findings."""
        from wizard.edit import changed_paths, path_matches

        changed = changed_paths(self.config, config)
        self.config = config
        for name, rule in self._rules():
            reads = RULE_READS.get(name)
            if reads is None or any(path_matches(r, c) or path_matches(c, r) for r in reads for c in changed):
                self._by_rule[name] = list(rule(config))
        return self.findings

    @property
    def findings(self) -> list[Finding]:
        """Every offline finding, in `run_rules` order."""
        return [f for name, _ in self._rules() for f in self._by_rule[name]]
