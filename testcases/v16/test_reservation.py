"""OCPP 1.6 reservations with the charge point under test (test case document section 21:
TC_046_1/2_CS, TC_047_CS, TC_048_1/2/3_CS, TC_049_CS, TC_050_1/2/3_CS, TC_051_CS, TC_052_CS,
TC_053_1/2_CS). The 1.6 test case document is not public: steps and criteria are ours, after the
2.0.1 block H cases (TC_H_01_CS ff.: reserve, use, expire, cancel, reject) and OCPP 1.6 §3.11,
§5.1, §5.13 (with the 1.6 errata §4.12: the Authorize answer MAY carry the parentIdTag), §7.40,
§9.3.1. Every case cancels the reservations it made, whatever happened.
"""

from __future__ import annotations

from harness import CsmsPeer, SutActions, oca
from harness.checks import applicable_unless, require
from harness.config import SutProfile
from testcases.v16.auth_states import V16, set_key
from testcases.v16.reservation_states import (
    CHILD_TAG,
    GROUP_STARTS,
    OTHER_TAG,
    PARENT_TAG,
    RESERVES,
    cancel_quietly,
    connector_zero,
    occupy,
    release,
    reserve,
    reserved,
    started_with,
    stop_and_unplug,
)

PROFILE = "reservation"
#: How long the reservation of TC_047_CS holds (s).
EXPIRES_S = 3


def _answer(status: str, wanted: str, req: str) -> None:
    require(status == wanted, req=req, expected=wanted, actual=status)


@oca(
    "TC_046_1_CS",
    "Reservation of a Connector - Local start transaction",
    profile=PROFILE,
    versions=V16,
    kills=("cp16-reservation-id-missing", "cp16-reservation-not-enforced"),
    applies=RESERVES,
)
async def test_reserve_local_start(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """After 2.0.1 TC_H_01_CS and TC_H_02_CS. §5.13: connector 1 reserved for the valid idTag
    (Accepted, Reserved); with the cable in, another idTag does not start (charging refused for
    other idTags); the reserved idTag starts and its StartTransaction carries the reservationId."""
    tag = sut_profile.sut.tokens.valid
    try:
        status = await reserve(csms, 461, 1, tag)
        _answer(status, "Accepted", "1.6 §5.13: Accepted for an Available connector")
        await reserved(csms, 1)
        await sut.plug_in(evse_id=1)
        await sut.present_token(OTHER_TAG)
        await csms.expect_none(
            "StartTransaction",
            for_s=csms.response_s,
            req="1.6 §5.13: refuse charging for another idTag on the reserved connector",
        )
        await sut.present_token(tag)
        await started_with(csms, tag, 461)
        await stop_and_unplug(csms, sut, tag)
    finally:
        await cancel_quietly(csms, 461)


@oca(
    "TC_046_2_CS",
    "Reservation of a Connector - Remote start transaction",
    profile=PROFILE,
    versions=V16,
    kills=("cp16-reservation-id-missing",),
    applies=RESERVES,
)
async def test_reserve_remote_start(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """After 2.0.1 TC_H_01_CS, started remotely. §5.13, §5.11: connector 1 reserved for the valid
    idTag; a RemoteStartTransaction for it on connector 1 (cable in) is Accepted and its
    StartTransaction carries the reservationId."""
    tag = sut_profile.sut.tokens.valid
    try:
        status = await reserve(csms, 462, 1, tag)
        _answer(status, "Accepted", "1.6 §5.13: Accepted for an Available connector")
        await reserved(csms, 1)
        await sut.plug_in(evse_id=1)
        result = await csms.call("RemoteStartTransaction", id_tag=tag, connector_id=1)
        result.must(status="Accepted", req="1.6 §5.11: RemoteStartTransaction Accepted")
        await started_with(csms, tag, 462)
        await stop_and_unplug(csms, sut, tag)
    finally:
        await cancel_quietly(csms, 462)


@oca(
    "TC_047_CS",
    "Reservation of a Connector - Expire",
    profile=PROFILE,
    versions=V16,
    kills=("cp16-reservation-never-expires",),
    applies=RESERVES,
)
async def test_reservation_expires(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """After 2.0.1 TC_H_07_CS. §5.13: a reservation a few seconds ahead ends at its expiryDate and
    the connector is reported Available again."""
    try:
        status = await reserve(csms, 47, 1, sut_profile.sut.tokens.valid, hold_s=EXPIRES_S)
        _answer(status, "Accepted", "1.6 §5.13: Accepted for an Available connector")
        await reserved(csms, 1)
        await csms.expect(
            "StatusNotification",
            connector_id=1,
            status="Available",
            within_s=EXPIRES_S + csms.action_s,
            req="1.6 §5.13: Available when the reservation expires",
        )
    finally:
        await cancel_quietly(csms, 47)


@oca(
    "TC_048_1_CS",
    "Reservation of a Connector - Faulted",
    profile=PROFILE,
    versions=V16,
    kills=("cp16-reserve-faulted-accepted",),
    applies=RESERVES,
)
async def test_reserve_faulted(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """After 2.0.1 TC_H_05_CS. §5.13, §7.40: connector 1 in an error state (reported Faulted, §4.9):
    Faulted."""
    try:
        await sut.set_connector_faulted(evse_id=1, faulted=True)
        await csms.expect(
            "StatusNotification", connector_id=1, status="Faulted", req="1.6 §4.9: Faulted"
        )
        status = await reserve(csms, 481, 1, sut_profile.sut.tokens.valid)
        _answer(status, "Faulted", "1.6 §5.13: Faulted for a Faulted connector")
    finally:
        await cancel_quietly(csms, 481)
        await sut.set_connector_faulted(evse_id=1, faulted=False)


@oca(
    "TC_048_2_CS",
    "Reservation of a Connector - Occupied",
    profile=PROFILE,
    versions=V16,
    kills=("cp16-reserve-occupied-accepted",),
    applies=RESERVES,
)
async def test_reserve_occupied(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """After 2.0.1 TC_H_04_CS. §5.13, §7.40: with a transaction running on connector 1 it is
    occupied: Occupied."""
    busy = await occupy(csms, sut, 1)
    try:
        status = await reserve(csms, 482, 1, sut_profile.sut.tokens.valid)
        _answer(status, "Occupied", "1.6 §5.13: Occupied for an occupied connector")
    finally:
        await cancel_quietly(csms, 482)
    await release(csms, sut, 1, busy)


@oca(
    "TC_048_3_CS",
    "Reservation of a Connector - Unavailable",
    profile=PROFILE,
    versions=V16,
    kills=("cp16-reserve-unavailable-accepted",),
    applies=RESERVES,
)
async def test_reserve_unavailable(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """After 2.0.1 TC_H_06_CS. §5.13, §5.2: connector 1 made Inoperative (Unavailable): Unavailable."""
    try:
        change = await csms.call("ChangeAvailability", connector_id=1, type="Inoperative")
        change.must(status="Accepted", req="1.6 §5.2: ChangeAvailability Accepted")
        status = await reserve(csms, 483, 1, sut_profile.sut.tokens.valid)
        _answer(status, "Unavailable", "1.6 §5.13: Unavailable for an Unavailable connector")
    finally:
        await cancel_quietly(csms, 483)
        await csms.call("ChangeAvailability", connector_id=1, type="Operative")


@oca(
    "TC_049_CS",
    "Reservation of a Charge Point - Transaction",
    profile=PROFILE,
    versions=V16,
    kills=("cp16-reservation-id-missing",),
    applies=RESERVES,
)
async def test_reserve_charge_point(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """After 2.0.1 TC_H_08_CS. §5.13, §9.3.1: with ReserveConnectorZeroSupported, a reservation of
    connector 0 is Accepted; the reserved idTag starts on connector 1 and names the reservationId.
    """
    await connector_zero(csms, True)
    tag = sut_profile.sut.tokens.valid
    try:
        status = await reserve(csms, 49, 0, tag)
        _answer(status, "Accepted", "1.6 §5.13: Accepted for an Available charge point")
        await sut.plug_in(evse_id=1)
        await sut.present_token(tag)
        await started_with(csms, tag, 49)
        await stop_and_unplug(csms, sut, tag)
    finally:
        await cancel_quietly(csms, 49)


@oca(
    "TC_050_1_CS",
    "Reservation of a Charge Point - Faulted",
    profile=PROFILE,
    versions=V16,
    kills=("cp16-reserve-faulted-accepted",),
    applies=RESERVES,
)
async def test_reserve_charge_point_faulted(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """No 2.0.1 case has these steps. §5.13, §7.40: with every connector in an error state
    (Faulted), connector 0: Faulted."""
    await connector_zero(csms, True)
    where = [(e.id, n) for e in sut_profile.sut.evses for n in range(1, e.connectors + 1)]
    try:
        for evse, connector in where:
            await sut.set_connector_faulted(evse_id=evse, connector_id=connector, faulted=True)
        status = await reserve(csms, 501, 0, sut_profile.sut.tokens.valid)
        _answer(status, "Faulted", "1.6 §5.13: Faulted when every connector is Faulted")
    finally:
        await cancel_quietly(csms, 501)
        for evse, connector in where:
            await sut.set_connector_faulted(evse_id=evse, connector_id=connector, faulted=False)


@oca(
    "TC_050_2_CS",
    "Reservation of a Charge Point - Occupied",
    profile=PROFILE,
    versions=V16,
    kills=("cp16-reserve-occupied-accepted",),
    applies=RESERVES,
)
async def test_reserve_charge_point_occupied(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """After 2.0.1 TC_H_10_CS. §5.13: with a transaction running on every EVSE (one connector each)
    no connector is left: connector 0 is Occupied."""
    await connector_zero(csms, True)
    applicable_unless(
        any(e.connectors != 1 for e in sut_profile.sut.evses),
        "the case occupies every connector with a transaction per EVSE: EVSEs of one connector",
    )
    busy = [(e.id, await occupy(csms, sut, e.id)) for e in sut_profile.sut.evses]
    try:
        status = await reserve(csms, 502, 0, sut_profile.sut.tokens.valid)
        _answer(status, "Occupied", "1.6 §5.13: Occupied when every connector is occupied")
    finally:
        await cancel_quietly(csms, 502)
    for evse, tag in busy:
        await release(csms, sut, evse, tag)


@oca(
    "TC_050_3_CS",
    "Reservation of a Charge Point - Unavailable",
    profile=PROFILE,
    versions=V16,
    kills=("cp16-reserve-unavailable-accepted",),
    applies=RESERVES,
)
async def test_reserve_charge_point_unavailable(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """After 2.0.1 TC_H_12_CS. §5.13, §5.2: the charge point made Inoperative (connector 0):
    connector 0 Unavailable."""
    await connector_zero(csms, True)
    try:
        change = await csms.call("ChangeAvailability", connector_id=0, type="Inoperative")
        change.must(status="Accepted", req="1.6 §5.2: ChangeAvailability Accepted")
        status = await reserve(csms, 503, 0, sut_profile.sut.tokens.valid)
        _answer(status, "Unavailable", "1.6 §5.13: Unavailable for an Unavailable charge point")
    finally:
        await cancel_quietly(csms, 503)
        await csms.call("ChangeAvailability", connector_id=0, type="Operative")


@oca(
    "TC_051_CS",
    "Cancel Reservation",
    profile=PROFILE,
    versions=V16,
    kills=("cp16-cancel-reservation-kept",),
    applies=RESERVES,
)
async def test_cancel_reservation(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """After 2.0.1 TC_H_17_CS. §5.1: CancelReservation of a reservation the charge point holds is
    Accepted and the connector is Available again (its status change reported, §4.9)."""
    try:
        status = await reserve(csms, 51, 1, sut_profile.sut.tokens.valid)
        _answer(status, "Accepted", "1.6 §5.13: Accepted for an Available connector")
        await reserved(csms, 1)
        result = await csms.call("CancelReservation", reservation_id=51)
        result.must(status="Accepted", req="1.6 §5.1: Accepted for a reservation it holds")
        await csms.expect(
            "StatusNotification",
            connector_id=1,
            status="Available",
            req="1.6 §5.1: Available after the reservation is cancelled (§4.9)",
        )
    finally:
        await cancel_quietly(csms, 51)


@oca(
    "TC_052_CS",
    "Cancel Reservation - Rejected",
    profile=PROFILE,
    versions=V16,
    kills=("cp16-cancel-unknown-accepted",),
    applies=RESERVES,
)
async def test_cancel_reservation_rejected(csms: CsmsPeer) -> None:
    """After 2.0.1 TC_H_18_CS. §5.1: CancelReservation of a reservationId the charge point does not
    hold: Rejected."""
    result = await csms.call("CancelReservation", reservation_id=52052)
    result.must(status="Rejected", req="1.6 §5.1: Rejected for an unknown reservationId")


async def _parent_reserved(csms: CsmsPeer, sut: SutActions, reservation_id: int) -> None:
    """Connector 1 reserved for :data:`OTHER_TAG` with parent :data:`PARENT_TAG`; the harness
    gives :data:`CHILD_TAG` that parentIdTag in its Authorize answer (errata §4.12)."""
    status = await reserve(csms, reservation_id, 1, OTHER_TAG, parent=PARENT_TAG)
    _answer(status, "Accepted", "1.6 §5.13: Accepted for an Available connector")
    await reserved(csms, 1)
    csms.set_reply("Authorize", id_tag_info={"status": "Accepted", "parentIdTag": PARENT_TAG})
    await sut.plug_in(evse_id=1)


@oca(
    "TC_053_1_CS",
    "Use a reserved Connector with parentIdTag - Local",
    profile=PROFILE,
    versions=V16,
    kills=("cp16-parent-id-ignored",),
    applies=RESERVES,
)
async def test_reserved_parent_local(csms: CsmsPeer, sut: SutActions) -> None:
    """After 2.0.1 TC_H_19_CS. §5.13: another idTag whose parentIdTag (from the Authorize answer) is
    the reservation's parentIdTag starts on the reserved connector, with the reservationId."""
    try:
        await _parent_reserved(csms, sut, 531)
        await sut.present_token(CHILD_TAG)
        await started_with(csms, CHILD_TAG, 531, GROUP_STARTS)
        await stop_and_unplug(csms, sut, CHILD_TAG)
    finally:
        await cancel_quietly(csms, 531)


@oca(
    "TC_053_2_CS",
    "Use a reserved Connector with parentIdTag - Remote",
    profile=PROFILE,
    versions=V16,
    kills=("cp16-parent-id-ignored",),
    applies=RESERVES,
)
async def test_reserved_parent_remote(csms: CsmsPeer, sut: SutActions) -> None:
    """After 2.0.1 TC_H_19_CS, started remotely. §5.13, §5.11: with AuthorizeRemoteTxRequests true,
    a remote start for an idTag of the reservation's group (parentIdTag from the Authorize answer)
    starts with the reservationId."""
    await set_key(csms, "AuthorizeRemoteTxRequests", "true")
    try:
        await _parent_reserved(csms, sut, 532)
        result = await csms.call("RemoteStartTransaction", id_tag=CHILD_TAG, connector_id=1)
        result.must(status="Accepted", req="1.6 §5.11: RemoteStartTransaction Accepted")
        await started_with(csms, CHILD_TAG, 532, GROUP_STARTS)
        await stop_and_unplug(csms, sut, CHILD_TAG)
    finally:
        await cancel_quietly(csms, 532)
