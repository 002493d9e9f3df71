"""Suppression hygiene: `unused-suppression` (PE601) reports what a suppression names but did not
silence, at its own position; `suppression-without-reason` (PE602, `--require-reason`)
reports a suppression that does not say why."""
from __future__ import annotations

import textwrap

import pytest

from tests.conftest import lint_with
from tests.test_cli import check_json, positions, run_cli, write

PINNED = "FROM ubuntu:24.04\n"


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def unused(catalog, text: str, *selectors: str, path: str = "Dockerfile") -> list[tuple[int, int]]:
    """(line, column) of each unused-suppression finding when ``selectors`` (and PE601) run."""
    findings = lint_with(catalog, textwrap.dedent(text), "PE601", *selectors, path=path)
    return [(f.span.line, f.span.column) for f in findings if f.code == "PE601"]


def codes(catalog, text: str, *selectors: str, path: str = "Dockerfile") -> list[tuple[str, int, int]]:
    findings = lint_with(catalog, textwrap.dedent(text), *selectors, path=path)
    return [(f.code, f.span.line, f.span.column) for f in findings]


# -- dlint comments in a Dockerfile -----------------------------------------------------------


def test_an_ignore_that_silences_a_finding_is_used(catalog):
    assert codes(catalog, "# dlint: ignore=DF501\nFROM ubuntu\n", "DF501", "PE601") == []


def test_an_ignore_of_a_finding_that_is_gone_is_reported_at_the_code(catalog):
    findings = lint_with(catalog, "# dlint: ignore=DF501 -- tracks latest\nFROM ubuntu:24.04\n", "DF501", "PE601")
    assert [(f.code, f.severity, f.span.line, f.span.column, f.span.end_column) for f in findings] == [
        ("PE601", "info", 1, 17, 22)]
    assert findings[0].message == "unused suppression: `DF501` silenced no finding; remove it"


def test_only_the_unused_names_of_a_list_are_reported(catalog):
    text = "# dlint: ignore=base-image-unpinned, DF201,PE001\nFROM ubuntu\n"
    assert unused(catalog, text, "DF501", "DF201", "PE001") == [(1, 38), (1, 44)]


def test_a_bare_ignore_is_reported_at_the_comment(catalog):
    text = "FROM ubuntu:24.04\n    # dlint: ignore -- was needed once\nUSER 1000\n"
    assert unused(catalog, text, "DF501") == [(2, 5)]


def test_a_bare_ignore_that_silences_something_is_used(catalog):
    assert unused(catalog, "# dlint: ignore\nFROM ubuntu\n", "DF501") == []


def test_an_ignore_at_the_end_of_the_file_silences_nothing(catalog):
    assert unused(catalog, "FROM ubuntu\n# dlint: ignore=DF501\n", "DF501") == [(2, 17)]


def test_ignore_file_names_are_judged_over_the_whole_file(catalog):
    text = "FROM ubuntu:24.04 AS build\n# dlint: ignore-file=DF501,DF102\nFROM debian\n"
    assert unused(catalog, text, "DF501", "DF102") == [(2, 28)]


@pytest.mark.parametrize("text", [
    "# dlint: ignore=DF501\nFROM ubuntu:24.04\n",                 # base-image-unpinned did not run
    "# dlint: ignore=apt-package-unpinned\nFROM ubuntu:24.04\n",  # off by default and not selected
    "# dlint: ignore=DF5\nFROM ubuntu:24.04\n",                   # names no rule
])
def test_names_of_rules_that_did_not_run_are_not_judged(catalog, text):
    assert unused(catalog, text, "DF201") == []


def test_a_rule_of_another_format_that_ran_cannot_be_silenced_here(catalog):
    assert unused(catalog, "# dlint: ignore=runs-as-root\nFROM ubuntu:24.04\nUSER 1000\n", "WL301") == [(1, 17)]


def test_nothing_is_judged_in_a_file_with_a_syntax_error(catalog):
    text = "# dlint: ignore=DF501\nFROM ubuntu:24.04\nRUNN echo\n"
    assert codes(catalog, text, "DF501", "PE001", "PE601") == [("PE001", 3, 1)]


def test_two_suppressions_of_one_finding_are_both_used(catalog):
    text = "# dlint: ignore-file=DF501\n# dlint: ignore=DF501\nFROM ubuntu\n"
    assert unused(catalog, text, "DF501") == []


# -- silencing unused-suppression itself ------------------------------------------------------


def test_ignore_file_silences_unused_suppression_and_is_never_reported_itself(catalog):
    text = "# dlint: ignore-file=unused-suppression\n# dlint: ignore=DF501\nFROM ubuntu:24.04\n"
    assert codes(catalog, text, "DF501", "PE601") == []
    assert codes(catalog, "# dlint: ignore-file=PE601\nFROM ubuntu:24.04\n", "DF501", "PE601") == []


def test_a_bare_ignore_file_cannot_be_reported_since_it_silences_its_own_report(catalog):
    assert codes(catalog, "# dlint: ignore-file\nFROM ubuntu:24.04\n", "DF501", "PE601") == []


def test_config_ignore_and_per_path_ignores_switch_it_off(capsys, tmp_path):
    text = "# dlint: ignore=DF501\nFROM ubuntu:24.04\nUSER 1000\nCMD [\"true\"]\n"
    write(tmp_path / "a" / "Dockerfile", text)
    write(tmp_path / "b" / "Dockerfile", text)
    write(tmp_path / "b" / ".dlint.yaml", "ignore: [unused-suppression]\n")
    write(tmp_path / "c" / "Dockerfile", text)
    write(tmp_path / "c" / ".dlint.yaml", 'per-path-ignores:\n  "Dockerfile": [PE601]\n')
    code, document, _ = check_json(capsys, "--select", "DF501,PE601", ".")
    assert positions(document) == [("a/Dockerfile", "PE601", 1, 17)]
    assert code == 0  # info: below the default fail-on


def test_per_path_ignore_of_the_named_rule_makes_its_suppression_moot(capsys, tmp_path):
    write(tmp_path / ".dlint.yaml", 'per-path-ignores:\n  "legacy/*": [DF501]\n')
    write(tmp_path / "legacy" / "Dockerfile", "# dlint: ignore=DF501\nFROM ubuntu:24.04\n")
    _, document, _ = check_json(capsys, "--select", "DF501,PE601", ".")
    assert document["findings"] == []


def test_it_runs_by_default(capsys):
    write("Dockerfile", '# dlint: ignore=DF501\nFROM ubuntu:24.04\nUSER 1000\nCMD ["true"]\n')
    code, document, _ = check_json(capsys, "Dockerfile")
    assert [(f["code"], f["line"], f["column"]) for f in document["findings"] if f["code"].startswith("PE6")] == [
        ("PE601", 1, 17)]


# -- foreign pragmas --------------------------------------------------------------------------


def test_another_tools_pragmas_are_left_to_that_tool(catalog):
    # dlint reads the ARG default and finds the image pinned; hadolint cannot, and needs its pragma.
    text = "ARG BASE=ubuntu:24.04\n# hadolint ignore=DL3006\nFROM $BASE\n"
    assert unused(catalog, text, "DF501") == []
    text = ("FROM ubuntu:24.04\n# we accept it: checkov:skip=CKV_DOCKER_5:cache mount\n"
            "# trivy:ignore:DS-0029 trivy:ignore:AVD-DS-0017\nRUN apt-get install -y --no-install-recommends curl\n")
    assert unused(catalog, text, "DF102", "DF202") == []


def test_a_dlint_pragma_beside_a_foreign_one_is_still_judged(catalog):
    text = "# hadolint ignore=DL3006\n# dlint: ignore=DF501 -- pinned later\nFROM ubuntu:24.04\n"
    assert unused(catalog, text, "DF501") == [(2, 17)]


# -- YAML comments and ignore keys ------------------------------------------------------------


def test_a_yaml_comment_after_a_value(catalog):
    text = """\
        services:
          web:
            image: nginx:1.27
            privileged: true  # dlint: ignore=image-unpinned,privileged-container
    """
    assert unused(catalog, text, "WL303", "image-unpinned", path="compose.yaml") == [(4, 39)]


def test_x_dlint_ignore_entries_are_reported_at_the_name(catalog):
    text = """\
        services:
          db:
            image: postgres:16
            x-dlint-ignore: ["image-unpinned, stateful-image-without-volume -- data is scratch", WL303]
    """
    assert unused(catalog, text, "image-unpinned", "WL303", "WL501", path="compose.yaml") == [(4, 23), (4, 90)]


def test_an_x_dlint_ignore_shared_through_an_anchor_is_used_if_any_service_uses_it(catalog):
    text = """\
        x-quiet: &quiet [WL501]
        services:
          db:
            image: postgres:16
            x-dlint-ignore: *quiet
          web:
            image: nginx:1.27
            x-dlint-ignore: *quiet
    """
    assert unused(catalog, text, "WL501", path="compose.yaml") == []


def test_an_annotation_code_is_reported_at_the_code(catalog):
    text = """\
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          annotations:
            dlint.io/ignore: "KS501 runs-as-root"
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata:
              labels: {app: web}
              annotations: {dlint.io/ignore: liveness-probe-missing}
            spec:
              securityContext: {runAsNonRoot: true, runAsUser: 1000}
              containers:
                - name: web
                  image: nginx:1.27
    """
    assert unused(catalog, text, "KS501", "WL301", path="deploy.yaml") == [(6, 29)]


def test_an_unused_ignore_in_a_compose_override_file_points_into_it(capsys, tmp_path):
    write(tmp_path / "compose.yaml", "services:\n  web:\n    image: nginx:1.27\n")
    write(tmp_path / "compose.override.yaml", "services:\n  web:\n    x-dlint-ignore: [image-unpinned]\n")
    _, document, _ = check_json(capsys, "--select", "image-unpinned,PE601", ".")
    assert positions(document) == [("compose.override.yaml", "PE601", 3, 22)]


# -- suppression-without-reason ---------------------------------------------------------------


def without_reason(catalog, text: str, path: str = "Dockerfile") -> list[tuple[int, int]]:
    findings = lint_with(catalog, textwrap.dedent(text), "PE602", path=path)
    return [(f.span.line, f.span.column) for f in findings]


@pytest.mark.parametrize("pragma", [
    "# dlint: ignore=DF501",
    "# dlint: ignore",
    "# dlint: ignore-file=DF501",
    "# dlint: ignore=DF501 --",
    "# dlint: ignore=DF501 --   ",
    "# checkov:skip=CKV_DOCKER_5",
    "# checkov:skip=CKV_DOCKER_5:",
])
def test_a_suppression_without_a_reason(catalog, pragma):
    assert without_reason(catalog, f"FROM ubuntu:24.04\n  {pragma}\nRUN apt-get update\n") == [(2, 3)]


@pytest.mark.parametrize("pragma", [
    "# dlint: ignore=DF501 -- upstream only publishes latest",
    "# dlint: ignore -- generated file",
    "# dlint: ignore-file=DF501 -- see ADR 12",
    "# checkov:skip=CKV_DOCKER_5:the index is refreshed in a cache mount",
    "# checkov:skip=CKV_DOCKER_99",     # no dlint equivalent: nothing of dlint's to explain
    "# hadolint ignore=DL3009",         # hadolint and trivy pragmas have no place for a reason
    "# trivy:ignore:DS-0017",
    "# a comment that mentions dlint: ignore",
])
def test_a_suppression_with_a_reason_or_without_room_for_one(catalog, pragma):
    assert without_reason(catalog, f"FROM ubuntu:24.04\n{pragma}\nRUN apt-get update\n") == []


def test_ignore_keys_need_a_reason_per_entry(catalog):
    text = """\
        services:
          db:
            image: postgres:16
            x-dlint-ignore: ["WL501 -- data is scratch", WL303]
          web:
            image: nginx:1.27
            x-dlint-ignore: "WL303, WL309"
    """
    assert without_reason(catalog, text, path="compose.yaml") == [(4, 50), (7, 21)]


def test_an_annotation_needs_a_reason(catalog):
    text = """\
        apiVersion: v1
        kind: Pod
        metadata:
          name: a
          annotations: {dlint.io/ignore: "KS501 -- batch job, nothing to probe"}
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: b
          annotations: {dlint.io/ignore: KS501}
    """
    assert without_reason(catalog, text, path="pods.yaml") == [(11, 34)]


def test_a_reasoned_ignore_still_silences(catalog):
    text = """\
        services:
          db:
            image: postgres:16
            x-dlint-ignore: ["stateful-image-without-volume -- data is scratch"]
    """
    assert codes(catalog, text, "WL501", "PE601", path="compose.yaml") == []


def test_require_reason_is_off_by_default(capsys):
    write("Dockerfile", "# dlint: ignore=DF501\nFROM ubuntu\n")
    code, document, _ = check_json(capsys, "--select", "DF501", "Dockerfile")
    assert (code, document["findings"]) == (0, [])


def test_require_reason_on_the_command_line_fails_the_run(capsys):
    write("Dockerfile", "# dlint: ignore=DF501\nFROM ubuntu\n")
    code, out, _ = run_cli(capsys, "check", "--select", "DF501", "--require-reason", "Dockerfile")
    assert code == 1
    assert out.splitlines()[0] == ("Dockerfile:1:1: PE602 [warning] suppression-without-reason: suppression "
                                   "without a reason: add ` -- why` after the rules it names")


def test_require_reason_in_the_config(capsys, tmp_path):
    write(tmp_path / ".dlint.yaml", "require-reason: true\n")
    write(tmp_path / "Dockerfile", "FROM ubuntu\n# dlint: ignore-file=DF501\n")
    code, document, _ = check_json(capsys, "--select", "DF501", "Dockerfile")
    assert code == 1
    assert positions(document) == [("Dockerfile", "PE602", 2, 1)]


def test_require_reason_yields_to_an_ignore(capsys, tmp_path):
    write(tmp_path / ".dlint.yaml", "require-reason: true\nignore: [suppression-without-reason]\n")
    write(tmp_path / "Dockerfile", "# dlint: ignore=DF501\nFROM ubuntu\n")
    code, document, _ = check_json(capsys, "--select", "DF501", "Dockerfile")
    assert (code, document["findings"]) == (0, [])


def test_require_reason_must_be_a_boolean(capsys, tmp_path):
    write(tmp_path / ".dlint.yaml", "fail-on: info\nrequire-reason: yes please\n")
    write(tmp_path / "Dockerfile", PINNED)
    code, out, err = run_cli(capsys, "check", "Dockerfile")
    assert (code, out) == (2, "")
    assert err.startswith(f"dlint: {tmp_path / '.dlint.yaml'}:2:17: require-reason: 'yes please' is not of type")
