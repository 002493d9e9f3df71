"""``LABEL`` keys outside Docker's guidelines: lower-case letters, digits, ``.`` and ``-``,
starting with a letter and ending with a letter or digit, no ``..`` or ``--``, and none of
the namespaces Docker reserves (``com.docker.``, ``io.docker.``, ``org.dockerproject.``).
A key built from a variable with no known value is skipped.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from linter.checks import template
from linter.checks._arguments import pairs
from linter.model.dockerfile import Instruction, Stage
from linter.model.finding import Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "reserved": {"type": "array", "items": {"type": "string"},
                     "description": "key prefixes reserved for Docker itself"},
    },
}

_VALID = re.compile(r"[a-z](?:[a-z0-9.-]*[a-z0-9])?$")


@template("label-key", unit="instruction", params=PARAMS)
def check(instruction: Instruction, stage: Stage | None, params: dict) -> Iterator[Hit]:
    if instruction.keyword != "LABEL":
        return
    reserved = tuple(params.get("reserved", ()))
    for pair in pairs(instruction):
        key = pair.name
        if "$" in key:
            continue
        problem = _problem(key, reserved)
        if problem:
            yield Hit(pair.name_span, {"key": key, "problem": problem})


def _problem(key: str, reserved: tuple[str, ...]) -> str | None:
    if reserved and key.startswith(reserved):
        return "is in a namespace reserved for Docker"
    if key != key.lower() and _VALID.match(key.lower()):
        return "has upper-case letters"
    others = sorted({char for char in key if not (char.islower() and char.isascii() or char.isdigit() or char in ".-")})
    if others:
        return "holds " + ", ".join(f"`{char}`" for char in others) + "; use only `a-z`, `0-9`, `.` and `-`"
    if not _VALID.match(key):
        return "should start with a lower-case letter and end with a letter or a digit"
    if ".." in key or "--" in key:
        return "has `..` or `--`"
    return None
