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
"""
from __future__ import annotations

import bisect
import datetime
import re

from linter.model.dockerfile import Dockerfile
from linter.model.finding import Finding
from linter.model.rule import Rule

# ``# dlint: ignore``, ``# dlint: ignore=A,b -- reason``, ``# dlint: ignore -- reason``.
_DLINT = re.compile(r"#\s*dlint:\s*(ignore-file|ignore)(?![\w-])\s*(?:=\s*([^-]*(?:-(?!-)[^-]*)*))?(?:--.*)?$",
                    re.IGNORECASE)
_HADOLINT = re.compile(r"#\s*hadolint\s+(global\s+)?ignore\s*=\s*([A-Za-z0-9, ]+)")
# checkov's own pattern (checkov/common/comment/enum.py), searched anywhere in the comment.
_CHECKOV = re.compile(r"(?:checkov|bridgecrew|cortex):skip= *([A-Za-z_\d-]+(?:,[A-Za-z_\d-]+)*)?")
_TRIVY_ID = re.compile(r"(?:AVD-)?DS-?0*(\d{1,4})$", re.IGNORECASE)
ALL = "*"


def _selectors(text: str | None) -> set[str]:
    if not text:
        return {ALL}
    text = text.split("#", 1)[0]
    return {part.strip().lower() for part in text.split(",") if part.strip()}


class Suppressions:
    """Which findings the file's own comments (and, for YAML, its ignore keys) silence.

    ``ranges`` are (first line, last line, selectors): an instruction after a pragma, a YAML
    line after a comment, or a whole Compose service / Kubernetes object that lists ignores.
    """

    def __init__(self, file_wide: set[str], ranges: list[tuple[int, int, set[str]]]) -> None:
        self.file_wide = file_wide
        self.ranges = sorted(ranges, key=lambda item: item[0])
        self._starts = [start for start, _, _ in self.ranges]

    @classmethod
    def for_dockerfile(cls, dockerfile: Dockerfile, rules: list[Rule]) -> Suppressions:
        """Pragmas apply to the whole instruction after them, heredoc bodies included."""
        foreign = _Foreign(rules)
        file_wide: set[str] = set()
        ranges = []
        starts = [instruction.span.line for instruction in dockerfile.instructions]
        for comment in dockerfile.comments:
            scope, selectors = _parse(comment.text, foreign)
            if scope == "file":
                file_wide |= selectors
            elif scope == "next":
                position = bisect.bisect_right(starts, comment.span.line)
                if position < len(starts):
                    target = dockerfile.instructions[position].span
                    ranges.append((target.line, target.end_line, selectors))
        return cls(file_wide, ranges)

    @classmethod
    def for_yaml(cls, lines: list[str], ignored_nodes: list[tuple[int, int, set[str]]]) -> Suppressions:
        """A comment on a line of its own applies to the next line with content; a comment
        after a value applies to its own line."""
        file_wide: set[str] = set()
        ranges = list(ignored_nodes)
        for number, line in enumerate(lines, 1):
            position = line.find("#")
            if position < 0 or "dlint" not in line:
                continue
            scope, selectors = _parse(line[position:].strip(), None)
            if scope == "file":
                file_wide |= selectors
            elif scope == "next":
                target = number if line[:position].strip() else _next_content_line(lines, number)
                ranges.append((target, target, selectors))
        return cls(file_wide, ranges)

    def suppresses(self, finding: Finding) -> bool:
        if _hits(self.file_wide, finding):
            return True
        line = finding.span.line
        for start, end, selectors in self.ranges[: bisect.bisect_right(self._starts, line)]:
            if line <= end and _hits(selectors, finding):
                return True
        return False


def _next_content_line(lines: list[str], number: int) -> int:
    for following in range(number, len(lines)):
        stripped = lines[following].strip()
        if stripped and not stripped.startswith("#"):
            return following + 1
    return number


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
    match = _TRIVY_ID.match(code.strip())
    return f"DS-{int(match.group(1)):04d}" if match else None


def _trivy(text: str, foreign: _Foreign, today: datetime.date | None = None) -> set[str] | None:
    """Codes silenced by the ``trivy:ignore:ID[:exp:DATE]`` words of a comment (trivy's own
    parsing: space-separated words, leading ``#`` trimmed, ``key:value`` sections), or None."""
    found: set[str] | None = None
    for part in text.split():
        part = part.lstrip("#/*")
        if not part.startswith(("trivy:", "tfsec:")):
            continue
        segments = part.split(":")[1:]
        sections = dict(zip(segments[::2], segments[1::2]))
        if "ignore" not in sections:
            continue
        found = found if found is not None else set()
        expiry = sections.get("exp")
        if expiry is not None and not _before(today, expiry):
            continue  # expired (or an unreadable date): trivy reports the finding again
        key = _trivy_key(sections["ignore"].split("[", 1)[0])
        if key is not None:
            found |= foreign.codes("trivy", key)
    return found


def _before(today: datetime.date | None, expiry: str) -> bool:
    try:
        limit = datetime.date.fromisoformat(expiry)
    except ValueError:
        return False
    return (today or datetime.date.today()) < limit


def _parse(text: str, foreign: _Foreign | None) -> tuple[str | None, set[str]]:
    match = _DLINT.match(text)
    if match:
        return ("file" if match.group(1).lower() == "ignore-file" else "next"), _selectors(match.group(2))
    if foreign is None:
        return None, set()
    match = _HADOLINT.match(text)
    if match:
        codes = {code.strip().upper() for code in match.group(2).split(",")}
        mapped = {code for hadolint in codes for code in foreign.codes("hadolint", hadolint)}
        return ("file" if match.group(1) else "next"), mapped
    if ":skip=" in text:
        match = _CHECKOV.search(text)
        if match:
            codes = {code.strip().upper() for code in (match.group(1) or "").split(",") if code.strip()}
            return "file", {code for checkov in codes for code in foreign.codes("checkov", checkov)}
    if "ignore:" in text:
        trivy = _trivy(text, foreign)
        if trivy is not None:
            return "next", trivy
    return None, set()


def _hits(selectors: set[str], finding: Finding) -> bool:
    return bool(selectors) and (ALL in selectors or finding.code.lower() in selectors or finding.name in selectors)
