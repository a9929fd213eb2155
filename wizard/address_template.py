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
    """Why `template` is not a usable address template, or None when every octet 0-255 works.

    XX must sit in the network part of the prefix: `172.16.XX.0/26` and `172.XX.0.0/16` are
    fine, `172.16.XX.0/16` is not (XX falls in the host bits of a /16, so any octet but 0 gives
    a range Azure refuses).
    """
    if template.count(PLACEHOLDER) > 1:
        return f"{template!r} holds XX more than once; the octet goes in one place"
    try:
        IPv4Network(template.replace(PLACEHOLDER, "0"), strict=False)
    except ValueError:
        return (f"{template!r} is not an IPv4 CIDR range; write it as a.b.c.d/nn with each number "
                "0-255, optionally with XX where the environment's octet goes, e.g. 172.16.XX.0/26")
    for octet in (0, 255) if PLACEHOLDER in template else (0,):
        try:
            resolve_cidr(template, octet)
        except ValueError:
            prefix = template.rsplit("/", 1)[-1]
            if PLACEHOLDER in template and octet:
                return (f"{template!r}: XX falls in the host part of a /{prefix}, so an octet such as "
                        f"{octet} gives a range with host bits set; put XX in the network part "
                        "(e.g. 172.XX.0.0/16) or lengthen the prefix")
            start = IPv4Network(template.replace(PLACEHOLDER, "0"), strict=False)
            return f"{template!r} has host bits set; the range starts at {start.network_address}"
    return None
