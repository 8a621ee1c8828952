"""``--format json``: machine-readable output."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from invpolicy.reporters.base import Reporter

if TYPE_CHECKING:
    from invpolicy.authoring.diff.differ import Diff
    from invpolicy.authoring.lint import Finding
    from invpolicy.authoring.policytest import TestReport
    from invpolicy.authoring.validate import Validation
    from invpolicy.engine.runner import Report
    from invpolicy.loading.catalog import PolicyEntry
    from invpolicy.model.policy import Policy
    from invpolicy.plugins.registry import Registry


class JsonReporter(Reporter):
    """One JSON document, for every kind of output; decisions are written as they are made."""

    name = "json"

    def _dump(self, data: Any) -> None:
        self.stream.write(dumps(data) + "\n")

    def decisions(self, report: Report) -> None:
        # Report.to_json(), written row by row so that a large input never sits in memory.
        write = self.stream.write
        for i, (key, value) in enumerate(report.json_parts()):
            write(("," if i else "{") + f"\n  {json.dumps(key)}: ")
            if key != "results":
                write(_indented(value, "  "))
                continue
            count = 0
            for count, row in enumerate(value, 1):
                write(("," if count > 1 else "[") + "\n    " + _indented(row, "    "))
            write("\n  ]" if count else "[]")
        write("\n}\n")

    def policies(self, entries: list[PolicyEntry], registry: Registry) -> None:
        from invpolicy.loading.about import about

        abouts = [about(e, registry) for e in entries]
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
                "broken": [
                    {
                        "plugin": b.name,
                        "entry_point": b.value,
                        "distribution": b.distribution,
                        "version": b.version,
                        "error": b.error,
                    }
                    for b in registry.broken.values()
                ],
            }
        )

    def findings(self, findings: Sequence[Finding], policies: int) -> None:
        errors = sum(1 for finding in findings if finding.severity == "error")
        self._dump(
            {
                "policies": policies,
                "errors": errors,
                "warnings": len(findings) - errors,
                "findings": [finding.to_json() for finding in findings],
            }
        )

    def tests(
        self,
        report: TestReport,
        min_coverage: float | None,
        *,
        quiet: bool = False,
        verbose: bool = False,
    ) -> None:
        self._dump(report.to_json(min_coverage))

    def validation(self, results: Sequence[Validation]) -> None:
        valid = sum(1 for result in results if result.valid)
        self._dump(
            {
                "valid": valid,
                "invalid": len(results) - valid,
                "policies": [result.to_json() for result in results],
            }
        )

    def policy(self, policy: Policy, data: dict[str, Any]) -> None:
        self._dump(data)

    def diff(self, diff: Diff) -> None:
        self._dump(diff.to_json())


class JsonLinesReporter(Reporter):
    """``--format jsonl``: one decided invitation per line, written as it is decided.

    Each line is one result of the JSON document (``invitation``, ``name``,
    ``agree``, ``decisions``...); the last line holds what comes once all are
    read: ``{"summary": ..., "skipped": ..., "policies": [...]}``.
    """

    name = "jsonl"

    def decisions(self, report: Report) -> None:
        import orjson

        write = self.stream.write
        tail: dict[str, Any] = {}
        for key, value in report.json_parts():
            if key != "results":
                tail[key] = value
                continue
            for row in value:
                write(orjson.dumps(row).decode() + "\n")
        write(orjson.dumps({key: tail[key] for key in ("summary", "skipped", "policies")}).decode())
        write("\n")


def _indented(value: Any, pad: str) -> str:
    """``value`` as indented JSON, its lines after the first indented by ``pad``."""
    return dumps(value).replace("\n", "\n" + pad)


def dumps(value: Any) -> str:
    """``value`` as JSON indented by two spaces, non-ASCII text as it is.

    orjson writes it in C, several times faster than ``json.dumps(value,
    ensure_ascii=False, indent=2)`` and the same text, but for numbers below
    0.0001 or from 10**16 up, which it writes without an exponent (``0.00001``
    for ``1e-05``: the same number when read). What it refuses (half of a
    surrogate pair in a plugin's text, an integer past 64 bits) goes to ``json``.
    """
    import orjson

    try:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()
    except (TypeError, orjson.JSONEncodeError):
        return json.dumps(value, ensure_ascii=False, indent=2)
