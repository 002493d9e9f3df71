"""Checkstyle XML, the format Jenkins (warnings-ng), reviewdog and many other CI plugins
read: a ``<file>`` for every file checked, clean ones included, and an ``<error>`` a finding
with its line, column, severity (error, warning, info — Checkstyle's own names), message and
the rule code as ``source``.
"""
from __future__ import annotations

from itertools import chain

from linter.model.finding import Finding
from linter.model.rule import Rule
from linter.report.sarif import artifact_path

# Characters XML 1.0 cannot carry, even escaped: control characters other than tab and new
# lines, lone surrogates, U+FFFE and U+FFFF. (A table, not a regular expression: compiling
# one with these ranges costs more than a whole report.)
_NOT_XML = dict.fromkeys(chain(range(0x09), (0x0B, 0x0C), range(0x0E, 0x20), range(0xD800, 0xE000), (0xFFFE, 0xFFFF)),
                         0xFFFD)


def xml_safe(text: str) -> str:
    """``text`` with the characters XML cannot hold replaced by U+FFFD, so the document
    always parses (the escaping of ``<``, ``&`` and quotes is ElementTree's)."""
    return text.translate(_NOT_XML)


def render(results: list[FileResult], catalog: list[Rule], version: str) -> str:
    import xml.etree.ElementTree as ET

    root = ET.Element("checkstyle", version="4.3")
    for path, findings in _by_file(results).items():
        element = ET.SubElement(root, "file", name=xml_safe(path))
        for finding in findings:
            span = finding.span
            ET.SubElement(element, "error", line=str(span.line), column=str(span.column), severity=finding.severity,
                          message=xml_safe(finding.message), source=finding.code)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _by_file(results: list[FileResult]) -> dict[str, list[Finding]]:
    """Findings under the file they point into, files in order of first mention: every
    checked file, and the override files a Compose file's findings may point into."""
    files: dict[str, list[Finding]] = {}
    for result in results:
        files.setdefault(artifact_path(result.path), [])
        for finding in result.findings:
            files.setdefault(artifact_path(finding.span.path), []).append(finding)
    return files
