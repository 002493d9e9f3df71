"""Image size, layer by layer, and what a source edit rebuilds.

:func:`estimate_image` walks a Dockerfile's stages in order. Each stage starts from its base
(the base-image table, or an earlier stage it is built ``FROM``) and each instruction adds a
layer sized by :mod:`linter.cost.layers`. Only the target stage ships (the last one unless
``target`` names another): earlier stages matter through ``FROM`` and ``COPY --from``.

:func:`rebuild_cost` applies Docker's cache rules to a list of changed context paths: the
first ``COPY``/``ADD`` (or ``RUN --mount=type=bind``) whose sources include a changed path
rebuilds, with every later instruction of its stage and of the stages that use it.
:func:`source_edit` names the change the ``dlint cost`` command assumes by default.

Sizes are :class:`~linter.cost.estimate.Estimate` s in bytes: uncompressed (on disk, what
``docker images`` shows) unless named compressed (what a pull downloads). Unknown is never 0.
"""
from __future__ import annotations

import fnmatch
import posixpath
import re

from linter.cost import base_images, compression
from linter.cost.estimate import Estimate, combine, lowest
from linter.cost.layers import ZERO, LayerEstimate, Part, RunModel, StageState, covers
from linter.cost.layers import _absolute as absolute_path
from linter.model.dockerfile import Dockerfile, Instruction, Stage

__all__ = ["ImageEstimate", "StageEstimate", "LayerEstimate", "RebuildEstimate", "estimate_image", "rebuild_cost",
           "source_edit"]

# Files that list dependencies rather than hold the application (copied first for the cache).
_MANIFEST = re.compile(r"(requirements.*\.(txt|in)|constraints.*\.txt|package(-lock)?\.json|npm-shrinkwrap\.json|"
                       r"yarn\.lock|pnpm-lock\.yaml|pyproject\.toml|setup\.(py|cfg)|poetry\.lock|Pipfile(\.lock)?|"
                       r"uv\.lock|go\.(mod|sum)|Cargo\.(toml|lock)|Gemfile(\.lock)?|composer\.(json|lock)|pom\.xml|"
                       r"build\.gradle(\.kts)?|settings\.gradle(\.kts)?|gradle\.properties|"
                       r".*\.(conf|cfg|ini|ya?ml|toml)|\.[^/]*)$")
_ARCHIVE_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2", ".tbz2", ".tbz", ".tar.zst")
_METADATA = frozenset({"ENV", "LABEL", "CMD", "ENTRYPOINT", "EXPOSE", "USER", "ARG", "STOPSIGNAL", "HEALTHCHECK",
                       "SHELL", "VOLUME", "ONBUILD", "MAINTAINER", "WORKDIR"})


class StageEstimate:
    """One stage: its base (a ``BaseImage``, or None when unknown or an earlier stage),
    ``parent`` (the index of the stage it is built ``FROM``, if any), its rows (``layers``,
    the ``FROM`` row first) and its total, uncompressed and compressed."""

    __slots__ = ("index", "name", "base_ref", "base", "parent", "layers", "total", "compressed", "state")

    def __init__(self, stage: Stage, base, parent: int | None, state: StageState) -> None:
        self.index = stage.index
        self.name = stage.alias or str(stage.index)
        self.base_ref = stage.base.text
        self.base = base
        self.parent = parent
        self.layers: list[LayerEstimate] = []
        self.total = ZERO
        self.compressed = ZERO
        self.state = state

    def __repr__(self) -> str:
        return f"<StageEstimate {self.name} {self.total.size}>"


class ImageEstimate:
    """The estimate of a whole Dockerfile: every stage up to the image that ships (``target``),
    and ``needed``, the indexes of the stages building it takes (FROM, COPY --from, RUN --mount=from).

    ``uncompressed`` and ``compressed`` are the shipped image's sizes: unknown (``size`` None)
    as soon as one of its layers is, with ``known_uncompressed``/``known_compressed`` the part
    that could be sized and ``unknown_layers`` how many could not.
    """

    __slots__ = ("path", "platform", "stages", "target", "uncompressed", "compressed", "known_uncompressed",
                 "known_compressed", "unknown_layers", "context", "needed")

    def __init__(self, path: str, platform: str, stages: list, target: int, context, needed: list) -> None:
        self.path = path
        self.platform = platform
        self.stages = stages
        self.target = target
        self.context = context
        self.needed = needed
        final = stages[target]
        shipped = self.layers
        self.unknown_layers = sum(1 for layer in shipped if layer.unknown)
        self.known_uncompressed = final.total.size or 0
        self.known_compressed = final.compressed.size or 0
        self.uncompressed = _whole(final.total)
        self.compressed = _whole(final.compressed)

    @property
    def shipped(self) -> list[int]:
        """Indexes of the stages whose layers ship: the target and those it is built ``FROM``
        (``needed`` adds the stages it only copies from)."""
        chain = [self.target]
        while self.stages[chain[-1]].parent is not None:
            chain.append(self.stages[chain[-1]].parent)
        return chain[::-1]

    @property
    def layers(self) -> list[LayerEstimate]:
        """The rows of the shipped image, its base first."""
        rows = []
        for position, index in enumerate(self.shipped):
            rows.extend(self.stages[index].layers[0 if position == 0 else 1:])
        return rows


class RebuildEstimate:
    """What building again after ``changed`` costs: the ``layers`` that rebuild (in build order,
    across the stages the image needs), what they ``download`` and ``write`` (Estimates), the
    ``trigger``, the first layer whose inputs changed (None: nothing rebuilds), and ``notes``,
    the assumptions behind the download figure."""

    __slots__ = ("changed", "trigger", "layers", "download", "write", "notes")

    def __init__(self, changed: list, trigger, layers: list, notes: list) -> None:
        self.changed = list(changed)
        self.trigger = trigger
        self.layers = layers
        self.download = combine(layer.download for layer in layers)
        self.write = combine(layer.size for layer in layers)
        self.notes = notes


def _whole(estimate: Estimate) -> Estimate:
    if estimate.unknown:
        return Estimate(None, "unknown", estimate.notes, estimate.unknown)
    return estimate


# -- the walk --------------------------------------------------------------------------------------

def estimate_image(dockerfile: Dockerfile, context, platform: str = "linux/amd64",
                   target: str | None = None) -> ImageEstimate:
    """Size every stage of ``dockerfile`` and the image that ships (the last stage, or ``target``).

    ``context``: the build context (``linter.cost.context.BuildContext``), or None when it is
    not known, in which case every ``COPY``/``ADD`` from it is unknown. Raises ValueError when
    the file has no stage or ``target`` names none.
    """
    if not dockerfile.stages:
        raise ValueError(f"{dockerfile.path}: no FROM, nothing to estimate")
    final = dockerfile.stages[-1]
    if target is not None:
        final = dockerfile.stage_by_name(target)
        if final is None:
            raise ValueError(f"{dockerfile.path}: no stage named {target!r}")
    estimates: list[StageEstimate] = []
    for stage in dockerfile.stages[: final.index + 1]:
        estimates.append(_estimate_stage(stage, dockerfile, context, platform, estimates))
    return ImageEstimate(dockerfile.path, platform, estimates, final.index, context,
                         _needed(dockerfile, estimates, final.index))


def _estimate_stage(stage: Stage, dockerfile: Dockerfile, context, platform: str,
                    estimates: list) -> StageEstimate:
    stage_platform = stage.platform if stage.platform and "$" not in stage.platform else platform
    arch = stage_platform.split("/")[1] if "/" in stage_platform else stage_platform
    if stage.base.stage is not None:
        parent = estimates[stage.base.stage]
        state = parent.state.inherit(stage.index)
        result = StageEstimate(stage, None, parent.index, state)
        size, packed = _inherited(parent)
    else:
        base = None if stage.base.unresolved else base_images.lookup(stage.base)
        state = StageState(stage.index, arch, base)
        result = StageEstimate(stage, base, None, state)
        size, packed = _base_size(stage.base.text, base, stage_platform)
    first = LayerEstimate(stage.index, stage.from_instruction, [Part(size, "binary", "/", ZERO, packed)], [], size)
    result.layers.append(first)
    total, total_packed = _sum(size), _sum(packed)
    for instruction in stage.instructions[1:]:
        parts, notes = _instruction_parts(instruction, state, dockerfile, context, estimates)
        layer = LayerEstimate(stage.index, instruction, parts, notes, ZERO)
        total = _sum(total, layer.size)
        total_packed = _sum(total_packed, layer.compressed)
        layer.total = total
        result.layers.append(layer)
        state.layers.append(layer)
    result.total, result.compressed = total, total_packed
    return result


def _sum(*sizes: Estimate) -> Estimate:
    """A running total: the sizes added up, without their notes (the rows carry those)."""
    total = combine(sizes)
    return Estimate(total.size, total.confidence, (), total.unknown)


def _inherited(parent: StageEstimate) -> tuple[Estimate, Estimate]:
    note = f"built FROM stage {parent.name}"
    return (Estimate(parent.total.size, parent.total.confidence, (note,), parent.total.unknown),
            Estimate(parent.compressed.size, parent.compressed.confidence, (note,), parent.compressed.unknown))


def _base_size(ref: str, base, platform: str) -> tuple[Estimate, Estimate]:
    """Uncompressed and compressed size of a base image, from the table."""
    if base is None:
        note = f"base image {ref or '?'} is not in dlint's table"
        return Estimate.unknown_size(note), Estimate.unknown_size(note)
    confidence = base.confidence if base.match != "minor-version" else lowest((base.confidence, "medium"))
    notes = [f"base {base.ref}: published size of {base.date}"]
    if base.match == "minor-version":
        notes.append(f"{ref} taken as {base.ref}")
    uncompressed, packed = base.uncompressed(platform), base.compressed(platform)
    arch_confidence = confidence
    if uncompressed is None and packed is None and not platform.endswith("amd64"):
        uncompressed, packed = base.uncompressed("linux/amd64"), base.compressed("linux/amd64")
        notes.append("amd64 sizes used (other architectures are within about 5%)")
        arch_confidence = lowest((confidence, "medium"))
    if uncompressed is None and packed is not None:
        uncompressed = round(packed / compression.BASE_IMAGE_RATIO)
        notes.append("uncompressed ≈ 2.6 × the published compressed size")
        size = Estimate(uncompressed, lowest((arch_confidence, "low")), tuple(notes))
    elif uncompressed is None:
        size = Estimate.unknown_size(f"the table has no size of {base.ref} for {platform}")
    else:
        size = Estimate(uncompressed, arch_confidence, tuple(notes))
    if packed is None and uncompressed is not None:
        packed_size = Estimate(round(uncompressed * compression.BASE_IMAGE_RATIO), lowest((arch_confidence, "low")),
                               ("compressed ≈ uncompressed / 2.6",))
    elif packed is None:
        packed_size = Estimate.unknown_size(f"the table has no size of {base.ref} for {platform}")
    else:
        packed_size = Estimate(packed, arch_confidence, tuple(notes))
    return size, packed_size


def _instruction_parts(instruction: Instruction, state: StageState, dockerfile: Dockerfile, context,
                       estimates: list) -> tuple[list, list]:
    keyword = instruction.keyword
    if keyword == "RUN":
        return RunModel(instruction, state, context, instruction.variables).model()
    if keyword in ("COPY", "ADD"):
        source = instruction.flag("from")
        if source is not None and source.value:
            return _copy_from(instruction, source.value, state, dockerfile, estimates)
        return _copy_context(instruction, state, context)
    if keyword == "WORKDIR" and instruction.words:
        state.workdir = absolute_path(instruction.words[0].resolved, state.workdir, state.home)
    elif keyword == "USER" and instruction.words:
        state.user = instruction.words[0].resolved
    if keyword in _METADATA:
        return [], []
    return [Part(Estimate.unknown_size(f"{keyword} is not modelled"), "binary")], []


# -- COPY and ADD ----------------------------------------------------------------------------------

def copy_operands(instruction: Instruction) -> tuple[list[str], str | None]:
    """Sources (heredoc markers included, as ``<<EOF``) and destination of a COPY/ADD."""
    words = [word.resolved for word in instruction.words]
    if len(words) < 2:
        return [], None
    return words[:-1], words[-1]


def _copy_context(instruction: Instruction, state: StageState, context) -> tuple[list, list]:
    sources, destination = copy_operands(instruction)
    if destination is None:
        return [], []
    target = absolute_path(destination, state.workdir, state.home)
    parts, notes, local = [], [], []
    for source in sources:
        if source.startswith("<<"):
            parts.append(_heredoc_part(instruction, source, target))
        elif "://" in source or source.startswith("git@"):
            parts.append(_remote_part(instruction, source, target))
        elif instruction.keyword == "ADD" and source.lower().endswith(_ARCHIVE_SUFFIXES):
            parts.append(_archive_part(context, source, target))
            local.append(source)
        else:
            local.append(source)
    measured = [source for source in local if not source.lower().endswith(_ARCHIVE_SUFFIXES)
                or instruction.keyword == "COPY"]
    if measured:
        if context is None:
            size = Estimate.unknown_size("no build context: copied files not measured")
        elif any("$" in source for source in measured):
            size = Estimate.unknown_size("a source names a variable without a known value")
        else:
            size = context.measure(measured)
        parts.append(Part(size, compression.content_of_paths(measured), target))
    if instruction.flag("exclude") is not None:
        notes.append("--exclude patterns not applied: an upper bound")
    if local and target:
        state.copies.append((target, local))
    return parts, notes


def _heredoc_part(instruction: Instruction, marker: str, target: str | None) -> Part:
    delimiter = marker.lstrip("<-").strip("'\"")
    for heredoc in instruction.heredocs:
        if heredoc.delimiter == delimiter:
            return Part(Estimate(len(heredoc.body.encode("utf-8")), "high", ("inline here-document",)), "text", target)
    return Part(Estimate.unknown_size(f"here-document {delimiter} not found"), "text", target)


def _remote_part(instruction: Instruction, url: str, target: str | None) -> Part:
    if instruction.keyword == "COPY":
        return Part(Estimate.unknown_size(f"COPY cannot fetch {url}"), "binary", target)
    if url.startswith("git@") or url.split("#", 1)[0].endswith(".git"):
        note = f"ADD of the git repository {url}: its size is not known offline"
        return Part(Estimate.unknown_size(note), "binary", target, Estimate.unknown_size(note))
    from linter.cost.downloads import download

    size = download(url, False)  # ADD does not extract a remote archive
    return Part(size, compression.content_of_paths([url.split("?", 1)[0]]), target, size)


def _archive_part(context, source: str, target: str | None) -> Part:
    if context is None:
        return Part(Estimate.unknown_size("no build context: archive not measured"), "binary", target)
    size = context.archive_size(source)
    return Part(Estimate(size.size, size.confidence, size.notes + (f"ADD extracts {source}",), size.unknown),
                "binary", target)


def _copy_from(instruction: Instruction, name: str, state: StageState, dockerfile: Dockerfile,
               estimates: list) -> tuple[list, list]:
    sources, destination = copy_operands(instruction)
    if destination is None:
        return [], []
    stage = dockerfile.stage_by_name(name)
    if stage is None or stage.index >= instruction.stage_index or stage.index >= len(estimates):
        note = f"copies from the image {name}: which of its files is not known"
        return [Part(Estimate.unknown_size(note), "binary", None)], []
    source_stage = estimates[stage.index]
    target = absolute_path(destination, state.workdir, state.home)
    parts, notes = [], []
    added = [(layer, part) for layer in source_stage.state.layers for part in layer.parts]
    for source in sources:
        path = posixpath.normpath("/" + source.lstrip("/"))
        if path == "/":
            whole = source_stage.total
            notes.append(f"copies the whole filesystem of stage {source_stage.name}")
            parts.append(Part(Estimate(whole.size, lowest((whole.confidence, "low")), whole.notes[:1], whole.unknown),
                              "binary", target))
            continue
        exact = [(layer, part) for layer, part in added if part.path and covers(path, part.path)]
        if exact:
            lines = sorted({layer.line for layer, _ in exact})
            notes.append(f"copies {path} from stage {source_stage.name}: what line"
                         f"{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines))} put there")
            for _, part in exact:
                parts.append(Part(Estimate(part.size.size, lowest((part.size.confidence, "medium")), (),
                                           part.size.unknown), part.content, target, ZERO, part.packed))
            continue
        everything = combine(part.size for _, part in added)
        notes.append(f"copies {path} from stage {source_stage.name}: cannot be narrowed down, counted as "
                     f"everything the stage added (an upper bound)")
        parts.append(Part(Estimate(everything.size, lowest((everything.confidence, "low")), (), everything.unknown),
                          "binary", target))
    return parts, notes


# -- rebuild ---------------------------------------------------------------------------------------

def _needed(dockerfile: Dockerfile, estimates: list, target: int) -> list[int]:
    """Indexes of the stages the target is built from (FROM and COPY --from), in build order."""
    needed, pending = set(), [target]
    while pending:
        index = pending.pop()
        if index in needed:
            continue
        needed.add(index)
        stage = dockerfile.stages[index]
        if stage.base.stage is not None:
            pending.append(stage.base.stage)
        for instruction in stage.instructions:
            name = _from_stage(instruction)
            if name is not None:
                used = dockerfile.stage_by_name(name)
                if used is not None and used.index < index:
                    pending.append(used.index)
    return sorted(needed)


def _from_stage(instruction: Instruction) -> str | None:
    """The stage a ``COPY --from`` or ``RUN --mount=from=`` reads, if any."""
    if instruction.keyword in ("COPY", "ADD"):
        flag = instruction.flag("from")
        return flag.value if flag is not None and flag.value else None
    if instruction.keyword == "RUN":
        for mount in instruction.mounts():
            if mount.get("from"):
                return mount["from"]
    return None


def rebuild_cost(image: ImageEstimate, changed: list[str]) -> RebuildEstimate:
    """What building ``image`` again costs after ``changed`` (paths relative to the context;
    a path ending in ``/`` means some file under that directory that no narrower source names).

    Docker's cache rules: the first COPY/ADD whose sources include a changed path (or RUN
    bind-mounting one), and every later instruction of that stage and of the stages that are
    built from it or copy from it, build again. Paths ``.dockerignore`` excludes change nothing.
    """
    context = image.context
    edits = [path for path in changed if path.endswith("/") or context is None or not context.excluded(_clean(path))]
    dockerfile_stages = {stage.index: stage for stage in image.stages}
    rebuilt: dict[int, int] = {}
    trigger = None
    for index in image.needed:
        stage = dockerfile_stages[index]
        first = 1 if stage.parent in rebuilt else None
        for position, layer in enumerate(stage.layers[1:], 1):
            if first is not None:
                break
            if _reads_changed(layer.instruction, edits, image, rebuilt):
                first = position
                if trigger is None and _from_stage(layer.instruction) is None:
                    trigger = layer
        if first is not None:
            rebuilt[index] = first
    layers = [layer for index in image.needed if index in rebuilt
              for layer in dockerfile_stages[index].layers[rebuilt[index]:]]
    notes = []
    for layer in layers:  # what the download figures assume
        notes.extend(note for note in layer.download.notes if note not in notes)
    if edits != list(changed):
        notes.append("changed paths excluded by .dockerignore change nothing")
    return RebuildEstimate(changed, trigger, layers, notes)


def _reads_changed(instruction: Instruction, changed: list[str], image: ImageEstimate, rebuilt: dict) -> bool:
    name = _from_stage(instruction)
    if name is not None:
        return any(stage.name.lower() == name.lower() or str(stage.index) == name for stage in image.stages
                   if stage.index in rebuilt)
    if instruction.keyword in ("COPY", "ADD"):
        sources, _ = copy_operands(instruction)
        sources = [source for source in sources if not source.startswith("<<") and "://" not in source]
    elif instruction.keyword == "RUN":
        sources = [mount.get("source") or mount.get("src") or "." for mount in instruction.mounts()
                   if mount.get("type", "bind").lower() == "bind"]
    else:
        return False
    return any(_source_covers(source, path) for source in sources for path in changed)


def _clean(path: str) -> str:
    cleaned = posixpath.normpath("/" + path.strip()).lstrip("/")
    return "" if cleaned == "." else cleaned


def _source_covers(source: str, changed: str) -> bool:
    """True when a COPY source (maybe a glob) names ``changed`` or a directory holding it."""
    pattern, path = _clean(source), _clean(changed)
    if not pattern:
        return True
    parts = path.split("/")
    for end in range(1, len(parts) + 1):
        prefix = "/".join(parts[:end])
        if prefix == pattern or fnmatch.fnmatchcase(prefix, pattern):
            return True
    return False


def source_edit(image: ImageEstimate) -> list[str]:
    """The change ``dlint cost`` assumes by default, "an edit to the application sources": a
    file under the first COPY/ADD from the context that copies the whole context (``["./"]``)
    or a directory (a source ending in ``/``, or a name without an extension that the context
    cannot read as a file), e.g. ``["src/"]``. When no instruction copies one, the first copied
    file that is not a dependency manifest (``requirements.txt``, ``package.json``, lock files…)
    stands for the application. Empty when nothing is copied from the context."""
    context = image.context
    single_file = None
    for index in image.needed:
        for layer in image.stages[index].layers[1:]:
            if layer.keyword not in ("COPY", "ADD") or _from_stage(layer.instruction) is not None:
                continue
            sources, _ = copy_operands(layer.instruction)
            for source in sources:
                if source.startswith("<<") or "://" in source or any(ch in source for ch in "*?["):
                    continue
                cleaned = _clean(source)
                if not cleaned:
                    return ["./"]
                named_file = "." in posixpath.basename(cleaned) or (
                    context is not None and context.read_text(cleaned) is not None)
                if source.endswith("/") or not named_file:
                    return [cleaned + "/"]
                if single_file is None and not _MANIFEST.match(posixpath.basename(cleaned)):
                    single_file = cleaned
    return [single_file] if single_file else []

