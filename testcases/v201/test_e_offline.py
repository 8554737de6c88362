"""OCA block E, offline behaviour, station under test, OCPP 2.0.1 and 2.1: TC_E_40_CS (connection
loss during a transaction, E11) and TC_E_43_CS (a whole transaction during the offline period,
E12). The harness takes the station offline with :class:`~harness.netfaults.NetworkFaults` (the
connection dropped without a close frame, reconnections refused), holds the TransactionEvents
that come after the reconnect and answers them one by one, and checks what the queue delivered:
offline flags, seqNo without gaps or repeats, and the energy register over the delivered meter
values. Steps and criteria in our own words after OCPP 2.0.1 Part 6 (errata 2025-09 applied)."""

from __future__ import annotations

import asyncio

from harness import CsmsPeer, SutActions, oca
from harness.checks import require
from harness.config import SutProfile
from harness.netfaults import NetworkFaults
from testcases.v201.offline_states import (
    BACKOFF_S,
    check_energy,
    check_offline,
    check_sequence,
    delivered_queue,
    end_transaction,
    next_event,
    offline_preparation,
)
from testcases.v201.states import set_variable, tx_points
from testcases.v201.tx_states import Session, auth_preparation, charging, unplugged

V2 = ("2.0.1", "2.1")
#: How long the transaction of TC_E_43 runs offline (seconds): periodic readings are queued.
OFFLINE_TX_S = 2.5
#: After the reboot of TC_E_43 (beyond the OCA), how long before reconnections are accepted.
REBOOT_S = 1.0


@oca(
    "TC_E_40_CS",
    "Offline Behaviour - Connection loss during transaction",
    profile="core",
    versions=V2,
    kills=("tx-offline-flag-missing", "tx-queue-drops-beyond", "tx-offline-seqno-reset"),
)
async def test_connection_loss_during_transaction(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_E_40 (E11.FR.01/02/06): Before: TxUpdatedInterval 1 s with the energy register,
    OfflineThreshold the back-off + 60 s, RetryBackOffWaitMinimum the back-off (3 s),
    RetryBackOffRandomRange 0; state EnergyTransferStarted. The harness drops the connection
    without a close frame and refuses reconnections for the back-off less 1 s (the station's
    first attempt comes after the back-off). After the reconnect the queued TransactionEvents
    come first: each Updated, with meter values, offline true (E11.FR.02/03). Beyond the OCA:
    seqNo one higher per event over the whole transaction (E01.FR.07; a gap is an event not
    queued, E11.FR.01), the energy register never decreases (J02.FR.16), and the transaction is
    ended again."""
    await offline_preparation(csms)
    session = await charging(csms, sut, sut_profile)
    await csms.settle_replies()
    async with NetworkFaults(csms) as net:
        csms.hold("TransactionEvent")
        await net.offline(BACKOFF_S - 1)
        await csms.wait_connected(BACKOFF_S + csms.action_s, req="E11: the station reconnects")
        queued = await delivered_queue(csms, session, lost="E11.FR.01", req="E11.FR.02")
    for event in queued:
        require(
            event.get("eventType") == "Updated" and bool(event.get("meterValue")),
            req="E11.FR.03: the events queued during the transaction are Updated with meter values",
            expected="eventType Updated with meterValue",
            actual=f"{event.get('eventType')} seqNo {event.get('seqNo')} "
            f"{'with' if event.get('meterValue') else 'without'} meterValue",
        )
    await end_transaction(
        csms, sut, sut_profile, session, req="E06: the transaction ends", held=True
    )
    check_sequence(session.events, req="E11.FR.01")
    check_energy(csms, session.events)


@oca(
    "TC_E_43_CS",
    "Offline Behaviour - Transaction during offline period",
    profile="core",
    versions=V2,
    condition="(C-01 AND (C-30 - C-34 OR ISO 15118 support)) OR C-35",
    kills=("tx-offline-flag-missing", "tx-queue-drops-beyond", "tx-queue-lost-on-reboot"),
)
async def test_transaction_during_offline_period(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_E_43 (E12.FR.01/02/06; errata 2024-06: state TransactionEventsInQueueEnded in the
    Before): the harness drops the connection and refuses reconnections; offline, the EV is
    plugged in and the valid token presented (AuthCtrlr.OfflineTxForUnknownIdEnabled set true
    where implemented, AuthCtrlr.Enabled true), the transaction runs 2.5 s (TxUpdatedInterval
    1 s: readings queued) and is stopped at the station's stop point. Beyond the OCA, where the
    profile has a ``reboot`` action: the station is power-cycled while still offline (its queue
    must survive, E12.FR.01). Then reconnections are accepted: every TransactionEvent of the
    transaction comes with offline true (E12.FR.02), from Started to Ended, seqNo without gaps or
    repeats; the energy register never decreases."""
    await offline_preparation(csms, backoff=False)
    await auth_preparation(csms)
    await set_variable(
        csms, "AuthCtrlr", "OfflineTxForUnknownIdEnabled", "true", req="C15: set (if implemented)"
    )
    session = Session(await tx_points(csms, sut_profile))
    token = sut_profile.sut.tokens.valid
    await csms.settle_replies()
    async with NetworkFaults(csms) as net:
        csms.hold("TransactionEvent")
        await net.offline(60)
        await sut.plug_in(evse_id=session.evse_id, connector_id=session.connector_id)
        session.plugged = True
        await sut.present_token(token, evse_id=session.evse_id)
        await asyncio.sleep(OFFLINE_TX_S)
        if session.points.stops_at_deauthorization:
            await sut.present_token(token, evse_id=session.evse_id)
        else:
            await sut.unplug(evse_id=session.evse_id, connector_id=session.connector_id)
            session.plugged = False
        if sut.provides("reboot"):
            await asyncio.sleep(0.5)
            await sut.reboot()
            await asyncio.sleep(REBOOT_S)
        net.accept()
        await csms.wait_connected(csms.action_s, req="E12: the station reconnects")
        started = await next_event(
            csms,
            session,
            req="E12.FR.01: the transaction started offline is delivered after the reconnect",
            within_s=csms.action_s,
        )
        await started.reply()
        require(
            started.get("eventType") == "Started",
            req="E12.FR.01: the first event delivered of the transaction started offline is "
            "its Started",
            expected="eventType Started",
            actual=f"{started.get('eventType')} seqNo {started.get('seqNo')}",
        )
        check_offline([started], req="E12.FR.02")
        await delivered_queue(csms, session, lost="E12.FR.01", req="E12.FR.02", until_ended=True)
    check_offline(session.events, req="E12.FR.02")
    check_sequence(session.events, req="E12.FR.01")
    check_energy(csms, session.events)
    if session.plugged:
        await unplugged(csms, sut, session)
