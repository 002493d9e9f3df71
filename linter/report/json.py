"""JSON output, following ``schemas/findings.schema.json``."""
from __future__ import annotations

import json
from collections.abc import Sequence

from linter.model.finding import SEVERITIES, Finding


def finding_data(finding: Finding) -> dict:
    span = finding.span
    return {
        "code": finding.code, "name": finding.name, "severity": finding.severity, "message": finding.message,
        "path": span.path, "line": span.line, "column": span.column,
        "end_line": span.end_line, "end_column": span.end_column,
    }


def render(findings: Sequence[Finding], files: int, version: str) -> str:
    document = {
        "tool": "dlint",
        "version": version,
        "summary": {
            "files": files,
            "findings": len(findings),
            "by_severity": {severity: sum(1 for f in findings if f.severity == severity) for severity in SEVERITIES},
        },
        "findings": [finding_data(finding) for finding in findings],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
