"""Which files to check: paths given explicitly, and Dockerfiles found by name in directories."""
from __future__ import annotations

import os
from collections import namedtuple
from collections.abc import Iterator, Sequence

# Vendored or generated trees: walking them finds other people's Dockerfiles, slowly.
SKIPPED_DIRECTORIES = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox"})


class Target(namedtuple("Target", "path kind error", defaults=(None,))):
    """A file to check and what it holds (``dockerfile``); ``error`` when a folder could not be listed."""

    __slots__ = ()


def dockerfile_kind(name: str) -> bool:
    """``Dockerfile``, ``Dockerfile.*``, ``*.dockerfile``, ``Containerfile`` and ``Containerfile.*``."""
    lowered = name.lower()
    for stem in ("dockerfile", "containerfile"):
        if lowered == stem or lowered.startswith(stem + ".") or lowered.endswith("." + stem):
            return True
    return False


def discover(paths: Sequence[str]) -> Iterator[Target]:
    """Files to check, in a stable order. Explicit files are checked whatever their name;
    a path that does not exist is still yielded, so it is reported as unreadable."""
    seen: set[str] = set()
    for given in paths:
        if os.path.isdir(given):
            found = _walk(given)
        else:
            found = [Target(given, "dockerfile")]
        for target in found:
            key = os.path.normpath(target.path)
            if key not in seen:
                seen.add(key)
                yield target


def _walk(root: str) -> list[Target]:
    targets = []

    def unlistable(error: OSError) -> None:  # reported, not skipped in silence: it may hold Dockerfiles
        targets.append(Target(error.filename or root, "dockerfile", f"cannot list this folder: {error.strerror}"))

    for directory, subdirectories, files in os.walk(root, onerror=unlistable, followlinks=False):
        subdirectories[:] = sorted(d for d in subdirectories if d not in SKIPPED_DIRECTORIES)
        for name in sorted(files):
            if dockerfile_kind(name):
                targets.append(Target(os.path.normpath(os.path.join(directory, name)), "dockerfile"))
    return targets
