"""SIGTERM and SIGINT stop a run in order, so the report of every finished case survives.

The first SIGTERM asks pytest to stop after the current item (``session.shouldstop``), marks the
case that is running as cut short (it gets no verdict: whatever it saw so far is not one), and
then does what SIGINT does: inside an asyncio test the task is cancelled (``asyncio.Runner``
turns that into :class:`KeyboardInterrupt` once the test's own ``finally`` blocks have run);
anywhere else :class:`KeyboardInterrupt` is raised at once. pytest then tears down and runs
``pytest_sessionfinish``, which writes the report, marked interrupted.

A repeat within ``grace_s`` (``ocpp-harness run`` forwards the signal it got, and a terminal's
^C reaches both processes) or while the report is being written is ignored; a later one ends
the process the default way, so a stuck teardown can still be killed.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any


class StopOnSignal:
    """The SIGTERM handler of a run (see the module doc)."""

    def __init__(self, on_stop: Callable[[str], None], grace_s: float = 3.0) -> None:
        self.on_stop = on_stop
        self.grace_s = grace_s
        #: The first signal that stopped the run ("SIGTERM", "SIGINT"), or None.
        self.received: str | None = None
        self._at = 0.0
        self._finishing = False
        self._previous: Any = None
        self._installed = False

    def install(self) -> None:
        """Handle SIGTERM (main thread only: elsewhere Python cannot)."""
        if threading.current_thread() is threading.main_thread() and not self._installed:
            self._previous = signal.signal(signal.SIGTERM, self)
            self._installed = True

    def uninstall(self) -> None:
        """Put the previous SIGTERM handler back."""
        if self._installed:  # None: the previous handler was not set from Python
            signal.signal(signal.SIGTERM, self._previous or signal.SIG_DFL)
            self._installed = False

    def note(self, name: str) -> None:
        """Record a stop that reached pytest some other way (^C: ``pytest_keyboard_interrupt``)."""
        if self.received is None:
            self.received, self._at = name, time.monotonic()

    @contextmanager
    def shielded(self) -> Iterator[None]:
        """While the report is written, SIGTERM and SIGINT are ignored (it takes little time)."""
        main = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
        self._finishing = True
        try:
            yield
        finally:
            self._finishing = False
            if previous is not None:
                signal.signal(signal.SIGINT, previous)

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if self._finishing:
            return
        if self.received is not None:
            if time.monotonic() - self._at < self.grace_s:
                return
            signal.signal(signum, signal.SIG_DFL)
            signal.raise_signal(signum)
            return
        self.note(name)
        self.on_stop(name)
        interrupt = signal.getsignal(signal.SIGINT)
        if callable(interrupt) and interrupt is not signal.default_int_handler:
            interrupt(signal.SIGINT, frame)  # asyncio.Runner: cancel the running test's task
            return
        raise KeyboardInterrupt(f"{name}: stopping; the report keeps every finished case")
