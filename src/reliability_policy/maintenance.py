"""Maintenance-window scheduling (SPEC section 4).

A change with customer-visible downtime must fall entirely inside the low-traffic window of
every tenant it affects, outside every freeze, with advance notice by email and in-app notice.
:func:`plan_maintenance` finds the earliest such slot; :func:`plan_waves` splits the tenants
into as few groups as it can when no single slot fits them all; :func:`go_no_go` checks the
plan again at its start. Rolling changes with no downtime need no window and no notice.

A window is *the set of instants whose local wall time lies in [start, end)* in the tenant's
own zone, so on a spring-forward night Sunday 02:00-06:00 in America/New_York lasts three real
hours, and on a fall-back night 01:00-02:00 happens twice and both are inside.

>>> import datetime as dt
>>> from reliability_policy import loads_policy
>>> policy = loads_policy("schema_version = 1", tenants={"schema_version": 1, "tenants": [
...     {"id": "acme", "time_zone": "America/New_York"},
...     {"id": "globex", "time_zone": "America/Chicago",
...      "windows": [{"day": "SUN", "start": "00:00", "end": "05:00"}]}]})
>>> request = MaintenanceRequest(
...     change_id="CHG-7", downtime=True, expected_downtime=dt.timedelta(hours=2),
...     tenants="all",
...     earliest_start=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
...     latest_start=dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
>>> plan = plan_maintenance(request, policy, now=dt.datetime(2026, 2, 20, tzinfo=dt.UTC))
>>> print(plan.start, plan.end, plan.notice_deadline, sep="\\n")
2026-03-01 07:00:00+00:00
2026-03-01 09:00:00+00:00
2026-02-22 07:00:00+00:00

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Final, Literal, Protocol

import attrs

from reliability_policy import _cover
from reliability_policy import _windows as win
from reliability_policy.defaults import policy_or_default
from reliability_policy.errors import NoFeasibleWindow, PolicyInputError, Problem
from reliability_policy.findings import Blocker
from reliability_policy.levels import Channel, Severity
from reliability_policy.policy import Freeze, Policy, RRuleWindow, Tenant, Window
from reliability_policy.serialization import converter
from reliability_policy.timing import (
    INSTANT_RANGE,
    as_utc,
    format_duration,
    format_instant,
    format_value,
    in_range,
    require_aware,
    require_utc,
    require_zone,
)

__all__ = [
    "ALL_TENANTS",
    "MAX_SEARCH",
    "RULE_COMMON",
    "RULE_FREEZE",
    "RULE_GO",
    "RULE_NOTICE",
    "RULE_NO_DOWNTIME",
    "RULE_OPEN_INCIDENT",
    "RULE_REMINDER",
    "RULE_WAVES",
    "RULE_WINDOW",
    "GoNoGo",
    "Hold",
    "MaintenanceNotice",
    "MaintenanceNoticeKind",
    "MaintenancePlan",
    "MaintenanceRequest",
    "OpenIncident",
    "RollingPlan",
    "TenantSelection",
    "WavePlan",
    "go_no_go",
    "plan_maintenance",
    "plan_waves",
]

ALL_TENANTS: Final[Literal["all"]] = "all"
"""Select every tenant the policy lists (written ``tenants = "all"`` in request documents)."""

TenantSelection = tuple[str, ...] | Literal["all"]
"""The affected tenants, as their ids or ``"all"`` for every tenant the policy lists."""

MAX_SEARCH: Final = dt.timedelta(days=366)
"""The longest span a request may search (latest minus earliest start), and the longest
expected downtime: a guard against runaway input, not a policy setting."""

# The rule names decisions and blockers carry.
RULE_NO_DOWNTIME: Final = "no-downtime"
RULE_WINDOW: Final = "maintenance-window"
RULE_NOTICE: Final = "maintenance-notice"
RULE_REMINDER: Final = "maintenance-reminder"
RULE_OPEN_INCIDENT: Final = "open-incident"
RULE_FREEZE: Final = "freeze"
RULE_COMMON: Final = "common-window"
RULE_WAVES: Final = "waves"
RULE_GO: Final = "go"

_MAX_NOTICE: Final = dt.timedelta(days=365)
"""The longest maintenance notice period a policy may set (8760h): a policy check."""
_MAX_MIN_WEEKLY: Final = dt.timedelta(weeks=1)
"""``min_weekly`` is window time in a week, so at most a week (168h)."""
_SHOWN_TENANTS: Final = 5
_SECOND: Final = dt.timedelta(seconds=1)


class OpenIncident(Protocol):
    """Anything with an ``id`` and a ``severity``: an open incident that may block maintenance.

    The lifecycle's ``Incident`` satisfies it; so does any small record a service keeps.

    .. versionadded:: 0.1.0
    """

    @property
    def id(self) -> str:
        """The incident's id."""
        ...  # pragma: no cover

    @property
    def severity(self) -> Severity | None:
        """Its current severity, or ``None`` if it has none yet."""
        ...  # pragma: no cover


@attrs.frozen
class MaintenanceRequest:
    """A request to schedule a change.

    Attributes:
        change_id: The change's id, carried into the plan.
        downtime: Whether customers see downtime (a rolling deploy does not).
        tenants: The affected tenants' ids, or ``"all"`` (:data:`ALL_TENANTS`).
        earliest_start: The earliest acceptable start.
        latest_start: The latest acceptable start.
        expected_downtime: How long customers see downtime; required when ``downtime``.

    >>> import datetime as dt
    >>> request = MaintenanceRequest("CHG-1", False, ("acme",),
    ...     dt.datetime(2026, 3, 1, tzinfo=dt.UTC), dt.datetime(2026, 3, 2, tzinfo=dt.UTC))
    >>> request.problems()
    []

    .. versionadded:: 0.1.0
    """

    change_id: str
    downtime: bool
    tenants: TenantSelection
    earliest_start: dt.datetime
    latest_start: dt.datetime
    expected_downtime: dt.timedelta | None = None

    def problems(self) -> list[Problem]:
        """Every problem with this request, each with its path (``$.latest_start``).

        .. versionadded:: 0.1.0
        """
        return list(_request_problems(self))


def _request_problems(request: MaintenanceRequest) -> Iterator[Problem]:
    if not isinstance(request.change_id, str) or not request.change_id.strip():
        yield Problem("$.change_id", "a non-empty change id", request.change_id)
    if not isinstance(request.downtime, bool):
        yield Problem("$.downtime", "true or false", request.downtime)
    yield from _selection_problems(request.tenants)
    instants: list[dt.datetime] = []
    for name in ("earliest_start", "latest_start"):
        value = getattr(request, name)
        if not isinstance(value, dt.datetime) or value.utcoffset() is None:
            yield Problem(f"$.{name}", "a timezone-aware datetime", value)
        elif not in_range(value):
            yield Problem(f"$.{name}", INSTANT_RANGE, value)
        else:
            instants.append(as_utc(value))
    if len(instants) == 2:
        earliest, latest = instants
        if latest < earliest:
            yield Problem("$.latest_start", "a latest start at or after the earliest start", latest)
        elif latest - earliest > MAX_SEARCH:
            expected = f"a latest start at most {MAX_SEARCH.days} days after the earliest start"
            yield Problem("$.latest_start", expected, latest)
    downtime = request.expected_downtime
    if not isinstance(request.downtime, bool):
        pass  # reported above; whether a downtime is expected is unknown
    elif request.downtime:
        if not isinstance(downtime, dt.timedelta) or downtime <= dt.timedelta(0):
            expected = "a positive duration such as '2h' (the change has downtime)"
            yield Problem("$.expected_downtime", expected, downtime)
        elif downtime > MAX_SEARCH:
            expected = f"a downtime of at most {MAX_SEARCH.days} days"
            yield Problem("$.expected_downtime", expected, downtime)
    elif downtime is not None:
        expected = "no expected downtime for a change without downtime (set downtime = true)"
        yield Problem("$.expected_downtime", expected, downtime)


def _selection_problems(tenants: object) -> Iterator[Problem]:
    if tenants == ALL_TENANTS:
        return
    if isinstance(tenants, str) or not isinstance(tenants, (tuple, list)):
        yield Problem("$.tenants", "a list of tenant ids, or 'all'", tenants)
        return
    if not tenants:
        yield Problem("$.tenants", "at least one tenant id, or 'all'", tenants)
    seen: set[str] = set()
    for index, tenant in enumerate(tenants):
        if not isinstance(tenant, str) or not tenant:
            yield Problem(f"$.tenants[{index}]", "a non-empty tenant id", tenant)
        elif tenant in seen:
            yield Problem(f"$.tenants[{index}]", "a tenant id listed once", tenant)
        else:
            seen.add(tenant)


class MaintenanceNoticeKind(enum.Enum):
    """What a maintenance notice is: the advance notice or the reminder before the start.

    .. versionadded:: 0.1.0
    """

    NOTICE = "notice"
    REMINDER = "reminder"


@attrs.frozen
class MaintenanceNotice:
    """A notice the embedding service must send about planned maintenance.

    Each listed tenant gets its own copy, which names no other tenant.

    Attributes:
        kind: The advance notice or the reminder.
        channel: How it is sent (email, in-app notice).
        required: Whether the channel is required (a missing best-effort notice is a warning).
        tenants: Who receives it.
        due: For a notice, the moment by which it must have gone out; for a reminder, when
            to send it.
        rule: The policy rule that asks for it.
        reason: Why, in one line.

    .. versionadded:: 0.1.0
    """

    kind: MaintenanceNoticeKind
    channel: Channel
    required: bool
    tenants: tuple[str, ...]
    due: dt.datetime
    rule: str
    reason: str


@attrs.frozen
class Hold:
    """Something open at planning time that forbids downtime while it lasts.

    :func:`go_no_go` checks it again at the planned start.

    Attributes:
        rule: The policy rule (``"open-incident"``).
        reason: One line for the operator.
        incidents: The ids of the incidents concerned.

    .. versionadded:: 0.1.0
    """

    rule: str
    reason: str
    incidents: tuple[str, ...] = ()


@attrs.frozen
class MaintenancePlan:
    """The plan for a change with customer-visible downtime (or one wave of it).

    Every time is set: a downtime plan always has its window. A change without downtime gets
    a :class:`RollingPlan` instead; :func:`plan_maintenance` returns one or the other
    (``isinstance`` tells them apart, and so does ``window_needed``).

    Attributes:
        change_id: The change.
        tenants: The affected tenants this plan covers.
        planned_at: The ``now`` the plan was made at.
        rule: The policy rule that decided it.
        reason: Why, in one line.
        start: When the downtime starts (UTC).
        end: When it ends: the start plus the expected downtime.
        notice_deadline: The last moment at which the advance notice may go out (the start
            minus the longest notice period among the tenants).
        reminder_at: When the reminder goes out.
        notices: Every notice to send: advance notices and reminders, by channel.
        holds: Open incidents that forbid downtime while they last.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       The times are always set; a change without downtime is a :class:`RollingPlan`.
    """

    change_id: str
    tenants: tuple[str, ...]
    planned_at: dt.datetime
    rule: str
    reason: str
    start: dt.datetime
    end: dt.datetime
    notice_deadline: dt.datetime
    reminder_at: dt.datetime
    notices: tuple[MaintenanceNotice, ...] = ()
    holds: tuple[Hold, ...] = ()

    @property
    def window_needed(self) -> Literal[True]:
        """Always ``True``, since a downtime plan needs a window."""
        return True


@attrs.frozen
class RollingPlan:
    """The plan for a change without customer-visible downtime: no window, no notice.

    Attributes:
        change_id: The change.
        tenants: The affected tenants.
        planned_at: The ``now`` the plan was made at.
        rule: ``"no-downtime"``.
        reason: Why, in one line.

    .. versionadded:: 0.2.0
    """

    change_id: str
    tenants: tuple[str, ...]
    planned_at: dt.datetime
    rule: str
    reason: str

    @property
    def window_needed(self) -> Literal[False]:
        """Always ``False``, since a rolling change needs no window."""
        return False


@attrs.frozen
class WavePlan:
    """A change split into waves: groups of tenants, each with its own slot.

    The waves cover every affected tenant exactly once and come in order of start.

    Attributes:
        change_id: The change.
        waves: One plan per wave.
        rule: The policy rule that decided it.
        reason: Why, in one line.
        proven_optimal: The solver proved that no plan has fewer waves, nor, with as many,
            starts earlier in total. ``False`` when the policy's ``wave_time_limit`` ran out
            first: the waves are then the fewest found by then.

    .. versionchanged:: 0.2.0
       ``proven_optimal``.

    .. versionadded:: 0.1.0
    """

    change_id: str
    waves: tuple[MaintenancePlan, ...]
    rule: str
    reason: str
    proven_optimal: bool = False


@attrs.frozen
class GoNoGo:
    """The check at a plan's start: go, or refuse and why.

    Attributes:
        change_id: The change.
        go: Whether the change may start.
        checked_at: The ``now`` of the check.
        rule: The rule that refused it (the first blocker's), or ``"go"``.
        reason: Why, in one line.
        blockers: Every reason to refuse, each naming its rule and tenants.

    .. versionchanged:: 0.2.0
       ``blockers`` are :class:`~reliability_policy.findings.Blocker` records, not strings.

    .. versionadded:: 0.1.0
    """

    change_id: str
    go: bool
    checked_at: dt.datetime
    rule: str
    reason: str
    blockers: tuple[Blocker, ...] = ()


# --- serialization ----------------------------------------------------------------------------


def _structure_selection(value: Any, _: Any) -> TenantSelection:
    if value == ALL_TENANTS:
        return ALL_TENANTS
    if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise PolicyInputError("tenants", value, "a list of tenant ids, or 'all'")


def _unstructure_selection(value: TenantSelection) -> str | list[str]:
    return ALL_TENANTS if value == ALL_TENANTS else list(value)


converter.register_structure_hook(TenantSelection, _structure_selection)
converter.register_unstructure_hook(TenantSelection, _unstructure_selection)


# --- shared machinery -------------------------------------------------------------------------


def _names(tenants: Sequence[str]) -> str:
    shown = ", ".join(tenants[:_SHOWN_TENANTS])
    if len(tenants) > _SHOWN_TENANTS:
        shown += f" and {len(tenants) - _SHOWN_TENANTS} more"
    return shown


def _at(seconds: int) -> str:
    return format_instant(win.from_seconds(seconds))


@attrs.define
class _Group:
    """Tenants that share a zone, windows, notice period and tenant-specific freezes."""

    zone: str
    windows: tuple[Window, ...]
    notice: dt.timedelta
    freezes: tuple[int, ...]
    field: str
    tenants: list[str] = attrs.Factory(list)


def _blocking_incidents(
    policy: Policy, open_incidents: Iterable[OpenIncident]
) -> list[tuple[str, Severity]]:
    try:
        items = iter(open_incidents)
    except TypeError:
        raise PolicyInputError(
            "open_incidents", open_incidents, "an iterable of incidents"
        ) from None
    found: list[tuple[str, Severity]] = []
    blocking = policy.maintenance.blocking_severities
    for item in items:
        try:
            severity, ident = item.severity, item.id
        except AttributeError:
            expected = "incidents with .id and .severity attributes"
            raise PolicyInputError("open_incidents", item, expected) from None
        if severity is not None and not isinstance(severity, Severity):
            raise PolicyInputError("open_incidents[].severity", severity, "a Severity or None")
        if severity in blocking:
            found.append((str(ident), severity))
    return found


def _incidents_text(incidents: Sequence[tuple[str, Severity]]) -> str:
    return ", ".join(f"{ident} ({severity.value})" for ident, severity in incidents)


def _resolve(policy: Policy, selection: object, field: str) -> Sequence[Tenant]:
    if selection == ALL_TENANTS:
        if not policy.tenants:
            expected = "'all' with at least one tenant listed in the policy"
            raise PolicyInputError(field, selection, expected)
        return policy.tenants
    if isinstance(selection, str) or not isinstance(selection, (tuple, list)):
        raise PolicyInputError(field, selection, "a list of tenant ids, or 'all'")
    members: list[Tenant] = []
    for tenant_id in selection:
        tenant = policy.tenant(tenant_id) if isinstance(tenant_id, str) else None
        if tenant is None:
            expected = "a tenant listed in the policy (the planner needs its time zone)"
            raise PolicyInputError(field, tenant_id, expected)
        members.append(tenant)
    return members


def _groups(policy: Policy, members: Iterable[Tenant]) -> list[_Group]:
    maintenance = policy.maintenance
    specific: dict[str, list[int]] = {}
    for index, freeze in enumerate(maintenance.freezes):
        for tenant_id in freeze.tenants:
            specific.setdefault(tenant_id, []).append(index)
    groups: dict[object, _Group] = {}
    for tenant in members:
        own = specific.get(tenant.id)
        key = (tenant.time_zone, tenant.windows, tenant.notice, own and tuple(own))
        try:
            group = groups.get(key)
        except TypeError:
            expected = "tenant terms with a tuple of windows and a duration notice"
            raise PolicyInputError(f"tenant {tenant.id!r}", tenant, expected) from None
        if group is None:
            own_windows = tenant.windows is not None
            group = groups[key] = _Group(
                zone=tenant.time_zone,
                windows=maintenance.windows if tenant.windows is None else tenant.windows,
                notice=maintenance.notice if tenant.notice is None else tenant.notice,
                freezes=tuple(own) if own else (),
                field=f"tenant {tenant.id!r} windows" if own_windows else "$.maintenance.windows",
            )
        group.tenants.append(tenant.id)
    return list(groups.values())


def _check_windows(group: _Group, min_block: dt.timedelta) -> None:
    """Refuse a group's zone or windows before any expansion.

    The loader has checked a loaded policy (:func:`policy_problems`); a policy built in code
    has not, so the planner asks the same :func:`~reliability_policy._windows.rrule_problem`
    (the one RRULE check) and names the tenant's windows in the error.
    """
    require_zone(group.zone, f"tenant {group.tenants[0]!r} time_zone")
    if not group.windows:
        raise PolicyInputError(group.field, group.windows, "at least one low-traffic window")
    for index, window in enumerate(group.windows):
        if isinstance(window, RRuleWindow):
            problem = win.rrule_problem(window.rrule, min_block)
            if problem is not None:
                raise PolicyInputError(f"{group.field}[{index}].rrule", window.rrule, problem)
            duration = window.duration
            if not isinstance(duration, dt.timedelta) or not (
                dt.timedelta(0) < duration <= win.MAX_WINDOW_DURATION
            ):
                expected = "a positive duration of at most 168h (one week)"
                raise PolicyInputError(f"{group.field}[{index}].duration", duration, expected)


def _freeze_intervals(freeze: Freeze, index: int, zone: str, day0: int, day1: int) -> win.Intervals:
    field = f"$.maintenance.freezes[{index}]"
    start, end = freeze.start, freeze.end
    if isinstance(start, dt.datetime) and isinstance(end, dt.datetime):
        low = win.to_seconds(require_aware(start, f"{field}.start"))
        high = win.to_seconds_ceil(require_aware(end, f"{field}.end"))
        return ((low, high),) if low < high else ()
    start_is_date = isinstance(start, dt.date) and not isinstance(start, dt.datetime)
    end_is_date = isinstance(end, dt.date) and not isinstance(end, dt.datetime)
    if start_is_date and end_is_date:
        return win.dates_to_instants(zone, start, end, day0, day1)  # () when reversed
    raise PolicyInputError(f"{field}.end", end, "the same kind as start (both dates or instants)")


def _freeze_text(freeze: Freeze) -> str:
    start, end = freeze.start, freeze.end
    span = (
        f"{format_instant(start)} to {format_instant(end)}"
        if isinstance(start, dt.datetime) and isinstance(end, dt.datetime)
        else f"{start} to {end} (local dates)"
    )
    return f"the freeze {freeze.reason!r} ({span})" if freeze.reason else f"the freeze {span}"


class _Search:
    """One planning call: the groups, the bounds in POSIX seconds, and cached interval lists."""

    def __init__(
        self,
        policy: Policy,
        groups: list[_Group],
        *,
        now: dt.datetime,
        earliest: dt.datetime,
        latest: dt.datetime,
        length: dt.timedelta,
    ) -> None:
        self.policy = policy
        self.groups = groups
        self.now = now
        self.earliest = win.to_seconds_ceil(earliest)
        self.latest = win.to_seconds(latest)
        self.duration = length
        self.length = -(-length // _SECOND)
        self.now_s = win.to_seconds_ceil(now)
        first = max(self.earliest, self.now_s)
        self.day0 = first // win.DAY - 1
        self.day1 = max(first, self.latest + self.length) // win.DAY + 2
        self._zone_freezes: dict[str, win.Intervals] = {}
        self._allowed: dict[int, win.Intervals] = {}
        self._available: dict[int, win.Intervals] = {}
        for group in groups:
            _check_windows(group, policy.maintenance.min_block)

    def notice_end(self, group: _Group) -> int:
        """The first second at which the group's notice period has passed."""
        return win.to_seconds_ceil(self.now + group.notice)

    def low(self, group: _Group) -> int:
        """The earliest whole-minute start this group allows: earliest start and notice."""
        return win.ceil_minute(max(self.earliest, self.notice_end(group)))

    def common_low(self, groups: Iterable[_Group]) -> int:
        return max(self.low(group) for group in groups)

    def allowed(self, group: _Group) -> win.Intervals:
        """The group's windows as UTC intervals over the horizon."""
        found = self._allowed.get(id(group))
        if found is None:
            try:
                found = win.zone_windows(group.zone, group.windows, self.day0, self.day1)
            except PolicyInputError as error:  # an RRULE with too many starts in this horizon
                # the error names "windows[i].rrule": the same window, under the group's field
                field = group.field + error.field.removeprefix("windows")
                raise PolicyInputError(field, error.value, error.expected) from None
            self._allowed[id(group)] = found
        return found

    def frozen(self, group: _Group) -> win.Intervals:
        """The freezes that apply to the group, as UTC intervals."""
        freezes = self.policy.maintenance.freezes
        common = self._zone_freezes.get(group.zone)
        if common is None:
            common = win.merge(
                interval
                for index, freeze in enumerate(freezes)
                if not freeze.tenants
                for interval in _freeze_intervals(freeze, index, group.zone, self.day0, self.day1)
            )
            self._zone_freezes[group.zone] = common
        if not group.freezes:
            return common
        own = [
            interval
            for index in group.freezes
            for interval in _freeze_intervals(
                freezes[index], index, group.zone, self.day0, self.day1
            )
        ]
        return win.merge([*common, *own])

    def available(self, group: _Group) -> win.Intervals:
        """The group's windows minus its freezes."""
        found = self._available.get(id(group))
        if found is None:
            found = win.subtract(self.allowed(group), self.frozen(group))
            self._available[id(group)] = found
        return found

    def common(self, groups: Sequence[_Group]) -> win.Intervals:
        """The instants available to every group."""
        ordered = sorted((self.available(g) for g in groups), key=len)
        result = ordered[0]
        for intervals in ordered[1:]:
            if not result:
                break
            result = win.intersect(result, intervals)
        return result

    def earliest_start(self, groups: Sequence[_Group]) -> int | None:
        low = self.common_low(groups)
        if low > self.latest:
            return None
        return win.earliest_fit(self.common(groups), low, self.latest, self.length)

    # --- explaining an infeasible request -----------------------------------------------------

    def blockers(self, groups: Sequence[_Group]) -> list[Blocker]:
        """Which tenants and which constraint stop every slot."""
        found: list[Blocker] = []
        low = self.common_low(groups)
        latest, length = self.latest, self.length
        span = f"between {_at(low)} and {_at(latest)}"
        if low > latest:
            late = [g for g in groups if self.notice_end(g) > latest]
            if not late:
                reason = f"no whole minute lies between the earliest and the latest start {span}"
                everyone = tuple(t for g in groups for t in g.tenants)
                return [Blocker(RULE_WINDOW, everyone, reason)]
            notice = max(g.notice for g in late)
            reason = (
                f"the latest start {_at(latest)} is earlier than now ({_at(self.now_s)}) plus "
                f"their {format_duration(notice)} notice period"
            )
            found.append(Blocker(RULE_NOTICE, tuple(t for g in late for t in g.tenants), reason))
            return found
        for group in groups:
            if win.earliest_fit(self.allowed(group), low, latest, length) is None:
                reason = (
                    f"no low-traffic window in {group.zone} {span} is long enough for "
                    f"{format_duration(dt.timedelta(seconds=length))} of downtime"
                )
                found.append(Blocker(RULE_WINDOW, tuple(group.tenants), reason))
            elif win.earliest_fit(self.available(group), low, latest, length) is None:
                reason = self._freeze_reason(group)
                found.append(Blocker(RULE_FREEZE, tuple(group.tenants), reason))
        if found:
            return found
        ordered = sorted(
            groups,
            key=lambda g: win.earliest_fit(self.available(g), low, latest, length) or 0,
        )
        running = self.available(ordered[0])
        included = list(ordered[0].tenants)
        for group in ordered[1:]:
            joined = win.intersect(running, self.available(group))
            if win.earliest_fit(joined, low, latest, length) is None:
                reason = (
                    f"their windows in {group.zone} share no slot {span} with those of "
                    f"{_names(included)}; plan_waves can split them"
                )
                found.append(Blocker(RULE_COMMON, tuple(group.tenants), reason))
                break
            running = joined
            included.extend(group.tenants)
        return found

    def _freeze_reason(self, group: _Group) -> str:
        freezes = self.policy.maintenance.freezes
        indices = [i for i, f in enumerate(freezes) if not f.tenants] + list(group.freezes)
        allowed = win.clip(self.allowed(group), self.common_low([group]), self.latest + self.length)
        names = [
            _freeze_text(freezes[i])
            for i in sorted(indices)
            if win.intersect(
                allowed,
                win.merge(_freeze_intervals(freezes[i], i, group.zone, self.day0, self.day1)),
            )
        ]
        # never empty: the window that fits lies inside [low, latest + length] and is frozen
        return "every window that fits is inside " + "; ".join(names)

    def infeasible(self, change_id: str, groups: Sequence[_Group]) -> NoFeasibleWindow:
        blockers = self.blockers(groups)
        message = (
            f"No maintenance slot for change {change_id!r} fits every affected tenant by the "
            f"latest start {_at(self.latest)}: " + "; ".join(map(str, blockers))
        )
        return NoFeasibleWindow(message, blockers)

    # --- building the plan --------------------------------------------------------------------

    def plan(
        self, change_id: str, groups: Sequence[_Group], start: int, holds: tuple[Hold, ...]
    ) -> MaintenancePlan:
        policy = self.policy
        begin = win.from_seconds(start)
        end = begin + self.duration
        tenants: list[str] = []
        by_notice: dict[dt.timedelta, list[str]] = {}
        for group in groups:
            tenants.extend(group.tenants)
            by_notice.setdefault(group.notice, []).extend(group.tenants)
        everyone = tuple(tenants)
        channels = _channels(policy)
        notices: list[MaintenanceNotice] = []
        for notice in sorted(by_notice, reverse=True):
            who = tuple(by_notice[notice])  # the tenants with this notice period, and no other
            reason = f"advance notice at least {format_duration(notice)} before the start"
            notices.extend(
                MaintenanceNotice(
                    MaintenanceNoticeKind.NOTICE,
                    channel,
                    required,
                    who,
                    begin - notice,
                    RULE_NOTICE,
                    reason,
                )
                for channel, required in channels
            )
        reminder = policy.maintenance.reminder
        reminder_reason = f"a reminder {format_duration(reminder)} before the start"
        notices.extend(
            MaintenanceNotice(
                MaintenanceNoticeKind.REMINDER,
                channel,
                required,
                everyone,
                begin - reminder,
                RULE_REMINDER,
                reminder_reason,
            )
            for channel, required in channels
        )
        low = self.common_low(groups)
        longest = max(by_notice)
        bound = (
            f"now plus the {format_duration(longest)} notice period"
            if win.to_seconds_ceil(self.now + longest) > self.earliest
            else "the earliest start requested"
        )
        zones = len({group.zone for group in groups})
        reason = (
            f"the earliest start at or after {_at(low)} ({bound}) that keeps "
            f"{format_duration(end - begin)} of downtime inside the low-traffic window of "
            f"{len(everyone)} tenant(s) in {zones} zone(s) and outside every freeze"
        )
        return MaintenancePlan(
            change_id=change_id,
            tenants=everyone,
            planned_at=self.now,
            rule=RULE_WINDOW,
            reason=reason,
            start=begin,
            end=end,
            notice_deadline=begin - longest,
            reminder_at=begin - reminder,
            notices=tuple(notices),
            holds=holds,
        )


def _channels(policy: Policy) -> list[tuple[Channel, bool]]:
    """The channels of maintenance notices (``maintenance.channels``), each one required."""
    return [(channel, True) for channel in Channel if channel in policy.maintenance.channels]


def _holds(policy: Policy, open_incidents: Iterable[OpenIncident]) -> tuple[Hold, ...]:
    incidents = _blocking_incidents(policy, open_incidents)
    if not incidents:
        return ()
    reason = (
        f"open incident(s) {_incidents_text(incidents)} forbid downtime maintenance while they "
        "are open; go_no_go checks again at the start"
    )
    return (Hold(RULE_OPEN_INCIDENT, reason, tuple(ident for ident, _ in incidents)),)


def _checked(request: object) -> MaintenanceRequest:
    """The request, checked."""
    if not isinstance(request, MaintenanceRequest):
        raise PolicyInputError("request", request, "a MaintenanceRequest")
    for name in ("earliest_start", "latest_start"):
        require_aware(getattr(request, name), f"request.{name}")
    for problem in request.problems():
        raise PolicyInputError(f"request.{problem.path[2:]}", problem.value, problem.expected)
    return request  # its instants are read as POSIX seconds, whatever their zone


def _rolling(request: MaintenanceRequest, policy: Policy, now: dt.datetime) -> RollingPlan:
    if request.tenants == ALL_TENANTS:
        tenants = tuple(tenant.id for tenant in policy.tenants)
    else:
        tenants = tuple(request.tenants)
    return RollingPlan(
        change_id=request.change_id,
        tenants=tenants,
        planned_at=now,
        rule=RULE_NO_DOWNTIME,
        reason="no customer-visible downtime: no window and no notice needed",
    )


def _search(request: MaintenanceRequest, policy: Policy, now: dt.datetime) -> _Search:
    members = _resolve(policy, request.tenants, "request.tenants")
    length = request.expected_downtime
    assert length is not None  # _checked refuses a downtime change without one
    return _Search(
        policy,
        _groups(policy, members),
        now=now,
        earliest=request.earliest_start,
        latest=request.latest_start,
        length=length,
    )


# --- the public functions ---------------------------------------------------------------------


def plan_maintenance(
    request: MaintenanceRequest,
    policy: Policy | None = None,
    *,
    now: dt.datetime,
    open_incidents: Iterable[OpenIncident] = (),
) -> MaintenancePlan | RollingPlan:
    """Plan a change: the earliest slot inside every affected tenant's window, and the notices.

    For a change with downtime, the start is the earliest whole minute at or after the
    request's earliest start and at or after ``now`` plus the longest notice period among the
    affected tenants, such that the whole downtime lies inside every affected tenant's
    low-traffic window (in its own zone) and outside every freeze that applies to it. The
    plan says by when the notice must go out, when the reminder goes, and to whom. Open
    SEV-1/SEV-2 incidents do not move the slot (they may be over by then); they are listed
    as holds, and :func:`go_no_go` refuses while they are open.

    Args:
        request: The change.
        policy: The policy (default: :func:`~reliability_policy.default_policy`).
        now: The current instant.
        open_incidents: Incidents open now (anything with ``.id`` and ``.severity``).

    Returns:
        A :class:`MaintenancePlan` with its window; for a change without downtime, a
        :class:`RollingPlan` (no window, no notice).

    Raises:
        NoFeasibleWindow: no slot fits before the latest start; its ``blockers`` name the
            tenants and the constraint (notice, window, freeze or common window).
        PolicyInputError: a bad request or ``now``, or a tenant the policy does not list
            (the planner needs each tenant's zone).

    >>> import datetime as dt
    >>> from reliability_policy import loads_policy
    >>> policy = loads_policy("schema_version = 1", tenants={"schema_version": 1,
    ...     "tenants": [{"id": "umbrella", "time_zone": "Asia/Kathmandu"}]})
    >>> request = MaintenanceRequest("CHG-9", True, ("umbrella",),
    ...     dt.datetime(2026, 4, 1, tzinfo=dt.UTC), dt.datetime(2026, 5, 1, tzinfo=dt.UTC),
    ...     expected_downtime=dt.timedelta(hours=1))
    >>> plan = plan_maintenance(request, policy, now=dt.datetime(2026, 3, 20, tzinfo=dt.UTC))
    >>> import zoneinfo
    >>> plan.start.isoformat()
    '2026-04-04T20:15:00+00:00'
    >>> plan.start.astimezone(zoneinfo.ZoneInfo("Asia/Kathmandu")).isoformat()
    '2026-04-05T02:00:00+05:45'
    >>> [(n.kind.value, n.channel.value, n.due.isoformat()) for n in plan.notices]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('notice', 'email', '2026-03-28T20:15:00+00:00'),
     ('notice', 'in_app', '2026-03-28T20:15:00+00:00'),
     ('reminder', 'email', '2026-04-03T20:15:00+00:00'),
     ('reminder', 'in_app', '2026-04-03T20:15:00+00:00')]

    .. versionadded:: 0.1.0
    """
    policy = policy_or_default(policy)
    now = require_utc(now, "now")
    request = _checked(request)
    holds = _holds(policy, open_incidents)
    if not request.downtime:
        return _rolling(request, policy, now)
    search = _search(request, policy, now)
    start = search.earliest_start(search.groups)
    if start is None:
        raise search.infeasible(request.change_id, search.groups)
    return search.plan(request.change_id, search.groups, start, holds)


def plan_waves(
    request: MaintenanceRequest,
    policy: Policy | None = None,
    *,
    now: dt.datetime,
    open_incidents: Iterable[OpenIncident] = (),
) -> WavePlan | RollingPlan:
    """Split a change into waves when one slot cannot serve every tenant.

    Each wave is a group of tenants with a slot that fits all of them (as
    :func:`plan_maintenance` plans it); the waves partition the affected tenants. The plan
    has the fewest waves possible and, among plans with that many, the least total of their
    start times; each tenant goes in the earliest wave whose slot fits it. The candidate slots
    are the first starts that the groups of tenants sharing a zone, windows, notice and
    freezes allow; a set-cover integer program over them is solved with HiGHS, starting from
    the greedy cover (the slot serving the most tenants not yet served, again and again), and
    the plan says whether the solver proved it optimal within the policy's
    ``maintenance.wave_time_limit``. Past that limit the plan has the fewest waves found by
    then, never more than the greedy cover, and is marked not proven.

    Args:
        request: The change.
        policy: The policy (default: :func:`~reliability_policy.default_policy`).
        now: The current instant.
        open_incidents: Incidents open now (anything with ``.id`` and ``.severity``).

    Returns:
        The waves in order of start, and whether they are proven the fewest; for a change
        without downtime, a :class:`RollingPlan`.

    Raises:
        NoFeasibleWindow: some tenants have no slot of their own before the latest start.
        PolicyInputError: as for :func:`plan_maintenance`.

    >>> import datetime as dt
    >>> from reliability_policy import loads_policy
    >>> policy = loads_policy("schema_version = 1", tenants={"schema_version": 1, "tenants": [
    ...     {"id": "tokyo", "time_zone": "Asia/Tokyo"},
    ...     {"id": "nyc", "time_zone": "America/New_York"}]})
    >>> request = MaintenanceRequest("CHG-3", True, "all",
    ...     dt.datetime(2026, 6, 1, tzinfo=dt.UTC), dt.datetime(2026, 7, 1, tzinfo=dt.UTC),
    ...     expected_downtime=dt.timedelta(hours=3))
    >>> waves = plan_waves(request, policy, now=dt.datetime(2026, 5, 1, tzinfo=dt.UTC))
    >>> [(w.tenants, w.start.isoformat()) for w in waves.waves]
    [(('tokyo',), '2026-06-06T17:00:00+00:00'), (('nyc',), '2026-06-07T06:00:00+00:00')]

    .. versionadded:: 0.1.0
    """
    policy = policy_or_default(policy)
    now = require_utc(now, "now")
    request = _checked(request)
    holds = _holds(policy, open_incidents)
    if not request.downtime:
        return _rolling(request, policy, now)
    search = _search(request, policy, now)
    groups = search.groups
    ranges = [
        win.start_ranges(search.available(g), search.low(g), search.latest, search.length)
        for g in groups
    ]
    stuck = [g for g, r in zip(groups, ranges, strict=True) if not r]
    if stuck:
        blockers = [b for g in stuck for b in search.blockers([g])]
        message = (
            f"No maintenance slot for change {request.change_id!r} fits these tenants even on "
            f"their own by the latest start {_at(search.latest)}: " + "; ".join(map(str, blockers))
        )
        raise NoFeasibleWindow(message, blockers)
    slots = _slots(ranges)
    limit = policy.maintenance.wave_time_limit
    cover = _fewest_cover(groups, slots, limit)
    waves: list[tuple[int, list[_Group]]] = []
    for members in _assign(groups, slots, cover.chosen):
        start = search.earliest_start(members)
        assert start is not None  # the slot fits every member
        waves.append((start, members))
    waves.sort(key=lambda wave: (wave[0], wave[1][0].tenants[0]))
    plans = tuple(search.plan(request.change_id, members, start, holds) for start, members in waves)
    proven = cover.proven or len(plans) == 1  # one wave, at the earliest common start
    if len(plans) == 1:
        reason = "one slot fits every affected tenant"
    elif proven:
        reason = (
            f"no single slot fits every affected tenant; {len(plans)} waves, the fewest "
            "possible, and of those the earliest starts (proven by the HiGHS solver)"
        )
    else:
        reason = (
            f"no single slot fits every affected tenant; {len(plans)} waves, the fewest found "
            f"within the wave_time_limit of {format_duration(limit)} (not proven the fewest)"
        )
    return WavePlan(request.change_id, plans, RULE_WAVES, reason, proven_optimal=proven)


_Slot = tuple[int, frozenset[int]]
"""A candidate wave start (POSIX seconds) and the groups (indices) it fits."""


def _slots(ranges: Sequence[win.Intervals]) -> list[_Slot]:
    """The candidate slots, in order of time: each first start of a group's start ranges.

    Any set of groups that share a start also share the latest of their ranges' first starts
    before it, so these slots hold every wave there can be.
    """
    events: list[tuple[int, int, int]] = []
    for index, group_ranges in enumerate(ranges):
        for first, last in group_ranges:
            events.append((first, 0, index))
            events.append((last, 1, index))
    events.sort()  # at one instant, ranges that start come before ranges that end (closed)
    active: set[int] = set()
    slots: dict[int, frozenset[int]] = {}  # in order of time; the last start at an instant
    for at, kind, index in events:  # holds every range that starts there
        if kind == 0:
            active.add(index)
            slots[at] = frozenset(active)
        else:
            active.discard(index)
    return list(slots.items())


def _greedy_cover(groups: Sequence[_Group], slots: Sequence[_Slot]) -> list[int]:
    """Greedy set cover: again and again, the slot serving the most tenants not yet served
    (the earliest on a tie). The solver starts from it; it is never far off the fewest."""
    sizes = [len(group.tenants) for group in groups]
    uncovered = set(range(len(groups)))
    chosen: list[int] = []
    while uncovered:
        best, best_weight = 0, 0
        for number, (_, fits) in enumerate(slots):
            weight = sum(sizes[i] for i in fits if i in uncovered)
            if weight > best_weight:
                best, best_weight = number, weight
        chosen.append(best)
        uncovered -= slots[best][1]
    return chosen


def _fewest_cover(
    groups: Sequence[_Group], slots: Sequence[_Slot], limit: dt.timedelta
) -> _cover.Cover:
    """The fewest slots fitting every group, then the least total start time (minutes)."""
    first = slots[0][0]
    return _cover.fewest_sets(
        [sorted(fits) for _, fits in slots],
        len(groups),
        [(at - first) // 60 for at, _ in slots],
        _greedy_cover(groups, slots),
        limit.total_seconds(),
    )


def _assign(
    groups: Sequence[_Group], slots: Sequence[_Slot], chosen: Iterable[int]
) -> list[list[_Group]]:
    """Each group in the earliest chosen slot that fits it; slots left empty are dropped."""
    waves: dict[int, list[_Group]] = {}
    ordered = sorted(chosen)  # slots are in order of time
    for index, group in enumerate(groups):
        number = next(n for n in ordered if index in slots[n][1])
        waves.setdefault(number, []).append(group)
    return [waves[number] for number in sorted(waves)]


def go_no_go(
    plan: MaintenancePlan | RollingPlan,
    policy: Policy | None = None,
    *,
    now: dt.datetime,
    open_incidents: Iterable[OpenIncident],
) -> GoNoGo:
    """Check a plan again at its start: refuse while a blocking incident is open or a freeze
    or the windows forbid the downtime.

    The downtime checked is the plan's, starting at the planned start or ``now`` if later.
    It is refused when an open incident has a blocking severity (SEV-1 or SEV-2 by default);
    when a freeze that applies to a tenant (one declared since planning included) overlaps
    it; or when it no longer lies inside every tenant's window (a late start, or windows that
    changed since planning).

    Args:
        plan: The plan made by :func:`plan_maintenance` (or one wave of :func:`plan_waves`).
        policy: The policy in force now (default: :func:`~reliability_policy.default_policy`).
        now: The current instant.
        open_incidents: Incidents open now (anything with ``.id`` and ``.severity``).

    Returns:
        Go, or no-go with every blocker.

    Raises:
        PolicyInputError: a bad plan or ``now``, or a plan tenant the policy no longer lists.

    >>> import datetime as dt
    >>> from reliability_policy import loads_policy
    >>> policy = loads_policy("schema_version = 1", tenants={"schema_version": 1,
    ...     "tenants": [{"id": "acme", "time_zone": "Europe/Berlin"}]})
    >>> request = MaintenanceRequest("CHG-5", True, ("acme",),
    ...     dt.datetime(2026, 9, 1, tzinfo=dt.UTC), dt.datetime(2026, 9, 30, tzinfo=dt.UTC),
    ...     expected_downtime=dt.timedelta(hours=1))
    >>> plan = plan_maintenance(request, policy, now=dt.datetime(2026, 8, 1, tzinfo=dt.UTC))
    >>> go_no_go(plan, policy, now=plan.start, open_incidents=()).go
    True

    .. versionadded:: 0.1.0
    """
    policy = policy_or_default(policy)
    now = require_utc(now, "now")
    if not isinstance(plan, (MaintenancePlan, RollingPlan)):
        raise PolicyInputError("plan", plan, "a MaintenancePlan or RollingPlan")
    incidents = _blocking_incidents(policy, open_incidents)
    if isinstance(plan, RollingPlan):
        reason = "no customer-visible downtime: no window needed"
        return GoNoGo(plan.change_id, True, now, RULE_NO_DOWNTIME, reason)
    # In UTC, end - start is elapsed time even when a stored plan comes back in a local zone.
    planned_start = require_utc(plan.start, "plan.start")
    planned_end = require_utc(plan.end, "plan.end")
    if planned_end <= planned_start:
        raise PolicyInputError("plan", plan, "a plan with a start before its end")
    blockers: list[Blocker] = []
    if incidents:
        reason = f"open incident(s) {_incidents_text(incidents)} forbid downtime maintenance"
        blockers.append(Blocker(RULE_OPEN_INCIDENT, tuple(plan.tenants), reason))
    start = max(now, planned_start)
    length = planned_end - planned_start
    search = _Search(
        policy,
        _groups(policy, _resolve(policy, plan.tenants, "plan.tenants")),
        now=now,
        earliest=start,
        latest=start,
        length=length,
    )
    low = win.to_seconds(start)
    high = low + search.length
    downtime = f"the downtime {_at(low)} to {_at(high)}"
    for group in search.groups:
        if not win.contains(search.allowed(group), low, high):
            reason = f"{downtime} is not inside their low-traffic window in {group.zone}"
            blockers.append(Blocker(RULE_WINDOW, tuple(group.tenants), reason))
    freezes = policy.maintenance.freezes
    for index, freeze in enumerate(freezes):
        hit = [
            tenant
            for group in search.groups
            if not freeze.tenants or index in group.freezes
            if win.intersect(
                ((low, high),),
                win.merge(_freeze_intervals(freeze, index, group.zone, search.day0, search.day1)),
            )
            for tenant in group.tenants
        ]
        if hit:
            reason = f"{_freeze_text(freeze)} overlaps {downtime}"
            blockers.append(Blocker(RULE_FREEZE, tuple(hit), reason))
    if blockers:
        first = blockers[0]
        reason = f"no-go: {len(blockers)} blocker(s); first: {first}"
        return GoNoGo(plan.change_id, False, now, first.rule, reason, tuple(blockers))
    reason = (
        f"no blocking incident open, no freeze, and {downtime} lies inside every affected "
        "tenant's window"
    )
    return GoNoGo(plan.change_id, True, now, RULE_GO, reason)


# --- the policy check -------------------------------------------------------------------------


def _window_problems(
    windows: tuple[Window, ...], path: str, min_block: dt.timedelta
) -> list[Problem]:
    """Each window on its own: a weekly window is not empty, an RRULE is usable and lasts at
    most a week."""
    problems: list[Problem] = []
    for i, window in enumerate(windows):
        if isinstance(window, RRuleWindow):
            problem = win.rrule_problem(window.rrule, min_block)
            if problem is not None:
                problems.append(Problem(f"{path}[{i}].rrule", problem, window.rrule))
            duration = window.duration
            if not isinstance(duration, dt.timedelta) or duration <= dt.timedelta(0):
                # the loader never builds one, but a policy built in code may hold it
                expected = "a positive duration of at most 168h (one week)"
                found = format_value(duration) if isinstance(duration, dt.timedelta) else duration
                problems.append(Problem(f"{path}[{i}].duration", expected, found))
            elif duration > win.MAX_WINDOW_DURATION:
                expected = (
                    f"a window of at most {format_duration(win.MAX_WINDOW_DURATION)} (one week)"
                )
                problems.append(Problem(f"{path}[{i}].duration", expected, format_value(duration)))
        elif window.start == window.end:
            problems.append(
                Problem(
                    f"{path}[{i}].end", "an end different from the start", format_value(window.end)
                )
            )
    return problems


def _freeze_problems(freezes: Iterable[Freeze], path: str) -> Iterator[Problem]:
    for i, freeze in enumerate(freezes):
        start, end = freeze.start, freeze.end
        if isinstance(start, dt.datetime) != isinstance(end, dt.datetime):
            yield Problem(f"{path}[{i}].end", "the same kind as start (date or instant)", end)
            continue
        # the loader never builds naive instants, but a policy built in code may hold them
        naive = False
        for key, value in (("start", start), ("end", end)):
            if isinstance(value, dt.datetime) and value.utcoffset() is None:
                yield Problem(f"{path}[{i}].{key}", "a timezone-aware instant", value)
                naive = True
        if not naive and end < start:
            yield Problem(f"{path}[{i}].end", "an end at or after the start", end)


def _room_problems(
    windows: tuple[Window, ...], path: str, min_block: dt.timedelta, min_weekly: dt.timedelta
) -> Iterator[Problem]:
    """The windows leave at least ``min_weekly`` a week in blocks of at least ``min_block``."""
    try:
        room = win.weekly_room(windows, min_block // _SECOND)
    except PolicyInputError as error:  # a window that runs away over the weeks measured
        # the error names "$.windows[i].rrule": the same window, under this path
        yield Problem(path + error.field.removeprefix("$.windows"), error.expected, error.value)
        return
    if room < min_weekly // _SECOND:
        expected = (
            f"windows giving at least {format_duration(min_weekly)} a week in blocks of at "
            f"least {format_duration(min_block)}"
        )
        found = format_duration(dt.timedelta(seconds=room)) if room else "0m"
        value = f"{found} a week in such blocks"
        if any(isinstance(window, RRuleWindow) for window in windows):
            value += f" in its weakest week (of {win.ROOM_WEEKS} measured)"
        yield Problem(path, expected, value)


def _windows_problems(policy: Policy, windows: tuple[Window, ...], path: str) -> Iterator[Problem]:
    if not windows:
        yield Problem(path, "at least one low-traffic window", [])
        return
    problems = _window_problems(windows, path, policy.maintenance.min_block)
    yield from problems
    if not problems:
        maintenance = policy.maintenance
        yield from _room_problems(windows, path, maintenance.min_block, maintenance.min_weekly)


def policy_problems(policy: Policy) -> Iterator[Problem]:
    """The checks of a policy's ``maintenance`` section and tenant windows, run by the loader.

    Every window is usable (a weekly window is not empty; an RRULE passes
    :func:`~reliability_policy._windows.rrule_problem`: read part by part, no COUNT or UNTIL,
    it occurs, and its windows start at least ``min_block`` apart; it lasts a positive time
    of at most a week), the default windows and each tenant's own leave at least
    ``min_weekly`` a week in blocks of at least ``min_block``, freezes end after they start,
    the reminder comes before the notice, a notice period is at most a year (8760h),
    ``min_weekly`` at most a week, and a tenant's notice only tightens the policy's.

    The room is measured in wall time over the weeks from 3 January 2000 (RRULE windows
    repeat with the calendar, so their room then is their room in any year, but for rules
    tied to leap days or to ISO week 53); a plan that finds no window in its horizon says so
    with :class:`~reliability_policy.errors.NoFeasibleWindow`.

    >>> from reliability_policy import default_policy
    >>> list(policy_problems(default_policy()))
    []

    .. versionadded:: 0.1.0
    """
    maintenance = policy.maintenance
    yield from _windows_problems(policy, maintenance.windows, "$.maintenance.windows")
    yield from _freeze_problems(maintenance.freezes, "$.maintenance.freezes")
    for key in ("notice", "reminder"):
        value = getattr(maintenance, key)
        if value > _MAX_NOTICE:
            expected = f"at most {format_duration(_MAX_NOTICE)} (a year)"
            yield Problem(f"$.maintenance.{key}", expected, format_value(value))
    if maintenance.min_weekly > _MAX_MIN_WEEKLY:
        expected = f"at most {format_duration(_MAX_MIN_WEEKLY)} (a whole week)"
        yield Problem("$.maintenance.min_weekly", expected, format_value(maintenance.min_weekly))
    if maintenance.reminder >= maintenance.notice:
        expected = f"a reminder shorter than the notice period {format_value(maintenance.notice)!r}"
        yield Problem("$.maintenance.reminder", expected, format_value(maintenance.reminder))
    if not maintenance.channels:
        yield Problem("$.maintenance.channels", "at least one channel", [])
    if Channel.STATUS_PAGE in maintenance.channels:
        expected = "tenant-facing channels (the status page is not a notice to a tenant)"
        yield Problem(
            "$.maintenance.channels", expected, sorted(c.value for c in maintenance.channels)
        )
    if maintenance.min_block > maintenance.min_weekly:
        expected = f"at most min_weekly {format_value(maintenance.min_weekly)!r}"
        yield Problem("$.maintenance.min_block", expected, format_value(maintenance.min_block))
    for i, tenant in enumerate(policy.tenants):
        path = f"$.tenants[{i}]"
        if tenant.notice is not None and tenant.notice > _MAX_NOTICE:
            expected = f"at most {format_duration(_MAX_NOTICE)} (a year)"
            yield Problem(f"{path}.notice", expected, format_value(tenant.notice))
        elif tenant.notice is not None and tenant.notice < maintenance.notice:
            expected = (
                f"at least the policy's {format_value(maintenance.notice)!r} "
                "(an override may only tighten)"
            )
            yield Problem(f"{path}.notice", expected, format_value(tenant.notice))
        if tenant.windows is not None:
            yield from _windows_problems(policy, tenant.windows, f"{path}.windows")
