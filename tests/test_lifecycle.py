"""The incident lifecycle: guards (each refuses and names itself), timings, actions, replay."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import json
import pathlib

import attrs
import pytest

from reliability_policy import (
    ConflictingEvent,
    InvalidTransition,
    NaiveDatetimeError,
    OutOfOrderEvent,
    PolicyConfigError,
    PolicyInputError,
    Severity,
    default_policy,
)
from reliability_policy.levels import Channel
from reliability_policy.lifecycle import (
    EVENT_TYPES,
    ActionAdded,
    ActionAssigned,
    ActionCompleted,
    Audience,
    Closed,
    Contained,
    CorrectiveAction,
    DataInvolvement,
    Declined,
    Detected,
    Eradicated,
    Event,
    Guard,
    Incident,
    IncidentKind,
    NoticeKind,
    NotificationSent,
    Phase,
    PhaseEntry,
    Recovered,
    Regression,
    Resolved,
    ReviewCompleted,
    ReviewStarted,
    ScopeChange,
    ScopeChanged,
    SecurityAssessed,
    SeverityChange,
    SeverityChanged,
    Triaged,
    Validated,
    linked_incident,
    replay,
)
from reliability_policy.serialization import dumps, loads, structure, unstructure

T0 = dt.datetime(2026, 3, 8, 6, 0, tzinfo=dt.UTC)
MIN = dt.timedelta(minutes=1)
H = dt.timedelta(hours=1)


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def detected(**kw) -> Detected:
    return Detected(**{"id": "e1", "at": T0, "incident_id": "INC-1", **kw})


def triaged(minutes=5, severity=Severity.SEV_2, tenants=("a", "b"), **kw) -> Triaged:
    return Triaged(id="e2", at=at(minutes), severity=severity, tenants=tenants, **kw)


def through_recovery(severity=Severity.SEV_2) -> list[Event]:
    return [
        detected(),
        triaged(severity=severity),
        Contained(id="e3", at=at(20)),
        Eradicated(id="e4", at=at(40)),
        Recovered(id="e5", at=at(50)),
        Validated(id="e6", at=at(55)),
    ]


def resolved(severity=Severity.SEV_2) -> Incident:
    return replay([*through_recovery(severity), Resolved(id="e7", at=at(60))])


def refuse(incident: Incident, event: Event, rule: str, policy=None) -> InvalidTransition:
    with pytest.raises(InvalidTransition) as info:
        incident.apply(event, policy)
    error = info.value
    assert error.rule == rule
    assert f"[rule {rule}]" in str(error)
    assert error.phase is incident.phase
    assert error.event is event
    assert error.accepted == incident.accepted_events()
    return error


# --- the happy path ---------------------------------------------------------------------------


def test_a_material_incident_from_detection_to_closing():
    events = [
        *through_recovery(Severity.SEV_1),
        Resolved(id="e7", at=at(60)),
        ReviewStarted(id="e8", at=at(600)),
        ActionAdded(id="e9", at=at(610), action_id="A1", title="alert earlier"),
        ActionAssigned(id="e10", at=at(620), action_id="A1", owner="sre", due=at(60 * 24 * 14)),
        ReviewCompleted(id="e11", at=at(700)),
        Closed(id="e12", at=at(701)),
    ]
    incident = replay(events)
    assert incident.phase is Phase.CLOSED
    assert [e.phase for e in incident.phase_history] == [
        Phase.DETECTED,
        Phase.TRIAGED,
        Phase.CONTAINED,
        Phase.ERADICATED,
        Phase.RECOVERED,
        Phase.RESOLVED,
        Phase.IN_REVIEW,
        Phase.CLOSED,
    ]
    assert incident.phase_history[0] == PhaseEntry(Phase.DETECTED, T0, "e1", at(5))
    assert incident.phase_history[-1].until is None
    assert incident.phase_history[-1].duration is None
    assert incident.phase_history[1].duration == 15 * MIN
    assert incident.time_to_triage == 5 * MIN
    assert incident.time_to_contain == 20 * MIN
    assert incident.time_to_recover == 50 * MIN
    assert incident.time_to_resolve == 60 * MIN
    assert incident.highest_severity is Severity.SEV_1
    assert incident.is_material()
    assert incident.events == tuple(events)
    assert incident.event_count == len(events)
    assert incident.last_event_at == at(701)
    assert incident.resolved_at == at(60)
    assert incident.review_completed_at == at(700)
    assert not incident.is_open


def test_a_rollback_recovers_without_containment():
    incident = replay([detected(), triaged(), Recovered(id="e3", at=at(30))])
    assert incident.phase is Phase.RECOVERED
    assert incident.time_to_contain is None
    assert incident.time_to_recover == 30 * MIN
    assert incident.is_open


def test_facts_from_the_detected_event():
    incident = Incident.open(
        detected(
            title="Sign-in errors",
            kind=IncidentKind.SECURITY,
            customer_data=DataInvolvement.YES,
            aware_at=T0 - H,
        )
    )
    assert incident.id == "INC-1"
    assert incident.title == "Sign-in errors"
    assert incident.kind is IncidentKind.SECURITY
    assert incident.customer_data is DataInvolvement.YES
    assert incident.aware_at == T0 - H
    assert incident.detected_at == T0
    assert incident.severity is None
    assert incident.highest_severity is None
    assert incident.scope_confirmed_at is None
    assert incident.time_to_triage is None
    assert not incident.is_material()
    assert incident.linked_to is None
    assert "INC-1" in repr(incident)
    assert "DETECTED" in repr(incident)


def test_triage_confirms_the_scope_and_keeps_the_classification():
    incident = replay(
        [detected(), triaged(rule="core-partial-outage", reason="core out for 6% of tenants")]
    )
    assert incident.scope_confirmed_at == at(5)
    assert incident.tenants == {"a", "b"}
    assert incident.classification_rule == "core-partial-outage"
    assert incident.classification_reason == "core out for 6% of tenants"
    assert incident.tenant_added_at == {"a": at(5), "b": at(5)}
    assert incident.severity_history == (
        SeverityChange(
            at(5),
            Severity.SEV_2,
            None,
            "core out for 6% of tenants",
            "e2",
            "core-partial-outage",
        ),
    )


# --- escalation, scope, notifications, security facts -----------------------------------------


def test_severity_history_records_escalation_and_deescalation():
    incident = replay(
        [
            detected(),
            triaged(severity=Severity.SEV_3),
            SeverityChanged(id="e3", at=at(10), severity=Severity.SEV_1, reason="spreading"),
            SeverityChanged(id="e4", at=at(30), severity=Severity.SEV_3, reason="mitigated"),
        ]
    )
    assert incident.severity is Severity.SEV_3
    assert incident.highest_severity is Severity.SEV_1
    assert incident.is_material()
    history = incident.severity_history
    assert [(c.at, c.previous, c.severity) for c in history] == [
        (at(5), None, Severity.SEV_3),
        (at(10), Severity.SEV_3, Severity.SEV_1),
        (at(30), Severity.SEV_1, Severity.SEV_3),
    ]
    assert history[0].reason == "severity set at triage"
    assert not history[0].is_escalation
    assert not history[0].is_deescalation
    assert history[1].is_escalation
    assert not history[1].is_deescalation
    assert history[2].is_deescalation


def test_materiality_follows_the_policy():
    incident = replay([detected(), triaged(severity=Severity.SEV_3)])
    policy = default_policy()
    strict = attrs.evolve(
        policy, severity=attrs.evolve(policy.severity, material=frozenset(Severity))
    )
    assert not incident.is_material(policy)
    assert incident.is_material(strict)


def test_scope_changes_keep_each_tenants_times():
    incident = replay(
        [
            detected(),
            triaged(),
            ScopeChanged(id="e3", at=at(10), added={"c"}, removed={"a"}, reason="re-scoped"),
            ScopeChanged(id="e4", at=at(20), added={"a"}),
        ]
    )
    assert incident.tenants == {"a", "b", "c"}
    assert incident.tenants_ever_affected == {"a", "b", "c"}
    assert incident.tenant_added_at == {"a": at(5), "b": at(5), "c": at(10)}
    assert incident.tenant_removed_at == {}
    assert incident.scope_history == (
        ScopeChange(at(5), "a", True, "e2"),
        ScopeChange(at(5), "b", True, "e2"),
        ScopeChange(at(10), "a", False, "e3"),
        ScopeChange(at(10), "c", True, "e3"),
        ScopeChange(at(20), "a", True, "e4"),
    )
    removed = incident.apply(ScopeChanged(id="e5", at=at(30), removed={"b"}))
    assert removed.tenants == {"a", "c"}
    assert removed.tenant_removed_at == {"b": at(30)}
    assert removed.tenants_ever_affected == {"a", "b", "c"}
    assert incident.tenants == {"a", "b", "c"}  # the older value is unchanged


def test_notifications_and_assessments_are_kept_in_order():
    first = NotificationSent(
        id="n1", at=at(30), channel=Channel.EMAIL, kind=NoticeKind.FIRST_NOTICE, tenants={"a"}
    )
    fallback = NotificationSent(
        id="n2",
        at=at(31),
        channel=Channel.IN_APP,
        kind=NoticeKind.FIRST_NOTICE,
        tenants={"b"},
        fallback_for=Channel.EMAIL,
    )
    dpa = NotificationSent(
        id="n3",
        at=at(40),
        channel=Channel.EMAIL,
        kind=NoticeKind.DPA_NOTICE,
        audience=Audience.SECURITY_CONTACTS,
        tenants={"a"},
        content={"nature", "contact_point"},
    )
    assessed = SecurityAssessed(
        id="s1", at=at(35), kind=IncidentKind.SECURITY, customer_data=DataInvolvement.UNKNOWN
    )
    incident = replay([detected(), triaged(), first, fallback, assessed, dpa])
    assert incident.notifications == (first, fallback, dpa)
    assert incident.assessments == (assessed,)
    assert incident.kind is IncidentKind.SECURITY
    assert incident.aware_at == at(35)  # it became a security incident then


def test_awareness_only_moves_earlier():
    base = replay([detected(kind=IncidentKind.SECURITY, aware_at=T0 - H), triaged()])

    def assess(event_id, minutes, aware_at=None, kind=IncidentKind.SECURITY):
        return SecurityAssessed(
            id=event_id,
            at=at(minutes),
            kind=kind,
            customer_data=DataInvolvement.NO,
            aware_at=aware_at,
        )

    assert base.apply(assess("s1", 10, aware_at=at(8))).aware_at == T0 - H
    assert base.apply(assess("s1", 10, aware_at=T0 - 2 * H)).aware_at == T0 - 2 * H
    demoted = base.apply(assess("s1", 10, kind=IncidentKind.AVAILABILITY))
    assert demoted.kind is IncidentKind.AVAILABILITY
    assert demoted.customer_data is DataInvolvement.NO
    assert demoted.aware_at == T0 - H
    promoted = demoted.apply(assess("s2", 20, aware_at=at(15)))
    assert promoted.aware_at == at(15)


# --- corrective actions -----------------------------------------------------------------------


def test_open_and_overdue_actions_also_after_closing():
    incident = resolved(Severity.SEV_3).apply(
        ActionAdded(id="a1", at=at(70), action_id="A1", title="fix", owner="o", due=at(1000))
    )
    incident = incident.apply(ActionAdded(id="a2", at=at(71), action_id="A2", title="docs"))
    incident = incident.apply(Closed(id="c", at=at(80)))
    assert incident.phase is Phase.CLOSED
    assert [a.id for a in incident.open_actions()] == ["A1", "A2"]
    assert incident.overdue_actions(at(999)) == ()
    assert [a.id for a in incident.overdue_actions(at(1001))] == ["A1"]
    done = incident.apply(ActionCompleted(id="a3", at=at(2000), action_id="A1"))
    assert [a.id for a in done.open_actions()] == ["A2"]
    assert done.overdue_actions(at(5000)) == ()
    assert done.actions["A1"] == CorrectiveAction(
        "A1", "fix", at(70), "o", at(1000), completed_at=at(2000)
    )
    assert not done.actions["A1"].is_open
    assert done.actions["A1"].is_assigned
    assert not done.actions["A2"].is_assigned
    assert not done.actions["A1"].is_overdue(at(5000))
    with pytest.raises(NaiveDatetimeError):
        done.overdue_actions(dt.datetime(2026, 3, 9))
    with pytest.raises(NaiveDatetimeError):
        done.actions["A2"].is_overdue(dt.datetime(2026, 3, 9))


def test_assigning_an_action_and_completing_an_unassigned_one():
    incident = replay([detected(), triaged()])
    incident = incident.apply(ActionAdded(id="a1", at=at(6), action_id="A1", title="t"))
    incident = incident.apply(
        ActionAssigned(id="a2", at=at(7), action_id="A1", owner="sre", due=at(100))
    )
    assert incident.actions["A1"].owner == "sre"
    incident = incident.apply(ActionAdded(id="a3", at=at(8), action_id="A2", title="t"))
    incident = incident.apply(ActionCompleted(id="a4", at=at(9), action_id="A2"))
    assert incident.open_actions() == (incident.actions["A1"],)


# --- each guard refuses and names itself ------------------------------------------------------


def test_scope_confirmed_for_triage():
    incident = Incident.open(detected())
    refuse(incident, triaged(tenants=()), "scope-confirmed-for-triage")
    refuse(incident, ScopeChanged(id="x", at=at(1), added={"a"}), "scope-confirmed-for-triage")


def test_stabilize_before_root_cause():
    triaged_incident = replay([detected(), triaged()])
    error = refuse(triaged_incident, Eradicated(id="x", at=at(10)), "stabilize-before-root-cause")
    assert "contained" in error.reason
    recovered = triaged_incident.apply(Recovered(id="r", at=at(10)))
    refuse(recovered, Eradicated(id="x", at=at(11)), "stabilize-before-root-cause")


def test_validate_before_resolve():
    recovered = replay(through_recovery()[:-1])
    error = refuse(recovered, Resolved(id="x", at=at(60)), "validate-before-resolve")
    assert "validated" in error.reason
    contained = replay(through_recovery()[:3])
    refuse(contained, Resolved(id="x", at=at(60)), "validate-before-resolve")
    refuse(contained, Validated(id="x", at=at(60)), "validate-before-resolve")
    # a validation before a new recovery does not count
    reopened = resolved().apply(Regression(id="g", at=at(100), reason="back"))
    again = reopened.apply(Recovered(id="r2", at=at(110)))
    refuse(again, Resolved(id="x", at=at(120)), "validate-before-resolve")


def test_review_before_close_for_material_incidents():
    material = resolved(Severity.SEV_1)
    error = refuse(material, Closed(id="x", at=at(100)), "review-before-close")
    assert "SEV-1" in error.reason
    in_review = material.apply(ReviewStarted(id="r", at=at(100)))
    refuse(in_review, Closed(id="x", at=at(110)), "review-before-close")
    done = in_review.apply(ReviewCompleted(id="d", at=at(120)))
    assert done.apply(Closed(id="x", at=at(130))).phase is Phase.CLOSED
    # non-material incidents may close straight from RESOLVED
    assert resolved(Severity.SEV_3).apply(Closed(id="x", at=at(100))).phase is Phase.CLOSED


def test_materiality_is_the_highest_severity_ever_reached():
    events = through_recovery(Severity.SEV_1)
    events.insert(2, SeverityChanged(id="s", at=at(10), severity=Severity.SEV_3, reason="ok"))
    incident = replay([*events, Resolved(id="e7", at=at(60))])
    assert incident.severity is Severity.SEV_3
    refuse(incident, Closed(id="x", at=at(100)), "review-before-close")


def test_actions_need_owner_and_due_date():
    in_review = resolved(Severity.SEV_1).apply(ReviewStarted(id="r", at=at(100)))
    in_review = in_review.apply(ActionAdded(id="a", at=at(101), action_id="A1", title="t"))
    error = refuse(
        in_review, ReviewCompleted(id="x", at=at(110)), "actions-need-owner-and-due-date"
    )
    assert "1 corrective action has" in error.reason
    assigned = in_review.apply(
        ActionAssigned(id="b", at=at(105), action_id="A1", owner="sre", due=at(9000))
    )
    done = assigned.apply(ReviewCompleted(id="x", at=at(110)))
    # an action added after the review completed blocks closing until it is assigned
    late = done.apply(ActionAdded(id="c", at=at(111), action_id="A2", title="t"))
    late = late.apply(ActionAdded(id="d", at=at(112), action_id="A3", title="t"))
    error = refuse(late, Closed(id="y", at=at(120)), "actions-need-owner-and-due-date")
    assert "2 corrective actions have" in error.reason


def test_severity_frozen_after_resolution():
    incident = resolved(Severity.SEV_3)
    change = SeverityChanged(id="x", at=at(100), severity=Severity.SEV_1, reason="oops")
    refuse(incident, change, "severity-frozen-after-resolution")
    closed = incident.apply(Closed(id="c", at=at(90)))
    refuse(closed, change, "severity-frozen-after-resolution")


def test_reopen_window_and_a_linked_incident_after_it():
    incident = resolved()
    window = default_policy().lifecycle.reopen_window
    late = Regression(id="g", at=at(60) + window + MIN, reason="back again")
    error = refuse(incident, late, "reopen-window")
    assert "linked_incident" in error.reason
    new = linked_incident(incident, late, incident_id="INC-2")
    assert new.phase is Phase.DETECTED
    assert new.linked_to == "INC-1"
    assert new.detected_at == late.at
    assert new.events[0].id == "g"
    assert "back again" in new.title
    # a longer window in the policy reopens it
    policy = default_policy()
    longer = attrs.evolve(
        policy, lifecycle=attrs.evolve(policy.lifecycle, reopen_window=2 * window)
    )
    assert incident.apply(late, longer).phase is Phase.TRIAGED
    with pytest.raises(InvalidTransition, match="reopen-window"):
        linked_incident(incident, late, longer, incident_id="INC-2")


def test_a_regression_within_the_window_reopens_to_triaged():
    incident = resolved(Severity.SEV_2).apply(ReviewStarted(id="r", at=at(70)))
    window = default_policy().lifecycle.reopen_window
    reopened = incident.apply(
        Regression(id="g", at=at(60) + window, reason="back", severity=Severity.SEV_1)
    )
    assert reopened.phase is Phase.TRIAGED
    assert reopened.is_open
    assert reopened.resolved_at is None
    assert reopened.review_started_at is None
    assert reopened.time_to_resolve is None
    assert reopened.time_to_recover is None
    assert reopened.time_to_contain == 20 * MIN  # the first containment still counts
    assert reopened.reopened_at == (at(60) + window,)
    assert reopened.severity is Severity.SEV_1
    assert reopened.severity_history[-1].previous is Severity.SEV_2
    assert (
        reopened.apply(
            SeverityChanged(id="s", at=at(5000), severity=Severity.SEV_2, reason="ok")
        ).severity
        is Severity.SEV_2
    )
    with pytest.raises(InvalidTransition, match="reopen-window"):
        linked_incident(incident, Regression(id="g", at=at(100), reason="x"), incident_id="I2")
    with pytest.raises(InvalidTransition, match="reopen-window"):
        linked_incident(reopened, Regression(id="h", at=at(9000), reason="x"), incident_id="I2")


def test_other_named_guards():
    incident = replay([detected(), triaged(severity=Severity.SEV_2)])
    refuse(
        incident,
        SeverityChanged(id="x", at=at(9), severity=Severity.SEV_2, reason="same"),
        "severity-change-must-differ",
    )
    refuse(incident, ScopeChanged(id="x", at=at(9), added={"a"}), "scope-change-consistent")
    refuse(incident, ScopeChanged(id="x", at=at(9), removed={"z"}), "scope-change-consistent")
    error = refuse(
        incident, ScopeChanged(id="x", at=at(9), removed={"a", "b"}), "scope-change-consistent"
    )
    assert "empty" in error.reason
    with_action = incident.apply(ActionAdded(id="a", at=at(9), action_id="A1", title="t"))
    refuse(
        with_action, ActionAdded(id="x", at=at(9), action_id="A1", title="t"), "action-ids-unique"
    )
    refuse(with_action, ActionCompleted(id="x", at=at(9), action_id="A9"), "action-must-be-open")
    completed = with_action.apply(ActionCompleted(id="c", at=at(9), action_id="A1"))
    refuse(completed, ActionCompleted(id="x", at=at(9), action_id="A1"), "action-must-be-open")
    refuse(
        completed,
        ActionAssigned(id="x", at=at(9), action_id="A1", owner="o", due=at(99)),
        "action-must-be-open",
    )


@pytest.mark.parametrize(
    ("prefix", "event", "rule"),
    [
        (1, Contained(id="x", at=at(9)), "phase-order"),
        (1, Resolved(id="x", at=at(9)), "phase-order"),
        (2, Triaged(id="x", at=at(9), severity=Severity.SEV_1, tenants={"a"}), "phase-order"),
        (2, detected(id="x", at=at(9)), "phase-order"),
        (2, Regression(id="x", at=at(9), reason="r"), "phase-order"),
        (2, ReviewStarted(id="x", at=at(9)), "phase-order"),
        (2, Closed(id="x", at=at(9)), "phase-order"),
        (3, Contained(id="x", at=at(30)), "phase-order"),
        (6, Declined(id="x", at=at(60), reason="r"), "phase-order"),
        (6, ReviewCompleted(id="x", at=at(60)), "phase-order"),
    ],
)
def test_phase_order(prefix, event, rule):
    incident = replay(through_recovery()[:prefix])
    refuse(incident, event, rule)


def test_declined_is_final():
    incident = replay([detected(), Declined(id="d", at=at(3), reason="false alarm")])
    assert incident.phase is Phase.DECLINED
    assert not incident.is_open
    error = refuse(incident, triaged(), "phase-order")
    assert "declined" in error.reason
    refuse(incident, ActionAdded(id="x", at=at(9), action_id="A", title="t"), "phase-order")
    assert incident.accepted_events() == ("security_assessed", "notification_sent")
    assert replay([detected(), triaged(), Declined(id="d", at=at(9), reason="routine")]).phase is (
        Phase.DECLINED
    )


def test_a_review_completes_once():
    done = (
        resolved(Severity.SEV_1)
        .apply(ReviewStarted(id="r", at=at(100)))
        .apply(ReviewCompleted(id="d", at=at(101)))
    )
    error = refuse(done, ReviewCompleted(id="x", at=at(102)), "phase-order")
    assert "already" in error.reason


def test_invalid_transition_message_reads_like_a_sentence():
    incident = replay([detected(), triaged()])
    with pytest.raises(InvalidTransition) as info:
        incident.apply(Eradicated(id="x", at=at(10)))
    message = str(info.value)
    assert message.startswith("Cannot apply 'eradicated' in phase TRIAGED: ")
    assert "Accepted now: severity_changed, scope_changed, contained, recovered" in message


def test_every_guard_is_exercised_by_a_test_in_this_module():
    source = pathlib.Path(__file__).read_text(encoding="utf-8")
    for guard in Guard:
        assert f'"{guard.value}"' in source, guard


# --- ids, order and duplicates ----------------------------------------------------------------


def test_the_same_event_twice_is_a_no_op():
    incident = replay([detected(), triaged()])
    assert incident.apply(triaged()) is incident
    assert incident.apply(detected()) is incident
    copy = Triaged(
        id="e2",
        at=at(5).astimezone(dt.timezone(dt.timedelta(hours=5, minutes=45))),
        severity=Severity.SEV_2,
        tenants=["b", "a"],
    )
    assert incident.apply(copy) is incident  # same content, written differently


def test_the_same_id_with_other_content_is_a_conflict():
    incident = replay([detected(), triaged()])
    with pytest.raises(ConflictingEvent) as info:
        incident.apply(triaged(severity=Severity.SEV_1))
    assert info.value.field == "id"
    assert info.value.value == "e2"
    with pytest.raises(ConflictingEvent):
        incident.apply(Contained(id="e1", at=at(30)))


def test_times_never_go_backwards():
    incident = replay([detected(), triaged(minutes=10)])
    with pytest.raises(OutOfOrderEvent) as info:
        incident.apply(Contained(id="x", at=at(9)))
    assert info.value.field == "at"
    assert "2026-03-08T06:10:00Z" in str(info.value)
    assert incident.apply(Contained(id="x", at=at(10))).phase is Phase.CONTAINED


def test_a_log_must_start_with_detected():
    with pytest.raises(InvalidTransition) as info:
        replay([triaged()])
    assert info.value.rule == "phase-order"
    assert info.value.phase is None
    assert info.value.accepted == ("detected",)
    with pytest.raises(InvalidTransition):
        Incident.open(triaged())
    with pytest.raises(PolicyInputError, match="starts with a 'detected' event"):
        replay([])


@pytest.mark.parametrize("thing", [None, "triaged", {"type": "triaged"}, 3])
def test_things_that_are_not_events_are_input_errors(thing):
    incident = replay([detected()])
    with pytest.raises(PolicyInputError):
        incident.apply(thing)
    with pytest.raises(PolicyInputError):
        replay([thing])
    with pytest.raises(PolicyInputError):
        replay([detected(), thing])


def test_branching_from_an_older_value_leaves_both_lines_intact():
    base = replay([detected(), triaged()])
    left = base.apply(Contained(id="x", at=at(10)))
    right = base.apply(Recovered(id="y", at=at(10)))  # a second line from the same value
    assert left.phase is Phase.CONTAINED
    assert right.phase is Phase.RECOVERED
    # each line sees only its own ids: "x" is new to the right line, so a guard refuses it
    with pytest.raises(InvalidTransition):
        right.apply(Contained(id="x", at=at(11)))
    assert left.apply(Contained(id="x", at=at(10))) is left
    assert left.apply(Recovered(id="y", at=at(11))).phase is Phase.RECOVERED
    assert base.apply(Contained(id="x", at=at(10))) == left
    assert base.events == (detected(), triaged())
    left_more = left.apply(ScopeChanged(id="s", at=at(12), added={"c"}))
    right_more = right.apply(ScopeChanged(id="s", at=at(12), removed={"a"}))
    assert left_more.tenants == {"a", "b", "c"}
    assert right_more.tenants == {"b"}
    with pytest.raises(InvalidTransition):  # "c" is not in scope on the right
        right_more.apply(ScopeChanged(id="t", at=at(13), removed={"c"}))


def test_equality_and_hash_follow_the_log():
    one = replay(through_recovery())
    two = replay(through_recovery())
    assert one == two
    assert hash(one) == hash(two)
    assert one != replay(through_recovery()[:-1])
    other = through_recovery()
    other[-1] = Validated(id="e6", at=at(56))
    assert one != replay(other)
    assert one != "an incident"


# --- serialization ----------------------------------------------------------------------------


def test_events_round_trip_with_a_type_field():
    for event in through_recovery():
        data = unstructure(event)
        assert data["type"] == event.type
        assert structure(data, type(event)) == event
        assert structure(data, Event) == event
    assert set(EVENT_TYPES) == {cls.type for cls in EVENT_TYPES.values()}


def test_an_incident_round_trips_as_its_log():
    incident = resolved(Severity.SEV_1)
    text = dumps(incident)
    assert json.loads(text)["schema_version"] == 1
    assert loads(text, Incident) == incident


def test_an_incident_accepted_under_a_custom_policy_still_loads():
    policy = default_policy()
    week = attrs.evolve(policy, lifecycle=attrs.evolve(policy.lifecycle, reopen_window=168 * H))
    incident = resolved().apply(Regression(id="g", at=at(60) + 100 * H, reason="r"), week)
    assert loads(dumps(incident), Incident) == incident


@pytest.mark.parametrize(
    "data",
    [
        [],
        {"events": []},
        {"schema_version": 2, "events": []},
        {"schema_version": 1, "events": [], "extra": 1},
        {"schema_version": 1, "events": [{"type": "nope"}]},
        {"schema_version": 1, "events": [{"type": "contained", "id": "x", "at": "bad"}]},
    ],
)
def test_bad_incident_documents_are_config_errors(data):
    with pytest.raises(PolicyConfigError):
        structure(data, Incident)


def test_an_event_with_the_wrong_type_field_is_refused():
    data = unstructure(triaged())
    with pytest.raises(PolicyConfigError, match="'contained'"):
        structure(data, Contained)
    with pytest.raises(PolicyConfigError):
        structure("triaged", Triaged)
    with pytest.raises(PolicyConfigError):
        structure(["x"], Event)


# --- event construction -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: Detected(id="", at=T0, incident_id="I"), "id"),
        (lambda: Detected(id="e", at=dt.datetime(2026, 1, 1), incident_id="I"), "at"),
        (lambda: Detected(id="e", at="2026-01-01T00:00:00Z", incident_id="I"), "at"),
        (lambda: Detected(id="e", at=T0, incident_id=" "), "incident_id"),
        (lambda: Detected(id="e", at=T0, incident_id="I", aware_at=at(1)), "aware_at"),
        (lambda: Detected(id="e", at=T0, incident_id="I", kind="securty"), "kind"),
        (lambda: Detected(id="e", at=T0, incident_id="I", linked_to=""), "linked_to"),
        (lambda: Detected(id="e", at=T0, incident_id="I", title=5), "title"),
        (lambda: Triaged(id="e", at=T0, severity="SEV-4", tenants={"a"}), "severity"),
        (lambda: Triaged(id="e", at=T0, severity=Severity.SEV_1, tenants="ab"), "tenants"),
        (lambda: Triaged(id="e", at=T0, severity=Severity.SEV_1, tenants={""}), "tenants"),
        (lambda: Triaged(id="e", at=T0, severity=Severity.SEV_1, tenants=5), "tenants"),
        (lambda: SeverityChanged(id="e", at=T0, severity=Severity.SEV_1, reason=""), "reason"),
        (lambda: ScopeChanged(id="e", at=T0), "added"),
        (lambda: ScopeChanged(id="e", at=T0, added={"a"}, removed={"a"}), "removed"),
        (lambda: Regression(id="e", at=T0, reason="r", severity=1), "severity"),
        (
            lambda: ActionAdded(
                id="e", at=T0, action_id="A", title="t", due=dt.datetime(2026, 1, 1)
            ),
            "due",
        ),
        (lambda: ActionAdded(id="e", at=T0, action_id="A", title="t", owner=""), "owner"),
        (lambda: ActionAssigned(id="e", at=T0, action_id="A", owner="o", due=None), "due"),
        (
            lambda: SecurityAssessed(
                id="e", at=T0, kind=IncidentKind.SECURITY, customer_data="maybe"
            ),
            "customer_data",
        ),
        (
            lambda: NotificationSent(
                id="e",
                at=T0,
                channel=Channel.EMAIL,
                kind=NoticeKind.UPDATE,
                tenants={"a"},
                fallback_for=Channel.EMAIL,
            ),
            "fallback_for",
        ),
        (
            lambda: NotificationSent(id="e", at=T0, channel=Channel.EMAIL, kind=NoticeKind.UPDATE),
            "tenants",
        ),
    ],
)
def test_bad_event_fields_are_input_errors_naming_the_field(build, field):
    with pytest.raises(PolicyInputError) as info:
        build()
    assert info.value.field == field


def test_notices_to_the_status_page_name_no_tenants():
    notice = NotificationSent(
        id="e",
        at=T0,
        channel=Channel.STATUS_PAGE,
        kind=NoticeKind.UPDATE,
        audience=Audience.STATUS_PAGE,
    )
    assert notice.tenants == frozenset()


def test_a_declined_incident_has_no_regressions():
    declined = replay([detected(), Declined(id="d", at=at(3), reason="false alarm")])
    with pytest.raises(InvalidTransition, match="declined"):
        linked_incident(declined, Regression(id="g", at=at(10), reason="x"), incident_id="I2")


def test_incident_built_from_events_is_a_replay():
    events = through_recovery()
    assert Incident(events) == replay(events)
    assert Incident(events, default_policy()).phase is Phase.RECOVERED


def test_views_of_older_values_are_recomputed_not_mixed_up():
    older = replay([detected(), triaged()])
    newer = older.apply(ScopeChanged(id="s", at=at(10), added={"c"}))
    for _ in range(2):
        assert older.tenants == {"a", "b"}
        assert newer.tenants == {"a", "b", "c"}
        assert len(older.events) == 2
        assert len(newer.events) == 3


def test_a_fork_keeps_the_corrective_actions_of_its_line():
    base = replay([detected(), triaged()]).apply(
        ActionAdded(id="a1", at=at(6), action_id="A1", title="t")
    )
    left = base.apply(ActionCompleted(id="c1", at=at(7), action_id="A1"))
    right = base.apply(ActionAdded(id="a2", at=at(7), action_id="A2", title="t"))  # branches
    assert right.apply(ActionCompleted(id="c2", at=at(8), action_id="A1")).open_actions() == (
        right.actions["A2"],
    )
    with pytest.raises(InvalidTransition, match="action-must-be-open"):
        left.apply(ActionCompleted(id="c3", at=at(8), action_id="A1"))
    with pytest.raises(InvalidTransition, match="action-ids-unique"):
        right.apply(ActionAdded(id="a3", at=at(8), action_id="A1", title="t"))


def test_values_are_safe_to_share_between_threads():
    base = replay([detected(), triaged()])
    events = [
        ScopeChanged(id=f"s{n}", at=at(10), added={f"x{n}"}, removed={"a"}) for n in range(16)
    ]
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(base.apply, events))
    for event, result in zip(events, results, strict=True):
        assert result.events == (*base.events, event)
        assert result.tenants == {"b", *event.added}
        again = result.apply(ScopeChanged(id="t", at=at(11), added={"a"}))
        assert again.tenants == {"a", "b", *event.added}


def test_the_same_event_applied_twice_to_one_value_shares_its_history():
    base = replay([detected(), triaged()])
    event = Contained(id="x", at=at(10))
    first, second = base.apply(event), base.apply(event)
    assert first == second
    assert first._replayed is second._replayed is base._replayed  # shared, not copied
    assert first._log[:-1] == second._log[:-1] == base._log
    assert first.recovered_at is None
    recovered = first.apply(Recovered(id="r", at=at(20))).apply(Validated(id="v", at=at(21)))
    assert recovered.recovered_at == at(20)
    assert recovered.validated_at == at(21)


@pytest.mark.parametrize(
    ("build", "field", "member"),
    [
        (lambda v: Detected(id="e", at=T0, incident_id="I", kind=v), "kind", IncidentKind.SECURITY),
        (lambda v: Triaged(id="e", at=T0, severity=v, tenants={"a"}), "severity", Severity.SEV_1),
        (
            lambda v: SeverityChanged(id="e", at=T0, severity=v, reason="r"),
            "severity",
            Severity.SEV_1,
        ),
        (lambda v: Regression(id="e", at=T0, reason="r", severity=v), "severity", Severity.SEV_1),
        (
            lambda v: SecurityAssessed(id="e", at=T0, kind="security", customer_data=v),
            "customer_data",
            DataInvolvement.YES,
        ),
        (
            lambda v: NotificationSent(id="e", at=T0, channel=v, kind="update", tenants={"a"}),
            "channel",
            Channel.EMAIL,
        ),
        (
            lambda v: NotificationSent(id="e", at=T0, channel="email", kind=v, tenants={"a"}),
            "kind",
            NoticeKind.UPDATE,
        ),
        (
            lambda v: NotificationSent(
                id="e", at=T0, channel="email", kind="update", audience=v, tenants={"a"}
            ),
            "audience",
            Audience.NOTIFICATION_LIST,
        ),
        (
            lambda v: NotificationSent(
                id="e", at=T0, channel="in_app", kind="update", tenants={"a"}, fallback_for=v
            ),
            "fallback_for",
            Channel.EMAIL,
        ),
    ],
)
def test_every_enum_field_accepts_its_member_or_its_documented_string(build, field, member):
    assert getattr(build(member), field) is member
    assert getattr(build(member.value), field) is member
    assert getattr(build(member.value.upper()), field) is member
    with pytest.raises(PolicyInputError) as caught:
        build("nonsense")
    assert caught.value.field == field
    assert caught.value.value == "nonsense"
    names = ", ".join(repr(m.value) for m in type(member))
    assert str(caught.value) == f"{field}: expected one of {names}, got 'nonsense'"
