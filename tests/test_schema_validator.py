"""linter/parsers/schema.py, dlint's own JSON Schema validator, with jsonschema's
Draft202012Validator as the oracle: on every Compose and Kubernetes document of the tests, the
examples and a seeded corpus sample, and on mutations of them, both find the same errors (where,
which keyword) and, inside anyOf/oneOf, the same errors for each branch."""
from __future__ import annotations

import copy
import json
import sys
import textwrap
from collections import defaultdict

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.discover import discover
from linter.parsers.kubernetes import parse_kubernetes
from linter.parsers.schema import compile_schema
from linter.parsers.validation import validate_document, yaml12_data
from linter.parsers.yaml import MAX_DEPTH, parse_yaml
from tests.conftest import ROOT, corpus_generator
from tests.test_startup_imports import run_dlint

SCHEMAS = {name: json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
           for name in ("compose", "kubernetes", "config")}
OURS = {name: compile_schema(schema) for name, schema in SCHEMAS.items()}
THEIRS = {name: jsonschema.Draft202012Validator(schema) for name, schema in SCHEMAS.items()}


def _documents(paths, kinds: dict) -> list[tuple[str, str, object]]:
    """(name, schema, data) of every Compose document and Kubernetes object in ``paths``."""
    found = []
    for path in paths:
        try:
            stream = parse_yaml(path.read_text(encoding="utf-8"), str(path))
        except (OSError, UnicodeDecodeError):
            continue
        name = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else "/".join(path.parts[-3:])
        if kinds[path] == "compose":
            found += [(name, "compose", yaml12_data(document.root)) for document in stream.documents
                      if document.root is not None]
        else:
            found += [(f"{name}#{index}", "kubernetes", obj.node.to_data())
                      for index, obj in enumerate(parse_kubernetes(stream.documents, str(path)).objects)]
    return found


def _kinds(folders) -> dict:
    kinds = {}
    for target in discover([str(folder) for folder in folders]).targets:
        if target.kind in ("compose", "kubernetes"):
            kinds[ROOT.joinpath(target.path).resolve()] = target.kind
    for path in (ROOT / "tests" / "fixtures" / "compose").rglob("*.yaml"):  # named for what they test
        kinds[path.resolve()] = "compose"
    return kinds


REPOSITORY_KINDS = _kinds([ROOT / "tests", ROOT / "examples"])
DOCUMENTS = _documents(sorted(REPOSITORY_KINDS), REPOSITORY_KINDS)


@pytest.fixture(scope="module")
def corpus_documents(tmp_path_factory):
    corpus = corpus_generator()
    folder = tmp_path_factory.mktemp("corpus")
    files = corpus.generate(folder, 300, seed=7)
    kinds = {file.path.resolve(): file.kind for file in files if file.kind in ("compose", "kubernetes")}
    return _documents(sorted(kinds), kinds)


# -- the same errors as jsonschema ----------------------------------------------------------------


def ours(errors, trail=()) -> set:
    """Each error as (its anyOf/oneOf ancestors with branch indexes, path, path relative to the
    nearest of them, keyword, message), the errors of every branch included."""
    found = set()
    for error in errors:
        found.add((trail, error.path, error.relative_path, error.keyword, _message(error.keyword, error.message)))
        for index, branch in (error.branches or {}).items():
            found |= ours(branch, trail + ((error.path, error.keyword, index),))
    return found


def theirs(errors, trail=()) -> set:
    found = set()
    for error in errors:
        path = tuple(error.absolute_path)
        found.add((trail, path, tuple(error.relative_path), error.validator, _message(error.validator, error.message)))
        branches = defaultdict(list)
        for sub in error.context or ():
            branches[sub.relative_schema_path[0]].append(sub)
        for index, branch in branches.items():
            found |= theirs(branch, trail + ((path, error.validator, index),))
    return found


def _message(keyword: str, message: str) -> str:
    # A oneOf that several branches satisfy: jsonschema lists their schemas, we do not.
    several = " is valid under each of " in message or " is valid under more than one " in message
    return f"{keyword}: several branches" if several else message


def assert_same_errors(schema: str, data) -> None:
    assert ours(OURS[schema].errors(data)) == theirs(THEIRS[schema].iter_errors(data))


def test_the_repository_holds_documents_of_both_kinds_valid_and_not():
    kinds = {kind for _, kind, _ in DOCUMENTS}
    assert kinds == {"compose", "kubernetes"}
    invalid = {kind for _, kind, data in DOCUMENTS if OURS[kind].errors(data)}
    assert invalid == {"compose", "kubernetes"}
    assert len(DOCUMENTS) >= 40


@pytest.mark.parametrize("name, schema, data", DOCUMENTS, ids=[name for name, _, _ in DOCUMENTS])
def test_same_errors_as_jsonschema_on_the_repository_documents(name, schema, data):
    assert_same_errors(schema, data)


def test_same_errors_as_jsonschema_on_a_corpus_sample(corpus_documents):
    assert {kind for _, kind, _ in corpus_documents} == {"compose", "kubernetes"}
    for name, schema, data in corpus_documents:
        assert ours(OURS[schema].errors(data)) == theirs(THEIRS[schema].iter_errors(data)), name


# Values a mutation puts somewhere: every JSON type, bool beside 1 and 0, 1.0 beside 1, numbers
# out of range, strings too short, too long or not matching, lists with equal items.
ODD_VALUES = [None, True, False, 0, 1, 1.0, 1.5, -1, 70000, "", "x", "yes", "Not Valid!", "x" * 300, "${VAR}",
              [], [1, True], [1, 1.0], [[1], [True]], ["a", "a"], [{"a": 1}, {"a": True}], [{"a": 1}, {"a": 1.0}],
              {}, {"unknown-key": 1}, {"name": True}]
ODD_KEYS = ["unknown", "x-extra", "imagee", "bad key!", "name", "kind", "apiVersion", "metadata", "type", "target"]


def _locations(data) -> list[tuple[tuple, object]]:
    """(path, value) of every value in ``data``, the root's included."""
    found, pending = [], [((), data)]
    while pending:
        path, value = pending.pop()
        found.append((path, value))
        if isinstance(value, dict):
            pending += [((*path, key), item) for key, item in value.items()]
        elif isinstance(value, list):
            pending += [((*path, index), item) for index, item in enumerate(value)]
    return found


def _replace(data, path: tuple, value):
    if not path:
        return value
    holder = data
    for key in path[:-1]:
        holder = holder[key]
    holder[path[-1]] = value
    return data


# Which values each mutation applies to.
CHANGES = {
    "replace": lambda value: True,
    "wrap": lambda value: True,
    "add key": lambda value: isinstance(value, dict),
    "remove key": lambda value: isinstance(value, dict) and value,
    "repeat item": lambda value: isinstance(value, list) and value,
    "edit text": lambda value: isinstance(value, str),
}


@st.composite
def mutated(draw, documents: list):
    """A document with one to three mutations: a value of another type or out of range, an
    unknown key, a key removed, an item repeated, a value wrapped in a list or a mapping, a
    string changed a little (a case, a character)."""
    data = copy.deepcopy(draw(st.sampled_from(documents)))
    for _ in range(draw(st.integers(1, 3))):
        change = draw(st.sampled_from(sorted(CHANGES)))
        places = [(path, value) for path, value in _locations(data) if CHANGES[change](value)]
        if not places:
            continue
        path, value = draw(st.sampled_from(places))
        if change == "add key":
            value[draw(st.sampled_from(ODD_KEYS))] = copy.deepcopy(draw(st.sampled_from(ODD_VALUES)))
        elif change == "remove key":
            del value[draw(st.sampled_from(sorted(value)))]
        elif change == "repeat item":
            value.append(copy.deepcopy(draw(st.sampled_from(value))))
        elif change == "wrap":
            data = _replace(data, path, draw(st.sampled_from([[value], {"key": value}])))
        elif change == "edit text":
            data = _replace(data, path, draw(st.sampled_from([value.upper(), value + "x", value[:-1], " " + value])))
        else:
            data = _replace(data, path, copy.deepcopy(draw(st.sampled_from(ODD_VALUES))))
    return data


MUTATION_SETTINGS = settings(max_examples=200, deadline=None,
                             suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@MUTATION_SETTINGS
@given(mutated([data for _, kind, data in DOCUMENTS if kind == "compose"]))
def test_same_errors_as_jsonschema_on_mutated_compose_files(data):
    assert_same_errors("compose", data)


@MUTATION_SETTINGS
@given(mutated([data for _, kind, data in DOCUMENTS if kind == "kubernetes"]))
def test_same_errors_as_jsonschema_on_mutated_kubernetes_objects(data):
    assert_same_errors("kubernetes", data)


_RULES = st.sampled_from(["DF501", "base-image-unpinned", "DF", "ALL", "", 7, None])
_SETTING_VALUES = st.one_of(st.sampled_from(ODD_VALUES), st.lists(_RULES, max_size=3),
                            st.dictionaries(st.sampled_from(["DF501", "**/legacy/**", "cpu-hour", "currency",
                                                             "memory-gib-hour", "gpu-hour", "storage-gib-month"]),
                                            st.one_of(_RULES, st.sampled_from(["error", "info", "fatal", "EUR", "euro",
                                                                               0.5, -1, True]),
                                                      st.lists(_RULES, max_size=2)), max_size=5))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from([*SCHEMAS["config"]["properties"], "selct", "prices"]), _SETTING_VALUES,
                       max_size=6))
def test_same_configuration_errors_as_jsonschema_in_the_same_order(config):
    # A configuration error shows the first error by path: the order matters, and the wording.
    mine = sorted(OURS["config"].errors(config), key=lambda error: [str(part) for part in error.path])
    oracle = sorted(THEIRS["config"].iter_errors(config), key=lambda error: [str(part) for part in error.absolute_path])
    assert [(error.path, error.keyword, error.message) for error in mine] == \
        [(tuple(error.absolute_path), error.validator, error.message) for error in oracle]


# -- semantics, on small schemas ------------------------------------------------------------------


def errors_of(schema: dict, instance) -> list[tuple[tuple, str]]:
    return sorted((error.path, error.keyword) for error in compile_schema(schema).errors(instance))


@pytest.mark.parametrize("schema, instance, expected", [
    ({"type": "integer"}, 1.0, []),
    ({"type": "integer"}, 1.5, [((), "type")]),
    ({"type": "integer"}, True, [((), "type")]),
    ({"type": "number"}, False, [((), "type")]),
    ({"type": ["string", "null"]}, None, []),
    ({"enum": [1, "a"]}, True, [((), "enum")]),
    ({"enum": [1, "a"]}, 1.0, []),
    ({"enum": [[1], {"a": 0}]}, [True], [((), "enum")]),
    ({"enum": [[1], {"a": 0}]}, {"a": 0.0}, []),
    ({"const": True}, 1, [((), "const")]),
    ({"const": "v1"}, "v1", []),
    ({"uniqueItems": True}, [1, True, "1", [1], [True]], []),
    ({"uniqueItems": True}, [1, 1.0], [((), "uniqueItems")]),
    ({"uniqueItems": True}, [{"a": [1]}, {"a": [1.0]}], [((), "uniqueItems")]),
    # jsonschema sorts the items and compares neighbours, so it misses this one
    ({"uniqueItems": True}, [[1], [True], [1]], [((), "uniqueItems")]),
    ({"pattern": "b"}, "abc", []),
    ({"pattern": "^b"}, "abc", [((), "pattern")]),
    ({"pattern": "^b", "minLength": 5, "required": ["a"], "minItems": 1}, 3, []),
    ({"minimum": 1, "maximum": 2, "minItems": 1}, "long text", []),
    ({"minimum": 1}, False, []),
    ({"maximum": 0}, True, []),
    ({"minimum": 1, "maximum": 2}, 2.5, [((), "maximum")]),
    ({"maxLength": 2, "pattern": "^[a-z]+$"}, "ABC", [((), "maxLength"), ((), "pattern")]),
    ({"properties": {"a": {"type": "string"}}, "patternProperties": {"^x": {"type": "integer"}},
      "additionalProperties": {"type": "boolean"}}, {"a": 1, "xa": "s", "b": 0},
     [(("a",), "type"), (("b",), "type"), (("xa",), "type")]),
    ({"items": {"type": "string"}}, ["a", 1, None], [((1,), "type"), ((2,), "type")]),
    ({"propertyNames": {"pattern": "^[a-z]+$"}}, {"ok": 1, "Not": 2}, [((), "pattern")]),
    ({"dependentRequired": {"a": ["b", "c"]}}, {"a": 1, "c": 2}, [((), "dependentRequired")]),
    ({"$defs": {"name": {"type": "string"}}, "$ref": "#/$defs/name", "minLength": 3}, "ab", [((), "minLength")]),
    ({"$defs": {"name": {"type": "string"}}, "$ref": "#/$defs/name", "minLength": 3}, 7, [((), "type")]),
    ({"if": {"required": ["a"]}, "then": {"required": ["b"]}, "else": {"required": ["c"]}}, {"a": 1},
     [((), "required")]),
    ({"if": {"required": ["a"]}, "then": {"required": ["b"]}, "else": {"required": ["c"]}}, {"c": 1}, []),
    ({"not": {"type": "string"}}, "s", [((), "not")]),
    ({"allOf": [{"type": "object"}, {"required": ["a"]}]}, {}, [((), "required")]),
])
def test_semantics(schema, instance, expected):
    assert errors_of(schema, instance) == expected


def test_every_error_is_reported_not_only_the_first():
    schema = {"type": "object", "required": ["a", "b"], "additionalProperties": False,
              "properties": {"c": {"type": "string"}, "d": {"enum": ["x"]}}}
    errors = compile_schema(schema).errors({"c": 1, "d": "y", "e": 0, "f": 0})
    assert [(error.keyword, error.path) for error in errors] == [
        ("required", ()), ("required", ()), ("additionalProperties", ()), ("type", ("c",)), ("enum", ("d",))]
    assert [error.missing for error in errors[:2]] == ["a", "b"]
    assert errors[2].unexpected == ("e", "f")
    assert errors[2].message == "Additional properties are not allowed ('e', 'f' were unexpected)"
    assert errors[4].keyword_value == ["x"] and errors[4].instance == "y" and errors[4].schema == {"enum": ["x"]}


def test_alternatives_keep_the_errors_of_each_branch():
    schema = {"properties": {"port": {"anyOf": [
        {"type": "integer", "minimum": 1},
        {"type": "object", "required": ["target"], "properties": {"target": {"type": "integer"}}}]}}}
    [error] = compile_schema(schema).errors({"port": {"target": "80", "other": 1}})
    assert (error.keyword, error.path, error.parent) == ("anyOf", ("port",), None)
    assert {index: [(sub.keyword, sub.path, sub.relative_path) for sub in subs]
            for index, subs in error.branches.items()} == {
        0: [("type", ("port",), ())],
        1: [("type", ("port", "target"), ("target",))]}
    assert all(sub.parent is error for subs in error.branches.values() for sub in subs)


def test_one_of_fails_when_none_or_several_branches_hold():
    schema = {"oneOf": [{"type": "string"}, {"pattern": "^a"}]}
    assert compile_schema(schema).errors("abc")[0].branches == {}  # both hold
    assert compile_schema(schema).errors("bcd") == []  # one holds
    [error] = compile_schema({"oneOf": [{"type": "string"}, {"type": "null"}]}).errors(3)
    assert sorted(error.branches) == [0, 1]


def test_a_recursive_schema_is_compiled_once():
    tree = {"$defs": {"tree": {"type": "array", "items": {"$ref": "#/$defs/tree"}}}, "$ref": "#/$defs/tree"}
    data = [[[], [[1]]]]
    assert errors_of(tree, data) == [((0, 1, 0, 0), "type")]


@pytest.mark.parametrize("schema, words", [
    ({"properties": {"a": {"format": "email"}}}, ["'format'", "#/properties/a/format"]),
    ({"$defs": {"x/y": {"maxItems": 2}}}, ["'maxItems'", "#/$defs/x~1y/maxItems"]),
    ({"items": {"$ref": "other.schema.json"}}, ["other.schema.json", "#/items/$ref"]),
    ({"items": {"$ref": "#/$defs/missing"}}, ["#/$defs/missing", "points at nothing"]),
    ({"$schema": "http://json-schema.org/draft-07/schema#"}, ["draft-07"]),
    ({"type": "text"}, ["'text'", "#/type"]),
])
def test_a_keyword_it_cannot_check_is_refused_when_compiling(schema, words):
    with pytest.raises(ValueError) as refused:
        compile_schema(schema)
    assert all(word in str(refused.value) for word in words)


@pytest.mark.parametrize("name, valid, invalid, keyword", [
    ("compose", {"services": {"web": {"image": "x"}}}, {"services": {"web": {"image": 1}}}, "type"),
    ("kubernetes", {"apiVersion": "v1", "kind": "ConfigMap"}, {"kind": "ConfigMap"}, "required"),
    ("config", {"fail-on": "error"}, {"fail-on": "sometimes"}, "enum"),
])
def test_the_shipped_schemas_compile(name, valid, invalid, keyword):
    compiled = compile_schema(SCHEMAS[name])
    assert compiled.errors(valid) == []
    assert [error.keyword for error in compiled.errors(invalid)] == [keyword]


# -- hostile data ---------------------------------------------------------------------------------


def _nested_lists(levels: int) -> str:
    text = "{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: a, image: 'a:1', " \
           "ports: [{containerPort: 0}]}]}}"
    for _ in range(levels):
        text = "{apiVersion: v1, kind: List, items: [" + text + "]}"
    return text


def test_the_deepest_document_the_yaml_reader_accepts_validates_within_half_the_recursion_limit():
    # Kubernetes Lists nest in the schema (an item is any object, a List again), so the
    # validator recurses as deep as the document: as deep as the YAML reader lets it.
    levels = MAX_DEPTH // 2
    while parse_yaml(_nested_lists(levels), "list.yaml").problems:
        levels -= 1
    assert levels > MAX_DEPTH // 2 - 10
    root = parse_yaml(_nested_lists(levels), "list.yaml").documents[0].root
    limit = sys.getrecursionlimit()
    frames = 0
    frame = sys._getframe()
    while frame is not None:
        frames, frame = frames + 1, frame.f_back
    sys.setrecursionlimit(frames + 500)
    try:
        found = validate_document(root, SCHEMAS["kubernetes"], yaml11=True)
    finally:
        sys.setrecursionlimit(limit)
    assert [message for message, _ in found] == ["'containerPort' must be at least 1, not 0"]


def test_huge_lists_are_checked_in_linear_time():
    # 10,000 long-syntax ports (mappings) with one repeated: comparing every pair, as jsonschema
    # does for items it cannot sort, would take 50 million comparisons.
    ports = "".join(f"      - {{target: {port}, published: {port}}}\n" for port in range(1, 10_001))
    text = f"services:\n  web:\n    image: x\n    ports:\n{ports}      - {{target: 7, published: 7}}\n" \
           f"    expose: [{', '.join(['80'] * 20_000)}]\n"
    root = parse_yaml(text, "compose.yaml").documents[0].root
    assert [(span.line, message) for message, span in validate_document(root, SCHEMAS["compose"])] == [
        (5, "'ports' lists the same item more than once"),
        (10_006, "'expose' lists the same item more than once")]


def test_messages_for_string_and_list_bounds():
    stream = parse_yaml(textwrap.dedent("""\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: []
              volumes: [{name: v, hostPath: {path: ""}}]
    """), "k.yaml")
    found = [(span.line, message) for message, span in
             validate_document(stream.documents[0].root, SCHEMAS["kubernetes"], yaml11=True)]
    assert found == [(9, "'containers' must not be empty"), (10, "'path' must not be empty")]
    long_name = "a" * 254
    stream = parse_yaml(f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {long_name}}}\n", "k.yaml")
    found = [message for message, _ in validate_document(stream.documents[0].root, SCHEMAS["kubernetes"], True)]
    assert found == ["'name' must be at most 253 characters long, not 254"]


# -- what a run imports ---------------------------------------------------------------------------


@pytest.mark.parametrize("name, text, rule", [
    ("compose.yaml", "services:\n  web:\n    image: nginx:1.27\n    imagee: x\n", "compose-schema-violation"),
    ("deploy.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: 'a:1'}]\n"
                    "  restartPolicy: Sometimes\n", "kubernetes-schema-violation"),
])
@pytest.mark.parametrize("config", [None, "fail-on: warning\n"], ids=["no-config", "config"])
def test_a_compose_or_kubernetes_run_never_imports_jsonschema(tmp_path, name, text, rule, config):
    (tmp_path / name).write_text(text)
    if config is not None:
        (tmp_path / ".dlint.yaml").write_text(config)
    code, modules = run_dlint(tmp_path, "check", "--select", rule, "--fail-on", "info", name)
    assert code == 1  # the schema error was found: the document was validated
    assert "linter.parsers.schema" in modules
    assert not any(module == "jsonschema" or module.startswith("jsonschema.") for module in modules)
