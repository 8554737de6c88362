"""OCA block F (Remote control), OCPP 2.0.1 and 2.1: remote start and stop, and data transfer
(block P). Steps and criteria in our own words after OCPP 2.0.1 Part 6."""

from __future__ import annotations

from harness import CsmsPeer, StationPeer, SutActions, oca
from harness.checks import require_fields
from harness.config import SutProfile

V2 = ("2.0.1", "2.1")


@oca(
    "TC_F_01_CS",
    "Remote start transaction - Cable plugin first",
    profile="core",
    versions=V2,
    kills=("remote-start-ignored",),
)
async def test_remote_start_cable_first(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """F01: with the cable plugged in, RequestStartTransaction is Accepted and the transaction
    reports triggerReason RemoteStart with the remoteStartId and token; a remote stop ends it."""
    token = {"idToken": sut_profile.sut.tokens.valid, "type": sut_profile.sut.tokens.type}
    await sut.plug_in(evse_id=1)
    started = await csms.expect(
        "TransactionEvent", event_type="Started", req="E02: plug-in starts a transaction"
    )
    tx_id = started["transactionInfo"]["transactionId"]
    result = await csms.call(
        "RequestStartTransaction", id_token=token, remote_start_id=4711, evse_id=1
    )
    result.must(status="Accepted", req="F01: RequestStartTransaction Accepted")
    event = await csms.expect(
        "TransactionEvent",
        trigger_reason="RemoteStart",
        req="F01: the transaction reports the remote start",
    )
    require_fields(
        event["transactionInfo"],
        remoteStartId=4711,
        transactionId=tx_id,
        req="F01: remoteStartId of the request, in the same transaction",
    )
    require_fields(
        event.get("idToken", {}),
        idToken=token["idToken"],
        req="F01: the RemoteStart event carries the requested idToken",
    )
    await _stop_and_unplug(csms, sut, tx_id)


@oca(
    "TC_F_08_CS",
    "Remote stop transaction - Success",
    profile="core",
    versions=V2,
    kills=("remote-stop-ignored",),
)
async def test_remote_stop(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """F03: RequestStopTransaction for an ongoing transaction is Accepted and the transaction ends
    with triggerReason RemoteStop and stoppedReason Remote."""
    await sut.plug_in(evse_id=1)
    started = await csms.expect(
        "TransactionEvent", event_type="Started", req="E02: plug-in starts a transaction"
    )
    tx_id = started["transactionInfo"]["transactionId"]
    await sut.present_token(sut_profile.sut.tokens.valid)
    await csms.expect("TransactionEvent", trigger_reason="Authorized", req="E02: token authorized")
    await _stop_and_unplug(csms, sut, tx_id)


async def _stop_and_unplug(csms: CsmsPeer, sut: SutActions, tx_id: str) -> None:
    result = await csms.call("RequestStopTransaction", transaction_id=tx_id)
    result.must(status="Accepted", req="F03: RequestStopTransaction Accepted")
    ended = await csms.expect(
        "TransactionEvent", event_type="Ended", req="F03: the transaction ends"
    )
    require_fields(
        ended["transactionInfo"],
        transactionId=tx_id,
        stoppedReason="Remote",
        req="F03: stoppedReason Remote",
    )
    require_fields(ended.payload, triggerReason="RemoteStop", req="F03: triggerReason RemoteStop")
    await sut.unplug(evse_id=1)
    await csms.expect(
        "StatusNotification",
        evse_id=1,
        connector_status="Available",
        req="G02: connector Available after unplug",
    )


@oca(
    "TC_P_01_CS",
    "Data Transfer to the Charging Station - Rejected / Unknown VendorId / Unknown MessageId",
    profile="core",
    versions=V2,
    kills=("datatransfer-accepts-unknown-vendor",),
)
async def test_data_transfer_unknown_vendor(csms: CsmsPeer) -> None:
    """P01: a DataTransfer for a vendor the station does not know is not Accepted."""
    result = await csms.call(
        "DataTransfer", vendor_id="org.ocpp-harness.unknown-vendor", message_id="probe"
    )
    status = result.must(req="P01: DataTransfer answered")["status"]
    from harness.checks import require

    require(
        status in ("Rejected", "UnknownVendorId", "UnknownMessageId"),
        req="P01: an unknown vendor's DataTransfer is not Accepted",
        expected="Rejected, UnknownVendorId or UnknownMessageId",
        actual=repr(status),
        frames=result.frames,
    )


@oca(
    "TC_F_01_CSMS",
    "Remote start transaction - Cable plugin first",
    profile="core",
    versions=V2,
    kills=("csms-remote-start-wrong-token",),
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
