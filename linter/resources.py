"""Where the bundled data lives: inside the installed package, or in a source checkout."""
from __future__ import annotations

import os

_PACKAGE = os.path.dirname(os.path.realpath(__file__))
# The data a wheel ships, beside the code.
BUNDLED = os.path.join(_PACKAGE, "_data")


def data_dir(name: str) -> str:
    """``rules`` or ``schemas``: the copy shipped in the wheel first, the checkout's second."""
    bundled = os.path.join(BUNDLED, name)
    if os.path.isdir(bundled):
        return bundled
    checkout = os.path.join(os.path.dirname(_PACKAGE), name)
    if os.path.isdir(checkout):
        return checkout
    raise FileNotFoundError(f"dlint's {name}/ folder is missing from {_PACKAGE}; the installation is incomplete")
