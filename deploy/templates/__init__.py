"""ARM template builders, one module per stage kind (see deploy/plan.py for the stage graph).

`arm` holds what every template is made of (api-versions, ids, escaping), `context` what the
templates of one environment share, `private_link` private endpoints, firewalls and diagnostics;
`common_rg`, `common_network`, `common_services`, `project_network`, `project_services` and
`project_rbac` build the stages.
"""
