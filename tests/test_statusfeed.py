"""The public status feed: what appears, the mapping, tenant names and DPA secrecy."""

from __future__ import annotations

import datetime as dt
import pathlib
import re
import sys

import attrs
import pytest

import reliability_policy as rp
from reliability_policy import statusfeed
from reliability_policy.eventlog import load_events
from reliability_policy.findings import FindingLevel
from reliability_policy.lifecycle import (
    Closed,
    Contained,
    Declined,
    Detected,
    Eradicated,
    NotificationSent,
    Phase,
    Recovered,
    Regression,
    Resolved,
    ReviewCompleted,
    ReviewStarted,
    SecurityAssessed,
    SeverityChanged,
    Triaged,
    Validated,
    replay,
)
from reliability_policy.maintenance import MaintenancePlan, RollingPlan, WavePlan
from reliability_policy.security import NoticeFlags
from reliability_policy.statusfeed import (
    RULE_DPA_WITHHELD,
    RULE_TENANT_NAMED,
    RULE_UNKNOWN_COMPONENT,
    ComponentStatus,
    Endpoint,
    IncidentStatus,
    Indicator,
    MaintenanceStatus,
    atom_feed,
    policy_problems,
    status_summary,
    statuspage_json,
)

ROOT = pathlib.Path(__file__).parent.parent
SEV1 = ROOT / "examples" / "sev1-platform-outage.jsonl"
SECURITY = ROOT / "examples" / "security-incident.jsonl"
T0 = dt.datetime(2026, 3, 8, 6, 0, tzinfo=dt.UTC)
M = dt.timedelta(minutes=1)
H = dt.timedelta(hours=1)
CORE = ("Sign-in", "Web application", "API")
SECURITY_MATTER = "We are investigating a security matter."


def at(minutes: float) -> dt.datetime:
    return T0 + minutes * M


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def public(event_id: str, minutes: float, text: str = "", **fields) -> NotificationSent:
    return NotificationSent(
        id=event_id,
        at=at(minutes),
        channel="status_page",
        kind="update",
        audience="status_page",
        text=text,
        **fields,
    )


def opened(severity: str = "SEV-1", title: str = "Sign-in errors", **detected) -> list:
    return [
        Detected(id="e1", at=at(0), incident_id="INC-1", title=title, **detected),
        Triaged(id="e2", at=at(10), severity=severity, tenants={"acme", "globex"}),
    ]


def statuses(summary: rp.StatusSummary) -> dict[str, str]:
    return {c.name: c.status.value for c in summary.components}


# --- the SEV-1 example across its life ----------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "status", "indicator", "core"),
    [
        ("2026-03-08T06:05:00Z", None, "none", "operational"),  # before detection
        ("2026-03-08T06:12:00Z", None, "none", "operational"),  # detected, not triaged yet
        ("2026-03-08T06:18:00Z", "investigating", "critical", "major_outage"),
        ("2026-03-08T07:50:00Z", "identified", "critical", "major_outage"),
        ("2026-03-08T08:40:00Z", "monitoring", "none", "operational"),
        ("2026-03-08T09:00:00Z", "resolved", "none", "operational"),
        ("2026-03-25T12:00:00Z", "resolved", "none", "operational"),
    ],
)
def test_the_sev1_example_through_its_phases(now, status, indicator, core):
    summary = status_summary([replay(load_events(SEV1))], now=utc(now))
    assert [i.status.value for i in summary.incidents] == ([status] if status else [])
    assert summary.indicator.value == indicator
    assert {statuses(summary)[name] for name in CORE} == {core}
    assert statuses(summary)["Notifications"] == "operational"


def test_the_sev1_example_at_the_end_tells_the_whole_story():
    summary = status_summary([replay(load_events(SEV1))], now=utc("2026-03-12T16:05:00Z"))
    (incident,) = summary.incidents
    assert incident.incident_id == "INC-3001"
    assert incident.name == "Sign-in and data API down across the platform"
    assert incident.impact is Indicator.CRITICAL
    assert [(u.status.value, u.at) for u in incident.updates] == [
        ("investigating", utc("2026-03-08T06:10:00Z")),
        ("identified", utc("2026-03-08T07:30:00Z")),
        ("monitoring", utc("2026-03-08T08:35:00Z")),
        ("resolved", utc("2026-03-08T09:00:00Z")),
    ]
    assert incident.monitoring_at == utc("2026-03-08T08:35:00Z")
    assert incident.resolved_at == utc("2026-03-08T09:00:00Z")
    assert incident.started_at == utc("2026-03-08T06:10:00Z")
    assert incident.updated_at == incident.resolved_at
    assert summary.updated_at == incident.resolved_at
    sign_in = summary.component("sign-in")
    assert sign_in is not None
    assert sign_in.since == utc("2026-03-08T08:35:00Z")  # back to operational at recovery
    assert summary.component("Notifications").since is None
    assert summary.component("Billing") is None
    assert summary.description == "All Systems Operational"
    assert summary.findings == ()


def test_public_ids_are_opaque_digests():
    summary = status_summary([replay(load_events(SEV1))], now=utc("2026-03-08T07:50:00Z"))
    ids = [summary.page_id, *(c.id for c in summary.components)]
    ids += [i.id for i in summary.incidents] + [u.id for u in summary.incidents[0].updates]
    assert all(re.fullmatch(r"[0-9a-f]{12}", i) for i in ids)
    assert len(set(ids)) == len(ids)
    assert "INC-3001" not in repr(statuspage_json(summary, "incidents"))


# --- the mapping --------------------------------------------------------------------------------


def test_every_phase_has_a_public_status():
    assert set(statusfeed.PUBLIC_STATUS) == set(Phase)
    assert statusfeed.PUBLIC_STATUS[Phase.CONTAINED] is IncidentStatus.IDENTIFIED
    assert statusfeed.PUBLIC_STATUS[Phase.IN_REVIEW] is IncidentStatus.RESOLVED
    assert set(statusfeed.IMPACT) == set(statusfeed.COMPONENT_STATUS) == set(rp.Severity)


@pytest.mark.parametrize(
    ("severity", "impact", "component", "description"),
    [
        ("SEV-1", "critical", "major_outage", "Major System Outage"),
        ("SEV-2", "major", "partial_outage", "Partial System Outage"),
        ("SEV-3", "minor", "degraded_performance", "Minor Service Outage"),
    ],
)
def test_severity_sets_impact_and_component_status(severity, impact, component, description):
    log = [*opened(severity), public("p1", 12, "Looking into it.")]
    summary = status_summary([replay(log)], now=at(20))
    assert summary.incidents[0].impact.value == impact
    assert {statuses(summary)[name] for name in CORE} == {component}
    assert summary.description == description


def test_components_follow_the_current_severity_and_impact_the_highest():
    log = [*opened("SEV-1"), SeverityChanged(id="e3", at=at(30), severity="SEV-3", reason="r")]
    summary = status_summary([replay(log)], now=at(40))
    assert summary.incidents[0].impact is Indicator.CRITICAL
    assert statuses(summary)["API"] == "degraded_performance"
    assert summary.indicator is Indicator.CRITICAL


def test_a_phase_change_to_the_same_public_status_writes_no_update():
    log = [
        *opened(),
        Contained(id="e3", at=at(20)),
        Eradicated(id="e4", at=at(30)),
    ]
    updates = status_summary([replay(log)], now=at(40)).incidents[0].updates
    assert [u.status.value for u in updates] == ["investigating", "identified"]
    assert updates[1].body == rp.default_policy().status_page.wording.identified


def test_a_regression_reopens_the_public_incident():
    log = [
        *opened(),
        Recovered(id="e3", at=at(20)),
        Validated(id="e4", at=at(25)),
        Resolved(id="e5", at=at(30)),
        Regression(id="e6", at=at(60), reason="it came back"),
    ]
    incident = status_summary([replay(log)], now=at(70)).incidents[0]
    assert incident.status is IncidentStatus.INVESTIGATING
    assert incident.resolved_at is None
    assert incident.monitoring_at == at(20)
    assert [u.status.value for u in incident.updates][-2:] == ["resolved", "investigating"]


def test_a_declined_incident_with_a_public_update_is_resolved():
    log = [
        Detected(id="e1", at=at(0), incident_id="INC-1"),
        public("p1", 5, "We are looking at reports of slow pages."),
        Declined(id="e2", at=at(15), reason="a false alarm"),
    ]
    summary = status_summary([replay(log)], now=at(20))
    (incident,) = summary.incidents
    assert incident.status is IncidentStatus.RESOLVED
    assert incident.resolved_at == at(15)
    assert incident.name == rp.default_policy().status_page.incident_name  # no title
    assert incident.impact is Indicator.NONE
    assert statuses(summary)["API"] == "operational"


def test_before_triage_a_public_update_marks_its_components_degraded():
    log = [Detected(id="e1", at=at(0), incident_id="INC-1"), public("p1", 5, "Looking.")]
    summary = status_summary([replay(log)], now=at(10))
    assert {statuses(summary)[name] for name in CORE} == {"degraded_performance"}
    assert summary.indicator is Indicator.MINOR


# --- what appears -----------------------------------------------------------------------------


def test_an_incident_below_the_shown_severities_appears_only_with_a_public_update():
    quiet = replay(opened("SEV-3"))
    assert status_summary([quiet], now=at(20)).incidents == ()
    spoken = replay([*opened("SEV-3"), public("p1", 15)])
    assert len(status_summary([spoken], now=at(20)).incidents) == 1


def test_the_policy_decides_which_severities_appear():
    policy = rp.loads_policy('schema_version = 1\n[status_page]\nseverities = ["SEV-1"]')
    assert status_summary([replay(opened("SEV-2"))], policy=policy, now=at(20)).incidents == ()
    assert len(status_summary([replay(opened("SEV-1"))], policy=policy, now=at(20)).incidents) == 1


def test_what_happens_after_now_is_not_known_yet():
    later = replay([*opened(), public("p1", 30, "Later news.")])
    summary = status_summary([later], now=at(20))
    assert [u.body for u in summary.incidents[0].updates] == ["We are investigating this issue."]
    assert status_summary([later], now=at(-1)).incidents == ()


def test_public_updates_carry_their_text_and_the_status_of_their_time():
    log = [
        *opened(),
        public("p1", 12, "Sign-in fails for some customers."),
        Contained(id="e3", at=at(20)),
        public("p2", 20, "Traffic is shed; a fix is on its way."),
        public("p3", 25),  # no text: no update of its own
    ]
    updates = status_summary([replay(log)], now=at(30)).incidents[0].updates
    assert [(u.status.value, u.body) for u in updates] == [
        ("investigating", "We are investigating this issue."),
        ("investigating", "Sign-in fails for some customers."),
        ("identified", "The issue has been identified and a fix is being implemented."),
        ("identified", "Traffic is shed; a fix is on its way."),
    ]


def test_updates_name_the_components_they_concern():
    log = [
        *opened("SEV-2"),
        public("p1", 12, "Exports fail.", components={"reports and exports"}),
        public("p2", 14, components={"API", "Billing"}),
    ]
    summary = status_summary([replay(log)], now=at(20))
    assert statuses(summary) == {
        "Sign-in": "operational",
        "Web application": "operational",
        "API": "partial_outage",
        "Notifications": "operational",
        "Reports and exports": "partial_outage",
    }
    names = {c.id: c.name for c in summary.components}
    assert [names[c] for c in summary.incidents[0].components] == ["API", "Reports and exports"]
    (finding,) = summary.findings
    assert finding.rule == RULE_UNKNOWN_COMPONENT
    assert finding.level is FindingLevel.WARNING
    assert "'Billing'" in finding.reason


# --- never a tenant's name ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["Acme's exports fail", "exports fail for ACME", "(acme)", "acme-eu and globex", "t acme_"],
)
def test_a_text_naming_a_tenant_as_a_word_is_left_out(text):
    if text == "t acme_":  # "acme_" is another word: nothing named
        log = [*opened(), public("p1", 12, text)]
        assert status_summary([replay(log)], now=at(20)).findings == ()
        return
    log = [*opened(), public("p1", 12, text)]
    summary = status_summary([replay(log)], now=at(20))
    bodies = [u.body for u in summary.incidents[0].updates]
    assert text not in bodies
    (finding,) = summary.findings
    assert finding.rule == RULE_TENANT_NAMED
    assert finding.level is FindingLevel.BREACH
    assert finding.tenant in {"acme", "globex"}
    assert "p1" in finding.reason


def test_a_tenant_inside_another_word_is_not_named():
    log = [*opened(), public("p1", 12, "Acmeville and preglobex users see errors")]
    summary = status_summary([replay(log)], now=at(20))
    assert summary.findings == ()
    assert summary.incidents[0].updates[-1].body == "Acmeville and preglobex users see errors"


def test_a_title_naming_a_tenant_shows_the_policys_incident_name():
    summary = status_summary([replay(opened(title="Globex cannot sign in"))], now=at(20))
    assert summary.incidents[0].name == "Service disruption"
    assert [(f.rule, f.tenant) for f in summary.findings] == [(RULE_TENANT_NAMED, "globex")]


def test_every_tenant_the_library_knows_is_checked():
    # initech: only a policy tenant; hooli: only on the notification list; wayne: only in a
    # plan; soylent: only an addressee of another incident's notice.
    policy = rp.loads_policy(
        'schema_version = 1\n[notifications]\nnotification_list = ["hooli"]\n'
        '[[tenants]]\nid = "initech"\ntime_zone = "UTC"\n'
    )
    other = replay(
        [
            Detected(id="x1", at=at(0), incident_id="INC-2"),
            NotificationSent(
                id="x2", at=at(1), channel="email", kind="update", tenants={"soylent"}
            ),
        ]
    )
    plan = RollingPlan("CHG-1", ("wayne",), at(0), "no-downtime", "rolling")
    for name in ("initech", "hooli", "wayne", "soylent"):
        log = [*opened(), public("p1", 12, f"trouble at {name}")]
        summary = status_summary([replay(log), other], [plan], policy, now=at(20))
        assert [f.tenant for f in summary.findings] == [name]


def test_an_empty_tenant_id_names_nothing():
    base = rp.default_policy()
    lists = attrs.evolve(base.notifications, notification_list=frozenset({""}))
    policy = attrs.evolve(base, notifications=lists)
    log = [*opened(), public("p1", 12, "All good (mostly).")]
    summary = status_summary([replay(log)], policy=policy, now=at(20))
    assert summary.findings == ()
    assert summary.incidents[0].updates[-1].body == "All good (mostly)."


# --- the DPA track: the policy's wording only -------------------------------------------------


def _security_log(**detected) -> list:
    return [
        *opened("SEV-1", title="Bulk export of acme records", kind="security", **detected),
        public("p1", 12, "Records of some customers were read.", components={"API"}),
        Contained(id="e3", at=at(20), note="export token revoked"),
    ]


def test_a_dpa_track_incident_shows_only_the_wording():
    summary = status_summary([replay(_security_log())], now=at(30))
    (incident,) = summary.incidents
    assert incident.security_matter
    assert incident.name == SECURITY_MATTER
    assert [(u.status.value, u.body) for u in incident.updates] == [
        ("investigating", SECURITY_MATTER)
    ]
    assert incident.components == ()
    assert incident.impact is Indicator.NONE
    assert set(statuses(summary).values()) == {"operational"}
    assert summary.indicator is Indicator.NONE
    assert [f.rule for f in summary.findings] == [RULE_DPA_WITHHELD]
    assert summary.findings[0].level is FindingLevel.WARNING
    text = repr(statuspage_json(summary, "incidents")) + atom_feed(summary)
    for detail in ("acme", "Bulk export", "Records", "token"):
        assert detail not in text


def test_a_resolved_dpa_track_incident_says_only_resolved():
    log = [
        *_security_log(),
        Recovered(id="e4", at=at(40)),
        Validated(id="e5", at=at(45)),
        Resolved(id="e6", at=at(50)),
    ]
    incident = status_summary([replay(log)], now=at(60)).incidents[0]
    assert [(u.status.value, u.body) for u in incident.updates] == [
        ("investigating", SECURITY_MATTER),
        ("resolved", "This incident has been resolved."),
    ]
    assert incident.monitoring_at is None
    assert incident.resolved_at == at(50)


def test_once_on_the_dpa_track_always_shown_as_the_wording():
    log = [
        *_security_log(),
        SecurityAssessed(id="e4", at=at(40), kind="security", customer_data="no", note="logs"),
    ]
    summary = status_summary([replay(log)], now=at(50))
    assert summary.incidents[0].security_matter


def test_the_dpa_decision_is_asked_of_security(monkeypatch):
    asked = []

    def flags(incident, policy=None, *, now):
        asked.append((incident.id, now))
        return NoticeFlags(False, "dpa-no-security-details", "asked")

    monkeypatch.setattr(statusfeed, "ordinary_notice_flags", flags)
    summary = status_summary([replay(opened())], now=at(20))
    assert asked == [("INC-1", at(20))]
    assert summary.incidents[0].name == SECURITY_MATTER


def test_an_availability_incident_before_awareness_of_security_is_shown():
    log = [*opened(), public("p1", 12, "Slow pages.")]
    log.append(SecurityAssessed(id="e9", at=at(30), kind="security", customer_data="unknown"))
    assert not status_summary([replay(log)], now=at(20)).incidents[0].security_matter
    assert status_summary([replay(log)], now=at(30)).incidents[0].security_matter


def test_the_security_example_on_the_dpa_track():
    incident = replay(load_events(SECURITY))
    assert status_summary([incident], now=utc("2026-05-05T10:00:00Z")).incidents == ()  # SEV-3
    policy = rp.loads_policy('schema_version = 1\n[status_page]\nseverities = ["SEV-3"]')
    summary = status_summary([incident], policy=policy, now=utc("2026-05-05T10:00:00Z"))
    assert [i.name for i in summary.incidents] == [SECURITY_MATTER]


# --- maintenance ------------------------------------------------------------------------------

START = dt.datetime(2026, 3, 15, 6, 0, tzinfo=dt.UTC)
WINDOW = MaintenancePlan(
    "CHG-7",
    ("acme",),
    START - 20 * 24 * H,
    "maintenance-window",
    "a slot",
    start=START,
    end=START + 2 * H,
    notice_deadline=START - 7 * 24 * H,
    reminder_at=START - 24 * H,
)


@pytest.mark.parametrize(
    ("now", "shown", "status", "core"),
    [
        (START - 169 * H, False, None, "operational"),
        (START - 168 * H, True, "scheduled", "operational"),
        (START, True, "in_progress", "under_maintenance"),
        (START + 2 * H, True, "completed", "operational"),
    ],
)
def test_a_maintenance_window_on_the_page(now, shown, status, core):
    summary = status_summary([], [WINDOW], now=now)
    assert [m.status.value for m in summary.maintenances] == ([status] if shown else [])
    assert {statuses(summary)[name] for name in CORE} == {core}
    assert statuses(summary)["Notifications"] == "operational"
    if status == "in_progress":
        assert summary.description == "Service Under Maintenance"
        assert summary.indicator is Indicator.NONE


def test_a_maintenance_tells_its_story_in_updates():
    (maintenance,) = status_summary([], [WINDOW], now=START + 3 * H).maintenances
    wording = rp.default_policy().status_page.wording
    assert [(u.status, u.at, u.body) for u in maintenance.updates] == [
        (MaintenanceStatus.SCHEDULED, START - 168 * H, wording.scheduled),
        (MaintenanceStatus.IN_PROGRESS, START, wording.in_progress),
        (MaintenanceStatus.COMPLETED, START + 2 * H, wording.completed),
    ]
    assert maintenance.change_id == "CHG-7"
    assert maintenance.name == "Scheduled maintenance"


def test_an_incident_outranks_a_maintenance():
    log = [
        Detected(id="e1", at=START, incident_id="INC-1"),
        Triaged(id="e2", at=START + 10 * M, severity="SEV-2", tenants={"acme"}),
    ]
    summary = status_summary([replay(log)], [WINDOW], now=START + 30 * M)
    assert {statuses(summary)[name] for name in CORE} == {"partial_outage"}
    assert ComponentStatus.PARTIAL_OUTAGE.rank > ComponentStatus.UNDER_MAINTENANCE.rank


def test_rolling_plans_are_not_shown_and_waves_are_each_a_window():
    rolling = RollingPlan("CHG-1", ("acme",), START, "no-downtime", "rolling")
    second = attrs.evolve(WINDOW, start=START + 24 * H, end=START + 26 * H)
    waves = WavePlan("CHG-7", (WINDOW, second), "waves", "two waves")
    summary = status_summary([], [rolling, waves], now=START + H)
    assert [(m.scheduled_for, m.status.value) for m in summary.maintenances] == [
        (START, "in_progress"),
        (START + 24 * H, "scheduled"),
    ]


# --- bad input ------------------------------------------------------------------------------


def test_bad_input_is_named():
    incident = replay(opened())
    with pytest.raises(rp.NaiveDatetimeError, match="now"):
        status_summary([incident], now=dt.datetime(2026, 3, 8))
    with pytest.raises(rp.PolicyInputError, match=r"incidents\[1\]: expected a lifecycle"):
        status_summary([incident, "INC-2"], now=at(5))
    with pytest.raises(rp.PolicyInputError, match=r"incidents\[1\]: expected each incident once"):
        status_summary([incident, incident], now=at(5))
    with pytest.raises(rp.PolicyInputError, match="incidents: expected"):
        status_summary("INC-1", now=at(5))
    with pytest.raises(rp.PolicyInputError, match=r"plans\[0\]: expected a MaintenancePlan"):
        status_summary([], ["CHG-1"], now=at(5))
    with pytest.raises(rp.PolicyInputError, match="plans: expected"):
        status_summary([], 7, now=at(5))
    with pytest.raises(rp.PolicyInputError, match=r"pass the policy as policy="):
        status_summary([], rp.default_policy(), now=at(5))
    with pytest.raises(rp.PolicyInputError, match=r"plans\[1\]: expected each maintenance"):
        status_summary([], [WINDOW, WINDOW], now=START)
    with pytest.raises(rp.PolicyInputError, match="policy"):
        status_summary([], policy="strict", now=at(5))
    summary = status_summary([], now=at(5))
    with pytest.raises(rp.PolicyInputError, match="endpoint: expected one of 'summary'"):
        statuspage_json(summary, "history")
    with pytest.raises(rp.PolicyInputError, match="summary: expected a StatusSummary"):
        statuspage_json({"page": {}})
    with pytest.raises(rp.PolicyInputError, match="summary: expected a StatusSummary"):
        atom_feed("summary")


def test_an_empty_page_is_all_operational_as_of_now():
    summary = status_summary([], now=at(5))
    assert summary.updated_at == at(5)
    assert summary.description == "All Systems Operational"
    assert [c.position for c in summary.components] == [1, 2, 3, 4, 5]
    assert [c.core for c in summary.components] == [True, True, True, False, False]


# --- the Statuspage documents and Atom --------------------------------------------------------


def test_each_endpoint_holds_its_part():
    log = [*opened(), Recovered(id="e3", at=at(20))]
    summary = status_summary([replay(log)], [WINDOW], now=START - 100 * H)
    keys = {e: sorted(statuspage_json(summary, e)) for e in Endpoint}
    assert keys[Endpoint.SUMMARY] == [
        "components",
        "incidents",
        "page",
        "scheduled_maintenances",
        "status",
    ]
    assert keys[Endpoint.STATUS] == ["page", "status"]
    assert keys[Endpoint.COMPONENTS] == ["components", "page"]
    assert keys[Endpoint.INCIDENTS] == keys[Endpoint.UNRESOLVED] == ["incidents", "page"]
    assert (
        statuspage_json(summary, "incidents/unresolved")["incidents"][0]["status"] == "monitoring"
    )
    upcoming = statuspage_json(summary, Endpoint.UPCOMING)["scheduled_maintenances"]
    assert [m["status"] for m in upcoming] == ["scheduled"]
    assert statuspage_json(summary, Endpoint.ACTIVE)["scheduled_maintenances"] == []


def test_updates_are_newest_first_in_the_statuspage_shape():
    log = [*opened(), Contained(id="e3", at=at(20))]
    summary = status_summary([replay(log)], now=at(30))
    (incident,) = statuspage_json(summary)["incidents"]
    assert [u["status"] for u in incident["incident_updates"]] == ["identified", "investigating"]
    assert incident["components"][0]["status"] == "major_outage"
    assert incident["shortlink"] == ""


def test_a_published_page_links_to_its_incidents():
    policy = rp.loads_policy(
        'schema_version = 1\n[status_page]\nurl = "https://status.example.com/"'
    )
    summary = status_summary([replay(opened())], policy=policy, now=at(20))
    incident = statuspage_json(summary)["incidents"][0]
    assert incident["shortlink"] == f"https://status.example.com/incidents/{incident['id']}"
    feed = atom_feed(summary)
    assert "<id>https://status.example.com</id>" in feed
    assert f'href="https://status.example.com/incidents/{incident["id"]}"' in feed


def test_the_atom_feed_escapes_what_people_wrote():
    log = [*opened(title="Errors <b>& timeouts</b>"), public("p1", 12, 'Retry "later" <now>')]
    feed = atom_feed(status_summary([replay(log)], now=at(20)))
    assert "<b>" not in feed
    assert "&amp;lt;b&amp;gt;" in feed or "&lt;b&gt;" in feed


def test_atom_without_feedgen_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "feedgen.feed", None)
    summary = status_summary([], now=at(5))
    with pytest.raises(
        rp.PolicyError, match=r"pip install 'customernode-reliability-policy\[feed\]'"
    ):
        atom_feed(summary)


# --- the policy section -----------------------------------------------------------------------


def test_the_default_status_page_section_is_clean():
    assert list(policy_problems(rp.default_policy())) == []
    section = rp.default_policy().status_page
    assert section.security_matter == SECURITY_MATTER
    assert [c.name for c in section.components if c.core] == list(CORE)


def test_the_loader_asks_the_status_feed_to_check_its_section():
    with pytest.raises(rp.PolicyConfigError) as caught:
        rp.loads_policy(
            "schema_version = 1\n[status_page]\n"
            'url = "status.example.com"\nname = " "\n'
            '[status_page.wording]\nresolved = ""\n'
            '[[status_page.components]]\nname = "API"\ncore = false\n'
            '[[status_page.components]]\nname = "api"\ncore = false\n'
            '[[status_page.components]]\nname = ""\ncore = false\n'
        )
    assert [str(p) for p in caught.value.problems] == [
        "$.status_page.name: expected a non-empty text (the page shows it), got ' '",
        "$.status_page.wording.resolved: expected a non-empty text (the page shows it), got ''",
        "$.status_page.url: expected an absolute http(s) address such as "
        "'https://status.example.com', or empty, got 'status.example.com'",
        "$.status_page.components[1].name: expected a component name listed once (names are "
        "compared without case), got 'api'",
        "$.status_page.components[2].name: expected a non-empty name, got ''",
        "$.status_page.components: expected at least one core component (an incident that "
        "names none affects them), got ['API', 'api', '']",
    ]


def test_a_page_needs_a_component():
    with pytest.raises(
        rp.PolicyConfigError, match=r"\$\.status_page\.components: expected at least one component"
    ):
        rp.loads_policy("schema_version = 1\n[status_page]\ncomponents = []\n")


def test_an_unknown_status_page_key_is_reported():
    with pytest.raises(rp.PolicyConfigError, match=r"\$\.status_page\.colour: unknown key"):
        rp.loads_policy('schema_version = 1\n[status_page]\ncolour = "green"\n')


def test_public_updates_round_trip_through_the_event_log():
    notice = public("p1", 12, "Exports fail.", components={"API"})
    assert rp.loads_events(rp.dumps_events([notice])) == (notice,)
    with pytest.raises(rp.PolicyInputError, match="components"):
        public("p2", 12, components={""})
    with pytest.raises(rp.PolicyInputError, match="text"):
        public("p3", 12, text=None)


def test_closed_and_reviewed_incidents_stay_resolved():
    log = [
        *opened(),
        Recovered(id="e3", at=at(20)),
        Validated(id="e4", at=at(25)),
        Resolved(id="e5", at=at(30)),
        ReviewStarted(id="e6", at=at(40)),
        ReviewCompleted(id="e7", at=at(50)),
        Closed(id="e8", at=at(60)),
    ]
    incident = status_summary([replay(log)], now=at(70)).incidents[0]
    assert incident.status is IncidentStatus.RESOLVED
    assert incident.resolved_at == at(30)
    assert incident.updates[-1].at == at(30)
