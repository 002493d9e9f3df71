"""A package manager leaves its cache (index, downloads) in the layer of the ``RUN`` that ran it.

One template for every cache: the rule's ``cache`` param says which commands fill it
(``apt-get update``, ``pip install``, ``apk add``…), where it lives, which commands or
options avoid or empty it. A fill is fine when, in the same ``RUN``, the cache is skipped
(``--no-cache-dir``, a truthy ``PIP_NO_CACHE_DIR``), emptied after it (a clean command or
``rm`` of its directory), or kept out of the layer by a cache or tmpfs mount on it.

``fix`` (used by ``--fix`` when the rule declares one): ``option`` is inserted after the
fill's subcommand (``pip install --no-cache-dir``; only for the fills in ``commands`` when
given) unless the call moves the cache with a ``cache_dir`` option. ``append`` is added as
``&& <command>`` after the last command of a shell-form ``RUN`` without heredocs, run as
root — when ``needed_by`` is given, not if a later ``RUN`` runs one of those commands
before filling the cache itself, or runs a script of the project, which might.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._commands import (
    CACHE_SCHEMA, PATTERNS_SCHEMA, Cache, StageTracker, calls, match_any, mount_covering, patterns, shipping_stages,
)
from linter.checks._fixes import add_option, insert_after, run_tail_is_empty, runs_script
from linter.model.dockerfile import Dockerfile, Instruction, Stage
from linter.model.finding import Hit

_ELEVATE = frozenset({"sudo", "doas", "su", "gosu", "su-exec", "runuser"})

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["cache"],
    "properties": {
        "cache": CACHE_SCHEMA,
        "stages": {"enum": ["shipping", "all"],
                   "description": "shipping: the final stage and the stages it is built FROM; all: every stage"},
        "once_per_run": {"type": "boolean",
                         "description": "report only the first uncleaned fill of a RUN (`yum update && yum "
                                        "install` leave one cache, fixed by one clean)"},
        "fix": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "option": {"type": "string", "description": "inserted after the fill command's subcommand"},
                "commands": {**PATTERNS_SCHEMA, "description": "the fills `option` is added to (default: all)"},
                "append": {"type": "string", "description": "appended to the RUN as `&& <command>`"},
                "needed_by": {**PATTERNS_SCHEMA,
                              "description": "commands of a later RUN that need the cache: no `append` fix then"},
            },
        },
    },
}


@template("package-cache", unit="stage", params=PARAMS)
class PackageCache:
    def __init__(self, params: dict) -> None:
        self.cache = Cache.from_params(params["cache"])
        self.all_stages = params.get("stages", "shipping") == "all"
        self.once_per_run = params.get("once_per_run", False)
        self.tracker = StageTracker()
        self.shipping: set[int] = set()
        self.active = True
        fix = params.get("fix") or {}
        self.fix_option = fix.get("option")
        self.fix_commands = patterns(fix["commands"]) if fix.get("commands") else self.cache.fill
        self.fix_append = fix.get("append")
        self.needed_by = patterns(fix.get("needed_by"))
        self.dockerfile: Dockerfile | None = None
        self._needing: list[int] | None = None

    def begin_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        if stage.index == 0:
            self.shipping = shipping_stages(dockerfile.stages)
            self.dockerfile = dockerfile
            self._needing = None
        self.tracker.begin(stage)
        self.active = self.all_stages or stage.index in self.shipping

    def instruction(self, instruction: Instruction, stage: Stage) -> Iterator[Hit]:
        self.tracker.see(instruction)
        trigger = instruction.trigger
        if trigger is not None and trigger.keyword == "RUN":
            yield from self._check(trigger)  # ONBUILD RUN: a layer of every child image
        if self.active and instruction.keyword == "RUN":
            yield from self._check(instruction)

    def _check(self, instruction: Instruction) -> Iterator[Hit]:
        home = self.tracker.home
        variables = instruction.variables
        found = calls(instruction, self.tracker.workdir)
        for position, call in enumerate(found):
            if not self.cache.fills(call) or self.cache.skipped(call, variables):
                continue
            locations = self.cache.locations(call, variables)
            if mount_covering(instruction, locations, home=home) is not None:
                continue
            if any(self.cache.cleans(later, locations, home) for later in found[position + 1:]):
                continue
            yield Hit(call.span, {"command": call.text(), "cache": self.cache.name,
                                  "path": locations[0] if locations else ""}, self._edits(instruction, call))
            if self.once_per_run:
                return

    # -- fixes ------------------------------------------------------------------------------

    def _edits(self, instruction: Instruction, call) -> tuple:
        if self.fix_option and not (self.cache.cache_dir_options and call.has_option(*self.cache.cache_dir_options)):
            found = match_any(call, self.fix_commands)
            edit = add_option(call, found[1], self.fix_option, instruction) if found else None
            return (edit,) if edit else ()
        if self.fix_append and self._as_root(instruction) and self._can_append(instruction):
            last = instruction.commands[-1].words[-1]
            return (insert_after(last, f" && {self.fix_append}"),)
        return ()

    def _as_root(self, instruction: Instruction) -> bool:
        """The appended command runs as root: no non-root ``USER``, no ``sudo`` in the ``RUN``
        (its installs may need it, and then so would the cleanup)."""
        user = self.tracker.user
        if user is not None and user.split(":", 1)[0] not in ("root", "0"):
            return False
        return not any(call.tool in _ELEVATE or any(word.resolved.rsplit("/", 1)[-1] in _ELEVATE
                                                    for word in getattr(call, "wrappers", ()))
                       for call in calls(instruction))

    def _can_append(self, instruction: Instruction) -> bool:
        dockerfile = self.dockerfile
        if (dockerfile is None or instruction.json_form or instruction.heredocs or not instruction.commands
                or not instruction.commands[-1].words or instruction.trigger is not None
                or instruction not in dockerfile.instructions):
            return False
        if not run_tail_is_empty(instruction, dockerfile.lines, instruction.commands[-1].words[-1], dockerfile.escape):
            return False
        # A later RUN that reads the cache without filling it first would break (a cache
        # nothing needs, such as yum's metadata, which yum fetches again, has no needed_by).
        return not self.needed_by or not any(line > instruction.span.line for line in self._needing_lines())

    def _needing_lines(self) -> list[int]:
        """Lines of the RUN instructions (ONBUILD ones too) that need the cache already filled."""
        if self._needing is None:
            self._needing = []
            assert self.dockerfile is not None
            for instruction in self.dockerfile.instructions:
                run = instruction.trigger if instruction.trigger is not None else instruction
                if run.keyword == "RUN" and self._needs(run):
                    self._needing.append(instruction.span.line)
        return self._needing

    def _needs(self, instruction: Instruction) -> bool:
        for call in calls(instruction):
            if self.cache.fills(call):
                return False
            if match_any(call, self.needed_by) is not None or runs_script(call):
                return True
        return False

    def end_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        return None
