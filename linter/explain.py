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


# -- dlint explain FILE ------------------------------------------------------------------------

def render_file(dockerfile, image, findings: list, rebuild=None) -> str:
    """A walk through a Dockerfile, stage by stage and instruction by instruction: what each
    one's cache key is made of, what a change to it rebuilds, what it adds to the image, and
    the findings on its lines. ``image`` is the cost estimate (None when there is none)."""
    from linter.report.cost import format_estimate

    # Keyed by line: the estimate may come from its own parse of the same text.
    layers = {layer.line: layer for stage in image.stages for layer in stage.layers} if image else {}
    rebuilt = {layer.line for layer in rebuild.layers} if rebuild is not None else set()
    by_line: dict[int, list] = {}
    for finding in findings:
        by_line.setdefault(finding.span.line, []).append(finding)
    shipped = _shipped_stages(dockerfile, image)
    out = [f"# {dockerfile.path}", ""]
    if image is not None:
        out += [f"Final image: **{format_estimate(image.uncompressed)}** on disk, "
                f"**{format_estimate(image.compressed)}** to pull (estimated; `dlint cost` shows the assumptions).", ""]
    for stage in dockerfile.stages:
        name = stage.alias or str(stage.index)
        role = "ships" if stage.index in shipped else "build stage, does not ship"
        out += [f"## Stage `{name}` ({role})", ""]
        later = len(stage.instructions)
        for position, instruction in enumerate(stage.instructions):
            later -= 1
            layer = layers.get(instruction.span.line)
            out.append(f"### line {instruction.span.line}: `{_one_line(instruction, dockerfile.lines)}`")
            out.append(f"- cache key: {_cache_key(instruction, stage, dockerfile)}")
            if position and instruction.keyword != "FROM":
                out.append(f"- a change here rebuilds {_invalidates(later, stage, dockerfile)}")
            if layer is not None:
                size = format_estimate(layer.size)
                notes = f" — {'; '.join(layer.notes)}" if layer.notes else ""
                out.append(f"- adds {size} ({layer.confidence} confidence){notes}")
            if instruction.span.line in rebuilt:
                out.append("- rebuilt by an edit to the application sources")
            for line in range(instruction.span.line, instruction.span.end_line + 1):
                for finding in by_line.get(line, []):
                    price = _finding_cost(finding, layer)
                    out.append(f"- **{finding.code}** {finding.name} ({finding.severity}, line {line}): "
                               f"{finding.message}{price}")
            out.append("")
    shown = {line for stage in dockerfile.stages for instruction in stage.instructions
             for line in range(instruction.span.line, instruction.span.end_line + 1)}
    elsewhere = [finding for finding in findings if finding.span.line not in shown]
    if elsewhere:
        out += ["## Findings outside the stages", ""]
        out += [f"- **{finding.code}** {finding.name} ({finding.severity}, line {finding.span.line}): "
                f"{finding.message}" for finding in elsewhere]
        out.append("")
    if rebuild is not None and rebuild.trigger is not None:
        download = format_estimate(rebuild.download)
        out += ["## After a source edit", "",
                f"{len(rebuild.layers)} layer{'s' if len(rebuild.layers) != 1 else ''} rebuild from line "
                f"{rebuild.trigger.line}, downloading {download} and writing {format_estimate(rebuild.write)} again.", ""]
    elif rebuild is not None:
        out += ["## After a source edit", "", "Nothing copies the application sources: no layer rebuilds.", ""]
    return "\n".join(out).rstrip() + "\n"


# The estimate's note that measures what a finding costs in its layer.
_COST_NOTES = {
    "apt-lists-not-removed": "apt lists kept:",
    "apt-install-recommends": "recommends installed:",
    "pip-cache-kept": "pip cache kept:",
    "npm-cache-kept": "npm cache kept:",
    "apk-cache-kept": "apk index cache kept:",
    "cleanup-in-later-layer": "removing ",
}


def _finding_cost(finding, layer) -> str:
    """`` — estimated cost here: +45.0 MB`` when the layer's estimate measured what the finding is about."""
    prefix = _COST_NOTES.get(finding.name)
    if layer is None or prefix is None:
        return ""
    for note in layer.notes:
        if note.startswith(prefix):
            return f" — estimated cost here: {note}"
    return ""


def _one_line(instruction, lines: list[str], width: int = 72) -> str:
    """The instruction as written (flags included), on one line, shortened."""
    span = instruction.span
    written = " ".join(lines[span.line - 1:span.end_line]) if lines else f"{instruction.keyword} {instruction.arguments}"
    text = " ".join(written.split()).replace("`", "'")
    return text if len(text) <= width else text[: width - 1] + "…"


def _shipped_stages(dockerfile, image) -> set[int]:
    if image is not None:
        return set(image.shipped)
    return {dockerfile.stages[-1].index} if dockerfile.stages else set()


def _cache_key(instruction, stage, dockerfile) -> str:
    keyword = instruction.keyword
    if keyword == "FROM":
        ref = stage.base
        if ref.stage is not None:
            return f"the result of stage `{ref.text}`"
        if ref.digest:
            return f"the image digest `{ref.digest}`: fixed until you change it"
        return f"the image `{ref.text}` as the tag resolves when the build pulls it: a moved tag rebuilds everything"
    if keyword in ("COPY", "ADD"):
        source = instruction.flag("from")
        if source is not None:
            return f"the files it copies out of `{source.value}`"
        if "://" in instruction.arguments:
            return "the remote file's content (checked again at every build)"
        return "the content and metadata of the files it copies from the build context"
    if keyword == "RUN":
        args = [arg.arguments.split("=", 1)[0].strip() for arg in stage.instructions[: stage.instructions.index(
            instruction)] if arg.keyword == "ARG"]
        key = "the command text"
        if args:
            key += f" and the values of the build arguments declared above it ({', '.join(args)})"
        bind = [mount for mount in instruction.mounts() if mount.get("type", "bind") == "bind"]
        if bind:
            key += ", and the content of its bind mounts"
        return key + "; never what the command fetches, so a moving download is not refetched"
    if keyword == "ARG":
        return "the value the build gives it (`--build-arg`), for every later `RUN` of the stage"
    return "the instruction's text"


def _invalidates(later: int, stage, dockerfile) -> str:
    parts = [f"{later} later instruction{'s' if later != 1 else ''} of this stage" if later else "nothing else in "
             "this stage"]
    name = (stage.alias or str(stage.index)).lower()
    users = []
    for other in dockerfile.stages[stage.index + 1:]:
        base = other.base.stage
        copies = any((instruction.flag("from") is not None and instruction.flag("from").value.lower() == name)
                     for instruction in other.instructions)
        if base == stage.index or copies:
            users.append(other.alias or str(other.index))
    if users:
        parts.append("and stage" + ("s " if len(users) > 1 else " ") + ", ".join(f"`{user}`" for user in users))
    return " ".join(parts)
