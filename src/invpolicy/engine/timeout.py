"""A time limit on each plugin call while deciding, so that a hanging plugin stops nothing.

A run (:func:`invpolicy.engine.runner.compare_stream`) holds a :class:`Limit`
and makes it :func:`current` around each decision; the checks and renders of
plugins that are not built in are wrapped by :func:`limited` when compiled,
and only they arm the timer. On POSIX, in the main thread, ``SIGALRM`` then
raises :class:`PluginTimeout`, a ``BaseException`` that a plugin's
``except Exception`` cannot swallow. A call inside C code is only stopped
when it returns; elsewhere (Windows, another thread) there is no limit.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from invpolicy.text import one_line

F = TypeVar("F", bound=Callable[..., Any])

#: The time limit of each plugin call, in seconds, unless a run says otherwise.
DEFAULT_SECONDS = 10.0


class PluginTimeout(BaseException):
    """A plugin's call ran past the time limit, or its plugin was switched off for that."""

    def __init__(self, plugin: str, message: str) -> None:
        super().__init__(message)
        self.plugin = plugin


def _say(message: str) -> None:
    print(one_line(message), file=sys.stderr)


class Limit:
    """The time limit of one run, and the plugins it has switched off."""

    def __init__(self, seconds: float | None, report: Callable[[str], None] = _say) -> None:
        self.seconds = seconds or 0.0
        self.off: set[str] = set()
        self.report = report

    def switch_off(self, plugin: str) -> None:
        """Switch ``plugin`` off for the rest of the run, saying so once."""
        if plugin not in self.off:
            self.off.add(plugin)
            self.report(
                f"Warning: plugin {plugin} took longer than {self.seconds:g} s "
                "and is switched off for the rest of the run"
            )

    def call(self, plugin: str, function: Callable[..., Any], *args: Any) -> Any:
        if plugin in self.off:
            raise PluginTimeout(
                plugin, f"plugin {plugin} was switched off: it took longer than {self.seconds:g} s"
            )
        if not self.seconds or threading.current_thread() is not threading.main_thread():
            return function(*args)

        def alarm(signum: int, frame: object) -> None:
            raise PluginTimeout(plugin, f"plugin {plugin} took longer than {self.seconds:g} s")

        previous = signal.signal(signal.SIGALRM, alarm)
        signal.setitimer(signal.ITIMER_REAL, self.seconds)
        try:
            return function(*args)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


_current: Limit | None = None


@contextmanager
def current(limit: Limit) -> Iterator[None]:
    """Make ``limit`` the one the wrapped plugin calls obey, for the ``with`` block."""
    global _current
    previous, _current = _current, limit
    try:
        yield
    finally:
        _current = previous


def limited(plugin: str, function: F) -> F:
    """``function`` (a plugin's check or render) under the current run's time limit.

    Where there is no ``SIGALRM``, ``function`` itself: there is no limit.
    """
    if not hasattr(signal, "setitimer"):
        return function

    def call(*args: Any) -> Any:
        limit = _current
        if limit is None:
            return function(*args)
        return limit.call(plugin, function, *args)

    return call  # type: ignore[return-value]
