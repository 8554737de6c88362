"""Handlers the reference CSMS shares between OCPP 1.6 and 2.x: boot, heartbeat, acknowledgements.

A handler takes the CSMS state, the sending station's record and the request payload, and returns
the response payload; it raises :class:`Refusal` to answer with a CALLERROR instead. Handlers are
plain functions (no I/O), so each one is easy to read against its use case.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from harness.ocppj.errors import ErrorKind
from harness.reference.csms.records import CsmsState, StationRecord

Handler = Callable[[CsmsState, StationRecord, dict[str, Any]], dict[str, Any]]

#: How far off the clock is under the ``csms-boot-stale-time`` fault.
STALE_BY = timedelta(hours=1)
#: The retry interval of the Pending answer of the ``boot-pending-first`` variant (s).
PENDING_FIRST_INTERVAL = 1


class Refusal(Exception):
    """Answer the CALL with a CALLERROR of ``kind`` (spelled for the link's version)."""

    def __init__(self, kind: ErrorKind, description: str) -> None:
        super().__init__(description)
        self.kind = kind
        self.description = description


def rfc3339(moment: datetime) -> str:
    """UTC time as OCPP writes it: RFC 3339 with millisecond precision and ``Z``."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def current_time(state: CsmsState) -> str:
    """The CSMS clock as sent in BootNotification/Heartbeat responses (one hour late if faulty)."""
    now = datetime.now(UTC)
    if "csms-boot-stale-time" in state.faults:
        now -= STALE_BY
    return rfc3339(now)


def boot_notification(
    state: CsmsState, station: StationRecord, payload: dict[str, Any]
) -> dict[str, Any]:
    """Use cases B01/B02/B03 (1.6 §4.2): answer with the boot policy, the clock and the interval.

    For Accepted the interval is the heartbeat interval; for Pending and Rejected it is the
    minimum wait before the next BootNotification.
    """
    status = "Rejected" if "csms-boot-rejects" in state.faults else state.boot_status
    interval = state.heartbeat_interval
    if "boot-pending-first" in state.variants and station.boot_count == 0:
        status, interval = "Pending", PENDING_FIRST_INTERVAL  # legal variant: B02, 1.6 §4.2
    if status == "Accepted" and "csms-boot-no-interval" in state.faults:
        interval = 0
    station.boot_status = status
    station.boot_count += 1
    station.boot_request = payload
    if status == "Accepted":
        station.triggered.clear()
    else:
        station.triggered.discard("BootNotification")
    return {
        "status": status,
        "currentTime": current_time(state),
        "interval": interval,
    }


def heartbeat(state: CsmsState, station: StationRecord, payload: dict[str, Any]) -> dict[str, Any]:
    """G02 (1.6 §4.6): record the heartbeat, answer with the CSMS clock (one hour late under the
    seeded fault ``csms-heartbeat-stale-time``)."""
    station.last_heartbeat = datetime.now(UTC)
    if "csms-heartbeat-stale-time" in state.faults:
        return {"currentTime": rfc3339(datetime.now(UTC) - STALE_BY)}
    return {"currentTime": current_time(state)}


def acknowledge(
    state: CsmsState, station: StationRecord, payload: dict[str, Any]
) -> dict[str, Any]:
    """Notifications the CSMS only has to confirm (the response has no fields)."""
    return {}


def security_event(
    state: CsmsState, station: StationRecord, payload: dict[str, Any]
) -> dict[str, Any]:
    """A04 (1.6 Security Whitepaper): record the event type, confirm it."""
    station.security_events.append(str(payload.get("type", "")))
    return {}


def data_transfer(
    state: CsmsState, station: StationRecord, payload: dict[str, Any]
) -> dict[str, Any]:
    """P01/P02 (1.6 §4.3): the reference CSMS knows no vendor extensions."""
    return {"status": "UnknownVendorId"}


def triggered_action(requested: str) -> str:
    """The action a TriggerMessage ``requestedMessage`` makes the station send (F06, 1.6 §5.17)."""
    if requested.startswith("Sign") and requested.endswith("Certificate"):
        return "SignCertificate"
    return requested


COMMON: dict[str, Handler] = {
    "BootNotification": boot_notification,
    "Heartbeat": heartbeat,
    "DataTransfer": data_transfer,
    "SecurityEventNotification": security_event,
    "FirmwareStatusNotification": acknowledge,
    "LogStatusNotification": acknowledge,
}
