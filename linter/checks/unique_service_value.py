"""A service key whose value must differ between the services of one Compose project
(``container_name``): the second service that repeats a value is reported, naming the first.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._services import inherited_anchor, line_of, run_together
from linter.model.compose import ComposeFile, Service, unresolved
from linter.model.finding import Hit
from linter.model.span import Span

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["key"],
    "properties": {
        "key": {"type": "string", "description": "the service key whose value must be unique"},
    },
}


@template("unique-service-value", unit="compose", params=PARAMS)
def check(compose: ComposeFile, params: dict) -> Iterator[Hit]:
    key = params["key"]
    # value → the services that set it so far; one look-up per service keeps this linear.
    claimed: dict[str, list[tuple[Service, Span]]] = {}
    for service in compose.services:
        node = service.get(key)
        value = node.text() if node is not None else None
        if value is None or unresolved(node):
            continue  # decided outside the file: nothing to compare
        earlier = claimed.setdefault(value, [])
        first = next(((other, span) for other, span in earlier if run_together(other, service)), None)
        if first is not None:
            other, other_span = first
            span = inherited_anchor(compose, service) if node.span == other_span else node.span
            yield Hit(span, {"key": key, "value": value, "service": service.name, "other": other.name,
                             "other_at": line_of(other_span, span.path)})
        earlier.append((service, node.span))
