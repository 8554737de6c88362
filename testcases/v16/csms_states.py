"""Steps shared by the OCPP 1.6 central system cases (the harness is the charge point):
connector statuses, authorization and a transaction as a 1.6 charge point reports them. Every
step requires its CALL answered with a CALLRESULT (1.6 §4: the Central System SHALL respond)."""

from __future__ import annotations

from typing import Any

from harness import StationPeer
from harness.checks import require
from harness.config import SutProfile
from harness.peers.defaults import now_iso
from harness.peers.exchange import CallOutcome
from harness.verdicts import Inconclusive

V16 = ("1.6",)
CONNECTOR = 1
STATUS_ANSWERED = "1.6 §4.9: StatusNotification answered"
TX_ACCEPTED = "1.6 §4.8: the transaction's idTag is Accepted"
METER_START = 1000


async def status(
    station: StationPeer, value: str, *, error_code: str = "NoError", connector: int = CONNECTOR
) -> None:
    """StatusNotification ``value`` of ``connector``, answered (1.6 §4.9)."""
    await station.call(
        "StatusNotification",
        connector_id=connector,
        error_code=error_code,
        status=value,
        req=STATUS_ANSWERED,
    ).must()


async def rebooted(station: StationPeer, profile: SutProfile) -> None:
    """The charge point boots again: a new connection, BootNotification Accepted (§4.2), then,
    as the 1.6 errata 3.22 require, a StatusNotification for connector 0 and for every connector
    (Available), each answered."""
    await station.disconnect()
    station.trace.event("the charge point reboots")
    await station.connect(req="1.6: the Central System accepts the charge point's connection")
    boot = await station.boot(req="1.6 §4.2: BootNotification answered")
    boot.must(status="Accepted", req="1.6 §4.2: a known charge point is Accepted")
    connectors = sum(evse.connectors for evse in profile.sut.evses)
    for connector in range(connectors + 1):
        await status(station, "Available", connector=connector)


async def authorize(station: StationPeer, id_tag: str) -> str:
    """Authorize ``id_tag`` (1.6 §4.1); the idTagInfo.status the Central System gives."""
    outcome = await station.call("Authorize", id_tag=id_tag, req="1.6 §4.1: Authorize answered")
    return str(outcome.must()["idTagInfo"]["status"])


async def authorized(station: StationPeer, id_tag: str) -> None:
    """Authorize ``id_tag``, a valid one: Accepted (1.6 §4.1)."""
    got = await authorize(station, id_tag)
    require(
        got == "Accepted",
        req="1.6 §4.1: a valid idTag is Accepted",
        expected="Accepted",
        actual=repr(got),
    )


async def start(
    station: StationPeer,
    id_tag: str,
    *,
    req: str = TX_ACCEPTED,
    reservation_id: int | None = None,
) -> int:
    """StartTransaction for ``id_tag`` on the connector (on reservation ``reservation_id``, 1.6
    §5.13); its idTag must be Accepted (``req``) and a transactionId (integer) given (§4.8).
    Returns that transactionId."""
    extra: dict[str, Any] = {}
    if reservation_id is not None:
        extra["reservation_id"] = reservation_id
    outcome = await station.call(
        "StartTransaction",
        connector_id=CONNECTOR,
        id_tag=id_tag,
        meter_start=METER_START,
        timestamp=now_iso(),
        req="1.6 §4.8: StartTransaction answered",
        **extra,
    )
    outcome.must()
    tx_id = outcome.get("transactionId")
    require(
        isinstance(tx_id, int) and not isinstance(tx_id, bool),
        req="1.6 §4.8: a transactionId is given",
        expected="transactionId (integer)",
        actual=repr(tx_id),
        frames=outcome.frames,
    )
    got = (outcome.get("idTagInfo") or {}).get("status")
    require(
        got == "Accepted", req=req, expected="Accepted", actual=repr(got), frames=outcome.frames
    )
    return int(tx_id)


async def stop(
    station: StationPeer, tx_id: int, reason: str, *, id_tag: str | None = None
) -> CallOutcome:
    """StopTransaction of ``tx_id`` with ``reason``, answered (1.6 §4.10)."""
    fields: dict[str, Any] = {"id_tag": id_tag} if id_tag is not None else {}
    outcome = await station.call(
        "StopTransaction",
        transaction_id=tx_id,
        meter_stop=METER_START + 1500,
        timestamp=now_iso(),
        reason=reason,
        req="1.6 §4.10: StopTransaction answered",
        **fields,
    )
    return outcome.must()


async def charging(station: StationPeer, id_tag: str) -> int:
    """Plugged in, authorized, transaction started, Charging: the transactionId."""
    await status(station, "Preparing")
    await authorized(station, id_tag)
    tx_id = await start(station, id_tag)
    await status(station, "Charging")
    return tx_id


def token(profile: SutProfile, key: str) -> str:
    """The profile's ``sut.tokens.<key>``; INCONCLUSIVE when not configured."""
    value = getattr(profile.sut.tokens, key)
    if value is None:
        raise Inconclusive(
            f"precondition: sut.tokens.{key} is not configured (set it to an idTag the Central "
            "System holds as the case needs; see the README, 'Tokens')"
        )
    return str(value)
