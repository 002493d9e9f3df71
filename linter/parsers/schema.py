"""A JSON Schema (draft 2020-12) validator for dlint's own schemas, compiled once and fast to run.

It knows exactly the keywords those schemas use; compiling a schema that uses any other raises
``ValueError`` naming the keyword and where it is, so a schema edit can never be checked only
in part. What it reports is what jsonschema's ``Draft202012Validator`` reports (the tests hold
that package as the oracle): every error rather than the first; a bool is neither an integer
nor a number, and ``enum``, ``const`` and ``uniqueItems`` tell ``true`` from ``1``; a keyword
about strings, numbers, lists or mappings ignores values of other types; ``pattern`` searches.

Compiling turns every subschema into a tuple of checks for each Python type a value can have
(a string is never offered to ``properties``, a mapping never to ``pattern``), with ``$ref``
resolved, ``allOf`` and ``$ref`` beside other keywords flattened into their parent, and
regular expressions compiled. A check is a closure ``check(instance, at, out)`` that appends
its :class:`Violation` objects to ``out``; ``at`` is the instance's path as linked pairs
``(parent_at, key)``, made into a tuple only for an error.
"""
from __future__ import annotations

import re

DRAFT = "https://json-schema.org/draft/2020-12/schema"
# Keywords that only describe: dlint's errorMessage is read by whoever explains the errors.
_ANNOTATIONS = frozenset({"title", "description", "deprecated", "default", "examples", "errorMessage"})
_NULL = type(None)
_CLASSES = (dict, list, str, int, float, bool, _NULL)
_JSON_TYPES = {"object": (dict,), "array": (list,), "string": (str,), "integer": (int,), "number": (int, float),
               "boolean": (bool,), "null": (_NULL,)}
# In a check's set of classes, ``object`` stands for every class JSON has no type for (a TOML date).
_UNKNOWN = object
_EVERY = None


class Violation:
    """One error: ``keyword`` failed, with ``keyword_value`` as the schema gives it, for
    ``instance``, the value at ``path`` (keys and indexes from the document's root).

    ``schema`` is the subschema holding the keyword; ``parent`` the anyOf/oneOf error this one
    explains (None at the top). An anyOf/oneOf error that no branch satisfies has the errors of
    every branch in ``branches`` (branch index -> errors, whose ``relative_path`` starts at this
    error's value); one that several branches satisfy has none. ``missing`` is the absent key
    of a ``required`` or ``dependentRequired`` error; ``unexpected`` the keys (in document order)
    that ``additionalProperties: false`` refuses.
    """

    __slots__ = ("keyword", "keyword_value", "instance", "schema", "_at", "parent", "branches", "missing",
                 "unexpected")

    def __init__(self, keyword: str, keyword_value, instance, schema: dict, at) -> None:
        self.keyword = keyword
        self.keyword_value = keyword_value
        self.instance = instance
        self.schema = schema
        self._at = at
        self.parent: Violation | None = None
        self.branches: dict[int, list[Violation]] | None = None
        self.missing: str | None = None
        self.unexpected: tuple[str, ...] = ()

    @property
    def path(self) -> tuple:
        keys = []
        at = self._at
        while at is not None:
            at, key = at
            keys.append(key)
        keys.reverse()
        return tuple(keys)

    @property
    def relative_path(self) -> tuple:
        """The path from the value of the anyOf/oneOf error this one explains."""
        path = self.path
        return path[len(self.parent.path):] if self.parent is not None else path

    @property
    def message(self) -> str:
        """The error in jsonschema's words (dlint's configuration errors have always used them)."""
        keyword, value, instance = self.keyword, self.keyword_value, self.instance
        if keyword == "type":
            return f"{instance!r} is not of type " + ", ".join(repr(name) for name in _names(value))
        if keyword == "enum":
            return f"{instance!r} is not one of {value!r}"
        if keyword == "const":
            return f"{value!r} was expected"
        if keyword == "required":
            return f"{self.missing!r} is a required property"
        if keyword == "dependentRequired":
            present = next(key for key, needed in value.items() if key in instance and self.missing in needed)
            return f"{self.missing!r} is a dependency of {present!r}"
        if keyword == "additionalProperties":
            return _unexpected_message(self.unexpected, self.schema)
        if keyword == "pattern":
            return f"{instance!r} does not match {value!r}"
        if keyword in ("minLength", "minItems"):
            return f"{instance!r} " + ("should be non-empty" if value == 1 else "is too short")
        if keyword == "maxLength":
            return f"{instance!r} " + ("is expected to be empty" if value == 0 else "is too long")
        if keyword == "minimum":
            return f"{instance!r} is less than the minimum of {value!r}"
        if keyword == "maximum":
            return f"{instance!r} is greater than the maximum of {value!r}"
        if keyword == "uniqueItems":
            return f"{instance!r} has non-unique elements"
        if keyword == "not":
            return f"{instance!r} should not be valid under {value!r}"
        if self.branches:
            return f"{instance!r} is not valid under any of the given schemas"
        return f"{instance!r} is valid under more than one of the given schemas"


def _unexpected_message(keys: tuple[str, ...], schema: dict) -> str:
    if "patternProperties" in schema:
        patterns = ", ".join(repr(pattern) for pattern in sorted(schema["patternProperties"]))
        return f"{', '.join(repr(key) for key in sorted(keys))} {'does' if len(keys) == 1 else 'do'} not match any " \
               f"of the regexes: {patterns}"
    return f"Additional properties are not allowed ({', '.join(repr(key) for key in sorted(keys))} " \
           f"{'was' if len(keys) == 1 else 'were'} unexpected)"


def _names(types) -> list[str]:
    return [types] if isinstance(types, str) else list(types)


class CompiledSchema:
    """A schema made ready to validate many documents."""

    __slots__ = ("_root",)

    def __init__(self, root: _Node) -> None:
        self._root = root

    def errors(self, instance) -> list[Violation]:
        """Every way ``instance`` breaks the schema (a value's errors in the order of its
        schema's keywords; the values of a mapping in the mapping's order)."""
        found: list[Violation] = []
        root = self._root
        for check in root[instance.__class__]:
            check(instance, None, found)
        return found


def compile_schema(schema: dict) -> CompiledSchema:
    """Compile a draft 2020-12 schema; ``ValueError`` if it uses a keyword this module lacks."""
    if not isinstance(schema, dict):
        raise ValueError("a JSON Schema document must be an object")
    if schema.get("$schema", DRAFT) != DRAFT:
        raise ValueError(f"only JSON Schema draft 2020-12 is supported, not {schema['$schema']}")
    return CompiledSchema(_Compiler(schema).node(schema, None))


# -- compiled form -------------------------------------------------------------------------------


class _Node(dict):
    """A compiled subschema: the tuple of checks for each class of value (``node[type(value)]``,
    one lookup). ``entries`` (the checks with the classes each applies to, in keyword order) is
    None while the subschema is being compiled."""

    __slots__ = ("entries", "refuses")

    def __init__(self) -> None:
        super().__init__()
        self.entries: list | None = None
        self.refuses: frozenset = frozenset()  # classes of values its `type` fails whatever they hold

    def __missing__(self, cls: type) -> tuple:
        return self[_UNKNOWN]

    def fill(self, entries: list) -> None:
        self.entries = entries
        checks: dict[type, list] = {cls: [] for cls in (*_CLASSES, _UNKNOWN)}
        for classes, check in entries:
            for cls in checks if classes is _EVERY else classes:
                checks[cls].append(check)
        self.update((cls, tuple(found)) for cls, found in checks.items())


def _pointer(location: tuple | None) -> str:
    """A location kept as linked pairs ``(parent, key)`` while compiling, as a JSON pointer."""
    keys = []
    while location is not None:
        location, key = location
        keys.append(str(key).replace("~", "~0").replace("/", "~1"))
    return "#" + "".join("/" + key for key in reversed(keys))


class _Compiler:
    def __init__(self, root: dict) -> None:
        self.root = root
        self.nodes: dict[int, _Node] = {}
        self.type_checks: dict = {}  # the check of each `type` keyword -> the classes it refuses
        self.type_only: dict = {}  # {"type": "string"} is a third of the subschemas: one node each
        self.following: set[int] = set()  # references being resolved, to refuse a loop of them

    def node(self, schema, location: tuple | None) -> _Node:
        if schema is True:
            return _OPEN
        known = self.nodes.get(id(schema))
        if known is not None:
            return known
        if not isinstance(schema, dict):
            raise ValueError(f"the schema at {_pointer(location)} is not an object")
        if location is not None and ("$id" in schema or "$schema" in schema):
            raise ValueError(f"$id and $schema are supported only at the top level, not at {_pointer(location)}")
        if schema.keys() == {"type"}:
            names = tuple(_names(schema["type"]))
            node = self.type_only.get(names)
            if node is None:
                node = self.type_only[names] = self.compiled(schema, location)
            self.nodes[id(schema)] = node
            return node
        self.definitions(schema, location)
        if "$ref" in schema and all(key == "$ref" or key in _ANNOTATIONS or key in ("$defs", "$id", "$schema")
                                    for key in schema):
            # A subschema that only refers elsewhere is that schema (its errorMessage is an
            # annotation nobody reads: errors come from the schema referred to, as in jsonschema).
            node = self.reference(schema["$ref"], (location, "$ref"))
            self.nodes[id(schema)] = node
            return node
        return self.compiled(schema, location)

    def compiled(self, schema: dict, location: tuple | None) -> _Node:
        node = _Node()
        self.nodes[id(schema)] = node
        entries: list = []
        for keyword, value in schema.items():
            if keyword in _ANNOTATIONS or keyword in ("$defs", "$id", "$schema", "then", "else"):
                continue
            compile_keyword = _KEYWORDS.get(keyword)
            if compile_keyword is None:
                raise ValueError(f"unsupported JSON Schema keyword '{keyword}' at {_pointer((location, keyword))}")
            entries += compile_keyword(self, value, schema, (location, keyword))
        for branch in ("then", "else"):
            if branch in schema and "if" not in schema:
                self.node(schema[branch], (location, branch))  # ignored, but its keywords are checked
        node.fill(entries)
        node.refuses = frozenset(cls for _, check in entries for cls in self.type_checks.get(check, ()))
        return node

    def definitions(self, schema: dict, location: tuple | None) -> None:
        """Compile every definition, used or not, so that none holds an unsupported keyword."""
        for name, definition in schema.get("$defs", {}).items():
            self.node(definition, ((location, "$defs"), name))

    def reference(self, reference: str, location: tuple | None) -> _Node:
        if not isinstance(reference, str) or not reference.startswith("#"):
            raise ValueError(f"only references within the schema ('#/...') are supported, not {reference!r} at "
                             f"{_pointer(location)}")
        target, place = self.root, None
        for part in filter(None, reference[1:].split("/")):
            part = part.replace("~1", "/").replace("~0", "~")
            try:
                target = target[int(part)] if isinstance(target, list) else target[part]
            except (KeyError, IndexError, ValueError, TypeError):
                raise ValueError(f"the reference {reference!r} at {_pointer(location)} points at nothing") from None
            place = (place, part)
        known = self.nodes.get(id(target))
        if known is not None:
            return known
        if id(target) in self.following:
            raise ValueError(f"the reference {reference!r} at {_pointer(location)} only refers to itself")
        self.following.add(id(target))
        try:
            return self.node(target, place)
        finally:
            self.following.discard(id(target))

    def inline(self, node: _Node) -> list:
        """The entries that check ``node`` in place of its parent's keyword (one call frame less
        per level: nesting depth is bounded by the YAML reader, not by this). A node still being
        compiled (a recursive reference) is called instead."""
        if node.entries is not None:
            return node.entries

        def call(instance, at, out):
            for check in node[instance.__class__]:
                check(instance, at, out)
        return [(_EVERY, call)]


_OPEN = _Node()
_OPEN.fill([])


def _classes(*json_types: str) -> frozenset:
    return frozenset(cls for name in json_types for cls in _JSON_TYPES[name])


_MAPPINGS, _LISTS, _TEXTS = frozenset({dict}), frozenset({list}), frozenset({str})


# -- keywords --------------------------------------------------------------------------------------
# Each takes (compiler, value, schema holding it, location) and returns its entries.


def _type(compiler: _Compiler, value, schema: dict, location: tuple | None) -> list:
    names = _names(value)
    unknown = [name for name in names if name not in _JSON_TYPES]
    if unknown:
        raise ValueError(f"unknown type {unknown[0]!r} at {_pointer(location)}")
    accepted = _classes(*names)

    def wrong(instance, at, out):
        out.append(Violation("type", value, instance, schema, at))

    def fraction(instance, at, out):  # 1.0 is an integer; 1.5 is not
        if not instance.is_integer():
            wrong(instance, at, out)

    refused = frozenset(cls for cls in _CLASSES if cls not in accepted) | {_UNKNOWN}
    entries = []
    if float in refused and "integer" in names:
        refused -= {float}
        entries.append((frozenset({float}), fraction))
    compiler.type_checks[wrong] = refused
    return [(refused, wrong), *entries]


def _equal(one, two) -> bool:
    """JSON equality: ``true`` is not ``1`` (Python says it is), ``1`` is ``1.0``, at any depth."""
    if one is two:
        return True
    if type(one) is str or type(two) is str:
        return one == two
    if type(one) is list and type(two) is list:
        return len(one) == len(two) and all(_equal(a, b) for a, b in zip(one, two))
    if type(one) is dict and type(two) is dict:
        return len(one) == len(two) and all(key in two and _equal(item, two[key]) for key, item in one.items())
    if type(one) is bool or type(two) is bool:
        return False
    return one == two


def _enum(compiler: _Compiler, value, schema: dict, location: tuple | None) -> list:
    texts = frozenset(option for option in value if type(option) is str)
    others = [option for option in value if type(option) is not str]

    def text(instance, at, out):
        if instance not in texts:
            out.append(Violation("enum", value, instance, schema, at))

    def other(instance, at, out):
        if not any(_equal(instance, option) for option in others):
            out.append(Violation("enum", value, instance, schema, at))
    return [(frozenset({str}), text), (frozenset(_CLASSES) - {str} | {_UNKNOWN}, other)]


def _const(compiler: _Compiler, value, schema: dict, location: tuple | None) -> list:
    def check(instance, at, out):
        if not _equal(instance, value):
            out.append(Violation("const", value, instance, schema, at))

    if type(value) is not str:
        return [(_EVERY, check)]

    def text(instance, at, out):  # the common case, as in an `if` on an object's kind
        if instance != value:
            out.append(Violation("const", value, instance, schema, at))
    return [(frozenset({str}), text), (frozenset(_CLASSES) - {str} | {_UNKNOWN}, check)]


def _hashable(item):
    """A key equal for items JSON calls equal, and only for those (``true`` is not ``1``)."""
    if item is True or item is False:
        return _TRUE if item else _FALSE
    if type(item) is list:
        return tuple(_hashable(each) for each in item)
    if type(item) is dict:
        return frozenset((key, _hashable(each)) for key, each in item.items())
    return item


_TRUE, _FALSE = object(), object()


def _unique(items: list) -> bool:
    try:
        if len(set(items)) == len(items):
            return True  # distinct to Python (where true == 1) is distinct to JSON
    except TypeError:  # lists or mappings among the items
        pass
    try:
        return len({_hashable(item) for item in items}) == len(items)
    except TypeError:  # a value of a type JSON lacks, with no hash: compare pairwise
        return not any(_equal(items[i], items[j]) for i in range(len(items)) for j in range(i))


def _unique_items(compiler: _Compiler, value, schema: dict, location: tuple | None) -> list:
    if value is not True:
        return []

    def check(instance, at, out):
        if not _unique(instance):
            out.append(Violation("uniqueItems", value, instance, schema, at))
    return [(_LISTS, check)]


def _pattern(compiler: _Compiler, value, schema: dict, location: tuple | None) -> list:
    search = re.compile(value).search

    def check(instance, at, out):
        if search(instance) is None:
            out.append(Violation("pattern", value, instance, schema, at))
    return [(_TEXTS, check)]


def _bound(keyword: str, applies_to: frozenset, fails):
    """A keyword that compares one measure of a value (its length, its size) with a limit."""
    def compile_bound(compiler: _Compiler, value, schema: dict, location: tuple | None) -> list:
        def check(instance, at, out):
            if fails(instance, value):
                out.append(Violation(keyword, value, instance, schema, at))
        return [(applies_to, check)]
    return compile_bound


def _required(compiler: _Compiler, value, schema: dict, location: tuple | None) -> list:
    def check(instance, at, out):
        for key in value:
            if key not in instance:
                error = Violation("required", value, instance, schema, at)
                error.missing = key
                out.append(error)
    return [(_MAPPINGS, check)]


def _dependent_required(compiler: _Compiler, value, schema: dict, location: tuple | None) -> list:
    def check(instance, at, out):
        for key, needed in value.items():
            if key in instance:
                for other in needed:
                    if other not in instance:
                        error = Violation("dependentRequired", value, instance, schema, at)
                        error.missing = other
                        out.append(error)
    return [(_MAPPINGS, check)]


def _properties(compiler: _Compiler, value, schema: dict, location: tuple | None) -> list:
    nodes = {key: compiler.node(subschema, (location, key)) for key, subschema in value.items()}
    named = list(nodes.items())

    def check(instance, at, out):
        # whichever is shorter: a service uses a few of 80 keys; an `if` names 2 of an object's keys
        if len(instance) <= len(named):
            for key, item in instance.items():
                node = nodes.get(key)
                if node is not None:
                    checks = node[item.__class__]
                    if checks:
                        where = (at, key)
                        for inner in checks:
                            inner(item, where, out)
        else:
            for key, node in named:
                if key in instance:
                    item = instance[key]
                    checks = node[item.__class__]
                    if checks:
                        where = (at, key)
                        for inner in checks:
                            inner(item, where, out)
    return [(_MAPPINGS, check)]


def _pattern_properties(compiler: _Compiler, value, schema: dict, location: tuple | None) -> list:
    patterns = [(re.compile(pattern).search, compiler.node(subschema, (location, pattern)))
                for pattern, subschema in value.items()]

    def check(instance, at, out):
        for search, node in patterns:
            for key, item in instance.items():
                if search(key) is not None:
                    for inner in node[item.__class__]:
                        inner(item, (at, key), out)
    return [(_MAPPINGS, check)]


def _additional_properties(compiler: _Compiler, value, schema: dict, location: tuple | None) -> list:
    named = frozenset(schema.get("properties", ()))
    searches = [re.compile(pattern).search for pattern in schema.get("patternProperties", ())]

    def additional(instance: dict) -> list[str]:
        if instance.keys() <= named:
            return []
        return [key for key in instance if key not in named and not any(search(key) for search in searches)]

    if value is False:
        def refuse(instance, at, out):
            unexpected = additional(instance)
            if unexpected:
                error = Violation("additionalProperties", value, instance, schema, at)
                error.unexpected = tuple(unexpected)
                out.append(error)
        return [(_MAPPINGS, refuse)]
    node = compiler.node(value, location)
    if node.entries == []:
        return []

    def check(instance, at, out):
        for key in additional(instance):
            item = instance[key]
            for inner in node[item.__class__]:
                inner(item, (at, key), out)
    return [(_MAPPINGS, check)]


def _property_names(compiler: _Compiler, value, schema: dict, location: tuple | None) -> list:
    node = compiler.node(value, location)

    def check(instance, at, out):
        # a key is checked as a value at its mapping's path, as jsonschema reports it
        for key in instance:
            for inner in node[key.__class__]:
                inner(key, at, out)
    return [(_MAPPINGS, check)]


def _items(compiler: _Compiler, value, schema: dict, location: tuple | None) -> list:
    node = compiler.node(value, location)
    if node.entries == []:
        return []

    def check(instance, at, out):
        for index, item in enumerate(instance):
            checks = node[item.__class__]
            if checks:
                where = (at, index)
                for inner in checks:
                    inner(item, where, out)
    return [(_LISTS, check)]


def _ref(compiler: _Compiler, value, schema: dict, location: tuple | None) -> list:
    # beside other keywords (2020-12 applies both), the referred schema's checks run in its place
    return compiler.inline(compiler.reference(value, location))


def _all_of(compiler: _Compiler, value, schema: dict, location: tuple | None) -> list:
    entries = []
    for index, subschema in enumerate(value):
        entries += compiler.inline(compiler.node(subschema, (location, index)))
    return entries


def _alternatives(compiler: _Compiler, value, schema: dict, location: tuple | None, keyword: str) -> list:
    nodes = [compiler.node(subschema, (location, index)) for index, subschema in enumerate(value)]
    # Per class of value, the branches worth trying: the others fail on their `type` alone, and
    # their errors are only needed when every branch fails.
    hopeful = {cls: [(index, node) for index, node in enumerate(nodes) if cls not in node.refuses]
               for cls in (*_CLASSES, _UNKNOWN)}
    unknown = hopeful[_UNKNOWN]

    def check(instance, at, out):
        cls = instance.__class__
        branches: dict[int, list[Violation]] = {}
        satisfied = 0
        for index, node in hopeful.get(cls, unknown):
            found: list[Violation] = []
            for inner in node[cls]:
                inner(instance, at, found)
            if not found:
                satisfied += 1
                if keyword == "anyOf" or satisfied > 1:
                    break
            else:
                branches[index] = found
        if satisfied == 1 or satisfied and keyword == "anyOf":
            return
        error = Violation(keyword, value, instance, schema, at)
        error.branches = {} if satisfied else _every_branch(nodes, branches, instance, at)
        for found in error.branches.values():
            for sub in found:
                sub.parent = error
        out.append(error)
    return [(_EVERY, check)]


def _every_branch(nodes: list, tried: dict, instance, at) -> dict[int, list[Violation]]:
    """The errors of every branch in order: those ``tried`` and those refused by type."""
    branches = {}
    for index, node in enumerate(nodes):
        found = tried.get(index)
        if found is None:
            found = []
            for inner in node[instance.__class__]:
                inner(instance, at, found)
        branches[index] = found
    return branches


def _any_of(compiler: _Compiler, value, schema: dict, location: tuple | None) -> list:
    return _alternatives(compiler, value, schema, location, "anyOf")


def _one_of(compiler: _Compiler, value, schema: dict, location: tuple | None) -> list:
    return _alternatives(compiler, value, schema, location, "oneOf")


def _not(compiler: _Compiler, value, schema: dict, location: tuple | None) -> list:
    node = compiler.node(value, location)

    def check(instance, at, out):
        found: list[Violation] = []
        for inner in node[instance.__class__]:
            inner(instance, at, found)
        if not found:
            out.append(Violation("not", value, instance, schema, at))
    return [(_EVERY, check)]


def _if(compiler: _Compiler, value, schema: dict, location: tuple | None) -> list:
    condition = compiler.node(value, location)
    parent = location[0]
    then = compiler.node(schema["then"], (parent, "then")) if "then" in schema else None
    otherwise = compiler.node(schema["else"], (parent, "else")) if "else" in schema else None
    if then is None and otherwise is None:
        return []

    def check(instance, at, out):
        found: list[Violation] = []
        for inner in condition[instance.__class__]:
            inner(instance, at, found)
        branch = otherwise if found else then
        if branch is not None:
            for inner in branch[instance.__class__]:
                inner(instance, at, out)
    return [(_EVERY, check)]


_KEYWORDS = {
    "type": _type, "enum": _enum, "const": _const, "$ref": _ref, "allOf": _all_of, "anyOf": _any_of,
    "oneOf": _one_of, "not": _not, "if": _if,
    "properties": _properties, "patternProperties": _pattern_properties,
    "additionalProperties": _additional_properties, "propertyNames": _property_names, "required": _required,
    "dependentRequired": _dependent_required,
    "items": _items, "minItems": _bound("minItems", _LISTS, lambda items, limit: len(items) < limit),
    "uniqueItems": _unique_items,
    "pattern": _pattern, "minLength": _bound("minLength", _TEXTS, lambda text, limit: len(text) < limit),
    "maxLength": _bound("maxLength", _TEXTS, lambda text, limit: len(text) > limit),
    "minimum": _bound("minimum", _classes("number"), lambda number, limit: number < limit),
    "maximum": _bound("maximum", _classes("number"), lambda number, limit: number > limit),
}
