"""Text output: ``path:line:col: CODE [severity] name: message``, with code frames on a terminal."""
from __future__ import annotations

from collections.abc import Sequence
from io import TextIOBase

from linter.model.finding import SEVERITIES, Finding


def summary(findings: Sequence[Finding], files: int) -> str:
    if not findings:
        return f"No findings in {files} file{'s' if files != 1 else ''}."
    counts = [f"{n} {s}{'s' if n != 1 else ''}" for s in SEVERITIES
              if (n := sum(1 for f in findings if f.severity == s))]
    return f"Found {len(findings)} finding{'s' if len(findings) != 1 else ''} ({', '.join(counts)}) in {files} " \
           f"file{'s' if files != 1 else ''}."


def headline(finding: Finding) -> str:
    span = finding.span
    return f"{span.path}:{span.line}:{span.column}: {finding.code} [{finding.severity}] {finding.name}: " \
           f"{finding.message}"


def render_plain(results: Sequence[tuple[Sequence[Finding], dict[str, list[str]]]], files: int,
                 out: TextIOBase, summary_line: bool = True) -> None:
    findings = [finding for file_findings, _ in results for finding in file_findings]
    for finding in findings:
        out.write(headline(finding) + "\n")
    if summary_line:
        out.write(summary(findings, files) + "\n")


_STYLES = {"error": "bold red", "warning": "bold yellow", "info": "bold blue"}


def render_rich(results: Sequence[tuple[Sequence[Finding], dict[str, list[str]]]], files: int,
                out: TextIOBase, summary_line: bool = True) -> None:
    """Coloured headlines with the source lines of each span and a caret underline; ``results``
    pairs each file's findings with the source lines of the files they point into."""
    from rich.console import Console
    from rich.markup import escape

    console = Console(file=out, highlight=False, emoji=False)  # `:fire:` in a RUN line stays text
    findings = []
    for file_findings, sources in results:
        for finding in file_findings:
            findings.append(finding)
            span = finding.span
            console.print(
                f"[bold]{escape(span.path)}:{span.line}:{span.column}:[/] [{_STYLES[finding.severity]}]"
                f"{finding.code}[/] [dim]\\[{finding.severity}] {finding.name}:[/] {escape(finding.message)}"
            )
            for text in frame(span, sources.get(span.path, [])):
                console.print(escape(text), style="dim" if not text.lstrip(" |0123456789").startswith("^") else "red")
    if summary_line:
        console.print(summary(findings, files), style="bold")


def frame(span, lines: list[str], context: int = 0, limit: int = 6) -> list[str]:
    """Source lines of ``span`` (at most ``limit``) with ``^`` under the spanned characters."""
    if not lines or span.line > len(lines):
        return []
    last = min(span.end_line, len(lines), span.line + limit - 1)
    width = len(str(last))
    rendered = []
    for number in range(max(1, span.line - context), last + 1):
        text = lines[number - 1].expandtabs(1)
        rendered.append(f" {number:>{width}} | {text}")
        start = span.column if number == span.line else len(text) - len(text.lstrip()) + 1
        end = span.end_column if number == span.end_line else len(text) + 1
        if end > start:
            rendered.append(f" {'':>{width}} | {' ' * (start - 1)}{'^' * (end - start)}")
    return rendered
