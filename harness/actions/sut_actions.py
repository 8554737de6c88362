"""What a test case (and the harness itself) may ask the SUT to do, whoever carries it out.

Each method names its parameters explicitly; the operator (DESIGN §3: built-in, manual, shell or
http) receives the action's name, an instruction a person can follow, and the parameters that
fill the profile's ``{{placeholders}}`` (:mod:`harness.actions.catalog`). The lifecycle actions
(issue 8 item 7) are ``start``/``stop`` (once per session), ``reset`` (back to the OCA general
preconditions, Part 6 §2.1/§3.1, when restoring them failed) and ``reboot``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any, Protocol

from harness.actions.catalog import OPTIONAL
from harness.actions.csms_core_requests import CoreRequests
from harness.actions.csms_device_requests import DeviceRequests


class Operator(Protocol):
    """Whoever carries out an action: the reference SUT, a person, a shell command, a request."""

    async def perform(self, action: str, instruction: str, **params: Any) -> Any: ...

    def provides(self, action: str) -> bool:
        """Whether this operator is set up for ``action`` (optional lifecycle actions that are
        not are skipped)."""
        ...


class SutActions(CoreRequests, DeviceRequests):
    """The actions a test case may ask for; each names its parameters explicitly."""

    def __init__(
        self,
        operator: Operator,
        *,
        valid_token: str,
        invalid_token: str,
        on_reboot: Callable[[], None] | None = None,
        next_call: Callable[[], asyncio.Future[None]] | None = None,
    ) -> None:
        self.operator = operator
        self.valid_token = valid_token
        self.invalid_token = invalid_token
        #: Told before a reboot is asked for: the harness then waits for the station's
        #: BootNotification before the next case, however late the reboot comes.
        self.on_reboot = on_reboot
        #: A CSMS under test: a future resolved by the CSMS's next CALL (see :meth:`ask_csms`).
        self.next_call = next_call
        #: Requests to a CSMS still open after the CSMS acted on them (finished in the
        #: background, bounded by their own timeout; :meth:`settle` ends them).
        self.background: set[asyncio.Task[Any]] = set()

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

    async def set_connector_faulted(
        self, evse_id: int = 1, connector_id: int = 1, *, faulted: bool
    ) -> None:
        """1.6 §4.9 / §5.13: a connector in (or out of) an error state (status Faulted)."""
        what = "Make" if faulted else "Clear the error of"
        state = " report an error (status Faulted)" if faulted else ""
        await self.operator.perform(
            "set_connector_faulted",
            f"{what} EVSE {evse_id} connector {connector_id}{state}",
            evse_id=evse_id,
            connector_id=connector_id,
            faulted=faulted,
        )

    async def jam_connector_lock(
        self, evse_id: int = 1, connector_id: int = 1, *, jammed: bool
    ) -> None:
        """1.6 §5.18, §7.6 (TC_024_CS, TC_030_CS): the connector's cable lock jams, so the next
        lock or unlock fails (or it is repaired)."""
        what = "Jam" if jammed else "Repair"
        await self.operator.perform(
            "jam_connector_lock",
            f"{what} the cable lock of EVSE {evse_id} connector {connector_id}"
            + (" (locking and unlocking fail)" if jammed else ""),
            evse_id=evse_id,
            connector_id=connector_id,
            jammed=jammed,
        )

    async def refuse_reservations(self, *, refused: bool) -> None:
        """1.6 §5.13 (TC_048_4_CS, TC_050_4_CS): the charge point configured not to accept
        reservations (ReserveNow then Rejected), or to accept them again."""
        await self.operator.perform(
            "refuse_reservations",
            "Configure the charge point to "
            + ("refuse every reservation (ReserveNow)" if refused else "accept reservations again"),
            refused=refused,
        )

    async def store_customer_identifier(self, customer_identifier: str) -> None:
        """TC_N_62_CS memory state: customer data stored at the station under an identifier."""
        await self.operator.perform(
            "store_customer_identifier",
            f"At the charging station, store customer data for customer identifier "
            f"{customer_identifier!r}",
            customer_identifier=customer_identifier,
        )

    async def restore_security_profile(self, security_profile: int, csms_url: str) -> None:
        """After TC_A_19 (A05): OCPP cannot lower a station's security profile (B09.FR.04) and
        a CSMS refuses the old one for good (A05.FR.07): a technician puts it back."""
        where = "the charging station to" if self.next_call is None else "the CSMS for"
        await self.ask_csms(
            "restore_security_profile",
            f"Reconfigure {where} the original connection: security profile "
            f"{security_profile}, CSMS URL {csms_url}",
            security_profile=security_profile,
            csms_url=csms_url,
        )

    # -- CSMS under test ---------------------------------------------------------------------
    async def ask_csms(self, action: str, instruction: str, **params: Any) -> Any:
        """Have the operator ask the CSMS under test to act; return once it has acted.

        Many CSMS APIs (and a person at a CSMS's screen) finish a request only after the station
        has answered the CALL it causes, while the case can answer that CALL only once the
        action returned. So the action is done when the operator finishes *or* when the CSMS
        sends its next CALL, whichever comes first: the CALL is the CSMS acting. A request still
        open then finishes in the background (its outcome is no longer the case's concern); a
        manual prompt is closed, the operator's step being plainly done. An operator that fails
        before the CSMS sent anything fails the action as usual (INCONCLUSIVE)."""
        if self.next_call is None:
            return await self.operator.perform(action, instruction, **params)
        acted = self.next_call()
        task = asyncio.ensure_future(self.operator.perform(action, instruction, **params))
        try:
            await asyncio.wait({task, acted}, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            task.cancel()
            raise
        finally:
            acted.cancel()
        if task.done():
            return task.result()
        if getattr(self.operator, "closes_when_acted", False):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
            return None
        self.background.add(task)
        task.add_done_callback(self._finished)
        return None

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self.background.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved: the CSMS acted, the request's own end does not count

    async def settle(self, timeout_s: float = 5.0) -> None:
        """End the background requests (session end): wait up to ``timeout_s``, then cancel."""
        if not self.background:
            return
        _, pending = await asyncio.wait(set(self.background), timeout=timeout_s)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending, timeout=1.0)
