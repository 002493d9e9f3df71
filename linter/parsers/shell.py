"""A small POSIX shell word splitter with positions, for ``RUN`` bodies and instruction words.

It is not a shell parser: it splits words (quotes, escapes, ``$(…)``, backticks), control
operators, redirections and here-document markers, which is what the rules need. Offsets
are indexes into the text given; callers map them back to file positions.
"""
from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Mapping

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CONTROL = ("&&", "||", ";;", "|&", ";", "|", "&", "(", ")", "\n")
_REDIRECT = re.compile(r"\d*(?:&>>|&>|>>|>&|<&|>\||<>|>|<)")
_HEREDOC = re.compile(r"\d*<<(-?)(?!<)")
_WORD_END = frozenset(" \t\r\n;&|()<>")
_BLANKS = frozenset(" \t\r\n")
_OPERATOR_START = frozenset("<>&|;()\n0123456789")
# Words with nothing to unquote, escape or substitute: most of them, taken in one match.
_PLAIN_SHELL_WORD = re.compile(r"[^ \t\r\n;&|()<>'\"\\$`]+")
_PLAIN_WORD = re.compile(r"[^ \t\r\n'\"\\$`]+")


class Token(namedtuple("Token", "kind text start end value raw heredoc_strip heredoc_quoted",
                       defaults=(None, "", False, False))):
    """``kind`` is ``word``, ``op`` (a control operator) or ``heredoc`` (``<<EOF``).

    ``text`` is the word with quotes removed, ``value`` the same with variables substituted
    (``None`` when one is unknown), ``raw`` the source slice; offsets index the text given.
    """

    __slots__ = ()


_MAX_NESTING = 32


def expand(text: str, variables: Mapping[str, str], _depth: int = 0) -> str | None:
    """Substitute ``$VAR``, ``${VAR}``, ``${VAR:-x}``, ``${VAR:+x}`` and friends in a word.

    Returns ``None`` when a variable without a known value decides the result (and for
    ``${…}`` nested deeper than any real file does, so hostile input cannot exhaust the stack).
    """
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n and text[i + 1] == "$":
            out.append("$")
            i += 2
        elif ch == "$":
            i, value = _variable(text, i, variables, _depth)
            if value is None:
                return None
            out.append(value)
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _matching_close(text: str, i: int, open_ch: str, close_ch: str) -> int:
    """Index just past the bracket closing the one at ``i`` (or ``len(text)``)."""
    depth, n, j = 0, len(text), i
    quote = ""
    while j < n:
        ch = text[j]
        if quote:
            if ch == "\\" and quote == '"':
                j += 1
            elif ch == quote:
                quote = ""
        elif ch == "\\":
            j += 1
        elif ch in "'\"":
            quote = ch
        elif ch == open_ch:
            depth += 1
        elif ch == close_ch:
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return n


def _variable(text: str, i: int, variables: Mapping[str, str], depth: int = 0) -> tuple[int, str | None]:
    """Read the expansion starting at ``text[i] == '$'``; return (end, value or None)."""
    n = len(text)
    nxt = text[i + 1] if i + 1 < n else ""
    if nxt == "{":
        end = _matching_close(text, i + 1, "{", "}")
        if text[end - 1] != "}" or depth >= _MAX_NESTING:  # unclosed: no value
            return end, None
        return end, _braced(text[i + 2 : end - 1], variables, depth)
    if nxt == "(":
        return _matching_close(text, i + 1, "(", ")"), None
    match = _NAME.match(text, i + 1)
    if match:
        return match.end(), variables.get(match.group())
    if nxt and (nxt.isdigit() or nxt in "@*#?$!-"):
        return i + 2, None
    return i + 1, "$"


def _braced(body: str, variables: Mapping[str, str], depth: int) -> str | None:
    match = _NAME.match(body)
    if not match:
        return None
    name, rest = match.group(), body[match.end() :]
    value = variables.get(name)
    if not rest:
        return value
    for op in (":-", ":+", "-", "+"):
        if rest.startswith(op):
            word = expand(rest[len(op) :], variables, depth + 1)
            if op == ":-":
                return value if value else word
            if op == "-":
                return value if value is not None else word
            if value is None:
                return None
            if op == ":+":
                return word if value else ""
            return word
    return None


class _Lexer:
    def __init__(self, text: str, variables: Mapping[str, str], shell: bool, escape: str = "\\") -> None:
        self.text = text
        self.variables = variables
        self.shell = shell
        self.escape = escape
        self.i = 0
        self.tokens: list[Token] = []

    def run(self) -> list[Token]:
        text, n = self.text, len(self.text)
        while self.i < n:
            ch = text[self.i]
            if ch in " \t\r" or (ch == "\n" and not self.shell):
                self.i += 1
            elif self.shell and text.startswith("\\\n", self.i):  # a line continuation is a blank
                self.i += 2
            elif not self.shell:
                self.tokens.append(self._word())
            elif ch == "#":
                end = text.find("\n", self.i)
                self.i = n if end < 0 else end
            elif ch not in _OPERATOR_START or not self._operator():
                self.tokens.append(self._word())
        return self.tokens

    def _operator(self) -> bool:
        text, i = self.text, self.i
        if text.startswith("<<<", i):
            self.i += 3
            self._skip_word()
            return True
        heredoc = _HEREDOC.match(text, i)
        if heredoc:
            self.i = heredoc.end()
            self._skip_blanks()
            word = self._word()
            self.tokens.append(
                Token("heredoc", word.text, i, word.end, word.text, text[i : word.end],
                      heredoc_strip=bool(heredoc.group(1)), heredoc_quoted=word.raw != word.text)
            )
            return True
        for op in _CONTROL[:2]:
            if text.startswith(op, i):
                self.tokens.append(Token("op", op, i, i + 2, op, op))
                self.i += 2
                return True
        redirect = _REDIRECT.match(text, i)
        if redirect:
            self.i = redirect.end()
            if redirect.group().endswith("&") and self.i < len(text) and (text[self.i].isdigit() or text[self.i] == "-"):
                self.i += 1
            else:
                self._skip_word()
            return True
        for op in _CONTROL[2:]:
            if text.startswith(op, i):
                self.tokens.append(Token("op", op, i, i + len(op), op, op))
                self.i += len(op)
                return True
        return False

    def _skip_blanks(self) -> None:
        while self.i < len(self.text) and self.text[self.i] in " \t":
            self.i += 1

    def _skip_word(self) -> None:
        self._skip_blanks()
        if self.i < len(self.text) and self.text[self.i] not in _WORD_END:
            self._word()

    def _word(self) -> Token:
        text, n, start = self.text, len(self.text), self.i
        stop = _WORD_END if self.shell else _BLANKS
        plain = (_PLAIN_SHELL_WORD if self.shell else _PLAIN_WORD).match(text, start)
        if plain and (plain.end() == n or text[plain.end()] in stop):
            word = plain.group()
            self.i = plain.end()
            return Token("word", word, start, self.i, word, word)
        literal: list[str] = []
        value: list[str] | None = []
        i = start
        while i < n and text[i] not in stop:
            ch = text[i]
            if ch == self.escape:
                if i + 1 < n and text[i + 1] != "\n":
                    literal.append(text[i + 1])
                    if value is not None:
                        value.append(text[i + 1])
                i += 2
            elif ch == "'":
                end = text.find("'", i + 1)
                end = n if end < 0 else end
                literal.append(text[i + 1 : end])
                if value is not None:
                    value.append(text[i + 1 : end])
                i = end + 1
            elif ch == '"':
                i, value = self._double_quoted(i, literal, value)
            elif ch == "$" or ch == "`":
                if ch == "`":
                    end = text.find("`", i + 1)
                    end = n if end < 0 else end + 1
                    part = None
                else:
                    end, part = _variable(text, i, self.variables)
                literal.append(text[i:end])
                value = None if part is None or value is None else value + [part]
                i = end
            else:
                literal.append(ch)
                if value is not None:
                    value.append(ch)
                i += 1
        end = self.i = min(i, n)
        word = "".join(literal)
        return Token("word", word, start, end, None if value is None else "".join(value), text[start:end])

    def _double_quoted(self, i: int, literal: list[str], value: list[str] | None) -> tuple[int, list[str] | None]:
        text, n = self.text, len(self.text)
        i += 1
        while i < n and text[i] != '"':
            ch = text[i]
            if ch == self.escape and i + 1 < n and text[i + 1] in '$`"\\\n':
                if text[i + 1] != "\n":
                    literal.append(text[i + 1])
                    if value is not None:
                        value.append(text[i + 1])
                i += 2
            elif ch == "$":
                end, part = _variable(text, i, self.variables)
                literal.append(text[i:end])
                value = None if part is None or value is None else value + [part]
                i = end
            elif ch == "`":
                end = text.find("`", i + 1)
                end = n if end < 0 else end + 1
                literal.append(text[i:end])
                value = None
                i = end
            else:
                literal.append(ch)
                if value is not None:
                    value.append(ch)
                i += 1
        return i + 1, value


def tokenize(text: str, variables: Mapping[str, str], shell: bool = True, escape: str = "\\") -> list[Token]:
    """Split ``text`` into tokens. With ``shell=False`` only blanks separate words (Dockerfile
    instruction arguments, where ``escape`` is the file's escape character); with
    ``shell=True`` operators, comments and redirections count."""
    return _Lexer(text, variables, shell, escape if not shell else "\\").run()


_SHELL_KEYWORDS = frozenset({"if", "then", "else", "elif", "do", "while", "until", "!", "{", "time"})
_SHELL_CLOSERS = frozenset({"fi", "done", "esac", "}", "for", "case", "in", ";;"})
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=")


def split_commands(tokens: list[Token]) -> list[tuple[str, list[Token], list[Token]]]:
    """Group tokens into simple commands: (operator before it, assignments, words).

    Compound-command keywords (``if``, ``then``, ``do``…) are skipped so the command they
    introduce is seen; closers such as ``fi`` and ``done`` make no command.
    """
    commands: list[tuple[str, list[Token], list[Token]]] = []
    operator, words, assignments = "", [], []

    def flush() -> None:
        if words and words[0].text not in _SHELL_CLOSERS:
            commands.append((operator if commands else "", assignments, words))

    for token in tokens:
        if token.kind == "op":
            flush()
            # A subshell's "(" / ")", and a newline that only continues "&&", "||" or "|" onto the
            # next line, keep the operator before them.
            if words or assignments or not (
                token.text in ("(", ")") or (token.text == "\n" and operator in ("&&", "||", "|", "|&"))
            ):
                operator = token.text
            words, assignments = [], []
        elif token.kind == "heredoc":
            continue
        elif not words and token.text in _SHELL_KEYWORDS and token.raw == token.text:
            continue
        elif not words and _ASSIGNMENT.match(token.raw):
            assignments.append(token)
        else:
            words.append(token)
    flush()
    return commands
