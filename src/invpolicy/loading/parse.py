"""Read a policy file: validate it (schema, then plugins), follow ``extends``, build it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from invpolicy.errors import InvpolicyError, Problem
from invpolicy.io.document import Document
from invpolicy.io.safeload import load_document
from invpolicy.loading.build import build_policy, read_examples
from invpolicy.loading.inherit import MAX_CHAIN, merge_rules, parent_path
from invpolicy.loading.semantics import Semantics
from invpolicy.loading.testfile import is_test_data
from invpolicy.model.policy import FORMAT_VERSION, Policy
from invpolicy.plugins.registry import Registry
from invpolicy.resources import validator
from invpolicy.schema.check import check


def read_policy(path: str | Path, registry: Registry) -> Policy:
    """Read and validate a policy file; raise :class:`InvpolicyError` on any problem."""
    doc = load_document(path)
    return parse_policy(doc, registry, stem=Path(path).stem)


def parse_policy(
    doc: Document, registry: Registry, *, stem: str | None = None, chain: tuple[str, ...] = ()
) -> Policy:
    """Validate a parsed policy document and build the :class:`Policy`.

    A policy that ``extends`` another is read with it and flattened: the
    result holds every rule. ``chain`` lists the files already being read, to
    catch a cycle.
    """
    data = doc.data
    version = data.get("format") if isinstance(data, dict) else None
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        raise InvpolicyError(
            doc.problem(
                ("format",),
                f"format {version} is newer than this invpolicy reads "
                f"(up to {FORMAT_VERSION}): upgrade invpolicy",
            )
        )
    if is_test_data(data):
        raise InvpolicyError(
            doc.problem(
                (),
                "this is a test file (policy: and examples:), not a policy: "
                "run it with invpolicy test",
            )
        )
    problems = check(validator("policy"), data, doc)
    if not isinstance(data, dict):
        raise InvpolicyError(problems)
    # The rules can be built once the schema accepts them, so that what only
    # the built policy shows (a bad change to an extended policy, an example
    # expecting an unknown rule) is reported in the same run as the rest.
    buildable = not problems
    parent: Policy | None = None
    # The extended policy's own problems come after this file's, in their order.
    inherited: list[Problem] = []
    if isinstance(data.get("extends"), str):
        try:
            parent = load_parent(doc, registry, chain)
        except InvpolicyError as exc:
            problems.append(exc.problems[0])
            inherited.extend(exc.problems[1:])
            buildable = False
    problems.extend(Semantics(doc, registry, parent).check())
    name = data.get("name")
    if stem is not None and isinstance(name, str) and name != stem:
        problems.append(
            doc.problem(
                ("name",),
                f"name: '{name}' must equal the file name without its extension ('{stem}')",
            )
        )
    if not buildable:
        raise InvpolicyError([*sorted(set(problems)), *inherited])
    try:
        rules = merge_rules(parent, doc, registry) if parent is not None else None
        policy = build_policy(doc, parent, rules)
    except InvpolicyError as exc:
        raise InvpolicyError(sorted({*problems, *exc.problems})) from None
    examples, more = read_examples(doc, policy)
    if problems or more:
        raise InvpolicyError(sorted({*problems, *more}))
    return replace(policy, examples=examples)


def load_parent(doc: Document, registry: Registry, chain: tuple[str, ...]) -> Policy:
    """The policy that ``doc`` extends, itself flattened; a cycle is an error."""
    ref: str = doc.data["extends"]
    chain = (*chain, doc.path)
    path = parent_path(ref, doc, registry)
    resolved = [Path(p).resolve() for p in chain]
    if path.resolve() in resolved:
        start = resolved.index(path.resolve())
        names = [Path(p).name for p in chain[start:]] + [path.name]
        raise InvpolicyError(doc.problem(("extends",), f"extends: a cycle: {' -> '.join(names)}"))
    if len(chain) >= MAX_CHAIN:
        links = " -> ".join(Path(p).name for p in (*chain, str(path)))
        raise InvpolicyError(
            doc.problem(
                ("extends",), f"extends: more than {MAX_CHAIN} policies in a chain: {links}"
            )
        )
    shown = f"{ref}'" if ref == str(path) else f"{ref}' ({path})"
    try:
        parent = load_document(path)
    except InvpolicyError:
        parent = None
    if parent is None or not isinstance(parent.data, dict) or "format" not in parent.data:
        # Not even trying to be a policy: say nothing of what it holds.
        raise InvpolicyError(
            doc.problem(("extends",), f"extends: '{shown} is not a policy file")
        ) from None
    try:
        return parse_policy(parent, registry, stem=path.stem, chain=chain)
    except InvpolicyError as exc:
        first = doc.problem(("extends",), f"extends: '{shown} has problems, listed below")
        raise InvpolicyError([first, *exc.problems]) from None
