"""``next_due`` and ``audit`` for a SEV-1 with 10,000 affected tenants and 48 ongoing updates;
cost grows linearly in tenants (10,000 tenants cost at most 12x 1,000), in time and in peak
memory.

Timing is made robust against a busy machine: the two sizes are timed in interleaved rounds
(so a burst of load hits both alike), each timing is the process's CPU time for one call, a
``gc.collect()`` runs before each one and the result is dropped outside the timed region, and
the figure is the median over the rounds. Peak memory is ``tracemalloc``'s peak during one call
(its result included) above what was traced before it.

A last row audits a record whose notices split the tenants: 20,000 tenants, 200 notices, half
of them broadcast and half addressed to one tenant each (issue 16: 3.5 GB before).
"""

from __future__ import annotations

import datetime as dt
import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable

from bench._harness import Row, fmt_seconds
from reliability_policy import Channel, Severity, default_policy
from reliability_policy.lifecycle import Audience, NoticeKind
from reliability_policy.notifications import (
    CommunicationFacts,
    SentNotice,
    SeverityPoint,
    TenantScope,
    audit,
    next_due,
)

T0 = dt.datetime(2026, 3, 9, 14, 0, tzinfo=dt.UTC)
UPDATES = 48
SIZES = (1_000, 10_000)
ROUNDS = {"next_due": 9, "audit": 7}


def _every_required_item() -> frozenset[str]:
    content = default_policy().notifications.content
    kinds = (content.first_notice, content.update, content.resolution, content.summary)
    return frozenset(item for items in kinds for item in items)


CONTENT = _every_required_item()
"""Every content item the default policy requires of any notice kind: each notice carries them."""


def sev1(tenants: int) -> CommunicationFacts:
    """A SEV-1 whose first notice and 48 updates went to every tenant, on time, by email+in-app."""
    ids = tuple(f"t-{n:05d}" for n in range(tenants))
    notices: list[SentNotice] = []
    for index in range(UPDATES + 1):
        at = T0 + dt.timedelta(minutes=30 * index)
        kind = NoticeKind.FIRST_NOTICE if index == 0 else NoticeKind.UPDATE
        for channel in (Channel.EMAIL, Channel.IN_APP):
            notices.append(
                SentNotice(
                    f"n{index}{channel.value}",
                    at,
                    channel,
                    kind,
                    Audience.AFFECTED_TENANTS,
                    ids,
                    content=CONTENT,
                )
            )
    return CommunicationFacts(
        incident_id="INC-BENCH",
        severities=(SeverityPoint(T0, Severity.SEV_1),),
        scope_confirmed_at=T0,
        scope=tuple(TenantScope(tenant, T0) for tenant in ids),
        notices=tuple(notices),
    )


def split(tenants: int, notices: int = 200) -> CommunicationFacts:
    """A SEV-1 whose notices alternate: to every tenant, then to one tenant (email only)."""
    ids = tuple(f"t-{n:05d}" for n in range(tenants))
    sent = [
        SentNotice(
            f"n{k}",
            T0 + dt.timedelta(minutes=15 * k),
            Channel.EMAIL,
            NoticeKind.FIRST_NOTICE if k == 0 else NoticeKind.UPDATE,
            Audience.AFFECTED_TENANTS,
            ids if k % 2 == 0 else (ids[(k * 7919) % tenants],),
            content=CONTENT,
        )
        for k in range(notices)
    ]
    return CommunicationFacts(
        incident_id="INC-SPLIT",
        severities=(SeverityPoint(T0, Severity.SEV_1),),
        scope_confirmed_at=T0,
        scope=tuple(TenantScope(tenant, T0) for tenant in ids),
        notices=tuple(sent),
    )


def _peak(fn: Callable[[], object]) -> int:
    """Bytes traced at the peak of one call (its result included), above what was held."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        result = fn()
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    del result
    return peak


def _mb(size: float) -> str:
    return f"{size / 1e6:.1f} MB"


def _once(fn: Callable[[], object], *, collector: bool) -> float:
    """CPU seconds for one call, after a full collection; the result dies outside the timing.

    With ``collector=False`` the benchmark (never the library) pauses the cyclic garbage
    collector for the call, to show how much of the cost is the collector's.
    """
    gc.collect()
    if not collector:
        gc.disable()
    try:
        start = time.process_time()
        result = fn()
        elapsed = time.process_time() - start
    finally:
        gc.enable()
    del result
    return elapsed


def _medians(
    calls: dict[int, Callable[[], object]], rounds: int, *, collector: bool = True
) -> dict[int, float]:
    """The median CPU time per size, the sizes timed in interleaved rounds."""
    samples: dict[int, list[float]] = {size: [] for size in calls}
    for _ in range(rounds):
        for size, fn in calls.items():
            samples[size].append(_once(fn, collector=collector))
    return {size: statistics.median(times) for size, times in samples.items()}


def run() -> list[Row]:
    policy = default_policy()
    now = T0 + dt.timedelta(minutes=30 * UPDATES + 10)
    subjects = {tenants: sev1(tenants) for tenants in SIZES}
    for facts in subjects.values():
        report = audit(facts, policy, now=now)
        assert report.compliant, report.summary
        owed = next_due(facts, policy, now=now)
        assert owed is not None
        assert owed.due == now + dt.timedelta(minutes=20)
    functions: dict[str, Callable[..., object]] = {"next_due": next_due, "audit": audit}
    rows: list[Row] = []
    for name, function in functions.items():

        def call(facts: CommunicationFacts, fn: Callable[..., object] = function) -> object:
            return fn(facts, policy, now=now)

        calls = {size: (lambda f=facts: call(f)) for size, facts in subjects.items()}
        medians = _medians(calls, ROUNDS[name])
        small, big = medians[SIZES[0]], medians[SIZES[1]]
        ratio = big / small
        rows.append(
            Row(
                f"{name}: SEV-1, 10,000 tenants, {UPDATES} updates (median of {ROUNDS[name]})",
                fmt_seconds(big),
                f"{fmt_seconds(small)} at 1,000 tenants",
                ratio,
                "10,000 <= 12x 1,000",
                ratio <= 12,
            )
        )
        peaks = {size: _peak(fn) for size, fn in calls.items()}
        growth = peaks[SIZES[1]] / peaks[SIZES[0]]
        rows.append(
            Row(
                f"{name}: same, peak memory",
                _mb(peaks[SIZES[1]]),
                f"{_mb(peaks[SIZES[0]])} at 1,000 tenants",
                growth,
                "10,000 <= 12x 1,000",
                growth <= 12,
            )
        )
        if name == "audit":
            paused = _medians(calls, ROUNDS[name], collector=False)
            rows.append(
                Row(
                    "audit, same, with the benchmark pausing the garbage collector",
                    fmt_seconds(paused[SIZES[1]]),
                    f"{fmt_seconds(paused[SIZES[0]])} at 1,000 tenants",
                    paused[SIZES[1]] / paused[SIZES[0]],
                    "(diagnostic)",
                    None,
                )
            )
    facts = split(20_000)
    start = time.process_time()
    report = audit(facts, policy)
    seconds = time.process_time() - start
    peak = _peak(lambda: audit(facts, policy))
    rows.append(
        Row(
            "audit: 20,000 tenants, 200 notices, half to one tenant each (peak memory)",
            f"{_mb(peak)}, {fmt_seconds(seconds)}",
            f"{len(report.tenants):,} results",
            None,
            "(diagnostic)",
            None,
        )
    )
    return rows
