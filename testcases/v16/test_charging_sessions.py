"""OCPP 1.6 charging sessions and remote control (test case document sections 02, 05, 06), both
roles. Steps and criteria in our own words; behaviour per OCPP 1.6 §4.1, §4.8, §4.10, §5.11-5.12."""

from __future__ import annotations

from harness import CsmsPeer, StationPeer, SutActions, oca
from harness.checks import require, require_fields
from harness.config import SutProfile

V16 = ("1.6",)


@oca(
    "TC_003_CS",
    "Regular Charging Session - Plugin First",
    profile="core",
    versions=V16,
    kills=(
        "tx-reports-wrong-token",
        "tx-stopped-reason-other",
        "status-skips-preparing",
        "status-skips-finishing",
        "local-stop-ignored",
        "status-skips-charging",
        "stop-transaction-wrong-id",
    ),
)
async def test_plugin_first_session(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """Plug in (Preparing), present a valid idTag (Authorize, StartTransaction with that idTag,
    Charging), present it again (StopTransaction with the given transactionId, Finishing),
    unplug (Available). StartTransaction is held before the idTag is presented, so that the
    case (not an automatic reply) gives it the transactionId the stop must carry. With
    LocalPreAuthorize true the idTag may come from the authorization cache without an Authorize
    (1.6 §3.5.1), so the Authorize is then not required."""
    tag = sut_profile.sut.tokens.valid
    pre = await csms.call("GetConfiguration", key=["LocalPreAuthorize"])
    listed = pre.must(req="1.6 §5.8: GetConfiguration answered").get("configurationKey") or []
    cached_ok = any(
        isinstance(i, dict) and i.get("key") == "LocalPreAuthorize" and i.get("value") == "true"
        for i in listed
    )
    await sut.plug_in(evse_id=1)
    await csms.expect(
        "StatusNotification",
        connector_id=1,
        status="Preparing",
        req="1.6 §4.9: Preparing on plug-in",
    )
    csms.hold("StartTransaction")
    await sut.present_token(tag)
    if not cached_ok:
        await csms.expect("Authorize", id_tag=tag, req="1.6 §4.1: the idTag is authorized")
    start = await csms.expect("StartTransaction", connector_id=1, req="1.6 §4.8: StartTransaction")
    require_fields(
        start.payload, idTag=tag, req="1.6 §4.8: StartTransaction carries the presented idTag"
    )
    await start.reply(transaction_id=901, id_tag_info={"status": "Accepted"})
    await csms.expect(
        "StatusNotification", connector_id=1, status="Charging", req="1.6 §4.9: Charging"
    )
    await sut.present_token(tag)
    stop = await csms.expect("StopTransaction", req="1.6 §4.10: StopTransaction on local stop")
    require_fields(
        stop.payload, transactionId=901, req="1.6 §4.10: the transactionId the central system gave"
    )
    require(
        stop.get("reason", "Local") == "Local",
        req="1.6 §4.10: reason Local (or omitted)",
        expected="Local",
        actual=repr(stop.get("reason")),
    )
    await csms.expect(
        "StatusNotification", connector_id=1, status="Finishing", req="1.6 §4.9: Finishing"
    )
    await sut.unplug(evse_id=1)
    await csms.expect(
        "StatusNotification",
        connector_id=1,
        status="Available",
        req="1.6 §4.9: Available after unplug",
    )


@oca(
    "TC_010_CS",
    "Remote Start Charging Session - Cable Plugged in First",
    profile="core",
    versions=V16,
    kills=("remote-start-ignored", "remote-start-rejected"),
)
async def test_remote_start_plugged(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """§5.11: RemoteStartTransaction with the cable plugged in is Accepted and a transaction
    starts for the given idTag."""
    tag = sut_profile.sut.tokens.valid
    await sut.plug_in(evse_id=1)
    await csms.expect(
        "StatusNotification",
        connector_id=1,
        status="Preparing",
        req="1.6 §4.9: Preparing on plug-in",
    )
    result = await csms.call("RemoteStartTransaction", id_tag=tag, connector_id=1)
    result.must(status="Accepted", req="1.6 §5.11: RemoteStartTransaction Accepted")
    start = await csms.expect(
        "StartTransaction",
        connector_id=1,
        id_tag=tag,
        req="1.6 §5.11: the remote start starts a transaction",
    )
    del start
    await _remote_stop_and_unplug(csms, sut)


@oca(
    "TC_012_CS",
    "Remote Stop Charging Session",
    profile="core",
    versions=V16,
    kills=("remote-stop-ignored", "tx-stopped-reason-other", "remote-stop-rejected"),
)
async def test_remote_stop(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """§5.12: RemoteStopTransaction for the ongoing transaction is Accepted and the transaction
    stops with reason Remote."""
    await sut.plug_in(evse_id=1)
    await sut.present_token(sut_profile.sut.tokens.valid)
    await csms.expect("StartTransaction", connector_id=1, req="1.6 §4.8: transaction started")
    await _remote_stop_and_unplug(csms, sut)


async def _remote_stop_and_unplug(csms: CsmsPeer, sut: SutActions) -> None:
    await csms.expect(
        "StatusNotification", connector_id=1, status="Charging", req="1.6 §4.9: Charging"
    )
    tx_id = csms.last_transaction_id
    result = await csms.call("RemoteStopTransaction", transaction_id=tx_id)
    result.must(status="Accepted", req="1.6 §5.12: RemoteStopTransaction Accepted")
    stop = await csms.expect(
        "StopTransaction", transaction_id=tx_id, req="1.6 §5.12: the transaction stops"
    )
    require_fields(stop.payload, reason="Remote", req="1.6 §5.12: reason Remote")
    await sut.unplug(evse_id=1)
    await csms.expect(
        "StatusNotification",
        connector_id=1,
        status="Available",
        req="1.6 §4.9: Available after unplug",
    )


@oca(
    "TC_003_CSMS",
    "Regular Charging Session - Plugin First",
    profile="core",
    versions=V16,
    kills=(
        "csms-tx-rejects-valid-token",
        "csms-authorize-rejects-valid",
        "csms-fails-transaction-end",
    ),
)
async def test_central_system_session(station: StationPeer, sut_profile: SutProfile) -> None:
    """§4.1, §4.8, §4.10: the central system authorizes a valid idTag, starts a transaction with
    a transactionId and accepted idTagInfo, takes meter values and the stop."""
    tag = sut_profile.sut.tokens.valid
    await station.call(
        "StatusNotification", connector_id=1, error_code="NoError", status="Preparing"
    ).must()
    auth = await station.call("Authorize", id_tag=tag, req="1.6 §4.1: Authorize answered")
    auth.must(id_tag_info={"status": "Accepted"}, req="1.6 §4.1: a valid idTag is Accepted")
    start = await station.call(
        "StartTransaction",
        connector_id=1,
        id_tag=tag,
        meter_start=1000,
        timestamp=_now(),
        req="1.6 §4.8: StartTransaction answered",
    )
    start.must(
        id_tag_info={"status": "Accepted"}, req="1.6 §4.8: the transaction's idTag is Accepted"
    )
    tx_id = start["transactionId"]
    await station.call(
        "StatusNotification", connector_id=1, error_code="NoError", status="Charging"
    ).must()
    sample = {
        "timestamp": _now(),
        "sampledValue": [
            {"value": "1500", "measurand": "Energy.Active.Import.Register", "unit": "Wh"}
        ],
    }
    await station.call(
        "MeterValues",
        connector_id=1,
        transaction_id=tx_id,
        meter_value=[sample],
        req="1.6 §4.7: MeterValues answered",
    ).must()
    await station.call(
        "StopTransaction",
        transaction_id=tx_id,
        meter_stop=2500,
        timestamp=_now(),
        id_tag=tag,
        reason="Local",
        req="1.6 §4.10: StopTransaction answered",
    ).must()
    await station.call(
        "StatusNotification", connector_id=1, error_code="NoError", status="Finishing"
    ).must()
    await station.call(
        "StatusNotification", connector_id=1, error_code="NoError", status="Available"
    ).must()


@oca(
    "TC_023_1_CSMS",
    "Start Charging Session - Authorize invalid",
    profile="core",
    versions=V16,
    kills=("csms-accepts-unknown-token",),
)
async def test_central_system_rejects_unknown_tag(
    station: StationPeer, sut_profile: SutProfile
) -> None:
    """§4.1: Authorize for an idTag the central system does not know is answered Invalid."""
    result = await station.call("Authorize", id_tag=sut_profile.sut.tokens.invalid)
    status = result.must(req="1.6 §4.1: Authorize answered")["idTagInfo"]["status"]
    require(
        status == "Invalid",
        req="1.6 §4.1: an unknown idTag is Invalid",
        expected="Invalid",
        actual=repr(status),
        frames=result.frames,
    )


@oca(
    "TC_010_CSMS",
    "Remote Start Charging Session - Cable Plugged in First",
    profile="core",
    versions=V16,
    kills=(
        "csms-remote-start-wrong-token",
        "csms-remote-start-wrong-evse",
        "csms-commands-dropped",
    ),
)
async def test_central_system_remote_start(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """§5.11: asked by its operator, the central system sends RemoteStartTransaction for the idTag
    and connector the operator chose."""
    tag = sut_profile.sut.tokens.valid
    station.hold("RemoteStartTransaction")
    await station.call(
        "StatusNotification", connector_id=1, error_code="NoError", status="Preparing"
    ).must()
    await sut.remote_start(id_token=tag, evse_id=1)
    request = await station.expect(
        "RemoteStartTransaction", req="1.6 §5.11: RemoteStartTransaction sent"
    )
    await request.reply(status="Accepted")
    require_fields(request.payload, idTag=tag, req="1.6 §5.11: for the operator's idTag")
    require_fields(request.payload, connectorId=1, req="1.6 §5.11: for the operator's connector")
    await station.call(
        "StatusNotification", connector_id=1, error_code="NoError", status="Available"
    ).must()


def _now() -> str:
    from harness.peers.defaults import now_iso

    return now_iso()
