"""`dlint check` reports as CI systems read them: SARIF, GitHub, GitLab, Checkstyle, JUnit and
Markdown from the command line, several `--format X --output F` pairs in one run, the usage
errors around them, and `--quiet` and `--statistics`.

Everything runs in-process on files written to tmp_path; the SARIF acceptance case validates
against the official schema kept in ../shared/schemas.
"""
from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_cli import findings_document, run_cli, write

SARIF_SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-2.1.0.schema.json"
WHALE = "\U0001F433"  # beyond U+FFFF: two UTF-16 code units, one character

# A tree with every kind of input dlint reads, and the ways reading can fail.
MIXED_TREE = {
    "Dockerfile": (
        "FROM ubuntu\n"
        f'ENV GREETING="{WHALE} hi" API_TOKEN=abc123\n'
        "RUN apt-get update\n"
        "RUN apt-get install -y curl\n"
        "WORKDIR /app\n"
        "COPY . .\n"
        "RUN pip install -r requirements.txt\n"
        "MAINTAINER someone@example.com\n"
    ),
    "requirements.txt": "flask==3.0.3\n",
    "svc/compose.yaml": "services:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD: example\n",
    "svc/compose.override.yaml": "services:\n  db:\n    privileged: true\n",
    "k8s/app.yaml": (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 1\n"
        "  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx\n"
        "---\n"
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
        f'  containers: [{{name: "{WHALE}", image: busybox}}]\n'
    ),
    # A parse error in the middle of the file: the indentation of `ports` is wrong.
    "broken/compose.yaml": "services:\n  web:\n    image: nginx:1\n   ports: ['80:80']\n  db:\n    image: redis:7\n",
    "binary.Dockerfile": b"\x00\x01FROM\xff\xfe",
}


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def mixed_tree(tmp_path) -> Path:
    for name, content in MIXED_TREE.items():
        write(name, content)
    os.symlink("no-such-target", tmp_path / "gone.Dockerfile")  # unreadable, even for root
    return tmp_path


def validated_sarif(text: str) -> dict:
    jsonschema = pytest.importorskip("jsonschema")
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"the SARIF 2.1.0 schema is not available ({SARIF_SCHEMA})")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    document = json.loads(text)
    jsonschema.validators.validator_for(schema)(schema).validate(document)
    return document


def file_lines(path: Path) -> list[str]:
    return path.read_bytes().decode("utf-8", "replace").splitlines()


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def region_text(line: str, start_column: int, end_column: int) -> str:
    """The characters between two UTF-16 columns of ``line`` (end exclusive)."""
    units = line.encode("utf-16-le")
    return units[2 * (start_column - 1):2 * (end_column - 1)].decode("utf-16-le")


def location(result: dict) -> tuple[str, dict]:
    physical = result["locations"][0]["physicalLocation"]
    return physical["artifactLocation"]["uri"], physical["region"]


def assert_region_in_file(region: dict, lines: list[str], end_may_follow_last_line: bool = False) -> None:
    """Lines within the file, columns within their lines (an exclusive end may sit just past
    the last character; a replacement may end at the start of the line after the last)."""
    start, end = (region["startLine"], region["startColumn"]), (region["endLine"], region["endColumn"])
    assert (1, 1) <= start <= end
    assert start[0] <= len(lines)
    assert start[1] <= utf16_length(lines[start[0] - 1]) + 1
    if end_may_follow_last_line and end == (len(lines) + 1, 1):
        return
    assert end[0] <= len(lines)
    assert end[1] <= utf16_length(lines[end[0] - 1]) + 1


# -- SARIF: the acceptance case ------------------------------------------------------------------


def test_sarif_of_a_mixed_tree_validates_and_uploads_as_is(capsys, mixed_tree):
    code, out, err = run_cli(capsys, "check", "--format", "sarif", ".")
    assert (code, err) == (1, "")
    document = validated_sarif(out)
    run = document["runs"][0]
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    results = run["results"]
    assert results, "the mixed tree has findings"
    assert len(rules) == len(set(rules))
    for result in results:
        assert result["ruleId"] in rules
        assert rules[result["ruleIndex"]] == result["ruleId"]
    assert set(rules) == {result["ruleId"] for result in results}  # the rules that fired, no others

    found = {(location(result)[0], result["ruleId"]) for result in results}
    assert {("Dockerfile", "DF501"), ("svc/compose.yaml", "WL310"), ("svc/compose.override.yaml", "WL303"),
            ("k8s/app.yaml", "WL502"), ("broken/compose.yaml", "PE001"), ("binary.Dockerfile", "PE003"),
            ("gone.Dockerfile", "PE002")} <= found

    for result in results:
        uri, region = location(result)
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert os.path.lexists(mixed_tree / uri), uri
        if result["ruleId"] in ("PE002", "PE003"):  # no text to point into: the file as a whole
            assert region == {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 2}
            continue
        assert_region_in_file(region, file_lines(mixed_tree / uri))
        for fix in result.get("fixes", []):
            for change in fix["artifactChanges"]:
                lines = file_lines(mixed_tree / change["artifactLocation"]["uri"])
                for replacement in change["replacements"]:
                    assert_region_in_file(replacement["deletedRegion"], lines, end_may_follow_last_line=True)


def test_sarif_regions_point_at_the_text_the_finding_is_about(capsys, mixed_tree):
    """Columns are UTF-16 code units: a character beyond U+FFFF before a finding counts as two."""
    _, out, _ = run_cli(capsys, "check", "--format", "sarif", ".")
    shown = {}
    for result in validated_sarif(out)["runs"][0]["results"]:
        uri, region = location(result)
        if region["startLine"] == region["endLine"] and result["ruleId"] not in ("PE002", "PE003"):
            line = file_lines(mixed_tree / uri)[region["startLine"] - 1]
            shown[(uri, result["ruleId"], region["startLine"])] = region_text(
                line, region["startColumn"], region["endColumn"])
    assert shown[("Dockerfile", "DF501", 1)] == "ubuntu"
    assert shown[("Dockerfile", "DF340", 2)] == "API_TOKEN"
    assert shown[("k8s/app.yaml", "WL502", 10)] == "nginx"
    assert shown[("k8s/app.yaml", "WL502", 16)] == "busybox"
    assert shown[("svc/compose.override.yaml", "WL303", 3)] == "true"


def test_sarif_region_of_a_yaml_file_cut_short_is_on_its_last_line(capsys):
    write("compose.yaml", "services:\n  web: {image: 'nginx:1'\n")
    _, out, _ = run_cli(capsys, "check", "--format", "sarif", "compose.yaml")
    results = validated_sarif(out)["runs"][0]["results"]
    errors = [location(result)[1] for result in results if result["ruleId"] == "PE001"]
    assert len(errors) == 1
    assert_region_in_file(errors[0], file_lines(Path("compose.yaml")))


def test_a_compose_file_that_does_not_parse_is_one_parse_error(capsys):
    write("compose.yaml", MIXED_TREE["broken/compose.yaml"])
    _, out, _ = run_cli(capsys, "check", "--format", "json", "compose.yaml")
    found = [(f["code"], f["line"], f["column"]) for f in findings_document(out)["findings"]]
    assert found == [("PE001", 4, 4)]


# -- every format in one run ----------------------------------------------------------------------

GITHUB = re.compile(r"^::(?P<command>error|warning|notice) file=(?P<file>[^,]+),line=(?P<line>\d+),"
                    r"(?:col=\d+,)?endLine=\d+,(?:endColumn=\d+,)?title=(?P<code>[A-Z]{2}\d{3}) [a-z0-9-]+::.+$")
ALL_FORMATS = ["--format", "json", "--output", "report.json", "--format", "sarif", "--output", "report.sarif",
               "--format", "github", "--output", "github.txt", "--format", "gitlab", "--output", "gitlab.json",
               "--format", "checkstyle", "--output", "checkstyle.xml", "--format", "junit", "--output", "junit.xml",
               "--format", "markdown"]


@pytest.fixture
def small_tree() -> list[tuple[str, int, str]]:
    """Two files with findings and a clean one; returns the (path, line, code) expected."""
    write("Dockerfile", "FROM ubuntu\nRUN apt-get install -y curl\n")
    write("clean/Dockerfile", 'FROM ubuntu:24.04\nUSER 1000\nCMD ["true"]\n')
    write("compose.yaml", "services:\n  db:\n    image: postgres:16\n    environment:\n      DB_PASSWORD: hunter2\n")
    return [("Dockerfile", 1, "DF501"), ("Dockerfile", 2, "DF202"), ("compose.yaml", 5, "WL310")]


def test_each_format_goes_to_its_own_file_and_one_to_standard_output(capsys, small_tree):
    code, out, err = run_cli(capsys, "check", "--select", "DF501,DF202,WL310", *ALL_FORMATS, ".")
    assert (code, err) == (1, "")
    expected = small_tree

    document = findings_document(Path("report.json").read_text(encoding="utf-8"))
    assert [(f["path"], f["line"], f["code"]) for f in document["findings"]] == expected
    assert document["summary"]["files"] == 3

    results = validated_sarif(Path("report.sarif").read_text(encoding="utf-8"))["runs"][0]["results"]
    assert [(location(r)[0], location(r)[1]["startLine"], r["ruleId"]) for r in results] == expected

    annotations = [GITHUB.match(line) for line in Path("github.txt").read_text(encoding="utf-8").splitlines()]
    assert all(annotations)
    assert [(m["file"], int(m["line"]), m["code"]) for m in annotations] == expected
    assert [m["command"] for m in annotations] == ["warning", "notice", "error"]

    issues = json.loads(Path("gitlab.json").read_text(encoding="utf-8"))
    assert [(i["location"]["path"], i["location"]["lines"]["begin"], i["check_name"]) for i in issues] == expected
    assert [i["severity"] for i in issues] == ["major", "info", "critical"]

    checkstyle = ET.parse("checkstyle.xml").getroot()
    assert sorted(element.get("name") for element in checkstyle.iter("file")) == [
        "Dockerfile", "clean/Dockerfile", "compose.yaml"]
    assert sorted((file.get("name"), int(error.get("line")), error.get("source"))
                  for file in checkstyle.iter("file") for error in file.iter("error")) == sorted(expected)

    junit = ET.parse("junit.xml").getroot()
    assert (junit.get("tests"), junit.get("failures")) == ("4", "3")  # the clean file is one passing case
    assert sorted(failure.get("type") for failure in junit.iter("failure")) == ["DF202", "DF501", "WL310"]

    assert out.startswith("### dlint: 3 findings in 3 files\n")
    assert "| `compose.yaml:5` | WL310 `secret-in-environment` | error |" in out


def test_the_exit_code_does_not_depend_on_the_formats(capsys, small_tree):
    code, _, _ = run_cli(capsys, "check", "--select", "DF501,DF202,WL310", "--fail-on", "never", *ALL_FORMATS, ".")
    assert code == 0
    assert json.loads(Path("report.json").read_text(encoding="utf-8"))["summary"]["findings"] == 3


@pytest.mark.parametrize("format_name", ["sarif", "github", "gitlab", "checkstyle", "junit", "markdown"])
def test_each_ci_format_on_standard_output(capsys, small_tree, format_name):
    code, out, err = run_cli(capsys, "check", "--select", "DF501,DF202,WL310", "--format", format_name, ".")
    assert (code, err) == (1, "")
    if format_name == "sarif":
        assert len(validated_sarif(out)["runs"][0]["results"]) == 3
    elif format_name == "github":
        assert len(out.splitlines()) == 3 and all(GITHUB.match(line) for line in out.splitlines())
    elif format_name == "gitlab":
        assert len(json.loads(out)) == 3
    elif format_name in ("checkstyle", "junit"):
        assert len(list(ET.fromstring(out).iter("error" if format_name == "checkstyle" else "failure"))) == 3
    else:
        assert out.startswith("### dlint: 3 findings in 3 files\n")


def test_text_written_to_a_file_is_plain_with_its_summary(capsys, small_tree):
    code, out, _ = run_cli(capsys, "check", "--select", "DF501", "--format", "text", "--output", "dlint.txt",
                           "--format", "json", "Dockerfile")
    assert code == 1
    assert findings_document(out)["summary"]["findings"] == 1
    written = Path("dlint.txt").read_text(encoding="utf-8")
    assert written.startswith("Dockerfile:1:6: DF501 [warning] base-image-unpinned: ")
    assert written.endswith("\nFound 1 finding (1 warning) in 1 file.\n")
    assert "\x1b" not in written


# -- usage errors ---------------------------------------------------------------------------------


def assert_usage_error(capsys, *argv: str, message: str) -> None:
    code, out, err = run_cli(capsys, "check", *argv)
    assert (code, out, err) == (2, "", f"dlint: {message}\n")


def test_two_formats_on_standard_output_is_a_usage_error(capsys, small_tree):
    assert_usage_error(capsys, "--format", "json", "--format", "sarif", "Dockerfile",
                       message="only one --format can go to standard output; give the others an --output FILE")


def test_more_outputs_than_formats_is_a_usage_error_and_writes_nothing(capsys, small_tree):
    assert_usage_error(capsys, "--format", "json", "--output", "a.json", "--output", "b.json", "Dockerfile",
                       message="--output b.json: give the --format it is for right before it "
                               "(--format sarif --output b.json)")
    assert not Path("a.json").exists() and not Path("b.json").exists()


def test_an_output_without_any_format_is_a_usage_error(capsys, small_tree):
    code, out, err = run_cli(capsys, "check", "--output", "report.txt", "Dockerfile")
    assert (code, out, err.count("\n")) == (2, "", 1)
    assert not Path("report.txt").exists()


def test_an_output_goes_with_the_format_given_before_it(capsys, small_tree):
    code, out, _ = run_cli(capsys, "check", "--select", "DF501", "--format", "json", "--format", "sarif",
                           "--output", "report.sarif", "Dockerfile")
    assert code == 1
    assert findings_document(out)["summary"]["findings"] == 1
    assert json.loads(Path("report.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_an_output_in_a_missing_folder_is_a_usage_error(capsys, small_tree):
    code, out, err = run_cli(capsys, "check", "--format", "json", "--output", "no/such/dir/report.json", "Dockerfile")
    assert (code, out) == (2, "")
    assert err == "dlint: --output no/such/dir/report.json: No such file or directory\n"


# -- --quiet and --statistics ---------------------------------------------------------------------


def test_quiet_prints_the_findings_without_the_summary(capsys):
    write("Dockerfile", "FROM ubuntu\n")
    code, out, err = run_cli(capsys, "check", "--quiet", "--select", "DF501", "Dockerfile")
    assert (code, err) == (1, "")
    assert out.startswith("Dockerfile:1:6: DF501 [warning] base-image-unpinned: ")
    assert out.count("\n") == 1


def test_quiet_on_a_clean_run_prints_nothing(capsys):
    write("Dockerfile", 'FROM ubuntu:24.04\nUSER 1000\nCMD ["true"]\n')
    assert run_cli(capsys, "check", "-q", "Dockerfile") == (0, "", "")


def test_quiet_leaves_out_the_helm_notice(capsys):
    write("chart/templates/pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Values.name }}\n")
    _, out, err = run_cli(capsys, "check", "chart")
    assert err.startswith("dlint: skipped the Helm template chart/templates/pod.yaml;")
    assert run_cli(capsys, "check", "--quiet", "chart") == (0, "", "")


def test_quiet_leaves_out_the_note_on_stale_baseline_entries(capsys):
    write("Dockerfile", "FROM ubuntu\n")
    run_cli(capsys, "check", "--select", "DF501", "--write-baseline", "baseline.json", "Dockerfile")
    write("Dockerfile", "FROM ubuntu:24.04\n")
    _, _, err = run_cli(capsys, "check", "--select", "DF501", "--baseline", "baseline.json", "Dockerfile")
    assert err.startswith("dlint: 1 entry of baseline.json no longer match")
    assert run_cli(capsys, "check", "-q", "--select", "DF501", "--baseline", "baseline.json", "Dockerfile") == (
        0, "", "")


def test_quiet_fix_prints_no_note(capsys):
    write("Dockerfile", "FROM ubuntu:24.04\nRUN apt-get install -y curl\n")
    code, out, err = run_cli(capsys, "check", "--quiet", "--fix", "--select", "DF202", "Dockerfile")
    assert Path("Dockerfile").read_text(encoding="utf-8") == (
        "FROM ubuntu:24.04\nRUN apt-get install --no-install-recommends -y curl\n")
    assert (code, out, err) == (0, "", "")


def test_quiet_write_baseline_prints_no_note(capsys):
    write("Dockerfile", "FROM ubuntu\n")
    code, out, err = run_cli(capsys, "check", "-q", "--select", "DF501", "--write-baseline", "b.json", "Dockerfile")
    assert json.loads(Path("b.json").read_text(encoding="utf-8"))["entries"][0]["code"] == "DF501"
    assert (code, out, err) == (0, "", "")


STATISTICS_INPUT = "FROM ubuntu\nFROM node AS build\nRUN apt-get install -y curl\nRUN apt-get install -y git\n" \
                   "RUN apt-get install -y jq\n"
STATISTICS = ["     3  DF202  apt-install-recommends", "     2  DF501  base-image-unpinned"]


def test_statistics_count_each_rule_most_first_after_the_text_report(capsys):
    write("Dockerfile", STATISTICS_INPUT)
    code, out, err = run_cli(capsys, "check", "--statistics", "--select", "DF501,DF202", "Dockerfile")
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert lines[-3:] == ["Found 5 findings (2 warnings, 3 infos) in 1 file.", *STATISTICS]
    assert len(lines) == 8


def test_statistics_with_quiet_are_the_findings_and_the_counts(capsys):
    write("Dockerfile", STATISTICS_INPUT)
    _, out, _ = run_cli(capsys, "check", "-q", "--statistics", "--select", "DF501,DF202", "Dockerfile")
    assert out.splitlines()[5:] == STATISTICS


def test_statistics_keep_a_machine_format_on_standard_output_parseable(capsys):
    write("Dockerfile", STATISTICS_INPUT)
    code, out, err = run_cli(capsys, "check", "--statistics", "--format", "json", "--select", "DF501,DF202",
                             "Dockerfile")
    assert code == 1
    assert findings_document(out)["summary"]["findings"] == 5
    assert err.splitlines() == STATISTICS


def test_statistics_follow_the_text_report_on_standard_output(capsys):
    write("Dockerfile", STATISTICS_INPUT)
    _, out, err = run_cli(capsys, "check", "--statistics", "--select", "DF501,DF202", "--format", "sarif",
                          "--output", "dlint.sarif", "--format", "text", "Dockerfile")
    assert out.splitlines()[-2:] == STATISTICS
    assert err == ""
