"""Fuzz target: the Dockerfile parser, then every Dockerfile rule on what it parsed.

``python -m tests.fuzz.fuzz_dockerfile CORPUS_DIR [libFuzzer options]`` (needs atheris).
"""
from __future__ import annotations

import json

from linter.engine.runner import decode
from linter.parsers.dockerfile import parse_dockerfile
from tests.fuzz.harness import (
    check_findings, check_span, dockerfile_lines, every_rule, fuzz, span_text, spans, text_of,
)

PATH = "Dockerfile"
SEEDS = ("examples/**/Dockerfile", "tests/fixtures/dockerfiles/*", "tests/hostile/*Dockerfile*")
TOKENS = (
    "FROM ", "RUN ", "COPY ", "ADD ", "ONBUILD ", "ARG ", "ENV ", "CMD ", "ENTRYPOINT ", "SHELL ", "USER ",
    "HEALTHCHECK CMD ", "WORKDIR ", "EXPOSE ", "VOLUME ", " AS ", "--mount=type=cache,target=/x ", "--from=0 ",
    "--platform=$P ", "\\\n", "`\n", "# escape=`\n", "# syntax=x\n", "<<EOF\n", "<<-EOF\n", "\nEOF\n", "<<'A' <<B ",
    "${A:-", "${A:+x}", "$(", "`", "'", '"', '["a", "b"]', "&& ", "| ", "; ", "\r", "\r\n", "\t", "\x00", "\ufeff",
    "apt-get install -y ", "pip install ", "ubuntu:24.04", "@sha256:", "é",
)

def check_dockerfile(dockerfile, text: str) -> None:
    """The model's spans stay in the file and slice back to the text they were read from."""
    lines = dockerfile_lines(text)
    assert dockerfile.lines == lines
    for span in spans(dockerfile):
        check_span(span, lines, dockerfile.path)
    previous_end = 0
    for instruction in dockerfile.instructions:
        assert instruction.span.line > previous_end, "instructions overlap or are out of order"
        previous_end = instruction.span.end_line
        _check_instruction(instruction, lines)
    for comment in dockerfile.comments:
        assert span_text(comment.span, lines).strip() == comment.text


def _check_instruction(instruction, lines: list[str]) -> None:
    keyword = instruction.keyword_span
    if keyword.line == keyword.end_line:
        assert span_text(keyword, lines).upper() == instruction.keyword
    for flag in instruction.flags:
        if flag.span.line == flag.span.end_line:
            written = f"--{flag.name}" + ("" if flag.value is None else f"={flag.value}")
            assert span_text(flag.span, lines).lower() == written.lower()
    for word in instruction.words:
        if word.span.line != word.span.end_line:
            continue
        written = span_text(word.span, lines)
        if instruction.json_form:
            assert json.loads(written) == word.text
        elif not any(ch in written for ch in "'\"\\`$"):
            assert written == word.text
    for heredoc in instruction.heredocs:
        if heredoc.body and not heredoc.strip_tabs:
            assert span_text(heredoc.body_span, lines) == heredoc.body[:-1]
    for command in instruction.commands:
        for word in command.words:
            assert command.span.cover(word.span) == command.span, "a command's span must hold its words"
    if instruction.trigger is not None:
        _check_instruction(instruction.trigger, lines)


def test_one_input(data: bytes) -> None:
    decode(data, PATH)
    text = text_of(data)
    dockerfile = parse_dockerfile(text, PATH, {"TAG": "1"})
    check_dockerfile(dockerfile, text)
    check_findings(every_rule().lint_text(text, PATH), dockerfile.lines)


if __name__ == "__main__":
    fuzz(test_one_input)
