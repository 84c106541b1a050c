"""Loading and validating policy documents (TOML or JSON), with every problem reported at once.

As the standard library's ``tomllib.load``/``loads``, a ``load_*`` function takes a path (a
``str`` or :class:`os.PathLike`, always a path) and a ``loads_*`` function takes the text (or
parsed data); nothing is guessed from a file name's extension:

>>> from reliability_policy import loads_policy
>>> loads_policy('''
... schema_version = 1
... [notifications.SEV-1]
... update_interval = "soon"
... ''')
Traceback (most recent call last):
  ...
reliability_policy.errors.PolicyConfigError: The policy document has 1 problem:
  $.notifications.SEV-1.update_interval: expected a duration such as '30m', ..., got 'soon'

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import contextlib
import json
import os
import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Final

import attrs

from reliability_policy import (
    continuity,
    maintenance,
    notifications,
    security,
    severity,
    statusfeed,
)
from reliability_policy._files import MAX_DOCUMENT_BYTES, read_text
from reliability_policy.defaults import default_data
from reliability_policy.errors import PolicyConfigError, PolicyInputError, Problem
from reliability_policy.policy import SCHEMA_VERSION, Policy, Tenant
from reliability_policy.serialization import structure

__all__ = [
    "DocumentSource",
    "PathSource",
    "TenantsDocument",
    "check_policy",
    "load_document",
    "load_policy",
    "load_tenants",
    "loads_policy",
    "loads_tenants",
    "read_document",
]

_SHOWN_PATH: Final = 80

PathSource = str | os.PathLike[str]
"""A path to a file (``str`` or :class:`os.PathLike`), always read as a path."""

DocumentSource = str | Mapping[str, Any]
"""A document's TOML or JSON text, or its parsed data."""


@attrs.frozen
class TenantsDocument:
    """A tenant terms document: ``schema_version`` and a list of ``[[tenants]]``.

    .. versionadded:: 0.1.0
    """

    schema_version: int
    tenants: tuple[Tenant, ...] = ()


def _overlay(base: Mapping[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    """``top`` merged over ``base``: tables merge key by key, anything else replaces."""
    merged = dict(base)
    for key, value in top.items():
        below = merged.get(key)
        if isinstance(value, Mapping) and isinstance(below, Mapping):
            merged[key] = _overlay(below, value)
        else:
            merged[key] = value
    return merged


def load_policy(
    path: PathSource, *, tenants: PathSource | Sequence[Tenant] | None = None
) -> Policy:
    """Load and validate the policy document at ``path``; optionally add a tenant terms file.

    The file holds TOML, or JSON (a document that starts with ``{``). See
    :func:`~reliability_policy.loads_policy` for what a document may leave out.

    >>> load_policy("examples/policy-overrides.toml").calendar.time_zone
    'America/New_York'

    Args:
        path: The policy file (``str`` or :class:`os.PathLike`; always a path).
        tenants: An optional tenant terms file (``[[tenants]]`` entries), or tenants
            already loaded (:func:`load_tenants`).

    Raises:
        PolicyConfigError: a file is missing, unreadable, too large or not UTF-8, or the
            document has problems; every one is listed with its key path, the value found
            and what was expected.

    .. versionadded:: 0.1.0
    """
    data, label = load_document(path, name="policy document")
    return _policy(data, label, _tenants(tenants, load_tenants))


def loads_policy(
    source: DocumentSource,
    *,
    tenants: DocumentSource | Sequence[Tenant] | None = None,
    name: str | None = None,
) -> Policy:
    """Validate a policy document given as TOML or JSON text, or as parsed data.

    A document may be partial: a key it leaves out takes the default policy's value (tables
    merge key by key; a list replaces the default's list whole). A key the format does not
    have is an error, so a typo never falls back to a default silently.

    >>> loads_policy('schema_version = 1\\n[security]\\nnotify_deadline = "24h"').security
    SecurityPolicy(notify_deadline=datetime.timedelta(days=1), ...)

    Args:
        source: TOML or JSON text (JSON starts with ``{``), or parsed data.
        tenants: An optional tenant terms document, in the same forms, or tenants already
            loaded (``tenants=load_tenants("tenants.toml")`` adds a file's tenants).
        name: How error messages name the document (default: "policy document").

    Returns:
        The validated policy.

    Raises:
        PolicyConfigError: the document has problems; every one is listed with its key path,
            the value found, and what was expected. Unknown keys are problems too.

    .. versionadded:: 0.2.0
    """
    data, label = read_document(source, name=name or "policy document")
    return _policy(data, label, _tenants(tenants, loads_tenants))


def _tenants(given: object, read: Callable[[Any], tuple[Tenant, ...]]) -> tuple[Tenant, ...]:
    """The extra tenants a loader was given: none, tenants already loaded, or a document."""
    if given is None:
        return ()
    if isinstance(given, Sequence) and not isinstance(given, (str, bytes, bytearray)):
        for index, tenant in enumerate(given):
            if not isinstance(tenant, Tenant):
                problem = Problem(f"$.tenants[{index}]", "a Tenant", tenant)
                raise PolicyConfigError([problem], "tenant terms")
        return tuple(given)
    return read(given)


def _policy(data: Mapping[str, Any], label: str, tenants: tuple[Tenant, ...]) -> Policy:
    policy = structure(_overlay(default_data(), data), Policy, source=label)
    if tenants:
        policy = attrs.evolve(policy, tenants=policy.tenants + tenants)
    problems = check_policy(policy)
    if problems:
        raise PolicyConfigError(problems, label)
    return policy


def load_tenants(path: PathSource) -> tuple[Tenant, ...]:
    """Load the tenant terms document at ``path`` (``schema_version`` and ``[[tenants]]``).

    The tenants are checked against a policy when given to :func:`load_policy`.

    >>> [t.id for t in load_tenants("examples/tenants.toml")][:2]
    ['acme', 'globex']

    Raises:
        PolicyConfigError: the file cannot be read, or the document has problems, each
            listed with its path.

    .. versionadded:: 0.1.0
    """
    data, label = load_document(path, name="tenant terms document")
    return structure(data, TenantsDocument, source=label).tenants


def loads_tenants(source: DocumentSource, *, name: str | None = None) -> tuple[Tenant, ...]:
    """A tenant terms document given as TOML or JSON text, or as parsed data.

    Raises:
        PolicyConfigError: the document has problems, each listed with its path.

    .. versionadded:: 0.2.0
    """
    data, label = read_document(source, name=name or "tenant terms document")
    return structure(data, TenantsDocument, source=label).tenants


def load_document(path: PathSource, *, name: str) -> tuple[Mapping[str, Any], str]:
    """Read the versioned document at ``path``; see :func:`read_document`.

    Returns:
        The parsed top-level table and the document's label (``name`` and the path).

    Raises:
        PolicyConfigError: the file is missing, unreadable, larger than 16 MiB or not UTF-8
            (the one problem names the path), or the document is not valid (see
            :func:`read_document`).

    .. versionadded:: 0.2.0
    """
    try:
        text = read_text(path, field="path", limit=MAX_DOCUMENT_BYTES)
    except PolicyInputError as error:
        shown = str(error.value) if str(error.value).isprintable() else repr(error.value)
        shown = shown if len(shown) <= _SHOWN_PATH else shown[: _SHOWN_PATH - 3] + "..."
        found = f"{shown} ({error.detail})" if error.detail else shown
        raise PolicyConfigError([Problem("$", error.expected, found)], f"{name} {shown}") from None
    return read_document(text, name=f"{name} {os.fspath(path)}")


def read_document(source: DocumentSource, *, name: str) -> tuple[Mapping[str, Any], str]:
    """Read a versioned document (TOML or JSON text, or parsed data) and check its
    ``schema_version``; every document this library reads goes through here.

    Args:
        source: TOML or JSON text (JSON starts with ``{``), or parsed data.
        name: How error messages name the document.

    Returns:
        The parsed top-level table and the document's label (``name``).

    Raises:
        PolicyConfigError: the text does not parse, is larger than 16 MiB, the top level is
            not a table, or the schema version is missing or unknown.

    >>> read_document("schema_version = 1\\nanswer = 42", name="example")
    ({'schema_version': 1, 'answer': 42}, 'example')
    >>> read_document("answer = 42", name="example")
    Traceback (most recent call last):
      ...
    reliability_policy.errors.PolicyConfigError: The example has 1 problem:
      $.schema_version: expected schema version 1, but the key is missing

    .. versionadded:: 0.1.0
    """
    data = _parse(source, name)
    problems = _shape_problems(data)
    if problems:
        raise PolicyConfigError(problems, name)
    return data, name


def _parse(source: object, label: str) -> Any:
    if isinstance(source, Mapping):
        return source
    if not isinstance(source, str):
        expected = "TOML or JSON text, or a mapping (for a file, use the load_* function)"
        raise PolicyConfigError([Problem("$", expected, source)], label)
    if len(source) > MAX_DOCUMENT_BYTES:
        expected = f"a document of at most {MAX_DOCUMENT_BYTES:,} characters"
        problem = Problem("$", expected, source[:40])
        raise PolicyConfigError([problem], label)
    is_json = source.lstrip().startswith("{")
    try:
        return json.loads(source) if is_json else tomllib.loads(source)
    except (ValueError, RecursionError) as error:
        if not is_json and source.lstrip().startswith("["):
            with contextlib.suppress(ValueError, RecursionError):
                return json.loads(source)  # a JSON array: reported as not a table
        kind = "JSON" if is_json else "TOML"
        raise PolicyConfigError([Problem("$", f"valid {kind}", str(error))], label) from None


def _shape_problems(data: Any) -> list[Problem]:
    """Problems with the document as a whole (not a table, wrong schema version)."""
    if not isinstance(data, Mapping):
        return [Problem("$", "a table (a JSON object) at the top level", data)]
    version = data.get("schema_version")
    if "schema_version" not in data:
        return [Problem("$.schema_version", f"schema version {SCHEMA_VERSION}", kind="missing")]
    if type(version) is not int or version != SCHEMA_VERSION:
        return [Problem("$.schema_version", f"schema version {SCHEMA_VERSION}", version)]
    return []


def check_policy(policy: Policy) -> list[Problem]:
    """Every semantic problem of a structured policy: the loader's own, then each concern's.

    Shape and type problems are found earlier, while structuring. Here the loader checks what
    belongs to no concern (tenant ids), then asks each concern to check its own section:
    ``severity.policy_problems``,
    :func:`reliability_policy.notifications.policy_problems`,
    ``maintenance.policy_problems`` and
    :func:`reliability_policy.security.policy_problems`.

    >>> from reliability_policy import default_policy
    >>> check_policy(default_policy())
    []

    .. versionadded:: 0.1.0
    """
    return [
        *_tenant_id_problems(policy.tenants),
        *severity.policy_problems(policy),
        *notifications.policy_problems(policy),
        *maintenance.policy_problems(policy),
        *security.policy_problems(policy),
        *continuity.policy_problems(policy),
        *statusfeed.policy_problems(policy),
    ]


def _tenant_id_problems(tenants: tuple[Tenant, ...]) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, tenant in enumerate(tenants):
        if not tenant.id:
            yield Problem(f"$.tenants[{i}].id", "a non-empty tenant id", tenant.id)
        if tenant.id in seen:
            yield Problem(f"$.tenants[{i}].id", "a tenant id listed once", tenant.id)
        seen.add(tenant.id)
