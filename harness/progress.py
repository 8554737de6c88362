"""A long wait says what it waits for (issue 8 item 2: live progress).

A wait of the harness that lasts longer than :data:`ANNOUNCE_AFTER_S` is announced once, e.g.
"waiting up to 30 s for BootNotification" or "waiting up to 120 s for the operator: plug in
EVSE 1", so a run against a slow or silent device does not look hung. Most waits end within
milliseconds on a good SUT and say nothing::

    with waiting("BootNotification", timeout_s):
        ...  # the wait itself, bounded by timeout_s

The announcement goes to one process-wide *sink*: the progress plugin of a pytest run
(:mod:`harness.report.progress`) installs one that writes to the terminal. Without a sink (unit
tests of the peers, the reference SUTs on their own, library use) a wait costs one attribute
check and prints nothing. With one it costs one event-loop timer, cancelled when the wait ends.
Announcements are made from the running asyncio loop only: a wait with no running loop (plain
blocking code) is not announced.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType

#: Seconds a wait lasts before it says what it waits for (tests patch it smaller).
ANNOUNCE_AFTER_S = 3.0

Sink = Callable[[str], None]

_sink: Sink | None = None


def set_sink(sink: Sink | None) -> Sink | None:
    """Send announcements to ``sink`` from now on (None: nowhere); returns the previous one."""
    global _sink
    previous, _sink = _sink, sink
    return previous


def current_sink() -> Sink | None:
    """Where announcements go now (None: nowhere)."""
    return _sink


@contextmanager
def sink_installed(sink: Sink) -> Iterator[None]:
    """Send announcements to ``sink`` inside the block, then back to where they went before."""
    previous = set_sink(sink)
    try:
        yield
    finally:
        set_sink(previous)


def seconds(value: float) -> str:
    """A timeout as a person reads it: ``30``, ``2.5``, ``0.25``."""
    return f"{value:g}"


class _Announced:
    """Announce ``text`` once the block has lasted :data:`ANNOUNCE_AFTER_S` (see the module doc)."""

    __slots__ = ("_text", "_timer")

    def __init__(self, text: str | Callable[[], str], limit_s: float | None) -> None:
        self._timer: asyncio.TimerHandle | None = None
        self._text = text
        if _sink is None:
            return
        after = ANNOUNCE_AFTER_S
        if limit_s is not None and limit_s <= after:
            return  # over before it would be worth a line
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._timer = loop.call_later(after, self._fire)

    def _fire(self) -> None:
        self._timer = None
        sink = _sink
        if sink is None:
            return
        text = self._text() if callable(self._text) else self._text
        sink(text)

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


def waiting(what: str | Callable[[], str], timeout_s: float | None) -> _Announced:
    """Announce "waiting up to ``timeout_s`` s for ``what``" if the block lasts a while.

    ``what`` completes the sentence ("BootNotification", "the answer to GetVariables", "the
    operator: plug in EVSE 1"); a callable is called only when the announcement is made (for
    texts that cost something to build). Use it around the wait, with the wait's own timeout.
    """
    if _sink is None:
        return _Announced("", None)
    if timeout_s is None:
        return _Announced(_lazy("waiting for ", what), None)
    return _Announced(_lazy(f"waiting up to {seconds(timeout_s)} s for ", what), timeout_s)


def watching(what: str | Callable[[], str], for_s: float) -> _Announced:
    """Announce "watching ``for_s`` s: ``what``" for a deliberate wait that must see nothing
    (``what`` e.g. "no StatusNotification may come")."""
    if _sink is None:
        return _Announced("", None)
    return _Announced(_lazy(f"watching {seconds(for_s)} s: ", what), for_s)


def _lazy(prefix: str, what: str | Callable[[], str]) -> str | Callable[[], str]:
    if callable(what):
        return lambda: prefix + what()
    return prefix + what
