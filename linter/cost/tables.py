"""Reading and writing the package tables shipped with the cost model (pip, npm): an xz-compressed TSV
whose first line names the format and carries ``key=value`` header fields, whose second
line names the columns, and whose other lines are one row each, keyed by the first column."""
from __future__ import annotations


def read_table(path: str, format_line: str, kind: str) -> tuple[dict[str, str], dict[str, str]]:
    """The header fields and ``{name: the rest of the row}``; ValueError when the file is not
    such a table of ``kind``."""
    import lzma

    with open(path, "rb") as handle:
        lines = lzma.decompress(handle.read()).decode("utf-8").split("\n")
    if not lines[0].startswith(format_line):
        raise ValueError(f"{path} is not a dlint {kind} table")
    header = dict(field.split("=", 1) for field in lines[0].split("\t")[1:] if "=" in field)
    rows = {}
    for line in lines[2:]:
        if line:
            name, _, rest = line.partition("\t")
            rows[name] = rest
    return header, rows


def write_table(path: str, header: list[str], columns: list[str], rows: list[list[str]]) -> None:
    """Write a table :func:`read_table` reads: ``header`` is the format line's fields (format
    name first, then ``key=value``), ``rows`` the cells of each row, first column the key."""
    import lzma

    lines = ["\t".join(header), "#" + "\t".join(columns)] + ["\t".join(row) for row in rows]
    with open(path, "wb") as handle:
        handle.write(lzma.compress(("\n".join(lines) + "\n").encode("utf-8"), preset=9 | lzma.PRESET_EXTREME))
