"""Faults of the reference SUTs in OCA blocks F (remote control: trigger messages) and G
(availability), one behaviour each (the behaviour lives in :mod:`harness.reference.station.v2`,
:mod:`harness.reference.station.v2tx` and :mod:`harness.reference.station.block_fg`)."""

from __future__ import annotations

from harness.reference.fault_model import CSMS, STATION, V2, Fault

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
        "the triggered status is the current one",
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
    Fault(
        "remote-start-authorize-inverted",
        STATION,
        V2,
        "authorizes a remote start's token when AuthCtrlr.AuthorizeRemoteStart is false, and "
        "does not when it is true",
        "F01.FR.01",
        (("TC_F_03_CS", "F01.FR.02"),),
    ),
    Fault(
        "remote-stop-unknown-accepted",
        STATION,
        V2,
        "answers RequestStopTransaction for a transaction it does not know with Accepted",
        "F03.FR.08",
    ),
    Fault(
        "csms-trigger-wrong-message",
        CSMS,
        V2,
        "sends TriggerMessage for StatusNotification (or Heartbeat) whatever message its "
        "operator asked for",
        "F06.FR.01: requestedMessage",
    ),
    Fault(
        "csms-notify-event-refused",
        CSMS,
        V2,
        "answers NotifyEvent with CALLERROR InternalError",
        "G05.FR.03",
    ),
    Fault(
        "csms-firmware-status-refused",
        CSMS,
        V2,
        "answers FirmwareStatusNotification with CALLERROR InternalError",
        "FirmwareStatusNotification answered",
    ),
    Fault(
        "unlock-unknown-connector-unlocked",
        STATION,
        V2,
        "answers UnlockConnector for a connector it does not have with Unlocked",
        "F05.FR.03",
    ),
    Fault(
        "unlock-ignores-transaction",
        STATION,
        V2,
        "answers UnlockConnector with Unlocked while an authorized transaction runs there",
        "F05.FR.02",
    ),
    Fault(
        "unlock-fails",
        STATION,
        V2,
        "answers every UnlockConnector of a connector without a transaction with UnlockFailed",
        "F05.FR.04",
        (("TC_F_07_CS", "F05.FR.06"),),
    ),
    Fault(
        "availability-forgotten-on-reboot",
        STATION,
        V2,
        "makes every connector operative again when it reboots",
        "the availability set persists across the reboot",
    ),
    Fault(
        "csms-trigger-wrong-evse",
        CSMS,
        V2,
        "sends TriggerMessage for the next EVSE after the one its operator chose",
        "F06.FR.02: evse.id",
    ),
    Fault(
        "csms-unlock-wrong-evse",
        CSMS,
        V2,
        "sends UnlockConnector for the next EVSE after the one its operator chose",
        "F05: the chosen connector",
    ),
    Fault(
        "trigger-log-status-stale",
        STATION,
        V2,
        "answers a LogStatusNotification trigger with Idle while a log upload runs",
        "F06.FR.14",
    ),
)
