"""Variables that become one model object together: the landing zone and the model list.

Landing zone. The AI Factory knows only "standalone" or "DNS zones in the hub":
CENTRAL_DNS_ZONE_BY_POLICY_IN_HUB=true plus PRIV_DNS_* imports as hub_spoke with that DNS;
false imports as standalone. On export hub_spoke and vwan write true (the hub's
`records_by_policy`) with the DNS ids; hybrid and standalone write false.

Models. The AI Factory deploys a fixed menu: one custom model (GPT-X: name, version, SKU,
capacity of its own), gpt-4o and gpt-5.4-mini (a version each, sharing DEFAULT_GPT_CAPACITY)
and three embeddings (sharing DEFAULT_EMBEDDING_CAPACITY); the fixed ones share
DEFAULT_MODEL_SKU. Each switched-on slot becomes one entry of `skus.models`, in menu order.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass

from pydantic import BaseModel

from wizard.interop.codecs import FLAG
from wizard.interop.context import NOT_HELD, ImportContext, NotHeld, pick, remember
from wizard.interop.keys import Var, by_key
from wizard.model import FactoryConfig, HubDns, HubSpokeZone, ModelDeployment, VwanZone

Values = dict[str, str | NotHeld]


def _var(key: str) -> Var:
    var = by_key(key)
    assert var is not None, key
    return var


def _probe(factory: Callable[[], BaseModel], name: str, var: Var) -> Callable[[str], object]:
    """What import makes of a shadow for field `name` of a fresh `factory()` object."""

    def imported(raw: str) -> object:
        probe = factory()
        with suppress(ValueError):
            setattr(probe, name, var.codec.decode(raw))
        return getattr(probe, name)

    return imported


def _flag(raw: str) -> object:
    try:
        return FLAG.decode(raw)
    except ValueError:
        return False


# --------------------------------------------------------------------------- landing zone

_HUB_FLAG = "CENTRAL_DNS_ZONE_BY_POLICY_IN_HUB"
_DNS = (("PRIV_DNS_SUBSCRIPTION_PARAM", "subscription_id"), ("PRIV_DNS_RESOURCE_GROUP_PARAM", "resource_group"))


def import_landing_zone(ctx: ImportContext) -> None:
    """Hub DNS on → hub_spoke with the hub's DNS; off → standalone, PRIV_DNS_* kept as text."""
    raw_flag = ctx.raw.get(_HUB_FLAG)
    hub = False
    if raw_flag is not None:
        decoded = ctx.decoded(_var(_HUB_FLAG), raw_flag)  # NOT_HELD: a placeholder, kept as a shadow
        hub = decoded is True
        if decoded is not NOT_HELD:
            remember(ctx.extra, _HUB_FLAG, raw_flag, hub, FLAG)
    if not hub:
        ctx.extra.update((key, ctx.raw[key]) for key, _ in _DNS if key in ctx.raw)
        return
    dns = HubDns()
    for key, name in _DNS:
        if key in ctx.raw:
            ctx.assign(_var(key), ctx.raw[key], dns, name)
    ctx.config.landing_zone = HubSpokeZone(mode="hub_spoke", dns=dns)
    ctx.notes.append(
        f"{ctx.origin[_HUB_FLAG]}=true: imported as hub and spoke using the hub's private DNS zones; "
        "choose Virtual WAN in the wizard if your hub is one, and add the hub network ids "
        "(the AI Factory's files do not name them)."
    )


def export_landing_zone(config: FactoryConfig, extra: dict[str, str], notes: list[str]) -> Values:
    """CENTRAL_DNS_ZONE_BY_POLICY_IN_HUB and PRIV_DNS_* for the configured landing zone."""
    zone = config.landing_zone
    dns = zone.dns if isinstance(zone, HubSpokeZone | VwanZone) else None
    if isinstance(zone, VwanZone):
        notes.append("Virtual WAN is written as hub DNS (CENTRAL_DNS_ZONE_BY_POLICY_IN_HUB); the AI Factory "
                     "has no Virtual WAN switch, so connect each environment's VNet to the virtual hub yourself.")
    if dns is not None and not dns.records_by_policy:
        notes.append("The hub's DNS records are not made by policy, so CENTRAL_DNS_ZONE_BY_POLICY_IN_HUB is "
                     "written false: the AI Factory will create private DNS zones of its own.")
    out: Values = {_HUB_FLAG: pick(extra, _HUB_FLAG, dns is not None and dns.records_by_policy, FLAG, _flag)}
    for key, name in _DNS:
        var = _var(key)
        value = getattr(dns, name) if dns is not None else NOT_HELD
        out[key] = pick(extra, key, value, var.codec, _probe(HubDns, name, var))
    return out


# --------------------------------------------------------------------------- models


@dataclass(frozen=True)
class _Slot:
    flag: str
    model: str | None
    """The fixed model name; None for GPT-X, whose name is a variable."""
    fields: tuple[tuple[str, str], ...]
    """(ModelDeployment field, variable) pairs."""


_GPTX = _Slot("DEPLOY_MODEL_GPT_X", None, (("model", "MODEL_GPTX_NAME"), ("version", "MODEL_GPTX_VERSION"),
                                         ("sku", "MODEL_GPTX_SKU"), ("capacity", "MODEL_GPTX_CAPACITY")))
_GPT = (("sku", "DEFAULT_MODEL_SKU"), ("capacity", "DEFAULT_GPT_CAPACITY"))
_EMBEDDING = (("sku", "DEFAULT_MODEL_SKU"), ("capacity", "DEFAULT_EMBEDDING_CAPACITY"))
_SLOTS = (
    _GPTX,
    _Slot("DEPLOY_MODEL_GPT_4O", "gpt-4o", (("version", "DEFAULT_GPT_4O_VERSION"), *_GPT)),
    _Slot("DEPLOY_MODEL_GPT_54_MINI", "gpt-5.4-mini", (("version", "DEFAULT_GPT_54_MINI_VERSION"), *_GPT)),
    _Slot("DEPLOY_MODEL_TEXT_EMBEDDING_3_LARGE", "text-embedding-3-large", _EMBEDDING),
    _Slot("DEPLOY_MODEL_TEXT_EMBEDDING_3_SMALL", "text-embedding-3-small", _EMBEDDING),
    _Slot("DEPLOY_MODEL_TEXT_EMBEDDING_ADA_002", "text-embedding-ada-002", _EMBEDDING),
)
_FIXED = {slot.model: slot for slot in _SLOTS if slot.model}
_VALUE_KEYS = tuple(dict.fromkeys(key for slot in _SLOTS for _, key in slot.fields))


def _new(slot: _Slot) -> ModelDeployment:
    return ModelDeployment(model=slot.model or _var("MODEL_GPTX_NAME").default)


def _factory(slot: _Slot) -> Callable[[], BaseModel]:
    return lambda: _new(slot)


def import_models(ctx: ImportContext) -> None:
    """Each slot switched on becomes a deployment; values no deployment uses are kept as text.
    A file without any DEPLOY_MODEL_* switch leaves the model's default list alone."""
    if not any(slot.flag in ctx.raw for slot in _SLOTS):
        return
    models: list[ModelDeployment] = []
    used: set[str] = set()
    for slot in _SLOTS:
        raw_flag = ctx.raw.get(slot.flag)
        if raw_flag is None:
            continue
        on = ctx.decoded(_var(slot.flag), raw_flag)
        if on is NOT_HELD:
            continue
        remember(ctx.extra, slot.flag, raw_flag, on, FLAG)
        if on is not True:
            continue
        deployment = _new(slot)
        for name, key in slot.fields:
            if key in ctx.raw:
                ctx.assign(_var(key), ctx.raw[key], deployment, name)
                used.add(key)
        models.append(deployment)
    ctx.extra.update((key, ctx.raw[key]) for key in _VALUE_KEYS if key in ctx.raw and key not in used)
    ctx.config.skus.models = models


def _slots_of(models: list[ModelDeployment], notes: list[str]) -> dict[_Slot, ModelDeployment]:
    """Which menu slot each deployment fills. The first entry is GPT-X unless it is a fixed
    model named only once (so GPT-X set to e.g. gpt-4o beside the real gpt-4o round-trips)."""
    rest = list(models)
    chosen: dict[_Slot, ModelDeployment] = {}
    names = [deployment.model for deployment in models]
    if rest and (rest[0].model not in _FIXED or names.count(rest[0].model) > 1):
        chosen[_GPTX] = rest.pop(0)
    left: list[str] = []
    for deployment in rest:
        slot = _FIXED.get(deployment.model, _GPTX)
        if slot in chosen:
            left.append(deployment.model)
        else:
            chosen[slot] = deployment
    if left:
        notes.append(f"Model deployments {', '.join(left)} are not written: the AI Factory deploys one "
                     "custom model (GPT-X) besides gpt-4o, gpt-5.4-mini and the three embeddings. "
                     "Deploy the others yourself.")
    for slot, deployment in chosen.items():
        if slot.model and slot.model.startswith("text-embedding") and deployment.version:
            notes.append(f"{slot.model}: the version {deployment.version!r} is not written; the AI "
                         "Factory has no version setting for embeddings.")
    return chosen


def export_models(config: FactoryConfig, extra: dict[str, str], notes: list[str]) -> Values:
    """The DEPLOY_MODEL_* switches and model settings for `skus.models`."""
    chosen = _slots_of(config.skus.models, notes)
    out: Values = {}
    shared: dict[str, list[object]] = {}
    for slot in _SLOTS:
        out[slot.flag] = pick(extra, slot.flag, slot in chosen, FLAG, _flag)
        for name, key in slot.fields:
            if slot in chosen:
                shared.setdefault(key, []).append(getattr(chosen[slot], name))
    for slot in _SLOTS:
        for name, key in slot.fields:
            if key in out:
                continue
            var = _var(key)
            values = shared.get(key, [])
            if len(set(map(str, values))) > 1:
                notes.append(f"{key}: the models sharing it ask for {', '.join(map(str, values))}; "
                             f"{values[0]} is written for all of them.")
            value = values[0] if values else NOT_HELD
            out[key] = pick(extra, key, value, var.codec, _probe(_factory(slot), name, var))
    return out
