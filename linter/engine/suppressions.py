"""Inline suppressions: ``# dlint: ignore=…``, ``# dlint: ignore-file[=…]``, and the pragmas of
hadolint, checkov and trivy.

In a Dockerfile ``ignore=`` applies to the instruction right after the comment (every line
of it, heredoc bodies included); in YAML to the next line, or to its own line when it
follows a value. Codes and names both work; text after `` -- `` is the reason and is
ignored. Foreign pragmas are honoured for the rules that declare the foreign code among
their ``equivalents``, so a team can switch without editing files:

* ``# hadolint ignore=DL3008`` (next instruction) and ``# hadolint global ignore=…`` (file);
* ``# trivy:ignore:DS-0029`` (next instruction; ``DS0029``, ``DS029`` and ``AVD-DS-0029``
  too, several per comment, ``*`` for every rule with a trivy equivalent, and an
  ``:exp:YYYY-MM-DD`` expiry after which it no longer applies, as in trivy);
* ``# checkov:skip=CKV_DOCKER_5`` or ``…=CKV_DOCKER_5:reason`` (the whole file: checkov
  ignores where a Dockerfile skip comment stands, and so does dlint, so an existing skip
  silences exactly what it silenced in checkov).

Every rule a suppression names is an :class:`Entry` that remembers where it is written and
whether it silenced a finding, so stale suppressions and suppressions without a reason can
be reported at their own position.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence

from linter.model.dockerfile import Dockerfile
from linter.model.finding import Finding
from linter.model.rule import Rule
from linter.model.span import Span

# The pragma patterns are used through ``re``'s own cache, compiled the first time a comment
# is read: most files have none, and each compiled pattern would cost every run start-up time.
# ``# dlint: ignore``, ``# dlint: ignore=A,b -- reason``, ``# dlint: ignore -- reason``.
_DLINT = r"(?i)#\s*dlint:\s*(ignore-file|ignore)(?![\w-])\s*(?:=\s*([^-]*(?:-(?!-)[^-]*)*))?(?:--(.*))?$"
_HADOLINT = r"#\s*hadolint\s+(global\s+)?ignore\s*=\s*([A-Za-z0-9, ]+)"
# checkov's own pattern (checkov/common/comment/enum.py), searched anywhere in the comment.
_CHECKOV = r"(?:checkov|bridgecrew|cortex):skip= *([A-Za-z_\d-]+(?:,[A-Za-z_\d-]+)*)?"
_TRIVY_ID = r"(?i)(?:AVD-)?DS-?0*(\d{1,4})$"
# Selectors in `x-dlint-ignore` and the `dlint.io/ignore` annotation: commas or spaces between.
_KEY_SELECTORS = r"[^\s,]+"
ALL = "*"
DLINT_REASON = "add ` -- why` after the rules it names"
CHECKOV_REASON = "add `:why` after the check ID"


class Entry:
    """One rule (or, with ``*``, every rule) named by a suppression.

    ``selectors`` are lower-case codes and names (a foreign code stands for the dlint codes
    it maps to); ``lines`` is the (first, last) line range it covers, or None for the whole
    file; ``span`` and ``label`` say where it is written and how to name it in a message;
    ``foreign`` is true for another tool's pragma (hadolint, checkov, trivy).
    """

    __slots__ = ("selectors", "label", "span", "lines", "foreign", "used")

    def __init__(self, selectors: set[str], label: str, span: Span, lines: tuple[int, int] | None,
                 foreign: bool = False) -> None:
        self.selectors = selectors
        self.label = label
        self.span = span
        self.lines = lines
        self.foreign = foreign
        self.used = False

    def matches(self, finding: Finding) -> bool:
        return ALL in self.selectors or finding.code.lower() in self.selectors or finding.name in self.selectors


class Suppressions:
    """Which findings the file's own comments (and, for YAML, its ignore keys) silence, which
    of them silenced something, and which give no reason (``unexplained``: span, advice)."""

    def __init__(self, entries: list[Entry], unexplained: list[tuple[Span, str]]) -> None:
        self.entries = entries
        self.unexplained = unexplained
        self._file_wide = [entry for entry in entries if entry.lines is None]
        self._ranges = sorted((entry for entry in entries if entry.lines is not None), key=lambda e: e.lines[0])
        self._starts = [entry.lines[0] for entry in self._ranges]

    @classmethod
    def for_dockerfile(cls, dockerfile: Dockerfile, rules: list[Rule]) -> Suppressions:
        """Pragmas apply to the whole instruction after them, heredoc bodies included."""
        foreign = _Foreign(rules)
        entries: list[Entry] = []
        unexplained: list[tuple[Span, str]] = []
        starts = [instruction.span.line for instruction in dockerfile.instructions]
        for comment in dockerfile.comments:
            pragma = _parse(comment.text, foreign)
            if pragma is None:
                continue
            scope, named, advice, foreign_pragma = pragma
            lines = None
            if scope == "next":
                position = bisect.bisect_right(starts, comment.span.line)
                target = dockerfile.instructions[position].span if position < len(starts) else None
                # A pragma with nothing after it covers no line, so whatever it names is unused.
                lines = (target.line, target.end_line) if target else (comment.span.line + 1, comment.span.line)
            entries += _entries(named, comment.span, comment.text, lines, foreign_pragma)
            if advice:
                unexplained.append((comment.span, advice))
        return cls(entries, unexplained)

    @classmethod
    def for_yaml(cls, path: str, sources: Mapping[str, list[str]], ignore_keys: Sequence[tuple]) -> Suppressions:
        """In the file at ``path``, a comment on a line of its own applies to the next line
        with content; a comment after a value applies to its own line. ``sources`` holds the
        lines of that file and of every file an ignore key's value comes from (a Compose
        override file). ``ignore_keys`` are (first line, last line, YNode): the lines of a
        Compose service or Kubernetes object, and the value of its ``x-dlint-ignore`` or
        ``dlint.io/ignore``."""
        entries: list[Entry] = []
        unexplained: list[tuple[Span, str]] = []
        lines = sources[path]
        for number, line in enumerate(lines, 1):
            position = line.find("#")
            if position < 0 or "dlint" not in line:
                continue
            text = line[position:].rstrip()
            pragma = _parse(text, None)
            if pragma is None:
                continue
            scope, named, advice, _ = pragma
            covered = None
            if scope == "next":
                target = number if line[:position].strip() else _next_content_line(lines, number)
                covered = (target, target)
            span = Span(path, number, position + 1, number, position + len(text) + 1)
            entries += _entries(named, span, text, covered)
            if advice:
                unexplained.append((span, advice))
        for first, last, value in ignore_keys:
            _key_entries(value, (first, last), sources, entries, unexplained)
        return cls(entries, unexplained)

    def suppresses(self, finding: Finding) -> bool:
        """Whether a suppression silences ``finding``; every one that does counts as used."""
        line = finding.span.line
        silenced = False
        for entry in self._file_wide + self._ranges[: bisect.bisect_right(self._starts, line)]:
            if (entry.lines is None or line <= entry.lines[1]) and entry.matches(finding):
                entry.used = True
                silenced = True
        return silenced

    def unused(self, ran: set[str]) -> list[tuple[Span, str]]:
        """(span, label) of each of dlint's own selectors that silenced nothing although a
        rule it names ran (``ran`` holds lower-case codes and names). Selectors for rules that
        did not run may matter under another configuration, so they are not reported; a
        selector copied into several places (a YAML anchor, ``extends``) is used when any
        copy is. Another tool's pragma is its own to judge: dlint's equivalents are not exact
        (dlint reads an ``ARG`` default that hadolint does not), so one that silences nothing
        here may still be needed there."""
        used = {entry.span for entry in self.entries if entry.used}
        found: dict[Span, str] = {}
        for entry in self.entries:
            if entry.foreign:
                continue
            if entry.span not in used and (ALL in entry.selectors or entry.selectors & ran):
                found.setdefault(entry.span, entry.label)
        return list(found.items())


def _next_content_line(lines: list[str], number: int) -> int:
    for following in range(number, len(lines)):
        stripped = lines[following].strip()
        if stripped and not stripped.startswith("#"):
            return following + 1
    return number


def _entries(named: list[tuple[set[str], str, int, int]], span: Span, text: str,
             lines: tuple[int, int] | None, foreign: bool = False) -> list[Entry]:
    """Entries for the selectors of a comment: each spans its own characters; one that is
    the whole comment (a bare ``ignore``) spans the comment's text."""
    entries = []
    for selectors, label, start, end in named:
        where = Span(span.path, span.line, span.column + start, span.line, span.column + (end or len(text)))
        entries.append(Entry(selectors, label, where, lines, foreign))
    return entries


def _key_entries(value, lines: tuple[int, int], sources: Mapping[str, list[str]], entries: list[Entry],
                 unexplained: list[tuple[Span, str]]) -> None:
    """The selectors of an ignore key's value: a list of strings or one string, each
    ``SELECTOR[, SELECTOR…][ -- reason]``."""
    for item in value.value if value.is_seq else [value]:
        text = item.text()
        if not text:
            continue
        named, _, reason = text.partition("--")
        written = _written(item.span, sources)
        searched = 0
        for word in re.findall(_KEY_SELECTORS, named):
            span = item.span
            found = re.compile(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])").search(written or "", searched)
            if found:
                searched = found.end()
                span = Span(span.path, span.line, span.column + found.start(), span.line, span.column + found.end())
            entries.append(Entry({word.lower()}, f"`{word}`", span, lines))
        if not reason.strip():
            unexplained.append((item.span, DLINT_REASON))


def _written(span: Span, sources: Mapping[str, list[str]]) -> str | None:
    """A one-line value as it is written (quotes included), to find each selector's column."""
    lines = sources.get(span.path)
    if lines is None or span.line != span.end_line or span.line > len(lines):
        return None
    return lines[span.line - 1][span.column - 1: span.end_column - 1]


class _Foreign:
    """Which dlint codes each hadolint, checkov and trivy code maps to (from ``equivalents``);
    built only when a comment looks like a foreign pragma."""

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules
        self._maps: dict[str, dict[str, set[str]]] | None = None

    def codes(self, tool: str, foreign: str) -> set[str]:
        if self._maps is None:
            self._maps = {"hadolint": {}, "checkov": {}, "trivy": {}}
            for rule in self.rules:
                for name, mapping in self._maps.items():
                    declared = rule.equivalents.get(name)
                    for code in declared if isinstance(declared, list) else [declared] if declared else []:
                        key = _trivy_key(code) if name == "trivy" else code.upper()
                        mapping.setdefault(key or code, set()).add(rule.code.lower())
                        if name == "trivy":
                            mapping.setdefault(ALL, set()).add(rule.code.lower())
        return self._maps[tool].get(foreign, set())


def _trivy_key(code: str) -> str | None:
    """``DS-0029``, ``DS0029``, ``ds029``, ``AVD-DS-0029`` → ``DS-0029``; ``*`` stays."""
    if code == ALL:
        return ALL
    match = re.match(_TRIVY_ID, code.strip())
    return f"DS-{int(match.group(1)):04d}" if match else None


def _trivy(text: str, foreign: _Foreign, today=None) -> list | None:
    """The selectors of the ``trivy:ignore:ID[:exp:DATE]`` words of a comment (trivy's own
    parsing: space-separated words, leading ``#`` trimmed, ``key:value`` sections), or None
    when it has none."""
    found: list | None = None
    for word in re.finditer(r"\S+", text):
        part = word.group(0).lstrip("#/*")
        if not part.startswith(("trivy:", "tfsec:")):
            continue
        pieces = part.split(":")
        sections = dict(zip(pieces[1::2], pieces[2::2]))
        if "ignore" not in sections:
            continue
        found = found if found is not None else []
        expiry = sections.get("exp")
        if expiry is not None and not _before(today, expiry):
            continue  # expired (or an unreadable date): trivy reports the finding again
        written = sections["ignore"].split("[", 1)[0]
        key = _trivy_key(written)
        codes = foreign.codes("trivy", key) if key is not None else set()
        if codes:
            # The value of the last `ignore` section, as dict() keeps it.
            index = max(i for i in range(1, len(pieces) - 1, 2) if pieces[i] == "ignore") + 1
            start = word.end() - len(part) + sum(len(piece) + 1 for piece in pieces[:index])
            found.append((codes, f"trivy `{written}`", start, start + len(written)))
    return found


def _before(today, expiry: str) -> bool:
    """True while ``today`` (a ``datetime.date``, by default the current one) is before ``expiry``."""
    import datetime  # only for a comment with an expiry date

    try:
        limit = datetime.date.fromisoformat(expiry)
    except ValueError:
        return False
    return (today or datetime.date.today()) < limit


def _listed(text: str, start: int, end: int) -> list[tuple[str, int]]:
    """The comma-separated words of ``text[start:end]`` with their offsets (``#`` ends the list)."""
    words = []
    offset = start
    for part in text[start:end].split("#", 1)[0].split(","):
        word = part.strip()
        if word:
            words.append((word, offset + part.index(word)))
        offset += len(part) + 1
    return words


def _parse(text: str, foreign: _Foreign | None) -> tuple[str, list, str | None, bool] | None:
    """A pragma's scope (``file`` or ``next``), what it names — (selectors, label, start,
    end) with offsets into ``text``, end None for the whole comment — the advice to give
    when it lacks a reason its syntax allows (None when it has one or cannot have one), and
    whether it is another tool's. None when ``text`` is no pragma."""
    match = re.match(_DLINT, text)
    if match:
        scope = "file" if match.group(1).lower() == "ignore-file" else "next"
        advice = None if (match.group(3) or "").strip() else DLINT_REASON
        if not match.group(2):
            return scope, [({ALL}, f"`dlint: {match.group(1).lower()}`", 0, None)], advice, False
        named = [({word.lower()}, f"`{word}`", offset, offset + len(word))
                 for word, offset in _listed(text, match.start(2), match.end(2))]
        return scope, named, advice, False
    if foreign is None:
        return None
    match = re.match(_HADOLINT, text)
    if match:
        named = [(codes, f"hadolint `{code}`", offset, offset + len(code))
                 for code, offset in _listed(text, match.start(2), match.end(2))
                 for codes in [foreign.codes("hadolint", code.upper())] if codes]
        return ("file" if match.group(1) else "next"), named, None, True
    if ":skip=" in text:
        match = re.search(_CHECKOV, text)
        if match:
            listed = _listed(text, match.start(1), match.end(1)) if match.group(1) else []
            named = [(codes, f"checkov `{code}`", offset, offset + len(code)) for code, offset in listed
                     for codes in [foreign.codes("checkov", code.upper())] if codes]
            has_reason = text[match.end():].startswith(":") and text[match.end() + 1:].strip()
            return "file", named, None if has_reason or not named else CHECKOV_REASON, True
    if "ignore:" in text:
        trivy = _trivy(text, foreign)
        if trivy is not None:
            return "next", trivy, None, True
    return None
