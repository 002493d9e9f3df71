"""Edge cases of the workload security rules (WL301, WL303–WL310) that the rule examples do not show."""
from __future__ import annotations

import pytest

from linter.checks.environment_secret import words
from linter.checks.host_path_mount import candidates
from tests.conftest import lint_with

POD = """apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
{spec}"""


def positions(findings):
    return [(f.span.line, f.span.column) for f in findings]


def compose(service: str) -> str:
    body = "\n".join("    " + line for line in service.strip("\n").splitlines())
    return f"services:\n  app:\n    image: example/app:1.0\n{body}\n"


@pytest.mark.parametrize("name, expected", [
    ("DB_PASSWORD", ["db", "password"]),
    ("apiKey", ["api", "key"]),
    ("APIKey", ["api", "key"]),
    ("X-Auth-Token", ["x", "auth", "token"]),
    ("GF_SECURITY_ADMIN_PASSWORD__FILE", ["gf", "security", "admin", "password", "file"]),
])
def test_variable_names_are_split_into_words(name, expected):
    assert words(name) == expected


@pytest.mark.parametrize("name, value, reported", [
    ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", True),
    ("SECRET_KEY_BASE", "0123456789abcdef", True),
    ("DB_PASS", "changeme", True),
    ("DB_PASSWORD_FILE", "/run/secrets/db", False),
    ("DB_PASSWORD", "/run/secrets/db", False),
    ("AWS_ACCESS_KEY_ID", "not-a-key-id", False),
    ("PASSWORD_MIN_LENGTH", "12", False),
    ("TOKEN_URL", "https://auth.example.com/token", False),
    ("MYSQL_RANDOM_ROOT_PASSWORD", "yes", False),
    ("VAULT_TOKEN", "vault:secret/data/app#token", False),
    ("PWD", "/srv", False),
    ("BYPASS_CACHE", "1", False),
    ("CACHE_URL", "redis://:s3cret@cache:6379/0", True),
    ("CACHE_URL", "redis://cache:6379/0", False),
    ("NOTE", "AKIAIOSFODNN7EXAMPLE", True),
])
def test_secret_names_values_and_exemptions(catalog, name, value, reported):
    text = compose(f'environment:\n  {name}: "{value}"')
    findings = lint_with(catalog, text, "secret-in-environment", path="compose.yaml")
    assert bool(findings) is reported, [f.message for f in findings]


def test_secret_values_never_appear_in_messages(catalog):
    text = compose("environment:\n  - DB_PASSWORD=hunter2\n  - URL=postgres://u:hunter3@db/x")
    findings = lint_with(catalog, text, "secret-in-environment", path="compose.yaml")
    assert len(findings) == 2
    assert not any("hunter" in finding.message for finding in findings)


def test_interpolated_values_are_not_literal_but_defaults_are(catalog):
    text = compose("environment:\n  A_PASSWORD: ${A_PASSWORD}\n  B_PASSWORD: ${B_PASSWORD:?required}\n"
                   "  C_PASSWORD: ${C_PASSWORD:-fallback}\n  D_PASSWORD: ${D_PASSWORD:-}")
    findings = lint_with(catalog, text, "secret-in-environment", path="compose.yaml")
    assert positions(findings) == [(7, 19)]


def test_list_syntax_value_span_falls_back_to_the_item_when_escaped(catalog):
    text = compose("environment:\n  - DB_PASSWORD=a$$b$$c\n  - API_TOKEN=plain")
    findings = lint_with(catalog, text, "secret-in-environment", path="compose.yaml")
    assert positions(findings) == [(5, 9), (6, 19)]


@pytest.mark.parametrize("source, forms", [
    ("/var/run//docker.sock", ["/var/run/docker.sock", "/run/docker.sock"]),
    ("/etc/../etc/", ["/etc"]),
    ("$HOME/.ssh", ["~/.ssh"]),
    ("/home/alice/.aws/credentials", ["~/.aws/credentials", "/home/alice/.aws/credentials"]),
    ("./data", []),
    ("${DATA_DIR}/etc", []),
])
def test_host_paths_are_normalised(source, forms):
    assert candidates(source) == forms


def test_socket_is_reported_once_and_by_the_socket_rule_only(catalog):
    text = compose("volumes:\n  - /var/run/docker.sock:/var/run/docker.sock:ro\n  - /:/host:ro")
    findings = lint_with(catalog, text, "docker-socket-mounted", "sensitive-host-path-mounted", path="compose.yaml")
    assert [(f.name, f.span.line) for f in findings] == [("docker-socket-mounted", 5),
                                                         ("sensitive-host-path-mounted", 6)]
    assert "read-only" in findings[1].message


def test_pod_level_root_uid_is_reported_where_it_is_written(catalog):
    spec = ("  securityContext:\n    runAsUser: 0\n  containers:\n    - name: a\n      image: x:1\n"
            "    - name: b\n      image: x:1\n      securityContext:\n        runAsUser: 1000\n")
    findings = lint_with(catalog, POD.format(spec=spec), "runs-as-root", path="pod.yaml")
    assert positions(findings) == [(7, 16)]
    assert "`a`" in findings[0].message


def test_container_run_as_non_root_false_overrides_the_pod(catalog):
    spec = ("  securityContext:\n    runAsNonRoot: true\n  containers:\n    - name: a\n      image: x:1\n"
            "      securityContext:\n        runAsNonRoot: false\n")
    findings = lint_with(catalog, POD.format(spec=spec), "runs-as-root", path="pod.yaml")
    assert positions(findings) == [(12, 23)]


@pytest.mark.parametrize("rule, setting", [
    ("privileged-container", "privileged: ${PRIV}"),
    ("host-namespace", "network_mode: ${NET_MODE}"),
    ("host-namespace", 'network_mode: "container:vpn"'),
    ("runs-as-root", 'user: "${UID}"'),
    ("privilege-escalation-allowed", "security_opt: [no-new-privileges]"),
    ("privilege-escalation-allowed", 'security_opt: ["no-new-privileges=true", "seccomp=unconfined"]'),
])
def test_unknown_or_safe_compose_values_are_not_reported(catalog, rule, setting):
    assert lint_with(catalog, compose(setting), rule, path="compose.yaml") == []


WEIRD = [
    "cap_add: [1, null, {a: b}, [x]]",
    "environment: {A_PASSWORD: 1234, B_TOKEN: true, C_SECRET: null, D_KEY: [1]}",
    "environment: [A_PASSWORD, 5, null]",
    "user: [root]",
    "privileged: [true]",
    "volumes: [{type: bind, source: 5, target: /x}, {type: bind, source: [/], target: /y}]",
    "security_opt: [1, null]",
    "read_only: {}",
    "network_mode: 5",
]
RULES = ("WL301", "WL303", "WL304", "WL305", "WL306", "WL307", "WL308", "WL309", "WL310")


@pytest.mark.parametrize("setting", WEIRD)
def test_odd_compose_values_never_raise(catalog, setting):
    lint_with(catalog, compose(setting), *RULES, path="compose.yaml")


@pytest.mark.parametrize("spec", [
    "  hostNetwork: yes\n  containers:\n    - name: a\n      securityContext: {capabilities: {add: [1, null]}}\n",
    "  securityContext: 5\n  containers:\n    - name: a\n      env: [{name: X_TOKEN}, {name: 5, value: 6}, 7]\n",
    "  containers:\n    - securityContext: {runAsUser: root, privileged: maybe}\n"
    "      volumeMounts: [{name: v, mountPath: /x}]\n  volumes: [{name: v, hostPath: {path: 5}}]\n",
])
def test_odd_kubernetes_values_never_raise(catalog, spec):
    lint_with(catalog, POD.format(spec=spec), *RULES, path="pod.yaml")
