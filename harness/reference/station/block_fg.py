"""OCPP 2.0.1/2.1 reference station, OCA blocks F (trigger messages, F06) and G (availability,
G03/G04): the parts :mod:`harness.reference.station.v2` delegates, with their seeded faults.

* :func:`apply_availability`: G03/G04, a connector without a transaction changes at once; one
  whose EVSE runs a transaction is scheduled for its end (G03.FR.05, G04.FR.06);
  ``availability-schedule-lost`` answers Scheduled but forgets the change;
* :func:`trigger_fault`: ``trigger-accepted-not-sent`` (Accepted, nothing sent: F06.FR.10) and
  ``trigger-boot-accepted`` (a BootNotification trigger accepted after an Accepted boot: F06.FR.17);
* :func:`trigger_context` / :func:`idle_status`: the context of triggered meter values (F06.FR.06,
  ``trigger-meter-context-wrong``) and the Idle status of a triggered Log/FirmwareStatusNotification
  (F06.FR.15/16, ``trigger-status-not-idle``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from harness.reference.station.model import Connector, Payload

if TYPE_CHECKING:
    from harness.reference.station.core import ReferenceStation

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


def trigger_fault(station: ReferenceStation, message: str) -> Callable[[], None] | None:
    """What a seeded fault does instead of the triggered ``message`` (None: no fault applies)."""
    if "trigger-accepted-not-sent" in station.faults:
        return lambda: None
    if message == "BootNotification" and "trigger-boot-accepted" in station.faults:
        return lambda: None
    return None


def trigger_context(station: ReferenceStation) -> str:
    """F06.FR.06: triggered meter values have context Trigger."""
    return "Sample.Periodic" if "trigger-meter-context-wrong" in station.faults else "Trigger"


def idle_status(station: ReferenceStation, message: str) -> Payload:
    """F06.FR.15/16: nothing uploads or installs here, so the triggered status is Idle."""
    if "trigger-status-not-idle" in station.faults:
        return {"status": _BUSY.get(message, "Idle")}
    return {"status": "Idle"}
