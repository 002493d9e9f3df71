"""Runs the selected rules over one file in a single pass and turns hits into findings."""
from __future__ import annotations

import codecs
import importlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence

from linter.checks import TEMPLATES, Template
from linter.engine.suppressions import Suppressions
from linter.model.dockerfile import BuildContext
from linter.model.finding import Finding, Hit
from linter.model.rule import Rule
from linter.model.span import Span
from linter.parsers.dockerfile import parse_dockerfile
from linter.resources import data_dir

MAX_BYTES = 4 * 1024 * 1024
# The rules that judge the suppressions themselves.
UNUSED = "unused-suppression"
UNEXPLAINED = "suppression-without-reason"


class FileResult:
    """The findings of one file, and the source lines of every file they point into (a
    Compose file's findings may point into its override file) for code frames."""

    __slots__ = ("path", "findings", "sources")

    def __init__(self, path: str, findings: list[Finding] | None = None,
                 sources: dict[str, list[str]] | None = None) -> None:
        self.path = path
        self.findings = findings or []
        self.sources = sources or {}


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
    """Lints files with a fixed rule selection. One instance serves many files."""

    def __init__(self, rules: Sequence[Rule], catalog: Sequence[Rule], severities: Mapping[str, str] | None = None,
                 build_args: Mapping[str, str] | None = None) -> None:
        self.catalog = list(catalog)
        self.by_name = {rule.name: rule for rule in catalog}
        self.selected = {rule.code for rule in rules}
        self.severities = dict(severities or {})
        self.build_args = dict(build_args or {})
        self.rules = list(rules)
        self.by_unit: dict[tuple[str, str], list] = {}
        self._loaded: set[str] = set()
        self._schemas: dict[str, dict] = {}

    def _bound(self, target: str, unit: str) -> list:
        """The checks of ``target`` over ``unit``. A target's templates are imported the first
        time a file of that kind is linted: a Dockerfile-only run never loads the others."""
        if target not in self._loaded:
            self._loaded.add(target)
            for rule in self.rules:
                for check in rule.checks:
                    if target in check.targets:
                        template = load_template(check.template)
                        self.by_unit.setdefault((target, template.unit), []).append(
                            (rule, template.implementation, check.params))
        return self.by_unit.get((target, unit), [])

    def lint_bytes(self, data: bytes, path: str, ignored: Iterable[str] = (), kind: str = "dockerfile",
                   companions: Sequence[tuple[str, str]] = (),
                   context: Mapping[str, str] | None = None) -> FileResult:
        """Lint one file's bytes; ``ignored`` holds rule codes switched off for this path;
        ``companions`` are Compose override files (path, text) merged over this one.
        ``context`` gives a Dockerfile's build context: ``get(relative path)`` returns a file's
        text or None (a dict, or :class:`linter.engine.context.ContextFiles` for a folder);
        None when nothing is known of it (standard input)."""
        text, problem = decode(data, path)
        if text is None:
            assert problem is not None
            return self._finish(FileResult(path), [self._problem(*problem)], None, set(ignored))
        if kind == "dockerfile":
            return self.lint_text(text, path, ignored, context)
        return self.lint_yaml(text, path, kind, set(ignored), companions)

    def unreadable(self, path: str, reason: str) -> FileResult:
        return self._finish(FileResult(path), [self._problem("unreadable-file", reason, Span(path, 1, 1, 1, 1))],
                            None, set())

    # -- Dockerfiles ----------------------------------------------------------------------

    def lint_text(self, text: str, path: str, ignored: Iterable[str] = (),
                  context: Mapping[str, str] | None = None) -> FileResult:
        dockerfile = parse_dockerfile(text, path, self.build_args)
        if context is not None:
            dockerfile.context = _build_context(context, path)
        result = FileResult(path, sources={path: dockerfile.lines})
        findings = [self._problem("parse-error", problem.message, problem.span) for problem in dockerfile.problems]
        if not dockerfile.instructions and not dockerfile.problems:
            findings.append(self._problem("parse-error", "no instructions: a Dockerfile needs at least a FROM",
                                          Span(path, 1, 1, 1, 1)))
        findings.extend(self._run_dockerfile(dockerfile))
        return self._finish(result, findings, Suppressions.for_dockerfile(dockerfile, self.catalog), set(ignored))

    def _run_dockerfile(self, dockerfile) -> list[Finding]:
        per_instruction = self._bound("dockerfile", "instruction")
        stateful = [(rule, implementation(params))
                    for rule, implementation, params in self._bound("dockerfile", "stage")]
        findings: list[Finding] = []
        # The innermost loop runs for every instruction and rule, and most checks find nothing:
        # hits go straight into one list, without a generator per pair.
        add = self._add_hits
        for instruction in dockerfile.global_args:
            for rule, check, params in per_instruction:
                add(findings, rule, check(instruction, None, params))
        for stage in dockerfile.stages:
            for rule, state in stateful:
                add(findings, rule, state.begin_stage(stage, dockerfile))
            for instruction in stage.instructions:
                trigger = instruction.trigger
                for rule, check, params in per_instruction:
                    add(findings, rule, check(instruction, stage, params))
                    if trigger is not None:
                        add(findings, rule, check(trigger, stage, params))
                for rule, state in stateful:
                    add(findings, rule, state.instruction(instruction, stage))
            for rule, state in stateful:
                add(findings, rule, state.end_stage(stage, dockerfile))
        for rule, check, params in self._bound("dockerfile", "dockerfile"):
            add(findings, rule, check(dockerfile, params))
        return findings

    # -- Compose files and Kubernetes manifests -------------------------------------------

    def lint_yaml(self, text: str, path: str, kind: str, ignored: set[str],
                  companions: Sequence[tuple[str, str]] = ()) -> FileResult:
        """``kind`` is ``compose``, ``kubernetes`` or ``yaml`` (decided from the content)."""
        from linter.parsers.yaml import document_kind, parse_yaml

        stream = parse_yaml(text, path)
        result = FileResult(path, sources={path: stream.lines})
        findings = [self._problem(problem.rule, problem.message, problem.span) for problem in stream.problems]
        if kind == "yaml":
            kind = document_kind(stream.documents)  # None: YAML that is neither, such as a CI workflow
        elif not any(document.root is not None for document in stream.documents) and stream.problems:
            kind = None  # nothing could be read: the parse error says why, an "empty file" would not
        if kind == "compose":
            model, workloads, ignored_nodes = self._compose(stream, path, companions, result, findings)
            findings += self._run_units("compose", model, model.services, workloads)
        elif kind == "kubernetes":
            model, workloads, ignored_nodes = self._kubernetes(stream, path, findings)
            findings += self._run_units("kubernetes", model, model.objects, workloads)
        else:
            ignored_nodes = []
        suppressions = Suppressions.for_yaml(path, result.sources, ignored_nodes)
        return self._finish(result, findings, suppressions, ignored)

    def _compose(self, stream, path: str, companions, result: FileResult, findings: list) -> tuple:
        from linter.parsers.compose import merge_compose, parse_compose, to_workloads
        from linter.parsers.yaml import parse_yaml

        documents = stream.documents
        for companion_path, companion_text in companions:
            companion = parse_yaml(companion_text, companion_path)
            result.sources[companion_path] = companion.lines
            findings += [self._problem(p.rule, p.message, p.span) for p in companion.problems]
            if documents and documents[0].root is not None and companion.documents \
                    and companion.documents[0].root is not None:
                merged = merge_compose(documents[0].root, companion.documents[0].root)
                documents = [documents[0].__class__(merged, 0)]
        compose = parse_compose(documents, path)
        findings += self._schema_problems("compose-schema-violation", "compose.schema.json", [compose.raw])
        workloads = to_workloads(compose)
        findings += [self._problem(name, message, span) for name, message, span in compose.problems]
        ignored_nodes = []
        for workload in workloads:
            findings += [self._problem(name, message, span) for name, message, span in workload.problems]
            if workload.ignored:
                ignored_nodes.append(_node_range(workload.node, workload.node.get("x-dlint-ignore")))
        return compose, workloads, ignored_nodes

    def _kubernetes(self, stream, path: str, findings: list) -> tuple:
        from linter.model.kubernetes import IGNORE_ANNOTATION
        from linter.parsers.kubernetes import parse_kubernetes, to_workloads

        objects = parse_kubernetes(stream.documents, path)
        workloads = to_workloads(objects)
        problems = objects.problems + [problem for workload in workloads for problem in workload.problems]
        # Where the reader already says what is wrong (a bad quantity), the schema's generic
        # complaint about the same value adds nothing.
        explained = {span for _, _, span in problems}
        findings += [finding for finding in self._schema_problems(
            "kubernetes-schema-violation", "kubernetes.schema.json", [obj.node for obj in objects.objects], yaml11=True)
            if finding.span not in explained]
        findings += [self._problem(name, message, span) for name, message, span in objects.problems]
        # A workload's ignores are its object's: the annotation of the object and its pod templates.
        ignored_nodes = [_node_range(obj.node, annotation) for obj in objects.objects if obj.ignored
                         for holder in [obj.node, *obj.templates]
                         for annotation in [holder.at("metadata", "annotations", IGNORE_ANNOTATION)]
                         if annotation is not None]
        for workload in workloads:
            findings += [self._problem(name, message, span) for name, message, span in workload.problems]
        return objects, workloads, ignored_nodes

    def _schema_problems(self, rule_name: str, schema_file: str, roots: Sequence, yaml11: bool = False,
                         ) -> list[Finding]:
        """Schema errors as findings, when the rule is selected (the schema is read only then)."""
        if self.by_name[rule_name].code not in self.selected or not roots:
            return []
        from linter.parsers.validation import validate_document

        if schema_file not in self._schemas:
            with open(os.path.join(data_dir("schemas"), schema_file), encoding="utf-8") as handle:
                self._schemas[schema_file] = json.load(handle)
        schema = self._schemas[schema_file]
        return [self._problem(rule_name, message, span)
                for root in roots if root is not None
                for message, span in validate_document(root, schema, yaml11)]

    def _run_units(self, target: str, model, parts: Sequence, workloads: Sequence) -> list[Finding]:
        """The file-level, per-service (or per-object), per-workload and per-container checks."""
        part_unit = "service" if target == "compose" else "object"
        findings: list[Finding] = []
        for rule, check, params in self._bound(target, target):
            findings += self._findings(rule, check(model, params))
        for part in parts:
            for rule, check, params in self._bound(target, part_unit):
                findings += self._findings(rule, check(part, model, params))
        for workload in workloads:
            for rule, check, params in self._bound(target, "workload"):
                findings += self._findings(rule, check(workload, params))
            for container in workload.containers:
                for rule, check, params in self._bound(target, "container"):
                    findings += self._findings(rule, check(container, workload, params))
        return findings

    # -- findings -------------------------------------------------------------------------

    def _findings(self, rule: Rule, hits: Iterable[Hit] | None) -> list[Finding]:
        findings: list[Finding] = []
        self._add_hits(findings, rule, hits)
        return findings

    def _add_hits(self, findings: list[Finding], rule: Rule, hits: Iterable[Hit] | None) -> None:
        if not hits:
            return
        for hit in hits:
            message = rule.message.format_map(_Defaults(hit.context))
            # Only a rule that declares a fix passes its template's edits on (a custom rule
            # built on the same template does not get them unasked).
            findings.append(Finding(rule.code, rule.name, self.severities.get(rule.code, rule.severity), message,
                                    hit.span, hit.edits if rule.fix else ()))

    def _problem(self, name: str, message: str, span: Span) -> Finding:
        rule = self.by_name[name]
        text = rule.message.format_map(_Defaults(detail=message))
        return Finding(rule.code, rule.name, self.severities.get(rule.code, rule.severity), text, span)

    def _finish(self, result: FileResult, findings: list[Finding], suppressions: Suppressions | None,
                ignored: set[str]) -> FileResult:
        """Keep the selected findings that no path ignore or suppression silences, then report
        the file's suppressions that give no reason or silenced nothing."""
        if suppressions is not None and self._runs(UNEXPLAINED, ignored):
            findings = findings + [self._problem(UNEXPLAINED, advice, span)
                                   for span, advice in suppressions.unexplained]
        kept = self._unsuppressed(findings, suppressions, ignored)
        # Judged last, once every other finding has used the suppressions it meets; not at all
        # when a syntax error kept the rules from seeing the whole file.
        if suppressions is not None and suppressions.entries and self._runs(UNUSED, ignored) \
                and not any(finding.name == "parse-error" for finding in findings):
            stale = [self._problem(UNUSED, label, span) for span, label in suppressions.unused(self._ran(ignored))]
            kept += self._unsuppressed(stale, suppressions, ignored)
        result.findings = sorted(kept, key=Finding.sort_key)
        return result

    def _unsuppressed(self, findings: list[Finding], suppressions: Suppressions | None,
                      ignored: set[str]) -> list[Finding]:
        kept = []
        seen: set[Finding] = set()
        for finding in findings:
            if finding.code not in self.selected or finding.code in ignored or finding in seen:
                continue
            seen.add(finding)  # a value inherited through `extends` is reported once
            if suppressions is not None and suppressions.suppresses(finding):
                continue
            kept.append(finding)
        return kept

    def _runs(self, name: str, ignored: set[str]) -> bool:
        rule = self.by_name.get(name)
        return rule is not None and rule.code in self.selected and rule.code not in ignored

    def _ran(self, ignored: set[str]) -> set[str]:
        """Lower-case codes and names of the rules that ran on a file, other than
        unused-suppression itself (a suppression of it is never judged unused)."""
        return {selector for rule in self.catalog
                if rule.code in self.selected and rule.code not in ignored and rule.name != UNUSED
                for selector in (rule.code.lower(), rule.name)}


def _build_context(files, dockerfile_path: str) -> BuildContext:
    """The context's ignore file is the one BuildKit reads: ``<Dockerfile name>.dockerignore``
    when it exists, else ``.dockerignore``."""
    name = dockerfile_path.replace("\\", "/").rsplit("/", 1)[-1]
    for ignore_name in (f"{name}.dockerignore", ".dockerignore"):
        text = files.get(ignore_name)
        if text is not None:
            from linter.parsers.dockerignore import parse_dockerignore

            directory = os.path.dirname(dockerfile_path)
            return BuildContext(parse_dockerignore(text, os.path.join(directory, ignore_name)), files)
    return BuildContext(None, files)


def _node_range(node, ignores) -> tuple:
    """A service's or object's lines, from its key (when it has one) to its last value, and
    the value that lists the rules ignored there."""
    return (node.key_span or node.span).line, node.span.end_line, ignores
