"""Properties of the continuity concern, over the strategies shipped in
``reliability_policy.testing``."""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import json
import pathlib

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from fuzzing import json_values, paths, replace
from reliability_policy import testing
from reliability_policy.continuity import (
    ContinuityReport,
    ContinuitySummary,
    DependencyReport,
    EvidenceRecord,
    HealthState,
    RestoreTest,
    continuity_report,
    continuity_summary,
    dependency_status,
    dumps_evidence,
    dumps_health_events,
    loads_evidence,
    loads_health_events,
)
from reliability_policy.errors import EventLogError, PolicyInputError
from reliability_policy.findings import FindingLevel
from reliability_policy.loading import check_policy
from reliability_policy.policy import Policy
from reliability_policy.serialization import dumps, loads

NOWS = st.datetimes(
    dt.datetime(2025, 1, 1), dt.datetime(2027, 6, 30), timezones=st.just(dt.UTC)
).map(lambda d: d.replace(second=0, microsecond=0))


@st.composite
def cases(draw: st.DrawFn) -> tuple[Policy, tuple[EvidenceRecord, ...], dt.datetime]:
    """A policy, evidence about it, and an instant: anywhere, or shortly after some evidence."""
    policy = draw(testing.continuity_policies())
    evidence = draw(testing.evidence_logs(policy=policy))
    now = draw(NOWS)
    if evidence and draw(st.booleans()):
        after = draw(st.integers(0, 120 * 24 * 60).map(lambda m: dt.timedelta(minutes=m)))
        now = draw(st.sampled_from(evidence)).at + after
    return policy, evidence, now


def _fails(test: RestoreTest, policy: Policy, now: dt.datetime) -> bool:
    """An oracle, written apart from the report: is this test a reason not to be compliant?"""
    store = next(s for s in policy.continuity.stores if s.name == test.store)
    too_old = now > policy.calendar.after(test.at, store.restore_test_interval)
    return test.at - test.recovery_point > store.rpo or test.duration > store.rto or too_old


@given(testing.continuity_policies())
def test_generated_policies_are_valid(policy: Policy) -> None:
    assert check_policy(policy) == []


@given(cases())
def test_a_store_is_never_compliant_when_its_last_test_missed_or_is_too_old(case) -> None:
    policy, evidence, now = case
    report = continuity_report(evidence, policy, now=now)
    for status in report.stores:
        tests = [
            r
            for r in evidence
            if isinstance(r, RestoreTest) and r.store == status.store and r.at <= now
        ]
        if not tests:
            assert not status.compliant
            assert status.test_overdue
            continue
        latest = max(t.at for t in tests)
        if any(_fails(t, policy, now) for t in tests if t.at == latest):
            assert not status.compliant, status


@given(cases(), st.data())
def test_a_later_passing_restore_test_never_adds_a_finding(case, data) -> None:
    policy, evidence, now = case
    store = data.draw(st.sampled_from(policy.continuity.stores))
    tests = [r for r in evidence if isinstance(r, RestoreTest) and r.store == store.name]
    after = max((t.at for t in tests), default=now - dt.timedelta(days=400))
    at = data.draw(
        st.integers(1, 500 * 24 * 60).map(lambda m: after + dt.timedelta(minutes=m)), label="at"
    )
    loss = data.draw(st.integers(0, int(store.rpo.total_seconds() // 60)), label="loss")
    took = data.draw(st.integers(1, int(store.rto.total_seconds() // 60)), label="took")
    passing = RestoreTest(
        at,
        store.name,
        recovery_point=at - dt.timedelta(minutes=loss),
        duration=dt.timedelta(minutes=took),
        verified=True,
    )
    position = data.draw(st.integers(0, len(evidence)), label="position")
    more = (*evidence[:position], passing, *evidence[position:])
    before = continuity_report(evidence, policy, now=now)
    later = continuity_report(more, policy, now=now)
    old = collections.Counter((f.rule, f.level) for f in before.findings)
    new = collections.Counter((f.rule, f.level) for f in later.findings)
    assert new <= old, (old, new)
    assert len(later.findings) <= len(before.findings)
    assert later.compliant or not before.compliant


@given(cases())
def test_the_nda_summary_never_contains_a_finding_or_a_note(case) -> None:
    policy, evidence, now = case
    marked = tuple(
        attrs.evolve(record, note=f"INTERNAL-NOTE-{index}: {record.note}")
        for index, record in enumerate(evidence)
    )
    report = continuity_report(marked, policy, now=now)
    summary = continuity_summary(marked, policy, now=now)
    text = summary.to_markdown() + "\n" + dumps(summary)
    assert "INTERNAL-NOTE" not in text
    for finding in report.findings:
        assert finding.reason not in text
    assert set(json.loads(dumps(summary))) == {"as_of", "objectives", "scenarios", "schema_version"}
    # Exactly the validated scenarios, and every store's objectives.
    validated = [s.scenario for s in report.plan.scenarios if s.validated]
    assert [s.scenario for s in summary.scenarios] == validated
    assert [o.store for o in summary.objectives] == [s.name for s in policy.continuity.stores]


@given(cases())
def test_compliance_is_no_breach_and_findings_are_the_parts(case) -> None:
    policy, evidence, now = case
    report = continuity_report(evidence, policy, now=now)
    assert report.compliant == (not any(f.level is FindingLevel.BREACH for f in report.findings))
    parts = [f for s in report.stores for f in s.findings] + list(report.plan.findings)
    assert [f for f in report.findings if f.level is FindingLevel.BREACH] == [
        f for f in parts if f.level is FindingLevel.BREACH
    ]
    for status in report.stores:
        assert status.compliant == (not status.findings)


@given(cases(), st.randoms(use_true_random=False))
def test_the_order_of_the_evidence_does_not_matter(case, random) -> None:
    policy, evidence, now = case
    shuffled = list(evidence)
    random.shuffle(shuffled)
    first = continuity_report(evidence, policy, now=now)
    second = continuity_report(shuffled, policy, now=now)
    # Equal records tie; everything but the order of equal-time flaws is the same.
    assert first.compliant == second.compliant
    assert [s.reason for s in first.stores] == [s.reason for s in second.stores]
    assert sorted(map(repr, first.findings)) == sorted(map(repr, second.findings))


# --- round trips and parsers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("strategy", "kind"),
    [
        (testing.continuity_reports(), ContinuityReport),
        (testing.continuity_summaries(), ContinuitySummary),
        (testing.dependency_reports(), DependencyReport),
        (testing.continuity_policies(), Policy),
    ],
    ids=["report", "summary", "dependencies", "policy"],
)
def test_values_round_trip_through_json(strategy, kind) -> None:
    @given(strategy)
    def check(value) -> None:
        assert loads(dumps(value), kind) == value

    check()


@given(testing.evidence_logs())
def test_evidence_logs_round_trip(log) -> None:
    assert loads_evidence(dumps_evidence(log)) == log
    for record in log:
        assert loads(dumps(record), type(record)) == record


@given(testing.health_logs())
def test_health_logs_round_trip(log) -> None:
    assert loads_health_events(dumps_health_events(log)) == log


@given(st.text(max_size=300))
def test_any_text_gives_records_or_our_error(text) -> None:
    for reader in (loads_evidence, loads_health_events):
        with contextlib.suppress(PolicyInputError):
            reader(text)


@given(testing.evidence_logs(max_size=5), st.data())
def test_a_mutated_line_gives_our_error_naming_its_line(log, data) -> None:
    assume(log)
    lines = dumps_evidence(log).splitlines()
    index = data.draw(st.integers(0, len(lines) - 1))
    record = json.loads(lines[index])
    key = data.draw(st.sampled_from(sorted(record)))
    record[key] = data.draw(
        st.one_of(st.none(), st.integers(), st.text(max_size=5), st.lists(st.integers()))
    )
    lines[index] = json.dumps(record)
    try:
        loads_evidence("\n".join(lines))
    except EventLogError as error:
        assert error.line == index + 1
        assert str(error).startswith(f"line {index + 1}: ")


@given(testing.continuity_policies(), testing.health_logs(), NOWS)
def test_dependency_status_answers_for_every_registered_subprocessor(policy, log, now) -> None:
    report = dependency_status(log, policy, now=now)
    assert [s.subprocessor for s in report.subprocessors] == [
        s.name for s in policy.continuity.subprocessors
    ]
    lost = {s.subprocessor for s in report.subprocessors if s.state is not HealthState.UP}
    assert {f.subprocessor for f in report.fallbacks} <= lost
    assert {i.subprocessor for i in report.impacts} <= lost
    for channel in report.channel_fallbacks:
        assert policy.notifications.fallback[channel.channel] is channel.fallback
    for impact in report.impacts:
        assert impact.assessment.all_tenants
        assert impact.assessment.customer_visible


# --- fuzzing (nox -s fuzz): the example logs with one value replaced -----------------------------

EXAMPLES = pathlib.Path(__file__).parent.parent / "examples"


def _lines(name: str) -> list[dict]:
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.mark.fuzz
@pytest.mark.parametrize(
    ("name", "reader", "judge"),
    [
        ("continuity-evidence.jsonl", loads_evidence, continuity_report),
        ("subprocessor-health.jsonl", loads_health_events, dependency_status),
    ],
    ids=["evidence", "health"],
)
def test_example_logs_with_one_value_mutated(name, reader, judge) -> None:
    lines = _lines(name)

    @given(
        st.integers(0, len(lines) - 1).flatmap(
            lambda n: st.tuples(st.just(n), st.sampled_from(list(paths(lines[n]))))
        ),
        json_values,
    )
    def check(where, value) -> None:
        index, path = where
        text = [json.dumps(line) for line in lines]
        text[index] = json.dumps(replace(lines[index], path, value))
        try:
            records = reader("\n".join(text))
        except EventLogError as error:
            assert error.line == index + 1
            assert str(error).startswith(f"line {index + 1}: ")
            return
        judge(records, now=dt.datetime(2026, 6, 1, tzinfo=dt.UTC))

    check()
