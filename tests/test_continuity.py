"""Business continuity (issue 13): recovery objectives and evidence, the plan's review cycle,
the NDA summary, the subprocessor register and its channel fallback."""

from __future__ import annotations

import datetime as dt
import json

import attrs
import pytest

import reliability_policy as rp
from reliability_policy import continuity
from reliability_policy.continuity import (
    BackupRun,
    ContinuityReport,
    ContinuitySummary,
    DependencyReport,
    HealthChange,
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
    load_evidence,
    load_health_events,
    loads_evidence,
    loads_health_events,
    policy_problems,
)
from reliability_policy.errors import EventLogError, PolicyConfigError, PolicyInputError
from reliability_policy.findings import FindingLevel
from reliability_policy.levels import Channel, Impact
from reliability_policy.lifecycle import Audience, NoticeKind
from reliability_policy.notifications import (
    ChannelOutage,
    CommunicationFacts,
    SentNotice,
    SeverityPoint,
    TenantScope,
    audit,
)
from reliability_policy.policy import Subprocessor
from reliability_policy.serialization import dumps, loads

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)
DB = "primary-database"
FILES = "file-storage"


def backup(at: dt.datetime, store: str = DB, **flags: bool) -> BackupRun:
    return BackupRun(
        at,
        store,
        encrypted=flags.get("encrypted", True),
        stored_apart=flags.get("stored_apart", True),
    )


def restore(
    at: dt.datetime,
    store: str = DB,
    *,
    loss: dt.timedelta = 2 * H,
    took: dt.timedelta = 3 * H,
    verified: bool = True,
) -> RestoreTest:
    return RestoreTest(at, store, recovery_point=at - loss, duration=took, verified=verified)


def plan_ok(now: dt.datetime = NOW) -> list[PlanReview | ScenarioExercise]:
    return [
        PlanReview(now - 30 * D, by="cto"),
        *(
            ScenarioExercise(now - 40 * D, sid, passed=True)
            for sid in continuity.REQUIRED_SCENARIOS
        ),
    ]


def healthy(now: dt.datetime = NOW) -> list[continuity.EvidenceRecord]:
    """Evidence under which the default policy finds nothing."""
    return [
        backup(now - 2 * H),
        backup(now - 3 * H, FILES),
        restore(now - 10 * D),
        restore(now - 20 * D, FILES),
        *plan_ok(now),
    ]


def rules(findings) -> list[str]:
    return [f.rule for f in findings]


# --- the report --------------------------------------------------------------------------------


def test_healthy_evidence_is_compliant_with_no_finding() -> None:
    report = continuity_report(healthy(), now=NOW)
    assert report.compliant
    assert report.findings == ()
    primary = report.store(DB)
    assert primary is not None
    assert primary.last_backup == backup(NOW - 2 * H)
    assert primary.next_backup_due == NOW + 22 * H
    assert not primary.backup_overdue
    assert primary.last_restore_test is not None
    assert primary.last_restore_test.met_objectives
    assert primary.next_test_due == NOW - 10 * D + 90 * D
    assert not primary.test_overdue
    assert "met RPO 24h and RTO 8h" in primary.reason
    assert report.store("nowhere") is None


def test_no_evidence_is_overdue_everywhere() -> None:
    report = continuity_report([], now=NOW)
    assert not report.compliant
    primary = report.store(DB)
    assert primary is not None
    assert primary.backup_overdue
    assert primary.test_overdue
    assert primary.next_backup_due is None
    assert primary.next_test_due is None
    assert rules(primary.findings) == ["backup-overdue", "restore-test-overdue"]
    assert "no backup of primary-database on record" in primary.findings[0].reason
    plan = report.plan
    assert plan.review_overdue
    assert plan.last_review is None
    assert rules(plan.findings) == ["plan-review-overdue", *["scenario-never-validated"] * 3]
    assert not any(s.validated for s in plan.scenarios)


def test_backup_overdue_after_its_interval_in_elapsed_time() -> None:
    evidence = [e for e in healthy() if not isinstance(e, BackupRun) or e.store != DB]
    on_time = continuity_report([*evidence, backup(NOW - 24 * H)], now=NOW)
    status = on_time.store(DB)
    assert status is not None
    assert not status.backup_overdue
    late = continuity_report([*evidence, backup(NOW - 25 * H)], now=NOW)
    primary = late.store(DB)
    assert primary is not None
    assert primary.backup_overdue
    (finding,) = primary.findings
    assert finding.rule == "backup-overdue"
    assert "the next was due 2026-05-31T23:00:00Z (every 24h), 1h ago" in finding.reason


def test_every_unencrypted_or_not_apart_backup_is_a_finding() -> None:
    evidence = [
        *healthy(),
        backup(NOW - 30 * H, encrypted=False),
        backup(NOW - 54 * H, stored_apart=False, encrypted=False),
    ]
    primary = continuity_report(evidence, now=NOW).store(DB)
    assert primary is not None
    assert not primary.compliant
    assert rules(primary.findings) == [
        "backup-unencrypted",
        "backup-not-stored-apart",
        "backup-unencrypted",
    ]
    assert "2026-05-29T18:00:00Z is not encrypted at rest" in primary.findings[0].reason


def test_missed_rpo_rto_and_unverified_are_findings_of_the_last_test() -> None:
    older_bad = restore(NOW - 30 * D, loss=30 * H, took=9 * H, verified=False)
    base = [e for e in healthy() if not (isinstance(e, RestoreTest) and e.store == DB)]
    judged = continuity_report([*base, older_bad], now=NOW).store(DB)
    assert judged is not None
    assert rules(judged.findings) == ["rpo-missed", "rto-missed", "restore-not-verified"]
    check = judged.last_restore_test
    assert check is not None
    assert not check.met_rpo
    assert not check.met_rto
    assert check.test.data_loss == 30 * H
    assert "30h lost, more than the recovery point objective of 24h" in judged.findings[0].reason
    assert "took 9h, more than the recovery time objective of 8h" in judged.findings[1].reason
    # A later passing test is what counts now.
    fixed = continuity_report([*base, older_bad, restore(NOW - 2 * D)], now=NOW).store(DB)
    assert fixed is not None
    assert fixed.compliant
    assert fixed.findings == ()


def test_restore_test_overdue_after_its_calendar_interval() -> None:
    base = [e for e in healthy() if not (isinstance(e, RestoreTest) and e.store == DB)]
    tested = NOW - 91 * D
    primary = continuity_report([*base, restore(tested)], now=NOW).store(DB)
    assert primary is not None
    assert primary.test_overdue
    assert primary.next_test_due == tested + 90 * D
    assert rules(primary.findings) == ["restore-test-overdue"]
    exactly = continuity_report([*base, restore(NOW - 90 * D)], now=NOW).store(DB)
    assert exactly is not None
    assert not exactly.test_overdue


def test_equal_times_judge_the_worse_test() -> None:
    at = NOW - 5 * D
    for order in ((restore(at), restore(at, took=9 * H)), (restore(at, took=9 * H), restore(at))):
        base = [e for e in healthy() if not (isinstance(e, RestoreTest) and e.store == DB)]
        primary = continuity_report([*base, *order], now=NOW).store(DB)
        assert primary is not None
        assert rules(primary.findings) == ["rto-missed"]


def test_evidence_after_now_is_not_known_yet() -> None:
    report = continuity_report([*healthy(), backup(NOW + H, encrypted=False)], now=NOW)
    assert report.compliant


def test_unknown_store_and_scenario_are_warnings() -> None:
    evidence = [*healthy(), backup(NOW - H, "warehouse"), ScenarioExercise(NOW - H, "alien", True)]
    evidence.append(backup(NOW - 2 * H, "warehouse"))
    report = continuity_report(evidence, now=NOW)
    assert report.compliant
    assert [(f.rule, f.level) for f in report.findings] == [
        ("unknown-store", FindingLevel.WARNING),
        ("unknown-scenario", FindingLevel.WARNING),
    ]
    assert "'warehouse'" in report.findings[0].reason


def test_now_is_checked_and_stored_in_utc() -> None:
    with pytest.raises(rp.NaiveDatetimeError):
        continuity_report([], now=dt.datetime(2026, 6, 1))
    berlin = NOW.astimezone(dt.timezone(dt.timedelta(hours=2)))
    assert continuity_report(healthy(), now=berlin).as_of.utcoffset() == dt.timedelta(0)
    assert continuity_report(healthy(), now=berlin) == continuity_report(healthy(), now=NOW)


def test_bad_evidence_items_are_input_errors() -> None:
    with pytest.raises(PolicyInputError, match=r"evidence\[1\]"):
        continuity_report([backup(NOW), "backup"], now=NOW)
    with pytest.raises(PolicyInputError, match="loads_evidence"):
        continuity_report("{}", now=NOW)
    with pytest.raises(PolicyInputError, match="expected a Policy"):
        continuity_report([], "strict", now=NOW)


# --- the plan ------------------------------------------------------------------------------------


def test_plan_review_and_scenarios_due_dates() -> None:
    report = continuity_report(healthy(), now=NOW)
    plan = report.plan
    assert plan.last_review == NOW - 30 * D
    assert plan.next_review_due == NOW - 30 * D + 365 * D
    assert not plan.review_overdue
    assert [s.scenario for s in plan.scenarios] == list(continuity.REQUIRED_SCENARIOS)
    assert all(s.validated and s.next_due == NOW - 40 * D + 365 * D for s in plan.scenarios)


def test_a_scenario_out_of_its_interval_or_failing_is_not_validated() -> None:
    cloud, subproc, office = continuity.REQUIRED_SCENARIOS
    evidence = [
        *[e for e in healthy() if not isinstance(e, ScenarioExercise)],
        ScenarioExercise(NOW - 400 * D, cloud, passed=True),
        ScenarioExercise(NOW - 40 * D, subproc, passed=True),
        ScenarioExercise(NOW - 20 * D, subproc, passed=False),
    ]
    report = continuity_report(evidence, now=NOW)
    by_id = {s.scenario: s for s in report.plan.scenarios}
    assert not by_id[cloud].validated
    assert by_id[cloud].last_validated == NOW - 400 * D
    assert not by_id[subproc].validated
    assert by_id[subproc].last_validated == NOW - 40 * D
    assert by_id[office].last_validated is None
    assert rules(report.plan.findings) == [
        "scenario-validation-overdue",
        "scenario-exercise-failed",
        "scenario-never-validated",
    ]
    assert not report.compliant


def test_a_scenario_may_have_its_own_interval() -> None:
    span = rp.loads_policy(
        "schema_version = 1\n[continuity.plan]\nscenarios = ["
        '{id = "cloud-infrastructure-disruption", title = "Cloud", validation_interval = "30d"},'
        '{id = "critical-subprocessor-loss", title = "Subprocessor"},'
        '{id = "office-or-personnel-loss", title = "Office"}]\n'
    )
    report = continuity_report(healthy(), span, now=NOW)
    assert [s.validated for s in report.plan.scenarios] == [False, True, True]
    assert report.plan.scenarios[0].reason.startswith("'Cloud' (cloud-infrastructure-disruption)")


# --- the NDA summary ---------------------------------------------------------------------------


def test_summary_lists_objectives_and_validated_scenarios_only() -> None:
    cloud = continuity.REQUIRED_SCENARIOS[0]
    evidence = [
        *[e for e in healthy() if not (isinstance(e, ScenarioExercise) and e.scenario == cloud)],
        backup(NOW - H, encrypted=False),
        attrs.evolve(restore(NOW - D, FILES, took=10 * H), note="INTERNAL: vendor ticket 42"),
    ]
    summary = continuity_summary(evidence, now=NOW)
    assert summary.as_of == dt.date(2026, 6, 1)
    assert [(o.store, o.rpo, o.rto) for o in summary.objectives] == [
        (DB, 24 * H, 8 * H),
        (FILES, 24 * H, 8 * H),
    ]
    assert [s.scenario for s in summary.scenarios] == list(continuity.REQUIRED_SCENARIOS[1:])
    assert all(s.last_validated == (NOW - 40 * D).date() for s in summary.scenarios)
    text = summary.to_markdown() + dumps(summary)
    assert "INTERNAL" not in text
    assert "rto-missed" not in text
    assert "unencrypted" not in text
    assert set(json.loads(dumps(summary))) == {"as_of", "objectives", "scenarios", "schema_version"}


def test_summary_markdown_shape() -> None:
    markdown = continuity_summary([], now=NOW).to_markdown()
    assert markdown.startswith("# Business continuity summary\n")
    assert "| primary-database | 24h | 8h |" in markdown
    assert "No scenario is validated within its interval." in markdown


def test_summary_cells_are_one_line_and_escape_pipes() -> None:
    policy = rp.loads_policy(
        "schema_version = 1\n[continuity.plan]\nscenarios = ["
        '{id = "cloud-infrastructure-disruption", title = "Cloud | region\\nloss"},'
        '{id = "critical-subprocessor-loss", title = "Subprocessor"},'
        '{id = "office-or-personnel-loss", title = "Office"}]\n'
    )
    markdown = continuity_summary(healthy(), policy, now=NOW).to_markdown()
    assert "| Cloud \\| region loss | 2026-04-22 |" in markdown


# --- configuration errors: each names its path and value -------------------------------------


def problems(text: str) -> list[str]:
    with pytest.raises(PolicyConfigError) as caught:
        rp.loads_policy(text)
    return [str(p) for p in caught.value.problems]


STORE = """schema_version = 1
[[continuity.stores]]
name = "ledger"
rpo = "4h"
rto = "2h"
backup_interval = "6h"
restore_test_interval = "30d"
"""

CRITICAL = """schema_version = 1
[[continuity.subprocessors]]
name = "sms-gateway"
backs = ["sms"]
critical = true
customer_visible = true
core = false
impact = "MINOR"
"""


def test_a_backup_interval_longer_than_the_rpo_is_a_configuration_error() -> None:
    assert problems(STORE) == [
        "$.continuity.stores[0].backup_interval: expected at most the recovery point objective "
        "of 'ledger', '4h' (backups further apart could never meet it), got '6h'"
    ]


def test_a_critical_visible_subprocessor_without_a_strategy_is_named() -> None:
    assert problems(CRITICAL) == [
        "$.continuity.subprocessors[0].strategy: expected a documented fallback or degradation "
        "strategy: 'sms-gateway' is critical and its loss would be customer-visible, got ''"
    ]
    assert problems(CRITICAL + 'strategy = "   "\n')[0].endswith("got '   '")
    rp.loads_policy(CRITICAL + 'strategy = "in-app codes"\n')
    rp.loads_policy(CRITICAL.replace("critical = true", "critical = false"))


@pytest.mark.parametrize(
    ("text", "path", "fragment"),
    [
        (
            STORE.replace('name = "ledger"', 'name = " "').replace('"6h"', '"1h"'),
            "$.continuity.stores[0].name",
            "got ' '",
        ),
        (
            STORE.replace('"6h"', '"1h"') * 1
            + STORE.split("schema_version = 1\n")[1].replace('"6h"', '"1h"'),
            "$.continuity.stores[1].name",
            "used once, got 'ledger'",
        ),
        (
            "schema_version = 1\n[continuity]\nstores = []",
            "$.continuity.stores",
            "at least one data store",
        ),
        (
            'schema_version = 1\n[continuity.plan]\nscenarios = [{id = "cloud-infrastructure-disruption", title = "Cloud"}]',
            "$.continuity.plan.scenarios",
            "'critical-subprocessor-loss', 'office-or-personnel-loss', got ['cloud-infrastructure-disruption']",
        ),
        (
            'schema_version = 1\n[continuity.plan]\nscenarios = [{id = "cloud-infrastructure-disruption", title = " "}, {id = "critical-subprocessor-loss", title = "S"}, {id = "office-or-personnel-loss", title = "O"}]',
            "$.continuity.plan.scenarios[0].title",
            "a title to show customers, got ' '",
        ),
        (
            CRITICAL.replace("customer_visible = true", "customer_visible = false"),
            "$.continuity.subprocessors[0].impact",
            "'NONE': the loss of 'sms-gateway' is not customer-visible, got 'MINOR'",
        ),
        (
            CRITICAL.replace('backs = ["sms"]', "backs = []") + 'strategy = "x"\n',
            "$.continuity.subprocessors[0].backs",
            "got []",
        ),
        (
            CRITICAL + 'strategy = "x"\nfallback_channel = "in_app"\n',
            "$.continuity.subprocessors[0].fallback_channel",
            "'sms-gateway' backs no notification channel, got 'in_app'",
        ),
        (
            CRITICAL.replace('"sms"', '"email"') + 'strategy = "x"\nfallback_channel = "email"\n',
            "$.continuity.subprocessors[0].fallback_channel",
            "a channel other than 'email', which 'sms-gateway' backs, got 'email'",
        ),
        (
            CRITICAL.replace('"sms"', '"email"')
            + 'strategy = "x"\nfallback_channel = "in_app"\n'
            + CRITICAL.split("schema_version = 1\n")[1]
            .replace('"sms-gateway"', '"mailer-2"')
            .replace('"sms"', '"email"')
            + 'strategy = "y"\nfallback_channel = "status_page"\n',
            "$.continuity.subprocessors[1].fallback_channel",
            "'in_app', as 'sms-gateway', which also backs 'email' (one fallback per channel), got 'status_page'",
        ),
        (
            'schema_version = 1\n[continuity.plan]\nreview_interval = "365h"',
            "$.continuity.plan.review_interval",
            "a calendar span",
        ),
        (
            STORE.replace('rpo = "4h"', 'rpo = "4d"'),
            "$.continuity.stores[0].rpo",
            "a duration such as",
        ),
        (
            CRITICAL.replace('impact = "MINOR"', 'impact = "BAD"'),
            "$.continuity.subprocessors[0].impact",
            "'OUTAGE'",
        ),
        (
            'schema_version = 1\n[notifications]\nfallback = { email = "in_app" }',
            "$.notifications.fallback",
            "unknown key",
        ),
    ],
)
def test_each_configuration_error_names_its_path_and_value(text, path, fragment) -> None:
    found = problems(text)
    matching = [p for p in found if p.startswith(path + ":")]
    assert matching, found
    assert any(fragment in p for p in matching), matching


def test_policy_problems_checks_a_policy_built_without_the_loader() -> None:
    policy = rp.default_policy()
    stores = (attrs.evolve(policy.continuity.stores[0], backup_interval=48 * H),)
    broken = attrs.evolve(policy, continuity=attrs.evolve(policy.continuity, stores=stores))
    assert [p.path for p in policy_problems(broken)] == ["$.continuity.stores[0].backup_interval"]
    assert [p.path for p in rp.loading.check_policy(broken)] == [
        "$.continuity.stores[0].backup_interval"
    ]


# --- the subprocessor register and the notification channel fallback -------------------------


def test_the_notification_fallback_is_read_from_the_register() -> None:
    policy = rp.default_policy()
    assert policy.notifications.fallback == {Channel.EMAIL: Channel.IN_APP}
    email = next(s for s in policy.continuity.subprocessors if "email" in s.backs)
    assert email.fallback_channel is Channel.IN_APP
    # Rewriting the register rewrites the fallback: there is no second setting.
    register = tuple(
        attrs.evolve(s, fallback_channel=Channel.STATUS_PAGE) if s is email else s
        for s in policy.continuity.subprocessors
    )
    moved = attrs.evolve(policy, continuity=attrs.evolve(policy.continuity, subprocessors=register))
    assert moved.notifications.fallback == {Channel.EMAIL: Channel.STATUS_PAGE}
    none = attrs.evolve(
        policy,
        continuity=attrs.evolve(
            policy.continuity,
            subprocessors=tuple(s for s in policy.continuity.subprocessors if s is not email),
        ),
    )
    assert dict(none.notifications.fallback) == {}
    assert loads(dumps(moved), rp.Policy) == moved
    assert "fallback" not in json.loads(dumps(policy))["notifications"]


def test_a_register_document_sets_the_channel_fallback() -> None:
    policy = rp.loads_policy(
        CRITICAL.replace('"sms"', '"email"').replace("sms-gateway", "mailer")
        + 'strategy = "status page posts"\nfallback_channel = "status_page"\n'
    )
    assert policy.notifications.fallback == {Channel.EMAIL: Channel.STATUS_PAGE}


def _outage_audit(policy: rp.Policy, channel: Channel) -> bool:
    t0 = dt.datetime(2026, 3, 9, 14, 0, tzinfo=dt.UTC)
    notice = SentNotice(
        "n-1",
        t0 + 20 * dt.timedelta(minutes=1),
        channel,
        NoticeKind.FIRST_NOTICE,
        Audience.AFFECTED_TENANTS,
        ("t-001",),
        content=frozenset({"scope", "impact"}),
    )
    facts = CommunicationFacts(
        incident_id="INC-1",
        severities=(SeverityPoint(t0, rp.Severity.SEV_1),),
        scope_confirmed_at=t0,
        scope=(TenantScope("t-001", t0),),
        notices=(notice,),
        outages=(ChannelOutage(Channel.EMAIL, t0, t0 + H),),
    )
    return audit(facts, policy, now=t0 + 40 * dt.timedelta(minutes=1)).compliant


def test_the_notification_audit_follows_the_register() -> None:
    policy = rp.default_policy()
    assert _outage_audit(policy, Channel.IN_APP)
    assert not _outage_audit(policy, Channel.STATUS_PAGE)
    register = tuple(
        attrs.evolve(s, fallback_channel=Channel.STATUS_PAGE) if "email" in s.backs else s
        for s in policy.continuity.subprocessors
    )
    moved = attrs.evolve(policy, continuity=attrs.evolve(policy.continuity, subprocessors=register))
    assert _outage_audit(moved, Channel.STATUS_PAGE)
    assert not _outage_audit(moved, Channel.IN_APP)


# --- dependency status ---------------------------------------------------------------------------


def event(minutes: int, name: str, status: str) -> HealthEvent:
    return HealthEvent(NOW + dt.timedelta(minutes=minutes), name, status)


def test_dependency_status_with_nothing_reported_is_all_up() -> None:
    report = dependency_status([], now=NOW)
    assert [(s.subprocessor, s.state, s.since) for s in report.subprocessors] == [
        ("cloud-provider", HealthState.UP, None),
        ("email-provider", HealthState.UP, None),
    ]
    assert report.fallbacks == report.channel_fallbacks == report.impacts == report.findings == ()


def test_email_down_activates_in_app_and_yields_an_impact_assessment() -> None:
    log = [event(0, "email-provider", "degraded"), event(25, "email-provider", "down")]
    report = dependency_status(log, now=NOW + H)
    email = report.subprocessors[1]
    assert (email.state, email.since) == (HealthState.DOWN, NOW)
    (fallback,) = report.fallbacks
    assert fallback.rule == "subprocessor-fallback"
    assert "in-app" in fallback.reason
    (channel,) = report.channel_fallbacks
    assert (channel.channel, channel.fallback, channel.since) == (
        Channel.EMAIL,
        Channel.IN_APP,
        NOW + 25 * dt.timedelta(minutes=1),
    )
    (impact,) = report.impacts
    assert impact.assessment == rp.ImpactAssessment(
        "MINOR", core=False, customer_visible=True, all_tenants=True
    )
    assert rp.classify(impact.assessment).suggested is rp.Severity.SEV_3
    assert [(f.rule, f.level) for f in report.findings] == [
        ("customer-visible-loss", FindingLevel.WARNING)
    ]


def test_a_degraded_subprocessor_is_at_most_a_degradation_and_keeps_channels() -> None:
    report = dependency_status([event(0, "cloud-provider", "degraded")], now=NOW + H)
    (impact,) = report.impacts
    assert impact.assessment.impact is Impact.DEGRADED
    assert impact.assessment.core
    assert rp.classify(impact.assessment).suggested is rp.Severity.SEV_2
    assert report.channel_fallbacks == ()
    down = dependency_status([event(0, "cloud-provider", "down")], now=NOW + H)
    assert rp.classify(down.impacts[0].assessment).suggested is rp.Severity.SEV_1


def test_recovery_ends_the_fallback_and_order_of_the_log_does_not_matter() -> None:
    log = [event(30, "email-provider", "recovered"), event(0, "email-provider", "down")]
    report = dependency_status(log, now=NOW + H)
    assert report.subprocessors[1].state is HealthState.UP
    assert report.subprocessors[1].since == NOW + 30 * dt.timedelta(minutes=1)
    assert report.fallbacks == ()
    during = dependency_status(log, now=NOW + 10 * dt.timedelta(minutes=1))
    assert during.subprocessors[1].state is HealthState.DOWN


def test_unknown_subprocessor_and_a_loss_without_strategy() -> None:
    policy = rp.default_policy()
    bare = Subprocessor("pager", ("sms",), True, True, False, Impact.MINOR)
    unchecked = attrs.evolve(
        policy,
        continuity=attrs.evolve(
            policy.continuity, subprocessors=(*policy.continuity.subprocessors, bare)
        ),
    )
    log = [event(0, "pager", "down"), event(0, "ghost", "down"), event(5, "ghost", "down")]
    report = dependency_status(log, unchecked, now=NOW + H)
    assert [(f.rule, f.level) for f in report.findings] == [
        ("unknown-subprocessor", FindingLevel.BREACH),
        ("no-fallback-strategy", FindingLevel.BREACH),
        ("customer-visible-loss", FindingLevel.WARNING),
    ]
    assert "(it is down, with no known strategy)" in report.findings[0].reason
    recovered = dependency_status([log[1], event(9, "ghost", "recovered")], now=NOW + H)
    assert [(f.rule, f.level) for f in recovered.findings] == [
        ("unknown-subprocessor", FindingLevel.WARNING)
    ]


def test_dependency_status_checks_its_inputs() -> None:
    with pytest.raises(PolicyInputError, match=r"events\[0\]"):
        dependency_status([{"at": NOW}], now=NOW)
    with pytest.raises(PolicyInputError, match="loads_health_events"):
        dependency_status("down", now=NOW)
    with pytest.raises(rp.NaiveDatetimeError):
        dependency_status([], now=dt.datetime(2026, 1, 1))


# --- values round-trip; evidence and health logs -----------------------------------------------


def test_every_value_round_trips_through_json() -> None:
    report = continuity_report([*healthy(), backup(NOW - H, encrypted=False)], now=NOW)
    assert loads(dumps(report), ContinuityReport) == report
    summary = continuity_summary(healthy(), now=NOW)
    assert loads(dumps(summary), ContinuitySummary) == summary
    deps = dependency_status([event(0, "email-provider", "down")], now=NOW + H)
    assert loads(dumps(deps), DependencyReport) == deps
    for record in healthy():
        assert loads(dumps(record), type(record)) == record


def test_records_are_stored_in_utc_and_validated() -> None:
    local = dt.datetime(2026, 3, 29, 3, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert backup(local).at == dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC)
    assert backup(local).at.tzinfo is dt.UTC
    with pytest.raises(PolicyInputError, match="recovery_point"):
        RestoreTest(NOW, DB, recovery_point=NOW + H, duration=H, verified=True)
    with pytest.raises(PolicyInputError, match="duration"):
        RestoreTest(NOW, DB, recovery_point=NOW, duration=dt.timedelta(0), verified=True)
    with pytest.raises(PolicyInputError, match="encrypted"):
        BackupRun(NOW, DB, encrypted="yes", stored_apart=True)
    with pytest.raises(rp.NaiveDatetimeError):
        BackupRun(dt.datetime(2026, 1, 1), DB, encrypted=True, stored_apart=True)
    with pytest.raises(PolicyInputError, match="status"):
        HealthEvent(NOW, "email-provider", "sideways")
    assert HealthEvent(NOW, "x", "DOWN").status is HealthChange.DOWN


def test_evidence_log_round_trip_and_file() -> None:
    records = tuple(healthy())
    text = dumps_evidence(records)
    assert text.splitlines()[0].startswith('{"type": "backup", ')
    assert loads_evidence(text) == records
    assert loads_evidence("\n\n" + text.replace("\n", "\r\n") + "\n") == records
    events = (event(0, "email-provider", "down"),)
    assert loads_health_events(dumps_health_events(events)) == events
    with pytest.raises(PolicyInputError, match=r"evidence\[0\]"):
        dumps_evidence([event(0, "x", "down")])
    with pytest.raises(PolicyInputError, match=r"events\[0\]"):
        dumps_health_events([backup(NOW)])


def test_load_functions_take_paths_only(tmp_path) -> None:
    path = tmp_path / "evidence.jsonl"
    path.write_text(dumps_evidence(healthy()), encoding="utf-8")
    assert load_evidence(path) == load_evidence(str(path)) == tuple(healthy())
    health = tmp_path / "health.log"
    health.write_text(dumps_health_events([event(0, "email-provider", "down")]), encoding="utf-8")
    assert len(load_health_events(health)) == 1
    with pytest.raises(PolicyInputError, match="readable file") as caught:
        load_evidence(tmp_path / "missing.jsonl")
    assert caught.value.field == "path"
    with pytest.raises(PolicyInputError, match="readable file"):
        load_evidence(tmp_path)
    (tmp_path / "bin.jsonl").write_bytes(b"\xff\xfe")
    with pytest.raises(PolicyInputError, match="UTF-8"):
        load_evidence(tmp_path / "bin.jsonl")
    with pytest.raises(PolicyInputError, match="a path"):
        load_evidence(b"evidence.jsonl")
    # Text is never taken for a path, nor a path for text.
    with pytest.raises(EventLogError, match=r"line 1: .*loads_evidence takes the log's text"):
        loads_evidence(str(path))
    with pytest.raises(PolicyInputError, match="load_evidence"):
        loads_evidence(path)


GOOD = '{"type": "backup", "at": "2026-05-01T00:00:00Z", "store": "db", "encrypted": true, "stored_apart": true}'


@pytest.mark.parametrize(
    ("line", "field", "fragment"),
    [
        ("{not json", "$", "a JSON object"),
        ("[1, 2]", "$", "a JSON object"),
        ('{"type": "snapshot"}', "type", "'backup', 'restore_test'"),
        ('{"at": "2026-05-01T00:00:00Z"}', "type", "one of"),
        (GOOD.replace('"encrypted": true, ', ""), "encrypted", "the field is missing"),
        (GOOD.replace('"encrypted": true', '"encrypted": "yes"'), "encrypted", "true or false"),
        (GOOD.replace("00:00:00Z", "00:00:00"), "at", "timezone-aware"),
        (GOOD.replace('"db"', '""'), "store", "non-empty"),
        (GOOD.replace("}", ', "colour": "blue"}'), "colour", "known keys"),
        (
            '{"type": "restore_test", "at": "2026-05-01T00:00:00Z", "store": "db", '
            '"recovery_point": "2026-05-02T00:00:00Z", "duration": "2h", "verified": true}',
            "recovery_point",
            "at or before the test's start",
        ),
        (
            '{"type": "restore_test", "at": "2026-05-01T00:00:00Z", "store": "db", '
            '"recovery_point": "2026-05-01T00:00:00Z", "duration": "soon", "verified": true}',
            "duration",
            "a duration such as",
        ),
        (
            '{"type": "scenario_exercise", "at": "2026-05-01T00:00:00Z", "scenario": "x"}',
            "passed",
            "missing",
        ),
        ('{"type": "plan_review", "at": 5}', "at", "ISO 8601"),
        (
            '{"type": "backup", ' + '"note": "' + "x" * continuity.MAX_LINE_CHARS + '"}',
            "$",
            "at most 65,536 characters",
        ),
    ],
)
def test_every_bad_evidence_line_is_reported_with_its_line_number(line, field, fragment) -> None:
    text = GOOD + "\n\n" + line + "\n" + GOOD + "\n"
    with pytest.raises(EventLogError) as caught:
        loads_evidence(text)
    assert caught.value.line == 3
    assert str(caught.value).startswith(f"line 3: {field}:"), str(caught.value)
    assert fragment in str(caught.value)


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ('{"at": "2026-05-01T00:00:00Z", "subprocessor": "x", "status": "sideways"}', "status"),
        ('{"at": "2026-05-01T00:00:00Z", "status": "down"}', "subprocessor"),
        ('{"at": "2026-05-01T00:00:00Z", "subprocessor": "x", "status": "down", "why": 1}', "why"),
        ('"down"', "$"),
    ],
)
def test_every_bad_health_line_is_reported_with_its_line_number(line, field) -> None:
    good = '{"at": "2026-05-01T00:00:00Z", "subprocessor": "x", "status": "down"}'
    with pytest.raises(EventLogError) as caught:
        loads_health_events(f"{good}\n{line}\n")
    assert caught.value.line == 2
    assert str(caught.value).startswith(f"line 2: {field}:"), str(caught.value)


def test_logs_are_bounded() -> None:
    with pytest.raises(PolicyInputError, match="lines"):
        loads_evidence("\n" * continuity.MAX_LINES)
    with pytest.raises(PolicyInputError, match="JSON Lines text"):
        loads_health_events(None)
