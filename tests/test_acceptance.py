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


def test_seed_compose_findings_at_exact_lines(capsys):
    status, findings = run_json(capsys, str(ROOT / "examples" / "seed" / "compose.yaml"))
    assert status == 1
    found = {(f["name"], f["line"], f["column"]) for f in findings}
    assert {
        ("image-unpinned", 21, 12),                    # db: image: postgres
        ("stateful-image-without-volume", 21, 12),     # postgres with no volume
        ("stateful-image-without-volume", 29, 12),     # redis:7
        ("stateful-image-without-volume", 33, 12),     # registry:2
        ("secret-in-environment", 23, 26),             # POSTGRES_PASSWORD: example
        ("database-port-published", 25, 9),            # "5432:5432"
        ("missing-memory-limit", 20, 3),               # db
        ("missing-memory-limit", 28, 3),               # cache
        ("missing-memory-limit", 32, 3),               # registry
    } <= found
    # The web service has its limits (the notes' --cpus/--memory) and a named volume.
    assert not {f["name"] for f in findings if f["line"] == 5} & {"missing-memory-limit", "missing-cpu-limit"}
    assert all(f["line"] > 1 for f in findings)


def test_seed_kubernetes_findings_at_exact_lines(capsys):
    status, findings = run_json(capsys, str(ROOT / "examples" / "seed" / "k8s"))
    assert status == 1
    found = {(f["name"], f["line"], f["column"]) for f in findings}
    assert {
        ("image-unpinned", 21, 18),           # image: nginx
        ("missing-memory-limit", 20, 11),     # the container, which has no resources key
        ("readiness-probe-missing", 20, 11),
    } <= found
    assert "single-replica" not in {f["name"] for f in findings}  # replicas: 5
    assert all(f["line"] > 1 for f in findings)
