"""OCA block H (Reservation), OCPP 2.0.1 and 2.1, the charging station under test, reservations
of an unspecified EVSE (H01 S1): TC_H_08-10, 12-14, 24 _CS. Steps and criteria in our own words
after OCPP 2.0.1 Part 6 §2.9; shared steps in :mod:`testcases.v201.reservation_states` (see
:mod:`.test_h_reservation` for what every case does before and after).

TC_H_08-10, 12, 14 and 24 apply to a station with ReservationCtrlr.NonEvseSpecific true (PICS
R-2), TC_H_13 to one without (errata 2024-11: the condition reversed).

Deviation (TC_H_08, TC_H_24): the OCA expects the connectors Reserved only where the station has
one EVSE (H01.FR.20: when the reservations take every available EVSE); that is what they check,
on any station: Reserved when the profile has one EVSE, nothing asked otherwise."""

from __future__ import annotations

from harness import CsmsPeer, SutActions, oca
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
    operative_again,
    reservation_applies,
    reservations_enabled,
    reserve,
    token,
    use_reservation,
)
from testcases.v201.test_g_availability import change_availability
from testcases.v201.tx_states import Session

ACCEPTED = "H01.FR.04: a reservation of any EVSE is Accepted while one is available"


def _evses(profile: SutProfile) -> list[int]:
    return [e.id for e in profile.sut.evses]


def _token(n: int) -> dict[str, str]:
    """The OCA's "different idToken for every reservation" (the harness accepts them all)."""
    return {"idToken": f"RESV-ANY-{n:02d}", "type": "ISO14443"}


async def _reserved_alone(csms: CsmsPeer, profile: SutProfile) -> None:
    """Deviation of the module: with one EVSE, its connectors are Reserved (H01.FR.20)."""
    if len(_evses(profile)) == 1:
        await connectors_are(
            csms, profile, 1, "Reserved", req="H01.FR.20: the only EVSE's connectors Reserved"
        )


@oca(
    "TC_H_08_CS",
    "Reserve an unspecified EVSE - Accepted",
    profile=RESERVATION,
    versions=V2,
    kills=("reservation-nonspecific-rejected",),
    applies=reservation_applies,
    condition="R-2",
)
async def test_reserve_any(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """TC_H_08_CS (H01.FR.04/07, H03.FR.03, H01.FR.15): a ReserveNow without evseId for the valid
    idToken is Accepted (steps 1-2; step 3 see the module); the valid idToken then charges on
    EVSE 1 with the reservationId (steps 5-6, errata 2025-02: the reserved idToken)."""
    await reservations_enabled(csms)
    valid = sut_profile.sut.tokens.valid
    try:
        answer_is(await reserve(csms, 808, token(sut_profile)), "Accepted", ACCEPTED)
        await _reserved_alone(csms, sut_profile)
        await charged(
            csms,
            sut,
            sut_profile,
            valid,
            req="H03.FR.03: the reserved idToken charges on an EVSE",
            reservation_id=808,
        )
    finally:
        await cancel_quietly(csms, (808,))


@oca(
    "TC_H_09_CS",
    "Reserve an unspecified EVSE - Occupied - EVSE Reserved",
    profile=RESERVATION,
    versions=V2,
    kills=("reservation-reserved-accepted",),
    applies=reservation_applies,
    condition="R-2",
)
async def test_any_all_reserved(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_H_09_CS (H01.FR.11): every EVSE reserved (each for its own idToken, specific
    reservations); a ReserveNow without evseId is answered Occupied."""
    await reservations_enabled(csms)
    ids = [900 + evse for evse in _evses(sut_profile)]
    try:
        for evse, rid in zip(_evses(sut_profile), ids, strict=True):
            status = await reserve(csms, rid, _token(evse), evse_id=evse)
            answer_is(status, "Accepted", "precondition: every EVSE reserved")
        status = await reserve(csms, 809, token(sut_profile))
        answer_is(status, "Occupied", "H01.FR.11: Occupied when every EVSE is reserved")
    finally:
        await cancel_quietly(csms, (*ids, 809))


@oca(
    "TC_H_10_CS",
    "Reserve an unspecified EVSE - Occupied - EVSE Occupied",
    profile=RESERVATION,
    versions=V2,
    kills=("reservation-occupied-accepted",),
    applies=reservation_applies,
    condition="R-2",
)
async def test_any_all_charging(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """TC_H_10_CS (H01.FR.13): every EVSE charging (EnergyTransferStarted, each for its own
    idToken); a ReserveNow without evseId is answered Occupied. The sessions end after."""
    await reservations_enabled(csms)
    sessions: list[tuple[Session, str]] = []
    try:
        for evse in _evses(sut_profile):
            tag = _token(evse)["idToken"]
            session = await use_reservation(
                csms, sut, sut_profile, tag, req="E01: charging", evse_id=evse
            )
            sessions.append((session, tag))
        status = await reserve(csms, 810, token(sut_profile))
        answer_is(status, "Occupied", "H01.FR.13: Occupied when every EVSE is in use")
        for session, tag in sessions:
            await finish(csms, sut, session, tag)
    finally:
        await cancel_quietly(csms, (810,))


@oca(
    "TC_H_12_CS",
    "Reserve an unspecified EVSE - Unavailable",
    profile=RESERVATION,
    versions=V2,
    kills=("reservation-unavailable-accepted",),
    applies=reservation_applies,
    condition="R-2",
)
async def test_any_unavailable(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_H_12_CS (H01.FR.14): the station Unavailable (ChangeAvailability Inoperative without
    an EVSE); a ReserveNow without evseId is answered Unavailable. Operative again after."""
    await reservations_enabled(csms)
    try:
        await change_availability(csms, "Inoperative", req="precondition: station Unavailable")
        status = await reserve(csms, 812, token(sut_profile))
        answer_is(status, "Unavailable", "H01.FR.14: Unavailable when no EVSE is operative")
    finally:
        await cancel_quietly(csms, (812,))
        await operative_again(csms)


@oca(
    "TC_H_13_CS",
    "Reserve an unspecified EVSE - Rejected",
    profile=RESERVATION,
    versions=V2,
    kills=("reservation-nonspecific-accepted-when-off",),
    applies=reservation_applies,
    condition="NOT R-2",
)
async def test_any_rejected(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_H_13_CS (H01.FR.19; errata 2024-11: for a station without NonEvseSpecific): a
    ReserveNow without evseId is Rejected."""
    await reservations_enabled(csms)
    try:
        status = await reserve(csms, 813, token(sut_profile))
        answer_is(status, "Rejected", "H01.FR.19: Rejected without NonEvseSpecific")
    finally:
        await cancel_quietly(csms, (813,))


@oca(
    "TC_H_14_CS",
    "Reserve an unspecified EVSE - Amount of EVSEs available equals the amount of reservations",
    profile=RESERVATION,
    versions=V2,
    kills=("reservation-nonspecific-not-shown",),
    applies=reservation_applies,
    condition="R-2",
)
async def test_any_all_taken(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_H_14_CS (H01.FR.04/20): as many ReserveNow without evseId as the station has EVSEs,
    each for another idToken, all Accepted (step 2); then every connector is Reserved (step 3)."""
    await reservations_enabled(csms)
    ids = [1400 + n for n in range(len(_evses(sut_profile)))]
    try:
        for rid in ids:
            answer_is(await reserve(csms, rid, _token(rid - 1400)), "Accepted", ACCEPTED)
        for evse in _evses(sut_profile):
            await connectors_are(
                csms,
                sut_profile,
                evse,
                "Reserved",
                req="H01.FR.20: every connector Reserved once the reservations take every EVSE",
            )
    finally:
        await cancel_quietly(csms, ids)


@oca(
    "TC_H_24_CS",
    "Reserve an unspecified EVSE - GroupIdToken",
    profile=RESERVATION,
    versions=V2,
    kills=("reservation-group-ignored",),
    applies=reservation_applies,
    condition="R-2",
)
async def test_any_group(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """TC_H_24_CS (H03.FR.06, H01.FR.15): a ReserveNow without evseId for the valid idToken with
    the configured groupIdToken is Accepted (steps 1-2; step 3 see the module); valid_idtoken2,
    given that groupIdToken in the harness's Authorize answer, charges with the reservationId."""
    await reservations_enabled(csms)
    other, group_id = await group_answered(csms, sut_profile)
    try:
        status = await reserve(csms, 824, token(sut_profile), group_id=group_id)
        answer_is(status, "Accepted", ACCEPTED)
        await _reserved_alone(csms, sut_profile)
        await charged(
            csms,
            sut,
            sut_profile,
            other,
            req="H03.FR.06: an idToken of the reservation's groupIdToken uses it",
            reservation_id=824,
        )
    finally:
        await cancel_quietly(csms, (824,))
