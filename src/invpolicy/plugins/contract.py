"""What a plugin gives invpolicy: criteria and reply generators.

Both are compiled once per use in a policy (``compile(params)``) and then called
for each invitation, so parameter handling (lower-casing keywords, reading a
signature) happens once, not once per invitation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeGuard

# A criterion may not take an operator's name; the model, which knows how a
# condition is written, says which names those are.
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


@dataclass(frozen=True)
class Counts:
    """True when a number fact, or the length of a list fact, is in ``[at_least, below)``.

    Unknown when the fact is absent. Facts are never below 0.
    """

    fact: str
    at_least: float = 0
    below: float | None = None


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Mentions:
    """True when a text or list fact mentions one of ``words`` (folded), or anything at all
    when ``words`` is None. Unknown when the fact is absent."""

    fact: str
    words: frozenset[str] | None = None


#: What a criterion tests, for given parameters: lint's prover and the engine's
#: reasoning on linked facts read it instead of knowing criteria by name.
Logic = Counts | OneOf | Mentions


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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
