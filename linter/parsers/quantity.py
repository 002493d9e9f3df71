"""CPU and memory amounts, as Kubernetes and Compose write them, in canonical units.

``parse_cpu`` returns cores (a float); ``parse_memory`` returns bytes (an int, rounded up
as Kubernetes does). Both raise :class:`ValueError` with a message meant for the user on
input they would not accept; callers turn that into a finding.

Kubernetes quantities (``resource.Quantity``): a signed decimal number, then an optional
suffix — binary ``Ki Mi Gi Ti Pi Ei`` (powers of 1024), decimal ``n u m k M G T P E`` (``m``
is a thousandth: ``500m`` CPU is half a core), or an exponent ``e3`` / ``E-2``.

Compose byte values (the Compose spec, as compose-go reads them with docker's
``units.RAMInBytes``): a number, optionally followed by ``b``, ``k``, ``m``, ``g`` (also ``t``,
``p``), an optional ``i`` and an optional ``b`` — ``512m``, ``1gb``, ``1GiB`` — case-insensitive
and always powers of 1024. Compose ``cpus`` is a plain decimal number of cores.

Integers and floats (a YAML ``mem_limit: 1073741824`` or ``cpus: 0.5``) are accepted as well.
"""
from __future__ import annotations

import re

_K8S = re.compile(r"([+-]?)(\d+\.?\d*|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?")
_COMPOSE_BYTES = re.compile(r"(\d+(?:\.\d+)?) ?(?:([bkmgtp])i?b?|(b))?", re.IGNORECASE)
_NEAR_MISS = re.compile(r"([+-]?[\d.]+)\s*([kmgtpe])(?:i?b|i)?", re.IGNORECASE)
_COMPOSE_CPUS = re.compile(r"\d+\.?\d*|\.\d+")

_BINARY = {"Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_COMPOSE_UNITS = {"b": 0, "k": 1, "m": 2, "g": 3, "t": 4, "p": 5}
_RANGE = "exponent out of range"
_MAX_EXPONENT = 30  # 1e30 bytes is far beyond any machine; refuse rather than compute 10**huge


def _number(digits: str) -> tuple[int, int]:
    """``"1.25"`` → ``(125, 100)``: numerator and denominator, exactly."""
    whole, _, fraction = digits.partition(".")
    return int((whole or "0") + fraction), 10 ** len(fraction)


def _kubernetes(text: str) -> tuple[int, int]:
    """A Kubernetes quantity as an exact fraction (numerator, denominator)."""
    match = _K8S.fullmatch(text)
    if not match:
        raise ValueError("not a number with an optional suffix")
    sign, digits, suffix = match.groups()
    numerator, denominator = _number(digits)
    if sign == "-":
        numerator = -numerator
    if not suffix:
        return numerator, denominator
    if suffix in _BINARY:
        return numerator * 1024 ** _BINARY[suffix], denominator
    exponent = _DECIMAL[suffix] if suffix in _DECIMAL else int(suffix[1:])
    if abs(exponent) > _MAX_EXPONENT:
        raise ValueError(_RANGE)
    if exponent >= 0:
        return numerator * 10 ** exponent, denominator
    return numerator, denominator * 10 ** -exponent


def _plain(value, what: str):
    """An int/float from YAML, or the text of anything else; ``None`` and booleans are refused."""
    if value is None or isinstance(value, bool):
        raise ValueError(f"invalid {what} {value!r}: expected a number")
    if isinstance(value, (int, float)):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"invalid {what} {value!r}: expected a finite number")
        if value < 0:
            raise ValueError(f"invalid {what} {value!r}: it cannot be negative")
        return value
    text = str(value).strip()
    if len(text) > 64:
        raise ValueError(f"invalid {what} '{text[:20]}…': too long to be a quantity")
    return text


def parse_cpu(text, compose: bool = False) -> float:
    """Cores: ``"500m"`` → 0.5, ``"0.5"`` → 0.5, ``2`` → 2.0. With ``compose`` only a plain
    decimal number is accepted (Compose ``cpus``)."""
    value = _plain(text, "CPU amount")
    if not isinstance(value, str):
        return float(value)
    if compose:
        if not _COMPOSE_CPUS.fullmatch(value):
            raise ValueError(f"invalid CPU amount '{value}': Compose expects a number of cores such as 0.5 or 2")
        numerator, denominator = _number(value)
    else:
        try:
            numerator, denominator = _kubernetes(value)
        except ValueError as error:
            reason = "out of range" if str(error) == _RANGE else "use cores (0.5, 2) or millicores (500m)"
            raise ValueError(f"invalid CPU quantity '{value}': {reason}") from None
    if numerator < 0:
        raise ValueError(f"invalid CPU amount '{value}': it cannot be negative")
    try:
        return numerator / denominator
    except OverflowError:
        raise ValueError(f"invalid CPU amount '{value}': too large") from None


def parse_memory(text, compose: bool = False) -> int:
    """Bytes, rounded up. Kubernetes: ``"512Mi"`` → 536870912, ``"1G"`` → 10**9, ``"1e9"``.
    Compose (``compose=True``): ``"512m"`` → 536870912, ``"1gb"`` → 1073741824, ``"100k"``."""
    value = _plain(text, "memory amount")
    if not isinstance(value, str):
        return value if isinstance(value, int) else int(-(-value // 1))
    if compose:
        match = _COMPOSE_BYTES.fullmatch(value)
        if not match:
            raise ValueError(f"invalid memory amount '{value}': Compose expects bytes, or a number with a unit "
                             f"b, k, m or g (such as 512m or 1gb)")
        digits, unit, _ = match.groups()
        numerator, denominator = _number(digits)
        numerator *= 1024 ** _COMPOSE_UNITS[unit.lower()] if unit else 1
    else:
        try:
            numerator, denominator = _kubernetes(value)
        except ValueError as error:
            if str(error) == _RANGE:
                raise ValueError(f"invalid memory quantity '{value}': out of range") from None
            hint = ""
            near = _NEAR_MISS.fullmatch(value)
            if near:
                hint = f" (Kubernetes writes {near.group(1)}{near.group(2).upper()}i)"
            raise ValueError(f"invalid memory quantity '{value}': use bytes or a suffix such as Mi, Gi, M or G"
                             f"{hint}") from None
        if numerator < 0:
            raise ValueError(f"invalid memory quantity '{value}': it cannot be negative")
    return -(-numerator // denominator)
