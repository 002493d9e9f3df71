"""Deployed images pulled from a registry outside a trusted list.

Inactive while ``trusted`` is empty. A pattern without ``/`` is matched against the registry
host (``ghcr.io``, ``*.example.com``, ``localhost:5000``); a pattern with ``/`` against
``registry/repository`` (``docker.io/library/*`` trusts only Docker Hub's official images,
``ghcr.io/acme/*`` one organisation). Docker Hub references have the registry ``docker.io``
(``index.docker.io`` and the other aliases are folded into it). Matching is case-insensitive
shell-style globbing, where ``*`` also crosses ``/``. A reference whose registry is an
unresolved variable is not reported.
"""
from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from linter.checks import template
from linter.checks._images import DOCKER_HUB, is_variable, registry, repository_path
from linter.model.finding import Hit
from linter.model.workload import Container, Workload

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "trusted": {"type": "array", "items": {"type": "string", "minLength": 1}, "uniqueItems": True,
                    "description": "registry hosts or registry/repository globs that may be pulled from"},
    },
}
_HUB_NAMES = ("index.docker.io", "registry-1.docker.io", "registry.hub.docker.com")


def _pattern(pattern: str) -> str:
    pattern = pattern.strip().lower()
    for alias in _HUB_NAMES:
        if pattern == alias or pattern.startswith(alias + "/"):
            return DOCKER_HUB + pattern[len(alias):]
    return pattern


def trusted(host: str, path: str, patterns: list[str]) -> bool:
    full = f"{host}/{path}"
    for pattern in patterns:
        if fnmatch.fnmatchcase(full if "/" in pattern else host, pattern):
            return True
    return False


@template("image-registry", unit="container", params=PARAMS)
def check(container: Container, workload: Workload, params: dict) -> Iterator[Hit]:
    image = container.image
    patterns = [_pattern(pattern) for pattern in params.get("trusted", ())]
    if image is None or not patterns:
        return
    ref = image.value
    if is_variable(ref.registry) or ref.registry is None and is_variable(ref.repository.split("/", 1)[0]):
        return
    host, path = registry(ref), repository_path(ref).lower()
    if trusted(host, path, patterns):
        return
    shown = ", ".join(f"`{pattern}`" for pattern in params["trusted"])
    yield Hit(image.span, {"image": ref.text or ref.repository, "registry": host, "trusted": shown,
                           "container": container.name, "workload": workload.name})
