"""Calendar invites for maintenance (iCalendar, RFC 5545), one per affected tenant.

Each tenant of a downtime plan gets its own calendar: one ``VEVENT`` whose ``DTSTART`` and
``DTEND`` are the window in the tenant's own zone (``TZID`` with its ``VTIMEZONE``), so the
start a calendar shows is the local start the plan promised. The ``UID`` is derived from the
change and the tenant alone (a digest, so it names neither): the same on every call, so a
reschedule sent with a higher ``SEQUENCE`` replaces the event, and a cancellation with the
same ``UID`` removes it. Nothing in a tenant's file names another tenant. The calendars are
written by the `icalendar <https://icalendar.readthedocs.io/>`_ library.

>>> import datetime as dt
>>> from reliability_policy import MaintenanceRequest, loads_policy, plan_maintenance
>>> policy = loads_policy("schema_version = 1", tenants={"schema_version": 1,
...     "tenants": [{"id": "mynah", "time_zone": "Asia/Kolkata"}]})
>>> request = MaintenanceRequest("CHG-1", True, ("mynah",),
...     dt.datetime(2026, 4, 1, tzinfo=dt.UTC), dt.datetime(2026, 5, 1, tzinfo=dt.UTC),
...     expected_downtime=dt.timedelta(hours=2))
>>> plan = plan_maintenance(request, policy, now=dt.datetime(2026, 3, 20, tzinfo=dt.UTC))
>>> text = maintenance_invite(plan, "mynah", policy)
>>> [line for line in text.splitlines() if line.startswith(("DTSTART;", "SEQUENCE"))]
['DTSTART;TZID=Asia/Kolkata:20260405T020000', 'SEQUENCE:0']

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Final, Literal
from zoneinfo import ZoneInfo

from reliability_policy.defaults import policy_or_default
from reliability_policy.errors import PolicyInputError
from reliability_policy.maintenance import MaintenancePlan, RollingPlan, WavePlan
from reliability_policy.policy import Policy
from reliability_policy.timing import format_duration, require_zone

__all__ = ["maintenance_cancellation", "maintenance_invite", "maintenance_invites"]

PRODID: Final = "-//CustomerNode//reliability-policy//EN"
"""The ``PRODID`` of every calendar written here."""

UID_DOMAIN: Final = "reliability-policy"
"""The right-hand side of every ``UID`` (``<digest>@reliability-policy``)."""

_METHODS: Final = ("REQUEST", "PUBLISH")
_MARGIN: Final = dt.timedelta(days=1)


def _uid(change_id: str, tenant: str) -> str:
    """A UID stable per (change, tenant) that names neither."""
    digest = hashlib.sha256(f"{change_id}\x00{tenant}".encode()).hexdigest()[:32]
    return f"{digest}@{UID_DOMAIN}"


def _waves(plan: object) -> tuple[MaintenancePlan, ...]:
    """The plans in ``plan`` (one, or its waves), or our error naming the field."""
    if isinstance(plan, WavePlan):
        return plan.waves
    if isinstance(plan, MaintenancePlan):
        return (plan,)
    if isinstance(plan, RollingPlan):
        raise PolicyInputError(
            "plan",
            plan.change_id,
            "a MaintenancePlan or WavePlan",
            "a change without downtime has no window to invite to",
        )
    raise PolicyInputError("plan", plan, "a MaintenancePlan or WavePlan")


def _wave_of(plan: object, tenant: object) -> MaintenancePlan:
    """The plan (or wave) that covers ``tenant``, or our error naming the field."""
    waves = _waves(plan)
    if not isinstance(tenant, str) or not tenant:
        raise PolicyInputError("tenant", tenant, "a non-empty tenant id")
    for wave in waves:
        if tenant in wave.tenants:
            return wave
    raise PolicyInputError("tenant", tenant, "a tenant the plan covers")


def _local(instant: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """``instant`` as wall time in ``zone``, or in UTC when that wall time is the second of two.

    RFC 5545 reads a local time that a fall-back night repeats as its first occurrence, so a
    start in the repeated hour's second pass is written in UTC (``...Z``) to keep its instant.
    """
    local = instant.astimezone(zone)
    if local.replace(fold=0).astimezone(dt.UTC) != instant:
        return instant.astimezone(dt.UTC)
    return local


def _sequence(sequence: object) -> int:
    if isinstance(sequence, bool) or not isinstance(sequence, int) or sequence < 0:
        raise PolicyInputError("sequence", sequence, "a whole number >= 0")
    return sequence


def _calendar(
    plan: MaintenancePlan | WavePlan,
    tenant: str,
    policy: Policy | None,
    sequence: int,
    method: str,
) -> str:
    wave = _wave_of(plan, tenant)
    sequence = _sequence(sequence)
    zone_name = policy_or_default(policy).for_tenant(tenant).time_zone
    if zone_name is None:
        raise PolicyInputError(
            "policy", tenant, "a policy that lists the tenant with its time zone"
        )
    zone = require_zone(zone_name, f"tenant {tenant!r} time_zone")
    start = _local(wave.start, zone)
    end = _local(wave.end, zone)
    downtime = format_duration(wave.end - wave.start)
    cancelled = method == "CANCEL"

    import icalendar  # imported on first use: most services never write a calendar file

    event = icalendar.Event()
    event.add("uid", _uid(wave.change_id, tenant))
    event.add("dtstamp", wave.planned_at)
    event.add("sequence", sequence)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", f"{'Cancelled: ' if cancelled else ''}Maintenance {wave.change_id}")
    event.add(
        "description",
        f"Planned maintenance for change {wave.change_id} is cancelled."
        if cancelled
        else (
            f"Planned maintenance for change {wave.change_id}: expected downtime {downtime}, "
            f"from {wave.start.astimezone(zone):%Y-%m-%d %H:%M %Z} to "
            f"{wave.end.astimezone(zone):%Y-%m-%d %H:%M %Z} ({zone_name})."
        ),
    )
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add_component(
        icalendar.Timezone.from_tzid(
            zone_name,
            first_date=(wave.start - _MARGIN).date(),
            last_date=(wave.end + _MARGIN).date(),
        )
    )
    calendar.add_component(event)
    data: bytes = calendar.to_ical()  # typed boundary: icalendar returns bytes
    return data.decode("utf-8")


def maintenance_invite(
    plan: MaintenancePlan | WavePlan,
    tenant: str,
    policy: Policy | None = None,
    *,
    sequence: int = 0,
    method: Literal["REQUEST", "PUBLISH"] = "REQUEST",
) -> str:
    """The iCalendar invite for one tenant of a downtime plan (or of the wave it is in).

    One ``VCALENDAR`` with the ``VTIMEZONE`` of the tenant's zone and one ``VEVENT``: the
    window in that zone, a ``UID`` stable per change and tenant, ``DTSTAMP`` the plan's
    ``planned_at``. The text names the change and the tenant's own window, never another
    tenant.

    Args:
        plan: A :class:`~reliability_policy.maintenance.MaintenancePlan`, or a
            :class:`~reliability_policy.maintenance.WavePlan` (the tenant's own wave is used).
        tenant: An affected tenant of the plan.
        policy: The policy whose tenant list gives the zone (default:
            :func:`~reliability_policy.default_policy`).
        sequence: The ``SEQUENCE``: 0 for the first invite; raise it on every reschedule.
        method: The iTIP ``METHOD``, ``"REQUEST"`` or ``"PUBLISH"``.

    Returns:
        The calendar as text (CRLF line ends, as RFC 5545 writes them).

    Raises:
        PolicyInputError: a :class:`~reliability_policy.maintenance.RollingPlan` (no
            window), a tenant the plan does not cover or the policy does not list with a
            zone, a negative ``sequence`` or an unknown ``method``; the error names the field.

    .. versionadded:: 0.2.0
    """
    if method not in _METHODS:
        raise PolicyInputError("method", method, "'REQUEST' or 'PUBLISH'")
    return _calendar(plan, tenant, policy, sequence, method)


def maintenance_cancellation(
    plan: MaintenancePlan | WavePlan,
    tenant: str,
    policy: Policy | None = None,
    *,
    sequence: int,
) -> str:
    """The cancellation of a tenant's invite: ``METHOD:CANCEL``, ``STATUS:CANCELLED``.

    The ``UID`` is the invite's; ``sequence`` must be higher than the last invite's so that
    calendars apply it.

    >>> import datetime as dt
    >>> from reliability_policy import MaintenancePlan, loads_policy
    >>> policy = loads_policy("schema_version = 1", tenants={"schema_version": 1,
    ...     "tenants": [{"id": "acme", "time_zone": "Australia/Adelaide"}]})
    >>> at = dt.datetime(2026, 4, 11, 16, 30, tzinfo=dt.UTC)
    >>> plan = MaintenancePlan("CHG-2", ("acme",), at - dt.timedelta(days=10), "window",
    ...     "", at, at + dt.timedelta(hours=1), at, at)
    >>> text = maintenance_cancellation(plan, "acme", policy, sequence=1)
    >>> [line for line in text.splitlines()
    ...  if line.startswith(("METHOD", "STATUS", "SEQUENCE", "DTSTART;"))]
    ... # doctest: +NORMALIZE_WHITESPACE
    ['METHOD:CANCEL', 'DTSTART;TZID=Australia/Adelaide:20260412T020000', 'SEQUENCE:1',
     'STATUS:CANCELLED']

    Arguments and errors are as for :func:`maintenance_invite`.

    .. versionadded:: 0.2.0
    """
    return _calendar(plan, tenant, policy, sequence, "CANCEL")


def maintenance_invites(
    plan: MaintenancePlan | WavePlan,
    policy: Policy | None = None,
    *,
    sequence: int = 0,
) -> dict[str, str]:
    """Every affected tenant's invite (:func:`maintenance_invite`), by tenant id.

    For a :class:`~reliability_policy.maintenance.WavePlan`, each tenant's invite is for its
    own wave.

    .. versionadded:: 0.2.0
    """
    waves = _waves(plan)
    return {
        tenant: maintenance_invite(plan, tenant, policy, sequence=sequence)
        for wave in waves
        for tenant in wave.tenants
    }
