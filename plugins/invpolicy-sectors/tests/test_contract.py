"""The plugin honours invpolicy's contract, as invpolicy.testing checks it."""

from __future__ import annotations

import itertools

import invpolicy_sectors
import pytest
from invpolicy_sectors.replies import GENERATORS, QUESTIONS, REASONS
from invpolicy_sectors.vocabulary import SECTORS

from invpolicy.testing import (
    check_criterion,
    check_plugin,
    check_reply_generator,
    registry_with,
    sample_facts,
)

HEADLINES = [
    {"headline": "Responsable RH"},
    {"headline": "Account Executive"},
    {"headline": ""},
    {"headline": "Ωμέγα 🚀"},
    {"company": "Northwind Traders"},
    {},
]


def test_the_whole_plugin_passes_check_plugin():
    # Criterion, generators, and the policy: valid, not hidden by a bundled
    # one, and deciding as its examples say.
    check_plugin(invpolicy_sectors)


def test_the_criterion_passes_with_every_combination_of_two_sectors():
    params = [{"in": list(pair)} for pair in itertools.combinations(SECTORS, 2)]
    check_criterion(invpolicy_sectors.SECTOR, [*sample_facts(), *HEADLINES], params=params)


@pytest.mark.parametrize("generator", GENERATORS, ids=lambda g: g.name)
def test_each_generator_passes_with_every_parameter(generator):
    options = {"reason": REASONS, "question": QUESTIONS}
    own = [key for key in options if key in generator.params_schema["properties"]]
    params = [
        {"signature": "Jonas Weber", "channel": "Mastodon (@jonas@example.social)", **chosen}
        for chosen in (
            dict(zip(own, values, strict=True))
            for values in itertools.product(*(options[key] for key in own))
        )
    ]
    check_reply_generator(generator, [*sample_facts(), {"id": "x", "name": "Ana"}], params=params)


def test_the_plugin_registers_beside_the_builtins_without_clashing():
    registry = registry_with(invpolicy_sectors)
    assert "sector" in registry.criteria
    assert {"german_decline", "german_question", "german_welcome"} <= set(registry.generators)
    assert registry.generators["german_decline"].decisions == ("decline",)
    assert registry.generators["german_question"].decisions == ("ask",)
    assert registry.generators["german_welcome"].decisions == ("accept", "accept_limited")
    assert all(registry.generators[g.name].languages == ("de",) for g in GENERATORS)
