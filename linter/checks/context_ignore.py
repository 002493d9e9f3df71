"""``COPY .`` of a build context whose ``.dockerignore`` is missing or lets sensitive paths through.

Decided only when the Dockerfile was read from disk, with its folder taken as the build
context (as ``docker build .`` beside it does); from standard input nothing is known and
nothing is reported. One finding per file, at the first instruction that copies the whole
context: the remedy is one ignore file, not an edit per instruction.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._commands import copy_operands, normalize
from linter.model.dockerfile import Dockerfile, Word
from linter.model.finding import Hit

_WHOLE_CONTEXT = frozenset({".", "*", "/", "/*"})

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "paths": {"type": "array", "items": {"type": "string", "minLength": 1},
                  "description": "context paths the ignore file must exclude"},
    },
}


def whole_context_source(dockerfile: Dockerfile) -> Word | None:
    """The first ``COPY``/``ADD`` source (from the context, not ``--from``) that names the
    context's root."""
    for stage in dockerfile.stages:
        for instruction in stage.instructions:
            if instruction.keyword not in ("COPY", "ADD") or instruction.flag("from") is not None:
                continue
            sources, _ = copy_operands(instruction)
            for word in sources:
                if word.value is not None or "$" not in word.text:
                    if normalize(word.resolved) in _WHOLE_CONTEXT:
                        return word
    return None


@template("context-ignore", unit="dockerfile", params=PARAMS)
def check(dockerfile: Dockerfile, params: dict) -> Iterator[Hit]:
    if dockerfile.context is None:
        return
    source = whole_context_source(dockerfile)
    if source is None:
        return
    ignore = dockerfile.context.dockerignore
    if ignore is None:
        yield Hit(source.span, {"source": source.text, "problem": "there is no .dockerignore beside the Dockerfile"})
        return
    missing = [path for path in params.get("paths", [".git"]) if not ignore.excludes(path.strip("/"))]
    if missing:
        name = ignore.path.replace("\\", "/").rsplit("/", 1)[-1]
        listed = ", ".join(f"`{path}`" for path in missing)
        yield Hit(source.span, {"source": source.text, "problem": f"{name} does not exclude {listed}"})
