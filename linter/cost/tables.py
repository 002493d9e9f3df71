"""Reading the package tables shipped with the cost model (pip, npm): an xz-compressed TSV
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
