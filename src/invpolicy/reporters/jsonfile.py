"""``--format json``: machine-readable output."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from invpolicy.reporters.base import ListingReporter

if TYPE_CHECKING:
    from invpolicy.catalog import PolicyEntry
    from invpolicy.plugins import Registry
    from invpolicy.runner import Report


class JsonReporter(ListingReporter):
    """One JSON document; the results are written as they are decided."""

    name = "json"

    def _dump(self, data: Any) -> None:
        json.dump(data, self.stream, ensure_ascii=False, indent=2)
        self.stream.write("\n")

    def decisions(self, report: Report) -> None:
        # The same document as Report.to_json(), written row by row so that a
        # large input never sits in memory.
        write = self.stream.write
        names = json.dumps(report.policy_names, ensure_ascii=False)
        write(f'{{\n  "policies": {names},\n  "results": [')
        for i, row in enumerate(report.rows):
            text = json.dumps(row.to_json(what_if=report.what_if), ensure_ascii=False, indent=2)
            write(("," if i else "") + "\n    " + text.replace("\n", "\n    "))
        summary = json.dumps(report.summary.to_json(), ensure_ascii=False, indent=2)
        skipped = json.dumps(report.skipped, ensure_ascii=False)
        write(
            f'\n  ],\n  "summary": {summary.replace(chr(10), chr(10) + "  ")},'
            f'\n  "skipped": {skipped}\n}}\n'
        )

    def policies(self, entries: list[PolicyEntry], registry: Registry) -> None:
        abouts = [e.about(registry) for e in entries]
        self._dump(
            [
                {
                    "name": e.name,
                    "title": about.title,
                    "summary": about.summary,
                    "author": about.author,
                    "problem": about.problem or None,
                    "path": str(e.path),
                    "plugin": e.origin.plugin,
                    "distribution": e.origin.distribution,
                    "version": e.origin.version,
                    "shadowed_by": e.shadowed_by.plugin if e.shadowed_by else None,
                }
                for e, about in zip(entries, abouts, strict=True)
            ]
        )

    def plugins(self, registry: Registry) -> None:
        def origin(kind: str, name: str) -> dict[str, str]:
            o = registry.origins[(kind, name)]
            return {"plugin": o.plugin, "distribution": o.distribution, "version": o.version}

        self._dump(
            {
                "criteria": [
                    {
                        "name": c.name,
                        "description": c.description,
                        "facts": list(c.facts),
                        "params_schema": c.params_schema,
                        **origin("criterion", c.name),
                    }
                    for c in registry.criteria.values()
                ],
                "reply_generators": [
                    {
                        "name": g.name,
                        "description": g.description,
                        "languages": list(g.languages),
                        "decisions": list(g.decisions),
                        "params_schema": g.params_schema,
                        **origin("reply generator", g.name),
                    }
                    for g in registry.generators.values()
                ],
            }
        )
