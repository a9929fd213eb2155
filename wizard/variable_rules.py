"""The AI Factory preflight's static checks on the variables the model keeps verbatim.

BYO subnets, BYO App Service Environment, AKS egress through a firewall, service contacts and the
GitHub repository name live in `FactoryConfig.aifactory_extra` (keyed by their `.env` names),
because the wizard does not model them yet. `preflight.sh` (aifactory.md §5.3) still checks
them, and so do we: a wrong value there fails a deployment just as surely.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

from wizard.findings import Finding
from wizard.model import TODO, FactoryConfig

EMAIL = re.compile(r"[^@\s,]+@[^@\s,]+\.[^@\s,]+")
ARM_ID_NO_SLASH = re.compile(r"subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[^/]+/providers/.+/[^/]+")


def _value(config: FactoryConfig, key: str) -> str:
    return config.aifactory_extra.get(key, "").strip()


def _missing(config: FactoryConfig, key: str) -> bool:
    value = _value(config, key)
    return not value or TODO in value


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


def _aks_egress(config: FactoryConfig) -> Iterator[Finding]:
    """AKS egress through a firewall needs the firewall's IP and a private DNS zone other than system."""
    if _value(config, "AKS_OUTBOUND_TYPE") != "userDefinedRouting":
        return
    key = "AKS_AZURE_FIREWALL_PRIVATE_IP"
    try:
        ipaddress.IPv4Address(_value(config, key))
    except ValueError:
        yield _finding("error", "AIF-AKS-UDR-FIREWALL", "AKS_OUTBOUND_TYPE is userDefinedRouting but "
                       "AKS_AZURE_FIREWALL_PRIVATE_IP is not an IPv4 address", "give the Azure Firewall's private IP, "
                       "e.g. 10.0.1.4", key)
    if _value(config, "AKS_PRIVATE_DNS_ZONE") in ("", "system"):
        yield _finding("error", "AIF-AKS-UDR-DNS", "AKS behind a firewall cannot use the 'system' private DNS zone",
                       "set AKS_PRIVATE_DNS_ZONE to 'none' or the resource id of an existing zone",
                       "AKS_PRIVATE_DNS_ZONE")


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
    if value and TODO not in value and not re.fullmatch(r"[\w.-]+/[\w.-]+", value):
        yield _finding("error", "AIF-GITHUB-REPO", f"GITHUB_NEW_REPO {value!r} is not in owner/repo form",
                       "write it as <org>/<repository>, e.g. contoso/aifactory-001", key)


def variable_findings(config: FactoryConfig) -> Iterator[Finding]:
    """Every preflight.sh static check on the verbatim AI Factory variables."""
    for rule in (_byo_subnets, _byo_ase, _aks_egress, _contacts, _github):
        yield from rule(config)
