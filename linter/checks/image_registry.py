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

from collections.abc import Iterator

from linter.checks import template
from linter.checks._images import TRUSTED_PARAMS, is_variable, registry, repository_path, trusted, trusted_pattern
from linter.model.finding import Hit
from linter.model.workload import Container, Workload


@template("image-registry", unit="container", params=TRUSTED_PARAMS)
def check(container: Container, workload: Workload, params: dict) -> Iterator[Hit]:
    image = container.image
    patterns = [trusted_pattern(pattern) for pattern in params.get("trusted", ())]
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
