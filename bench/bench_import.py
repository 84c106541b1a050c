"""``import reliability_policy`` costs at most 30 ms more than importing attrs, cattrs and
pendulum themselves, measured with ``python -X importtime`` side by side."""

from __future__ import annotations

import re
import statistics
import subprocess
import sys

from bench._harness import Row

_DEPS = "import attrs, cattrs, pendulum, dateutil.rrule"
_OURS = _DEPS + "; import reliability_policy"
_FORBIDDEN = ("click", "rich", "tomli_w", "hypothesis", "sphinx", "myst_parser")


def _cumulative_us(code: str) -> tuple[int, set[str]]:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        check=True,
    )
    total = 0
    modules = set()
    for line in result.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if match:
            modules.add(match[3].split(".")[0])
            if len(match[2]) == 1:  # top-level imports only: their cumulative time
                total += int(match[1])
    return total, modules


def run() -> list[Row]:
    deps = []
    ours = []
    loaded: set[str] = set()
    for _ in range(9):
        deps.append(_cumulative_us(_DEPS)[0])
        total, modules = _cumulative_us(_OURS)
        ours.append(total)
        loaded |= modules
    base, with_us = statistics.median(deps), statistics.median(ours)
    extra_ms = (with_us - base) / 1000
    leaked = sorted(set(_FORBIDDEN) & loaded)
    return [
        Row(
            "import reliability_policy (extra over attrs+cattrs+pendulum)",
            f"{extra_ms:.1f} ms",
            f"{base / 1000:.1f} ms deps alone",
            None,
            "<= 30 ms",
            extra_ms <= 30,
        ),
        Row(
            "CLI/docs/test deps imported by the library",
            ", ".join(leaked) or "none",
            "",
            None,
            "none",
            not leaked,
        ),
    ]
