"""Input dlint cannot check, or can only check with care: each is a `PE` finding with a
position (or a clear reason) and exit code 1 — never a traceback, never a hang."""
from __future__ import annotations

import builtins
import os
import stat

import pytest

from tests.test_cli import check_json, positions, run_cli, write


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def only_finding(capsys, *argv: str) -> dict:
    """Check ``argv`` (JSON output, schema-validated); expect exit 1, no stderr, exactly one finding."""
    code, document, err = check_json(capsys, "--select", "DF501", *argv)
    assert (code, err) == (1, "")
    assert len(document["findings"]) == 1, document["findings"]
    return document["findings"][0]


def at(finding: dict) -> tuple:
    return finding["code"], finding["line"], finding["column"], finding["end_line"], finding["end_column"]


# -- not text -------------------------------------------------------------------------------


def test_a_binary_file_is_not_text(capsys):
    write("Dockerfile", b"FROM ubuntu:24.04\nRUN \x00\x01\x02\n")
    finding = only_finding(capsys, "Dockerfile")
    assert at(finding) == ("PE003", 2, 5, 2, 6)
    assert finding["name"] == "not-text" and "binary" in finding["message"]


def test_invalid_utf8_is_reported_at_its_line_and_column(capsys):
    # The column counts characters: "RUN echo café " is 14 characters (15 bytes) before the bad byte.
    write("Dockerfile", "FROM ubuntu:24.04\nRUN echo café ".encode() + b"\xff\xfe\n")
    finding = only_finding(capsys, "Dockerfile")
    assert at(finding) == ("PE003", 2, 15, 2, 16)
    assert finding["message"] == "not valid UTF-8 (byte 0xff)"


def test_latin1_text_is_not_utf8(capsys):
    write("Dockerfile", "FROM ubuntu:24.04\nLABEL author=\"José\"\n".encode("latin-1"))
    assert at(only_finding(capsys, "Dockerfile"))[:3] == ("PE003", 2, 18)


def test_a_utf8_bom_does_not_shift_columns(capsys):
    write("Dockerfile", b"\xef\xbb\xbfFROM ubuntu\n")
    assert at(only_finding(capsys, "Dockerfile")) == ("DF501", 1, 6, 1, 12)


def test_crlf_line_endings_keep_lines_and_columns(capsys):
    write("Dockerfile", b"FROM ubuntu:24.04 AS base\r\nRUN echo hi \\\r\n  && true\r\nFROM  debian\r\n")
    assert at(only_finding(capsys, "Dockerfile")) == ("DF501", 4, 7, 4, 13)


def test_bom_and_crlf_together(capsys):
    write("Dockerfile", b"\xef\xbb\xbf# syntax=docker/dockerfile:1\r\nFROM alpine\r\n")
    assert at(only_finding(capsys, "Dockerfile")) == ("DF501", 2, 6, 2, 12)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_a_bom_are_read(capsys, encoding):
    data = "FROM ubuntu:24.04\nFROM alpine\n".encode(encoding)
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):  # utf-16-be has no BOM of its own
        data = "\ufeff".encode(encoding) + data
    write("Dockerfile", data)
    assert at(only_finding(capsys, "Dockerfile")) == ("DF501", 2, 6, 2, 12)


# -- nothing to parse -----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n\n  \n", "# only a comment\n", "# syntax=docker/dockerfile:1\n"])
def test_a_file_without_instructions_is_a_parse_error(capsys, text):
    write("Dockerfile", text)
    finding = only_finding(capsys, "Dockerfile")
    assert at(finding)[:3] == ("PE001", 1, 1)
    assert "no instructions" in finding["message"]


# -- not a file, or not readable ------------------------------------------------------------


def test_a_folder_named_dockerfile_given_explicitly_is_walked(capsys, tmp_path):
    write(tmp_path / "Dockerfile" / "Dockerfile", "FROM ubuntu\n")
    write(tmp_path / "Dockerfile" / "notes.md", "not a Dockerfile\n")
    finding = only_finding(capsys, "Dockerfile")
    assert (finding["path"], finding["code"]) == (os.path.join("Dockerfile", "Dockerfile"), "DF501")


def test_a_folder_named_dockerfile_inside_a_walked_tree(capsys, tmp_path):
    write(tmp_path / "src" / "Dockerfile" / "app.dockerfile", "FROM ubuntu\n")
    (tmp_path / "src" / "Containerfile").mkdir()
    finding = only_finding(capsys, "src")
    assert (finding["path"], finding["code"]) == (os.path.join("src", "Dockerfile", "app.dockerfile"), "DF501")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read a file whatever its mode")
def test_permission_denied_is_unreadable(capsys, tmp_path):
    path = write(tmp_path / "Dockerfile", "FROM ubuntu\n")
    path.chmod(0)
    try:
        finding = only_finding(capsys, "Dockerfile")
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert at(finding) == ("PE002", 1, 1, 1, 1)
    assert finding["message"] == "cannot read this file: Permission denied"


def test_permission_denied_simulated(capsys, tmp_path, monkeypatch):
    """The same as above where the tests run as root: ``open`` fails as it would for another user."""
    write(tmp_path / "Dockerfile", "FROM ubuntu\n")
    real_open = builtins.open

    def guarded_open(file, *args, **kwargs):
        if str(file).endswith("Dockerfile"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    finding = only_finding(capsys, ".")
    assert (finding["path"], finding["code"], finding["message"]) == (
        "Dockerfile", "PE002", "cannot read this file: Permission denied")


def test_a_folder_that_cannot_be_listed_is_reported_not_skipped(capsys, tmp_path, monkeypatch):
    write(tmp_path / "tree" / "open" / "Dockerfile", "FROM ubuntu:24.04\n")
    write(tmp_path / "tree" / "locked" / "Dockerfile", "FROM ubuntu\n")
    real_scandir = os.scandir

    def guarded_scandir(path="."):
        if os.path.basename(os.fspath(path)) == "locked":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", guarded_scandir)
    finding = only_finding(capsys, "tree")
    assert (finding["path"], finding["code"]) == (os.path.join("tree", "locked"), "PE002")
    assert finding["message"] == "cannot read this file: cannot list this folder: Permission denied"


def test_a_broken_symlink_named_dockerfile(capsys, tmp_path):
    os.symlink(tmp_path / "gone", tmp_path / "Dockerfile")
    for argv in (["Dockerfile"], ["."]):
        finding = only_finding(capsys, *argv)
        assert (finding["path"], finding["code"]) == ("Dockerfile", "PE002")
        assert finding["message"] == "cannot read this file: No such file or directory"


def test_a_symlink_loop_named_dockerfile(capsys, tmp_path):
    os.symlink("Containerfile", tmp_path / "Dockerfile")
    os.symlink("Dockerfile", tmp_path / "Containerfile")
    code, document, err = check_json(capsys, ".")
    assert (code, err) == (1, "")
    assert [(f["path"], f["code"]) for f in document["findings"]] == [("Containerfile", "PE002"),
                                                                      ("Dockerfile", "PE002")]
    assert "symbolic links" in document["findings"][0]["message"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_called_dockerfile_does_not_block(capsys, tmp_path):
    os.mkfifo(tmp_path / "Dockerfile")
    finding = only_finding(capsys, ".")
    assert (finding["code"], finding["message"]) == ("PE002", "cannot read this file: not a regular file")


def test_a_symlink_to_a_real_dockerfile_is_followed(capsys, tmp_path):
    write(tmp_path / "docker" / "base.txt", "FROM ubuntu\n")
    os.symlink(os.path.join("docker", "base.txt"), tmp_path / "Dockerfile")
    finding = only_finding(capsys, "Dockerfile")
    assert (finding["path"], finding["code"], finding["line"]) == ("Dockerfile", "DF501", 1)


# -- size -----------------------------------------------------------------------------------


def test_a_50_mb_file_is_refused_without_parsing(capsys, tmp_path):
    line = b"RUN echo this line is repeated to make a very large file\n"
    with open(tmp_path / "Dockerfile", "wb") as handle:
        handle.write(b"FROM ubuntu\n")
        chunk = line * (1024 * 1024 // len(line))
        for _ in range(50):
            handle.write(chunk)
    finding = only_finding(capsys, "Dockerfile")
    assert at(finding)[:3] == ("PE004", 1, 1)
    assert finding["name"] == "file-too-large"
    assert "limit" in finding["message"]


def test_ten_thousand_continuation_lines(capsys, tmp_path):
    body = "".join(f"  && echo {n} \\\n" for n in range(10_000))
    write(tmp_path / "Dockerfile", "FROM ubuntu:24.04\nRUN true \\\n" + body + "  && true\nFROM debian\n")
    assert at(only_finding(capsys, "Dockerfile")) == ("DF501", 10_004, 6, 10_004, 12)


def test_ten_thousand_instructions(capsys, tmp_path):
    body = "".join(f"RUN echo {n}\n" for n in range(10_000))
    write(tmp_path / "Dockerfile", "FROM ubuntu:24.04\n" + body + "FROM debian\n")
    assert at(only_finding(capsys, "Dockerfile")) == ("DF501", 10_002, 6, 10_002, 12)


def test_a_problem_file_does_not_stop_the_others(capsys, tmp_path):
    write(tmp_path / "a" / "Dockerfile", b"\x00")
    write(tmp_path / "b" / "Dockerfile", "")
    write(tmp_path / "c" / "Dockerfile", "FROM ubuntu\n")
    code, document, err = check_json(capsys, "--select", "DF501", ".")
    assert (code, err) == (1, "")
    assert positions(document) == [(os.path.join("a", "Dockerfile"), "PE003", 1, 1),
                                   (os.path.join("b", "Dockerfile"), "PE001", 1, 1),
                                   (os.path.join("c", "Dockerfile"), "DF501", 1, 6)]


def test_problem_files_in_text_output(capsys, tmp_path):
    write(tmp_path / "Dockerfile", b"FROM x\x00")
    code, out, err = run_cli(capsys, "check", "Dockerfile")
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        "Dockerfile:1:7: PE003 [error] not-text: binary file (it contains NUL bytes)",
        "Found 1 finding (1 error) in 1 file.",
    ]
