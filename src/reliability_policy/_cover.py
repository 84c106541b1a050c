"""The fewest sets that cover every element, then the least total cost: a MIP solved by HiGHS.

:func:`~reliability_policy.maintenance.plan_waves` asks it for the fewest waves. Sets and
elements are plain indices here; what they stand for (slots, groups of tenants) stays with the
caller. Two integer programs over binary ``x[s]`` (set ``s`` is chosen), each element covered
at least once (``sum of x[s] over the sets holding e >= 1``):

1. minimise ``sum x[s]``: the fewest sets, ``k``;
2. add ``sum x[s] <= k`` and minimise ``sum cost[s] * x[s]``: the cheapest of those covers.

Both objectives have integer coefficients, so a cover whose value is within one of the solver's
lower bound is proven optimal. Each answer is the better of the solver's cover and the best one
known before it (the caller's greedy cover, then the first solve's), so past the time limit the
answer is never worse than that.

HiGHS is imported on first use: ``import reliability_policy`` stays free of it (and of numpy).
The low-level ``_Highs`` class is used because ``highspy.Highs()`` writes HiGHS's banner to
standard output on construction, before any option can turn the output off
(ERGO-Code/HiGHS#2749); a library must write nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Final

import attrs

if TYPE_CHECKING:
    from highspy._core import _Highs

__all__ = ["Cover", "fewest_sets"]

_CHOSEN: Final = 0.5
"""A binary column whose value is above this is chosen (solvers return 0.9999999 for 1)."""
_FEASIBLE: Final = 2
"""HiGHS's ``primal_solution_status`` for a feasible solution (0: none, 1: infeasible)."""
_PROOF: Final = 0.5
"""An integer objective whose value is less than this above the lower bound is optimal."""


@attrs.frozen
class Cover:
    """The chosen sets, ascending, and whether the solver proved them optimal.

    ``proven`` means no cover has fewer sets and none with as many sets costs less.
    """

    chosen: tuple[int, ...]
    proven: bool


def fewest_sets(
    sets: Sequence[Sequence[int]],
    elements: int,
    costs: Sequence[int],
    start: Sequence[int],
    time_limit: float,
) -> Cover:
    """The fewest of ``sets`` covering elements ``0 .. elements - 1``, then the least cost.

    Args:
        sets: The elements each set holds.
        elements: How many elements there are; each is in at least one set.
        costs: An integer cost per set, for choosing among the fewest.
        start: A cover to fall back on (indices into ``sets``), such as a greedy one.
        time_limit: Seconds for the solver; past them, the best cover found so far, not
            proven (with no time at all, ``start`` itself).
    """
    everything = [index for index, held in enumerate(sets) if len(set(held)) == elements]
    if everything:  # one set is the fewest possible: the cheapest such one is proven
        return Cover((min(everything, key=lambda index: (costs[index], index)),), True)
    fallback = tuple(sorted(start))
    if time_limit <= 0:
        return Cover(fallback, False)
    solver = _model(sets, elements, time_limit)
    fewest, proven = _solve(solver, sets, elements, fallback, len)
    remaining = time_limit - solver.getRunTime()
    if not proven or remaining <= 0:
        return Cover(fewest, False)
    # Keep to that many sets and choose the cheapest of them.
    count = len(sets)
    everyone = list(range(count))
    solver.addRow(-math.inf, float(len(fewest)), count, everyone, [1.0] * count)
    solver.changeColsCost(count, everyone, [float(cost) for cost in costs])
    solver.setOptionValue("time_limit", remaining)
    return Cover(
        *_solve(solver, sets, elements, fewest, lambda chosen: sum(costs[i] for i in chosen))
    )


def _model(sets: Sequence[Sequence[int]], elements: int, time_limit: float) -> _Highs:
    """HiGHS, silent, holding problem 1: binary columns (sets), a covering row per element."""
    from highspy._core import HighsLp, HighsVarType, MatrixFormat, _Highs

    solver = _Highs()
    solver.setOptionValue("output_flag", False)  # before anything else (see the docstring)
    solver.setOptionValue("time_limit", float(time_limit))
    solver.setOptionValue("mip_rel_gap", 0.0)
    starts = [0]
    indices: list[int] = []
    for held in sets:
        indices.extend(sorted(set(held)))
        starts.append(len(indices))
    count = len(sets)
    problem = HighsLp()
    problem.num_col_ = count
    problem.num_row_ = elements
    problem.col_cost_ = [1.0] * count
    problem.col_lower_ = [0.0] * count
    problem.col_upper_ = [1.0] * count
    problem.row_lower_ = [1.0] * elements
    problem.row_upper_ = [math.inf] * elements
    problem.a_matrix_.format_ = MatrixFormat.kColwise
    problem.a_matrix_.start_ = starts
    problem.a_matrix_.index_ = indices
    problem.a_matrix_.value_ = [1.0] * len(indices)
    problem.integrality_ = [HighsVarType.kInteger] * count
    solver.passModel(problem)
    return solver


def _solve(
    solver: _Highs,
    sets: Sequence[Sequence[int]],
    elements: int,
    known: tuple[int, ...],
    value: Callable[[tuple[int, ...]], int],
) -> tuple[tuple[int, ...], bool]:
    """Run the solver; the better of its cover and ``known``, and whether that is proven.

    The proof is the solver's lower bound, not its word: an objective of integers is optimal
    when no integer lies between the bound and its value. (HiGHS 1.16 can call a MIP start
    "optimal" with a bound of 0 when presolve drops the start's columns, so no start is given:
    ``known`` is compared afterwards instead.)
    """
    solver.run()
    info = solver.getInfo()
    best = known
    if info.primal_solution_status == _FEASIBLE:
        found = solver.getSolution().col_value
        chosen = tuple(index for index in range(len(sets)) if found[index] > _CHOSEN)
        covered = {element for index in chosen for element in sets[index]}
        if len(covered) == elements and value(chosen) <= value(known):
            best = chosen
    return best, value(best) - info.mip_dual_bound < _PROOF
