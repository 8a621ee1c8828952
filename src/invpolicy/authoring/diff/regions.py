"""The regions where two policies disagree: leaves merged, said in the policies' terms,
each with a witness invitation that lands in it."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import field
from typing import Any

from invpolicy.authoring.diff.search import Leaf, Outcome
from invpolicy.authoring.diff.space import SPANS, Dimension, range_said
from invpolicy.frozen import frozen

#: A term: for each dimension, the classes it may be in (None: any).
Term = tuple[frozenset[int] | None, ...]


@frozen
class Region:
    """Invitations that two policies decide differently, all the same way.

    ``when`` is a condition in the policies' terms: any one of its terms, each
    a list of things that all hold. ``witness`` is an invitation that lands in
    the region; ``assumes`` what it takes of a plugin's criteria that declare
    nothing (they cannot be made to answer by facts alone).
    """

    a: Outcome
    b: Outcome
    when: tuple[tuple[str, ...], ...]
    witness: dict[str, Any]
    assumes: dict[str, bool | None]
    #: The cells of the region: for each dimension, the classes it may be in.
    terms: tuple[Term, ...] = field(default=(), compare=False, repr=False)

    def holds(self, cell: Sequence[int]) -> bool:
        """Whether the cell (a class of each dimension) is in the region."""
        return any(
            all(classes is None or k in classes for classes, k in zip(term, cell, strict=True))
            for term in self.terms
        )

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "a": {"decision": self.a.decision, "rule": self.a.rule},
            "b": {"decision": self.b.decision, "rule": self.b.rule},
            "when": [list(term) for term in self.when],
            "witness": self.witness,
        }
        if self.assumes:
            out["assumes"] = self.assumes
        return out

    def said(self) -> str:
        """The condition in words: terms joined by "or", the parts of each by ";"."""
        terms = ["; ".join(term) for term in self.when if term]
        if not terms:
            return "always"
        if len(terms) == 1:
            return terms[0]
        return " or ".join(f"({term})" for term in terms)


def merge(terms: list[Term]) -> list[Term]:
    """Fewer terms for the same cells: two terms equal but on one dimension become one."""
    current = list(dict.fromkeys(terms))
    changed = True
    while changed:
        changed = False
        for d in range(len(current[0]) if current else 0):
            groups: dict[Term, list[Term]] = {}
            for term in current:
                key = (*term[:d], None, *term[d + 1 :])
                groups.setdefault(key, []).append(term)
            merged: list[Term] = []
            for key, group in groups.items():
                if len(group) == 1 or any(term[d] is None for term in group):
                    if any(term[d] is None for term in group):
                        merged.append(key)  # one of them holds the others
                        changed = changed or len(group) > 1
                    else:
                        merged.extend(group)
                    continue
                classes = frozenset().union(*(term[d] or frozenset() for term in group))
                merged.append((*key[:d], classes, *key[d + 1 :]))
                changed = True
            current = merged
    return current


def _free(term: Term, dims: Sequence[Dimension]) -> Term:
    """``term`` with each dimension that may be in any of its classes left free."""
    return tuple(
        None if classes is None or len(classes) == len(dim.classes) else classes
        for classes, dim in zip(term, dims, strict=True)
    )


def _values(fact: str, words: list[str]) -> str:
    """What a fact may be, in words; ranges of numbers that meet are said as one."""
    spans = sorted(SPANS[fact, w] for w in set(words) if (fact, w) in SPANS)
    others = list(dict.fromkeys(w for w in words if (fact, w) not in SPANS))
    joined: list[tuple[float, float | None]] = []
    for low, high in spans:
        if joined and joined[-1][1] is not None and joined[-1][1] >= low:
            last_high = joined[-1][1]
            joined[-1] = (joined[-1][0], None if high is None else max(high, last_high))
        else:
            joined.append((low, high))
    return " or ".join([*others, *(range_said(low, high) for low, high in joined)])


def _said(term: Term, dims: Sequence[Dimension]) -> tuple[str, ...]:
    """A term in words: what each dimension it cuts is, one part each."""
    parts = []
    for classes, dim in zip(term, dims, strict=True):
        if classes is None:
            continue
        chosen = [dim.classes[k] for k in sorted(classes)]
        alternatives = [said for c in chosen for said in (c.said, *c.also)]
        if len(dim.facts) == 1:
            fact = dim.facts[0]
            parts.append(f"{_shown(fact)} is {_values(fact, [a[0] for a in alternatives])}")
            continue
        pairs = set(alternatives)
        each = [sorted({said[i] for said in pairs}) for i in range(len(dim.facts))]
        if len(pairs) == len(set(itertools.product(*each))):
            # Every combination of the facts' values: each fact said on its own.
            every = [
                {said[i] for c in dim.classes for said in (c.said, *c.also)}
                for i in range(len(dim.facts))
            ]
            for fact, words, whole in zip(dim.facts, each, every, strict=True):
                if set(words) != whole:  # a fact that may be anything is left out
                    parts.append(f"{_shown(fact)} is {_values(fact, words)}")
            continue
        shown = [
            ", ".join(f"{_shown(f)} {w}" for f, w in zip(dim.facts, said, strict=True))
            for said in dict.fromkeys(alternatives)
        ]
        parts.append(shown[0] if len(shown) == 1 else "(" + "; or ".join(shown) + ")")
    return tuple(parts)


def _shown(fact: str) -> str:
    """A fact as the policies name it (a criterion that declares nothing: by its name,
    with its parameters if it has any)."""
    name, _, params = fact.partition(" ")
    return name if params in ("", "{}") else f"{name} {params}"


def _witness(
    term: Term, dims: Sequence[Dimension], number: int
) -> tuple[dict[str, Any], dict[str, bool | None]]:
    """An invitation in ``term``, and what it assumes of criteria that declare nothing."""
    facts: dict[str, Any] = {"id": f"region-{number}", "name": "Dominique Exemple"}
    assumes: dict[str, bool | None] = {}
    for classes, dim in zip(term, dims, strict=True):
        if classes is None:
            # Free: any class will do; the one with the fewest facts (unknown, often).
            k = min(range(len(dim.classes)), key=lambda i: len(dim.classes[i].facts))
        else:
            k = min(classes)
        chosen = dim.classes[k].facts
        for fact in dim.facts:
            if " " in fact:  # a criterion that declares nothing: an assumption
                if classes is not None:
                    assumes[_shown(fact)] = chosen.get(fact)
            elif fact in chosen:
                facts[fact] = chosen[fact]
    return facts, assumes


def regions(
    leaves: list[Leaf], dims: Sequence[Dimension], a_rules: Sequence[str], b_rules: Sequence[str]
) -> list[Region]:
    """The regions where the two outcomes' decisions differ, merged, in the order of
    A's rules, then B's."""
    groups: dict[tuple[Outcome, Outcome], list[Term]] = {}
    for leaf in leaves:
        if leaf.a.decision == leaf.b.decision:
            continue
        term: Term = tuple(None if k is None else frozenset({k}) for k in leaf.classes)
        groups.setdefault((leaf.a, leaf.b), []).append(term)
    found: list[Region] = []
    order = sorted(
        groups, key=lambda pair: (a_rules.index(pair[0].rule), b_rules.index(pair[1].rule))
    )
    for a, b in order:
        merged = merge([_free(term, dims) for term in merge(groups[a, b])])
        merged.sort(key=lambda term: _said(term, dims))
        witness, assumes = _witness(merged[0], dims, len(found) + 1)
        when = tuple(_said(term, dims) for term in merged)
        found.append(Region(a, b, when, witness, assumes, tuple(merged)))
    return found
