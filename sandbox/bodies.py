"""What ARM and the network resource provider refuse in a written body, with their error codes.

ARM's front door deserializes every resource write into its resource envelope (`location`,
`tags`, `sku`, `identity`, ...) and answers 400 `InvalidRequestContent` when a field has the
wrong JSON type; the resource provider then reads `properties`. The network provider (NRP)
answers `InvalidRequestFormat` for a body it cannot read, and checks every address prefix:
`InvalidAddressPrefixFormat` (not CIDR), `InvalidCIDRNotation` (host bits set),
`NetcfgSubnetRangeOutsideVnet` and `NetcfgSubnetRangesOverlap`. The sandbox refuses the same
writes, direct or through a deployment, so nothing it stores can later break a reader.
"""

from __future__ import annotations

import ipaddress
import json
from typing import Any

from sandbox.resources import children, parse_id, type_of
from sandbox.state import World
from sandbox.wire import ArmError, error_object

_DOTNET = {
    "string": "System.String",
    "strings": "System.Collections.Generic.List`1[System.String]",
    "tags": "System.Collections.Generic.Dictionary`2[System.String,System.String]",
    "object": "Newtonsoft.Json.Linq.JObject",
}
"""The .NET types ARM names in its deserialization messages."""

_ENVELOPE: dict[str, str] = {
    "location": "string", "kind": "string", "managedBy": "string", "tags": "tags", "zones": "strings",
    "properties": "object", "sku": "object", "plan": "object", "identity": "object",
    "extendedLocation": "object",
}
"""Resource envelope fields and the JSON type ARM's front door deserializes each into."""

_NRP = "Microsoft.WindowsAzure.Networking.Nrp.Frontend.Contract.Csm.Public"
VNET = "microsoft.network/virtualnetworks"
SUBNET = "microsoft.network/virtualnetworks/subnets"
PEERING = "microsoft.network/virtualnetworks/virtualnetworkpeerings"
VIRTUAL_HUB = "microsoft.network/virtualhubs"


def _converting(value: Any, kind: str, path: str) -> str:
    return f"Error converting value {json.dumps(value)[:80]} to type '{_DOTNET.get(kind, kind)}'. Path '{path}'."


def _fits(value: Any, kind: str) -> bool:
    if value is None:
        return True
    if kind == "string":
        return isinstance(value, str)
    if kind == "strings":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "tags":
        return isinstance(value, dict) and all(
            v is None or isinstance(v, (str, int, float, bool)) for v in value.values())
    return isinstance(value, dict)


def envelope_problem(body: Any) -> ArmError | None:
    """ARM's front door: the body is an object and each envelope field has its JSON type."""
    if not isinstance(body, dict):
        return ArmError(400, "InvalidRequestContent", "The request content was invalid and could not be "
                        f"deserialized: '{_converting(body, 'object', '')}'.")
    for field, kind in _ENVELOPE.items():
        if field in body and not _fits(body[field], kind):
            return ArmError(400, "InvalidRequestContent", "The request content was invalid and could not be "
                            f"deserialized: '{_converting(body[field], kind, field)}'.")
    return None


def _unreadable(value: Any, kind: str, path: str) -> ArmError:
    """NRP's answer to a body it cannot deserialize."""
    return ArmError(400, "InvalidRequestFormat", "Cannot parse the request.",
                    details=[error_object("InvalidJson", _converting(value, kind, path))])


def _type_name(shape: Any) -> str:
    """The .NET type NRP deserializes a shape into (a dict shape names its own under "")."""
    if isinstance(shape, dict):
        return str(shape.get("", _DOTNET["object"]))
    if isinstance(shape, list):
        return f"System.Collections.Generic.List`1[{_type_name(shape[0])}]"
    return _DOTNET.get(str(shape), str(shape))


def _shape_problem(value: Any, shape: Any, path: str) -> ArmError | None:
    """`value` against a nested shape: a dict of field -> shape, `[shape]` for lists, or a kind."""
    if value is None:
        return None
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            return _unreadable(value, _type_name(shape), path)
        for key, inner in shape.items():
            if key and key in value:
                problem = _shape_problem(value[key], inner, f"{path}.{key}" if path else key)
                if problem is not None:
                    return problem
        return None
    if isinstance(shape, list):
        if not isinstance(value, list):
            return _unreadable(value, _type_name(shape), path)
        for index, item in enumerate(value):
            problem = _shape_problem(item, shape[0], f"{path}[{index}]")
            if problem is not None:
                return problem
        return None
    return None if _fits(value, shape) else _unreadable(value, _type_name(shape), path)


_SUBNET_PROPERTIES = {"addressPrefix": "string", "addressPrefixes": ["string"]}
_SUBNET = {"": f"{_NRP}.Subnet", "name": "string", "properties": _SUBNET_PROPERTIES}
_SHAPES: dict[str, Any] = {
    VNET: {"properties": {"addressSpace": {"addressPrefixes": ["string"]}, "subnets": [_SUBNET],
                          "virtualNetworkPeerings": [{"": f"{_NRP}.VirtualNetworkPeering", "name": "string",
                                                      "properties": "object"}]}},
    SUBNET: {"properties": _SUBNET_PROPERTIES},
    PEERING: {"properties": {"remoteVirtualNetwork": "object", "remoteAddressSpace": "object"}},
    VIRTUAL_HUB: {"properties": {"addressPrefix": "string"}},
}
"""What NRP reads from the network resources the sandbox models: a dict maps fields to shapes (its
"" key names the .NET type for messages), `[shape]` is a list of one shape, a string is a kind."""


def resource_problem(world: World, resource_id: str, body: dict[str, Any]) -> ArmError | None:
    """Why ARM or the network provider would refuse writing `body` at `resource_id`, if it would."""
    problem = envelope_problem(body)
    if problem is not None:
        return problem
    rtype = type_of(resource_id).lower()
    shape = _SHAPES.get(rtype)
    if shape is None:
        return None
    problem = _shape_problem(body, shape, "")
    if problem is not None:
        return problem
    props = body.get("properties") or {}
    if rtype == VNET:
        return _vnet_problem(resource_id, props)
    if rtype == SUBNET:
        return _child_subnet_problem(world, resource_id, props)
    if rtype == VIRTUAL_HUB and props.get("addressPrefix"):
        return _prefix_problem(props["addressPrefix"], resource_id)[1]
    return None


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _prefix_problem(prefix: str, resource_id: str) -> tuple[Network | None, ArmError | None]:
    """NRP's reading of one address prefix: the network, or why it is refused."""
    network: Network | None
    try:
        address = ipaddress.ip_interface(prefix).ip
        network = ipaddress.ip_network(prefix, strict=False)
    except ValueError:
        network = None
    if network is None or "/" not in prefix:
        return None, ArmError(400, "InvalidAddressPrefixFormat", f"Address prefix {prefix} of resource "
                              f"{resource_id} is not formatted correctly. It should follow CIDR notation, "
                              "for example 10.0.0.0/24.")
    if address != network.network_address:
        return None, ArmError(400, "InvalidCIDRNotation", f"The address prefix {prefix} in resource "
                              f"{resource_id} has an invalid CIDR notation. For the given prefix length, the "
                              f"address prefix should be {network}.")
    return network, None


def _networks(prefixes: list[str], resource_id: str) -> tuple[list[Network], ArmError | None]:
    found = []
    for prefix in prefixes:
        network, problem = _prefix_problem(prefix, resource_id)
        if problem is not None:
            return [], problem
        assert network is not None
        found.append(network)
    return found, None


def _subnet_prefixes(props: dict[str, Any]) -> list[str]:
    return [*([props["addressPrefix"]] if props.get("addressPrefix") else []), *(props.get("addressPrefixes") or [])]


def _overlaps(one: Network, other: Network) -> bool:
    return one.version == other.version and one.overlaps(other)


def _inside(inner: Network, outer: Network) -> bool:
    return inner.version == outer.version and inner.subnet_of(outer)  # type: ignore[arg-type]


def _vnet_problem(vnet_id: str, props: dict[str, Any]) -> ArmError | None:
    space, problem = _networks((props.get("addressSpace") or {}).get("addressPrefixes") or [], vnet_id)
    if problem is not None:
        return problem
    vnet_name = vnet_id.rsplit("/", 1)[-1]
    seen: list[tuple[str, Network]] = []
    for subnet in props.get("subnets") or []:
        name = str(subnet.get("name") or "")
        prefixes, problem = _networks(_subnet_prefixes(subnet.get("properties") or {}),
                                      f"{vnet_id}/subnets/{name}")
        if problem is not None:
            return problem
        problem = _placement_problem(name, vnet_name, prefixes, space, seen)
        if problem is not None:
            return problem
        seen += [(name, p) for p in prefixes]
    return None


def _placement_problem(name: str, vnet_name: str, prefixes: list[Network], space: list[Network],
                       siblings: list[tuple[str, Network]]) -> ArmError | None:
    """A subnet's ranges lie inside the VNet's address space and overlap no other subnet."""
    for prefix in prefixes:
        if not any(_inside(prefix, s) for s in space):
            return ArmError(400, "NetcfgSubnetRangeOutsideVnet", f"Subnet '{name}' is not valid because its IP "
                            f"address range is outside the IP address range of virtual network '{vnet_name}'.")
        if any(other.lower() != name.lower() and _overlaps(prefix, net) for other, net in siblings):
            return ArmError(400, "NetcfgSubnetRangesOverlap", f"Subnet '{name}' is not valid because its IP "
                            "address range overlaps with that of an existing subnet in virtual network "
                            f"'{vnet_name}'.")
    return None


def _child_subnet_problem(world: World, subnet_id: str, props: dict[str, Any]) -> ArmError | None:
    prefixes, problem = _networks(_subnet_prefixes(props), subnet_id)
    if problem is not None:
        return problem
    vnet_id = subnet_id.rsplit("/subnets/", 1)[0]
    vnet = world.resources.get(vnet_id.lower())
    if vnet is None:
        return None  # created by the same deployment: checked when the VNet is
    vnet_props = vnet.get("properties") or {}
    space, _ = _networks((vnet_props.get("addressSpace") or {}).get("addressPrefixes") or [], vnet_id)
    siblings: list[tuple[str, Network]] = []
    stored = [*(vnet_props.get("subnets") or []), *children(world, vnet["id"], "subnets")]
    for sibling in stored:
        sibling_prefixes, sibling_problem = _networks(_subnet_prefixes(sibling.get("properties") or {}), vnet_id)
        if sibling_problem is None:
            siblings += [(str(sibling.get("name", "")), p) for p in sibling_prefixes]
    return _placement_problem(parse_id(subnet_id)["names"][-1], vnet["name"], prefixes, space, siblings)
