"""A package manager leaves its cache (index, downloads) in the layer of the ``RUN`` that ran it.

One template for every cache: the rule's ``cache`` param says which commands fill it
(``apt-get update``, ``pip install``, ``apk add``…), where it lives, which commands or
options avoid or empty it. A fill is fine when, in the same ``RUN``, the cache is skipped
(``--no-cache-dir``, a truthy ``PIP_NO_CACHE_DIR``), emptied after it (a clean command or
``rm`` of its directory), or kept out of the layer by a cache or tmpfs mount on it.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._commands import CACHE_SCHEMA, Cache, StageTracker, calls, mount_covering, shipping_stages
from linter.model.dockerfile import Dockerfile, Instruction, Stage
from linter.model.finding import Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["cache"],
    "properties": {
        "cache": CACHE_SCHEMA,
        "stages": {"enum": ["shipping", "all"],
                   "description": "shipping: the final stage and the stages it is built FROM; all: every stage"},
    },
}


@template("package-cache", unit="stage", params=PARAMS)
class PackageCache:
    def __init__(self, params: dict) -> None:
        self.cache = Cache.from_params(params["cache"])
        self.all_stages = params.get("stages", "shipping") == "all"
        self.tracker = StageTracker()
        self.shipping: set[int] = set()
        self.active = True

    def begin_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        if stage.index == 0:
            self.shipping = shipping_stages(dockerfile.stages)
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
                                  "path": locations[0] if locations else ""})

    def end_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        return None
