"""Fuzz target: the Compose reader (interpolation, extends, override merge, the workload view),
then every Compose and workload rule.

``python -m tests.fuzz.fuzz_compose CORPUS_DIR [libFuzzer options]`` (needs atheris).
"""
from __future__ import annotations

from linter.parsers.compose import interpolate, merge_compose, parse_compose, to_workloads
from linter.parsers.yaml import parse_yaml
from tests.fuzz.harness import check_findings, check_span, every_rule, fuzz, spans, text_of, yaml_lines

PATH = "compose.yaml"
SEEDS = ("examples/**/compose.yaml", "tests/fixtures/compose/**/*.yaml", "tests/hostile/*compose*.yaml")
TOKENS = (
    "services:\n", "  web:\n", "    image: ", "    build: .\n", "    ports:\n", "      - ", "\"8080:80\"", "127.0.0.1:",
    "/udp", "    volumes:\n", "./data:/var/lib/postgresql/data:ro", "    deploy:\n      resources:\n        limits:\n",
    "          memory: 512m\n", "          cpus: '0.5'\n", "    extends:\n      service: ", "      file: x.yaml\n",
    "    environment:\n", "      - A=${B:-c}\n", "${", "$$", "${A:?err}", "}", "x-a: 1\n", "<<: *a\n", "&a ", "*a",
    "networks:\n", "volumes:\n", "    network_mode: host\n", "    privileged: true\n", "    user: root\n", "\n", "\r",
)
VARIABLES = {"TAG": "1.0", "PORT": "8080"}


def _parse(text: str):
    stream = parse_yaml(text, PATH)
    compose = parse_compose(stream.documents, PATH, VARIABLES)
    workloads = to_workloads(compose)
    lines = yaml_lines(text)
    for span in spans([compose.services, compose.problems, workloads]):
        check_span(span, lines, PATH)
    return stream


def test_one_input(data: bytes) -> None:
    text = text_of(data)
    stream = _parse(text)
    interpolate(text, VARIABLES)
    roots = [document.root for document in stream.documents if document.root is not None]
    if roots:
        # The file merged over itself as its own override, and over its other documents.
        for override in roots:
            parse_compose([stream.documents[0].__class__(merge_compose(roots[0], override), 0)], PATH, VARIABLES)
    check_findings(every_rule().lint_yaml(text, PATH, "compose", set()), stream.lines)


if __name__ == "__main__":
    fuzz(test_one_input)
