"""Faults of the 2.0.1/2.1 reference station in block D (Local Authorization List, D01/D02; cases
TC_D_01-08, 10 _CS in :mod:`testcases.v201.test_d_local_list`). The behaviour lives in
:mod:`harness.reference.station.block_d`."""

from __future__ import annotations

from harness.reference.fault_model import STATION, V2, Fault

D_FAULTS: tuple[Fault, ...] = (
    Fault(
        "local-list-full-not-applied",
        STATION,
        V2,
        "answers a Full SendLocalList with entries Accepted but keeps the old list and version",
        "D01.FR.15",
    ),
    Fault(
        "local-list-differential-not-applied",
        STATION,
        V2,
        "answers a Differential SendLocalList with entries Accepted but keeps the old list and "
        "version",
        "D01.FR.16",
    ),
    Fault(
        "local-list-remove-failed",
        STATION,
        V2,
        "answers Failed to a Differential SendLocalList whose entries have no idTokenInfo "
        "(a removal)",
        "D01.FR.17",
    ),
    Fault(
        "local-list-empty-full-keeps-version",
        STATION,
        V2,
        "empties the list on a Full SendLocalList without entries but keeps the old version",
        "D01.FR.04",
    ),
    Fault(
        "local-list-empty-differential-ignored",
        STATION,
        V2,
        "answers a Differential SendLocalList without entries Accepted but keeps the old version",
        "D01.FR.05",
    ),
    Fault(
        "local-list-version-unchecked",
        STATION,
        V2,
        "applies a Differential SendLocalList whose versionNumber is not above the list's",
        "D01.FR.19",
    ),
    Fault(
        "local-list-version-lost-on-boot",
        STATION,
        V2,
        "keeps the list over a reboot but reports its version as 1 afterwards",
        "D02.FR.01",
    ),
    Fault(
        "local-list-version-zero",
        STATION,
        V2,
        "answers every GetLocalListVersion with versionNumber 0",
        "D02.FR.01",
    ),
    Fault(
        "local-list-version-while-disabled",
        STATION,
        V2,
        "answers GetLocalListVersion with the list's version while LocalAuthListCtrlr.Enabled is "
        "false",
        "D02.FR.03",
    ),
)
