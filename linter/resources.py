"""Where the bundled data lives: inside the installed package, or in a source checkout."""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """``rules`` or ``schemas``: the copy shipped in the wheel first, the checkout's second."""
    bundled = _PACKAGE / "_data" / name
    if bundled.is_dir():
        return bundled
    checkout = _PACKAGE.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"dlint's {name}/ folder is missing from {_PACKAGE}; the installation is incomplete")
