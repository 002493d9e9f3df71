"""A container without a CPU or memory limit or request.

Read from the normalized view, so Compose's ``deploy.resources.limits``/``reservations`` and
the service-level ``mem_limit``, ``cpus`` and ``mem_reservation`` all count, whatever the
file's ``version``. A missing request is not reported when the limit is set: Kubernetes then
defaults the request to the limit, and the limit bounds what the container can take anyway.

Reported at the container's ``resources`` key (Compose: ``deploy.resources``) when written,
else at the container (the Compose service key). Init containers are checked by default —
the scheduler reserves the largest init container's requests too — ephemeral containers never
(the API does not let them set resources).
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._pods import is_ephemeral
from linter.checks._security import subject
from linter.model.finding import Hit
from linter.model.workload import Container, Workload

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["kind", "resource"],
    "properties": {
        "kind": {"enum": ["limits", "requests"], "description": "which amount must be set"},
        "resource": {"enum": ["cpu", "memory"]},
        "include_init": {"type": "boolean", "description": "also check init containers (default true)"},
    },
}

# How each format writes the amount (the first key is the one to suggest).
_SETTINGS = {
    ("compose", "limits", "memory"): "`deploy.resources.limits.memory` (or `mem_limit`)",
    ("compose", "limits", "cpu"): "`deploy.resources.limits.cpus` (or `cpus`)",
    ("compose", "requests", "memory"): "`deploy.resources.reservations.memory` (or `mem_reservation`)",
    ("compose", "requests", "cpu"): "`deploy.resources.reservations.cpus`",
    ("kubernetes", "limits", "memory"): "`resources.limits.memory`",
    ("kubernetes", "limits", "cpu"): "`resources.limits.cpu`",
    ("kubernetes", "requests", "memory"): "`resources.requests.memory`",
    ("kubernetes", "requests", "cpu"): "`resources.requests.cpu`",
}


@template("required-resource", unit="container", params=PARAMS)
def check(container: Container, workload: Workload, params: dict) -> Iterator[Hit]:
    if container.init and (not params.get("include_init", True) or is_ephemeral(container, workload)):
        return
    kind, resource = params["kind"], params["resource"]
    amounts = container.limits if kind == "limits" else container.requests
    if resource in amounts:
        return
    if kind == "requests" and resource in container.limits:
        return  # the request defaults to (or is bounded by) the limit
    source = workload.source if workload.source == "compose" else "kubernetes"
    yield Hit(container.resources_anchor, {
        "subject": subject(container, workload), "resource": "CPU" if resource == "cpu" else "memory",
        "setting": _SETTINGS[source, kind, resource],
        "request_word": "reservation" if source == "compose" else "request",
        "container": container.name, "workload": workload.name,
    })
