"""YAML documents to Kubernetes objects, and Kubernetes objects to the normalized workload view.

``parse_kubernetes`` walks the documents of one file (and the items of ``List`` objects),
finds each object's pod spec by structure, and collects the PersistentVolumeClaims of the
stream. ``to_workloads`` turns every object that runs pods into a :class:`Workload`:
containers, init and ephemeral containers, quantities in canonical units, mounts resolved
through the pod's volumes and the StatefulSet's claim templates, ports, security context.
Nothing here raises on odd input: a field of the wrong shape is skipped (the schema check
reports it), an invalid quantity becomes a workload problem.

``looks_like_kubernetes`` and ``is_helm_template`` are cheap text sniffs for discovery; they
never parse YAML, and importing this module does not import PyYAML.
"""
from __future__ import annotations

import re

from linter.model.kubernetes import (
    IGNORE_ANNOTATION, POD_SPEC_CANDIDATES, POD_SPEC_PATHS, REPLICATED_KINDS, WORKLOAD_API_VERSIONS,
    KObject, KubernetesProblem, KubernetesStream,
)
from linter.model.workload import Container, Field, Mount, Port, Quantity, Workload

MAX_LIST_DEPTH = 8

_SELECTOR_SPLIT = re.compile(r"[\s,]+")

# Volume source key → (mount kind, the field naming its source).
_VOLUME_SOURCES = {
    "persistentVolumeClaim": ("claim", "claimName"),
    "hostPath": ("hostPath", "path"),
    "emptyDir": ("emptyDir", "medium"),
    "configMap": ("configMap", "name"),
    "secret": ("secret", "secretName"),
    "projected": ("projected", None),
    "downwardAPI": ("downwardAPI", None),
    "csi": ("other", "driver"),
    "ephemeral": ("other", None),
    "image": ("other", "reference"),
    "gitRepo": ("other", "repository"),
}
# In-tree network and cloud disks: the data outlives the pod, like a claim's.
_NETWORK_SOURCES = frozenset({
    "nfs", "iscsi", "glusterfs", "rbd", "cephfs", "cinder", "fc", "flocker", "azureFile", "azureDisk",
    "awsElasticBlockStore", "gcePersistentDisk", "vsphereVolume", "quobyte", "photonPersistentDisk",
    "portworxVolume", "scaleIO", "storageos", "flexVolume",
})
_CONTAINER_LISTS = (("containers", False), ("initContainers", True), ("ephemeralContainers", True))
_RESOURCES = (("cpu", "cpu"), ("memory", "memory"), ("ephemeral-storage", "memory"))


# --- objects ----------------------------------------------------------------------------------

def parse_kubernetes(documents, path: str) -> KubernetesStream:
    """The objects of ``documents`` (each a :class:`YamlDocument`): mapping documents and the
    items of ``List`` objects; empty documents and non-mappings are skipped (the schema check
    reports the latter). Also reports an object defined twice in the stream."""
    stream = KubernetesStream(path)
    for document in documents:
        root = document.root
        if root is None or (root.kind == "scalar" and root.value is None):
            continue  # an empty document (``---`` at the end of a file)
        if root.kind == "map":
            _collect(root, document.index, None, stream.objects, stream.problems, 0)
        else:
            stream.problems.append(_not_an_object(root, "document"))
    seen: dict[tuple, KObject] = {}
    for obj in stream.objects:
        if obj.kind == "PersistentVolumeClaim" and obj.name:
            stream.claims.setdefault(obj.name, obj)
        if not obj.name or not obj.kind:
            continue
        key = (obj.group, obj.kind, obj.namespace or "", obj.name)
        first = seen.setdefault(key, obj)
        if first is not obj:
            where = f"line {first.anchor.line}"
            stream.problems.append(KubernetesProblem(
                "duplicate-object",
                f"{obj.kind} '{obj.name}' is defined again (first at {where}); applying the file keeps only "
                f"the last one", obj.anchor))
    return stream


def _collect(node, document: int, item, objects: list, problems: list, depth: int) -> None:
    kind = _text(node.get("kind")) or ""
    items = node.get("items")
    if kind.endswith("List") and items is not None and items.kind == "seq" and depth < MAX_LIST_DEPTH:
        for index, child in enumerate(items.value):
            if child.kind == "map":
                _collect(child, document, index, objects, problems, depth + 1)
            else:
                problems.append(_not_an_object(child, f"item {index + 1} of this {kind}"))
        return
    objects.append(_object(node, kind, document, item))


def _not_an_object(node, what: str) -> KubernetesProblem:
    shape = {"seq": "a list", "scalar": "a single value"}.get(node.kind, node.kind)
    return KubernetesProblem("kubernetes-schema-violation",
                             f"{what} is {shape}, not a Kubernetes object (a mapping with apiVersion and kind)",
                             node.span)


def _object(node, kind: str, document: int, item) -> KObject:
    metadata = node.get("metadata")
    name_node = metadata.get("name") if metadata is not None else None
    name = _text(name_node) or None
    kind_node = node.get("kind")
    if name_node is not None and name:
        anchor = name_node.span
    elif kind_node is not None:
        anchor = kind_node.key_span
    else:
        anchor = _first_key_span(node)
    obj = KObject(_text(node.get("apiVersion")) or "", kind, name,
                  _text(metadata.get("namespace")) if metadata is not None else None, node, anchor, document, item)
    obj.annotations = _string_map(metadata.get("annotations") if metadata is not None else None)
    obj.labels = _string_map(metadata.get("labels") if metadata is not None else None)
    _ignore(obj.ignored, obj.annotations)
    path = _pod_spec_path(node, kind, obj.api_version)
    if path is not None:
        spec = node.at(*path)
        obj.pod_spec = spec
        obj.pod_spec_anchor = spec.key_span or spec.span
        for end in range(2, len(path)):
            if path[end - 1] in ("template", "jobTemplate"):
                template = node.at(*path[:end])
                obj.templates.append(template)
                _ignore(obj.ignored, _string_map(template.at("metadata", "annotations")))
    return obj


def _pod_spec_path(node, kind: str, api_version: str):
    """The path to the pod spec: the fixed one of a built-in workload kind, else the first
    candidate that holds ``containers``; ``None`` when there is none."""
    if kind in POD_SPEC_PATHS and api_version in WORKLOAD_API_VERSIONS[kind]:
        path = POD_SPEC_PATHS[kind]
        spec = node.at(*path)
        return path if spec is not None and spec.kind == "map" else None
    for path in POD_SPEC_CANDIDATES:
        spec = node.at(*path)
        if spec is not None and spec.kind == "map" and "containers" in spec.value:
            return path
    return None


def _ignore(into: set, annotations: dict) -> None:
    value = annotations.get(IGNORE_ANNOTATION)
    if value:
        into.update(part for part in _SELECTOR_SPLIT.split(value) if part)


# --- workloads --------------------------------------------------------------------------------

def to_workloads(stream: KubernetesStream) -> list[Workload]:
    """One :class:`Workload` per object of ``stream`` that runs pods, in stream order."""
    from linter.model.dockerfile import ImageRef
    from linter.parsers.dockerfile import parse_image_reference
    from linter.parsers.quantity import parse_cpu, parse_memory

    def image_ref(text: str):
        registry, repository, tag, digest = parse_image_reference(text)
        unresolved = "{{" in text or "${" in text  # a template or envsubst placeholder
        return ImageRef(text, registry, repository, tag, digest, None, unresolved)

    parsers = {"cpu": parse_cpu, "memory": parse_memory}
    return [_workload(obj, stream.path, image_ref, parsers) for obj in stream.objects if obj.pod_spec is not None]


def _workload(obj: KObject, path: str, image_ref, parsers) -> Workload:
    spec = obj.pod_spec
    name = obj.name or _text(obj.node.at("metadata", "generateName")) or "(unnamed)"
    workload = Workload(name, obj.kind, "kubernetes", path, obj.node, obj.anchor)
    workload.ignored = set(obj.ignored)
    workload.restart_policy = _field(spec.get("restartPolicy"))
    workload.host_network = _field(spec.get("hostNetwork"))
    workload.host_pid = _field(spec.get("hostPID"))
    workload.host_ipc = _field(spec.get("hostIPC"))
    if obj.kind in REPLICATED_KINDS or (obj.kind not in POD_SPEC_PATHS and obj.pod_spec is obj.node.at(
            "spec", "template", "spec")):
        workload.replicas = _field(obj.node.at("spec", "replicas"))

    volumes = _volumes(spec)
    claim_templates = set()
    templates = obj.node.at("spec", "volumeClaimTemplates")
    if templates is not None and templates.kind == "seq":
        for template in templates.value:
            claim = _text(template.at("metadata", "name"))
            if claim:
                claim_templates.add(claim)

    pod_security = spec.get("securityContext")
    for field, init in _CONTAINER_LISTS:
        containers = spec.get(field)
        if containers is None or containers.kind != "seq":
            continue
        for index, node in enumerate(containers.value):
            if node.kind != "map":
                continue
            container = _container(node, f"{field}[{index}]", init, image_ref)
            _resources(container, workload, parsers)
            _mounts(container, volumes, claim_templates)
            _security(container, node.get("securityContext"), pod_security)
            workload.containers.append(container)
    return workload


def _container(node, placeholder: str, init: bool, image_ref) -> Container:
    name_node = node.get("name")
    name = _text(name_node) or placeholder
    anchor = name_node.key_span if name_node is not None else _first_key_span(node)
    container = Container(name, node, anchor, init)

    image = node.get("image")
    text = _text(image)
    if text:
        container.image = Field(image_ref(text), image.span)

    ports = node.get("ports")
    if ports is not None and ports.kind == "seq":
        for port in ports.value:
            number = port.get("containerPort")
            if number is None or number.kind != "scalar" or number.value is None:
                continue
            host_port = port.get("hostPort")
            container.ports.append(Port(_int(number.value), _int(host_port.value) if _scalar(host_port) else None,
                                        _text(port.get("hostIP")), _text(port.get("protocol")) or "TCP", port.span))

    env = node.get("env")
    if env is not None and env.kind == "seq":
        for variable in env.value:
            key = variable.get("name")
            if _text(key) is None:
                continue
            value = variable.get("value")
            literal = None
            if value is not None and value.kind == "scalar" and value.value is not None:
                literal = Field(_text(value), value.span)
            container.environment.append((Field(_text(key), key.span), literal))

    for attribute, key in (("liveness", "livenessProbe"), ("readiness", "readinessProbe")):
        probe = node.get(key)
        if probe is not None and probe.kind == "map":
            setattr(container, attribute, Field(probe, probe.key_span or probe.span))
    return container


def _resources(container: Container, workload: Workload, parsers) -> None:
    resources = container.node.get("resources")
    if resources is None:
        return
    container.resources_anchor = resources.key_span or resources.span
    for which, into in (("requests", container.requests), ("limits", container.limits)):
        amounts = resources.get(which)
        if amounts is None or amounts.kind != "map":
            continue
        for resource, parser in _RESOURCES:
            node = amounts.get(resource)
            if node is None:
                continue
            if node.kind != "scalar" or node.value is None:
                workload.problems.append(("invalid-quantity", f"resources.{which}.{resource} of container "
                                          f"'{container.name}' has no quantity", node.key_span or node.span))
                continue
            try:
                amount = parsers[parser](node.value)
            except ValueError as error:
                workload.problems.append(("invalid-quantity", f"{error} (container '{container.name}', "
                                          f"resources.{which}.{resource})", node.span))
                amount = None  # written, though unreadable: not also a missing limit

            into[resource] = Quantity(amount, _text(node) or "", node.span)


def _volumes(spec) -> dict[str, tuple]:
    """Volume name → (mount kind, source, read-only) for the pod's ``volumes``."""
    volumes: dict[str, tuple] = {}
    listed = spec.get("volumes")
    if listed is None or listed.kind != "seq":
        return volumes
    for volume in listed.value:
        name = _text(volume.get("name"))
        if not name:
            continue
        kind, source, read_only = "emptyDir", None, False  # a volume with no source is an emptyDir
        for key, body in volume.items():
            if key == "name":
                continue
            if key in _VOLUME_SOURCES:
                kind, field = _VOLUME_SOURCES[key]
                source = _text(body.get(field)) if field else None
                if kind == "other" and source is None:
                    source = key
                read_only = body.get("readOnly") is not None and body.get("readOnly").value is True
            elif key in _NETWORK_SOURCES:
                kind, source = "network", key
                read_only = body.get("readOnly") is not None and body.get("readOnly").value is True
            else:
                kind, source = "other", key
            break
        volumes.setdefault(name, (kind, source, read_only))
    return volumes


def _mounts(container: Container, volumes: dict, claim_templates: set) -> None:
    mounts = container.node.get("volumeMounts")
    if mounts is None or mounts.kind != "seq":
        return
    for mount in mounts.value:
        target = _text(mount.get("mountPath"))
        if not target:
            continue
        name = _text(mount.get("name"))
        if name in claim_templates:
            kind, source, read_only = "claim", name, False
        else:
            kind, source, read_only = volumes.get(name, ("other", None, False))
        read_only = read_only or (mount.get("readOnly") is not None and mount.get("readOnly").value is True)
        container.mounts.append(Mount(target, kind, source, read_only, mount.span))


def _security(container: Container, own, pod) -> None:
    for attribute, key in (("user", "runAsUser"), ("run_as_non_root", "runAsNonRoot")):
        value = _field(own.get(key)) if own is not None else None
        if value is None and pod is not None:
            value = _field(pod.get(key))
        setattr(container, attribute, value)
    if own is None:
        return
    container.privileged = _field(own.get("privileged"))
    container.allow_privilege_escalation = _field(own.get("allowPrivilegeEscalation"))
    container.read_only_root = _field(own.get("readOnlyRootFilesystem"))
    capabilities = own.get("capabilities")
    if capabilities is not None:
        for attribute, key in (("capabilities_add", "add"), ("capabilities_drop", "drop")):
            listed = capabilities.get(key)
            if listed is not None and listed.kind == "seq":
                setattr(container, attribute, [Field(item.text(), item.span) for item in listed.value
                                               if item.text() is not None])


# --- small helpers ----------------------------------------------------------------------------

def _text(node):
    return node.text() if node is not None else None


def _scalar(node) -> bool:
    return node is not None and node.kind == "scalar" and node.value is not None


def _field(node):
    """A written scalar as a :class:`Field` (``None`` when absent, null or not a scalar)."""
    return Field(node.value, node.span) if _scalar(node) else None


def _int(value):
    """An integer as written, or one written as text (``"8080"``); anything else unchanged."""
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return value


def _string_map(node) -> dict[str, str]:
    if node is None or node.kind != "map":
        return {}
    return {key: value.text() for key, value in node.value.items() if value.text() is not None}


def _first_key_span(node):
    for child in node.children() if node.kind == "map" else ():
        return child.key_span or node.span
    return node.span
