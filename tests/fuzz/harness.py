"""What the fuzz targets share: the checks every parsed model must pass, the seed corpus,
and the atheris entry point.

A target is a module of this package with ``test_one_input(data: bytes) -> None``, which
raises on a bug (an exception escaping dlint, or a model that breaks an invariant below);
``SEEDS``, glob patterns of seed files relative to the project root; and ``TOKENS``,
fragments of its format that the built-in mutator splices into the seeds.
"""
from __future__ import annotations

import gc
import re
import sys
import types
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from linter.model.span import Span

ROOT = Path(__file__).resolve().parents[2]
# Inputs that once broke a target, one folder per target: replayed by tests/test_hostile.py.
REGRESSIONS = ROOT / "tests" / "hostile" / "fuzz"
# The line breaks of YAML (1.1 and 1.2, as PyYAML and libyaml count lines).
YAML_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def text_of(data: bytes) -> str:
    """The fuzzer's bytes as the text a parser is given (dlint decodes a file before parsing it)."""
    return data.decode("utf-8", "replace")


def dockerfile_lines(text: str) -> list[str]:
    """A Dockerfile's lines as Docker reads them: split at ``\\n`` only, one ``\\r`` before it dropped."""
    text = text[1:] if text.startswith("\ufeff") else text
    lines = [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]
    if len(lines) > 1 and text.endswith("\n"):
        lines.pop()
    return lines


def yaml_lines(text: str) -> list[str]:
    """A YAML file's lines, split at every YAML line break, without the byte-order marks it starts with."""
    return YAML_LINE_BREAK.split(text.lstrip("\ufeff"))


def spans(node, seen: set | None = None) -> Iterator[Span]:
    """Every :class:`Span` reachable from ``node``: model objects (slots or not), tuples, lists, dicts."""
    seen = set() if seen is None else seen
    if isinstance(node, Span):
        yield node
        return
    if node is None or isinstance(node, (str, bytes, int, float)) or id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, dict):
        children: Iterable = list(node.values())
    elif isinstance(node, (list, tuple, set, frozenset)):
        children = list(node)
    else:
        names = [name for cls in type(node).__mro__ for name in getattr(cls, "__slots__", ())]
        names += list(getattr(node, "__dict__", {}))
        children = [getattr(node, name) for name in names if hasattr(node, name)]
    for child in children:
        yield from spans(child, seen)


def check_span(span: Span, lines: list[str], path: str) -> None:
    """``span`` lies in the file: its lines exist and its columns are on them (``end_column`` is
    exclusive, so it may be one past the last character)."""
    assert span.path == path, (span, path)
    assert 1 <= span.line <= span.end_line <= max(len(lines), 1), (span, len(lines))
    assert span.column >= 1 and span.end_column >= 1, span
    if span.line == span.end_line:
        assert span.column <= span.end_column, span
    if lines:
        assert span.column <= len(lines[span.line - 1]) + 1, (span, lines[span.line - 1])
        assert span.end_column <= len(lines[span.end_line - 1]) + 1, (span, lines[span.end_line - 1])


def span_text(span: Span, lines: list[str]) -> str:
    """The text a span covers."""
    if span.line == span.end_line:
        return lines[span.line - 1][span.column - 1:span.end_column - 1]
    middle = lines[span.line:span.end_line - 1]
    return "\n".join([lines[span.line - 1][span.column - 1:], *middle, lines[span.end_line - 1][:span.end_column - 1]])


def check_findings(result, lines: list[str]) -> None:
    """Each finding of a :class:`FileResult` points into the file it names, in order, once."""
    for finding in result.findings:
        own_lines = lines if finding.span.path == result.path else result.sources[finding.span.path]
        check_span(finding.span, own_lines, finding.span.path)
    assert len(set(result.findings)) == len(result.findings)
    assert result.findings == sorted(result.findings, key=lambda finding: finding.sort_key())


_linter = None


def every_rule():
    """A :class:`Linter` running every rule of the catalogue, those off by default included."""
    global _linter
    if _linter is None:
        from linter.engine.catalog import load_catalog
        from linter.engine.runner import Linter

        catalog = load_catalog()
        _linter = Linter(catalog, catalog)
    return _linter


def seed_files(patterns: Iterable[str]) -> list[Path]:
    """The files under the project root that match ``patterns``."""
    found = {path for pattern in patterns for path in ROOT.glob(pattern) if path.is_file()}
    return sorted(found)


def fuzz(test_one_input: Callable[[bytes], None]) -> None:
    """Run one target under atheris, with libFuzzer's command line (corpus folders, a crash
    file to replay, ``-max_total_time=``, ``-runs=``...)."""
    import atheris

    test_one_input(b"")  # loads what the target imports lazily, so it is instrumented too
    # Coverage of dlint's own code guides the fuzzer; instrumenting the standard library and
    # PyYAML as well (atheris.instrument_all) would take most of a minute at every start.
    for function in gc.get_objects():
        if isinstance(function, types.FunctionType) and (function.__module__ or "").split(".")[0] == "linter":
            atheris.instrument_func(function)
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
