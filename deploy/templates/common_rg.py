"""Stage C1 (11-rgCommon.bicep): the common resource group, and Defender for AI when asked.

A subscription-scope template: the group every other common stage deploys into.
"""

from __future__ import annotations

from typing import Any

from deploy.templates.arm import resource, template
from deploy.templates.context import EnvContext


def build(ctx: EnvContext) -> dict[str, Any]:
    """The template of C1 for one environment."""
    resources = [resource("Microsoft.Resources/resourceGroups", ctx.common_rg, location=ctx.region,
                          tags=ctx.tags())]
    if ctx.config.security.defender_for_ai_subscription:
        resources.append(resource("Microsoft.Security/pricings", "AI", properties={"pricingTier": "Standard"}))
    return template(resources, subscription_scope=True)
