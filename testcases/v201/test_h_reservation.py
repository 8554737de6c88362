"""OCA block H (Reservation), OCPP 2.0.1 and 2.1, the charging station under test, reservations
of a specific EVSE: TC_H_01-04, 06, 07, 17-19, 21-23 _CS (ReserveNow H01, CancelReservation H02,
using a reservation H03, its expiry H04). Steps and criteria in our own words after OCPP 2.0.1
Part 6 §2.9; shared steps in :mod:`testcases.v201.reservation_states`.

Every case starts with ReservationCtrlr.Enabled true where the station has it (the harness puts
it back after the case) and cancels the reservations it made, whatever happened. The cases apply
to a station that claims the Reservation profile (``claims.profiles: [reservation]``) or declares
R-3. A second idToken (the OCA's valid_idtoken2) is ``sut.tokens.valid2`` or one the harness, as
the CSMS, accepts. The "Configured evseId" is EVSE 1.

Deviation (all cases): where the OCA accepts a NotifyEvent of the EVSE's own AvailabilityState,
the connectors' state is what counts (G01: a StatusNotification or their AvailabilityState
NotifyEvent); the EVSE component's event is optional in every OCA case.

Not here: TC_H_05 (Faulted; Part 5 lists it for neither role), TC_H_15/16 (a connectorType
reservation, R-1), the unspecified EVSE cases (:mod:`.test_h_reservation_any`), TC_B_24_CS."""

from __future__ import annotations

from harness import CsmsPeer, SutActions, oca
from harness.checks import require_fields
from harness.config import SutProfile
from testcases.v201.reservation_states import (
    RESERVATION,
    V2,
    answer_is,
    cancel_quietly,
    charged,
    connectors_are,
    finish,
    group_answered,
    in_memory,
    operative_again,
    reservation_applies,
    reservations_enabled,
    reserve,
    reserved,
    token,
    use_reservation,
)
from testcases.v201.states import tx_points
from testcases.v201.test_g_availability import change_availability
from testcases.v201.tx_states import Session, ev_connected_pre_session

#: A reservation the OCA's expiry case makes (s): short, so the case does not wait a minute.
EXPIRES_S = 4


@oca(
    "TC_H_01_CS",
    "Reserve a specific EVSE - Accepted - Valid idToken",
    profile=RESERVATION,
    versions=V2,
    kills=(
        "reservation-id-missing",
        "reservation-kept-after-use",
        "reservation-status-not-reserved",
    ),
    applies=reservation_applies,
)
async def test_reserve_specific(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """TC_H_01_CS (H01.FR.23, H03.FR.01/09/10, H01.FR.15): EVSE 1 reserved for the valid
    idToken (reusable state Reserved: Accepted, connectors Reserved); the idToken presented
    before the cable: the reservation is used and the connectors are Available again
    (H03.FR.09/10); with the cable in, it charges and the event with the idToken carries the
    reservationId (H01.FR.15)."""
    await reservations_enabled(csms)
    valid = sut_profile.sut.tokens.valid
    try:
        await reserved(csms, sut_profile, 801)

        async def available() -> None:
            await connectors_are(
                csms, sut_profile, 1, "Available", req="H03.FR.10: Available once it is used"
            )

        await charged(
            csms,
            sut,
            sut_profile,
            valid,
            req="H03.FR.01: the reserved idToken charges on the reserved EVSE",
            reservation_id=801,
            plugged_first=False,
            before_plug=available,
        )
    finally:
        await cancel_quietly(csms, (801,))


@oca(
    "TC_H_02_CS",
    "Reserve a specific EVSE - Accepted - Different idToken",
    profile=RESERVATION,
    versions=V2,
    kills=("reservation-not-enforced",),
    applies=reservation_applies,
)
async def test_reserved_other_token(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_H_02_CS (H03.FR.01, F01.FR.21/22): EVSE 1 reserved for the valid idToken. Main B: a
    RequestStartTransaction for valid_idtoken2 on EVSE 1 is Rejected. Main A: the EV plugged in
    (EVConnectedPreSession), valid_idtoken2 presented: no TransactionEvent reports Charging
    within the message timeout. Both of the OCA's alternatives run, B first."""
    await reservations_enabled(csms)
    other = token(sut_profile, other=True)
    try:
        await reserved(csms, sut_profile, 802)
        result = await csms.call(
            "RequestStartTransaction", id_token=other, remote_start_id=802, evse_id=1
        )
        result.must(
            status="Rejected",
            req="H03.FR.01/F01.FR.21: a remote start for another idToken on a reserved EVSE",
        )
        session = Session(await tx_points(csms, sut_profile))
        await ev_connected_pre_session(csms, sut, session)
        await sut.present_token(other["idToken"], evse_id=1)
        await csms.expect_none(
            "TransactionEvent",
            for_s=csms.response_s,
            transaction_info={"chargingState": "Charging"},
            req="H03.FR.01: another idToken does not charge on the reserved EVSE",
        )
    finally:
        await cancel_quietly(csms, (802,))


@oca(
    "TC_H_03_CS",
    "Reserve a specific EVSE - Occupied - EVSE Reserved",
    profile=RESERVATION,
    versions=V2,
    kills=("reservation-reserved-accepted",),
    applies=reservation_applies,
)
async def test_reserve_reserved(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_H_03_CS (H01.FR.11): EVSE 1 reserved (memory state); a ReserveNow with another id
    for EVSE 1 and valid_idtoken2 is answered Occupied."""
    await reservations_enabled(csms)
    try:
        await in_memory(csms, sut_profile, 803)
        status = await reserve(csms, 804, token(sut_profile, other=True), evse_id=1)
        answer_is(status, "Occupied", "H01.FR.11: Occupied for an EVSE already reserved")
    finally:
        await cancel_quietly(csms, (803, 804))


@oca(
    "TC_H_04_CS",
    "Reserve a specific EVSE - Occupied - EVSE Occupied",
    profile=RESERVATION,
    versions=V2,
    kills=("reservation-occupied-accepted",),
    applies=reservation_applies,
)
async def test_reserve_occupied(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """TC_H_04_CS (H01.FR.13): EVSE 1 charging (memory state EnergyTransferStarted); a ReserveNow
    for EVSE 1 and valid_idtoken2 is answered Occupied."""
    await reservations_enabled(csms)
    valid = sut_profile.sut.tokens.valid
    try:
        session = await use_reservation(csms, sut, sut_profile, valid, req="E01: charging")
        status = await reserve(csms, 805, token(sut_profile, other=True), evse_id=1)
        answer_is(status, "Occupied", "H01.FR.13: Occupied for an EVSE in use")
        await finish(csms, sut, session, valid)
    finally:
        await cancel_quietly(csms, (805,))


@oca(
    "TC_H_06_CS",
    "Reserve a specific EVSE - Unavailable",
    profile=RESERVATION,
    versions=V2,
    kills=("reservation-unavailable-accepted",),
    applies=reservation_applies,
)
async def test_reserve_unavailable(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_H_06_CS (H01.FR.14): EVSE 1 Unavailable (memory state; ChangeAvailability
    Inoperative); a ReserveNow for EVSE 1 is answered Unavailable. EVSE 1 is made Operative
    again after the case."""
    await reservations_enabled(csms)
    try:
        await change_availability(csms, "Inoperative", evse_id=1, req="precondition: Unavailable")
        status = await reserve(csms, 806, token(sut_profile, other=True), evse_id=1)
        answer_is(status, "Unavailable", "H01.FR.14: Unavailable for an inoperative EVSE")
    finally:
        await cancel_quietly(csms, (806,))
        await operative_again(csms, evse_id=1)


@oca(
    "TC_H_07_CS",
    "Reserve a specific EVSE - Reservation Ended / not used",
    profile=RESERVATION,
    versions=V2,
    kills=("reservation-never-expires",),
    applies=reservation_applies,
)
async def test_reservation_expires(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_H_07_CS (H04.FR.01-03): EVSE 1 reserved until :data:`EXPIRES_S` seconds from now
    (deviation: the OCA waits 60 s); at the expiry the connectors are Available again (step 1,
    H04.FR.03) and a ReservationStatusUpdate says Expired for the reservation (step 3,
    H04.FR.01); then valid_idtoken2 charges on EVSE 1 (steps 5-6, H04.FR.02)."""
    await reservations_enabled(csms)
    other = token(sut_profile, other=True)["idToken"]
    try:
        status = await reserve(csms, 807, token(sut_profile), evse_id=1, hold_s=EXPIRES_S)
        answer_is(status, "Accepted", "H01.FR.03: ReserveNow Accepted for an available EVSE")
        wait = EXPIRES_S + csms.action_s
        update = await csms.expect(
            "ReservationStatusUpdate",
            within_s=wait,
            req="H04.FR.01: a ReservationStatusUpdate when the reservation expires",
        )
        require_fields(
            update.payload,
            reservationId=807,
            reservationUpdateStatus="Expired",
            req="H04.FR.01: the reservation's id, status Expired",
        )
        await connectors_are(
            csms, sut_profile, 1, "Available", req="H04.FR.03: Available again after the expiry"
        )
        await charged(
            csms, sut, sut_profile, other, req="H04.FR.02: any idToken charges after the expiry"
        )
    finally:
        await cancel_quietly(csms, (807,))


@oca(
    "TC_H_17_CS",
    "Cancel reservation of an EVSE - Success",
    profile=RESERVATION,
    versions=V2,
    kills=("reservation-cancel-kept",),
    applies=reservation_applies,
)
async def test_cancel(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_H_17_CS (H02.FR.02): EVSE 1 reserved (memory state); CancelReservation of it is
    Accepted and every connector of EVSE 1 is reported Available (errata 2025-02)."""
    await reservations_enabled(csms)
    try:
        await in_memory(csms, sut_profile, 817)
        result = await csms.call("CancelReservation", reservation_id=817)
        result.must(status="Accepted", req="H02.FR.02: a known reservation is cancelled")
        await connectors_are(
            csms, sut_profile, 1, "Available", req="H02.FR.02: Available once cancelled"
        )
    finally:
        await cancel_quietly(csms, (817,))


@oca(
    "TC_H_18_CS",
    "Cancel reservation of an EVSE - Rejected",
    profile=RESERVATION,
    versions=V2,
    kills=("reservation-cancel-unknown-accepted",),
    applies=reservation_applies,
)
async def test_cancel_unknown(csms: CsmsPeer) -> None:
    """TC_H_18_CS (H02.FR.01): CancelReservation of reservationId 1, which the station does not
    hold (the harness made none with that id), is Rejected."""
    await reservations_enabled(csms)
    result = await csms.call("CancelReservation", reservation_id=1)
    result.must(status="Rejected", req="H02.FR.01: Rejected for an unknown reservationId")


@oca(
    "TC_H_19_CS",
    "Reserve a specific EVSE - Use a reserved EVSE with GroupId",
    profile=RESERVATION,
    versions=V2,
    kills=("reservation-group-ignored",),
    applies=reservation_applies,
)
async def test_reserved_group(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """TC_H_19_CS (H03.FR.04/08, H01.FR.15): EVSE 1 reserved for the valid idToken with the
    configured groupIdToken (Accepted, connectors Reserved); valid_idtoken2 presented, the
    harness's Authorize answer gives it that groupIdToken (H03.FR.08; the cache is cleared first
    so that the station asks): it charges on EVSE 1 with the reservationId."""
    await reservations_enabled(csms)
    other, group_id = await group_answered(csms, sut_profile)
    try:
        await reserved(csms, sut_profile, 819, group_id=group_id)
        await charged(
            csms,
            sut,
            sut_profile,
            other,
            req="H03.FR.04: an idToken of the reservation's groupIdToken charges on the EVSE",
            reservation_id=819,
        )
    finally:
        await cancel_quietly(csms, (819,))


@oca(
    "TC_H_21_CS",
    "Charging Station cancels reservation when Unavailable",
    profile=RESERVATION,
    versions=V2,
    kills=("reservation-kept-when-unavailable",),
    applies=reservation_applies,
)
async def test_unavailable_removes(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_H_21_CS (H01.FR.17): EVSE 1 reserved (memory state); ChangeAvailability Inoperative for
    it is Accepted, its connectors Unavailable (steps 1-4) and a ReservationStatusUpdate says
    Removed for the reservation (steps 5-6); Operative again, Available (steps 7-10); then
    valid_idtoken2 charges on EVSE 1 (steps 11-12)."""
    await reservations_enabled(csms)
    other = token(sut_profile, other=True)["idToken"]
    try:
        await in_memory(csms, sut_profile, 821)
        await change_availability(csms, "Inoperative", evse_id=1, req="G03.FR.01: Accepted")
        await connectors_are(csms, sut_profile, 1, "Unavailable", req="G03.FR.02: Unavailable")
        update = await csms.expect(
            "ReservationStatusUpdate",
            req="H01.FR.17: the reservation of an EVSE made Unavailable is removed",
        )
        require_fields(
            update.payload,
            reservationId=821,
            reservationUpdateStatus="Removed",
            req="H01.FR.17: the reservation's id, status Removed",
        )
        await change_availability(csms, "Operative", evse_id=1, req="G03.FR.01: Accepted")
        await connectors_are(csms, sut_profile, 1, "Available", req="G03.FR.02: Available")
        await charged(
            csms, sut, sut_profile, other, req="H01.FR.17: no reservation holds EVSE 1 any more"
        )
    finally:
        await cancel_quietly(csms, (821,))
        await operative_again(csms, evse_id=1)


@oca(
    "TC_H_22_CS",
    "Reserve a specific EVSE - Configured to Reject",
    profile=RESERVATION,
    versions=V2,
    kills=("reservation-configured-off-accepted",),
    applies=reservation_applies,
    condition="R-3",
)
async def test_configured_to_reject(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_H_22_CS (H01.FR.01): ReservationCtrlr.Enabled false (NOT-APPLICABLE where the station
    cannot switch it off); a ReserveNow for EVSE 1 is Rejected. Enabled is put back after."""
    await reservations_enabled(csms, enabled=False)
    try:
        status = await reserve(csms, 822, token(sut_profile), evse_id=1)
        answer_is(status, "Rejected", "H01.FR.01: Rejected while reservations are switched off")
    finally:
        await cancel_quietly(csms, (822,))


@oca(
    "TC_H_23_CS",
    "Reserve a specific EVSE - Replace reservation",
    profile=RESERVATION,
    versions=V2,
    kills=("reservation-not-replaced",),
    applies=reservation_applies,
)
async def test_replace(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """TC_H_23_CS (H01.FR.02): EVSE 1 reserved for the valid idToken (memory state); a ReserveNow
    with the same id for EVSE 1 and valid_idtoken2 is Accepted (the reservation replaced,
    steps 1-2); valid_idtoken2 then charges on EVSE 1 with that reservationId (steps 3-4)."""
    await reservations_enabled(csms)
    other = token(sut_profile, other=True)
    try:
        await in_memory(csms, sut_profile, 823)
        status = await reserve(csms, 823, other, evse_id=1)
        answer_is(status, "Accepted", "H01.FR.02: a ReserveNow with a known id replaces it")
        await charged(
            csms,
            sut,
            sut_profile,
            other["idToken"],
            req="H01.FR.02: the replacing reservation's idToken charges on the EVSE",
            reservation_id=823,
        )
    finally:
        await cancel_quietly(csms, (823,))
