"""The policy schema an editor needs: the bundled one, plus what the plugins accept.

The bundled ``policy.schema.json`` cannot know the criteria and reply
generators that are installed, so it lets any criterion name through and leaves
their parameters to invpolicy. This module writes them in: every installed
criterion becomes a known key of a condition, with its own parameter schema,
and every generator a known name whose ``params`` are checked. An editor with
a YAML language server then completes names and checks parameters as you type.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from invpolicy.loading.semantics import CHANGES
from invpolicy.resources import load_schema

if TYPE_CHECKING:
    from invpolicy.plugins.registry import Registry

#: Where the embedded parameter schemas say they come from, so that their own
#: ``$ref``s resolve inside them.
_ID = "https://invpolicy.dev/schemas/plugins"


def _embedded(kind: str, name: str, params: Mapping[str, Any]) -> dict[str, Any]:
    schema = dict(params)
    schema.setdefault("$id", f"{_ID}/{kind}/{name}.json")
    return schema


def policy_schema(registry: Registry) -> dict[str, Any]:
    """The policy schema with the parameter schemas of every installed plugin."""
    schema = copy.deepcopy(load_schema("policy"))
    defs = schema["$defs"]
    condition = defs["condition"]
    for name, criterion in sorted(registry.criteria.items()):
        ref = f"criterion.{name}"
        defs[ref] = _embedded("criterion", name, criterion.params_schema)
        choices: list[dict[str, Any]] = [{"$ref": f"#/$defs/{ref}"}]
        if registry.params_validator("criterion", name).is_valid({}):
            # ``met_in_person:`` with nothing after it, or true/false: no parameters.
            choices.append({"type": ["null", "boolean"]})
        condition["properties"][name] = {
            "description": f"{criterion.description} Reads: {', '.join(criterion.facts)}.",
            "anyOf": choices,
        }
    condition["additionalProperties"] = False
    condition["description"] = (
        "Exactly one key: all, any, not, score, or one of the installed criteria "
        "(with its parameters)."
    )
    reply = defs["reply"]
    names = sorted(registry.generators)
    reply["properties"]["generator"] = {
        "description": "An installed reply generator.",
        "enum": names,
    }
    checks = []
    for name in names:
        generator = registry.generators[name]
        ref = f"generator.{name}"
        defs[ref] = _embedded("generator", name, generator.params_schema)
        checks.append(
            {
                "if": {"properties": {"generator": {"const": name}}, "required": ["generator"]},
                "then": {
                    "properties": {
                        "params": {"description": generator.description, "$ref": f"#/$defs/{ref}"}
                    }
                },
            }
        )
    if checks:
        reply["allOf"] = checks
    # What validation says in words, for the editor to show as well: an
    # extending policy changes rules instead of listing them, and the changes
    # need something to extend.
    schema["dependentSchemas"] = {
        "extends": {"not": {"required": ["rules"]}},
    }
    schema["dependentRequired"] = {key: ["extends"] for key in CHANGES}
    overrides = schema["properties"]["reply_params"]
    overrides["propertyNames"] = {"enum": names}
    # Overrides are merged into a rule's parameters, so none of them is required.
    overrides["properties"] = {
        name: _embedded(
            "reply_params",
            name,
            {k: v for k, v in registry.generators[name].params_schema.items() if k != "required"},
        )
        for name in names
    }
    return schema
