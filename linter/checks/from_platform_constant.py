"""``FROM --platform=<constant>``: the stage is built for one fixed platform whatever the
build asks for, so a multi-platform build gets that platform's binaries under every
architecture's tag (or, on a machine of another architecture, runs them emulated).

As in BuildKit's FromPlatformFlagConstDisallowed, a value with a variable
(``$BUILDPLATFORM``, ``$TARGETPLATFORM``, ``${TARGETARCH}``, an ``ARG``) is not constant,
and a stage whose name contains the platform's OS or architecture
(``FROM --platform=linux/arm64 … AS build-arm64``) is taken to be platform-specific on
purpose.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._stage_refs import flag_value_span
from linter.model.dockerfile import Instruction, Stage
from linter.model.finding import Hit

# Architecture spellings that name the same thing (containerd's normalisation).
_ARCH_ALIASES = {"x86_64": "amd64", "x86-64": "amd64", "aarch64": "arm64", "armhf": "arm", "armel": "arm",
                 "i386": "386", "i686": "386"}
_OSES = frozenset({"linux", "windows", "darwin", "freebsd", "netbsd", "openbsd", "solaris", "illumos", "wasip1"})


@template("from-platform-constant", unit="instruction", params={"type": "object", "additionalProperties": False})
def check(instruction: Instruction, stage: Stage | None, params: dict) -> Iterator[Hit]:
    if instruction.keyword != "FROM" or stage is None:
        return
    flag = instruction.flag("platform")
    if flag is None or not flag.value or "$" in flag.value:
        return
    alias = (stage.alias or "").lower()
    names = {*_parts(flag.value.lower()), *flag.value.lower().split("/")[:2]}
    if alias and any(name and name in alias for name in names):
        return
    yield Hit(flag_value_span(flag), {"platform": flag.value})


def _parts(platform: str) -> tuple[str, str]:
    """(os, architecture) of ``os/arch[/variant]``, ``arch`` or ``os``."""
    pieces = platform.split("/")
    if len(pieces) == 1:
        single = pieces[0]
        return (single, "") if single in _OSES else ("linux", _ARCH_ALIASES.get(single, single))
    return pieces[0], _ARCH_ALIASES.get(pieces[1], pieces[1])
