"""A rule as the catalogue holds it: the data of one ``rules/<target>/<name>.yaml`` file."""
from __future__ import annotations

from collections import namedtuple


class Example(namedtuple("Example", "code findings config path", defaults=((), {}, "Dockerfile"))):
    """One documented example: source text, expected ``line:col`` findings, params overrides."""

    __slots__ = ()


class Rule(namedtuple("Rule", "code name title targets severity enabled_by_default tags template params message "
                              "docs equivalents fix bad good", defaults=({}, None, (), ()))):
    """Metadata, the template and params that implement it, docs and examples."""

    __slots__ = ()

    def matches(self, selector: str) -> bool:
        """True for this rule's code, its name, a code prefix (``DF``, ``DF1``) or ``ALL``."""
        selector = selector.strip()
        return selector in (self.name, "ALL") or self.code.startswith(selector.upper()) and selector[:2].isalpha()
