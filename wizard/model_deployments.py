"""Adding and removing model deployments (`skus.models`), for the SKU step and any other front end.

The catalog says which models the AI Factory deploys and with which deployment types; a new
deployment takes the model's first type and the model's default capacity, validated whole by the
same path as `try_set`. Capacity and type are then ordinary fields.
"""

from __future__ import annotations

from wizard import catalog
from wizard.edit import Edit, validated
from wizard.errors import FieldProblem
from wizard.model import FactoryConfig, ModelDeployment


def addable(config: FactoryConfig) -> list[str]:
    """The catalog's models not deployed yet, in the catalog's order."""
    deployed = {d.model for d in config.skus.models}
    return [name for name in catalog.MODELS if name not in deployed]


def add(config: FactoryConfig, model: str) -> Edit:
    """`config` with a deployment of `model` (its first deployment type, the default capacity)."""
    info = catalog.MODELS.get(model)
    if info is None:
        return Edit(None, [FieldProblem("skus.models", f"{model!r} is not a model the AI Factory deploys; "
                                        f"known models: {', '.join(catalog.MODELS)}")])
    if model in {d.model for d in config.skus.models}:
        return Edit(None, [FieldProblem("skus.models", f"{model} is deployed already; change its capacity instead")])
    data = config.model_dump(mode="python", round_trip=True)
    default_capacity = ModelDeployment.model_fields["capacity"].default
    data["skus"]["models"].append({"model": model, "sku": info.skus[0], "capacity": default_capacity})
    return validated(data)


def remove(config: FactoryConfig, index: int) -> Edit:
    """`config` without the deployment at `index`."""
    if not 0 <= index < len(config.skus.models):
        return Edit(None, [FieldProblem("skus.models", f"there is no model deployment at position {index + 1}")])
    data = config.model_dump(mode="python", round_trip=True)
    del data["skus"]["models"][index]
    return validated(data)
