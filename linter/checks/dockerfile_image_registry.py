"""Images a Dockerfile pulls — ``FROM``, ``COPY --from=<image>``, ``RUN --mount=…,from=<image>``
— from a registry outside a trusted list (the Dockerfile side of ``image-registry``).

Inactive while ``trusted`` is empty. Patterns and matching are those of ``image-registry``:
a pattern without ``/`` matches the registry host, one with ``/`` matches
``registry/repository``, Docker Hub is ``docker.io``. References to stages of the file,
``scratch``, and references whose registry is an unresolved variable are skipped.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._images import (
    TRUSTED_PARAMS, is_registry_name, is_variable, registry, repository_path, trusted, trusted_pattern,
)
from linter.checks._stage_refs import stage_index, stage_references
from linter.model.dockerfile import Dockerfile, ImageRef
from linter.model.finding import Hit


@template("dockerfile-image-registry", unit="dockerfile", params=TRUSTED_PARAMS)
def check(dockerfile: Dockerfile, params: dict) -> Iterator[Hit]:
    patterns = [trusted_pattern(pattern) for pattern in params.get("trusted", ())]
    if not patterns:
        return
    shown = ", ".join(f"`{pattern}`" for pattern in params["trusted"])
    for stage in dockerfile.stages:
        ref = stage.base
        words = stage.from_instruction.words
        if words and ref.stage is None and not ref.is_scratch and not _unknown(ref.registry, ref.repository):
            host, path = registry(ref), repository_path(ref).lower()
            if not trusted(host, path, patterns):
                yield Hit(words[0].span, {"image": ref.text, "registry": host, "trusted": shown})
        for instruction in stage.instructions:
            for reference in stage_references(instruction):
                text = reference.text
                if "$" in text or stage_index(dockerfile, text) is not None:
                    continue
                host, path = _split(text)
                if not trusted(host, path, patterns):
                    yield Hit(reference.span, {"image": text, "registry": host, "trusted": shown})


def _unknown(registry_part: str | None, repository: str) -> bool:
    return is_variable(registry_part) or registry_part is None and is_variable(repository.split("/", 1)[0])


def _split(text: str) -> tuple[str, str]:
    """Registry host and repository path of a reference written in ``--from``."""
    name = text.split("@", 1)[0]
    first, slash, rest = name.partition("/")
    registry_part, path = (first, rest) if slash and is_registry_name(first) else (None, name)
    head, colon, tail = path.rpartition(":")
    if colon and "/" not in tail:
        path = head
    ref = ImageRef(text, registry_part, path, None, None)
    return registry(ref), repository_path(ref).lower()
