"""A Compose service that refers to a network, named volume, secret or config that the file's
top level does not define (``docker compose`` refuses such a file before starting anything)."""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._scalars import sub_span
from linter.model.compose import ComposeFile, Service, unresolved
from linter.model.finding import Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["section"],
    "properties": {
        "section": {"enum": ["networks", "volumes", "secrets", "configs"],
                    "description": "the top-level section the references must be defined in"},
        "implicit": {"type": "array", "items": {"type": "string"},
                     "description": "names Compose defines by itself (the `default` network)"},
    },
}

_SINGULAR = {"networks": "network", "volumes": "volume", "secrets": "secret", "configs": "config"}


@template("undefined-reference", unit="service", params=PARAMS)
def check(service: Service, compose: ComposeFile, params: dict) -> Iterator[Hit]:
    section = params["section"]
    defined = getattr(compose, section)
    implicit = set(params.get("implicit", ()))
    for name, span in _references(service, section):
        if name in defined or name in implicit or "$" in name:
            continue
        yield Hit(span, {"kind": _SINGULAR[section], "name": name, "service": service.name, "section": section})


def _references(service: Service, section: str) -> Iterator[tuple[str, object]]:
    if section == "networks":
        for network in service.networks:
            yield network.name, network.span
    elif section == "volumes":
        yield from _named_volumes(service)
    else:
        for field in getattr(service, section):
            yield str(field.value), field.span


def _named_volumes(service: Service) -> Iterator[tuple[str, object]]:
    """Named volumes among the service's mounts (the parser decides what is a bind mount or
    an anonymous volume), each at its name: the source of a short entry
    (``pgdata:/var/lib/postgresql/data``) or the ``source`` value of a long one."""
    node = service.get("volumes")
    items = {item.span: item for item in node.value} if node is not None and node.is_seq else {}
    for mount in service.mounts:
        item = items.get(mount.span)
        if mount.kind != "volume" or not mount.source or item is None or unresolved(item.get("source") or item):
            continue
        if item.is_map:
            yield mount.source, item.get("source").span
            continue
        written = getattr(item, "raw", None) or item.text() or ""
        offset = 0 if written.startswith(mount.source) else -1
        yield mount.source, sub_span(item.span, written, offset, len(mount.source))
