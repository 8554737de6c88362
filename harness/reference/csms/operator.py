"""The reference CSMS's operator commands: what a person at a CSMS's screen (or its API) asks of
a connected station — remote start and stop, reset, availability, settings, triggers, network
profiles, logs, customer information. Each sends one CALL and returns the station's answer; the
control API (:mod:`harness.reference.serve`) and the built-in SUT actions call them.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

from harness.ocppj.frames import CallError, CallResult
from harness.ocppj.session import LocalProtocolError
from harness.reference.csms import (
    block_a,
    block_b,
    block_c,
    block_ej,
    block_fg,
    block_l,
    block_m,
    block_np,
    commands,
    v16_core,
)
from harness.reference.csms.commands import (
    Command,
    CommandError,
    CommandFailed,
    CommandTimeout,
    StationNotConnected,
)
from harness.reference.csms.handlers_common import triggered_action
from harness.reference.csms.operator_k import SmartChargingCommands
from harness.reference.csms.records import CsmsState
from harness.reference.csms.upgrade import SecurityLevels
from harness.transport.link import Link, LinkClosed, ResponseTimeout


class OperatorCommands(SmartChargingCommands):
    """Mixed into :class:`~harness.reference.csms.server.ReferenceCsms`, whose state it uses."""

    version: str
    faults: frozenset[str]
    state: CsmsState
    _links: dict[str, Link]
    _locks: dict[str, asyncio.Lock]
    _command_timeout_s: float
    _report_ids: Iterator[int]
    passwords: dict[str, str] | None
    security: SecurityLevels
    _spawn: Callable[[Coroutine[Any, Any, Any]], None]

    async def _command(self, identity: str, command: Command) -> dict[str, Any]:
        """Send ``command`` to ``identity`` and return its CALLRESULT payload (under the seeded
        fault ``csms-commands-dropped``: "Accepted" at once, nothing sent)."""
        if "csms-commands-dropped" in self.faults:
            return {"status": "Accepted"}
        action, payload = v16_core.command(self.version, self.faults, command)  # 1.6 Core
        lock = self._locks.setdefault(identity, asyncio.Lock())
        timeout = self._command_timeout_s
        try:
            async with asyncio.timeout(QUEUE_WAIT_S):
                await lock.acquire()
        except TimeoutError:
            raise CommandTimeout(
                f"{action} for station {identity!r} waited {QUEUE_WAIT_S:g} s for an earlier "
                "command to finish"
            ) from None
        try:
            link = self._links.get(identity)
            if link is None or link.closed.is_set():
                raise StationNotConnected(f"station {identity!r} is not connected")
            async with asyncio.timeout(QUEUE_WAIT_S):
                await _call_slot_free(link)
            event = await link.call(action, payload, timeout=timeout)
        except (TimeoutError, ResponseTimeout):
            raise CommandTimeout(
                f"station {identity!r} did not answer {action} within {timeout:g} s"
            ) from None
        except LinkClosed as exc:
            raise StationNotConnected(
                f"station {identity!r} disconnected before answering {action} ({exc})"
            ) from None
        except LocalProtocolError as exc:
            raise CommandError(f"cannot send {action}: {exc}") from None
        finally:
            lock.release()
        frame = event.frame
        if isinstance(frame, CallError):
            raise CommandFailed(
                f"station {identity!r} answered {action} with CALLERROR {frame.code}: "
                f"{frame.description!r}",
                frame.code,
            )
        if event.problem or not isinstance(frame, CallResult):
            raise CommandFailed(
                f"station {identity!r} answered {action} invalidly: {event.problem}"
            )
        return frame.payload

    async def remote_start(self, identity: str, id_token: str, evse_id: int = 1) -> dict[str, Any]:
        """Start a transaction for ``id_token`` on ``evse_id`` (1.6 connector)."""
        command = commands.remote_start(
            self.version, self.faults, id_token, evse_id, self.state.next_remote_start_id()
        )
        return await self._command(identity, command)

    async def remote_stop(self, identity: str, transaction_id: str | int) -> dict[str, Any]:
        """Stop the transaction ``transaction_id``."""
        target = block_ej.stop_target(self.faults, transaction_id)  # F03 (fault: another)
        return await self._command(identity, commands.remote_stop(self.version, target))

    async def transaction_records(
        self, identity: str, transaction_id: str | int
    ) -> list[dict[str, Any]]:
        """Read-only: the bills of the station's transaction (issue 12; nothing is sent)."""
        return block_ej.billing_records(self.state, identity, transaction_id)

    async def reset(self, identity: str, kind: str = "Immediate") -> dict[str, Any]:
        """Reset the station (1.6: Immediate→Hard, OnIdle→Soft)."""
        return await self._command(identity, block_b.reset(self.version, self.faults, kind))

    async def change_availability(
        self, identity: str, evse_id: int, operative: bool
    ) -> dict[str, Any]:
        """Make an EVSE (1.6: connector; 0: the whole station) operative or inoperative."""
        command = commands.change_availability(self.version, self.faults, evse_id, operative)
        return await self._command(identity, command)

    async def change_connector_availability(
        self, identity: str, evse_id: int, connector_id: int, operative: bool
    ) -> dict[str, Any]:
        """2.x G03: make one connector of an EVSE operative or inoperative."""
        command = block_fg.change_connector_availability(
            self.version, self.faults, evse_id, connector_id, operative
        )
        return await self._command(identity, command)

    async def change_setting(self, identity: str, key: str, value: str) -> dict[str, Any]:
        """1.6 ChangeConfiguration(key, value); 2.x SetVariables for "Component.Variable"."""
        command = block_b.change_setting(self.version, self.faults, key, value)
        return await self._command(identity, command)

    async def set_network_profile(
        self,
        identity: str,
        slot: int,
        csms_url: str,
        security_profile: int,
        message_timeout: int,
        interface: str,
    ) -> dict[str, Any]:
        """2.x B09 SetNetworkProfile of ``slot`` (see :mod:`~harness.reference.csms.block_b`)."""
        profile = block_b.NetworkProfile(
            slot, csms_url, security_profile, message_timeout, interface
        )
        command = block_b.network_profile(self.version, self.faults, profile)
        if command is None:
            return {"status": "Accepted"}  # the seeded fault: nothing is sent
        response = await self._command(identity, command)
        if response.get("status") == "Accepted":  # A05: the upgrade awaits its connection
            self.security.accepted(identity, security_profile)
        return response

    async def restore_security_profile(
        self, identity: str, security_profile: int, csms_url: str
    ) -> None:
        """The operator sets the station's security profile back (after TC_A_19_CSMS)."""
        self.security.restore(identity, security_profile)

    async def get_base_report(self, identity: str, report_base: str) -> dict[str, Any]:
        """2.x B07 GetBaseReport ``report_base`` (see :mod:`~harness.reference.csms.block_b`)."""
        command = block_b.base_report(self.faults, report_base, next(self._report_ids))
        return await self._command(identity, command)

    async def get_setting(self, identity: str, key: str) -> dict[str, Any]:
        """1.6 GetConfiguration(key); 2.x GetVariables for "Component.Variable" (B06)."""
        return await self._command(identity, block_b.get_setting(self.version, self.faults, key))

    async def trigger(self, identity: str, message: str) -> dict[str, Any]:
        """TriggerMessage; a station not yet accepted may then send that one message (B02)."""
        response = await self._command(identity, block_fg.trigger(self.faults, message))
        record = self.state.stations.get(identity)
        if record is not None and not record.accepted and response.get("status") == "Accepted":
            record.triggered.add(triggered_action(message))
        return response

    async def unlock_connector(
        self, identity: str, evse_id: int, connector_id: int
    ) -> dict[str, Any]:
        """2.x F05: UnlockConnector for one connector of an EVSE."""
        command = block_fg.unlock_connector(self.faults, evse_id, connector_id)
        return await self._command(identity, command)

    async def trigger_evse(self, identity: str, message: str, evse_id: int) -> dict[str, Any]:
        """F06.FR.02: TriggerMessage for one EVSE (StatusNotification: connector 1 of it)."""
        return await self._command(identity, block_fg.trigger(self.faults, message, evse_id))

    async def clear_cache(self, identity: str) -> dict[str, Any]:
        """C11 ClearCache: the station is to clear its authorization cache (:mod:`.block_c`)."""
        command = block_c.clear_cache(self.faults)
        if command is None:
            return {"status": "Accepted"}  # the seeded fault: nothing is sent
        return await self._command(identity, command)

    async def get_log(self, identity: str, log_type: str) -> dict[str, Any]:
        """N01 GetLog of ``log_type`` (blocks N/P: :mod:`~harness.reference.csms.block_np`)."""
        if "csms-getlog-not-sent" in self.faults:
            return {"status": "Accepted"}
        return await self._command(identity, block_np.get_log(self.faults, log_type))

    async def customer_information(
        self, identity: str, id_token: str, token_type: str, report: bool, clear: bool
    ) -> dict[str, Any]:
        """N09/N10 CustomerInformation for ``id_token`` (report and/or clear)."""
        command = block_np.customer_information(self.faults, id_token, token_type, report, clear)
        return await self._command(identity, command)

    async def customer_information_by_identifier(
        self, identity: str, customer_identifier: str, report: bool, clear: bool
    ) -> dict[str, Any]:
        """N09/N10 CustomerInformation for a customerIdentifier (C-14)."""
        command = block_np.customer_information_by_identifier(
            self.faults, customer_identifier, report, clear
        )
        return await self._command(identity, command)

    async def update_firmware(
        self, identity: str, retrieve_in_s: int = 0, install_in_s: int = 0
    ) -> dict[str, Any]:
        """L01 UpdateFirmware of a signed image the CSMS serves, to be downloaded ``retrieve_in_s``
        and installed ``install_in_s`` seconds from now (0: at once; :mod:`.block_l`)."""
        if "csms-firmware-not-sent" in self.faults:
            return {"status": "Accepted"}
        host = getattr(self, "_firmware_host", None)
        if host is None:
            host = self._firmware_host = block_l.FirmwareHost()
        server = await host.server(self._spawn)
        command = block_l.update_firmware(self.faults, server, retrieve_in_s, install_in_s)
        return await self._command(identity, command)

    async def install_certificate(self, identity: str, certificate_type: str) -> dict[str, Any]:
        """M05 InstallCertificate of a root of ``certificate_type`` (:mod:`.block_m`)."""
        command = block_m.install_certificate(self.faults, certificate_type)
        if command is None:
            return {"status": "Accepted"}  # the seeded fault: nothing is sent
        return await self._command(identity, command)

    async def get_installed_certificate_ids(
        self, identity: str, certificate_type: str
    ) -> dict[str, Any]:
        """M03 GetInstalledCertificateIds of ``certificate_type`` (``all``: every type)."""
        command = block_m.get_installed_certificate_ids(self.faults, certificate_type)
        return await self._command(identity, command)

    async def delete_certificate(self, identity: str, certificate_type: str) -> dict[str, Any]:
        """M04: GetInstalledCertificateIds, then DeleteCertificate of the first certificate of
        ``certificate_type`` the station lists, with the hash data it reported."""

        async def send(command: commands.Command) -> dict[str, Any]:
            return await self._command(identity, command)

        return await block_m.delete_certificate(self.faults, certificate_type, send)

    async def set_basic_password(self, identity: str) -> dict[str, Any]:
        """A01: SetVariables SecurityCtrlr.BasicAuthPassword with a new random password (A01.FR.02,
        A00.FR.205); answered Accepted, only the new one is taken from then on (A01.FR.03), else
        the old one stays (A01.FR.04). Faults ``csms-password-not-stored`` (the old one stays)
        and ``csms-password-stored-on-reject`` (the new one is taken whatever the answer)."""
        password = secrets.token_urlsafe(18)
        item = {
            "component": {"name": "SecurityCtrlr"},
            "variable": {"name": "BasicAuthPassword"},
            "attributeValue": password,
        }
        response = await self._command(identity, ("SetVariables", {"setVariableData": [item]}))
        results = response.get("setVariableResult") or []
        self._password_answered(
            identity, password, any(r.get("attributeStatus") == "Accepted" for r in results)
        )
        return response

    def _password_answered(self, identity: str, password: str, accepted: bool) -> None:
        """A01.FR.03/04 (1.6 SEC alike): only an Accepted new password replaces the old one."""
        store = accepted and "csms-password-not-stored" not in self.faults
        if (
            self.passwords is not None
            and identity in self.passwords
            and (store or "csms-password-stored-on-reject" in self.faults)
        ):
            self.passwords[identity] = password

    async def renew_station_certificate(self, identity: str) -> dict[str, Any]:
        """A02: TriggerMessage SignChargingStationCertificate; once the station's CSR came (its
        SignCertificateRequest answered Accepted by :mod:`.block_a`), CertificateSigned with the
        chain issued for it; returns that answer (else the TriggerMessage's)."""
        trigger = ("TriggerMessage", {"requestedMessage": "SignChargingStationCertificate"})
        return await self._renew(
            identity, trigger, lambda csr: block_a.certificate_signed(self.faults, csr)
        )

    async def _renew(
        self, identity: str, trigger: Command, signed: Callable[[str], Command]
    ) -> dict[str, Any]:
        """A02 (1.6 SEC A02 alike): ``trigger``; once the station's CSR came, the command
        ``signed`` makes of it; returns its answer (else the trigger's)."""
        record = self.state.station(identity)
        before = len(record.csrs)
        response = await self._command(identity, trigger)
        if response.get("status") != "Accepted":
            return response
        async with asyncio.timeout(self._command_timeout_s):
            while len(record.csrs) <= before:  # noqa: ASYNC110 - handlers are plain functions
                await asyncio.sleep(0.05)
        block_a.trust_own_ca(getattr(getattr(self, "_server", None), "ssl_context", None))
        return await self._command(identity, signed(record.csrs[-1]))


#: Upper bound (s) on a command's wait for the one before it (and for the CSMS's own open CALL)
#: to finish. A command's own timeout bounds its CALL only: a short one (the fault
#: ``rejects-late-response`` gives up after 0.3 s) must not also cut the wait of the command
#: queued behind it, which would then never be sent.
QUEUE_WAIT_S = 5.0
#: How often :func:`_call_slot_free` looks whether the link's open CALL was answered (s).
SLOT_POLL_S = 0.02


async def _call_slot_free(link: Link) -> None:
    """Wait until ``link`` has no CALL of the CSMS's own still unanswered (OCPP-J 1.6 §4.1.1,
    Part 4 §4.1.1: one open CALL per direction). Operator commands hold a lock, but the CSMS
    also calls on its own (the ``two-calls-back-to-back`` variant's GetConfigurations after a
    boot): a command sent meanwhile would be refused locally. Bounded by the caller's timeout."""
    while link.session.open_outbound and not link.closed.is_set():  # noqa: ASYNC110
        await asyncio.sleep(SLOT_POLL_S)
