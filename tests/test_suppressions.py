"""Inline suppressions: `# dlint: ignore…` on the line before an instruction, `ignore-file`,
and hadolint's pragmas for the rules that declare a hadolint equivalent."""
from __future__ import annotations

import pytest

from tests.conftest import lint_with
from tests.test_cli import check_json, positions, write


def found(catalog, text: str, *selectors: str) -> list[tuple[str, int, int]]:
    """(code, line, column) of each finding of DF501 and the reading-problem rules (or ``selectors``)."""
    findings = lint_with(catalog, text, *(selectors or ("DF501", "PE0")))
    return [(f.code, f.span.line, f.span.column) for f in findings]


@pytest.mark.parametrize("pragma", [
    "# dlint: ignore=DF501",
    "# dlint: ignore=base-image-unpinned",
    "# dlint: ignore=df501",
    "#dlint:ignore=DF501",
    "# dlint: ignore = PE001, DF501",
    "# dlint: ignore=DF501 -- we track upstream's rolling tag on purpose",
    "# dlint: ignore=base-image-unpinned,PE001 -- reason, with a comma",
    "# dlint: ignore",
    "# dlint: ignore -- every rule, with a reason",
    "    # dlint: ignore=DF501",
])
def test_a_pragma_silences_the_next_instruction(catalog, pragma):
    assert found(catalog, f"{pragma}\nFROM ubuntu\n") == []


@pytest.mark.parametrize("pragma", [
    "# dlint: ignore=PE001",
    "# dlint: ignore=DF50",          # codes are exact here, not prefixes
    "# dlint: ignore=image-unpinned",
    "# dlint: ignorance is bliss",
    "# dlint ignore=DF501",           # no colon: not a pragma
    "# dlint: ignore-files",
])
def test_other_comments_silence_nothing(catalog, pragma):
    assert found(catalog, f"{pragma}\nFROM ubuntu\n") == [("DF501", 2, 6)]


def test_a_pragma_applies_only_to_the_next_instruction(catalog):
    text = "FROM ubuntu AS first\n# dlint: ignore=DF501\nFROM debian AS second\nFROM alpine\n"
    assert found(catalog, text) == [("DF501", 1, 6), ("DF501", 4, 6)]


def test_a_pragma_covers_every_line_of_a_continued_instruction(catalog):
    text = "# dlint: ignore=DF501\nFROM \\\n  --platform=linux/amd64 \\\n  ubuntu\nFROM debian\n"
    assert found(catalog, text) == [("DF501", 5, 6)]


def test_a_pragma_at_the_end_of_the_file_silences_nothing_before_it(catalog):
    assert found(catalog, "FROM ubuntu\n# dlint: ignore\n") == [("DF501", 1, 6)]


def test_a_pragma_can_silence_a_parse_error(catalog):
    text = "FROM ubuntu:24.04\n# dlint: ignore=parse-error -- vendored syntax\nRUNN echo\nFOO bar\n"
    assert found(catalog, text) == [("PE001", 4, 1)]


@pytest.mark.parametrize("pragma", ["# dlint: ignore-file", "# dlint: ignore-file=DF501",
                                    "# dlint: ignore-file=base-image-unpinned -- legacy image, see #12"])
def test_ignore_file_silences_the_rule_everywhere(catalog, pragma):
    text = f"{pragma}\nFROM ubuntu AS a\nRUN true\nFROM debian AS b\nFROM node:latest\n"
    assert found(catalog, text) == []


def test_ignore_file_with_codes_keeps_other_rules(catalog):
    text = "# dlint: ignore-file=DF501\nFROM ubuntu\nRUNN echo\n"
    assert found(catalog, text) == [("PE001", 3, 1)]


def test_ignore_file_works_anywhere_in_the_file(catalog):
    text = "FROM ubuntu\nRUN true\n# dlint: ignore-file=DF501\nFROM debian\n"
    assert found(catalog, text) == []


# -- hadolint pragmas -----------------------------------------------------------------------


def test_df501_declares_the_hadolint_codes_used_below(catalog):
    rule = next(rule for rule in catalog if rule.code == "DF501")
    assert set(rule.equivalents["hadolint"]) == {"DL3006", "DL3007"}


@pytest.mark.parametrize("code", ["DL3006", "DL3007"])
def test_hadolint_ignore_silences_the_equivalent_rule_on_the_next_instruction(catalog, code):
    text = f"# hadolint ignore={code}\nFROM ubuntu\nFROM debian\n"
    assert found(catalog, text) == [("DF501", 3, 6)]


def test_hadolint_ignore_with_several_codes(catalog):
    assert found(catalog, "# hadolint ignore=DL3008, DL3006\nFROM ubuntu\n") == []


def test_hadolint_global_ignore_applies_to_the_whole_file(catalog):
    text = "FROM ubuntu AS a\n# hadolint global ignore=DL3007\nFROM debian AS b\nFROM node:latest\n"
    assert found(catalog, text) == []


def test_hadolint_ignore_of_the_parse_error_code(catalog):
    assert found(catalog, "FROM ubuntu:24.04\n# hadolint ignore=DL1000\nRUNN echo\n") == []


def _unmapped_hadolint_code(catalog) -> str:
    declared = set()
    for rule in catalog:
        codes = rule.equivalents.get("hadolint") or []
        declared |= set(codes if isinstance(codes, list) else [codes])
    return next(f"DL{number}" for number in range(3000, 5000) if f"DL{number}" not in declared)


def test_a_hadolint_code_without_an_equivalent_suppresses_nothing(catalog):
    code = _unmapped_hadolint_code(catalog)
    for pragma in (f"# hadolint ignore={code}", f"# hadolint global ignore={code}"):
        assert found(catalog, f"{pragma}\nFROM ubuntu\n") == [("DF501", 2, 6)], pragma


def test_suppressions_through_the_command_line(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write("a/Dockerfile", "# dlint: ignore=DF501 -- pinned by renovate elsewhere\nFROM ubuntu\nFROM debian\n")
    write("b/Dockerfile", "# hadolint global ignore=DL3006\nFROM ubuntu\n")
    write("c/Dockerfile", "# dlint: ignore-file\nFROM ubuntu\n")
    code, document, _ = check_json(capsys, "--select", "DF501", ".")
    assert code == 1
    assert positions(document) == [("a/Dockerfile", "DF501", 3, 6)]


# -- reasons ------------------------------------------------------------------------------


def test_an_ignore_with_a_reason_as_in_the_issue(catalog):
    text = ("FROM ubuntu:24.04\n# dlint: ignore=DF201 -- vendored image\n"
            "RUN apt-get update && apt-get install -y --no-install-recommends curl\n"
            "RUN apt-get update && apt-get install -y --no-install-recommends git\n")
    assert found(catalog, text, "DF201") == [("DF201", 4, 5)]


# -- checkov and trivy pragmas ----------------------------------------------------------------

# DF102 (apt-update-alone) declares trivy DS-0017 and checkov CKV_DOCKER_5; DF202
# (apt-install-recommends) trivy DS-0029; DF201 (apt-lists-not-removed) neither.
LONE_UPDATES = ("FROM ubuntu:24.04\n{first}RUN apt-get update\nRUN apt-get install -y --no-install-recommends curl\n"
                "{second}RUN apt-get update\nRUN apt-get install -y git\n")


def lone_updates(first: str = "", second: str = "") -> str:
    return LONE_UPDATES.format(first=first and first + "\n", second=second and second + "\n")


def test_the_rules_used_below_declare_these_equivalents(catalog):
    by_code = {rule.code: rule for rule in catalog}
    assert by_code["DF102"].equivalents.get("trivy") == "DS-0017"
    assert by_code["DF102"].equivalents.get("checkov") == "CKV_DOCKER_5"
    assert by_code["DF202"].equivalents.get("trivy") == "DS-0029"
    assert "trivy" not in by_code["DF201"].equivalents and "checkov" not in by_code["DF201"].equivalents


def test_without_pragmas_both_updates_are_reported(catalog):
    assert found(catalog, lone_updates(), "DF102") == [("DF102", 2, 5), ("DF102", 4, 5)]


@pytest.mark.parametrize("pragma", [
    "# checkov:skip=CKV_DOCKER_5",
    "# checkov:skip=CKV_DOCKER_5:the index is refreshed by a cache mount",
    "#checkov:skip=CKV_DOCKER_5: reason after a colon and a space",
    "# checkov:skip= CKV_DOCKER_5",
    "# we accept this: checkov:skip=CKV_DOCKER_5",
    "# checkov:skip=CKV_DOCKER_2,CKV_DOCKER_5",
    "# bridgecrew:skip=CKV_DOCKER_5",
])
@pytest.mark.parametrize("where", ["first", "second"])
def test_a_checkov_skip_applies_to_the_whole_file_as_in_checkov(catalog, pragma, where):
    assert found(catalog, lone_updates(**{where: pragma}), "DF102") == []


def test_a_checkov_skip_silences_only_the_rules_that_map_it(catalog):
    text = lone_updates("# checkov:skip=CKV_DOCKER_5")
    assert found(catalog, text, "DF102", "DF202") == [("DF202", 6, 5)]


@pytest.mark.parametrize("pragma", [
    "# checkov:skip=CKV_DOCKER_4",     # mapped by no rule used here
    "# checkov:skip=",
    "# checkov:skip CKV_DOCKER_5",    # no `=`: not a skip
    "# checkov: skip=CKV_DOCKER_5",   # checkov does not accept the space either
    "# checkov:skip=CKV_DOCKER_55",
])
def test_other_checkov_comments_silence_nothing(catalog, pragma):
    assert found(catalog, lone_updates(pragma), "DF102") == [("DF102", 3, 5), ("DF102", 5, 5)]


@pytest.mark.parametrize("pragma", [
    "# trivy:ignore:DS-0017",
    "# trivy:ignore:DS0017",
    "# trivy:ignore:DS017",
    "# trivy:ignore:ds-0017",
    "# trivy:ignore:AVD-DS-0017",
    "#trivy:ignore:DS-0017",
    "# tfsec:ignore:DS-0017",
    "# trivy:ignore:DS-0017[some=param]",
    "# trivy:ignore:DS-0029 trivy:ignore:DS-0017",
    "# trivy:ignore:*",
    "# trivy:ignore:DS-0017:exp:2999-12-31",
])
def test_a_trivy_ignore_silences_the_next_instruction(catalog, pragma):
    assert found(catalog, lone_updates(second=pragma), "DF102") == [("DF102", 2, 5)]


@pytest.mark.parametrize("pragma", [
    "# trivy:ignore:DS-0017:exp:2001-01-01",   # expired: trivy reports it again, and so does dlint
    "# trivy:ignore:DS-0017:exp:someday",      # an unreadable date counts as expired in trivy too
    "# trivy:ignore:DS-0029",                  # another rule's code
    "# trivy:ignore:DS-0018",
    "# trivy:ignore:",
    "# trivy:ignore DS-0017",
    "# trivy:DS-0017",
    "# trivyignore:DS-0017",
])
def test_other_trivy_comments_silence_nothing(catalog, pragma):
    assert found(catalog, lone_updates(second=pragma), "DF102") == [("DF102", 2, 5), ("DF102", 5, 5)]


def test_a_trivy_ignore_applies_to_the_next_instruction_only(catalog):
    text = "FROM ubuntu:24.04\n# trivy:ignore:DS-0029\n\n# a note\nRUN apt-get install -y curl\nRUN apt-get install -y git\n"
    assert found(catalog, text, "DF202") == [("DF202", 6, 5)]


def test_a_trivy_wildcard_spares_rules_without_a_trivy_equivalent(catalog):
    text = "FROM ubuntu:24.04\n# trivy:ignore:*\nRUN apt-get update && apt-get install -y curl\n"
    assert found(catalog, text, "DF201", "DF202") == [("DF201", 3, 5)]


def test_a_trivy_ignore_covers_a_continued_instruction_and_its_heredoc(catalog):
    text = ("FROM ubuntu:24.04\n# trivy:ignore:DS-0029\nRUN <<EOF\nset -e\napt-get update\n"
            "apt-get install -y curl\nEOF\nRUN apt-get update \\\n && apt-get install -y git\n")
    assert found(catalog, text, "DF202") == [("DF202", 9, 5)]


def test_foreign_pragmas_through_the_command_line(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write("a/Dockerfile", lone_updates(second="# checkov:skip=CKV_DOCKER_5:legacy"))
    write("b/Dockerfile", lone_updates(second="# trivy:ignore:DS-0017"))
    code, document, _ = check_json(capsys, "--select", "DF102", ".")
    assert code == 1
    assert positions(document) == [("b/Dockerfile", "DF102", 2, 5)]


def test_foreign_pragmas_do_nothing_in_yaml(catalog):
    text = "services:\n  # trivy:ignore:*\n  # checkov:skip=CKV_DOCKER_5\n  web:\n    image: nginx\n"
    assert found(catalog, text, "WL") == found(catalog, text.replace("# trivy:ignore:*", "# x")
                                                   .replace("# checkov:skip=CKV_DOCKER_5", "# y"), "WL")
