"""One ``classify`` call costs at most 50x a plain dict lookup, both measured in the same run.

The assessments are built beforehand (building one validates it); each row classifies under the
default policy, walking its rules in order until one matches. The reference is ``table[key]`` on
a small dict with a string key, called the same way (a lambda in the same timing loop).
"""

from __future__ import annotations

import time

from bench._harness import Row, fmt_seconds, median_seconds
from reliability_policy import ImpactAssessment, classify, default_policy
from reliability_policy.severity import check_rules

_TARGET = 50.0
_NUMBER = 200_000

_CASES = {
    "SEV-1 (platform-outage)": ImpactAssessment(
        "OUTAGE", core=True, affected_tenants=610, total_tenants=1000
    ),
    "SEV-3 (limited, last rule)": ImpactAssessment(
        "MINOR", core=False, affected_tenants=1, total_tenants=1000
    ),
    "not an incident (routine)": ImpactAssessment(
        "NONE", core=False, customer_visible=False, all_tenants=True
    ),
}


def run() -> list[Row]:
    policy = default_policy()
    for facts in _CASES.values():
        classify(facts, policy)  # warm up
    table = {"SEV-1": 1, "SEV-2": 2, "SEV-3": 3}
    key = "SEV-2"
    rows: list[Row] = []
    for name, facts in _CASES.items():
        lookup = median_seconds(lambda: table[key], number=_NUMBER)
        ours = median_seconds(lambda facts=facts: classify(facts), number=_NUMBER)
        ratio = ours / lookup
        rows.append(
            Row(
                f"classify: {name}",
                fmt_seconds(ours),
                f"{fmt_seconds(lookup)} dict lookup",
                ratio,
                f"<= {_TARGET:.0f}x",
                ratio <= _TARGET,
            )
        )
    facts = _CASES["SEV-1 (platform-outage)"]
    reason = median_seconds(lambda: classify(facts).reason, number=_NUMBER // 4)
    rows.append(Row("classify + render the reason", fmt_seconds(reason), "", None, "", None))
    build = median_seconds(
        lambda: ImpactAssessment("OUTAGE", core=True, affected_tenants=610, total_tenants=1000),
        number=_NUMBER // 4,
    )
    rows.append(Row("build + validate an assessment", fmt_seconds(build), "", None, "", None))
    start = time.perf_counter()
    check_rules(policy.severity)
    checked = time.perf_counter() - start
    rows.append(Row("exact rule check (default policy)", fmt_seconds(checked), "", None, "", None))
    return rows
