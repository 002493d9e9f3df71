"""Build stages that nothing builds: not the final stage, and not reachable from it.

A stage is used when the final stage (the default target) depends on it through ``FROM``,
``COPY --from`` or ``RUN --mount=…,from=``, directly or through other stages. A stage
with a name may be built on purpose with ``docker build --target NAME`` (``test``,
``dev``…), so with ``named: false`` (the default) named stages count as targets too and
only unnamed, unreachable stages are reported. A reference that is a variable makes the
graph unknown and nothing is reported.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._stage_refs import stage_index, stage_references
from linter.model.dockerfile import Dockerfile
from linter.model.finding import Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "named": {"type": "boolean",
                  "description": "also report named stages (which `docker build --target` may build)"},
    },
}


@template("unused-stage", unit="dockerfile", params=PARAMS)
def check(dockerfile: Dockerfile, params: dict) -> Iterator[Hit]:
    stages = dockerfile.stages
    if len(stages) < 2:
        return
    depends: dict[int, set[int]] = {stage.index: set() for stage in stages}
    for stage in stages:
        if stage.base.stage is not None:
            depends[stage.index].add(stage.base.stage)
        for instruction in stage.instructions:
            for run in (instruction, instruction.trigger):
                if run is None:
                    continue
                for reference in stage_references(run):
                    if "$" in reference.text:
                        return  # unknown target: the graph cannot be trusted
                    index = stage_index(dockerfile, reference.text)
                    if index is not None:
                        depends[stage.index].add(index)
    roots = [stages[-1].index]
    if not params.get("named", False):
        roots += [stage.index for stage in stages if stage.alias]
    used: set[int] = set()
    todo = list(roots)
    while todo:
        index = todo.pop()
        if index not in used:
            used.add(index)
            todo.extend(depends[index])
    for stage in stages:
        if stage.index in used:
            continue
        words = stage.from_instruction.words
        span = words[-1].span if stage.alias and len(words) >= 3 else (words[0].span if words
                                                                        else stage.from_instruction.keyword_span)
        name = stage.alias or f"#{stage.index}"
        why = "" if stage.alias else ", and without a name no `--target` can build it"
        yield Hit(span, {"stage": name, "image": stage.base.text, "why": why})
