"""YAML text to :class:`YNode` trees with spans, safely.

PyYAML composes the node graph (libyaml's C composer when present); we build our own
nodes from it so that: every key and value keeps its position; duplicate keys are
reported instead of silently overwritten; ``<<`` merge keys are applied with the merged
values keeping the position they were written at; no tag outside YAML's core schema is
ever constructed (``!Ref x`` is the text ``x``); a document whose aliases expand beyond a
budget (a "billion laughs" file) or that nests too deep is refused with a finding rather
than hanging or crashing.
"""
from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Sequence

import yaml

from linter.model.span import Span
from linter.model.yaml import YamlDocument, YNode

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CORE = "tag:yaml.org,2002:"
_MERGE = _CORE + "merge"
MAX_DEPTH = 200
# Aliases may repeat a node; a stream may expand to this many nodes beyond what is written.
ALIAS_ALLOWANCE = 100_000
# YAML's line breaks: a lone CR, NEL and the Unicode separators end a line as LF does, so
# source lines must be split the same way for spans to point at the right line.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")

YamlProblem = namedtuple("YamlProblem", "rule message span")
YamlStream = namedtuple("YamlStream", "documents problems lines")


class _Refused(Exception):
    def __init__(self, message: str, mark) -> None:
        super().__init__(message)
        self.mark = mark


class _Builder:
    def __init__(self, path: str, lines: list[str]) -> None:
        self.path = path
        self.lines = lines
        self.problems: list[YamlProblem] = []
        self.constructor = yaml.constructor.SafeConstructor()

    def span(self, node) -> Span:
        return Span(self.path, *self.position(node.start_mark), *self.position(node.end_mark))

    def position(self, mark) -> tuple[int, int]:
        """1-based line and column. The empty value of a document that ends without a line
        break is marked on the line after the last one; it is put at the end of the file."""
        if mark.line < len(self.lines):
            return mark.line + 1, mark.column + 1
        return len(self.lines), len(self.lines[-1]) + 1

    def check_size(self, root) -> None:
        """Refuse a document whose aliases expand far beyond its written size."""
        sizes: dict[int, int] = {}
        written = 0
        stack = [(root, 0, False)]
        while stack:
            node, depth, done = stack.pop()
            if done:
                children = _children(node)
                sizes[id(node)] = 1 + sum(sizes[id(child)] for child in children)
                continue
            if id(node) in sizes:
                continue
            if depth > MAX_DEPTH:
                raise _Refused(f"nesting deeper than {MAX_DEPTH} levels", node.start_mark)
            written += 1
            sizes[id(node)] = 0  # visiting: a cycle adds nothing more
            stack.append((node, depth, True))
            stack.extend((child, depth + 1, False) for child in _children(node) if id(child) not in sizes)
        if sizes[id(root)] > written + ALIAS_ALLOWANCE:
            raise _Refused(f"aliases expand this document to {sizes[id(root)]:,} nodes; refusing to read it "
                           f"(a 'billion laughs' file?)", root.start_mark)

    def build(self, node, key_span: Span | None = None, active: frozenset = frozenset()) -> YNode:
        if id(node) in active:
            raise _Refused("an alias refers to a node that contains it", node.start_mark)
        tag = None if node.tag.startswith(_CORE) else node.tag
        if isinstance(node, yaml.ScalarNode):
            return YNode("scalar", self.scalar(node), self.span(node), key_span, tag)
        active = active | {id(node)}
        if isinstance(node, yaml.SequenceNode):
            items = [self.build(item, None, active) for item in node.value]
            return YNode("seq", items, self.collection_span(node, items), key_span, tag)
        values = self.mapping(node, active)
        return YNode("map", values, self.collection_span(node, list(values.values())), key_span, tag)

    def collection_span(self, node, children: list[YNode]) -> Span:
        """A block collection ends with its last value; PyYAML's end mark is where the next
        sibling key starts, which would put that key's line inside this node."""
        span = self.span(node)
        if node.flow_style or not children:
            return span
        start, limit = (span.line, span.column), (span.end_line, span.end_column)
        # A value reached through an alias or a merge key was written elsewhere, so it cannot
        # end this collection; its key, written here, can.
        ends = [(written.end_line, written.end_column) for child in children for written in (child.span, child.key_span)
                if written is not None and start <= (written.end_line, written.end_column) <= limit]
        if not ends:
            return span
        end_line, end_column = max(ends)
        return Span(span.path, span.line, span.column, end_line, end_column)

    def scalar(self, node):
        kind = node.tag[len(_CORE):] if node.tag.startswith(_CORE) else "str"
        try:
            if kind == "null":
                return None
            if kind == "bool":
                return self.constructor.construct_yaml_bool(node)
            if kind == "int":
                return self.constructor.construct_yaml_int(node)
            if kind == "float":
                return self.constructor.construct_yaml_float(node)
        except (ValueError, yaml.YAMLError):
            pass
        return node.value

    def mapping(self, node, active: frozenset) -> dict[str, YNode]:
        merged: dict[str, YNode] = {}
        explicit: dict[str, YNode] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                for source in (value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]):
                    if isinstance(source, yaml.MappingNode):
                        if id(source) in active:
                            raise _Refused("a merge key (<<) brings in a mapping that contains it", key_node.start_mark)
                        for key, value in self.mapping(source, active | {id(source)}).items():
                            merged.setdefault(key, value)
                continue
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else yaml.serialize(key_node).strip()
            key_span = self.span(key_node)
            if key in explicit:
                first = explicit[key].key_span
                self.problems.append(YamlProblem(
                    "duplicate-key", f"duplicate key '{key}' (first at line {first.line}); only this last one counts",
                    key_span))
            explicit[key] = self.build(value_node, key_span, active)
        return {**merged, **explicit} if merged else explicit


def _children(node) -> list:
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def parse_yaml(text: str, path: str) -> YamlStream:
    """Every document of ``text``; problems (syntax errors, duplicate keys, refusals) are
    returned as :class:`YamlProblem`, never raised. Documents before a syntax error are kept."""
    # libyaml skips a byte-order mark at the start without counting its column, and a second
    # one while counting it: dropping them all here keeps columns and lines in step.
    text = text.lstrip("\ufeff")
    lines = _LINE_BREAK.split(text)
    builder = _Builder(path, lines)
    documents: list[YamlDocument] = []
    composed = yaml.compose_all(text, Loader=_LOADER)
    index = 0
    while True:
        try:
            node = next(composed)
        except StopIteration:
            break
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            builder.problems.append(YamlProblem("parse-error", f"invalid YAML: {error.problem or error}",
                                                _mark_span(path, mark, lines)))
            break
        except (yaml.YAMLError, RecursionError) as error:
            message = "nesting too deep" if isinstance(error, RecursionError) else f"invalid YAML: {error}"
            builder.problems.append(YamlProblem("parse-error", message, Span(path, 1, 1, 1, 1)))
            break
        try:
            if node is not None:
                builder.check_size(node)
            documents.append(YamlDocument(builder.build(node) if node is not None else None, index))
        except _Refused as refusal:
            builder.problems.append(YamlProblem("parse-error", str(refusal), _mark_span(path, refusal.mark, lines)))
        index += 1
    return YamlStream(documents, builder.problems, lines)


def _mark_span(path: str, mark, lines: list[str]) -> Span:
    """One character at ``mark``; a mark at the very end of the text (an unexpected end of
    file) is moved back onto the last line, so the span stays inside the file."""
    if mark is None:
        return Span(path, 1, 1, 1, 1)
    last = len(lines) - 1
    if last > 0 and lines[last] == "":
        last -= 1  # the "line" after a final line break is not a line of the file
    line = min(mark.line, last)
    width = len(lines[line])
    column = min(mark.column, width) if line == mark.line else width
    return Span(path, line + 1, column + 1, line + 1, min(column + 2, width + 1))


def document_kind(documents: Sequence) -> str | None:
    """``kubernetes`` when a document has ``apiVersion`` and ``kind``; ``compose`` when the
    first has ``services``; otherwise None (YAML that is neither, such as a CI workflow)."""
    roots = [document.root for document in documents if document.root is not None and document.root.is_map]
    if any(root.get("apiVersion") is not None and root.get("kind") is not None for root in roots):
        return "kubernetes"
    if roots and roots[0].get("services") is not None:
        return "compose"
    return None
