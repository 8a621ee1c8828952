"""Compile a policy once, then decide (and explain) many invitations.

Compiling resolves each criterion and reply generator through the registry and
turns every condition into a node of :mod:`invpolicy.engine.nodes`; deciding
runs the rules' nodes in order until one fires.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from invpolicy.engine.decision import FROM_INVITATION, FROM_POLICY, Decision, Reply, RuleTrace
from invpolicy.engine.nodes import Eval, Junction, Leaf, Node, NotNode
from invpolicy.engine.scoring import ScoreNode, Scorer, SignalNode
from invpolicy.engine.settle import settler
from invpolicy.engine.timeout import limited
from invpolicy.errors import PluginError
from invpolicy.model.conditions import AllOf, AnyOf, Condition, CriterionCheck, Not, ScoreTest
from invpolicy.model.policy import Policy, Rule
from invpolicy.model.visitor import ALL, ANY, ConditionVisitor
from invpolicy.plugins.contract import Render, declared_logic, is_reply_text

#: The invitation field holding the inviter's answer to your message.
FOLLOW_UP = "follow_up"

#: The decision given when a plugin failed, so that the other decisions stand.
ERROR = "error"

if TYPE_CHECKING:
    from invpolicy.model.invitation import Invitation
    from invpolicy.plugins.registry import Registry


class _CompiledRule:
    __slots__ = (
        "decision",
        "generator",
        "id",
        "languages",
        "on_follow_up",
        "owner",
        "render",
        "test",
        "when",
    )

    def __init__(
        self,
        rule: Rule,
        when: Node | None,
        render: Render | None,
        languages: tuple[str, ...],
        owner: str = "",
    ) -> None:
        self.id = rule.id
        self.decision = rule.decision
        self.when = when
        #: The condition's test; None for a rule that always fires.
        self.test = None if when is None else when.test
        self.generator = rule.reply.generator if rule.reply else None
        #: The plugin that provides the generator, which error messages name.
        self.owner = owner
        self.render = render
        self.languages = languages
        # A rule that reads the inviter's answer decides on the follow-up.
        self.on_follow_up = when is not None and FOLLOW_UP in when.reads()


class _Compiler(ConditionVisitor[Node]):
    """Turns a condition into engine nodes, once, so that deciding walks no tree.

    ``scorer`` is None for a signal's condition, which cannot test the score;
    each criterion compiled is added to ``checks``.
    """

    def __init__(
        self,
        registry: Registry,
        scorer: Scorer | None,
        checks: list[tuple[tuple[str, ...], Mapping[str, Any]]],
    ) -> None:
        self.registry = registry
        self.scorer = scorer
        self.checks = checks

    def visit_criterion(self, node: CriterionCheck) -> Node:
        criterion = self.registry.criteria[node.criterion]
        origin = self.registry.origins[("criterion", criterion.name)]
        owner = origin.plugin
        check = _call_plugin(
            f"criterion '{criterion.name}' of plugin {owner}", criterion.compile, node.params
        )
        if not origin.builtin:  # built-ins are trusted: no timer on the common path
            check = limited(owner, check)
        self.checks.append((criterion.facts, node.params))
        logic = declared_logic(criterion, owner, node.params)
        return Leaf(node, check, criterion.facts, owner, settler(logic))

    def visit_score(self, node: ScoreTest) -> Node:
        assert self.scorer is not None, "validation keeps score tests out of signals"
        return ScoreNode(node, self.scorer)

    def visit_all(self, node: AllOf) -> Node:
        return Junction(ALL, [self.visit(part) for part in node.parts])

    def visit_any(self, node: AnyOf) -> Node:
        return Junction(ANY, [self.visit(part) for part in node.parts])

    def visit_not(self, node: Not) -> Node:
        return NotNode(self.visit(node.part))


class CompiledPolicy:
    """A policy ready to decide: criteria and generators resolved and compiled once."""

    def __init__(
        self,
        policy: Policy,
        registry: Registry,
        *,
        reply_defaults: Mapping[str, Any] | None = None,
        reply_params: Sequence[Mapping[str, Any] | None] | None = None,
    ) -> None:
        """``reply_defaults`` are reply parameters (a signature...) for the generators that
        take them, where the policy does not set them itself. ``reply_params``, one per
        rule, are the parameters each generator gets, found already (by the cache of
        compiled policies): then ``reply_defaults`` is not looked at."""
        self.policy = policy
        self.name = policy.name
        self.language = policy.language
        #: Each criterion check compiled: the facts it reads and its parameters.
        self.checks: list[tuple[tuple[str, ...], Mapping[str, Any]]] = []
        self._scorer = Scorer(
            [
                SignalNode(signal, self._compile(signal.when, registry, None))
                for signal in policy.scoring
            ]
        )
        if reply_params is None or len(reply_params) != len(policy.rules):
            from invpolicy.plugins.registry import reply_params as of

            reply_params = [of(registry, rule.reply, reply_defaults) for rule in policy.rules]
        self._rules = [
            self._compile_rule(rule, registry, params)
            for rule, params in zip(policy.rules, reply_params, strict=True)
        ]

    def _compile_rule(
        self, rule: Rule, registry: Registry, params: Mapping[str, Any] | None
    ) -> _CompiledRule:
        when = self._compile(rule.when, registry, self._scorer) if rule.when is not None else None
        if rule.reply is None:
            return _CompiledRule(rule, when, None, ())
        generator = registry.generators[rule.reply.generator]
        origin = registry.origins[("reply generator", generator.name)]
        owner = origin.plugin
        render = _call_plugin(
            f"reply generator '{generator.name}' of plugin {owner}",
            generator.compile,
            dict(params if params is not None else rule.reply.params),
        )
        if not origin.builtin:
            render = limited(owner, render)
        return _CompiledRule(rule, when, render, generator.languages, owner)

    def _compile(self, node: Condition, registry: Registry, scorer: Scorer | None) -> Node:
        return _Compiler(registry, scorer, self.checks).visit(node)

    def decide(self, invitation: Invitation, *, explain: bool = False) -> Decision:
        """The decision for one invitation; with ``explain``, the trace of every rule tried.

        Each criterion runs once per rule tried, and the score (if the policy
        scores) once per decision, whichever rule decides. Raises :class:`PluginError`, naming the
        plugin's criterion or generator and the invitation, when a plugin fails.
        """
        try:
            if explain:
                return self._explained(invitation)
            ctx = Eval(invitation.facts, False)
            for rule in self._rules:
                test = rule.test
                if test is None or test(ctx) is True:
                    return self._decision(rule, invitation, ctx, None)
        except PluginError as exc:
            raise PluginError(
                f"{exc} (policy '{self.name}', invitation '{invitation.id}')"
            ) from exc
        raise AssertionError("a validated policy ends with a rule that always fires")

    def _explained(self, invitation: Invitation) -> Decision:
        ctx = Eval(invitation.facts, True, invitation.origins)
        steps: list[RuleTrace] = []
        for rule in self._rules:
            condition = None if rule.when is None else rule.when.trace(ctx)
            value: bool | None = True if condition is None else condition["value"]
            steps.append(RuleTrace(rule.id, value, value is True, condition))
            if value is True:
                return self._decision(rule, invitation, ctx, tuple(steps))
        raise AssertionError("a validated policy ends with a rule that always fires")

    def _decision(
        self,
        rule: _CompiledRule,
        invitation: Invitation,
        ctx: Eval,
        steps: tuple[RuleTrace, ...] | None,
    ) -> Decision:
        if ctx.score is None and self._scorer.signals:
            # A scoring policy always gives its score, even when an
            # explicit rule decided before a threshold needed it.
            self._scorer.compute(ctx)
        missing = ctx.missing
        return Decision(
            policy=self.name,
            invitation=invitation.id,
            decision=rule.decision,
            rule=rule.id,
            reply=None if rule.render is None else self._reply(rule, invitation),
            missing=tuple(dict.fromkeys(missing)) if missing else (),
            trace=steps,
            score=ctx.score,
            on_follow_up=rule.on_follow_up,
        )

    def _reply(self, rule: _CompiledRule, invitation: Invitation) -> Reply | None:
        if rule.render is None or rule.generator is None:
            return None
        language, where = self._language(invitation)
        if language not in rule.languages:
            language, where = self.language, FROM_POLICY
        try:
            text = rule.render(invitation.facts, language)
        except Exception as exc:
            raise PluginError(
                f"reply generator '{rule.generator}' of plugin {rule.owner} failed: "
                f"{type(exc).__name__}: {exc}"
            ) from exc
        if not is_reply_text(text):
            raise PluginError(
                f"reply generator '{rule.generator}' of plugin {rule.owner} wrote no text"
            )
        return Reply(rule.generator, language, text, where)

    def _language(self, invitation: Invitation) -> tuple[str, str]:
        """The reply's language, and where it came from.

        The invitation's ``language``; else the one the inviter wrote in (their
        note, then their answer), when it is clear; else the policy's.
        """
        if invitation.language is not None:
            return invitation.language, FROM_INVITATION
        from invpolicy.engine.language import inviter_language

        return inviter_language(invitation.facts) or (self.language, FROM_POLICY)


def _call_plugin(what: str, compile_: Any, params: Mapping[str, Any]) -> Any:
    try:
        return compile_(params)
    except Exception as exc:
        raise PluginError(f"{what} failed to compile: {type(exc).__name__}: {exc}") from exc
