"""A host path from a list mounted into a container: Compose bind mounts (short syntax
``/host:/ctr`` and ``type: bind``) and Kubernetes ``hostPath`` volumes, at each mount.

Patterns are absolute paths; ``*`` matches within one path segment and a trailing ``/**``
also matches everything below the directory (``/var/lib/docker/**``). A pattern starting
with ``~`` matches a home directory written as ``~``, ``$HOME``, ``/root``, ``/home/<user>``
or ``/Users/<user>``; a path under ``/var/run`` also matches as ``/run``. The host path is
normalised first (``//``, ``/./``, ``..`` and a trailing ``/`` removed), so ``/etc/`` and
``/var/../etc`` are ``/etc``. Relative paths (``./data``, inside the Compose project) and
paths that start with an unresolved variable never match.
"""
from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from linter.checks import template
from linter.checks._security import subject
from linter.model.finding import Hit
from linter.model.workload import Container, Workload

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["paths"],
    "properties": {
        "paths": {"type": "array", "items": {"type": "string", "pattern": "^(/|~(/|$))"}, "minItems": 1,
                  "description": "host paths to report: absolute, `*` within a segment, a trailing `/**` for "
                                 "the subtree, `~` for any home directory"},
        "kinds": {"type": "array", "items": {"enum": ["bind", "hostPath"]}, "uniqueItems": True,
                  "description": "mount kinds to look at (default both)"},
    },
}

_HOME = re.compile(r"^(?:~|\$HOME|\$\{HOME\}|/root|/home/[^/]+|/Users/[^/]+)(?=/|$)")
_COMPILED: dict[tuple[str, ...], re.Pattern] = {}


def _pattern(paths: list[str]) -> re.Pattern:
    """One regular expression for the whole list (compiled once per distinct list)."""
    key = tuple(paths)
    if key not in _COMPILED:
        alternatives = []
        for path in paths:
            subtree = path.endswith("/**")
            body = path[:-3] if subtree else path
            body = body.rstrip("/") or "/"
            text = "".join("[^/]*" if part == "*" else re.escape(part) for part in re.split(r"(\*)", body))
            alternatives.append(text + ("(?:/.*)?" if subtree else ""))
        _COMPILED[key] = re.compile("(?:" + "|".join(alternatives) + ")$")
    return _COMPILED[key]


def normalise(source: str) -> str | None:
    """The host path in a canonical form, or ``None`` for a relative path (``./data``, which
    Compose resolves inside the project) or a Windows path."""
    path = source.strip()
    home = _HOME.match(path)
    if home is not None:
        path = "~" + path[home.end():]
    elif not path.startswith("/"):
        return None
    if path.startswith("~"):
        rest = posixpath.normpath("/" + path[1:].lstrip("/"))
        return "~" + (rest if rest != "/" else "")
    path = posixpath.normpath(path)
    return "/" + path.lstrip("/")  # normpath keeps a leading "//"


def candidates(source: str) -> list[str]:
    """The forms a host path is matched in: normalised; as written when it is in a home
    directory (``/root/.ssh`` is also ``~/.ssh``); and under ``/run`` when written under
    ``/var/run`` (a symbolic link to ``/run`` on every current distribution)."""
    path = normalise(source)
    if path is None:
        return []
    forms = [path]
    written = source.strip()
    if _HOME.match(written) is not None and not written.startswith(("~", "$")):
        forms.append("/" + posixpath.normpath(written).lstrip("/"))
    if path == "/var/run" or path.startswith("/var/run/"):
        forms.append(path[4:])
    return forms


@template("host-path-mount", unit="container", params=PARAMS)
def check(container: Container, workload: Workload, params: dict) -> Iterator[Hit]:
    kinds = set(params.get("kinds", ("bind", "hostPath")))
    pattern = _pattern(params["paths"])
    for mount in container.mounts:
        if mount.kind not in kinds or not isinstance(mount.source, str):
            continue
        forms = candidates(mount.source)
        if not any(pattern.match(form) for form in forms):
            continue
        access = "read-only" if mount.read_only else "writable"
        yield Hit(mount.span, {"source": mount.source, "target": mount.target, "access": access,
                               "subject": subject(container, workload), "container": container.name,
                               "workload": workload.name,
                               "how": "hostPath volume" if mount.kind == "hostPath" else "bind mount"})
