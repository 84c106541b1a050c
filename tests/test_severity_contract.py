"""Severity (SPEC section 1): each refusal names its field or path, the value and what was expected.

The examples and properties live in ``test_severity.py``. Here each error site of the severity
module is reached once and its content is pinned through ``tests/expect.py``; so are the
branches of the rule check and of the matcher that only a purpose-built rule set reaches.
"""

from __future__ import annotations

from typing import Any

import attrs
import pytest

import reliability_policy as rp
from expect import config_problem, input_error
from reliability_policy import (
    Classification,
    Declaration,
    Impact,
    ImpactAssessment,
    Problem,
    Severity,
    classify,
    declare,
    is_material,
)
from reliability_policy.policy import Condition, Policy, SeverityPolicy, SeverityRule
from reliability_policy.serialization import converter, structure, unstructure
from reliability_policy.severity import check_rules, describe_condition, rule_table

SEVERITY_EXPECTED = "one of SEV-1, SEV-2, SEV-3, or None (not an incident)"
A_TABLE = "a table (a JSON object)"
A_COUNT = "a count (give affected_tenants and total_tenants, or all_tenants=True)"
GAP_EXPECTED = "rules that match every assessment (end with a rule without conditions)"


def untyped(value: object) -> Any:
    """A wrongly typed argument, as an untyped caller would pass it."""
    return value


def facts(impact: str = "OUTAGE", **kwargs: Any) -> ImpactAssessment:
    arguments: dict[str, Any] = {"core": True, **kwargs}
    if not {"affected_tenants", "total_tenants", "all_tenants"} & set(arguments):
        arguments["all_tenants"] = True
    return ImpactAssessment(impact, **arguments)


def with_rules(*rules: SeverityRule) -> Policy:
    base = rp.default_policy()
    return attrs.evolve(base, severity=SeverityPolicy(tuple(rules), base.severity.material))


def rules_of(*rules: SeverityRule) -> SeverityPolicy:
    return SeverityPolicy(tuple(rules), frozenset({Severity.SEV_1}))


def rule(name: str, severity: Severity | None, *when: Condition) -> SeverityRule:
    return SeverityRule(name, severity, tuple(when))


def counterexample(
    path: str, high: str, low: str, severity: str, rule_name: str, change: str, found: str
) -> Problem:
    """The problem check_rules gives when ``change`` lowers the result from ``severity``."""
    expected = (
        f"at least {severity} for {high}, since {low} gets {severity} from rule "
        f"{rule_name!r} ({change} must never lower the severity)"
    )
    return Problem(path, expected, found)


# --- impact assessments -----------------------------------------------------------------------


@pytest.mark.parametrize("impact", ["CATASTROPHIC", "", 3, None, Severity.SEV_1])
def test_an_unknown_impact_names_the_field_and_the_impacts(impact):
    with input_error("impact", value=impact, expected="one of NONE, MINOR, DEGRADED, OUTAGE"):
        ImpactAssessment(impact, core=True, all_tenants=True)


@pytest.mark.parametrize("name", ["core", "customer_visible", "all_tenants"])
@pytest.mark.parametrize("value", [1, 0, "yes", None])
def test_a_flag_that_is_not_a_bool_names_the_flag_and_value(name, value):
    arguments: dict[str, Any] = {"core": True, "all_tenants": True, name: value}
    with input_error(name, value=value, expected="True or False"):
        ImpactAssessment("OUTAGE", **arguments)


@pytest.mark.parametrize("name", ["affected_tenants", "total_tenants"])
@pytest.mark.parametrize("value", [1.5, "3", True, 2.0])
def test_a_count_that_is_not_a_whole_number_names_the_count_and_value(name, value):
    arguments: dict[str, Any] = {"affected_tenants": 1, "total_tenants": 4, name: value}
    with input_error(name, value=value, expected="a whole number of tenants, or None"):
        facts(**arguments)


@pytest.mark.parametrize("name", ["affected_tenants", "total_tenants"])
def test_a_negative_count_names_the_count_and_value(name):
    arguments: dict[str, Any] = {"affected_tenants": 0, "total_tenants": 4, name: -1}
    with input_error(name, value=-1, expected="a count of 0 or more"):
        facts(**arguments)


def test_a_total_is_checked_even_when_the_affected_count_is_left_out():
    with input_error("total_tenants", value=1.5, expected="a whole number of tenants, or None"):
        facts(total_tenants=1.5, all_tenants=True)
    with input_error("total_tenants", value=-2, expected="a count of 0 or more"):
        facts(total_tenants=-2, all_tenants=True)
    with input_error("total_tenants", value=-2, expected="a count of 0 or more"):
        facts(total_tenants=-2)


def test_a_zero_total_names_the_total():
    with input_error("total_tenants", value=0, expected="at least 1 tenant"):
        facts(affected_tenants=0, total_tenants=0)
    with input_error("total_tenants", value=0, expected="at least 1 tenant"):
        facts(total_tenants=0, all_tenants=True)


def test_more_affected_than_total_names_the_total():
    with input_error("affected_tenants", value=11, expected="at most total_tenants (10)"):
        facts(affected_tenants=11, total_tenants=10)
    assert facts(affected_tenants=10, total_tenants=10).share == 100


def test_all_tenants_with_fewer_affected_names_the_total():
    expected = "equal to total_tenants (10) when all_tenants is true"
    with input_error("affected_tenants", value=3, expected=expected):
        facts(affected_tenants=3, total_tenants=10, all_tenants=True)
    assert facts(affected_tenants=10, total_tenants=10, all_tenants=True).all_tenants


@pytest.mark.parametrize(
    ("counts", "field"),
    [
        ({}, "affected_tenants"),
        ({"total_tenants": 3}, "affected_tenants"),
        ({"affected_tenants": 3}, "total_tenants"),
        ({"all_tenants": False}, "affected_tenants"),
    ],
)
def test_no_share_at_all_names_the_missing_count(counts, field):
    with input_error(field, value=None, expected=A_COUNT):
        ImpactAssessment("OUTAGE", core=True, **counts)


# --- declarations -----------------------------------------------------------------------------


@pytest.mark.parametrize("severity", ["SEV-4", "sev", "", 1, Impact.OUTAGE])
def test_an_unknown_declared_severity_names_the_severities(severity):
    with input_error("severity", value=severity, expected=SEVERITY_EXPECTED):
        Declaration(severity, by="alice", reason="EU cell")
    with input_error("severity", value=severity, expected=SEVERITY_EXPECTED):
        declare(classify(facts()), severity, by="alice", reason="EU cell")


@pytest.mark.parametrize("name", ["by", "reason"])
@pytest.mark.parametrize("value", ["", "  ", None, 7])
def test_an_empty_by_or_reason_names_the_field_and_value(name, value):
    arguments: dict[str, Any] = {"by": "alice", "reason": "EU cell", name: value}
    with input_error(name, value=value, expected="a non-empty string"):
        Declaration("SEV-2", **arguments)
    with input_error(name, value=value, expected="a non-empty string"):
        declare(classify(facts()), "SEV-2", **arguments)


@pytest.mark.parametrize("classification", ["SEV-1", None, facts()])
def test_declaring_on_something_else_names_the_classification(classification):
    with input_error("classification", value=classification, expected="a Classification"):
        declare(untyped(classification), "SEV-1", by="alice", reason="EU cell")


def test_severity_names_are_read_in_any_case_and_none_is_not_an_incident():
    assert Declaration(" sev-2 ", by="a", reason="b").severity is Severity.SEV_2
    assert Declaration("NONE", by="a", reason="b").severity is None
    assert Declaration(None, by="a", reason="b").severity is None


# --- classify, is_material --------------------------------------------------------------------


@pytest.mark.parametrize("assessment", ["OUTAGE", None, {"impact": "OUTAGE"}])
def test_classifying_something_else_names_the_assessment(assessment):
    with input_error("assessment", value=assessment, expected="an ImpactAssessment"):
        classify(untyped(assessment))


def test_a_policy_without_a_matching_rule_names_the_facts_at_classify():
    gappy = with_rules(rule("outages", Severity.SEV_1, Condition(impact_at_least=Impact.OUTAGE)))
    minor = facts("MINOR", affected_tenants=1, total_tenants=10)
    with config_problem(
        "$.severity.rules", value=minor.summary, expected="a rule that matches", only=True
    ) as caught:
        classify(minor, gappy)
    assert caught.value.source == "severity policy"
    assert str(caught.value).startswith("The severity policy has 1 problem:\n")


@pytest.mark.parametrize("share", [float("inf"), float("-inf"), float("nan"), True, "50"])
def test_a_threshold_that_is_not_a_finite_number_is_refused_at_classify(share):
    broken = with_rules(
        rule("x", Severity.SEV_1, Condition(share_at_least=untyped(share))),
        rule("rest", Severity.SEV_3),
    )
    with config_problem(
        "$.severity.rules", value=share, expected="finite share_at_least percentages", only=True
    ) as caught:
        classify(facts(), broken)
    assert caught.value.source == "severity policy"


def test_an_unknown_severity_for_is_material_names_the_severity():
    with input_error("severity", value="SEV-4"):
        is_material(untyped("SEV-4"))


# --- which condition holds --------------------------------------------------------------------


@pytest.mark.parametrize(
    "missed",
    [
        Condition(customer_visible=False),
        Condition(core=False),
        Condition(impact_at_least=Impact.OUTAGE),
        Condition(impact_at_most=Impact.MINOR),
        Condition(share_at_least=50),
    ],
    ids=["visible", "core", "impact_at_least", "impact_at_most", "share"],
)
def test_a_condition_that_does_not_hold_lets_the_next_condition_of_the_rule_try(missed):
    # A core, visible DEGRADED event for 10% of tenants: each first condition misses it.
    policy = with_rules(
        rule("either", Severity.SEV_1, missed, Condition(core=True)),
        rule("rest", Severity.SEV_3),
    )
    result = classify(facts("DEGRADED", affected_tenants=1, total_tenants=10), policy)
    assert (result.rule, result.suggested) == ("either", Severity.SEV_1)
    assert result.share_at_least is None
    assert result.reason == "core DEGRADED for 10% of tenants (1/10): either"


def test_the_condition_that_held_gives_the_threshold_in_the_reason():
    policy = with_rules(
        rule("either", Severity.SEV_1, Condition(core=False), Condition(share_at_least=12.5)),
        rule("rest", Severity.SEV_3),
    )
    result = classify(facts("DEGRADED", affected_tenants=1, total_tenants=8), policy)
    assert (result.rule, result.share_at_least) == ("either", 12.5)
    assert result.reason == "core DEGRADED for 12.5% of tenants (1/8) >= 12.5%: either"


# --- the rule check: which points and which pairs are compared --------------------------------


def test_a_fractional_threshold_is_decided_at_its_exact_share():
    # At 12.5% the result is SEV-2; evaluating that point at any larger share (50%) would
    # wrongly give SEV-1 and a false "larger share" counterexample against the 25% point.
    policy = rules_of(
        rule("top", Severity.SEV_1, Condition(share_at_least=50)),
        rule("quarter", Severity.SEV_2, Condition(share_at_least=25)),
        rule("eighth", Severity.SEV_2, Condition(share_at_least=12.5)),
        rule("rest", Severity.SEV_3),
    )
    assert check_rules(policy) == []


@pytest.mark.parametrize("threshold", [1, 0.5])
def test_a_threshold_at_or_below_one_percent_is_a_point_of_its_own(threshold):
    policy = rules_of(
        rule("wide-is-minor", Severity.SEV_3, Condition(share_at_least=threshold)),
        rule("outage", Severity.SEV_1, Condition(impact_at_least=Impact.OUTAGE)),
        rule("rest", Severity.SEV_3),
    )
    assert check_rules(policy) == [
        counterexample(
            "$.severity.rules[0]",
            f"core OUTAGE for {threshold}% of tenants",
            "core OUTAGE for 0% of tenants",
            "SEV-1",
            "outage",
            "a larger share of tenants",
            "SEV-3 from rule wide-is-minor",
        )
    ]


def test_a_threshold_above_100_percent_is_never_reached_by_the_check():
    # Such a threshold is refused by the loader; the check itself decides shares up to 100%.
    policy = rules_of(
        rule("never", Severity.SEV_3, Condition(share_at_least=100.5)),
        rule("outage", Severity.SEV_1, Condition(impact_at_least=Impact.OUTAGE)),
        rule("rest", Severity.SEV_3),
    )
    assert check_rules(policy) == []


def test_a_lower_result_at_exactly_100_percent_is_found():
    policy = rules_of(
        rule("everyone", Severity.SEV_3, Condition(share_at_least=100)),
        rule("rest", Severity.SEV_1),
    )
    assert check_rules(policy) == [
        counterexample(
            "$.severity.rules[0]",
            "core NONE for 100% of tenants",
            "core NONE for 0% of tenants",
            "SEV-1",
            "rest",
            "a larger share of tenants",
            "SEV-3 from rule everyone",
        )
    ]


def test_more_impact_is_checked_for_events_customers_do_not_see():
    degraded = Condition(
        customer_visible=False, impact_at_least=Impact.DEGRADED, impact_at_most=Impact.DEGRADED
    )
    policy = rules_of(
        rule("quiet-degraded", Severity.SEV_1, degraded), rule("rest", Severity.SEV_3)
    )
    assert check_rules(policy) == [
        counterexample(
            "$.severity.rules[1]",
            "not customer-visible, core OUTAGE for 0% of tenants",
            "not customer-visible, core DEGRADED for 0% of tenants",
            "SEV-1",
            "quiet-degraded",
            "more impact",
            "SEV-3 from rule rest",
        )
    ]


def test_more_impact_is_checked_for_peripheral_events():
    degraded = Condition(
        core=False, impact_at_least=Impact.DEGRADED, impact_at_most=Impact.DEGRADED
    )
    policy = rules_of(
        rule("feature-degraded", Severity.SEV_1, degraded), rule("rest", Severity.SEV_3)
    )
    assert check_rules(policy) == [
        counterexample(
            "$.severity.rules[1]",
            "peripheral OUTAGE for 0% of tenants",
            "peripheral DEGRADED for 0% of tenants",
            "SEV-1",
            "feature-degraded",
            "more impact",
            "SEV-3 from rule rest",
        ),
        counterexample(
            "$.severity.rules[1]",
            "core DEGRADED for 0% of tenants",
            "peripheral DEGRADED for 0% of tenants",
            "SEV-1",
            "feature-degraded",
            "turning core on",
            "SEV-3 from rule rest",
        ),
    ]


def test_a_larger_share_is_checked_for_events_customers_do_not_see():
    wide = Condition(customer_visible=False, share_at_least=50)
    policy = rules_of(rule("quiet-wide", Severity.SEV_3, wide), rule("rest", Severity.SEV_1))
    assert check_rules(policy) == [
        counterexample(
            "$.severity.rules[0]",
            "not customer-visible, core NONE for 50% of tenants",
            "not customer-visible, core NONE for 0% of tenants",
            "SEV-1",
            "rest",
            "a larger share of tenants",
            "SEV-3 from rule quiet-wide",
        )
    ]


def test_a_larger_share_is_checked_for_peripheral_events():
    wide = Condition(core=False, share_at_least=50)
    policy = rules_of(rule("feature-wide", Severity.SEV_3, wide), rule("rest", Severity.SEV_1))
    assert check_rules(policy) == [
        counterexample(
            "$.severity.rules[0]",
            "peripheral NONE for 50% of tenants",
            "peripheral NONE for 0% of tenants",
            "SEV-1",
            "rest",
            "a larger share of tenants",
            "SEV-3 from rule feature-wide",
        )
    ]


def test_turning_core_on_is_checked_for_events_customers_do_not_see():
    quiet_feature = Condition(customer_visible=False, core=False)
    policy = rules_of(rule("quiet-feature", Severity.SEV_1, quiet_feature), rule("rest", None))
    assert check_rules(policy) == [
        counterexample(
            "$.severity.rules[1]",
            "not customer-visible, core NONE for 0% of tenants",
            "not customer-visible, peripheral NONE for 0% of tenants",
            "SEV-1",
            "quiet-feature",
            "turning core on",
            "not an incident from rule rest",
        )
    ]


def test_a_gap_names_the_first_assessment_no_rule_matches():
    policy = rules_of(rule("wide", Severity.SEV_2, Condition(share_at_least=5)))
    assert check_rules(policy) == [
        Problem("$.severity.rules", GAP_EXPECTED, "core NONE for 0% of tenants")
    ]


# --- the [severity] section of a policy document ----------------------------------------------

ROUTINE = """schema_version = 1
[[severity.rules]]
name = "routine"
severity = "none"
when = [{ customer_visible = false }, { impact_at_most = "NONE" }]
"""
REST = """
[[severity.rules]]
name = "rest"
severity = "SEV-3"
"""


def with_share(share: str) -> str:
    return (
        ROUTINE
        + '[[severity.rules]]\nname = "x"\nseverity = "SEV-2"\n'
        + f"when = [{{ share_at_least = {share} }}]"
        + REST
    )


def test_an_empty_rule_list_is_refused():
    with config_problem("$.severity.rules", value=[], expected="at least one rule", only=True):
        rp.loads_policy("schema_version = 1\n[severity]\nrules = []\n")


def test_an_empty_material_list_is_refused():
    with config_problem(
        "$.severity.material", value=[], expected="at least one material severity", only=True
    ):
        rp.loads_policy("schema_version = 1\n[severity]\nmaterial = []\n")


@pytest.mark.parametrize("name", ["", "  "])
def test_an_empty_rule_name_is_refused(name):
    document = ROUTINE.replace('name = "routine"', f'name = "{name}"') + REST
    with config_problem(
        "$.severity.rules[0].name", value=name, expected="a non-empty rule name", only=True
    ):
        rp.loads_policy(document)


def test_a_rule_name_used_twice_is_refused_at_the_second_use():
    document = ROUTINE + REST + REST.replace('"SEV-3"', '"SEV-2"')
    with config_problem(
        "$.severity.rules[2].name", value="rest", expected="a rule name used once", only=True
    ):
        rp.loads_policy(document)


@pytest.mark.parametrize(("share", "value"), [("-0.5", -0.5), ("100.5", 100.5), ("-1", -1.0)])
def test_a_share_outside_0_to_100_is_refused(share, value):
    with config_problem(
        "$.severity.rules[1].when[0].share_at_least",
        value=value,
        expected="a percentage from 0 to 100",
        only=True,
    ):
        rp.loads_policy(with_share(share))


@pytest.mark.parametrize("share", ["0", "0.5", "1", "99.5", "100"])
def test_a_share_from_0_to_100_is_accepted(share):
    policy = rp.loads_policy(with_share(share))
    assert policy.severity.rules[1].when[0].share_at_least == float(share)


def test_an_empty_impact_range_names_the_upper_bound():
    document = (
        ROUTINE
        + '[[severity.rules]]\nname = "x"\nseverity = "SEV-2"\n'
        + 'when = [{ core = true }, { impact_at_least = "OUTAGE", impact_at_most = "MINOR" }]'
        + REST
    )
    with config_problem(
        "$.severity.rules[1].when[1].impact_at_most",
        value="MINOR",
        expected="an impact at or above impact_at_least (OUTAGE)",
        only=True,
    ):
        rp.loads_policy(document)


def test_a_single_impact_range_is_accepted():
    document = (
        ROUTINE
        + '[[severity.rules]]\nname = "x"\nseverity = "SEV-2"\n'
        + 'when = [{ impact_at_least = "OUTAGE", impact_at_most = "OUTAGE" }]'
        + REST
    )
    assert rp.loads_policy(document).severity.rules[1].name == "x"


# --- describing rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "phrase"),
    [
        (Condition(), "always"),
        (Condition(customer_visible=False), "not customer-visible"),
        (Condition(core=True), "core"),
        (Condition(impact_at_most=Impact.MINOR), "impact <= MINOR"),
        (Condition(share_at_least=12.5), "share >= 12.5%"),
        (Condition(share_at_least=50.0), "share >= 50%"),
        (Condition(share_at_least=0.25), "share >= 0.25%"),
    ],
)
def test_describe_condition(condition, phrase):
    assert describe_condition(condition) == phrase


def test_rule_table_reads_the_given_policy():
    policy = with_rules(
        rule("quiet", None, Condition(customer_visible=False)), rule("rest", Severity.SEV_2)
    )
    assert rule_table(policy).splitlines() == [
        "| rule | condition | result |",
        "|---|---|---|",
        "| quiet | not customer-visible | not an incident |",
        "| rest | always | SEV-2 |",
    ]


# --- documents: assessments, declarations, classifications ------------------------------------


@pytest.mark.parametrize("kind", [ImpactAssessment, Declaration, Classification])
@pytest.mark.parametrize("value", [[1, 2], "OUTAGE", 3, None])
def test_a_document_that_is_not_a_table_names_the_type(kind, value):
    with input_error(kind.__name__, value=value, expected=A_TABLE):
        converter.structure(value, kind)
    with config_problem("$", value=value, expected=A_TABLE, only=True):
        structure(value, kind)


@pytest.mark.parametrize(
    ("kind", "data", "known"),
    [
        (
            ImpactAssessment,
            {"impact": "OUTAGE", "core": True, "all_tenants": True, "tenants": 3},
            "affected_tenants, all_tenants, core, customer_visible, impact, total_tenants",
        ),
        (
            Declaration,
            {"severity": "SEV-1", "by": "a", "reason": "b", "tenants": 3},
            "by, reason, severity",
        ),
    ],
    ids=["assessment", "declaration"],
)
def test_an_extra_key_is_refused_as_unknown(kind, data, known):
    with config_problem(
        "$.tenants",
        value="tenants",
        expected=f"one of the known keys: {known}",
        kind="unknown",
        only=True,
    ):
        structure(data, kind)


def test_an_extra_key_in_a_classification_is_refused_as_unknown():
    data = {**unstructure(classify(facts())), "tenants": 3}
    with config_problem("$.tenants", value="tenants", kind="unknown", only=True):
        structure(data, Classification)


@pytest.mark.parametrize(
    ("data", "path", "value", "expected"),
    [
        (
            {"impact": "OUTAGE", "core": True, "affected_tenants": 5, "total_tenants": 2},
            "$.affected_tenants",
            5,
            "at most total_tenants (2)",
        ),
        (
            {"impact": "OUTAGE", "core": True, "affected_tenants": 0, "total_tenants": 0},
            "$.total_tenants",
            0,
            "at least 1 tenant",
        ),
        (
            {"impact": "OUTAGE", "core": True, "affected_tenants": -1, "total_tenants": 2},
            "$.affected_tenants",
            -1,
            "a count of 0 or more",
        ),
    ],
)
def test_an_assessment_the_constructor_refuses_is_a_problem_at_the_field(
    data, path, value, expected
):
    with config_problem(path, value=value, expected=expected, kind="invalid", only=True):
        structure(data, ImpactAssessment)


def test_an_assessment_without_counts_is_a_missing_count():
    data = {"impact": "OUTAGE", "core": True, "total_tenants": 4}
    with config_problem(
        "$.affected_tenants", value=None, expected=A_COUNT, kind="missing", only=True
    ):
        structure(data, ImpactAssessment)


def test_a_declaration_the_constructor_refuses_is_a_problem_at_the_field():
    data = {"severity": "SEV-1", "by": " ", "reason": "b"}
    with config_problem(
        "$.by", value=" ", expected="a non-empty string", kind="invalid", only=True
    ):
        structure(data, Declaration)


def test_field_problems_of_an_assessment_keep_their_own_paths():
    data = {"impact": "HUGE", "core": "yes", "all_tenants": True}
    with config_problem(
        "$.impact", value="HUGE", expected="one of 'NONE', 'MINOR', 'DEGRADED', 'OUTAGE'"
    ) as caught:
        structure(data, ImpactAssessment)
    assert [p.path for p in caught.value.problems] == ["$.impact", "$.core"]


def test_good_documents_are_structured():
    data = {"impact": "OUTAGE", "core": True, "affected_tenants": 1, "total_tenants": 4}
    assert structure(data, ImpactAssessment) == facts(affected_tenants=1, total_tenants=4)
    declared = {"severity": "SEV-2", "by": "a", "reason": "b"}
    assert structure(declared, Declaration) == Declaration(Severity.SEV_2, "a", "b")


def test_a_classification_is_read_with_or_without_its_derived_fields():
    result = declare(
        classify(facts(affected_tenants=61, total_tenants=100)), "SEV-2", by="ann", reason="EU"
    )
    data = unstructure(result)
    assert (data["severity"], data["reason"]) == ("SEV-2", result.reason)
    assert structure(data, Classification) == result
    bare = {key: value for key, value in data.items() if key not in ("severity", "reason")}
    assert structure(bare, Classification) == result


@pytest.mark.parametrize("written", ["SEV-1", None, "sev-2", 2])
def test_a_classification_whose_severity_disagrees_is_refused(written):
    result = declare(
        classify(facts(affected_tenants=61, total_tenants=100)), "SEV-2", by="ann", reason="EU"
    )
    data = {**unstructure(result), "severity": written}
    with config_problem(
        "$.severity",
        value=written,
        expected="'SEV-2', the declared severity or else the suggested one",
        only=True,
    ):
        structure(data, Classification)


def test_a_classification_that_is_not_an_incident_must_say_none():
    result = declare(classify(facts()), None, by="ann", reason="test tenant")
    data = {**unstructure(result), "severity": "SEV-1"}
    with config_problem(
        "$.severity",
        value="SEV-1",
        expected="None, the declared severity or else the suggested one",
        only=True,
    ):
        structure(data, Classification)
    assert structure({**data, "severity": None}, Classification) == result


def test_a_boolean_threshold_is_refused_even_after_the_same_number_was_classified():
    # True == 1 and hash(True) == hash(1): the exact-threshold cache must not hand the
    # percentage 1 back for a threshold written as a boolean.
    classify(facts(), with_rules(rule("x", Severity.SEV_1, Condition(share_at_least=1))))
    broken = with_rules(
        rule("x", Severity.SEV_1, Condition(share_at_least=untyped(True))),
        rule("rest", Severity.SEV_3),
    )
    with config_problem(
        "$.severity.rules", value=True, expected="finite share_at_least percentages", only=True
    ):
        classify(facts(), broken)
