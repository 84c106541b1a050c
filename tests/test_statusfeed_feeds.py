"""The feeds as their readers see them: the Statuspage shape (a JSON Schema kept in
``tests/schemas``) and Atom (parsed with feedparser)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import pathlib

import feedparser
import jsonschema
import pytest
from hypothesis import given

import reliability_policy as rp
from reliability_policy import testing
from reliability_policy.eventlog import load_events
from reliability_policy.lifecycle import NotificationSent, replay
from reliability_policy.maintenance import MaintenancePlan
from reliability_policy.statusfeed import Endpoint, atom_feed, status_summary, statuspage_json

ROOT = pathlib.Path(__file__).parent.parent
SEV1 = ROOT / "examples" / "sev1-platform-outage.jsonl"
SECURITY = ROOT / "examples" / "security-incident.jsonl"
SCHEMA = json.loads(
    (pathlib.Path(__file__).parent / "schemas" / "statuspage-v2.schema.json").read_text()
)
DOCUMENT = {
    Endpoint.SUMMARY: "summary",
    Endpoint.STATUS: "status_document",
    Endpoint.COMPONENTS: "components_document",
    Endpoint.INCIDENTS: "incidents_document",
    Endpoint.UNRESOLVED: "incidents_document",
    Endpoint.MAINTENANCES: "scheduled_maintenances_document",
    Endpoint.UPCOMING: "scheduled_maintenances_document",
    Endpoint.ACTIVE: "scheduled_maintenances_document",
}
H = dt.timedelta(hours=1)


def validate(document: dict, endpoint: Endpoint) -> None:
    schema = {**SCHEMA, "$ref": f"#/$defs/{DOCUMENT[endpoint]}"}
    jsonschema.Draft202012Validator(schema).validate(json.loads(json.dumps(document)))


def sev1_instants() -> list[dt.datetime]:
    events = load_events(SEV1)
    instants = sorted({e.at for e in events})
    between = [a + (b - a) / 2 for a, b in itertools.pairwise(instants)]
    return [instants[0] - H, *instants, *between]


def sev1_with_public_updates() -> rp.Incident:
    events = list(load_events(SEV1))
    updates = [
        NotificationSent(
            id=f"sp-{n}",
            at=events[index].at,
            channel="status_page",
            kind="update",
            audience="status_page",
            text=text,
            components=components,
        )
        for n, (index, text, components) in enumerate(
            [
                (2, "Sign-in and the data API are down for every customer.", {"Sign-in", "API"}),
                (6, "Writes are paused; reads are served from the standby region.", set()),
                (12, "Writes have resumed; we are watching closely.", set()),
            ]
        )
    ]
    for offset, update in enumerate(updates):
        index = [2, 6, 12][offset] + offset + 1
        events.insert(index, update)
    return replay(events)


# --- the Statuspage shape ---------------------------------------------------------------------


def test_the_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("endpoint", list(Endpoint))
def test_the_sev1_example_validates_against_the_statuspage_shape(endpoint):
    incident = replay(load_events(SEV1))
    for now in sev1_instants():
        validate(statuspage_json(status_summary([incident], now=now), endpoint), endpoint)


@pytest.mark.parametrize("endpoint", list(Endpoint))
def test_a_busy_page_validates_too(endpoint):
    policy = rp.loads_policy(
        'schema_version = 1\n[status_page]\nurl = "https://status.example.com"\n'
        'severities = ["SEV-1", "SEV-2", "SEV-3"]\n'
    )
    start = dt.datetime(2026, 5, 5, 9, 0, tzinfo=dt.UTC)
    plan = MaintenancePlan(
        "CHG-1",
        ("acme",),
        start - 400 * H,
        "maintenance-window",
        "slot",
        start=start,
        end=start + 2 * H,
        notice_deadline=start - 168 * H,
        reminder_at=start - 24 * H,
    )
    later = MaintenancePlan(
        "CHG-2",
        ("globex",),
        start,
        "maintenance-window",
        "slot",
        start=start + 48 * H,
        end=start + 50 * H,
        notice_deadline=start + 48 * H - 168 * H,
        reminder_at=start + 48 * H - 24 * H,
    )
    incidents = [sev1_with_public_updates(), replay(load_events(SECURITY))]
    for now in [start + H, dt.datetime(2026, 3, 8, 7, 0, tzinfo=dt.UTC)]:
        summary = status_summary(incidents, [plan, later], policy, now=now)
        validate(statuspage_json(summary, endpoint), endpoint)


def test_the_sev1_summary_document_mid_incident():
    summary = status_summary(
        [sev1_with_public_updates()], now=dt.datetime(2026, 3, 8, 7, 50, tzinfo=dt.UTC)
    )
    document = statuspage_json(summary)
    assert document["status"] == {"indicator": "critical", "description": "Major System Outage"}
    (incident,) = document["incidents"]
    assert incident["status"] == "identified"
    assert [c["name"] for c in incident["components"]] == ["Sign-in", "API"]
    assert [u["body"] for u in incident["incident_updates"]][:2] == [
        "Writes are paused; reads are served from the standby region.",
        "The issue has been identified and a fix is being implemented.",
    ]
    assert {c["name"]: c["status"] for c in document["components"]} == {
        "Sign-in": "major_outage",
        "Web application": "operational",
        "API": "major_outage",
        "Notifications": "operational",
        "Reports and exports": "operational",
    }


@given(testing.status_summaries())
def test_every_generated_summary_validates_against_the_statuspage_shape(summary):
    for endpoint in Endpoint:
        validate(statuspage_json(summary, endpoint), endpoint)


# --- Atom ---------------------------------------------------------------------------------------


def test_the_sev1_atom_feed_parses():
    summary = status_summary(
        [sev1_with_public_updates()], now=dt.datetime(2026, 3, 12, 16, 5, tzinfo=dt.UTC)
    )
    parsed = feedparser.parse(atom_feed(summary))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title == "CustomerNode status"
    assert parsed.feed.subtitle == "All Systems Operational"
    assert parsed.feed.id == f"urn:reliability-policy:status-page:{summary.page_id}"
    (entry,) = parsed.entries
    assert entry.title == "Sign-in and data API down across the platform"
    assert entry.id.endswith(summary.incidents[0].id)
    assert entry.updated_parsed[:5] == (2026, 3, 8, 9, 0)
    assert entry.published_parsed[:5] == (2026, 3, 8, 6, 10)
    content = entry.content[0]
    assert content.type == "text/html"
    assert content.value.index("Resolved") < content.value.index("Investigating")
    assert "Writes have resumed; we are watching closely." in content.value
    assert "Mar 08, 2026 06:10 UTC" in content.value


def test_a_page_with_maintenances_and_a_url_parses_with_links():
    policy = rp.loads_policy(
        'schema_version = 1\n[status_page]\nurl = "https://status.example.com"\n'
        '[calendar]\ntime_zone = "America/New_York"\n'
    )
    start = dt.datetime(2026, 3, 15, 6, 0, tzinfo=dt.UTC)
    plan = MaintenancePlan(
        "CHG-1",
        ("acme",),
        start - 400 * H,
        "maintenance-window",
        "slot",
        start=start,
        end=start + 2 * H,
        notice_deadline=start - 168 * H,
        reminder_at=start - 24 * H,
    )
    incident = replay(load_events(SEV1))
    summary = status_summary([incident], [plan], policy, now=start + H)
    parsed = feedparser.parse(atom_feed(summary))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert [e.title for e in parsed.entries] == [
        "Scheduled maintenance",
        "Sign-in and data API down across the platform",
    ]
    assert parsed.feed.link == "https://status.example.com"
    assert parsed.entries[0].link.startswith("https://status.example.com/incidents/")
    assert "In progress" in parsed.entries[0].content[0].value
    assert "EDT" in parsed.entries[0].content[0].value  # the page's zone


def test_an_empty_page_is_an_empty_feed():
    parsed = feedparser.parse(
        atom_feed(status_summary([], now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)))
    )
    assert not parsed.bozo
    assert parsed.entries == []


@given(testing.status_summaries())
def test_every_generated_atom_feed_parses(summary):
    parsed = feedparser.parse(atom_feed(summary))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert len(parsed.entries) == len(summary.incidents) + len(summary.maintenances)
