"""Faults of OCA block K (smart charging) of the reference station (the behaviour lives in
:mod:`harness.reference.station.block_k`; the composite schedule in :mod:`harness.smart_charging`).

Each changes what the station computes, so both its GetCompositeSchedule answer and the power it
delivers (its meter values) go wrong. The others break one answer of K01/K08/K09/K10, each
killed by the block K station case that checks that requirement.
"""

from __future__ import annotations

from harness.reference.fault_model import STATION, V2, Fault

K_FAULTS: tuple[Fault, ...] = (
    Fault(
        "sc-ignores-stack-level",
        STATION,
        V2,
        "lets the first installed profile of a purpose lead instead of the highest stackLevel",
        "K01.FR.17: the higher stackLevel overrules",
    ),
    Fault(
        "sc-wrong-unit-conversion",
        STATION,
        V2,
        "converts between A and W as if an A limit were the sum of the three phases",
        "K01.FR.51: the A limit is per phase",
    ),
    Fault(
        "sc-ignores-valid-to",
        STATION,
        V2,
        "keeps applying a charging profile after its validTo",
        "K01.FR.37: a profile is valid only before validTo",
    ),
    Fault(
        "sc-txdefault-not-replaced",
        STATION,
        V2,
        "combines the TxDefaultProfile with the transaction's TxProfile instead of replacing it",
        "K01.FR.04: the TxProfile is applied to the transaction",
    ),
    Fault(
        "sc-composite-off-by-one",
        STATION,
        V2,
        "reports (and applies) each composite period's limit from the period after it",
        "K08.FR.02: the composite schedule's periods",
    ),
    Fault(
        "sc-txprofile-without-transaction",
        STATION,
        V2,
        "accepts a TxProfile for an EVSE without a transaction",
        "K01.FR.09: a TxProfile without a transaction is Rejected",
    ),
    Fault(
        "sc-report-wrong-request-id",
        STATION,
        V2,
        "reports charging profiles under another requestId than the GetChargingProfiles'",
        "K09.FR.01: GetChargingProfiles Accepted and reported with its requestId",
    ),
    Fault(
        "sc-unknown-evse-accepted",
        STATION,
        V2,
        "accepts a charging profile for an EVSE it does not have",
        "K01.FR.28: an unknown EVSE is Rejected",
    ),
    Fault(
        "sc-replace-keeps-old",
        STATION,
        V2,
        "answers Accepted to a profile with a known id but keeps the installed one",
        "K01.FR.05: the profile of the same id is replaced",
    ),
    Fault(
        "sc-clear-keeps-profile",
        STATION,
        V2,
        "answers ClearChargingProfile Accepted but keeps the matching profiles",
        "K10.FR.03: the profile of that id is cleared",
        (
            ("TC_K_06_CS", "K10.FR.04: the profiles matching every criterion are cleared"),
            ("TC_K_09_CS", "K10.FR.07: the transaction goes on as if without a TxDefaultProfile"),
        ),
    ),
    Fault(
        "sc-clear-always-accepted",
        STATION,
        V2,
        "answers ClearChargingProfile Accepted though no profile matched",
        "K10.FR.01: Unknown when no profile matches",
    ),
    Fault(
        "sc-txprofile-on-station",
        STATION,
        V2,
        "accepts a TxProfile on EVSE 0",
        "K01.FR.16: a TxProfile on EVSE 0 is Rejected",
    ),
    Fault(
        "sc-profiles-lost-on-reboot",
        STATION,
        V2,
        "forgets its charging profiles over a power cycle",
        "K01.FR.27: the profile survives a reboot",
    ),
    Fault(
        "sc-unknown-transaction-accepted",
        STATION,
        V2,
        "accepts a TxProfile whose transactionId is not the EVSE's transaction",
        "K01.FR.33: a TxProfile for an unknown transactionId is Rejected",
    ),
    Fault(
        "sc-recurring-rejected",
        STATION,
        V2,
        "rejects every Recurring charging profile",
        "K01.FR.40: a Recurring profile with a startSchedule is Accepted",
    ),
    Fault(
        "sc-txprofile-rejected",
        STATION,
        V2,
        "rejects a TxProfile for the EVSE's running transaction",
        "K01.FR.04: a TxProfile for the running transaction is Accepted",
    ),
    Fault(
        "sc-get-ignores-evse",
        STATION,
        V2,
        "reports the profiles of every EVSE whatever evseId GetChargingProfiles names",
        "K09.FR.04/05/06: only the profiles matching the request are reported",
    ),
    Fault(
        "sc-get-ignores-criteria",
        STATION,
        V2,
        "ignores the chargingProfile criteria of GetChargingProfiles (id, purpose, stackLevel, "
        "source)",
        "K09.FR.04/05/06: only the profiles matching the request are reported",
    ),
    Fault(
        "sc-report-tbc-never-false",
        STATION,
        V2,
        "sends every ReportChargingProfiles with tbc true, the last one too",
        "K09.FR.02: tbc true announces another report, false on the last",
    ),
    Fault(
        "sc-composite-empty-rejected",
        STATION,
        V2,
        "rejects GetCompositeSchedule while no charging profile is installed",
        "K08.FR.02: GetCompositeSchedule Accepted with the schedule asked for",
    ),
    Fault(
        "sc-composite-unknown-evse-accepted",
        STATION,
        V2,
        "answers a composite schedule for an EVSE it does not have",
        "K08.FR.05: a composite for an unknown EVSE is Rejected",
    ),
    Fault(
        "sc-unsupported-unit-accepted",
        STATION,
        V2,
        "accepts profiles and composite requests in a rate unit it does not declare",
        "K01.FR.26: a profile in an unsupported unit is Rejected",
        (("TC_K_42_CS", "K08.FR.07: a composite in an unsupported unit is Rejected"),),
    ),
    Fault(
        "sc-ignores-valid-from",
        STATION,
        V2,
        "applies a charging profile before its validFrom",
        "K01.FR.36: a profile counts from validFrom on",
    ),
    Fault(
        "sc-ignores-start-schedule",
        STATION,
        V2,
        "applies an Absolute schedule from now instead of from its startSchedule",
        "K01.FR.30: the limit applies from startSchedule on",
    ),
    Fault(
        "sc-txdefault-not-switched",
        STATION,
        V2,
        "keeps a running transaction on the TxDefaultProfiles it started with",
        "K01.FR.32: the running transaction switches to the new TxDefaultProfile",
    ),
    Fault(
        "sc-remote-start-profile-rejected",
        STATION,
        V2,
        "rejects a RequestStartTransaction that carries a chargingProfile",
        "K05.FR.03: the remote start's TxProfile is used",
        (("TC_K_38_CS", "F01.FR.12: the chargingProfile is ignored, the start Accepted"),),
    ),
    Fault(
        "sc-remote-start-profile-dropped",
        STATION,
        V2,
        "starts the transaction of a RequestStartTransaction but drops its chargingProfile",
        "K05.FR.03: the remote start's TxProfile is used",
    ),
    Fault(
        "sc-clear-first-match-only",
        STATION,
        V2,
        "clears only the first profile matching the ClearChargingProfile criteria",
        "K10.FR.04: the profiles matching every criterion are cleared",
    ),
    Fault(
        "sc-limit-not-enforced",
        STATION,
        V2,
        "reports the profiles' limits but lets the EV draw its full power",
        "K01.FR.02: the EV draws no more than the charging profile's limit",
    ),
)
