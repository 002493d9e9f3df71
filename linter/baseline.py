"""``dlint check --baseline FILE``: findings accepted once, recorded in a file, and left out
of later runs, so that a project adopting dlint is held to new findings only.

A finding is recognized by a fingerprint of its rule, its file and the text of its line(s)
with white space collapsed, never its line number: lines moving, or edits elsewhere in the
file, keep the match. Identical fingerprints in one file (the same rule on two equal lines)
are told apart by their order. Paths are stored relative to the baseline file's folder, so
the same baseline works from any working folder.
"""
from __future__ import annotations

import os
from collections import Counter, namedtuple

from linter.config import ConfigError
from linter.engine.runner import FileResult
from linter.model.finding import Finding

FORMAT_VERSION = 1
# A finding spanning a long heredoc is told apart by its first lines; reading them all would
# make many findings over one long instruction cost their count times its length.
SPAN_LINES = 8
_FIELDS = {"path": str, "code": str, "fingerprint": str, "line": int, "message": str}


class BaselineError(ConfigError):
    """A baseline file that cannot be read or is not a dlint baseline."""


class Entry(namedtuple("Entry", "path code fingerprint line message")):
    """One accepted finding: where and what it was when the baseline was written (``line``
    and ``message`` are for people; only path, code and fingerprint are matched)."""

    __slots__ = ()


def fingerprint(finding: Finding, lines: list[str], occurrence: int = 0) -> str:
    """A finding's identity that survives unrelated edits: rule code, path, the finding's
    line(s) with white space collapsed, and ``occurrence``, its index among the findings of
    the same file with the same three (see :func:`fingerprints`)."""
    import hashlib

    key = "\0".join((*_identity(finding, lines), str(occurrence)))
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:20]


def fingerprints(findings: list[Finding], sources: dict[str, list[str]]) -> list[str]:
    """The fingerprint of each finding, numbering repeats in the order given."""
    seen: Counter = Counter()
    result = []
    for finding in findings:
        lines = sources.get(finding.span.path, [])
        identity = _identity(finding, lines)
        result.append(fingerprint(finding, lines, seen[identity]))
        seen[identity] += 1
    return result


def _identity(finding: Finding, lines: list[str]) -> tuple[str, str, str]:
    """Rule code, path with ``/``, and the finding's line(s) with white space collapsed."""
    span = finding.span
    path = os.path.normpath(span.path).replace(os.sep, "/")
    if (span.line, span.column, span.end_line, span.end_column) == (1, 1, 1, 1):
        return finding.code, path, ""  # about the whole file: editing its first line keeps the match
    last = span.end_line - 1 if span.end_column == 1 and span.end_line > span.line else span.end_line
    last = min(max(last, span.line), span.line + SPAN_LINES - 1)
    text = "\n".join(" ".join(line.split()) for line in lines[span.line - 1:last])
    return finding.code, path, text


class Baseline:
    """The entries of a baseline file, ready to match against a run's results."""

    __slots__ = ("entries", "folder")

    def __init__(self, entries: list[Entry], folder: str) -> None:
        self.entries = entries
        self.folder = folder

    def filter(self, results: list[FileResult]) -> tuple[list[FileResult], list[Entry]]:
        """The results without the recorded findings (each entry takes out at most one), and
        the entries of the files checked here that matched nothing: their findings are gone,
        so the baseline can shrink. Entries of files not checked in this run are not stale."""
        remaining = Counter((entry.path, entry.code, entry.fingerprint) for entry in self.entries)
        checked: set[str] = set()
        kept_results = []
        for result in results:
            checked.add(_relative(result.path, self.folder))
            checked.update(_relative(path, self.folder) for path in result.sources)
            kept = []
            for finding, key in zip(result.findings, _keys(result, self.folder)):
                if remaining[key] > 0:
                    remaining[key] -= 1
                else:
                    kept.append(finding)
            kept_results.append(FileResult(result.path, kept, result.sources))
        stale = []
        for entry in self.entries:
            key = (entry.path, entry.code, entry.fingerprint)
            if entry.path in checked and remaining[key] > 0:
                remaining[key] -= 1
                stale.append(entry)
        return kept_results, stale


def write_baseline(results: list[FileResult], path: str, version: str) -> int:
    """Record every finding of ``results`` in the baseline file ``path`` (replaced in one
    step); ``version`` is dlint's. Returns how many entries were written."""
    import json

    folder = _folder(path)
    entries = [Entry(*key, finding.span.line, finding.message)
               for result in results for finding, key in zip(result.findings, _keys(result, folder))]
    entries.sort(key=lambda entry: (entry.path, entry.line, entry.code, entry.fingerprint, entry.message))
    document = {
        "tool": "dlint",
        "format_version": FORMAT_VERSION,
        "dlint_version": version,
        "entries": [entry._asdict() for entry in entries],
    }
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    try:
        # surrogateescape: a file name that is not UTF-8 is written back as its own bytes.
        from linter.fix import write_atomic

        write_atomic(path, text.encode("utf-8", "surrogateescape"))
    except OSError as error:
        raise BaselineError(f"--baseline {path}: cannot write it ({error.strerror or error})") from None
    return len(entries)


def load_baseline(path: str) -> Baseline:
    """Read a baseline file; :class:`BaselineError` says what is wrong with a bad one."""
    import json

    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise BaselineError(f"--baseline {path}: cannot read it ({error.strerror or error})") from None
    try:
        document = json.loads(data.decode("utf-8-sig", "surrogateescape"))
    except ValueError as error:
        raise BaselineError(f"--baseline {path}: not valid JSON (line {error.lineno}, column {error.colno}: "
                            f"{error.msg})") from None
    return Baseline(_entries(document, path), _folder(path))


def _entries(document: object, path: str) -> list[Entry]:
    if not isinstance(document, dict) or document.get("tool") != "dlint" or "entries" not in document:
        raise BaselineError(f"--baseline {path}: not a dlint baseline (expected an object with "
                            f'"tool": "dlint" and "entries")')
    version = document.get("format_version")
    if version != FORMAT_VERSION:
        raise BaselineError(f"--baseline {path}: format_version {version!r} is not {FORMAT_VERSION}, the one "
                            f"this dlint reads; write the baseline again with this version")
    if not isinstance(document["entries"], list):
        raise BaselineError(f'--baseline {path}: "entries" must be a list')
    entries = []
    for number, item in enumerate(document["entries"], 1):
        if not isinstance(item, dict):
            raise BaselineError(f"--baseline {path}: entry {number} is not an object")
        for field, kind in _FIELDS.items():
            value = item.get(field)
            if not isinstance(value, kind) or isinstance(value, bool):
                raise BaselineError(f'--baseline {path}: entry {number} needs "{field}" '
                                    f"({'a number' if kind is int else 'a string'})")
        entries.append(Entry(*(item[field] for field in _FIELDS)))
    return entries


# -- paths and writing ----------------------------------------------------------------------


def _folder(path: str) -> str:
    return os.path.dirname(os.path.abspath(path))


def _relative(path: str, folder: str) -> str:
    """A finding's path relative to the baseline's folder, with ``/``; ``-`` stays ``-``."""
    if path == "-":
        return path
    return os.path.relpath(os.path.abspath(path), folder).replace(os.sep, "/")


def _keys(result: FileResult, folder: str) -> list[tuple[str, str, str]]:
    """(path relative to the baseline's folder, code, fingerprint) of each finding."""
    findings = [finding._replace(span=finding.span._replace(path=_relative(finding.span.path, folder)))
                for finding in result.findings]
    sources = {_relative(path, folder): lines for path, lines in result.sources.items()}
    return [(finding.span.path, finding.code, mark)
            for finding, mark in zip(findings, fingerprints(findings, sources))]
