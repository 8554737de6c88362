"""Faults of the reference OCPP 1.6 charge point in Smart Charging (1.6 §3.13, §5.5, §5.7,
§5.11, §5.16; cases in :mod:`testcases.v16.test_smart_charging`). The behaviour lives in
:mod:`harness.reference.station.v16_smart`."""

from __future__ import annotations

from harness.reference.fault_model import STATION, Fault

V16 = ("1.6",)

SC16_FAULTS: tuple[Fault, ...] = (
    Fault(
        "cp16-sc-txprofile-without-tx-accepted",
        STATION,
        V16,
        "accepts a TxProfile for a connector without a transaction",
        "1.6 §3.13.1: a TxProfile without a transaction is discarded",
    ),
    Fault(
        "cp16-sc-clear-unknown-accepted",
        STATION,
        V16,
        "answers Accepted to a ClearChargingProfile that matches no installed profile",
        "1.6 §5.5: Unknown when no profile matches",
    ),
    Fault(
        "cp16-sc-clear-keeps-profile",
        STATION,
        V16,
        "answers Accepted to ClearChargingProfile but keeps the profile",
        "1.6 §5.5: the cleared profile no longer applies",
    ),
    Fault(
        "cp16-sc-composite-ignores-stack-level",
        STATION,
        V16,
        "composes the schedule as if every profile had stackLevel 0 (the first installed wins)",
        "1.6 §3.13.2: the profile with the highest stackLevel prevails",
    ),
    Fault(
        "cp16-sc-remote-start-profile-dropped",
        STATION,
        V16,
        "accepts a RemoteStartTransaction with a chargingProfile but does not use the profile",
        "1.6 §5.11: the accepted profile is used",
    ),
    Fault(
        "cp16-sc-remote-start-any-purpose",
        STATION,
        V16,
        "accepts a RemoteStartTransaction whose chargingProfile is not a TxProfile",
        "1.6 §5.11: a chargingProfile MUST be a TxProfile",
    ),
    Fault(
        "cp16-sc-txdefault-not-applied",
        STATION,
        V16,
        "leaves TxDefaultProfiles out of the composite schedule (and of what it delivers)",
        "1.6 §3.13.1: TxDefaultProfile used for the transaction",
    ),
    Fault(
        "cp16-sc-txprofile-ignored",
        STATION,
        V16,
        "accepts a TxProfile but leaves it out of the composite schedule",
        "1.6 §3.13.1: the TxProfile overrules the default",
    ),
    Fault(
        "cp16-sc-wrong-transaction-accepted",
        STATION,
        V16,
        "accepts a TxProfile whose transactionId is not the connector's transaction",
        "1.6 §3.13.1: no such transaction on the connector: discarded",
    ),
    Fault(
        "cp16-sc-composite-ignores-max",
        STATION,
        V16,
        "leaves the ChargePointMaxProfile out of a connector's composite schedule",
        "1.6 §3.13.4, §5.7: the composite schedule merges the installed profiles",
    ),
    Fault(
        "cp16-sc-limit-not-enforced",
        STATION,
        V16,
        "reports the composite schedule but lets the EV draw its full power whatever the limit",
        "the EV draws no more than its limit",
    ),
)
