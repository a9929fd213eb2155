"""The AI Factory preflight's static checks that the model's own validation does not cover.

BYO subnets, BYO App Service Environment, AKS egress through a firewall, bring-your-own
Application Insights, service contacts and the GitHub repository name live in
`FactoryConfig.aifactory_extra` (keyed by their `.env` names, or by the name an imported file
gave a variable no row knows), because the wizard does not model them yet. `preflight.sh`
(aifactory.md §5.3) still checks them, and the IP allow-lists the model does hold, as it reads
them: a wrong value fails a deployment just as surely. Each finding names the preflight.sh code
it stands for, so a user can match the two reports.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Iterator

from wizard.findings import Finding
from wizard.model import FactoryConfig
from wizard.template_tags import holds_placeholder

EMAIL = re.compile(r"[^@\s,]+@[^@\s,]+\.[^@\s,]+")
ARM_ID_NO_SLASH = re.compile(r"subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[^/]+/providers/.+/[^/]+")


IPV4_OR_CIDR = re.compile(r"^([0-9]{1,3}\.){3}[0-9]{1,3}(/[0-9]{1,2})?$")
"""preflight.sh's IP_FORMAT test for one allow-list entry."""

CIDR_RANGE_KEYS: tuple[str, ...] = ("DEV_CIDR_RANGE", "STAGE_CIDR_RANGE", "PROD_CIDR_RANGE")


def _value(config: FactoryConfig, key: str) -> str:
    return config.aifactory_extra.get(key, "").strip()


def _missing(config: FactoryConfig, key: str) -> bool:
    """preflight.sh's `is_unset_placeholder`: empty, or holding `<todo>` or `<optional>`."""
    value = _value(config, key)
    return not value or holds_placeholder(value)


def _finding(severity: str, code: str, message: str, hint: str, key: str) -> Finding:
    return Finding(severity, code, message, hint, f"aifactory_extra.{key}", "", "variables")  # type: ignore[arg-type]


def _byo_subnets(config: FactoryConfig) -> Iterator[Finding]:
    """BYO_SUBNETS=true skips subnet creation, so every subnet the services need must be named."""
    if _value(config, "BYO_SUBNETS").lower() != "true":
        return
    services = config.services
    needed = {
        "VNET_RESOURCE_GROUP_PARAM": "the existing VNet's resource group",
        "VNET_NAME_FULL_PARAM": "the existing VNet",
        "SUBNET_COMMON": "the common subnet",
        "SUBNET_COMMON_SCORING": "the scoring subnet",
        "SUBNET_PROJ_GENAI": "the project private-endpoint subnet",
    }
    if services.aks or (services.azure_ml and services.aks_for_azure_ml):
        needed["SUBNET_PROJ_AKS"] = "the AKS subnet"
    if services.container_apps:
        needed["SUBNET_PROJ_ACA"] = "the Container Apps subnet"
    if services.ai_foundry and services.agent_network_injection:
        needed["SUBNET_PROJ_ACA2"] = "the Foundry agent subnet (/23, delegated to Microsoft.App/environments)"
    if services.webapp or services.function:
        needed["SUBNET_PROJ_WEBAPP"] = "the App Service subnet (delegated to Microsoft.Web/serverFarms)"
    if services.databricks:
        needed["SUBNET_PROJ_DATABRICKS_PUBLIC"] = "the Databricks public subnet"
        needed["SUBNET_PROJ_DATABRICKS_PRIVATE"] = "the Databricks private subnet"
    for key, what in needed.items():
        if _missing(config, key):
            yield _finding("error", "AIF-BYO-SUBNET", f"BYO_SUBNETS is on but {key} ({what}) is not named",
                           "name the existing subnet (<xxx> stands for the project number, <network_env> for "
                           "the environment prefix), or turn BYO_SUBNETS off", key)


def _byo_ase(config: FactoryConfig) -> Iterator[Finding]:
    """A BYO App Service Environment id must be a full ARM id without the leading slash."""
    if _value(config, "BYO_ASEV3").lower() != "true":
        return
    key = "BYO_ASE_FULL_RESOURCE_ID"
    value = _value(config, key)
    if _missing(config, key):
        yield _finding("error", "AIF-BYO-ASE", "BYO_ASEV3 is on but BYO_ASE_FULL_RESOURCE_ID is not set",
                       "give subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Web/hostingEnvironments/"
                       "<name>", key)
    elif value.startswith("/"):
        yield _finding("error", "AIF-BYO-ASE-SLASH", "BYO_ASE_FULL_RESOURCE_ID starts with '/', which Git Bash "
                       "on the runners turns into a file path", f"write it without the leading slash: {value[1:]}", key)
    elif not ARM_ID_NO_SLASH.fullmatch(value):
        yield _finding("error", "AIF-BYO-ASE-ID", f"BYO_ASE_FULL_RESOURCE_ID {value!r} is not a resource id",
                       "use subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Web/hostingEnvironments/"
                       "<name>", key)


def _uses_aks(config: FactoryConfig) -> bool:
    """ENABLE_AKS or ENABLE_AKS_FOR_AZURE_ML as exported for any project: preflight.sh's AKS test."""
    sources = [config.services, *(config.project_services(p) for p in config.projects)]
    return any(s.aks or s.aks_for_azure_ml for s in sources)


def _aks_egress(config: FactoryConfig) -> Iterator[Finding]:
    """AKS egress through a firewall needs the firewall's IP and a private DNS zone other than system.

    Like preflight.sh: only with AKS on, and the values compared case-insensitively.
    """
    if not _uses_aks(config) or _value(config, "AKS_OUTBOUND_TYPE").lower() != "userdefinedrouting":
        return
    key = "AKS_AZURE_FIREWALL_PRIVATE_IP"
    address = _value(config, key)
    if _missing(config, key):
        yield _finding("error", "AIF-AKS-UDR-FIREWALL", "AKS_OUTBOUND_TYPE is userDefinedRouting but "
                       "AKS_AZURE_FIREWALL_PRIVATE_IP is empty (preflight.sh AKS_UDR_NO_FW_IP)",
                       "give the Azure Firewall's private IP, an address in its subnet, e.g. 10.0.1.4", key)
    elif not _is_ipv4(address):
        yield _finding("error", "AIF-AKS-UDR-FIREWALL-IP", f"AKS_AZURE_FIREWALL_PRIVATE_IP {address!r} is not a "
                       "valid IPv4 address (preflight.sh AKS_UDR_FW_IP_BAD)",
                       "give one IPv4 address inside the Azure Firewall subnet, e.g. 10.0.1.4", key)
    if (_value(config, "AKS_PRIVATE_DNS_ZONE") or "system").lower() == "system":
        yield _finding("error", "AIF-AKS-UDR-DNS", "AKS behind a firewall (userDefinedRouting) cannot use the "
                       "'system' private DNS zone (preflight.sh AKS_UDR_DNS_SYSTEM)",
                       "set AKS_PRIVATE_DNS_ZONE to 'none' or the resource id of an existing zone",
                       "AKS_PRIVATE_DNS_ZONE")


def _is_ipv4(text: str) -> bool:
    """Four dotted numbers (preflight.sh's test) that are also a real address (Azure's)."""
    try:
        ipaddress.IPv4Address(text)
    except ValueError:
        return False
    return IPV4_OR_CIDR.match(text) is not None


def _observability(config: FactoryConfig) -> Iterator[Finding]:
    """A bring-your-own Application Insights needs its connection string and its Log Analytics
    workspace. Named in the spelling of the file they came from (.env or variables.yaml)."""
    ado = "existingApplicationInsightsResourceId" in config.aifactory_extra
    appi, connection, workspace, mixed = (pair[1] if ado else pair[0] for pair in (
        ("EXISTING_APPLICATION_INSIGHTS_RESOURCE_ID", "existingApplicationInsightsResourceId"),
        ("EXISTING_APPLICATION_INSIGHTS_CONNECTION_STRING", "existingApplicationInsightsConnectionString"),
        ("EXISTING_LOG_ANALYTICS_WORKSPACE_RESOURCE_ID", "existingLogAnalyticsWorkspaceResourceId"),
        ("ALLOW_MIXED_OBSERVABILITY_WORKSPACES", "allowMixedObservabilityWorkspaces"),
    ))
    if _missing(config, appi):
        return
    if _missing(config, connection):
        yield _finding("error", "AIF-APPI-NO-CONNSTR", f"{appi} is set but the connection string is empty "
                       "(preflight.sh APPI_NO_CONNSTR)",
                       f"set {connection}: az monitor app-insights component show --ids <that id> "
                       "--query connectionString -o tsv", connection)
    if _missing(config, workspace) and _value(config, mixed).lower() not in ("true", "1", "yes", "y"):
        yield _finding("error", "AIF-APPI-NO-LAW", f"{appi} is set without a matching {workspace} "
                       "(preflight.sh APPI_NO_LAW)",
                       f"set {workspace} to the workspace behind that Application Insights, or set "
                       f"{mixed}=true if the mix is intended", workspace)


def _ip_entries(label: str, entries: Iterable[str], field: str) -> Iterator[Finding]:
    """preflight.sh's `_validate_ip_list`: each entry X.X.X.X or X.X.X.X/Y, and none that admits everyone."""
    for raw in entries:
        entry = re.sub(r"\s", "", raw)
        if not entry:
            continue
        if entry in ("0.0.0.0/0", "0.0.0.0") or (entry.endswith("/0") and IPV4_OR_CIDR.match(entry)):
            yield Finding("warning", "AIF-IP-ANY", f"{label} contains {entry!r}, equivalent to no restriction "
                          "(preflight.sh IP_ANY)", "list only your users' and runners' addresses", field, "",
                          "variables")
        elif not IPV4_OR_CIDR.match(entry):
            yield Finding("error", "AIF-IP-FORMAT", f"{label} entry {entry!r} is not a valid IPv4 address/CIDR "
                          "(preflight.sh IP_FORMAT)", "use X.X.X.X or X.X.X.X/Y, comma-separated, no spaces",
                          field, "", "variables")


def _ip_lists(config: FactoryConfig) -> Iterator[Finding]:
    """The allow-lists preflight.sh reads: project_IP_whitelist (the model's access and project
    lists, or a verbatim PROJECT_IP_WHITELIST) and acr_IP_whitelist."""
    yield from _ip_entries("project_IP_whitelist (access.ip_allow_list)", config.access.ip_allow_list,
                           "access.ip_allow_list")
    for index, project in enumerate(config.projects):
        yield from _ip_entries(f"project_IP_whitelist (project {project.number})", project.ip_allow_list,
                               f"projects.{index}.ip_allow_list")
    yield from _ip_entries("acr_IP_whitelist (access.acr_ip_allow_list)", config.access.acr_ip_allow_list,
                           "access.acr_ip_allow_list")
    for key in ("PROJECT_IP_WHITELIST", "project_IP_whitelist"):
        text = config.aifactory_extra.get(key, "")
        if text.strip() not in ("", "-") and not holds_placeholder(text):
            yield from _ip_entries(key, text.split(","), f"aifactory_extra.{key}")


def _cidr_ranges(config: FactoryConfig) -> Iterator[Finding]:
    """An imported file's octet text kept verbatim is what export writes; it must be plain digits."""
    for key in CIDR_RANGE_KEYS:
        text = config.aifactory_extra.get(key)
        if text is None or holds_placeholder(text) or re.fullmatch(r"0|[1-9][0-9]{0,2}", text):
            continue
        env = key.split("_")[0].lower()
        octet = config.environments.get(env).cidr_octet  # type: ignore[arg-type]
        yield _finding("error", "AIF-NET-OCTET-TEXT", f"{key} is kept as {text!r} from an imported file and would be "
                       f"exported so; the AI Factory's bicep puts that text into its addresses (172.16.{text}.0/26), "
                       "which preflight.sh rejects (CIDR_RANGE_INVALID or CIDR_SUBNET_BAD)",
                       f"remove aifactory_extra.{key} so the export writes environments.{env}.cidr_octet, {octet}",
                       key)


def _contacts(config: FactoryConfig) -> Iterator[Finding]:
    """Services that need a contact e-mail get one."""
    if config.services.postgresql and not EMAIL.fullmatch(_value(config, "POSTGRES_ADMIN_EMAILS")):
        yield _finding("error", "AIF-PG-ADMIN", "PostgreSQL is on but POSTGRES_ADMIN_EMAILS is not an e-mail address",
                       "give the administrator's e-mail, e.g. dba@contoso.com", "POSTGRES_ADMIN_EMAILS")
    if config.services.elasticsearch:
        email = _value(config, "ELASTIC_EMAIL")
        if not EMAIL.fullmatch(email) or email.endswith("@example.com"):
            yield _finding("error", "AIF-ELASTIC-EMAIL", "Elastic Cloud needs a real account e-mail (ELASTIC_EMAIL)",
                           "give the e-mail of your Elastic account owner", "ELASTIC_EMAIL")


def _github(config: FactoryConfig) -> Iterator[Finding]:
    """GITHUB_NEW_REPO must be owner/repo, or the bootstrap script fails."""
    key = "GITHUB_NEW_REPO"
    value = _value(config, key)
    if value and not holds_placeholder(value) and not re.fullmatch(r"[\w.-]+/[\w.-]+", value):
        yield _finding("error", "AIF-GITHUB-REPO", f"GITHUB_NEW_REPO {value!r} is not in owner/repo form",
                       "write it as <org>/<repository>, e.g. contoso/aifactory-001", key)


def variable_findings(config: FactoryConfig) -> Iterator[Finding]:
    """Every preflight.sh static check the model's own validation leaves to the rules."""
    for rule in (_byo_subnets, _byo_ase, _aks_egress, _observability, _ip_lists, _cidr_ranges, _contacts, _github):
        yield from rule(config)
