"""Clashes between the services of one Compose project — duplicate-published-port (DC407),
duplicate-container-name (DC408) — and obsolete-version-key (DC640), in the cases the rule
examples cannot express: override files, ``extends``, shared fragments, ranges, addresses."""
from __future__ import annotations

from linter.engine.runner import Linter

OVERRIDE = "compose.override.yaml"


def lint(catalog, code: str, text: str, override: str | None = None) -> list:
    linter = Linter([rule for rule in catalog if rule.code == code], catalog)
    companions = [(OVERRIDE, override)] if override is not None else []
    return linter.lint_bytes(text.encode(), "compose.yaml", kind="compose", companions=companions).findings


def at(findings) -> list[str]:
    return [f"{f.span.path}:{f.span.line}:{f.span.column}" for f in findings]


def services(**ports: list[str]) -> str:
    """A Compose file whose services publish the given short-syntax ports."""
    lines = ["services:"]
    for name, entries in ports.items():
        lines += [f"  {name}:", "    image: example/app:1.0", "    ports:"]
        lines += [f'      - "{entry}"' for entry in entries]
    return "\n".join(lines) + "\n"


# -- duplicate-published-port -------------------------------------------------------------


def test_a_port_the_override_adds_clashes_with_the_main_file(catalog):
    base = services(web=["8080:80"], api=["9000:9000"])
    override = "services:\n  api:\n    ports:\n      - \"8080:9000\"\n"
    findings = lint(catalog, "DC407", base, override)
    assert at(findings) == [f"{OVERRIDE}:4:9"]
    assert findings[0].message.startswith(
        "service `api` publishes host port 8080/tcp on every address, which service `web` already publishes "
        "(line 5 of compose.yaml); the container that starts second fails with \"port is already allocated\"")
    assert lint(catalog, "DC407", base) == []


def test_an_inherited_port_is_reported_at_extends(catalog):
    text = (
        "services:\n"
        "  web:\n"
        "    image: nginx:1.27\n"
        "    ports: [\"8080:80\"]\n"
        "  web-canary:\n"
        "    extends: web\n"
        "    image: nginx:1.28\n"
    )
    findings = lint(catalog, "DC407", text)
    assert at(findings) == ["compose.yaml:6:5"]
    assert "service `web-canary` publishes host port 8080/tcp" in findings[0].message
    assert "which service `web` already publishes (line 4)" in findings[0].message


def test_a_port_from_a_shared_fragment_is_reported_at_the_second_service(catalog):
    text = (
        "x-web: &web\n"
        "  image: nginx:1.27\n"
        "  ports: [\"8080:80\"]\n"
        "services:\n"
        "  blue:\n"
        "    <<: *web\n"
        "  green:\n"
        "    <<: *web\n"
    )
    assert at(lint(catalog, "DC407", text)) == ["compose.yaml:7:3"]


def test_overlapping_ranges_are_reported_once_per_entry(catalog):
    text = services(a=["8000-8005:8000-8005"], b=["8003-8004:3-4", "8010:80"], c=["8004:80/udp"])
    findings = lint(catalog, "DC407", text)
    assert at(findings) == ["compose.yaml:9:9"]
    assert "host port 8003/tcp" in findings[0].message


def test_a_host_range_for_one_container_port_is_not_a_fixed_port(catalog):
    text = (
        "services:\n"
        "  web:\n"
        "    image: nginx:1.27\n"
        "    scale: 3\n"
        "    ports:\n"
        "      - \"8080-8082:80\"\n"
        "      - target: 443\n"
        "        published: 8443-8445\n"
        "  other:\n"
        "    image: example/app:1.0\n"
        "    ports: [\"8081:80\"]\n"
    )
    assert lint(catalog, "DC407", text) == []


def test_unresolved_variables_are_skipped_and_defaults_are_read(catalog):
    unknown = services(a=["${PORT}:80", "${HOST_IP}:9000:9000"], b=["${PORT}:80", "9000:9000"])
    assert lint(catalog, "DC407", unknown) == []
    defaults = services(a=["${PORT:-8080}:80"], b=["0.0.0.0:8080:80"])
    assert at(lint(catalog, "DC407", defaults)) == ["compose.yaml:9:9"]


def test_host_addresses_overlap_as_the_kernel_binds_them(catalog):
    def clashes(first: str, second: str) -> bool:
        return bool(lint(catalog, "DC407", services(a=[f"{first}:8080:80"], b=[f"{second}:8080:80"])))

    assert clashes("0.0.0.0", "127.0.0.1")
    assert clashes("[::]", "127.0.0.1")
    assert clashes("[::1]", "[0:0::1]")
    assert not clashes("127.0.0.1", "127.0.0.2")
    assert not clashes("127.0.0.1", "[::1]")
    assert not clashes("0.0.0.0", "[::1]")


def test_long_syntax_is_compared_with_the_short_one(catalog):
    text = (
        "services:\n"
        "  dns:\n"
        "    image: example/dns:1.0\n"
        "    ports: [\"53:53/udp\"]\n"
        "  resolver:\n"
        "    image: example/resolver:2.0\n"
        "    ports:\n"
        "      - target: 5353\n"
        "        published: \"53\"\n"
        "        host_ip: 0.0.0.0\n"
        "        protocol: UDP\n"
        "      - target: 53\n"
        "        published: 53\n"
        "        protocol: tcp\n"
    )
    assert at(lint(catalog, "DC407", text)) == ["compose.yaml:9:20"]


def test_profiles_decide_which_services_run_together(catalog):
    def text(first: str, second: str) -> str:
        return (
            "services:\n"
            f"  a:\n    image: example/app:1.0\n    {first}\n    ports: [\"8080:80\"]\n"
            f"  b:\n    image: example/app:1.0\n    {second}\n    ports: [\"8080:80\"]\n"
        )

    assert lint(catalog, "DC407", text("profiles: [cpu]", "profiles: [gpu]")) == []
    assert at(lint(catalog, "DC407", text("profiles: [cpu, all]", "profiles: [gpu, all]"))) == ["compose.yaml:9:13"]
    assert at(lint(catalog, "DC407", text("restart: always", "profiles: [debug]"))) == ["compose.yaml:9:13"]


def test_replicas_clash_with_each_other(catalog):
    text = (
        "services:\n"
        "  web:\n"
        "    image: nginx:1.27\n"
        "    scale: 3\n"
        "    ports: [\"8080:80\", \"8443-8444:443-444\", \"9000\"]\n"
        "  swarm:\n"
        "    image: nginx:1.27\n"
        "    deploy: {replicas: 2}\n"
        "    ports:\n"
        "      - {target: 80, published: 7000, mode: ingress}\n"
        "  off:\n"
        "    image: nginx:1.27\n"
        "    deploy: {replicas: 0}\n"
        "    ports: [\"8080:80\"]\n"
    )
    findings = lint(catalog, "DC407", text)
    assert at(findings) == ["compose.yaml:5:13", "compose.yaml:5:24"]
    assert findings[0].message == (
        "service `web` publishes host port 8080/tcp on every address and runs 3 containers (`scale: 3`), each of "
        "which binds it; the container that starts second fails with \"port is already allocated\" — publish a "
        "host port range with a port for each container (`8080-8082:80`), or leave the host port out and let "
        "Docker choose one")
    assert findings[1].message.endswith("leave the host ports out and let Docker choose them")


def test_ports_docker_never_binds_do_not_clash(catalog):
    text = (
        "services:\n"
        "  web:\n"
        "    image: nginx:1.27\n"
        "    ports: [\"8080:80\"]\n"
        "  proxy:\n"
        "    image: nginx:1.27\n"
        "    network_mode: host\n"
        "    ports: [\"8080:80\"]\n"
        "  sidecar:\n"
        "    image: example/sidecar:1.0\n"
        "    network_mode: service:web\n"
        "    ports: [\"8080:80\"]\n"
        "    scale: 2\n"
    )
    assert lint(catalog, "DC407", text) == []


def test_two_entries_of_one_service_clash(catalog):
    findings = lint(catalog, "DC407", services(web=["8080:80", "127.0.0.1:8080:8081", "0.0.0.0:8443:443",
                                                    "0.0.0.0:8443:443/tcp"]))
    assert at(findings) == ["compose.yaml:6:9"]
    assert "which it already publishes (line 5)" in findings[0].message


# -- duplicate-container-name -------------------------------------------------------------


def test_a_container_name_from_the_override_clashes(catalog):
    base = "services:\n  db:\n    image: postgres:17\n    container_name: db\n"
    override = "services:\n  cache:\n    image: redis:7.4\n    container_name: db\n"
    findings = lint(catalog, "DC408", base, override)
    assert at(findings) == [f"{OVERRIDE}:4:21"]
    assert findings[0].message.startswith(
        "service `cache` sets `container_name: db`, which service `db` already uses (line 4 of compose.yaml)")


def test_an_inherited_container_name_is_reported_at_extends(catalog):
    text = (
        "services:\n"
        "  worker:\n"
        "    image: example/worker:3\n"
        "    container_name: worker\n"
        "  worker-eu:\n"
        "    extends:\n"
        "      service: worker\n"
        "    environment: {REGION: eu}\n"
    )
    assert at(lint(catalog, "DC408", text)) == ["compose.yaml:6:5"]


def test_an_override_that_renames_the_container_ends_the_clash(catalog):
    base = (
        "services:\n"
        "  db:\n    image: postgres:17\n    container_name: db\n"
        "  db-test:\n    image: postgres:17\n    container_name: db\n"
    )
    assert at(lint(catalog, "DC408", base)) == ["compose.yaml:7:21"]
    assert lint(catalog, "DC408", base, "services:\n  db-test:\n    container_name: db-test\n") == []


# -- obsolete-version-key -----------------------------------------------------------------


def test_the_version_key_is_reported_in_the_file_it_comes_from(catalog):
    base = "services:\n  web:\n    image: nginx:1.27\n"
    override = "version: \"3.9\"\nservices:\n  web:\n    ports: [\"8080:80\"]\n"
    findings = lint(catalog, "DC640", base, override)
    assert at(findings) == [f"{OVERRIDE}:1:1"]
    assert findings[0].message == ("the top-level `version` key is obsolete: Compose ignores it and warns about "
                                   "it on every command — delete the line")
    assert at(lint(catalog, "DC640", "version: \"2.4\"\n" + base, "services: {}\n")) == ["compose.yaml:1:1"]
