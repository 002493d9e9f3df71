"""Configuration: ``.dlint.yaml`` or ``[tool.dlint]`` in ``pyproject.toml``, found by walking up.

A bad file is a :class:`ConfigError` naming the file, line and column; the CLI prints it
and exits 2. PyYAML is imported only when a configuration file exists.
"""
from __future__ import annotations

import fnmatch
import json
import re
import os
from functools import lru_cache
from collections.abc import Callable, Sequence

from linter import __version__
from linter.model.rule import Rule
from linter.resources import data_dir

CONFIG_NAMES = (".dlint.yaml", ".dlint.yml")
_VERSION = re.compile(r"[0-9]+\.[0-9]+(\.[0-9]+)?")


class ConfigError(Exception):
    """A configuration or usage problem the user can fix; its text is one line."""


class Settings:
    """One configuration file's settings (the defaults when there is none)."""

    def __init__(self, select: list[str] | None = None, ignore: list[str] | None = None,
                 severity: dict[str, str] | None = None, per_path_ignores: dict[str, list[str]] | None = None,
                 fail_on: str = "warning", trusted_registries: list[str] | None = None, root: str | None = None, source: str | None = None,
                 locate: Callable | None = None, prices: dict[str, float | str] | None = None,
                 rule_set: str | None = None, require_reason: bool = False, exclude: list[str] | None = None) -> None:
        self.select = select
        self.ignore = ignore or []
        self.severity = severity or {}
        self.per_path_ignores = per_path_ignores or {}
        self.fail_on = fail_on
        self.trusted_registries = trusted_registries or []
        self.prices = prices or {}  # price-sheet overrides for `dlint cost`, keyed as in prices.json
        self.root = root
        self.source = source
        self.locate = locate  # setting keys -> (line, column) in the source file
        self.rule_set = rule_set  # the dlint version whose default rules are the defaults here
        self.require_reason = require_reason
        self.exclude = exclude or []
        self._excluded = None

    def where(self, keys: Sequence) -> str:
        """``path:line:col: setting`` for messages about a value of this file."""
        if self.source is None:
            return "configuration"
        if self.locate is None:
            return self.source
        line, column = self.locate(keys)
        return f"{self.source}:{line}:{column}: {'.'.join(map(str, keys))}"

    def excludes(self, path: str) -> bool:
        """Whether the ``exclude`` globs skip ``path`` in a directory walk. They are matched
        as ``.gitignore`` patterns relative to the configuration's folder; a path that ends
        with a separator is a folder."""
        if not self.exclude or self.root is None:
            return False
        if self._excluded is None:
            from linter.gitignore import parse_gitignore

            self._excluded = parse_gitignore("\n".join(self.exclude))
        folder = path.endswith(("/", os.sep))
        relative = os.path.relpath(os.path.abspath(path), self.root).replace(os.sep, "/")
        if relative == ".." or relative.startswith("../"):
            return False
        verdict = False
        for pattern in self._excluded:
            if (folder or not pattern.directory_only) and pattern.regex.fullmatch(relative):
                verdict = not pattern.negated
        return verdict


def find_config(start: str) -> str | None:
    """The nearest ``.dlint.yaml`` or ``pyproject.toml`` with ``[tool.dlint]`` at or above ``start``."""
    start = os.path.abspath(start)
    return _config_in(start if os.path.isdir(start) else os.path.dirname(start))


@lru_cache(maxsize=None)
def _config_in(folder: str) -> str | None:
    # Cached per folder: a tree walk asks once per directory, not once per file.
    for name in CONFIG_NAMES:
        if os.path.isfile(os.path.join(folder, name)):
            return os.path.join(folder, name)
    pyproject = os.path.join(folder, "pyproject.toml")
    if os.path.isfile(pyproject) and re.search(r"^\s*\[\s*tool\.dlint\s*[.\]]", _read(pyproject), re.M):
        return pyproject
    parent = os.path.dirname(folder)
    return None if parent == folder else _config_in(parent)


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the configuration: {error}") from None


def load_settings(path: str) -> Settings:
    path = os.fspath(path)
    text = _read(path)
    if os.path.basename(path) == "pyproject.toml":
        data, locate = _from_pyproject(text, path)
    else:
        data, locate = _from_yaml(text, path)
    _check_rule_set(data.get("rule-set"), locate, path)
    _validate(data, locate, path)
    return Settings(
        select=data.get("select"), ignore=data.get("ignore", []), severity=data.get("severity", {}),
        per_path_ignores=data.get("per-path-ignores", {}), fail_on=data.get("fail-on", "warning"),
        trusted_registries=data.get("trusted-registries"), prices=data.get("prices"),
        root=os.path.dirname(path), source=path, locate=locate, rule_set=data.get("rule-set"),
        require_reason=data.get("require-reason", False), exclude=data.get("exclude"),
    )


def version_key(version: str) -> tuple[int, ...]:
    """``0.10`` → (0, 10, 0): versions compare number by number, so 0.10.0 follows 0.9.0."""
    numbers = tuple(int(part) for part in version.split("."))
    return numbers + (0,) * (3 - len(numbers))


def _check_rule_set(value, locate: Callable, path: str) -> None:
    """A rule set is a dlint version in quotes, and not one newer than this dlint."""
    if value is None:
        return
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        problem = f"write the version in quotes (\"{__version__}\"): unquoted, it is read as the number {value}"
    elif not isinstance(value, str) or not _VERSION.fullmatch(value):
        problem = f"{value!r} is not a dlint version such as \"{__version__}\""
    elif version_key(value) > version_key(__version__):
        problem = f"{value} is newer than this dlint ({__version__}): upgrade dlint, or pin {__version__} or older"
    else:
        return
    line, column = locate(["rule-set"], value=True)
    raise ConfigError(f"{path}:{line}:{column}: rule-set: {problem}")


def _from_yaml(text: str, path: str) -> tuple[dict, Callable]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        node = yaml.compose(text, Loader=loader)
        data = yaml.load(text, Loader=loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{mark.line + 1}:{mark.column + 1}" if mark else "1:1"
        raise ConfigError(f"{path}:{where}: invalid YAML: {getattr(error, 'problem', error)}") from None
    if data is None:
        return {}, lambda keys: (1, 1)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1:1: the configuration must be a mapping of settings")

    def locate(keys: Sequence, value: bool = False) -> tuple[int, int]:
        """Where ``keys`` is: its key, or (``value=True``) the value under it."""
        current = node
        for number, key in enumerate(keys):
            if isinstance(current, yaml.MappingNode):
                matches = [(k, v) for k, v in current.value if k.value == str(key)]
                if not matches:
                    break
                key_node, current = matches[0]
                if number == len(keys) - 1 and not value:
                    return key_node.start_mark.line + 1, key_node.start_mark.column + 1
            elif isinstance(current, yaml.SequenceNode) and isinstance(key, int) and key < len(current.value):
                current = current.value[key]
            else:
                break
        return current.start_mark.line + 1, current.start_mark.column + 1

    return data, locate


def _from_pyproject(text: str, path: str) -> tuple[dict, Callable]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(text).get("tool", {}).get("dlint", {})
    except tomllib.TOMLDecodeError as error:
        # tomllib puts the position in the message: "... (at line 3, column 5)" or "(at end of document)".
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        lines = text.splitlines() or [""]
        where = f"{found[1]}:{found[2]}" if found else f"{len(lines)}:{len(lines[-1]) + 1}"
        message = re.sub(r"\s*\(at [^)]*\)$", "", str(error))
        raise ConfigError(f"{path}:{where}: invalid TOML: {message}") from None
    lines = text.splitlines()
    # Line numbers of the [tool.dlint] and [tool.dlint.*] tables' bodies.
    inside, ours = False, []
    for number, line in enumerate(lines):
        if line.lstrip().startswith("["):
            inside = re.match(r"\s*\[\s*tool\.dlint\s*[.\]]", line) is not None
        elif inside:
            ours.append(number)

    def locate(keys: Sequence, value: bool = False) -> tuple[int, int]:
        # TOML parsers keep no positions; find the innermost named key inside the dlint tables.
        for key in reversed([str(k) for k in keys if isinstance(k, str)]):
            pattern = re.compile(rf'(?:^|[{{,\s])(["\']?{re.escape(key)}["\']?\s*=)')
            for number in ours:
                found = pattern.search(lines[number])
                if found:
                    return number + 1, found.start(1) + 1
        return (ours[0] if ours else 0) + 1, 1

    return data, locate


def _validate(data: dict, locate: Callable, path: str) -> None:
    from linter.parsers.schema import compile_schema

    with open(os.path.join(data_dir("schemas"), "config.schema.json"), encoding="utf-8") as handle:
        schema = json.load(handle)
    errors = sorted(compile_schema(schema).errors(data), key=lambda e: list(e.path))
    if errors:
        error = errors[0]
        keys = list(error.path)
        if error.keyword == "additionalProperties":
            unknown = sorted(error.unexpected)
            keys.append(unknown[0])
            message = f"unknown setting {unknown[0]!r}{_suggest(unknown[0], error.schema.get('properties', {}))}"
            line, column = locate(keys)
        else:
            message = error.message
            line, column = locate(keys, value=True)
        setting = ".".join(map(str, keys)) or "configuration"
        raise ConfigError(f"{path}:{line}:{column}: {setting}: {message}")


def _suggest(word: str, choices: Sequence[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def suggest_rule(word: str, catalog: Sequence[Rule]) -> str:
    """`` (did you mean 'x'?)`` for the closest rule name or code, or ``""``."""
    # Names are lower case and codes upper case: compare each in its own case (`df5o1` -> DF501).
    return _suggest(word.lower(), [rule.name for rule in catalog]) or _suggest_code(word, catalog)


def _suggest_code(word: str, catalog: Sequence[Rule]) -> str:
    """The code meant when a 0 was typed as O (or 1 as I or l), or the only code one character
    away: codes differ in one digit from many others, so a looser match would mislead."""
    typed = word.upper().replace("O", "0").replace("I", "1").replace("L", "1")
    codes = [rule.code for rule in catalog]
    if typed in codes:
        return f" (did you mean {typed!r}?)"
    near = [code for code in codes if len(code) == len(typed) and sum(a != b for a, b in zip(code, typed)) == 1]
    return f" (did you mean {near[0]!r}?)" if len(near) == 1 else ""


def resolve_selectors(selectors: Sequence[str], catalog: Sequence[Rule], origin: str) -> set[str]:
    """Rule codes named by codes, names, prefixes or ALL; an unknown selector is an error."""
    codes = set()
    for selector in selectors:
        matched = {rule.code for rule in catalog if rule.matches(selector)}
        if not matched:
            raise ConfigError(f"{origin}: unknown rule {selector!r}{suggest_rule(selector, catalog)}")
        codes |= matched
    return codes


def check_rule_names(catalog: Sequence[Rule], settings: Settings) -> None:
    """Every rule a configuration file names exists; else a :class:`ConfigError` with its position."""
    for keys, selector in (
        *((("select", n), s) for n, s in enumerate(settings.select or ())),
        *((("ignore", n), s) for n, s in enumerate(settings.ignore)),
        *((("severity", s), s) for s in settings.severity),
        *((("per-path-ignores", glob, n), s) for glob, names in settings.per_path_ignores.items()
          for n, s in enumerate(names)),
    ):
        resolve_selectors([selector], catalog, settings.where(keys))


def select_rules(catalog: Sequence[Rule], settings: Settings, select: Sequence[str] | None,
                 ignore: Sequence[str], require_reason: bool = False) -> list[Rule]:
    """The rules to run: the selection (or the defaults, as of the pinned rule set), plus
    suppression-without-reason when reasons are required, minus ignores; reading problems
    (PE0xx) always run."""
    origin = settings.source or "command line"
    chosen = select if select is not None else settings.select
    if chosen is None:
        codes = {rule.code for rule in catalog if rule.enabled_by_default}
        if settings.rule_set is not None:
            codes &= _in_rule_set(settings.rule_set)
    else:
        codes = resolve_selectors(chosen, catalog, "--select" if select is not None else origin)
    if require_reason or settings.require_reason:
        codes |= {rule.code for rule in catalog if rule.name == "suppression-without-reason"}
    codes |= {rule.code for rule in catalog if rule.code.startswith("PE0")}
    codes -= resolve_selectors(settings.ignore, catalog, origin)
    codes -= resolve_selectors(ignore, catalog, "--ignore")
    chosen_rules = [rule for rule in catalog if rule.code in codes]
    if settings.trusted_registries:
        # The untrusted-registry rule is inactive until a list is configured.
        chosen_rules = [rule.with_params({"trusted": settings.trusted_registries})
                        if rule.name == "untrusted-registry" else rule for rule in chosen_rules]
    return chosen_rules


@lru_cache(maxsize=None)
def _in_rule_set(version: str) -> frozenset[str]:
    """Codes of the rules that were on by default in dlint ``version``: a pinned project
    gets no new default rule from an upgrade until it raises its rule set."""
    from linter.engine.catalog import default_since

    pinned = version_key(version)
    return frozenset(code for code, since in default_since().items() if version_key(since) <= pinned)


def severity_overrides(catalog: Sequence[Rule], settings: Settings) -> dict[str, str]:
    overrides = {}
    for selector, severity in settings.severity.items():
        for code in resolve_selectors([selector], catalog, settings.source or "configuration"):
            overrides[code] = severity
    return overrides


def ignored_for_path(path: str, catalog: Sequence[Rule], settings: Settings) -> set[str]:
    if not settings.per_path_ignores or settings.root is None:
        return set()
    relative = os.path.relpath(os.path.realpath(path), os.path.realpath(settings.root)).replace(os.sep, "/")
    if relative.startswith("../"):
        return set()
    codes: set[str] = set()
    for pattern, selectors in settings.per_path_ignores.items():
        if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(relative, pattern.rstrip("/") + "/*"):
            codes |= resolve_selectors(selectors, catalog, settings.source or "configuration")
    return codes
