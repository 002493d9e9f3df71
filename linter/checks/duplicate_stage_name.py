"""Two stages with the same name (compared without case, as BuildKit does): the build stops,
and ``--target`` or ``COPY --from`` could not say which one they mean. Every repeat is
reported, at its name, with the line of the first.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.model.dockerfile import Dockerfile
from linter.model.finding import Hit


@template("duplicate-stage-name", unit="dockerfile", params={"type": "object", "additionalProperties": False})
def check(dockerfile: Dockerfile, params: dict) -> Iterator[Hit]:
    first: dict[str, int] = {}
    for stage in dockerfile.stages:
        if not stage.alias:
            continue
        name = stage.alias.lower()
        if name in first:
            yield Hit(stage.from_instruction.words[-1].span, {"name": stage.alias, "line": first[name]})
        else:
            first[name] = stage.from_instruction.span.line
