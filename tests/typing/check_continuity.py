"""Pins the public types of business continuity; type-checked by mypy, never run."""

from __future__ import annotations

import datetime as dt
import pathlib
from collections.abc import Mapping
from typing import assert_type

import reliability_policy as rp
from reliability_policy.continuity import (
    ActiveFallback,
    ChannelFallback,
    CustomerImpact,
    EvidenceRecord,
    HealthChange,
    HealthState,
    PlanStatus,
    RecoveryObjective,
    RestoreCheck,
    ScenarioStatus,
    StoreStatus,
    SubprocessorHealth,
    ValidatedScenario,
)
from reliability_policy.findings import Finding
from reliability_policy.levels import Channel
from reliability_policy.policy import ContinuityPolicy, DataStore, Subprocessor

now = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
policy = rp.default_policy()
assert_type(policy.continuity, ContinuityPolicy)
assert_type(policy.continuity.stores[0], DataStore)
assert_type(policy.continuity.subprocessors[0], Subprocessor)
assert_type(policy.continuity.channel_fallbacks, Mapping[Channel, Channel])
assert_type(policy.notifications.fallback, Mapping[Channel, Channel])

backup = rp.BackupRun(now, "primary-database", encrypted=True, stored_apart=True)
restore = rp.RestoreTest(
    now, "primary-database", recovery_point=now, duration=dt.timedelta(hours=1), verified=True
)
assert_type(restore.data_loss, dt.timedelta)
records: list[EvidenceRecord] = [
    backup,
    restore,
    rp.PlanReview(now),
    rp.ScenarioExercise(now, "x", passed=True),
]
assert_type(rp.loads_evidence(rp.dumps_evidence(records)), tuple[EvidenceRecord, ...])
assert_type(rp.load_evidence(pathlib.Path("evidence.jsonl")), tuple[EvidenceRecord, ...])
assert_type(rp.load_evidence("evidence.jsonl"), tuple[EvidenceRecord, ...])

report = rp.continuity_report(records, policy, now=now)
assert_type(report, rp.ContinuityReport)
assert_type(report.compliant, bool)
assert_type(report.findings, tuple[Finding, ...])
assert_type(report.stores, tuple[StoreStatus, ...])
assert_type(report.store("primary-database"), StoreStatus | None)
assert_type(report.stores[0].last_backup, rp.BackupRun | None)
assert_type(report.stores[0].last_restore_test, RestoreCheck | None)
assert_type(report.stores[0].next_test_due, dt.datetime | None)
assert_type(report.plan, PlanStatus)
assert_type(report.plan.scenarios, tuple[ScenarioStatus, ...])
assert_type(report.plan.next_review_due, dt.datetime | None)

summary = rp.continuity_summary(records, now=now)
assert_type(summary, rp.ContinuitySummary)
assert_type(summary.objectives, tuple[RecoveryObjective, ...])
assert_type(summary.scenarios, tuple[ValidatedScenario, ...])
assert_type(summary.scenarios[0].last_validated, dt.date)
assert_type(summary.to_markdown(), str)

event = rp.HealthEvent(now, "email-provider", HealthChange.DOWN)
assert_type(event.status, HealthChange)
assert_type(rp.loads_health_events(rp.dumps_health_events([event])), tuple[rp.HealthEvent, ...])
status = rp.dependency_status([event], now=now)
assert_type(status, rp.DependencyReport)
assert_type(status.subprocessors, tuple[SubprocessorHealth, ...])
assert_type(status.subprocessors[0].state, HealthState)
assert_type(status.fallbacks, tuple[ActiveFallback, ...])
assert_type(status.channel_fallbacks, tuple[ChannelFallback, ...])
assert_type(status.impacts, tuple[CustomerImpact, ...])
assert_type(status.impacts[0].assessment, rp.ImpactAssessment)
assert_type(rp.classify(status.impacts[0].assessment), rp.Classification)
