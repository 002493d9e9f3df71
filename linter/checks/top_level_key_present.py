"""A top-level key of a Compose file that the rule advises against (``version``), reported at
the key as written (after override files are merged, before interpolation)."""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.model.compose import ComposeFile
from linter.model.finding import Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["keys"],
    "properties": {
        "keys": {"type": "array", "items": {"type": "string"}, "minItems": 1,
                 "description": "top-level keys to report, each at its own key"},
    },
}


@template("top-level-key-present", unit="compose", params=PARAMS)
def check(compose: ComposeFile, params: dict) -> Iterator[Hit]:
    root = compose.raw
    if root is None or not root.is_map:
        return
    for key in params["keys"]:
        node = root.get(key)
        if node is not None:
            yield Hit(node.anchor, {"key": key, "value": node.text() or ""})
