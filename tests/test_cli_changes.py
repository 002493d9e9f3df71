"""Only what a change adds, through the command line in a real git repository: `--diff REF`,
`--baseline FILE` and `--write-baseline FILE`, the exit code of what is left, `--fix --diff`
(a bare `--diff` after `--fix` is the flag), and the usage errors around them."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.test_changes import SEED, SEED_WITH_BAD_LINE, commit_all, git, repo, write  # noqa: F401
from tests.test_cli import check_json, run_cli

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

INFO_ONLY_LINE = "RUN pip install requests==2.32.3\n"  # pinned: only pip-cache-kept, an info


@pytest.fixture
def seeded(repo):  # noqa: F811
    """The seed Dockerfile, committed: it already has findings of every severity dlint gives it."""
    write("Dockerfile", SEED)
    write("app.py", "print('hello')\n")
    commit_all("seed")
    return repo


def findings(document: dict) -> list[tuple[str, str, int, int]]:
    return [(f["path"], f["code"], f["line"], f["column"]) for f in document["findings"]]


def test_adding_one_bad_line_makes_diff_report_exactly_that_line(capsys, seeded):
    write("Dockerfile", SEED_WITH_BAD_LINE)
    _, everything, _ = check_json(capsys, "--fail-on", "never", ".")
    on_new_line = [finding for finding in findings(everything) if finding[2] == 5]
    assert ("Dockerfile", "DF502", 5, 17) in on_new_line

    code, document, err = check_json(capsys, "--diff", "HEAD", ".")
    assert findings(document) == on_new_line
    assert (code, err) == (1, "")
    assert len(findings(everything)) > len(on_new_line)  # the older findings were there, and are left out


def test_a_baseline_written_before_the_change_gives_the_same_result(capsys, seeded):
    code, out, err = run_cli(capsys, "check", "--write-baseline", "dlint-baseline.json", ".")
    recorded = json.loads(Path("dlint-baseline.json").read_text(encoding="utf-8"))["entries"]
    assert (code, out) == (0, "")  # writing a baseline accepts what it records
    assert err == f"dlint: wrote {len(recorded)} findings to dlint-baseline.json\n"
    assert {entry["path"] for entry in recorded} == {"Dockerfile"}

    write("Dockerfile", SEED_WITH_BAD_LINE)
    diff_code, by_diff, _ = check_json(capsys, "--diff", "HEAD", ".")
    baseline_code, by_baseline, err = check_json(capsys, "--baseline", "dlint-baseline.json", ".")
    assert findings(by_baseline) == findings(by_diff)
    assert baseline_code == diff_code == 1
    assert err == ""  # every entry still matches a finding


def test_diff_and_baseline_together_leave_the_same_findings_and_no_stale_note(capsys, seeded):
    run_cli(capsys, "check", "--write-baseline", "dlint-baseline.json", ".")
    write("Dockerfile", SEED_WITH_BAD_LINE)
    _, by_diff, _ = check_json(capsys, "--diff", "HEAD", ".")
    code, both, err = check_json(capsys, "--diff", "HEAD", "--baseline", "dlint-baseline.json", ".")
    assert findings(both) == findings(by_diff)
    assert (code, err) == (1, "")


@pytest.mark.parametrize("option", [["--diff", "HEAD"], ["--baseline", "dlint-baseline.json"]])
def test_the_exit_code_follows_the_findings_left_after_filtering(capsys, seeded, option):
    run_cli(capsys, "check", "--write-baseline", "dlint-baseline.json", ".")
    write("Dockerfile", SEED.replace("ENTRYPOINT", INFO_ONLY_LINE + "ENTRYPOINT"))
    assert run_cli(capsys, "check", ".")[0] == 1  # the file still has warnings
    code, document, _ = check_json(capsys, *option, ".")
    assert [(f["code"], f["severity"], f["line"]) for f in document["findings"]] == [("DF203", "info", 5)]
    assert code == 0
    assert check_json(capsys, *option, "--fail-on", "info", ".")[0] == 1


def test_an_unchanged_tree_has_nothing_to_report(capsys, seeded):
    assert run_cli(capsys, "check", "--diff", "HEAD", ".") == (0, "No findings in 1 file.\n", "")


def test_a_file_new_since_the_revision_is_reported_whole(capsys, seeded):
    write("api/Dockerfile", "FROM ubuntu\nFROM node\n")
    code, document, _ = check_json(capsys, "--select", "DF501", "--diff", "HEAD", ".")
    assert findings(document) == [("api/Dockerfile", "DF501", 1, 6), ("api/Dockerfile", "DF501", 2, 6)]
    assert code == 1


def test_fix_with_a_bare_diff_prints_the_fixes_and_writes_nothing(capsys, seeded):
    write("Dockerfile", SEED_WITH_BAD_LINE)
    code, out, err = run_cli(capsys, "check", "--fix", "--diff", "--select", "DF202,DF203", "Dockerfile")
    assert out == (
        "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,6 +1,6 @@\n FROM ubuntu\n"
        "-RUN apt-get update && apt-get install -y python3-pip\n"
        "+RUN apt-get update && apt-get install --no-install-recommends -y python3-pip\n"
        " COPY ./app.py /opt/app.py\n"
        "-RUN pip3 install flask\n-RUN pip install requests\n"
        "+RUN pip3 install --no-cache-dir flask\n+RUN pip install --no-cache-dir requests\n"
        ' ENTRYPOINT ["python3", "/opt/app.py"]\n')
    assert err == "dlint: would apply 3 fixes to 1 file\n"
    assert code == 0  # nothing would be left of the selected rules
    assert Path("Dockerfile").read_text(encoding="utf-8") == SEED_WITH_BAD_LINE
    assert git("status", "--porcelain") == " M Dockerfile\n"


def test_the_diff_printed_by_fix_applies_with_git(capsys, seeded):
    _, out, _ = run_cli(capsys, "check", "--fix", "--diff", "--select", "DF202", "Dockerfile")
    Path("fix.patch").write_text(out, encoding="utf-8")
    git("apply", "fix.patch")
    assert git("diff", "--stat").strip() == "Dockerfile | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)"
    assert run_cli(capsys, "check", "--select", "DF202", "Dockerfile")[0] == 0


# -- usage errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize("option", [["--diff", "HEAD"], ["--baseline", "b.json"], ["--write-baseline", "b.json"]])
def test_standard_input_with_diff_or_a_baseline_is_a_usage_error(capsys, seeded, option):
    code, out, err = run_cli(capsys, "check", *option, "-")
    assert (code, out) == (2, "")
    assert err == "dlint: --diff, --baseline and --write-baseline need files, not standard input\n"
    assert not Path("b.json").exists()


def test_an_unknown_revision_is_a_usage_error(capsys, seeded):
    code, out, err = run_cli(capsys, "check", "--diff", "no-such-branch", ".")
    assert (code, out) == (2, "")
    assert err == "dlint: --diff no-such-branch: unknown revision; fetch it first (actions/checkout with " \
                  "fetch-depth: 0)\n"


def test_diff_outside_a_repository_is_a_usage_error(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    write("Dockerfile", SEED)
    code, out, err = run_cli(capsys, "check", "--diff", "HEAD", ".")
    assert (code, out) == (2, "")
    assert err == f"dlint: --diff HEAD: {tmp_path} is not inside a git repository\n"


def test_a_missing_baseline_is_a_usage_error(capsys, seeded):
    code, out, err = run_cli(capsys, "check", "--baseline", "missing.json", ".")
    assert (code, out) == (2, "")
    assert err == "dlint: --baseline missing.json: cannot read it (No such file or directory)\n"
