"""Hypothesis profiles: "fast" for the default run, "thorough" for CI-like depth, "fuzz" for
``nox -s fuzz``, "mutate" for ``nox -s mutate``."""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, settings

# "fast" is derandomized so that the default run (and CI) is reproducible; "thorough" and
# "fuzz" explore new examples on every run.
settings.register_profile(
    "fast",
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough", max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "fuzz", max_examples=20_000, deadline=None, suppress_health_check=list(HealthCheck)
)
# "mutate" is what ``nox -s mutate`` runs each mutant under: few examples, always the same ones,
# no example database (a verdict must not depend on an earlier run) and no shrinking (a failure
# is all a mutant's verdict needs).
settings.register_profile(
    "mutate",
    max_examples=5,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
settings.load_profile("fast")
