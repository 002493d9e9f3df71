"""The base-image table: what a ``FROM`` line starts with, in bytes, and where that number came from.

The data lives in ``data/base-images.json`` (schema: ``schemas/base-images.schema.json``). Every entry
names the record its sizes were copied from and that record's date; a size that is not known is
``None``, never zero. :func:`lookup` answers ``None`` for an image that is not in the table, so the
estimator can report it as *unknown* instead of as an empty layer.

References are normalized the way Docker reads them: ``python:3.12``,
``docker.io/library/python:3.12`` and ``index.docker.io/library/python:3.12`` are the same image; a
missing tag means ``latest``; a digest is matched against the recorded manifest-list digest, and
otherwise only the tag is used. A tag with a patch version that the table does not list
(``python:3.12.3-slim``) falls back to its minor series (``python:3.12-slim``) and says so in
:attr:`BaseImage.match`.
"""
from __future__ import annotations

import json
import os
import re

from linter.parsers.dockerfile import parse_image_reference

DATA_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "base-images.json")

_DOCKER_HUB = frozenset({"docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"})
_PATCH_VERSION = re.compile(r"^(\d+\.\d+)\.\d+(?=$|[-_])")

_cache: dict = {}


class BaseImage:
    """One entry of the table, as found by :func:`lookup`.

    ``match`` says how the reference was found: ``"tag"`` (the entry's own tag), ``"alias"`` (a tag that
    pointed at the same image on the record date), ``"digest"``, or ``"minor-version"`` (a patch version
    not in the table was mapped to its minor series — lower confidence).
    """

    __slots__ = ("image", "tag", "aliases", "distro", "package_manager", "sizes", "source", "date",
                 "uncompressed_source", "uncompressed_date", "digest", "version", "packages_ref",
                 "confidence", "notes", "match")

    def __init__(self, entry: dict, match: str = "tag") -> None:
        self.image = entry["image"]
        self.tag = entry["tag"]
        self.aliases = tuple(entry.get("aliases", ()))
        self.distro = dict(entry["distro"])
        self.package_manager = entry["package_manager"]
        self.sizes = {platform: dict(sizes) for platform, sizes in entry["sizes"].items()}
        self.source = entry["source"]
        self.date = entry["date"]
        self.uncompressed_source = entry.get("uncompressed_source")
        self.uncompressed_date = entry.get("uncompressed_date")
        self.digest = entry.get("digest")
        self.version = entry.get("version")
        self.packages_ref = entry.get("packages_ref")
        self.confidence = entry["confidence"]
        self.notes = entry.get("notes")
        self.match = match

    @property
    def ref(self) -> str:
        """``image:tag`` of the entry (not of the alias that found it)."""
        return f"{self.image}:{self.tag}"

    def compressed(self, platform: str = "linux/amd64") -> int | None:
        """Pull size in bytes for ``platform``; ``None`` when the table does not know it."""
        return self.sizes.get(_platform(platform), {}).get("compressed")

    def uncompressed(self, platform: str = "linux/amd64") -> int | None:
        """Size on disk in bytes for ``platform``; ``None`` when the table does not know it."""
        return self.sizes.get(_platform(platform), {}).get("uncompressed")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BaseImage) and self.ref == other.ref

    def __hash__(self) -> int:
        return hash(self.ref)

    def __repr__(self) -> str:
        return f"<BaseImage {self.ref} via {self.match}>"


def _platform(platform: str) -> str:
    platform = (platform or "linux/amd64").strip().lower()
    if "/" not in platform:
        platform = "linux/" + platform
    parts = platform.split("/")
    if parts[1] == "aarch64":
        parts[1] = "arm64"
    elif parts[1] in ("x86_64", "x86-64"):
        parts[1] = "amd64"
    return "/".join(parts[:2])  # linux/arm64/v8 -> linux/arm64


def load(path: str | None = None) -> list:
    """The raw entries (dicts) of the table; read once and cached."""
    key = path or DATA_FILE
    if key not in _cache:
        with open(key, encoding="utf-8") as handle:
            entries = json.load(handle)["entries"]
        by_ref: dict = {}
        by_digest: dict = {}
        for entry in entries:
            own = f"{entry['image']}:{entry['tag']}"
            by_ref[own] = (entry, "tag")
            for alias in entry.get("aliases", ()):
                by_ref.setdefault(f"{entry['image']}:{alias}", (entry, "alias"))
            if entry.get("digest"):
                by_digest[entry["digest"].lower()] = entry
        _cache[key] = (entries, by_ref, by_digest)
    return _cache[key][0]


def _index(path: str | None):
    load(path)
    return _cache[path or DATA_FILE]


def normalize(ref) -> tuple[str, str | None, str | None] | None:
    """``(repository, tag, digest)`` of a Docker Hub reference; ``None`` for other registries.

    ``ref`` is a reference string or a :class:`linter.model.dockerfile.ImageRef`. The repository has
    no ``docker.io/`` or ``library/`` prefix; a missing tag becomes ``latest`` unless a digest is given.
    """
    if hasattr(ref, "repository"):
        if getattr(ref, "stage", None) is not None or getattr(ref, "unresolved", False):
            return None
        registry, repository, tag, digest = ref.registry, ref.repository, ref.tag, ref.digest
    else:
        text = str(ref or "").strip()
        if not text or "$" in text:
            return None
        registry, repository, tag, digest = parse_image_reference(text)
    if registry is not None and registry.lower() not in _DOCKER_HUB:
        return None  # gcr.io/…, ghcr.io/…: not in the table yet
    repository = (repository or "").lower()
    if repository.startswith("library/"):
        repository = repository[len("library/"):]
    if not repository:
        return None
    if tag is None and digest is None:
        tag = "latest"
    return repository, tag, (digest.lower() if digest else None)


def lookup(ref, path: str | None = None) -> BaseImage | None:
    """The table entry for ``ref`` (a reference string or an ``ImageRef``), or ``None`` when unknown."""
    normal = normalize(ref)
    if normal is None:
        return None
    repository, tag, digest = normal
    _entries, by_ref, by_digest = _index(path)
    if repository == "scratch":
        found = by_ref.get("scratch:latest")
        return BaseImage(found[0], "tag") if found else None
    if digest:
        entry = by_digest.get(digest)
        if entry is not None and entry["image"] == repository:
            return BaseImage(entry, "digest")
    if tag is None:
        return None  # an unknown digest alone names nothing we know
    found = by_ref.get(f"{repository}:{tag}")
    if found is not None:
        return BaseImage(*found)
    minor = _PATCH_VERSION.sub(r"\1", tag)
    if minor != tag:
        found = by_ref.get(f"{repository}:{minor}")
        if found is not None:
            return BaseImage(found[0], "minor-version")
    return None


def entries(path: str | None = None) -> list:
    """Every entry as a :class:`BaseImage` (for listings and reports)."""
    return [BaseImage(entry) for entry in load(path)]
