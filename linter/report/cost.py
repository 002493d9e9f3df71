"""``dlint cost`` output: the image-size estimate layer by layer, as a text table or JSON.

Both render what ``linter.cost.image`` computed (an ``ImageEstimate`` and, optionally, a
``RebuildEstimate``) without importing it. Sizes are decimal units as Docker prints them
(``12.3 MB``); a size that could not be estimated reads ``unknown``, and one that is only
partly known reads ``≥`` the known part — never 0. The JSON follows
``schemas/cost.schema.json``: bytes are integers, or null when not wholly known.
"""
from __future__ import annotations

INSTRUCTION_WIDTH = 44
_HEADERS = ("stage", "line", "instruction", "added", "total", "confidence", "note")


def format_size(size: int) -> str:
    """``0 B``, ``512 B``, ``4.1 kB``, ``12.3 MB``, ``1.25 GB`` (powers of 1000)."""
    if size < 1000:
        return f"{size} B"
    if size < 1_000_000:
        return f"{size / 1000:.1f} kB"
    if size < 1_000_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{size / 1_000_000_000:.2f} GB"


def format_estimate(estimate) -> str:
    """An Estimate for a person: its size, ``≥ size`` when part of it is unknown, or ``unknown``."""
    if estimate.size is None or (estimate.unknown and not estimate.size):
        return "unknown"
    if estimate.unknown:
        return "≥ " + format_size(estimate.size)
    return format_size(estimate.size)


def shorten(instruction, width: int = INSTRUCTION_WIDTH) -> str:
    """``RUN apt-get update && …``: the instruction on one line, cut to ``width`` characters."""
    text = " ".join(f"{instruction.keyword} {instruction.arguments}".split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def render_text(image, path: str, rebuild=None) -> str:
    """The table of every stage's layers, the shipped image's totals and, when given, what a
    rebuild after a source edit costs."""
    rows = []
    for stage in image.stages:
        for layer in stage.layers:
            notes = list(layer.notes) or [""]
            rows.append([stage.name, str(layer.line), shorten(layer.instruction), format_estimate(layer.size),
                         format_estimate(layer.total), layer.confidence, notes[0]])
            rows.extend(["", "", "", "", "", "", note] for note in notes[1:])
    widths = [max(len(row[column]) for row in [list(_HEADERS), *rows]) for column in range(len(_HEADERS) - 1)]
    right = {3, 4}

    def line(cells: list[str]) -> str:
        padded = [cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]) for i, cell in enumerate(cells[:-1])]
        return "  ".join([*padded, cells[-1]]).rstrip()

    out = [f"{path}: estimated image size ({image.platform})", "", line(list(_HEADERS))]
    out.extend(line(row) for row in rows)
    out.append("")
    out.append(_total_line(image))
    if rebuild is not None:
        out.extend(_rebuild_lines(rebuild))
    return "\n".join(out) + "\n"


def _total_line(image) -> str:
    head = f"Final image (stage {image.stages[image.target].name})" if len(image.stages) > 1 else "Final image"
    if image.unknown_layers:
        return (f"{head}: unknown uncompressed (at least {format_size(image.known_uncompressed)}), "
                f"unknown compressed (at least {format_size(image.known_compressed)}); "
                f"{_plural(image.unknown_layers, 'layer')} unknown")
    return (f"{head}: {format_size(image.uncompressed.size)} uncompressed, "
            f"{format_size(image.compressed.size)} compressed ({image.uncompressed.confidence} confidence)")


def _rebuild_lines(rebuild) -> list[str]:
    if not rebuild.changed:
        return ["", "Rebuild: no instruction copies application sources from the build context."]
    edit = _describe_change(rebuild.changed)
    if not rebuild.layers:
        return ["", f"Rebuild after {edit}: nothing rebuilds."]
    lines = ", ".join(str(layer.line) for layer in rebuild.layers)
    verb = "rebuilds" if len(rebuild.layers) == 1 else "rebuild"
    label = "line" if len(rebuild.layers) == 1 else "lines"
    out = ["", f"Rebuild after {edit}: {_plural(len(rebuild.layers), 'layer')} {verb} ({label} {lines}), "
               f"downloading {format_estimate(rebuild.download)} again and writing {format_estimate(rebuild.write)}."]
    if rebuild.trigger is not None:
        out.append(f"  first invalidated: line {rebuild.trigger.line}, {shorten(rebuild.trigger.instruction)}")
    out.extend(f"  {note}" for note in rebuild.notes)
    return out


def _describe_change(changed: list[str]) -> str:
    if changed == ["./"]:
        return "an edit to a file of the build context"
    described = [f"a file under {path}" if path.endswith("/") else path for path in changed]
    return "an edit to " + ", ".join(described)


# -- JSON --------------------------------------------------------------------------------------------

def _bytes(estimate) -> int | None:
    return None if estimate.size is None or estimate.unknown else estimate.size


def _layer_data(layer) -> dict:
    span = layer.instruction.span
    return {
        "line": span.line,
        "end_line": span.end_line,
        "instruction": layer.keyword,
        "text": shorten(layer.instruction, 120),
        "added": _bytes(layer.size),
        "added_known": layer.size.size or 0,
        "compressed": _bytes(layer.compressed),
        "total": _bytes(layer.total),
        "download": _bytes(layer.download),
        "confidence": layer.confidence,
        "unknown": layer.unknown,
        "notes": list(layer.notes),
    }


def _stage_data(stage, image) -> dict:
    return {
        "index": stage.index,
        "name": stage.name,
        "base": stage.base_ref,
        "base_known": stage.base is not None or stage.parent is not None,
        "from_stage": image.stages[stage.parent].name if stage.parent is not None else None,
        "ships": stage.index == image.target,
        "uncompressed": _bytes(stage.total),
        "compressed": _bytes(stage.compressed),
        "layers": [_layer_data(layer) for layer in stage.layers],
    }


def _rebuild_data(rebuild) -> dict:
    return {
        "changed": list(rebuild.changed),
        "trigger_line": rebuild.trigger.line if rebuild.trigger is not None else None,
        "layers": [{"stage": layer.stage, "line": layer.line, "instruction": layer.keyword}
                   for layer in rebuild.layers],
        "download": _bytes(rebuild.download),
        "download_known": rebuild.download.size or 0,
        "write": _bytes(rebuild.write),
        "write_known": rebuild.write.size or 0,
        "notes": list(rebuild.notes),
    }


def render_json(image, rebuild, path: str, version: str) -> str:
    """The estimate (and the rebuild, or null) as JSON following ``schemas/cost.schema.json``."""
    import json

    document = {
        "tool": "dlint",
        "version": version,
        "path": path,
        "platform": image.platform,
        "image": {
            "stage": image.stages[image.target].name,
            "uncompressed": _bytes(image.uncompressed),
            "compressed": _bytes(image.compressed),
            "known_uncompressed": image.known_uncompressed,
            "known_compressed": image.known_compressed,
            "unknown_layers": image.unknown_layers,
            "confidence": image.uncompressed.confidence,
        },
        "stages": [_stage_data(stage, image) for stage in image.stages],
        "rebuild": _rebuild_data(rebuild) if rebuild is not None else None,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
