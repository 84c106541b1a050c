"""The house has one direction: no import circle, and no concern imports the loader.

The imports are read from the source with ``ast`` (function-level imports count too), so a
circle hidden behind a lazy import is found as well.
"""

from __future__ import annotations

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent / "src" / "reliability_policy"
CONCERNS = (
    "severity",
    "lifecycle",
    "notifications",
    "maintenance",
    "security",
    "continuity",
    "statusfeed",
    "invites",
)
# What each floor may import from the package (STYLE.md's picture), besides private helpers.
BELOW_THE_CONCERNS = (
    "defaults",
    "serialization",
    "policy",
    "timing",
    "findings",
    "levels",
    "errors",
)


def _module_name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: pathlib.Path, modules: set[str]) -> set[str]:
    """The package modules that ``path`` imports, anywhere in its body."""
    name = _module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in modules else base)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m in modules and m not in (name, "reliability_policy")}


def _graph() -> dict[str, set[str]]:
    paths = {_module_name(p): p for p in ROOT.rglob("*.py")}
    modules = set(paths)
    return {name: _imports(path, modules) for name, path in paths.items()}


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    found: list[list[str]] = []
    done: set[str] = set()
    stack: list[str] = []

    def visit(module: str) -> None:
        if module in stack:
            found.append([*stack[stack.index(module) :], module])
            return
        if module in done:
            return
        stack.append(module)
        for target in sorted(graph[module]):
            visit(target)
        stack.pop()
        done.add(module)

    for module in sorted(graph):
        visit(module)
    return found


def test_the_reader_sees_the_package():
    graph = _graph()
    assert "reliability_policy.loading" in graph
    assert "reliability_policy.severity" in graph["reliability_policy.loading"]


def test_there_is_no_import_circle():
    assert _circles(_graph()) == []


def test_the_circle_finder_finds_a_circle():
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]


@pytest.mark.parametrize("concern", CONCERNS)
def test_no_concern_imports_the_loader_or_anything_above_it(concern):
    imported = _graph()[f"reliability_policy.{concern}"]
    above = {"reliability_policy.loading", "reliability_policy.testing", "reliability_policy.cli"}
    assert not imported & above
    assert not any(m.startswith("reliability_policy.cli.") for m in imported)


@pytest.mark.parametrize("module", BELOW_THE_CONCERNS)
def test_the_floors_below_the_concerns_import_no_concern(module):
    imported = _graph()[f"reliability_policy.{module}"]
    concerns = {f"reliability_policy.{c}" for c in (*CONCERNS, "loading", "eventlog")}
    assert not imported & concerns


def test_dependencies_between_concerns_run_one_way():
    graph = _graph()
    allowed = {
        "severity": set(),
        "lifecycle": set(),
        "security": {"lifecycle"},
        "notifications": {"lifecycle", "security"},
        "maintenance": set(),
        "continuity": {"severity"},
        "statusfeed": {"lifecycle", "security", "maintenance"},
        "invites": {"maintenance"},
    }
    for concern, may in allowed.items():
        imported = {
            m.removeprefix("reliability_policy.") for m in graph[f"reliability_policy.{concern}"]
        }
        assert imported & set(CONCERNS) <= may, concern
