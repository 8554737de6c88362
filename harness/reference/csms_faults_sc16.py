"""Faults of the reference Central System's OCPP 1.6 Smart Charging (issue 13): what it sends the
charge point goes against a rule of 1.6 §3.13/§5.16/§7.8 (with the errata) or against what the
operator asked for. The behaviour lives in :mod:`harness.reference.csms.v16_smart`; the cases
that kill them are in :mod:`testcases.v16.test_smart_charging_csms`, which checks every profile
against :mod:`testcases.v16.sc16_rules`."""

from __future__ import annotations

from harness.reference.fault_model import CSMS, Fault

V16 = ("1.6",)

SC16_CSMS_FAULTS: tuple[Fault, ...] = (
    Fault(
        "csms16-sc-first-period-not-zero",
        CSMS,
        V16,
        "sends charging schedules whose first period starts at 60 s, not 0",
        "1.6 errata 3.45",
    ),
    Fault(
        "csms16-sc-periods-descending",
        CSMS,
        V16,
        "lists a schedule's periods out of order (startPeriod 0, 240, 120)",
        "1.6 §7.14",
    ),
    Fault(
        "csms16-sc-negative-stack-level",
        CSMS,
        V16,
        "sends charging profiles with stackLevel -1",
        "1.6 §7.8: stackLevel",
    ),
    Fault(
        "csms16-sc-recurrency-on-absolute",
        CSMS,
        V16,
        "adds a recurrencyKind (Daily) to profiles that are not Recurring",
        "1.6 errata 3.56",
    ),
    Fault(
        "csms16-sc-txdefault-wrong-connector",
        CSMS,
        V16,
        "sets a TxDefaultProfile on the next connector, not the one the operator chose",
        "1.6 §6.43: the connector the operator chose",
    ),
    Fault(
        "csms16-sc-txprofile-wrong-transaction",
        CSMS,
        V16,
        "sends a TxProfile whose transactionId is the running transaction's plus one",
        "1.6 §3.13.1: the transactionId of the connector's transaction",
    ),
    Fault(
        "csms16-sc-txprofile-on-connector-0",
        CSMS,
        V16,
        "sets a TxProfile on connectorId 0 instead of the transaction's connector",
        "1.6 §3.13.1: a TxProfile only on a connectorId > 0",
    ),
    Fault(
        "csms16-sc-remote-start-txdefault",
        CSMS,
        V16,
        "puts a TxDefaultProfile into RemoteStartTransaction.req",
        "1.6 §5.16.2: the chargingProfile of a remote start is a TxProfile",
    ),
    Fault(
        "csms16-sc-remote-start-transaction-id",
        CSMS,
        V16,
        "sets a transactionId in the chargingProfile of RemoteStartTransaction.req",
        "1.6 §5.16.2 (errata 3.41): no transactionId",
    ),
    Fault(
        "csms16-sc-composite-wrong-connector",
        CSMS,
        V16,
        "asks for the composite schedule of the next connector, not the operator's",
        "1.6 §6.21: the composite schedule of the operator's connector",
    ),
    Fault(
        "csms16-sc-composite-wrong-duration",
        CSMS,
        V16,
        "asks for a composite schedule twice as long as the operator's duration",
        "1.6 §6.21: the operator's duration",
    ),
    Fault(
        "csms16-sc-clear-wrong-id",
        CSMS,
        V16,
        "clears the charging profile with the next id, not the one the operator chose",
        "1.6 §6.13: the id of the profile the operator chose",
    ),
)
