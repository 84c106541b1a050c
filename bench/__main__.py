"""Run every benchmark and print one table: ``nox -s bench`` (or ``python -m bench``).

Each ``bench/bench_*.py`` module exposes ``run() -> list[Row]``; a row is one measurement
beside its reference, with the target the issue set.
"""

from __future__ import annotations

import importlib
import pathlib
import platform
import sys

from bench._harness import Row, print_table


def main(argv: list[str]) -> int:
    wanted = set(argv)
    rows: list[Row] = []
    for path in sorted(pathlib.Path(__file__).parent.glob("bench_*.py")):
        name = path.stem
        if wanted and name.removeprefix("bench_") not in wanted:
            continue
        module = importlib.import_module(f"bench.{name}")
        print(f"running {name} ...", file=sys.stderr, flush=True)
        rows.extend(module.run())
    print(
        f"machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, {platform.system()} {platform.release()}"
    )
    print_table(rows)
    return 1 if any(row.met is False for row in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
