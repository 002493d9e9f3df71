"""A Compose service that uses a key the rule advises against (``links``, ``external_links``…)."""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.model.compose import ComposeFile, Service
from linter.model.finding import Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["keys"],
    "properties": {
        "keys": {"type": "array", "items": {"type": "string"}, "minItems": 1,
                 "description": "service keys to report, each at its own key"},
    },
}


@template("service-key-present", unit="service", params=PARAMS)
def check(service: Service, compose: ComposeFile, params: dict) -> Iterator[Hit]:
    for key in params["keys"]:
        node = service.get(key)
        if node is not None:
            yield Hit(node.anchor, {"key": key, "service": service.name})
