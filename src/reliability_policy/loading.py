"""Loading and validating policy documents (TOML or JSON), with every problem reported at once.

>>> from reliability_policy import load_policy
>>> load_policy('''
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

import json
import os
import pathlib
import tomllib
from collections.abc import Iterator, Mapping
from typing import Any, Final

import attrs

from reliability_policy import maintenance, notifications, security, severity
from reliability_policy.defaults import default_data
from reliability_policy.errors import PolicyConfigError, Problem
from reliability_policy.policy import SCHEMA_VERSION, Policy, Tenant
from reliability_policy.serialization import structure

__all__ = [
    "PolicySource",
    "TenantsDocument",
    "check_policy",
    "load_policy",
    "load_tenants",
    "read_document",
]

PolicySource = str | os.PathLike[str] | Mapping[str, Any]
"""Where a policy document comes from; TOML or JSON text, a ``.toml``/``.json`` path, or data."""

_FILE_SUFFIXES: Final = (".toml", ".json")


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
    source: PolicySource, *, tenants: PolicySource | None = None, name: str | None = None
) -> Policy:
    """Load and validate a policy document; optionally add a separate tenant terms document.

    A document may be partial: a key it leaves out takes the default policy's value (tables
    merge key by key; a list replaces the default's list whole). A key the format does not
    have is an error, so a typo never falls back to a default silently.

    Args:
        source: TOML or JSON text, a path to a ``.toml`` or ``.json`` file, or parsed data.
        tenants: An optional tenant terms document (``[[tenants]]`` entries), same forms.
        name: How error messages name the document (default: its file name or "policy
            document").

    Returns:
        The validated policy.

    Raises:
        PolicyConfigError: the document has problems; every one is listed with its key path,
            the value found, and what was expected. Unknown keys are problems too.

    .. versionadded:: 0.1.0
    """
    data, label = read_document(source, name=name or "policy document")
    policy = structure(_overlay(default_data(), data), Policy, source=label)
    if tenants is not None:
        extra = load_tenants(tenants)
        policy = attrs.evolve(policy, tenants=policy.tenants + extra)
    problems = check_policy(policy)
    if problems:
        raise PolicyConfigError(problems, label)
    return policy


def load_tenants(source: PolicySource, *, name: str | None = None) -> tuple[Tenant, ...]:
    """Load a tenant terms document (``schema_version`` and ``[[tenants]]``).

    The tenants are checked against a policy when passed to :func:`load_policy`.

    Raises:
        PolicyConfigError: the document has problems, each listed with its path.

    .. versionadded:: 0.1.0
    """
    data, label = read_document(source, name=name or "tenant terms document")
    return structure(data, TenantsDocument, source=label).tenants


def read_document(source: PolicySource, *, name: str) -> tuple[Mapping[str, Any], str]:
    """Read a versioned document (TOML or JSON text, a path, or parsed data) and check its
    ``schema_version``; every document this library reads goes through here.

    Args:
        source: TOML or JSON text, a path to a ``.toml`` or ``.json`` file, or parsed data.
        name: How error messages name the document when it is not a file.

    Returns:
        The parsed top-level table and the document's label (its path, or ``name``).

    Raises:
        PolicyConfigError: the file cannot be read, the text does not parse, the top level
            is not a table, or the schema version is missing or unknown.

    >>> read_document("schema_version = 1\\nanswer = 42", name="example")
    ({'schema_version': 1, 'answer': 42}, 'example')
    >>> read_document("answer = 42", name="example")
    Traceback (most recent call last):
      ...
    reliability_policy.errors.PolicyConfigError: The example has 1 problem:
      $.schema_version: expected schema version 1, but the key is missing

    .. versionadded:: 0.1.0
    """
    data, label = _read(source, name)
    problems = _shape_problems(data)
    if problems:
        raise PolicyConfigError(problems, label)
    return data, label


def _read(source: PolicySource, label: str) -> tuple[Any, str]:
    if isinstance(source, Mapping):
        return source, label
    if isinstance(source, os.PathLike) or (
        isinstance(source, str) and "\n" not in source and source.endswith(_FILE_SUFFIXES)
    ):
        path = pathlib.Path(source)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            problem = Problem("$", "a readable UTF-8 file", f"{path}: {error}")
            raise PolicyConfigError([problem], str(path)) from None
        return _parse(text, path.suffix == ".json", str(path)), str(path)
    if not isinstance(source, str):
        problem = Problem("$", "TOML or JSON text, a path, or a mapping", source)
        raise PolicyConfigError([problem], label)
    return _parse(source, source.lstrip().startswith("{"), label), label


def _parse(text: str, is_json: bool, label: str) -> Any:
    try:
        return json.loads(text) if is_json else tomllib.loads(text)
    except (ValueError, RecursionError) as error:
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
    :func:`reliability_policy.severity.policy_problems`,
    :func:`reliability_policy.notifications.policy_problems`,
    :func:`reliability_policy.maintenance.policy_problems` and
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
    ]


def _tenant_id_problems(tenants: tuple[Tenant, ...]) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, tenant in enumerate(tenants):
        if not tenant.id:
            yield Problem(f"$.tenants[{i}].id", "a non-empty tenant id", tenant.id)
        if tenant.id in seen:
            yield Problem(f"$.tenants[{i}].id", "a tenant id listed once", tenant.id)
        seen.add(tenant.id)
