"""Mutation testing of every concern module and the loader: ``nox -s mutate``.

Runs mutmut (its settings: ``[tool.mutmut]`` of pyproject.toml) over each module named on the
command line, or all of them, each against the tests that exercise it (``TESTS_OF``), then
prints one row per module::

    python -m tools.mutate                    # every module, from scratch
    python -m tools.mutate severity loading   # two modules
    python -m tools.mutate --again            # re-run what the last run did not kill
    python -m tools.mutate --table            # the table of the last run, without running
    python -m tools.mutate --survivors severity   # each survivor of a module, as a diff

Each module runs in its own work directory, ``.mutate/<module>/``, whose pyproject.toml is the
project's with ``only_mutate`` and the test selection set for that module. mutmut runs each
mutant against those of the module's tests that call the mutated function (it records which in
a first, traced run). A survivor that changes nothing a caller can observe is an *equivalent*
mutant: it is listed in ``tools/mutation_equivalents.toml`` with the changed line and one line
of reason, and counted apart. The score is (killed + timed out) / (mutants - equivalent);
``--check`` exits 1 when a module scores under 90%.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import tomli_w

PACKAGE = "reliability_policy"
MODULES = (
    "severity",
    "lifecycle",
    "notifications",
    "maintenance",
    "security",
    "continuity",
    "statusfeed",
    "invites",
    "loading",
)
ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutate"
EQUIVALENTS = ROOT / "tools" / "mutation_equivalents.toml"
TARGET = 0.90
# The tests that exercise each module (file patterns under tests/): each mutant of the module
# runs against those of them that call its function.
TESTS_OF = {
    "severity": ["test_severity*.py"],
    "lifecycle": ["test_lifecycle*.py", "test_eventlog.py", "test_commitments.py"],
    "notifications": ["test_notifications*.py", "test_notice_content.py"],
    "maintenance": ["test_maintenance*.py"],
    "security": ["test_security*.py", "test_dpa_secrecy.py"],
    "continuity": ["test_continuity*.py"],
    "statusfeed": ["test_statusfeed*.py"],
    "invites": ["test_invites*.py"],
    "loading": ["test_policy_document.py", "test_loading*.py", "test_cli_policy.py"],
}

# mutmut's exit-code vocabulary (mutmut.stats.status_by_exit_code), folded into our columns.
_STATUS = {
    1: "killed",
    3: "killed",
    0: "survived",
    5: "no tests",
    33: "no tests",
    34: "skipped",
    36: "timeout",
    24: "timeout",
    -24: "timeout",
    152: "timeout",
    255: "timeout",
    None: "not run",
}
_NUMBER = re.compile(r"__mutmut_\d+$")
_LINKED = ("src", "tests", "examples", "docs", "tools", "README.md")


def status_of(exit_code: int | None) -> str:
    return _STATUS.get(exit_code, "suspicious")


def module_of(mutant: str) -> str:
    """``reliability_policy.severity.x_classify__mutmut_3`` -> ``severity``."""
    return mutant.split(".")[1]


def mutants_of(module: str) -> Path:
    return WORK / module / "mutants"


def _project() -> dict[str, Any]:
    project: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return project


def test_files(module: str) -> list[str]:
    """The test files that exercise ``module``, less those the mutation runs leave out."""
    ignored = {
        arg.removeprefix("--ignore=")
        for arg in _project()["tool"]["mutmut"]["pytest_add_cli_args_test_selection"]
        if arg.startswith("--ignore=")
    }
    found = {
        path.relative_to(ROOT).as_posix()
        for pattern in TESTS_OF[module]
        for path in (ROOT / "tests").glob(pattern)
    }
    # the files that pin contracts first: a cold run stops at the first failure
    return sorted(found - ignored, key=lambda name: (not name.endswith("_contract.py"), name))


def prepare(module: str, *, keep: bool = False) -> Path:
    """The work directory of ``module``: the project's files linked in, and a pyproject.toml
    whose ``[tool.mutmut]`` mutates this module against its own tests. With ``keep``, the
    records of the last run (``mutants/``) are kept; otherwise the directory starts empty."""
    work = WORK / module
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    for name in _LINKED:
        link = work / name
        if link.is_symlink():
            link.unlink()
        link.symlink_to(ROOT / name)
    project = _project()
    settings = project["tool"]["mutmut"]
    settings["only_mutate"] = [f"src/{PACKAGE}/{module}.py"]
    settings["pytest_add_cli_args_test_selection"] += ["--mutate-module", module]
    (work / "pyproject.toml").write_text(tomli_w.dumps(project))
    return work


def run(module: str, max_children: int | None, *, again: bool = False, cold: bool = True) -> None:
    """Run every mutant of ``module`` from scratch; or, ``again``, only the mutants whose
    verdict could have changed since the last run: those of functions changed since (mutmut
    re-runs them by itself) and every mutant that was not killed. Then check the survivors in
    cold code again."""
    again = again and (mutants_of(module) / "mutmut-stats.json").exists()
    work = prepare(module, keep=again)
    command = [sys.executable, "-m", "mutmut", "run"]
    if max_children:
        command += ["--max-children", str(max_children)]
    subprocess.run(command, cwd=work, check=True)
    if again:
        statuses = results([module]).get(module, {})
        unkilled = [name for name, status in statuses.items() if status != "killed"]
        if unkilled:
            subprocess.run([*command, *unkilled], cwd=work, check=True)
    if cold:
        confirm_cold(module)


def _codes(module: str) -> dict[str, int | None]:
    meta = mutants_of(module) / "src" / PACKAGE / f"{module}.py.meta"
    if not meta.exists():
        return {}
    codes: dict[str, int | None] = json.loads(meta.read_text())["exit_code_by_key"]
    return codes


def results(modules: Iterable[str]) -> dict[str, dict[str, str]]:
    """Each module's mutants and their status, from the records of its last run."""
    found: dict[str, dict[str, str]] = {}
    for module in modules:
        codes = _codes(module)
        if not codes:
            continue
        statuses = {name: status_of(code) for name, code in codes.items()}
        cold = mutants_of(module) / "cold-results.json"
        if cold.exists():
            statuses.update(json.loads(cold.read_text()))
        found[module] = statuses
    return found


def cold_functions(module: str) -> set[str]:
    """The functions of ``module`` whose mutants mutmut's warm workers cannot see: those the
    module calls or hands over at import time (a cattrs hook factory is called once and its
    hook kept), and those whose results are cached. mutmut forks each worker from a process that
    has already imported the library and run the tests, so a mutant there survives by default;
    :func:`confirm_cold` checks each such survivor again in a fresh interpreter."""
    tree = ast.parse((ROOT / "src" / PACKAGE / f"{module}.py").read_text())
    cold: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            methods = node.body if isinstance(node, ast.ClassDef) else [node]
            for method in methods:
                if isinstance(method, ast.FunctionDef) and any(
                    "cache" in ast.unparse(decorator) for decorator in method.decorator_list
                ):
                    prefix = f"xǁ{node.name}ǁ" if isinstance(node, ast.ClassDef) else "x_"
                    cold.add(f"{PACKAGE}.{module}.{prefix}{method.name}")
            continue
        for call in ast.walk(node):
            if isinstance(call, ast.Call):
                cold.update(
                    f"{PACKAGE}.{module}.x_{name.id}"
                    for name in ast.walk(call)
                    if isinstance(name, ast.Name)
                )
    return cold


def _cold_run(module: str, mutant: str, command: list[str]) -> tuple[str, int | None]:
    mutants = mutants_of(module)
    environment = {**os.environ, "MUTANT_UNDER_TEST": mutant, "PYTHONPATH": str(mutants / "src")}
    try:
        done = subprocess.run(
            command, cwd=mutants, env=environment, capture_output=True, timeout=900
        )
    except subprocess.TimeoutExpired:
        return mutant, 36
    return mutant, done.returncode


def confirm_cold(module: str) -> None:
    """Run each survivor in a cold function of ``module`` again, in a fresh interpreter that
    imports the library with the mutant switched on, against the module's tests; record the
    verdicts beside mutmut's."""
    cold = cold_functions(module)
    work = [
        name
        for name, code in _codes(module).items()
        if status_of(code) == "survived" and _NUMBER.sub("", name) in cold
    ]
    print(f"{module}: {len(work)} survivors in import-time or cached code, checked cold")
    command = [sys.executable, "-m", "pytest", "--rootdir=.", "--tb=no", "-x", "-q"]
    command += [*_project()["tool"]["mutmut"]["pytest_add_cli_args"], *test_files(module)]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        verdicts = dict(pool.map(lambda name: _cold_run(module, name, command), work))
    statuses = {name: status_of(code) for name, code in verdicts.items()}
    (mutants_of(module) / "cold-results.json").write_text(json.dumps(statuses, indent=1))


def diff(mutant: str) -> str:
    """The changed lines of one mutant, as ``mutmut show`` prints them (read in-process: one
    ``mutmut show`` per survivor would start an interpreter each)."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    module = module_of(mutant)
    with contextlib.chdir(WORK / module):
        shown = get_diff_for_mutant(mutant, path=Path("src") / PACKAGE / f"{module}.py")
    return "\n".join(
        line
        for line in shown.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    )


def changed_line(mutant: str) -> str:
    """The mutated line(s) of one mutant, stripped: what the equivalents file quotes."""
    return " / ".join(line[1:].strip() for line in diff(mutant).splitlines() if line[0] == "+")


def equivalents() -> dict[str, dict[str, str]]:
    """The reviewed equivalent mutants: name -> {"mutant", "change", "reason"}."""
    if not EQUIVALENTS.exists():
        return {}
    listed = tomllib.loads(EQUIVALENTS.read_text()).get("equivalent", [])
    return {entry["mutant"]: entry for entry in listed}


def check_equivalents(found: dict[str, dict[str, str]]) -> list[str]:
    """Problems with the equivalents file: a listed mutant that no longer exists, was killed, or
    whose mutated line changed since it was reviewed."""
    problems = []
    for name, entry in equivalents().items():
        module = module_of(name)
        if module not in found:
            continue
        status = found[module].get(name)
        if status is None:
            problems.append(f"{name}: listed as equivalent but no longer generated")
        elif status != "survived":
            problems.append(f"{name}: listed as equivalent but {status}; remove it")
        elif changed_line(name) != entry["change"]:
            problems.append(f"{name}: the mutated line changed since it was reviewed")
    return problems


def table(found: dict[str, dict[str, str]]) -> tuple[list[str], bool]:
    """The Markdown table, one row per module and a total; and whether every module met the
    target."""
    listed = equivalents()
    rows = [
        "| module | mutants | killed | survived | equivalent | timed out | no tests | score |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    total: Counter[str] = Counter()
    met = True
    for module, statuses in found.items():
        counts = Counter(statuses.values())
        equivalent = sum(1 for name, s in statuses.items() if s == "survived" and name in listed)
        counts["equivalent"] = equivalent
        counts["survived"] -= equivalent
        counts["mutants"] = len(statuses)
        total.update(counts)
        score = _score(counts)
        met = met and score >= TARGET
        rows.append(_row(f"`{module}`", counts, score))
    rows.append(_row("**all**", total, _score(total)))
    return rows, met


def _score(counts: Counter[str]) -> float:
    """Killed or timed out (a mutant that makes the tests hang is caught: the run never
    passes), out of every mutant that is not equivalent."""
    judged = counts["mutants"] - counts["equivalent"]
    return (counts["killed"] + counts["timeout"]) / judged if judged else 1.0


def _row(label: str, counts: Counter[str], score: float) -> str:
    cells = ["mutants", "killed", "survived", "equivalent", "timeout", "no tests"]
    numbers = " | ".join(str(counts[cell]) for cell in cells)
    return f"| {label} | {numbers} | {score:.1%} |"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nox -s mutate --", description=__doc__.split("\n")[0])
    parser.add_argument("modules", nargs="*", metavar="MODULE", help=", ".join(MODULES))
    parser.add_argument("--table", action="store_true", help="print the last run's table only")
    parser.add_argument("--survivors", action="store_true", help="show each survivor's diff")
    parser.add_argument("--check", action="store_true", help="exit 1 under 90%% in a module")
    parser.add_argument("--max-children", type=int, help="parallel workers (default: cores)")
    parser.add_argument(
        "--no-cold", action="store_true", help="skip the cold check of import-time survivors"
    )
    parser.add_argument(
        "--again", action="store_true", help="re-run only what was not killed in the last run"
    )
    args = parser.parse_args(argv)
    unknown = sorted(set(args.modules) - set(MODULES))
    if unknown:
        parser.error(f"unknown module {unknown[0]!r}; expected one of {', '.join(MODULES)}")
    modules = tuple(args.modules) or MODULES
    if not (args.table or args.survivors):
        for module in modules:
            run(module, args.max_children, again=args.again, cold=not args.no_cold)
    found = results(modules)
    if args.survivors:
        listed = equivalents()
        for statuses in found.values():
            for name, status in statuses.items():
                if status == "survived" and name not in listed:
                    print(f"# {name}\n{diff(name)}\n")
        return 0
    rows, met = table(found)
    print("\n".join(rows))
    problems = check_equivalents(found)
    for problem in problems:
        print(f"equivalents file: {problem}", file=sys.stderr)
    if args.check and (problems or not met):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
