"""The pip model: what ``pip install`` adds to a layer, from a table of popular PyPI packages.

Data. ``data/pypi-packages.tsv.xz`` (made by ``benchmarks/pypi_table.py`` from PyPI's JSON
API; the first line names the date and the reference platform) holds the latest release of the
most downloaded PyPI projects and of everything they depend on: the file pip picks for CPython
3.12 on manylinux x86_64, its size, the unpacked size of its members, the bytes of its ``.py``
files, and its dependencies with the Python versions and extras that select them. It is read
the first time it is needed and kept for the life of the process.

Model (size-cost.md §2.4):

- installed = the wheel's unpacked members + ``PYC_FACTOR`` × its ``.py`` bytes, the byte code
  pip writes at install time (not with ``--no-compile``: ``compile_pyc=False``);
- a project only published as an sdist is sized by its unpacked sdist, at low confidence
  (a build can add compiled extensions or drop tests and docs);
- the pip cache (``~/.cache/pip``), when kept, holds about the downloaded files: + Σ file size;
- dependencies are followed through the table: main ones always, those of an extra when the
  extra is asked for (``uvicorn[standard]``), each only for the Python versions its markers
  select. Version constraints are not solved: every project is sized at the table's release.

Confidence: medium for what the table sizes (the release pip resolves on build day can differ
from the table's; a pin to another release is named in a note), low for sdists, and a name the
table does not know (or a path, URL or VCS requirement) is unknown: counted in
``Estimate.unknown`` and named in a note, never zero.
"""
from __future__ import annotations

import os
import re
from collections import deque

from linter.cost.estimate import Estimate, combine

DATA_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "pypi-packages.tsv.xz")
FORMAT = "#dlint-pypi-table 1"

# Byte code pip writes at install time, per byte of .py source: the median, over the 16
# requirements measured in size-cost.md §2.4 (CPython 3.11, default pip install), of their .pyc
# bytes over the .py bytes this table holds for them (range 0.98-1.64; Debian's py3compile gave
# 1.12-1.22 in §2.2). tests/test_cost_installers.py checks the totals against §2.4.
PYC_FACTOR = 1.3

_NORMAL = re.compile(r"[-_.]+")
_NAME = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?\s*(.*)", re.S)
_PIN = re.compile(r"^\s*===?\s*([^\s,;*]+)\s*$")
_REFERENCE_PREFIXES = (".", "/", "~", "git+", "hg+", "svn+", "bzr+", "http://", "https://", "file:")
_ARCHIVE_SUFFIXES = (".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz")

_table: dict = {}


class Distribution:
    """One project of the table, as a closure holds it."""

    __slots__ = ("name", "version", "kind", "file_bytes", "unpacked_bytes", "py_bytes", "tokens")

    def __init__(self, name: str, fields: list) -> None:
        self.name = name
        self.version, self.kind = fields[0], fields[1]
        self.file_bytes, self.unpacked_bytes, self.py_bytes = (int(v) for v in fields[2:5])
        self.tokens = fields[5].split(",") if fields[5] else []

    def installed_bytes(self, compile_pyc: bool = True) -> int:
        return self.unpacked_bytes + (round(PYC_FACTOR * self.py_bytes) if compile_pyc else 0)

    def __repr__(self) -> str:
        return f"<Distribution {self.name} {self.version}>"


def normalize(name: str) -> str:
    """PEP 503: ``Flask_SQLAlchemy`` -> ``flask-sqlalchemy``."""
    return _NORMAL.sub("-", name).lower()


def load_table(path: str = DATA_FILE) -> dict:
    """``{"header": {...}, "rows": {name: fields}}``, read once."""
    if path not in _table:
        from linter.cost.tables import read_table

        header, rows = read_table(path, FORMAT, "PyPI")
        _table[path] = {"header": header, "rows": rows}
    return _table[path]


def lookup(name: str) -> Distribution | None:
    """The table's row for a project name (any spelling), or None."""
    key = normalize(name)
    rest = load_table()["rows"].get(key)
    return None if rest is None else Distribution(key, rest.split("\t"))


# --- requirements files ------------------------------------------------------------------------

def _logical_lines(text: str) -> list:
    """Lines with backslash continuations joined and comments removed (pip's rules: ``#`` at
    the start or after whitespace starts a comment)."""
    lines, pending = [], ""
    for raw in text.lstrip("\ufeff").splitlines():
        line = re.sub(r"(^|\s)#.*$", "", raw)
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        lines.append((pending + line).strip())
        pending = ""
    if pending.strip():
        lines.append(pending.strip())
    return [line for line in lines if line]


def parse_requirements(text: str) -> list[str]:
    """The requirement specifiers of a requirements file, in order.

    Comments, blank lines and backslash continuations are handled; per-requirement options
    (``--hash=…``, ``--config-settings …``) are dropped; environment markers stay on the
    specifier (:func:`pip_install` evaluates them for the target Python). Option lines are
    dropped, except that an editable requirement (``-e PATH_OR_URL``) is returned as its target,
    since it installs something. Nested files (``-r``/``--requirement``) are not read here:
    :func:`requirement_files` lists them; constraint files (``-c``) install nothing.
    """
    specifiers = []
    for line in _logical_lines(text):
        if line.startswith("-"):
            option, _, value = line.partition(" ") if " " in line else line.partition("=")
            if option in ("-e", "--editable") and value.strip():
                specifiers.append(value.strip())
            continue
        specifiers.append(re.split(r"\s+--?[a-z]", line, maxsplit=1)[0].strip())
    return specifiers


def requirement_files(text: str) -> list[str]:
    """The files a requirements file includes with ``-r FILE`` / ``--requirement=FILE``, as
    written (relative to the including file's folder)."""
    files = []
    for line in _logical_lines(text):
        match = re.match(r"(?:-r|--requirement)(?:\s*=\s*|\s+|(?=[^\s=]))(\S+)", line)
        if match:
            files.append(match.group(1))
    return files


# --- environment markers -----------------------------------------------------------------------

_MARKER_TOKEN = re.compile(r"""\s*(\(|\)|'[^']*'|"[^"]*"|===|==|!=|<=|>=|~=|<|>|not\s+in\b|in\b|and\b|or\b
                               |[A-Za-z_.]+)""", re.X)


def _marker_environment(python: tuple) -> dict:
    version = f"{python[0]}.{python[1]}"
    return {"python_version": version, "python_full_version": version + ".0", "sys_platform": "linux",
            "platform_system": "Linux", "os_name": "posix", "platform_machine": "x86_64",
            "implementation_name": "cpython", "platform_python_implementation": "CPython",
            "implementation_version": version + ".0", "extra": ""}


def _version_key(text: str) -> tuple:
    return tuple(int(part) if part.isdigit() else 0 for part in text.split("."))


def _compare(left: str, op: str, right: str) -> bool:
    if op in ("in", "not in"):
        return (left in right) == (op == "in")
    if re.fullmatch(r"[\d.]+", left) and re.fullmatch(r"[\d.]+", right):
        left_key, right_key = _version_key(left), _version_key(right)
        if op == "~=":
            prefix = right_key[:-1] if len(right_key) > 1 else right_key
            return left_key >= right_key and left_key[:len(prefix)] == prefix
    else:
        left_key, right_key = left, right
    return {"==": left_key == right_key, "===": left == right, "!=": left_key != right_key,
            "<": left_key < right_key, "<=": left_key <= right_key, ">": left_key > right_key,
            ">=": left_key >= right_key}.get(op, False)


def marker_matches(marker: str, python: tuple) -> bool | None:
    """Whether a PEP 508 marker holds on Linux x86_64 CPython ``python`` (``(3, 12)``); None when
    the marker cannot be read."""
    tokens, position = [], 0
    while position < len(marker.rstrip()):
        match = _MARKER_TOKEN.match(marker, position)
        if not match:
            return None
        tokens.append(re.sub(r"\s+", " ", match.group(1)))
        position = match.end()
    environment = _marker_environment(python)

    def value(index):
        token = tokens[index]
        if token[:1] in "'\"":
            return token[1:-1]
        if token not in environment:
            raise ValueError(token)
        return environment[token]

    def expression(index, level):  # level 0: or, 1: and, 2: comparison
        if level == 2:
            if tokens[index] == "(":
                result, index = expression(index + 1, 0)
                if tokens[index] != ")":
                    raise ValueError(")")
                return result, index + 1
            return _compare(value(index), tokens[index + 1], value(index + 2)), index + 3
        result, index = expression(index, level + 1)
        while index < len(tokens) and tokens[index] == ("or", "and")[level]:
            right, index = expression(index + 1, level + 1)
            result = (result or right) if level == 0 else (result and right)
        return result, index

    try:
        result, end = expression(0, 0)
    except (ValueError, IndexError):
        return None
    return result if end == len(tokens) else None


# --- the install -------------------------------------------------------------------------------

class Requirement:
    """A specifier taken apart: name, extras, exact pin, marker; ``reference`` for a path, URL or
    archive (which the table cannot size)."""

    __slots__ = ("text", "name", "extras", "pin", "marker", "reference")

    def __init__(self, text: str) -> None:
        self.text = text.strip()
        body, _, marker = self.text.partition(";")
        self.marker = marker.strip() or None
        self.name, self.extras, self.pin, self.reference = None, (), None, False
        match = _NAME.fullmatch(body.strip())
        if body.strip().startswith(_REFERENCE_PREFIXES) or body.strip().endswith(_ARCHIVE_SUFFIXES) or not match:
            self.reference = True
            return
        self.name = normalize(match.group(1))
        self.extras = tuple(normalize(e) for e in (match.group(2) or "").split(",") if e.strip())
        rest = match.group(3).strip()
        if rest.startswith("@"):  # name @ URL: a direct reference
            self.reference = True
            return
        pin = _PIN.match(rest.strip("()"))
        self.pin = pin.group(1) if pin else None


def _python(python: str | None, header: dict) -> tuple:
    """(major, minor) to evaluate markers with, and a note when it had to be assumed."""
    reference = tuple(int(p) for p in header.get("python", "3.12").split("."))
    match = re.match(r"\s*(\d+)\.(\d+)", python or "")
    if not match:
        return reference, f"pip: Python version unknown, markers read for {reference[0]}.{reference[1]}"
    return (int(match.group(1)), int(match.group(2))), None


def _token_applies(token: str, extras: set, python: tuple) -> tuple[str, tuple] | None:
    """``extra:name+e1@lo-hi`` -> (name, asked extras) when it applies to this install."""
    extra, _, rest = token.rpartition(":")
    if extra and extra not in extras:
        return None
    rest, _, versions = rest.partition("@")
    if versions:
        low, _, high = versions.partition("-")
        # the table covers 3.9-3.14; a Python outside it takes the nearest end's dependencies
        minor = min(max(python[1], 9), 14) if python[0] == 3 else python[1]
        if not int(low) <= minor <= int(high):
            return None
    name, *asked = rest.split("+")
    return name, tuple(asked)


def closure(requirements: list, python: tuple, installed=()) -> tuple[list, list]:
    """The distributions ``pip install`` adds for parsed requirements, and the names it cannot
    size. Names in ``installed`` are already present and are neither counted nor followed."""
    have = {normalize(name) for name in installed}
    found, unknown, extras_done = {}, [], {}
    queue = deque((r.name, set(r.extras)) for r in requirements)
    while queue:
        name, extras = queue.popleft()
        if name in have:
            continue
        done = extras_done.get(name)
        if done is not None and extras <= done:
            continue
        distribution = found.get(name) or lookup(name)
        if distribution is None:
            if name not in unknown:
                unknown.append(name)
            continue
        found[name] = distribution
        new_extras = extras - (done or set())
        extras_done[name] = (done or set()) | extras
        for token in distribution.tokens:
            applies = _token_applies(token, extras_done[name], python)
            if applies is None:
                continue
            if done is not None and token.rpartition(":")[0] not in new_extras:
                continue  # already followed when this name was first added
            queue.append((applies[0], set(applies[1])))
    return list(found.values()), unknown


def pip_install(requirements: list[str], python: str | None, cache_kept: bool,
                compile_pyc: bool = True, installed=()) -> Estimate:
    """What ``pip install REQUIREMENTS`` adds to a layer.

    ``requirements``: specifiers as on the command line or from :func:`parse_requirements`
    (option arguments starting with ``-`` are ignored). ``python``: the target version
    (``"3.12"``, ``"3.11.9"``; None when unknown). ``cache_kept``: pip's cache stays in the
    layer. ``compile_pyc``: False for ``--no-compile``. ``installed``: project names already in
    the image (neither counted nor followed).
    """
    table = load_table()
    version, python_note = _python(python, table["header"])
    notes = [python_note] if python_note else []
    wanted, parts = [], []
    for text in requirements:
        text = str(text).strip()
        if not text or text.startswith("-"):
            continue
        requirement = Requirement(text)
        if requirement.reference:
            parts.append(Estimate.unknown_size(f"pip: {text} is a path or URL, size unknown"))
            continue
        if requirement.marker:
            matches = marker_matches(requirement.marker, version)
            if matches is False:
                notes.append(f"pip: {requirement.name} skipped, its marker excludes Python {version[0]}.{version[1]}")
                continue
        wanted.append(requirement)
    distributions, unknown = closure(wanted, version, installed)
    parts += [Estimate.unknown_size(f"pip: {name} is not in the PyPI table") for name in unknown]
    if distributions:
        parts.append(_installed_estimate(distributions, wanted, compile_pyc, table["header"]))
        if cache_kept:
            cache = sum(d.file_bytes for d in distributions)
            parts.append(Estimate(cache, "medium", (f"pip cache kept: +{cache / 1e6:.1f} MB",)))
    result = combine(parts)
    return result._replace(notes=tuple(notes) + result.notes)


def _installed_estimate(distributions: list, wanted: list, compile_pyc: bool, header: dict) -> Estimate:
    size = sum(d.installed_bytes(compile_pyc) for d in distributions)
    notes = [f"pip: {len(distributions)} distributions, {size / 1e6:.1f} MB installed "
             f"(PyPI table of {header.get('date', '?')})"]
    confidence = "medium"
    by_name = {d.name: d for d in distributions}
    for requirement in wanted:
        distribution = by_name.get(requirement.name)
        if distribution is not None and requirement.pin and requirement.pin != distribution.version:
            notes.append(f"pip: {requirement.name}=={requirement.pin} sized as {distribution.version}")
    sdists = [d.name for d in distributions if d.kind == "sdist"]
    if sdists:
        confidence = "low"
        notes.append(f"pip: built from source, sized by the sdist: {', '.join(sdists)}")
    if not compile_pyc:
        notes.append("pip: --no-compile, no .pyc counted")
    return Estimate(size, confidence, tuple(notes))
