"""``invpolicy decide --interactive``: ask for the facts a policy still needs.

For each invitation, the policy decides with what is known; if the decision
lacked facts, the first one the rules needed is asked, and the policy decides
again with the answer. So only the facts that matter are asked, in the order
the rules read them, and an invitation the policy can already settle is not
asked about at all. Enter skips a question (the fact stays unknown).

The answers are saved at the end, after a confirmation: into the invitations
file itself when it is YAML (comments and order kept), else into a facts
file (``--facts``, by default ``<input>.facts.yaml`` beside the input) that
later runs merge in with ``--facts``.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from invpolicy.fields import Field, invitation_fields, shown

if TYPE_CHECKING:
    from invpolicy.engine import CompiledPolicy, Decision
    from invpolicy.invitations import Invitation
    from invpolicy.readers import InvitationSource

#: Answers: invitation id -> fact -> value.
Answers = dict[str, dict[str, Any]]

_YES = {"y", "yes", "o", "oui", "true", "1"}
_NO = {"n", "no", "non", "false", "0"}


def ask_for(field: Field) -> Any:
    """Ask for one fact at the terminal; None when the user skips it."""
    hint = {
        "boolean": "y/n",
        "integer": "a whole number",
        "number": "a number",
        "strings": "items separated by ';', or - for none",
        "choice": "/".join(field.choices),
        "string": "text",
    }[field.kind]
    question = f"  {field.name}"
    if field.description:
        question += f" ({field.description.rstrip('.')})"
    while True:
        answer = click.prompt(
            f"{question} [{hint}, Enter to skip]", default="", show_default=False
        ).strip()
        if not answer:
            return None
        value = parse_answer(field, answer)
        if value is not None:
            return value
        click.echo(f"  Please answer with {hint}, or press Enter to skip.")


def parse_answer(field: Field, answer: str) -> Any:
    """The value an answer gives ``field``; None if it does not fit."""
    kind = field.kind
    if kind == "boolean":
        folded = answer.lower()
        return True if folded in _YES else False if folded in _NO else None
    if kind in ("integer", "number"):
        try:
            number = int(answer) if kind == "integer" else float(answer)
        except ValueError:
            return None
        if isinstance(number, float) and number.is_integer():
            number = int(number)
        return number if number >= 0 else None
    if kind == "strings":
        if answer == "-":
            return []
        return [item.strip() for item in answer.split(";") if item.strip()]
    if kind == "choice":
        return answer if answer in field.choices else None
    return answer


def decide_asking(
    policy: CompiledPolicy, invitation: Invitation
) -> tuple[Decision, dict[str, Any]]:
    """Decide ``invitation``, asking for each fact the decision still lacks; return the answers."""
    from invpolicy.invitations import Invitation
    from invpolicy.whatif import could_change

    fields = invitation_fields()
    facts = dict(invitation.facts)
    answers: dict[str, Any] = {}
    asked: set[str] = set()
    while True:
        known = Invitation(invitation.id, invitation.name, facts)
        decision = policy.decide(known)
        # A fact missing from a rule that did not fire matters only if it could
        # change the decision; the first such fact, in rule order, is asked.
        fact = next(
            (
                f
                for f in decision.missing
                if f not in asked and f in fields and could_change(policy, known, f, decision)
            ),
            None,
        )
        if fact is None:
            return decision, answers
        asked.add(fact)
        value = ask_for(fields[fact])
        if value is not None:
            facts[fact] = answers[fact] = value


def run_interactive(
    source: InvitationSource, policy: CompiledPolicy, facts_path: str | Path | None
) -> Answers:
    """The whole session: every invitation in turn, then the answers saved if the user agrees."""
    answers: Answers = {}
    for invitation in source:
        click.echo(_heading(invitation))
        decision, given = decide_asking(policy, invitation)
        if given:
            answers[invitation.id] = given
        missing = f"; still unknown: {', '.join(decision.missing)}" if decision.missing else ""
        click.echo(f"  {policy.name}: {decision.decision} (rule {decision.rule}){missing}")
        if decision.reply is not None:
            click.echo(f"  reply by {decision.reply.generator}:")
            click.echo(textwrap.indent(decision.reply.text, "    "))
        click.echo()
    if not answers:
        click.echo("No answers to save.")
        return answers
    target, in_place = _target(source, facts_path)
    count = sum(len(given) for given in answers.values())
    counted = f"{count} answer{'s' if count != 1 else ''}"
    where = "into the invitations file" if in_place else "into the facts file"
    if not click.confirm(f"Save {counted} {where} {target}?", default=True):
        click.echo("Not saved.")
        return answers
    from invpolicy.save import save_facts_file, save_into_invitations

    if in_place:
        save_into_invitations(target, answers)
    else:
        save_facts_file(target, answers, about=source.path)
    click.echo(f"Saved {counted} to {target}.")
    if not in_place and facts_path is None:
        click.echo(f"Later runs read them with: --facts {target}")
    return answers


def _target(source: InvitationSource, facts_path: str | Path | None) -> tuple[Path, bool]:
    """Where the answers go, and whether that is the invitations file itself."""
    from invpolicy.readers import facts_path_for

    if facts_path is not None:
        return Path(facts_path), False
    if source.kind == "yaml":
        return Path(source.path), True
    return facts_path_for(source.path), False


def _heading(invitation: Invitation) -> str:
    facts = invitation.facts
    line = click.style(f"{invitation.id} ({invitation.name})", bold=True)
    known = [f"{key}: {shown(facts[key])}" for key in ("headline", "company") if key in facts]
    if known:
        line += " - " + "; ".join(known)
    message = facts.get("message")
    if isinstance(message, str) and message.strip():
        line += "\n  message: " + " ".join(message.split())
    return line
