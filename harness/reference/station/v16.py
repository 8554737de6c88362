"""OCPP 1.6J behaviour of the reference charge point: connector status and Central System commands.

Connector status (1.6 §4.9): Available; Preparing on plug-in or an accepted idTag; Charging while a
transaction runs (SuspendedEV if the cable is pulled with StopTransactionOnEVSideDisconnect false);
Finishing after StopTransaction while the cable stays; Unavailable when inoperative. Connector 0 is
the charge point as a whole. Commands: RemoteStart/StopTransaction (§5.11/§5.12), Reset (§5.14),
ChangeAvailability (§5.2), Change/GetConfiguration (§5.3/§5.8), TriggerMessage (§5.17),
UnlockConnector (§5.18), ClearCache (§5.4), DataTransfer (§5.6); the security whitepaper's messages
and keys are in :mod:`~harness.reference.station.sec16`, firmware update and diagnostics (and
the signed firmware update) in :mod:`~harness.reference.station.firmware16`; other known actions
get CALLERROR NotSupported. Transactions are in :mod:`~harness.reference.station.v16tx`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from harness.ocppj.errors import ErrorKind
from harness.ocppj.frames import Call
from harness.reference.station import legal
from harness.reference.station.config16 import Config16
from harness.reference.station.firmware16 import Firmware16
from harness.reference.station.model import (
    CallRefused,
    Connector,
    Outgoing,
    Payload,
    Reply,
    Transaction,
    now_iso,
)
from harness.reference.station.sec16 import Security16
from harness.reference.station.v16_auth import LocalList16
from harness.reference.station.v16_core import Core16
from harness.reference.station.v16_reservation import Reservations16
from harness.reference.station.v16_smart import SmartCharging16
from harness.reference.station.v16tx import TxEngine16

if TYPE_CHECKING:
    from harness.reference.station.core import ReferenceStation


class V16:
    """The 1.6 half of :class:`~harness.reference.station.core.ReferenceStation`."""

    def __init__(self, station: ReferenceStation) -> None:
        self.st = station
        self.hw = station.hardware
        self.config = Config16(
            connectors=len(self.hw.connectors()),
            heartbeat_s=int(station.heartbeat_interval),
            faults=station.faults,
            on_change=self._config_changed,
        )
        legal.configuration(self.config, station.variants)
        self.txe = TxEngine16(station, self.config)
        self.station_operative = True
        self._handlers: dict[str, Callable[[Payload], Reply]] = {
            "RemoteStartTransaction": self._remote_start,
            "RemoteStopTransaction": self._remote_stop,
            "Reset": self._reset,
            "ChangeAvailability": self._change_availability,
            "ChangeConfiguration": self._change_configuration,
            "GetConfiguration": lambda p: Reply(self.config.get_configuration(p.get("key"))),
            "TriggerMessage": self._trigger,
            "UnlockConnector": self._unlock,
            "ClearCache": self._clear_cache,
            "DataTransfer": self._data_transfer,
        }
        self.sec = Security16(self)  # the security whitepaper (sec16)
        self._handlers.update(self.sec.handlers(self._handlers))
        self.firmware = Firmware16(self)  # Firmware Management and signed firmware (firmware16)
        self._handlers.update(self.firmware.handlers())
        self.local_list = LocalList16(self)  # Local Authorization List (v16_auth)
        self._handlers.update(self.local_list.handlers())
        self.core = Core16(self)  # Core commands and their faults (v16_core)
        self._handlers.update(self.core.handlers(self._handlers))
        self.reservations = Reservations16(self)  # Reservation profile (v16_reservation)
        self._handlers.update(self.reservations.handlers(self._handlers))
        self.smart = SmartCharging16(self)  # Smart Charging profile (v16_smart)
        self._handlers.update(self.smart.handlers(self._handlers))

    # -- what the core asks -------------------------------------------------------------------------
    def boot_payload(self, reason: str) -> Payload:
        """1.6 §4.2 BootNotification.req (1.6 has no boot reason)."""
        return {
            "chargePointVendor": "ocpp-harness",
            "chargePointModel": "reference-station",
            "chargePointSerialNumber": f"REF-{self.st.identity}"[:25],
            "firmwareVersion": self.firmware.boot_version(),
        }

    def statuses(self) -> list[tuple[Hashable, str]]:
        """Connector 0 (the charge point) and every connector (1.6 §4.9)."""
        main = "Available" if self.station_operative else "Unavailable"
        out: list[tuple[Hashable, str]] = [(0, main)]
        return out + [(c.number, self._status(c)) for c in self.hw.connectors()]

    def _status(self, c: Connector) -> str:
        if c.number in self.txe.tx and "status-skips-charging" not in self.st.faults:
            return "Charging" if c.plugged else "SuspendedEV"
        if c.faulted or c.lock_failed:  # lock_failed: ConnectorLockFailure (TC_024_CS)
            return "Faulted"
        if not c.operative:
            return "Unavailable"
        faults = self.st.faults
        if c.finished and "status-skips-finishing" not in faults:
            return "Finishing"
        if (c.plugged or c.pending_tag is not None) and "status-skips-preparing" not in faults:
            return "Preparing"
        return "Reserved" if self.reservations.reserved(c) else "Available"

    def status_payload(self, key: Any, status: str) -> Payload:
        return {
            "connectorId": key,
            "errorCode": self._error_code(key) if status == "Faulted" else "NoError",
            "status": status,
            "timestamp": now_iso(),
        }

    def _error_code(self, key: Any) -> str:
        """§7.6: ConnectorLockFailure for a connector whose cable lock failed, else OtherError."""
        c = self.hw.by_number(key) if isinstance(key, int) and key > 0 else None
        return "ConnectorLockFailure" if c is not None and c.lock_failed else "OtherError"

    def handle(self, call: Call) -> Reply:
        handler = self._handlers.get(call.action)
        if handler is None:
            raise CallRefused(ErrorKind.NOT_SUPPORTED, f"{call.action} is not supported")
        return handler(call.payload)

    def active(self) -> dict[str, Transaction]:
        return {tx.key: tx for tx in self.txe.tx.values()}

    def retry_policy(self) -> tuple[int, float]:
        """§3.7.1: attempts and interval of a failed transaction message (fault
        ``cp16-retry-no-interval``: retried at once)."""
        interval = float(self.config.get_int("TransactionMessageRetryInterval"))
        if "cp16-retry-no-interval" in self.st.faults:
            interval = 0.0
        return self.config.get_int("TransactionMessageAttempts"), interval

    def offline_threshold(self) -> float:
        return float("inf")  # 1.6 reports what changed while offline, nothing more

    def heartbeat_changed(self, seconds: int) -> None:
        self.config.store("HeartbeatInterval", str(seconds))

    def _config_changed(self, key: str, value: str) -> None:
        if key == "HeartbeatInterval":
            self.st.set_heartbeat_interval(int(value))

    def end_all(self, reason: str, trigger: str) -> None:
        self.txe.end_all(reason)

    def power_lost(self) -> None:
        self.txe.power_lost()

    def plug_in(self, evse_id: int, connector_id: int) -> None:
        self.txe.plug_in(evse_id, connector_id)

    def unplug(self, evse_id: int, connector_id: int) -> None:
        self.txe.unplug(evse_id, connector_id)

    def present_token(self, id_token: str, evse_id: int) -> None:
        self.txe.present_token(id_token, evse_id)

    # -- Central System commands --------------------------------------------------------------------
    def _remote_start(self, p: Payload) -> Reply:
        """§5.11: Accepted when the (given or a free) connector can take a transaction."""
        rejected = Reply({"status": "Rejected"})
        if self.st.boot_status != "Accepted":
            return rejected  # §4.2: not allowed while Pending
        tag = p["idTag"]
        if "connectorId" in p:
            c = self.hw.by_number(p["connectorId"])
        else:
            free = [c for c in self.hw.connectors() if self.txe.can_start(c)]
            c = next((c for c in free if c.plugged), free[0] if free else None)
        if c is None or not self.txe.can_start(c):
            return rejected
        if "remote-start-ignored" in self.st.faults:
            return Reply({"status": "Accepted"})
        if "remote-start-rejected" in self.st.faults:
            return rejected

        def go() -> None:
            if self.config.get_bool("AuthorizeRemoteTxRequests"):
                self.txe.authorize(c, tag)
            else:
                self.txe.authorized(c, tag)

        return Reply({"status": "Accepted"}, then=go)

    def _remote_stop(self, p: Payload) -> Reply:
        """§5.12: Accepted for an ongoing transaction, which then stops with reason Remote."""
        tx = next((t for t in self.txe.tx.values() if t.csms_id == p["transactionId"]), None)
        if tx is None or self.st.boot_status != "Accepted":
            return Reply({"status": "Rejected"})
        if "remote-stop-ignored" in self.st.faults:
            return Reply({"status": "Accepted"})
        if "remote-stop-rejected" in self.st.faults:
            return Reply({"status": "Rejected"})
        return Reply({"status": "Accepted"}, then=lambda: self.txe.stop(tx, "Remote"))

    def _reset(self, p: Payload) -> Reply:
        """§5.14: stop transactions (HardReset/SoftReset), then reboot."""
        reason = "HardReset" if p["type"] == "Hard" else "SoftReset"

        def go() -> None:
            self.st.spawn(self.st.power_cycle(boot_reason="PowerUp", reason=reason))

        return Reply({"status": "Accepted"}, then=go)

    def _change_availability(self, p: Payload) -> Reply:
        """§5.2: connectorId 0 is the whole charge point; Scheduled while a transaction runs."""
        operative = p["type"] == "Operative"
        if p["connectorId"] == 0:
            targets = self.hw.connectors()
            self.station_operative = operative
        else:
            c = self.hw.by_number(p["connectorId"])
            if c is None:
                return Reply({"status": "Rejected"})
            targets = [c]
        scheduled = False
        for c in targets:
            if c.number in self.txe.tx and c.operative != operative:
                c.scheduled, scheduled = operative, True
                continue
            c.operative, c.scheduled = operative, None
            if not operative:
                self.txe.disarm(c)
                c.pending_tag = None
        return Reply(
            {"status": "Scheduled" if scheduled else "Accepted"}, then=self.st.refresh_status
        )

    def _change_configuration(self, p: Payload) -> Reply:
        return Reply({"status": self.config.change_configuration(p["key"], p["value"])})

    def _trigger(self, p: Payload) -> Reply:
        """§5.17 TriggerMessage: Accepted, then the requested message (after the answer)."""
        cid = p.get("connectorId")
        if "trigger-rejected" in self.st.variants:
            return Reply({"status": "Rejected"})  # legal variant: §5.17 lets it refuse
        unknown = cid is not None and cid != 0 and self.hw.by_number(cid) is None
        if unknown and "cp16-trigger-unknown-connector" not in self.st.faults:
            return Reply({"status": "Rejected"})
        numbers = [c.number for c in self.hw.connectors()]
        send = self.st.send

        def statuses() -> None:
            for key in [0, *numbers] if cid is None else [cid]:
                self.st.send_status(key)

        def meters() -> None:
            for number in numbers if not cid else [cid]:
                c = self.hw.by_number(number)
                if c is not None:
                    send(
                        self.txe.meter_values(c, self.txe.tx.get(number), "Trigger", pre_boot=True)
                    )

        def current(action: str, status: Callable[[], Payload]) -> Callable[[], None]:
            return lambda: send(Outgoing.fixed(action, status(), pre_boot=True))

        actions: dict[str, Callable[[], None]] = {
            "BootNotification": self._trigger_boot,
            "Heartbeat": lambda: send(Outgoing.fixed("Heartbeat", {}, pre_boot=True)),
            "StatusNotification": statuses,
            "MeterValues": meters,
            "DiagnosticsStatusNotification": current(
                "DiagnosticsStatusNotification", self.firmware.triggered_diagnostics
            ),
            "FirmwareStatusNotification": current(
                "FirmwareStatusNotification", self.firmware.triggered_firmware
            ),
        }
        action = actions.get(p["requestedMessage"])
        if action is None:
            return Reply({"status": "NotImplemented"})
        if unknown or "cp16-trigger-not-sent" in self.st.faults:
            return Reply({"status": "Accepted"})  # faults (faults_v16_auth): nothing follows
        return Reply({"status": "Accepted"}, then=action)

    def _trigger_boot(self) -> None:
        if self.st.boot_status != "Accepted":
            self.st.trigger_boot()
            return

        def answered(result: Payload) -> None:
            if result.get("status") == "Accepted":
                self.st.apply_boot_interval(int(result.get("interval", 0)))

        boot = Outgoing("BootNotification", lambda: self.boot_payload("Triggered"))
        boot.on_result = answered
        self.st.send(boot)

    def _unlock(self, p: Payload) -> Reply:
        """§5.18: a transaction on the connector stops first (reason UnlockCommand)."""
        c = self.hw.by_number(p["connectorId"])
        if c is None:
            return Reply({"status": "NotSupported"})
        tx = self.txe.tx.get(c.number)
        then = (lambda: self.txe.stop(tx, "UnlockCommand")) if tx is not None else None
        return Reply({"status": "Unlocked"}, then=then)

    def _clear_cache(self, p: Payload) -> Reply:
        """C11 / 1.6 §5.4: the authorization cache is emptied."""
        self.st.auth_cache.clear()
        return Reply({"status": "Accepted"})

    def _data_transfer(self, p: Payload) -> Reply:
        """§5.6: the reference knows no vendor-specific extensions."""
        known = "datatransfer-accepts-unknown-vendor" in self.st.faults
        return Reply({"status": "Accepted" if known else "UnknownVendorId"})
