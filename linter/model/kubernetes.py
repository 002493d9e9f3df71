"""Kubernetes objects as dlint sees them: each object of a stream, where its pod spec is, and
the claims the stream defines.

Pod specs are found by structure, not by kind, so a custom resource that embeds a pod
template (an Argo Rollout, an OpenKruise CloneSet) is read like a Deployment. Objects of
kinds dlint does not know pass through untouched: they keep their node and metadata and
have no pod spec. Plain classes with slots, for the same start-up reason as :mod:`span`.
"""
from __future__ import annotations

from collections import namedtuple

# Where each built-in workload kind keeps its pod spec, and the apiVersions that kind has had.
# A kind of the same name under another API group (``batch.volcano.sh/v1alpha1`` Job) is not
# assumed to have the built-in structure: its pod spec is searched for like any CRD's.
POD_SPEC_PATHS = {
    "Pod": ("spec",),
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
WORKLOAD_API_VERSIONS = {
    "Pod": ("v1",),
    "ReplicationController": ("v1",),
    "Deployment": ("apps/v1", "apps/v1beta1", "apps/v1beta2", "extensions/v1beta1"),
    "StatefulSet": ("apps/v1", "apps/v1beta1", "apps/v1beta2"),
    "DaemonSet": ("apps/v1", "apps/v1beta2", "extensions/v1beta1"),
    "ReplicaSet": ("apps/v1", "apps/v1beta2", "extensions/v1beta1"),
    "Job": ("batch/v1",),
    "CronJob": ("batch/v1", "batch/v1beta1", "batch/v2alpha1"),
}
# Where any other object may keep one, tried in this order; the candidate must hold ``containers``.
POD_SPEC_CANDIDATES = (
    ("spec",),
    ("spec", "template", "spec"),
    ("spec", "jobTemplate", "spec", "template", "spec"),
)
# Kinds whose ``spec.replicas`` is a pod count (a custom resource with a pod template at
# ``spec.template.spec`` is read the same way: Argo Rollout, CloneSet).
REPLICATED_KINDS = frozenset({"Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"})

IGNORE_ANNOTATION = "dlint.io/ignore"

KubernetesProblem = namedtuple("KubernetesProblem", "rule message span")


class KObject:
    """One Kubernetes object: a document of the stream, or an item of a ``List``.

    ``api_version``, ``kind``, ``name`` and ``namespace`` are the text written (``""`` for a
    missing apiVersion or kind, ``None`` for a missing name or namespace). ``anchor`` is where
    to report about the whole object: the value of ``metadata.name`` when written, else the
    ``kind`` key, else the object's first key. ``pod_spec`` is the mapping node of its pod
    spec (``None`` when it runs no pods), ``pod_spec_anchor`` the key holding it, and
    ``templates`` the metadata-bearing template nodes on the way to it (``spec.template``;
    for a CronJob also ``spec.jobTemplate``). ``annotations`` and ``labels`` are the
    object's own, as text; ``ignored`` holds the rule codes and names listed in the
    ``dlint.io/ignore`` annotation of the object and of its pod templates. ``document`` is
    the index of the YAML document, ``item`` the index in a ``List`` (``None`` otherwise).
    """

    __slots__ = ("api_version", "kind", "name", "namespace", "node", "anchor", "pod_spec", "pod_spec_anchor",
                 "templates", "annotations", "labels", "ignored", "document", "item")

    def __init__(self, api_version: str, kind: str, name, namespace, node, anchor, document: int,
                 item=None) -> None:
        self.api_version = api_version
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.node = node
        self.anchor = anchor
        self.pod_spec = None
        self.pod_spec_anchor = None
        self.templates: list = []
        self.annotations: dict[str, str] = {}
        self.labels: dict[str, str] = {}
        self.ignored: set[str] = set()
        self.document = document
        self.item = item

    @property
    def group(self) -> str:
        """The API group (``apps`` for ``apps/v1``; ``""`` for the core group)."""
        group, slash, _ = self.api_version.rpartition("/")
        return group if slash else ""

    @property
    def runs_pods(self) -> bool:
        return self.pod_spec is not None

    def __repr__(self) -> str:
        return f"<KObject {self.kind} {self.name}>"


class KubernetesStream:
    """The objects of one file, in order; ``claims`` maps the name of each PersistentVolumeClaim
    in the file to its object (the first one of that name); ``problems`` holds
    :class:`KubernetesProblem` records (rule name, message, span) about the stream as a whole."""

    __slots__ = ("path", "objects", "claims", "problems")

    def __init__(self, path: str, objects: list | None = None, claims: dict | None = None,
                 problems: list | None = None) -> None:
        self.path = path
        self.objects: list[KObject] = objects if objects is not None else []
        self.claims: dict[str, KObject] = claims if claims is not None else {}
        self.problems: list[KubernetesProblem] = problems if problems is not None else []

    def __repr__(self) -> str:
        return f"<KubernetesStream {self.path} {len(self.objects)} objects>"
