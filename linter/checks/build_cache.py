"""``package-cache`` for build tools whose cache the image may still need when it runs.

Maven, Gradle, Go and Cargo keep downloaded dependencies in a cache that a later
``mvn spring-boot:run``, ``gradle bootRun``, ``go run`` or ``cargo run`` reads again. When
the final image's ``CMD`` or ``ENTRYPOINT`` starts one of ``runtime_programs`` the cache is
part of the application and nothing is reported; otherwise this is ``package-cache``.
"""
from __future__ import annotations

from linter.checks import template
from linter.checks._commands import STRINGS_SCHEMA
from linter.checks._entry import entry_programs
from linter.checks.package_cache import PARAMS as CACHE_PARAMS, PackageCache
from linter.model.dockerfile import Dockerfile, Stage

PARAMS = {
    **CACHE_PARAMS,
    "properties": {
        **CACHE_PARAMS["properties"],
        "runtime_programs": {**STRINGS_SCHEMA,
                             "description": "programs that read the cache when the container runs"},
    },
}


@template("build-cache", unit="stage", params=PARAMS)
class BuildCache(PackageCache):
    def __init__(self, params: dict) -> None:
        super().__init__(params)
        self.runtime_programs = frozenset(params.get("runtime_programs", ()))
        self.needed_at_runtime = False

    def begin_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        super().begin_stage(stage, dockerfile)
        if stage.index == 0:
            self.needed_at_runtime = bool(self.runtime_programs & entry_programs(dockerfile))
        self.active = self.active and not self.needed_at_runtime
