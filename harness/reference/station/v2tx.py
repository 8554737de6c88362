"""OCPP 2.0.1/2.1 transactions of the reference station (functional blocks E and F).

A transaction starts at the first TxStartPoint reached (E01: EVConnected E01.FR.02, Authorized
E01.FR.03, and the combined points PowerPathClosed/EnergyTransfer once both hold) and ends at a
TxStopPoint (E06: EVConnected lost E06.FR.02, authorization ended E06.FR.03). Every
TransactionEvent carries the next seqNo (0, 1, 2... E01), the chargingState, the EVSE (and
connector, once known) in the first event after it became known, the idToken when authorization
starts or ends, and meter values at begin, end and every TxUpdatedInterval seconds (E02, E03).
Events that happen while the connection is down are queued with ``offline: true`` (E11/E12).
Cable first is E02, token first E03 (EVConnectionTimeOut ends it when no cable comes), stop by the
same token E07, unplug E10, remote start F01/F02 (remoteStartId in the next event: F02.FR.01),
remote stop F03. Its faults: :mod:`~harness.reference.station_faults`, ``faults_ej``, ``faults_offline``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from harness.reference.station import block_fg, local_auth
from harness.reference.station.block_ej import MeterValues
from harness.reference.station.devmodel import DeviceModel
from harness.reference.station.model import (
    Connector,
    Evse,
    Outgoing,
    Payload,
    Transaction,
    now_iso,
    wrong_token,
)

if TYPE_CHECKING:
    from harness.reference.station.core import ReferenceStation

ENERGY = "Energy.Active.Import.Register"
ID_TOKEN_MAX = 36
#: Start/stop points that need both a cable and an authorization.
COMBINED = frozenset({"PowerPathClosed", "EnergyTransfer", "DataSigned"})


class TxEngine:
    """Transactions per EVSE, and authorizations waiting for a start point."""

    def __init__(self, station: ReferenceStation, dm: DeviceModel) -> None:
        self.st = station
        self.hw = station.hardware
        self.dm = dm
        self.tx: dict[int, Transaction] = {}
        #: evse id -> (idToken, type, remoteStartId, reservationId): authorized, no transaction yet.
        self.held: dict[int, tuple[str, str, int | None, int | None]] = {}
        #: Run once no transaction is left (a Reset OnIdle that was Scheduled).
        self.on_idle: Callable[[], None] | None = None
        self._timers: dict[int, asyncio.TimerHandle] = {}
        self._samplers: dict[str, asyncio.Task[None]] = {}
        #: EVSEs whose Authorize is still unanswered (a second tap meanwhile is ignored).
        self._authorizing: set[int] = set()
        #: Meter data of the events and clock-aligned values (block J).
        self.mv = MeterValues(station, dm, self)
        #: What the Local Authorization List decides for an idToken, and its (status, group)
        #: there (None: not listed; C09), from block D (set by V2).
        self.local_decision: Callable[[str, bool], str | None] = lambda token, online: None
        self.local_entry: Callable[[str], tuple[str, str | None] | None] = lambda token: None
        #: Whether an idToken (of a groupIdToken) may charge on an EVSE, and the reservation it
        #: uses (block H, set by V2); the groupIdToken of an idToken from the Authorize answer.
        self.admit: Callable[[int, str, str | None], bool] = lambda evse, token, group: True
        self.claim: Callable[[int, str, str | None], int | None] = lambda e, t, g: None
        self.groups: dict[str, str | None] = {}

    def _points(self, name: str) -> frozenset[str]:
        return self.dm.get_set("TxCtrlr", name)

    def _start_due(self, evse: Evse) -> bool:
        points = self._points("TxStartPoint")
        plugged = evse.plugged_connector() is not None
        authorized = evse.id in self.held
        return (
            (bool(points & {"EVConnected", "ParkingBayOccupancy"}) and plugged)
            or ("Authorized" in points and authorized)
            or (bool(points & COMBINED) and plugged and authorized)
        )

    # -- events -------------------------------------------------------------------------------------
    def plug_in(self, evse_id: int, connector_id: int) -> None:
        evse = self.hw.evse(evse_id)
        c = evse.connectors[connector_id]
        if c.plugged:
            return
        c.plugged = True
        self._cable_status("status-silent-on-plug-in")
        tx = self.tx.get(evse_id)
        if tx is not None:
            if tx.connector is None or not tx.connector.plugged:
                tx.connector = c
            self._disarm(evse_id)
            self._flow(tx)
            self._event(tx, "Updated", "CablePluggedIn", evse=not tx.connector_reported)
        elif self._start_due(evse):
            self._disarm(evse_id)
            at_plug_in = self._points("TxStartPoint") & {"EVConnected", "ParkingBayOccupancy"}
            self._begin(evse, "CablePluggedIn" if at_plug_in else "ChargingStateChanged")

    def unplug(self, evse_id: int, connector_id: int) -> None:
        c = self.hw.connector(evse_id, connector_id)
        if not c.plugged:
            return
        c.plugged = False
        if "status-silent-on-unplug" in self.st.faults:
            self.st.mark_reported()
        tx = self.tx.get(evse_id)
        if tx is not None and tx.connector is c:
            stops = self._points("TxStopPoint")
            keeps = "unplug-keeps-transaction" in self.st.faults
            if stops & ({"EVConnected", "ParkingBayOccupancy"} | COMBINED) and not keeps:
                self._end(tx, "EVCommunicationLost", "EVDisconnected")
            else:
                self._flow(tx)
                self._event(tx, "Updated", "EVCommunicationLost")
        self._cable_status("status-silent-on-unplug")

    def _cable_status(self, silent: str) -> None:
        """G01.FR.03/04: the connector's new status (not reported under the fault ``silent``)."""
        (self.st.mark_reported if silent in self.st.faults else self.st.refresh_status)()

    def present_token(self, id_token: str, evse_id: int) -> None:
        tx = self.tx.get(evse_id)
        if tx is not None and tx.authorized:
            if tx.id_token == id_token and "local-stop-ignored" not in self.st.faults:
                self._stop_authorized(tx)  # E07: the same token stops it, no Authorize needed
            elif tx.id_token != id_token:
                local_auth.group_stop(self, tx, id_token)  # C09: another of the same group
            return
        busy = evse_id in self.held or evse_id in self._authorizing
        if busy or not self.hw.evse(evse_id).operative:
            return
        decided = local_auth.decide(self, id_token)  # C12-C15: list, cache, offline
        if decided == "grant":
            self.grant(evse_id, id_token, "ISO14443", "Authorized", None)
        elif decided == "authorize":
            self.authorize(evse_id, id_token, "ISO14443", "Authorized", None)

    def authorize(
        self, evse_id: int, token: str, token_type: str, trigger: str, remote_id: int | None
    ) -> None:
        """C01 Authorize, then :meth:`grant` if the CSMS accepts the token."""

        def answered(result: Payload) -> None:
            self._authorizing.discard(evse_id)
            info = result.get("idTokenInfo", {})
            local_auth.learn_group(self, token, result)
            if info.get("status") == "Accepted":
                self.st.auth_cache.add(token)  # C10: the cache keeps what the CSMS accepted
                self.grant(evse_id, token, token_type, trigger, remote_id)
            else:
                self.st.auth_cache.discard(token)

        self._authorizing.add(evse_id)
        payload = {"idToken": {"idToken": token, "type": token_type}}
        self.st.send(
            Outgoing.fixed(
                "Authorize",
                payload,
                on_result=answered,
                on_drop=lambda: self._authorizing.discard(evse_id),
            )
        )

    def grant(
        self, evse_id: int, token: str, token_type: str, trigger: str, remote_id: int | None
    ) -> None:
        """The EV driver is authorized on ``evse_id`` (by a token or a remote start)."""
        evse = self.hw.evse(evse_id)
        tx = self.tx.get(evse_id)
        if tx is not None and tx.authorized:
            return
        group = self.groups.get(token)
        if not self.admit(evse_id, token, group):
            return  # H03.FR.01: reserved for another idToken
        reservation = self.claim(evse_id, token, group)
        if tx is not None:
            tx.id_token, tx.token_type, tx.authorized = token, token_type, True
            tx.reservation_id = reservation
            tx.remote_start_id = remote_id
            self._flow(tx)
            self._event(tx, "Updated", trigger, id_token=True)
        else:
            self.held[evse_id] = (token, token_type, remote_id, reservation)
            if self._start_due(evse):
                self._begin(evse, trigger)
        if evse.plugged_connector() is None:
            self._disarm(evse_id)
            timeout = self.dm.get_int("TxCtrlr", "EVConnectionTimeOut")
            loop = asyncio.get_running_loop()
            self._timers[evse_id] = loop.call_later(timeout, self._ev_timeout, evse_id)

    def _ev_timeout(self, evse_id: int) -> None:
        """E03: no cable within EVConnectionTimeOut after the authorization."""
        self._timers.pop(evse_id, None)
        plugged = self.hw.evse(evse_id).plugged_connector() is not None
        if plugged or "ev-timeout-ignored" in self.st.faults:
            return
        tx = self.tx.get(evse_id)
        if tx is not None:
            self._end(tx, "EVConnectTimeout", "Timeout")
        else:
            self.held.pop(evse_id, None)

    def _disarm(self, evse_id: int) -> None:
        timer = self._timers.pop(evse_id, None)
        if timer is not None:
            timer.cancel()

    def _begin(self, evse: Evse, trigger: str) -> None:
        tx = Transaction(evse.id, evse.plugged_connector())
        held = self.held.pop(evse.id, None)
        if held is not None:
            tx.id_token, tx.token_type, tx.remote_start_id, tx.reservation_id = held
            tx.authorized = True
            if tx.remote_start_id is not None:  # F02.FR.21: started by the cable, still
                trigger = "RemoteStart"  # the first event after the request says RemoteStart
        points = self._points("TxStartPoint")
        if points == {"DataSigned"} and trigger != "RemoteStart":
            trigger = "SignedDataReceived"  # E01.FR.04: the signed meter data started it
        tx.meter_start_wh = int(self.meter_of(tx).meter.read())
        self.tx[evse.id] = tx
        self._flow(tx)
        if trigger == "CablePluggedIn" and "tx-plugin-wrong-trigger" in self.st.faults:
            trigger = "Authorized"
        self._event(
            tx,
            "Started",
            trigger,
            id_token=tx.authorized,
            evse="tx-no-evse" not in self.st.faults,
            context="Transaction.Begin",
        )
        self._samplers[tx.key] = self.st.spawn(self._sample(tx))
        self.mv.begun(tx)

    def _stop_authorized(self, tx: Transaction) -> None:
        tx.authorized = False
        if self._points("TxStopPoint") & ({"Authorized"} | COMBINED):
            self.end(tx, "StopAuthorized", "Local", id_token=True)
        else:
            self._flow(tx)
            self._event(tx, "Updated", "StopAuthorized", id_token=True)

    def end(self, tx: Transaction, trigger: str, reason: str, *, id_token: bool = False) -> None:
        self._end(tx, trigger, reason, id_token=id_token)

    def _end(self, tx: Transaction, trigger: str, reason: str, *, id_token: bool = False) -> None:
        if tx.ended:
            return
        tx.ended = True
        tx.authorized = False
        self.tx.pop(tx.evse_id, None)
        self._disarm(tx.evse_id)
        sampler = self._samplers.pop(tx.key, None)
        if sampler is not None:
            sampler.cancel()
        self._flow(tx)
        self._event(
            tx, "Ended", trigger, id_token=id_token, stopped=reason, context="Transaction.End"
        )
        self.mv.gone(tx)
        for c in self.hw.evse(tx.evse_id).connectors.values():
            if c.scheduled is not None:
                c.operative, c.scheduled = c.scheduled, None
        self.st.refresh_status()
        if not self.tx and self.on_idle is not None:
            action, self.on_idle = self.on_idle, None
            action()

    def end_all(self, reason: str, trigger: str) -> None:
        for tx in list(self.tx.values()):
            self._end(tx, trigger, reason)

    def trigger(self, tx: Transaction) -> None:
        """F06: a TransactionEvent the CSMS asked for."""
        wrong = "trigger-tx-wrong-reason" in self.st.faults
        reason = "MeterValuePeriodic" if wrong else "Trigger"
        self._event(tx, "Updated", reason, context=block_fg.trigger_context(self.st))

    def power_lost(self) -> None:
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        for task in self._samplers.values():
            task.cancel()
        self._samplers.clear()
        self.mv.power_lost()
        self.held.clear()
        self._authorizing.clear()
        self.on_idle = None

    # -- messages -----------------------------------------------------------------------------------
    def meter_of(self, tx: Transaction) -> Connector:
        if tx.connector is not None:
            return tx.connector
        return next(iter(self.hw.evse(tx.evse_id).connectors.values()))

    def _charging_state(self, tx: Transaction) -> str:
        c = tx.connector
        if c is None or not c.plugged:
            return "Idle"
        charging = tx.authorized and c.operative and "tx-never-charging" not in self.st.faults
        return "Charging" if charging else "EVConnected"

    def charging(self, tx: Transaction) -> bool:
        return self._charging_state(tx) == "Charging"

    def clock_event(self, tx: Transaction, trigger: str, stamp: str) -> None:
        """J01.FR.22: a clock-aligned reading of a transaction's EVSE (Updated)."""
        self._event(tx, "Updated", trigger, context="Sample.Clock", stamp=stamp)

    def _flow(self, tx: Transaction) -> None:
        self.meter_of(tx).meter.flowing(self._charging_state(tx) == "Charging")

    async def _sample(self, tx: Transaction) -> None:
        """E02/E03: Updated (MeterValuePeriodic) every TxUpdatedInterval seconds (0: none)."""
        while not tx.ended:
            interval = self.dm.get_int("SampledDataCtrlr", "TxUpdatedInterval")
            await asyncio.sleep(interval if interval > 0 else 1.0)
            if interval > 0 and not tx.ended:
                self._event(tx, "Updated", "MeterValuePeriodic", context="Sample.Periodic")

    def _event(
        self,
        tx: Transaction,
        event_type: str,
        trigger: str,
        *,
        id_token: bool = False,
        evse: bool = False,
        context: str | None = None,
        stopped: str | None = None,
        stamp: str | None = None,
    ) -> None:
        faults = self.st.faults
        info: Payload = {"transactionId": tx.key, "chargingState": self._charging_state(tx)}
        if tx.remote_start_id is not None and not tx.remote_start_reported:
            if "remote-start-id-missing" not in faults:
                info["remoteStartId"] = tx.remote_start_id
            tx.remote_start_reported = True
        if stopped is not None:
            info["stoppedReason"] = "Other" if "tx-stopped-reason-other" in faults else stopped
        seq_no = self.st.outbox.seq_no(tx, self.st.connected, faults, ended=event_type == "Ended")
        if seq_no is None:
            return  # the seeded fault tx-queue-drops-beyond
        payload: Payload = {
            "eventType": event_type,
            "timestamp": stamp or now_iso(),
            "triggerReason": trigger,
            "seqNo": 0 if "tx-seqno-repeats" in faults else seq_no,
            "transactionInfo": info,
        }
        if not self.st.connected and "tx-offline-flag-missing" not in faults:
            payload["offline"] = True  # E11.FR.02/E12.FR.02
        if id_token and tx.id_token is not None:
            token = tx.id_token
            if "tx-reports-wrong-token" in self.st.faults:
                token = wrong_token(token, ID_TOKEN_MAX)
            payload["idToken"] = {"idToken": token, "type": tx.token_type}
            if tx.reservation_id is not None:  # H01.FR.15, once
                payload["reservationId"], tx.reservation_id = tx.reservation_id, None
        if evse:
            where: Payload = {"id": tx.evse_id}
            if tx.connector is not None:
                where["connectorId"] = tx.connector.connector_id
                tx.connector_reported = True
            payload["evse"] = where
        if context is not None:
            c = self.meter_of(tx)
            meter = self.mv.for_event(tx, c, context, self.charging(tx), stamp)
            if meter:
                payload["meterValue"] = meter

        def answered(result: Payload) -> None:
            """E05: a token the CSMS does not accept ends the transaction (StopTxOnInvalidId)."""
            status = result.get("idTokenInfo", {}).get("status", "Accepted")
            local_auth.learn_group(self, tx.id_token, result)  # C09.FR.12
            stop = self.dm.get_bool("TxCtrlr", "StopTxOnInvalidId")
            stop = stop and "invalid-id-keeps-transaction" not in self.st.faults
            if status != "Accepted" and tx.authorized and not tx.ended and stop:
                self._end(tx, "Deauthorized", "DeAuthorized")

        self.st.send(
            Outgoing.fixed(
                "TransactionEvent",
                payload,
                transactional=True,
                tx_key=tx.key,
                on_result=answered if "idToken" in payload else None,
            )
        )
