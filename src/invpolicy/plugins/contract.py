"""What a plugin gives invpolicy: criteria and reply generators.

Both are compiled once per use in a policy (``compile(params)``) and then called
for each invitation, so parameter handling (lower-casing keywords, reading a
signature) happens once, not once per invitation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import field
from typing import Any, TypeGuard

# A criterion may not take an operator's name; the model, which knows how a
# condition is written, says which names those are.
from invpolicy.frozen import frozen
from invpolicy.model.visitor import OPERATORS

#: The facts of one invitation. An absent key is an unknown fact.
Facts = Mapping[str, Any]

#: A compiled criterion: ``True``, ``False``, or ``None`` when it cannot tell.
Check = Callable[[Facts], "bool | None"]

#: A compiled reply generator: writes the reply to one invitation in a language.
Render = Callable[[Facts, str], str]

#: What a policy rule can decide. A reply generator says which of these its
#: texts suit, so that a reply never announces what the decision does not do.
DECISIONS = ("accept", "accept_limited", "ask", "decline", "ignore", "defer")

#: What :func:`is_valid_name` accepts, told to the author of a name it refuses.
NAME_RULE = (
    f"lower-case letters, digits and '_', starting with a letter; not {', '.join(OPERATORS)}"
)

_NAME = re.compile(r"[a-z][a-z0-9_]*")


def is_valid_name(name: object) -> bool:
    """Whether ``name`` can name a criterion or reply generator (see :data:`NAME_RULE`).

    A policy writes the name as a key of a condition, beside the operators.
    """
    return isinstance(name, str) and _NAME.fullmatch(name) is not None and name not in OPERATORS


def is_reply_text(text: object) -> TypeGuard[str]:
    """Whether a renderer wrote a reply: a string with more than white space in it."""
    return isinstance(text, str) and bool(text.strip())


#: The parameter schema of something that takes no parameters.
NO_PARAMS: Mapping[str, Any] = {"type": "object", "additionalProperties": False}


def _no_params() -> Mapping[str, Any]:
    return NO_PARAMS


# --- What a criterion tests, declared as data --------------------------------------------


@frozen
class Counts:
    """True when a number fact, or the length of a list fact, is in ``[at_least, below)``.

    Unknown when the fact is absent. Facts are never below 0.
    """

    fact: str
    at_least: float = 0
    below: float | None = None


@frozen
class OneOf:
    """True when a fact's value is one of ``values``, out of the values it can take (``domain``).

    ``reading`` names what is compared when it is not the value itself but
    what is read from it (``"kind of answer"`` for the follow-up classifier's
    outcome): two tests compare the same thing only when fact and reading are
    equal. ``always_known``: the test is never unknown (an absent fact counts
    as one of the ``domain``).
    """

    fact: str
    values: frozenset[Any]
    domain: frozenset[Any]
    reading: str = ""
    always_known: bool = False


@frozen
class Mentions:
    """True when a text or list fact mentions one of ``words`` (folded), or anything at all
    when ``words`` is None. Unknown when the fact is absent."""

    fact: str
    words: frozenset[str] | None = None


#: What a criterion tests, for given parameters: lint's prover and the engine's
#: reasoning on linked facts read it instead of knowing criteria by name.
Logic = Counts | OneOf | Mentions


@frozen
class Criterion:
    """A test a policy rule can run on an invitation.

    ``facts`` names the invitation fields the criterion reads: when its check
    returns ``None`` the absent ones are reported as missing. ``params_schema``
    is a JSON Schema for the mapping the policy writes after the criterion's
    name; a policy whose parameters do not match it fails validation.
    ``logic``, optional, says what the criterion tests for given parameters
    (one of :data:`Logic`); its check must answer the same. Without it, the
    criterion is opaque to lint, and facts that other facts settle (see the
    invitation schema's ``x-at-most``) do not decide it.
    """

    name: str
    description: str
    facts: tuple[str, ...]
    compile: Callable[[Mapping[str, Any]], Check]
    params_schema: Mapping[str, Any] = field(default_factory=_no_params)
    logic: Callable[[Mapping[str, Any]], Logic] | None = None


def logic_problem(logic: object) -> str | None:
    """What is wrong with a declaration a criterion's ``logic`` returned, or None."""
    if not isinstance(logic, Counts | OneOf | Mentions):
        return f"returned {type(logic).__name__}, expected Counts, OneOf or Mentions"
    if not isinstance(logic.fact, str) or not logic.fact:
        return f"names its fact with {logic.fact!r}, expected a field's name"
    if isinstance(logic, Counts):
        bounds = [("at_least", logic.at_least), ("below", logic.below)]
        for name, value in bounds:
            if value is None and name == "below":
                continue
            if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
                return f"gives {name}={value!r}, expected a number"
    elif isinstance(logic, OneOf):
        if not isinstance(logic.values, frozenset) or not isinstance(logic.domain, frozenset):
            return "gives values and domain that are not frozensets"
        if not logic.values <= logic.domain:
            return "gives values that are not all in its domain"
        if not isinstance(logic.reading, str) or not isinstance(logic.always_known, bool):
            return "gives a reading that is not text, or always_known that is not a boolean"
    elif logic.words is not None and (
        not isinstance(logic.words, frozenset) or not all(isinstance(w, str) for w in logic.words)
    ):
        return "gives words that are not a frozenset of strings"
    return None


def declared_logic(criterion: Criterion, owner: str, params: Mapping[str, Any]) -> Logic | None:
    """What ``criterion`` declares it tests with ``params``; None if it declares nothing.

    A declaration that fails or makes no sense is the plugin's error, said as
    one :class:`~invpolicy.errors.PluginError`.
    """
    from invpolicy.errors import PluginError

    if criterion.logic is None:
        return None
    what = f"criterion '{criterion.name}' of plugin {owner}"
    try:
        logic = criterion.logic(params)
    except Exception as exc:
        raise PluginError(f"{what}: its logic failed: {type(exc).__name__}: {exc}") from exc
    problem = logic_problem(logic)
    if problem is not None:
        raise PluginError(f"{what}: its logic {problem}")
    return logic


@frozen
class ReplyGenerator:
    """Writes the message that goes with a decision, in one of ``languages``.

    ``decisions`` lists the decisions its texts suit (a welcome suits
    ``accept``, not ``decline``); a policy rule that pairs it with another
    decision fails validation.
    """

    name: str
    description: str
    languages: tuple[str, ...]
    compile: Callable[[Mapping[str, Any]], Render]
    params_schema: Mapping[str, Any] = field(default_factory=_no_params)
    decisions: tuple[str, ...] = DECISIONS
