"""Properties of ``--fix`` over every rule's bad examples, the fixture Dockerfiles and generated
ones: fixing is idempotent, never breaks parsing, never adds findings, leaves nothing it could
fix, treats CRLF files exactly like LF ones, and keeps the file's mode."""
from __future__ import annotations

import os
import stat
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.engine.catalog import load_catalog
from linter.engine.runner import Linter
from linter.fix import Fixer, fix_text, parse_problem
from tests.conftest import ROOT

CATALOG = load_catalog(ROOT / "rules", docs=True)
# Every rule, the ones off by default too: a fix must not add a finding of any of them.
EVERY_RULE = Linter(CATALOG, CATALOG)
FIXTURES = sorted((ROOT / "tests" / "fixtures" / "dockerfiles").glob("*"))


def _counts(findings) -> Counter:
    return Counter(finding.code for finding in findings)


def assert_fix_properties(text: str, path: str = "Dockerfile", linter: Linter = EVERY_RULE,
                          context: dict[str, str] | None = None) -> str:
    before = linter.lint_text(text, path, context=context)
    fixed, result, count = fix_text(linter, text, path, context=context)
    # never adds findings (by code: fixed findings may move, none may appear)
    assert not _counts(result.findings) - _counts(before.findings), (text, fixed)
    # never breaks parsing
    if parse_problem(text, path) is None:
        assert parse_problem(fixed, path) is None, (text, fixed)
        # leaves nothing it could still fix
        assert [finding.code for finding in result.findings if finding.edits] == [], (text, fixed)
    else:
        assert (fixed, count) == (text, 0)  # a file that does not parse is not touched
    # a second run changes nothing
    again, _, count_again = fix_text(linter, fixed, path, context=context)
    assert (again, count_again) == (fixed, 0), (text, fixed)
    # the fixed findings are gone from the result that is reported
    assert result.findings == linter.lint_text(fixed, path, context=context).findings
    assert (count == 0) == (fixed == text)
    return fixed


def assert_line_endings_kept(text: str, fixed: str, path: str = "Dockerfile",
                             context: dict[str, str] | None = None) -> None:
    """The same file with CRLF endings is fixed the same way, and stays CRLF."""
    if "\r" in text:
        return
    crlf = text.replace("\n", "\r\n")
    assert fix_text(EVERY_RULE, crlf, path, context=context)[0] == fixed.replace("\n", "\r\n")


# -- the rules' own bad examples and the fixture Dockerfiles ---------------------------------


def _bad_examples():
    for rule in CATALOG:
        if "dockerfile" not in rule.targets:
            continue
        for number, example in enumerate(rule.bad, 1):
            if not example.path.endswith((".yaml", ".yml")):
                yield pytest.param(example.code, example.context, id=f"{rule.name}-bad{number}")


@pytest.mark.parametrize("text, context", list(_bad_examples()))
def test_fixing_a_bad_example(text, context):
    fixed = assert_fix_properties(text, context=context)
    assert_line_endings_kept(text, fixed, context=context)


@pytest.mark.parametrize("path", FIXTURES, ids=[path.name for path in FIXTURES])
def test_fixing_a_fixture(path):
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pytest.skip("not UTF-8: never rewritten")
    fixed = assert_fix_properties(text, path.name)
    assert_line_endings_kept(text, fixed, path.name)


def test_the_fixable_rules_fix_some_of_their_examples():
    """Each rule that declares a fix fixes at least one of its bad examples (alone)."""
    for rule in CATALOG:
        if rule.fix is None or "dockerfile" not in rule.targets:
            continue
        linter = Linter([rule], CATALOG)
        fixed = [example for example in rule.bad
                 if fix_text(linter, example.code, "Dockerfile", context=example.context)[2]]
        assert fixed, f"{rule.name} declares a fix but fixes none of its bad examples"


def test_the_docs_of_every_dockerfile_rule_say_whether_it_has_a_fix():
    for rule in CATALOG:
        if "dockerfile" not in rule.targets or not rule.checks:
            continue
        safety = rule.docs.get("fix_safety", "")
        assert safety, f"{rule.name}: docs.fix_safety is missing"
        if rule.fix is not None:
            assert "--fix" in safety, f"{rule.name} has a fix; its fix_safety should say what `--fix` does"


# -- generated Dockerfiles ----------------------------------------------------------------------

BASES = ["FROM ubuntu:24.04", "FROM debian:12 AS Build", "FROM python:3.12-slim", "FROM alpine:3.20 AS base",
         "FROM base", "FROM ubuntu", "from debian:12 as deps"]
COMMANDS = [
    "apt-get update", "apt-get install -y curl", "apt-get -qq install git", "apt install vim",
    "DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends tzdata", "apt-get install curl",
    "apt-get clean", "rm -rf /var/lib/apt/lists/*", "apt-cache policy curl", "sudo apt-get install -y htop",
    "pip install flask", "python3 -m pip install -r requirements.txt", "pip install --cache-dir /c x",
    "apk update", "apk add curl", "apk add --no-cache git", "dnf -y makecache", "dnf install -y git",
    "sh -c 'apt-get install -y jq'", "echo done", "./install.sh", "set -eux", "make", "cd /app",
    "xargs apt-get install -y < pkgs", "env A=1 pip install b",
]
OPERATORS = [" && ", "; ", " || ", " | ", " && \\\n    ", " \\\n && ", "\\\n"]
TAILS = ["", "", "", " # note", " > /dev/null", ";", " &"]
OTHERS = ["USER app", "USER root", "WORKDIR /app", "COPY . .", "ENV A=1", "ENV B 2", "MAINTAINER Jane <j@x.org>",
          "CMD python app.py", "CMD [\"python\", \"app.py\"]", "ENTRYPOINT ./run.sh", "# a comment", "",
          "# dlint: ignore=DF202", "# hadolint ignore=DL3009", "ARG V=1", "LABEL a=b", "EXPOSE 80",
          "SHELL [\"/bin/bash\", \"-c\"]", "HEALTHCHECK CMD curl -f http://localhost/"]


@st.composite
def run_instructions(draw) -> str:
    commands = draw(st.lists(st.sampled_from(COMMANDS), min_size=1, max_size=4))
    kind = draw(st.sampled_from(["shell", "shell", "shell", "heredoc", "onbuild", "mount", "exec"]))
    if kind == "heredoc":
        return "RUN <<EOF\n" + "\n".join(commands) + "\nEOF"
    if kind == "exec":
        return 'RUN ["' + '", "'.join(commands[0].split()) + '"]'
    text = commands[0]
    for command in commands[1:]:
        text += draw(st.sampled_from(OPERATORS)) + command
    text += draw(st.sampled_from(TAILS))
    prefix = {"shell": "RUN ", "onbuild": "ONBUILD RUN ", "mount": "RUN --mount=type=cache,target=/var/lib/apt "}
    return prefix[kind] + text


@st.composite
def dockerfiles(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 3))):
        lines.append(draw(st.sampled_from(BASES)))
        lines += draw(st.lists(st.one_of(run_instructions(), st.sampled_from(OTHERS)), max_size=6))
    text = "\n".join(lines)
    if draw(st.booleans()):
        text = "# escape=`\n" + text.replace("\\\n", "`\n")
    return text + draw(st.sampled_from(["\n", "\n", ""]))


SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(dockerfiles())
def test_fixing_generated_dockerfiles(text):
    fixed = assert_fix_properties(text)
    assert_line_endings_kept(text, fixed)


@SETTINGS
@given(dockerfiles(), st.sampled_from([True, False]))
def test_a_bom_and_crlf_survive(text, bom):
    crlf = ("\ufeff" if bom else "") + text.replace("\n", "\r\n")
    fixed = assert_fix_properties(crlf)
    assert fixed.startswith("\ufeff") == bom
    assert "\n" not in fixed.replace("\r\n", "")


# -- the file on disk ---------------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
@settings(max_examples=25, deadline=None)
@given(dockerfiles(), st.sampled_from([0o600, 0o640, 0o644, 0o664, 0o755, 0o700, 0o444]))
def test_the_file_mode_is_kept(text, mode):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "Dockerfile"
        path.write_bytes(text.encode("utf-8"))
        os.chmod(path, mode)
        before = path.read_bytes()
        Fixer().fix(EVERY_RULE, before, str(path))
        assert stat.S_IMODE(os.stat(path).st_mode) == mode
        assert os.listdir(directory) == ["Dockerfile"]  # no temporary file left behind
        assert path.read_bytes() == fix_text(EVERY_RULE, text, str(path))[0].encode("utf-8")
