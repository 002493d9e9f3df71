"""A deployed image whose reference Docker, Docker Compose or the kubelet would refuse
(``invalid reference format``, ``repository name must be lowercase``), at the image value.

Skipped: a reference still holding a variable (``app:${TAG}``, ``$(IMAGE)``, a Helm
``{{ … }}``), whose final text is decided elsewhere, and an empty one, which both formats
read as no image. A Compose service that builds its image is checked too: Compose tags the
build with its ``image``, by the same grammar.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._image_reference import problem
from linter.checks._images import is_variable
from linter.model.finding import Hit
from linter.model.workload import Container, Workload


@template("image-reference", unit="container")
def check(container: Container, workload: Workload, params: dict) -> Iterator[Hit]:
    image = container.image
    if image is None:
        return
    ref = image.value
    if ref.unresolved or not ref.text or is_variable(ref.text):
        return
    fault = problem(ref.text)
    if fault is not None:
        yield Hit(image.span, {"image": ref.text, "problem": fault})
