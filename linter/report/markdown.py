"""A Markdown summary to post as a pull or merge request comment: a headline with the counts
by severity and a table of findings, the most severe first, cut at :data:`MAX_ROWS` rows
so the comment stays readable (and far below the hosts' comment size limits).

Messages keep their inline code; everything else that Markdown or HTML would interpret is
escaped, so a message quoting a file cannot break the table or inject markup.
"""
from __future__ import annotations

import re

from linter.model.finding import SEVERITIES, Finding, severity_rank
from linter.model.rule import Rule
from linter.report.sarif import artifact_path

MAX_ROWS = 50
_SPECIAL = "\\`*_[]<>&|~"


def render(results: list[FileResult], catalog: list[Rule], version: str) -> str:
    findings = [finding for result in results for finding in result.findings]
    files = f"{len(results)} file{'s' if len(results) != 1 else ''}"
    footer = f"<sub>dlint {_plain(version)}</sub>\n"
    if not findings:
        return f"### dlint: no findings in {files}\n\n{footer}"
    # Stable sort: within a severity, the order the files and lines were reported in.
    ordered = sorted(findings, key=lambda finding: -severity_rank(finding.severity))
    lines = [
        f"### dlint: {_count(len(findings), 'finding')} in {files}",
        "",
        ", ".join(_severity_count(findings, severity) for severity in SEVERITIES
                  if any(finding.severity == severity for finding in findings)),
        "",
        "| Location | Rule | Severity | Message |",
        "|---|---|---|---|",
    ]
    lines += [_row(finding) for finding in ordered[:MAX_ROWS]]
    if len(ordered) > MAX_ROWS:
        lines += ["", f"…and {_count(len(ordered) - MAX_ROWS, 'more finding')}."]
    return "\n".join(lines) + "\n\n" + footer


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


def _severity_count(findings: list[Finding], severity: str) -> str:
    number = sum(1 for finding in findings if finding.severity == severity)
    # "info" is a mass noun: 3 info, not 3 infos.
    text = f"{number} {severity}" if severity == "info" else _count(number, severity)
    return f"**{text}**" if severity == "error" else text


def _row(finding: Finding) -> str:
    span = finding.span
    location = _code(f"{artifact_path(span.path)}:{span.line}")
    return f"| {location} | {_plain(finding.code)} {_code(finding.name)} | {finding.severity} | " \
           f"{_message(finding.message)} |"


def _message(text: str) -> str:
    """Inline code (between backticks) stays code; the text around it is escaped. Without
    balanced backticks the whole message is plain text."""
    text = " ".join(text.split())  # a table row is one line
    parts = text.split("`")
    if len(parts) % 2 == 0:
        return _plain(text)
    return "".join(_plain(part) if i % 2 == 0 else _code(part) for i, part in enumerate(parts))


def _plain(text: str) -> str:
    return "".join("\\" + character if character in _SPECIAL else character for character in text)


def _code(text: str) -> str:
    """``text`` as inline code: a fence longer than any backtick run inside, and ``|``
    escaped, which GitHub's tables read even inside code."""
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    escaped = text.replace("|", "\\|")
    return f"{fence}{padding}{escaped}{padding}{fence}"
