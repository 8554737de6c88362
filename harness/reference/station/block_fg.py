"""OCPP 2.0.1/2.1 reference station, OCA blocks F (trigger messages, F06) and G (availability,
G03/G04): the parts :mod:`harness.reference.station.v2` delegates, with their seeded faults.

* :func:`apply_availability`: G03/G04, a connector without a transaction changes at once; one
  whose EVSE runs a transaction is scheduled for its end (G03.FR.05, G04.FR.06);
  ``availability-schedule-lost`` answers Scheduled but forgets the change;
* :func:`power_lost`: G03.FR.08/G04.FR.09, ``availability-forgotten-on-reboot``;
* :func:`trigger_fault`: ``trigger-accepted-not-sent`` (Accepted, nothing sent: F06.FR.10) and
  ``trigger-boot-accepted`` (a BootNotification trigger accepted after an Accepted boot: F06.FR.17);
* :func:`authorize_remote`: F01.FR.01/02, ``remote-start-authorize-inverted``;
* :func:`remote_stop`: F03.FR.02/03, ``remote-stop-wrong-trigger``;
* :func:`unlock_status`: F05, ``unlock-unknown-connector-unlocked``, ``unlock-ignores-transaction``
  and ``unlock-fails``;
* :func:`trigger_context` / :func:`idle_status`: the context of triggered meter values (F06.FR.06,
  ``trigger-meter-context-wrong``) and the Idle status of a triggered Log/FirmwareStatusNotification
  (F06.FR.15/16, ``trigger-status-not-idle``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from harness.reference.station.model import Connector, Payload, Transaction

if TYPE_CHECKING:
    from harness.reference.station.core import ReferenceStation
    from harness.reference.station.v2tx import TxEngine

#: The busy status ``trigger-status-not-idle`` reports instead of Idle.
_BUSY = {"LogStatusNotification": "Uploading", "FirmwareStatusNotification": "Downloading"}


def apply_availability(
    station: ReferenceStation, targets: Iterable[Connector], busy_evses: set[int], operative: bool
) -> bool:
    """Set ``targets`` operative or not; True when a change waits for a transaction's end."""
    scheduled = False
    lost = "availability-schedule-lost" in station.faults
    for c in targets:
        if c.evse_id in busy_evses and c.operative != operative:
            c.scheduled, scheduled = (None if lost else operative), True
        else:
            c.operative, c.scheduled = operative, None
    return scheduled


def power_lost(station: ReferenceStation) -> None:
    """G03.FR.08/G04.FR.09: the availability set survives a reboot (the connectors keep it);
    ``availability-forgotten-on-reboot`` makes every connector operative again."""
    if "availability-forgotten-on-reboot" in station.faults:
        for c in station.hardware.connectors():
            c.operative, c.scheduled = True, None


def trigger_fault(station: ReferenceStation, message: str) -> Callable[[], None] | None:
    """What a seeded fault does instead of the triggered ``message`` (None: no fault applies)."""
    if "trigger-accepted-not-sent" in station.faults:
        return lambda: None
    if message == "BootNotification" and "trigger-boot-accepted" in station.faults:
        return lambda: None
    return None


def authorize_remote(station: ReferenceStation, configured: bool) -> bool:
    """F01.FR.01/02: whether a remote start is authorized first (AuthCtrlr.AuthorizeRemoteStart);
    ``remote-start-authorize-inverted`` does the opposite of the setting."""
    if "remote-start-authorize-inverted" in station.faults:
        return not configured
    return configured


#: What each unlock fault answers instead of the right status (F05).
_UNLOCK_FAULTS = {
    "UnknownConnector": ("unlock-unknown-connector-unlocked", "Unlocked"),
    "OngoingAuthorizedTransaction": ("unlock-ignores-transaction", "Unlocked"),
    "Unlocked": ("unlock-fails", "UnlockFailed"),
}


def unlock_status(station: ReferenceStation, status: str) -> str:
    """F05: ``status``, or what its seeded fault answers instead."""
    fault, wrong = _UNLOCK_FAULTS[status]
    return wrong if fault in station.faults else status


def trigger_context(station: ReferenceStation) -> str:
    """F06.FR.06: triggered meter values have context Trigger."""
    return "Sample.Periodic" if "trigger-meter-context-wrong" in station.faults else "Trigger"


def idle_status(station: ReferenceStation, message: str, current: Payload | None = None) -> Payload:
    """F06.FR.14-16: the triggered status: ``current`` (a log upload's, from block N) or Idle
    (no firmware update here); ``trigger-status-not-idle`` reports a busy status while idle,
    ``trigger-log-status-stale`` Idle while a log uploads."""
    status = dict(current) if current is not None else {"status": "Idle"}
    if status["status"] == "Idle" and "trigger-status-not-idle" in station.faults:
        return {"status": _BUSY.get(message, "Idle")}
    if status["status"] != "Idle" and "trigger-log-status-stale" in station.faults:
        return {"status": "Idle"}
    return status


def remote_stop(txe: TxEngine, tx: Transaction) -> None:
    """F03: where TxStopPoint ends the transaction on deauthorization it ends (Ended,
    RemoteStop, Remote: F03.FR.03); otherwise the energy offer stops and the transaction goes on
    to a stop point (Updated, RemoteStop: F03.FR.02), one reached if unplugged."""
    wrong = "remote-stop-wrong-trigger" in txe.st.faults
    trigger = "StopAuthorized" if wrong else "RemoteStop"
    stops = txe.dm.get_set("TxCtrlr", "TxStopPoint")
    unplugged = tx.connector is None or not tx.connector.plugged
    at_cable = bool(stops & {"EVConnected", "ParkingBayOccupancy"}) and unplugged
    if stops & {"Authorized", "PowerPathClosed", "EnergyTransfer", "DataSigned"} or at_cable:
        txe.end(tx, trigger, "Remote")
        return
    tx.authorized = False
    txe._flow(tx)  # the energy offer stops
    txe._event(tx, "Updated", trigger)
