"""Default replies the harness peers give to traffic a test case does not script.

The harness CSMS accepts and acknowledges everything a station reports (boot accepted, tokens
accepted, notifications acknowledged); the harness station accepts every command a CSMS sends.
A script changes one with ``peer.set_reply(action, ...)`` or answers the frame itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from harness.ocppj.frames import Call

if TYPE_CHECKING:
    from harness.peers.view import PeerView as Peer

Factory = Callable[["Peer", Call], dict[str, Any]]

#: Heartbeat interval the harness CSMS hands out by default (seconds).
DEFAULT_INTERVAL = 300


def now_iso() -> str:
    """Current UTC time as OCPP writes it (RFC 3339, millisecond precision, ``Z``)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _boot(peer: Peer, call: Call) -> dict[str, Any]:
    return {"status": "Accepted", "currentTime": now_iso(), "interval": DEFAULT_INTERVAL}


def _heartbeat(peer: Peer, call: Call) -> dict[str, Any]:
    return {"currentTime": now_iso()}


def _empty(peer: Peer, call: Call) -> dict[str, Any]:
    return {}


def _status(value: str) -> Factory:
    def factory(peer: Peer, call: Call) -> dict[str, Any]:
        return {"status": value}

    return factory


def _v16_start(peer: Peer, call: Call) -> dict[str, Any]:
    return {"transactionId": peer.next_transaction_id(), "idTagInfo": {"status": "Accepted"}}


def _v16_stop(peer: Peer, call: Call) -> dict[str, Any]:
    return {"idTagInfo": {"status": "Accepted"}} if "idTag" in call.payload else {}


def _v2_tx_event(peer: Peer, call: Call) -> dict[str, Any]:
    return {"idTokenInfo": {"status": "Accepted"}} if "idToken" in call.payload else {}


def _v16_get_configuration(peer: Peer, call: Call) -> dict[str, Any]:
    keys = call.payload.get("key") or []
    return {"configurationKey": [], "unknownKey": keys} if keys else {"configurationKey": []}


def _v2_get_variables(peer: Peer, call: Call) -> dict[str, Any]:
    results = [
        {
            "attributeStatus": "UnknownVariable",
            "component": item.get("component", {}),
            "variable": item.get("variable", {}),
        }
        for item in call.payload.get("getVariableData", [])
    ]
    return {"getVariableResult": results}


def _v2_set_variables(peer: Peer, call: Call) -> dict[str, Any]:
    results = [
        {
            "attributeStatus": "Accepted",
            "component": item.get("component", {}),
            "variable": item.get("variable", {}),
        }
        for item in call.payload.get("setVariableData", [])
    ]
    return {"setVariableResult": results}


_CSMS_V16: dict[str, Factory] = {
    "BootNotification": _boot,
    "Heartbeat": _heartbeat,
    "StatusNotification": _empty,
    "Authorize": lambda p, c: {"idTagInfo": {"status": "Accepted"}},
    "StartTransaction": _v16_start,
    "StopTransaction": _v16_stop,
    "MeterValues": _empty,
    "DataTransfer": _status("UnknownVendorId"),
    "DiagnosticsStatusNotification": _empty,
    "FirmwareStatusNotification": _empty,
    "SecurityEventNotification": _empty,
    "LogStatusNotification": _empty,
    "SignedFirmwareStatusNotification": _empty,
    "SignCertificate": _status("Accepted"),
}

_CSMS_V2: dict[str, Factory] = {
    "BootNotification": _boot,
    "Heartbeat": _heartbeat,
    "StatusNotification": _empty,
    "Authorize": lambda p, c: {"idTokenInfo": {"status": "Accepted"}},
    "TransactionEvent": _v2_tx_event,
    "MeterValues": _empty,
    "DataTransfer": _status("UnknownVendorId"),
    "NotifyEvent": _empty,
    "NotifyReport": _empty,
    "NotifyMonitoringReport": _empty,
    "NotifyChargingLimit": _empty,
    "ClearedChargingLimit": _empty,
    "ReportChargingProfiles": _empty,
    "NotifyCustomerInformation": _empty,
    "NotifyDisplayMessages": _empty,
    "NotifyEVChargingNeeds": _status("Accepted"),
    "NotifyEVChargingSchedule": _status("Accepted"),
    "SecurityEventNotification": _empty,
    "FirmwareStatusNotification": _empty,
    "PublishFirmwareStatusNotification": _empty,
    "LogStatusNotification": _empty,
    "ReservationStatusUpdate": _empty,
    "SignCertificate": _status("Accepted"),
}

_STATION_V16: dict[str, Factory] = {
    "Reset": _status("Accepted"),
    "ChangeAvailability": _status("Accepted"),
    "RemoteStartTransaction": _status("Accepted"),
    "RemoteStopTransaction": _status("Accepted"),
    "ChangeConfiguration": _status("Accepted"),
    "GetConfiguration": _v16_get_configuration,
    "ClearCache": _status("Accepted"),
    "UnlockConnector": _status("Unlocked"),
    "TriggerMessage": _status("Accepted"),
    "DataTransfer": _status("UnknownVendorId"),
}

_STATION_V2: dict[str, Factory] = {
    "Reset": _status("Accepted"),
    "ChangeAvailability": _status("Accepted"),
    "RequestStartTransaction": _status("Accepted"),
    "RequestStopTransaction": _status("Accepted"),
    "GetVariables": _v2_get_variables,
    "SetVariables": _v2_set_variables,
    "GetBaseReport": _status("Accepted"),
    "ClearCache": _status("Accepted"),
    "UnlockConnector": _status("Unlocked"),
    "TriggerMessage": _status("Accepted"),
    "DataTransfer": _status("UnknownVendorId"),
    "GetTransactionStatus": lambda p, c: {"messagesInQueue": False},
}

TABLES: dict[tuple[str, bool], dict[str, Factory]] = {
    ("csms", True): _CSMS_V16,
    ("csms", False): _CSMS_V2,
    ("station", True): _STATION_V16,
    ("station", False): _STATION_V2,
}


def default_reply(peer: Peer, call: Call, version: str) -> dict[str, Any] | None:
    """The default payload for ``call`` from ``peer``'s table, or None when nothing is scripted."""
    table = TABLES[(peer.table, version == "1.6")]
    factory = table.get(call.action)
    return factory(peer, call) if factory is not None else None
