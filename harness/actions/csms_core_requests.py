"""What a case may ask a CSMS under test to do, blocks B to N and the 1.6-only commands: remote
start/stop, reset, availability, settings, triggers, logs, customer data, local lists,
reservations. Each asks the operator with an instruction a person can follow
(:meth:`~harness.actions.sut_actions.SutActions.ask_csms`); the parameters fill the profile's
``{{placeholders}}`` (:mod:`harness.actions.catalog`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harness.actions.sut_actions import Operator


class CoreRequests:
    """The CSMS-under-test requests of blocks B-N and OCPP 1.6 (a mixin of :class:`~harness.actions.sut_actions.SutActions`)."""

    valid_token: str
    operator: Operator

    async def ask_csms(self, action: str, instruction: str, **params: Any) -> Any:
        """The operator has the CSMS act (:meth:`~harness.actions.sut_actions.SutActions.ask_csms`)."""
        raise NotImplementedError

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

    async def send_local_list(self, update_type: str, content: str = "entries") -> Any:
        """1.6 §5.15 / 2.x D01: the CSMS sends its local authorization list, ``Full`` or
        ``Differential`` (TC_043_x_CSMS, TC_D_01-04_CSMS), holding ``content``: ``entries``
        (its idTokens with their status), ``removals`` (idTokens without status: remove them,
        2.x D01.FR.17) or ``empty`` (no list: a Full update empties the station's)."""
        what = {
            "entries": "with idTokens and their status",
            "removals": "with idTokens to remove (no idTokenInfo)",
            "empty": "without any idToken",
        }.get(content, content)
        return await self.ask_csms(
            "send_local_list",
            f"In the CSMS, send the station a local authorization list of updateType "
            f"{update_type}, {what}",
            update_type=update_type,
            content=content,
        )

    async def reserve_now(
        self,
        evse_id: int,
        id_token: str | None = None,
        expiry_in_s: int = 60,
        connector_type: str | None = None,
    ) -> Any:
        """1.6 §5.13: the Central System reserves connector ``evse_id`` (0: the charge point) for
        ``id_token``, expiring ``expiry_in_s`` from now (TC_046-053_CSMS); 2.x H01: EVSE
        ``evse_id`` (0: any EVSE; TC_H_*_CSMS), or (``connector_type``, H01 S3) any EVSE with a
        connector of that type (TC_H_15_CSMS)."""
        token = id_token or self.valid_token
        where = (
            "any EVSE (1.6: connector 0; 2.x: no evseId)"
            if evse_id == 0
            else f"connector / EVSE {evse_id}"
        )
        params: dict[str, Any] = {}
        if connector_type is not None:
            where, params = (
                f"a connector of type {connector_type}",
                {"connector_type": connector_type},
            )
        return await self.ask_csms(
            "reserve_now",
            f"In the CSMS, reserve {where} for {token!r} for {expiry_in_s} s",
            evse_id=evse_id,
            id_token=token,
            expiry_in_s=expiry_in_s,
            **params,
        )

    async def cancel_reservation(self, reservation_id: int) -> Any:
        """1.6 §5.1 / 2.x H02: the CSMS cancels reservation ``reservation_id`` (TC_051/052_CSMS,
        TC_H_17_CSMS)."""
        return await self.ask_csms(
            "cancel_reservation",
            f"In the CSMS, cancel reservation {reservation_id}",
            reservation_id=reservation_id,
        )
