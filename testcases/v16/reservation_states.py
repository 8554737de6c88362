"""Steps shared by the OCPP 1.6 reservation cases with the charge point under test
(:mod:`.test_reservation`): ReserveNow with an expiry a given time ahead, the reservations a
case made cancelled again afterwards, and the connector-0 applicability (1.6 §5.1, §5.13, §9.3).
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from typing import Any

from harness import CsmsPeer, SutActions
from harness.checks import applicable_unless, require_fields
from harness.peers.exchange import InboundCall
from harness.verdicts import SutFailure
from testcases.v16.auth_states import RESERVATION, claims, read_keys

RESERVES = claims(RESERVATION, "Reservation")
#: How long a reservation of the cases holds unless the case lets it expire (s).
HOLD_S = 120
#: What a StartTransaction for an idTag of the reservation's group owes (1.6 §5.13).
GROUP_STARTS = "1.6 §5.13: an idTag with the reservation's parentIdTag starts on the connector"
#: idTags of the reservation cases: the reserved one is the profile's valid idTag; these differ.
OTHER_TAG = "RSV-OTHER-1"
CHILD_TAG = "RSV-CHILD-1"
PARENT_TAG = "RSV-PARENT-1"


def expiry(seconds: float) -> str:
    """An expiryDate ``seconds`` from now (UTC, whole seconds)."""
    moment = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=seconds)
    return moment.isoformat().replace("+00:00", "Z")


async def reserve(
    csms: CsmsPeer,
    reservation_id: int,
    connector: int,
    tag: str,
    *,
    hold_s: float = HOLD_S,
    parent: str | None = None,
) -> str:
    """ReserveNow (§5.13); its ReservationStatus."""
    fields: dict[str, Any] = {
        "connector_id": connector,
        "expiry_date": expiry(hold_s),
        "id_tag": tag,
        "reservation_id": reservation_id,
    }
    if parent is not None:
        fields["parent_id_tag"] = parent
    result = await csms.call("ReserveNow", **fields)
    return str(result.must(req="1.6 §5.13: ReserveNow answered").get("status"))


async def cancel_quietly(csms: CsmsPeer, *reservation_ids: int) -> None:
    """The case's reservations cancelled after it (whatever the answer: clean-up only)."""
    for rid in reservation_ids:
        with contextlib.suppress(SutFailure, OSError):
            await csms.call("CancelReservation", reservation_id=rid)


async def reserved(csms: CsmsPeer, connector: int) -> None:
    """The connector reported Reserved (§4.9 status change, §7.7)."""
    await csms.expect(
        "StatusNotification",
        connector_id=connector,
        status="Reserved",
        req="1.6 §4.9: Reserved once the connector is reserved",
    )


async def started_with(
    csms: CsmsPeer,
    tag: str,
    reservation_id: int,
    req: str = "1.6 §5.13: the reserved idTag starts on the reserved connector",
) -> InboundCall:
    """StartTransaction on connector 1 for ``tag`` (``req``: that it comes) that names the
    reservation it used."""
    start = await csms.expect(
        "StartTransaction",
        connector_id=1,
        id_tag=tag,
        within_s=csms.action_s + csms.response_s,
        req=req,
    )
    require_fields(
        start.payload,
        reservationId=reservation_id,
        req="1.6 §5.13: reservationId in the StartTransaction that uses the reservation",
    )
    return start


async def stop_and_unplug(csms: CsmsPeer, sut: SutActions, tag: str) -> None:
    """The transaction stopped by its idTag and the cable taken out."""
    await sut.present_token(tag)
    await csms.expect("StopTransaction", req="1.6 §4.10: StopTransaction on local stop")
    await sut.unplug(evse_id=1)


async def occupy(csms: CsmsPeer, sut: SutActions, evse: int) -> str:
    """A transaction running on ``evse`` (cable in, an idTag of its own): the connector is
    occupied beyond doubt (§7.40). Returns the idTag that stops it."""
    tag = f"RSV-BUSY-{evse}"
    await sut.plug_in(evse_id=evse)
    await sut.present_token(tag, evse_id=evse)
    await csms.expect(
        "StartTransaction",
        id_tag=tag,
        within_s=csms.action_s + csms.response_s,
        req="precondition: a transaction occupies the connector",
    )
    return tag


async def release(csms: CsmsPeer, sut: SutActions, evse: int, tag: str) -> None:
    """The transaction of :func:`occupy` stopped by its idTag and the cable taken out."""
    await sut.present_token(tag, evse_id=evse)
    await csms.expect("StopTransaction", req="1.6 §4.10: StopTransaction on local stop")
    await sut.unplug(evse_id=evse)


async def connector_zero(csms: CsmsPeer, wanted: bool) -> None:
    """NOT-APPLICABLE unless ReserveConnectorZeroSupported (§9.3.1, optional, read-only) is
    ``wanted`` (absent counts as false)."""
    value = (await read_keys(csms, "ReserveConnectorZeroSupported"))[
        "ReserveConnectorZeroSupported"
    ]
    supported = (value or "").lower() == "true"
    applicable_unless(
        supported != wanted,
        f"needs ReserveConnectorZeroSupported {str(wanted).lower()} (the charge point has "
        f"{value!r})",
    )
