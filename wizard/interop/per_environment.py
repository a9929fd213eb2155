"""Values the AI Factory takes per environment, though its files hold each of them once.

The .env and variables.yaml hold one COMMON_VNET_CIDR and one AIFACTORY_LOCATION for Dev, Stage
and Prod. The bicep (12-networkCommon.bicep) puts each environment's octet where the ranges say
XX, so `172.XX.0.0/16` gives every environment a VNet of its own, as spokes peered to one hub
need. But preflight.sh, which the pipelines run before deploying, reads the VNet range as it is
written and stops on `172.XX.0.0/16` (CIDR_VNET_BAD), and it resolves the subnets' XX with the
*Dev* octet in every environment. No single value in the file satisfies both, so:

* the file holds Dev's values: the VNet range with Dev's octet put in, the subnets as templates
  (preflight.sh and the Dev deployment both accept that);
* each enabled environment gets its own five ranges, literal (preflight.sh knows only Dev's
  octet), where the pipelines read values per environment: GitHub environment variables, which
  override the repository variables 03a uploads from the .env, and Azure DevOps stage variables,
  which override the variables.yaml template (handwork.py renders both);
* a region other than the file's goes the same way (AIFACTORY_LOCATION / admin_location).

On import, a VNet range that is Dev's octet put into the subnets' pattern (172.20.0.0/16 beside
172.XX.0.0/26 with DEV_CIDR_RANGE 20) is read back as the template it came from, and the
per-environment values the export listed in its hand-work block are read back from there
(`restore`): the environment is enabled, a region is set on it, a range is checked against
the template.
"""

from __future__ import annotations

from dataclasses import dataclass

from wizard.interop.context import ImportContext
from wizard.model import EnvName, FactoryConfig

NETWORK: tuple[tuple[str, str], ...] = (
    ("COMMON_VNET_CIDR", "vnet_cidr"),
    ("COMMON_SUBNET_CIDR", "common_subnet_cidr"),
    ("COMMON_SUBNET_SCORING_CIDR", "common_scoring_subnet_cidr"),
    ("COMMON_PBI_SUBNET_CIDR", "common_pbi_subnet_cidr"),
    ("COMMON_BASTION_SUBNET_CIDR", "common_bastion_subnet_cidr"),
)
"""The network variables (canonical key, NetworkConfig field), VNet first."""

REGION: tuple[tuple[str, str], ...] = (("AIFACTORY_LOCATION", "region"), ("AIFACTORY_LOCATION_SHORT", "region_short"))
"""The region variables (canonical key, EnvironmentConfig field)."""

_VNET = NETWORK[0][0]


@dataclass(frozen=True)
class Override:
    """One environment's own value for a variable the file holds once."""

    env: EnvName
    key: str
    """The canonical key (the .env name)."""
    value: str


def _octet_at(template: str) -> int | None:
    """Which of the four octets holds XX, if one does."""
    octets = template.split("/")[0].split(".")
    return octets.index("XX") if "XX" in octets else None


def split(view: FactoryConfig, values: dict[str, str]) -> tuple[dict[str, str], list[Override]]:
    """The file's values (the VNet range resolved with Dev's octet) and each environment's own."""
    out = dict(values)
    overrides: list[Override] = []
    network = view.network
    if "XX" in network.vnet_cidr and values.get(_VNET) == network.vnet_cidr:
        out[_VNET] = network.vnet_cidr.replace("XX", str(view.environments.dev.cidr_octet))
        for env_name, env in view.environments.enabled():
            octet = str(env.cidr_octet)
            overrides += [Override(env_name, key, str(getattr(network, field)).replace("XX", octet))
                          for key, field in NETWORK]
    for env_name, env in view.environments.enabled():
        for key, field in REGION:
            own = getattr(env, field)
            if own is not None and key in values and own != values[key]:
                overrides.append(Override(env_name, key, own))
    return out, overrides


def restore(config: FactoryConfig, override: Override, notes: list[str]) -> None:
    """Take back one environment's own value, as an export listed it; ValueError if the model
    refuses it. The export lists enabled environments only, so the environment is enabled (a
    variables.yaml says nowhere else that Stage and Prod are deployed)."""
    env = config.environments.get(override.env)
    env.enabled = True
    region = dict(REGION).get(override.key)
    if region is not None:
        setattr(env, region, override.value)
        return
    field = dict(NETWORK).get(override.key)
    if field is None:
        return
    expected = str(getattr(config.network, field)).replace("XX", str(env.cidr_octet))
    if override.value != expected:
        notes.append(f"The aifactory-wizard block gives {override.env} {override.key}={override.value}, but this "
                     f"file's ranges give {expected}; the file's ranges are used, and export lists them.")


def infer_vnet_template(ctx: ImportContext) -> None:
    """A VNet range that is Dev's octet in the subnets' pattern becomes that pattern again."""
    network = ctx.config.network
    vnet = network.vnet_cidr
    position = _octet_at(network.common_subnet_cidr)
    if _VNET not in ctx.raw or "XX" in vnet or position is None:
        return
    octets = vnet.split("/")[0].split(".")
    if octets[position] != str(ctx.config.environments.dev.cidr_octet):
        return
    octets[position] = "XX"
    template = ".".join(octets) + "/" + vnet.split("/")[1]
    try:
        network.vnet_cidr = template
    except ValueError:  # XX would land in the host part: the range is a plain one
        return
    ctx.notes.append(
        f"{ctx.origin[_VNET]} {vnet} is read as {template}: the common subnets put XX in the same octet, "
        f"so each environment's VNet follows its own octet ({vnet} is Dev's). Stage and Prod need their "
        "own ranges as GitHub environment or Azure DevOps stage variables; export names them.")
