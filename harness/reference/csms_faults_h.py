"""Faults of the 2.0.1/2.1 reference CSMS in block H (Reservation; cases TC_H_*_CSMS in
:mod:`testcases.v201.test_h_reservation_csms`). The behaviour lives in
:mod:`harness.reference.csms.block_h`."""

from __future__ import annotations

from harness.reference.fault_model import CSMS, V2, Fault


def _fault(name: str, breaks: str, requirement: str) -> Fault:
    return Fault(name, CSMS, V2, breaks, requirement)


H_CSMS_FAULTS: tuple[Fault, ...] = (
    _fault(
        "csms-reserve-wrong-evse",
        "reserves the EVSE after the one its operator chose",
        "H01: the EVSE the operator chose",
    ),
    _fault(
        "csms-reserve-any-names-evse",
        "names EVSE 1 in a reservation its operator made for any EVSE",
        "H01 S1: no evseId",
    ),
    _fault(
        "csms-reserve-no-group",
        "leaves the idToken's groupIdToken out of the ReserveNow",
        "H03.FR.04: the groupIdToken",
    ),
    _fault(
        "csms-reserve-type-dropped",
        "leaves the connectorType out of a reservation its operator made for a connector type",
        "H01 S3: the connectorType",
    ),
    _fault(
        "csms-reserve-expired",
        "sends a ReserveNow whose expiryDateTime is already now",
        "H01: an expiryDateTime ahead",
    ),
    _fault(
        "csms-cancel-wrong-reservation",
        "cancels the reservation after the one its operator chose",
        "H02: the reservation the operator chose",
    ),
    _fault(
        "csms-reservation-update-refused",
        "answers ReservationStatusUpdate with a CALLERROR",
        "H04.FR.01: ReservationStatusUpdate answered",
    ),
)
