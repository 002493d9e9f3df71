"""GitHub Actions annotations: one workflow command a finding, which the runner turns into an
annotation on the file and line in the pull request's diff.

``::error file=PATH,line=L,col=C,endLine=EL,endColumn=EC,title=CODE name::message`` —
``error`` for errors, ``warning`` for warnings, ``notice`` for info. GitHub accepts columns only
on a single-line annotation, so a finding over several lines gives lines alone. GitHub shows
only a limited number of annotations a step; upload SARIF for the complete list.
"""
from __future__ import annotations

from linter.model.finding import Finding
from linter.model.rule import Rule
from linter.report.sarif import artifact_path

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def render(results: list[FileResult], catalog: list[Rule], version: str) -> str:
    return "".join(annotation(finding) + "\n" for result in results for finding in result.findings)


def annotation(finding: Finding) -> str:
    span = finding.span
    properties = [("file", artifact_path(span.path)), ("line", span.line)]
    if span.end_line == span.line:
        properties += [("col", span.column), ("endLine", span.end_line),
                       ("endColumn", span.end_column)]
    else:
        properties.append(("endLine", span.end_line))
    properties.append(("title", f"{finding.code} {finding.name}"))
    listed = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties)
    return f"::{COMMANDS[finding.severity]} {listed}::{escape_data(finding.message)}"


def escape_data(text: str) -> str:
    """The runner reads ``%XX`` back: ``%`` first, so the escapes themselves are not re-read."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value also ends at ``,`` and the message starts after ``::``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
