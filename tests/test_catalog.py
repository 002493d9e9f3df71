"""The rule catalogue: every rule file is valid, and every example is a test.

Set DLINT_UPDATE=1 to rewrite the generated files (rules/catalog.json and the README's
rule table) after editing rules.
"""
from __future__ import annotations

import json
import os
import re
import string

import pytest

from linter.engine.catalog import (
    COMPILED, COMPILED_DOCS, compile_catalog, load_catalog, read_rule_sources, rule_files, write_compiled,
)
from linter.engine.runner import load_template
from linter.report.rules import render_markdown
from tests.conftest import ROOT, lint_with

RULES = ROOT / "rules"
UPDATE = os.environ.get("DLINT_UPDATE") == "1"
README_TABLE = re.compile(r"(<!-- rules:start -->\n)(.*?)(<!-- rules:end -->)", re.S)


def _example_cases():
    for rule in load_catalog(RULES, docs=True):
        for number, example in enumerate(rule.bad, 1):
            yield pytest.param(rule, example, id=f"{rule.name}-bad{number}")
        for number, example in enumerate(rule.good, 1):
            yield pytest.param(rule, example, id=f"{rule.name}-good{number}")


def test_rule_files_match_the_schema():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "schemas" / "rule.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    problems = []
    for document in read_rule_sources(RULES):
        name = document.pop("_file")
        problems += [f"{name}: {'/'.join(map(str, e.absolute_path))}: {e.message}"
                     for e in validator.iter_errors(document)]
        if name != f"{name.split('/')[0]}/{document.get('name')}.yaml":
            problems.append(f"{name}: file name differs from the rule name {document.get('name')!r}")
        folder = name.split("/")[0]
        targets = document["target"] if isinstance(document["target"], list) else [document["target"]]
        if folder not in targets and not (folder == "workload" and document["code"].startswith("WL")):
            problems.append(f"{name}: folder is neither one of the rule's targets nor workload/ for a WL rule")
    assert problems == []


def test_codes_and_names_are_unique(catalog):
    codes = [rule.code for rule in catalog]
    names = [rule.name for rule in catalog]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)
    assert not set(codes) & set(names)


def test_templates_exist_and_params_are_valid(catalog):
    jsonschema = pytest.importorskip("jsonschema")
    for rule in catalog:
        for check in rule.checks:
            assert set(check.targets) <= set(rule.targets), rule.name
            template = load_template(check.template)
            jsonschema.validate(check.params, template.params)
            for example in rule.bad + rule.good:
                jsonschema.validate({**check.params, **example.config}, template.params)


def test_messages_only_use_fields_the_template_can_fill(catalog):
    for rule in catalog:
        fields = {name for _, name, _, _ in string.Formatter().parse(rule.message) if name}
        assert all(re.fullmatch(r"[a-z_]+", name) for name in fields), rule.name


@pytest.mark.parametrize("rule, example", list(_example_cases()))
def test_example(catalog, rule, example):
    findings = lint_with(catalog, example.code, rule.code, params=example.config, path=example.path,
                         context=example.context)
    def by_position(position: str) -> tuple[int, ...]:
        return tuple(map(int, position.split(":")))

    positions = sorted((f"{f.span.line}:{f.span.column}" for f in findings if f.code == rule.code), key=by_position)
    assert positions == sorted(example.findings, key=by_position), [
        f"{f.span.line}:{f.span.column} {f.message}" for f in findings]
    assert all(f.code == rule.code for f in findings), [f"{f.code} {f.message}" for f in findings]


def test_compiled_catalog_is_fresh():
    if UPDATE:
        write_compiled(RULES)
    for name, expected in zip((COMPILED, COMPILED_DOCS), compile_catalog(RULES)):
        compiled = RULES / name
        assert compiled.is_file(), "run DLINT_UPDATE=1 pytest tests/test_catalog.py"
        assert json.loads(compiled.read_text()) == json.loads(json.dumps(expected)), (
            f"rules/{name} is stale: run DLINT_UPDATE=1 pytest tests/test_catalog.py")


def test_readme_rule_table_is_fresh(catalog):
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    match = README_TABLE.search(text)
    assert match, "README.md lacks the <!-- rules:start --> / <!-- rules:end --> markers"
    table = render_markdown(catalog)
    if UPDATE and match.group(2) != table:
        readme.write_text(text[: match.start(2)] + table + text[match.end(2):], encoding="utf-8")
        return
    assert match.group(2) == table, "README rule table is stale: run DLINT_UPDATE=1 pytest tests/test_catalog.py"


def test_every_rule_file_is_in_the_catalogue(catalog):
    assert len(rule_files(RULES)) == len(catalog)
