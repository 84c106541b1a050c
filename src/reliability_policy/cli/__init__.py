"""The ``reliability-policy`` command line (install the ``cli`` extra).

Every command reads and writes the library's JSON/TOML documents. Exit codes: 0 success
(or compliant), 1 a finding (for example breaches in an audit), 2 bad input, with every
problem on its own line and no traceback.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from reliability_policy.cli import _continuity as _continuity
from reliability_policy.cli import _lifecycle as _lifecycle
from reliability_policy.cli import _maintenance as _maintenance
from reliability_policy.cli import _notifications as _notifications
from reliability_policy.cli import _policy as _policy
from reliability_policy.cli import _security as _security
from reliability_policy.cli import _severity as _severity
from reliability_policy.cli import _statusfeed as _statusfeed
from reliability_policy.cli._app import main

__all__ = ["main"]
