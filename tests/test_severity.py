"""Severity classification (SPEC section 1): SPEC examples, properties, the rule check, bad input."""

from __future__ import annotations

import itertools
import json
from fractions import Fraction
from typing import Any

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import reliability_policy as rp
from reliability_policy import (
    Classification,
    Declaration,
    Impact,
    ImpactAssessment,
    PolicyConfigError,
    PolicyInputError,
    Severity,
    classify,
    declare,
    is_material,
    testing,
)
from reliability_policy.cli import main
from reliability_policy.policy import Condition, Policy, SeverityPolicy, SeverityRule
from reliability_policy.serialization import dumps, loads, structure, unstructure
from reliability_policy.severity import check_rules, describe_condition, rule_table

IMPACTS = sorted(Impact)


def rank(severity: Severity | None) -> int:
    """Not an incident < SEV-3 < SEV-2 < SEV-1."""
    return -1 if severity is None else severity.rank


def assessment(impact="OUTAGE", *, core=True, visible=True, affected=None, total=None, every=False):
    return ImpactAssessment(
        impact,
        core=core,
        customer_visible=visible,
        affected_tenants=affected,
        total_tenants=total,
        all_tenants=every,
    )


def with_rules(*rules: SeverityRule, material=None) -> Policy:
    base = rp.default_policy()
    severity = SeverityPolicy(tuple(rules), material or base.severity.material)
    return attrs.evolve(base, severity=severity)


# --- SPEC section 1 examples ------------------------------------------------------------------


def test_platform_wide_core_outage_is_sev1():
    result = classify(assessment("OUTAGE", every=True))
    assert (result.severity, result.rule) == (Severity.SEV_1, "platform-outage")
    assert result.reason == "core OUTAGE for all tenants >= 50%: platform-outage"
    assert result.is_incident
    assert is_material(result.severity)


def test_core_outage_for_ten_percent_of_tenants_is_sev2():
    result = classify(assessment("OUTAGE", affected=100, total=1000))
    assert (result.severity, result.rule) == (Severity.SEV_2, "core-partial-outage")
    assert result.reason == "core OUTAGE for 10% of tenants (100/1000) >= 5%: core-partial-outage"


def test_one_tenants_minor_glitch_is_sev3():
    result = classify(assessment("MINOR", core=False, affected=1, total=1000))
    assert (result.severity, result.rule) == (Severity.SEV_3, "limited")
    assert result.reason == "peripheral MINOR for 0.1% of tenants (1/1000): limited"
    assert not is_material(result.severity)


def test_rolling_deploy_nobody_sees_is_not_an_incident():
    result = classify(assessment("DEGRADED", core=True, visible=False, every=True))
    assert (result.severity, result.rule) == (None, "routine")
    assert not result.is_incident
    assert result.reason == "not customer-visible, core DEGRADED for all tenants: routine"


def test_the_reason_in_the_issue():
    result = classify(assessment("OUTAGE", affected=610, total=1000))
    assert result.reason == "core OUTAGE for 61% of tenants (610/1000) >= 50%: platform-outage"


@pytest.mark.parametrize(
    ("impact", "core", "affected", "total", "expected"),
    [
        ("OUTAGE", True, 50, 100, Severity.SEV_1),  # exactly 50%
        ("OUTAGE", True, 49, 100, Severity.SEV_2),
        ("OUTAGE", True, 4999, 10000, Severity.SEV_2),  # 49.99%
        ("OUTAGE", True, 1, 20, Severity.SEV_2),  # exactly 5%
        ("OUTAGE", True, 99999, 2000000, Severity.SEV_3),  # 4.99995%
        ("DEGRADED", True, 1, 4, Severity.SEV_2),  # exactly 25%
        ("DEGRADED", True, 249999, 1000000, Severity.SEV_3),
        ("OUTAGE", False, 1, 2, Severity.SEV_2),
        ("OUTAGE", False, 499, 1000, Severity.SEV_3),
        ("DEGRADED", False, 1, 1, Severity.SEV_3),
        ("MINOR", True, 1, 1, Severity.SEV_3),
        ("NONE", True, 1, 1, None),
        ("OUTAGE", True, 0, 1000, Severity.SEV_3),
    ],
)
def test_thresholds_are_exact(impact, core, affected, total, expected):
    assert classify(assessment(impact, core=core, affected=affected, total=total)).severity == (
        expected
    )


def test_decimal_thresholds_are_compared_as_written():
    # 33.3 as a binary float is a hair below 33.3; the policy means 333/1000 exactly.
    policy = rp.loads_policy(
        """
schema_version = 1
[[severity.rules]]
name = "routine"
severity = "none"
when = [{ customer_visible = false }, { impact_at_most = "NONE" }]
[[severity.rules]]
name = "third"
severity = "SEV-2"
when = [{ share_at_least = 33.3 }]
[[severity.rules]]
name = "rest"
severity = "SEV-3"
"""
    )
    at = classify(assessment("MINOR", affected=333, total=1000), policy)
    below = classify(assessment("MINOR", affected=332999, total=1000000), policy)
    assert (at.rule, below.rule) == ("third", "rest")
    assert at.reason == "core MINOR for 33.3% of tenants (333/1000) >= 33.3%: third"
    assert below.reason == "core MINOR for 33.29% of tenants (332999/1000000): rest"


@pytest.mark.parametrize(
    ("affected", "total", "shown"),
    [
        (0, 5, "0%"),
        (1, 10**6, "<0.01%"),
        (1, 10**4, "0.01%"),
        (1, 1000, "0.1%"),
        (201, 2000, "10.05%"),
        (1, 8, "12.5%"),
        (1, 3, "33.33%"),
        (2, 3, "66.66%"),
        (61, 100, "61%"),
        (5, 5, "100%"),
    ],
)
def test_summary_shows_the_share_to_hundredths_without_trailing_zeros(affected, total, shown):
    summary = assessment("MINOR", core=False, affected=affected, total=total).summary
    assert summary == f"peripheral MINOR for {shown} of tenants ({affected}/{total})"


def test_shown_percentages_round_down_never_up_across_a_threshold():
    result = classify(assessment("OUTAGE", affected=49999, total=100000))
    assert result.reason.startswith("core OUTAGE for 49.99% of tenants (49999/100000)")
    assert classify(assessment("MINOR", affected=1, total=10**6)).reason.startswith(
        "core MINOR for <0.01% of tenants (1/1000000)"
    )
    assert assessment("MINOR", affected=2, total=3).share == Fraction(200, 3)


# --- properties -------------------------------------------------------------------------------


@given(testing.impact_assessments(), st.sampled_from(IMPACTS))
def test_more_impact_never_lowers_the_severity(facts, other):
    higher = attrs.evolve(facts, impact=max(facts.impact, other))
    assert rank(classify(higher).severity) >= rank(classify(facts).severity)


@given(testing.impact_assessments(), st.data())
def test_a_larger_share_never_lowers_the_severity(facts, data):
    before = classify(facts).severity
    if facts.all_tenants:
        return
    assert facts.total_tenants is not None
    assert facts.affected_tenants is not None
    more = data.draw(st.integers(facts.affected_tenants, facts.total_tenants))
    larger = attrs.evolve(facts, affected_tenants=more)
    everyone = attrs.evolve(facts, affected_tenants=None, total_tenants=None, all_tenants=True)
    assert rank(classify(larger).severity) >= rank(before)
    assert rank(classify(everyone).severity) >= rank(classify(larger).severity)


@given(testing.impact_assessments())
def test_turning_core_on_never_lowers_the_severity(facts):
    core = attrs.evolve(facts, core=True)
    peripheral = attrs.evolve(facts, core=False)
    assert rank(classify(core).severity) >= rank(classify(peripheral).severity)


def holds(condition: Condition, facts: ImpactAssessment) -> bool:
    """An independent reading of a condition, with the share as an exact fraction."""
    share = Fraction(100) if facts.all_tenants else facts.share
    return (
        condition.customer_visible in (None, facts.customer_visible)
        and condition.core in (None, facts.core)
        and (condition.impact_at_least is None or facts.impact >= condition.impact_at_least)
        and (condition.impact_at_most is None or facts.impact <= condition.impact_at_most)
        and (condition.share_at_least is None or share >= Fraction(str(condition.share_at_least)))
    )


def fires(rule: SeverityRule, facts: ImpactAssessment) -> bool:
    return not rule.when or any(holds(c, facts) for c in rule.when)


@given(testing.impact_assessments())
def test_exactly_the_first_matching_rule_fires_and_the_reason_names_it(facts):
    rules = rp.default_policy().severity.rules
    result = classify(facts)
    names = [rule.name for rule in rules]
    index = names.index(result.rule)
    assert fires(rules[index], facts)
    assert not any(fires(rule, facts) for rule in rules[:index])
    assert result.suggested == rules[index].severity
    assert result.reason.endswith(f": {result.rule}")
    assert f" {facts.impact.value} for " in result.reason
    if not facts.all_tenants:
        assert f"({facts.affected_tenants}/{facts.total_tenants})" in result.reason


@pytest.mark.parametrize(
    ("strategy", "kind"),
    [
        (testing.impact_assessments(), ImpactAssessment),
        (testing.classifications(), Classification),
        (testing.declarations(), Declaration),
    ],
    ids=["assessment", "classification", "declaration"],
)
def test_json_round_trip(strategy, kind):
    @given(strategy)
    def check(value):
        assert loads(dumps(value), kind) == value
        assert structure(json.loads(json.dumps(unstructure(value))), kind) == value

    check()


def test_classification_json_carries_the_severity_and_reason_for_readers():
    result = declare(
        classify(assessment("OUTAGE", affected=61, total=100)), "SEV-2", by="ann", reason="EU"
    )
    data = unstructure(result)
    assert data["severity"] == "SEV-2"
    assert data["suggested"] == "SEV-1"
    assert data["reason"] == "core OUTAGE for 61% of tenants (61/100) >= 50%: platform-outage"
    tampered = {**data, "severity": "SEV-1"}
    with pytest.raises(PolicyConfigError, match=r"\$\.severity: expected 'SEV-2'"):
        structure(tampered, Classification)
    reworded = {**data, "reason": "older wording"}  # derived: written for readers, not read
    assert structure(reworded, Classification) == result


def test_classify_returns_an_ordinary_classification():
    facts = assessment("OUTAGE", affected=610, total=1000)
    result = classify(facts)
    built = Classification(Severity.SEV_1, "platform-outage", facts, 50.0)
    assert result == built
    assert hash(result) == hash(built)
    assert repr(result) == repr(built)
    assert attrs.evolve(result, rule="x").rule == "x"


# --- declared severity ------------------------------------------------------------------------


def test_declared_severity_wins_and_the_suggestion_is_kept():
    suggested = classify(assessment("DEGRADED", affected=2, total=100))
    declared = declare(suggested, Severity.SEV_1, by="carol", reason="biggest tenant is down")
    assert declared.severity is Severity.SEV_1
    assert declared.suggested is Severity.SEV_3
    assert declared.rule == suggested.rule
    assert declared.reason == suggested.reason
    assert declared.declared == Declaration(Severity.SEV_1, "carol", "biggest tenant is down")
    assert declared.explanation == (
        "SEV-1, declared by carol: biggest tenant is down "
        "(suggested SEV-3: core DEGRADED for 2% of tenants (2/100): limited)"
    )
    again = declare(declared, "none", by="dan", reason="test tenant only")
    assert again.severity is None
    assert not again.is_incident
    assert again.suggested is Severity.SEV_3


def test_materiality_comes_from_the_policy():
    policy = with_rules(*rp.default_policy().severity.rules, material=frozenset({Severity.SEV_1}))
    assert is_material(Severity.SEV_1, policy)
    assert not is_material(Severity.SEV_2, policy)
    assert is_material(Severity.SEV_2)
    assert not is_material(None)


# --- the rule check ---------------------------------------------------------------------------

ROUTINE = """
[[severity.rules]]
name = "routine"
severity = "none"
when = [{ customer_visible = false }, { impact_at_most = "NONE" }]
"""


def load_problems(rules_toml: str) -> list[str]:
    with pytest.raises(PolicyConfigError) as caught:
        rp.loads_policy("schema_version = 1\n" + rules_toml)
    return [str(problem) for problem in caught.value.problems]


def test_the_default_rules_pass_the_check():
    assert check_rules(rp.default_policy().severity) == []


def test_non_monotone_in_impact_is_rejected_with_a_counterexample():
    problems = load_problems(
        ROUTINE
        + """
[[severity.rules]]
name = "degraded-is-worse"
severity = "SEV-1"
when = [{ impact_at_least = "DEGRADED", impact_at_most = "DEGRADED" }]
[[severity.rules]]
name = "rest"
severity = "SEV-3"
"""
    )
    assert problems == [
        "$.severity.rules[2]: expected at least SEV-1 for core OUTAGE for 0% of tenants, "
        "since core DEGRADED for 0% of tenants gets SEV-1 from rule 'degraded-is-worse' "
        "(more impact must never lower the severity), got 'SEV-3 from rule rest'"
    ]


def test_non_monotone_in_share_is_rejected_with_a_counterexample():
    problems = load_problems(
        ROUTINE
        + """
[[severity.rules]]
name = "wide-is-minor"
severity = "SEV-3"
when = [{ share_at_least = 50 }]
[[severity.rules]]
name = "outage"
severity = "SEV-1"
when = [{ impact_at_least = "OUTAGE" }]
[[severity.rules]]
name = "rest"
severity = "SEV-3"
"""
    )
    assert problems == [
        "$.severity.rules[1]: expected at least SEV-1 for core OUTAGE for 50% of tenants, "
        "since core OUTAGE for 0% of tenants gets SEV-1 from rule 'outage' "
        "(a larger share of tenants must never lower the severity), "
        "got 'SEV-3 from rule wide-is-minor'"
    ]


def test_non_monotone_in_core_is_rejected_with_a_counterexample():
    problems = load_problems(
        ROUTINE
        + """
[[severity.rules]]
name = "feature-outage"
severity = "SEV-1"
when = [{ core = false, impact_at_least = "OUTAGE" }]
[[severity.rules]]
name = "rest"
severity = "SEV-2"
"""
    )
    assert problems == [
        "$.severity.rules[2]: expected at least SEV-1 for core OUTAGE for 0% of tenants, since "
        "peripheral OUTAGE for 0% of tenants gets SEV-1 from rule 'feature-outage' "
        "(turning core on must never lower the severity), got 'SEV-2 from rule rest'"
    ]


def test_a_visible_event_ranking_below_an_invisible_one_is_not_monotonicity():
    # Visibility is not an axis of the check: only impact, share and core are.
    policy = with_rules(
        SeverityRule("loud", Severity.SEV_3, (Condition(customer_visible=True),)),
        SeverityRule("quiet", Severity.SEV_2),
    )
    assert check_rules(policy.severity) == []


def test_non_total_rules_are_rejected_with_a_counterexample():
    problems = load_problems(
        ROUTINE
        + """
[[severity.rules]]
name = "wide"
severity = "SEV-2"
when = [{ share_at_least = 5 }]
"""
    )
    assert problems == [
        "$.severity.rules: expected rules that match every assessment (end with a rule without "
        "conditions), got 'core MINOR for 0% of tenants'"
    ]


def test_just_below_a_threshold_is_covered():
    # A gap that exists only below 100%: "everyone" rules with nothing under them.
    problems = load_problems(
        ROUTINE + '[[severity.rules]]\nname = "all"\nseverity = "SEV-1"\n'
        "when = [{ share_at_least = 100 }]\n"
    )
    assert problems == [
        "$.severity.rules: expected rules that match every assessment (end with a rule without "
        "conditions), got 'core MINOR for 0% of tenants'"
    ]
    policy = with_rules(
        *rp.default_policy().severity.rules[:1],
        SeverityRule("all", Severity.SEV_1, (Condition(share_at_least=100.0),)),
        SeverityRule("some", Severity.SEV_2, (Condition(share_at_least=99.99),)),
        SeverityRule("rest", Severity.SEV_3),
    )
    assert check_rules(policy.severity) == []
    just_below = assessment("MINOR", affected=999_999, total=1_000_000)  # 99.9999%
    assert classify(just_below, policy).rule == "some"
    assert classify(attrs.evolve(just_below, affected_tenants=999_899), policy).rule == "rest"
    assert classify(attrs.evolve(just_below, affected_tenants=999_900), policy).rule == "some"
    assert classify(attrs.evolve(just_below, affected_tenants=1_000_000), policy).rule == "all"


# An independent brute-force oracle for random rule sets: every pair of points in product order
# (not only neighbours), on shares that include each threshold and a point just below it.

THRESHOLDS = [5.0, 25.0, 33.3, 50.0, 100.0]
conditions = st.builds(
    Condition,
    customer_visible=st.sampled_from([None, None, True, False]),
    core=st.sampled_from([None, None, True, False]),
    impact_at_least=st.none() | st.sampled_from(IMPACTS),
    impact_at_most=st.none() | st.sampled_from(IMPACTS),
    share_at_least=st.none() | st.sampled_from(THRESHOLDS),
)
random_rules = st.lists(
    st.builds(
        SeverityRule,
        name=st.just("r"),
        severity=st.none() | st.sampled_from(Severity),
        when=st.lists(conditions, min_size=0, max_size=2).map(tuple),
    ),
    min_size=1,
    max_size=5,
).map(lambda rules: tuple(attrs.evolve(r, name=f"r{i}") for i, r in enumerate(rules)))

EPSILON = Fraction(1, 10**9)
ORACLE_SHARES = sorted(
    {Fraction(0), Fraction(100), Fraction(17)}
    | {Fraction(str(t)) for t in THRESHOLDS}
    | {Fraction(str(t)) - EPSILON for t in THRESHOLDS}
)


def oracle(rules: tuple[SeverityRule, ...]) -> tuple[bool, bool]:
    """(total, monotone) by brute force over ORACLE_SHARES."""
    results: dict[tuple[Impact, bool, bool, Fraction], int | None] = {}
    for impact, core, visible, share in itertools.product(
        IMPACTS, (False, True), (False, True), ORACLE_SHARES
    ):
        facts = (impact, core, visible, share)
        results[facts] = next(
            (
                rank(rule.severity)
                for rule in rules
                if not rule.when or any(oracle_holds(c, *facts) for c in rule.when)
            ),
            None,
        )
    ranks = {facts: found for facts, found in results.items() if found is not None}
    if len(ranks) < len(results):
        return False, True
    monotone = all(
        ranks[a] <= ranks[b]
        for a, b in itertools.product(ranks, repeat=2)
        if a[2] == b[2] and a[0] <= b[0] and a[1] <= b[1] and a[3] <= b[3]
    )
    return True, monotone


def oracle_holds(condition: Condition, impact, core, visible, share) -> bool:
    return (
        condition.customer_visible in (None, visible)
        and condition.core in (None, core)
        and (condition.impact_at_least is None or impact >= condition.impact_at_least)
        and (condition.impact_at_most is None or impact <= condition.impact_at_most)
        and (condition.share_at_least is None or share >= Fraction(str(condition.share_at_least)))
    )


@given(random_rules)
def test_the_check_agrees_with_a_brute_force_oracle(rules):
    total, monotone = oracle(rules)
    problems = check_rules(SeverityPolicy(rules, frozenset({Severity.SEV_1})))
    if not total:
        assert len(problems) == 1
        assert problems[0].path == "$.severity.rules"
    else:
        assert (problems == []) == monotone
        assert all(p.path.startswith("$.severity.rules[") for p in problems)


@given(random_rules, testing.impact_assessments())
def test_classify_agrees_with_an_independent_first_match(rules, facts):
    policy = with_rules(*rules, SeverityRule("fallback", Severity.SEV_3))
    result = classify(facts, policy)
    fired = next(rule for rule in policy.severity.rules if fires(rule, facts))
    assert (result.rule, result.suggested) == (fired.name, fired.severity)


def test_each_call_uses_its_own_policy():
    other = with_rules(SeverityRule("everything", Severity.SEV_1, (Condition(share_at_least=0.0),)))
    facts = assessment("MINOR", affected=1, total=10)
    for _ in range(3):
        assert classify(facts).rule == "limited"
        assert classify(facts, other).rule == "everything"
        assert classify(facts, rp.default_policy()).rule == "limited"


def test_a_non_total_policy_built_in_code_fails_loudly_at_classify():
    gappy = with_rules(
        SeverityRule("outages", Severity.SEV_1, (Condition(impact_at_least=Impact.OUTAGE),))
    )
    with pytest.raises(PolicyConfigError, match="a rule that matches, got 'core MINOR for 10%"):
        classify(assessment("MINOR", affected=1, total=10), gappy)


def test_broken_thresholds_are_left_to_the_loader_and_refused_by_classify():
    problems = load_problems(
        ROUTINE
        + '[[severity.rules]]\nname = "x"\nseverity = "SEV-1"\nwhen = [{ share_at_least = nan }]\n'
        '[[severity.rules]]\nname = "rest"\nseverity = "SEV-3"\n'
    )
    assert problems == [
        "$.severity.rules[1].when[0].share_at_least: expected a percentage from 0 to 100, got nan"
    ]
    assert check_rules(SeverityPolicy((), frozenset())) == []
    broken = with_rules(
        SeverityRule("x", Severity.SEV_1, (Condition(share_at_least=float("inf")),)),
        SeverityRule("rest", Severity.SEV_3),
    )
    with pytest.raises(PolicyConfigError, match="finite share_at_least percentages, got inf"):
        classify(assessment(every=True), broken)


def test_a_classification_document_must_be_a_table():
    with pytest.raises(PolicyConfigError, match=r"\$: expected a table \(a JSON object\)"):
        loads("[]", Classification)


# --- the rule table ---------------------------------------------------------------------------


def test_rule_table_is_spec_section_1():
    assert rule_table().splitlines() == [
        "| rule | condition | result |",
        "|---|---|---|",
        "| routine | not customer-visible, or impact <= NONE | not an incident |",
        "| platform-outage | core and impact >= OUTAGE and share >= 50% | SEV-1 |",
        "| core-partial-outage | core and impact >= OUTAGE and share >= 5% | SEV-2 |",
        "| core-wide-degradation | core and impact >= DEGRADED and share >= 25% | SEV-2 |",
        "| feature-wide-outage | not core and impact >= OUTAGE and share >= 50% | SEV-2 |",
        "| limited | always | SEV-3 |",
    ]
    assert describe_condition(Condition(customer_visible=True, share_at_least=33.3)) == (
        "customer-visible and share >= 33.3%"
    )


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field", "value"),
    [
        ({"affected_tenants": 11, "total_tenants": 10}, "affected_tenants", 11),
        ({"affected_tenants": -1, "total_tenants": 10}, "affected_tenants", -1),
        ({"affected_tenants": 0, "total_tenants": -5}, "total_tenants", -5),
        ({"affected_tenants": 0, "total_tenants": 0}, "total_tenants", 0),
        ({"impact": "CATASTROPHIC", "all_tenants": True}, "impact", "CATASTROPHIC"),
        ({"impact": 3, "all_tenants": True}, "impact", 3),
        ({"impact": None, "all_tenants": True}, "impact", None),
        ({"core": 1, "all_tenants": True}, "core", 1),
        ({"customer_visible": "no", "all_tenants": True}, "customer_visible", "no"),
        ({"all_tenants": "yes"}, "all_tenants", "yes"),
        ({"affected_tenants": 1.5, "total_tenants": 10}, "affected_tenants", 1.5),
        ({"affected_tenants": "3", "total_tenants": 10}, "affected_tenants", "3"),
        ({"affected_tenants": True, "total_tenants": 10}, "affected_tenants", True),
        ({"affected_tenants": 3}, "total_tenants", None),
        ({"total_tenants": 3}, "affected_tenants", None),
        ({}, "affected_tenants", None),
        (
            {"affected_tenants": 3, "total_tenants": 10, "all_tenants": True},
            "affected_tenants",
            3,
        ),
    ],
)
def test_bad_assessments_get_an_input_error_naming_field_and_value(kwargs, field, value):
    arguments = {"impact": "OUTAGE", "core": True, **kwargs}
    with pytest.raises(PolicyInputError) as caught:
        ImpactAssessment(**arguments)
    assert caught.value.field == field
    assert caught.value.value == value
    assert str(caught.value).startswith(f"{field}: expected ")
    assert repr(value) in str(caught.value)


def test_impact_names_are_accepted_in_any_case():
    assert assessment("outage", every=True).impact is Impact.OUTAGE
    assert assessment(Impact.MINOR, every=True).impact is Impact.MINOR


def untyped(value: object) -> Any:
    """A wrongly typed argument, as an untyped caller would pass it."""
    return value


def suggestion() -> Classification:
    return classify(assessment(every=True))


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: classify(untyped("OUTAGE")), "assessment"),
        (lambda: classify(untyped(None)), "assessment"),
        (lambda: classify(assessment(every=True), untyped("default")), "policy"),
        (lambda: is_material(untyped("SEV-4")), "severity"),
        (lambda: is_material(untyped(1)), "severity"),
        (lambda: is_material(Severity.SEV_1, untyped({})), "policy"),
        (lambda: declare(untyped("SEV-1"), "SEV-1", by="a", reason="b"), "classification"),
        (lambda: declare(suggestion(), "SEV-4", by="a", reason="b"), "severity"),
        (lambda: declare(suggestion(), untyped(1), by="a", reason="b"), "severity"),
        (lambda: declare(suggestion(), None, by=" ", reason="b"), "by"),
        (lambda: declare(suggestion(), None, by="a", reason=""), "reason"),
        (lambda: declare(suggestion(), None, by="a", reason=untyped(None)), "reason"),
    ],
)
def test_bad_arguments_get_an_input_error(call, field):
    with pytest.raises(PolicyInputError) as caught:
        call()
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        (
            '{"impact": "HUGE", "core": true, "all_tenants": true}',
            "$.impact: expected one of 'NONE', 'MINOR', 'DEGRADED', 'OUTAGE', got 'HUGE'",
        ),
        (
            '{"impact": "OUTAGE", "core": true, "affected_tenants": 5, "total_tenants": 2}',
            "$.affected_tenants: expected at most total_tenants (2), got 5",
        ),
        (
            '{"impact": "OUTAGE", "core": true, "affected_tenants": 0, "total_tenants": 0}',
            "$.total_tenants: expected at least 1 tenant, got 0",
        ),
        (
            '{"impact": "OUTAGE", "core": "yes", "all_tenants": true}',
            "$.core: expected true or false, got 'yes'",
        ),
        (
            '{"impact": "OUTAGE", "core": true, "total_tenants": 4}',
            "$.affected_tenants: expected a count (give affected_tenants and total_tenants, or "
            "all_tenants=True), but the key is missing",
        ),
        (
            '{"impact": "OUTAGE", "core": true, "all_tenants": true, "tenants": 3}',
            "$.tenants: unknown key; expected one of the known keys: affected_tenants, "
            "all_tenants, core, customer_visible, impact, total_tenants",
        ),
        ("[1, 2]", "$: expected a table (a JSON object), got [1, 2]"),
    ],
)
def test_bad_assessment_documents_list_problems_with_paths(document, problem):
    with pytest.raises(PolicyConfigError) as caught:
        loads(document, ImpactAssessment)
    assert [str(p) for p in caught.value.problems] == [problem]


# --- CLI --------------------------------------------------------------------------------------


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, ["classify", *args], input=stdin)


def test_cli_classifies_from_flags():
    result = run("--impact", "OUTAGE", "--core", "--affected", "610", "--total", "1000")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "severity: SEV-1 (material)",
        "rule:     platform-outage",
        "reason:   core OUTAGE for 61% of tenants (610/1000) >= 50%: platform-outage",
    ]
    routine = run("--impact", "NONE", "--peripheral", "--all-tenants", "--not-visible")
    assert routine.exit_code == 0
    assert "severity: not an incident" in routine.output


def test_cli_reads_json_and_writes_json(tmp_path):
    path = tmp_path / "assessment.json"
    facts = assessment("MINOR", core=False, affected=1, total=1000)
    path.write_text(dumps(facts), encoding="utf-8")
    result = run("--json", str(path), "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.output)
    assert document.pop("schema_version") == 1
    assert loads(json.dumps(document), Classification) == classify(facts)
    from_stdin = run("--json", "-", stdin=dumps(facts))
    assert from_stdin.exit_code == 0
    assert "severity: SEV-3 (not material)" in from_stdin.output


def test_cli_uses_the_given_policy(tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text('schema_version = 1\n[severity]\nmaterial = ["SEV-1"]\n', encoding="utf-8")
    result = run(
        "--policy", str(path), "--impact", "OUTAGE", "--core", "--affected", "1", "--total", "10"
    )
    assert result.exit_code == 0
    assert "severity: SEV-2 (not material)" in result.output


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--impact", "HUGE", "--core", "--all-tenants"], None, "impact: expected one of"),
        (["--impact", "OUTAGE", "--core"], None, "--affected is required: a count"),
        (["--impact", "OUTAGE", "--core", "--affected", "5", "--total", "2"], None, "at most"),
        (["--core", "--all-tenants"], None, "--impact is required"),
        (["--impact", "OUTAGE", "--all-tenants"], None, "--core or --peripheral is required"),
        (["--json", "-", "--core"], "{}", "not both (--core/--peripheral)"),
        (["--json", "-"], "{not json", "$: expected valid JSON"),
        (["--json", "-"], '{"impact": "OUTAGE", "core": true}', "$.affected_tenants"),
        (["--json", "/nonexistent/a.json"], None, "--json: expected a readable file"),
        (["--impact", "OUTAGE", "--core", "--affected", "x"], None, "'x' is not a valid integer"),
    ],
)
def test_cli_bad_input_exits_2_with_the_problem(args, stdin, message):
    result = run(*args, stdin=stdin)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
