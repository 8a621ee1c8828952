"""A real plugin used by the tests: loaded directly, or through an entry point."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from invpolicy import Check, Criterion, Facts, Render, ReplyGenerator, hookimpl


def _fact(params: Mapping[str, Any]) -> Check:
    name = params["fact"]

    def check(facts: Facts) -> bool | None:
        value = facts.get(name)
        return None if value is None else bool(value)

    return check


def _greeting(params: Mapping[str, Any]) -> Render:
    def render(facts: Facts, language: str) -> str:
        return f"Hallo {facts['name']}!"

    return render


@hookimpl
def invpolicy_criteria() -> list[Criterion]:
    return [
        Criterion(
            name="fact",
            description="The named fact, read as a boolean.",
            facts=(),
            compile=_fact,
            params_schema={
                "type": "object",
                "required": ["fact"],
                "additionalProperties": False,
                "properties": {"fact": {"type": "string"}},
            },
        )
    ]


@hookimpl
def invpolicy_reply_generators() -> list[ReplyGenerator]:
    return [
        ReplyGenerator(
            name="hallo",
            description="A greeting in German.",
            languages=("de",),
            compile=_greeting,
        )
    ]
