"""JSON Schema validation of a YAML document, with every error at the position of the key or
value it is about, in words a user of the file understands.

- All errors are reported, not the first one.
- An unknown key is reported at the key, with the closest allowed name ("did you mean").
- A wrong type is reported at the value; a missing required key at its parent's key.
- ``oneOf``/``anyOf`` failures are reduced to the alternative the value was evidently meant to
  be (the one whose type matches), or to one "must be A or B" message when none does.
- A schema may give its own message for a value in an ``errorMessage`` keyword (``{value}`` is
  replaced by the value), on the failing subschema or on the ``anyOf``/``oneOf`` around it.

The data validated is the document as YAML 1.2 reads it (as Compose and Kubernetes do):
PyYAML follows YAML 1.1, where an unquoted ``no``, ``on``, ``yes`` or ``off`` is a boolean and
``22:22`` a base-60 integer; those are given back as the text they are written as.

Validation runs on :mod:`linter.parsers.schema`, which compiles a schema once; ``jsonschema``
(~150 ms to import) is only the oracle of the tests.
"""
from __future__ import annotations

from linter.model.yaml import YNode
from linter.parsers.schema import CompiledSchema, Violation, compile_schema

_TYPE_NAMES = {
    "object": "a mapping", "array": "a list", "string": "a string", "integer": "an integer",
    "number": "a number", "boolean": "true or false", "null": "empty (null)",
}
# Compiled schemas by id, each with its schema so the id stays its own; a Linter loads each
# schema once, so a handful of entries is plenty and the oldest goes first.
_COMPILED: dict[int, tuple[dict, CompiledSchema]] = {}
_COMPILED_MAX = 8


def validate_document(root: YNode, schema: dict, yaml11: bool = False) -> list[tuple[str, object]]:
    """Every way ``root`` breaks ``schema`` (draft 2020-12), as (message, Span) pairs in file order.
    Compose reads YAML 1.2 (the default here); kubectl reads YAML 1.1 (``yaml11=True``), where
    ``yes`` is a boolean and ``0755`` an octal number."""
    compiled = _compiled(schema)
    data = root.to_data() if yaml11 else yaml12_data(root)
    found: list[tuple[str, object]] = []
    for error in compiled.errors(data):
        _explain(error, root, found)
    unique: dict[tuple, tuple[str, object]] = {}
    for message, span in found:
        unique.setdefault((message, span), (message, span))
    return sorted(unique.values(), key=lambda pair: (pair[1].line, pair[1].column, pair[0]))


def _compiled(schema: dict) -> CompiledSchema:
    cached = _COMPILED.get(id(schema))
    if cached is not None:
        return cached[1]
    compiled = compile_schema(schema)
    if len(_COMPILED) >= _COMPILED_MAX:
        del _COMPILED[next(iter(_COMPILED))]
    _COMPILED[id(schema)] = (schema, compiled)
    return compiled


def yaml12_data(node: YNode):
    """Plain data from a node tree, with YAML-1.1-only booleans and base-60 integers as text."""
    if node.kind == "map":
        return {key: yaml12_data(child) for key, child in node.value.items()}
    if node.kind == "seq":
        return [yaml12_data(child) for child in node.value]
    value = node.value
    if type(value) is bool or type(value) is int:
        text = _written_as(node)
        if text is not None:
            return text
    return value


def _written_as(node: YNode) -> str | None:
    """The YAML 1.1 word or base-60 number a plain scalar was written as, when YAML 1.2 would
    read it as a string; None otherwise."""
    span = node.span
    if span.line != span.end_line:
        return None
    width = span.end_column - span.column
    value = node.value
    if type(value) is bool:
        if width == 3:
            return "yes" if value else "off"
        if width == 2:
            return "on" if value else "no"
        return None
    if value < 60 or width <= len(str(value)):
        return None
    for parts in (2, 3):
        digits, rest = [], value
        for _ in range(parts - 1):
            rest, low = divmod(rest, 60)
            digits.append(low)
        digits.append(rest)
        digits.reverse()
        for padded in (False, True):
            text = ":".join(str(part) if i == 0 else (f"{part:02d}" if padded else str(part))
                            for i, part in enumerate(digits))
            if len(text) == width:
                return text
    return None


# ---------------------------------------------------------------------------------------------


def _node_at(root: YNode, path) -> YNode | None:
    node: YNode | None = root
    for part in path:
        if node is None:
            return None
        if isinstance(part, int):
            node = node.value[part] if node.kind == "seq" and 0 <= part < len(node.value) else None
        else:
            node = node.value.get(part) if node.kind == "map" else None
    return node


def _name(path) -> str:
    """``services.web.ports[0]`` → ``ports[0]``: the last key and any indexes after it."""
    parts = list(path)
    text = ""
    while parts and isinstance(parts[-1], int):
        text = f"[{parts.pop()}]" + text
    if parts:
        return f"{parts[-1]}{text}"
    return f"item{text}" if text else "the document"


def _found(value) -> str:
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _types(types) -> str:
    names = [_TYPE_NAMES.get(name, name) for name in ([types] if isinstance(types, str) else types)]
    names = list(dict.fromkeys(names))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _show(value) -> str:
    if isinstance(value, (dict, list)):
        return _found(value)
    text = "null" if value is None else ("true" if value is True else "false" if value is False else str(value))
    return text if len(text) <= 60 else text[:59] + "…"


def _custom(error: Violation) -> str | None:
    """The schema's own ``errorMessage`` for this error, looking up through enclosing anyOf/oneOf."""
    current = error
    while current is not None:
        message = current.schema.get("errorMessage")
        if message:
            return message.replace("{value}", _show(current.instance))
        current = current.parent
    return None


def _explain(error: Violation, root: YNode, found: list) -> None:
    path = error.path
    node = _node_at(root, path)
    span = node.span if node is not None else root.span
    name = _name(path)
    keyword = error.keyword
    if keyword in ("oneOf", "anyOf"):
        _explain_alternatives(error, root, found)
        return
    custom = _custom(error)
    if keyword == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        patterns = list(error.schema.get("patternProperties", {}))
        for key in error.unexpected:
            child = node.value.get(key) if node is not None and node.kind == "map" else None
            where = child.key_span if child is not None and child.key_span is not None else span
            if allowed:
                close = _close(key, allowed)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                found.append((f"unknown key '{key}' in {_where(path)}{hint}", where))
            else:
                rule = " or ".join(patterns) if patterns else "no keys"
                found.append((f"'{key}' is not a valid name in {_where(path)} (it must match {rule})", where))
        return
    if custom is not None:
        found.append((custom, span))
        return
    if keyword == "type":
        found.append((f"'{name}' must be {_types(error.keyword_value)}, not {_found(error.instance)}", span))
    elif keyword == "required":
        anchor = node.anchor if node is not None else root.span
        found.append((f"'{name}' is missing the required key '{error.missing}'", anchor))
    elif keyword in ("enum", "const"):
        options = error.keyword_value if keyword == "enum" else [error.keyword_value]
        shown = ", ".join(_show(option) for option in options)
        close = _close(error.instance, [str(option) for option in options]) if isinstance(error.instance, str) else []
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        found.append((f"'{_show(error.instance)}' is not a valid '{name}': expected {shown}{hint}", span))
    elif keyword == "uniqueItems":
        found.append((f"'{name}' lists the same item more than once", span))
    elif keyword == "pattern":
        found.append((f"'{_show(error.instance)}' is not a valid '{name}' (it must match {error.keyword_value})",
                      span))
    elif keyword in ("minimum", "maximum"):
        word = "at least" if keyword == "minimum" else "at most"
        found.append((f"'{name}' must be {word} {error.keyword_value}, not {_show(error.instance)}", span))
    elif keyword in ("minLength", "minItems") and error.keyword_value == 1:
        found.append((f"'{name}' must not be empty", span))
    elif keyword == "minLength":
        found.append((f"'{name}' must be at least {error.keyword_value} characters long", span))
    elif keyword == "maxLength":
        found.append((f"'{name}' must be at most {error.keyword_value} characters long, not {len(error.instance)}",
                      span))
    else:
        found.append((f"'{name}': {error.message}", span))


def _close(word: str, candidates: list[str]) -> list[str]:
    import difflib  # only when there is a misspelling to explain

    return difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)


def _where(path) -> str:
    """``['services', 'web', 'ports', 1]`` → ``'services.web.ports[1]'``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return f"'{text}'" if text else "the top level"


def _explain_alternatives(error: Violation, root: YNode, found: list) -> None:
    """Report the alternative the value was evidently meant to be; or, when its type fits none
    of them, one message naming the types that would."""
    branches = error.branches
    fitting = {index: errors for index, errors in branches.items()
               if not any(sub.keyword == "type" and not sub.relative_path for sub in errors)}
    custom = _custom(error)
    if fitting and custom is None:
        # the alternative of the right type with the fewest (then the deepest) errors
        index = min(fitting, key=lambda i: (len(fitting[i]), -max(len(sub.relative_path) for sub in fitting[i])))
        for sub in fitting[index]:
            _explain(sub, root, found)
        return
    path = error.path
    node = _node_at(root, path)
    span = node.span if node is not None else root.span
    if custom is not None:
        found.append((custom, span))
        return
    if not branches:  # a oneOf that several alternatives satisfy
        found.append((f"'{_name(path)}' fits more than one of the forms it may take", span))
        return
    # no alternative takes a value of this type (each has failed on its type)
    types: list[str] = []
    for errors in branches.values():
        for sub in errors:
            if sub.keyword == "type" and not sub.relative_path:
                value = sub.keyword_value
                types += [value] if isinstance(value, str) else list(value)
    found.append((f"'{_name(path)}' must be {_types(types)}, not {_found(error.instance)}", span))
