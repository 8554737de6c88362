"""OCA block F (Remote control), OCPP 2.0.1 and 2.1: remote start and stop. Steps and criteria
in our own words after OCPP 2.0.1 Part 6."""

from __future__ import annotations

from harness import CsmsPeer, StationPeer, SutActions, oca
from harness.checks import require_fields
from harness.config import SutProfile
from testcases.v201.states import tx_points
from testcases.v201.tx_states import (
    Session,
    authorized_local,
    authorized_remote,
    ended,
    energy_transfer_started,
    ev_connected_pre_session,
    unplugged,
)

V2 = ("2.0.1", "2.1")


@oca(
    "TC_F_01_CS",
    "Remote start transaction - Cable plugin first",
    profile="core",
    versions=V2,
    condition="NOT AQ-2 AND (C-36 - C-39)",
    kills=(
        "remote-start-ignored",
        "remote-start-id-missing",
        "remote-start-rejected",
        "remote-start-no-transaction-id",
        "tx-reports-wrong-token",
    ),
)
async def test_remote_start_cable_first(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_F_01 (F01), per the station's TxStartPoint (read first): state EVConnectedPreSession
    (plug in: Occupied; a transaction starts where TxStartPoint holds EVConnected), state
    Authorized (remote: RequestStartTransaction Accepted, naming the running transaction
    (F01.FR.13); triggerReason RemoteStart (F01.FR.19) with the remoteStartId and idToken, in
    the same transaction or Started now), state EnergyTransferStarted (Charging). Beyond the
    OCA: a remote stop ends it and unplugging frees the connector."""
    token = {"idToken": sut_profile.sut.tokens.valid, "type": sut_profile.sut.tokens.type}
    session = Session(await tx_points(csms, sut_profile))
    await ev_connected_pre_session(csms, sut, session)
    await authorized_remote(csms, session, token, remote_start_id=4711)
    session.check_evse_known()
    await energy_transfer_started(csms, session)
    await _stop_and_unplug(csms, sut, session)


@oca(
    "TC_F_08_CS",
    "Remote stop transaction - Success",
    profile="core",
    versions=V2,
    kills=(
        "remote-stop-ignored",
        "tx-stopped-reason-other",
        "remote-stop-rejected",
        "remote-stop-wrong-trigger",
    ),
)
async def test_remote_stop(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """TC_F_08 (F03): from state EnergyTransferStarted (cable first, local authorization, per
    the station's TxStartPoint), state StopAuthorized (remote): RequestStopTransaction is
    Accepted (F03.FR.07) and the transaction reports triggerReason RemoteStop: Ended with
    stoppedReason Remote where TxStopPoint ends it on deauthorization (F03.FR.03), else Updated
    (F03.FR.02). Beyond the OCA: unplugging frees the connector (and ends the transaction
    where only the cable stops it); seqNo increases over the transaction's events."""
    session = Session(await tx_points(csms, sut_profile))
    await ev_connected_pre_session(csms, sut, session)
    await authorized_local(csms, sut, session, sut_profile.sut.tokens.valid)
    await energy_transfer_started(csms, session)
    await _stop_and_unplug(csms, sut, session)


async def _stop_and_unplug(csms: CsmsPeer, sut: SutActions, session: Session) -> None:
    """State StopAuthorized (remote), then EVDisconnected: RequestStopTransaction is Accepted
    (F03.FR.07); where TxStopPoint ends the transaction on deauthorization it ends at once
    (Ended, triggerReason RemoteStop, stoppedReason Remote: F03.FR.03), otherwise the stop is
    reported (Updated, RemoteStop: F03.FR.02) and unplugging ends it (E06.FR.02)."""
    result = await csms.call("RequestStopTransaction", transaction_id=session.tx_id)
    result.must(status="Accepted", req="F03.FR.07: RequestStopTransaction Accepted")
    if session.points.stops_at_deauthorization:
        event = await ended(csms, session, req="F03.FR.03: the remote stop ends the transaction")
        require_fields(
            event["transactionInfo"], stoppedReason="Remote", req="F03.FR.03: stoppedReason Remote"
        )
        require_fields(
            event.payload, triggerReason="RemoteStop", req="F03.FR.03: triggerReason RemoteStop"
        )
        await unplugged(csms, sut, session)
    else:
        event = await csms.expect(
            "TransactionEvent",
            event_type="Updated",
            trigger_reason="RemoteStop",
            req="F03.FR.02: the remote stop is reported (Updated, triggerReason RemoteStop)",
        )
        session.add(event, "F03")
        await unplugged(csms, sut, session)
        await ended(csms, session, req="E06.FR.02: unplugging ends the transaction")
    session.check_seq_nos()


@oca(
    "TC_F_01_CSMS",
    "Remote start transaction - Cable plugin first",
    profile="core",
    versions=V2,
    kills=(
        "csms-remote-start-wrong-token",
        "csms-remote-start-wrong-evse",
        "csms-commands-dropped",
    ),
)
async def test_csms_remote_start(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """F01: asked by its operator, the CSMS sends RequestStartTransaction for the token and EVSE
    the operator chose."""
    token = sut_profile.sut.tokens.valid
    station.hold("RequestStartTransaction")
    await sut.remote_start(id_token=token, evse_id=1)
    request = await station.expect(
        "RequestStartTransaction", req="F01: the CSMS sends RequestStartTransaction"
    )
    await request.reply(status="Accepted")
    require_fields(
        request.get("idToken", {}), idToken=token, req="F01: the operator's token is requested"
    )
    require_fields(request.payload, evseId=1, req="F01: for the operator's EVSE")
