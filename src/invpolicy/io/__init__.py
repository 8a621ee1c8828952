"""Files in and out: read a stranger's file safely, knowing where each value was; write atomically.

``document`` holds the positions of keys and values, ``safeload`` reads YAML and
JSON into a document (safe tags only, within the ``limits``), ``files`` opens and
decodes, ``atomic`` and ``save`` write. It knows nothing of policies or
invitations, and imports only the foundation (``errors``, ``text``).
"""
