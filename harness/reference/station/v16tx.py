"""OCPP 1.6J transactions of the reference charge point (1.6 §4.1, §4.7, §4.8, §4.10).

A transaction starts when a cable is plugged and an idTag is authorized, in either order (§4.1
Authorize, §4.8 StartTransaction; an idTag presented first waits ConnectionTimeOut for the cable,
§9.1). It stops on the same idTag (reason Local, without Authorize: §4.1), on unplug
(EVDisconnected, StopTransactionOnEVSideDisconnect; with UnlockConnectorOnEVSideDisconnect false
the cable stays locked at the charge point, Finishing, until that idTag is presented), on RemoteStopTransaction (Remote), a reset
(HardReset/SoftReset), UnlockConnector (UnlockCommand), a reboot (Reboot) or a StartTransaction.conf
that does not accept the idTag (DeAuthorized, StopTransactionOnInvalidId). MeterValues go out every
MeterValueSampleInterval seconds while it runs (§4.7). StopTransaction and MeterValues carry the
transactionId the Central System gave, or -1 if it never did (1.6 errata §3.18).

Offline (§3.7): StartTransaction, StopTransaction and the transaction's MeterValues wait in the
station's outbox while the connection is down and go out in order once it is back; a failed one is
retried per TransactionMessageAttempts / TransactionMessageRetryInterval (§3.7.1, the outbox's
retry rule). StopTransaction carries transactionData (Transaction.Begin, the periodic samples and
Transaction.End of the energy register) when StopTxnSampledData lists that measurand, none when it
is empty (errata §9.1.27).

Seeded faults: ``tx-reports-wrong-token`` (another idTag in StartTransaction) and
``tx-stopped-reason-other`` (reason Other in every StopTransaction), ``local-stop-ignored``
(the idTag that started a transaction does not stop it) and ``stop-transaction-wrong-id``
(StopTransaction carries -1, not the transactionId the Central System gave); offline
(:mod:`harness.reference.faults_offline16`): ``cp16-offline-messages-lost``,
``cp16-queue-newest-first`` and ``cp16-stop-no-transaction-data``; unknown offline
authorization (§3.5.4, AllowOfflineTxForUnknownId; :mod:`harness.reference.faults_offline16`):
``cp16-offline-unknown-start-lost`` (that transaction's StartTransaction is never sent). A
jammed cable lock (SUT action jam_connector_lock) stops a start: the connector is Faulted with
ConnectorLockFailure (§7.6); fault ``cp16-lock-failure-charges`` starts the transaction anyway.
Nothing starts on a Faulted connector (SUT action set_connector_faulted; §4.9, TC_041_CS; fault
``cp16-faulted-connector-charges`` starts it anyway).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from harness.reference.station.config16 import Config16
from harness.reference.station.model import (
    Connector,
    Outgoing,
    Payload,
    Transaction,
    now_iso,
    wrong_token,
)
from harness.reference.variants_v16 import FIXED_CABLE

if TYPE_CHECKING:
    from harness.reference.station.core import ReferenceStation

ID_TAG_MAX = 20
ENERGY = "Energy.Active.Import.Register"


class TxEngine16:
    """Transactions per connector (by 1.6 connectorId) and idTags waiting for a cable."""

    def __init__(self, station: ReferenceStation, config: Config16) -> None:
        self.st = station
        self.hw = station.hardware
        self.config = config
        self.tx: dict[int, Transaction] = {}
        self._timers: dict[int, asyncio.TimerHandle] = {}
        self._samplers: dict[str, asyncio.Task[None]] = {}
        #: Connectors whose Authorize is still unanswered (a second tap meanwhile is ignored).
        self._authorizing: set[int] = set()
        #: Energy register readings of each running transaction for its transactionData.
        self._readings: dict[str, list[Payload]] = {}
        #: An idTag's status in the Local Authorization List (set by v16_auth; None: not listed).
        self.local_status: Callable[[str], str | None] = lambda tag: None
        #: Reservations (set by v16_reservation): may an idTag start on a connector, and the
        #: reservationId its StartTransaction carries (the reservation then ends).
        self.admit: Callable[[Connector, str], bool] = lambda c, tag: True
        self.claim: Callable[[Connector, str], int | None] = lambda c, tag: None
        #: parentIdTag of an idTag as the last Authorize answer gave it (1.6 §5.13).
        self.parent_of: dict[str, str] = {}
        #: Connectors whose idTag was authorized offline as unknown (1.6 §3.5.4).
        self.unknown_offline: set[int] = set()
        #: Connectors whose cable stays locked at the charge point after an EV-side disconnect
        #: (UnlockConnectorOnEVSideDisconnect false, §4.10): the idTag that releases it.
        self.held: dict[int, str] = {}

    def _send_tx(self, item: Outgoing) -> None:
        """A transaction message: queued like any other, offline too (§3.7). Faults:
        ``cp16-offline-messages-lost`` (one made while offline is dropped),
        ``cp16-queue-newest-first`` (one made while offline goes before the older ones)."""
        link = self.st.link
        offline = link is None or link.closed.is_set()
        if offline and "cp16-offline-messages-lost" in self.st.faults:
            return
        self.st.send(item, front=offline and "cp16-queue-newest-first" in self.st.faults)

    def _reading(self, c: Connector, context: str) -> Payload:
        """One MeterValue of the energy register (§7.31) at this moment."""
        value = {"value": str(int(c.meter.read())), "context": context, "measurand": ENERGY}
        return {"timestamp": now_iso(), "sampledValue": [{**value, "unit": "Wh"}]}

    def _keep(self, tx: Transaction, reading: Payload) -> None:
        """Keep ``reading`` for the transactionData when StopTxnSampledData lists the register."""
        if ENERGY in self.config.keys["StopTxnSampledData"].value.split(","):
            self._readings.setdefault(tx.key, []).append(reading)

    def can_start(self, c: Connector) -> bool:
        free = c.number not in self.tx and c.pending_tag is None
        return c.operative and free and not self.faulted(c)

    def faulted(self, c: Connector) -> bool:
        """§4.9 Faulted: not available for energy delivery, so nothing starts on it (fault
        ``cp16-faulted-connector-charges``: it starts all the same)."""
        return c.faulted and "cp16-faulted-connector-charges" not in self.st.faults

    def end_all(self, reason: str) -> None:
        for tx in list(self.tx.values()):
            self.stop(tx, reason)

    def power_lost(self) -> None:
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        for task in self._samplers.values():
            task.cancel()
        self._samplers.clear()
        self._authorizing.clear()
        self.held.clear()
        for c in self.hw.connectors():
            c.pending_tag = None
            c.finished = False

    # -- events -------------------------------------------------------------------------------------
    def plug_in(self, evse_id: int, connector_id: int) -> None:
        c = self.hw.connector(evse_id, connector_id)
        if c.plugged:
            return
        c.plugged, c.finished = True, False
        self.held.pop(c.number, None)
        if c.number in self.tx:
            c.meter.flowing(True)
        elif c.pending_tag is not None and c.operative and not self.faulted(c):
            self._start(c, c.pending_tag)
            return
        self.st.refresh_status()

    def unplug(self, evse_id: int, connector_id: int) -> None:
        c = self.hw.connector(evse_id, connector_id)
        if not c.plugged:
            return
        c.plugged, c.finished, c.lock_failed = False, False, False
        tx = self.tx.get(c.number)
        if tx is not None:
            if self.config.get_bool("StopTransactionOnEVSideDisconnect"):
                locks = FIXED_CABLE not in self.st.variants  # a fixed cable holds nothing
                if locks and not self.config.get_bool("UnlockConnectorOnEVSideDisconnect"):
                    self.held[c.number] = tx.id_token or ""  # §4.10: locked until the idTag
                self.stop(tx, "EVDisconnected")
                return
            c.meter.flowing(False)
        self.st.refresh_status()

    def present_token(self, id_token: str, evse_id: int) -> None:
        connectors = list(self.hw.evse(evse_id).connectors.values())
        locked = next((c for c in connectors if self.held.get(c.number) == id_token), None)
        if locked is not None:  # §4.10: the user's identifier releases the locked cable
            del self.held[locked.number]
            locked.finished = False
            self.st.refresh_status()
            return
        c = next((c for c in connectors if c.number in self.tx), None)
        c = c or next((c for c in connectors if c.plugged), connectors[0])
        tx = self.tx.get(c.number)
        if tx is not None:
            if tx.id_token == id_token and "local-stop-ignored" not in self.st.faults:
                self.stop(tx, "Local", id_tag=id_token)
            return
        if c.operative and c.number not in self._authorizing:
            self.authorize(c, id_token)

    def _pre_authorized(self, tag: str) -> bool:
        """1.6 §3.5 LocalPreAuthorize: the Local Authorization List (first, §3.5.3) or the cache
        holds ``tag`` as valid, so a transaction starts without waiting for an Authorize."""
        if not self.config.get_bool("LocalPreAuthorize"):
            return False
        listed = self.local_status(tag)
        cached = tag in self.st.auth_cache and self.config.get_bool("AuthorizationCacheEnabled")
        return listed == "Accepted" if listed is not None else cached

    # -- transactions -------------------------------------------------------------------------------
    def _offline_authorized(self, tag: str) -> bool:
        """Offline (1.6 §3.5, §3.5.4): LocalAuthorizeOffline starts an idTag the list or the
        cache holds as Accepted; AllowOfflineTxForUnknownId one neither of them knows."""
        link = self.st.link
        if link is not None and not link.closed.is_set():
            return False
        listed = self.local_status(tag)
        cached = tag in self.st.auth_cache and self.config.get_bool("AuthorizationCacheEnabled")
        if listed is not None or cached:
            return self.config.get_bool("LocalAuthorizeOffline") and (
                listed == "Accepted" if listed is not None else cached
            )
        return self.config.get_bool("AllowOfflineTxForUnknownId")

    def authorize(self, c: Connector, tag: str) -> None:
        if self._pre_authorized(tag):
            self.authorized(c, tag)  # 1.6 §3.5: a locally known idTag starts at once
            return
        if self._offline_authorized(tag):
            known = self.local_status(tag) is not None or tag in self.st.auth_cache
            self.unknown_offline.discard(c.number)
            if not known:
                self.unknown_offline.add(c.number)  # §3.5.4: Unknown Offline Authorization
            self.authorized(c, tag)
            return

        def answered(result: Payload) -> None:
            self._authorizing.discard(c.number)
            listed = self.local_status(tag) is not None  # §3.5.3: never cached
            parent = result.get("idTagInfo", {}).get("parentIdTag")
            if parent:
                self.parent_of[tag] = parent
            if result.get("idTagInfo", {}).get("status") == "Accepted":
                if not listed:
                    self.st.auth_cache.add(tag)  # 1.6 §3.5.1: the cache keeps accepted idTags
                self.authorized(c, tag)
            elif not listed:
                self.st.auth_cache.discard(tag)

        self._authorizing.add(c.number)
        self.st.send(
            Outgoing.fixed(
                "Authorize",
                {"idTag": tag},
                on_result=answered,
                on_drop=lambda: self._authorizing.discard(c.number),
            )
        )

    def authorized(self, c: Connector, tag: str) -> None:
        if c.number in self.tx or not c.operative or self.faulted(c) or not self.admit(c, tag):
            return
        if c.plugged:
            self._start(c, tag)
            return
        c.pending_tag = tag
        self.disarm(c)
        loop = asyncio.get_running_loop()
        timeout = self.config.get_int("ConnectionTimeOut")
        self._timers[c.number] = loop.call_later(timeout, self._connection_timeout, c, tag)
        self.st.refresh_status()

    def _connection_timeout(self, c: Connector, tag: str) -> None:
        self._timers.pop(c.number, None)
        if c.pending_tag == tag and c.number not in self.tx:
            c.pending_tag = None
            self.st.refresh_status()

    def disarm(self, c: Connector) -> None:
        timer = self._timers.pop(c.number, None)
        if timer is not None:
            timer.cancel()

    def _start(self, c: Connector, tag: str) -> None:
        self.disarm(c)
        c.pending_tag = None
        if c.lock_jammed:  # the cable cannot be locked: Faulted, ConnectorLockFailure (§7.6)
            c.lock_failed = True
            self.st.refresh_status()
            if "cp16-lock-failure-charges" not in self.st.faults:
                return
        tx = Transaction(c.evse_id, c, id_token=tag, authorized=True)
        tx.meter_start_wh = int(c.meter.read())
        self.tx[c.number] = tx
        self._readings.pop(tx.key, None)
        self._keep(tx, self._reading(c, "Transaction.Begin"))
        c.meter.flowing(True)
        shown = wrong_token(tag, ID_TAG_MAX) if "tx-reports-wrong-token" in self.st.faults else tag
        payload = {
            "connectorId": c.number,
            "idTag": shown,
            "meterStart": tx.meter_start_wh,
            "timestamp": now_iso(),
        }
        reservation = self.claim(c, tag)
        if reservation is not None:
            payload["reservationId"] = reservation  # 1.6 §5.13: the reservation is used

        def started(result: Payload) -> None:
            tx.csms_id = int(result["transactionId"])
            parent = result.get("idTagInfo", {}).get("parentIdTag")
            if parent:
                self.parent_of[tag] = parent  # 1.6 §3.10: its group, for a stop by another idTag
            accepted = result.get("idTagInfo", {}).get("status") == "Accepted"
            if not accepted and self.config.get_bool("StopTransactionOnInvalidId"):
                self.stop(tx, "DeAuthorized")

        lost = (
            c.number in self.unknown_offline and "cp16-offline-unknown-start-lost" in self.st.faults
        )
        self.unknown_offline.discard(c.number)
        if not lost:
            self._send_tx(
                Outgoing.fixed(
                    "StartTransaction",
                    payload,
                    transactional=True,
                    tx_key=tx.key,
                    on_result=started,
                )
            )
        self._samplers[tx.key] = self.st.spawn(self._sample(tx))
        self.st.refresh_status()

    def stop(self, tx: Transaction, reason: str, *, id_tag: str | None = None) -> None:
        if tx.ended or tx.connector is None:
            return
        tx.ended = True
        c = tx.connector
        self.tx.pop(c.number, None)
        sampler = self._samplers.pop(tx.key, None)
        if sampler is not None:
            sampler.cancel()
        c.meter.flowing(False)
        meter_stop, stamp = int(c.meter.read()), now_iso()
        self._keep(tx, self._reading(c, "Transaction.End"))
        data = self._readings.pop(tx.key, [])
        if "cp16-stop-no-transaction-data" in self.st.faults:
            data = []
        if "tx-stopped-reason-other" in self.st.faults:
            reason = "Other"

        def build() -> Payload:
            known = tx.csms_id is not None and "stop-transaction-wrong-id" not in self.st.faults
            payload: Payload = {
                "transactionId": tx.csms_id if known else -1,
                "meterStop": meter_stop,
                "timestamp": stamp,
                "reason": reason,
            }
            if id_tag is not None:
                payload["idTag"] = id_tag
            if data:
                payload["transactionData"] = data
            return payload

        self._send_tx(Outgoing("StopTransaction", build, transactional=True, tx_key=tx.key))
        c.finished = c.plugged or c.number in self.held  # Finishing while the cable stays
        if c.scheduled is not None:
            c.operative, c.scheduled = c.scheduled, None
        self.st.refresh_status()

    async def _sample(self, tx: Transaction) -> None:
        """§4.7: MeterValues every MeterValueSampleInterval seconds (0: none)."""
        while not tx.ended and tx.connector is not None:
            interval = self.config.get_int("MeterValueSampleInterval")
            await asyncio.sleep(interval if interval > 0 else 1.0)
            if interval > 0 and not tx.ended:
                self._send_tx(self.meter_values(tx.connector, tx, "Sample.Periodic"))

    def meter_values(
        self, c: Connector, tx: Transaction | None, context: str, *, pre_boot: bool = False
    ) -> Outgoing:
        sample = self._reading(c, context)
        if tx is not None and context == "Sample.Periodic":
            self._keep(tx, sample)

        def build() -> Payload:
            payload: Payload = {"connectorId": c.number, "meterValue": [sample]}
            if tx is not None and tx.csms_id is not None:
                payload["transactionId"] = tx.csms_id
            return payload

        return Outgoing(
            "MeterValues",
            build,
            transactional=tx is not None,
            pre_boot=pre_boot,
            tx_key=tx.key if tx else None,
        )
