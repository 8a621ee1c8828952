"""``--format yaml``: a policy as YAML, laid out as ``invpolicy fmt`` lays out policy files."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from invpolicy.reporters.base import Reporter

if TYPE_CHECKING:
    from invpolicy.model.policy import Policy


class YamlReporter(Reporter):
    """A flattened policy, with a first comment naming the files it was made of."""

    name = "yaml"

    def policy(self, policy: Policy, data: dict[str, Any]) -> None:
        from invpolicy.authoring.scaffold.templating import canonical_yaml

        chain = " extends ".join([policy.path, *policy.parents])
        header = f"# Flattened: {chain}\n" if policy.parents else ""
        self.stream.write(header + canonical_yaml(data, policy.path))
