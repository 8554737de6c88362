"""OCPP 1.6 offline start of a transaction with an idTag the Central System then declares invalid,
charge point under test (issue 14): TC_037_2_CS (StopTransactionOnInvalidId false) and
TC_037_3_CS (StopTransactionOnInvalidId true). The 1.6 test case document is not public: the ids
and titles are the catalogue's (``harness/catalogue/ocpp16-cs.tsv``), the steps ours, after OCPP
1.6 edition 2 §3.5.4 (Unknown Offline Authorization, AllowOfflineTxForUnknownId §9.1.1: the
charge point MAY start for an unknown idTag while offline and SHALL send the StartTransaction
once the connection is back), §4.8 as the 1.6 errata §3.6 moved the text there (a StartTransaction
answered with a status other than Accepted: with StopTransactionOnInvalidId true the transaction
SHOULD be stopped with reason DeAuthorized, with false only the energy delivery SHOULD stop) and
§9.1.24, and 2.0.1 E05 (an idToken found invalid after an offline start). The stop or
not is a SHOULD in 1.6: a warning; the cases FAIL on the §3.5.4 SHALL and on §4.10."""

from __future__ import annotations

import contextlib

from harness import CsmsPeer, SutActions, oca
from harness.checks import applicable_unless, require, should
from harness.config import SutProfile
from harness.verdicts import SutFailure
from testcases.v16.test_offline import configure, forget, started_offline

V16 = ("1.6",)
TX_ID = 3701
SEND_START = "1.6 §3.5.4: SHALL send a StartTransaction for the transaction authorized offline"
STOPPED = "1.6 §4.8 (errata §3.6): StopTransactionOnInvalidId true: SHOULD stop the transaction"
DEAUTHORIZED = "1.6 §4.8 (errata §3.6): the stop's reason SHOULD be DeAuthorized"
KEPT = "1.6 §4.8 (errata §3.6), §9.1.24: StopTransactionOnInvalidId false: only energy stops"
STOP_ID = "1.6 §4.10: StopTransaction with the transaction id of the StartTransaction.conf"
#: How long TC_037_2_CS watches for a StopTransaction that should not come (s).
WATCH_S = 2.0


async def offline_start_invalid(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile, stop_on_invalid: bool, tx_id: int
) -> None:
    """Before: AllowOfflineTxForUnknownId true (NOT-APPLICABLE where the key is refused or
    missing: §3.5.4 is a MAY), StopTransactionOnInvalidId as given (NOT-APPLICABLE where
    refused). The harness drops the connection and refuses reconnections; offline, the EV is
    plugged in and the invalid idTag (unknown to the harness) presented: the charge point may
    start (unknown offline authorization). Reconnections are accepted: the queued
    StartTransaction comes with that idTag (§3.5.4 SHALL, §3.7 MUST queue) and is answered with
    ``tx_id`` and status Invalid. Returns with the StartTransaction answered."""
    tag = sut_profile.sut.tokens.invalid
    ok = await configure(csms, "AllowOfflineTxForUnknownId", "true")
    applicable_unless(not ok, "AllowOfflineTxForUnknownId cannot be set to true (§3.5.4: MAY)")
    value = "true" if stop_on_invalid else "false"
    ok = await configure(csms, "StopTransactionOnInvalidId", value)
    applicable_unless(not ok, f"StopTransactionOnInvalidId cannot be set to {value}")
    await csms.settle_replies()
    start = await started_offline(csms, sut, tag, req=SEND_START)
    await start.reply(transaction_id=tx_id, id_tag_info={"status": "Invalid"})


async def stop_seen(csms: CsmsPeer, tx_id: int, within_s: float) -> dict[str, object] | None:
    """The StopTransaction of ``tx_id`` if one comes within ``within_s`` (else None)."""
    with contextlib.suppress(SutFailure):
        stop = await csms.expect("StopTransaction", within_s=within_s)
        return {"transactionId": stop.get("transactionId"), "reason": stop.get("reason")}
    return None


@oca(
    "TC_037_2_CS",
    "Offline Start Transaction - Invalid IdTag - StopTransactionOnInvalidId = false",
    profile="core",
    versions=V16,
    kills=("cp16-offline-unknown-start-lost",),
)
async def test_offline_start_invalid_keep(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_037_2_CS (1.6 §3.5.4, §4.8 errata, §9.1.24, §4.10): as :func:`offline_start_invalid`
    with StopTransactionOnInvalidId false. After the Invalid answer the transaction goes on
    (only the energy delivery stops, §4.8 SHOULD: a warning when a StopTransaction comes within
    2 s). Then the same idTag is presented and the EV unplugged: the StopTransaction (if it did
    not come already) carries the transaction id given (§4.10); then Available."""
    await offline_start_invalid(csms, sut, sut_profile, False, TX_ID)
    early = await stop_seen(csms, TX_ID, WATCH_S)
    should(
        csms,
        early is None,
        req=KEPT,
        expected=f"no StopTransaction within {WATCH_S:g} s of the Invalid answer",
        actual=f"StopTransaction {early!r}",
    )
    stop = early
    if stop is None:
        await sut.present_token(sut_profile.sut.tokens.invalid)
        await sut.unplug(evse_id=1)
        stop = await stop_seen(csms, TX_ID, csms.action_s)
    else:
        await sut.unplug(evse_id=1)
    if stop is None or stop["transactionId"] != TX_ID:
        forget(csms, TX_ID)
    require(
        stop is not None and stop["transactionId"] == TX_ID,
        req=STOP_ID,
        expected=f"StopTransaction with transactionId {TX_ID}",
        actual=repr(stop),
    )
    await csms.expect(
        "StatusNotification", connector_id=1, status="Available", req="1.6 §4.9: Available"
    )


@oca(
    "TC_037_3_CS",
    "Offline Start Transaction - Invalid IdTag - StopTransactionOnInvalidId = true",
    profile="core",
    versions=V16,
    kills=("cp16-offline-unknown-start-lost",),
)
async def test_offline_start_invalid_stop(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_037_3_CS (1.6 §3.5.4, §4.8 errata, §9.1.24, §4.10): as :func:`offline_start_invalid`
    with StopTransactionOnInvalidId true. After the Invalid answer the charge point stops the
    transaction (§4.8 SHOULD, reason DeAuthorized SHOULD: warnings); where it does not, the
    idTag is presented and the EV unplugged. The StopTransaction carries the transaction id
    given (§4.10); unplugged, the connector is Available."""
    await offline_start_invalid(csms, sut, sut_profile, True, TX_ID + 1)
    stop = await stop_seen(csms, TX_ID + 1, csms.action_s)
    should(
        csms,
        stop is not None,
        req=STOPPED,
        expected="StopTransaction after the Invalid answer",
        actual="none",
    )
    if stop is not None:
        should(
            csms,
            stop["reason"] == "DeAuthorized",
            req=DEAUTHORIZED,
            expected="reason DeAuthorized",
            actual=repr(stop["reason"]),
        )
        await sut.unplug(evse_id=1)
    else:
        await sut.present_token(sut_profile.sut.tokens.invalid)
        await sut.unplug(evse_id=1)
        stop = await stop_seen(csms, TX_ID + 1, csms.action_s)
    if stop is None or stop["transactionId"] != TX_ID + 1:
        forget(csms, TX_ID + 1)
    require(
        stop is not None and stop["transactionId"] == TX_ID + 1,
        req=STOP_ID,
        expected=f"StopTransaction with transactionId {TX_ID + 1}",
        actual=repr(stop),
    )
    await csms.expect(
        "StatusNotification", connector_id=1, status="Available", req="1.6 §4.9: Available"
    )
