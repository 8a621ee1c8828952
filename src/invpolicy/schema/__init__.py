"""The JSON Schemas: check a document against one and say what is wrong, where.

``check`` turns jsonschema's errors into located problems (and holds the quick
test that spares jsonschema the valid records); ``fields`` describes the
invitation fields as the invitation schema declares them. It may import the
foundation and ``io``.
"""
