"""``next_due`` and ``audit`` for a SEV-1 with 10,000 affected tenants and 48 ongoing updates;
cost grows linearly in tenants (10,000 tenants cost at most 12x 1,000)."""

from __future__ import annotations

import datetime as dt
import functools

from bench._harness import Row, fmt_seconds, median_seconds
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
                    f"n{index}{channel.value}", at, channel, kind, Audience.AFFECTED_TENANTS, ids
                )
            )
    return CommunicationFacts(
        incident_id="INC-BENCH",
        severities=(SeverityPoint(T0, Severity.SEV_1),),
        scope_confirmed_at=T0,
        scope=tuple(TenantScope(tenant, T0) for tenant in ids),
        notices=tuple(notices),
    )


def run() -> list[Row]:
    policy = default_policy()
    now = T0 + dt.timedelta(minutes=30 * UPDATES + 10)
    rows: list[Row] = []
    timings: dict[tuple[str, int], float] = {}
    for tenants in (1_000, 10_000):
        facts = sev1(tenants)
        report = audit(facts, policy, now=now)
        assert report.compliant, report.summary
        owed = next_due(facts, policy, now=now)
        assert owed is not None
        assert owed.due == now + dt.timedelta(minutes=20)
        timings[("next_due", tenants)] = median_seconds(
            functools.partial(next_due, facts, policy, now=now), number=1, repeat=5
        )
        timings[("audit", tenants)] = median_seconds(
            functools.partial(audit, facts, policy, now=now), number=1, repeat=5
        )
    for name in ("next_due", "audit"):
        small, big = timings[(name, 1_000)], timings[(name, 10_000)]
        ratio = big / small
        rows.append(
            Row(
                f"{name}: SEV-1, 10,000 tenants, {UPDATES} updates",
                fmt_seconds(big),
                f"{fmt_seconds(small)} at 1,000 tenants",
                ratio,
                "10,000 <= 12x 1,000",
                ratio <= 12,
            )
        )
    return rows
