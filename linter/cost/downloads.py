"""Opaque downloads and language toolchains: the layers no package table describes.

:func:`download` sizes a URL fetched with curl/wget (or ``ADD <url>``) from
``data/downloads.json``: URL patterns of common artifacts (Go, Node.js, Temurin, kubectl,
Helm, Terraform, AWS CLI, Maven, Gradle) with the archive's size, the size it unpacks to, and
where each number comes from (size-cost.md §2.7). Any other URL is unknown: nothing in a
Dockerfile states what it downloads.

:func:`toolchain_install` covers gem, go, cargo, composer, Maven and Gradle. Their registries
are not among dlint's data sources, so the estimate is a heuristic, always low confidence: each
package named on the command line counts as the mean size of that ecosystem's libraries as
Debian packages them (the closest offline sample of each ecosystem), and its dependencies are
not counted. Commands that install what a manifest lists (``bundle install``, ``go mod
download``, ``go build``, ``cargo build``, ``composer install``, ``mvn package``, ``gradle
build``) are unknown: the manifest's content is not an argument.
"""
from __future__ import annotations

import os
import re

from linter.cost.estimate import Estimate

DATA_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "downloads.json")

# Mean Installed-Size of the library packages Debian bookworm ships for each ecosystem, from
# linter/cost/data/apt-bookworm-amd64.tsv.xz (2026-11-27): ruby-* (1,402 packages), golang-*-dev
# (1,929, Go module sources), librust-*-dev (1,946, crate sources), lib*-java (1,473, jars),
# php-* (646). Debian drops tests and docs that published packages often carry, so these lean low.
MEAN_PACKAGE_BYTES = {
    "gem": 341_324,
    "go": 1_354_318,
    "cargo": 285_769,
    "maven": 890_902,
    "gradle": 890_902,
    "composer": 450_197,
}
# The subcommand that adds the named packages, per tool; other subcommands read a manifest.
_NAMING_SUBCOMMANDS = {"gem": ("install",), "go": ("install", "get"), "cargo": ("install", "add"),
                       "composer": ("require", "global")}
_TOOL_ALIASES = {"mvn": "maven", "./mvnw": "maven", "mvnw": "maven", "./gradlew": "gradle", "gradlew": "gradle",
                 "bundle": "gem", "bundler": "gem"}

_entries: list = []


def _load() -> list:
    if not _entries:
        import json

        with open(DATA_FILE, encoding="utf-8") as f:
            for entry in json.load(f)["entries"]:
                _entries.append((re.compile(entry["pattern"]), entry))
    return _entries


def lookup(url: str) -> dict | None:
    """The table entry whose pattern the URL matches, or None."""
    for pattern, entry in _load():
        if pattern.search(url):
            return entry
    return None


def download(url: str, extracted: bool) -> Estimate:
    """The bytes a download leaves in the layer: the unpacked files when ``extracted`` (``curl …
    | tar x``, a downloaded archive unpacked and deleted in the same RUN), else the file itself."""
    entry = lookup(str(url))
    if entry is None:
        return Estimate.unknown_size(f"opaque download, size unknown: {url}")
    size = entry["extracted_bytes" if extracted else "archive_bytes"]
    what = "unpacked" if extracted else "archive"
    return Estimate(size, entry["confidence"],
                    (f"download: {entry['name']} {what}, {size / 1e6:.0f} MB (as of {entry['date']})",))


def _named_packages(tool: str, arguments: list) -> list | None:
    """The package names a command adds, or None when it installs from a manifest."""
    words = [str(a) for a in arguments]
    subcommands = _NAMING_SUBCOMMANDS.get(tool, ())
    if not words or words[0] not in subcommands:
        return None
    names, skip_value = [], False
    for word in words[1:]:
        if skip_value:
            skip_value = False
        elif word in ("-v", "--version"):  # gem install rails -v 7.1.0: the version is no name
            skip_value = True
        elif not word.startswith("-"):
            names.append(word)
    return names or None


def toolchain_install(tool: str, arguments: list[str]) -> Estimate:
    """A heuristic for ``gem``, ``bundle``, ``go``, ``cargo``, ``composer``, ``mvn``/``mvnw``
    and ``gradle``/``gradlew`` commands: ``tool`` is the program, ``arguments`` what follows it."""
    name = _TOOL_ALIASES.get(tool, tool)
    if name not in MEAN_PACKAGE_BYTES:
        return Estimate.unknown_size(f"{tool}: no size model")
    if tool in ("bundle", "bundler"):
        return Estimate.unknown_size(f"{tool}: installs what Gemfile.lock lists, not estimated")
    packages = _named_packages(name, arguments)
    if packages is None:
        command = " ".join([tool, *map(str, arguments[:2])])
        return Estimate.unknown_size(f"{command}: installs what the project's manifest lists, not estimated")
    mean = MEAN_PACKAGE_BYTES[name]
    size = mean * len(packages)
    note = (f"{tool}: {len(packages)} package(s) at {mean / 1e6:.1f} MB each "
            f"(mean of Debian's {name} libraries), dependencies not counted")
    return Estimate(size, "low", (note,))
