"""``container_name`` on a Compose service that asks for more than one container (``scale`` or
``deploy.replicas`` above 1): container names are unique, so Compose refuses the file."""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._scalars import as_int
from linter.model.compose import ComposeFile, Service
from linter.model.finding import Hit

PARAMS = {"type": "object", "additionalProperties": False}


@template("container-name-scaled", unit="service", params=PARAMS)
def check(service: Service, compose: ComposeFile, params: dict) -> Iterator[Hit]:
    name = service.get("container_name")
    if name is None:
        return
    for key, node in (("deploy.replicas", service.at("deploy", "replicas")), ("scale", service.get("scale"))):
        count = as_int(node)
        if count is not None and count > 1:
            yield Hit(name.anchor, {"service": service.name, "container_name": name.text() or "",
                                    "key": key, "count": count})
            return
