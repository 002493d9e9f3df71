"""The Compose model: interpolation, short and long syntax, extends, override merging, and the
workload view."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.model.compose import Interpolated, is_literal, unresolved
from linter.model.yaml import YamlDocument
from linter.parsers.compose import interpolate, merge_compose, parse_compose, parse_port_spec, to_workloads
from linter.parsers.yaml import parse_yaml

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "compose"
Mi, Gi = 1024 ** 2, 1024 ** 3


def read(text: str, path: str = "compose.yaml", variables=None):
    stream = parse_yaml(textwrap.dedent(text), path)
    assert not stream.problems, stream.problems
    return parse_compose(stream.documents, path, variables)


def service(text: str, name: str = "app", variables=None):
    compose = read(text, variables=variables)
    return compose.service(name)


def workload(text: str, name: str = "app", variables=None):
    compose = read(text, variables=variables)
    return next(w for w in to_workloads(compose) if w.name == name)


def root(text: str, path: str):
    stream = parse_yaml(textwrap.dedent(text), path)
    assert not stream.problems
    return stream.documents[0].root


# -- interpolation ------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "variables", "value", "missing", "external"), [
    ("${A}", {"A": "1"}, "1", (), ("A",)),
    ("${A}", {}, "${A}", ("A",), ()),
    ("$A/x", {"A": "1"}, "1/x", (), ("A",)),
    ("$A/x", {}, "$A/x", ("A",), ()),
    ("${A:-d}", {}, "d", (), ()),
    ("${A:-d}", {"A": ""}, "d", (), ()),
    ("${A:-d}", {"A": "v"}, "v", (), ("A",)),
    ("${A-d}", {}, "d", (), ()),
    ("${A-d}", {"A": ""}, "", (), ("A",)),
    ("${A:?need A}", {"A": "v"}, "v", (), ("A",)),
    ("${A:?need A}", {}, "${A:?need A}", ("A",), ()),
    ("${A?need A}", {"A": ""}, "", (), ("A",)),
    ("${A:+alt}", {"A": "v"}, "alt", (), ("A",)),
    ("${A:+alt}", {"A": ""}, "", (), ("A",)),
    ("${A:+alt}", {}, "${A:+alt}", ("A",), ()),
    ("${A+alt}", {"A": ""}, "alt", (), ("A",)),
    ("${A:-${B:-deep}}", {}, "deep", (), ()),
    ("${A:-${B}}", {}, "${B}", ("B",), ()),
    ("${A:-${B}}", {"B": "b"}, "b", (), ("B",)),
    ("$$HOME and $${X}", {}, "$HOME and ${X}", (), ()),
    ("pre-${A}-${B:-b}-post", {"A": "a"}, "pre-a-b-post", (), ("A",)),
    ("${A:-a:b}", {}, "a:b", (), ()),
    ("${A:-}", {}, "", (), ()),
    ("no dollar", {}, "no dollar", (), ()),
])
def test_interpolation(text, variables, value, missing, external):
    assert interpolate(text, variables) == (value, missing, external, None)


@pytest.mark.parametrize("text", ["${", "${A", "${A:-${B}", "$", "cost: 5$", "$1", "${1A}", "${A!x}", "${}", "$ {A}",
                                  "${A:-" * 50 + "x" + "}" * 50])
def test_malformed_interpolation_is_an_error_not_an_exception(text):
    value, missing, external, error = interpolate(text, {})
    assert value == text and error


def test_interpolation_never_reads_the_process_environment(monkeypatch):
    monkeypatch.setenv("DLINT_TEST_TAG", "from-env")
    app = service("""
        services:
          app:
            image: acme/app:${DLINT_TEST_TAG}
    """)
    assert app.image.value.text == "acme/app:${DLINT_TEST_TAG}"
    assert app.image.value.unresolved


def test_interpolated_tree_keeps_spans_and_marks_nodes():
    compose = read("""
        services:
          app:
            image: "${REGISTRY:-docker.io}/acme/app:${TAG}"
            environment:
              PLAIN: value
              FROM_DEFAULT: ${X:-literal-default}
              FROM_OUTSIDE: ${SECRET}
              KNOWN: ${KNOWN}
            command: echo $$PATH
    """, variables={"KNOWN": "k"})
    app = compose.service("app")
    image = app.node.get("image")
    assert isinstance(image, Interpolated)
    assert image.value == "docker.io/acme/app:${TAG}" and image.raw == "${REGISTRY:-docker.io}/acme/app:${TAG}"
    assert unresolved(image) == ("TAG",) and image.span.line == 4
    assert app.image.value.unresolved and app.image.value.registry == "docker.io"
    assert app.image.value.repository == "acme/app" and app.image.value.tag == "${TAG}"
    environment = {name.value: value for name, value in app.environment}
    assert environment["PLAIN"].value == "value"
    assert environment["FROM_DEFAULT"].value == "literal-default"
    assert environment["FROM_OUTSIDE"] is None   # not written in the file
    assert environment["KNOWN"] is None          # came from the variables (the .env file)
    assert app.node.get("command").value == "echo $PATH"
    assert is_literal(app.node.get("command"))
    assert compose.raw.at("services", "app", "image").value == "${REGISTRY:-docker.io}/acme/app:${TAG}"


def test_bad_interpolation_is_a_problem_at_the_value():
    compose = read("""
        services:
          app:
            image: "acme/app:${TAG"
            environment:
              PRICE: 5$
    """)
    assert [(rule, span.line, span.column) for rule, _, span in compose.problems] == [
        ("invalid-interpolation", 4, 12), ("invalid-interpolation", 6, 14)]
    assert "never closed" in compose.problems[0][1]
    assert "'$$'" in compose.problems[1][1]
    assert compose.service("app").image.value.text == "acme/app:${TAG"


def test_keys_are_not_interpolated():
    app = service("""
        services:
          app:
            image: x
            labels:
              ${KEY}: ${VALUE:-v}
    """, variables={"KEY": "k"})
    labels = app.node.get("labels")
    assert list(labels.value) == ["${KEY}"] and labels.get("${KEY}").value == "v"


# -- services: short and long syntax --------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("80", [(80, 0, None, "tcp")]),
    ("8080:80", [(80, 8080, None, "tcp")]),
    ("127.0.0.1:5432:5432", [(5432, 5432, "127.0.0.1", "tcp")]),
    ("127.0.0.1::80", [(80, 0, "127.0.0.1", "tcp")]),
    ("0.0.0.0:80:80", [(80, 80, "0.0.0.0", "tcp")]),
    ("[::1]:8080:80", [(80, 8080, "::1", "tcp")]),
    ("::1:8080:80", [(80, 8080, "::1", "tcp")]),
    ("53:53/udp", [(53, 53, None, "udp")]),
    ("9000-9002:9000-9002", [(9000, 9000, None, "tcp"), (9001, 9001, None, "tcp"), (9002, 9002, None, "tcp")]),
    ("8000-8010:80", [(80, 8000, None, "tcp")]),
    ("3000-3001", [(3000, 0, None, "tcp"), (3001, 0, None, "tcp")]),
    ("6060:6060/SCTP", [(6060, 6060, None, "sctp")]),
])
def test_short_port_syntax(text, expected):
    assert parse_port_spec(text) == expected


@pytest.mark.parametrize("text", ["", "http", "80:http", "1.2.3.4:80", "9000-9002:80-81", "[::1:80:80", "5-1"])
def test_invalid_short_ports(text):
    with pytest.raises(ValueError):
        parse_port_spec(text)


def test_ports_long_syntax_expose_and_yaml_base_60():
    app = service("""
        services:
          app:
            image: x
            ports:
              - 22:22
              - 8080
              - "${WEB_PORT}:80"
              - target: 443
                published: "8443"
                host_ip: 127.0.0.1
                protocol: TCP
              - target: 9090
              - target: 7000
                published: 7000-7001
              - "not-a-port"
            expose: ["3000", 4000, "5000/udp"]
    """)
    ports = [(p.container_port, p.host_port, p.host_ip, p.protocol, p.span.line) for p in app.ports]
    assert ports == [
        (22, 22, None, "tcp", 6),        # PyYAML reads 22:22 as 1342 (base 60); Compose reads "22:22"
        (8080, 0, None, "tcp", 7),       # published on an ephemeral host port
        (80, "${WEB_PORT}", None, "tcp", 8),
        (443, 8443, "127.0.0.1", "tcp", 9),
        (9090, 0, None, "tcp", 13),
        (7000, 7000, None, "tcp", 14),
        (3000, None, None, "tcp", 17), (4000, None, None, "tcp", 17), (5000, None, None, "udp", 17),
    ]


def test_invalid_port_is_a_problem():
    compose = read("""
        services:
          app:
            image: x
            ports: ["http:80", {published: 80}]
    """)
    assert [(rule, span.line, span.column) for rule, _, span in compose.problems] == [
        ("invalid-compose", 5, 13), ("invalid-compose", 5, 24)]


def test_huge_port_ranges_are_bounded():
    app = service("""
        services:
          app:
            image: x
            ports: ["1-65535:1-65535", "1-65535:1-65535"]
    """)
    assert len(app.ports) == 4096


def test_volumes_short_and_long_syntax():
    app = service(r"""
        services:
          app:
            image: x
            volumes:
              - data:/var/lib/data
              - ./conf:/etc/app:ro
              - /var/run/docker.sock:/var/run/docker.sock
              - ~/cache:/cache:rw,z
              - /anonymous
              - C:\Users\me:/win
              - ${DATA_DIR}:/data
              - type: volume
                source: logs
                target: /logs
                read_only: true
              - type: volume
                target: /scratch
              - type: bind
                source: /etc/ssl
                target: /etc/ssl
                read_only: "true"
              - type: tmpfs
                target: /run
              - type: npipe
                source: \\.\pipe\docker_engine
                target: \\.\pipe\docker_engine
              - type: image
                source: alpine
                target: /img
            tmpfs:
              - /tmp:size=64m
            secrets: [token, {source: cert, target: tls.pem}, {source: key, target: /etc/key}]
            configs: [{source: conf, target: /etc/conf}, plain]
    """)
    mounts = [(m.target, m.kind, m.source, m.read_only) for m in app.mounts]
    assert mounts == [
        ("/var/lib/data", "volume", "data", False),
        ("/etc/app", "bind", "./conf", True),
        ("/var/run/docker.sock", "bind", "/var/run/docker.sock", False),
        ("/cache", "bind", "~/cache", False),
        ("/anonymous", "anonymous", None, False),
        ("/win", "bind", "C:\\Users\\me", False),
        ("/data", "bind", "${DATA_DIR}", False),
        ("/logs", "volume", "logs", True),
        ("/scratch", "anonymous", None, False),
        ("/etc/ssl", "bind", "/etc/ssl", True),
        ("/run", "tmpfs", None, False),
        ("\\\\.\\pipe\\docker_engine", "bind", "\\\\.\\pipe\\docker_engine", False),
        ("/img", "other", "alpine", False),
        ("/tmp", "tmpfs", None, False),
        ("/run/secrets/token", "secret", "token", True),
        ("/run/secrets/tls.pem", "secret", "cert", True),
        ("/etc/key", "secret", "key", True),
        ("/etc/conf", "other", "conf", True),
        ("/plain", "other", "plain", True),
    ]
    assert [m.persistent for m in app.mounts][:5] == [True, True, True, True, False]
    assert app.mounts[0].span.line == 6
    assert [f.value for f in app.secrets] == ["token", "cert", "key"]


def test_environment_list_and_map():
    listed = service("""
        services:
          app:
            image: x
            environment:
              - A=1
              - B=
              - C
              - D=x=y
    """)
    assert [(n.value, v.value if v else None, n.span.line) for n, v in listed.environment] == [
        ("A", "1", 6), ("B", "", 7), ("C", None, 8), ("D", "x=y", 9)]
    mapped = service("""
        services:
          app:
            image: x
            environment:
              A: 1
              B: true
              C:
              D: ""
    """)
    assert [(n.value, v.value if v else None) for n, v in mapped.environment] == [
        ("A", "1"), ("B", "true"), ("C", None), ("D", "")]
    name, value = mapped.environment[0]
    assert (name.span.line, name.span.column, value.span.column) == (6, 7, 10)


def test_depends_on_networks_links_and_names():
    compose = read("""
        services:
          app:
            image: x
            container_name: my-app
            depends_on:
              db:
                condition: service_healthy
              cache:
                condition: service_started
                required: false
            networks:
              front:
                ipv4_address: 172.20.0.5
                aliases: [web]
              back:
            links: ["db:database", cache]
            profiles: [debug]
          worker:
            image: x
            depends_on: [db]
            networks: [back]
            network_mode: host
          db: {image: postgres}
          cache: {image: redis}
    """)
    app, worker = compose.service("app"), compose.service("worker")
    assert [(d.name, d.condition.value, d.required, d.span.line) for d in app.depends_on] == [
        ("db", "service_healthy", True, 7), ("cache", "service_started", False, 9)]
    assert app.depends_on[0].condition.span.line == 8
    assert [(d.name, d.condition.value, d.condition.span.line) for d in worker.depends_on] == [
        ("db", "service_started", 21)]
    assert [(n.name, n.span.line, n.ipv4_address.value if n.ipv4_address else None) for n in app.networks] == [
        ("front", 13, "172.20.0.5"), ("back", 16, None)]
    assert [a.value for a in app.networks[0].aliases] == ["web"]
    assert [(n.name, n.span.line) for n in worker.networks] == [("back", 22)]
    assert worker.network_mode.value == "host"
    assert [link.value for link in app.links] == ["db:database", "cache"]
    assert app.container_name.value == "my-app" and [p.value for p in app.profiles] == ["debug"]
    assert compose.service("nope") is None


def test_top_level_definitions_and_extensions():
    compose = read("""
        name: shop
        x-defaults: &defaults {restart: always}
        services:
          app: {image: x}
        volumes:
          data:
          logs: {driver: local}
        networks:
          front: {}
        secrets:
          token: {file: ./token}
        configs:
          conf: {content: "a=1"}
    """)
    assert compose.name.value == "shop"
    assert list(compose.volumes) == ["data", "logs"]
    assert compose.volumes["data"].value is None and compose.volumes["data"].key_span.line == 7
    assert list(compose.networks) == ["front"] and list(compose.secrets) == ["token"]
    assert list(compose.configs) == ["conf"] and list(compose.extensions) == ["x-defaults"]


@pytest.mark.parametrize(("text", "message"), [
    ("", "empty"),
    ("- a\n- b\n", "not a list"),
    ("just text\n", "not a single value"),
    ("services: [a, b]\n", "'services' must be a mapping"),
])
def test_structural_problems(text, message):
    stream = parse_yaml(text, "compose.yaml")
    compose = parse_compose(stream.documents, "compose.yaml")
    assert compose.services == []
    assert len(compose.problems) == 1 and compose.problems[0][0] == "invalid-compose"
    assert message in compose.problems[0][1]
    assert to_workloads(compose) == []


def test_only_the_first_document_is_read():
    stream = parse_yaml("services: {a: {image: x}}\n---\nservices: {b: {image: y}}\n", "compose.yaml")
    assert [s.name for s in parse_compose(stream.documents, "compose.yaml").services] == ["a"]


# -- extends ------------------------------------------------------------------------------------

def test_extends_within_a_file():
    compose = read((FIXTURES / "extends.yaml").read_text(), "extends.yaml")
    assert compose.problems == []
    web, worker = compose.service("web"), compose.service("worker")
    assert web.image.value.text == "python:3.12-slim" and web.image.span.line == 4
    assert web.key_span.line == 16 and web.node.span.line == 17   # the service keeps its own place
    environment = {n.value: (v.value, v.span.line) for n, v in web.environment}
    assert environment == {"PYTHONUNBUFFERED": ("1", 6), "LOG_LEVEL": ("debug", 21)}
    assert [(m.target, m.span.line) for m in web.mounts] == [("/app", 9)]
    assert "extends" not in web.node.value
    [worker_load] = [w for w in to_workloads(compose) if w.name == "worker"]
    limits = worker_load.containers[0].limits
    assert (limits["cpu"].amount, limits["cpu"].span.line) == (0.5, 13)    # inherited, at the base's line
    assert (limits["memory"].amount, limits["memory"].span.line) == (512 * Mi, 30)


def test_extends_chains_cycles_and_unknown_services():
    compose = read("""
        services:
          a: {extends: b, image: "a:1"}
          b: {extends: {service: c}, ports: ["80:80"]}
          c: {image: "c:1", user: "1000"}
          loop1: {extends: loop2, image: x}
          loop2: {extends: loop1, image: y}
          orphan: {extends: missing, image: z}
          elsewhere: {extends: {file: other.yaml, service: base}, image: w}
    """)
    a = compose.service("a")
    assert a.image.value.text == "a:1" and a.user.value == "1000" and [p.host_port for p in a.ports] == [80]
    assert sorted((rule, span.line) for rule, _, span in compose.problems) == [
        ("invalid-compose", 7), ("invalid-compose", 8)]
    messages = " ".join(message for _, message, _ in compose.problems)
    assert "cycle: loop1 → loop2 → loop1" in messages and "'missing', which is not defined" in messages
    assert compose.service("elsewhere").image.value.text == "w"


def test_long_extends_chain_does_not_recurse():
    lines = ["services:", "  s0: {image: base, user: '1'}"]
    lines += [f"  s{i}: {{extends: s{i - 1}}}" for i in range(1, 3000)]
    compose = read("\n".join(lines) + "\n")
    assert compose.service("s2999").user.value == "1" and compose.problems == []


def test_invalid_inherited_quantity_is_reported_once():
    compose = read("""
        services:
          base: {image: x, mem_limit: 1zz}
          a: {extends: base}
          b: {extends: base}
    """)
    problems = [p for w in to_workloads(compose) for p in w.problems]
    assert [(rule, span.line) for rule, _, span in problems] == [("invalid-quantity", 3)]


# -- the workload view --------------------------------------------------------------------------

def test_workload_from_a_full_service():
    load = workload("""
        services:
          app:
            image: registry.example.com:5000/team/app:1.2@sha256:abcdef0123456789
            user: "1000:1000"
            privileged: true
            read_only: "true"
            cap_add: [NET_ADMIN]
            cap_drop: [ALL]
            security_opt: ["no-new-privileges:true", "seccomp=unconfined"]
            deploy:
              replicas: 3
              restart_policy: {condition: on-failure}
              resources:
                limits: {cpus: "0.5", memory: 512M}
                reservations: {cpus: "0.25", memory: 128m}
            healthcheck:
              test: ["CMD", "true"]
            pid: host
            ipc: shareable
            network_mode: bridge
            x-dlint-ignore: "DC101, image-unpinned"
    """)
    assert (load.name, load.kind, load.source, load.path) == ("app", "service", "compose", "compose.yaml")
    assert load.anchor.line == 3
    [container] = load.containers
    assert container.name == "app" and container.anchor.line == 3
    image = container.image.value
    assert (image.registry, image.repository, image.tag, image.digest, image.unresolved) == (
        "registry.example.com:5000", "team/app", "1.2", "sha256:abcdef0123456789", False)
    assert container.user.value == "1000:1000" and container.privileged.value is True
    assert container.read_only_root.value is True
    assert [c.value for c in container.capabilities_add] == ["NET_ADMIN"]
    assert [c.value for c in container.capabilities_drop] == ["ALL"]
    assert container.allow_privilege_escalation.value is False and container.allow_privilege_escalation.span.line == 10
    assert container.limits["cpu"].amount == 0.5 and container.limits["memory"].amount == 512 * Mi
    assert container.limits["memory"].raw == "512M" and container.limits["memory"].span.line == 15
    assert container.requests["cpu"].amount == 0.25 and container.requests["memory"].amount == 128 * Mi
    assert container.resources_anchor.line == 14
    assert container.healthcheck.value.get("test") is not None and container.healthcheck.span.line == 17
    assert load.replicas.value == 3 and load.restart_policy.value == "on-failure"
    assert load.host_pid.value is True and load.host_ipc.value is False and load.host_network.value is False
    assert load.ignored == {"DC101", "image-unpinned"}
    assert load.problems == []
    assert service("""
        services:
          app:
            image: x
            deploy: {resources: {limits: {pids: 100}}}
    """).pids_limit.value == "100"


def test_workload_legacy_keys_and_defaults():
    load = workload("""
        services:
          app:
            image: nginx
            mem_limit: 1g
            mem_reservation: 256m
            cpus: 1.5
            scale: 2
            restart: no
            network_mode: host
            security_opt: [no-new-privileges]
            healthcheck:
              disable: true
            x-dlint-ignore: [DC101]
    """)
    [container] = load.containers
    assert container.limits["memory"].amount == Gi and container.limits["cpu"].amount == 1.5
    assert container.requests == {"memory": container.requests["memory"]}
    assert container.requests["memory"].amount == 256 * Mi
    assert container.resources_anchor == load.anchor      # no deploy.resources: the service key
    assert load.replicas.value == 2 and load.restart_policy.value == "no"
    assert load.host_network.value is True and load.host_network.span.line == 10
    assert container.allow_privilege_escalation.value is False
    assert container.healthcheck.value is False and container.healthcheck.span.line == 13
    assert container.image.value.tag is None and load.ignored == {"DC101"}


def test_deploy_limits_win_over_service_level_keys():
    container = workload("""
        services:
          app:
            image: x
            mem_limit: 2g
            deploy:
              resources:
                limits: {memory: 1g}
    """).containers[0]
    assert container.limits["memory"].amount == Gi and "cpu" not in container.limits


def test_missing_things_stay_missing():
    load = workload("""
        services:
          app:
            image: x
            deploy:
              labels: [a=b]
    """)
    [container] = load.containers
    assert container.limits == {} and container.requests == {}
    assert container.resources_anchor.line == 5          # the deploy key, the nearest parent written
    assert container.healthcheck is None and container.user is None and container.privileged is None
    assert load.replicas is None and load.restart_policy is None and load.host_network is None
    assert container.allow_privilege_escalation is None


@pytest.mark.parametrize(("test", "disabled"), [
    ('["NONE"]', True), ("NONE", True), ('["CMD", "true"]', False), ("curl -f http://localhost", False),
    ("null", False),
])
def test_healthcheck_none(test, disabled):
    container = workload(f"""
        services:
          app:
            image: x
            healthcheck:
              test: {test}
    """).containers[0]
    assert (container.healthcheck.value is False) == disabled


def test_invalid_and_unresolved_quantities():
    load = workload("""
        services:
          app:
            image: x
            mem_limit: lots
            cpus: ${CPUS}
            deploy:
              resources:
                reservations:
                  cpus: 500m
                  memory: ${MEM:-256m}
    """)
    [container] = load.containers
    assert container.limits["memory"].amount is None and container.limits["memory"].raw == "lots"
    assert container.limits["cpu"].amount is None and container.limits["cpu"].raw == "${CPUS}"
    assert container.requests["memory"].amount == 256 * Mi
    assert [(rule, span.line, span.column) for rule, _, span in load.problems] == [
        ("invalid-quantity", 5, 16), ("invalid-quantity", 10, 17)]
    assert "Compose expects" in load.problems[0][1]


def test_unresolved_image_is_marked():
    container = workload("""
        services:
          app:
            image: ${IMAGE}
    """).containers[0]
    assert container.image.value.text == "${IMAGE}" and container.image.value.unresolved


def test_service_without_image_builds_one():
    app = service("""
        services:
          app:
            build:
              context: ./api
              dockerfile: Dockerfile.prod
          docs:
            build: ./docs
    """)
    assert app.image is None and app.build.context.value == "./api" and app.build.dockerfile.value == "Dockerfile.prod"
    docs = service("services:\n  docs:\n    build: ./docs\n", "docs")
    assert docs.build.context.value == "./docs" and docs.build.dockerfile is None


# -- override files -----------------------------------------------------------------------------

def _merged(base: str, override: str):
    return merge_compose(root(base, "compose.yaml"), root(override, "compose.override.yaml"))


def test_override_merge_rules():
    merged = _merged("""
        services:
          web:
            image: web:1
            command: ["a", "b"]
            entrypoint: /bin/sh
            ports: ["80:80", "443:443"]
            expose: ["9000"]
            volumes: ["data:/data", "./a:/a"]
            environment: {A: "1", B: "2"}
            labels: ["x=1", "y=2"]
            dns: 8.8.8.8
            cap_add: [NET_ADMIN]
            extra_hosts: ["a:10.0.0.1"]
            depends_on: [db]
            networks: [front]
            build: ./web
            healthcheck:
              test: ["CMD", "a"]
              interval: 10s
            logging: {driver: json-file, options: {max-size: 1m}}
            x-meta: {a: 1}
        """, """
        services:
          web:
            image: web:2
            command: ["c"]
            ports: ["443:443", "8080:8080"]
            expose: ["9000", "9001"]
            volumes: ["./b:/data", "cache:/cache"]
            environment: ["B=3", "C=4"]
            labels: ["y=3", "z=4"]
            dns: [1.1.1.1, 8.8.8.8]
            cap_add: [NET_ADMIN, SYS_TIME]
            extra_hosts: {a: 10.0.0.2, b: 10.0.0.3}
            depends_on: {cache: {condition: service_healthy}}
            networks: {back: {aliases: [w]}}
            build: {dockerfile: Dockerfile.dev}
            healthcheck:
              test: ["CMD", "b"]
            logging: {driver: syslog}
            x-meta: {b: 2}
        """)
    web = merged.at("services", "web")
    data = web.to_data()
    assert data["image"] == "web:2"
    assert data["command"] == ["c"] and data["entrypoint"] == "/bin/sh"
    assert data["ports"] == ["80:80", "443:443", "8080:8080"]
    assert data["expose"] == ["9000", "9001"]
    assert data["volumes"] == ["./b:/data", "./a:/a", "cache:/cache"]
    assert data["environment"] == {"A": "1", "B": "3", "C": "4"}
    assert data["labels"] == ["x=1", "y=3", "z=4"]
    assert data["dns"] == ["8.8.8.8", "1.1.1.1"]
    assert data["cap_add"] == ["NET_ADMIN", "SYS_TIME"]
    assert data["extra_hosts"] == ["a:10.0.0.1", "a=10.0.0.2", "b=10.0.0.3"]
    assert data["depends_on"] == {"db": {"condition": "service_started"}, "cache": {"condition": "service_healthy"}}
    assert data["networks"] == {"front": None, "back": {"aliases": ["w"]}}
    assert data["build"] == {"context": "./web", "dockerfile": "Dockerfile.dev"}
    assert data["healthcheck"] == {"test": ["CMD", "b"], "interval": "10s"}
    assert data["logging"] == {"driver": "syslog"}
    assert data["x-meta"] == {"a": 1, "b": 2}


def test_override_values_keep_the_span_of_their_file():
    merged = _merged("""
        services:
          web:
            image: web:1
            user: "1000"
            environment:
              A: "1"
        """, """
        services:
          web:
            image: web:2
            environment:
              - B=2
          cache:
            image: redis
        """)
    web = merged.at("services", "web")
    assert web.key_span.path == "compose.yaml"
    assert (web.get("image").span.path, web.get("image").span.line) == ("compose.override.yaml", 4)
    assert (web.get("user").span.path, web.get("user").span.line) == ("compose.yaml", 5)
    environment = web.get("environment")
    assert environment.get("A").span.path == "compose.yaml"
    assert (environment.get("B").span.path, environment.get("B").key_span.line) == ("compose.override.yaml", 6)
    assert merged.at("services", "cache").key_span.path == "compose.override.yaml"
    compose = parse_compose([YamlDocument(merged, 0)], "compose.yaml")
    [name, value] = compose.service("web").environment[1]
    assert (name.value, value.value, value.span.path) == ("B", "2", "compose.override.yaml")


def test_reset_and_override_tags():
    merged = _merged("""
        services:
          web:
            image: web:1
            ports: ["80:80"]
            environment: {A: "1", B: "2"}
            volumes: ["a:/a"]
        """, """
        services:
          web:
            ports: !reset []
            environment:
              B: !reset
            volumes: !override ["b:/b"]
        """)
    data = merged.at("services", "web").to_data()
    assert "ports" not in data and data["environment"] == {"A": "1"} and data["volumes"] == ["b:/b"]


def test_merge_does_not_modify_its_inputs():
    base = root("services: {web: {image: a, ports: ['1:1'], environment: {A: '1'}}}\n", "compose.yaml")
    over = root("services: {web: {image: b, ports: ['2:2'], environment: [B=2]}}\n", "compose.override.yaml")
    before = (base.to_data(), over.to_data())
    merge_compose(base, over)
    assert (base.to_data(), over.to_data()) == before


def test_override_fixture_directory():
    base = parse_yaml((FIXTURES / "override" / "compose.yaml").read_text(), "override/compose.yaml")
    over = parse_yaml((FIXTURES / "override" / "compose.override.yaml").read_text(), "override/compose.override.yaml")
    merged = merge_compose(base.documents[0].root, over.documents[0].root)
    compose = parse_compose([YamlDocument(merged, 0)], "override/compose.yaml")
    assert compose.problems == []
    web = compose.service("web")
    assert web.node.get("command").to_data() == ["flask", "run", "--debug"]
    assert [(p.host_port, p.span.path) for p in web.ports] == [
        (8000, "override/compose.override.yaml"), (5678, "override/compose.override.yaml")]
    assert [(m.target, m.source) for m in web.mounts] == [("/srv/static", "./src"), ("/etc/web", "./conf")]
    assert [(d.name, d.condition.value) for d in web.depends_on] == [("db", "service_started"),
                                                                     ("cache", "service_started")]
    assert [n.name for n in web.networks] == ["backend", "frontend"]
    assert {n.value: v.value for n, v in web.environment} == {"LOG_LEVEL": "info", "DEBUG": "1", "RELOAD": "true"}
    [web_load] = [w for w in to_workloads(compose) if w.name == "web"]
    memory = web_load.containers[0].limits["memory"]
    assert (memory.amount, memory.span.path) == (Gi, "override/compose.override.yaml")
    assert [p.host_port for p in compose.service("db").ports] == [5432]
    assert [s.name for s in compose.services] == ["web", "db", "cache"]
    assert list(compose.networks) == ["backend", "frontend"]


def test_merge_with_non_mapping_roots():
    good = root("services: {a: {image: x}}\n", "compose.yaml")
    text = root("- x\n", "compose.override.yaml")
    assert merge_compose(good, text) is good
    assert merge_compose(text, good) is good


# -- fixtures -----------------------------------------------------------------------------------

VALID_FIXTURES = sorted(p for p in FIXTURES.glob("*.yaml") if not p.name.startswith("invalid-"))


@pytest.mark.parametrize("path", VALID_FIXTURES, ids=lambda p: p.name)
def test_valid_fixtures_read_without_problems(path):
    compose = read(path.read_text(), path.name)
    assert compose.problems == []
    assert compose.services
    for load in to_workloads(compose):
        assert load.problems == []
        assert len(load.containers) == 1


def test_web_db_redis_fixture():
    compose = read((FIXTURES / "web-db-redis.yaml").read_text(), "web-db-redis.yaml")
    loads = {w.name: w for w in to_workloads(compose)}
    assert list(loads) == ["web", "db", "cache"]
    db = loads["db"].containers[0]
    assert db.image.value.repository == "postgres" and db.image.value.tag == "16-alpine"
    assert [(m.target, m.kind) for m in db.mounts] == [("/var/lib/postgresql/data", "volume")]
    assert [(p.container_port, p.host_port, p.host_ip) for p in db.ports] == [(5432, 5432, None)]
    assert dict((n.value, v.value) for n, v in db.environment)["POSTGRES_PASSWORD"] == "shop"
    assert all(not w.containers[0].limits for w in loads.values())
    assert [d.name for d in compose.service("web").depends_on] == ["db", "cache"]
    assert loads["web"].restart_policy.value == "unless-stopped"


def test_interpolation_fixture_defaults():
    compose = read((FIXTURES / "interpolation.yaml").read_text(), "interpolation.yaml")
    [load] = to_workloads(compose)
    [container] = load.containers
    assert container.image.value.text == "docker.io/acme/app:latest" and not container.image.value.unresolved
    assert [(p.host_port, p.host_ip) for p in container.ports] == [(8080, None), (9229, "127.0.0.1")]
    assert container.limits["memory"].amount == 512 * Mi and container.limits["cpu"].amount == 1.5
    assert container.user.value == "1000:1000"
    environment = dict((n.value, v.value if v else None) for n, v in container.environment)
    assert environment == {"DB_PASSWORD": None, "FEATURE_FLAGS": None, "PRICE": "$5"}
    assert [(m.target, m.kind, m.source) for m in container.mounts] == [("/var/lib/app", "bind", "./data")]


def test_legacy_fixture():
    compose = read((FIXTURES / "legacy-v2.yaml").read_text(), "legacy-v2.yaml")
    app = {w.name: w for w in to_workloads(compose)}["app"]
    [container] = app.containers
    assert app.restart_policy.value == "no" and container.privileged.value is True
    assert container.allow_privilege_escalation.value is True     # no-new-privileges:false
    assert [(p.container_port, p.host_port) for p in container.ports] == [(22, 22), (8080, 0), (8009, None)]
    assert [(m.target, m.kind) for m in container.mounts] == [("/run", "tmpfs"), ("/tmp", "tmpfs")]
    assert [link.value for link in compose.service("app").links] == ["db"]


# -- robustness ---------------------------------------------------------------------------------

KEYS = ["services", "volumes", "networks", "secrets", "configs", "name", "x-a", "image", "build", "ports", "expose",
        "environment", "depends_on", "deploy", "resources", "limits", "reservations", "cpus", "memory", "mem_limit",
        "healthcheck", "test", "disable", "extends", "service", "file", "user", "privileged", "security_opt",
        "network_mode", "pid", "ipc", "tmpfs", "target", "source", "type", "published", "host_ip", "condition",
        "replicas", "scale", "restart", "restart_policy", "x-dlint-ignore", "ipv4_address", "aliases", "context",
        "app", "db", "web", "<<", "secrets", "logging", "driver", "labels", "command", "extra_hosts", "build"]
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 70000), st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["80:80", "1-65535:1", "a:b:c:d", "${A", "${A:-${B}}", "$$", "$", "./x:/y:ro", "C:\\x:/y",
                     "NONE", "host", "512m", "1e9", "-1", "service_healthy", "no-new-privileges", "app", "db",
                     "[::1]:1:1", "x=y", "", "0.5", "1gb"]),
    st.text(max_size=12))
TREES = st.recursive(SCALARS, lambda children: st.one_of(
    st.lists(children, max_size=4), st.dictionaries(st.sampled_from(KEYS), children, max_size=5)), max_leaves=40)
DOCUMENTS = st.dictionaries(st.sampled_from(KEYS), TREES, max_size=6)
SERVICES = st.builds(lambda services, rest: {"services": services, **rest},
                     st.dictionaries(st.sampled_from(["app", "db", "web", "x-t"]),
                                     st.dictionaries(st.sampled_from(KEYS), TREES, max_size=8), max_size=3),
                     DOCUMENTS)


def _stream(data):
    text = yaml.safe_dump(data, default_flow_style=False, allow_unicode=True)
    return parse_yaml(text, "compose.yaml")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.one_of(DOCUMENTS, SERVICES), st.one_of(DOCUMENTS, SERVICES),
       st.dictionaries(st.sampled_from(["A", "B", "TAG"]), st.text(max_size=5), max_size=3))
def test_parse_compose_never_raises(first, second, variables):
    one, two = _stream(first), _stream(second)
    for documents in (one.documents, two.documents):
        compose = parse_compose(documents, "compose.yaml", variables)
        to_workloads(compose)
        for _, message, span in compose.problems:
            assert isinstance(message, str) and span.line >= 1
    merged = merge_compose(one.documents[0].root, two.documents[0].root)
    compose = parse_compose([YamlDocument(merged, 0)], "compose.yaml", variables)
    for load in to_workloads(compose):
        for rule, message, span in load.problems:
            assert rule == "invalid-quantity" and span.line >= 1


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="${}:-?+AB_x$ ", max_size=30),
       st.dictionaries(st.sampled_from(["A", "B"]), st.text(max_size=3), max_size=2))
def test_interpolate_never_raises(text, variables):
    value, missing, external, error = interpolate(text, variables)
    assert isinstance(value, str)
    assert error is None or value == text
