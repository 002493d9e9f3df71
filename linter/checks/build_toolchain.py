"""Compilers, build tools and development headers left in the image that ships.

Only images that look like an application are checked: the final image has a ``CMD`` or
``ENTRYPOINT`` of its own that is not an interactive shell (a development or CI image
*is* its toolchain), and its stages copy nothing from another stage of the file (a build
already split into stages chose what to keep). An install is fine when the same stage
removes those packages again — by name or through an ``apk add --virtual`` group — in the
same ``RUN`` (or later: ``cleanup-in-later-layer`` reports that case).
"""
from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator

from linter.checks import template
from linter.checks._commands import (
    PATTERNS_SCHEMA, STRINGS_SCHEMA, calls, match_any, operands, package_name, patterns, shipping_stages,
    substitute,
)
from linter.checks._entry import IDLE, SHELLS, final_entry, is_development
from linter.checks._globs import globs
from linter.model.dockerfile import Dockerfile, Instruction, Stage
from linter.model.finding import Hit

MANAGER_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["install", "remove", "names"],
    "properties": {
        "install": PATTERNS_SCHEMA,
        "remove": PATTERNS_SCHEMA,
        "syntax": {"enum": ["apt", "apk", "rpm", "pip", "npm"]},
        "names": {**STRINGS_SCHEMA, "description": "globs of toolchain package names"},
        "group_options": {**STRINGS_SCHEMA, "description": "install options whose value names a removable group"},
        "mark_auto": {**PATTERNS_SCHEMA,
                      "description": "commands that mark packages automatically installed (`apt-mark auto`): a "
                                     "later `remove` in the same RUN then removes everything the RUN installed"},
    },
}

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["managers"],
    "properties": {
        "managers": {"type": "array", "items": MANAGER_SCHEMA},
        "interactive": {**STRINGS_SCHEMA,
                        "description": "programs whose bare use as CMD/ENTRYPOINT marks a development image"},
        "idle": {**STRINGS_SCHEMA,
                 "description": "programs that only keep a container alive (`sleep infinity`): a development image"},
        "multi_stage": {"enum": ["skip", "check"],
                        "description": "skip: images whose stages COPY --from another stage are not checked"},
    },
}

_Install = namedtuple("_Install", "span names group run")
_Manager = namedtuple("_Manager", "install remove syntax names group_options mark_auto")


@template("build-toolchain", unit="stage", params=PARAMS)
class BuildToolchain:
    def __init__(self, params: dict) -> None:
        self.managers = [
            _Manager(patterns(data["install"]), patterns(data["remove"]), data.get("syntax", "apt"),
                     globs(data["names"]), tuple(data.get("group_options", ())), patterns(data.get("mark_auto")))
            for data in params["managers"]
        ]
        self.interactive = frozenset(params.get("interactive", SHELLS))
        self.idle = frozenset(params.get("idle", IDLE))
        self.check_multi_stage = params.get("multi_stage", "skip") == "check"
        self.shipping: set[int] = set()
        self.entry_words: set[str] = set()
        self.file_active = False
        self.active = False
        self.pending: list[_Install] = []

    # -- the whole image ----------------------------------------------------------------

    def _classify(self, dockerfile: Dockerfile) -> None:
        self.shipping = shipping_stages(dockerfile.stages)
        entry = final_entry(dockerfile)
        self.file_active = entry is not None and not is_development(entry, self.interactive, self.idle)
        if self.file_active and not self.check_multi_stage:
            self.file_active = not any(self._copies_from_stage(instruction, dockerfile)
                                       for stage in dockerfile.stages if stage.index in self.shipping
                                       for instruction in stage.instructions)
        if entry is not None:
            self.entry_words = {word.resolved.rsplit("/", 1)[-1] for word in entry.words}

    @staticmethod
    def _copies_from_stage(instruction: Instruction, dockerfile: Dockerfile) -> bool:
        sources = []
        if instruction.keyword in ("COPY", "ADD"):
            flag = instruction.flag("from")
            sources = [flag.value] if flag is not None and flag.value else []
        elif instruction.keyword == "RUN":
            sources = [mount.get("from", "") for mount in instruction.mounts() if mount.get("from")]
        return any(dockerfile.stage_by_name(substitute(name, instruction.variables)) is not None
                   for name in sources)

    # -- stages -------------------------------------------------------------------------

    def begin_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        if stage.index == 0:
            self._classify(dockerfile)
        self.active = self.file_active and stage.index in self.shipping
        self.pending = []

    def instruction(self, instruction: Instruction, stage: Stage) -> Iterator[Hit]:
        if self.active and instruction.keyword == "RUN":
            self._run(instruction)
        return iter(())

    def end_stage(self, stage: Stage, dockerfile: Dockerfile) -> Iterator[Hit]:
        for install in self.pending:
            if install.names:
                yield Hit(install.span, {"packages": ", ".join(install.names)})
        self.pending = []

    def _run(self, instruction: Instruction) -> None:
        marked: set[int] = set()  # managers whose packages this RUN marked automatic
        for call in calls(instruction):
            for number, manager in enumerate(self.managers):
                found = match_any(call, manager.install)
                if found is not None:
                    self._installed(call, found[1], manager, instruction)
                    break
                if match_any(call, manager.mark_auto) is not None:
                    marked.add(number)
                    break
                found = match_any(call, manager.remove)
                if found is not None:
                    if number in marked:  # `apt-mark auto '.*'` … `apt-get purge --auto-remove`
                        self.pending = [item for item in self.pending if item.run is not instruction]
                    removed = {package_name(word.resolved, manager.syntax) for word in operands(call, found[1])}
                    self._removed(removed)
                    break

    def _installed(self, call, after: int, manager: _Manager, instruction: Instruction) -> None:
        names, first = [], None
        for word in operands(call, after):
            name = package_name(word.resolved, manager.syntax)
            if name in self.entry_words or "$" in name:
                continue
            if manager.names.match(name):
                names.append(name)
                first = first or word
        if first is None:
            return
        groups = call.option_values(*manager.group_options) if manager.group_options else []
        self.pending.append(_Install(first.span, names, groups[-1].resolved if groups else None, instruction))

    def _removed(self, removed: set[str]) -> None:
        kept = []
        for install in self.pending:
            if install.group is not None and install.group in removed:
                continue
            names = [name for name in install.names if name not in removed]
            if names:
                kept.append(install._replace(names=names))
        self.pending = kept
