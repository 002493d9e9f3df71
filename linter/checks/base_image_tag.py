"""``FROM`` images without a tag, or with a floating one such as ``latest``."""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._image_reference import problem
from linter.model.dockerfile import Instruction, Stage
from linter.model.finding import Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "floating_tags": {"type": "array", "items": {"type": "string"}},
        "require_digest": {"type": "boolean"},
    },
}


@template("base-image-tag", unit="instruction", params=PARAMS)
def check(instruction: Instruction, stage: Stage | None, params: dict) -> Iterator[Hit]:
    if instruction.keyword != "FROM" or stage is None or not instruction.words:
        return
    base = stage.base
    if base.stage is not None or base.is_scratch:
        return
    if base.unresolved and (base.text.startswith("$") or base.tag is None):
        # An unknown variable may supply the tag (`python${SUFFIX}`) or name a stage
        # (`base-${TARGETARCH}`); hadolint reports these (hadolint#979, #1078).
        return
    word = instruction.words[0]
    if base.digest is not None or not base.unresolved and problem(base.text) is not None:
        return  # pinned, or not an image reference at all (invalid-image-in-from says why)
    if base.tag is None:
        yield Hit(word.span, {"image": base.text, "problem": "has no tag, so it means `latest`"})
    elif base.tag in params.get("floating_tags", ["latest"]):
        yield Hit(word.span, {"image": base.text, "problem": f"uses the floating tag `{base.tag}`"})
    elif params.get("require_digest"):
        yield Hit(word.span, {"image": base.text, "problem": "is not pinned by digest"})
