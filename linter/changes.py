"""``dlint check --diff REF``: which lines changed since a git revision, so that only the
findings on them are reported.

The work tree is compared with REF (uncommitted edits count, as a reviewer sees them) and
files git does not track yet count as wholly changed. git is run directly, never through a
shell, with the options that keep a user's configuration out of the output: no colour, no
external diff driver, no text conversion filter, fixed ``a/`` ``b/`` prefixes, and paths
printed as raw bytes rather than octal escapes.
"""
from __future__ import annotations

import os
import re
import subprocess

from linter.config import ConfigError
from linter.engine.runner import FileResult
from linter.model.finding import Finding
from linter.model.span import Span

_GIT = ("git", "-c", "core.quotepath=off", "--no-pager")
_HUNK = re.compile(rb"@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_ESCAPES = {ord("a"): 7, ord("b"): 8, ord("t"): 9, ord("n"): 10, ord("v"): 11, ord("f"): 12, ord("r"): 13}


class ChangeError(ConfigError):
    """git could not say what changed: not a repository, an unknown revision, no git."""


class ChangeSet:
    """The lines added or modified since a revision, per path relative to ``cwd``."""

    __slots__ = ("cwd", "added", "whole", "_keys")

    def __init__(self, cwd: str, added: dict[str, set[int]], whole: set[str]) -> None:
        self.cwd = os.path.realpath(cwd)
        self.added = added  # every file with a changed line; deletions only: an empty set
        self.whole = whole  # new, untracked and binary files
        self._keys: dict[str, str] = {}

    def covers(self, finding: Finding) -> bool:
        """True when the finding touches a changed line, or is about a changed file as a whole."""
        key = self._key(finding.span.path)
        if key in self.whole:
            return True
        lines = self.added.get(key)
        if lines is None:
            return False
        if _file_level(finding):
            return True
        first, last = _line_range(finding.span)
        return not lines.isdisjoint(range(first, last + 1))

    def filter(self, results: list[FileResult]) -> list[FileResult]:
        """The results with only the findings this change set covers."""
        return [FileResult(result.path, [finding for finding in result.findings if self.covers(finding)],
                           result.sources) for result in results]

    def _key(self, path: str) -> str:
        key = self._keys.get(path)
        if key is None:
            key = self._keys[path] = _relative(path, self.cwd)
        return key


def _relative(path: str, real_cwd: str) -> str:
    """A path as git prints it: relative to the working folder, through symbolic links to
    folders (the file itself stays as named: git tracks a link, not its target)."""
    directory, name = os.path.split(os.path.join(real_cwd, path))
    return os.path.relpath(os.path.join(os.path.realpath(directory), name), real_cwd)


def _file_level(finding: Finding) -> bool:
    """A finding about the file rather than a place in it: a reading problem, or one placed
    at 1:1 with no extent."""
    span = finding.span
    return finding.code.startswith("PE0") or (span.line, span.column, span.end_line, span.end_column) == (1, 1, 1, 1)


def _line_range(span: Span) -> tuple[int, int]:
    """First and last line a span covers; one ending at column 1 stops on the line before."""
    last = span.end_line - 1 if span.end_column == 1 and span.end_line > span.line else span.end_line
    return span.line, max(span.line, last)


def changed_since(ref: str, cwd: str = ".") -> ChangeSet:
    """What changed in the work tree since ``ref``, for the files under ``cwd``."""
    label = f"--diff {ref}"
    commit = _resolve(ref, cwd, label)
    diff = _git(["diff", "--no-color", "--no-ext-diff", "--no-textconv", "--src-prefix=a/", "--dst-prefix=b/",
                 "-M", "-U0", "--relative", commit, "--"], cwd, label)
    added, whole = _parse_diff(diff)
    untracked = _git(["ls-files", "-z", "--others", "--exclude-standard"], cwd, label)
    whole.update(os.path.normpath(os.fsdecode(name)) for name in untracked.split(b"\0") if name)
    return ChangeSet(cwd, added, whole)


def file_at(ref: str, path: str, cwd: str = ".") -> bytes | None:
    """The content of ``path`` (relative to ``cwd``) at ``ref``; None when it did not exist there."""
    commit = _resolve(ref, cwd, ref)
    relative = _relative(path, os.path.realpath(cwd)).replace(os.sep, "/")
    # cat-file rather than show: a folder is not a file's content, and no filter applies.
    completed = _run(["cat-file", "blob", f"{commit}:./{relative}"], cwd, ref)
    if completed.returncode != 0:
        return None
    return completed.stdout


# -- running git ----------------------------------------------------------------------------


def _resolve(ref: str, cwd: str, label: str) -> str:
    """The commit ``ref`` names, or a :class:`ChangeError` saying what to do about it."""
    if not ref or ref.startswith("-"):
        raise ChangeError(f"{label}: not a revision; give a branch, tag or commit")
    completed = _run(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd, label)
    if completed.returncode == 0:
        return completed.stdout.decode("ascii").strip()
    if ref == "HEAD" and _run(["rev-parse", "--git-dir"], cwd, label).returncode == 0:
        # A repository before its first commit: compare with the empty tree, so every file is new.
        return _git(["hash-object", "-t", "tree", "--stdin"], cwd, label).decode("ascii").strip()
    problem = _message(completed.stderr)
    if "not a git repository" in problem:
        raise ChangeError(f"{label}: {os.path.abspath(cwd)} is not inside a git repository")
    if problem:
        raise ChangeError(f"{label}: git says: {problem}")
    raise ChangeError(f"{label}: unknown revision; fetch it first (actions/checkout with fetch-depth: 0)")


def _git(arguments: list[str], cwd: str, label: str) -> bytes:
    completed = _run(arguments, cwd, label)
    if completed.returncode != 0:
        raise ChangeError(f"{label}: git {arguments[0]} failed: {_message(completed.stderr) or 'no reason given'}")
    return completed.stdout


def _run(arguments: list[str], cwd: str, label: str) -> subprocess.CompletedProcess:
    # LC_ALL=C: git's messages in English, so the ones that need advice are recognized.
    # In a partial clone git would fetch missing files from the remote; dlint stays offline
    # and never waits at a password prompt.
    environment = dict(os.environ, LC_ALL="C", LANGUAGE="C", GIT_NO_LAZY_FETCH="1", GIT_TERMINAL_PROMPT="0")
    try:
        return subprocess.run([*_GIT, *arguments], cwd=cwd, env=environment, stdin=subprocess.DEVNULL,
                              capture_output=True, check=False)
    except FileNotFoundError:
        raise ChangeError(f"{label}: git is not installed (or not on PATH)") from None
    except OSError as error:
        raise ChangeError(f"{label}: cannot run git ({error.strerror or error})") from None


def _message(stderr: bytes) -> str:
    """git's first line of complaint, without its ``fatal:`` or ``error:`` label."""
    for line in stderr.decode("utf-8", "replace").splitlines():
        line = line.strip()
        if line:
            for label in ("fatal: ", "error: "):
                line = line.removeprefix(label)
            return line
    return ""


# -- reading the diff -----------------------------------------------------------------------


def _parse_diff(output: bytes) -> tuple[dict[str, set[int]], set[str]]:
    """From ``git diff -U0`` output: the new line numbers added per path (a set, empty when a
    file only lost lines), and the paths that changed as a whole (new files, binary files).

    Hunk bodies are consumed by the counts in their headers, so an added line that happens
    to read like a header is never taken for one.
    """
    added: dict[str, set[int]] = {}
    whole: set[str] = set()
    lines = output.split(b"\n")
    path: str | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if line.startswith(b"diff --git "):
            path = _header_path(line[len(b"diff --git "):])
        elif line.startswith((b"rename to ", b"copy to ")):
            path = _decode_path(_unquote(line.split(b" ", 2)[2]))
        elif line.startswith(b"+++ "):
            path = _new_path(line[4:])
        elif line.startswith(b"@@ "):
            numbers = added.setdefault(path, set()) if path is not None else set()
            index = _read_hunk(line, lines, index, numbers)
        elif line.startswith(b"deleted file mode"):
            path = None
        elif path is not None and line.startswith((b"new file mode", b"Binary files ")):
            whole.add(path)
    return added, whole


def _read_hunk(header: bytes, lines: list[bytes], index: int, numbers: set[int]) -> int:
    """Add the new line numbers of one hunk's ``+`` lines; return the index after its body."""
    match = _HUNK.match(header)
    if match is None:
        return index
    old_left = int(match.group(1) or b"1")
    number = int(match.group(2))
    new_left = int(match.group(3) or b"1")
    while (old_left > 0 or new_left > 0) and index < len(lines):
        body = lines[index]
        index += 1
        marker = body[:1]
        if marker == b"+":
            numbers.add(number)
            number += 1
            new_left -= 1
        elif marker == b"-":
            old_left -= 1
        elif marker == b" ":
            number += 1
            old_left -= 1
            new_left -= 1
    while index < len(lines) and lines[index].startswith(b"\\"):  # "\ No newline at end of file"
        index += 1
    return index


def _header_path(names: bytes) -> str | None:
    """The path in ``a/P b/P``. Unquoted names with spaces are split where both halves
    agree; a rename's ambiguous header is settled later by its ``rename to`` line."""
    if names.startswith(b'"'):
        end = _quoted_end(names)
        rest = names[end:].lstrip(b" ")
        return _new_path(rest)
    half = (len(names) - 1) // 2
    old, new = names[:half], names[half + 1:]
    if old.startswith(b"a/") and new.startswith(b"b/") and old[2:] == new[2:]:
        return _decode_path(new[2:])
    return None


def _new_path(name: bytes) -> str | None:
    """The path of a ``+++`` line's name (or a header's second name); None for /dev/null."""
    if name.startswith(b'"'):
        name = _unquote(name)
    elif name.endswith(b"\t"):  # git ends a name holding a space with a tab
        name = name[:-1]
    if not name.startswith(b"b/"):
        return None
    return _decode_path(name[2:])


def _decode_path(name: bytes) -> str:
    return os.path.normpath(os.fsdecode(name))


def _quoted_end(text: bytes) -> int:
    """The index just past the closing quote of the C-quoted string ``text`` starts with."""
    index = 1
    while index < len(text):
        if text[index:index + 1] == b"\\":
            index += 2
            continue
        if text[index:index + 1] == b'"':
            return index + 1
        index += 1
    return len(text)


def _unquote(text: bytes) -> bytes:
    """git's C-style quoting undone: ``"a\\tb\\303\\251"`` to the raw bytes of the name."""
    if not text.startswith(b'"'):
        return text
    body = text[1:_quoted_end(text) - 1]
    result = bytearray()
    index = 0
    while index < len(body):
        byte = body[index]
        if byte != ord("\\") or index + 1 >= len(body):
            result.append(byte)
            index += 1
            continue
        escaped = body[index + 1]
        if 48 <= escaped <= 55:  # \ooo: one byte in octal
            result.append(int(body[index + 1:index + 4], 8))
            index += 4
        else:
            result.append(_ESCAPES.get(escaped, escaped))
            index += 2
    return bytes(result)
