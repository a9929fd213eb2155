"""The AI Factory's address templates: CIDR ranges with `XX` where the environment's octet goes.

`COMMON_VNET_CIDR="172.16.0.0/16"` and `COMMON_SUBNET_CIDR="172.16.XX.0/26"` are templates: the
bicep replaces XX with an environment's CIDR_RANGE (61 for dev, …). One definition serves the
model (which refuses a template no octet can make valid) and the planner (which resolves it), so
what the model accepts the planner can always plan.
"""

from __future__ import annotations

from ipaddress import IPv4Network

PLACEHOLDER = "XX"


def resolve_cidr(template: str, octet: int) -> IPv4Network:
    """The range a template gives once XX becomes `octet`; ValueError if it is no valid range.

    Strict on host bits because Azure refuses an address prefix such as 172.16.0.61/26.
    """
    return IPv4Network(template.replace(PLACEHOLDER, str(octet)))


def template_problem(template: str) -> str | None:
    """Why `template` is not an address template at all, or None.

    Whether it gives a valid range depends on the octet it meets (`192.168.XX.0/18` works with
    0, 64, 128 and 192): `resolve_problem` says that for one environment.
    """
    if template.count(PLACEHOLDER) > 1:
        return f"{template!r} holds XX more than once; the octet goes in one place"
    try:
        IPv4Network(template.replace(PLACEHOLDER, "0"), strict=False)
    except ValueError:
        return (f"{template!r} is not an IPv4 CIDR range; write it as a.b.c.d/nn with each number "
                "0-255, optionally with XX where the environment's octet goes, e.g. 172.16.XX.0/26")
    return None


def resolve_problem(template: str, octet: int) -> str | None:
    """Why `template` gives no valid range with `octet`, or None when it does.

    XX must land in the network part of the prefix: `172.16.XX.0/26` works with any octet,
    `172.16.XX.0/16` with none but 0 (any other octet sets host bits, which Azure refuses).
    """
    try:
        resolve_cidr(template, octet)
    except ValueError:
        resolved = template.replace(PLACEHOLDER, str(octet))
        try:
            start = IPv4Network(resolved, strict=False).network_address
        except ValueError:
            return f"{template!r} with XX = {octet} gives {resolved!r}, which is not an IPv4 range"
        prefix = template.rsplit("/", 1)[-1]
        where = (f"XX falls in the host part of a /{prefix}; put XX in the network part (e.g. 172.XX.0.0/16), "
                 "lengthen the prefix, or choose an octet that keeps the host bits zero"
                 if PLACEHOLDER in template else f"the range starts at {start}")
        return f"{template!r} with XX = {octet} gives {resolved}, which has host bits set: {where}"
    return None
