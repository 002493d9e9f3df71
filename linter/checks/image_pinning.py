"""Deployed images without a fixed version: no tag or a floating one (``latest``), or — in
``digest`` mode — no ``@sha256:`` digest.

Reported at the image value. Skipped: a reference whose last component holds an unresolved
variable (``app:${TAG}``, ``${IMAGE}``: the tag is decided elsewhere), and a Compose service
with ``build:`` (its ``image`` names what is built, it is not pulled). A variable elsewhere
(``${REGISTRY}/nginx``) does not hide a missing tag.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._image_reference import problem
from linter.checks._images import is_variable
from linter.model.finding import Hit
from linter.model.workload import Container, Workload

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "require": {"enum": ["tag", "digest"],
                    "description": "`tag`: a tag other than the floating ones; `digest`: an @sha256 digest"},
        "floating_tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True,
                          "description": "tags treated like no tag (default [latest])"},
    },
}


def _decided_elsewhere(text: str) -> bool:
    """The tag (or the whole reference) comes from a variable with no known value."""
    return is_variable(text.rsplit("/", 1)[-1])


def builds_image(container: Container, workload: Workload) -> bool:
    """A Compose service that builds its image rather than pulling it."""
    node = container.node
    return workload.source == "compose" and node is not None and node.is_map and node.get("build") is not None


@template("image-pinning", unit="container", params=PARAMS)
def check(container: Container, workload: Workload, params: dict) -> Iterator[Hit]:
    image = container.image
    if image is None or builds_image(container, workload):
        return
    ref = image.value
    text = ref.text or ref.repository
    if not text or _decided_elsewhere(text) or is_variable(ref.tag) or is_variable(ref.digest):
        return
    if "$" not in text and problem(text) is not None:
        return  # not an image reference at all: invalid-image-reference says why
    context = {"image": text, "container": container.name, "workload": workload.name}
    if params.get("require", "tag") == "digest":
        if ref.digest is None:
            yield Hit(image.span, {**context, "problem": "is not pinned by digest"})
        return
    if ref.digest is not None:
        return
    if ref.tag is None:
        yield Hit(image.span, {**context, "problem": "has no tag, so it means `latest`"})
    elif _floating(ref.tag, params.get("floating_tags", ["latest"])):
        yield Hit(image.span, {**context, "problem": f"uses the floating tag `{ref.tag}`"})


def _floating(tag: str, floating: list[str]) -> bool:
    """``lts``, or ``lts-alpine``: a floating tag with a variant moves as the tag does; a suffix
    of digits (``nightly-2025-06-01``) names one build."""
    name, dash, variant = tag.partition("-")
    return tag in floating or bool(dash) and name in floating and variant[:1].isalpha()
