"""SARIF 2.1.0 output, shaped for GitHub code scanning and readable by any SARIF viewer.

One run; ``tool.driver.rules`` holds the catalogue entries of the rules that fired, in code
order, with their documentation as help text. Each result carries its region, a
``partialFingerprints.primaryLocationLineHash`` that survives lines moving (see
:func:`fingerprints`), and, when the rule has a safe fix, that fix as SARIF replacements.

GitHub rejects a run of more than 25,000 results (and shows only the 5,000 most severe), so a
larger run keeps the most severe 25,000 and says in ``invocations`` how many were left out.

Columns: ours count code points; SARIF's default unit, which most viewers assume, is the
UTF-16 code unit, so columns are converted with the source lines and the run declares
``columnKind``. ``endColumn`` is exclusive in both.

``results`` are the engine's ``FileResult`` values (``path``, ``findings``, ``sources``);
the report package depends only on the model, so the class is not imported here.
"""
from __future__ import annotations

import posixpath

from linter.model.finding import Finding, severity_rank
from linter.model.rule import Rule
from linter.model.span import Span

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/dlint-dev/dlint"
MAX_RESULTS = 25_000
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
# GitHub ranks alerts of rules tagged `security` by this score: 7.0–8.9 high, 4.0–6.9
# medium, 0.1–3.9 low.
SECURITY_SEVERITY = {"error": "8.0", "warning": "5.5", "info": "2.0"}
# A finding may span a whole service or object; its first lines identify it well enough, and
# hashing a bounded amount keeps fingerprinting linear in the number of findings.
FINGERPRINT_LINES = 8

_HELP_SECTIONS = (
    ("what_it_does", "What it does"),
    ("why_is_this_bad", "Why is this bad?"),
    ("known_problems", "Known problems"),
    ("options", "Options"),
    ("fix_safety", "Fix safety"),
)


def render(results: list[FileResult], catalog: list[Rule], version: str) -> str:
    import json

    findings = [finding for result in results for finding in result.findings]
    sources = [result.sources.get(finding.span.path, []) for result in results for finding in result.findings]
    prints = fingerprints(results)
    kept = _most_severe(findings)
    by_code = {rule.code: rule for rule in catalog}
    descriptors, index = _rules([findings[i] for i in kept], by_code)
    run = {
        "tool": {"driver": {"name": "dlint", "version": version, "informationUri": INFORMATION_URI,
                            "rules": descriptors}},
        "columnKind": "utf16CodeUnits",
        "results": [_result(findings[i], sources[i], prints[i], index, by_code.get(findings[i].code)) for i in kept],
    }
    if len(kept) < len(findings):
        run["invocations"] = [_truncation_notice(len(findings) - len(kept), len(findings))]
    document = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def artifact_path(path: str) -> str:
    """The path with ``/`` separators and without ``./`` or ``..`` detours, so CI systems match
    it against the repository's files (``./Dockerfile`` is ``Dockerfile``)."""
    return posixpath.normpath(path.replace("\\", "/"))


def fingerprints(results: list[FileResult]) -> list[str]:
    """One stable identity per finding, in output order: a hash of the rule code, the path,
    the text of the finding's lines with whitespace collapsed, and how many findings with
    the same code, path and text came before it. Lines moving, indentation and line endings
    do not change it; two identical lines stay apart."""
    import hashlib

    seen: dict[str, int] = {}
    found = []
    for result in results:
        for finding in result.findings:
            span = finding.span
            lines = result.sources.get(span.path, [])
            last = min(span.end_line, span.line + FINGERPRINT_LINES - 1)
            text = " ".join(" ".join(lines[span.line - 1:last]).split())
            key = "\0".join((finding.code, artifact_path(span.path), text))
            occurrence = seen.get(key, 0)
            seen[key] = occurrence + 1
            found.append(hashlib.sha256(f"{key}\0{occurrence}".encode()).hexdigest()[:32])
    return found


def _most_severe(findings: list[Finding]) -> list[int]:
    """The indices to report, in output order: all of them, or the most severe MAX_RESULTS."""
    if len(findings) <= MAX_RESULTS:
        return list(range(len(findings)))
    ranked = sorted(range(len(findings)), key=lambda i: -severity_rank(findings[i].severity))
    return sorted(ranked[:MAX_RESULTS])


def _truncation_notice(left_out: int, total: int) -> dict:
    text = (f"{left_out} of {total} results were left out, the least severe first: GitHub code scanning "
            f"rejects a run of more than {MAX_RESULTS}. Narrow the rule selection to see them.")
    return {"executionSuccessful": True,
            "toolExecutionNotifications": [{"level": "warning", "message": {"text": text}}]}


# -- rules ------------------------------------------------------------------------------------


def _rules(findings: list[Finding], by_code: dict[str, Rule]) -> tuple[list[dict], dict[str, int]]:
    """The descriptors of the rules that fired, in code order, and each code's index."""
    first = {}
    for finding in findings:
        first.setdefault(finding.code, finding)
    codes = sorted(first)
    descriptors = [_descriptor(by_code[code]) if code in by_code else _unknown_descriptor(first[code])
                   for code in codes]
    return descriptors, {code: position for position, code in enumerate(codes)}


def _descriptor(rule: Rule) -> dict:
    properties: dict = {"tags": list(rule.tags)}
    if "security" in rule.tags:
        properties["security-severity"] = SECURITY_SEVERITY[rule.severity]
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": (rule.docs.get("what_it_does") or rule.title).strip()},
        "help": {"text": _help_text(rule), "markdown": _help_markdown(rule)},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": properties,
    }


def _unknown_descriptor(finding: Finding) -> dict:
    """A finding whose code the catalogue lacks still needs a rule entry to point at."""
    return {
        "id": finding.code,
        "name": finding.name,
        "shortDescription": {"text": finding.name},
        "fullDescription": {"text": finding.name},
        "help": {"text": finding.name},
        "defaultConfiguration": {"level": LEVELS[finding.severity]},
    }


def _sections(rule: Rule) -> list[tuple[str, str]]:
    """(heading, text) pairs of the rule's documentation that has something to say."""
    sections = [(heading, (rule.docs.get(key) or "").strip()) for key, heading in _HELP_SECTIONS]
    if rule.fix:
        sections.append(("Fix", rule.fix.strip()))
    same_as = [f"{tool} {', '.join(code) if isinstance(code, list) else code}"
               for tool, code in rule.equivalents.items()]
    if same_as:
        sections.append(("Same as", "; ".join(same_as)))
    return [(heading, text) for heading, text in sections if text]


def _help_text(rule: Rule) -> str:
    parts = [rule.title] + [f"{heading}\n{text}" for heading, text in _sections(rule)]
    references = rule.docs.get("references") or ()
    if references:
        parts.append("References\n" + "\n".join(references))
    return "\n\n".join(parts)


def _help_markdown(rule: Rule) -> str:
    parts = [f"**{rule.title}**"] + [f"## {heading}\n\n{text}" for heading, text in _sections(rule)]
    for examples, heading in ((rule.bad, "Example"), (rule.good, "Use instead")):
        if examples:
            language = "yaml" if examples[0].path.endswith((".yaml", ".yml")) else "dockerfile"
            parts.append(f"## {heading}\n\n```{language}\n{examples[0].code.rstrip()}\n```")
    references = rule.docs.get("references") or ()
    if references:
        parts.append("## References\n\n" + "\n".join(f"- <{link}>" for link in references))
    return "\n\n".join(parts)


# -- results ----------------------------------------------------------------------------------


def _result(finding: Finding, lines: list[str], fingerprint: str, index: dict[str, int],
            rule: Rule | None) -> dict:
    result = {
        "ruleId": finding.code,
        "ruleIndex": index[finding.code],
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {"artifactLocation": _artifact(finding.span.path),
                                            "region": _region(_visible(finding.span, lines), lines)}}],
        "partialFingerprints": {"primaryLocationLineHash": fingerprint},
    }
    if finding.edits:
        result["fixes"] = [_fix(finding, lines, rule)]
    return result


def _fix(finding: Finding, lines: list[str], rule: Rule | None) -> dict:
    by_path: dict[str, list[dict]] = {}
    for edit in finding.edits:
        # An edit in another file than the finding's has no source lines here; its columns
        # then stay code points, which differ from UTF-16 only after astral characters.
        edit_lines = lines if edit.span.path == finding.span.path else []
        by_path.setdefault(edit.span.path, []).append(
            {"deletedRegion": _region(edit.span, edit_lines), "insertedContent": {"text": edit.text}})
    fix: dict = {}
    if rule is not None and rule.fix:
        fix["description"] = {"text": rule.fix}
    fix["artifactChanges"] = [{"artifactLocation": _artifact(path), "replacements": replacements}
                              for path, replacements in by_path.items()]
    return fix


def _artifact(path: str) -> dict:
    """A relative path is resolved against the checkout (``%SRCROOT%``); an absolute one
    becomes a ``file:`` URI."""
    from urllib.parse import quote

    normalized = artifact_path(path)
    if normalized.startswith("/") or normalized[1:3] == ":/":
        return {"uri": "file://" + quote(normalized if normalized.startswith("/") else "/" + normalized, safe="/:")}
    return {"uri": quote(normalized, safe="/"), "uriBaseId": "%SRCROOT%"}


def _visible(span: Span, lines: list[str]) -> Span:
    """An empty span (a position between characters) widened to one character — the one
    after it, or at the end of a line the one before it — so viewers that highlight regions
    show something, without pointing past the line."""
    if (span.end_line, span.end_column) > (span.line, span.column):
        return span
    known = 1 <= span.line <= len(lines)
    if not known or span.column <= len(lines[span.line - 1]):
        return span._replace(end_line=span.line, end_column=span.column + 1)
    if span.column > 1:
        return span._replace(column=span.column - 1, end_line=span.line)
    return span  # an empty line: nothing to widen onto


def _region(span: Span, lines: list[str]) -> dict:
    return {
        "startLine": span.line,
        "startColumn": _utf16_column(lines, span.line, span.column),
        "endLine": span.end_line,
        "endColumn": _utf16_column(lines, span.end_line, span.end_column),
    }


def _utf16_column(lines: list[str], line: int, column: int) -> int:
    """A code-point column as UTF-16 code units: one more for each character beyond U+FFFF
    before it."""
    if not 1 <= line <= len(lines) or lines[line - 1].isascii():
        return column
    return column + sum(1 for character in lines[line - 1][:column - 1] if ord(character) > 0xFFFF)
