"""What a test case (and the harness itself) may ask the SUT to do, whoever carries it out.

Each method names its parameters explicitly; the operator (DESIGN §3: built-in, manual, shell or
http) receives the action's name, an instruction a person can follow, and the parameters that
fill the profile's ``{{placeholders}}`` (:mod:`harness.actions.catalog`). The lifecycle actions
(issue 8 item 7) are ``start``/``stop`` (once per session), ``reset`` (back to the OCA general
preconditions, Part 6 §2.1/§3.1, when restoring them failed) and ``reboot``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from harness.actions.catalog import OPTIONAL


class Operator(Protocol):
    """Whoever carries out an action: the reference SUT, a person, a shell command, a request."""

    async def perform(self, action: str, instruction: str, **params: Any) -> Any: ...

    def provides(self, action: str) -> bool:
        """Whether this operator is set up for ``action`` (optional lifecycle actions that are
        not are skipped)."""
        ...


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

    # -- lifecycle (issue 8 item 7) ---------------------------------------------------------
    def provides(self, action: str) -> bool:
        """Whether ``action`` is configured (an optional lifecycle action may not be)."""
        return self.operator.provides(action)

    async def _optional(self, action: str, instruction: str) -> bool:
        if action in OPTIONAL and not self.operator.provides(action):
            return False
        await self.operator.perform(action, instruction)
        return True

    async def start(self) -> bool:
        """``start``: once, when the session starts; False when none is configured."""
        return await self._optional("start", "Start the system under test")

    async def stop(self) -> bool:
        """``stop``: once, when the session ends (also after a failure or an interrupt)."""
        return await self._optional("stop", "Stop the system under test")

    async def reset(self) -> bool:
        """``reset``: bring the SUT back to the general preconditions (OCA Part 6 §2.1/§3.1);
        False when none is configured."""
        return await self._optional(
            "reset",
            "Bring the system under test back to its initial state (booted, no transaction, "
            "every connector Available)",
        )

    async def reboot(self) -> None:
        if self.on_reboot is not None:
            self.on_reboot()
        await self.operator.perform("reboot", "Power-cycle (reboot) the charging station")

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

    async def request_reset(self, kind: str = "Immediate") -> Any:
        """In the CSMS, reset the charging station (not the lifecycle :meth:`reset`)."""
        return await self.operator.perform(
            "request_reset", f"In the CSMS, reset the charging station ({kind})", kind=kind
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
