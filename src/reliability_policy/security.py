"""Security incidents with customer data: the DPA track (SPEC section 5).

A security incident where customer data is involved, or where involvement is not known yet, is
routed to the DPA track. The clock runs from the moment CustomerNode became aware and does not
wait for the assessment. Each affected tenant has its own deadline (its DPA term, or the
policy's, whichever is stricter), its own recipients (its designated security contacts, nobody
else) and the Art. 33(3) checklist with what is still missing.

The routing reads a small immutable projection of the incident, :class:`SecurityFacts`:

>>> import datetime as dt
>>> from reliability_policy.security import AffectedTenant, SecurityFacts, route_security_incident
>>> aware = dt.datetime(2026, 3, 28, 20, 0, tzinfo=dt.UTC)
>>> facts = SecurityFacts(
...     incident_id="inc-7", kind="security", aware_at=aware,
...     tenants=[AffectedTenant("acme", aware)],
... )
>>> routing = route_security_incident(facts, now=aware + dt.timedelta(hours=1))
>>> routing.track, routing.rule
(<Track.DPA: 'dpa'>, 'dpa-unknown-involvement')
>>> acme = routing.tenants[0]
>>> acme.deadline.isoformat(), acme.status.value, acme.recipients
('2026-03-30T20:00:00+00:00', 'pending', ())
>>> [finding.rule for finding in routing.findings]
['no-security-contacts']

Every routing decision is kept as a record (GDPR Art. 33(5)); an assessment that says "no"
leaves the track, and the records stay:

>>> from reliability_policy.security import Assessment
>>> later = attrs.evolve(facts, assessments=[
...     Assessment(aware + dt.timedelta(hours=3), "no", by="sec-oncall", reason="logs only")])
>>> routing = route_security_incident(later, now=aware + dt.timedelta(hours=4))
>>> routing.track.value, [record.decision.value for record in routing.records]
('standard', ['enter-dpa-track', 'leave-dpa-track'])

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Iterator
from typing import Final

import attrs

from reliability_policy._validate import (
    aware,
    instances_of,
    member,
    nonempty_text,
    nonempty_texts,
    string,
    to_tuple,
    utc,
)
from reliability_policy.defaults import policy_or_default
from reliability_policy.errors import PolicyConfigError, PolicyInputError, Problem
from reliability_policy.findings import DueStatus, Finding
from reliability_policy.lifecycle import (
    Audience,
    DataInvolvement,
    Detected,
    Incident,
    IncidentKind,
    NoticeKind,
    SecurityAssessed,
)
from reliability_policy.policy import Policy
from reliability_policy.timing import format_duration, format_instant, require_utc

__all__ = [
    "FACTS_SCHEMA_VERSION",
    "GDPR_CONTROLLER_DEADLINE",
    "AffectedTenant",
    "Assessment",
    "Decision",
    "DpaNotice",
    "NoticeFlags",
    "Routing",
    "RoutingDecision",
    "SecurityFacts",
    "TenantRouting",
    "Track",
    "ordinary_notice_flags",
    "policy_problems",
    "route_security_incident",
    "security_facts",
]

FACTS_SCHEMA_VERSION: Final = 1
"""The version of the :class:`SecurityFacts` and :class:`Routing` document formats."""

GDPR_CONTROLLER_DEADLINE: Final = dt.timedelta(hours=72)
"""A controller notifies its supervisory authority within 72 h of awareness (GDPR Art. 33(1)).

This is law, not policy: a processor's deadline toward its controllers (the DPA deadline) must
be shorter, so a policy or tenant deadline above it is a configuration error.
"""

_AUDIENCES: Final = frozenset({"status_page", "notification_list", "other_tenants"})

_OTHER_TENANTS: Final = "other_tenants"

# Rule names: stable, reported in every decision.
RULE_AVAILABILITY: Final = "availability-incident"
RULE_UNKNOWN: Final = "dpa-unknown-involvement"
RULE_INVOLVED: Final = "dpa-customer-data"
RULE_NOT_INVOLVED: Final = "no-customer-data"
RULE_TENANT_ADDED: Final = "dpa-tenant-added"
RULE_TENANT_TERM: Final = "tenant-dpa-term"
RULE_POLICY_DEADLINE: Final = "policy-dpa-deadline"
RULE_NO_CONTACTS: Final = "no-security-contacts"
RULE_BAD_RECIPIENT: Final = "recipient-not-a-security-contact"
RULE_UNAFFECTED: Final = "notice-to-unaffected-tenant"
RULE_UNKNOWN_ITEM: Final = "unknown-checklist-item"
RULE_NO_SECURITY_DETAILS: Final = "dpa-no-security-details"


# --- vocabularies ---------------------------------------------------------------------------


class Track(enum.Enum):
    """The communication track: the DPA track, or the standard one (SPEC section 3).

    .. versionadded:: 0.1.0
    """

    DPA = "dpa"
    STANDARD = "standard"


class Decision(enum.Enum):
    """What a :class:`RoutingDecision` decided.

    .. versionadded:: 0.1.0
    """

    ENTER_DPA = "enter-dpa-track"
    STAY_DPA = "stay-on-dpa-track"
    LEAVE_DPA = "leave-dpa-track"
    STANDARD = "standard-track"
    ADD_TENANT = "add-tenant-to-dpa-track"


def _to_involvement(value: DataInvolvement | str) -> DataInvolvement:
    return member(DataInvolvement, value, "value")


def _to_kind(value: IncidentKind | str) -> IncidentKind:
    return member(IncidentKind, value, "kind")


# --- the facts ------------------------------------------------------------------------------


@attrs.frozen
class Assessment:
    """One assessment of whether customer data is involved.

    Attributes:
        at: When the assessment was made.
        value: ``yes``, ``no`` or ``unknown`` (accepts the string).
        by: Who assessed it.
        reason: Why, in a phrase.

    Raises:
        PolicyInputError: a naive or missing instant, or an unknown value.

    >>> import datetime as dt
    >>> Assessment(dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC), "YES", by="sec").value
    <DataInvolvement.YES: 'yes'>

    .. versionadded:: 0.1.0
    """

    at: dt.datetime = attrs.field(converter=utc, validator=aware)
    value: DataInvolvement = attrs.field(converter=_to_involvement)
    by: str = attrs.field(default="", validator=string)
    reason: str = attrs.field(default="", validator=string)


@attrs.frozen
class AffectedTenant:
    """A tenant in the incident's scope, and when it was added.

    .. versionadded:: 0.1.0
    """

    tenant_id: str = attrs.field(validator=nonempty_text)
    added_at: dt.datetime = attrs.field(converter=utc, validator=aware)


@attrs.frozen
class DpaNotice:
    """A DPA notice that was sent to one tenant.

    Attributes:
        id: The notice's id.
        at: When it was sent.
        tenant_id: The tenant it was about and for.
        recipients: The addresses it went to.
        items: The checklist items it covered (names from ``policy.security.checklist``).

    .. versionadded:: 0.1.0
    """

    id: str = attrs.field(validator=nonempty_text)
    at: dt.datetime = attrs.field(converter=utc, validator=aware)
    tenant_id: str = attrs.field(validator=nonempty_text)
    recipients: tuple[str, ...] = attrs.field(converter=to_tuple, validator=nonempty_texts)
    items: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=nonempty_texts)


@attrs.frozen
class SecurityFacts:
    """What the DPA routing needs to know about one incident: an immutable projection.

    Every instant is stored in UTC (the same instant as given), so equal facts compare equal
    whatever zone they were written in.

    Attributes:
        incident_id: The incident.
        kind: ``availability`` or ``security`` (accepts the string).
        aware_at: When CustomerNode became aware; every DPA clock starts here.
        assessments: Assessments of customer-data involvement, oldest first. None yet means
            ``unknown``.
        tenants: The affected tenants, each with the time it was added.
        notices: DPA notices sent so far.
        schema_version: The document format version (1).

    Raises:
        PolicyInputError: a naive instant, an assessment earlier than the one before it or than
            ``aware_at``, a tenant listed twice, a notice id used twice, or a wrong type.

    .. versionadded:: 0.1.0
    """

    incident_id: str = attrs.field(validator=nonempty_text)
    kind: IncidentKind = attrs.field(converter=_to_kind)
    aware_at: dt.datetime = attrs.field(converter=utc, validator=aware)
    assessments: tuple[Assessment, ...] = attrs.field(
        default=(), converter=to_tuple, validator=instances_of(Assessment)
    )
    tenants: tuple[AffectedTenant, ...] = attrs.field(
        default=(), converter=to_tuple, validator=instances_of(AffectedTenant)
    )
    notices: tuple[DpaNotice, ...] = attrs.field(
        default=(), converter=to_tuple, validator=instances_of(DpaNotice)
    )
    schema_version: int = FACTS_SCHEMA_VERSION

    def __attrs_post_init__(self) -> None:
        if self.schema_version != FACTS_SCHEMA_VERSION:
            raise PolicyInputError("schema_version", self.schema_version, "1")
        previous = self.aware_at
        for index, assessment in enumerate(self.assessments):
            if assessment.at < previous:
                raise PolicyInputError(
                    f"assessments[{index}].at",
                    format_instant(assessment.at),
                    f"an instant at or after {format_instant(previous)}",
                    "assessments come in time order and never before awareness",
                )
            previous = assessment.at
        seen: set[str] = set()
        for index, tenant in enumerate(self.tenants):
            if tenant.tenant_id in seen:
                raise PolicyInputError(
                    f"tenants[{index}].tenant_id", tenant.tenant_id, "a tenant listed once"
                )
            seen.add(tenant.tenant_id)
        ids: set[str] = set()
        for index, notice in enumerate(self.notices):
            if notice.id in ids:
                raise PolicyInputError(f"notices[{index}].id", notice.id, "a notice id used once")
            ids.add(notice.id)

    def as_of(self, now: dt.datetime) -> SecurityFacts:
        """The facts known at ``now``: assessments, tenants and notices later than it dropped.

        Raises:
            NaiveDatetimeError: ``now`` has no time zone.
        """
        limit = require_utc(now, "now")
        return attrs.evolve(
            self,
            assessments=tuple(a for a in self.assessments if a.at <= limit),
            tenants=tuple(t for t in self.tenants if t.added_at <= limit),
            notices=tuple(n for n in self.notices if n.at <= limit),
        )

    @property
    def involvement(self) -> DataInvolvement:
        """The latest assessment, or ``unknown`` if there is none."""
        return self.assessments[-1].value if self.assessments else DataInvolvement.UNKNOWN


# --- the routing ----------------------------------------------------------------------------


@attrs.frozen
class RoutingDecision:
    """One routing decision, kept as a record (GDPR Art. 33(5) documentation).

    Attributes:
        at: When it was decided (the time of the fact that caused it).
        decision: What was decided.
        rule: The policy rule that decided it.
        tenants: The tenants it concerned.
        reason: One line for a human.

    .. versionadded:: 0.1.0
    """

    at: dt.datetime
    decision: Decision
    rule: str
    tenants: tuple[str, ...]
    reason: str


@attrs.frozen
class TenantRouting:
    """The DPA track for one affected tenant.

    Attributes:
        tenant_id: The tenant.
        deadline: When it must have been told: ``aware_at`` plus its term, in elapsed time (UTC).
        term: The elapsed time allowed after awareness: the stricter (shorter) of its
            contract's DPA term and the policy's deadline.
        rule: Which of the two applied: ``"tenant-dpa-term"`` when its contract's term is
            stricter than the policy's, ``"policy-dpa-deadline"`` otherwise (no term of its
            own, or one no stricter than the policy's).
        recipients: Its designated security/privacy contacts; nobody else.
        forbidden_audiences: Audiences DPA content never reaches: the policy's list, always
            with ``other_tenants`` (every tenant but this one).
        checklist: The Art. 33(3) items a notice must carry.
        missing: Checklist items no notice to this tenant has covered yet (Art. 33(4) phases).
        status: Pending, met, late or missed, as of ``now``.
        notified_at: When it was first told (by a notice reaching one of its contacts).
        late_by: How late the first notice was, or for a missed deadline, how late it is now.
        reason: One line for a human.
        contract_term: Its contract's DPA term as written (``Tenant.dpa_deadline``), if it
            has one, whether or not it applied.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       The term is the stricter of the contract's and the policy's; ``contract_term``.
    """

    tenant_id: str
    deadline: dt.datetime
    term: dt.timedelta
    rule: str
    recipients: tuple[str, ...]
    forbidden_audiences: frozenset[str]
    checklist: tuple[str, ...]
    missing: tuple[str, ...]
    status: DueStatus
    notified_at: dt.datetime | None
    late_by: dt.timedelta | None
    reason: str
    contract_term: dt.timedelta | None = None


@attrs.frozen
class Routing:
    """Which track an incident is on, why, and what the DPA track owes each affected tenant.

    Attributes:
        incident_id: The incident.
        as_of: The ``now`` the routing was computed for.
        track: DPA or standard.
        rule: The rule that put it there.
        reason: One line for a human.
        involvement: Customer-data involvement as last assessed (``unknown`` if never).
        aware_at: When CustomerNode became aware.
        tenants: Per affected tenant, the DPA obligations (empty on the standard track).
        records: Every routing decision so far, oldest first (append-only).
        findings: Problems a person must fix (missing contacts, misaddressed notices).
        schema_version: The document format version (1).

    .. versionadded:: 0.1.0
    """

    incident_id: str
    as_of: dt.datetime
    track: Track
    rule: str
    reason: str
    involvement: DataInvolvement
    aware_at: dt.datetime
    tenants: tuple[TenantRouting, ...]
    records: tuple[RoutingDecision, ...]
    findings: tuple[Finding, ...] = ()
    schema_version: int = FACTS_SCHEMA_VERSION

    @property
    def security_details_allowed(self) -> bool:
        """Whether ordinary notices may carry security details (never, once on the DPA track).

        The same answer as :func:`ordinary_notice_flags` for the same ``now``.
        """
        return not _ever_on_dpa_track(self.records)

    def tenant(self, tenant_id: str) -> TenantRouting | None:
        """The DPA obligations toward ``tenant_id``, or ``None`` if it has none."""
        for entry in self.tenants:
            if entry.tenant_id == tenant_id:
                return entry
        return None


@attrs.frozen
class NoticeFlags:
    """Flags for the ordinary (availability) notices of an incident.

    Attributes:
        security_details: Whether they may carry security details.
        rule: The rule that decided it.
        reason: One line for a human.

    .. versionadded:: 0.1.0
    """

    security_details: bool
    rule: str
    reason: str


def _ever_on_dpa_track(records: Iterable[RoutingDecision]) -> bool:
    """The one answer to "was this incident ever on the DPA track?", from its records."""
    return any(record.decision is not Decision.STANDARD for record in records)


# --- the decisions --------------------------------------------------------------------------


def security_facts(incident: Incident, policy: Policy | None = None) -> SecurityFacts:
    """Project a lifecycle :class:`~reliability_policy.lifecycle.Incident` onto its security facts.

    Assessments come from the :class:`~reliability_policy.lifecycle.Detected` event and every
    :class:`~reliability_policy.lifecycle.SecurityAssessed` one (an assessment made before the
    awareness it reports counts from awareness). The affected tenants are the incident's
    current scope, each with the time it was first added. Every ``dpa_notice`` notification
    becomes one :class:`DpaNotice` per tenant it named: to the security contacts it reached
    (all the named tenants' contacts, so a notice naming two tenants is flagged), or to the
    audience it went to (``status_page``, ``notification_list``, ``affected_tenants``), which
    the routing flags.

    Args:
        incident: The incident.
        policy: Where the security contacts come from; ``None`` means the default policy.

    Raises:
        PolicyInputError: ``incident`` is not an Incident.

    .. versionadded:: 0.2.0
    """
    return _security_facts(incident, policy_or_default(policy))


def _security_facts(incident: object, policy: Policy) -> SecurityFacts:
    if isinstance(incident, SecurityFacts):
        return incident
    if not isinstance(incident, Incident):
        raise PolicyInputError("incident", incident, "a lifecycle Incident or SecurityFacts")
    aware = incident.aware_at
    assessments: list[Assessment] = []
    for event in incident.events:
        if isinstance(event, Detected):
            note = "on detection"
        elif isinstance(event, SecurityAssessed):
            note = event.note
        else:
            continue
        assessments.append(Assessment(max(event.at, aware), event.customer_data, reason=note))
    scope = sorted(incident.tenants)
    added = incident.tenant_added_at
    notices: list[DpaNotice] = []
    for sent in incident.notifications:
        if sent.kind is not NoticeKind.DPA_NOTICE:
            continue
        named = sorted(sent.tenants) or scope
        if sent.audience is Audience.SECURITY_CONTACTS:
            reached = tuple(
                dict.fromkeys(c for t in named for c in policy.for_tenant(t).security_contacts)
            )
        else:
            reached = (sent.audience.value,)
        for tenant in named:
            notices.append(
                DpaNotice(
                    id=sent.id if len(named) == 1 else f"{sent.id}/{tenant}",
                    at=sent.at,
                    tenant_id=tenant,
                    recipients=reached,
                    items=tuple(sorted(sent.content)),
                )
            )
    return SecurityFacts(
        incident_id=incident.id,
        kind=incident.kind,
        aware_at=aware,
        assessments=assessments,
        tenants=[AffectedTenant(t, added[t]) for t in scope],
        notices=notices,
    )


def _track_rule(kind: IncidentKind, involvement: DataInvolvement) -> tuple[Track, str, str]:
    if kind is IncidentKind.AVAILABILITY:
        return Track.STANDARD, RULE_AVAILABILITY, "an availability incident: the standard track"
    if involvement is DataInvolvement.YES:
        return Track.DPA, RULE_INVOLVED, "customer data is involved: the DPA track"
    if involvement is DataInvolvement.NO:
        return Track.STANDARD, RULE_NOT_INVOLVED, "assessed: no customer data involved"
    return (
        Track.DPA,
        RULE_UNKNOWN,
        "customer-data involvement not known yet: treated as involved, the clock runs",
    )


def _records(facts: SecurityFacts) -> tuple[RoutingDecision, ...]:
    """The decision records the facts imply, oldest first."""
    aware = facts.aware_at
    initial = [a for a in facts.assessments if a.at == aware]
    later = [a for a in facts.assessments if a.at > aware]
    involvement = initial[-1].value if initial else DataInvolvement.UNKNOWN
    track, rule, reason = _track_rule(facts.kind, involvement)
    scope = sorted(t.tenant_id for t in facts.tenants if t.added_at <= aware)
    records = [
        RoutingDecision(
            aware,
            Decision.ENTER_DPA if track is Track.DPA else Decision.STANDARD,
            rule,
            tuple(scope),
            f"on awareness: {reason}",
        )
    ]
    if facts.kind is IncidentKind.AVAILABILITY:
        return tuple(records)
    # Merge the later facts in time order; at equal times a tenant joins before an assessment.
    events: list[tuple[dt.datetime, int, AffectedTenant | Assessment]] = [
        (t.added_at, 0, t) for t in facts.tenants if t.added_at > aware
    ]
    events += [(a.at, 1, a) for a in later]
    events.sort(key=lambda e: (e[0], e[1]))
    for at, _, event in events:
        if isinstance(event, AffectedTenant):
            scope.append(event.tenant_id)
            scope.sort()
            if track is Track.DPA:
                records.append(
                    RoutingDecision(
                        at,
                        Decision.ADD_TENANT,
                        RULE_TENANT_ADDED,
                        (event.tenant_id,),
                        f"tenant {event.tenant_id} added to the scope while on the DPA track; "
                        "its clock still runs from awareness",
                    )
                )
            continue
        if event.value is involvement:
            continue
        involvement = event.value
        new_track, rule, reason = _track_rule(facts.kind, involvement)
        if new_track is Track.DPA:
            decision = Decision.STAY_DPA if track is Track.DPA else Decision.ENTER_DPA
        else:
            decision = Decision.LEAVE_DPA
        by = f" by {event.by}" if event.by else ""
        why = f" ({event.reason})" if event.reason else ""
        records.append(
            RoutingDecision(
                at,
                decision,
                rule,
                tuple(scope),
                f"assessed {involvement.value}{by}{why}: {reason}",
            )
        )
        track = new_track
    return tuple(records)


_AT_MOST_72H: Final = "at most 72h (the controller's own GDPR Art. 33(1) deadline)"


def _term(policy: Policy, tenant_id: str) -> tuple[dt.timedelta, str, dt.timedelta | None, str]:
    """The DPA term that applies to ``tenant_id``, the rule that chose it, its contract's term
    as written (if any) and the words that explain the choice.

    The term that applies is the stricter of the contract's and the policy's
    (:meth:`~reliability_policy.policy.Policy.for_tenant` merges them); the rule says which.

    Raises:
        PolicyConfigError: either term exceeds GDPR's 72 h (a policy built without the
            loader's checks).
    """
    own = policy.tenant(tenant_id)
    contract = None if own is None else own.dpa_deadline
    standard = policy.security.notify_deadline
    problems = []
    if standard > GDPR_CONTROLLER_DEADLINE:
        shown = format_duration(standard)
        problems.append(Problem("$.security.notify_deadline", _AT_MOST_72H, shown))
    if contract is not None and contract > GDPR_CONTROLLER_DEADLINE:
        path = f"$.tenants[{policy.tenants.index(own)}].dpa_deadline"
        problems.append(Problem(path, _AT_MOST_72H, format_duration(contract)))
    if problems:
        raise PolicyConfigError(problems)
    term = policy.for_tenant(tenant_id).dpa_deadline
    if contract is None:
        return term, RULE_POLICY_DEADLINE, None, "the policy's DPA deadline"
    both = f"the stricter of its contract ({format_duration(contract)}) and the policy "
    both += f"({format_duration(standard)})"
    if term < standard:
        return term, RULE_TENANT_TERM, contract, f"its DPA term, {both}"
    return term, RULE_POLICY_DEADLINE, contract, f"the policy's DPA deadline, {both}"


def _tenant_routing(
    facts: SecurityFacts,
    policy: Policy,
    tenant_id: str,
    now: dt.datetime,
    findings: list[Finding],
) -> TenantRouting:
    terms = policy.for_tenant(tenant_id)
    term, rule, contract, source = _term(policy, tenant_id)
    deadline = facts.aware_at + term
    contacts = terms.security_contacts
    if not contacts:
        findings.append(
            Finding(
                RULE_NO_CONTACTS,
                tenant_id,
                f"tenant {tenant_id} has no designated security contacts in the tenant terms; "
                "add them: DPA content goes to nobody else",
            )
        )
    checklist = policy.security.checklist
    covered: set[str] = set()
    notified_at: dt.datetime | None = None
    for notice in facts.notices:
        if notice.tenant_id != tenant_id:
            continue
        wrong = [r for r in notice.recipients if r not in contacts]
        for recipient in wrong:
            findings.append(
                Finding(
                    RULE_BAD_RECIPIENT,
                    tenant_id,
                    f"DPA notice {notice.id} went to {recipient!r}, which is not a security "
                    f"contact of tenant {tenant_id}",
                )
            )
        for item in notice.items:
            if item not in checklist:
                findings.append(
                    Finding(
                        RULE_UNKNOWN_ITEM,
                        tenant_id,
                        f"DPA notice {notice.id} lists {item!r}, which is not a checklist item",
                    )
                )
        if len(wrong) < len(notice.recipients):
            covered.update(notice.items)
            if notified_at is None or notice.at < notified_at:
                notified_at = notice.at
    missing = tuple(item for item in checklist if item not in covered)
    late_by: dt.timedelta | None = None
    if notified_at is not None and notified_at <= deadline:
        status = DueStatus.MET
    elif notified_at is not None:
        status, late_by = DueStatus.LATE, notified_at - deadline
    elif now <= deadline:
        status = DueStatus.PENDING
    else:
        status, late_by = DueStatus.MISSED, now - deadline
    reason = f"tell {tenant_id} by {format_instant(deadline)}: {format_duration(term)} after "
    reason += f"awareness ({source}); {status.value}"
    if late_by is not None:
        reason += f" by {format_duration(late_by)}"
    return TenantRouting(
        tenant_id=tenant_id,
        deadline=deadline,
        term=term,
        rule=rule,
        recipients=contacts,
        forbidden_audiences=policy.security.forbidden_audiences | {_OTHER_TENANTS},
        checklist=checklist,
        missing=missing,
        status=status,
        notified_at=notified_at,
        late_by=late_by,
        reason=reason,
        contract_term=contract,
    )


def _known_facts(incident: object, policy: Policy, now: dt.datetime) -> SecurityFacts:
    """The security facts of ``incident`` as known at ``now`` (which is UTC)."""
    facts = _security_facts(incident, policy)
    if now < facts.aware_at:
        raise PolicyInputError(
            "now",
            format_instant(now),
            f"an instant at or after aware_at ({format_instant(facts.aware_at)})",
        )
    return facts.as_of(now)


def route_security_incident(
    incident: SecurityFacts | Incident, policy: Policy | None = None, *, now: dt.datetime
) -> Routing:
    """Route an incident to the DPA or the standard track, as of ``now``.

    Facts later than ``now`` are not known yet and are ignored. On the DPA track each affected
    tenant gets its deadline (awareness plus the stricter of its contract's DPA term and the
    policy's deadline, in elapsed time, and which of the two applied),
    its recipients (its security contacts only), what DPA content must never reach, the
    Art. 33(3) checklist with what is still missing, and its status.

    Args:
        incident: A lifecycle :class:`~reliability_policy.lifecycle.Incident`, or its
            :class:`SecurityFacts` (see :func:`security_facts`).
        policy: The policy; ``None`` means :func:`~reliability_policy.default_policy`.
        now: The instant to route for (timezone-aware, not before ``aware_at``).

    Returns:
        The :class:`Routing`, with every decision record so far.

    Raises:
        PolicyInputError: ``incident`` is not usable, ``now`` is naive or before awareness.
        PolicyConfigError: a DPA deadline above GDPR's 72 h (a policy built without the
            loader's checks).

    .. versionadded:: 0.1.0
    """
    now = require_utc(now, "now")
    policy = policy_or_default(policy)
    facts = _known_facts(incident, policy, now)
    records = _records(facts)
    track, rule, reason = _track_rule(facts.kind, facts.involvement)
    affected = [t.tenant_id for t in facts.tenants]
    findings: list[Finding] = []
    entries: list[TenantRouting] = []
    if track is Track.DPA:
        entries = [_tenant_routing(facts, policy, t, now, findings) for t in affected]
    if _ever_on_dpa_track(records):
        in_scope = set(affected)
        for notice in facts.notices:
            if notice.tenant_id not in in_scope:
                findings.append(
                    Finding(
                        RULE_UNAFFECTED,
                        notice.tenant_id,
                        f"DPA notice {notice.id} was addressed to tenant {notice.tenant_id}, "
                        "which is not affected",
                    )
                )
    return Routing(
        incident_id=facts.incident_id,
        as_of=now,
        track=track,
        rule=rule,
        reason=reason,
        involvement=facts.involvement,
        aware_at=facts.aware_at,
        tenants=tuple(entries),
        records=records,
        findings=tuple(findings),
    )


_NEVER_DPA: Final = "never on the DPA track: no security details"


def ordinary_notice_flags(
    incident: SecurityFacts | Incident, policy: Policy | None = None, *, now: dt.datetime
) -> NoticeFlags:
    """Whether ordinary availability notices of ``incident`` may carry security details.

    The one place this is decided; the notification cadence asks it, and
    :attr:`Routing.security_details_allowed` gives the same answer. Once an incident has been
    on the DPA track (as of ``now``), its ordinary notices may not carry security details, even
    after a later assessment moved it to the standard track: security details never leave the
    DPA track. Before awareness nothing is routed yet, so nothing forbids them.

    >>> import datetime as dt
    >>> at = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)
    >>> ordinary_notice_flags(SecurityFacts("inc-1", "security", at), now=at).security_details
    False
    >>> ordinary_notice_flags(SecurityFacts("inc-2", "availability", at), now=at).rule
    'availability-incident'

    Raises:
        PolicyInputError: ``incident`` is not usable, or ``now`` is naive.

    .. versionadded:: 0.1.0
    """
    now = require_utc(now, "now")
    policy = policy_or_default(policy)
    facts = _security_facts(incident, policy)
    if now < facts.aware_at:
        return NoticeFlags(True, RULE_AVAILABILITY, "not aware of a security incident yet")
    records = _records(facts.as_of(now))
    if not _ever_on_dpa_track(records):
        return NoticeFlags(True, records[-1].rule, _NEVER_DPA)
    return NoticeFlags(
        False,
        RULE_NO_SECURITY_DETAILS,
        "on the DPA track (now or before): ordinary notices carry no security details",
    )


# --- the policy check -------------------------------------------------------------------------


def policy_problems(policy: Policy) -> Iterator[Problem]:
    """The checks of a policy's ``security`` section and tenant DPA terms, run by the loader.

    No DPA deadline (the policy's or a tenant's) exceeds the controller's own 72 h
    (:data:`GDPR_CONTROLLER_DEADLINE`), the Art. 33(3) checklist is not empty and the forbidden
    audiences are known ones. A tenant's term is recorded as its contract states it, up to
    72 h, even when it is looser than the policy's: the routing applies the stricter of the two.

    >>> from reliability_policy import default_policy
    >>> list(policy_problems(default_policy()))
    []

    .. versionadded:: 0.2.0
    """
    security = policy.security
    if security.notify_deadline > GDPR_CONTROLLER_DEADLINE:
        yield Problem(
            "$.security.notify_deadline", _AT_MOST_72H, format_duration(security.notify_deadline)
        )
    if not security.checklist:
        yield Problem("$.security.checklist", "at least one Art. 33(3) item", [])
    unknown = security.forbidden_audiences - _AUDIENCES
    if unknown:
        expected = "audiences among " + ", ".join(sorted(_AUDIENCES))
        yield Problem("$.security.forbidden_audiences", expected, sorted(unknown))
    for i, tenant in enumerate(policy.tenants):
        if tenant.dpa_deadline is not None and tenant.dpa_deadline > GDPR_CONTROLLER_DEADLINE:
            path = f"$.tenants[{i}].dpa_deadline"
            yield Problem(path, _AT_MOST_72H, format_duration(tenant.dpa_deadline))
