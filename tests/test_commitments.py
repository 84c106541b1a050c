"""Three half-encoded commitments of issue 14: detection sources, containment measures, and a
tenant's DPA term recorded as its contract states it (properties first, then examples)."""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from typing import Any

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from reliability_policy import Severity, loads_policy, testing
from reliability_policy.defaults import default_policy
from reliability_policy.errors import PolicyConfigError, PolicyInputError
from reliability_policy.eventlog import dumps_events, loads_events
from reliability_policy.findings import Finding, FindingLevel
from reliability_policy.lifecycle import (
    Contained,
    ContainmentMeasure,
    ContainmentMeasureKind,
    Detected,
    DetectionShare,
    DetectionSource,
    Incident,
    Triaged,
    containment_findings,
    customer_detected_share,
    replay,
)
from reliability_policy.policy import Policy, Tenant, TimeZoneName
from reliability_policy.security import (
    GDPR_CONTROLLER_DEADLINE,
    AffectedTenant,
    SecurityFacts,
    TenantRouting,
    policy_problems,
    route_security_incident,
)
from reliability_policy.serialization import dumps, loads, structure, unstructure

H = dt.timedelta(hours=1)
T0 = dt.datetime(2026, 3, 8, 6, 0, tzinfo=dt.UTC)
CORE_RULE = "core-degraded-by-containment"
_NOT_AN_INCIDENT: Any = "INC-1"  # what a caller without a type checker might pass


def _any(value: object) -> Any:
    """``value``, as a caller without a type checker might pass it."""
    return value


def _at(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


# --- 1. detection: the source, and the share first detected by customers ----------------------


@st.composite
def incident_sets(draw: st.DrawFn) -> list[Incident]:
    """Incidents with distinct ids and any detection source."""
    ids = draw(st.lists(st.integers(1, 999), unique=True, max_size=12))
    return [
        Incident.open(
            Detected(
                id="e1", at=T0, incident_id=f"INC-{n}", source=draw(testing.detection_sources())
            )
        )
        for n in ids
    ]


@given(incident_sets())
def test_the_share_counts_exactly_the_customer_reported_and_lies_in_0_1(incidents):
    report = customer_detected_share(incidents)
    customer = [i.id for i in incidents if i.detection_source is DetectionSource.CUSTOMER_REPORT]
    unknown = [i.id for i in incidents if i.detection_source is DetectionSource.UNKNOWN]
    assert report.total == len(incidents)
    assert report.customer_reported == tuple(customer)
    assert report.unrecorded == tuple(unknown)
    assert report.count == len(customer)
    assert 0 <= report.share <= 1
    assert report.share == (Fraction(len(customer), len(incidents)) if incidents else 0)
    assert loads(dumps(report), DetectionShare) == report


@given(testing.event_logs())
def test_the_incident_exposes_the_source_of_its_detected_event(log):
    incident = replay(log)
    first = log[0]
    assert isinstance(first, Detected)
    assert incident.detection_source is first.source
    again = replay(loads_events(dumps_events(incident.events)))
    assert again.detection_source is first.source


@given(testing.detection_shares())
def test_detection_shares_round_trip_through_json(report):
    assert loads(dumps(report), DetectionShare) == report
    assert 0 <= report.share <= 1


def test_the_source_accepts_its_string_and_defaults_to_unknown():
    assert Detected(id="e", at=T0, incident_id="I").source is DetectionSource.UNKNOWN
    detected = Detected(id="e", at=T0, incident_id="I", source="Monitoring_Auth_Anomaly")
    assert detected.source is DetectionSource.MONITORING_AUTH_ANOMALY
    with pytest.raises(PolicyInputError, match=r"source: expected one of .*'customer_report'"):
        Detected(id="e", at=T0, incident_id="I", source="pager")


def test_a_log_without_sources_is_written_back_unchanged_and_a_source_is_written():
    line = '{"type": "detected", "id": "e1", "at": "2026-03-08T06:00:00Z", "incident_id": "I"}\n'
    assert dumps_events(loads_events(line)) == line
    recorded = Detected(id="e1", at=T0, incident_id="I", source="customer_report")
    assert json.loads(dumps_events([recorded]))["source"] == "customer_report"


def test_no_incidents_is_a_share_of_zero_and_bad_input_is_our_error():
    empty = customer_detected_share([])
    assert (empty.total, empty.count, empty.share) == (0, 0, Fraction(0))
    incident = Incident.open(Detected(id="e1", at=T0, incident_id="INC-1"))
    with pytest.raises(PolicyInputError, match=r"incidents\[1\]: expected an incident listed"):
        customer_detected_share([incident, incident])
    with pytest.raises(PolicyInputError, match=r"incidents\[0\]"):
        customer_detected_share([_NOT_AN_INCIDENT])
    single: Any = incident
    with pytest.raises(PolicyInputError, match="incidents"):
        customer_detected_share(single)
    with pytest.raises(PolicyInputError, match="total"):
        DetectionShare(1, ["INC-1", "INC-2"])


# --- 2. containment: measures, and a core capability degraded is a finding --------------------


@given(testing.incidents())
def test_exactly_the_core_measures_are_findings(incident):
    contained = [e for e in incident.events if isinstance(e, Contained)]
    measures = [m for e in contained for m in e.measures]
    assert incident.containment_measures == tuple(measures)
    findings = containment_findings(incident)
    core = [(e, m) for e in contained for m in e.measures if m.core]
    assert len(findings) == len(core)
    for finding, (event, measure) in zip(findings, core, strict=True):
        assert (finding.rule, finding.tenant, finding.level) == (
            CORE_RULE,
            None,
            FindingLevel.BREACH,
        )
        assert event.id in finding.reason
        assert all(feature in finding.reason for feature in measure.features)


@given(testing.containment_measures())
def test_measures_round_trip_and_say_what_they_degrade(measure):
    assert loads(dumps(measure), ContainmentMeasure) == measure
    if measure.core or measure.kind is ContainmentMeasureKind.FEATURE_DEGRADATION:
        assert measure.features


@given(testing.events())
def test_every_event_round_trips_through_the_log(event):
    assert loads_events(dumps_events([event])) == (event,)


def _contained_incident(*measures: ContainmentMeasure) -> Incident:
    return replay(
        [
            Detected(id="e1", at=_at(0), incident_id="INC-9", source="monitoring_error_rate"),
            Triaged(id="e2", at=_at(10), severity=Severity.SEV_2, tenants={"acme"}),
            Contained(id="e3", at=_at(40), measures=measures),
        ]
    )


def test_a_core_degradation_is_a_finding_and_shedding_is_not():
    incident = _contained_incident(
        ContainmentMeasure("traffic_shedding", ["bulk-export"]),
        ContainmentMeasure("feature_degradation", ["search"]),
        ContainmentMeasure("feature_degradation", ["sign-in", "sso"], core=True),
    )
    assert containment_findings(incident) == (
        Finding(
            CORE_RULE,
            None,
            "containment e3 (2026-03-08T06:40:00Z) degraded the core capability sign-in, sso "
            "by feature_degradation; containment must preserve core functionality",
        ),
    )
    assert containment_findings(_contained_incident()) == ()
    with pytest.raises(PolicyInputError, match="incident"):
        containment_findings(_NOT_AN_INCIDENT)


@pytest.mark.parametrize(
    ("build", "fragment"),
    [
        (lambda: ContainmentMeasure("feature_degradation"), "features: expected a 'features'"),
        (lambda: ContainmentMeasure("other", core=True), "naming the core capability"),
        (lambda: ContainmentMeasure("throttle"), "kind: expected one of"),
        (lambda: ContainmentMeasure("other", "sign-in"), "features: expected a list"),
        (lambda: ContainmentMeasure("other", [""]), r"features\[0\]"),
        (lambda: ContainmentMeasure("other", ["x"], core=_any("yes")), "core: expected true"),
        (lambda: Contained(id="c", at=T0, measures=_any("shed")), "measures: expected a list"),
        (lambda: Contained(id="c", at=T0, measures=[_any({"kind": "x"})]), r"measures\[0\]"),
    ],
)
def test_bad_measures_are_refused_with_the_field(build, fragment):
    with pytest.raises(PolicyInputError, match=fragment):
        build()


def test_measures_in_the_log_leave_out_their_defaults():
    event = Contained(
        id="c",
        at=T0,
        measures=[
            ContainmentMeasure("traffic_shedding"),
            ContainmentMeasure("feature_degradation", ["sign-in"], core=True),
        ],
    )
    written = json.loads(dumps_events([event]))
    assert written["measures"] == [
        {"kind": "traffic_shedding"},
        {"kind": "feature_degradation", "features": ["sign-in"], "core": True},
    ]
    assert "measures" not in json.loads(dumps_events([Contained(id="c", at=T0)]))
    bad = '{"type": "contained", "id": "c", "at": "2026-03-08T06:00:00Z", "measures": [{}]}\n'
    with pytest.raises(PolicyInputError, match=r"measures\[0\]\.kind"):
        loads_events(bad)


def test_the_timeline_shows_the_source_the_measures_and_the_finding(tmp_path):
    from reliability_policy.cli import main

    incident = _contained_incident(
        ContainmentMeasure("traffic_shedding", ["bulk-export"]),
        ContainmentMeasure("feature_degradation", ["sign-in"], core=True),
    )
    log = tmp_path / "contained.jsonl"
    log.write_text(dumps_events(incident.events), encoding="utf-8")
    runner = CliRunner(env={"COLUMNS": "100"})
    table = runner.invoke(main, ["timeline", str(log)], catch_exceptions=False)
    assert table.exit_code == 0
    assert "Detection source: monitoring_error_rate" in table.output
    assert "Containment measures" in table.output
    assert "bulk-export" in table.output
    assert f"finding [{CORE_RULE}]" in table.output
    result = runner.invoke(main, ["timeline", str(log), "--format", "json"])
    data = json.loads(result.output)
    assert data["detection_source"] == "monitoring_error_rate"
    assert data["containment_measures"][1] == {
        "at": "2026-03-08T06:40:00Z",
        "event": "e3",
        "kind": "feature_degradation",
        "features": ["sign-in"],
        "core": True,
    }
    assert [f["rule"] for f in data["findings"]] == [CORE_RULE]


# --- 3. a tenant's DPA term as its contract states it; the stricter applies -------------------


@st.composite
def policies_and_facts(draw: st.DrawFn) -> tuple[Policy, SecurityFacts, dt.datetime]:
    """A valid policy whose tenants have contract terms (stricter, equal or looser than the
    policy's, up to 72 h) or none, and a security incident on the DPA track affecting them."""
    policy = draw(testing.policies())
    standard = policy.security.notify_deadline
    term = st.sampled_from([standard, GDPR_CONTROLLER_DEADLINE]) | testing.durations(60, 72 * 60)
    tenants = draw(
        st.lists(
            st.builds(attrs.evolve, testing.tenants(policy=policy), dpa_deadline=st.none() | term),
            min_size=1,
            max_size=4,
            unique_by=lambda t: t.id,
        )
    )
    policy = attrs.evolve(policy, tenants=tuple(tenants))
    aware = draw(testing.aware_datetimes())
    ids = [t.id for t in tenants] + draw(st.lists(testing.tenant_ids(), max_size=1))
    affected = [AffectedTenant(i, aware) for i in dict.fromkeys(ids)]
    facts = SecurityFacts("INC-1", "security", aware, tenants=affected)
    now = aware + dt.timedelta(minutes=draw(st.integers(0, 100 * 60)))
    return policy, facts, now


@given(policies_and_facts())
def test_the_applied_term_is_the_stricter_of_contract_and_policy_and_at_most_72h(case):
    policy, facts, now = case
    assert list(policy_problems(policy)) == []
    standard = policy.security.notify_deadline
    for entry in route_security_incident(facts, policy, now=now).tenants:
        own = policy.tenant(entry.tenant_id)
        contract = None if own is None else own.dpa_deadline
        assert entry.contract_term == contract
        assert entry.term == (standard if contract is None else min(contract, standard))
        assert entry.term <= GDPR_CONTROLLER_DEADLINE
        assert entry.term == policy.for_tenant(entry.tenant_id).dpa_deadline
        assert entry.deadline == facts.aware_at + entry.term
        stricter = contract is not None and contract < standard
        assert entry.rule == ("tenant-dpa-term" if stricter else "policy-dpa-deadline")
        if contract is not None:
            assert "the stricter of its contract" in entry.reason
        assert loads(dumps(entry), TenantRouting) == entry


def _routing_for(term: str, policy_deadline: str = "48h") -> TenantRouting:
    policy = loads_policy(
        f'schema_version = 1\n[security]\nnotify_deadline = "{policy_deadline}"\n'
        f'[[tenants]]\nid = "acme"\ntime_zone = "UTC"\ndpa_deadline = "{term}"\n'
    )
    facts = SecurityFacts("INC-1", "security", T0, tenants=[AffectedTenant("acme", T0)])
    entry = route_security_incident(facts, policy, now=T0).tenant("acme")
    assert entry is not None
    return entry


def test_a_72h_contract_is_recorded_and_the_policys_48h_applies():
    entry = _routing_for("72h")
    assert (entry.term, entry.contract_term, entry.rule) == (48 * H, 72 * H, "policy-dpa-deadline")
    assert entry.reason == (
        "tell acme by 2026-03-10T06:00:00Z: 48h after awareness (the policy's DPA deadline, "
        "the stricter of its contract (72h) and the policy (48h)); pending"
    )


def test_a_stricter_contract_applies_and_says_so():
    entry = _routing_for("24h")
    assert (entry.term, entry.contract_term, entry.rule) == (24 * H, 24 * H, "tenant-dpa-term")
    assert "(its DPA term, the stricter of its contract (24h) and the policy (48h))" in entry.reason
    # Equal terms: the contract is no stricter, so the policy's deadline is the one named.
    assert _routing_for("24h", "24h").rule == "policy-dpa-deadline"
    # A policy stricter than the contract: 48 h written, 24 h applies.
    looser = _routing_for("48h", "24h")
    assert (looser.term, looser.contract_term) == (24 * H, 48 * H)


def test_a_term_above_72h_is_a_configuration_error_naming_path_and_value():
    with pytest.raises(PolicyConfigError) as caught:
        loads_policy(
            'schema_version = 1\n[[tenants]]\nid = "a"\ntime_zone = "UTC"\ndpa_deadline = "73h"\n'
        )
    assert [str(p) for p in caught.value.problems] == [
        "$.tenants[0].dpa_deadline: expected at most 72h (the controller's own GDPR Art. 33(1) "
        "deadline), got '73h'"
    ]
    # A policy built without the loader's checks: the routing refuses it too.
    base = default_policy()
    bad = attrs.evolve(
        base,
        tenants=(
            Tenant("other", TimeZoneName("UTC")),
            Tenant("a", TimeZoneName("UTC"), dpa_deadline=96 * H),
        ),
    )
    facts = SecurityFacts("INC-1", "security", T0, tenants=[AffectedTenant("a", T0)])
    with pytest.raises(PolicyConfigError) as routed:
        route_security_incident(facts, bad, now=T0)
    assert [p.path for p in routed.value.problems] == ["$.tenants[1].dpa_deadline"]
    loose_policy = attrs.evolve(base, security=attrs.evolve(base.security, notify_deadline=96 * H))
    with pytest.raises(PolicyConfigError) as routed:
        route_security_incident(facts, loose_policy, now=T0)
    assert [p.path for p in routed.value.problems] == ["$.security.notify_deadline"]


def test_a_routing_document_without_contract_term_still_reads():
    entry = _routing_for("24h")
    data = unstructure(entry)
    assert data["contract_term"] == "24h"
    del data["contract_term"]
    assert structure(data, TenantRouting).contract_term is None
