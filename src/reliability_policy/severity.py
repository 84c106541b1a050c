"""Severity classification (SPEC section 1): an impact assessment in, an explained severity out.

The rules live in the policy document (``[[severity.rules]]``), ordered, first match wins:

>>> from reliability_policy import ImpactAssessment, classify
>>> outage = ImpactAssessment("OUTAGE", core=True, affected_tenants=610, total_tenants=1000)
>>> result = classify(outage)
>>> result.severity, result.rule
(<Severity.SEV_1: 'SEV-1'>, 'platform-outage')
>>> result.reason
'core OUTAGE for 61% of tenants (610/1000) >= 50%: platform-outage'

A responder may declare a severity by hand; the declared one wins and the suggestion is kept:

>>> declared = declare(result, Severity.SEV_2, by="alice", reason="only the EU cell is down")
>>> declared.severity, declared.suggested
(<Severity.SEV_2: 'SEV-2'>, <Severity.SEV_1: 'SEV-1'>)

The policy is checked, not trusted: loading a policy whose rules are not monotone (more impact,
a larger share of tenants, or ``core`` turned on lowers the severity) or not total (some
assessment matches no rule) is a :class:`~reliability_policy.errors.PolicyConfigError` that
shows a counterexample. The check is exact: it evaluates the rules on the finite set of points
the thresholds define, not on samples (see :func:`check_rules`).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from fractions import Fraction
from typing import Any, Final, Literal

import attrs
from cattrs.errors import ClassValidationError
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from reliability_policy._validate import to_severity
from reliability_policy.defaults import policy_or_default
from reliability_policy.errors import PolicyConfigError, PolicyInputError, Problem
from reliability_policy.levels import Impact, Severity
from reliability_policy.policy import Condition, Policy, SeverityPolicy, SeverityRule
from reliability_policy.serialization import converter

__all__ = [
    "Classification",
    "Declaration",
    "ImpactAssessment",
    "check_rules",
    "classify",
    "declare",
    "describe_condition",
    "is_material",
    "rule_table",
]

_IMPACTS: Final = tuple(sorted(Impact))
_IMPACT_NAMES: Final = ", ".join(impact.value for impact in _IMPACTS)
_SEVERITY_NAMES: Final = ", ".join(s.value for s in sorted(Severity, reverse=True))
_NOT_AN_INCIDENT: Final = "not an incident"


# --- input values -----------------------------------------------------------------------------


def _to_impact(value: Impact | str) -> Impact:
    """An :class:`Impact`, or its name in any case (``"OUTAGE"``, ``"outage"``)."""
    if isinstance(value, Impact):
        return value
    if isinstance(value, str):
        for impact in _IMPACTS:
            if impact.value == value.upper():
                return impact
    raise PolicyInputError("impact", value, f"one of {_IMPACT_NAMES}")


def _to_severity(value: Severity | str | None) -> Severity | None:
    """A :class:`Severity`, its name (``"SEV-1"``), or ``None``/``"none"`` for no incident."""
    if value is None or isinstance(value, Severity):
        return value
    if isinstance(value, str):
        text = value.strip().upper()
        if text == "NONE":
            return None
        for severity in Severity:
            if severity.value == text:
                return severity
    expected = f"one of {_SEVERITY_NAMES}, or None (not an incident)"
    raise PolicyInputError("severity", value, expected)


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@attrs.frozen
class ImpactAssessment:
    """What an event does to customers: the input to :func:`classify`.

    Give the share of tenants affected as ``affected_tenants`` out of ``total_tenants``, or set
    ``all_tenants``. The share is compared exactly (integer arithmetic), so 50 of 100 tenants
    is exactly 50%.

    Attributes:
        impact: What customers experience: NONE < MINOR < DEGRADED < OUTAGE. Accepts the
            name as a string (``"OUTAGE"``, any case).
        core: Whether core functionality (sign-in, reading/writing customer data, primary
            workflows) is hit, as opposed to a peripheral feature.
        customer_visible: ``False`` for component restarts, rolling deploys and failovers
            that customers do not see.
        affected_tenants: How many tenants are affected (0 or more).
        total_tenants: How many tenants there are (1 or more).
        all_tenants: Every tenant is affected; the counts may then be left out (if both are
            given, they must be equal).

    Raises:
        PolicyInputError: an unknown impact name, a flag that is not ``True``/``False``, a
            count that is not a whole number, a negative count, a zero total, more affected
            than total tenants, or no share at all; the error names the field and the value.

    >>> ImpactAssessment("degraded", core=False, affected_tenants=3, total_tenants=40).impact
    <Impact.DEGRADED: 'DEGRADED'>
    >>> from reliability_policy import PolicyInputError
    >>> try:
    ...     ImpactAssessment("OUTAGE", core=True, affected_tenants=11, total_tenants=10)
    ... except PolicyInputError as error:
    ...     print(error)
    affected_tenants: expected at most total_tenants (10), got 11

    .. versionadded:: 0.1.0
    """

    impact: Impact = attrs.field(converter=_to_impact)
    core: bool
    customer_visible: bool = True
    affected_tenants: int | None = None
    total_tenants: int | None = None
    all_tenants: bool = False

    def __attrs_post_init__(self) -> None:
        for name in ("core", "customer_visible", "all_tenants"):
            if not isinstance(getattr(self, name), bool):
                raise PolicyInputError(name, getattr(self, name), "True or False")
        affected, total = self.affected_tenants, self.total_tenants
        for name, count in (("affected_tenants", affected), ("total_tenants", total)):
            if count is None:
                continue
            if not _is_count(count):
                raise PolicyInputError(name, count, "a whole number of tenants, or None")
            if count < 0:
                raise PolicyInputError(name, count, "a count of 0 or more")
        if total is not None and total == 0:
            raise PolicyInputError("total_tenants", total, "at least 1 tenant")
        if affected is not None and total is not None:
            if affected > total:
                raise PolicyInputError(
                    "affected_tenants", affected, f"at most total_tenants ({total})"
                )
            if self.all_tenants and affected != total:
                expected = f"equal to total_tenants ({total}) when all_tenants is true"
                raise PolicyInputError("affected_tenants", affected, expected)
        if not self.all_tenants and (affected is None or total is None):
            name = "affected_tenants" if affected is None else "total_tenants"
            expected = "a count (give affected_tenants and total_tenants, or all_tenants=True)"
            raise PolicyInputError(name, None, expected)

    @property
    def share(self) -> Fraction:
        """The share of tenants affected, as an exact percentage (``Fraction(61)`` for 61%).

        >>> ImpactAssessment("MINOR", core=False, affected_tenants=1, total_tenants=3).share
        Fraction(100, 3)
        """
        affected, total = self._counts
        return Fraction(affected * 100, total)

    @property
    def _counts(self) -> tuple[int, int]:
        """(affected, total) tenants, all tenants as 1 of 1."""
        if self.all_tenants:
            return 1, 1
        assert self.affected_tenants is not None  # checked on construction
        assert self.total_tenants is not None
        return self.affected_tenants, self.total_tenants

    @property
    def summary(self) -> str:
        """The facts in a phrase, as reasons quote them.

        The percentage is rounded down to hundredths, so it is never shown above a threshold
        it does not reach; the counts follow it exactly.

        >>> ImpactAssessment("OUTAGE", core=True, affected_tenants=2, total_tenants=3).summary
        'core OUTAGE for 66.66% of tenants (2/3)'
        >>> ImpactAssessment("NONE", core=False, customer_visible=False, all_tenants=True).summary
        'not customer-visible, peripheral NONE for all tenants'
        """
        facts = _facts_text(self.impact, self.core, self.customer_visible)
        if self.all_tenants:
            return f"{facts} for all tenants"
        affected, total = self._counts
        hundredths = affected * 10000 // total
        if hundredths == 0 and affected:
            return f"{facts} for <0.01% of tenants ({affected}/{total})"
        whole, decimals = divmod(hundredths, 100)
        percent = f"{whole}.{decimals:02d}".rstrip("0") if decimals else f"{whole}"
        return f"{facts} for {percent}% of tenants ({affected}/{total})"


@attrs.frozen
class Declaration:
    """A severity declared by hand by a responder; it wins over the suggestion.

    Attributes:
        severity: The declared severity, or ``None`` for "not an incident". Accepts
            ``"SEV-1"``... or ``"none"``.
        by: Who declared it.
        reason: Why, in a phrase.

    Raises:
        PolicyInputError: an unknown severity, or an empty ``by`` or ``reason``.

    >>> Declaration("SEV-2", by="alice", reason="EU cell only").severity
    <Severity.SEV_2: 'SEV-2'>

    .. versionadded:: 0.1.0
    """

    severity: Severity | None = attrs.field(converter=_to_severity)
    by: str
    reason: str

    def __attrs_post_init__(self) -> None:
        for name in ("by", "reason"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise PolicyInputError(name, value, "a non-empty string")


def _severity_text(severity: Severity | None) -> str:
    return _NOT_AN_INCIDENT if severity is None else severity.value


@attrs.frozen
class Classification:
    """The outcome of :func:`classify`: a severity with the rule that fired and why.

    Attributes:
        suggested: The severity the rules give, or ``None`` for "not an incident".
        rule: The name of the policy rule that fired.
        assessment: The facts that were classified.
        share_at_least: The share threshold (percent) of the condition that matched, as the
            policy writes it, or ``None`` if that condition has none.
        declared: A severity declared by a responder (see :func:`declare`), or ``None``.

    >>> from reliability_policy import ImpactAssessment, classify
    >>> quiet = ImpactAssessment("NONE", core=True, customer_visible=False, all_tenants=True)
    >>> c = classify(quiet)
    >>> c.is_incident, c.rule
    (False, 'routine')
    >>> c.reason
    'not customer-visible, core NONE for all tenants: routine'

    .. versionadded:: 0.1.0
    """

    suggested: Severity | None
    rule: str
    assessment: ImpactAssessment
    share_at_least: float | None = None
    declared: Declaration | None = None

    @property
    def severity(self) -> Severity | None:
        """The severity that applies (the declared one if any, else the suggested one)."""
        declared = self.declared
        return self.suggested if declared is None else declared.severity

    @property
    def is_incident(self) -> bool:
        """Whether the event is an incident (the applicable severity is not ``None``)."""
        return self.severity is not None

    @property
    def reason(self) -> str:
        """One line quoting the facts, the threshold they met, and the rule that fired.

        >>> from reliability_policy import ImpactAssessment, classify
        >>> big = ImpactAssessment("OUTAGE", core=True, affected_tenants=61, total_tenants=100)
        >>> classify(big).reason
        'core OUTAGE for 61% of tenants (61/100) >= 50%: platform-outage'
        """
        summary = self.assessment.summary
        if self.share_at_least is None:
            return f"{summary}: {self.rule}"
        return f"{summary} >= {_threshold_text(self.share_at_least)}: {self.rule}"

    @property
    def explanation(self) -> str:
        """One line with the applicable severity and why, and the suggestion if overridden.

        >>> from reliability_policy import ImpactAssessment, classify
        >>> c = classify(ImpactAssessment("MINOR", core=False, affected_tenants=1, total_tenants=8))
        >>> c.explanation
        'SEV-3: peripheral MINOR for 12.5% of tenants (1/8): limited'
        >>> declare(c, None, by="bob", reason="test tenant").explanation
        'not an incident, declared by bob: test tenant (suggested SEV-3: peripheral MINOR ...)'
        """
        suggestion = f"{_severity_text(self.suggested)}: {self.reason}"
        declared = self.declared
        if declared is None:
            return suggestion
        return (
            f"{_severity_text(declared.severity)}, declared by {declared.by}: "
            f"{declared.reason} (suggested {suggestion})"
        )


def declare(
    classification: Classification, severity: Severity | str | None, *, by: str, reason: str
) -> Classification:
    """Declare a severity by hand: it wins, and the classification is kept as the suggestion.

    Declaring again replaces the earlier declaration; the suggestion never changes.

    Args:
        classification: The result of :func:`classify`.
        severity: The declared severity (``Severity.SEV_1`` or ``"SEV-1"``), or ``None`` /
            ``"none"`` for "not an incident".
        by: Who declares it.
        reason: Why.

    Returns:
        The classification with ``declared`` set.

    Raises:
        PolicyInputError: ``classification`` is not a :class:`Classification`, the severity
            is unknown, or ``by``/``reason`` is empty.

    >>> from reliability_policy import ImpactAssessment, classify
    >>> c = classify(ImpactAssessment("DEGRADED", core=True, affected_tenants=2, total_tenants=100))
    >>> c.severity
    <Severity.SEV_3: 'SEV-3'>
    >>> d = declare(c, "SEV-2", by="carol", reason="largest customer is down")
    >>> d.severity, d.suggested, d.declared.by
    (<Severity.SEV_2: 'SEV-2'>, <Severity.SEV_3: 'SEV-3'>, 'carol')

    .. versionadded:: 0.1.0
    """
    if not isinstance(classification, Classification):
        raise PolicyInputError("classification", classification, "a Classification")
    return attrs.evolve(classification, declared=Declaration(severity, by, reason))


def is_material(severity: Severity | str | None, policy: Policy | None = None) -> bool:
    """Whether ``severity`` is material under ``policy`` (``severity.material``).

    Material incidents get a post-incident review and a post-resolution summary. "Not an
    incident" (``None``) is never material.

    Raises:
        PolicyInputError: ``severity`` is neither a :class:`~reliability_policy.levels.Severity`,
            its name (``"SEV-2"``) nor ``None``.

    >>> is_material(Severity.SEV_2), is_material("SEV-3"), is_material(None)
    (True, False, False)

    .. versionadded:: 0.1.0
    """
    chosen = policy_or_default(policy)
    if severity is None:
        return False
    return to_severity(severity) in chosen.severity.material


# --- evaluating the rules exactly -------------------------------------------------------------


@functools.lru_cache(maxsize=1024, typed=True)
def _threshold(share: float) -> Fraction:
    """A ``share_at_least`` as the exact percentage it was written as (``33.3`` is 333/10)."""
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not math.isfinite(share):
        problem = Problem("$.severity.rules", "finite share_at_least percentages", share)
        raise PolicyConfigError([problem], "severity policy")
    return Fraction(repr(share)) if isinstance(share, float) else Fraction(share)


_Match = tuple[int, Condition | None] | None
"""(rule index, the condition that held or None for a rule without conditions), or no match."""


def _first_match(
    rules: tuple[SeverityRule, ...],
    impact: Impact,
    core: bool,
    visible: bool,
    affected: int,
    total: int,
) -> _Match:
    """What the rules say, for :func:`classify` and :func:`check_rules` alike.

    The first rule any of whose conditions holds fires. A condition holds when every fact it
    sets agrees: ``customer_visible`` and ``core`` are equal, the impact is within
    ``impact_at_least`` and ``impact_at_most``, and ``affected`` of ``total`` tenants is at
    least ``share_at_least`` percent, compared exactly.
    """
    rank = impact.rank
    for i, rule in enumerate(rules):
        if not rule.when:
            return (i, None)
        for condition in rule.when:
            if condition.customer_visible is not None and condition.customer_visible != visible:
                continue
            if condition.core is not None and condition.core != core:
                continue
            low, high = condition.impact_at_least, condition.impact_at_most
            if low is not None and rank < low.rank:
                continue
            if high is not None and rank > high.rank:
                continue
            if condition.share_at_least is not None:
                # affected / total >= threshold / 100, in integers
                threshold = _threshold(condition.share_at_least)
                if affected * 100 * threshold.denominator < threshold.numerator * total:
                    continue
            return (i, condition)
    return None


def _share_points(rules: Iterable[SeverityRule]) -> list[Fraction]:
    """The points on which the rules are decided, ascending: 0, each threshold in (0, 100], 100.

    A condition only asks ``share >= t``, so between two consecutive thresholds every answer
    is the same: the whole interval [t_i, t_(i+1)) behaves like its lower end t_i. "Just below
    a threshold" is therefore not a point of its own: in exact arithmetic there is no largest
    share below t, and every share in [t_(i-1), t) is represented by t_(i-1) (or 0). So these
    points decide every share from 0% to 100%, exactly.
    """
    points = {Fraction(0), Fraction(100)}
    for rule in rules:
        for condition in rule.when:
            if condition.share_at_least is not None:
                threshold = _threshold(condition.share_at_least)
                if 0 < threshold <= 100:
                    points.add(threshold)
    return sorted(points)


def _percent_text(value: Fraction) -> str:
    if value.denominator == 1:
        return f"{value.numerator}%"
    return f"{float(value):.6g}%"


def _threshold_text(share: float) -> str:
    """A ``share_at_least`` as a percentage: ``50.0`` is ``"50%"``, ``33.3`` is ``"33.3%"``."""
    try:
        return _percent_text(_threshold(share))
    except PolicyConfigError:
        return f"{share}%"


def _facts_text(impact: Impact, core: bool, visible: bool) -> str:
    scope = "core" if core else "peripheral"
    prefix = "" if visible else "not customer-visible, "
    return f"{prefix}{scope} {impact.value}"


def _point_text(impact: Impact, core: bool, visible: bool, share: Fraction) -> str:
    return f"{_facts_text(impact, core, visible)} for {_percent_text(share)} of tenants"


def classify(assessment: ImpactAssessment, policy: Policy | None = None) -> Classification:
    """Classify an impact assessment: the first policy rule that matches decides.

    The rules are tried in order; the share of tenants is compared with each threshold
    exactly, as the fraction it is and the decimal the policy wrote.

    Args:
        assessment: The facts.
        policy: The policy whose ``severity.rules`` apply (default:
            :func:`~reliability_policy.default_policy`).

    Returns:
        The suggested severity (``None`` for "not an incident"), the rule that fired and a
        one-line reason quoting the facts.

    Raises:
        PolicyInputError: ``assessment`` is not an :class:`ImpactAssessment`, or ``policy``
            is not a :class:`~reliability_policy.policy.Policy`.
        PolicyConfigError: no rule of ``policy`` matches (only possible for a policy built
            in code without :func:`~reliability_policy.load_policy`, which checks totality).

    >>> from reliability_policy import ImpactAssessment
    >>> glitch = ImpactAssessment("MINOR", core=False, affected_tenants=1, total_tenants=1000)
    >>> print(classify(glitch).reason)
    peripheral MINOR for 0.1% of tenants (1/1000): limited

    .. versionadded:: 0.1.0
    """
    if not isinstance(assessment, ImpactAssessment):
        raise PolicyInputError("assessment", assessment, "an ImpactAssessment")
    rules = policy_or_default(policy).severity.rules
    affected, total = assessment._counts
    match = _first_match(
        rules, assessment.impact, assessment.core, assessment.customer_visible, affected, total
    )
    if match is None:
        problem = Problem("$.severity.rules", "a rule that matches", assessment.summary)
        raise PolicyConfigError([problem], "severity policy")
    rule_index, condition = match
    rule = rules[rule_index]
    share_at_least = None if condition is None else condition.share_at_least
    return Classification(rule.severity, rule.name, assessment, share_at_least)


# --- checking a policy's rules ----------------------------------------------------------------


def _rank(match: _Match, rules: tuple[SeverityRule, ...]) -> int:
    """Where a result sits in the order: "not an incident" < SEV-3 < SEV-2 < SEV-1."""
    assert match is not None
    severity = rules[match[0]].severity
    return -1 if severity is None else severity.rank


def check_rules(severity_policy: SeverityPolicy) -> list[Problem]:
    """Check that severity rules are total and monotone, exactly; give a counterexample if not.

    *Total*: every assessment matches some rule. *Monotone*: more impact, a larger share of
    tenants, or ``core`` turned on never lowers the result, where "not an incident" ranks
    below SEV-3. Both are decided on the finite set of facts the rules can tell apart: every
    impact, core or not, customer-visible or not, and the shares 0%, each threshold and 100%
    (between two thresholds every condition answers the same, so these points stand for every
    share, exactly). :func:`~reliability_policy.load_policy` runs this check.

    Args:
        severity_policy: The ``severity`` section of a policy.

    Returns:
        At most one problem for a gap and one per direction (impact, share, core), each with
        the path of the offending rule and a counterexample; empty if the rules are sound.

    >>> import attrs
    >>> from reliability_policy import default_policy
    >>> rules = default_policy().severity.rules
    >>> check_rules(default_policy().severity)
    []
    >>> harsher = attrs.evolve(rules[3], severity=Severity.SEV_1)  # core-wide-degradation
    >>> changed = attrs.evolve(default_policy().severity, rules=(*rules[:3], harsher, *rules[4:]))
    >>> for problem in check_rules(changed):
    ...     print(problem)
    $.severity.rules[2]: expected at least SEV-1 for core OUTAGE for 25% of tenants, since core
    DEGRADED for 25% of tenants gets SEV-1 from rule 'core-wide-degradation' (more impact must
    never lower the severity), got 'SEV-2 from rule core-partial-outage'

    .. versionadded:: 0.1.0
    """
    rules = severity_policy.rules
    if not rules:
        return []  # the loader reports an empty rule list itself
    try:
        points = _share_points(rules)
    except PolicyConfigError:
        return []  # a non-finite threshold; the loader reports it as out of range
    decided: dict[tuple[Impact, bool, bool, int], _Match] = {}
    problems: list[Problem] = []
    for visible in (True, False):
        for core in (True, False):
            for impact in _IMPACTS:
                for index, point in enumerate(points):
                    # point% of the tenants is point.numerator of 100 * point.denominator
                    affected, total = point.numerator, 100 * point.denominator
                    match = _first_match(rules, impact, core, visible, affected, total)
                    decided[impact, core, visible, index] = match
                    if match is None and not problems:
                        problems.append(
                            Problem(
                                "$.severity.rules",
                                "rules that match every assessment "
                                "(end with a rule without conditions)",
                                _point_text(impact, core, visible, point),
                            )
                        )
    if problems:
        return problems

    def compare(
        lower: tuple[Impact, bool, bool, int], higher: tuple[Impact, bool, bool, int], change: str
    ) -> Problem | None:
        low, high = decided[lower], decided[higher]
        if _rank(low, rules) <= _rank(high, rules):
            return None
        assert low is not None
        assert high is not None
        low_rule, high_rule = rules[low[0]], rules[high[0]]
        low_text = _point_text(*lower[:3], points[lower[3]])
        high_text = _point_text(*higher[:3], points[higher[3]])
        at_least = _severity_text(low_rule.severity)
        return Problem(
            f"$.severity.rules[{high[0]}]",
            f"at least {at_least} for {high_text}, since {low_text} gets {at_least} from rule "
            f"{low_rule.name!r} ({change} must never lower the severity)",
            f"{_severity_text(high_rule.severity)} from rule {high_rule.name}",
        )

    steps: dict[
        str, Iterable[tuple[tuple[Impact, bool, bool, int], tuple[Impact, bool, bool, int]]]
    ] = {
        "more impact": (
            ((low, core, visible, i), (high, core, visible, i))
            for visible in (True, False)
            for core in (True, False)
            for i in range(len(points))
            for low, high in itertools.pairwise(_IMPACTS)
        ),
        "a larger share of tenants": (
            ((impact, core, visible, i), (impact, core, visible, i + 1))
            for visible in (True, False)
            for core in (True, False)
            for impact in _IMPACTS
            for i in range(len(points) - 1)
        ),
        "turning core on": (
            ((impact, False, visible, i), (impact, True, visible, i))
            for visible in (True, False)
            for impact in _IMPACTS
            for i in range(len(points))
        ),
    }
    for change, pairs in steps.items():
        for lower, higher in pairs:
            problem = compare(lower, higher, change)
            if problem is not None:
                problems.append(problem)
                break
    return problems


def policy_problems(policy: Policy) -> list[Problem]:
    """The checks of a policy's ``severity`` section, run by the loader.

    Rule names are non-empty and unique, shares are percentages, each condition's impact range
    is not empty, some severity is material, and the rules are total and monotone (see
    :func:`check_rules`).

    >>> from reliability_policy import default_policy
    >>> policy_problems(default_policy())
    []

    .. versionadded:: 0.1.0
    """
    return [*_section_problems(policy.severity), *check_rules(policy.severity)]


def _section_problems(severity_policy: SeverityPolicy) -> Iterator[Problem]:
    rules = severity_policy.rules
    if not rules:
        yield Problem("$.severity.rules", "at least one rule", [])
    seen: set[str] = set()
    for i, rule in enumerate(rules):
        if not rule.name.strip():
            yield Problem(f"$.severity.rules[{i}].name", "a non-empty rule name", rule.name)
        if rule.name in seen:
            yield Problem(f"$.severity.rules[{i}].name", "a rule name used once", rule.name)
        seen.add(rule.name)
        for j, condition in enumerate(rule.when):
            share = condition.share_at_least
            if share is not None and not 0 <= share <= 100:
                path = f"$.severity.rules[{i}].when[{j}].share_at_least"
                yield Problem(path, "a percentage from 0 to 100", share)
            low, high = condition.impact_at_least, condition.impact_at_most
            if low is not None and high is not None and low > high:
                path = f"$.severity.rules[{i}].when[{j}].impact_at_most"
                expected = f"an impact at or above impact_at_least ({low.value})"
                yield Problem(path, expected, high.value)
    if not severity_policy.material:
        yield Problem("$.severity.material", "at least one material severity", [])


# --- describing rules -------------------------------------------------------------------------


def describe_condition(condition: Condition) -> str:
    """A condition as a phrase: ``"core and impact >= OUTAGE and share >= 50%"``.

    >>> from reliability_policy.policy import Condition
    >>> describe_condition(Condition(core=False, impact_at_least=Impact.OUTAGE, share_at_least=50))
    'not core and impact >= OUTAGE and share >= 50%'
    >>> describe_condition(Condition())
    'always'

    .. versionadded:: 0.1.0
    """
    parts: list[str] = []
    if condition.customer_visible is not None:
        parts.append("customer-visible" if condition.customer_visible else "not customer-visible")
    if condition.core is not None:
        parts.append("core" if condition.core else "not core")
    if condition.impact_at_least is not None:
        parts.append(f"impact >= {condition.impact_at_least.value}")
    if condition.impact_at_most is not None:
        parts.append(f"impact <= {condition.impact_at_most.value}")
    if condition.share_at_least is not None:
        parts.append(f"share >= {_percent_text(_threshold(condition.share_at_least))}")
    return " and ".join(parts) or "always"


def rule_table(policy: Policy | None = None) -> str:
    """The severity rules of ``policy`` as a Markdown table, first match first.

    >>> print(rule_table())
    | rule | condition | result |
    |---|---|---|
    | routine | not customer-visible, or impact <= NONE | not an incident |
    ...
    | limited | always | SEV-3 |

    .. versionadded:: 0.1.0
    """
    lines = ["| rule | condition | result |", "|---|---|---|"]
    for rule in policy_or_default(policy).severity.rules:
        when = ", or ".join(describe_condition(c) for c in rule.when) or "always"
        lines.append(f"| {rule.name} | {when} | {_severity_text(rule.severity)} |")
    return "\n".join(lines)


# --- serialization ----------------------------------------------------------------------------


def _field_problem(error: PolicyInputError) -> Problem:
    kind: Literal["invalid", "missing"] = "missing" if error.value is None else "invalid"
    return Problem(f"$.{error.field}", error.expected, error.value, kind)


def _register_validated(cls: type) -> None:
    """Structure ``cls`` strictly; its constructor's checks become problems with a path."""

    def factory(_: Any) -> Callable[[Any, Any], Any]:
        # the converter refuses keys the class does not have
        inner: Callable[[Any, Any], Any] = make_dict_structure_fn(cls, converter)

        def hook(value: Any, _: Any) -> Any:
            if not isinstance(value, Mapping):
                raise PolicyInputError(cls.__name__, value, "a table (a JSON object)")
            try:
                return inner(value, cls)
            except ClassValidationError as error:  # also wraps the constructor's own checks
                with_notes, without = error.group_exceptions()
                if with_notes or not all(isinstance(e, PolicyInputError) for e in without):
                    raise
                problems = [_field_problem(e) for e in without if isinstance(e, PolicyInputError)]
                raise PolicyConfigError(problems) from None

        return hook

    converter.register_structure_hook_factory(lambda t: t is cls, factory)


_register_validated(ImpactAssessment)
_register_validated(Declaration)

_DERIVED: Final = ("severity", "reason")


def _unstructure_classification(_: Any) -> Callable[[Classification], dict[str, Any]]:
    inner: Callable[[Classification], dict[str, Any]] = make_dict_unstructure_fn(
        Classification, converter
    )

    def hook(value: Classification) -> dict[str, Any]:
        severity = value.severity
        derived = {"severity": None if severity is None else severity.value}
        return {**derived, **inner(value), "reason": value.reason}

    return hook


def _structure_classification(_: Any) -> Callable[[Any, Any], Classification]:
    inner: Callable[[Any, Any], Classification] = make_dict_structure_fn(Classification, converter)

    def hook(value: Any, _: Any) -> Classification:
        if not isinstance(value, Mapping):
            raise PolicyInputError("Classification", value, "a table (a JSON object)")
        data = {k: v for k, v in value.items() if k not in _DERIVED}
        result = inner(data, Classification)
        # "severity" and "reason" are written for readers and derived on reading; a
        # severity that disagrees with the fields is an error (change `declared` instead).
        if "severity" in value:
            severity = result.severity
            expected = None if severity is None else severity.value
            if value["severity"] != expected:
                problem = Problem(
                    "$.severity",
                    f"{expected!r}, the declared severity or else the suggested one",
                    value["severity"],
                )
                raise PolicyConfigError([problem])
        return result

    return hook


converter.register_unstructure_hook_factory(
    lambda t: t is Classification, _unstructure_classification
)
converter.register_structure_hook_factory(lambda t: t is Classification, _structure_classification)
