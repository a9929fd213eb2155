"""ARM's `uniqueString()`, reproduced offline so the wizard can show the AI Factory's salt.

Why this exists: every common resource name of the AI Factory carries `salt5`, the first five
characters of `uniqueString(<common resource group id>)`. Users are told to copy it by hand
from the portal after the first deployment (AIFACTORY_SALT); computing it here lets the wizard
preview every name, length and availability before anything is deployed.

ARM's `guid()` comes along for the deploy plan: a role assignment named `guid(scope, principal,
role)` gets the same name on every run, so deploying again rewrites it instead of adding one.

The algorithms live in `sandbox.arm_functions` (standard library only), so the sandbox
evaluates templates with the very same functions; see that module for how ARM computes them.
"""

from __future__ import annotations

from sandbox.arm_functions import ALPHABET, base32_13, guid, murmur_hash64, unique_string

__all__ = ["ALPHABET", "base32_13", "guid", "murmur_hash64", "unique_string"]
