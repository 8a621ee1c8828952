"""Tools for policy and plugin authors: fmt, lint and its prover, scaffolds, policy tests.

``fmt`` lays policy and test files out; ``lint`` finds what validation cannot
see, with ``prover`` (reasoning on ``atoms``) deciding whether a rule can ever
fire; ``policytest`` runs worked examples (``invpolicy test``); ``validate``
checks policy files (``invpolicy validate``); ``scaffold`` writes new policies
and plugins; ``editorschema`` the schema an editor uses; ``plugincheck`` the
checks behind :mod:`invpolicy.testing`. It may import the foundation, ``io``,
``schema``, ``model``, ``plugins``, ``loading`` and ``engine``; only the
reporters, the package root, ``invpolicy.testing`` and the CLI import it.
"""
