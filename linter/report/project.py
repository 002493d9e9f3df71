"""``dlint cost`` output for a set of files: each image's estimate, the workload price table,
and with ``--compare`` what the change adds — in text, JSON or Markdown (a pull-request comment).

It renders what the cost model computed (``ImageCost`` objects and price rows) and what the
image and price reports already format; nothing is recomputed here but sums and differences.
"""
from __future__ import annotations

from collections.abc import Sequence

from linter.report import cost as image_report
from linter.report import price as price_report


def render_text(images: Sequence, costs: Sequence, prices, before=None) -> str:
    out = []
    for item in images:
        if item.image is None:
            out.append(f"{item.path}: no estimate ({item.problem})\n")
        else:
            out.append(image_report.render_text(item.image, item.path, item.rebuild))
    if costs:
        out.append(price_report.render_text(costs, prices))
    if not images and not costs:
        out.append("No Dockerfiles, Compose files or Kubernetes workloads found.\n")
    if before is not None:
        out.append(_comparison_text(images, costs, before, prices.currency))
    return "\n".join(out)


def render_json(images: Sequence, costs: Sequence, prices, version: str, before=None) -> str:
    import json

    document = {
        "tool": "dlint",
        "version": version,
        "images": [_image_data(item, version) for item in images],
        "workloads": json.loads(price_report.render_json(costs, prices)) if costs else None,
    }
    if before is not None:
        document["compare"] = {"ref": before.ref, "images": [_image_delta_data(row) for row in _image_deltas(
            images, before.images)], "monthly": _monthly_delta_data(costs, before.costs)}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_markdown(images: Sequence, costs: Sequence, prices, before=None) -> str:
    """A summary for a pull-request comment: image sizes (with their change), rebuild cost, and
    the monthly price of the workloads."""
    out = ["### dlint cost", ""]
    if images:
        header = "| Dockerfile | Image (compressed) | On disk | Rebuild after a source edit |"
        if before is not None:
            header = "| Dockerfile | Image (compressed) | Change | On disk | Rebuild after a source edit |"
        out += [header, "|" + "|".join(["---"] + ["---:"] * (header.count("|") - 2)) + "|"]
        deltas = {row[0]: row for row in _image_deltas(images, before.images)} if before is not None else {}
        for item in images:
            cells = [f"`{item.path}`"]
            if item.image is None:
                cells += ["no estimate", *(["–"] if before is not None else []), "–", _escape(item.problem or "")]
            else:
                cells.append(image_report.format_estimate(item.image.compressed))
                if before is not None:
                    cells.append(_signed(deltas[item.path][3]))
                cells += [image_report.format_estimate(item.image.uncompressed), _rebuild_cell(item.rebuild)]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    if costs:
        out.append(price_report.render_markdown(costs, prices))
        if before is not None:
            low, high, old_low, old_high = _monthly(costs) + _monthly(before.costs)
            out.append(f"Monthly change against `{before.ref}`: "
                       f"{_money_change(old_low, old_high, low, high, prices.currency)}")
            out.append("")
    if not images and not costs:
        out.append("No Dockerfiles, Compose files or Kubernetes workloads found.")
    return "\n".join(out).rstrip() + "\n"


class Before:
    """The same estimate at a git revision, for ``--compare``."""

    __slots__ = ("ref", "images", "costs")

    def __init__(self, ref: str, images: Sequence, costs: Sequence) -> None:
        self.ref = ref
        self.images = images
        self.costs = costs


# -- differences ---------------------------------------------------------------------------------

def _compressed(item) -> int | None:
    if item is None or item.image is None or item.image.compressed.size is None:
        return None
    return item.image.compressed.size


def _image_deltas(images: Sequence, old_images: Sequence) -> list[tuple]:
    """(path, before bytes, after bytes, change) per current Dockerfile; None where unknown or new."""
    old = {item.path: item for item in old_images}
    rows = []
    for item in images:
        now, then = _compressed(item), _compressed(old.get(item.path))
        change = now - then if now is not None and then is not None else None
        rows.append((item.path, then, now, change, item.path not in old))
    return rows


def _monthly(costs: Sequence) -> tuple[float, float | None]:
    low, high = 0.0, 0.0
    for cost in costs:
        if cost.basis != "month" or cost.monthly is None:
            continue
        low += cost.monthly.low
        high = None if high is None or cost.monthly.high is None else high + cost.monthly.high
    return low, high


def _comparison_text(images: Sequence, costs: Sequence, before: Before, currency: str) -> str:
    out = [f"Compared with {before.ref}:"]
    for path, then, now, change, new in _image_deltas(images, before.images):
        if new:
            out.append(f"  {path}: new, {_size(now)} compressed")
        else:
            out.append(f"  {path}: {_size(then)} → {_size(now)} compressed ({_signed(change)})")
    if costs or before.costs:
        low, high, old_low, old_high = _monthly(costs) + _monthly(before.costs)
        out.append(f"  workloads per month: {_money_change(old_low, old_high, low, high, currency)}")
    return "\n".join(out) + "\n"


def _image_delta_data(row: tuple) -> dict:
    path, then, now, change, new = row
    return {"path": path, "compressed_before": then, "compressed_after": now, "change": change, "new": new}


def _monthly_delta_data(costs: Sequence, old_costs: Sequence) -> dict:
    low, high, old_low, old_high = _monthly(costs) + _monthly(old_costs)
    return {"before": {"low": round(old_low, 6), "high": None if old_high is None else round(old_high, 6)},
            "after": {"low": round(low, 6), "high": None if high is None else round(high, 6)},
            "change_low": round(low - old_low, 6)}


# -- cells ---------------------------------------------------------------------------------------

def _size(size: int | None) -> str:
    return "unknown" if size is None else image_report.format_size(size)


def _signed(change: int | None) -> str:
    if change is None:
        return "unknown"
    if change == 0:
        return "no change"
    return ("+" if change > 0 else "−") + image_report.format_size(abs(change))


def _rebuild_cell(rebuild) -> str:
    if rebuild is None or not rebuild.layers:
        return "nothing rebuilds"
    return (f"{len(rebuild.layers)} layer{'s' if len(rebuild.layers) != 1 else ''}, "
            f"{image_report.format_estimate(rebuild.download)} downloaded")


def _money_change(old_low: float, old_high: float | None, low: float, high: float | None, currency: str) -> str:
    def money(value: float | None) -> str:
        return "unbounded" if value is None else price_report.format_money(value, currency)

    def span(a: float, b: float | None) -> str:
        return money(a) if b is not None and abs(b - a) < 0.005 else f"{money(a)} – {money(b)}"

    change = low - old_low
    sign = "+" if change >= 0 else "−"
    return f"{span(old_low, old_high)} → {span(low, high)} ({sign}{money(abs(change))} at the low end)"


def _image_data(item, version: str) -> dict:
    import json

    if item.image is None:
        return {"path": item.path, "problem": item.problem}
    return json.loads(image_report.render_json(item.image, item.rebuild, item.path, version))


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
