"""The notification contract, pinned exactly (SPEC section 3).

Each addressee's obligations are its own (a notice to one tenant never meets, names or goes to
another; the notification list includes a tenant whose own terms ask for it); each due time is
exact at its boundary (a notice sent at the due instant is on time, a clock that ends at the
due instant owes nothing); each finding carries its rule and a reason with its numbers; and
every refused value names its field, the value and what was expected.
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from typing import Any

import attrs
import pytest

import reliability_policy as rp
from expect import assert_input_error, config_problem, find_problem, input_error
from reliability_policy import serialization
from reliability_policy.defaults import default_policy
from reliability_policy.errors import NaiveDatetimeError, PolicyConfigError, Problem
from reliability_policy.findings import DueStatus, FindingLevel
from reliability_policy.levels import Channel, Severity
from reliability_policy.lifecycle import (
    Audience,
    DataInvolvement,
    Detected,
    Event,
    Incident,
    IncidentKind,
    NoticeKind,
    NotificationSent,
    Recovered,
    Regression,
    Resolved,
    ReviewStarted,
    ScopeChanged,
    SecurityAssessed,
    SeverityChanged,
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
    TenantResult,
    TenantScope,
    audit,
    communication_facts,
    draft_notice,
    next_due,
    next_due_per_addressee,
    obligations,
    policy_problems,
)
from reliability_policy.policy import (
    Cadence,
    NoticeTemplates,
    Policy,
    Tenant,
    TimeZoneName,
)
from reliability_policy.serialization import dumps, loads
from reliability_policy.timing import CalendarSpan, format_instant, parse_calendar_span

UTC = dt.UTC
T0 = dt.datetime(2026, 3, 9, 14, 0, tzinfo=UTC)  # a Monday
S = dt.timedelta(seconds=1)
TENANT = Audience.AFFECTED_TENANTS
LISTED = Audience.NOTIFICATION_LIST
FIRST = NoticeKind.FIRST_NOTICE
UPDATE = NoticeKind.UPDATE
RESOLUTION = NoticeKind.RESOLUTION
SUMMARY = NoticeKind.SUMMARY
# Every ordinary content item the default policy requires: these notices meet any obligation.
CONTENT = frozenset({"scope", "impact", "what_happened", "customer_impact", "corrective_actions"})
DEFAULT = default_policy()
# t-800 asks for the notification list in its own terms; t-801 does not; t-802 is only known.
SELF_LISTED = attrs.evolve(
    DEFAULT,
    tenants=(
        Tenant("t-800", TimeZoneName("UTC"), notification_list=True),
        Tenant("t-801", TimeZoneName("UTC")),
    ),
)


def span(text: str) -> CalendarSpan:
    return parse_calendar_span(text)


def m(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def anything(value: object) -> Any:
    """A value of the wrong type, passed on purpose."""
    return value


def facts(
    *points: tuple[float, Severity | None],
    tenants: tuple[tuple[str, float], ...] = (("t-001", 0),),
    resolved: float | None = None,
    notices: tuple[SentNotice, ...] = (),
    outages: tuple[ChannelOutage, ...] = (),
    removed: dict[str, float] | None = None,
    confirmed: float | None = 0,
) -> CommunicationFacts:
    gone = removed or {}
    return CommunicationFacts(
        incident_id="INC-1",
        severities=tuple(SeverityPoint(m(at), level) for at, level in points),
        scope_confirmed_at=None if confirmed is None else m(confirmed),
        scope=tuple(
            TenantScope(tenant, m(at), m(gone[tenant]) if tenant in gone else None)
            for tenant, at in tenants
        ),
        resolved_at=None if resolved is None else m(resolved),
        notices=notices,
        outages=outages,
    )


def sent(
    at: float,
    kind: NoticeKind = UPDATE,
    tenants: tuple[str, ...] = ("t-001",),
    *,
    channel: Channel = Channel.EMAIL,
    audience: Audience = TENANT,
    content: frozenset[str] = CONTENT,
    fallback_for: Channel | None = None,
    id: str | None = None,
) -> SentNotice:
    return SentNotice(
        id or f"n-{at}-{channel.value}-{kind.value}-{audience.value}",
        m(at),
        channel,
        kind,
        audience,
        tenants,
        fallback_for=fallback_for,
        content=content,
    )


def both(at: float, kind: NoticeKind = UPDATE, tenants: tuple[str, ...] = ("t-001",)):
    return (sent(at, kind, tenants), sent(at, kind, tenants, channel=Channel.IN_APP))


def listing(*tenants: str, severities: tuple[Severity, ...] | None = None) -> Policy:
    """The default policy with ``tenants`` on its own notification list."""
    notifications = attrs.evolve(DEFAULT.notifications, notification_list=frozenset(tenants))
    if severities is not None:
        notifications = attrs.evolve(
            notifications, notification_list_severities=frozenset(severities)
        )
    return attrs.evolve(DEFAULT, notifications=notifications)


def cadenced(policy: Policy = DEFAULT, **per_severity: Cadence) -> Policy:
    """``policy`` with the cadence of ``sev1``/``sev2``/``sev3`` replaced."""
    notifications = attrs.evolve(policy.notifications, **per_severity)
    return attrs.evolve(policy, notifications=notifications)


def row(o: Obligation) -> tuple[object, ...]:
    return (o.audience, o.tenant, o.kind, o.due, o.status)


def first_notice_reason(severity: str, who: str, after: str, since: dt.datetime, span: str) -> str:
    return f"{severity}: first notice to {who} due {span} after {after} ({format_instant(since)})"


def update_reason(severity: str, who: str, after: str, since: dt.datetime, span: str) -> str:
    return f"{severity}: update to {who} due {span} after {after} ({format_instant(since)})"


# --- isolation: the notification list, including a tenant's own terms ---------------------------


def test_a_tenant_whose_own_terms_ask_for_the_list_is_owed_list_notices() -> None:
    found = obligations(facts((0, Severity.SEV_1)), SELF_LISTED, now=m(0))
    assert [row(o) for o in found] == [
        (TENANT, "t-001", FIRST, m(30), DueStatus.PENDING),
        (LISTED, "t-800", FIRST, m(30), DueStatus.PENDING),
    ]
    listed = found[1]
    assert listed.rule == RULE_FIRST_NOTICE
    assert listed.reason == first_notice_reason(
        "SEV-1", "the listed customer", "scope confirmed", T0, "30m"
    )
    assert listed.incident_id == "INC-1"


def test_a_self_listed_tenant_is_what_next_due_names_when_it_alone_is_owed() -> None:
    subject = facts((0, Severity.SEV_1), tenants=())
    owed = next_due(subject, SELF_LISTED, now=m(31))
    assert owed is not None
    assert row(owed) == (LISTED, "t-800", FIRST, m(30), DueStatus.MISSED)
    per = next_due_per_addressee(subject, SELF_LISTED, now=m(31))
    assert [row(o) for o in per] == [row(owed)]
    assert next_due(subject, DEFAULT, now=m(31)) is None


def test_a_self_listed_tenant_gets_its_own_audit_result_and_breach() -> None:
    report = audit(facts((0, Severity.SEV_1), tenants=()), SELF_LISTED, now=m(31))
    assert [(r.tenant, r.audience, r.compliant) for r in report.tenants] == [
        ("t-800", LISTED, False)
    ]
    (breach,) = report.breaches
    assert (breach.rule, breach.tenant, breach.level) == (
        RULE_FIRST_NOTICE,
        "t-800",
        FindingLevel.BREACH,
    )
    assert breach.reason == (
        f"first_notice to the notification list due {format_instant(m(30))} not sent, overdue by 1m"
    )
    assert report.warnings == ()  # best effort is for the affected tenants only


def test_a_self_listed_tenant_may_be_sent_a_draft_and_an_unlisted_one_may_not() -> None:
    incident = _incident()
    draft = draft_notice(incident, "t-800", "update", SELF_LISTED, now=m(10))
    assert draft.tenant == "t-800"
    assert "t-800" not in draft.text  # the default template does not name the tenant
    expected = "a tenant in the scope of INC-7 or on the notification list"
    with input_error("tenant", value="t-801", expected=expected):
        draft_notice(incident, "t-801", "update", SELF_LISTED, now=m(10))
    with input_error("tenant", value="t-800", expected=expected):
        draft_notice(incident, "t-800", "update", DEFAULT, now=m(10))


def test_the_policys_own_list_and_self_listed_tenants_are_both_addressees() -> None:
    policy = attrs.evolve(listing("t-900"), tenants=SELF_LISTED.tenants)
    found = obligations(facts((0, Severity.SEV_2), tenants=()), policy, now=m(0))
    assert [(o.audience, o.tenant, o.due) for o in found] == [
        (LISTED, "t-800", m(60)),
        (LISTED, "t-900", m(60)),
    ]


def test_a_list_notice_meets_only_its_own_addressees_list_obligation() -> None:
    policy = listing("t-001", "t-900")
    notice = sent(10, FIRST, ("t-900",), audience=LISTED)
    found = obligations(facts((0, Severity.SEV_1), notices=(notice,)), policy, now=m(20))
    firsts = {(o.audience, o.tenant): o for o in found if o.kind is FIRST}
    assert firsts[(LISTED, "t-900")].status is DueStatus.MET
    assert firsts[(LISTED, "t-900")].notice_id == notice.id
    # The same tenant as affected and as listed keeps two separate mailboxes.
    assert firsts[(LISTED, "t-001")].status is DueStatus.PENDING
    assert firsts[(TENANT, "t-001")].status is DueStatus.PENDING
    assert all(o.tenant == "t-900" for o in found if o.notice_id == notice.id)


def test_a_notice_to_one_tenant_never_meets_anothers_obligation() -> None:
    two = (("t-001", 0), ("t-002", 0))
    notices = (*both(10, FIRST, ("t-001", "t-002")), *both(20, UPDATE, ("t-002",)))
    found = obligations(facts((0, Severity.SEV_1), tenants=two, notices=notices), now=m(45))
    assert [(o.tenant, o.kind, o.due, o.status, o.notice_id) for o in found] == [
        ("t-001", FIRST, m(30), DueStatus.MET, notices[0].id),
        ("t-001", UPDATE, m(40), DueStatus.MISSED, None),
        ("t-002", FIRST, m(30), DueStatus.MET, notices[0].id),
        ("t-002", UPDATE, m(40), DueStatus.MET, notices[2].id),
        ("t-002", UPDATE, m(50), DueStatus.PENDING, None),
    ]
    report = audit(facts((0, Severity.SEV_1), tenants=two, notices=notices), now=m(45))
    assert [(b.tenant, b.rule) for b in report.breaches] == [("t-001", RULE_UPDATE)]
    assert [(r.tenant, r.compliant) for r in report.tenants] == [
        ("t-001", False),
        ("t-002", True),
    ]


@pytest.mark.parametrize(
    ("audience", "kind"),
    [
        pytest.param(Audience.SECURITY_CONTACTS, FIRST, id="security contacts"),
        pytest.param(Audience.STATUS_PAGE, FIRST, id="status page"),
        pytest.param(TENANT, NoticeKind.DPA_NOTICE, id="a DPA notice"),
    ],
)
def test_notices_outside_the_ordinary_audiences_meet_nothing(
    audience: Audience, kind: NoticeKind
) -> None:
    notice = sent(10, kind, audience=audience)
    found = obligations(facts((0, Severity.SEV_1), notices=(notice,)), now=m(31))
    assert [row(o) for o in found] == [(TENANT, "t-001", FIRST, m(30), DueStatus.MISSED)]


def test_a_draft_that_would_name_another_tenant_is_refused() -> None:
    policy = attrs.evolve(
        listing("t-900"),
        tenants=(*SELF_LISTED.tenants, Tenant("initech", TimeZoneName("UTC"))),
    )
    incident = _incident()
    items = {"scope": "as for globex. and t-900! and t-800?", "impact": "initech, acme"}
    with input_error(
        "text",
        value=["globex", "initech", "t-800", "t-900"],
        expected="a notice to acme that names no other tenant",
    ):
        draft_notice(incident, "acme", "first_notice", policy, now=m(10), items=items)
    own = draft_notice(
        incident, "acme", "first_notice", policy, now=m(10), items={"scope": "acme", "impact": "x"}
    )
    assert "Scope: acme" in own.text


@pytest.mark.parametrize(
    ("text", "named"),
    [
        pytest.param("write to acme corp today", ["acme corp"], id="an id with a space"),
        pytest.param("see (acme corp).", ["acme corp"], id="in brackets"),
        pytest.param("as for acme corp!", ["acme corp"], id="at the end of a sentence"),
        pytest.param("see acme/b and globex", ["acme/b", "globex"], id="an id with a slash"),
        pytest.param("acme corporation globexX", [], id="a longer word is not the id"),
        pytest.param("the acme corp2", [], id="a longer last word is not the id"),
        pytest.param("xacme/b acme/bx acme/b.c", [], id="a longer first word is not the id"),
    ],
)
def test_a_draft_names_no_other_tenant_even_one_whose_id_has_a_space(
    text: str, named: list[str]
) -> None:
    policy = attrs.evolve(
        POLICY,
        tenants=(
            *POLICY.tenants,
            Tenant("acme corp", TimeZoneName("UTC")),
            Tenant("acme/b", TimeZoneName("UTC")),
        ),
    )
    policy = _with_template("update", f"{text} {{{{ tenant }}}}", policy)
    if not named:
        draft = draft_notice(_incident(), "acme", "update", policy, now=m(10))
        assert draft.text == f"{text} acme"
        return
    expected = "a notice to acme that names no other tenant"
    with input_error("text", value=named, expected=expected):
        draft_notice(_incident(), "acme", "update", policy, now=m(10))


def test_a_template_that_renders_nothing_is_not_checked_for_names() -> None:
    policy = _with_template("update", "{{ '' }}")
    draft = draft_notice(_incident(), "acme", "update", policy, now=m(10))
    assert draft.text == ""
    assert draft.items == ()


# --- cadence boundaries ---------------------------------------------------------------------------


def test_a_notice_exactly_at_the_due_time_is_on_time_and_a_second_later_is_late() -> None:
    on_time = obligations(facts((0, Severity.SEV_1), notices=both(30, FIRST)), now=m(30))
    assert (on_time[0].status, on_time[0].late_by, on_time[0].met_at) == (
        DueStatus.MET,
        None,
        m(30),
    )
    late_notice = attrs.evolve(sent(0, FIRST), at=m(30) + S)
    late = obligations(facts((0, Severity.SEV_1), notices=(late_notice,)), now=m(40))
    assert (late[0].status, late[0].late_by, late[0].met_at) == (DueStatus.LATE, S, m(30) + S)


def test_unmet_at_the_due_instant_is_pending_and_a_second_later_missed() -> None:
    subject = facts((0, Severity.SEV_1))
    assert [o.status for o in obligations(subject, now=m(30))] == [DueStatus.PENDING]
    assert [o.status for o in obligations(subject, now=m(30) + S)] == [DueStatus.MISSED]
    assert audit(subject, now=m(30)).compliant
    assert not audit(subject, now=m(30) + S).compliant


def test_the_clock_starts_at_scope_confirmed_inclusive() -> None:
    subject = facts((0, Severity.SEV_1), confirmed=10)
    assert obligations(subject, now=m(10) - S) == ()
    assert [row(o) for o in obligations(subject, now=m(10))] == [
        (TENANT, "t-001", FIRST, m(40), DueStatus.PENDING)
    ]


def test_a_tenant_counts_from_the_instant_it_is_added() -> None:
    subject = facts((0, Severity.SEV_1), tenants=(("t-001", 0), ("t-002", 20)))
    assert {o.tenant for o in obligations(subject, now=m(20) - S)} == {"t-001"}
    (joined,) = [o for o in obligations(subject, now=m(20)) if o.tenant == "t-002"]
    assert (joined.due, joined.reason) == (
        m(50),
        first_notice_reason("SEV-1", "the tenant", "the tenant joined the scope", m(20), "30m"),
    )


def test_a_tenant_removed_at_the_instant_its_clock_starts_is_owed_nothing() -> None:
    two = (("t-001", 0), ("t-002", 10))
    told = both(10, FIRST, ("t-002",))
    subject = facts((0, Severity.SEV_1), tenants=two, removed={"t-002": 10}, notices=told)
    assert {o.tenant for o in obligations(subject, now=m(60))} == {"t-001"}
    later = facts((0, Severity.SEV_1), tenants=two, removed={"t-002": 11}, notices=told)
    found = [o for o in obligations(later, now=m(60)) if o.tenant == "t-002"]
    assert [(o.kind, o.status, o.notice_id) for o in found] == [(FIRST, DueStatus.MET, told[0].id)]


def test_a_tenant_removed_before_its_first_notice_falls_due_owes_nothing_more() -> None:
    subject = facts((0, Severity.SEV_1), removed={"t-001": 30})
    assert obligations(subject, now=m(60)) == ()  # removed at the due instant: not overdue
    assert obligations(subject, now=m(30)) == ()  # ... and as of that instant
    subject = facts((0, Severity.SEV_1), removed={"t-001": 31})
    assert [row(o) for o in obligations(subject, now=m(60))] == [
        (TENANT, "t-001", FIRST, m(30), DueStatus.MISSED)
    ]
    # A removal still to come does not stop the clock yet.
    assert [o.status for o in obligations(subject, now=m(30) + S)] == [DueStatus.MISSED]


def test_resolved_exactly_at_the_due_instant_owes_nothing() -> None:
    assert obligations(facts((0, Severity.SEV_1), resolved=30), now=m(90)) == ()
    found = obligations(facts((0, Severity.SEV_1), resolved=31), now=m(90))
    assert [(o.kind, o.due, o.status) for o in found] == [
        (FIRST, m(30), DueStatus.MISSED),
        (RESOLUTION, m(91), DueStatus.PENDING),
        (SUMMARY, dt.datetime(2026, 3, 16, 14, 31, tzinfo=UTC), DueStatus.PENDING),
    ]


def test_a_resolution_still_to_come_does_not_close_the_record() -> None:
    found = obligations(facts((0, Severity.SEV_1), resolved=60), now=m(40))
    assert [(o.kind, o.due, o.status) for o in found] == [(FIRST, m(30), DueStatus.MISSED)]


def test_a_notice_at_the_instant_the_clock_starts_counts() -> None:
    subject = facts((0, Severity.SEV_1), tenants=(("t-001", 20),), notices=both(20, FIRST))
    found = obligations(subject, now=m(20))
    assert [(o.kind, o.due, o.status) for o in found] == [
        (FIRST, m(50), DueStatus.MET),
        (UPDATE, m(50), DueStatus.PENDING),
    ]
    assert found[1].reason == update_reason("SEV-1", "the tenant", "the last notice", m(20), "30m")


def test_a_notice_before_the_tenant_joined_does_not_count() -> None:
    subject = facts((0, Severity.SEV_1), tenants=(("t-001", 20),), notices=both(20 - 1 / 60))
    assert [o.status for o in obligations(subject, now=m(51))] == [DueStatus.MISSED]


def test_a_notice_after_now_is_not_yet_sent() -> None:
    subject = facts((0, Severity.SEV_1), notices=both(20, FIRST))
    assert [o.status for o in obligations(subject, now=m(20) - S)] == [DueStatus.PENDING]


def test_a_change_after_now_is_not_yet_known() -> None:
    subject = facts((0, Severity.SEV_2), (20, Severity.SEV_1))
    assert [(o.due, o.severity) for o in obligations(subject, now=m(20) - S)] == [
        (m(60), Severity.SEV_2)
    ]
    assert [(o.due, o.severity) for o in obligations(subject, now=m(20))] == [
        (m(50), Severity.SEV_1)
    ]


def test_escalation_to_the_same_due_time_keeps_the_old_obligation() -> None:
    # SEV-2's update due at 70 (10 + 60); SEV-1 at 40 makes 40 + 30 = 70: no earlier.
    subject = facts((0, Severity.SEV_2), (40, Severity.SEV_1), notices=both(10, FIRST))
    owed = next_due(subject, now=m(40))
    assert owed is not None
    assert (owed.due, owed.severity) == (m(70), Severity.SEV_2)
    assert owed.reason == update_reason("SEV-2", "the tenant", "the last notice", m(10), "1h")
    earlier = facts((0, Severity.SEV_2), (39, Severity.SEV_1), notices=both(10, FIRST))
    owed = next_due(earlier, now=m(40))
    assert owed is not None
    assert (owed.due, owed.severity) == (m(69), Severity.SEV_1)
    assert owed.reason == update_reason("SEV-1", "the tenant", "the change to SEV-1", m(39), "30m")


def test_escalation_before_any_notice_shortens_the_first_notice() -> None:
    subject = facts((0, Severity.SEV_2), (10, Severity.SEV_1))
    (owed,) = obligations(subject, now=m(10))
    assert (owed.kind, owed.due, owed.severity, owed.rule) == (
        FIRST,
        m(40),
        Severity.SEV_1,
        RULE_FIRST_NOTICE,
    )
    assert owed.reason == first_notice_reason(
        "SEV-1", "the tenant", "the change to SEV-1", m(10), "30m"
    )


def test_changes_at_one_instant_are_judged_by_the_last_and_the_reason_names_it() -> None:
    subject = facts((0, Severity.SEV_3), (20, Severity.SEV_2), (20, Severity.SEV_1))
    (owed,) = obligations(subject, now=m(20))
    assert (owed.kind, owed.due, owed.severity) == (FIRST, m(50), Severity.SEV_1)
    assert owed.reason == first_notice_reason(
        "SEV-1", "the tenant", "the change to SEV-1", m(20), "30m"
    )


def test_an_escalated_update_still_needs_an_in_app_copy_of_its_own() -> None:
    # The in-app copy at 10 belongs to the first notice; the update it started, shortened by
    # the escalation at 20, is met by an email at 45 alone: a warning.
    notices = (*both(10, FIRST), sent(45, UPDATE))
    subject = facts((0, Severity.SEV_2), (20, Severity.SEV_1), notices=notices)
    report = audit(subject, now=m(45))
    assert report.compliant
    (warning,) = report.warnings
    assert warning.reason == (
        f"no in_app notice for the update due {format_instant(m(50))} "
        "(best effort: a warning, not a breach)"
    )


def test_an_overdue_obligation_is_kept_whatever_the_severity_does_next() -> None:
    # Overdue at 30; SEV-3 at 31 cannot cancel it; SEV-3 at exactly 30 can.
    overdue = facts((0, Severity.SEV_1), (31, Severity.SEV_3))
    assert [row(o) for o in obligations(overdue, now=m(60))] == [
        (TENANT, "t-001", FIRST, m(30), DueStatus.MISSED)
    ]
    at_due = facts((0, Severity.SEV_1), (30, Severity.SEV_3))
    assert obligations(at_due, now=m(60)) == ()


def test_a_change_to_no_severity_stops_the_clock_and_a_later_severity_restarts_it() -> None:
    subject = facts((0, Severity.SEV_1), (10, None), (20, Severity.SEV_2))
    (owed,) = obligations(subject, now=m(20))
    assert (owed.kind, owed.due, owed.severity) == (FIRST, m(80), Severity.SEV_2)
    assert owed.reason == first_notice_reason(
        "SEV-2", "the tenant", "the change to SEV-2", m(20), "1h"
    )
    assert obligations(facts((0, Severity.SEV_1), (10, None)), now=m(60)) == ()


def test_a_notice_while_nothing_is_owed_starts_no_update_clock() -> None:
    subject = facts((0, Severity.SEV_3), notices=both(10, FIRST))
    assert obligations(subject, now=m(200)) == ()
    # ... but it counts as notified: a later escalation owes an update, not a first notice.
    escalated = facts((0, Severity.SEV_3), (20, Severity.SEV_1), notices=both(10, FIRST))
    (owed,) = obligations(escalated, now=m(20))
    assert (owed.kind, owed.due, owed.rule) == (UPDATE, m(50), RULE_UPDATE)


def test_the_first_notice_after_a_late_notice_is_an_update_from_that_notice() -> None:
    subject = facts((0, Severity.SEV_1), notices=both(47, FIRST))
    found = obligations(subject, now=m(47))
    assert [(o.kind, o.due, o.status, o.late_by) for o in found] == [
        (FIRST, m(30), DueStatus.LATE, dt.timedelta(minutes=17)),
        (UPDATE, m(77), DueStatus.PENDING, None),
    ]


# --- resolution and summary ---------------------------------------------------------------------


def test_resolution_and_summary_reasons_name_the_highest_severity_and_the_numbers() -> None:
    subject = facts((0, Severity.SEV_1), (20, Severity.SEV_2), resolved=60, notices=both(10, FIRST))
    found = obligations(subject, now=m(60))
    resolution, summary = (o for o in found if o.kind in (RESOLUTION, SUMMARY))
    assert (resolution.rule, resolution.due, resolution.severity) == (
        RULE_RESOLUTION,
        m(120),
        Severity.SEV_1,
    )
    assert resolution.reason == (
        "SEV-1 (highest reached): resolution notice to the tenant due 1h after RESOLVED "
        f"({format_instant(m(60))})"
    )
    assert (summary.rule, summary.due, summary.severity) == (
        RULE_SUMMARY,
        dt.datetime(2026, 3, 16, 15, 0, tzinfo=UTC),
        Severity.SEV_1,
    )
    assert summary.reason == (
        "SEV-1 is material: post-resolution summary to the tenant due within 5bd of RESOLVED "
        f"({format_instant(m(60))}) in UTC"
    )


def test_the_listed_customers_resolution_reason_says_so() -> None:
    notice = sent(10, FIRST, ("t-900",), audience=LISTED)
    subject = facts((0, Severity.SEV_2), tenants=(), resolved=60, notices=(notice,))
    found = obligations(subject, listing("t-900"), now=m(60))
    resolution = next(o for o in found if o.kind is RESOLUTION)
    assert resolution.audience is LISTED
    assert resolution.reason.startswith(
        "SEV-2 (highest reached): resolution notice to the listed customer due 2h"
    )


def test_no_summary_for_an_incident_that_is_not_material() -> None:
    policy = attrs.evolve(
        DEFAULT, severity=attrs.evolve(DEFAULT.severity, material=frozenset({Severity.SEV_1}))
    )
    subject = facts((0, Severity.SEV_2), resolved=60, notices=both(10, FIRST))
    kinds = [o.kind for o in obligations(subject, policy, now=m(60))]
    assert kinds == [FIRST, RESOLUTION]
    assert SUMMARY in [o.kind for o in obligations(subject, now=m(60))]


def test_without_a_resolution_notice_in_the_cadence_only_the_summary_is_owed() -> None:
    policy = cadenced(sev1=attrs.evolve(DEFAULT.notifications.sev1, resolution_notice=None))
    subject = facts((0, Severity.SEV_1), resolved=30, notices=both(10, FIRST))
    assert [o.kind for o in obligations(subject, policy, now=m(30))] == [FIRST, SUMMARY]
    policy = cadenced(sev1=attrs.evolve(DEFAULT.notifications.sev1, summary=None))
    assert [o.kind for o in obligations(subject, policy, now=m(30))] == [FIRST, RESOLUTION]


def test_a_tenant_never_notified_is_owed_closing_notices_only_if_a_notice_fell_due() -> None:
    # Resolved before the first notice fell due and nothing sent: nothing at all.
    assert obligations(facts((0, Severity.SEV_1), resolved=20), now=m(200)) == ()
    # Notified: owed closing notices even though nothing fell due before RESOLVED.
    notified = facts((0, Severity.SEV_1), resolved=20, notices=both(10, FIRST))
    assert [o.kind for o in obligations(notified, now=m(20))] == [FIRST, RESOLUTION, SUMMARY]


def test_a_tenant_joining_at_resolution_is_owed_closing_notices_only_once_notified() -> None:
    subject = facts((0, Severity.SEV_1), tenants=(("t-001", 0), ("t-002", 60)), resolved=60)
    later = {o.tenant for o in obligations(subject, now=m(300))}
    assert later == {"t-001"}
    told = attrs.evolve(subject, notices=both(60, FIRST, ("t-002",)))
    assert [(o.tenant, o.kind) for o in obligations(told, now=m(300)) if o.tenant == "t-002"] == [
        ("t-002", FIRST),
        ("t-002", RESOLUTION),
        ("t-002", SUMMARY),
    ]


def test_the_list_is_owed_closing_notices_only_for_a_listed_severity() -> None:
    policy = listing("t-900", severities=(Severity.SEV_1,))
    notice = sent(10, FIRST, ("t-900",), audience=LISTED)
    subject = facts((0, Severity.SEV_2), tenants=(), resolved=60, notices=(notice,))
    assert obligations(subject, policy, now=m(60)) == ()
    sev1 = facts((0, Severity.SEV_1), tenants=(), resolved=30, notices=(notice,))
    assert [o.kind for o in obligations(sev1, policy, now=m(30))] == [FIRST, RESOLUTION, SUMMARY]


def test_a_closing_notice_sent_before_resolved_does_not_count() -> None:
    early = sent(50, RESOLUTION)
    subject = facts((0, Severity.SEV_1), resolved=60, notices=(*both(10, FIRST), early))
    resolution = next(o for o in obligations(subject, now=m(200)) if o.kind is RESOLUTION)
    assert resolution.status is DueStatus.MISSED
    at_resolved = attrs.evolve(subject, notices=(*both(10, FIRST), *both(60, RESOLUTION)))
    resolution = next(o for o in obligations(at_resolved, now=m(200)) if o.kind is RESOLUTION)
    assert (resolution.status, resolution.met_at) == (DueStatus.MET, m(60))


def test_a_summary_notice_never_meets_an_update() -> None:
    subject = facts((0, Severity.SEV_1), notices=(*both(10, FIRST), *both(20, SUMMARY)))
    found = obligations(subject, now=m(41))
    assert [(o.kind, o.due, o.status) for o in found] == [
        (FIRST, m(30), DueStatus.MET),
        (UPDATE, m(40), DueStatus.MISSED),
    ]


def test_a_closing_notice_lacking_items_is_missed_with_the_items_it_lacked() -> None:
    lacking = sent(24 * 60, SUMMARY, content=frozenset({"what_happened"}))
    subject = facts((0, Severity.SEV_1), resolved=60, notices=(*both(10, FIRST), lacking))
    later = m(60 * 24 * 10)
    summary = next(o for o in obligations(subject, now=later) if o.kind is SUMMARY)
    assert (summary.status, summary.missing_items) == (
        DueStatus.MISSED,
        ("customer_impact", "corrective_actions"),
    )
    report = audit(subject, now=later)
    breach = next(b for b in report.breaches if b.rule == RULE_SUMMARY)
    overdue = later - summary.due
    assert breach.reason == (
        f"summary due {format_instant(summary.due)} not met, overdue by "
        f"{int(overdue.total_seconds()) // 3600}h: the notice sent lacked customer_impact, "
        "corrective_actions"
    )


# --- the audit's findings -----------------------------------------------------------------------


def test_a_late_notice_is_a_breach_with_the_times_and_the_delay() -> None:
    late = attrs.evolve(sent(0, FIRST), at=m(30) + dt.timedelta(hours=1, minutes=2, seconds=3))
    report = audit(facts((0, Severity.SEV_1), notices=(late,)), now=m(120))
    breach = report.breaches[0]
    assert (breach.rule, breach.tenant, breach.level) == (
        RULE_FIRST_NOTICE,
        "t-001",
        FindingLevel.BREACH,
    )
    assert breach.reason == (
        f"first_notice due {format_instant(m(30))} sent {format_instant(late.at)}, late by 1h2m3s"
    )


@pytest.mark.parametrize(
    ("overdue", "shown"),
    [
        (dt.timedelta(milliseconds=500), "0s"),
        (dt.timedelta(seconds=1), "1s"),
        (dt.timedelta(minutes=2), "2m"),
        (dt.timedelta(hours=3), "3h"),
        (dt.timedelta(hours=1, seconds=5), "1h5s"),
        (dt.timedelta(minutes=1, seconds=30), "1m30s"),
        (dt.timedelta(hours=25, minutes=1), "25h1m"),
    ],
)
def test_a_missed_notice_says_by_how_much_it_is_overdue(overdue: dt.timedelta, shown: str) -> None:
    report = audit(facts((0, Severity.SEV_1)), now=m(30) + overdue)
    (breach,) = report.breaches
    assert breach.reason == f"first_notice due {format_instant(m(30))} not sent, overdue by {shown}"
    assert f"Worst delay: {shown}." not in report.summary  # a missed one has no delay yet


def test_an_incomplete_first_notice_is_a_breach_naming_what_it_lacked() -> None:
    lacking = sent(10, FIRST, content=frozenset({"what_happened"}))
    report = audit(facts((0, Severity.SEV_1), notices=(lacking,)), now=m(90))
    (breach,) = report.breaches
    assert breach.reason == (
        f"first_notice due {format_instant(m(30))} not met, overdue by 1h: "
        "the notice sent lacked scope, impact"
    )
    owed = report.tenants[0].obligations[0]
    assert (owed.status, owed.missing_items, owed.notice_id) == (
        DueStatus.MISSED,
        ("scope", "impact"),
        None,
    )


def test_a_lacking_notice_starts_no_update_clock_and_a_complete_one_meets_it_late() -> None:
    lacking = sent(10, FIRST, content=frozenset({"scope"}))
    complete = sent(40, FIRST)
    found = obligations(facts((0, Severity.SEV_1), notices=(lacking, complete)), now=m(40))
    assert [(o.kind, o.due, o.status, o.missing_items) for o in found] == [
        (FIRST, m(30), DueStatus.LATE, ()),
        (UPDATE, m(70), DueStatus.PENDING, ()),
    ]


def test_a_missing_in_app_copy_is_a_warning_with_the_rule_and_the_due_time() -> None:
    report = audit(facts((0, Severity.SEV_1), notices=(sent(10, FIRST),)), now=m(20))
    assert report.compliant
    (warning,) = report.warnings
    assert (warning.rule, warning.tenant, warning.level) == (
        RULE_BEST_EFFORT,
        "t-001",
        FindingLevel.WARNING,
    )
    assert warning.reason == (
        f"no in_app notice for the first_notice due {format_instant(m(30))} "
        "(best effort: a warning, not a breach)"
    )


def test_no_warning_for_an_obligation_not_yet_due_and_one_once_it_is_overdue() -> None:
    assert audit(facts((0, Severity.SEV_1)), now=m(30)).warnings == ()
    (warning,) = audit(facts((0, Severity.SEV_1)), now=m(30) + S).warnings
    assert warning.rule == RULE_BEST_EFFORT


@pytest.mark.parametrize(
    ("in_app_at", "warned"),
    [
        pytest.param(0, False, id="in-app at the clock start counts for the first notice"),
        pytest.param(30, False, id="in-app at the due time counts"),
        pytest.param(30 + 1 / 60, True, id="in-app a second after the due time is too late"),
    ],
)
def test_the_in_app_copy_counts_from_the_clock_start_up_to_the_due_time(
    in_app_at: float, warned: bool
) -> None:
    notices = (sent(10, FIRST), sent(in_app_at, FIRST, channel=Channel.IN_APP))
    report = audit(facts((0, Severity.SEV_1), notices=notices), now=m(35))
    firsts = [w for w in report.warnings if "first_notice" in w.reason]
    assert bool(firsts) is warned


def test_an_in_app_copy_at_the_instant_of_the_last_notice_belongs_to_that_notice() -> None:
    # Email and in-app at 10 meet the first notice; the update they start needs a new copy.
    notices = (*both(10, FIRST), sent(40, UPDATE))
    report = audit(facts((0, Severity.SEV_1), notices=notices), now=m(40))
    (warning,) = report.warnings
    assert warning.reason.startswith(f"no in_app notice for the update due {format_instant(m(40))}")


def test_a_late_email_with_an_in_app_copy_before_it_is_warned_of_nothing() -> None:
    notices = (sent(40, FIRST, channel=Channel.IN_APP), sent(45, FIRST))
    report = audit(facts((0, Severity.SEV_1), notices=notices), now=m(45))
    assert report.warnings == ()
    assert [b.rule for b in report.breaches] == [RULE_FIRST_NOTICE]


def test_no_best_effort_warning_without_best_effort_channels() -> None:
    notifications = attrs.evolve(DEFAULT.notifications, best_effort_channels=frozenset())
    policy = attrs.evolve(DEFAULT, notifications=notifications)
    report = audit(facts((0, Severity.SEV_1), notices=(sent(10, FIRST),)), policy, now=m(90))
    assert report.warnings == ()
    assert report.tenants[0].obligations[0].best_effort_channels == frozenset()


def test_the_audit_summary_counts_and_names_the_worst_delay() -> None:
    late = attrs.evolve(sent(0, FIRST), at=m(47))
    report = audit(facts((0, Severity.SEV_1), notices=(late,)), now=m(80))
    assert report.summary.splitlines() == [
        f"Customer communication for INC-1 as of {format_instant(m(80))}: 2 breach(es).",
        "1 addressee(s), 2 obligation(s): 0 pending, 0 met, 1 late, 1 missed; "
        "2 best-effort warning(s).",
        "Worst delay: 17m.",
    ]
    assert report.as_of == m(80)
    assert report.incident_id == "INC-1"
    assert report.schema_version == 1


def test_the_worst_delay_is_the_longest_across_tenants() -> None:
    two = (("t-001", 0), ("t-002", 0))
    notices = (
        attrs.evolve(sent(0, FIRST, ("t-001",)), at=m(35)),
        attrs.evolve(sent(0, FIRST, ("t-002",)), at=m(50)),
        attrs.evolve(sent(0, FIRST, ("t-001",)), id="again", at=m(60)),
    )
    report = audit(facts((0, Severity.SEV_1), tenants=two, notices=notices), now=m(60))
    assert "Worst delay: 20m." in report.summary.splitlines()


def test_a_compliant_dpa_track_summary_says_so() -> None:
    subject = attrs.evolve(facts((0, Severity.SEV_1), notices=both(10, FIRST)), dpa_track=True)
    report = audit(subject, now=m(20))
    assert report.summary.splitlines() == [
        f"Customer communication for INC-1 as of {format_instant(m(20))}: compliant.",
        "1 addressee(s), 2 obligation(s): 1 pending, 1 met, 0 late, 0 missed; "
        "0 best-effort warning(s).",
        "DPA track: ordinary notices carry no security details.",
    ]
    assert all(o.no_security_details for o in report.tenants[0].obligations)


def test_an_audit_of_an_incident_judges_at_its_last_event() -> None:
    incident = _incident(
        Recovered(id="e3", at=m(40)),
        Validated(id="e4", at=m(45)),
        Resolved(id="e5", at=m(50)),
        ReviewStarted(id="e6", at=m(70)),
    )
    report = audit(incident, POLICY)
    assert report.as_of == m(70)  # the review started: an event the facts do not carry
    assert report.dpa_deadlines == ()
    assert [r.tenant for r in report.tenants] == ["acme", "globex"]


# --- the fallback channel -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outage", "counts"),
    [
        pytest.param(ChannelOutage(Channel.EMAIL, m(20)), True, id="email down since the notice"),
        pytest.param(ChannelOutage(Channel.EMAIL, m(5), m(20)), False, id="email back at it"),
        pytest.param(ChannelOutage(Channel.EMAIL, m(5), m(21)), True, id="email back after it"),
        pytest.param(ChannelOutage(Channel.EMAIL, m(21)), False, id="email down after it"),
        pytest.param(ChannelOutage(Channel.IN_APP, m(5)), False, id="another channel down"),
    ],
)
def test_an_in_app_notice_counts_only_while_email_is_down(
    outage: ChannelOutage, counts: bool
) -> None:
    notice = sent(20, FIRST, channel=Channel.IN_APP)
    found = obligations(facts((0, Severity.SEV_1), notices=(notice,), outages=(outage,)), now=m(40))
    met = found[0].status is DueStatus.MET
    assert met is counts


def test_a_notice_that_says_it_stood_in_for_email_counts_on_the_fallback_channel_only() -> None:
    declared = sent(20, FIRST, channel=Channel.IN_APP, fallback_for=Channel.EMAIL)
    found = obligations(facts((0, Severity.SEV_1), notices=(declared,)), now=m(40))
    assert (found[0].status, found[0].notice_id) == (DueStatus.MET, declared.id)
    page = sent(20, FIRST, channel=Channel.STATUS_PAGE, fallback_for=Channel.EMAIL)
    found = obligations(facts((0, Severity.SEV_1), notices=(page,)), now=m(40))
    assert found[0].status is DueStatus.MISSED
    wrong = sent(20, FIRST, channel=Channel.IN_APP, fallback_for=Channel.STATUS_PAGE)
    found = obligations(facts((0, Severity.SEV_1), notices=(wrong,)), now=m(40))
    assert found[0].status is DueStatus.MISSED


def test_an_outage_covers_from_its_start_up_to_but_not_including_its_end() -> None:
    outage = ChannelOutage(Channel.EMAIL, m(10), m(20))
    assert [outage.covers(m(t)) for t in (10 - 1 / 60, 10, 19, 20)] == [False, True, True, False]
    assert ChannelOutage(Channel.EMAIL, m(10)).covers(m(10_000))
    assert ChannelOutage(Channel.EMAIL, m(10), m(10)).end == m(10)


# --- next due -----------------------------------------------------------------------------------


def test_next_due_is_the_earliest_then_affected_before_listed_then_by_tenant() -> None:
    policy = listing("t-000")
    two = (("t-002", 0), ("t-001", 0))
    owed = next_due(facts((0, Severity.SEV_1), tenants=two), policy, now=m(0))
    assert owed is not None
    assert row(owed) == (TENANT, "t-001", FIRST, m(30), DueStatus.PENDING)
    assert owed.reason == first_notice_reason("SEV-1", "the tenant", "scope confirmed", T0, "30m")
    later = facts((0, Severity.SEV_1), tenants=(("t-001", 5),))
    owed = next_due(later, policy, now=m(5))
    assert owed is not None
    assert row(owed) == (LISTED, "t-000", FIRST, m(30), DueStatus.PENDING)


def test_next_due_skips_what_was_met() -> None:
    subject = facts((0, Severity.SEV_1), tenants=(("t-001", 0), ("t-002", 5)))
    subject = attrs.evolve(subject, notices=both(10, FIRST, ("t-001",)))
    owed = next_due(subject, now=m(10))
    assert owed is not None
    assert (owed.tenant, owed.kind, owed.due) == ("t-002", FIRST, m(35))
    assert next_due(facts((0, Severity.SEV_3)), now=m(100)) is None


def test_next_due_per_addressee_puts_affected_tenants_before_the_list_at_one_due_time() -> None:
    policy = listing("t-000")
    per = next_due_per_addressee(facts((0, Severity.SEV_1)), policy, now=m(0))
    assert [(o.audience, o.tenant, o.due) for o in per] == [
        (TENANT, "t-001", m(30)),
        (LISTED, "t-000", m(30)),
    ]


def test_next_due_per_addressee_lists_each_addressees_earliest_in_due_order() -> None:
    policy = listing("t-900")
    subject = facts(
        (0, Severity.SEV_1),
        tenants=(("t-001", 0), ("t-002", 0), ("t-003", 10)),
        notices=both(5, FIRST, ("t-002",)),
    )
    per = next_due_per_addressee(subject, policy, now=m(10))
    assert [(o.audience, o.tenant, o.kind, o.due) for o in per] == [
        (TENANT, "t-001", FIRST, m(30)),
        (LISTED, "t-900", FIRST, m(30)),
        (TENANT, "t-002", UPDATE, m(35)),
        (TENANT, "t-003", FIRST, m(40)),
    ]
    assert all(o.status is DueStatus.PENDING and o.notice_id is None for o in per)


def test_the_earliest_unmet_of_a_resolved_incident_is_its_resolution_notice() -> None:
    subject = facts((0, Severity.SEV_1), resolved=30, notices=both(10, FIRST))
    (owed,) = next_due_per_addressee(subject, now=m(30))
    assert (owed.kind, owed.due, owed.rule) == (RESOLUTION, m(90), RULE_RESOLUTION)
    assert next_due(subject, now=m(30)) == owed


# --- the adapter ----------------------------------------------------------------------------------


def test_communication_facts_project_the_incident() -> None:
    incident = _incident(
        Recovered(id="e3", at=m(40)), Validated(id="e4", at=m(45)), Resolved(id="e5", at=m(50))
    )
    subject = communication_facts(incident, POLICY)
    assert subject == CommunicationFacts(
        incident_id="INC-7",
        severities=(SeverityPoint(m(5), Severity.SEV_1),),
        scope_confirmed_at=m(5),
        scope=(TenantScope("acme", m(5)), TenantScope("globex", m(5))),
        resolved_at=m(50),
        reopened_at=(),
        dpa_track=False,
        notices=(),
    )
    assert communication_facts(_incident(kind=IncidentKind.SECURITY), POLICY).dpa_track


# --- refused values: the value types -----------------------------------------------------------


@pytest.mark.parametrize(
    ("tenants", "field", "value", "expected"),
    [
        (["t-001"], "tenants", ["t-001"], "a tuple of tenant ids"),
        ("t-001", "tenants", "t-001", "a tuple of tenant ids"),
        (("t-001", ""), "tenants[1]", "", "a non-empty tenant id"),
        (("", "t-001"), "tenants[0]", "", "a non-empty tenant id"),
        (("t-001", 7), "tenants[1]", 7, "a non-empty tenant id"),
        (("t-001", "t-001"), "tenants", ("t-001", "t-001"), "each tenant at most once"),
    ],
)
def test_a_notices_bad_addressees_are_named(
    tenants: object, field: str, value: object, expected: str
) -> None:
    with input_error(field, value=value, expected=expected):
        SentNotice("n", T0, Channel.EMAIL, UPDATE, TENANT, anything(tenants))


def test_a_notice_to_no_tenant_is_accepted() -> None:
    assert SentNotice("n", T0, Channel.EMAIL, UPDATE, TENANT, ()).tenants == ()


@pytest.mark.parametrize(
    ("content", "value", "expected"),
    [
        ("scope", "scope", "a set of content item names"),
        (42, 42, "a set of content item names"),
        ({"scope": "x"}, {"scope": "x"}, "a set of content item names"),
        (("scope", ""), "", "a non-empty content item name"),
        (["scope", 3], 3, "a non-empty content item name"),
    ],
)
def test_a_notices_bad_content_is_named(content: object, value: object, expected: str) -> None:
    with input_error("content", value=value, expected=expected):
        SentNotice("n", T0, Channel.EMAIL, UPDATE, TENANT, (), content=anything(content))


@pytest.mark.parametrize("content", [["scope"], ("scope",), {"scope"}, frozenset({"scope"})])
def test_a_notices_content_is_kept_as_a_frozen_set(content: object) -> None:
    notice = SentNotice("n", T0, Channel.EMAIL, UPDATE, TENANT, (), content=anything(content))
    assert notice.content == frozenset({"scope"})
    assert type(notice.content) is frozenset


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("id", "", "a non-empty string"),
        ("at", "soon", "a timezone-aware datetime"),
        ("channel", "fax", "one of 'email', 'in_app', 'status_page'"),
        ("kind", "memo", "one of 'first_notice', 'update', 'resolution', 'summary', 'dpa_notice'"),
        (
            "audience",
            "everyone",
            "one of 'affected_tenants', 'notification_list', 'security_contacts', 'status_page'",
        ),
        ("fallback_for", "fax", "one of 'email', 'in_app', 'status_page'"),
    ],
)
def test_a_notices_bad_fields_are_named(field: str, value: object, expected: str) -> None:
    good: dict[str, Any] = {
        "id": "n",
        "at": T0,
        "channel": "email",
        "kind": "update",
        "audience": "affected_tenants",
        "tenants": (),
    }
    with input_error(field, value=value, expected=expected):
        SentNotice(**{**good, field: value})


def test_a_naive_notice_time_is_refused_as_naive() -> None:
    naive = dt.datetime(2026, 3, 9, 14)
    with input_error("at", value=naive, kind=NaiveDatetimeError):
        SentNotice("n", naive, Channel.EMAIL, UPDATE, TENANT, ())


@pytest.mark.parametrize(("value", "shown"), [("yes", "yes"), (1, 1), (None, None)])
def test_dpa_track_must_be_true_or_false(value: object, shown: object) -> None:
    with input_error("dpa_track", value=shown, expected="True or False"):
        attrs.evolve(facts((0, Severity.SEV_1)), dpa_track=anything(value))


def test_a_tenant_removed_before_it_was_added_is_refused_with_the_instant() -> None:
    with input_error("removed_at", value=m(5), expected=f"an instant at or after {m(10)}"):
        TenantScope("t-001", m(10), m(5))
    assert TenantScope("t-001", m(10), m(10)).removed_at == m(10)
    with input_error("removed_at", value="later", expected="a timezone-aware datetime"):
        TenantScope("t-001", m(10), anything("later"))
    with input_error("tenant", value=" ", expected="a non-empty string"):
        TenantScope(" ", m(10))
    with input_error("added_at", value=None, expected="a timezone-aware datetime"):
        TenantScope("t-001", anything(None))


def test_an_outage_that_ends_before_it_starts_is_refused_with_the_instant() -> None:
    with input_error("end", value=m(0), expected=f"an instant at or after {m(10)}"):
        ChannelOutage(Channel.EMAIL, m(10), m(0))
    with input_error("end", value="later", expected="a timezone-aware datetime"):
        ChannelOutage(Channel.EMAIL, m(10), anything("later"))
    with input_error("channel", value="fax", expected="one of 'email', 'in_app', 'status_page'"):
        ChannelOutage(anything("fax"), m(10))


def test_a_severity_point_names_its_bad_fields() -> None:
    with input_error("severity", value="SEV-4", expected="one of 'SEV-1', 'SEV-2', 'SEV-3'"):
        SeverityPoint(T0, anything("SEV-4"))
    with input_error("at", value=None, expected="a timezone-aware datetime"):
        SeverityPoint(anything(None), Severity.SEV_1)
    assert SeverityPoint(T0, None).severity is None


def test_facts_name_a_tenant_in_the_scope_twice() -> None:
    with input_error("scope", value="t-001", expected="each tenant at most once"):
        facts((0, Severity.SEV_1), tenants=(("t-001", 0), ("t-002", 0), ("t-001", 5)))


@pytest.mark.parametrize(
    ("field", "value", "shown_field", "shown", "expected"),
    [
        ("incident_id", " ", "incident_id", " ", "a non-empty string"),
        ("severities", [], "severities", [], "a list of SeverityPoint values"),
        ("severities", ("SEV-1",), "severities[0]", "SEV-1", "a SeverityPoint"),
        ("scope_confirmed_at", "now", "scope_confirmed_at", "now", "a timezone-aware datetime"),
        ("scope", ["t-001"], "scope", ["t-001"], "a list of TenantScope values"),
        ("scope", ("t-001",), "scope[0]", "t-001", "a TenantScope"),
        ("resolved_at", 5, "resolved_at", 5, "a timezone-aware datetime"),
        ("reopened_at", [T0], "reopened_at", [T0], "a tuple of aware datetimes"),
        ("reopened_at", (T0, "x"), "reopened_at[1]", "x", "a timezone-aware datetime"),
        ("notices", (None,), "notices[0]", None, "a SentNotice"),
        ("outages", [], "outages", [], "a list of ChannelOutage values"),
    ],
)
def test_facts_name_their_bad_fields(
    field: str, value: object, shown_field: str, shown: object, expected: str
) -> None:
    with input_error(shown_field, value=shown, expected=expected):
        attrs.evolve(facts((0, Severity.SEV_1)), **{field: value})


def test_a_naive_reopen_is_refused_by_its_place() -> None:
    naive = dt.datetime(2026, 3, 9, 15)
    with input_error("reopened_at[0]", value=naive, kind=NaiveDatetimeError):
        attrs.evolve(facts((0, Severity.SEV_1)), reopened_at=(naive,))


# --- refused values: the public functions ------------------------------------------------------


FUNCTIONS = [obligations, next_due, next_due_per_addressee, audit]


@pytest.mark.parametrize("function", FUNCTIONS)
@pytest.mark.parametrize("subject", [None, "INC-1", 42])
def test_a_subject_that_is_no_incident_is_named(function: Any, subject: object) -> None:
    with input_error("incident", value=subject, expected="an Incident or CommunicationFacts"):
        function(subject, now=T0)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_a_naive_now_is_named(function: Any) -> None:
    naive = dt.datetime(2026, 3, 9, 14)
    with input_error("now", value=naive, kind=NaiveDatetimeError):
        function(facts((0, Severity.SEV_1)), now=naive)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_a_policy_that_is_no_policy_is_named(function: Any) -> None:
    with input_error("policy", value="strict"):
        function(facts((0, Severity.SEV_1)), "strict", now=T0)


def test_an_audit_of_a_record_without_time_needs_now() -> None:
    empty = CommunicationFacts("INC-0", (), None, ())
    with input_error("now", value=None, expected="an instant (the record mentions no time)"):
        audit(empty)


def test_communication_facts_need_an_incident() -> None:
    with input_error("incident", value="INC-1", expected="an Incident"):
        communication_facts(anything("INC-1"))
    with input_error("now", value="later", expected="a timezone-aware datetime"):
        communication_facts(_incident(), now=anything("later"))


# --- documents ----------------------------------------------------------------------------------


def _obligation_document(**changes: object) -> str:
    found = obligations(facts((0, Severity.SEV_1), notices=both(47, FIRST)), now=m(47))
    data = serialization.unstructure(found[0])
    data.update(changes)
    return json.dumps(data)


@pytest.mark.parametrize("late_by", [-1, -0.5, True, "17m", [1020], 1e300, float("inf")])
def test_a_documents_bad_delay_is_named(late_by: object) -> None:
    with config_problem(
        "$.late_by", value=late_by, expected="a number of seconds (0 or more), or null"
    ):
        loads(_obligation_document(late_by=late_by), Obligation)


def test_a_documents_delay_that_is_not_a_number_is_named() -> None:
    with pytest.raises(PolicyConfigError) as caught:
        loads(_obligation_document(late_by=float("nan")), Obligation)
    problem = find_problem(
        caught.value, "$.late_by", expected="a number of seconds (0 or more), or null"
    )
    assert problem.value != problem.value  # NaN


@pytest.mark.parametrize(
    ("late_by", "delay"),
    [
        (0, dt.timedelta(0)),
        (1020, dt.timedelta(minutes=17)),
        (1.5, dt.timedelta(seconds=1.5)),
        (None, None),
    ],
)
def test_a_documents_delay_is_read_in_seconds(late_by: object, delay: object) -> None:
    assert loads(_obligation_document(late_by=late_by), Obligation).late_by == delay


def test_a_delay_is_written_in_whole_seconds_when_it_is_whole() -> None:
    found = obligations(facts((0, Severity.SEV_1), notices=both(47, FIRST)), now=m(47))
    assert serialization.unstructure(found[0])["late_by"] == 1020
    assert type(serialization.unstructure(found[0])["late_by"]) is int
    halved = attrs.evolve(found[0], late_by=dt.timedelta(seconds=1.5))
    assert serialization.unstructure(halved)["late_by"] == 1.5
    assert serialization.unstructure(found[1])["late_by"] is None


@pytest.mark.parametrize("kind", [TenantResult, AuditReport])
def test_results_and_reports_must_be_tables(kind: type) -> None:
    with config_problem("$", value=[1, 2], expected="a table (a JSON object)"):
        loads("[1, 2]", kind)
    with input_error(kind.__name__, value=[1, 2], expected="a table (a JSON object)"):
        serialization.converter.structure([1, 2], kind)


def test_a_report_read_back_builds_its_findings_from_its_tenants() -> None:
    report = audit(facts((0, Severity.SEV_1), notices=(sent(47, FIRST),)), now=m(47))
    again = loads(dumps(report), AuditReport)
    assert again == report
    assert again.breaches == report.breaches
    assert [w.rule for w in again.warnings] == [RULE_BEST_EFFORT]
    assert again.tenants[0].obligations == report.tenants[0].obligations


# --- drafts ---------------------------------------------------------------------------------------


POLICY = attrs.evolve(
    DEFAULT,
    tenants=(
        Tenant("acme", TimeZoneName("Europe/Berlin")),
        Tenant("globex", TimeZoneName("Asia/Kathmandu")),
    ),
)
ITEMS = {"scope": "Checkout API", "impact": "Payments fail"}


def _incident(*extra: Event, kind: IncidentKind = IncidentKind.AVAILABILITY) -> Incident:
    return replay(
        [
            Detected(
                id="e1",
                at=T0,
                incident_id="INC-7",
                kind=kind,
                title="Checkout down",
                aware_at=T0,
            ),
            Triaged(id="e2", at=m(5), severity=Severity.SEV_1, tenants={"acme", "globex"}),
            *extra,
        ],
        POLICY,
    )


def _with_template(kind: str, text: str, policy: Policy = POLICY) -> Policy:
    templates = attrs.evolve(policy.notifications.templates, **{kind: text})
    return attrs.evolve(
        policy, notifications=attrs.evolve(policy.notifications, templates=templates)
    )


FULL = (
    "{{ incident_id }}|{{ severity }}|{{ tenant }}|{{ time_zone }}|{{ now }}|{{ detected_at }}|"
    "{{ scope_confirmed_at }}|{{ resolved_at }}"
)


def test_a_draft_fills_every_slot_in_the_tenants_zone() -> None:
    policy = _with_template("update", FULL + "|{{ title }}|{{ kind }}|{{ customer_data }}")
    draft = draft_notice(_incident(), "acme", UPDATE, policy, now=m(10))
    assert draft.text.split("|") == [
        "INC-7",
        "SEV-1",
        "acme",
        "Europe/Berlin",
        "2026-03-09 15:10 CET",
        "2026-03-09 15:00 CET",
        "2026-03-09 15:05 CET",
        "not yet",
        "Checkout down",
        "availability",
        "unknown",
    ]
    assert (draft.tenant, draft.kind, draft.items, draft.rule) == ("acme", UPDATE, (), RULE_UPDATE)
    assert draft.reason == "update to acme from the policy's template, times in Europe/Berlin"


def test_a_draft_shows_instants_still_to_come_as_not_yet() -> None:
    policy = _with_template("update", FULL)
    draft = draft_notice(_incident(), "acme", "update", policy, now=m(3))
    assert draft.text.split("|")[4:] == [
        "2026-03-09 15:03 CET",
        "2026-03-09 15:00 CET",
        "not yet",
        "not yet",
    ]
    draft = draft_notice(_incident(), "acme", "update", policy, now=m(5))
    assert draft.text.split("|")[4:] == [
        "2026-03-09 15:05 CET",
        "2026-03-09 15:00 CET",
        "2026-03-09 15:05 CET",
        "not yet",
    ]


def test_a_draft_for_a_tenant_without_a_zone_uses_the_business_calendars() -> None:
    policy = _with_template("update", FULL, SELF_LISTED)
    draft = draft_notice(_incident(), "acme", "update", policy, now=m(10))
    assert draft.text.split("|")[3:5] == ["UTC", "2026-03-09 14:10 UTC"]
    assert draft.reason.endswith("times in UTC")


def test_a_draft_before_triage_has_no_severity() -> None:
    incident = replay([Detected(id="e1", at=T0, incident_id="INC-7", aware_at=T0)], POLICY)
    policy = _with_template("update", FULL, listing("acme"))
    draft = draft_notice(incident, "acme", "update", policy, now=m(1))
    assert draft.text.split("|")[1:3] == ["none", "acme"]


def test_each_kind_of_draft_names_its_rule() -> None:
    incident = _incident()
    summary_items = {
        "what_happened": "a bad deploy",
        "customer_impact": "checkout failed",
        "corrective_actions": "canaries",
    }
    cases = [
        ("first_notice", ITEMS, RULE_FIRST_NOTICE, ("scope", "impact")),
        ("update", None, RULE_UPDATE, ()),
        ("resolution", {}, RULE_RESOLUTION, ()),
        ("summary", summary_items, RULE_SUMMARY, tuple(summary_items)),
    ]
    for kind, items, rule, carried in cases:
        draft = draft_notice(incident, "globex", kind, POLICY, now=m(10), items=items)
        assert (draft.kind.value, draft.rule, draft.items) == (kind, rule, carried)


def test_a_draft_carries_its_items_in_the_policys_order() -> None:
    given = {"impact": "Payments fail", "scope": "Checkout API"}
    draft = draft_notice(_incident(), "acme", "first_notice", POLICY, now=m(10), items=given)
    assert draft.items == ("scope", "impact")


def test_a_draft_for_a_dpa_track_incident_says_it_leaves_details_out() -> None:
    draft = draft_notice(_incident(kind=IncidentKind.SECURITY), "acme", "update", POLICY, now=m(10))
    assert draft.reason == (
        "update to acme from the policy's template, times in Europe/Berlin; "
        "no security details (DPA track)"
    )


KIND_EXPECTED = "first_notice, update, resolution or summary (DPA notices are not drafted)"
SCOPE_EXPECTED = "a tenant in the scope of INC-7 or on the notification list"


@pytest.mark.parametrize(
    ("arguments", "field", "value", "expected"),
    [
        ({"incident": "INC-7"}, "incident", "INC-7", "an Incident"),
        ({"kind": "dpa_notice"}, "kind", "dpa_notice", KIND_EXPECTED),
        ({"kind": NoticeKind.DPA_NOTICE}, "kind", NoticeKind.DPA_NOTICE, KIND_EXPECTED),
        (
            {"kind": "memo"},
            "kind",
            "memo",
            "one of 'first_notice', 'update', 'resolution', 'summary', 'dpa_notice'",
        ),
        ({"tenant": 42}, "tenant", 42, SCOPE_EXPECTED),
        ({"tenant": "initech"}, "tenant", "initech", SCOPE_EXPECTED),
        (
            {"items": [("scope", "x")]},
            "items",
            [("scope", "x")],
            "a mapping of content item names to text",
        ),
        (
            {"items": {**ITEMS, "mood": "calm"}},
            "items['mood']",
            "mood",
            "one of the items of a first_notice: scope, impact",
        ),
        (
            {"kind": "update", "items": {"scope": "x"}},
            "items['scope']",
            "scope",
            "one of the items of a update: none",
        ),
        ({"items": {**ITEMS, "scope": "  "}}, "items['scope']", "  ", "the item's text"),
        ({"items": {**ITEMS, "impact": 5}}, "items['impact']", 5, "the item's text"),
        (
            {"items": {"scope": "x"}},
            "items",
            ["impact"],
            "text for every required item of a first_notice",
        ),
        (
            {"items": None},
            "items",
            ["scope", "impact"],
            "text for every required item of a first_notice",
        ),
    ],
)
def test_a_bad_draft_argument_is_named(
    arguments: dict[str, Any], field: str, value: object, expected: str
) -> None:
    given: dict[str, Any] = {
        "incident": _incident(),
        "tenant": "acme",
        "kind": "first_notice",
        "policy": POLICY,
        "now": m(10),
        "items": ITEMS,
        **arguments,
    }
    with input_error(field, value=value, expected=expected):
        draft_notice(**given)


def test_a_draft_with_a_naive_now_is_refused_first() -> None:
    naive = dt.datetime(2026, 3, 9, 14)
    with input_error("now", value=naive, kind=NaiveDatetimeError):
        draft_notice(anything(None), "acme", "update", POLICY, now=naive)


TEMPLATE_PATH = "$.notifications.templates.update"
SLOTS = (
    "customer_data, detected_at, incident_id, kind, now, resolved_at, scope_confirmed_at, "
    "severity, tenant, time_zone, title"
)


def test_a_kind_without_a_template_is_a_configuration_problem() -> None:
    with config_problem(
        TEMPLATE_PATH, value="", expected="a template for this kind of notice", only=True
    ):
        draft_notice(_incident(), "acme", "update", _with_template("update", ""), now=m(10))


def test_a_template_that_does_not_parse_is_a_configuration_problem() -> None:
    with pytest.raises(PolicyConfigError) as caught:
        draft_notice(_incident(), "acme", "update", _with_template("update", "{{ x"), now=m(10))
    problem = find_problem(caught.value, TEMPLATE_PATH, expected="a template that parses")
    assert isinstance(problem.value, str)
    assert problem.value.startswith("line 1: ")
    assert len(caught.value.problems) == 1


@pytest.mark.parametrize(
    ("kind", "allowed"),
    [
        ("update", SLOTS),
        (
            "first_notice",
            "customer_data, detected_at, impact, incident_id, kind, now, resolved_at, scope, "
            "scope_confirmed_at, severity, tenant, time_zone, title",
        ),
    ],
)
def test_a_template_with_an_unknown_slot_lists_the_slots_it_may_use(
    kind: str, allowed: str
) -> None:
    policy = _with_template(kind, "{{ zeta }} {{ alpha }} {{ incident_id }}")
    path = f"$.notifications.templates.{kind}"
    items = ITEMS if kind == "first_notice" else None
    with config_problem(path, value=["alpha", "zeta"], expected=f"only the slots {allowed}"):
        draft_notice(_incident(), "acme", kind, policy, now=m(10), items=items)


def test_security_details_in_a_dpa_track_draft_are_a_configuration_problem() -> None:
    policy = _with_template("update", "{{ title }} {{ kind }} {{ customer_data }} {{ tenant }}")
    expected = (
        "no security-detail field: INC-7 is or was on the DPA track, so its ordinary notices "
        "carry no security details"
    )
    incident = _incident(kind=IncidentKind.SECURITY)
    with config_problem(
        TEMPLATE_PATH, value=["customer_data", "kind", "title"], expected=expected, only=True
    ):
        draft_notice(incident, "acme", "update", policy, now=m(10))


def test_a_template_that_fails_to_render_is_a_configuration_problem() -> None:
    policy = _with_template("update", "{{ tenant.__class__ }}")
    with pytest.raises(PolicyConfigError) as caught:
        draft_notice(_incident(), "acme", "update", policy, now=m(10))
    problem = find_problem(caught.value, TEMPLATE_PATH, expected="a template that renders")
    assert isinstance(problem.value, str)
    assert "__class__" in problem.value


@pytest.mark.parametrize(
    ("template", "found"),
    [
        ("{{ 1.0 / 0 }}", "ZeroDivisionError: float division by zero"),
        ("{{ 1 + 'a' }}", "TypeError: unsupported operand type(s) for +: 'int' and 'str'"),
    ],
)
def test_a_template_that_fails_by_its_own_arithmetic_is_a_configuration_problem(
    template: str, found: str
) -> None:
    policy = _with_template("update", template)
    with config_problem(TEMPLATE_PATH, value=found, expected="a template that renders", only=True):
        draft_notice(_incident(), "acme", "update", policy, now=m(10))


# --- the policy check -----------------------------------------------------------------------------


def _problems(policy: Policy) -> list[Problem]:
    return list(policy_problems(policy))


YEAR = dt.timedelta(days=365)


@pytest.mark.parametrize("field", ["first_notice", "update_interval", "resolution_notice"])
def test_a_cadence_duration_of_more_than_a_year_is_a_problem(field: str) -> None:
    sev3 = Cadence(**{field: YEAR + dt.timedelta(hours=1)})
    assert _problems(cadenced(sev3=sev3)) == [
        Problem(f"$.notifications.SEV-3.{field}", "at most 8760h (a year)", "8761h")
    ]
    assert _problems(cadenced(sev3=Cadence(**{field: YEAR}))) == []


@pytest.mark.parametrize(
    ("span", "shown"),
    [(span("366d"), "366d"), (span("261bd"), "261bd")],
)
def test_a_summary_span_of_more_than_a_year_is_a_problem(span: CalendarSpan, shown: str) -> None:
    assert _problems(cadenced(sev3=Cadence(summary=span))) == [
        Problem("$.notifications.SEV-3.summary", "at most 365d or 260bd (a year)", shown)
    ]


@pytest.mark.parametrize("span", [span("365d"), span("260bd")])
def test_a_summary_span_of_a_year_is_accepted(span: CalendarSpan) -> None:
    assert _problems(cadenced(sev3=Cadence(summary=span))) == []


def test_every_severitys_cadence_is_checked() -> None:
    long = Cadence(first_notice=YEAR * 2)
    policy = cadenced(sev1=long, sev2=long, sev3=long)
    assert [p.path for p in _problems(policy) if p.expected == "at most 8760h (a year)"] == [
        "$.notifications.SEV-1.first_notice",
        "$.notifications.SEV-2.first_notice",
        "$.notifications.SEV-3.first_notice",
    ]


def test_sev1_may_not_leave_out_what_sev2_sets() -> None:
    sev1 = attrs.evolve(DEFAULT.notifications.sev1, update_interval=None)
    assert _problems(cadenced(sev1=sev1)) == [
        Problem(
            "$.notifications.SEV-1.update_interval",
            "a value, since SEV-2 sets update_interval = '1h'",
            None,
        )
    ]
    both_unset = attrs.evolve(DEFAULT.notifications.sev2, update_interval=None)
    assert _problems(cadenced(sev1=sev1, sev2=both_unset)) == []


@pytest.mark.parametrize(
    ("field", "strict", "loose", "shown_strict", "shown_loose"),
    [
        ("first_notice", dt.timedelta(minutes=90), dt.timedelta(minutes=60), "90m", "1h"),
        ("summary", span("6bd"), span("5bd"), "6bd", "5bd"),
        ("summary", span("8d"), span("5bd"), "8d", "5bd"),
        ("summary", span("6bd"), span("8d"), "6bd", "8d"),
    ],
)
def test_sev1_may_not_be_looser_than_sev2(
    field: str, strict: object, loose: object, shown_strict: str, shown_loose: str
) -> None:
    sev1 = attrs.evolve(DEFAULT.notifications.sev1, **{field: strict})
    sev2 = attrs.evolve(DEFAULT.notifications.sev2, **{field: loose})
    expected = f"at most SEV-2's {shown_loose!r} (SEV-1 may not be looser)"
    assert _problems(cadenced(sev1=sev1, sev2=sev2)) == [
        Problem(f"$.notifications.SEV-1.{field}", expected, shown_strict)
    ]


@pytest.mark.parametrize(
    ("field", "strict", "loose"),
    [
        ("first_notice", dt.timedelta(minutes=60), dt.timedelta(minutes=60)),
        ("summary", span("7d"), span("5bd")),  # 7 nominal days each
        ("summary", span("5bd"), span("7d")),
        ("summary", span("5bd"), None),
    ],
)
def test_sev1_as_tight_as_sev2_is_accepted(field: str, strict: object, loose: object) -> None:
    sev1 = attrs.evolve(DEFAULT.notifications.sev1, **{field: strict})
    sev2 = attrs.evolve(DEFAULT.notifications.sev2, **{field: loose})
    assert _problems(cadenced(sev1=sev1, sev2=sev2)) == []


def test_channels_must_be_required_and_never_both_required_and_best_effort() -> None:
    none_required = attrs.evolve(DEFAULT.notifications, required_channels=frozenset())
    assert _problems(attrs.evolve(DEFAULT, notifications=none_required)) == [
        Problem("$.notifications.required_channels", "at least one channel", [])
    ]
    overlap = attrs.evolve(
        DEFAULT.notifications,
        required_channels=frozenset({Channel.EMAIL, Channel.IN_APP}),
        best_effort_channels=frozenset({Channel.IN_APP, Channel.EMAIL, Channel.STATUS_PAGE}),
    )
    assert _problems(attrs.evolve(DEFAULT, notifications=overlap)) == [
        Problem("$.notifications.best_effort_channels", "no required channel", ["email", "in_app"])
    ]


def test_a_calendar_without_a_working_day_is_a_problem() -> None:
    calendar = attrs.evolve(DEFAULT.calendar, workdays=frozenset())
    assert _problems(attrs.evolve(DEFAULT, calendar=calendar)) == [
        Problem("$.calendar.workdays", "at least one working day", [])
    ]


def _contented(policy: Policy = DEFAULT, **items: tuple[str, ...]) -> Policy:
    content = attrs.evolve(policy.notifications.content, **items)
    return attrs.evolve(policy, notifications=attrs.evolve(policy.notifications, content=content))


ITEM_NAME = "an item name made of letters, digits and _ (not a slot name)"


@pytest.mark.parametrize(
    ("kind", "items", "problems"),
    [
        ("update", ("next step",), [("$.notifications.content.update", ITEM_NAME, "next step")]),
        ("resolution", ("tenant",), [("$.notifications.content.resolution", ITEM_NAME, "tenant")]),
        (
            "summary",
            ("b", "a", "b", "a", "b"),
            [("$.notifications.content.summary", "each item at most once", ["a", "b"])],
        ),
        ("first_notice", ("scope_2", "impact"), []),
    ],
)
def test_content_items_are_unique_names_that_are_not_slots(
    kind: str, items: tuple[str, ...], problems: list[tuple[str, str, object]]
) -> None:
    policy = _contented(**{kind: items})
    templates = NoticeTemplates()  # the default templates use the default items
    policy = attrs.evolve(
        policy, notifications=attrs.evolve(policy.notifications, templates=templates)
    )
    assert _problems(policy) == [Problem(*problem) for problem in problems]


def test_every_template_is_checked_even_after_an_empty_or_broken_one() -> None:
    templates = NoticeTemplates(
        first_notice="",
        update="{{ incident_id",
        resolution="{{ mood }}",
        summary="{{ scope }} {{ what_happened }}",
    )
    policy = attrs.evolve(
        DEFAULT, notifications=attrs.evolve(DEFAULT.notifications, templates=templates)
    )
    found = _problems(policy)
    assert [(p.path, p.expected) for p in found] == [
        ("$.notifications.templates.update", "a template that parses"),
        ("$.notifications.templates.resolution", f"only the slots {SLOTS}"),
        (
            "$.notifications.templates.summary",
            "only the slots corrective_actions, customer_data, customer_impact, detected_at, "
            "incident_id, kind, now, resolved_at, scope_confirmed_at, severity, tenant, "
            "time_zone, title, what_happened",
        ),
    ]
    assert str(found[0].value).startswith("line 1: ")
    assert [p.value for p in found[1:]] == [["mood"], ["scope"]]


def test_the_loader_reports_the_notification_problems() -> None:
    with config_problem(
        "$.notifications.SEV-1.first_notice",
        value="90m",
        expected="at most SEV-2's '1h' (SEV-1 may not be looser)",
    ):
        rp.loads_policy('schema_version = 1\n[notifications.SEV-1]\nfirst_notice = "90m"\n')


# --- instants: the latest one, and every decision in UTC ------------------------------------------

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def _latest(field: str) -> CommunicationFacts:
    """Facts in UTC whose latest instant, 5 hours in, is ``field``'s, written in New York."""
    late = m(300).astimezone(NEW_YORK)
    base = facts((0, Severity.SEV_1), notices=both(10, FIRST))
    if field == "severity":
        return attrs.evolve(
            base, severities=(*base.severities, SeverityPoint(late, Severity.SEV_2))
        )
    if field == "notice":
        return attrs.evolve(base, notices=(*base.notices, attrs.evolve(base.notices[0], at=late)))
    if field == "reopened":
        return attrs.evolve(base, reopened_at=(late,))
    if field == "added":
        return attrs.evolve(base, scope=(*base.scope, TenantScope("t-002", late)))
    if field == "removed":
        return attrs.evolve(base, scope=(TenantScope("t-001", T0, late),))
    if field == "outage start":
        return attrs.evolve(base, outages=(ChannelOutage(Channel.EMAIL, late),))
    if field == "outage end":
        return attrs.evolve(base, outages=(ChannelOutage(Channel.EMAIL, m(1), late),))
    if field == "resolved":
        return attrs.evolve(base, resolved_at=late)
    assert field == "confirmed"
    return attrs.evolve(base, scope_confirmed_at=late)


LATEST = [
    "severity",
    "notice",
    "reopened",
    "added",
    "removed",
    "outage start",
    "outage end",
    "resolved",
    "confirmed",
]


@pytest.mark.parametrize("field", LATEST)
def test_an_audit_without_now_judges_at_the_latest_instant_in_utc(field: str) -> None:
    report = audit(_latest(field))
    assert report.as_of == m(300)
    assert report.as_of.tzinfo is UTC


@pytest.mark.parametrize("field", LATEST)
def test_every_reported_instant_is_in_utc(field: str) -> None:
    report = audit(_latest(field), now=m(400))
    found = [o for result in report.tenants for o in result.obligations]
    assert found
    for owed in found:
        assert owed.due.utcoffset() == dt.timedelta(0)
        assert owed.met_at is None or owed.met_at.tzinfo is UTC


def test_times_written_in_another_zone_count_elapsed_time_across_dst() -> None:
    # New York falls back at 2026-11-01 02:00 EDT: 01:50 EDT plus 30 minutes is 01:20 EST.
    at = dt.datetime(2026, 11, 1, 1, 50, tzinfo=NEW_YORK)
    elapsed = at.astimezone(UTC) + dt.timedelta(minutes=30)
    cases = {
        "confirmed": CommunicationFacts(
            "INC-DST", (SeverityPoint(T0, Severity.SEV_1),), at, (TenantScope("t-001", T0),)
        ),
        "added": CommunicationFacts(
            "INC-DST", (SeverityPoint(T0, Severity.SEV_1),), T0, (TenantScope("t-001", at),)
        ),
        "notice": CommunicationFacts(
            "INC-DST",
            (SeverityPoint(T0, Severity.SEV_1),),
            T0,
            (TenantScope("t-001", T0),),
            notices=(attrs.evolve(sent(0, FIRST), at=at),),
        ),
        "severity": CommunicationFacts(
            "INC-DST",
            (SeverityPoint(T0, Severity.SEV_3), SeverityPoint(at, Severity.SEV_1)),
            T0,
            (TenantScope("t-001", T0),),
            notices=(sent(0, FIRST),),
        ),
    }
    for name, subject in cases.items():
        owed = next_due(subject, now=at)
        assert owed is not None, name
        assert owed.due == elapsed, name
        assert owed.due.tzinfo is UTC, name
    resolved = CommunicationFacts(
        "INC-DST",
        (SeverityPoint(T0, Severity.SEV_1),),
        T0,
        (TenantScope("t-001", T0),),
        resolved_at=at,
        notices=(sent(0, FIRST),),
    )
    resolution = next(o for o in obligations(resolved, now=at) if o.kind is RESOLUTION)
    assert resolution.due == at.astimezone(UTC) + dt.timedelta(hours=1)


def test_an_outage_written_in_another_zone_still_ends_when_it_ends() -> None:
    outage = ChannelOutage(Channel.EMAIL, m(5).astimezone(NEW_YORK), m(15).astimezone(NEW_YORK))
    subject = attrs.evolve(
        facts((0, Severity.SEV_1), notices=(sent(20, FIRST, channel=Channel.IN_APP),)),
        scope=(TenantScope("t-001", T0, m(600).astimezone(NEW_YORK)),),
        outages=(outage,),
    )
    assert [o.status for o in obligations(subject, now=m(40))] == [DueStatus.MISSED]
    covered = attrs.evolve(subject, outages=(attrs.evolve(outage, end=m(25).astimezone(NEW_YORK)),))
    assert next(o.status for o in obligations(covered, now=m(40))) is DueStatus.MET


# --- the adapter, in full -------------------------------------------------------------------------


def test_communication_facts_carry_notices_scope_changes_reopens_and_severity_changes() -> None:
    events = [
        Detected(id="e1", at=T0, incident_id="INC-8", aware_at=T0),
        Triaged(id="e2", at=m(5), severity=Severity.SEV_2, tenants={"b", "a", "c"}),
        NotificationSent(
            id="e3",
            at=m(10),
            channel=Channel.IN_APP,
            kind=FIRST,
            tenants={"c", "a"},
            content={"scope", "impact"},
            fallback_for=Channel.EMAIL,
        ),
        NotificationSent(
            id="e4",
            at=m(12),
            channel=Channel.EMAIL,
            kind=UPDATE,
            audience=LISTED,
            tenants={"a", "c"},
        ),
        ScopeChanged(id="e5", at=m(15), removed={"b"}),
        SeverityChanged(id="e6", at=m(20), severity=Severity.SEV_1, reason="spreading"),
        Recovered(id="e7", at=m(30)),
        Validated(id="e8", at=m(35)),
        Resolved(id="e9", at=m(40)),
        Regression(id="e10", at=m(50), reason="back again"),
    ]
    subject = communication_facts(replay(events))
    assert subject == CommunicationFacts(
        incident_id="INC-8",
        severities=(SeverityPoint(m(5), Severity.SEV_2), SeverityPoint(m(20), Severity.SEV_1)),
        scope_confirmed_at=m(5),
        scope=(
            TenantScope("a", m(5)),
            TenantScope("b", m(5), m(15)),
            TenantScope("c", m(5)),
        ),
        resolved_at=None,
        reopened_at=(m(50),),
        dpa_track=False,
        notices=(
            SentNotice(
                "e3",
                m(10),
                Channel.IN_APP,
                FIRST,
                TENANT,
                ("a", "c"),
                fallback_for=Channel.EMAIL,
                content=frozenset({"scope", "impact"}),
            ),
            SentNotice("e4", m(12), Channel.EMAIL, UPDATE, LISTED, ("a", "c")),
        ),
    )
    assert subject.notices[0].tenants is subject.notices[1].tenants  # one tuple, shared


def test_communication_facts_judge_the_dpa_track_as_of_now() -> None:
    assessed = SecurityAssessed(
        id="e3",
        at=m(30),
        kind=IncidentKind.SECURITY,
        customer_data=DataInvolvement.YES,
        aware_at=m(30),
    )
    incident = _incident(assessed)
    assert not communication_facts(incident, POLICY, now=m(20)).dpa_track
    assert communication_facts(incident, POLICY, now=m(30)).dpa_track
    assert communication_facts(incident, POLICY).dpa_track  # default: its last event
    for function in (obligations, next_due_per_addressee):
        assert all(o.no_security_details for o in function(incident, POLICY, now=m(30)))
        assert not any(o.no_security_details for o in function(incident, POLICY, now=m(20)))
    for at, secret in ((m(20), False), (m(30), True)):
        owed = next_due(incident, POLICY, now=at)
        assert owed is not None
        assert owed.no_security_details is secret
        report = audit(incident, POLICY, now=at)
        assert [o.no_security_details for r in report.tenants for o in r.obligations] == [
            secret,
            secret,
        ]


# --- the report as a value and a document ---------------------------------------------------------


def test_an_audit_counts_every_addressee_and_sums_their_breaches() -> None:
    policy = listing("t-900")
    three = (("t-001", 0), ("t-002", 0), ("t-003", 0))
    notices = (*both(10, FIRST, ("t-002", "t-003")), *both(20, FIRST, ("t-900",)))
    notices = (*notices[:2], attrs.evolve(notices[2], audience=LISTED))
    report = audit(facts((0, Severity.SEV_1), tenants=three, notices=notices), policy, now=m(35))
    assert [(r.tenant, r.audience, r.compliant) for r in report.tenants] == [
        ("t-001", TENANT, False),
        ("t-002", TENANT, True),
        ("t-003", TENANT, True),
        ("t-900", LISTED, True),
    ]
    assert not report.compliant
    assert report.summary.splitlines()[:2] == [
        f"Customer communication for INC-1 as of {format_instant(m(35))}: 1 breach(es).",
        "4 addressee(s), 7 obligation(s): 3 pending, 3 met, 0 late, 1 missed; "
        "1 best-effort warning(s).",
    ]
    assert [(w.tenant, w.rule) for w in report.warnings] == [("t-001", RULE_BEST_EFFORT)]


def test_the_worst_delay_is_the_longest_of_one_addressee_too() -> None:
    notices = (
        attrs.evolve(sent(0, FIRST), at=m(47)),  # 17 minutes late
        attrs.evolve(sent(0, UPDATE), id="u", at=m(82)),  # due 77: 5 minutes late
    )
    report = audit(facts((0, Severity.SEV_1), notices=notices), now=m(82))
    assert [o.late_by for o in report.tenants[0].obligations if o.late_by] == [
        dt.timedelta(minutes=17),
        dt.timedelta(minutes=5),
    ]
    assert "Worst delay: 17m." in report.summary.splitlines()


def test_a_report_and_a_result_are_documents_of_their_values() -> None:
    report = audit(facts((0, Severity.SEV_1), notices=(sent(47, FIRST),)), now=m(47))
    data = serialization.unstructure(report)
    assert list(data) == [
        "schema_version",
        "incident_id",
        "as_of",
        "compliant",
        "breaches",
        "warnings",
        "tenants",
        "summary",
        "dpa_deadlines",
    ]
    assert (data["schema_version"], data["incident_id"], data["as_of"], data["compliant"]) == (
        1,
        "INC-1",
        "2026-03-09T14:47:00Z",
        False,
    )
    assert [(b["rule"], b["tenant"]) for b in data["breaches"]] == [(RULE_FIRST_NOTICE, "t-001")]
    assert [(w["rule"], w["tenant"]) for w in data["warnings"]] == [(RULE_BEST_EFFORT, "t-001")]
    assert (data["summary"], data["dpa_deadlines"]) == (report.summary, [])
    (result,) = data["tenants"]
    assert list(result) == [
        "tenant",
        "audience",
        "compliant",
        "obligations",
        "breaches",
        "warnings",
    ]
    assert (result["tenant"], result["audience"], result["compliant"]) == (
        "t-001",
        "affected_tenants",
        False,
    )
    assert [o["kind"] for o in result["obligations"]] == ["first_notice", "update"]
    assert result["breaches"] == data["breaches"]
    assert result["warnings"] == data["warnings"]
    assert repr(report).startswith("AuditReport(schema_version=1, incident_id='INC-1', as_of=")
    assert repr(report.tenants[0]).startswith(
        "TenantResult(tenant='t-001', audience=<Audience.AFFECTED_TENANTS: 'affected_tenants'>, "
        "compliant=False, obligations=("
    )


def test_a_result_built_by_hand_keeps_its_values_in_their_places() -> None:
    report = audit(facts((0, Severity.SEV_1), notices=(sent(47, FIRST),)), now=m(47))
    shared = report.tenants[0]
    listed = TenantResult(
        "t-001", TENANT, False, shared.obligations, shared.breaches, shared.warnings
    )
    assert (listed.tenant, listed.audience, listed.compliant) == ("t-001", TENANT, False)
    assert listed.obligations == shared.obligations
    assert listed.breaches == shared.breaches
    assert listed.warnings == shared.warnings
    assert listed == shared
    other = TenantResult("t-001", TENANT, True, shared.obligations, (), shared.warnings)
    assert other != shared
    assert (shared == "t-001") is False  # another type: not equal, and no error
    assert (report == "INC-1") is False
    given = AuditReport(1, "INC-1", m(47), False, (), (), report.tenants, "text")
    assert (given.breaches, given.warnings) == ((), ())  # given, not built from the tenants
    assert given != report


# --- next due, in full ----------------------------------------------------------------------------


def test_next_due_looks_past_addressees_that_share_a_schedule() -> None:
    # t-001 and t-002 share one schedule (due 40); t-003, later in tenant order, is due at 30.
    subject = facts((0, Severity.SEV_1), tenants=(("t-001", 10), ("t-002", 10), ("t-003", 0)))
    owed = next_due(subject, now=m(10))
    assert owed is not None
    assert (owed.tenant, owed.due) == ("t-003", m(30))
    per = next_due_per_addressee(subject, now=m(10))
    assert [(o.tenant, o.due) for o in per] == [
        ("t-003", m(30)),
        ("t-001", m(40)),
        ("t-002", m(40)),
    ]


def test_the_earliest_unmet_obligation_is_earliest_among_several() -> None:
    subject = facts((0, Severity.SEV_1), resolved=40)
    found = obligations(subject, now=m(45))
    assert [(o.kind, o.status) for o in found] == [
        (FIRST, DueStatus.MISSED),
        (RESOLUTION, DueStatus.PENDING),
        (SUMMARY, DueStatus.PENDING),
    ]
    (owed,) = next_due_per_addressee(subject, now=m(45))
    assert (owed.kind, owed.due, owed.status) == (FIRST, m(30), DueStatus.MISSED)
    assert next_due(subject, now=m(45)) == owed


def test_obligations_are_sorted_by_due_time_even_a_summary_before_a_resolution_notice() -> None:
    sev1 = attrs.evolve(
        DEFAULT.notifications.sev1,
        resolution_notice=dt.timedelta(days=10),
        summary=span("1bd"),
    )
    policy = cadenced(sev1=sev1)
    subject = facts((0, Severity.SEV_1), resolved=20, notices=both(10, FIRST))
    found = obligations(subject, policy, now=m(20))
    assert [(o.kind, o.due) for o in found] == [
        (FIRST, m(30)),
        (SUMMARY, dt.datetime(2026, 3, 10, 14, 20, tzinfo=UTC)),
        (RESOLUTION, m(20) + dt.timedelta(days=10)),
    ]
    owed = next_due(subject, policy, now=m(20))
    assert owed is not None
    assert owed.kind is SUMMARY


# --- intervals: per audience, severity and kind ---------------------------------------------------


def test_the_list_and_the_affected_tenants_have_their_own_intervals() -> None:
    policy = listing("t-900", severities=(Severity.SEV_1,))
    found = obligations(facts((0, Severity.SEV_2), (20, Severity.SEV_1)), policy, now=m(10))
    assert [row(o) for o in found] == [(TENANT, "t-001", FIRST, m(60), DueStatus.PENDING)]
    found = obligations(facts((0, Severity.SEV_2), (20, Severity.SEV_1)), policy, now=m(20))
    assert [row(o) for o in found] == [
        (TENANT, "t-001", FIRST, m(50), DueStatus.PENDING),
        (LISTED, "t-900", FIRST, m(50), DueStatus.PENDING),
    ]
    assert found[1].reason == first_notice_reason(
        "SEV-1", "the listed customer", "the change to SEV-1", m(20), "30m"
    )


def test_the_first_notice_and_the_updates_have_their_own_intervals() -> None:
    sev1 = attrs.evolve(
        DEFAULT.notifications.sev1,
        first_notice=dt.timedelta(minutes=15),
        update_interval=dt.timedelta(minutes=45),
    )
    policy = cadenced(sev1=sev1)
    subject = facts((0, Severity.SEV_1), tenants=(("t-001", 0), ("t-002", 0)))
    subject = attrs.evolve(subject, notices=both(10, FIRST, ("t-001",)))
    found = obligations(subject, policy, now=m(10))
    assert [(o.tenant, o.kind, o.due) for o in found] == [
        ("t-001", FIRST, m(15)),
        ("t-001", UPDATE, m(55)),
        ("t-002", FIRST, m(15)),
    ]
    assert found[1].reason == update_reason("SEV-1", "the tenant", "the last notice", m(10), "45m")


# --- order and the end of the clock ---------------------------------------------------------------


def test_addressees_come_affected_tenants_by_id_then_the_list_by_id() -> None:
    policy = listing("t-902", "t-901")
    scope = (("t-003", 0), ("t-001", 0), ("t-002", 0))
    subject = facts((0, Severity.SEV_1), tenants=scope)
    found = obligations(subject, policy, now=m(0))
    assert [(o.audience, o.tenant) for o in found] == [
        (TENANT, "t-001"),
        (TENANT, "t-002"),
        (TENANT, "t-003"),
        (LISTED, "t-901"),
        (LISTED, "t-902"),
    ]
    report = audit(subject, policy, now=m(0))
    assert [(r.audience, r.tenant) for r in report.tenants] == [
        (o.audience, o.tenant) for o in found
    ]


def test_notices_given_in_any_order_are_judged_in_time_order() -> None:
    notices = (
        *both(10, FIRST),
        sent(35, UPDATE),
        sent(38, UPDATE, channel=Channel.IN_APP),
        sent(70, RESOLUTION),
        sent(65, RESOLUTION, id="first-resolution"),
    )
    subject = facts((0, Severity.SEV_1), resolved=60, notices=notices)
    reverse = attrs.evolve(subject, notices=tuple(reversed(notices)))
    expected = audit(attrs.evolve(subject, notices=tuple(sorted(notices, key=lambda n: n.at))))
    assert audit(reverse) == audit(subject) == expected
    resolution = next(o for o in obligations(reverse, now=m(70)) if o.kind is RESOLUTION)
    assert (resolution.notice_id, resolution.met_at) == ("first-resolution", m(65))
    assert [w.reason for w in audit(reverse).warnings] == [
        f"no in_app notice for the resolution due {format_instant(m(120))} "
        "(best effort: a warning, not a breach)"
    ]


def test_the_clock_stops_at_the_earlier_of_removal_and_resolution() -> None:
    subject = facts((0, Severity.SEV_1), removed={"t-001": 20}, resolved=50)
    assert obligations(subject, now=m(60)) == ()
    subject = facts((0, Severity.SEV_1), removed={"t-001": 50}, resolved=20)
    assert obligations(subject, now=m(60)) == ()


def test_a_notice_after_the_clock_stopped_meets_what_was_overdue_and_starts_nothing() -> None:
    subject = facts((0, Severity.SEV_1), resolved=40, notices=both(50, RESOLUTION))
    found = obligations(subject, now=m(50))
    assert [(o.kind, o.status, o.late_by, o.notice_id) for o in found] == [
        (FIRST, DueStatus.LATE, dt.timedelta(minutes=20), found[0].notice_id),
        (RESOLUTION, DueStatus.MET, None, found[0].notice_id),
        (SUMMARY, DueStatus.PENDING, None, None),
    ]
    assert found[0].notice_id is not None


def test_an_incident_that_never_had_a_severity_owes_no_closing_notices() -> None:
    subject = facts((0, None), resolved=30, notices=both(10, FIRST))
    assert obligations(subject, now=m(30)) == ()
    assert audit(subject, now=m(300)).compliant


def test_a_change_at_the_instant_the_clock_stops_changes_nothing() -> None:
    subject = facts((0, Severity.SEV_2), (20, Severity.SEV_1), resolved=20, notices=both(20, FIRST))
    found = obligations(subject, now=m(20))
    assert [(o.kind, o.due, o.severity, o.status) for o in found] == [
        (FIRST, m(60), Severity.SEV_2, DueStatus.MET),
        (RESOLUTION, m(80), Severity.SEV_1, DueStatus.PENDING),
        (SUMMARY, dt.datetime(2026, 3, 16, 14, 20, tzinfo=UTC), Severity.SEV_1, DueStatus.PENDING),
    ]


def test_of_two_notices_due_at_once_the_resolution_notice_comes_first() -> None:
    sev1 = attrs.evolve(
        DEFAULT.notifications.sev1, resolution_notice=dt.timedelta(hours=24), summary=span("1d")
    )
    policy = cadenced(sev1=sev1)
    subject = facts((0, Severity.SEV_1), resolved=20, notices=both(10, FIRST))
    found = obligations(subject, policy, now=m(20))
    assert [(o.kind, o.due) for o in found] == [
        (FIRST, m(30)),
        (RESOLUTION, m(20) + dt.timedelta(days=1)),
        (SUMMARY, m(20) + dt.timedelta(days=1)),
    ]
    owed = next_due(subject, policy, now=m(20))
    assert owed is not None
    assert owed.kind is RESOLUTION
    assert [o.kind for o in next_due_per_addressee(subject, policy, now=m(20))] == [RESOLUTION]


def test_a_notice_that_counts_on_the_best_effort_channel_needs_no_other_copy() -> None:
    # Email and, standing in for it, in-app at the same instant: the second meets the update
    # the first one started, and is itself the in-app copy.
    notices = (
        sent(10, FIRST),
        sent(10, UPDATE, channel=Channel.IN_APP, fallback_for=Channel.EMAIL),
    )
    report = audit(facts((0, Severity.SEV_1), notices=notices), now=m(20))
    assert [(o.kind, o.status, o.notice_id) for o in report.tenants[0].obligations] == [
        (FIRST, DueStatus.MET, notices[0].id),
        (UPDATE, DueStatus.MET, notices[1].id),
        (UPDATE, DueStatus.PENDING, None),
    ]
    assert report.warnings == ()


def test_an_escalation_keeps_the_obligations_start_and_what_it_still_lacks() -> None:
    lacking = sent(10, FIRST, content=frozenset({"scope"}))
    subject = facts((0, Severity.SEV_2), (20, Severity.SEV_1), notices=(lacking,))
    (owed,) = obligations(subject, now=m(60))
    assert (owed.due, owed.severity, owed.status, owed.missing_items) == (
        m(50),
        Severity.SEV_1,
        DueStatus.MISSED,
        ("impact",),
    )
    # The in-app copy at 15 counts: the obligation started at 0, not at the escalation.
    notices = (sent(15, FIRST, channel=Channel.IN_APP), sent(45, FIRST))
    subject = facts((0, Severity.SEV_2), (20, Severity.SEV_1), notices=notices)
    report = audit(subject, now=m(45))
    assert report.tenants[0].obligations[0].status is DueStatus.MET
    assert report.warnings == ()


def test_a_pending_obligation_lacking_items_is_no_breach_yet() -> None:
    lacking = sent(10, FIRST, content=frozenset({"scope"}))
    report = audit(facts((0, Severity.SEV_1), notices=(lacking,)), now=m(20))
    assert report.compliant
    assert report.breaches == ()
    (owed,) = report.tenants[0].obligations
    assert (owed.status, owed.missing_items) == (DueStatus.PENDING, ("impact",))


def test_a_lacking_notice_while_nothing_is_owed_leaves_the_first_notice_owed() -> None:
    lacking = both(10, FIRST)[0]
    lacking = attrs.evolve(lacking, content=frozenset({"scope"}))
    subject = facts((0, Severity.SEV_3), (20, Severity.SEV_1), notices=(lacking,))
    (owed,) = obligations(subject, now=m(20))
    assert (owed.kind, owed.due, owed.rule) == (FIRST, m(50), RULE_FIRST_NOTICE)


def test_an_in_app_copy_at_the_instant_a_clock_restarts_counts_for_its_first_notice() -> None:
    notices = (sent(20, FIRST, channel=Channel.IN_APP), sent(25, FIRST))
    subject = facts((0, Severity.SEV_3), (20, Severity.SEV_1), notices=notices)
    report = audit(subject, now=m(25))
    assert report.tenants[0].obligations[0].status is DueStatus.MET
    assert report.warnings == ()


def test_a_documents_bad_delay_names_the_field_to_a_log_reader() -> None:
    data = json.loads(_obligation_document(late_by=-5))
    with pytest.raises(Exception) as caught:  # noqa: PT011 - cattrs' own exception group
        serialization.converter.structure(data, Obligation)
    error = serialization.first_input_error(caught.value)
    assert error is not None
    assert_input_error(
        error, "late_by", value=-5, expected="a number of seconds (0 or more), or null"
    )
