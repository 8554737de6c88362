"""OCPP 1.6 Reservation cases with the Central System under test (test case document section 21):
its operator reserves a connector or the charge point (ReserveNow, 1.6 §5.13) and cancels a
reservation (CancelReservation, §5.1); the harness charge point answers as the case's charge
point would and reports what follows (Reserved, the transaction on the reservation with its
reservationId, the expiry). The 1.6 test case document is not public: the steps are ours, after
OCPP 1.6 edition 2 §5.1, §5.13, §4.8 and 2.0.1 use cases H01-H04."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from harness import StationPeer, SutActions, oca
from harness.checks import require, require_fields, should
from harness.config import SutProfile
from harness.peers.exchange import InboundCall
from testcases.v16.csms_states import V16, authorized, start, status, stop, token

RESERVATION = "reservation"
RESERVED_TX = "1.6 §5.13: the transaction on the reservation is Accepted"
CONNECTOR_CHOSEN = "1.6 §5.13: for the connector the operator chose"
#: How long the operator's reservations last (s): TC_047 waits for the expiry.
EXPIRY_S = 2
RESERVE_KILLS = ("csms16-reserve-wrong-connector", "csms-commands-dropped")


async def _reserve(
    station: StationPeer,
    sut: SutActions,
    tag: str,
    answer: str,
    *,
    connector: int = 1,
    expiry_s: int = 60,
    before: str = "Available",
) -> InboundCall:
    """The connector is ``before``; the operator reserves ``connector`` (0: the charge point)
    for ``tag``: ReserveNow for that connector and idTag with a reservationId and an expiryDate
    (§5.13), answered ``answer``."""
    station.hold("ReserveNow")
    await status(station, before, error_code="OtherError" if before == "Faulted" else "NoError")
    await sut.reserve_now(connector, id_token=tag, expiry_in_s=expiry_s)
    request = await station.expect("ReserveNow", req="1.6 §5.13: the CSMS sends ReserveNow")
    await request.reply(status=answer)
    require_fields(request.payload, connectorId=connector, req=CONNECTOR_CHOSEN)
    got = str(request.get("idTag", ""))
    require(
        got.casefold() == tag.casefold(),
        req="1.6 §5.13: for the operator's idTag",
        expected=tag,
        actual=repr(got),
    )
    return request


async def _use(station: StationPeer, tag: str, reservation_id: int) -> None:
    """The reserved idTag comes (Authorize Accepted), plugs in and starts on the reservation:
    StartTransaction with its reservationId, Accepted (§5.13, §4.8); Charging, a local stop,
    Finishing, Available, each answered."""
    await authorized(station, tag)
    await status(station, "Preparing")
    tx_id = await start(station, tag, req=RESERVED_TX, reservation_id=reservation_id)
    await status(station, "Charging")
    await stop(station, tx_id, "Local", id_tag=tag)
    await status(station, "Finishing")
    await status(station, "Available")


@oca(
    "TC_046_CSMS",
    "Reservation of a Connector - Transaction",
    profile=RESERVATION,
    versions=V16,
    kills=(*RESERVE_KILLS, "csms16-reservation-tx-refused"),
)
async def test_reserve_connector(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """Connector 1 is reserved (Accepted, Reserved) and the reserved idTag charges on it
    (2.0.1 TC_H_01_CSMS)."""
    tag = sut_profile.sut.tokens.valid
    request = await _reserve(station, sut, tag, "Accepted")
    await status(station, "Reserved")
    await _use(station, tag, int(request["reservationId"]))


@oca(
    "TC_047_CSMS",
    "Reservation of a Connector - Expire",
    profile=RESERVATION,
    versions=V16,
    kills=(*RESERVE_KILLS, "csms16-status-refused"),
)
async def test_reservation_expires(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """A reservation of a few seconds (Accepted, Reserved) runs out unused: at its expiryDate
    the charge point makes the connector Available again (§5.13), answered (2.0.1
    TC_H_07_CSMS)."""
    request = await _reserve(
        station, sut, sut_profile.sut.tokens.valid, "Accepted", expiry_s=EXPIRY_S
    )
    await status(station, "Reserved")
    await asyncio.sleep(_until(str(request.get("expiryDate", ""))))
    await status(station, "Available")


def _until(expiry: str) -> float:
    """Seconds until ``expiry`` (an RFC 3339 time), between 0 and EXPIRY_S + 1."""
    try:
        moment = datetime.fromisoformat(expiry.replace("Z", "+00:00"))
    except ValueError:
        return 0.0
    return min(max((moment - datetime.now(UTC)).total_seconds(), 0.0), EXPIRY_S + 1.0)


async def _refused(
    station: StationPeer, sut: SutActions, tag: str, answer: str, before: str
) -> None:
    """The operator reserves a connector that is ``before``: answered ``answer`` (§5.13); the
    Central System goes on answering, and the connector is Available again."""
    await _reserve(station, sut, tag, answer, before=before)
    await status(station, "Available")


@oca(
    "TC_048_1_CSMS",
    "Reservation of a Connector - Faulted",
    profile=RESERVATION,
    versions=V16,
    kills=RESERVE_KILLS,
)
async def test_reserve_faulted(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """A Faulted connector: ReserveNow answered Faulted (§5.13)."""
    await _refused(station, sut, sut_profile.sut.tokens.valid, "Faulted", "Faulted")


@oca(
    "TC_048_2_CSMS",
    "Reservation of a Connector - Occupied",
    profile=RESERVATION,
    versions=V16,
    kills=RESERVE_KILLS,
)
async def test_reserve_occupied(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """An occupied connector (a cable in, Preparing): ReserveNow answered Occupied (§5.13)."""
    await _refused(station, sut, sut_profile.sut.tokens.valid, "Occupied", "Preparing")


@oca(
    "TC_048_3_CSMS",
    "Reservation of a Connector - Unavailable",
    profile=RESERVATION,
    versions=V16,
    kills=RESERVE_KILLS,
)
async def test_reserve_unavailable(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """An Unavailable connector: ReserveNow answered Unavailable (§5.13)."""
    await _refused(station, sut, sut_profile.sut.tokens.valid, "Unavailable", "Unavailable")


@oca(
    "TC_048_4_CSMS",
    "Reservation of a Connector - Rejected",
    profile=RESERVATION,
    versions=V16,
    kills=RESERVE_KILLS,
)
async def test_reserve_rejected(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """A charge point configured not to take reservations: ReserveNow answered Rejected
    (§5.13; 2.0.1 TC_H_22_CSMS)."""
    await _refused(station, sut, sut_profile.sut.tokens.valid, "Rejected", "Available")


@oca(
    "TC_049_CSMS",
    "Reservation of a Charge Point - Transaction",
    profile=RESERVATION,
    versions=V16,
    kills=(*RESERVE_KILLS, "csms16-reservation-tx-refused"),
)
async def test_reserve_charge_point(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """The operator reserves the charge point, no particular connector: ReserveNow for connector
    0 (§5.13, ReserveConnectorZeroSupported), Accepted; the reserved idTag then charges on
    connector 1 with the reservationId (2.0.1 TC_H_08_CSMS)."""
    tag = sut_profile.sut.tokens.valid
    request = await _reserve(station, sut, tag, "Accepted", connector=0)
    await _use(station, tag, int(request["reservationId"]))


async def _cancel(station: StationPeer, sut: SutActions, reservation_id: int, answer: str) -> None:
    station.hold("CancelReservation")
    await sut.cancel_reservation(reservation_id)
    request = await station.expect(
        "CancelReservation", req="1.6 §5.1: the CSMS sends CancelReservation"
    )
    await request.reply(status=answer)
    require_fields(
        request.payload,
        reservationId=reservation_id,
        req="1.6 §5.1: the reservation the operator chose",
    )


CANCEL_KILLS = ("csms16-cancel-wrong-reservation", "csms-commands-dropped")


@oca(
    "TC_051_CSMS",
    "Cancel Reservation",
    profile=RESERVATION,
    versions=V16,
    kills=CANCEL_KILLS,
)
async def test_cancel_reservation(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """Connector 1 is reserved (Accepted, Reserved); the operator cancels that reservation:
    CancelReservation with its reservationId (§5.1; 2.0.1 TC_H_17_CSMS), Accepted, and the
    connector is Available again (answered)."""
    request = await _reserve(station, sut, sut_profile.sut.tokens.valid, "Accepted")
    await status(station, "Reserved")
    await _cancel(station, sut, int(request["reservationId"]), "Accepted")
    await status(station, "Available")


@oca(
    "TC_052_CSMS",
    "Cancel Reservation - Rejected",
    profile=RESERVATION,
    versions=V16,
    kills=CANCEL_KILLS,
)
async def test_cancel_reservation_rejected(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """The operator cancels a reservation the charge point no longer has (it had refused it):
    CancelReservation with that reservationId, answered Rejected (§5.1); the Central System
    goes on answering (a Heartbeat)."""
    request = await _reserve(station, sut, sut_profile.sut.tokens.valid, "Rejected")
    await _cancel(station, sut, int(request["reservationId"]), "Rejected")
    await station.call("Heartbeat", req="1.6 §4.6: Heartbeat answered").must()


@oca(
    "TC_053_CSMS",
    "Use a Reserved Connector with parentIdTag",
    profile=RESERVATION,
    versions=V16,
    kills=(*RESERVE_KILLS, "csms16-reservation-tx-refused"),
)
async def test_reserved_parent_id_tag(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """Before: ``sut.tokens.valid`` and ``valid2`` share the parentIdTag ``sut.tokens.group``.
    Connector 1 is reserved for the first (Accepted, Reserved); the second comes: Authorize Accepted
    (its parentIdTag, which lets the charge point match the reservation, is a MAY of §5.13 since the
    errata 4.12: a warning when absent), and its transaction on the reservation is Accepted (2.0.1
    TC_H_19_CSMS)."""
    first, second, group = (token(sut_profile, k) for k in ("valid", "valid2", "group"))
    request = await _reserve(station, sut, first, "Accepted")
    should(
        station,
        str(request.get("parentIdTag", "")).casefold() == group.casefold(),
        req="1.6 §5.13: ReserveNow names the idTag's parentIdTag",
        expected=group,
        actual=repr(request.get("parentIdTag")),
    )
    await status(station, "Reserved")
    outcome = await station.call("Authorize", id_tag=second, req="1.6 §4.1: Authorize answered")
    info = outcome.must().get("idTagInfo") or {}
    require(
        info.get("status") == "Accepted",
        req="1.6 §4.1: a valid idTag is Accepted",
        expected="Accepted",
        actual=repr(info.get("status")),
        frames=outcome.frames,
    )
    should(
        station,
        str(info.get("parentIdTag", "")).casefold() == group.casefold(),
        req="1.6 §5.13: the Authorize answer gives the parentIdTag",
        expected=group,
        actual=repr(info.get("parentIdTag")),
    )
    await status(station, "Preparing")
    tx_id = await start(
        station, second, req=RESERVED_TX, reservation_id=int(request["reservationId"])
    )
    await status(station, "Charging")
    await stop(station, tx_id, "Local", id_tag=second)
    await status(station, "Finishing")
    await status(station, "Available")
