"""Shared helpers for Compose templates: positions inside a scalar, and small value readers."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from linter.model.span import Span

CIDR_SCHEMA = {"type": "string", "pattern": "^[0-9A-Fa-f:.]+/[0-9]{1,3}$",
               "description": "an address range in CIDR form, 172.17.0.0/16 or fd00::/8"}


def sub_span(span: Span, written: str, offset: int, length: int) -> Span:
    """The span of ``written[offset:offset + length]`` inside a one-line scalar written at ``span``.

    ``written`` is the scalar's text. When the span is exactly that text, or that text in
    quotes with nothing escaped, the part's columns are exact; otherwise (a folded,
    multi-line or escaped scalar) the whole scalar's span is the honest answer.
    """
    if span.line != span.end_line or offset < 0:
        return span
    width = span.end_column - span.column
    if width == len(written):
        start = span.column + offset
    elif width == len(written) + 2:
        start = span.column + 1 + offset
    else:
        return span
    return Span(span.path, span.line, start, span.line, start + length)


def node_text(node) -> tuple[str | None, str | None]:
    """A scalar node's value as text and the text as written (they differ after interpolation)."""
    if node is None:
        return None, None
    text = node.text()
    return text, getattr(node, "raw", None) or text


def as_int(node) -> int | None:
    """An integer written as a number or as digits in a string (``"3"``, ``${N:-3}`` → 3), else None."""
    if node is None or node.kind != "scalar" or isinstance(node.value, bool):
        return None
    if isinstance(node.value, int):
        return node.value
    text = node.text()
    return int(text) if text and text.strip().isdigit() else None


def is_true(node) -> bool:
    """A YAML boolean true, or the strings Compose accepts for it."""
    if node is None:
        return False
    value = node.value
    return value is True or isinstance(value, str) and value.strip().lower() in ("true", "yes", "on", "1")


def healthcheck_state(node) -> str:
    """``none`` (no ``healthcheck`` key), ``disabled`` (``disable: true`` or ``test: [NONE]``)
    or ``defined`` — timing-only settings count as defined: they tune the image's own test."""
    if node is None:
        return "none"
    if node.is_map:
        if is_true(node.get("disable")):
            return "disabled"
        test = node.get("test")
        first = test.value[0] if test is not None and test.is_seq and test.value else test
        if first is not None and first.text() == "NONE":
            return "disabled"
    return "defined"


def parse_networks(texts: Iterable[str]) -> Iterator:
    """``ipaddress`` networks from CIDR texts; one that is not valid is skipped (the params
    schema already rejects most such text, and a check must not crash on config)."""
    import ipaddress  # only the network templates need it; the others import this module too

    for text in texts:
        try:
            yield ipaddress.ip_network(text.strip(), strict=False)
        except (AttributeError, ValueError):
            continue
