"""The image that ships starts from a full variant when a slimmer one of the same image exists.

``images`` describes each image family: its repository names, the tag words that mark a
light variant (``slim``, ``alpine``, ``jre``…), the variant to suggest and, for toolchain
images such as ``golang``, the commands whose presence in the shipped stages shows the
image is only needed to build (``go build``). Only the external base at the root of the
final stage's ``FROM`` chain is looked at.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._commands import PATTERNS_SCHEMA, STRINGS_SCHEMA, calls, match_any, patterns, shipping_stages
from linter.checks._entry import final_entry, is_development
from linter.checks._images import registry, repository_path
from linter.model.dockerfile import Dockerfile
from linter.model.finding import Hit

IMAGE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["repositories", "suggestion"],
    "properties": {
        "repositories": {**STRINGS_SCHEMA, "description": "Docker Hub names (`python`, `library/python`)"},
        "light": {**STRINGS_SCHEMA, "description": "tag words (dash-separated, prefix match) of light variants"},
        "variant": {"type": "string", "description": "the light variant's tag word, for {suggested}"},
        "only_when": {**PATTERNS_SCHEMA, "description": "report only when the shipped stages run one of these"},
        "suggestion": {"type": "string",
                       "description": "advice; may use {image}, {repository}, {version}, {suggested}"},
    },
}

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["images"],
    "properties": {"images": {"type": "array", "items": IMAGE_SCHEMA}},
}

def _version(tag: str) -> str:
    """The tag's leading word (``3.12`` of ``3.12-bookworm``, ``lts``), or ``""`` for ``latest``."""
    first = tag.split("-", 1)[0]
    return "" if first == "latest" else first


@template("heavy-base", unit="dockerfile", params=PARAMS)
def check(dockerfile: Dockerfile, params: dict) -> Iterator[Hit]:
    if not dockerfile.stages:
        return
    shipping = shipping_stages(dockerfile.stages)
    root = next((stage for stage in dockerfile.stages if stage.index in shipping and stage.base.stage is None), None)
    if root is None or not root.from_instruction.words or is_development(final_entry(dockerfile)):
        return  # a development image (`CMD ["bash"]`) wants the full toolbox
    base = root.base
    if base.unresolved or base.is_scratch or registry(base) != "docker.io" or "$" in base.text:
        return
    path = repository_path(base)
    tag = base.tag or ("latest" if base.digest is None else None)
    if tag is None:
        return  # pinned by digest only: the variant is unknown
    for image in params["images"]:
        names = {name if "/" in name else "library/" + name for name in image["repositories"]}
        if path not in names:
            continue
        words = tag.lower().split("-")
        if any(word.startswith(light) for word in words for light in image.get("light", ())):
            return
        wanted = image.get("only_when")
        if wanted and not _runs(dockerfile, shipping, patterns(wanted)):
            return
        repository = path.removeprefix("library/")
        version = _version(tag)
        variant = image.get("variant", "")
        suggested = f"{repository}:{version or '<version>'}-{variant}"
        advice = image["suggestion"].format(image=base.text, repository=repository, version=version or "<version>",
                                            suggested=suggested)
        yield Hit(root.from_instruction.words[0].span, {"image": base.text, "suggestion": advice})
        return


def _runs(dockerfile: Dockerfile, shipping: set[int], wanted) -> bool:
    for stage in dockerfile.stages:
        if stage.index not in shipping:
            continue
        for instruction in stage.instructions:
            if instruction.keyword == "RUN" and any(match_any(call, wanted) for call in calls(instruction)):
                return True
    return False
