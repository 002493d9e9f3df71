"""An archive downloaded in one layer and extracted in a later one.

The downloading layer (a remote ``ADD``, or a ``RUN`` with ``curl -o``/``wget``) keeps the
archive; the extracting layer adds the unpacked tree; a ``rm`` later still only hides the
archive. Downloading, extracting and deleting in one ``RUN`` (or ``curl … | tar -x``) keeps
only the tree. Local ``COPY`` of an archive is hadolint's DL3010 and is not reported here.
"""
from __future__ import annotations

import posixpath
from collections.abc import Iterator

from linter.checks import template
from linter.checks._commands import (
    STRINGS_SCHEMA, Call, StageTracker, calls, copy_operands, is_url, normalize, resolve_path, shipping_stages,
    written_paths,
)
from linter.model.dockerfile import Dockerfile, Instruction, Stage, Word
from linter.model.finding import Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "extensions": {**STRINGS_SCHEMA, "description": "file name endings that mark an archive"},
        "stages": {"enum": ["shipping", "all"]},
    },
}

_DEFAULT_EXTENSIONS = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz", ".tar.zst",
                       ".tzst", ".zip", ".gz", ".bz2", ".xz", ".zst", ".7z")
# Single-file decompressors: every operand is an archive.
_DECOMPRESSORS = frozenset({"gunzip", "bunzip2", "unxz", "unzstd", "unlzma", "uncompress"})
_DECOMPRESS_OPTION = frozenset({"gzip", "bzip2", "xz", "zstd", "lzma"})


def extracted_archives(call: Call) -> list[Word]:
    """The archive operands of an extracting command: ``tar -x…f F``, ``tar xzf F``,
    ``unzip F``, ``gunzip F``, ``xz -d F``, ``7z x F``, ``bsdtar -xf F``."""
    tool = call.tool
    if tool in ("tar", "bsdtar", "gtar"):
        return _tar_archives(call)
    if tool == "unzip":
        return _unzip_archive(call)
    if tool in _DECOMPRESSORS:
        return [word for _, word in call.positionals()]
    if tool in _DECOMPRESS_OPTION and call.has_option("-d", "--decompress", "--uncompress"):
        return [word for _, word in call.positionals()]
    if tool in ("7z", "7za", "7zr"):
        positional = [word for _, word in call.positionals()]
        if positional and positional[0].resolved in ("x", "e"):
            return positional[1:2]
    return []


def _unzip_archive(call: Call) -> list[Word]:
    skip = False
    for word in call.args:
        text = word.resolved
        if skip:
            skip = False
        elif text in ("-d", "-P"):
            skip = True  # the target directory, the password
        elif not text.startswith("-"):
            return [word]
    return []


def _tar_archives(call: Call) -> list[Word]:
    args = call.args
    if not args:
        return []
    first = args[0].resolved
    # Old-style bundled operations without a dash: `tar xzf FILE`.
    if not first.startswith("-") and first.isalpha():
        if "x" not in first:
            return []
        if "f" in first:
            # The letters taking values consume the following words in order; `f` is usually last.
            takers = [ch for ch in first if ch in "fCbTXgLNVK"]
            position = 1 + takers.index("f")
            return [args[position]] if position < len(args) else []
        return []
    texts = [word.resolved for word in args]
    extracting = any(text in ("--extract", "--get") or (text.startswith("-") and not text.startswith("--")
                                                        and "x" in text[1:]) for text in texts)
    if not extracting:
        return []
    found = call.option_values("-f", "--file")
    return [word for word in found if word.resolved != "-"]


@template("download-extract-split", unit="stage", params=PARAMS)
class DownloadExtractSplit:
    def __init__(self, params: dict) -> None:
        self.extensions = tuple(params.get("extensions") or _DEFAULT_EXTENSIONS)
        self.all_stages = params.get("stages", "shipping") == "all"
        self.tracker = StageTracker()
        self.shipping: set[int] = set()
        self.active = True
        self.downloads: dict[str, int] = {}
        self.names: dict[str, int] = {}

    def begin_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        if stage.index == 0:
            self.shipping = shipping_stages(dockerfile.stages)
        self.tracker.begin(stage)
        self.active = self.all_stages or stage.index in self.shipping
        self.downloads = {}
        self.names = {}

    def end_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        return None

    def _is_archive(self, name: str) -> bool:
        return name.lower().endswith(self.extensions)

    def _remember(self, path: str | None, name: str, line: int) -> None:
        if path is not None:
            self.downloads[path] = line
        self.names[name] = line

    def instruction(self, instruction: Instruction, stage: Stage) -> Iterator[Hit]:
        self.tracker.see(instruction)
        if not self.active:
            return
        if instruction.keyword == "ADD":
            self._add(instruction)
        elif instruction.keyword == "RUN":
            yield from self._run(instruction)

    def _add(self, instruction: Instruction) -> None:
        unpack = instruction.flag("unpack")
        if unpack is not None and (unpack.value or "true").lower() in ("true", "1", ""):
            return  # BuildKit extracts a remote archive itself with --unpack
        sources, destination = copy_operands(instruction)
        if destination is None:
            return
        target = resolve_path(destination.resolved, self.tracker.workdir, self.tracker.home)
        into_directory = destination.resolved.endswith("/") or len(sources) > 1
        for word in sources:
            url = word.resolved
            if not is_url(url):
                continue
            name = url.split("?", 1)[0].split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]
            dest_name = name if into_directory else destination.resolved.rstrip("/").rsplit("/", 1)[-1]
            if not self._is_archive(dest_name):
                continue
            path = None
            if target is not None:
                path = normalize(posixpath.join(target, name)) if into_directory else target
            self._remember(path, dest_name, instruction.span.line)

    def _run(self, instruction: Instruction) -> Iterator[Hit]:
        home = self.tracker.home
        here: set[str] = set()
        here_names: set[str] = set()
        for call in calls(instruction, self.tracker.workdir):
            for word in extracted_archives(call):
                hit = self._extracted(call, word, here, here_names, home)
                if hit is not None:
                    yield hit
                    break
            for word in written_paths(call):
                name = word.resolved.rstrip("/").rsplit("/", 1)[-1]
                if self._is_archive(name):
                    path = resolve_path(word.resolved, call.cwd, home)
                    if path is not None:
                        here.add(path)
                    here_names.add(name)
                    self._remember(path, name, call.line)

    def _extracted(self, call: Call, word: Word, here: set[str], here_names: set[str], home: str) -> Hit | None:
        name = word.resolved.rstrip("/").rsplit("/", 1)[-1]
        path = resolve_path(word.resolved, call.cwd, home) if word.value is not None else None
        if path is not None:
            if path in here or path not in self.downloads:
                return None
            line = self.downloads.pop(path)
        else:
            if name in here_names or name not in self.names or "$" in name:
                return None
            line = self.names.pop(name)
        return Hit(call.span, {"command": call.text(), "archive": name, "line": line})
