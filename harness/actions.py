"""SUT actions: what the harness cannot do over OCPP but a test case needs done to the SUT.

A charging station under test must be plugged in, shown a token, rebooted, cut off the network; a
CSMS under test must be made to start a transaction remotely, reset a station, change a setting.
Three adapters (DESIGN §3, ``sut.actions.type`` in the profile):

* ``builtin`` — drives the reference SUTs in-process;
* ``manual`` — prints the instruction and waits for the operator to press Enter; no answer within
  ``timeouts.action_s`` (or no terminal at all) makes the case INCONCLUSIVE;
* ``shell`` — runs the profile's command for the action (``{evse_id}``, ``{id_token}``... are
  filled in); a missing command, a non-zero exit or a timeout makes the case INCONCLUSIVE.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from harness.verdicts import HarnessError, Inconclusive


class Operator(Protocol):
    """Whoever carries out an action: the reference SUT, a person, or a shell command."""

    async def perform(self, action: str, instruction: str, **params: Any) -> Any: ...


class SutActions:
    """The actions a test case may ask for; each names its parameters explicitly."""

    def __init__(
        self,
        operator: Operator,
        *,
        valid_token: str,
        invalid_token: str,
        on_reboot: Callable[[], None] | None = None,
    ) -> None:
        self.operator = operator
        self.valid_token = valid_token
        self.invalid_token = invalid_token
        #: Told before a reboot is asked for: the harness then waits for the station's
        #: BootNotification before the next case, however late the reboot comes.
        self.on_reboot = on_reboot

    # -- charging station under test ---------------------------------------------------------
    async def plug_in(self, evse_id: int = 1, connector_id: int = 1) -> None:
        await self.operator.perform(
            "plug_in",
            f"Plug an EV into EVSE {evse_id} connector {connector_id}",
            evse_id=evse_id,
            connector_id=connector_id,
        )

    async def unplug(self, evse_id: int = 1, connector_id: int = 1) -> None:
        await self.operator.perform(
            "unplug",
            f"Unplug the EV from EVSE {evse_id} connector {connector_id}",
            evse_id=evse_id,
            connector_id=connector_id,
        )

    async def present_token(self, id_token: str | None = None, evse_id: int = 1) -> None:
        token = id_token or self.valid_token
        await self.operator.perform(
            "present_token",
            f"Present token {token!r} at EVSE {evse_id}",
            id_token=token,
            evse_id=evse_id,
        )

    async def reboot(self) -> None:
        if self.on_reboot is not None:
            self.on_reboot()
        await self.operator.perform("reboot", "Power-cycle (reboot) the charging station")

    async def go_offline(self) -> None:
        await self.operator.perform(
            "go_offline", "Disconnect the charging station from the network"
        )

    async def go_online(self) -> None:
        await self.operator.perform("go_online", "Reconnect the charging station to the network")

    # -- CSMS under test ---------------------------------------------------------------------
    async def remote_start(self, id_token: str | None = None, evse_id: int = 1) -> Any:
        token = id_token or self.valid_token
        return await self.operator.perform(
            "remote_start",
            f"In the CSMS, start a transaction remotely on EVSE {evse_id} for {token!r}",
            id_token=token,
            evse_id=evse_id,
        )

    async def remote_stop(self, transaction_id: str | int) -> Any:
        return await self.operator.perform(
            "remote_stop",
            f"In the CSMS, stop transaction {transaction_id} remotely",
            transaction_id=transaction_id,
        )

    async def reset(self, kind: str = "Immediate") -> Any:
        return await self.operator.perform(
            "reset", f"In the CSMS, reset the charging station ({kind})", kind=kind
        )

    async def change_availability(self, evse_id: int, *, operative: bool) -> Any:
        state = "operative" if operative else "inoperative"
        return await self.operator.perform(
            "change_availability",
            f"In the CSMS, make EVSE {evse_id} {state}",
            evse_id=evse_id,
            operative=operative,
        )

    async def change_setting(self, key: str, value: str) -> Any:
        return await self.operator.perform(
            "change_setting",
            f"In the CSMS, set {key} to {value!r} on the station",
            key=key,
            value=value,
        )

    async def trigger(self, message: str) -> Any:
        return await self.operator.perform(
            "trigger", f"In the CSMS, trigger a {message} message", message=message
        )


class BuiltinOperator:
    """Calls the method of the same name on a reference SUT.

    For the reference CSMS (``identity`` given: its operator methods take the station identity
    first) the command runs in the background, as an operator's click would: the harness station
    must be free to answer the CALL it causes while the script goes on.
    """

    def __init__(
        self, target: Any, *, identity: str | None = None, return_after_s: float = 0.0
    ) -> None:
        self.target = target
        self.identity = identity
        #: Return this long after the action (the ``late-actions`` variant: like a shell
        #: command that waits for the device, the SUT has long sent what the action causes).
        self.return_after_s = return_after_s
        self.background: set[asyncio.Task[Any]] = set()

    async def perform(self, action: str, instruction: str, **params: Any) -> Any:
        method = getattr(self.target, action, None)
        if method is None:
            raise HarnessError(f"the built-in SUT has no action {action!r}")
        if self.identity is None:
            result = await method(**params)
            await asyncio.sleep(self.return_after_s)
            return result
        task = asyncio.ensure_future(method(self.identity, **params))
        self.background.add(task)
        task.add_done_callback(self._finished)
        await asyncio.sleep(self.return_after_s)
        return None

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self.background.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved: the station's side of the exchange is the evidence


def _stdin_is_terminal() -> bool:
    with contextlib.suppress(ValueError, OSError):
        return sys.stdin is not None and os.isatty(sys.stdin.fileno())
    return False


class ManualOperator:
    """Asks a person at the terminal; INCONCLUSIVE without a terminal or after ``timeout_s``."""

    def __init__(
        self,
        timeout_s: float,
        *,
        show: Callable[[str], None] | None = None,
        interactive: Callable[[], bool] = _stdin_is_terminal,
    ) -> None:
        self.timeout_s = timeout_s
        self.show = show or (lambda text: print(text, file=sys.stderr, flush=True))
        self.interactive = interactive

    async def perform(self, action: str, instruction: str, **params: Any) -> Any:
        if not self.interactive():
            raise Inconclusive(f"operator action needed but no terminal is attached: {instruction}")
        self.show(f"\n>>> OPERATOR: {instruction}, then press Enter (within {self.timeout_s:g} s)")
        loop = asyncio.get_running_loop()
        done: asyncio.Future[bool] = loop.create_future()

        def on_input() -> None:
            line = sys.stdin.readline()
            if not done.done():
                done.set_result(line != "")  # end of input (Ctrl-D) is not a confirmation

        loop.add_reader(sys.stdin.fileno(), on_input)
        try:
            async with asyncio.timeout(self.timeout_s):
                confirmed = await done
        except TimeoutError:
            raise Inconclusive(
                f"operator did not confirm within {self.timeout_s:g} s: {instruction}"
            ) from None
        finally:
            loop.remove_reader(sys.stdin.fileno())
        if not confirmed:
            raise Inconclusive(f"operator input closed before confirming: {instruction}")
        return None


class ShellOperator:
    """Runs the profile's shell command for an action, with its parameters filled in."""

    def __init__(self, commands: Mapping[str, str], timeout_s: float) -> None:
        self.commands = commands
        self.timeout_s = timeout_s

    async def perform(self, action: str, instruction: str, **params: Any) -> Any:
        template = self.commands.get(action)
        if template is None:
            raise Inconclusive(
                f"no shell command configured for {action!r} (sut.actions.commands.{action}): "
                f"{instruction}"
            )
        try:
            command = template.format(**params)
        except (KeyError, IndexError) as exc:
            raise HarnessError(
                f"sut.actions.commands.{action} uses {exc}, which {action} does not provide "
                f"(available: {', '.join(sorted(params)) or 'none'})"
            ) from None
        proc = await asyncio.create_subprocess_shell(
            command,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            start_new_session=True,  # its own process group, so a timeout kills its children too
        )
        try:
            async with asyncio.timeout(self.timeout_s):
                out, err = await proc.communicate()
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            await proc.wait()
            raise Inconclusive(
                f"{action}: the shell command did not finish within {self.timeout_s:g} s"
            ) from None
        if proc.returncode != 0:
            raise Inconclusive(
                f"{action}: the shell command exited with {proc.returncode}: {err.decode(errors='replace')[-500:]}"
            )
        return out.decode(errors="replace")
