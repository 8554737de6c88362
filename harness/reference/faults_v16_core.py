"""Faults of the reference OCPP 1.6 charge point in the Core profile cases of the 1.6 test case
document (sections 01-14, 16, 17, 24: configuration, resets, unlocking, remote control, data
transfer). Each names the requirement text its case FAILs on. The behaviour lives in
:mod:`harness.reference.station.config16` (configuration keys) and
:mod:`harness.reference.station.v16_core` (commands)."""

from __future__ import annotations

from harness.reference.fault_model import STATION, Fault

V16 = ("1.6",)

V16_CORE_FAULTS: tuple[Fault, ...] = (
    Fault(
        "cp16-config-unknown-key-ignored",
        STATION,
        V16,
        "leaves a requested key it does not know out of GetConfiguration.conf (no unknownKey)",
        "1.6 §5.8: unrecognized keys listed in unknownKey",
    ),
    Fault(
        "cp16-change-unknown-key-rejected",
        STATION,
        V16,
        "answers ChangeConfiguration of a key it does not support with Rejected",
        "1.6 §5.3: an unsupported key is NotSupported",
    ),
    Fault(
        "cp16-change-invalid-accepted",
        STATION,
        V16,
        "answers Accepted to a ChangeConfiguration whose value does not fit the key's format",
        "1.6 §5.3: a malformed value is Rejected",
    ),
    Fault(
        "cp16-reset-accepted-no-reboot",
        STATION,
        V16,
        "answers a hard Reset Accepted but never resets",
        "1.6 §5.14: the charge point resets after accepting",
    ),
    Fault(
        "cp16-reset-drops-transaction",
        STATION,
        V16,
        "forgets the ongoing transaction on a Reset: no StopTransaction, before or after it",
        "1.6 §5.14: StopTransaction for the ongoing transaction",
    ),
    Fault(
        "cp16-unlock-idle-failed",
        STATION,
        V16,
        "answers UnlockConnector without a transaction with UnlockFailed",
        "1.6 §5.18: an idle connector is Unlocked",
    ),
    Fault(
        "cp16-fixed-cable-unlocked",
        STATION,
        V16,
        "with a fixed cable (legal variant fixed-cable) answers UnlockConnector with Unlocked, "
        "as if it had a connector lock",
        "1.6 §5.18, errata 3.87: a fixed cable has no lock to unlock",
    ),
    Fault(
        "cp16-unlock-keeps-transaction",
        STATION,
        V16,
        "answers Unlocked during a transaction without finishing the transaction",
        "1.6 §5.18: the transaction is finished first",
    ),
    Fault(
        "cp16-unlock-jammed-unlocked",
        STATION,
        V16,
        "answers UnlockConnector with Unlocked although its cable lock is jammed (SUT action "
        "jam_connector_lock) and stays locked",
        "1.6 §5.18, errata 3.87: SHALL answer whether it unlocked",
    ),
    Fault(
        "cp16-lock-failure-charges",
        STATION,
        V16,
        "reports the connector Faulted (ConnectorLockFailure) when its cable lock fails, yet "
        "starts the transaction on it",
        "1.6 §4.9: a connector reported Faulted is not available",
    ),
    Fault(
        "cp16-unlock-unknown-failed",
        STATION,
        V16,
        "answers UnlockConnector for an unknown connectorId with UnlockFailed",
        "errata 3.87: an unknown connectorId is NotSupported",
    ),
    Fault(
        "cp16-remote-start-connector-zero",
        STATION,
        V16,
        "accepts RemoteStartTransaction for connectorId 0 and starts on a free connector",
        "1.6 §6.33: connectorId 0 is Rejected",
    ),
    Fault(
        "cp16-remote-stop-unknown-accepted",
        STATION,
        V16,
        "answers RemoteStopTransaction for a transactionId it does not know with Accepted",
        "1.6 §5.12: an unknown transactionId is Rejected",
    ),
    Fault(
        "cp16-starts-unauthorized",
        STATION,
        V16,
        "starts a transaction for an idTag without authorizing it (no Authorize, no check)",
        "1.6 §4.1: no transaction for an idTag that is not Accepted",
    ),
    Fault(
        "cp16-connection-timeout-ignored",
        STATION,
        V16,
        "keeps an authorized idTag waiting for a cable for ever (ConnectionTimeOut ignored)",
        "1.6 §9.1 ConnectionTimeOut: back to Available",
    ),
    Fault(
        "cp16-remote-start-unavailable-accepted",
        STATION,
        V16,
        "answers RemoteStartTransaction for an Unavailable connector Accepted (and starts nothing)",
        "1.6 §5.11: Rejected for an Unavailable connector",
    ),
    Fault(
        "cp16-ev-disconnect-no-stop",
        STATION,
        V16,
        "keeps the transaction when the cable is unplugged at the EV although "
        "StopTransactionOnEVSideDisconnect is true",
        "1.6 §9.1 StopTransactionOnEVSideDisconnect true: the transaction stops",
    ),
    Fault(
        "cp16-ev-disconnect-locked-no-stop",
        STATION,
        V16,
        "keeps the transaction when the cable is unplugged at the EV while "
        "UnlockConnectorOnEVSideDisconnect is false (StopTransactionOnEVSideDisconnect true)",
        "1.6 §4.10: StopTransactionOnEVSideDisconnect true stops the transaction",
    ),
    Fault(
        "cp16-faulted-connector-charges",
        STATION,
        V16,
        "starts a transaction on a connector it reports Faulted",
        "1.6 §4.9: no transaction starts on a Faulted connector",
    ),
    Fault(
        "cp16-ev-disconnect-always-stops",
        STATION,
        V16,
        "stops the transaction when the cable is unplugged at the EV although "
        "StopTransactionOnEVSideDisconnect is false",
        "1.6 §9.1 StopTransactionOnEVSideDisconnect false: the transaction goes on",
    ),
    Fault(
        "cp16-authorized-without-cable-forgotten",
        STATION,
        V16,
        "forgets an authorized idTag (or remote start) that comes before the cable: plugging in "
        "afterwards starts nothing",
        "the transaction starts when the cable follows",
    ),
    Fault(
        "cp16-cache-not-used",
        STATION,
        V16,
        "never finds an idTag in its Authorization Cache: every idTag is sent in an Authorize, "
        "LocalPreAuthorize true or not",
        "1.6 §9.1 LocalPreAuthorize: a cached idTag starts without Authorize",
    ),
    Fault(
        "cp16-clear-cache-ignored",
        STATION,
        V16,
        "answers ClearCache Accepted but keeps the cached idTags",
        "1.6 §5.4: after ClearCache the idTag is authorized again",
    ),
    Fault(
        "cp16-parent-stop-ignored",
        STATION,
        V16,
        "ignores another idTag of the transaction's group (same parentIdTag) presented to stop it",
        "1.6 §3.10: an idTag of the same group stops the transaction",
    ),
    Fault(
        "cp16-sample-interval-ignored",
        STATION,
        V16,
        "sends sampled MeterValues every fourth MeterValueSampleInterval only",
        "1.6 §9.1 MeterValueSampleInterval: a sample each interval",
    ),
    Fault(
        "cp16-aligned-not-sent",
        STATION,
        V16,
        "sends no clock-aligned MeterValues whatever ClockAlignedDataInterval says",
        "1.6 §9.1 ClockAlignedDataInterval: clock-aligned MeterValues",
    ),
    Fault(
        "cp16-aligned-off-clock",
        STATION,
        V16,
        "sends the clock-aligned MeterValues half an interval after each boundary",
        "1.6 §9.1 ClockAlignedDataInterval: at the interval boundaries from midnight",
    ),
    Fault(
        "cp16-soft-reset-ignored",
        STATION,
        V16,
        "answers a soft Reset Accepted but never resets",
        "1.6 §5.14: the charge point resets after accepting",
    ),
    Fault(
        "cp16-remote-start-never-lapses",
        STATION,
        V16,
        "keeps a remote start that has no cable waiting for ever (ConnectionTimeOut ignored for "
        "it)",
        "1.6 §9.1 ConnectionTimeOut: back to Available",
    ),
    Fault(
        "cp16-power-loss-forgets-transaction",
        STATION,
        V16,
        "forgets the ongoing transactions on a power failure: no StopTransaction, before or after",
        "1.6 §4.10: StopTransaction for the transaction the power failure ended",
    ),
    Fault(
        "cp16-unavailable-forgotten-on-reboot",
        STATION,
        V16,
        "comes back from a power failure with every connector operative, Unavailable forgotten",
        "1.6 §5.2: Unavailable persists through a reboot",
    ),
)
