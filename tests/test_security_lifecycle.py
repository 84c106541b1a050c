"""The DPA routing reads a lifecycle Incident through security_facts."""

from __future__ import annotations

import datetime as dt

import attrs

from reliability_policy.defaults import default_policy
from reliability_policy.findings import DueStatus
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
    Decision,
    Track,
    route_security_incident,
    security_facts,
)

T0 = dt.datetime(2026, 3, 28, 19, 0, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)
POLICY = attrs.evolve(
    default_policy(),
    tenants=(
        Tenant("acme", TimeZoneName("Europe/Berlin"), security_contacts=("sec@acme.example",)),
        Tenant(
            "globex",
            TimeZoneName("UTC"),
            dpa_deadline=24 * H,
            security_contacts=("ciso@globex.example",),
        ),
    ),
)


def _events(*extra):
    return [
        Detected(
            id="e1",
            at=T0 + H,
            incident_id="INC-9",
            kind=IncidentKind.SECURITY,
            aware_at=T0,
        ),
        Triaged(id="e2", at=T0 + 2 * H, severity=Severity.SEV_2, tenants={"acme"}),
        *extra,
    ]


def test_an_incident_routes_like_its_facts():
    incident = replay(
        _events(
            ScopeChanged(id="e3", at=T0 + 3 * H, added={"globex"}),
            NotificationSent(
                id="e4",
                at=T0 + 4 * H,
                channel=Channel.EMAIL,
                kind=NoticeKind.DPA_NOTICE,
                audience=Audience.SECURITY_CONTACTS,
                tenants={"globex"},
                content={"nature", "contact_point"},
            ),
        ),
        POLICY,
    )
    facts = security_facts(incident, POLICY)
    assert facts.aware_at == T0
    assert [(t.tenant_id, t.added_at) for t in facts.tenants] == [
        ("acme", T0 + 2 * H),
        ("globex", T0 + 3 * H),
    ]
    routing = route_security_incident(incident, POLICY, now=T0 + 5 * H)
    assert routing == route_security_incident(facts, POLICY, now=T0 + 5 * H)
    assert routing.track is Track.DPA
    globex = routing.tenant("globex")
    assert globex is not None
    assert globex.status is DueStatus.MET
    assert globex.deadline == T0 + 24 * H
    assert globex.recipients == ("ciso@globex.example",)
    assert routing.findings == ()


def test_a_dpa_notice_to_the_status_page_or_two_tenants_is_flagged():
    incident = replay(
        _events(
            ScopeChanged(id="e3", at=T0 + 3 * H, added={"globex"}),
            NotificationSent(
                id="e4",
                at=T0 + 4 * H,
                channel=Channel.STATUS_PAGE,
                kind=NoticeKind.DPA_NOTICE,
                audience=Audience.STATUS_PAGE,
            ),
            NotificationSent(
                id="e5",
                at=T0 + 4 * H,
                channel=Channel.EMAIL,
                kind=NoticeKind.DPA_NOTICE,
                audience=Audience.SECURITY_CONTACTS,
                tenants={"acme", "globex"},
            ),
        ),
        POLICY,
    )
    routing = route_security_incident(incident, POLICY, now=T0 + 5 * H)
    messages = [f.reason for f in routing.findings]
    assert any("'status_page'" in m for m in messages)
    assert any("'ciso@globex.example'" in m and "tenant acme" in m for m in messages)
    assert any("'sec@acme.example'" in m and "tenant globex" in m for m in messages)


def test_an_assessment_event_of_no_leaves_the_track():
    incident = replay(
        _events(
            SecurityAssessed(
                id="e3",
                at=T0 + 6 * H,
                kind=IncidentKind.SECURITY,
                customer_data=DataInvolvement.NO,
                note="only metadata",
            )
        ),
        POLICY,
    )
    routing = route_security_incident(incident, POLICY, now=T0 + 7 * H)
    assert routing.track is Track.STANDARD
    decisions = [r.decision for r in routing.records]
    assert decisions == [Decision.ENTER_DPA, Decision.ADD_TENANT, Decision.LEAVE_DPA]
    assert not routing.security_details_allowed
