"""Images a Dockerfile names — ``FROM``, ``COPY --from=<image>``, ``RUN --mount=…,from=<image>``
— whose reference ``docker build`` would refuse (``invalid reference format``), at the image.

Skipped: a ``FROM`` naming an earlier stage, and a ``--from`` naming a stage by alias or
index (those are no images); a ``FROM`` image built from ``ARG``s, which
``invalid-default-arg-in-from`` checks with the values the build would get, so one mistake
is reported once; and a ``--from`` holding a variable, which BuildKit does not expand.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._image_reference import problem
from linter.checks._images import is_variable
from linter.checks._stage_refs import stage_index, stage_references
from linter.model.dockerfile import Dockerfile
from linter.model.finding import Hit
from linter.model.span import Span


@template("dockerfile-image-reference", unit="dockerfile")
def check(dockerfile: Dockerfile, params: dict) -> Iterator[Hit]:
    for stage in dockerfile.stages:
        words = stage.from_instruction.words
        if words and stage.base.stage is None and not is_variable(words[0].text):
            yield from _report(stage.base.text, words[0].span)
        for instruction in stage.instructions:
            for reference in stage_references(instruction):
                text = reference.text
                if not is_variable(text) and stage_index(dockerfile, text) is None:
                    yield from _report(text, reference.span)


def _report(image: str, span: Span) -> Iterator[Hit]:
    fault = problem(image)
    if fault is not None:
        yield Hit(span, {"image": image, "problem": fault})
