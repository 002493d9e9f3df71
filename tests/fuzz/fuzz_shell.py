"""Fuzz target: the shell word splitter used for RUN bodies and instruction arguments.

``python -m tests.fuzz.fuzz_shell CORPUS_DIR [libFuzzer options]`` (needs atheris).
"""
from __future__ import annotations

from linter.parsers.shell import expand, split_commands, tokenize
from tests.fuzz.harness import fuzz, text_of

SEEDS = ("examples/**/Dockerfile", "tests/fixtures/dockerfiles/*")
TOKENS = (
    "&& ", "|| ", "; ", "| ", "& ", "(", ")", "\n", "\\\n", "\\", "'", '"', "`", "$", "$(", "${", "}", "${A:-x}",
    "${A:+y}", "${#A}", "<<EOF\n", "<<-'EOF'", "<<<", "2>&1", ">&-", "> /dev/null ", "# c\n", "if ", "then ", "fi",
    "A=1 ", "a[1]=x ", "sh -c ", "\t", "\r",
)
VARIABLES = {"A": "1", "HOME": "/root"}


def check_tokens(text: str, tokens: list, shell: bool) -> None:
    """Tokens are slices of ``text`` in order, and the commands built from them are well formed."""
    end = 0
    for token in tokens:
        assert end <= token.start <= token.end <= len(text), (token, end)
        assert token.kind in {"word", "op", "heredoc"}
        assert token.raw == text[token.start:token.end], token
        end = token.end
    if shell:
        for _, assignments, words in split_commands(tokens):
            assert words and all(token.kind == "word" for token in assignments + words)


def test_one_input(data: bytes) -> None:
    text = text_of(data)
    for shell, escape in ((True, "\\"), (False, "\\"), (False, "`")):
        check_tokens(text, tokenize(text, VARIABLES, shell=shell, escape=escape), shell)
    expand(text, VARIABLES)


if __name__ == "__main__":
    fuzz(test_one_input)
