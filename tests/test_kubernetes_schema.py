"""schemas/kubernetes.schema.json: dlint's own schema of the core Kubernetes fields, run through
linter/parsers/validation.py's ``validate_document`` (errors at their key or value, in words).

Where kubernetes-validate is installed (a test-only oracle holding the OpenAPI-derived schemas of
each Kubernetes release), the schema is also checked against it: the fields our closed
structures allow are the fields Kubernetes defines, and what we call invalid it rejects too.
"""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import jsonschema
import pytest

from linter.parsers.kubernetes import parse_kubernetes
from linter.parsers.validation import validate_document
from linter.parsers.yaml import parse_yaml

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "kubernetes"
SCHEMA = json.loads((ROOT / "schemas" / "kubernetes.schema.json").read_text(encoding="utf-8"))
VALID = sorted(path.name for path in FIXTURES.glob("*.yaml")
               if not path.name.startswith("invalid-") and path.name != "helm-template.yaml")


def objects(text: str, path: str = "k8s.yaml"):
    stream = parse_yaml(text, path)
    assert stream.problems == []
    return parse_kubernetes(stream.documents, path).objects


def errors(text: str) -> list[tuple[str, str]]:
    """(line:col, message) of every schema error of every object in ``text``."""
    found = []
    for obj in objects(textwrap.dedent(text).lstrip("\n")):
        found += [(f"{span.line}:{span.column}", message)
                  for message, span in validate_document(obj.node, SCHEMA, yaml11=True)]
    return found


def fixture_errors(name: str) -> list[tuple[str, str]]:
    return errors((FIXTURES / name).read_text(encoding="utf-8"))


def raw_errors(data) -> list[str]:
    """jsonschema directly on plain data (YAML 1.1 values, as Kubernetes reads them)."""
    validator = jsonschema.Draft202012Validator(SCHEMA)
    return sorted(f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(data))


def test_schema_is_valid_draft_2020_12():
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("name", VALID)
def test_valid_fixtures_have_no_schema_errors(name):
    assert fixture_errors(name) == []


@pytest.mark.parametrize("name", VALID)
def test_valid_fixtures_match_the_schema_as_kubernetes_reads_yaml(name):
    for obj in objects((FIXTURES / name).read_text(encoding="utf-8")):
        assert raw_errors(obj.node.to_data()) == [], obj


def test_misspelled_and_mistyped_fields():
    assert fixture_errors("invalid-typos.yaml") == [
        ("7:3", "unknown key 'lables' in 'metadata' (did you mean 'labels'?)"),
        ("10:27", 'annotation value true must be text: quote it ("true")'),
        ("12:13", "'replicas' must be an integer or empty (null), not a string"),
        ("20:18", "label value 1.0 is not valid: a label value is text of at most 63 letters, digits, '-', '_' or "
                  "'.', starting and ending with a letter or digit (quote numbers and booleans)"),
        ("22:20", "'hostNetwork' must be true or false or empty (null), not a string"),
        ("23:22", "'Sometimes' is not a valid 'restartPolicy': expected Always, OnFailure, Never"),
        ("27:11", "unknown key 'imagePullPolicyy' in 'spec.template.spec.containers[0]' "
                  "(did you mean 'imagePullPolicy'?)"),
        ("28:20", "'command' must be a list or empty (null), not a string"),
        ("30:30", "'containerPort' must be an integer, not a string"),
        ("31:21", "'http-metrics-endpoint' is not a valid port name: at most 15 lowercase letters, digits and '-' "
                  "(a Service refers to it by this name)"),
        ("34:22", 'environment variable values are text: quote 8080 ("8080")'),
        ("35:11", "unknown key 'resource' in 'spec.template.spec.containers[0]' (did you mean 'resources'?)"),
        ("39:27", "'runAsNonRoot' must be true or false or empty (null), not a string"),
        ("40:13", "unknown key 'privilege' in 'spec.template.spec.containers[0].securityContext' "
                  "(did you mean 'privileged'?)"),
    ]


def test_invalid_quantities_and_resource_names():
    quantity = ("is not a Kubernetes quantity: CPU in cores or millicores (0.5, 2, 500m), memory in bytes or with a "
                "suffix (512Mi, 1Gi, 1G, 1e9)")
    assert fixture_errors("invalid-quantities.yaml") == [
        ("17:20", f"'1.5 cores' {quantity}"),
        ("18:23", f"'512MB' {quantity}"),
        ("20:20", f"'-1' {quantity}"),
        ("21:22", f"'null' {quantity}"),
        ("29:15", "'mem' is not a resource name: cpu, memory, ephemeral-storage, hugepages-<size>, or a "
                  "domain-prefixed name such as nvidia.com/gpu"),
    ]


def test_invalid_structure():
    assert fixture_errors("invalid-structure.yaml") == [
        ("4:7", "'pod' is not a kind: kinds are written in CamelCase (Deployment, not deployment)"),
        ("8:1", "'the document' is missing the required key 'apiVersion'"),
        ("18:5", "'spec' is missing the required key 'restartPolicy'"),
        ("20:9", "'containers' must be a list, not a mapping"),
    ]


def test_the_catalogue_example_of_kubernetes_schema_violation():
    found = errors("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
                - name: web
                  image: nginx:1.27
                  imagePullPolicyy: Always
                  resource:
                    limits: {memory: 256Mi}
    """)
    assert [where for where, _ in found] == ["15:11", "16:11"]


# -- what is accepted ------------------------------------------------------------------------------

def test_null_optional_fields_are_accepted_as_the_api_server_does():
    assert errors("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels:
          annotations:
        spec:
          replicas:
          selector:
            matchLabels: {app: web}
          strategy:
          template:
            metadata:
              creationTimestamp: null
            spec:
              nodeSelector:
              tolerations:
              affinity:
              securityContext: {}
              containers:
                - name: web
                  image: nginx:1.27
                  imagePullPolicy:
                  resources: {}
                  env:
                    - name: EMPTY
                      value:
    """) == []


def test_quantities_in_every_notation_and_extended_resources():
    assert errors("""
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          overhead: {cpu: 250m}
          containers:
            - name: a
              image: a:1
              resources:
                requests: {cpu: 0.5, memory: 1e9, ephemeral-storage: 1G, hugepages-2Mi: 128Mi}
                limits: {cpu: 2, memory: 512Mi, nvidia.com/gpu: 1, example.com/foo: "+1"}
    """) == []


def test_custom_resources_are_open_but_their_metadata_is_not():
    assert errors("""
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata:
          name: r
          lables: {a: b}
        spec:
          anything: [1, 2]
          template:
            spec:
              containers:
                - name: x
                  imagePullPolicyy: Always
    """) == [("5:3", "unknown key 'lables' in 'metadata' (did you mean 'labels'?)")]


def test_a_builtin_kind_name_under_another_group_is_not_checked_as_builtin():
    assert errors("""
        apiVersion: batch.volcano.sh/v1alpha1
        kind: Job
        metadata: {name: v}
        spec:
          tasks:
            - replicas: 2
    """) == []


def test_list_items_are_validated_when_a_whole_list_document_is():
    stream = parse_yaml(textwrap.dedent("""
        apiVersion: v1
        kind: List
        items:
          - apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              containers:
                - {name: a, image: a:1, imagePullPolicy: Sometimes}
    """).lstrip("\n"), "list.yaml")
    found = validate_document(stream.documents[0].root, SCHEMA, yaml11=True)
    assert [(f"{span.line}:{span.column}", message) for message, span in found] == [
        ("9:50", "'Sometimes' is not a valid 'imagePullPolicy': expected Always, IfNotPresent, Never")]


# -- the rules the API server enforces ------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    # a Job's pods must not restart forever
    ("""
     apiVersion: batch/v1
     kind: Job
     metadata: {name: j}
     spec:
       template:
         spec:
           restartPolicy: Always
           containers: [{name: a, image: a:1}]
     """, [("7:22", "'Always' is not a valid 'restartPolicy': expected OnFailure, Never")]),
    # apps/v1 needs a selector; the old extensions group defaulted it
    ("""
     apiVersion: apps/v1
     kind: DaemonSet
     metadata: {name: d}
     spec:
       template:
         spec:
           containers: [{name: a, image: a:1}]
     """, [("4:1", "'spec' is missing the required key 'selector'")]),
    ("""
     apiVersion: extensions/v1beta1
     kind: Deployment
     metadata: {name: d}
     spec:
       template:
         spec:
           containers: [{name: a, image: a:1}]
     """, []),
    # names
    ("""
     apiVersion: v1
     kind: Pod
     metadata: {name: My_Pod}
     spec:
       containers: [{name: Web, image: a:1}]
     """, [("3:18", "'My_Pod' is not a valid name: lowercase letters, digits, '-' and '.', starting and ending "
                    "with a letter or digit"),
           ("5:23", "'Web' is not a valid container name: at most 63 lowercase letters, digits and '-', starting "
                    "and ending with a letter or digit")]),
    ("""
     apiVersion: v1
     kind: Pod
     metadata: {labels: {app: x}}
     spec:
       containers: [{name: a, image: a:1}]
     """, [("3:1", "'metadata' is missing the required key 'name'")]),
    ("""
     apiVersion: batch/v1
     kind: Job
     metadata: {generateName: migrate-}
     spec:
       template:
         spec:
           restartPolicy: Never
           containers: [{name: a, image: a:1}]
     """, []),
    # cron jobs
    ("""
     apiVersion: batch/v1
     kind: CronJob
     metadata: {name: c}
     spec:
       schedule: "every day"
       jobTemplate:
         spec:
           template:
             spec:
               restartPolicy: OnFailure
               containers: [{name: a, image: a:1}]
     """, [("5:13", "'every day' is not a cron schedule: five fields (minute hour day month weekday, such as "
                    "\"30 2 * * *\") or @hourly, @daily, @weekly, @monthly, @yearly")]),
    # volumes
    ("""
     apiVersion: v1
     kind: Pod
     metadata: {name: p}
     spec:
       containers: [{name: a, image: a:1}]
       volumes:
         - name: data
           persistantVolumeClaim: {claimName: data}
         - name: claim
           persistentVolumeClaim: {}
         - name: host
           hostPath: {path: /var/run/docker.sock, type: Sock}
     """, [("8:7", "unknown key 'persistantVolumeClaim' in 'spec.volumes[0]' (did you mean 'persistentVolumeClaim'?)"),
           ("10:7", "'persistentVolumeClaim' is missing the required key 'claimName'"),
           ("12:52", "'Sock' is not a valid 'type': expected DirectoryOrCreate, Directory, FileOrCreate, File, "
                     "Socket, CharDevice, BlockDevice (did you mean 'Socket'?)")]),
    # privileged belongs to a container's securityContext, not the pod's
    ("""
     apiVersion: v1
     kind: Pod
     metadata: {name: p}
     spec:
       securityContext: {privileged: true, runAsUser: 1000}
       containers: [{name: a, image: a:1}]
     """, [("5:21", "unknown key 'privileged' in 'spec.securityContext'")]),
    # ephemeral containers may name a target; other containers may not
    ("""
     apiVersion: v1
     kind: Pod
     metadata: {name: p}
     spec:
       containers: [{name: a, image: a:1, targetContainerName: b}]
       ephemeralContainers: [{name: b, image: b:1, targetContainerName: a}]
     """, [("5:38", "unknown key 'targetContainerName' in 'spec.containers[0]'")]),
    # probes and environment
    ("""
     apiVersion: v1
     kind: Pod
     metadata: {name: p}
     spec:
       containers:
         - name: a
           image: a:1
           livenessProbe:
             httpGet: {path: /healthz}
           readinessProbe:
             exec: {command: pg_isready}
           env:
             - name: TOKEN
               valueFrom:
                 secretKeyRef: {name: token}
     """, [("9:9", "'httpGet' is missing the required key 'port'"),
           ("11:25", "'command' must be a list or empty (null), not a string"),
           ("15:13", "'secretKeyRef' is missing the required key 'key'")]),
    # scheduling
    ("""
     apiVersion: v1
     kind: Pod
     metadata: {name: p, namespace: Team_A}
     spec:
       containers: [{name: a, image: a:1}]
       tolerations: [{key: gpu, operator: Equals}]
       nodeSelector: {gpu: true}
     """, [("3:32", "'Team_A' is not a valid namespace: at most 63 lowercase letters, digits and '-', starting and "
                    "ending with a letter or digit"),
           ("6:38", "'Equals' is not a valid 'operator': expected Exists, Equal, Lt, Gt (did you mean 'Equal'?)"),
           ("7:23", "'gpu' must be a string or empty (null), not a boolean")]),
    # claims
    ("""
     apiVersion: v1
     kind: PersistentVolumeClaim
     metadata: {name: data}
     spec:
       accessModes: [ReadWriteEveryWhere]
       resources: {requests: {storage: 10 GB}}
     """, [("5:17", "'ReadWriteEveryWhere' is not a valid 'accessModes[0]': expected ReadWriteOnce, ReadOnlyMany, "
                    "ReadWriteMany, ReadWriteOncePod (did you mean 'ReadWriteOnce'?)"),
           ("6:35", "'10 GB' is not a Kubernetes quantity: CPU in cores or millicores (0.5, 2, 500m), memory in "
                    "bytes or with a suffix (512Mi, 1Gi, 1G, 1e9)")]),
    # a StatefulSet's claim templates need a name to be mounted by
    ("""
     apiVersion: apps/v1
     kind: StatefulSet
     metadata: {name: s}
     spec:
       selector: {matchLabels: {app: s}}
       template:
         spec:
           containers: [{name: a, image: a:1}]
       volumeClaimTemplates:
         - spec: {accessModes: [ReadWriteOnce]}
     """, [("10:7", "'volumeClaimTemplates[0]' is missing the required key 'metadata'")]),
])
def test_api_server_rules(text, expected):
    assert errors(text) == expected


def test_octal_file_modes_are_integers():
    assert errors("""
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers: [{name: a, image: a:1}]
          volumes: [{name: s, configMap: {name: s, defaultMode: 0644}}]
    """) == []


def test_yaml_1_1_booleans_are_booleans_to_kubernetes():
    assert errors("""
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          hostNetwork: no
          containers: [{name: a, image: a:1, securityContext: {runAsNonRoot: yes}}]
    """) == []


# -- the oracle: Kubernetes' own (OpenAPI-derived) schemas ----------------------------------------

OURS_TO_KUBERNETES = {
    ("objectMeta",): "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
    ("labelSelector",): "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector",
    ("podTemplate",): "io.k8s.api.core.v1.PodTemplateSpec",
    ("podSpec",): "io.k8s.api.core.v1.PodSpec",
    ("container",): "io.k8s.api.core.v1.Container",
    ("ephemeralContainer",): "io.k8s.api.core.v1.EphemeralContainer",
    ("container", "ports", "items"): "io.k8s.api.core.v1.ContainerPort",
    ("container", "env", "items"): "io.k8s.api.core.v1.EnvVar",
    ("container", "env", "items", "valueFrom"): "io.k8s.api.core.v1.EnvVarSource",
    ("container", "envFrom", "items"): "io.k8s.api.core.v1.EnvFromSource",
    ("container", "volumeMounts", "items"): "io.k8s.api.core.v1.VolumeMount",
    ("resources",): "io.k8s.api.core.v1.ResourceRequirements",
    ("probe",): "io.k8s.api.core.v1.Probe",
    ("probe", "httpGet"): "io.k8s.api.core.v1.HTTPGetAction",
    ("securityContext",): "io.k8s.api.core.v1.SecurityContext",
    ("podSecurityContext",): "io.k8s.api.core.v1.PodSecurityContext",
    ("volume",): "io.k8s.api.core.v1.Volume",
    ("volume", "emptyDir"): "io.k8s.api.core.v1.EmptyDirVolumeSource",
    ("volume", "configMap"): "io.k8s.api.core.v1.ConfigMapVolumeSource",
    ("volume", "secret"): "io.k8s.api.core.v1.SecretVolumeSource",
    ("podSpec", "tolerations", "items"): "io.k8s.api.core.v1.Toleration",
    ("deploymentSpec",): "io.k8s.api.apps.v1.DeploymentSpec",
    ("statefulSetSpec",): "io.k8s.api.apps.v1.StatefulSetSpec",
    ("daemonSetSpec",): "io.k8s.api.apps.v1.DaemonSetSpec",
    ("replicaSetSpec",): "io.k8s.api.apps.v1.ReplicaSetSpec",
    ("replicationControllerSpec",): "io.k8s.api.core.v1.ReplicationControllerSpec",
    ("jobSpec",): "io.k8s.api.batch.v1.JobSpec",
    ("cronJobSpec",): "io.k8s.api.batch.v1.CronJobSpec",
    ("persistentVolumeClaimSpec",): "io.k8s.api.core.v1.PersistentVolumeClaimSpec",
}
# Fields of older API versions that dlint still accepts.
LEGACY = {"clusterName", "rollbackTo", "templateGeneration"}


@pytest.fixture(scope="module")
def kubernetes_validate():
    return pytest.importorskip("kubernetes_validate")


@pytest.fixture(scope="module")
def kubernetes_definitions(kubernetes_validate):
    folder = Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema"
    path = folder / f"v{kubernetes_validate.latest_version()}-local-strict" / "_definitions.json"
    return json.loads(path.read_text(encoding="utf-8"))["$defs"]


def _ours(path):
    node = SCHEMA["$defs"][path[0]]
    for key in path[1:]:
        node = node["items"] if key == "items" else node["properties"][key]
    return node


@pytest.mark.parametrize("path", sorted(OURS_TO_KUBERNETES), ids=".".join)
def test_closed_structures_allow_exactly_the_kubernetes_fields(path, kubernetes_definitions):
    ours = _ours(path)
    assert ours["additionalProperties"] is False
    theirs = set(kubernetes_definitions[OURS_TO_KUBERNETES[path]]["properties"])
    mine = set(ours["properties"])
    assert theirs - mine == set(), "Kubernetes fields our schema would reject"
    assert mine - theirs - LEGACY == set(), "fields our schema invents"


@pytest.mark.parametrize("name", VALID)
def test_kubernetes_accepts_the_valid_fixtures(name, kubernetes_validate):
    for obj in objects((FIXTURES / name).read_text(encoding="utf-8")):
        try:
            kubernetes_validate.validate(obj.node.to_data(), kubernetes_validate.latest_version(), strict=True)
        except kubernetes_validate.SchemaNotFoundError:
            assert obj.kind in ("Rollout", "PrometheusRule")  # custom resources


@pytest.mark.parametrize("name", ["invalid-typos.yaml", "invalid-quantities.yaml"])
def test_kubernetes_rejects_what_we_reject(name, kubernetes_validate):
    (obj,) = objects((FIXTURES / name).read_text(encoding="utf-8"))
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(obj.node.to_data(), kubernetes_validate.latest_version(), strict=True)
