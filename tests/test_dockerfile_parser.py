"""linter/parsers/dockerfile.py: what a rule (and so a user) sees of a Dockerfile, with exact spans.

Spans are written as (line, column, end_line, end_column): 1-based, end_column exclusive.
"""
from __future__ import annotations

import io
import textwrap

import pytest

from linter.parsers.dockerfile import parse_dockerfile, parse_image_reference


def parse(text, build_args=None):
    return parse_dockerfile(text, "Dockerfile", build_args)


def dedent(text):
    return textwrap.dedent(text).lstrip("\n")


def pos(node):
    span = getattr(node, "span", node)
    return (span.line, span.column, span.end_line, span.end_column)


def words(instruction):
    return [(w.text, pos(w)) for w in instruction.words]


def cmds(instruction):
    return [(c.operator, c.program, c.arg_values()) for c in instruction.commands]


# -- instructions, continuations, comments ---------------------------------------------------------

def test_simple_file_keywords_spans_and_arguments():
    df = parse("FROM python:3.12\nWORKDIR /app\n")
    assert [i.keyword for i in df.instructions] == ["FROM", "WORKDIR"]
    workdir = df.instructions[1]
    assert pos(workdir) == (2, 1, 2, 13)
    assert pos(workdir.keyword_span) == (2, 1, 2, 8)
    assert workdir.arguments == "/app"
    assert pos(workdir.arguments_span) == (2, 9, 2, 13)
    assert df.lines == ["FROM python:3.12", "WORKDIR /app"]


def test_keywords_are_case_insensitive_and_may_be_indented():
    df = parse("from x\n   run   echo hi  \n")
    run = df.instructions[1]
    assert run.keyword == "RUN"
    assert pos(run.keyword_span) == (2, 4, 2, 7)
    assert run.arguments == "echo hi"
    assert pos(run.arguments_span) == (2, 10, 2, 17)


def test_backslash_continuation_keeps_word_positions_on_their_own_lines():
    df = parse(dedent("""
        FROM debian
        RUN apt-get update && \\
            apt-get install -y \\
              curl
        USER app
    """))
    run = df.instructions[1]
    assert pos(run) == (2, 1, 4, 11)
    assert run.arguments == "apt-get update &&     apt-get install -y       curl"
    assert pos(run.arguments_span) == (2, 5, 4, 11)
    assert words(run)[-3:] == [("install", (3, 13, 3, 20)), ("-y", (3, 21, 3, 23)), ("curl", (4, 7, 4, 11))]
    assert cmds(run) == [("", "apt-get", ["update"]), ("&&", "apt-get", ["install", "-y", "curl"])]
    assert pos(run.commands[1]) == (3, 5, 4, 11)
    assert df.instructions[2].keyword == "USER"
    assert pos(df.instructions[2]) == (5, 1, 5, 9)


def test_comment_and_blank_lines_inside_a_continuation_are_skipped():
    df = parse(dedent("""
        FROM debian
        RUN apt-get install -y \\
          # the web client
          curl \\

          wget
        # after
        EXPOSE 80
    """))
    run = df.instructions[1]
    assert run.arguments == "apt-get install -y   curl   wget"
    assert words(run)[-2:] == [("curl", (4, 3, 4, 7)), ("wget", (6, 3, 6, 7))]
    assert pos(run) == (2, 1, 6, 7)
    assert [(c.text, c.span.line) for c in df.comments] == [("# the web client", 3), ("# after", 7)]
    assert pos(df.comments[0]) == (3, 3, 3, 19)
    assert pos(df.instructions[2]) == (8, 1, 8, 10)


def test_trailing_whitespace_after_the_escape_character_still_continues():
    df = parse("FROM x\nRUN echo a \\  \t\n    b\nUSER u\n")
    run = df.instructions[1]
    assert pos(run) == (2, 1, 3, 6)
    assert words(run) == [("echo", (2, 5, 2, 9)), ("a", (2, 10, 2, 11)), ("b", (3, 5, 3, 6))]
    assert [i.keyword for i in df.instructions] == ["FROM", "RUN", "USER"]


def test_word_split_by_a_continuation_spans_both_lines():
    df = parse("FROM x\nRUN echo ab\\\ncd\n")
    word = df.instructions[1].words[1]
    assert (word.text, pos(word)) == ("abcd", (2, 10, 3, 3))


def test_continuation_at_end_of_file():
    df = parse("FROM x\nRUN echo a \\\n")
    assert pos(df.instructions[1]) == (2, 1, 2, 13)
    assert df.instructions[1].arguments == "echo a"
    assert df.problems == []


def test_line_of_only_an_escape_character_builds_nothing_and_does_not_crash():
    assert parse("\\").instructions == []
    assert parse("  \\\n\n").instructions == []
    df = parse("\\\nFROM x\n")
    assert [(i.keyword, pos(i.keyword_span)) for i in df.instructions] == [("FROM", (2, 1, 2, 5))]


def test_backtick_escape_directive():
    df = parse(dedent("""
        # escape=`
        FROM mcr.microsoft.com/windows/servercore
        COPY C:\\src\\app D:\\app\\
        RUN dir `
            # comment in the middle
            C:\\ `
          && echo done
        USER x
    """))
    assert df.directives == {"escape": "`"}
    assert df.escape == "`"
    copy, run = df.instructions[1], df.instructions[2]
    # A trailing backslash is not a continuation, and backslashes stay in the words.
    assert [w.text for w in copy.words] == ["C:\\src\\app", "D:\\app\\"]
    assert pos(copy) == (3, 1, 3, 24)
    assert pos(run) == (4, 1, 7, 15)
    assert words(run)[-2:] == [("echo", (7, 6, 7, 10)), ("done", (7, 11, 7, 15))]
    assert [i.keyword for i in df.instructions] == ["FROM", "COPY", "RUN", "USER"]


def test_backtick_escape_quotes_a_blank_in_instruction_words():
    df = parse("# escape=`\nFROM x\nCOPY a` b /dst/\n")
    assert [w.text for w in df.instructions[1].words] == ["a b", "/dst/"]


def test_backslash_without_escape_directive_is_the_escape():
    df = parse("FROM x\nCOPY a\\ b /dst/\n")
    assert [w.text for w in df.instructions[1].words] == ["a b", "/dst/"]


# -- directives, BOM, CRLF ------------------------------------------------------------------------

def test_directives_at_the_top():
    df = parse("# syntax=docker/dockerfile:1.7\n#ESCAPE = `\n# check=skip=JSONArgsRecommended\nFROM x\n")
    assert df.directives == {"syntax": "docker/dockerfile:1.7", "escape": "`",
                             "check": "skip=JSONArgsRecommended"}
    assert df.escape == "`"
    assert [c.span.line for c in df.comments] == [1, 2, 3]


@pytest.mark.parametrize("text", [
    "FROM x\n# escape=`\nRUN a `\n",          # after an instruction
    "\n# escape=`\nRUN a `\n",                # after a blank line
    "# hello\n# escape=`\nRUN a `\n",         # after an ordinary comment
    "# unknown=1\n# escape=`\nRUN a `\n",     # after an unknown directive
])
def test_directive_lookalike_later_in_the_file_is_just_a_comment(text):
    df = parse(text)
    assert df.directives == {}
    assert df.escape == "\\"
    assert "# escape=`" in [c.text for c in df.comments]
    run = df.instructions[-1]
    assert pos(run) == (3, 1, 3, 8)          # the backtick did not continue the line
    assert run.arguments == "a `"


def test_invalid_escape_directive_is_a_problem():
    df = parse("# escape=x\nFROM a\n")
    assert df.escape == "\\"
    assert [(p.message, pos(p)) for p in df.problems] == [("invalid escape character 'x': use \\ or `", (1, 1, 1, 11))]
    assert [i.keyword for i in df.instructions] == ["FROM"]


def test_bom_is_ignored_and_columns_are_unaffected():
    df = parse("\ufeff# syntax=docker/dockerfile:1\nFROM x AS base\n")
    assert df.directives == {"syntax": "docker/dockerfile:1"}
    assert df.lines[0] == "# syntax=docker/dockerfile:1"
    assert pos(df.instructions[0].keyword_span) == (2, 1, 2, 5)
    df = parse("\ufeffFROM x\n")
    assert pos(df.instructions[0].keyword_span) == (1, 1, 1, 5)
    assert df.problems == []


def test_crlf_line_endings_do_not_shift_columns():
    df = parse("# escape=\\\r\nFROM x\r\nRUN apt-get install \\\r\n    curl\r\nCOPY <<EOF /f\r\nbody\r\nEOF\r\nUSER u\r\n")
    assert df.directives == {"escape": "\\"}
    assert df.lines[1] == "FROM x"
    run, copy, user = df.instructions[1:]
    assert pos(run) == (3, 1, 4, 9)
    assert words(run)[-1] == ("curl", (4, 5, 4, 9))
    assert copy.heredocs[0].body == "body\n"
    assert pos(copy) == (5, 1, 7, 4)
    assert pos(user) == (8, 1, 8, 7)


def test_empty_and_blank_files():
    for text in ("", "\n", "\n\n   \n", "# only a comment\n"):
        df = parse(text)
        assert df.instructions == [] and df.stages == [] and df.problems == []


# -- heredocs ---------------------------------------------------------------------------------

def test_run_heredoc_body_is_split_into_commands_on_its_own_lines():
    df = parse(dedent("""
        FROM debian
        RUN <<EOF
        apt-get update
        apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
        EOF
        USER app
    """))
    run = df.instructions[1]
    heredoc = run.heredocs[0]
    assert (heredoc.delimiter, heredoc.strip_tabs, heredoc.quoted) == ("EOF", False, False)
    assert heredoc.body == ("apt-get update\n"
                            "apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n")
    assert pos(heredoc.marker_span) == (2, 5, 2, 10)
    assert pos(heredoc.body_span) == (3, 1, 4, 79)
    assert pos(heredoc) == (3, 1, 5, 4)
    assert pos(run) == (2, 1, 5, 4)
    assert run.heredoc_program is None
    assert cmds(run) == [
        ("", "apt-get", ["update"]),
        ("\n", "apt-get", ["install", "-y", "--no-install-recommends", "curl"]),
        ("&&", "rm", ["-rf", "/var/lib/apt/lists/*"]),
    ]
    assert [pos(c) for c in run.commands] == [(3, 1, 3, 15), (4, 1, 4, 48), (4, 52, 4, 79)]
    assert pos(run.commands[1].words[-1]) == (4, 44, 4, 48)
    assert pos(df.instructions[2]) == (6, 1, 6, 9)


def test_instruction_after_a_long_heredoc_keeps_its_true_line_number():
    text = "FROM x\n\nRUN <<EOF\n" + "".join(f"echo {n}\n" for n in range(4, 9)) + "EOF\nWORKDIR /app\n"
    df = parse(text)
    run, workdir = df.instructions[1], df.instructions[2]
    assert pos(run) == (3, 1, 9, 4)
    assert pos(run.heredocs[0]) == (4, 1, 9, 4)
    assert [c.span.line for c in run.commands] == [4, 5, 6, 7, 8]
    assert workdir.keyword == "WORKDIR"
    assert workdir.span.line == 10
    assert pos(workdir) == (10, 1, 10, 13)


def test_dash_heredoc_strips_tabs_and_commands_point_after_them():
    df = parse("FROM x\nRUN <<-EOF\n\t\techo hi &&\n\tapt-get install -y \\\n\t  curl\n\tEOF\nUSER u\n")
    run = df.instructions[1]
    heredoc = run.heredocs[0]
    assert heredoc.strip_tabs is True
    assert heredoc.body == "echo hi &&\napt-get install -y \\\n  curl\n"
    assert pos(heredoc) == (3, 1, 6, 5)
    assert cmds(run) == [("", "echo", ["hi"]), ("&&", "apt-get", ["install", "-y", "curl"])]
    echo, apt = run.commands
    assert pos(echo) == (3, 3, 3, 10)
    assert pos(echo.words[1]) == (3, 8, 3, 10)
    assert pos(apt.words[0]) == (4, 2, 4, 9)
    assert pos(apt.words[-1]) == (5, 4, 5, 8)
    assert pos(df.instructions[2]) == (7, 1, 7, 7)


def test_dash_heredoc_delimiter_must_match_after_tabs_only():
    # Without "-" an indented delimiter does not close the heredoc.
    df = parse("FROM x\nRUN <<EOF\necho\n\tEOF\nEOF\n")
    assert df.instructions[1].heredocs[0].body == "echo\n\tEOF\n"
    assert pos(df.instructions[1]) == (2, 1, 5, 4)


@pytest.mark.parametrize("marker, quoted", [("<<'EOF'", True), ('<<"EOF"', True), ("<<EOF", False)])
def test_quoted_delimiters(marker, quoted):
    df = parse(f"FROM x\nCOPY {marker} /etc/motd\nhello $USER\nEOF\n")
    copy = df.instructions[1]
    heredoc = copy.heredocs[0]
    assert (heredoc.delimiter, heredoc.quoted, heredoc.body) == ("EOF", quoted, "hello $USER\n")
    assert pos(heredoc.marker_span) == (2, 6, 2, 6 + len(marker))
    assert copy.words[-1].text == "/etc/motd"


def test_two_heredocs_in_one_copy():
    df = parse("FROM x\nCOPY <<A <<'B' /dst/\na1\na2\nA\nb1\nB\nUSER u\n")
    copy = df.instructions[1]
    a, b = copy.heredocs
    assert (a.delimiter, a.body, a.quoted, pos(a), pos(a.body_span)) == ("A", "a1\na2\n", False, (3, 1, 5, 2), (3, 1, 4, 3))
    assert (b.delimiter, b.body, b.quoted, pos(b), pos(b.body_span)) == ("B", "b1\n", True, (6, 1, 7, 2), (6, 1, 6, 3))
    assert [pos(h.marker_span) for h in copy.heredocs] == [(2, 6, 2, 9), (2, 10, 2, 15)]
    assert pos(copy) == (2, 1, 7, 2)
    assert [w.text for w in copy.words] == ["<<A", "<<B", "/dst/"]
    assert copy.commands == ()
    assert pos(df.instructions[2]) == (8, 1, 8, 7)


def test_copy_heredoc_with_flags():
    df = parse("FROM x\nCOPY --chmod=755 <<EOF /usr/local/bin/start\n#!/bin/sh\nexec app\nEOF\n")
    copy = df.instructions[1]
    assert copy.flag("chmod").value == "755"
    assert copy.heredocs[0].body == "#!/bin/sh\nexec app\n"
    assert copy.commands == ()
    assert copy.arguments == "<<EOF /usr/local/bin/start"


def test_body_lines_that_look_like_instructions_stay_in_the_body():
    df = parse("FROM x\nRUN cat <<EOF > /etc/conf\nFROM evil\nRUN nothing\nEOF\n")
    assert [i.keyword for i in df.instructions] == ["FROM", "RUN"]
    assert len(df.stages) == 1
    assert df.instructions[1].heredocs[0].body == "FROM evil\nRUN nothing\n"
    assert cmds(df.instructions[1]) == [("", "cat", [])]   # cat's stdin is data, not commands


def test_python_heredoc_is_not_split_into_shell_commands():
    df = parse("FROM python\nRUN python3 <<EOF\nimport os; print(os.getcwd())\nEOF\n")
    run = df.instructions[1]
    assert run.heredoc_program == "python3"
    assert cmds(run) == [("", "python3", [])]
    assert run.heredocs[0].body == "import os; print(os.getcwd())\n"


def test_heredoc_program_is_the_basename():
    df = parse("FROM python\nRUN /usr/bin/python3 - <<'PY'\nprint(1)\nPY\n")
    assert df.instructions[1].heredoc_program == "python3"
    assert [c.program for c in df.instructions[1].commands] == ["python3"]


def test_bash_heredoc_body_is_split_into_commands():
    df = parse("FROM debian\nRUN bash <<EOF\nset -e\napt-get update; rm -rf /tmp/*\nEOF\n")
    run = df.instructions[1]
    assert run.heredoc_program == "bash"
    assert cmds(run) == [("", "bash", []), ("", "set", ["-e"]), ("\n", "apt-get", ["update"]), (";", "rm", ["-rf", "/tmp/*"])]
    assert [pos(c) for c in run.commands] == [(2, 5, 2, 9), (3, 1, 3, 7), (4, 1, 4, 15), (4, 17, 4, 30)]


def test_bare_heredoc_with_python_shebang_is_not_shell():
    df = parse("FROM python\nRUN <<EOF\n#!/usr/bin/env python3\nimport sys\nprint(sys.version)\nEOF\n")
    run = df.instructions[1]
    assert run.heredoc_program is None
    assert run.commands == ()
    assert run.heredocs[0].body.startswith("#!/usr/bin/env python3\n")


def test_bare_heredoc_with_shell_shebang_is_shell():
    df = parse("FROM debian\nRUN <<EOF\n#!/bin/bash\nset -eux\napt-get update\nEOF\n")
    run = df.instructions[1]
    # The shebang is a comment; the first real command has no joining operator.
    assert cmds(run) == [("", "set", ["-eux"]), ("\n", "apt-get", ["update"])]
    assert [pos(c) for c in run.commands] == [(4, 1, 4, 9), (5, 1, 5, 15)]


def test_empty_heredoc():
    df = parse("FROM x\nRUN <<EOF\nEOF\nUSER u\n")
    heredoc = df.instructions[1].heredocs[0]
    assert heredoc.body == ""
    assert pos(heredoc.body_span) == (3, 1, 3, 1)
    assert pos(heredoc) == (3, 1, 3, 4)
    assert df.instructions[1].commands == ()
    assert pos(df.instructions[2]) == (4, 1, 4, 7)


def test_unclosed_heredoc_is_a_problem_not_an_exception():
    df = parse("FROM x\nRUN <<EOF\necho a\necho b\n")
    run = df.instructions[1]
    assert [(p.message, pos(p)) for p in df.problems] == [("heredoc 'EOF' is not closed", (2, 1, 2, 10))]
    heredoc = run.heredocs[0]
    assert heredoc.body == "echo a\necho b\n"
    assert pos(heredoc.body_span) == (3, 1, 4, 7)    # the whole body, to the end of the file
    assert pos(heredoc) == (3, 1, 4, 7)
    assert pos(run) == (2, 1, 4, 7)
    assert cmds(run) == [("", "echo", ["a"]), ("\n", "echo", ["b"])]


def test_unclosed_heredoc_on_the_last_line_stays_inside_the_file():
    df = parse("FROM x\nRUN <<EOF")
    heredoc = df.instructions[1].heredocs[0]
    assert heredoc.body == ""
    assert [p.message for p in df.problems] == ["heredoc 'EOF' is not closed"]
    for span in (heredoc.span, heredoc.body_span, df.instructions[1].span):
        assert span.line <= span.end_line <= 2


def test_second_heredoc_unclosed():
    df = parse("FROM x\nCOPY <<A <<B /d/\na\nA\nb\n")
    a, b = df.instructions[1].heredocs
    assert (a.body, b.body) == ("a\n", "b\n")
    assert [p.message for p in df.problems] == ["heredoc 'B' is not closed"]
    assert pos(b.body_span) == (5, 1, 5, 2)


@pytest.mark.parametrize("run", ["RUN cat << EOF", "RUN cat <<- EOF", "RUN cat <<", "RUN echo <<<EOF"])
def test_heredoc_marker_needs_the_word_right_after_the_arrows(run):
    # As in Docker: "<< EOF" is no heredoc, so the next lines are instructions again.
    df = parse(f"FROM x\n{run}\nUSER u\n")
    assert df.instructions[1].heredocs == ()
    assert [i.keyword for i in df.instructions] == ["FROM", "RUN", "USER"]
    assert df.problems == []


def test_heredoc_marker_inside_quotes_is_not_a_heredoc():
    df = parse("FROM x\nRUN echo '<<EOF' \"<<X\"\nUSER u\n")
    assert df.instructions[1].heredocs == ()
    assert cmds(df.instructions[1]) == [("", "echo", ["<<EOF", "<<X"])]


def test_heredoc_after_a_continued_line_starts_after_the_last_continuation():
    df = parse("FROM x\nRUN cat <<EOF \\\n    > /etc/x\nbody\nEOF\nUSER u\n")
    run = df.instructions[1]
    assert run.heredocs[0].body == "body\n"
    assert pos(run.heredocs[0]) == (4, 1, 5, 4)
    assert pos(run) == (2, 1, 5, 4)
    assert pos(df.instructions[2]) == (6, 1, 6, 7)


def test_heredoc_with_crlf():
    df = parse("FROM x\r\nRUN <<EOF\r\necho hi\r\nEOF\r\nUSER u\r\n")
    assert df.instructions[1].heredocs[0].body == "echo hi\n"
    assert cmds(df.instructions[1]) == [("", "echo", ["hi"])]
    assert pos(df.instructions[2]) == (5, 1, 5, 7)


# -- exec form and shell form -----------------------------------------------------------------------

@pytest.mark.parametrize("keyword", ["RUN", "CMD", "ENTRYPOINT", "SHELL"])
def test_exec_form_items_with_spans(keyword):
    df = parse(f'FROM x\n{keyword} ["/bin/sh", "-c", "echo \\"hi\\""]\n')
    instruction = df.instructions[1]
    col = len(keyword) + 2
    assert instruction.json_form is True
    assert [(w.text, w.value, pos(w)) for w in instruction.words] == [
        ("/bin/sh", "/bin/sh", (2, col + 1, 2, col + 10)),
        ("-c", "-c", (2, col + 12, 2, col + 16)),
        ('echo "hi"', 'echo "hi"', (2, col + 18, 2, col + 31)),
    ]


def test_exec_form_run_is_one_command():
    df = parse('FROM x\nRUN ["/usr/bin/apt-get", "install", "-y", "curl"]\n')
    run = df.instructions[1]
    assert cmds(run) == [("", "apt-get", ["install", "-y", "curl"])]
    assert pos(run.commands[0]) == (2, 6, 2, 49)


def test_exec_form_continued_over_lines():
    df = parse('FROM x\nENTRYPOINT ["python", \\\n    "-m", "app"]\n')
    entry = df.instructions[1]
    assert entry.json_form
    assert words(entry) == [("python", (2, 13, 2, 21)), ("-m", (3, 5, 3, 9)), ("app", (3, 11, 3, 16))]


def test_exec_form_with_unicode_escape_and_blanks():
    df = parse('FROM x\nCMD [ "caf\\u00e9" ,"b" ]\n')
    cmd = df.instructions[1]
    assert cmd.json_form
    assert words(cmd) == [("café", (2, 7, 2, 18)), ("b", (2, 20, 2, 23))]


def test_empty_exec_form():
    df = parse("FROM x\nCMD []\n")
    assert df.instructions[1].json_form is True
    assert df.instructions[1].words == ()


@pytest.mark.parametrize("arguments", [
    "['single', 'quotes']",          # JSON needs double quotes
    '["unterminated", "x"',
    '["a", 1]',                      # not all strings
    '[ -f /x ] && echo yes',         # a test command
    '["a"] trailing',
])
def test_malformed_json_falls_back_to_shell_form(arguments):
    df = parse(f"FROM x\nCMD {arguments}\n")
    cmd = df.instructions[1]
    assert cmd.json_form is False
    assert cmd.arguments == arguments
    assert cmd.words[0].span.column == 5


def test_malformed_json_run_is_split_as_shell():
    df = parse("FROM x\nRUN [ -f /x ] && echo yes\n")
    run = df.instructions[1]
    assert run.json_form is False
    assert cmds(run) == [("", "[", ["-f", "/x", "]"]), ("&&", "echo", ["yes"])]


def test_shell_form_cmd_and_entrypoint_words():
    df = parse("FROM x\nCMD python -m http.server 8000\nENTRYPOINT exec app\n")
    cmd, entry = df.instructions[1:]
    assert not cmd.json_form and not entry.json_form
    assert [w.text for w in cmd.words] == ["python", "-m", "http.server", "8000"]
    assert cmd.commands == () and entry.commands == ()   # only RUN bodies are split into commands


def test_copy_exec_form_with_spaces_in_paths():
    df = parse('FROM x\nCOPY ["my file.txt", "/dst dir/"]\nADD ["a", "/b/"]\n')
    copy, add = df.instructions[1:]
    assert copy.json_form and add.json_form
    assert words(copy) == [("my file.txt", (2, 7, 2, 20)), ("/dst dir/", (2, 22, 2, 33))]
    assert [w.text for w in add.words] == ["a", "/b/"]


def test_deeply_nested_json_is_shell_form_not_a_crash():
    df = parse("FROM x\nRUN " + "[" * 100_000 + "\n")
    assert df.instructions[1].json_form is False


# -- flags ---------------------------------------------------------------------------------------------

def test_run_mount_and_network_flags():
    df = parse("FROM x\nRUN --mount=type=cache,target=/root/.cache/pip,sharing=locked --network=none pip install -r r.txt\n")
    run = df.instructions[1]
    mount, network = run.flags
    assert (mount.name, mount.value, pos(mount)) == ("mount", "type=cache,target=/root/.cache/pip,sharing=locked", (2, 5, 2, 62))
    assert mount.options() == {"type": "cache", "target": "/root/.cache/pip", "sharing": "locked"}
    assert run.mounts() == [mount.options()]
    assert (network.name, network.value, pos(network)) == ("network", "none", (2, 63, 2, 77))
    assert run.arguments == "pip install -r r.txt"
    assert pos(run.arguments_span) == (2, 78, 2, 98)
    assert cmds(run) == [("", "pip", ["install", "-r", "r.txt"])]


def test_mount_options_bare_keys_and_case():
    df = parse("FROM x\nRUN --mount=type=secret,id=npmrc,Required --mount=type=bind,source=.,target=/src,ro make\n")
    run = df.instructions[1]
    assert run.mounts() == [{"type": "secret", "id": "npmrc", "required": ""},
                            {"type": "bind", "source": ".", "target": "/src", "ro": ""}]


def test_copy_flags():
    df = parse("FROM x\nCOPY --from=build --chown=app:app --chmod=0755 --link /src /dst\n")
    copy = df.instructions[1]
    assert [(f.name, f.value, pos(f)) for f in copy.flags] == [
        ("from", "build", (2, 6, 2, 18)),
        ("chown", "app:app", (2, 19, 2, 34)),
        ("chmod", "0755", (2, 35, 2, 47)),
        ("link", None, (2, 48, 2, 54)),
    ]
    assert copy.flag("from").value == "build"
    assert copy.flag("exclude") is None
    assert words(copy) == [("/src", (2, 55, 2, 59)), ("/dst", (2, 60, 2, 64))]


def test_add_checksum_flag():
    df = parse("FROM x\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://x/y.tgz /\n")
    add = df.instructions[1]
    assert add.flag("checksum").value.startswith("sha256:24454f")
    assert pos(add.flag("checksum")) == (2, 5, 2, 87)
    assert [w.text for w in add.words] == ["https://x/y.tgz", "/"]


def test_from_platform_flag():
    df = parse("FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n")
    stage = df.stages[0]
    assert stage.platform == "$BUILDPLATFORM"
    assert pos(df.instructions[0].flag("platform")) == (1, 6, 1, 31)
    assert (stage.base.repository, stage.base.tag, stage.alias) == ("golang", "1.22", "build")


def test_flags_over_continuation_lines():
    df = parse("FROM x\nRUN --mount=type=cache,target=/var/cache/apt \\\n    --mount=type=tmpfs,target=/tmp \\\n    apt-get update\n")
    run = df.instructions[1]
    assert [pos(f) for f in run.flags] == [(2, 5, 2, 45), (3, 5, 3, 35)]
    assert [m["type"] for m in run.mounts()] == ["cache", "tmpfs"]
    assert cmds(run) == [("", "apt-get", ["update"])]
    assert pos(run.commands[0]) == (4, 5, 4, 19)


def test_flag_names_are_lowercased_and_non_flags_are_arguments():
    df = parse("FROM x\nCOPY --FROM=a --chown=1 src dst --link\n")
    copy = df.instructions[1]
    assert [f.name for f in copy.flags] == ["from", "chown"]
    assert [w.text for w in copy.words] == ["src", "dst", "--link"]   # flags only come first


def test_instructions_without_flags_keep_dashes_as_words():
    df = parse("FROM x\nCMD --help\nENV --x=1\n")
    assert df.instructions[1].flags == () and df.instructions[1].words[0].text == "--help"
    assert df.instructions[2].flags == ()


def test_healthcheck_flags():
    df = parse("FROM x\nHEALTHCHECK --interval=30s --timeout=3s CMD curl -f http://localhost/ || exit 1\n")
    hc = df.instructions[1]
    assert [(f.name, f.value) for f in hc.flags] == [("interval", "30s"), ("timeout", "3s")]
    assert hc.words[0].text == "CMD"


# -- stages and image references --------------------------------------------------------------

def test_stages_aliases_and_references():
    df = parse(dedent("""
        FROM localhost:5000/team/app:1 AS Builder
        RUN make
        FROM docker.io/library/debian:12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef as runtime
        COPY --from=builder /out /app
        FROM scratch
        FROM builder AS again
        FROM BUILDER
    """))
    assert [(s.index, s.alias) for s in df.stages] == [(0, "Builder"), (1, "runtime"), (2, None), (3, "again"), (4, None)]
    b0, b1, b2, b3, b4 = (s.base for s in df.stages)
    assert (b0.registry, b0.repository, b0.tag, b0.digest, b0.stage) == ("localhost:5000", "team/app", "1", None, None)
    assert (b1.registry, b1.repository, b1.tag) == ("docker.io", "library/debian", "12-slim")
    assert b1.digest == "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
    assert b2.is_scratch and b2.tag is None
    assert (b3.stage, b4.stage) == (0, 0)       # stage names are case-insensitive
    assert [s.is_final for s in df.stages] == [False, False, False, False, True]
    assert [i.stage_index for i in df.stages[0].instructions] == [0, 0]
    assert df.stages[1].instructions[1].keyword == "COPY"
    assert df.stages[1].from_instruction is df.instructions[2]
    assert df.stage_by_name("RUNTIME") is df.stages[1]
    assert df.stage_by_name("0") is df.stages[0]
    assert df.stage_by_name("9") is None and df.stage_by_name("nope") is None


@pytest.mark.parametrize("text, parts", [
    ("ubuntu", (None, "ubuntu", None, None)),
    ("ubuntu:22.04", (None, "ubuntu", "22.04", None)),
    ("library/ubuntu:22.04", (None, "library/ubuntu", "22.04", None)),
    ("docker.io/library/x", ("docker.io", "library/x", None, None)),
    ("ghcr.io/o/r/img:v1", ("ghcr.io", "o/r/img", "v1", None)),
    ("localhost/img", ("localhost", "img", None, None)),
    ("localhost:5000/a/b:1", ("localhost:5000", "a/b", "1", None)),
    ("registry:5000/a", ("registry:5000", "a", None, None)),
    ("localhost:5000", (None, "localhost", "5000", None)),     # an image named localhost, tag 5000
    ("x@sha256:abcdef", (None, "x", None, "sha256:abcdef")),
    ("x:1@sha256:abcdef", (None, "x", "1", "sha256:abcdef")),
])
def test_parse_image_reference(text, parts):
    assert parse_image_reference(text) == parts


def test_arg_before_from_resolves_the_base_image():
    df = parse(dedent("""
        ARG TAG=3.11
        ARG REGISTRY
        FROM python:${TAG}
        FROM python:$TAG-slim
        FROM python:${NOPE:-3.12}
        FROM python:${TAG:+slim}
        FROM python:${NOPE:+slim}
        FROM python:${NOPE}
        FROM $REGISTRY/python
    """))
    refs = [s.base for s in df.stages]
    assert [(r.text, r.tag, r.unresolved) for r in refs[:4]] == [
        ("python:3.11", "3.11", False), ("python:3.11-slim", "3.11-slim", False),
        ("python:3.12", "3.12", False), ("python:slim", "slim", False)]
    assert [r.unresolved for r in refs[4:]] == [True, True, True]
    assert refs[5].text == "python:${NOPE}"
    assert [i.keyword for i in df.global_args] == ["ARG", "ARG"]
    assert df.instructions[0].stage_index == -1


def test_build_args_override_arg_defaults():
    df = parse("ARG TAG=3.11\nARG VARIANT\nFROM python:${TAG}-${VARIANT}\n", build_args={"TAG": "3.13", "VARIANT": "slim"})
    assert df.stages[0].base.text == "python:3.13-slim"
    assert not df.stages[0].base.unresolved


def test_build_args_only_apply_to_declared_args():
    df = parse("FROM python:${TAG}\n", build_args={"TAG": "3.13"})
    assert df.stages[0].base.unresolved


def test_stage_args_and_env():
    df = parse(dedent("""
        ARG VERSION=1.0
        ARG OTHER=o
        FROM x AS base
        RUN echo $VERSION
        ARG VERSION
        ARG LOCAL=l
        RUN echo $VERSION $LOCAL $OTHER
        ENV LOCAL=env HOME=/root
        RUN echo $LOCAL $HOME
        FROM base
        RUN echo $HOME $LOCAL $VERSION
        FROM x
        RUN echo $HOME
    """))
    runs = [i for i in df.instructions if i.keyword == "RUN"]
    values = [[w.value for w in r.commands[0].args] for r in runs]
    assert values == [
        [None],                      # a global ARG is not visible in a stage until redeclared
        ["1.0", "l", None],          # ARG without default takes the global value
        ["env", "/root"],            # ENV overrides ARG
        ["/root", "env", None],      # ENV is inherited by FROM <stage>, ARG is not
        [None],                      # a fresh stage inherits nothing
    ]


def test_stage_arg_with_build_arg():
    df = parse("FROM x\nARG V=default\nRUN echo $V\n", build_args={"V": "given"})
    assert df.instructions[2].commands[0].args[0].value == "given"


def test_env_legacy_form_and_references():
    df = parse('FROM x\nENV A=1 B="two words"\nENV C $A/bin\nENV D=${B}!\nRUN echo $A "$B" $C $D\n')
    run = df.instructions[-1]
    assert run.commands[0].arg_values() == ["1", "two words", "1/bin", "two words!"]


def test_env_refers_to_values_before_the_instruction():
    df = parse("FROM x\nENV A=1\nENV A=2 B=$A\nRUN echo $A $B\n")
    assert df.instructions[-1].commands[0].arg_values() == ["2", "1"]


def test_variables_in_copy_and_workdir_are_resolved():
    df = parse("FROM x\nARG APP=/srv/app\nWORKDIR $APP\nCOPY --chown=app . ${APP}/src\n")
    assert df.instructions[2].words[0].value == "/srv/app"
    assert df.instructions[3].words[-1].value == "/srv/app/src"
    assert df.instructions[3].words[-1].resolved == "/srv/app/src"


def test_instructions_before_first_from():
    df = parse("ARG A=1\nFROM x\n")
    assert df.global_args[0].variables == {"A": "1"}
    assert df.stages[0].instructions == [df.instructions[1]]


def test_from_without_image():
    df = parse("FROM\n")
    assert df.stages[0].base.unresolved and df.stages[0].base.repository == ""
    assert df.problems == []


# -- RUN shell commands --------------------------------------------------------------------

def test_run_shell_commands_operators_assignments_redirections():
    df = parse('FROM x\nRUN FOO=1 BAR="a b" make -j4 > /dev/null 2>&1 && echo ok || true; cat a | grep b & wait\n')
    run = df.instructions[1]
    assert cmds(run) == [("", "make", ["-j4"]), ("&&", "echo", ["ok"]), ("||", "true", []), (";", "cat", ["a"]),
                         ("|", "grep", ["b"]), ("&", "wait", [])]
    make = run.commands[0]
    assert [(a.text, pos(a)) for a in make.assignments] == [("FOO=1", (2, 5, 2, 10)), ("BAR=a b", (2, 11, 2, 20))]
    assert pos(make) == (2, 5, 2, 29)    # from the first assignment to the last word, redirections dropped


def test_run_if_then_fi():
    df = parse("FROM x\nRUN if [ ! -d /app ]; then mkdir -p /app; else echo exists; fi && ls\n")
    assert cmds(df.instructions[1]) == [("", "[", ["!", "-d", "/app", "]"]), (";", "mkdir", ["-p", "/app"]),
                                        (";", "echo", ["exists"]), ("&&", "ls", [])]


def test_run_quotes_substitutions_and_backticks():
    df = parse("FROM x\nRUN echo \"$(uname -m)\" 'it''s' `date` \"a\\\"b\"\n")
    run = df.instructions[1]
    assert [(w.text, w.value, pos(w)) for w in run.commands[0].args] == [
        ("$(uname -m)", None, (2, 10, 2, 23)),
        ("its", "its", (2, 24, 2, 31)),
        ("`date`", None, (2, 32, 2, 38)),
        ('a"b', 'a"b', (2, 39, 2, 45)),
    ]


def test_run_program_is_the_basename():
    df = parse("FROM x\nRUN /usr/local/bin/pip install x\n")
    assert df.instructions[1].commands[0].program == "pip"


def test_run_program_uses_the_resolved_value():
    df = parse("FROM x\nARG PIP=pip3\nRUN $PIP install flask\n")
    assert df.instructions[2].commands[0].program == "pip3"


def test_run_word_spans_across_continuation_lines():
    df = parse("FROM x\nRUN set -eux; \\\n    apt-get update; \\\n    apt-get install -y \\\n        python3-pip\n")
    run = df.instructions[1]
    assert cmds(run) == [("", "set", ["-eux"]), (";", "apt-get", ["update"]), (";", "apt-get", ["install", "-y", "python3-pip"])]
    assert [pos(c) for c in run.commands] == [(2, 5, 2, 13), (3, 5, 3, 19), (4, 5, 5, 20)]
    assert pos(run.commands[2].words[-1]) == (5, 9, 5, 20)


def test_run_comment_at_end_of_line():
    df = parse("FROM x\nRUN echo hi # a comment && rm -rf /\n")
    assert cmds(df.instructions[1]) == [("", "echo", ["hi"])]


def test_run_with_only_flags_has_no_commands():
    df = parse("FROM x\nRUN --network=none\n")
    assert df.instructions[1].commands == () and df.instructions[1].arguments == ""


# -- ONBUILD, unknown instructions ---------------------------------------------------------------------

def test_onbuild_trigger():
    df = parse("FROM x\nONBUILD RUN --mount=type=cache,target=/c pip install -r requirements.txt\n")
    onbuild = df.instructions[1]
    trigger = onbuild.trigger
    assert onbuild.keyword == "ONBUILD"
    assert onbuild.arguments == "RUN --mount=type=cache,target=/c pip install -r requirements.txt"
    assert trigger.keyword == "RUN"
    assert pos(trigger.keyword_span) == (2, 9, 2, 12)
    assert pos(trigger) == (2, 9, 2, 73)
    assert trigger.mounts() == [{"type": "cache", "target": "/c"}]
    assert pos(trigger.flags[0]) == (2, 13, 2, 41)
    assert cmds(trigger) == [("", "pip", ["install", "-r", "requirements.txt"])]
    assert pos(trigger.commands[0].words[-1]) == (2, 57, 2, 73)
    assert trigger not in df.instructions


def test_onbuild_trigger_with_heredoc():
    df = parse("FROM x\nONBUILD COPY <<EOF /x\nhi\nEOF\nUSER u\n")
    onbuild = df.instructions[1]
    assert onbuild.trigger.heredocs[0].body == "hi\n"
    assert pos(onbuild) == (2, 1, 4, 4)
    assert pos(df.instructions[2]) == (5, 1, 5, 7)


def test_onbuild_span_ends_at_its_last_line_not_at_a_trailing_comment():
    df = parse("FROM x\nONBUILD RUN a \\\n# comment\n")
    assert pos(df.instructions[1]) == (2, 1, 2, 16)
    assert pos(df.instructions[1].trigger) == (2, 9, 2, 16)


def test_onbuild_unknown_trigger_is_a_problem():
    df = parse("FROM x\nONBUILD FOO bar\n")
    assert [(p.message, pos(p)) for p in df.problems] == [("unknown instruction 'FOO'", (2, 9, 2, 12))]


def test_unknown_instruction_is_a_problem_at_its_keyword():
    df = parse("FROM x\n  RUNN apt-get update\nCOPY . /\n")
    assert [(p.message, pos(p)) for p in df.problems] == [("unknown instruction 'RUNN'", (2, 3, 2, 7))]
    assert [i.keyword for i in df.instructions] == ["FROM", "RUNN", "COPY"]
    assert pos(df.instructions[2]) == (3, 1, 3, 9)


def test_stray_heredoc_body_without_heredoc_support_is_reported():
    df = parse("FROM x\nUSER <<EOF\nhello\nEOF\n")    # USER takes no heredoc
    assert [p.message for p in df.problems] == ["unknown instruction 'hello'", "unknown instruction 'EOF'"]


# -- differential test against dockerfile-parse --------------------------------------------------

DIFFERENTIAL = [
    "FROM python:3.12\nRUN pip install flask\nCOPY . /app\nCMD [\"python\", \"app.py\"]\n",
    dedent("""
        # syntax=docker/dockerfile:1
        ARG BASE=debian:12
        FROM $BASE AS build
        # install things
        RUN apt-get update && \\
            apt-get install -y \\
            # the compiler
                gcc \\
                make
        COPY --from=0 /a /b
        FROM scratch
        COPY --from=build /out /
        ENTRYPOINT ["/app"]
    """),
    "FROM a\nLABEL a=1 \\\n      b=2\nENV X=1\n\n\nEXPOSE 80 443\nUSER nobody\n",
    "FROM a\nRUN echo a \\  \n  b\nHEALTHCHECK --interval=5s \\\n  CMD curl -f http://x/ || exit 1\n",
    "# escape=`\nFROM mcr.microsoft.com/windows\nRUN dir `\n    C:\\\nWORKDIR C:\\app\n",
    "FROM a\r\nRUN x \\\r\n  y\r\nUSER u\r\n",
    "FROM a AS one\nONBUILD RUN echo hi\nFROM one\nSTOPSIGNAL SIGTERM\nVOLUME /data\nSHELL [\"bash\", \"-c\"]\n",
]


@pytest.mark.parametrize("text", DIFFERENTIAL)
def test_instruction_lines_agree_with_dockerfile_parse(text):
    # Not compared: heredocs (dockerfile-parse reads their bodies as instructions) and blank
    # lines inside a continuation (dockerfile-parse ends the instruction there; Docker, and we,
    # skip the blank line and continue -- see test_comment_and_blank_lines_inside_a_continuation_are_skipped).
    dockerfile_parse = pytest.importorskip("dockerfile_parse")
    reference = dockerfile_parse.DockerfileParser(fileobj=io.BytesIO(text.encode()))
    expected = [(item["instruction"], item["startline"] + 1, item["endline"] + 1)
                for item in reference.structure if item["instruction"] != "COMMENT"]
    ours = [(i.keyword, i.span.line, i.span.end_line) for i in parse(text).instructions]
    assert ours == expected


def test_env_with_unknown_value_hides_an_arg_of_the_same_name():
    df = parse("FROM x\nARG X=1\nENV X=$NOPE\nRUN echo $X\n")
    assert df.instructions[-1].commands[0].args[0].value is None


def test_env_with_an_empty_name_is_not_a_crash():
    dockerfile = parse_dockerfile("FROM a\nENV ''\nENV =x\nRUN echo $HOME\n", "Dockerfile")
    assert [i.keyword for i in dockerfile.instructions] == ["FROM", "ENV", "ENV", "RUN"]
    assert "" not in dockerfile.instructions[-1].variables
