"""Check a criterion or reply generator against the plugin contract, for :mod:`invpolicy.testing`.

Each check calls the plugin with the parameter sets its schema gives as
examples and with sample invitations, and raises :class:`AssertionError` with
a message naming the criterion or generator at fault and saying what is wrong.
"""

from __future__ import annotations

import copy
import reprlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from invpolicy.errors import PluginError
from invpolicy.loading.semantics import is_language
from invpolicy.plugins.contract import (
    DECISIONS,
    NAME_RULE,
    Criterion,
    ReplyGenerator,
    declared_logic,
    is_reply_text,
    is_valid_name,
)
from invpolicy.plugins.registry import schema_validator

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

_short = reprlib.Repr()
_short.maxstring = 60
_short.maxother = 60
_short.maxdict = 6
_short.maxlist = 6


def failure(message: str) -> AssertionError:
    # pytest rewrites only the asserts of test modules, so the message is the
    # whole report: it must say what is wrong without the traceback.
    return AssertionError(message)


# --- the facts criteria and renderers are tried on ---------------------------

#: Free-text values for the invitation fields that hold text, positive then plain.
_TEXT: Mapping[str, tuple[str, str]] = {
    "language": ("fr", "en"),
    "headline": ("Responsable marketing digital chez Atelier Martin", "Software engineer"),
    "company": ("Atelier Martin", "Northwind Traders"),
    "message": (
        "Bonjour, nous nous sommes parlé au salon du numérique de Lyon : "
        "j'aimerais garder le contact.",
        "",
    ),
    "follow_up": (
        "Je prépare une reconversion dans le marketing et j'aimerais votre avis sur deux "
        "formations.",
        "Thanks! We offer a free audit of your ad spend: book a call here.",
    ),
    "sent_at": ("2026-01-29T14:37", "2025-11-03T09:05"),
    "profile_url": ("https://www.linkedin.com/in/lea-martin", "https://example.org/sam"),
}


def _value(name: str, kind: str, choices: tuple[str, ...], positive: bool) -> Any:
    """A value of the field's kind: one that makes its criteria true, or false."""
    if kind == "boolean":
        return positive
    if kind == "integer":
        return 12 if positive else 0
    if kind == "number":
        return 9.5 if positive else 0
    if kind == "strings":
        return ["Lyon", "Community managers de France"] if positive else []
    if kind == "choice":
        return choices[0] if positive else choices[-1]
    texts = _TEXT.get(name, (f"some {name.replace('_', ' ')}", ""))
    return texts[0] if positive else texts[1]


@cache
def _samples() -> tuple[tuple[str, Mapping[str, Any]], ...]:
    """The invitations built from the invitation schema, as a criterion receives them."""
    from invpolicy.model.invitation import build_invitation
    from invpolicy.resources import validator
    from invpolicy.schema.fields import invitation_fields

    fields = invitation_fields()

    def every_field(positive: bool) -> dict[str, Any]:
        return {
            field.name: _value(field.name, field.kind, field.choices, positive)
            for field in fields.values()
        }

    drafts: dict[str, dict[str, Any]] = {
        "a bare invitation (id and name only)": {"id": "bare", "name": "Kim Lee"},
        "an invitation with every fact known and favourable": {
            **every_field(True),
            "id": "all-yes",
            "name": "Léa Martin",
        },
        "an invitation with every fact known and unfavourable": {
            **every_field(False),
            "id": "all-no",
            "name": "Sam Ortiz",
        },
        "an invitation with unusual text and an extra field": {
            "id": "odd",
            "name": "Zoë O'Brien-Núñez 🌿",
            "network": fields["network"].choices[-1] if "network" in fields else "other",
            "headline": "   ",
            "company": "Ünïcødé & Co — ДЕМО",
            "message": "\n",
            "city": "Saint-Étienne",
        },
    }
    check = validator("invitation", "invitation")
    samples: list[tuple[str, Mapping[str, Any]]] = []
    for label, data in drafts.items():
        # A field whose schema this generic value does not fit (a pattern added
        # later, say) is left out rather than tried with a value no file holds.
        for error in check.iter_errors(data):
            if error.absolute_path:
                data.pop(str(error.absolute_path[0]), None)
        problems = [error.message for error in check.iter_errors(data)]
        if problems:  # pragma: no cover - the drafts above are valid
            raise RuntimeError(f"invpolicy.testing: sample '{label}' is invalid: {problems}")
        samples.append((label, build_invitation(data).facts))
    return tuple(samples)


def sample_facts() -> list[dict[str, Any]]:
    """The invitations :func:`check_criterion` tries by default, without the empty one.

    Built from the invitation schema (every field it knows, with favourable
    and unfavourable values, plus unusual text and an extra field), as a
    criterion receives them. Add your own to them to keep both::

        check_criterion(criterion, [{}, *sample_facts(), {"city": "Lyon", ...}])
    """
    return [copy.deepcopy(dict(facts)) for _, facts in _samples()]


def _facts_to_try(
    facts: Sequence[Mapping[str, Any]], *, empty: bool
) -> Iterator[tuple[str, Mapping[str, Any]]]:
    if facts:
        for i, mapping in enumerate(facts):
            yield f"facts[{i}] {_short.repr(dict(mapping))}", mapping
        return
    if empty:
        yield "the empty facts {}", {}
    yield from _samples()


# --- what criteria and generators share ---------------------------------------


def _check_header(what: str, name: Any, description: Any) -> None:
    if not is_valid_name(name):
        raise failure(f"{what}: {name!r} is not a valid name ({NAME_RULE})")
    if not isinstance(description, str) or not description.strip():
        raise failure(f"{what}: the description must be a sentence for people, not {description!r}")


def _schema_validator(what: str, schema: Any) -> Validator:
    from jsonschema.exceptions import SchemaError

    if not isinstance(schema, Mapping | bool):
        raise failure(f"{what}: params_schema must be a mapping, not {type(schema).__name__}")
    try:
        return schema_validator(schema)
    except SchemaError as exc:
        raise failure(
            f"{what}: params_schema is not a valid JSON Schema (draft 2020-12): {exc.message}"
        ) from None


def _param_sets(
    what: str, schema: Any, validator: Validator, given: Sequence[Mapping[str, Any]]
) -> list[Mapping[str, Any]]:
    """The schema's own ``examples`` and ``given``, each checked against the schema.

    With neither, ``{}`` is tried if the schema accepts it (a criterion
    written with no parameters gets ``{}``); otherwise nothing is compiled.
    """
    from jsonschema.exceptions import best_match

    examples = schema.get("examples", []) if isinstance(schema, Mapping) else []
    candidates = [("the schema's examples", item) for item in examples]
    candidates += [("params", item) for item in given]
    for where, params in candidates:
        if not isinstance(params, Mapping):
            raise failure(
                f"{what}: a parameter set in {where} must be a mapping, not {_short.repr(params)}"
            )
        error = best_match(validator.iter_errors(params))
        if error is not None:
            at = "".join(f"[{part!r}]" for part in error.absolute_path)
            raise failure(
                f"{what}: its params_schema refuses the parameter set {_short.repr(params)} "
                f"from {where}: {at + ': ' if at else ''}{error.message}"
            )
    if candidates:
        return [params for _, params in candidates]
    return [{}] if validator.is_valid({}) else []


def _compile(what: str, compile_: Any, params: Mapping[str, Any], produces: str) -> Any:
    if not callable(compile_):
        raise failure(f"{what}: compile must be callable, not {type(compile_).__name__}")
    try:
        compiled = compile_(params)
    except Exception as exc:
        raise failure(
            f"{what}: compile({_short.repr(params)}) raised {type(exc).__name__}: {exc}"
        ) from exc
    if not callable(compiled):
        raise failure(
            f"{what}: compile({_short.repr(params)}) must return {produces}, "
            f"not {type(compiled).__name__}"
        )
    return compiled


def _call(function: Callable[..., Any], facts: Mapping[str, Any], *args: Any) -> tuple[Any, bool]:
    """Call ``function`` on a copy of ``facts``: its result, and whether it changed them."""
    given = copy.deepcopy(dict(facts))
    result = function(given, *args)
    return result, given != dict(facts)


# --- criteria -----------------------------------------------------------------


def check_criterion(
    criterion: Criterion,
    facts: Sequence[Mapping[str, Any]] = (),
    *,
    params: Sequence[Mapping[str, Any]] = (),
) -> None:
    """Check that ``criterion`` honours the contract; raise :class:`AssertionError` if not.

    Checks its name and description; that ``params_schema`` is a valid JSON
    Schema (draft 2020-12) accepting every parameter set in its own
    ``examples`` keyword and in ``params``; that the facts it declares are
    invitation fields or keys of ``facts``; and that, compiled with each
    parameter set (``{}`` when there is none and the schema accepts it), its
    check returns exactly ``True``, ``False`` or ``None`` for each mapping of
    ``facts``, without raising or changing them. ``facts`` defaults to the
    empty mapping and the invitations of :func:`sample_facts`.
    """
    if not isinstance(criterion, Criterion):
        raise failure(f"expected a Criterion, got {type(criterion).__name__}: {criterion!r}")
    what = f"criterion {criterion.name!r}"
    _check_header(what, criterion.name, criterion.description)
    declared = criterion.facts
    if not isinstance(declared, tuple) or not all(isinstance(f, str) for f in declared):
        raise failure(f"{what}: facts must be a tuple of field names, not {declared!r}")
    from invpolicy.schema.fields import invitation_fields

    known = set(invitation_fields()).union(*(mapping.keys() for mapping in facts))
    unknown = [fact for fact in declared if fact not in known]
    if unknown:
        raise failure(
            f"{what} reads facts that the invitation schema does not know: "
            f"{', '.join(unknown)}; pass facts mappings that hold them "
            "(check_criterion(criterion, [{...}]))"
        )
    validator = _schema_validator(what, criterion.params_schema)
    for param_set in _param_sets(what, criterion.params_schema, validator, params):
        check = _compile(what, criterion.compile, param_set, "a check (a callable)")
        try:
            declared_logic(criterion, "under test", param_set)
        except PluginError as exc:
            raise failure(f"{what} with params {_short.repr(param_set)}: {exc}") from exc
        for label, mapping in _facts_to_try(facts, empty=True):
            try:
                result, changed = _call(check, mapping)
            except Exception as exc:
                raise failure(
                    f"{what} with params {_short.repr(param_set)} raised "
                    f"{type(exc).__name__}: {exc} on {label}; a check must not raise "
                    "(answer None when a fact it needs is absent)"
                ) from exc
            if result is not True and result is not False and result is not None:
                raise failure(
                    f"{what} with params {_short.repr(param_set)} returned "
                    f"{_short.repr(result)} ({type(result).__name__}) on {label}; "
                    "expected exactly True, False or None"
                )
            if changed:
                raise failure(
                    f"{what} with params {_short.repr(param_set)} changed the facts it was "
                    f"given ({label}); the other criteria read the same mapping"
                )


# --- reply generators ---------------------------------------------------------


def check_reply_generator(
    generator: ReplyGenerator,
    facts: Sequence[Mapping[str, Any]] = (),
    *,
    params: Sequence[Mapping[str, Any]] = (),
) -> None:
    """Check that ``generator`` honours the contract; raise :class:`AssertionError` if not.

    Checks its name and description; that it declares at least one language,
    each a code a policy can write (``de``, ``pt-BR``), and decisions among
    those a rule can take; that ``params_schema`` is a valid JSON Schema
    accepting every parameter set in its ``examples`` keyword and in
    ``params``; and that, compiled with each parameter set, its renderer
    writes a non-empty string in every declared language for each mapping of
    ``facts`` (default: the invitations of :func:`sample_facts`; a reply is
    always written for an invitation, so never for empty facts).
    """
    if not isinstance(generator, ReplyGenerator):
        raise failure(f"expected a ReplyGenerator, got {type(generator).__name__}: {generator!r}")
    what = f"reply generator {generator.name!r}"
    _check_header(what, generator.name, generator.description)
    languages = generator.languages
    if not isinstance(languages, tuple) or not languages:
        raise failure(f"{what} must declare the languages it writes, such as ('fr', 'en')")
    bad = [language for language in languages if not is_language(language)]
    if bad:
        raise failure(
            f"{what}: {', '.join(map(repr, bad))} is not a language code (such as 'de' or 'pt-BR')"
        )
    decisions = generator.decisions
    if not isinstance(decisions, tuple) or not decisions:
        raise failure(
            f"{what} must say which decisions its text suits, some of {', '.join(DECISIONS)}; "
            f"got {decisions!r}"
        )
    unknown = [decision for decision in decisions if decision not in DECISIONS]
    if unknown:
        raise failure(
            f"{what}: {', '.join(map(repr, unknown))} is not a decision "
            f"(a rule decides one of {', '.join(DECISIONS)})"
        )
    validator = _schema_validator(what, generator.params_schema)
    for param_set in _param_sets(what, generator.params_schema, validator, params):
        render = _compile(what, generator.compile, param_set, "a renderer (a callable)")
        for label, mapping in _facts_to_try(facts, empty=False):
            for language in languages:
                try:
                    text, changed = _call(render, mapping, language)
                except Exception as exc:
                    raise failure(
                        f"{what} with params {_short.repr(param_set)} raised "
                        f"{type(exc).__name__}: {exc} writing {language!r} for {label}"
                    ) from exc
                if not is_reply_text(text):
                    raise failure(
                        f"{what} with params {_short.repr(param_set)} wrote "
                        f"{_short.repr(text)} in {language!r} for {label}; "
                        "expected a non-empty string"
                    )
                if changed:
                    raise failure(
                        f"{what} with params {_short.repr(param_set)} changed the facts it "
                        f"was given ({label})"
                    )
