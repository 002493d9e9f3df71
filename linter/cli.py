"""The command line: ``dlint check``, ``dlint explain``, ``dlint rules``. The only module that
knows about argv, standard streams and exit codes.

Exit codes: 0 nothing at or above ``--fail-on``; 1 findings at or above it; 2 usage or
configuration error; 3 internal error.
"""
from __future__ import annotations

import argparse
import os
import stat
import sys
from collections.abc import Sequence

from linter import __version__
from linter.config import (
    ConfigError, Settings, check_rule_names, find_config, ignored_for_path, load_settings, resolve_selectors,
    select_rules, severity_overrides, suggest_rule,
)

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
FORMATS = ("text", "json", "sarif", "github", "gitlab", "checkstyle", "junit", "markdown")
ISSUES_URL = "https://github.com/dlint-dev/dlint/issues"


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, not {text!r}")
    return value


class _FormatAction(argparse.Action):
    """``--format X`` opens a report; the ``--output F`` right after it says where it goes."""

    def __call__(self, parser, namespace, value, option_string=None) -> None:
        reports = list(getattr(namespace, self.dest, None) or [])
        reports.append([value, None])
        setattr(namespace, self.dest, reports)


class _OutputAction(argparse.Action):
    def __call__(self, parser, namespace, value, option_string=None) -> None:
        reports = list(getattr(namespace, self.dest, None) or [])
        if not reports or reports[-1][1] is not None:
            # Reported by run_check as one line (argparse would add its usage text).
            reports.append([None, value])
        else:
            reports[-1] = [reports[-1][0], value]
        setattr(namespace, self.dest, reports)


def _fix_diff_flag(argv: list[str]) -> list[str]:
    """``--fix --diff`` (print the fixes) and ``--diff REF`` (changed lines only) share a name:
    with ``--fix``, a ``--diff`` written alone is the flag."""
    options = argv[:argv.index("--")] if "--" in argv else argv
    if "--fix" not in options:
        return argv
    return ["--fix-diff" if arg == "--diff" else arg for arg in options] + argv[len(options):]


def _csv(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, minus its ``import shutil`` (and bz2, lzma) on every ``add_argument``:
    a pre-commit hook pays for each import at every commit."""

    def __init__(self, prog: str) -> None:
        try:
            width = os.get_terminal_size().columns - 2
        except OSError:
            width = 78
        super().__init__(prog, width=max(width, 40))


COMMANDS = {
    "check": "check files and report findings",
    "explain": "show what a rule checks, why, and the fix; or walk a Dockerfile layer by layer",
    "cost": "estimate image sizes, rebuild cost and the monthly price of workloads",
    "rules": "list every rule",
}


def _command_in(argv: Sequence[str]) -> str | None:
    """The subcommand ``argv`` names (its first word that is not an option), or None."""
    for arg in argv:
        if not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole parser, or with ``only`` just that subcommand's: a pre-commit hook runs
    ``dlint check`` at every commit and should not pay for defining the other commands."""
    parser = argparse.ArgumentParser(
        prog="dlint", formatter_class=_HelpFormatter,
        description="Lint Dockerfiles, Compose files and Kubernetes manifests without building anything.",
    )
    parser.add_argument("--debug", action="store_true", help="show the traceback of an internal error")
    # Accepted after the subcommand too; SUPPRESS keeps the subcommand's default from
    # overwriting a --debug given before it (`dlint --debug check`).
    common = argparse.ArgumentParser(add_help=False, formatter_class=_HelpFormatter)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show the traceback of an internal error")
    parser.add_argument("--version", action="version", version=f"dlint {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, define in _DEFINITIONS.items():
        if only in (None, name):
            define(commands.add_parser(name, parents=[common], formatter_class=_HelpFormatter, help=COMMANDS[name]))
    return parser


def _define_check(check: argparse.ArgumentParser) -> None:
    check.add_argument("paths", nargs="*", default=["."], metavar="PATH",
                       help="files or directories (default: .); '-' reads standard input")
    check.add_argument("--format", choices=FORMATS, action=_FormatAction, dest="reports",
                       help="output format (default: text); repeat with --output to write several in one run")
    check.add_argument("--output", action=_OutputAction, metavar="FILE", dest="reports",
                       help="write the --format given before it to FILE instead of standard output")
    check.add_argument("--fail-on", choices=["error", "warning", "info", "never"],
                       help="lowest severity that makes the exit code 1 (default: warning, or the config's)")
    check.add_argument("--select", type=_csv, help="comma-separated rules to run instead of the defaults")
    check.add_argument("--ignore", type=_csv, default=[], help="comma-separated rules not to run")
    check.add_argument("--require-reason", action="store_true",
                       help="report each suppression without a ` -- reason` (suppression-without-reason)")
    check.add_argument("--type", choices=["dockerfile", "compose", "kubernetes"], default="dockerfile",
                       help="what standard input holds (default: dockerfile)")
    check.add_argument("--build-arg", action="append", default=[], metavar="NAME[=VALUE]", dest="build_args",
                       help="a build argument's value, as `docker build --build-arg` gives it (repeatable; "
                            "NAME alone takes the value from the environment)")
    check.add_argument("--fix", action="store_true",
                       help="apply the safe fixes to Dockerfiles, then report what remains")
    check.add_argument("--diff", metavar="REF", dest="diff_ref",
                       help="report findings only on lines changed since the git revision REF; with --fix, a bare "
                            "--diff prints the fixes as a unified diff instead of writing the files")
    check.add_argument("--fix-diff", action="store_true", help=argparse.SUPPRESS)
    check.add_argument("--baseline", metavar="FILE",
                       help="leave out the findings recorded in FILE (written by --write-baseline)")
    check.add_argument("--write-baseline", metavar="FILE",
                       help="record every finding of this run in FILE, to be accepted by --baseline, and exit 0")
    check.add_argument("--jobs", "-j", type=_positive, metavar="N",
                       help="files checked in parallel (default: the number of cores, for runs of many files)")
    check.add_argument("--quiet", "-q", action="store_true", help="print the findings only: no summary, no notes")
    check.add_argument("--statistics", action="store_true", help="print how many findings each rule gave")


def _define_explain(explain: argparse.ArgumentParser) -> None:
    explain.add_argument("rule", metavar="RULE|FILE",
                         help="a rule code (DF101) or name (cache-busting-copy), or a Dockerfile to walk through")
    explain.add_argument("--format", choices=["text", "json"], default="text")
    explain.add_argument("--build-arg", action="append", default=[], metavar="NAME[=VALUE]", dest="build_args",
                         help="a build argument's value for the file walk (repeatable)")


def _define_cost(cost: argparse.ArgumentParser) -> None:
    cost.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files or directories (default: .)")
    cost.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    cost.add_argument("--compare", metavar="REF",
                      help="also estimate the files as they are at the git revision REF and show the change")
    cost.add_argument("--changed", action="append", metavar="PATH",
                      help="a build-context path taken as edited for the rebuild estimate (repeatable; default: a "
                           "file of the application sources)")
    cost.add_argument("--nodes", type=_positive, metavar="N", help="nodes a DaemonSet runs on (default: priced per node)")
    cost.add_argument("--platform", choices=["linux/amd64", "linux/arm64"], default="linux/amd64")
    cost.add_argument("--target", metavar="STAGE", help="the stage that ships (default: the last one)")
    cost.add_argument("--build-arg", action="append", default=[], metavar="NAME[=VALUE]", dest="build_args",
                      help="a build argument's value (repeatable)")


def _define_rules(rules: argparse.ArgumentParser) -> None:
    rules.add_argument("--format", choices=["text", "markdown", "json"], default="text")


_DEFINITIONS = {"check": _define_check, "explain": _define_explain, "cost": _define_cost, "rules": _define_rules}


def _color(stream) -> bool:
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def main(argv: Sequence[str] | None = None) -> int:
    argv = _fix_diff_flag(list(sys.argv[1:] if argv is None else argv))
    args = build_parser(_command_in(argv)).parse_args(argv)
    try:
        if args.command == "check":
            return run_check(args)
        if args.command == "explain":
            return run_explain(args)
        if args.command == "cost":
            return run_cost(args)
        return run_rules(args)
    except ConfigError as error:
        print(f"dlint: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        if args.debug:
            import traceback

            traceback.print_exc()
        detail = " ".join(str(error).split())
        print(f"dlint: internal error ({type(error).__name__}: {detail}); please report it at {ISSUES_URL} "
              f"(run again with --debug for the traceback)", file=sys.stderr)
        return EXIT_INTERNAL


def _build_args(values: Sequence[str]) -> dict[str, str]:
    """``--build-arg NAME=VALUE``; ``NAME`` alone is read from the environment (as docker
    does) and left unset when the environment has no such variable."""
    found: dict[str, str] = {}
    for item in values:
        name, eq, value = item.partition("=")
        name = name.strip()
        if not name or any(ch.isspace() for ch in name):
            raise ConfigError(f"--build-arg {item!r}: expected NAME=VALUE")
        if eq:
            found[name] = value
        elif name in os.environ:
            found[name] = os.environ[name]
    return found


def _catalog(docs: bool = False):
    from linter.engine.catalog import load_catalog

    return load_catalog(docs=docs)


class _Checker:
    """One :class:`Linter` per configuration file, created on first use."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.catalog = _catalog()
        self._by_config: dict[str | None, tuple] = {}
        self.build_args = _build_args(getattr(args, "build_args", None) or [])
        # Unknown rules on the command line are usage errors even when no file is found.
        resolve_selectors(args.select or [], self.catalog, "--select")
        resolve_selectors(args.ignore, self.catalog, "--ignore")

    def for_path(self, path: str):
        start = path if path != "-" else "."
        config = find_config(start)
        key = str(config) if config else None
        if key not in self._by_config:
            from linter.engine.runner import Linter

            settings = load_settings(config) if config else Settings()
            check_rule_names(self.catalog, settings)
            rules = select_rules(self.catalog, settings, self.args.select, self.args.ignore,
                                 getattr(self.args, "require_reason", False))
            linter = Linter(rules, self.catalog, severity_overrides(self.catalog, settings), self.build_args)
            self._by_config[key] = (linter, settings)
        return self._by_config[key]

    def excluded(self, path: str) -> bool:
        """Whether a walk skips ``path`` (a folder when it ends with a separator) by the
        ``exclude`` list of the configuration that governs the folder holding it."""
        folder = os.path.dirname(path.rstrip("/" + os.sep)) or "."
        return self.for_path(folder)[1].excludes(path)


def _read(path: str, max_bytes: int) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read(max_bytes + 1)
    # stat first: a FIFO or device named Dockerfile must not block the run; a broken or
    # looping symbolic link raises here with the operating system's reason.
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise OSError("not a regular file")
    with open(path, "rb") as handle:
        return handle.read(max_bytes + 1)


def _read_companions(paths: Sequence[str], max_bytes: int) -> list[tuple[str, str]]:
    """Compose override files; one that cannot be read is left out, since
    the file it accompanies is still worth checking."""
    found = []
    for path in paths:
        try:
            found.append((path, _read(path, max_bytes).decode("utf-8", "replace")))
        except OSError:
            continue
    return found


def run_check(args: argparse.Namespace) -> int:
    from linter.discover import Target, discover

    missing = [path for path in args.paths if path != "-" and not os.path.lexists(path)]
    if missing:
        raise ConfigError(f"{missing[0]}: no such file or directory")
    if args.fix_diff and not args.fix:
        raise ConfigError("a bare --diff only goes with --fix (dlint check --fix --diff); "
                          "give a git revision to report changed lines only (--diff main)")
    if args.paths == ["-"] and (args.diff_ref or args.baseline or args.write_baseline):
        raise ConfigError("--diff, --baseline and --write-baseline need files, not standard input")
    outputs = _outputs(args)
    checker = _Checker(args)
    if args.paths == ["-"]:
        targets = [Target("-", args.type)]
    else:
        discovery = discover(args.paths, excluded=checker.excluded)
        targets = discovery.targets
        if not args.quiet:
            _note_helm(discovery.helm_templates)
    fixer = None
    if args.fix:
        from linter.fix import Fixer

        fixer = Fixer(diff=args.fix_diff, stdin=args.paths == ["-"])
        results = [_lint_target(checker, target, fixer) for target in targets]
    else:
        results = _lint_all(args, checker, targets)
    if args.write_baseline is not None:
        from linter.baseline import write_baseline

        count = write_baseline(results, args.write_baseline, __version__)
        if not args.quiet:
            print(f"dlint: wrote {count} finding{'s' if count != 1 else ''} to {args.write_baseline}",
                  file=sys.stderr)
        return EXIT_OK
    results = _narrow(args, results)
    try:
        if fixer is not None:
            fixer.finish(args.quiet)  # the diffs or the fixed standard input on stdout, a summary on stderr
        if fixer is None or not (args.fix_diff or fixer.stdin):
            for format_name, output in outputs:
                _report(format_name, output, results, len(targets), checker.catalog, args.quiet)
            if args.statistics:
                # Beside the text report on stdout; never inside a machine-readable one.
                text_on_stdout = ("text", None) in outputs or not any(output is None for _, output in outputs)
                _statistics(results, sys.stdout if text_on_stdout else sys.stderr)
    except BrokenPipeError:  # the reader stopped early (`dlint check . | head`): the verdict still stands
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_FINDINGS if _failing(args, checker, results) else EXIT_OK



def _outputs(args: argparse.Namespace) -> list[tuple[str, str | None]]:
    """``--format X --output F`` pairs in command-line order; a format without an output goes
    to stdout, and at most one may."""
    pairs = [(name, output) for name, output in (args.reports or [["text", None]])]
    for name, output in pairs:
        if name is None:
            raise ConfigError(f"--output {output}: give the --format it is for right before it "
                              f"(--format sarif --output {output})")
    if sum(1 for _, output in pairs if output is None) > 1:
        raise ConfigError("only one --format can go to standard output; give the others an --output FILE")
    return pairs


def _lint_target(checker: _Checker, target, fixer=None):
    """One file's :class:`FileResult`; a file that cannot be read is a finding, not an error."""
    from linter.engine.context import ContextFiles
    from linter.engine.runner import MAX_BYTES

    linter, settings = checker.for_path(target.path)
    try:
        if target.error:
            raise OSError(target.error)
        data = _read(target.path, MAX_BYTES)
    except OSError as error:
        return linter.unreadable(target.path, error.strerror or str(error))
    ignored = ignored_for_path(target.path, checker.catalog, settings) if target.path != "-" else set()
    if target.kind != "dockerfile":
        return linter.lint_bytes(data, target.path, ignored, target.kind, _read_companions(target.companions, MAX_BYTES))
    context = ContextFiles(os.path.dirname(target.path)) if target.path != "-" else None
    if fixer is not None:
        return fixer.fix(linter, data, target.path, ignored, context)
    return linter.lint_bytes(data, target.path, ignored, context=context)


# Below this many files, starting worker processes costs more than it saves.
PARALLEL_MINIMUM = 64
_worker_checker: _Checker | None = None


def _start_worker(args: argparse.Namespace) -> None:
    global _worker_checker
    _worker_checker = _Checker(args)


def _lint_in_worker(target):
    assert _worker_checker is not None
    return _lint_target(_worker_checker, target)


def _lint_all(args: argparse.Namespace, checker: _Checker, targets: list) -> list:
    """Every target's result in the targets' order, in ``--jobs`` processes when it pays."""
    jobs = args.jobs if args.jobs is not None else (os.cpu_count() or 1)
    progress = _Progress(len(targets), quiet=args.quiet)
    if jobs <= 1 or len(targets) < PARALLEL_MINIMUM:
        results = []
        for target in targets:
            results.append(_lint_target(checker, target))
            progress.advance()
        progress.stop()
        return results
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, min(64, len(targets) // (jobs * 8)))
    results = []
    with ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(args,)) as pool:
        for result in pool.map(_lint_in_worker, targets, chunksize=chunk):
            results.append(result)
            progress.advance()
    progress.stop()
    return results


class _Progress:
    """A progress bar on a terminal's standard error, shown only once a run has lasted a second."""

    def __init__(self, total: int, quiet: bool) -> None:
        import time

        self.total = total
        self.done = 0
        self.clock = time.monotonic
        self.started = time.monotonic()
        self.enabled = not quiet and total > 1 and _color(sys.stderr)
        self.bar = None

    def advance(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        if self.bar is None and self.clock() - self.started > 1.0:
            from rich.progress import Progress

            self.bar = Progress(transient=True, console=_console(sys.stderr))
            self.bar.start()
            self.task = self.bar.add_task("checking", total=self.total)
        if self.bar is not None:
            self.bar.update(self.task, completed=self.done)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def _console(stream):
    from rich.console import Console

    return Console(file=stream)


def _narrow(args: argparse.Namespace, results: list) -> list:
    """Minus the baseline, then only what a pull request changed (``--diff REF``). The
    baseline goes first: its entries match findings anywhere in the file, and must not be
    called stale because the change filter dropped what they match."""
    if args.baseline is not None:
        from linter.baseline import load_baseline

        results, stale = load_baseline(args.baseline).filter(results)
        if stale and not args.quiet:
            first = stale[0]
            print(f"dlint: {len(stale)} entr{'y' if len(stale) == 1 else 'ies'} of {args.baseline} no longer match "
                  f"(first: {first.path}:{first.line} {first.code}); shrink it with --write-baseline {args.baseline}",
                  file=sys.stderr)
    if args.diff_ref is not None:
        from linter.changes import changed_since

        results = changed_since(args.diff_ref).filter(results)
    return results


def _failing(args: argparse.Namespace, checker: _Checker, results: list) -> bool:
    from linter.model.finding import severity_rank

    for result in results:
        _, settings = checker.for_path(result.path)
        threshold = severity_rank(args.fail_on or settings.fail_on)
        if any(severity_rank(finding.severity) >= threshold for finding in result.findings):
            return True
    return False


def _note_helm(templates: list[str]) -> None:
    if templates:
        more = f" and {len(templates) - 1} more" if len(templates) > 1 else ""
        print(f"dlint: skipped the Helm template {templates[0]}{more}; check what it renders: "
              f"helm template … | dlint check --type kubernetes -", file=sys.stderr)


def _report(format_name: str, output: str | None, results: list, files: int, catalog, quiet: bool) -> None:
    if output is None:
        _render(format_name, results, files, catalog, quiet, sys.stdout, _color(sys.stdout))
        return
    import io

    buffer = io.StringIO()
    _render(format_name, results, files, catalog, quiet, buffer, False)
    try:
        with open(output, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(buffer.getvalue())
    except OSError as error:
        raise ConfigError(f"--output {output}: {error.strerror or error}") from None


def _render(format_name: str, results: list, files: int, catalog, quiet: bool, out, color: bool) -> None:
    if format_name == "text":
        from linter.report import text

        pairs = [(result.findings, result.sources) for result in results]
        (text.render_rich if color else text.render_plain)(pairs, files, out, summary_line=not quiet)
        return
    if format_name == "json":
        from linter.report import json as json_report

        findings = [finding for result in results for finding in result.findings]
        out.write(json_report.render(findings, files, __version__))
        return
    import importlib

    module = importlib.import_module(f"linter.report.{format_name}")
    if format_name == "sarif":  # its rule descriptors carry each rule's help and examples
        catalog = _catalog(docs=True)
    out.write(module.render(results, catalog, __version__))


def _statistics(results: list, out) -> None:
    """How many findings each rule gave, most first."""
    from collections import Counter

    counts = Counter((finding.code, finding.name) for result in results for finding in result.findings)
    for (code, name), count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        out.write(f"{count:>6}  {code}  {name}\n")


def _find_rule(catalog, wanted: str):
    for rule in catalog:
        if wanted.upper() == rule.code or wanted.lower() == rule.name:
            return rule
    hint = suggest_rule(wanted, catalog) or "; `dlint rules` lists them"
    raise ConfigError(f"unknown rule {wanted!r}{hint}")


def run_explain(args: argparse.Namespace) -> int:
    from linter import explain

    if os.path.isfile(args.rule):
        return _explain_file(args)
    if "/" in args.rule or os.sep in args.rule or args.rule.lower().startswith(("dockerfile", "containerfile")):
        raise ConfigError(f"{args.rule}: no such file (or give a rule code or name)")
    rule = _find_rule(_catalog(docs=True), args.rule)
    if args.format == "json":
        import json

        sys.stdout.write(json.dumps(explain.rule_data(rule), indent=2) + "\n")
    elif _color(sys.stdout):
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(explain.render_markdown(rule)))
    else:
        sys.stdout.write(explain.render_markdown(rule))
    return EXIT_OK


def run_rules(args: argparse.Namespace) -> int:
    from linter.report import rules as rules_report

    catalog = _catalog()
    render = {"text": rules_report.render_text, "markdown": rules_report.render_markdown,
              "json": rules_report.render_json}[args.format]
    sys.stdout.write(render(catalog))
    return EXIT_OK


def _show_markdown(text: str) -> None:
    if _color(sys.stdout):
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(text))
    else:
        sys.stdout.write(text)


def _explain_file(args: argparse.Namespace) -> int:
    """``dlint explain Dockerfile``: each instruction's cache key, what a change to it rebuilds,
    its estimated size and its findings."""
    from linter import explain
    from linter.cost.project import context_folder, image_cost
    from linter.discover import Target
    from linter.parsers.dockerfile import parse_dockerfile

    from linter.discover import dockerfile_kind

    path = args.rule
    if not dockerfile_kind(os.path.basename(path)) and path.lower().endswith((".yaml", ".yml")):
        raise ConfigError(f"{path}: explain walks Dockerfiles; for Compose files and manifests, "
                          f"`dlint check {path}` and `dlint cost {path}`")
    from linter.engine.runner import decode

    text = decode(_read(path, _max_bytes()), path)[0] or ""  # not text: the walk shows the finding that says so
    args.select, args.ignore, args.fix = None, [], False
    checker = _Checker(args)
    result = _lint_target(checker, Target(path, "dockerfile"))
    estimate = image_cost(text, path, context_folder(path), build_args=checker.build_args)
    dockerfile = parse_dockerfile(text, path, checker.build_args)
    walk = explain.file_walk(dockerfile, estimate.image, result.findings, estimate.rebuild)
    if args.format == "json":
        import json

        walk["findings"] = [_finding_data(finding) for finding in result.findings]
        walk["cost"] = json.loads(_cost_json(estimate)) if estimate.image is not None else None
        sys.stdout.write(json.dumps(walk, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    _show_markdown(explain.render_file(walk))
    return EXIT_OK


def _max_bytes() -> int:
    from linter.engine.runner import MAX_BYTES

    return MAX_BYTES


def _finding_data(finding) -> dict:
    from linter.report.json import finding_data

    return finding_data(finding)


def _cost_json(estimate) -> str:
    from linter.report.cost import render_json

    return render_json(estimate.image, estimate.rebuild, estimate.path, __version__)


def run_cost(args: argparse.Namespace) -> int:
    """``dlint cost``: never fails on what it estimates; only usage errors change the exit code."""
    from linter.cost.price import load_prices
    from linter.discover import discover

    missing = [path for path in args.paths if not os.path.lexists(path)]
    if missing:
        raise ConfigError(f"{missing[0]}: no such file or directory")
    config = find_config(args.paths[0])
    settings = load_settings(config) if config else Settings()
    prices = load_prices(settings.prices)
    build_args = _build_args(args.build_args)
    discovery = discover(args.paths)
    _note_helm(discovery.helm_templates)
    targets = [target for target in discovery.targets if target.error is None]
    images, costs = _project_cost(args, targets, prices, build_args, _read_current)
    before = None
    if args.compare is not None:
        from linter.changes import file_at
        from linter.report.project import Before

        def read_then(path: str) -> bytes | None:
            return file_at(args.compare, path)

        old_images, old_costs = _project_cost(args, targets, prices, build_args, read_then)
        before = Before(args.compare, old_images, old_costs)
    from linter.report import project

    if args.format == "json":
        sys.stdout.write(project.render_json(images, costs, prices, __version__, before))
    elif args.format == "markdown":
        sys.stdout.write(project.render_markdown(images, costs, prices, before))
    else:
        sys.stdout.write(project.render_text(images, costs, prices, before))
    return EXIT_OK


def _read_current(path: str) -> bytes | None:
    try:
        return _read(path, _max_bytes())
    except OSError:
        return None


def _project_cost(args: argparse.Namespace, targets: list, prices, build_args: dict, read) -> tuple[list, list]:
    """Every Dockerfile's image estimate and every workload's price, with files' bytes read by
    ``read`` (None: the file does not exist there). The build context is always the one on disk."""
    from linter.cost.price import price_workloads
    from linter.cost.project import context_folder, image_cost, manifest_workloads

    from linter.cost.project import ImageCost
    from linter.engine.runner import decode

    images, workloads, objects = [], [], []
    for target in targets:
        data = read(target.path)
        if data is None:
            continue
        text, problem = decode(data, target.path)
        if text is None:
            if target.kind == "dockerfile":
                images.append(ImageCost(target.path, problem=problem[1]))
            continue
        if target.kind == "dockerfile":
            images.append(image_cost(text, target.path, context_folder(target.path), args.changed, build_args,
                                     args.platform, args.target))
            continue
        companions = [(path, companion.decode("utf-8", "replace")) for path in target.companions
                      if (companion := read(path)) is not None]
        found, found_objects = manifest_workloads(text, target.path, target.kind, companions)
        workloads += found
        objects += found_objects
    return images, price_workloads(workloads, prices, args.nodes, objects=objects)
