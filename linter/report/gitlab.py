"""GitLab Code Quality report (``artifacts: reports: codequality``): a JSON array of issues,
which GitLab shows in the merge request widget and, on tiers that have it, in the diff.

Severities: error → ``critical``, warning → ``major``, info → ``info``. ``blocker`` and
``minor`` are not used: whether a finding blocks a merge is decided by ``--fail-on`` and the
exit code, not by the report. The fingerprint is the one SARIF output carries (stable when
lines move, distinct for repeated findings), because GitLab shows one issue per fingerprint.
"""
from __future__ import annotations

from linter.model.finding import Finding
from linter.model.rule import Rule
from linter.report.sarif import artifact_path, fingerprints

SEVERITIES = {"error": "critical", "warning": "major", "info": "info"}


def render(results: list[FileResult], catalog: list[Rule], version: str) -> str:
    import json

    findings = [finding for result in results for finding in result.findings]
    issues = [_issue(finding, fingerprint) for finding, fingerprint in zip(findings, fingerprints(results))]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


def _issue(finding: Finding, fingerprint: str) -> dict:
    span = finding.span
    return {
        # The widget shows only the description, so it names the rule for `dlint explain`.
        "description": f"{finding.code} {finding.name}: {finding.message}",
        "check_name": finding.code,
        "fingerprint": fingerprint,
        "severity": SEVERITIES[finding.severity],
        "location": {"path": artifact_path(span.path), "lines": {"begin": span.line, "end": span.end_line}},
    }
