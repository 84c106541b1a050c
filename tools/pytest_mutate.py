"""A pytest plugin for ``nox -s mutate``: ``--mutate-module MODULE`` keeps only the test files
that exercise that module (``tools.mutate.TESTS_OF``).

The selection is an option rather than a list of files so that mutmut's record of a module's
run stays valid when a test file is added (mutmut discards every verdict when its test
selection changes); ``python -m tools.mutate --again`` then re-runs only what could change.
"""

from __future__ import annotations

from fnmatch import fnmatch
from pathlib import Path

import pytest

from tools.mutate import TESTS_OF


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--mutate-module",
        choices=sorted(TESTS_OF),
        help="collect only the test files that exercise this module",
    )


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    module = config.getoption("mutate_module")
    if module is None or collection_path.suffix != ".py" or collection_path.is_dir():
        return None
    if any(fnmatch(collection_path.name, pattern) for pattern in TESTS_OF[module]):
        return None
    return True
