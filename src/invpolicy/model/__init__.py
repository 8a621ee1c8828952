"""The model: policies, their conditions, and invitations, as plain immutable values.

Nothing here reads a file or decides anything. It may import the foundation
(``errors``, ``text``, ``resources``), ``io`` (a document's positions) and
``schema`` (an invitation checks itself against the invitation schema), and
nothing above them.
"""
