"""Shared helpers for templates that read a deployed image reference (``ImageRef``): which
registry it is pulled from, its repository path there, and whether a part of it is an
unresolved variable.

Docker's rules for a reference without a registry: the first path component is a registry
only when it contains ``.`` or ``:`` or is ``localhost``; anything else is a Docker Hub
repository, and a one-component Docker Hub name is an official image under ``library/``
(``postgres`` is ``docker.io/library/postgres``).
"""
from __future__ import annotations

import fnmatch

from linter.model.dockerfile import ImageRef

DOCKER_HUB = "docker.io"
# Other names under which Docker Hub is reached; all mean docker.io.
_HUB_ALIASES = frozenset({"docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"})
_VARIABLE_MARKS = ("$", "{{")


def is_variable(text: str | None) -> bool:
    """True when ``text`` still holds a variable: ``${TAG}``, ``$TAG``, a Helm ``{{ … }}``."""
    return text is not None and any(mark in text for mark in _VARIABLE_MARKS)


def registry(ref: ImageRef) -> str:
    """The registry host (lower case, with its port), ``docker.io`` for Docker Hub."""
    if ref.registry is None or ref.registry.lower() in _HUB_ALIASES:
        return DOCKER_HUB
    return ref.registry.lower()


def repository_path(ref: ImageRef) -> str:
    """The repository path in its registry; Docker Hub official images get ``library/``."""
    path = ref.repository
    if registry(ref) == DOCKER_HUB and "/" not in path:
        return "library/" + path
    return path


def is_registry_name(component: str) -> bool:
    """Whether the first component of a reference names a registry (Docker's rule)."""
    return "." in component or ":" in component or component == "localhost"


def display(ref: ImageRef) -> str:
    """The reference as written, for messages."""
    return ref.text or ref.repository


# The params of the rules that check images against a list of trusted registries.
TRUSTED_PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "trusted": {"type": "array", "items": {"type": "string", "minLength": 1}, "uniqueItems": True,
                    "description": "registry hosts or registry/repository globs that may be pulled from"},
    },
}
_HUB_NAMES = ("index.docker.io", "registry-1.docker.io", "registry.hub.docker.com")


def trusted_pattern(pattern: str) -> str:
    """A ``trusted`` entry in lower case, with Docker Hub's aliases folded into ``docker.io``."""
    pattern = pattern.strip().lower()
    for alias in _HUB_NAMES:
        if pattern == alias or pattern.startswith(alias + "/"):
            return DOCKER_HUB + pattern[len(alias):]
    return pattern


def trusted(host: str, path: str, patterns: list[str]) -> bool:
    """A pattern with ``/`` is matched against ``host/path``, one without against the host."""
    full = f"{host}/{path}"
    for pattern in patterns:
        if fnmatch.fnmatchcase(full if "/" in pattern else host, pattern):
            return True
    return False
