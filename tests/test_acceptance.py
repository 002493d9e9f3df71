"""The foundation's acceptance cases, run end to end through the command line."""
from __future__ import annotations

import json

from linter.cli import main
from tests.conftest import ROOT

SEED = ROOT / "examples" / "seed" / "Dockerfile"


def run_json(capsys, *args: str) -> tuple[int, list[dict]]:
    status = main(["check", "--format", "json", *args])
    return status, json.loads(capsys.readouterr().out)["findings"]


def test_seed_dockerfile_is_the_one_from_the_notes():
    assert SEED.read_text() == (
        "FROM ubuntu\n"
        "RUN apt-get update && apt-get install -y python3-pip\n"
        "COPY ./app.py /opt/app.py\n"
        "RUN pip3 install flask\n"
        'ENTRYPOINT ["python3", "/opt/app.py"]\n'
    )


def test_seed_dockerfile_findings(capsys):
    status, findings = run_json(capsys, str(SEED))
    assert status == 1
    found = {(f["name"], f["line"]) for f in findings}
    assert {
        ("base-image-unpinned", 1),
        ("apt-install-recommends", 2),
        ("apt-lists-not-removed", 2),
        ("cache-busting-copy", 3),
        ("pip-cache-kept", 4),
        ("pip-package-unpinned", 4),
    } <= found
    assert "runs-as-root" in {f["name"] for f in findings}


def test_finding_after_a_heredoc_keeps_its_line(tmp_path, capsys):
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(
        "FROM alpine:3.20\n"
        "WORKDIR /app\n"
        "COPY <<EOF /app/config.ini\n"      # heredoc: lines 3-9
        "[main]\n"
        "FROM ubuntu\n"
        "RUN apt-get update\n"
        "USER root\n"
        "name = demo\n"
        "EOF\n"
        "FROM ubuntu\n"                      # line 10
    )
    status, findings = run_json(capsys, "--select", "base-image-unpinned", str(dockerfile))
    assert status == 1
    assert [(f["line"], f["column"], f["end_line"], f["end_column"]) for f in findings] == [(10, 6, 10, 12)]
