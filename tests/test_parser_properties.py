"""Property tests for the parsers: no text makes one raise or hang; every span lies in the
file and slices back to the text it was read from; findings do not depend on anything but
the input. The invariants are the fuzz targets' (tests/fuzz/), so both check the same thing.
"""
from __future__ import annotations

import json
import subprocess
import sys

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from linter.engine.catalog import load_catalog
from linter.engine.runner import Linter
from linter.parsers.dockerfile import parse_dockerfile
from linter.parsers.shell import expand, split_commands, tokenize
from linter.parsers.yaml import parse_yaml
from tests.conftest import ROOT
from tests.fuzz import fuzz_compose, fuzz_kubernetes, fuzz_yaml
from tests.fuzz.fuzz_dockerfile import check_dockerfile
from tests.fuzz.fuzz_shell import check_tokens
from tests.fuzz.harness import spans
from tests.test_cli import subprocess_env

# Pieces that exercise every branch of the lexers: keywords, flags, continuations with both
# escape characters, heredoc markers and delimiters, quotes, expansions, JSON, directives.
FRAGMENTS = [
    "FROM ", "RUN ", "COPY ", "ADD ", "ONBUILD ", "ARG ", "ENV ", "CMD ", "ENTRYPOINT ", "SHELL ",
    "HEALTHCHECK ", "LABEL ", "USER ", "WORKDIR ", "EXPOSE ", "VOLUME ", "STOPSIGNAL ", "AS ", "as ",
    "BOGUS ", "--mount=type=cache,target=/x ", "--from=0 ", "--chown=1:1 ", "--link ", "--platform=$P ",
    "\\", "`", "\\\n", "`\n", " \\ \t\n", "<<", "<<-", "<<EOF", "<<-EOF", "<<'EOF'", '<<"EOF"', "<<<",
    "EOF", "\tEOF", "\n", "\r\n", "\r", " ", "\t", "'", '"', "$", "${", "}", "$(", ")", "${A:-", "${A:+y}",
    ":-", "#", "# escape=`\n", "# escape=\\\n", "# syntax=x\n", "# check=skip=all\n", "[", "]", '["a", ',
    '"b"]', "&&", "||", ";", "|", "&", "2>&1", ">", "<", "if ", "then ", "fi", "#!/bin/sh\n",
    "#!/usr/bin/env python3\n", "python3 ", "bash ", "apt-get install -y ", "x", "A=1 ", "é", "日本",
    "\ufeff", "\x00", "\x0c", "\x85", "\u2028", "\U0001f433",
]
dockerfile_ish = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join)
any_text = st.text(max_size=300)
mixed = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=60).map("".join)

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(text: str) -> None:
    dockerfile = parse_dockerfile(text, "Dockerfile")
    if text in ("", "\ufeff"):
        assert dockerfile.lines == [""]
    check_dockerfile(dockerfile, text)  # spans in the file, slicing back to their text, in order


def test_span_walker_reaches_every_kind_of_node():
    # Guards the properties below against passing vacuously if the model's shape changes.
    text = ("# syntax=x\nARG A=1\nFROM x AS b\nRUN --mount=type=cache,target=/c a && b\n"
            "COPY <<EOF /f\nbody\nEOF\nONBUILD RUN c\nBOGUS\n")
    dockerfile = parse_dockerfile(text, "Dockerfile")
    found = set(spans(dockerfile))
    run, copy, onbuild = dockerfile.instructions[2:5]
    expected = [dockerfile.comments[0].span, dockerfile.problems[0].span, run.flags[0].span, run.commands[1].span,
                run.commands[1].words[0].span, copy.heredocs[0].body_span, copy.heredocs[0].marker_span,
                onbuild.trigger.commands[0].words[0].span, dockerfile.stages[0].from_instruction.keyword_span]
    assert all(span in found for span in expected)


@SETTINGS
@given(dockerfile_ish)
@example("\\")
@example("  \\\n\n")
@example("RUN <<EOF")
@example("RUN <<EOF\nRUN <<EOF")
@example("COPY <<A <<B /x\nA")
@example("RUN " + "[" * 5000)
@example("RUN echo " + "${A:-" * 2000)
@example("ARG A=" + "${A:-" * 2000 + "}" * 2000 + "\nFROM x:$A")
@example("ONBUILD RUN <<EOF\nx\n")
@example("\ufeff")
@example("")
def test_dockerfile_ish_text_parses_with_spans_in_the_file(text):
    _check(text)


@SETTINGS
@given(any_text)
def test_arbitrary_text_parses_with_spans_in_the_file(text):
    _check(text)


@SETTINGS
@given(mixed)
def test_mixed_fragments_and_noise_parse_with_spans_in_the_file(text):
    _check(text)


@SETTINGS
@given(st.one_of(mixed, any_text), st.booleans())
def test_shell_lexer_never_raises_and_offsets_stay_in_the_text(text, shell):
    tokens = tokenize(text, {"A": "1"}, shell=shell)
    for token in tokens:
        assert 0 <= token.start <= token.end <= len(text)
        assert token.kind in {"word", "op", "heredoc"}
    for operator, assignments, words in split_commands(tokens):
        assert words
        assert all(token.kind == "word" for token in assignments + words)
    expand(text, {"A": "1"})


def test_large_input_parses_whole():
    chunk = "RUN apt-get update && \\\n    apt-get install -y curl # c\n# comment\nCOPY <<EOF /x\nbody\nEOF\n"
    text = "FROM python:3.12\n" + chunk * 5000
    dockerfile = parse_dockerfile(text, "Dockerfile")
    assert len(dockerfile.instructions) == 1 + 2 * 5000
    assert dockerfile.instructions[-1].span.end_line == len(dockerfile.lines)


def test_pathological_nesting_parses_without_recursion_errors():
    for text in ("RUN " + "$(" * 20000, "RUN " + "${" * 20000, "RUN " + "`" * 20001, "RUN " + "'" * 20001,
                 "RUN " + "<<" * 20000, "COPY " + "<<A " * 5000, "RUN echo \\\n" * 20000):
        dockerfile = parse_dockerfile(text, "Dockerfile")
        assert dockerfile.instructions, text[:20]


@SETTINGS
@given(st.one_of(mixed, any_text))
def test_shell_tokens_are_slices_of_the_text(text):
    for shell, escape in ((True, "\\"), (False, "\\"), (False, "`")):
        check_tokens(text, tokenize(text, {"A": "1"}, shell=shell, escape=escape), shell)


# -- YAML, Compose and Kubernetes -------------------------------------------------------------


def yaml_text(tokens) -> st.SearchStrategy[str]:
    """Text built from a format's fragments, with random noise and indentation between them."""
    piece = st.one_of(st.sampled_from(list(tokens)), st.sampled_from(["\n", "  ", "    ", "- "]), st.text(max_size=6))
    return st.lists(piece, max_size=40).map("".join)


@SETTINGS
@given(st.one_of(yaml_text(fuzz_yaml.TOKENS), any_text))
@example("a:\n  b: 1\n  c")  # a syntax error at the very end of the file
@example("---\n# comment")  # an empty document that ends without a line break
@example("x: &x\n  a: 1\ny:\n  z: *x\n")  # a collection whose last value is an alias
@example("a: 1\rb: 2\x85c: 3\u2028d: 4")  # YAML's other line breaks
@example("a: &a [*a]")
@example("\ufeff\ufeff&a ---\n")  # a second byte-order mark
def test_yaml_parses_without_raising_and_spans_slice_back(text):
    fuzz_yaml.check_yaml(parse_yaml(text, fuzz_yaml.PATH), text)


# Structured documents reach deep into the readers, where random text rarely gets.
VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-2, 70_000), st.floats(allow_nan=False), st.text(max_size=12),
    st.sampled_from(["nginx", "postgres:16", "redis@sha256:" + "a" * 64, "512m", "1Gi", "0.5", "500m", "1e3", "-1",
                     "host", "root", "0", "8080:80", "127.0.0.1:5432:5432/tcp", "./data:/var/lib/mysql:ro",
                     "/var/run/docker.sock:/var/run/docker.sock", "${TAG:-1}", "$$HOME", "${X:?}", "SYS_ADMIN",
                     "no-new-privileges:true", "service_healthy", "CMD curl -f http://localhost", "1000:1000"]),
)
COMPOSE_KEYS = ["image", "build", "context", "dockerfile", "ports", "expose", "volumes", "type", "source", "target",
                "deploy", "resources", "limits", "reservations", "memory", "cpus", "replicas", "mem_limit",
                "environment", "networks", "depends_on", "condition", "extends", "service", "user", "privileged",
                "cap_add", "healthcheck", "test", "disable", "network_mode", "pid", "ipc", "restart", "security_opt",
                "read_only", "tmpfs", "x-dlint-ignore", "<<", "ipam", "config", "subnet", "links", "container_name"]
POD_KEYS = ["name", "image", "resources", "limits", "requests", "cpu", "memory", "securityContext", "privileged",
            "runAsUser", "runAsNonRoot", "allowPrivilegeEscalation", "readOnlyRootFilesystem", "capabilities", "add",
            "volumeMounts", "mountPath", "volumes", "hostPath", "path", "persistentVolumeClaim", "claimName",
            "emptyDir", "ports", "containerPort", "hostPort", "livenessProbe", "readinessProbe", "hostNetwork",
            "hostPID", "initContainers", "env", "value"]


def tree(keys: list[str]) -> st.SearchStrategy:
    return st.recursive(VALUES, lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(keys), inner, max_size=5)), max_leaves=25)


def dumped(document: st.SearchStrategy) -> st.SearchStrategy[str]:
    """A document as YAML, in block or flow style, sometimes with CRLF line endings."""
    return st.tuples(document, st.booleans(), st.booleans()).map(
        lambda parts: yaml.safe_dump(parts[0], default_flow_style=parts[1], allow_unicode=True).replace(
            "\n", "\r\n" if parts[2] else "\n"))


compose_files = dumped(st.fixed_dictionaries({
    "services": st.dictionaries(st.sampled_from(["web", "db", "cache"]),
                                st.dictionaries(st.sampled_from(COMPOSE_KEYS), tree(COMPOSE_KEYS), max_size=8),
                                min_size=1, max_size=3)},
    optional={"volumes": tree(COMPOSE_KEYS), "networks": tree(COMPOSE_KEYS), "x-base": tree(COMPOSE_KEYS)}))
pod_specs = st.fixed_dictionaries(
    {"containers": st.lists(st.dictionaries(st.sampled_from(POD_KEYS), tree(POD_KEYS), max_size=8), max_size=3)},
    optional={key: tree(POD_KEYS) for key in ("initContainers", "volumes", "securityContext", "hostNetwork")})
# Where each kind keeps its pod spec.
PLACES = {"Pod": lambda pod: pod, "Deployment": lambda pod: {"replicas": 1, "template": {"spec": pod}},
          "StatefulSet": lambda pod: {"template": {"spec": pod}, "volumeClaimTemplates": [{"metadata": {"name": "d"}}]},
          "CronJob": lambda pod: {"jobTemplate": {"spec": {"template": {"spec": pod}}}}}
manifests = dumped(st.builds(
    lambda kind, name, annotations, pod: {"apiVersion": "v1", "kind": kind,
                                          "metadata": {"name": name, "annotations": annotations},
                                          "spec": PLACES[kind](pod)},
    st.sampled_from(sorted(PLACES)), VALUES, st.dictionaries(st.sampled_from(["dlint.io/ignore", "a"]), VALUES),
    pod_specs))


@SETTINGS
@given(st.one_of(compose_files, yaml_text(fuzz_compose.TOKENS)))
def test_compose_reading_and_rules_never_raise(text):
    fuzz_compose.test_one_input(text.encode("utf-8"))


@SETTINGS
@given(st.one_of(manifests, yaml_text(fuzz_kubernetes.TOKENS)))
def test_kubernetes_reading_and_rules_never_raise(text):
    fuzz_kubernetes.test_one_input(text.encode("utf-8"))


# -- determinism ------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["Dockerfile", "compose.yaml", "pod.yaml"]),
                          st.one_of(dockerfile_ish, compose_files, manifests)),
                min_size=1, max_size=4))
def test_findings_depend_only_on_the_file(files):
    """One linter over several files gives each the findings a fresh linter gives it alone:
    no state carries over from one file (or one stage, service or object) to the next."""
    catalog = load_catalog()
    shared = Linter(catalog, catalog)

    def lint(linter, path, text):
        kind = "dockerfile" if path == "Dockerfile" else "yaml"
        return linter.lint_bytes(text.encode("utf-8"), path, kind=kind).findings

    together = [lint(shared, path, text) for path, text in files]
    assert together == [lint(Linter(catalog, catalog), path, text) for path, text in files]


def test_findings_are_the_same_in_every_process():
    """The same tree gives byte-identical JSON whatever the hash seed and the number of workers."""
    paths = [str(ROOT / "examples"), str(ROOT / "tests" / "fixtures"), str(ROOT / "tests" / "hostile")]

    def check(seed: str, jobs: str) -> str:
        completed = subprocess.run(
            [sys.executable, "-m", "linter", "check", "--format", "json", "--jobs", jobs, *paths], cwd=ROOT,
            capture_output=True, env={**subprocess_env(), "PYTHONHASHSEED": seed}, timeout=300)
        assert completed.returncode == 1, completed.stderr
        return completed.stdout.decode("utf-8")

    first = check("1", "1")
    assert json.loads(first)["summary"]["files"] > 50
    assert check("2", "2") == first
