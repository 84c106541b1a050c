"""``reliability-policy continuity report``, ``continuity summary`` and ``dependencies``."""

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner

from reliability_policy.cli import main
from reliability_policy.continuity import (
    REQUIRED_SCENARIOS,
    BackupRun,
    ContinuityReport,
    ContinuitySummary,
    DependencyReport,
    HealthEvent,
    PlanReview,
    RestoreTest,
    ScenarioExercise,
    dumps_evidence,
    dumps_health_events,
)
from reliability_policy.serialization import loads

NOW = "2026-06-01T00:00:00Z"
T = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)


def evidence(*, rto_missed: bool = False) -> str:
    took = 9 * H if rto_missed else 3 * H
    records = [
        BackupRun(T - 2 * H, "primary-database", encrypted=True, stored_apart=True),
        BackupRun(T - 2 * H, "file-storage", encrypted=True, stored_apart=True),
        RestoreTest(
            T - 5 * D,
            "primary-database",
            recovery_point=T - 5 * D - H,
            duration=took,
            verified=True,
            note="SECRET-RUNBOOK-7",
        ),
        RestoreTest(T - 5 * D, "file-storage", recovery_point=T - 5 * D, duration=H, verified=True),
        PlanReview(T - 10 * D, by="cto", note="SECRET-REVIEW"),
        *(ScenarioExercise(T - 20 * D, sid, passed=True) for sid in REQUIRED_SCENARIOS),
    ]
    return dumps_evidence(records)


def run(tmp_path, text: str, *args: str, name: str = "evidence.jsonl"):
    """Run the command (its words first) on ``text`` written to a file, then the options."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    words = 1 if args[0] == "dependencies" else 2
    return CliRunner().invoke(main, [*args[:words], str(path), *args[words:]])


def test_report_compliant_exits_0(tmp_path) -> None:
    result = run(tmp_path, evidence(), "continuity", "report", "--now", NOW)
    assert result.exit_code == 0, result.output
    assert "0 breach(es)" in result.output
    assert "primary-database" in result.output


def test_report_with_a_breach_exits_1_and_json_round_trips(tmp_path) -> None:
    args = ("continuity", "report", "--now", NOW)
    result = run(tmp_path, evidence(rto_missed=True), *args, "--format", "json")
    assert result.exit_code == 1
    report = loads(result.output, ContinuityReport)
    assert [f.rule for f in report.findings] == ["rto-missed"]
    table = run(tmp_path, evidence(rto_missed=True), *args)
    assert table.exit_code == 1
    assert "rto-missed" in table.output
    assert "took 9h, more than the" in table.output
    assert run(tmp_path, evidence(rto_missed=True), *args, "--exit-zero").exit_code == 0


def test_report_uses_the_policy_option(tmp_path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(
        'schema_version = 1\n[[continuity.stores]]\nname = "primary-database"\nrpo = "24h"\n'
        'rto = "10h"\nbackup_interval = "24h"\nrestore_test_interval = "90d"\n',
        encoding="utf-8",
    )
    args = ("continuity", "report", "--now", NOW, "--policy", str(policy))
    result = run(tmp_path, evidence(rto_missed=True), *args, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [s["store"] for s in data["stores"]] == ["primary-database"]


def test_summary_markdown_and_json_hold_no_finding_or_note(tmp_path) -> None:
    args = ("continuity", "summary", "--now", NOW)
    markdown = run(tmp_path, evidence(rto_missed=True), *args)
    assert markdown.exit_code == 0
    assert markdown.output.startswith("# Business continuity summary\n")
    assert "| primary-database | 24h | 8h |" in markdown.output
    assert "| Loss of a critical subprocessor | 2026-05-12 |" in markdown.output
    as_json = run(tmp_path, evidence(rto_missed=True), *args, "--format", "json")
    assert as_json.exit_code == 0
    summary = loads(as_json.output, ContinuitySummary)
    assert len(summary.scenarios) == 3
    for output in (markdown.output, as_json.output):
        assert "SECRET" not in output
        assert "rto-missed" not in output
        assert "RTO missed" not in output


def test_a_bad_evidence_line_exits_2_naming_the_line(tmp_path) -> None:
    text = evidence() + '{"type": "backup", "at": "yesterday", "store": "x"}\n'
    result = run(tmp_path, text, "continuity", "report", "--now", NOW)
    assert result.exit_code == 2
    assert "line 9: at:" in result.output
    assert "Traceback" not in result.output


def test_a_missing_file_and_a_naive_now_exit_2(tmp_path) -> None:
    missing = CliRunner().invoke(main, ["continuity", "summary", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 2
    assert "readable file" in missing.output
    naive = run(tmp_path, evidence(), "continuity", "report", "--now", "2026-06-01T00:00:00")
    assert naive.exit_code == 2
    assert "--now" in naive.output


def test_default_now_is_the_current_time(tmp_path) -> None:
    # Evidence from 2026-06 judged today: whichever way, the command answers.
    result = run(tmp_path, evidence(), "continuity", "report", "--format", "json")
    assert result.exit_code in (0, 1)
    as_of = loads(result.output, ContinuityReport).as_of
    assert abs(as_of - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)


def health(*events: tuple[int, str, str]) -> str:
    return dumps_health_events(
        HealthEvent(T + dt.timedelta(minutes=m), name, status) for m, name, status in events
    )


def test_dependencies_show_fallbacks_and_the_classified_impact(tmp_path) -> None:
    log = health((0, "email-provider", "down"), (5, "cloud-provider", "degraded"))
    args = ("dependencies", "--now", "2026-06-01T01:00:00Z")
    result = run(tmp_path, log, *args, name="status.jsonl")
    assert result.exit_code == 0, result.output
    assert "notices on in_app count for it" in result.output
    assert "email-provider is SEV-3 [rule limited]" in result.output
    assert "cloud-provider is SEV-2 [rule core-wide-degradation]" in result.output
    as_json = run(tmp_path, log, *args, "--format", "json", name="status.jsonl")
    report = loads(as_json.output, DependencyReport)
    assert [c.channel.value for c in report.channel_fallbacks] == ["email"]


def test_dependencies_exit_1_on_a_breach_and_2_on_a_bad_line(tmp_path) -> None:
    args = ("dependencies", "--now", "2026-06-01T01:00:00Z")
    recovered = health((0, "ghost", "down"), (30, "ghost", "recovered"))
    fine = run(tmp_path, recovered, *args, name="status.jsonl")
    assert fine.exit_code == 0, fine.output
    assert "unknown-subprocessor" in fine.output
    down = run(tmp_path, health((0, "ghost", "down")), *args, name="status.jsonl")
    assert down.exit_code == 1, down.output
    assert "unknown-subprocessor" in down.output
    bad = run(tmp_path, '{"at": "2026-06-01T00:00:00Z"}\n', "dependencies", name="s.jsonl")
    assert bad.exit_code == 2
    assert "line 1: " in bad.output
    assert "Traceback" not in bad.output
