"""OCA block F (Remote control), OCPP 2.0.1 and 2.1: remote start (F01/F02) and stop (F03),
UnlockConnector (F05) and TriggerMessage (F06), for the station under test (Part 6 §2.7) and the
CSMS under test (§3.7). Steps and criteria in our own words after OCPP 2.0.1 Part 6.

Not here: TC_F_19_CS (a trigger while a firmware download runs: block L has its own issue)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from typing import Any

import pytest

from harness import CsmsPeer, StationPeer, SutActions, oca
from harness.checks import require, require_fields
from harness.config import SutProfile
from harness.fileserver import FileServer
from harness.peers.defaults import now_iso
from harness.peers.exchange import InboundCall
from testcases.v201.states import connector_status, set_variable, tx_points
from testcases.v201.tx_states import (
    Session,
    StationTx,
    authorized_local,
    authorized_remote,
    ended,
    energy_transfer_started,
    ev_connected_pre_session,
    reading,
    station_charging,
    station_ev_connected,
    station_ev_disconnected,
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


@oca(
    "TC_F_09_CS",
    "Remote stop transaction - Rejected",
    profile="core",
    versions=V2,
    kills=("remote-stop-unknown-accepted",),
)
async def test_remote_stop_rejected(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_F_09 (F03.FR.08): from state EnergyTransferStarted, RequestStopTransaction for a
    transactionId other than the running one is Rejected."""
    session = Session(await tx_points(csms, sut_profile))
    await ev_connected_pre_session(csms, sut, session)
    await authorized_local(csms, sut, session, sut_profile.sut.tokens.valid)
    await energy_transfer_started(csms, session)
    other = f"other-{session.tx_id}"[:36]
    result = await csms.call("RequestStopTransaction", transaction_id=other)
    result.must(
        status="Rejected",
        req="F03.FR.08: RequestStopTransaction for an unknown transaction Rejected",
    )


async def _remote_start_first(
    csms: CsmsPeer, sut: SutActions, session: Session, token: dict[str, str], *, authorize: bool
) -> None:
    """State Authorized (remote) from an idle EVSE, then EnergyTransferStarted (part 1, the
    cable after): RequestStartTransaction is Accepted; an Authorize for the token where
    AuthorizeRemoteStart is true (F01.FR.01), none where it is false (F01.FR.02); the
    transaction starts with triggerReason RemoteStart and the remoteStartId (F02.FR.01/21) —
    at once where TxStartPoint holds Authorized, else when the cable comes; plugging in is
    reported Occupied and the transaction reaches Charging."""
    if not authorize:
        csms.forbid("Authorize", "F01.FR.02: no Authorize when AuthorizeRemoteStart is false")
    remote_start_id = 4712
    result = await csms.call(
        "RequestStartTransaction",
        id_token=token,
        remote_start_id=remote_start_id,
        evse_id=session.evse_id,
    )
    result.must(status="Accepted", req="F02: RequestStartTransaction Accepted")
    if authorize:
        await csms.expect(
            "Authorize",
            id_token={"idToken": token["idToken"]},
            req="F01.FR.01: the remote start's token is authorized first (AuthorizeRemoteStart)",
        )
    at_once = "Authorized" in session.points.start
    if not at_once:
        await _plug_in(csms, sut, session)
    started = await csms.expect(
        "TransactionEvent",
        event_type="Started",
        req="F02.FR.21: the transaction of the remote start starts",
    )
    session.after_plug_in = session.add(started, "F02")
    require_fields(
        started.payload, triggerReason="RemoteStart", req="F02.FR.21: triggerReason RemoteStart"
    )
    require_fields(
        started["transactionInfo"],
        remoteStartId=remote_start_id,
        req="F01.FR.13/F02.FR.01: the remoteStartId of the request",
    )
    require_fields(
        started.get("idToken") or {},
        idToken=token["idToken"],
        req="F02.FR.12: the transaction carries the requested idToken",
    )
    if at_once:
        await _plug_in(csms, sut, session)
    await energy_transfer_started(csms, session)


async def _plug_in(csms: CsmsPeer, sut: SutActions, session: Session) -> None:
    await sut.plug_in(evse_id=session.evse_id, connector_id=session.connector_id)
    await connector_status(
        csms,
        evse_id=session.evse_id,
        connector_id=session.connector_id,
        status="Occupied",
        req="G01.FR.03: the connector is reported Occupied on plug-in",
    )


async def _remote_start_first_case(
    csms: CsmsPeer, sut: SutActions, profile: SutProfile, *, authorize: bool
) -> None:
    value = "true" if authorize else "false"
    item = await set_variable(
        csms, "AuthCtrlr", "AuthorizeRemoteStart", value, req="F02: AuthorizeRemoteStart set"
    )
    require(
        item.get("attributeStatus") in ("Accepted", "RebootRequired"),
        req="precondition: AuthCtrlr.AuthorizeRemoteStart can be set",
        expected=f"SetVariables Accepted for AuthorizeRemoteStart {value}",
        actual=repr(item.get("attributeStatus")),
    )
    token = {"idToken": profile.sut.tokens.valid, "type": profile.sut.tokens.type}
    session = Session(await tx_points(csms, profile))
    await _remote_start_first(csms, sut, session, token, authorize=authorize)


@oca(
    "TC_F_02_CS",
    "Remote start transaction - Remote start first -authorizeRemoteStart is true",
    profile="core",
    versions=V2,
    condition="C-48.1 AND (C-36 - C-39)",
    kills=("remote-start-authorize-inverted", "remote-start-id-missing"),
)
async def test_remote_start_first_authorized(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_F_02 (F02.FR.01, F01.FR.01): AuthCtrlr.AuthorizeRemoteStart set true; state
    Authorized (remote) before the cable — the station authorizes the token first — then
    EnergyTransferStarted. Deviation: the optional state ParkingBayOccupied is skipped (no
    parking bay sensor is declared)."""
    await _remote_start_first_case(csms, sut, sut_profile, authorize=True)


@oca(
    "TC_F_03_CS",
    "Remote start transaction - Remote start first -authorizeRemoteStart is false",
    profile="core",
    versions=V2,
    condition="C-48.2 AND (C-36 - C-39)",
    kills=("remote-start-authorize-inverted", "remote-start-id-missing"),
)
async def test_remote_start_first_unauthorized(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_F_03 (F02.FR.01, F01.FR.02): AuthCtrlr.AuthorizeRemoteStart set false; state
    Authorized (remote) before the cable — no Authorize — then EnergyTransferStarted.
    Deviation: the optional state ParkingBayOccupied is skipped."""
    await _remote_start_first_case(csms, sut, sut_profile, authorize=False)


@oca(
    "TC_F_04_CS",
    "Remote start transaction - Remote start first - Cable plugin timeout",
    profile="core",
    versions=V2,
    kills=("ev-timeout-ignored",),
)
async def test_remote_start_cable_timeout(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_F_04 (F02.FR.01, E03.FR.01/05): TxCtrlr.EVConnectionTimeOut set short (the OCA's
    configured value) and TxStartPoint Authorized where the station takes it (errata 2025-02:
    only if supported); state Authorized (remote) without a cable: where the transaction
    started, it ends after the timeout (Ended, triggerReason EVConnectTimeout); then a second
    remote start is Accepted, showing the EVSE free again."""
    timeout_s = 1
    await set_variable(
        csms, "TxCtrlr", "EVConnectionTimeOut", str(timeout_s), req="E03: EVConnectionTimeOut set"
    )
    item = await set_variable(
        csms, "TxCtrlr", "TxStartPoint", "Authorized", req="E01: TxStartPoint set (if supported)"
    )
    started_now = item.get("attributeStatus") == "Accepted"
    session = Session(await tx_points(csms, sut_profile))
    token = {"idToken": sut_profile.sut.tokens.valid, "type": sut_profile.sut.tokens.type}
    result = await csms.call(
        "RequestStartTransaction", id_token=token, remote_start_id=4713, evse_id=session.evse_id
    )
    result.must(status="Accepted", req="F02: RequestStartTransaction Accepted")
    if started_now and "Authorized" in session.points.start:
        started = await csms.expect(
            "TransactionEvent",
            event_type="Started",
            trigger_reason="RemoteStart",
            req="F02.FR.01: the remote start starts the transaction (TxStartPoint Authorized)",
        )
        session.add(started, "F02")
        await ended(
            csms,
            session,
            within_s=csms.action_s + csms.response_s + timeout_s,
            req="E03.FR.05: no cable within EVConnectionTimeOut ends the transaction "
            "(triggerReason EVConnectTimeout)",
            trigger_reason="EVConnectTimeout",
        )
    else:
        await asyncio.sleep(timeout_s + 0.5)  # the authorization lapses; nothing to observe
    again = await csms.call(
        "RequestStartTransaction", id_token=token, remote_start_id=4714, evse_id=session.evse_id
    )
    again.must(
        status="Accepted", req="E03.FR.05: after the timeout the EVSE takes a remote start again"
    )


# -- F05: UnlockConnector (station under test) ------------------------------------------------------
#: Part 5's condition of the unlock cases is HFS-1 AND NOT Product Subtype "Mode 1/2-only
#: Charging Station"; the product subtype is no PICS item, so the marker carries HFS-1 only.
UNLOCK = "HFS-1"


async def _unlock(
    csms: CsmsPeer, status: str, *, req: str, evse_id: int = 1, connector_id: int = 1
) -> None:
    result = await csms.call("UnlockConnector", evse_id=evse_id, connector_id=connector_id)
    result.must(status=status, req=req)


@oca(
    "TC_F_05_CS",
    "Remote unlock Connector - With ongoing transaction",
    profile="core",
    versions=V2,
    condition=UNLOCK,
    kills=("unlock-ignores-transaction",),
)
async def test_unlock_with_transaction(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_F_05 (F05.FR.01/02): from state EnergyTransferStarted on connector 1 of EVSE 1,
    UnlockConnector for it is answered OngoingAuthorizedTransaction (nothing unlocked)."""
    session = Session(await tx_points(csms, sut_profile))
    await ev_connected_pre_session(csms, sut, session)
    await authorized_local(csms, sut, session, sut_profile.sut.tokens.valid)
    await energy_transfer_started(csms, session)
    await _unlock(
        csms,
        "OngoingAuthorizedTransaction",
        req="F05.FR.02: UnlockConnector during an authorized transaction answered "
        "OngoingAuthorizedTransaction",
    )


@oca(
    "TC_F_06_CS",
    "Remote unlock Connector - Without ongoing transaction - Accepted",
    profile="core",
    versions=V2,
    condition=UNLOCK,
    kills=("unlock-fails",),
)
async def test_unlock_without_transaction(csms: CsmsPeer) -> None:
    """TC_F_06 (F05.FR.01/04): without a transaction, UnlockConnector for connector 1 of EVSE 1
    is answered Unlocked."""
    await _unlock(csms, "Unlocked", req="F05.FR.04: UnlockConnector answered Unlocked")


@oca(
    "TC_F_07_CS",
    "Remote unlock Connector - Without ongoing transaction - No cable connected",
    profile="core",
    versions=V2,
    condition=UNLOCK,
    kills=("unlock-fails",),
)
async def test_unlock_no_cable(csms: CsmsPeer) -> None:
    """TC_F_07 (F05.FR.01/06): with no cable at connector 1 of EVSE 1 (the general
    preconditions), the station still tries to unlock it and answers Unlocked."""
    await _unlock(
        csms, "Unlocked", req="F05.FR.06: UnlockConnector without a cable answered Unlocked"
    )


@oca(
    "TC_F_10_CS",
    "Remote unlock Connector - Without ongoing transaction - UnknownConnector",
    profile="core",
    versions=V2,
    condition=UNLOCK,
    kills=("unlock-unknown-connector-unlocked",),
)
async def test_unlock_unknown_connector(csms: CsmsPeer) -> None:
    """TC_F_10 (F05.FR.03): UnlockConnector for connector 999 of EVSE 1 is answered
    UnknownConnector."""
    await _unlock(
        csms,
        "UnknownConnector",
        connector_id=999,
        req="F05.FR.03: UnlockConnector for an unknown connector answered UnknownConnector",
    )


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


# -- F06: TriggerMessage (station under test) -------------------------------------------------------


async def _trigger(
    csms: CsmsPeer,
    message: str,
    *,
    evse_id: int | None = None,
    connector_id: int | None = None,
    status: str = "Accepted",
    req: str = "",
) -> None:
    """TriggerMessage for ``message`` (for an EVSE / connector when given); the answer must be
    ``status`` (F06.FR.05 unless ``req`` names another rule)."""
    fields: dict[str, object] = {"requested_message": message}
    if evse_id is not None:
        evse: dict[str, int] = {"id": evse_id}
        if connector_id is not None:
            evse["connectorId"] = connector_id
        fields["evse"] = evse
    result = await csms.call("TriggerMessage", **fields)
    result.must(status=status, req=req or f"F06.FR.05: TriggerMessage {message} answered {status}")


def _first_sample(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    """meterValue[0].sampledValue[0] of a MeterValues or TransactionEvent (empty if absent)."""
    values = payload.get("meterValue") or [{}]
    samples = values[0].get("sampledValue") or [{}]
    first: Mapping[str, Any] = samples[0]
    return first


@oca(
    "TC_F_20_CS",
    "Trigger message - Heartbeat",
    profile="core",
    versions=V2,
    kills=("trigger-accepted-not-sent",),
)
async def test_trigger_heartbeat(csms: CsmsPeer) -> None:
    """TC_F_20 (F06.FR.04/05/10): TriggerMessage Heartbeat is Accepted and a Heartbeat
    follows."""
    await _trigger(csms, "Heartbeat")
    await csms.expect("Heartbeat", req="F06.FR.10: the triggered Heartbeat is sent")


@oca(
    "TC_F_11_CS",
    "Trigger message - MeterValues - Specific EVSE",
    profile="core",
    versions=V2,
    condition="C-29.1",
    kills=("trigger-accepted-not-sent", "trigger-meter-context-wrong"),
)
async def test_trigger_meter_values_evse(csms: CsmsPeer) -> None:
    """TC_F_11 (F06.FR.02/04/05/06/10): TriggerMessage MeterValues for EVSE 1 is Accepted; a
    MeterValues for EVSE 1 follows whose first sampled value has context Trigger."""
    await _trigger(csms, "MeterValues", evse_id=1)
    values = await csms.expect(
        "MeterValues", evse_id=1, req="F06.FR.10: the triggered MeterValues (EVSE 1) is sent"
    )
    require_fields(
        _first_sample(values.payload),
        context="Trigger",
        req="F06.FR.06: meterValue[0].sampledValue[0] has context Trigger",
    )


@oca(
    "TC_F_12_CS",
    "Trigger message - MeterValues - All EVSE",
    profile="core",
    versions=V2,
    condition="C-29.1",
    kills=("trigger-accepted-not-sent", "trigger-meter-context-wrong"),
)
async def test_trigger_meter_values_all(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_F_12 (F06.FR.04/05/06/10/11): TriggerMessage MeterValues without evse is Accepted;
    a MeterValues follows for every EVSE, each with context Trigger in its first sampled
    value."""
    await _trigger(csms, "MeterValues")
    for evse in sut_profile.sut.evses:
        values = await csms.expect(
            "MeterValues",
            evse_id=evse.id,
            req=f"F06.FR.10/F06.FR.11: the triggered MeterValues of EVSE {evse.id} is sent",
        )
        require_fields(
            _first_sample(values.payload),
            context="Trigger",
            req="F06.FR.06: meterValue[0].sampledValue[0] has context Trigger",
        )


@oca(
    "TC_F_13_CS",
    "Trigger message - TransactionEvent - Specific EVSE",
    profile="core",
    versions=V2,
    condition="C-29.2",
    kills=(
        "trigger-accepted-not-sent",
        "trigger-meter-context-wrong",
        "trigger-tx-wrong-reason",
    ),
)
async def test_trigger_transaction_event_evse(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_F_13 (F06.FR.02/04/05/07/10): from state EnergyTransferStarted on EVSE 1,
    TriggerMessage TransactionEvent for EVSE 1 is Accepted; a TransactionEvent of that
    transaction follows with triggerReason Trigger, evse omitted or 1, chargingState Charging,
    and meter values whose first sampled value has context Trigger."""
    session = Session(await tx_points(csms, sut_profile))
    await ev_connected_pre_session(csms, sut, session)
    await authorized_local(csms, sut, session, sut_profile.sut.tokens.valid)
    await energy_transfer_started(csms, session)
    await _trigger(csms, "TransactionEvent", evse_id=session.evse_id)
    await _triggered_event(csms, session)


@oca(
    "TC_F_14_CS",
    "Trigger message - TransactionEvent - All EVSE",
    profile="core",
    versions=V2,
    condition="C-29.2",
    kills=(
        "trigger-accepted-not-sent",
        "trigger-meter-context-wrong",
        "trigger-tx-wrong-reason",
    ),
)
async def test_trigger_transaction_event_all(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_F_14 (F06.FR.04/05/07/10/11): state EnergyTransferStarted on every EVSE (cable first,
    local authorization, the valid token on each); TriggerMessage TransactionEvent without evse
    is Accepted and each transaction reports a TransactionEvent with triggerReason Trigger,
    chargingState Charging and meter values whose first sampled value has context Trigger."""
    points = await tx_points(csms, sut_profile)
    sessions = [Session(points, evse_id=evse.id) for evse in sut_profile.sut.evses]
    for session in sessions:
        await ev_connected_pre_session(csms, sut, session)
        await authorized_local(csms, sut, session, sut_profile.sut.tokens.valid)
        await energy_transfer_started(csms, session)
    await _trigger(csms, "TransactionEvent")
    for session in sessions:
        await _triggered_event(csms, session)


async def _triggered_event(csms: CsmsPeer, session: Session) -> None:
    """The triggered TransactionEvent of ``session`` (F06.FR.07/10)."""
    event = await csms.expect(
        "TransactionEvent",
        transaction_info={"transactionId": session.tx_id},
        req=f"F06.FR.10: the triggered TransactionEvent (EVSE {session.evse_id}) is sent",
    )
    session.add(event, "F06")
    require_fields(event.payload, triggerReason="Trigger", req="F06.FR.07: triggerReason Trigger")
    where = event.get("evse")
    require(
        where is None or where.get("id") == session.evse_id,
        req="F06.FR.07: evse omitted or the transaction's EVSE",
        expected=f"no evse or evse.id {session.evse_id}",
        actual=repr(where),
    )
    require_fields(
        event["transactionInfo"],
        chargingState="Charging",
        req="F06.FR.07: transactionInfo.chargingState Charging",
    )
    require(
        bool(event.get("meterValue")),
        req="F06.FR.07: meterValue present",
        expected="meterValue",
        actual="none",
    )
    require_fields(
        _first_sample(event.payload),
        context="Trigger",
        req="F06.FR.07: meterValue[0].sampledValue[0] has context Trigger",
    )


@oca(
    "TC_F_15_CS",
    "Trigger message - LogStatusNotification - Idle",
    profile="core",
    versions=V2,
    condition="C-29.3",
    kills=("trigger-accepted-not-sent", "trigger-status-not-idle"),
)
async def test_trigger_log_status_idle(csms: CsmsPeer) -> None:
    """TC_F_15 (F06.FR.04/05/10/15): with no log upload running, TriggerMessage
    LogStatusNotification is Accepted and a LogStatusNotification with status Idle follows."""
    await _trigger(csms, "LogStatusNotification")
    note = await csms.expect(
        "LogStatusNotification", req="F06.FR.10: the triggered LogStatusNotification is sent"
    )
    require_fields(
        note.payload,
        status="Idle",
        req="F06.FR.15: LogStatusNotification status Idle when nothing runs",
    )


@pytest.fixture
async def log_server(csms: CsmsPeer, sut_profile: SutProfile) -> AsyncIterator[FileServer]:
    """The log server the OCA's GetLog needs (as in block N), for one case."""
    async with FileServer(host=sut_profile.sut.listen.host) as server:
        yield server


@oca(
    "TC_F_16_CS",
    "Trigger message - LogStatusNotification - Uploading",
    profile="core",
    versions=V2,
    condition="C-29.3",
    kills=("trigger-log-status-stale", "trigger-accepted-not-sent"),
)
async def test_trigger_log_status_uploading(csms: CsmsPeer, log_server: FileServer) -> None:
    """TC_F_16 (F06.FR.04/05/10/14): GetLog (DiagnosticsLog) to the log server is Accepted and
    reported Uploading; while the log server holds the upload, TriggerMessage
    LogStatusNotification is Accepted and a LogStatusNotification Uploading follows. The log
    server then lets the upload finish (Uploaded)."""
    log_server.hold_uploads()
    try:
        result = await csms.call(
            "GetLog",
            log_type="DiagnosticsLog",
            request_id=1601,
            log={"remoteLocation": log_server.url()},
        )
        result.must(status="Accepted", req="N01.FR.01: GetLog Accepted")
        await csms.expect(
            "LogStatusNotification",
            status="Uploading",
            within_s=csms.action_s,
            req="N01.FR.08: LogStatusNotification Uploading",
        )
        await _trigger(csms, "LogStatusNotification")
        note = await csms.expect(
            "LogStatusNotification", req="F06.FR.10: the triggered LogStatusNotification is sent"
        )
        require_fields(
            note.payload,
            status="Uploading",
            req="F06.FR.14: LogStatusNotification status Uploading while the log uploads",
        )
    finally:
        log_server.release_uploads()
    await csms.expect(
        "LogStatusNotification",
        status="Uploaded",
        within_s=csms.action_s,
        req="N01.FR.09: LogStatusNotification Uploaded",
    )


async def _firmware_idle(csms: CsmsPeer, evse_id: int | None) -> None:
    await _trigger(csms, "FirmwareStatusNotification", evse_id=evse_id)
    note = await csms.expect(
        "FirmwareStatusNotification",
        req="F06.FR.10: the triggered FirmwareStatusNotification is sent",
    )
    require_fields(
        note.payload,
        status="Idle",
        req="F06.FR.16: FirmwareStatusNotification status Idle when nothing runs",
    )


@oca(
    "TC_F_17_CS",
    "Trigger message - FirmwareStatusNotification - Specific EVSE not relevant",
    profile="core",
    versions=V2,
    condition="C-29.4",
    kills=("trigger-accepted-not-sent", "trigger-status-not-idle"),
)
async def test_trigger_firmware_status_evse(csms: CsmsPeer) -> None:
    """TC_F_17 (F06.FR.03/04/05/10): TriggerMessage FirmwareStatusNotification for EVSE 1 (an
    EVSE the message has no use for) is Accepted and the message is still sent, status Idle."""
    await _firmware_idle(csms, 1)


@oca(
    "TC_F_18_CS",
    "Trigger message - FirmwareStatusNotification - Idle",
    profile="core",
    versions=V2,
    condition="C-29.4",
    kills=("trigger-accepted-not-sent", "trigger-status-not-idle"),
)
async def test_trigger_firmware_status_idle(csms: CsmsPeer) -> None:
    """TC_F_18 (F06.FR.04/05/10/16, L01.FR.25): with no firmware update running, TriggerMessage
    FirmwareStatusNotification is Accepted and a FirmwareStatusNotification status Idle
    follows."""
    await _firmware_idle(csms, None)


@oca(
    "TC_F_23_CS",
    "Trigger message - StatusNotification - Specific EVSE - Available",
    profile="core",
    versions=V2,
    condition="C-29.5",
    kills=("trigger-accepted-not-sent",),
)
async def test_trigger_status_available(csms: CsmsPeer) -> None:
    """TC_F_23 (F06.FR.02/04/05/10): TriggerMessage StatusNotification for connector 1 of
    EVSE 1 is Accepted and the connector is reported Available (a StatusNotification or a
    NotifyEvent of its AvailabilityState)."""
    await _trigger(csms, "StatusNotification", evse_id=1, connector_id=1)
    await connector_status(
        csms,
        evse_id=1,
        connector_id=1,
        status="Available",
        req="F06.FR.10: the triggered status is sent (Available)",
    )


@oca(
    "TC_F_24_CS",
    "Trigger message - StatusNotification - Specific EVSE - Occupied",
    profile="core",
    versions=V2,
    condition="C-29.5",
    kills=("trigger-accepted-not-sent", "trigger-connector-status-stale"),
)
async def test_trigger_status_occupied(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_F_24 (F06.FR.02/04/05/10): from state EVConnectedPreSession, TriggerMessage
    StatusNotification for that connector is Accepted and it is reported Occupied (F06.FR.09:
    current information)."""
    session = Session(await tx_points(csms, sut_profile))
    await ev_connected_pre_session(csms, sut, session)
    await _trigger(
        csms, "StatusNotification", evse_id=session.evse_id, connector_id=session.connector_id
    )
    await connector_status(
        csms,
        evse_id=session.evse_id,
        connector_id=session.connector_id,
        status="Occupied",
        req="F06.FR.09/F06.FR.10: the triggered status is sent and the triggered status is the "
        "current one (Occupied)",
    )


@oca(
    "TC_F_26_CS",
    "Trigger message - BootNotification - Rejected",
    profile="core",
    versions=V2,
    condition="C-29.6",
    kills=("trigger-boot-accepted",),
)
async def test_trigger_boot_rejected(csms: CsmsPeer) -> None:
    """TC_F_26 (F06.FR.04/05/17): once its boot was Accepted, the station answers
    TriggerMessage BootNotification with Rejected."""
    await _trigger(
        csms,
        "BootNotification",
        status="Rejected",
        req="F06.FR.17: TriggerMessage BootNotification after an Accepted boot answered Rejected",
    )


@oca(
    "TC_F_27_CS",
    "Trigger message - NotImplemented",
    profile="core",
    versions=V2,
    condition="NOT AQ-11",
    kills=("trigger-unknown-rejected",),
)
async def test_trigger_not_implemented(csms: CsmsPeer) -> None:
    """TC_F_27 (F06.FR.08): a station without a combined certificate answers TriggerMessage
    SignCombinedCertificate with NotImplemented."""
    await _trigger(
        csms,
        "SignCombinedCertificate",
        status="NotImplemented",
        req="F06.FR.08: TriggerMessage for a message not implemented answered NotImplemented",
    )


# -- F01/F02: remote start (CSMS under test) -------------------------------------------------------

#: Faults every CSMS remote start case kills.
CSMS_START_KILLS = (
    "csms-remote-start-wrong-token",
    "csms-remote-start-wrong-evse",
    "csms-commands-dropped",
)


async def _csms_remote_start(
    station: StationPeer, sut: SutActions, tx: StationTx, *, transaction_id: str | None = None
) -> int:
    """Asked by its operator, the CSMS sends RequestStartTransaction for the configured token
    (idToken and type) and EVSE; the harness answers Accepted (with ``transaction_id`` when a
    transaction already runs). The request's remoteStartId is returned."""
    station.hold("RequestStartTransaction")
    await sut.remote_start(id_token=tx.token["idToken"], evse_id=tx.evse_id)
    request = await station.expect(
        "RequestStartTransaction", req="F01: the CSMS sends RequestStartTransaction"
    )
    answer: dict[str, Any] = {"status": "Accepted"}
    if transaction_id is not None:
        answer["transaction_id"] = transaction_id
    await request.reply(**answer)
    require_fields(
        request.get("idToken", {}),
        idToken=tx.token["idToken"],
        req="F01: the operator's token is requested",
    )
    require_fields(request.get("idToken", {}), type=tx.token["type"], req="F01: the token's type")
    require_fields(request.payload, evseId=tx.evse_id, req="F01: for the operator's EVSE")
    remote_start_id = request.get("remoteStartId")
    require(
        isinstance(remote_start_id, int),
        req="F01: a remoteStartId",
        expected="an integer remoteStartId",
        actual=repr(remote_start_id),
    )
    return int(remote_start_id)


async def _remote_start_event(
    tx: StationTx, event_type: str, remote_start_id: int, *, charging_state: str
) -> None:
    """The harness reports the remote start (triggerReason RemoteStart, the CSMS's
    remoteStartId, the token); the CSMS answers and accepts the token."""
    fields: dict[str, Any] = {}
    if event_type == "Started":
        fields["evse"] = {"id": tx.evse_id, "connectorId": tx.connector_id}
    outcome = await tx.event(
        event_type,
        "RemoteStart",
        charging_state=charging_state,
        id_token=tx.token,
        transaction_info={"remoteStartId": remote_start_id},
        req=f"F01: TransactionEvent {event_type} (RemoteStart) answered",
        **fields,
    )
    outcome.must(
        id_token_info={"status": "Accepted"}, req="E02: the transaction's token is Accepted"
    )


@oca(
    "TC_F_01_CSMS",
    "Remote start transaction - Cable plugin first",
    profile="core",
    versions=V2,
    kills=(*CSMS_START_KILLS, "csms-tx-rejects-valid-token"),
)
async def test_csms_remote_start(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_F_01 (F01), as the station: state EVConnectedPreSession (Occupied, a transaction
    Started by the cable); asked by its operator, the CSMS sends RequestStartTransaction for the
    configured idToken and type (and the EVSE chosen); the harness answers Accepted with the
    transactionId, reports Updated RemoteStart with the CSMS's remoteStartId, whose token the
    CSMS accepts, then EnergyTransferStarted (Charging). Beyond the OCA: the transaction is
    ended again (EVDisconnected)."""
    tx = StationTx.of(station, sut_profile)
    await station_ev_connected(tx)
    remote_start_id = await _csms_remote_start(station, sut, tx, transaction_id=tx.tx_id)
    await _remote_start_event(tx, "Updated", remote_start_id, charging_state="EVConnected")
    await tx.event("Updated", "ChargingStateChanged", req="E01: TransactionEvent Updated answered")
    await station_ev_disconnected(tx, req="E06: TransactionEvent Ended answered")


async def _csms_remote_start_first(
    station: StationPeer, sut: SutActions, profile: SutProfile, *, authorize: bool
) -> None:
    tx = StationTx.of(station, profile)
    remote_start_id = await _csms_remote_start(station, sut, tx)
    if authorize:
        auth = await station.call("Authorize", id_token=tx.token, req="C01: Authorize answered")
        auth.must(id_token_info={"status": "Accepted"}, req="C01: a valid token is Accepted")
    await _remote_start_event(tx, "Started", remote_start_id, charging_state="Idle")
    await tx.status("Occupied", req="G01: StatusNotification Occupied answered")
    await tx.event(
        "Updated",
        "CablePluggedIn",
        charging_state="EVConnected",
        req="E01: TransactionEvent Updated (CablePluggedIn) answered",
    )
    await tx.event("Updated", "ChargingStateChanged", req="E01: TransactionEvent Updated answered")
    await station_ev_disconnected(tx, req="E06: TransactionEvent Ended answered")


@oca(
    "TC_F_02_CSMS",
    "Remote start transaction - Remote start first -authorizeRemoteStart is true",
    profile="core",
    versions=V2,
    kills=(*CSMS_START_KILLS, "csms-authorize-rejects-valid", "csms-tx-rejects-valid-token"),
)
async def test_csms_remote_start_first_authorized(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_F_02 (F02.FR.01, F01.FR.01), as the station: asked by its operator, the CSMS sends
    RequestStartTransaction for the configured token; the harness answers Accepted (no
    transactionId), has the token authorized (Accepted), reports Started RemoteStart with the
    CSMS's remoteStartId (the token Accepted), then EnergyTransferStarted with the cable after
    (Occupied, CablePluggedIn, Charging). Beyond the OCA: the transaction is ended again."""
    await _csms_remote_start_first(station, sut, sut_profile, authorize=True)


@oca(
    "TC_F_03_CSMS",
    "Remote start transaction - Remote start first -authorizeRemoteStart is false",
    profile="core",
    versions=V2,
    kills=(*CSMS_START_KILLS, "csms-tx-rejects-valid-token"),
)
async def test_csms_remote_start_first_unauthorized(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_F_03 (F02.FR.01, F01.FR.02), as TC_F_02_CSMS without the Authorize: the token's
    acceptance comes with the Started event."""
    await _csms_remote_start_first(station, sut, sut_profile, authorize=False)


@oca(
    "TC_F_04_CSMS",
    "Remote start transaction - Remote start first - Cable plugin timeout",
    profile="core",
    versions=V2,
    kills=CSMS_START_KILLS,
)
async def test_csms_remote_start_cable_timeout(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_F_04 (E03.FR.04/05), as the station: asked by its operator, the CSMS sends
    RequestStartTransaction for the configured token; the harness answers Accepted, reports
    Started RemoteStart with the CSMS's remoteStartId, then — no cable came — Updated with
    triggerReason EVConnectTimeout (the deauthorization of F02.FR.08), which the CSMS answers.
    The harness station ends the transaction afterwards (between cases)."""
    tx = StationTx.of(station, sut_profile)
    remote_start_id = await _csms_remote_start(station, sut, tx)
    await _remote_start_event(tx, "Started", remote_start_id, charging_state="Idle")
    await tx.event(
        "Updated",
        "EVConnectTimeout",
        charging_state="Idle",
        req="E03.FR.05: TransactionEvent (EVConnectTimeout) answered",
    )


# -- F05: UnlockConnector (CSMS under test) ---------------------------------------------------------


@oca(
    "TC_F_06_CSMS",
    "Remote unlock Connector - Without ongoing transaction - Accepted",
    profile="core",
    versions=V2,
    condition="C-11",
    kills=("csms-unlock-wrong-evse", "csms-commands-dropped"),
)
async def test_csms_unlock_connector(station: StationPeer, sut: SutActions) -> None:
    """TC_F_06 (F05): asked by its operator, the CSMS sends UnlockConnector for connector 1 of
    EVSE 1 (evseId and connectorId); the harness answers Unlocked."""
    station.hold("UnlockConnector")
    await sut.unlock_connector(1, 1)
    request = await station.expect("UnlockConnector", req="F05: the CSMS sends UnlockConnector")
    await request.reply(status="Unlocked")
    require_fields(
        request.payload, evseId=1, connectorId=1, req="F05: the chosen connector (EVSE 1, 1)"
    )


# -- F06: TriggerMessage (CSMS under test) ----------------------------------------------------------

#: Faults every CSMS trigger case kills.
CSMS_TRIGGER_KILLS = ("csms-trigger-wrong-message", "csms-commands-dropped")


async def _csms_trigger(
    station: StationPeer, sut: SutActions, message: str, evse_id: int | None = None
) -> InboundCall:
    """Asked by its operator, the CSMS sends TriggerMessage; its requestedMessage is
    ``message`` (F06.FR.01) and, for ``evse_id``, evse.id is that EVSE (F06.FR.02). The request
    is returned unanswered."""
    station.hold("TriggerMessage")
    if evse_id is None:
        await sut.trigger(message)
    else:
        await sut.trigger_evse(message, evse_id)
    request = await station.expect("TriggerMessage", req="F06.FR.01: the CSMS sends TriggerMessage")
    require_fields(
        request.payload,
        requestedMessage=message,
        req=f"F06.FR.01: requestedMessage {message}",
    )
    if evse_id is not None:
        require_fields(request.get("evse") or {}, id=evse_id, req=f"F06.FR.02: evse.id {evse_id}")
    return request


@oca(
    "TC_F_20_CSMS",
    "Trigger message - Heartbeat",
    profile="core",
    versions=V2,
    kills=CSMS_TRIGGER_KILLS,
)
async def test_csms_trigger_heartbeat(station: StationPeer, sut: SutActions) -> None:
    """TC_F_20 (F06.FR.01): the CSMS sends TriggerMessage with requestedMessage Heartbeat; the
    harness answers Accepted and sends a Heartbeat, which the CSMS answers."""
    request = await _csms_trigger(station, sut, "Heartbeat")
    await request.reply(status="Accepted")
    await station.call("Heartbeat", req="F06: Heartbeat answered").must(
        req="F06: Heartbeat answered"
    )


@oca(
    "TC_F_12_CSMS",
    "Trigger message - MeterValues - All EVSE",
    profile="core",
    versions=V2,
    condition="C-29.1",
    kills=CSMS_TRIGGER_KILLS,
)
async def test_csms_trigger_meter_values(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_F_12 (F06.FR.01): the CSMS sends TriggerMessage with requestedMessage MeterValues;
    the harness answers Accepted and sends, for each of its EVSEs, a MeterValues whose reading
    has context Trigger; the CSMS answers each. Deviation: the OCA's step 3 leaves evseId out,
    which MeterValuesRequest requires; the harness names each EVSE."""
    request = await _csms_trigger(station, sut, "MeterValues")
    await request.reply(status="Accepted")
    for evse in sut_profile.sut.evses:
        await station.call(
            "MeterValues",
            evse_id=evse.id,
            meter_value=[reading("Trigger", 1000.0 * evse.id)],
            req="F06: MeterValues answered",
        ).must(req="F06: MeterValues answered")


async def _csms_trigger_status(
    station: StationPeer, sut: SutActions, message: str, *, req: str
) -> None:
    request = await _csms_trigger(station, sut, message)
    await request.reply(status="Accepted")
    await station.call(message, status="Idle", req=req).must(req=req)


@oca(
    "TC_F_15_CSMS",
    "Trigger message - LogStatusNotification - Idle",
    profile="core",
    versions=V2,
    condition="C-29.3",
    kills=CSMS_TRIGGER_KILLS,
)
async def test_csms_trigger_log_status(station: StationPeer, sut: SutActions) -> None:
    """TC_F_15 (F06.FR.01): the CSMS sends TriggerMessage with requestedMessage
    LogStatusNotification; the harness answers Accepted and sends LogStatusNotification
    status Idle, which the CSMS answers."""
    await _csms_trigger_status(
        station, sut, "LogStatusNotification", req="F06: LogStatusNotification answered"
    )


@oca(
    "TC_F_18_CSMS",
    "Trigger message - FirmwareStatusNotification - Idle",
    profile="core",
    versions=V2,
    condition="C-29.4",
    kills=(*CSMS_TRIGGER_KILLS, "csms-firmware-status-refused"),
)
async def test_csms_trigger_firmware_status(station: StationPeer, sut: SutActions) -> None:
    """TC_F_18 (F06.FR.01): the CSMS sends TriggerMessage with requestedMessage
    FirmwareStatusNotification; the harness answers Accepted and sends
    FirmwareStatusNotification status Idle, which the CSMS answers."""
    await _csms_trigger_status(
        station,
        sut,
        "FirmwareStatusNotification",
        req="L01/F06: FirmwareStatusNotification answered",
    )


#: Faults every CSMS trigger case for one EVSE kills.
CSMS_TRIGGER_EVSE_KILLS = (*CSMS_TRIGGER_KILLS, "csms-trigger-wrong-evse")


@oca(
    "TC_F_11_CSMS",
    "Trigger message - MeterValues - Specific EVSE",
    profile="core",
    versions=V2,
    condition="C-29.1",
    kills=CSMS_TRIGGER_EVSE_KILLS,
)
async def test_csms_trigger_meter_values_evse(station: StationPeer, sut: SutActions) -> None:
    """TC_F_11 (F06.FR.01/02): asked by its operator, the CSMS sends TriggerMessage for
    MeterValues of EVSE 1 (evse.id 1); the harness answers Accepted and sends MeterValues for
    EVSE 1 with context Trigger, which the CSMS answers."""
    request = await _csms_trigger(station, sut, "MeterValues", 1)
    await request.reply(status="Accepted")
    req = "F06: MeterValues answered"
    await station.call(
        "MeterValues", evse_id=1, meter_value=[reading("Trigger", 1000.0)], req=req
    ).must(req=req)


async def _csms_triggered_tx(
    station: StationPeer, sut: SutActions, profile: SutProfile, evse_id: int | None
) -> None:
    """As the station, state EnergyTransferStarted on EVSE 1; the CSMS sends TriggerMessage
    for TransactionEvent (of EVSE ``evse_id``, or all); the harness answers Accepted and sends
    Updated (Trigger, Charging, meter values with context Trigger), which the CSMS answers."""
    tx = StationTx.of(station, profile)
    await station_charging(tx)
    request = await _csms_trigger(station, sut, "TransactionEvent", evse_id)
    await request.reply(status="Accepted")
    await tx.event(
        "Updated",
        "Trigger",
        meter=[reading("Trigger", 1500.0)],
        req="F06: the triggered TransactionEvent answered",
    )
    await station_ev_disconnected(tx, req="E06: TransactionEvent Ended answered")


@oca(
    "TC_F_13_CSMS",
    "Trigger message - TransactionEvent - Specific EVSE",
    profile="core",
    versions=V2,
    condition="C-29.2",
    kills=CSMS_TRIGGER_EVSE_KILLS,
)
async def test_csms_trigger_transaction_event_evse(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_F_13 (F06.FR.01/02): during a transaction on EVSE 1 the CSMS sends TriggerMessage for
    TransactionEvent of EVSE 1; the harness answers Accepted and reports the transaction
    (Trigger, Charging, context Trigger), answered. Beyond the OCA: the transaction is ended."""
    await _csms_triggered_tx(station, sut, sut_profile, 1)


@oca(
    "TC_F_14_CSMS",
    "Trigger message - TransactionEvent - All EVSE",
    profile="core",
    versions=V2,
    condition="C-29.2",
    kills=CSMS_TRIGGER_KILLS,
)
async def test_csms_trigger_transaction_event_all(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_F_14 (F06.FR.01): during a transaction the CSMS sends TriggerMessage for
    TransactionEvent; the harness answers Accepted and reports its transaction, answered.
    Deviation: the harness runs one transaction (EVSE 1), so one triggered event follows, not
    one per EVSE."""
    await _csms_triggered_tx(station, sut, sut_profile, None)


async def _csms_triggered_status(station: StationPeer, sut: SutActions, status: str) -> None:
    request = await _csms_trigger(station, sut, "StatusNotification", 1)
    await request.reply(status="Accepted")
    require(
        (request.get("evse") or {}).get("connectorId") is not None,
        req="F06.FR.13: a StatusNotification trigger names the connector",
        expected="evse.connectorId",
        actual=repr(request.get("evse")),
    )
    req = f"G01: the triggered StatusNotification ({status}) answered"
    await station.call(
        "StatusNotification",
        timestamp=now_iso(),
        connector_status=status,
        evse_id=1,
        connector_id=1,
        req=req,
    ).must(req=req)


@oca(
    "TC_F_23_CSMS",
    "Trigger message - StatusNotification - Specific EVSE - Available",
    profile="core",
    versions=V2,
    condition="C-29.5",
    kills=CSMS_TRIGGER_EVSE_KILLS,
)
async def test_csms_trigger_status_available(station: StationPeer, sut: SutActions) -> None:
    """TC_F_23 (F06.FR.01/02/13): the CSMS sends TriggerMessage for StatusNotification of
    EVSE 1 naming the connector; the harness answers Accepted and reports connector 1
    Available, which the CSMS answers."""
    await _csms_triggered_status(station, sut, "Available")


@oca(
    "TC_F_24_CSMS",
    "Trigger message - StatusNotification - Specific EVSE - Occupied",
    profile="core",
    versions=V2,
    condition="C-29.5",
    kills=CSMS_TRIGGER_EVSE_KILLS,
)
async def test_csms_trigger_status_occupied(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_F_24 (F06.FR.01/02/13): with the EV connected (the harness reports connector 1
    Occupied and a transaction started by the cable), the CSMS sends TriggerMessage for
    StatusNotification of EVSE 1 naming the connector; the harness answers Accepted and reports
    the connector Occupied, which the CSMS answers. Beyond the OCA: the transaction is ended."""
    tx = StationTx.of(station, sut_profile)
    await station_ev_connected(tx)
    await _csms_triggered_status(station, sut, "Occupied")
    await station_ev_disconnected(tx, req="E06: TransactionEvent Ended answered")


@oca(
    "TC_F_27_CSMS",
    "Trigger message - NotImplemented",
    profile="core",
    versions=V2,
    kills=("csms-commands-dropped",),
)
async def test_csms_trigger_not_implemented(station: StationPeer, sut: SutActions) -> None:
    """TC_F_27 (F06.FR.08): the CSMS sends a TriggerMessage (any message) and the harness
    answers NotImplemented; the OCA checks nothing more. The harness asks for a Heartbeat
    trigger, which every CSMS can send."""
    station.hold("TriggerMessage")
    await sut.trigger("Heartbeat")
    request = await station.expect("TriggerMessage", req="F06.FR.01: the CSMS sends TriggerMessage")
    await request.reply(status="NotImplemented")
