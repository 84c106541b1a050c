"""The lifecycle's contract, pinned exactly: every refusal names its guard, its reason, the phase
and the events accepted instead; every refused event field names the field, the value and what
was expected; order and conflicts say which events; timings hold at their boundaries."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import attrs
import pytest

import reliability_policy as rp
from expect import input_error
from reliability_policy import (
    ActionAdded,
    ActionAssigned,
    ActionCompleted,
    Audience,
    Channel,
    Closed,
    ConflictingEvent,
    Contained,
    ContainmentMeasure,
    ContainmentMeasureKind,
    DataInvolvement,
    Declined,
    Detected,
    DetectionSource,
    Eradicated,
    Incident,
    IncidentKind,
    InvalidTransition,
    NaiveDatetimeError,
    NoticeKind,
    NotificationSent,
    OutOfOrderEvent,
    Phase,
    Recovered,
    Regression,
    Resolved,
    ReviewCompleted,
    ReviewStarted,
    ScopeChanged,
    SecurityAssessed,
    Severity,
    SeverityChanged,
    Triaged,
    Validated,
    replay,
)
from reliability_policy.lifecycle import (
    EVENT_TYPES,
    DetectionShare,
    PhaseEntry,
    ScopeChange,
    SeverityChange,
)
from reliability_policy.serialization import converter, dumps, loads, unstructure

T0 = dt.datetime(2026, 3, 8, 6, 0, tzinfo=dt.UTC)
MIN = dt.timedelta(minutes=1)
WINDOW = rp.default_policy().lifecycle.reopen_window
NEPAL = dt.timezone(dt.timedelta(hours=5, minutes=45))
NAIVE = dt.datetime(2026, 3, 8, 6, 0)
NAIVE_DETAIL = "a naive datetime is never guessed; attach a zone, e.g. dt.replace(tzinfo=UTC)"


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def names(kind: type) -> str:
    """How a converter lists an enum's accepted values."""
    return "one of " + ", ".join(repr(member.value) for member in kind)


def detected(**kw) -> Detected:
    return Detected(**{"id": "e1", "at": T0, "incident_id": "INC-1", **kw})


def triaged(**kw) -> Triaged:
    return Triaged(**{"id": "e2", "at": at(5), "severity": Severity.SEV_3, "tenants": {"a"}, **kw})


def with_policy(*, material=None, window=None) -> rp.Policy:
    policy = rp.default_policy()
    if material is not None:
        policy = attrs.evolve(
            policy, severity=attrs.evolve(policy.severity, material=frozenset(material))
        )
    if window is not None:
        policy = attrs.evolve(
            policy, lifecycle=attrs.evolve(policy.lifecycle, reopen_window=window)
        )
    return policy


# The log that reaches each phase: an assigned corrective action "A0" from the start, SEV-3
# (not material), a validation after the recovery.
PATH = [
    ("DETECTED", detected()),
    ("DETECTED", ActionAdded(id="a0", at=at(1), action_id="A0", title="t", owner="o", due=at(9))),
    ("TRIAGED", triaged()),
    ("CONTAINED", Contained(id="e3", at=at(10))),
    ("ERADICATED", Eradicated(id="e4", at=at(20))),
    ("RECOVERED", Recovered(id="e5", at=at(30))),
    ("RECOVERED", Validated(id="e6", at=at(35))),
    ("RESOLVED", Resolved(id="e7", at=at(40))),
    ("IN_REVIEW", ReviewStarted(id="e8", at=at(50))),
    ("CLOSED", Closed(id="e9", at=at(60))),
]


def incident_in(phase: Phase) -> Incident:
    if phase is Phase.DECLINED:
        return replay([detected(), Declined(id="d", at=at(2), reason="false alarm")])
    last = max(index for index, (name, _) in enumerate(PATH) if name == phase.name)
    if phase is Phase.CLOSED:  # a review completes before the close
        events = [e for _, e in PATH[:-1]]
        return replay([*events, ReviewCompleted(id="e8b", at=at(55)), PATH[-1][1]])
    return replay([e for _, e in PATH[: last + 1]])


ACCEPTED = {
    Phase.DETECTED: (
        "triaged",
        "action_added",
        "action_assigned",
        "action_completed",
        "declined",
        "security_assessed",
        "notification_sent",
    ),
    Phase.TRIAGED: (
        "severity_changed",
        "scope_changed",
        "contained",
        "recovered",
        "action_added",
        "action_assigned",
        "action_completed",
        "declined",
        "security_assessed",
        "notification_sent",
    ),
    Phase.CONTAINED: (
        "severity_changed",
        "scope_changed",
        "eradicated",
        "recovered",
        "action_added",
        "action_assigned",
        "action_completed",
        "security_assessed",
        "notification_sent",
    ),
    Phase.ERADICATED: (
        "severity_changed",
        "scope_changed",
        "recovered",
        "action_added",
        "action_assigned",
        "action_completed",
        "security_assessed",
        "notification_sent",
    ),
    Phase.RECOVERED: (
        "severity_changed",
        "scope_changed",
        "validated",
        "resolved",
        "action_added",
        "action_assigned",
        "action_completed",
        "security_assessed",
        "notification_sent",
    ),
    Phase.RESOLVED: (
        "regression",
        "review_started",
        "action_added",
        "action_assigned",
        "action_completed",
        "closed",
        "security_assessed",
        "notification_sent",
    ),
    Phase.IN_REVIEW: (
        "regression",
        "action_added",
        "action_assigned",
        "action_completed",
        "review_completed",
        "closed",
        "security_assessed",
        "notification_sent",
    ),
    Phase.CLOSED: (
        "regression",
        "action_added",
        "action_assigned",
        "action_completed",
        "security_assessed",
        "notification_sent",
    ),
    Phase.DECLINED: ("security_assessed", "notification_sent"),
}


def refused(incident: Incident, event, *, rule: str, reason: str, policy=None) -> InvalidTransition:
    """Assert that applying ``event`` is refused by ``rule`` for exactly ``reason``, naming the
    current phase and the events accepted in it; the same holds when replaying the log."""
    with pytest.raises(InvalidTransition) as info:
        incident.apply(event, policy)
    error = info.value
    assert error.rule == rule
    assert error.reason == reason
    assert error.phase is incident.phase
    assert error.event is event
    assert error.accepted == ACCEPTED[incident.phase]
    accepted = ", ".join(error.accepted)
    assert str(error) == (
        f"Cannot apply {event.type!r} in phase {incident.phase.value}: {reason} "
        f"[rule {rule}]. Accepted now: {accepted}."
    )
    with pytest.raises(InvalidTransition) as again:
        replay([*incident.events, event], policy)
    assert (again.value.rule, again.value.reason, again.value.phase) == (
        rule,
        reason,
        incident.phase,
    )
    assert again.value.accepted == error.accepted
    return error


# --- which events each phase accepts, and why the others are refused --------------------------


def sample(name: str) -> rp.Event:
    """An event of type ``name`` that passes every content guard in the states of PATH."""
    when = at(70)
    return {
        "detected": Detected(id="x", at=when, incident_id="INC-1"),
        "triaged": Triaged(id="x", at=when, severity=Severity.SEV_3, tenants={"a"}),
        "severity_changed": SeverityChanged(
            id="x", at=when, severity=Severity.SEV_2, reason="worse"
        ),
        "scope_changed": ScopeChanged(id="x", at=when, added={"new"}),
        "contained": Contained(id="x", at=when),
        "eradicated": Eradicated(id="x", at=when),
        "recovered": Recovered(id="x", at=when),
        "validated": Validated(id="x", at=when),
        "resolved": Resolved(id="x", at=when),
        "regression": Regression(id="x", at=when, reason="back"),
        "review_started": ReviewStarted(id="x", at=when),
        "action_added": ActionAdded(id="x", at=when, action_id="A1", title="t"),
        "action_assigned": ActionAssigned(id="x", at=when, action_id="A0", owner="p", due=at(99)),
        "action_completed": ActionCompleted(id="x", at=when, action_id="A0"),
        "review_completed": ReviewCompleted(id="x", at=when),
        "closed": Closed(id="x", at=when),
        "declined": Declined(id="x", at=when, reason="routine"),
        "security_assessed": SecurityAssessed(id="x", at=when, kind="security", customer_data="no"),
        "notification_sent": NotificationSent(
            id="x", at=when, channel="email", kind="update", tenants={"a"}
        ),
    }[name]


GENERIC = "'{name}' has no transition from {phase}"
RESOLVE_FROM_RECOVERED = (
    "an incident resolves only from RECOVERED, after customer-visible behaviour was validated "
    "following the recovery"
)
ROOT_CAUSE = "the root cause is eradicated only once the incident is contained"
FROZEN = "the severity is frozen once the incident is resolved; a regression reopens it"
STILL_OPEN = "the incident is still open: nothing to reopen before RESOLVED"


def phase_refusal(phase: Phase, name: str) -> tuple[str, str]:
    """The guard (and its reason) that refuses an event type its phase does not accept."""
    if phase is Phase.DECLINED:
        return "phase-order", "the incident was declined; a declined incident is final"
    specific = {
        (Phase.DETECTED, "scope_changed"): (
            "scope-confirmed-for-triage",
            "the scope is first confirmed by the triaged event",
        ),
        (Phase.DETECTED, "detected"): ("phase-order", "the incident was already detected"),
        (Phase.TRIAGED, "eradicated"): ("stabilize-before-root-cause", ROOT_CAUSE),
        (Phase.RECOVERED, "eradicated"): ("stabilize-before-root-cause", ROOT_CAUSE),
        (Phase.RESOLVED, "severity_changed"): ("severity-frozen-after-resolution", FROZEN),
        (Phase.IN_REVIEW, "severity_changed"): ("severity-frozen-after-resolution", FROZEN),
        (Phase.CLOSED, "severity_changed"): ("severity-frozen-after-resolution", FROZEN),
    }
    for before_recovery in (Phase.TRIAGED, Phase.CONTAINED, Phase.ERADICATED):
        for kind in ("resolved", "validated"):
            specific[before_recovery, kind] = ("validate-before-resolve", RESOLVE_FROM_RECOVERED)
        specific[before_recovery, "regression"] = ("phase-order", STILL_OPEN)
    specific[Phase.RECOVERED, "regression"] = ("phase-order", STILL_OPEN)
    if (phase, name) in specific:
        return specific[phase, name]
    if phase is Phase.DETECTED:
        return "phase-order", f"triage the incident before '{name}'"
    if name == "detected":
        return "phase-order", "the incident was already detected"
    return "phase-order", GENERIC.format(name=name, phase=phase.value)


@pytest.mark.parametrize("phase", list(Phase))
def test_each_phase_accepts_exactly_its_events_and_refuses_the_others_by_their_guard(phase):
    incident = incident_in(phase)
    assert incident.phase is phase
    assert incident.accepted_events() == ACCEPTED[phase]
    for name in EVENT_TYPES:
        event = sample(name)
        if name in ACCEPTED[phase]:
            if (phase, name) == (Phase.IN_REVIEW, "closed"):
                continue  # the review has not completed: a content guard (tested below)
            assert incident.apply(event).event_count == incident.event_count + 1, name
        else:
            rule, reason = phase_refusal(phase, name)
            refused(incident, event, rule=rule, reason=reason)


def test_a_log_that_does_not_start_with_detected_names_the_phase_order_guard():
    event = triaged()
    for attempt in (lambda: replay([event]), lambda: Incident.open(event)):
        with pytest.raises(InvalidTransition) as info:
            attempt()
        error = info.value
        assert error.phase is None
        assert error.event is event
        assert error.rule == "phase-order"
        assert error.reason == "an incident's log starts with a 'detected' event"
        assert error.accepted == ("detected",)
        assert str(error) == (
            "Cannot apply 'triaged' in phase None: an incident's log starts with a 'detected' "
            "event [rule phase-order]. Accepted now: detected."
        )


@pytest.mark.parametrize("thing", [None, "detected", {"type": "detected"}, 3])
def test_opening_with_something_that_is_not_an_event_names_it(thing):
    expected = "a lifecycle event such as Detected(...)"
    with input_error("event", value=thing, expected=expected):
        Incident.open(thing)
    with input_error("event", value=thing, expected=expected):
        replay([thing])


@pytest.mark.parametrize("thing", [None, "triaged", {"type": "triaged"}, 3, detected])
def test_applying_something_that_is_not_an_event_names_it(thing):
    expected = "a lifecycle event such as Triaged(...)"
    incident = incident_in(Phase.DETECTED)
    with input_error("event", value=thing, expected=expected):
        incident.apply(thing)
    with input_error("event", value=thing, expected=expected):
        replay([detected(), thing])


def test_an_instance_of_a_subclass_of_an_event_is_not_a_lifecycle_event():
    @attrs.frozen(kw_only=True)
    class Special(Contained):
        pass

    special = Special(id="x", at=at(10))
    with input_error("event", value=special, expected="a lifecycle event such as Triaged(...)"):
        incident_in(Phase.TRIAGED).apply(special)


@pytest.mark.parametrize("log", [[], (), iter([])])
def test_an_empty_log_is_refused(log):
    with input_error("events", value=[], expected="a log that starts with a 'detected' event"):
        replay(log)


@pytest.mark.parametrize("log", [5, None, "detected", b"detected"])
def test_a_log_that_is_not_a_collection_of_events_is_refused(log):
    with input_error("events", value=log, expected="a log that starts with a 'detected' event"):
        replay(log)
    with input_error("events", value=log, expected="a log that starts with a 'detected' event"):
        Incident(log)


# --- each content guard: its rule and reason --------------------------------------------------


def test_triage_needs_at_least_one_tenant():
    refused(
        incident_in(Phase.DETECTED),
        triaged(tenants=()),
        rule="scope-confirmed-for-triage",
        reason="triage needs a confirmed scope: at least one affected tenant",
    )


def test_a_severity_change_must_name_another_severity():
    incident = incident_in(Phase.TRIAGED)
    same = SeverityChanged(id="x", at=at(9), severity="sev-3", reason="same")
    refused(
        incident,
        same,
        rule="severity-change-must-differ",
        reason="the severity already is SEV-3",
    )
    changed = incident.apply(SeverityChanged(id="x", at=at(9), severity="SEV-1", reason="up"))
    assert (changed.severity, changed.highest_severity) == (Severity.SEV_1, Severity.SEV_1)
    down = changed.apply(SeverityChanged(id="y", at=at(9), severity="SEV-2", reason="down"))
    assert (down.severity, down.highest_severity) == (Severity.SEV_2, Severity.SEV_1)


def test_a_scope_change_adds_new_tenants_and_removes_tenants_in_scope():
    incident = replay([detected(), triaged(tenants={"a", "b"})])
    refused(
        incident,
        ScopeChanged(id="x", at=at(9), added={"b", "c"}),
        rule="scope-change-consistent",
        reason="tenant 'b' is already in scope",
    )
    refused(
        incident,
        ScopeChanged(id="x", at=at(9), removed={"z"}),
        rule="scope-change-consistent",
        reason="tenant 'z' is not in scope",
    )


def test_a_scope_change_never_leaves_the_scope_empty():
    two = replay([detected(), triaged(tenants={"a", "b"})])
    empty = "the scope would become empty; decline the incident or keep a tenant"
    refused(
        two,
        ScopeChanged(id="x", at=at(9), removed={"a", "b"}),
        rule="scope-change-consistent",
        reason=empty,
    )
    one = two.apply(ScopeChanged(id="x", at=at(9), removed={"a"}))
    assert one.tenants == {"b"}
    swapped = one.apply(ScopeChanged(id="y", at=at(9), added={"c"}, removed={"b"}))
    assert swapped.tenants == {"c"}
    refused(
        swapped,
        ScopeChanged(id="z", at=at(9), removed={"c"}),
        rule="scope-change-consistent",
        reason=empty,
    )
    grown = swapped.apply(ScopeChanged(id="z", at=at(9), added={"d", "e"}))
    assert grown.tenants == {"c", "d", "e"}
    assert grown.apply(ScopeChanged(id="w", at=at(9), removed={"c", "d"})).tenants == {"e"}


def test_resolving_needs_a_validation_after_the_latest_recovery():
    recovered = replay([e for _, e in PATH[:6]])
    not_validated = "customer-visible behaviour was not validated after the recovery"
    refused(
        recovered,
        Resolved(id="x", at=at(40)),
        rule="validate-before-resolve",
        reason=not_validated,
    )
    validated = recovered.apply(Validated(id="v", at=at(35)))
    assert validated.validated_at == at(35)
    assert validated.apply(Resolved(id="x", at=at(40))).resolved_at == at(40)
    reopened = validated.apply(Resolved(id="x", at=at(40))).apply(
        Regression(id="g", at=at(50), reason="back")
    )
    assert reopened.validated_at is None
    again = reopened.apply(Recovered(id="r", at=at(60)))
    assert again.validated_at is None
    refused(
        again, Resolved(id="y", at=at(61)), rule="validate-before-resolve", reason=not_validated
    )


def test_a_regression_reopens_up_to_exactly_the_reopen_window_and_no_later():
    resolved = incident_in(Phase.RESOLVED)
    assert resolved.resolved_at == at(40)
    edge = Regression(id="g", at=at(40) + WINDOW, reason="back")
    assert resolved.apply(edge).phase is Phase.TRIAGED
    late = Regression(id="g", at=at(40) + WINDOW + dt.timedelta(seconds=1), reason="back")
    refused(
        resolved,
        late,
        rule="reopen-window",
        reason=(
            f"the regression came {WINDOW + dt.timedelta(seconds=1)} after RESOLVED, beyond the "
            f"reopen window of {WINDOW}; open a new incident linked to this one "
            "(linked_incident())"
        ),
    )
    hour = with_policy(window=dt.timedelta(hours=1))
    refused(
        resolved,
        Regression(id="g", at=at(101), reason="back"),
        rule="reopen-window",
        reason=(
            "the regression came 1:01:00 after RESOLVED, beyond the reopen window of 1:00:00; "
            "open a new incident linked to this one (linked_incident())"
        ),
        policy=hour,
    )
    assert resolved.apply(Regression(id="g", at=at(100), reason="back"), hour).is_open


def test_a_regression_resets_the_resolution_and_the_review():
    closed = incident_in(Phase.CLOSED)
    assert closed.review_started_at == at(50)
    assert closed.review_completed_at == at(55)
    reopened = closed.apply(Regression(id="g", at=at(70), reason="back"))
    assert reopened.phase is Phase.TRIAGED
    assert reopened.severity is Severity.SEV_3  # no severity given: unchanged
    assert reopened.highest_severity is Severity.SEV_3
    assert reopened.recovered_at is None
    assert reopened.validated_at is None
    assert reopened.resolved_at is None
    assert reopened.review_started_at is None
    assert reopened.review_completed_at is None
    assert reopened.reopened_at == (at(70),)
    assert reopened.severity_history == closed.severity_history  # no change recorded
    assert reopened.phase_history[-1] == PhaseEntry(Phase.TRIAGED, at(70), "g")
    assert closed.phase_history[-1] == PhaseEntry(Phase.CLOSED, at(60), "e9")
    assert reopened.phase_history[-2] == PhaseEntry(Phase.CLOSED, at(60), "e9", at(70))


def test_a_regression_with_a_severity_changes_it_and_records_the_change():
    resolved = incident_in(Phase.RESOLVED)
    up = resolved.apply(Regression(id="g", at=at(70), reason="worse", severity="SEV-1"))
    assert (up.severity, up.highest_severity) == (Severity.SEV_1, Severity.SEV_1)
    assert up.severity_history[-1] == SeverityChange(
        at(70), Severity.SEV_1, Severity.SEV_3, "worse", "g", ""
    )
    assert up.severity_history[-1].is_escalation
    same = resolved.apply(Regression(id="g", at=at(70), reason="same", severity="SEV-3"))
    assert same.severity_history == resolved.severity_history
    high = replay(
        [
            detected(),
            triaged(severity="SEV-1"),
            Recovered(id="r", at=at(10)),
            Validated(id="v", at=at(11)),
            Resolved(id="s", at=at(12)),
            ReviewStarted(id="rs", at=at(13)),
            ReviewCompleted(id="rc", at=at(14)),
            Closed(id="c", at=at(15)),
        ]
    )
    down = high.apply(Regression(id="g", at=at(70), reason="milder", severity="SEV-2"))
    assert (down.severity, down.highest_severity) == (Severity.SEV_2, Severity.SEV_1)
    assert down.severity_history[-1].is_deescalation
    assert not down.severity_history[-1].is_escalation
    later = down.apply(SeverityChanged(id="c3", at=at(80), severity="SEV-3", reason="calm"))
    assert later.severity_history[-1] == SeverityChange(
        at(80), Severity.SEV_3, Severity.SEV_2, "calm", "c3", ""
    )


def test_a_material_incident_closes_only_after_its_review():
    material = with_policy(material=Severity)
    resolved = incident_in(Phase.RESOLVED)
    refused(
        resolved,
        Closed(id="x", at=at(70)),
        rule="review-before-close",
        reason=(
            "a material incident (highest severity SEV-3) closes only after its post-incident "
            "review (review_started, review_completed)"
        ),
        policy=material,
    )
    assert resolved.apply(Closed(id="x", at=at(70))).phase is Phase.CLOSED
    in_review = incident_in(Phase.IN_REVIEW)
    for policy in (None, material):
        refused(
            in_review,
            Closed(id="x", at=at(70)),
            rule="review-before-close",
            reason="the review started but has not completed",
            policy=policy,
        )
    done = in_review.apply(ReviewCompleted(id="r", at=at(60)))
    assert done.apply(Closed(id="x", at=at(70)), material).phase is Phase.CLOSED


def test_the_review_completes_once():
    done = incident_in(Phase.IN_REVIEW).apply(ReviewCompleted(id="r", at=at(60)))
    assert done.review_completed_at == at(60)
    refused(
        done,
        ReviewCompleted(id="x", at=at(61)),
        rule="phase-order",
        reason="the review was already completed",
    )


@pytest.mark.parametrize(
    ("owner", "due"), [(None, None), ("sre", None), (None, at(999))], ids=["none", "owner", "due"]
)
def test_an_action_without_owner_or_due_date_blocks_the_review_and_the_close(owner, due):
    in_review = incident_in(Phase.IN_REVIEW).apply(
        ActionAdded(id="b1", at=at(51), action_id="B1", title="t", owner=owner, due=due)
    )
    refused(
        in_review,
        ReviewCompleted(id="x", at=at(60)),
        rule="actions-need-owner-and-due-date",
        reason=(
            "1 corrective action has no owner or no due date; "
            "assign them before completing the review"
        ),
    )
    done = incident_in(Phase.IN_REVIEW).apply(ReviewCompleted(id="r", at=at(51)))
    late = done.apply(
        ActionAdded(id="b1", at=at(52), action_id="B1", title="t", owner=owner, due=due)
    )
    refused(
        late,
        Closed(id="x", at=at(60)),
        rule="actions-need-owner-and-due-date",
        reason="1 corrective action has no owner or no due date; assign them before closing",
    )


def test_the_count_of_unassigned_actions_is_in_the_reason():
    in_review = incident_in(Phase.IN_REVIEW)
    for number in (1, 2, 3):
        in_review = in_review.apply(
            ActionAdded(id=f"b{number}", at=at(51), action_id=f"B{number}", title="t")
        )
    refused(
        in_review,
        ReviewCompleted(id="x", at=at(60)),
        rule="actions-need-owner-and-due-date",
        reason=(
            "3 corrective actions have no owner or no due date; "
            "assign them before completing the review"
        ),
    )
    # a completed action no longer needs an owner; an assigned one has one
    settled = in_review.apply(ActionCompleted(id="c1", at=at(52), action_id="B1")).apply(
        ActionAssigned(id="c2", at=at(53), action_id="B2", owner="sre", due=at(999))
    )
    refused(
        settled,
        ReviewCompleted(id="x", at=at(60)),
        rule="actions-need-owner-and-due-date",
        reason=(
            "1 corrective action has no owner or no due date; "
            "assign them before completing the review"
        ),
    )
    done = settled.apply(ActionCompleted(id="c3", at=at(54), action_id="B3"))
    assert done.apply(ReviewCompleted(id="x", at=at(60))).review_completed_at == at(60)


def test_corrective_action_ids_are_unique_and_only_open_actions_change():
    incident = incident_in(Phase.TRIAGED)
    refused(
        incident,
        ActionAdded(id="x", at=at(9), action_id="A0", title="again"),
        rule="action-ids-unique",
        reason="corrective action 'A0' already exists",
    )
    for event in (
        ActionAssigned(id="x", at=at(9), action_id="A9", owner="o", due=at(99)),
        ActionCompleted(id="x", at=at(9), action_id="A9"),
    ):
        refused(
            incident,
            event,
            rule="action-must-be-open",
            reason="there is no corrective action 'A9'",
        )
    completed = incident.apply(ActionCompleted(id="c", at=at(9), action_id="A0"))
    for event in (
        ActionAssigned(id="x", at=at(9), action_id="A0", owner="o", due=at(99)),
        ActionCompleted(id="x", at=at(9), action_id="A0"),
    ):
        refused(
            completed,
            event,
            rule="action-must-be-open",
            reason="corrective action 'A0' is already completed",
        )


def test_corrective_actions_are_viewed_as_the_log_built_them():
    incident = incident_in(Phase.TRIAGED).apply(
        ActionAdded(id="b", at=at(9), action_id="B1", title="docs")
    )
    assigned = incident.apply(
        ActionAssigned(id="c", at=at(10), action_id="B1", owner="sre", due=at(500))
    )
    action = assigned.actions["B1"]
    assert action == rp.CorrectiveAction("B1", "docs", at(9), "sre", at(500), None)
    assert action.is_assigned
    assert action.is_open
    assert not action.is_overdue(at(500))  # due at that instant: not overdue yet
    assert action.is_overdue(at(500) + dt.timedelta(microseconds=1))
    first = assigned.actions["A0"]  # due at(9)
    assert assigned.overdue_actions(at(9)) == ()
    assert assigned.overdue_actions(at(500)) == (first,)
    assert assigned.overdue_actions(at(501)) == (first, action)
    assert list(assigned.actions) == ["A0", "B1"]
    done = assigned.apply(ActionCompleted(id="d", at=at(11), action_id="B1"))
    assert done.actions["B1"].completed_at == at(11)
    assert not done.actions["B1"].is_overdue(at(9999))
    assert done.open_actions() == (done.actions["A0"],)
    assert not rp.CorrectiveAction("X", "t", T0, owner="o").is_assigned
    assert not rp.CorrectiveAction("X", "t", T0, due=T0).is_assigned
    assert not rp.CorrectiveAction("X", "t", T0).is_overdue(at(9999))


# --- order and conflicts ----------------------------------------------------------------------


def test_an_earlier_event_is_out_of_order_and_names_both_events():
    incident = replay([detected(), triaged(at=at(10))])
    early = Contained(id="c", at=at(10) - dt.timedelta(microseconds=1))
    detail = (
        "event 'c' (contained) is earlier than the last event applied, 'e2' (triaged); "
        "times never go backwards"
    )
    for attempt in (lambda: incident.apply(early), lambda: replay([*incident.events, early])):
        with input_error(
            "at",
            value="2026-03-08T06:09:59.999999Z",
            expected="an instant at or after 2026-03-08T06:10:00Z",
            detail=detail,
            kind=OutOfOrderEvent,
        ):
            attempt()
    assert incident.apply(Contained(id="c", at=at(10))).last_event_at == at(10)


def test_order_is_checked_against_the_latest_event_not_an_earlier_one():
    incident = replay([detected(), triaged(at=at(10)), Contained(id="e3", at=at(20))])
    between = Recovered(id="r", at=at(15))
    detail = (
        "event 'r' (recovered) is earlier than the last event applied, 'e3' (contained); "
        "times never go backwards"
    )
    for attempt in (lambda: incident.apply(between), lambda: replay([*incident.events, between])):
        with input_error(
            "at",
            value="2026-03-08T06:15:00Z",
            expected="an instant at or after 2026-03-08T06:20:00Z",
            detail=detail,
            kind=OutOfOrderEvent,
        ):
            attempt()


def test_the_same_event_again_is_a_no_op_also_in_a_replay():
    events = [detected(), triaged(), Contained(id="e3", at=at(10))]
    incident = replay([events[0], events[1], events[0], events[1], events[2], events[1]])
    assert incident.events == tuple(events)
    assert incident.event_count == 3
    assert incident.phase is Phase.CONTAINED
    assert incident.apply(events[0]) is incident
    later = incident.apply(Recovered(id="r", at=at(20)))
    assert later.apply(Recovered(id="r", at=at(20))) is later
    assert later.apply(events[2]) is later


def test_the_same_id_with_other_content_names_the_fields_that_differ():
    incident = replay([detected(), triaged()])
    expected = "a new event id, or the very same event again"
    changed = triaged(severity=Severity.SEV_1, reason="worse")
    detail = (
        "event 'e2' was already applied as a 'triaged' event at 2026-03-08T06:05:00Z; "
        "this 'triaged' event differs in severity, reason"
    )
    for attempt in (lambda: incident.apply(changed), lambda: replay([*incident.events, changed])):
        with input_error("id", value="e2", expected=expected, detail=detail, kind=ConflictingEvent):
            attempt()
    other_kind = Contained(id="e1", at=at(30))
    with input_error(
        "id",
        value="e1",
        expected=expected,
        detail=(
            "event 'e1' was already applied as a 'detected' event at 2026-03-08T06:00:00Z; "
            "this 'contained' event differs in type"
        ),
        kind=ConflictingEvent,
    ):
        incident.apply(other_kind)
    later = incident.apply(Contained(id="e3", at=at(10)))
    with input_error(
        "id",
        value="e3",
        expected=expected,
        detail=(
            "event 'e3' was already applied as a 'contained' event at 2026-03-08T06:10:00Z; "
            "this 'contained' event differs in at, note"
        ),
        kind=ConflictingEvent,
    ):
        later.apply(Contained(id="e3", at=at(11), note="n"))


# --- timings and facts ------------------------------------------------------------------------


def test_timings_are_zero_when_everything_happens_at_detection():
    incident = replay(
        [
            detected(),
            triaged(at=T0),
            Contained(id="c", at=T0),
            Recovered(id="r", at=T0),
            Validated(id="v", at=T0),
            Resolved(id="s", at=T0),
        ]
    )
    zero = dt.timedelta(0)
    assert incident.time_to_triage == zero
    assert incident.time_to_contain == zero
    assert incident.time_to_recover == zero
    assert incident.time_to_resolve == zero
    assert incident.phase_history[0].duration == zero


def test_timings_count_from_detection_not_from_awareness():
    incident = replay(
        [
            detected(aware_at=T0 - 60 * MIN),
            triaged(at=at(7)),
            Contained(id="c", at=at(11)),
            Eradicated(id="d", at=at(13)),
            Recovered(id="r", at=at(17)),
            Validated(id="v", at=at(19)),
            Resolved(id="s", at=at(23)),
        ]
    )
    assert incident.aware_at == T0 - 60 * MIN
    assert incident.detected_at == T0
    assert incident.scope_confirmed_at == at(7)
    assert incident.time_to_triage == 7 * MIN
    assert incident.time_to_contain == 11 * MIN
    assert incident.time_to_recover == 17 * MIN
    assert incident.time_to_resolve == 23 * MIN
    assert incident.recovered_at == at(17)
    assert incident.validated_at == at(19)
    assert [entry.duration for entry in incident.phase_history] == [
        7 * MIN,
        4 * MIN,
        2 * MIN,
        4 * MIN,
        6 * MIN,
        None,
    ]


def test_before_each_step_its_timing_is_none():
    incident = Incident.open(detected())
    assert incident.time_to_triage is None
    incident = incident.apply(triaged())
    assert incident.time_to_contain is None
    assert incident.time_to_recover is None
    assert incident.time_to_resolve is None
    assert incident.recovered_at is None
    assert incident.validated_at is None
    assert incident.resolved_at is None
    assert incident.review_started_at is None
    assert incident.review_completed_at is None


def test_a_second_containment_keeps_the_first_and_a_new_recovery_counts():
    resolved = replay(
        [
            detected(),
            triaged(),
            Contained(id="c", at=at(10)),
            Recovered(id="r", at=at(20)),
            Validated(id="v", at=at(21)),
            Resolved(id="s", at=at(22)),
        ]
    )
    reopened = resolved.apply(Regression(id="g", at=at(30), reason="back"))
    contained = reopened.apply(Contained(id="c2", at=at(40)))
    assert contained.time_to_contain == 10 * MIN
    recovered = contained.apply(Recovered(id="r2", at=at(50)))
    assert recovered.time_to_recover == 50 * MIN
    assert recovered.recovered_at == at(50)


def test_facts_from_the_detected_event_and_the_repr():
    incident = Incident.open(
        detected(
            title="Sign-in errors",
            kind="security",
            customer_data="no",
            linked_to="INC-0",
            source="monitoring_latency",
        )
    )
    assert incident.title == "Sign-in errors"
    assert incident.kind is IncidentKind.SECURITY
    assert incident.customer_data is DataInvolvement.NO
    assert incident.linked_to == "INC-0"
    assert incident.detection_source is DetectionSource.MONITORING_LATENCY
    assert incident.aware_at == T0  # default: the detection
    assert incident.classification_rule == ""
    assert incident.classification_reason == ""
    assert incident.tenants == frozenset()
    assert incident.is_open
    assert repr(incident) == "Incident(id='INC-1', phase=DETECTED, severity=None, events=1)"
    triaged_incident = incident.apply(triaged(severity="SEV-2"))
    assert repr(triaged_incident) == "Incident(id='INC-1', phase=TRIAGED, severity=SEV-2, events=2)"
    assert Incident.open(detected()).detection_source is DetectionSource.UNKNOWN
    assert Incident.open(detected()).kind is IncidentKind.AVAILABILITY
    assert Incident.open(detected()).customer_data is DataInvolvement.UNKNOWN


@pytest.mark.parametrize(
    ("phase", "is_open"),
    [
        (Phase.DETECTED, True),
        (Phase.TRIAGED, True),
        (Phase.CONTAINED, True),
        (Phase.ERADICATED, True),
        (Phase.RECOVERED, True),
        (Phase.RESOLVED, False),
        (Phase.IN_REVIEW, False),
        (Phase.CLOSED, False),
        (Phase.DECLINED, False),
    ],
)
def test_an_incident_is_open_until_it_is_resolved_or_declined(phase, is_open):
    assert incident_in(phase).is_open is is_open


def test_materiality_is_the_highest_severity_in_the_policys_material_set():
    assert not Incident.open(detected()).is_material(with_policy(material=Severity))
    sev3 = incident_in(Phase.TRIAGED)
    assert not sev3.is_material()
    assert sev3.is_material(with_policy(material={Severity.SEV_3}))
    sev2 = sev3.apply(SeverityChanged(id="x", at=at(9), severity="SEV-2", reason="r"))
    assert sev2.is_material()
    assert not sev2.is_material(with_policy(material={Severity.SEV_1}))


def test_triage_keeps_its_rule_and_reason_and_records_the_severity():
    incident = replay([detected(), triaged(rule="core-partial-outage", reason="6% down")])
    assert incident.classification_rule == "core-partial-outage"
    assert incident.classification_reason == "6% down"
    assert incident.severity_history == (
        SeverityChange(at(5), Severity.SEV_3, None, "6% down", "e2", "core-partial-outage"),
    )
    plain = replay([detected(), triaged()])
    assert plain.severity_history == (
        SeverityChange(at(5), Severity.SEV_3, None, "severity set at triage", "e2", ""),
    )
    changed = plain.apply(
        SeverityChanged(id="s", at=at(9), severity="SEV-1", reason="spread", rule="r1")
    )
    assert changed.severity_history[-1] == SeverityChange(
        at(9), Severity.SEV_1, Severity.SEV_3, "spread", "s", "r1"
    )


def test_the_scope_history_lists_removals_then_additions_each_sorted():
    incident = replay([detected(), triaged(tenants={"b", "a"})]).apply(
        ScopeChanged(id="s", at=at(9), added={"d", "c"}, removed={"b", "a"})
    )
    assert incident.scope_history == (
        ScopeChange(at(5), "a", True, "e2"),
        ScopeChange(at(5), "b", True, "e2"),
        ScopeChange(at(9), "a", False, "s"),
        ScopeChange(at(9), "b", False, "s"),
        ScopeChange(at(9), "c", True, "s"),
        ScopeChange(at(9), "d", True, "s"),
    )
    assert incident.tenant_removed_at == {"a": at(9), "b": at(9)}
    assert incident.tenant_added_at == {"a": at(5), "b": at(5), "c": at(9), "d": at(9)}
    back = incident.apply(ScopeChanged(id="t", at=at(12), added={"a"}))
    assert back.tenant_removed_at == {"b": at(9)}
    assert back.tenant_added_at["a"] == at(5)  # first added, kept
    assert back.tenants_ever_affected == {"a", "b", "c", "d"}


def test_security_assessments_move_awareness_as_the_dpa_track_needs():
    availability = incident_in(Phase.TRIAGED)

    def assess(event_id, minutes, kind="security", aware_at=None):
        return SecurityAssessed(
            id=event_id, at=at(minutes), kind=kind, customer_data="yes", aware_at=aware_at
        )

    became = availability.apply(assess("s1", 10))
    assert (became.kind, became.aware_at) == (IncidentKind.SECURITY, at(10))
    assert became.customer_data is DataInvolvement.YES
    told_earlier = availability.apply(assess("s1", 10, aware_at=at(8)))
    assert told_earlier.aware_at == at(8)
    # once security, awareness only moves earlier
    assert became.apply(assess("s2", 12, aware_at=at(11))).aware_at == at(10)
    assert became.apply(assess("s2", 12, aware_at=at(9))).aware_at == at(9)
    assert became.apply(assess("s2", 12)).aware_at == at(10)
    # an availability assessment leaves awareness where it was
    assert availability.apply(assess("s1", 10, kind="availability")).aware_at == T0
    assert became.apply(assess("s2", 12, kind="availability")).aware_at == at(10)


# --- linked incidents -------------------------------------------------------------------------


def test_a_late_regression_opens_a_linked_incident():
    security = replay([detected(kind="security", customer_data="yes"), *[e for _, e in PATH[1:8]]])
    late = Regression(id="g", at=at(40) + WINDOW + MIN, reason="errors again")
    new = rp.linked_incident(security, late, incident_id="INC-2")
    assert new.events == (
        Detected(
            id="g",
            at=late.at,
            incident_id="INC-2",
            title="Regression of INC-1: errors again",
            kind="security",
            customer_data="yes",
            linked_to="INC-1",
        ),
    )
    named = rp.linked_incident(security, late, incident_id="INC-2", event_id="d1")
    assert named.events[0].id == "d1"
    hour = with_policy(window=dt.timedelta(hours=1))
    soon = Regression(id="g", at=at(101), reason="back")
    assert rp.linked_incident(security, soon, hour, incident_id="INC-2").linked_to == "INC-1"


def test_a_regression_within_the_window_is_applied_not_linked():
    resolved = incident_in(Phase.RESOLVED)
    edge = Regression(id="g", at=at(40) + WINDOW, reason="back")
    with pytest.raises(InvalidTransition) as info:
        rp.linked_incident(resolved, edge, incident_id="INC-2")
    error = info.value
    assert (error.phase, error.event, error.rule) == (Phase.RESOLVED, edge, "reopen-window")
    assert error.reason == (
        f"the regression is within the reopen window of {WINDOW}: apply it to INC-1 to reopen it"
    )
    assert error.accepted == ACCEPTED[Phase.RESOLVED]


@pytest.mark.parametrize(
    ("phase", "reason"),
    [
        (Phase.TRIAGED, "the incident is not resolved: the problem is part of the open incident"),
        (
            Phase.DECLINED,
            "the incident was declined: a real problem is a new incident, not a regression",
        ),
    ],
)
def test_an_unresolved_incident_gets_no_linked_incident(phase, reason):
    incident = incident_in(phase)
    late = Regression(id="g", at=at(9000), reason="back")
    with pytest.raises(InvalidTransition) as info:
        rp.linked_incident(incident, late, incident_id="INC-2")
    error = info.value
    assert (error.phase, error.event, error.rule, error.reason) == (
        phase,
        late,
        "reopen-window",
        reason,
    )
    assert error.accepted == ACCEPTED[phase]


def test_linked_incident_names_arguments_that_are_not_an_incident_and_a_regression():
    resolved = incident_in(Phase.RESOLVED)
    late = Regression(id="g", at=at(9000), reason="back")
    for previous in (None, "INC-1"):
        with input_error("previous", value=previous, expected="a lifecycle Incident"):
            rp.linked_incident(previous, late, incident_id="INC-2")
    closed = Closed(id="g", at=at(9000))
    with input_error("regression", value=closed, expected="a Regression event"):
        rp.linked_incident(resolved, closed, incident_id="INC-2")


# --- containment findings and the detection share ---------------------------------------------


def test_each_core_measure_is_a_breach_finding_in_log_order():
    incident = replay(
        [
            detected(),
            triaged(),
            Contained(
                id="c1",
                at=at(10),
                measures=[
                    ContainmentMeasure("traffic_shedding", ["export"]),
                    ContainmentMeasure("feature_degradation", ["sign-in", "sso"], core=True),
                ],
            ),
            Recovered(id="r", at=at(20)),
        ]
    )
    findings = rp.containment_findings(incident)
    assert findings == (
        rp.Finding(
            "core-degraded-by-containment",
            None,
            "containment c1 (2026-03-08T06:10:00Z) degraded the core capability sign-in, sso "
            "by feature_degradation; containment must preserve core functionality",
            rp.FindingLevel.BREACH,
        ),
    )
    assert incident.containment_measures == incident.events[2].measures
    assert rp.containment_findings(replay([detected()])) == ()


def test_containment_findings_need_an_incident():
    with input_error("incident", value="INC-1", expected="a lifecycle Incident"):
        rp.containment_findings("INC-1")


def test_the_detection_share_counts_customer_reports_and_unrecorded_sources():
    def opened(number, source):
        return Incident.open(detected(incident_id=f"INC-{number}", source=source))

    incidents = [
        opened(1, "customer_report"),
        opened(2, "monitoring_error_rate"),
        opened(3, "unknown"),
        opened(4, "customer_report"),
    ]
    share = rp.customer_detected_share(incidents)
    assert share == DetectionShare(4, ("INC-1", "INC-4"), ("INC-3",))
    assert share.count == 2
    assert share.share == 0.5
    assert share.reason == (
        "2 of 4 incident(s) (50%) were first detected by a customer report; "
        "1 without a recorded detection source"
    )
    monitored = rp.customer_detected_share(iter([opened(2, "monitoring_latency")]))
    assert monitored == DetectionShare(1, (), ())
    assert monitored.reason == "0 of 1 incident(s) (0%) were first detected by a customer report"
    none = rp.customer_detected_share([])
    assert (none.total, none.share) == (0, 0)


@pytest.mark.parametrize("incidents", ["INC-1", b"INC-1", 5, None])
def test_the_detection_share_needs_a_collection_of_incidents(incidents):
    with input_error("incidents", value=incidents, expected="a collection of lifecycle Incidents"):
        rp.customer_detected_share(incidents)


def test_the_detection_share_names_the_item_that_is_wrong():
    one = Incident.open(detected())
    with input_error("incidents", value=one, expected="a collection of lifecycle Incidents"):
        rp.customer_detected_share(one)
    with input_error("incidents[1]", value="INC-2", expected="a lifecycle Incident"):
        rp.customer_detected_share([one, "INC-2"])
    with input_error("incidents[2]", value="INC-1", expected="an incident listed once"):
        rp.customer_detected_share([one, Incident.open(detected(incident_id="I2")), one])


@pytest.mark.parametrize(
    ("build", "field", "value", "expected"),
    [
        (lambda: DetectionShare(True, ()), "total", True, "a count (an integer, 0 or more)"),
        (lambda: DetectionShare(-1, ()), "total", -1, "a count (an integer, 0 or more)"),
        (lambda: DetectionShare(1.0, ()), "total", 1.0, "a count (an integer, 0 or more)"),
        (lambda: DetectionShare(1, "I"), "customer_reported", "I", "a list of incident ids"),
        (lambda: DetectionShare(1, 5), "customer_reported", 5, "a list of incident ids"),
        (lambda: DetectionShare(1, [" "]), "customer_reported[0]", " ", "a non-empty incident id"),
        (lambda: DetectionShare(2, ["I", 7]), "customer_reported[1]", 7, "a non-empty incident id"),
        (lambda: DetectionShare(1, (), b"I"), "unrecorded", b"I", "a list of incident ids"),
        (lambda: DetectionShare(1, (), [""]), "unrecorded[0]", "", "a non-empty incident id"),
        (
            lambda: DetectionShare(2, ["a", "b"], ["c"]),
            "total",
            2,
            "at least 3 (the incidents listed by id)",
        ),
    ],
)
def test_a_detection_share_refuses_inconsistent_counts(build, field, value, expected):
    with input_error(field, value=value, expected=expected):
        build()


def test_a_detection_share_may_count_exactly_its_listed_incidents():
    share = DetectionShare(3, ["a", "b"], ["c"])
    assert share.share == Fraction(2, 3)
    assert share.reason == (
        "2 of 3 incident(s) (67%) were first detected by a customer report; "
        "1 without a recorded detection source"
    )
    assert DetectionShare(0, ()).share == Fraction(0)


# --- every event field refuses a bad value, naming the field, the value and what was expected --

ID = "a non-empty string (the event id)"
TEXT = "a non-empty string"
STRING = "a string"
IDS = "a set of non-empty strings"
AWARE = "a timezone-aware datetime"
NOT_AFTER = "an instant at or before the event's own time 2026-03-08T06:00:00Z"


def notice(**kw) -> NotificationSent:
    return NotificationSent(
        **{"id": "n", "at": T0, "channel": "email", "kind": "update", "tenants": {"a"}, **kw}
    )


def measure(**kw) -> ContainmentMeasure:
    return ContainmentMeasure(**{"kind": "traffic_shedding", **kw})


FIELD_ERRORS = [
    # every event: id and at
    ("id-int", lambda: detected(id=5), "id", 5, ID),
    ("id-empty", lambda: detected(id=""), "id", "", ID),
    ("id-blank", lambda: Contained(id="  ", at=T0), "id", "  ", ID),
    ("at-text", lambda: detected(at="2026-03-08T06:00:00Z"), "at", "2026-03-08T06:00:00Z", AWARE),
    ("at-none", lambda: Closed(id="c", at=None), "at", None, AWARE),
    # detected
    ("incident_id", lambda: detected(incident_id=" "), "incident_id", " ", TEXT),
    ("incident_id-none", lambda: detected(incident_id=None), "incident_id", None, TEXT),
    ("title", lambda: detected(title=5), "title", 5, STRING),
    ("detected-kind", lambda: detected(kind="securty"), "kind", "securty", names(IncidentKind)),
    (
        "detected-customer_data",
        lambda: detected(customer_data="maybe"),
        "customer_data",
        "maybe",
        names(DataInvolvement),
    ),
    ("aware_at-later", lambda: detected(aware_at=at(1)), "aware_at", at(1), NOT_AFTER),
    (
        "aware_at-later-zoned",
        lambda: detected(aware_at=at(1).astimezone(NEPAL)),
        "aware_at",
        at(1),
        NOT_AFTER,
    ),
    ("aware_at-text", lambda: detected(aware_at="x"), "aware_at", "x", AWARE),
    ("linked_to", lambda: detected(linked_to=""), "linked_to", "", TEXT),
    ("linked_to-int", lambda: detected(linked_to=7), "linked_to", 7, TEXT),
    ("source", lambda: detected(source="pager"), "source", "pager", names(DetectionSource)),
    # triaged
    ("triaged-severity", lambda: triaged(severity="SEV-4"), "severity", "SEV-4", names(Severity)),
    ("tenants-text", lambda: triaged(tenants="ab"), "tenants", "ab", IDS),
    ("tenants-bytes", lambda: triaged(tenants=b"ab"), "tenants", b"ab", IDS),
    ("tenants-int", lambda: triaged(tenants=5), "tenants", 5, IDS),
    ("tenants-empty-name", lambda: triaged(tenants={""}), "tenants", {""}, IDS),
    ("tenants-blank-name", lambda: triaged(tenants=["a", " "]), "tenants", ["a", " "], IDS),
    ("tenants-int-name", lambda: triaged(tenants=[1]), "tenants", [1], IDS),
    ("triaged-rule", lambda: triaged(rule=None), "rule", None, STRING),
    ("triaged-reason", lambda: triaged(reason=1), "reason", 1, STRING),
    # severity changed
    (
        "severity_changed-severity",
        lambda: SeverityChanged(id="s", at=T0, severity=1, reason="r"),
        "severity",
        1,
        names(Severity),
    ),
    (
        "severity_changed-reason",
        lambda: SeverityChanged(id="s", at=T0, severity="SEV-1", reason=" "),
        "reason",
        " ",
        TEXT,
    ),
    (
        "severity_changed-rule",
        lambda: SeverityChanged(id="s", at=T0, severity="SEV-1", reason="r", rule=2),
        "rule",
        2,
        STRING,
    ),
    # scope changed
    (
        "scope-nothing",
        lambda: ScopeChanged(id="s", at=T0),
        "added",
        frozenset(),
        "at least one tenant added or removed",
    ),
    (
        "scope-both",
        lambda: ScopeChanged(id="s", at=T0, added={"b", "a", "c"}, removed={"c", "a", "d"}),
        "removed",
        ["a", "c"],
        "tenants not also listed as added",
    ),
    ("scope-added", lambda: ScopeChanged(id="s", at=T0, added="a"), "added", "a", IDS),
    ("scope-removed", lambda: ScopeChanged(id="s", at=T0, removed=[""]), "removed", [""], IDS),
    (
        "scope-reason",
        lambda: ScopeChanged(id="s", at=T0, added={"a"}, reason=None),
        "reason",
        None,
        STRING,
    ),
    # phase events' note
    ("note", lambda: Recovered(id="r", at=T0, note=3), "note", 3, STRING),
    # contained and its measures
    (
        "measures-text",
        lambda: Contained(id="c", at=T0, measures="shed"),
        "measures",
        "shed",
        "a list of ContainmentMeasure values",
    ),
    (
        "measures-bytes",
        lambda: Contained(id="c", at=T0, measures=b"shed"),
        "measures",
        b"shed",
        "a list of ContainmentMeasure values",
    ),
    (
        "measures-mapping",
        lambda: Contained(id="c", at=T0, measures={"kind": "other"}),
        "measures",
        {"kind": "other"},
        "a list of ContainmentMeasure values",
    ),
    (
        "measures-int",
        lambda: Contained(id="c", at=T0, measures=4),
        "measures",
        4,
        "a list of ContainmentMeasure values",
    ),
    (
        "measures-item",
        lambda: Contained(id="c", at=T0, measures=[measure(), {"kind": "other"}]),
        "measures[1]",
        {"kind": "other"},
        "a ContainmentMeasure",
    ),
    ("measure-kind", lambda: measure(kind="nope"), "kind", "nope", names(ContainmentMeasureKind)),
    (
        "measure-features-text",
        lambda: measure(features="search"),
        "features",
        "search",
        "a list of feature names",
    ),
    (
        "measure-features-bytes",
        lambda: measure(features=b"search"),
        "features",
        b"search",
        "a list of feature names",
    ),
    (
        "measure-features-int",
        lambda: measure(features=3),
        "features",
        3,
        "a list of feature names",
    ),
    (
        "measure-feature-empty",
        lambda: measure(features=[""]),
        "features[0]",
        "",
        "a non-empty feature name",
    ),
    (
        "measure-feature-int",
        lambda: measure(features=["search", 5]),
        "features[1]",
        5,
        "a non-empty feature name",
    ),
    ("measure-core-text", lambda: measure(core="yes"), "core", "yes", "true or false"),
    ("measure-core-int", lambda: measure(core=1), "core", 1, "true or false"),
    (
        "measure-degradation-without-features",
        lambda: measure(kind="feature_degradation"),
        "features",
        [],
        "a 'features' list naming the features degraded",
    ),
    (
        "measure-core-without-features",
        lambda: measure(core=True),
        "features",
        [],
        "a 'features' list naming the core capability degraded",
    ),
    (
        "measure-core-degradation-without-features",
        lambda: measure(kind="feature_degradation", core=True),
        "features",
        [],
        "a 'features' list naming the core capability degraded",
    ),
    # regression
    ("regression-reason", lambda: Regression(id="g", at=T0, reason=""), "reason", "", TEXT),
    (
        "regression-severity",
        lambda: Regression(id="g", at=T0, reason="r", severity="SEV-0"),
        "severity",
        "SEV-0",
        names(Severity),
    ),
    # corrective actions
    (
        "added-action_id",
        lambda: ActionAdded(id="a", at=T0, action_id="", title="t"),
        "action_id",
        "",
        TEXT,
    ),
    (
        "added-title",
        lambda: ActionAdded(id="a", at=T0, action_id="A", title=" "),
        "title",
        " ",
        TEXT,
    ),
    (
        "added-owner",
        lambda: ActionAdded(id="a", at=T0, action_id="A", title="t", owner=""),
        "owner",
        "",
        TEXT,
    ),
    (
        "added-due",
        lambda: ActionAdded(id="a", at=T0, action_id="A", title="t", due="tomorrow"),
        "due",
        "tomorrow",
        AWARE,
    ),
    (
        "assigned-action_id",
        lambda: ActionAssigned(id="a", at=T0, action_id=None, owner="o", due=T0),
        "action_id",
        None,
        TEXT,
    ),
    (
        "assigned-owner",
        lambda: ActionAssigned(id="a", at=T0, action_id="A", owner=" ", due=T0),
        "owner",
        " ",
        TEXT,
    ),
    (
        "assigned-due",
        lambda: ActionAssigned(id="a", at=T0, action_id="A", owner="o", due=None),
        "due",
        None,
        AWARE,
    ),
    (
        "completed-action_id",
        lambda: ActionCompleted(id="a", at=T0, action_id=""),
        "action_id",
        "",
        TEXT,
    ),
    # declined
    ("declined-reason", lambda: Declined(id="d", at=T0, reason=" "), "reason", " ", TEXT),
    # security assessed
    (
        "assessed-kind",
        lambda: SecurityAssessed(id="s", at=T0, kind="breach", customer_data="no"),
        "kind",
        "breach",
        names(IncidentKind),
    ),
    (
        "assessed-customer_data",
        lambda: SecurityAssessed(id="s", at=T0, kind="security", customer_data=True),
        "customer_data",
        True,
        names(DataInvolvement),
    ),
    (
        "assessed-aware_at-later",
        lambda: SecurityAssessed(
            id="s", at=T0, kind="security", customer_data="no", aware_at=at(1)
        ),
        "aware_at",
        at(1),
        NOT_AFTER,
    ),
    (
        "assessed-note",
        lambda: SecurityAssessed(id="s", at=T0, kind="security", customer_data="no", note=0),
        "note",
        0,
        STRING,
    ),
    # notification sent
    ("notice-channel", lambda: notice(channel="sms"), "channel", "sms", names(Channel)),
    ("notice-kind", lambda: notice(kind="memo"), "kind", "memo", names(NoticeKind)),
    ("notice-audience", lambda: notice(audience="all"), "audience", "all", names(Audience)),
    (
        "notice-fallback-unknown",
        lambda: notice(fallback_for="fax"),
        "fallback_for",
        "fax",
        names(Channel),
    ),
    (
        "notice-fallback-same",
        lambda: notice(channel="in_app", fallback_for="IN_APP"),
        "fallback_for",
        Channel.IN_APP,
        "a channel other than the one used",
    ),
    (
        "notice-fallback-same-without-tenants",
        lambda: notice(fallback_for="email", tenants=()),
        "fallback_for",
        Channel.EMAIL,
        "a channel other than the one used",
    ),
    (
        "notice-affected-tenants",
        lambda: notice(tenants=()),
        "tenants",
        frozenset(),
        "the tenants the notice was addressed to",
    ),
    (
        "notice-security-contacts",
        lambda: notice(audience="security_contacts", tenants=[]),
        "tenants",
        frozenset(),
        "the tenants the notice was addressed to",
    ),
    ("notice-tenants", lambda: notice(tenants="a"), "tenants", "a", IDS),
    ("notice-content", lambda: notice(content=[1]), "content", [1], IDS),
    ("notice-text", lambda: notice(text=None), "text", None, STRING),
    ("notice-components", lambda: notice(components="api"), "components", "api", IDS),
    ("notice-components-item", lambda: notice(components=[""]), "components", [""], IDS),
]


@pytest.mark.parametrize(
    ("build", "field", "value", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in FIELD_ERRORS],
)
def test_a_bad_event_field_names_the_field_the_value_and_what_was_expected(
    build, field, value, expected
):
    with input_error(field, value=value, expected=expected):
        build()


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: detected(at=NAIVE), "at"),
        (lambda: detected(aware_at=NAIVE), "aware_at"),
        (lambda: ActionAdded(id="a", at=T0, action_id="A", title="t", due=NAIVE), "due"),
        (lambda: ActionAssigned(id="a", at=T0, action_id="A", owner="o", due=NAIVE), "due"),
        (
            lambda: SecurityAssessed(
                id="s", at=T0, kind="security", customer_data="no", aware_at=NAIVE
            ),
            "aware_at",
        ),
    ],
)
def test_a_naive_time_in_an_event_is_never_guessed(build, field):
    with input_error(
        field, value=NAIVE, expected=AWARE, detail=NAIVE_DETAIL, kind=NaiveDatetimeError
    ):
        build()


def test_fields_at_their_limits_are_accepted():
    assert detected(aware_at=T0).aware_at == T0  # aware exactly at the event
    assert detected(aware_at=at(1).astimezone(NEPAL), at=at(1)).aware_at == at(1)
    assert detected(at=T0.astimezone(NEPAL)).at.tzinfo is dt.UTC
    assert ScopeChanged(id="s", at=T0, removed={"a"}).added == frozenset()
    assert ScopeChanged(id="s", at=T0, added=["a", "a"]).added == {"a"}
    assert measure().features == ()
    assert measure(kind="other", features=["x"], core=True).core is True
    assert notice(audience="notification_list", tenants=()).tenants == frozenset()
    assert notice(audience="status_page", tenants=()).tenants == frozenset()
    assert notice(channel="in_app", fallback_for="email").fallback_for is Channel.EMAIL
    assert Regression(id="g", at=T0, reason="r").severity is None
    assert ActionAdded(id="a", at=T0, action_id="A", title="t").due is None
    assert Contained(id="c", at=T0, measures=iter([measure()])).measures == (measure(),)


# --- JSON: each event with its type first, an incident as its log ------------------------------

ALL_TYPES = (
    "one of 'detected', 'triaged', 'severity_changed', 'scope_changed', 'contained', "
    "'eradicated', 'recovered', 'validated', 'resolved', 'regression', 'review_started', "
    "'action_added', 'action_assigned', 'action_completed', 'review_completed', 'closed', "
    "'declined', 'security_assessed', 'notification_sent'"
)


def test_an_event_is_written_with_its_type_first_and_without_defaults():
    assert unstructure(detected()) == {
        "type": "detected",
        "id": "e1",
        "at": "2026-03-08T06:00:00Z",
        "incident_id": "INC-1",
    }
    assert next(iter(unstructure(detected()))) == "type"
    contained = Contained(
        id="c", at=T0, measures=[measure(), measure(kind="other", features=["x"], core=True)]
    )
    assert unstructure(contained) == {
        "type": "contained",
        "id": "c",
        "at": "2026-03-08T06:00:00Z",
        "measures": [
            {"kind": "traffic_shedding"},
            {"kind": "other", "features": ["x"], "core": True},
        ],
    }
    assert converter.unstructure(contained, rp.Event) == unstructure(contained)
    assert converter.structure(unstructure(contained), rp.Event) == contained


def test_an_event_is_read_with_or_without_its_type_field():
    data = unstructure(triaged())
    assert converter.structure(data, Triaged) == triaged()
    del data["type"]
    assert converter.structure(data, Triaged) == triaged()


def test_reading_an_event_names_what_is_wrong():
    with input_error("triaged", value="e2", expected="an event (a JSON object)"):
        converter.structure("e2", Triaged)
    with input_error("type", value="triaged", expected="'contained'"):
        converter.structure(unstructure(triaged()), Contained)
    with input_error("event", value=["e2"], expected="an event (a JSON object with a 'type')"):
        converter.structure(["e2"], rp.Event)
    for name in ("nope", 7, None, ["triaged"]):
        with input_error("type", value=name, expected=ALL_TYPES):
            converter.structure({"type": name, "id": "x"}, rp.Event)
    with input_error("type", value=None, expected=ALL_TYPES):
        converter.structure({"id": "x"}, rp.Event)


def test_reading_an_event_refuses_an_unknown_key():
    data = {**unstructure(triaged()), "zzz": 1}
    with pytest.raises(rp.PolicyConfigError) as info:
        loads(dumps(data), Triaged)
    (problem,) = info.value.problems
    assert (problem.path, problem.value, problem.kind) == ("$.zzz", "zzz", "unknown")


def test_an_incident_is_written_as_its_schema_version_and_log():
    incident = replay([detected(), triaged()])
    assert unstructure(incident) == {
        "schema_version": 1,
        "events": [unstructure(detected()), unstructure(triaged())],
    }
    assert loads(dumps(incident), Incident) == incident


def test_any_incident_some_policy_accepted_reads_back():
    lenient = with_policy(material=(), window=dt.timedelta(days=100))
    events = [
        detected(),
        triaged(severity="SEV-1"),
        Recovered(id="r", at=at(10)),
        Validated(id="v", at=at(11)),
        Resolved(id="s", at=at(12)),
        Closed(id="c", at=at(13)),
    ]
    closed = replay(events, lenient)  # a SEV-1 closed without a review: nothing is material
    reopened = closed.apply(Regression(id="g", at=at(12) + 20 * WINDOW, reason="back"), lenient)
    for incident in (closed, reopened):
        assert loads(dumps(incident), Incident) == incident


@pytest.mark.parametrize(
    ("data", "field", "value", "expected"),
    [
        ([], "incident", [], "a JSON object with 'events'"),
        ("log", "incident", "log", "a JSON object with 'events'"),
        ({"events": []}, "schema_version", None, "schema version 1"),
        ({"schema_version": 2, "events": []}, "schema_version", 2, "schema version 1"),
        (
            {"schema_version": 1, "events": [], "zeta": 2, "alpha": 1},
            "alpha",
            1,
            "only 'schema_version' and 'events'",
        ),
    ],
)
def test_reading_an_incident_names_what_is_wrong(data, field, value, expected):
    with input_error(field, value=value, expected=expected):
        converter.structure(data, Incident)
    with pytest.raises(rp.PolicyConfigError) as info:
        loads(dumps(data), Incident)
    (problem,) = info.value.problems
    assert (problem.path, problem.value, problem.expected) == ("$", value, expected)


def test_reading_an_incident_replays_its_log():
    with input_error("events", value=[], expected="a log that starts with a 'detected' event"):
        converter.structure({"schema_version": 1, "events": []}, Incident)
    data = {"schema_version": 1, "events": [unstructure(triaged())]}
    with pytest.raises(InvalidTransition) as info:
        converter.structure(data, Incident)
    assert (info.value.rule, info.value.accepted) == ("phase-order", ("detected",))


# --- building, equality ----------------------------------------------------------------------


def test_building_an_incident_from_events_honours_the_policy():
    resolved = incident_in(Phase.RESOLVED)
    late = Regression(id="g", at=at(40) + 2 * WINDOW, reason="back")
    longer = with_policy(window=3 * WINDOW)
    assert Incident([*resolved.events, late], longer).phase is Phase.TRIAGED
    assert replay([*resolved.events, late], longer).phase is Phase.TRIAGED
    with pytest.raises(InvalidTransition):
        Incident([*resolved.events, late])


def test_incidents_are_equal_by_their_logs_only():
    one = replay([detected(), triaged()])
    assert one == Incident.open(detected()).apply(triaged())
    assert hash(one) == hash(Incident.open(detected()).apply(triaged()))
    assert one != replay([detected(), triaged(severity="SEV-2")])
    assert one.__eq__("INC-1") is NotImplemented
    assert one != "INC-1"
    opened = Incident.open(detected())
    assert hash(opened) == hash(Incident([detected()]))


def test_an_incident_built_from_events_takes_further_events():
    built = Incident([detected(), triaged()])
    contained = built.apply(Contained(id="c", at=at(10)))
    assert contained.phase is Phase.CONTAINED
    assert contained.apply(Contained(id="c", at=at(10))) is contained
    assert contained.apply(triaged()) is contained
    assert built.phase is Phase.TRIAGED


def test_a_severity_change_is_an_escalation_or_a_deescalation_only_when_it_moves():
    def change(severity, previous):
        return SeverityChange(T0, severity, previous, "r", "e")

    assert change(Severity.SEV_1, Severity.SEV_2).is_escalation
    assert not change(Severity.SEV_1, Severity.SEV_2).is_deescalation
    assert change(Severity.SEV_3, Severity.SEV_2).is_deescalation
    assert not change(Severity.SEV_3, Severity.SEV_2).is_escalation
    for unmoved in (change(Severity.SEV_2, Severity.SEV_2), change(Severity.SEV_2, None)):
        assert not unmoved.is_escalation
        assert not unmoved.is_deescalation


def test_a_naive_now_for_overdue_actions_is_never_guessed():
    incident = incident_in(Phase.TRIAGED)
    for attempt in (
        lambda: incident.overdue_actions(NAIVE),
        lambda: incident.actions["A0"].is_overdue(NAIVE),
    ):
        with input_error(
            "now", value=NAIVE, expected=AWARE, detail=NAIVE_DETAIL, kind=NaiveDatetimeError
        ):
            attempt()
    assert incident.overdue_actions(at(10).astimezone(NEPAL)) == (incident.actions["A0"],)
