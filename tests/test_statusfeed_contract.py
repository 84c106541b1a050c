"""The public status feed's contract, pinned exactly: every error names its field, value and
what was expected; every problem of ``[status_page]`` names its path; the mapping of phases and
severities, the order and times of updates, the documents written, and the two secrecy
guarantees (no tenant's name, nothing of a DPA-track incident) with their findings."""

from __future__ import annotations

import datetime as dt
import hashlib

import attrs
import pytest

import reliability_policy as rp
from expect import config_problem, input_error
from reliability_policy import _atom, statusfeed
from reliability_policy.findings import Finding, FindingLevel
from reliability_policy.lifecycle import (
    Contained,
    Detected,
    Eradicated,
    NotificationSent,
    Phase,
    Recovered,
    Regression,
    Resolved,
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

T0 = dt.datetime(2026, 3, 8, 6, 0, tzinfo=dt.UTC)
M = dt.timedelta(minutes=1)
H = dt.timedelta(hours=1)
POLICY = rp.default_policy()
WORDING = POLICY.status_page.wording
SECURITY_MATTER = "We are investigating a security matter."
NAMES = ("Sign-in", "Web application", "API", "Notifications", "Reports and exports")
CORE = NAMES[:3]
START = dt.datetime(2026, 3, 15, 6, 0, tzinfo=dt.UTC)


def at(minutes: float) -> dt.datetime:
    return T0 + minutes * M


def digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]


def component_id(name: str) -> str:
    return digest("component", name.casefold())


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


def opened(severity: str = "SEV-2", title: str = "Sign-in errors", incident_id: str = "INC-1"):
    return [
        Detected(id="e1", at=at(0), incident_id=incident_id, title=title),
        Triaged(id="e2", at=at(10), severity=severity, tenants={"acme", "globex"}),
    ]


def window(change_id: str = "CHG-7", start: dt.datetime = START, hours: int = 2, tenants=("acme",)):
    return MaintenancePlan(
        change_id,
        tenants,
        start - 20 * 24 * H,
        "maintenance-window",
        "a slot",
        start=start,
        end=start + hours * H,
        notice_deadline=start - 7 * 24 * H,
        reminder_at=start - 24 * H,
    )


def statuses(summary: rp.StatusSummary) -> dict[str, ComponentStatus]:
    return {c.name: c.status for c in summary.components}


def policy_with(toml: str) -> rp.Policy:
    return rp.loads_policy("schema_version = 1\n" + toml)


# --- errors: each names its field, the value and what was expected ----------------------------


class NotIterable:
    def __repr__(self) -> str:
        return "NotIterable()"


def test_a_naive_now_is_refused_by_name():
    with input_error(
        "now",
        value=dt.datetime(2026, 3, 8),
        expected="a timezone-aware datetime",
        kind=rp.NaiveDatetimeError,
    ):
        status_summary([], now=dt.datetime(2026, 3, 8))


@pytest.mark.parametrize("incidents", ["INC-1", b"INC-1", 7, None])
def test_incidents_that_are_not_a_collection_name_the_field_and_value(incidents):
    with input_error("incidents", value=incidents, expected="lifecycle Incidents"):
        status_summary(incidents, now=at(5))


@pytest.mark.parametrize("item", ["INC-2", None, 3])
def test_an_item_that_is_not_an_incident_names_its_index(item):
    incident = replay(opened())
    with input_error("incidents[1]", value=item, expected="a lifecycle Incident"):
        status_summary([incident, item], now=at(5))


def test_an_incident_given_twice_names_the_second_and_its_id():
    first = replay(opened())
    other = replay(opened(incident_id="INC-2"))
    with input_error(
        "incidents[2]", value="INC-1", expected="each incident once (one log per incident)"
    ):
        status_summary([first, other, first], now=at(5))


def test_incidents_may_be_any_iterable():
    summary = status_summary(iter([replay(opened())]), iter([window()]), now=START)
    assert len(summary.incidents) == 1
    assert len(summary.maintenances) == 1


@pytest.mark.parametrize("plans", ["CHG-1", b"CHG-1", 7, None])
def test_plans_that_are_not_a_collection_name_the_field_and_value(plans):
    with input_error(
        "plans",
        value=plans,
        expected="maintenance plans (MaintenancePlan, RollingPlan or WavePlan)",
    ):
        status_summary([], plans, now=at(5))


def test_a_policy_passed_as_plans_says_where_it_goes():
    with input_error(
        "plans",
        value=POLICY,
        expected="maintenance plans; pass the policy as policy=... (the third argument)",
    ):
        status_summary([], POLICY, now=at(5))


@pytest.mark.parametrize("item", ["CHG-1", None, 4])
def test_an_item_that_is_not_a_plan_names_its_index(item):
    rolling = RollingPlan("CHG-1", ("acme",), START, "no-downtime", "rolling")
    with input_error("plans[2]", value=item, expected="a MaintenancePlan, RollingPlan or WavePlan"):
        status_summary([], [window(), rolling, item], now=at(5))


def test_a_window_given_twice_names_the_second_and_its_change():
    with input_error("plans[1]", value="CHG-7", expected="each maintenance window once"):
        status_summary([], [window(), window()], now=START)


def test_a_window_given_twice_inside_a_wave_plan_names_the_wave():
    waves = WavePlan("CHG-7", (window(start=START - 24 * H), window()), "waves", "two")
    with input_error("plans[1].waves[1]", value="CHG-7", expected="each maintenance window once"):
        status_summary([], [window(), waves], now=START)


def test_two_windows_of_one_change_at_different_starts_are_two_windows():
    summary = status_summary([], [window(), window(start=START + H)], now=START)
    assert [m.scheduled_for for m in summary.maintenances] == [START, START + H]


def test_a_policy_that_is_not_a_policy_is_named():
    with input_error("policy", value="strict", expected="a Policy, or None for the default policy"):
        status_summary([], policy="strict", now=at(5))


@pytest.mark.parametrize("endpoint", ["history", "", 3])
def test_an_unknown_endpoint_names_the_choices(endpoint):
    names = ", ".join(repr(e.value) for e in Endpoint)
    with input_error("endpoint", value=endpoint, expected=f"one of {names}"):
        statuspage_json(status_summary([], now=at(5)), endpoint)


@pytest.mark.parametrize("write", [statuspage_json, atom_feed])
@pytest.mark.parametrize("value", [{"page": {}}, "summary", None])
def test_a_summary_that_is_not_a_summary_is_named(write, value):
    with input_error("summary", value=value, expected="a StatusSummary (from status_summary())"):
        write(value)


# --- the policy section: every problem names its path -----------------------------------------

TEXT_EXPECTED = "a non-empty text (the page shows it)"


@pytest.mark.parametrize(
    ("key", "toml"),
    [
        ("name", '[status_page]\nname = " "\n'),
        ("incident_name", '[status_page]\nincident_name = ""\n'),
        ("maintenance_name", '[status_page]\nmaintenance_name = "  "\n'),
        ("security_matter", '[status_page]\nsecurity_matter = ""\n'),
        *[
            (f"wording.{field}", f'[status_page.wording]\n{field} = " "\n')
            for field in (
                "investigating",
                "identified",
                "monitoring",
                "resolved",
                "scheduled",
                "in_progress",
                "completed",
            )
        ],
    ],
)
def test_an_empty_page_text_is_a_problem_at_its_path(key, toml):
    value = toml.split(" = ")[1].strip().strip('"')
    with config_problem(f"$.status_page.{key}", value=value, expected=TEXT_EXPECTED, only=True):
        policy_with(toml)


URL_EXPECTED = "an absolute http(s) address such as 'https://status.example.com', or empty"


@pytest.mark.parametrize(
    "url",
    [
        "status.example.com",
        "ftp://status.example.com",
        "https://",
        " https://status.example.com",
        "https://status.example.com ",
        "mailto:status@example.com",
    ],
)
def test_a_url_that_is_not_a_web_address_is_a_problem(url):
    with config_problem("$.status_page.url", value=url, expected=URL_EXPECTED, only=True):
        policy_with(f'[status_page]\nurl = "{url}"\n')


@pytest.mark.parametrize(
    "url", ["", "https://status.example.com", "http://status.example.com/page", "HTTPS://X.IO"]
)
def test_an_empty_or_web_url_is_fine(url):
    policy = policy_with(f'[status_page]\nurl = "{url}"\n')
    assert list(policy_problems(policy)) == []


def test_a_page_without_components_is_one_problem():
    with config_problem(
        "$.status_page.components", value=[], expected="at least one component", only=True
    ):
        policy_with("[status_page]\ncomponents = []\n")


def components(*entries: tuple[str, bool]) -> str:
    return "[status_page]\n" + "".join(
        f'[[status_page.components]]\nname = "{name}"\ncore = {str(core).lower()}\n'
        for name, core in entries
    )


def test_an_empty_component_name_is_a_problem_at_its_index():
    with config_problem(
        "$.status_page.components[1].name", value=" ", expected="a non-empty name", only=True
    ):
        policy_with(components(("API", True), (" ", False)))


@pytest.mark.parametrize("again", ["API", "api", "Api"])
def test_a_component_listed_twice_is_a_problem_at_the_second(again):
    with config_problem(
        "$.status_page.components[2].name",
        value=again,
        expected="a component name listed once (names are compared without case)",
        only=True,
    ):
        policy_with(components(("API", True), ("Sign-in", False), (again, False)))


def test_a_page_without_a_core_component_names_the_components():
    with config_problem(
        "$.status_page.components",
        value=["API", "Sign-in"],
        expected="at least one core component (an incident that names none affects them)",
        only=True,
    ):
        policy_with(components(("API", False), ("Sign-in", False)))


def test_one_core_component_anywhere_is_enough():
    policy = policy_with(components(("API", False), ("Sign-in", True)))
    assert list(policy_problems(policy)) == []


def test_every_problem_of_a_bad_section_is_reported_in_order():
    section = attrs.evolve(
        POLICY.status_page,
        name="",
        url="nope",
        wording=attrs.evolve(WORDING, completed=""),
        components=(
            attrs.evolve(POLICY.status_page.components[0], name="", core=False),
            attrs.evolve(POLICY.status_page.components[3], name="X"),
            attrs.evolve(POLICY.status_page.components[3], name="x"),
        ),
    )
    problems = list(policy_problems(attrs.evolve(POLICY, status_page=section)))
    assert [(p.path, p.value) for p in problems] == [
        ("$.status_page.name", ""),
        ("$.status_page.wording.completed", ""),
        ("$.status_page.url", "nope"),
        ("$.status_page.components[0].name", ""),
        ("$.status_page.components[2].name", "x"),
        ("$.status_page.components", ["", "X", "x"]),
    ]


# --- the mapping --------------------------------------------------------------------------------


def test_each_phase_maps_to_its_public_status():
    assert dict(statusfeed.PUBLIC_STATUS) == {
        Phase.DETECTED: IncidentStatus.INVESTIGATING,
        Phase.TRIAGED: IncidentStatus.INVESTIGATING,
        Phase.CONTAINED: IncidentStatus.IDENTIFIED,
        Phase.ERADICATED: IncidentStatus.IDENTIFIED,
        Phase.RECOVERED: IncidentStatus.MONITORING,
        Phase.RESOLVED: IncidentStatus.RESOLVED,
        Phase.IN_REVIEW: IncidentStatus.RESOLVED,
        Phase.CLOSED: IncidentStatus.RESOLVED,
        Phase.DECLINED: IncidentStatus.RESOLVED,
    }


def test_each_severity_maps_to_an_impact_and_a_component_status():
    assert dict(statusfeed.IMPACT) == {
        rp.Severity.SEV_1: Indicator.CRITICAL,
        rp.Severity.SEV_2: Indicator.MAJOR,
        rp.Severity.SEV_3: Indicator.MINOR,
    }
    assert dict(statusfeed.COMPONENT_STATUS) == {
        rp.Severity.SEV_1: ComponentStatus.MAJOR_OUTAGE,
        rp.Severity.SEV_2: ComponentStatus.PARTIAL_OUTAGE,
        rp.Severity.SEV_3: ComponentStatus.DEGRADED_PERFORMANCE,
    }


def test_the_vocabularies_are_the_statuspage_words_in_rank_order():
    assert [(s.value, s.rank) for s in ComponentStatus] == [
        ("operational", 0),
        ("under_maintenance", 1),
        ("degraded_performance", 2),
        ("partial_outage", 3),
        ("major_outage", 4),
    ]
    assert [(i.value, i.rank) for i in Indicator] == [
        ("none", 0),
        ("minor", 1),
        ("major", 2),
        ("critical", 3),
    ]
    assert [s.value for s in IncidentStatus] == [
        "investigating",
        "identified",
        "monitoring",
        "resolved",
    ]
    assert [s.value for s in MaintenanceStatus] == ["scheduled", "in_progress", "completed"]
    assert [e.value for e in Endpoint] == [
        "summary",
        "status",
        "components",
        "incidents",
        "incidents/unresolved",
        "scheduled-maintenances",
        "scheduled-maintenances/upcoming",
        "scheduled-maintenances/active",
    ]


def test_the_rules_are_stable_names():
    assert RULE_TENANT_NAMED == "public-text-names-tenant"
    assert RULE_DPA_WITHHELD == "public-text-withheld-dpa"
    assert RULE_UNKNOWN_COMPONENT == "unknown-status-component"


@pytest.mark.parametrize(
    ("severity", "impact", "component", "indicator", "description"),
    [
        ("SEV-1", "critical", "major_outage", "critical", "Major System Outage"),
        ("SEV-2", "major", "partial_outage", "major", "Partial System Outage"),
        ("SEV-3", "minor", "degraded_performance", "minor", "Minor Service Outage"),
    ],
)
def test_an_open_incident_sets_impact_components_and_indicator(
    severity, impact, component, indicator, description
):
    log = [*opened(severity), public("p1", 12, "Looking into it.")]
    summary = status_summary([replay(log)], now=at(20))
    assert summary.incidents[0].impact.value == impact
    assert {name: s.value for name, s in statuses(summary).items()} == {
        "Sign-in": component,
        "Web application": component,
        "API": component,
        "Notifications": "operational",
        "Reports and exports": "operational",
    }
    assert summary.indicator.value == indicator
    assert summary.description == description


def test_a_restored_incident_does_not_raise_the_indicator_but_a_degraded_component_does():
    # The incident is restored (monitoring) so its impact does not count; a second, untriaged
    # one degrades a component: minor.
    restored = replay([*opened("SEV-1"), Recovered(id="e3", at=at(20))])
    untriaged = replay(
        [
            Detected(id="x1", at=at(0), incident_id="INC-2"),
            public("x2", 5, "Slow exports.", components={"Reports and exports"}),
        ]
    )
    summary = status_summary([restored, untriaged], now=at(30))
    assert summary.indicator is Indicator.MINOR
    assert summary.description == "Minor Service Outage"
    assert statuses(summary)["Reports and exports"] is ComponentStatus.DEGRADED_PERFORMANCE
    assert statuses(summary)["API"] is ComponentStatus.OPERATIONAL


def test_component_statuses_raise_the_indicator_and_describe_it():
    assert dict(statusfeed._COMPONENT_INDICATOR) == {
        ComponentStatus.OPERATIONAL: Indicator.NONE,
        ComponentStatus.UNDER_MAINTENANCE: Indicator.NONE,
        ComponentStatus.DEGRADED_PERFORMANCE: Indicator.MINOR,
        ComponentStatus.PARTIAL_OUTAGE: Indicator.MINOR,
        ComponentStatus.MAJOR_OUTAGE: Indicator.MAJOR,
    }
    assert dict(statusfeed._DESCRIPTIONS) == {
        Indicator.NONE: "All Systems Operational",
        Indicator.MINOR: "Minor Service Outage",
        Indicator.MAJOR: "Partial System Outage",
        Indicator.CRITICAL: "Major System Outage",
    }


@pytest.mark.parametrize(
    ("events", "status"),
    [
        ([], "investigating"),
        ([Contained(id="e3", at=at(20))], "identified"),
        ([Contained(id="e3", at=at(20)), Eradicated(id="e4", at=at(25))], "identified"),
    ],
)
def test_an_incident_investigating_or_identified_raises_the_indicator(events, status):
    summary = status_summary([replay([*opened("SEV-1"), *events])], now=at(30))
    assert summary.incidents[0].status.value == status
    assert summary.indicator is Indicator.CRITICAL
    assert set(statuses(summary).values()) >= {ComponentStatus.MAJOR_OUTAGE}


def test_components_follow_the_current_severity_and_impact_the_highest():
    log = [
        *opened("SEV-3"),
        public("p1", 12, "Slow pages."),
        SeverityChanged(id="e3", at=at(30), severity="SEV-1", reason="r"),
    ]
    before = status_summary([replay(log)], now=at(29))
    assert before.incidents[0].impact is Indicator.MINOR
    assert statuses(before)["API"] is ComponentStatus.DEGRADED_PERFORMANCE
    after = status_summary([replay(log)], now=at(30))
    assert after.incidents[0].impact is Indicator.CRITICAL
    assert statuses(after)["API"] is ComponentStatus.MAJOR_OUTAGE
    down = [*opened("SEV-1"), SeverityChanged(id="e3", at=at(30), severity="SEV-2", reason="r")]
    summary = status_summary([replay(down)], now=at(40))
    assert summary.incidents[0].impact is Indicator.CRITICAL
    assert statuses(summary)["API"] is ComponentStatus.PARTIAL_OUTAGE
    assert summary.indicator is Indicator.CRITICAL


def test_an_untriaged_incident_has_no_impact_and_degrades_its_components():
    log = [Detected(id="e1", at=at(0), incident_id="INC-1"), public("p1", 5, "Looking.")]
    summary = status_summary([replay(log)], now=at(10))
    (incident,) = summary.incidents
    assert incident.impact is Indicator.NONE
    assert {statuses(summary)[n] for n in CORE} == {ComponentStatus.DEGRADED_PERFORMANCE}
    assert summary.indicator is Indicator.MINOR


# --- what appears, and when -------------------------------------------------------------------


def test_an_untriaged_incident_without_a_public_update_does_not_appear():
    detected = replay([Detected(id="e1", at=at(0), incident_id="INC-1")])
    assert status_summary([detected], now=at(10)).incidents == ()


def test_an_incident_appears_from_its_detection_on():
    log = [
        Triaged(id="e2", at=at(0), severity="SEV-1", tenants={"acme"}),
    ]
    log.insert(0, Detected(id="e1", at=at(0), incident_id="INC-1"))
    incident = replay(log)
    assert status_summary([incident], now=at(0) - dt.timedelta(seconds=1)).incidents == ()
    summary = status_summary([incident], now=at(0))
    (shown,) = summary.incidents
    assert shown.started_at == at(0)
    assert statuses(summary)["API"] is ComponentStatus.MAJOR_OUTAGE
    assert summary.component("API").since == at(0)


def test_a_severity_counts_from_its_own_instant():
    incident = replay(opened("SEV-1"))
    assert status_summary([incident], now=at(10) - dt.timedelta(seconds=1)).incidents == ()
    assert len(status_summary([incident], now=at(10)).incidents) == 1


def test_a_public_update_counts_from_its_own_instant_and_only_for_the_status_page():
    log = [
        *opened("SEV-3"),
        NotificationSent(
            id="n1",
            at=at(11),
            channel="email",
            kind="update",
            audience="affected_tenants",
            text="x",
            tenants={"acme"},
        ),
        public("p1", 15, "Slow pages."),
    ]
    incident = replay(log)
    assert status_summary([incident], now=at(15) - dt.timedelta(seconds=1)).incidents == ()
    (shown,) = status_summary([incident], now=at(15)).incidents
    assert [u.body for u in shown.updates] == [WORDING.investigating, "Slow pages."]


def test_a_public_update_without_text_makes_an_incident_appear_but_writes_nothing():
    log = [*opened("SEV-3"), public("p1", 12, "   ")]
    (shown,) = status_summary([replay(log)], now=at(20)).incidents
    assert [u.body for u in shown.updates] == [WORDING.investigating]
    assert shown.updated_at == at(0)


def test_a_page_showing_sev3_shows_a_quiet_sev3_incident():
    policy = policy_with('[status_page]\nseverities = ["SEV-3"]\n')
    assert len(status_summary([replay(opened("SEV-3"))], policy=policy, now=at(20)).incidents)
    assert not status_summary([replay(opened("SEV-2"))], policy=policy, now=at(20)).incidents


# --- updates: ids, times, order, bodies -------------------------------------------------------


def test_updates_are_in_time_order_status_changes_before_texts_of_the_same_instant():
    log = [
        *opened(),
        public("p1", 12, "First."),
        public("p2", 12, "Second."),
        public("p3", 20, "With the fix."),
        Contained(id="e3", at=at(20)),
        Recovered(id="e4", at=at(30)),
        Validated(id="e5", at=at(35)),
        Resolved(id="e6", at=at(40)),
    ]
    incident = status_summary([replay(log)], now=at(50)).incidents[0]
    assert [(u.id, u.at, u.status.value, u.body) for u in incident.updates] == [
        (digest("update", "INC-1", "e1"), at(0), "investigating", WORDING.investigating),
        (digest("update", "INC-1", "p1"), at(12), "investigating", "First."),
        (digest("update", "INC-1", "p2"), at(12), "investigating", "Second."),
        (digest("update", "INC-1", "e3"), at(20), "identified", WORDING.identified),
        (digest("update", "INC-1", "p3"), at(20), "identified", "With the fix."),
        (digest("update", "INC-1", "e4"), at(30), "monitoring", WORDING.monitoring),
        (digest("update", "INC-1", "e6"), at(40), "resolved", WORDING.resolved),
    ]
    assert incident.id == digest("incident", "INC-1")
    assert incident.incident_id == "INC-1"
    assert incident.started_at == at(0)
    assert incident.updated_at == at(40)
    assert incident.monitoring_at == at(30)
    assert incident.resolved_at == at(40)
    assert incident.status is IncidentStatus.RESOLVED


def test_the_first_public_update_at_a_status_change_comes_after_the_change():
    log = [*opened(), Contained(id="e3", at=at(20)), public("p1", 20, "Shedding traffic.")]
    updates = status_summary([replay(log)], now=at(30)).incidents[0].updates
    assert [(u.at, u.status.value, u.body) for u in updates] == [
        (at(0), "investigating", WORDING.investigating),
        (at(20), "identified", WORDING.identified),
        (at(20), "identified", "Shedding traffic."),
    ]


def test_status_changes_of_the_same_instant_keep_their_order():
    log = [*opened(), Contained(id="e3", at=at(20)), Recovered(id="e4", at=at(20))]
    incident = status_summary([replay(log)], now=at(30)).incidents[0]
    assert [(u.at, u.status.value) for u in incident.updates] == [
        (at(0), "investigating"),
        (at(20), "identified"),
        (at(20), "monitoring"),
    ]
    assert incident.status is IncidentStatus.MONITORING


def test_a_text_left_out_does_not_hide_the_next_one():
    log = [*opened(), public("p1", 12, "acme is down"), public("p2", 14, "Pages are slow.")]
    summary = status_summary([replay(log)], now=at(20))
    assert [u.body for u in summary.incidents[0].updates] == [
        WORDING.investigating,
        "Pages are slow.",
    ]
    assert [f.tenant for f in summary.findings] == ["acme"]


def test_monitoring_at_is_the_last_time_it_entered_monitoring():
    log = [
        *opened(),
        Recovered(id="e3", at=at(20)),
        Validated(id="e4", at=at(25)),
        Resolved(id="e5", at=at(30)),
        Regression(id="e6", at=at(40), reason="it came back"),
        Recovered(id="e7", at=at(50)),
    ]
    incident = status_summary([replay(log)], now=at(60)).incidents[0]
    assert incident.status is IncidentStatus.MONITORING
    assert incident.monitoring_at == at(50)
    assert incident.resolved_at is None
    assert incident.updated_at == at(50)


def test_a_regression_opens_a_second_outage_span():
    log = [
        *opened("SEV-2"),
        Recovered(id="e3", at=at(20)),
        Validated(id="e4", at=at(25)),
        Resolved(id="e5", at=at(30)),
        Regression(id="e6", at=at(40), reason="it came back"),
    ]
    incident = replay(log)
    between = status_summary([incident], now=at(35))
    assert statuses(between)["API"] is ComponentStatus.OPERATIONAL
    assert between.component("API").since == at(20)
    again = status_summary([incident], now=at(45))
    assert statuses(again)["API"] is ComponentStatus.PARTIAL_OUTAGE
    assert again.component("API").since == at(40)
    assert again.incidents[0].status is IncidentStatus.INVESTIGATING
    assert again.indicator is Indicator.MAJOR


def test_a_component_is_operational_from_the_instant_of_recovery():
    incident = replay([*opened("SEV-1"), Recovered(id="e3", at=at(20))])
    before = status_summary([incident], now=at(20) - dt.timedelta(seconds=1))
    assert statuses(before)["API"] is ComponentStatus.MAJOR_OUTAGE
    assert before.component("API").since == at(0)
    assert before.component("Notifications").since is None
    summary = status_summary([incident], now=at(20))
    assert statuses(summary)["API"] is ComponentStatus.OPERATIONAL
    assert summary.component("API").since == at(20)
    assert summary.updated_at == at(20)
    assert summary.indicator is Indicator.NONE
    assert summary.description == "All Systems Operational"


def test_incidents_are_newest_first_then_by_public_id():
    first = replay(opened("SEV-1", incident_id="INC-1"))
    later = replay(
        [
            Detected(id="f1", at=at(5), incident_id="INC-9"),
            Triaged(id="f2", at=at(6), severity="SEV-1", tenants={"acme"}),
        ]
    )
    summary = status_summary([first, later], now=at(20))
    assert [i.incident_id for i in summary.incidents] == ["INC-9", "INC-1"]
    same = [replay(opened("SEV-1", incident_id=f"INC-{n}")) for n in range(1, 5)]
    summary = status_summary(same, now=at(20))
    assert [i.id for i in summary.incidents] == sorted(
        (digest("incident", f"INC-{n}") for n in range(1, 5)), reverse=True
    )


def test_unresolved_leaves_out_the_resolved_incidents():
    done = replay(
        [
            *opened(incident_id="INC-1"),
            Recovered(id="e3", at=at(20)),
            Validated(id="e4", at=at(25)),
            Resolved(id="e5", at=at(30)),
        ]
    )
    watching = replay([*opened(incident_id="INC-2"), Recovered(id="e3", at=at(20))])
    summary = status_summary([done, watching], now=at(40))
    assert [i.incident_id for i in summary.unresolved] == ["INC-2"]
    assert len(summary.incidents) == 2


# --- names and components ---------------------------------------------------------------------


def test_a_title_is_shown_stripped_and_an_empty_one_as_the_incident_name():
    shown = status_summary([replay(opened(title="  Slow pages \n"))], now=at(20))
    assert shown.incidents[0].name == "Slow pages"
    blank = status_summary([replay(opened(title="   "))], now=at(20))
    assert blank.incidents[0].name == "Service disruption"
    assert blank.findings == ()


def test_a_public_update_names_its_components_in_any_case_in_page_order():
    log = [
        *opened("SEV-1"),
        public("p1", 12, "x", components={"reports AND exports", "SIGN-IN"}),
        public("p2", 13, components={"api"}),
    ]
    summary = status_summary([replay(log)], now=at(20))
    assert summary.incidents[0].components == tuple(
        component_id(n) for n in ("Sign-in", "API", "Reports and exports")
    )
    assert statuses(summary) == {
        "Sign-in": ComponentStatus.MAJOR_OUTAGE,
        "Web application": ComponentStatus.OPERATIONAL,
        "API": ComponentStatus.MAJOR_OUTAGE,
        "Notifications": ComponentStatus.OPERATIONAL,
        "Reports and exports": ComponentStatus.MAJOR_OUTAGE,
    }
    assert summary.findings == ()


def test_an_incident_naming_no_known_component_affects_the_core_ones():
    log = [*opened("SEV-2"), public("p1", 12, "x", components={"Billing", "Search"})]
    summary = status_summary([replay(log)], now=at(20))
    assert summary.incidents[0].components == tuple(component_id(n) for n in CORE)
    assert summary.findings == tuple(
        Finding(
            RULE_UNKNOWN_COMPONENT,
            None,
            f"public update p1 of incident INC-1 names component {name!r}, which "
            "[status_page.components] does not list; ignored",
            FindingLevel.WARNING,
        )
        for name in ("Billing", "Search")
    )


def test_the_summary_carries_the_page_and_every_component():
    policy = policy_with(
        '[status_page]\nname = "Acme Cloud"\nurl = "https://status.example.com"\n'
        '[calendar]\ntime_zone = "Europe/Paris"\n'
    )
    summary = status_summary([], policy=policy, now=at(5))
    assert summary.as_of == at(5)
    assert summary.page_id == digest("page", "Acme Cloud")
    assert summary.name == "Acme Cloud"
    assert summary.url == "https://status.example.com"
    assert summary.time_zone == "Europe/Paris"
    defaults = POLICY.status_page.components
    assert summary.components == tuple(
        statusfeed.ComponentState(
            id=component_id(c.name),
            name=c.name,
            description=c.description,
            core=c.core,
            position=n,
            status=ComponentStatus.OPERATIONAL,
            since=None,
        )
        for n, c in enumerate(defaults, start=1)
    )
    assert summary.component("REPORTS AND EXPORTS") is summary.components[4]
    assert summary.component("Billing") is None


def test_now_is_kept_in_utc():
    local = dt.datetime(2026, 3, 8, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    summary = status_summary([], now=local)
    assert summary.as_of == at(0)
    assert summary.as_of.utcoffset() == dt.timedelta(0)


# --- never a tenant's name --------------------------------------------------------------------


def named_reason(what: str, tenant: str) -> str:
    return (
        f"{what} names tenant {tenant}: the status page never names a tenant, so it is left "
        "out of the feed; rewrite it without the name"
    )


@pytest.mark.parametrize(
    ("text", "tenant"),
    [
        ("acme", "acme"),
        ("Acme's exports fail", "acme"),
        ("exports fail for ACME", "acme"),
        ("a acme b", "acme"),
        ("acme!x", "acme"),
        ("xacme and acme", "acme"),
        ("acmeville, then acme.", "acme"),
        ("xacme acme yacme", "acme"),
        ("acme and acmeville", "acme"),
        ("globex and acme", "acme"),  # the first in sorted order is reported
        ("(globex)", "globex"),
    ],
)
def test_a_text_naming_a_tenant_is_left_out_with_a_breach(text, tenant):
    log = [*opened(), public("p1", 12, text)]
    summary = status_summary([replay(log)], now=at(20))
    assert [u.body for u in summary.incidents[0].updates] == [WORDING.investigating]
    assert summary.findings == (
        Finding(
            RULE_TENANT_NAMED,
            tenant,
            named_reason("public update p1 of incident INC-1", tenant),
            FindingLevel.BREACH,
        ),
    )


@pytest.mark.parametrize(
    "text",
    ["acmeville", "xacme", "acme_", "_acme", "acme1", "2acme", "globexacme", "acmé"],
)
def test_a_tenant_inside_another_word_is_not_named(text):
    log = [*opened(), public("p1", 12, text)]
    summary = status_summary([replay(log)], now=at(20))
    assert summary.findings == ()
    assert summary.incidents[0].updates[-1].body == text


def test_a_tenant_id_in_any_case_is_reported_as_written():
    log = [
        Detected(id="e1", at=at(0), incident_id="INC-1"),
        Triaged(id="e2", at=at(10), severity="SEV-1", tenants={"Straße-AG"}),
        public("p1", 12, "trouble at STRASSE-ag"),
    ]
    summary = status_summary([replay(log)], now=at(20))
    assert [f.tenant for f in summary.findings] == ["Straße-AG"]


def test_a_tenant_id_of_repeated_marks_is_found_after_a_near_miss():
    log = [
        Detected(id="e1", at=at(0), incident_id="INC-1"),
        Triaged(id="e2", at=at(10), severity="SEV-1", tenants={"--"}),
        public("p1", 12, "x---"),
    ]
    summary = status_summary([replay(log)], now=at(20))
    assert [f.tenant for f in summary.findings] == ["--"]


def test_a_title_naming_a_tenant_is_replaced_with_a_breach():
    summary = status_summary([replay(opened(title="Globex cannot sign in"))], now=at(20))
    assert summary.incidents[0].name == "Service disruption"
    assert summary.findings == (
        Finding(RULE_TENANT_NAMED, "globex", named_reason("the title of incident INC-1", "globex")),
    )


def test_a_tenant_known_only_from_a_plan_is_checked():
    plan = window(tenants=("initech",))
    log = [*opened(), public("p1", 12, "initech is down")]
    summary = status_summary([replay(log)], [plan], now=at(20))
    assert [f.tenant for f in summary.findings] == ["initech"]


def test_a_tenant_known_only_from_a_wave_plan_is_checked():
    waves = WavePlan("CHG-7", (window(tenants=("initech",)),), "waves", "one")
    log = [*opened(), public("p1", 12, "initech is down")]
    summary = status_summary([replay(log)], [waves], now=at(20))
    assert [f.tenant for f in summary.findings] == ["initech"]


# --- the DPA track ----------------------------------------------------------------------------

DPA_REASON = (
    "public update {id} of incident INC-1 is left out: the incident is (or was) on the DPA "
    "track, and the page shows only the policy's security_matter wording"
)


def security_log() -> list:
    return [
        Detected(
            id="e1", at=at(0), incident_id="INC-1", title="Bulk export of acme", kind="security"
        ),
        Triaged(id="e2", at=at(10), severity="SEV-1", tenants={"acme"}),
        public("p1", 12, "Records of some customers were read.", components={"API"}),
        public("p2", 13, "  "),
        public("p3", 14, "Tokens revoked."),
        Contained(id="e3", at=at(20)),
        Recovered(id="e4", at=at(40)),
    ]


def test_a_dpa_track_incident_is_only_the_wording_with_a_warning_per_text():
    summary = status_summary([replay(security_log())], now=at(45))
    (incident,) = summary.incidents
    assert incident.name == SECURITY_MATTER
    assert incident.security_matter is True
    assert incident.status is IncidentStatus.INVESTIGATING
    assert [(u.id, u.at, u.status, u.body) for u in incident.updates] == [
        (digest("update", "INC-1", "e1"), at(0), IncidentStatus.INVESTIGATING, SECURITY_MATTER)
    ]
    assert incident.impact is Indicator.NONE
    assert incident.components == ()
    assert incident.monitoring_at is None
    assert incident.resolved_at is None
    assert set(statuses(summary).values()) == {ComponentStatus.OPERATIONAL}
    assert summary.indicator is Indicator.NONE
    assert summary.findings == tuple(
        Finding(RULE_DPA_WITHHELD, None, DPA_REASON.format(id=n), FindingLevel.WARNING)
        for n in ("p1", "p3")
    )


def test_a_resolved_dpa_track_incident_shows_the_resolved_wording():
    log = [*security_log(), Validated(id="e5", at=at(45)), Resolved(id="e6", at=at(50))]
    incident = status_summary([replay(log)], now=at(60)).incidents[0]
    assert [(u.status, u.at, u.body) for u in incident.updates] == [
        (IncidentStatus.INVESTIGATING, at(0), SECURITY_MATTER),
        (IncidentStatus.RESOLVED, at(50), WORDING.resolved),
    ]
    assert incident.resolved_at == at(50)


def test_the_dpa_decision_is_asked_with_the_page_policy_and_now(monkeypatch):
    asked = []

    def flags(incident, policy=None, *, now):
        asked.append((incident.id, policy, now))
        return NoticeFlags(True, "availability-incident", "asked")

    monkeypatch.setattr(statusfeed, "ordinary_notice_flags", flags)
    policy = published()
    status_summary([replay(opened())], policy=policy, now=at(20))
    assert len(asked) == 1
    assert asked[0][0] == "INC-1"
    assert asked[0][1] is policy
    assert asked[0][2] == at(20)


def test_an_ordinary_incident_is_not_a_security_matter():
    incident = status_summary([replay(opened())], now=at(20)).incidents[0]
    assert incident.security_matter is False
    assert incident.name == "Sign-in errors"


# --- maintenance --------------------------------------------------------------------------------


def test_a_maintenance_from_announcement_to_completion():
    plan = window()
    maintenance_id = digest("maintenance", "CHG-7", "2026-03-15T06:00:00Z")
    announced = START - 168 * H
    assert status_summary([], [plan], now=announced - dt.timedelta(seconds=1)).maintenances == ()
    scheduled = status_summary([], [plan], now=announced)
    (shown,) = scheduled.maintenances
    assert shown.status is MaintenanceStatus.SCHEDULED
    assert shown.updated_at == announced
    assert scheduled.component("API").since is None  # the window has not begun
    assert scheduled.updated_at == announced
    summary = status_summary([], [plan], now=START + 2 * H)
    (done,) = summary.maintenances
    assert done == statusfeed.PublicMaintenance(
        id=maintenance_id,
        change_id="CHG-7",
        name="Scheduled maintenance",
        status=MaintenanceStatus.COMPLETED,
        announced_at=announced,
        updated_at=START + 2 * H,
        scheduled_for=START,
        scheduled_until=START + 2 * H,
        updates=(
            statusfeed.MaintenanceUpdate(
                digest("update", maintenance_id, "scheduled"),
                announced,
                MaintenanceStatus.SCHEDULED,
                WORDING.scheduled,
            ),
            statusfeed.MaintenanceUpdate(
                digest("update", maintenance_id, "in_progress"),
                START,
                MaintenanceStatus.IN_PROGRESS,
                WORDING.in_progress,
            ),
            statusfeed.MaintenanceUpdate(
                digest("update", maintenance_id, "completed"),
                START + 2 * H,
                MaintenanceStatus.COMPLETED,
                WORDING.completed,
            ),
        ),
        components=tuple(component_id(n) for n in CORE),
    )
    assert summary.component("API").since == START + 2 * H
    assert summary.component("Notifications").since is None


def test_a_maintenance_in_progress_puts_the_core_components_under_maintenance():
    summary = status_summary([], [window()], now=START + H)
    assert statuses(summary) == {
        "Sign-in": ComponentStatus.UNDER_MAINTENANCE,
        "Web application": ComponentStatus.UNDER_MAINTENANCE,
        "API": ComponentStatus.UNDER_MAINTENANCE,
        "Notifications": ComponentStatus.OPERATIONAL,
        "Reports and exports": ComponentStatus.OPERATIONAL,
    }
    assert summary.component("API").since == START
    assert summary.indicator is Indicator.NONE
    assert summary.description == "Service Under Maintenance"
    assert summary.updated_at == START
    begun = status_summary([], [window()], now=START)
    assert statuses(begun)["API"] is ComponentStatus.UNDER_MAINTENANCE
    ended = status_summary([], [window()], now=START + 2 * H - dt.timedelta(seconds=1))
    assert statuses(ended)["API"] is ComponentStatus.UNDER_MAINTENANCE


def test_a_maintenance_does_not_hide_an_outage_elsewhere():
    log = [
        Detected(id="e1", at=START, incident_id="INC-1"),
        Triaged(id="e2", at=START + M, severity="SEV-3", tenants={"acme"}),
        NotificationSent(
            id="p1",
            at=START + 2 * M,
            channel="status_page",
            kind="update",
            audience="status_page",
            text="Slow exports.",
            components={"Reports and exports"},
        ),
    ]
    summary = status_summary([replay(log)], [window()], now=START + H)
    assert summary.indicator is Indicator.MINOR
    assert summary.description == "Minor Service Outage"


def test_the_worst_status_wins_and_counts_from_its_own_start():
    log = [
        Detected(id="e1", at=START + 10 * M, incident_id="INC-1"),
        Triaged(id="e2", at=START + 11 * M, severity="SEV-2", tenants={"acme"}),
    ]
    summary = status_summary([replay(log)], [window()], now=START + H)
    assert statuses(summary)["API"] is ComponentStatus.PARTIAL_OUTAGE
    assert summary.component("API").since == START + 10 * M


def test_plans_not_shown_yet_do_not_hide_the_next_ones():
    rolling = RollingPlan("CHG-1", ("acme",), START, "no-downtime", "rolling")
    later = window("CHG-2", start=START + 30 * 24 * H)
    summary = status_summary([], [rolling, later, window("CHG-3")], now=START)
    assert [m.change_id for m in summary.maintenances] == ["CHG-3"]


def test_maintenances_are_in_order_of_start_then_public_id():
    later = window("CHG-1", start=START + 24 * H)
    summary = status_summary([], [later, window("CHG-9")], now=START - H)
    assert [m.change_id for m in summary.maintenances] == ["CHG-9", "CHG-1"]
    same = [window(f"CHG-{n}") for n in range(1, 5)]
    summary = status_summary([], same, now=START - H)
    assert [m.id for m in summary.maintenances] == sorted(
        digest("maintenance", f"CHG-{n}", "2026-03-15T06:00:00Z") for n in range(1, 5)
    )


def test_a_window_in_another_zone_is_shown_in_utc():
    paris = dt.timezone(dt.timedelta(hours=1))
    plan = window(start=START.astimezone(paris))
    (shown,) = status_summary([], [plan], now=START).maintenances
    assert shown.scheduled_for.utcoffset() == dt.timedelta(0)
    assert shown.scheduled_until.utcoffset() == dt.timedelta(0)
    assert shown.id == digest("maintenance", "CHG-7", "2026-03-15T06:00:00Z")


def test_the_policy_notice_sets_when_a_window_is_announced():
    policy = policy_with('[maintenance]\nnotice = "48h"\n')
    plan = window()
    assert status_summary([], [plan], policy, now=START - 49 * H).maintenances == ()
    (shown,) = status_summary([], [plan], policy, now=START - 48 * H).maintenances
    assert shown.announced_at == START - 48 * H


# --- the Statuspage documents -------------------------------------------------------------------

URL = "https://status.example.com/"
PAGE_ID = digest("page", "CustomerNode")


def published() -> rp.Policy:
    return policy_with(f'[status_page]\nurl = "{URL}"\n')


def component_doc(name: str, position: int, status: str, stamp: str) -> dict:
    defaults = {c.name: c for c in POLICY.status_page.components}
    return {
        "id": component_id(name),
        "name": name,
        "status": status,
        "created_at": stamp,
        "updated_at": stamp,
        "position": position,
        "description": defaults[name].description,
        "showcase": False,
        "start_date": None,
        "group_id": None,
        "page_id": PAGE_ID,
        "group": False,
        "only_show_if_degraded": False,
    }


def update_doc(parent: str, update_id: str, status: str, body: str, stamp: str) -> dict:
    return {
        "id": update_id,
        "status": status,
        "body": body,
        "incident_id": parent,
        "created_at": stamp,
        "updated_at": stamp,
        "display_at": stamp,
        "affected_components": None,
        "deliver_notifications": True,
        "custom_tweet": None,
        "tweet_id": None,
    }


def test_the_summary_document_of_an_open_incident_exactly():
    log = [*opened("SEV-2"), public("p1", 12, "Exports are slow.", components={"api"})]
    summary = status_summary([replay(log)], policy=published(), now=at(20))
    incident_id = digest("incident", "INC-1")
    api = component_doc("API", 3, "partial_outage", "2026-03-08T06:00:00Z")
    calm = "2026-03-08T06:12:00Z"  # untouched components show the page's updated_at
    assert statuspage_json(summary) == {
        "page": {
            "id": PAGE_ID,
            "name": "CustomerNode",
            "url": URL,
            "time_zone": "UTC",
            "updated_at": calm,
        },
        "components": [
            component_doc("Sign-in", 1, "operational", calm),
            component_doc("Web application", 2, "operational", calm),
            api,
            component_doc("Notifications", 4, "operational", calm),
            component_doc("Reports and exports", 5, "operational", calm),
        ],
        "incidents": [
            {
                "id": incident_id,
                "name": "Sign-in errors",
                "status": "investigating",
                "created_at": "2026-03-08T06:00:00Z",
                "updated_at": "2026-03-08T06:12:00Z",
                "monitoring_at": None,
                "resolved_at": None,
                "impact": "major",
                "shortlink": f"https://status.example.com/incidents/{incident_id}",
                "started_at": "2026-03-08T06:00:00Z",
                "page_id": PAGE_ID,
                "incident_updates": [
                    update_doc(
                        incident_id,
                        digest("update", "INC-1", "p1"),
                        "investigating",
                        "Exports are slow.",
                        "2026-03-08T06:12:00Z",
                    ),
                    update_doc(
                        incident_id,
                        digest("update", "INC-1", "e1"),
                        "investigating",
                        WORDING.investigating,
                        "2026-03-08T06:00:00Z",
                    ),
                ],
                "components": [api],
            }
        ],
        "scheduled_maintenances": [],
        "status": {"indicator": "major", "description": "Partial System Outage"},
    }


def test_a_restored_incident_document_has_its_times():
    log = [
        *opened("SEV-1"),
        Recovered(id="e3", at=at(20)),
        Validated(id="e4", at=at(25)),
        Resolved(id="e5", at=at(30)),
    ]
    summary = status_summary([replay(log)], now=at(40))
    assert statuspage_json(summary)["incidents"] == []
    (incident,) = statuspage_json(summary, "incidents")["incidents"]
    assert incident["monitoring_at"] == "2026-03-08T06:20:00Z"
    assert incident["resolved_at"] == "2026-03-08T06:30:00Z"
    assert incident["updated_at"] == "2026-03-08T06:30:00Z"
    assert incident["shortlink"] == ""
    assert incident["impact"] == "critical"
    assert [u["status"] for u in incident["incident_updates"]] == [
        "resolved",
        "monitoring",
        "investigating",
    ]
    assert [c["updated_at"] for c in incident["components"]] == ["2026-03-08T06:20:00Z"] * 3


def test_a_component_without_a_description_shows_null():
    policy = policy_with(components(("API", True)))
    summary = status_summary([], policy=policy, now=at(0))
    (component,) = statuspage_json(summary, "components")["components"]
    assert component["description"] is None
    assert component["created_at"] == "2026-03-08T06:00:00Z"


def maintenance_doc(plan: MaintenancePlan, status: str, statuses_newest_first: list) -> dict:
    """The document of ``plan`` while a window is in progress (the core is under maintenance)."""
    start = plan.start
    maintenance_id = digest("maintenance", plan.change_id, start.strftime("%Y-%m-%dT%H:%M:%SZ"))
    stamps = {
        "scheduled": start - 168 * H,
        "in_progress": start,
        "completed": start + 2 * H,
    }
    bodies = {
        "scheduled": WORDING.scheduled,
        "in_progress": WORDING.in_progress,
        "completed": WORDING.completed,
    }
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    core = [component_doc(n, p, "under_maintenance", "") for p, n in enumerate(CORE, start=1)]
    return {
        "id": maintenance_id,
        "name": "Scheduled maintenance",
        "status": status,
        "created_at": (start - 168 * H).strftime(fmt),
        "updated_at": stamps[status].strftime(fmt),
        "monitoring_at": None,
        "resolved_at": (start + 2 * H).strftime(fmt) if status == "completed" else None,
        "impact": "maintenance",
        "shortlink": f"https://status.example.com/incidents/{maintenance_id}",
        "started_at": start.strftime(fmt),
        "page_id": PAGE_ID,
        "incident_updates": [
            update_doc(
                maintenance_id,
                digest("update", maintenance_id, s),
                s,
                bodies[s],
                stamps[s].strftime(fmt),
            )
            for s in statuses_newest_first
        ],
        "components": core,
        "scheduled_for": start.strftime(fmt),
        "scheduled_until": (start + 2 * H).strftime(fmt),
    }


def without_stamps(documents: list) -> list:
    for document in documents:
        for component in document["components"]:
            component["created_at"] = component["updated_at"] = ""
    return documents


def test_the_maintenance_documents_exactly():
    done = window("CHG-1", start=START - 4 * H)
    active = window("CHG-2", start=START - H)
    upcoming = window("CHG-3", start=START + 24 * H)
    summary = status_summary([], [upcoming, done, active], published(), now=START)
    every = [
        maintenance_doc(done, "completed", ["completed", "in_progress", "scheduled"]),
        maintenance_doc(active, "in_progress", ["in_progress", "scheduled"]),
        maintenance_doc(upcoming, "scheduled", ["scheduled"]),
    ]

    def documents(endpoint: str) -> list:
        return without_stamps(statuspage_json(summary, endpoint)["scheduled_maintenances"])

    assert documents("scheduled-maintenances") == every
    assert documents("scheduled-maintenances/upcoming") == [every[2]]
    assert documents("scheduled-maintenances/active") == [every[1]]
    assert documents("summary") == [every[1], every[2]]
    assert statuspage_json(summary)["status"] == {
        "indicator": "none",
        "description": "Service Under Maintenance",
    }


def test_the_summary_lists_active_maintenances_before_upcoming_ones():
    active = window("CHG-2", start=START - H)
    upcoming = window("CHG-3", start=START + H)
    summary = status_summary([], [upcoming, active], now=START)
    listed = statuspage_json(summary)["scheduled_maintenances"]
    assert [m["status"] for m in listed] == ["in_progress", "scheduled"]


@pytest.mark.parametrize(
    ("endpoint", "keys"),
    [
        (Endpoint.SUMMARY, ["components", "incidents", "page", "scheduled_maintenances", "status"]),
        ("status", ["page", "status"]),
        ("COMPONENTS", ["components", "page"]),
        ("incidents", ["incidents", "page"]),
        (" incidents/unresolved ", ["incidents", "page"]),
        ("scheduled-maintenances", ["page", "scheduled_maintenances"]),
        ("scheduled-maintenances/upcoming", ["page", "scheduled_maintenances"]),
        ("scheduled-maintenances/active", ["page", "scheduled_maintenances"]),
    ],
)
def test_each_endpoint_holds_only_its_part(endpoint, keys):
    summary = status_summary([replay(opened())], [window()], now=START)
    document = statuspage_json(summary, endpoint)
    assert sorted(document) == keys
    full = statuspage_json(summary)
    for key in keys:
        if key in ("page", "components", "status"):
            assert document[key] == full[key]


def test_the_incidents_endpoints_differ_only_in_the_resolved_ones():
    done = replay(
        [
            *opened(incident_id="INC-1"),
            Recovered(id="e3", at=at(20)),
            Validated(id="e4", at=at(25)),
            Resolved(id="e5", at=at(30)),
        ]
    )
    open_one = replay(opened(incident_id="INC-2"))
    summary = status_summary([done, open_one], now=at(40))
    every = statuspage_json(summary, "incidents")["incidents"]
    assert [i["id"] for i in every] == [digest("incident", n) for n in ("INC-2", "INC-1")]
    unresolved = statuspage_json(summary, Endpoint.UNRESOLVED)["incidents"]
    assert unresolved == [every[0]]
    assert statuspage_json(summary)["incidents"] == [every[0]]


# --- Atom ---------------------------------------------------------------------------------------


@pytest.fixture
def rendered(monkeypatch) -> list:
    feeds: list = []

    def render(feed):
        feeds.append(feed)
        return "<feed/>"

    monkeypatch.setattr(_atom, "render", render)
    return feeds


def test_the_atom_feed_of_a_published_page_exactly(rendered):
    policy = policy_with(
        f'[status_page]\nurl = "{URL}"\n[calendar]\ntime_zone = "America/New_York"\n'
    )
    log = [*opened(title="Errors & <timeouts>"), public("p1", 12, "Retry 'later' <now> & \"x\"")]
    plan = window(start=at(60), hours=1)
    summary = status_summary([replay(log)], [plan], policy, now=at(130))
    assert atom_feed(summary) == "<feed/>"
    (feed,) = rendered
    incident_id = digest("incident", "INC-1")
    maintenance_id = digest("maintenance", "CHG-7", "2026-03-08T07:00:00Z")
    assert feed == _atom.AtomFeed(
        id="https://status.example.com",
        title="CustomerNode status",
        subtitle="Partial System Outage",
        updated=at(120),
        author="CustomerNode",
        entries=(
            _atom.AtomEntry(
                id=f"https://status.example.com/maintenances/{maintenance_id}",
                title="Scheduled maintenance",
                published=at(60) - 168 * H,
                updated=at(120),
                content_html=(
                    "<p><small>Mar 08, 2026 04:00 EDT</small><br><strong>Completed</strong>"
                    f" - {WORDING.completed}</p>"
                    "<p><small>Mar 08, 2026 03:00 EDT</small><br><strong>In progress</strong>"
                    f" - {WORDING.in_progress}</p>"
                    "<p><small>Mar 01, 2026 02:00 EST</small><br><strong>Scheduled</strong>"
                    " - Maintenance is scheduled; some customers may see downtime during the "
                    "window.</p>"
                ),
                link=f"https://status.example.com/incidents/{maintenance_id}",
            ),
            _atom.AtomEntry(
                id=f"https://status.example.com/incidents/{incident_id}",
                title="Errors & <timeouts>",
                published=at(0),
                updated=at(12),
                content_html=(
                    "<p><small>Mar 08, 2026 01:12 EST</small><br><strong>Investigating</strong>"
                    " - Retry &#x27;later&#x27; &lt;now&gt; &amp; &quot;x&quot;</p>"
                    "<p><small>Mar 08, 2026 01:00 EST</small><br><strong>Investigating</strong>"
                    f" - {WORDING.investigating}</p>"
                ),
                link=f"https://status.example.com/incidents/{incident_id}",
            ),
        ),
        link=URL,
    )


def test_an_unpublished_page_has_urn_ids_and_no_links(rendered):
    summary = status_summary([replay(opened())], [window()], now=START)
    atom_feed(summary)
    (feed,) = rendered
    base = f"urn:reliability-policy:status-page:{PAGE_ID}"
    assert feed.id == base
    assert feed.link == ""
    assert [(e.id, e.link) for e in feed.entries] == [
        (f"{base}:maintenances:{summary.maintenances[0].id}", ""),
        (f"{base}:incidents:{summary.incidents[0].id}", ""),
    ]


def test_atom_entries_are_newest_changed_first_then_by_id(rendered):
    same = [replay(opened(incident_id=f"INC-{n}")) for n in range(1, 5)]
    later = replay(
        [
            Detected(id="f1", at=at(5), incident_id="INC-9"),
            Triaged(id="f2", at=at(6), severity="SEV-1", tenants={"acme"}),
        ]
    )
    summary = status_summary([later, *same], now=at(20))
    atom_feed(summary)
    (feed,) = rendered
    ids = [digest("incident", f"INC-{n}") for n in range(1, 5)]
    assert [e.id.rsplit(":", 1)[1] for e in feed.entries] == [
        digest("incident", "INC-9"),
        *sorted(ids, reverse=True),
    ]


def test_the_real_atom_feed_escapes_and_names_the_page():
    log = [*opened(title="Errors <b>"), public("p1", 12, "Retry <now>")]
    feed = atom_feed(status_summary([replay(log)], now=at(20)))
    assert "<title>CustomerNode status</title>" in feed
    assert "<b>" not in feed
    assert "<now>" not in feed


def test_only_the_trailing_slash_of_the_page_url_is_dropped(rendered):
    # a page address whose path ends in a letter keeps it in every link built from it
    policy = policy_with('[status_page]\nurl = "https://status.example.com/pageX/"\n')
    summary = status_summary([replay(list(opened("SEV-2")))], policy=policy, now=at(20))
    incident_id = digest("incident", "INC-1")
    (incident,) = statuspage_json(summary)["incidents"]
    assert incident["shortlink"] == f"https://status.example.com/pageX/incidents/{incident_id}"
    atom_feed(summary)
    (feed,) = rendered
    assert feed.id == "https://status.example.com/pageX"
