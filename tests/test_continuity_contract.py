"""The continuity contract at its edges: every refused value names its field, value and what was
expected; every finding its rule and a reason built from the same numbers; every boundary (a
backup exactly at its interval, a restore exactly at the RPO or RTO, a review exactly due) falls
on the documented side; the NDA summary says nothing else; the ``[continuity]`` section's
problems name their path, value and expectation."""

from __future__ import annotations

import datetime as dt
import json
import time

import attrs
import pytest

import reliability_policy as rp
from expect import config_problem, input_error, log_error
from reliability_policy import continuity
from reliability_policy.continuity import (
    BackupRun,
    HealthEvent,
    HealthState,
    PlanReview,
    RestoreTest,
    ScenarioExercise,
    continuity_report,
    continuity_summary,
    dependency_status,
    dumps_evidence,
    dumps_health_events,
    loads_evidence,
    loads_health_events,
)
from reliability_policy.findings import Finding, FindingLevel
from reliability_policy.levels import Channel, Impact
from reliability_policy.policy import Subprocessor
from reliability_policy.serialization import converter, dumps, loads

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
S = dt.timedelta(seconds=1)
M = dt.timedelta(minutes=1)
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)
DB = "primary-database"
FILES = "file-storage"
CLOUD, SUBPROCESSOR, OFFICE = continuity.REQUIRED_SCENARIOS
TITLES = {
    CLOUD: "Cloud infrastructure disruption",
    SUBPROCESSOR: "Loss of a critical subprocessor",
    OFFICE: "Loss of access to office or personnel infrastructure",
}
EVIDENCE_TYPES = "one of 'backup', 'restore_test', 'plan_review', 'scenario_exercise'"
RECORD_KINDS = "a BackupRun or RestoreTest or PlanReview or ScenarioExercise"


def iso(instant: dt.datetime) -> str:
    return instant.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def backup(at: dt.datetime, store: str = DB, *, encrypted=True, apart=True, note="") -> BackupRun:
    return BackupRun(at, store, encrypted=encrypted, stored_apart=apart, note=note)


def restore(
    at: dt.datetime,
    store: str = DB,
    *,
    loss: dt.timedelta = 2 * H,
    took: dt.timedelta = 3 * H,
    verified: bool = True,
    note: str = "",
) -> RestoreTest:
    return RestoreTest(
        at, store, recovery_point=at - loss, duration=took, verified=verified, note=note
    )


def exercise(
    at: dt.datetime, scenario: str, passed: bool = True, note: str = ""
) -> ScenarioExercise:
    return ScenarioExercise(at, scenario, passed=passed, note=note)


def plan_ok() -> list[object]:
    return [PlanReview(NOW - 30 * D), *(exercise(NOW - 40 * D, sid) for sid in TITLES)]


def healthy(*, but: type | None = None, store: str = DB) -> list[object]:
    """Evidence on which the default policy finds nothing; ``but`` leaves out the records of
    that type (for a backup or restore test, only ``store``'s)."""
    records = [
        backup(NOW - 2 * H),
        backup(NOW - 3 * H, FILES),
        restore(NOW - 10 * D),
        restore(NOW - 20 * D, FILES),
        *plan_ok(),
    ]
    return [r for r in records if not (type(r) is but and getattr(r, "store", store) == store)]


def primary(evidence, policy=None, now=NOW) -> continuity.StoreStatus:
    status = continuity_report(evidence, policy, now=now).store(DB)
    assert status is not None
    return status


def breach(rule: str, reason: str) -> Finding:
    return Finding(rule, None, reason, FindingLevel.BREACH)


def warning(rule: str, reason: str) -> Finding:
    return Finding(rule, None, reason, FindingLevel.WARNING)


# --- evidence records refuse wrong values, naming the field ------------------------------------


@pytest.mark.parametrize("value", ["yes", 1, None])
@pytest.mark.parametrize(
    ("field", "build"),
    [
        ("encrypted", lambda v: BackupRun(NOW, DB, encrypted=v, stored_apart=True)),
        ("stored_apart", lambda v: BackupRun(NOW, DB, encrypted=True, stored_apart=v)),
        ("verified", lambda v: RestoreTest(NOW, DB, recovery_point=NOW, duration=H, verified=v)),
        ("passed", lambda v: ScenarioExercise(NOW, CLOUD, passed=v)),
    ],
)
def test_a_flag_that_is_not_a_bool_names_the_field_and_value(field, build, value) -> None:
    with input_error(field, value=value, expected="true or false"):
        build(value)


@pytest.mark.parametrize("value", [dt.timedelta(0), -M, "2h", 7200, None])
def test_a_restore_duration_that_is_not_positive_elapsed_time_is_refused(value) -> None:
    with input_error("duration", value=value, expected="a positive elapsed duration such as '3h'"):
        RestoreTest(NOW, DB, recovery_point=NOW, duration=value, verified=True)


def test_the_shortest_positive_restore_duration_is_accepted() -> None:
    tick = dt.timedelta(microseconds=1)
    assert RestoreTest(NOW, DB, recovery_point=NOW, duration=tick, verified=True).duration == tick


def test_a_recovery_point_after_the_test_start_names_both_instants() -> None:
    with input_error(
        "recovery_point",
        value="2026-06-01T00:00:01Z",
        expected="an instant at or before the test's start (2026-06-01T00:00:00Z)",
    ):
        RestoreTest(NOW, DB, recovery_point=NOW + S, duration=H, verified=True)


def test_a_recovery_point_at_the_test_start_loses_no_data() -> None:
    test = RestoreTest(NOW, DB, recovery_point=NOW, duration=H, verified=True)
    assert test.data_loss == dt.timedelta(0)
    assert restore(NOW, loss=90 * M).data_loss == 90 * M


@pytest.mark.parametrize("value", ["sideways", "", 5, None])
def test_an_unknown_health_status_names_the_field_and_value(value) -> None:
    with input_error("status", value=value, expected="one of 'down', 'degraded', 'recovered'"):
        HealthEvent(NOW, "email-provider", value)


@pytest.mark.parametrize(
    ("text", "status"),
    [("down", "DOWN"), (" Degraded ", "DEGRADED"), ("RECOVERED", "RECOVERED")],
)
def test_a_health_status_is_read_from_its_name(text, status) -> None:
    assert HealthEvent(NOW, "x", text).status is continuity.HealthChange[status]


# --- backups: the interval in elapsed time, and every flawed run ------------------------------


def test_a_backup_exactly_at_its_interval_is_not_overdue() -> None:
    status = primary([*healthy(but=BackupRun), backup(NOW - 24 * H)])
    assert status.next_backup_due == NOW
    assert not status.backup_overdue
    assert status.compliant
    assert status.findings == ()


@pytest.mark.parametrize(
    ("late", "shown"),
    [
        (M, "1m"),
        (45 * M, "45m"),
        (2 * H, "2h"),
        (9 * H + 30 * M, "9h30m"),
        (25 * H + M, "25h1m"),
        (S, "PT1S"),
        (90 * S, "PT90S"),
    ],
)
def test_a_late_backup_reason_names_when_it_was_due_and_how_long_ago(late, shown) -> None:
    last = NOW - 24 * H - late
    status = primary([*healthy(but=BackupRun), backup(last)])
    assert status.backup_overdue
    assert status.next_backup_due == NOW - late
    reason = (
        f"the last backup of {DB} was at {iso(last)}; the next was due "
        f"{iso(NOW - late)} (every 24h), {shown} ago"
    )
    assert status.findings == (breach("backup-overdue", reason),)
    assert not status.compliant
    assert status.reason == f"{DB}: 1 finding(s): backup-overdue"


def test_a_store_never_backed_up_is_overdue_at_once() -> None:
    status = primary(healthy(but=BackupRun))
    assert status.last_backup is None
    assert status.next_backup_due is None
    assert status.backup_overdue
    assert status.findings == (
        breach("backup-overdue", f"no backup of {DB} on record (due every 24h)"),
    )


@pytest.mark.parametrize(
    ("encrypted", "apart", "rules"),
    [
        (False, True, ["backup-unencrypted"]),
        (True, False, ["backup-not-stored-apart"]),
        (False, False, ["backup-unencrypted", "backup-not-stored-apart"]),
    ],
)
def test_a_flawed_backup_is_a_breach_naming_the_store_and_time(encrypted, apart, rules) -> None:
    at = NOW - 30 * H
    status = primary([*healthy(), backup(at, encrypted=encrypted, apart=apart)])
    reasons = {
        "backup-unencrypted": f"the backup of {DB} at {iso(at)} is not encrypted at rest",
        "backup-not-stored-apart": (
            f"the backup of {DB} at {iso(at)} is not stored apart from the primary"
        ),
    }
    assert status.findings == tuple(breach(rule, reasons[rule]) for rule in rules)
    assert not status.compliant
    assert status.reason == f"{DB}: {len(rules)} finding(s): {', '.join(rules)}"


def test_flawed_backups_are_reported_oldest_first_and_rules_named_once() -> None:
    newer, older = NOW - 5 * H, NOW - 50 * H
    status = primary([*healthy(), backup(newer, apart=False), backup(older, apart=False)])
    assert [f.reason for f in status.findings] == [
        f"the backup of {DB} at {iso(older)} is not stored apart from the primary",
        f"the backup of {DB} at {iso(newer)} is not stored apart from the primary",
    ]
    assert status.reason == f"{DB}: 2 finding(s): backup-not-stored-apart"


@pytest.mark.parametrize("flawed_first", [True, False])
def test_at_equal_times_the_flawed_backup_is_the_latest(flawed_first) -> None:
    at = NOW - H
    good, bad = backup(at), backup(at, encrypted=False)
    runs = [bad, good] if flawed_first else [good, bad]
    assert primary([*healthy(but=BackupRun), *runs]).last_backup == bad


def test_an_older_backup_later_in_the_log_does_not_replace_the_newest() -> None:
    newest, older = backup(NOW - H, note="newest"), backup(NOW - 3 * H, note="older")
    status = primary([*healthy(but=BackupRun), newest, older])
    assert status.last_backup == newest
    assert status.next_backup_due == NOW + 23 * H
    assert primary([*healthy(but=BackupRun), older, newest]).last_backup == newest


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (backup(NOW - H, note="first"), backup(NOW - H, note="second")),
        (backup(NOW - H, encrypted=False), backup(NOW - H, apart=False)),
        (backup(NOW - H, apart=False), backup(NOW - H, encrypted=False)),
    ],
)
def test_of_two_backups_alike_at_one_time_the_later_line_is_the_latest(first, second) -> None:
    assert primary([*healthy(but=BackupRun), first, second]).last_backup == second


def test_of_two_restore_tests_alike_at_one_time_the_later_line_is_the_latest() -> None:
    first, second = restore(NOW - D, note="first"), restore(NOW - D, note="second")
    check = primary([*healthy(but=RestoreTest), first, second]).last_restore_test
    assert check is not None
    assert check.test == second


def test_a_newer_flawless_backup_after_a_flawed_one_is_the_latest() -> None:
    flawed, later = backup(NOW - 3 * H, encrypted=False), backup(NOW - H)
    status = primary([*healthy(but=BackupRun), flawed, later])
    assert status.last_backup == later
    assert primary([*healthy(but=BackupRun), later, flawed]).last_backup == later


def test_evidence_at_now_is_known_and_after_now_is_not() -> None:
    later = [backup(NOW + S, encrypted=False), PlanReview(NOW + S)]
    status = primary([*later, *healthy(but=BackupRun), backup(NOW), *later])
    assert status.last_backup == backup(NOW)
    assert status.findings == ()


# --- restore tests: the RPO, the RTO, verification and the calendar interval ------------------


def test_a_restore_exactly_at_the_rpo_and_rto_meets_both() -> None:
    status = primary([*healthy(but=RestoreTest), restore(NOW - D, loss=24 * H, took=8 * H)])
    check = status.last_restore_test
    assert check is not None
    assert (check.met_rpo, check.met_rto, check.met_objectives) == (True, True, True)
    assert status.findings == ()
    assert status.compliant


def test_a_restore_a_minute_past_the_rpo_misses_it_with_the_numbers() -> None:
    at = NOW - D
    status = primary([*healthy(but=RestoreTest), restore(at, loss=24 * H + M)])
    check = status.last_restore_test
    assert check is not None
    assert (check.met_rpo, check.met_rto, check.met_objectives) == (False, True, False)
    reason = (
        f"the restore test of {DB} at {iso(at)} recovered data from {iso(at - 24 * H - M)}: "
        "24h1m lost, more than the recovery point objective of 24h"
    )
    assert status.findings == (breach("rpo-missed", reason),)


def test_a_restore_a_minute_past_the_rto_misses_it_with_the_numbers() -> None:
    at = NOW - D
    status = primary([*healthy(but=RestoreTest), restore(at, took=8 * H + M)])
    check = status.last_restore_test
    assert check is not None
    assert (check.met_rpo, check.met_rto, check.met_objectives) == (True, False, False)
    reason = (
        f"the restore test of {DB} at {iso(at)} took 8h1m, "
        "more than the recovery time objective of 8h"
    )
    assert status.findings == (breach("rto-missed", reason),)


def test_an_unverified_restore_is_a_breach_though_it_met_the_objectives() -> None:
    at = NOW - D
    status = primary([*healthy(but=RestoreTest), restore(at, verified=False)])
    check = status.last_restore_test
    assert check is not None
    assert check.met_objectives
    reason = f"the restore test of {DB} at {iso(at)} was not verified"
    assert status.findings == (breach("restore-not-verified", reason),)
    assert not status.compliant
    assert status.reason == f"{DB}: 1 finding(s): restore-not-verified"


def test_a_compliant_store_reason_names_the_backup_test_objectives_and_due_date() -> None:
    status = primary(healthy())
    assert status.reason == (
        f"{DB}: backed up {iso(NOW - 2 * H)}; restore test {iso(NOW - 10 * D)} met RPO 24h "
        f"and RTO 8h; next test due {iso(NOW + 80 * D)}"
    )


def test_a_restore_test_exactly_at_its_interval_is_not_overdue() -> None:
    status = primary([*healthy(but=RestoreTest), restore(NOW - 90 * D)])
    assert status.next_test_due == NOW
    assert not status.test_overdue
    assert status.compliant


def test_a_restore_test_a_second_past_its_interval_is_overdue() -> None:
    at = NOW - 90 * D - S
    status = primary([*healthy(but=RestoreTest), restore(at)])
    assert status.test_overdue
    assert status.next_test_due == NOW - S
    reason = (
        f"the last restore test of {DB} was at {iso(at)}; the next was due "
        f"{iso(NOW - S)} (every 90d)"
    )
    assert status.findings == (breach("restore-test-overdue", reason),)


def test_a_store_never_tested_is_overdue_at_once() -> None:
    status = primary(healthy(but=RestoreTest))
    assert status.last_restore_test is None
    assert status.next_test_due is None
    assert status.test_overdue
    reason = f"no restore test of {DB} on record (due every 90d)"
    assert status.findings == (breach("restore-test-overdue", reason),)


def test_the_next_restore_test_is_due_in_the_policy_calendar_to_the_microsecond() -> None:
    policy = rp.loads_policy('schema_version = 1\n[calendar]\ntime_zone = "Europe/Berlin"\n')
    at = dt.datetime(2026, 2, 1, 10, 0, 7, 123456, tzinfo=dt.UTC)
    status = primary([restore(at)], policy, now=at)
    # 90 calendar days in Berlin cross the change to summer time: an hour less in UTC.
    due = dt.datetime(2026, 5, 2, 9, 0, 7, 123456, tzinfo=dt.UTC)
    assert status.next_test_due == due
    assert status.next_test_due.tzinfo is dt.UTC


@pytest.fixture
def tokyo_host(monkeypatch):
    """The machine's own time zone set to Asia/Tokyo for the test."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.skipif(not hasattr(time, "tzset"), reason="the host zone cannot be changed")
def test_due_dates_do_not_depend_on_the_host_time_zone(tokyo_host) -> None:
    at = dt.datetime(2026, 2, 1, 22, 30, tzinfo=dt.UTC)
    evidence = [restore(at), PlanReview(at), exercise(at, CLOUD)]
    report = continuity_report(evidence, now=at)
    status = report.store(DB)
    assert status is not None
    assert status.next_test_due == dt.datetime(2026, 5, 2, 22, 30, tzinfo=dt.UTC)
    assert report.plan.next_review_due == dt.datetime(2027, 2, 1, 22, 30, tzinfo=dt.UTC)
    assert scenario(report, CLOUD).next_due == dt.datetime(2027, 2, 1, 22, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize("worse_first", [True, False])
@pytest.mark.parametrize(
    ("better", "worse"),
    [
        # A failing test is worse than a passing one with more data lost.
        ({"loss": 20 * H}, {"loss": H, "verified": False}),
        # Both pass: more data lost is worse, whatever the duration.
        ({"loss": H, "took": 5 * H}, {"loss": 2 * H, "took": H}),
        # Both pass with equal loss: the longer restore is worse.
        ({"took": 2 * H}, {"took": 3 * H}),
        # A restore exactly at the RPO passes: a failing one with less data lost is worse.
        ({"loss": 24 * H}, {"loss": H, "verified": False}),
        # A restore exactly at the RTO passes: the other, with more data lost, is worse.
        ({"loss": H, "took": 8 * H}, {"loss": 2 * H, "took": H}),
        # Both fail the RTO alike: the unverified one is worse.
        ({"took": 9 * H}, {"took": 9 * H, "verified": False}),
    ],
)
def test_at_equal_times_the_worse_restore_test_is_judged(better, worse, worse_first) -> None:
    at = NOW - 5 * D
    good, bad = restore(at, note="better", **better), restore(at, note="worse", **worse)
    tests = [bad, good] if worse_first else [good, bad]
    check = primary([*healthy(but=RestoreTest), *tests]).last_restore_test
    assert check is not None
    assert check.test == bad


def test_an_older_restore_test_later_in_the_log_does_not_replace_the_newest() -> None:
    newest, older = restore(NOW - D), restore(NOW - 2 * D, took=9 * H)
    check = primary([*healthy(but=RestoreTest), newest, older]).last_restore_test
    assert check is not None
    assert check.test == newest


# --- evidence for stores or scenarios the policy does not list --------------------------------


def test_evidence_for_an_unknown_store_or_scenario_is_one_warning_per_name() -> None:
    evidence = [
        *healthy(),
        backup(NOW - H, "warehouse"),
        restore(NOW - D, "warehouse", took=20 * H),
        exercise(NOW - H, "alien", passed=False),
        exercise(NOW - 2 * H, "alien"),
        backup(NOW - H, "vault"),
    ]
    report = continuity_report(evidence, now=NOW)
    tail = "which the policy does not list; add it to the policy or correct the evidence"
    assert report.findings == (
        warning("unknown-store", f"evidence names the store 'warehouse', {tail}"),
        warning("unknown-scenario", f"evidence names the scenario 'alien', {tail}"),
        warning("unknown-store", f"evidence names the store 'vault', {tail}"),
    )
    assert report.compliant
    assert report.reason == (
        "2 data store(s), 3 scenario(s): 0 breach(es), 3 warning(s) as of 2026-06-01T00:00:00Z"
    )


def test_the_report_counts_breaches_and_warnings_and_lists_findings_in_order() -> None:
    evidence = [
        *healthy(but=BackupRun, store=FILES),
        exercise(NOW - H, "alien"),
        restore(NOW - D, took=9 * H),
    ]
    report = continuity_report(evidence, now=NOW)
    assert [f.rule for f in report.findings] == ["rto-missed", "backup-overdue", "unknown-scenario"]
    assert not report.compliant
    assert report.reason == (
        "2 data store(s), 3 scenario(s): 2 breach(es), 1 warning(s) as of 2026-06-01T00:00:00Z"
    )
    assert report.as_of == NOW
    assert report.schema_version == 1


def test_plan_findings_come_after_the_stores_and_before_unknown_evidence() -> None:
    evidence = [*healthy(but=PlanReview), exercise(NOW - H, "alien"), backup(NOW - D, "vault")]
    evidence.append(backup(NOW - D, encrypted=False))
    report = continuity_report(evidence, now=NOW)
    assert [f.rule for f in report.findings] == [
        "backup-unencrypted",
        "plan-review-overdue",
        "unknown-scenario",
        "unknown-store",
    ]


# --- bad inputs to the report ------------------------------------------------------------------


@pytest.mark.parametrize(
    "item", ["backup", None, {"type": "backup"}, HealthEvent(NOW, "x", "down")]
)
def test_an_item_that_is_not_evidence_names_its_index(item) -> None:
    with input_error("evidence[2]", value=item, expected="a continuity evidence record"):
        continuity_report([backup(NOW), PlanReview(NOW), item], now=NOW)


@pytest.mark.parametrize("evidence", ['{"type": "backup"}', b"backup"])
def test_log_text_is_not_taken_for_evidence(evidence) -> None:
    with input_error("evidence", value=evidence, expected="evidence records (see loads_evidence)"):
        continuity_report(evidence, now=NOW)
    with input_error("evidence", value=evidence, expected="evidence records (see loads_evidence)"):
        continuity_summary(evidence, now=NOW)


def test_a_naive_now_is_refused_by_name() -> None:
    naive = dt.datetime(2026, 6, 1)
    for judge in (continuity_report, continuity_summary, dependency_status):
        with input_error(
            "now", value=naive, expected="a timezone-aware datetime", kind=rp.NaiveDatetimeError
        ):
            judge([], now=naive)


# --- the plan: its review cycle and its scenarios ----------------------------------------------


def test_a_review_exactly_due_is_not_overdue() -> None:
    report = continuity_report([*healthy(but=PlanReview), PlanReview(NOW - 365 * D)], now=NOW)
    plan = report.plan
    assert plan.last_review == NOW - 365 * D
    assert plan.next_review_due == NOW
    assert not plan.review_overdue
    assert plan.findings == ()


def test_a_review_a_second_overdue_names_its_dates() -> None:
    last = NOW - 365 * D - S
    evidence = [*healthy(but=PlanReview), PlanReview(last)]
    plan = continuity_report(evidence, now=NOW).plan
    assert plan.review_overdue
    assert plan.next_review_due == NOW - S
    reason = (
        f"the continuity plan was last reviewed {iso(last)}; the next review was due "
        f"{iso(NOW - S)} (every 365d)"
    )
    assert plan.findings == (breach("plan-review-overdue", reason),)


def test_a_plan_never_reviewed_is_overdue_at_once() -> None:
    plan = continuity_report(healthy(but=PlanReview), now=NOW).plan
    assert (plan.last_review, plan.next_review_due, plan.review_overdue) == (None, None, True)
    reason = "no review of the continuity plan on record (due every 365d)"
    assert plan.findings == (breach("plan-review-overdue", reason),)


def test_the_latest_review_counts_whatever_the_order_of_the_log() -> None:
    newest, older = PlanReview(NOW - 10 * D, by="cto"), PlanReview(NOW - 400 * D, by="ceo")
    for order in ([newest, older], [older, newest]):
        evidence = healthy(but=PlanReview) + order
        plan = continuity_report(evidence, now=NOW).plan
        assert plan.last_review == NOW - 10 * D
        assert not plan.review_overdue


def scenario(report: continuity.ContinuityReport, sid: str) -> continuity.ScenarioStatus:
    (found,) = [s for s in report.plan.scenarios if s.scenario == sid]
    return found


def without_exercises() -> list[object]:
    return healthy(but=ScenarioExercise)


def test_a_scenario_validated_exactly_at_its_interval_is_still_validated() -> None:
    evidence = [*without_exercises(), *(exercise(NOW - 365 * D, sid) for sid in TITLES)]
    report = continuity_report(evidence, now=NOW)
    status = scenario(report, CLOUD)
    assert status.validated
    assert status.next_due == NOW
    assert status.last_validated == NOW - 365 * D
    assert status.title == TITLES[CLOUD]
    assert status.interval == rp.default_policy().continuity.plan.validation_interval
    assert status.reason == (
        f"'{TITLES[CLOUD]}' ({CLOUD}) validated {iso(NOW - 365 * D)}; next exercise due {iso(NOW)}"
    )
    assert report.plan.findings == ()


def test_a_scenario_a_second_past_its_interval_is_overdue() -> None:
    last = NOW - 365 * D - S
    evidence = [*without_exercises(), exercise(last, CLOUD), exercise(NOW - D, SUBPROCESSOR)]
    evidence.append(exercise(NOW - D, OFFICE))
    report = continuity_report(evidence, now=NOW)
    status = scenario(report, CLOUD)
    reason = (
        f"'{TITLES[CLOUD]}' ({CLOUD}) was last validated {iso(last)}; the next exercise was due "
        f"{iso(NOW - S)} (every 365d)"
    )
    assert not status.validated
    assert status.reason == reason
    assert report.plan.findings == (breach("scenario-validation-overdue", reason),)


def test_a_scenario_never_exercised_is_never_validated() -> None:
    report = continuity_report(without_exercises(), now=NOW)
    reasons = [
        f"'{TITLES[sid]}' ({sid}) was never validated by a passed exercise (due every 365d)"
        for sid in TITLES
    ]
    assert report.plan.findings == tuple(
        breach("scenario-never-validated", reason) for reason in reasons
    )
    assert [s.reason for s in report.plan.scenarios] == reasons
    assert [(s.last_validated, s.next_due) for s in report.plan.scenarios] == [(None, None)] * 3


def test_a_failed_latest_exercise_undoes_an_earlier_pass() -> None:
    failed_at = NOW - 10 * D
    evidence = [*healthy(), exercise(failed_at, OFFICE, passed=False)]
    report = continuity_report(evidence, now=NOW)
    status = scenario(report, OFFICE)
    reason = f"the latest exercise of '{TITLES[OFFICE]}' ({OFFICE}), at {iso(failed_at)}, failed"
    assert not status.validated
    assert status.last_validated == NOW - 40 * D
    assert status.reason == reason
    assert report.plan.findings == (breach("scenario-exercise-failed", reason),)


def test_an_overdue_and_failed_scenario_reports_both_and_reads_the_first() -> None:
    evidence = [*without_exercises(), exercise(NOW - 400 * D, OFFICE)]
    evidence += [exercise(NOW - 2 * D, OFFICE, False), exercise(NOW - D, CLOUD)]
    evidence.append(exercise(NOW - D, SUBPROCESSOR))
    report = continuity_report(evidence, now=NOW)
    assert [f.rule for f in report.plan.findings] == [
        "scenario-validation-overdue",
        "scenario-exercise-failed",
    ]
    assert scenario(report, OFFICE).reason == report.plan.findings[0].reason


def test_a_failure_never_passed_is_never_validated_and_failed() -> None:
    evidence = [*without_exercises(), exercise(NOW - D, CLOUD, passed=False)]
    evidence += [exercise(NOW - D, SUBPROCESSOR), exercise(NOW - D, OFFICE)]
    report = continuity_report(evidence, now=NOW)
    assert [f.rule for f in report.plan.findings] == [
        "scenario-never-validated",
        "scenario-exercise-failed",
    ]


@pytest.mark.parametrize("failed_first", [True, False])
def test_at_equal_times_a_failed_exercise_is_the_latest(failed_first) -> None:
    at = NOW - 3 * D
    runs = [exercise(at, CLOUD, False), exercise(at, CLOUD, True)]
    if not failed_first:
        runs.reverse()
    evidence = [*healthy(), *runs]
    report = continuity_report(evidence, now=NOW)
    status = scenario(report, CLOUD)
    assert not status.validated
    assert status.last_validated == at
    assert [f.rule for f in report.plan.findings] == ["scenario-exercise-failed"]


def test_a_pass_after_a_failure_validates_and_order_of_the_log_does_not_matter() -> None:
    failed, passed = exercise(NOW - 5 * D, CLOUD, False), exercise(NOW - 4 * D, CLOUD, True)
    older_pass = exercise(NOW - 300 * D, CLOUD, True)
    for order in ([failed, passed, older_pass], [older_pass, passed, failed]):
        report = continuity_report([*healthy(), *order], now=NOW)
        status = scenario(report, CLOUD)
        assert status.validated
        assert status.last_validated == NOW - 4 * D
        assert report.plan.findings == ()


def test_a_scenario_interval_of_its_own_overrides_the_plans() -> None:
    policy = rp.loads_policy(
        "schema_version = 1\n[continuity.plan]\nscenarios = ["
        f'{{id = "{CLOUD}", title = "Cloud", validation_interval = "30d"}},'
        f'{{id = "{SUBPROCESSOR}", title = "Subprocessor"}},'
        f'{{id = "{OFFICE}", title = "Office"}}]\n'
    )
    report = continuity_report(healthy(), policy, now=NOW)
    cloud, other = scenario(report, CLOUD), scenario(report, OFFICE)
    assert str(cloud.interval) == "30d"
    assert cloud.next_due == NOW - 10 * D
    assert not cloud.validated
    assert str(other.interval) == "365d"
    assert other.validated


# --- the NDA summary ---------------------------------------------------------------------------


def test_the_summary_is_the_objectives_and_validated_scenarios_and_nothing_else() -> None:
    evidence = [
        *without_exercises(),
        exercise(dt.datetime(2026, 2, 3, 23, 30, tzinfo=dt.UTC), CLOUD, note="SECRET-NOTE-1"),
        exercise(NOW - 2 * D, SUBPROCESSOR, True, note="SECRET-NOTE-2"),
        exercise(NOW - D, SUBPROCESSOR, False, note="SECRET-NOTE-3"),
        exercise(NOW - 400 * D, OFFICE),
        backup(NOW - H, encrypted=False, note="SECRET-NOTE-4"),
        restore(NOW - D, FILES, took=10 * H, note="SECRET-NOTE-5"),
        PlanReview(NOW - D, by="SECRET-REVIEWER", note="SECRET-NOTE-6"),
        backup(NOW - H, "SECRET-STORE"),
    ]
    summary = continuity_summary(evidence, now=NOW)
    assert summary == continuity.ContinuitySummary(
        as_of=dt.date(2026, 6, 1),
        objectives=(
            continuity.RecoveryObjective(DB, 24 * H, 8 * H),
            continuity.RecoveryObjective(FILES, 24 * H, 8 * H),
        ),
        scenarios=(continuity.ValidatedScenario(CLOUD, TITLES[CLOUD], dt.date(2026, 2, 3)),),
    )
    for text in (summary.to_markdown(), dumps(summary)):
        assert "SECRET" not in text
        assert "rto-missed" not in text
        assert "unencrypted" not in text
        assert SUBPROCESSOR not in text
        assert "office" not in text.lower()
    document = json.loads(dumps(summary))
    assert set(document) == {"as_of", "objectives", "scenarios", "schema_version"}
    assert document["scenarios"] == [
        {"scenario": CLOUD, "title": TITLES[CLOUD], "last_validated": "2026-02-03"}
    ]


def test_the_summary_dates_are_utc_dates() -> None:
    # 01:00 in UTC+2 on 1 June is still 31 May in UTC; an exercise at 23:30 in UTC-5 is the
    # next day in UTC.
    now = dt.datetime(2026, 6, 1, 1, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    at = dt.datetime(2026, 2, 3, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    summary = continuity_summary([exercise(at, CLOUD)], now=now)
    assert summary.as_of == dt.date(2026, 5, 31)
    assert [s.last_validated for s in summary.scenarios] == [dt.date(2026, 2, 4)]


def test_the_summary_markdown_is_exactly_this() -> None:
    policy = rp.loads_policy(
        "schema_version = 1\n[continuity.plan]\nscenarios = ["
        f'{{id = "{CLOUD}", title = "Cloud | region\\nloss"}},'
        f'{{id = "{SUBPROCESSOR}", title = "Subprocessor"}},'
        f'{{id = "{OFFICE}", title = "Office"}}]\n'
        "[[continuity.stores]]\n"
        'name = "ledger | main"\nrpo = "90m"\nrto = "30m"\nbackup_interval = "1h"\n'
        'restore_test_interval = "30d"\n'
    )
    evidence = [exercise(NOW - 10 * D, CLOUD), exercise(NOW - 20 * D, OFFICE)]
    markdown = continuity_summary(evidence, policy, now=NOW).to_markdown()
    assert markdown == (
        "# Business continuity summary\n"
        "\n"
        "Recovery objectives and validated continuity scenarios as of 2026-06-01. "
        "Shared under NDA.\n"
        "\n"
        "## Recovery objectives\n"
        "\n"
        "| Data store | Recovery point objective | Recovery time objective |\n"
        "|---|---|---|\n"
        "| ledger \\| main | 90m | 30m |\n"
        "\n"
        "## Validated scenarios\n"
        "\n"
        "| Scenario | Last validated |\n"
        "|---|---|\n"
        "| Cloud \\| region loss | 2026-05-22 |\n"
        "| Office | 2026-05-12 |\n"
    )


def test_the_summary_markdown_without_validated_scenarios_says_so() -> None:
    markdown = continuity_summary([], now=NOW).to_markdown()
    assert markdown.endswith(
        "| file-storage | 24h | 8h |\n"
        "\n"
        "## Validated scenarios\n"
        "\n"
        "No scenario is validated within its interval.\n"
    )
    assert "| Scenario |" not in markdown


# --- dependency status -------------------------------------------------------------------------


def ev(minutes: int, name: str, status: str) -> HealthEvent:
    return HealthEvent(NOW + minutes * M, name, status)


def with_register(*entries: Subprocessor) -> rp.Policy:
    """The default policy with ``entries`` instead of its register (not checked by the loader)."""
    policy = rp.default_policy()
    section = attrs.evolve(policy.continuity, subprocessors=entries)
    return attrs.evolve(policy, continuity=section)


EMAIL = rp.default_policy().continuity.subprocessors[1]
CLOUD_PROVIDER = rp.default_policy().continuity.subprocessors[0]


@pytest.mark.parametrize("events", ["down", b"down"])
def test_log_text_is_not_taken_for_health_events(events) -> None:
    with input_error("events", value=events, expected="health events (see loads_health_events)"):
        dependency_status(events, now=NOW)


@pytest.mark.parametrize("item", [{"status": "down"}, "down", backup(NOW)])
def test_an_item_that_is_not_a_health_event_names_its_index(item) -> None:
    with input_error("events[1]", value=item, expected="a HealthEvent"):
        dependency_status([ev(0, "x", "down"), item], now=NOW)


def test_nothing_reported_is_up_with_no_since() -> None:
    report = dependency_status([], now=NOW)
    assert report.subprocessors == (
        continuity.SubprocessorHealth(
            "cloud-provider",
            HealthState.UP,
            None,
            ("compute", "storage", "network"),
            True,
            True,
            "cloud-provider is up",
        ),
        continuity.SubprocessorHealth(
            "email-provider", HealthState.UP, None, ("email",), True, True, "email-provider is up"
        ),
    )
    assert report.as_of == NOW
    assert report.schema_version == 1


def test_an_event_at_now_is_known_and_after_now_is_not() -> None:
    report = dependency_status(
        [ev(0, "email-provider", "down"), ev(1, "cloud-provider", "down")], now=NOW
    )
    assert [s.state for s in report.subprocessors] == [HealthState.UP, HealthState.DOWN]


def test_a_loss_names_its_state_start_and_the_strategy_in_force() -> None:
    report = dependency_status([ev(0, "email-provider", "down")], now=NOW + H)
    lost = "email-provider is down (the loss began 2026-06-01T00:00:00Z)"
    assert report.subprocessors[1].reason == lost
    assert report.subprocessors[1].since == NOW
    assert report.fallbacks == (
        continuity.ActiveFallback(
            "email-provider",
            HealthState.DOWN,
            NOW,
            EMAIL.strategy,
            "subprocessor-fallback",
            f"{lost}: {EMAIL.strategy}",
        ),
    )
    assert report.channel_fallbacks == (
        continuity.ChannelFallback(
            Channel.EMAIL,
            Channel.IN_APP,
            "email-provider",
            NOW,
            "channel-fallback",
            "email is down with email-provider since 2026-06-01T00:00:00Z: "
            "notices on in_app count for it",
        ),
    )
    impact_reason = (
        f"{lost}: a customer-visible loss, MINOR impact on a peripheral feature for every "
        "tenant; classify it as an incident"
    )
    assert report.impacts == (
        continuity.CustomerImpact(
            "email-provider",
            HealthState.DOWN,
            NOW,
            rp.ImpactAssessment(Impact.MINOR, core=False, customer_visible=True, all_tenants=True),
            "customer-visible-loss",
            impact_reason,
        ),
    )
    assert report.findings == (warning("customer-visible-loss", impact_reason),)


@pytest.mark.parametrize(
    ("status", "impact"), [("down", Impact.OUTAGE), ("degraded", Impact.DEGRADED)]
)
def test_a_core_loss_is_assessed_from_the_register(status, impact) -> None:
    report = dependency_status([ev(0, "cloud-provider", status)], now=NOW)
    (found,) = report.impacts
    assert found.assessment == rp.ImpactAssessment(
        impact, core=True, customer_visible=True, all_tenants=True
    )
    assert found.reason == (
        f"cloud-provider is {status} (the loss began 2026-06-01T00:00:00Z): a customer-visible "
        f"loss, {impact.value} impact on core functionality for every tenant; "
        "classify it as an incident"
    )


def test_a_degraded_minor_loss_stays_minor_and_its_channel_still_counts() -> None:
    report = dependency_status([ev(0, "email-provider", "degraded")], now=NOW)
    assert report.impacts[0].assessment.impact is Impact.MINOR
    assert report.impacts[0].state is HealthState.DEGRADED
    assert [f.subprocessor for f in report.fallbacks] == ["email-provider"]
    assert report.channel_fallbacks == ()


def test_events_apply_in_time_order_whatever_the_order_of_the_log() -> None:
    log = [ev(30, "email-provider", "recovered"), ev(0, "email-provider", "down")]
    email = dependency_status(log, now=NOW + H).subprocessors[1]
    assert (email.state, email.since) == (HealthState.UP, NOW + 30 * M)


def test_recovery_sets_since_once_and_the_next_loss_starts_anew() -> None:
    log = [
        ev(0, "email-provider", "down"),
        ev(10, "email-provider", "recovered"),
        ev(20, "email-provider", "recovered"),
    ]
    email = dependency_status(log, now=NOW + H).subprocessors[1]
    assert (email.state, email.since) == (HealthState.UP, NOW + 10 * M)
    assert email.reason == "email-provider is up since 2026-06-01T00:10:00Z"
    again = dependency_status([*log, ev(30, "email-provider", "degraded")], now=NOW + H)
    assert again.subprocessors[1].since == NOW + 30 * M
    assert again.subprocessors[1].state is HealthState.DEGRADED


def test_a_recovery_of_a_never_reported_subprocessor_marks_it_up_since_then() -> None:
    email = dependency_status([ev(5, "email-provider", "recovered")], now=NOW + H).subprocessors[1]
    assert (email.state, email.since) == (HealthState.UP, NOW + 5 * M)
    assert email.reason == "email-provider is up since 2026-06-01T00:05:00Z"


def test_a_loss_keeps_its_start_and_the_channel_counts_from_going_down() -> None:
    log = [
        ev(0, "email-provider", "down"),
        ev(10, "email-provider", "down"),
        ev(20, "email-provider", "degraded"),
    ]
    report = dependency_status(log[:2], now=NOW + H)
    assert report.subprocessors[1].since == NOW
    assert [c.since for c in report.channel_fallbacks] == [NOW]
    degraded = dependency_status(log, now=NOW + H)
    assert degraded.subprocessors[1].state is HealthState.DEGRADED
    assert degraded.subprocessors[1].since == NOW
    assert degraded.channel_fallbacks == ()
    down_again = dependency_status([*log, ev(30, "email-provider", "down")], now=NOW + H)
    assert [c.since for c in down_again.channel_fallbacks] == [NOW + 30 * M]
    assert down_again.subprocessors[1].since == NOW


@pytest.mark.parametrize(
    ("first", "then", "state"),
    [("down", "recovered", HealthState.UP), ("recovered", "down", HealthState.DOWN)],
)
def test_events_at_equal_times_apply_in_the_order_given(first, then, state) -> None:
    log = [ev(30, "email-provider", "degraded"), ev(5, "email-provider", first)]
    log.append(ev(5, "email-provider", then))
    report = dependency_status(log, now=NOW + 10 * M)
    assert report.subprocessors[1].state is state


def test_a_critical_visible_loss_without_strategy_is_a_breach() -> None:
    bare = Subprocessor("pager", ("sms", "paging"), True, True, False, Impact.MINOR, "   ")
    report = dependency_status([ev(0, "pager", "degraded")], with_register(bare), now=NOW)
    lost = "pager is degraded (the loss began 2026-06-01T00:00:00Z)"
    assert report.fallbacks == ()
    assert report.findings[0] == breach(
        "no-fallback-strategy",
        f"{lost}; it is critical, its loss is customer-visible, and it has no documented "
        "fallback or degradation strategy",
    )
    assert [f.rule for f in report.findings] == ["no-fallback-strategy", "customer-visible-loss"]


@pytest.mark.parametrize(("critical", "visible"), [(False, True), (True, False), (False, False)])
def test_a_loss_without_strategy_is_no_breach_unless_critical_and_visible(
    critical, visible
) -> None:
    impact = Impact.MINOR if visible else Impact.NONE
    bare = Subprocessor("pager", ("paging",), critical, visible, False, impact)
    report = dependency_status([ev(0, "pager", "down")], with_register(bare), now=NOW)
    assert "no-fallback-strategy" not in [f.rule for f in report.findings]
    assert len(report.impacts) == int(visible)


def test_only_channels_with_a_registered_fallback_count() -> None:
    # in_app would fall back to itself: the register leaves it out, the others still count.
    pages = Subprocessor(
        "status-host",
        ("hosting", "in_app", "status_page", "email"),
        False,
        False,
        False,
        Impact.NONE,
        "post on the blog",
        Channel.IN_APP,
    )
    bare = Subprocessor("in-app-host", ("in_app",), False, False, False, Impact.NONE, "wait")
    policy = with_register(pages, bare)
    report = dependency_status(
        [ev(0, "status-host", "down"), ev(0, "in-app-host", "down")], policy, now=NOW
    )
    assert [(c.channel, c.fallback) for c in report.channel_fallbacks] == [
        (Channel.STATUS_PAGE, Channel.IN_APP),
        (Channel.EMAIL, Channel.IN_APP),
    ]
    assert report.impacts == ()
    assert report.findings == ()


def test_an_unregistered_subprocessor_is_a_warning_while_up_and_a_breach_while_lost() -> None:
    reason = (
        "health events name the subprocessor 'ghost', which the register does not list; "
        "register it with its fallback or degradation strategy"
    )
    up = dependency_status([ev(0, "ghost", "recovered")], now=NOW)
    assert up.findings == (warning("unknown-subprocessor", reason),)
    for status in ("down", "degraded"):
        lost = dependency_status([ev(0, "ghost", status)], now=NOW)
        assert lost.findings == (
            breach("unknown-subprocessor", f"{reason} (it is {status}, with no known strategy)"),
        )
        assert [s.subprocessor for s in lost.subprocessors] == ["cloud-provider", "email-provider"]


# --- the JSON Lines readers: every bad line names its number, field, value, expectation ----


GOOD = (
    '{"type": "backup", "at": "2026-05-01T00:00:00Z", "store": "db", "encrypted": true, '
    '"stored_apart": true}'
)
RESTORE = (
    '{"type": "restore_test", "at": "2026-05-01T00:00:00Z", "store": "db", '
    '"recovery_point": "2026-05-01T00:00:00Z", "duration": "2h", "verified": true}'
)
INSTANT = "an ISO 8601 instant with an offset, such as '2026-03-08T06:30:00Z'"


def json_error(line: str) -> str:
    try:
        json.loads(line)
    except ValueError as error:
        return str(error)
    raise AssertionError(line)  # pragma: no cover


@pytest.mark.parametrize(
    ("line", "field", "value", "expected"),
    [
        ("[1, 2]", "$", [1, 2], "a JSON object"),
        ('"backup"', "$", "backup", "a JSON object"),
        ("5", "$", 5, "a JSON object"),
        ("null", "$", None, "a JSON object"),
        ('{"type": "snapshot"}', "type", "snapshot", EVIDENCE_TYPES),
        ('{"type": 5}', "type", 5, EVIDENCE_TYPES),
        ('{"type": ["backup"]}', "type", ["backup"], EVIDENCE_TYPES),
        ('{"at": "2026-05-01T00:00:00Z"}', "type", None, EVIDENCE_TYPES),
        (
            GOOD.replace('"encrypted": true, ', ""),
            "encrypted",
            None,
            "true or false (the field is missing)",
        ),
        (
            GOOD.replace('"encrypted": true', '"encrypted": "yes"'),
            "encrypted",
            "yes",
            "true or false",
        ),
        (
            GOOD.replace('"stored_apart": true', '"stored_apart": 1'),
            "stored_apart",
            1,
            "true or false",
        ),
        (
            GOOD.replace("00:00:00Z", "00:00:00"),
            "at",
            "2026-05-01T00:00:00",
            "a timezone-aware datetime",
        ),
        (GOOD.replace('"db"', '""'), "store", "", "a non-empty string"),
        (
            GOOD.replace("}", ', "colour": "blue"}'),
            "colour",
            "colour",
            "one of the known keys: at, encrypted, note, store, stored_apart",
        ),
        ('{"type": "plan_review", "at": 5}', "at", 5, INSTANT),
        ('{"type": "plan_review"}', "at", None, f"{INSTANT} (the field is missing)"),
        ('{"type": "plan_review", "at": "2026-05-01T00:00:00Z", "by": 5}', "by", 5, "a string"),
        (
            RESTORE.replace('"recovery_point": "2026-05-01', '"recovery_point": "2026-05-02'),
            "recovery_point",
            "2026-05-02T00:00:00Z",
            "an instant at or before the test's start (2026-05-01T00:00:00Z)",
        ),
        (
            RESTORE.replace('"2h"', '"soon"'),
            "duration",
            "soon",
            "a duration such as '30m', '48h', '1h30m' or 'PT30M'",
        ),
        (RESTORE.replace('"2h"', '"0m"'), "duration", "0m", "a positive duration such as '30m'"),
        (
            '{"type": "scenario_exercise", "at": "2026-05-01T00:00:00Z", "scenario": "x"}',
            "passed",
            None,
            "true or false (the field is missing)",
        ),
    ],
)
def test_every_bad_evidence_line_names_its_line_field_value_and_expectation(
    line, field, value, expected
) -> None:
    text = f"{GOOD}\n\n{line}\n{GOOD}\n"
    with log_error(3, field, value=value, expected=expected):
        loads_evidence(text)


@pytest.mark.parametrize(
    ("line", "hint"),
    [
        ("{not json", ""),
        ("[1, 2", ""),
        ('"open', ""),
        ("  {bad", ""),
        ("nope", "; loads_evidence takes the log's text, load_evidence a path"),
        ("  evidence.jsonl  ", "; loads_evidence takes the log's text, load_evidence a path"),
    ],
)
def test_a_line_that_is_not_json_names_the_parser_error_and_hints_at_paths(line, hint) -> None:
    expected = f"a JSON object ({json_error(line)}){hint}"
    with log_error(2, "$", value=line.strip(), expected=expected):
        loads_evidence(f"{GOOD}\n{line}\n")


def test_a_line_too_deeply_nested_is_not_json() -> None:
    line = "[" * 60_000
    expected = (
        "a JSON object (maximum recursion depth exceeded while decoding a JSON array from a "
        "unicode string)"
    )
    with log_error(1, "$", value=line, expected=expected):
        loads_evidence(line)


def test_a_line_longer_than_the_limit_is_refused_and_one_at_the_limit_is_read() -> None:
    assert continuity.MAX_LINE_CHARS == 64 * 1024
    head = '{"type": "plan_review", "at": "2026-05-01T00:00:00Z", "note": "'
    fits = head + "x" * (continuity.MAX_LINE_CHARS - len(head) - 2) + '"}'
    assert len(fits) == continuity.MAX_LINE_CHARS
    (review,) = loads_evidence(fits)
    assert len(review.note) == continuity.MAX_LINE_CHARS - len(head) - 2
    long = fits.replace('"x', '"xx')
    with log_error(2, "$", value=long[:40] + "...", expected="a line of at most 65,536 characters"):
        loads_evidence(f"{GOOD}\n{long}\n")


@pytest.mark.parametrize(
    ("line", "field", "value", "expected"),
    [
        (
            '{"at": "2026-05-01T00:00:00Z", "subprocessor": "x", "status": "sideways"}',
            "status",
            "sideways",
            "one of 'down', 'degraded', 'recovered'",
        ),
        (
            '{"at": "2026-05-01T00:00:00Z", "status": "down"}',
            "subprocessor",
            None,
            "a string (the field is missing)",
        ),
        (
            '{"at": "2026-05-01T00:00:00Z", "subprocessor": " ", "status": "down"}',
            "subprocessor",
            " ",
            "a non-empty string",
        ),
        (
            '{"at": "2026-05-01T00:00:00Z", "subprocessor": "x", "status": "down", "why": 1}',
            "why",
            "why",
            "one of the known keys: at, note, status, subprocessor",
        ),
        ('"down"', "$", "down", "a JSON object"),
        (
            "down",
            "$",
            "down",
            f"a JSON object ({json_error('down')}); loads_health_events takes the log's text, "
            "load_health_events a path",
        ),
    ],
)
def test_every_bad_health_line_names_its_line_field_value_and_expectation(
    line, field, value, expected
) -> None:
    good = '{"at": "2026-05-01T00:00:00Z", "subprocessor": "x", "status": "down"}'
    with log_error(3, field, value=value, expected=expected):
        loads_health_events(f"{good}\n   \n{line}\n")


@pytest.mark.parametrize(
    ("read", "loader"),
    [(loads_evidence, "load_evidence"), (loads_health_events, "load_health_events")],
)
@pytest.mark.parametrize("text", [None, b"{}", 5])
def test_log_readers_take_text_only(read, loader, text) -> None:
    with input_error(
        "text", value=text, expected=f"the JSON Lines text (for a file, use {loader})"
    ):
        read(text)


@pytest.mark.parametrize("read", [loads_evidence, loads_health_events])
def test_a_log_with_too_many_lines_is_refused(read) -> None:
    text = "\n" * continuity.MAX_LINES
    with input_error("text", value=text[:40], expected="at most 2,000,000 lines"):
        read(text)


@pytest.mark.parametrize("read", [loads_evidence, loads_health_events])
def test_the_line_limit_counts_line_breaks(read, monkeypatch) -> None:
    monkeypatch.setattr(continuity, "MAX_LINES", 1000)
    assert read("\n" * 999) == ()
    with input_error("text", value="\n" * 40, expected="at most 1,000 lines"):
        read("\n" * 1000)


@pytest.mark.parametrize("read", [loads_evidence, loads_health_events])
def test_a_log_longer_than_the_limit_is_refused(read, monkeypatch) -> None:
    monkeypatch.setattr(continuity, "MAX_LOG_BYTES", 2000)
    assert read(" " * 2000) == ()
    with input_error("text", value=" " * 40, expected="at most 2,000 characters"):
        read(" " * 2001)


@pytest.mark.parametrize("load", [continuity.load_evidence, continuity.load_health_events])
def test_the_file_readers_name_the_path(load, tmp_path, monkeypatch) -> None:
    with input_error("path", value=b"log.jsonl", expected="a path (a str or os.PathLike)"):
        load(b"log.jsonl")
    missing = tmp_path / "missing.jsonl"
    with input_error("path", value=str(missing), expected="a readable file"):
        load(missing)
    monkeypatch.setattr(continuity, "MAX_LOG_BYTES", 10)
    path = tmp_path / "log.jsonl"
    path.write_text("\n" * 10, encoding="utf-8")
    assert load(path) == ()
    path.write_text("\n" * 11, encoding="utf-8")
    with input_error(
        "path", value=str(path), expected="a file of at most 10 bytes", detail="it is larger"
    ):
        load(path)


def test_line_numbers_count_blank_lines_and_crlf_line_ends_are_read() -> None:
    text = f"\r\n  \n{GOOD}\r\n\n{RESTORE}\r\n"
    records = loads_evidence(text)
    assert [r.type for r in records] == ["backup", "restore_test"]
    error = json_error("[\r")
    expected = f"a JSON object ({error})"
    with log_error(5, "$", value="[", expected=expected):
        loads_evidence(text.replace(RESTORE, "["))


# --- writing logs ------------------------------------------------------------------------------


def test_evidence_is_written_one_object_a_line_with_defaults_left_out() -> None:
    records = [
        backup(NOW - H),
        RestoreTest(NOW, DB, recovery_point=NOW - H, duration=90 * M, verified=False, note="café"),
        PlanReview(NOW, by="cto"),
        exercise(NOW, CLOUD, note="line\u2028break\u2029and\x85next"),
    ]
    text = dumps_evidence(records)
    assert text.splitlines() == [
        '{"type": "backup", "at": "2026-05-31T23:00:00Z", "store": "primary-database", '
        '"encrypted": true, "stored_apart": true}',
        '{"type": "restore_test", "at": "2026-06-01T00:00:00Z", "store": "primary-database", '
        '"recovery_point": "2026-05-31T23:00:00Z", "duration": "90m", "verified": false, '
        '"note": "café"}',
        '{"type": "plan_review", "at": "2026-06-01T00:00:00Z", "by": "cto"}',
        '{"type": "scenario_exercise", "at": "2026-06-01T00:00:00Z", '
        '"scenario": "cloud-infrastructure-disruption", "passed": true, '
        '"note": "line\\u2028break\\u2029and\\u0085next"}',
    ]
    assert text.endswith("}\n")
    assert loads_evidence(text) == tuple(records)
    assert dumps_evidence([]) == ""


def test_health_events_are_written_without_a_type() -> None:
    events = [ev(0, "email-provider", "down"), HealthEvent(NOW, "x", "recovered", note="n")]
    text = dumps_health_events(events)
    assert text == (
        '{"at": "2026-06-01T00:00:00Z", "subprocessor": "email-provider", "status": "down"}\n'
        '{"at": "2026-06-01T00:00:00Z", "subprocessor": "x", "status": "recovered", '
        '"note": "n"}\n'
    )
    assert loads_health_events(text) == tuple(events)


@pytest.mark.parametrize("item", [HealthEvent(NOW, "x", "down"), {"type": "backup"}, None])
def test_writing_evidence_refuses_anything_else_by_index(item) -> None:
    with input_error("evidence[1]", value=item, expected=RECORD_KINDS):
        dumps_evidence([backup(NOW), item])


@pytest.mark.parametrize("item", [backup(NOW), {"at": "x"}])
def test_writing_health_events_refuses_anything_else_by_index(item) -> None:
    with input_error("events[0]", value=item, expected="a HealthEvent"):
        dumps_health_events([item])


def test_json_documents_of_records_are_strict() -> None:
    with config_problem("$", value=5, expected="a JSON object", only=True):
        loads("5", BackupRun)
    with config_problem("$", value="restore_test", expected="'backup'", only=True):
        loads(RESTORE, BackupRun)
    assert loads(GOOD, BackupRun) == loads(GOOD.replace('"type": "backup", ', ""), BackupRun)
    with input_error("BackupRun", value=[1], expected="a JSON object"):
        converter.structure([1], BackupRun)
    with input_error("type", value="restore_test", expected="'backup'"):
        converter.structure(json.loads(RESTORE), BackupRun)


@pytest.mark.parametrize(
    ("text", "value"),
    [('{"type": "snapshot"}', "snapshot"), ('{"type": []}', []), ("5", None), ("{}", None)],
)
def test_an_evidence_document_names_its_type(text, value) -> None:
    with config_problem("$", value=value, expected=EVIDENCE_TYPES, only=True):
        loads(text, continuity.EvidenceRecord)
    with input_error("type", value=value, expected=EVIDENCE_TYPES):
        converter.structure(json.loads(text), continuity.EvidenceRecord)


def test_an_evidence_document_is_read_as_its_type_and_written_back() -> None:
    record = loads(RESTORE, continuity.EvidenceRecord)
    assert isinstance(record, RestoreTest)
    assert converter.unstructure(record, continuity.EvidenceRecord) == json.loads(RESTORE)


# --- the [continuity] section: each problem names its path, value and expectation -------------


def store_doc(name: str = "ledger", rpo: str = "4h", interval: str = "4h") -> str:
    return (
        f'[[continuity.stores]]\nname = "{name}"\nrpo = "{rpo}"\nrto = "2h"\n'
        f'backup_interval = "{interval}"\nrestore_test_interval = "30d"\n'
    )


def policy_doc(*tables: str) -> str:
    return "schema_version = 1\n" + "".join(tables)


def scenarios_doc(*items: tuple[str, str]) -> str:
    listed = ", ".join(f'{{id = "{sid}", title = "{title}"}}' for sid, title in items)
    return f"[continuity.plan]\nscenarios = [{listed}]\n"


ALL_SCENARIOS = [(sid, "T") for sid in continuity.REQUIRED_SCENARIOS]


def subprocessor_doc(name: str = "sms-gateway", **fields: object) -> str:
    values: dict[str, object] = {
        "backs": ["sms"],
        "critical": True,
        "customer_visible": True,
        "core": False,
        "impact": "MINOR",
        "strategy": "codes in-app",
    }
    values.update(fields)
    lines = [f'[[continuity.subprocessors]]\nname = "{name}"\n']
    for key, value in values.items():
        if value is not None:
            lines.append(f"{key} = {json.dumps(value)}\n")
    return "".join(lines)


def test_a_backup_interval_equal_to_the_rpo_is_accepted() -> None:
    policy = rp.loads_policy(policy_doc(store_doc(rpo="4h", interval="4h")))
    assert policy.continuity.stores[0].backup_interval == 4 * H


def test_a_backup_interval_longer_than_the_rpo_names_both() -> None:
    expected = (
        "at most the recovery point objective of 'ledger', '4h' "
        "(backups further apart could never meet it)"
    )
    with config_problem(
        "$.continuity.stores[0].backup_interval", value="241m", expected=expected, only=True
    ):
        rp.loads_policy(policy_doc(store_doc(interval="241m")))


@pytest.mark.parametrize(
    ("document", "path", "value", "expected"),
    [
        (
            policy_doc(store_doc(name=" ")),
            "$.continuity.stores[0].name",
            " ",
            "a non-empty store name",
        ),
        (
            policy_doc(store_doc(), store_doc(name="other"), store_doc()),
            "$.continuity.stores[2].name",
            "ledger",
            "a store name used once",
        ),
        (
            policy_doc("[continuity]\nstores = []\n"),
            "$.continuity.stores",
            [],
            "at least one data store",
        ),
        (
            policy_doc(scenarios_doc(*ALL_SCENARIOS, (" ", "Blank"))),
            "$.continuity.plan.scenarios[3].id",
            " ",
            "a non-empty scenario id",
        ),
        (
            policy_doc(scenarios_doc(*ALL_SCENARIOS, (CLOUD, "Again"))),
            "$.continuity.plan.scenarios[3].id",
            CLOUD,
            "a scenario id used once",
        ),
        (
            policy_doc(scenarios_doc((CLOUD, "T"), (SUBPROCESSOR, " "), (OFFICE, "T"))),
            "$.continuity.plan.scenarios[1].title",
            " ",
            "a title to show customers",
        ),
        (
            policy_doc(scenarios_doc(("extra", "T"), (SUBPROCESSOR, "T"))),
            "$.continuity.plan.scenarios",
            ["critical-subprocessor-loss", "extra"],
            "the scenarios the reliability page names, also 'cloud-infrastructure-disruption', "
            "'office-or-personnel-loss'",
        ),
        (
            policy_doc(subprocessor_doc(" ")),
            "$.continuity.subprocessors[0].name",
            " ",
            "a non-empty subprocessor name",
        ),
        (
            policy_doc(subprocessor_doc(), subprocessor_doc("b"), subprocessor_doc()),
            "$.continuity.subprocessors[2].name",
            "sms-gateway",
            "a subprocessor name used once",
        ),
        (
            policy_doc(subprocessor_doc(backs=[])),
            "$.continuity.subprocessors[0].backs",
            [],
            "what it backs: capabilities or channels, each a non-empty name",
        ),
        (
            policy_doc(subprocessor_doc(backs=["sms", " "])),
            "$.continuity.subprocessors[0].backs",
            ["sms", " "],
            "what it backs: capabilities or channels, each a non-empty name",
        ),
        (
            policy_doc(subprocessor_doc(strategy=" ")),
            "$.continuity.subprocessors[0].strategy",
            " ",
            "a documented fallback or degradation strategy: 'sms-gateway' is critical and its "
            "loss would be customer-visible",
        ),
        (
            policy_doc(subprocessor_doc(strategy=None)),
            "$.continuity.subprocessors[0].strategy",
            "",
            "a documented fallback or degradation strategy: 'sms-gateway' is critical and its "
            "loss would be customer-visible",
        ),
        (
            policy_doc(subprocessor_doc(customer_visible=False, impact="DEGRADED")),
            "$.continuity.subprocessors[0].impact",
            "DEGRADED",
            "'NONE': the loss of 'sms-gateway' is not customer-visible",
        ),
        (
            policy_doc(subprocessor_doc(fallback_channel="in_app")),
            "$.continuity.subprocessors[0].fallback_channel",
            "in_app",
            "no fallback channel: 'sms-gateway' backs no notification channel",
        ),
        (
            policy_doc(subprocessor_doc("a"), subprocessor_doc("b", fallback_channel="email")),
            "$.continuity.subprocessors[1].fallback_channel",
            "email",
            "no fallback channel: 'b' backs no notification channel",
        ),
        (
            policy_doc(subprocessor_doc(backs=["in_app"], fallback_channel="in_app")),
            "$.continuity.subprocessors[0].fallback_channel",
            "in_app",
            "a channel other than 'in_app', which 'sms-gateway' backs",
        ),
    ],
)
def test_each_continuity_problem_names_its_path_value_and_expectation(
    document, path, value, expected
) -> None:
    with config_problem(path, value=value, expected=expected, only=True):
        rp.loads_policy(document)


def test_two_fallbacks_for_one_channel_name_the_first() -> None:
    document = policy_doc(
        subprocessor_doc("mailer", backs=["in_app", "email"], fallback_channel="in_app"),
        subprocessor_doc("mailer-2", backs=["email"], fallback_channel="status_page"),
    )
    with pytest.raises(rp.PolicyConfigError) as caught:
        rp.loads_policy(document)
    assert [(p.path, p.expected, p.value) for p in caught.value.problems] == [
        (
            "$.continuity.subprocessors[0].fallback_channel",
            "a channel other than 'in_app', which 'mailer' backs",
            "in_app",
        ),
        (
            "$.continuity.subprocessors[1].fallback_channel",
            "'in_app', as 'mailer', which also backs 'email' (one fallback per channel)",
            "status_page",
        ),
    ]


def test_two_subprocessors_may_agree_on_a_channels_fallback() -> None:
    document = policy_doc(
        subprocessor_doc("mailer", backs=["email"], fallback_channel="in_app"),
        subprocessor_doc("mailer-2", backs=["email", "sms"], fallback_channel="in_app"),
    )
    policy = rp.loads_policy(document)
    assert policy.notifications.fallback == {Channel.EMAIL: Channel.IN_APP}


def test_fallbacks_of_different_channels_are_independent() -> None:
    document = policy_doc(
        subprocessor_doc("mailer", backs=["email"], fallback_channel="in_app"),
        subprocessor_doc("pages", backs=["status_page"], fallback_channel="email"),
    )
    policy = rp.loads_policy(document)
    assert policy.notifications.fallback == {
        Channel.EMAIL: Channel.IN_APP,
        Channel.STATUS_PAGE: Channel.EMAIL,
    }


def test_subprocessors_that_are_not_critical_or_visible_need_no_strategy() -> None:
    document = policy_doc(
        subprocessor_doc("a", critical=False, strategy=None),
        subprocessor_doc("b", customer_visible=False, impact="NONE", strategy=None),
    )
    assert [s.name for s in rp.loads_policy(document).continuity.subprocessors] == ["a", "b"]


def test_every_problem_of_the_section_is_listed_at_once() -> None:
    document = policy_doc(
        store_doc(interval="5h"),
        store_doc(),
        scenarios_doc((CLOUD, " ")),
        subprocessor_doc(" ", backs=[], strategy=None),
    )
    with pytest.raises(rp.PolicyConfigError) as caught:
        rp.loads_policy(document)
    assert [p.path for p in caught.value.problems] == [
        "$.continuity.stores[0].backup_interval",
        "$.continuity.stores[1].name",
        "$.continuity.plan.scenarios[0].title",
        "$.continuity.plan.scenarios",
        "$.continuity.subprocessors[0].name",
        "$.continuity.subprocessors[0].backs",
        "$.continuity.subprocessors[0].strategy",
    ]
