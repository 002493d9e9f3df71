"""A Compose service that sets none of the listed keys (``restart`` / ``deploy.restart_policy``,
``healthcheck``): reported at the service's key, since the missing key has no position."""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.model.compose import ComposeFile
from linter.model.finding import Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["any_of"],
    "properties": {
        "any_of": {"type": "array", "items": {"type": "string"}, "minItems": 1,
                   "description": "dotted key paths (`deploy.restart_policy`); any one present is enough"},
        "skip_one_shot": {"type": "boolean",
                          "description": "skip services that others wait for with "
                                         "`condition: service_completed_successfully` (jobs, migrations)"},
    },
}


@template("service-setting-missing", unit="compose", params=PARAMS)
def check(compose: ComposeFile, params: dict) -> Iterator[Hit]:
    paths = [tuple(path.split(".")) for path in params["any_of"]]
    one_shot = _one_shot(compose) if params.get("skip_one_shot", True) else set()
    for service in compose.services:
        if service.name in one_shot or not service.node.is_map:
            continue
        if not any(service.at(*path) is not None for path in paths):
            keys = " or ".join(f"`{path}`" for path in params["any_of"])
            yield Hit(service.anchor, {"service": service.name, "keys": keys})


def _one_shot(compose: ComposeFile) -> set[str]:
    """Services some other service waits on to *finish*: they are meant to exit."""
    return {dependency.name for service in compose.services for dependency in service.depends_on
            if dependency.condition is not None and dependency.condition.value == "service_completed_successfully"}
