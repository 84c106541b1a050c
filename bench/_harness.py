"""Timing helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import attrs


@attrs.frozen
class Row:
    """One benchmark line: what was measured, ours, the reference, and the target."""

    name: str
    ours: str
    reference: str
    ratio: float | None
    target: str
    met: bool | None


def median_seconds(fn: Callable[[], object], *, number: int, repeat: int = 7) -> float:
    """The median over ``repeat`` runs of the time of one call, each run making ``number`` calls."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - start) / number)
    return statistics.median(samples)


def fmt_seconds(seconds: float) -> str:
    """A duration with a readable unit."""
    if seconds < 1e-6:
        return f"{seconds * 1e9:.0f} ns"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.2f} us"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def print_table(rows: list[Row]) -> None:
    """Print the rows as an aligned plain-text table."""
    header = ("benchmark", "ours", "reference", "ratio", "target", "met")
    table = [header] + [
        (
            r.name,
            r.ours,
            r.reference,
            "" if r.ratio is None else f"{r.ratio:.2f}x",
            r.target,
            "" if r.met is None else ("yes" if r.met else "NO"),
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for i, row in enumerate(table):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if i == 0:
            print("  ".join("-" * width for width in widths))
