"""Fit the apt layer's correction factors on the ``fit`` items of ground_truth.json only.

    /tmp/venv/bin/python benchmarks/size_accuracy/fit.py

The ``score`` items are never estimated here. The factors (size-cost.md §2.2 and §2.8) are:

- ``DPKG_FIXED_BYTES`` and ``DPKG_BYTES_PER_PACKAGE`` (linter/cost/apt_layer.py): what dpkg
  and apt write besides the package files;
- ``DEFAULT_DOC_SHARE``: the doc/man/locale share a slim base drops, for packages without a
  measured share;
- ``RATIOS["packages"]`` (linter/cost/compression.py): gzip bytes per byte of installed files.

``PYTHON3_PY_SHARE`` is not searched: it was measured directly in a fit layer (see README.md).
The search is coordinate descent over a grid, from §2.2's values until it settles, minimising
the mean absolute percentage error of the fit items' apt layers: the three byte factors on the
uncompressed sizes (what they describe), then the ratio on the compressed sizes. It prints the
fit-split errors of the starting, the fitted and the committed values; copying fitted values into
the modules is a deliberate, reviewed step.
"""
from __future__ import annotations

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, HERE)

import score  # noqa: E402  (benchmarks/size_accuracy/score.py)
from linter.cost import apt_layer, compression  # noqa: E402

GRIDS = {
    "DPKG_FIXED_BYTES": [n * 100_000 for n in range(0, 41)],
    "DPKG_BYTES_PER_PACKAGE": [n * 2_000 for n in range(0, 41)],
    "DEFAULT_DOC_SHARE": [n / 100 for n in range(0, 31)],
}
RATIO_GRID = [n / 1000 for n in range(300, 421)]
#: Where the search starts: the values size-cost.md §2.2 and §2.8 give.
RESEARCH_NOTES = {"DPKG_FIXED_BYTES": 1_500_000, "DPKG_BYTES_PER_PACKAGE": 20_000, "DEFAULT_DOC_SHARE": 0.10,
                  "packages ratio": 0.357}


def fit_items(truth: dict) -> dict:
    return {**truth, "items": [item for item in truth["items"] if item["split"] == "fit"]}


def errors(truth: dict, measure: str) -> list[float]:
    rows = score.select(score.observations(truth), "fit", score.APT, measure)
    return [abs(row.estimate - row.truth) / row.truth for row in rows if row.estimate is not None]


def mean_error(truth: dict, measures: tuple[str, ...]) -> float:
    found = [error for measure in measures for error in errors(truth, measure)]
    return sum(found) / len(found)


def current() -> dict:
    values = {name: getattr(apt_layer, name) for name in GRIDS}
    values["packages ratio"] = compression.RATIOS["packages"][0]
    return values


def apply(values: dict) -> None:
    for name in GRIDS:
        setattr(apt_layer, name, values[name])
    compression.RATIOS["packages"] = (values["packages ratio"], compression.RATIOS["packages"][1])


def search(truth: dict, start: dict) -> dict:
    """Coordinate descent from ``start`` until a whole pass changes nothing: the byte factors on
    the uncompressed sizes, then the ratio on the compressed sizes they give."""
    values = dict(start)
    changed = True
    while changed:
        changed = False
        for name, grid in GRIDS.items():
            best = _best(truth, values, name, grid, "uncompressed")
            changed = changed or best != values[name]
            values[name] = best
    values["packages ratio"] = _best(truth, values, "packages ratio", RATIO_GRID, "compressed")
    return values


def _best(truth: dict, values: dict, name: str, grid: list, measure: str):
    scored = []
    for candidate in grid:
        apply({**values, name: candidate})
        scored.append((round(mean_error(truth, (measure,)), 6), abs(candidate - values[name]), candidate))
    apply(values)
    return min(scored)[2]  # ties go to the value nearest the current one


def summary(truth: dict, label: str, values: dict) -> str:
    apply(values)
    lines = [f"{label}:"]
    lines += [f"  {name} = {value}" for name, value in values.items()]
    for measure in score.MEASURES:
        figures = score.stats(score.select(score.observations(truth), "fit", score.APT, measure))
        lines.append(f"  fit apt layers, {measure}: n={figures.n} MdAPE={figures.mdape:.2%} "
                     f"P90={figures.p90:.2%} bias={figures.bias:+.2%} mean APE={mean_error(truth, (measure,)):.2%}")
    return "\n".join(lines)


def main() -> int:
    truth = fit_items(score.load())
    committed = current()
    print(summary(truth, "research notes (the start)", RESEARCH_NOTES))
    print(summary(truth, "fitted", search(truth, RESEARCH_NOTES)))
    print(summary(truth, "committed", committed))
    apply(committed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
