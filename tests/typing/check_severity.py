"""Pins the public types of severity classification; type-checked by mypy, never run."""

from __future__ import annotations

from fractions import Fraction
from typing import assert_type

from hypothesis import strategies as st

import reliability_policy as rp
from reliability_policy import testing
from reliability_policy.errors import Problem
from reliability_policy.policy import Condition
from reliability_policy.serialization import dumps, loads
from reliability_policy.severity import check_rules, describe_condition, rule_table

facts = rp.ImpactAssessment("OUTAGE", core=True, affected_tenants=610, total_tenants=1000)
assert_type(facts, rp.ImpactAssessment)
assert_type(rp.ImpactAssessment(rp.Impact.MINOR, core=False, all_tenants=True), rp.ImpactAssessment)
assert_type(facts.impact, rp.Impact)
assert_type(facts.core, bool)
assert_type(facts.customer_visible, bool)
assert_type(facts.affected_tenants, int | None)
assert_type(facts.total_tenants, int | None)
assert_type(facts.all_tenants, bool)
assert_type(facts.share, Fraction)
assert_type(facts.summary, str)

result = rp.classify(facts)
assert_type(result, rp.Classification)
assert_type(rp.classify(facts, rp.default_policy()), rp.Classification)
assert_type(result.severity, rp.Severity | None)
assert_type(result.suggested, rp.Severity | None)
assert_type(result.rule, str)
assert_type(result.reason, str)
assert_type(result.explanation, str)
assert_type(result.assessment, rp.ImpactAssessment)
assert_type(result.share_at_least, float | None)
assert_type(result.is_incident, bool)
assert_type(result.declared, rp.Declaration | None)

declared = rp.declare(result, rp.Severity.SEV_2, by="alice", reason="EU cell only")
assert_type(declared, rp.Classification)
assert_type(rp.declare(result, "SEV-1", by="bob", reason="escalated"), rp.Classification)
assert_type(rp.declare(result, None, by="bob", reason="test tenant"), rp.Classification)
assert_type(rp.Declaration("SEV-2", "alice", "why").severity, rp.Severity | None)
assert_type(rp.is_material(result.severity), bool)
assert_type(rp.is_material(rp.Severity.SEV_1, rp.default_policy()), bool)

assert_type(check_rules(rp.default_policy().severity), list[Problem])
assert_type(describe_condition(Condition(core=True)), str)
assert_type(rule_table(), str)
assert_type(loads(dumps(result), rp.Classification), rp.Classification)
assert_type(loads(dumps(facts), rp.ImpactAssessment), rp.ImpactAssessment)

assert_type(testing.impact_assessments(), st.SearchStrategy[rp.ImpactAssessment])
assert_type(testing.classifications(), st.SearchStrategy[rp.Classification])
assert_type(testing.declarations(), st.SearchStrategy[rp.Declaration])
