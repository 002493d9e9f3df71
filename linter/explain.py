"""``dlint explain RULE``: a rule's documentation in ruff's section order."""
from __future__ import annotations

from linter.model.rule import Rule

_SECTIONS = (
    ("what_it_does", "What it does"),
    ("why_is_this_bad", "Why is this bad?"),
    ("known_problems", "Known problems"),
    ("example", "Example"),
    ("use_instead", "Use instead"),
    ("options", "Options"),
    ("fix_safety", "Fix safety"),
    ("references", "References"),
)


def _fence(code: str, language: str = "dockerfile") -> str:
    return f"```{language}\n{code.rstrip()}\n```"


def _equivalents(rule: Rule) -> str:
    parts = []
    for tool, codes in rule.equivalents.items():
        parts.append(f"{tool} {', '.join(codes) if isinstance(codes, list) else codes}")
    return "; ".join(parts)


def render_markdown(rule: Rule) -> str:
    """The rule page: the same text as the rule file's ``docs`` and ``examples``."""
    status = "on by default" if rule.enabled_by_default else "off by default"
    meta = [f"severity **{rule.severity}**", status, f"targets: {', '.join(rule.targets)}"]
    if rule.equivalents:
        meta.append(f"same as: {_equivalents(rule)}")
    if rule.fix:
        meta.append("fixable")
    body = {
        **rule.docs,
        "example": "\n\n".join(_fence(example.code) for example in rule.bad),
        "use_instead": "\n\n".join(_fence(example.code) for example in rule.good),
        "references": "\n".join(f"- <{link}>" for link in rule.docs.get("references", ())),
    }
    out = [f"# {rule.code} {rule.name}", "", f"**{rule.title}**", "", " · ".join(meta), ""]
    for key, heading in _SECTIONS:
        text = str(body.get(key) or "").strip()
        if text:
            out += [f"## {heading}", "", text, ""]
    return "\n".join(out)


def rule_data(rule: Rule) -> dict:
    return {
        "code": rule.code, "name": rule.name, "title": rule.title, "targets": list(rule.targets),
        "severity": rule.severity, "enabled_by_default": rule.enabled_by_default, "tags": list(rule.tags),
        "equivalents": rule.equivalents, "message": rule.message, "fix": rule.fix,
        "checks": [{"targets": list(c.targets), "template": c.template, "params": c.params} for c in rule.checks],
        "docs": rule.docs,
        "examples": {
            "bad": [{"code": e.code, "findings": list(e.findings)} for e in rule.bad],
            "good": [{"code": e.code} for e in rule.good],
        },
        "markdown": render_markdown(rule),
    }
