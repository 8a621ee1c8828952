"""Read Facebook's "Download your information" export: friend requests and message threads.

Facebook writes its JSON files with each UTF-8 byte as a code point of its own
("FranÃ§ois" for "François"): :func:`repair_mojibake` undoes that for every
name and text read here. The received friend requests become rows in
invpolicy's fields, as LinkedIn's invitations do; the message threads between
you and one requester feed the ``exchanges`` and ``follow_up`` facts of
:mod:`invpolicy.loading.talks`. Facebook's default export is HTML, which holds
the same information in a form not worth parsing: :data:`HTML_HINT` says how to
ask for JSON instead.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from invpolicy.errors import InvpolicyError, Problem
from invpolicy.io.archive import Archive
from invpolicy.io.document import Document, dotted
from invpolicy.io.files import read_text
from invpolicy.loading.linkedin import name_slug, unique_id
from invpolicy.loading.records import Row
from invpolicy.loading.talks import Inviters, folded_name
from invpolicy.schema.check import shown
from invpolicy.text import fold

#: The names Facebook gives the received friend requests file, newest first.
#: The key holding the requests: the current one, then the older one.
_REQUEST_KEYS = ("received_requests_v2", "received_requests")

#: Said of an HTML export (see :func:`looks_like_facebook_html`).
HTML_HINT = (
    "this is Facebook's HTML export: ask Facebook for your information in JSON format "
    "(Format: JSON in 'Download your information'), then give the JSON file or the archive"
)

_HTML_START = ("<!doctype html", "<html")
_HTML_WORDS = ("friend request", "demandes d'ami")
_TITLE = re.compile(r"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)

#: A thread's file: ``.../messages/<box>/<folder>/message_<n>.json``. Threads with
#: someone who is not a friend yet may be in the message requests.
_THREAD = re.compile(
    r"(?:^|/)messages/(?:inbox|archived_threads|e2ee_cutover|message_requests|filtered_threads)"
    r"/([^/]+)/message_\d+\.json$",
    re.IGNORECASE,
)
_NOT_KEY = re.compile(r"[^a-z0-9]+")
_EPOCH = datetime(1970, 1, 1)
_THREAD_SHAPE = "not a Facebook message thread: expected an object with participants and messages"


def repair_mojibake(text: str) -> str:
    """``text`` with Facebook's UTF-8-as-Latin-1 undone: "FranÃ§ois" -> "François".

    Text that is not such mojibake (ASCII, a lone "é", any character past
    U+00FF) is returned unchanged.
    """
    if text.isascii():
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except UnicodeError:  # a character past U+00FF, or bytes that are not UTF-8
        return text


# --- friend requests ------------------------------------------------------------------


def requests_key(data: Any) -> str | None:
    """The key of the requests list if ``data`` is Facebook's received friend requests."""
    if isinstance(data, dict):
        for key in _REQUEST_KEYS:
            if isinstance(data.get(key), list):
                return key
    return None


def friend_request_rows(doc: Document) -> Iterator[Row]:
    """The received friend requests of ``doc``, as rows in invpolicy's fields.

    Each has an id made from the name (unique against those made before it, kept
    exactly), the name, ``network: facebook`` and ``sent_at`` in UTC. An
    entry that cannot be read gives a row with its problem, located at it.
    """
    key = requests_key(doc.data)
    if key is None:
        message = (
            f"not Facebook's received friend requests: "
            f"expected an object with the key {_REQUEST_KEYS[0]}"
        )
        raise InvpolicyError(doc.problem((), message))
    suffixes: dict[str, int] = {}
    taken: set[str] = set()
    for index, entry in enumerate(doc.data[key]):
        at = (key, index)
        line, col = doc.position(at)
        data: dict[str, Any] = {}
        row = Document(doc.path, data, {(): (line, col)}, {(): (line, col)})
        if not isinstance(entry, dict):
            message = f"{dotted(at)}: expected an object with a name and a timestamp"
            yield Row(line, None, row, [doc.problem(at, f"{message}, got {shown(entry)}")])
            continue
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            got = "nothing" if name is None else shown(name)
            message = f"{dotted((*at, 'name'))}: expected the requester's name, got {got}"
            yield Row(line, None, row, [doc.problem((*at, "name"), message)])
            continue
        name = repair_mojibake(name).strip()
        data["id"] = unique_id(name_slug(name) or "requester", taken, suffixes)
        taken.add(data["id"])
        data["name"] = name
        data["network"] = "facebook"
        problems: list[Problem] = []
        if "timestamp" in entry:
            sent_at = _sent_at(entry["timestamp"])
            if sent_at is None:
                message = (
                    f"{dotted((*at, 'timestamp'))}: expected a time in seconds since 1970, "
                    f"got {shown(entry['timestamp'])}"
                )
                problems.append(doc.problem((*at, "timestamp"), message))
            else:
                data["sent_at"] = sent_at
        row.value_positions.update(
            {
                ("id",): doc.position((*at, "name")),
                ("name",): doc.position((*at, "name")),
                ("network",): (line, col),
                ("sent_at",): doc.position((*at, "timestamp")),
            }
        )
        yield Row(line, data, row, problems)


def _sent_at(timestamp: Any) -> str | None:
    """Seconds since 1970 as ``2026-02-16T09:22+00:00``; None if not such a number."""
    if not isinstance(timestamp, int) or isinstance(timestamp, bool) or timestamp < 0:
        return None
    try:
        when = datetime.fromtimestamp(timestamp, UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return when.isoformat(timespec="minutes")


def looks_like_facebook_html(head: bytes) -> bool:
    """Whether the first few KB of a file are Facebook's HTML page of friend requests."""
    text = head.decode("utf-8", errors="replace").casefold()
    if not any(start in text for start in _HTML_START):
        return False
    words = fold(html.unescape(text))
    if any(word in words for word in _HTML_WORDS):
        return True
    title = _TITLE.search(text)
    return title is not None and "facebook" in fold(html.unescape(title[1]))


# --- message threads ------------------------------------------------------------------


def thread_key(name: str) -> str:
    """A name as a thread's folder writes it: ``François Dupont`` -> ``francoisdupont``."""
    return _NOT_KEY.sub("", fold(name))


def has_threads(archive: Archive) -> bool:
    """Whether the export holds message threads: without them, nothing is known of talks."""
    return any(_THREAD.search(name) for name in archive.names())


def read_threads(archive: Archive, inviters: Inviters, owner: str | None) -> int:
    """Add to ``inviters`` what was said in the export's threads between you and each of them.

    Only the threads whose folder is named after a requester are read; of those,
    only the ones with two participants, the requester and (when ``owner``, your
    name, is known) you. A thread file that cannot be read is an error. Gives
    how many thread files were read.
    """
    keys = {thread_key(name) for name in inviters.names()}
    keys.discard("")
    read = 0
    for name in archive.names() if keys else ():
        match = _THREAD.search(name)
        if match is None or match[1].rpartition("_")[0].lower() not in keys:
            continue
        _read_thread(str(archive.file(name)), read_text(archive.file(name)), inviters, owner)
        read += 1
    return read


def _read_thread(shown_as: str, text: str, inviters: Inviters, owner: str | None) -> None:
    data = _thread_json(shown_as, text)
    participants = data["participants"]
    if len(participants) != 2:
        return  # a group: what is said there is not said to you alone
    names = [repair_mojibake(p["name"]) for p in participants]
    found = [inviters.find(None, name) for name in names]
    if (found[0] is None) == (found[1] is None):
        return  # neither is a requester, or both are and nobody can tell who is who
    which = 0 if found[0] is not None else 1
    inviter = found[which]
    assert inviter is not None
    theirs, yours = folded_name(names[which]), folded_name(names[1 - which])
    if owner is not None and yours != folded_name(owner):
        return  # the other one is somebody else who has the requester's name
    for message in data["messages"]:
        at = _message_time(message.get("timestamp_ms"))
        sender = message.get("sender_name")
        if at is None or not isinstance(sender, str):
            continue
        by = folded_name(repair_mojibake(sender))
        if by not in (theirs, yours):
            continue
        content = message.get("content")
        said = repair_mojibake(content) if isinstance(content, str) else ""
        inviters.said(inviter, at, theirs=by == theirs, text=said)


def _thread_json(shown_as: str, text: str) -> dict[str, Any]:
    """A thread file's JSON, checked to have the shape read here."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        problem = Problem(shown_as, exc.lineno, exc.colno, f"invalid JSON: {exc.msg}")
        raise InvpolicyError(problem) from None
    except RecursionError:
        raise InvpolicyError(Problem(shown_as, 1, 1, "nesting is too deep")) from None
    except ValueError as exc:  # a number of too many digits
        raise InvpolicyError(Problem(shown_as, 1, 1, f"invalid JSON: {exc}")) from None
    if not isinstance(data, dict):
        raise InvpolicyError(Problem(shown_as, 1, 1, f"{_THREAD_SHAPE}, got {_kind(data)}"))
    for key in ("participants", "messages"):
        if not isinstance(data.get(key), list):
            got = "nothing" if key not in data else _kind(data[key])
            message = f"{key}: expected a list, got {got} ({_THREAD_SHAPE})"
            raise InvpolicyError(Problem(shown_as, 1, 1, message))
    for index, person in enumerate(data["participants"]):
        if not isinstance(person, dict) or not isinstance(person.get("name"), str):
            message = f"participants[{index}]: expected an object with a name"
            raise InvpolicyError(Problem(shown_as, 1, 1, message))
    for index, message in enumerate(data["messages"]):
        if not isinstance(message, dict):
            what = f"messages[{index}]: expected an object, got {_kind(message)}"
            raise InvpolicyError(Problem(shown_as, 1, 1, what))
    return data


def _kind(value: Any) -> str:
    kinds = {dict: "an object", list: "a list", str: "a text", bool: "a boolean"}
    if value is None:
        return "null"
    return kinds.get(type(value), "a number")


def _message_time(timestamp_ms: Any) -> datetime | None:
    """Milliseconds since 1970 as a naive UTC time; None if not such a number."""
    if not isinstance(timestamp_ms, int) or isinstance(timestamp_ms, bool):
        return None
    try:
        return _EPOCH + timedelta(milliseconds=timestamp_ms)
    except OverflowError:
        return None
