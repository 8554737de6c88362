"""Faults of OCA block K (smart charging) of the reference station (the behaviour lives in
:mod:`harness.reference.station.block_k`; the composite schedule in :mod:`harness.smart_charging`).

Each changes what the station computes, so both its GetCompositeSchedule answer and the power it
delivers (its meter values) go wrong. No block K case names them yet: the block K cases will add
them to their ``kills=(...)`` (the declaration tests only check the faults a case names).
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
)
