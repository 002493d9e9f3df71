"""``--baseline FILE``: accepted findings recorded once and left out of later runs."""
from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from linter.baseline import BaselineError, Entry, fingerprint, load_baseline, write_baseline
from linter.changes import changed_since
from linter.model.finding import Finding
from linter.model.span import Span
from tests.conftest import ROOT
from tests.test_changes import SEED, SEED_WITH_BAD_LINE, commit_all, lint, positions, repo, write  # noqa: F401

VERSION = "9.8.7"
SEED_ENTRIES = [  # (path, code, line) of the seed's findings under the rules `lint` selects
    ("Dockerfile", "DF501", 1),
    ("Dockerfile", "DF201", 2),
    ("Dockerfile", "DF202", 2),
    ("Dockerfile", "DF101", 3),
    ("Dockerfile", "DF203", 4),
    ("Dockerfile", "DF502", 4),
]


@pytest.fixture
def in_tmp(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def baseline_of(catalog, text: str, path: str = "Dockerfile", baseline: str = "baseline.json"):
    """Write ``text`` to ``path``, record its findings in ``baseline`` and load it back."""
    write(path, text)
    write_baseline(lint(catalog, path), baseline, VERSION)
    return load_baseline(baseline)


def entries_in(path: str) -> list[tuple[str, str, int]]:
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    return [(entry["path"], entry["code"], entry["line"]) for entry in document["entries"]]


# -- the acceptance case --------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_baseline_written_before_the_change_leaves_the_same_findings_as_diff(repo, catalog):
    write("Dockerfile", SEED)
    commit_all("the seed, already bad")
    write_baseline(lint(catalog, "Dockerfile"), "baseline.json", VERSION)
    write("Dockerfile", SEED_WITH_BAD_LINE)

    results = lint(catalog, "Dockerfile")
    kept, stale = load_baseline("baseline.json").filter(results)
    assert positions(kept) == [
        ("Dockerfile", "pip-cache-kept", 5),
        ("Dockerfile", "pip-package-unpinned", 5),
    ]
    assert positions(kept) == positions(changed_since("HEAD").filter(results))
    assert stale == []


def test_matches_survive_lines_moving_and_white_space(in_tmp, catalog):
    baseline = baseline_of(catalog, SEED)
    moved = "# syntax=docker/dockerfile:1\n# the web image\n\n" + SEED.replace(
        "RUN pip3 install flask", "RUN  pip3   install\tflask   ")
    write("Dockerfile", moved)

    results = lint(catalog, "Dockerfile")
    assert [line for _, _, line in positions(results)] == [4, 5, 5, 6, 7, 7]
    kept, stale = baseline.filter(results)
    assert positions(kept) == []
    assert stale == []


def test_a_fixed_finding_leaves_its_entry_stale(in_tmp, catalog):
    baseline = baseline_of(catalog, SEED)
    write("Dockerfile", SEED.replace("FROM ubuntu\n", "FROM ubuntu:24.04\n"))

    kept, stale = baseline.filter(lint(catalog, "Dockerfile"))
    assert positions(kept) == []
    assert [(entry.path, entry.code, entry.line) for entry in stale] == [("Dockerfile", "DF501", 1)]
    assert stale[0].message.startswith("base image `ubuntu` has no tag")


def test_an_edited_line_is_a_new_finding(in_tmp, catalog):
    baseline = baseline_of(catalog, SEED)
    write("Dockerfile", SEED.replace("flask", "flask gunicorn"))

    kept, stale = baseline.filter(lint(catalog, "Dockerfile"))
    assert positions(kept) == [
        ("Dockerfile", "pip-cache-kept", 4),
        ("Dockerfile", "pip-package-unpinned", 4),
        ("Dockerfile", "pip-package-unpinned", 4),
    ]
    assert [(entry.code, entry.line) for entry in stale] == [("DF203", 4), ("DF502", 4)]


def test_each_entry_takes_out_as_many_findings_as_it_recorded(in_tmp, catalog):
    twice = "FROM ubuntu:24.04\nRUN pip3 install flask\nRUN pip3 install flask\n"
    baseline = baseline_of(catalog, twice)
    write("Dockerfile", twice + "RUN pip3 install flask\n")

    kept, stale = baseline.filter(lint(catalog, "Dockerfile"))
    assert positions(kept) == [("Dockerfile", "pip-cache-kept", 4), ("Dockerfile", "pip-package-unpinned", 4)]
    assert stale == []

    write("Dockerfile", "FROM ubuntu:24.04\nRUN pip3 install flask\n")
    kept, stale = baseline.filter(lint(catalog, "Dockerfile"))
    assert positions(kept) == []
    assert [(entry.code, entry.line) for entry in stale] == [("DF203", 3), ("DF502", 3)]


def test_files_not_checked_in_this_run_have_no_stale_entries(in_tmp, catalog):
    write("api/Dockerfile", SEED)
    write("web/Dockerfile", SEED)
    write_baseline(lint(catalog, "api/Dockerfile", "web/Dockerfile"), "baseline.json", VERSION)
    write("api/Dockerfile", SEED.replace("FROM ubuntu\n", "FROM ubuntu:24.04\n"))

    kept, stale = load_baseline("baseline.json").filter(lint(catalog, "api/Dockerfile"))
    assert positions(kept) == []
    assert [(entry.path, entry.code) for entry in stale] == [("api/Dockerfile", "DF501")]


def test_paths_are_relative_to_the_baseline_so_any_working_folder_works(in_tmp, catalog, monkeypatch):
    write("services/api/Dockerfile", SEED)
    Path("ci").mkdir()
    write_baseline(lint(catalog, "./services/api/Dockerfile"), "ci/baseline.json", VERSION)
    assert entries_in("ci/baseline.json")[0] == ("../services/api/Dockerfile", "DF501", 1)

    monkeypatch.chdir(in_tmp / "services" / "api")
    kept, stale = load_baseline("../../ci/baseline.json").filter(lint(catalog, "Dockerfile"))
    assert positions(kept) == []
    assert stale == []


# -- the file ---------------------------------------------------------------------------------


def test_the_file_is_sorted_deterministic_and_valid(in_tmp, catalog):
    write("b/Dockerfile", SEED)
    write("a/Dockerfile", SEED)
    assert write_baseline(lint(catalog, "b/Dockerfile", "a/Dockerfile"), "one.json", VERSION) == 12
    assert write_baseline(lint(catalog, "a/Dockerfile", "b/Dockerfile"), "two.json", VERSION) == 12

    assert Path("one.json").read_bytes() == Path("two.json").read_bytes()
    document = json.loads(Path("one.json").read_text(encoding="utf-8"))
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "schemas" / "baseline.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(document)
    assert (document["tool"], document["format_version"], document["dlint_version"]) == ("dlint", 1, VERSION)
    assert entries_in("one.json") == [(f"{folder}/{path}", code, line)
                                      for folder in "ab" for path, code, line in SEED_ENTRIES]
    first = document["entries"][0]
    assert list(first) == ["path", "code", "fingerprint", "line", "message"]
    assert first["message"].startswith("base image `ubuntu` has no tag")


def test_rewriting_replaces_the_file_in_place_and_keeps_its_mode(in_tmp, catalog):
    write("Dockerfile", SEED)
    write("baseline.json", "old")
    os.chmod("baseline.json", 0o640)

    write_baseline(lint(catalog, "Dockerfile"), "baseline.json", VERSION)
    assert stat.S_IMODE(os.stat("baseline.json").st_mode) == 0o640
    assert len(entries_in("baseline.json")) == 6
    assert sorted(os.listdir(in_tmp)) == ["Dockerfile", "baseline.json"]  # no temporary file left


def test_an_empty_run_writes_an_empty_baseline(in_tmp):
    assert write_baseline([], "baseline.json", VERSION) == 0
    assert load_baseline("baseline.json").entries == []


def test_a_folder_that_does_not_exist_is_a_clear_error(in_tmp, catalog):
    with pytest.raises(BaselineError, match=r"^--baseline missing/baseline.json: cannot write it \(No such file"):
        write_baseline([], "missing/baseline.json", VERSION)


def test_loading_gives_back_the_entries(in_tmp, catalog):
    baseline = baseline_of(catalog, SEED)
    assert [(entry.path, entry.code, entry.line) for entry in baseline.entries] == SEED_ENTRIES
    assert all(isinstance(entry, Entry) and len(entry.fingerprint) == 20 for entry in baseline.entries)


@pytest.mark.parametrize(("content", "message"), [
    (None, "--baseline baseline.json: cannot read it (No such file or directory)"),
    ('{"tool": "dlint",', "--baseline baseline.json: not valid JSON (line 1, column 18: Expecting property name "
                          "enclosed in double quotes)"),
    ("[]", '--baseline baseline.json: not a dlint baseline (expected an object with "tool": "dlint" and "entries")'),
    ('{"tool": "dlint", "format_version": 2, "entries": []}',
     "--baseline baseline.json: format_version 2 is not 1, the one this dlint reads; write the baseline again "
     "with this version"),
    ('{"tool": "dlint", "format_version": 1, "entries": {}}', '--baseline baseline.json: "entries" must be a list'),
    ('{"tool": "dlint", "format_version": 1, "entries": [7]}', "--baseline baseline.json: entry 1 is not an object"),
    ('{"tool": "dlint", "format_version": 1, "entries": [{"path": "Dockerfile", "code": "DF501", '
     '"fingerprint": "00", "line": "1", "message": ""}]}',
     '--baseline baseline.json: entry 1 needs "line" (a number)'),
])
def test_a_bad_file_says_what_is_wrong(in_tmp, content, message):
    if content is not None:
        write("baseline.json", content)
    with pytest.raises(BaselineError) as raised:
        load_baseline("baseline.json")
    assert str(raised.value) == message


# -- fingerprints ------------------------------------------------------------------------------


def finding(line: int, column: int = 5, end_column: int = 9, code: str = "DF502", path: str = "Dockerfile",
            end_line: int | None = None) -> Finding:
    return Finding(code, "rule", "warning", "message", Span(path, line, column, end_line or line, end_column))


def test_a_fingerprint_ignores_the_line_number_and_white_space():
    before = fingerprint(finding(2), ["FROM a", "RUN pip install flask"])
    assert fingerprint(finding(4), ["# moved", "FROM a", "", "  RUN pip   install flask  "]) == before
    assert fingerprint(finding(4), ["# moved", "FROM a", "", "RUN pip install flask==3.0"]) != before
    assert fingerprint(finding(2, code="DF203"), ["FROM a", "RUN pip install flask"]) != before
    assert fingerprint(finding(2, path="web/Dockerfile"), ["FROM a", "RUN pip install flask"]) != before
    assert fingerprint(finding(2, path="./Dockerfile"), ["FROM a", "RUN pip install flask"]) == before
    assert fingerprint(finding(2), ["FROM a", "RUN pip install flask"], occurrence=1) != before


def test_a_fingerprint_reads_every_line_of_its_span():
    lines = ["FROM a", "RUN apt-get update \\", "    && apt-get install -y curl"]
    spanning = finding(2, end_line=3, end_column=12)
    assert fingerprint(spanning, lines) != fingerprint(spanning, lines[:2] + ["    && apt-get install -y wget"])
    # ending at column 1 of line 3 means ending with line 2
    ending_early = finding(2, end_line=3, end_column=1)
    assert fingerprint(ending_early, lines) == fingerprint(ending_early, lines[:2] + ["changed"])


def test_a_long_span_is_told_apart_by_its_first_eight_lines():
    lines = [f"line {number}" for number in range(1, 21)]
    long_span = finding(1, end_line=20, end_column=8)
    assert fingerprint(long_span, lines) != fingerprint(long_span, lines[:7] + ["edited"] + lines[8:])
    assert fingerprint(long_span, lines) == fingerprint(long_span, lines[:8] + ["edited"] + lines[9:])


def test_a_whole_file_finding_keeps_its_match_when_the_first_line_changes():
    whole_file = finding(1, column=1, end_column=1, code="PE001")
    assert fingerprint(whole_file, ["# a comment"]) == fingerprint(whole_file, ["# another comment"])
