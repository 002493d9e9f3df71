"""A local archive ``COPY``-ed into the image and extracted by a later ``RUN`` of the stage:
the archive stays in the ``COPY`` layer and the extracted files fill another, so the image
carries both (deleting the archive afterwards only hides it).

An archive is recognised by its extension; an extraction is ``tar`` in extract mode
(``-x``, ``xzf``, ``--extract``), ``unzip``, ``gunzip``, ``xz -d`` and the like, naming the
copied file — by its path in the image (the destination resolved against ``WORKDIR`` and
``cd``), or by its name when the directory cannot be known. Reported once per copied
archive, at its source in the ``COPY``. By default only stages that ship (the final stage
and the stages it is built ``FROM``) are checked.
"""
from __future__ import annotations

import posixpath
from collections import namedtuple
from collections.abc import Iterator

from linter.checks import template
from linter.checks._commands import Call, StageTracker, calls, copy_operands, resolve_path, shipping_stages
from linter.model.dockerfile import Dockerfile, Instruction, Stage
from linter.model.finding import Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "stages": {"enum": ["shipping", "all"],
                   "description": "shipping: the final stage and the stages it is built FROM; all: every stage"},
    },
}

# Archives ADD unpacks by itself, and other archives only a RUN (or a bind mount) can unpack.
_TARS = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz", ".tar.zst", ".tzst")
_OTHERS = (".zip", ".gz", ".bz2", ".xz", ".zst", ".7z", ".rar", ".lzma", ".lz")
_DECOMPRESSORS = frozenset({"unzip", "gunzip", "bunzip2", "unxz", "unzstd", "unlzma", "uncompress", "zcat", "gzcat",
                            "xzcat", "bzcat"})
_DECOMPRESS_OPTIONS = {"gzip": ("-d", "--decompress"), "bzip2": ("-d", "--decompress"),
                       "xz": ("-d", "--decompress"), "zstd": ("-d", "--decompress"), "lzma": ("-d",)}

_Copied = namedtuple("_Copied", "word name line")


def is_archive(name: str) -> bool:
    lowered = name.lower()
    return lowered.endswith(_TARS) or lowered.endswith(_OTHERS)


def extracts(call: Call) -> bool:
    """The call unpacks an archive."""
    if call.tool in ("tar", "bsdtar", "gtar"):
        texts = [word.resolved for word in call.args]
        if any(text in ("--extract", "--get") for text in texts):
            return True
        if any(text.startswith("-") and not text.startswith("--") and "x" in text for text in texts):
            return True
        return bool(texts) and not texts[0].startswith("-") and "x" in texts[0]  # old style: tar xzf a.tgz
    if call.tool in _DECOMPRESSORS:
        return True
    if call.tool in ("7z", "7za", "7zz"):
        return bool(call.subcommand_words()[:1]) and call.subcommand_words()[0] in ("x", "e")
    options = _DECOMPRESS_OPTIONS.get(call.tool)
    return bool(options) and call.has_option(*options)


@template("copied-archive-extracted", unit="stage", params=PARAMS)
class CopiedArchiveExtracted:
    def __init__(self, params: dict) -> None:
        self.all_stages = params.get("stages", "shipping") == "all"
        self.tracker = StageTracker()
        self.shipping: set[int] = set()
        self.active = True
        self.paths: dict[str, _Copied] = {}
        self.names: dict[str, _Copied] = {}

    def begin_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        if stage.index == 0:
            self.shipping = shipping_stages(dockerfile.stages)
        self.tracker.begin(stage)
        self.active = self.all_stages or stage.index in self.shipping
        self.paths, self.names = {}, {}

    def instruction(self, instruction: Instruction, stage: Stage) -> Iterator[Hit]:
        self.tracker.see(instruction)
        if not self.active:
            return
        if instruction.keyword == "COPY":
            self._remember(instruction)
        elif instruction.keyword == "RUN" and (self.paths or self.names):
            yield from self._extractions(instruction)

    def _remember(self, instruction: Instruction) -> None:
        sources, dest = copy_operands(instruction)
        if dest is None or dest.value is None:
            return
        for word in sources:
            if word.value is None or word.text.startswith("<<"):
                continue
            name = posixpath.basename(word.value.rstrip("/"))
            if not is_archive(name):
                continue
            copied = _Copied(word, name, instruction.span.line)
            self.names[name] = copied
            for target in (dest.value, posixpath.join(dest.value, name)):
                path = resolve_path(target, self.tracker.workdir, self.tracker.home)
                if path:
                    self.paths[path] = copied

    def _extractions(self, instruction: Instruction) -> Iterator[Hit]:
        for call in calls(instruction, self.tracker.workdir):
            if not extracts(call):
                continue
            for word in call.args:
                copied = self._copied(word.value, call.cwd)
                if copied is None:
                    continue
                self.paths = {path: other for path, other in self.paths.items() if other is not copied}
                self.names.pop(copied.name, None)
                yield Hit(copied.word.span, {"archive": copied.word.text, "line": call.line,
                                             "fix": _fix(copied.word.text, copied.name)})

    def _copied(self, text: str | None, cwd: str | None) -> _Copied | None:
        if not text or text.startswith("-"):
            return None
        path = resolve_path(text, cwd, self.tracker.home)
        if path is not None:
            return self.paths.get(path)
        return self.names.get(posixpath.basename(text))  # the directory is unknown: go by name

    def end_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        return None


def _fix(source: str, name: str) -> str:
    mount = f"`RUN --mount=type=bind,source={source},target=/tmp/{name} …` and extract `/tmp/{name}`"
    if name.lower().endswith(_TARS):
        return f"let `ADD` unpack it (`ADD {source} <dir>/`), or read it from a bind mount: {mount}"
    return f"read it from a bind mount instead: {mount}"
