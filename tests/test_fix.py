"""``dlint check --fix`` and ``--fix --diff``: each fix's exact output, the cases where a fix is
withheld, the fix loop's safety nets, and the file handling (line endings, BOM, mode,
symbolic links, atomic writes, standard input)."""
from __future__ import annotations

import io
import os
import stat
import subprocess
import sys

import pytest

from linter.checks import template
from linter.engine.runner import Linter
from linter.fix import apply_edits, fix_text, unified_diff, write_atomic
from linter.model.finding import Edit, Hit
from linter.model.rule import Check, Rule
from linter.model.span import Span
from tests.test_cli import check_json, run_cli, write

APT = ("DF102", "DF201", "DF202")  # apt-update-alone, apt-lists-not-removed, apt-install-recommends


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    """Every test runs in an empty folder: the command-line tests write and fix files there."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def fixed(catalog, text: str, *selectors: str) -> str:
    rules = [rule for rule in catalog if any(rule.matches(selector) for selector in selectors)]
    return fix_text(Linter(rules, catalog), text, "Dockerfile")[0]


def remaining(catalog, text: str, *selectors: str) -> list[tuple[str, int, int]]:
    rules = [rule for rule in catalog if any(rule.matches(selector) for selector in selectors)]
    result = fix_text(Linter(rules, catalog), text, "Dockerfile")[1]
    return [(finding.code, finding.span.line, finding.span.column) for finding in result.findings]


# -- apt-install-recommends (DF202) ----------------------------------------------------------


@pytest.mark.parametrize("before, after", [
    ("FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y python3-pip\n",
     "FROM ubuntu:24.04\nRUN apt-get update && apt-get install --no-install-recommends -y python3-pip\n"),
    ("FROM debian:12\nRUN apt-get update \\\n && DEBIAN_FRONTEND=noninteractive apt-get install -y \\\n      curl\n",
     "FROM debian:12\nRUN apt-get update \\\n && DEBIAN_FRONTEND=noninteractive apt-get install "
     "--no-install-recommends -y \\\n      curl\n"),
    ("FROM debian:12\nRUN <<EOF\napt-get update\nsudo -E apt install -y nginx\nEOF\n",
     "FROM debian:12\nRUN <<EOF\napt-get update\nsudo -E apt install --no-install-recommends -y nginx\nEOF\n"),
    ("FROM debian:12\nRUN <<-EOF\n\tapt-get -y install nginx\n\tEOF\n",
     "FROM debian:12\nRUN <<-EOF\n\tapt-get -y install --no-install-recommends nginx\n\tEOF\n"),
    ("FROM ubuntu:24.04\nRUN apt-get update && xargs apt-get install -y < /tmp/packages.txt\n",
     "FROM ubuntu:24.04\nRUN apt-get update && xargs apt-get install --no-install-recommends -y < /tmp/packages.txt\n"),
    ('FROM debian:12\nRUN ["apt-get", "install", "-y", "curl"]\n',
     'FROM debian:12\nRUN ["apt-get", "install", "--no-install-recommends", "-y", "curl"]\n'),
    ("FROM debian:12\nONBUILD RUN apt-get install -y curl\n",
     "FROM debian:12\nONBUILD RUN apt-get install --no-install-recommends -y curl\n"),
    ("FROM debian:12\nRUN apt-get install -y a && apt-get install -y b\n",
     "FROM debian:12\nRUN apt-get install --no-install-recommends -y a && apt-get install --no-install-recommends -y b\n"),
])
def test_apt_install_recommends_fix(catalog, before, after):
    assert fixed(catalog, before, "DF202") == after
    assert remaining(catalog, before, "DF202") == []


def test_no_apt_recommends_fix_inside_an_sh_c_string(catalog):
    text = "FROM debian:12\nRUN sh -c 'apt-get install -y curl'\n"
    assert fixed(catalog, text, "DF202") == text
    assert remaining(catalog, text, "DF202") == [("DF202", 2, 11)]


# -- pip-cache-kept (DF203) --------------------------------------------------------------------


@pytest.mark.parametrize("before, after", [
    ("FROM python:3.12-slim\nRUN pip3 install flask==3.0.3\n",
     "FROM python:3.12-slim\nRUN pip3 install --no-cache-dir flask==3.0.3\n"),
    ("FROM python:3.12-slim\nRUN python -m pip install --no-cache-dir -U pip \\\n && python3 -m pip install -r r.txt\n",
     "FROM python:3.12-slim\nRUN python -m pip install --no-cache-dir -U pip \\\n && python3 -m pip install "
     "--no-cache-dir -r r.txt\n"),
    ("FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=false\nRUN <<EOF\npip -q install gunicorn==22.0.0\nEOF\n",
     "FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=false\nRUN <<EOF\npip -q install --no-cache-dir gunicorn==22.0.0\n"
     "EOF\n"),
])
def test_pip_cache_fix(catalog, before, after):
    assert fixed(catalog, before, "DF203") == after
    assert remaining(catalog, before, "DF203") == []


@pytest.mark.parametrize("text", [
    "FROM python:3.12-slim\nRUN pip install --cache-dir /tmp/pip flask==3.0.3\n",  # two options would fight
    "FROM python:3.12-slim\nRUN bash -c 'pip install flask==3.0.3'\n",
])
def test_pip_cache_fix_withheld(catalog, text):
    assert fixed(catalog, text, "DF203") == text
    assert len(remaining(catalog, text, "DF203")) == 1


# -- apt-lists-not-removed (DF201) -------------------------------------------------------------


@pytest.mark.parametrize("before, after", [
    ("FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n",
     "FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y --no-install-recommends curl"
     " && rm -rf /var/lib/apt/lists/*\n"),
    ("FROM debian:12\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl \\\n"
     "    # the tools\n    git \\\n\n",
     "FROM debian:12\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl \\\n"
     "    # the tools\n    git && rm -rf /var/lib/apt/lists/* \\\n\n"),
    ("FROM debian:12\nRUN set -eux; apt-get update; apt-get install -y --no-install-recommends curl;\n",
     "FROM debian:12\nRUN set -eux; apt-get update; apt-get install -y --no-install-recommends curl"
     " && rm -rf /var/lib/apt/lists/*;\n"),
    ("# escape=`\nFROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl `\n  git\n",
     "# escape=`\nFROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl `\n"
     "  git && rm -rf /var/lib/apt/lists/*\n"),
    ("FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends git\n"
     "RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n",
     "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends git"
     " && rm -rf /var/lib/apt/lists/*\n"
     "RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n"),
    ("FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends gcc\n"
     "RUN apt-get purge -y gcc\n",  # removing needs no index
     "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends gcc"
     " && rm -rf /var/lib/apt/lists/*\nRUN apt-get purge -y gcc\n"),
])
def test_apt_lists_fix(catalog, before, after):
    assert fixed(catalog, before, "DF201") == after
    assert remaining(catalog, before, "DF201") == []


@pytest.mark.parametrize("text", [
    # a later RUN installs from the lists this one leaves
    "FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN apt-get install -y git\n",
    "FROM debian:12 AS base\nRUN apt-get update\nFROM base\nRUN apt-cache policy curl\n",
    "FROM debian:12\nRUN apt-get update && apt-get install -y curl\nONBUILD RUN apt-get install -y git\n",
    # or runs a script that might
    "FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN ./scripts/install-more.sh\n",
    "FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN bash -e install-more\n",
    # the RUN does not end with a command the cleanup can follow
    "FROM debian:12\nRUN apt-get update && apt-get install -y curl > /dev/null\n",
    "FROM debian:12\nRUN apt-get update && apt-get install -y curl # done\n",
    "FROM debian:12\nRUN apt-get update && apt-get install -y curl &\n",
    "FROM debian:12\nRUN (apt-get update && apt-get install -y curl)\n",
    # heredoc and exec forms are left alone
    "FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n",
    'FROM debian:12\nRUN ["apt-get", "update"]\n',
])
def test_apt_lists_fix_withheld(catalog, text):
    assert fixed(catalog, text, "DF201") == text
    assert remaining(catalog, text, "DF201") != []


def test_a_later_run_that_updates_first_does_not_hold_the_cleanup_back(catalog):
    text = ("FROM debian:12\nRUN apt-get update && apt-get install -y curl\n"
            "RUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*\n")
    assert fixed(catalog, text, "DF201").splitlines()[1].endswith("curl && rm -rf /var/lib/apt/lists/*")


# -- apt-update-alone (DF102) ------------------------------------------------------------------


@pytest.mark.parametrize("before, after", [
    ("FROM ubuntu:24.04\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl\n",
     "FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n"),
    ("FROM ubuntu:24.04\nRUN apt-get -qq update\n\n# the tools\nRUN --mount=type=cache,target=/var/cache/apt \\\n"
     "    apt-get install -y curl \\\n && echo done\n",
     "FROM ubuntu:24.04\n\n# the tools\nRUN --mount=type=cache,target=/var/cache/apt \\\n"
     "    apt-get -qq update && apt-get install -y curl \\\n && echo done\n"),
    ("FROM alpine:3.20\n  run apk update\nRUN apk add --no-cache curl | tee /log\n",
     "FROM alpine:3.20\nRUN apk update && apk add --no-cache curl | tee /log\n"),
    ("FROM rockylinux:9\nRUN dnf -y makecache\nRUN dnf -y install git && dnf clean all\n",
     "FROM rockylinux:9\nRUN dnf -y makecache && dnf -y install git && dnf clean all\n"),
])
def test_apt_update_alone_fix(catalog, before, after):
    assert fixed(catalog, before, "DF102") == after
    assert remaining(catalog, before, "DF102") == []


@pytest.mark.parametrize("text", [
    # the next RUN's commands are not an && chain: a failed update would no longer fail the build
    "FROM debian:12\nRUN apt-get update\nRUN set -e; apt-get install -y curl\n",
    "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl || true\n",
    # the next instruction is not the RUN that installs
    "FROM debian:12\nRUN apt-get update\nWORKDIR /app\nRUN apt-get install -y curl\n",
    "FROM debian:12\nRUN apt-get update\nRUN echo hello\nRUN apt-get install -y curl\n",
    "FROM debian:12 AS a\nRUN apt-get update\nFROM a\nRUN apt-get install -y curl\n",
    # another package manager, a flag that changes the network, heredoc or exec form
    "FROM debian:12\nRUN apt-get update\nRUN apk add curl\n",
    "FROM debian:12\nRUN apt-get update\nRUN --network=none apt-get install -y curl\n",
    "FROM debian:12\nRUN apt-get update\nRUN <<EOF\napt-get install -y curl\nEOF\n",
    'FROM debian:12\nRUN apt-get update\nRUN ["apt-get", "install", "-y", "curl"]\n',
    # the update RUN is more than the update
    "FROM debian:12\nRUN apt-get update > /dev/null\nRUN apt-get install -y curl\n",
    "FROM debian:12\nRUN apt-get \\\n    update\nRUN apt-get install -y curl\n",
    "FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt apt-get update\nRUN apt-get install -y curl\n",
    "FROM debian:12\nRUN echo start; apt-get update\nRUN apt-get install -y curl\n",
    # the next RUN updates already
    "FROM debian:12\nRUN apt-get update\nRUN apt-get update && apt-get install -y curl\n",
])
def test_apt_update_alone_fix_withheld(catalog, text):
    assert fixed(catalog, text, "DF102") == text
    assert remaining(catalog, text, "DF102") != []


# -- several fixes together --------------------------------------------------------------------


def test_the_apt_fixes_together_converge_in_a_few_passes(catalog):
    before = ("FROM ubuntu:24.04\nRUN apt-get update\nRUN apt-get install -y python3-pip\n"
              "RUN pip install flask==3.0.3\n")
    after = ("FROM ubuntu:24.04\nRUN apt-get update && apt-get install --no-install-recommends -y python3-pip"
             " && rm -rf /var/lib/apt/lists/*\nRUN pip install --no-cache-dir flask==3.0.3\n")
    assert fixed(catalog, before, *APT, "DF203") == after
    assert remaining(catalog, before, *APT, "DF203") == []


def test_a_suppressed_finding_is_not_fixed(catalog):
    text = "FROM debian:12\n# dlint: ignore=DF202 -- we want the recommends\nRUN apt-get install -y curl\n"
    assert fixed(catalog, text, "DF202") == text


def test_a_rule_without_a_declared_fix_passes_no_edits(catalog):
    rule = next(rule for rule in catalog if rule.code == "DF202")
    unfixable = rule._replace(fix=None)
    result = Linter([unfixable], catalog).lint_text("FROM debian:12\nRUN apt-get install -y curl\n", "Dockerfile")
    assert [finding.edits for finding in result.findings] == [()]
    result = Linter([rule], catalog).lint_text("FROM debian:12\nRUN apt-get install -y curl\n", "Dockerfile")
    assert [finding.edits for finding in result.findings] == [(Edit(Span("Dockerfile", 2, 20, 2, 20),
                                                                    " --no-install-recommends"),)]


def test_a_file_that_does_not_parse_is_not_fixed(catalog):
    text = "FROM debian:12\nRUN apt-get install -y curl\nRUNN echo\n"
    assert fixed(catalog, text, "DF202") == text


# -- the fix loop's safety nets, with made-up rules ---------------------------------------------


@template("test-fix-breaks-parsing", unit="instruction")
def _breaks_parsing(instruction, stage, params):
    if instruction.keyword == "RUN" and "break" in instruction.arguments:
        span = instruction.keyword_span
        yield Hit(span, {}, (Edit(span, "RUNN"),))


@template("test-fix-appends", unit="instruction")
def _appends(instruction, stage, params):
    if instruction.keyword == "RUN" and "grow" in instruction.arguments:
        end = instruction.span
        yield Hit(instruction.keyword_span, {}, (Edit(Span(end.path, end.end_line, end.end_column, end.end_line,
                                                           end.end_column), " grow"),))


def _rule(code: str, template_name: str) -> Rule:
    return Rule(code, f"test-{template_name}", "made up for a test", ("dockerfile",), "warning", True, (),
                (Check(("dockerfile",), template_name, {}),), "made up", {}, {}, fix="made up")


def test_a_fix_that_would_break_parsing_is_undone_and_the_others_still_apply(catalog):
    rules = [_rule("DF690", "test-fix-breaks-parsing"), *(rule for rule in catalog if rule.code == "DF202")]
    text = "FROM debian:12\nRUN echo break\nRUN apt-get install -y curl\n"
    fixed_text, result, count = fix_text(Linter(rules, catalog), text, "Dockerfile")
    assert fixed_text == "FROM debian:12\nRUN echo break\nRUN apt-get install --no-install-recommends -y curl\n"
    assert count == 1
    assert [finding.code for finding in result.findings] == ["DF690"]


def test_a_fix_that_never_converges_stops_after_the_last_pass(catalog):
    from linter.fix import MAX_PASSES

    text = "FROM debian:12\nRUN echo grow\n"
    fixed_text, _, count = fix_text(Linter([_rule("DF691", "test-fix-appends")], catalog), text, "Dockerfile")
    assert count == MAX_PASSES
    assert fixed_text == "FROM debian:12\nRUN echo grow" + " grow" * MAX_PASSES + "\n"


# -- applying edits ------------------------------------------------------------------------


def _edit(line, column, end_line, end_column, text):
    return Edit(Span("D", line, column, end_line, end_column), text)


def test_apply_edits_replaces_inserts_and_deletes():
    text = "one\ntwo\nthree\n"
    groups = [[_edit(1, 1, 1, 4, "ONE")], [_edit(2, 4, 2, 4, "!")], [_edit(3, 1, 4, 1, "")]]
    assert apply_edits(text, groups) == ("ONE\ntwo!\n", 3)


def test_apply_edits_defers_groups_that_touch_an_earlier_one():
    text = "abc\n"
    groups = [[_edit(1, 2, 1, 2, "X")], [_edit(1, 2, 1, 2, "Y")], [_edit(1, 1, 1, 3, "Z"), _edit(1, 4, 1, 4, "W")]]
    # the group starting first wins; the others touch it and wait for the next pass
    assert apply_edits(text, groups) == ("ZcW\n", 1)
    assert apply_edits(text, groups[:2]) == ("aXbc\n", 1)


def test_a_group_is_all_or_nothing():
    text = "abcdef\n"
    groups = [[_edit(1, 3, 1, 3, "1")], [_edit(1, 1, 1, 1, "2"), _edit(1, 3, 1, 4, "3")]]
    assert apply_edits(text, groups) == ("2ab3def\n", 1)


def test_columns_past_the_end_stop_before_the_line_ending():
    assert apply_edits("ab\r\ncd\r\n", [[_edit(1, 9, 1, 9, "!")]]) == ("ab!\r\ncd\r\n", 1)
    assert apply_edits("ab\ncd", [[_edit(2, 3, 2, 3, "!")], [_edit(9, 1, 9, 1, "?")]]) == ("ab\ncd!", 1)


def test_new_lines_in_a_replacement_follow_the_line_they_go_into():
    assert apply_edits("a\r\nb\r\n", [[_edit(1, 2, 1, 2, "\nx")]]) == ("a\r\nx\r\nb\r\n", 1)
    assert apply_edits("a\nb\n", [[_edit(1, 2, 1, 2, "\r\nx")]]) == ("a\nx\nb\n", 1)


# -- the command line ------------------------------------------------------------------------

BEFORE = "FROM ubuntu:24.04\nRUN apt-get update\nRUN apt-get install -y curl\nUSER 1000\n"
AFTER = ("FROM ubuntu:24.04\nRUN apt-get update && apt-get install --no-install-recommends -y curl"
         " && rm -rf /var/lib/apt/lists/*\nUSER 1000\n")


def test_fix_writes_the_file_and_reports_what_remains(capsys):
    write("Dockerfile", BEFORE)
    code, out, err = run_cli(capsys, "check", "--fix", "--select", "DF102,DF201,DF202,DF501", "Dockerfile")
    assert open("Dockerfile", encoding="utf-8", newline="").read() == AFTER
    assert code == 0
    assert out == "No findings in 1 file.\n"
    assert err == "dlint: applied 3 fixes to 1 file\n"
    code, out, err = run_cli(capsys, "check", "--fix", "--select", "DF102,DF201,DF202", "Dockerfile")
    assert (code, err) == (0, "")  # a second run changes nothing


def test_the_exit_code_after_fix_reflects_the_findings_left(capsys):
    write("Dockerfile", "FROM ubuntu\nRUN apt-get install -y curl\n")
    code, document, err = check_json(capsys, "--fix", "--select", "DF202,DF501", "Dockerfile")
    assert code == 1
    assert [(f["code"], f["line"]) for f in document["findings"]] == [("DF501", 1)]
    assert err == "dlint: applied 1 fix to 1 file\n"


def test_fix_diff_prints_a_diff_and_writes_nothing(capsys):
    write("Dockerfile", BEFORE)
    code, out, err = run_cli(capsys, "check", "--fix", "--diff", "--select", "DF102,DF201,DF202", "Dockerfile")
    assert open("Dockerfile", encoding="utf-8").read() == BEFORE
    assert out == (
        "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,4 +1,3 @@\n FROM ubuntu:24.04\n-RUN apt-get update\n"
        "-RUN apt-get install -y curl\n+RUN apt-get update && apt-get install --no-install-recommends -y curl"
        " && rm -rf /var/lib/apt/lists/*\n USER 1000\n")
    assert err == "dlint: would apply 3 fixes to 1 file\n"
    assert code == 0  # nothing would remain


def test_the_diff_applies_with_git(capsys, tmp_path):
    write("sub/Dockerfile", BEFORE)
    _, out, _ = run_cli(capsys, "check", "--fix", "--diff", "--select", "DF102,DF201,DF202", "sub/Dockerfile")
    (tmp_path / "fix.patch").write_text(out, encoding="utf-8")
    try:
        subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, capture_output=True)
        subprocess.run(["git", "apply", "fix.patch"], cwd=tmp_path, check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as error:
        pytest.skip(f"git is not usable here: {error}")
    assert (tmp_path / "sub" / "Dockerfile").read_text(encoding="utf-8") == AFTER


def test_the_diff_marks_a_missing_final_newline():
    diff = unified_diff("Dockerfile", "FROM a\nRUN x", "FROM a\nRUN y")
    assert diff.endswith("-RUN x\n\\ No newline at end of file\n+RUN y\n\\ No newline at end of file\n")


def test_a_bare_diff_needs_fix(capsys):
    write("Dockerfile", BEFORE)
    code, out, err = run_cli(capsys, "check", "--fix-diff", "Dockerfile")
    assert (code, out) == (2, "")
    assert "a bare --diff only goes with --fix" in err


def test_diff_after_fix_is_the_flag_and_the_path_stays_a_path(capsys):
    write("Dockerfile", BEFORE)
    code, out, _ = run_cli(capsys, "check", "--fix", "--diff", "Dockerfile", "--select", "DF202")
    assert out.startswith("--- a/Dockerfile\n+++ b/Dockerfile\n")
    with open("Dockerfile", encoding="utf-8") as handle:
        assert handle.read() == BEFORE


def test_crlf_stays_crlf_and_a_bom_stays(capsys):
    write("Dockerfile", ("\ufeff" + BEFORE.replace("\n", "\r\n")).encode("utf-8"))
    run_cli(capsys, "check", "--fix", "--select", "DF102,DF201,DF202", "Dockerfile")
    with open("Dockerfile", "rb") as handle:
        assert handle.read() == ("\ufeff" + AFTER.replace("\n", "\r\n")).encode("utf-8")


def test_mixed_line_endings_are_kept_line_by_line(capsys):
    write("Dockerfile", b"FROM debian:12\r\nRUN apt-get install -y curl\nUSER 1000\r\n")
    run_cli(capsys, "check", "--fix", "--select", "DF202", "Dockerfile")
    with open("Dockerfile", "rb") as handle:
        assert handle.read() == b"FROM debian:12\r\nRUN apt-get install --no-install-recommends -y curl\nUSER 1000\r\n"


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_the_file_mode_is_kept(capsys):
    path = write("Dockerfile", BEFORE)
    os.chmod(path, 0o640)
    run_cli(capsys, "check", "--fix", "--select", "DF202", "Dockerfile")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert "--no-install-recommends" in path.read_text(encoding="utf-8")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links")
def test_a_symbolic_link_stays_a_link_to_the_fixed_file(capsys):
    target = write("real/Dockerfile", BEFORE)
    os.symlink(os.path.join("real", "Dockerfile"), "Dockerfile")
    run_cli(capsys, "check", "--fix", "--select", "DF202", "Dockerfile")
    assert os.path.islink("Dockerfile")
    assert "--no-install-recommends" in target.read_text(encoding="utf-8")


def test_the_write_is_atomic_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    path = write(tmp_path / "Dockerfile", "old\n")
    calls = []
    real_replace = os.replace

    def replace(source, destination):
        calls.append((source, destination))
        assert open(destination, encoding="utf-8").read() == "old\n"  # untouched until the swap
        assert open(source, encoding="utf-8").read() == "new\n"  # complete before it
        assert os.path.dirname(source) == os.path.dirname(destination)
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", replace)
    write_atomic(str(path), b"new\n")
    assert len(calls) == 1
    assert path.read_text(encoding="utf-8") == "new\n"
    assert sorted(os.listdir(tmp_path)) == ["Dockerfile"]


def test_a_failed_write_leaves_the_file_and_no_temporary_file(tmp_path, monkeypatch):
    path = write(tmp_path / "Dockerfile", "old\n")

    def fail(source, destination):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_atomic(str(path), b"new\n")
    assert path.read_text(encoding="utf-8") == "old\n"
    assert sorted(os.listdir(tmp_path)) == ["Dockerfile"]


def test_a_file_that_cannot_be_written_is_reported_and_keeps_its_findings(capsys, monkeypatch):
    write("Dockerfile", "FROM debian:12\nRUN apt-get install -y curl\n")

    def fail(path, data):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("linter.fix.write_atomic", fail)
    code, document, err = check_json(capsys, "--fix", "--select", "DF202", "--fail-on", "info", "Dockerfile")
    assert [(f["code"], f["line"]) for f in document["findings"]] == [("DF202", 2)]
    assert code == 1
    assert "could not write the fixes to Dockerfile: Permission denied" in err


def test_a_file_that_is_not_utf8_is_linted_but_not_rewritten(capsys):
    data = "FROM debian:12\nRUN apt-get install -y curl\n".encode("utf-16")
    write("Dockerfile", data)
    code, document, err = check_json(capsys, "--fix", "--select", "DF202", "--fail-on", "info", "Dockerfile")
    with open("Dockerfile", "rb") as handle:
        assert handle.read() == data
    assert [f["code"] for f in document["findings"]] == ["DF202"]
    assert err == ""


def test_a_file_that_does_not_parse_is_named_on_stderr(capsys):
    write("Dockerfile", "FROM debian:12\nRUN apt-get install -y curl\nRUNN echo\n")
    code, _, err = check_json(capsys, "--fix", "--select", "DF202,PE", "Dockerfile")
    assert err == "dlint: not fixed, because it does not parse: Dockerfile: line 3: unknown instruction 'RUNN'\n"
    assert code == 1


def test_compose_files_are_checked_but_not_touched(capsys):
    text = "services:\n  web:\n    image: nginx\n"
    write("compose.yaml", text)
    run_cli(capsys, "check", "--fix", "compose.yaml")
    assert open("compose.yaml", encoding="utf-8").read() == text


def _stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_fix_on_standard_input_prints_the_fixed_file(capsys, monkeypatch):
    _stdin(monkeypatch, BEFORE.replace("\n", "\r\n").encode())
    code, out, err = run_cli(capsys, "check", "--fix", "--select", "DF102,DF201,DF202", "-")
    assert out == AFTER.replace("\n", "\r\n")
    assert (code, err) == (0, "dlint: applied 3 fixes to 1 file\n")


def test_fix_on_standard_input_prints_an_unfixable_file_unchanged(capsys, monkeypatch):
    _stdin(monkeypatch, b"FROM ubuntu\n")
    code, out, err = run_cli(capsys, "check", "--fix", "--select", "DF501", "-")
    assert (code, out, err) == (1, "FROM ubuntu\n", "")


def test_fix_diff_on_standard_input(capsys, monkeypatch):
    _stdin(monkeypatch, b"FROM debian:12\nRUN apt-get install -y curl\n")
    code, out, _ = run_cli(capsys, "check", "--fix", "--diff", "--select", "DF202", "-")
    assert out == ("--- a/-\n+++ b/-\n@@ -1,2 +1,2 @@\n FROM debian:12\n-RUN apt-get install -y curl\n"
                   "+RUN apt-get install --no-install-recommends -y curl\n")
    assert code == 0


@pytest.mark.parametrize("text", [
    "FROM debian:12\nRUN sudo apt-get update && sudo apt-get install -y curl\n",
    "FROM debian:12\nUSER app\nRUN apt-get update && apt-get install -y curl\n",
    "FROM debian:12\nRUN gosu root apt-get update && gosu root apt-get install -y curl\n",
])
def test_no_apt_lists_cleanup_where_it_might_lack_the_rights(catalog, text):
    assert fixed(catalog, text, "DF201") == text


def test_apt_lists_cleanup_under_user_root(catalog):
    text = "FROM debian:12\nUSER root\nRUN env DEBIAN_FRONTEND=noninteractive apt-get update\n"
    assert fixed(catalog, text, "DF201").endswith("apt-get update && rm -rf /var/lib/apt/lists/*\n")


# -- cache-busting-copy (DF101): manifests first -------------------------------------------

def fixed_in_context(catalog, text: str, context: dict[str, str] | None) -> str:
    rules = [rule for rule in catalog if rule.code == "DF101"]
    return fix_text(Linter(rules, catalog), text, "Dockerfile", context=context)[0]


REQUIREMENTS = {"requirements.txt": "flask==3.0.3\ngunicorn==22.0.0  # server\n"}
PACKAGE = {"package.json": '{"name": "api", "dependencies": {"express": "^4.19.2"}, "scripts": {"start": "node ."}}',
           "package-lock.json": "{}"}


@pytest.mark.parametrize("before, context, after", [
    ("FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\n"
     "CMD [\"python\", \"app.py\"]\n",
     REQUIREMENTS,
     "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt ./\nRUN pip install --no-cache-dir -r requirements.txt\n"
     "COPY . .\nCMD [\"python\", \"app.py\"]\n"),
    ("FROM node:20-slim\nWORKDIR /srv\nCOPY --chown=node:node . /srv\nRUN npm ci --omit=dev \\\n    && npm cache clean --force\n",
     PACKAGE,
     "FROM node:20-slim\nWORKDIR /srv\nCOPY --chown=node:node package.json package-lock.json /srv/\n"
     "RUN npm ci --omit=dev \\\n    && npm cache clean --force\nCOPY --chown=node:node . /srv\n"),
    ("FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -U pip && pip install -r requirements.txt\n",
     {"requirements.txt": "-r requirements/base.txt\nrequests\n", "requirements/base.txt": "flask\n"},
     "FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt ./\nCOPY requirements/base.txt ./requirements/\n"
     "RUN pip install -U pip && pip install -r requirements.txt\nCOPY . .\n"),
])
def test_cache_busting_copy_fix_copies_the_manifests_first(catalog, before, context, after):
    assert fixed_in_context(catalog, before, context) == after
    rules = [rule for rule in catalog if rule.code == "DF101"]
    assert Linter(rules, catalog).lint_text(after, "Dockerfile", context=context).findings == []


PIP_APP = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n"


@pytest.mark.parametrize("text, context", [
    pytest.param(PIP_APP, None, id="context unknown"),
    pytest.param(PIP_APP, {}, id="requirements file missing"),
    pytest.param(PIP_APP, {"requirements.txt": "-e .\n"}, id="editable install of the project"),
    pytest.param(PIP_APP, {"requirements.txt": "./libs/shared\n"}, id="local path"),
    pytest.param(PIP_APP, {"requirements.txt": "shared @ file:///app/libs/shared\n"}, id="file URL"),
    pytest.param(PIP_APP.replace("requirements.txt\n", "requirements.txt && python manage.py collectstatic\n"),
                 REQUIREMENTS, id="another command reads the sources"),
    pytest.param(PIP_APP.replace("COPY . .\n", "COPY . .\nENV PIP_TARGET=/opt\n"), REQUIREMENTS,
                 id="not the next instruction"),
    pytest.param(PIP_APP.replace("COPY . .", "COPY --exclude=tests . ."), REQUIREMENTS, id="unknown copy flag"),
    pytest.param(PIP_APP.replace("RUN pip", "RUN --mount=type=bind,target=/src pip"), REQUIREMENTS, id="bind mount"),
    pytest.param(PIP_APP.replace("COPY . .", "COPY . /srv"), REQUIREMENTS, id="copied elsewhere than WORKDIR"),
    pytest.param("FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n",
                 {"package.json": '{"scripts": {"postinstall": "node build.js"}}'}, id="npm lifecycle script"),
    pytest.param("FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n",
                 {"package.json": '{"dependencies": {"shared": "file:../shared"}}'}, id="npm local dependency"),
    pytest.param("FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm install express\n", PACKAGE, id="npm package operand"),
])
def test_cache_busting_copy_fix_withheld(catalog, text, context):
    assert fixed_in_context(catalog, text, context) == text
