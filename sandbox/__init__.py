"""The sandbox: a stand-in for Azure Resource Manager that the real Azure SDK clients use unchanged.

* `sandbox.arm.Arm` -- the state machine (request -> response), seeded with the demo tenant;
* `sandbox.transport.SandboxTransport` / `SandboxCredential` -- mount it in process;
* `sandbox.server.SandboxServer` -- serve it on 127.0.0.1 (with a managed identity endpoint);
* `sandbox.faults.FaultPlan` -- latency, throttling, transient errors, injected failures;
* `sandbox.seed` -- the facts of the demo tenant.

Importing this package (or `sandbox.arm`) does not import the Azure SDK; `transport`, `server`
and `loopback` do, since they plug into azure-core.
"""

import logging

logging.getLogger("sandbox").addHandler(logging.NullHandler())
"""A sandbox bug is answered 500 and logged here; silent unless an application (like
`aifactory sandbox serve`) attaches a handler."""
