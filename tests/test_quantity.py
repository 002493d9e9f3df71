"""CPU and memory amounts in canonical units, as Kubernetes and Compose write them."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.parsers.quantity import parse_cpu, parse_memory

Ki, Mi, Gi = 1024, 1024 ** 2, 1024 ** 3


@pytest.mark.parametrize(("text", "cores"), [
    ("500m", 0.5), ("0.5", 0.5), ("2", 2.0), ("1", 1.0), ("100m", 0.1), ("1500m", 1.5), (".25", 0.25),
    ("2.", 2.0), ("0", 0.0), ("250000u", 0.25), ("1k", 1000.0), ("+1", 1.0),
    (2, 2.0), (0.5, 0.5), ("  1  ", 1.0),
])
def test_kubernetes_cpu(text, cores):
    assert parse_cpu(text) == pytest.approx(cores)


@pytest.mark.parametrize(("text", "size"), [
    ("512Mi", 512 * Mi), ("1Gi", Gi), ("128974848", 128974848), ("129e6", 129_000_000), ("129M", 129_000_000),
    ("1G", 10 ** 9), ("1e9", 10 ** 9), ("1E9", 10 ** 9), ("123Ki", 123 * Ki), ("1Ti", 1024 ** 4),
    ("1.5Gi", 3 * Gi // 2), ("0.5Ki", 512), ("1k", 1000), ("1P", 10 ** 15), ("1Ei", 1024 ** 6), ("1E", 10 ** 18),
    ("128974848000m", 128974848), ("1m", 1),  # milli-bytes round up to whole bytes, as Kubernetes does
    (1073741824, Gi), (1.5, 2),
])
def test_kubernetes_memory(text, size):
    assert parse_memory(text) == size


@pytest.mark.parametrize(("text", "size"), [
    ("512m", 512 * Mi), ("1gb", Gi), ("1g", Gi), ("1GB", Gi), ("1G", Gi), ("1GiB", Gi), ("100k", 100 * Ki),
    ("100kb", 100 * Ki), ("2048", 2048), ("2048b", 2048), ("1.5g", 3 * Gi // 2), ("300M", 300 * Mi),
    ("512 MB", 512 * Mi), ("1t", 1024 ** 4), ("512Mi", 512 * Mi), (1073741824, Gi), (0, 0),
])
def test_compose_memory(text, size):
    assert parse_memory(text, compose=True) == size


@pytest.mark.parametrize(("text", "cores"), [("0.5", 0.5), ("2", 2.0), ("1.50", 1.5), (1.5, 1.5), (2, 2.0)])
def test_compose_cpus(text, cores):
    assert parse_cpu(text, compose=True) == cores


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "--1", "1x", "1 G", "Gi", "0x10", "1e", "1e3.5", "nan", "inf",
                                  "1mi", "1KB", None, True, "1e99", "1e-99", "9" * 100])
def test_invalid_kubernetes_quantities(text):
    with pytest.raises(ValueError):
        parse_memory(text)
    with pytest.raises(ValueError):
        parse_cpu(text)


@pytest.mark.parametrize("text", ["-1", "-512Mi", -1, -0.5, float("nan"), float("inf")])
def test_negative_and_non_finite_amounts(text):
    with pytest.raises(ValueError, match="negative|finite"):
        parse_memory(text)
    with pytest.raises(ValueError, match="negative|finite"):
        parse_cpu(text)


@pytest.mark.parametrize("text", ["1e9", "512Mx", "1.2.3g", "g", "-1g", "1 gb b", "500m cpu", "1xb"])
def test_invalid_compose_memory(text):
    with pytest.raises(ValueError, match="Compose expects"):
        parse_memory(text, compose=True)


@pytest.mark.parametrize("text", ["500m", "1e3", "half", "-1"])
def test_invalid_compose_cpus(text):
    with pytest.raises(ValueError):
        parse_cpu(text, compose=True)


def test_messages_are_for_the_user():
    with pytest.raises(ValueError) as caught:
        parse_memory("512MB")
    assert str(caught.value) == ("invalid memory quantity '512MB': use bytes or a suffix such as Mi, Gi, M or G "
                                 "(Kubernetes writes 512Mi)")
    with pytest.raises(ValueError) as caught:
        parse_cpu("half")
    assert str(caught.value) == "invalid CPU quantity 'half': use cores (0.5, 2) or millicores (500m)"
    with pytest.raises(ValueError) as caught:
        parse_memory("x" * 500)
    assert "too long" in str(caught.value) and len(str(caught.value)) < 120


def test_exact_arithmetic():
    # 0.1 + 0.2 style float drift must not leak into byte counts
    assert parse_memory("0.1Gi") == -(-Gi // 10)
    assert parse_memory("1.1G") == 1_100_000_000
    assert parse_cpu("0.3") == 0.3


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=30), st.integers(), st.floats(), st.booleans(), st.none()), st.booleans())
def test_never_anything_but_value_error(value, compose):
    for parse in (parse_cpu, parse_memory):
        try:
            result = parse(value, compose=compose)
        except ValueError as error:
            assert str(error)
        else:
            assert result >= 0
