"""OCA block E, offline transaction delivery with the CSMS under test (OCPP 2.0.1 and 2.1; issue 12):
the harness is the station (:class:`~testcases.v201.tx_states.StationTx`). TC_E_53_CSMS: a new
transaction starts at seqNo 0 again (E §1.3.2.1) and the CSMS answers. Beyond the OCA, the
situation that test guards against in practice: a whole transaction that happened while the
connection was down is delivered after it came back (E04/E08/E12: offline=true, timestamps
minutes in the past), its Ended event once more after a second outage (the answer was lost: the
station retries it, E13.FR.02, under a new message id as Part 4 §4.1.4 requires), and the CSMS
answers every one of them and, where it reports its bills (SUT action ``transaction_records``,
:mod:`testcases.offline_billing`), has billed each transaction exactly once with the energy
metered. Steps and criteria in our own words after OCPP 2.0.1 Part 6."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from harness import StationPeer, SutActions, oca
from harness.checks import require
from harness.config import SutProfile
from harness.peers.defaults import now_iso
from harness.peers.exchange import CallOutcome
from testcases.offline_billing import billed_once
from testcases.v201.tx_states import (
    StationTx,
    reading,
    station_ev_connected,
    station_ev_disconnected,
)

V2 = ("2.0.1", "2.1")
#: TC_E_53_CSMS's tool validation at steps 1 and 3.
SEQ_ZERO = "E01.FR.07: a new transaction's TransactionEvent Started with seqNo 0 answered"
#: A retried event (its answer was lost) is the same event: the transaction is billed once.
BILLED = "E13.FR.02/E §1.3: a retried event is the same event, the transaction is billed once"
ENERGY = "E12.FR.07/E06.FR.11: the bill's energy is the last register reading minus the first"
UNKNOWN = (
    "E05.FR.01 (MUST verify): an unknown token of a transaction started offline is not Accepted"
)
#: How long before the reconnect the offline transaction started (s), and its meter (Wh).
OFFLINE_FOR_S = 600
#: When the transaction with the unknown token started, after the offline one ended (s ago).
UNKNOWN_AGO_S = 180
START_WH = 12_000.0
OFFLINE_WH = 4_200.0


def stamp(moment: datetime) -> str:
    """RFC 3339 UTC with milliseconds, as a station writes it."""
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


async def online_transaction(tx: StationTx, energy_wh: float) -> None:
    """States EnergyTransferStarted and EVDisconnected as the station (Part 6 §3.18), the
    Started event (seqNo 0 of a new transaction) checked as TC_E_53_CSMS's steps 1/3 say; the
    energy register reads :data:`START_WH` at the start and ``energy_wh`` more at the end."""
    await station_ev_connected(tx, meter=[reading("Transaction.Begin", START_WH)], req=SEQ_ZERO)
    auth = await tx.station.call("Authorize", id_token=tx.token, req="C01: Authorize answered")
    auth.must(id_token_info={"status": "Accepted"}, req="C01: a valid token is Accepted")
    await tx.event(
        "Updated", "Authorized", id_token=tx.token, req="E02: TransactionEvent Updated answered"
    )
    await station_ev_disconnected(
        tx,
        meter=[reading("Transaction.End", START_WH + energy_wh)],
        req="E06: TransactionEvent Ended answered",
    )


async def offline_transaction(station: StationPeer, tx: StationTx) -> CallOutcome:
    """A transaction that happened while the connection was down (E04, E08): Started at plug-in,
    Authorized with the (locally known) token, a periodic reading, Ended at unplug, all queued
    with their own timestamps, ten to three minutes before the reconnect; delivered after it
    with offline=true (E12.FR.02), after a Heartbeat (E12 step 2). Returns the Ended event's
    outcome."""
    await station.disconnect()
    station.trace.event("the connection is lost: the next transaction's events are queued")
    begin = datetime.now(UTC) - timedelta(seconds=OFFLINE_FOR_S)
    at = [stamp(begin + timedelta(seconds=s)) for s in (0, 20, 300, 400)]
    await station.restore_connection(req="E12: the CSMS accepts the station's connection again")
    await station.call("Heartbeat", req="G02: Heartbeat answered").must()
    await tx.event(
        "Started",
        "CablePluggedIn",
        charging_state="EVConnected",
        timestamp=at[0],
        offline=True,
        evse={"id": tx.evse_id, "connectorId": tx.connector_id},
        meter=[reading("Transaction.Begin", START_WH, timestamp=at[0])],
        req="E12: TransactionEvent Started delivered after the reconnect answered",
    )
    await tx.event(
        "Updated",
        "Authorized",
        timestamp=at[1],
        offline=True,
        id_token=tx.token,
        req="E12: TransactionEvent Updated (Authorized) delivered after the reconnect answered",
    )
    await tx.event(
        "Updated",
        "MeterValuePeriodic",
        timestamp=at[2],
        offline=True,
        meter=[reading("Sample.Periodic", START_WH + OFFLINE_WH / 2, timestamp=at[2])],
        req="E12: TransactionEvent Updated (MeterValuePeriodic) delivered after the reconnect answered",
    )
    return await tx.event(
        "Ended",
        "EVCommunicationLost",
        charging_state="Idle",
        timestamp=at[3],
        offline=True,
        meter=[reading("Transaction.End", START_WH + OFFLINE_WH, timestamp=at[3])],
        transaction_info={"stoppedReason": "EVDisconnected"},
        req="E12: TransactionEvent Ended delivered after the reconnect answered",
    )


async def unknown_token_offline(station: StationPeer, tx: StationTx, profile: SutProfile) -> None:
    """A transaction the station started offline for a token it could not check (C15), queued
    and delivered late: Started with the unknown idToken, answered not Accepted (E05.FR.01,
    E01.FR.12), then Ended (Deauthorized once the answer came: E05.FR.10) answered."""
    tx.token = {"idToken": profile.sut.tokens.invalid, "type": profile.sut.tokens.type}
    begin = datetime.now(UTC) - timedelta(seconds=UNKNOWN_AGO_S)
    started = await tx.event(
        "Started",
        "Authorized",
        timestamp=stamp(begin),
        offline=True,
        id_token=tx.token,
        evse={"id": tx.evse_id, "connectorId": tx.connector_id},
        meter=[reading("Transaction.Begin", START_WH, timestamp=stamp(begin))],
        req="E12: TransactionEvent Started (unknown token) delivered after the reconnect answered",
    )
    status = (started.get("idTokenInfo") or {}).get("status")
    require(
        status is not None and status != "Accepted",
        req=UNKNOWN,
        expected="idTokenInfo.status Invalid or Unknown (not Accepted)",
        actual=repr(status),
        frames=started.frames,
    )
    await tx.event(
        "Ended",
        "Deauthorized",
        charging_state="EVConnected",
        timestamp=now_iso(),
        meter=[reading("Transaction.End", START_WH + 10)],
        transaction_info={"stoppedReason": "DeAuthorized"},
        req="E12: TransactionEvent Ended (unknown token) answered",
    )


@oca(
    "TC_E_53_CSMS",
    "Reset Sequence Number - CSMS accepting seqNo = 0 at start of transaction",
    profile="core",
    versions=V2,
    kills=(
        "csms-tx-seqno-reset-refused",
        "csms-tx-late-refused",
        "csms-tx-duplicate-billed",
        "csms-offline-accepts-unknown-token",
    ),
)
async def test_csms_seq_no_reset(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_E_53 (E01, E01.FR.07): state EnergyTransferStarted, then EVDisconnected, twice, two
    transactions each starting at seqNo 0; the CSMS answers each Started event (and every other
    event) with a TransactionEventResponse. Beyond the OCA (E04, E08, E11-E13): the connection is
    lost and a third transaction, again from seqNo 0, happens offline; after the reconnect its
    four events come late with offline=true and are each answered; the connection is lost once
    more before the station saw the Ended event's answer, so after the next reconnect it sends
    that event again (same seqNo and content, a new message id: Part 4 §4.1.4), which is
    answered too. Then the queue's last transaction, started offline (again from seqNo 0) with
    a token the CSMS does not know (offline authorization of unknown ids, C15): its Started
    event is answered with idTokenInfo not Accepted (E05.FR.01: the CSMS MUST verify it), its
    Ended event answered. Where the CSMS reports its bills (``transaction_records``), each of
    the three transactions with the valid token has exactly one, with the energy metered
    (Transaction.End minus Transaction.Begin)."""
    energies = (1_500.0, 2_750.0)
    done: list[tuple[StationTx, float]] = []
    for energy in energies:
        tx = StationTx.of(station, sut_profile)
        await online_transaction(tx, energy)
        done.append((tx, energy))
    offline = StationTx.of(station, sut_profile)
    ended = await offline_transaction(station, offline)
    done.append((offline, OFFLINE_WH))
    await station.disconnect()
    station.trace.event("the connection is lost before the Ended event's answer was taken")
    await station.restore_connection(req="E12: the CSMS accepts the station's connection again")
    resent = await station.call_payload(
        "TransactionEvent",
        ended.request.payload,
        req="E12: TransactionEvent Ended (re-sent) delivered after the reconnect answered",
    )
    resent.must()
    await unknown_token_offline(station, StationTx.of(station, sut_profile), sut_profile)
    for tx, energy in done:
        await billed_once(sut, station, tx.tx_id, energy, req=BILLED, energy_req=ENERGY)
