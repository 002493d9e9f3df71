"""``dlint rules``: the catalogue as a text list, a markdown table (the README's) or JSON."""
from __future__ import annotations

import json
from collections.abc import Sequence

from linter.model.rule import Rule


def _equivalent(rule: Rule, tool: str) -> str:
    code = rule.equivalents.get(tool)
    return ", ".join(code) if isinstance(code, list) else code or ""


def _same_as(rule: Rule) -> str:
    """The hadolint and BuildKit names a user may know the rule by."""
    return ", ".join(part for part in (_equivalent(rule, "hadolint"), _equivalent(rule, "buildkit")) if part)


def render_markdown(rules: Sequence[Rule]) -> str:
    lines = [
        "| Code | Name | Severity | On by default | Fix | hadolint / BuildKit | What it flags |",
        "|---|---|---|---|---|---|---|",
    ]
    for rule in rules:
        default = "yes" if rule.enabled_by_default else "no"
        fix = "yes" if rule.fix else ""
        lines.append(f"| {rule.code} | `{rule.name}` | {rule.severity} | {default} | {fix} | {_same_as(rule)} | "
                     f"{rule.title} |")
    return "\n".join(lines) + "\n"


def render_text(rules: Sequence[Rule]) -> str:
    """One line a rule: code, name, severity, (off) and (fix) marks, the equivalents it answers to, the title."""
    width = max((len(rule.name) for rule in rules), default=0)
    lines = []
    for rule in rules:
        marks = ("" if rule.enabled_by_default else "(off) ") + ("(fix) " if rule.fix else "")
        same = f"  [{_same_as(rule)}]" if _same_as(rule) else ""
        lines.append(f"{rule.code}  {rule.name:<{width}}  {rule.severity:<7}  {marks}{rule.title}{same}\n")
    return "".join(lines)


def rule_summary(rule: Rule) -> dict:
    return {
        "code": rule.code, "name": rule.name, "title": rule.title, "targets": list(rule.targets),
        "severity": rule.severity, "enabled_by_default": rule.enabled_by_default, "tags": list(rule.tags),
        "equivalents": rule.equivalents, "fixable": rule.fix is not None,
    }


def render_json(rules: Sequence[Rule]) -> str:
    return json.dumps([rule_summary(rule) for rule in rules], indent=2) + "\n"
