"""Edge cases of the shared command helpers and of templates, beyond the rule examples."""
from __future__ import annotations

import pytest

from linter.checks._commands import (
    calls, covers, match, package_name, pattern, removal_covers, removed_paths, written_paths,
)
from linter.parsers.dockerfile import parse_dockerfile
from tests.conftest import lint_with


def run_calls(body: str, workdir: str = "/"):
    dockerfile = parse_dockerfile(f"FROM ubuntu:24.04\nRUN {body}\n", "Dockerfile")
    return calls(dockerfile.stages[0].instructions[-1], workdir)


@pytest.mark.parametrize("body, tool, args", [
    ("sudo -u app -E env -i A=1 pip3.11 install x", "pip", ["install", "x"]),
    ("python3 -u -m pip install x", "pip", ["install", "x"]),
    ("python -mpip install x", "pip", ["install", "x"]),
    ("xargs -r -n 1 apt-get install -y < list", "apt-get", ["install", "-y"]),
    ("timeout -s KILL 300 npm ci", "npm", ["ci"]),
    ("nice -n 10 ionice -c 3 ./gradlew dependencies", "gradle", ["dependencies"]),
    ("/opt/venv/bin/pip install x", "pip", ["install", "x"]),
    ("gosu app yarn", "yarn", []),
])
def test_wrappers_are_looked_through(body, tool, args):
    (call,) = run_calls(body)
    assert call.tool == tool
    assert [word.resolved for word in call.args] == args


def test_inline_exported_and_wrapper_variables_reach_the_call():
    found = run_calls("export A=1 && B=2 sudo C=3 env D=4 pip install x")
    assert dict(found[0].env) == {"A": "1", "B": "2", "C": "3", "D": "4"}


def test_sh_c_strings_are_split_into_calls_at_the_string():
    found = run_calls("bash -euxo pipefail -c 'apt-get update && apt-get install -y curl'")
    assert [(call.tool, call.subcommand()[0]) for call in found] == [("apt-get", "update"), ("apt-get", "install")]
    assert found[0].span.column == 28  # the script string


def test_cd_is_followed_for_relative_paths():
    found = run_calls("cd /src && cd sub && rm -rf build", workdir="/app")
    assert found[0].cwd == "/src/sub"
    found = run_calls("cd $DIR && rm x")
    assert found[0].cwd is None


@pytest.mark.parametrize("body, text, expected", [
    ("mvn -B -q clean dependency:go-offline", "mvn ... dependency:go-offline", 4),
    ("mvn -f pom.xml dependency:go-offline", "mvn dependency:go-offline", 3),
    ("apt-get -o Acquire::Retries=3 -y install curl", "apt-get install", 4),
    ("npm i -g x", "npm install", 1),
    ("npm clean-install", "npm ci", 1),
    ("yarn --frozen-lockfile", "yarn install", 0),
    ("go mod download", "go mod download", 2),
    ("go mod tidy", "go mod download", None),
    ("uv pip install x", "uv pip install", 2),
    ("pip download x", "pip install", None),
])
def test_patterns(body, text, expected):
    (call,) = run_calls(body)
    assert match(call, pattern(text)) == expected


def test_options_in_groups_and_with_values():
    (call,) = run_calls("apt-get install -qy -oAPT::Install-Recommends=0 x")
    assert call.has_option("-y")
    assert call.has_option("-o APT::Install-Recommends=0")
    assert not call.has_option("--no-install-recommends")
    (call,) = run_calls("curl -fsSLo /tmp/x.tgz https://e.com/x.tgz")
    assert [word.resolved for word in written_paths(call)] == ["/tmp/x.tgz"]
    (call,) = run_calls("wget -P /opt https://e.com/a/b.zip?x=1")
    assert [word.resolved for word in written_paths(call)] == ["/opt/b.zip"]
    (call,) = run_calls("find /var/cache -type f -delete")
    assert [word.resolved for word in removed_paths(call)] == ["/var/cache"]


@pytest.mark.parametrize("container, path, expected", [
    ("/var/lib/apt", "/var/lib/apt/lists", True),
    ("/var/lib/apt/lists", "/var/lib/apt/lists", True),
    ("/var/lib/apt/lists/partial", "/var/lib/apt/lists", False),
    ("/root/.cache", "*/.cache/pip", True),
    ("/home/app/.cache/pip", "*/.cache/pip", True),
    ("/root/.cache/uv", "*/.cache/pip", False),
    ("/", "/var/lib/apt/lists", False),
])
def test_covers(container, path, expected):
    assert covers(container, path) is expected


def test_removal_covers():
    assert removal_covers("/var/lib/apt/lists/*", "/var/lib/apt/lists")
    assert removal_covers("/tmp", "/tmp/x.tgz")
    assert not removal_covers("/var/lib/apt/lists/*.deb", "/var/lib/apt/lists")
    assert not removal_covers("/*", "/etc")


@pytest.mark.parametrize("text, syntax, name", [
    ("Flask_Login[extra]==0.6", "pip", "flask-login"),
    ("@scope/pkg@1.2.3", "npm", "@scope/pkg"),
    ("libc6:amd64=2.36", "apt", "libc6"),
    ("gcc-12.1.1-3.el9", "rpm", "gcc"),
])
def test_package_names(text, syntax, name):
    assert package_name(text, syntax) == name


# -- the pinning template with other syntaxes (for future npm/apk/apt rules) ----------------

@pytest.mark.parametrize("syntax, command, body, unpinned", [
    ("npm", "npm install", "npm install express@4.19.2 lodash @types/node@20 @scope/x ./local git+https://h/x.git#v1",
     ["lodash", "@scope/x"]),
    ("npm", "npm install", "npm install left-pad@latest user/repo user/repo#abc", ["left-pad@latest", "user/repo"]),
    ("apk", "apk add", "apk add --no-cache curl=8.5.0-r0 git~2.43 -t .deps make ./x.apk", ["make"]),
    ("apt", "apt-get install", "apt-get install -y -t bookworm-backports curl=7.88 git ./x.deb", ["git"]),
])
def test_pinning_syntaxes(catalog, syntax, command, body, unpinned):
    findings = lint_with(catalog, f"FROM x:1\nRUN {body}\n", "pip-package-unpinned",
                         params={"commands": [command], "syntax": syntax, "upgrade_exempt": []})
    assert [f.message.split("`")[1] for f in findings] == unpinned


def test_pinning_applies_to_onbuild_triggers(catalog):
    findings = lint_with(catalog, "FROM python:3.12\nONBUILD RUN pip install flask\n", "pip-package-unpinned")
    assert [(f.span.line, f.span.column) for f in findings] == [(2, 25)]


# -- stage-aware templates -------------------------------------------------------------------

def test_cache_rules_can_check_every_stage(catalog):
    text = "FROM debian:12 AS build\nRUN apt-get update\nFROM scratch\n"
    assert lint_with(catalog, text, "apt-lists-not-removed") == []
    findings = lint_with(catalog, text, "apt-lists-not-removed", params={"stages": "all"})
    assert [(f.span.line, f.span.column) for f in findings] == [(2, 5)]


def test_cache_busting_copy_reports_each_copy_once(catalog):
    text = ("FROM python:3.12-slim\nCOPY app.py /app/\nCOPY static /app/static\n"
            "RUN pip install -r /app/requirements.txt\nRUN apt-get install -y curl\n")
    findings = lint_with(catalog, text, "cache-busting-copy")
    assert [(f.span.line, f.span.column) for f in findings] == [(2, 6), (3, 6)]
    assert all("(line 4)" in f.message for f in findings)


def test_cache_busting_copy_ignores_other_stages_installs(catalog):
    text = "FROM node:20 AS web\nCOPY . .\nFROM python:3.12\nRUN pip install -r requirements.txt\n"
    assert lint_with(catalog, text, "cache-busting-copy") == []


def test_runs_as_root_follows_a_chain_to_a_nonroot_base(catalog):
    text = ("FROM gcr.io/distroless/python3-debian12:nonroot AS base\nFROM base AS mid\nFROM mid\n"
            "COPY app /app\n")
    assert lint_with(catalog, text, "runs-as-root") == []
    text = "FROM python:3.12 AS base\nUSER app\nFROM base\nUSER root:root\nUSER 0\n"
    findings = lint_with(catalog, text, "runs-as-root")
    assert [(f.span.line, f.span.column) for f in findings] == [(5, 6)]


def test_later_cleanup_resolves_relative_paths_against_workdir(catalog):
    text = ("FROM debian:12\nWORKDIR /opt\nCOPY vendor.tar.gz ./\nRUN tar -xzf vendor.tar.gz\n"
            "WORKDIR /srv\nRUN rm ../opt/vendor.tar.gz\n")
    findings = lint_with(catalog, text, "cleanup-in-later-layer")
    assert [(f.span.line, f.span.column) for f in findings] == [(6, 5)]
    assert "`/opt/vendor.tar.gz`" in findings[0].message and "line 3" in findings[0].message


def test_a_short_option_group_ending_in_a_value_option_takes_the_next_word():
    (call,) = run_calls("curl -fsSLo node.tar.xz https://nodejs.org/dist/node.tar.xz")
    assert [word.resolved for _, word in call.positionals()] == ["https://nodejs.org/dist/node.tar.xz"]


def test_a_download_after_an_application_copy_busts_the_cache(catalog):
    text = "FROM debian:12\nCOPY . /src\nRUN curl -fsSLo tool.tgz https://e.com/tool.tgz\n"
    findings = lint_with(catalog, text, "cache-busting-copy")
    assert [(f.span.line, f.span.column) for f in findings] == [(2, 6)]


def test_onbuild_runs_are_checked_by_the_stage_templates_that_look_at_one_run(catalog):
    text = "FROM debian:12 AS base\nONBUILD RUN apt-get update && apt-get install -y curl\nFROM scratch\n"
    found = {(f.name, f.span.line, f.span.column) for f in lint_with(catalog, text, "DF201", "DF202")}
    assert found == {("apt-lists-not-removed", 2, 13), ("apt-install-recommends", 2, 31)}


def test_installing_the_project_with_extras_reads_the_copy(catalog):
    text = "FROM python:3.12\nCOPY . /src\nWORKDIR /src\nRUN pip install --no-cache-dir '.[server]'\n"
    assert lint_with(catalog, text, "cache-busting-copy", "pip-package-unpinned") == []


def test_hadolint_pragmas_reach_findings_on_later_lines_of_the_run(catalog):
    text = ("FROM ubuntu:24.04\n# hadolint ignore=DL3009,DL3015\nRUN true \\\n && apt-get update \\\n"
            " && apt-get install -y curl\n")
    assert lint_with(catalog, text, "DF201", "DF202") == []


@pytest.mark.parametrize("body, shown", [
    ('pip install "$(cat reqs.txt)"', 'pip install "$(cat reqs.txt)"'),
    ('pip install "a b"', "pip install 'a b'"),
    ('echo "`id -u`"', 'echo "`id -u`"'),
])
def test_a_call_is_shown_with_quotes_that_keep_its_meaning(body, shown):
    (call,) = run_calls(body)
    assert call.text() == shown


def test_a_message_shows_a_command_substitution_in_double_quotes(catalog):
    text = 'FROM python:3.12\nCOPY . .\nRUN pip install --no-cache-dir "$(cat requirements.txt)"\n'
    (finding,) = lint_with(catalog, text, "cache-busting-copy")
    assert '`pip install --no-cache-dir "$(cat requirements.txt)"`' in finding.message
