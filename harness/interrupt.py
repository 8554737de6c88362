"""SIGTERM and SIGINT stop a run in order, so the report of every finished case survives.

The first SIGTERM asks pytest to stop after the current item (``session.shouldstop``), marks the
case that is running as cut short (it gets no verdict: whatever it saw so far is not one), and
then does what SIGINT does: inside an asyncio test the task is cancelled (``asyncio.Runner``
turns that into :class:`KeyboardInterrupt` once the test's own ``finally`` blocks have run);
anywhere else :class:`KeyboardInterrupt` is raised at once. pytest then tears down and runs
``pytest_sessionfinish``, which writes the report, marked interrupted.

SIGINT inside an asyncio test reaches ``asyncio.Runner``'s handler, which only cancels the
test's task: a case whose code swallows that cancellation (Python 3.11's ``asyncio.timeout``
turns a cancellation that races its own expiry into :class:`TimeoutError`) would run on, and
the session with it. So the Runner's handler is wrapped to ask pytest to stop after the current
item first, as SIGTERM does.

A repeat within ``grace_s`` (``ocpp-harness run`` forwards the signal it got, and a terminal's
^C reaches both processes) or while the report is being written is ignored; a later one ends
the process the default way, so a stuck teardown can still be killed.
"""

from __future__ import annotations

import asyncio
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

#: True while a stop handler hands its signal to ``asyncio.Runner``'s SIGINT handler (which is
#: then no SIGINT of its own for the wrapper of :meth:`StopOnSignal.install`).
_forwarding = False


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
        self._runner_sigint: Any = None

    def install(self) -> None:
        """Handle SIGTERM (main thread only: elsewhere Python cannot), and see SIGINT through
        ``asyncio.Runner``'s handler."""
        if threading.current_thread() is threading.main_thread() and not self._installed:
            self._previous = signal.signal(signal.SIGTERM, self)
            self._runner_sigint = getattr(asyncio.Runner, "_on_sigint", None)
            original, stopper = self._runner_sigint, self
            if original is not None:

                def on_sigint(runner: Any, signum: int, frame: Any, main_task: Any) -> Any:
                    if not _forwarding:  # a real SIGINT, not a stop handler's forwarding
                        stopper.interrupted("SIGINT")
                    return original(runner, signum, frame, main_task)

                asyncio.Runner._on_sigint = on_sigint  # type: ignore[attr-defined]
            self._installed = True

    def uninstall(self) -> None:
        """Put the previous SIGTERM handler and the Runner's SIGINT handler back."""
        if self._installed:  # None: the previous handler was not set from Python
            signal.signal(signal.SIGTERM, self._previous or signal.SIG_DFL)
            if self._runner_sigint is not None:
                asyncio.Runner._on_sigint = self._runner_sigint  # type: ignore[attr-defined]
            self._installed = False

    def interrupted(self, name: str) -> None:
        """A SIGINT seen by the asyncio runner: no further case starts (the runner cancels the
        running one); a repeat or one during the report's writing changes nothing."""
        if self.received is None and not self._finishing:
            self.note(name)
            self.on_stop(name)

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
            global _forwarding
            _forwarding = True
            try:
                interrupt(signal.SIGINT, frame)  # asyncio.Runner: cancel the running test's task
            finally:
                _forwarding = False
            return
        raise KeyboardInterrupt(f"{name}: stopping; the report keeps every finished case")
