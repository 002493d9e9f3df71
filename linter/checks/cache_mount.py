"""A package manager or compiler run without a BuildKit cache mount on its cache.

Each entry of ``caches`` names the commands that download or build into a cache, the
directories where that cache may live (globs and ``~`` allowed; ``env`` names variables
that move it, such as ``PIP_CACHE_DIR``) and the mount to suggest.
A ``RUN`` is fine for an entry when it has a ``cache`` mount on one of those directories or
a parent; one finding per entry and ``RUN``, at the first matching command.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._commands import PATTERNS_SCHEMA, STRINGS_SCHEMA, StageTracker, calls, match_any, mount_covering, \
    mounts, patterns, shipping_stages
from linter.model.dockerfile import Dockerfile, Instruction, Stage
from linter.model.finding import Hit

ENTRY_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "commands", "paths", "mount"],
    "properties": {
        "name": {"type": "string", "description": "what the cache holds, for messages"},
        "commands": {**PATTERNS_SCHEMA, "description": "commands that fill the cache"},
        "paths": {**STRINGS_SCHEMA, "description": "where the cache may live: a cache mount on one (or a parent) "
                                                   "satisfies the rule"},
        "env": {**STRINGS_SCHEMA, "description": "variables whose value moves the cache (`PIP_CACHE_DIR`)"},
        "mount": {"type": "string", "description": "the `--mount=…` flag(s) to suggest"},
    },
}

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["caches"],
    "properties": {
        "caches": {"type": "array", "items": ENTRY_SCHEMA},
        "stages": {"enum": ["all", "shipping"], "description": "which stages to check"},
    },
}


@template("cache-mount", unit="stage", params=PARAMS)
class CacheMount:
    def __init__(self, params: dict) -> None:
        self.caches = [(entry, patterns(entry["commands"])) for entry in params["caches"]]
        self.all_stages = params.get("stages", "all") == "all"
        self.tracker = StageTracker()
        self.active = True
        self.shipping: set[int] = set()

    def begin_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        if stage.index == 0 and not self.all_stages:
            self.shipping = shipping_stages(dockerfile.stages)
        self.tracker.begin(stage)
        self.active = self.all_stages or stage.index in self.shipping

    def end_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        return None

    def instruction(self, instruction: Instruction, stage: Stage) -> Iterator[Hit]:
        self.tracker.see(instruction)
        if not self.active or instruction.keyword != "RUN":
            return
        if any(mount.type == "cache" and (mount.target is None or "$" in mount.target)
               for mount in mounts(instruction)):
            return  # a cache mount whose target we cannot read: assume it is the right one
        found = calls(instruction, self.tracker.workdir)
        home = self.tracker.home
        for entry, commands in self.caches:
            call = next((call for call in found if match_any(call, commands) is not None), None)
            if call is None:
                continue
            paths = list(entry["paths"])
            for name in entry.get("env", ()):
                value = call.env.get(name, instruction.variables.get(name))
                if value:
                    paths.append(value)
            if mount_covering(instruction, paths, types=("cache",), home=home):
                continue
            yield Hit(call.span, {"command": call.text(), "cache": entry["name"], "mount": entry["mount"]})
