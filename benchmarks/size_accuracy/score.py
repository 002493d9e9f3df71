"""Score dlint's image-size estimates against the measured and published sizes in ground_truth.json.

    /tmp/venv/bin/python benchmarks/size_accuracy/score.py              # both splits
    /tmp/venv/bin/python benchmarks/size_accuracy/score.py --split fit  # only the fitting set
    /tmp/venv/bin/python benchmarks/size_accuracy/score.py --items      # every observation

Each item is a Dockerfile with the true sizes of some of its layers and, for published images, of
the whole image. dlint estimates the Dockerfile offline (no build context: a COPY from the
context is unknown), and every true size is paired with the estimate of the same line. The
metrics, per group and per split, follow size-cost.md §5.3:

- MdAPE and P90 APE: median and 90th percentile of |estimate - truth| / truth;
- bias: the mean of (estimate - truth) / truth (negative: dlint under-estimates);
- unknown: the share of true bytes in layers dlint declared unknown. Those layers are left out
  of the error figures, never scored as 0; an image total is scored on its estimable layers
  (estimate and truth both summed over the layers dlint could size).

Groups: apt layers (Debian's and Ubuntu's own archives), uncompressed and compressed; image
totals of the official images that dlint sizes in full (compressed; uncompressed where
published), and of every official image over its estimable layers, with the unknown share; image
totals of the harness builds (the rebuilt base plus the measured layers); then the other layer
classes of the official images, and the harness's own calibration against the published sizes.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections import namedtuple

HERE = os.path.dirname(os.path.abspath(__file__))
GROUND_TRUTH = os.path.join(HERE, "ground_truth.json")
ROOT = os.path.dirname(os.path.dirname(HERE))

#: One paired value: the group it is scored in, the measure ("uncompressed" or "compressed"), the
#: true bytes, the estimated bytes (None: dlint said unknown) and, for an image total scored on
#: its estimable layers, the true bytes of the whole image (``truth`` is then the estimable part).
Observation = namedtuple("Observation", "item split group measure truth estimate whole", defaults=(None,))
Stats = namedtuple("Stats", "n mdape p90 bias unknown_share unknown_n")

MEASURES = ("uncompressed", "compressed")
APT = "apt layers"
IMAGES = "image totals, official images sized in full"
IMAGES_ESTIMABLE = "image totals, official images, estimable part"
HARNESS_IMAGES = "image totals, harness builds"
#: An official image counts as sized in full when the layers dlint left unknown hold at most this
#: share of its bytes (a few KB of COPY from a build context dlint was not given).
FULL = 0.01
LAYER_CLASSES = ("base", "apt-third-party", "apk", "mixed", "build", "download", "copy", "other")


def load(path: str = GROUND_TRUTH) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def estimate(item: dict):
    """dlint's ImageEstimate of the item's Dockerfile, for its architecture, with no context."""
    from linter.cost.image import estimate_image
    from linter.parsers.dockerfile import parse_dockerfile

    dockerfile = parse_dockerfile(item["dockerfile"], f"{item['id']}/Dockerfile")
    return estimate_image(dockerfile, None, platform=f"linux/{item['arch']}")


def observations(truth: dict) -> list[Observation]:
    """Every (truth, estimate) pair the ground truth allows, in file order."""
    out: list[Observation] = []
    bases = truth.get("harness", {}).get("bases", {})
    for item in truth["items"]:
        image = estimate(item)
        rows = {row.line: row for row in image.layers}
        pairs = [(layer, _sizes(rows[layer["line"]])) for layer in item["layers"]]
        if item["source"]["kind"] == "repo-info":
            out.extend(_published(item, pairs, image))
        else:
            out.extend(_measured(item, pairs, _sizes(image.layers[0]), bases))
    return out


def _sizes(row) -> dict:
    """The estimate of one dlint row, per measure (None: unknown)."""
    if row.unknown:
        return {"uncompressed": None, "compressed": None}
    return {"uncompressed": row.size.size, "compressed": row.compressed.size}


def _measured(item: dict, pairs: list, base_estimate: dict, bases: dict) -> list[Observation]:
    """Layers measured by the harness (or by the research notes' run of it)."""
    # A replay of official layers is scored on its uncompressed size only: the compressed truth of
    # those layers is the published one, and the replays serve to calibrate the harness.
    measures = ("uncompressed",) if item.get("replays") else MEASURES
    out = [Observation(item["id"], item["split"], APT, measure, layer[measure], guess[measure])
           for layer, guess in pairs for measure in measures if layer.get(measure) is not None]
    if item["source"]["kind"] == "harness" and not item.get("replays"):
        base = bases[item["dockerfile"].split("\n", 1)[0].split()[1]]
        for measure in MEASURES:
            parts = [(base[measure], base_estimate[measure])]
            parts += [(layer[measure], guess[measure]) for layer, guess in pairs]
            out.append(image_total(item, HARNESS_IMAGES, measure, parts))
    return out


def _published(item: dict, pairs: list, image) -> list[Observation]:
    out = [Observation(item["id"], item["split"], APT if layer["class"] == "apt" else layer["class"], "compressed",
                       layer["compressed"], guess["compressed"]) for layer, guess in pairs]
    total = image_total(item, IMAGES_ESTIMABLE, "compressed", [(layer["compressed"], guess["compressed"])
                                                           for layer, guess in pairs])
    out.append(total)
    if total.whole - total.truth <= FULL * total.whole:
        out.append(total._replace(group=IMAGES))
    uncompressed = item["image"].get("uncompressed")
    if uncompressed is not None:  # published for the whole image only: scored when every layer is known
        group = IMAGES if image.uncompressed.known else IMAGES_ESTIMABLE
        out.append(Observation(item["id"], item["split"], group, "uncompressed", uncompressed, image.uncompressed.size))
    return out


def image_total(item: dict, group: str, measure: str, parts: list) -> Observation:
    """An image total scored on its estimable layers, remembering the whole image's true bytes."""
    known = [(truth, guess) for truth, guess in parts if guess is not None]
    whole = sum(truth for truth, _ in parts)
    return Observation(item["id"], item["split"], group, measure, sum(truth for truth, _ in known),
                       sum(guess for _, guess in known) if known else None, whole)


def stats(rows: list[Observation]) -> Stats:
    """The error figures of a group of observations (APE over the known ones)."""
    errors = [(row.estimate - row.truth) / row.truth for row in rows if row.estimate is not None and row.truth]
    whole = sum(row.truth if row.whole is None else row.whole for row in rows)
    known = sum(row.truth for row in rows if row.estimate is not None)
    unknown_share = (whole - known) / whole if whole else 0.0
    unknown_n = sum(1 for row in rows if row.estimate is None)
    if not errors:
        return Stats(0, None, None, None, unknown_share, unknown_n)
    absolute = sorted(abs(error) for error in errors)
    return Stats(len(errors), _median(absolute), _percentile(absolute, 0.9), sum(errors) / len(errors),
                 unknown_share, unknown_n)


def _median(values: list[float]) -> float:
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def _percentile(values: list[float], share: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    position = (len(values) - 1) * share
    low, high = math.floor(position), math.ceil(position)
    return values[low] + (values[high] - values[low]) * (position - low)


def select(rows: list[Observation], split: str, group: str, measure: str) -> list[Observation]:
    return [row for row in rows if row.split == split and row.group == group and row.measure == measure]


def calibration(truth: dict) -> list[tuple[str, str, int, int]]:
    """(what, measure, harness bytes, published bytes): the harness's bases, and its replays of
    official layers, against the published sizes."""
    harness = truth.get("harness", {})
    out = [(name, measure, harness["bases"][name][measure], published[measure])
           for name, published in harness.get("published", {}).items() for measure in MEASURES
           if published.get(measure) is not None]
    published_layers = {item["id"]: {layer["line"]: layer for layer in item["layers"]}
                        for item in truth["items"] if item["source"]["kind"] != "harness"}
    for item in truth["items"]:
        target = published_layers.get(item.get("replays"))
        if target is None:
            continue
        pairing = item["replay_lines"]
        for layer in item["layers"]:
            line = pairing.get(str(layer["line"]))
            if line is not None:
                out.append((f"{item['replays']} line {line}", "compressed", layer["compressed"],
                            target[line]["compressed"]))
    return out


# -- printing -------------------------------------------------------------------------------------

def _percent(value: float | None, sign: str = "") -> str:
    return "–" if value is None else f"{value * 100:{sign}.1f}%"


def _line(label: str, figures: Stats) -> str:
    unknown = f"{figures.unknown_share * 100:.1f}% ({figures.unknown_n})"
    return (f"| {label} | {figures.n} | {_percent(figures.mdape)} | {_percent(figures.p90)} | "
            f"{_percent(figures.bias, '+')} | {unknown} |")


def report(truth: dict, splits: tuple[str, ...] = ("fit", "score")) -> str:
    rows = observations(truth)
    lines = []
    for split in splits:
        lines += [f"### split: {split}", "",
                  "| group | n | MdAPE | P90 APE | bias | unknown bytes (values) |", "|---|---|---|---|---|---|"]
        for group in (APT, IMAGES, IMAGES_ESTIMABLE, HARNESS_IMAGES) + LAYER_CLASSES:
            for measure in MEASURES:
                chosen = select(rows, split, group, measure)
                if chosen:
                    lines.append(_line(f"{group}, {measure}", stats(chosen)))
        lines.append("")
    lines += ["### harness calibration (harness / published)", "", "| what | measure | harness | published | error |",
              "|---|---|---|---|---|"]
    for what, measure, measured, published in calibration(truth):
        lines.append(f"| {what} | {measure} | {measured / 1e6:.2f} MB | {published / 1e6:.2f} MB | "
                     f"{(measured - published) / published * 100:+.1f}% |")
    return "\n".join(lines)


def item_lines(truth: dict) -> str:
    lines = ["| item | split | group | measure | truth MB | estimate MB | error |", "|---|---|---|---|---|---|---|"]
    for row in observations(truth):
        guess = "unknown" if row.estimate is None else f"{row.estimate / 1e6:.2f}"
        error = "–" if row.estimate is None else f"{(row.estimate - row.truth) / row.truth * 100:+.1f}%"
        lines.append(f"| {row.item} | {row.split} | {row.group} | {row.measure} | {row.truth / 1e6:.2f} | "
                     f"{guess} | {error} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--split", choices=("fit", "score"), help="only this split")
    parser.add_argument("--items", action="store_true", help="print every observation instead of the summary")
    parser.add_argument("--truth", default=GROUND_TRUTH, help="the ground-truth file")
    args = parser.parse_args(argv)
    sys.path.insert(0, ROOT)
    truth = load(args.truth)
    if args.items:
        if args.split:
            truth = {**truth, "items": [item for item in truth["items"] if item["split"] == args.split]}
        print(item_lines(truth))
    else:
        print(report(truth, (args.split,) if args.split else ("fit", "score")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
