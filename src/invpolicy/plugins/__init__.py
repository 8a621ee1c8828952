"""The plugin machinery: the hooks, the plugin manager, and the registry of what plugins provide.

``contract`` says what a criterion and a reply generator are; ``hookspecs`` the
hooks a plugin implements; ``manager`` builds the pluggy plugin manager (the
built-ins, then the ``invpolicy`` entry points); ``registry`` gives the rest of
invpolicy a typed view of what was collected. It may import the foundation,
``io``, ``schema`` and ``model``; it never imports a plugin (the built-ins
included) other than by the names in :data:`manager.DEFAULT_PLUGINS`.
"""
