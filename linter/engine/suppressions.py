"""Inline suppressions: ``# dlint: ignore=…``, ``# dlint: ignore-file[=…]`` and hadolint's pragmas.

In a Dockerfile ``ignore=`` applies to the instruction right after the comment (every line
of it, heredoc bodies included); in YAML to the next line, or to its own line when it
follows a value. Codes and names both work; text after `` -- `` is the reason and is
ignored. ``# hadolint ignore=DL3008`` and ``# hadolint global ignore=…`` are honoured for
rules that declare that hadolint code, so a team can switch without editing files.
"""
from __future__ import annotations

import bisect
import re

from linter.model.dockerfile import Dockerfile
from linter.model.finding import Finding
from linter.model.rule import Rule

# ``# dlint: ignore``, ``# dlint: ignore=A,b -- reason``, ``# dlint: ignore -- reason``.
_DLINT = re.compile(r"#\s*dlint:\s*(ignore-file|ignore)(?![\w-])\s*(?:=\s*([^-]*(?:-(?!-)[^-]*)*))?(?:--.*)?$",
                    re.IGNORECASE)
_HADOLINT = re.compile(r"#\s*hadolint\s+(global\s+)?ignore\s*=\s*([A-Za-z0-9, ]+)")
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
        hadolint_names: dict[str, set[str]] = {}
        for rule in rules:
            code = rule.equivalents.get("hadolint")
            for hadolint_code in code if isinstance(code, list) else [code] if code else []:
                hadolint_names.setdefault(hadolint_code, set()).add(rule.code)
        file_wide: set[str] = set()
        ranges = []
        starts = [instruction.span.line for instruction in dockerfile.instructions]
        for comment in dockerfile.comments:
            scope, selectors = _parse(comment.text, hadolint_names)
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
            scope, selectors = _parse(line[position:].strip(), {})
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


def _parse(text: str, hadolint_names: dict[str, set[str]]) -> tuple[str | None, set[str]]:
    match = _DLINT.match(text)
    if match:
        return ("file" if match.group(1).lower() == "ignore-file" else "next"), _selectors(match.group(2))
    match = _HADOLINT.match(text)
    if match:
        codes = {code.strip() for code in match.group(2).split(",")}
        mapped = {code.lower() for hadolint in codes for code in hadolint_names.get(hadolint, ())}
        return ("file" if match.group(1) else "next"), mapped
    return None, set()


def _hits(selectors: set[str], finding: Finding) -> bool:
    return bool(selectors) and (ALL in selectors or finding.code.lower() in selectors or finding.name in selectors)
