"""The small POSIX word splitter used for RUN bodies and instruction words (linter/parsers/shell.py)."""
from __future__ import annotations

import pytest

from linter.parsers.shell import expand, split_commands, tokenize


def _words(text, variables=None, shell=True):
    return [(t.text, t.value) for t in tokenize(text, variables or {}, shell=shell) if t.kind == "word"]


def _commands(text, variables=None):
    """(operator, assignment texts, word texts) of each simple command."""
    return [(op, [a.text for a in assignments], [w.text for w in words])
            for op, assignments, words in split_commands(tokenize(text, variables or {}))]


# -- expand ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("$A", "1"),
    ("${A}", "1"),
    ("pre${A}post", "pre1post"),
    ("$A$B", "12"),
    ("$A-x", "1-x"),
    ("${EMPTY:-d}", "d"),        # ':-' replaces empty and unset
    ("${EMPTY-d}", ""),          # '-' replaces only unset
    ("${UNSET-d}", "d"),
    ("${UNSET:-d}", "d"),
    ("${A:-d}", "1"),
    ("${A:+y}", "y"),            # ':+' gives the word when set and non-empty
    ("${EMPTY:+y}", ""),
    ("${EMPTY+y}", "y"),         # '+' gives the word when set, even empty
    ("${UNSET:+y}", None),       # unknown: cannot tell whether it is set
    ("${UNSET:-${A}}", "1"),     # nested default
    ("${UNSET:-${ALSO_UNSET:-z}}", "z"),
    ("\\$A", "$A"),              # escaped dollar stays literal
    ("cost: $", "cost: $"),      # a lone dollar is literal
    ("$UNSET", None),
    ("x${UNSET}y", None),
    ("$1", None),
    ("$$", None),
    ("$(date)", None),
    ("${#A}", None),
    ("${A:?must be set}", None),
    ("${A", None),               # unclosed brace: no value (not the value of a shorter name)
    ("${AB", None),
    ("${", None),
    ("", ""),
    ("plain", "plain"),
])
def test_expand(text, expected):
    assert expand(text, {"A": "1", "B": "2", "AB": "ab", "EMPTY": ""}) == expected


def test_expand_unclosed_brace_does_not_resolve_a_prefix_of_the_name():
    # "${ABC" used to look up "AB" (the last character was cut as if it were "}").
    assert expand("${ABC", {"AB": "wrong"}) is None


def test_expand_deep_nesting_gives_up_instead_of_overflowing_the_stack():
    deep = "${U:-" * 3000 + "x" + "}" * 3000
    assert expand(deep, {}) is None
    shallow = "${U:-" * 10 + "x" + "}" * 10
    assert expand(shallow, {}) == "x"


# -- words ------------------------------------------------------------------------------------

def test_quotes_are_removed_and_offsets_cover_the_raw_word():
    tokens = tokenize("echo 'a b' \"c $X\" d\\ e", {"X": "1"})
    assert [(t.text, t.value, t.start, t.end, t.raw) for t in tokens] == [
        ("echo", "echo", 0, 4, "echo"),
        ("a b", "a b", 5, 10, "'a b'"),
        ("c $X", "c 1", 11, 17, '"c $X"'),
        ("d e", "d e", 18, 22, "d\\ e"),
    ]


def test_single_quotes_prevent_expansion():
    assert _words("echo '$X'", {"X": "1"}) == [("echo", "echo"), ("$X", "$X")]


def test_double_quote_escapes():
    assert _words('echo "a\\"b" "\\$X" "\\n"', {"X": "1"}) == [
        ("echo", "echo"), ('a"b', 'a"b'), ("$X", "$X"), ("\\n", "\\n")]


def test_unknown_variable_leaves_value_none_but_keeps_text():
    assert _words("echo $HOME/bin ${X}") == [("echo", "echo"), ("$HOME/bin", None), ("${X}", None)]


def test_command_substitution_and_backticks_are_one_word_without_value():
    assert _words('echo $(date +%s) "$(id -u)" `whoami` $((1 + 2))') == [
        ("echo", "echo"), ("$(date +%s)", None), ("$(id -u)", None), ("`whoami`", None), ("$((1 + 2))", None)]


def test_nested_command_substitution_with_quotes():
    assert _words('DIR=$(dirname "$(readlink -f "$0")") y') == [('DIR=$(dirname "$(readlink -f "$0")")', None), ("y", "y")]
    assert _words("echo $(echo ')') z") == [("echo", "echo"), ("$(echo ')')", None), ("z", "z")]


def test_unterminated_quotes_run_to_the_end():
    assert _words("echo 'abc") == [("echo", "echo"), ("abc", "abc")]
    assert _words('echo "a $X', {"X": "1"}) == [("echo", "echo"), ("a $X", "a 1")]
    assert _words("echo `abc") == [("echo", "echo"), ("`abc", None)]


def test_hash_starts_a_comment_only_at_a_word_start():
    tokens = tokenize("echo a#b # trailing comment\nls", {})
    assert [(t.kind, t.text) for t in tokens] == [("word", "echo"), ("word", "a#b"), ("op", "\n"), ("word", "ls")]
    assert tokens[2].start == len("echo a#b # trailing comment")


def test_backslash_newline_between_words_makes_no_empty_word():
    # In a heredoc body "install -y \<newline>  curl" used to give an empty word.
    tokens = tokenize("apt-get install -y \\\n  curl", {})
    assert [t.text for t in tokens] == ["apt-get", "install", "-y", "curl"]
    assert (tokens[-1].start, tokens[-1].end) == (23, 27)


def test_backslash_newline_inside_a_word_joins_it():
    assert _words("ab\\\ncd") == [("abcd", "abcd")]


# -- operators, redirections, heredoc markers ------------------------------------------------------

def test_control_operators_are_tokens_with_offsets():
    tokens = tokenize("a && b || c; d | e & f\ng |& h ;; i", {})
    ops = [(t.text, t.start, t.end) for t in tokens if t.kind == "op"]
    assert ops == [("&&", 2, 4), ("||", 7, 9), (";", 11, 12), ("|", 15, 16), ("&", 19, 20), ("\n", 22, 23),
                   ("|&", 25, 27), (";;", 30, 32)]


@pytest.mark.parametrize("text", [
    "cmd > /dev/null", "cmd >/dev/null", "cmd 2>&1", "cmd 2> err.log", "cmd &> all.log", "cmd >> log",
    "cmd < in", "cmd >| f", "cmd 3<> f", "cmd >&-", "cmd <&3", "cmd &>>f", "cmd <<< 'here string'",
    "cmd <<<$X",
])
def test_redirections_and_their_targets_are_dropped(text):
    assert _words(text) == [("cmd", "cmd")]


def test_digits_that_are_not_a_redirection_stay_words():
    assert _words("sleep 10 && echo 2") == [("sleep", "sleep"), ("10", "10"), ("echo", "echo"), ("2", "2")]


def test_heredoc_markers():
    tokens = tokenize("cat <<-EOF <<'Q' <<\"R\" <<E\\F 2<<X > out", {})
    markers = [(t.text, t.raw, t.heredoc_strip, t.heredoc_quoted, t.start, t.end)
               for t in tokens if t.kind == "heredoc"]
    assert markers == [
        ("EOF", "<<-EOF", True, False, 4, 10),
        ("Q", "<<'Q'", False, True, 11, 16),
        ("R", '<<"R"', False, True, 17, 22),
        ("EF", "<<E\\F", False, True, 23, 28),
        ("X", "2<<X", False, False, 29, 33),
    ]
    assert _words("cat <<EOF > out") == [("cat", "cat")]


def test_heredoc_marker_inside_quotes_is_a_word():
    assert [t.kind for t in tokenize("echo '<<EOF' \"<<X\"", {})] == ["word", "word", "word"]


# -- split_commands -------------------------------------------------------------------------

def test_split_commands_operators():
    assert _commands("a 1 && b || c; d | e & f\ng") == [
        ("", [], ["a", "1"]), ("&&", [], ["b"]), ("||", [], ["c"]), (";", [], ["d"]), ("|", [], ["e"]),
        ("&", [], ["f"]), ("\n", [], ["g"]),
    ]


def test_leading_assignments_are_separated_from_words():
    assert _commands("FOO=1 BAR='a b' X+=y make A=2 install") == [
        ("", ["FOO=1", "BAR=a b", "X+=y"], ["make", "A=2", "install"])]


def test_assignment_only_commands_make_no_command():
    # No command comes before "run", so it has no joining operator.
    assert _commands("A=1; B=2 && run") == [("", [], ["run"])]
    assert _commands("a; B=2 && run") == [("", [], ["a"]), ("&&", [], ["run"])]


def test_quoted_assignment_lookalike_is_a_word():
    assert _commands("'A=1' cmd") == [("", [], ["A=1", "cmd"])]


def test_compound_keywords_are_skipped_and_closers_make_no_command():
    assert _commands("if [ -f x ]; then rm x; elif true; then :; else echo no; fi") == [
        ("", [], ["[", "-f", "x", "]"]), (";", [], ["rm", "x"]), (";", [], ["true"]), (";", [], [":"]),
        (";", [], ["echo", "no"]),
    ]
    assert _commands("for f in a b; do echo $f; done && while true; do sleep 1; done") == [
        ("", [], ["echo", "$f"]), ("&&", [], ["true"]), (";", [], ["sleep", "1"])]
    assert _commands("! grep -q x f && { echo a; echo b; }") == [
        ("", [], ["grep", "-q", "x", "f"]), ("&&", [], ["echo", "a"]), (";", [], ["echo", "b"])]


def test_quoted_keyword_is_a_program():
    assert _commands("'if' x") == [("", [], ["if", "x"])]


def test_subshell_keeps_the_operator_before_it():
    assert _commands("(cd /src && make) && make install") == [
        ("", [], ["cd", "/src"]), ("&&", [], ["make"]), ("&&", [], ["make", "install"])]
    assert _commands("true && (cd /x)") == [("", [], ["true"]), ("&&", [], ["cd", "/x"])]


def test_first_command_has_no_operator_even_after_blank_lines_and_comments():
    # A heredoc body usually starts with a shebang or a comment line.
    assert _commands("#!/bin/sh\n# comment\n\nset -e\necho hi") == [("", [], ["set", "-e"]), ("\n", [], ["echo", "hi"])]


def test_heredoc_markers_are_not_words_of_the_command():
    assert _commands("cat <<EOF >/etc/x && echo done") == [("", [], ["cat"]), ("&&", [], ["echo", "done"])]


# -- shell=False: Dockerfile instruction words -------------------------------------------------------

def test_instruction_words_split_only_on_blanks():
    tokens = tokenize('a;b  "c d"\te|f>g', {}, shell=False)
    assert [(t.kind, t.text, t.start, t.end) for t in tokens] == [
        ("word", "a;b", 0, 3), ("word", "c d", 5, 10), ("word", "e|f>g", 11, 16)]


def test_instruction_words_use_the_files_escape_character():
    assert _words("C:\\src\\app D:\\x\\", shell=False) == [("C:srcapp", "C:srcapp"), ("D:x", "D:x")]
    # With "# escape=`" a backslash is an ordinary character (Windows paths) and ` escapes.
    tokens = tokenize("C:\\src\\app a` b", {}, shell=False, escape="`")
    assert [(t.text, t.start, t.end) for t in tokens] == [("C:\\src\\app", 0, 10), ("a b", 11, 15)]


def test_shell_words_always_use_backslash():
    # RUN bodies are shell text: the Dockerfile escape character does not apply.
    assert [t.text for t in tokenize("echo a\\ b", {}, shell=True, escape="`")] == ["echo", "a b"]


def test_newline_after_a_binary_operator_continues_the_command_list():
    # Common in heredoc bodies: "apt-get update &&" at the end of a line.
    assert _commands("apt-get update &&\n  apt-get install -y x ||\n\n  true |\n  cat") == [
        ("", [], ["apt-get", "update"]), ("&&", [], ["apt-get", "install", "-y", "x"]), ("||", [], ["true"]),
        ("|", [], ["cat"])]
    assert _commands("a;\nb\n\n# comment\nc") == [("", [], ["a"]), ("\n", [], ["b"]), ("\n", [], ["c"])]


def test_newline_after_a_subshell_is_a_newline():
    assert _commands("(cd /x && make)\nls") == [("", [], ["cd", "/x"]), ("&&", [], ["make"]), ("\n", [], ["ls"])]
