"""Live checks: what only Azure can answer, reported as Findings like the offline rules.

Each `check_*` function takes a `CheckContext` (the session, the configuration, the tenant) and
one environment target, reads through the session's cache, and returns Findings whose `check`
is its grid column. Every finding says what to do: the quota request link, the
`az provider register` command, the role to grant, the next free name.

Reads are keyed by what they fetch, not by who asks, so two checks (or two environments sharing
a subscription) that need a subscription's providers cause one request.
"""

from __future__ import annotations

import ipaddress
import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from wizard import catalog, naming, network
from wizard.azure.clients import ReadCancelled
from wizard.azure.sdk_models import prepared
from wizard.findings import Finding, Fix, OpenLink, RegisterProvider, RunCommand, SetField
from wizard.model import EnvironmentConfig, EnvName, FactoryConfig, HubSpokeZone, VwanZone
from wizard.network import LiveVnet
from wizard.quota import QUOTA_LINK, Usage, compute_demand, over_quota, search_need, tpm_needs, vcpu_needs

if TYPE_CHECKING:
    from wizard.azure.clients import AzureSession

T = TypeVar("T")

ROLE_WRITE = "Microsoft.Authorization/roleAssignments/write"


@dataclass(frozen=True, slots=True)
class Target:
    """One environment as the live checks see it."""

    name: EnvName
    env: EnvironmentConfig
    subscription_id: str

    @property
    def region(self) -> str:
        return self.env.region


@dataclass
class CheckContext:
    """What every live check needs."""

    session: AzureSession
    """The run's session: SDK clients, the read cache and the worker pool."""
    config: FactoryConfig
    tenant_id: str | None
    targets: list[Target]
    """Every enabled environment that has a subscription."""
    unregistered: dict[str, list[str]] = field(default_factory=dict)
    """Subscription -> provider namespaces found not registered (for the 'register them?' offer)."""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    _names: dict[str, list[Any]] = field(default_factory=dict, repr=False)

    def unique_names(self, env_name: EnvName) -> list[Any]:
        """`naming.globally_unique_names` for one environment, computed once per run."""
        with self._lock:
            names = self._names.get(env_name)
            if names is None:
                names = self._names[env_name] = naming.globally_unique_names(self.config, env_name)
        return names

    def note_unregistered(self, subscription_id: str, namespace: str) -> None:
        """Remember a namespace to offer registering; called from check threads."""
        with self._lock:
            namespaces = self.unregistered.setdefault(subscription_id, [])
            if namespace not in namespaces:
                namespaces.append(namespace)


def _finding(severity: str, code: str, message: str, hint: str, target: Target | None,
             check: str, field: str = "", fix: Fix | None = None) -> Finding:
    return Finding(severity, code, message, hint, field, target.name if target else "", check, fix)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------- reads


class PreflightCancelled(ReadCancelled):
    """Raised by a read asked for after its run was cancelled; the check stops there."""


class Reads:
    """Every ARM read the checks make, each cached by what it fetches.

    `cancel` belongs to one preflight run (the session outlives many): once it is set, or the
    session is closed, the next read raises `PreflightCancelled`, so a cancelled run stops within
    one in-flight read per thread.
    """

    def __init__(self, session: AzureSession, cancel: threading.Event | None = None) -> None:
        self.s = session
        self.cancel = cancel or threading.Event()

    def _read(self, key: Any, fetch: Callable[[], T]) -> T:
        if self.cancel.is_set() or getattr(self.s, "closed", False):
            raise PreflightCancelled
        return self.s.read(key, fetch, self.cancel)

    def subscription(self, sub: str) -> Any:
        from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

        def fetch() -> Any:
            try:
                return prepared(self.s.subscriptions().subscriptions.get)(sub)
            except ResourceNotFoundError:
                return None
            except HttpResponseError as exc:
                if exc.status_code in (403, 404):
                    return None
                raise

        return self._read(("subscription", sub), fetch)

    def locations(self, sub: str) -> list[Any]:
        def fetch() -> list[Any]:
            return list(prepared(self.s.subscriptions().subscriptions.list_locations)(sub))

        return self._read(("locations", sub), fetch)

    def providers(self, sub: str) -> dict[str, Any]:
        def fetch() -> dict[str, Any]:
            return {p.namespace.lower(): p for p in prepared(self.s.resources(sub).providers.list)()}

        return self._read(("providers", sub), fetch)

    def permissions(self, sub: str) -> list[dict[str, Any]]:
        def fetch() -> list[dict[str, Any]]:
            path = f"/subscriptions/{sub}/providers/Microsoft.Authorization/permissions"
            value: list[dict[str, Any]] = self.s.request_json(sub, "GET", path, "2022-04-01").get("value", [])
            return value

        return self._read(("permissions", sub), fetch)

    def vm_skus(self, sub: str, region: str) -> dict[str, Any]:
        def fetch() -> dict[str, Any]:
            skus = prepared(self.s.compute(sub).resource_skus.list)(filter=f"location eq '{region}'")
            return {s.name.lower(): s for s in skus if (s.resource_type or "").lower() == "virtualmachines"}

        return self._read(("vm_skus", sub, region), fetch)

    def vcpu_usages(self, sub: str, region: str) -> dict[str, Any]:
        def fetch() -> dict[str, Any]:
            return {u.name.value.lower(): u for u in prepared(self.s.compute(sub).usage.list)(region)}

        return self._read(("vcpu", sub, region), fetch)

    def models(self, sub: str, region: str) -> list[Any]:
        def fetch() -> list[Any]:
            return list(prepared(self.s.cognitive(sub).models.list)(region))

        return self._read(("models", sub, region), fetch)

    def model_usages(self, sub: str, region: str) -> dict[str, Any]:
        def fetch() -> dict[str, Any]:
            return {u.name.value.lower(): u for u in prepared(self.s.cognitive(sub).usages.list)(region)}

        return self._read(("cog_usages", sub, region), fetch)

    def deleted_vaults(self, sub: str) -> dict[str, Any]:
        def fetch() -> dict[str, Any]:
            return {v.name.lower(): v for v in prepared(self.s.keyvault(sub).vaults.list_deleted)()}

        return self._read(("deleted_vaults", sub), fetch)

    def deleted_accounts(self, sub: str) -> dict[str, Any]:
        def fetch() -> dict[str, Any]:
            return {a.name.lower(): a for a in prepared(self.s.cognitive(sub).deleted_accounts.list)()}

        return self._read(("deleted_accounts", sub), fetch)

    def name_free(self, sub: str, kind: str, name: str) -> tuple[bool, str]:
        """(available, reason) for a globally unique name."""

        def fetch() -> tuple[bool, str]:
            if kind == "keyvault":
                result = prepared(self.s.keyvault(sub).vaults.check_name_availability)(
                    {"name": name, "type": "Microsoft.KeyVault/vaults"})
                return bool(result.name_available), str(result.message or result.reason or "")
            if kind == "storage":
                result = prepared(self.s.storage(sub).storage_accounts.check_name_availability)(
                    {"name": name, "type": "Microsoft.Storage/storageAccounts"})
                return bool(result.name_available), str(result.message or result.reason or "")
            data = self.s.request_json(
                sub, "POST", f"/subscriptions/{sub}/providers/Microsoft.ContainerRegistry/checkNameAvailability",
                "2023-07-01", {"name": name, "type": "Microsoft.ContainerRegistry/registries"})
            return bool(data.get("nameAvailable")), str(data.get("message") or data.get("reason") or "")

        return self._read(("name", kind, name.lower()), fetch)

    def _list_json(self, sub: str, path: str, api_version: str) -> list[dict[str, Any]] | None:
        """Every item of a paged ARM list (following nextLink); None when it cannot be read."""
        from azure.core.exceptions import HttpResponseError

        items: list[dict[str, Any]] = []
        next_link: str | None = path
        while next_link:
            try:
                page = self.s.request_json(sub, "GET", next_link, api_version)
            except HttpResponseError as exc:
                if exc.status_code in (403, 404):
                    return None
                raise
            items += page.get("value", [])
            next_link = page.get("nextLink")
        return items

    def vnets(self, sub: str) -> list[AddressRange]:
        """The VNets already in a subscription, with their address prefixes.

        Read as JSON through the resources client's pipeline: the network SDK client costs
        ~16 ms of CPU to construct per subscription, more than the request itself.
        """

        def fetch() -> list[AddressRange]:
            path = f"/subscriptions/{sub}/providers/Microsoft.Network/virtualNetworks"
            return [_address_range(item) for item in self._list_json(sub, path, NETWORK_API) or []]

        return self._read(("vnets", sub), fetch)

    def resource(self, resource_id: str) -> AddressRange | None:
        """A hub VNet or virtual hub by id; None when it does not exist or cannot be read."""
        from azure.core.exceptions import HttpResponseError

        sub = resource_id.strip("/").split("/")[1]

        def fetch() -> AddressRange | None:
            try:
                return _address_range(self.s.request_json(sub, "GET", resource_id, NETWORK_API))
            except HttpResponseError as exc:
                if exc.status_code in (403, 404):
                    return None
                raise

        return self._read(("resource", resource_id.lower()), fetch)

    def dns_zones(self, sub: str, group: str) -> set[str] | None:
        """Names of the private DNS zones in a resource group; None when it cannot be read."""

        def fetch() -> set[str] | None:
            path = f"/subscriptions/{sub}/resourceGroups/{group}/providers/Microsoft.Network/privateDnsZones"
            zones = self._list_json(sub, path, "2024-06-01")
            return None if zones is None else {z["name"].lower() for z in zones}

        return self._read(("dns_zones", sub, group.lower()), fetch)


    def _get_json(self, sub: str, path: str, api_version: str) -> dict[str, Any] | None:
        """One ARM object; None when it does not exist or this sign-in cannot read it."""
        from azure.core.exceptions import HttpResponseError

        try:
            body: dict[str, Any] = self.s.request_json(sub, "GET", path, api_version)
        except HttpResponseError as exc:
            if exc.status_code in (403, 404):
                return None
            raise
        return body

    def own_vnet(self, sub: str, group: str, name: str) -> LiveVnet | None:
        """The AI Factory's common VNet with its subnets, as the subnet calculator reads it."""

        def fetch() -> LiveVnet | None:
            path = f"/subscriptions/{sub}/resourceGroups/{group}/providers/Microsoft.Network/virtualNetworks/{name}"
            body = self._get_json(sub, path, NETWORK_API)
            return None if body is None else _live_vnet(body)

        return self._read(("own_vnet", sub, group.lower(), name.lower()), fetch)

    def exists(self, resource_id: str, api_version: str) -> bool:
        """Whether a resource is at `resource_id` (an ARM GET); False when it is not or cannot be read."""
        sub = resource_id.strip("/").split("/")[1]

        def fetch() -> bool:
            return self._get_json(sub, resource_id, api_version) is not None

        return self._read(("exists", resource_id.lower()), fetch)

    def cosmos_location(self, sub: str, region: str) -> dict[str, Any] | None:
        """Cosmos DB's view of a region for this subscription (`az cosmosdb locations show`)."""

        def fetch() -> dict[str, Any] | None:
            path = f"/subscriptions/{sub}/providers/Microsoft.DocumentDB/locations/{region}"
            body = self._get_json(sub, path, COSMOS_API)
            return None if body is None else dict(body.get("properties") or {})

        return self._read(("cosmos_location", sub, region.lower()), fetch)

    def search_usages(self, sub: str, region: str) -> dict[str, dict[str, Any]] | None:
        """AI Search services per SKU in a region: usage name (lower case) -> usage."""

        def fetch() -> dict[str, dict[str, Any]] | None:
            path = f"/subscriptions/{sub}/providers/Microsoft.Search/locations/{region}/usages"
            rows = self._list_json(sub, path, SEARCH_API)
            return None if rows is None else {str(r["name"]["value"]).lower(): r for r in rows}

        return self._read(("search_usages", sub, region.lower()), fetch)

    def policy_assignments(self, sub: str) -> list[dict[str, Any]] | None:
        """Policy assignments that apply to a subscription (`az policy assignment list`)."""

        def fetch() -> list[dict[str, Any]] | None:
            path = f"/subscriptions/{sub}/providers/Microsoft.Authorization/policyAssignments?$filter=atScope()"
            return self._list_json(sub, path, POLICY_API)

        return self._read(("policy_assignments", sub), fetch)


NETWORK_API = "2025-07-01"
COSMOS_API = "2025-04-15"
SEARCH_API = "2025-05-01"
POLICY_API = "2025-03-01"


def _live_vnet(body: dict[str, Any]) -> LiveVnet:
    """A VNet body as the calculator sees it: its prefixes and each subnet's (first) prefix."""
    props = body.get("properties") or {}
    prefixes = tuple(ipaddress.IPv4Network(p, strict=False)
                     for p in (props.get("addressSpace") or {}).get("addressPrefixes") or [])
    subnets = []
    for subnet in props.get("subnets") or []:
        inner = subnet.get("properties") or {}
        prefix = inner.get("addressPrefix") or next(iter(inner.get("addressPrefixes") or []), None)
        if prefix:
            subnets.append((str(subnet.get("name", "")), ipaddress.IPv4Network(prefix, strict=False)))
    return LiveVnet(str(body.get("name", "")), prefixes, tuple(subnets))


@dataclass(frozen=True, slots=True)
class AddressRange:
    """A VNet or virtual hub and the address prefixes it holds."""

    name: str
    prefixes: tuple[str, ...]


def _address_range(body: dict[str, Any]) -> AddressRange:
    """Prefixes of a VNet (`addressSpace.addressPrefixes`) or a virtual hub (`addressPrefix`)."""
    props = body.get("properties") or {}
    prefixes = (props.get("addressSpace") or {}).get("addressPrefixes") or []
    if not prefixes and props.get("addressPrefix"):
        prefixes = [props["addressPrefix"]]
    return AddressRange(str(body.get("name", "")), tuple(prefixes))


# ---------------------------------------------------------------------------------- checks


def check_subscription(ctx: CheckContext, reads: Reads, t: Target) -> list[Finding]:
    """The subscription exists, is enabled, belongs to the tenant; prod does not share dev's."""
    field = f"environments.{t.name}.subscription_id"
    sub = reads.subscription(t.subscription_id)
    if sub is None:
        return [_finding("error", "AIF-LIVE-SUB-MISSING", f"subscription {t.subscription_id} does not exist "
                         "or this sign-in cannot see it", "pick a subscription from `az account list`, or get "
                         "Reader on it", t, "subscription", field)]
    out = []
    state = str(getattr(sub.state, "value", sub.state) or "")
    if state != "Enabled":
        out.append(_finding("error", "AIF-LIVE-SUB-STATE", f"subscription {sub.display_name} is {state}",
                            "re-enable it (billing) or choose an enabled subscription", t, "subscription", field))
    if ctx.tenant_id and sub.tenant_id and sub.tenant_id.lower() != ctx.tenant_id.lower():
        out.append(_finding("error", "AIF-LIVE-SUB-TENANT",
                            f"subscription {sub.display_name} belongs to tenant {sub.tenant_id}, not {ctx.tenant_id}",
                            "sign in to that tenant, or pick a subscription of this one",
                            t, "subscription", field))
    if t.name == "prod":
        dev = next((o for o in ctx.targets if o.name == "dev"), None)
        if dev is not None and dev.subscription_id == t.subscription_id:
            out.append(_finding("warning", "AIF-LIVE-SUB-SHARED", "prod runs in dev's subscription",
                                "give prod its own subscription", t, "subscription", field))
    return out


def check_region(ctx: CheckContext, reads: Reads, t: Target) -> list[Finding]:
    """The region exists for the subscription and offers every resource type the services need."""
    field = f"environments.{t.name}.region"
    names = {loc.name.lower() for loc in reads.locations(t.subscription_id)}
    if t.region.lower() not in names:
        close = catalog.suggest_region(t.region)
        return [_finding("error", "AIF-LIVE-REGION", f"{t.region} is not available to this subscription",
                         f"use one of its regions{', e.g. ' + close[0] if close else ''}", t, "region", field)]
    providers = reads.providers(t.subscription_id)
    out = []
    for resource_type, services in catalog.required_resource_types(ctx.config).items():
        namespace, _, type_name = resource_type.partition("/")
        if _not_offered_in(providers.get(namespace.lower()), type_name, t.region):
            out.append(_finding("error", "AIF-LIVE-REGION-TYPE",
                                f"{resource_type} ({', '.join(services)}) is not offered in {t.region}",
                                "choose a region that offers it, or turn the service off", t, "region", field))
    return out


def _not_offered_in(provider: Any, type_name: str, region: str) -> bool:
    """True when `provider` lists resource type `type_name` with locations and `region` is not one.

    An unknown provider or type, or one listed without locations, is not reported here.
    """
    if provider is None:
        return False
    offered = next((rt for rt in provider.resource_types or [] if rt.resource_type.lower() == type_name.lower()), None)
    if offered is None or not offered.locations:
        return False
    info = catalog.region(region)
    display = info.display_name if info is not None else region
    return not any(_same_region(loc, display, region) for loc in offered.locations)


def _same_region(location: str, display: str, name: str) -> bool:
    """ARM lists display names ("East US 2"); a type offered "global" is offered everywhere."""
    key = location.replace(" ", "").lower()
    return key in (display.replace(" ", "").lower(), name.lower(), "global")


def check_providers(ctx: CheckContext, reads: Reads, t: Target) -> list[Finding]:
    """Every provider the selected services need is registered (in the hub DNS subscription too)."""
    scopes = [(t.subscription_id, catalog.required_providers(ctx.config))]
    hub_sub = _hub_dns_subscription(ctx.config)
    if hub_sub:
        scopes.append((hub_sub, catalog.required_providers(ctx.config, subscription="hub_dns")))
    out = []
    for sub, needed in scopes:
        if not needed:
            continue
        providers = reads.providers(sub)
        for namespace, services in needed.items():
            provider = providers.get(namespace.lower())
            state = provider.registration_state if provider is not None else "NotFound"
            if state == "Registered":
                continue
            why = f" (needed by {', '.join(services)})" if services else ""
            severity = "warning" if state == "Registering" else "error"
            if severity == "error":
                ctx.note_unregistered(sub, namespace)
            out.append(_finding(severity, "AIF-LIVE-PROVIDER", f"{namespace} is {state} in subscription {sub}{why}",
                                f"register it: az provider register --namespace {namespace} --subscription {sub}",
                                t, "providers", fix=RegisterProvider(sub, namespace) if severity == "error" else None))
    return out


def _hub_dns_subscription(config: FactoryConfig) -> str | None:
    zone = config.landing_zone
    if isinstance(zone, (HubSpokeZone, VwanZone)):
        return zone.dns.subscription_id
    return None


def check_permissions(ctx: CheckContext, reads: Reads, t: Target) -> list[Finding]:
    """The caller can write role assignments at the subscription (the AI Factory needs Owner)."""
    permissions = reads.permissions(t.subscription_id)
    if _allows(permissions, ROLE_WRITE):
        return []
    command = ("az role assignment create --role Owner --assignee <you or the deploying principal> "
               f"--scope /subscriptions/{t.subscription_id}")
    return [_finding("error", "AIF-LIVE-ROLE-WRITE",
                     f"this sign-in cannot create role assignments in subscription {t.subscription_id}",
                     f"grant Owner without conditions: {command}",
                     t, "permissions", f"environments.{t.name}.subscription_id", RunCommand(command))]


def _matches(pattern: str, action: str) -> bool:
    import fnmatch

    return fnmatch.fnmatchcase(action.lower(), pattern.lower())


def _allows(permissions: Iterable[dict[str, Any]], action: str) -> bool:
    """True when some permission grants `action` and does not exclude it (ARM wildcard rules)."""
    for permission in permissions:
        granted = any(_matches(p, action) for p in permission.get("actions", []))
        denied = any(_matches(p, action) for p in permission.get("notActions", []))
        if granted and not denied:
            return True
    return False


def check_vm_skus(ctx: CheckContext, reads: Reads, t: Target) -> list[Finding]:
    """The VM sizes for AKS and Azure ML are offered in the region and not restricted."""
    demand = compute_demand(ctx.config, t.env)
    if not demand:
        return []
    skus = reads.vm_skus(t.subscription_id, t.region)
    out = []
    for size, _, purpose in demand:
        sku = skus.get(size.lower())
        field = f"environments.{t.name}.compute"
        if sku is None:
            out.append(_finding("error", "AIF-LIVE-VM-SKU", f"{size} ({purpose}) is not offered in {t.region}",
                                "pick another size (az vm list-skus --location " + t.region + ")", t, "vm_skus", field))
            continue
        reasons = [str(getattr(r.reason_code, "value", r.reason_code)) for r in sku.restrictions or []
                   if str(getattr(r.type, "value", r.type)) == "Location"]
        if reasons:
            out.append(_finding("error", "AIF-LIVE-VM-RESTRICTED",
                                f"{size} ({purpose}) is restricted in {t.region} ({', '.join(reasons)})",
                                "request access to the size, or pick another", t, "vm_skus", field))
    return out


def check_vcpu_quota(ctx: CheckContext, reads: Reads, t: Target) -> list[Finding]:
    """vCPU quota per family covers every environment that shares this subscription and region."""
    sharing = _sharing(ctx, t)
    if sharing[0].name != t.name:
        return []  # reported once, on the first environment of the shared subscription+region
    wanted = vcpu_needs(ctx.config, [o.name for o in sharing])
    if not wanted:
        return []
    usages = reads.vcpu_usages(t.subscription_id, t.region)
    out = []
    for need in wanted:
        usage = usages.get(need.usage.lower())
        if usage is not None and (found := over_quota(need, Usage(usage.current_value, usage.limit), t.name)):
            out.append(found)
    return out


def check_model_quota(ctx: CheckContext, reads: Reads, t: Target) -> list[Finding]:
    """Every model deployment is offered in the region and its TPM quota covers every project."""
    if not ctx.config.services.ai_foundry or not ctx.config.skus.models:
        return []
    offered: dict[tuple[str, str], Any] = {}
    for model in reads.models(t.subscription_id, t.region):
        info = model.model
        for sku in info.skus or []:
            offered[(info.name.lower(), sku.name.lower())] = info
    sharing = [o for o in ctx.targets if o.subscription_id == t.subscription_id and o.region == t.region]
    need_of = tpm_needs(ctx.config, [o.name for o in sharing])
    usages = reads.model_usages(t.subscription_id, t.region)
    out = []
    for index, deployment in enumerate(ctx.config.skus.models):
        field = f"skus.models.{index}"
        key = (deployment.model.lower(), deployment.sku.lower())
        if key not in offered:
            out.append(_finding("error", "AIF-LIVE-MODEL", f"{deployment.model} ({deployment.sku}) is not offered in "
                                f"{t.region}", "choose another deployment type or region", t, "model_quota", field))
            continue
        if sharing[0].name != t.name:
            continue
        usage = usages.get(need_of[index].usage.lower())
        if usage is not None and (found := over_quota(need_of[index], Usage(int(usage.current_value),
                                                                            int(usage.limit)), t.name)):
            out.append(found)
    return out


def check_search(ctx: CheckContext, reads: Reads, t: Target) -> list[Finding]:
    """AI Search and the chosen tier are available in the region."""
    if not ctx.config.services.ai_search:
        return []
    tier = catalog.SEARCH_TIERS.get(ctx.config.skus.ai_search_tier)
    out = []
    if tier is not None and not tier.private_endpoints:
        out.append(_finding("error", "AIF-LIVE-SEARCH-TIER",
                            f"AI Search {tier.display_name} cannot have private endpoints",
                            "use basic or higher", t, "search", "skus.ai_search_tier",
                            SetField("skus.ai_search_tier", "basic")))
    if _not_offered_in(reads.providers(t.subscription_id).get("microsoft.search"), "searchservices", t.region):
        out.append(_finding("error", "AIF-LIVE-SEARCH-REGION", f"AI Search is not offered in {t.region}",
                            "pick another region", t, "search", f"environments.{t.name}.region"))
    return out


def check_names(ctx: CheckContext, reads: Reads, t: Target) -> list[Finding]:
    """Globally unique names are free, and no soft-deleted vault or AI account blocks one."""
    out = []
    names = ctx.unique_names(t.name)
    deleted_vaults = reads.deleted_vaults(t.subscription_id)
    has_accounts = any(g.kind == "cognitive" for g in names)
    deleted_accounts = reads.deleted_accounts(t.subscription_id) if has_accounts else {}
    for generated in names:
        kind, name = generated.kind, generated.name
        if kind == "key_vault" and name.lower() in deleted_vaults:
            vault = deleted_vaults[name.lower()]
            location = getattr(vault.properties, "location", "") if vault.properties else ""
            hint, fix = _next_free(ctx, reads, t, generated)
            out.append(_finding("error", "AIF-LIVE-KV-DELETED", f"Key Vault name {name} is held by a soft-deleted "
                                f"vault ({location})", f"{hint}; or purge it: az keyvault purge --name {name}",
                                t, "names", generated.field, fix or RunCommand(f"az keyvault purge --name {name}")))
            continue
        if kind == "cognitive" and name.lower() in deleted_accounts:
            out.append(_finding("error", "AIF-LIVE-COG-DELETED", f"AI account name {name} ({generated.what}) is held "
                                "by a soft-deleted account", _purge_hint(deleted_accounts[name.lower()], generated),
                                t, "names", generated.field))
            continue
        held, reason = availability(ctx, reads, t, generated)
        if held == "ours":
            out.append(_finding("info", "AIF-LIVE-NAME-OURS", f"{kind} name {name} is already deployed by this "
                                f"factory (in {naming.planned_group(ctx.config, generated)}): deploying again "
                                "updates it", "", t, "names", generated.field))
        elif held == "taken":
            hint, fix = _next_free(ctx, reads, t, generated)
            out.append(_finding("error", "AIF-LIVE-NAME-TAKEN", f"{kind} name {name} is taken ({reason})",
                                hint, t, "names", generated.field, fix))
    return out


Held = Literal["free", "ours", "taken", "unchecked"]
"""Who holds a globally unique name: nobody, this factory, someone else; or no API says."""


def availability(ctx: CheckContext, reads: Reads, t: Target, generated: Any) -> tuple[Held, str]:
    """Who holds `generated`'s name, and Azure's reason when it is unavailable.

    A name Azure reports unavailable is the factory's own when its resource exists at the id the
    plan gives it (`naming.planned_id`): an earlier deployment, by this wizard or by the AI Factory's
    pipeline, journal or none. That costs one GET, asked only of an unavailable name; the preflight's
    warm-up runs it with the other reads. A resource of that name anywhere else is someone else's.
    """
    check_kind = AVAILABILITY_KIND.get(generated.kind)
    if check_kind is None:
        return "unchecked", ""
    free, reason = reads.name_free(t.subscription_id, check_kind, generated.name)
    if free:
        return "free", ""
    ours = reads.exists(naming.planned_id(ctx.config, generated), catalog.API_VERSIONS[generated.resource_type])
    return ("ours" if ours else "taken"), reason


def _purge_hint(account: Any, generated: Any) -> str:
    """The exact purge command for a soft-deleted AI account, and what else gives a new name."""
    parts = (getattr(account, "id", "") or "").split("/")
    group = next((parts[i + 1] for i, p in enumerate(parts[:-1]) if p.lower() == "resourcegroups"), "<group>")
    location = getattr(account, "location", "") or "<region>"
    return (f"purge it: az cognitiveservices account purge --name {generated.name} --resource-group {group} "
            f"--location {location}; or change {generated.field} so the AI Factory picks another name")


AVAILABILITY_KIND: dict[str, str] = {"key_vault": "keyvault", "storage": "storage", "acr": "acr"}
"""naming's kind -> the name-availability API to ask (search and cognitive names have none we use)."""


def _next_free(ctx: CheckContext, reads: Reads, t: Target, generated: Any) -> tuple[str, SetField | None]:
    """Try the next resource suffixes (-002, -003, …): the first free one, as a hint and a fix."""
    field = "naming.common_resource_suffix" if generated.project is None else "naming.project_resource_suffix"
    attr = field.split(".")[1]
    current = int(getattr(ctx.config.naming, attr)[1:])
    deleted = reads.deleted_vaults(t.subscription_id)
    for step in range(1, 4):
        suffix = f"-{current + step:03d}"
        trial = ctx.config.model_copy(update={"naming": ctx.config.naming.model_copy(update={attr: suffix})})
        candidate = next((g for g in naming.globally_unique_names(trial, t.name)
                          if g.kind == generated.kind and g.what == generated.what), None)
        if candidate is None:
            break
        check_kind = AVAILABILITY_KIND.get(candidate.kind)
        if candidate.name.lower() in deleted or check_kind is None:
            continue
        free, _ = reads.name_free(t.subscription_id, check_kind, candidate.name)
        if free:
            return f"next free name: {candidate.name} (set {field} to {suffix})", SetField(field, suffix)
    return f"bump {field}", None


def check_hub(ctx: CheckContext, reads: Reads, t: Target) -> list[Finding]:
    """The hub VNet or virtual hub exists, and the hub holds every private DNS zone needed."""
    zone = ctx.config.landing_zone
    if not isinstance(zone, (HubSpokeZone, VwanZone)):
        return []
    out = []
    ids = zone.hub_vnet_ids if isinstance(zone, HubSpokeZone) else zone.virtual_hub_ids
    key = "hub_vnet_ids" if isinstance(zone, HubSpokeZone) else "virtual_hub_ids"
    hub_id = ids.get(t.name)
    if hub_id and reads.resource(hub_id) is None:
        out.append(_finding("error", "AIF-LIVE-HUB-MISSING", f"the hub {hub_id.rsplit('/', 1)[-1]} does not exist or "
                            "cannot be read", "check the resource id, and get Reader on the hub subscription",
                            t, "hub", f"landing_zone.{key}.{t.name}"))
    if t.name == ctx.targets[0].name and zone.dns.subscription_id and zone.dns.resource_group:
        found = reads.dns_zones(zone.dns.subscription_id, zone.dns.resource_group)
        if found is None:
            out.append(_finding("error", "AIF-LIVE-DNS-RG", f"cannot read resource group {zone.dns.resource_group} in "
                                f"the hub subscription", "get Reader (and Private DNS Zone Contributor) there",
                                t, "hub", "landing_zone.dns.resource_group"))
        else:
            missing = [z for z in catalog.private_dns_zones(ctx.config) if z.lower() not in found]
            if missing:
                out.append(_finding("error", "AIF-LIVE-DNS-ZONES", f"the hub lacks {len(missing)} private DNS zone(s): "
                                    + ", ".join(missing), "create them in the hub first (the AI Factory does not "
                                    "in hub mode): az network private-dns zone create -g "
                                    f"{zone.dns.resource_group} -n <zone>", t, "hub", "landing_zone.dns"))
    return out


def check_address_space(ctx: CheckContext, reads: Reads, t: Target) -> list[Finding]:
    """The environment's range overlaps neither the hub nor VNets already in its subscription."""
    mine = network.vnet_range(ctx.config, t.name)
    live: list[tuple[str, ipaddress.IPv4Network]] = []
    own_vnet = naming.common_vnet(ctx.config, t.name).lower()
    for vnet in reads.vnets(t.subscription_id):
        if vnet.name.lower() == own_vnet:
            continue  # the AI Factory's own VNet from an earlier run
        live += [(f"VNet {vnet.name}", net) for net in _ipv4_networks(vnet.prefixes)]
    zone = ctx.config.landing_zone
    hub_id = None
    if isinstance(zone, HubSpokeZone):
        hub_id = zone.hub_vnet_ids.get(t.name)
    elif isinstance(zone, VwanZone):
        hub_id = zone.virtual_hub_ids.get(t.name)
    if hub_id:
        hub = reads.resource(hub_id)
        if hub is not None:
            live += [(f"hub {hub.name}", net) for net in _ipv4_networks(hub.prefixes)]
    out = []
    for label, other in live:
        if mine.overlaps(other):
            out.append(_finding("error", "AIF-LIVE-OVERLAP", f"{t.name} range {mine} overlaps {label} ({other})",
                                "choose another octet or template (Propose a plan finds free ranges)",
                                t, "address_space", f"environments.{t.name}.cidr_octet"))
    return out + _live_capacity(ctx, reads, t)


def _live_capacity(ctx: CheckContext, reads: Reads, t: Target) -> list[Finding]:
    """Room for the projects, judged from the AI Factory's own VNet as the subnet calculator reads it.

    The calculator appends after the highest subnet already in the VNet, so a subnet added by
    hand or by an earlier run moves every new project; without that VNet the plan is a fresh one.
    """
    group, name = naming.vnet_resource_group(ctx.config, t.name), naming.common_vnet(ctx.config, t.name)
    vnet = reads.own_vnet(t.subscription_id, group, name)
    out = [replace(f, check="address_space") for f in network.capacity_findings(ctx.config, t.name, vnet)]
    if vnet is not None and vnet.subnets:
        last, highest = max(vnet.subnets, key=lambda item: item[1].network_address)
        out.append(_finding("info", "AIF-LIVE-VNET-PLAN", f"planned from the live VNet {name} "
                            f"({len(vnet.subnets)} subnets); new projects start after its highest subnet, "
                            f"{last} {highest}", "aifactory network --demo (or signed in) shows every range",
                            t, "address_space", f"environments.{t.name}.cidr_octet"))
    return out


# ------------------------------------------------------------------- regional readiness (preflight.sh)


def _creates(resource_type: str) -> Callable[[FactoryConfig], bool]:
    """A check's `applies`: some project's services create `resource_type`."""

    def applies(config: FactoryConfig) -> bool:
        return resource_type in catalog.required_resource_types(config)

    return applies


_needs_ai_accounts = _creates("Microsoft.CognitiveServices/accounts")
_needs_search_quota = _creates("Microsoft.Search/searchServices")
_needs_cosmos = _creates("Microsoft.DocumentDB/databaseAccounts")
_needs_elastic = _creates("Microsoft.Elastic/monitors")


def _sharing(ctx: CheckContext, t: Target, *, same_region: bool = True) -> list[Target]:
    """The environments that draw on the same quota as `t`: same subscription (and region)."""
    return [o for o in ctx.targets
            if o.subscription_id == t.subscription_id and (not same_region or o.region == t.region)]


def _all_services(config: FactoryConfig) -> list[Any]:
    """The services of every project (the factory's when there is none)."""
    return [config.project_services(p) for p in config.projects] or [config.services]


def check_cosmos(ctx: CheckContext, reads: Reads, t: Target) -> list[Finding]:
    """Cosmos DB takes new accounts in the region, with zones (preflight.sh check_cosmos_region)."""
    if not _needs_cosmos(ctx.config):
        return []
    field = f"environments.{t.name}.region"
    where = reads.cosmos_location(t.subscription_id, t.region)
    if where is None:
        return [_finding("warning", "AIF-LIVE-COSMOS-LOOKUP", f"could not read Cosmos DB's region metadata for "
                         f"{t.region} (preflight.sh COSMOS_LOC_LOOKUP)", "check Reader on the subscription: "
                         f"az cosmosdb locations show --location {t.region}", t, "cosmos", field)]
    status = str(where.get("status") or "Online")
    if status != "Online":
        return [_finding("error", "AIF-LIVE-COSMOS-OFFLINE", f"Cosmos DB region {t.region} is {status}, not Online "
                         "(preflight.sh COSMOS_NOT_ONLINE)", "pick another region for this environment",
                         t, "cosmos", field)]
    if where.get("isSubscriptionRegionAccessAllowedForRegular") is False:
        return [_finding("error", "AIF-LIVE-COSMOS-ACCESS", f"subscription {t.subscription_id} may not create "
                         f"Cosmos DB accounts in {t.region} (isSubscriptionRegionAccessAllowedForRegular is false)",
                         "pick another region, or ask for access with a support request (quota type "
                         "'Azure Cosmos DB', region access)", t, "cosmos", field)]
    if where.get("isSubscriptionRegionAccessAllowedForAz") is not True:
        reason = ("the region has no availability zones for Cosmos DB" if where.get("supportsAvailabilityZone")
                  is False else "availability zones are not enabled for this subscription there")
        return [_finding("warning", "AIF-LIVE-COSMOS-ZONES", f"Cosmos DB in {t.region}: {reason}, so accounts "
                         "cannot be zone-redundant (preflight.sh COSMOS_NO_AZ)", "pick a region with zones if "
                         "zone redundancy is required, or ask for zonal access with a support request",
                         t, "cosmos", field)]
    return []


def _ai_accounts_per_project(config: FactoryConfig) -> int:
    """Cognitive Services accounts all projects create: one per AI service switched on."""
    kinds = [k for k, svc in catalog.SERVICES.items() if svc.scope == "project"
             and "Microsoft.CognitiveServices/accounts" in svc.resource_types]
    return sum(1 for services in _all_services(config) for k in catalog.active_services(services) if k in kinds)


def check_ai_accounts(ctx: CheckContext, reads: Reads, t: Target) -> list[Finding]:
    """Cognitive Services headroom (preflight.sh check_cs_headroom): the subscription's account
    quota covers every project's AI accounts, and no quota of the region is nearly used up."""
    if not _needs_ai_accounts(ctx.config):
        return []
    usages = reads.model_usages(t.subscription_id, t.region)
    out = []
    full: set[str] = set()
    sharing = _sharing(ctx, t, same_region=False)
    account = usages.get("accountcount")
    if account is not None and sharing[0].name == t.name:
        need = _ai_accounts_per_project(ctx.config) * len(sharing)
        free = int(account.limit - account.current_value)
        if need > free:
            full.add("accountcount")
            envs = "+".join(o.name for o in sharing)
            out.append(_finding("error", "AIF-LIVE-COG-ACCOUNTS", f"Cognitive Services accounts in subscription "
                                f"{t.subscription_id}: {envs} need {need}, {max(free, 0)} of {int(account.limit)} "
                                "are free", f"delete or purge unused AI accounts, or request more: {QUOTA_LINK}",
                                t, "ai_accounts", "projects", OpenLink(QUOTA_LINK)))
    if _sharing(ctx, t)[0].name != t.name:
        return out  # the region's quotas are reported once, on the first environment there
    rows = [u for key, u in usages.items() if key not in full]
    if rows and not any(u.limit > u.current_value for u in rows):
        out.append(_finding("error", "AIF-LIVE-COG-FULL", f"Cognitive Services quota in {t.region} is used up on "
                            "every metric (preflight.sh CS_QUOTA_AT_LIMIT)", f"request more: {QUOTA_LINK}, or "
                            "pick another region", t, "ai_accounts", f"environments.{t.name}.region",
                            OpenLink(QUOTA_LINK)))
    elif tight := [u.name.value for u in rows if u.limit > 0 and (u.limit - u.current_value) / u.limit < 0.1]:
        out.append(_finding("warning", "AIF-LIVE-COG-TIGHT", f"Cognitive Services quota in {t.region} is within 10% "
                            f"of its limit on {', '.join(tight)} (preflight.sh CS_QUOTA_TIGHT)",
                            f"request more before it runs out: {QUOTA_LINK}", t, "ai_accounts",
                            f"environments.{t.name}.region", OpenLink(QUOTA_LINK)))
    return out


def check_search_quota(ctx: CheckContext, reads: Reads, t: Target) -> list[Finding]:
    """The AI Search tier has a service free for every project in the region (preflight.sh
    check_ai_search_quota), counting every environment that shares the subscription and region."""
    sharing = _sharing(ctx, t)
    if not _needs_search_quota(ctx.config) or sharing[0].name != t.name:
        return []
    tier = ctx.config.skus.ai_search_tier
    field = "skus.ai_search_tier"
    usages = reads.search_usages(t.subscription_id, t.region)
    if usages is None:
        return [_finding("warning", "AIF-LIVE-SEARCH-QUOTA-LOOKUP", f"could not read AI Search usage in {t.region} "
                         "(preflight.sh SEARCH_QUOTA_LOOKUP)", "check that Microsoft.Search is registered and the "
                         "sign-in has Reader on the subscription", t, "search_quota", field)]
    usage = usages.get(tier.replace("_", "").lower())
    if usage is None:
        return [_finding("warning", "AIF-LIVE-SEARCH-SKU-UNLISTED", f"AI Search tier {tier} is not listed in "
                         f"{t.region} (preflight.sh SEARCH_SKU_UNAVAILABLE)", "pick a tier or region that offers it",
                         t, "search_quota", field)]
    need = search_need(ctx.config, [o.name for o in sharing])
    if need is None:
        return []
    found = over_quota(need, Usage(int(usage["currentValue"]), int(usage["limit"])), t.name)
    return [found] if found else []


NOT_ALLOWED_TYPES = "6c112d4e-5bc7-47ae-a041-ea2d9dccd749"
"""The built-in "Not allowed resource types" policy definition."""
ALLOWED_TYPES = "a08ec900-254a-4555-9bf5-e42af04b5c5c"
"""The built-in "Allowed resource types" policy definition."""
ELASTIC_TYPE = "microsoft.elastic/monitors"


def _parameter(assignment: dict[str, Any], name: str) -> list[str] | None:
    value = ((assignment.get("properties") or {}).get("parameters") or {}).get(name)
    return [str(v).lower() for v in value.get("value") or []] if isinstance(value, dict) else None


def _denies_elastic(assignment: dict[str, Any]) -> bool:
    """Does the assignment stop Elastic Cloud? The built-in type lists, read exactly, else
    preflight.sh's heuristic: it mentions elastic together with deny, notallowed or restrict."""
    definition = str((assignment.get("properties") or {}).get("policyDefinitionId", "")).lower()
    banned = _parameter(assignment, "listOfResourceTypesNotAllowed")
    if definition.endswith(NOT_ALLOWED_TYPES) and banned is not None:
        return any(t in (ELASTIC_TYPE, "microsoft.elastic/*") for t in banned)
    allowed = _parameter(assignment, "listOfResourceTypesAllowed")
    if definition.endswith(ALLOWED_TYPES) and allowed is not None:
        return not any(t in (ELASTIC_TYPE, "microsoft.elastic/*") for t in allowed)
    blob = json.dumps(assignment).lower()
    return "elastic" in blob and any(word in blob for word in ("deny", "notallowed", "restrict"))


def check_elastic(ctx: CheckContext, reads: Reads, t: Target) -> list[Finding]:
    """No policy assignment denies Elastic Cloud (preflight.sh check_elasticsearch_block).

    The Microsoft.Elastic provider's registration and its regions are the providers and region
    checks' (preflight.sh ELASTIC_RP_NOT_REGISTERED and ELASTIC_NOT_IN_REGION).
    """
    if not _needs_elastic(ctx.config):
        return []
    field = "services.elasticsearch"
    assignments = reads.policy_assignments(t.subscription_id)
    if assignments is None:
        return [_finding("warning", "AIF-LIVE-POLICY-LOOKUP", f"could not list the policy assignments of "
                         f"subscription {t.subscription_id} (preflight.sh POLICY_LOOKUP)", "get "
                         "Microsoft.Authorization/policyAssignments/read (Reader) on the subscription",
                         t, "elastic", field)]
    out = []
    for assignment in filter(_denies_elastic, assignments):
        props = assignment.get("properties") or {}
        label = props.get("displayName") or assignment.get("name") or "?"
        if props.get("enforcementMode") == "DoNotEnforce":
            out.append(_finding("warning", "AIF-LIVE-ELASTIC-POLICY-AUDIT", f"policy '{label}' names Elastic Cloud but "
                                "is not enforced: Azure allows it, yet the AI Factory's preflight.sh stops on it "
                                "(ELASTIC_POLICY_DENY)", "run preflight.sh with PREFLIGHT_WARN_ONLY=true, or ask for "
                                "the assignment to exclude this subscription", t, "elastic", field))
        else:
            out.append(_finding("error", "AIF-LIVE-ELASTIC-POLICY", f"policy '{label}' denies Elastic Cloud "
                                f"(Microsoft.Elastic/monitors) in subscription {t.subscription_id} (preflight.sh "
                                "ELASTIC_POLICY_DENY)", "request a policy exemption for this subscription, or turn off "
                                "services.elasticsearch", t, "elastic", field, SetField(field, False)))
    return out


def _ipv4_networks(prefixes: Iterable[str]) -> list[ipaddress.IPv4Network]:
    """The IPv4 ranges among a VNet's prefixes: IPv6 ranges (dual-stack VNets) cannot overlap the
    AI Factory's IPv4 plan, and a prefix Azure would never hold (written to an older sandbox state)
    is no range at all."""
    networks = []
    for prefix in prefixes:
        try:
            network = ipaddress.ip_network(str(prefix), strict=False)
        except ValueError:
            continue
        if isinstance(network, ipaddress.IPv4Network):
            networks.append(network)
    return networks


CheckFunction = Callable[[CheckContext, Reads, Target], list[Finding]]

PROJECT_PATHS = ("projects.*.number", "projects.*.services")
"""What of the projects the live checks read: how many there are, their numbers, their services
(a list whose length changes is reported at `projects`, which these match too)."""

SERVICE_PATHS = ("services", *PROJECT_PATHS, "access", "security", "aifactory_extra", "landing_zone")
"""What decides which services, resource types and providers a configuration needs."""


def _always(config: FactoryConfig) -> bool:
    return True


def _is_hub_connected(config: FactoryConfig) -> bool:
    return isinstance(config.landing_zone, (HubSpokeZone, VwanZone))


def _needs_compute(config: FactoryConfig) -> bool:
    return config.services.aks or config.services.azure_ml


def _needs_models(config: FactoryConfig) -> bool:
    return config.services.ai_foundry and bool(config.skus.models)


def _needs_search(config: FactoryConfig) -> bool:
    return config.services.ai_search


@dataclass(frozen=True, slots=True)
class LiveCheck:
    """One live check: its grid column, what it runs, when it applies and what it reads.

    `reads` are the configuration paths the check's result depends on (dotted, as in
    `Finding.field`); `{env}` stands for the environment the cell belongs to and `*` for any
    environment. When a field changes, only the cells whose checks read it run again
    (`affected_cells`). Every check also reads its environment's `enabled` and `subscription_id`.
    """

    name: str
    """Grid column and `Finding.check`."""
    title: str
    """What a person reads in a grid header or a progress line."""
    run: CheckFunction
    reads: tuple[str, ...]
    applies: Callable[[FactoryConfig], bool] = _always
    """False when the configuration makes the check meaningless (the cell shows n/a)."""

    def reads_for(self, env: str) -> tuple[str, ...]:
        """The configuration paths one cell of this check depends on."""
        base = (f"environments.{env}.enabled", f"environments.{env}.subscription_id")
        return base + tuple(path.replace("{env}", env) for path in self.reads)


_ENV = "environments.{env}"
REGISTRY: dict[str, LiveCheck] = {check.name: check for check in (
    LiveCheck("subscription", "subscription", check_subscription,
              ("environments.*.subscription_id", "identity.tenant_id")),
    LiveCheck("region", "region", check_region, (f"{_ENV}.region", *SERVICE_PATHS, "skus")),
    LiveCheck("providers", "providers", check_providers, SERVICE_PATHS),
    LiveCheck("permissions", "permissions", check_permissions, ()),
    LiveCheck("vm_skus", "VM sizes", check_vm_skus, (f"{_ENV}.region", f"{_ENV}.compute", "services"),
              _needs_compute),
    LiveCheck("vcpu_quota", "vCPU quota", check_vcpu_quota,
              ("environments", "services", *PROJECT_PATHS), _needs_compute),
    LiveCheck("model_quota", "model quota", check_model_quota,
              ("environments", "services.ai_foundry", "skus.models", *PROJECT_PATHS), _needs_models),
    LiveCheck("ai_accounts", "AI accounts", check_ai_accounts, ("environments", *SERVICE_PATHS),
              _needs_ai_accounts),
    LiveCheck("search", "AI Search", check_search,
              (f"{_ENV}.region", "services.ai_search", "skus.ai_search_tier"), _needs_search),
    LiveCheck("search_quota", "AI Search quota", check_search_quota,
              ("environments", "skus.ai_search_tier", *SERVICE_PATHS), _needs_search_quota),
    LiveCheck("cosmos", "Cosmos DB", check_cosmos, (f"{_ENV}.region", *SERVICE_PATHS), _needs_cosmos),
    LiveCheck("elastic", "Elastic policy", check_elastic, SERVICE_PATHS, _needs_elastic),
    LiveCheck("names", "names", check_names, (_ENV, "naming", *SERVICE_PATHS)),
    LiveCheck("hub", "hub", check_hub, ("landing_zone", *SERVICE_PATHS), _is_hub_connected),
    LiveCheck("address_space", "address space", check_address_space,
              (_ENV, "network", "landing_zone", "naming", *SERVICE_PATHS)),
)}
"""Every live check, in grid-column order: the one place a check is declared."""

CHECKS: tuple[str, ...] = tuple(REGISTRY)
"""The live checks' names, in grid-column order."""
