"""The engine: compile a policy once, then decide, score and explain many invitations.

``compiled`` resolves criteria and generators and runs the rules; ``nodes`` and
``scoring`` are the compiled conditions and the score; ``decision`` the values
returned; ``explain`` a decision as text lines; ``runner`` decides a batch with
several policies; ``whatif`` finds the facts that would change a decision. It
may import the foundation, ``schema``, ``model`` and ``plugins``, and never
reads a file: it does not import ``loading`` nor the YAML reader.
"""
