"""The quick way through a file of records: plain data from a parser in C, no positions.

:mod:`invpolicy.io.safeload` reads every file with ruamel.yaml's pure-Python
parser and keeps the line and column of every value: most of the time of
reading a large invitations file, for positions that only an error message
needs. Here the same text is read by a parser in C, into plain data and
nothing else:

* JSON text by the ``json`` module;
* YAML by the parser of ``ruamel.yaml.clib`` (libyaml's), its events turned
  into data here, with the scalars resolved as the careful reader resolves them
  (YAML 1.2's core schema).

The quick way refuses nothing itself: it gives up, and the careful reader takes
the file from the start, at the first thing it does not handle exactly as the
careful reader would: a syntax error, a tag, an anchor or an alias, a merge
key, a duplicate key, a ``%YAML`` directive, a second document, nesting near
the limit, a text or number past the limits (:mod:`invpolicy.io.limits`), or a
bound of :class:`~invpolicy.io.composer.Bounds` passed. So a file is refused
exactly when the careful reader refuses it, and with its located message; and
the bounds are kept as the text is read, so a hostile file costs the quick way
little before it gives up.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from invpolicy.io.bounds import Bounds
from invpolicy.io.document import Document, JsonPath
from invpolicy.io.limits import MAX_DEPTH, MAX_INT_BITS, MAX_STRING_CHARS, text_problem
from invpolicy.io.scalars import SCALARS

_CORE = "tag:yaml.org,2002:"


#: Keys longer than this are left to the careful reader, which refuses a key of
#: over 1,024 characters in the file (escapes included: up to 12 a character).
_LONG_KEY = 1024 // 12


#: What the parsers in C do not read as ruamel.yaml's does (which reads JSON files
#: too): characters it refuses anywhere, tabs (refused in some places), and the
#: line breaks of YAML 1.1 (U+0085, U+2028, U+2029), which YAML 1.2 reads otherwise,
#: and a byte-order mark past the start (the reader takes away the one at the start).
_AWKWARD = re.compile(
    "[^\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)


class _GiveUp(Exception):
    """The careful reader must read this file."""


def quick_data(text: str, shown: str, bounds: Bounds) -> list[Any] | None:
    """``[data]`` read from ``text`` the quick way, or None: read it carefully.

    A document that is empty or null gives None too: the careful reader
    says what that means for the file.
    """
    if _AWKWARD.search(text):
        return None
    start = text.lstrip()[:1]
    if shown.lower().endswith(".json") or start in ("[", "{"):
        data = _json(text, bounds)
        if data is not None or shown.lower().endswith(".json"):
            return data
    return _yaml(text, bounds)


# -- JSON --------------------------------------------------------------------


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        raise _GiveUp  # a duplicate key
    return mapping


def _constant(name: str) -> Any:
    raise _GiveUp  # NaN, Infinity: the careful reader reads them as text


_DECODER = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_constant)
#: JSON's white space (tabs have sent the text the careful way already).
_SPACE = re.compile(r"[ \n\r]*")


def _json(text: str, bounds: Bounds) -> list[Any] | None:
    try:
        if bounds.records and text.lstrip().startswith("["):
            data: Any = _json_records(text, bounds)
        else:
            data = _DECODER.decode(text)
        _Walk(bounds).root(data)
    except Exception:  # whatever stops the quick way, the careful one explains
        return None
    return None if data is None else [data]


def _json_records(text: str, bounds: Bounds) -> list[Any]:
    """A JSON list of records, read one item at a time: past the bound on items
    that are not records, the quick way gives up before reading the rest."""
    items: list[Any] = []
    others = 0
    at = _SPACE.match(text, 0).end()  # type: ignore[union-attr]
    if not text.startswith("[", at):
        raise _GiveUp  # white space JSON does not know: the careful reader decides
    at = _SPACE.match(text, at + 1).end()  # type: ignore[union-attr]
    if text.startswith("]", at):
        return _DECODER.decode(text)  # type: ignore[no-any-return]
    while True:
        item, at = _DECODER.raw_decode(text, at)
        items.append(item)
        if not isinstance(item, dict):
            others += 1
            if others > bounds.non_records:
                raise _GiveUp
        at = _SPACE.match(text, at).end()  # type: ignore[union-attr]
        if text.startswith(",", at):
            at = _SPACE.match(text, at + 1).end()  # type: ignore[union-attr]
            continue
        if text.startswith("]", at) and not text[at + 1 :].strip(" \n\r"):
            return items
        raise _GiveUp  # not JSON: the careful reader says what


class _Walk:
    """Check plain data against the limits and ``bounds``, as the careful reader would."""

    def __init__(self, bounds: Bounds) -> None:
        self.bounds = bounds
        self.nodes = 0

    def root(self, data: Any) -> None:
        bounds = self.bounds
        if not bounds.records:
            self.size(data, 0, None)
            return
        if isinstance(data, list):
            self.nodes += 1
            self.records(data, 1)
            return
        if not isinstance(data, dict):
            self.size(data, 0, None)
            return
        self.nodes += 1
        for key, value in data.items():
            self.key(key)
            if key in bounds.record_keys and isinstance(value, list):
                self.nodes += 1
                self.records(value, 2)
            else:
                self.size(value, 1, None)

    def records(self, items: list[Any], depth: int) -> None:
        bounds = self.bounds
        others = 0
        for item in items:
            if not isinstance(item, dict):
                others += 1
                if others > bounds.non_records:
                    raise _GiveUp
            # The record itself is not counted in its own bound: the values in it are.
            self.size(item, depth, bounds.record_nodes + 1)

    def key(self, key: str) -> None:
        self.nodes += 1
        if len(key) > _LONG_KEY or (not key.isascii() and text_problem(key)):
            raise _GiveUp

    def size(self, value: Any, depth: int, limit: int | None) -> None:
        """Walk ``value``; give up past ``limit`` values in it, or past a limit."""
        nodes = self.bounds.nodes
        count = 0
        stack = [(value, depth)]
        while stack:
            item, level = stack.pop()
            count += 1
            self.nodes += 1
            if (limit is not None and count > limit) or (nodes is not None and self.nodes > nodes):
                raise _GiveUp
            if level >= MAX_DEPTH - 1:
                raise _GiveUp
            kind = type(item)
            if kind is dict:
                for key, child in item.items():
                    self.key(key)
                    count += 1
                    stack.append((child, level + 1))
            elif kind is list:
                stack.extend((child, level + 1) for child in item)
            elif kind is str:
                if len(item) > MAX_STRING_CHARS or (not item.isascii() and text_problem(item)):
                    raise _GiveUp
            elif kind is int:
                if item.bit_length() > MAX_INT_BITS:
                    raise _GiveUp
            elif kind is float and not math.isfinite(item):
                raise _GiveUp


# -- YAML --------------------------------------------------------------------


def quick_positions(text: str, shown: str, bounds: Bounds) -> Document | None:
    """The document of ``text`` with the position of every value and key, found by the
    parser in C; None: read it carefully.

    For a text whose data was read the quick way: the same events give the same
    values, and their places.
    """
    try:
        from _ruamel_yaml import CParser  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return None
    where = Document(shown, None)
    try:
        where.data = _Events(CParser(text), bounds, where).document()
    except Exception:  # whatever stops the quick way, the careful one explains
        return None
    return where


def _yaml(text: str, bounds: Bounds) -> list[Any] | None:
    try:
        from _ruamel_yaml import CParser  # type: ignore[import-not-found, unused-ignore]
    except ImportError:  # ruamel.yaml.clib is not installed: only the careful way
        return None
    try:
        data = _Events(CParser(text), bounds).document()
    except Exception:  # whatever stops the quick way, the careful one explains
        return None
    return None if data is None else [data]


class _Frame:
    """A mapping or a list being built, as its events come."""

    __slots__ = ("key", "path", "records", "value")

    def __init__(self, value: Any, records: bool, path: JsonPath) -> None:
        self.value = value
        #: Where it is in the document (kept when positions are).
        self.path = path
        #: A mapping's key read, waiting for its value; _NO_KEY between entries.
        self.key: Any = _NO_KEY
        #: Whether the items of this list are the file's records.
        self.records = records


_NO_KEY = object()


class _Events:
    """Plain data from the events of ruamel.yaml.clib's parser, held to ``bounds``."""

    def __init__(self, parser: Any, bounds: Bounds, where: Document | None = None) -> None:
        from ruamel.yaml.resolver import VersionedResolver

        self.parser = parser
        self.bounds = bounds
        #: Where the positions go, when they are asked for.
        self.where = where
        #: ruamel.yaml's patterns for plain scalars in YAML 1.2, by first character.
        self.patterns = VersionedResolver(version=(1, 2)).versioned_resolver
        #: The tag of each plain scalar seen, by its text: most repeat (true, 0, key names).
        self.tags: dict[str, str] = {}
        #: Plain scalars seen, by their text: most values repeat (true, 0...).
        self.resolved: dict[str, Any] = {}
        self.nodes = 0
        self.others = 0
        #: Values left in the record being read (None outside records).
        self.left: int | None = None
        self.record_depth = 0

    def document(self) -> Any:
        from ruamel.yaml.events import DocumentStartEvent, StreamEndEvent, StreamStartEvent

        parser = self.parser
        if not isinstance(parser.get_event(), StreamStartEvent):
            raise _GiveUp
        start = parser.get_event()
        if not isinstance(start, DocumentStartEvent) or start.version or start.tags:
            raise _GiveUp  # no document, or a directive: the careful reader says what it means
        data = self.node()
        parser.get_event()  # the document's end
        if not isinstance(parser.get_event(), StreamEndEvent):
            raise _GiveUp  # a second document
        return data

    def node(self) -> Any:
        from ruamel.yaml.events import (
            MappingEndEvent,
            MappingStartEvent,
            ScalarEvent,
            SequenceEndEvent,
            SequenceStartEvent,
        )

        get = self.parser.get_event
        stack: list[_Frame] = []
        while True:
            event = get()
            kind = type(event)
            if kind is MappingEndEvent or kind is SequenceEndEvent:
                done = stack.pop()
                if self.record_depth and len(stack) < self.record_depth:
                    self.record_depth, self.left = 0, None
                if not stack:
                    return done.value
                value = done.value
            else:
                if event.anchor is not None or event.tag is not None:
                    raise _GiveUp  # anchors, aliases and tags: the careful reader's work
                parent = stack[-1] if stack else None
                in_key = (
                    parent is not None and type(parent.value) is dict and (parent.key is _NO_KEY)
                )
                self.count(parent, in_key, kind is MappingStartEvent, len(stack))
                path: JsonPath = ()
                if self.where is not None:
                    path = self.place(parent, in_key, event)
                if kind is ScalarEvent:
                    if in_key:
                        assert parent is not None
                        parent.key = self.key(event)
                        if parent.key in parent.value:
                            raise _GiveUp  # a duplicate key
                        if self.where is not None:
                            mark = event.start_mark
                            place = (*parent.path, parent.key)
                            self.where.key_positions[place] = (mark.line + 1, mark.column + 1)
                        continue
                    value = self.scalar(event)
                    if parent is None:
                        return value
                elif kind is MappingStartEvent or kind is SequenceStartEvent:
                    if in_key or len(stack) >= MAX_DEPTH - 1:
                        raise _GiveUp  # a key that is not text; nesting near the limit
                    records = kind is SequenceStartEvent and self.holds_records(stack)
                    stack.append(_Frame({} if kind is MappingStartEvent else [], records, path))
                    continue
                else:
                    raise _GiveUp  # an alias
            top = stack[-1]
            if type(top.value) is dict:
                top.value[top.key] = value
                top.key = _NO_KEY
            else:
                top.value.append(value)

    def place(self, parent: _Frame | None, in_key: bool, event: Any) -> JsonPath:
        """The path of the value starting at ``event``, its position noted."""
        if parent is None:
            path: JsonPath = ()
        elif in_key:
            return ()  # a key: noted once it is read
        elif type(parent.value) is dict:
            path = (*parent.path, parent.key)
        else:
            path = (*parent.path, len(parent.value))
        assert self.where is not None
        mark = event.start_mark
        self.where.value_positions[path] = (mark.line + 1, mark.column + 1)
        return path

    def holds_records(self, stack: list[_Frame]) -> bool:
        """Whether the list starting here holds the file's records."""
        if not self.bounds.records:
            return False
        if not stack:
            return True
        return len(stack) == 1 and stack[0].key in self.bounds.record_keys

    def count(self, parent: _Frame | None, in_key: bool, mapping: bool, depth: int) -> None:
        """Count the value starting here against the bounds; give up past one."""
        bounds = self.bounds
        self.nodes += 1
        if bounds.nodes is not None and self.nodes > bounds.nodes:
            raise _GiveUp
        if parent is not None and parent.records:
            self.record_depth, self.left = depth + 1, bounds.record_nodes
            if not mapping:
                self.others += 1
                if self.others > bounds.non_records:
                    raise _GiveUp
        elif self.left is not None:
            self.left -= 1
            if self.left < 0:
                raise _GiveUp

    def key(self, event: Any) -> str:
        name: str = event.value
        if event.style in ("", None) and self.tag(name) not in SCALARS:
            raise _GiveUp  # a merge key ('<<'), '='
        if len(name) > _LONG_KEY or (not name.isascii() and text_problem(name)):
            raise _GiveUp
        return name

    def tag(self, text: str) -> str:
        """The core tag of a plain scalar (``int``...), as the careful reader resolves it."""
        tag = self.tags.get(text)
        if tag is None:
            # As ruamel.yaml's resolver does: the first pattern that matches.
            patterns = [*self.patterns.get(text[:1], ()), *self.patterns.get(None, ())]
            full = next((t for t, pattern in patterns if pattern.match(text)), _CORE + "str")
            tag = full[len(_CORE) :] if full.startswith(_CORE) else full
            if len(self.tags) < 4096:
                self.tags[text] = tag
        return tag

    def scalar(self, event: Any) -> Any:
        text: str = event.value
        if (len(text) > MAX_STRING_CHARS or not text.isascii()) and text_problem(text):
            raise _GiveUp
        if event.style not in ("", None):
            return text  # quoted, or a block of text
        if text in self.resolved:
            return self.resolved[text]
        convert = SCALARS.get(self.tag(text))
        if convert is None:
            raise _GiveUp  # '=' and other tags the careful reader refuses
        value = convert(text)
        if len(self.resolved) < 1024:
            self.resolved[text] = value
        return value
