"""A Kubernetes container without a liveness or readiness probe.

Not required on init containers (the API refuses probes on them, except native sidecars,
which may set them but need not), on ephemeral containers, or in workloads that run to
completion (``skip_kinds``: Jobs and CronJobs are not behind a Service and are not restarted
for being slow). With ``only_with_ports``, a container that declares no ``ports`` is skipped
too: it is almost always a worker or an agent that no Service routes to (a Service can still
target a port by number without the container declaring it; that case is missed).
Reported at the container's ``name`` key.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._security import subject
from linter.model.finding import Hit
from linter.model.workload import Container, Workload

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["probe"],
    "properties": {
        "probe": {"enum": ["liveness", "readiness"]},
        "skip_kinds": {"type": "array", "items": {"type": "string"}, "uniqueItems": True,
                       "description": "workload kinds that need no probe (default [Job, CronJob])"},
        "only_with_ports": {"type": "boolean",
                            "description": "skip containers that declare no `ports` (default false)"},
    },
}


@template("required-probe", unit="container", params=PARAMS)
def check(container: Container, workload: Workload, params: dict) -> Iterator[Hit]:
    if container.init or workload.kind in params.get("skip_kinds", ("Job", "CronJob")):
        return
    if params.get("only_with_ports", False) and not container.ports:
        return
    probe = params["probe"]
    if getattr(container, probe) is not None:
        return
    yield Hit(container.anchor, {"subject": subject(container, workload), "probe": probe,
                                 "key": f"{probe}Probe", "container": container.name, "workload": workload.name})
