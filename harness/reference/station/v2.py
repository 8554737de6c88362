"""OCPP 2.0.1/2.1 behaviour of the reference station: status model and CSMS commands.

Connector status (G01): Unavailable when inoperative, Occupied while a cable is plugged, else
Available. Commands: GetVariables/SetVariables/GetBaseReport/GetReport (B05-B08, see
:mod:`~harness.reference.station.devmodel`), Reset (B11/B12), RequestStart/StopTransaction
(F01-F03), UnlockConnector (F05), TriggerMessage (F06), ChangeAvailability (G03/G04),
GetTransactionStatus (E14), ClearCache (C11), DataTransfer (P01), SendLocalList /
GetLocalListVersion (D01/D02, :mod:`~harness.reference.station.block_d`). Other known actions get
CALLERROR NotSupported. Transactions are in :mod:`~harness.reference.station.v2tx`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from harness.ocppj.errors import ErrorKind
from harness.ocppj.frames import Call
from harness.reference.station import (
    block_a,
    block_a_certs,
    block_b,
    block_d,
    block_fg,
    block_h,
    block_k,
    block_l,
    block_m,
    legal,
    trigger,
)
from harness.reference.station.block_l import FirmwareUpdater, manufacturer_roots
from harness.reference.station.block_np import BlockNP
from harness.reference.station.devmodel import DeviceModel
from harness.reference.station.model import (
    CallRefused,
    Connector,
    Evse,
    Outgoing,
    Payload,
    Reply,
    Transaction,
    now_iso,
)
from harness.reference.station.v2tx import TxEngine
from harness.reference.station.variables import Bindings, standard_variables
from harness.reference.variants_sc import rate_units_v2

if TYPE_CHECKING:
    from harness.reference.station.core import ReferenceStation

#: Report entries per NotifyReport message (B07: a report may come in several parts).
REPORT_PART = 20


class V2:
    """The 2.x half of :class:`~harness.reference.station.core.ReferenceStation`."""

    def __init__(self, station: ReferenceStation) -> None:
        self.st = station
        self.hw = station.hardware
        secure = station.csms_url.startswith("wss")
        profile = (2 if station.password is not None else 3) if secure else 1
        live = Bindings(
            availability=self._availability,
            heartbeat_get=lambda: str(int(station.heartbeat_interval)),
            heartbeat_set=lambda value: station.set_heartbeat_interval(int(value)),
        )
        variables = standard_variables(
            self.hw, identity=station.identity, security_profile=profile, live=live
        )
        variables += block_a.password_variables(station)  # A01
        variables += block_l.variables()  # L01.FR.07 (C-20)
        units = rate_units_v2(station.variants)  # block K's rate units (variants_sc)
        variables += block_k.variables(units)  # SmartChargingCtrlr (block K)
        self.local_list = block_d.LocalList(self)  # block D (Local Authorization List)
        variables += self.local_list.variables()
        self.reservations = block_h.Reservations(self)  # block H (Reservation)
        variables += self.reservations.variables()
        self.dm = DeviceModel(legal.device_model(variables, station.variants), station.faults)
        self.txe = TxEngine(station, self.dm)
        self.txe.local_decision = self.local_list.decide
        self.txe.local_entry = self.local_list.entry_of
        self.txe.admit, self.txe.claim = self.reservations.admits, self.reservations.claim
        self._handlers: dict[str, Callable[[Payload], Reply]] = {
            "GetVariables": self._get_variables,
            "SetVariables": self._set_variables,
            "GetBaseReport": self._get_base_report,
            "GetReport": self._get_report,
            "RequestStartTransaction": self._request_start,
            "RequestStopTransaction": self._request_stop,
            "Reset": self._reset,
            "ChangeAvailability": self._change_availability,
            "TriggerMessage": lambda p: trigger.handle(self, p),
            "UnlockConnector": self._unlock,
            "GetTransactionStatus": self._transaction_status,
            "ClearCache": self._clear_cache,
            "DataTransfer": self._data_transfer,
        }
        self.np = BlockNP(station)  # blocks N and P
        self._handlers.update(self.np.handlers(self._handlers))
        self._handlers.update(block_b.handlers(self))  # block B (SetNetworkProfile)
        self._handlers.update(self.local_list.handlers())
        self._handlers.update(self.reservations.handlers(self._handlers))
        ca = block_m.CertificateStore(station, dm=self.dm)  # block M (CA certificates)
        self._handlers.update(ca.handlers())
        self.fw = FirmwareUpdater(self, lambda: manufacturer_roots(ca.store))  # block L
        self._handlers.update(self.fw.handlers())
        self.certs = block_a_certs.CertificateRenewal(station, dm=self.dm)  # A02/A03
        self._handlers.update(self.certs.handlers())
        self.k = block_k.BlockK(self, units)  # block K (smart charging)
        self._handlers.update(self.k.handlers(self._handlers))

    # -- what the core asks -------------------------------------------------------------------------
    def boot_payload(self, reason: str) -> Payload:
        """B01: BootNotificationRequest with the boot reason (PowerUp, RemoteReset, Triggered)."""
        return {
            "reason": reason,
            "chargingStation": {
                "vendorName": "ocpp-harness",
                "model": "reference-station",
                "serialNumber": f"REF-{self.st.identity}"[:25],
                "firmwareVersion": self.fw.version,
            },
        }

    def statuses(self) -> list[tuple[Hashable, str]]:
        return [
            ((c.evse_id, c.connector_id), self._connector_status(c)) for c in self.hw.connectors()
        ]

    def _connector_status(self, c: Connector) -> str:
        """G01 with block H's Reserved and block L's firmware hold."""
        return self.fw.connector_status(c, self.reservations.status(c, _status(c)))

    def status_payload(self, key: Any, status: str) -> Payload:
        evse_id, connector_id = key
        return {
            "timestamp": now_iso(),
            "connectorStatus": status,
            "evseId": evse_id,
            "connectorId": connector_id,
        }

    def handle(self, call: Call) -> Reply:
        handler = self._handlers.get(call.action)
        if handler is None:
            raise CallRefused(ErrorKind.NOT_SUPPORTED, f"{call.action} is not supported")
        return handler(call.payload)

    def plug_in(self, evse_id: int, connector_id: int) -> None:
        self.txe.plug_in(evse_id, connector_id)

    def unplug(self, evse_id: int, connector_id: int) -> None:
        self.txe.unplug(evse_id, connector_id)

    def present_token(self, id_token: str, evse_id: int) -> None:
        self.txe.present_token(id_token, evse_id)

    def end_all(self, reason: str, trigger: str) -> None:
        self.txe.end_all(reason, trigger)

    def power_lost(self) -> None:
        self.txe.power_lost()
        block_fg.power_lost(self.st)
        self.k.power_lost()  # K01.FR.27
        self.local_list.power_lost()  # D01.FR.10
        self.reservations.power_lost()  # B11.FR.05

    def active(self) -> dict[str, Transaction]:
        return {tx.key: tx for tx in self.txe.tx.values()}

    def retry_policy(self) -> tuple[int, float]:
        """E13: MessageAttempts / MessageAttemptInterval of instance TransactionEvent."""
        attempts = self.dm.get_int("OCPPCommCtrlr", "MessageAttempts", "TransactionEvent")
        interval = self.dm.get_int("OCPPCommCtrlr", "MessageAttemptInterval", "TransactionEvent")
        return attempts, float(interval)

    def offline_threshold(self) -> float:
        return float(self.dm.get_int("OCPPCommCtrlr", "OfflineThreshold"))

    def heartbeat_changed(self, seconds: int) -> None:
        """HeartbeatInterval reads the station's interval directly."""

    def _availability(self, evse_id: int | None, connector_id: int | None) -> str:
        if evse_id is None:
            return (
                "Available" if any(e.operative for e in self.hw.evses.values()) else "Unavailable"
            )
        if connector_id is not None:
            return self._connector_status(self.hw.connector(evse_id, connector_id))
        evse = self.hw.evse(evse_id)
        if not evse.operative:
            return "Unavailable"
        busy = evse.plugged_connector() is not None or evse_id in self.txe.tx
        reserved = evse_id in self.reservations.reserved_evses()
        return "Occupied" if busy else ("Reserved" if reserved else "Available")

    # -- provisioning (B05-B08, B11/B12) ------------------------------------------------------------
    def _limit(self, data: list[Payload], instance: str) -> list[Payload]:
        limit = self.dm.get_int("DeviceDataCtrlr", "ItemsPerMessage", instance)
        if len(data) > limit:
            raise CallRefused(
                ErrorKind.OCCURRENCE_CONSTRAINT_VIOLATION,
                f"{len(data)} items, ItemsPerMessage{instance} is {limit}",
            )
        return data

    def _get_variables(self, p: Payload) -> Reply:
        data = self._limit(p["getVariableData"], "GetVariables")
        return Reply({"getVariableResult": self.dm.get_variables(data)})

    def _set_variables(self, p: Payload) -> Reply:
        data = self._limit(p["setVariableData"], "SetVariables")
        self.txe.mv.ensure_clock()  # J01: clock-aligned values once an interval is set
        results = self.dm.set_variables(data)
        return Reply(
            {"setVariableResult": results}, then=block_a.password_reconnect(self.st, results)
        )

    def _get_base_report(self, p: Payload) -> Reply:
        entries = self.dm.base_report(p["reportBase"])
        return Reply({"status": "Accepted"}, then=lambda: self._notify(p["requestId"], entries))

    def _get_report(self, p: Payload) -> Reply:
        entries = self.dm.custom_report(p.get("componentVariable"), p.get("componentCriteria"))
        if not entries:
            return Reply({"status": "EmptyResultSet"})
        return Reply({"status": "Accepted"}, then=lambda: self._notify(p["requestId"], entries))

    def _notify(self, request_id: int, entries: list[Payload]) -> None:
        """NotifyReport in parts: seqNo 0, 1, ...; tbc on all but the last (B07, B08)."""
        parts = [entries[i : i + REPORT_PART] for i in range(0, len(entries), REPORT_PART)]
        for seq, part in enumerate(parts):
            payload = {
                "requestId": request_id,
                "generatedAt": now_iso(),
                "seqNo": seq,
                "tbc": seq < len(parts) - 1,
                "reportData": part,
            }
            self.st.send(Outgoing.fixed("NotifyReport", payload, pre_boot=True))

    def _reset(self, p: Payload) -> Reply:
        """B11/B12: see :mod:`~harness.reference.station.block_b`."""
        return block_b.reset(self, p)

    # -- remote control (F01-F06) -------------------------------------------------------------------
    def _can_start(self, evse: Evse, token: str = "", group: str | None = None) -> bool:
        """Free for a remote start of ``token`` (F01.FR.21/22: not reserved for another)."""
        tx = self.txe.tx.get(evse.id)
        free = evse.operative and (tx is None or not tx.authorized) and evse.id not in self.txe.held
        free = free and (not token or self.reservations.admits(evse.id, token, group))
        return free and not (self.fw.hold and tx is None)  # L01.FR.07

    def _request_start(self, p: Payload) -> Reply:
        """F01/F02: Accepted on a free EVSE (or one whose cable-first transaction waits for
        authorization); Rejected while the boot is not Accepted (B02.FR.05)."""
        rejected = Reply({"status": "Rejected"})
        if (
            self.st.boot_status != "Accepted"
            and "pending-accepts-remote-start" not in self.st.faults
        ):
            return rejected
        token, group = p["idToken"]["idToken"], (p.get("groupIdToken") or {}).get("idToken")
        if "evseId" in p:
            evse = self.hw.evses.get(p["evseId"])
        else:
            free = [e for e in self.hw.evses.values() if self._can_start(e, token, group)]
            plugged = [e for e in free if e.plugged_connector() is not None]
            evse = plugged[0] if plugged else (free[0] if free else None)
        if evse is None or not self._can_start(evse, token, group):
            return rejected
        tx = self.txe.tx.get(evse.id)
        answer: Payload = {"status": "Accepted"}
        if tx is not None and "remote-start-no-transaction-id" not in self.st.faults:
            answer["transactionId"] = tx.key
        if "remote-start-ignored" in self.st.faults:
            return Reply(answer)
        if "remote-start-rejected" in self.st.faults:
            return rejected
        token_type, remote_id, evse_id = p["idToken"]["type"], p["remoteStartId"], evse.id
        if group is not None:
            self.txe.groups[token] = group

        def go() -> None:
            authorize = block_fg.authorize_remote(
                self.st, self.dm.get_bool("AuthCtrlr", "AuthorizeRemoteStart")
            )
            if authorize and token_type not in ("Central", "NoAuthorization"):
                self.txe.authorize(evse_id, token, token_type, "RemoteStart", remote_id)
            else:  # F01.FR.02: no authorization needed
                self.txe.grant(evse_id, token, token_type, "RemoteStart", remote_id)

        return Reply(answer, then=go)

    def _request_stop(self, p: Payload) -> Reply:
        """F03: Accepted for an ongoing transaction (F03.FR.07; then ended, or the energy offer
        stopped, per TxStopPoint: F03.FR.02/03); F03.FR.08: Rejected for an unknown one."""
        tx = next((t for t in self.txe.tx.values() if t.key == p["transactionId"]), None)
        if tx is None and "remote-stop-unknown-accepted" in self.st.faults:
            return Reply({"status": "Accepted"})
        if tx is None or self.st.boot_status != "Accepted":
            return Reply({"status": "Rejected"})
        if "remote-stop-ignored" in self.st.faults:
            return Reply({"status": "Accepted"})
        if "remote-stop-rejected" in self.st.faults:
            return Reply({"status": "Rejected"})
        return Reply({"status": "Accepted"}, then=lambda: block_fg.remote_stop(self.txe, tx))

    def _unlock(self, p: Payload) -> Reply:
        """F05: UnknownConnector (F05.FR.03), OngoingAuthorizedTransaction (F05.FR.02), else
        Unlocked, with or without a cable (F05.FR.04/06); faults in :mod:`.block_fg`."""
        evse = self.hw.evses.get(p["evseId"])
        if evse is None or p["connectorId"] not in evse.connectors:
            return Reply({"status": block_fg.unlock_status(self.st, "UnknownConnector")})
        tx = self.txe.tx.get(evse.id)
        if tx is not None and tx.authorized:
            return Reply(
                {"status": block_fg.unlock_status(self.st, "OngoingAuthorizedTransaction")}
            )
        return Reply({"status": block_fg.unlock_status(self.st, "Unlocked")})

    # -- availability, transactions, misc -------------------------------------------------------------
    def _change_availability(self, p: Payload) -> Reply:
        """G03/G04: an EVSE, a connector or (no EVSE / EVSE 0) the whole station; Scheduled
        while a transaction runs on it, applied when the transaction ends."""
        operative = p["operationalStatus"] == "Operative"
        if "availability-rejected" in self.st.faults:
            return Reply({"status": "Rejected"})
        where = p.get("evse")
        if where is None or where["id"] == 0:
            targets = self.hw.connectors()
        else:
            evse = self.hw.evses.get(where["id"])
            if evse is None:
                return Reply({"status": "Rejected"})
            if "connectorId" in where:
                if where["connectorId"] not in evse.connectors:
                    return Reply({"status": "Rejected"})
                targets = [evse.connectors[where["connectorId"]]]
            else:
                targets = list(evse.connectors.values())
        same = all(c.operative == operative and c.scheduled is None for c in targets)
        if same and "availability-same-state-rejected" in self.st.faults:
            return Reply({"status": "Rejected"})
        scheduled = block_fg.apply_availability(self.st, targets, set(self.txe.tx), operative)
        report = (
            self.st.mark_reported
            if "availability-no-status" in self.st.faults
            else self.st.refresh_status
        )
        if "availability-not-scheduled" in self.st.faults:
            scheduled = False
        return Reply({"status": "Scheduled" if scheduled else "Accepted"}, then=report)

    def _transaction_status(self, p: Payload) -> Reply:
        """E14: whether the transaction runs and whether messages for it are still queued."""
        tid, faults = p.get("transactionId"), self.st.faults
        queued = self.st.outbox.has_transactional(tid) and "tx-status-queue-ignored" not in faults
        queued = queued or "tx-status-queue-always" in faults
        if tid is None:
            if "tx-status-ongoing-without-id" in faults:  # E14.FR.06 broken
                return Reply({"messagesInQueue": queued, "ongoingIndicator": bool(self.txe.tx)})
            return Reply({"messagesInQueue": queued})
        ongoing = any(tx.key == tid for tx in self.txe.tx.values())
        ongoing = ongoing or "tx-status-always-ongoing" in faults
        return Reply({"ongoingIndicator": ongoing, "messagesInQueue": queued})

    def _clear_cache(self, p: Payload) -> Reply:
        """C11 / 1.6 §5.4: the authorization cache is emptied."""
        self.st.auth_cache.clear()
        return Reply({"status": "Accepted"})

    def _data_transfer(self, p: Payload) -> Reply:
        """P01: the reference knows no vendor-specific extensions."""
        known = "datatransfer-accepts-unknown-vendor" in self.st.faults
        return Reply({"status": "Accepted" if known else "UnknownVendorId"})


def _status(c: Connector) -> str:
    if not c.operative:
        return "Unavailable"
    return "Occupied" if c.plugged else "Available"
