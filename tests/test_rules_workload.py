"""Edge cases of the workload rules for images, volumes, resources, probes and replicas,
beyond the rule examples."""
from __future__ import annotations

import pytest

from tests.conftest import lint_with


def compose(service: str) -> str:
    """A one-service Compose file; ``service`` is the service body, indented by 4."""
    return "services:\n  svc:\n" + "".join(f"    {line}\n" for line in service.strip("\n").splitlines())


def positions(findings) -> list[str]:
    return [f"{finding.span.line}:{finding.span.column}" for finding in findings]


def pod(container: str, extra: str = "") -> str:
    """A Pod with one container; ``container`` is the container body after ``- name: c``."""
    body = "".join(f"      {line}\n" for line in container.strip("\n").splitlines())
    return f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n{body}{extra}"


# -- stateful-image-without-volume -----------------------------------------------------------

@pytest.mark.parametrize("image", [
    "postgres:17", "library/postgres:17", "docker.io/postgres:17", "index.docker.io/library/postgres:17",
    "mirror.gcr.io/library/postgres:17", "public.ecr.aws/docker/library/postgres:17",
    "registry.example.com/postgres:17", "harbor.example.com/hub/library/postgres:17",
    "postgis/postgis:17-3.5", "pgvector/pgvector:pg17", "pgvector/pgvector:0.8.0-pg17",
])
def test_stateful_images_match_with_and_without_registry_and_namespace(catalog, image):
    text = compose(f"image: {image}\nvolumes: ['pg:/var/lib/postgresql']")
    findings = lint_with(catalog, text, "stateful-image-without-volume", path="compose.yaml")
    # postgres 17 hides a volume at the parent under its VOLUME: reported at the mount
    assert positions(findings) == ["4:19"], [f.message for f in findings]


@pytest.mark.parametrize("image", [
    "ghcr.io/acme/postgres:17", "acme/postgres:17", "memcached:1.6", "bitnami/memcached:1.6", "postgresql:17",
])
def test_other_images_are_not_stateful(catalog, image):
    assert lint_with(catalog, compose(f"image: {image}"), "stateful-image-without-volume", path="compose.yaml") == []


@pytest.mark.parametrize("image, mount, expected", [
    ("postgres", "/var/lib/postgresql/data", ["4:21"]),          # no tag means latest, which is 18
    ("postgres:alpine", "/var/lib/postgresql", []),
    ("pgvector/pgvector:0.8.0-pg18", "/var/lib/postgresql", []),
    ("postgres@sha256:" + "a" * 64, "/var/lib/postgresql/data", []),  # any version: 17's layout is fine
    ("postgres@sha256:" + "a" * 64, "/srv", ["3:12"]),
    ("influxdb:2.7", "/var/lib/influxdb2", []),
    ("influxdb:1.11", "/var/lib/influxdb2", ["4:21"]),            # 2's directory: not 1's
    ("influxdb:core", "/var/lib/influxdb3", []),                  # a parent of the data directory
    ("mysql:8.4", "/var/lib/mysql/data", ["4:21"]),               # inside the data directory
    ("mysql:8.4", "/var/lib", ["4:21"]),                          # hidden by VOLUME /var/lib/mysql
    ("bitnami/mysql:8.0", "/bitnami", []),                        # no VOLUME: a parent counts
    ("zookeeper:3.9", "/data", ["3:12"]),                         # /datalog is missing
])
def test_stateful_versions_and_paths(catalog, image, mount, expected):
    text = compose(f"image: {image}\nvolumes: ['data:{mount}']")
    findings = lint_with(catalog, text, "stateful-image-without-volume", path="compose.yaml")
    assert positions(findings) == expected, [f.message for f in findings]


def test_stateful_multiple_missing_directories_are_one_finding(catalog):
    findings = lint_with(catalog, compose("image: zookeeper:3.9"), "stateful-image-without-volume",
                         path="compose.yaml")
    assert len(findings) == 1
    assert "`/data` and `/datalog`" in findings[0].message


def test_stateful_data_directory_variable(catalog):
    moved = compose("image: postgres:16\nenvironment: {PGDATA: /pgdata}\nvolumes: ['data:/pgdata']")
    assert lint_with(catalog, moved, "stateful-image-without-volume", path="compose.yaml") == []
    unknown = compose("image: postgres:16\nenvironment: {PGDATA: '${DATA}'}")
    assert lint_with(catalog, unknown, "stateful-image-without-volume", path="compose.yaml") == []
    # PGDATA set: the postgres 18 entrypoint accepts a mount at the old path
    old = compose("image: postgres:18\nenvironment: [PGDATA=/var/lib/postgresql/data]\n"
                  "volumes: ['data:/var/lib/postgresql/data']")
    assert lint_with(catalog, old, "stateful-image-without-volume", path="compose.yaml") == []


def test_stateful_postgres_18_refuses_any_mount_at_the_old_path(catalog):
    text = compose("image: postgres:18\nvolumes: ['data:/var/lib/postgresql']\ntmpfs: [/var/lib/postgresql/data]")
    findings = lint_with(catalog, text, "stateful-image-without-volume", path="compose.yaml")
    assert positions(findings) == ["5:13"] and "refuses to start" in findings[0].message


@pytest.mark.parametrize("service", [
    "image: postgres:16\nentrypoint: [pg_dump, -h, db]",
    "image: redis:7\ncommand: redis-cli -h cache ping",
    "image: postgres:16\ncommand: [sh, -c, 'psql -h db < /seed.sql']",
    "image: postgres:16\nvolumes_from: [data-container]",
    "image: ${DB_IMAGE}",
    "image: postgres:16\nvolumes: ['data:${DATA_DIR}']",
])
def test_stateful_skips_what_cannot_be_known_or_keeps_no_data(catalog, service):
    assert lint_with(catalog, compose(service), "stateful-image-without-volume", path="compose.yaml") == []


def test_stateful_kubernetes_claims_and_network_volumes(catalog):
    mounts = "volumeMounts:\n  - {name: data, mountPath: /var/lib/mysql}\n"
    for volume, expected in (("persistentVolumeClaim: {claimName: mysql}", []),
                             ("nfs: {server: nfs.example.com, path: /mysql}", []),
                             ("hostPath: {path: /srv/mysql}", ["8:14"]),
                             ("ephemeral: {volumeClaimTemplate: {spec: {}}}", ["8:14"])):
        text = pod("image: mysql:8.4\n" + mounts, f"  volumes:\n    - name: data\n      {volume}\n")
        findings = lint_with(catalog, text, "stateful-image-without-volume", path="deploy.yaml")
        assert positions(findings) == expected, (volume, [f.message for f in findings])


# -- resources -------------------------------------------------------------------------------

def test_resources_ephemeral_containers_are_skipped_and_sidecars_checked(catalog):
    text = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n"
            "  initContainers:\n    - name: proxy\n      image: envoy:1\n      restartPolicy: Always\n"
            "  containers:\n    - name: app\n      image: app:1\n      resources: {limits: {memory: 1Gi}}\n"
            "  ephemeralContainers:\n    - name: debug\n      image: busybox:1\n")
    findings = lint_with(catalog, text, "missing-memory-limit", path="deploy.yaml")
    assert positions(findings) == ["7:7"]
    assert lint_with(catalog, text, "missing-memory-limit", params={"include_init": False}, path="deploy.yaml") == []


def test_resources_compose_service_level_and_deploy_keys_both_count(catalog):
    text = compose("image: app:1\nmem_limit: 1g\ndeploy:\n  resources:\n    limits:\n      cpus: '0.5'")
    assert lint_with(catalog, text, "missing-memory-limit", "missing-cpu-limit", path="compose.yaml") == []


def test_requests_exceed_limits_compares_canonical_units_and_skips_unknown_amounts(catalog):
    equal = pod("image: app:1\nresources:\n  requests: {memory: 1Gi, cpu: '0.5'}\n"
                "  limits: {memory: 1024Mi, cpu: 500m}")
    assert lint_with(catalog, equal, "requests-exceed-limits", path="deploy.yaml") == []
    unknown = compose("image: app:1\nmem_limit: ${LIMIT}\nmem_reservation: 2g")
    assert lint_with(catalog, unknown, "requests-exceed-limits", path="compose.yaml") == []
    storage = pod("image: app:1\nresources:\n  requests: {ephemeral-storage: 2Gi}\n  limits: {ephemeral-storage: 1Gi}")
    assert positions(lint_with(catalog, storage, "requests-exceed-limits", path="deploy.yaml")) == ["10:39"]


# -- images ----------------------------------------------------------------------------------

@pytest.mark.parametrize("image, expected", [
    ("app:${TAG}", []), ("${IMAGE}", []), ("${REGISTRY}/nginx", ["3:12"]), ("nginx:${TAG:-1.27}", []),
    ("localhost:5000/app", ["3:12"]), ("localhost:5000/app:1.0", []),
])
def test_image_unpinned_variables(catalog, image, expected):
    findings = lint_with(catalog, compose(f"image: {image}"), "image-unpinned", path="compose.yaml")
    assert positions(findings) == expected


@pytest.mark.parametrize("image, trusted, reported", [
    ("nginx:1", ["docker.io"], False),
    ("nginx:1", ["index.docker.io"], False),
    ("nginx:1", ["docker.io/library/*"], False),
    ("bitnami/nginx:1", ["docker.io/library/*"], True),
    ("registry.example.com/app:1", ["*.example.com"], False),
    ("example.com/app:1", ["*.example.com"], True),
    ("Registry.Example.com/app:1", ["registry.example.com"], False),
    ("localhost:5000/app:1", ["localhost:*"], False),
    ("ghcr.io/acme/app:1", ["ghcr.io/acme/*"], False),
    ("ghcr.io/other/app:1", ["ghcr.io/acme/*"], True),
    ("ghcr.io/other/app:1", [], False),
])
def test_untrusted_registry_patterns(catalog, image, trusted, reported):
    findings = lint_with(catalog, compose(f"image: {image}"), "untrusted-registry", params={"trusted": trusted},
                         path="compose.yaml")
    assert bool(findings) == reported


# -- probes and replicas ---------------------------------------------------------------------

def test_probes_not_required_on_init_containers_or_jobs(catalog):
    text = ("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  template:\n    spec:\n"
            "      containers:\n        - name: c\n          image: app:1\n")
    assert lint_with(catalog, text, "readiness-probe-missing", "liveness-probe-missing", path="deploy.yaml") == []


def deployment(name: str, replicas: str = "", namespace: str = "") -> str:
    meta = f"  name: {name}\n" + (f"  namespace: {namespace}\n" if namespace else "")
    return (f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n{meta}spec:\n{replicas}"
            f"  template:\n    spec:\n      containers:\n        - name: c\n          image: app:1\n")


@pytest.mark.parametrize("replicas, expected", [
    ("", ["5:1"]), ("  replicas: 1\n", ["6:13"]), ("  replicas: '1'\n", ["6:13"]), ("  replicas: 0\n", []),
    ("  replicas: 2\n", []), ("  replicas: ${N}\n", []),
])
def test_single_replica_values(catalog, replicas, expected):
    findings = lint_with(catalog, deployment("web", replicas), "single-replica", path="deploy.yaml")
    assert positions(findings) == expected


def test_single_replica_autoscaled_in_the_same_namespace(catalog):
    hpa = ("---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: h\n{ns}"
           "spec:\n  scaleTargetRef: {{kind: Deployment, name: web}}\n  maxReplicas: 5\n")
    keda = ("---\napiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata:\n  name: s\n"
            "spec:\n  scaleTargetRef: {name: web}\n")
    assert lint_with(catalog, deployment("web") + hpa.format(ns=""), "single-replica", path="deploy.yaml") == []
    assert lint_with(catalog, deployment("web") + keda, "single-replica", path="deploy.yaml") == []
    other = deployment("web", namespace="a") + hpa.format(ns="  namespace: b\n")
    assert len(lint_with(catalog, other, "single-replica", path="deploy.yaml")) == 1
