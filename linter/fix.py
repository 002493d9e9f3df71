"""``dlint check --fix``: apply the edits that findings carry, re-lint, repeat.

Imported only with ``--fix``. A finding's edits (:class:`linter.model.finding.Edit`) are
spans of the text as it was linted and their replacements; a rule passes them on only when
it declares a ``fix``. One pass applies every group of edits that does not touch another
group (a group is all or nothing), then the result is linted again; a group that touches an
accepted one waits for the next pass, where its edits are computed afresh. The loop stops
when a pass changes nothing, after :data:`MAX_PASSES`, or when nothing is left to fix.

Safety nets, because a fix that breaks a file is worse than none: a pass whose result does
not parse, or has more findings of some code than before that the next pass cannot fix, is
undone, and its groups are then tried one at a time, each kept only when it passes the same
test; a group that failed is not tried again for that file. What is returned is the last
state with no more findings of any code than the original file. A file that does not parse
is left alone.

Only UTF-8 files are fixed (a BOM is kept); new lines in a replacement become the line
ending of the line they go into, so CRLF files stay CRLF. Writing is atomic: a temporary
file in the same directory, given the original's mode (and owner, where allowed), then
``os.replace`` over the real path (symbolic links are followed, so the link stays a link).
"""
from __future__ import annotations

import difflib
import os
import stat
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from linter.engine.runner import FileResult, Linter, decode
from linter.model.finding import Edit, Finding
from linter.parsers.dockerfile import parse_dockerfile

MAX_PASSES = 10
BOM = "\ufeff"


class Fixer:
    """Fixes the Dockerfiles of one ``dlint check --fix`` run and keeps what to print at the end."""

    def __init__(self, diff: bool = False, stdin: bool = False) -> None:
        self.diff = diff
        self.stdin = stdin
        self.output: list[bytes] = []  # diffs, or the fixed standard input
        self.fixes = 0
        self.files = 0
        self.failures: list[str] = []
        self.skipped: list[str] = []

    def fix(self, linter: Linter, data: bytes, path: str, ignored: Iterable[str] = (),
            context: Mapping[str, str] | None = None) -> FileResult:
        """Fix one file's bytes; the result holds the findings that remain. ``context`` is
        passed to :meth:`Linter.lint_bytes`."""
        text, _ = decode(data, path)
        if text is None or text.encode("utf-8") != data:  # not UTF-8 (or UTF-16): lint, never rewrite
            if self.stdin and not self.diff:
                self.output.append(data)
            return linter.lint_bytes(data, path, ignored, context=context)
        fixed, result, count = fix_text(linter, text, path, ignored, context)
        if self.stdin and not self.diff:
            self.output.append(fixed.encode("utf-8"))
        if count == 0 or fixed == text:
            if any(finding.edits for finding in result.findings):
                problem = parse_problem(text, path)
                if problem is not None:
                    self.skipped.append(f"{path}: {problem}")
            return result
        if self.diff:
            self.output.append(unified_diff(path, text, fixed).encode("utf-8"))
        elif not self.stdin:
            try:
                write_atomic(path, fixed.encode("utf-8"))
            except OSError as error:
                self.failures.append(f"{path}: {error.strerror or error}")
                return linter.lint_bytes(data, path, ignored, context=context)
        self.fixes += count
        self.files += 1
        return result

    def finish(self, quiet: bool = False) -> None:
        """Print the diffs (or the fixed standard input) on stdout and a summary on stderr
        (failures always; the count of fixes unless ``quiet``)."""
        sys.stdout.flush()
        binary = getattr(sys.stdout, "buffer", None)
        for chunk in self.output:
            if binary is not None:
                binary.write(chunk)  # bytes as they are: CRLF and a BOM survive
            else:
                sys.stdout.write(chunk.decode("utf-8", "replace"))
        if binary is not None:
            binary.flush()
        sys.stdout.flush()
        for failure in self.failures:
            print(f"dlint: could not write the fixes to {failure}", file=sys.stderr)
        for skipped in self.skipped:
            print(f"dlint: not fixed, because it does not parse: {skipped}", file=sys.stderr)
        if self.fixes and not quiet:
            files = f"{self.files} file{'s' if self.files != 1 else ''}"
            fixes = f"{self.fixes} fix{'es' if self.fixes != 1 else ''}"
            verb = "would apply" if self.diff else "applied"
            print(f"dlint: {verb} {fixes} to {files}", file=sys.stderr)


# -- the fix loop -------------------------------------------------------------------------


def parse_problem(text: str, path: str) -> str | None:
    """Why a text must not be fixed: the first parse problem (a fix placed by a confused
    parse could land anywhere), as ``line N: message``; None when it parses."""
    problems = parse_dockerfile(text, path).problems
    if not problems:
        return None
    return f"line {problems[0].span.line}: {problems[0].message}"


def fix_text(linter: Linter, text: str, path: str, ignored: Iterable[str] = (),
             context: Mapping[str, str] | None = None) -> tuple[str, FileResult, int]:
    """The fixed text, the findings that remain in it, and how many fixes were applied.

    A text that does not parse is returned as it is, with its findings.
    """
    session = _Session(linter, path, set(ignored), BOM if text.startswith(BOM) else "", context)
    current = text[len(session.bom):]  # edits are spans of the text the parser saw, without a BOM
    result = original = session.lint(current)
    if session.problem(current) is not None:
        return text, result, 0
    applied = 0
    best = (current, result, applied)  # the last state with no more findings than the original
    rejected: set[tuple] = set()
    for _ in range(MAX_PASSES):
        groups = [finding for finding in result.findings
                  if finding.edits and _signature(finding) not in rejected
                  and all(edit.span.path == path for edit in finding.edits)]
        if not groups:
            break
        candidate, count = apply_edits(current, [finding.edits for finding in groups])
        if count == 0 or candidate == current:
            break
        after = session.lint(candidate)
        if not session.acceptable(candidate, result, after):
            candidate, count, after = session.one_at_a_time(current, result, groups, rejected)
            if count == 0:
                break
        current, result = candidate, after
        applied += count
        if no_worse(original.findings, result.findings):
            best = (current, result, applied)
    current, result, applied = best
    return session.bom + current, result, applied


class _Session:
    """Linting the successive texts of one file (each without its BOM, which is put back)."""

    def __init__(self, linter: Linter, path: str, ignored: set[str], bom: str,
                 context: Mapping[str, str] | None) -> None:
        self.linter = linter
        self.context = context
        self.path = path
        self.ignored = ignored
        self.bom = bom

    def lint(self, text: str) -> FileResult:
        return self.linter.lint_text(self.bom + text, self.path, self.ignored, self.context)

    def problem(self, text: str) -> str | None:
        return parse_problem(self.bom + text, self.path)

    def acceptable(self, candidate: str, before: FileResult, after: FileResult) -> bool:
        """The fixed text still parses (whether or not the parse-error rule is selected),
        and every code with more findings than before has only findings that the next pass
        can fix (upper-casing ``from`` makes its ``as`` stand out; the next pass upper-cases
        that too). Whatever happens in between, what is returned is never worse than the
        original."""
        if self.problem(candidate) is not None:
            return False
        grown = Counter(finding.code for finding in after.findings)
        grown.subtract(finding.code for finding in before.findings)
        return all(finding.edits for finding in after.findings if grown[finding.code] > 0)

    def one_at_a_time(self, text: str, result: FileResult, groups: Sequence[Finding],
                      rejected: set[tuple]) -> tuple[str, int, FileResult]:
        """The first group that is safe on its own (the rest wait for the next pass, recomputed)."""
        for finding in groups:
            candidate, count = apply_edits(text, [finding.edits])
            if count and candidate != text:
                after = self.lint(candidate)
                if self.acceptable(candidate, result, after):
                    return candidate, count, after
            rejected.add(_signature(finding))
        return text, 0, result


def _signature(finding: Finding) -> tuple:
    """What identifies a fix across passes, when its positions have moved."""
    return finding.code, finding.message, tuple(edit.text for edit in finding.edits)


def no_worse(before: Sequence[Finding], after: Sequence[Finding]) -> bool:
    """True when ``after`` has no more findings of any code than ``before``."""
    counts = Counter(finding.code for finding in before)
    counts.subtract(finding.code for finding in after)
    return all(count >= 0 for count in counts.values())


# -- applying edits -----------------------------------------------------------------------


class _Lines:
    """Offsets of the lines of a text, as the Dockerfile parser numbers them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        position = text.find("\n")
        while position >= 0:
            self.starts.append(position + 1)
            position = text.find("\n", position + 1)

    def content_end(self, index: int) -> int:
        """Offset of the end of line ``index`` (0-based), before its ``\\r\\n`` or ``\\n``."""
        if index + 1 < len(self.starts):
            end = self.starts[index + 1] - 1
            return end - 1 if end > self.starts[index] and self.text[end - 1] == "\r" else end
        return len(self.text)

    def offset(self, line: int, column: int) -> int:
        """A 1-based line and column; columns past the end of a line stop before its line ending."""
        if line > len(self.starts):
            return len(self.text)
        index = max(line, 1) - 1
        return min(self.starts[index] + max(column, 1) - 1, self.content_end(index))

    def newline_at(self, offset: int) -> str:
        end = self.text.find("\n", offset)
        if end < 0:  # the last line has no ending: follow the line before it
            end = self.text.rfind("\n", 0, offset)
        return "\r\n" if end > 0 and self.text[end - 1] == "\r" else "\n"


def apply_edits(text: str, groups: Sequence[Sequence[Edit]]) -> tuple[str, int]:
    """Apply every group that touches no earlier accepted group; (new text, groups applied).

    Edits touching at a single point conflict too (two insertions at one place would have
    no defined order); the later group is left for the next pass.
    """
    lines = _Lines(text)
    resolved = []
    for group in groups:
        ranges = []
        for edit in group:
            span = edit.span
            start = lines.offset(span.line, span.column)
            end = lines.offset(span.end_line, span.end_column)
            if end < start:
                break
            replacement = edit.text.replace("\r\n", "\n")
            newline = lines.newline_at(start)
            if newline != "\n":
                replacement = replacement.replace("\n", newline)
            ranges.append((start, end, replacement))
        else:
            ranges.sort()
            if ranges and all(a[1] < b[0] for a, b in zip(ranges, ranges[1:])):
                resolved.append(ranges)
    accepted: list[tuple[int, int, str]] = []
    count = 0
    for ranges in sorted(resolved, key=lambda item: item[0][:2]):
        if any(start <= other_end and other_start <= end
               for start, end, _ in ranges for other_start, other_end, _ in accepted):
            continue
        accepted += ranges
        count += 1
    pieces = []
    position = 0
    for start, end, replacement in sorted(accepted):
        pieces += [text[position:start], replacement]
        position = end
    pieces.append(text[position:])
    return "".join(pieces), count


# -- output -------------------------------------------------------------------------------


def _split(text: str) -> list[str]:
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def unified_diff(path: str, before: str, after: str) -> str:
    """A ``git apply``-able unified diff of one file (``a/`` and ``b/`` prefixes)."""
    name = path.replace(os.sep, "/").lstrip("/")
    out = []
    for line in difflib.unified_diff(_split(before), _split(after), f"a/{name}", f"b/{name}"):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def write_atomic(path: str, data: bytes) -> None:
    """Replace the file's content in one step (a reader sees the old file or the new one,
    never half of one), keeping its mode and owner; a new file gets the umask's mode."""
    real = os.path.realpath(path)
    try:
        before = os.stat(real)
    except FileNotFoundError:
        before = None
    directory = os.path.dirname(real) or "."
    handle, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(real)}.", suffix=".dlint", dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, stat.S_IMODE(before.st_mode) if before is not None else _new_file_mode())
        if before is not None and hasattr(os, "chown"):
            current = os.stat(temporary)
            if (current.st_uid, current.st_gid) != (before.st_uid, before.st_gid):
                try:
                    os.chown(temporary, before.st_uid, before.st_gid)
                except OSError:  # only root may give a file away; the content still matters most
                    pass
        os.replace(temporary, real)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _new_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
