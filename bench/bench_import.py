"""``import reliability_policy`` (which imports every concern) costs at most 40 ms more than
importing attrs, cattrs and pendulum themselves, timed side by side in fresh interpreters."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys

from bench._harness import Row

_SCRIPT = """
import sys, time
t0 = time.perf_counter()
import attrs, cattrs, pendulum, dateutil.rrule
t1 = time.perf_counter()
import reliability_policy
t2 = time.perf_counter()
from reliability_policy import classify, replay, audit, plan_maintenance
from reliability_policy import route_security_incident, load_events
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2)
print(" ".join(sorted({name.split(".")[0] for name in sys.modules})))
"""
_FORBIDDEN = ("click", "rich", "tomli_w", "hypothesis", "sphinx", "myst_parser")


def run() -> list[Row]:
    # Byte-compiled modules, as services run them: the first (discarded) run writes them.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    deps, package, concerns = [], [], []
    loaded: set[str] = set()
    for attempt in range(12):
        result = subprocess.run(
            [sys.executable, "-c", _SCRIPT], capture_output=True, text=True, check=True, env=env
        )
        if attempt == 0:
            continue
        timings, modules = result.stdout.splitlines()
        a, b, c = (float(x) * 1000 for x in timings.split())
        deps.append(a)
        package.append(b)
        concerns.append(c)
        loaded |= set(modules.split())
    base, extra = statistics.median(deps), statistics.median(package)
    every = extra + statistics.median(concerns)
    leaked = sorted(set(_FORBIDDEN) & loaded)
    return [
        Row(
            "import reliability_policy, every concern (extra over attrs+cattrs+pendulum)",
            f"{every:.1f} ms",
            f"{base:.1f} ms deps alone",
            None,
            "<= 40 ms",
            every <= 40,
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
