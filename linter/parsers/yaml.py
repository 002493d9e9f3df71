"""YAML text to :class:`YNode` trees with spans, safely.

libyaml (through PyYAML; PyYAML's own parser where libyaml is missing) turns the text into
events, and we build our own nodes from them in one pass, so that: every key and value keeps
its position; duplicate keys are reported instead of silently overwritten; ``<<`` merge keys
are applied with the merged values keeping the position they were written at; no tag outside
YAML's core schema is ever constructed (``!Ref x`` is the text ``x``); an alias shares the
node it names instead of copying it, and a document whose aliases would expand it beyond a
budget (a "billion laughs" file), that nests too deep or that holds itself is refused with a
finding rather than hanging or crashing.

Plain scalars get the YAML 1.1 types PyYAML's resolver gives them (``yes`` is true, ``0x1F``
is 31, ``1:30`` is 90), with the values its SafeConstructor would build.
"""
from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Sequence

import yaml
from yaml.events import (AliasEvent, MappingEndEvent, MappingStartEvent, ScalarEvent, SequenceEndEvent,
                         SequenceStartEvent, StreamEndEvent)

from linter.model.span import Span
from linter.model.yaml import YamlDocument, YNode

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CORE = "tag:yaml.org,2002:"
_STR, _NULL, _BOOL, _INT, _FLOAT, _MERGE = (_CORE + name for name in ("str", "null", "bool", "int", "float", "merge"))
MAX_DEPTH = 200
# Aliases may repeat a node; a stream may expand to this many nodes beyond what is written.
ALIAS_ALLOWANCE = 100_000
# YAML's line breaks: a lone CR, NEL and the Unicode separators end a line as LF does, so
# source lines must be split the same way for spans to point at the right line.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
# The resolver's (tag, pattern) pairs by a plain scalar's first character, tried in order;
# those registered for any first character come last.
_ANY_FIRST = tuple(_LOADER.yaml_implicit_resolvers.get(None, ()))
_BY_FIRST = {first: (*pairs, *_ANY_FIRST)
             for first, pairs in _LOADER.yaml_implicit_resolvers.items() if first is not None}
# A plain key can be the merge key (<<) only if it starts with one of these.
_MERGE_FIRST = frozenset(first for first, pairs in _BY_FIRST.items() if any(tag == _MERGE for tag, _ in pairs))
_CYCLE = "an alias refers to a node that contains it"
_MERGE_CYCLE = "a merge key (<<) brings in a mapping that contains it"
# A Span built by tuple's __new__ skips the named tuple's own, which is a Python function.
_new_tuple = tuple.__new__

YamlProblem = namedtuple("YamlProblem", "rule message span")
YamlStream = namedtuple("YamlStream", "documents problems lines")


def _resolve(text: str) -> str:
    """The tag of a plain scalar."""
    for tag, pattern in _BY_FIRST.get(text[:1], _ANY_FIRST):
        if pattern.match(text):
            return tag
    return _STR


def _typed(tag: str, text: str):
    """The value SafeConstructor builds for a scalar with a core tag; the text when the tag
    is not one of those (``!!timestamp``, ``!!binary``) or the text is not of its type (``!!int x``)."""
    try:
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return yaml.constructor.SafeConstructor.bool_values[text.lower()]
        if tag == _INT:
            return _integer(text)
        if tag == _FLOAT:
            return _float(text)
    except (ValueError, KeyError, IndexError):
        pass
    return text


def _integer(text: str) -> int:
    digits = text.replace("_", "")
    sign = -1 if digits[0] == "-" else 1
    if digits[0] in "+-":
        digits = digits[1:]
    if digits == "0":
        return 0
    if digits.startswith("0b"):
        return sign * int(digits[2:], 2)
    if digits.startswith("0x"):
        return sign * int(digits[2:], 16)
    if digits[0] == "0":
        return sign * int(digits, 8)
    if ":" in digits:  # base 60: 1:30 is 90
        value = 0
        for part in digits.split(":"):
            value = value * 60 + int(part)
        return sign * value
    return sign * int(digits)


def _float(text: str) -> float:
    digits = text.replace("_", "").lower()
    sign = -1.0 if digits[0] == "-" else 1.0
    if digits[0] in "+-":
        digits = digits[1:]
    if digits == ".inf":
        return sign * yaml.constructor.SafeConstructor.inf_value
    if digits == ".nan":
        return yaml.constructor.SafeConstructor.nan_value
    if ":" in digits:
        # Summed from the last part up, as SafeConstructor does, so that it rounds the same.
        value, weight = 0.0, 1
        for part in reversed([float(part) for part in digits.split(":")]):
            value += part * weight
            weight *= 60
        return sign * value
    return sign * float(digits)


class _Anchor:
    """A node named with ``&name``, and what an alias (``*name``) to it needs.

    ``node`` is None while the node is being read. The document's counters as they were when
    it started tell its own size, height and problems apart from the rest."""

    __slots__ = ("node", "start_mark", "end_mark", "span", "text", "merge", "size", "height", "problems",
                 "item_problems", "depth", "written", "expanded", "deepest", "logged", "level")

    def __init__(self, start_mark) -> None:
        self.node = None
        self.start_mark = start_mark
        self.text = None  # a scalar's text, which is what it is as a key
        self.height = 0
        self.problems = ()
        self.item_problems = None  # a sequence's problems item by item, when it has any


class _Document:
    """Builds one document of a stream from its events.

    It counts the nodes written and the nodes aliases would add (the alias budget) and the
    deepest level reached, aliases included; and it logs problems with the level of "muting"
    they were found at: a collection used as a key, or the part of a ``<<`` value that is not
    a mapping, is read (its anchors may be used later) but not reported on.
    """

    def __init__(self, text: str, path: str, lines: list[str], next_event, index: int) -> None:
        self.text = text
        self.path = path
        self.lines = lines
        self.line_count = len(lines)
        self.next_event = next_event
        self.index = index
        self.anchors: dict[str, _Anchor] = {}
        self.log: list[tuple[int, YamlProblem]] = []
        self.level = 0
        self.refusal = None
        self.deep_mark = None
        self.written = self.expanded = self.deepest = 0
        self.closed = None  # the end of the last collection read
        self.collections = None  # PyYAML's nodes, for a collection used as a key

    def read(self) -> tuple[list[YamlProblem], YNode | None]:
        """The document's problems and root, once its start is read; no root if it is refused."""
        event = self.next_event()
        root = self.node(event, 0, None)
        self.next_event()  # the document's end
        if self.deep_mark is not None:
            return [self.refused(f"nesting deeper than {MAX_DEPTH} levels", self.deep_mark)], None
        if self.expanded > ALIAS_ALLOWANCE:
            size = self.written + self.expanded
            return [self.refused(f"aliases expand this document to {size:,} nodes; refusing to read it "
                                 f"(a 'billion laughs' file?)", event.start_mark)], None
        problems = [problem for level, problem in self.log if level == 0]
        if self.refusal is not None:
            return [*problems, self.refused(*self.refusal)], None
        return problems, root

    def refused(self, message: str, mark) -> YamlProblem:
        return YamlProblem("parse-error", message, _mark_span(self.path, mark, self.lines))

    def refuse(self, message: str, mark) -> None:
        """Only the first refusal counts, and no problem found after it is reported."""
        if self.refusal is None:
            self.refusal = (message, mark)

    # -- nodes ---------------------------------------------------------------------------

    def node(self, event, depth: int, key_span: Span | None) -> YNode:
        """The node ``event`` starts, ``depth`` levels below the document's root."""
        cls = event.__class__
        if cls is AliasEvent:
            return self.alias(event, depth, key_span)
        if depth > MAX_DEPTH:
            return self.skip(event, key_span)
        if cls is ScalarEvent:
            node = self.scalar(event, depth, key_span)
            if event.anchor is not None:
                self.complete(self.define(event, depth), node, node.span, event.end_mark)
            return node
        self.written += 1
        if depth > self.deepest:
            self.deepest = depth
        if cls is SequenceStartEvent:
            return self.sequence(event, depth, key_span)
        return self.mapping(event, depth, key_span)

    def scalar(self, event, depth: int, key_span: Span | None) -> YNode:
        """A scalar at a depth allowed (its anchor is not defined here): the most common node
        by far, so the resolver's lookup and the span are written out here."""
        self.written += 1
        if depth > self.deepest:
            self.deepest = depth
        value = event.value
        tag = event.tag
        if tag is None or tag == "!":
            tag = None
            if event.implicit[0]:
                for resolved, pattern in _BY_FIRST.get(value[:1], _ANY_FIRST):
                    if pattern.match(value):
                        if resolved.startswith(_CORE):
                            value = _typed(resolved, value)
                        else:
                            tag = resolved
                        break
        elif tag.startswith(_CORE):
            value = _typed(tag, value)
            tag = None
        start = event.start_mark
        end = event.end_mark
        if end.line < self.line_count:
            span = _new_tuple(Span, (self.path, start.line + 1, start.column + 1, end.line + 1, end.column + 1))
        else:
            span = self.span(start, end)
        return YNode("scalar", value, span, key_span, tag)

    def sequence(self, event, depth: int, key_span: Span | None, merge_mark=None) -> YNode:
        """``merge_mark``: the sequence is the value of the merge key (``<<``) at that mark."""
        anchor = self.define(event, depth) if event.anchor is not None else None
        next_event = self.next_event
        items = []
        last = None  # the last item, if it was written here
        child = depth + 1
        shallow = child <= MAX_DEPTH
        logged = []  # where each item's problems start, for a merge key (<<) naming the sequence
        while True:
            item = next_event()
            cls = item.__class__
            if cls is SequenceEndEvent:
                break
            if anchor is not None:
                logged.append(len(self.log))
            if cls is ScalarEvent and item.anchor is None and shallow:
                last = self.scalar(item, child, None)
            elif merge_mark is not None:
                last = self.merge_item(item, child, merge_mark)
            else:
                last = self.node(item, child, None)
            items.append(last)
            if cls is AliasEvent:
                last = None
        node = YNode("seq", items, self.collection_span(event, item, items, last), key_span, _kept_tag(event))
        self.closed = item
        if anchor is not None:
            self.complete(anchor, node, self.span(event.start_mark, item.end_mark), item.end_mark)
            if anchor.problems:
                logged.append(len(self.log))
                anchor.item_problems = [[problem for level, problem in self.log[start:end] if level == anchor.level]
                                        for start, end in zip(logged, logged[1:])]
        return node

    def mapping(self, event, depth: int, key_span: Span | None) -> YNode:
        anchor = self.define(event, depth) if event.anchor is not None else None
        next_event = self.next_event
        explicit: dict[str, YNode] = {}
        merged: dict[str, YNode] = {}
        last = None  # the last value, if it was written here
        child = depth + 1
        shallow = child <= MAX_DEPTH
        while True:
            key_event = next_event()
            if key_event.__class__ is MappingEndEvent:
                break
            key, written_key, merge_mark = self.key(key_event, child)
            value_event = next_event()
            if merge_mark is not None:
                for source in self.merge_sources(value_event, child, merge_mark):
                    for name, value in source.value.items():
                        merged.setdefault(name, value)
                last = None
                continue
            if key in explicit and self.refusal is None:
                first = explicit[key].key_span.line
                self.log.append((self.level, YamlProblem(
                    "duplicate-key", f"duplicate key '{key}' (first at line {first}); only this last one counts",
                    written_key)))
            cls = value_event.__class__
            if cls is ScalarEvent and value_event.anchor is None and shallow:
                last = explicit[key] = self.scalar(value_event, child, written_key)
            else:
                last = explicit[key] = self.node(value_event, child, written_key)
                if cls is AliasEvent:
                    last = None
        values = {**merged, **explicit} if merged else explicit
        node = YNode("map", values, self.collection_span(event, key_event, values.values(), last),
                     key_span, _kept_tag(event))
        self.closed = key_event
        if anchor is not None:
            self.complete(anchor, node, self.span(event.start_mark, key_event.end_mark), key_event.end_mark)
        return node

    def key(self, event, depth: int) -> tuple:
        """A mapping key: its text, its span, and its start mark if it is a merge key (``<<``).
        A scalar key is its text as written (``1`` and ``true`` are the strings); a collection
        used as a key is its YAML text (``[a, b]``)."""
        cls = event.__class__
        if cls is ScalarEvent and event.anchor is None and event.tag is None and depth <= MAX_DEPTH:
            # The most common key, plain text. Its value, at the same depth, updates the deepest level.
            self.written += 1
            text = event.value
            start = event.start_mark
            merge_mark = start if text[:1] in _MERGE_FIRST and event.implicit[0] and _resolve(text) == _MERGE else None
            return text, self.span(start, event.end_mark), merge_mark
        if cls is AliasEvent:
            anchor = self.named(event)
            if anchor.node is None:
                self.refuse(_CYCLE, anchor.start_mark)
                return "", self.span(event.start_mark, event.end_mark), None
            self.expand(anchor, depth, event.start_mark, replay=False)
            if anchor.merge:
                return "", anchor.span, anchor.start_mark
            if anchor.text is not None:
                return anchor.text, anchor.span, None
            return self.key_text(anchor.start_mark, anchor.end_mark), anchor.span, None
        self.level += 1
        node = self.node(event, depth, None)
        self.level -= 1
        if cls is ScalarEvent:
            merge_mark = event.start_mark if _scalar_tag(event) == _MERGE else None
            return event.value, node.span, merge_mark
        end_mark = self.closed.end_mark
        span = self.span(event.start_mark, end_mark)
        if event.tag == _MERGE:
            return "", span, event.start_mark
        return self.key_text(event.start_mark, end_mark), span, None

    def merge_sources(self, event, depth: int, merge_mark) -> list[YNode]:
        """The mappings a merge key brings in: its value, or the mappings its sequence holds.
        Anything else there is read, and ignored."""
        cls = event.__class__
        if cls is SequenceStartEvent:
            return [item for item in self.sequence(event, depth, None, merge_mark).value if item.kind == "map"]
        if cls is AliasEvent:
            anchor = self.named(event)
            if anchor.node is not None and anchor.node.kind == "seq":
                # Only the mappings are brought in, so only their problems are repeated.
                self.expand(anchor, depth, event.start_mark, replay=False)
                items = anchor.node.value
                for item, problems in zip(items, anchor.item_problems or ()):
                    if item.kind == "map" and problems:
                        self.repeat(problems)
                return [item for item in items if item.kind == "map"]
        source = self.merge_item(event, depth, merge_mark)
        return [source] if source.kind == "map" else []

    def merge_item(self, event, depth: int, merge_mark) -> YNode:
        cls = event.__class__
        if cls is AliasEvent:
            anchor = self.named(event)
            if anchor.node is None:
                self.refuse(_MERGE_CYCLE, merge_mark)
                return YNode("scalar", None, self.span(event.start_mark, event.end_mark))
            if anchor.node.kind == "map":
                return self.alias(event, depth, None)
        elif cls is MappingStartEvent:
            return self.node(event, depth, None)
        self.level += 1
        node = self.node(event, depth, None)
        self.level -= 1
        return node

    # -- anchors and aliases ---------------------------------------------------------------

    def define(self, event, depth: int) -> _Anchor:
        """Names the node ``event`` starts (it is already counted as written)."""
        name = event.anchor
        if name in self.anchors:
            raise yaml.composer.ComposerError("found duplicate anchor; first occurrence",
                                              self.anchors[name].start_mark, "second occurrence", event.start_mark)
        anchor = self.anchors[name] = _Anchor(event.start_mark)
        if event.__class__ is ScalarEvent:
            anchor.text = event.value
            anchor.merge = _scalar_tag(event) == _MERGE
        else:
            anchor.merge = event.tag == _MERGE
        anchor.depth = depth
        anchor.written = self.written
        anchor.expanded = self.expanded
        anchor.logged = len(self.log)
        anchor.level = self.level
        anchor.deepest = self.deepest
        self.deepest = depth
        return anchor

    def complete(self, anchor: _Anchor, node: YNode, span: Span, end_mark) -> None:
        anchor.node = node
        anchor.span = span
        anchor.end_mark = end_mark
        anchor.size = 1 + self.written - anchor.written + self.expanded - anchor.expanded
        anchor.height = self.deepest - anchor.depth
        self.deepest = max(self.deepest, anchor.deepest)
        if len(self.log) > anchor.logged:
            anchor.problems = [problem for level, problem in self.log[anchor.logged:] if level == anchor.level]

    def named(self, event) -> _Anchor:
        anchor = self.anchors.get(event.anchor)
        if anchor is None:
            raise yaml.composer.ComposerError(None, None, "found undefined alias", event.start_mark)
        return anchor

    def alias(self, event, depth: int, key_span: Span | None) -> YNode:
        anchor = self.named(event)
        node = anchor.node
        if node is None:
            self.refuse(_CYCLE, anchor.start_mark)
            return YNode("scalar", None, self.span(event.start_mark, event.end_mark), key_span)
        self.expand(anchor, depth, event.start_mark, replay=True)
        if node.key_span == key_span:
            return node
        return YNode(node.kind, node.value, node.span, key_span, node.tag)

    def expand(self, anchor: _Anchor, depth: int, mark, replay: bool) -> None:
        """Counts what an alias adds: the named node's size, and its height from here. A copy
        of the node would repeat its problems, so they are reported again, within the budget."""
        self.expanded += anchor.size
        reach = depth + anchor.height
        if reach > self.deepest:
            self.deepest = reach
        if reach > MAX_DEPTH:
            self.deep_mark = mark
        if replay and anchor.problems:
            self.repeat(anchor.problems)

    def repeat(self, problems: list[YamlProblem]) -> None:
        if self.refusal is None and self.expanded <= ALIAS_ALLOWANCE:
            self.log += [(self.level, problem) for problem in problems]

    def skip(self, event, key_span: Span | None) -> YNode:
        """A node nested too deep, which refuses the document: its events are read for the
        errors they may hold (an undefined alias, an anchor named twice), not built."""
        self.deep_mark = event.start_mark
        placeholder = YNode("scalar", None, self.span(event.start_mark, event.end_mark), key_span)
        open_collections = 0
        while True:
            cls = event.__class__
            if cls is AliasEvent:
                self.named(event)
            elif cls is SequenceEndEvent or cls is MappingEndEvent:
                open_collections -= 1
            else:
                if event.anchor is not None:
                    self.complete(self.define(event, self.deepest), placeholder, placeholder.span, event.end_mark)
                if cls is not ScalarEvent:
                    open_collections += 1
            if open_collections == 0:
                self.closed = event
                return placeholder
            event = self.next_event()

    # -- positions and key text ------------------------------------------------------------

    def span(self, start, end) -> Span:
        if end.line < self.line_count:
            return _new_tuple(Span, (self.path, start.line + 1, start.column + 1, end.line + 1, end.column + 1))
        return Span(self.path, *self.position(start), *self.position(end))

    def position(self, mark) -> tuple[int, int]:
        """1-based line and column. The empty value of a document that ends without a line
        break is marked on the line after the last one; it is put at the end of the file."""
        if mark.line < self.line_count:
            return mark.line + 1, mark.column + 1
        return self.line_count, len(self.lines[-1]) + 1

    def collection_span(self, start, end, children, last: YNode | None) -> Span:
        """A block collection ends with its last value; libyaml's end mark is where the next
        sibling key starts, which would put that key's line inside this node. ``last``, the last
        value if it was written here, ends after every other value and key."""
        span = self.span(start.start_mark, end.end_mark)
        if start.flow_style or not children:
            return span
        if last is not None:
            return _new_tuple(Span, (*span[:3], last.span.end_line, last.span.end_column))
        first, limit = (span.line, span.column), (span.end_line, span.end_column)
        # A value reached through an alias or a merge key was written elsewhere, so it cannot
        # end this collection; its key, written here, can.
        ends = [(written.end_line, written.end_column) for child in children for written in (child.span, child.key_span)
                if written is not None and first <= (written.end_line, written.end_column) <= limit]
        if not ends:
            return span
        return Span(span.path, span.line, span.column, *max(ends))

    def key_text(self, start_mark, end_mark) -> str:
        """A collection used as a key is keyed by its YAML text, as PyYAML writes it. Such keys
        are rare: PyYAML composes the document again to find the collection. A document
        already refused is not rendered (its keys are never shown)."""
        if self.refusal is not None or self.deep_mark is not None or self.expanded > ALIAS_ALLOWANCE:
            return ""
        if self.collections is None:
            self.collections = self.composed_collections()
        node = self.collections.get((start_mark.index, end_mark.index))
        return "" if node is None else yaml.serialize(node).strip()

    def composed_collections(self) -> dict:
        """The document's collections as PyYAML composes them, by where they start and end."""
        documents = yaml.compose_all(self.text, Loader=_LOADER)
        try:
            for _ in range(self.index):
                next(documents)
            root = next(documents)
        except (yaml.YAMLError, RecursionError):  # an error further on, which drops the document
            return {}
        collections = {}
        stack = [root]
        while stack:
            node = stack.pop()
            where = (node.start_mark.index, node.end_mark.index)
            if isinstance(node, yaml.ScalarNode) or where in collections:
                continue
            collections[where] = node
            if isinstance(node, yaml.SequenceNode):
                stack += node.value
            else:
                stack += [part for pair in node.value for part in pair]
        return collections


def _scalar_tag(event) -> str:
    tag = event.tag
    if tag is None or tag == "!":
        return _resolve(event.value) if event.implicit[0] else _STR
    return tag


def _kept_tag(event) -> str | None:
    """A collection's tag, when it is not one of YAML's own."""
    tag = event.tag
    return None if tag is None or tag == "!" or tag.startswith(_CORE) else tag


def parse_yaml(text: str, path: str) -> YamlStream:
    """Every document of ``text``; problems (syntax errors, duplicate keys, refusals) are
    returned as :class:`YamlProblem`, never raised. Documents before a syntax error are kept."""
    # libyaml skips a byte-order mark at the start without counting its column, and a second
    # one while counting it: dropping them all here keeps columns and lines in step.
    text = text.lstrip("\ufeff")
    lines = _LINE_BREAK.split(text)
    documents: list[YamlDocument] = []
    problems: list[YamlProblem] = []
    try:
        next_event = _LOADER(text).get_event
        next_event()  # the stream's start
        index = 0
        while next_event().__class__ is not StreamEndEvent:  # a document's start
            document_problems, root = _Document(text, path, lines, next_event, index).read()
            problems += document_problems
            if root is not None:
                documents.append(YamlDocument(root, index))
            index += 1
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problems.append(YamlProblem("parse-error", f"invalid YAML: {error.problem or error}",
                                    _mark_span(path, mark, lines)))
    except (yaml.YAMLError, RecursionError) as error:
        message = "nesting too deep" if isinstance(error, RecursionError) else f"invalid YAML: {error}"
        problems.append(YamlProblem("parse-error", message, Span(path, 1, 1, 1, 1)))
    return YamlStream(documents, problems, lines)


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
