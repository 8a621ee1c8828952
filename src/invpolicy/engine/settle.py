"""Criteria that other facts decide: a declared count test on a fact that a known fact bounds.

When a criterion declares that it tests a count (:class:`~invpolicy.plugins.contract.Counts`)
and its fact is unknown, the links of the invitation schema
(:mod:`invpolicy.schema.links`) may still decide it: with 0 mutual connections,
"at least 1 of them in your sector" is false. The criterion's own check is
asked first; only what it leaves unknown is settled here, for any criterion,
built-in or a plugin's, that declares its logic.
"""

from __future__ import annotations

from collections.abc import Callable

from invpolicy.plugins.contract import Counts, Facts, Logic
from invpolicy.schema.links import links, lower_bound, upper_bound

#: Settles an unknown criterion: its value and why, or None when still unknown.
Settle = Callable[[Facts], "tuple[bool, str] | None"]


def settler(logic: Logic | None) -> Settle | None:
    """How to settle a criterion that tests ``logic``; None when no link can."""
    if not isinstance(logic, Counts) or not any(
        logic.fact in (link.fact, link.at_most) for link in links()
    ):
        return None
    fact, at_least, below = logic.fact, logic.at_least, logic.below

    def settle(facts: Facts) -> tuple[bool, str] | None:
        if facts.get(fact) is not None:
            return None
        high, low = upper_bound(facts, fact), lower_bound(facts, fact)
        if high is None and low is None:
            return None
        # The fact is somewhere in [least, most]; most is None when unbounded.
        reasons = []
        least, most = 0.0, None
        if low is not None:
            least = low[0]
            reasons.append(low[1].describe_from_below(facts.get(low[1].fact, low[0])))
        if high is not None:
            most = high[0]
            reasons.append(high[1].describe(facts.get(high[1].at_most, high[0])))
        why = ", and ".join(reasons)
        if at_least <= least and (below is None or (most is not None and below > most)):
            return True, why
        if (most is not None and at_least > most) or (below is not None and below <= least):
            return False, why
        return None

    return settle
