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

    async def remote_start(self, id_token: str | None = None, evse_id: int = 1) -> Any:
        token = id_token or self.valid_token
        return await self.ask_csms(
            "remote_start",
            f"In the CSMS, start a transaction remotely on EVSE {evse_id} for {token!r}",
            id_token=token,
            evse_id=evse_id,
        )

    async def remote_stop(self, transaction_id: str | int) -> Any:
        return await self.ask_csms(
            "remote_stop",
            f"In the CSMS, stop transaction {transaction_id} remotely",
            transaction_id=transaction_id,
        )

    async def transaction_records(self, transaction_id: str | int) -> Any:
        """Read-only (issue 12): the CSMS's billing records of one transaction, as a JSON list of
        objects with ``energyWh`` (one per bill; none while it runs). Nothing is sent to the
        station, so the operator's answer is awaited as it is. A CSMS that cannot report them
        (no such action configured, or an answer that is no such list) makes the billing check
        NOT-APPLICABLE, never the case; a person at the terminal (the manual operator) cannot
        hand a list back, so is not asked."""
        manual = getattr(self.operator, "closes_when_acted", False)
        if manual or not self.operator.provides("transaction_records"):
            return None
        return await self.operator.perform(
            "transaction_records",
            f"In the CSMS, report the billing records of transaction {transaction_id}",
            transaction_id=transaction_id,
        )

    async def request_reset(self, kind: str = "Immediate") -> Any:
        """In the CSMS, reset the charging station (not the lifecycle :meth:`reset`)."""
        return await self.ask_csms(
            "request_reset", f"In the CSMS, reset the charging station ({kind})", kind=kind
        )

    async def change_availability(self, evse_id: int, *, operative: bool) -> Any:
        state = "operative" if operative else "inoperative"
        return await self.ask_csms(
            "change_availability",
            f"In the CSMS, make EVSE {evse_id} {state}",
            evse_id=evse_id,
            operative=operative,
        )

    async def change_connector_availability(
        self, evse_id: int, connector_id: int, *, operative: bool
    ) -> Any:
        """G03 (2.x): one connector of an EVSE operative or inoperative."""
        state = "operative" if operative else "inoperative"
        return await self.ask_csms(
            "change_connector_availability",
            f"In the CSMS, make connector {connector_id} of EVSE {evse_id} {state}",
            evse_id=evse_id,
            connector_id=connector_id,
            operative=operative,
        )

    async def change_setting(self, key: str, value: str) -> Any:
        return await self.ask_csms(
            "change_setting",
            f"In the CSMS, set {key} to {value!r} on the station",
            key=key,
            value=value,
        )

    async def get_setting(self, key: str) -> Any:
        """B06: the CSMS reads a setting of the station (2.x "Component.Variable")."""
        return await self.ask_csms(
            "get_setting", f"In the CSMS, read {key} from the station", key=key
        )

    async def get_base_report(self, report_base: str) -> Any:
        """B07: the CSMS asks the station for a base report (ConfigurationInventory...)."""
        return await self.ask_csms(
            "get_base_report",
            f"In the CSMS, retrieve the station's {report_base} report",
            report_base=report_base,
        )

    async def set_network_profile(
        self,
        *,
        slot: int,
        csms_url: str,
        security_profile: int,
        message_timeout: int,
        interface: str,
    ) -> Any:
        """B09: the CSMS sends the station a network connection profile for ``slot``."""
        return await self.ask_csms(
            "set_network_profile",
            f"In the CSMS, set network connection profile {slot} of the station: CSMS URL "
            f"{csms_url}, security profile {security_profile}, message timeout "
            f"{message_timeout} s, interface {interface}, OCPP-J",
            slot=slot,
            csms_url=csms_url,
            security_profile=security_profile,
            message_timeout=message_timeout,
            interface=interface,
        )

    async def trigger(self, message: str) -> Any:
        return await self.ask_csms(
            "trigger", f"In the CSMS, trigger a {message} message", message=message
        )

    async def unlock_connector(self, evse_id: int, connector_id: int) -> Any:
        """F05 (2.x): have the station unlock a connector."""
        return await self.ask_csms(
            "unlock_connector",
            f"In the CSMS, unlock connector {connector_id} of EVSE {evse_id}",
            evse_id=evse_id,
            connector_id=connector_id,
        )

    async def trigger_evse(self, message: str, evse_id: int) -> Any:
        """F06.FR.02: a TriggerMessage for one EVSE (a StatusNotification: its connector 1)."""
        return await self.ask_csms(
            "trigger_evse",
            f"In the CSMS, trigger a {message} message for EVSE {evse_id}",
            message=message,
            evse_id=evse_id,
        )

    async def set_basic_password(self) -> Any:
        """A01: the CSMS sets a new BasicAuthPassword on the station (TC_A_09/10_CSMS)."""
        return await self.ask_csms(
            "set_basic_password",
            "In the CSMS, set a new Basic authentication password (BasicAuthPassword) for the "
            "station",
        )

    async def clear_cache(self) -> Any:
        """C11: the CSMS asks the station to clear its authorization cache (TC_C_37/38_CSMS)."""
        return await self.ask_csms(
            "clear_cache", "In the CSMS, clear the station's authorization cache"
        )

    async def get_log(self, log_type: str) -> Any:
        """N01: the CSMS asks the station for a log upload (TC_N_25/34/35/36_CSMS)."""
        return await self.ask_csms(
            "get_log",
            f"In the CSMS, request the station's {log_type} (log upload)",
            log_type=log_type,
        )

    async def get_diagnostics(self) -> Any:
        """1.6 §5.9: the Central System asks the charge point for its diagnostics file
        (GetDiagnostics; TC_045_1/2_CSMS)."""
        return await self.ask_csms(
            "get_diagnostics", "In the Central System, request the charge point's diagnostics"
        )

    async def customer_information(
        self,
        *,
        report: bool,
        clear: bool,
        id_token: str | None = None,
        token_type: str = "ISO14443",
    ) -> Any:
        """N09/N10: the CSMS asks the station to report and/or clear a customer's data."""
        token = id_token or self.valid_token
        what = " and ".join(w for w, on in (("report", report), ("clear", clear)) if on)
        return await self.ask_csms(
            "customer_information",
            f"In the CSMS, ask the station to {what or 'neither report nor clear'} the customer "
            f"information of idToken {token!r} ({token_type})",
            id_token=token,
            token_type=token_type,
            report=report,
            clear=clear,
        )

    async def customer_information_by_identifier(
        self, customer_identifier: str, *, report: bool, clear: bool
    ) -> Any:
        """N09/N10 (C-14): as :meth:`customer_information`, the customer named by a
        customerIdentifier."""
        what = " and ".join(w for w, on in (("report", report), ("clear", clear)) if on)
        return await self.ask_csms(
            "customer_information_by_identifier",
            f"In the CSMS, ask the station to {what or 'neither report nor clear'} the customer "
            f"information of customer identifier {customer_identifier!r}",
            customer_identifier=customer_identifier,
            report=report,
            clear=clear,
        )

    # -- block K, smart charging (2.x) ------------------------------------------------------------
    async def set_charging_profile(
        self,
        *,
        purpose: str,
        evse_id: int,
        kind: str = "Absolute",
        stack_level: int = 0,
        limit: float = 6.0,
        duration_s: int = 300,
        recurrency_kind: str | None = None,
        transaction_id: str | None = None,
    ) -> Any:
        """K01: the CSMS sets a charging profile on the station (TC_K_01-70_CSMS): ``purpose``
        on ``evse_id`` (0: the whole station), ``kind``, ``stack_level``, one period of
        ``limit`` A (or x 1000 in W) for ``duration_s``; a Recurring one recurs per
        ``recurrency_kind``, a TxProfile is for the running ``transaction_id``."""
        where = "the whole station (EVSE 0)" if evse_id == 0 else f"EVSE {evse_id}"
        extra = f", recurring {recurrency_kind}" if recurrency_kind else ""
        if transaction_id:
            extra += f", for the running transaction {transaction_id}"
        return await self.ask_csms(
            "set_charging_profile",
            f"In the CSMS, set a charging profile on {where}: purpose {purpose}, kind {kind}, "
            f"stack level {stack_level}, a limit of {limit:g} A (or {limit * 1000:g} W) from now "
            f"for {duration_s} s{extra}; if a profile of that purpose, EVSE and stack level was "
            "set before, replace it",
            purpose=purpose,
            evse_id=evse_id,
            kind=kind,
            stack_level=stack_level,
            limit=limit,
            duration_s=duration_s,
            recurrency_kind=recurrency_kind,
            transaction_id=transaction_id,
        )

    async def clear_charging_profile(
        self,
        *,
        profile_id: int | None = None,
        evse_id: int | None = None,
        purpose: str | None = None,
        stack_level: int | None = None,
    ) -> Any:
        """K10: the CSMS clears charging profiles, by ``profile_id`` or by the criteria given
        (TC_K_05/06/08_CSMS)."""
        if profile_id is not None:
            what = f"the charging profile with id {profile_id}"
        else:
            what = f"the {purpose} charging profiles of EVSE {evse_id} at stack level {stack_level}"
        return await self.ask_csms(
            "clear_charging_profile",
            f"In the CSMS, clear {what} on the station",
            profile_id=profile_id,
            evse_id=evse_id,
            purpose=purpose,
            stack_level=stack_level,
        )

    async def get_charging_profiles(
        self,
        *,
        evse_id: int | None = None,
        purpose: str | None = None,
        stack_level: int | None = None,
        limit_source: str | None = None,
        profile_id: int | None = None,
    ) -> Any:
        """K09: the CSMS asks the station for its charging profiles matching the criteria given
        (an absent one is no criterion; TC_K_05/29-36_CSMS)."""
        asked = {
            "EVSE": evse_id,
            "purpose": purpose,
            "stack level": stack_level,
            "charging limit source": limit_source,
            "id": profile_id,
        }
        what = ", ".join(f"{k} {v}" for k, v in asked.items() if v is not None)
        return await self.ask_csms(
            "get_charging_profiles",
            f"In the CSMS, retrieve the station's charging profiles matching {what or 'anything'} (no other "
            "criterion)",
            evse_id=evse_id,
            purpose=purpose,
            stack_level=stack_level,
            limit_source=limit_source,
            profile_id=profile_id,
        )

    async def get_composite_schedule(self, *, evse_id: int, duration_s: int, unit: str) -> Any:
        """K08: the CSMS asks the station for its composite schedule (TC_K_43/44_CSMS)."""
        where = "the whole station (EVSE 0)" if evse_id == 0 else f"EVSE {evse_id}"
        return await self.ask_csms(
            "get_composite_schedule",
            f"In the CSMS, retrieve the composite charging schedule of {where} for the next "
            f"{duration_s} s in {unit}",
            evse_id=evse_id,
            duration_s=duration_s,
            unit=unit,
        )

    async def remote_start_with_profile(
        self, *, evse_id: int, limit: float, id_token: str | None = None
    ) -> Any:
        """K05/F01: the CSMS starts a transaction remotely with a TxProfile of ``limit`` A for
        it (TC_K_37_CSMS)."""
        token = id_token or self.valid_token
        return await self.ask_csms(
            "remote_start_with_profile",
            f"In the CSMS, start a transaction remotely on EVSE {evse_id} for {token!r} with a "
            f"charging profile (TxProfile) limiting it to {limit:g} A (or {limit * 1000:g} W)",
            id_token=token,
            evse_id=evse_id,
            limit=limit,
        )

    async def update_firmware(self, *, retrieve_in_s: int = 0, install_in_s: int = 0) -> Any:
        """L01 (1.6: UpdateFirmware / SignedUpdateFirmware): the CSMS has the station update its
        firmware with a signed firmware (TC_L_01-13_CSMS); ``retrieve_in_s`` / ``install_in_s``
        ask for a download / an install that many seconds from now (0: at once, no install
        time)."""
        when = []
        if retrieve_in_s > 0:
            when.append(f"downloaded about {retrieve_in_s} s from now (retrieveDateTime)")
        if install_in_s > 0:
            when.append(f"installed about {install_in_s} s from now (installDateTime)")
        return await self.ask_csms(
            "update_firmware",
            "In the CSMS, have the station update its firmware (UpdateFirmware with a signed "
            "firmware: signing certificate and signature)"
            + (", to be " + " and ".join(when) if when else ""),
            retrieve_in_s=retrieve_in_s,
            install_in_s=install_in_s,
        )

    async def install_certificate(self, certificate_type: str) -> Any:
        """M05: the CSMS installs a root certificate in the station (TC_M_01/02/05/20/21_CSMS)."""
        return await self.ask_csms(
            "install_certificate",
            f"In the CSMS, install your configured {certificate_type} in the station",
            certificate_type=certificate_type,
        )

    async def get_installed_certificate_ids(self, certificate_type: str) -> Any:
        """M03: the CSMS asks which certificates of a type the station holds (``all``: every
        type, certificateType omitted; TC_M_13/18/19_CSMS)."""
        what = "every type" if certificate_type == "all" else certificate_type
        return await self.ask_csms(
            "get_installed_certificate_ids",
            f"In the CSMS, ask the station for its installed certificates of {what}",
            certificate_type=certificate_type,
        )

    async def renew_station_certificate(self) -> Any:
        """A02: the CSMS has the station renew its certificate (TriggerMessage
        SignChargingStationCertificate, then CertificateSigned; TC_A_11/14_CSMS)."""
        return await self.ask_csms(
            "renew_station_certificate",
            "In the CSMS, have the station renew its charging station certificate (TriggerMessage "
            "SignChargingStationCertificate; sign its CSR and send it the certificate)",
        )

    async def delete_certificate(self, certificate_type: str) -> Any:
        """M04: the CSMS deletes a certificate of a type from the station, after asking which
        it holds (TC_M_20/21_CSMS)."""
        return await self.ask_csms(
            "delete_certificate",
            f"In the CSMS, delete the station's {certificate_type} (the CSMS asks the station "
            "for its installed certificates first)",
            certificate_type=certificate_type,
        )

    # -- OCPP 1.6 only (issue 14) ---------------------------------------------------------------
    async def get_all_settings(self) -> Any:
        """1.6 §5.8: the Central System reads every configuration key (GetConfiguration without
        keys; TC_019_1_CSMS)."""
        return await self.ask_csms(
            "get_all_settings", "In the Central System, retrieve all configuration keys"
        )

    async def get_local_list_version(self) -> Any:
        """1.6 §5.10: the Central System asks the version of the local authorization list
        (TC_042_1/2_CSMS)."""
        return await self.ask_csms(
            "get_local_list_version",
            "In the Central System, ask the charge point for its local authorization list version",
        )

    async def send_local_list(self, update_type: str) -> Any:
        """1.6 §5.15: the Central System sends its local authorization list, ``Full`` or
        ``Differential`` (TC_043_x_CSMS)."""
        return await self.ask_csms(
            "send_local_list",
            f"In the Central System, send the charge point a local authorization list "
            f"(updateType {update_type})",
            update_type=update_type,
        )

    async def reserve_now(
        self, evse_id: int, id_token: str | None = None, expiry_in_s: int = 60
    ) -> Any:
        """1.6 §5.13: the Central System reserves connector ``evse_id`` (0: the charge point) for
        ``id_token``, expiring ``expiry_in_s`` from now (TC_046-053_CSMS)."""
        token = id_token or self.valid_token
        where = "the charge point (connector 0)" if evse_id == 0 else f"connector {evse_id}"
        return await self.ask_csms(
            "reserve_now",
            f"In the Central System, reserve {where} for {token!r} for {expiry_in_s} s",
            evse_id=evse_id,
            id_token=token,
            expiry_in_s=expiry_in_s,
        )

    async def cancel_reservation(self, reservation_id: int) -> Any:
        """1.6 §5.1: the Central System cancels reservation ``reservation_id`` (TC_051/052_CSMS)."""
        return await self.ask_csms(
            "cancel_reservation",
            f"In the Central System, cancel reservation {reservation_id}",
            reservation_id=reservation_id,
        )
