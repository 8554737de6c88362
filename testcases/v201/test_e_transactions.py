"""OCA block E (Transactions), OCPP 2.0.1 and 2.1: local start and stop, as the station and as
the CSMS sees it. Steps and criteria in our own words after OCPP 2.0.1 Part 6."""

from __future__ import annotations

from harness import CsmsPeer, StationPeer, SutActions, oca
from harness.checks import require
from harness.config import SutProfile
from testcases.v201.states import tx_points
from testcases.v201.tx_states import (
    Session,
    authorized_local,
    ended,
    energy_transfer_started,
    ev_connected_pre_session,
    unplugged,
)

V2 = ("2.0.1", "2.1")


@oca(
    "TC_E_03_CS",
    "Local start transaction - Cable plugin first - Success",
    profile="core",
    versions=V2,
    condition="NOT AQ-2 AND (C-30 - C-35 OR ISO 15118 support)",
    kills=(
        "tx-reports-wrong-token",
        "tx-stopped-reason-other",
        "tx-seqno-repeats",
        "local-stop-ignored",
        "tx-never-charging",
        "tx-no-evse",
        "tx-plugin-wrong-trigger",
    ),
)
async def test_local_start_cable_first(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_E_03 (E02), per the station's TxStartPoint/TxStopPoint (read first): state
    EVConnectedPreSession (plug in: Occupied; a transaction starts where TxStartPoint holds
    EVConnected), state Authorized (local: Authorize, then the idToken in the transaction,
    Started where TxStartPoint is Authorized or PowerPathClosed), state EnergyTransferStarted
    (chargingState Charging). The first TransactionEvent after plug-in names the EVSE and
    connector (E01.FR.16). Beyond the OCA: the same token stops it (E06/E07; Ended with
    stoppedReason Local or none where TxStopPoint holds Authorized, else at unplug), seqNo
    increases over the transaction's events (E02.FR.07), and unplugging frees the connector."""
    token = sut_profile.sut.tokens.valid
    session = Session(await tx_points(csms, sut_profile))
    await ev_connected_pre_session(csms, sut, session)
    await authorized_local(csms, sut, session, token)
    session.check_evse_known()
    await energy_transfer_started(csms, session)
    await sut.present_token(token)
    if session.points.stops_at_deauthorization:
        event = await ended(csms, session, req="E06.FR.03: the local stop ends the transaction")
        reason = event["transactionInfo"].get("stoppedReason", "Local")
        require(
            reason == "Local",
            req="E06: a local stop has stoppedReason Local (or none)",
            expected="Local",
            actual=repr(reason),
        )
        await unplugged(csms, sut, session)
    else:
        await unplugged(csms, sut, session)
        await ended(csms, session, req="E06.FR.02: unplugging ends the transaction")
    session.check_seq_nos()


@oca(
    "TC_E_03_CSMS",
    "Local start transaction - Cable plugin first - Success",
    profile="core",
    versions=V2,
    kills=(
        "csms-tx-rejects-valid-token",
        "csms-authorize-rejects-valid",
        "csms-fails-transaction-end",
    ),
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
