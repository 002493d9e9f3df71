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


def _fence(example) -> str:
    """An example as a code block, labelled by the kind of file it is."""
    language = "yaml" if example.path.lower().endswith((".yaml", ".yml")) else "dockerfile"
    return f"```{language}\n{example.code.rstrip()}\n```"


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
        "example": "\n\n".join(_fence(example) for example in rule.bad),
        "use_instead": "\n\n".join(_fence(example) for example in rule.good),
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

def file_walk(dockerfile, image, findings: list, rebuild=None) -> dict:
    """A walk through a Dockerfile, stage by stage and instruction by instruction: what each
    one's cache key is made of, what a change to it rebuilds, what it adds to the image, and
    the findings on its lines, as data (``dlint explain FILE --format json``). ``image`` is
    the cost estimate (None when there is none)."""
    from linter.report.cost import format_estimate

    # Keyed by line: the estimate may come from its own parse of the same text.
    layers = {layer.line: layer for stage in image.stages for layer in stage.layers} if image else {}
    rebuilt = {layer.line for layer in rebuild.layers} if rebuild is not None else set()
    by_line: dict[int, list] = {}
    for finding in findings:
        by_line.setdefault(finding.span.line, []).append(finding)
    shipped = _shipped_stages(dockerfile, image)
    stages, shown = [], set()
    for stage in dockerfile.stages:
        rows = []
        later = len(stage.instructions)
        for position, instruction in enumerate(stage.instructions):
            later -= 1
            span = instruction.span
            layer = layers.get(span.line)
            lines = range(span.line, span.end_line + 1)
            shown.update(lines)
            rows.append({
                "line": span.line,
                "end_line": span.end_line,
                "text": _one_line(instruction, dockerfile.lines),
                "cache_key": _cache_key(instruction, stage, dockerfile),
                "rebuilds": _invalidates(later, stage, dockerfile) if position else None,
                "added": None if layer is None else format_estimate(layer.size),
                "added_bytes": None if layer is None or layer.unknown else layer.size.size,
                "confidence": None if layer is None else layer.confidence,
                "notes": [] if layer is None else list(layer.notes),
                "rebuilt_by_source_edit": span.line in rebuilt,
                "findings": [_finding_row(finding, layer) for line in lines for finding in by_line.get(line, [])],
            })
        stages.append({"name": stage.alias or str(stage.index), "ships": stage.index in shipped,
                       "instructions": rows})
    walk = {
        "path": dockerfile.path,
        "image": None if image is None else {"uncompressed": format_estimate(image.uncompressed),
                                             "compressed": format_estimate(image.compressed)},
        "stages": stages,
        "other_findings": [_finding_row(finding, None) for finding in findings if finding.span.line not in shown],
        "rebuild": None,
    }
    if rebuild is not None:
        walk["rebuild"] = {"layers": len(rebuild.layers),
                           "from_line": rebuild.trigger.line if rebuild.trigger is not None else None,
                           "download": format_estimate(rebuild.download), "write": format_estimate(rebuild.write)}
    return walk


def _finding_row(finding, layer) -> dict:
    return {"code": finding.code, "name": finding.name, "severity": finding.severity, "line": finding.span.line,
            "column": finding.span.column, "message": finding.message, "cost": _finding_cost(finding, layer)}


def render_file(walk: dict) -> str:
    """The walk of :func:`file_walk` as Markdown."""
    out = [f"# {walk['path']}", ""]
    image = walk["image"]
    if image is not None:
        out += [f"Final image: **{image['uncompressed']}** on disk, **{image['compressed']}** to pull "
                f"(estimated; `dlint cost` shows the assumptions).", ""]
    for stage in walk["stages"]:
        role = "ships" if stage["ships"] else "build stage, does not ship"
        out += [f"## Stage `{stage['name']}` ({role})", ""]
        for row in stage["instructions"]:
            out.append(f"### line {row['line']}: `{row['text']}`")
            out.append(f"- cache key: {row['cache_key']}")
            if row["rebuilds"] is not None:
                out.append(f"- a change here rebuilds {row['rebuilds']}")
            if row["added"] is not None:
                notes = f" — {'; '.join(row['notes'])}" if row["notes"] else ""
                out.append(f"- adds {row['added']} ({row['confidence']} confidence){notes}")
            if row["rebuilt_by_source_edit"]:
                out.append("- rebuilt by an edit to the application sources")
            out += [_finding_line(finding) for finding in row["findings"]]
            out.append("")
    if walk["other_findings"]:
        out += ["## Findings outside the stages", ""]
        out += [_finding_line(finding) for finding in walk["other_findings"]]
        out.append("")
    rebuild = walk["rebuild"]
    if rebuild is not None and rebuild["from_line"] is not None:
        count = rebuild["layers"]
        out += ["## After a source edit", "",
                f"{count} layer{'s' if count != 1 else ''} rebuild from line {rebuild['from_line']}, downloading "
                f"{rebuild['download']} and writing {rebuild['write']} again.", ""]
    elif rebuild is not None:
        out += ["## After a source edit", "", "Nothing copies the application sources: no layer rebuilds.", ""]
    return "\n".join(out).rstrip() + "\n"


def _finding_line(finding: dict) -> str:
    cost = f" — estimated cost here: {finding['cost']}" if finding["cost"] else ""
    return (f"- **{finding['code']}** {finding['name']} ({finding['severity']}, line {finding['line']}): "
            f"{finding['message']}{cost}")


# The estimate's note that measures what a finding costs in its layer.
_COST_NOTES = {
    "apt-lists-not-removed": "apt lists kept:",
    "apt-install-recommends": "recommends installed:",
    "pip-cache-kept": "pip cache kept:",
    "npm-cache-kept": "npm cache kept:",
    "apk-cache-kept": "apk index cache kept:",
    "cleanup-in-later-layer": "removing ",
}


def _finding_cost(finding, layer) -> str | None:
    """The layer estimate's note that measures what the finding is about (``apt lists kept:
    +19.9 MB``), or None."""
    prefix = _COST_NOTES.get(finding.name)
    if layer is None or prefix is None:
        return None
    for note in layer.notes:
        if note.startswith(prefix):
            return note
    return None


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
