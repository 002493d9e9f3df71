"""Runs the selected rules over one file in a single pass and turns hits into findings."""
from __future__ import annotations

import codecs
import importlib
from collections.abc import Iterable, Mapping, Sequence

from linter.checks import TEMPLATES, Template
from linter.engine.suppressions import Suppressions
from linter.model.finding import Finding, Hit
from linter.model.rule import Rule
from linter.model.span import Span
from linter.parsers.dockerfile import parse_dockerfile

MAX_BYTES = 4 * 1024 * 1024


class FileResult:
    """The findings of one file, and its source lines for code frames."""

    __slots__ = ("path", "findings", "lines")

    def __init__(self, path: str, findings: list[Finding] | None = None, lines: list[str] | None = None) -> None:
        self.path = path
        self.findings = findings or []
        self.lines = lines or []


class _Defaults(dict):
    """Message fields a hit did not supply render as ``{name}`` rather than failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def load_template(name: str) -> Template:
    if name not in TEMPLATES:
        importlib.import_module(f"linter.checks.{name.replace('-', '_')}")
    return TEMPLATES[name]


def decode(data: bytes, path: str) -> tuple[str | None, tuple[str, str, Span] | None]:
    """Bytes to text, or the reason they are not text: (problem rule name, message, span)."""
    if len(data) > MAX_BYTES:
        return None, ("file-too-large", f"it is larger than the {MAX_BYTES // 2**20} MiB limit",
                      Span(path, 1, 1, 1, 1))
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec), None
            except UnicodeDecodeError:
                break
    nul = data.find(b"\0", 0, 8192)
    if nul >= 0:
        return None, ("not-text", "binary file (it contains NUL bytes)", _byte_span(data, nul, path))
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        return None, ("not-text", f"not valid UTF-8 (byte 0x{data[error.start]:02x})",
                      _byte_span(data, error.start, path))


def _byte_span(data: bytes, offset: int, path: str) -> Span:
    line_start = data.rfind(b"\n", 0, offset) + 1
    if line_start == 0 and data.startswith(codecs.BOM_UTF8):
        line_start = len(codecs.BOM_UTF8)
    line = data.count(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", "replace")) + 1
    return Span(path, line, column, line, column + 1)


class Linter:
    """Lints Dockerfiles with a fixed rule selection. One instance serves many files."""

    def __init__(self, rules: Sequence[Rule], catalog: Sequence[Rule], severities: Mapping[str, str] | None = None,
                 build_args: Mapping[str, str] | None = None) -> None:
        self.catalog = list(catalog)
        self.selected = {rule.code for rule in rules}
        self.severities = dict(severities or {})
        self.build_args = dict(build_args or {})
        self.problem_rules = {rule.name: rule for rule in catalog if rule.code.startswith("PE")}
        bound = [(rule, load_template(rule.template)) for rule in rules
                 if rule.template and "dockerfile" in rule.targets]
        self.by_unit = {unit: [(rule, t) for rule, t in bound if t.unit == unit]
                        for unit in ("instruction", "stage", "dockerfile")}

    def lint_bytes(self, data: bytes, path: str, ignored: Iterable[str] = ()) -> FileResult:
        """Lint one file's bytes; ``ignored`` holds rule codes switched off for this path."""
        text, problem = decode(data, path)
        if text is None:
            assert problem is not None
            return self._finish(FileResult(path), [self._problem(*problem)], None, set(ignored))
        return self.lint_text(text, path, ignored)

    def unreadable(self, path: str, reason: str) -> FileResult:
        return self._finish(FileResult(path), [self._problem("unreadable-file", reason, Span(path, 1, 1, 1, 1))],
                            None, set())

    def lint_text(self, text: str, path: str, ignored: Iterable[str] = ()) -> FileResult:
        dockerfile = parse_dockerfile(text, path, self.build_args)
        result = FileResult(path, lines=dockerfile.lines)
        findings = [self._problem("parse-error", problem.message, problem.span) for problem in dockerfile.problems]
        if not dockerfile.instructions and not dockerfile.problems:
            findings.append(self._problem("parse-error", "no instructions: a Dockerfile needs at least a FROM",
                                          Span(path, 1, 1, 1, 1)))
        findings.extend(self._run(dockerfile))
        return self._finish(result, findings, Suppressions(dockerfile, self.catalog), set(ignored))

    def _run(self, dockerfile) -> Iterable[Finding]:
        per_instruction = self.by_unit["instruction"]
        stateful = [(rule, t.implementation(rule.params)) for rule, t in self.by_unit["stage"]]
        for instruction in dockerfile.global_args:
            for rule, t in per_instruction:
                yield from self._findings(rule, t.implementation(instruction, None, rule.params))
        for stage in dockerfile.stages:
            for rule, state in stateful:
                yield from self._findings(rule, state.begin_stage(stage, dockerfile))
            for instruction in stage.instructions:
                for rule, t in per_instruction:
                    yield from self._findings(rule, t.implementation(instruction, stage, rule.params))
                    if instruction.trigger is not None:
                        yield from self._findings(rule, t.implementation(instruction.trigger, stage, rule.params))
                for rule, state in stateful:
                    yield from self._findings(rule, state.instruction(instruction, stage))
            for rule, state in stateful:
                yield from self._findings(rule, state.end_stage(stage, dockerfile))
        for rule, t in self.by_unit["dockerfile"]:
            yield from self._findings(rule, t.implementation(dockerfile, rule.params))

    def _findings(self, rule: Rule, hits: Iterable[Hit] | None) -> Iterable[Finding]:
        for hit in hits or ():
            message = rule.message.format_map(_Defaults(hit.context))
            yield Finding(rule.code, rule.name, self.severities.get(rule.code, rule.severity), message, hit.span)

    def _problem(self, name: str, message: str, span: Span) -> Finding:
        rule = self.problem_rules[name]
        text = rule.message.format_map(_Defaults(detail=message))
        return Finding(rule.code, rule.name, self.severities.get(rule.code, rule.severity), text, span)

    def _finish(self, result: FileResult, findings: list[Finding], suppressions: Suppressions | None,
                ignored: set[str]) -> FileResult:
        kept = []
        for finding in findings:
            if finding.code not in self.selected or finding.code in ignored:
                continue
            if suppressions is not None and suppressions.suppresses(finding):
                continue
            kept.append(finding)
        result.findings = sorted(kept, key=Finding.sort_key)
        return result
