"""Faults of the reference SUTs in OCA blocks F (remote control: trigger messages) and G
(availability), one behaviour each (the behaviour lives in :mod:`harness.reference.station.v2`,
:mod:`harness.reference.station.v2tx` and :mod:`harness.reference.station.block_fg`)."""

from __future__ import annotations

from harness.reference.fault_model import STATION, V2, Fault

FG_FAULTS: tuple[Fault, ...] = (
    Fault(
        "availability-same-state-rejected",
        STATION,
        V2,
        "answers ChangeAvailability for the state a connector is already in with Rejected",
        "for the state it is already in answered Accepted",
    ),
    Fault(
        "availability-not-scheduled",
        STATION,
        V2,
        "answers ChangeAvailability during a transaction with Accepted (applies it afterwards)",
        "during a transaction answered Scheduled",
    ),
    Fault(
        "availability-schedule-lost",
        STATION,
        V2,
        "answers ChangeAvailability during a transaction with Scheduled but never applies it",
        "the scheduled change applies",
    ),
    Fault(
        "status-silent-on-plug-in",
        STATION,
        V2,
        "reports no connector status when a cable is plugged in",
        "G01.FR.03",
    ),
    Fault(
        "status-silent-on-unplug",
        STATION,
        V2,
        "reports no connector status when a cable is unplugged",
        "G01.FR.04",
    ),
    Fault(
        "trigger-accepted-not-sent",
        STATION,
        V2,
        "accepts a TriggerMessage but never sends the requested message",
        "F06.FR.10",
    ),
    Fault(
        "trigger-meter-context-wrong",
        STATION,
        V2,
        "sends triggered meter values with context Sample.Periodic instead of Trigger",
        "context Trigger",
    ),
    Fault(
        "trigger-tx-wrong-reason",
        STATION,
        V2,
        "sends a triggered TransactionEvent with triggerReason MeterValuePeriodic",
        "F06.FR.07: triggerReason Trigger",
    ),
    Fault(
        "trigger-status-not-idle",
        STATION,
        V2,
        "answers a triggered LogStatusNotification/FirmwareStatusNotification with a busy "
        "status (Uploading/Downloading) although nothing runs",
        "status Idle when nothing runs",
    ),
    Fault(
        "trigger-connector-status-stale",
        STATION,
        V2,
        "reports Available in a triggered StatusNotification whatever the connector's state",
        "F06.FR.09: the triggered status is the current one",
    ),
    Fault(
        "trigger-boot-accepted",
        STATION,
        V2,
        "accepts a TriggerMessage for BootNotification once its boot was Accepted",
        "F06.FR.17",
    ),
    Fault(
        "trigger-unknown-rejected",
        STATION,
        V2,
        "answers a TriggerMessage for a message it does not implement with Rejected",
        "F06.FR.08",
    ),
)
