"""Faults of OCA block K (smart charging) of the reference CSMS, 2.x: what it sends the station
goes against a rule of Part 2 block K or an OCA tool validation (the behaviour lives in
:mod:`harness.reference.csms.block_k`). The harness station checks every charging profile it
receives against those rules (:mod:`testcases.v201.sc_rules`)."""

from __future__ import annotations

from harness.reference.fault_model import CSMS, V2, Fault

K_CSMS_FAULTS: tuple[Fault, ...] = (
    Fault(
        "csms-sc-first-period-not-zero",
        CSMS,
        V2,
        "sends a charging schedule whose first period starts at 60 s, not 0",
        "K01.FR.31",
    ),
    Fault(
        "csms-sc-periods-not-ascending",
        CSMS,
        V2,
        "lists a schedule's periods out of order (startPeriod 0, 240, 120)",
        "K01.FR.35",
    ),
    Fault(
        "csms-sc-negative-stack-level",
        CSMS,
        V2,
        "sends charging profiles with stackLevel -1",
        "2.0.1 §2.10: stackLevel",
    ),
    Fault(
        "csms-sc-empty-validity",
        CSMS,
        V2,
        "sends Absolute and Recurring profiles whose validTo equals their validFrom",
        "K01.FR.36/37",
    ),
    Fault(
        "csms-sc-max-profile-on-evse",
        CSMS,
        V2,
        "sets a ChargingStationMaxProfile on EVSE 1 instead of EVSE 0",
        "K04.FR.03",
    ),
    Fault(
        "csms-sc-txprofile-without-transaction",
        CSMS,
        V2,
        "sends a TxProfile in SetChargingProfile without the transactionId",
        "K01.FR.03",
    ),
    Fault(
        "csms-sc-new-id-same-stack-level",
        CSMS,
        V2,
        "gives a profile a new id each time, though one with the same purpose, EVSE and stack "
        "level is installed",
        "K01.FR.06",
    ),
    Fault(
        "csms-sc-recurring-without-kind",
        CSMS,
        V2,
        "sends a Recurring profile without recurrencyKind",
        "recurrencyKind",
    ),
    Fault(
        "csms-sc-relative-with-start",
        CSMS,
        V2,
        "gives a Relative profile a startSchedule",
        "K01.FR.41",
    ),
    Fault(
        "csms-sc-remote-start-txdefault",
        CSMS,
        V2,
        "puts a TxDefaultProfile into RequestStartTransaction",
        "K05.FR.02",
    ),
    Fault(
        "csms-sc-clear-id-and-criteria",
        CSMS,
        V2,
        "clears with both a chargingProfileId and chargingProfileCriteria",
        "K10.FR.02",
    ),
    Fault(
        "csms-sc-get-profiles-no-criteria",
        CSMS,
        V2,
        "sends GetChargingProfiles with an empty chargingProfile criterion",
        "K09.FR.03",
    ),
    Fault(
        "csms-sc-report-refused",
        CSMS,
        V2,
        "answers ReportChargingProfiles with a CALLERROR",
        "K09: ReportChargingProfiles answered",
    ),
    Fault(
        "csms-sc-composite-wrong-evse",
        CSMS,
        V2,
        "asks for the composite schedule of the next EVSE, not the operator's",
        "K08: the composite schedule of the operator's EVSE",
    ),
    Fault(
        "csms-sc-composite-wrong-duration",
        CSMS,
        V2,
        "asks for a composite schedule twice as long as the operator asked",
        "K08: the operator's duration",
    ),
    Fault(
        "csms-sc-composite-unit-omitted",
        CSMS,
        V2,
        "asks for a composite schedule without chargingRateUnit",
        "K08: the composite schedule in the operator's chargingRateUnit",
    ),
)
