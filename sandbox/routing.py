"""Matching a request path to its handler.

ARM treats path segments case-insensitively (the SDK sends `resourcegroups`, docs write
`resourceGroups`), so every pattern is compiled case-insensitively. Patterns are tried in the
order they were added: specific routes before the generic resource catch-alls.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandbox.wire import ArmError, Reply, Request

Handler = Callable[..., Reply]
"""`handler(arm, request, **path_params) -> Reply`."""


def read_only(handler: Handler) -> Handler:
    """Mark a POST handler that changes nothing (a name check), so the demo does not save state."""
    handler.read_only = True  # type: ignore[attr-defined]
    return handler


def is_read_only(handler: Handler) -> bool:
    """True for handlers marked with `read_only`."""
    return bool(getattr(handler, "read_only", False))


@dataclass
class Route:
    """One pattern, the methods it answers and its handler."""

    methods: frozenset[str]
    pattern: re.Pattern[str]
    handler: Handler
    template: str


def compile_pattern(template: str) -> re.Pattern[str]:
    """`/subscriptions/{sub}/x/{rest:path}` -> a case-insensitive regex with named groups."""

    def group(match: re.Match[str]) -> str:
        name, _, kind = match.group(1).partition(":")
        return f"(?P<{name}>.+)" if kind == "path" else f"(?P<{name}>[^/]+)"

    body = re.sub(r"\{([^}]+)\}", group, re.escape(template).replace(r"\{", "{").replace(r"\}", "}"))
    return re.compile(f"^{body}$", re.IGNORECASE)


class Router:
    """An ordered route table."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(self, methods: str, template: str, handler: Handler) -> None:
        """Register `handler` for space-separated `methods` on `template`."""
        self.routes.append(
            Route(frozenset(methods.upper().split()), compile_pattern(template), handler, template)
        )

    def extend(self, table: list[tuple[str, str, Handler]]) -> None:
        """Register a module's `ROUTES` table."""
        for methods, template, handler in table:
            self.add(methods, template, handler)

    def match(self, request: Request) -> tuple[Route, dict[str, Any]]:
        """Find the route and its path parameters; 405 when the path exists for other methods,
        404 otherwise."""
        allowed = False
        for route in self.routes:
            found = route.pattern.match(request.path)
            if not found:
                continue
            if request.method in route.methods:
                return route, found.groupdict()
            allowed = True
        if allowed:
            raise ArmError(
                405,
                "HttpMethodNotAllowed",
                f"The requested resource does not support http method '{request.method}'.",
            )
        raise ArmError(
            404,
            "InvalidResourceType",
            f"The resource type could not be found for the request path '{request.path}'.",
        )
