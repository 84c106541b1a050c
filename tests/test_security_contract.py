"""The DPA track's contract, pinned example by example (SPEC section 5).

Isolation: a tenant's routing names its own security contacts and nobody else's. Secrecy: once
an incident has been on the DPA track its ordinary notices carry no security details. The clock:
awareness plus the stricter of the contract's term and the policy's deadline, never above 72h,
with the boundaries (exactly at the deadline, exactly 72h, equal terms) on the right side. And
every refused value names its field, the value and what was expected; every decision names its
rule and why.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import attrs
import pytest

import reliability_policy as rp
from expect import config_problem, input_error
from reliability_policy.errors import NaiveDatetimeError, Problem
from reliability_policy.findings import DueStatus, Finding
from reliability_policy.levels import Channel, Severity
from reliability_policy.lifecycle import (
    Audience,
    DataInvolvement,
    Detected,
    IncidentKind,
    NoticeKind,
    NotificationSent,
    ScopeChanged,
    SecurityAssessed,
    Triaged,
    replay,
)
from reliability_policy.policy import Tenant, TimeZoneName
from reliability_policy.security import (
    AffectedTenant,
    Assessment,
    Decision,
    DpaNotice,
    NoticeFlags,
    RoutingDecision,
    SecurityFacts,
    Track,
    ordinary_notice_flags,
    policy_problems,
    route_security_incident,
    security_facts,
)

UTC = dt.UTC
H = dt.timedelta(hours=1)
T0 = dt.datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
T0_TEXT = "2026-01-10T09:00:00Z"
AT_MOST_72H = "at most 72h (the controller's own GDPR Art. 33(1) deadline)"
NEVER_DPA = "never on the DPA track: no security details"
NO_DETAILS = "on the DPA track (now or before): ordinary notices carry no security details"
UNKNOWN_REASON = "customer-data involvement not known yet: treated as involved, the clock runs"
INVOLVED_REASON = "customer data is involved: the DPA track"
NOT_INVOLVED_REASON = "assessed: no customer data involved"
AVAILABILITY_REASON = "an availability incident: the standard track"
POLICY_DEADLINE = "the policy's DPA deadline"


def _tenant(tenant_id, *contacts, term=None):
    return Tenant(
        tenant_id, TimeZoneName("UTC"), dpa_deadline=term, security_contacts=tuple(contacts)
    )


def _policy(*tenants, deadline=48 * H, forbidden=None):
    base = rp.default_policy()
    security = attrs.evolve(base.security, notify_deadline=deadline)
    if forbidden is not None:
        security = attrs.evolve(security, forbidden_audiences=frozenset(forbidden))
    return attrs.evolve(base, tenants=tuple(tenants), security=security)


POLICY = _policy(
    _tenant("acme", "sec@acme.example", "dpo@acme.example"),
    _tenant("globex", "ciso@globex.example", term=24 * H),
    _tenant("initech", "dpo@initech.example"),
)


def _facts(*tenants, assessments=(), notices=(), kind="security", aware=T0):
    return SecurityFacts(
        "INC-1",
        kind,
        aware,
        assessments=assessments,
        tenants=[AffectedTenant(t, aware) for t in tenants],
        notices=notices,
    )


def _iso(instant):
    """An instant as the reasons write it: ISO 8601 in UTC with a Z."""
    return instant.astimezone(UTC).isoformat().removesuffix("+00:00") + "Z"


def _duration(term):
    """A whole number of minutes as the reasons write it: 48h, 2879m."""
    minutes = int(term.total_seconds()) // 60
    return f"{minutes // 60}h" if minutes % 60 == 0 else f"{minutes}m"


def _reason(tenant, deadline, term, source, status, late=None):
    text = f"tell {tenant} by {deadline}: {term} after awareness ({source}); {status}"
    return text if late is None else f"{text} by {late}"


# --- bad input: every refusal names the field, the value and what was expected ------------------


@pytest.mark.parametrize(
    ("build", "field", "value", "expected"),
    [
        (lambda: Assessment(T0, "maybe"), "value", "maybe", "one of 'yes', 'no', 'unknown'"),
        (lambda: Assessment(T0, 3), "value", 3, "one of 'yes', 'no', 'unknown'"),
        (lambda: Assessment(T0, "yes", by=7), "by", 7, "a string"),
        (lambda: Assessment(T0, "yes", reason=None), "reason", None, "a string"),
        (lambda: AffectedTenant(" ", T0), "tenant_id", " ", "a non-empty string"),
        (lambda: DpaNotice("", T0, "acme", ["a@b"]), "id", "", "a non-empty string"),
        (lambda: DpaNotice("n", T0, "", ["a@b"]), "tenant_id", "", "a non-empty string"),
        (
            lambda: DpaNotice("n", T0, "acme", "a@b"),
            "recipients",
            "a@b",
            "a list of non-empty strings",
        ),
        (lambda: DpaNotice("n", T0, "acme", ["a@b"], [""]), "items[0]", "", "a non-empty string"),
        (
            lambda: SecurityFacts("I", "breach", T0),
            "kind",
            "breach",
            "one of 'availability', 'security'",
        ),
        (lambda: SecurityFacts("", "security", T0), "incident_id", "", "a non-empty string"),
        (
            lambda: SecurityFacts("I", "security", T0, tenants="acme"),
            "tenants",
            "acme",
            "a list of AffectedTenant values",
        ),
        (
            lambda: SecurityFacts("I", "security", T0, notices=["n"]),
            "notices[0]",
            "n",
            "a DpaNotice",
        ),
        (
            lambda: SecurityFacts("I", "security", T0, schema_version=2),
            "schema_version",
            2,
            "1",
        ),
    ],
)
def test_a_bad_fact_names_the_field_the_value_and_what_was_expected(build, field, value, expected):
    with input_error(field, value=value, expected=expected):
        build()


def test_an_assessment_before_awareness_names_its_instant_and_awareness():
    with input_error(
        "assessments[0].at",
        value="2026-01-10T08:00:00Z",
        expected=f"an instant at or after {T0_TEXT}",
        detail="assessments come in time order and never before awareness",
    ):
        SecurityFacts("I", "security", T0, [Assessment(T0 - H, "yes")])


def test_an_assessment_before_the_one_before_it_names_that_one():
    # Both after awareness: the second is refused for being earlier than the first.
    assessments = [Assessment(T0, "unknown"), Assessment(T0 + 3 * H, "yes")]
    assessments.append(Assessment(T0 + 2 * H, "no"))
    with input_error(
        "assessments[2].at",
        value="2026-01-10T11:00:00Z",
        expected="an instant at or after 2026-01-10T12:00:00Z",
        detail="assessments come in time order and never before awareness",
    ):
        SecurityFacts("I", "security", T0, assessments)


def test_assessments_at_awareness_and_at_the_same_instant_are_in_order():
    same = [Assessment(T0, "unknown"), Assessment(T0, "yes"), Assessment(T0, "no")]
    assert SecurityFacts("I", "security", T0, same).involvement is DataInvolvement.NO


def test_a_tenant_listed_twice_is_refused_at_its_second_place():
    tenants = [AffectedTenant(t, T0) for t in ("acme", "globex", "acme")]
    with input_error("tenants[2].tenant_id", value="acme", expected="a tenant listed once"):
        SecurityFacts("I", "security", T0, tenants=tenants)


def test_a_notice_id_used_twice_is_refused_at_its_second_place():
    notices = [DpaNotice(n, T0, "acme", ["sec@acme.example"]) for n in ("n-1", "n-2", "n-1")]
    with input_error("notices[2].id", value="n-1", expected="a notice id used once"):
        SecurityFacts("I", "security", T0, notices=notices)


def test_the_same_tenant_in_notices_and_one_id_per_notice_is_fine():
    notices = [DpaNotice(n, T0, "acme", ["sec@acme.example"]) for n in ("n-1", "n-2")]
    facts = _facts("acme", "globex", notices=notices)
    assert [n.id for n in facts.notices] == ["n-1", "n-2"]


def test_as_of_refuses_a_naive_now_naming_it():
    naive = dt.datetime(2026, 1, 10, 10, 0)
    with input_error("now", value=naive, kind=NaiveDatetimeError):
        _facts("acme").as_of(naive)


@pytest.mark.parametrize("route", [route_security_incident, ordinary_notice_flags])
def test_a_naive_now_is_refused_naming_now(route):
    naive = dt.datetime(2026, 1, 10, 10, 0)
    with input_error(
        "now", value=naive, expected="a timezone-aware datetime", kind=NaiveDatetimeError
    ):
        route(_facts("acme"), now=naive)


def test_routing_before_awareness_names_now_and_awareness():
    with input_error(
        "now",
        value="2026-01-10T08:59:00Z",
        expected=f"an instant at or after aware_at ({T0_TEXT})",
    ):
        route_security_incident(_facts("acme"), now=T0 - dt.timedelta(minutes=1))


@pytest.mark.parametrize(
    "call",
    [
        lambda: route_security_incident({"incident_id": "x"}, now=T0),
        lambda: ordinary_notice_flags({"incident_id": "x"}, now=T0),
        lambda: security_facts({"incident_id": "x"}),
    ],
)
def test_something_else_than_an_incident_is_refused_naming_it(call):
    with input_error(
        "incident", value={"incident_id": "x"}, expected="a lifecycle Incident or SecurityFacts"
    ):
        call()


@pytest.mark.parametrize("route", [route_security_incident, ordinary_notice_flags])
def test_something_else_than_a_policy_is_refused(route):
    with input_error("policy", value="strict"):
        route(_facts("acme"), "strict", now=T0)


# --- the facts known at a given instant --------------------------------------------------------


def test_facts_exactly_at_now_are_known_and_later_ones_are_not():
    notices = [
        DpaNotice("n-1", T0 + 2 * H, "acme", ["sec@acme.example"]),
        DpaNotice("n-2", T0 + 3 * H, "acme", ["sec@acme.example"]),
    ]
    facts = SecurityFacts(
        "I",
        "security",
        T0,
        assessments=[Assessment(T0 + 2 * H, "yes"), Assessment(T0 + 3 * H, "no")],
        tenants=[AffectedTenant("acme", T0), AffectedTenant("globex", T0 + 2 * H)],
        notices=notices,
    )
    known = facts.as_of(T0 + 2 * H)
    assert known.assessments == facts.assessments[:1]
    assert known.tenants == facts.tenants
    assert known.notices == facts.notices[:1]
    assert known.involvement is DataInvolvement.YES
    assert (known.incident_id, known.kind, known.aware_at) == ("I", IncidentKind.SECURITY, T0)
    earlier = facts.as_of(T0 + H)
    assert (earlier.assessments, earlier.notices) == ((), ())
    assert earlier.tenants == facts.tenants[:1]
    assert earlier.involvement is DataInvolvement.UNKNOWN


def test_routing_exactly_at_awareness_is_allowed():
    routing = route_security_incident(_facts("acme"), POLICY, now=T0)
    assert routing.as_of == T0
    assert [e.status for e in routing.tenants] == [DueStatus.PENDING]


# --- the track, its rule and reason ------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "assessed", "track", "rule", "reason"),
    [
        ("availability", "yes", Track.STANDARD, "availability-incident", AVAILABILITY_REASON),
        ("security", None, Track.DPA, "dpa-unknown-involvement", UNKNOWN_REASON),
        ("security", "unknown", Track.DPA, "dpa-unknown-involvement", UNKNOWN_REASON),
        ("security", "yes", Track.DPA, "dpa-customer-data", INVOLVED_REASON),
        ("security", "no", Track.STANDARD, "no-customer-data", NOT_INVOLVED_REASON),
    ],
)
def test_the_track_on_awareness_has_its_rule_and_reason(kind, assessed, track, rule, reason):
    assessments = [] if assessed is None else [Assessment(T0, assessed)]
    facts = _facts("globex", "acme", kind=kind, assessments=assessments)
    routing = route_security_incident(facts, POLICY, now=T0 + H)
    assert (routing.track, routing.rule, routing.reason) == (track, rule, reason)
    decision = Decision.ENTER_DPA if track is Track.DPA else Decision.STANDARD
    assert routing.records == (
        RoutingDecision(T0, decision, rule, ("acme", "globex"), f"on awareness: {reason}"),
    )
    assert routing.security_details_allowed is (track is Track.STANDARD)
    entries = [e.tenant_id for e in routing.tenants]
    assert entries == (["globex", "acme"] if track is Track.DPA else [])


def test_the_routing_names_the_incident_its_instants_and_involvement():
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    facts = _facts("acme", assessments=[Assessment(T0 + H, "yes")])
    routing = route_security_incident(facts, POLICY, now=(T0 + 2 * H).astimezone(berlin))
    assert routing.incident_id == "INC-1"
    assert routing.as_of == T0 + 2 * H
    assert routing.as_of.tzinfo is UTC
    assert routing.aware_at == T0
    assert routing.involvement is DataInvolvement.YES
    assert routing.schema_version == 1
    assert routing.findings == ()


def test_two_assessments_at_awareness_the_last_one_decides():
    facts = _facts("acme", assessments=[Assessment(T0, "unknown"), Assessment(T0, "yes")])
    routing = route_security_incident(facts, POLICY, now=T0)
    assert [(r.decision, r.rule) for r in routing.records] == [
        (Decision.ENTER_DPA, "dpa-customer-data")
    ]


def test_every_change_of_assessment_is_a_record_with_who_and_why():
    assessments = [
        Assessment(T0 + H, "yes", by="sec-oncall", reason="dump found"),
        Assessment(T0 + 2 * H, "yes", by="someone", reason="still"),
        Assessment(T0 + 3 * H, "no", by="dpo"),
        Assessment(T0 + 4 * H, "no", reason="again"),
        Assessment(T0 + 5 * H, "unknown", reason="new logs"),
        Assessment(T0 + 6 * H, "no"),
    ]
    facts = _facts("globex", "acme", assessments=assessments)
    records = route_security_incident(facts, POLICY, now=T0 + 7 * H).records
    both = ("acme", "globex")
    assert records == (
        RoutingDecision(
            T0,
            Decision.ENTER_DPA,
            "dpa-unknown-involvement",
            both,
            f"on awareness: {UNKNOWN_REASON}",
        ),
        RoutingDecision(
            T0 + H,
            Decision.STAY_DPA,
            "dpa-customer-data",
            both,
            f"assessed yes by sec-oncall (dump found): {INVOLVED_REASON}",
        ),
        RoutingDecision(
            T0 + 3 * H,
            Decision.LEAVE_DPA,
            "no-customer-data",
            both,
            f"assessed no by dpo: {NOT_INVOLVED_REASON}",
        ),
        RoutingDecision(
            T0 + 5 * H,
            Decision.ENTER_DPA,
            "dpa-unknown-involvement",
            both,
            f"assessed unknown (new logs): {UNKNOWN_REASON}",
        ),
        RoutingDecision(
            T0 + 6 * H,
            Decision.LEAVE_DPA,
            "no-customer-data",
            both,
            f"assessed no: {NOT_INVOLVED_REASON}",
        ),
    )


def test_after_a_change_of_assessment_the_track_it_led_to_decides_the_next_records():
    facts = SecurityFacts(
        "I",
        "security",
        T0,
        assessments=[Assessment(T0 + H, "yes"), Assessment(T0 + 3 * H, "unknown")],
        tenants=[AffectedTenant("globex", T0), AffectedTenant("acme", T0 + 2 * H)],
    )
    records = route_security_incident(facts, POLICY, now=T0 + 4 * H).records
    assert [(r.at, r.decision, r.rule) for r in records] == [
        (T0, Decision.ENTER_DPA, "dpa-unknown-involvement"),
        (T0 + H, Decision.STAY_DPA, "dpa-customer-data"),
        (T0 + 2 * H, Decision.ADD_TENANT, "dpa-tenant-added"),
        (T0 + 3 * H, Decision.STAY_DPA, "dpa-unknown-involvement"),
    ]


def test_an_availability_incident_has_one_record_whatever_comes_later():
    facts = SecurityFacts(
        "I",
        "availability",
        T0,
        assessments=[Assessment(T0 + H, "yes")],
        tenants=[AffectedTenant("acme", T0), AffectedTenant("globex", T0 + H)],
    )
    routing = route_security_incident(facts, POLICY, now=T0 + 2 * H)
    assert routing.records == (
        RoutingDecision(
            T0,
            Decision.STANDARD,
            "availability-incident",
            ("acme",),
            f"on awareness: {AVAILABILITY_REASON}",
        ),
    )
    assert routing.tenants == ()


def test_a_tenant_added_on_the_dpa_track_is_recorded_and_keeps_the_clock_from_awareness():
    facts = SecurityFacts(
        "I",
        "security",
        T0,
        tenants=[AffectedTenant("zeta", T0), AffectedTenant("acme", T0 + 5 * H)],
    )
    routing = route_security_incident(facts, POLICY, now=T0 + 6 * H)
    assert routing.records[1] == RoutingDecision(
        T0 + 5 * H,
        Decision.ADD_TENANT,
        "dpa-tenant-added",
        ("acme",),
        "tenant acme added to the scope while on the DPA track; its clock still runs from "
        "awareness",
    )
    assert routing.tenant("acme").deadline == T0 + 48 * H


def test_a_tenant_added_on_the_standard_track_is_no_record_but_joins_later_records():
    facts = SecurityFacts(
        "I",
        "security",
        T0,
        assessments=[Assessment(T0, "no"), Assessment(T0 + 5 * H, "yes")],
        tenants=[
            AffectedTenant("zeta", T0 - H),
            AffectedTenant("beta", T0 + H),
            AffectedTenant("acme", T0 + 2 * H),
        ],
    )
    records = route_security_incident(facts, POLICY, now=T0 + 6 * H).records
    assert [(r.decision, r.tenants) for r in records] == [
        (Decision.STANDARD, ("zeta",)),
        (Decision.ENTER_DPA, ("acme", "beta", "zeta")),
    ]


def test_later_facts_are_taken_in_time_order_whatever_their_kind():
    facts = SecurityFacts(
        "I",
        "security",
        T0,
        assessments=[Assessment(T0 + H, "no"), Assessment(T0 + 3 * H, "yes")],
        tenants=[AffectedTenant("globex", T0), AffectedTenant("acme", T0 + 2 * H)],
    )
    records = route_security_incident(facts, POLICY, now=T0 + 4 * H).records
    assert [(r.at, r.decision, r.tenants) for r in records] == [
        (T0, Decision.ENTER_DPA, ("globex",)),
        (T0 + H, Decision.LEAVE_DPA, ("globex",)),
        (T0 + 3 * H, Decision.ENTER_DPA, ("acme", "globex")),
    ]


def test_at_the_same_instant_a_tenant_joins_before_an_assessment_counts():
    facts = SecurityFacts(
        "I",
        "security",
        T0,
        assessments=[Assessment(T0 + H, "no")],
        tenants=[AffectedTenant("globex", T0), AffectedTenant("acme", T0 + H)],
    )
    records = route_security_incident(facts, POLICY, now=T0 + H).records
    assert [(r.decision, r.tenants) for r in records] == [
        (Decision.ENTER_DPA, ("globex",)),
        (Decision.ADD_TENANT, ("acme",)),
        (Decision.LEAVE_DPA, ("acme", "globex")),
    ]


# --- secrecy: no security details on ordinary notices once on the DPA track ----------------------


def test_before_awareness_nothing_forbids_security_details():
    flags = ordinary_notice_flags(_facts("acme"), POLICY, now=T0 - dt.timedelta(seconds=1))
    assert flags == NoticeFlags(
        True, "availability-incident", "not aware of a security incident yet"
    )


def test_from_the_instant_of_awareness_a_security_incident_carries_no_details():
    flags = ordinary_notice_flags(_facts("acme"), POLICY, now=T0)
    assert flags == NoticeFlags(False, "dpa-no-security-details", NO_DETAILS)


@pytest.mark.parametrize(
    ("kind", "rule"), [("availability", "availability-incident"), ("security", "no-customer-data")]
)
def test_an_incident_never_on_the_dpa_track_may_carry_details(kind, rule):
    facts = _facts("acme", kind=kind, assessments=[Assessment(T0, "no")])
    flags = ordinary_notice_flags(facts, POLICY, now=T0 + H)
    assert flags == NoticeFlags(True, rule, NEVER_DPA)
    assert route_security_incident(facts, POLICY, now=T0 + H).security_details_allowed is True


def test_entering_the_dpa_track_later_forbids_details_and_leaving_it_does_not_allow_them():
    assessments = [
        Assessment(T0, "no"),
        Assessment(T0 + 2 * H, "yes"),
        Assessment(T0 + 4 * H, "no"),
    ]
    facts = _facts("acme", assessments=assessments)
    before = ordinary_notice_flags(facts, POLICY, now=T0 + H)
    assert before == NoticeFlags(True, "no-customer-data", NEVER_DPA)
    for hours in (2, 3, 4, 5):
        now = T0 + hours * H
        flags = ordinary_notice_flags(facts, POLICY, now=now)
        assert flags == NoticeFlags(False, "dpa-no-security-details", NO_DETAILS)
        assert route_security_incident(facts, POLICY, now=now).security_details_allowed is False
    assert route_security_incident(facts, POLICY, now=T0 + H).security_details_allowed is True


# --- the clock: the stricter term, elapsed time, never above 72h --------------------------------


@pytest.mark.parametrize(
    ("contract", "policy_deadline", "term", "rule", "source"),
    [
        (None, 48 * H, 48 * H, "policy-dpa-deadline", POLICY_DEADLINE),
        (None, 72 * H, 72 * H, "policy-dpa-deadline", POLICY_DEADLINE),
        (
            24 * H,
            48 * H,
            24 * H,
            "tenant-dpa-term",
            "its DPA term, the stricter of its contract (24h) and the policy (48h)",
        ),
        (
            48 * H - dt.timedelta(minutes=1),
            48 * H,
            48 * H - dt.timedelta(minutes=1),
            "tenant-dpa-term",
            "its DPA term, the stricter of its contract (2879m) and the policy (48h)",
        ),
        (
            48 * H,
            48 * H,
            48 * H,
            "policy-dpa-deadline",
            "the policy's DPA deadline, the stricter of its contract (48h) and the policy (48h)",
        ),
        (
            72 * H,
            48 * H,
            48 * H,
            "policy-dpa-deadline",
            "the policy's DPA deadline, the stricter of its contract (72h) and the policy (48h)",
        ),
        (
            72 * H,
            72 * H,
            72 * H,
            "policy-dpa-deadline",
            "the policy's DPA deadline, the stricter of its contract (72h) and the policy (72h)",
        ),
    ],
)
def test_the_term_is_the_stricter_of_contract_and_policy(
    contract, policy_deadline, term, rule, source
):
    policy = _policy(
        _tenant("other", "x@other.example", term=12 * H),
        _tenant("acme", "sec@acme.example", term=contract),
        deadline=policy_deadline,
    )
    routing = route_security_incident(_facts("acme"), policy, now=T0)
    (acme,) = routing.tenants
    deadline = T0 + term
    assert (acme.term, acme.rule, acme.contract_term) == (term, rule, contract)
    assert acme.deadline == deadline
    assert acme.reason == _reason("acme", _iso(deadline), _duration(term), source, "pending")


def test_an_unlisted_tenant_gets_the_policy_deadline_and_no_contract_term():
    routing = route_security_incident(_facts("hooli"), POLICY, now=T0)
    (hooli,) = routing.tenants
    assert (hooli.term, hooli.rule, hooli.contract_term) == (48 * H, "policy-dpa-deadline", None)
    assert hooli.recipients == ()


@pytest.mark.parametrize(
    ("notified", "now", "status", "late_by", "late"),
    [
        (None, 48 * H, DueStatus.PENDING, None, None),
        (None, 48 * H + dt.timedelta(seconds=1), DueStatus.MISSED, dt.timedelta(seconds=1), "PT1S"),
        (None, 50 * H, DueStatus.MISSED, 2 * H, "2h"),
        (48 * H, 60 * H, DueStatus.MET, None, None),
        (48 * H + dt.timedelta(minutes=1), 60 * H, DueStatus.LATE, dt.timedelta(minutes=1), "1m"),
        (51 * H, 51 * H, DueStatus.LATE, 3 * H, "3h"),
    ],
)
def test_the_status_at_the_deadline_and_around_it(notified, now, status, late_by, late):
    notices = []
    if notified is not None:
        notices = [DpaNotice("n-1", T0 + notified, "acme", ["sec@acme.example"], ["nature"])]
    facts = _facts("acme", notices=notices)
    (acme,) = route_security_incident(facts, POLICY, now=T0 + now).tenants
    assert acme.status is status
    assert acme.late_by == late_by
    assert acme.notified_at == (None if notified is None else T0 + notified)
    assert acme.reason == _reason(
        "acme", "2026-01-12T09:00:00Z", "48h", POLICY_DEADLINE, status.value, late
    )


def test_the_first_notice_that_reached_a_contact_counts_whatever_the_order():
    notices = [
        DpaNotice("n-late", T0 + 30 * H, "globex", ["ciso@globex.example"], ["measures"]),
        DpaNotice("n-early", T0 + 20 * H, "globex", ["ciso@globex.example"], ["nature"]),
        DpaNotice("n-wrong", T0 + H, "globex", ["status_page"], ["record_count"]),
    ]
    facts = _facts("globex", notices=notices, assessments=[Assessment(T0, "yes")])
    routing = route_security_incident(facts, POLICY, now=T0 + 40 * H)
    (globex,) = routing.tenants
    assert globex.notified_at == T0 + 20 * H
    assert globex.status is DueStatus.MET
    checklist = POLICY.security.checklist
    assert globex.checklist == checklist
    assert globex.missing == tuple(i for i in checklist if i not in ("measures", "nature"))
    assert "record_count" in globex.missing
    assert routing.findings == (
        Finding(
            "recipient-not-a-security-contact",
            "globex",
            "DPA notice n-wrong went to 'status_page', which is not a security contact of "
            "tenant globex",
        ),
    )


def test_a_notice_with_one_contact_among_wrong_recipients_counts_and_is_flagged():
    notices = [
        DpaNotice(
            "n-1",
            T0 + H,
            "acme",
            ["status_page", "dpo@acme.example", "ciso@globex.example"],
            ["nature", "gossip"],
        )
    ]
    routing = route_security_incident(_facts("acme", notices=notices), POLICY, now=T0 + 2 * H)
    (acme,) = routing.tenants
    assert (acme.status, acme.notified_at) == (DueStatus.MET, T0 + H)
    assert "nature" not in acme.missing
    assert routing.findings == (
        Finding(
            "recipient-not-a-security-contact",
            "acme",
            "DPA notice n-1 went to 'status_page', which is not a security contact of tenant acme",
        ),
        Finding(
            "recipient-not-a-security-contact",
            "acme",
            "DPA notice n-1 went to 'ciso@globex.example', which is not a security contact of "
            "tenant acme",
        ),
        Finding(
            "unknown-checklist-item",
            "acme",
            "DPA notice n-1 lists 'gossip', which is not a checklist item",
        ),
    )


# --- isolation: a tenant's routing names its own contacts, nobody else --------------------------


def test_each_tenant_gets_its_own_contacts_deadline_and_notices_only():
    notices = [
        DpaNotice("n-g", T0 + H, "globex", ["ciso@globex.example"], ["nature"]),
        DpaNotice("n-a", T0 + 2 * H, "acme", ["sec@acme.example"], ["measures"]),
    ]
    facts = _facts("initech", "globex", "acme", notices=notices)
    routing = route_security_incident(facts, POLICY, now=T0 + 3 * H)
    assert [e.tenant_id for e in routing.tenants] == ["initech", "globex", "acme"]
    initech, globex, acme = routing.tenants
    assert initech.recipients == ("dpo@initech.example",)
    assert globex.recipients == ("ciso@globex.example",)
    assert acme.recipients == ("sec@acme.example", "dpo@acme.example")
    assert (initech.notified_at, initech.status) == (None, DueStatus.PENDING)
    assert (globex.notified_at, acme.notified_at) == (T0 + H, T0 + 2 * H)
    assert "nature" in acme.missing
    assert "measures" not in acme.missing
    assert "measures" in globex.missing
    assert "nature" not in globex.missing
    assert globex.deadline == T0 + 24 * H
    assert routing.findings == ()
    assert routing.tenant("globex") is globex
    assert routing.tenant("acme") is acme
    assert routing.tenant("hooli") is None


def test_a_notice_naming_two_tenants_never_makes_one_a_recipient_of_the_other():
    routing = route_security_incident(_incident(), CONTACTS, now=T0 + 8 * H)
    acme = routing.tenant("acme")
    assert acme.recipients == ("sec@acme.example", "dpo@acme.example")
    assert acme.reason == _reason("acme", "2026-01-12T11:00:00Z", "48h", POLICY_DEADLINE, "met")
    assert routing.tenant("globex") is None  # no longer in scope: no DPA obligations
    assert {f.tenant for f in routing.findings} == {"acme", "initech", "globex"}
    unaffected = [f for f in routing.findings if f.rule == "notice-to-unaffected-tenant"]
    assert [f.tenant for f in unaffected] == ["globex"]


def test_other_tenants_are_always_a_forbidden_audience():
    policy = _policy(_tenant("acme", "sec@acme.example"), forbidden=[])
    (acme,) = route_security_incident(_facts("acme"), policy, now=T0).tenants
    assert acme.forbidden_audiences == frozenset({"other_tenants"})
    policy = _policy(_tenant("acme", "sec@acme.example"), forbidden=["status_page"])
    (acme,) = route_security_incident(_facts("acme"), policy, now=T0).tenants
    assert acme.forbidden_audiences == frozenset({"status_page", "other_tenants"})


def test_a_tenant_without_contacts_is_a_finding_naming_only_that_tenant():
    facts = _facts("acme", "umbrella")
    routing = route_security_incident(facts, POLICY, now=T0)
    assert routing.findings == (
        Finding(
            "no-security-contacts",
            "umbrella",
            "tenant umbrella has no designated security contacts in the tenant terms; add them: "
            "DPA content goes to nobody else",
        ),
    )
    assert routing.tenant("umbrella").recipients == ()


def test_a_notice_to_an_unaffected_tenant_is_a_finding_even_after_leaving_the_track():
    notices = [DpaNotice("n-9", T0 + H, "hooli", ["sec@hooli.example"])]
    facts = _facts("acme", notices=notices, assessments=[Assessment(T0 + 2 * H, "no")])
    expected = Finding(
        "notice-to-unaffected-tenant",
        "hooli",
        "DPA notice n-9 was addressed to tenant hooli, which is not affected",
    )
    assert route_security_incident(facts, POLICY, now=T0 + H).findings == (expected,)
    left = route_security_incident(facts, POLICY, now=T0 + 3 * H)
    assert left.track is Track.STANDARD
    assert left.findings == (expected,)


def test_a_notice_of_an_incident_never_on_the_dpa_track_is_not_judged():
    notices = [DpaNotice("n-9", T0 + H, "hooli", ["sec@hooli.example"])]
    facts = _facts("acme", notices=notices, kind="availability")
    assert route_security_incident(facts, POLICY, now=T0 + 2 * H).findings == ()


# --- configuration errors: a deadline above 72h --------------------------------------------------


@pytest.mark.parametrize(
    ("deadline", "shown"), [(72 * H + dt.timedelta(minutes=1), "4321m"), (80 * H, "80h")]
)
def test_routing_with_a_policy_deadline_above_72h_names_it(deadline, shown):
    policy = _policy(_tenant("acme", "sec@acme.example"), deadline=deadline)
    with config_problem("$.security.notify_deadline", value=shown, expected=AT_MOST_72H, only=True):
        route_security_incident(_facts("acme"), policy, now=T0)


def test_routing_with_a_contract_term_above_72h_names_the_tenant_entry():
    policy = _policy(
        _tenant("globex", "ciso@globex.example", term=24 * H),
        _tenant("acme", "sec@acme.example", term=73 * H),
    )
    with config_problem("$.tenants[1].dpa_deadline", value="73h", expected=AT_MOST_72H, only=True):
        route_security_incident(_facts("acme"), policy, now=T0)


def test_routing_with_both_above_72h_lists_both():
    policy = _policy(_tenant("acme", "sec@acme.example", term=73 * H), deadline=74 * H)
    with pytest.raises(rp.PolicyConfigError) as caught:
        route_security_incident(_facts("acme"), policy, now=T0)
    assert caught.value.problems == (
        Problem("$.security.notify_deadline", AT_MOST_72H, "74h"),
        Problem("$.tenants[0].dpa_deadline", AT_MOST_72H, "73h"),
    )


def test_a_policy_deadline_of_exactly_72h_loads():
    doc = {
        "schema_version": 1,
        "security": {"notify_deadline": "72h"},
        "tenants": [{"id": "acme", "time_zone": "UTC", "dpa_deadline": "72h"}],
    }
    policy = rp.loads_policy(doc)
    assert list(policy_problems(policy)) == []


@pytest.mark.parametrize(
    ("security", "path", "value", "expected"),
    [
        ({"notify_deadline": "73h"}, "$.security.notify_deadline", "73h", AT_MOST_72H),
        ({"notify_deadline": "4321m"}, "$.security.notify_deadline", "4321m", AT_MOST_72H),
        ({"checklist": []}, "$.security.checklist", [], "at least one Art. 33(3) item"),
        (
            {"forbidden_audiences": ["status_page", "press", "blog"]},
            "$.security.forbidden_audiences",
            ["blog", "press"],
            "audiences among notification_list, other_tenants, status_page",
        ),
    ],
)
def test_a_bad_security_section_names_the_key_value_and_expected(security, path, value, expected):
    with config_problem(path, value=value, expected=expected, only=True):
        rp.loads_policy({"schema_version": 1, "security": security})


def test_a_tenant_term_above_72h_names_the_tenant_entry():
    tenants = [
        {"id": "acme", "time_zone": "UTC"},
        {"id": "globex", "time_zone": "UTC", "dpa_deadline": "24h"},
        {"id": "initech", "time_zone": "UTC", "dpa_deadline": "4321m"},
    ]
    with config_problem(
        "$.tenants[2].dpa_deadline", value="4321m", expected=AT_MOST_72H, only=True
    ):
        rp.loads_policy({"schema_version": 1, "tenants": tenants})


def test_a_tenant_term_looser_than_the_policy_is_recorded_as_written():
    tenants = [{"id": "acme", "time_zone": "UTC", "dpa_deadline": "60h"}]
    policy = rp.loads_policy({"schema_version": 1, "tenants": tenants})
    assert policy.tenant("acme").dpa_deadline == 60 * H


# --- a lifecycle Incident projected onto its security facts -------------------------------------

CONTACTS = _policy(
    _tenant("acme", "sec@acme.example", "dpo@acme.example"),
    _tenant("globex", "ciso@globex.example", "sec@acme.example"),
)


def _incident():
    return replay(
        [
            Detected(id="e1", at=T0, incident_id="INC-7", kind="availability"),
            Triaged(id="e2", at=T0 + H, severity=Severity.SEV_2, tenants={"globex", "acme"}),
            SecurityAssessed(
                id="e3",
                at=T0 + 3 * H,
                kind="security",
                customer_data="unknown",
                aware_at=T0 + 2 * H,
                note="odd logins",
            ),
            ScopeChanged(id="e4", at=T0 + 4 * H, added={"initech"}, removed={"globex"}),
            NotificationSent(
                id="n0", at=T0 + 5 * H, channel="email", kind="update", tenants={"acme"}
            ),
            NotificationSent(
                id="n1",
                at=T0 + 5 * H,
                channel=Channel.EMAIL,
                kind=NoticeKind.DPA_NOTICE,
                audience=Audience.SECURITY_CONTACTS,
                tenants={"globex", "acme"},
                content={"nature", "measures"},
            ),
            NotificationSent(
                id="n2",
                at=T0 + 6 * H,
                channel=Channel.EMAIL,
                kind=NoticeKind.DPA_NOTICE,
                audience=Audience.SECURITY_CONTACTS,
                tenants={"acme"},
            ),
            NotificationSent(
                id="n3",
                at=T0 + 6 * H,
                channel=Channel.STATUS_PAGE,
                kind=NoticeKind.DPA_NOTICE,
                audience=Audience.STATUS_PAGE,
            ),
            SecurityAssessed(
                id="e5", at=T0 + 7 * H, kind="security", customer_data="yes", note="confirmed"
            ),
        ],
        CONTACTS,
    )


def test_an_incident_projects_onto_its_security_facts():
    aware = T0 + 2 * H
    reached = ("sec@acme.example", "dpo@acme.example", "ciso@globex.example")
    expected = SecurityFacts(
        incident_id="INC-7",
        kind="security",
        aware_at=aware,
        assessments=[
            Assessment(aware, "unknown", reason="on detection"),
            Assessment(T0 + 3 * H, "unknown", reason="odd logins"),
            Assessment(T0 + 7 * H, "yes", reason="confirmed"),
        ],
        tenants=[AffectedTenant("acme", T0 + H), AffectedTenant("initech", T0 + 4 * H)],
        notices=[
            DpaNotice("n1/acme", T0 + 5 * H, "acme", reached, ("measures", "nature")),
            DpaNotice("n1/globex", T0 + 5 * H, "globex", reached, ("measures", "nature")),
            DpaNotice("n2", T0 + 6 * H, "acme", ("sec@acme.example", "dpo@acme.example")),
            DpaNotice("n3/acme", T0 + 6 * H, "acme", ("status_page",)),
            DpaNotice("n3/initech", T0 + 6 * H, "initech", ("status_page",)),
        ],
    )
    assert security_facts(_incident(), CONTACTS) == expected


def test_an_incident_routes_and_flags_like_its_facts():
    incident = _incident()
    facts = security_facts(incident, CONTACTS)
    now = T0 + 8 * H
    routing = route_security_incident(incident, CONTACTS, now=now)
    assert routing == route_security_incident(facts, CONTACTS, now=now)
    assert [f.rule for f in routing.findings] == [
        "recipient-not-a-security-contact",
        "recipient-not-a-security-contact",
        "no-security-contacts",
        "recipient-not-a-security-contact",
        "notice-to-unaffected-tenant",
    ]
    flags = ordinary_notice_flags(incident, CONTACTS, now=now)
    assert flags == ordinary_notice_flags(facts, CONTACTS, now=now)
    assert flags == NoticeFlags(False, "dpa-no-security-details", NO_DETAILS)


def test_security_facts_without_a_policy_reach_no_contacts():
    facts = security_facts(_incident())
    assert [n.recipients for n in facts.notices[:3]] == [(), (), ()]
    assert security_facts(facts) is facts
