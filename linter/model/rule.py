"""A rule as the catalogue holds it: the data of one ``rules/<target>/<name>.yaml`` file."""
from __future__ import annotations

from collections import namedtuple


class Example(namedtuple("Example", "code findings config path context", defaults=((), {}, "Dockerfile", None))):
    """One documented example: source text, expected ``line:col`` findings, params overrides,
    and the files of its build context (name: text) when the example says what they are."""

    __slots__ = ()


class Check(namedtuple("Check", "targets template params")):
    """One implementation of a rule: the template and params used for these targets."""

    __slots__ = ()


class Rule(namedtuple("Rule", "code name title targets severity enabled_by_default tags checks message "
                              "docs equivalents fix bad good", defaults=({}, None, (), ()))):
    """Metadata, the checks that implement it (one per format when the formats differ), docs
    and examples."""

    __slots__ = ()

    def check_for(self, target: str) -> Check | None:
        for check in self.checks:
            if target in check.targets:
                return check
        return None

    def with_params(self, params: dict) -> Rule:
        """The rule with ``params`` laid over every check's own (an example's ``config``)."""
        return self._replace(checks=tuple(c._replace(params={**c.params, **params}) for c in self.checks))

    def matches(self, selector: str) -> bool:
        """True for this rule's code, its name, a code prefix (``DF``, ``DF1``) or ``ALL``."""
        selector = selector.strip()
        return selector in (self.name, "ALL") or self.code.startswith(selector.upper()) and selector[:2].isalpha()
