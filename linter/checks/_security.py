"""Shared helpers for the workload security templates: how to name a container in a message,
where to report a setting that is missing, and how to read the booleans both formats write."""
from __future__ import annotations

from linter.model.workload import Container, Field, Workload

_TRUE_TEXT = frozenset({"true", "yes", "on", "1"})
_FALSE_TEXT = frozenset({"false", "no", "off", "0"})


def subject(container: Container, workload: Workload) -> str:
    """``service `web``` for Compose; ``container `app` of Deployment `web``` for Kubernetes."""
    if workload.source == "compose":
        return f"service `{workload.name}`"
    role = "init container" if container.init else "container"
    return f"{role} `{container.name}` of {workload.kind} `{workload.name}`"


def truth(field: Field | None) -> bool | None:
    """A written boolean (YAML ``true``, or the text Compose also accepts); ``None`` when the
    field is missing or holds something else (an unresolved ``${VAR}``)."""
    if field is None:
        return None
    value = field.value
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE_TEXT:
        return True
    if text in _FALSE_TEXT:
        return False
    return None


def security_anchor(container: Container, workload: Workload):
    """Where a missing security setting is reported: the container's ``securityContext`` key
    when it has one (Kubernetes), else the container (the Compose service key)."""
    if workload.source == "kubernetes" and container.node is not None:
        context = container.node.get("securityContext")
        if context is not None and context.key_span is not None:
            return context.key_span
    return container.anchor
