"""Which files to check, and what each holds.

Dockerfiles and Compose files are found by name; other YAML files found while walking a
directory are opened and kept when they look like Kubernetes manifests (a top-level
``apiVersion`` and ``kind``). A walk skips what the ``.gitignore`` files it meets ignore, and
what the caller's ``excluded`` predicate (the configuration's ``exclude`` list) names. Files
named explicitly are always checked: Dockerfiles by name, YAML and JSON files by content. Helm
templates are skipped, since they are not YAML until rendered. A Compose file's
``.override.`` sibling is merged into it, not checked alone.
"""
from __future__ import annotations

import codecs
import os
import re
import stat
from collections import namedtuple
from collections.abc import Callable, Sequence

# Vendored or generated trees: walking them finds other people's files, slowly.
SKIPPED_DIRECTORIES = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox"})
_COMPOSE_NAME = re.compile(r"(docker-)?compose(\.[^/]*)?\.ya?ml$|docker-compose[^/]*\.ya?ml$", re.IGNORECASE)
_YAML_NAME = re.compile(r"\.ya?ml$", re.IGNORECASE)
# Named on the command line, a JSON file is read as YAML (which it is): a Kubernetes manifest
# may be written in JSON. A walk does not open every JSON file it meets (package.json…).
_DATA_NAME = re.compile(r"\.(ya?ml|json)$", re.IGNORECASE)
SNIFF_BYTES = 1 << 20


class Target(namedtuple("Target", "path kind error companions", defaults=(None, ()))):
    """A file to check and what it holds (``dockerfile``, ``compose``, ``kubernetes`` or
    ``yaml``: decide from the content); ``error`` when a folder could not be listed;
    ``companions`` are the Compose override files merged over it."""

    __slots__ = ()


class Discovery:
    """The targets, and the Helm templates skipped on the way (for one line of notice)."""

    def __init__(self) -> None:
        self.targets: list[Target] = []
        self.helm_templates: list[str] = []


# ``Dockerfile.<extension>`` names that hold something else: notes, code, data, patches.
_NOT_DOCKERFILE_EXTENSIONS = frozenset({
    "md", "markdown", "rst", "txt", "adoc", "html", "pdf", "png", "svg", "json", "yaml", "yml", "toml", "ini",
    "go", "py", "js", "mjs", "cjs", "ts", "rs", "java", "kt", "rb", "php", "cs", "c", "h", "cpp", "sh", "ps1",
    "bat", "lock", "patch", "diff", "orig", "rej",
})


def dockerfile_kind(name: str) -> bool:
    """``Dockerfile``, ``Dockerfile.prod``, ``Dockerfile-dev``, ``Dockerfile_prod``, ``api.dockerfile``,
    ``dev-Dockerfile`` and the same with ``Containerfile``, in any case; not ``Dockerfile.md``,
    ``dockerfile_test.go`` or ``Dockerfile.dockerignore`` (the ignore file of a Dockerfile)."""
    lowered = name.lower()
    if lowered.endswith(".dockerignore"):
        return False
    for stem in ("dockerfile", "containerfile"):
        if lowered == stem or lowered.endswith(("." + stem, "-" + stem, "_" + stem)):
            return True
        if not lowered.startswith(stem) or len(lowered) == len(stem):
            continue
        separator, rest = lowered[len(stem)], lowered[len(stem) + 1:]
        if separator == "." and rest.rsplit(".", 1)[-1] not in _NOT_DOCKERFILE_EXTENSIONS:
            return True
        if separator in "-_" and rest and "." not in rest:
            return True
    return False


def compose_name(name: str) -> bool:
    """``compose.yaml``, ``compose.*.yaml``, ``docker-compose*.yml`` (either extension)."""
    return _COMPOSE_NAME.match(name) is not None


def override_of(name: str) -> str | None:
    """For ``compose.override.yaml`` the base name (``compose.yaml``), else None."""
    match = re.fullmatch(r"((?:docker-)?compose)\.override\.(ya?ml)", name, re.IGNORECASE)
    return f"{match.group(1)}.{match.group(2)}" if match else None


def _sniff(path: str) -> str:
    """``helm``, ``kubernetes`` or ``""`` for a YAML file, from its first megabyte."""
    # Imported here: a run over Dockerfiles alone never pays for it.
    from linter.parsers.sniff import is_helm_template, looks_like_kubernetes

    head = _head(path)
    if is_helm_template(head):
        return "helm"
    return "kubernetes" if looks_like_kubernetes(head) else ""


def _head(path: str) -> str:
    """The first megabyte as text; nothing for what is not a regular file (a FIFO would block)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return ""
        with open(path, "rb") as handle:
            data = handle.read(SNIFF_BYTES)
    except OSError:
        return ""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace")
    return data.decode("utf-8", "replace")


def discover(paths: Sequence[str], excluded: Callable[[str], bool] | None = None) -> Discovery:
    """Files to check, in a stable order. A path that does not exist is still listed, so it
    is reported as unreadable. ``excluded(path)`` is asked about each folder (its path ending
    with a separator) and file a walk meets, never about the paths given."""
    found = Discovery()
    seen: set[str] = set()
    for given in paths:
        targets = _walk(given, found, excluded) if os.path.isdir(given) else _explicit(given, found)
        for target in targets:
            key = os.path.normpath(target.path)
            if key not in seen:
                seen.add(key)
                found.targets.append(target)
    return found


def _explicit(path: str, found: Discovery) -> list[Target]:
    name = os.path.basename(path)
    if name.lower().endswith(".dockerignore"):
        return []  # a Dockerfile's ignore file (Dockerfile.dockerignore), read with its Dockerfile
    if dockerfile_kind(name) or not _DATA_NAME.search(name) and not compose_name(name):
        return [Target(path, "dockerfile")]
    if _sniff(path) == "helm":
        found.helm_templates.append(path)
        return []
    return [Target(path, "compose" if compose_name(name) else "yaml")]


def _walk(root: str, found: Discovery, excluded: Callable[[str], bool] | None) -> list[Target]:
    targets = []

    def unlistable(error: OSError) -> None:  # reported, not skipped in silence: it may hold Dockerfiles
        targets.append(Target(error.filename or root, "dockerfile", f"cannot list this folder: {error.strerror}"))

    from linter.gitignore import GitIgnore

    gitignore = GitIgnore()
    gitignore.start(root)
    for directory, subdirectories, files in os.walk(root, onerror=unlistable, followlinks=False):
        gitignore.enter(directory, files)
        subdirectories[:] = sorted(d for d in subdirectories if d not in SKIPPED_DIRECTORIES
                                   and not gitignore.ignored(os.path.join(directory, d), True)
                                   and not (excluded and excluded(os.path.join(directory, d, ""))))
        present = set(files)
        for name in sorted(files):
            path = os.path.normpath(os.path.join(directory, name))
            if gitignore.ignored(path, False) or excluded and excluded(path):
                continue
            if dockerfile_kind(name):
                targets.append(Target(path, "dockerfile"))
            elif compose_name(name):
                if override_of(name) in present:
                    continue  # merged into its base file
                targets.append(Target(path, "compose", companions=_overrides(directory, name, present)))
            elif _YAML_NAME.search(name):
                kind = _sniff(path)
                if kind == "helm":
                    found.helm_templates.append(path)
                elif kind == "kubernetes":
                    targets.append(Target(path, "kubernetes"))
    return targets


def _overrides(directory: str, name: str, present: set[str]) -> tuple[str, ...]:
    stem, _, extension = name.rpartition(".")
    candidates = [f"{stem}.override.{extension}", f"{stem}.override.{'yml' if extension == 'yaml' else 'yaml'}"]
    return tuple(os.path.normpath(os.path.join(directory, c)) for c in candidates if c in present)[:1]
