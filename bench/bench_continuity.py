"""``continuity_report`` over 1,000 data stores and 100,000 evidence records; the cost grows
linearly in records (100,000 records cost at most 12x 10,000, over the same 1,000 stores).

The evidence is grouped by store in one pass, so the report is linear in records plus a fixed
cost per store (its due dates in the policy's calendar). Timing as in ``bench_notifications``:
the two sizes in interleaved rounds, the process's CPU time for one call after a
``gc.collect()``, the median over the rounds. A diagnostic row times reading the 100,000-line
log (``loads_evidence``).
"""

from __future__ import annotations

import datetime as dt
import gc
import statistics
import time
from collections.abc import Callable

import attrs

from bench._harness import Row, fmt_seconds
from reliability_policy import default_policy
from reliability_policy.continuity import (
    REQUIRED_SCENARIOS,
    BackupRun,
    EvidenceRecord,
    PlanReview,
    RestoreTest,
    ScenarioExercise,
    continuity_report,
    dumps_evidence,
    loads_evidence,
)
from reliability_policy.policy import DataStore, Policy
from reliability_policy.timing import CalendarSpan, SpanUnit

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
STORES = 1_000
SIZES = (10_000, 100_000)
ROUNDS = 7
H = dt.timedelta(hours=1)


def policy(stores: int = STORES) -> Policy:
    """The default policy with ``stores`` data stores."""
    base = default_policy()
    entries = tuple(
        DataStore(f"store-{n:04d}", 24 * H, 8 * H, 24 * H, CalendarSpan(90, SpanUnit.DAYS))
        for n in range(stores)
    )
    return attrs.evolve(base, continuity=attrs.evolve(base.continuity, stores=entries))


def evidence(records: int, stores: int = STORES) -> list[EvidenceRecord]:
    """``records`` records over ``stores`` stores: nine backups to one restore test, each
    store's newest backup on time, now and then an unencrypted one or a slow restore."""
    found: list[EvidenceRecord] = [PlanReview(NOW - 30 * 24 * H, by="cto")]
    found += [ScenarioExercise(NOW - 40 * 24 * H, sid, passed=True) for sid in REQUIRED_SCENARIOS]
    for n in range(records - len(found)):
        store = f"store-{n % stores:04d}"
        age = (n // stores) * H
        at = NOW - age - H
        if n // stores % 10 == 9:
            slow = 9 * H if n % 97 == 0 else 3 * H
            found.append(
                RestoreTest(at, store, recovery_point=at - H, duration=slow, verified=True)
            )
        else:
            found.append(BackupRun(at, store, encrypted=n % 101 != 0, stored_apart=True))
    return found


def _once(fn: Callable[[], object]) -> float:
    gc.collect()
    start = time.process_time()
    result = fn()
    elapsed = time.process_time() - start
    del result
    return elapsed


def run() -> list[Row]:
    rules = policy()
    logs = {size: evidence(size) for size in SIZES}
    for log in logs.values():
        report = continuity_report(log, rules, now=NOW)
        assert len(report.stores) == STORES
        assert not report.compliant  # the unencrypted backups and slow restores are found
    samples: dict[int, list[float]] = {size: [] for size in SIZES}
    for _ in range(ROUNDS):
        for size, log in logs.items():
            samples[size].append(_once(lambda log=log: continuity_report(log, rules, now=NOW)))
    small, big = (statistics.median(samples[size]) for size in SIZES)
    ratio = big / small
    text = dumps_evidence(logs[SIZES[1]])
    parse = statistics.median(_once(lambda: loads_evidence(text)) for _ in range(3))
    return [
        Row(
            f"continuity_report: {STORES:,} stores, {SIZES[1]:,} records (median of {ROUNDS})",
            fmt_seconds(big),
            f"{fmt_seconds(small)} at {SIZES[0]:,} records",
            ratio,
            f"{SIZES[1]:,} <= 12x {SIZES[0]:,}",
            ratio <= 12,
        ),
        Row(
            f"loads_evidence: {SIZES[1]:,} lines (median of 3)",
            fmt_seconds(parse),
            "",
            None,
            "(diagnostic)",
            None,
        ),
    ]
