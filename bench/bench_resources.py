"""Peak memory of DPA routing and of ``audit`` at 1,000 and 10,000 tenants (issue 15): memory must
stay linear, so 10,000 tenants may cost at most 12x the peak of 1,000.

* DPA routing: ``route_security_incident`` of a security incident (customer data involved)
  with N affected tenants, each with its own security contact in the tenant terms.
* audit: a SEV-1 over N tenants with a first notice and 48 updates to everyone by email and
  in-app, plus 200 more notices, half of them to a single tenant each (the other half to all).

The peak is :mod:`tracemalloc`'s for the call alone: one small call of each warms up first, the
input is built before the tracer starts, and the peak above what was allocated before the
call is reported (the result included, as a caller holds it).
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import tracemalloc
from collections.abc import Callable

import attrs

from bench._harness import Row
from bench.bench_notifications import CONTENT, T0, sev1
from reliability_policy import Channel, default_policy
from reliability_policy.lifecycle import Audience, IncidentKind, NoticeKind
from reliability_policy.notifications import CommunicationFacts, SentNotice, audit
from reliability_policy.policy import Policy, Tenant, TimeZoneName
from reliability_policy.security import (
    AffectedTenant,
    Assessment,
    SecurityFacts,
    route_security_incident,
)

SIZES = (1_000, 10_000)
GROWTH = 12.0
EXTRA_NOTICES = 200


def _ids(tenants: int) -> tuple[str, ...]:
    return tuple(f"t-{n:05d}" for n in range(tenants))


def security_case(tenants: int) -> tuple[SecurityFacts, Policy, dt.datetime]:
    """A security incident with customer data involved and ``tenants`` affected tenants."""
    ids = _ids(tenants)
    policy = attrs.evolve(
        default_policy(),
        tenants=tuple(
            Tenant(tenant, TimeZoneName("UTC"), security_contacts=(f"sec@{tenant}.example",))
            for tenant in ids
        ),
    )
    facts = SecurityFacts(
        incident_id="INC-DPA",
        kind=IncidentKind.SECURITY,
        aware_at=T0,
        assessments=(Assessment(T0 + dt.timedelta(minutes=30), "yes", by="security"),),
        tenants=tuple(AffectedTenant(tenant, T0) for tenant in ids),
    )
    return facts, policy, T0 + dt.timedelta(hours=6)


def audit_case(tenants: int) -> CommunicationFacts:
    """bench_notifications' SEV-1 (48 updates to all) plus 200 notices, half to one tenant."""
    facts = sev1(tenants)
    ids = _ids(tenants)
    extra: list[SentNotice] = []
    for index in range(EXTRA_NOTICES):
        at = T0 + dt.timedelta(minutes=30 * 48 + index)
        who = (ids[index % tenants],) if index % 2 == 0 else ids
        extra.append(
            SentNotice(
                f"x{index}",
                at,
                Channel.EMAIL,
                NoticeKind.UPDATE,
                Audience.AFFECTED_TENANTS,
                who,
                content=CONTENT,
            )
        )
    return attrs.evolve(facts, notices=facts.notices + tuple(extra))


def peak_bytes(fn: Callable[[], object]) -> int:
    """The peak of memory allocated during ``fn()`` above what was allocated before it."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        result = fn()
        _, peak = tracemalloc.get_traced_memory()
        del result
    finally:
        tracemalloc.stop()
    return peak - before


def _route(facts: SecurityFacts, policy: Policy, now: dt.datetime) -> object:
    return route_security_incident(facts, policy, now=now)


def _audit(facts: CommunicationFacts) -> object:
    return audit(facts, now=max(notice.at for notice in facts.notices))


def _mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"


def _rows(name: str, peaks: dict[int, int]) -> list[Row]:
    small, large = (peaks[size] for size in SIZES)
    growth = large / small if small else None
    return [
        Row(
            f"{name}, peak memory, {SIZES[1]:,} vs {SIZES[0]:,} tenants",
            _mib(large),
            _mib(small),
            growth,
            f"<= {GROWTH:.0f}x",
            None if growth is None else growth <= GROWTH,
        )
    ]


def run() -> list[Row]:
    # one small call of each first: one-time costs (hooks generated on first use, caches)
    # are not the tenants' memory
    facts, policy, now = security_case(10)
    route_security_incident(facts, policy, now=now)
    audit(audit_case(10))
    routing: dict[int, int] = {}
    audits: dict[int, int] = {}
    for size in SIZES:
        routing[size] = peak_bytes(functools.partial(_route, *security_case(size)))
        audits[size] = peak_bytes(functools.partial(_audit, audit_case(size)))
    return [*_rows("DPA routing", routing), *_rows("audit (SEV-1, 48 updates)", audits)]


if __name__ == "__main__":  # pragma: no cover
    from bench._harness import print_table

    print_table(run())
