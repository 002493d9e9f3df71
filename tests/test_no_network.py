"""dlint never opens a network connection: every way out through the socket module is
replaced by a tripwire that records the attempt, and a full run on examples/ sets none off."""
from __future__ import annotations

import socket

import pytest

from linter.cli import main
from tests.conftest import ROOT
from tests.test_cli import findings_document


class NetworkAttempt(Exception):
    pass


@pytest.fixture
def attempts(monkeypatch):
    """Fail every connection, name lookup and datagram; the list records what was tried."""
    tried: list[str] = []

    def tripwire(name):
        def refuse(*args, **kwargs):
            tried.append(f"{name}{args[1:] if name.startswith('socket.') else args}")
            raise NetworkAttempt(f"dlint tried {name}")
        return refuse

    for name in ("connect", "connect_ex", "sendto", "bind"):
        monkeypatch.setattr(socket.socket, name, tripwire(f"socket.{name}"))
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex", "getnameinfo"):
        monkeypatch.setattr(socket, name, tripwire(name))
    return tried


def test_the_tripwire_works(attempts):
    with pytest.raises(NetworkAttempt):
        socket.create_connection(("example.invalid", 443))
    with pytest.raises(NetworkAttempt):
        socket.getaddrinfo("example.invalid", 443)
    with socket.socket() as sock, pytest.raises(NetworkAttempt):
        sock.connect(("127.0.0.1", 9))
    assert len(attempts) == 3
    attempts.clear()


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_checking_the_examples_opens_no_connection(capsys, attempts, fmt):
    code = main(["check", "--format", fmt, str(ROOT / "examples")])
    out, err = capsys.readouterr()
    assert attempts == []
    assert code == 1, err  # the examples have findings; exit 3 would mean a tripwire fired and was caught
    assert "DF501" in out
    if fmt == "json":
        assert findings_document(out)["summary"]["files"] >= 1


def test_explain_and_rules_open_no_connection(capsys, attempts):
    assert main(["explain", "DF501"]) == 0
    assert main(["explain", "DF501", "--format", "json"]) == 0
    assert main(["rules", "--format", "markdown"]) == 0
    capsys.readouterr()
    assert attempts == []


def test_a_private_registry_in_from_is_not_contacted(capsys, attempts, tmp_path):
    (tmp_path / "Dockerfile").write_text(
        "FROM registry.example.com:5000/team/base:1.2\nFROM localhost:5000/app\nFROM ghcr.io/org/image@sha256:"
        + "a" * 64 + "\nADD https://example.com/archive.tar.gz /tmp/\n", encoding="utf-8")
    code = main(["check", "--format", "json", str(tmp_path)])
    out, err = capsys.readouterr()
    assert attempts == []
    assert code in (0, 1), err
    findings_document(out)
