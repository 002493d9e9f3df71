"""``dlint rules``: the catalogue as a text list, a markdown table (the README's) or JSON."""
from __future__ import annotations

import json
from collections.abc import Sequence

from linter.model.rule import Rule


def _hadolint(rule: Rule) -> str:
    code = rule.equivalents.get("hadolint")
    return ", ".join(code) if isinstance(code, list) else code or ""


def render_markdown(rules: Sequence[Rule]) -> str:
    lines = [
        "| Code | Name | Severity | On by default | hadolint | What it flags |",
        "|---|---|---|---|---|---|",
    ]
    for rule in rules:
        default = "yes" if rule.enabled_by_default else "no"
        lines.append(f"| {rule.code} | `{rule.name}` | {rule.severity} | {default} | {_hadolint(rule)} | "
                     f"{rule.title} |")
    return "\n".join(lines) + "\n"


def render_text(rules: Sequence[Rule]) -> str:
    width = max((len(rule.name) for rule in rules), default=0)
    return "".join(
        f"{rule.code}  {rule.name:<{width}}  {rule.severity:<7}  {'' if rule.enabled_by_default else '(off) '}"
        f"{rule.title}\n"
        for rule in rules
    )


def rule_summary(rule: Rule) -> dict:
    return {
        "code": rule.code, "name": rule.name, "title": rule.title, "targets": list(rule.targets),
        "severity": rule.severity, "enabled_by_default": rule.enabled_by_default, "tags": list(rule.tags),
        "equivalents": rule.equivalents, "fixable": rule.fix is not None,
    }


def render_json(rules: Sequence[Rule]) -> str:
    return json.dumps([rule_summary(rule) for rule in rules], indent=2) + "\n"
