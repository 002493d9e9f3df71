"""A Kubernetes object written in an API version (``apiVersion`` and ``kind``) that the API
server no longer serves.

The table of removed versions is the rule's data (``removed``): each entry names an
``apiVersion``, the kinds it no longer serves, the Kubernetes release that removed them and
what to use instead. The first entry that matches the object's ``apiVersion`` and ``kind``
is reported, at the ``apiVersion`` value.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.model.finding import Hit
from linter.model.kubernetes import KObject, KubernetesStream

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["removed"],
    "properties": {
        "removed": {
            "type": "array",
            "description": "the API versions no longer served, one entry per apiVersion and replacement",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["api_version", "kinds", "removed_in", "replacement"],
                "properties": {
                    "api_version": {"type": "string", "minLength": 1,
                                    "description": "the removed `apiVersion`, as written"},
                    "kinds": {"type": "array", "items": {"type": "string"}, "minItems": 1, "uniqueItems": True,
                              "description": "the kinds that version no longer serves"},
                    "removed_in": {"type": "string", "pattern": "^[0-9]+\\.[0-9]+$",
                                   "description": "the Kubernetes release that stopped serving them (`1.16`)"},
                    "replacement": {"type": "string",
                                    "description": "what to use instead, as the message shows it"},
                },
            },
        },
    },
}


@template("removed-api-version", unit="object", params=PARAMS)
def check(obj: KObject, stream: KubernetesStream, params: dict) -> Iterator[Hit]:
    for entry in params["removed"]:
        if entry["api_version"] == obj.api_version and obj.kind in entry["kinds"]:
            context = {"kind": obj.kind, "name": obj.name or "(unnamed)", "api_version": obj.api_version,
                       "removed_in": entry["removed_in"], "replacement": entry["replacement"]}
            yield Hit(obj.node.get("apiVersion").span, context)
            return
