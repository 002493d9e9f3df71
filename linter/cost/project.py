"""The cost of a set of files: each Dockerfile's image and rebuild estimate, and the price of
the workloads its Compose files and Kubernetes manifests declare.

Texts come in from the caller (read from disk, or from a git revision by ``--compare``); only
a Dockerfile's build context is read here, from disk, by :mod:`linter.cost.context`.
"""
from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

from linter.cost.estimate import Estimate


class ImageCost:
    """One Dockerfile's estimate (``image``, ``rebuild``), or why there is none (``problem``)."""

    __slots__ = ("path", "image", "rebuild", "problem")

    def __init__(self, path: str, image=None, rebuild=None, problem: str | None = None) -> None:
        self.path = path
        self.image = image
        self.rebuild = rebuild
        self.problem = problem

    @property
    def compressed(self) -> Estimate | None:
        return self.image.compressed if self.image is not None else None

    @property
    def uncompressed(self) -> Estimate | None:
        return self.image.uncompressed if self.image is not None else None


def image_cost(text: str, path: str, context_dir: str | None, changed: Sequence[str] | None = None,
               build_args: Mapping[str, str] | None = None, platform: str = "linux/amd64",
               target: str | None = None) -> ImageCost:
    """Estimate the image ``text`` builds with ``context_dir`` as its context (None: unknown),
    and what rebuilding after ``changed`` (default: an edit to the application sources) costs."""
    from linter.cost.context import load_context
    from linter.cost.image import estimate_image, rebuild_cost, source_edit
    from linter.parsers.dockerfile import parse_dockerfile

    dockerfile = parse_dockerfile(text, path, dict(build_args or {}))
    if dockerfile.problems:
        problem = dockerfile.problems[0]
        return ImageCost(path, problem=f"line {problem.span.line}: {problem.message}")
    context = load_context(context_dir, path) if context_dir is not None else None
    try:
        image = estimate_image(dockerfile, context, platform, target)
    except ValueError as error:
        return ImageCost(path, problem=str(error))
    edit = list(changed) if changed else source_edit(image)
    return ImageCost(path, image, rebuild_cost(image, edit))


def manifest_workloads(text: str, path: str, kind: str,
                       companions: Sequence[tuple[str, str]] = ()) -> tuple[list, list]:
    """The workloads of a Compose file or Kubernetes manifest, and the Kubernetes objects (an
    autoscaler in one file may scale a workload of another). ``kind`` is ``compose``,
    ``kubernetes`` or ``yaml`` (decided from the content); other YAML gives nothing."""
    from linter.parsers.yaml import document_kind, parse_yaml

    stream = parse_yaml(text, path)
    if kind == "yaml":
        kind = document_kind(stream.documents)
    if kind == "compose":
        from linter.parsers.compose import merge_compose, parse_compose, to_workloads

        documents = stream.documents
        for companion_path, companion_text in companions:
            companion = parse_yaml(companion_text, companion_path).documents
            if documents and documents[0].root is not None and companion and companion[0].root is not None:
                documents = [documents[0].__class__(merge_compose(documents[0].root, companion[0].root), 0)]
        return to_workloads(parse_compose(documents, path)), []
    if kind == "kubernetes":
        from linter.parsers.kubernetes import parse_kubernetes
        from linter.parsers.kubernetes import to_workloads as kubernetes_workloads

        objects = parse_kubernetes(stream.documents, path)
        return kubernetes_workloads(objects), list(objects.objects)
    return [], []


def context_folder(dockerfile_path: str) -> str:
    """The build context dlint assumes: the Dockerfile's own folder."""
    return os.path.dirname(dockerfile_path) or "."
