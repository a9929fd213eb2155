"""ARM list pages: `{"value": [...], "nextLink": "<absolute url>"}` with `$skiptoken`.

Clients must follow `nextLink` until it is absent; a small page size in tests proves they do.
The next link keeps the caller's other query parameters (`$filter` above all) and points at the
endpoint the request came in on.
"""

from __future__ import annotations

from typing import Any

from sandbox.wire import ArmError, Reply, Request


def page(request: Request, items: list[Any], page_size: int) -> Reply:
    """One page of `items`, starting at the request's `$skiptoken`."""
    token = request.param("$skiptoken") or "0"
    try:
        start = int(token)
    except ValueError as exc:
        raise ArmError(400, "InvalidSkipToken", f"The skip token '{token}' is not valid.") from exc
    size = max(1, page_size)
    body: dict[str, Any] = {"value": items[start : start + size]}
    if start + size < len(items):
        query = {
            k: v for k, v in request.query.items() if k.lower() not in ("$skiptoken", "api-version")
        }
        query["api-version"] = request.api_version or ""
        query["$skiptoken"] = str(start + size)
        body["nextLink"] = request.url_for(request.path, **query)
    return Reply(200, body)
