"""OCA block E, transaction status (use case E14), station under test, OCPP 2.0.1 and 2.1:
TC_E_28_CS - TC_E_34_CS. The harness asks GetTransactionStatus for an unknown, a running and an
ended transaction and without a transactionId, each with and without transaction messages still
queued at the station; "in queue" is made real by taking the station offline while its
transaction produces events and answering nothing of them until the question has been asked.
Steps and criteria in our own words after OCPP 2.0.1 Part 6 (errata 2025-09 applied)."""

from __future__ import annotations

import asyncio
import uuid

from harness import CsmsPeer, SutActions, oca
from harness.checks import require
from harness.config import SutProfile
from harness.netfaults import NetworkFaults
from harness.peers.exchange import CallOutcome
from testcases.v201.offline_states import (
    BACKOFF_S,
    check_energy,
    check_sequence,
    delivered_queue,
    end_transaction,
    offline_preparation,
)
from testcases.v201.tx_states import charging, stop_charging

V2 = ("2.0.1", "2.1")
#: How long a real station gets for the manual stop steps of TC_E_31 while offline.
TX_DURATION_S = 2.0


def _no_ongoing(outcome: CallOutcome) -> None:
    """E14.FR.06: without a transactionId the answer has no ongoingIndicator."""
    require(
        "ongoingIndicator" not in outcome.payload,
        req="E14.FR.06: no ongoingIndicator in the answer to a request without transactionId",
        expected="ongoingIndicator omitted",
        actual=f"ongoingIndicator {outcome.payload.get('ongoingIndicator')!r}",
        frames=outcome.frames,
    )


async def _status(csms: CsmsPeer, tx_id: str | None) -> CallOutcome:
    if tx_id is None:
        return await csms.call("GetTransactionStatus")
    return await csms.call("GetTransactionStatus", transaction_id=tx_id)


@oca(
    "TC_E_28_CS",
    "Check Transaction status - TransactionId unknown",
    profile="core",
    versions=V2,
    kills=("tx-status-always-ongoing", "tx-status-queue-always"),
)
async def test_status_unknown_transaction(csms: CsmsPeer) -> None:
    """TC_E_28 (E14.FR.01): GetTransactionStatus for a transactionId the station never used:
    ongoingIndicator false and messagesInQueue false."""
    outcome = await _status(csms, f"UNKNOWN-{uuid.uuid4().hex[:16]}")
    outcome.must(
        ongoing_indicator=False,
        messages_in_queue=False,
        req="E14.FR.01: an unknown transaction is neither ongoing nor queued",
    )


async def _ongoing_with_queue(
    csms: CsmsPeer, sut: SutActions, profile: SutProfile, *, with_id: bool
) -> None:
    """TC_E_29/E_33: the station offline during its transaction for the back-off, the question
    asked the moment it is back (its queued events held unanswered meanwhile), then the queue
    delivered: Updated events with meter values and offline true."""
    await offline_preparation(csms)
    session = await charging(csms, sut, profile)
    await csms.settle_replies()
    async with NetworkFaults(csms) as net:
        csms.hold("TransactionEvent")
        await net.offline(BACKOFF_S - 1)
        await csms.wait_connected(BACKOFF_S + csms.action_s, req="E11: the station reconnects")
        outcome = await _status(csms, session.tx_id if with_id else None)
        if with_id:
            outcome.must(
                ongoing_indicator=True,
                req="E14.FR.02: the running transaction is ongoing",
            )
            outcome.must(
                messages_in_queue=True,
                req="E14.FR.04: its events queued offline are still in the queue",
            )
        else:
            _no_ongoing(outcome)
            outcome.must(
                messages_in_queue=True,
                req="E14.FR.07: transaction events queued offline are still in the queue",
            )
        queued = await delivered_queue(csms, session, lost="E11.FR.01", req="E11.FR.02")
        for event in queued:
            require(
                event.get("eventType") == "Updated" and bool(event.get("meterValue")),
                req="E11.FR.03: the events queued during the transaction are Updated with "
                "meter values",
                expected="eventType Updated with meterValue",
                actual=f"{event.get('eventType')} seqNo {event.get('seqNo')} "
                f"{'with' if event.get('meterValue') else 'without'} meterValue",
            )
    await end_transaction(csms, sut, profile, session, req="E06: the transaction ends", held=True)
    check_sequence(session.events, req="E11.FR.01")
    check_energy(csms, session.events)


@oca(
    "TC_E_29_CS",
    "Check Transaction status - Transaction with id ongoing - with message in queue",
    profile="core",
    versions=V2,
    kills=("tx-status-queue-ignored", "tx-offline-flag-missing"),
)
async def test_status_ongoing_with_queue(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_E_29 (E14.FR.02/04, E11): Before: TxUpdatedInterval 1 s with the energy register,
    OfflineThreshold the back-off + 60 s, RetryBackOffWaitMinimum the back-off (3 s),
    RetryBackOffRandomRange 0; state EnergyTransferStarted. The harness drops the connection and
    refuses reconnections for the back-off less 1 s (the station's first attempt comes after
    the back-off), then GetTransactionStatus for the transaction: ongoingIndicator true,
    messagesInQueue true (the queued events are held unanswered until then). Then the queue:
    Updated events with meter values and offline true (E11.FR.02/03). Beyond the OCA: seqNo
    continues without a gap or a repeat over the offline period, the energy register never
    decreases, and the transaction is ended again."""
    await _ongoing_with_queue(csms, sut, sut_profile, with_id=True)


@oca(
    "TC_E_30_CS",
    "Check Transaction status - Transaction with id ongoing - without message in queue",
    profile="core",
    versions=V2,
    kills=("tx-status-queue-always",),
)
async def test_status_ongoing_without_queue(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_E_30 (E14.FR.02/05): state EnergyTransferStarted (every event answered);
    GetTransactionStatus for the transaction: ongoingIndicator true, messagesInQueue false.
    Beyond the OCA: the transaction is ended again."""
    session = await charging(csms, sut, sut_profile)
    await csms.settle_replies()
    outcome = await _status(csms, session.tx_id)
    outcome.must(ongoing_indicator=True, req="E14.FR.02: the running transaction is ongoing")
    outcome.must(messages_in_queue=False, req="E14.FR.05: nothing of it is queued")
    await stop_charging(csms, sut, sut_profile, session, req="E06: the transaction ends")


@oca(
    "TC_E_31_CS",
    "Check Transaction status - Transaction with id ended - with message in queue",
    profile="core",
    versions=V2,
    condition="NOT (NOT (C-30 - C-35) AND (NOT C-10.1 AND NOT C-10.3 AND NOT C-10.4 AND "
    "NOT C-10.5) AND NOT C-06.2)",
    kills=("tx-status-always-ongoing", "tx-status-queue-ignored"),
)
async def test_status_ended_with_queue(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_E_31 (E14.FR.03/04, errata 2025-02): Before as TC_E_29 (meter values every 1 s);
    state EnergyTransferStarted. The harness drops the connection and refuses reconnections;
    offline, the transaction is stopped at the station's stop point (the same token where
    TxStopPoint holds the authorization, else the cable); after 2 s the harness accepts the
    reconnection and asks GetTransactionStatus for the transaction: ongoingIndicator false,
    messagesInQueue true. Then every event of the rest of the transaction, up to Ended, comes
    with offline true. Beyond the OCA: seqNo without gaps or repeats, the energy register never
    decreases."""
    await offline_preparation(csms)
    session = await charging(csms, sut, sut_profile)
    await csms.settle_replies()
    async with NetworkFaults(csms) as net:
        csms.hold("TransactionEvent")
        await net.offline(60)
        if session.points.stops_at_deauthorization:
            await sut.present_token(sut_profile.sut.tokens.valid, evse_id=session.evse_id)
        else:
            await sut.unplug(evse_id=session.evse_id, connector_id=session.connector_id)
            session.plugged = False
        await asyncio.sleep(TX_DURATION_S)
        net.accept()  # its next attempt: the back-off doubled after the refused ones
        await csms.wait_connected(3 * BACKOFF_S + csms.action_s, req="E11: the station reconnects")
        outcome = await _status(csms, session.tx_id)
        outcome.must(ongoing_indicator=False, req="E14.FR.03: the ended transaction")
        outcome.must(messages_in_queue=True, req="E14.FR.04: its events are still queued")
        queued = await delivered_queue(
            csms, session, lost="E11.FR.01", req="E11.FR.02", until_ended=True
        )
    require(
        queued[-1].get("eventType") == "Ended",
        req="E11.FR.01: the Ended event of the transaction stopped offline is delivered",
        expected="eventType Ended",
        actual=str(queued[-1].get("eventType")),
    )
    if session.plugged:
        await sut.unplug(evse_id=session.evse_id, connector_id=session.connector_id)
    check_sequence(session.events, req="E11.FR.01")
    check_energy(csms, session.events)


@oca(
    "TC_E_32_CS",
    "Check Transaction status - Transaction with id ended - without message in queue",
    profile="core",
    versions=V2,
    kills=("tx-status-always-ongoing", "tx-status-queue-always"),
)
async def test_status_ended_without_queue(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_E_32 (E14.FR.03/05): states EnergyTransferStarted and ParkingBayUnoccupied (the
    transaction ended at the station's stop point, every event answered); GetTransactionStatus
    for it: ongoingIndicator false, messagesInQueue false."""
    session = await charging(csms, sut, sut_profile)
    event = await stop_charging(csms, sut, sut_profile, session, req="E06: the transaction ends")
    if not event.replied:
        await event.reply()
    await csms.settle_replies()
    outcome = await _status(csms, session.tx_id)
    outcome.must(ongoing_indicator=False, req="E14.FR.03: the ended transaction")
    outcome.must(messages_in_queue=False, req="E14.FR.05: nothing of it is queued")


@oca(
    "TC_E_33_CS",
    "Check Transaction status - Without transactionId - with message in queue",
    profile="core",
    versions=V2,
    kills=("tx-status-queue-ignored", "tx-status-ongoing-without-id"),
)
async def test_status_without_id_with_queue(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_E_33 (E14.FR.06/07): as TC_E_29, the question without a transactionId: no
    ongoingIndicator, messagesInQueue true; then the queue as in TC_E_29 (and the same checks
    beyond the OCA)."""
    await _ongoing_with_queue(csms, sut, sut_profile, with_id=False)


@oca(
    "TC_E_34_CS",
    "Check Transaction status - Without transactionId - without message in queue",
    profile="core",
    versions=V2,
    kills=("tx-status-ongoing-without-id", "tx-status-queue-always"),
)
async def test_status_without_id_without_queue(csms: CsmsPeer) -> None:
    """TC_E_34 (E14.FR.06/08): no transaction, nothing queued; GetTransactionStatus without a
    transactionId: no ongoingIndicator, messagesInQueue false."""
    await csms.settle_replies()
    outcome = await _status(csms, None)
    _no_ongoing(outcome)
    outcome.must(messages_in_queue=False, req="E14.FR.08: nothing is queued")
