"""Faults of the 2.0.1/2.1 reference station in block D (Local Authorization List, D01/D02; cases
TC_D_01-08, 10 _CS in :mod:`testcases.v201.test_d_local_list`) and in its use for authorization
(C14; TC_C_27-31, 58 _CS in :mod:`testcases.v201.test_c_local_list`). The behaviour lives in
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
    Fault(
        "local-list-unused",
        STATION,
        V2,
        "never looks a presented idToken up in the Local Authorization List: one listed as "
        "Accepted still waits for an Authorize, with LocalPreAuthorize true",
        "C14.FR.02",
        # offline the Authorize cannot go out: the listed idToken does not charge
        per_case=(("TC_C_21_CS", "C13.FR.02"),),
    ),
    Fault(
        "local-list-offline-any-status",
        STATION,
        V2,
        "offline, lets an idToken the list holds with any status charge (Invalid, Blocked, "
        "Expired too)",
        "C13.FR.02",
    ),
    Fault(
        "local-list-after-cache",
        STATION,
        V2,
        "offline, lets the authorization cache decide before the Local Authorization List: an "
        "idToken cached Accepted charges although the list holds it otherwise",
        "C13.FR.01",
    ),
    Fault(
        "local-list-no-post-authorize",
        STATION,
        V2,
        "refuses an idToken the list holds with a status other than Accepted without sending an "
        "Authorize for it",
        "C14.FR.03",
    ),
    Fault(
        "local-list-ignores-authorize-answer",
        STATION,
        V2,
        "sends the Authorize for an idToken the list holds as not Accepted, but refuses it "
        "whatever the CSMS answers",
        "C14.FR.03",
    ),
    Fault(
        "local-list-post-authorize-not-disabled",
        STATION,
        V2,
        "sends an Authorize for an idToken the list holds as not Accepted also with "
        "LocalAuthListCtrlr.DisablePostAuthorize true",
        "LocalAuthListCtrlr.DisablePostAuthorize",
    ),
)
