"""What travels between a client and the sandbox: the parsed request, the reply, ARM errors.

The sandbox is a pure function of (state, clock, request); this module is the boundary where raw
HTTP pieces (method, absolute URL, headers, body bytes) become a `Request`, and a `Reply` becomes
raw pieces again. Keeping it separate lets the in-process transport and the loopback server share
every byte of behaviour.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
MAX_BODY_BYTES = 4 * 1024 * 1024
"""ARM refuses request bodies over 4 MB (413 `RequestContentTooLarge`)."""
MAX_JSON_DEPTH = 64
"""ARM's JSON reader refuses nesting deeper than 64 (Json.NET's default `MaxDepth`)."""


class ArmError(Exception):
    """An ARM error answer: raised anywhere in a handler, rendered as `{"error": {...}}`.

    ARM wraps every failure in the same envelope; the SDK maps 401/404/409 to typed exceptions
    and reads `code`, `message` and `details` from it, so handlers only need to raise this.
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        details: list[dict[str, Any]] | None = None,
        target: str | None = None,
        headers: Mapping[str, str] | None = None,
        additional_info: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.target = target
        self.headers = dict(headers or {})
        self.additional_info = additional_info

    def to_error(self) -> dict[str, Any]:
        """The inner `error` object (also used nested inside deployment errors)."""
        return error_object(self.code, self.message, details=self.details, target=self.target,
                            additional_info=self.additional_info)

    def to_reply(self) -> Reply:
        """The full reply with the ARM error envelope (`details` always present at the top)."""
        error = self.to_error()
        error.setdefault("details", [])
        return Reply(self.status, {"error": error}, dict(self.headers))


def error_object(
    code: str,
    message: str,
    *,
    details: list[dict[str, Any]] | None = None,
    target: str | None = None,
    additional_info: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Build one ARM error object; `details` and `additionalInfo` only when there are some."""
    error: dict[str, Any] = {"code": code, "message": message}
    if target is not None:
        error["target"] = target
    if details:
        error["details"] = list(details)
    if additional_info:
        error["additionalInfo"] = list(additional_info)
    return error


@dataclass
class Request:
    """One parsed ARM request.

    `base` is the scheme and host the client used ("https://management.azure.com" in process,
    "http://127.0.0.1:PORT" on loopback): every absolute URL the sandbox hands back (nextLink,
    Azure-AsyncOperation, Location) is built from it so clients poll the endpoint they called.
    """

    method: str
    base: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes = b""
    _json: Any = field(default=None, repr=False)
    _parsed: bool = field(default=False, repr=False)

    @classmethod
    def parse(
        cls, method: str, url: str, headers: Mapping[str, str] | None = None, body: bytes | None = None
    ) -> Request:
        """Split an absolute (or path-only) URL into base, decoded path and query."""
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}" if parts.scheme else "https://management.azure.com"
        path = unquote(parts.path) or "/"
        if len(path) > 1:
            path = path.rstrip("/")
        query = {k: v for k, v in parse_qsl(parts.query, keep_blank_values=True)}
        lowered = {k.lower(): v for k, v in (headers or {}).items()}
        return cls(method.upper(), base, path, query, lowered, body or b"")

    def param(self, name: str, default: str | None = None) -> str | None:
        """A query parameter, matched case-insensitively (ARM ignores case of `$filter`, `$top`)."""
        wanted = name.lower()
        for key, value in self.query.items():
            if key.lower() == wanted:
                return value
        return default

    @property
    def api_version(self) -> str | None:
        """The api-version the caller sent (`sandbox.api_versions` says which are accepted)."""
        return self.param("api-version")

    def json(self, *, required: bool = True) -> Any:
        """The JSON body; a malformed or too deeply nested one is ARM's 400 `InvalidRequestContent`."""
        if not self._parsed:
            self._parsed = True
            if self.body.strip():
                try:
                    parsed = json.loads(self.body)
                except ValueError as exc:
                    self._parsed = False
                    raise ArmError(
                        400,
                        "InvalidRequestContent",
                        f"The request content was invalid and could not be deserialized: '{exc}'.",
                    ) from exc
                except RecursionError:
                    self._parsed = False
                    raise too_deep() from None
                if json_depth(parsed) > MAX_JSON_DEPTH:
                    self._parsed = False
                    raise too_deep()
                self._json = parsed
        if self._json is None and required:
            raise ArmError(
                400, "InvalidRequestContent", "The request content was invalid: the body is empty."
            )
        return self._json

    def url_for(self, path: str, **query: str) -> str:
        """An absolute URL on the endpoint this request came in on."""
        url = self.base + quote(path, safe="/:@!$&'()*+,;=-._~")
        if query:
            url += "?" + "&".join(f"{quote(k, safe='$')}={quote(str(v), safe='')}" for k, v in query.items())
        return url


def json_depth(value: Any) -> int:
    """How deeply objects and arrays nest in a parsed JSON value (a scalar is 0), without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = list(item.values())
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        stack += [(child, depth + 1) for child in children]
    return deepest


def too_deep() -> ArmError:
    """ARM's answer to JSON nested deeper than its reader allows."""
    return ArmError(
        400,
        "InvalidRequestContent",
        "The request content was invalid and could not be deserialized: 'The reader's MaxDepth of "
        f"{MAX_JSON_DEPTH} has been exceeded. Path ''.'.",
    )


def too_large() -> ArmError:
    """ARM's answer to a body over 4 MB."""
    return ArmError(413, "RequestContentTooLarge", "The request content size exceeds the maximum size of 4 MB.")


@dataclass
class Reply:
    """A response before encoding: a status, a JSON-able body (or None) and extra headers."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)

    def encode(self) -> tuple[int, dict[str, str], bytes]:
        """Render to (status, headers, bytes) with a JSON content type when there is a body."""
        headers = dict(self.headers)
        if self.body is None:
            payload = b""
        else:
            payload = json.dumps(self.body, separators=(",", ":")).encode("utf-8")
            headers.setdefault("Content-Type", JSON_CONTENT_TYPE)
        headers["Content-Length"] = str(len(payload))
        return self.status, headers, payload
