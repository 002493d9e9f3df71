"""A request (Compose: reservation) larger than the limit of the same resource.

Kubernetes rejects such a pod ("must be less than or equal to ... limit"), and Docker refuses a
memory reservation above the memory limit; a CPU reservation above the CPU limit can never be
used. Reported at the request's value. Amounts are compared in canonical units (cores, bytes),
so ``1Gi`` against ``1024Mi`` is equal, and Compose's ``512m`` is 512 MiB.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._security import subject
from linter.model.finding import Hit
from linter.model.workload import Container, Workload

PARAMS = {"type": "object", "additionalProperties": False, "properties": {}}

# What happens, per format and resource ("*": any resource).
_CONSEQUENCE = {
    ("kubernetes", "*"): "the API server rejects the pod",
    ("compose", "memory"): "Docker refuses to create the container",
    ("compose", "*"): "the reservation can never be used",
}
_REQUEST_WORD = {"compose": "reservation", "kubernetes": "request"}


@template("requests-within-limits", unit="container", params=PARAMS)
def check(container: Container, workload: Workload, params: dict) -> Iterator[Hit]:
    source = workload.source if workload.source == "compose" else "kubernetes"
    for resource, request in container.requests.items():
        limit = container.limits.get(resource)
        if limit is None or request.amount is None or limit.amount is None or request.amount <= limit.amount:
            continue  # an amount that is a variable or invalid cannot be compared
        consequence = _CONSEQUENCE.get((source, resource)) or _CONSEQUENCE[source, "*"]
        yield Hit(request.span, {
            "subject": subject(container, workload), "resource": "CPU" if resource == "cpu" else resource,
            "request": request.raw, "limit": limit.raw, "request_word": _REQUEST_WORD[source],
            "consequence": consequence, "container": container.name, "workload": workload.name,
        })
