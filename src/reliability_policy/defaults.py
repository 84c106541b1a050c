"""The bundled default policy, and the one place a public function turns ``policy=None`` into it.

This module sits below the concerns: it reads ``default_policy.toml`` (the single home of the
default numbers) and structures it, with no concern's logic. The loader checks every document
it reads, the default included (a test pins ``check_policy(default_policy()) == []``).

>>> default_policy().security.notify_deadline
datetime.timedelta(days=2)

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import functools
import importlib.resources
import tomllib
from typing import Any, Final

from reliability_policy.errors import PolicyInputError
from reliability_policy.policy import Policy
from reliability_policy.serialization import structure

__all__ = ["default_data", "default_policy", "policy_or_default"]

_RESOURCE: Final = "default_policy.toml"


@functools.cache
def _default_text() -> str:
    resource = importlib.resources.files("reliability_policy").joinpath(_RESOURCE)
    return resource.read_text(encoding="utf-8")


def default_data() -> dict[str, Any]:
    """The bundled default policy document as parsed TOML (a fresh copy on every call)."""
    return tomllib.loads(_default_text())


@functools.cache
def default_policy() -> Policy:
    """The built-in default policy: the bundled ``default_policy.toml``, read once.

    >>> default_policy().maintenance.notice
    datetime.timedelta(days=7)

    .. versionadded:: 0.1.0
    """
    return structure(default_data(), Policy, source="default policy")


def policy_or_default(policy: object) -> Policy:
    """The policy a public function was given, or the default policy for ``None``.

    Every public function resolves its ``policy`` argument here once and passes the result
    down.

    >>> policy_or_default(None) is default_policy()
    True
    >>> policy_or_default("strict")
    Traceback (most recent call last):
      ...
    reliability_policy.errors.PolicyInputError: policy: expected a Policy, or None ..., got 'strict'

    Raises:
        PolicyInputError: ``policy`` is neither a :class:`~reliability_policy.policy.Policy`
            nor None.

    .. versionadded:: 0.1.0
    """
    if policy is None:
        return default_policy()
    if not isinstance(policy, Policy):
        raise PolicyInputError("policy", policy, "a Policy, or None for the default policy")
    return policy
