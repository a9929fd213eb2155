"""The SDK's generated models are set up before threads first meet them (Azure/azure-sdk-for-python#47426).

Under 50 concurrent `validate --demo` runs, 2 of 250 reported "'dict' object has no attribute
'name_available'": two threads set up a model class at once, the SDK swallowed the error and
returned raw JSON. The race is rare and timing-dependent, so the test checks what rules it out:
in a fresh process, a whole concurrent preflight sets up no model class outside `prepared()`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from wizard.azure.sdk_models import model_closure, models_package

SCRIPT = textwrap.dedent("""
    import importlib, json, sys
    from collections.abc import MutableMapping
    from presets.store import PresetStore
    from sandbox.arm import Arm
    from sandbox.clock import SandboxClock
    from sandbox.seed import CONTOSO_TENANT
    from sandbox.transport import SandboxCredential, SandboxTransport
    from wizard.azure import sdk_models
    from wizard.azure.clients import AzureSession
    from wizard.azure.demo import with_demo_subscriptions
    from wizard.azure.preflight import run_preflight

    packages = ["azure.mgmt.compute", "azure.mgmt.resource.resources", "azure.mgmt.resource.subscriptions",
                "azure.mgmt.keyvault", "azure.mgmt.storage", "azure.mgmt.cognitiveservices"]
    classes = [c for p in packages for c in vars(importlib.import_module(p + ".models")).values()
               if isinstance(c, type) and issubclass(c, MutableMapping)]
    before = {c: frozenset(vars(c)) for c in classes}
    config, _ = with_demo_subscriptions(PresetStore().load(sys.argv[1]).config)
    arm = Arm(clock=SandboxClock.frozen())
    session = AzureSession(SandboxCredential(), transport=SandboxTransport(arm), tenant_id=CONTOSO_TENANT)
    result = run_preflight(config, session, tenant_id=CONTOSO_TENANT)
    session.close()
    changed = {c for c in classes if frozenset(vars(c)) != before[c]}
    print(json.dumps({
        "set_up_lazily": sorted(c.__qualname__ for c in changed - sdk_models._initialised),
        "set_up_first": len(sdk_models._initialised),
        "crashes": [f.message for f in result.findings if f.code == "AIF-LIVE-CRASH"],
    }))
""")


def test_a_concurrent_preflight_sets_up_no_model_class_lazily() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT, "enterprise-hub-spoke"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["set_up_lazily"] == [], "model classes first set up on pool threads"
    assert report["set_up_first"] > 20
    assert report["crashes"] == []


def test_the_closure_follows_fields_bases_and_subclasses() -> None:
    from azure.mgmt.resource.resources import models

    closure = set(model_closure(models, [models.Provider]))
    assert {models.Provider, models.ProviderResourceType} <= closure  # list[ProviderResourceType] field
    assert not any(issubclass(c, str) for c in closure)  # enums have no set-up to do
    assert models_package("azure.mgmt.keyvault.operations._operations").__name__ == "azure.mgmt.keyvault.models"
