"""Faults of the 2.0.1/2.1 reference station in use case C09 (Authorization by GroupId; cases
TC_C_39, 40, 42, 43 _CS in :mod:`testcases.v201.test_c_group`). The behaviour lives in
:func:`harness.reference.station.local_auth.group_stop`."""

from __future__ import annotations

from harness.reference.fault_model import STATION, V2, Fault

C09_FAULTS: tuple[Fault, ...] = (
    Fault(
        "group-stop-refused",
        STATION,
        V2,
        "lets only the idToken that started the authorization stop it, never another valid one "
        "of its groupIdToken",
        "C09.FR.03",
    ),
    Fault(
        "group-stop-not-accepted",
        STATION,
        V2,
        "stops the transaction for an idToken of the same groupIdToken that the CSMS answers "
        "Invalid",
        "C09.FR.11",
    ),
    Fault(
        "group-stop-asks-first",
        STATION,
        V2,
        "sends an Authorize for an idToken of the same groupIdToken that its Local Authorization "
        "List holds as Accepted before it stops the transaction",
        "C09.FR.07",
    ),
)
