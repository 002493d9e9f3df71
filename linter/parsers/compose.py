"""Compose YAML (a :class:`YNode` tree) to :class:`ComposeFile`, and to the normalized
:class:`Workload` view.

What happens, in the order ``docker compose`` does it:

1. ``merge_compose`` (called by the engine when a directory holds both ``compose.yaml`` and
   its ``compose.override.yaml``) merges the override into the base with compose-go's rules
   (``override/merge.go`` and ``override/uncity.go``); each value keeps the span of the file it
   came from. ``!reset`` and ``!override`` tags are honoured.
2. ``parse_compose`` interpolates every string value (``${VAR}``, ``${VAR:-default}``,
   ``${VAR-default}``, ``${VAR:?err}``, ``${VAR?err}``, ``${VAR:+alt}``, ``${VAR+alt}``, ``$VAR``,
   ``$$``) from the ``variables`` it is given — never from the process environment — leaving
   unknown variables as written; resolves ``extends`` within the file with the same merge
   rules; then reads each service's keys (short and long syntax) into the model.
3. ``to_workloads`` gives one :class:`Workload` per service, with quantities in cores and bytes.

Nothing here raises on bad input: problems are collected as (rule name, message, span).
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from linter.model.compose import (
    Build, ComposeFile, Dependency, Interpolated, Service, ServiceNetwork, is_literal, unresolved,
)
from linter.model.dockerfile import ImageRef
from linter.model.span import Span
from linter.model.workload import Container, Field, Mount, Port, Quantity, Workload
from linter.model.yaml import YNode
from linter.parsers.dockerfile import parse_image_reference
from linter.parsers.quantity import parse_cpu, parse_memory

INVALID = "invalid-compose"
INTERPOLATION = "invalid-interpolation"
QUANTITY = "invalid-quantity"

MAX_PORTS = 4096          # ports expanded from ranges, per service ("1-65535:1-65535" stays bounded)
MAX_NESTING = 32          # ${A:-${B:-${C…}}} levels

# ---------------------------------------------------------------------------------------------
# Node helpers


_KEEP = object()


def _copy(node: YNode, value=_KEEP, key_span=_KEEP) -> YNode:
    """A copy of ``node`` with a new value and/or key span; an :class:`Interpolated` node stays one."""
    value = node.value if value is _KEEP else value
    key_span = node.key_span if key_span is _KEEP else key_span
    if isinstance(node, Interpolated):
        return Interpolated(value, node.span, key_span, node.tag, node.raw, node.unresolved, node.external)
    return YNode(node.kind, value, node.span, key_span, node.tag)


def _map(value: dict, like: YNode, key_span=None) -> YNode:
    return YNode("map", value, like.span, key_span if key_span is not None else like.key_span)


def _seq(value: list, like: YNode) -> YNode:
    return YNode("seq", value, like.span, like.key_span)


def _scalar(value, span, key_span=None) -> YNode:
    return YNode("scalar", value, span, key_span)


def _text(node: YNode | None) -> str | None:
    return node.text() if node is not None else None


def _field(node: YNode | None) -> Field | None:
    text = _text(node)
    return Field(text, node.span) if text is not None else None


_TRUE = frozenset({"true", "1", "t", "yes", "y", "on"})
_FALSE = frozenset({"false", "0", "f", "no", "n", "off"})


def _bool(node: YNode | None):
    """True/False for a boolean (or a boolean-looking string, as Compose accepts after
    interpolation); the text when it is not one (an unresolved variable); None when absent."""
    if node is None or node.kind != "scalar" or node.value is None:
        return None
    if isinstance(node.value, bool):
        return node.value
    text = str(node.value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return str(node.value)


def _bool_field(node: YNode | None) -> Field | None:
    value = _bool(node)
    return Field(value, node.span) if value is not None else None


def _items(node: YNode | None) -> list[YNode]:
    """The items of a sequence, or a lone scalar as a one-item list (``dns: 8.8.8.8``)."""
    if node is None:
        return []
    if node.kind == "seq":
        return node.value
    if node.kind == "scalar" and node.value is not None:
        return [node]
    return []


def _fields(node: YNode | None) -> list[Field]:
    return [Field(item.text(), item.span) for item in _items(node) if item.kind == "scalar" and item.value is not None]


# ---------------------------------------------------------------------------------------------
# Interpolation

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPERATORS = (":-", ":?", ":+", "-", "?", "+")


class _InterpolationError(ValueError):
    pass


class _Interpolator:
    """Interpolates one string: collects the variables left unresolved and those resolved from
    ``variables``; raises :class:`_InterpolationError` on text Compose would refuse."""

    __slots__ = ("variables", "unresolved", "external")

    def __init__(self, variables: Mapping[str, str]) -> None:
        self.variables = variables
        self.unresolved: list[str] = []
        self.external: list[str] = []

    def run(self, text: str, depth: int = 0) -> str:
        if depth > MAX_NESTING:
            raise _InterpolationError(f"variables nested more than {MAX_NESTING} levels deep")
        out: list[str] = []
        position = 0
        length = len(text)
        while True:
            dollar = text.find("$", position)
            if dollar < 0:
                out.append(text[position:])
                return "".join(out)
            out.append(text[position:dollar])
            following = text[dollar + 1: dollar + 2]
            if following == "$":
                out.append("$")
                position = dollar + 2
                continue
            if following == "{":
                end = _closing_brace(text, dollar + 2)
                if end < 0:
                    raise _InterpolationError(f"'${{' at character {dollar + 1} is never closed with '}}'")
                out.append(self.braced(text[dollar + 2: end], text[dollar: end + 1], depth))
                position = end + 1
                continue
            match = _NAME.match(text, dollar + 1)
            if match is None:
                shown = text[dollar: dollar + 2] if dollar + 1 < length else "$"
                raise _InterpolationError(f"'{shown}' is not a variable: write '$$' for a literal '$'")
            name = match.group()
            out.append(self.lookup(name, "$" + name))
            position = match.end()

    def lookup(self, name: str, written: str) -> str:
        value = self.variables.get(name)
        if value is None:
            self.unresolved.append(name)
            return written
        self.external.append(name)
        return str(value)

    def braced(self, content: str, written: str, depth: int) -> str:
        match = _NAME.match(content)
        if match is None:
            raise _InterpolationError(f"'{written}' does not start with a variable name")
        name, rest = match.group(), content[match.end():]
        if not rest:
            return self.lookup(name, written)
        operator = next((op for op in _OPERATORS if rest.startswith(op)), None)
        if operator is None:
            raise _InterpolationError(f"'{written}': expected one of :- - :? ? :+ + after '{name}'")
        argument = rest[len(operator):]
        value = self.variables.get(name)
        value = None if value is None else str(value)
        if operator in (":-", "-"):
            if value is not None and (value or operator == "-"):
                self.external.append(name)
                return value
            return self.run(argument, depth + 1)
        if operator in (":?", "?"):
            if value is not None and (value or operator == "?"):
                self.external.append(name)
                return value
            self.run(argument, depth + 1)  # still checked for syntax
            self.unresolved.append(name)
            return written
        # :+ and +: the alternative when set (and, for ':+', not empty)
        if value is None:
            self.run(argument, depth + 1)
            self.unresolved.append(name)
            return written
        self.external.append(name)
        return self.run(argument, depth + 1) if (value or operator == "+") else ""


def _closing_brace(text: str, start: int) -> int:
    """Index of the ``}`` closing a ``${`` whose content starts at ``start``; nested ``${…}`` count."""
    depth = 1
    index = start
    length = len(text)
    while index < length:
        char = text[index]
        if char == "}":
            depth -= 1
            if depth == 0:
                return index
        elif char == "$" and text.startswith("${", index):
            depth += 1
            index += 1
        index += 1
    return -1


def interpolate(text: str, variables: Mapping[str, str] | None = None) -> tuple[str, tuple, tuple, str | None]:
    """``text`` with known variables substituted: (value, unresolved names, names resolved from
    ``variables``, error message or None). On an error the text is returned unchanged."""
    interpolator = _Interpolator(variables or {})
    try:
        value = interpolator.run(text)
    except _InterpolationError as error:
        return text, (), (), str(error)
    return value, tuple(dict.fromkeys(interpolator.unresolved)), tuple(dict.fromkeys(interpolator.external)), None


def _interpolate_tree(root: YNode, variables: Mapping[str, str], problems: list) -> YNode:
    """A copy of ``root`` with every string scalar interpolated (keys are not, as in Compose)
    and ``!reset`` entries dropped. Nodes without ``$`` are shared, not copied."""

    def visit(node: YNode) -> YNode:
        kind = node.kind
        if kind == "scalar":
            value = node.value
            if type(value) is not str or "$" not in value:
                return node
            result, missing, external, error = interpolate(value, variables)
            if error is not None:
                problems.append((INTERPOLATION, f"invalid interpolation in '{_shorten(value)}': {error}", node.span))
                return node
            return Interpolated(result, node.span, node.key_span, node.tag, value, missing, external)
        if kind == "map":
            changed = False
            items = {}
            for key, child in node.value.items():
                if child.tag == "!reset":
                    changed = True
                    continue
                new = visit(child)
                changed = changed or new is not child
                items[key] = new
            return _copy(node, items) if changed else node
        children = [visit(child) for child in node.value if child.tag != "!reset"]
        if len(children) == len(node.value) and all(a is b for a, b in zip(children, node.value)):
            return node
        return _copy(node, children)

    return _walk_guarded(visit, root)


def _walk_guarded(visit, root: YNode) -> YNode:
    try:
        return visit(root)
    except RecursionError:  # the YAML reader caps nesting at 200 levels; this is belt and braces
        return root


def _shorten(text: str, limit: int = 60) -> str:
    text = text.replace("\n", "\\n")
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------------------------------------
# Merging (override files and extends)

_REPLACE = frozenset({
    ("services", "*", "command"), ("services", "*", "entrypoint"), ("services", "*", "healthcheck", "test"),
    ("services", "*", "ulimits", "*"),
})
_KEY_VALUE = frozenset({
    ("services", "*", "environment"), ("services", "*", "labels"), ("services", "*", "annotations"),
    ("services", "*", "sysctls"), ("services", "*", "build", "args"), ("services", "*", "build", "labels"),
    ("services", "*", "build", "additional_contexts"), ("services", "*", "deploy", "labels"),
    ("networks", "*", "labels"), ("volumes", "*", "labels"),
})
_TO_SEQUENCE = frozenset({
    ("services", "*", "dns"), ("services", "*", "dns_opt"), ("services", "*", "dns_search"),
    ("services", "*", "tmpfs"), ("services", "*", "env_file"), ("services", "*", "label_file"),
})
_EXTRA_HOSTS = frozenset({("services", "*", "extra_hosts"), ("services", "*", "build", "extra_hosts")})
_TO_MAPPING = frozenset({("services", "*", "networks"), ("services", "*", "models")})


def _pattern(path: tuple) -> tuple:
    if len(path) < 2:
        return path
    pattern = (path[0], "*") + path[2:]
    if len(path) >= 4 and path[0] == "services" and path[2] in ("ulimits", "networks"):
        pattern = pattern[:3] + ("*",) + pattern[4:]
    return pattern


def merge_compose(base: YNode, override: YNode) -> YNode:
    """``override`` merged into ``base`` as ``docker compose -f base -f override`` does:
    mappings recursively; scalars replaced; ``command``, ``entrypoint``, ``healthcheck.test``
    replaced; ``environment``, ``labels`` (and other key=value lists) merged by key in list or
    map syntax; ``ports``, ``expose``, ``dns``, ``tmpfs``, ``cap_add``… appended without
    duplicates; ``volumes`` and ``devices`` by container path, ``secrets``/``configs`` by target;
    ``networks`` and ``depends_on`` by name; ``build`` strings read as ``{context: …}``;
    ``!reset`` removes a value and ``!override`` replaces it whole. Every node keeps the span
    of the file it was written in. Neither input is modified."""
    if base is None or base.kind != "map" or override is None or override.kind != "map":
        return override if override is not None and override.kind == "map" else base
    try:
        return _merge(base, override, ())
    except RecursionError:
        return base


def _merge(base: YNode, over: YNode, path: tuple) -> YNode:
    if over.tag == "!override":
        return over
    pattern = _pattern(path)
    if pattern in _REPLACE:
        return over
    if pattern in _KEY_VALUE:
        return _merge_key_values(base, over)
    if pattern in _TO_SEQUENCE:
        return _unique(_seq(_items(base) + _items(over), base), _key_value_index)
    if pattern in _EXTRA_HOSTS:
        return _merge_extra_hosts(base, over)
    if pattern in _TO_MAPPING:
        return _merge_maps(_as_mapping(base, None), _as_mapping(over, None), path)
    if pattern == ("services", "*", "depends_on"):
        return _merge_maps(_as_mapping(base, "service_started"), _as_mapping(over, "service_started"), path)
    if pattern == ("services", "*", "build"):
        return _merge_maps(_build_mapping(base), _build_mapping(over), path)
    if pattern == ("services", "*", "logging") and base.kind == "map" and over.kind == "map":
        base_driver, over_driver = _text(base.get("driver")), _text(over.get("driver"))
        if base_driver is not None and over_driver is not None and base_driver != over_driver:
            return over
    if pattern == ("networks", "*", "ipam", "config") and base.kind == "seq" and over.kind == "seq":
        return _merge_ipam(base, over, path)
    if over.kind == "scalar" and over.value is None:
        return base
    if base.kind == "map" and over.kind == "map":
        return _merge_maps(base, over, path)
    if base.kind == "seq" and over.kind == "seq":
        merged = _seq(base.value + over.value, base)
        index = _UNIQUE.get(pattern)
        return _unique(merged, index) if index is not None else merged
    return over


def _merge_maps(base: YNode, over: YNode, path: tuple) -> YNode:
    result = dict(base.value)
    for key, value in over.value.items():
        if value.tag == "!reset":
            result.pop(key, None)
        elif key in result:
            result[key] = _merge(result[key], value, path + (key,))
        else:
            result[key] = value
    return _map(result, base)


def _as_mapping(node: YNode, condition: str | None) -> YNode:
    """List syntax (``networks: [front]``, ``depends_on: [db]``) as the equivalent mapping; each
    entry keeps the list item's span."""
    if node.kind != "seq":
        return node if node.kind == "map" else _map({}, node)
    items = {}
    for item in node.value:
        name = item.text()
        if name is None:
            continue
        if condition is None:
            items[name] = _scalar(None, item.span, item.span)
        else:
            items[name] = _map({"condition": _scalar(condition, item.span, item.span)}, item, item.span)
    return _map(items, node)


def _build_mapping(node: YNode) -> YNode:
    if node.kind == "scalar":
        return _map({"context": _copy(node, key_span=node.key_span or node.span)}, node)
    return node if node.kind == "map" else _map({}, node)


def _kv_split(item: YNode) -> tuple[str, YNode] | None:
    """``KEY=VALUE`` (or ``KEY``) list item → key and a value node at the item's position."""
    text = item.text()
    if text is None:
        return None
    key, equals, value = text.partition("=")
    value_node = _copy(item, value if equals else None, key_span=item.span)
    if not equals and isinstance(value_node, Interpolated):
        value_node = _scalar(None, item.span, item.span)
    return key, value_node


def _merge_key_values(base: YNode, over: YNode) -> YNode:
    """environment, labels…: merged by key. Two lists stay a list (a later ``KEY=…`` replaces the
    earlier one in place); otherwise the result is a mapping."""
    if over.kind == "scalar" and over.value is None:
        return base
    if base.kind == "seq" and over.kind == "seq":
        return _unique(_seq(base.value + over.value, base), _key_value_index)
    result: dict[str, YNode] = {}
    for side in (base, over):
        if side.kind == "map":
            for key, value in side.value.items():
                if value.tag == "!reset":
                    result.pop(key, None)
                else:
                    result[key] = value
        else:
            for item in _items(side):
                split = _kv_split(item)
                if split is not None:
                    result[split[0]] = split[1]
    return _map(result, base)


def _merge_extra_hosts(base: YNode, over: YNode) -> YNode:
    """Both sides as ``host=ip`` items, appended without exact duplicates (a host may map to
    several addresses)."""
    items: list[YNode] = []
    for side in (base, over):
        if side.kind == "map":
            for host, value in side.value.items():
                for address in (_items(value) if value.kind == "seq" else [value]):
                    items.append(_scalar(f"{host}={address.text() or ''}", address.span))
        else:
            items.extend(_items(side))
    seen: set = set()
    kept = []
    for item in items:
        key = item.text() or ""
        if "=" not in key:
            key = key.replace(":", "=", 1)   # host:ip and host=ip are the same entry
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return _seq(kept, base)


def _merge_ipam(base: YNode, over: YNode, path: tuple) -> YNode:
    by_subnet: dict = {}
    order: list = []
    for side in (base, over):
        for item in side.value:
            subnet = _text(item.get("subnet")) if item.kind == "map" else None
            key = subnet if subnet is not None else id(item)
            if key in by_subnet and item.kind == "map" and by_subnet[key].kind == "map":
                by_subnet[key] = _merge_maps(by_subnet[key], item, path)
            else:
                if key not in by_subnet:
                    order.append(key)
                by_subnet[key] = item
    return _seq([by_subnet[key] for key in order], base)


def _unique(node: YNode, index) -> YNode:
    """compose-go's EnforceUnicity: a later item with the same key replaces the earlier one, in
    the earlier one's place."""
    kept: list[YNode] = []
    positions: dict = {}
    for item in node.value:
        key = index(item)
        if key is None:
            kept.append(item)
        elif key in positions:
            kept[positions[key]] = item
        else:
            positions[key] = len(kept)
            kept.append(item)
    return _seq(kept, node)


def _key_value_index(item: YNode):
    text = item.text()
    return None if text is None else text.partition("=")[0]


def _text_index(item: YNode):
    return item.text()


def _volume_index(item: YNode):
    if item.kind == "map":
        return _text(item.get("target"))
    text = item.text()
    if text is None:
        return None
    parsed = _split_volume(text)
    return parsed[1] if parsed else text


def _device_index(item: YNode):
    if item.kind == "map":
        return _text(item.get("target"))
    text = item.text()
    if text is None:
        return None
    parts = text.split(":")
    return parts[1] if len(parts) > 1 else parts[0]


def _mount_index(default: str):
    def index(item: YNode):
        if item.kind == "map":
            target = _text(item.get("target"))
            return target if target is not None else f"{default}/{_text(item.get('source'))}"
        text = item.text()
        return None if text is None else f"{default}/{text}"
    return index


def _port_index(item: YNode):
    if item.kind == "map":
        return "{}:{}:{}/{}".format(_text(item.get("host_ip")) or "0.0.0.0", _text(item.get("published")) or "",
                                    _text(item.get("target")), _text(item.get("protocol")) or "tcp")
    return item.text()


_UNIQUE = {
    ("services", "*", "volumes"): _volume_index,
    ("services", "*", "devices"): _device_index,
    ("services", "*", "ports"): _port_index,
    ("services", "*", "expose"): _text_index,
    ("services", "*", "secrets"): _mount_index("/run/secrets"),
    ("services", "*", "configs"): _mount_index(""),
    ("services", "*", "cap_add"): _key_value_index,
    ("services", "*", "cap_drop"): _key_value_index,
    ("services", "*", "links"): _key_value_index,
    ("services", "*", "profiles"): _key_value_index,
    ("services", "*", "build", "tags"): _key_value_index,
    ("services", "*", "networks", "*", "aliases"): _key_value_index,
    ("services", "*", "networks", "*", "link_local_ips"): _key_value_index,
    ("networks", "*", "ipam", "options"): _key_value_index,
}


def _resolve_extends(services: YNode, problems: list) -> YNode:
    """Each service with ``extends: {service: base}`` (or ``extends: base``) in the same file,
    merged onto its resolved base; the result keeps the extending service's own key and span.
    ``extends`` naming another ``file`` is left as is (dlint reads one file at a time)."""
    nodes = services.value
    resolved: dict[str, YNode] = {}

    def base_of(name: str) -> tuple[str | None, YNode | None]:
        node = nodes[name]
        extends = node.get("extends") if node.kind == "map" else None
        if extends is None:
            return None, None
        if extends.kind == "map":
            if extends.get("file") is not None:
                return None, None
            target = _text(extends.get("service"))
        else:
            target = extends.text()
        if target is None:
            return None, None
        return target, extends

    changed = False
    for start in nodes:
        if start in resolved:
            continue
        chain = [start]
        on_chain = {start}
        while True:  # follow extends until a resolved or plain service, an unknown one, or a cycle
            target, extends = base_of(chain[-1])
            if target is None:
                break
            if target not in nodes:
                problems.append((INVALID, f"service '{chain[-1]}' extends '{target}', which is not defined in this "
                                          f"file", extends.anchor))
                break
            if target in on_chain:
                cycle = " → ".join(chain[chain.index(target):] + [target])
                problems.append((INVALID, f"extends forms a cycle: {cycle}", extends.anchor))
                break
            if target in resolved:
                chain.append(target)
                break
            chain.append(target)
            on_chain.add(target)
        # resolve from the deepest base back to the start
        for position in range(len(chain) - 1, -1, -1):
            name = chain[position]
            if name in resolved:
                continue
            node = nodes[name]
            target, _ = base_of(name)
            base = resolved.get(target) if target is not None and position + 1 < len(chain) \
                and chain[position + 1] == target else None
            if base is None or base.kind != "map" or node.kind != "map":
                resolved[name] = node
                continue
            own = {key: value for key, value in node.value.items() if key != "extends"}
            try:
                merged = _merge(base, _map(own, node), ("services", name))
            except RecursionError:
                merged = node
            resolved[name] = YNode("map", merged.value, node.span, node.key_span, node.tag)
            changed = True
    return _copy(services, {name: resolved.get(name, node) for name, node in nodes.items()}) if changed else services


# ---------------------------------------------------------------------------------------------
# Reading services

_PORT_PART = re.compile(r"(\d+)(?:-(\d+))?")


def _sexagesimal(node: YNode) -> str | None:
    """PyYAML reads an unquoted ``22:22`` as the base-60 integer 1342 (YAML 1.1); Compose
    (YAML 1.2) reads the text. Recover the text when the written form is longer than the number."""
    value = node.value
    span = node.span
    if type(value) is not int or value < 60 or span.line != span.end_line:
        return None
    width = span.end_column - span.column
    if width <= len(str(value)):
        return None
    for parts in (2, 3):
        digits = []
        rest = value
        for _ in range(parts - 1):
            rest, low = divmod(rest, 60)
            digits.append(low)
        digits.append(rest)
        digits.reverse()
        for padded in (False, True):
            text = ":".join(str(digits[0]) if i == 0 else (f"{d:02d}" if padded else str(d))
                            for i, d in enumerate(digits))
            if len(text) == width:
                return text
    return None


def _port_number(text: str, symbolic: bool):
    if text.isdigit():
        return int(text)
    if symbolic and "$" in text:
        return text
    raise ValueError(f"'{text}' is not a port number")


def _port_range(text: str, symbolic: bool) -> list:
    """``8080`` → [8080]; ``8000-8002`` → [8000, 8001, 8002]; an unresolved variable stays text."""
    match = _PORT_PART.fullmatch(text)
    if match is None:
        return [_port_number(text, symbolic)]
    start = int(match.group(1))
    end = int(match.group(2)) if match.group(2) else start
    if end < start:
        raise ValueError(f"port range '{text}' ends before it starts")
    return list(range(start, end + 1))


def parse_port_spec(text: str, symbolic: bool = False) -> list[tuple]:
    """A short-syntax port ``[[IP:][HOST[-END]]:]CONTAINER[-END][/PROTOCOL]`` → a list of
    (container_port, host_port, host_ip, protocol); ``host_port`` 0 is an ephemeral port.
    Raises ValueError with a message for text Compose would refuse."""
    spec = text.strip()
    protocol = "tcp"
    if "/" in spec:
        spec, _, protocol = spec.rpartition("/")
        protocol = protocol.lower() or "tcp"
    host_ip = None
    if spec.startswith("["):
        close = spec.find("]")
        if close < 0:
            raise ValueError(f"'{text}': unclosed '[' in the host address")
        host_ip, rest = spec[1:close], spec[close + 1:]
        if not rest.startswith(":"):
            raise ValueError(f"'{text}': expected ':' after the host address")
        parts = rest[1:].split(":")
        if len(parts) == 1:
            parts = ["", parts[0]]
        if len(parts) != 2:
            raise ValueError(f"'{text}' is not [IP:][HOST:]CONTAINER")
        host, container = parts
    else:
        parts = spec.rsplit(":", 2)
        if len(parts) == 3:
            host_ip, host, container = parts
            host_ip = host_ip.strip("[]")
        elif len(parts) == 2:
            host, container = parts
        else:
            host, container = None, parts[0]
    if not container:
        raise ValueError(f"'{text}' has no container port")
    containers = _port_range(container, symbolic)
    if host is None or host == "":
        hosts = [0] * len(containers)
    else:
        hosts = _port_range(host, symbolic)
        if len(hosts) != len(containers):
            if len(containers) == 1:
                hosts = hosts[:1]   # a host range for one container port: Compose picks one of them
            else:
                raise ValueError(f"'{text}': the host and container port ranges differ in length")
    if host_ip == "":
        host_ip = None
    return [(c, h, host_ip, protocol) for c, h in zip(containers, hosts)]


def _ports(node: YNode, expose: YNode | None, problems: list) -> list[Port]:
    ports: list[Port] = []
    for item in _items(node):
        if len(ports) >= MAX_PORTS:
            break
        if item.kind == "map":
            target = _text(item.get("target"))
            if target is None:
                problems.append((INVALID, "a port in long syntax needs a 'target'", item.span))
                continue
            published = _text(item.get("published"))
            host_ip = _text(item.get("host_ip"))
            protocol = (_text(item.get("protocol")) or "tcp").lower()
            symbolic = bool(unresolved(item.get("target")) or unresolved(item.get("published")))
            try:
                containers = _port_range(target, symbolic)
                hosts = _port_range(published, symbolic) if published else [0] * len(containers)
            except ValueError as error:
                problems.append((INVALID, f"invalid port: {error}", item.span))
                continue
            if len(hosts) != len(containers):
                hosts = (hosts * len(containers))[: len(containers)] if len(containers) > 1 else hosts[:1]
            for container, host in zip(containers, hosts):
                ports.append(Port(container, host, host_ip or None, protocol, item.span))
            continue
        text = _sexagesimal(item) or item.text()
        if text is None:
            continue
        try:
            entries = parse_port_spec(text, bool(unresolved(item)))
        except ValueError as error:
            problems.append((INVALID, f"invalid port {error}", item.span))
            continue
        for container, host, host_ip, protocol in entries[: MAX_PORTS - len(ports)]:
            ports.append(Port(container, host, host_ip, protocol, item.span))
    for item in _items(expose):
        text = item.text()
        if text is None or len(ports) >= MAX_PORTS:
            continue
        port, _, protocol = text.partition("/")
        try:
            numbers = _port_range(port.strip(), bool(unresolved(item)))
        except ValueError as error:
            problems.append((INVALID, f"invalid exposed port: {error}", item.span))
            continue
        for number in numbers[: MAX_PORTS - len(ports)]:
            ports.append(Port(number, None, None, (protocol or "tcp").lower(), item.span))
    return ports


_WINDOWS_DRIVE = re.compile(r"[A-Za-z]:[\\/]")


def _split_volume(text: str) -> tuple[str | None, str, str] | None:
    """``[SOURCE:]TARGET[:MODE]`` → (source or None, target, mode); Windows drive letters
    (``C:\\data:/data``) are not separators. None when there is no target."""
    parts: list[str] = []
    rest = text
    while rest:
        if _WINDOWS_DRIVE.match(rest):
            colon = rest.find(":", 2)
        else:
            colon = rest.find(":")
        if colon < 0:
            parts.append(rest)
            break
        parts.append(rest[:colon])
        rest = rest[colon + 1:]
    if not parts or not parts[0]:
        return None
    if len(parts) == 1:
        return None, parts[0], ""
    if len(parts) == 2:
        return parts[0], parts[1], ""
    return parts[0], parts[1], ":".join(parts[2:])


def _is_path(source: str) -> bool:
    return source.startswith(("/", ".", "~", "\\", "$")) or bool(_WINDOWS_DRIVE.match(source)) or "/" in source


def _mounts(service: YNode, problems: list) -> list[Mount]:
    mounts: list[Mount] = []
    for item in _items(service.get("volumes")):
        if item.kind == "map":
            target = _text(item.get("target"))
            if target is None:
                problems.append((INVALID, "a volume in long syntax needs a 'target'", item.span))
                continue
            kind = (_text(item.get("type")) or "volume").lower()
            source = _text(item.get("source"))
            read_only = _bool(item.get("read_only")) is True
            if kind == "volume":
                kind = "volume" if source else "anonymous"
            elif kind == "npipe":
                kind = "bind"
            elif kind == "cluster":
                kind = "volume"
            elif kind not in ("bind", "tmpfs"):
                kind = "other"
            mounts.append(Mount(target, kind, source if kind != "tmpfs" else None, read_only, item.span))
            continue
        text = item.text()
        if text is None:
            continue
        parsed = _split_volume(text)
        if parsed is None:
            problems.append((INVALID, f"invalid volume '{_shorten(text)}': expected [SOURCE:]TARGET[:MODE]",
                             item.span))
            continue
        source, target, mode = parsed
        read_only = "ro" in mode.split(",")
        if source is None:
            kind = "anonymous"
        elif _is_path(source):
            kind = "bind"
        else:
            kind = "volume"
        mounts.append(Mount(target, kind, source, read_only, item.span))
    for item in _items(service.get("tmpfs")):
        text = item.text()
        if text:
            mounts.append(Mount(text.partition(":")[0], "tmpfs", None, False, item.span))
    for key, kind, default in (("secrets", "secret", "/run/secrets/"), ("configs", "other", "/")):
        for item in _items(service.get(key)):
            source, target = _source_target(item)
            if source is None:
                continue
            if target is None:
                target = default + source
            elif key == "secrets" and not target.startswith("/"):
                target = default + target
            mounts.append(Mount(target, kind, source, True, item.span))
    return mounts


def _source_target(item: YNode) -> tuple[str | None, str | None]:
    if item.kind == "map":
        return _text(item.get("source")), _text(item.get("target"))
    return item.text(), None


def _environment(node: YNode | None) -> list[tuple[Field, Field | None]]:
    result: list[tuple[Field, Field | None]] = []
    if node is None:
        return result
    if node.kind == "map":
        for name, value in node.value.items():
            literal = value.kind == "scalar" and value.value is not None and is_literal(value)
            result.append((Field(name, value.key_span), Field(value.text(), value.span) if literal else None))
        return result
    for item in _items(node):
        text = item.text()
        if text is None:
            continue
        name, equals, value = text.partition("=")
        literal = equals and is_literal(item)
        result.append((Field(name, item.span), Field(value, item.span) if literal else None))
    return result


def _networks(node: YNode | None) -> list[ServiceNetwork]:
    networks: list[ServiceNetwork] = []
    if node is None:
        return networks
    if node.kind == "map":
        for name, value in node.value.items():
            mapping = value if value.kind == "map" else None
            networks.append(ServiceNetwork(
                name, value.key_span, mapping, _fields(mapping.get("aliases")) if mapping else [],
                _field(mapping.get("ipv4_address")) if mapping else None,
                _field(mapping.get("ipv6_address")) if mapping else None))
        return networks
    for item in _items(node):
        name = item.text()
        if name is not None:
            networks.append(ServiceNetwork(name, item.span, None, [], None, None))
    return networks


def _depends_on(node: YNode | None) -> list[Dependency]:
    dependencies: list[Dependency] = []
    if node is None:
        return dependencies
    if node.kind == "map":
        for name, value in node.value.items():
            mapping = value if value.kind == "map" else None
            condition = _field(mapping.get("condition")) if mapping else None
            required = _bool(mapping.get("required")) if mapping else None
            dependencies.append(Dependency(name, value.key_span, condition or Field("service_started", value.key_span),
                                           required is not False, mapping))
        return dependencies
    for item in _items(node):
        name = item.text()
        if name is not None:
            dependencies.append(Dependency(name, item.span, Field("service_started", item.span), True, None))
    return dependencies


def _healthcheck(node: YNode | None) -> Field | None:
    if node is None:
        return None
    anchor = node.anchor
    if node.kind != "map":
        return Field(node, anchor)
    disable = node.get("disable")
    if _bool(disable) is True:
        return Field(False, disable.anchor)
    test = node.get("test")
    first = test.value[0] if test is not None and test.kind == "seq" and test.value else test
    if first is not None and first.kind == "scalar" and first.value is not None \
            and str(first.value).strip().upper() == "NONE":
        return Field(False, test.anchor)
    return Field(node, anchor)


def _image(node: YNode | None) -> Field | None:
    text = _text(node)
    if text is None:
        return None
    registry, repository, tag, digest = parse_image_reference(text)
    return Field(ImageRef(text, registry, repository, tag, digest, unresolved=bool(unresolved(node))), node.span)


def _build(node: YNode | None) -> Build | None:
    if node is None:
        return None
    if node.kind == "scalar":
        return Build(_field(node), None, None, node, node.anchor)
    if node.kind != "map":
        return None
    return Build(_field(node.get("context")) or Field(".", node.anchor), _field(node.get("dockerfile")),
                 _field(node.get("target")), node, node.anchor)


def _ignored(node: YNode | None) -> set[str]:
    if node is None:
        return set()
    texts = [item.text() for item in _items(node)]
    return {part.strip() for text in texts if text for part in text.split(",") if part.strip()}


def _read_service(name: str, node: YNode, problems: list) -> Service:
    service = Service(name, node, node.key_span)
    get = node.get
    service.image = _image(get("image"))
    service.build = _build(get("build"))
    service.ports = _ports(get("ports"), get("expose"), problems)
    service.mounts = _mounts(node, problems)
    service.environment = _environment(get("environment"))
    service.networks = _networks(get("networks"))
    service.network_mode = _field(get("network_mode"))
    service.depends_on = _depends_on(get("depends_on"))
    service.links = _fields(get("links"))
    service.external_links = _fields(get("external_links"))
    service.container_name = _field(get("container_name"))
    service.hostname = _field(get("hostname"))
    service.user = _field(get("user"))
    restart = get("restart")
    if restart is not None and restart.value is False:   # YAML 1.1 reads an unquoted `no` as false
        service.restart = Field("no", restart.span)
    else:
        service.restart = _field(restart)
    service.pid = _field(get("pid"))
    service.ipc = _field(get("ipc"))
    service.pids_limit = _field(get("pids_limit")) or _field(node.at("deploy", "resources", "limits", "pids"))
    service.privileged = _bool_field(get("privileged"))
    service.read_only = _bool_field(get("read_only"))
    service.healthcheck = _healthcheck(get("healthcheck"))
    service.profiles = _fields(get("profiles"))
    service.cap_add = _fields(get("cap_add"))
    service.cap_drop = _fields(get("cap_drop"))
    service.security_opt = _fields(get("security_opt"))
    service.secrets = [Field(source, item.span) for item in _items(get("secrets"))
                       for source in [_source_target(item)[0]] if source is not None]
    service.configs = [Field(source, item.span) for item in _items(get("configs"))
                       for source in [_source_target(item)[0]] if source is not None]
    deploy = get("deploy")
    service.deploy = deploy if deploy is not None and deploy.kind == "map" else None
    service.extensions = {key: value for key, value in node.value.items() if key.startswith("x-")}
    service.ignored = _ignored(get("x-dlint-ignore"))
    return service


def parse_compose(documents: list, path: str, variables: Mapping[str, str] | None = None) -> ComposeFile:
    """The first document of a Compose file, read into a :class:`ComposeFile`. ``variables`` are
    the values known for interpolation (the engine passes the ``.env`` file's); nothing is read
    from the process environment. Problems are collected in ``ComposeFile.problems``."""
    raw = documents[0].root if documents else None
    compose = ComposeFile(path, None, raw)
    problems = compose.problems
    if raw is None:
        problems.append((INVALID, "the Compose file is empty", _start(path)))
        return compose
    if raw.kind != "map":
        kind = "a list" if raw.kind == "seq" else "a single value"
        problems.append((INVALID, f"a Compose file must be a mapping of top-level keys (services, volumes…), "
                                  f"not {kind}", raw.span))
        return compose
    root = _interpolate_tree(raw, variables or {}, problems)
    services = root.get("services")
    if services is not None and services.kind == "map":
        extended = _resolve_extends(services, problems)
        if extended is not services:
            root = _copy(root, {**root.value, "services": extended})
            services = extended
    compose.root = root
    compose.name = _field(root.get("name"))
    for key in ("volumes", "networks", "secrets", "configs"):
        section = root.get(key)
        if section is not None and section.kind == "map":
            setattr(compose, key, dict(section.value))
    compose.extensions = {key: value for key, value in root.value.items() if key.startswith("x-")}
    if services is None:
        return compose
    if services.kind != "map":
        if not (services.kind == "scalar" and services.value is None):
            problems.append((INVALID, "'services' must be a mapping of service names to their settings",
                             services.span))
        return compose
    for name, node in services.value.items():
        if node.kind != "map":
            continue
        compose.services.append(_read_service(name, node, problems))
    return compose


def _start(path: str) -> Span:
    return Span(path, 1, 1, 1, 1)


# ---------------------------------------------------------------------------------------------
# The workload view

_NO_NEW_PRIVILEGES = re.compile(r"no-new-privileges(?:[:=](\S+))?$", re.IGNORECASE)


def _quantity(node: YNode | None, kind: str, problems: list) -> Quantity | None:
    """A CPU (cores) or memory (bytes) amount; ``amount`` is None when the value is an unresolved
    variable or invalid (an invalid one is also a problem)."""
    if node is None or node.kind != "scalar" or node.value is None:
        return None
    text = node.text()
    if unresolved(node):
        return Quantity(None, text, node.span)
    try:
        amount = parse_cpu(node.value, compose=True) if kind == "cpu" else parse_memory(node.value, compose=True)
    except ValueError as error:
        problems.append((QUANTITY, str(error), node.span))
        return Quantity(None, text, node.span)
    return Quantity(amount, text, node.span)


def _int_field(node: YNode | None) -> Field | None:
    if node is None or node.kind != "scalar" or node.value is None or isinstance(node.value, bool):
        return None
    value = node.value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    return Field(value, node.span)


def _namespace(field: Field | None) -> Field | None:
    return Field(str(field.value).strip().lower() == "host", field.span) if field is not None else None


def to_workloads(compose: ComposeFile) -> list[Workload]:
    """One workload per service: kind ``service``, source ``compose``, one container named
    after the service."""
    workloads: list[Workload] = []
    reported: set = set()  # a value inherited through extends is reported once, not per service
    for service in compose.services:
        node = service.node
        anchor = service.anchor
        workload = Workload(service.name, "service", "compose", compose.path, node, anchor)
        container = Container(service.name, node, anchor)
        container.image = service.image
        container.mounts = list(service.mounts)
        container.ports = list(service.ports)
        container.user = service.user
        container.privileged = service.privileged
        container.read_only_root = service.read_only
        container.capabilities_add = list(service.cap_add)
        container.capabilities_drop = list(service.cap_drop)
        container.environment = list(service.environment)
        container.healthcheck = service.healthcheck
        for option in service.security_opt:
            match = _NO_NEW_PRIVILEGES.match(str(option.value).strip())
            if match:
                enabled = match.group(1) is None or match.group(1).lower() in _TRUE
                container.allow_privilege_escalation = Field(not enabled, option.span)

        deploy = service.deploy
        resources = deploy.get("resources") if deploy is not None else None
        resources = resources if resources is not None and resources.kind == "map" else None
        limits = resources.get("limits") if resources is not None else None
        reservations = resources.get("reservations") if resources is not None else None
        limits = limits if limits is not None and limits.kind == "map" else None
        reservations = reservations if reservations is not None and reservations.kind == "map" else None
        if resources is not None:
            container.resources_anchor = resources.anchor
        elif deploy is not None:
            container.resources_anchor = deploy.anchor
        problems: list = []
        for name, written in (("cpu", (limits and limits.get("cpus")) or node.get("cpus")),
                              ("memory", (limits and limits.get("memory")) or node.get("mem_limit"))):
            quantity = _quantity(written, name, problems)
            if quantity is not None:
                container.limits[name] = quantity
        for name, written in (("cpu", reservations and reservations.get("cpus")),
                              ("memory", (reservations and reservations.get("memory")) or node.get("mem_reservation"))):
            quantity = _quantity(written, name, problems)
            if quantity is not None:
                container.requests[name] = quantity

        for problem in problems:
            if problem not in reported:
                reported.add(problem)
                workload.problems.append(problem)
        workload.containers.append(container)
        workload.replicas = _int_field(deploy.get("replicas") if deploy is not None else None) \
            or _int_field(node.get("scale"))
        restart_policy = service.restart
        if restart_policy is None and deploy is not None:
            restart_policy = _field(deploy.at("restart_policy", "condition"))
        workload.restart_policy = restart_policy
        workload.host_network = _namespace(service.network_mode)
        workload.host_pid = _namespace(service.pid)
        workload.host_ipc = _namespace(service.ipc)
        workload.ignored = set(service.ignored)
        workloads.append(workload)
    return workloads
