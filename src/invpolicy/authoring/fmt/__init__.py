"""``invpolicy fmt``: one canonical layout for policy and test files, every comment kept.

``formatter`` reads, reorders and writes a file; ``order`` knows the canonical
order of keys, ``style`` which scalars keep their quotes, ``comments`` how to
put each comment back in place.
Part of the authoring layer, it may import what that layer may import.
"""
