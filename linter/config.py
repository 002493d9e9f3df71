"""Configuration: ``.dlint.yaml`` or ``[tool.dlint]`` in ``pyproject.toml``, found by walking up.

A bad file is a :class:`ConfigError` naming the file, line and column; the CLI prints it
and exits 2. PyYAML and jsonschema are imported only when a configuration file exists.
"""
from __future__ import annotations

import fnmatch
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from linter.model.rule import Rule
from linter.resources import data_dir

CONFIG_NAMES = (".dlint.yaml", ".dlint.yml")


class ConfigError(Exception):
    """A configuration or usage problem the user can fix; its text is one line."""


@dataclass
class Settings:
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    per_path_ignores: dict[str, list[str]] = field(default_factory=dict)
    fail_on: str = "warning"
    root: Path | None = None
    source: str | None = None


def find_config(start: Path) -> Path | None:
    """The nearest ``.dlint.yaml`` or ``pyproject.toml`` with ``[tool.dlint]`` at or above ``start``."""
    directory = start if start.is_dir() else start.parent
    for folder in (directory, *directory.parents):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and re.search(r"^\[tool\.dlint\]", _read(pyproject), re.M):
            return pyproject
    return None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the configuration: {error}") from None


def load_settings(path: Path) -> Settings:
    text = _read(path)
    if path.name == "pyproject.toml":
        data, locate = _from_pyproject(text, path)
    else:
        data, locate = _from_yaml(text, path)
    _validate(data, locate, path)
    return Settings(
        select=data.get("select"), ignore=data.get("ignore", []), severity=data.get("severity", {}),
        per_path_ignores=data.get("per-path-ignores", {}), fail_on=data.get("fail-on", "warning"),
        root=path.parent, source=str(path),
    )


def _from_yaml(text: str, path: Path) -> tuple[dict, Any]:
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

    def locate(keys: Sequence[Any]) -> tuple[int, int]:
        current = node
        for key in keys:
            if isinstance(current, yaml.MappingNode):
                matches = [(k, v) for k, v in current.value if k.value == str(key)]
                if not matches:
                    break
                key_node, current = matches[0]
                if key == keys[-1]:
                    return key_node.start_mark.line + 1, key_node.start_mark.column + 1
            elif isinstance(current, yaml.SequenceNode) and isinstance(key, int) and key < len(current.value):
                current = current.value[key]
            else:
                break
        return current.start_mark.line + 1, current.start_mark.column + 1

    return data, locate


def _from_pyproject(text: str, path: Path) -> tuple[dict, Any]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(text).get("tool", {}).get("dlint", {})
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    lines = text.splitlines()

    def locate(keys: Sequence[Any]) -> tuple[int, int]:
        # TOML parsers keep no positions; find the key's line inside the [tool.dlint] tables.
        start = next((n for n, line in enumerate(lines) if line.strip().startswith("[tool.dlint")), 0)
        key = next((str(k) for k in keys if isinstance(k, str)), None)
        for number in range(start, len(lines)):
            stripped = lines[number].lstrip()
            if key and re.match(rf'["\']?{re.escape(key)}["\']?\s*=', stripped):
                return number + 1, len(lines[number]) - len(stripped) + 1
        return start + 1, 1

    return data, locate


def _validate(data: dict, locate: Any, path: Path) -> None:
    import jsonschema

    schema = json.loads((data_dir("schemas") / "config.schema.json").read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        error = errors[0]
        keys = list(error.absolute_path)
        if error.validator == "additionalProperties":
            unknown = sorted(set(error.instance) - set(error.schema.get("properties", {})))
            keys.append(unknown[0])
            message = f"unknown setting {unknown[0]!r}{_suggest(unknown[0], error.schema.get('properties', {}))}"
        else:
            message = error.message
        line, column = locate(keys)
        setting = ".".join(map(str, keys)) or "configuration"
        raise ConfigError(f"{path}:{line}:{column}: {setting}: {message}")


def _suggest(word: str, choices: Sequence[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def resolve_selectors(selectors: Sequence[str], catalog: Sequence[Rule], origin: str) -> set[str]:
    """Rule codes named by codes, names, prefixes or ALL; an unknown selector is an error."""
    codes = set()
    for selector in selectors:
        matched = {rule.code for rule in catalog if rule.matches(selector)}
        if not matched:
            names = [rule.name for rule in catalog] + [rule.code for rule in catalog]
            raise ConfigError(f"{origin}: unknown rule {selector!r}{_suggest(selector, names)}")
        codes |= matched
    return codes


def select_rules(catalog: Sequence[Rule], settings: Settings, select: Sequence[str] | None,
                 ignore: Sequence[str]) -> list[Rule]:
    """The rules to run: the selection (or the defaults), minus ignores; reading problems always run."""
    origin = settings.source or "command line"
    chosen = select if select is not None else settings.select
    if chosen is None:
        codes = {rule.code for rule in catalog if rule.enabled_by_default}
    else:
        codes = resolve_selectors(chosen, catalog, "--select" if select is not None else origin)
    codes |= {rule.code for rule in catalog if rule.code.startswith("PE")}
    codes -= resolve_selectors(settings.ignore, catalog, origin)
    codes -= resolve_selectors(ignore, catalog, "--ignore")
    return [rule for rule in catalog if rule.code in codes]


def severity_overrides(catalog: Sequence[Rule], settings: Settings) -> dict[str, str]:
    overrides = {}
    for selector, severity in settings.severity.items():
        for code in resolve_selectors([selector], catalog, settings.source or "configuration"):
            overrides[code] = severity
    return overrides


def ignored_for_path(path: str, catalog: Sequence[Rule], settings: Settings) -> set[str]:
    if not settings.per_path_ignores or settings.root is None:
        return set()
    try:
        relative = Path(path).resolve().relative_to(settings.root.resolve()).as_posix()
    except ValueError:
        return set()
    codes: set[str] = set()
    for pattern, selectors in settings.per_path_ignores.items():
        if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(relative, pattern.rstrip("/") + "/*"):
            codes |= resolve_selectors(selectors, catalog, settings.source or "configuration")
    return codes
