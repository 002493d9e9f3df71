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
ISSUES_URL = "https://github.com/dlint-dev/dlint/issues"


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


def build_parser() -> argparse.ArgumentParser:
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

    check = commands.add_parser("check", parents=[common], formatter_class=_HelpFormatter,
                                help="check files and report findings")
    check.add_argument("paths", nargs="*", default=["."], metavar="PATH",
                       help="files or directories (default: .); '-' reads standard input")
    check.add_argument("--format", choices=["text", "json"], default="text")
    check.add_argument("--fail-on", choices=["error", "warning", "info", "never"],
                       help="lowest severity that makes the exit code 1 (default: warning, or the config's)")
    check.add_argument("--select", type=_csv, help="comma-separated rules to run instead of the defaults")
    check.add_argument("--ignore", type=_csv, default=[], help="comma-separated rules not to run")
    check.add_argument("--type", choices=["dockerfile", "compose", "kubernetes"], default="dockerfile",
                       help="what standard input holds (default: dockerfile)")
    check.add_argument("--build-arg", action="append", default=[], metavar="NAME[=VALUE]", dest="build_args",
                       help="a build argument's value, as `docker build --build-arg` gives it (repeatable; "
                            "NAME alone takes the value from the environment)")
    check.add_argument("--fix", action="store_true",
                       help="apply the safe fixes to Dockerfiles, then report what remains")
    check.add_argument("--diff", action="store_true",
                       help="with --fix: print the fixes as a unified diff instead of writing the files")

    explain = commands.add_parser("explain", parents=[common], formatter_class=_HelpFormatter,
                                  help="show what a rule checks, why, and the fix")
    explain.add_argument("rule", help="a rule code (DF101) or name (cache-busting-copy)")
    explain.add_argument("--format", choices=["text", "json"], default="text")

    rules = commands.add_parser("rules", parents=[common], formatter_class=_HelpFormatter,
                                help="list every rule")
    rules.add_argument("--format", choices=["text", "markdown", "json"], default="text")
    return parser


def _color(stream) -> bool:
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "check":
            return run_check(args)
        if args.command == "explain":
            return run_explain(args)
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


def _catalog():
    from linter.engine.catalog import load_catalog

    return load_catalog()


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
            rules = select_rules(self.catalog, settings, self.args.select, self.args.ignore)
            linter = Linter(rules, self.catalog, severity_overrides(self.catalog, settings), self.build_args)
            self._by_config[key] = (linter, settings)
        return self._by_config[key]


def _read(path: str, max_bytes: int) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read(max_bytes + 1)
    # stat first: a FIFO or device named Dockerfile must not block the run; a broken or
    # looping symbolic link raises here with the operating system's reason.
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise OSError("not a regular file")
    with open(path, "rb") as handle:
        return handle.read(max_bytes + 1)


def run_check(args: argparse.Namespace) -> int:
    from linter.discover import Target, discover
    from linter.engine.runner import MAX_BYTES
    from linter.model.finding import severity_rank

    missing = [path for path in args.paths if path != "-" and not os.path.lexists(path)]
    if missing:
        raise ConfigError(f"{missing[0]}: no such file or directory")
    if args.diff and not args.fix:
        raise ConfigError("--diff only goes with --fix (dlint check --fix --diff)")
    fixer = None
    if args.fix:
        from linter.fix import Fixer

        fixer = Fixer(diff=args.diff, stdin=args.paths == ["-"])
    checker = _Checker(args)
    if args.paths == ["-"]:
        targets = [Target("-", args.type)]
    else:
        discovery = discover(args.paths)
        targets = discovery.targets
        _note_helm(discovery.helm_templates)
    results, failing = [], False
    for target in targets:
        linter, settings = checker.for_path(target.path)
        try:
            if target.error:
                raise OSError(target.error)
            data = _read(target.path, MAX_BYTES)
        except OSError as error:
            result = linter.unreadable(target.path, error.strerror or str(error))
        else:
            ignored = ignored_for_path(target.path, checker.catalog, settings) if target.path != "-" else set()
            companions = [(path, _read(path, MAX_BYTES).decode("utf-8", "replace")) for path in target.companions]
            if fixer is not None and target.kind == "dockerfile":
                result = fixer.fix(linter, data, target.path, ignored)
            else:
                result = linter.lint_bytes(data, target.path, ignored, target.kind, companions)
        threshold = severity_rank(args.fail_on or settings.fail_on)
        failing = failing or any(severity_rank(f.severity) >= threshold for f in result.findings)
        results.append(result)
    try:
        if fixer is not None:
            fixer.finish()  # the diffs or the fixed standard input on stdout, a summary on stderr
        if fixer is None or not (args.diff or fixer.stdin):
            _report(args, results, len(targets))
    except BrokenPipeError:  # the reader stopped early (`dlint check . | head`): the verdict still stands
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_FINDINGS if failing else EXIT_OK


def _note_helm(templates: list[str]) -> None:
    if templates:
        more = f" and {len(templates) - 1} more" if len(templates) > 1 else ""
        print(f"dlint: skipped the Helm template {templates[0]}{more}; check what it renders: "
              f"helm template … | dlint check --type kubernetes -", file=sys.stderr)


def _report(args: argparse.Namespace, results: list, files: int) -> None:
    if args.format == "json":
        from linter.report import json as json_report

        findings = [finding for result in results for finding in result.findings]
        sys.stdout.write(json_report.render(findings, files, __version__))
        return
    from linter.report import text

    pairs = [(result.findings, result.sources) for result in results]
    if _color(sys.stdout):
        text.render_rich(pairs, files, sys.stdout)
    else:
        text.render_plain(pairs, files, sys.stdout)


def _find_rule(catalog, wanted: str):
    for rule in catalog:
        if wanted.upper() == rule.code or wanted.lower() == rule.name:
            return rule
    hint = suggest_rule(wanted, catalog) or "; `dlint rules` lists them"
    raise ConfigError(f"unknown rule {wanted!r}{hint}")


def run_explain(args: argparse.Namespace) -> int:
    from linter import explain

    rule = _find_rule(_catalog(), args.rule)
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
