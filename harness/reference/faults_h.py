"""Faults of the 2.0.1/2.1 reference station in block H (Reservation, H01-H04; cases TC_H_*_CS in
:mod:`testcases.v201.test_h_reservation`). The behaviour lives in
:mod:`harness.reference.station.block_h`."""

from __future__ import annotations

from harness.reference.fault_model import STATION, V2, Fault


def _fault(name: str, breaks: str, requirement: str) -> Fault:
    return Fault(name, STATION, V2, breaks, requirement)


H_FAULTS: tuple[Fault, ...] = (
    _fault(
        "reservation-configured-off-accepted",
        "accepts a ReserveNow while ReservationCtrlr.Enabled is false",
        "H01.FR.01",
    ),
    _fault(
        "reservation-not-replaced",
        "keeps a reservation when a ReserveNow comes with its id (answers Occupied)",
        "H01.FR.02",
    ),
    _fault(
        "reservation-reserved-accepted",
        "accepts a ReserveNow for an EVSE that another reservation holds",
        "H01.FR.11",
    ),
    _fault(
        "reservation-occupied-accepted",
        "accepts a ReserveNow for an EVSE in use (a cable, a transaction), or without an evseId "
        "when no EVSE is free",
        "H01.FR.13",
    ),
    _fault(
        "reservation-unavailable-accepted",
        "accepts a ReserveNow for an Unavailable EVSE (or, without an evseId, station)",
        "H01.FR.14",
    ),
    _fault(
        "reservation-not-enforced",
        "lets any idToken charge on a reserved EVSE (locally and by RequestStartTransaction)",
        "H03.FR.01",
    ),
    _fault(
        "reservation-id-missing",
        "starts the reserved idToken's transaction without its reservationId",
        "H01.FR.15",
    ),
    _fault(
        "reservation-kept-after-use",
        "keeps the reservation (the connector Reserved) after its idToken started charging",
        "H03.FR.10",
    ),
    _fault(
        "reservation-status-not-reserved",
        "reports a reserved EVSE's connectors Available, never Reserved",
        "H01.FR.23",
    ),
    _fault(
        "reservation-never-expires",
        "keeps a reservation past its expiryDateTime (no ReservationStatusUpdate Expired)",
        "H04.FR.01",
    ),
    _fault(
        "reservation-cancel-kept",
        "answers a CancelReservation of a known reservation Accepted but keeps it",
        "H02.FR.02",
    ),
    _fault(
        "reservation-cancel-unknown-accepted",
        "answers a CancelReservation of an unknown reservationId Accepted",
        "H02.FR.01",
    ),
    _fault(
        "reservation-kept-when-unavailable",
        "keeps a reservation when its EVSE is made Inoperative (no ReservationStatusUpdate "
        "Removed)",
        "H01.FR.17",
    ),
    Fault(
        "reservation-group-ignored",
        STATION,
        V2,
        "lets only the reservation's own idToken use it, not an idToken of its groupIdToken",
        "H03.FR.04",
        # unspecified: the idToken still charges (another EVSE is open), without the reservation
        per_case=(("TC_H_24_CS", "H01.FR.15"),),
    ),
    _fault(
        "reservation-nonspecific-rejected",
        "rejects a ReserveNow without an evseId although ReservationCtrlr.NonEvseSpecific is true",
        "H01.FR.04",
    ),
    _fault(
        "reservation-nonspecific-accepted-when-off",
        "accepts a ReserveNow without an evseId although ReservationCtrlr.NonEvseSpecific is "
        "false (legal variant reservation-evse-specific-only)",
        "H01.FR.19",
    ),
    _fault(
        "reservation-type-rejected",
        "rejects a ReserveNow with the connectorType its connectors have",
        "H01.FR.06",
    ),
    _fault(
        "reservation-lost-on-reboot",
        "forgets its reservations when it reboots (the EVSE Available after the boot)",
        "B11.FR.05",
    ),
    _fault(
        "reservation-nonspecific-not-shown",
        "never reports connectors Reserved for reservations without an evseId, not even when "
        "they take every available EVSE",
        "H01.FR.20",
    ),
)
