"""OCPP 1.6 offline behaviour of the charge point under test (issue 12; the harness is the Central
System): TC_036_CS (connection loss during a transaction), TC_037_1_CS (a transaction started
offline), TC_038_CS (a transaction stopped offline) and TC_039_CS (a whole transaction offline). The 1.6 test case document is not public:
the ids and titles are the catalogue's (``harness/catalogue/ocpp16-cs.tsv``), the steps ours, after OCPP 1.6 edition 2 §3.7
(transaction-related messages MUST be queued while offline; new ones SHALL wait until the queue is
empty, so they arrive in chronological order), §3.7.1 (a failed one is retried after
TransactionMessageRetryInterval times the transmissions so far), §4.7, §4.10 and the errata's
StopTxnSampledData (§9.1.27: the measurands the StopTransaction's transactionData holds), and the
OCA 2.0.1 twins TC_E_40_CS and TC_E_44_CS. The network faults are the harness's
(:class:`~harness.netfaults.NetworkFaults`: the connection dropped without a close frame, the
charge point's reconnections refused for a few seconds)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from datetime import datetime

from harness import CsmsPeer, SutActions, oca
from harness.checks import applicable_unless, require, should
from harness.config import SutProfile
from harness.netfaults import NetworkFaults
from harness.ocppj.errors import ErrorKind
from harness.peers.exchange import InboundCall
from harness.verdicts import SutFailure

V16 = ("1.6",)
ENERGY = "Energy.Active.Import.Register"
TX_ID = 3601
#: Reconnections refused this long (s); MeterValueSampleInterval is 1 s, so several readings
#: are made offline.
OUTAGE_S = 3.0
SAMPLE_S = 1
#: Two consecutive readings of a transaction further apart than this (s) miss one in between.
GAP_S = 2 * SAMPLE_S + 1.5
#: TransactionMessageRetryInterval TC_038_CS sets (s), and the share of it a retry may come early.
RETRY_S = 2
EARLY = 0.8
QUEUE_METER = "1.6 §3.7: MUST queue the MeterValues made offline, deliver them after the reconnect"
QUEUE_STOP = "1.6 §3.7: MUST queue the StopTransaction made offline, deliver it after the reconnect"
QUEUE_START = (
    "1.6 §3.7: MUST queue the StartTransaction made offline, deliver it after the reconnect"
)
ORDER = "1.6 §3.7: chronological order: the queued MeterValues come oldest first (SHALL wait)"
ORDER_STOP = "1.6 §3.7: chronological order: the queued StopTransaction after the StartTransaction"
STOP_DATA = "1.6 §9.1.27 StopTxnSampledData (errata): transactionData holds the energy register"
RETRY = "1.6 §3.7.1: the retry waits TransactionMessageRetryInterval times the transmissions"


async def configure(csms: CsmsPeer, key: str, value: str) -> bool:
    """ChangeConfiguration ``key`` (restored after the case); True when Accepted."""
    result = await csms.call("ChangeConfiguration", key=key, value=value)
    status = result.must(req="1.6 §5.3: ChangeConfiguration answered").get("status")
    return bool(status == "Accepted")


async def charging(csms: CsmsPeer, sut: SutActions, tag: str) -> None:
    """Plug in (Preparing), the valid idTag presented: StartTransaction answered with
    :data:`TX_ID` and Accepted, then Charging (1.6 §4.8, §4.9)."""
    await sut.plug_in(evse_id=1)
    await csms.expect(
        "StatusNotification", connector_id=1, status="Preparing", req="1.6 §4.9: Preparing"
    )
    csms.hold("StartTransaction")
    await sut.present_token(tag)
    start = await csms.expect("StartTransaction", connector_id=1, req="1.6 §4.8: StartTransaction")
    await start.reply(transaction_id=TX_ID, id_tag_info={"status": "Accepted"})
    await csms.expect(
        "StatusNotification", connector_id=1, status="Charging", req="1.6 §4.9: Charging"
    )


async def started_offline(csms: CsmsPeer, sut: SutActions, tag: str, *, req: str) -> InboundCall:
    """Offline (the harness drops the connection and refuses reconnections), the EV plugged in
    on connector 1 and ``tag`` presented; reconnections accepted, the queued StartTransaction of
    ``tag`` (``req``: that it comes), held for the caller to answer (§3.7, §3.5.4)."""
    async with NetworkFaults(csms) as net:
        csms.hold("StartTransaction")
        await net.offline(60)
        await asyncio.sleep(0.5)  # the charge point notices the loss
        await sut.plug_in(evse_id=1)
        await sut.present_token(tag)
        await asyncio.sleep(1.0)
        net.accept()
        await csms.wait_connected(csms.action_s, req="1.6: the charge point reconnects")
        return await csms.expect(
            "StartTransaction", connector_id=1, id_tag=tag, within_s=csms.action_s, req=req
        )


def forget(csms: CsmsPeer, tx_id: int) -> None:
    """The charge point ended ``tx_id`` offline but its StopTransaction for it never came (the
    case fails on that): the harness's record of an open transaction is stale, so it is dropped
    rather than left for the next case's preconditions to stop (the charge point would refuse)."""
    csms.state.transactions.pop(str(tx_id), None)
    csms.trace.event(f"transaction {tx_id} ended offline without its StopTransaction: forgotten")


def when(call: InboundCall) -> float:
    """The (first) meterValue timestamp of a MeterValues.req, in seconds (unreadable: -inf)."""
    values = call.get("meterValue") or [{}]
    try:
        stamp = str(values[0].get("timestamp", ""))
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
    except (ValueError, AttributeError):
        return float("-inf")


async def readings(csms: CsmsPeer, count: int, within_s: float) -> list[InboundCall]:
    """Up to ``count`` MeterValues of the transaction in the order they came (fewer when none
    comes for ``within_s``)."""
    found: list[InboundCall] = []
    with contextlib.suppress(SutFailure):
        while len(found) < count:
            found.append(await csms.expect("MeterValues", transaction_id=TX_ID, within_s=within_s))
    return found


@oca(
    "TC_036_CS",
    "Connection Loss During Transaction",
    profile="core",
    versions=V16,
    kills=("cp16-offline-messages-lost", "cp16-queue-newest-first"),
)
async def test_connection_loss_during_transaction(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_036_CS (1.6 §3.7, §4.7; steps after 2.0.1 TC_E_40_CS): Before: MeterValueSampleInterval
    1 s and MeterValuesSampledData the energy register (NOT-APPLICABLE where refused). A
    transaction runs (Charging, periodic MeterValues); the harness drops the connection without
    a close frame and refuses reconnections for 3 s. After the reconnect the readings made
    offline come, then live ones: across the whole transaction the MeterValues come in
    chronological order (§3.7 SHALL) and none is missing (§3.7 MUST queue: no two consecutive
    readings further apart than twice the interval plus 1.5 s). Then the idTag stops the
    transaction (StopTransaction with the transactionId) and the EV is unplugged."""
    tag = sut_profile.sut.tokens.valid
    ok = await configure(csms, "MeterValueSampleInterval", str(SAMPLE_S))
    applicable_unless(not ok, "MeterValueSampleInterval cannot be set to 1 s")
    ok = await configure(csms, "MeterValuesSampledData", ENERGY)
    applicable_unless(not ok, f"MeterValuesSampledData cannot hold {ENERGY}")
    await charging(csms, sut, tag)
    before = await readings(csms, 2, SAMPLE_S + csms.response_s)
    require(
        bool(before),
        req="1.6 §4.7: MeterValues every MeterValueSampleInterval during the transaction",
        expected=f"MeterValues with transactionId {TX_ID}",
        actual="none",
    )
    await csms.settle_replies()
    async with NetworkFaults(csms) as net:
        await net.offline(OUTAGE_S)
        await csms.wait_connected(OUTAGE_S + csms.action_s, req="1.6: the charge point reconnects")
        after = await readings(csms, int(OUTAGE_S / SAMPLE_S) + 3, 2 * SAMPLE_S + 1)
    series = before + after
    stamps = [when(call) for call in series]
    shown = ", ".join(str(call.get("meterValue", [{}])[0].get("timestamp")) for call in series)
    require(
        all(b >= a for a, b in itertools.pairwise(stamps)),
        req=ORDER,
        expected="meterValue timestamps never going back",
        actual=shown,
    )
    gaps = [b - a for a, b in itertools.pairwise(stamps)]
    require(
        bool(after) and max(gaps, default=0.0) <= GAP_S,
        req=QUEUE_METER,
        expected=f"readings at most {GAP_S:g} s apart across the outage",
        actual=f"{len(after)} after the reconnect; timestamps {shown}",
    )
    await sut.present_token(tag)
    await csms.expect(
        "StopTransaction", transaction_id=TX_ID, req="1.6 §4.10: StopTransaction on local stop"
    )
    await sut.unplug(evse_id=1)
    await csms.expect(
        "StatusNotification", connector_id=1, status="Available", req="1.6 §4.9: Available"
    )


@oca(
    "TC_038_CS",
    "Offline Stop Transaction",
    profile="core",
    versions=V16,
    kills=("cp16-offline-messages-lost", "cp16-stop-no-transaction-data", "cp16-retry-no-interval"),
)
async def test_offline_stop_transaction(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_038_CS (1.6 §3.7, §4.10; steps after 2.0.1 TC_E_44_CS): Before, where the charge point
    accepts them: StopTxnSampledData the energy register and TransactionMessageRetryInterval
    2 s. A transaction runs; the harness drops the connection and refuses reconnections; offline,
    the same idTag stops the transaction (§4.10: no Authorize needed) and the EV is unplugged.
    After the reconnect the queued StopTransaction comes (§3.7 MUST queue) with the
    transactionId, a meterStop not below the start and, where StopTxnSampledData was set,
    transactionData with the energy register (errata §9.1.27). Beyond the 1.6 document, where
    the interval was set: that first delivery is answered with CALLERROR InternalError; the
    charge point sends it again (§3.7.1 SHOULD: a warning if not), not before the interval
    (§3.7.1's SHALL wait); that one is answered. Then the connector is Available."""
    tag = sut_profile.sut.tokens.valid
    with_data = await configure(csms, "StopTxnSampledData", ENERGY)
    with_retry = await configure(csms, "TransactionMessageRetryInterval", str(RETRY_S))
    if with_retry:
        with_retry = await configure(csms, "TransactionMessageAttempts", "3")
    await charging(csms, sut, tag)
    await asyncio.sleep(1.0)  # energy flows
    await csms.settle_replies()
    async with NetworkFaults(csms) as net:
        csms.hold("StopTransaction")
        await net.offline(OUTAGE_S)
        await asyncio.sleep(0.5)  # the charge point notices the loss
        await sut.present_token(tag)
        await sut.unplug(evse_id=1)
        await csms.wait_connected(OUTAGE_S + csms.action_s, req="1.6: the charge point reconnects")
        try:
            stop = await csms.expect("StopTransaction", within_s=csms.action_s, req=QUEUE_STOP)
        except SutFailure:
            forget(csms, TX_ID)
            raise
        require(
            stop.get("transactionId") == TX_ID and isinstance(stop.get("meterStop"), int),
            req="1.6 §4.10: StopTransaction names the transaction and its meterStop",
            expected=f"transactionId {TX_ID}, meterStop an integer",
            actual=f"transactionId {stop.get('transactionId')!r}, meterStop "
            f"{stop.get('meterStop')!r}",
        )
        if with_data:
            data = stop.get("transactionData") or []
            measurands = {
                sample.get("measurand", ENERGY)
                for value in data
                for sample in (value.get("sampledValue") or [])
            }
            require(
                ENERGY in measurands,
                req=STOP_DATA,
                expected=f"transactionData with {ENERGY} readings",
                actual=f"transactionData {data!r}"[:300],
            )
        if with_retry:
            await stop.reply_error(ErrorKind.INTERNAL_ERROR, "harness: retry this message")
            failed_at = time.monotonic()
            again: InboundCall | None = None
            with contextlib.suppress(SutFailure):
                again = await csms.expect(
                    "StopTransaction", transaction_id=TX_ID, within_s=2 * RETRY_S + 2
                )
            retried = should(
                csms,
                again is not None,
                req="1.6 §3.7.1: a failed StopTransaction is sent again",
                expected=f"StopTransaction again within {2 * RETRY_S + 2} s",
                actual="none",
            )
            if retried and again is not None:
                gap = time.monotonic() - failed_at
                require(
                    gap >= RETRY_S * EARLY,
                    req=RETRY,
                    expected=f"the retry {RETRY_S} s after the failure",
                    actual=f"after {gap:.1f} s",
                )
                await again.reply()
        else:
            await stop.reply()
    await csms.expect(
        "StatusNotification", connector_id=1, status="Available", req="1.6 §4.9: Available"
    )


async def online_transaction(csms: CsmsPeer, sut: SutActions, tag: str) -> None:
    """A short transaction online (plug, idTag, idTag again, unplug): the Authorize it causes
    puts the idTag in the authorization cache (1.6 §3.5.1) for the offline start."""
    await sut.plug_in(evse_id=1)
    await sut.present_token(tag)
    await csms.expect("StartTransaction", connector_id=1, req="1.6 §4.8: StartTransaction")
    await csms.expect(
        "StatusNotification", connector_id=1, status="Charging", req="1.6 §4.9: Charging"
    )
    await sut.present_token(tag)
    await csms.expect("StopTransaction", req="1.6 §4.10: StopTransaction on local stop")
    await sut.unplug(evse_id=1)
    await csms.expect(
        "StatusNotification", connector_id=1, status="Available", req="1.6 §4.9: Available"
    )


@oca(
    "TC_039_CS",
    "Offline Transaction",
    profile="core",
    versions=V16,
    kills=("cp16-offline-messages-lost", "cp16-queue-newest-first"),
)
async def test_offline_transaction(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_039_CS (1.6 §3.5, §3.7, §4.8, §4.10; steps after 2.0.1 TC_E_43_CS): Before:
    LocalAuthorizeOffline true (NOT-APPLICABLE where refused), LocalPreAuthorize and
    AuthorizationCacheEnabled true where accepted, MeterValueSampleInterval 1 s; a transaction
    online puts the valid idTag in the authorization cache. The harness drops the connection
    and refuses reconnections; offline, the EV is plugged in, the idTag presented (authorized
    offline, §3.5), the transaction runs 2.5 s and the same idTag stops it; the EV is unplugged.
    Reconnections are accepted: the queued StartTransaction comes (§3.7 MUST queue; §3.5.4
    SHALL send it) and is answered with a transaction id; the StopTransaction comes after it,
    with that transaction id (§3.7 SHALL: chronological order; -1 means it went before the
    start was answered) and the same idTag."""
    tag = sut_profile.sut.tokens.valid
    ok = await configure(csms, "LocalAuthorizeOffline", "true")
    applicable_unless(not ok, "LocalAuthorizeOffline cannot be set to true")
    await configure(csms, "LocalPreAuthorize", "true")
    await configure(csms, "AuthorizationCacheEnabled", "true")
    await configure(csms, "MeterValueSampleInterval", str(SAMPLE_S))
    await online_transaction(csms, sut, tag)
    await csms.settle_replies()
    async with NetworkFaults(csms) as net:
        csms.hold("StartTransaction")
        await net.offline(60)
        await asyncio.sleep(0.5)  # the charge point notices the loss
        await sut.plug_in(evse_id=1)
        await sut.present_token(tag)
        await asyncio.sleep(2.5)
        await sut.present_token(tag)
        await sut.unplug(evse_id=1)
        net.accept()
        await csms.wait_connected(csms.action_s, req="1.6: the charge point reconnects")
        start = await csms.expect(
            "StartTransaction",
            connector_id=1,
            id_tag=tag,
            within_s=csms.action_s,
            req=QUEUE_START,
        )
        await start.reply(transaction_id=TX_ID + 1, id_tag_info={"status": "Accepted"})
        try:
            stop = await csms.expect("StopTransaction", within_s=csms.action_s, req=QUEUE_STOP)
        except SutFailure:
            forget(csms, TX_ID + 1)
            raise
    if stop.get("transactionId") != TX_ID + 1:
        forget(csms, TX_ID + 1)
    require(
        stop.get("transactionId") == TX_ID + 1,
        req=ORDER_STOP,
        expected=f"transactionId {TX_ID + 1} (given in the StartTransaction.conf)",
        actual=f"transactionId {stop.get('transactionId')!r}",
    )


@oca(
    "TC_037_1_CS",
    "Offline Start Transaction - Valid IdTag",
    profile="core",
    versions=V16,
    kills=("cp16-offline-messages-lost",),
)
async def test_offline_start_valid_id_tag(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_037_1_CS (1.6 §3.5, §3.5.4, §3.7, §4.8; steps after 2.0.1 E04 and TC_E_43_CS's
    start): Before as TC_039_CS (LocalAuthorizeOffline true, NOT-APPLICABLE where refused; the
    valid idTag cached by a transaction online). The harness drops the connection and refuses
    reconnections; offline, the EV is plugged in and the idTag presented: the transaction starts
    (authorized offline). Reconnections are accepted: the queued StartTransaction comes (§3.7
    MUST queue; §3.5.4 SHALL send it for a transaction authorized offline) and is answered with a
    transaction id and Accepted; the transaction goes on online, the same idTag stops it and the
    StopTransaction carries that transaction id (§4.10); unplugged, the connector is Available."""
    tag = sut_profile.sut.tokens.valid
    ok = await configure(csms, "LocalAuthorizeOffline", "true")
    applicable_unless(not ok, "LocalAuthorizeOffline cannot be set to true")
    await configure(csms, "LocalPreAuthorize", "true")
    await configure(csms, "AuthorizationCacheEnabled", "true")
    await online_transaction(csms, sut, tag)
    await csms.settle_replies()
    start = await started_offline(csms, sut, tag, req=QUEUE_START)
    await start.reply(transaction_id=TX_ID + 2, id_tag_info={"status": "Accepted"})
    await sut.present_token(tag)
    await csms.expect(
        "StopTransaction",
        transaction_id=TX_ID + 2,
        req="1.6 §4.10: StopTransaction with the transaction id of the StartTransaction.conf",
    )
    await sut.unplug(evse_id=1)
    await csms.expect(
        "StatusNotification", connector_id=1, status="Available", req="1.6 §4.9: Available"
    )
