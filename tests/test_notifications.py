"""Notification cadence (SPEC section 3): worked examples, properties, bad input, round trips."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reliability_policy import Channel, Severity, loads_policy, notifications
from reliability_policy.errors import NaiveDatetimeError, PolicyConfigError, PolicyInputError
from reliability_policy.findings import DueStatus
from reliability_policy.lifecycle import (
    Audience,
    Detected,
    NoticeKind,
    NotificationSent,
    Recovered,
    Resolved,
    Triaged,
    Validated,
    replay,
)
from reliability_policy.notifications import (
    RULE_BEST_EFFORT,
    RULE_FIRST_NOTICE,
    RULE_RESOLUTION,
    RULE_SUMMARY,
    RULE_UPDATE,
    AuditReport,
    ChannelOutage,
    CommunicationFacts,
    Obligation,
    SentNotice,
    SeverityPoint,
    TenantScope,
    audit,
    next_due,
    obligations,
)
from reliability_policy.policy import Policy
from reliability_policy.serialization import dumps, loads
from reliability_policy.testing import communication_facts, policies

UTC = dt.UTC
T0 = dt.datetime(2026, 3, 9, 14, 0, tzinfo=UTC)  # a Monday
TENANT = Audience.AFFECTED_TENANTS
LISTED = Audience.NOTIFICATION_LIST
UNMET = (DueStatus.PENDING, DueStatus.MISSED)


# Every ordinary content item the default policy requires: these notices meet any obligation.
CONTENT = frozenset({"scope", "impact", "what_happened", "customer_impact", "corrective_actions"})


def m(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def facts(
    *points: tuple[float, Severity | None],
    tenants: tuple[tuple[str, float], ...] = (("t-001", 0),),
    resolved: float | None = None,
    notices: tuple[SentNotice, ...] = (),
    dpa_track: bool = False,
    outages: tuple[ChannelOutage, ...] = (),
) -> CommunicationFacts:
    return CommunicationFacts(
        incident_id="INC-1",
        severities=tuple(SeverityPoint(m(at), level) for at, level in points),
        scope_confirmed_at=T0,
        scope=tuple(TenantScope(tenant, m(at)) for tenant, at in tenants),
        resolved_at=None if resolved is None else m(resolved),
        notices=notices,
        dpa_track=dpa_track,
        outages=outages,
    )


def sent(
    at: float,
    kind: NoticeKind = NoticeKind.UPDATE,
    *tenants: str,
    channel: Channel = Channel.EMAIL,
    audience: Audience = TENANT,
    id: str | None = None,
) -> SentNotice:
    return SentNotice(
        id or f"n-{at}-{channel.value}-{kind.value}",
        m(at),
        channel,
        kind,
        audience,
        tenants or ("t-001",),
        content=CONTENT,
    )


def both(at: float, kind: NoticeKind = NoticeKind.UPDATE, *tenants: str) -> tuple[SentNotice, ...]:
    return (sent(at, kind, *tenants), sent(at, kind, *tenants, channel=Channel.IN_APP))


def owed(value: Obligation | None) -> Obligation:
    assert value is not None
    return value


def anything(value: object) -> Any:
    """A value of the wrong type, passed on purpose."""
    return value


def of(found: tuple[Obligation, ...], kind: NoticeKind, tenant: str = "t-001") -> list[Obligation]:
    return [o for o in found if o.kind is kind and o.tenant == tenant]


# --- worked examples ------------------------------------------------------------------------------


def test_first_notice_is_due_from_scope_confirmed_and_names_the_rule() -> None:
    owed = next_due(facts((0, Severity.SEV_1)), now=T0)
    assert owed is not None
    assert (owed.kind, owed.due, owed.rule) == (NoticeKind.FIRST_NOTICE, m(30), RULE_FIRST_NOTICE)
    assert owed.status is DueStatus.PENDING
    assert owed.tenant == "t-001"
    assert "to the tenant" in owed.reason
    assert "30m" in owed.reason
    assert owed.required_channels == frozenset({Channel.EMAIL})
    assert owed.best_effort_channels == frozenset({Channel.IN_APP})


@pytest.mark.parametrize(
    ("local", "wall"),
    [
        (dt.datetime(2026, 3, 8, 1, 50), (3, 20)),  # spring forward: 02:20 does not exist
        (dt.datetime(2026, 11, 1, 1, 50), (1, 20)),  # fall back: 01:20 again, in EST
    ],
)
def test_sev1_clock_across_dst_is_elapsed_minutes(
    local: dt.datetime, wall: tuple[int, int]
) -> None:
    new_york = zoneinfo.ZoneInfo("America/New_York")
    confirmed = local.replace(tzinfo=new_york)
    subject = CommunicationFacts(
        "INC-DST",
        (SeverityPoint(confirmed, Severity.SEV_1),),
        confirmed,
        (TenantScope("t-001", confirmed),),
    )
    owed = next_due(subject, now=confirmed)
    assert owed is not None
    assert owed.due - confirmed == dt.timedelta(minutes=30)  # elapsed, compared in UTC
    assert owed.due.timestamp() - confirmed.timestamp() == 30 * 60
    shown = owed.due.astimezone(new_york)
    assert (shown.hour, shown.minute) == wall


def test_summary_deadline_spans_a_weekend_and_a_listed_holiday() -> None:
    policy = loads_policy(
        "schema_version = 1\n[calendar]\ntime_zone = 'Europe/Berlin'\n"
        "holidays = ['2026-12-25', '2027-01-01']\n"
    )
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    start = dt.datetime(2026, 12, 24, 9, 0, tzinfo=berlin)  # Thursday
    resolved = dt.datetime(2026, 12, 24, 16, 0, tzinfo=berlin)
    subject = CommunicationFacts(
        "INC-XMAS",
        (SeverityPoint(start, Severity.SEV_2),),
        start,
        (TenantScope("t-001", start),),
        resolved_at=resolved,
        notices=(
            SentNotice(
                "n1",
                start,
                Channel.EMAIL,
                NoticeKind.FIRST_NOTICE,
                TENANT,
                ("t-001",),
                content=CONTENT,
            ),
        ),
    )
    found = obligations(subject, policy, now=resolved)
    (summary,) = of(found, NoticeKind.SUMMARY)
    # Fri 25 holiday, weekend, Mon 28 .. Thu 31 are 4, Fri Jan 1 holiday, weekend, Mon Jan 4 is 5.
    assert summary.due == dt.datetime(2027, 1, 4, 16, 0, tzinfo=berlin)
    assert summary.rule == RULE_SUMMARY
    assert summary.status is DueStatus.PENDING
    (resolution,) = of(found, NoticeKind.RESOLUTION)
    assert resolution.due == resolved + dt.timedelta(minutes=120)


def test_updates_run_from_the_last_notice() -> None:
    found = obligations(
        facts((0, Severity.SEV_2), notices=both(10, NoticeKind.FIRST_NOTICE)), now=m(10)
    )
    assert [(o.kind, o.status, o.due) for o in found] == [
        (NoticeKind.FIRST_NOTICE, DueStatus.MET, m(60)),
        (NoticeKind.UPDATE, DueStatus.PENDING, m(70)),
    ]
    assert found[1].rule == RULE_UPDATE


def test_escalation_shortens_the_clock_at_once() -> None:
    subject = facts(
        (0, Severity.SEV_2), (20, Severity.SEV_1), notices=both(10, NoticeKind.FIRST_NOTICE)
    )
    owed = next_due(subject, now=m(20))
    assert owed is not None
    assert owed.kind is NoticeKind.UPDATE
    assert owed.due == m(50)  # min(10 + 60, 20 + 30)
    assert owed.severity is Severity.SEV_1
    assert "SEV-1" in owed.reason


def test_deescalation_never_delays_and_sev3_ends_updates_but_not_the_resolution_notice() -> None:
    down = facts(
        (0, Severity.SEV_1), (40, Severity.SEV_2), notices=both(10, NoticeKind.FIRST_NOTICE)
    )
    assert owed(next_due(down, now=m(40))).due == m(40)
    ended = facts(
        (0, Severity.SEV_1),
        (20, Severity.SEV_3),
        notices=both(10, NoticeKind.FIRST_NOTICE),
        resolved=300,
    )
    assert of(obligations(ended, now=m(200)), NoticeKind.UPDATE) == []
    found = obligations(ended, now=m(300))
    (resolution,) = of(found, NoticeKind.RESOLUTION)
    assert resolution.due == m(360)
    assert resolution.severity is Severity.SEV_1
    assert resolution.rule == RULE_RESOLUTION
    assert len(of(found, NoticeKind.SUMMARY)) == 1  # material: the highest was SEV-1


def test_tenant_added_later_gets_its_own_first_notice() -> None:
    subject = facts((0, Severity.SEV_1), tenants=(("t-001", 0), ("t-002", 45)))
    found = obligations(subject, now=m(45))
    assert [o.due for o in of(found, NoticeKind.FIRST_NOTICE, "t-002")] == [m(75)]
    assert "joined the scope" in of(found, NoticeKind.FIRST_NOTICE, "t-002")[0].reason


def test_late_notice_is_late_by_exactly_that_much_and_audit_reports_it() -> None:
    subject = facts((0, Severity.SEV_1), notices=both(47, NoticeKind.FIRST_NOTICE))
    report = audit(subject, now=m(47))
    assert not report.compliant
    (breach,) = report.breaches
    (late,) = [o for o in report.tenants[0].obligations if o.status is DueStatus.LATE]
    assert late.late_by == dt.timedelta(minutes=17)
    assert (breach.rule, breach.tenant) == (RULE_FIRST_NOTICE, late.tenant)
    assert "late by 17m" in breach.reason
    assert "1 breach" in report.summary


def test_missed_and_pending_as_of_now() -> None:
    subject = facts((0, Severity.SEV_1))
    assert owed(next_due(subject, now=m(10))).status is DueStatus.PENDING
    assert owed(next_due(subject, now=m(31))).status is DueStatus.MISSED
    report = audit(subject, now=m(31))
    assert [b.rule for b in report.breaches] == [RULE_FIRST_NOTICE]
    assert report.breaches[0].reason.startswith("first_notice due")


def test_missing_in_app_is_a_warning_not_a_breach() -> None:
    report = audit(
        facts((0, Severity.SEV_1), notices=(sent(20, NoticeKind.FIRST_NOTICE),)), now=m(20)
    )
    assert report.compliant
    (warning,) = report.warnings
    assert warning.rule == RULE_BEST_EFFORT
    assert "in_app" in warning.reason


def test_fallback_channel_counts_only_while_email_is_down() -> None:
    app_only = (sent(20, NoticeKind.FIRST_NOTICE, channel=Channel.IN_APP),)
    without = audit(facts((0, Severity.SEV_1), notices=app_only), now=m(40))
    assert not without.compliant
    outage = (ChannelOutage(Channel.EMAIL, m(5), m(25)),)
    covered = audit(facts((0, Severity.SEV_1), notices=app_only, outages=outage), now=m(40))
    assert covered.compliant
    assert covered.warnings == ()
    declared = attrs.evolve(app_only[0], fallback_for=Channel.EMAIL)
    assert audit(facts((0, Severity.SEV_1), notices=(declared,)), now=m(40)).compliant


def test_notification_list_is_an_audience_for_sev1_and_sev2_only() -> None:
    policy = loads_policy('schema_version = 1\n[notifications]\nnotification_list = ["t-900"]\n')
    sev2 = obligations(facts((0, Severity.SEV_2)), policy, now=m(0))
    assert [(o.audience, o.tenant, o.due) for o in sev2 if o.audience is LISTED] == [
        (LISTED, "t-900", m(60))
    ]
    assert "listed customer" in next(o for o in sev2 if o.audience is LISTED).reason
    assert obligations(facts((0, Severity.SEV_3)), policy, now=m(500)) == ()


def test_a_tenant_that_asked_through_its_own_terms_is_on_the_notification_list() -> None:
    policy = loads_policy(
        "schema_version = 1",
        tenants={
            "schema_version": 1,
            "tenants": [
                {"id": "t-800", "time_zone": "UTC", "notification_list": True},
                {"id": "t-801", "time_zone": "UTC"},
            ],
        },
    )
    sev1 = obligations(facts((0, Severity.SEV_1)), policy, now=m(0))
    listed = [(o.tenant, o.due) for o in sev1 if o.audience is LISTED]
    assert listed == [("t-800", m(30))]
    assert all(o.tenant != "t-801" for o in sev1)


def test_dpa_track_notices_carry_no_security_details() -> None:
    found = obligations(facts((0, Severity.SEV_1), dpa_track=True), now=m(0))
    assert found
    assert all(o.no_security_details for o in found)
    assert not any(o.no_security_details for o in obligations(facts((0, Severity.SEV_1)), now=m(0)))


def test_nothing_is_owed_before_scope_is_confirmed() -> None:
    subject = attrs.evolve(facts((0, Severity.SEV_1)), scope_confirmed_at=None)
    assert obligations(subject, now=m(600)) == ()
    assert next_due(subject, now=m(600)) is None


def test_audit_without_now_judges_at_the_last_instant_in_the_record() -> None:
    subject = facts((0, Severity.SEV_1), notices=both(10, NoticeKind.FIRST_NOTICE))
    report = audit(subject)
    assert report.as_of == m(10)
    assert report.compliant
    assert [o.status for r in report.tenants for o in r.obligations] == [
        DueStatus.MET,
        DueStatus.PENDING,
    ]


def test_adapter_reads_an_incident_from_the_lifecycle() -> None:
    incident = replay(
        [
            Detected(id="e1", at=m(-5), incident_id="INC-9"),
            Triaged(id="e2", at=m(0), severity=Severity.SEV_1, tenants={"t-001", "t-002"}),
            NotificationSent(
                id="e3",
                at=m(20),
                channel=Channel.EMAIL,
                kind=NoticeKind.FIRST_NOTICE,
                tenants={"t-001", "t-002"},
                content=CONTENT,
            ),
            Recovered(id="e4", at=m(40)),
            Validated(id="e5", at=m(45)),
            Resolved(id="e6", at=m(50)),
        ]
    )
    subject = notifications.communication_facts(incident)
    assert subject.scope_confirmed_at == m(0)
    assert subject.resolved_at == m(50)
    assert [s.tenant for s in subject.scope] == ["t-001", "t-002"]
    assert obligations(incident, now=m(50)) == obligations(subject, now=m(50))
    assert {o.kind for o in obligations(incident, now=m(50))} == {
        NoticeKind.FIRST_NOTICE,
        NoticeKind.RESOLUTION,
        NoticeKind.SUMMARY,
    }


# --- bad input ----------------------------------------------------------------------------------


def test_naive_now_is_refused() -> None:
    with pytest.raises(NaiveDatetimeError):
        obligations(facts((0, Severity.SEV_1)), now=dt.datetime(2026, 3, 9))


@pytest.mark.parametrize("subject", [None, "INC-1", 42, {"incident_id": "x"}])
def test_wrong_subject_is_refused(subject: object) -> None:
    with pytest.raises(PolicyInputError, match="incident"):
        obligations(anything(subject), now=T0)


def test_wrong_policy_is_refused() -> None:
    with pytest.raises(PolicyInputError, match="policy"):
        audit(facts((0, Severity.SEV_1)), anything("default"), now=T0)


def test_bad_facts_are_refused_with_the_field() -> None:
    with pytest.raises(NaiveDatetimeError, match="at"):
        SeverityPoint(dt.datetime(2026, 1, 1), Severity.SEV_1)
    with pytest.raises(PolicyInputError, match="severity"):
        SeverityPoint(T0, anything("SEV-4"))
    assert SeverityPoint(T0, "SEV-1").severity is Severity.SEV_1
    assert SentNotice("n", T0, "email", "update", "affected_tenants", ("t-001",)).channel is (
        Channel.EMAIL
    )
    assert ChannelOutage("email", m(0)).channel is Channel.EMAIL
    with pytest.raises(PolicyInputError, match="each tenant at most once"):
        facts((0, Severity.SEV_1), tenants=(("t-001", 0), ("t-001", 5)))
    with pytest.raises(PolicyInputError, match="removed_at"):
        TenantScope("t-001", m(10), m(5))
    with pytest.raises(PolicyInputError, match="tenants"):
        SentNotice("n", T0, Channel.EMAIL, NoticeKind.UPDATE, TENANT, anything(["t-001"]))
    with pytest.raises(PolicyInputError, match="end"):
        ChannelOutage(Channel.EMAIL, m(10), m(0))
    with pytest.raises(PolicyInputError, match="incident_id"):
        attrs.evolve(facts((0, Severity.SEV_1)), incident_id="")
    with pytest.raises(PolicyInputError, match="dpa_track"):
        attrs.evolve(facts((0, Severity.SEV_1)), dpa_track=anything("yes"))


def test_audit_of_a_record_with_no_time_needs_now() -> None:
    empty = CommunicationFacts("INC-0", (), None, ())
    with pytest.raises(PolicyInputError, match="now"):
        audit(empty)
    assert audit(empty, now=T0).compliant


def test_bad_json_facts_get_a_config_error_with_the_path() -> None:
    with pytest.raises(PolicyConfigError, match="scope_confirmed_at"):
        loads(
            '{"incident_id": "x", "severities": [], "scope_confirmed_at": "soon", "scope": []}',
            CommunicationFacts,
        )


# --- properties -----------------------------------------------------------------------------------


def follow_schedule(
    subject: CommunicationFacts, policy: Policy, horizon: dt.datetime
) -> CommunicationFacts:
    """Send every unmet obligation exactly at its due time (email and in-app), in rounds.

    Addressees are independent, so each round sends every addressee's earliest unmet one.
    """
    current = attrs.evolve(subject, notices=(), outages=())
    for round_ in range(300):
        earliest: dict[tuple[Audience, str], Obligation] = {}
        for o in obligations(current, policy, now=horizon):
            if o.status in UNMET and o.due <= horizon:
                key = (o.audience, o.tenant)
                if key not in earliest or o.due < earliest[key].due:
                    earliest[key] = o
        if not earliest:
            return current
        sends = tuple(
            SentNotice(
                f"s{round_}-{n}{c.value}",
                o.due,
                c,
                o.kind,
                o.audience,
                (o.tenant,),
                content=CONTENT,
            )
            for n, o in enumerate(earliest.values())
            for c in (Channel.EMAIL, Channel.IN_APP)
        )
        current = attrs.evolve(current, notices=current.notices + sends)
    raise AssertionError("the schedule did not settle")


def horizon_of(subject: CommunicationFacts) -> dt.datetime:
    if subject.resolved_at is not None:
        return subject.resolved_at + dt.timedelta(days=12)
    last = subject.last_instant()
    assert last is not None
    return last + dt.timedelta(hours=2)


@settings(max_examples=30)
@given(st.data())
def test_following_the_schedule_audits_clean(data: st.DataObject) -> None:
    policy = data.draw(policies())
    shortest = min(
        d
        for c in (policy.notifications.sev1, policy.notifications.sev2)
        for d in (c.first_notice, c.update_interval)
        if d is not None
    )
    assume(shortest >= dt.timedelta(minutes=15))  # keeps the number of rounds small
    subject = data.draw(communication_facts(policy=policy, tenant_count=3, notices=False))
    horizon = horizon_of(subject)
    followed = follow_schedule(subject, policy, horizon)
    report = audit(followed, policy, now=horizon)
    assert report.compliant, report.breaches
    assert report.warnings == ()


@given(communication_facts(notices=False), st.integers(1, 600))
def test_sending_late_is_reported_late_by_exactly_that_much(
    subject: CommunicationFacts, minutes: int
) -> None:
    delay = dt.timedelta(minutes=minutes)
    horizon = horizon_of(subject) + delay
    firsts: dict[tuple[Audience, str, NoticeKind], Obligation] = {}
    for owed in obligations(subject, now=horizon):
        firsts.setdefault((owed.audience, owed.tenant, owed.kind), owed)
    for owed in firsts.values():
        if owed.kind is NoticeKind.UPDATE:
            continue
        late = SentNotice(
            "late",
            owed.due + delay,
            Channel.EMAIL,
            owed.kind,
            owed.audience,
            (owed.tenant,),
            content=CONTENT,
        )
        again = obligations(attrs.evolve(subject, notices=(late,)), now=horizon)
        (judged,) = [o for o in again if o.notice_id == "late" and o.kind is owed.kind]
        assert judged.due == owed.due
        assert judged.status is DueStatus.LATE
        assert judged.late_by == delay


@given(communication_facts())
def test_every_tenant_ever_notified_has_a_resolution_obligation(
    subject: CommunicationFacts,
) -> None:
    resolved = subject.resolved_at
    highest = max((p.severity for p in subject.severities if p.severity), default=None)
    if resolved is None or highest is None or highest is Severity.SEV_3:
        return
    confirmed = subject.scope_confirmed_at
    assert confirmed is not None
    found = obligations(subject, now=resolved + dt.timedelta(days=12))
    owed = {o.tenant for o in found if o.kind is NoticeKind.RESOLUTION and o.audience is TENANT}
    for scope in subject.scope:
        start = max(confirmed, scope.added_at)
        if scope.removed_at is not None and scope.removed_at <= start:
            continue
        notified = any(
            scope.tenant in n.tenants
            and n.audience is TENANT
            and n.at >= start
            and n.kind is not NoticeKind.SUMMARY
            and (
                n.channel is Channel.EMAIL
                or (n.channel is Channel.IN_APP and any(o.covers(n.at) for o in subject.outages))
            )
            for n in subject.notices
        )
        if notified:
            assert scope.tenant in owed


@given(
    communication_facts(notices=False),
    st.integers(0, 600),
    st.sampled_from([Severity.SEV_1, Severity.SEV_2]),
)
def test_escalation_never_moves_a_due_time_later(
    subject: CommunicationFacts, offset: int, level: Severity
) -> None:
    confirmed = subject.scope_confirmed_at
    assert confirmed is not None
    at = confirmed + dt.timedelta(minutes=offset)
    points = sorted(subject.severities, key=lambda p: p.at)
    before = [p.severity for p in points if p.at <= at]
    current = before[-1] if before else None
    if current is not None and current >= level:
        return
    escalated = attrs.evolve(
        subject,
        severities=(
            *tuple(p for p in points if p.at <= at),
            SeverityPoint(at, level),
            *tuple(
                p for p in points if p.at > at and p.severity is not None and p.severity >= level
            ),
        ),
    )
    horizon = horizon_of(subject)
    plain_due = {(o.audience, o.tenant, o.kind): o.due for o in obligations(subject, now=horizon)}
    for owed in obligations(escalated, now=horizon):
        key = (owed.audience, owed.tenant, owed.kind)
        if owed.kind is not NoticeKind.UPDATE and key in plain_due:
            assert owed.due <= plain_due[key]


@given(communication_facts(severity_pool=(Severity.SEV_3, None)), st.integers(0, 2000))
def test_sev3_owes_nothing_proactive(subject: CommunicationFacts, minutes: int) -> None:
    now = subject.severities[0].at + dt.timedelta(minutes=minutes)
    assert obligations(subject, now=now) == ()
    assert next_due(subject, now=now) is None
    assert audit(subject, now=now).compliant


@given(communication_facts(tenant_count=2), communication_facts(tenant_count=3))
def test_one_tenants_results_do_not_change_when_others_are_added(
    subject: CommunicationFacts, other: CommunicationFacts
) -> None:
    mine = {s.tenant for s in subject.scope}
    extra = tuple(attrs.evolve(s, tenant="x" + s.tenant) for s in other.scope)
    notices = tuple(
        attrs.evolve(n, id="x" + n.id, tenants=tuple("x" + t for t in n.tenants))
        for n in other.notices
    )
    bigger = attrs.evolve(subject, scope=subject.scope + extra, notices=subject.notices + notices)
    now = horizon_of(subject)
    alone = [o for o in obligations(subject, now=now) if o.tenant in mine]
    together = [o for o in obligations(bigger, now=now) if o.tenant in mine]
    assert alone == together


@given(communication_facts())
def test_nothing_addressed_to_one_tenant_names_another(subject: CommunicationFacts) -> None:
    report = audit(subject)
    everyone = {s.tenant for s in subject.scope}
    for result in report.tenants:
        text = dumps(result)
        for other in everyone - {result.tenant}:
            assert f'"{other}"' not in text
            assert f"{other} " not in text
        assert all(o.tenant == result.tenant for o in result.obligations)
        assert all(o.no_security_details is subject.dpa_track for o in result.obligations)


@given(communication_facts())
def test_values_round_trip_through_json(subject: CommunicationFacts) -> None:
    assert loads(dumps(subject), CommunicationFacts) == subject
    report = audit(subject)
    assert loads(dumps(report), AuditReport) == report


@given(communication_facts(), st.integers(0, 3000))
def test_next_due_is_the_earliest_unmet_obligation(
    subject: CommunicationFacts, minutes: int
) -> None:
    now = subject.severities[0].at + dt.timedelta(minutes=minutes)
    unmet = [o for o in obligations(subject, now=now) if o.status in UNMET]
    owed = next_due(subject, now=now)
    if not unmet:
        assert owed is None
    else:
        assert owed is not None
        assert owed.due == min(o.due for o in unmet)


# --- the per-addressee view ------------------------------------------------------------------------


@given(communication_facts(), st.integers(0, 24 * 60))
def test_next_due_per_addressee_is_each_addressees_earliest_unmet_obligation(subject, minutes):
    now = (
        subject.scope_confirmed_at + dt.timedelta(minutes=minutes)
        if subject.scope_confirmed_at
        else m(0)
    )
    per = notifications.next_due_per_addressee(subject, now=now)
    everything = obligations(subject, now=now)
    expected = {}
    for o in everything:
        if o.status in UNMET:
            key = (o.audience, o.tenant)
            if key not in expected or o.due < expected[key].due:
                expected[key] = o
    assert {(o.audience, o.tenant): o for o in per} == expected
    assert len(per) == len(expected)
    assert [o.due for o in per] == sorted(o.due for o in per)
    assert (per[0] if per else None) == next_due(subject, now=now)


def test_next_due_per_addressee_names_each_tenant_once_and_only_itself() -> None:
    subject = facts((0, Severity.SEV_1), tenants=(("t-001", 0), ("t-002", 45)))
    per = notifications.next_due_per_addressee(subject, now=m(50))
    assert [(o.tenant, o.kind, o.due) for o in per] == [
        ("t-001", NoticeKind.FIRST_NOTICE, m(30)),
        ("t-002", NoticeKind.FIRST_NOTICE, m(75)),
    ]
    assert [o.status for o in per] == [DueStatus.MISSED, DueStatus.PENDING]
