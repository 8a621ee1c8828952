"""``invpolicy new``: a new policy (``policy``, from a school: ``school``) or plugin (``plugin``).

``naming`` checks the names and the author; ``templating`` fills the Jinja2
templates in ``templates/``.
Part of the authoring layer, it may import what that layer may import.
"""
