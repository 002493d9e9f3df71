"""``required-option``, except in stages built on images that already configure the option.

The official ``ruby`` images, for example, write ``install: --no-document`` into the
system-wide ``gemrc``, so ``gem install`` there never builds documentation. A stage whose
``FROM`` chain starts at one of ``configured_images`` (Docker Hub names, matched without a
tag) counts as configured from its first instruction.
"""
from __future__ import annotations

from linter.checks import template
from linter.checks._commands import STRINGS_SCHEMA
from linter.checks._images import registry, repository_path
from linter.checks.required_option import PARAMS as OPTION_PARAMS, RequiredOption
from linter.model.dockerfile import Dockerfile, Stage

PARAMS = {
    **OPTION_PARAMS,
    "properties": {
        **OPTION_PARAMS["properties"],
        "configured_images": {**STRINGS_SCHEMA,
                              "description": "base images (`ruby`, `library/ruby`) that already set the option"},
    },
}


@template("required-option-unless-base", unit="stage", params=PARAMS)
class RequiredOptionUnlessBase(RequiredOption):
    def __init__(self, params: dict) -> None:
        super().__init__(params)
        self.configured_images = frozenset(
            name if "/" in name else "library/" + name for name in params.get("configured_images", ()))

    def begin_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        super().begin_stage(stage, dockerfile)
        base = stage.base
        if base.stage is None and not base.unresolved and registry(base) == "docker.io" \
                and repository_path(base) in self.configured_images:
            self.configured[stage.index] = True
