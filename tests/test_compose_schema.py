"""dlint's Compose schema (schemas/compose.schema.json) and the validator that reports its errors
at the right keys; checked against the official Compose schema as an oracle."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.parsers.validation import validate_document, yaml12_data
from linter.parsers.yaml import parse_yaml
from tests.test_compose_model import DOCUMENTS, SERVICES, _stream

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "compose"
SCHEMA = json.loads((ROOT / "schemas" / "compose.schema.json").read_text(encoding="utf-8"))
OFFICIAL = ROOT.parent / "shared" / "schemas" / "compose-spec.schema.json"


def errors(text: str, schema: dict = SCHEMA) -> list[tuple[int, int, str]]:
    stream = parse_yaml(textwrap.dedent(text), "compose.yaml")
    assert not stream.problems, stream.problems
    return [(span.line, span.column, message) for message, span in validate_document(stream.documents[0].root, schema)]


def test_schema_is_valid_draft_2020_12():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_error_at_once_each_at_its_key():
    assert errors("""
        services:
          web:
            image: nginx
            volumez: [data:/data]
            deploy:
              resources:
                limits: {cpu: 1, memory: 1g}
          db:
            image: postgres
            enviroment: [A=1]
        networkz: {}
    """) == [
        (5, 5, "unknown key 'volumez' in 'services.web' (did you mean 'volumes'?)"),
        (8, 18, "unknown key 'cpu' in 'services.web.deploy.resources.limits' (did you mean 'cpus'?)"),
        (11, 5, "unknown key 'enviroment' in 'services.db' (did you mean 'environment'?)"),
        (12, 1, "unknown key 'networkz' in the top level (did you mean 'networks'?)"),
    ]


def test_unknown_key_without_a_close_match():
    assert errors("services:\n  web:\n    image: x\n    frobnicate: 1\n") == [
        (4, 5, "unknown key 'frobnicate' in 'services.web'")]


def test_type_errors_at_the_value():
    assert errors("""
        services:
          web:
            image: [nginx]
            ports: "80:80"
            privileged: 1
            environment: 5
            command: {a: b}
    """) == [
        (4, 12, "'image' must be a string, not a list"),
        (5, 12, "'ports' must be a list, not a string"),
        (6, 17, "'privileged' must be true or false or a string, not an integer"),
        (7, 18, "'environment' must be a mapping or a list, not an integer"),
        (8, 14, "'command' must be empty (null), a string or a list, not a mapping"),
    ]


def test_alternatives_report_the_branch_that_was_meant():
    # a long-syntax port with a misspelled key: the object branch is reported, not "not valid under any"
    assert errors("""
        services:
          web:
            image: x
            ports:
              - target: 80
                publised: 8080
            depends_on:
              db: {condition: service_healty}
            volumes:
              - type: volum
                target: /data
    """) == [
        (7, 9, "unknown key 'publised' in 'services.web.ports[0]' (did you mean 'published'?)"),
        (9, 23, "'service_healty' is not a valid 'condition': expected service_started, service_healthy, "
                "service_completed_successfully (did you mean 'service_healthy'?)"),
        (11, 15, "'volum' is not a valid 'type': expected bind, volume, tmpfs, cluster, npipe, image "
                 "(did you mean 'volume'?)"),
    ]


def test_missing_required_key_at_the_parent():
    assert errors("""
        services:
          web:
            image: x
            depends_on:
              db:
                restart: true
    """) == [(6, 7, "'db' is missing the required key 'condition'")]


def test_strict_values_have_their_own_messages():
    assert errors("""
        name: Shop
        services:
          web:
            image: x
            restart: allways
            stop_grace_period: "10"
            healthcheck: {interval: 5}
    """) == [
        (2, 7, "'Shop' is not a valid project name: lowercase letters, digits, '_' and '-', starting with a letter "
               "or digit"),
        (6, 14, "'allways' is not a restart policy: no, always, on-failure[:max-retries] or unless-stopped"),
        (7, 24, "'10' is not a duration: write a number with a unit, such as 30s, 1m30s or 500ms"),
        (8, 29, "'5' is not a duration: write a number with a unit, such as 30s, 1m30s or 500ms"),
    ]


def test_open_where_compose_is_open():
    assert errors("""
        x-common: &common {restart: always}
        services:
          web:
            <<: *common
            image: x
            x-dlint-ignore: [DC101]
            restart: on-failure:3
            deploy:
              x-team: web
              resources:
                x-note: small
            networks:
              front:
                x-anything: 1
            labels: {any.key: value}
            logging:
              options: {whatever: 1}
        networks:
          front:
            x-owner: me
    """) == []


def test_yaml_1_1_words_and_base_60_are_read_as_compose_reads_them():
    # PyYAML reads `no` as false and 22:22 as 1342; Compose (YAML 1.2) reads both as text.
    assert errors("""
        services:
          web:
            image: x
            restart: no
            ports: [22:22]
            stop_signal: off
            expose: [8080]
    """) == []
    assert errors("services:\n  web:\n    image: x\n    restart: false\n") == [
        (4, 14, "'false' is not a restart policy: no, always, on-failure[:max-retries] or unless-stopped")]


def test_variables_are_accepted_where_numbers_and_booleans_are_expected():
    assert errors("""
        services:
          web:
            image: x
            restart: ${RESTART:-always}
            use_api_socket: ${USE_SOCKET:-false}
            stop_grace_period: ${GRACE}
            depends_on:
              db: {condition: service_healthy, required: "${DB_REQUIRED:-true}"}
            networks:
              back: {priority: "${PRIORITY}"}
    """) == []
    assert errors("services:\n  web:\n    image: x\n    use_api_socket: maybe\n") == [
        (4, 21, "'maybe' must be true or false")]


def test_services_must_be_named_well():
    assert errors("services:\n  my web:\n    image: x\n") == [
        (2, 3, "'my web' is not a valid name in 'services' (it must match ^[a-zA-Z0-9._-]+$)")]


def test_a_non_mapping_document():
    stream = parse_yaml("- a\n", "compose.yaml")
    [(message, span)] = validate_document(stream.documents[0].root, SCHEMA)
    assert message == "'the document' must be a mapping, not a list" and (span.line, span.column) == (1, 1)


def test_validation_module_does_not_import_jsonschema():
    code = "import sys, linter.parsers.validation, linter.parsers.compose; print('jsonschema' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(("name", "expected"), [
    ("invalid-misspelled.yaml", [
        (5, 5, "unknown key 'volumez' in 'services.web' (did you mean 'volumes'?)"),
        (7, 5, "unknown key 'enviroment' in 'services.web' (did you mean 'environment'?)"),
        (11, 9, "unknown key 'limit' in 'services.web.deploy.resources' (did you mean 'limits'?)"),
        (16, 7, "'cache' is missing the required key 'condition'"),
        (17, 9, "unknown key 'conditon' in 'services.db.depends_on.cache' (did you mean 'condition'?)"),
        (20, 1, "unknown key 'volume' in the top level (did you mean 'volumes'?)"),
    ]),
    ("invalid-types.yaml", [
        (5, 12, "'ports' must be a list, not a string"),
        (6, 18, "'environment' must be a mapping or a list, not a string"),
        (7, 11, "'user' must be a string, not an integer"),
        (9, 17, "'replicas' must be an integer or a string, not a list"),
        (11, 13, "'test' must be a string or a list, not an integer"),
        (14, 14, "'command' must be empty (null), a string or a list, not a mapping"),
        (15, 15, "'networks' must be a list or a mapping, not a string"),
    ]),
])
def test_invalid_fixtures(name, expected):
    assert errors((FIXTURES / name).read_text()) == expected


# -- the official schema as an oracle -----------------------------------------------------------

# Where dlint's schema deliberately disagrees with the official one, per fixture: the JSON paths
# (of jsonschema's top-level errors) only dlint reports, and those only the official schema does.
INTENDED = {
    "invalid-strict-values.yaml": {
        "only_dlint": {
            "name": "Compose refuses project names that are not lowercase ([a-z0-9][a-z0-9_-]*); the official "
                    "schema does not check",
            "services.web.restart": "Docker refuses an unknown restart policy when it creates the container; the "
                                    "official schema takes any string",
            "services.web.stop_grace_period": "compose-go parses durations with a unit (time.ParseDuration); the "
                                              "official schema takes any string",
            "services.web.deploy.restart_policy.condition": "only none, on-failure and any exist; the official "
                                                            "schema takes any string",
        },
        "only_official": {},
    },
    "interpolated-typed.yaml": {
        "only_dlint": {},
        "only_official": {
            "services.web.depends_on": "a ${VARIABLE} where a boolean is expected (required) is only known when "
                                       "Compose runs; the official schema validates the raw text and refuses it "
                                       "(compose-spec/compose-spec#501)",
            "services.web.networks": "the same for a number (priority)",
            "services.web.use_api_socket": "the same for a boolean (use_api_socket)",
        },
    },
}
ALL_FIXTURES = sorted(FIXTURES.rglob("*.yaml"))


def _paths(validator, data) -> set[str]:
    found = set()
    for error in validator.iter_errors(data):
        found.add(".".join(str(part) for part in error.absolute_path))
    return found


@pytest.fixture(scope="module")
def official():
    if not OFFICIAL.is_file():
        pytest.skip(f"the official Compose schema is not available ({OFFICIAL})")
    schema = json.loads(OFFICIAL.read_text(encoding="utf-8"))
    # draft-07, named by a $schema URI without the trailing '#' that jsonschema looks up
    return jsonschema.Draft7Validator(schema)


def test_fixture_set_is_broad_enough():
    assert len(ALL_FIXTURES) >= 12
    assert sum(1 for path in ALL_FIXTURES if path.name.startswith("invalid-")) >= 3


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_differential_against_the_official_schema(path, official):
    stream = parse_yaml(path.read_text(encoding="utf-8"), str(path))
    assert not stream.problems
    data = yaml12_data(stream.documents[0].root)
    ours = _paths(jsonschema.Draft202012Validator(SCHEMA), data)
    theirs = _paths(official, data)
    intended = INTENDED.get(path.name, {"only_dlint": {}, "only_official": {}})
    assert ours - theirs == set(intended["only_dlint"]), "dlint reports errors the official schema does not"
    assert theirs - ours == set(intended["only_official"]), "the official schema reports errors dlint does not"
    assert path.name.startswith("invalid-") == bool(ours), "only invalid-* fixtures should fail dlint's schema"


def test_same_keys_as_the_official_schema(official):
    """Every key the official schema knows, dlint's knows too (and no others), at each level."""
    theirs = official.schema

    def keys(schema: dict, definitions: str, name: str) -> set[str]:
        return set(schema[definitions][name]["properties"])

    assert set(SCHEMA["properties"]) == set(theirs["properties"])
    for name in ("service", "healthcheck", "deployment", "network", "volume", "secret", "config", "model",
                 "service_hook", "development"):
        assert keys(SCHEMA, "$defs", name) == keys(theirs, "definitions", name), name
    assert set(SCHEMA["$defs"]["deployment"]["properties"]["resources"]["properties"]["limits"]["properties"]) == \
        set(theirs["definitions"]["deployment"]["properties"]["resources"]["properties"]["limits"]["properties"])



@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.one_of(DOCUMENTS, SERVICES))
def test_validation_never_raises_on_arbitrary_documents(data):
    stream = _stream(data)
    for message, span in validate_document(stream.documents[0].root, SCHEMA):
        assert message and span.line >= 1
