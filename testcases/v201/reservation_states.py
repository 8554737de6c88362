"""Steps shared by the block H cases with the 2.x station under test
(:mod:`.test_h_reservation`, :mod:`.test_h_reservation_any`): applicability, ReservationCtrlr
set, the OCA's reusable state Reserved (Part 6 §2.18), a reservation made and cancelled, and a
session charged and finished with a given idToken."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from harness import CsmsPeer, SutActions
from harness.catalogue import profile_slug
from harness.checks import applicable_unless, require
from harness.config import SutProfile
from harness.verdicts import Inconclusive, SutFailure
from testcases.v201.states import connector_status, get_variable, set_variable, tx_points
from testcases.v201.tx_states import (
    Session,
    ended,
    energy_transfer_started,
    ev_connected_pre_session,
    unplugged,
)

V2 = ("2.0.1", "2.1")
RESERVATION = "reservation"
COMPONENT = "ReservationCtrlr"
#: The OCA's "Configured valid_idtoken2" when the profile has no ``sut.tokens.valid2``: the
#: harness is the CSMS and accepts it in its Authorize answer.
OTHER_TOKEN = "RESV-OTHER-01"
#: The OCA's "Configured groupIdToken" of TC_H_19/24 when the profile has no ``sut.tokens.group``.
GROUP = "RESV-GROUP-01"
#: How long a reservation holds unless a case says otherwise (s): past the end of every case.
HOLD_S = 600
ACCEPTED = "H01.FR.03: ReserveNow Accepted for an available EVSE"


def reservation_applies(profile: SutProfile) -> str | None:
    """The block H station cases apply to a station that claims the Reservation profile or
    declares R-3 (ReservationEnabled)."""
    claimed = {profile_slug(p) for p in profile.claims.profiles}
    if RESERVATION in claimed or "R-3" in profile.sut.features:
        return None
    return "needs reservations (claims.profiles: reservation, or sut.features: R-3)"


def token(profile: SutProfile, *, other: bool = False) -> dict[str, str]:
    """The OCA's configured valid idToken, or (``other``) its valid_idtoken2."""
    tokens = profile.sut.tokens
    value = (tokens.valid2 or OTHER_TOKEN) if other else tokens.valid
    return {"idToken": value, "type": tokens.type}


def group(profile: SutProfile) -> str:
    """The OCA's configured groupIdToken (``sut.tokens.group``, else :data:`GROUP`)."""
    return profile.sut.tokens.group or GROUP


async def reservations_enabled(csms: CsmsPeer, *, enabled: bool = True) -> None:
    """Before: ReservationCtrlr.Available is not false, and ReservationCtrlr.Enabled is
    ``enabled`` where the station has it ("If implemented"). A station without reservations
    makes the case NOT-APPLICABLE; enabling that fails is INCONCLUSIVE, disabling that the
    station cannot do NOT-APPLICABLE."""
    available = await get_variable(csms, COMPONENT, "Available", req="B06.FR.01: GetVariables")
    absent = available.get("attributeStatus") == "Accepted" and available.get(
        "attributeValue"
    ) not in ("true", None)
    applicable_unless(absent, f"{COMPONENT}.Available is {available.get('attributeValue')}")
    wanted = "true" if enabled else "false"
    read = await get_variable(csms, COMPONENT, "Enabled", req="B06.FR.01: GetVariables answered")
    if read.get("attributeStatus") != "Accepted":
        applicable_unless(not enabled, f"the station has no {COMPONENT}.Enabled to switch off")
        return
    if read.get("attributeValue") == wanted:
        return
    result = await set_variable(csms, COMPONENT, "Enabled", wanted, req="B05.FR.01: SetVariables")
    status = result.get("attributeStatus")
    if status == "Accepted":
        return
    applicable_unless(not enabled, f"the station answers {status} to {COMPONENT}.Enabled false")
    raise Inconclusive(f"precondition: {COMPONENT}.Enabled true was answered {status}")


def _expiry(hold_s: float) -> str:
    stamp = datetime.now(UTC) + timedelta(seconds=hold_s)
    return stamp.isoformat(timespec="milliseconds").replace("+00:00", "Z")


async def reserve(
    csms: CsmsPeer,
    reservation_id: int,
    id_token: dict[str, str],
    *,
    evse_id: int | None = None,
    group_id: str | None = None,
    hold_s: float = HOLD_S,
    req: str = "H01: ReserveNow answered",
) -> str:
    """ReserveNow (H01) for ``evse_id`` (None: any EVSE) and ``id_token`` (with a groupIdToken
    ``group_id``), expiring ``hold_s`` seconds from now; its status."""
    payload: dict[str, Any] = {
        "id": reservation_id,
        "expiryDateTime": _expiry(hold_s),
        "idToken": dict(id_token),
    }
    if evse_id is not None:
        payload["evseId"] = evse_id
    if group_id is not None:
        payload["groupIdToken"] = {"idToken": group_id, "type": "Central"}
    result = await csms.call_payload("ReserveNow", payload, req=req)
    return str(result.must(req=req).get("status"))


def answer_is(status: str, wanted: str, req: str) -> None:
    require(status == wanted, req=req, expected=f"status {wanted}", actual=f"status {status}")


async def connectors_are(
    csms: CsmsPeer, profile: SutProfile, evse_id: int, status: str, *, req: str
) -> None:
    """Every connector of ``evse_id`` reported ``status`` (a StatusNotification or the
    NotifyEvent of its AvailabilityState, G01)."""
    evse = next(e for e in profile.sut.evses if e.id == evse_id)
    for connector in range(1, evse.connectors + 1):
        await connector_status(
            csms, evse_id=evse_id, connector_id=connector, status=status, req=req
        )


async def reserved(
    csms: CsmsPeer,
    profile: SutProfile,
    reservation_id: int,
    *,
    evse_id: int = 1,
    id_token: dict[str, str] | None = None,
    group_id: str | None = None,
) -> None:
    """Reusable state Reserved: ReserveNow for ``evse_id`` Accepted (H01.FR.03) and its
    connectors reported Reserved (H01.FR.23)."""
    status = await reserve(
        csms, reservation_id, id_token or token(profile), evse_id=evse_id, group_id=group_id
    )
    answer_is(status, "Accepted", ACCEPTED)
    await connectors_are(
        csms, profile, evse_id, "Reserved", req="H01.FR.23: the reserved EVSE's connectors Reserved"
    )


async def in_memory(csms: CsmsPeer, profile: SutProfile, reservation_id: int, **kw: Any) -> None:
    """The OCA's memory state "<evse> is Reserved": :func:`reserved`, INCONCLUSIVE if not met."""
    try:
        await reserved(csms, profile, reservation_id, **kw)
    except SutFailure as failure:
        raise Inconclusive(f"precondition: the EVSE could not be reserved ({failure})") from None


async def group_answered(csms: CsmsPeer, profile: SutProfile) -> tuple[str, str]:
    """Before TC_H_19/24: the cache cleared (:func:`cache_cleared`) and every Authorize
    answered Accepted with the configured groupIdToken; valid_idtoken2 and that group."""
    other, group_id = token(profile, other=True)["idToken"], group(profile)
    await cache_cleared(csms)
    info = {"status": "Accepted", "groupIdToken": {"idToken": group_id, "type": "Central"}}
    csms.set_reply("Authorize", id_token_info=info)
    return other, group_id


async def cache_cleared(csms: CsmsPeer) -> None:
    """ClearCache, best effort: an idToken the station cached without a groupIdToken (an earlier
    case's Authorize answer) is asked again, so that the station learns the group the case gives
    (H03.FR.08; a station without a cache answers Rejected, which changes nothing)."""
    with contextlib.suppress(Exception):
        await csms.call_payload("ClearCache", {}, req="before the case: the cache cleared")


async def operative_again(csms: CsmsPeer, *, evse_id: int | None = None) -> None:
    """After the case: ChangeAvailability Operative for ``evse_id`` (None: the station), best
    effort (the preconditions of the next case check the connectors again)."""
    payload: dict[str, Any] = {"operationalStatus": "Operative"}
    if evse_id is not None:
        payload["evse"] = {"id": evse_id}
    with contextlib.suppress(Exception):
        await csms.call_payload("ChangeAvailability", payload, req="after the case: Operative")


async def cancel_quietly(csms: CsmsPeer, ids: Iterable[int]) -> None:
    """After the case: CancelReservation of every id it may have made (best effort)."""
    for reservation_id in ids:
        with contextlib.suppress(Exception):
            await csms.call_payload(
                "CancelReservation",
                {"reservationId": reservation_id},
                req="after the case: no reservation left",
            )


async def use_reservation(
    csms: CsmsPeer,
    sut: SutActions,
    profile: SutProfile,
    id_token: str,
    *,
    req: str,
    reservation_id: int | None = None,
    evse_id: int = 1,
    plugged_first: bool = True,
    before_plug: Callable[[], Awaitable[None]] | None = None,
) -> Session:
    """Reusable states Authorized (``id_token`` presented on ``evse_id``, the cable in first or
    after ``before_plug``) and EnergyTransferStarted. The TransactionEvent with the idToken must
    come (``req``: the rule that lets this idToken charge there) and, for ``reservation_id``,
    carry that reservationId (H01.FR.15)."""
    session = Session(await tx_points(csms, profile), evse_id=evse_id)
    if plugged_first:
        await ev_connected_pre_session(csms, sut, session)
    await sut.present_token(id_token, evse_id=evse_id)
    if not plugged_first:
        if before_plug is not None:
            await before_plug()
        await sut.plug_in(evse_id=evse_id, connector_id=session.connector_id)
        session.plugged = True
    event = await csms.expect("TransactionEvent", id_token={"idToken": id_token}, req=req)
    session.add(event, req.split(":")[0])
    if reservation_id is not None:
        require(
            event.get("reservationId") == reservation_id,
            req="H01.FR.15: the transaction of the reserved idToken carries the reservationId",
            expected=f"reservationId {reservation_id}",
            actual=f"reservationId {event.get('reservationId')}",
        )
    await energy_transfer_started(csms, session)
    return session


async def charged(
    csms: CsmsPeer, sut: SutActions, profile: SutProfile, id_token: str, **use: Any
) -> None:
    """:func:`use_reservation` (its keywords ``use``), then :func:`finish` with the same idToken."""
    session = await use_reservation(csms, sut, profile, id_token, **use)
    await finish(csms, sut, session, id_token)


async def finish(csms: CsmsPeer, sut: SutActions, session: Session, id_token: str) -> None:
    """End the session: the same idToken where the stop point is the authorization
    (E06.FR.03), then unplug (E06.FR.02 otherwise)."""
    if session.points.stops_at_deauthorization:
        await sut.present_token(id_token, evse_id=session.evse_id)
        await ended(csms, session, req="E06: the transaction ends")
        await unplugged(csms, sut, session)
        return
    await unplugged(csms, sut, session)
    await ended(csms, session, req="E06: the transaction ends")
