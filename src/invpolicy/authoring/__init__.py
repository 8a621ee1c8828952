"""Tools for policy and plugin authors: fmt, lint and its prover, scaffolds, policy tests.

``fmt`` lays policy and test files out; ``lint`` finds what validation cannot
see, with ``prover`` deciding whether a rule can ever fire; ``policytest`` runs
worked examples (``invpolicy test``); ``scaffold`` writes new policies and
plugins; ``editorschema`` the schema an editor uses; ``plugincheck`` the checks
behind :mod:`invpolicy.testing`. It may import every layer below the reporters;
nothing below imports it.
"""
