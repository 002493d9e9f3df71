"""Inline suppressions: ``# dlint: ignore=…``, ``# dlint: ignore-file[=…]`` and hadolint's pragmas.

``ignore=`` applies to the instruction right after the comment (every line of it, heredoc
bodies included). Codes and names both work; text after `` -- `` is the reason and is
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
    def __init__(self, dockerfile: Dockerfile, rules: list[Rule]) -> None:
        self.file_wide: set[str] = set()
        by_start: dict[int, tuple[int, set[str]]] = {}
        hadolint_names = {}
        for rule in rules:
            code = rule.equivalents.get("hadolint")
            for hadolint_code in code if isinstance(code, list) else [code] if code else []:
                hadolint_names.setdefault(hadolint_code, set()).add(rule.code)
        starts = [instruction.span.line for instruction in dockerfile.instructions]
        for comment in dockerfile.comments:
            scope, selectors = self._parse(comment.text, hadolint_names)
            if scope == "file":
                self.file_wide |= selectors
            elif scope == "next":
                position = bisect.bisect_right(starts, comment.span.line)
                if position < len(starts):
                    target = dockerfile.instructions[position].span
                    _, known = by_start.get(target.line, (target.end_line, set()))
                    by_start[target.line] = (target.end_line, known | selectors)
        self._starts = sorted(by_start)
        self._ranges = [by_start[start] for start in self._starts]

    @staticmethod
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

    def suppresses(self, finding: Finding) -> bool:
        if _hits(self.file_wide, finding):
            return True
        line = finding.span.line
        position = bisect.bisect_right(self._starts, line) - 1
        if position < 0:
            return False
        end, selectors = self._ranges[position]
        return line <= end and _hits(selectors, finding)


def _hits(selectors: set[str], finding: Finding) -> bool:
    return bool(selectors) and (ALL in selectors or finding.code.lower() in selectors or finding.name in selectors)
