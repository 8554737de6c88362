"""OCPP 2.0.1/2.1 reference CSMS, OCA blocks F (TriggerMessage, F06) and G (availability, G05):
the command and the answers the CSMS side of these blocks adds, with their seeded faults
(:mod:`harness.reference.faults_fg`).

* :func:`trigger`: F06.FR.01, the requested message the operator chose
  (``csms-trigger-wrong-message``: always StatusNotification instead);
* :func:`change_connector_availability`: G03 for one connector (2.x only);
* :func:`unlock_connector`: F05 (``csms-unlock-wrong-evse``);
* :func:`handlers`: NotifyEvent (G05: a lock failure is reported as an event) and
  FirmwareStatusNotification (F06 triggered, L01) are answered; ``csms-notify-event-refused`` /
  ``csms-firmware-status-refused`` answer them with CALLERROR InternalError.
"""

from __future__ import annotations

from typing import Any

from harness.reference.csms.block_np import refused_under
from harness.reference.csms.commands import CommandError
from harness.reference.csms.handlers_common import Handler

Command = tuple[str, dict[str, Any]]


def trigger(faults: frozenset[str], message: str, evse_id: int | None = None) -> Command:
    """1.6 §5.17 / 2.x F06 TriggerMessage for ``message`` (2.x: for ``evse_id``, F06.FR.02; a
    StatusNotification names connector 1 of it, F06.FR.13)."""
    if "csms-trigger-wrong-message" in faults:
        message = "StatusNotification" if message != "StatusNotification" else "Heartbeat"
    payload: dict[str, Any] = {"requestedMessage": message}
    if evse_id is not None:
        if "csms-trigger-wrong-evse" in faults:
            evse_id += 1
        evse: dict[str, int] = {"id": evse_id}
        if message == "StatusNotification":
            evse["connectorId"] = 1
        payload["evse"] = evse
    return "TriggerMessage", payload


def change_connector_availability(
    version: str, faults: frozenset[str], evse_id: int, connector_id: int, operative: bool
) -> Command:
    """2.x G03 ChangeAvailability for one connector (the ``csms-availability-*`` faults as for
    an EVSE: the other status, the next EVSE)."""
    if version == "1.6":
        raise CommandError("1.6 has no connector of an EVSE; use change_availability")
    if "csms-availability-wrong-status" in faults:
        operative = not operative
    if "csms-availability-wrong-evse" in faults:
        evse_id += 1
    return "ChangeAvailability", {
        "operationalStatus": "Operative" if operative else "Inoperative",
        "evse": {"id": evse_id, "connectorId": connector_id},
    }


def unlock_connector(faults: frozenset[str], evse_id: int, connector_id: int) -> Command:
    """2.x F05 UnlockConnector (``csms-unlock-wrong-evse``: the next EVSE)."""
    if "csms-unlock-wrong-evse" in faults:
        evse_id += 1
    return "UnlockConnector", {"evseId": evse_id, "connectorId": connector_id}


def handlers(current: dict[str, Handler]) -> dict[str, Handler]:
    """What blocks F and G wrap in the 2.x handlers ``current``."""
    return {
        "NotifyEvent": refused_under("csms-notify-event-refused", current["NotifyEvent"]),
        "FirmwareStatusNotification": refused_under(
            "csms-firmware-status-refused", current["FirmwareStatusNotification"]
        ),
    }
