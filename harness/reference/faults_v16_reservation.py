"""Faults of the reference OCPP 1.6 charge point in reservations (1.6 §5.1, §5.13; cases
TC_046_x_CS to TC_053_x_CS in :mod:`testcases.v16.test_reservation` and
:mod:`testcases.v16.test_reservation_rejected`). The behaviour lives in
:mod:`harness.reference.station.v16_reservation`."""

from __future__ import annotations

from harness.reference.fault_model import STATION, Fault

V16 = ("1.6",)

RESERVATION16_FAULTS: tuple[Fault, ...] = (
    Fault(
        "cp16-reservation-id-missing",
        STATION,
        V16,
        "leaves the reservationId out of the StartTransaction that uses a reservation",
        "1.6 §5.13: reservationId",
    ),
    Fault(
        "cp16-reservation-not-enforced",
        STATION,
        V16,
        "lets any idTag charge on a reserved connector",
        "1.6 §5.13: refuse",
    ),
    Fault(
        "cp16-reservation-never-expires",
        STATION,
        V16,
        "keeps a reservation after its expiryDate (the connector stays Reserved)",
        "1.6 §5.13: Available when the reservation expires",
    ),
    Fault(
        "cp16-reserve-occupied-accepted",
        STATION,
        V16,
        "accepts a reservation of a connector (or charge point) that is occupied",
        "1.6 §5.13: Occupied",
    ),
    Fault(
        "cp16-reserve-faulted-accepted",
        STATION,
        V16,
        "accepts a reservation of a connector (or charge point) that is Faulted",
        "1.6 §5.13: Faulted",
    ),
    Fault(
        "cp16-reserve-unavailable-accepted",
        STATION,
        V16,
        "accepts a reservation of a connector (or charge point) that is Unavailable",
        "1.6 §5.13: Unavailable",
    ),
    Fault(
        "cp16-reserve-refused-accepted",
        STATION,
        V16,
        "accepts a reservation while configured not to accept reservations (SUT action "
        "refuse_reservations)",
        "1.6 §5.13: Rejected when configured not to accept reservations",
    ),
    Fault(
        "cp16-cancel-reservation-kept",
        STATION,
        V16,
        "answers CancelReservation Accepted but keeps the reservation",
        "1.6 §5.1: Available after",
    ),
    Fault(
        "cp16-cancel-unknown-accepted",
        STATION,
        V16,
        "answers CancelReservation Accepted for a reservationId it does not have",
        "1.6 §5.1: Rejected",
    ),
    Fault(
        "cp16-parent-id-ignored",
        STATION,
        V16,
        "admits only the reservation's own idTag, not one with the reservation's parentIdTag",
        "1.6 §5.13: an idTag with the reservation's parentIdTag",
    ),
)
