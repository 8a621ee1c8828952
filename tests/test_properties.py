"""Properties that must hold for every valid policy and invitation, and for any file at all.

The policies are drawn from the built-in criteria and reply generators, whose
parameters come from their own schemas; the invitations from the invitation
schema, with text of every kind. The hostile files are random bytes, random
YAML, and the bundled policies damaged a little, each given to the command line.

Examples are drawn derandomized by default, so a run in CI is the same every
time. ``HYPOTHESIS_PROFILE=long`` draws twenty times as many, at random, and
keeps the failures found in ``.hypothesis/`` to try them first next time.
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import Phase, example, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from invpolicy import Invitation, compare, load_policy
from invpolicy.cli import cli
from invpolicy.engine.compiled import CompiledPolicy
from invpolicy.engine.decision import Decision, Score
from invpolicy.engine.language import inviter_language
from invpolicy.errors import InvpolicyError
from invpolicy.io.composer import (
    ENTRIES_BOUNDS,
    POLICY_BOUNDS,
    RECORDS_BOUNDS,
    REQUESTS_BOUNDS,
    Bounds,
)
from invpolicy.io.fastload import quick_data
from invpolicy.io.safeload import parse_document
from invpolicy.plugins.manager import make_plugin_manager
from invpolicy.plugins.registry import Registry
from invpolicy.schema.fields import invitation_fields
from invpolicy.text import inert

REPO = Path(__file__).resolve().parent.parent
POLICY_FILES = sorted((REPO / "policies").glob("*.yaml"))
DECISIONS = ["accept", "accept_limited", "ask", "decline", "ignore", "defer"]

# Settings ----------------------------------------------------------------------

#: ``ci`` (the default): as many examples as each test asks, derandomized, no database.
#: ``long``: twenty times as many, random, with the example database.
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
if PROFILE not in ("ci", "long"):
    raise ValueError(f"HYPOTHESIS_PROFILE={PROFILE!r}: use 'ci' or 'long'")


def examples(count: int) -> settings:
    """Settings for a test that draws ``count`` examples in the ``ci`` profile."""
    if PROFILE == "long":
        return settings(max_examples=count * 20, deadline=None)
    # Without the explain phase, which can take minutes to word a failure.
    phases = [phase for phase in Phase if phase is not Phase.explain]
    return settings(
        max_examples=count, deadline=None, derandomize=True, database=None, phases=phases
    )


#: The built-in criteria and reply generators only, whatever else is installed.
REGISTRY = Registry(make_plugin_manager(entry_points=False, disabled=()))

# Values from a JSON Schema --------------------------------------------------------

#: Text of every kind: control characters, right-to-left marks, emoji, long runs.
SPECIAL = [
    "\x00",
    "\x1b[31m",
    "\t",
    "\n",
    "\r\n",
    "\u0085",
    "\u2028",
    "\u200b",
    "\u202e",
    "\ufeff",
    "\u05e9\u05dc\u05d5\u05dd",
    "\u0645\u0631\u062d\u0628\u0627",
    "\U0001f600",
    "\U0001f469\u200d\U0001f4bb",
    "e\u0301",
    "'",
    '"',
    "\\",
    "*",
    "#",
    ": ",
    "- ",
    "&a",
    "*a",
    "!!python/object/apply:os.system",
    "{{",
    "<script>",
]


def texts(max_size: int = 2000, *, min_size: int = 0) -> st.SearchStrategy[str]:
    """Short text of any characters, the special ones above, and long text (repeated)."""
    return st.one_of(
        st.text(min_size=min_size, max_size=min(max_size, 20)),
        st.lists(st.sampled_from(SPECIAL) | st.text(max_size=3), min_size=min_size, max_size=8)
        .map("".join)
        .filter(lambda text: min_size <= len(text) <= max_size),
        st.builds(
            lambda unit, times: (unit * times)[:max_size],
            st.text(min_size=1, max_size=8),
            st.integers(40, 400),
        ),
    )


TEXT = texts()
NONEMPTY_TEXT = texts(min_size=1)


def from_schema(schema: Mapping[str, Any]) -> st.SearchStrategy[Any]:
    """Values that ``schema`` accepts, for the few keywords the built-in plugins use.

    Any other keyword is an error, so that a new one cannot make values the
    schema refuses.
    """
    known = {
        "type",
        "properties",
        "required",
        "additionalProperties",
        "minProperties",
        "minimum",
        "minLength",
        "maxLength",
        "pattern",
        "items",
        "minItems",
        "maxItems",
        "enum",
        "default",
        "description",
    }
    unknown = set(schema) - known
    if unknown:
        raise NotImplementedError(f"schema keywords {sorted(unknown)} in {schema}")
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "object":
        assert schema.get("additionalProperties") is False, schema
        properties = {k: from_schema(v) for k, v in schema.get("properties", {}).items()}
        required = set(schema.get("required", ()))
        least = schema.get("minProperties", 0)
        return st.fixed_dictionaries(
            {key: value for key, value in properties.items() if key in required},
            optional={key: value for key, value in properties.items() if key not in required},
        ).filter(lambda data: len(data) >= least)
    if kind == "integer":
        return st.integers(min_value=schema.get("minimum"), max_value=10**6)
    if kind == "number":
        low = schema.get("minimum")
        return st.integers(min_value=low, max_value=10**6) | st.floats(
            min_value=low, max_value=1e6, allow_nan=False
        )
    if kind == "string":
        longest = schema.get("maxLength", 2000)
        shortest = schema.get("minLength", 0)
        if "pattern" in schema:
            # Text around a match, when the pattern is not anchored.
            text = st.from_regex(schema["pattern"])
        else:
            text = texts(longest, min_size=shortest)
        return text.filter(lambda s: shortest <= len(s) <= longest)
    if kind == "array":
        return st.lists(
            from_schema(schema["items"]),
            min_size=schema.get("minItems", 0),
            max_size=min(schema.get("maxItems", 4), 4),
        )
    raise NotImplementedError(f"schema type {kind!r}")


def params(schema: Mapping[str, Any]) -> st.SearchStrategy[dict[str, Any] | None]:
    """A criterion's or generator's parameters; null or ``{}`` when it may take none."""
    values = from_schema(schema)
    if schema.get("required") or schema.get("minProperties"):
        return values
    return st.none() | values


# Policies --------------------------------------------------------------------------

IDENT = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,15}", fullmatch=True)
NAME = st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True)


def under(key: str) -> Callable[[Any], dict[str, Any]]:
    """A function putting its argument under ``key``: ``{key: value}``."""
    return lambda value: {key: value}


CRITERION_CHECKS = st.one_of(
    [
        params(criterion.params_schema).map(under(name))
        for name, criterion in sorted(REGISTRY.criteria.items())
    ]
)
BOUND = st.integers(-(10**6), 10**6) | st.floats(-1e6, 1e6, allow_nan=False)


@st.composite
def score_tests(draw: st.DrawFn) -> dict[str, Any]:
    bounds = draw(st.sets(st.sampled_from(["at_least", "below"]), min_size=1))
    low, high = sorted(draw(st.lists(BOUND, min_size=2, max_size=2, unique=True)))
    test = {"at_least": low, "below": high}
    return {"score": {key: value for key, value in test.items() if key in bounds}}


def conditions(*, scoring: bool) -> st.SearchStrategy[dict[str, Any]]:
    """Conditions nesting all, any and not; score tests only in the rules of a scoring policy."""
    leaves = (CRITERION_CHECKS | score_tests()) if scoring else CRITERION_CHECKS
    return st.recursive(
        leaves,
        lambda parts: st.one_of(
            st.lists(parts, min_size=1, max_size=3).map(lambda items: {"all": items}),
            st.lists(parts, min_size=1, max_size=3).map(lambda items: {"any": items}),
            parts.map(lambda part: {"not": part}),
        ),
        max_leaves=6,
    )


def replies(decision: str) -> st.SearchStrategy[dict[str, Any] | None]:
    """No reply, or one from a generator that writes for ``decision``."""
    choices = [
        st.builds(
            lambda p, name=name: {"generator": name} | ({} if p is None else {"params": p}),
            params(generator.params_schema),
        )
        for name, generator in sorted(REGISTRY.generators.items())
        if decision in generator.decisions
    ]
    return (st.none() | st.one_of(choices)) if choices else st.none()


@st.composite
def rules(draw: st.DrawFn, *, scoring: bool) -> list[dict[str, Any]]:
    ids = draw(st.lists(IDENT, min_size=1, max_size=5, unique=True))
    out = []
    for i, ident in enumerate(ids):
        rule: dict[str, Any] = {"id": ident}
        if draw(st.booleans()):
            rule["description"] = draw(TEXT)
        # Only the last rule must go without a condition; an earlier one rarely does.
        last = i == len(ids) - 1
        if not last and draw(st.integers(0, 9)):
            rule["when"] = draw(conditions(scoring=scoring))
        rule["decision"] = draw(st.sampled_from(DECISIONS))
        reply = draw(replies(rule["decision"]))
        if reply is not None:
            rule["reply"] = reply
        out.append(rule)
    return out


@st.composite
def signals(draw: st.DrawFn) -> list[dict[str, Any]]:
    ids = draw(st.lists(IDENT, min_size=1, max_size=4, unique=True))
    weight = st.one_of(
        st.integers(-1000, -1),
        st.integers(1, 1000),
        st.floats(-1000, 1000, allow_nan=False).filter(bool),
    )
    return [
        {"id": ident, "when": draw(conditions(scoring=False)), "weight": draw(weight)}
        for ident in ids
    ]


@st.composite
def policies(draw: st.DrawFn) -> dict[str, Any]:
    """A valid policy, as the data of its file."""
    data: dict[str, Any] = {
        "format": 1,
        "name": draw(NAME),
        "title": draw(NONEMPTY_TEXT),
        "summary": draw(NONEMPTY_TEXT),
        "author": draw(NONEMPTY_TEXT),
        "sources": draw(
            st.lists(
                st.fixed_dictionaries(
                    {"article": NONEMPTY_TEXT}, optional={"title": TEXT, "note": TEXT}
                ),
                min_size=1,
                max_size=2,
            )
        ),
    }
    language = draw(st.sampled_from([None, "en", "fr"]))
    if language is not None:
        data["language"] = language
    scoring = draw(st.booleans())
    if scoring:
        data["scoring"] = draw(signals())
    data["rules"] = draw(rules(scoring=scoring))
    return data


# Invitations ---------------------------------------------------------------------

NETWORKS = ["linkedin", "viadeo", "facebook", "twitter", "other"]
MESSAGES = [
    "I'd like to add you to my professional network on LinkedIn.",
    "Bonjour, j'aimerais vous inviter à rejoindre mon réseau.",
    "We met at the Lyon meetup; I'd like to add you to my network.",
    "Hi, thanks!",
]
FOLLOW_UPS = [
    "Our agency helps B2B brands double their leads. Book a call: https://calendly.com/jade",
    "Fair enough. I'm looking for advice on UX research, because your posts helped me a lot.",
    "Merci, à bientôt.",
    "   ",
]
KNOWN_FIELDS = set(invitation_fields())
# Whole numbers of up to 64 bits, the limit of the files (invpolicy.io.limits.MAX_INT_BITS).
LARGEST = 2**64 - 1
COUNT = st.integers(0, 12) | st.integers(0, LARGEST) | st.integers(0, 50).map(float)
# YAML, which reads JSON files too, takes keys of up to 1024 characters as
# written: 80 characters stay under it even when each is a 12-character escape.
KEYS = texts(80)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-LARGEST, LARGEST) | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=5,
)


def nullable(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | values


def invitation_data(
    *, infinite: bool = False, null_network: bool = False
) -> st.SearchStrategy[dict[str, Any]]:
    """An invitation as a file holds it: ``id`` and ``name``, then any known facts, or null.

    ``infinite`` allows an infinite ``experience_years``: the Python API takes
    one, a file cannot hold one. ``null_network`` allows ``network: null``,
    which docs/invitations.md allows and the schema refuses (see
    :func:`test_every_invitation_the_documentation_allows_is_accepted`).
    """
    network = st.sampled_from(NETWORKS)
    years = st.integers(0, 60) | st.floats(min_value=0, allow_nan=False, allow_infinity=infinite)
    keywords = st.sampled_from(["Recruteuse RH", "Senior Talent Acquisition", "UX designer"])
    known = st.fixed_dictionaries(
        {"id": NONEMPTY_TEXT, "name": NONEMPTY_TEXT},
        optional={
            "network": nullable(network) if null_network else network,
            "language": nullable(
                st.sampled_from(["en", "fr", "de", "pt-BR"])
                | st.from_regex(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")
            ),
            "headline": nullable(TEXT | keywords),
            "company": nullable(TEXT),
            "message": nullable(TEXT | st.sampled_from(MESSAGES)),
            "mutual_connections": nullable(COUNT),
            "mutual_in_sector": nullable(COUNT),
            "shared_groups": nullable(st.lists(TEXT, max_size=3)),
            "common_ground": nullable(st.lists(TEXT | st.just("school"), max_size=3)),
            "met_in_person": nullable(st.booleans()),
            "exchanges": nullable(COUNT),
            "experience_years": nullable(years),
            "posts": nullable(COUNT),
            "profile_visible": nullable(st.booleans()),
            "follow_up": nullable(TEXT | st.sampled_from(FOLLOW_UPS)),
            "sent_at": nullable(TEXT),
            "profile_url": nullable(TEXT),
        },
    )
    extra = st.dictionaries(
        KEYS.filter(lambda key: key not in KNOWN_FIELDS), JSON_VALUES, max_size=2
    )
    return st.builds(lambda facts, more: _linked({**more, **facts}), known, extra)


def _linked(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with the links of the invitation schema kept (mutual_in_sector at most
    mutual_connections), which docs/invitations.md says an invitation must keep."""
    within, total = data.get("mutual_in_sector"), data.get("mutual_connections")
    numbers = (int, float)
    if isinstance(within, numbers) and isinstance(total, numbers) and within > total:
        data["mutual_in_sector"] = total
    return data


def invitation_lists(*, infinite: bool = False, min_size: int = 0) -> st.SearchStrategy[list[Any]]:
    return st.lists(
        invitation_data(infinite=infinite),
        min_size=min_size,
        max_size=5,
        unique_by=lambda data: data["id"],
    )


# Helpers -----------------------------------------------------------------------------


def dump_yaml(data: Any, *, block: bool = False) -> str:
    """``data`` as YAML text; ``block``: in block style, as people write policies.

    ruamel.yaml writes some text it cannot read back: ``?0`` unquoted in flow
    style is refused, and U+0085 in a quoted scalar is read as a space. Block
    style avoids the first; the properties below do not depend on the second.
    """
    yaml = YAML(typ="safe", pure=True)
    yaml.allow_unicode = True
    yaml.default_flow_style = False if block else None
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


@contextmanager
def folder() -> Iterator[Path]:
    """A fresh folder for each example (pytest's tmp_path is shared by all examples)."""
    with tempfile.TemporaryDirectory(prefix="invpolicy-prop-") as name:
        yield Path(name)


def write_policy(where: Path, data: dict[str, Any], name: str | None = None) -> Path:
    """The policy written as block-style YAML to ``<name>.yaml``, under ``name`` if given."""
    if name is not None:
        data = {**data, "name": name}
    path = where / f"{data['name']}.yaml"
    path.write_text(dump_yaml(data, block=True), encoding="utf-8")
    return path


def score_without_traces(score: Score | None) -> Score | None:
    """The score, without the conditions' traces that ``explain`` adds."""
    if score is None:
        return None
    return replace(
        score, contributions=tuple(replace(c, condition=None) for c in score.contributions)
    )


def essentials(decision: Decision) -> tuple[Any, ...]:
    return (
        decision.decision,
        decision.rule,
        decision.missing,
        decision.reply,
        decision.on_follow_up,
        score_without_traces(decision.score),
        decision.error,
    )


# Valid policies, valid invitations --------------------------------------------------


def test_the_schema_strategies_cover_every_built_in_plugin() -> None:
    """Every built-in criterion and generator has parameters the strategies can draw."""
    schemas = [plugin.params_schema for plugin in REGISTRY.criteria.values()]
    schemas += [plugin.params_schema for plugin in REGISTRY.generators.values()]
    for schema in schemas:
        from_schema(schema)
    assert len(REGISTRY.criteria) >= 14
    assert len(REGISTRY.generators) >= 7


@examples(100)
@given(data=invitation_data(infinite=True, null_network=True))
def test_every_invitation_the_documentation_allows_is_accepted(data: dict[str, Any]) -> None:
    """docs/invitations.md: only id and name are required, and every other field may be null."""
    invitation = Invitation.from_dict(data)
    assert invitation.id == data["id"]
    assert invitation.name == data["name"]
    known = {key: value for key, value in data.items() if value is not None}
    assert dict(invitation.facts) == {"network": "linkedin", **known}


@pytest.mark.slow
@examples(60)
@given(policy=policies(), invitations=invitation_lists(infinite=True))
def test_deciding_never_fails_and_is_deterministic(
    policy: dict[str, Any], invitations: list[dict[str, Any]]
) -> None:
    with folder() as where:
        compiled = load_policy(write_policy(where, policy), REGISTRY)
    rule_ids = [rule["id"] for rule in policy["rules"]]
    for data in invitations:
        invitation = Invitation.from_dict(data)
        first = compiled.decide(invitation)
        assert compiled.decide(invitation) == first
        explained = compiled.decide(invitation, explain=True)
        assert compiled.decide(invitation, explain=True) == explained
        assert essentials(explained) == essentials(first)

        assert first.error is None
        assert first.decision in DECISIONS
        assert first.rule in rule_ids
        # A fact reported missing is one the invitation does not give, listed once.
        assert len(set(first.missing)) == len(first.missing)
        assert not set(first.missing) & set(invitation.facts)

        # The explanation ends with the rule that fired, and only it fired.
        assert explained.trace is not None
        fired = [step.rule for step in explained.trace if step.fired]
        assert fired == [first.rule] == [explained.trace[-1].rule]
        assert all(step.fired == (step.value is True) for step in explained.trace)
        assert [step.rule for step in explained.trace] == rule_ids[: len(explained.trace)]

        rule = policy["rules"][rule_ids.index(first.rule)]
        _check_reply(first, rule, invitation, compiled)
        _check_score(first, policy)


def _check_reply(
    decision: Decision, rule: dict[str, Any], invitation: Invitation, policy: CompiledPolicy
) -> None:
    if "reply" not in rule:
        assert decision.reply is None
        return
    assert decision.reply is not None
    assert decision.reply.generator == rule["reply"]["generator"]
    assert decision.reply.text.strip()
    wanted = invitation.language if invitation.language in ("en", "fr") else None
    if invitation.language is None:
        # Without a language, the one the inviter wrote in, when their words say.
        inferred = inviter_language(invitation.facts)
        wanted = None if inferred is None else inferred[0]
    assert decision.reply.language == (wanted or policy.language)


def _check_score(decision: Decision, policy: dict[str, Any]) -> None:
    if "scoring" not in policy:
        assert decision.score is None
        return
    score = decision.score
    assert score is not None
    assert [c.signal for c in score.contributions] == [s["id"] for s in policy["scoring"]]
    assert score.low <= score.total <= score.high


@pytest.mark.slow
@examples(40)
@given(policy=policies(), invitations=invitation_lists(infinite=True), copy=NAME)
def test_a_policy_compared_with_itself_always_agrees(
    policy: dict[str, Any], invitations: list[dict[str, Any]], copy: str
) -> None:
    if copy == policy["name"]:
        copy += "-copy"
    with folder() as where:
        original = load_policy(write_policy(where, policy), REGISTRY)
        twin = load_policy(write_policy(where, policy, copy), REGISTRY)
    report = compare([Invitation.from_dict(data) for data in invitations], [original, twin])
    rows = list(report.rows)
    assert len(rows) == len(invitations)
    for row in rows:
        assert row.agree
        mine, theirs = row.decisions[original.name], row.decisions[twin.name]
        assert essentials(mine)[:-1] == essentials(theirs)[:-1]
    assert report.summary.agreed == len(invitations)
    expected = 1.0 if invitations else None
    assert report.summary.agreement(original.name, twin.name) == expected


@pytest.mark.slow
@examples(25)
@given(policy=policies(), invitations=invitation_lists(min_size=1), copy=NAME)
def test_the_command_line_compares_two_copies_of_a_policy_as_identical(
    policy: dict[str, Any], invitations: list[dict[str, Any]], copy: str
) -> None:
    if copy == policy["name"]:
        copy += "-copy"
    with folder() as where:
        first = write_policy(where, policy)
        second = write_policy(where, policy, copy)
        # JSON escapes every character outside ASCII, so each id reads back exactly.
        inputs = where / "invitations.json"
        inputs.write_text(json.dumps({"invitations": invitations}), encoding="utf-8")
        args = ["compare", str(inputs), "-p", str(first), "-p", str(second), "--format", "json"]
        result = invoke(args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["policies"] == [policy["name"], copy]
    assert [row["invitation"] for row in report["results"]] == [i["id"] for i in invitations]
    for row in report["results"]:
        assert row["agree"] is True
        mine, theirs = (row["decisions"][name] for name in (policy["name"], copy))
        assert mine == theirs
    summary = report["summary"]
    assert summary["agreed"] == summary["invitations"] == len(invitations)
    assert summary["agreement"] == {policy["name"]: {copy: 1.0}, copy: {policy["name"]: 1.0}}


# Hostile files through the command line ---------------------------------------------

#: A problem line: ``path:line:col: message``.
PROBLEM = re.compile(r"(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)")

VOCABULARY = sorted(
    {
        "format",
        "name",
        "title",
        "summary",
        "author",
        "sources",
        "article",
        "language",
        "scoring",
        "weight",
        "rules",
        "id",
        "description",
        "when",
        "decision",
        "reply",
        "generator",
        "params",
        "all",
        "any",
        "not",
        "score",
        "at_least",
        "below",
        "examples",
        "invitation",
        "expect",
        "insert",
        "replace",
        "drop",
        "reply_params",
        "invitations",
        *KNOWN_FIELDS,
        *REGISTRY.criteria,
        *REGISTRY.generators,
        *DECISIONS,
    }
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    TEXT,
    st.sampled_from(VOCABULARY),
)
YAML_DATA = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(VOCABULARY) | TEXT, inner, max_size=4)
    ),
    max_leaves=12,
)


#: The text that stands for the path of a file that a YAML tag would create if it ran.
MARKER = "MARKER"

#: Pieces of YAML syntax inserted into the bundled policies.
PIECES = [
    f"!!python/object/apply:os.system ['touch {MARKER}'] ",
    f"!!python/object/apply:subprocess.call [[touch, {MARKER}]] ",
    "!!python/name:os.system ",
    "!!binary ",
    "!!set ",
    "!!omap ",
    "!!str ",
    "!!int ",
    "!custom ",
    "&anchor ",
    "*anchor ",
    "<<: *anchor\n",
    "? ",
    "--- ",
    "...\n",
    "%YAML 1.1\n",
    "\t",
    "\n",
    "{",
    "[",
    '"',
    "'",
    "\x00",
    "\ufeff",
    "\x85",
    "#",
]


@st.composite
def damaged_policies(draw: st.DrawFn) -> tuple[str, bytes]:
    """A bundled policy with a few lines or characters deleted, moved, swapped or added."""
    source = draw(st.sampled_from(POLICY_FILES))
    text = source.read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 3))):
        lines = text.splitlines(keepends=True)
        at = draw(st.integers(0, max(len(text) - 1, 0)))
        line = draw(st.integers(0, max(len(lines) - 1, 0)))
        kind = draw(
            st.sampled_from(
                ["delete line", "repeat line", "swap", "insert", "truncate", "replace", "indent"]
            )
        )
        if kind == "delete line" and lines:
            del lines[line]
            text = "".join(lines)
        elif kind == "repeat line" and lines:
            lines.insert(line, lines[line])
            text = "".join(lines)
        elif kind == "swap" and at + 1 < len(text):
            text = text[:at] + text[at + 1] + text[at] + text[at + 2 :]
        elif kind == "insert":
            piece = draw(st.sampled_from(PIECES) | TEXT)
            text = text[:at] + piece + text[at:]
        elif kind == "truncate":
            text = text[:at]
        elif kind == "replace":
            text = text[:at] + draw(st.characters()) + text[at + 1 :]
        elif kind == "indent" and lines:
            lines[line] = draw(st.sampled_from([" ", "  ", "\t"])) + lines[line]
            text = "".join(lines)
    return source.name, text.encode("utf-8", errors="surrogatepass")


#: A hostile file: its name, and its bytes (MARKER stands for the marker file's path).
HOSTILE_FILES = st.one_of(
    st.tuples(st.just("input.yaml"), st.binary(max_size=300)),
    st.tuples(
        st.sampled_from(["input.yaml", "input.json", "input.jsonl", "input.csv"]),
        YAML_DATA.map(dump_yaml).map(str.encode),
    ),
    st.tuples(
        st.sampled_from(["input.json", "input.jsonl"]),
        st.builds(
            lambda data, ascii: json.dumps(data, ensure_ascii=ascii), YAML_DATA, st.booleans()
        ).map(str.encode),
    ),
    damaged_policies(),
)


def invoke(args: list[str]) -> Result:
    return CliRunner().invoke(cli, args)


def snapshot(where: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(where.iterdir())}


def assert_clean(result: Result, culprit: Path, *, report: bool) -> None:
    """Exit 0 or 1, no traceback; on 1, only ``path:line:col: message`` lines, one naming
    ``culprit``, with no control character; with ``report`` (compare), no report at all on 1."""
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    if result.exit_code == 0:
        assert result.stderr == ""
        return
    # Lines end with "\n" only: U+0085 or U+2028 in a quoted key is part of its line.
    lines = result.stderr.split("\n")
    assert lines.pop() == ""
    # A report on stdout that met a problem after some invitations stops there, and says so.
    stopped = [line for line in lines if line.startswith("The report above stops")]
    lines = [line for line in lines if line not in stopped]
    assert lines
    for line in lines:
        match = PROBLEM.fullmatch(line)
        assert match, f"not a path:line:col: message line: {line!r}"
        assert int(match["line"]) >= 1 and int(match["col"]) >= 1, line
    assert any(line.startswith(f"{culprit}:") for line in lines), result.stderr
    # What the file holds reaches the terminal inert, as in the tables: no escape
    # sequence, no right-to-left override (invpolicy.text.inert changes nothing).
    assert inert(result.stderr) == result.stderr, f"control characters in {result.stderr!r}"
    if report and not stopped:
        assert result.stdout == ""


TOUCH_MARKER = f"!!python/object/apply:os.system ['touch {MARKER}'] ".encode()


@pytest.mark.slow
@examples(120)
@given(hostile=HOSTILE_FILES)
# A tag that would create the marker file if anything ran it: drawn too rarely to rely on.
@example(
    hostile=(
        "accept-all.yaml",
        (REPO / "policies" / "accept-all.yaml")
        .read_bytes()
        .replace(b"title: ", b"title: " + TOUCH_MARKER),
    )
)
def test_hostile_files_get_clean_errors_and_are_left_alone(hostile: tuple[str, bytes]) -> None:
    name, content = hostile
    with folder() as where:
        marker = where / "ran"
        content = content.replace(MARKER.encode(), str(marker).encode())
        path = where / name
        path.write_bytes(content)
        invitations = where / "invitations.yaml"
        invitations.write_text("- {id: a, name: Ann Lee}\n- {id: b, name: Bo}\n", encoding="utf-8")
        before = snapshot(where)

        for args, report in [
            (["validate", str(path)], False),
            (["compare", str(path), "-p", "accept-all"], True),
            (["compare", str(invitations), "-p", str(path)], True),
        ]:
            result = invoke(args)
            assert_clean(result, path, report=report)
            assert snapshot(where) == before
        assert not marker.exists()


@pytest.mark.parametrize("source", POLICY_FILES, ids=lambda path: path.stem)
def test_the_damage_strategy_starts_from_valid_policies(source: Path) -> None:
    """Without damage, each bundled policy validates: the errors found come from the damage."""
    with folder() as where:
        path = where / source.name
        path.write_bytes(source.read_bytes())
        result = invoke(["validate", str(path)])
    assert result.exit_code == 0, result.output


# The quick reader ------------------------------------------------------------------


def typed(value: Any) -> Any:
    """``value`` with the type of every scalar in it: 1, 1.0 and True are not equal here."""
    if isinstance(value, dict):
        return ("dict", [(key, typed(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("list", [typed(item) for item in value])
    return (type(value).__name__, repr(value))


def records_text(draw: st.DrawFn) -> str:
    """A list of records, as an invitations file holds, in YAML or JSON."""
    records = draw(st.lists(st.dictionaries(st.sampled_from(VOCABULARY), YAML_DATA), max_size=4))
    return draw(st.sampled_from([dump_yaml, json.dumps]))(records)


QUICK_TEXTS = st.one_of(
    YAML_DATA.map(dump_yaml),
    YAML_DATA.map(lambda data: dump_yaml(data, block=True)),
    st.builds(lambda data, ascii: json.dumps(data, ensure_ascii=ascii), YAML_DATA, st.booleans()),
    st.composite(records_text)(),
    st.lists(st.sampled_from(PIECES) | TEXT | st.sampled_from(VOCABULARY), max_size=8).map("".join),
    damaged_policies().map(lambda named: named[1].decode("utf-8", errors="replace")),
)


@examples(400)
@given(
    text=QUICK_TEXTS,
    name=st.sampled_from(["input.yaml", "input.json"]),
    bounds=st.sampled_from([RECORDS_BOUNDS, REQUESTS_BOUNDS, ENTRIES_BOUNDS, POLICY_BOUNDS]),
)
def test_the_quick_reader_reads_what_the_careful_one_reads(
    text: str, name: str, bounds: Bounds
) -> None:
    """Read the quick way, a text gives the very data the careful reader gives; a text
    the careful reader refuses (tags, anchors, merge and duplicate keys, limits) is
    never read the quick way."""
    try:
        careful: Any = parse_document(text, name, bounds=bounds, allow_empty=True).data
    except InvpolicyError:
        careful = InvpolicyError
    quick = quick_data(text, name, bounds)
    if quick is not None:
        assert careful is not InvpolicyError, text
        assert typed(quick[0]) == typed(careful), text


@examples(200)
@given(text=QUICK_TEXTS, bounds=st.sampled_from([RECORDS_BOUNDS, ENTRIES_BOUNDS]))
def test_the_positions_found_quickly_are_the_careful_readers(text: str, bounds: Bounds) -> None:
    """Where a text read the quick way needs its positions again (an error message), those
    the parser in C gives are those of the careful reader."""
    from invpolicy.io.fastload import quick_positions

    if quick_data(text, "input.yaml", bounds) is None:
        return
    located = quick_positions(text, "input.yaml", bounds)
    if located is None:
        return
    careful = parse_document(text, "input.yaml", bounds=bounds, allow_empty=True)
    assert typed(located.data) == typed(careful.data)
    # A null written as nothing ("key:" and no value) is placed just after its key by
    # the parser in C, at the next token by the careful one: either is right.
    nothing = {path for path in careful.value_positions if _value_at(careful.data, path) is None}
    assert {p: at for p, at in located.value_positions.items() if p not in nothing} == {
        p: at for p, at in careful.value_positions.items() if p not in nothing
    }, text
    assert located.key_positions == careful.key_positions, text


def _value_at(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        data = data[part]
    return data
