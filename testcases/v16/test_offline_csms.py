"""OCPP 1.6 offline transactions with the Central System under test (issue 12; the harness plays
the charge point): TC_037_1_CSMS, TC_037_3_CSMS and TC_039_CSMS. The 1.6 test case document is
not public: the ids and titles are the catalogue's (``harness/catalogue/ocpp16-csms.tsv``), the
steps ours, after OCPP 1.6 edition 2 §3.5.4 (unknown offline authorization), §3.7
(transaction-related messages are queued while offline and delivered in order afterwards) and
§4.7/§4.8/§4.10, and the OCA 2.0.1 use cases E04/E08/E12 each docstring names.

The charge point loses its connection, a transaction happens (in part) offline, and after the
connection is restored (no reboot: no BootNotification) the queued StartTransaction, MeterValues
and StopTransaction (with transactionData) come with their own, past timestamps. The Central
System must answer each: StopTransaction.conf and MeterValues.conf are SHALLs (§4.10, §4.7), the
StartTransaction.conf MUST carry a transaction id and the idTag's status, verified by the Central
System (§4.8). Where it reports its bills (SUT action ``transaction_records``,
:mod:`testcases.offline_billing`), each transaction is billed once with meterStop - meterStart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from harness import StationPeer, SutActions, oca
from harness.checks import require
from harness.config import SutProfile
from harness.peers.exchange import CallOutcome
from testcases.offline_billing import billed_once

V16 = ("1.6",)
CONNECTOR = 1
START = "1.6 §4.8: StartTransaction delivered after the reconnect answered (transaction id, status)"
VERIFIED = "1.6 §4.8 (MUST verify the idTag): an unknown idTag of a transaction started offline is not Accepted"
VALID = "1.6 §4.8: the valid idTag of a transaction started offline is Accepted"
METER = "1.6 §4.7: MeterValues delivered after the reconnect answered"
STOP = "1.6 §4.10: StopTransaction delivered after the reconnect answered"
RESENT = "1.6 §4.10: StopTransaction re-sent after the reconnect answered"
BILLED = (
    "1.6 §3.7/§4.10: a re-sent StopTransaction is the same stop, the transaction is billed once"
)
ENERGY = "1.6 §4.10: the bill's energy is meterStop minus meterStart"
METER_START = 20_000
ENERGY_WH = 3_600


def stamp(moment: datetime) -> str:
    """RFC 3339 UTC with milliseconds."""
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def ago(seconds: float) -> str:
    return stamp(datetime.now(UTC) - timedelta(seconds=seconds))


def sample(wh: float, context: str, at: str) -> dict[str, Any]:
    """One MeterValue of the energy register (§7.31 SampledValue: Wh, active import)."""
    value = {
        "value": str(int(wh)),
        "context": context,
        "measurand": "Energy.Active.Import.Register",
        "unit": "Wh",
    }
    return {"timestamp": at, "sampledValue": [value]}


async def status(station: StationPeer, value: str) -> None:
    await station.call(
        "StatusNotification",
        connector_id=CONNECTOR,
        error_code="NoError",
        status=value,
        req="1.6 §4.9: StatusNotification answered",
    ).must()


async def connection_lost(station: StationPeer) -> None:
    """The connection drops; what happens now is queued (§3.7)."""
    await station.disconnect()
    station.trace.event("the connection is lost: transaction-related messages are queued")


async def connection_back(station: StationPeer) -> None:
    """The connection is restored (no reboot), a Heartbeat first (as E12 step 2)."""
    await station.restore_connection(req="1.6: the Central System accepts the connection again")
    await station.call("Heartbeat", req="1.6 §4.6: Heartbeat answered").must()


async def offline_start(station: StationPeer, id_tag: str, started: str) -> CallOutcome:
    """The queued StartTransaction of a transaction started offline at ``started``."""
    outcome = await station.call(
        "StartTransaction",
        connector_id=CONNECTOR,
        id_tag=id_tag,
        meter_start=METER_START,
        timestamp=started,
        req=START,
    )
    outcome.must(req=START)
    require(
        isinstance(outcome.get("transactionId"), int)
        and isinstance((outcome.get("idTagInfo") or {}).get("status"), str),
        req=START,
        expected="transactionId (integer) and idTagInfo.status",
        actual=str(outcome.payload),
        frames=outcome.frames,
    )
    return outcome


async def stop(
    station: StationPeer,
    tx_id: int,
    *,
    at: str,
    reason: str,
    data: list[dict[str, Any]],
    id_tag: str | None = None,
) -> CallOutcome:
    """StopTransaction with transactionData (§4.10), answered with StopTransaction.conf."""
    fields: dict[str, Any] = {"id_tag": id_tag} if id_tag else {}
    outcome = await station.call(
        "StopTransaction",
        transaction_id=tx_id,
        meter_stop=METER_START + ENERGY_WH,
        timestamp=at,
        reason=reason,
        transaction_data=data,
        req=STOP,
        **fields,
    )
    return outcome.must(req=STOP)


@oca(
    "TC_037_1_CSMS",
    "Offline Start Transaction - Valid IdTag",
    profile="core",
    versions=V16,
    kills=("csms-tx-late-refused",),
)
async def test_central_system_offline_start_valid(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_037_1_CSMS (1.6 §3.5, §3.7, §4.8; after 2.0.1 E04/E11): the connection drops; the
    valid idTag is presented and authorized locally, a transaction starts (Charging) five
    minutes before the connection comes back. Then the queued StartTransaction (its own past
    timestamp) is answered with a transaction id and Accepted, and so are the queued MeterValues
    of a reading taken while offline; the transaction goes on online and the same idTag stops
    it: StopTransaction with transactionData (Transaction.Begin, Transaction.End) answered.
    Where the Central System reports bills: one, of meterStop - meterStart."""
    tag = sut_profile.sut.tokens.valid
    await connection_lost(station)
    await connection_back(station)  # Preparing/Charging were not queued (not transaction-related)
    await status(station, "Charging")
    started = ago(300)
    start = await offline_start(station, tag, started)
    start.must(id_tag_info={"status": "Accepted"}, req=VALID)
    tx_id = int(start["transactionId"])
    await station.call(
        "MeterValues",
        connector_id=CONNECTOR,
        transaction_id=tx_id,
        meter_value=[sample(METER_START + ENERGY_WH / 2, "Sample.Periodic", ago(180))],
        req=METER,
    ).must()
    now = ago(0)
    data = [
        sample(METER_START, "Transaction.Begin", started),
        sample(METER_START + ENERGY_WH, "Transaction.End", now),
    ]
    await stop(station, tx_id, at=now, reason="Local", data=data, id_tag=tag)
    await status(station, "Finishing")
    await status(station, "Available")
    await billed_once(sut, station, tx_id, ENERGY_WH, req=BILLED, energy_req=ENERGY)


@oca(
    "TC_037_3_CSMS",
    "Offline Start Transaction - Invalid IdTag - StopTransactionOnInvalidId = true",
    profile="core",
    versions=V16,
    kills=("csms-offline-accepts-unknown-token",),
)
async def test_central_system_offline_start_invalid(
    station: StationPeer, sut_profile: SutProfile
) -> None:
    """TC_037_3_CSMS (1.6 §3.5.4, §4.8; after 2.0.1 E04/E05): the connection drops; an idTag
    the Central System does not know starts a transaction offline (unknown offline
    authorization, AllowOfflineTxForUnknownId). After the reconnect the queued StartTransaction
    is answered with a transaction id and a status other than Accepted (the Central System
    MUST verify the idTag, §4.8); with StopTransactionOnInvalidId true the charge point stops it
    (reason DeAuthorized, §3.5.4) and that StopTransaction with transactionData is answered."""
    await connection_lost(station)
    await connection_back(station)
    await status(station, "Charging")
    started = ago(240)
    start = await offline_start(station, sut_profile.sut.tokens.invalid, started)
    verdict = (start.get("idTagInfo") or {}).get("status")
    require(
        verdict != "Accepted",
        req=VERIFIED,
        expected="idTagInfo.status Invalid (or Blocked, Expired)",
        actual=repr(verdict),
        frames=start.frames,
    )
    now = ago(0)
    data = [
        sample(METER_START, "Transaction.Begin", started),
        sample(METER_START + ENERGY_WH, "Transaction.End", now),
    ]
    await stop(station, int(start["transactionId"]), at=now, reason="DeAuthorized", data=data)
    await status(station, "Finishing")
    await status(station, "Available")


@oca(
    "TC_039_CSMS",
    "Offline Transaction",
    profile="core",
    versions=V16,
    kills=("csms-tx-late-refused", "csms-tx-duplicate-billed"),
)
async def test_central_system_offline_transaction(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_039_CSMS (1.6 §3.7, §4.7, §4.8, §4.10; after 2.0.1 E12 and TC_E_43's station side):
    a whole transaction happens while the connection is down (started ten minutes before the
    reconnect, a periodic reading, stopped a minute before). After the reconnect its queued
    messages come in order with their own timestamps: StartTransaction (a transaction id,
    Accepted), MeterValues with the id it got (MeterValues.conf) and StopTransaction with
    transactionData (StopTransaction.conf). Beyond the 1.6 document: the connection drops again
    before the charge point saw that answer, so after the next reconnect it sends the same
    StopTransaction once more under the same unique id (OCPP-J 1.6 does not forbid it), which
    is answered too; where the Central System reports bills, the transaction has one, of
    meterStop - meterStart."""
    tag = sut_profile.sut.tokens.valid
    await connection_lost(station)
    at = [ago(600), ago(300), ago(60)]
    await connection_back(station)
    start = await offline_start(station, tag, at[0])
    start.must(id_tag_info={"status": "Accepted"}, req=VALID)
    tx_id = int(start["transactionId"])
    await station.call(
        "MeterValues",
        connector_id=CONNECTOR,
        transaction_id=tx_id,
        meter_value=[sample(METER_START + ENERGY_WH / 2, "Sample.Periodic", at[1])],
        req=METER,
    ).must()
    data = [
        sample(METER_START, "Transaction.Begin", at[0]),
        sample(METER_START + ENERGY_WH / 2, "Sample.Periodic", at[1]),
        sample(METER_START + ENERGY_WH, "Transaction.End", at[2]),
    ]
    stopped = await stop(station, tx_id, at=at[2], reason="Local", data=data, id_tag=tag)
    await connection_lost(station)
    await connection_back(station)
    again = await station.call_payload(
        "StopTransaction",
        stopped.request.payload,
        req=RESENT,
        unique_id=stopped.request.unique_id,
    )
    again.must(req=RESENT)
    await billed_once(sut, station, tx_id, ENERGY_WH, req=BILLED, energy_req=ENERGY)
