"""The user the image runs as: the last ``USER`` of the final stage, following ``FROM`` back
through earlier stages when the final stage sets none.

Reported when that user is root (``root``, ``0``, ``root:grp``, ``0:grp``, after ``ARG``/
``ENV`` substitution), or when no stage of the chain sets a user and the external base image
is not known to default to a non-root user (``nonroot_images`` globs). A ``USER`` whose
value depends on an unknown variable, or an unknown base image (``FROM ${BASE}`` with no
value), is not reported: the user cannot be known.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._commands import STRINGS_SCHEMA
from linter.checks._globs import globs
from linter.model.dockerfile import Dockerfile, Instruction, Stage
from linter.model.finding import Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "root_users": {**STRINGS_SCHEMA, "description": "user names or ids that mean root (before any `:group`)"},
        "nonroot_images": {**STRINGS_SCHEMA, "description": "globs of base images whose default user is not root"},
    },
}

# The rest of the message of the rule, which also serves Compose and Kubernetes (container-user).
_CONTEXT = {"outcome": "the container runs as root",
            "fix": "create an unprivileged user and end the final stage with `USER <uid>` (a numeric uid such as "
                   "10001 also satisfies Kubernetes' runAsNonRoot)"}


def _last_user(stage: Stage) -> Instruction | None:
    found = None
    for instruction in stage.instructions:
        if instruction.keyword == "USER" and instruction.words:
            found = instruction
    return found


def image_matches(reference: str, patterns: list[str]) -> bool:
    """``reference`` (as written, with variables substituted) against globs; Docker Hub
    images also match as ``docker.io/library/name`` and ``docker.io/name``."""
    names = {reference}
    first = reference.split("/", 1)[0]
    if "/" not in reference or not ("." in first or ":" in first or first == "localhost"):
        names.add("docker.io/" + reference)
        if "/" not in reference:
            names.add("docker.io/library/" + reference)
    matcher = globs(patterns)
    return any(matcher.match(name) for name in names)


@template("final-user", unit="dockerfile", params=PARAMS)
def check(dockerfile: Dockerfile, params: dict) -> Iterator[Hit]:
    if not dockerfile.stages:
        return
    root_users = set(params.get("root_users", ["root", "0"]))
    nonroot = list(params.get("nonroot_images", []))
    final = dockerfile.stages[-1]
    image_word = final.from_instruction.words[0] if final.from_instruction.words else None
    seen: set[int] = set()
    stage: Stage | None = final
    while stage is not None and stage.index not in seen:
        seen.add(stage.index)
        user_instruction = _last_user(stage)
        if user_instruction is not None:
            word = user_instruction.words[0]
            if word.value is None:
                return
            user = word.value.split(":", 1)[0]
            if user not in root_users:
                return
            if stage is final:
                yield Hit(word.span, {**_CONTEXT, "user": word.value, "line": word.span.line,
                                      "problem": f"the final stage's last `USER` is `{word.value}`"})
            elif image_word is not None:
                yield Hit(image_word.span, {**_CONTEXT, "user": word.value, "line": word.span.line,
                                            "problem": f"the final stage inherits `USER {word.value}` from "
                                                       f"line {word.span.line}"})
            return
        base = stage.base
        if base.stage is not None:
            stage = dockerfile.stages[base.stage]
            continue
        if base.unresolved or image_word is None or image_matches(base.text, nonroot):
            return
        image = base.text or image_word.text
        context = {**_CONTEXT, "user": "root", "line": image_word.span.line}
        if _official(image):
            context["problem"] = (f"no `USER` is set in the final stage or the stages it is built from, and "
                                  f"`{image}` defaults to root")
        else:
            context["problem"] = (f"no `USER` is set in the final stage or the stages it is built from, and "
                                  f"dlint does not know which user `{image}` sets")
            context["outcome"] = "the container runs as root unless that image sets another user"
        yield Hit(image_word.span, context)
        return


def _official(image: str) -> bool:
    """A Docker Official Image (``python:3.12``, ``docker.io/library/nginx``): these run as root
    unless ``nonroot_images`` lists them; what another publisher's image does is not known here.
    (A tag never holds a ``/``, so the repository's path is what the test sees.)"""
    name = image.split("@", 1)[0]
    for prefix in ("docker.io/library/", "index.docker.io/library/", "library/"):
        if name.startswith(prefix):
            name = name[len(prefix):]
            break
    return "/" not in name
