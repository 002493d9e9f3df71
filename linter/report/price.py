"""The workload price table, as text (an Infracost-like table), JSON and Markdown.

Each renderer takes the rows of ``linter.cost.price.price_workloads`` and the price sheet they
were computed with, and formats them; nothing is recomputed but the totals. Money is shown
with 2 decimals and the currency (``$`` for USD, the ISO code after the amount otherwise).
A cost with no upper bound is shown as ``unbounded`` (``≥ $X + unbounded`` when part of it is
known), never as zero. Rows priced per node (a DaemonSet with no node count) or per run-hour (a
Job) stay out of the monthly total and are added to it as their own terms.
"""
from __future__ import annotations

from collections.abc import Sequence

GIB = 2 ** 30
MIB = 2 ** 20
_HEADERS = ("Workload", "Kind", "Replicas", "CPU", "Memory", "Monthly cost", "Notes")
_LIMITS_MARK = "*"


def render_text(costs: Sequence, prices) -> str:
    """A plain-text table: one row per workload (its notes on lines of their own), a total line,
    and the prices used."""
    rows = [_cells(cost, prices) for cost in costs]
    widths = [max([len(header)] + [len(row[index]) for row in rows]) for index, header in enumerate(_HEADERS[:-1])]
    lines = [_line(_HEADERS, widths).rstrip()]
    several_files = len({cost.path for cost in costs}) > 1
    path = None
    for cost, row in zip(costs, rows):
        if several_files and cost.path != path:
            path = cost.path
            lines.append(f"{path}:")
        notes = list(cost.notes) or [""]
        lines.append(_line(row + (notes[0],), widths).rstrip())
        lines += [_line(("",) * (len(_HEADERS) - 1) + (note,), widths).rstrip() for note in notes[1:]]
    total_label = f"Total ({len(costs)} workload{'s' if len(costs) != 1 else ''})"
    lines.append("-" * min(sum(widths) + 2 * len(widths), 120))
    lines.append(f"{total_label}: {_total_text(costs, prices)}")
    lines.append("")
    lines += _footer(costs, prices)
    return "\n".join(lines) + "\n"


def render_markdown(costs: Sequence, prices) -> str:
    """A Markdown table fit for a pull-request comment, with the total as its last row."""
    lines = ["| " + " | ".join(_HEADERS) + " |", "|" + "|".join(("---",) * 2 + ("---:",) * 4 + ("---",)) + "|"]
    for cost in costs:
        name = f"`{cost.name}`<br><sub>{cost.path}:{cost.span.line}</sub>"
        cells = (name,) + _cells(cost, prices)[1:] + ("<br>".join(cost.notes),)
        lines.append("| " + " | ".join(_escape(cell) for cell in cells) + " |")
    lines.append("| **Total** | | | | | **" + _escape(_total_text(costs, prices)) + "** | |")
    for line in _footer(costs, prices):
        lines += ["", f"<sub>{_escape(line)}</sub>"]
    return "\n".join(lines) + "\n"


def render_json(costs: Sequence, prices) -> str:
    """The rows as JSON::

        {
          "currency": "USD",
          "hours_per_month": 730,
          "prices": {"cpu-hour": 0.031611, "memory-gib-hour": 0.004237, "gpu-hour": 0.95,
                     "storage-gib-month": 0.04},
          "price_source": {"name": "...", "url": "https://...", "date": "2026-11-27",
                           "overridden": ["cpu-hour"]},
          "workloads": [{
            "name": "web", "kind": "Deployment", "source": "kubernetes", "path": "k8s/web.yaml",
            "line": 4, "column": 9, "end_line": 4, "end_column": 12,
            "basis": "month",                       # or "node" (per node) or "run-hour" (per hour a Job runs)
            "replicas": {"min": 2, "max": 10},      # max null: no upper bound
            "cpu": {"cores": 0.5, "from_limits": false, "unbounded": false},
            "memory": {"bytes": 536870912, "from_limits": false, "unbounded": false},
            "gpus": 0, "storage_bytes": 0,          # per replica
            "hourly": {"low": 0.035848, "high": 0.17924},   # high null: unbounded
            "monthly": {"low": 26.16904, "high": 130.8452}, # null for basis run-hour
            "notes": ["HorizontalPodAutoscaler 'web' scales it between 2 and 10 replicas"]
          }],
          "total": {
            "monthly": {"low": 26.16904, "high": 130.8452},  # rows of basis month
            "per_node_monthly": null,     # rows of basis node, per node ({"low", "high"}); null: none
            "per_run_hour": null          # rows of basis run-hour, likewise
          }
        }

    Money is rounded to 6 decimals; cores and bytes are per replica.
    """
    import json

    totals = _totals(costs)
    bases = {cost.basis for cost in costs}
    document = {
        "currency": prices.currency,
        "hours_per_month": prices.hours_per_month,
        "prices": prices.prices(),
        "price_source": {"name": prices.source_name, "url": prices.source, "date": prices.date,
                         "overridden": list(prices.overridden)},
        "workloads": [_cost_data(cost) for cost in costs],
        "total": {"monthly": _money_data(totals["month"]),
                  "per_node_monthly": _money_data(totals["node"]) if "node" in bases else None,
                  "per_run_hour": _money_data(totals["run-hour"]) if "run-hour" in bases else None},
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# --- cells ------------------------------------------------------------------------------------

def _cells(cost, prices) -> tuple[str, ...]:
    """Workload, kind, replicas, CPU, memory and cost of one row."""
    return (cost.name, cost.kind, _replicas(cost), _amount(cost.cpu, _cores), _amount(cost.memory, _bytes),
            _row_cost(cost, prices.currency))


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    """Cells padded to their column; the amounts (replicas to cost) are right-aligned, the
    last cell (the notes) is not padded."""
    padded = [cell.rjust(width) if 2 <= index <= 5 else cell.ljust(width)
              for index, (cell, width) in enumerate(zip(cells, widths))]
    return "  ".join(padded + list(cells[len(widths):]))


def _replicas(cost) -> str:
    if cost.basis == "node":
        return "1 per node"
    low, high = cost.replicas
    if high is None:
        return f"≥ {low}"
    return str(low) if low == high else f"{low}–{high}"


def _amount(amount, show) -> str:
    if amount.unbounded:
        return f"≥ {show(amount.value)}" if amount.value else "unset"
    return show(amount.value) + (_LIMITS_MARK if amount.from_limits else "")


def _cores(cores: float) -> str:
    return f"{cores:.3f}".rstrip("0").rstrip(".")


def _bytes(size: int) -> str:
    if size >= GIB:
        return f"{size / GIB:.2f}".rstrip("0").rstrip(".") + " GiB"
    return f"{size / MIB:.2f}".rstrip("0").rstrip(".") + " MiB"


def _row_cost(cost, currency: str) -> str:
    if cost.basis == "run-hour":
        return _range(cost.hourly, currency) + " per run-hour"
    text = _range(cost.monthly, currency)
    return text + " per node" if cost.basis == "node" else text


def _range(money, currency: str) -> str:
    low, high = money
    if high is None:
        return f"≥ {format_money(low, currency)} + unbounded" if low else "unbounded"
    if format_money(low, currency) == format_money(high, currency):
        return format_money(low, currency)
    return f"{format_money(low, currency)} – {format_money(high, currency)}"


def format_money(amount: float, currency: str) -> str:
    if currency == "USD":
        return f"${amount:,.2f}"
    return f"{amount:,.2f} {currency}"


def _escape(cell: str) -> str:
    """Text safe in a Markdown table cell: a pipe would end the cell, an asterisk start emphasis."""
    return cell.replace("|", "\\|").replace("*", "\\*")


# --- totals and footer ------------------------------------------------------------------------

def _totals(costs: Sequence) -> dict[str, tuple]:
    """``{basis: (low, high)}`` summed over the rows of each basis; ``high`` None once a row
    is unbounded."""
    totals: dict[str, tuple] = {"month": (0.0, 0.0), "node": (0.0, 0.0), "run-hour": (0.0, 0.0)}
    for cost in costs:
        money = cost.hourly if cost.basis == "run-hour" else cost.monthly
        low, high = totals[cost.basis]
        totals[cost.basis] = (low + money.low, None if high is None or money.high is None else high + money.high)
    return totals


def _total_text(costs: Sequence, prices) -> str:
    totals = _totals(costs)
    text = _range(totals["month"], prices.currency) + " per month"
    present = {cost.basis for cost in costs}
    if "node" in present:
        text += f", plus {_range(totals['node'], prices.currency)} per node"
    if "run-hour" in present:
        text += f", plus {_range(totals['run-hour'], prices.currency)} per run-hour of the jobs"
    return text


def _footer(costs: Sequence, prices) -> list[str]:
    lines = []
    if any(cost.cpu.from_limits or cost.memory.from_limits for cost in costs):
        lines.append(f"{_LIMITS_MARK} read from limits: no request (reservation) is written")
    lines.append("Request-based cost: requests (limits where there are none) × replicas × prices, "
                 f"{prices.hours_per_month:g} hours a month.")
    currency = prices.currency
    price_list = (f"{_money_precise(prices.cpu_hour, currency)} per vCPU-hour, "
                  f"{_money_precise(prices.memory_gib_hour, currency)} per GiB-hour of memory, "
                  f"{_money_precise(prices.gpu_hour, currency)} per GPU-hour, "
                  f"{_money_precise(prices.storage_gib_month, currency)} per GiB-month of claimed storage")
    origin = f"{prices.source_name}, {prices.date}, {prices.source}"
    if prices.overridden:
        origin = f"configured: {', '.join(prices.overridden)}; other prices: {origin}"
    lines.append(f"Prices: {price_list} ({origin}).")
    return lines


def _money_precise(amount: float, currency: str) -> str:
    """A unit price as written (``$0.031611``): two decimals would hide it."""
    text = f"{amount:.10f}".rstrip("0")
    text = text + "00" if text.endswith(".") else text
    return f"${text}" if currency == "USD" else f"{text} {currency}"


def _cost_data(cost) -> dict:
    span = cost.span
    return {
        "name": cost.name, "kind": cost.kind, "source": cost.source, "path": cost.path,
        "line": span.line, "column": span.column, "end_line": span.end_line, "end_column": span.end_column,
        "basis": cost.basis,
        "replicas": {"min": cost.replicas[0], "max": cost.replicas[1]},
        "cpu": {"cores": float(cost.cpu.value), "from_limits": cost.cpu.from_limits, "unbounded": cost.cpu.unbounded},
        "memory": {"bytes": cost.memory.value, "from_limits": cost.memory.from_limits,
                   "unbounded": cost.memory.unbounded},
        "gpus": cost.gpus, "storage_bytes": cost.storage,
        "hourly": _money_data(cost.hourly),
        "monthly": _money_data(cost.monthly) if cost.monthly is not None else None,
        "notes": list(cost.notes),
    }


def _money_data(money) -> dict:
    low, high = money
    return {"low": round(low, 6), "high": None if high is None else round(high, 6)}
