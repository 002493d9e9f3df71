"""Shared helpers for templates that read instruction arguments rather than ``RUN`` bodies:
the ``KEY=value`` pairs of ``ENV``/``LABEL``/``ARG``, variable references inside a word with
their exact columns, stage chains, and Docker's image-reference grammar.

Positions: a word's span covers its text as written (quotes included). When that text can
be recovered — the instruction is on one line, or the word has no quotes or escapes — a
part of the word gets its own span; otherwise the whole word's span is the honest answer.
"""
from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Iterator, Mapping, Sequence

from linter.model.dockerfile import Instruction, Stage, Word
from linter.model.span import Span

#: Arguments BuildKit defines by itself, with the values used when a default is needed:
#: usable in ``FROM`` without an ``ARG``, and in a stage only after ``ARG NAME``.
PLATFORM_ARGS = {
    "TARGETPLATFORM": "linux/amd64", "TARGETOS": "linux", "TARGETARCH": "amd64", "TARGETVARIANT": "",
    "BUILDPLATFORM": "linux/amd64", "BUILDOS": "linux", "BUILDARCH": "amd64", "BUILDVARIANT": "",
}
#: Predefined proxy arguments (usable without ``ARG``) and ``PATH``, which BuildKit sets by default.
PREDEFINED = frozenset({
    "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy",
    "ALL_PROXY", "all_proxy", "PATH",
})


class Pair(namedtuple("Pair", "name value word name_span legacy")):
    """One ``KEY=value`` of ENV/LABEL/ARG: ``value`` is the text after ``=`` (quotes removed;
    ``None`` for ``ARG NAME`` without a default), ``word`` the whole word, ``name_span`` the
    key's span, ``legacy`` True for ``ENV KEY value`` (no ``=``)."""

    __slots__ = ()


class Reference(namedtuple("Reference", "name start end plain")):
    """``$NAME`` or ``${NAME…}`` at ``start:end`` of a raw text; ``plain`` is False when it
    carries an operator (``${NAME:-default}``, ``${NAME:+x}``, ``${NAME?}``…)."""

    __slots__ = ()


def pairs(instruction: Instruction) -> list[Pair]:
    """The pairs of an ``ENV``, ``LABEL`` or ``ARG`` (``ENV KEY value…`` as one legacy pair)."""
    words = instruction.words
    if not words:
        return []
    first = words[0]
    if instruction.keyword in ("ENV", "LABEL") and "=" not in first.text:
        rest = instruction.arguments.split(None, 1)[1:]
        return [Pair(first.text, rest[0].strip() if rest else "", first, first.span, True)]
    out = []
    for word in words:
        name, equals, value = word.text.partition("=")
        if not name:
            continue
        out.append(Pair(name, value if equals else None, word, name_span(instruction, word, len(name)), False))
    return out


def name_span(instruction: Instruction, word: Word, length: int) -> Span:
    """The span of the first ``length`` characters of ``word`` (a key before ``=``)."""
    raw = word_raw(instruction, word)
    if raw is None or raw[:length] != word.text[:length]:
        return word.span
    return part_span(word, 0, length)


def word_raw(instruction: Instruction, word: Word) -> str | None:
    """The word as written in the file, when it can be recovered (see the module docstring)."""
    span, arguments = word.span, instruction.arguments_span
    if span.line != span.end_line:
        return None
    if arguments.line == arguments.end_line == span.line and span.column >= arguments.column:
        start = span.column - arguments.column
        return instruction.arguments[start:start + span.end_column - span.column]
    if span.end_column - span.column == len(word.text) and "\\" not in word.text:
        return word.text
    return None


def part_span(word: Word, start: int, end: int) -> Span:
    """Columns ``start:end`` of a one-line word's raw text."""
    span = word.span
    return Span(span.path, span.line, span.column + start, span.line, span.column + end)


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def references(raw: str, escape: str = "\\") -> Iterator[Reference]:
    """Variable references in the raw text of a Dockerfile word, as Docker expands them:
    not inside single quotes, not after the escape character."""
    index, size, quote = 0, len(raw), ""
    while index < size:
        char = raw[index]
        if char == escape:
            index += 2
            continue
        if quote == "'":
            quote = "" if char == "'" else quote
        elif char == "'" and not quote:
            quote = "'"
        elif char == '"':
            quote = "" if quote == '"' else '"'
        elif char == "$":
            found = _reference(raw, index)
            if found is not None:
                yield found
                index = found.end
                continue
        index += 1


def _reference(raw: str, index: int) -> Reference | None:
    if raw.startswith("${", index):
        match = _NAME.match(raw, index + 2)
        close = raw.find("}", index + 2)
        if not match or close < 0:
            return None
        return Reference(match.group(), index, close + 1, match.end() == close)
    match = _NAME.match(raw, index + 1)
    if not match:
        return None
    return Reference(match.group(), index, match.end(), True)


def substitute(raw: str, values: Mapping[str, str]) -> str | None:
    """``raw`` with every reference replaced from ``values`` (``${X:-d}``, ``${X-d}``,
    ``${X:+a}``, ``${X+a}`` understood); None when a name has no entry. Quotes are dropped."""
    out, last = [], 0
    for ref in references(raw):
        out.append(raw[last:ref.start])
        last = ref.end
        if ref.name not in values:
            return None
        value = values[ref.name]
        if not ref.plain:
            rest = raw[ref.start + 2 + len(ref.name):ref.end - 1]
            operator = rest[:2] if rest[:2] in (":-", ":+", ":?") else rest[:1]
            word = rest[len(operator):]
            if operator == ":-":
                value = value or word
            elif operator == ":+":
                value = word if value else ""
            elif operator == "+":
                value = word
        out.append(value)
    out.append(raw[last:])
    return "".join(out).replace('"', "").replace("'", "")


# -- stages ---------------------------------------------------------------------------------

def ancestry(stage: Stage, stages: Sequence[Stage]) -> list[Stage]:
    """The stage and the earlier stages it is built ``FROM``, nearest first."""
    out: list[Stage] = []
    current: Stage | None = stage
    while current is not None and current not in out:
        out.append(current)
        current = stages[current.base.stage] if current.base.stage is not None else None
    return out


_WINDOWS_IMAGES = ("windows", "nanoserver", "servercore")


def is_windows(stage: Stage, stages: Sequence[Stage], escape: str = "\\") -> bool:
    """A Windows image: the backtick escape, or a Windows base (``…/windows/servercore``,
    ``nanoserver``) at the root of the stage's chain. Its shell is ``cmd`` or PowerShell."""
    repository = (ancestry(stage, stages)[-1].base.repository or "").lower()
    return escape == "`" or any(name in repository for name in _WINDOWS_IMAGES)


def keyword_text(instruction: Instruction, lines: Sequence[str]) -> str:
    """The instruction keyword as written (``from``, ``From``…)."""
    span = instruction.keyword_span
    if span.line != span.end_line or span.line > len(lines):
        return instruction.keyword
    return lines[span.line - 1][span.column - 1:span.end_column - 1]
