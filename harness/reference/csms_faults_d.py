"""Faults of the 2.0.1/2.1 reference CSMS in block D (Local Authorization List; cases
TC_D_01-04, 08, 09 _CSMS in :mod:`testcases.v201.test_d_local_list_csms`). The behaviour lives in
:mod:`harness.reference.csms.block_d`."""

from __future__ import annotations

from harness.reference.fault_model import CSMS, V2, Fault

D_CSMS_FAULTS: tuple[Fault, ...] = (
    Fault(
        "csms-local-list-wrong-type",
        CSMS,
        V2,
        "sends SendLocalList with the other updateType (Differential for Full, Full for "
        "Differential)",
        "D01.FR.01: the update type the operator chose",
    ),
    Fault(
        "csms-local-list-version-not-above",
        CSMS,
        V2,
        "sends a Differential SendLocalList with the station's own versionNumber, not one above",
        "D01.FR.19",
    ),
    Fault(
        "csms-local-list-no-token-info",
        CSMS,
        V2,
        "sends the entries of a Full SendLocalList without idTokenInfo",
        "AuthorizationDataType: idTokenInfo in a Full update",
    ),
    Fault(
        "csms-local-list-removals-keep-info",
        CSMS,
        V2,
        "sends the entries of a removal (Differential) with their idTokenInfo, which adds or "
        "updates them instead",
        "D01.FR.17",
    ),
    Fault(
        "csms-local-list-empty-has-entries",
        CSMS,
        V2,
        "sends its idTokens in a Full SendLocalList the operator asked to be empty",
        "D01.FR.04",
    ),
)
