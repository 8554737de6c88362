"""OCA block H (Reservation), OCPP 2.0.1 and 2.1, the CSMS under test (the harness is the
station): TC_H_01, 07, 08, 14, 17, 19, 20, 22 _CSMS. Steps and criteria in our own words after
OCPP 2.0.1 Part 6 §3.9 and Part 2 H01-H04.

The operator has the CSMS reserve an EVSE (action ``reserve_now`` with ``evse_id``, 0 for any
EVSE, ``id_token`` and ``expiry_in_s``) or cancel a reservation (``cancel_reservation``). Every
ReserveNow is checked as the OCA's tool validations say: the EVSE asked for (EVSE 1, the OCA's
"Configured evseId", or none), no connectorType, the configured valid idToken and its type. The
harness station answers as the case's station would, reports its connectors and, where the case
says so, the end of the reservation (ReservationStatusUpdate), which the CSMS must answer.

TC_H_15_CSMS has the operator reserve a connector of type :data:`CONNECTOR_TYPE` (the OCA's
"Configured connectorType": the harness station's connectors are of that type)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from harness import StationPeer, SutActions, oca
from harness.checks import require, require_fields
from harness.config import SutProfile
from harness.peers.defaults import now_iso
from harness.peers.exchange import InboundCall
from harness.verdicts import Inconclusive
from testcases.v201.reservation_states import RESERVATION, V2

#: The type of the harness station's connectors (TC_H_15_CSMS).
CONNECTOR_TYPE = "cType2"
#: The operator's reservation in TC_H_07_CSMS (s): the harness waits for its expiry.
EXPIRY_S = 2
SENT = "H01: the CSMS sends ReserveNowRequest"
RESERVE_KILLS = ("csms-reserve-wrong-evse", "csms-commands-dropped")
ANY_KILLS = ("csms-reserve-any-names-evse",)
UPDATE_KILLS = ("csms-reservation-update-refused",)


async def _status(station: StationPeer, status: str, *, evse_id: int = 1) -> None:
    """A StatusNotification of EVSE ``evse_id``'s connector 1, answered (G01)."""
    await station.call(
        "StatusNotification",
        timestamp=now_iso(),
        connector_status=status,
        evse_id=evse_id,
        connector_id=1,
    ).must(req="G01: StatusNotification answered")


async def _reserve(
    station: StationPeer,
    sut: SutActions,
    profile: SutProfile,
    *,
    evse_id: int = 1,
    answer: str = "Accepted",
    expiry_s: int = 60,
    connector_type: str | None = None,
) -> InboundCall:
    """The operator reserves ``evse_id`` (0: any EVSE; or a ``connector_type``) for the valid
    idToken: the ReserveNow, answered ``answer`` and checked (see the module docstring)."""
    station.hold("ReserveNow")
    tokens = profile.sut.tokens
    typed = {"connector_type": connector_type} if connector_type else {}
    await sut.reserve_now(evse_id, id_token=tokens.valid, expiry_in_s=expiry_s, **typed)
    request = await station.expect("ReserveNow", req=SENT)
    await request.reply(status=answer)
    if connector_type:
        require_fields(
            request.payload, connectorType=connector_type, req="H01 S3: the connectorType"
        )
    elif evse_id:
        require_fields(request.payload, evseId=evse_id, req="H01: the EVSE the operator chose")
    else:
        require(
            "evseId" not in request.payload,
            req="H01 S1: no evseId for a reservation of any EVSE",
            expected="evseId omitted",
            actual=f"evseId {request.get('evseId')}",
        )
    require(
        "connectorType" not in request.payload or bool(connector_type),
        req="H01: no connectorType in a reservation of an EVSE",
        expected="connectorType omitted",
        actual=repr(request.get("connectorType")),
    )
    token = request.get("idToken") or {}
    require(
        str(token.get("idToken", "")).casefold() == tokens.valid.casefold()
        and token.get("type") == tokens.type,
        req="H01: the configured valid idToken",
        expected=f"{tokens.valid} ({tokens.type})",
        actual=f"{token.get('idToken')} ({token.get('type')})",
    )
    return request


async def _ended(station: StationPeer, request: InboundCall, status: str) -> None:
    """The harness station reports the reservation's end: ReservationStatusUpdate ``status``
    with the id of ``request``; the CSMS must answer it (H04.FR.01, H01.FR.16/17)."""
    await station.call(
        "ReservationStatusUpdate",
        reservation_id=request.get("id"),
        reservation_update_status=status,
    ).must(req="H04.FR.01: ReservationStatusUpdate answered")


@oca(
    "TC_H_01_CSMS",
    "Reserve a specific EVSE - Accepted - Valid idToken",
    profile=RESERVATION,
    versions=V2,
    kills=RESERVE_KILLS,
)
async def test_reserve_specific(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_H_01_CSMS: reusable state Reserved: the ReserveNow for EVSE 1 (checked), Accepted;
    its connector reported Reserved and answered."""
    await _reserve(station, sut, sut_profile)
    await _status(station, "Reserved")


@oca(
    "TC_H_07_CSMS",
    "Reserve a specific EVSE - Reservation Ended / not used",
    profile=RESERVATION,
    versions=V2,
    kills=("csms-reserve-expired", *UPDATE_KILLS),
)
async def test_reservation_expires(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_H_07_CSMS: the operator reserves EVSE 1 for :data:`EXPIRY_S` seconds; the ReserveNow
    (checked) has an expiryDateTime ahead of its arrival (steps 1-2); Reserved (3-4); once that
    time passed, Available (5-6) and ReservationStatusUpdate Expired with its id, answered
    (7-8)."""
    request = await _reserve(station, sut, sut_profile, expiry_s=EXPIRY_S)
    received = datetime.now(UTC)
    stamp = str(request.get("expiryDateTime", ""))
    try:
        expiry = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        expiry = received
    require(
        expiry > received,
        req="H01: an expiryDateTime ahead of the reservation",
        expected=f"after {received.isoformat(timespec='seconds')}",
        actual=stamp,
    )
    await _status(station, "Reserved")
    left = (expiry - datetime.now(UTC)).total_seconds()
    if left > station.action_s + EXPIRY_S:
        raise Inconclusive(f"the reservation runs until {stamp}: longer than the case waits")
    await asyncio.sleep(max(0.0, left))
    await _status(station, "Available")
    await _ended(station, request, "Expired")


@oca(
    "TC_H_08_CSMS",
    "Reserve an unspecified EVSE - Accepted",
    profile=RESERVATION,
    versions=V2,
    kills=ANY_KILLS,
    condition="R-2",
)
async def test_reserve_any(station: StationPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """TC_H_08_CSMS: the operator reserves any EVSE: the ReserveNow has no evseId (checked),
    Accepted; with one EVSE configured its connector is reported Reserved (step 3)."""
    await _reserve(station, sut, sut_profile, evse_id=0)
    if len(sut_profile.sut.evses) == 1:
        await _status(station, "Reserved", evse_id=sut_profile.sut.evses[0].id)


@oca(
    "TC_H_14_CSMS",
    "Reserve an unspecified EVSE - Amount of EVSEs available equals the amount of reservations",
    profile=RESERVATION,
    versions=V2,
    kills=ANY_KILLS,
    condition="R-2",
)
async def test_reserve_any_all(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_H_14_CSMS: as many reservations of any EVSE as the station has EVSEs (each ReserveNow
    without evseId, checked, Accepted); then every connector is reported Reserved, answered."""
    for _ in sut_profile.sut.evses:
        await _reserve(station, sut, sut_profile, evse_id=0)
    for evse in sut_profile.sut.evses:
        await _status(station, "Reserved", evse_id=evse.id)


@oca(
    "TC_H_15_CSMS",
    "Reserve a connector with a specific type - Success",
    profile=RESERVATION,
    versions=V2,
    kills=("csms-reserve-type-dropped",),
    condition="R-1",
)
async def test_reserve_type(station: StationPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """TC_H_15_CSMS: the operator reserves a connector of type :data:`CONNECTOR_TYPE`: the
    ReserveNow has that connectorType and no evseId (checked), Accepted; Reserved, answered."""
    request = await _reserve(station, sut, sut_profile, evse_id=0, connector_type=CONNECTOR_TYPE)
    require(
        "evseId" not in request.payload,
        req="H01 S3: no evseId for a reservation of a connector type",
        expected="evseId omitted",
        actual=f"evseId {request.get('evseId')}",
    )
    await _status(station, "Reserved")


@oca(
    "TC_H_17_CSMS",
    "Cancel reservation of an EVSE - Success",
    profile=RESERVATION,
    versions=V2,
    kills=("csms-cancel-wrong-reservation", *RESERVE_KILLS),
)
async def test_cancel(station: StationPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """TC_H_17_CSMS: EVSE 1 reserved (steps 1-4); the operator cancels that reservation: the
    CancelReservation names the id of step 1 (H02), Accepted; Available, answered (5-8)."""
    request = await _reserve(station, sut, sut_profile)
    await _status(station, "Reserved")
    station.hold("CancelReservation")
    await sut.cancel_reservation(int(request.get("id", 0)))
    cancel = await station.expect(
        "CancelReservation", req="H02: the CSMS sends CancelReservationRequest"
    )
    await cancel.reply(status="Accepted")
    require_fields(
        cancel.payload,
        reservationId=request.get("id"),
        req="H02: the reservation the operator chose",
    )
    await _status(station, "Available")


@oca(
    "TC_H_19_CSMS",
    "Reserve a specific EVSE - Use a reserved EVSE with GroupId",
    profile=RESERVATION,
    versions=V2,
    kills=("csms-reserve-no-group",),
)
async def test_reserve_group(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_H_19_CSMS: the operator reserves EVSE 1 for the valid idToken, whose groupIdToken the
    CSMS holds (``sut.tokens.group``; INCONCLUSIVE without it): the ReserveNow (checked) carries
    a groupIdToken (H03.FR.04), Accepted; Reserved, answered."""
    if not sut_profile.sut.tokens.group:
        raise Inconclusive("needs sut.tokens.group: the groupIdToken the CSMS holds for valid")
    request = await _reserve(station, sut, sut_profile)
    require(
        bool((request.get("groupIdToken") or {}).get("idToken")),
        req="H03.FR.04: the groupIdToken of the reserved idToken",
        expected="groupIdToken provided",
        actual=repr(request.get("groupIdToken")),
    )
    await _status(station, "Reserved")


@oca(
    "TC_H_20_CSMS",
    "Charging Station cancels reservation when Faulted",
    profile=RESERVATION,
    versions=V2,
    kills=UPDATE_KILLS,
)
async def test_faulted_removes(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_H_20_CSMS: EVSE 1 reserved (steps 1-4); its connector reported Faulted (5-6); the
    station reports the reservation Removed (H01.FR.16), answered (7-8). The connector is
    reported Available after."""
    request = await _reserve(station, sut, sut_profile)
    await _status(station, "Reserved")
    await _status(station, "Faulted")
    await _ended(station, request, "Removed")
    await _status(station, "Available")


@oca(
    "TC_H_22_CSMS",
    "Reserve a specific EVSE - Configured to Reject",
    profile=RESERVATION,
    versions=V2,
    kills=("csms-commands-dropped",),
)
async def test_reserve_rejected(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_H_22_CSMS: the ReserveNow (checked) is answered Rejected (steps 1-2); the CSMS goes on
    (a Heartbeat answered: the OCA has no tool validation here)."""
    await _reserve(station, sut, sut_profile, answer="Rejected")
    (await station.call("Heartbeat")).must(req="H01.FR.01: the CSMS goes on after a Rejected")
