"""OCA block E (Transactions), OCPP 2.0.1 and 2.1: local start and stop, as the station and as
the CSMS sees it. Steps and criteria in our own words after OCPP 2.0.1 Part 6."""

from __future__ import annotations

from harness import CsmsPeer, StationPeer, SutActions, oca
from harness.checks import require, require_fields
from harness.config import SutProfile

V2 = ("2.0.1", "2.1")


@oca(
    "TC_E_03_CS",
    "Local start transaction - Cable plugin first - Success",
    profile="core",
    versions=V2,
    kills=("tx-reports-wrong-token",),
)
async def test_local_start_cable_first(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """E02 (cable plugin first): plugging in starts a transaction (EVSE and connector given),
    presenting a valid token is authorized and reported with that token in the transaction; the
    same token ends it locally. The seqNo of the Started, Authorized and Ended events strictly
    increases (E01); other events may come in between, so consecutive numbers are not checked."""
    token = sut_profile.sut.tokens.valid
    await sut.plug_in(evse_id=1, connector_id=1)
    await csms.expect(
        "StatusNotification",
        evse_id=1,
        connector_status="Occupied",
        req="G01: connector becomes Occupied on plug-in",
    )
    started = await csms.expect(
        "TransactionEvent",
        event_type="Started",
        req="E02: transaction started at plug-in (TxStartPoint EVConnected)",
    )
    require_fields(
        started.get("evse", {}),
        id=1,
        connectorId=1,
        req="E02: the first event after plug-in names the EVSE and connector",
    )
    tx_id = started["transactionInfo"]["transactionId"]
    await sut.present_token(token)
    await csms.expect("Authorize", id_token={"idToken": token}, req="C01: the token is authorized")
    updated = await csms.expect(
        "TransactionEvent",
        event_type="Updated",
        trigger_reason="Authorized",
        req="E02: authorization reported in the transaction",
    )
    require_fields(
        updated.get("idToken", {}),
        idToken=token,
        req="E02: the transaction carries the presented idToken",
    )
    require_fields(updated["transactionInfo"], transactionId=tx_id, req="E02: same transactionId")
    await sut.present_token(token)
    ended = await csms.expect(
        "TransactionEvent", event_type="Ended", req="E06: local stop ends the transaction"
    )
    require_fields(ended["transactionInfo"], transactionId=tx_id, req="E06: same transactionId")
    reason = ended["transactionInfo"].get("stoppedReason", "Local")
    require(
        reason == "Local",
        req="E06: a local stop has stoppedReason Local (or none)",
        expected="Local",
        actual=repr(reason),
    )
    seqs = [started["seqNo"], updated["seqNo"], ended["seqNo"]]
    require(
        seqs == sorted(seqs) and len(set(seqs)) == 3,
        req="E01: seqNo increases per event",
        expected="strictly increasing seqNo",
        actual=str(seqs),
    )
    await sut.unplug(evse_id=1, connector_id=1)
    await csms.expect(
        "StatusNotification",
        evse_id=1,
        connector_status="Available",
        req="G02: connector Available after unplug",
    )


@oca(
    "TC_E_03_CSMS",
    "Local start transaction - Cable plugin first - Success",
    profile="core",
    versions=V2,
    kills=("csms-tx-rejects-valid-token",),
)
async def test_csms_local_start_cable_first(station: StationPeer, sut_profile: SutProfile) -> None:
    """E02: the CSMS accepts a cable-first transaction and authorizes the valid token in
    Authorize and in the TransactionEvent that carries it."""
    token = {"idToken": sut_profile.sut.tokens.valid, "type": sut_profile.sut.tokens.type}
    now = _now()
    tx = {"transactionId": f"HARNESS-{now[-12:-1]}", "chargingState": "EVConnected"}
    await station.call(
        "StatusNotification",
        timestamp=now,
        connector_status="Occupied",
        evse_id=1,
        connector_id=1,
        req="G01: StatusNotification answered",
    ).must()
    await station.call(
        "TransactionEvent",
        event_type="Started",
        timestamp=now,
        trigger_reason="CablePluggedIn",
        seq_no=0,
        transaction_info=tx,
        evse={"id": 1, "connectorId": 1},
        req="E02: TransactionEvent Started answered",
    ).must()
    auth = await station.call("Authorize", id_token=token, req="C01: Authorize answered")
    auth.must(id_token_info={"status": "Accepted"}, req="C01: a valid token is Accepted")
    upd = await station.call(
        "TransactionEvent",
        event_type="Updated",
        timestamp=_now(),
        trigger_reason="Authorized",
        seq_no=1,
        transaction_info={**tx, "chargingState": "Charging"},
        id_token=token,
    )
    upd.must(id_token_info={"status": "Accepted"}, req="E02: the transaction's token is Accepted")
    await station.call(
        "TransactionEvent",
        event_type="Ended",
        timestamp=_now(),
        trigger_reason="StopAuthorized",
        seq_no=2,
        transaction_info={**tx, "stoppedReason": "Local"},
    ).must(req="E06: TransactionEvent Ended answered")
    await station.call(
        "StatusNotification",
        timestamp=_now(),
        connector_status="Available",
        evse_id=1,
        connector_id=1,
    ).must()


@oca(
    "TC_C_02_CSMS",
    "Local start transaction - Authorization Invalid/Unknown",
    profile="core",
    versions=V2,
    kills=("csms-accepts-unknown-token",),
)
async def test_csms_rejects_unknown_token(station: StationPeer, sut_profile: SutProfile) -> None:
    """C01: Authorize for a token the CSMS does not know is answered Invalid or Unknown."""
    token = {"idToken": sut_profile.sut.tokens.invalid, "type": sut_profile.sut.tokens.type}
    result = await station.call("Authorize", id_token=token, req="C01: Authorize answered")
    status = result.must()["idTokenInfo"]["status"]
    require(
        status in ("Invalid", "Unknown"),
        req="C01: an unknown token is not Accepted",
        expected="Invalid or Unknown",
        actual=repr(status),
        frames=result.frames,
    )


def _now() -> str:
    from harness.peers.defaults import now_iso

    return now_iso()
