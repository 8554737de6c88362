"""Faults of OCA block C (authorization) of the reference CSMS (the behaviour lives in
:mod:`harness.reference.csms.block_c`)."""

from __future__ import annotations

from harness.reference.fault_model import CSMS, V2, Fault

C_FAULTS: tuple[Fault, ...] = (
    Fault(
        "csms-ignores-token-status",
        CSMS,
        V2,
        "answers a token it holds as Blocked or Expired with Accepted",
        "C01.FR.07: the token's status is reported",
    ),
    Fault(
        "csms-group-id-omitted",
        CSMS,
        V2,
        "leaves the groupIdToken out of the idTokenInfo of a token that has a group",
        "C09.FR.02: the token's groupIdToken is given",
    ),
    Fault(
        "csms-clearcache-not-sent",
        CSMS,
        V2,
        "tells the operator the authorization cache was cleared, but never sends ClearCache",
        "C11: the CSMS sends ClearCacheRequest",
    ),
)
