"""A ``FROM`` that, with only the ``ARG`` defaults, names no valid image (BuildKit's
InvalidDefaultArgInFrom): ``ARG TAG`` / ``FROM alpine:${TAG}`` gives ``alpine:``.

Values come from the ``ARG``s before the first ``FROM`` (and ``--build-arg`` given to
dlint); a declared ``ARG`` with no default counts as empty, platform arguments get a
typical value. A reference using an undeclared name is left to the rule about that, and a
``FROM`` without variables to the parser.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._arguments import PLATFORM_ARGS, references, substitute
from linter.checks._image_reference import problem
from linter.model.dockerfile import Dockerfile
from linter.model.finding import Hit


@template("from-default-reference", unit="dockerfile", params={"type": "object", "additionalProperties": False})
def check(dockerfile: Dockerfile, params: dict) -> Iterator[Hit]:
    known = dockerfile.global_args[-1].variables if dockerfile.global_args else {}
    declared = [word.text.partition("=")[0] for instruction in dockerfile.global_args for word in instruction.words]
    # A declared platform argument without a default still gets the build's platform.
    values = {**PLATFORM_ARGS, **{name: known.get(name, PLATFORM_ARGS.get(name, "")) for name in declared if name}}
    aliases = {stage.alias.lower() for stage in dockerfile.stages if stage.alias}
    for stage in dockerfile.stages:
        words = stage.from_instruction.words
        if not words:
            continue
        word = words[0]
        span = word.span
        raw = dockerfile.lines[span.line - 1][span.column - 1:span.end_column - 1] if span.line == span.end_line \
            else word.text
        names = [ref.name for ref in references(raw, dockerfile.escape)]
        if not names or any(name not in values for name in names):
            continue
        result = substitute(raw, values)
        if result is None or result.lower() in aliases or problem(result) is None:
            continue
        empty = sorted({name for name in names if not values[name]})
        hint = "; give " + ", ".join(f"`{name}`" for name in empty) + " a default" if empty else ""
        yield Hit(span, {"image": raw, "result": result, "hint": hint})
