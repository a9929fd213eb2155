"""Authentication for clients that talk to the sandbox over plain http on 127.0.0.1.

azure-core's bearer-token policy refuses to put a token on a non-TLS request. The loopback
server is http only, so clients built for it take this policy as `authentication_policy=`: the
same token caching and 401 handling, minus the https check. Only ever used with loopback URLs.
"""

from __future__ import annotations

from typing import Any

from azure.core.pipeline import PipelineRequest
from azure.core.pipeline.policies import BearerTokenCredentialPolicy

DEFAULT_SCOPE = "https://management.azure.com/.default"


class LoopbackBearerTokenPolicy(BearerTokenCredentialPolicy):
    """`BearerTokenCredentialPolicy` that allows http, for the sandbox's loopback server."""

    def __init__(self, credential: Any, *scopes: str, **kwargs: Any) -> None:
        super().__init__(credential, *(scopes or (DEFAULT_SCOPE,)), **kwargs)

    def on_request(self, request: PipelineRequest[Any]) -> None:
        """Authorize as usual, after lifting azure-core's https-only rule for this request."""
        request.context.options["enforce_https"] = False
        super().on_request(request)


def is_loopback(url: str) -> bool:
    """True for http(s)://127.x.x.x, localhost and [::1] URLs."""
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").lower()
    return host == "localhost" or host.startswith("127.") or host == "::1"
