"""The command-reading templates never raise, whatever the RUN, COPY or USER text."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import lint_with

MINE = ("DF101", "DF102", "DF201", "DF202", "DF203", "DF204", "DF502", "WL301")

PIECES = [
    "FROM ubuntu\n", "FROM base AS b\n", "FROM b\n", "FROM scratch\n", "FROM ${X}\n", "RUN ", "COPY ", "ADD ",
    "USER ", "WORKDIR ", "ENV ", "ARG ", "ONBUILD RUN ", "--mount=type=cache,target=/root/.cache ",
    "--mount=type=tmpfs,target=/var/lib/apt ", "--mount=type=cache ", "--from=b ", "apt-get ", "apt ",
    "update ", "install ", "purge ", "autoremove ", "clean ", "-y ", "-o ", "-oAPT::X=1 ", "pip ", "pip3 ",
    "python -m pip ", "python -m ", "uv pip ", "npm ", "yarn ", "apk ", "add ", "del ", "--virtual ", "-t ",
    "uninstall ", "rm ", "-rf ", "/var/lib/apt/lists/* ", "~/.cache/pip ", "/ ", ". ", "./ ", "/app ",
    "app.py ", "requirements.txt ", "package*.json ", "flask ", "flask==1 ", "'x; y>1' ", "git+https://h/a@b ",
    "https://e.com/a.tgz ", "curl ", "-fsSLo ", "-O ", "wget ", "-P ", "git clone ", "find ", "-delete ",
    "cd ", "cd - ", "export ", "A=1 ", "PIP_NO_CACHE_DIR=1 ", "sudo ", "-u ", "env ", "-i ", "xargs ", "-n ",
    "timeout ", "5 ", "sh -c ", "bash -ec ", "'apt-get update' ", '"pip install x" ', "'", '"', "&& ", "; ",
    "| ", "\\\n ", "\n", "<<EOF\n", "EOF\n", "$", "${A:-root} ", "root ", "0:0 ", "[", "]", "--", "- ",
    "mvn ... ", "...", "=", ":", "*", "?", "[a", "\x00", "é",
]
dockerfiles = st.lists(st.sampled_from(PIECES), max_size=80).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=dockerfiles)
def test_templates_never_raise(catalog, text):
    lines = text.count("\n") + 1
    for finding in lint_with(catalog, text, *MINE):
        assert 1 <= finding.span.line <= finding.span.end_line <= lines
        assert finding.span.column >= 1


def test_deeply_wrapped_and_nested_commands(catalog):
    text = "FROM ubuntu\nRUN " + "sudo env xargs nice " * 50 + "sh -c \"bash -c 'sh -c \\\"apt-get update\\\"'\"\n"
    lint_with(catalog, text, *MINE)
