"""The YAML reader against an oracle built from PyYAML itself.

The oracle composes the text with ``yaml.compose_all`` (the reader's own loader) and derives
what the reader must return from PyYAML's nodes: the same structure, the values
SafeConstructor gives core-tagged scalars, spans from the node marks, merge keys applied,
duplicate keys reported (again wherever an alias repeats them), and the refusals of documents
that nest too deep or whose aliases expand too far. The two are compared on every YAML file of
the repository, a corpus sample and generated YAML; hostile inputs are checked one by one.
"""
from __future__ import annotations

import math
import re

import pytest
import yaml
from hypothesis import HealthCheck, Phase, example, find, given, settings
from hypothesis import strategies as st

from linter.parsers import yaml as reader
from linter.parsers.yaml import ALIAS_ALLOWANCE, MAX_DEPTH, parse_yaml
from tests.conftest import ROOT, corpus_generator

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
CORE = "tag:yaml.org,2002:"
PATH = "file.yaml"
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
CONSTRUCTOR = yaml.constructor.SafeConstructor()
TYPED = {"null": CONSTRUCTOR.construct_yaml_null, "bool": CONSTRUCTOR.construct_yaml_bool,
         "int": CONSTRUCTOR.construct_yaml_int, "float": CONSTRUCTOR.construct_yaml_float}


# -- the oracle ---------------------------------------------------------------------------------


class Refused(Exception):
    def __init__(self, message: str, mark) -> None:
        super().__init__(message)
        self.mark = mark


class Oracle:
    """What the reader must make of ``text``, as (documents, problems, lines), each document
    an (index, tree) pair and each tree the shape :func:`shape` gives the reader's nodes."""

    def __init__(self, text: str, loader=LOADER) -> None:
        self.text = text.lstrip("\ufeff")
        self.lines = LINE_BREAK.split(self.text)
        self.loader = loader

    def result(self) -> tuple:
        documents, problems = [], []
        composed = yaml.compose_all(self.text, Loader=self.loader)
        index = 0
        while True:
            try:
                root = next(composed)
            except StopIteration:
                break
            except yaml.MarkedYAMLError as error:
                mark = error.problem_mark or error.context_mark
                problems.append(("parse-error", f"invalid YAML: {error.problem or error}", self.mark_span(mark)))
                break
            except yaml.YAMLError as error:  # a character YAML does not allow
                problems.append(("parse-error", f"invalid YAML: {error}", (PATH, 1, 1, 1, 1)))
                break
            self.problems = []
            try:
                self.check_size(root)
                tree = self.build(root, None, frozenset())
                documents.append((index, tree))
            except Refused as refusal:
                self.problems.append(("parse-error", str(refusal), self.mark_span(refusal.mark)))
            problems += self.problems
            index += 1
        return documents, problems, self.lines

    def check_size(self, root) -> None:
        """Refuses a document nesting deeper than MAX_DEPTH (reported at the last node, in the
        text's order, at the first level too deep) or expanding beyond the alias budget."""
        sizes, heights, shared = {}, {}, False
        stack = [(root, False)]
        while stack:  # children before parents; a node still open (a cycle) counts as nothing
            node, done = stack.pop()
            children = self.children(node)
            if done:
                sizes[id(node)] = 1 + sum(sizes[id(child)] for child in children)
                heights[id(node)] = max((1 + heights[id(child)] for child in children), default=0)
            elif id(node) in sizes:
                shared = True
            else:
                sizes[id(node)] = heights[id(node)] = 0
                stack += [(node, True)] + [(child, False) for child in children]
        if heights[id(root)] > MAX_DEPTH:
            assert not shared, "the oracle places the refusal of a tree, not of a graph of aliases"
            too_deep, stack = None, [(root, 0)]
            while stack:  # in the text's order
                node, depth = stack.pop()
                if depth > MAX_DEPTH:
                    too_deep = node
                else:
                    stack += [(child, depth + 1) for child in reversed(self.children(node))]
            raise Refused(f"nesting deeper than {MAX_DEPTH} levels", too_deep.start_mark)
        if sizes[id(root)] > len(sizes) + ALIAS_ALLOWANCE:
            raise Refused(f"aliases expand this document to {sizes[id(root)]:,} nodes; refusing to read it "
                          f"(a 'billion laughs' file?)", root.start_mark)

    @staticmethod
    def children(node) -> list:
        if isinstance(node, yaml.SequenceNode):
            return node.value
        if isinstance(node, yaml.MappingNode):
            return [part for pair in node.value for part in pair]
        return []

    def build(self, node, key_span, active: frozenset) -> tuple:
        if id(node) in active:
            raise Refused("an alias refers to a node that contains it", node.start_mark)
        tag = None if node.tag.startswith(CORE) else node.tag
        if isinstance(node, yaml.ScalarNode):
            return ("scalar", scalar_shape(self.value(node)), self.span(node), key_span, tag)
        active = active | {id(node)}
        if isinstance(node, yaml.SequenceNode):
            items = [self.build(item, None, active) for item in node.value]
            return ("seq", items, self.collection_span(node, items), key_span, tag)
        pairs = self.mapping(node, active)
        return ("map", list(pairs.items()), self.collection_span(node, list(pairs.values())), key_span, tag)

    def value(self, node):
        kind = node.tag[len(CORE):] if node.tag.startswith(CORE) else "str"
        try:
            return TYPED[kind](node) if kind in TYPED else node.value
        except (ValueError, KeyError, IndexError, yaml.YAMLError):
            return node.value

    def mapping(self, node, active: frozenset) -> dict:
        merged, explicit = {}, {}
        for key_node, value_node in node.value:
            if key_node.tag == CORE + "merge":
                sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                for source in sources:
                    if isinstance(source, yaml.MappingNode):
                        if id(source) in active:
                            raise Refused("a merge key (<<) brings in a mapping that contains it",
                                          key_node.start_mark)
                        for key, value in self.mapping(source, active | {id(source)}).items():
                            merged.setdefault(key, value)
                continue
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else yaml.serialize(key_node).strip()
            key_span = self.span(key_node)
            if key in explicit:
                first = explicit[key][3]
                self.problems.append(("duplicate-key", f"duplicate key '{key}' (first at line {first[1]}); "
                                                       f"only this last one counts", key_span))
            explicit[key] = self.build(value_node, key_span, active)
        return {**merged, **explicit}

    def span(self, node) -> tuple:
        return (PATH, *self.position(node.start_mark), *self.position(node.end_mark))

    def position(self, mark) -> tuple:
        if mark.line < len(self.lines):
            return mark.line + 1, mark.column + 1
        return len(self.lines), len(self.lines[-1]) + 1

    def collection_span(self, node, children: list) -> tuple:
        """A block collection ends where the last of its values or keys written inside it ends."""
        span = self.span(node)
        ends = [written[3:] for child in children for written in (child[2], child[3])
                if written is not None and span[1:3] <= written[3:] <= span[3:]]
        if node.flow_style or not ends:
            return span
        return (*span[:3], *max(ends))

    def mark_span(self, mark) -> tuple:
        last = len(self.lines) - 1
        if last > 0 and self.lines[last] == "":
            last -= 1
        line = min(mark.line, last)
        width = len(self.lines[line])
        column = min(mark.column, width) if line == mark.line else width
        return (PATH, line + 1, column + 1, line + 1, min(column + 2, width + 1))


def scalar_shape(value) -> tuple:
    """A value's type and text; a NaN's sign too, NaN being unequal to itself."""
    if isinstance(value, float) and math.isnan(value):
        return "float", f"nan{math.copysign(1, value)}"
    return type(value).__name__, repr(value)


def shape(node) -> tuple:
    """A YNode as nested tuples and lists, aliases expanded."""
    span = tuple(node.span)
    key_span = tuple(node.key_span) if node.key_span is not None else None
    if node.kind == "map":
        return ("map", [(key, shape(child)) for key, child in node.value.items()], span, key_span, node.tag)
    if node.kind == "seq":
        return ("seq", [shape(child) for child in node.value], span, key_span, node.tag)
    return ("scalar", scalar_shape(node.value), span, key_span, node.tag)


def read(text: str) -> tuple:
    stream = parse_yaml(text, PATH)
    documents = [(document.index, shape(document.root)) for document in stream.documents]
    problems = [(problem.rule, problem.message, tuple(problem.span)) for problem in stream.problems]
    return documents, problems, stream.lines


def assert_as_pyyaml_composes(text: str) -> None:
    assert read(text) == Oracle(text).result()


# -- the repository's YAML, and a corpus sample ---------------------------------------------------


REPOSITORY_YAML = sorted(path for folder in ("tests", "examples") for path in (ROOT / folder).rglob("*")
                         if path.suffix in (".yaml", ".yml") and path.is_file())


def test_the_repository_holds_yaml_of_every_kind_checked():
    # Guards the comparison below against passing on too little.
    texts = [path.read_bytes().decode("utf-8", "replace") for path in REPOSITORY_YAML]
    assert len(texts) > 40
    for needle in ("<<: *", "&", "---", "!Ref", "\r\n"):
        assert any(needle in text for text in texts), needle


@pytest.mark.parametrize("path", REPOSITORY_YAML, ids=[str(p.relative_to(ROOT)) for p in REPOSITORY_YAML])
def test_repository_yaml_reads_as_pyyaml_composes_it(path):
    assert_as_pyyaml_composes(path.read_bytes().decode("utf-8", "replace"))


def test_a_corpus_sample_reads_as_pyyaml_composes_it(tmp_path):
    corpus = corpus_generator()
    files = [file.path for file in corpus.generate(tmp_path, 250, seed=11) if file.kind != "dockerfile"]
    assert len(files) > 50
    for path in files:
        assert_as_pyyaml_composes(path.read_text(encoding="utf-8"))


# -- generated YAML -------------------------------------------------------------------------------

# Plain scalars of every YAML 1.1 type, and text that looks like one.
SCALARS = ["x", "nginx", "web app", "é", "1", "-2", "+12", "0", "0x1F", "0o17", "017", "0b101", "1_000", "1:30",
           "-1:30:00", "190:20:30.15", "1.5", "1e3", "1.0e+3", "3.", ".5", "-.inf", ".Inf", ".NaN", "yes", "No",
           "on", "OFF", "y", "true", "False", "~", "null", "Null", "", "2024-01-01", "2001-12-14t21:59:43.10-05:00",
           "<<", "=", "0x", "1__2", "-"]
KEYS = ["a", "b", "image", "1", "true", "~", "x y", "<<"]
TAGS = ["!!str", "!!int", "!!float", "!!bool", "!!null", "!!timestamp", "!!binary", "!Ref", "!",
        "!!python/object/apply:os.system", "!<tag:yaml.org,2002:int>"]


def quoted(text: str, style: str) -> str:
    if style == "'":
        return "'" + text.replace("'", "''") + "'"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Writer:
    """Writes one YAML document from hypothesis' draws: block and flow collections, anchors
    and aliases to nodes already complete, merge keys with every kind of value, collections
    and aliases as keys, tags, quoted, plain and block scalars."""

    def __init__(self, draw) -> None:
        self.draw = draw
        self.anchors = 0
        self.complete: list[str] = []  # anchors an alias may name

    def choose(self, options):
        return self.draw(st.sampled_from(options))

    def properties(self, kinds: list[str]) -> tuple[str, str | None]:
        """An anchor and a tag, each maybe, and the anchor's name."""
        anchor = None
        text = ""
        if self.draw(st.integers(0, 3)) == 0:
            anchor = f"n{self.anchors}"
            self.anchors += 1
            text = f"&{anchor} "
        if self.draw(st.integers(0, 4)) == 0:
            text += self.choose(kinds) + " "
        return text, anchor

    def node(self, depth: int, indent: int, flow: bool) -> str:
        """A node written after ``key: `` or ``- `` (or inside a flow collection)."""
        kinds = ["scalar", "scalar", "scalar"] + ["alias"] * bool(self.complete) + ["seq", "map"] * (depth < 4)
        kind = self.choose(kinds)
        if kind == "alias":
            return "*" + self.choose(self.complete) + " "
        if kind == "scalar":
            text, anchor = self.properties(TAGS)
            text += self.scalar(indent, flow)
        else:
            text, anchor = self.properties(["!custom", f"!!{kind}", "!"])
            text += self.collection(kind, depth, indent, flow or self.draw(st.booleans()))
        if anchor is not None:
            self.complete.append(anchor)
        return text

    def scalar(self, indent: int, flow: bool) -> str:
        value = self.choose(SCALARS)
        style = self.choose(["", "", "'", '"'] + ["|", ">-"] * (not flow))
        if style in ("|", ">-"):
            return f"{style}\n{' ' * (indent + 2)}{value or 'text'}\n{' ' * (indent + 2)}more"
        if style or (flow and value in ("", "-")):
            return quoted(value, style or '"')
        return value

    def collection(self, kind: str, depth: int, indent: int, flow: bool) -> str:
        size = self.draw(st.integers(0 if flow else 1, 3))
        if kind == "seq":
            items = [self.node(depth + 1, indent + 2, flow) for _ in range(size)]
            if flow:
                return "[" + ", ".join(items) + "]"
            return "".join(f"\n{' ' * indent}- {item}" for item in items)
        pairs = [self.pair(depth + 1, indent, flow) for _ in range(size)]
        if flow:
            return "{" + ", ".join(pairs) + "}"
        return "".join(f"\n{' ' * indent}{pair}" for pair in pairs)

    def pair(self, depth: int, indent: int, flow: bool) -> str:
        """A key and its value, the key written at column ``indent``."""
        key = self.choose(["plain"] * 6 + ["quoted", "anchored", "collection"] + ["alias"] * bool(self.complete))
        if key == "plain" and self.choose(KEYS) == "<<":
            return "<<: " + self.merge_value(depth, indent + 2, flow)
        if key == "quoted":
            key = quoted(self.choose(KEYS), self.choose(["'", '"']))
        elif key == "anchored":
            key = f"&n{self.anchors} {self.choose(KEYS[:-1])}"
            self.complete.append(f"n{self.anchors}")
            self.anchors += 1
        elif key == "collection":
            collection = self.collection(self.choose(["seq", "map"]), depth, indent + 2, flow=True)
            key = f"? {collection}\n{' ' * indent}"
        elif key == "alias":
            key = "*" + self.choose(self.complete) + " "
        else:
            key = self.choose(KEYS[:-1])
        return f"{key}: {self.node(depth, indent + 2, flow)}"

    def merge_value(self, depth: int, indent: int, flow: bool) -> str:
        value = self.choose(["alias", "aliases", "mapping", "other"] if self.complete else ["mapping", "other"])
        if value == "alias":
            return "*" + self.choose(self.complete) + " "
        if value == "aliases":
            count = self.draw(st.integers(1, 3))
            return "[" + ", ".join("*" + self.choose(self.complete) + " " for _ in range(count)) + "]"
        if value == "mapping":
            return self.collection("map", depth, indent, flow)
        return self.node(depth, indent, flow)


@st.composite
def yaml_streams(draw) -> str:
    documents = []
    for _ in range(draw(st.integers(1, 3))):
        writer = Writer(draw)
        kind = draw(st.sampled_from(["seq", "map", "map", "scalar"]))
        if kind == "scalar":
            documents.append(writer.scalar(0, flow=False))
        else:
            documents.append(writer.collection(kind, 0, 0, draw(st.booleans())).lstrip("\n"))
    text = "".join(f"---\n{document}\n" for document in documents)
    if draw(st.booleans()):
        text = text.removeprefix("---\n")
    line_break = draw(st.sampled_from(["\n", "\n", "\r\n", "\r", "\u2028"]))
    return draw(st.sampled_from(["", "\ufeff"])) + text.replace("\n", line_break)


SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(yaml_streams())
@example("base: &b {a: 1, a: 2}\nx:\n  <<: *b\n  c: 3\ny: *b\n")  # a duplicate reported wherever it is repeated
@example("a: &x [1, 2]\nb:\n  - *x\n  - z\n")  # a block sequence whose first item is an alias
@example("? [a, b]\n: 1\n? &k {x: *v}\n: 2\n")  # an undefined alias inside a key
@example("l: &l [{a: 1, a: 2}, [{b: 1, b: 2}], x]\nm:\n  <<: *l\n  c: 3\n")  # merging the mappings a list holds
@example("? - p\n  - &q {r: 1}\n: 1\n? *q\n: 2\n")  # a block sequence as a key, and an alias of a mapping as one
def test_generated_yaml_reads_as_pyyaml_composes_it(text):
    assert_as_pyyaml_composes(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(yaml_streams())
def test_without_libyaml_the_pure_python_loader_reads_the_same(text):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reader, "_LOADER", yaml.SafeLoader)
        assert read(text) == Oracle(text, yaml.SafeLoader).result()


def _read(text: str) -> bool:
    """Whether every document was read (duplicate keys allowed)."""
    stream = parse_yaml(text, PATH)
    return bool(stream.documents) and all(problem.rule != "parse-error" for problem in stream.problems)


# Guards the properties above against comparing little but syntax errors: the generator
# writes, among others, YAML that reads without a problem and holds each of these.
FEATURES = {
    "three documents": lambda text: len(parse_yaml(text, PATH).documents) == 3 and _read(text),
    "a merge of aliases": lambda text: "<<: [*" in text and _read(text),
    "a collection as a key": lambda text: "? {" in text and _read(text),
    "an alias as a key": lambda text: re.search(r"\*n\d+ :", text) is not None and _read(text),
    "a block collection anchored": lambda text: re.search(r"&n\d+ \n", text) is not None and _read(text),
    "a duplicate key": lambda text: any(problem.rule == "duplicate-key" for problem in parse_yaml(text, PATH).problems),
    "a tag never constructed": lambda text: "!!python/object" in text and _read(text),
}


@pytest.mark.parametrize("feature", FEATURES)
def test_the_generator_writes_yaml_of_every_kind_compared(feature):
    found = settings(max_examples=5000, database=None, derandomize=True, phases=[Phase.generate])
    text = find(yaml_streams(), FEATURES[feature], settings=found)
    assert_as_pyyaml_composes(text)


# -- hostile input -------------------------------------------------------------------------------


def laughs(levels: int) -> str:
    """Each level a list of ten aliases to the level before; the first, ten scalars."""
    lines = ["l0: &l0 [" + ", ".join(["x"] * 10) + "]"]
    lines += [f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 10) + "]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_aliases_within_the_budget_are_read_and_beyond_it_refused():
    # Four levels: 20 nodes written expand to 1 + 4 keys + 11 + 111 + 1,111 + 11,111 nodes.
    stream = parse_yaml(laughs(4), PATH)
    assert stream.problems == []
    assert stream.documents[0].root.to_data()["l3"] == [[[["x"] * 10] * 10] * 10] * 10
    # A fifth level: the 21 nodes written expand to 123,461, beyond them by more than 100,000.
    stream = parse_yaml(laughs(5), PATH)
    assert stream.documents == []
    assert [(p.rule, p.message, tuple(p.span)) for p in stream.problems] == [
        ("parse-error", "aliases expand this document to 123,461 nodes; refusing to read it "
                        "(a 'billion laughs' file?)", (PATH, 1, 1, 1, 2))]


def test_a_billion_laughs_is_refused_without_repeating_a_duplicate_key_inside_it():
    # l0 is 16 nodes, each level 1 + 10 times the one before: 1 + 9 keys + 16 + 161 + ... + 1,611,111,111.
    text = laughs(9).replace("l0: &l0 [", "l0: &l0 [{k: 1, k: 2}, ")
    stream = parse_yaml(text, PATH)
    assert [p.message.split(";")[0] for p in stream.problems] == ["aliases expand this document to 1,790,123,464 nodes"]


def test_nesting_deeper_than_the_limit_is_refused_at_the_last_node_too_deep():
    limit = "a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n"
    assert parse_yaml(limit, PATH).problems == []  # the innermost list is MAX_DEPTH levels below the root
    deeper = "a: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    stream = parse_yaml(f"{deeper}\nb: {deeper[3:]}\n", PATH)
    assert stream.documents == []
    # The node one level too deep on line 2 is the 201st "[" (after "b: ").
    assert [(p.message, tuple(p.span)) for p in stream.problems] == [
        ("nesting deeper than 200 levels", (PATH, 2, 204, 2, 205))]


@pytest.mark.parametrize("levels, problem", [
    (900, ("nesting deeper than 200 levels", (PATH, 2, 6 + 4 * 199, 2, 7 + 4 * 199))),
    # libyaml itself stops at 1,000 levels
    (10_000, ("invalid YAML: exceeded maximum nesting depth", (PATH, 2, 6 + 4 * 998, 2, 7 + 4 * 998))),
])
def test_hundreds_and_thousands_of_levels_are_refused(levels, problem):
    stream = parse_yaml("x:\n  y: " + "{a: " * levels + "1" + "}" * levels + "\n", PATH)
    assert [(p.message, tuple(p.span)) for p in stream.problems] == [problem]


@pytest.mark.parametrize("around, problems", [
    (50, []),  # *deep is 51 levels below the root, and what it names 149 levels deep: 200 in all
    (51, [("nesting deeper than 200 levels", (PATH, 2, 55, 2, 56))]),
])
def test_an_alias_that_would_nest_too_deep_is_refused_where_it_is_used(around, problems):
    deep = "[" * 150 + "]" * 150
    stream = parse_yaml(f"a: &deep {deep}\nb: {'[' * around}*deep{']' * around}\n", PATH)
    assert [(p.message, tuple(p.span)) for p in stream.problems] == problems


def test_an_undefined_alias_is_a_syntax_error_after_the_documents_before_it():
    stream = parse_yaml("a: 1\n---\nb: [x, *nope]\n", PATH)
    assert [document.root.to_data() for document in stream.documents] == [{"a": 1}]
    assert [(p.rule, p.message, tuple(p.span)) for p in stream.problems] == [
        ("parse-error", "invalid YAML: found undefined alias", (PATH, 3, 8, 3, 9))]


@pytest.mark.parametrize("text, mark", [
    ("a: &x [1, *x]\n", (1, 4)),  # a sequence holding itself
    ("a: &m {b: {c: *m}}\n", (1, 4)),
    ("&k {*k : 1}\n", (1, 1)),  # a mapping keyed by itself
    ("&s [{? [*s] : 1}]\n", (1, 1)),
])
def test_a_node_that_holds_itself_is_refused(text, mark):
    stream = parse_yaml(text, PATH)
    assert stream.documents == []
    assert [(p.message, tuple(p.span)[1:3]) for p in stream.problems] == [
        ("an alias refers to a node that contains it", mark)]


@pytest.mark.parametrize("text, mark", [
    ("m: &m\n  a: 1\n  <<: *m\n", (3, 3)),
    ("m: &m\n  a: 1\n  <<: [{b: 2}, *m]\n", (3, 3)),
    ("s: &s\n  - a: 1\n    <<: *s\n", (3, 5)),
])
def test_a_merge_key_that_brings_in_its_own_mapping_is_refused(text, mark):
    stream = parse_yaml(text, PATH)
    assert stream.documents == []
    assert [(p.message, tuple(p.span)[1:3]) for p in stream.problems] == [
        ("a merge key (<<) brings in a mapping that contains it", mark)]


def test_unknown_tags_are_kept_as_text_and_never_constructed(tmp_path):
    made = tmp_path / "made"
    text = (f'a: !!python/object/apply:os.system ["touch {made}"]\n'
            f'b: !!python/object/new:subprocess.check_call [["touch", "{made}"]]\n'
            f'c: !!python/name:os.system\n'
            'd: !Ref Bucket\n'
            'e: !GetAtt [Bucket, Arn]\n'
            'f: !!binary aGk=\n')
    root = parse_yaml(text, PATH).documents[0].root
    assert not made.exists()
    assert root.to_data() == {"a": [f"touch {made}"], "b": [["touch", str(made)]], "c": "", "d": "Bucket",
                              "e": ["Bucket", "Arn"], "f": "aGk="}
    assert [root.get(key).tag for key in "abcdef"] == [None, None, None, "!Ref", "!GetAtt", None]


def test_core_tags_on_text_not_of_their_type_keep_the_text():
    root = parse_yaml("a: !!bool maybe\nb: !!int ''\nc: !!float x\nd: !!null x\n", PATH).documents[0].root
    assert root.to_data() == {"a": "maybe", "b": "", "c": "x", "d": None}


# -- what a user reads back -------------------------------------------------------------------------


def test_plain_scalars_have_their_yaml_1_1_types():
    text = ("a: yes\nb: Off\nc: 0x1F\nd: 017\ne: 0b101\nf: 1_000\ng: 1:30\nh: -.Inf\ni: ~\nj:\n"
            "k: 2024-01-01\nl: '1'\nm: !!str 1\nn: !!int '7'\no: ! 12\np: 0o17\nq: 190:20:30.15\nr: .nan\n")
    values = parse_yaml(text, PATH).documents[0].root.to_data()
    nan = values.pop("r")
    assert math.isnan(nan)
    assert values == {"a": True, "b": False, "c": 31, "d": 15, "e": 5, "f": 1000, "g": 90, "h": -math.inf,
                      "i": None, "j": None, "k": "2024-01-01", "l": "1", "m": "1", "n": 7, "o": 12, "p": "0o17",
                      "q": 685230.15}


def test_a_merge_key_brings_in_values_at_the_positions_they_were_written():
    text = ("base: &base\n"
            "  image: nginx\n"
            "  ports: [80]\n"
            "svc:\n"
            "  <<: [*base, {image: other, user: root}]\n"
            "  image: mine\n")
    svc = parse_yaml(text, PATH).documents[0].root.get("svc")
    assert svc.to_data() == {"image": "mine", "ports": [80], "user": "root"}  # merged keys first, explicit ones win
    assert [(key, node.key_span.line, node.key_span.column) for key, node in svc.items()] == [
        ("image", 6, 3), ("ports", 3, 3), ("user", 5, 30)]
    assert (svc.span.line, svc.span.end_line, svc.span.end_column) == (5, 6, 14)


def test_keys_are_their_text_and_collections_as_keys_their_yaml():
    root = parse_yaml("1: a\ntrue: b\n? [x, {y: z}]\n: c\n? - p\n  - q\n: d\n", PATH).documents[0].root
    assert list(root.value) == ["1", "true", "[x, {y: z}]", "- p\n- q"]
    assert tuple(root.get("- p\n- q").key_span)[1:] == (5, 3, 7, 1)


def test_line_breaks_of_every_kind_and_byte_order_marks_keep_positions():
    stream = parse_yaml("\ufeff\ufeffa: 1\rb: 2\x85c: [x,\u2028 y]\r\nd: 4", PATH)
    root = stream.documents[0].root
    assert stream.lines == ["a: 1", "b: 2", "c: [x,", " y]", "d: 4"]
    assert [(key, node.span.line, node.span.column) for key, node in root.items()] == [
        ("a", 1, 4), ("b", 2, 4), ("c", 3, 4), ("d", 5, 4)]
    assert tuple(root.get("c").span)[1:] == (3, 4, 4, 4)


def test_documents_before_a_syntax_error_are_kept():
    stream = parse_yaml("a: 1\n---\n- b\n---\nc: [\n", PATH)
    assert [(document.index, document.root.to_data()) for document in stream.documents] == [(0, {"a": 1}), (1, ["b"])]
    assert [(p.message, tuple(p.span)[1:3]) for p in stream.problems] == [
        ("invalid YAML: did not find expected node content", (5, 5))]
