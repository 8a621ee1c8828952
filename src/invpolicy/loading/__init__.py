"""Loading: turn documents into validated model values, policies and invitations alike.

Policies: ``parse`` (schema, then ``semantics``, then ``build``), ``inherit``
(``extends``), ``catalog`` (the installed policy files), ``about`` (what each
says of itself), ``testfile`` (what a test file is). Invitations: ``readers``
(every input format, streamed), ``invitations``, ``records`` (JSON Lines and
CSV), ``linkedin`` (the data export), ``facts`` (a facts file), ``idindex``.
It may import the foundation, ``io``, ``schema``, ``model`` and ``plugins``.
"""
