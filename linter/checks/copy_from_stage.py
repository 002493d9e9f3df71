"""``COPY --from=…`` (and ``RUN --mount=…,from=…``) references that cannot mean what they say.

Each reference is resolved the way BuildKit does it: a number is a stage index, a name is a
stage alias (any case), anything else is an image. The problems, selected by ``report``:

* ``self`` — the stage it is in: a circular dependency, the build stops;
* ``later`` — a stage defined further down: BuildKit accepts it, but the classic builder
  looks for an image of that name instead, and the file no longer reads top to bottom;
* ``unknown-index`` — a number with no such stage;
* ``typo`` — a plain name that is no stage but is close to one (``--from=buidler``):
  BuildKit would try to pull an image of that name. A name far from every alias is
  taken to be an image (``--from=composer``) and not reported;
* ``variable`` — ``COPY --from=$X``: BuildKit does not expand variables in ``--from`` and
  stops with an error.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from linter.checks import template
from linter.checks._stage_refs import Reference, stage_index, stage_references
from linter.model.dockerfile import Dockerfile, Stage
from linter.model.finding import Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["report"],
    "properties": {
        "report": {"type": "array", "minItems": 1, "uniqueItems": True,
                   "items": {"enum": ["self", "later", "unknown-index", "typo", "variable"]}},
        "images": {"type": "array", "items": {"type": "string"},
                   "description": "image names never taken for a mistyped stage name (`node`, `composer`)"},
    },
}

_PLAIN_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]*$")


@template("copy-from-stage", unit="dockerfile", params=PARAMS)
def check(dockerfile: Dockerfile, params: dict) -> Iterator[Hit]:
    wanted = set(params["report"])
    aliases = [stage.alias.lower() for stage in dockerfile.stages if stage.alias]
    images = frozenset(name.lower() for name in params.get("images", ()))
    for stage in dockerfile.stages:
        for instruction in stage.instructions:
            for reference in stage_references(instruction):
                found = _problem(dockerfile, stage, reference, aliases, images)
                if found and found[0] in wanted:
                    yield Hit(reference.span, {"reference": reference.text, "kind": reference.kind,
                                               "problem": found[1]})


def _problem(dockerfile: Dockerfile, stage: Stage, reference: Reference, aliases: list[str],
             images: frozenset[str]) -> tuple | None:
    text = reference.text
    if "$" in text:
        if reference.kind != "COPY --from":
            return None
        return "variable", ("BuildKit does not expand variables in `--from` and stops; copy from a stage "
                            "`FROM ${…} AS name` instead")
    index = stage_index(dockerfile, text)
    if index == stage.index:
        return "self", "that is the stage it is in: the build stops with a circular dependency"
    if index is not None and index > stage.index:
        where = dockerfile.stages[index].from_instruction.span.line
        return "later", (f"that stage comes later (line {where}): the classic builder would look for an image "
                         "of that name; define stages before they are copied from")
    if index is not None:
        return None
    if text.isdigit():
        count = len(dockerfile.stages)
        return "unknown-index", f"there is no stage {text} (stages count from 0; this file has {count})"
    lowered = text.lower()
    if _PLAIN_NAME.match(lowered) and lowered not in images:
        near = _nearest(lowered, aliases)
        if near:
            return "typo", (f"no stage is named `{text}` (did you mean `{near}`?); the build would try to pull "
                            f"an image called `{text}`")
    return None


def _nearest(name: str, aliases: list[str]) -> str | None:
    """The alias a slip of the keyboard away from ``name``: one edit (two for names longer
    than five letters), a swap of neighbours counting as one; ``-``/``_``/``.`` ignored."""
    def squash(text: str) -> str:
        return re.sub(r"[-_.]", "", text)

    best, best_distance = None, None
    for alias in aliases:
        limit = 1 if len(alias) <= 5 else 2
        distance = 0 if squash(alias) == squash(name) else _distance(alias, name, limit)
        if distance <= limit and (best_distance is None or distance < best_distance):
            best, best_distance = alias, distance
    return best


def _distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance, giving up (``limit + 1``) once it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    rows = [list(range(len(b) + 1))]
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            cost = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, rows[-2][j - 2] + 1)
            row.append(cost)
        if min(row) > limit:
            return limit + 1
        rows.append(row)
    return rows[-1][-1]
