"""``invpolicy decide --interactive``: ask for the facts a policy still needs.

For each invitation, the policy decides with what is known; if the decision
lacked facts, the first one the rules needed is asked, and the policy decides
again with the answer. So only the facts that matter are asked, in the order
the rules read them, and an invitation the policy can already settle is not
asked about at all. Enter skips a question (the fact stays unknown).

The answers of each invitation are saved as soon as it is settled: into the
invitations file itself when it is YAML (comments and order kept), else into
a facts file (``--facts``, by default ``<input>.facts.yaml`` beside the input)
that later runs merge in with ``--facts``, and that ``--interactive`` reads
first, so that nothing is asked twice.

A save that fails (a full disk, a folder that cannot be written) loses
nothing: it is said on one line, the answers stay in memory, and the user may
retry, name another file, or go on and have them saved with the next
invitation's.
"""

from __future__ import annotations

import dataclasses
import math
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from invpolicy.errors import InvpolicyError, Problem
from invpolicy.schema.fields import Field, invitation_fields, shown
from invpolicy.text import counted, inert

if TYPE_CHECKING:
    from invpolicy.engine.compiled import CompiledPolicy
    from invpolicy.engine.decision import Decision
    from invpolicy.loading.readers import InvitationSource
    from invpolicy.model.invitation import Invitation

#: Answers: invitation id -> fact -> value.
Answers = dict[str, dict[str, Any]]

_YES = {"y", "yes", "o", "oui", "true", "1"}
_NO = {"n", "no", "non", "false", "0"}


def ask_for(field: Field, known: Mapping[str, Any] | None = None) -> Any:
    """Ask for one fact at the terminal; None when the user skips it.

    An answer that the ``known`` facts rule out (more mutual connections in
    your sector than mutual connections) is asked again.
    """
    from invpolicy.schema.links import broken

    hint = {
        "boolean": "y/n",
        "integer": "a whole number",
        "number": "a number",
        "strings": "items separated by ';', or - for none",
        "choice": "/".join(field.choices),
        "string": "text",
    }[field.kind]
    # The field in plain words, its name in brackets: the name is what the files hold.
    question = f"  {field.label} [{field.name}]"
    while True:
        answer = click.prompt(
            f"{question} ({hint}, Enter to skip)", default="", show_default=False
        ).strip()
        if not answer:
            return None
        value = parse_answer(field, answer)
        if value is None:
            click.echo(f"  Please answer with {hint}, or press Enter to skip.")
            continue
        clash = broken({**(known or {}), field.name: value})
        if not clash:
            return value
        link, value, bound = clash[0]
        if link.fact == field.name:
            click.echo(f"  {link.fact} cannot be more than {link.at_most}, which is {bound}.")
        else:
            click.echo(f"  {link.at_most} cannot be less than {link.fact}, which is {value}.")


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
        if not math.isfinite(number):
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
    policy: CompiledPolicy, invitation: Invitation, *, for_reply: bool = False
) -> tuple[Decision, dict[str, Any]]:
    """Decide ``invitation``, asking for each fact the decision still lacks; return the answers.

    With ``for_reply``, then also each unknown fact the policy reads (and the
    reply's language) that could change the drafted reply.
    """
    from invpolicy.engine.whatif import could_change, could_change_reply
    from invpolicy.model.invitation import Invitation

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
        if fact is None and for_reply and decision.reply is not None:
            read = [f for facts_read, _ in policy.checks for f in facts_read]
            fact = next(
                (
                    f
                    for f in dict.fromkeys([*read, "language"])
                    if f not in asked
                    and f not in facts
                    and f in fields
                    and could_change_reply(policy, known, f, decision)
                ),
                None,
            )
        if fact is None:
            return decision, answers
        asked.add(fact)
        field = fields[fact]
        if fact == "language":  # the languages the replies are written in
            field = dataclasses.replace(field, kind="choice", choices=("fr", "en"))
        value = ask_for(field, facts)
        if value is not None:
            facts[fact] = answers[fact] = value


def answers_target(
    invitations: str | Path, input_format: str | None, facts_path: str | Path | None
) -> tuple[Path, bool]:
    """Where the answers go, and whether that is the invitations file itself.

    A YAML invitations file takes them in place; any other input (an export
    is never edited) gives them to ``facts_path``, by default the facts file
    beside the input.
    """
    from invpolicy.io.save import outside_link
    from invpolicy.loading.facts import facts_path_for

    path = Path(invitations)
    if facts_path is not None:
        return Path(facts_path), False
    if input_format in (None, "yaml") and path.suffix.lower() in (".yaml", ".yml"):
        return path, True
    target = facts_path_for(path)
    leads = outside_link(target)
    if leads is not None:
        # The default file is found, not named: a link planted beside the
        # invitations must not send the answers anywhere else on the disk.
        message = (
            f"a symbolic link out of its folder (to {leads}); the answers are not written "
            "through it: name the file with --facts PATH"
        )
        raise InvpolicyError(Problem(str(target), 1, 1, message))
    return target, False


@dataclasses.dataclass
class _Saver:
    """Where the answers go, and those not saved yet (kept until a save succeeds)."""

    target: Path
    in_place: bool
    about: str = ""
    saved: int = 0
    pending: Answers = dataclasses.field(default_factory=dict)

    def add(self, ident: str, given: dict[str, Any]) -> None:
        """Save ``given`` with any answers not saved before; on failure, ask what to do."""
        self.pending.setdefault(ident, {}).update(given)
        self.flush()

    def flush(self) -> None:
        """Save the answers not saved yet; on failure, say why and ask what to do."""
        while self.pending:
            try:
                self._write()
            except OSError as error:
                reason = error.strerror or str(error)
                click.echo(f"  cannot save to {inert(str(self.target))}: {reason}", err=True)
                choice = click.prompt(
                    "  r to retry, a path to save there, or Enter to go on "
                    "(saved again after the next invitation)",
                    default="",
                    show_default=False,
                ).strip()
                if not choice:
                    return
                if choice.lower() != "r":
                    # Another file: a facts file, which later runs read with --facts.
                    self.target, self.in_place = Path(choice), False
                continue
            click.echo(f"  saved to {inert(str(self.target))}")
            return

    def _write(self) -> None:
        from invpolicy.io.save import save_facts_file, save_into_invitations

        if self.in_place:
            save_into_invitations(self.target, self.pending)
        else:
            save_facts_file(self.target, self.pending, about=self.about)
        self.saved += sum(len(given) for given in self.pending.values())
        self.pending = {}

    def unsaved(self) -> str:
        """The answers not saved, as lines of a facts file to copy; empty if none."""
        import json

        return "\n".join(
            f"{json.dumps(ident)}: {json.dumps(given, ensure_ascii=False)}"
            for ident, given in self.pending.items()
        )


def run_interactive(
    source: InvitationSource,
    policy: CompiledPolicy,
    target: Path,
    *,
    in_place: bool,
    for_reply: bool = False,
) -> Answers:
    """The whole session: every invitation in turn, its answers saved as soon as it is settled.

    Saving after each invitation means that stopping half-way (Ctrl-C, the
    end of the input) loses nothing already answered.
    """
    answers: Answers = {}
    saver = _Saver(target, in_place)
    try:
        _session(source, policy, saver, answers=answers, for_reply=for_reply)
        # The last save failed and the user went on: one more chance to save them.
        saver.flush()
    except (click.Abort, KeyboardInterrupt):
        # Ctrl-C (or the end of the input): what was answered is saved already.
        click.echo()
        click.echo(_stopped(saver), err=True)
        raise click.exceptions.Exit(130) from None
    if saver.pending:
        click.echo(_stopped(saver), err=True)
        raise click.exceptions.Exit(1)
    if not saver.saved:
        click.echo("No answers to save.")
        return answers
    click.echo(f"Saved {counted(saver.saved, 'answer')} to {saver.target}.")
    return answers


def _stopped(saver: _Saver) -> str:
    """What is said when the session ends half-way, or with answers it could not save."""
    lines = []
    if saver.saved:
        saved = f"Stopped: {counted(saver.saved, 'answer')} saved to {saver.target}"
        lines.append(
            f"{saved}."
            if saver.in_place
            else f"{saved}; decide and compare read it beside the invitations "
            f"(or --facts {saver.target})."
        )
    elif not saver.pending:
        lines.append("Stopped: no answer to save yet.")
    if saver.pending:
        count = sum(len(given) for given in saver.pending.values())
        lines.append(f"Not saved: {counted(count, 'answer')}, as a facts file would hold them:")
        lines.append(saver.unsaved())
    return "\n".join(lines)


def _session(
    source: InvitationSource,
    policy: CompiledPolicy,
    saver: _Saver,
    *,
    answers: Answers,
    for_reply: bool,
) -> None:
    """Each invitation in turn, its answers (added to ``answers``) saved once it is settled."""
    saver.about = source.path if source.export is None else source.export.archive.shown
    for invitation in source:
        click.echo(_heading(invitation))
        decision, given = decide_asking(policy, invitation, for_reply=for_reply)
        missing = f"; still unknown: {', '.join(decision.missing)}" if decision.missing else ""
        click.echo(f"  {policy.name}: {decision.decision} (rule {decision.rule}){missing}")
        if decision.reply is not None:
            click.echo(f"  reply by {decision.reply.generator}:")
            click.echo(wrapped(inert(decision.reply.text), "    "))
        if given:
            answers[invitation.id] = given
            saver.add(invitation.id, given)
        click.echo()


def wrapped(text: str, indent: str) -> str:
    """``text`` indented, its long lines wrapped at word boundaries to the terminal's width."""
    import shutil

    width = max(40, shutil.get_terminal_size((80, 24)).columns - 1)
    lines: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            lines.append("")
            continue
        lines += textwrap.wrap(
            line, width, initial_indent=indent, subsequent_indent=indent, break_long_words=False
        )
    return "\n".join(lines)


def _heading(invitation: Invitation) -> str:
    facts = invitation.facts
    line = click.style(inert(f"{invitation.id} ({invitation.name})"), bold=True)
    known = [f"{key}: {shown(facts[key])}" for key in ("headline", "company") if key in facts]
    if known:
        line += inert(" - " + "; ".join(known))
    message = facts.get("message")
    if isinstance(message, str) and message.strip():
        line += "\n  message: " + inert(" ".join(message.split()))
    return line
