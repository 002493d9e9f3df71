"""YAML as dlint sees it: a node tree where every key and value keeps its span."""
from __future__ import annotations

from collections.abc import Iterator


class YNode:
    """A mapping (``value`` is a dict of ``str`` key to node, in file order), a sequence
    (a list of nodes) or a scalar (``str``, ``int``, ``float``, ``bool`` or ``None``).

    ``span`` is where the value is written; ``key_span`` where its key is, for a mapping value.
    ``tag`` is the explicit non-standard tag (``!Ref``) if any: such values are kept as text,
    never constructed.
    """

    __slots__ = ("kind", "value", "span", "key_span", "tag")

    def __init__(self, kind: str, value, span, key_span=None, tag: str | None = None) -> None:
        self.kind = kind
        self.value = value
        self.span = span
        self.key_span = key_span
        self.tag = tag

    def __repr__(self) -> str:
        return f"<YNode {self.kind} at {self.span.line}:{self.span.column}>"

    @property
    def is_map(self) -> bool:
        return self.kind == "map"

    @property
    def is_seq(self) -> bool:
        return self.kind == "seq"

    @property
    def is_scalar(self) -> bool:
        return self.kind == "scalar"

    @property
    def anchor(self):
        """Where to report about this node: its key when it has one, else the value."""
        return self.key_span or self.span

    def get(self, key: str) -> YNode | None:
        """The value under ``key`` of a mapping (``None`` for a missing key or a non-mapping)."""
        return self.value.get(key) if self.kind == "map" else None

    def at(self, *keys: str | int) -> YNode | None:
        """The node at a path of mapping keys and sequence indexes, or ``None``."""
        node: YNode | None = self
        for key in keys:
            if node is None:
                return None
            if isinstance(key, int):
                node = node.value[key] if node.kind == "seq" and -len(node.value) <= key < len(node.value) else None
            else:
                node = node.get(key)
        return node

    def items(self) -> Iterator[tuple[str, YNode]]:
        return iter(self.value.items()) if self.kind == "map" else iter(())

    def children(self) -> list[YNode]:
        if self.kind == "map":
            return list(self.value.values())
        return list(self.value) if self.kind == "seq" else []

    def scalar(self, default=None):
        """The Python value of a scalar node, else ``default``."""
        return self.value if self.kind == "scalar" else default

    def text(self) -> str | None:
        """A scalar as text (``8080`` → ``"8080"``, ``true`` → ``"true"``); ``None`` for null or a collection."""
        if self.kind != "scalar" or self.value is None:
            return None
        if isinstance(self.value, bool):
            return "true" if self.value else "false"
        return str(self.value)

    def to_data(self):
        """Plain Python data (dicts, lists, scalars), for JSON Schema validation."""
        if self.kind == "map":
            return {key: node.to_data() for key, node in self.value.items()}
        if self.kind == "seq":
            return [node.to_data() for node in self.value]
        return self.value


class YamlDocument:
    """One document of a stream: its root node (``None`` when empty) and index in the stream."""

    __slots__ = ("root", "index")

    def __init__(self, root: YNode | None, index: int) -> None:
        self.root = root
        self.index = index
