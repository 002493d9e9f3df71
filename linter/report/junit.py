"""JUnit XML, for CI systems that show test reports (GitLab's test report tab, Jenkins, Azure
Pipelines, and GitHub actions that turn test reports into annotations).

One ``<testsuite>`` a checked file, and in it one failing ``<testcase>`` a finding — type the
rule code, message the finding's message, body the headline and source lines. A file with
no findings holds one passing test case, ``no findings``. One test case a finding, rather
than one a file with several ``<failure>`` elements, because these tools show a single
failure a test case: each finding gets its own row, message and, where the tool reads the
``file`` and ``line`` attributes, its own annotation. Every finding is a failure whatever its
severity (which the body states); the exit code, not the report, applies ``--fail-on``.
"""
from __future__ import annotations

from linter.model.finding import Finding
from linter.model.rule import Rule
from linter.report.checkstyle import xml_safe
from linter.report.sarif import artifact_path
from linter.report.text import frame, headline

PASSING = "no findings"


def render(results: list[FileResult], catalog: list[Rule], version: str) -> str:
    import xml.etree.ElementTree as ET

    failures = sum(len(result.findings) for result in results)
    tests = sum(len(result.findings) or 1 for result in results)
    root = ET.Element("testsuites", name="dlint", tests=str(tests), failures=str(failures), errors="0")
    for result in results:
        path = artifact_path(result.path)
        suite = ET.SubElement(root, "testsuite", name=xml_safe(path), tests=str(len(result.findings) or 1),
                              failures=str(len(result.findings)), errors="0", skipped="0")
        if not result.findings:
            ET.SubElement(suite, "testcase", name=PASSING, classname=xml_safe(path), file=xml_safe(path))
        for finding in result.findings:
            lines = result.sources.get(finding.span.path, [])
            case = ET.SubElement(suite, "testcase", name=xml_safe(_case_name(finding, path)),
                                 classname=xml_safe(path), file=xml_safe(artifact_path(finding.span.path)),
                                 line=str(finding.span.line))
            failure = ET.SubElement(case, "failure", type=finding.code, message=xml_safe(finding.message))
            failure.text = xml_safe("\n".join([headline(finding), *frame(finding.span, lines)]) + "\n")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _case_name(finding: Finding, suite_path: str) -> str:
    """``DF501 base-image-unpinned at 1:6``; the path is added when the finding points into
    another file than the suite's (a Compose override file)."""
    span = finding.span
    path = artifact_path(span.path)
    where = f"{span.line}:{span.column}" if path == suite_path else f"{path}:{span.line}:{span.column}"
    return f"{finding.code} {finding.name} at {where}"
