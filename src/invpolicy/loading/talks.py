"""What you and each inviter said to each other, and the facts it gives.

A network's messages (LinkedIn's ``messages.csv``, Facebook's message threads)
are read elsewhere; here, each message between you and one inviter, alone,
is added to that inviter's :class:`Talk`, and the talk gives two facts:

- ``exchanges``: the days (in UTC) on which you both wrote, before the
  invitation. A network keeps one thread per pair of people, so a count of
  threads would stop at 1; days can grow.
- ``follow_up``: what the inviter wrote after your first message that followed
  the invitation, up to your next message: their answer, in one or several
  messages.

The invitation's time is known to the minute in a time zone that the export
does not give, and messages are in UTC: an invitation is taken to have been
sent :data:`MARGIN` before its written time, the earliest it can have been in
UTC. A message of yours in that margin is taken to follow the invitation: an
answer to an invitation within the hour is common, a talk just before it is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import unquote

from invpolicy.frozen import frozen
from invpolicy.io.limits import MAX_STRING_CHARS
from invpolicy.text import fold

_PROFILE = re.compile(r"/in/([^/?#\s]+)")
#: The widest gap between a local time and UTC (UTC+14).
MARGIN = timedelta(hours=14)


def profile_slug(url: str) -> str | None:
    match = _PROFILE.search(url)
    return unquote(match[1]).lower() if match else None


def folded_name(name: str) -> str:
    """A name compared without case, accents, apostrophe style or extra spaces."""
    return " ".join(fold(name).split())


def invitation_time(sent_at: Any) -> datetime | None:
    """The earliest UTC time an invitation's ``sent_at`` can mean, naive; None if unreadable.

    A time written with its offset (``2026-02-26T08:14+01:00``) is exact;
    one without is read with :data:`MARGIN`.
    """
    if not isinstance(sent_at, str):
        return None
    try:
        written = datetime.fromisoformat(sent_at)
    except ValueError:
        return None
    if written.tzinfo is not None:
        return written.astimezone(UTC).replace(tzinfo=None)
    return written - MARGIN


@frozen
class Owner:
    """You, the owner of the export: your name, and your profile slug when known."""

    name: str
    slug: str | None = None

    def is_you(self, slug: str | None, name: str) -> bool:
        if slug and self.slug:
            return slug == self.slug
        return folded_name(name) == folded_name(self.name)


@frozen
class Inviter:
    """Someone whose invitation is pending: how to recognise them, and since when.

    ``since`` is the UTC time (naive) from which a message follows the invitation.
    """

    id: str
    name: str
    slug: str | None
    since: datetime


def inviters_in(items: Iterable[Any]) -> Iterator[Inviter]:
    """Who each invitation (as data) is from, and since when, when it says."""
    for data in items:
        if not isinstance(data, dict):
            continue
        ident, name, when = data.get("id"), data.get("name"), invitation_time(data.get("sent_at"))
        if isinstance(ident, str) and isinstance(name, str) and when is not None:
            url = data.get("profile_url")
            slug = profile_slug(url) if isinstance(url, str) else None
            yield Inviter(ident, name, slug, when)


@dataclass
class Talk:
    """What was said between you and one inviter, kept only as far as the facts need it."""

    since: datetime
    your_days: set[date] = field(default_factory=set)
    their_days: set[date] = field(default_factory=set)
    yours_after: list[datetime] = field(default_factory=list)
    theirs_after: list[tuple[datetime, str]] = field(default_factory=list)

    def add(self, at: datetime, theirs: bool, text: str) -> None:
        """One message, written at ``at`` (UTC, naive), by the inviter when ``theirs``."""
        if at < self.since:
            (self.their_days if theirs else self.your_days).add(at.date())
        elif theirs:
            self.theirs_after.append((at, text))
        else:
            self.yours_after.append(at)

    def facts(self) -> dict[str, Any]:
        found: dict[str, Any] = {"exchanges": len(self.your_days & self.their_days)}
        answer = self.answer()
        if answer is not None:
            found["follow_up"] = answer
        return found

    def answer(self) -> str | None:
        """The inviter's answer to your first message after the invitation, if any."""
        if not self.yours_after:
            return None
        asked = min(self.yours_after)
        theirs = sorted((at, text) for at, text in self.theirs_after if at > asked)
        if not theirs:
            return None
        first = theirs[0][0]
        until = min((at for at in self.yours_after if at > first), default=None)
        texts = [text.strip() for at, text in theirs if until is None or at < until]
        answer = "\n\n".join(text for text in texts if text)
        return answer[:MAX_STRING_CHARS] if answer else None


class Inviters:
    """The pending inviters, found by profile address or, lacking one, by name."""

    def __init__(self, inviters: Iterable[Inviter]) -> None:
        self._by_slug: dict[str, Inviter] = {}
        self._by_name: dict[str, Inviter | None] = {}
        self._unaddressed: dict[str, Inviter | None] = {}
        self.talks: dict[str, Talk] = {}
        for inviter in inviters:
            name = folded_name(inviter.name)
            _add(self._by_name, name, inviter)
            if inviter.slug:
                self._by_slug.setdefault(inviter.slug, inviter)
            else:
                _add(self._unaddressed, name, inviter)
            self.talks[inviter.id] = Talk(inviter.since)

    def __bool__(self) -> bool:
        return bool(self.talks)

    def names(self) -> list[str]:
        """The names that find an inviter."""
        return [inviter.name for inviter in self._by_name.values() if inviter is not None]

    def find(self, slug: str | None, name: str) -> Inviter | None:
        """The inviter with this profile slug, or this name when either side has no address.

        A name that two inviters share finds neither: nobody can tell whose
        message it is.
        """
        if slug:
            return self._by_slug.get(slug) or self._unaddressed.get(folded_name(name))
        return self._by_name.get(folded_name(name))

    def said(self, inviter: Inviter, at: datetime, theirs: bool, text: str) -> None:
        self.talks[inviter.id].add(at, theirs, text)

    def facts(self) -> dict[str, dict[str, Any]]:
        """Each inviter's facts: ``exchanges`` (0 when you never talked), ``follow_up``."""
        return {ident: talk.facts() for ident, talk in self.talks.items()}


def _add(table: dict[str, Inviter | None], name: str, inviter: Inviter) -> None:
    """Add ``inviter`` under ``name``; a name taken twice finds nobody (None)."""
    table[name] = None if name in table else inviter
