"""Make the Azure SDK's generated models safe to first use from many threads at once.

Every model class of the new-generation SDK packages builds its table of fields the first time
an instance is created, and caches it on the class. Two threads doing that for related classes
at the same moment can make one of them raise ("dictionary changed size during iteration"); the
SDK's deserializer swallows the error and hands back the raw JSON `dict` instead of the model,
or a model whose nested fields are dicts (Azure/azure-sdk-for-python#47426, open). A preflight
reads about 150 things on a thread pool, so the first answers of each kind do meet: under 50
concurrent `validate --demo` runs, 1 run in 100 reported "'dict' object has no attribute
'name_available'" and lost its real findings.

`prepared(operation)` creates one bare instance of every model class the operation can return
(from its return annotation, then transitively from the annotations of those models' fields,
their base classes and their subclasses), once per process and under one lock, before the
operation is first called. The set-up then happens on one thread; later calls find it done.
It costs what the SDK would have spent lazily (about 1 ms a class), and only for classes used.
"""

from __future__ import annotations

import importlib
import inspect
import re
import threading
from collections.abc import Callable, Iterable, MutableMapping
from types import ModuleType
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

ERROR_MODELS = ("CloudError", "ErrorResponse", "ErrorDetail", "ErrorAdditionalInfo")
"""Error models the SDK deserializes on failure answers (not in any return annotation)."""

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_lock = threading.Lock()
_prepared_functions: set[Any] = set()
_initialised: set[type] = set()


def prepared(operation: F) -> F:
    """`operation` (a bound SDK client method), after its model classes have been set up."""
    key = getattr(operation, "__func__", operation)
    if key in _prepared_functions:
        return operation
    with _lock:
        if key not in _prepared_functions:
            models = models_package(operation.__module__)
            if models is not None:
                roots = _classes_named(models, [str(inspect.signature(operation).return_annotation),
                                                *ERROR_MODELS])
                for cls in model_closure(models, roots):
                    if cls not in _initialised:
                        model: Any = cls
                        model.__new__(model)  # runs the class's one-time field set-up, here, alone
                        _initialised.add(cls)
            _prepared_functions.add(key)
    return operation


def models_package(module_name: str) -> ModuleType | None:
    """The `models` package beside an SDK module (`azure.mgmt.x.operations._ops` -> `azure.mgmt.x.models`)."""
    head = module_name.split(".models", 1)[0].split(".operations", 1)[0]
    try:
        return importlib.import_module(head + ".models")
    except ImportError:
        return None


def model_closure(models: ModuleType, roots: Iterable[type]) -> list[type]:
    """`roots` and every model class reachable from them through field annotations, bases and
    subclasses (polymorphic answers), in a stable order."""
    seen: dict[type, None] = {}
    stack = list(roots)
    while stack:
        cls = stack.pop()
        if cls in seen or not _is_model(models, cls):
            continue
        seen[cls] = None
        stack += cls.__mro__[1:]
        stack += cls.__subclasses__()
        for klass in cls.__mro__:
            stack += _classes_named(models, [str(a) for a in vars(klass).get("__annotations__", {}).values()])
    return list(seen)


def _classes_named(models: ModuleType, texts: Iterable[str]) -> list[type]:
    """Model classes of `models` whose names occur in the annotation texts."""
    found = []
    for text in texts:
        for name in _IDENTIFIER.findall(text):
            candidate = getattr(models, name, None)
            if isinstance(candidate, type) and _is_model(models, candidate):
                found.append(candidate)
    return found


def _is_model(models: ModuleType, cls: type) -> bool:
    """A generated model of this package: a mapping class defined in its `models` (not an enum)."""
    return issubclass(cls, MutableMapping) and cls.__module__.startswith(models.__name__)
