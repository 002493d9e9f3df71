"""An instruction other than ``ARG`` before the first ``FROM``: it belongs to no stage, and
the builder refuses the file. Unknown keywords are left to the parse error they already are.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.model.dockerfile import Dockerfile
from linter.model.finding import Hit

_KNOWN = frozenset({
    "ADD", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD", "RUN",
    "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
})


@template("instruction-before-from", unit="dockerfile", params={"type": "object", "additionalProperties": False})
def check(dockerfile: Dockerfile, params: dict) -> Iterator[Hit]:
    for instruction in dockerfile.instructions:
        if instruction.keyword == "FROM":
            return
        if instruction.keyword in _KNOWN:
            yield Hit(instruction.keyword_span, {"keyword": instruction.keyword,
                                                 "where": "the first `FROM`" if dockerfile.stages else "any `FROM`"})
