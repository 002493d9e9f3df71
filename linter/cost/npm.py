"""The npm model: what ``npm ci`` / ``npm install`` adds to a layer.

Data. ``data/npm-packages.tsv.xz`` (made by ``benchmarks/npm_table.py`` from the npm registry;
the first line names the date) holds the latest release of popular packages and of everything
they depend on: unpacked size (what lands in ``node_modules``), tarball size (what lands in
npm's cache), the os/cpu/libc fields, and the dependency names. Its header also holds the mean
unpacked and tarball size of its packages (largest 2% left out), used for lock entries the table
lacks. Read the first time it is needed and kept for the life of the process.

Model (size-cost.md §2.5):

- With a lock file (``package-lock.json`` or ``npm-shrinkwrap.json``, lockfileVersion 1, 2 or
  3) every package in it is installed, except dev ones when ``production`` is true, bundled ones
  (already inside their parent's tarball), links to workspace folders (copied with the build
  context, not installed), and optional platform packages whose os/cpu/libc exclude the target
  (esbuild, swc and the like list a binary per platform and install one). Each is sized at the
  table's release (its own version when the table has that one), else at the table's mean.
  npm also writes ``node_modules/.package-lock.json``, about the lock file's size.
- Without a lock file, the direct dependencies of package.json (or the names given to
  ``npm install``) and their dependencies as the table's latest releases declare them: low
  confidence. A direct dependency the table lacks is unknown.
- The npm cache (``~/.npm/_cacache``), when kept, holds the tarballs, plus the registry
  documents (packuments) npm fetches when it resolves versions itself, without a lock file:
  about 36 KB a package (express: 2.45 MB of packuments for 68 packages, size-cost.md §2.5).
"""
from __future__ import annotations

import os
from collections import namedtuple

from linter.cost.estimate import Estimate, combine

DATA_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "npm-packages.tsv.xz")
FORMAT = "#dlint-npm-table 1"
PACKUMENT_BYTES = 36_000
# above this share of the node_modules bytes sized by the mean, the estimate is low confidence
MEAN_SHARE_LIMIT = 0.2
_NODE_ARCH = {"amd64": "x64", "x86_64": "x64", "arm64": "arm64", "aarch64": "arm64"}

LockedPackage = namedtuple("LockedPackage", "name version dev optional os cpu libc")
LockedPackage.__doc__ = """One package a lock file installs. ``os``/``cpu``/``libc``: the
package's platform lists (empty when unrestricted or not recorded, as in lockfileVersion 1)."""

_table: dict = {}


def load_table(path: str = DATA_FILE) -> dict:
    """``{"header": {...}, "rows": {name: fields}}``, read once."""
    if path not in _table:
        from linter.cost.tables import read_table

        header, rows = read_table(path, FORMAT, "npm")
        rows = {name: rest.split("\t") for name, rest in rows.items()}
        _table[path] = {"header": header, "rows": rows}
    return _table[path]


def parse_lock(text: str) -> list[LockedPackage]:
    """The packages a ``package-lock.json`` / ``npm-shrinkwrap.json`` installs (the root project
    and workspace links excluded; bundled dependencies excluded, their bytes are in the parent's
    tarball). Raises ValueError when the text is not a lock file dlint can read."""
    import json

    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise ValueError(f"not JSON: {error}") from None
    if not isinstance(document, dict):
        raise ValueError("not a lock file: the top level is not an object")
    if isinstance(document.get("packages"), dict):
        return _packages_section(document["packages"])
    if isinstance(document.get("dependencies"), dict):
        return _dependencies_section(document["dependencies"])
    raise ValueError("not a lock file: no 'packages' or 'dependencies'")


def _lists(entry: dict, key: str) -> tuple:
    value = entry.get(key)
    if not value:
        return ()
    return tuple(str(v) for v in value) if isinstance(value, list) else (str(value),)


def _packages_section(packages: dict) -> list:
    """lockfileVersion 2 and 3: one entry per installed folder, keyed by its path."""
    found = []
    for path, entry in packages.items():
        if not isinstance(entry, dict) or "node_modules/" not in path or entry.get("link") or entry.get("inBundle"):
            continue
        name = entry.get("name") or path.rsplit("node_modules/", 1)[1]
        found.append(LockedPackage(name, str(entry.get("version", "")), bool(entry.get("dev")),
                                   bool(entry.get("optional") or entry.get("devOptional")),
                                   _lists(entry, "os"), _lists(entry, "cpu"), _lists(entry, "libc")))
    return found


def _dependencies_section(dependencies: dict) -> list:
    """lockfileVersion 1: nested ``dependencies`` objects."""
    found, stack = [], [dependencies]
    while stack:
        for name, entry in stack.pop().items():
            if not isinstance(entry, dict) or entry.get("bundled"):
                continue
            version = str(entry.get("version", ""))
            if not version.startswith("file:"):
                found.append(LockedPackage(name, version, bool(entry.get("dev")), bool(entry.get("optional")),
                                           (), (), ()))
            if isinstance(entry.get("dependencies"), dict):
                stack.append(entry["dependencies"])
    return found


def _allows(values, value: str) -> bool:
    """npm's reading of an os/cpu/libc list: ``!x`` excludes x; other entries, if any, are the
    only values allowed."""
    if "!" + value in values:
        return False
    allowed = [v for v in values if not v.startswith("!")]
    return not allowed or value in allowed


def installable(os_list, cpu_list, libc_list, arch: str, libc: str) -> bool:
    """Whether a package with these platform fields installs on Linux ``arch`` with ``libc``."""
    return (_allows(os_list, "linux") and _allows(cpu_list, _NODE_ARCH.get(arch, arch))
            and _allows(libc_list, libc))


def _row_platform(row: list) -> tuple:
    parts = row[3].split("/") if row[3] else ["", "", ""]
    return tuple(tuple(p for p in part.split("|") if p) for part in parts)


def _sizes(row: list | None, header: dict) -> tuple[int, int, bool]:
    """(unpacked, tarball, from the table) of a table row, or the table's means."""
    if row is None or row[1] == "-":
        return int(header["mean_unpacked"]), int(header["mean_tarball"]), False
    return int(row[1]), int(row[2]), True


def _from_lock(lock_text: str, production: bool, arch: str, libc: str) -> list:
    """Sized lock entries: [(name, unpacked, tarball, how)] with how one of exact/other-version/mean."""
    table = load_table()
    sized = []
    for package in parse_lock(lock_text):
        if production and package.dev:
            continue
        row = table["rows"].get(package.name)
        platform = (package.os, package.cpu, package.libc)
        if not any(platform) and row is not None:
            platform = _row_platform(row)
        if not installable(*platform, arch, libc):
            continue
        unpacked, tarball, known = _sizes(row, table["header"])
        how = "mean" if not known else ("exact" if row[0] == package.version else "other-version")
        sized.append((package.name, unpacked, tarball, how))
    return sized


def _direct_dependencies(package_json: str, production: bool) -> list:
    import json

    try:
        document = json.loads(package_json)
    except (ValueError, RecursionError):
        return []
    if not isinstance(document, dict):
        return []
    names = []
    sections = ("dependencies", "optionalDependencies") + (() if production else ("devDependencies",))
    for section in sections:
        if isinstance(document.get(section), dict):
            names += [name for name in document[section] if name not in names]
    return names


def _spec_name(spec: str) -> str | None:
    """``express@4``, ``@types/node@^20`` -> the package name; None for paths, URLs, git and
    tarball specs (which the table cannot size)."""
    spec = spec.strip()
    if (not spec or spec.startswith(("-", ".", "/", "~", "git+", "git:", "github:", "file:"))
            or "://" in spec or spec.endswith((".tgz", ".tar.gz"))):
        return None
    scoped = spec.startswith("@")
    name = "@" + spec[1:].split("@", 1)[0] if scoped else spec.split("@", 1)[0]
    return name or None


def _from_table(names: list, arch: str, libc: str, skip=()) -> tuple[list, list]:
    """The closure of ``names`` over the table's dependencies: sized entries and unknown names."""
    table = load_table()
    sized, unknown, seen = [], [], set(skip)
    queue = [(name, True) for name in names]
    while queue:
        name, direct = queue.pop()
        if name in seen:
            continue
        seen.add(name)
        row = table["rows"].get(name)
        if row is None:
            if direct:
                unknown.append(name)
            else:
                sized.append((name, *_sizes(None, table["header"])[:2], "mean"))
            continue
        if not installable(*_row_platform(row), arch, libc):
            continue
        unpacked, tarball, known = _sizes(row, table["header"])
        sized.append((name, unpacked, tarball, "latest" if known else "mean"))
        for dep in (row[4].split(",") if row[4] else []):
            queue.append((dep.lstrip("?^"), False))
    return sized, unknown


def npm_install(lock_text: str | None, package_json: str | None, production: bool, cache_kept: bool,
                packages: list[str] = (), arch: str = "amd64", libc: str = "glibc") -> Estimate:
    """What an npm install adds to a layer.

    ``lock_text``: the package-lock.json / npm-shrinkwrap.json in the build context, if the
    layer can see one. ``package_json``: package.json's text. ``production``: dev dependencies
    omitted (``--omit=dev``, ``--production``, ``NODE_ENV=production``). ``cache_kept``: npm's
    cache stays in the layer. ``packages``: names given on the command line (``npm install
    express@4``, ``npm install -g typescript``). ``arch``/``libc``: the image's platform
    (``libc="musl"`` on Alpine), for platform-specific optional packages.
    """
    header = load_table()["header"]
    notes, sized, unknown, from_lock = [], [], [], False
    if lock_text is not None:
        try:
            sized = _from_lock(lock_text, production, arch, libc)
            from_lock = True
        except ValueError as error:
            notes.append(f"npm: lock file not read ({error})")
    if not from_lock:
        names = _direct_dependencies(package_json, production) if package_json is not None else []
        sized, unknown = _from_table(names, arch, libc)
    extra = [name for name in (_spec_name(str(spec)) for spec in packages) if name]
    unreadable = [str(spec) for spec in packages if not _spec_name(str(spec)) and not str(spec).startswith("-")]
    if extra:
        more, more_unknown = _from_table(extra, arch, libc, skip={entry[0] for entry in sized})
        sized += more
        unknown += more_unknown
    if not from_lock and not extra and package_json is None:
        return Estimate.unknown_size("npm: no package-lock.json or package.json to read")
    parts = [Estimate.unknown_size(f"npm: {name} is not in the npm table") for name in unknown]
    parts += [Estimate.unknown_size(f"npm: {spec} is a path, URL or git spec, size unknown") for spec in unreadable]
    if sized:
        parts.append(_node_modules(sized, from_lock, lock_text, header))
        if cache_kept:
            cache = sum(entry[2] for entry in sized) + (0 if from_lock else PACKUMENT_BYTES * len(sized))
            parts.append(Estimate(cache, "medium", (f"npm cache kept: +{cache / 1e6:.1f} MB",)))
    elif not parts:
        parts.append(Estimate(0, "medium", ("npm: nothing to install",)))
    result = combine(parts)
    return result._replace(notes=tuple(notes) + result.notes)


def _node_modules(sized: list, from_lock: bool, lock_text: str | None, header: dict) -> Estimate:
    size = sum(entry[1] for entry in sized)
    by_mean = [entry for entry in sized if entry[3] == "mean"]
    mean_bytes = sum(entry[1] for entry in by_mean)
    source = "the lock file" if from_lock else "the npm table, no lock file"
    notes = [f"npm: {len(sized)} packages from {source}, {size / 1e6:.1f} MB (table of {header.get('date', '?')})"]
    if by_mean:
        notes.append(f"npm: {len(by_mean)} packages not in the table, sized at the mean "
                     f"{int(header['mean_unpacked']) / 1e3:.0f} KB")
    if not from_lock:
        confidence = "low"
    elif size and mean_bytes / size > MEAN_SHARE_LIMIT:
        confidence = "low"
    elif by_mean or any(entry[3] == "other-version" for entry in sized):
        confidence = "medium"
    else:
        confidence = "high"
    if from_lock and lock_text:
        size += len(lock_text.encode("utf-8"))  # node_modules/.package-lock.json
    return Estimate(size, confidence, tuple(notes))
