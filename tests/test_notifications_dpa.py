"""``audit`` shows the DPA deadlines of a security incident, apart from the ordinary notices;
and the report is built the same way however many tenants share a schedule."""

from __future__ import annotations

import datetime as dt
import gc

import attrs
import pytest

from reliability_policy.defaults import default_policy
from reliability_policy.findings import DueStatus
from reliability_policy.levels import Channel, Severity
from reliability_policy.lifecycle import (
    Audience,
    DataInvolvement,
    Detected,
    Event,
    IncidentKind,
    NoticeKind,
    NotificationSent,
    ScopeChanged,
    SecurityAssessed,
    Triaged,
    replay,
)
from reliability_policy.notifications import (
    AuditReport,
    CommunicationFacts,
    SeverityPoint,
    TenantScope,
    audit,
    communication_facts,
    obligations,
)
from reliability_policy.policy import Tenant, TimeZoneName
from reliability_policy.security import TenantRouting, route_security_incident
from reliability_policy.serialization import dumps, loads
from reliability_policy.timing import format_instant

T0 = dt.datetime(2026, 3, 28, 19, 0, tzinfo=dt.UTC)  # the evening before Europe's DST change
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


def _security(*extra: Event, kind: IncidentKind = IncidentKind.SECURITY) -> list[Event]:
    return [
        Detected(id="e1", at=T0 + H, incident_id="INC-9", kind=kind, aware_at=T0),
        Triaged(id="e2", at=T0 + 2 * H, severity=Severity.SEV_2, tenants={"acme"}),
        ScopeChanged(id="e3", at=T0 + 3 * H, added={"globex"}),
        *extra,
    ]


def _dpa_notice(event_id: str, at: dt.datetime, tenant: str) -> NotificationSent:
    return NotificationSent(
        id=event_id,
        at=at,
        channel=Channel.EMAIL,
        kind=NoticeKind.DPA_NOTICE,
        audience=Audience.SECURITY_CONTACTS,
        tenants={tenant},
        content={"nature", "contact_point"},
    )


def test_audit_of_a_dpa_incident_lists_each_tenants_deadline_and_status() -> None:
    incident = replay(_security(_dpa_notice("e4", T0 + 4 * H, "globex")), POLICY)
    now = T0 + 30 * H
    report = audit(incident, POLICY, now=now)
    routing = route_security_incident(incident, POLICY, now=now)
    by_tenant = {entry.tenant_id: entry for entry in report.dpa_deadlines}
    assert sorted(by_tenant) == ["acme", "globex"]
    for entry in routing.tenants:
        shown = by_tenant[entry.tenant_id]
        assert (shown.deadline, shown.status, shown.late_by) == (
            entry.deadline,
            entry.status,
            entry.late_by,
        )
    # globex's own 24 h term beside acme on the policy's 48 h, in elapsed hours across DST.
    assert by_tenant["globex"].deadline == T0 + 24 * H
    assert by_tenant["globex"].rule == "tenant-dpa-term"
    assert by_tenant["globex"].status is DueStatus.MET
    assert by_tenant["acme"].deadline == T0 + 48 * H
    assert by_tenant["acme"].rule == "policy-dpa-deadline"
    assert by_tenant["acme"].status is DueStatus.PENDING
    assert report.summary.splitlines()[-2:] == [
        "DPA track: ordinary notices carry no security details.",
        "DPA deadlines for 2 affected tenant(s): 1 pending, 1 met, 0 late, 0 missed "
        "(the DPA track, apart from the ordinary notices).",
    ]


def test_a_missed_dpa_deadline_says_by_how_much() -> None:
    incident = replay(_security(), POLICY)
    report = audit(incident, POLICY, now=T0 + 50 * H)
    missed = {e.tenant_id: e for e in report.dpa_deadlines if e.status is DueStatus.MISSED}
    assert missed["acme"].late_by == 2 * H
    assert missed["globex"].late_by == 26 * H
    assert missed["acme"].notified_at is None
    assert "nature" in missed["acme"].missing


def test_dpa_lines_name_only_their_own_tenant_and_stay_out_of_ordinary_notices() -> None:
    incident = replay(_security(_dpa_notice("e4", T0 + 4 * H, "globex")), POLICY)
    report = audit(incident, POLICY, now=T0 + 30 * H)
    tenants = {"acme", "globex"}
    for entry in report.dpa_deadlines:
        text = dumps(entry)
        assert all(other not in text for other in tenants - {entry.tenant_id})
    # The ordinary record never counts or mentions a DPA notice.
    ordinary = [o for result in report.tenants for o in result.obligations]
    assert all(o.kind is not NoticeKind.DPA_NOTICE for o in ordinary)
    assert all(o.notice_id != "e4" for o in ordinary)
    assert all(o.no_security_details for o in ordinary)
    assert (
        report.tenants
        == audit(communication_facts(incident, POLICY), POLICY, now=T0 + 30 * H).tenants
    )


def test_the_report_with_dpa_deadlines_round_trips_through_json() -> None:
    incident = replay(_security(_dpa_notice("e4", T0 + 50 * H, "acme")), POLICY)
    report = audit(incident, POLICY, now=T0 + 60 * H)
    assert any(e.status is DueStatus.LATE for e in report.dpa_deadlines)
    assert loads(dumps(report), AuditReport) == report
    assert loads(dumps(report.dpa_deadlines[0]), TenantRouting) == report.dpa_deadlines[0]


@pytest.mark.parametrize(
    "events",
    [
        pytest.param(_security(kind=IncidentKind.AVAILABILITY), id="availability incident"),
        pytest.param(
            _security(
                SecurityAssessed(
                    id="e4",
                    at=T0 + 4 * H,
                    kind=IncidentKind.SECURITY,
                    customer_data=DataInvolvement.NO,
                    note="only metadata",
                )
            ),
            id="assessed as no customer data",
        ),
    ],
)
def test_no_dpa_deadlines_off_the_dpa_track(events: list[Event]) -> None:
    report = audit(replay(events, POLICY), POLICY, now=T0 + 10 * H)
    assert report.dpa_deadlines == ()
    assert "DPA deadlines" not in report.summary


def test_no_dpa_deadlines_from_facts_or_before_awareness() -> None:
    incident = replay(_security(), POLICY)
    facts = communication_facts(incident, POLICY)
    assert facts.dpa_track
    assert audit(facts, POLICY, now=T0 + 10 * H).dpa_deadlines == ()
    assert audit(incident, POLICY, now=T0 - H).dpa_deadlines == ()
    assert audit(incident, POLICY, now=T0 - dt.timedelta(seconds=1)).dpa_deadlines == ()
    at_once = replay(
        [
            Detected(id="e1", at=T0, incident_id="INC-9", kind=IncidentKind.SECURITY, aware_at=T0),
            Triaged(id="e2", at=T0, severity=Severity.SEV_2, tenants={"acme"}),
        ],
        POLICY,
    )
    at_awareness = audit(at_once, POLICY, now=T0).dpa_deadlines
    assert [(e.tenant_id, e.status) for e in at_awareness] == [("acme", DueStatus.PENDING)]


def _broadcast(tenants: int) -> CommunicationFacts:
    ids = tuple(f"t-{n:03d}" for n in range(tenants))
    late = T0 + 2 * H
    return CommunicationFacts(
        incident_id="INC-1",
        severities=(SeverityPoint(T0, Severity.SEV_1),),
        scope_confirmed_at=T0,
        # Two scope groups: most tenants from the start, the last three added an hour later.
        scope=tuple(TenantScope(t, T0 if n < tenants - 3 else T0 + H) for n, t in enumerate(ids)),
        resolved_at=late,
    )


def test_tenants_sharing_a_schedule_get_the_same_obligations_but_their_own() -> None:
    now = T0 + 4 * H
    many = obligations(_broadcast(12), POLICY, now=now)
    for tenant in ("t-000", "t-011"):
        alone = CommunicationFacts(
            incident_id="INC-1",
            severities=(SeverityPoint(T0, Severity.SEV_1),),
            scope_confirmed_at=T0,
            scope=(TenantScope(tenant, T0 if tenant == "t-000" else T0 + H),),
            resolved_at=T0 + 2 * H,
        )
        mine = tuple(o for o in many if o.tenant == tenant)
        assert mine == obligations(alone, POLICY, now=now)
        assert DueStatus.MISSED in {o.status for o in mine}
    report = audit(_broadcast(12), POLICY, now=now)
    assert tuple(o for r in report.tenants for o in r.obligations) == many
    missed = [o for o in many if o.status is DueStatus.MISSED]
    assert [(b.tenant, b.rule) for b in report.breaches] == [(o.tenant, o.rule) for o in missed]
    assert all(
        format_instant(o.due) in b.reason for b, o in zip(report.breaches, missed, strict=True)
    )


@pytest.mark.parametrize("enabled", [True, False])
def test_audit_leaves_the_garbage_collector_as_it_found_it(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        if not enabled:
            gc.disable()
        audit(_broadcast(5), POLICY, now=T0 + 4 * H)
        obligations(_broadcast(5), POLICY, now=T0 + 4 * H)
        assert gc.isenabled() is enabled
    finally:
        if was:
            gc.enable()
