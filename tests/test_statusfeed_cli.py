"""``reliability-policy status-feed LOG... [--plans FILE] --format statuspage|atom``."""

from __future__ import annotations

import datetime as dt
import json
import pathlib

import feedparser
import jsonschema
from click.testing import CliRunner, Result

from reliability_policy.cli import main
from reliability_policy.eventlog import dumps_events
from reliability_policy.lifecycle import Detected, NotificationSent, Triaged

ROOT = pathlib.Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"
SEV1 = EXAMPLES / "sev1-platform-outage.jsonl"
SECURITY = EXAMPLES / "security-incident.jsonl"
SCHEMA = json.loads(
    (pathlib.Path(__file__).parent / "schemas" / "statuspage-v2.schema.json").read_text()
)
MID = "2026-03-08T07:50:00Z"
T0 = dt.datetime(2026, 3, 8, 6, 0, tzinfo=dt.UTC)


def run(*args: object) -> Result:
    return CliRunner(env={"COLUMNS": "80"}).invoke(main, [str(a) for a in args])


def _log_naming_a_tenant(tmp_path: pathlib.Path) -> pathlib.Path:
    path = tmp_path / "incident.jsonl"
    events = [
        Detected(id="e1", at=T0, incident_id="INC-9", title="Exports fail"),
        Triaged(id="e2", at=T0 + dt.timedelta(minutes=5), severity="SEV-2", tenants={"acme"}),
        NotificationSent(
            id="e3",
            at=T0 + dt.timedelta(minutes=9),
            channel="status_page",
            kind="update",
            audience="status_page",
            text="Acme's exports fail; a fix is coming.",
        ),
    ]
    path.write_text(dumps_events(events), encoding="utf-8")
    return path


def _plan(tmp_path: pathlib.Path, *extra: str) -> pathlib.Path:
    result = run(
        "plan-maintenance",
        EXAMPLES / "maintenance-request.toml",
        "--tenants",
        EXAMPLES / "maintenance-tenants.toml",
        "--now",
        "2026-02-20T00:00:00Z",
        "--format",
        "json",
        *extra,
    )
    assert result.exit_code == 0, result.output
    path = tmp_path / "plan.json"
    path.write_text(result.stdout, encoding="utf-8")
    return path


def test_the_table_for_people_in_80_columns():
    result = run("status-feed", SEV1, "--now", MID)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "As of --now, 03-08 07:50 UTC."
    assert lines[1] == "CustomerNode: Major System Outage (indicator critical)"
    assert all(len(line) <= 80 for line in lines)
    assert "│ Sign-in (core)         │ major_outage │ 03-08 06:10 UTC │" in result.output
    assert "INC-3001" in result.output
    assert "identified" in result.output


def test_the_table_shows_local_times_beside_utc_with_tz():
    result = run("status-feed", SEV1, "--now", MID, "--tz", "America/New_York")
    assert result.exit_code == 0, result.output
    assert "03-08 03:50 EDT (07:50Z)" in result.output.splitlines()[0]
    assert "Times in America/New_York, with UTC (Z)." in result.output


def test_statuspage_output_validates_for_every_endpoint():
    for endpoint in ("summary", "incidents", "components", "scheduled-maintenances/active"):
        result = run(
            "status-feed", SEV1, "--now", MID, "--format", "statuspage", "--endpoint", endpoint
        )
        assert result.exit_code == 0, result.output
        document = json.loads(result.stdout)
        name = {
            "summary": "summary",
            "incidents": "incidents_document",
            "components": "components_document",
            "scheduled-maintenances/active": "scheduled_maintenances_document",
        }[endpoint]
        jsonschema.Draft202012Validator({**SCHEMA, "$ref": f"#/$defs/{name}"}).validate(document)


def test_atom_output_parses():
    result = run("status-feed", SEV1, SECURITY, "--now", MID, "--format", "atom")
    assert result.exit_code == 0, result.output
    parsed = feedparser.parse(result.stdout)
    assert not parsed.bozo
    assert [e.title for e in parsed.entries] == ["Sign-in and data API down across the platform"]


def test_json_output_is_the_summary_with_its_findings(tmp_path):
    result = run(
        "status-feed",
        _log_naming_a_tenant(tmp_path),
        "--now",
        "2026-03-08T06:30:00Z",
        "--format",
        "json",
    )
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1
    assert data["as_of"] == "2026-03-08T06:30:00Z"
    assert data["incidents"][0]["incident_id"] == "INC-9"
    assert [f["rule"] for f in data["findings"]] == ["public-text-names-tenant"]


def test_a_text_naming_a_tenant_is_a_finding_and_exits_1(tmp_path):
    log = _log_naming_a_tenant(tmp_path)
    result = run("status-feed", log, "--now", "2026-03-08T06:30:00Z", "--format", "statuspage")
    assert result.exit_code == 1
    assert "acme" not in result.stdout.casefold()
    assert (
        "finding [public-text-names-tenant]: public update e3 of incident INC-9 names tenant acme"
        in result.stderr
    )
    table = run("status-feed", log, "--now", "2026-03-08T06:30:00Z")
    assert table.exit_code == 1
    assert "breach [public-text-names-tenant]" in table.output
    zero = run("status-feed", log, "--now", "2026-03-08T06:30:00Z", "--exit-zero")
    assert zero.exit_code == 0


def test_plans_from_plan_maintenance_show_as_maintenances(tmp_path):
    plan = _plan(tmp_path)
    result = run(
        "status-feed", "--plans", plan, "--now", "2026-03-15T07:00:00Z", "--format", "statuspage"
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    (maintenance,) = document["scheduled_maintenances"]
    assert maintenance["status"] == "in_progress"
    assert maintenance["scheduled_for"] == "2026-03-15T06:00:00Z"
    assert document["status"]["description"] == "Service Under Maintenance"
    assert "CHG-1042" not in result.stdout
    assert "acme" not in result.stdout
    table = run("status-feed", "--plans", plan, "--now", "2026-03-15T07:00:00Z")
    assert "CHG-1042" in table.output
    assert "under_maintenance" in table.output


def test_a_rolling_plan_shows_nothing(tmp_path):
    path = tmp_path / "request.toml"
    path.write_text(
        'schema_version = 1\nchange_id = "CHG-5"\ndowntime = false\ntenants = ["acme"]\n'
        "earliest_start = 2026-03-01T00:00:00Z\nlatest_start = 2026-03-02T00:00:00Z\n"
    )
    result = run("plan-maintenance", path, "--now", "2026-02-20T00:00:00Z", "--format", "json")
    assert result.exit_code == 0, result.output
    plan = tmp_path / "rolling.json"
    plan.write_text(result.stdout, encoding="utf-8")
    feed = run("status-feed", "--plans", plan, "--now", "2026-03-01T01:00:00Z", "--format", "json")
    assert feed.exit_code == 0, feed.output
    assert json.loads(feed.stdout)["maintenances"] == []


def test_waves_are_read_too(tmp_path):
    result = run(
        "plan-maintenance",
        EXAMPLES / "maintenance-waves.toml",
        "--tenants",
        EXAMPLES / "maintenance-waves-tenants.toml",
        "--now",
        "2026-02-20T00:00:00Z",
        "--waves",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    path = tmp_path / "waves.json"
    path.write_text(result.stdout, encoding="utf-8")
    feed = run("status-feed", "--plans", path, "--now", "2026-04-11T21:00:00Z", "--format", "json")
    assert feed.exit_code == 0, feed.output
    statuses = [m["status"] for m in json.loads(feed.stdout)["maintenances"]]
    assert statuses == ["in_progress", "scheduled"]


def test_now_defaults_to_the_current_time():
    result = run("status-feed", SEV1)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("As of the current time, ")


def test_errors_name_the_argument(tmp_path):
    missing = run("status-feed", tmp_path / "nope.jsonl", "--now", MID)
    assert missing.exit_code == 2
    assert "error: LOG...: expected a readable file" in missing.stderr
    twice = run("status-feed", SEV1, SEV1, "--now", MID)
    assert twice.exit_code == 2
    assert "error: LOG...: expected one log per incident (INC-3001 is also in" in twice.stderr
    naive = run("status-feed", SEV1, "--now", "2026-03-08T07:50:00")
    assert naive.exit_code == 2
    assert "error: --now: expected an instant with an offset or Z" in naive.stderr
    no_plan = run("status-feed", "--plans", tmp_path / "plan.json", "--now", MID)
    assert no_plan.exit_code == 2
    assert "error: --plans: expected a readable file" in no_plan.stderr
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": 1, "change_id": "CHG-1", "start": "soon"}')
    broken = run("status-feed", "--plans", bad, "--now", MID)
    assert broken.exit_code == 2
    assert f"error: the maintenance plan {bad} has" in broken.stderr
    assert "$.start: expected an ISO 8601 instant" in broken.stderr
    assert "$.end: expected" in broken.stderr
    endpoint = run("status-feed", "--now", MID, "--format", "statuspage", "--endpoint", "history")
    assert endpoint.exit_code == 2
    assert "Invalid value for '--endpoint'" in endpoint.stderr


def test_help_names_the_formats_and_the_endpoints():
    result = run("status-feed", "--help")
    assert result.exit_code == 0
    assert "[table|json|statuspage|atom]" in result.output
    assert "scheduled-maintenances/upcoming" in result.output
