"""Fuzz target: the YAML reader (node tree with spans, duplicate keys, merges, alias budget).

``python -m tests.fuzz.fuzz_yaml CORPUS_DIR [libFuzzer options]`` (needs atheris).
"""
from __future__ import annotations

import re

from linter.parsers.yaml import parse_yaml
from tests.fuzz.harness import check_span, fuzz, span_text, spans, text_of, yaml_lines

PATH = "file.yaml"
SEEDS = ("examples/**/*.yaml", "tests/fixtures/compose/**/*.yaml", "tests/fixtures/kubernetes/*.yaml",
         "tests/hostile/*.yaml")
TOKENS = (
    "---\n", "...\n", "&a ", "*a", "<<: *a\n", "<<: [*a, *b]\n", "? ", ": ", "- ", "{", "}", "[", "]", ", ", "|\n",
    ">-\n", "!!str ", "!!python/object/apply:os.system ", "!Ref ", "!!binary ", "!!merge ", "%YAML 1.1\n",
    "%TAG ! tag:x,2000:\n", "'", '"', "\\u00e9", "# c\n", "\n  ", "\t", "\r", "\r\n", "\x85", "\u2028", "\ufeff",
    "key: value\n", "1e3", "0x1F", "yes", "~", "null", ".inf",
)
# A scalar's written text is its value only when it is plain: not quoted, tagged, anchored, an
# alias or a block scalar. A collection used as a key (``? - a``, ``? a: b``) is keyed by its
# serialized form; what it is written as holds an indicator no plain scalar can hold.
_DECORATED = tuple("'\"!&*|>[{?")
_INDICATOR = re.compile(r"^-(?:[ \t]|$)|:(?:[ \t]|$)|[ \t]#")


def check_yaml(stream, text: str) -> None:
    """Spans stay in the file, and plain scalars and keys slice back to their text."""
    lines = yaml_lines(text)
    assert stream.lines == lines
    for span in spans(stream):
        check_span(span, lines, PATH)
    for document in stream.documents:
        if document.root is not None:
            _check_node(document.root, lines)


def _check_node(root, lines: list[str]) -> None:
    stack = [root]
    seen = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:  # an alias shares its node
            continue
        seen.add(id(node))
        if node.kind == "map":
            for key, child in node.items():
                _check_plain(key, child.key_span, lines)
        if node.kind == "scalar" and isinstance(node.value, str) and node.tag is None:
            _check_plain(node.value, node.span, lines)
        stack.extend(node.children())


def _check_plain(value: str, span, lines: list[str]) -> None:
    if span is None or span.line != span.end_line:
        return
    written = span_text(span, lines)
    if written and not written.startswith(_DECORATED) and not _INDICATOR.search(written):
        assert written == value, (written, value, span)


def test_one_input(data: bytes) -> None:
    text = text_of(data)
    check_yaml(parse_yaml(text, PATH), text)


if __name__ == "__main__":
    fuzz(test_one_input)
