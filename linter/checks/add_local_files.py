"""``ADD`` used where ``COPY`` does the job: every source is a local file or directory that
``ADD`` would not unpack. ``ADD`` also fetches URLs, clones Git repositories and unpacks
local tar archives; keeping it for those makes the ordinary copies explicit.

A source is ``ADD``'s own business when it is an ``http(s)`` or Git URL (``git@host:repo``,
``https://host/repo.git``), or an archive ``ADD`` may unpack (a tar name, or a compressed
file: Docker decides by content, so ``.gz``, ``.xz``… get the benefit of the doubt). An
``ADD`` with any such source, or with a source built from a variable with no known value,
is not reported.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from linter.checks import template
from linter.checks._commands import copy_operands
from linter.model.dockerfile import Instruction, Stage
from linter.model.finding import Hit

_REMOTE = r"(?i)(https?|git|ssh)://|git@|[^/]+\.git(#|$|/)"  # text: compiled on the first ADD
_UNPACKED = (".tar", ".tgz", ".tbz", ".tbz2", ".txz", ".tzst", ".gz", ".bz2", ".xz", ".zst", ".lzma", ".z")


@template("add-local-files", unit="instruction", params={"type": "object", "additionalProperties": False})
def check(instruction: Instruction, stage: Stage | None, params: dict) -> Iterator[Hit]:
    if instruction.keyword != "ADD":
        return
    sources, dest = copy_operands(instruction)
    if dest is None or not sources:
        return
    for word in sources:
        if word.text.startswith("<<"):
            continue  # a heredoc: COPY takes it as well
        if word.value is None or _needs_add(word.value):
            return
    shown = " ".join(word.text for word in sources[:3]) + (" …" if len(sources) > 3 else "")
    yield Hit(instruction.keyword_span, {"sources": shown})


def _needs_add(source: str) -> bool:
    return bool(re.match(_REMOTE, source)) or source.lower().rstrip("/").endswith(_UNPACKED)
