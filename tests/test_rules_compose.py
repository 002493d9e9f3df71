"""Edge cases of the Compose-only rules (DC3xx–DC5xx) that do not fit a documented example."""
from __future__ import annotations

from linter.engine.runner import Linter
from tests.conftest import lint_with


def positions(catalog, text: str, rule: str) -> list[str]:
    return [f"{f.span.line}:{f.span.column}" for f in lint_with(catalog, text, rule, path="compose.yaml")]


def test_ip_literals_are_found_at_their_own_columns(catalog):
    text = (
        "services:\n"
        "  api:\n"
        "    image: example/api:1.4\n"
        "    environment:\n"
        "      DB_HOST: ${DB_HOST:-172.18.0.5}\n"      # a default written in the file is literal
        "      QUOTED: \"http://172.20.1.2:8080\"\n"
        "      FROM_ENV: ${REMOTE_HOST}\n"
        "    command: >\n"
        "      serve --peer 172.19.0.3\n"
    )
    assert positions(catalog, text, "DC402") == ["5:27", "6:23", "8:14"]  # a folded scalar: its start


def test_text_that_only_looks_like_an_address_is_not_reported(catalog):
    text = (
        "services:\n"
        "  api:\n"
        "    image: example/api:1.4\n"
        "    environment:\n"
        "      MAC: \"02:42:ac:11:00:02\"\n"
        "      AT: \"12:30:00\"\n"
        "      SUBNET: 172.18.0.0/16\n"
        "      VERSION: 1.2.3.4\n"
        "      LOOPBACK: 127.0.0.1\n"
        "      ANY: 0.0.0.0\n"
        "      OFFICE_DB: 10.1.2.3\n"
    )
    assert positions(catalog, text, "DC402") == []


def test_a_port_range_is_reported_once_and_ephemeral_ports_count(catalog):
    text = (
        "services:\n"
        "  db:\n"
        "    image: postgres:17\n"
        "    ports:\n"
        "      - \"5430-5440:5430-5440\"\n"
        "      - \"27017\"\n"
        "      - \"[::]:6379:6379\"\n"
        "      - \"127.0.0.1:3306:3306\"\n"
        "    expose: [\"9200\"]\n"
    )
    assert positions(catalog, text, "DC301") == ["5:9", "6:9", "7:9"]


def test_definitions_from_the_override_file_count(catalog):
    base = (
        "services:\n"
        "  db:\n"
        "    image: postgres:17\n"
        "    networks: [backend]\n"
        "    volumes: [\"pgdata:/var/lib/postgresql/data\"]\n"
    )
    override = "networks:\n  backend: {}\nvolumes:\n  pgdata: {}\n"
    rules = [rule for rule in catalog if rule.code in ("DC403", "DC404")]
    linter = Linter(rules, catalog)
    assert len(linter.lint_bytes(base.encode(), "compose.yaml", kind="compose").findings) == 2
    merged = linter.lint_bytes(base.encode(), "compose.yaml", kind="compose",
                               companions=[("compose.override.yaml", override)])
    assert merged.findings == []


def test_test_none_is_a_disabled_health_check(catalog):
    text = (
        "services:\n"
        "  api:\n"
        "    image: example/api:1.4\n"
        "    healthcheck: {test: [\"NONE\"]}\n"
        "    depends_on:\n"
        "      db: {condition: service_healthy}\n"
        "  db:\n"
        "    image: postgres:17\n"
        "    healthcheck:\n"
        "      test: [\"NONE\"]\n"
    )
    assert positions(catalog, text, "DC501") == []           # disabling is a decision
    assert positions(catalog, text, "DC502") == ["6:23"]     # but nothing can become healthy


def test_external_networks_are_not_compared(catalog):
    text = (
        "services:\n"
        "  app:\n"
        "    image: example/app:2.1\n"
        "networks:\n"
        "  legacy:\n"
        "    external: {name: old_net}\n"
        "    ipam: {config: [{subnet: 172.17.0.0/16}]}\n"
        "  shared:\n"
        "    external: true\n"
        "    ipam: {config: [{subnet: 172.17.0.0/16}]}\n"
    )
    assert positions(catalog, text, "DC405") == []


def test_replicas_and_scale_read_through_strings_and_defaults(catalog):
    text = (
        "services:\n"
        "  worker:\n"
        "    image: example/worker:3\n"
        "    container_name: worker\n"
        "    deploy: {replicas: \"${N:-1}\"}\n"
        "  web:\n"
        "    image: nginx:1.27\n"
        "    container_name: web\n"
        "    deploy: {replicas: \"2\"}\n"
    )
    assert positions(catalog, text, "DC406") == ["8:5"]
