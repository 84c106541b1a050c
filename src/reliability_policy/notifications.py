"""Customer notification cadence: what each tenant is owed, when, and an audit of what was sent.

SPEC section 3. Every number comes from ``policy.notifications`` (the cadence per severity, the
channels, the fallback, the notification list) and ``policy.calendar`` (business days for the
post-resolution summary). The functions work on :class:`CommunicationFacts`, a small immutable
projection of an incident, or directly on a :class:`~reliability_policy.lifecycle.Incident`:

>>> import datetime as dt
>>> from reliability_policy import Severity
>>> t0 = dt.datetime(2026, 3, 9, 14, 0, tzinfo=dt.UTC)
>>> facts = CommunicationFacts(
...     incident_id="INC-1",
...     severities=(SeverityPoint(t0, Severity.SEV_1),),
...     scope_confirmed_at=t0,
...     scope=(TenantScope("t-001", t0),),
... )
>>> owed = next_due(facts, now=t0)
>>> owed.kind.value, owed.tenant, owed.due.isoformat(), owed.rule
('first_notice', 't-001', '2026-03-09T14:30:00+00:00', 'first-notice')

Rules, each a stable name carried by every :class:`Obligation`:

* ``first-notice``: due ``first_notice`` after scope confirmed, or after the tenant was added
  to the scope if that is later;
* ``ongoing-update``: due ``update_interval`` after the last notice to that addressee while the
  incident is open; escalation shortens the clock at once (the earlier of the old due time and
  escalation time + the new interval), de-escalation to a severity without a cadence (SEV-3)
  ends it;
* ``resolution-notice``: due ``resolution_notice`` after RESOLVED, for every addressee ever
  notified (or whose first notice came due), using the cadence of the *highest* severity the
  incident reached, so a late de-escalation never shortens or cancels it;
* ``post-resolution-summary``: for material incidents, the ``summary`` calendar span after
  RESOLVED counted in the policy's business calendar
  (:meth:`~reliability_policy.policy.BusinessCalendar.after`).

Email (``required_channels``) is what counts; in-app (``best_effort_channels``) missing is a
warning. A notice on the policy's ``fallback`` channel counts while the required channel's
subprocessor is down (a :class:`ChannelOutage`, or a notice that says ``fallback_for``).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import zoneinfo
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Final, NamedTuple, Protocol

import attrs
from cattrs.gen import override

from reliability_policy import serialization
from reliability_policy._templates import TemplateProblem, render, template_fields
from reliability_policy._validate import (
    aware,
    instances_of,
    nonempty_text,
    optional_aware,
    to_audience,
    to_channel,
    to_fallback_for,
    to_notice_kind,
    to_optional_severity,
)
from reliability_policy.defaults import policy_or_default
from reliability_policy.errors import PolicyConfigError, PolicyInputError, Problem
from reliability_policy.findings import DueStatus, Finding, FindingLevel
from reliability_policy.levels import Channel, Severity
from reliability_policy.lifecycle import Audience, Incident, IncidentKind, NoticeKind
from reliability_policy.policy import Cadence, Policy
from reliability_policy.security import (
    TenantRouting,
    Track,
    ordinary_notice_flags,
    route_security_incident,
)
from reliability_policy.timing import (
    CalendarSpan,
    SpanUnit,
    as_utc,
    format_duration,
    format_instant,
    format_value,
    require_utc,
)

__all__ = [
    "RULE_BEST_EFFORT",
    "RULE_FIRST_NOTICE",
    "RULE_RESOLUTION",
    "RULE_SUMMARY",
    "RULE_UPDATE",
    "AuditReport",
    "ChannelOutage",
    "CommunicationFacts",
    "NoticeDraft",
    "Obligation",
    "SentNotice",
    "SeverityPoint",
    "TenantResult",
    "TenantScope",
    "audit",
    "communication_facts",
    "draft_notice",
    "next_due",
    "next_due_per_addressee",
    "obligations",
    "policy_problems",
]

RULE_FIRST_NOTICE: Final = "first-notice"
"""Rule name. The first notice is due ``first_notice`` after scope confirmed (or tenant added)."""
RULE_UPDATE: Final = "ongoing-update"
"""Rule name. An update is due ``update_interval`` after the last notice while open."""
RULE_RESOLUTION: Final = "resolution-notice"
"""Rule name. A resolution notice is due ``resolution_notice`` after RESOLVED."""
RULE_SUMMARY: Final = "post-resolution-summary"
"""Rule name. Material incidents owe a summary within ``summary`` business days of RESOLVED."""
RULE_BEST_EFFORT: Final = "best-effort-channel"
"""Rule name. A best-effort channel (in-app) should accompany each notice; missing is a warning."""

_SCHEMA_VERSION: Final = 1
_AUDIENCES: Final = (Audience.AFFECTED_TENANTS, Audience.NOTIFICATION_LIST)


# --- validators ---------------------------------------------------------------------------------


def _tenant_ids(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple):
        raise PolicyInputError(attribute.name, value, "a tuple of tenant ids")
    if not _all_nonempty_text(value):  # then find the first bad one, item by item
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item:
                expected = "a non-empty tenant id"
                raise PolicyInputError(f"{attribute.name}[{index}]", item, expected)
    if len(set(value)) != len(value):
        raise PolicyInputError(attribute.name, value, "each tenant at most once")


def _all_nonempty_text(value: tuple[object, ...]) -> bool:
    """Every item is a non-empty ``str``, checked at C speed (a notice may name 10,000).

    ``False`` sends the caller to its item-by-item check, which also accepts subclasses.
    """
    return set(map(type, value)) <= {str} and "" not in value


def _items(value: object) -> frozenset[str]:
    """A notice's content items: non-empty strings, as a frozen set."""
    if isinstance(value, str) or not isinstance(value, (frozenset, set, tuple, list)):
        raise PolicyInputError("content", value, "a set of content item names")
    for item in value:
        if not isinstance(item, str) or not item:
            raise PolicyInputError("content", item, "a non-empty content item name")
    return value if isinstance(value, frozenset) else frozenset(value)


def _bool(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, bool):
        raise PolicyInputError(attribute.name, value, "True or False")


# --- the projection ---------------------------------------------------------------------------


@attrs.frozen
class SeverityPoint:
    """The incident's severity from ``at`` on (``None``: no severity, nothing proactive).

    .. versionadded:: 0.1.0
    """

    at: dt.datetime = attrs.field(validator=aware)
    severity: Severity | None = attrs.field(converter=to_optional_severity)


def _scope_valid(inst: TenantScope, _: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    removed = require_utc(value, "removed_at")
    if removed < inst.added_at:
        raise PolicyInputError("removed_at", value, f"an instant at or after {inst.added_at}")


@attrs.frozen
class TenantScope:
    """One affected tenant: when it was added to the scope and, if so, when it was removed.

    .. versionadded:: 0.1.0
    """

    tenant: str = attrs.field(validator=nonempty_text)
    added_at: dt.datetime = attrs.field(validator=aware)
    removed_at: dt.datetime | None = attrs.field(default=None, validator=_scope_valid)


@attrs.frozen
class SentNotice:
    """A notice that went out.

    Attributes:
        id: The notice's (event) id.
        at: When it was sent.
        channel: The channel used.
        kind: First notice, update, resolution or summary (DPA notices are ignored here).
        audience: Affected tenants or the notification list (other audiences are ignored).
        tenants: The addressees.
        fallback_for: The required channel it stood in for, if its subprocessor was down.
        content: The content items it carried (``policy.notifications.content`` says which
            items each kind must carry; a notice lacking one does not meet its obligation).

    .. versionchanged:: 0.2.0
       ``content``.

    .. versionadded:: 0.1.0
    """

    id: str = attrs.field(validator=nonempty_text)
    at: dt.datetime = attrs.field(validator=aware)
    channel: Channel = attrs.field(converter=to_channel)
    kind: NoticeKind = attrs.field(converter=to_notice_kind)
    audience: Audience = attrs.field(converter=to_audience)
    tenants: tuple[str, ...] = attrs.field(validator=_tenant_ids)
    fallback_for: Channel | None = attrs.field(default=None, converter=to_fallback_for)
    content: frozenset[str] = attrs.field(default=frozenset(), converter=_items)


def _outage_valid(inst: ChannelOutage, _: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    end = require_utc(value, "end")
    if end < inst.start:
        raise PolicyInputError("end", value, f"an instant at or after {inst.start}")


@attrs.frozen
class ChannelOutage:
    """A channel's subprocessor was down from ``start`` until ``end`` (``None``: still down).

    .. versionadded:: 0.1.0
    """

    channel: Channel = attrs.field(converter=to_channel)
    start: dt.datetime = attrs.field(validator=aware)
    end: dt.datetime | None = attrs.field(default=None, validator=_outage_valid)

    def covers(self, instant: dt.datetime) -> bool:
        """Whether the channel was down at ``instant``."""
        return self.start <= instant and (self.end is None or instant < self.end)


def _unique_tenants(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    instances_of(TenantScope)(_, attribute, value)
    assert isinstance(value, tuple)
    seen: set[str] = set()
    for entry in value:
        if entry.tenant in seen:
            raise PolicyInputError("scope", entry.tenant, "each tenant at most once")
        seen.add(entry.tenant)


def _instants(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple):
        raise PolicyInputError(attribute.name, value, "a tuple of aware datetimes")
    for index, item in enumerate(value):
        require_utc(item, f"{attribute.name}[{index}]")


@attrs.frozen
class CommunicationFacts:
    """What the notification rules need to know about one incident.

    Build it by hand, or from an incident with :func:`communication_facts`.

    Attributes:
        incident_id: The incident.
        severities: The severity timeline, each point valid from its time on.
        scope_confirmed_at: When scope was confirmed (the clock starts); ``None``: not yet.
        scope: Every tenant ever affected, with when it was added and removed.
        resolved_at: The latest RESOLVED, or ``None`` while the incident is open.
        reopened_at: When the incident was reopened by a regression. A reopen changes no
            clock: the update chain runs on from the last notice (a reopen's clock, its time
            plus the interval, is never earlier), so it counts only as an instant of the
            record (:meth:`last_instant`).
        dpa_track: The incident is, or was, on the DPA track: ordinary notices must leave
            security details out (decided by
            :func:`~reliability_policy.security.ordinary_notice_flags`).
        notices: Every notice sent.
        outages: Channel subprocessor outages.

    .. versionadded:: 0.1.0
    """

    incident_id: str = attrs.field(validator=nonempty_text)
    severities: tuple[SeverityPoint, ...] = attrs.field(validator=instances_of(SeverityPoint))
    scope_confirmed_at: dt.datetime | None = attrs.field(validator=optional_aware)
    scope: tuple[TenantScope, ...] = attrs.field(validator=_unique_tenants)
    resolved_at: dt.datetime | None = attrs.field(default=None, validator=optional_aware)
    reopened_at: tuple[dt.datetime, ...] = attrs.field(default=(), validator=_instants)
    dpa_track: bool = attrs.field(default=False, validator=_bool)
    notices: tuple[SentNotice, ...] = attrs.field(default=(), validator=instances_of(SentNotice))
    outages: tuple[ChannelOutage, ...] = attrs.field(
        default=(), validator=instances_of(ChannelOutage)
    )

    def last_instant(self) -> dt.datetime | None:
        """The latest instant the facts mention (what an audit without ``now`` judges at)."""
        times: list[dt.datetime] = [p.at for p in self.severities]
        times.extend(n.at for n in self.notices)
        times.extend(self.reopened_at)
        for scope in self.scope:
            times.append(scope.added_at)
            if scope.removed_at is not None:
                times.append(scope.removed_at)
        for outage in self.outages:
            times.append(outage.start)
            if outage.end is not None:
                times.append(outage.end)
        for single in (self.scope_confirmed_at, self.resolved_at):
            if single is not None:
                times.append(single)
        return max(times, default=None)


# --- decisions ----------------------------------------------------------------------------------


@attrs.frozen(weakref_slot=False)
class Obligation:
    """One notice owed to one addressee, with its status as of ``now``.

    Attributes:
        incident_id: The incident.
        tenant: The one addressee (an obligation never names another tenant).
        audience: Affected tenants or the notification list.
        kind: First notice, update, resolution or summary.
        due: When it is due.
        severity: The severity whose cadence set the due time.
        status: Pending, met on time, met late, or missed (overdue and not sent).
        met_at: When the notice that met it went out.
        notice_id: The id of that notice.
        late_by: For a late one, exactly how late; ``None`` otherwise.
        required_channels: Channels that count (email).
        best_effort_channels: Channels whose absence is a warning (in-app).
        no_security_details: The incident is on the DPA track: leave security details out.
        rule: The policy rule.
        reason: One line saying why.
        missing_items: For an obligation not met, the required content items
            (``policy.notifications.content``) that the latest notice sent for it lacked;
            such a notice does not meet it. Empty otherwise.

    .. versionchanged:: 0.2.0
       ``missing_items``.

    .. versionadded:: 0.1.0
    """

    incident_id: str
    tenant: str
    audience: Audience
    kind: NoticeKind
    due: dt.datetime
    severity: Severity
    status: DueStatus
    met_at: dt.datetime | None
    notice_id: str | None
    late_by: dt.timedelta | None
    required_channels: frozenset[Channel]
    best_effort_channels: frozenset[Channel]
    no_security_details: bool
    rule: str
    reason: str
    missing_items: tuple[str, ...] = ()


class _Values(Protocol):
    """Where a :class:`TenantResult` takes its obligations and findings from."""

    def obligations_of(self, tenant: str) -> tuple[Obligation, ...]: ...

    def breaches_of(self, tenant: str) -> tuple[Finding, ...]: ...

    def warnings_of(self, tenant: str) -> tuple[Finding, ...]: ...


@attrs.frozen
class _Listed:
    """A :class:`TenantResult` with its values listed one by one.

    The shape of its document, and how a result built by hand (or read from a document) keeps
    its values.
    """

    tenant: str
    audience: Audience
    compliant: bool
    obligations: tuple[Obligation, ...]
    breaches: tuple[Finding, ...]
    warnings: tuple[Finding, ...]

    def obligations_of(self, tenant: str) -> tuple[Obligation, ...]:
        return self.obligations

    def breaches_of(self, tenant: str) -> tuple[Finding, ...]:
        return self.breaches

    def warnings_of(self, tenant: str) -> tuple[Finding, ...]:
        return self.warnings


@attrs.frozen(init=False, eq=False, repr=False)
class TenantResult:
    """One addressee's obligations and findings; it mentions no other tenant.

    Attributes:
        tenant: The addressee.
        audience: Affected tenants or the notification list.
        compliant: No breaches (warnings allowed).

    An audit gives the addressees on one schedule (the same clock and the same notices) one
    shared record of it; each result keeps its tenant and that record and builds
    ``obligations``, ``breaches`` and ``warnings`` each time they are read, so an audit of
    10,000 tenants holds 10,000 small results, not half a million obligations. Read them once
    into a variable when you use them often. Results compare, hash and serialize by their
    values, however they are kept.

    .. versionchanged:: 0.2.0
       ``obligations``, ``breaches`` and ``warnings`` are built when read.

    .. versionadded:: 0.1.0
    """

    tenant: str
    audience: Audience
    compliant: bool
    _values: _Values

    def __init__(
        self,
        tenant: str,
        audience: Audience,
        compliant: bool,
        obligations: tuple[Obligation, ...],
        breaches: tuple[Finding, ...],
        warnings: tuple[Finding, ...],
    ) -> None:
        listed = _Listed(tenant, audience, compliant, obligations, breaches, warnings)
        self.__attrs_init__(tenant, audience, compliant, listed)

    @classmethod
    def _sharing(cls, tenant: str, audience: Audience, schedule: _Schedule) -> TenantResult:
        """The result of one addressee on ``schedule``, keeping the schedule (no copy)."""
        result = cls.__new__(cls)
        result.__attrs_init__(tenant, audience, not schedule.breach_count, schedule)
        return result

    @property
    def obligations(self) -> tuple[Obligation, ...]:
        """Its obligations, sorted by due time."""
        return self._values.obligations_of(self.tenant)

    @property
    def breaches(self) -> tuple[Finding, ...]:
        """Its late or missed obligations."""
        return self._values.breaches_of(self.tenant)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """Its missing best-effort (in-app) notices."""
        return self._values.warnings_of(self.tenant)

    def _listed(self) -> _Listed:
        return _Listed(
            self.tenant,
            self.audience,
            self.compliant,
            self.obligations,
            self.breaches,
            self.warnings,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TenantResult):
            return NotImplemented
        return self._listed() == other._listed()

    def __hash__(self) -> int:
        return hash(self._listed())

    def __repr__(self) -> str:
        return "TenantResult" + repr(self._listed()).removeprefix("_Listed")


@attrs.frozen
class _ListedReport:
    """An :class:`AuditReport` with every value listed: the shape of its document."""

    schema_version: int
    incident_id: str
    as_of: dt.datetime
    compliant: bool
    breaches: tuple[Finding, ...]
    warnings: tuple[Finding, ...]
    tenants: tuple[TenantResult, ...]
    summary: str
    dpa_deadlines: tuple[TenantRouting, ...] = ()


@attrs.frozen(eq=False, repr=False)
class AuditReport:
    """An incident's communication record judged against the policy.

    Attributes:
        schema_version: The document format version.
        incident_id: The incident.
        as_of: The instant the record was judged at.
        compliant: No breaches (warnings allowed).
        tenants: Per-addressee results.
        summary: Lines a post-incident review can paste.
        dpa_deadlines: For a security incident on the DPA track (audited from its
            :class:`~reliability_policy.lifecycle.Incident`), each affected tenant's DPA
            routing from :func:`~reliability_policy.security.route_security_incident`, kept
            apart from the ordinary notices; empty otherwise. ``compliant`` judges the
            ordinary cadence only.

    ``breaches`` and ``warnings`` (below) may be given as ``None``, as :func:`audit` gives
    them: each is then built from ``tenants`` when read, every tenant's own in order. Reports
    compare, hash and serialize by their values, however they are kept.

    .. versionchanged:: 0.2.0
       ``breaches`` and ``warnings`` may be given as ``None``: built from ``tenants``.

    .. versionadded:: 0.1.0
    """

    schema_version: int
    incident_id: str
    as_of: dt.datetime
    compliant: bool
    _breaches: tuple[Finding, ...] | None = attrs.field(alias="breaches")
    _warnings: tuple[Finding, ...] | None = attrs.field(alias="warnings")
    tenants: tuple[TenantResult, ...]
    summary: str
    dpa_deadlines: tuple[TenantRouting, ...] = ()

    @property
    def breaches(self) -> tuple[Finding, ...]:
        """Late or missed obligations, tenant by tenant (built when read, unless given)."""
        if self._breaches is not None:
            return self._breaches
        return tuple([found for result in self.tenants for found in result.breaches])

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """Missing best-effort (in-app) notices, tenant by tenant (built like ``breaches``)."""
        if self._warnings is not None:
            return self._warnings
        return tuple([found for result in self.tenants for found in result.warnings])

    def _listed(self) -> _ListedReport:
        return _ListedReport(
            self.schema_version,
            self.incident_id,
            self.as_of,
            self.compliant,
            self.breaches,
            self.warnings,
            self.tenants,
            self.summary,
            self.dpa_deadlines,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AuditReport):
            return NotImplemented
        return self._listed() == other._listed()

    def __hash__(self) -> int:
        return hash(self._listed())

    def __repr__(self) -> str:
        return "AuditReport" + repr(self._listed()).removeprefix("_ListedReport")


def _unstructure_elapsed(value: dt.timedelta | None) -> float | int | None:
    if value is None:
        return None
    seconds = value.total_seconds()
    return int(seconds) if seconds.is_integer() else seconds


def _structure_elapsed(value: Any, _: Any) -> dt.timedelta | None:
    if value is None:
        return None
    expected = "a number of seconds (0 or more), or null"
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
        raise PolicyInputError("late_by", value, expected)  # not NaN either
    try:
        return dt.timedelta(seconds=value)
    except OverflowError:  # infinity, or more than timedelta holds
        raise PolicyInputError("late_by", value, expected) from None


_ELAPSED: Final = override(struct_hook=_structure_elapsed, unstruct_hook=_unstructure_elapsed)
serialization.register_class(Obligation, {"late_by": _ELAPSED})


def _structure_result(value: Any, _: Any) -> TenantResult:
    if not isinstance(value, Mapping):
        raise PolicyInputError("TenantResult", value, "a table (a JSON object)")
    listed = serialization.converter.structure(value, _Listed)
    return TenantResult(
        listed.tenant,
        listed.audience,
        listed.compliant,
        listed.obligations,
        listed.breaches,
        listed.warnings,
    )


def _structure_report(value: Any, _: Any) -> AuditReport:
    if not isinstance(value, Mapping):
        raise PolicyInputError("AuditReport", value, "a table (a JSON object)")
    listed = serialization.converter.structure(value, _ListedReport)
    return AuditReport(**attrs.asdict(listed, recurse=False))


# Results keep shared values, but their documents list every value, as they always did.
serialization.converter.register_structure_hook(TenantResult, _structure_result)
serialization.converter.register_unstructure_hook(
    TenantResult, lambda result: serialization.converter.unstructure(result._listed(), _Listed)
)
serialization.converter.register_structure_hook(AuditReport, _structure_report)
serialization.converter.register_unstructure_hook(
    AuditReport,
    lambda report: serialization.converter.unstructure(report._listed(), _ListedReport),
)


# --- the engine ---------------------------------------------------------------------------------


@attrs.define
class _Open:
    """An obligation not yet met, while its chain is walked."""

    kind: NoticeKind
    created: dt.datetime
    by_notice: bool
    due: dt.datetime
    severity: Severity
    rule: str
    reason: str = ""
    why: str = ""
    interval: dt.timedelta | None = None
    missing: tuple[str, ...] = ()  # items the latest notice sent for it lacked

    def explain(self, who: str, fmt: _Formats) -> str:
        """The one-line reason, built only when an obligation is reported.

        The text is made once per record and names no tenant: records (and their text) are
        shared by every addressee with the same schedule, and the obligation says whose it is.
        """
        if not self.reason and self.interval is not None:
            what = "first notice" if self.kind is NoticeKind.FIRST_NOTICE else "update"
            self.reason = (
                f"{self.severity.value}: {what} to {who} due {fmt.duration(self.interval)} "
                f"after {self.why} ({fmt.instant(self.at)})"
            )
        return self.reason

    @property
    def at(self) -> dt.datetime:
        """When the clock that set the due time started."""
        assert self.interval is not None
        return self.due - self.interval


class _Formats:
    """Formatted instants and durations, cached: many addressees share the same times."""

    def __init__(self) -> None:
        self._instants: dict[dt.datetime, str] = {}
        self._durations: dict[dt.timedelta, str] = {}

    def instant(self, value: dt.datetime) -> str:
        text = self._instants.get(value)
        if text is None:
            text = self._instants[value] = format_instant(value)
        return text

    def duration(self, value: dt.timedelta) -> str:
        text = self._durations.get(value)
        if text is None:
            text = self._durations[value] = format_duration(value)
        return text


@attrs.frozen
class _Context:
    facts: CommunicationFacts
    policy: Policy
    now: dt.datetime
    changes: tuple[SeverityPoint, ...]
    change_times: tuple[dt.datetime, ...]
    highest: Severity | None
    resolved_at: dt.datetime | None
    required: frozenset[Channel]
    best_effort: frozenset[Channel]
    fmt: _Formats = attrs.field(factory=_Formats)
    intervals: dict[tuple[bool, str, bool], dt.timedelta | None] = attrs.field(factory=dict)

    def severity_at(self, instant: dt.datetime) -> Severity | None:
        index = bisect.bisect_right(self.change_times, instant)
        return self.changes[index - 1].severity if index else None


def _facts(subject: object, policy: Policy, now: dt.datetime | None) -> CommunicationFacts:
    if isinstance(subject, CommunicationFacts):
        return _in_utc(subject)
    if isinstance(subject, Incident):
        return _in_utc(_communication_facts(subject, policy, now))
    raise PolicyInputError("incident", subject, "an Incident or CommunicationFacts")


def _maybe_utc(instant: dt.datetime | None) -> dt.datetime | None:
    return None if instant is None else as_utc(instant)


def _in_utc(facts: CommunicationFacts) -> CommunicationFacts:
    """The same facts with every instant in UTC.

    Python adds a timedelta to an aware datetime in wall-clock time within its zone; policy
    durations are elapsed time, so every sum is made in UTC. Facts already in UTC (as
    :func:`communication_facts` gives them) are returned as they are.
    """
    if _all_utc(facts):
        return facts
    return CommunicationFacts(
        incident_id=facts.incident_id,
        severities=tuple(SeverityPoint(as_utc(p.at), p.severity) for p in facts.severities),
        scope_confirmed_at=_maybe_utc(facts.scope_confirmed_at),
        scope=tuple(
            TenantScope(s.tenant, as_utc(s.added_at), _maybe_utc(s.removed_at)) for s in facts.scope
        ),
        resolved_at=_maybe_utc(facts.resolved_at),
        reopened_at=tuple(as_utc(t) for t in facts.reopened_at),
        dpa_track=facts.dpa_track,
        notices=tuple(
            attrs.evolve(n, at=as_utc(n.at)) if n.at.tzinfo is not dt.UTC else n
            for n in facts.notices
        ),
        outages=tuple(
            ChannelOutage(o.channel, as_utc(o.start), _maybe_utc(o.end)) for o in facts.outages
        ),
    )


def _all_utc(facts: CommunicationFacts) -> bool:
    utc = dt.UTC
    singles = (facts.scope_confirmed_at, facts.resolved_at)
    return (
        all(p.at.tzinfo is utc for p in facts.severities)
        and all(t is None or t.tzinfo is utc for t in singles)
        and all(
            s.added_at.tzinfo is utc and (s.removed_at is None or s.removed_at.tzinfo is utc)
            for s in facts.scope
        )
        and all(t.tzinfo is utc for t in facts.reopened_at)
        and all(n.at.tzinfo is utc for n in facts.notices)
        and all(
            o.start.tzinfo is utc and (o.end is None or o.end.tzinfo is utc) for o in facts.outages
        )
    )


def _context(facts: CommunicationFacts, policy: Policy, now: dt.datetime) -> _Context:
    changes = tuple(sorted((p for p in facts.severities if p.at <= now), key=lambda p: p.at))
    levels = [p.severity for p in changes if p.severity is not None]
    resolved = facts.resolved_at if facts.resolved_at and facts.resolved_at <= now else None
    notifications = policy.notifications
    return _Context(
        facts=facts,
        policy=policy,
        now=now,
        changes=changes,
        change_times=tuple(p.at for p in changes),
        highest=max(levels) if levels else None,
        resolved_at=resolved,
        required=notifications.required_channels,
        best_effort=notifications.best_effort_channels,
    )


def _counts(ctx: _Context, notice: SentNotice) -> bool:
    """Whether ``notice`` counts for a required channel (directly or as its fallback)."""
    if notice.channel in ctx.required:
        return True
    fallback = ctx.policy.notifications.fallback
    for channel in ctx.required:
        if fallback.get(channel) is not notice.channel:
            continue
        if notice.fallback_for is channel:
            return True
        if any(o.channel is channel and o.covers(notice.at) for o in ctx.facts.outages):
            return True
    return False


@attrs.frozen
class _Mailbox:
    """One addressee's notices as of ``now``, sorted by time."""

    counting: list[SentNotice] = attrs.Factory(list)
    best_effort: list[dt.datetime] = attrs.Factory(list)


def _mailboxes(ctx: _Context) -> dict[Audience, dict[str, _Mailbox]]:
    """Each addressee's mailbox, by audience; addressees who got the very same notices share one.

    Notices sent to the same list of tenants form a group, so the cost is one step per
    group a tenant belongs to, not one per notice (a broadcast to 10,000 tenants is common).
    """
    ordered = sorted((n for n in ctx.facts.notices if n.at <= ctx.now), key=lambda n: n.at)
    groups: dict[tuple[Audience, tuple[str, ...]], list[int]] = {}
    flags: list[tuple[bool, bool]] = []
    for position, notice in enumerate(ordered):
        counting = effort = False
        if notice.audience in _AUDIENCES and notice.kind is not NoticeKind.DPA_NOTICE:
            counting = _counts(ctx, notice)
            effort = notice.channel in ctx.best_effort
        flags.append((counting, effort))
        if counting or effort:
            groups.setdefault((notice.audience, notice.tenants), []).append(position)
    members: dict[Audience, dict[str, list[int]]] = {audience: {} for audience in _AUDIENCES}
    group_positions: list[list[int]] = []
    for number, ((audience, tenants), positions) in enumerate(groups.items()):
        group_positions.append(positions)
        by_tenant = members[audience]
        for tenant in tenants:
            seen = by_tenant.get(tenant)
            if seen is None:
                by_tenant[tenant] = [number]
            else:
                seen.append(number)
    shared: dict[tuple[int, ...], _Mailbox] = {}
    boxes: dict[Audience, dict[str, _Mailbox]] = {audience: {} for audience in _AUDIENCES}
    for audience, by_tenant in members.items():
        own = boxes[audience]
        for tenant, numbers in by_tenant.items():
            signature = tuple(numbers)
            box = shared.get(signature)
            if box is None:
                box = shared[signature] = _Mailbox()
                merged = sorted(p for n in numbers for p in group_positions[n])
                for position in merged:
                    counting, effort = flags[position]
                    if counting:
                        box.counting.append(ordered[position])
                    if effort:
                        box.best_effort.append(ordered[position].at)
            own[tenant] = box
    return boxes


def _interval(
    ctx: _Context, audience: Audience, severity: Severity, kind: NoticeKind
) -> dt.timedelta | None:
    key = (audience is Audience.NOTIFICATION_LIST, severity.value, kind is NoticeKind.FIRST_NOTICE)
    if key not in ctx.intervals:
        ctx.intervals[key] = _looked_up(ctx, audience, severity, kind)
    return ctx.intervals[key]


def _looked_up(
    ctx: _Context, audience: Audience, severity: Severity, kind: NoticeKind
) -> dt.timedelta | None:
    notifications = ctx.policy.notifications
    if (
        audience is Audience.NOTIFICATION_LIST
        and severity not in notifications.notification_list_severities
    ):
        return None
    cadence = notifications.cadence(severity)
    return cadence.first_notice if kind is NoticeKind.FIRST_NOTICE else cadence.update_interval


def _who(audience: Audience) -> str:
    if audience is Audience.NOTIFICATION_LIST:
        return "the listed customer"
    return "the tenant"


_Tail = tuple[
    Audience,
    NoticeKind,
    dt.datetime,
    Severity,
    DueStatus,
    dt.datetime | None,
    str | None,
    dt.timedelta | None,
    frozenset[Channel],
    frozenset[Channel],
    bool,
    str,
    str,
    tuple[str, ...],
]
"""An :class:`Obligation`'s fields after ``incident_id`` and ``tenant``."""

_FindingTail = tuple[FindingLevel, str, str]
"""A :class:`~reliability_policy.findings.Finding`'s level, rule and reason (shared by a
schedule; the tenant is each addressee's own)."""


class _Row(NamedTuple):
    """One reported record of a schedule: the obligation, its breach and its warning."""

    tail: _Tail
    breach: _FindingTail | None
    warning: _FindingTail | None


@attrs.frozen(eq=False)
class _Schedule:
    """What the addressees on one schedule share: their rows without the tenant.

    Rows are sorted by due time. A :class:`TenantResult` keeps the schedule and fills in its
    own tenant when its obligations or findings are read.
    """

    incident_id: str
    rows: tuple[_Row, ...]
    counts: dict[DueStatus, int]
    breach_count: int
    warning_count: int
    worst_delay: dt.timedelta | None

    def obligations_of(self, tenant: str) -> tuple[Obligation, ...]:
        incident = self.incident_id
        return tuple([Obligation(incident, tenant, *row.tail) for row in self.rows])

    def breaches_of(self, tenant: str) -> tuple[Finding, ...]:
        if not self.breach_count:
            return ()
        return tuple([_finding(tenant, row.breach) for row in self.rows if row.breach])

    def warnings_of(self, tenant: str) -> tuple[Finding, ...]:
        if not self.warning_count:
            return ()
        return tuple([_finding(tenant, row.warning) for row in self.rows if row.warning])


def _finding(tenant: str, found: _FindingTail) -> Finding:
    level, rule, reason = found
    return Finding(rule, tenant, reason, level)


class _Chain:
    """Walks one schedule's clock: first notice, then updates, then resolution and summary.

    A schedule is an audience, a clock start and stop, and a mailbox; every addressee with the
    same three shares the chain, which names no tenant.
    """

    def __init__(
        self,
        ctx: _Context,
        audience: Audience,
        start: dt.datetime,
        stop: dt.datetime | None,
        box: _Mailbox,
    ) -> None:
        self.ctx = ctx
        self.audience = audience
        self.start = start
        self.stop = stop
        self.box = box
        self.records: list[tuple[_Open, SentNotice | None]] = []
        self.notified = False
        self.warnings: dict[int, str | None] = {}  # record index -> warning reason
        self._schedule: _Schedule | None = None
        self.walk()
        self.closing()

    def _new(
        self, kind: NoticeKind, at: dt.datetime, by_notice: bool, severity: Severity, why: str
    ) -> _Open | None:
        interval = _interval(self.ctx, self.audience, severity, kind)
        if interval is None:
            return None
        rule = RULE_FIRST_NOTICE if kind is NoticeKind.FIRST_NOTICE else RULE_UPDATE
        return _Open(kind, at, by_notice, at + interval, severity, rule, why=why, interval=interval)

    def _shorten(self, current: _Open | None, at: dt.datetime) -> _Open | None:
        """The open obligation once the severity changed at ``at`` (to its last change there)."""
        if current is not None and current.due < at:
            return current  # already overdue: nothing can make it earlier or cancel it
        severity = self.ctx.severity_at(at)
        if severity is None:
            return None
        kind = current.kind if current is not None else self._next_kind()
        by_notice = current is not None and current.by_notice
        why = f"the change to {severity.value}"
        candidate = self._new(kind, at, by_notice, severity, why)
        if candidate is None:
            return None  # de-escalated to a severity with no cadence: the clock stops
        if current is None:
            return candidate
        if candidate.due < current.due:
            return attrs.evolve(candidate, created=current.created, missing=current.missing)
        return current

    def walk(self) -> None:
        ctx = self.ctx
        ends = [t for t in (ctx.resolved_at, self.stop) if t is not None]  # both as of now
        end = min(ends) if ends else None
        # (time, order, index): severity changes, then notices, then the end.
        stream: list[tuple[dt.datetime, int, int]] = []
        for point in ctx.changes:
            if point.at > self.start and (end is None or point.at < end):
                stream.append((point.at, 0, 0))
        summary = NoticeKind.SUMMARY
        for index, notice in enumerate(self.box.counting):
            if notice.at >= self.start and notice.kind is not summary:
                stream.append((notice.at, 2, index))
        if end is not None:
            stream.append((end, 3, 0))
        stream.sort()

        severity = ctx.severity_at(self.start)
        current: _Open | None = None
        if severity is not None:
            current = self._new(NoticeKind.FIRST_NOTICE, self.start, False, severity, self._began())
        closed = False
        for at, order, payload in stream:
            if order == 0:
                current = self._shorten(current, at)
            elif order == 2:
                notice = self.box.counting[payload]
                kind = current.kind if current is not None else self._next_kind()
                lacking = self._lacking(kind, notice)
                if lacking:  # an incomplete notice meets nothing and starts no clock
                    if current is not None:
                        current.missing = lacking
                    continue
                self.notified = True
                if current is not None:
                    self.records.append((current, notice))
                    current = None
                if not closed:
                    now_level = ctx.severity_at(at)
                    if now_level is not None:
                        current = self._new(
                            NoticeKind.UPDATE, at, True, now_level, "the last notice"
                        )
            elif order == 3:
                closed = True
                if current is not None and current.due >= at:
                    current = None  # the incident resolved (or the tenant left) first
        if current is not None:
            self.records.append((current, None))

    def _next_kind(self) -> NoticeKind:
        return NoticeKind.UPDATE if self.notified else NoticeKind.FIRST_NOTICE

    def _lacking(self, kind: NoticeKind, notice: SentNotice) -> tuple[str, ...]:
        """The items ``notice`` would need to carry to meet an obligation of ``kind``."""
        required = self.ctx.policy.notifications.content.required(kind.value)
        if not required:
            return ()
        return tuple([item for item in required if item not in notice.content])

    def _began(self) -> str:
        if self.start == self.ctx.facts.scope_confirmed_at:
            return "scope confirmed"
        return "the tenant joined the scope"

    def owes_closing(self) -> bool:
        """Whether resolution and summary notices are owed to this addressee: it was notified,
        or a notice fell due before its clock stopped (a record without a notice is one: an
        obligation not yet due when the clock stops is dropped, so it never becomes a record).
        """
        return self.notified or bool(self.records)

    def closing(self) -> None:
        ctx = self.ctx
        resolved, highest = ctx.resolved_at, ctx.highest
        if resolved is None or highest is None or not self.owes_closing():
            return
        if (
            self.audience is Audience.NOTIFICATION_LIST
            and highest not in ctx.policy.notifications.notification_list_severities
        ):
            return
        cadence: Cadence = ctx.policy.notifications.cadence(highest)
        who = _who(self.audience)
        when = format_instant(resolved)
        if cadence.resolution_notice is not None:
            reason = (
                f"{highest.value} (highest reached): resolution notice to {who} due "
                f"{format_duration(cadence.resolution_notice)} after RESOLVED ({when})"
            )
            owed = _Open(
                NoticeKind.RESOLUTION,
                resolved,
                False,
                resolved + cadence.resolution_notice,
                highest,
                RULE_RESOLUTION,
                reason,
            )
            self.records.append((owed, self._first(owed, resolved)))
        if cadence.summary is not None and highest in ctx.policy.severity.material:
            calendar = ctx.policy.calendar
            reason = (
                f"{highest.value} is material: post-resolution summary to {who} due within "
                f"{cadence.summary} of RESOLVED ({when}) in {calendar.time_zone}"
            )
            owed = _Open(
                NoticeKind.SUMMARY,
                resolved,
                False,
                calendar.after(resolved, cadence.summary),
                highest,
                RULE_SUMMARY,
                reason,
            )
            self.records.append((owed, self._first(owed, resolved)))

    def _first(self, owed: _Open, since: dt.datetime) -> SentNotice | None:
        """The first notice of ``owed``'s kind since ``since`` that carries its items.

        An earlier one lacking items leaves them in ``owed.missing``.
        """
        kind = owed.kind
        for notice in self.box.counting:
            if notice.kind is kind and notice.at >= since:
                lacking = self._lacking(kind, notice)
                if not lacking:
                    return notice
                owed.missing = lacking
        return None

    def schedule(self) -> _Schedule:
        """The reported rows, sorted by due time, made once for every addressee sharing them."""
        if self._schedule is None:
            rows: list[_Row] = []
            for index, (owed, notice) in enumerate(self.records):
                tail = self._tail(owed, notice)
                rows.append(_Row(tail, self._breach(tail), self._warning(index)))
            rows.sort(key=lambda row: row.tail[2])  # stable: records keep their order on ties
            counts = dict.fromkeys(DueStatus, 0)
            for row in rows:
                counts[row.tail[4]] += 1
            delays = [row.tail[7] for row in rows if row.breach and row.tail[7] is not None]
            self._schedule = _Schedule(
                self.ctx.facts.incident_id,
                tuple(rows),
                counts,
                sum(1 for row in rows if row.breach),
                sum(1 for row in rows if row.warning),
                max(delays, default=None),
            )
        return self._schedule

    def unmet(self, tenant: str, owed: _Open) -> Obligation:
        """The reported obligation of an unmet record, for ``tenant``."""
        return Obligation(self.ctx.facts.incident_id, tenant, *self._tail(owed, None))

    def _tail(self, owed: _Open, notice: SentNotice | None) -> _Tail:
        """An obligation's values after its incident and tenant (shared by a schedule)."""
        ctx = self.ctx
        late_by: dt.timedelta | None = None
        if notice is None:
            status = DueStatus.MISSED if ctx.now > owed.due else DueStatus.PENDING
        elif notice.at <= owed.due:
            status = DueStatus.MET
        else:
            status, late_by = DueStatus.LATE, notice.at - owed.due
        return (
            self.audience,
            owed.kind,
            owed.due,
            owed.severity,
            status,
            notice.at if notice else None,
            notice.id if notice else None,
            late_by,
            ctx.required,
            ctx.best_effort,
            ctx.facts.dpa_track,
            owed.rule,
            owed.explain(_who(self.audience), ctx.fmt),
            owed.missing if notice is None else (),
        )

    def _breach(self, tail: _Tail) -> _FindingTail | None:
        audience, kind, due, _, status, met_at, _, late_by, _, _, _, rule, _, missing = tail
        if late_by is not None:  # late: met after its due time
            what = f"sent {format_instant(met_at or due)}, late by {_elapsed(late_by)}"
        elif status is DueStatus.MISSED and missing:
            what = (
                f"not met, overdue by {_elapsed(self.ctx.now - due)}: the notice sent "
                f"lacked {', '.join(missing)}"
            )
        elif status is DueStatus.MISSED:
            what = f"not sent, overdue by {_elapsed(self.ctx.now - due)}"
        else:
            return None
        to = " to the notification list" if audience is Audience.NOTIFICATION_LIST else ""
        return (FindingLevel.BREACH, rule, f"{kind.value}{to} due {format_instant(due)} {what}")

    def _warning(self, index: int) -> _FindingTail | None:
        if index not in self.warnings:
            self.warnings[index] = self._missing_best_effort(*self.records[index])
        reason = self.warnings[index]
        if reason is None:
            return None
        return (FindingLevel.WARNING, RULE_BEST_EFFORT, reason)

    def _missing_best_effort(self, owed: _Open, notice: SentNotice | None) -> str | None:
        """Why the best-effort channel is missing for this record, or ``None``."""
        ctx = self.ctx
        if self.audience is not Audience.AFFECTED_TENANTS or not ctx.best_effort:
            return None
        if notice is None:
            if ctx.now <= owed.due:
                return None
            upper = ctx.now
        else:
            if notice.channel in ctx.best_effort:
                return None
            upper = max(owed.due, notice.at)
        times = self.box.best_effort
        low = (
            bisect.bisect_right(times, owed.created)
            if owed.by_notice
            else bisect.bisect_left(times, owed.created)
        )
        if low < len(times) and times[low] <= upper:
            return None
        channels = ", ".join(sorted(c.value for c in ctx.best_effort))
        return (
            f"no {channels} notice for the {owed.kind.value} due {ctx.fmt.instant(owed.due)} "
            "(best effort: a warning, not a breach)"
        )


def _elapsed(value: dt.timedelta) -> str:
    seconds = int(value.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{hours}h" if hours else "", f"{minutes}m" if minutes else ""]
    parts.append(f"{seconds}s" if seconds or not (hours or minutes) else "")
    return "".join(parts)


_Addressee = tuple[str, _Chain]
"""An addressee's tenant and the chain of its schedule."""


def _addressees(facts: CommunicationFacts, policy: Policy, now: dt.datetime) -> list[_Addressee]:
    """Every addressee as of ``now``, affected tenants by id then the notification list, each
    with the chain of its schedule.

    Addressees with the same clock start, stop and mailbox have the same schedule: one chain,
    walked once, serves them all, so each further addressee costs a dictionary lookup.
    """
    ctx = _context(facts, policy, now)
    confirmed = facts.scope_confirmed_at
    if confirmed is None or confirmed > now:
        return []
    boxes = _mailboxes(ctx)
    nothing = _Mailbox()
    found: list[_Addressee] = []
    chains: dict[tuple[dt.datetime, dt.datetime | None, int], _Chain] = {}
    affected = Audience.AFFECTED_TENANTS
    own = boxes[affected]
    for scope in sorted(facts.scope, key=lambda s: s.tenant):
        if scope.added_at > now:
            continue
        start = max(confirmed, scope.added_at)
        stop = scope.removed_at if scope.removed_at and scope.removed_at <= now else None
        if stop is not None and stop <= start:
            continue
        box = own.get(scope.tenant, nothing)
        key = (start, stop, id(box))
        chain = chains.get(key)
        if chain is None:
            chain = chains[key] = _Chain(ctx, affected, start, stop, box)
        found.append((scope.tenant, chain))
    listed = Audience.NOTIFICATION_LIST
    own = boxes[listed]
    chains.clear()
    for tenant in sorted(_notification_list(policy)):
        box = own.get(tenant, nothing)
        key = (confirmed, None, id(box))
        chain = chains.get(key)
        if chain is None:
            chain = chains[key] = _Chain(ctx, listed, confirmed, None, box)
        found.append((tenant, chain))
    return found


def _notification_list(policy: Policy) -> frozenset[str]:
    """The listed customers: the policy's list, and each tenant whose terms put it on it.

    Only a tenant that asks for the list can be on it beyond the policy's own list, so the
    terms are looked up for those alone (a fleet lists 10,000 tenants, an audit runs often).
    """
    listed = set(policy.notifications.notification_list)
    listed.update(
        t.id
        for t in policy.tenants
        if t.notification_list and policy.for_tenant(t.id).on_notification_list
    )
    return frozenset(listed)


# --- the public functions -----------------------------------------------------------------------


def obligations(
    incident: Incident | CommunicationFacts, policy: Policy | None = None, *, now: dt.datetime
) -> tuple[Obligation, ...]:
    """Every notification obligation per addressee, with its status as of ``now``.

    Only what happened at or before ``now`` is considered. At most one obligation per addressee
    is unmet in the first-notice/update chain: the next one starts from the notice that meets it.

    Args:
        incident: An incident, or the :class:`CommunicationFacts` of one.
        policy: The policy (default: the default policy).
        now: The instant to judge at (timezone-aware).

    Returns:
        Obligations ordered by audience, tenant and due time.

    Raises:
        PolicyInputError: ``incident`` or ``policy`` is of the wrong type, ``now`` is not aware.

    >>> import datetime as dt
    >>> from reliability_policy import Severity
    >>> t0 = dt.datetime(2026, 3, 9, 14, 0, tzinfo=dt.UTC)
    >>> facts = CommunicationFacts("INC-2", (SeverityPoint(t0, Severity.SEV_3),), t0,
    ...                            (TenantScope("t-001", t0),))
    >>> obligations(facts, now=t0 + dt.timedelta(days=1))
    ()

    .. versionadded:: 0.1.0
    """
    at = require_utc(now, "now")
    chosen = policy_or_default(policy)
    facts = _facts(incident, chosen, at)
    found: list[Obligation] = []
    for tenant, chain in _addressees(facts, chosen, at):
        found.extend(chain.schedule().obligations_of(tenant))
    return tuple(found)


def next_due(
    incident: Incident | CommunicationFacts, policy: Policy | None = None, *, now: dt.datetime
) -> Obligation | None:
    """The single earliest unmet obligation as of ``now``, for the bot that reminds responders.

    An overdue one (status ``missed``: not sent yet) comes before anything merely pending.

    Returns:
        The obligation, or ``None`` when nothing is owed.

    Raises:
        PolicyInputError: as :func:`obligations`.

    .. versionadded:: 0.1.0
    """
    at = require_utc(now, "now")
    chosen = policy_or_default(policy)
    facts = _facts(incident, chosen, at)
    # Addressees come affected tenants by id, then the list by id. Each schedule is looked at
    # once, with its first addressee (the others on it come later), and on a tie the first one
    # found stays: the earliest due time, then affected before listed, then by tenant.
    firsts: dict[int, tuple[str, _Chain]] = {}
    for tenant, chain in _addressees(facts, chosen, at):
        firsts.setdefault(id(chain), (tenant, chain))
    best: tuple[str, _Chain, _Open] | None = None
    for tenant, chain in firsts.values():
        for owed, notice in chain.records:
            if notice is None and (best is None or owed.due < best[2].due):
                best = (tenant, chain, owed)
    if best is None:
        return None
    tenant, chain, owed = best
    return chain.unmet(tenant, owed)


def next_due_per_addressee(
    incident: Incident | CommunicationFacts, policy: Policy | None = None, *, now: dt.datetime
) -> tuple[Obligation, ...]:
    """For each addressee still owed a notice, its earliest unmet obligation as of ``now``.

    The view a bot needs to remind responders tenant by tenant: one obligation per (audience,
    tenant), each naming only its own tenant, ordered by due time, then audience and tenant.
    An addressee owed nothing is left out.

    >>> import datetime as dt
    >>> from reliability_policy import Severity
    >>> t0 = dt.datetime(2026, 3, 9, 14, 0, tzinfo=dt.UTC)
    >>> facts = CommunicationFacts("INC-3", (SeverityPoint(t0, Severity.SEV_1),), t0,
    ...     (TenantScope("t-001", t0), TenantScope("t-002", t0 + dt.timedelta(minutes=10))))
    >>> [(o.tenant, o.kind.value, o.due.strftime("%H:%M")) for o in
    ...  next_due_per_addressee(facts, now=t0 + dt.timedelta(minutes=20))]
    [('t-001', 'first_notice', '14:30'), ('t-002', 'first_notice', '14:40')]

    Raises:
        PolicyInputError: as :func:`obligations`.

    .. versionadded:: 0.2.0
    """
    at = require_utc(now, "now")
    chosen = policy_or_default(policy)
    facts = _facts(incident, chosen, at)
    addressees = _addressees(facts, chosen, at)
    # Tenants on one schedule share its walk: its earliest unmet record, found once.
    chains = {id(chain): chain for _, chain in addressees}
    earliest = {
        key: min((r for r, notice in chain.records if notice is None), key=_due, default=None)
        for key, chain in chains.items()
    }
    owed = [
        chain.unmet(tenant, first)
        for tenant, chain in addressees
        if (first := earliest[id(chain)]) is not None
    ]
    owed.sort(key=lambda o: o.due)  # stable: at one due time, in the order of the addressees
    return tuple(owed)


def _due(record: _Open) -> dt.datetime:
    return record.due


def audit(
    incident: Incident | CommunicationFacts,
    policy: Policy | None = None,
    *,
    now: dt.datetime | None = None,
) -> AuditReport:
    """Judge an incident's whole communication record against the policy.

    Args:
        incident: An incident, or the :class:`CommunicationFacts` of one.
        policy: The policy (default: the default policy).
        now: The instant to judge at; default: for an incident, its last event (the whole
            record, up to its close), for communication facts their latest instant. An
            obligation not yet due then is pending, not missed.

    Returns:
        Breaches (late or missed), warnings (missing in-app), per-addressee results and a
        summary a post-incident review can paste.

    Raises:
        PolicyInputError: as :func:`obligations`.

    .. versionadded:: 0.1.0
    """
    chosen = policy_or_default(policy)
    at = None if now is None else require_utc(now, "now")
    if at is None and isinstance(incident, Incident):
        at = incident.last_event_at
    facts = _facts(incident, chosen, at)
    if at is None:
        at = facts.last_instant()
        if at is None:
            raise PolicyInputError("now", None, "an instant (the record mentions no time)")
    results: list[TenantResult] = []
    counts = dict.fromkeys(DueStatus, 0)
    breaches = warnings = 0
    worst: dt.timedelta | None = None
    for tenant, chain in _addressees(facts, chosen, at):
        schedule = chain.schedule()
        results.append(TenantResult._sharing(tenant, chain.audience, schedule))
        for status, number in schedule.counts.items():
            counts[status] += number
        breaches += schedule.breach_count
        warnings += schedule.warning_count
        if schedule.worst_delay is not None and (worst is None or schedule.worst_delay > worst):
            worst = schedule.worst_delay
    dpa = _dpa_deadlines(incident, chosen, at)
    return AuditReport(
        schema_version=_SCHEMA_VERSION,
        incident_id=facts.incident_id,
        as_of=at,
        compliant=not breaches,
        breaches=None,  # each tenant's own, built when read
        warnings=None,
        tenants=tuple(results),
        summary=_summary(facts, at, len(results), counts, breaches, warnings, worst, dpa),
        dpa_deadlines=dpa,
    )


def _dpa_deadlines(subject: object, policy: Policy, at: dt.datetime) -> tuple[TenantRouting, ...]:
    """Each affected tenant's DPA routing as of ``at``, when ``subject`` is on the DPA track.

    Only an :class:`~reliability_policy.lifecycle.Incident` says when CustomerNode became aware;
    communication facts do not, so they have none. Before awareness nothing is routed yet.
    """
    if not isinstance(subject, Incident) or subject.kind is not IncidentKind.SECURITY:
        return ()
    if at < subject.aware_at:
        return ()
    routing = route_security_incident(subject, policy, now=at)
    return routing.tenants if routing.track is Track.DPA else ()


def _summary(
    facts: CommunicationFacts,
    at: dt.datetime,
    addressees: int,
    counts: Mapping[DueStatus, int],
    breaches: int,
    warnings: int,
    worst: dt.timedelta | None,
    dpa: Sequence[TenantRouting],
) -> str:
    verdict = "compliant" if not breaches else f"{breaches} breach(es)"
    total = sum(counts.values())
    lines = [
        f"Customer communication for {facts.incident_id} as of {format_instant(at)}: {verdict}.",
        f"{addressees} addressee(s), {total} obligation(s): "
        + ", ".join(f"{counts[s]} {s.value}" for s in DueStatus)
        + f"; {warnings} best-effort warning(s).",
    ]
    if worst is not None:
        lines.append(f"Worst delay: {_elapsed(worst)}.")
    if facts.dpa_track:
        lines.append("DPA track: ordinary notices carry no security details.")
    if dpa:
        statuses = [entry.status for entry in dpa]
        lines.append(
            f"DPA deadlines for {len(dpa)} affected tenant(s): "
            + ", ".join(f"{statuses.count(s)} {s.value}" for s in DueStatus)
            + " (the DPA track, apart from the ordinary notices)."
        )
    return "\n".join(lines)


# --- the adapter ----------------------------------------------------------------------------------


def communication_facts(
    incident: Incident, policy: Policy | None = None, *, now: dt.datetime | None = None
) -> CommunicationFacts:
    """Project an incident onto the facts the notification rules need.

    Outages are not in the incident log; a notice that says ``fallback_for`` stands for one.
    ``dpa_track`` is what :func:`~reliability_policy.security.ordinary_notice_flags` decides
    as of ``now`` (default: the incident's last event): whether the incident is, or ever was,
    on the DPA track.

    Raises:
        PolicyInputError: ``incident`` is not an :class:`~reliability_policy.lifecycle.Incident`,
            or ``now`` is naive.

    .. versionadded:: 0.2.0
    """
    at = None if now is None else require_utc(now, "now")
    return _communication_facts(incident, policy_or_default(policy), at)


def _communication_facts(
    incident: object, policy: Policy, now: dt.datetime | None
) -> CommunicationFacts:
    if not isinstance(incident, Incident):
        raise PolicyInputError("incident", incident, "an Incident")
    added, removed = incident.tenant_added_at, incident.tenant_removed_at
    scope = tuple(
        TenantScope(tenant, added[tenant], removed.get(tenant)) for tenant in sorted(added)
    )
    addressed: dict[frozenset[str], tuple[str, ...]] = {}  # notices often share addressees
    notices: list[SentNotice] = []
    for n in incident.notifications:
        tenants = addressed.get(n.tenants)
        if tenants is None:
            tenants = addressed[n.tenants] = tuple(sorted(n.tenants))
        notices.append(
            SentNotice(
                n.id, n.at, n.channel, n.kind, n.audience, tenants, n.fallback_for, n.content
            )
        )
    at = incident.last_event_at if now is None else now
    flags = ordinary_notice_flags(incident, policy, now=at)
    return CommunicationFacts(
        incident_id=incident.id,
        severities=tuple(SeverityPoint(c.at, c.severity) for c in incident.severity_history),
        scope_confirmed_at=incident.scope_confirmed_at,
        scope=scope,
        resolved_at=incident.resolved_at,
        reopened_at=tuple(incident.reopened_at),
        dpa_track=not flags.security_details,
        notices=tuple(notices),
    )


# --- drafts ------------------------------------------------------------------------------------

_DRAFT_KINDS: Final = (
    NoticeKind.FIRST_NOTICE,
    NoticeKind.UPDATE,
    NoticeKind.RESOLUTION,
    NoticeKind.SUMMARY,
)
_KIND_RULES: Final = {
    NoticeKind.FIRST_NOTICE: RULE_FIRST_NOTICE,
    NoticeKind.UPDATE: RULE_UPDATE,
    NoticeKind.RESOLUTION: RULE_RESOLUTION,
    NoticeKind.SUMMARY: RULE_SUMMARY,
}
_SECURITY_SLOTS: Final = frozenset({"title", "kind", "customer_data"})
"""Slots that carry security details: refused in an ordinary notice of a DPA-track incident."""
_PLAIN_SLOTS: Final = frozenset(
    {
        "incident_id",
        "severity",
        "tenant",
        "time_zone",
        "now",
        "detected_at",
        "scope_confirmed_at",
        "resolved_at",
    }
)
_SLOTS: Final = _PLAIN_SLOTS | _SECURITY_SLOTS
_NOT_YET: Final = "not yet"
_LOCAL_FORMAT: Final = "%Y-%m-%d %H:%M %Z"
_SEPARATORS: Final = r"\s,;:()\[\]{}<>\"'"
"""What separates the words of a draft (a regular expression's character class, unbracketed)."""


@attrs.frozen
class NoticeDraft:
    """A notice drafted for one addressee from the policy's template.

    Attributes:
        tenant: The addressee, the only tenant the text names.
        kind: First notice, update, resolution or summary.
        text: The rendered text.
        items: The required content items it carries: list them as the sent notice's
            ``content`` (:class:`~reliability_policy.lifecycle.NotificationSent`).
        rule: The obligation rule the notice is for (``first-notice``, ...).
        reason: One line saying how it was drafted.

    .. versionadded:: 0.2.0
    """

    tenant: str
    kind: NoticeKind
    text: str
    items: tuple[str, ...]
    rule: str
    reason: str


def draft_notice(
    incident: Incident,
    tenant: str,
    kind: NoticeKind | str,
    policy: Policy | None = None,
    *,
    now: dt.datetime,
    items: Mapping[str, str] | None = None,
) -> NoticeDraft:
    """Draft an ordinary notice of ``kind`` to ``tenant`` from ``policy.notifications.templates``.

    The template is rendered in a sandbox (Jinja2's ``SandboxedEnvironment``); it may use these
    slots, each a string:

    * ``incident_id``, ``severity`` (the current one, or ``"none"``), ``tenant`` (the
      addressee, never another tenant), ``time_zone`` (the tenant's zone, or the business
      calendar's for a tenant without one);
    * ``now``, ``detected_at``, ``scope_confirmed_at``, ``resolved_at``: local times in that
      zone (``"not yet"`` for an instant still to come);
    * ``title``, ``kind`` (availability or security) and ``customer_data``: security
      details, refused for an incident on the DPA track (as
      :func:`~reliability_policy.security.ordinary_notice_flags` decides as of ``now``);
    * every content item the kind requires (``policy.notifications.content``), filled from
      ``items``.

    Args:
        incident: The incident.
        tenant: The addressee: a tenant in the incident's scope or on the notification list.
        kind: ``"first_notice"``, ``"update"``, ``"resolution"`` or ``"summary"``.
        policy: The policy (default: the default policy).
        now: The instant of the draft (timezone-aware).
        items: The text of each required content item, by name.

    Returns:
        The draft, with the items it carries.

    Raises:
        PolicyInputError: a bad argument, a required item missing or empty in ``items``, an
            item the kind does not require, or a draft that would name another tenant.
        PolicyConfigError: the kind has no template, the template does not parse or render,
            uses an unknown slot, or uses a security-detail slot for a DPA-track incident.

    .. versionadded:: 0.2.0
    """
    at = require_utc(now, "now")
    chosen = policy_or_default(policy)
    if not isinstance(incident, Incident):
        raise PolicyInputError("incident", incident, "an Incident")
    notice_kind = to_notice_kind(kind)
    if notice_kind not in _DRAFT_KINDS:
        expected = "first_notice, update, resolution or summary (DPA notices are not drafted)"
        raise PolicyInputError("kind", kind, expected)
    listed = _notification_list(chosen)
    if not isinstance(tenant, str) or (
        tenant not in incident.tenant_added_at and tenant not in listed
    ):
        expected = f"a tenant in the scope of {incident.id} or on the notification list"
        raise PolicyInputError("tenant", tenant, expected)
    required = chosen.notifications.content.required(notice_kind.value)
    filled = _filled(items, required, notice_kind)
    path = f"$.notifications.templates.{notice_kind.value}"
    template = chosen.notifications.templates.template(notice_kind.value)
    if not template:
        raise PolicyConfigError([Problem(path, "a template for this kind of notice", "")])
    try:
        used = template_fields(template)
    except TemplateProblem as error:
        raise PolicyConfigError([Problem(path, "a template that parses", str(error))]) from None
    unknown = sorted(used - _SLOTS - set(required))
    if unknown:
        allowed = ", ".join(sorted(_SLOTS | set(required)))
        raise PolicyConfigError([Problem(path, f"only the slots {allowed}", unknown)])
    flags = ordinary_notice_flags(incident, chosen, now=at)
    if not flags.security_details:
        refused = sorted(used & _SECURITY_SLOTS)
        if refused:
            expected = (
                f"no security-detail field: {incident.id} is or was on the DPA track, so "
                "its ordinary notices carry no security details"
            )
            raise PolicyConfigError([Problem(path, expected, refused)])
    zone_name = chosen.for_tenant(tenant).time_zone or chosen.calendar.time_zone
    zone = zoneinfo.ZoneInfo(zone_name)

    def local(instant: dt.datetime | None) -> str:
        if instant is None or instant > at:
            return _NOT_YET
        return instant.astimezone(zone).strftime(_LOCAL_FORMAT)

    current = incident.severity
    values: dict[str, str] = {
        "incident_id": incident.id,
        "severity": current.value if current is not None else "none",
        "tenant": tenant,
        "time_zone": zone_name,
        "now": local(at),
        "detected_at": local(incident.detected_at),
        "scope_confirmed_at": local(incident.scope_confirmed_at),
        "resolved_at": local(incident.resolved_at),
    }
    if flags.security_details:
        values["title"] = incident.title
        values["kind"] = incident.kind.value
        values["customer_data"] = incident.customer_data.value
    values.update(filled)
    try:
        text = render(template, values)
    except TemplateProblem as error:
        raise PolicyConfigError([Problem(path, "a template that renders", str(error))]) from None
    except Exception as error:  # noqa: BLE001 - the template's own arithmetic ({{ 1 // 0 }})
        found = f"{type(error).__name__}: {error}"
        raise PolicyConfigError([Problem(path, "a template that renders", found)]) from None
    named = _named(text, _tenants_known(incident, chosen, listed) - {tenant})
    if named:
        expected = f"a notice to {tenant} that names no other tenant"
        raise PolicyInputError("text", sorted(named), expected)
    secrecy = "; no security details (DPA track)" if not flags.security_details else ""
    reason = (
        f"{notice_kind.value} to {tenant} from the policy's template, times in {zone_name}{secrecy}"
    )
    return NoticeDraft(tenant, notice_kind, text, tuple(filled), _KIND_RULES[notice_kind], reason)


def _filled(
    items: Mapping[str, str] | None, required: tuple[str, ...], kind: NoticeKind
) -> dict[str, str]:
    """The required items' text, in the policy's order, checked."""
    given: Mapping[str, str] = {} if items is None else items
    if not isinstance(given, Mapping):
        raise PolicyInputError("items", items, "a mapping of content item names to text")
    for name, value in given.items():
        if name not in required:
            expected = f"one of the items of a {kind.value}: {', '.join(required) or 'none'}"
            raise PolicyInputError(f"items[{name!r}]", name, expected)
        if not isinstance(value, str) or not value.strip():
            raise PolicyInputError(f"items[{name!r}]", value, "the item's text")
    missing = [name for name in required if name not in given]
    if missing:
        expected = f"text for every required item of a {kind.value}"
        raise PolicyInputError("items", missing, expected)
    return {name: given[name] for name in required}


def _named(text: str, others: set[str]) -> set[str]:
    """The tenants of ``others`` that ``text`` names, each as a whole word or phrase.

    A name stands between white space or punctuation (or the start and the end of the text),
    a sentence's final ``.``, ``!`` or ``?`` aside; an id that itself holds a space or
    punctuation (``"acme corp"``) is found as a whole phrase. Only an id that occurs in the
    text at all is looked for as a whole (a fleet names 10,000 tenants).
    """
    return {other for other in others if other in text and re.search(_alone(other), text)}


def _alone(name: str) -> str:
    """A pattern that finds ``name`` as a whole word or phrase."""
    return rf"(?<![^{_SEPARATORS}]){re.escape(name)}[.!?]*(?![^{_SEPARATORS}])"


def _tenants_known(incident: Incident, policy: Policy, listed: frozenset[str]) -> set[str]:
    """Every tenant a draft could name by mistake: scope, notification list, the policy's."""
    known = set(incident.tenant_added_at)
    known.update(listed)
    known.update(t.id for t in policy.tenants)
    return known


# --- the policy check ---------------------------------------------------------------------------

_CADENCE_FIELDS: Final = ("first_notice", "update_interval", "resolution_notice", "summary")
_LONGEST_SPAN: Final = {SpanUnit.DAYS: 365, SpanUnit.BUSINESS_DAYS: 260}
"""A summary is due within a year: at most 365 days or 260 business days."""


def policy_problems(policy: Policy) -> Iterator[Problem]:
    """The checks of a policy's ``notifications`` and ``calendar`` sections, run by the loader.

    Every cadence duration is at most a year (8760h; a summary at most 365d or 260bd), SEV-1's
    cadence is never looser than SEV-2's, some channel is required and none is both required
    and best effort, and the business calendar has a working day. (A fallback channel that
    would stand in for itself is reported by the continuity check of the subprocessor register
    it is derived from.)

    >>> from reliability_policy import default_policy
    >>> list(policy_problems(default_policy()))
    []

    .. versionadded:: 0.2.0
    """
    notifications = policy.notifications
    longest = dt.timedelta(days=365)
    cadences = {"SEV-1": notifications.sev1, "SEV-2": notifications.sev2}
    cadences["SEV-3"] = notifications.sev3
    for severity, cadence in cadences.items():
        for field in _CADENCE_FIELDS:
            value = getattr(cadence, field)
            path = f"$.notifications.{severity}.{field}"
            if isinstance(value, dt.timedelta) and value > longest:
                yield Problem(path, "at most 8760h (a year)", format_value(value))
            elif isinstance(value, CalendarSpan) and value.count > _LONGEST_SPAN[value.unit]:
                yield Problem(path, "at most 365d or 260bd (a year)", str(value))
    tighter, looser = notifications.sev1, notifications.sev2
    for field in _CADENCE_FIELDS:
        strict, loose = getattr(tighter, field), getattr(looser, field)
        path = f"$.notifications.SEV-1.{field}"
        if loose is not None and strict is None:
            yield Problem(path, f"a value, since SEV-2 sets {field} = {format_value(loose)!r}")
        elif loose is not None and strict is not None and _looser(strict, loose):
            expected = f"at most SEV-2's {format_value(loose)!r} (SEV-1 may not be looser)"
            yield Problem(path, expected, format_value(strict))
    if not notifications.required_channels:
        yield Problem("$.notifications.required_channels", "at least one channel", [])
    both = notifications.required_channels & notifications.best_effort_channels
    if both:
        names = sorted(c.value for c in both)
        yield Problem("$.notifications.best_effort_channels", "no required channel", names)
    if not policy.calendar.workdays:
        yield Problem("$.calendar.workdays", "at least one working day", [])
    yield from _content_problems(policy)


def _content_problems(policy: Policy) -> Iterator[Problem]:
    """Each notice kind's content items are unique names; each template parses and uses only
    the slots of its kind."""
    content = policy.notifications.content
    templates = policy.notifications.templates
    for kind in _DRAFT_KINDS:
        items = content.required(kind.value)
        path = f"$.notifications.content.{kind.value}"
        for item in items:
            if not item.isidentifier() or item in _SLOTS:
                expected = "an item name made of letters, digits and _ (not a slot name)"
                yield Problem(path, expected, item)
        seen = [item for index, item in enumerate(items) if item in items[:index]]
        if seen:
            yield Problem(path, "each item at most once", sorted(set(seen)))
        text = templates.template(kind.value)
        if not text:
            continue
        path = f"$.notifications.templates.{kind.value}"
        try:
            used = template_fields(text)
        except TemplateProblem as error:
            yield Problem(path, "a template that parses", str(error))
            continue
        unknown = sorted(used - _SLOTS - set(items))
        if unknown:
            allowed = ", ".join(sorted(_SLOTS | set(items)))
            yield Problem(path, f"only the slots {allowed}", unknown)


def _looser(strict: dt.timedelta | CalendarSpan, loose: dt.timedelta | CalendarSpan) -> bool:
    if isinstance(strict, dt.timedelta) and isinstance(loose, dt.timedelta):
        return strict > loose
    assert isinstance(strict, CalendarSpan)  # the same field of another severity: a span too
    assert isinstance(loose, CalendarSpan)
    return _span_days(strict) > _span_days(loose)


def _span_days(span: CalendarSpan) -> float:
    # A business day is never shorter than a day; compare spans by their nominal days.
    return span.count * (7 / 5 if span.unit is SpanUnit.BUSINESS_DAYS else 1)
