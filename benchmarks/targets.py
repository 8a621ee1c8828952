"""A target: a figure against its limit, met or not, said in a sentence and in a table row."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """One target of the run.

    ``line`` is its sentence in the page's Targets list; ``what``, ``figure``
    and ``wanted`` are its cells in the short Speed table, which leaves out the
    targets whose ``brief`` is False.
    """

    line: str
    what: str
    figure: str
    wanted: str
    met: bool
    brief: bool = True


def met(ratio: float, limit: float, *, below: bool = False) -> bool:
    """``ratio`` at most ``limit`` (strictly below it with ``below``)."""
    return ratio < limit if below else ratio <= limit


def verdict(ratio: float, limit: float, *, below: bool = False) -> str:
    """Met or not, and a warning when the figure is within 10% of the limit."""
    said = "met" if met(ratio, limit, below=below) else "not met"
    if abs(ratio - limit) < 0.1 * limit:
        said += ", within 10% of the target, which run-to-run noise can cross"
    return said


def goal(ratio: float, aim: float | None) -> str:
    """``; goal met`` or ``; goal not met``, for a target that also has a goal."""
    if aim is None:
        return ""
    return "; goal met" if ratio <= aim else "; goal not met"
