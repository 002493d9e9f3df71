"""The apk model: what ``apk add`` adds to a layer on Alpine.

Data. Alpine's package index cannot be fetched where dlint's data is made, so
``data/apk-packages.tsv`` is a curated table (``benchmarks/apk_table.py``; its header says so):
installed sizes of common Alpine 3.24 packages as docker-library/repo-info lists them for the
official Alpine-based images, estimates from Debian's sizes for a few more, and dependencies
written by hand. It also lists what alpine itself holds (never added again) and maps apk names
to Debian names for the fallback. Read the first time it is needed, kept for the process.

Model (size-cost.md §2.3):

- the closure of the requested names over the table's dependencies, minus the base packages;
  a row measured in repo-info is medium confidence (hand-written dependencies; sizes of another
  Alpine release drift by a few percent), an estimated row low;
- a name the table lacks falls back to its Debian counterpart (the table's mapping, ``py3-x``
  -> ``python3-x``, else the same name): the closure ``apt-get install --no-install-recommends``
  would add on Debian bookworm's minimal base, times the table's measured Alpine/Debian factor
  for tools (Alpine leaves documentation and static files to ``-doc``/``-static`` packages);
  low confidence. A name neither knows is unknown;
- ``/lib/apk/db`` is rewritten by every install: ``DB_BASE_BYTES`` plus ``DB_PACKAGE_BYTES`` a
  package (size-cost.md: 0.1–0.5 MB for the database and scripts, medium);
- without ``--no-cache`` (and without a cache mount) the repository indexes stay in
  ``/var/cache/apk``: ``INDEX_CACHE_BYTES`` (size-cost.md: about 1–3 MB, medium).
"""
from __future__ import annotations

import os
import re

from linter.cost.estimate import Estimate, combine

DATA_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "apk-packages.tsv")
FORMAT = "#dlint-apk-table 1"
DB_BASE_BYTES = 100_000
DB_PACKAGE_BYTES = 4_000
INDEX_CACHE_BYTES = 2_000_000
# Debian suite whose table stands in for Alpine names the curated table lacks: bookworm, the
# suite the table's Alpine/Debian factors were measured against.
FALLBACK_SUITE = "bookworm"

_table: dict = {}


def load_table(path: str = DATA_FILE) -> dict:
    """``{"header", "rows": {name: (bytes, source, deps)}, "debian": {apk: [debian]}, "base"}``."""
    if path not in _table:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        if not lines[0].startswith(FORMAT):
            raise ValueError(f"{path} is not a dlint apk table")
        header = dict(field.split("=", 1) for field in lines[0].split("\t")[1:] if "=" in field)
        rows, debian = {}, {}
        for line in lines[2:]:
            if line.startswith(">"):
                name, _, names = line[1:].partition("\t")
                debian[name] = names.split(",")
            elif line:
                name, size, source, deps = line.split("\t")
                rows[name] = (int(size), source, deps.split(",") if deps else [])
        _table[path] = {"header": header, "rows": rows, "debian": debian,
                        "base": frozenset(header.get("base", "").split(","))}
    return _table[path]


def _bare(spec: str) -> str:
    """``curl=8.5.0-r0``, ``curl>8``, ``curl~8``, ``py3-foo@testing`` -> the package name."""
    return re.split(r"[=<>~@]", spec.strip(), maxsplit=1)[0].lower()


def debian_names(name: str) -> list[str]:
    """The Debian counterparts of an apk name, for the fallback."""
    table = load_table()
    if name in table["debian"]:
        return table["debian"][name]
    if name.startswith("py3-"):
        return ["python3-" + name[4:]]
    return [name]


def _curated_closure(names: list, base) -> tuple[list, list]:
    """(packages the table adds, requested names it lacks)."""
    rows = load_table()["rows"]
    added, missing, seen = [], [], set(base)
    stack = list(reversed(names))
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        if name not in rows:
            missing.append(name)
            continue
        added.append(name)
        stack.extend(reversed(rows[name][2]))
    return added, missing


def _debian_fallback(names: list, arch: str) -> tuple[Estimate | None, list]:
    """The Debian closure of names the curated table lacks, times the factor; and the names
    Debian does not know either."""
    from linter.cost import apt

    factor = float(load_table()["header"]["factor_others"])
    wanted = {name: debian_names(name) for name in names}
    flat = [debian for debians in wanted.values() for debian in debians]
    result = apt.closure(flat, FALLBACK_SUITE, arch, recommends=False, installed=apt.minbase(FALLBACK_SUITE, arch))
    unknown = [name for name, debians in wanted.items() if any(d in result.unknown for d in debians)]
    known = apt.installed_size_bytes(result, known_only=True)
    mapped = [name for name in names if name not in unknown]
    if not mapped:
        return None, unknown
    size = round(known * factor)
    note = (f"apk: {', '.join(mapped)} not in the Alpine table, sized from Debian "
            f"({len(result.known)} packages) × {factor}")
    return Estimate(size, "low", (note,)), unknown


def apk_add(packages: list[str], release: str | None, cache_kept: bool, arch: str = "amd64") -> Estimate:
    """What ``apk add PACKAGES`` adds to a layer on Alpine ``release`` (``"3.20"``; None: the
    release the table was made for). ``cache_kept``: no ``--no-cache`` and no cache mount, so
    the indexes stay in /var/cache/apk. Options (``-U``) and dot-named virtual groups
    (``--virtual .build-deps``) are skipped; a ``--virtual`` name without a dot must not be
    passed."""
    table = load_table()
    header = table["header"]
    # ".build-deps": the name a --virtual option gives the group, not a package to fetch
    names = [_bare(spec) for spec in packages if str(spec).strip() and not str(spec).startswith(("-", "."))]
    added, missing = _curated_closure(names, table["base"])
    parts, notes = [], []
    if release and str(release).strip() not in ("", header["release"]):
        notes.append(f"apk: sizes are Alpine {header['release']}'s, not {release}'s")
    if arch not in ("amd64", "x86_64"):
        notes.append(f"apk: sizes are x86_64's, not {arch}'s")
    if added:
        size = sum(table["rows"][name][0] for name in added)
        estimated = [name for name in added if table["rows"][name][1].startswith(("debian:", "npm:"))]
        confidence = "low" if estimated else "medium"
        row_notes = [f"apk: {len(added)} packages, {size / 1e6:.1f} MB (curated Alpine {header['release']} table)"]
        if estimated:
            row_notes.append(f"apk: estimated from Debian or npm sizes: {', '.join(estimated)}")
        parts.append(Estimate(size, confidence, tuple(row_notes)))
    if missing:
        fallback, unknown = _debian_fallback(missing, arch)
        if fallback is not None:
            parts.append(fallback)
        parts += [Estimate.unknown_size(f"apk: {name} is not a known package") for name in unknown]
    count = len(added) + len(missing)
    if count:
        database = DB_BASE_BYTES + DB_PACKAGE_BYTES * count
        parts.append(Estimate(database, "medium", ()))
    if cache_kept:
        parts.append(Estimate(INDEX_CACHE_BYTES, "medium",
                              (f"apk index cache kept: +{INDEX_CACHE_BYTES / 1e6:.1f} MB",)))
    if not parts:
        return Estimate(0, "high", ("apk: nothing to install",))
    result = combine(parts)
    return result._replace(notes=tuple(notes) + result.notes)
