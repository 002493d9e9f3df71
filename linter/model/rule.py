"""A rule as the catalogue holds it: the data of one ``rules/<target>/<name>.yaml`` file."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Example:
    code: str
    findings: tuple[str, ...] = ()
    config: dict = field(default_factory=dict)
    path: str = "Dockerfile"


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    title: str
    targets: tuple[str, ...]
    severity: str
    enabled_by_default: bool
    tags: tuple[str, ...]
    template: str | None
    params: dict
    message: str
    docs: dict
    equivalents: dict = field(default_factory=dict)
    fix: str | None = None
    bad: tuple[Example, ...] = ()
    good: tuple[Example, ...] = ()

    def matches(self, selector: str) -> bool:
        """True for this rule's code, its name, a code prefix (``DF``, ``DF1``) or ``ALL``."""
        selector = selector.strip()
        return selector in (self.name, "ALL") or self.code.startswith(selector.upper()) and selector[:2].isalpha()
