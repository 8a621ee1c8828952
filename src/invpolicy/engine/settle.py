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
from invpolicy.schema.links import links, upper_bound

#: Settles an unknown criterion: its value and why, or None when still unknown.
Settle = Callable[[Facts], "tuple[bool, str] | None"]


def settler(logic: Logic | None) -> Settle | None:
    """How to settle a criterion that tests ``logic``; None when no link can."""
    if not isinstance(logic, Counts) or not any(link.fact == logic.fact for link in links()):
        return None
    fact, at_least, below = logic.fact, logic.at_least, logic.below

    def settle(facts: Facts) -> tuple[bool, str] | None:
        if facts.get(fact) is not None:
            return None
        bound = upper_bound(facts, fact)
        if bound is None:
            return None
        high, link = bound
        # The fact is somewhere in [0, high].
        if at_least > high:
            return False, link.describe(facts.get(link.at_most, high))
        if at_least <= 0 and (below is None or below > high):
            return True, link.describe(facts.get(link.at_most, high))
        return None

    return settle
