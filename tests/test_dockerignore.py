"""The .dockerignore reader and matcher, checked against Docker's documented examples and the
cases of moby's patternmatcher and ignorefile tests."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linter.model.span import Span
from linter.parsers.dockerignore import parse_dockerignore


def excluded(patterns: str, *paths: str) -> list[bool]:
    ignore = parse_dockerignore(patterns, ".dockerignore")
    return [ignore.excludes(path) for path in paths]


# -- reading the file -----------------------------------------------------------------------

def test_reader_cleans_lines_like_moby_ignorefile_test():
    # moby/patternmatcher ignorefile_test.go TestReadAll: leading "/" dropped, "! /x" is "!x"
    ignore = parse_dockerignore("test1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n! /inverted/abs/path\n",
                                ".dockerignore")
    assert [(p.text, p.negated) for p in ignore.patterns] == [
        ("test1", False), ("test2", False), ("a/file/here", False), ("lastfile", False), ("inverted/abs/path", True)]
    assert ignore.problems == []


def test_patterns_are_cleaned_like_go_filepath_clean():
    ignore = parse_dockerignore("./build/\nsrc//gen/../tmp\n/\n", ".dockerignore")
    assert [p.text for p in ignore.patterns] == ["build", "src/tmp", "/"]
    assert excluded("./build/\n", "build", "build/out.o", "src/build") == [True, True, False]


def test_only_a_hash_in_column_one_starts_a_comment():
    ignore = parse_dockerignore("# secrets\n  # indented\n", ".dockerignore")
    assert [p.text for p in ignore.patterns] == ["# indented"]
    assert excluded("# secrets\n", "# secrets") == [False]


def test_spans_cover_the_trimmed_pattern_on_its_line():
    ignore = parse_dockerignore("\ufeff  build  \r\n\r\n# note\r\n\t!keep.txt\r\n", "ctx/.dockerignore")
    assert [p.span for p in ignore.patterns] == [
        Span("ctx/.dockerignore", 1, 3, 1, 8),
        Span("ctx/.dockerignore", 4, 2, 4, 11),
    ]
    assert [(p.text, p.negated) for p in ignore.patterns] == [("build", False), ("keep.txt", True)]


def test_crlf_line_endings_do_not_reach_the_patterns():
    assert excluded("*.log\r\n!keep.log\r\n", "a.log", "keep.log") == [True, False]


@pytest.mark.parametrize("line", ["!", "! ", "!/"])
def test_bare_negation_is_reported_and_left_out(line):
    # moby TestSingleExclamationError; "!/" cleans to "!" in the matcher
    ignore = parse_dockerignore(f"*.md\n{line}\n", ".dockerignore")
    assert [p.text for p in ignore.patterns] == ["*.md"]
    assert len(ignore.problems) == 1
    assert ignore.problems[0].span == Span(".dockerignore", 2, 1, 2, len(line.strip()) + 1)
    assert "only `!`" in ignore.problems[0].message
    assert ignore.excludes("a.md")


# Go's filepath.Match error cases (moby's matchTests) plus a reversed range, which passes
# filepath.Match but fails to compile in moby (regression test for moby issue 52203).
@pytest.mark.parametrize("pattern", ["[]a]", "[-]", "[x-]", "[-x]", "\\", "[a-b-c]", "[", "[^", "[^bc", "a[",
                                     "[Local-Only]/"])
def test_patterns_docker_rejects_are_reported_and_skipped(pattern):
    ignore = parse_dockerignore(f"{pattern}\nlogs\n", ".dockerignore")
    assert [p.text for p in ignore.patterns] == ["logs"]
    assert len(ignore.problems) == 1
    assert ignore.problems[0].span.line == 1
    assert pattern.rstrip("/") in ignore.problems[0].message
    assert [ignore.excludes(path) for path in ("logs/x", "a", "]")] == [True, False, False]


# -- Docker's documentation examples ----------------------------------------------------------

def test_documented_temp_example():
    patterns = "# comment\n*/temp*\n*/*/temp*\ntemp?\n"
    paths = ["somedir/temporary.txt", "somedir/temp", "somedir/subdir/temporary.txt", "tempa", "tempb",
             "temp", "temporary.txt", "a/b/c/temp"]
    assert excluded(patterns, *paths) == [True, True, True, True, True, False, False, False]


def test_documented_double_star_go_example():
    assert excluded("**/*.go\n", "main.go", "cmd/tool/main.go", "main.gox", "docs/go") == [True, True, False, False]


def test_documented_readme_exception():
    assert excluded("*.md\n!README.md\n", "CHANGES.md", "README.md", "docs/intro.md") == [True, False, False]


def test_documented_exception_order_last_match_wins():
    # README-secret.md is excluded when it comes after the exception...
    assert excluded("*.md\n!README*.md\nREADME-secret.md\n", "README-secret.md", "README.md") == [True, False]
    # ...and included when the exception comes last
    assert excluded("*.md\nREADME-secret.md\n!README*.md\n", "README-secret.md", "README.md") == [False, False]


def test_documented_include_only_list():
    patterns = "*\n!src\n!pyproject.toml\n"
    assert excluded(patterns, "src/app/main.py", "pyproject.toml", "tests/test_x.py", ".git/HEAD") == [
        False, False, True, True]


def test_leading_slash_is_relative_to_the_context_root():
    # documented: "/foo/bar and foo/bar both exclude a file or directory named bar in foo"
    assert excluded("/foo/bar\n", "foo/bar", "x/foo/bar") == [True, False]
    assert excluded("foo/bar\n", "foo/bar", "x/foo/bar") == [True, False]


# -- moby patternmatcher TestMatches and Go's filepath.Match cases ------------------------------

@pytest.mark.parametrize(("pattern", "path", "expected"), [
    ("**", "file", True),
    ("**", "dir/file", True),
    ("**/", "file", True),
    ("**/**", "dir/file", True),
    ("dir/**", "dir/dir2/file", True),
    ("**/dir", "dir", True),
    ("**/dir", "dir/file", True),
    ("**/dir2/*", "dir/dir2/file", True),
    ("**/dir2/**", "dir/dir2/dir3/file", True),
    ("**file", "dir/dir/file", True),  # moby's suffix match: a literal ending
    ("**/file*.txt*", "dir/dir/file.txt", True),
    ("**/**/*.txt2", "dir/dir/file.txt", False),
    ("**/**/*.txt", "file.txt", True),
    ("a**/*.txt", "a/dir/dir/file.txt", True),
    ("a/*.txt", "a/dir/file.txt", False),
    ("a/*.txt**", "a/file.txt", True),
    ("a[b-d]e", "ae", False),
    ("a[b-d]e", "ace", True),
    ("a[^b-d]e", "aze", True),
    (".*", ".foo", True),
    (".*", "foo", False),
    ("abc.def", "abcZdef", False),
    ("abc?def", "abcZdef", True),
    ("abc?def", "abcdef", False),
    ("**/foo/bar", "dir/dir2/foo/bar", True),
    ("abc/**", "abc", False),
    ("abc/**", "abc/def/ghi", True),
    ("**/.foo", "bar.foo", False),
    ("a(b)c/def", "a(b)c/def", True),
    ("a(b)c/def", "a(b)c/xyz", False),
    ("a.|)$(}+{bc", "a.|)$(}+{bc", True),
    ("dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", True),
    ("a\\\\", "a\\", True),
    ("a\\*b", "a*b", True),
    ("a\\*b", "ab", False),
    ("a*", "ab/c", True),  # through its parent "ab"
    ("a*/b", "a/c/b", False),
    ("a*b*c*d*e*/f", "axbxcxdxexxx/f", True),
    ("a*b?c*x", "abxbbxdbxebxczzy", False),
    ("ab[^e-g]", "abc", True),
    ("a?b", "a\u263ab", True),
    ("a???b", "a\u263ab", False),
    ("[a-\u03b6]*", "\u03b1", True),
    ("a?b", "a/b", False),
    ("a*b", "a/b", False),
    ("[\\]a]", "]", True),
    ("[x\\-]", "-", True),
    ("[\\-x]", "a", False),
    ("*x", "xxx", True),
])
def test_moby_and_go_match_cases(pattern, path, expected):
    assert excluded(pattern + "\n", path) == [expected]


@pytest.mark.parametrize(("patterns", "path", "expected"), [
    ("**\n!util/docker/web\n", "util/docker/web/foo", False),
    ("**\n!util/docker/web\nutil/docker/web/foo\n", "util/docker/web/foo", True),
    ("**\n!dist/*.whl\n", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", False),
    ("!fileutils.go\n*.go\n", "fileutils.go", True),
    ("*.go\n!fileutils.go\n", "fileutils.go", False),
    ("docs\n!docs/README.md\n", "docs/README.md", False),
    ("docs/\n!docs/README.md\n", "docs/README.md", False),
    ("docs/*\n!docs/README.md\n", "docs/README.md", False),
])
def test_moby_multi_pattern_cases(patterns, path, expected):
    assert excluded(patterns, path) == [expected]


# -- behaviour a user relies on ----------------------------------------------------------------

def test_single_star_never_crosses_a_slash():
    assert excluded("*.log\n", "app.log", "logs/app.log") == [True, False]


def test_directory_pattern_excludes_everything_below_it():
    assert excluded("node_modules\n", "node_modules", "node_modules/x/y", "web/node_modules") == [True, True, False]


def test_negation_reincludes_a_path_below_an_excluded_directory():
    assert excluded("node_modules\n!node_modules/keep\n",
                    "node_modules/drop.js", "node_modules/keep", "node_modules/keep/a/b.js") == [True, False, False]


def test_double_star_suffix_matches_at_any_depth():
    assert excluded("**.pyc\n", "x.pyc", "pkg/sub/x.pyc", "x.py") == [True, True, False]


def test_excludes_cleans_the_path_it_is_given_and_never_excludes_the_root():
    assert excluded("*\n", "./src/../app.py", "/app.py", "src/", ".", "") == [True, True, True, False, False]


def test_reincludes_below_only_follows_negations():
    ignore = parse_dockerignore("*\n!src/keep\n", ".dockerignore")
    assert [ignore.reincludes_below(d) for d in ("src", "src/keep/deep", "node_modules")] == [True, True, False]
    assert not parse_dockerignore("node_modules\n", ".dockerignore").reincludes_below("node_modules")
    assert parse_dockerignore("node_modules\n!**/keep\n", ".dockerignore").reincludes_below("node_modules")


def test_thousands_of_paths_match_like_single_lookups():
    ignore = parse_dockerignore("**/__pycache__\n*.egg-info\nbuild/\n!build/keep\n", ".dockerignore")
    paths = [f"pkg{i}/__pycache__/m.pyc" for i in range(2000)] + [f"build/f{i}" for i in range(2000)]
    assert sum(ignore.excludes(path) for path in paths) == 4000
    assert ignore.excludes("build/keep/x") is False


@given(st.text(alphabet="ab*?[]!\\/.-^# \r\n\t\ufeff", max_size=60),
       st.text(alphabet="ab*?[]!\\/.-", max_size=20))
def test_any_text_parses_and_matches_without_raising(text, path):
    ignore = parse_dockerignore(text, ".dockerignore")
    ignore.excludes(path)
    lines = text.lstrip("\ufeff").split("\n")
    for item in [*ignore.patterns, *ignore.problems]:
        span = item.span
        assert span.line == span.end_line
        assert 1 <= span.column < span.end_column <= len(lines[span.line - 1].rstrip("\r")) + 1
