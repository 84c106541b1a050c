"""The DPA track (SPEC section 5): properties first, then worked examples and bad input."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reliability_policy import loads_policy, testing
from reliability_policy.defaults import default_policy
from reliability_policy.errors import NaiveDatetimeError, PolicyConfigError, PolicyInputError
from reliability_policy.findings import DueStatus
from reliability_policy.lifecycle import DataInvolvement, IncidentKind
from reliability_policy.policy import Policy, Tenant, TimeZoneName
from reliability_policy.security import (
    GDPR_CONTROLLER_DEADLINE,
    AffectedTenant,
    Assessment,
    Decision,
    DpaNotice,
    Routing,
    SecurityFacts,
    Track,
    ordinary_notice_flags,
    route_security_incident,
)
from reliability_policy.serialization import dumps, loads, structure, unstructure

UTC = dt.UTC
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
H = dt.timedelta(hours=1)


def _policy() -> Policy:
    tenants = [
        Tenant("acme", TimeZoneName("Europe/Berlin"), security_contacts=("sec@acme.example",)),
        Tenant(
            "globex",
            TimeZoneName("America/New_York"),
            dpa_deadline=dt.timedelta(hours=24),
            security_contacts=("ciso@globex.example", "privacy@globex.example"),
        ),
        Tenant("initech", TimeZoneName("Asia/Kathmandu"), security_contacts=("dpo@ini.example",)),
        Tenant("umbrella", TimeZoneName("UTC")),
    ]
    return attrs.evolve(default_policy(), tenants=tuple(tenants))


POLICY = _policy()


@st.composite
def policies_and_facts(draw: st.DrawFn) -> tuple[Policy, SecurityFacts, dt.datetime]:
    policy = draw(st.sampled_from([POLICY, default_policy()]) | testing.policies())
    facts = draw(testing.security_facts(policy=policy))
    now = facts.aware_at + dt.timedelta(minutes=draw(st.integers(0, 120 * 60)))
    return policy, facts, now


def _affected(facts: SecurityFacts, now: dt.datetime) -> set[str]:
    return {t.tenant_id for t in facts.tenants if t.added_at <= now}


# --- properties -------------------------------------------------------------------------------


@given(policies_and_facts())
def test_recipients_are_only_the_tenants_own_security_contacts(case):
    policy, facts, now = case
    routing = route_security_incident(facts, policy, now=now)
    affected = _affected(facts, now)
    contacts = {c for t in affected for c in policy.for_tenant(t).security_contacts}
    for entry in routing.tenants:
        assert entry.tenant_id in affected
        assert set(entry.recipients) <= set(policy.for_tenant(entry.tenant_id).security_contacts)
        assert set(entry.recipients) <= contacts
        assert not set(entry.recipients) & {"status_page", "notification_list"}
        assert "other_tenants" in entry.forbidden_audiences
        assert entry.forbidden_audiences >= policy.security.forbidden_audiences
        assert "other_tenants" in entry.forbidden_audiences
        assert entry.checklist == policy.security.checklist
        assert set(entry.missing) <= set(entry.checklist)


@given(policies_and_facts())
def test_no_dpa_content_for_an_unaffected_tenant_or_a_forbidden_audience(case):
    policy, facts, now = case
    routing = route_security_incident(facts, policy, now=now)
    assert {e.tenant_id for e in routing.tenants} <= _affected(facts, now)
    for record in routing.records:
        assert set(record.tenants) <= _affected(facts, now)
    flagged = {(f.rule, f.tenant) for f in routing.findings}
    if routing.track is Track.DPA:
        for notice in facts.as_of(now).notices:
            if notice.tenant_id not in _affected(facts, now):
                assert ("notice-to-unaffected-tenant", notice.tenant_id) in flagged
            elif set(notice.recipients) - set(
                policy.for_tenant(notice.tenant_id).security_contacts
            ):
                assert ("recipient-not-a-security-contact", notice.tenant_id) in flagged


@given(policies_and_facts())
def test_deadlines_are_elapsed_at_most_72h_and_the_stricter_term(case):
    policy, facts, now = case
    routing = route_security_incident(facts, policy, now=now)
    for entry in routing.tenants:
        elapsed = entry.deadline.astimezone(UTC) - facts.aware_at.astimezone(UTC)
        assert elapsed == entry.term <= GDPR_CONTROLLER_DEADLINE
        own = policy.tenant(entry.tenant_id)
        contract = None if own is None else own.dpa_deadline
        assert entry.contract_term == contract
        if contract is not None and contract < policy.security.notify_deadline:
            assert entry.term == contract
            assert entry.rule == "tenant-dpa-term"
        else:
            assert entry.term == policy.security.notify_deadline
            assert entry.rule == "policy-dpa-deadline"


@given(policies_and_facts(), st.sampled_from(testing.EDGE_ZONES))
def test_deadlines_do_not_depend_on_the_zone_awareness_is_written_in(case, zone):
    policy, facts, now = case
    moved = attrs.evolve(facts, aware_at=facts.aware_at.astimezone(zoneinfo.ZoneInfo(zone)))
    first = route_security_incident(facts, policy, now=now)
    second = route_security_incident(moved, policy, now=now.astimezone(zoneinfo.ZoneInfo(zone)))
    assert [e.deadline for e in first.tenants] == [e.deadline for e in second.tenants]
    assert [e.status for e in first.tenants] == [e.status for e in second.tenants]


@given(policies_and_facts())
def test_unknown_or_involved_security_incidents_are_on_the_dpa_track(case):
    policy, facts, now = case
    routing = route_security_incident(facts, policy, now=now)
    if facts.kind is IncidentKind.AVAILABILITY:
        assert routing.track is Track.STANDARD
        assert routing.security_details_allowed
    else:
        current = facts.as_of(now).involvement
        assert (routing.track is Track.DPA) == (current is not DataInvolvement.NO)
        if routing.track is Track.DPA:
            assert not routing.security_details_allowed
        assert routing.records[0].decision in (Decision.ENTER_DPA, Decision.STANDARD)
    assert (
        ordinary_notice_flags(facts, policy, now=now).security_details
        == routing.security_details_allowed
    )


@given(policies_and_facts(), st.integers(0, 120 * 60))
def test_records_are_append_only(case, later_minutes):
    policy, facts, now = case
    later = now + dt.timedelta(minutes=later_minutes)
    before = route_security_incident(facts, policy, now=now).records
    after = route_security_incident(facts, policy, now=later).records
    assert after[: len(before)] == before
    assert [r.at for r in after] == sorted(after_at.at for after_at in after)


@given(policies_and_facts())
def test_status_is_consistent_with_the_deadline(case):
    policy, facts, now = case
    for entry in route_security_incident(facts, policy, now=now).tenants:
        if entry.status is DueStatus.PENDING:
            assert entry.notified_at is None
            assert now <= entry.deadline
        elif entry.status is DueStatus.MISSED:
            assert entry.notified_at is None
            assert entry.late_by == now - entry.deadline
        elif entry.status is DueStatus.MET:
            assert entry.notified_at is not None
            assert entry.notified_at <= entry.deadline
        else:
            assert entry.notified_at is not None
            assert entry.late_by == entry.notified_at - entry.deadline > dt.timedelta(0)


@given(policies_and_facts())
def test_facts_and_routings_round_trip_through_json(case):
    policy, facts, now = case
    assert loads(dumps(facts), SecurityFacts) == facts
    routing = route_security_incident(facts, policy, now=now)
    assert loads(dumps(routing), Routing) == routing
    assert structure(unstructure(routing), Routing) == routing


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(), st.lists, max_leaves=8))
def test_reading_any_json_as_facts_raises_our_error(data):
    with pytest.raises(PolicyConfigError):
        structure({"incident_id": "x", "kind": "security", "aware_at": data}, SecurityFacts)


# --- worked examples --------------------------------------------------------------------------


def test_awareness_on_the_evening_before_europes_spring_dst_change():
    # 2026-03-29 02:00 CET -> 03:00 CEST. Awareness Saturday 20:00 in Berlin (19:00 UTC).
    aware = dt.datetime(2026, 3, 28, 20, 0, tzinfo=BERLIN)
    facts = SecurityFacts("INC-DST", "security", aware, tenants=[AffectedTenant("acme", aware)])
    routing = route_security_incident(facts, POLICY, now=aware + 2 * H)
    (acme,) = routing.tenants
    # 48 real hours: Monday 21:00 local (wall clock moved one hour), 19:00 UTC.
    assert acme.deadline == dt.datetime(2026, 3, 30, 19, 0, tzinfo=UTC)
    assert acme.deadline.astimezone(BERLIN).hour == 21
    assert acme.deadline != aware + 48 * H  # naive wall-clock arithmetic would be an hour off
    assert acme.recipients == ("sec@acme.example",)
    assert acme.status is DueStatus.PENDING
    assert routing.rule == "dpa-unknown-involvement"


def test_unknown_involvement_later_assessed_as_none_leaves_the_track_and_keeps_the_record():
    aware = dt.datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
    facts = SecurityFacts(
        "INC-2",
        IncidentKind.SECURITY,
        aware,
        tenants=[AffectedTenant("acme", aware), AffectedTenant("globex", aware + H)],
    )
    early = route_security_incident(facts, POLICY, now=aware + 2 * H)
    assert early.track is Track.DPA
    assert [r.decision for r in early.records] == [Decision.ENTER_DPA, Decision.ADD_TENANT]

    assessed = attrs.evolve(
        facts,
        assessments=[Assessment(aware + 5 * H, "no", by="sec-oncall", reason="no data read")],
    )
    later = route_security_incident(assessed, POLICY, now=aware + 6 * H)
    assert later.track is Track.STANDARD
    assert later.rule == "no-customer-data"
    assert later.tenants == ()
    assert later.records[:2] == early.records
    leave = later.records[-1]
    assert leave.decision is Decision.LEAVE_DPA
    assert leave.tenants == ("acme", "globex")
    assert "sec-oncall" in leave.reason
    assert "no data read" in leave.reason
    # Security details never leave the DPA track, even after it is left.
    assert not ordinary_notice_flags(assessed, POLICY, now=aware + 6 * H).security_details
    # As of before the assessment, the routing is what it was.
    assert route_security_incident(assessed, POLICY, now=aware + 2 * H) == early


def test_a_24h_tenant_beside_tenants_on_the_default():
    aware = dt.datetime(2026, 10, 24, 22, 30, tzinfo=UTC)
    notices = [
        DpaNotice(
            "n-1", aware + 20 * H, "globex", ["ciso@globex.example"], ["nature", "contact_point"]
        ),
        DpaNotice("n-2", aware + 50 * H, "acme", ["sec@acme.example"], ["nature"]),
    ]
    facts = SecurityFacts(
        "INC-3",
        "security",
        aware,
        assessments=[Assessment(aware + H, "yes", by="sec")],
        tenants=[AffectedTenant(t, aware) for t in ("acme", "globex", "initech")],
        notices=notices,
    )
    routing = route_security_incident(facts, POLICY, now=aware + 60 * H)
    by_id = {e.tenant_id: e for e in routing.tenants}
    assert routing.rule == "dpa-customer-data"
    assert by_id["globex"].term == 24 * H
    assert by_id["globex"].rule == "tenant-dpa-term"
    assert by_id["globex"].status is DueStatus.MET
    assert "nature" not in by_id["globex"].missing
    assert "measures" in by_id["globex"].missing
    assert by_id["globex"].recipients == ("ciso@globex.example", "privacy@globex.example")
    assert by_id["acme"].term == 48 * H
    assert by_id["acme"].rule == "policy-dpa-deadline"
    assert by_id["acme"].status is DueStatus.LATE
    assert by_id["acme"].late_by == 2 * H
    assert by_id["initech"].status is DueStatus.MISSED
    assert by_id["initech"].late_by == 12 * H
    assert "other_tenants" in by_id["acme"].forbidden_audiences
    assert [r.decision for r in routing.records] == [Decision.ENTER_DPA, Decision.STAY_DPA]
    assert routing.findings == ()


def test_a_tenant_without_contacts_is_a_finding_never_an_invented_recipient():
    aware = dt.datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
    facts = SecurityFacts(
        "INC-4",
        "security",
        aware,
        tenants=[AffectedTenant("umbrella", aware), AffectedTenant("unlisted", aware)],
        notices=[
            DpaNotice("n-1", aware + H, "umbrella", ["status_page"], ["nature"]),
            DpaNotice("n-2", aware + H, "hooli", ["sec@hooli.example"], ["nature"]),
        ],
    )
    routing = route_security_incident(facts, POLICY, now=aware + 2 * H)
    assert all(e.recipients == () for e in routing.tenants)
    assert all(e.status is DueStatus.PENDING for e in routing.tenants)
    rules = sorted((f.rule, f.tenant) for f in routing.findings)
    assert rules == [
        ("no-security-contacts", "umbrella"),
        ("no-security-contacts", "unlisted"),
        ("notice-to-unaffected-tenant", "hooli"),
        ("recipient-not-a-security-contact", "umbrella"),
    ]


def test_an_availability_incident_stays_on_the_standard_track():
    aware = dt.datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
    facts = SecurityFacts("INC-5", "availability", aware, tenants=[AffectedTenant("acme", aware)])
    routing = route_security_incident(facts, now=aware)
    assert routing.track is Track.STANDARD
    assert routing.rule == "availability-incident"
    assert [r.decision for r in routing.records] == [Decision.STANDARD]
    assert ordinary_notice_flags(facts, now=aware).security_details


def test_routing_serializes_with_a_schema_version():
    aware = dt.datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
    facts = SecurityFacts("INC-6", "security", aware, tenants=[AffectedTenant("acme", aware)])
    data = json.loads(dumps(route_security_incident(facts, POLICY, now=aware)))
    assert data["schema_version"] == 1
    assert data["tenants"][0]["deadline"] == "2026-01-12T09:00:00Z"
    assert data["records"][0]["decision"] == "enter-dpa-track"


# --- bad input --------------------------------------------------------------------------------

AWARE = dt.datetime(2026, 1, 10, 9, 0, tzinfo=UTC)


def test_a_naive_now_is_refused():
    facts = SecurityFacts("INC", "security", AWARE)
    with pytest.raises(NaiveDatetimeError):
        route_security_incident(facts, now=dt.datetime(2026, 1, 10, 10, 0))


def test_now_before_awareness_is_refused():
    facts = SecurityFacts("INC", "security", AWARE)
    with pytest.raises(PolicyInputError, match="now"):
        route_security_incident(facts, now=AWARE - H)


def test_something_else_than_facts_is_refused():
    with pytest.raises(PolicyInputError, match="incident"):
        route_security_incident({"incident_id": "x"}, now=AWARE)


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: SecurityFacts("", "security", AWARE), "incident_id"),
        (lambda: SecurityFacts("I", "breach", AWARE), "kind"),
        (lambda: SecurityFacts("I", "security", dt.datetime(2026, 1, 1)), "aware_at"),
        (
            lambda: SecurityFacts("I", "security", AWARE, [Assessment(AWARE - H, "yes")]),
            "assessments[0].at",
        ),
        (
            lambda: SecurityFacts(
                "I", "security", AWARE, [Assessment(AWARE + H, "yes"), Assessment(AWARE, "no")]
            ),
            "assessments[1].at",
        ),
        (lambda: Assessment(AWARE, "maybe"), "value"),
        (
            lambda: SecurityFacts("I", "security", AWARE, tenants=[AffectedTenant("a", AWARE)] * 2),
            "tenants[1].tenant_id",
        ),
        (lambda: SecurityFacts("I", "security", AWARE, tenants=["a"]), "tenants[0]"),
        (lambda: DpaNotice("n", AWARE, "a", "sec@a.example"), "recipients"),
        (lambda: DpaNotice("n", AWARE, "a", [""]), "recipients[0]"),
    ],
)
def test_bad_facts_name_the_field(build, field):
    with pytest.raises(PolicyInputError) as caught:
        build()
    assert caught.value.field == field


def test_a_deadline_over_72h_is_a_configuration_error():
    # The loader refuses it; a policy built by hand is checked again when routing.
    loose = attrs.evolve(
        POLICY, security=attrs.evolve(POLICY.security, notify_deadline=dt.timedelta(hours=80))
    )
    facts = SecurityFacts("I", "security", AWARE, tenants=[AffectedTenant("acme", AWARE)])
    with pytest.raises(PolicyConfigError, match="72h"):
        route_security_incident(facts, loose, now=AWARE)
    with pytest.raises(PolicyConfigError):
        loads_policy({"schema_version": 1, "security": {"notify_deadline": "73h"}})
