"""The incident lifecycle: per-event ``apply`` against ``transitions`` and ``python-statemachine``
driving the same guarded lifecycle, and replay of 10,000- and 100,000-event logs.

Targets (issue 4, revised when the hand-made history store gave way to plain persistent maps):
at least 2x faster per event than ``transitions`` and 10x faster than ``python-statemachine``;
the 100,000-event replay costs at most 12x the 10,000-event one (so history is not copied per
event). Machines and incidents are built before the clock starts; only the nine events after
detection are timed, for all three.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections.abc import Callable
from typing import Any

from statemachine import State, StateMachine
from transitions import Machine

from bench._harness import Row, fmt_seconds
from reliability_policy import Severity, default_policy
from reliability_policy.levels import Channel
from reliability_policy.lifecycle import (
    ActionAdded,
    ActionAssigned,
    Closed,
    Contained,
    DataInvolvement,
    Detected,
    Eradicated,
    Event,
    Incident,
    IncidentKind,
    NoticeKind,
    NotificationSent,
    Recovered,
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

T0 = dt.datetime(2026, 3, 8, 6, 0, tzinfo=dt.UTC)
TRIGGERS = (
    "triage",
    "contain",
    "eradicate",
    "recover",
    "validate",
    "resolve",
    "start_review",
    "complete_review",
    "close",
)
MACHINES = 2_000
ROUNDS = 7


def _at(seconds: int) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


OPENING = Detected(id="e0", at=T0, incident_id="INC-1")
LIFECYCLE: tuple[Event, ...] = (
    Triaged(id="e1", at=_at(60), severity=Severity.SEV_1, tenants={"t-1", "t-2"}),
    Contained(id="e2", at=_at(120)),
    Eradicated(id="e3", at=_at(180)),
    Recovered(id="e4", at=_at(240)),
    Validated(id="e5", at=_at(300)),
    Resolved(id="e6", at=_at(360)),
    ReviewStarted(id="e7", at=_at(420)),
    ReviewCompleted(id="e8", at=_at(480)),
    Closed(id="e9", at=_at(540)),
)

# --- the same lifecycle in transitions ----------------------------------------------------------

_STATES = [
    "detected",
    "triaged",
    "contained",
    "eradicated",
    "recovered",
    "resolved",
    "in_review",
    "closed",
]
_TRANSITIONS: list[dict[str, Any]] = [
    {"trigger": "triage", "source": "detected", "dest": "triaged", "conditions": "has_scope"},
    {"trigger": "contain", "source": "triaged", "dest": "contained"},
    {"trigger": "eradicate", "source": "contained", "dest": "eradicated"},
    {"trigger": "recover", "source": ["triaged", "contained", "eradicated"], "dest": "recovered"},
    {"trigger": "validate", "source": "recovered", "dest": None, "after": "mark_validated"},
    {"trigger": "resolve", "source": "recovered", "dest": "resolved", "conditions": "validated"},
    {"trigger": "start_review", "source": "resolved", "dest": "in_review"},
    {"trigger": "complete_review", "source": "in_review", "dest": None, "after": "mark_reviewed"},
    {"trigger": "close", "source": "in_review", "dest": "closed", "conditions": "reviewed"},
]


class _Model:
    def __init__(self) -> None:
        self.validated = False
        self.reviewed = False

    def has_scope(self) -> bool:
        return True

    def mark_validated(self) -> None:
        self.validated = True

    def mark_reviewed(self) -> None:
        self.reviewed = True


def _transitions_machine() -> Any:
    model = _Model()
    Machine(
        model=model,
        states=_STATES,
        transitions=_TRANSITIONS,
        initial="detected",
        auto_transitions=False,
    )
    return model


# --- and in python-statemachine ---------------------------------------------------------------


class _Lifecycle(StateMachine):
    detected = State(initial=True)
    triaged = State()
    contained = State()
    eradicated = State()
    recovered = State()
    resolved = State()
    in_review = State()
    closed = State(final=True)

    triage = detected.to(triaged, cond="has_scope")
    contain = triaged.to(contained)
    eradicate = contained.to(eradicated)
    recover = triaged.to(recovered) | contained.to(recovered) | eradicated.to(recovered)
    validate = recovered.to.itself(internal=True, on="mark_validated")
    resolve = recovered.to(resolved, cond="validated")
    start_review = resolved.to(in_review)
    complete_review = in_review.to.itself(internal=True, on="mark_reviewed")
    close = in_review.to(closed, cond="reviewed")

    def __init__(self) -> None:
        self.validated = False
        self.reviewed = False
        super().__init__()

    def has_scope(self) -> bool:
        return True

    def mark_validated(self) -> None:
        self.validated = True

    def mark_reviewed(self) -> None:
        self.reviewed = True


# --- timing -----------------------------------------------------------------------------------


def _per_event_once(build: Callable[[], Any], drive: Callable[[Any], Any]) -> float:
    """Seconds per event: build MACHINES machines untimed, then time driving them all."""
    machines = [build() for _ in range(MACHINES)]
    gc.collect()
    start = time.perf_counter()
    for machine in machines:
        drive(machine)
    return (time.perf_counter() - start) / (MACHINES * len(TRIGGERS))


def _per_event() -> tuple[float, float, float]:
    """Per-event seconds for ours, transitions and python-statemachine.

    The three alternate round by round, so that load on the machine hits them alike; each
    takes its fastest round (noise only ever adds time).
    """
    ours, others, statecharts = [], [], []
    for _ in range(ROUNDS):
        ours.append(_per_event_once(lambda: Incident.open(OPENING), _drive_ours))
        others.append(_per_event_once(_transitions_machine, _drive_transitions))
        statecharts.append(_per_event_once(_Lifecycle, _drive_statemachine))
    return min(ours), min(others), min(statecharts)


def _drive_ours(incident: Incident) -> Incident:
    policy = _POLICY
    for event in LIFECYCLE:
        incident = incident.apply(event, policy)
    assert incident.is_material(policy)
    return incident


def _drive_transitions(model: Any) -> None:
    for trigger in TRIGGERS:
        getattr(model, trigger)()
    assert model.state == "closed"


def _drive_statemachine(machine: _Lifecycle) -> None:
    for trigger in TRIGGERS:
        machine.send(trigger)
    assert machine.closed.is_active


_POLICY = default_policy()


def big_log(size: int) -> list[Event]:
    """A SEV-1/SEV-2 incident's log: per-tenant updates, scope and severity changes, actions."""
    tenants = frozenset(f"t-{n:03d}" for n in range(50))
    log: list[Event] = [
        OPENING,
        Triaged(id="e1", at=_at(60), severity=Severity.SEV_2, tenants=tenants),
    ]
    severity = Severity.SEV_2
    i = 0
    while len(log) < size:
        i += 1
        at = _at(60 + i)
        step = i % 20
        if step == 0:
            severity = Severity.SEV_1 if severity is Severity.SEV_2 else Severity.SEV_2
            log.append(SeverityChanged(id=f"s{i}", at=at, severity=severity, reason="reassessed"))
        elif step == 1:
            log.append(ScopeChanged(id=f"c{i}", at=at, added={f"x-{i}"}))
        elif step == 2:
            log.append(ActionAdded(id=f"a{i}", at=at, action_id=f"A{i}", title="follow up"))
        elif step == 3:
            log.append(
                ActionAssigned(id=f"g{i}", at=at, action_id=f"A{i - 1}", owner="sre", due=at)
            )
        elif step == 4:
            log.append(
                SecurityAssessed(
                    id=f"k{i}",
                    at=at,
                    kind=IncidentKind.AVAILABILITY,
                    customer_data=DataInvolvement.NO,
                )
            )
        else:
            log.append(
                NotificationSent(
                    id=f"n{i}",
                    at=at,
                    channel=Channel.EMAIL,
                    kind=NoticeKind.UPDATE,
                    tenants={f"t-{i % 50:03d}"},
                )
            )
    return log


def _replay_once(log: list[Event]) -> float:
    gc.collect()
    start = time.perf_counter()
    incident = replay(log, _POLICY)
    elapsed = time.perf_counter() - start
    assert incident.event_count == len(log)
    return elapsed


def _replay_seconds(rounds: int = 5) -> tuple[float, float, float]:
    """Seconds to replay a 10,000-event log (cold, then warm) and a 100,000-event log.

    The 10,000 figure is the mean over ten distinct logs (as many events as the large one, so
    neither size gets to replay a log that is still warm in the CPU caches); the two sizes
    alternate round by round so that load on the machine hits both alike; each takes its
    fastest round (noise only ever adds time). The warm figure replays one 10,000-event log
    again and again, so it stays in the caches: it is reported, not judged.
    """
    smalls = [big_log(10_000) for _ in range(10)]
    large = big_log(100_000)
    small_times, warm_times, large_times = [], [], []
    for _ in range(rounds):
        small_times.append(sum(_replay_once(log) for log in smalls) / len(smalls))
        warm_times.append(min(_replay_once(smalls[0]) for _ in range(3)))
        large_times.append(_replay_once(large))
    return min(small_times), min(warm_times), min(large_times)


def run() -> list[Row]:
    ours, with_transitions, with_statemachine = _per_event()
    small, warm, large = _replay_seconds()
    vs_transitions = with_transitions / ours
    vs_statemachine = with_statemachine / ours
    return [
        Row(
            "lifecycle: apply per event vs transitions 0.9.3",
            f"{fmt_seconds(ours)}/event",
            f"{fmt_seconds(with_transitions)}/event",
            vs_transitions,
            ">= 2x faster",
            vs_transitions >= 2,
        ),
        Row(
            "lifecycle: apply per event vs python-statemachine 3.2.2",
            f"{fmt_seconds(ours)}/event",
            f"{fmt_seconds(with_statemachine)}/event",
            vs_statemachine,
            ">= 10x faster",
            vs_statemachine >= 10,
        ),
        Row(
            "lifecycle: replay 100,000 events vs 10,000 (cold)",
            f"{fmt_seconds(large)} ({fmt_seconds(large / 100_000)}/event)",
            f"{fmt_seconds(small)} ({fmt_seconds(small / 10_000)}/event)",
            large / small,
            "<= 12x",
            large / small <= 12,
        ),
        Row(
            "lifecycle: replay 100,000 events vs one 10,000 log kept warm",
            f"{fmt_seconds(large)}",
            f"{fmt_seconds(warm)} ({fmt_seconds(warm / 10_000)}/event)",
            large / warm,
            "(for reference)",
            None,
        ),
    ]
