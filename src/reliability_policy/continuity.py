"""Business continuity: recovery objectives and their evidence, the plan, the subprocessors.

SPEC section 6. The policy (``policy.continuity``) lists the data stores with their recovery
point and recovery time objectives (RPO, RTO), how often each is backed up and how often a
restore is tested; the continuity plan with its scenarios and review cycle; and the
subprocessor register. Evidence comes as records (a JSON Lines log, like an incident's events):
backup runs, restore tests, plan reviews and scenario exercises. :func:`continuity_report`
judges them as of ``now``:

>>> import datetime as dt
>>> from reliability_policy.continuity import BackupRun, RestoreTest, continuity_report
>>> now = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
>>> day = dt.timedelta(days=1)
>>> evidence = [
...     BackupRun(now - day, "primary-database", encrypted=True, stored_apart=True),
...     RestoreTest(now - 10 * day, "primary-database", recovery_point=now - 10 * day
...                 - dt.timedelta(hours=3), duration=dt.timedelta(hours=9), verified=True),
... ]
>>> report = continuity_report(evidence, now=now)
>>> primary = report.store("primary-database")
>>> primary.backup_overdue, primary.last_restore_test.met_rpo, primary.last_restore_test.met_rto
(False, True, False)
>>> [finding.rule for finding in primary.findings]
['rto-missed']

Subprocessor health events (down, degraded, recovered) give :func:`dependency_status`: the
fallbacks active now, and for a customer-visible loss the
:class:`~reliability_policy.severity.ImpactAssessment` to classify like any incident. The
notification channel fallback (email down: in-app counts) is read from the same register
(:attr:`~reliability_policy.policy.ContinuityPolicy.channel_fallbacks`).

:func:`continuity_summary` is the document shared with customers under NDA: the recovery
objectives and the validated scenarios with their last validation date, and nothing else.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, ClassVar, Final, Literal, TypeVar

import attrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from reliability_policy._files import MAX_LOG_BYTES, read_text
from reliability_policy._validate import aware, member, nonempty_text, string, utc
from reliability_policy.defaults import policy_or_default
from reliability_policy.errors import EventLogError, PolicyInputError, Problem
from reliability_policy.findings import Finding, FindingLevel
from reliability_policy.levels import Channel, Impact
from reliability_policy.policy import DataStore, Policy, Scenario, Subprocessor
from reliability_policy.serialization import converter, first_input_error, problems_of
from reliability_policy.severity import ImpactAssessment
from reliability_policy.timing import CalendarSpan, format_duration, format_instant, require_utc

__all__ = [
    "EVIDENCE_TYPES",
    "MAX_LINES",
    "MAX_LINE_CHARS",
    "REQUIRED_SCENARIOS",
    "SCHEMA_VERSION",
    "ActiveFallback",
    "BackupRun",
    "ChannelFallback",
    "ContinuityReport",
    "ContinuitySummary",
    "CustomerImpact",
    "DependencyReport",
    "EvidenceRecord",
    "HealthChange",
    "HealthEvent",
    "HealthState",
    "PlanReview",
    "PlanStatus",
    "RecoveryObjective",
    "RestoreCheck",
    "RestoreTest",
    "ScenarioExercise",
    "ScenarioStatus",
    "StoreStatus",
    "SubprocessorHealth",
    "ValidatedScenario",
    "continuity_report",
    "continuity_summary",
    "dependency_status",
    "dumps_evidence",
    "dumps_health_events",
    "load_evidence",
    "load_health_events",
    "loads_evidence",
    "loads_health_events",
    "policy_problems",
]

SCHEMA_VERSION: Final = 1
"""The version of the report, summary and dependency report document formats."""

REQUIRED_SCENARIOS: Final = (
    "cloud-infrastructure-disruption",
    "critical-subprocessor-loss",
    "office-or-personnel-loss",
)
"""The scenario ids every plan addresses, the three the reliability page names."""

MAX_LINE_CHARS: Final = 64 * 1024
"""The longest line of an evidence or health log."""

MAX_LINES: Final = 2_000_000
"""The most lines (blank ones included) an evidence or health log may have."""

# Rule names: stable, reported in every finding and decision.
RULE_BACKUP_OVERDUE: Final = "backup-overdue"
RULE_UNENCRYPTED: Final = "backup-unencrypted"
RULE_NOT_APART: Final = "backup-not-stored-apart"
RULE_TEST_OVERDUE: Final = "restore-test-overdue"
RULE_RPO_MISSED: Final = "rpo-missed"
RULE_RTO_MISSED: Final = "rto-missed"
RULE_NOT_VERIFIED: Final = "restore-not-verified"
RULE_UNKNOWN_STORE: Final = "unknown-store"
RULE_REVIEW_OVERDUE: Final = "plan-review-overdue"
RULE_NEVER_VALIDATED: Final = "scenario-never-validated"
RULE_VALIDATION_OVERDUE: Final = "scenario-validation-overdue"
RULE_EXERCISE_FAILED: Final = "scenario-exercise-failed"
RULE_UNKNOWN_SCENARIO: Final = "unknown-scenario"
RULE_FALLBACK: Final = "subprocessor-fallback"
RULE_CHANNEL_FALLBACK: Final = "channel-fallback"
RULE_CUSTOMER_IMPACT: Final = "customer-visible-loss"
RULE_NO_STRATEGY: Final = "no-fallback-strategy"
RULE_UNKNOWN_SUBPROCESSOR: Final = "unknown-subprocessor"

_CHANNELS: Final = {channel.value: channel for channel in Channel}

R = TypeVar("R")


# --- validators -------------------------------------------------------------------------------


def _flag(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, bool):
        raise PolicyInputError(attribute.name, value, "true or false")


def _positive_elapsed(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, dt.timedelta) or value <= dt.timedelta(0):
        raise PolicyInputError(attribute.name, value, "a positive elapsed duration such as '3h'")


def _to_change(value: HealthChange | str) -> HealthChange:
    return member(HealthChange, value, "status")


# --- evidence records -------------------------------------------------------------------------


@attrs.frozen
class BackupRun:
    """A backup of one data store (written ``{"type": "backup", ...}`` in evidence logs).

    Attributes:
        at: When the backup was taken.
        store: The data store (a name from ``policy.continuity.stores``).
        encrypted: Whether the backup is encrypted at rest.
        stored_apart: Whether it is stored separately from the primary infrastructure.
        note: An internal note; never shared.

    Raises:
        PolicyInputError: a naive instant, an empty store name or a flag that is not a bool.

    .. versionadded:: 0.2.0
    """

    type: ClassVar[Literal["backup"]] = "backup"
    at: dt.datetime = attrs.field(converter=utc, validator=aware)
    store: str = attrs.field(validator=nonempty_text)
    encrypted: bool = attrs.field(validator=_flag)
    stored_apart: bool = attrs.field(validator=_flag)
    note: str = attrs.field(default="", validator=string, kw_only=True)


@attrs.frozen
class RestoreTest:
    """A test restore of one data store (``{"type": "restore_test", ...}``).

    The test starts at ``at``, as if the store had been lost then; the data it recovers is
    from ``recovery_point``, so ``at - recovery_point`` of data would have been lost (checked
    against the RPO), and the restore took ``duration`` (checked against the RTO).

    Attributes:
        at: When the test started.
        store: The data store.
        recovery_point: The instant of the newest data the restore recovered (not after ``at``).
        duration: How long the restore took, in elapsed time (whole minutes in documents).
        verified: Whether the restored data was checked and found correct.
        note: An internal note; never shared.

    Raises:
        PolicyInputError: a naive instant, a recovery point after ``at``, a duration that is
            not positive, or a wrong type.

    .. versionadded:: 0.2.0
    """

    type: ClassVar[Literal["restore_test"]] = "restore_test"
    at: dt.datetime = attrs.field(converter=utc, validator=aware)
    store: str = attrs.field(validator=nonempty_text)
    recovery_point: dt.datetime = attrs.field(converter=utc, validator=aware)
    duration: dt.timedelta = attrs.field(validator=_positive_elapsed)
    verified: bool = attrs.field(validator=_flag)
    note: str = attrs.field(default="", validator=string, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if self.recovery_point > self.at:
            raise PolicyInputError(
                "recovery_point",
                format_instant(self.recovery_point),
                f"an instant at or before the test's start ({format_instant(self.at)})",
            )

    @property
    def data_loss(self) -> dt.timedelta:
        """The data the restore would have lost, ``at - recovery_point``."""
        return self.at - self.recovery_point


@attrs.frozen
class PlanReview:
    """A review of the business continuity plan (``{"type": "plan_review", ...}``).

    .. versionadded:: 0.2.0
    """

    type: ClassVar[Literal["plan_review"]] = "plan_review"
    at: dt.datetime = attrs.field(converter=utc, validator=aware)
    by: str = attrs.field(default="", validator=string)
    note: str = attrs.field(default="", validator=string, kw_only=True)


@attrs.frozen
class ScenarioExercise:
    """An exercise of one plan scenario (``{"type": "scenario_exercise", ...}``).

    Attributes:
        at: When it was exercised.
        scenario: The scenario id (from ``policy.continuity.plan.scenarios``).
        passed: Whether the plan worked; only a passed exercise validates the scenario.
        note: An internal note; never shared.

    .. versionadded:: 0.2.0
    """

    type: ClassVar[Literal["scenario_exercise"]] = "scenario_exercise"
    at: dt.datetime = attrs.field(converter=utc, validator=aware)
    scenario: str = attrs.field(validator=nonempty_text)
    passed: bool = attrs.field(validator=_flag)
    note: str = attrs.field(default="", validator=string, kw_only=True)


EvidenceRecord = BackupRun | RestoreTest | PlanReview | ScenarioExercise
"""Any continuity evidence record; its JSON ``type`` field names the class."""

EVIDENCE_TYPES: Final[Mapping[str, type[EvidenceRecord]]] = {
    cls.type: cls for cls in (BackupRun, RestoreTest, PlanReview, ScenarioExercise)
}
"""Evidence record classes by their JSON ``type``."""


class HealthChange(enum.Enum):
    """What a subprocessor health event reports.

    .. versionadded:: 0.2.0
    """

    DOWN = "down"
    DEGRADED = "degraded"
    RECOVERED = "recovered"


class HealthState(enum.Enum):
    """A subprocessor's state as of ``now``.

    .. versionadded:: 0.2.0
    """

    UP = "up"
    DEGRADED = "degraded"
    DOWN = "down"


@attrs.frozen
class HealthEvent:
    """A change in a subprocessor's health: ``{"at": ..., "subprocessor": ..., "status": ...}``.

    Attributes:
        at: When it changed.
        subprocessor: The subprocessor (a name from ``policy.continuity.subprocessors``).
        status: ``down``, ``degraded`` or ``recovered`` (accepts the string).
        note: An internal note.

    .. versionadded:: 0.2.0
    """

    at: dt.datetime = attrs.field(converter=utc, validator=aware)
    subprocessor: str = attrs.field(validator=nonempty_text)
    status: HealthChange = attrs.field(converter=_to_change)
    note: str = attrs.field(default="", validator=string, kw_only=True)


# --- results ----------------------------------------------------------------------------------


@attrs.frozen
class RestoreCheck:
    """A store's last restore test, judged against its objectives.

    Attributes:
        test: The restore test.
        met_rpo: Its data loss (``test.data_loss``) is within the recovery point objective.
        met_rto: Its duration is within the recovery time objective.

    .. versionadded:: 0.2.0
    """

    test: RestoreTest
    met_rpo: bool
    met_rto: bool

    @property
    def met_objectives(self) -> bool:
        """Whether the test met both objectives."""
        return self.met_rpo and self.met_rto


@attrs.frozen
class StoreStatus:
    """One data store's recovery evidence as of ``now``.

    Attributes:
        store: The store's name.
        objectives: Its objectives and intervals, from the policy.
        last_backup: Its latest backup run, or ``None`` if none is on record.
        next_backup_due: When the next backup is due (``None``: never backed up, due at once).
        backup_overdue: Whether a backup is overdue (always, if none is on record).
        last_restore_test: Its latest restore test, judged; ``None`` if never tested.
        next_test_due: When the next restore test is due (``None``: never tested, due at once).
        test_overdue: Whether a restore test is overdue (always, if never tested).
        compliant: No breach among ``findings``.
        findings: Everything found for this store, oldest evidence first.
        reason: One line for a human.

    .. versionadded:: 0.2.0
    """

    store: str
    objectives: DataStore
    last_backup: BackupRun | None
    next_backup_due: dt.datetime | None
    backup_overdue: bool
    last_restore_test: RestoreCheck | None
    next_test_due: dt.datetime | None
    test_overdue: bool
    compliant: bool
    findings: tuple[Finding, ...]
    reason: str


@attrs.frozen
class ScenarioStatus:
    """One plan scenario's validation as of ``now``.

    Attributes:
        scenario: The scenario id.
        title: How it is named to customers.
        interval: How often it must be exercised.
        last_validated: Its latest passed exercise, or ``None`` if it never passed one.
        next_due: When it must be exercised again (``None``: never validated).
        validated: Its latest exercise passed and is within the interval.
        reason: One line for a human.

    .. versionadded:: 0.2.0
    """

    scenario: str
    title: str
    interval: CalendarSpan
    last_validated: dt.datetime | None
    next_due: dt.datetime | None
    validated: bool
    reason: str


@attrs.frozen
class PlanStatus:
    """The continuity plan's review cycle and scenarios as of ``now``.

    Attributes:
        last_review: The latest plan review, or ``None`` if none is on record.
        next_review_due: When the next review is due (``None``: never reviewed, due at once).
        review_overdue: Whether a review is overdue (always, if none is on record).
        scenarios: Each scenario of the plan, in the policy's order.
        findings: Everything found for the plan.

    .. versionadded:: 0.2.0
    """

    last_review: dt.datetime | None
    next_review_due: dt.datetime | None
    review_overdue: bool
    scenarios: tuple[ScenarioStatus, ...]
    findings: tuple[Finding, ...]


@attrs.frozen
class ContinuityReport:
    """Recovery evidence and the plan's cycle judged against the policy, as of ``as_of``.

    Attributes:
        as_of: The instant judged at (UTC).
        compliant: No breach among ``findings`` (warnings allowed).
        stores: Per data store of the policy, in its order.
        plan: The plan's review cycle and scenarios.
        findings: Every finding: the stores', the plan's, and evidence naming a store or
            scenario the policy does not have (warnings).
        reason: One line for a human.
        schema_version: The document format version (1).

    .. versionadded:: 0.2.0
    """

    as_of: dt.datetime
    compliant: bool
    stores: tuple[StoreStatus, ...]
    plan: PlanStatus
    findings: tuple[Finding, ...]
    reason: str
    schema_version: int = SCHEMA_VERSION

    def store(self, name: str) -> StoreStatus | None:
        """The status of the store called ``name``, or ``None`` if the policy has none."""
        for status in self.stores:
            if status.store == name:
                return status
        return None


@attrs.frozen
class RecoveryObjective:
    """A store's recovery objectives, as the NDA summary states them.

    .. versionadded:: 0.2.0
    """

    store: str
    rpo: dt.timedelta
    rto: dt.timedelta


@attrs.frozen
class ValidatedScenario:
    """A plan scenario validated within its interval, with the date of its last validation.

    .. versionadded:: 0.2.0
    """

    scenario: str
    title: str
    last_validated: dt.date


@attrs.frozen
class ContinuitySummary:
    """The summary shared with customers under NDA during a security review.

    The recovery objectives and the validated scenarios with their last validation date, and
    nothing else: no finding, no evidence, no internal note. It has no field that could hold
    one.

    Attributes:
        as_of: The date it was produced for (UTC).
        objectives: Each data store's RPO and RTO.
        scenarios: The scenarios validated within their interval as of ``as_of``.
        schema_version: The document format version (1).

    .. versionadded:: 0.2.0
    """

    as_of: dt.date
    objectives: tuple[RecoveryObjective, ...]
    scenarios: tuple[ValidatedScenario, ...]
    schema_version: int = SCHEMA_VERSION

    def to_markdown(self) -> str:
        """The summary as a Markdown document."""
        lines = [
            "# Business continuity summary",
            "",
            f"Recovery objectives and validated continuity scenarios as of "
            f"{self.as_of.isoformat()}. Shared under NDA.",
            "",
            "## Recovery objectives",
            "",
            "| Data store | Recovery point objective | Recovery time objective |",
            "|---|---|---|",
        ]
        lines += [
            f"| {_cell(o.store)} | {format_duration(o.rpo)} | {format_duration(o.rto)} |"
            for o in self.objectives
        ]
        lines += ["", "## Validated scenarios", ""]
        if self.scenarios:
            lines += ["| Scenario | Last validated |", "|---|---|"]
            lines += [
                f"| {_cell(s.title)} | {s.last_validated.isoformat()} |" for s in self.scenarios
            ]
        else:
            lines.append("No scenario is validated within its interval.")
        return "\n".join(lines) + "\n"


def _elapsed(value: dt.timedelta) -> str:
    """An elapsed time for a reason: ``"9h30m"``, ``"45m"``, ``"2h"`` (seconds only if any)."""
    if value % dt.timedelta(minutes=1):
        return format_duration(value)
    hours, minutes = divmod(value // dt.timedelta(minutes=1), 60)
    if not hours:
        return f"{minutes}m"
    return f"{hours}h" + (f"{minutes}m" if minutes else "")


def _cell(text: str) -> str:
    """Text for a Markdown table cell: one line, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")


@attrs.frozen
class SubprocessorHealth:
    """One registered subprocessor's state as of ``now``.

    Attributes:
        subprocessor: Its name.
        state: Up, degraded or down.
        since: When the current state began: for a loss, when it began (a ``down`` after
            ``degraded`` keeps the start); ``None`` for a subprocessor never reported.
        backs: What it backs.
        critical: Whether it is critical.
        customer_visible: Whether its loss would be customer-visible.
        reason: One line for a human.

    .. versionadded:: 0.2.0
    """

    subprocessor: str
    state: HealthState
    since: dt.datetime | None
    backs: tuple[str, ...]
    critical: bool
    customer_visible: bool
    reason: str


@attrs.frozen
class ActiveFallback:
    """A subprocessor is degraded or down, and its documented strategy is in force.

    .. versionadded:: 0.2.0
    """

    subprocessor: str
    state: HealthState
    since: dt.datetime
    strategy: str
    rule: str
    reason: str


@attrs.frozen
class ChannelFallback:
    """A notification channel's subprocessor is down: notices on ``fallback`` count for it.

    ``since`` is when the subprocessor went down (a degraded spell before does not count).
    Read from the register, as the notification cadence reads it
    (``policy.notifications.fallback``).

    .. versionadded:: 0.2.0
    """

    channel: Channel
    fallback: Channel
    subprocessor: str
    since: dt.datetime
    rule: str
    reason: str


@attrs.frozen
class CustomerImpact:
    """A customer-visible subprocessor loss, with the impact assessment to classify.

    ``assessment`` goes to :func:`~reliability_policy.severity.classify` like any incident's:
    every tenant is affected, ``core`` and the impact come from the register (a degraded
    subprocessor counts as at most ``DEGRADED``).

    .. versionadded:: 0.2.0
    """

    subprocessor: str
    state: HealthState
    since: dt.datetime
    assessment: ImpactAssessment
    rule: str
    reason: str


@attrs.frozen
class DependencyReport:
    """The subprocessors' health as of ``as_of``: active fallbacks and customer impact.

    Attributes:
        as_of: The instant judged at (UTC).
        subprocessors: Every registered subprocessor, in the register's order.
        fallbacks: The strategies in force now (a subprocessor degraded or down).
        channel_fallbacks: The notification channels whose fallback counts now.
        impacts: Customer-visible losses, each with its impact assessment.
        findings: An unregistered subprocessor (a breach while it is degraded or down, else a
            warning), customer-visible losses to classify (warnings), and a critical,
            customer-visible loss without a strategy (a breach).
        schema_version: The document format version (1).

    .. versionadded:: 0.2.0
    """

    as_of: dt.datetime
    subprocessors: tuple[SubprocessorHealth, ...]
    fallbacks: tuple[ActiveFallback, ...]
    channel_fallbacks: tuple[ChannelFallback, ...]
    impacts: tuple[CustomerImpact, ...]
    findings: tuple[Finding, ...]
    schema_version: int = SCHEMA_VERSION


# --- the report -------------------------------------------------------------------------------


class _StoreEvidence:
    """One store's evidence up to ``now``, gathered in one pass (a private accumulator)."""

    __slots__ = ("flawed", "last_backup", "last_test", "objectives")

    def __init__(self, objectives: DataStore) -> None:
        self.objectives = objectives
        self.last_backup: BackupRun | None = None
        self.flawed: list[BackupRun] = []
        self.last_test: RestoreTest | None = None


class _Evidence:
    """All evidence up to ``now``, grouped by store and scenario in one pass."""

    __slots__ = ("last_exercise", "last_passed", "last_review", "stores", "unknown")

    def __init__(self, stores: dict[str, _StoreEvidence]) -> None:
        self.stores = stores
        self.last_review: PlanReview | None = None
        self.last_passed: dict[str, ScenarioExercise] = {}
        self.last_exercise: dict[str, ScenarioExercise] = {}
        self.unknown: list[Finding] = []


def _after(policy: Policy, instant: dt.datetime, span: CalendarSpan) -> dt.datetime:
    """``span`` after ``instant`` in the policy's calendar, as a plain UTC datetime."""
    due = policy.calendar.after(instant, span).astimezone(dt.UTC)
    return dt.datetime(
        due.year, due.month, due.day, due.hour, due.minute, due.second, due.microsecond, dt.UTC
    )


def _test_passes(test: RestoreTest, store: DataStore) -> bool:
    return test.verified and test.data_loss <= store.rpo and test.duration <= store.rto


def _test_key(test: RestoreTest, store: DataStore) -> tuple[Any, ...]:
    """Orders restore tests by time, then from better to worse (the worst of equals is last)."""
    fails = not _test_passes(test, store)
    return (test.at, fails, test.data_loss, test.duration, not test.verified)


def _group(records: Iterable[object], policy: Policy, now: dt.datetime) -> _Evidence:
    section = policy.continuity
    evidence = _Evidence({s.name: _StoreEvidence(s) for s in section.stores})
    scenarios = {s.id for s in section.plan.scenarios}
    unknown_stores: set[str] = set()
    unknown_scenarios: set[str] = set()
    for index, record in enumerate(records):
        if not isinstance(record, (BackupRun, RestoreTest, PlanReview, ScenarioExercise)):
            raise PolicyInputError(f"evidence[{index}]", record, "a continuity evidence record")
        if record.at > now:
            continue
        if isinstance(record, PlanReview):
            if evidence.last_review is None or record.at >= evidence.last_review.at:
                evidence.last_review = record
            continue
        if isinstance(record, ScenarioExercise):
            name = record.scenario
            if name not in scenarios:
                if name not in unknown_scenarios:
                    unknown_scenarios.add(name)
                    evidence.unknown.append(_unknown(RULE_UNKNOWN_SCENARIO, "scenario", name))
                continue
            last = evidence.last_exercise.get(name)
            # At equal times a failed exercise is the latest: the plan did not hold.
            if last is None or (record.at, not record.passed) >= (last.at, not last.passed):
                evidence.last_exercise[name] = record
            passed = evidence.last_passed.get(name)
            if record.passed and (passed is None or record.at >= passed.at):
                evidence.last_passed[name] = record
            continue
        entry = evidence.stores.get(record.store)
        if entry is None:
            if record.store not in unknown_stores:
                unknown_stores.add(record.store)
                evidence.unknown.append(_unknown(RULE_UNKNOWN_STORE, "store", record.store))
            continue
        if isinstance(record, BackupRun):
            flawed = not (record.encrypted and record.stored_apart)
            newest = entry.last_backup
            # At equal times a flawed backup is the latest, whatever the order of the log.
            if newest is None or (record.at, flawed) >= (
                newest.at,
                not (newest.encrypted and newest.stored_apart),
            ):
                entry.last_backup = record
            if flawed:
                entry.flawed.append(record)
            continue
        last_test = entry.last_test
        store = entry.objectives
        # At equal times the worst test is the latest: a store is never judged on the better.
        if last_test is None or _test_key(record, store) >= _test_key(last_test, store):
            entry.last_test = record
    return evidence


def _unknown(rule: str, what: str, name: str) -> Finding:
    return Finding(
        rule,
        None,
        f"evidence names the {what} {name!r}, which the policy does not list; "
        f"add it to the policy or correct the evidence",
        FindingLevel.WARNING,
    )


def _store_status(entry: _StoreEvidence, policy: Policy, now: dt.datetime) -> StoreStatus:
    store = entry.objectives
    name = store.name
    findings: list[Finding] = []
    for run in sorted(entry.flawed, key=lambda r: r.at):
        when = format_instant(run.at)
        if not run.encrypted:
            reason = f"the backup of {name} at {when} is not encrypted at rest"
            findings.append(Finding(RULE_UNENCRYPTED, None, reason))
        if not run.stored_apart:
            reason = f"the backup of {name} at {when} is not stored apart from the primary"
            findings.append(Finding(RULE_NOT_APART, None, reason))
    backup = entry.last_backup
    every = format_duration(store.backup_interval)
    if backup is None:
        next_backup, backup_overdue = None, True
        findings.append(
            Finding(RULE_BACKUP_OVERDUE, None, f"no backup of {name} on record (due every {every})")
        )
    else:
        next_backup = backup.at + store.backup_interval
        backup_overdue = now > next_backup
        if backup_overdue:
            reason = (
                f"the last backup of {name} was at {format_instant(backup.at)}; the next was "
                f"due {format_instant(next_backup)} (every {every}), "
                f"{_elapsed(now - next_backup)} ago"
            )
            findings.append(Finding(RULE_BACKUP_OVERDUE, None, reason))
    test = entry.last_test
    span = store.restore_test_interval
    check: RestoreCheck | None = None
    if test is None:
        next_test, test_overdue = None, True
        reason = f"no restore test of {name} on record (due every {span})"
        findings.append(Finding(RULE_TEST_OVERDUE, None, reason))
    else:
        check = RestoreCheck(test, test.data_loss <= store.rpo, test.duration <= store.rto)
        next_test = _after(policy, test.at, span)
        test_overdue = now > next_test
        when = format_instant(test.at)
        if test_overdue:
            reason = (
                f"the last restore test of {name} was at {when}; the next was due "
                f"{format_instant(next_test)} (every {span})"
            )
            findings.append(Finding(RULE_TEST_OVERDUE, None, reason))
        if not check.met_rpo:
            reason = (
                f"the restore test of {name} at {when} recovered data from "
                f"{format_instant(test.recovery_point)}: {_elapsed(test.data_loss)} "
                f"lost, more than the recovery point objective of {format_duration(store.rpo)}"
            )
            findings.append(Finding(RULE_RPO_MISSED, None, reason))
        if not check.met_rto:
            reason = (
                f"the restore test of {name} at {when} took {_elapsed(test.duration)}, "
                f"more than the recovery time objective of {format_duration(store.rto)}"
            )
            findings.append(Finding(RULE_RTO_MISSED, None, reason))
        if not test.verified:
            reason = f"the restore test of {name} at {when} was not verified"
            findings.append(Finding(RULE_NOT_VERIFIED, None, reason))
    compliant = not any(f.level is FindingLevel.BREACH for f in findings)
    if compliant and backup is not None and check is not None and next_test is not None:
        reason = (
            f"{name}: backed up {format_instant(backup.at)}; restore test "
            f"{format_instant(check.test.at)} met RPO {format_duration(store.rpo)} and RTO "
            f"{format_duration(store.rto)}; next test due {format_instant(next_test)}"
        )
    else:
        rules = ", ".join(dict.fromkeys(f.rule for f in findings))
        reason = f"{name}: {len(findings)} finding(s): {rules}"
    return StoreStatus(
        store=name,
        objectives=store,
        last_backup=backup,
        next_backup_due=next_backup,
        backup_overdue=backup_overdue,
        last_restore_test=check,
        next_test_due=next_test,
        test_overdue=test_overdue,
        compliant=compliant,
        findings=tuple(findings),
        reason=reason,
    )


def _scenario_status(
    scenario: Scenario, evidence: _Evidence, policy: Policy, now: dt.datetime
) -> tuple[ScenarioStatus, list[Finding]]:
    plan = policy.continuity.plan
    interval = scenario.validation_interval or plan.validation_interval
    title, sid = scenario.title, scenario.id
    passed = evidence.last_passed.get(sid)
    last = evidence.last_exercise.get(sid)
    findings: list[Finding] = []
    if passed is None:
        next_due = None
        reason = (
            f"{title!r} ({sid}) was never validated by a passed exercise (due every {interval})"
        )
        findings.append(Finding(RULE_NEVER_VALIDATED, None, reason))
    else:
        next_due = _after(policy, passed.at, interval)
        if now > next_due:
            reason = (
                f"{title!r} ({sid}) was last validated {format_instant(passed.at)}; the next "
                f"exercise was due {format_instant(next_due)} (every {interval})"
            )
            findings.append(Finding(RULE_VALIDATION_OVERDUE, None, reason))
    if last is not None and not last.passed:
        reason = f"the latest exercise of {title!r} ({sid}), at {format_instant(last.at)}, failed"
        findings.append(Finding(RULE_EXERCISE_FAILED, None, reason))
    validated = not findings
    if validated and passed is not None and next_due is not None:
        reason = (
            f"{title!r} ({sid}) validated {format_instant(passed.at)}; "
            f"next exercise due {format_instant(next_due)}"
        )
    else:
        reason = findings[0].reason
    status = ScenarioStatus(
        sid, title, interval, passed.at if passed else None, next_due, validated, reason
    )
    return status, findings


def _plan_status(evidence: _Evidence, policy: Policy, now: dt.datetime) -> PlanStatus:
    plan = policy.continuity.plan
    findings: list[Finding] = []
    review = evidence.last_review
    if review is None:
        next_review, overdue = None, True
        reason = f"no review of the continuity plan on record (due every {plan.review_interval})"
        findings.append(Finding(RULE_REVIEW_OVERDUE, None, reason))
    else:
        next_review = _after(policy, review.at, plan.review_interval)
        overdue = now > next_review
        if overdue:
            reason = (
                f"the continuity plan was last reviewed {format_instant(review.at)}; the next "
                f"review was due {format_instant(next_review)} (every {plan.review_interval})"
            )
            findings.append(Finding(RULE_REVIEW_OVERDUE, None, reason))
    scenarios: list[ScenarioStatus] = []
    for scenario in plan.scenarios:
        status, found = _scenario_status(scenario, evidence, policy, now)
        scenarios.append(status)
        findings.extend(found)
    return PlanStatus(
        last_review=review.at if review else None,
        next_review_due=next_review,
        review_overdue=overdue,
        scenarios=tuple(scenarios),
        findings=tuple(findings),
    )


def continuity_report(
    evidence: Iterable[EvidenceRecord], policy: Policy | None = None, *, now: dt.datetime
) -> ContinuityReport:
    """Judge recovery evidence and the plan's review cycle against the policy, as of ``now``.

    Per data store: the last backup and whether one is overdue (every backup that is not
    encrypted at rest or not stored apart is a finding); the last restore test, whether it met
    the RPO and the RTO and was verified, and when the next test is due (the restore-test
    interval after it, in the policy's calendar). For the plan: when the next review is due,
    and which scenario was never validated, or not within its interval, or failed its latest
    exercise. Evidence later than ``now`` is not known yet and is ignored. At equal times,
    the worse of two backups, restore tests or exercises is the latest (a flawed backup; a
    failed test or exercise; of two tests, the one that lost more data or took longer), and
    of two alike the one later in the log.

    Args:
        evidence: Evidence records, in any order (see :func:`load_evidence`).
        policy: The policy; ``None`` means :func:`~reliability_policy.default_policy`.
        now: The instant to judge at (timezone-aware).

    Returns:
        The :class:`ContinuityReport`; ``compliant`` when no finding is a breach.

    Raises:
        PolicyInputError: an item is not an evidence record, or ``now`` is naive.

    .. versionadded:: 0.2.0
    """
    now = require_utc(now, "now")
    policy = policy_or_default(policy)
    if isinstance(evidence, (str, bytes)):
        raise PolicyInputError("evidence", evidence, "evidence records (see loads_evidence)")
    grouped = _group(evidence, policy, now)
    stores = tuple(_store_status(entry, policy, now) for entry in grouped.stores.values())
    plan = _plan_status(grouped, policy, now)
    findings = [f for status in stores for f in status.findings]
    findings += plan.findings
    findings += grouped.unknown
    breaches = sum(f.level is FindingLevel.BREACH for f in findings)
    warnings = len(findings) - breaches
    reason = (
        f"{len(stores)} data store(s), {len(plan.scenarios)} scenario(s): "
        f"{breaches} breach(es), {warnings} warning(s) as of {format_instant(now)}"
    )
    return ContinuityReport(
        as_of=now,
        compliant=breaches == 0,
        stores=stores,
        plan=plan,
        findings=tuple(findings),
        reason=reason,
    )


def continuity_summary(
    evidence: Iterable[EvidenceRecord], policy: Policy | None = None, *, now: dt.datetime
) -> ContinuitySummary:
    """The summary shared with customers under NDA: recovery objectives, validated scenarios.

    Each data store's RPO and RTO, and each scenario that :func:`continuity_report` finds
    validated as of ``now``, with the (UTC) date of its last validation. Nothing else: no
    finding, no evidence detail, no internal note.

    >>> import datetime as dt
    >>> from reliability_policy.continuity import ScenarioExercise
    >>> now = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    >>> drill = ScenarioExercise(dt.datetime(2026, 2, 3, 9, 0, tzinfo=dt.UTC),
    ...                          "critical-subprocessor-loss", passed=True, note="ran long")
    >>> summary = continuity_summary([drill], now=now)
    >>> [(s.title, s.last_validated.isoformat()) for s in summary.scenarios]
    [('Loss of a critical subprocessor', '2026-02-03')]
    >>> print(summary.to_markdown())  # doctest: +ELLIPSIS
    # Business continuity summary
    ...
    | primary-database | 24h | 8h |
    ...
    | Loss of a critical subprocessor | 2026-02-03 |
    <BLANKLINE>

    Raises:
        PolicyInputError: as for :func:`continuity_report`.

    .. versionadded:: 0.2.0
    """
    report = continuity_report(evidence, policy, now=now)
    return ContinuitySummary(
        as_of=report.as_of.date(),
        objectives=tuple(
            RecoveryObjective(s.store, s.objectives.rpo, s.objectives.rto) for s in report.stores
        ),
        scenarios=tuple(
            ValidatedScenario(s.scenario, s.title, s.last_validated.date())
            for s in report.plan.scenarios
            if s.validated and s.last_validated is not None
        ),
    )


# --- dependencies -----------------------------------------------------------------------------


class _Health:
    """One subprocessor's state while the health events are applied."""

    __slots__ = ("down_since", "since", "state")

    def __init__(self) -> None:
        self.state = HealthState.UP
        self.since: dt.datetime | None = None
        self.down_since: dt.datetime | None = None


def _step(health: _Health, event: HealthEvent) -> None:
    """Apply one health event; ``since`` keeps the start of a loss across down/degraded."""
    if event.status is HealthChange.RECOVERED:
        if health.state is not HealthState.UP or health.since is None:
            health.state, health.since, health.down_since = HealthState.UP, event.at, None
        return
    state = HealthState.DOWN if event.status is HealthChange.DOWN else HealthState.DEGRADED
    if health.state is HealthState.UP:
        health.since = event.at
    if state is HealthState.DOWN and health.state is not HealthState.DOWN:
        health.down_since = event.at
    elif state is not HealthState.DOWN:
        health.down_since = None
    health.state = state


def _assessment(entry: Subprocessor, state: HealthState) -> ImpactAssessment:
    impact = entry.impact
    if state is HealthState.DEGRADED:
        impact = min(impact, Impact.DEGRADED)
    return ImpactAssessment(impact, core=entry.core, customer_visible=True, all_tenants=True)


def dependency_status(
    events: Iterable[HealthEvent], policy: Policy | None = None, *, now: dt.datetime
) -> DependencyReport:
    """Each registered subprocessor's health as of ``now``, the fallbacks in force, the impact.

    Events are applied in time order (at equal times, in the order given); events later than
    ``now`` are not known yet. A subprocessor never reported is up. For each subprocessor
    degraded or down: its documented strategy is in force (an :class:`ActiveFallback`); if
    it is down and backs a notification channel, the channel's fallback from the register
    counts (a :class:`ChannelFallback`, the same answer ``policy.notifications.fallback``
    gives the notification cadence); if its loss is customer-visible, a
    :class:`CustomerImpact` carries the impact assessment to classify.

    >>> import datetime as dt
    >>> from reliability_policy.continuity import HealthEvent, dependency_status
    >>> at = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
    >>> status = dependency_status([HealthEvent(at, "email-provider", "down")], now=at)
    >>> [(f.channel.value, f.fallback.value) for f in status.channel_fallbacks]
    [('email', 'in_app')]
    >>> status.impacts[0].assessment.impact
    <Impact.MINOR: 'MINOR'>

    Args:
        events: Health events (see :func:`load_health_events`).
        policy: The policy; ``None`` means :func:`~reliability_policy.default_policy`.
        now: The instant to judge at (timezone-aware).

    Raises:
        PolicyInputError: an item is not a :class:`HealthEvent`, or ``now`` is naive.

    .. versionadded:: 0.2.0
    """
    now = require_utc(now, "now")
    policy = policy_or_default(policy)
    if isinstance(events, (str, bytes)):
        raise PolicyInputError("events", events, "health events (see loads_health_events)")
    register = {entry.name: entry for entry in policy.continuity.subprocessors}
    known: list[HealthEvent] = []
    for index, event in enumerate(events):
        if not isinstance(event, HealthEvent):
            raise PolicyInputError(f"events[{index}]", event, "a HealthEvent")
        if event.at <= now:
            known.append(event)
    known.sort(key=lambda e: e.at)
    health: dict[str, _Health] = {name: _Health() for name in register}
    for event in known:
        _step(health.setdefault(event.subprocessor, _Health()), event)
    findings = [_unregistered(name, h) for name, h in health.items() if name not in register]
    entries: list[SubprocessorHealth] = []
    fallbacks: list[ActiveFallback] = []
    channels: list[ChannelFallback] = []
    impacts: list[CustomerImpact] = []
    channel_fallback = policy.notifications.fallback
    for name, entry in register.items():
        state, since, down_since = health[name].state, health[name].since, health[name].down_since
        if state is HealthState.UP or since is None:
            reason = f"{name} is up" + (f" since {format_instant(since)}" if since else "")
            entries.append(_entry(entry, HealthState.UP, since, reason))
            continue
        began = format_instant(since)
        lost = f"{name} is {state.value} (the loss began {began})"
        entries.append(_entry(entry, state, since, lost))
        if entry.strategy.strip():
            reason = f"{lost}: {entry.strategy}"
            fallbacks.append(
                ActiveFallback(name, state, since, entry.strategy, RULE_FALLBACK, reason)
            )
        elif entry.critical and entry.customer_visible:
            reason = (
                f"{lost}; it is critical, its loss is customer-visible, and it has no "
                "documented fallback or degradation strategy"
            )
            findings.append(Finding(RULE_NO_STRATEGY, None, reason))
        if down_since is not None:
            for capability in entry.backs:
                channel = _CHANNELS.get(capability)
                if channel is None:  # a capability, not a notification channel
                    continue
                fallback = channel_fallback.get(channel)
                if fallback is None:
                    continue
                reason = (
                    f"{channel.value} is down with {name} since {format_instant(down_since)}: "
                    f"notices on {fallback.value} count for it"
                )
                channels.append(
                    ChannelFallback(
                        channel, fallback, name, down_since, RULE_CHANNEL_FALLBACK, reason
                    )
                )
        if entry.customer_visible:
            assessment = _assessment(entry, state)
            reason = (
                f"{lost}: a customer-visible loss, "
                f"{assessment.impact.value} impact on "
                f"{'core functionality' if entry.core else 'a peripheral feature'} for every "
                "tenant; classify it as an incident"
            )
            impacts.append(
                CustomerImpact(name, state, since, assessment, RULE_CUSTOMER_IMPACT, reason)
            )
            findings.append(Finding(RULE_CUSTOMER_IMPACT, None, reason, FindingLevel.WARNING))
    return DependencyReport(
        as_of=now,
        subprocessors=tuple(entries),
        fallbacks=tuple(fallbacks),
        channel_fallbacks=tuple(channels),
        impacts=tuple(impacts),
        findings=tuple(findings),
    )


def _unregistered(name: str, health: _Health) -> Finding:
    """An unregistered subprocessor: a breach while it is degraded or down, else a warning."""
    reason = (
        f"health events name the subprocessor {name!r}, which the register does not list; "
        "register it with its fallback or degradation strategy"
    )
    if health.state is HealthState.UP:
        return Finding(RULE_UNKNOWN_SUBPROCESSOR, None, reason, FindingLevel.WARNING)
    reason = f"{reason} (it is {health.state.value}, with no known strategy)"
    return Finding(RULE_UNKNOWN_SUBPROCESSOR, None, reason)


def _entry(
    entry: Subprocessor, state: HealthState, since: dt.datetime | None, reason: str
) -> SubprocessorHealth:
    return SubprocessorHealth(
        entry.name, state, since, entry.backs, entry.critical, entry.customer_visible, reason
    )


# --- JSON Lines -------------------------------------------------------------------------------


def load_evidence(path: str | os.PathLike[str]) -> tuple[EvidenceRecord, ...]:
    """Read the JSON Lines evidence log at ``path`` (a ``str`` or :class:`os.PathLike`).

    >>> [r.type for r in load_evidence("examples/continuity-evidence.jsonl")][:2]
    ['backup', 'backup']

    Raises:
        PolicyInputError: the file is missing, unreadable, larger than 256 MiB or not UTF-8
            text (the error names ``path``).
        EventLogError: a line is bad, as for :func:`loads_evidence`.

    .. versionadded:: 0.2.0
    """
    return loads_evidence(read_text(path, field="path", limit=MAX_LOG_BYTES))


def loads_evidence(text: str) -> tuple[EvidenceRecord, ...]:
    """Read a JSON Lines evidence log from its text, one record per line.

    Each line is a JSON object whose ``type`` is ``backup``, ``restore_test``,
    ``plan_review`` or ``scenario_exercise`` (see :data:`EVIDENCE_TYPES`); instants are ISO
    8601 with an offset, the restore ``duration`` is written like ``"3h30m"``. Blank lines are
    skipped.

    >>> loads_evidence('{"type": "plan_review", "at": "2026-01-05T10:00:00Z", "by": "cto"}')
    (PlanReview(at=datetime.datetime(2026, 1, 5, 10, 0, tzinfo=datetime.timezone.utc),
                by='cto', note=''),)
    >>> loads_evidence('\\n{"type": "backup", "at": "2026-01-05T10:00:00Z", "store": "db"}')
    Traceback (most recent call last):
      ...
    reliability_policy.errors.EventLogError: line 2: encrypted: expected true or false ...

    Raises:
        EventLogError: a line is too long, not JSON, not an object, has an unknown ``type``,
            or a field is missing or wrong; the error names the line number and the field.
        PolicyInputError: ``text`` is not a string, or has too many characters or lines.

    .. versionadded:: 0.2.0
    """
    return _read_log(text, _evidence_line, "load_evidence")


def dumps_evidence(records: Iterable[EvidenceRecord]) -> str:
    """Write evidence records as JSON Lines text (fields at their default left out).

    :func:`loads_evidence` reads the text back to equal records.

    Raises:
        PolicyInputError: an item is not an evidence record.

    .. versionadded:: 0.2.0
    """
    return _dump_log(records, (BackupRun, RestoreTest, PlanReview, ScenarioExercise), "evidence")


def load_health_events(path: str | os.PathLike[str]) -> tuple[HealthEvent, ...]:
    """Read the JSON Lines subprocessor health log at ``path`` (always a path).

    Raises:
        PolicyInputError: the file is missing, unreadable, too large or not UTF-8 text.
        EventLogError: a line is bad, as for :func:`loads_health_events`.

    .. versionadded:: 0.2.0
    """
    return loads_health_events(read_text(path, field="path", limit=MAX_LOG_BYTES))


def loads_health_events(text: str) -> tuple[HealthEvent, ...]:
    """Read a JSON Lines subprocessor health log from its text, one event per line.

    Each line is ``{"at": ..., "subprocessor": ..., "status": "down"}`` (or ``degraded``,
    ``recovered``), with an optional ``note``. Blank lines are skipped.

    Raises:
        EventLogError: a bad line, naming its number and the field.
        PolicyInputError: ``text`` is not a string, or has too many characters or lines.

    .. versionadded:: 0.2.0
    """
    return _read_log(text, _health_line, "load_health_events")


def dumps_health_events(events: Iterable[HealthEvent]) -> str:
    """Write health events as JSON Lines text; :func:`loads_health_events` reads it back.

    Raises:
        PolicyInputError: an item is not a :class:`HealthEvent`.

    .. versionadded:: 0.2.0
    """
    return _dump_log(events, (HealthEvent,), "events")


_LINE_BREAKS: Final = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def _dump_log(items: Iterable[object], kinds: tuple[type, ...], field: str) -> str:
    lines: list[str] = []
    for index, item in enumerate(items):
        if type(item) not in kinds:
            names = " or ".join(k.__name__ for k in kinds)
            raise PolicyInputError(f"{field}[{index}]", item, f"a {names}")
        data = converter.unstructure(item)
        line = json.dumps(data, ensure_ascii=False)  # separators: ", " and ": "
        lines.append(line.translate(_LINE_BREAKS))
    return "".join(line + "\n" for line in lines)


def _read_log(text: object, read_line: Callable[[str, int], R], loader: str) -> tuple[R, ...]:
    if not isinstance(text, str):
        raise PolicyInputError("text", text, f"the JSON Lines text (for a file, use {loader})")
    if len(text) > MAX_LOG_BYTES:
        raise PolicyInputError("text", text[:40], f"at most {MAX_LOG_BYTES:,} characters")
    if text.count("\n") >= MAX_LINES:
        raise PolicyInputError("text", text[:40], f"at most {MAX_LINES:,} lines")
    items: list[R] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        if len(line) > MAX_LINE_CHARS:
            expected = f"a line of at most {MAX_LINE_CHARS:,} characters"
            raise EventLogError(number, "$", line[:40] + "...", expected)
        items.append(read_line(line, number))
    return tuple(items)


def _json_object(line: str, number: int, reader: str) -> dict[str, Any]:
    try:
        data = json.loads(line)
    except (ValueError, RecursionError) as error:
        expected = f"a JSON object ({error})"
        if not line.lstrip().startswith(("{", "[", '"')):
            expected += f"; loads_{reader} takes the log's text, load_{reader} a path"
        raise EventLogError(number, "$", line.strip(), expected) from None
    if not isinstance(data, dict):
        raise EventLogError(number, "$", data, "a JSON object")
    return data


def _evidence_line(line: str, number: int) -> EvidenceRecord:
    data = _json_object(line, number, "evidence")
    name = data.get("type")
    cls = EVIDENCE_TYPES.get(name) if isinstance(name, str) else None
    if cls is None:
        raise EventLogError(number, "type", name, "one of " + ", ".join(map(repr, EVIDENCE_TYPES)))
    record: EvidenceRecord = _structure_line(data, cls, number)
    return record


def _health_line(line: str, number: int) -> HealthEvent:
    event: HealthEvent = _structure_line(
        _json_object(line, number, "health_events"), HealthEvent, number
    )
    return event


def _structure_line(data: dict[str, Any], cls: type[R], number: int) -> R:
    try:
        return converter.structure(data, cls)
    except Exception as error:  # noqa: BLE001 - cattrs groups; translated to our error
        # Every error reports at least one problem (a bare PolicyInputError is one, at "$").
        first = problems_of(error, cls)[0]
        leaf = first_input_error(error)
        if first.path == "$" and leaf is not None:  # raised by the class itself
            raise EventLogError(number, leaf.field, leaf.value, leaf.expected) from None
        field = first.path.removeprefix("$.")
        if first.kind == "missing":
            expected = f"{first.expected} (the field is missing)"
            raise EventLogError(number, field, None, expected) from None
        raise EventLogError(number, field, first.value, first.expected) from None


# --- JSON hooks -------------------------------------------------------------------------------


_RECORD_CLASSES: Final = frozenset(
    {BackupRun, RestoreTest, PlanReview, ScenarioExercise, HealthEvent}
)


def _is_record_class(t: Any) -> bool:
    return isinstance(t, type) and t in _RECORD_CLASSES


def _record_unstructure_hook(cls: Any) -> Callable[[Any], dict[str, Any]]:
    """Records unstructure with ``type`` first and defaults left out (built on first use)."""
    name = getattr(cls, "type", None)
    inner = make_dict_unstructure_fn(cls, converter, _cattrs_omit_if_default=True)

    def unstructure(record: Any) -> dict[str, Any]:
        data = inner(record)
        return data if name is None else {"type": name, **data}

    return unstructure


def _record_structure_hook(cls: Any) -> Callable[[Any, Any], Any]:
    """Records structure strictly, checking ``type`` if present (built on first use)."""
    name = getattr(cls, "type", None)
    inner = make_dict_structure_fn(cls, converter, _cattrs_forbid_extra_keys=True)

    def structure(value: Any, _: Any) -> Any:
        if not isinstance(value, Mapping):
            raise PolicyInputError(cls.__name__, value, "a JSON object")
        data = dict(value)
        if name is not None:
            found = data.pop("type", name)
            if found != name:
                raise PolicyInputError("type", found, repr(name))
        return inner(data, cls)

    return structure


converter.register_unstructure_hook_factory(_is_record_class, _record_unstructure_hook)
converter.register_structure_hook_factory(_is_record_class, _record_structure_hook)


def _structure_any_record(value: Any, _: Any) -> EvidenceRecord:
    name = value.get("type") if isinstance(value, Mapping) else None
    cls = EVIDENCE_TYPES.get(name) if isinstance(name, str) else None
    if cls is None:
        raise PolicyInputError("type", name, "one of " + ", ".join(map(repr, EVIDENCE_TYPES)))
    record: EvidenceRecord = converter.structure(value, cls)
    return record


converter.register_structure_hook(EvidenceRecord, _structure_any_record)
converter.register_unstructure_hook(EvidenceRecord, lambda r: converter.unstructure(r, type(r)))


# --- the policy check -------------------------------------------------------------------------


def policy_problems(policy: Policy) -> Iterator[Problem]:
    """The checks of a policy's ``continuity`` section, run by the loader.

    Every data store has a unique name and a backup interval no longer than its RPO (the
    objective could never be met otherwise); the plan has unique scenarios, among them the
    three the reliability page names (:data:`REQUIRED_SCENARIOS`); every subprocessor has a
    unique name and backs something; a critical subprocessor whose loss would be
    customer-visible has a documented fallback or degradation strategy; one whose loss is
    not customer-visible has no impact; a ``fallback_channel`` is set only on a subprocessor
    that backs a notification channel, differs from it, and agrees with any other
    subprocessor backing the same channel.

    >>> from reliability_policy import default_policy
    >>> list(policy_problems(default_policy()))
    []

    .. versionadded:: 0.2.0
    """
    section = policy.continuity
    yield from _store_problems(section.stores)
    yield from _plan_problems(policy)
    yield from _register_problems(section.subprocessors)


def _name_problem(path: str, name: str, seen: set[str], what: str) -> Iterator[Problem]:
    if not name.strip():
        yield Problem(path, f"a non-empty {what}", name)
    elif name in seen:
        yield Problem(path, f"a {what} used once", name)
    seen.add(name)


def _store_problems(stores: tuple[DataStore, ...]) -> Iterator[Problem]:
    if not stores:
        yield Problem("$.continuity.stores", "at least one data store", [])
    seen: set[str] = set()
    for i, store in enumerate(stores):
        path = f"$.continuity.stores[{i}]"
        yield from _name_problem(f"{path}.name", store.name, seen, "store name")
        if store.backup_interval > store.rpo:
            expected = (
                f"at most the recovery point objective of {store.name!r}, "
                f"{format_duration(store.rpo)!r} (backups further apart could never meet it)"
            )
            yield Problem(
                f"{path}.backup_interval", expected, format_duration(store.backup_interval)
            )


def _plan_problems(policy: Policy) -> Iterator[Problem]:
    scenarios = policy.continuity.plan.scenarios
    seen: set[str] = set()
    for i, scenario in enumerate(scenarios):
        path = f"$.continuity.plan.scenarios[{i}]"
        yield from _name_problem(f"{path}.id", scenario.id, seen, "scenario id")
        if not scenario.title.strip():
            yield Problem(f"{path}.title", "a title to show customers", scenario.title)
    missing = [sid for sid in REQUIRED_SCENARIOS if sid not in seen]
    if missing:
        expected = "the scenarios the reliability page names, also " + ", ".join(
            repr(sid) for sid in missing
        )
        yield Problem("$.continuity.plan.scenarios", expected, sorted(seen))


def _register_problems(register: tuple[Subprocessor, ...]) -> Iterator[Problem]:
    seen: set[str] = set()
    fallback_of: dict[Channel, tuple[Channel, str]] = {}
    for i, entry in enumerate(register):
        path = f"$.continuity.subprocessors[{i}]"
        name = entry.name
        yield from _name_problem(f"{path}.name", name, seen, "subprocessor name")
        if not entry.backs or any(not item.strip() for item in entry.backs):
            expected = "what it backs: capabilities or channels, each a non-empty name"
            yield Problem(f"{path}.backs", expected, list(entry.backs))
        if entry.critical and entry.customer_visible and not entry.strategy.strip():
            expected = (
                f"a documented fallback or degradation strategy: {name!r} is critical and "
                "its loss would be customer-visible"
            )
            yield Problem(f"{path}.strategy", expected, entry.strategy)
        if not entry.customer_visible and entry.impact is not Impact.NONE:
            expected = f"'NONE': the loss of {name!r} is not customer-visible"
            yield Problem(f"{path}.impact", expected, entry.impact.value)
        to = entry.fallback_channel
        if to is None:
            continue
        backed = [_CHANNELS[item] for item in entry.backs if item in _CHANNELS]
        if not backed:
            expected = f"no fallback channel: {name!r} backs no notification channel"
            yield Problem(f"{path}.fallback_channel", expected, to.value)
        for channel in backed:
            if channel is to:
                expected = f"a channel other than {channel.value!r}, which {name!r} backs"
                yield Problem(f"{path}.fallback_channel", expected, to.value)
                continue
            earlier = fallback_of.setdefault(channel, (to, name))
            if earlier[0] is not to:
                expected = (
                    f"{earlier[0].value!r}, as {earlier[1]!r}, which also backs "
                    f"{channel.value!r} (one fallback per channel)"
                )
                yield Problem(f"{path}.fallback_channel", expected, to.value)
