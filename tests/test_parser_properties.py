"""Property tests: no text makes the Dockerfile parser raise, hang, or point outside the file."""
from __future__ import annotations

import time
from dataclasses import fields, is_dataclass

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from linter.model.span import Span
from linter.parsers.dockerfile import parse_dockerfile
from linter.parsers.shell import expand, split_commands, tokenize

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


def _attributes(node):
    """The fields of a model node, whatever it is built from (dataclass, slots, plain object)."""
    if is_dataclass(node):
        return [getattr(node, f.name) for f in fields(node)]
    names = [name for cls in type(node).__mro__ for name in getattr(cls, "__slots__", ())]
    names += list(getattr(node, "__dict__", {}))
    return [getattr(node, name) for name in names if hasattr(node, name)]


def _spans(node, seen=None):
    """Every Span reachable from ``node``: model nodes, named tuples, lists, tuples, dicts."""
    seen = set() if seen is None else seen
    if isinstance(node, Span):
        yield node
        return
    if node is None or isinstance(node, (str, bytes, int, float)) or id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, dict):
        children = list(node.values())
    elif isinstance(node, (list, tuple)):
        children = list(node)
    else:
        children = _attributes(node)
    for child in children:
        yield from _spans(child, seen)


def _check(text: str) -> None:
    start = time.perf_counter()
    dockerfile = parse_dockerfile(text, "Dockerfile")
    assert time.perf_counter() - start < 2.0
    line_count = max(len(dockerfile.lines), 1)
    if text in ("", "\ufeff"):
        assert line_count == 1
    spans = list(_spans(dockerfile))
    for span in spans:
        assert span.path == "Dockerfile"
        assert 1 <= span.line <= span.end_line <= line_count, (span, line_count)
        assert span.column >= 1 and span.end_column >= 1, span
        if span.line == span.end_line:
            assert span.column <= span.end_column, span
        # Columns stay on their line (end_column is exclusive, so it may be one past the end).
        assert span.column <= len(dockerfile.lines[span.line - 1]) + 1, span
        assert span.end_column <= len(dockerfile.lines[span.end_line - 1]) + 1, span
    # Instructions come in file order and never overlap.
    previous_end = 0
    for instruction in dockerfile.instructions:
        assert instruction.span.line > previous_end
        previous_end = instruction.span.end_line


def test_span_walker_reaches_every_kind_of_node():
    # Guards the properties below against passing vacuously if the model's shape changes.
    text = ("# syntax=x\nARG A=1\nFROM x AS b\nRUN --mount=type=cache,target=/c a && b\n"
            "COPY <<EOF /f\nbody\nEOF\nONBUILD RUN c\nBOGUS\n")
    dockerfile = parse_dockerfile(text, "Dockerfile")
    found = set(_spans(dockerfile))
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


def test_large_input_parses_in_bounded_time():
    chunk = "RUN apt-get update && \\\n    apt-get install -y curl # c\n# comment\nCOPY <<EOF /x\nbody\nEOF\n"
    text = "FROM python:3.12\n" + chunk * 5000
    start = time.perf_counter()
    dockerfile = parse_dockerfile(text, "Dockerfile")
    assert time.perf_counter() - start < 10
    assert len(dockerfile.instructions) == 1 + 2 * 5000
    assert dockerfile.instructions[-1].span.end_line == len(dockerfile.lines)


def test_pathological_nesting_is_linear_enough():
    for text in ("RUN " + "$(" * 20000, "RUN " + "${" * 20000, "RUN " + "`" * 20001, "RUN " + "'" * 20001,
                 "RUN " + "<<" * 20000, "COPY " + "<<A " * 5000, "RUN echo \\\n" * 20000):
        start = time.perf_counter()
        parse_dockerfile(text, "Dockerfile")
        assert time.perf_counter() - start < 5, text[:20]
