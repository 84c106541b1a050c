"""The ``reliability-policy`` command line (install the ``cli`` extra).

Every command reads and writes the library's JSON/TOML documents. Exit codes: 0 success
(or compliant), 1 a finding (for example breaches in an audit), 2 bad input, with every
problem on its own line and no traceback.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from reliability_policy.cli._app import main
from reliability_policy.cli import _policy as _policy  # noqa: F401  (registers commands)

__all__ = ["main"]
