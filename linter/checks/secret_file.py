"""A credentials file copied into a layer of the image that ships.

``always`` names files that are secrets wherever they appear (SSH private keys,
``.netrc``): a ``COPY``/``ADD`` of one is reported at once. ``suspect`` names files that are
often but not always secret (``.npmrc``, ``*.pem``, ``.env``): they are reported when a
later ``RUN`` of the stage deletes them, which shows they were only needed to build — and
the copying layer still holds them. Deleting a suspect file from a tree an earlier
``COPY`` wrote (``COPY . .`` … ``rm .npmrc``) counts too. Names are matched on the base
name of the source and of the destination.
"""
from __future__ import annotations

import posixpath
from collections import namedtuple
from collections.abc import Iterator

from linter.checks import template
from linter.checks._commands import (
    STRINGS_SCHEMA, StageTracker, calls, copy_operands, covers, is_url, normalize, removal_covers, removed_paths,
    resolve_path, shipping_stages,
)
from linter.checks._globs import Globs, globs
from linter.model.dockerfile import Dockerfile, Instruction, Stage
from linter.model.finding import Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "always": {**STRINGS_SCHEMA, "description": "globs of file names that are always secrets"},
        "suspect": {**STRINGS_SCHEMA, "description": "globs of file names that are secrets when deleted later"},
        "stages": {"enum": ["shipping", "all"]},
    },
}

# A copied file or tree: where it landed, how it was named in the COPY, where to report.
_Copied = namedtuple("_Copied", "path name span keyword tree")


def _basename(text: str) -> str:
    return text.rstrip("/").rsplit("/", 1)[-1]


@template("secret-file", unit="stage", params=PARAMS)
class SecretFile:
    def __init__(self, params: dict) -> None:
        self.always = globs(params.get("always"))
        self.suspect = globs(params.get("suspect"))
        self.all_stages = params.get("stages", "shipping") == "all"
        self.tracker = StageTracker()
        self.shipping: set[int] = set()
        self.active = True
        self.copied: list[_Copied] = []

    def begin_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        if stage.index == 0:
            self.shipping = shipping_stages(dockerfile.stages)
        self.tracker.begin(stage)
        self.active = self.all_stages or stage.index in self.shipping
        self.copied = []

    def end_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        return None

    def _matches(self, patterns: Globs, *names: str) -> str | None:
        for name in names:
            if name and patterns.match(name):
                return name
        return None

    def instruction(self, instruction: Instruction, stage: Stage) -> Iterator[Hit]:
        self.tracker.see(instruction)
        if not self.active:
            return
        if instruction.keyword in ("COPY", "ADD"):
            yield from self._copy(instruction)
        elif instruction.keyword == "RUN" and self.copied:
            yield from self._run(instruction)

    def _copy(self, instruction: Instruction) -> Iterator[Hit]:
        sources, destination = copy_operands(instruction)
        if destination is None:
            return
        target = resolve_path(destination.resolved, self.tracker.workdir, self.tracker.home)
        into_directory = destination.resolved.endswith("/") or len(sources) > 1
        for word in sources:
            text = word.resolved
            if text.startswith("<<") or is_url(text) or "$" in text:
                continue
            source_name = _basename(text)
            dest_name = source_name if into_directory else _basename(destination.resolved)
            path = None
            if target is not None:
                path = normalize(posixpath.join(target, source_name)) if into_directory else target
            name = self._matches(self.always, source_name, dest_name)
            if name is not None:
                yield Hit(word.span, {"name": name, "keyword": instruction.keyword,
                                      "problem": "looks like a private key or credentials file"})
                continue
            tree = text in (".", "./") or text.endswith("/")
            suspect = self._matches(self.suspect, source_name, dest_name)
            # Only a suspect file or a tree can be reported later: keeping every copy would make
            # each later `rm` scan all the copies of the stage.
            if path is not None and (suspect is not None or tree):
                self.copied.append(_Copied(path, suspect, word.span, instruction.keyword, tree))

    def _run(self, instruction: Instruction) -> Iterator[Hit]:
        home = self.tracker.home
        for call in calls(instruction, self.tracker.workdir):
            for word in removed_paths(call):
                removed = resolve_path(word.resolved, call.cwd, home) if word.value is not None else None
                if removed is None:
                    continue
                hit = self._removed(removed, call.line)
                if hit is not None:
                    yield hit

    def _removed(self, removed: str, line: int) -> Hit | None:
        for index, copied in enumerate(self.copied):
            if copied.name is not None and removal_covers(removed, copied.path):
                del self.copied[index]
                return Hit(copied.span, {"name": copied.name, "keyword": copied.keyword,
                                         "problem": f"is deleted on line {line}, so it was only needed to build"})
            removed_name = _basename(removed)
            if copied.tree and covers(copied.path, removed) and removed != copied.path \
                    and self._matches(self.suspect, removed_name):
                return Hit(copied.span, {"name": removed_name, "keyword": copied.keyword,
                                         "problem": f"comes in with this copy and is deleted on line {line}, so it "
                                                    "was only needed to build"})
        return None
