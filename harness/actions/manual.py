"""``actions: {type: manual}``: a person at the terminal carries out the action (issue 8 item 1).

The prompt talks to the controlling terminal (``/dev/tty``), not to stdin/stdout: under
``ocpp-harness run`` (pytest as a child process) and under plain ``pytest`` without ``-s`` stdin
is redirected and stdout captured, yet the terminal the run was started from is still there.
While prompting, pytest's output capture is suspended (the ``suspend`` hook). The answer:

* Enter (an empty line, or ``y``/``yes``/``ok``/``done``) confirms;
* ``s`` or ``skip`` says the step cannot be done: INCONCLUSIVE "operator skipped: ...";
* no answer within ``timeouts.action_s``: INCONCLUSIVE; end of input (Ctrl-D) is no confirmation;
* no controlling terminal at all (CI, ``setsid``), or a run in the terminal's background: the
  case is INCONCLUSIVE at once, naming the instruction.

Input typed before the prompt appeared is discarded, so a stray Enter confirms nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import termios
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager
from typing import Any

from harness.actions.catalog import OPTIONAL
from harness.actions.templates import fill_text
from harness.progress import waiting
from harness.verdicts import Inconclusive

TTY = "/dev/tty"
CONFIRM = frozenset({"", "y", "yes", "ok", "done"})
SKIP = frozenset({"s", "skip"})


class NoTerminal(Exception):
    """There is no terminal to ask (no controlling terminal, or the run is in its background)."""


class Terminal:
    """A terminal opened read/write for one prompt; reads never block the event loop."""

    def __init__(self, path: str = TTY) -> None:
        try:
            self.fd = os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        except OSError as exc:
            raise NoTerminal(f"cannot open {path}: {exc.strerror}") from None
        self._buffer = b""
        if self._in_background():
            os.close(self.fd)
            raise NoTerminal("the run is in the background of its terminal")

    def _in_background(self) -> bool:
        """Whether another process group owns the terminal (reading would stop this one)."""
        try:
            return os.tcgetpgrp(self.fd) != os.getpgrp()
        except OSError:  # not our controlling terminal (a path given explicitly): no job control
            return False

    def close(self) -> None:
        os.close(self.fd)

    def discard_typed_ahead(self) -> None:
        with contextlib.suppress(termios.error, OSError):
            termios.tcflush(self.fd, termios.TCIFLUSH)

    def write(self, text: str) -> None:
        data = text.encode(errors="replace")
        deadline = time.monotonic() + 1.0  # a terminal that does not take a prompt loses it
        while data and time.monotonic() < deadline:
            try:
                data = data[os.write(self.fd, data) :]
            except BlockingIOError:
                time.sleep(0.01)

    def read_lines(self) -> list[str] | None:
        """The complete lines available now ([] if none yet); None at end of input."""
        try:
            chunk = os.read(self.fd, 4096)
        except BlockingIOError:
            return []
        except OSError:  # the terminal went away (hang-up)
            return None
        if not chunk:
            return None
        self._buffer += chunk
        *lines, self._buffer = self._buffer.split(b"\n")
        return [line.decode(errors="replace").strip().lower() for line in lines]


def _no_suspend() -> AbstractContextManager[None]:
    return contextlib.nullcontext()


class ManualOperator:
    """Asks a person at the terminal; INCONCLUSIVE without a terminal, on skip or after
    ``timeout_s``. ``prompts`` replace the instruction per action (``{{placeholders}}``
    filled in) and are the only way an optional lifecycle action is asked for."""

    #: Once a CSMS under test acted on the step, the prompt is closed (SutActions.ask_csms).
    closes_when_acted = True

    def __init__(
        self,
        timeout_s: float,
        *,
        prompts: Mapping[str, str] | None = None,
        common: Mapping[str, object] | None = None,
        suspend: Callable[[], AbstractContextManager[None]] = _no_suspend,
        tty: str = TTY,
    ) -> None:
        self.timeout_s = timeout_s
        self.prompts: Mapping[str, str] = prompts or {}
        self.common: Mapping[str, object] = common or {}
        #: Suspends pytest's output capture while the operator is asked.
        self.suspend = suspend
        self.tty = tty

    def provides(self, action: str) -> bool:
        return action not in OPTIONAL or action in self.prompts

    def instruction(self, action: str, default: str, params: Mapping[str, Any]) -> str:
        template = self.prompts.get(action)
        return default if template is None else fill_text(template, {**self.common, **params})

    async def perform(self, action: str, instruction: str, **params: Any) -> Any:
        text = self.instruction(action, instruction, params)
        try:
            terminal = Terminal(self.tty)
        except NoTerminal as exc:
            raise Inconclusive(
                f"operator action needed but no terminal is attached: {text} ({exc})"
            ) from None
        try:
            with self.suspend():
                await self._ask(terminal, action, text)
        finally:
            terminal.close()
        return None

    async def _ask(self, terminal: Terminal, action: str, text: str) -> None:
        terminal.discard_typed_ahead()
        terminal.write(
            f"\a\n>>> OPERATOR ({action}): {text}\n"
            f"    Press Enter when done, or type s and Enter if it cannot be done.\n"
            f"    Waiting up to {self.timeout_s:g} s ...\n"
        )
        deadline = time.monotonic() + self.timeout_s
        with waiting(f"the operator: {text}", self.timeout_s), _reading(terminal) as answers:
            while True:
                try:
                    async with asyncio.timeout_at(_loop_time(deadline)):
                        answer = await answers.get()
                except TimeoutError:
                    terminal.write(f"    no answer within {self.timeout_s:g} s: INCONCLUSIVE\n")
                    raise Inconclusive(
                        f"operator did not confirm within {self.timeout_s:g} s: {text}"
                    ) from None
                if answer is None:
                    raise Inconclusive(f"operator input closed before confirming: {text}")
                if answer in CONFIRM:
                    terminal.write("    confirmed\n")
                    return
                if answer in SKIP:
                    terminal.write("    skipped: INCONCLUSIVE\n")
                    raise Inconclusive(f"operator skipped: {text}")
                left = max(0.0, deadline - time.monotonic())
                terminal.write(
                    f"    {answer!r}? Press Enter when done, or type s to skip "
                    f"({left:.0f} s left)\n"
                )


def _loop_time(deadline: float) -> float:
    """A ``time.monotonic`` deadline on the running loop's clock."""
    loop = asyncio.get_running_loop()
    return loop.time() + (deadline - time.monotonic())


@contextlib.contextmanager
def _reading(terminal: Terminal) -> Iterator[asyncio.Queue[str | None]]:
    """Lines typed at the terminal (None: end of input), read as they come."""
    loop = asyncio.get_running_loop()
    answers: asyncio.Queue[str | None] = asyncio.Queue()

    def on_input() -> None:
        lines = terminal.read_lines()
        if lines is None:
            loop.remove_reader(terminal.fd)
            answers.put_nowait(None)
            return
        for line in lines:
            answers.put_nowait(line)

    loop.add_reader(terminal.fd, on_input)
    try:
        yield answers
    finally:
        loop.remove_reader(terminal.fd)
