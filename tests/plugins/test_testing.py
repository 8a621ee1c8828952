"""invpolicy.testing: each check fails on a broken plugin, and the built-ins pass."""

from __future__ import annotations

import importlib
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import invpolicy.builtin.criteria
import invpolicy.builtin.policies
import invpolicy.builtin.replies
from invpolicy import Criterion, ReplyGenerator, hookimpl
from invpolicy.errors import PluginError
from invpolicy.model.invitation import Invitation
from invpolicy.schema.fields import invitation_fields
from invpolicy.testing import (
    check_criterion,
    check_plugin,
    check_reply_generator,
    registry_with,
    sample_facts,
)


def _reads_headline(params: Any) -> Any:
    def check(facts: Any) -> bool | None:
        headline = facts.get("headline")
        return None if headline is None else "rh" in headline.lower().split()

    return check


GOOD_CRITERION = Criterion(
    name="good",
    description="The headline says RH.",
    facts=("headline",),
    compile=_reads_headline,
)


def _hello(params: Any) -> Any:
    def render(facts: Any, language: str) -> str:
        return {"en": "Hello", "de": "Hallo"}[language] + f" {facts['name']}"

    return render


GOOD_GENERATOR = ReplyGenerator(
    name="hello",
    description="Says hello.",
    languages=("en", "de"),
    compile=_hello,
    decisions=("accept",),
)


def _check(value: Any) -> Any:
    """A compile whose check answers ``value`` (or calls it on the facts)."""

    def compile_(params: Any) -> Any:
        return value if callable(value) else (lambda facts: value)

    return compile_


# --- criteria -------------------------------------------------------------------------


@pytest.mark.parametrize("criterion", invpolicy.builtin.criteria.CRITERIA, ids=lambda c: c.name)
def test_every_builtin_criterion_passes(criterion):
    check_criterion(criterion)


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("network", [{"in": ["linkedin"]}, {"in": ["viadeo", "other"]}]),
        ("headline_mentions", [{"keywords": ["rh", "recrut*"]}]),
        ("experience", [{"at_least": 3}, {"below": 2}, {"at_least": 1, "below": 5}]),
    ],
)
def test_builtin_criteria_with_required_parameters_pass_with_them(name, params):
    criterion = next(c for c in invpolicy.builtin.criteria.CRITERIA if c.name == name)
    check_criterion(criterion, params=params)


def test_a_good_criterion_passes():
    check_criterion(GOOD_CRITERION)


def _swallow_key_error(facts: Any) -> bool:
    return facts["headline"] == "x"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "Bad-Name"}, r"criterion 'Bad-Name': 'Bad-Name' is not a valid name"),
        ({"name": "score"}, r"'score' is not a valid name .*not all, any, not, score"),
        ({"description": "  "}, r"criterion 'good': the description must be a sentence"),
        ({"facts": ["headline"]}, r"facts must be a tuple of field names"),
        (
            {"facts": ("headline", "city")},
            r"criterion 'good' reads facts that the invitation schema does not know: city",
        ),
        (
            {"params_schema": {"type": "no-such-type"}},
            r"criterion 'good': params_schema is not a valid JSON Schema \(draft 2020-12\)",
        ),
        ({"params_schema": [1]}, r"params_schema must be a mapping, not list"),
        (
            {
                "params_schema": {
                    "type": "object",
                    "properties": {"at_least": {"type": "integer", "minimum": 0}},
                    "examples": [{"at_least": 2}, {"at_least": -1}],
                }
            },
            r"refuses the parameter set \{'at_least': -1\} from the schema's examples: "
            r"\['at_least'\]: -1 is less than the minimum of 0",
        ),
        (
            {"params_schema": {"type": "object", "examples": ["strict"]}},
            r"a parameter set in the schema's examples must be a mapping, not 'strict'",
        ),
        ({"compile": "not callable"}, r"criterion 'good': compile must be callable, not str"),
        (
            {"compile": lambda params: params["threshold"]},
            r"criterion 'good': compile\(\{\}\) raised KeyError: 'threshold'",
        ),
        (
            {"compile": lambda params: 42},
            r"compile\(\{\}\) must return a check \(a callable\), not int",
        ),
        (
            {"compile": _check(_swallow_key_error)},
            r"criterion 'good' with params \{\} raised KeyError: 'headline' on the empty facts "
            r"\{\}; a check must not raise",
        ),
        (
            {"compile": _check(1)},
            r"criterion 'good' with params \{\} returned 1 \(int\) on the empty facts \{\}; "
            r"expected exactly True, False or None",
        ),
        ({"compile": _check("yes")}, r"returned 'yes' \(str\)"),
        (
            {"compile": _check(lambda facts: facts.setdefault("seen", True))},
            r"criterion 'good' with params \{\} changed the facts it was given",
        ),
    ],
)
def test_a_criterion_that_breaks_the_contract_is_named(changes, message):
    with pytest.raises(AssertionError, match=message):
        check_criterion(replace(GOOD_CRITERION, **changes))


def test_a_fact_outside_the_schema_is_fine_when_the_given_facts_hold_it():
    city = replace(
        GOOD_CRITERION,
        facts=("city",),
        compile=_check(lambda facts: facts["city"] == "Lyon" if "city" in facts else None),
    )
    check_criterion(city, [{"city": "Lyon"}, {"city": "Nantes"}, {}])


def test_the_check_runs_on_every_invitation_of_the_samples():
    seen: list[str] = []

    def record(facts: Any) -> None:
        seen.append(facts.get("id", "<empty>"))

    check_criterion(replace(GOOD_CRITERION, compile=_check(record)))
    assert seen == ["<empty>", *(facts["id"] for facts in sample_facts())]


def test_the_given_facts_replace_the_samples_and_are_named_when_one_fails():
    picky = replace(GOOD_CRITERION, compile=_check(lambda facts: facts.get("n", 0) or None))
    check_criterion(picky, [{"n": 0}])
    with pytest.raises(AssertionError, match=r"returned 2 \(int\) on facts\[1\] \{'n': 2\}"):
        check_criterion(picky, [{"n": 0}, {"n": 2}])


def test_every_parameter_set_of_the_examples_and_of_params_is_compiled():
    compiled: list[Any] = []

    def compile_(params: Any) -> Any:
        compiled.append(dict(params))
        if params.get("mode") == "strict":
            raise ValueError("strict mode is not written yet")
        return lambda facts: None

    schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"mode": {"enum": ["loose", "lenient", "strict"]}},
        "examples": [{"mode": "loose"}],
    }
    criterion = replace(GOOD_CRITERION, compile=compile_, params_schema=schema)
    check_criterion(criterion, params=[{"mode": "lenient"}])
    assert compiled == [{"mode": "loose"}, {"mode": "lenient"}]
    with pytest.raises(
        AssertionError,
        match=r"compile\(\{'mode': 'strict'\}\) raised ValueError: strict mode is not written",
    ):
        check_criterion(criterion, params=[{"mode": "strict"}])
    with pytest.raises(AssertionError, match=r"refuses the parameter set \{'mode': 'fast'\}"):
        check_criterion(criterion, params=[{"mode": "fast"}])


def test_without_parameter_sets_the_empty_one_is_tried_only_if_the_schema_accepts_it():
    compiled: list[Any] = []

    def compile_(params: Any) -> Any:
        compiled.append(dict(params))
        return lambda facts: None

    check_criterion(replace(GOOD_CRITERION, compile=compile_))
    assert compiled == [{}]
    required = {"type": "object", "required": ["in"], "properties": {"in": {"type": "array"}}}
    check_criterion(replace(GOOD_CRITERION, compile=compile_, params_schema=required))
    assert compiled == [{}]


def test_something_else_than_a_criterion_is_refused():
    with pytest.raises(AssertionError, match=r"expected a Criterion, got ReplyGenerator"):
        check_criterion(GOOD_GENERATOR)  # type: ignore[arg-type]


# --- reply generators -------------------------------------------------------------------


@pytest.mark.parametrize("generator", invpolicy.builtin.replies.GENERATORS, ids=lambda g: g.name)
def test_every_builtin_generator_passes_with_and_without_parameters(generator):
    check_reply_generator(generator)
    full = {"signature": "Alex", "channel": "Mastodon (@alex)", "page": "https://alex.example"}
    if "reason" in generator.params_schema["properties"]:
        sets = [{**full, "reason": reason} for reason in invpolicy.builtin.letter.REASONS]
    else:
        sets = [full]
    check_reply_generator(generator, params=sets)


def test_a_good_generator_passes():
    check_reply_generator(GOOD_GENERATOR)


def _writes(text: Any) -> Any:
    return lambda params: lambda facts, language: text


def _fails_in_german(params: Any) -> Any:
    def render(facts: Any, language: str) -> str:
        return {"en": "Hello"}[language]

    return render


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "Hello"}, r"reply generator 'Hello': 'Hello' is not a valid name"),
        ({"description": ""}, r"reply generator 'hello': the description must be a sentence"),
        ({"languages": ()}, r"reply generator 'hello' must declare the languages it writes"),
        ({"languages": ["en"]}, r"must declare the languages it writes"),
        ({"languages": ("en", "German")}, r"'German' is not a language code"),
        ({"decisions": ()}, r"must say which decisions its text suits, some of accept, "),
        ({"decisions": ("accept", "approve")}, r"'approve' is not a decision"),
        ({"params_schema": {"type": 3}}, r"params_schema is not a valid JSON Schema"),
        ({"compile": lambda params: "Hello"}, r"must return a renderer \(a callable\), not str"),
        (
            {"compile": _writes("")},
            r"reply generator 'hello' with params \{\} wrote '' in 'en' for a bare invitation "
            r"\(id and name only\); expected a non-empty string",
        ),
        ({"compile": _writes(" \n ")}, r"wrote ' \\n ' in 'en'"),
        ({"compile": _writes(None)}, r"wrote None in 'en'"),
        (
            {"compile": _fails_in_german},
            r"reply generator 'hello' with params \{\} raised KeyError: 'de' writing 'de'",
        ),
        (
            {"compile": lambda params: lambda facts, language: facts.pop("name")},
            r"reply generator 'hello' with params \{\} changed the facts it was given",
        ),
    ],
)
def test_a_generator_that_breaks_the_contract_is_named(changes, message):
    with pytest.raises(AssertionError, match=message):
        check_reply_generator(replace(GOOD_GENERATOR, **changes))


def test_a_generator_is_tried_on_the_given_facts_in_every_language():
    written: list[tuple[str, str]] = []

    def compile_(params: Any) -> Any:
        def render(facts: Any, language: str) -> str:
            written.append((facts["name"], language))
            return "Hi"

        return render

    check_reply_generator(replace(GOOD_GENERATOR, compile=compile_), [{"name": "Ana"}])
    assert written == [("Ana", "en"), ("Ana", "de")]


def test_a_generator_parameter_set_is_checked_against_its_schema():
    schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"signature": {"type": "string", "minLength": 1}},
    }
    generator = replace(GOOD_GENERATOR, params_schema=schema)
    check_reply_generator(generator, params=[{"signature": "Alex"}])
    with pytest.raises(
        AssertionError,
        match=r"reply generator 'hello': its params_schema refuses the parameter set "
        r"\{'signature': ''\} from params: \['signature'\]: '' should be non-empty",
    ):
        check_reply_generator(generator, params=[{"signature": ""}])


# --- sample facts ---------------------------------------------------------------------


def test_the_samples_are_valid_invitations_that_cover_every_field():
    samples = sample_facts()
    for facts in samples:
        Invitation.from_dict(facts)  # raises if the schema refuses it
    covered = set().union(*samples)
    assert set(invitation_fields()) <= covered
    assert {True, False} <= {facts.get("met_in_person") for facts in samples}


def test_the_samples_are_fresh_copies():
    first = sample_facts()
    first[1]["shared_groups"].append("changed")
    first[0]["name"] = "changed"
    again = sample_facts()
    assert again[0]["name"] != "changed"
    assert "changed" not in again[1]["shared_groups"]


# --- registry_with --------------------------------------------------------------------


def test_registry_with_adds_the_plugins_to_the_builtins_and_ignores_entry_points(
    testplugin, testplugin_site, monkeypatch
):
    # The test plugin is installed with an entry point, and the built-ins are switched off
    # in the environment: registry_with sees neither.
    monkeypatch.syspath_prepend(str(testplugin_site))
    importlib.invalidate_caches()
    monkeypatch.setenv("INVPOLICY_DISABLE_PLUGINS", "invpolicy.builtin.criteria")
    assert "fact" not in registry_with().criteria
    registry = registry_with(testplugin)
    assert {"fact", "met_in_person"} <= set(registry.criteria)
    assert "hallo" in registry.generators
    assert registry.origins[("criterion", "fact")].plugin == "invpolicy_testplugin"


def test_registry_with_can_leave_the_builtins_out(testplugin):
    registry = registry_with(testplugin, builtins=False)
    assert list(registry.criteria) == ["fact"]
    assert list(registry.generators) == ["hallo"]
    assert registry.policy_paths == []


def test_registry_with_registers_objects_under_their_class_names():
    class Provider:
        def __init__(self, name: str) -> None:
            self.name = name

        @hookimpl
        def invpolicy_criteria(self) -> list[Criterion]:
            return [replace(GOOD_CRITERION, name=self.name)]

    registry = registry_with(Provider("first"), Provider("second"), builtins=False)
    plugins = {name: registry.origins[("criterion", name)].plugin for name in registry.criteria}
    assert plugins == {"first": "Provider", "second": "Provider#2"}


def test_registry_with_refuses_a_misspelled_hook():
    class Typo:
        @hookimpl
        def invpolicy_critera(self) -> list[Criterion]:
            return []

    with pytest.raises(PluginError, match=r"unknown hook 'invpolicy_critera'"):
        registry_with(Typo())


# --- check_plugin -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "module",
    [invpolicy.builtin.criteria, invpolicy.builtin.replies, invpolicy.builtin.policies],
    ids=lambda m: m.__name__,
)
def test_the_builtin_plugins_pass(module):
    check_plugin(module)


def test_the_test_plugin_passes(testplugin):
    check_plugin(testplugin)


def test_check_plugin_runs_the_criterion_checks():
    class Broken:
        @hookimpl
        def invpolicy_criteria(self) -> list[Criterion]:
            return [replace(GOOD_CRITERION, compile=_check(0))]

    with pytest.raises(AssertionError, match=r"criterion 'good' with params \{\} returned 0"):
        check_plugin(Broken())


def test_check_plugin_runs_the_generator_checks_with_the_given_facts():
    class Greeter:
        @hookimpl
        def invpolicy_reply_generators(self) -> list[ReplyGenerator]:
            return [GOOD_GENERATOR]

    check_plugin(Greeter())
    with pytest.raises(AssertionError, match=r"raised KeyError: 'name' writing 'en' for facts"):
        check_plugin(Greeter(), [{"id": "x"}])


@pytest.mark.parametrize(
    ("plugin", "message"),
    [
        (object(), r"plugin object implements no invpolicy hook"),
        ("invpolicy_city", r"check_plugin needs the plugin object \(a module\), not"),
    ],
)
def test_check_plugin_needs_a_plugin(plugin, message):
    with pytest.raises(AssertionError, match=message):
        check_plugin(plugin)


def test_check_plugin_reports_a_registration_error_as_a_failure():
    class Twice:
        @hookimpl
        def invpolicy_criteria(self) -> list[Criterion]:
            return [replace(GOOD_CRITERION, name="met_in_person")]

    with pytest.raises(
        AssertionError,
        match=r"plugin Twice: criterion 'met_in_person' is provided twice: "
        r"by invpolicy.builtin.criteria and by Twice",
    ):
        check_plugin(Twice())


class Shipper:
    """A plugin that ships the policies of ``path`` and the criterion 'good'."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @hookimpl
    def invpolicy_criteria(self) -> list[Criterion]:
        return [GOOD_CRITERION]

    @hookimpl
    def invpolicy_policy_paths(self) -> list[Path]:
        return [self.path]


POLICY = """\
format: 1
name: {name}
title: Recruiters first
summary: Accept recruiters, decline the others.
author: The tests
sources: [{{article: tests}}]
language: en
rules:
  - id: recruiter
    when: {{good: }}
    decision: accept
  - id: default
    decision: decline
    reply: {{generator: short_decline}}
"""

EXAMPLES = """\
examples:
  - name: a recruiter
    invitation: {headline: Consultant RH}
    expect: {decision: accept, rule: recruiter, generator: null}
  - name: an engineer
    invitation: {headline: Engineer}
    expect: {decision: decline, rule: default, generator: short_decline}
"""


def _ship(tmp_path: Path, name: str = "recruiters-first", extra: str = "") -> Path:
    folder = tmp_path / "policies"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.yaml").write_text(POLICY.format(name=name) + extra, encoding="utf-8")
    return folder


def test_a_policy_using_the_plugins_own_criterion_validates_and_its_examples_pass(tmp_path):
    check_plugin(Shipper(_ship(tmp_path, extra=EXAMPLES)))


def test_a_missing_policy_path_fails(tmp_path):
    with pytest.raises(
        AssertionError,
        match=r"plugin Shipper: the policy path .*nowhere does not exist "
        r"\(is the file included in the distribution\?\)",
    ):
        check_plugin(Shipper(tmp_path / "nowhere"))


def test_an_empty_policy_folder_fails(tmp_path):
    with pytest.raises(
        AssertionError, match=r"the policy folder .* has no \*\.yaml or \*\.yml policy"
    ):
        check_plugin(Shipper(tmp_path))


def test_an_invalid_policy_fails_with_its_problems(tmp_path):
    folder = _ship(tmp_path)
    path = folder / "recruiters-first.yaml"
    path.write_text(path.read_text().replace("{good: }", "{godo: }"), encoding="utf-8")
    with pytest.raises(
        AssertionError,
        match=r"(?s)policy .*recruiters-first.yaml does not validate:\n  .*recruiters-first"
        r"\.yaml:10:\d+: .*unknown criterion 'godo' \(did you mean 'good'\?\)",
    ):
        check_plugin(Shipper(folder))


def test_a_policy_that_does_not_compile_fails(tmp_path):
    def compile_(params: Any) -> Any:
        if params.get("strict"):
            raise NotImplementedError("strict matching")
        return _reads_headline(params)

    schema = {"type": "object", "properties": {"strict": {"type": "boolean"}}}

    class Strict(Shipper):
        @hookimpl
        def invpolicy_criteria(self) -> list[Criterion]:
            return [replace(GOOD_CRITERION, compile=compile_, params_schema=schema)]

    folder = _ship(tmp_path)
    path = folder / "recruiters-first.yaml"
    path.write_text(path.read_text().replace("{good: }", "{good: {strict: true}}"))
    with pytest.raises(
        AssertionError,
        match=r"^plugin Strict: policy \S*recruiters-first.yaml does not compile: "
        r"criterion 'good'.* failed to compile: NotImplementedError: strict matching$",
    ):
        check_plugin(Strict(folder))


def test_each_policy_is_read_once(tmp_path, monkeypatch):
    import invpolicy.io.safeload
    import invpolicy.loading.parse

    read: list[Path] = []
    for module in (invpolicy.io.safeload, invpolicy.loading.parse):
        load_document = module.load_document

        def counting(path: Any, *args: Any, _load: Any = load_document, **kwargs: Any) -> Any:
            read.append(Path(path))
            return _load(path, *args, **kwargs)

        monkeypatch.setattr(module, "load_document", counting)
    folder = _ship(tmp_path, extra=EXAMPLES)
    (folder / "recruiters-first.test.yaml").write_text(
        "policy: recruiters-first\n" + EXAMPLES, encoding="utf-8"
    )
    check_plugin(Shipper(folder))
    assert read.count(folder / "recruiters-first.yaml") == 1
    assert read.count(folder / "recruiters-first.test.yaml") == 1


def test_a_test_file_that_cannot_run_fails_with_its_problems(tmp_path):
    folder = _ship(tmp_path, extra=EXAMPLES)
    (folder / "other.test.yaml").write_text("policy: no-such-policy\n" + EXAMPLES)
    with pytest.raises(
        AssertionError,
        match=r"(?s)^plugin Shipper: the examples of \S*policies cannot run:\n  "
        r"\S*other\.test\.yaml:1:\d+: policy: no file no-such-policy\.yaml beside this one",
    ):
        check_plugin(Shipper(folder))


def test_a_policy_hidden_by_a_builtin_one_fails(tmp_path):
    with pytest.raises(
        AssertionError,
        match=r"policy 'accept-all' .* is never used: the name is taken by "
        r"invpolicy .* \(built-in\); rename the file",
    ):
        check_plugin(Shipper(_ship(tmp_path, name="accept-all")))


def test_a_policy_whose_examples_do_not_hold_fails(tmp_path):
    wrong = EXAMPLES.replace(
        "{decision: accept, rule: recruiter, generator: null}", "{decision: ask}"
    ).replace("generator: short_decline}", "generator: null}")
    with pytest.raises(AssertionError) as failure:
        check_plugin(Shipper(_ship(tmp_path, extra=wrong)))
    message = str(failure.value)
    assert message.startswith("plugin Shipper: 2 example(s) of ")
    heads = [line.strip() for line in message.splitlines() if "example '" in line]
    assert len(heads) == 2
    assert heads[0].endswith(
        "policy recruiters-first, example 'a recruiter': expected ask, got accept by rule recruiter"
    )
    assert heads[1].endswith(
        "example 'an engineer': expected decline by rule default with no reply, "
        "got decline by rule default with reply short_decline"
    )
    assert "recruiters-first.yaml:" in heads[0]


def test_the_test_files_shipped_beside_a_policy_are_run_too(tmp_path):
    folder = _ship(tmp_path)
    (folder / "recruiters-first.test.yaml").write_text(
        "policy: recruiters-first\n" + EXAMPLES.replace("{decision: decline,", "{decision: ask,"),
        encoding="utf-8",
    )
    with pytest.raises(AssertionError, match=r"1 example\(s\) of .* fail:\n.*'an engineer'"):
        check_plugin(Shipper(folder))
    (folder / "recruiters-first.test.yaml").write_text(
        "policy: recruiters-first\n" + EXAMPLES, encoding="utf-8"
    )
    check_plugin(Shipper(folder))
