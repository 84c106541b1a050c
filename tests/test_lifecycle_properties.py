"""Properties of the lifecycle: no event sequence reaches a state the guards forbid."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Callable

import attrs
import pytest
from hypothesis import assume, given, note
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from reliability_policy import (
    ConflictingEvent,
    InvalidTransition,
    OutOfOrderEvent,
    Severity,
    default_policy,
    testing,
)
from reliability_policy.levels import Channel
from reliability_policy.lifecycle import (
    EVENT_TYPES,
    ActionAdded,
    ActionAssigned,
    ActionCompleted,
    Closed,
    Contained,
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
    Recovered,
    Regression,
    Resolved,
    ReviewCompleted,
    ReviewStarted,
    ScopeChanged,
    SecurityAssessed,
    SeverityChanged,
    Triaged,
    Validated,
    replay,
)
from reliability_policy.serialization import structure, unstructure

POLICY = default_policy()
T0 = dt.datetime(2026, 3, 28, 22, 0, tzinfo=dt.UTC)

# The lifecycle as SPEC section 2 draws it: which phase may follow which.
SUCCESSORS = {
    Phase.DETECTED: {Phase.TRIAGED, Phase.DECLINED},
    Phase.TRIAGED: {Phase.CONTAINED, Phase.RECOVERED, Phase.DECLINED},
    Phase.CONTAINED: {Phase.ERADICATED, Phase.RECOVERED},
    Phase.ERADICATED: {Phase.RECOVERED},
    Phase.RECOVERED: {Phase.RESOLVED},
    Phase.RESOLVED: {Phase.IN_REVIEW, Phase.CLOSED, Phase.TRIAGED},
    Phase.IN_REVIEW: {Phase.CLOSED, Phase.TRIAGED},
    Phase.CLOSED: {Phase.TRIAGED},
    Phase.DECLINED: set(),
}
AFTER_RESOLUTION = {Phase.RESOLVED, Phase.IN_REVIEW, Phase.CLOSED}


def check_no_forbidden_state(incident: Incident, policy=POLICY) -> None:
    """Walk the accepted log and check every guard of SPEC section 2 held at every step."""
    events = incident.events
    assert isinstance(events[0], Detected)
    assert all(a.at <= b.at for a, b in itertools.pairwise(events))
    assert len({e.id for e in events}) == len(events)
    phases = incident.phase_history
    for before, after in itertools.pairwise(phases):
        assert after.phase in SUCCESSORS[before.phase], (before, after)
        assert before.until == after.at
    assert phases[-1].phase is incident.phase
    window = policy.lifecycle.reopen_window
    phase = Phase.DETECTED
    validated = review_done = False
    severity = highest = resolved_at = None
    scope: set[str] = set()
    unassigned: set[str] = set()
    for event in events[1:]:
        if isinstance(event, Triaged):
            assert event.tenants, "triaged without a confirmed scope"
            scope, severity = set(event.tenants), event.severity
        elif isinstance(event, ScopeChanged):
            scope = (scope - event.removed) | event.added
            assert scope, "the scope became empty"
        elif isinstance(event, SeverityChanged):
            assert phase not in AFTER_RESOLUTION, "severity changed after resolution"
            severity = event.severity
        elif isinstance(event, Eradicated):
            assert phase is Phase.CONTAINED, "eradicated before containment"
        elif isinstance(event, Recovered):
            validated = False
        elif isinstance(event, Validated):
            assert phase is Phase.RECOVERED
            validated = True
        elif isinstance(event, Resolved):
            assert phase is Phase.RECOVERED
            assert validated, "resolved without validation after recovery"
            resolved_at = event.at
        elif isinstance(event, Regression):
            assert resolved_at is not None
            assert event.at - resolved_at <= window, "reopened after the window"
            validated = review_done = False
            resolved_at = None
            severity = event.severity or severity
        elif isinstance(event, ActionAdded) and (event.owner is None or event.due is None):
            unassigned.add(event.action_id)
        elif isinstance(event, (ActionAssigned, ActionCompleted)):
            unassigned.discard(event.action_id)
        elif isinstance(event, ReviewCompleted):
            assert not unassigned, "review completed with an unassigned action"
            review_done = True
        elif isinstance(event, Closed):
            if highest in policy.severity.material:
                assert phase is Phase.IN_REVIEW, "a material incident closed without review"
            if phase is Phase.IN_REVIEW:
                assert review_done
                assert not unassigned
        if severity is not None:
            highest = severity if highest is None else max(highest, severity)
        phase = {
            Triaged: Phase.TRIAGED,
            Contained: Phase.CONTAINED,
            Eradicated: Phase.ERADICATED,
            Recovered: Phase.RECOVERED,
            Resolved: Phase.RESOLVED,
            Regression: Phase.TRIAGED,
            ReviewStarted: Phase.IN_REVIEW,
            Closed: Phase.CLOSED,
            Declined: Phase.DECLINED,
        }.get(type(event), phase)
    assert phase is incident.phase
    assert severity is incident.severity
    assert highest is incident.highest_severity
    if incident.phase is not Phase.DETECTED and incident.phase is not Phase.DECLINED:
        assert incident.tenants == scope
    history = incident.severity_history
    if history:
        assert max(c.severity for c in history) is incident.highest_severity
        assert history[-1].severity is incident.severity


def fold(log: list[Event]) -> Incident:
    return functools.reduce(lambda incident, e: incident.apply(e), log[1:], Incident.open(log[0]))


@given(testing.event_logs())
def test_replay_is_a_fold_of_apply_and_reaches_no_forbidden_state(log):
    incident = replay(log)
    assert incident == fold(log)
    assert incident.events == tuple(log)
    check_no_forbidden_state(incident)


@given(testing.event_logs(), st.randoms(use_true_random=False))
def test_duplicates_shuffled_in_change_nothing(log, random):
    noisy = list(log)
    for event in log:
        original = noisy.index(event)
        noisy.insert(random.randint(original + 1, len(noisy)), event)
    note(f"{len(noisy)} events")
    incident = replay(noisy)
    assert incident == replay(log)
    assert incident.events == tuple(log)
    assert incident.phase_history == replay(log).phase_history


@given(testing.event_logs(max_events=12))
def test_every_prefix_is_a_valid_incident(log):
    incident = Incident.open(log[0])
    for event in log[1:]:
        before = incident
        incident = incident.apply(event)
        assert incident.event_count == before.event_count + 1
        assert before.events == incident.events[:-1]  # the older value never changes


@given(testing.event_logs(), st.data())
def test_replaying_a_prefix_then_applying_the_rest_is_replaying_all(log, data):
    split = data.draw(st.integers(1, len(log)))
    incident = functools.reduce(lambda i, e: i.apply(e), log[split:], replay(log[:split]))
    assert incident == replay(log)
    assert incident.phase_history == replay(log).phase_history
    event = data.draw(st.sampled_from(log))  # replayed or applied: either index knows it
    assert incident.apply(event) is incident
    with pytest.raises(ConflictingEvent):
        incident.apply(attrs.evolve(event, at=event.at + dt.timedelta(minutes=1)))


@given(testing.incidents())
def test_incidents_round_trip_through_json(incident):
    assert structure(unstructure(incident), Incident) == incident


@given(testing.events())
def test_events_round_trip_through_json(event):
    data = unstructure(event)
    assert data["type"] == event.type
    assert structure(data, Event) == event


@given(testing.event_logs(), st.data())
def test_a_changed_repeat_is_a_conflict(log, data):
    incident = replay(log)
    event = data.draw(st.sampled_from(log))
    changed = attrs.evolve(event, at=event.at + dt.timedelta(minutes=1))
    try:
        incident.apply(changed)
    except ConflictingEvent as error:
        assert error.value == event.id
    else:
        raise AssertionError("a changed repeat was accepted")


# --- a state machine driving random valid and invalid events ----------------------------------

TENANTS = st.sampled_from(["a", "b", "c", "d"])
ACTIONS = st.sampled_from(["A1", "A2", "A3"])
REASONS = st.sampled_from(["spreading", "mitigated", "came back"])
PROGRESS = {
    "triaged",
    "contained",
    "eradicated",
    "recovered",
    "validated",
    "resolved",
    "review_started",
    "action_assigned",
    "review_completed",
    "closed",
}


def random_event(cls, event_id: str, at: dt.datetime) -> st.SearchStrategy[Event]:
    """Any event of ``cls`` at ``at``: plausible fields, valid or not for the incident."""
    common = {"id": st.just(event_id), "at": st.just(at)}
    fields: dict[str, st.SearchStrategy[object]] = {}
    if cls is Detected:
        fields = {"incident_id": st.just("INC-2")}
    elif cls is Triaged:
        fields = {
            "severity": testing.severities(),
            "tenants": st.frozensets(TENANTS, max_size=3),
        }
    elif cls is SeverityChanged:
        fields = {"severity": testing.severities(), "reason": REASONS}
    elif cls is ScopeChanged:
        return st.builds(
            lambda added, removed: ScopeChanged(
                id=event_id, at=at, added=added, removed=removed - added
            ),
            st.frozensets(TENANTS, min_size=1, max_size=2),
            st.frozensets(TENANTS, max_size=2),
        ) | st.builds(
            lambda removed: ScopeChanged(id=event_id, at=at, removed=removed),
            st.frozensets(TENANTS, min_size=1, max_size=2),
        )
    elif cls is Regression:
        fields = {"reason": REASONS, "severity": st.none() | testing.severities()}
    elif cls is ActionAdded:
        fields = {
            "action_id": ACTIONS,
            "title": st.just("fix"),
            "owner": st.none() | st.just("sre"),
            "due": st.none() | st.just(at + dt.timedelta(days=7)),
        }
    elif cls is ActionAssigned:
        fields = {"action_id": ACTIONS, "owner": st.just("sre"), "due": st.just(at)}
    elif cls is ActionCompleted:
        fields = {"action_id": ACTIONS}
    elif cls is Declined:
        fields = {"reason": REASONS}
    elif cls is SecurityAssessed:
        fields = {
            "kind": st.sampled_from(IncidentKind),
            "customer_data": st.sampled_from(DataInvolvement),
        }
    elif cls is NotificationSent:
        fields = {
            "channel": st.sampled_from(Channel),
            "kind": st.sampled_from(NoticeKind),
            "tenants": st.frozensets(TENANTS, min_size=1, max_size=2),
        }
    return st.builds(cls, **common, **fields)


def outcome(step: Callable[[Event], Incident], event: Event) -> object:
    """What ``step(event)`` gives: the incident and its state, or the error and its message."""
    try:
        incident = step(event)
    except (InvalidTransition, OutOfOrderEvent, ConflictingEvent) as error:
        return type(error), str(error)
    return incident, incident._state


class LifecycleMachine(RuleBasedStateMachine):
    """Random events, valid or not: refused ones change nothing and name a known guard."""

    def __init__(self) -> None:
        super().__init__()
        self.incident = Incident.open(Detected(id="e0", at=T0, incident_id="INC-2"))
        self.count = 0
        self.values: list[Incident] = [self.incident]

    def _next_id(self) -> str:
        self.count += 1
        return f"e{self.count}"

    def _try(self, cls, minutes, data):
        before = self.incident
        at = before.last_event_at + dt.timedelta(minutes=minutes)
        event = data.draw(random_event(cls, self._next_id(), at))
        try:
            after = before.apply(event)
        except OutOfOrderEvent:
            assert event.at < before.last_event_at
        except InvalidTransition as error:
            assert error.rule in set(Guard)
            assert error.phase is before.phase
            assert error.accepted == before.accepted_events()
            if error.rule == Guard.PHASE_ORDER and cls is not ReviewCompleted:
                assert event.type not in error.accepted
        else:
            assert event.at >= before.last_event_at
            assert after.events[:-1] == before.events
            assert after.events[-1] == event
            self.incident = after
            self.values.append(after)

    @rule(
        cls=st.sampled_from(list(EVENT_TYPES.values())),
        minutes=st.integers(-20, 24 * 60),
        data=st.data(),
    )
    def apply_any_event(self, cls, minutes, data):
        self._try(cls, minutes, data)

    @rule(minutes=st.integers(0, 12 * 60), data=st.data())
    def apply_an_event_that_moves_the_incident_on(self, minutes, data):
        accepted = [name for name in self.incident.accepted_events() if name in PROGRESS]
        if accepted:
            self._try(EVENT_TYPES[data.draw(st.sampled_from(accepted))], minutes, data)

    @precondition(lambda self: self.incident.phase in AFTER_RESOLUTION)
    @rule(minutes=st.integers(0, 100 * 60), data=st.data())
    def regress(self, minutes, data):
        self._try(Regression, minutes, data)

    @rule(data=st.data())
    def repeat_an_old_event(self, data):
        event = data.draw(st.sampled_from(self.incident.events))
        assert self.incident.apply(event) is self.incident

    @rule(data=st.data())
    def conflict_with_an_old_id(self, data):
        event = data.draw(st.sampled_from(self.incident.events))
        other = Declined(id=event.id, at=self.incident.last_event_at, reason="other")
        assume(other != event)
        try:
            self.incident.apply(other)
        except ConflictingEvent:
            pass
        else:
            raise AssertionError("an id was reused with other content")

    @rule(
        cls=st.sampled_from(list(EVENT_TYPES.values())),
        minutes=st.integers(-20, 24 * 60),
        reuse_id=st.booleans(),
        data=st.data(),
    )
    def replay_decides_as_apply_does(self, cls, minutes, reuse_id, data):
        """replay builds its log and id index in place, with the very rules apply uses."""
        before = self.incident
        event_id = data.draw(st.sampled_from(before.events)).id if reuse_id else "new"
        at = before.last_event_at + dt.timedelta(minutes=minutes)
        event = data.draw(random_event(cls, event_id, at))
        expected = outcome(before.apply, event)
        assert outcome(lambda e: replay([*before.events, e]), event) == expected
        assert outcome(replay(before.events).apply, event) == expected

    @precondition(lambda self: len(self.values) > 1)
    @rule(data=st.data())
    def older_values_never_change(self, data):
        value = data.draw(st.sampled_from(self.values))
        assert value == replay(value.events)

    @invariant()
    def no_forbidden_state(self):
        check_no_forbidden_state(self.incident)

    @invariant()
    def highest_severity_is_material_iff_policy_says(self):
        highest = self.incident.highest_severity
        assert self.incident.is_material() == (highest in {Severity.SEV_1, Severity.SEV_2})


TestLifecycleMachine = LifecycleMachine.TestCase
