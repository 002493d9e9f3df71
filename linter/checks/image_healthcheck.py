"""The image gets no ``HEALTHCHECK``: neither its final stage nor a stage it is built
``FROM`` declares one (``HEALTHCHECK NONE`` counts as a decision). The base image's own
health check, if any, is unknown, so a base from a registry is assumed to have none.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._arguments import ancestry
from linter.model.dockerfile import Dockerfile
from linter.model.finding import Hit


@template("image-healthcheck", unit="dockerfile", params={"type": "object", "additionalProperties": False})
def check(dockerfile: Dockerfile, params: dict) -> Iterator[Hit]:
    if not dockerfile.stages:
        return
    final = dockerfile.stages[-1]
    chain = ancestry(final, dockerfile.stages)
    if chain[-1].base.is_scratch:
        return  # nothing in a scratch image could run a check command
    if any(instruction.keyword == "HEALTHCHECK" for stage in chain for instruction in stage.instructions):
        return
    instruction = final.from_instruction
    span = instruction.words[0].span if instruction.words else instruction.keyword_span
    yield Hit(span, {"image": final.base.text})
