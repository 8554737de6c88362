"""``actions: {type: shell}``: each action runs the profile's command under bash (issue 8 item 7).

The command is run as ``bash -o pipefail -c COMMAND`` (a failing ``curl ... | jq`` fails the
action), in its own process group, with stdin from /dev/null and ``{{placeholders}}`` filled in
shell-quoted (:mod:`harness.actions.templates`). Output goes to temporary files, not pipes: a
command may leave a process running in the background (``start: ./simulator &``) without the
harness waiting for it or the process dying of a closed pipe. A non-zero exit or no exit within
``timeouts.action_s`` (the whole process group is then killed) makes the case INCONCLUSIVE, with
the exit code and the last lines of stdout and stderr.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import tempfile
from collections.abc import Mapping
from typing import IO, Any

from harness.actions.templates import fill_shell
from harness.progress import waiting
from harness.verdicts import HarnessError, Inconclusive

#: What a failure reason shows of each stream: this many last lines, each cut to LINE_CHARS.
TAIL_LINES = 5
LINE_CHARS = 200
#: The most of stdout returned as the action's value.
RESULT_BYTES = 1 << 20
_COMMAND_CHARS = 120


def _bash() -> str:
    return shutil.which("bash") or "/bin/bash"


def tail(data: bytes, *, lines: int = TAIL_LINES, width: int = LINE_CHARS) -> str:
    """The last ``lines`` non-empty lines of ``data``, each cut to ``width``, joined by `` | ``."""
    text = data.decode(errors="replace")
    kept = [line.rstrip() for line in text.splitlines() if line.strip()][-lines:]
    return " | ".join(line if len(line) <= width else line[: width - 1] + "…" for line in kept)


def _read_tail(stream: IO[bytes]) -> bytes:
    size = stream.seek(0, os.SEEK_END)
    stream.seek(max(0, size - TAIL_LINES * LINE_CHARS * 4))
    return stream.read()


def _short(command: str) -> str:
    line = " ".join(command.split())
    return line if len(line) <= _COMMAND_CHARS else line[: _COMMAND_CHARS - 1] + "…"


class ShellOperator:
    """Runs the profile's shell command for an action, with its parameters filled in."""

    def __init__(
        self,
        commands: Mapping[str, str],
        timeout_s: float,
        *,
        common: Mapping[str, object] | None = None,
    ) -> None:
        self.commands = commands
        self.timeout_s = timeout_s
        #: Values every command may use (``{{identity}}``).
        self.common: Mapping[str, object] = common or {}

    def provides(self, action: str) -> bool:
        return action in self.commands

    async def perform(self, action: str, instruction: str, **params: Any) -> Any:
        template = self.commands.get(action)
        if template is None:
            raise Inconclusive(
                f"no shell command configured for {action!r} (sut.actions.commands.{action}): "
                f"{instruction}"
            )
        values = {**self.common, **params}
        try:
            command = fill_shell(template, values)
        except KeyError as exc:  # the profile check rules this out; a direct caller may not
            raise HarnessError(
                f"sut.actions.commands.{action} uses {{{{{exc.args[0]}}}}}, which {action} does "
                f"not provide (available: {', '.join(sorted(values)) or 'none'})"
            ) from None
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            code = await self._run(action, command, out, err)
            if code != 0:
                raise Inconclusive(
                    f"{action}: the shell command `{_short(command)}` exited with {code}"
                    f"{self._streams(out, err)}"
                )
            out.seek(0)
            return out.read(RESULT_BYTES).decode(errors="replace")

    async def _run(self, action: str, command: str, out: IO[bytes], err: IO[bytes]) -> int:
        proc = await asyncio.create_subprocess_exec(
            _bash(),
            "-o",
            "pipefail",
            "-c",
            command,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,  # its own process group: a timeout kills its children too
        )
        try:
            async with asyncio.timeout(self.timeout_s):
                with waiting(f"the {action} command: {_short(command)}", self.timeout_s):
                    return await proc.wait()
        except TimeoutError:
            _kill_group(proc.pid)
            await proc.wait()
            raise Inconclusive(
                f"{action}: the shell command `{_short(command)}` did not finish within "
                f"{self.timeout_s:g} s (timeouts.action_s); its process group was killed"
                f"{self._streams(out, err)}"
            ) from None
        except BaseException:  # cancelled (the case ended, ^C): leave nothing running
            _kill_group(proc.pid)
            raise

    @staticmethod
    def _streams(out: IO[bytes], err: IO[bytes]) -> str:
        parts = [
            f"{name}: {text}"
            for name, stream in (("stdout", out), ("stderr", err))
            if (text := tail(_read_tail(stream)))
        ]
        return f" ({'; '.join(parts)})" if parts else " (no output)"


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
