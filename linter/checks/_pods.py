"""Shared helpers for container templates: which kind of Kubernetes container a
:class:`Container` is (``Container.init`` is true for init and ephemeral containers alike)."""
from __future__ import annotations

from linter.model.workload import Container, Workload

# Where a pod spec may be, as the Kubernetes parser looks for it.
_POD_SPECS = (("spec",), ("spec", "template", "spec"), ("spec", "jobTemplate", "spec", "template", "spec"))


def is_ephemeral(container: Container, workload: Workload) -> bool:
    """An ephemeral (debug) container: the API gives it no resources and no probes."""
    if not container.init or workload.source != "kubernetes" or workload.node is None:
        return False
    for path in _POD_SPECS:
        listed = workload.node.at(*path, "ephemeralContainers")
        if listed is not None and listed.is_seq and any(item is container.node for item in listed.value):
            return True
    return False


def is_sidecar(container: Container) -> bool:
    """A native sidecar: an init container with ``restartPolicy: Always`` that keeps running."""
    if not container.init or container.node is None or not container.node.is_map:
        return False
    policy = container.node.get("restartPolicy")
    return policy is not None and policy.text() == "Always"
