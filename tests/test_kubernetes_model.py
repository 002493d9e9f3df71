"""linter/parsers/kubernetes.py: Kubernetes objects, their pod specs, and the workload view.

Spans are written as (line, column, end_line, end_column): 1-based, end_column exclusive.
Fixtures live in tests/fixtures/kubernetes/.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.model.kubernetes import KObject, KubernetesStream
from linter.model.workload import Field, Quantity, Workload
from linter.model.yaml import YNode
from linter.parsers.kubernetes import parse_kubernetes, to_workloads
from linter.parsers.sniff import is_helm_template, looks_like_kubernetes
from linter.parsers.yaml import parse_yaml

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "kubernetes"
VALID = sorted(path.name for path in FIXTURES.glob("*.yaml")
               if not path.name.startswith("invalid-") and path.name != "helm-template.yaml")


def load(name: str) -> KubernetesStream:
    path = FIXTURES / name
    stream = parse_yaml(path.read_text(encoding="utf-8"), str(path))
    assert stream.problems == []
    return parse_kubernetes(stream.documents, str(path))


def parse(text: str, path: str = "k8s.yaml") -> KubernetesStream:
    stream = parse_yaml(textwrap.dedent(text).lstrip("\n"), path)
    return parse_kubernetes(stream.documents, path)


def pos(thing):
    span = getattr(thing, "span", thing)
    return (span.line, span.column, span.end_line, span.end_column)


def start(thing):
    span = getattr(thing, "span", thing)
    return (span.line, span.column)


def workload(name: str, kind: str | None = None) -> Workload:
    found = [w for w in to_workloads(load(name)) if kind is None or w.kind == kind]
    assert len(found) == 1, found
    return found[0]


def container(w: Workload, name: str):
    (found,) = [c for c in w.containers if c.name == name]
    return found


# -- the fixtures as a whole -----------------------------------------------------------------------

def test_there_are_enough_fixtures():
    assert len(list(FIXTURES.glob("*.yaml"))) >= 12


@pytest.mark.parametrize("name", VALID)
def test_valid_fixtures_read_without_problems(name):
    stream = load(name)
    assert stream.problems == []
    assert stream.objects
    for w in to_workloads(stream):
        assert w.problems == []
        assert w.source == "kubernetes" and w.path == stream.path
        assert w.containers


@pytest.mark.parametrize("name", sorted(path.name for path in FIXTURES.glob("*.yaml")))
def test_every_fixture_is_sniffed_as_kubernetes(name):
    assert looks_like_kubernetes((FIXTURES / name).read_text(encoding="utf-8"))


# -- where the pod spec is -------------------------------------------------------------------------

@pytest.mark.parametrize("name, kind, anchor", [
    ("pod-debug.yaml", "Pod", (7, 1)),
    ("deployment-web.yaml", "Deployment", (30, 5)),
    ("statefulset-postgres.yaml", "StatefulSet", (33, 5)),
    ("daemonset-node-exporter.yaml", "DaemonSet", (18, 5)),
    ("replicaset-rc.yaml", "ReplicaSet", (14, 5)),
    ("replicaset-rc.yaml", "ReplicationController", (30, 5)),
    ("job-migrate.yaml", "Job", (9, 5)),
    ("cronjob-backup.yaml", "CronJob", (24, 9)),
    ("rollout-argo.yaml", "Rollout", (20, 5)),
])
def test_pod_spec_is_found_for_each_workload_kind(name, kind, anchor):
    (obj,) = [o for o in load(name).objects if o.kind == kind]
    assert obj.runs_pods
    assert obj.pod_spec.is_map and "containers" in obj.pod_spec.value
    assert start(obj.pod_spec_anchor) == anchor  # the `spec:` key holding the pod spec


def test_cronjob_templates_are_the_job_and_the_pod_template():
    (obj,) = load("cronjob-backup.yaml").objects
    assert [start(t.key_span) for t in obj.templates] == [(13, 3), (20, 7)]  # jobTemplate, template


def test_objects_without_pods_pass_through_untouched():
    stream = load("service-configmap.yaml")
    assert [(o.kind, o.name, o.runs_pods) for o in stream.objects] == [
        ("ConfigMap", "web-settings", False), ("Service", "web", False), ("PrometheusRule", "web-alerts", False)]
    rule = stream.objects[2]
    assert rule.api_version == "monitoring.coreos.com/v1" and rule.group == "monitoring.coreos.com"
    assert rule.node.at("spec", "groups", 0, "rules", 0, "alert").value == "WebDown"
    assert to_workloads(stream) == []


def test_custom_resources_are_searched_by_structure():
    stream = parse("""
        apiVersion: example.dev/v1
        kind: Sandbox
        metadata: {name: box}
        spec:
          containers:
            - {name: main, image: busybox:1.36}
        ---
        apiVersion: apps.kruise.io/v1alpha1
        kind: CloneSet
        metadata: {name: clones}
        spec:
          replicas: 4
          template:
            spec:
              containers:
                - {name: app, image: nginx:1.27}
        ---
        apiVersion: example.dev/v1
        kind: Schedule
        metadata: {name: nightly}
        spec:
          jobTemplate:
            spec:
              template:
                spec:
                  containers:
                    - {name: task, image: alpine:3.20}
        ---
        apiVersion: batch.volcano.sh/v1alpha1
        kind: Job
        metadata: {name: volcano}
        spec:
          tasks:
            - template:
                spec:
                  containers:
                    - {name: worker, image: alpine:3.20}
        ---
        apiVersion: example.dev/v1
        kind: NotAWorkload
        metadata: {name: settings}
        spec:
          template:
            spec:
              something: else
    """)
    paths = {o.name: o.pod_spec_anchor and start(o.pod_spec_anchor) for o in stream.objects}
    assert paths == {"box": (4, 1), "clones": (14, 5), "nightly": (25, 9), "volcano": None, "settings": None}
    replicas = {w.name: w.replicas and w.replicas.value for w in to_workloads(stream)}
    assert replicas == {"box": None, "clones": 4, "nightly": None}


def test_a_builtin_kind_under_another_api_group_is_not_assumed_builtin():
    stream = parse("""
        apiVersion: example.dev/v1
        kind: Deployment
        metadata: {name: other}
        spec:
          template:
            spec:
              settings: {}
    """)
    assert stream.objects[0].pod_spec is None


def test_a_workload_kind_without_a_pod_spec_runs_no_pods():
    stream = parse("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: empty}
        spec:
          replicas: 2
    """)
    assert stream.objects[0].pod_spec is None
    assert to_workloads(stream) == []


# -- streams, lists, documents ---------------------------------------------------------------------

def test_list_items_become_objects_nested_lists_too():
    stream = load("list.yaml")
    assert [(o.kind, o.name, o.document, o.item) for o in stream.objects] == [
        ("Deployment", "api", 0, 0), ("Service", "api", 0, 1), ("Service", "api-internal", 0, 0)]
    assert start(stream.objects[0].anchor) == (7, 13)
    (api,) = to_workloads(stream)
    assert api.name == "api" and [c.name for c in api.containers] == ["api"]


def test_multi_document_stream_keeps_document_indexes_and_skips_empty_documents():
    stream = load("pvc-and-deployment.yaml")
    assert [(o.kind, o.document) for o in stream.objects] == [("PersistentVolumeClaim", 0), ("Deployment", 1)]
    assert stream.problems == []


def test_documents_and_list_items_that_are_not_objects_are_problems():
    stream = parse("""
        - a list
        ---
        just text
        ---
        apiVersion: v1
        kind: List
        items:
          - 42
          - apiVersion: v1
            kind: ConfigMap
            metadata: {name: ok}
    """)
    assert [(p.rule, p.message, start(p.span)) for p in stream.problems] == [
        ("kubernetes-schema-violation",
         "document is a list, not a Kubernetes object (a mapping with apiVersion and kind)", (1, 1)),
        ("kubernetes-schema-violation",
         "document is a single value, not a Kubernetes object (a mapping with apiVersion and kind)", (3, 1)),
        ("kubernetes-schema-violation",
         "item 1 of this List is a single value, not a Kubernetes object (a mapping with apiVersion and kind)",
         (8, 5)),
    ]
    assert [o.name for o in stream.objects] == ["ok"]


def test_claims_of_the_stream_are_indexed_by_name():
    stream = load("pvc-and-deployment.yaml")
    assert list(stream.claims) == ["gitea-data"]
    assert stream.claims["gitea-data"].kind == "PersistentVolumeClaim"
    (gitea,) = to_workloads(stream)
    (mount,) = gitea.containers[0].mounts
    assert (mount.target, mount.kind, mount.source, mount.persistent) == ("/data", "claim", "gitea-data", True)


def test_an_object_defined_twice_is_a_problem_at_the_second():
    stream = load("invalid-structure.yaml")
    (duplicate,) = [p for p in stream.problems if p.rule == "duplicate-object"]
    assert duplicate.message == "Pod 'twice' is defined again (first at line 26); applying the file keeps only the " \
                                "last one"
    assert pos(duplicate.span) == (35, 9, 35, 14)


def test_same_name_in_other_namespace_or_kind_is_not_a_duplicate():
    stream = parse("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: app, namespace: a}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: app, namespace: b}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: app, namespace: a}
    """)
    assert stream.problems == []


# -- object identity, anchors, annotations ---------------------------------------------------------

def test_object_fields_and_anchor_at_the_name_value():
    (obj,) = load("deployment-web.yaml").objects
    assert isinstance(obj, KObject)
    assert (obj.api_version, obj.kind, obj.name, obj.namespace, obj.group) == (
        "apps/v1", "Deployment", "web", "shop", "apps")
    assert pos(obj.anchor) == (6, 9, 6, 12)
    assert obj.labels == {"app.kubernetes.io/name": "web", "app.kubernetes.io/version": "1.4.2"}
    assert obj.annotations == {"dlint.io/ignore": "KS301, image-pull-policy"}


def test_anchor_falls_back_to_the_kind_key_then_the_first_key():
    stream = parse("""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          generateName: settings-
        ---
        apiVersion: v1
        data: {}
    """)
    nameless, kindless = stream.objects
    assert pos(nameless.anchor) == (2, 1, 2, 5)
    assert nameless.name is None and kindless.kind == ""
    assert pos(kindless.anchor) == (6, 1, 6, 11)


def test_ignore_annotation_of_object_and_pod_templates():
    (web,) = load("deployment-web.yaml").objects
    assert web.ignored == {"KS301", "image-pull-policy", "WL301"}
    (backup,) = load("cronjob-backup.yaml").objects
    assert backup.ignored == {"liveness-probe-missing", "KS502", "WL101"}
    assert backup.annotations == {"dlint.io/ignore": "liveness-probe-missing"}
    assert workload("cronjob-backup.yaml").ignored == backup.ignored


# -- the workload view -----------------------------------------------------------------------------

def test_deployment_workload_fields():
    w = workload("deployment-web.yaml")
    assert (w.name, w.kind, w.source) == ("web", "Deployment", "kubernetes")
    assert start(w.anchor) == (6, 9)
    assert w.replicas == Field(3, w.replicas.span) and start(w.replicas) == (14, 13)
    assert w.restart_policy is None and w.host_network is None and w.host_pid is None and w.host_ipc is None
    assert [(c.name, c.init) for c in w.containers] == [("web", False), ("log-shipper", False)]


def test_container_image_reference():
    w = workload("deployment-web.yaml")
    web, shipper = w.containers
    image = web.image.value
    assert (image.text, image.registry, image.repository, image.tag, image.digest, image.unresolved) == (
        "registry.example.com/shop/web:1.4.2", "registry.example.com", "shop/web", "1.4.2", None, False)
    assert pos(web.image) == (40, 18, 40, 53)
    assert shipper.image.value.tag is None and shipper.image.value.digest.startswith("sha256:5b2f")


def test_quantities_in_canonical_units():
    web, shipper = workload("deployment-web.yaml").containers
    amounts = {which: {k: q.amount for k, q in getattr(web, which).items()} for which in ("requests", "limits")}
    assert amounts == {"requests": {"cpu": 0.25, "memory": 256 * 2**20},
                       "limits": {"cpu": 1.0, "memory": 10**9, "ephemeral-storage": 2 * 2**30}}
    assert web.limits["cpu"] == Quantity(1.0, "1", web.limits["cpu"].span)
    assert pos(web.limits["memory"]) == (70, 23, 70, 25)
    assert start(web.resources_anchor) == (64, 11)  # the `resources` key
    assert shipper.requests["cpu"].amount == pytest.approx(0.05) and shipper.requests["cpu"].raw == "0.05"
    assert shipper.requests["memory"].amount == 64 * 10**6 and shipper.requests["memory"].raw == "64e6"


def test_resources_anchor_is_the_container_anchor_when_not_written():
    w = workload("job-migrate.yaml")
    (migrate,) = w.containers
    assert migrate.requests == {} and migrate.limits == {}
    assert migrate.resources_anchor == migrate.anchor
    assert pos(migrate.anchor) == (12, 11, 12, 15)  # the container's `name` key


def test_mounts_resolved_through_volumes():
    web, shipper = workload("deployment-web.yaml").containers
    assert [(m.target, m.kind, m.source, m.read_only) for m in web.mounts] == [
        ("/etc/web", "configMap", "web-settings", True),
        ("/etc/tls", "secret", "web-tls", True),
        ("/var/cache/web", "emptyDir", "Memory", False),
        ("/tmp", "emptyDir", None, False),  # a volume with no source is an emptyDir
    ]
    assert start(web.mounts[0]) == (93, 15)
    assert not any(m.persistent for m in web.mounts)
    assert shipper.mounts == []


def test_statefulset_claim_templates_and_init_container_override():
    w = workload("statefulset-postgres.yaml", "StatefulSet")
    postgres, init = w.containers
    assert (postgres.name, postgres.init, init.name, init.init) == ("postgres", False, "fix-permissions", True)
    assert [(m.target, m.kind, m.source) for m in postgres.mounts] == [
        ("/var/lib/postgresql/data", "claim", "data"), ("/var/run/postgresql", "emptyDir", None)]
    assert postgres.mounts[0].persistent and init.mounts[0].kind == "claim"
    assert postgres.user.value == 999 and start(postgres.user) == (72, 24)
    assert postgres.run_as_non_root.value is True
    assert init.user.value == 0 and start(init.user) == (42, 24)
    assert w.replicas.value == 1


def test_pod_security_context_is_inherited():
    web, shipper = workload("deployment-web.yaml").containers
    assert web.user.value == 10001 and shipper.user.value == 10001
    assert start(shipper.user) == (33, 20)  # where it is written: the pod's securityContext
    assert shipper.run_as_non_root.value is True
    assert shipper.privileged is None and shipper.read_only_root is None


def test_container_security_context():
    web, _ = workload("deployment-web.yaml").containers
    assert web.allow_privilege_escalation.value is False
    assert web.read_only_root.value is True
    assert [f.value for f in web.capabilities_drop] == ["ALL"] and web.capabilities_add == []
    exporter = workload("daemonset-node-exporter.yaml").containers[0]
    assert exporter.privileged.value is True and start(exporter.privileged) == (44, 25)
    assert [(f.value, start(f)) for f in exporter.capabilities_add] == [("SYS_TIME", (46, 21))]


def test_daemonset_host_namespaces_host_paths_and_host_ports():
    w = workload("daemonset-node-exporter.yaml")
    assert (w.host_network.value, w.host_pid.value, w.host_ipc) == (True, True, None)
    assert start(w.host_network) == (19, 20)
    assert w.replicas is None
    (exporter,) = w.containers
    assert [(m.target, m.kind, m.source, m.read_only) for m in exporter.mounts] == [
        ("/host/proc", "hostPath", "/proc", True), ("/host/sys", "hostPath", "/sys", True),
        ("/host/root", "hostPath", "/", True)]
    assert all(m.persistent for m in exporter.mounts)
    (port,) = exporter.ports
    assert (port.container_port, port.host_port, port.host_ip, port.protocol) == (9100, 9100, "0.0.0.0", "TCP")
    assert start(port) == (33, 15)


def test_ports_environment_and_probes():
    web, _ = workload("deployment-web.yaml").containers
    ports = [(p.container_port, p.host_port, p.protocol) for p in web.ports]
    assert ports == [(8080, None, "TCP"), (9090, None, "TCP")]
    env = [(name.value, value and value.value) for name, value in web.environment]
    assert env == [("LOG_LEVEL", "info"), ("DATABASE_PASSWORD", None), ("POD_NAME", None)]
    assert pos(web.environment[0][1]) == (51, 22, 51, 26)
    assert isinstance(web.liveness.value, YNode) and web.liveness.value.at("httpGet", "path").value == "/healthz"
    assert start(web.liveness) == (72, 11) and start(web.readiness) == (78, 11)
    assert web.healthcheck is None


def test_cronjob_workload():
    w = workload("cronjob-backup.yaml")
    assert w.restart_policy.value == "OnFailure" and w.replicas is None
    (backup,) = w.containers
    assert [(m.kind, m.source, m.persistent) for m in backup.mounts] == [("network", "nfs", True)]


def test_pod_with_init_sidecar_and_ephemeral_containers():
    w = workload("pod-debug.yaml")
    assert [(c.name, c.init) for c in w.containers] == [
        ("shell", False), ("wait-for-db", True), ("proxy", True), ("debugger", True)]
    shell = w.containers[0]
    assert pos(shell.anchor) == (19, 7, 19, 11)  # `name` even though `image` comes first
    assert shell.image.value.tag == "latest" and w.containers[1].image.value.tag is None
    assert w.host_ipc.value is True and w.restart_policy.value == "Always"
    assert [f.value for f in shell.capabilities_add] == ["NET_ADMIN", "NET_RAW"]
    assert shell.user.value == 0


def test_argo_rollout_workload():
    w = workload("rollout-argo.yaml")
    assert (w.kind, w.replicas.value) == ("Rollout", 5)
    (mount,) = w.containers[0].mounts
    assert (mount.kind, mount.source, mount.read_only) == ("claim", "checkout-data", True)


def test_helm_rendered_statefulset():
    stream = load("helm-rendered.yaml")
    assert [o.kind for o in stream.objects] == ["ServiceAccount", "StatefulSet"]
    w = workload("helm-rendered.yaml")
    (redis,) = w.containers
    assert redis.limits["ephemeral-storage"].amount == 2 * 2**30
    assert {m.target: m.kind for m in redis.mounts}["/data"] == "claim"
    assert redis.read_only_root.value is True


def test_replicaset_replication_controller_network_disk_and_undefined_volume():
    workloads = to_workloads(load("replicaset-rc.yaml"))
    assert [(w.kind, w.replicas and w.replicas.value) for w in workloads] == [
        ("ReplicaSet", 2), ("ReplicationController", None)]
    legacy = workloads[1].containers[0]
    assert [(m.kind, m.source) for m in legacy.mounts] == [("network", "awsElasticBlockStore"), ("other", None)]


def test_invalid_quantities_are_problems_not_exceptions():
    w = workload("invalid-quantities.yaml")
    assert [(rule, start(span)) for rule, _, span in w.problems] == [
        ("invalid-quantity", (17, 20)), ("invalid-quantity", (18, 23)),
        ("invalid-quantity", (20, 20)), ("invalid-quantity", (21, 15))]
    messages = [message for _, message, _ in w.problems]
    assert messages[1] == ("invalid memory quantity '512MB': use bytes or a suffix such as Mi, Gi, M or G "
                           "(Kubernetes writes 512Mi) (container 'worker', resources.requests.memory)")
    assert messages[3] == "resources.limits.memory of container 'worker' has no quantity"
    worker, sidecar = w.containers
    # An unreadable amount is kept without a value, so it is not also reported as missing.
    assert {name: q.amount for name, q in worker.requests.items()} == {"cpu": None, "memory": None}
    assert sidecar.limits["memory"].amount == 1536 * 2**20


def test_image_with_placeholders_is_unresolved():
    stream = parse("""
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers:
            - {name: a, image: "${REGISTRY}/app:1.0"}
            - {name: b, image: "{{ .Values.image }}"}
            - {name: c, image: nginx:1.27}
            - {name: d}
    """)
    a, b, c, d = to_workloads(stream)[0].containers
    assert (a.image.value.unresolved, b.image.value.unresolved, c.image.value.unresolved) == (True, True, False)
    assert d.image is None


def test_odd_shapes_are_skipped_not_raised():
    stream = parse("""
        apiVersion: v1
        kind: Pod
        metadata:
          name: [not, text]
          annotations: [x]
        spec:
          hostNetwork: {}
          securityContext: [1]
          volumes: {a: b}
          containers:
            - just a string
            - name: {}
              image: [1, 2]
              resources: [1]
              ports: [80, {containerPort: {}}, {containerPort: "http", hostPort: x}]
              env: {A: b}
              volumeMounts: [x, {name: v}, {mountPath: /m}]
              securityContext: {capabilities: {add: NET_ADMIN, drop: [{}]}}
              livenessProbe: yes
            - resources: {limits: [1], requests: {cpu: {a: 1}, memory: [1]}}
          initContainers: 7
    """)
    (w,) = to_workloads(stream)
    first, second = w.containers
    assert first.name == "containers[1]" and first.image is None
    assert [(p.container_port, p.host_port) for p in first.ports] == [("http", "x")]
    assert [(m.target, m.kind) for m in first.mounts] == [("/m", "other")]
    assert first.liveness is None and first.capabilities_add == [] and w.host_network is None
    assert second.name == "containers[2]" and start(second.anchor) == (20, 7)
    assert [rule for rule, _, _ in w.problems] == ["invalid-quantity", "invalid-quantity"]


def test_workload_name_falls_back_to_generate_name():
    stream = parse("""
        apiVersion: batch/v1
        kind: Job
        metadata: {generateName: migrate-}
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{name: m, image: app:1}]
    """)
    assert to_workloads(stream)[0].name == "migrate-"


# -- sniffing --------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("apiVersion: v1\nkind: Pod\n", True),
    ("kind: Pod\napiVersion: v1\n", True),
    ("# comment\n---\napiVersion: apps/v1\nmetadata: {}\nkind: Deployment\n", True),
    ('"apiVersion": v1\n"kind": Pod\n', True),
    ('{\n  "apiVersion": "v1",\n  "kind": "Pod"\n}\n', True),
    ("apiVersion: v1\n---\nkind: Pod\n", False),  # in different documents
    ("spec:\n  apiVersion: v1\n  kind: Pod\n", False),  # not top-level
    ("# apiVersion: v1\n# kind: Pod\n", False),
    ("apiVersion:\nkind:\n", False),
    ("services:\n  web:\n    image: nginx\n", False),
    ("FROM python:3.12\nRUN pip install flask\n", False),
    ("apiVersion: v2\nname: chart\nversion: 1.0.0\n", False),  # Chart.yaml
    ("", False),
])
def test_looks_like_kubernetes(text, expected):
    assert looks_like_kubernetes(text) is expected


@pytest.mark.parametrize("text, expected", [
    ("image: {{ .Values.image }}\n", True),
    ('image: "{{ .Values.image.repository }}:{{ .Chart.AppVersion }}"\n', True),
    ("{{- if .Values.enabled }}\nkind: Pod\n{{- end }}\n", True),
    ("metadata:\n  labels:\n    {{- include \"app.labels\" . | nindent 4 }}\n", True),
    ("replicas: {{ $replicas }}\n", True),
    ("  - {{ $item }}\n", True),
    ('summary: "{{ $labels.instance }} is down"\n', False),  # Prometheus template in a rendered rule
    ("data:\n  slack.tmpl: |\n    {{ define \"x\" }}\n    {{ range .Alerts }}{{ .Labels.alertname }}{{ end }}\n"
     "    {{ end }}\n", False),
    ("data:\n  t: |-\n    title: {{ .CommonLabels.alertname }}\n", False),
    ("data:\n  t: >\n    {{ define \"x\" }}\n      {{ range .Alerts }}\n      - {{ .Status }}\n", False),
    ("data:\n  a: |\n    text\n  b:\n    {{ .x }}\n", True),  # the block scalar ended before it
    ("spec:\n  template:\n    {{- if .Capabilities }}\n", True),
    ("kind: Pod\n", False),
])
def test_is_helm_template(text, expected):
    assert is_helm_template(text) is expected


def test_fixture_templates_and_rendered_output():
    assert is_helm_template((FIXTURES / "helm-template.yaml").read_text(encoding="utf-8"))
    for name in VALID:
        assert not is_helm_template((FIXTURES / name).read_text(encoding="utf-8")), name


# -- start-up cost and module shape ----------------------------------------------------------------

def test_sniffing_imports_no_yaml_reader_or_model():
    code = ("import sys; import linter.parsers.sniff as s; s.looks_like_kubernetes('kind: Pod');"
            "print('yaml' in sys.modules, 'typing' in sys.modules, 'dataclasses' in sys.modules,"
            " 'linter.parsers.kubernetes' in sys.modules, 'linter.model.workload' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.split() == ["False"] * 5


# -- property test: no structure makes the reader raise --------------------------------------------

KEYS = ["apiVersion", "kind", "metadata", "name", "namespace", "annotations", "dlint.io/ignore", "spec",
        "template", "jobTemplate", "containers", "initContainers", "ephemeralContainers", "image", "resources",
        "limits", "requests", "cpu", "memory", "ephemeral-storage", "volumes", "volumeMounts", "mountPath",
        "persistentVolumeClaim", "claimName", "hostPath", "path", "emptyDir", "medium", "nfs", "ports",
        "containerPort", "hostPort", "env", "value", "valueFrom", "securityContext", "runAsUser", "capabilities",
        "add", "drop", "livenessProbe", "replicas", "items", "volumeClaimTemplates", "hostNetwork", "readOnly"]
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 70000), st.floats(allow_nan=True),
                    st.sampled_from(["v1", "apps/v1", "Pod", "Deployment", "List", "CronJob", "500m", "1Gi", "x",
                                     "1e999", "-1", "{{ .Values.x }}", "", "KS301,  a"]),
                    st.text(max_size=6))
TREES = st.recursive(SCALARS, lambda children: st.one_of(
    st.lists(children, max_size=4), st.dictionaries(st.sampled_from(KEYS), children, max_size=6)), max_leaves=40)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TREES, min_size=1, max_size=3))
def test_no_structure_makes_the_reader_raise(documents):
    text = yaml.safe_dump_all(documents)
    stream = parse_yaml(text, "fuzz.yaml")
    parsed = parse_kubernetes(stream.documents, "fuzz.yaml")
    lines = len(stream.lines)
    for w in to_workloads(parsed):
        for rule, message, span in w.problems:
            assert rule == "invalid-quantity" and message and 1 <= span.line <= lines
        for c in w.containers:
            assert 1 <= c.anchor.line <= lines
            for value in (*c.requests.values(), *c.limits.values()):
                assert value.amount >= 0
    for obj in parsed.objects:
        assert 1 <= obj.anchor.line <= lines


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_sniffers_accept_any_text(text):
    assert looks_like_kubernetes(text) in (True, False)
    assert is_helm_template(text) in (True, False)
