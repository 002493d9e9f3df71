"""The CI report formats — SARIF, GitHub annotations, GitLab Code Quality, Checkstyle, JUnit and
Markdown — rendered from what the linter really reports on a small Dockerfile and Compose
file, and parsed back the way the CI system reading them would."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from linter.engine.runner import FileResult, Linter
from linter.model.finding import Edit, Finding
from linter.model.span import Span
from linter.report import checkstyle, github, gitlab, junit, markdown, sarif
from tests.conftest import ROOT

SARIF_SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-2.1.0.schema.json"
FORMATS = (sarif, github, gitlab, checkstyle, junit, markdown)
VERSION = "9.8.7"

DOCKERFILE = "FROM ubuntu\nRUN apt-get update && apt-get install -y python3-pip\n"
COMPOSE = "services:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD: example\n"
CLEAN = "services:\n  db:\n    image: postgres:16\n    healthcheck: {test: [CMD, pg_isready]}\n"
# Fixed so that the expectations hold while the catalogue grows: one error, warnings, and
# info findings with fixes.
SELECTED = ("DF501", "DF201", "DF202", "WL310", "WL502", "DC501")
# (path, code, severity, line, column, end line, end column) of every finding, in output order.
EXPECTED = [
    ("Dockerfile", "DF501", "warning", 1, 6, 1, 12),
    ("Dockerfile", "DF201", "info", 2, 5, 2, 19),
    ("Dockerfile", "DF202", "info", 2, 23, 2, 53),
    ("compose.yaml", "DC501", "info", 2, 3, 2, 5),
    ("compose.yaml", "WL502", "warning", 3, 12, 3, 20),
    ("compose.yaml", "WL310", "error", 5, 26, 5, 33),
]
TRICKY = 'a 100% "sure" <b>bold</b> & \'more\': x,y\nsecond line\r\nthird | `co|de` *star*'


def lint(catalog, files: dict[str, str]) -> list[FileResult]:
    linter = Linter([rule for rule in catalog if rule.code in SELECTED], catalog)
    results = []
    for name, text in files.items():
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        Path(name).write_text(text, encoding="utf-8")
        kind = "yaml" if name.endswith(".yaml") else "dockerfile"
        results.append(linter.lint_bytes(Path(name).read_bytes(), name, kind=kind))
    return results


@pytest.fixture
def results(catalog, tmp_path, monkeypatch) -> list[FileResult]:
    monkeypatch.chdir(tmp_path)
    return lint(catalog, {"Dockerfile": DOCKERFILE, "compose.yaml": COMPOSE, "prod/compose.yaml": CLEAN})


def one(message: str, span: Span, code: str = "DF501", severity: str = "warning", name: str = "base-image-unpinned",
        lines: list[str] | None = None) -> list[FileResult]:
    finding = Finding(code, name, severity, message, span)
    return [FileResult(span.path, [finding], {span.path: lines if lines is not None else ["FROM ubuntu"]})]


def sarif_document(results: list[FileResult], catalog) -> dict:
    """Render SARIF and check it against the official schema."""
    jsonschema = pytest.importorskip("jsonschema")
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"the SARIF 2.1.0 schema is not available ({SARIF_SCHEMA})")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    document = json.loads(sarif.render(results, catalog, VERSION))
    jsonschema.validators.validator_for(schema)(schema).validate(document)
    return document


def test_the_realistic_input_gives_the_expected_findings(results):
    found = [(f.span.path, f.code, f.severity, f.span.line, f.span.column, f.span.end_line, f.span.end_column)
             for result in results for f in result.findings]
    assert found == EXPECTED


@pytest.mark.parametrize("module", FORMATS, ids=lambda module: module.__name__.rsplit(".", 1)[-1])
def test_every_format_is_deterministic(module, catalog, results):
    first = module.render(results, catalog, VERSION)
    assert first
    assert module.render(results, catalog, VERSION) == first


# -- SARIF ------------------------------------------------------------------------------------


def test_sarif_run_describes_the_tool_and_the_rules_that_fired(catalog, results):
    document = sarif_document(results, catalog)
    assert document["version"] == "2.1.0"
    [run] = document["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("dlint", VERSION)
    assert driver["informationUri"].startswith("https://")
    assert [rule["id"] for rule in driver["rules"]] == ["DC501", "DF201", "DF202", "DF501", "WL310", "WL502"]
    by_id = {rule["id"]: rule for rule in driver["rules"]}
    apt_lists = by_id["DF201"]
    catalogued = next(rule for rule in catalog if rule.code == "DF201")
    assert apt_lists["name"] == "apt-lists-not-removed"
    assert apt_lists["shortDescription"]["text"] == catalogued.title
    assert apt_lists["fullDescription"]["text"] == catalogued.docs["what_it_does"].strip()
    assert apt_lists["defaultConfiguration"]["level"] == "note"
    assert apt_lists["properties"]["tags"] == list(catalogued.tags)
    assert "Why is this bad?\n" in apt_lists["help"]["text"]
    assert "## Why is this bad?" in apt_lists["help"]["markdown"]
    assert "```dockerfile\n" in apt_lists["help"]["markdown"]
    assert "helpUri" not in apt_lists
    assert by_id["WL310"]["defaultConfiguration"]["level"] == "error"
    assert by_id["WL502"]["defaultConfiguration"]["level"] == "warning"
    # Code scanning ranks security alerts by this score.
    assert by_id["WL310"]["properties"]["security-severity"] == "8.0"
    assert "security-severity" not in apt_lists["properties"]


def test_sarif_results_carry_rule_level_location_and_message(catalog, results):
    run = sarif_document(results, catalog)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    found = []
    for result in run["results"]:
        location = result["locations"][0]["physicalLocation"]
        region = location["region"]
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        found.append((location["artifactLocation"]["uri"], result["ruleId"], result["level"], region["startLine"],
                      region["startColumn"], region["endLine"], region["endColumn"]))
    levels = {"error": "error", "warning": "warning", "info": "note"}
    assert found == [(path, code, levels[severity], *position) for path, code, severity, *position in EXPECTED]
    messages = [finding.message for result in results for finding in result.findings]
    assert [result["message"]["text"] for result in run["results"]] == messages


def test_sarif_fixes_are_the_findings_edits(catalog, results):
    run = sarif_document(results, catalog)["runs"][0]
    by_rule = {result["ruleId"]: result for result in run["results"]}
    [fix] = by_rule["DF201"]["fixes"]
    assert fix["description"]["text"] == next(rule for rule in catalog if rule.code == "DF201").fix
    [change] = fix["artifactChanges"]
    assert change["artifactLocation"] == {"uri": "Dockerfile", "uriBaseId": "%SRCROOT%"}
    # An insertion: an empty deleted region at the end of line 2.
    assert change["replacements"] == [{
        "deletedRegion": {"startLine": 2, "startColumn": 53, "endLine": 2, "endColumn": 53},
        "insertedContent": {"text": " && rm -rf /var/lib/apt/lists/*"},
    }]
    assert by_rule["DF202"]["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"] == \
        {"text": " --no-install-recommends"}
    assert "fixes" not in by_rule["DF501"]
    assert "fixes" not in by_rule["WL310"]


def test_sarif_of_a_clean_run_is_valid_and_empty(catalog, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run = sarif_document(lint(catalog, {"compose.yaml": CLEAN}), catalog)["runs"][0]
    assert run["results"] == []
    assert run["tool"]["driver"]["rules"] == []


def fingerprint_of(document: dict) -> list[str]:
    return [result["partialFingerprints"]["primaryLocationLineHash"] for result in document["runs"][0]["results"]]


def test_sarif_fingerprints_survive_lines_moving(catalog, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = sarif_document(lint(catalog, {"Dockerfile": DOCKERFILE}), catalog)
    moved = "# syntax=docker/dockerfile:1\n\n" + DOCKERFILE.replace("RUN ", "RUN   ")
    after = sarif_document(lint(catalog, {"Dockerfile": moved}), catalog)
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after["runs"][0]["results"]] == \
        [3, 4, 4]
    assert fingerprint_of(after) == fingerprint_of(before)
    assert len(set(fingerprint_of(before))) == 3


def test_sarif_fingerprints_tell_identical_lines_apart(catalog, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    twice = "FROM ubuntu AS build\nFROM ubuntu AS build\n"
    prints = fingerprint_of(sarif_document(lint(catalog, {"Dockerfile": twice}), catalog))
    assert len(prints) == 2 and prints[0] != prints[1]
    elsewhere = fingerprint_of(sarif_document(lint(catalog, {"other/Dockerfile": twice}), catalog))
    assert not set(elsewhere) & set(prints)


def test_sarif_columns_are_utf16_code_units(catalog):
    # `🔥` is one code point and two UTF-16 code units: columns after it move by one.
    line = 'RUN echo "🔥" && apt-get update'
    span = Span("Dockerfile", 1, 17, 1, 31)
    finding = Finding("DF201", "apt-lists-not-removed", "info", "lists kept", span,
                      (Edit(Span("Dockerfile", 1, 31, 1, 31), " && rm -rf /var/lib/apt/lists/*"),))
    run = sarif_document([FileResult("Dockerfile", [finding], {"Dockerfile": [line]})], catalog)["runs"][0]
    assert run["columnKind"] == "utf16CodeUnits"
    [result] = run["results"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startColumn"], region["endColumn"]) == (18, 32)
    deleted = result["fixes"][0]["artifactChanges"][0]["replacements"][0]["deletedRegion"]
    assert (deleted["startColumn"], deleted["endColumn"]) == (32, 32)


def test_sarif_widens_an_empty_finding_span_to_one_character(catalog):
    document = sarif_document(one("unreadable", Span("Dockerfile", 1, 1, 1, 1), "PE004", "error",
                                  "unreadable-file", lines=[]), catalog)
    region = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 2}


def test_sarif_renders_a_code_missing_from_the_catalogue(catalog):
    run = sarif_document(one("from a newer catalogue", Span("Dockerfile", 1, 1, 1, 5), "XX999", "info",
                             "future-rule"), catalog)["runs"][0]
    assert run["tool"]["driver"]["rules"] == [{
        "id": "XX999", "name": "future-rule", "shortDescription": {"text": "future-rule"},
        "fullDescription": {"text": "future-rule"}, "help": {"text": "future-rule"},
        "defaultConfiguration": {"level": "note"},
    }]
    assert run["results"][0]["ruleIndex"] == 0
    assert run["results"][0]["message"]["text"] == "from a newer catalogue"


@pytest.mark.parametrize(("path", "expected"), [
    ("./Dockerfile", {"uri": "Dockerfile", "uriBaseId": "%SRCROOT%"}),
    ("services\\api\\Dockerfile", {"uri": "services/api/Dockerfile", "uriBaseId": "%SRCROOT%"}),
    ("my app/Dockerfile#1", {"uri": "my%20app/Dockerfile%231", "uriBaseId": "%SRCROOT%"}),
    ("/srv/app/Dockerfile", {"uri": "file:///srv/app/Dockerfile"}),
    ("C:\\work\\Dockerfile", {"uri": "file:///C:/work/Dockerfile"}),
])
def test_sarif_artifact_uris(catalog, path, expected):
    document = sarif_document(one("unpinned", Span(path, 1, 6, 1, 12)), catalog)
    assert document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"] == expected


def test_sarif_keeps_the_most_severe_results_within_the_code_scanning_limit(catalog, monkeypatch):
    monkeypatch.setattr(sarif, "MAX_RESULTS", 2)
    findings = [Finding("DF201", "apt-lists-not-removed", "info", "first info", Span("Dockerfile", 1, 1, 1, 2)),
                Finding("WL310", "secret-in-environment", "error", "the error", Span("Dockerfile", 2, 1, 2, 2)),
                Finding("DF202", "apt-install-recommends", "info", "second info", Span("Dockerfile", 3, 1, 3, 2)),
                Finding("DF501", "base-image-unpinned", "warning", "the warning", Span("Dockerfile", 4, 1, 4, 2))]
    run = sarif_document([FileResult("Dockerfile", findings, {"Dockerfile": ["a", "b", "c", "d"]})],
                         catalog)["runs"][0]
    assert [result["message"]["text"] for result in run["results"]] == ["the error", "the warning"]
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == ["DF501", "WL310"]
    [notice] = run["invocations"][0]["toolExecutionNotifications"]
    assert notice["message"]["text"].startswith("2 of 4 results were left out")


def test_sarif_keeps_special_characters_in_messages(catalog):
    document = sarif_document(one(TRICKY, Span("Dockerfile", 1, 6, 1, 12)), catalog)
    assert document["runs"][0]["results"][0]["message"]["text"] == TRICKY


# -- GitHub annotations -----------------------------------------------------------------------


def parse_annotation(line: str) -> tuple[str, dict[str, str], str]:
    """Read a workflow command back the way the runner does."""
    def unescape(text: str) -> str:
        return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",") \
            .replace("%25", "%")

    assert line.startswith("::")
    head, _, data = line[2:].partition("::")
    command, _, listed = head.partition(" ")
    properties = dict(item.split("=", 1) for item in listed.split(","))
    return command, {key: unescape(value) for key, value in properties.items()}, unescape(data)


def test_github_one_annotation_per_finding(catalog, results):
    lines = github.render(results, catalog, VERSION).splitlines()
    commands = {"error": "error", "warning": "warning", "info": "notice"}
    assert [parse_annotation(line)[0] for line in lines] == [commands[severity] for _, _, severity, *_ in EXPECTED]
    assert lines[0].startswith("::warning file=Dockerfile,line=1,col=6,endLine=1,endColumn=12,"
                               "title=DF501 base-image-unpinned::base image `ubuntu`")
    assert lines[5].startswith("::error file=compose.yaml,line=5,col=26,endLine=5,endColumn=33,"
                               "title=WL310 secret-in-environment::")
    messages = [finding.message for result in results for finding in result.findings]
    assert [parse_annotation(line)[2] for line in lines] == messages


def test_github_escapes_messages_and_properties():
    [result] = one(TRICKY, Span("dir,1/a:b%.Dockerfile", 2, 3, 2, 9))
    [line] = github.render([result], [], VERSION).splitlines()
    assert line == (
        "::warning file=dir%2C1/a%3Ab%25.Dockerfile,line=2,col=3,endLine=2,endColumn=9,title=DF501 base-image-unpinned"
        "::a 100%25 \"sure\" <b>bold</b> & 'more': x,y%0Asecond line%0D%0Athird | `co|de` *star*"
    )
    command, properties, message = parse_annotation(line)
    assert (command, properties["file"], message) == ("warning", "dir,1/a:b%.Dockerfile", TRICKY)


def test_github_gives_lines_only_for_a_finding_over_several_lines():
    [result] = one("spans lines", Span("compose.yaml", 4, 5, 7, 2), "DC501", "info", "healthcheck-missing")
    assert github.render([result], [], VERSION) == \
        "::notice file=compose.yaml,line=4,endLine=7,title=DC501 healthcheck-missing::spans lines\n"


def test_github_prints_nothing_without_findings(catalog):
    assert github.render([FileResult("Dockerfile", [], {"Dockerfile": ["FROM ubuntu:24.04"]})], catalog, VERSION) == ""


# -- GitLab Code Quality ----------------------------------------------------------------------


def test_gitlab_issues(catalog, results):
    issues = json.loads(gitlab.render(results, catalog, VERSION))
    severities = {"error": "critical", "warning": "major", "info": "info"}
    assert [(issue["location"]["path"], issue["check_name"], issue["severity"], issue["location"]["lines"]["begin"],
             issue["location"]["lines"]["end"]) for issue in issues] == \
        [(path, code, severities[severity], line, end_line) for path, code, severity, line, _, end_line, _ in EXPECTED]
    assert issues[0]["description"].startswith("DF501 base-image-unpinned: base image `ubuntu` has no tag")
    prints = [issue["fingerprint"] for issue in issues]
    assert len(set(prints)) == len(prints)
    # The same identity as in SARIF, so both survive lines moving the same way.
    assert prints == fingerprint_of(json.loads(sarif.render(results, catalog, VERSION)))


def test_gitlab_report_of_a_clean_run_is_an_empty_array(catalog):
    assert json.loads(gitlab.render([FileResult("Dockerfile")], catalog, VERSION)) == []


def test_gitlab_keeps_special_characters(catalog):
    [issue] = json.loads(gitlab.render(one(TRICKY, Span("./a b/Dockerfile", 1, 6, 1, 12)), catalog, VERSION))
    assert issue["description"] == "DF501 base-image-unpinned: " + TRICKY
    assert issue["location"]["path"] == "a b/Dockerfile"


# -- Checkstyle -------------------------------------------------------------------------------


def test_checkstyle_files_and_errors(catalog, results):
    root = ET.fromstring(checkstyle.render(results, catalog, VERSION))
    assert (root.tag, root.get("version")) == ("checkstyle", "4.3")
    assert [element.get("name") for element in root] == ["Dockerfile", "compose.yaml", "prod/compose.yaml"]
    found = [(file.get("name"), error.get("source"), error.get("severity"), int(error.get("line")),
              int(error.get("column"))) for file in root for error in file]
    assert found == [(path, code, severity, line, column) for path, code, severity, line, column, *_ in EXPECTED]
    assert list(root[2]) == []
    messages = [finding.message for result in results for finding in result.findings]
    assert [error.get("message") for file in root for error in file] == messages


def test_checkstyle_escapes_markup_quotes_and_new_lines():
    text = checkstyle.render(one(TRICKY + "\x1b[0m", Span("a&b<c>.Dockerfile", 1, 6, 1, 12)), [], VERSION)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(text)
    assert root[0].get("name") == "a&b<c>.Dockerfile"
    # New lines survive as character references; a control character XML cannot hold does not
    # make the document unreadable.
    assert root[0][0].get("message") == TRICKY + "\ufffd[0m"


OVERRIDE = Finding("DC501", "healthcheck-missing", "info", "in the override", Span("compose.override.yaml", 3, 3, 3, 6))


def test_checkstyle_puts_a_finding_under_the_file_it_points_into():
    result = FileResult("compose.yaml", [OVERRIDE], {"compose.yaml": [], "compose.override.yaml": []})
    root = ET.fromstring(checkstyle.render([result], [], VERSION))
    assert [(file.get("name"), len(file)) for file in root] == [("compose.yaml", 0), ("compose.override.yaml", 1)]


# -- JUnit ------------------------------------------------------------------------------------


def test_junit_suites_cases_and_counts(catalog, results):
    root = ET.fromstring(junit.render(results, catalog, VERSION))
    assert (root.tag, root.get("tests"), root.get("failures"), root.get("errors")) == ("testsuites", "7", "6", "0")
    assert [(suite.get("name"), suite.get("tests"), suite.get("failures")) for suite in root] == \
        [("Dockerfile", "3", "3"), ("compose.yaml", "3", "3"), ("prod/compose.yaml", "1", "0")]
    cases = [case for suite in root for case in suite]
    assert [case.get("name") for case in cases] == [
        "DF501 base-image-unpinned at 1:6", "DF201 apt-lists-not-removed at 2:5",
        "DF202 apt-install-recommends at 2:23", "DC501 healthcheck-missing at 2:3", "WL502 image-unpinned at 3:12",
        "WL310 secret-in-environment at 5:26", "no findings",
    ]
    assert [(case.get("classname"), case.get("file"), case.get("line")) for case in cases[:2]] == \
        [("Dockerfile", "Dockerfile", "1"), ("Dockerfile", "Dockerfile", "2")]
    failures = [case.find("failure") for case in cases]
    assert failures[-1] is None
    assert [failure.get("type") for failure in failures[:-1]] == [code for _, code, *_ in EXPECTED]
    messages = [finding.message for result in results for finding in result.findings]
    assert [failure.get("message") for failure in failures[:-1]] == messages
    # The body says where, how severe, and shows the line with the span underlined.
    assert failures[0].text.startswith("Dockerfile:1:6: DF501 [warning] base-image-unpinned: ")
    assert failures[0].text.endswith(" 1 | FROM ubuntu\n   |      ^^^^^^\n")


def test_junit_escapes_markup_quotes_and_new_lines():
    results = one(TRICKY, Span("a&b.Dockerfile", 1, 6, 1, 12), lines=["FROM <ubuntu> && x"])
    case = ET.fromstring(junit.render(results, [], VERSION))[0][0]
    assert case.get("classname") == "a&b.Dockerfile"
    assert case.find("failure").get("message") == TRICKY
    assert " 1 | FROM <ubuntu> && x\n" in case.find("failure").text


def test_junit_names_the_other_file_a_finding_points_into():
    root = ET.fromstring(junit.render([FileResult("compose.yaml", [OVERRIDE])], [], VERSION))
    case = root[0][0]
    assert (case.get("name"), case.get("classname"), case.get("file")) == \
        ("DC501 healthcheck-missing at compose.override.yaml:3:3", "compose.yaml", "compose.override.yaml")


# -- Markdown ---------------------------------------------------------------------------------


def table_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| Location")]


def test_markdown_summary(catalog, results):
    text = markdown.render(results, catalog, VERSION)
    lines = text.splitlines()
    assert lines[0] == "### dlint: 6 findings in 3 files"
    assert lines[2] == "**1 error**, 2 warnings, 3 info"
    rows = table_rows(text)
    # The most severe first; within a severity, in the order reported.
    assert [row.split(" | ")[0] for row in rows] == [
        "| `compose.yaml:5`", "| `Dockerfile:1`", "| `compose.yaml:3`", "| `Dockerfile:2`", "| `Dockerfile:2`",
        "| `compose.yaml:2`",
    ]
    assert rows[0].startswith("| `compose.yaml:5` | WL310 `secret-in-environment` | error | service `db` sets ")
    assert "/run/secrets/\\<name\\>" in rows[0]
    assert lines[-1] == f"<sub>dlint {VERSION}</sub>"


def test_markdown_caps_the_table(monkeypatch):
    monkeypatch.setattr(markdown, "MAX_ROWS", 2)
    findings = [Finding("DF501", "base-image-unpinned", "warning", f"number {n}", Span("Dockerfile", n, 1, n, 2))
                for n in range(1, 6)]
    text = markdown.render([FileResult("Dockerfile", findings)], [], VERSION)
    assert [row.split(" | ")[-1] for row in table_rows(text)] == ["number 1 |", "number 2 |"]
    assert "\n…and 3 more findings.\n" in text
    assert text.startswith("### dlint: 5 findings in 1 file\n\n5 warnings\n")


def test_markdown_escapes_what_would_break_the_table():
    [row] = table_rows(markdown.render(one(TRICKY, Span("Dockerfile", 1, 6, 1, 12)), [], VERSION))
    # One line; `|` escaped inside and outside code; markup outside code shown as text.
    assert row == (
        "| `Dockerfile:1` | DF501 `base-image-unpinned` | warning | "
        "a 100% \"sure\" \\<b\\>bold\\</b\\> \\& 'more': x,y second line third \\| `co\\|de` \\*star\\* |"
    )


def test_markdown_when_nothing_is_found(catalog):
    text = markdown.render([FileResult("Dockerfile"), FileResult("compose.yaml")], catalog, VERSION)
    assert text == f"### dlint: no findings in 2 files\n\n<sub>dlint {VERSION}</sub>\n"
