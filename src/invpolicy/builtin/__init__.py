"""invpolicy's own plugins, registered exactly like third-party ones.

``criteria`` (with ``followup`` and ``messages``, which read what people write),
``replies`` (with the letter of ``letter``) and ``policies`` (the bundled
schools). Nothing imports this package: the plugin manager registers its
modules by the names in :data:`invpolicy.plugins.manager.DEFAULT_PLUGINS`. It
may import the foundation, ``schema``, ``model`` and ``plugins``, as any plugin.
"""
