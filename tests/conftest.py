"""Hypothesis profiles: "fast" for the default run, "thorough" for CI-like depth, "fuzz" for
``nox -s fuzz``."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

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
settings.load_profile("fast")
