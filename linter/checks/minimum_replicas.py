"""Kubernetes workloads that run fewer pods than a minimum (a single replica by default).

StatefulSets are not checked unless ``kinds`` names them: a single-replica StatefulSet is
most often a single-instance database, which more pods do not make highly available (each
new pod gets its own empty volume; the database has to replicate itself). kube-score and
Polaris check only Deployments too.

``spec.replicas`` unset means 1 (the API default). Reported at the ``replicas`` value, or at
the ``spec`` key when it is not written (at the object's name when there is no ``spec``).
Not reported: ``replicas: 0`` (scaled down on purpose), a value that is not a number (a
template left unrendered), and a workload that a HorizontalPodAutoscaler or a KEDA
ScaledObject in the same file scales (the autoscaler owns the count; its own ``minReplicas``
is a separate concern). One pass over the stream: autoscaler targets first, then workloads.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.model.finding import Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "minimum": {"type": "integer", "minimum": 2, "description": "fewest replicas accepted (default 2)"},
        "kinds": {"type": "array", "items": {"type": "string"}, "uniqueItems": True,
                  "description": "kinds checked (default Deployment, ReplicaSet)"},
    },
}
_KINDS = ("Deployment", "ReplicaSet")
# Autoscaler kind → the kind its scaleTargetRef means when it names none.
_AUTOSCALERS = {"HorizontalPodAutoscaler": None, "ScaledObject": "Deployment"}


def _autoscaled(stream) -> set[tuple[str, str, str]]:
    """(namespace, kind, name) of every workload an autoscaler in the stream targets."""
    targets = set()
    for obj in stream.objects:
        if obj.kind not in _AUTOSCALERS:
            continue
        ref = obj.node.at("spec", "scaleTargetRef")
        name = ref.get("name").text() if ref is not None and ref.get("name") is not None else None
        kind = ref.get("kind").text() if ref is not None and ref.get("kind") is not None else _AUTOSCALERS[obj.kind]
        if name and kind:
            targets.add((obj.namespace or "", kind, name))
    return targets


def _replicas(node) -> int | None:
    """The replica count as written: an integer, or digits in a string; None otherwise."""
    value = node.value if node.is_scalar else None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.strip().isdigit() else None


@template("minimum-replicas", unit="kubernetes", params=PARAMS)
def check(stream, params: dict) -> Iterator[Hit]:
    kinds = set(params.get("kinds", _KINDS))
    minimum = params.get("minimum", 2)
    scaled = None
    for obj in stream.objects:
        if obj.kind not in kinds or obj.pod_spec is None:
            continue
        spec = obj.node.get("spec")
        written = spec.get("replicas") if spec is not None else None
        count = 1 if written is None or written.is_scalar and written.value is None else _replicas(written)
        if count is None or count == 0 or count >= minimum:
            continue
        if scaled is None:
            scaled = _autoscaled(stream)
        if (obj.namespace or "", obj.kind, obj.name) in scaled:
            continue
        if written is not None and written.value is not None:
            span, reason = written.span, f"`replicas: {count}`"
        else:
            span = spec.key_span if spec is not None and spec.key_span is not None else obj.anchor
            reason = "`replicas` is not set and defaults to 1"
        yield Hit(span, {"kind": obj.kind, "name": obj.name or "(unnamed)", "replicas": count, "reason": reason,
                         "minimum": minimum})
